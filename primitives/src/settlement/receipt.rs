//! Settlement receipts: a self-contained proof, checked offline, that an instruction settled.
//!
//! A receipt carries the instruction, its Merkle path to the root of the batch it settled in,
//! and the same finality evidence as a burn proof: a header, a storage proof under its state
//! root and a GRANDPA justification. The storage proof yields the batch's record (root and
//! number of settled instructions), the genesis hash instructions are signed over
//! (`System::BlockHash(0)`, never pruned) and the chain id. The verifier hashes the instruction
//! for that chain and genesis and walks the path to the proven root: nothing in the receipt is
//! trusted but what the justification's signers finalized.
//!
//! Records are kept for the runtime's `RootRetention`; a receipt proves against the state of a
//! recent justified block, so it must be fetched within that time, and stays valid forever.

use super::{verify_batch_path, BatchId, BatchRecord, PaymentInstruction};
use crate::{
	burn::{chain_id_key, verify_finality, BurnProofError, TrustedAuthoritySet},
	AccountId, BlockNumber, ChainId, Hash, Hashing, Header,
};
use alloc::vec::Vec;
use bp_header_chain::justification::GrandpaJustification;
use bp_runtime::{RawStorageProof, StorageProofChecker};
use codec::{Decode, DecodeAll, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;
use sp_crypto_hashing::{twox_128, twox_64};

/// Name of the settlement pallet in every tpchain runtime (part of its storage keys).
pub const PALLET_PREFIX: &[u8] = b"Settlement";
/// The storage item of kept batches, `Twox64Concat` over the [`BatchId`].
pub const BATCHES_ITEM: &[u8] = b"Batches";

/// A batch record as the verifier reads it (the runtime bounds `failed`; the encoding is the
/// same).
pub type ProvenBatch = BatchRecord<AccountId, BlockNumber, Vec<u32>>;

fn map_key(pallet: &[u8], item: &[u8], key: &[u8]) -> Vec<u8> {
	let mut out = Vec::with_capacity(32 + 8 + key.len());
	out.extend_from_slice(&twox_128(pallet));
	out.extend_from_slice(&twox_128(item));
	out.extend_from_slice(&twox_64(key));
	out.extend_from_slice(key);
	out
}

/// The state key of batch `id`'s record.
pub fn batch_record_key(id: BatchId) -> Vec<u8> {
	map_key(PALLET_PREFIX, BATCHES_ITEM, &id.encode())
}

/// The state key of `System::BlockHash(0)`: the genesis hash instructions are signed over.
pub fn genesis_hash_key() -> Vec<u8> {
	map_key(b"System", b"BlockHash", &BlockNumber::from(0u32).encode())
}

/// Everything needed to check offline that an instruction settled.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "std", derive(Debug))]
pub struct SettlementReceipt {
	/// The instruction, as its payer signed it.
	pub instruction: PaymentInstruction,
	/// The batch it settled in.
	pub batch: BatchId,
	/// Its position among the batch's settled instructions (the Merkle leaf index).
	pub leaf: u32,
	/// Merkle path from its hash to the batch's root.
	pub path: Vec<Hash>,
	/// Header of the block whose state the storage proof reads.
	pub header: Header,
	/// Trie nodes proving [`batch_record_key`], [`genesis_hash_key`] and [`chain_id_key`].
	pub storage_proof: RawStorageProof,
	/// Descendants of `header` up to the justified block, oldest first; empty when `header`
	/// itself is justified.
	pub ancestry: Vec<Header>,
	/// GRANDPA justification of the last header (of `ancestry`, or `header`).
	pub justification: GrandpaJustification<Header>,
}

impl SettlementReceipt {
	/// Decodes a SCALE-encoded receipt, rejecting trailing bytes.
	pub fn decode_exact(mut bytes: &[u8]) -> Result<Self, ReceiptError> {
		Self::decode_all(&mut bytes).map_err(|_| ReceiptError::Malformed)
	}
}

/// What a valid receipt proves.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifiedReceipt {
	/// Chain it settled on (read from the proven state).
	pub chain_id: ChainId,
	/// That chain's genesis hash (read from the proven state).
	pub genesis: Hash,
	/// The instruction's identity on that chain.
	pub instruction_hash: Hash,
	/// The batch and its proven record.
	pub batch: BatchId,
	/// The proven record of the batch.
	pub record: ProvenBatch,
	/// Number and hash of the block whose state holds the record.
	pub proven_at: (BlockNumber, Hash),
	/// Number and hash of the justified block.
	pub finalized: (BlockNumber, Hash),
}

/// Why a receipt is rejected.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReceiptError {
	/// The receipt does not decode (or has trailing bytes).
	Malformed,
	/// The finality or storage proof fails, exactly as a burn proof would.
	Proof(BurnProofError),
	/// The proven state has no record of this batch (never settled, or pruned).
	BatchNotInState,
	/// The proven state has no genesis hash.
	GenesisNotInState,
	/// The path does not lead from the instruction's hash to the batch's root.
	NotInBatch,
}

impl ReceiptError {
	/// A one-line explanation for people reading verifier output.
	pub fn describe(&self) -> &'static str {
		match self {
			ReceiptError::Malformed => "the receipt does not decode",
			ReceiptError::Proof(e) => e.describe(),
			ReceiptError::BatchNotInState => "no record of this batch in the proven state",
			ReceiptError::GenesisNotInState => "no genesis hash in the proven state",
			ReceiptError::NotInBatch => "the instruction is not among the batch's settled ones",
		}
	}
}

impl From<BurnProofError> for ReceiptError {
	fn from(e: BurnProofError) -> Self {
		ReceiptError::Proof(e)
	}
}

/// Verifies `receipt` against a trusted authority set: finality first, then the batch record,
/// genesis and chain id in the finalized state, then the instruction's path to the root.
pub fn verify_receipt(
	receipt: &SettlementReceipt,
	set: &TrustedAuthoritySet,
) -> Result<VerifiedReceipt, ReceiptError> {
	let finalized =
		verify_finality(&receipt.header, &receipt.ancestry, &receipt.justification, set)?;
	let mut checker = StorageProofChecker::<Hashing>::new(
		receipt.header.state_root,
		receipt.storage_proof.clone(),
	)
	.map_err(BurnProofError::from)?;
	let record = checker
		.read_and_decode_value::<ProvenBatch>(&batch_record_key(receipt.batch))
		.map_err(BurnProofError::from)?
		.ok_or(ReceiptError::BatchNotInState)?;
	let genesis = checker
		.read_and_decode_value::<Hash>(&genesis_hash_key())
		.map_err(BurnProofError::from)?
		.ok_or(ReceiptError::GenesisNotInState)?;
	let chain_id = checker
		.read_and_decode_value::<ChainId>(&chain_id_key())
		.map_err(BurnProofError::from)?
		.ok_or(BurnProofError::ChainIdNotInState)?;
	checker.ensure_no_unused_nodes().map_err(BurnProofError::from)?;
	if set.chain_id.is_some_and(|expected| expected != chain_id) {
		return Err(BurnProofError::ChainIdMismatch.into());
	}
	let instruction_hash = receipt.instruction.hash(chain_id, &genesis);
	if !verify_batch_path(
		&record.root,
		&receipt.path,
		record.settled,
		receipt.leaf,
		&instruction_hash,
	) {
		return Err(ReceiptError::NotInBatch);
	}
	Ok(VerifiedReceipt {
		chain_id,
		genesis,
		instruction_hash,
		batch: receipt.batch,
		record,
		proven_at: (receipt.header.number, receipt.header.hash()),
		finalized,
	})
}

/// JSON forms used by the node's RPC and the CLI (one definition for both).
#[cfg(feature = "std")]
pub mod json {
	use super::*;
	use serde::{Deserialize, Serialize};
	use sp_core::Bytes;

	/// What `settlement_getReceipt` returns: where the receipt points and its SCALE encoding.
	#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
	#[serde(rename_all = "camelCase")]
	pub struct ReceiptResponse {
		/// The instruction's hash.
		pub instruction_hash: Hash,
		/// The batch it settled in.
		pub batch: BatchId,
		/// Block the batch settled in.
		pub settled_in: BlockNumber,
		/// Block whose state the storage proof reads.
		pub proven_at: (BlockNumber, Hash),
		/// Block the justification finalizes.
		pub finalized: (BlockNumber, Hash),
		/// SCALE-encoded [`SettlementReceipt`], hex; the only part a verifier trusts.
		pub receipt: Bytes,
	}
}

#[cfg(test)]
mod tests;
