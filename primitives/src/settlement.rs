//! Batch settlement: payment instructions their payers sign offline, which anyone submits in
//! batches to `pallet-settlement`, and the Merkle root a batch commits to.
//!
//! A [`PaymentInstruction`] names payer, payee, amount, the payer's sequence number, an expiry
//! and a 16-byte reference. The payer signs [`signing_payload`]: a domain tag, the chain id and
//! the genesis hash, then the instruction, so a signature is valid on one network only. The
//! instruction's identity is [`PaymentInstruction::hash`], BLAKE2-256 of that payload: the payer
//! knows it before signing, and it is the leaf of the batch's Merkle tree a receipt proves.
//!
//! Encoded size of a [`SignedInstruction`] paying 1 TPC with a small sequence number and a block
//! expiry (sr25519): 155 bytes (`signed_instruction_size` test) — 64 of them the two accounts,
//! 65 the signature.

use crate::{AccountId, Balance, BlockNumber, ChainId, Hash, Signature};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::traits::Verify;

pub mod receipt;

/// Domain tag that starts every [`signing_payload`]: a settlement signature can never be
/// mistaken for a transaction or another protocol's message.
pub const SIGNING_DOMAIN: &[u8; 21] = b"tpchain:settlement:v1";

/// Identifies a settled batch, numbered from 0 without gaps.
pub type BatchId = u64;

/// Until when an instruction may settle.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "std", serde(rename_all = "camelCase"))]
pub enum Expiry {
	/// Up to and including this block.
	Block(#[codec(compact)] BlockNumber),
	/// Up to and including this block timestamp, milliseconds since the Unix epoch.
	Time(#[codec(compact)] u64),
}

/// A payment the payer signed, offline, for anyone to settle.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct PaymentInstruction {
	/// Who pays; the signature must be theirs.
	pub payer: AccountId,
	/// Who is paid.
	pub payee: AccountId,
	/// Amount in the smallest unit.
	#[codec(compact)]
	pub amount: Balance,
	/// The payer's sequence number: each settles at most once.
	#[codec(compact)]
	pub sequence: u64,
	/// Last moment it may settle.
	pub expiry: Expiry,
	/// Free-form reference for reconciliation (e.g. an invoice number).
	pub reference: [u8; 16],
}

/// What the payer signs for `instruction` on the network `chain` with genesis `genesis`.
pub fn signing_payload(
	chain: ChainId,
	genesis: &Hash,
	instruction: &PaymentInstruction,
) -> alloc::vec::Vec<u8> {
	(SIGNING_DOMAIN, chain, genesis, instruction).encode()
}

impl PaymentInstruction {
	/// Its identity on network (`chain`, `genesis`): BLAKE2-256 of its [`signing_payload`].
	pub fn hash(&self, chain: ChainId, genesis: &Hash) -> Hash {
		sp_crypto_hashing::blake2_256(&signing_payload(chain, genesis, self)).into()
	}
}

/// An instruction with its payer's signature, as batches carry it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct SignedInstruction {
	/// The instruction.
	pub instruction: PaymentInstruction,
	/// The payer's signature over its [`signing_payload`]: sr25519, ed25519 or ecdsa.
	pub signature: Signature,
}

impl SignedInstruction {
	/// Whether the payer signed it for network (`chain`, `genesis`).
	pub fn verify(&self, chain: ChainId, genesis: &Hash) -> bool {
		let payload = signing_payload(chain, genesis, &self.instruction);
		self.signature.verify(&payload[..], &self.instruction.payer)
	}
}

/// Why an instruction of a batch did not settle (it moved nothing; the rest of the batch did).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "std", serde(rename_all = "camelCase"))]
pub enum Failure {
	/// The signature is not the payer's over this network's signing payload.
	#[codec(index = 0)]
	BadSignature,
	/// Past its expiry.
	#[codec(index = 1)]
	Expired,
	/// Its sequence number already settled.
	#[codec(index = 2)]
	SequenceUsed,
	/// Its sequence number is below the payer's window: settled or given up for good.
	#[codec(index = 3)]
	SequenceTooOld,
	/// Amount zero.
	#[codec(index = 4)]
	ZeroAmount,
	/// Payer and payee are the same account.
	#[codec(index = 5)]
	SelfPayment,
	/// The payer cannot pay it and keep the existential deposit and any frozen funds.
	#[codec(index = 6)]
	InsufficientFunds,
	/// The payee's balance would stay below the existential deposit.
	#[codec(index = 7)]
	PayeeBelowMinimum,
	/// Above the payer's limit per instruction.
	#[codec(index = 8)]
	OverInstructionLimit,
	/// Above what the payer may still pay in the current limit period.
	#[codec(index = 9)]
	OverPeriodLimit,
	/// The payee's balance would overflow.
	#[codec(index = 10)]
	Overflow,
}

impl SignedInstruction {
	/// Its hash if the payer signed it for network (`chain`, `genesis`): one encoding for both.
	pub fn verified_hash(&self, chain: ChainId, genesis: &Hash) -> Option<Hash> {
		let payload = signing_payload(chain, genesis, &self.instruction);
		self.signature
			.verify(&payload[..], &self.instruction.payer)
			.then(|| sp_crypto_hashing::blake2_256(&payload).into())
	}
}

/// A settled batch, kept for the runtime's `RootRetention` so receipts can prove against it.
/// `Failed` is the runtime's bounded list; verifiers decode it as a `Vec<u32>`.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct BatchRecord<AccountId, BlockNumber, Failed> {
	/// Block it settled in.
	pub block: BlockNumber,
	/// Index of the extrinsic that settled it in that block: where a node finds the
	/// instructions to rebuild the tree from.
	pub extrinsic: u32,
	/// Who submitted it.
	pub submitter: AccountId,
	/// Merkle root of its settled instructions' hashes, in batch order.
	pub root: Hash,
	/// How many settled (the tree's leaves).
	pub settled: u32,
	/// Positions in the batch of the instructions that did not settle, ascending.
	pub failed: Failed,
}

/// The instructions of `batch` that settled, given the `failed` positions (ascending), in
/// batch order: the leaves of its tree, in order.
pub fn settled_instructions<'a>(
	batch: &'a [SignedInstruction],
	failed: &'a [u32],
) -> impl Iterator<Item = &'a SignedInstruction> + 'a {
	let mut failed = failed.iter().peekable();
	batch.iter().enumerate().filter_map(move |(i, s)| {
		if failed.peek().is_some_and(|f| **f as usize == i) {
			failed.next();
			None
		} else {
			Some(s)
		}
	})
}

/// The leaves of a batch's tree: the hashes of `batch`'s instructions except those at the
/// `failed` positions (ascending), for network (`chain`, `genesis`).
pub fn batch_leaves(
	batch: &[SignedInstruction],
	failed: &[u32],
	chain: ChainId,
	genesis: &Hash,
) -> alloc::vec::Vec<Hash> {
	settled_instructions(batch, failed).map(|s| s.instruction.hash(chain, genesis)).collect()
}

/// The Merkle root over the hashes of a batch's settled instructions, in batch order
/// (polkadot-sdk's `binary-merkle-tree` with BLAKE2-256; zero for an empty batch).
pub fn batch_root(leaves: &[Hash]) -> Hash {
	binary_merkle_tree::merkle_root_raw::<sp_runtime::traits::BlakeTwo256, _>(
		leaves.iter().copied(),
	)
}

/// The Merkle path of leaf `index` in a batch with `leaves`.
pub fn batch_path(leaves: &[Hash], index: u32) -> alloc::vec::Vec<Hash> {
	binary_merkle_tree::merkle_proof_raw::<sp_runtime::traits::BlakeTwo256, _>(
		leaves.iter().copied(),
		index,
	)
	.proof
}

/// Whether `path` proves `leaf` is leaf `index` of `count` under `root`.
pub fn verify_batch_path(root: &Hash, path: &[Hash], count: u32, index: u32, leaf: &Hash) -> bool {
	binary_merkle_tree::verify_proof::<sp_runtime::traits::BlakeTwo256, _, _>(
		root,
		path.iter().copied(),
		count,
		index,
		binary_merkle_tree::Leaf::Hash(*leaf),
	)
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::{sr25519, Pair};

	fn instruction(payer: &sr25519::Pair, sequence: u64) -> PaymentInstruction {
		PaymentInstruction {
			payer: payer.public().into(),
			payee: sr25519::Pair::from_string("//Bob", None).unwrap().public().into(),
			amount: 1_000_000_000_000,
			sequence,
			expiry: Expiry::Block(1_000),
			reference: *b"invoice-0000001\0",
		}
	}

	fn sign(
		pair: &sr25519::Pair,
		i: PaymentInstruction,
		chain: ChainId,
		g: &Hash,
	) -> SignedInstruction {
		let signature = pair.sign(&signing_payload(chain, g, &i)).into();
		SignedInstruction { instruction: i, signature }
	}

	#[test]
	fn signed_instruction_size() {
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let s = sign(&alice, instruction(&alice, 7), ChainId(1), &Hash::zero());
		assert_eq!(s.encoded_size(), 155);
	}

	#[test]
	fn signature_binds_chain_and_genesis() {
		let alice = sr25519::Pair::from_string("//Alice", None).unwrap();
		let genesis = Hash::repeat_byte(1);
		let s = sign(&alice, instruction(&alice, 0), ChainId(1), &genesis);
		assert!(s.verify(ChainId(1), &genesis));
		assert!(!s.verify(ChainId(2), &genesis));
		assert!(!s.verify(ChainId(1), &Hash::repeat_byte(2)));
		let mut tampered = s.clone();
		tampered.instruction.amount += 1;
		assert!(!tampered.verify(ChainId(1), &genesis));
	}

	#[test]
	fn ed25519_payers_sign_too() {
		let pair = sp_core::ed25519::Pair::from_string("//Dave", None).unwrap();
		let mut i = instruction(&sr25519::Pair::from_string("//Alice", None).unwrap(), 0);
		i.payer = pair.public().into();
		let signature = pair.sign(&signing_payload(ChainId(1), &Hash::zero(), &i)).into();
		let s = SignedInstruction { instruction: i, signature };
		assert!(s.verify(ChainId(1), &Hash::zero()));
	}

	#[test]
	fn batch_paths_verify_and_reject_tampering() {
		let leaves: alloc::vec::Vec<Hash> = (0u8..5).map(Hash::repeat_byte).collect();
		let root = batch_root(&leaves);
		for i in 0..5u32 {
			let path = batch_path(&leaves, i);
			assert!(verify_batch_path(&root, &path, 5, i, &leaves[i as usize]));
			assert!(!verify_batch_path(&root, &path, 5, i, &Hash::repeat_byte(9)));
			assert!(!verify_batch_path(&root, &path, 5, (i + 1) % 5, &leaves[i as usize]));
		}
		assert_eq!(batch_root(&[]), Hash::zero());
	}
}
