//! Unit tests: every call, every error (each changes nothing), and the invariants after each.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use tpchain_primitives::burn::{burn_record_key, chain_id_key};

fn issuance() -> Balance {
	<Balances as Inspect<AccountId>>::total_issuance()
}

fn free(who: AccountId) -> Balance {
	<Balances as Inspect<AccountId>>::balance(&who)
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::LargeBurn.into(), &who)
}

fn burn_to(who: AccountId, amount: Balance) -> DispatchResultWithPostInfo {
	BurnProofs::burn(
		RuntimeOrigin::signed(who),
		amount,
		Some(OTHER_CHAIN),
		vec![0xbe; 32],
		b"INV-1".to_vec(),
	)
}

fn plain_burn(who: AccountId, amount: Balance) -> DispatchResultWithPostInfo {
	BurnProofs::burn(RuntimeOrigin::signed(who), amount, None, vec![], b"ref".to_vec())
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::BurnProofs(e) => Some(e),
			_ => None,
		})
		.expect("a burn-proofs event")
}

#[test]
fn genesis_sets_chain_destinations_and_threshold() {
	test(|| {
		assert_eq!(LocalChainId::<Test>::get(), THIS_CHAIN);
		assert!(Destinations::<Test>::get().contains(&OTHER_CHAIN));
		assert_eq!(LargeBurnThreshold::<Test>::get(), Some(5_000));
	});
}

#[test]
fn storage_keys_match_the_primitives() {
	// Verifiers compute keys from `tpchain-primitives`; the pallet must store records there.
	test(|| {
		assert_eq!(Burns::<Test>::hashed_key_for(42u64), burn_record_key(42));
		assert_eq!(LocalChainId::<Test>::hashed_key().to_vec(), chain_id_key());
	});
}

#[test]
fn burn_works() {
	test(|| {
		let before = issuance();
		assert_ok!(burn_to(ALICE, 1_000));
		assert_eq!(issuance(), before - 1_000, "burning lowers total issuance");
		assert_eq!(free(ALICE), 9_000);
		let record = Burns::<Test>::get(0).unwrap();
		assert_eq!(record.id, 0);
		assert_eq!(record.burner, ALICE);
		assert_eq!(record.amount, 1_000);
		assert_eq!(record.destination, Some(OTHER_CHAIN));
		assert_eq!(record.beneficiary.to_vec(), vec![0xbe; 32]);
		assert_eq!(record.reference.to_vec(), b"INV-1".to_vec());
		assert_eq!(record.block, 1);
		assert_eq!(
			last_event(),
			Event::Burned {
				id: 0,
				burner: ALICE,
				amount: 1_000,
				destination: Some(OTHER_CHAIN),
				beneficiary: record.beneficiary.clone(),
				reference: record.reference.clone(),
			}
		);

		assert_ok!(plain_burn(BOB, 300));
		assert_eq!(Burns::<Test>::get(1).unwrap().destination, None);
		assert_eq!(NextBurnId::<Test>::get(), 2);
		let totals = BurnProofs::totals();
		assert_eq!(totals.total, 1_300);
		assert_eq!(totals.count, 2);
		assert_eq!(totals.by_destination, vec![(OTHER_CHAIN, 1_000)]);
		assert_eq!(BurnedBy::<Test>::get(ALICE), 1_000);
		assert_eq!(BurnedBy::<Test>::get(BOB), 300);
	});
}

#[test]
fn burn_at_the_threshold_executes_at_once() {
	test(|| {
		assert_ok!(burn_to(ALICE, 5_000));
		assert!(Burns::<Test>::contains_key(0));
		assert_eq!(PendingBurns::<Test>::count(), 0);
	});
}

#[test]
fn burn_rejects_bad_amounts() {
	test(|| {
		assert_noop!(burn_to(ALICE, 0), Error::<Test>::ZeroAmount);
		assert_noop!(burn_to(ALICE, 99), Error::<Test>::BelowMinimum);
		// More than the balance, and all of it (would reap the account).
		assert_noop!(plain_burn(ALICE, 10_001), Error::<Test>::InsufficientBalance);
		assert_noop!(plain_burn(ALICE, 10_000), Error::<Test>::InsufficientBalance);
		// Above the threshold the same check applies before anything is held.
		assert_noop!(plain_burn(ALICE, 20_000), Error::<Test>::InsufficientBalance);
		assert_ok!(plain_burn(ALICE, 9_990 - 5_000));
	});
}

#[test]
fn burn_rejects_bad_destination_and_bytes() {
	test(|| {
		let long = vec![7u8; tpchain_primitives::burn::MAX_BENEFICIARY_LEN as usize + 1];
		assert_noop!(
			BurnProofs::burn(RuntimeOrigin::signed(ALICE), 500, Some(OTHER_CHAIN), long, vec![]),
			Error::<Test>::BeneficiaryTooLong
		);
		let long = vec![7u8; tpchain_primitives::burn::MAX_REFERENCE_LEN as usize + 1];
		assert_noop!(
			BurnProofs::burn(RuntimeOrigin::signed(ALICE), 500, None, vec![], long),
			Error::<Test>::ReferenceTooLong
		);
		assert_noop!(
			BurnProofs::burn(RuntimeOrigin::signed(ALICE), 500, Some(ChainId(9)), vec![1], vec![]),
			Error::<Test>::UnknownDestination
		);
		assert_noop!(
			BurnProofs::burn(RuntimeOrigin::signed(ALICE), 500, Some(THIS_CHAIN), vec![1], vec![]),
			Error::<Test>::UnknownDestination
		);
		assert_noop!(
			BurnProofs::burn(RuntimeOrigin::signed(ALICE), 500, Some(OTHER_CHAIN), vec![], vec![]),
			Error::<Test>::MissingBeneficiary
		);
		assert_noop!(
			BurnProofs::burn(RuntimeOrigin::signed(ALICE), 500, None, vec![1], vec![]),
			Error::<Test>::BeneficiaryWithoutDestination
		);
		// A 32-byte account and a reference at its bound are fine.
		assert_ok!(BurnProofs::burn(
			RuntimeOrigin::signed(ALICE),
			500,
			Some(OTHER_CHAIN),
			vec![1; 32],
			vec![2; tpchain_primitives::burn::MAX_REFERENCE_LEN as usize],
		));
	});
}

#[test]
fn burn_rejects_unsigned_origins() {
	test(|| {
		assert_noop!(
			BurnProofs::burn(RuntimeOrigin::root(), 500, None, vec![], vec![]),
			bad_origin()
		);
		assert_noop!(
			BurnProofs::burn(RuntimeOrigin::none(), 500, None, vec![], vec![]),
			bad_origin()
		);
	});
}

#[test]
fn burn_rejects_more_records_than_the_block_limit() {
	test(|| {
		for _ in 0..3 {
			assert_ok!(plain_burn(ALICE, 100));
		}
		assert_noop!(plain_burn(BOB, 100), Error::<Test>::TooManyBurnsInBlock);
		System::set_block_number(2);
		assert_ok!(plain_burn(BOB, 100));
		assert_eq!(BlockBurnCount::<Test>::get(), (2, 1));
	});
}

#[test]
fn large_burn_waits_with_funds_on_hold() {
	test(|| {
		let before = issuance();
		assert_ok!(burn_to(ALICE, 6_000));
		assert_eq!(issuance(), before, "nothing is burned before approval");
		assert_eq!(held(ALICE), 6_000);
		assert_eq!(free(ALICE), 4_000);
		assert_eq!(NextBurnId::<Test>::get(), 0, "no record before approval");
		let pending = PendingBurns::<Test>::get(0).unwrap();
		assert_eq!((pending.burner, pending.amount), (ALICE, 6_000));
		assert_eq!(
			last_event(),
			Event::BurnRequested {
				request: 0,
				burner: ALICE,
				amount: 6_000,
				destination: Some(OTHER_CHAIN),
				reference: pending.reference,
			}
		);
	});
}

#[test]
fn burn_rejects_more_pending_than_the_limit() {
	test(|| {
		assert_ok!(plain_burn(ALICE, 5_001));
		assert_ok!(plain_burn(BOB, 5_001));
		assert_noop!(plain_burn(APPROVER, 5_001), Error::<Test>::TooManyPendingBurns);
	});
}

#[test]
fn approve_large_burn_works() {
	test(|| {
		assert_ok!(burn_to(ALICE, 6_000));
		let before = issuance();
		assert_ok!(BurnProofs::approve_large_burn(RuntimeOrigin::signed(APPROVER), 0));
		assert_eq!(issuance(), before - 6_000);
		assert_eq!(held(ALICE), 0);
		assert_eq!(free(ALICE), 4_000);
		assert!(!PendingBurns::<Test>::contains_key(0));
		let record = Burns::<Test>::get(0).unwrap();
		assert_eq!((record.burner, record.amount), (ALICE, 6_000));
		assert_eq!(last_event(), Event::BurnApproved { request: 0, id: 0 });
		assert_eq!(TotalBurned::<Test>::get(), 6_000);
	});
}

#[test]
fn approve_large_burn_rejects_bad_calls() {
	test(|| {
		assert_ok!(burn_to(ALICE, 6_000));
		assert_noop!(BurnProofs::approve_large_burn(RuntimeOrigin::signed(ALICE), 0), bad_origin());
		assert_noop!(
			BurnProofs::approve_large_burn(RuntimeOrigin::signed(APPROVER), 1),
			Error::<Test>::UnknownRequest
		);
		// The per-block limit applies to approvals too.
		for _ in 0..3 {
			assert_ok!(plain_burn(BOB, 100));
		}
		assert_noop!(
			BurnProofs::approve_large_burn(RuntimeOrigin::signed(APPROVER), 0),
			Error::<Test>::TooManyBurnsInBlock
		);
		// Approving twice: the second finds nothing.
		System::set_block_number(2);
		assert_ok!(BurnProofs::approve_large_burn(RuntimeOrigin::signed(APPROVER), 0));
		assert_noop!(
			BurnProofs::approve_large_burn(RuntimeOrigin::signed(APPROVER), 0),
			Error::<Test>::UnknownRequest
		);
	});
}

#[test]
fn reject_large_burn_works() {
	test(|| {
		assert_ok!(burn_to(ALICE, 6_000));
		let before = issuance();
		assert_ok!(BurnProofs::reject_large_burn(RuntimeOrigin::signed(APPROVER), 0));
		assert_eq!(issuance(), before);
		assert_eq!((held(ALICE), free(ALICE)), (0, 10_000));
		assert_eq!(NextBurnId::<Test>::get(), 0);
		assert_eq!(last_event(), Event::BurnRejected { request: 0, burner: ALICE, amount: 6_000 });
	});
}

#[test]
fn reject_large_burn_rejects_bad_calls() {
	test(|| {
		assert_ok!(burn_to(ALICE, 6_000));
		assert_noop!(BurnProofs::reject_large_burn(RuntimeOrigin::signed(ALICE), 0), bad_origin());
		assert_noop!(
			BurnProofs::reject_large_burn(RuntimeOrigin::signed(APPROVER), 5),
			Error::<Test>::UnknownRequest
		);
	});
}

#[test]
fn cancel_large_burn_works() {
	test(|| {
		assert_ok!(burn_to(ALICE, 6_000));
		assert_ok!(BurnProofs::cancel_large_burn(RuntimeOrigin::signed(ALICE), 0));
		assert_eq!((held(ALICE), free(ALICE)), (0, 10_000));
		assert_eq!(last_event(), Event::BurnCancelled { request: 0, burner: ALICE, amount: 6_000 });
		// A new request gets a new id.
		assert_ok!(burn_to(ALICE, 6_000));
		assert!(PendingBurns::<Test>::contains_key(1));
	});
}

#[test]
fn cancel_large_burn_rejects_others_and_approved_burns() {
	test(|| {
		assert_ok!(burn_to(ALICE, 6_000));
		assert_noop!(
			BurnProofs::cancel_large_burn(RuntimeOrigin::signed(BOB), 0),
			Error::<Test>::NotBurner
		);
		assert_noop!(
			BurnProofs::cancel_large_burn(RuntimeOrigin::signed(APPROVER), 0),
			Error::<Test>::NotBurner
		);
		assert_noop!(BurnProofs::cancel_large_burn(RuntimeOrigin::root(), 0), bad_origin());
		assert_ok!(BurnProofs::approve_large_burn(RuntimeOrigin::signed(APPROVER), 0));
		assert_noop!(
			BurnProofs::cancel_large_burn(RuntimeOrigin::signed(ALICE), 0),
			Error::<Test>::UnknownRequest
		);
	});
}

#[test]
fn set_large_burn_threshold_works() {
	test(|| {
		assert_ok!(BurnProofs::set_large_burn_threshold(RuntimeOrigin::root(), None));
		assert_eq!(last_event(), Event::LargeBurnThresholdSet { threshold: None });
		assert_ok!(plain_burn(ALICE, 9_000));
		assert!(Burns::<Test>::contains_key(0), "no threshold: executed at once");
		assert_ok!(BurnProofs::set_large_burn_threshold(RuntimeOrigin::root(), Some(100)));
		assert_ok!(plain_burn(BOB, 101));
		assert!(PendingBurns::<Test>::contains_key(0));
	});
}

#[test]
fn set_large_burn_threshold_rejects_non_admin() {
	test(|| {
		assert_noop!(
			BurnProofs::set_large_burn_threshold(RuntimeOrigin::signed(APPROVER), None),
			bad_origin()
		);
	});
}

#[test]
fn add_destination_works() {
	test(|| {
		assert_ok!(BurnProofs::add_destination(RuntimeOrigin::root(), ChainId(3)));
		assert_eq!(last_event(), Event::DestinationAdded { chain: ChainId(3) });
		assert_ok!(BurnProofs::burn(
			RuntimeOrigin::signed(ALICE),
			500,
			Some(ChainId(3)),
			vec![1; 32],
			vec![]
		));
	});
}

#[test]
fn add_destination_rejects_bad_calls() {
	test(|| {
		assert_noop!(
			BurnProofs::add_destination(RuntimeOrigin::signed(ALICE), ChainId(3)),
			bad_origin()
		);
		assert_noop!(
			BurnProofs::add_destination(RuntimeOrigin::root(), THIS_CHAIN),
			Error::<Test>::OwnChain
		);
		assert_noop!(
			BurnProofs::add_destination(RuntimeOrigin::root(), OTHER_CHAIN),
			Error::<Test>::DestinationAlreadyKnown
		);
		assert_ok!(BurnProofs::add_destination(RuntimeOrigin::root(), ChainId(3)));
		assert_noop!(
			BurnProofs::add_destination(RuntimeOrigin::root(), ChainId(4)),
			Error::<Test>::TooManyDestinations
		);
	});
}

#[test]
fn remove_destination_works() {
	test(|| {
		assert_ok!(burn_to(ALICE, 500));
		assert_ok!(burn_to(ALICE, 6_000));
		assert_ok!(BurnProofs::remove_destination(RuntimeOrigin::root(), OTHER_CHAIN));
		assert_eq!(last_event(), Event::DestinationRemoved { chain: OTHER_CHAIN });
		assert_noop!(burn_to(BOB, 500), Error::<Test>::UnknownDestination);
		// Records stay; the waiting burn can still be approved.
		assert!(Burns::<Test>::contains_key(0));
		assert_ok!(BurnProofs::approve_large_burn(RuntimeOrigin::signed(APPROVER), 0));
		assert_eq!(BurnedTo::<Test>::get(OTHER_CHAIN), 6_500);
	});
}

#[test]
fn remove_destination_rejects_bad_calls() {
	test(|| {
		assert_noop!(
			BurnProofs::remove_destination(RuntimeOrigin::signed(ALICE), OTHER_CHAIN),
			bad_origin()
		);
		assert_noop!(
			BurnProofs::remove_destination(RuntimeOrigin::root(), ChainId(9)),
			Error::<Test>::UnknownDestination
		);
	});
}

#[test]
fn try_state_catches_a_broken_total() {
	new_test_ext().execute_with(|| {
		assert_ok!(burn_to(ALICE, 500));
		assert_ok!(BurnProofs::do_try_state());
		TotalBurned::<Test>::put(499);
		assert!(BurnProofs::do_try_state().is_err());
	});
}

#[test]
fn try_state_catches_unbacked_pending_burns() {
	new_test_ext().execute_with(|| {
		assert_ok!(burn_to(ALICE, 6_000));
		assert_ok!(BurnProofs::do_try_state());
		PendingBurns::<Test>::mutate(0, |p| p.as_mut().unwrap().amount = 7_000);
		assert!(BurnProofs::do_try_state().is_err());
	});
}

#[test]
fn frozen_burner_cannot_block_a_large_burn_approval() {
	test(|| {
		use frame_support::traits::fungible::MutateFreeze;
		assert_ok!(burn_to(ALICE, 6_000));
		assert_ok!(<Balances as MutateFreeze<AccountId>>::set_freeze(&0, &ALICE, Balance::MAX));
		let before = issuance();
		assert_ok!(BurnProofs::approve_large_burn(RuntimeOrigin::signed(APPROVER), 0));
		assert_eq!(issuance(), before - 6_000);
		assert_eq!(held(ALICE), 0);
		assert_eq!(Burns::<Test>::get(0).map(|r| r.amount), Some(6_000));
	});
}

#[test]
fn unmintable_beneficiary_is_rejected() {
	test(|| {
		// Neither fits an account of a tpchain destination: the tokens would never be minted.
		for bad in [vec![1u8; 31], vec![1u8; 33], b"0xbeneficiary".to_vec()] {
			assert_noop!(
				BurnProofs::burn(RuntimeOrigin::signed(ALICE), 500, Some(OTHER_CHAIN), bad, vec![]),
				Error::<Test>::InvalidBeneficiary
			);
		}
		// Large burns are checked before anything is held.
		assert_noop!(
			BurnProofs::burn(
				RuntimeOrigin::signed(ALICE),
				6_000,
				Some(OTHER_CHAIN),
				vec![1; 20],
				vec![]
			),
			Error::<Test>::InvalidBeneficiary
		);
	});
}

fn blob(bytes: &[u8]) -> tpchain_primitives::message::MessageBlob {
	bytes.to_vec().try_into().unwrap()
}

#[test]
fn message_is_stored_where_the_primitives_prove_it() {
	test(|| {
		let prepared = BurnProofs::prepare_message(OTHER_CHAIN, 700).unwrap();
		assert_eq!(BurnProofs::commit_message(prepared, blob(b"xcm")), 0);
		assert_eq!(
			OutboundMessages::<Test>::hashed_key_for(OTHER_CHAIN, 0u64),
			tpchain_primitives::message::outbound_message_key(OTHER_CHAIN, 0)
		);
		assert_eq!(
			NextMessageNonce::<Test>::hashed_key_for(OTHER_CHAIN),
			tpchain_primitives::message::next_message_nonce_key(OTHER_CHAIN)
		);
	});
}

#[test]
fn messages_count_in_the_burn_totals_with_gap_free_nonces() {
	test(|| {
		assert_ok!(burn_to(ALICE, 1_000));
		for (expected, value) in [(0u64, 700), (1, 0)] {
			let prepared = BurnProofs::prepare_message(OTHER_CHAIN, value).unwrap();
			assert_eq!(BurnProofs::commit_message(prepared, blob(b"xcm")), expected);
		}
		assert_eq!(TotalBurned::<Test>::get(), 1_700);
		assert_eq!(BurnedTo::<Test>::get(OTHER_CHAIN), 1_700);
		assert_eq!(NextMessageNonce::<Test>::get(OTHER_CHAIN), 2);
		// Burn ids are not consumed by messages.
		assert_eq!(NextBurnId::<Test>::get(), 1);
		let stored = OutboundMessages::<Test>::get(OTHER_CHAIN, 0).unwrap();
		assert_eq!((stored.value, stored.xcm.to_vec(), stored.block), (700, b"xcm".to_vec(), 1));
		assert_eq!(
			last_event(),
			Event::MessageSent {
				destination: OTHER_CHAIN,
				nonce: 1,
				value: 0,
				hash: sp_io::hashing::blake2_256(b"xcm"),
			}
		);
	});
}

#[test]
fn message_to_an_unregistered_chain_is_refused() {
	test(|| {
		assert_eq!(
			BurnProofs::prepare_message(ChainId(9), 1).err(),
			Some(Error::<Test>::UnknownDestination.into())
		);
	});
}

#[test]
fn messages_share_the_per_block_record_budget() {
	test(|| {
		// MaxBurnsPerBlock = 3: two burns and one message fill the block.
		assert_ok!(burn_to(ALICE, 100));
		assert_ok!(burn_to(ALICE, 100));
		let prepared = BurnProofs::prepare_message(OTHER_CHAIN, 1).unwrap();
		BurnProofs::commit_message(prepared, blob(b"m"));
		assert_eq!(
			BurnProofs::prepare_message(OTHER_CHAIN, 1).err(),
			Some(Error::<Test>::TooManyBurnsInBlock.into())
		);
		assert_noop!(burn_to(ALICE, 100), Error::<Test>::TooManyBurnsInBlock);
	});
}

#[test]
fn message_total_overflow_is_refused_before_any_write() {
	test(|| {
		TotalBurned::<Test>::put(Balance::MAX);
		assert_eq!(
			BurnProofs::prepare_message(OTHER_CHAIN, 1).err(),
			Some(Error::<Test>::Overflow.into())
		);
		assert_eq!(NextMessageNonce::<Test>::get(OTHER_CHAIN), 0);
		TotalBurned::<Test>::put(0);
	});
}
