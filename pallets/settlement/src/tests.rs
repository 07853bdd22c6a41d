//! Tests of the settlement pallet: netting equals sequential application, every failure kind is
//! skipped with its reason, replay and cross-network signatures fail, limits, roots, pruning.

use crate::{mock::*, *};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect as _, Mutate as _, MutateFreeze as _},
		tokens::Preservation,
	},
};
use sp_runtime::DispatchError;
use tpchain_primitives::settlement::{batch_leaves, batch_path, batch_root, verify_batch_path};

type Batch = BoundedVec<SignedInstruction, <Test as Config>::MaxInstructions>;

fn batch(v: Vec<SignedInstruction>) -> Batch {
	v.try_into().expect("within MaxInstructions")
}

fn settle(submitter: &str, v: Vec<SignedInstruction>) -> DispatchResultWithPostInfo {
	Settlement::settle(RuntimeOrigin::signed(acc(submitter)), batch(v))
}

/// The last `BatchSettled`: (batch, submitter, settled, failed, root).
fn last_settled() -> (BatchId, AccountId, u32, Vec<(u32, Failure)>, Hash) {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Settlement(Event::BatchSettled {
				batch,
				submitter,
				settled,
				failed,
				root,
			}) => Some((batch, submitter, settled, failed.into_inner(), root)),
			_ => None,
		})
		.expect("a BatchSettled event")
}

fn balance(name: &str) -> Balance {
	Balances::balance(&acc(name))
}

fn hash_of(s: &SignedInstruction) -> Hash {
	s.instruction.hash(CHAIN, &genesis())
}

#[test]
fn a_batch_settles_netted_and_commits_its_root() {
	new_test_ext().execute_with(|| {
		let issuance = Balances::total_issuance();
		// Erin has nothing: she receives from Alice before she pays Bob in the same batch.
		let v = vec![
			sign("Alice", instruction("Alice", "Erin", 300, 0)),
			sign("Erin", instruction("Erin", "Bob", 200, 0)),
			sign("Bob", instruction("Bob", "Alice", 50, 0)),
			sign("Alice", instruction("Alice", "Bob", 10, 1)),
		];
		let hashes: Vec<_> = v.iter().map(hash_of).collect();
		assert_ok!(settle("Charlie", v));
		assert_eq!(balance("Alice"), FUNDS - 300 + 50 - 10);
		assert_eq!(balance("Erin"), 100);
		assert_eq!(balance("Bob"), FUNDS + 200 - 50 + 10);
		assert_eq!(balance("Charlie"), FUNDS, "the submitter pays only the fee");
		assert_eq!(Balances::total_issuance(), issuance);

		let (id, submitter, settled, failed, root) = last_settled();
		assert_eq!((id, submitter, settled, failed), (0, acc("Charlie"), 4, vec![]));
		assert_eq!(root, batch_root(&hashes));
		let kept = Batches::<Test>::get(0).expect("kept");
		assert_eq!((kept.root, kept.settled, kept.block), (root, 4, 1));
		for (i, h) in hashes.iter().enumerate() {
			let path = batch_path(&hashes, i as u32);
			assert!(verify_batch_path(&root, &path, 4, i as u32, h));
		}
		assert_eq!(Payers::<Test>::get(acc("Alice")).unwrap().floor, 2);
		assert_ok!(Settlement::do_try_state());
	});
}

#[test]
fn every_failure_is_skipped_with_its_reason_and_moves_nothing() {
	new_test_ext().execute_with(|| {
		assert_ok!(Settlement::set_limits(
			RuntimeOrigin::signed(acc("Dave")),
			Limits { per_instruction: Some(100), per_period: Some(150) },
		));
		let mut expired = instruction("Alice", "Bob", 5, 1);
		expired.expiry = Expiry::Block(0);
		let mut expired_time = instruction("Alice", "Bob", 5, 2);
		expired_time.expiry = Expiry::Time(999);
		let mut forged = sign("Alice", instruction("Alice", "Bob", 5, 3));
		forged.instruction.amount = 500;
		let v = vec![
			sign("Alice", instruction("Alice", "Bob", 7, 20)),
			sign("Alice", expired),
			sign("Alice", expired_time),
			forged,
			sign("Alice", instruction("Alice", "Bob", 7, 20)),
			sign("Alice", instruction("Alice", "Bob", 0, 4)),
			sign("Alice", instruction("Alice", "Alice", 5, 5)),
			sign("Alice", instruction("Alice", "Bob", FUNDS, 6)),
			sign("Alice", instruction("Alice", "Erin", ED - 1, 7)),
			sign("Dave", instruction("Dave", "Bob", 101, 0)),
			sign("Dave", instruction("Dave", "Bob", 100, 1)),
			sign("Dave", instruction("Dave", "Bob", 51, 2)),
		];
		// The node finds a batch's instructions through the extrinsic index it records.
		sp_io::storage::set(sp_core::storage::well_known_keys::EXTRINSIC_INDEX, &3u32.encode());
		assert_ok!(settle("Charlie", v.clone()));
		let (_, _, settled, failed, root) = last_settled();
		// The record alone rebuilds the tree from the batch: receipts need no other state.
		let kept = Batches::<Test>::get(0).expect("kept");
		assert_eq!(kept.extrinsic, 3);
		assert_eq!(kept.failed.to_vec(), failed.iter().map(|(i, _)| *i).collect::<Vec<_>>());
		let leaves = batch_leaves(&v, &kept.failed, CHAIN, &genesis());
		assert_eq!((leaves.len() as u32, batch_root(&leaves)), (kept.settled, root));
		assert_eq!(settled, 2);
		assert_eq!(
			failed,
			vec![
				(1, Failure::Expired),
				(2, Failure::Expired),
				(3, Failure::BadSignature),
				(4, Failure::SequenceUsed),
				(5, Failure::ZeroAmount),
				(6, Failure::SelfPayment),
				(7, Failure::InsufficientFunds),
				(8, Failure::PayeeBelowMinimum),
				(9, Failure::OverInstructionLimit),
				(11, Failure::OverPeriodLimit),
			]
		);
		assert_eq!(balance("Alice"), FUNDS - 7);
		assert_eq!(balance("Dave"), FUNDS - 100);
		assert_eq!(balance("Bob"), FUNDS + 107);
		assert_eq!(balance("Erin"), 0);
		// Failed sequence numbers stay usable.
		let alice = Payers::<Test>::get(acc("Alice")).unwrap();
		assert_eq!(alice.check_sequence(6), Ok(()));
		assert_ok!(Settlement::do_try_state());
	});
}

#[test]
fn stranger_cannot_spend_a_payers_funds_without_their_signature() {
	new_test_ext().execute_with(|| {
		// Eve signs an instruction that names Alice as payer.
		let i = instruction("Alice", "Eve", 500, 0);
		assert_ok!(settle("Eve", vec![sign_for("Eve", i, CHAIN, &genesis())]));
		assert_eq!(last_settled().3, vec![(0, Failure::BadSignature)]);
		assert_eq!((balance("Alice"), balance("Eve")), (FUNDS, 0));
		assert!(Payers::<Test>::get(acc("Alice")).is_none());
	});
}

#[test]
fn instruction_signed_for_another_network_cannot_settle_here() {
	new_test_ext().execute_with(|| {
		let other_chain =
			sign_for("Alice", instruction("Alice", "Bob", 5, 0), ChainId(8), &genesis());
		let other_genesis =
			sign_for("Alice", instruction("Alice", "Bob", 5, 1), CHAIN, &Hash::repeat_byte(1));
		assert_ok!(settle("Bob", vec![other_chain, other_genesis]));
		assert_eq!(last_settled().3, vec![(0, Failure::BadSignature), (1, Failure::BadSignature)]);
		assert_eq!(balance("Alice"), FUNDS);
	});
}

#[test]
fn settled_instruction_cannot_be_replayed_by_another_submitter() {
	new_test_ext().execute_with(|| {
		// Sequence 0 moves the floor past it; 5 stays in the window above the floor.
		let v = vec![
			sign("Alice", instruction("Alice", "Bob", 40, 0)),
			sign("Alice", instruction("Alice", "Bob", 2, 5)),
		];
		assert_ok!(settle("Charlie", v.clone()));
		run_to(2);
		let refused = vec![(0, Failure::SequenceTooOld), (1, Failure::SequenceUsed)];
		assert_ok!(settle("Dave", v.clone()));
		assert_eq!(last_settled().3, refused);
		assert_ok!(settle("Charlie", v));
		assert_eq!(last_settled().3, refused);
		assert_eq!(balance("Alice"), FUNDS - 42);
	});
}

#[test]
fn sequences_far_ahead_give_up_older_ones_for_good() {
	new_test_ext().execute_with(|| {
		let old = sign("Alice", instruction("Alice", "Bob", 1, 3));
		assert_ok!(settle("Bob", vec![sign("Alice", instruction("Alice", "Bob", 1, 1_000))]));
		assert_ok!(settle("Bob", vec![old]));
		assert_eq!(last_settled().3, vec![(0, Failure::SequenceTooOld)]);
	});
}

#[test]
fn payer_keeps_existential_deposit_and_frozen_funds() {
	new_test_ext().execute_with(|| {
		assert_ok!(Balances::set_freeze(&0, &acc("Alice"), 600));
		let v = vec![
			sign("Alice", instruction("Alice", "Bob", FUNDS - 600 + 1, 0)),
			sign("Alice", instruction("Alice", "Bob", FUNDS - 600, 1)),
			sign("Bob", instruction("Bob", "Charlie", FUNDS + FUNDS - 600, 0)),
			sign("Bob", instruction("Bob", "Charlie", FUNDS + FUNDS - 600 - ED, 1)),
		];
		assert_ok!(settle("Dave", v));
		assert_eq!(
			last_settled().3,
			vec![(0, Failure::InsufficientFunds), (2, Failure::InsufficientFunds)]
		);
		assert_eq!((balance("Alice"), balance("Bob")), (600, ED));
	});
}

#[test]
fn limits_apply_per_period_and_the_tighter_one_wins() {
	new_test_ext().execute_with(|| {
		assert_ok!(Settlement::set_limits(
			RuntimeOrigin::signed(acc("Alice")),
			Limits { per_instruction: None, per_period: Some(100) },
		));
		assert_noop!(
			Settlement::impose_limits(
				RuntimeOrigin::signed(acc("Alice")),
				acc("Alice"),
				Limits::default()
			),
			DispatchError::BadOrigin
		);
		assert_ok!(Settlement::impose_limits(
			RuntimeOrigin::root(),
			acc("Alice"),
			Limits { per_instruction: Some(30), per_period: Some(1_000) },
		));
		let v = vec![
			sign("Alice", instruction("Alice", "Bob", 31, 0)),
			sign("Alice", instruction("Alice", "Bob", 30, 1)),
			sign("Alice", instruction("Alice", "Bob", 30, 2)),
			sign("Alice", instruction("Alice", "Bob", 30, 3)),
			sign("Alice", instruction("Alice", "Bob", 30, 4)),
		];
		assert_ok!(settle("Bob", v));
		assert_eq!(
			last_settled().3,
			vec![(0, Failure::OverInstructionLimit), (4, Failure::OverPeriodLimit)]
		);
		assert_eq!(balance("Alice"), FUNDS - 90);
		// A new period starts `PERIOD` blocks after the first payment of the last one.
		run_to(1 + PERIOD);
		assert_ok!(settle("Bob", vec![sign("Alice", instruction("Alice", "Bob", 30, 4))]));
		assert_eq!(last_settled().2, 1);
		assert_eq!(balance("Alice"), FUNDS - 120);
	});
}

#[test]
fn bad_batches_are_refused_and_change_nothing() {
	new_test_ext().execute_with(|| {
		assert_noop!(settle("Bob", vec![]), Error::<Test>::EmptyBatch);
		for _ in 0..MAX_BATCHES_PER_BLOCK {
			assert_ok!(settle("Bob", vec![sign("Alice", instruction("Alice", "Bob", 1, 0))]));
		}
		assert_noop!(
			settle("Bob", vec![sign("Alice", instruction("Alice", "Bob", 1, 1))]),
			Error::<Test>::TooManyBatches
		);
		run_to(2);
		assert_ok!(settle("Bob", vec![sign("Alice", instruction("Alice", "Bob", 1, 1))]));
	});
}

#[test]
fn roots_are_kept_for_the_retention_then_pruned() {
	new_test_ext().execute_with(|| {
		assert_ok!(settle("Bob", vec![sign("Alice", instruction("Alice", "Bob", 1, 0))]));
		run_to(2);
		assert_ok!(settle("Bob", vec![sign("Alice", instruction("Alice", "Bob", 1, 1))]));
		run_to(1 + RETENTION);
		assert!(Batches::<Test>::get(0).is_some());
		run_to(2 + RETENTION);
		assert_eq!((Batches::<Test>::get(0), OldestBatch::<Test>::get()), (None, 1));
		assert!(Batches::<Test>::get(1).is_some());
		run_to(3 + RETENTION);
		assert_eq!((Batches::<Test>::iter().count(), OldestBatch::<Test>::get()), (0, 2));
		assert_ok!(Settlement::do_try_state());
	});
}

#[test]
fn failed_payers_leave_no_state() {
	new_test_ext().execute_with(|| {
		// Erin has nothing: her instructions fail and she gets no `Payers` entry.
		assert_ok!(settle("Bob", vec![sign("Erin", instruction("Erin", "Bob", 5, 0))]));
		assert_eq!(last_settled().3, vec![(0, Failure::InsufficientFunds)]);
		assert!(Payers::<Test>::get(acc("Erin")).is_none());
	});
}

mod netting_equals_sequential {
	//! Random batches settle exactly as the same instructions applied one by one with
	//! `fungible::Mutate::transfer` (keep-alive), with replays, forgeries and expired ones
	//! mixed in.
	use super::*;
	use proptest::prelude::*;
	use std::collections::BTreeSet;

	const NAMES: [&str; 6] = ["Alice", "Bob", "Charlie", "Dave", "Erin", "Ferdie"];

	#[derive(Debug, Clone)]
	struct Spec {
		payer: usize,
		payee: usize,
		amount: Balance,
		sequence: u64,
		forged: bool,
		expired: bool,
	}

	fn spec() -> impl Strategy<Value = Spec> {
		(
			0..6usize,
			0..6usize,
			0..700u128,
			0..6u64,
			prop::bool::weighted(0.1),
			prop::bool::weighted(0.1),
		)
			.prop_map(|(payer, payee, amount, sequence, forged, expired)| Spec {
				payer,
				payee,
				amount,
				sequence,
				forged,
				expired,
			})
	}

	fn signed(s: &Spec) -> SignedInstruction {
		let mut i = instruction(NAMES[s.payer], NAMES[s.payee], s.amount, s.sequence);
		if s.expired {
			i.expiry = Expiry::Block(0);
		}
		let mut signed = sign(NAMES[s.payer], i);
		if s.forged {
			signed.instruction.amount += 1;
		}
		signed
	}

	/// Applies `specs` one by one; returns the failed indices and every balance.
	fn sequential(specs: &[Spec]) -> (Vec<u32>, Vec<Balance>) {
		let mut used = BTreeSet::new();
		let mut failed = Vec::new();
		for (index, s) in specs.iter().enumerate() {
			let ok = !s.forged
				&& !s.expired
				&& s.amount > 0
				&& s.payer != s.payee
				&& !used.contains(&(s.payer, s.sequence))
				&& Balances::transfer(
					&acc(NAMES[s.payer]),
					&acc(NAMES[s.payee]),
					s.amount,
					Preservation::Preserve,
				)
				.is_ok();
			if ok {
				used.insert((s.payer, s.sequence));
			} else {
				failed.push(index as u32);
			}
		}
		(failed, NAMES.iter().map(|n| balance(n)).collect())
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(64))]
		#[test]
		fn random_batches(specs in prop::collection::vec(spec(), 1..40)) {
			let expected = new_test_ext().execute_with(|| sequential(&specs));
			new_test_ext().execute_with(|| {
				let issuance = Balances::total_issuance();
				assert_ok!(settle("Ferdie", specs.iter().map(signed).collect()));
				let (_, _, settled, failed, _) = last_settled();
				let failed: Vec<u32> = failed.into_iter().map(|(i, _)| i).collect();
				assert_eq!(settled as usize, specs.len() - failed.len());
				assert_eq!(failed, expected.0);
				let balances: Vec<Balance> = NAMES.iter().map(|n| balance(n)).collect();
				assert_eq!(balances, expected.1);
				assert_eq!(Balances::total_issuance(), issuance);
				assert_ok!(Settlement::do_try_state());
			});
		}
	}
}

#[test]
fn parameters_vote_cannot_loosen_an_imposed_limit() {
	new_test_ext().execute_with(|| {
		let gov = RuntimeOrigin::signed(acc("Governor"));
		let limits = |i, p| Limits { per_instruction: i, per_period: p };
		assert_ok!(Settlement::impose_limits(
			gov.clone(),
			acc("Alice"),
			limits(Some(30), Some(1_000))
		));
		assert_ok!(Settlement::impose_limits(
			gov.clone(),
			acc("Alice"),
			limits(Some(20), Some(1_000))
		));
		for looser in [limits(None, None), limits(Some(21), Some(1_000)), limits(Some(20), None)] {
			assert_noop!(
				Settlement::impose_limits(gov.clone(), acc("Alice"), looser),
				Error::<Test>::LimitRaise
			);
		}
		// Root (a two-thirds vote) lifts them.
		assert_ok!(Settlement::impose_limits(
			RuntimeOrigin::root(),
			acc("Alice"),
			limits(None, None)
		));
		assert_eq!(Payers::<Test>::get(acc("Alice")).unwrap().imposed, Limits::default());
	});
}

/// The block builder fits batches by their pre-dispatch weight: it counts the accounts a batch
/// names instead of assuming all differ, and the actual weight never exceeds it (a submitter
/// cannot get more work than it is charged for by repeating or mixing accounts).
#[test]
fn pre_dispatch_weight_counts_the_accounts_a_batch_names() {
	use frame_support::dispatch::GetDispatchInfo;
	type W = <Test as Config>::WeightInfo;
	new_test_ext().execute_with(|| {
		let shared: Vec<_> =
			(0..4).map(|seq| sign("Alice", instruction("Alice", "Bob", 5, seq))).collect();
		let mixed = vec![
			sign("Alice", instruction("Alice", "Bob", 5, 4)),
			sign("Dave", instruction("Dave", "Erin", 5, 0)),
			// Fails (expired) but names Charlie: counted, as failed checks may read accounts.
			{
				let mut i = instruction("Charlie", "Bob", 5, 0);
				i.expiry = Expiry::Block(0);
				sign("Charlie", i)
			},
		];
		assert_eq!((distinct_accounts(&shared), distinct_accounts(&mixed)), (2, 5));
		for (v, accounts) in [(shared, 2), (mixed, 5)] {
			let n = v.len() as u32;
			let call = Call::<Test>::settle { batch: batch(v.clone()) };
			let pre = call.get_dispatch_info().call_weight;
			assert_eq!(pre, settle_weight::<W>(n, accounts));
			assert!(pre.all_lt(settle_weight::<W>(n, 2 * n)), "cheaper than all distinct");
			let post = settle("Ferdie", v).expect("settles");
			let actual = post.actual_weight.expect("corrected");
			assert!(actual.all_lte(pre), "{actual:?} above {pre:?}");
		}
	});
}

/// An operator's batch is taken first from a full pool; a stranger cannot claim the boost
/// by naming an operator as payer or payee, nor for another call.
#[test]
fn stranger_cannot_take_an_operators_pool_priority() {
	use frame_support::dispatch::GetDispatchInfo;
	use sp_runtime::traits::{DispatchTransaction, TransactionExtension};
	new_test_ext().execute_with(|| {
		let ext = PrioritizeOperatorBatches::<Test>::new();
		let settle_call: RuntimeCall = Call::<Test>::settle {
			batch: batch(vec![sign("Dave", instruction("Dave", "Bob", 5, 0))]),
		}
		.into();
		let other: RuntimeCall = Call::<Test>::set_limits { limits: Limits::default() }.into();
		let priority = |who: &str, call: &RuntimeCall| {
			let info = call.get_dispatch_info();
			ext.validate_only(
				RuntimeOrigin::signed(acc(who)),
				call,
				&info,
				0,
				sp_runtime::transaction_validity::TransactionSource::External,
				0,
			)
			.expect("valid")
			.0
			.priority
		};
		assert_eq!(priority("Dave", &settle_call), OPERATOR_PRIORITY, "Dave is an operator");
		assert_eq!(priority("Charlie", &settle_call), 0, "Charlie submits Dave's instruction");
		assert_eq!(priority("Dave", &other), 0, "only batches are boosted");
		// The boost is only the pool's order: the batch weighs and settles the same.
		assert!(ext.weight(&settle_call).all_gte(ext.weight(&other)));
	});
}
