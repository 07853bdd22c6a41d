//! The receipt verifier against a hand-built chain: a real trie, real GRANDPA votes.

use super::*;
use crate::{
	burn::tests::{header, justification, trusted_set, VOTERS},
	settlement::{
		batch_leaves, batch_path, batch_root, signing_payload, Expiry, SignedInstruction,
	},
};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::StateVersion;
use sp_state_machine::{prove_read, InMemoryBackend};
use std::collections::BTreeMap;

const GENESIS: H256 = H256::repeat_byte(0x6e);

fn signed(sequence: u64) -> SignedInstruction {
	let payer = sr25519::Pair::from_string("//Alice", None).unwrap();
	let instruction = PaymentInstruction {
		payer: payer.public().into(),
		payee: sr25519::Pair::from_string("//Bob", None).unwrap().public().into(),
		amount: 1_000 + u128::from(sequence),
		sequence,
		expiry: Expiry::Block(100),
		reference: [sequence as u8; 16],
	};
	let signature = payer.sign(&signing_payload(ChainId(1), &GENESIS, &instruction)).into();
	SignedInstruction { instruction, signature }
}

/// Batch 4 of five instructions, of which the one at position 1 failed.
fn batch() -> (Vec<SignedInstruction>, ProvenBatch) {
	let batch: Vec<_> = (0..5).map(signed).collect();
	let failed = vec![1];
	let leaves = batch_leaves(&batch, &failed, ChainId(1), &GENESIS);
	let record = ProvenBatch {
		block: 9,
		extrinsic: 2,
		submitter: sr25519::Pair::from_string("//Charlie", None).unwrap().public().into(),
		root: batch_root(&leaves),
		settled: 4,
		failed,
	};
	(batch, record)
}

/// A state holding batches 3 and 4, the genesis hash and the chain id.
fn state(id: BatchId, with_genesis: bool) -> (H256, RawStorageProof) {
	let (_, record) = batch();
	let mut kv: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
	kv.insert(
		batch_record_key(3),
		ProvenBatch { root: H256::repeat_byte(3), ..record.clone() }.encode(),
	);
	kv.insert(batch_record_key(4), record.encode());
	if with_genesis {
		kv.insert(genesis_hash_key(), GENESIS.encode());
	}
	kv.insert(chain_id_key(), ChainId(1).encode());
	kv.insert(b":code".to_vec(), vec![0u8; 100]);
	let backend = InMemoryBackend::<Hashing>::from((kv, StateVersion::V1));
	let root = *backend.root();
	let proof =
		prove_read(backend, [batch_record_key(id), genesis_hash_key(), chain_id_key()]).unwrap();
	(root, proof.into_iter_nodes().collect())
}

/// The receipt of the instruction at batch position `position` (leaf `leaf`).
fn receipt(position: usize, leaf: u32) -> SettlementReceipt {
	let (batch, record) = batch();
	let leaves = batch_leaves(&batch, &record.failed, ChainId(1), &GENESIS);
	let (root, storage_proof) = state(4, true);
	let h = header(12, H256::repeat_byte(9), root);
	SettlementReceipt {
		instruction: batch[position].instruction.clone(),
		batch: 4,
		leaf,
		path: batch_path(&leaves, leaf),
		justification: justification(&h, &VOTERS[..3]),
		header: h,
		storage_proof,
		ancestry: vec![],
	}
}

fn verify(r: &SettlementReceipt) -> Result<VerifiedReceipt, ReceiptError> {
	verify_receipt(r, &trusted_set(&VOTERS))
}

#[test]
fn every_settled_instruction_has_a_valid_receipt() {
	let (batch, record) = batch();
	for (leaf, position) in [0usize, 2, 3, 4].into_iter().enumerate() {
		let r = receipt(position, leaf as u32);
		let v = verify(&r).unwrap();
		assert_eq!(v.instruction_hash, batch[position].instruction.hash(ChainId(1), &GENESIS));
		assert_eq!((v.chain_id, v.genesis, v.batch), (ChainId(1), GENESIS, 4));
		assert_eq!(v.record, record);
		assert_eq!(v.finalized, (12, r.header.hash()));
		assert_eq!(SettlementReceipt::decode_exact(&r.encode()).unwrap(), r);
	}
}

#[test]
fn a_failed_instruction_cannot_be_passed_off_as_settled() {
	// The instruction at position 1 failed: no leaf of the tree is its hash.
	for leaf in 0..4 {
		let mut r = receipt(0, leaf);
		r.instruction = batch().0[1].instruction.clone();
		assert_eq!(verify(&r), Err(ReceiptError::NotInBatch));
	}
}

#[test]
fn an_altered_amount_or_payee_is_not_in_the_batch() {
	let mut r = receipt(0, 0);
	r.instruction.amount += 1;
	assert_eq!(verify(&r), Err(ReceiptError::NotInBatch));
	let mut r = receipt(0, 0);
	r.instruction.payee = r.instruction.payer.clone();
	assert_eq!(verify(&r), Err(ReceiptError::NotInBatch));
}

#[test]
fn a_leaf_index_beyond_the_settled_count_is_rejected() {
	let mut r = receipt(4, 3);
	r.leaf = 4;
	assert_eq!(verify(&r), Err(ReceiptError::NotInBatch));
}

#[test]
fn a_receipt_claiming_another_batch_is_rejected() {
	// Batch 3 is in the state but the proof only covers batch 4's key.
	let mut r = receipt(0, 0);
	r.batch = 3;
	assert_eq!(verify(&r), Err(ReceiptError::Proof(BurnProofError::IncompleteProof)));
	// With a proof of batch 3, the path does not lead to its root.
	let (root, storage_proof) = state(3, true);
	let h = header(12, H256::repeat_byte(9), root);
	r.justification = justification(&h, &VOTERS[..3]);
	r.header = h;
	r.storage_proof = storage_proof;
	assert_eq!(verify(&r), Err(ReceiptError::NotInBatch));
}

#[test]
fn a_state_without_genesis_is_rejected() {
	let mut r = receipt(0, 0);
	let (root, storage_proof) = state(4, false);
	let h = header(12, H256::repeat_byte(9), root);
	r.justification = justification(&h, &VOTERS[..3]);
	r.header = h;
	r.storage_proof = storage_proof;
	assert_eq!(verify(&r), Err(ReceiptError::GenesisNotInState));
}

#[test]
fn a_receipt_from_another_chain_is_rejected() {
	let mut set = trusted_set(&VOTERS);
	set.chain_id = Some(ChainId(2));
	assert_eq!(
		verify_receipt(&receipt(0, 0), &set),
		Err(ReceiptError::Proof(BurnProofError::ChainIdMismatch))
	);
}

#[test]
fn a_receipt_below_two_thirds_is_rejected() {
	let mut r = receipt(0, 0);
	r.justification = justification(&r.header, &VOTERS[..2]);
	assert_eq!(verify(&r), Err(ReceiptError::Proof(BurnProofError::InsufficientVotes)));
}

#[test]
fn every_flipped_byte_is_rejected() {
	let encoded = receipt(2, 1).encode();
	for i in 0..encoded.len() {
		let mut tampered = encoded.clone();
		tampered[i] ^= 0x01;
		let outcome = SettlementReceipt::decode_exact(&tampered).and_then(|r| verify(&r));
		assert!(outcome.is_err(), "flipping byte {i} of {} went unnoticed", encoded.len());
	}
}

#[test]
fn receipt_keys_are_stable() {
	// Integrators compute these; changing them is a breaking change.
	let hex = |k: Vec<u8>| sp_core::hexdisplay::HexDisplay::from(&k).to_string();
	assert_eq!(
		hex(genesis_hash_key()),
		"26aa394eea5630e07c48ae0c9558cef7a44704b568d21667356a5a050c118746b4def25cfda6ef3a00000000"
	);
	assert_eq!(hex(batch_record_key(4)), "a56fe8526dd0fbcefe5e4cf42d4a8339693613c6489d72d2393dccb449b7d4528bd29707fa09a62b0400000000000000");
}
