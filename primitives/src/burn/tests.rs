//! The verifier against hand-built chains: a real trie, real ed25519 GRANDPA votes.

use super::*;
use codec::Encode;
use finality_grandpa::{Commit, Message, Precommit, SignedPrecommit};
use sp_consensus_grandpa::{AuthorityId, AuthoritySignature};
use sp_core::{Pair, H256};
use sp_keyring::Ed25519Keyring;
use sp_runtime::{traits::Hash as _, Digest, DigestItem, StateVersion};
use sp_state_machine::{prove_read, InMemoryBackend};
use std::collections::BTreeMap;

const ROUND: u64 = 7;
const SET_ID: SetId = 3;
pub(crate) const VOTERS: [Ed25519Keyring; 4] =
	[Ed25519Keyring::Alice, Ed25519Keyring::Bob, Ed25519Keyring::Charlie, Ed25519Keyring::Dave];

fn record(id: BurnId) -> TpchainBurnRecord {
	TpchainBurnRecord {
		id,
		burner: sp_keyring::Sr25519Keyring::Ferdie.to_account_id(),
		amount: 1_000_000 + id as u128,
		destination: Some(ChainId(2)),
		beneficiary: b"beneficiary-on-chain-2".to_vec().try_into().unwrap(),
		reference: b"invoice-2026-0042".to_vec().try_into().unwrap(),
		block: 10,
	}
}

pub(crate) fn trusted_set(voters: &[Ed25519Keyring]) -> TrustedAuthoritySet {
	TrustedAuthoritySet {
		chain_id: Some(ChainId(1)),
		set_id: SET_ID,
		authorities: voters.iter().map(|k| (AuthorityId::from(k.public()), 1)).collect(),
	}
}

/// State with 50 records and the chain id; returns the root and a proof of `id`.
fn state_with_records(id: BurnId) -> (H256, RawStorageProof) {
	let mut kv: BTreeMap<Vec<u8>, Vec<u8>> =
		(0..50).map(|i| (burn_record_key(i), record(i).encode())).collect();
	kv.insert(chain_id_key(), ChainId(1).encode());
	kv.insert(b":code".to_vec(), vec![0u8; 100]);
	let backend = InMemoryBackend::<Hashing>::from((kv, StateVersion::V1));
	let root = *backend.root();
	let proof = prove_read(backend, [burn_record_key(id), chain_id_key()]).unwrap();
	(root, proof.into_iter_nodes().collect())
}

pub(crate) fn header(number: BlockNumber, parent: H256, state_root: H256) -> Header {
	Header::new(
		number,
		Hashing::hash(b"extrinsics"),
		state_root,
		parent,
		Digest { logs: vec![DigestItem::Other(number.encode())] },
	)
}

pub(crate) fn signed(
	voter: Ed25519Keyring,
	target: &Header,
	round: u64,
	set_id: SetId,
) -> SignedPrecommit<H256, BlockNumber, AuthoritySignature, AuthorityId> {
	let precommit = Precommit { target_hash: target.hash(), target_number: *target.number() };
	let payload = sp_consensus_grandpa::localized_payload(
		round,
		set_id,
		&Message::<H256, BlockNumber>::Precommit(precommit.clone()),
	);
	SignedPrecommit {
		precommit,
		signature: voter.pair().sign(&payload).into(),
		id: voter.public().into(),
	}
}

pub(crate) fn justification(
	target: &Header,
	voters: &[Ed25519Keyring],
) -> GrandpaJustification<Header> {
	GrandpaJustification {
		round: ROUND,
		commit: Commit {
			target_hash: target.hash(),
			target_number: *target.number(),
			precommits: voters.iter().map(|v| signed(*v, target, ROUND, SET_ID)).collect(),
		},
		votes_ancestries: vec![],
	}
}

/// A burn proven at block 10, finalized at block 12 by 3 of the 4 voters.
fn bundle() -> BurnProofBundle {
	let (root, storage_proof) = state_with_records(7);
	let h10 = header(10, H256::repeat_byte(9), root);
	let h11 = header(11, h10.hash(), H256::repeat_byte(11));
	let h12 = header(12, h11.hash(), H256::repeat_byte(12));
	let justification = justification(&h12, &VOTERS[..3]);
	BurnProofBundle {
		record: record(7),
		header: h10,
		storage_proof,
		ancestry: vec![h11, h12],
		justification,
	}
}

fn verify(bundle: &BurnProofBundle) -> Result<VerifiedBurn, BurnProofError> {
	verify_burn_proof(bundle, &trusted_set(&VOTERS))
}

#[test]
fn valid_bundle_verifies() {
	let b = bundle();
	let v = verify(&b).unwrap();
	assert_eq!(v.record, record(7));
	assert_eq!(v.chain_id, ChainId(1));
	assert_eq!(v.proven_at, (10, b.header.hash()));
	assert_eq!(v.finalized, (12, b.ancestry[1].hash()));
	// The same bundle survives its wire format.
	assert_eq!(BurnProofBundle::decode_exact(&b.encode()).unwrap(), b);
}

#[test]
fn justified_burn_block_needs_no_ancestry() {
	let (root, storage_proof) = state_with_records(3);
	let h = header(5, H256::repeat_byte(1), root);
	let b = BurnProofBundle {
		record: record(3),
		justification: justification(&h, &VOTERS[1..]),
		header: h,
		storage_proof,
		ancestry: vec![],
	};
	assert_eq!(verify(&b).unwrap().finalized.0, 5);
}

#[test]
fn every_flipped_byte_is_rejected() {
	let encoded = bundle().encode();
	for i in 0..encoded.len() {
		let mut tampered = encoded.clone();
		tampered[i] ^= 0x01;
		let outcome = BurnProofBundle::decode_exact(&tampered).and_then(|b| verify(&b));
		assert!(outcome.is_err(), "flipping byte {i} of {} went unnoticed", encoded.len());
	}
}

#[test]
fn justification_below_two_thirds_is_rejected() {
	let mut b = bundle();
	b.justification.commit.precommits.truncate(2);
	assert_eq!(verify(&b), Err(BurnProofError::InsufficientVotes));
}

#[test]
fn vote_from_key_outside_the_set_is_rejected() {
	let mut b = bundle();
	let target = b.ancestry[1].clone();
	b.justification.commit.precommits[2] = signed(Ed25519Keyring::Eve, &target, ROUND, SET_ID);
	assert_eq!(verify(&b), Err(BurnProofError::UnknownAuthority));
}

#[test]
fn forged_signature_is_rejected() {
	let mut b = bundle();
	let target = b.ancestry[1].clone();
	// Dave's id, Eve's signature.
	let mut forged = signed(Ed25519Keyring::Eve, &target, ROUND, SET_ID);
	forged.id = Ed25519Keyring::Dave.public().into();
	b.justification.commit.precommits[2] = forged;
	assert_eq!(verify(&b), Err(BurnProofError::InvalidSignature));
}

#[test]
fn votes_for_another_set_or_round_are_rejected() {
	let mut b = bundle();
	let target = b.ancestry[1].clone();
	b.justification.commit.precommits[0] = signed(VOTERS[0], &target, ROUND, SET_ID + 1);
	assert_eq!(verify(&b), Err(BurnProofError::InvalidSignature));
	let mut b = bundle();
	b.justification.commit.precommits[0] = signed(VOTERS[0], &target, ROUND + 1, SET_ID);
	assert_eq!(verify(&b), Err(BurnProofError::InvalidSignature));
}

#[test]
fn duplicated_vote_is_rejected() {
	let mut b = bundle();
	let first = b.justification.commit.precommits[0].clone();
	b.justification.commit.precommits[1] = first;
	assert_eq!(verify(&b), Err(BurnProofError::DuplicateVote));
}

#[test]
fn justification_for_a_different_block_is_rejected() {
	let mut b = bundle();
	let other = header(12, H256::repeat_byte(0xee), H256::zero());
	b.justification = justification(&other, &VOTERS[..3]);
	assert_eq!(verify(&b), Err(BurnProofError::JustificationTargetMismatch));
	// Justifying the burn block's parent does not finalize the burn either.
	let mut b = bundle();
	b.ancestry.clear();
	let parent = header(9, H256::repeat_byte(8), H256::zero());
	b.justification = justification(&parent, &VOTERS[..3]);
	assert_eq!(verify(&b), Err(BurnProofError::JustificationTargetMismatch));
}

#[test]
fn gap_in_ancestry_is_rejected() {
	let mut b = bundle();
	b.ancestry.remove(0);
	assert_eq!(verify(&b), Err(BurnProofError::BrokenAncestry));
}

#[test]
fn header_with_other_state_root_is_rejected() {
	let mut b = bundle();
	b.header.state_root = H256::repeat_byte(0x42);
	// Re-link the chain so only the state root is wrong.
	b.ancestry[0].parent_hash = b.header.hash();
	b.ancestry[1].parent_hash = b.ancestry[0].hash();
	b.justification = justification(&b.ancestry[1], &VOTERS[..3]);
	assert_eq!(verify(&b), Err(BurnProofError::StateRootMismatch));
}

#[test]
fn duplicated_trie_node_is_rejected() {
	let mut b = bundle();
	let node = b.storage_proof[0].clone();
	b.storage_proof.push(node);
	assert_eq!(verify(&b), Err(BurnProofError::DuplicateProofNode));
}

#[test]
fn unused_trie_node_is_rejected() {
	let mut b = bundle();
	// A node from a proof of another record is valid trie data, but not needed here.
	let (_, other) = state_with_records(40);
	let extra = other.into_iter().find(|n| !b.storage_proof.contains(n)).unwrap();
	b.storage_proof.push(extra);
	assert_eq!(verify(&b), Err(BurnProofError::UnusedProofNode));
}

#[test]
fn missing_trie_node_is_rejected() {
	let mut b = bundle();
	let root = b.header.state_root;
	let pos = b.storage_proof.iter().position(|n| Hashing::hash(n) != root).unwrap();
	b.storage_proof.remove(pos);
	assert_eq!(verify(&b), Err(BurnProofError::IncompleteProof));
}

#[test]
fn record_differing_from_state_is_rejected() {
	let mut b = bundle();
	b.record.amount += 1;
	assert_eq!(verify(&b), Err(BurnProofError::RecordMismatch));
	// Claiming another id: the proof does not cover its key.
	let mut b = bundle();
	b.record = record(8);
	assert_eq!(verify(&b), Err(BurnProofError::IncompleteProof));
}

#[test]
fn burn_on_another_chain_is_rejected() {
	let mut set = trusted_set(&VOTERS);
	set.chain_id = Some(ChainId(99));
	assert_eq!(verify_burn_proof(&bundle(), &set), Err(BurnProofError::ChainIdMismatch));
	set.chain_id = None;
	assert!(verify_burn_proof(&bundle(), &set).is_ok());
}

#[test]
fn bundle_signed_by_another_set_is_rejected() {
	// Same keys, but the verifier trusts set 3 and the votes are for set 4.
	let mut set = trusted_set(&VOTERS);
	set.set_id = SET_ID + 1;
	assert_eq!(verify_burn_proof(&bundle(), &set), Err(BurnProofError::InvalidSignature));
	// An empty trusted set verifies nothing.
	set.authorities.clear();
	assert_eq!(verify_burn_proof(&bundle(), &set), Err(BurnProofError::InvalidAuthoritySet));
}

#[test]
fn trailing_bytes_are_rejected() {
	let mut encoded = bundle().encode();
	encoded.push(0);
	assert_eq!(BurnProofBundle::decode_exact(&encoded), Err(BurnProofError::Malformed));
}

#[test]
fn storage_keys_are_stable() {
	// Integrators and other chains compute these; changing them is a breaking change.
	assert_eq!(
		sp_core::hexdisplay::HexDisplay::from(&chain_id_key()).to_string(),
		"56ef45f39658b5ec2b6ef6b8a55541051fb37eb95a343431c51e08b67af5cc79".to_string()
	);
	let key = burn_record_key(5);
	assert_eq!(key.len(), 32 + 16 + 8);
	assert_eq!(&key[48..], &5u64.to_le_bytes());
}

#[test]
fn trusted_set_reads_from_json() {
	let json = r#"{"chainId": 1, "setId": 3, "authorities": [
		["5FA9nQDVg267DEd8m1ZypXLBnvN7SFxYwV7ndqSYGiN9TTpu", 1]]}"#;
	let set: TrustedAuthoritySet = serde_json::from_str(json).unwrap();
	assert_eq!(set.authorities[0].0, Ed25519Keyring::Alice.public().into());
	assert_eq!(set.chain_id, Some(ChainId(1)));
	assert!(serde_json::from_str::<TrustedAuthoritySet>(
		r#"{"setId": 1, "authorities": [], "x": 1}"#
	)
	.is_err());
}
