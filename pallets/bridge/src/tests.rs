//! Unit tests: every call works, every rejection leaves the state unchanged.

use crate::{mock::*, testing::*, *};
use frame_support::{
	assert_noop, assert_ok, dispatch::DispatchInfo, traits::fungible::Inspect as _,
};
use sp_consensus_grandpa::AuthorityId;
use sp_runtime::{
	traits::{BadOrigin, BlakeTwo256, DispatchTransaction, Hash as _},
	transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
	Digest,
};
use tpchain_primitives::{
	burn::TpchainBurnRecord, message::TpchainOutboundMessage, AccountId as TpAccount, Hash,
};

const SET_ID: SetId = 3;
const CAP: Balance = 1_000;
const WINDOW: u64 = 10;
const WINDOW_LIMIT: Balance = 1_500;
const QUARANTINE_ABOVE: Balance = 500;
const DELAY: u64 = 5;
const HEADER_THRESHOLD: Balance = 2 * CAP;

fn limits() -> BridgeLimits<Balance, u64> {
	BridgeLimits {
		max_transfer: CAP,
		window: WINDOW,
		window_limit: WINDOW_LIMIT,
		quarantine_threshold: QUARANTINE_ABOVE,
		quarantine_delay: DELAY,
		header_threshold: HEADER_THRESHOLD,
		min_header_age: 0,
	}
}

/// Chain A's trusted starting point: header #10 and a set of four authorities.
struct Light {
	set: Vec<AuthorityId>,
	set_id: SetId,
	best: Header,
}

fn anchor() -> Header {
	header(10, Hash::repeat_byte(9), Hash::repeat_byte(10), Default::default())
}

fn setup() -> Light {
	let set = authorities(0, 4);
	let best = anchor();
	assert_ok!(Bridge::initialize(
		RuntimeOrigin::root(),
		A,
		Box::new(best.clone()),
		authority_list(&set),
		SET_ID
	));
	assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), A, limits()));
	Light { set, set_id: SET_ID, best }
}

fn signers(set: &[AuthorityId]) -> Vec<AuthorityId> {
	set[..threshold(set.len())].to_vec()
}

impl Light {
	/// The child of the best header with `state_root` and `digest`.
	fn next(&self, state_root: Hash, digest: Digest) -> Header {
		header(self.best.number + 1, self.best.hash(), state_root, digest)
	}

	fn submit(&self, h: &Header, j: Justification) -> DispatchResultWithPostInfo {
		self.submit_with(h, j, vec![])
	}

	fn submit_with(
		&self,
		h: &Header,
		j: Justification,
		ancestry: Vec<Header>,
	) -> DispatchResultWithPostInfo {
		Bridge::submit_finality_proof(
			RuntimeOrigin::signed(RELAYER),
			A,
			Box::new(h.clone()),
			j,
			self.set_id,
			ancestry,
		)
	}

	/// `n` descendants of the best header (newest first, as an ancestry) and the header after
	/// them with `state_root`.
	fn descendant(&self, n: u32, state_root: Hash) -> (Header, Vec<Header>) {
		let mut ancestry = Vec::new();
		let mut parent = self.best.clone();
		for _ in 0..n {
			let child = header(parent.number + 1, parent.hash(), Hash::repeat_byte(0x77), seal());
			ancestry.insert(0, child.clone());
			parent = child;
		}
		(header(parent.number + 1, parent.hash(), state_root, Default::default()), ancestry)
	}

	/// Imports the child of the best header with `state_root`, justified by the set.
	fn import(&mut self, state_root: Hash) -> Header {
		let h = self.next(state_root, Default::default());
		assert_ok!(self.submit(&h, justification(&h, self.set_id, &signers(&self.set))));
		self.best = h.clone();
		h
	}
}

fn beneficiary(who: AccountId) -> tpchain_primitives::burn::Beneficiary {
	who.encode().try_into().unwrap()
}

fn record(id: BurnId, amount: Balance, to: AccountId) -> TpchainBurnRecord {
	TpchainBurnRecord {
		id,
		burner: TpAccount::new([1; 32]),
		amount,
		destination: Some(B),
		beneficiary: beneficiary(to),
		reference: b"ref".to_vec().try_into().unwrap(),
		block: 3,
	}
}

/// Imports a header of A whose state holds `record` and returns the mint proof for it.
fn proven(light: &mut Light, chain: ChainId, record: &TpchainBurnRecord) -> MintProof {
	let (root, storage_proof) = burn_state(chain, record, 0);
	let h = light.import(root);
	MintProof { at: h.hash(), burn_id: record.id, storage_proof }
}

fn mint(proof: MintProof) -> DispatchResult {
	Bridge::mint_from_burn(RuntimeOrigin::signed(RELAYER), A, proof)
}

fn totals() -> BridgeTotals<Balance> {
	Counterparties::<Test>::get(A).unwrap().totals
}

fn last_event() -> RuntimeEvent {
	System::events().pop().expect("an event").event
}

fn check_state() {
	Bridge::do_try_state().unwrap();
}

// --- initialize -------------------------------------------------------------------------

#[test]
fn initialize_works() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let state = Counterparties::<Test>::get(A).unwrap();
		assert_eq!(state.best.hash, light.best.hash());
		assert_eq!(state.best.state_root, light.best.state_root);
		assert!(!state.halted);
		let set = AuthoritySets::<Test>::get(A).unwrap();
		assert_eq!((set.set_id, set.authorities.len()), (SET_ID, 4));
		assert!(ImportedHeaders::<Test>::contains_key(A, light.best.hash()));
		System::assert_has_event(
			Event::Initialized {
				counterparty: A,
				number: 10,
				hash: light.best.hash(),
				set_id: SET_ID,
				authorities: 4,
			}
			.into(),
		);
		check_state();
	});
}

#[test]
fn reinitialize_keeps_limits_accounting_and_breaker() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven(&mut light, A, &record(0, 100, ALICE));
		assert_ok!(mint(proof));
		assert_ok!(Bridge::halt(RuntimeOrigin::root(), A));
		let new_set = authorities(10, 5);
		let h = header(50, Hash::repeat_byte(1), Hash::repeat_byte(2), Default::default());
		assert_ok!(Bridge::initialize(
			RuntimeOrigin::root(),
			A,
			Box::new(h.clone()),
			authority_list(&new_set),
			9
		));
		let state = Counterparties::<Test>::get(A).unwrap();
		assert_eq!(state.best.number, 50);
		assert!(state.halted);
		assert_eq!(state.limits, limits());
		assert_eq!(state.totals.minted, 100);
		assert_eq!(AuthoritySets::<Test>::get(A).unwrap().set_id, 9);
		assert!(Bridge::is_consumed(A, 0));
		check_state();
	});
}

#[test]
fn initialize_rejects_bad_origin_and_bad_sets() {
	new_test_ext().execute_with(|| {
		let set = authority_list(&authorities(0, 4));
		let h = Box::new(anchor());
		let init = |origin, chain, set: AuthorityList| {
			Bridge::initialize(origin, chain, h.clone(), set, 0)
		};
		assert_noop!(init(RuntimeOrigin::signed(ALICE), A, set.clone()), BadOrigin);
		assert_noop!(init(RuntimeOrigin::root(), B, set.clone()), Error::<Test>::OwnChain);
		assert_noop!(init(RuntimeOrigin::root(), A, vec![]), Error::<Test>::InvalidAuthoritySet);
		let mut zero = set.clone();
		zero[0].1 = 0;
		assert_noop!(init(RuntimeOrigin::root(), A, zero), Error::<Test>::InvalidAuthoritySet);
		let mut dup = set.clone();
		dup[1] = dup[0].clone();
		assert_noop!(init(RuntimeOrigin::root(), A, dup), Error::<Test>::InvalidAuthoritySet);
		let too_many = authority_list(&authorities(0, MAX_AUTHORITIES + 1));
		assert_noop!(init(RuntimeOrigin::root(), A, too_many), Error::<Test>::TooManyAuthorities);
		assert_ok!(init(RuntimeOrigin::root(), A, set.clone()));
		assert_ok!(init(RuntimeOrigin::root(), ChainId(3), set.clone()));
		assert_noop!(
			init(RuntimeOrigin::root(), ChainId(4), set),
			Error::<Test>::TooManyCounterparties
		);
	});
}

// --- submit_finality_proof ------------------------------------------------------------

#[test]
fn submit_finality_proof_works() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let h = light.import(Hash::repeat_byte(42));
		let state = Counterparties::<Test>::get(A).unwrap();
		assert_eq!(
			state.best,
			FinalizedHeader { number: 11, hash: h.hash(), state_root: Hash::repeat_byte(42) }
		);
		assert_eq!(
			last_event(),
			Event::HeaderImported { counterparty: A, number: 11, hash: h.hash() }.into()
		);
		check_state();
	});
}

#[test]
fn headers_may_skip_blocks_without_set_changes() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let (h, ancestry) = light.descendant(MAX_ANCESTRY, Hash::repeat_byte(4));
		assert_ok!(light.submit_with(
			&h,
			justification(&h, SET_ID, &signers(&light.set)),
			ancestry
		));
		assert_eq!(Bridge::best_finalized(A).unwrap().number, 10 + MAX_ANCESTRY + 1);
		check_state();
	});
}

#[test]
fn forged_signature_is_rejected() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let h = light.next(Hash::repeat_byte(1), Default::default());
		let mut j = justification(&h, SET_ID, &signers(&light.set));
		let raw: &[u8] = j.commit.precommits[0].signature.as_ref();
		let mut sig: [u8; 64] = raw.try_into().unwrap();
		sig[5] ^= 1;
		j.commit.precommits[0].signature = sp_core::ed25519::Signature::from_raw(sig).into();
		assert_noop!(light.submit(&h, j), Error::<Test>::InvalidSignature);
	});
}

#[test]
fn vote_from_unknown_key_is_rejected() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let h = light.next(Hash::repeat_byte(1), Default::default());
		let mut voters = signers(&light.set);
		voters[0] = authority(77);
		assert_noop!(
			light.submit(&h, justification(&h, SET_ID, &voters)),
			Error::<Test>::UnknownAuthority
		);
	});
}

#[test]
fn justification_below_threshold_is_rejected() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let h = light.next(Hash::repeat_byte(1), Default::default());
		let two_of_four = light.set[..2].to_vec();
		assert_noop!(
			light.submit(&h, justification(&h, SET_ID, &two_of_four)),
			Error::<Test>::InsufficientVotes
		);
	});
}

#[test]
fn votes_for_another_round_or_set_are_rejected() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let h = light.next(Hash::repeat_byte(1), Default::default());
		let voters = signers(&light.set);
		// Signed for another set id, presented under the stored one.
		assert_noop!(
			light.submit(&h, justification(&h, SET_ID + 1, &voters)),
			Error::<Test>::InvalidSignature
		);
		// Signed for round ROUND, claimed for another round.
		let mut j = justification(&h, SET_ID, &voters);
		j.round += 1;
		assert_noop!(light.submit(&h, j), Error::<Test>::InvalidSignature);
		// The caller's set id must be the stored one.
		assert_noop!(
			Bridge::submit_finality_proof(
				RuntimeOrigin::signed(RELAYER),
				A,
				Box::new(h.clone()),
				justification(&h, SET_ID, &voters),
				SET_ID + 1,
				vec![]
			),
			Error::<Test>::InvalidSetId
		);
	});
}

#[test]
fn justification_for_another_block_is_rejected() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let h = light.next(Hash::repeat_byte(1), Default::default());
		let other = light.next(Hash::repeat_byte(2), Default::default());
		assert_noop!(
			light.submit(&h, justification(&other, SET_ID, &signers(&light.set))),
			Error::<Test>::JustificationTargetMismatch
		);
	});
}

#[test]
fn duplicate_and_redundant_votes_are_rejected() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let h = light.next(Hash::repeat_byte(1), Default::default());
		let mut j = justification(&h, SET_ID, &light.set[..2]);
		let repeated = j.commit.precommits[0].clone();
		j.commit.precommits.push(repeated);
		assert_noop!(light.submit(&h, j), Error::<Test>::DuplicateVote);
		// All four sign: the fourth vote is beyond the threshold of three.
		assert_noop!(
			light.submit(&h, justification(&h, SET_ID, &light.set)),
			Error::<Test>::RedundantVote
		);
	});
}

#[test]
fn old_or_equal_header_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let h = light.import(Hash::repeat_byte(1));
		assert_noop!(
			light.submit(&h, justification(&h, SET_ID, &signers(&light.set))),
			Error::<Test>::OldHeader
		);
		let older = header(9, Hash::repeat_byte(0), Hash::repeat_byte(0), Default::default());
		assert_noop!(
			light.submit(&older, justification(&older, SET_ID, &signers(&light.set))),
			Error::<Test>::OldHeader
		);
	});
}

#[test]
fn authority_set_change_is_followed() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let new_set = authorities(4, 7);
		let h = light.next(Hash::repeat_byte(1), scheduled_change(authority_list(&new_set), 0));
		// The change header is signed by the current set.
		assert_ok!(light.submit(&h, justification(&h, SET_ID, &signers(&light.set))));
		System::assert_has_event(
			Event::AuthoritySetChanged { counterparty: A, set_id: SET_ID + 1, authorities: 7 }
				.into(),
		);
		light.best = h;
		// Later headers: only the new set (and id) verifies.
		let next = light.next(Hash::repeat_byte(2), Default::default());
		let by_old = justification(&next, SET_ID, &signers(&light.set));
		assert_noop!(
			Bridge::submit_finality_proof(
				RuntimeOrigin::signed(RELAYER),
				A,
				Box::new(next.clone()),
				by_old,
				SET_ID,
				vec![]
			),
			Error::<Test>::InvalidSetId
		);
		(light.set, light.set_id) = (new_set, SET_ID + 1);
		light.import(Hash::repeat_byte(2));
		check_state();
	});
}

#[test]
fn skipped_authority_set_change_is_rejected() {
	new_test_ext().execute_with(|| {
		let light = setup();
		// A's set changed at a header the relayer did not submit; a later header signed by
		// the new set (for the next set id) does not verify against the stored set.
		let new_set = authorities(4, 4);
		let change =
			light.next(Hash::repeat_byte(5), scheduled_change(authority_list(&new_set), 0));
		let later = header(12, change.hash(), Hash::repeat_byte(6), Default::default());
		assert_noop!(
			light.submit_with(
				&later,
				justification(&later, SET_ID + 1, &signers(&new_set)),
				vec![change.clone()]
			),
			Error::<Test>::AncestryChangesAuthorities
		);
		// Without the ancestry it does not reach the best header.
		assert_noop!(
			light.submit(&later, justification(&later, SET_ID + 1, &signers(&new_set))),
			Error::<Test>::AncestryNotToBest
		);
		assert_noop!(
			Bridge::submit_finality_proof(
				RuntimeOrigin::signed(RELAYER),
				A,
				Box::new(later.clone()),
				justification(&later, SET_ID + 1, &signers(&new_set)),
				SET_ID + 1,
				vec![]
			),
			Error::<Test>::InvalidSetId
		);
	});
}

#[test]
fn forced_change_is_rejected() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let h = light.next(Hash::repeat_byte(1), forced_change(authority_list(&light.set), 0));
		assert_noop!(
			light.submit(&h, justification(&h, SET_ID, &signers(&light.set))),
			Error::<Test>::ForcedChange
		);
	});
}

#[test]
fn delayed_or_invalid_scheduled_change_is_rejected() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let voters = signers(&light.set);
		let h = light.next(Hash::repeat_byte(1), scheduled_change(authority_list(&light.set), 3));
		assert_noop!(
			light.submit(&h, justification(&h, SET_ID, &voters)),
			Error::<Test>::UnsupportedScheduledChange
		);
		let h = light.next(Hash::repeat_byte(1), scheduled_change(vec![], 0));
		assert_noop!(
			light.submit(&h, justification(&h, SET_ID, &voters)),
			Error::<Test>::InvalidAuthoritySet
		);
		let too_many = authority_list(&authorities(0, MAX_AUTHORITIES + 1));
		let h = light.next(Hash::repeat_byte(1), scheduled_change(too_many, 0));
		assert_noop!(
			light.submit(&h, justification(&h, SET_ID, &voters)),
			Error::<Test>::TooManyAuthorities
		);
	});
}

#[test]
fn submit_finality_proof_rejects_unknown_counterparty_and_halted_bridge() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let h = light.next(Hash::repeat_byte(1), Default::default());
		let j = justification(&h, SET_ID, &signers(&light.set));
		assert_noop!(
			Bridge::submit_finality_proof(
				RuntimeOrigin::signed(RELAYER),
				ChainId(3),
				Box::new(h.clone()),
				j.clone(),
				SET_ID,
				vec![]
			),
			Error::<Test>::UnknownCounterparty
		);
		assert_ok!(Bridge::halt(RuntimeOrigin::root(), A));
		assert_noop!(light.submit(&h, j), Error::<Test>::Halted);
	});
}

#[test]
fn header_ring_keeps_the_newest_headers() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let first = light.import(Hash::repeat_byte(1));
		for i in 0..HEADERS_TO_KEEP {
			light.import(Hash::repeat_byte(2 + i as u8));
		}
		assert!(!ImportedHeaders::<Test>::contains_key(A, first.hash()));
		assert_eq!(ImportedHeaders::<Test>::iter_prefix(A).count() as u32, HEADERS_TO_KEEP);
		assert!(ImportedHeaders::<Test>::contains_key(A, light.best.hash()));
		check_state();
	});
}

// --- mint_from_burn --------------------------------------------------------------------

#[test]
fn mint_from_burn_works() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven(&mut light, A, &record(0, 300, 42));
		let issuance = Balances::total_issuance();
		assert_ok!(mint(proof));
		assert_eq!(Balances::balance(&42), 300);
		assert_eq!(Balances::total_issuance(), issuance + 300);
		assert_eq!(
			totals(),
			BridgeTotals { proven: 300, minted: 300, quarantined: 0, cancelled: 0 }
		);
		assert_eq!(Consumed::<Test>::get(A, 0), Some(Consumption::Minted(1)));
		assert_eq!(
			last_event(),
			Event::Minted { counterparty: A, burn_id: 0, beneficiary: 42, amount: 300 }.into()
		);
		check_state();
	});
}

#[test]
fn replayed_burn_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven(&mut light, A, &record(0, 300, 42));
		assert_ok!(mint(proof.clone()));
		assert_noop!(mint(proof), Error::<Test>::AlreadyConsumed);
		assert_eq!(Balances::balance(&42), 300);
	});
}

#[test]
fn mint_proof_against_unkept_header_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven(&mut light, A, &record(0, 300, 42));
		for i in 0..HEADERS_TO_KEEP {
			light.import(Hash::repeat_byte(100 + i as u8));
		}
		assert_noop!(mint(proof.clone()), Error::<Test>::UnknownHeader);
		let mut unknown = proof;
		unknown.at = Hash::repeat_byte(0xee);
		assert_noop!(mint(unknown), Error::<Test>::UnknownHeader);
	});
}

#[test]
fn duplicate_unused_or_missing_trie_nodes_are_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven(&mut light, A, &record(0, 300, 42));
		let mut dup = proof.clone();
		dup.storage_proof.push(dup.storage_proof[0].clone());
		assert_noop!(mint(dup), Error::<Test>::DuplicateProofNode);
		let (_, other) = burn_state(A, &record(1, 5, 43), 3);
		let mut unused = proof.clone();
		unused.storage_proof.extend(other.into_iter().filter(|n| !proof.storage_proof.contains(n)));
		assert_noop!(mint(unused), Error::<Test>::UnusedProofNode);
		let mut missing = proof.clone();
		let value = record(0, 300, 42).encode();
		missing.storage_proof.retain(|n| *n != value);
		assert_noop!(mint(missing), Error::<Test>::IncompleteProof);
		let mut rootless = proof.clone();
		rootless.storage_proof.retain(|n| BlakeTwo256::hash(n) != light.best.state_root);
		assert_noop!(mint(rootless), Error::<Test>::StateRootMismatch);
	});
}

#[test]
fn tampered_record_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let honest = record(0, 300, 42);
		let proof = proven(&mut light, A, &honest);
		// Swap the record's value node for one claiming a larger amount.
		let mut tampered = proof.clone();
		let encoded = honest.encode();
		let node = tampered.storage_proof.iter_mut().find(|n| **n == encoded).expect("value node");
		*node = record(0, 900, 42).encode();
		assert_noop!(mint(tampered), Error::<Test>::IncompleteProof);
		// Asking for another burn id than the proof holds: the proof shows it absent.
		let mut other_id = proof;
		other_id.burn_id = 1;
		assert_noop!(mint(other_id), Error::<Test>::RecordNotInState);
	});
}

#[test]
fn burn_from_another_chain_or_to_another_destination_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven(&mut light, ChainId(3), &record(0, 300, 42));
		assert_noop!(mint(proof), Error::<Test>::WrongSourceChain);
		let mut elsewhere = record(1, 300, 42);
		elsewhere.destination = Some(ChainId(3));
		let proof = proven(&mut light, A, &elsewhere);
		assert_noop!(mint(proof), Error::<Test>::WrongDestination);
		let mut plain = record(2, 300, 42);
		plain.destination = None;
		let proof = proven(&mut light, A, &plain);
		assert_noop!(mint(proof), Error::<Test>::WrongDestination);
	});
}

#[test]
fn bad_beneficiary_or_amount_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let mut r = record(0, 300, 42);
		r.beneficiary = vec![1, 2, 3].try_into().unwrap();
		let proof = proven(&mut light, A, &r);
		assert_noop!(mint(proof), Error::<Test>::InvalidBeneficiary);
		let proof = proven(&mut light, A, &record(1, 0, 42));
		assert_noop!(mint(proof), Error::<Test>::ZeroAmount);
		let proof = proven(&mut light, A, &record(2, ED - 1, 42));
		assert_noop!(mint(proof), Error::<Test>::CannotDeposit);
	});
}

#[test]
fn over_cap_is_rejected_and_claimable_after_a_raise() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven(&mut light, A, &record(0, CAP + 1, 42));
		assert_noop!(mint(proof.clone()), Error::<Test>::AboveTransferCap);
		let raised = BridgeLimits { max_transfer: CAP * 2, window_limit: CAP * 4, ..limits() };
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), A, raised));
		assert_ok!(mint(proof));
		assert_eq!(totals().quarantined, CAP + 1);
	});
}

#[test]
fn rate_limit_applies_per_window() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let first = proven(&mut light, A, &record(0, 500, 42));
		let second = proven(&mut light, A, &record(1, 500, 43));
		let third = proven(&mut light, A, &record(2, 501, 44));
		assert_ok!(mint(first));
		assert_ok!(mint(second));
		// 500 + 500 + 501 > 1500.
		assert_noop!(mint(third.clone()), Error::<Test>::RateLimited);
		System::set_block_number(1 + WINDOW);
		assert_ok!(mint(third));
		let state = Counterparties::<Test>::get(A).unwrap();
		assert_eq!((state.window_start, state.window_used), (1 + WINDOW, 501));
	});
}

#[test]
fn quarantine_release_works() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven(&mut light, A, &record(0, 800, 42));
		assert_ok!(mint(proof));
		assert_eq!(Balances::balance(&42), 0);
		assert_eq!(
			last_event(),
			Event::MintQuarantined {
				id: 0,
				counterparty: A,
				burn_id: 0,
				beneficiary: 42,
				amount: 800,
				release_at: 1 + DELAY
			}
			.into()
		);
		assert_eq!(Consumed::<Test>::get(A, 0), Some(Consumption::Quarantined(0)));
		check_state();
		let release = || Bridge::release_quarantined(RuntimeOrigin::signed(ALICE), 0);
		assert_noop!(release(), Error::<Test>::QuarantineNotElapsed);
		System::set_block_number(1 + DELAY);
		assert_ok!(release());
		assert_eq!(Balances::balance(&42), 800);
		assert_eq!(
			totals(),
			BridgeTotals { proven: 800, minted: 800, quarantined: 0, cancelled: 0 }
		);
		assert_eq!(Consumed::<Test>::get(A, 0), Some(Consumption::Released(1 + DELAY)));
		assert_noop!(release(), Error::<Test>::UnknownQuarantined);
		check_state();
	});
}

#[test]
fn quarantine_cancel_works() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven(&mut light, A, &record(0, 800, 42));
		assert_ok!(mint(proof.clone()));
		const CLAIMS: AccountId = 77;
		assert_noop!(
			Bridge::cancel_quarantined(RuntimeOrigin::signed(ALICE), 0, CLAIMS),
			BadOrigin
		);
		assert_noop!(
			Bridge::cancel_quarantined(RuntimeOrigin::root(), 9, CLAIMS),
			Error::<Test>::UnknownQuarantined
		);
		let issuance = Balances::total_issuance();
		assert_ok!(Bridge::cancel_quarantined(RuntimeOrigin::root(), 0, CLAIMS));
		assert_eq!(
			totals(),
			BridgeTotals { proven: 800, minted: 0, quarantined: 0, cancelled: 800 }
		);
		// The burned tokens are not destroyed: governance's account holds them for a return.
		assert_eq!(Balances::balance(&CLAIMS), 800);
		assert_eq!(Balances::total_issuance(), issuance + 800);
		System::assert_last_event(
			Event::QuarantineCancelled {
				id: 0,
				counterparty: A,
				burn_id: 0,
				amount: 800,
				to: CLAIMS,
			}
			.into(),
		);
		System::set_block_number(1 + DELAY);
		assert_noop!(
			Bridge::release_quarantined(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::UnknownQuarantined
		);
		assert_noop!(mint(proof), Error::<Test>::AlreadyConsumed);
		assert_eq!(Balances::balance(&42), 0);
		check_state();
	});
}

#[test]
fn full_quarantine_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let wide = BridgeLimits { window_limit: 10 * CAP, ..limits() };
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), A, wide));
		for id in 0..3 {
			let proof = proven(&mut light, A, &record(id, 600, 42));
			assert_ok!(mint(proof));
		}
		let proof = proven(&mut light, A, &record(3, 600, 42));
		assert_noop!(mint(proof), Error::<Test>::QuarantineFull);
	});
}

#[test]
fn halted_bridge_mints_nothing_and_burns_stay_claimable() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let small = proven(&mut light, A, &record(0, 100, 42));
		let large = proven(&mut light, A, &record(1, 800, 43));
		assert_ok!(mint(large));
		assert_ok!(Bridge::halt(RuntimeOrigin::signed(EMERGENCY), A));
		System::assert_has_event(Event::BridgeHalted { counterparty: A }.into());
		assert_noop!(mint(small.clone()), Error::<Test>::Halted);
		System::set_block_number(1 + DELAY);
		assert_noop!(
			Bridge::release_quarantined(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::Halted
		);
		assert_ok!(Bridge::resume(RuntimeOrigin::root(), A));
		assert_ok!(mint(small));
		assert_ok!(Bridge::release_quarantined(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!((Balances::balance(&42), Balances::balance(&43)), (100, 800));
		check_state();
	});
}

#[test]
fn halt_and_resume_reject_bad_origin_and_state() {
	new_test_ext().execute_with(|| {
		setup();
		assert_noop!(Bridge::halt(RuntimeOrigin::signed(ALICE), A), BadOrigin);
		assert_noop!(
			Bridge::halt(RuntimeOrigin::root(), ChainId(3)),
			Error::<Test>::UnknownCounterparty
		);
		assert_noop!(Bridge::resume(RuntimeOrigin::root(), A), Error::<Test>::NotHalted);
		assert_ok!(Bridge::halt(RuntimeOrigin::root(), A));
		assert_noop!(Bridge::halt(RuntimeOrigin::root(), A), Error::<Test>::AlreadyHalted);
		assert_noop!(Bridge::resume(RuntimeOrigin::signed(EMERGENCY), A), BadOrigin);
		assert_ok!(Bridge::resume(RuntimeOrigin::root(), A));
		System::assert_last_event(Event::BridgeResumed { counterparty: A }.into());
	});
}

#[test]
fn set_limits_rejects_bad_limits() {
	new_test_ext().execute_with(|| {
		setup();
		assert_noop!(Bridge::set_limits(RuntimeOrigin::signed(ALICE), A, limits()), BadOrigin);
		assert_noop!(
			Bridge::set_limits(RuntimeOrigin::root(), ChainId(3), limits()),
			Error::<Test>::UnknownCounterparty
		);
		let no_window = BridgeLimits { window: 0, ..limits() };
		assert_noop!(
			Bridge::set_limits(RuntimeOrigin::root(), A, no_window),
			Error::<Test>::InvalidLimits
		);
		let threshold_above_cap = BridgeLimits { quarantine_threshold: CAP + 1, ..limits() };
		assert_noop!(
			Bridge::set_limits(RuntimeOrigin::root(), A, threshold_above_cap),
			Error::<Test>::InvalidLimits
		);
	});
}

#[test]
fn unconfigured_limits_mint_nothing() {
	new_test_ext().execute_with(|| {
		let set = authorities(0, 4);
		assert_ok!(Bridge::initialize(
			RuntimeOrigin::root(),
			A,
			Box::new(anchor()),
			authority_list(&set),
			SET_ID
		));
		let mut light = Light { set, set_id: SET_ID, best: anchor() };
		let proof = proven(&mut light, A, &record(0, 100, 42));
		assert_noop!(mint(proof), Error::<Test>::AboveTransferCap);
	});
}

#[test]
fn too_large_proofs_are_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let mut proof = proven(&mut light, A, &record(0, 100, 42));
		proof.storage_proof.resize(33, vec![0]);
		assert_noop!(mint(proof), Error::<Test>::TooManyProofNodes);
		let h = light.next(Hash::repeat_byte(1), Default::default());
		let mut j = justification(&h, SET_ID, &signers(&light.set));
		j.votes_ancestries = vec![h.clone(); MAX_VOTES_ANCESTRIES as usize + 1];
		assert_noop!(light.submit(&h, j), Error::<Test>::TooManyVotesAncestries);
		let mut j = justification(&h, SET_ID, &signers(&light.set));
		let extra = j.commit.precommits[0].clone();
		j.commit.precommits.resize(MAX_AUTHORITIES as usize + 1, extra);
		assert_noop!(light.submit(&h, j), Error::<Test>::TooManyPrecommits);
	});
}

// --- the pool check --------------------------------------------------------------------

fn validate(call: RuntimeCall) -> Result<(), TransactionValidityError> {
	CheckBridgeSubmission::<Test>::new()
		.validate_only(
			RuntimeOrigin::signed(RELAYER),
			&call,
			&DispatchInfo::default(),
			0,
			TransactionSource::External,
			0,
		)
		.map(|_| ())
}

#[test]
fn stale_submissions_are_rejected_in_the_pool() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven(&mut light, A, &record(0, 100, 42));
		let best = light.best.clone();
		let header_call = |h: &Header| {
			RuntimeCall::Bridge(Call::submit_finality_proof {
				counterparty: A,
				header: Box::new(h.clone()),
				justification: justification(h, SET_ID, &signers(&light.set)),
				current_set_id: SET_ID,
				ancestry: vec![],
			})
		};
		let stale = Err(TransactionValidityError::Invalid(InvalidTransaction::Stale));
		assert_eq!(validate(header_call(&best)), stale);
		assert_eq!(validate(header_call(&light.next(Hash::zero(), Default::default()))), Ok(()));
		let mint_call =
			RuntimeCall::Bridge(Call::mint_from_burn { counterparty: A, proof: proof.clone() });
		assert_eq!(validate(mint_call.clone()), Ok(()));
		assert_ok!(mint(proof));
		assert_eq!(validate(mint_call), stale);
		// Other calls pass untouched.
		let transfer = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		assert_eq!(validate(transfer), Ok(()));
	});
}

// --- who may anchor and widen the bridge ---------------------------------------------------

fn parameters() -> RuntimeOrigin {
	RuntimeOrigin::signed(PARAMETERS)
}

fn reinit(set_id: SetId, h: &Header) -> DispatchResult {
	Bridge::initialize(
		RuntimeOrigin::root(),
		A,
		Box::new(h.clone()),
		authority_list(&authorities(10, 5)),
		set_id,
	)
}

#[test]
fn simple_majority_cannot_register_a_trust_anchor() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Bridge::initialize(
				parameters(),
				A,
				Box::new(anchor()),
				authority_list(&authorities(0, 4)),
				SET_ID
			),
			BadOrigin
		);
	});
}

#[test]
fn simple_majority_cannot_raise_limits() {
	new_test_ext().execute_with(|| {
		setup();
		let raise = |l: BridgeLimits<Balance, u64>| Bridge::set_limits(parameters(), A, l);
		assert_noop!(
			raise(BridgeLimits { max_transfer: CAP + 1, ..limits() }),
			Error::<Test>::LimitRaise
		);
		assert_noop!(
			raise(BridgeLimits { window_limit: WINDOW_LIMIT + 1, ..limits() }),
			Error::<Test>::LimitRaise
		);
		assert_noop!(
			raise(BridgeLimits { quarantine_threshold: QUARANTINE_ABOVE + 1, ..limits() }),
			Error::<Test>::LimitRaise
		);
		assert_noop!(
			raise(BridgeLimits { window: WINDOW - 1, ..limits() }),
			Error::<Test>::LimitRaise
		);
		assert_noop!(
			raise(BridgeLimits { quarantine_delay: DELAY - 1, ..limits() }),
			Error::<Test>::LimitRaise
		);
		assert_noop!(
			raise(BridgeLimits { header_threshold: HEADER_THRESHOLD + 1, ..limits() }),
			Error::<Test>::LimitRaise
		);
		let aged = BridgeLimits { min_header_age: 2, ..limits() };
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), A, aged));
		assert_noop!(
			raise(BridgeLimits { min_header_age: 1, ..limits() }),
			Error::<Test>::LimitRaise
		);
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), A, limits()));
		// Tightening is a simple majority's to make; raising again is Root's.
		let tight = BridgeLimits { max_transfer: CAP / 2, quarantine_delay: DELAY * 2, ..limits() };
		assert_ok!(raise(tight));
		assert_eq!(Counterparties::<Test>::get(A).unwrap().limits, tight);
		assert_noop!(raise(limits()), Error::<Test>::LimitRaise);
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), A, limits()));
		assert_eq!(Counterparties::<Test>::get(A).unwrap().limits, limits());
	});
}

#[test]
fn live_counterparty_cannot_be_reinitialized() {
	new_test_ext().execute_with(|| {
		setup();
		let h = header(50, Hash::repeat_byte(1), Hash::repeat_byte(2), Default::default());
		assert_noop!(reinit(SET_ID + 1, &h), Error::<Test>::NotHaltedForReset);
		assert_ok!(Bridge::halt(RuntimeOrigin::root(), A));
		assert_ok!(reinit(SET_ID + 1, &h));
	});
}

#[test]
fn reinitialize_cannot_lower_the_set_id() {
	new_test_ext().execute_with(|| {
		setup();
		assert_ok!(Bridge::halt(RuntimeOrigin::root(), A));
		let h = header(50, Hash::repeat_byte(1), Hash::repeat_byte(2), Default::default());
		assert_noop!(reinit(SET_ID - 1, &h), Error::<Test>::SetIdRegression);
		assert_ok!(reinit(SET_ID, &h));
	});
}

#[test]
fn old_anchor_headers_cannot_mint_after_a_reset() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven(&mut light, A, &record(0, 300, 42));
		let old_best = light.best.hash();
		assert_ok!(Bridge::halt(RuntimeOrigin::root(), A));
		let h = header(50, Hash::repeat_byte(1), Hash::repeat_byte(2), Default::default());
		assert_ok!(reinit(SET_ID + 1, &h));
		assert_ok!(Bridge::resume(RuntimeOrigin::root(), A));
		assert!(!ImportedHeaders::<Test>::contains_key(A, old_best));
		assert_eq!(ImportedHeaders::<Test>::iter_prefix(A).count(), 1);
		assert_eq!(HeaderRing::<Test>::iter_prefix(A).count(), 1);
		assert_noop!(mint(proof), Error::<Test>::UnknownHeader);
		check_state();
	});
}

#[test]
fn repeated_anchor_takes_one_ring_slot() {
	new_test_ext().execute_with(|| {
		setup();
		assert_ok!(Bridge::halt(RuntimeOrigin::root(), A));
		assert_ok!(reinit(SET_ID, &anchor()));
		assert_ok!(reinit(SET_ID, &anchor()));
		assert_eq!(HeaderRing::<Test>::iter_prefix(A).count(), 1);
		assert_eq!(Counterparties::<Test>::get(A).unwrap().next_slot, 1);
		check_state();
	});
}

#[test]
fn few_precommits_cannot_underpay_verifying_a_large_set() {
	new_test_ext().execute_with(|| {
		let set = authorities(0, MAX_AUTHORITIES);
		assert_ok!(Bridge::initialize(
			RuntimeOrigin::root(),
			A,
			Box::new(anchor()),
			authority_list(&set),
			SET_ID
		));
		let light = Light { set: set.clone(), set_id: SET_ID, best: anchor() };
		let h = light.next(Hash::repeat_byte(1), Default::default());
		// One vote of sixteen: verification still reads the set and builds its voters.
		let j = justification(&h, SET_ID, &set[..1]);
		let call = pallet::Call::<Test>::submit_finality_proof {
			counterparty: A,
			header: Box::new(h.clone()),
			justification: j.clone(),
			current_set_id: SET_ID,
			ancestry: vec![],
		};
		use frame_support::dispatch::GetDispatchInfo;
		assert_eq!(
			call.get_dispatch_info().call_weight,
			<() as WeightInfo>::submit_finality_proof(MAX_AUTHORITIES, 0, 0)
		);
		assert_noop!(light.submit(&h, j), Error::<Test>::InsufficientVotes);
	});
}

fn provides(call: RuntimeCall) -> Vec<Vec<u8>> {
	CheckBridgeSubmission::<Test>::new()
		.validate_only(
			RuntimeOrigin::signed(RELAYER),
			&call,
			&DispatchInfo::default(),
			0,
			TransactionSource::External,
			0,
		)
		.map(|(valid, ..)| valid.provides)
		.expect("valid in the pool")
}

#[test]
fn cheap_invalid_submission_cannot_take_a_valid_ones_pool_slot() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let h = light.next(Hash::repeat_byte(1), Default::default());
		let header_call = |j: Justification| {
			RuntimeCall::Bridge(Call::submit_finality_proof {
				counterparty: A,
				header: Box::new(h.clone()),
				justification: j,
				current_set_id: SET_ID,
				ancestry: vec![],
			})
		};
		let valid = justification(&h, SET_ID, &signers(&light.set));
		let mut forged = valid.clone();
		forged.commit.precommits.truncate(1);
		let tags = provides(header_call(valid.clone()));
		assert_ne!(tags, provides(header_call(forged)));
		// The same submission twice (two relayers) shares its tag.
		assert_eq!(tags, provides(header_call(valid)));

		let proof = proven(&mut light, A, &record(0, 100, 42));
		let mut junk = proof.clone();
		junk.storage_proof.truncate(1);
		let mint_call =
			|p: MintProof| RuntimeCall::Bridge(Call::mint_from_burn { counterparty: A, proof: p });
		assert_ne!(provides(mint_call(proof.clone())), provides(mint_call(junk)));
		assert_eq!(provides(mint_call(proof.clone())), provides(mint_call(proof)));
	});
}

#[test]
fn burst_at_a_window_boundary_cannot_mint_twice_the_limit() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proofs: Vec<_> = [(0, 1_000), (1, 500), (2, 500), (3, 600)]
			.into_iter()
			.map(|(id, amount)| proven(&mut light, A, &record(id, amount, 42 + id)))
			.collect();
		System::set_block_number(WINDOW);
		assert_ok!(mint(proofs[0].clone()));
		assert_ok!(mint(proofs[1].clone()));
		// One block later a fixed window would start afresh; the bucket has drained 150 only.
		System::set_block_number(WINDOW + 1);
		assert_noop!(mint(proofs[2].clone()), Error::<Test>::RateLimited);
		System::set_block_number(WINDOW + 4);
		// 4 blocks drained 600: 1_500 - 600 + 500 = 1_400.
		assert_ok!(mint(proofs[2].clone()));
		let state = Counterparties::<Test>::get(A).unwrap();
		assert_eq!((state.window_start, state.window_used), (WINDOW + 4, 1_400));
		assert_noop!(mint(proofs[3].clone()), Error::<Test>::RateLimited);
		check_state();
	});
}

#[test]
fn quarantine_shorter_than_a_cancellation_vote_is_rejected() {
	new_test_ext().execute_with(|| {
		setup();
		// Released before a parameters vote could cancel it: refused, whoever sets it.
		let short = BridgeLimits { quarantine_delay: DECISION_TIME, ..limits() };
		assert_noop!(
			Bridge::set_limits(RuntimeOrigin::root(), A, short),
			Error::<Test>::QuarantineTooShort
		);
		let zero = BridgeLimits { quarantine_delay: 0, ..limits() };
		assert_noop!(
			Bridge::set_limits(RuntimeOrigin::root(), A, zero),
			Error::<Test>::QuarantineTooShort
		);
		let enough = BridgeLimits { quarantine_delay: DECISION_TIME + 1, ..limits() };
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), A, enough));
		assert_eq!(Bridge::shortest_quarantine_delay(), Some(DECISION_TIME + 1));
		// Without a quarantine (threshold at the cap) the delay means nothing.
		let none = BridgeLimits {
			quarantine_threshold: CAP,
			header_threshold: Balance::MAX,
			quarantine_delay: 0,
			..limits()
		};
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), A, none));
		assert_eq!(Bridge::shortest_quarantine_delay(), None);
		// Without a decision time (no parameters track) any delay goes.
		DecisionTime::set(&None);
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), A, zero));
		assert_eq!(Bridge::shortest_quarantine_delay(), Some(0));
	});
}

// --- ancestry and equivocation -------------------------------------------------------------

#[test]
fn header_off_the_finalized_chain_is_rejected() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let voters = signers(&light.set);
		let (h, ancestry) = light.descendant(3, Hash::repeat_byte(4));
		let j = justification(&h, SET_ID, &voters);
		// A gap with no ancestry: nothing proves the header descends from the best one.
		assert_noop!(light.submit(&h, j.clone()), Error::<Test>::AncestryNotToBest);
		// Part of the ancestry only.
		assert_noop!(
			light.submit_with(&h, j.clone(), ancestry[..2].to_vec()),
			Error::<Test>::AncestryNotToBest
		);
		// A link replaced by another header of that height.
		let mut broken = ancestry.clone();
		broken[1].state_root = Hash::repeat_byte(0x66);
		assert_noop!(light.submit_with(&h, j.clone(), broken), Error::<Test>::BrokenAncestry);
		// Out of order.
		let mut swapped = ancestry.clone();
		swapped.swap(0, 2);
		assert_noop!(light.submit_with(&h, j.clone(), swapped), Error::<Test>::BrokenAncestry);
		// Past the best header.
		let mut beyond = ancestry.clone();
		beyond.push(light.best.clone());
		assert_noop!(light.submit_with(&h, j.clone(), beyond), Error::<Test>::AncestryNotToBest);
		let (far, far_ancestry) = light.descendant(MAX_ANCESTRY + 1, Hash::repeat_byte(4));
		assert_noop!(
			light.submit_with(&far, justification(&far, SET_ID, &voters), far_ancestry),
			Error::<Test>::TooManyAncestryHeaders
		);
		assert_ok!(light.submit_with(&h, j, ancestry));
		assert_eq!(Bridge::best_finalized(A).unwrap().hash, h.hash());
	});
}

/// A header of A at the best one's height, on another chain.
fn sibling(light: &Light) -> Header {
	header(light.best.number, Hash::repeat_byte(0x31), Hash::repeat_byte(0x32), Default::default())
}

#[test]
fn conflicting_finalized_header_halts_the_bridge() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		light.import(Hash::repeat_byte(1));
		let best = light.best.clone();
		let other = sibling(&light);
		assert_ok!(light.submit(&other, justification(&other, SET_ID, &signers(&light.set))));
		let state = Counterparties::<Test>::get(A).unwrap();
		assert!(state.halted);
		assert_eq!(state.best.hash, best.hash());
		assert!(!ImportedHeaders::<Test>::contains_key(A, other.hash()));
		System::assert_has_event(
			Event::EquivocationDetected {
				counterparty: A,
				number: 11,
				finalized: best.hash(),
				conflicting: other.hash(),
			}
			.into(),
		);
		assert_eq!(last_event(), Event::BridgeHalted { counterparty: A }.into());
		// Nothing mints until governance decides.
		let next = light.next(Hash::repeat_byte(2), Default::default());
		assert_noop!(
			light.submit(&next, justification(&next, SET_ID, &signers(&light.set))),
			Error::<Test>::Halted
		);
		check_state();
	});
}

#[test]
fn conflicting_chain_reaching_the_best_height_halts_the_bridge() {
	new_test_ext().execute_with(|| {
		let light = setup();
		// A fork from below the anchor: its block at the anchor's height is another one.
		let fork = header(11, sibling(&light).hash(), Hash::repeat_byte(3), seal());
		let tip = header(12, fork.hash(), Hash::repeat_byte(4), Default::default());
		assert_ok!(light.submit_with(
			&tip,
			justification(&tip, SET_ID, &signers(&light.set)),
			vec![fork]
		));
		assert!(Counterparties::<Test>::get(A).unwrap().halted);
		System::assert_has_event(
			Event::EquivocationDetected {
				counterparty: A,
				number: 10,
				finalized: light.best.hash(),
				conflicting: tip.hash(),
			}
			.into(),
		);
		assert_eq!(Bridge::best_finalized(A).unwrap().hash, light.best.hash());
	});
}

#[test]
fn stranger_cannot_halt_the_bridge_with_an_unjustified_conflict() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let other = sibling(&light);
		// Two of four votes: below the threshold, so no proof of an equivocation.
		assert_noop!(
			light.submit(&other, justification(&other, SET_ID, &light.set[..2])),
			Error::<Test>::InsufficientVotes
		);
		let outsiders = authorities(20, 3);
		assert_noop!(
			light.submit(&other, justification(&other, SET_ID, &outsiders)),
			Error::<Test>::UnknownAuthority
		);
		assert!(!Counterparties::<Test>::get(A).unwrap().halted);
	});
}

#[test]
fn conflicting_header_is_not_stale_in_the_pool() {
	new_test_ext().execute_with(|| {
		let light = setup();
		let call = |h: &Header| {
			RuntimeCall::Bridge(Call::submit_finality_proof {
				counterparty: A,
				header: Box::new(h.clone()),
				justification: justification(h, SET_ID, &signers(&light.set)),
				current_set_id: SET_ID,
				ancestry: vec![],
			})
		};
		assert_eq!(validate(call(&sibling(&light))), Ok(()));
		assert_eq!(
			validate(call(&light.best)),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
	});
}

// --- aggregate quarantine and header age ---------------------------------------------------

/// Imports one header of A whose state holds all `records`; their mint proofs.
fn proven_together(light: &mut Light, records: &[TpchainBurnRecord]) -> Vec<MintProof> {
	let (root, proofs) = burns_state(A, records);
	let h = light.import(root);
	records
		.iter()
		.zip(proofs)
		.map(|(r, storage_proof)| MintProof { at: h.hash(), burn_id: r.id, storage_proof })
		.collect()
}

#[test]
fn many_small_mints_from_one_header_cannot_pass_the_header_threshold() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let header_threshold = 700;
		let l = BridgeLimits { header_threshold, ..limits() };
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), A, l));
		// Each far below the per-transfer threshold (500).
		let records: Vec<_> = (0..3).map(|id| record(id, 300, 42 + id)).collect();
		let proofs = proven_together(&mut light, &records);
		assert_ok!(mint(proofs[0].clone()));
		assert_ok!(mint(proofs[1].clone()));
		assert_eq!(ImportedHeaders::<Test>::get(A, proofs[0].at).unwrap().minted, 600);
		// 900 from one header would pass 700: the third waits.
		assert_ok!(mint(proofs[2].clone()));
		assert_eq!(Balances::balance(&44), 0);
		assert_eq!(Consumed::<Test>::get(A, 2), Some(Consumption::Quarantined(0)));
		assert_eq!(
			totals(),
			BridgeTotals { proven: 900, minted: 600, quarantined: 300, cancelled: 0 }
		);
		assert_eq!(ImportedHeaders::<Test>::get(A, proofs[0].at).unwrap().minted, 600);
		// Another header has its own allowance.
		let other = proven(&mut light, A, &record(3, 300, 45));
		assert_ok!(mint(other));
		assert_eq!(Balances::balance(&45), 300);
		check_state();
	});
}

#[test]
fn mint_from_a_just_imported_header_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let l = BridgeLimits { min_header_age: 3, ..limits() };
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), A, l));
		let proof = proven(&mut light, A, &record(0, 100, 42));
		assert_eq!(ImportedHeaders::<Test>::get(A, proof.at).unwrap().imported_at, 1);
		assert_noop!(mint(proof.clone()), Error::<Test>::HeaderTooRecent);
		System::set_block_number(3);
		assert_noop!(mint(proof.clone()), Error::<Test>::HeaderTooRecent);
		System::set_block_number(4);
		assert_ok!(mint(proof));
		assert_eq!(Balances::balance(&42), 100);
	});
}

#[test]
fn header_threshold_makes_the_bridge_quarantine() {
	let l = BridgeLimits { quarantine_threshold: CAP, header_threshold: 5_000, ..limits() };
	assert!(l.quarantines());
	let none = BridgeLimits { header_threshold: Balance::MAX, ..l };
	assert!(!none.quarantines());
	// Nothing mints: nothing can wait either.
	assert!(!BridgeLimits::<Balance, u64>::default().quarantines());
}

// --- messages (XCM over the bridge) -----------------------------------------------------

fn message(nonce: u64, value: Balance, xcm: &[u8]) -> TpchainOutboundMessage {
	TpchainOutboundMessage { nonce, value, xcm: xcm.to_vec().try_into().unwrap(), block: 3 }
}

/// Imports a header of A whose state holds `message` (towards `to`) and returns its proof.
fn proven_message(
	light: &mut Light,
	chain: ChainId,
	to: ChainId,
	message: &TpchainOutboundMessage,
) -> MessageProof {
	let (root, storage_proof) = message_state(chain, to, message, 0);
	let h = light.import(root);
	MessageProof { at: h.hash(), nonce: message.nonce, storage_proof }
}

fn deliver(proof: MessageProof) -> DispatchResultWithPostInfo {
	Bridge::receive_message(RuntimeOrigin::signed(RELAYER), A, proof)
}

#[test]
fn message_is_proven_executed_and_counted() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		set_paying(300);
		let proof = proven_message(&mut light, A, B, &message(0, 300, b"pay:*"));
		let nodes = proof.storage_proof.len() as u32;
		let info = deliver(proof).unwrap();
		assert_eq!(Balances::balance(&u64::from(b'*')), 300);
		assert_eq!(executed(), vec![(A, b"pay:*".to_vec(), MaxMessageWeight::get())]);
		System::assert_last_event(
			Event::MessageDelivered {
				counterparty: A,
				nonce: 0,
				value: 300,
				weight: MESSAGE_WEIGHT,
			}
			.into(),
		);
		// Charged the pallet's own cost plus what the executor used, not the maximum.
		assert_eq!(
			info.actual_weight,
			Some(<() as WeightInfo>::receive_message(nodes).saturating_add(MESSAGE_WEIGHT))
		);
		assert_eq!(DeliveredMessages::<Test>::get(A, 0), Some(Consumption::Minted(1)));
		assert_eq!(
			totals(),
			BridgeTotals { proven: 300, minted: 300, quarantined: 0, cancelled: 0 }
		);
		check_state();
	});
}

#[test]
fn replayed_message_changes_nothing() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		set_paying(300);
		let proof = proven_message(&mut light, A, B, &message(0, 300, b"pay:*"));
		assert_ok!(deliver(proof.clone()));
		assert_noop!(deliver(proof), Error::<Test>::AlreadyDelivered);
		assert_eq!(Balances::balance(&u64::from(b'*')), 300);
		assert_eq!(executed().len(), 1);
	});
}

#[test]
fn message_under_a_header_not_finalized_is_rejected() {
	new_test_ext().execute_with(|| {
		let _light = setup();
		let m = message(0, 300, b"pay:*");
		let (_root, storage_proof) = message_state(A, B, &m, 0);
		// The relayer proves against a state root the light client never finalized.
		let proof = MessageProof { at: Hash::repeat_byte(0xee), nonce: 0, storage_proof };
		assert_noop!(deliver(proof), Error::<Test>::UnknownHeader);
		assert!(executed().is_empty());
	});
}

#[test]
fn message_for_another_chain_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		// Committed by A for chain 3, not for this chain (B): B's key is absent.
		let proof = proven_message(&mut light, A, ChainId(3), &message(0, 300, b"pay:*"));
		assert_noop!(deliver(proof), Error::<Test>::RecordNotInState);
		// Proven from a state that is not A's.
		let proof = proven_message(&mut light, ChainId(5), B, &message(0, 300, b"pay:*"));
		assert_noop!(deliver(proof), Error::<Test>::WrongSourceChain);
		assert!(executed().is_empty());
	});
}

#[test]
fn tampered_message_proof_is_rejected() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven_message(&mut light, A, B, &message(0, 300, b"pay:*"));
		// Another nonce than the proven one.
		let mut other = proof.clone();
		other.nonce = 1;
		assert_noop!(deliver(other), Error::<Test>::RecordNotInState);
		// The root node changed: it no longer hashes to the state root.
		let mut tampered = proof.clone();
		let last = tampered.storage_proof.len() - 1;
		tampered.storage_proof[last].push(0);
		assert_noop!(deliver(tampered), Error::<Test>::StateRootMismatch);
		let mut duplicated = proof;
		duplicated.storage_proof.push(duplicated.storage_proof[0].clone());
		assert_noop!(deliver(duplicated), Error::<Test>::DuplicateProofNode);
		assert!(executed().is_empty());
		check_state();
	});
}

#[test]
fn halted_bridge_delivers_nothing_until_resumed() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		set_paying(300);
		let proof = proven_message(&mut light, A, B, &message(0, 300, b"pay:*"));
		assert_ok!(Bridge::halt(RuntimeOrigin::root(), A));
		assert_noop!(deliver(proof.clone()), Error::<Test>::Halted);
		assert_ok!(Bridge::resume(RuntimeOrigin::root(), A));
		assert_ok!(deliver(proof));
		assert_eq!(Balances::balance(&u64::from(b'*')), 300);
	});
}

#[test]
fn message_value_is_inside_the_safety_envelope() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let over = proven_message(&mut light, A, B, &message(0, CAP + 1, b"pay:*"));
		assert_noop!(deliver(over), Error::<Test>::AboveTransferCap);
		// Mints from burns and messages share the rate-limit bucket.
		assert_ok!(mint(proven(&mut light, A, &record(0, 500, 42))));
		assert_ok!(mint(proven(&mut light, A, &record(1, 500, 42))));
		let late = proven_message(&mut light, A, B, &message(1, 501, b"pay:*"));
		assert_noop!(deliver(late), Error::<Test>::RateLimited);
		assert!(executed().is_empty());
		check_state();
	});
}

#[test]
fn failed_message_is_consumed_and_reported() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven_message(&mut light, A, B, &message(0, 200, b"fail"));
		assert_ok!(deliver(proof.clone()));
		System::assert_last_event(
			Event::MessageFailed { counterparty: A, nonce: 0, value: 200, error: 7 }.into(),
		);
		// Its value is with the executor's trap, not minted again by a replay.
		assert_noop!(deliver(proof), Error::<Test>::AlreadyDelivered);
		check_state();
	});
}

#[test]
fn quarantined_message_executes_when_released() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		set_paying(800);
		let proof = proven_message(&mut light, A, B, &message(0, 800, b"pay:*"));
		let nodes = proof.storage_proof.len() as u32;
		let info = deliver(proof).unwrap();
		assert!(executed().is_empty(), "not executed while in quarantine");
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::receive_message(nodes)));
		System::assert_last_event(
			Event::MessageQuarantined {
				id: 0,
				counterparty: A,
				nonce: 0,
				value: 800,
				release_at: 1 + DELAY,
			}
			.into(),
		);
		assert_eq!(DeliveredMessages::<Test>::get(A, 0), Some(Consumption::Quarantined(0)));
		check_state();
		let release = || Bridge::release_quarantined(RuntimeOrigin::signed(ALICE), 0);
		assert_noop!(release(), Error::<Test>::QuarantineNotElapsed);
		System::set_block_number(1 + DELAY);
		assert_ok!(release());
		assert_eq!(Balances::balance(&u64::from(b'*')), 800);
		assert_eq!(executed().len(), 1);
		assert_eq!(
			totals(),
			BridgeTotals { proven: 800, minted: 800, quarantined: 0, cancelled: 0 }
		);
		assert_eq!(DeliveredMessages::<Test>::get(A, 0), Some(Consumption::Released(1 + DELAY)));
		assert_noop!(release(), Error::<Test>::UnknownQuarantined);
		check_state();
	});
}

#[test]
fn cancelled_message_is_never_executed_and_its_value_goes_where_the_vote_says() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven_message(&mut light, A, B, &message(0, 800, b"pay:*"));
		assert_ok!(deliver(proof));
		const CLAIMS: AccountId = 77;
		assert_noop!(
			Bridge::cancel_quarantined(RuntimeOrigin::signed(ALICE), 0, CLAIMS),
			BadOrigin
		);
		assert_ok!(Bridge::cancel_quarantined(RuntimeOrigin::root(), 0, CLAIMS));
		assert_eq!(Balances::balance(&CLAIMS), 800);
		System::assert_last_event(
			Event::MessageCancelled { id: 0, counterparty: A, nonce: 0, value: 800, to: CLAIMS }
				.into(),
		);
		System::set_block_number(1 + DELAY);
		assert_noop!(
			Bridge::release_quarantined(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::UnknownQuarantined
		);
		assert!(executed().is_empty());
		assert_eq!(
			totals(),
			BridgeTotals { proven: 800, minted: 0, quarantined: 0, cancelled: 800 }
		);
		check_state();
	});
}

#[test]
fn quarantine_bound_counts_mints_and_messages() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		// MaxQuarantined = 3.
		assert_ok!(mint(proven(&mut light, A, &record(0, 600, 42))));
		assert_ok!(deliver(proven_message(&mut light, A, B, &message(0, 600, b"pay:*"))));
		System::set_block_number(1 + WINDOW);
		assert_ok!(deliver(proven_message(&mut light, A, B, &message(1, 600, b"pay:*"))));
		System::set_block_number(1 + 2 * WINDOW);
		let full = proven_message(&mut light, A, B, &message(2, 600, b"pay:*"));
		assert_noop!(deliver(full), Error::<Test>::QuarantineFull);
		check_state();
	});
}

#[test]
fn delivered_message_is_stale_in_the_pool() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		set_paying(300);
		let proof = proven_message(&mut light, A, B, &message(0, 300, b"pay:*"));
		let call =
			RuntimeCall::Bridge(Call::receive_message { counterparty: A, proof: proof.clone() });
		assert_eq!(validate(call.clone()), Ok(()));
		assert_ok!(deliver(proof));
		assert_eq!(
			validate(call),
			Err(TransactionValidityError::Invalid(InvalidTransaction::Stale))
		);
	});
}

#[test]
fn stranger_cannot_deliver_unsigned() {
	new_test_ext().execute_with(|| {
		let mut light = setup();
		let proof = proven_message(&mut light, A, B, &message(0, 300, b"pay:*"));
		assert_noop!(Bridge::receive_message(RuntimeOrigin::none(), A, proof), BadOrigin);
	});
}

#[test]
fn delivered_message_key_matches_the_primitives() {
	new_test_ext().execute_with(|| {
		// Relayers read it by the primitives' key.
		assert_eq!(
			DeliveredMessages::<Test>::hashed_key_for(A, 5u64),
			tpchain_primitives::message::delivered_message_key(A, 5)
		);
	});
}
