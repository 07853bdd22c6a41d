//! Builders of counterparty headers, GRANDPA justifications and burn-record storage proofs,
//! shared by the unit tests and the benchmarks. Keys live in the keystore extension (the
//! benchmark CLI provides one; tests register a memory keystore), so this works in the wasm
//! runtime as well as natively.

use crate::Justification;
use alloc::{format, vec, vec::Vec};
use bp_header_chain::justification::GrandpaJustification;
use codec::Encode;
use finality_grandpa::{Commit, Message, Precommit, SignedPrecommit};
use sp_consensus_grandpa::{AuthorityId, AuthorityList, ConsensusLog, ScheduledChange, SetId};
use sp_core::crypto::KeyTypeId;
use sp_runtime::{
	traits::{BlakeTwo256, Header as HeaderT},
	Digest, DigestItem,
};
use sp_trie::{
	recorder_ext::RecorderExt, LayoutV1, MemoryDB, Recorder, Trie, TrieDBBuilder, TrieDBMutBuilder,
	TrieMut,
};
use tpchain_primitives::{
	burn::{burn_record_key, chain_id_key, TpchainBurnRecord},
	message::{outbound_message_key, TpchainOutboundMessage},
	BlockNumber, ChainId, Hash, Header,
};

/// Keystore key type of the test authorities.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"brtk");

/// Round number of the justifications built here.
pub const ROUND: u64 = 7;

/// The `i`-th test authority (deterministic: the same seed gives the same key).
pub fn authority(i: u32) -> AuthorityId {
	let seed = format!("//BridgeAuthority{i}").into_bytes();
	sp_io::crypto::ed25519_generate(KEY_TYPE, Some(seed)).into()
}

/// Authorities `from..from + n`.
pub fn authorities(from: u32, n: u32) -> Vec<AuthorityId> {
	(from..from + n).map(authority).collect()
}

/// Equal-weight authority list.
pub fn authority_list(keys: &[AuthorityId]) -> AuthorityList {
	keys.iter().map(|k| (k.clone(), 1)).collect()
}

/// How many of `n` equal-weight authorities a justification needs (more than 2/3).
pub fn threshold(n: usize) -> usize {
	n - n.saturating_sub(1) / 3
}

/// A header with the given parent, state root and digest.
pub fn header(number: BlockNumber, parent: Hash, state_root: Hash, digest: Digest) -> Header {
	Header::new(number, Default::default(), state_root, parent, digest)
}

/// A digest the size of a tpchain block's: an Aura slot and an sr25519 seal.
pub fn seal() -> Digest {
	Digest {
		logs: vec![
			DigestItem::PreRuntime(*b"aura", 7u64.encode()),
			DigestItem::Seal(*b"aura", vec![0x5e; 64]),
		],
	}
}

/// A digest scheduling `next` with a delay of `delay` blocks.
pub fn scheduled_change(next: AuthorityList, delay: BlockNumber) -> Digest {
	let log = ConsensusLog::ScheduledChange(ScheduledChange { next_authorities: next, delay });
	Digest {
		logs: vec![DigestItem::Consensus(sp_consensus_grandpa::GRANDPA_ENGINE_ID, log.encode())],
	}
}

/// A digest forcing `next` after `delay` blocks (median last finalized 0).
pub fn forced_change(next: AuthorityList, delay: BlockNumber) -> Digest {
	let log = ConsensusLog::ForcedChange(0, ScheduledChange { next_authorities: next, delay });
	Digest {
		logs: vec![DigestItem::Consensus(sp_consensus_grandpa::GRANDPA_ENGINE_ID, log.encode())],
	}
}

/// `signer`'s precommit for `target` in `round` of `set_id`.
pub fn precommit(
	signer: &AuthorityId,
	target: &Header,
	round: u64,
	set_id: SetId,
) -> SignedPrecommit<Hash, BlockNumber, sp_consensus_grandpa::AuthoritySignature, AuthorityId> {
	let precommit = Precommit { target_hash: target.hash(), target_number: *target.number() };
	let payload = sp_consensus_grandpa::localized_payload(
		round,
		set_id,
		&Message::<Hash, BlockNumber>::Precommit(precommit.clone()),
	);
	let public: sp_core::ed25519::Public = signer.clone().into();
	let signature = sp_io::crypto::ed25519_sign(KEY_TYPE, &public, &payload)
		.expect("test authorities are in the keystore");
	SignedPrecommit { precommit, signature: signature.into(), id: signer.clone() }
}

/// A justification of `target` in [`ROUND`] of `set_id`, signed by `signers`.
pub fn justification(target: &Header, set_id: SetId, signers: &[AuthorityId]) -> Justification {
	GrandpaJustification {
		round: ROUND,
		commit: Commit {
			target_hash: target.hash(),
			target_number: *target.number(),
			precommits: signers.iter().map(|s| precommit(s, target, ROUND, set_id)).collect(),
		},
		votes_ancestries: vec![],
	}
}

/// A state holding `record` and the chain id `chain` (plus `depth` keys branching off the
/// record's path, to deepen the proof), its root and a proof of exactly the two values.
pub fn burn_state(
	chain: ChainId,
	record: &TpchainBurnRecord,
	depth: u32,
) -> (Hash, sp_trie::RawStorageProof) {
	value_state(chain, burn_record_key(record.id), record.encode(), depth)
}

/// A state holding `message` towards `destination` and the chain id `chain`, as
/// [`burn_state`] does for a burn record.
pub fn message_state(
	chain: ChainId,
	destination: ChainId,
	message: &TpchainOutboundMessage,
	depth: u32,
) -> (Hash, sp_trie::RawStorageProof) {
	value_state(chain, outbound_message_key(destination, message.nonce), message.encode(), depth)
}

/// A state holding `value` under `key` and the chain id `chain` (plus `depth` keys branching
/// off `key`'s path, to deepen the proof), its root and a proof of exactly the two values.
pub fn value_state(
	chain: ChainId,
	key: Vec<u8>,
	value: Vec<u8>,
	depth: u32,
) -> (Hash, sp_trie::RawStorageProof) {
	// `new(&[0])`: the empty-trie node; `default()` needs std.
	let mut db = MemoryDB::<BlakeTwo256>::new(&[0u8]);
	let mut root = Hash::default();
	{
		let mut trie = TrieDBMutBuilder::<LayoutV1<BlakeTwo256>>::new(&mut db, &mut root).build();
		trie.insert(&key, &value).expect("in-memory trie");
		trie.insert(&chain_id_key(), &chain.encode()).expect("in-memory trie");
		// A key that leaves the value's path at nibble `j` adds a branch node at depth `j`.
		for j in 0..depth.min(key.len() as u32 * 2) {
			let mut other = key.clone();
			let byte = (j / 2) as usize;
			other[byte] ^= if j % 2 == 0 { 0x10 } else { 0x01 };
			trie.insert(&other, &[j as u8; 8]).expect("in-memory trie");
		}
	}
	let mut recorder = Recorder::<LayoutV1<BlakeTwo256>>::new();
	{
		let trie = TrieDBBuilder::<LayoutV1<BlakeTwo256>>::new(&db, &root)
			.with_recorder(&mut recorder)
			.build();
		trie.get(&key).expect("in-memory trie");
		trie.get(&chain_id_key()).expect("in-memory trie");
	}
	(root, recorder.into_raw_storage_proof())
}

/// A state holding every one of `records` and the chain id `chain`, its root and one proof
/// per record (of it and the chain id).
pub fn burns_state(
	chain: ChainId,
	records: &[TpchainBurnRecord],
) -> (Hash, Vec<sp_trie::RawStorageProof>) {
	let mut db = MemoryDB::<BlakeTwo256>::new(&[0u8]);
	let mut root = Hash::default();
	{
		let mut trie = TrieDBMutBuilder::<LayoutV1<BlakeTwo256>>::new(&mut db, &mut root).build();
		for record in records {
			trie.insert(&burn_record_key(record.id), &record.encode()).expect("in-memory trie");
		}
		trie.insert(&chain_id_key(), &chain.encode()).expect("in-memory trie");
	}
	let proofs = records
		.iter()
		.map(|record| {
			let mut recorder = Recorder::<LayoutV1<BlakeTwo256>>::new();
			{
				let trie = TrieDBBuilder::<LayoutV1<BlakeTwo256>>::new(&db, &root)
					.with_recorder(&mut recorder)
					.build();
				trie.get(&burn_record_key(record.id)).expect("in-memory trie");
				trie.get(&chain_id_key()).expect("in-memory trie");
			}
			recorder.into_raw_storage_proof()
		})
		.collect();
	(root, proofs)
}

/// Like [`justification`], but the first signer votes for the `v`-th descendant of `target`,
/// so the justification carries `v` vote-ancestry headers (all needed).
pub fn justification_with_ancestry(
	target: &Header,
	set_id: SetId,
	signers: &[AuthorityId],
	v: u32,
) -> Justification {
	let mut j = justification(target, set_id, signers);
	if v == 0 || signers.is_empty() {
		return j;
	}
	let mut tip = target.clone();
	for _ in 0..v {
		let child = header(tip.number + 1, tip.hash(), Hash::repeat_byte(0x5a), Default::default());
		j.votes_ancestries.push(child.clone());
		tip = child;
	}
	j.commit.precommits[0] = precommit(&signers[0], &tip, ROUND, set_id);
	j
}
