use crate::{
	migrations::v1::MigrateV0ToV1, mock::*, Baseline, BaselineInfo, BurnFees, BurnXcmFees,
	DustBurned, FeesBurned, Pallet,
};
use frame_support::{
	assert_ok,
	traits::{
		fungible::{Balanced, Mutate, MutateFreeze},
		tokens::{Fortitude, Precision, Preservation},
		GetStorageVersion, Imbalance, OnRuntimeUpgrade, OnUnbalanced, StorageVersion,
	},
};
use tpchain_primitives::ChainId;

fn report() -> tpchain_primitives::supply::SupplyReport {
	Pallet::<Test>::report()
}

#[test]
fn genesis_records_the_issuance_balances_built() {
	new_test_ext().execute_with(|| {
		assert_eq!(Baseline::<Test>::get(), Some(BaselineInfo { issuance: 1_500, since: 0 }));
		let r = report();
		assert_eq!((r.total_issuance, r.genesis_issuance, r.free), (1_500, 1_500, 1_500));
		assert!(r.reconciled());
		assert_ok!(Pallet::<Test>::do_try_state());
	});
}

#[test]
fn fees_are_burned_and_counted() {
	new_test_ext().execute_with(|| {
		let fee = <Balances as Balanced<u64>>::withdraw(
			&1,
			30,
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		)
		.unwrap();
		BurnFees::<Test>::on_unbalanced(fee);
		assert_eq!(FeesBurned::<Test>::get(), 30);
		let r = report();
		assert_eq!((r.total_issuance, r.fees, r.difference()), (1_470, 30, 0));
		assert_ok!(Pallet::<Test>::do_try_state());
	});
}

#[test]
fn dust_is_burned_and_counted() {
	new_test_ext().execute_with(|| {
		// 5 left on account 2 is below the existential deposit of 10.
		assert_ok!(Balances::transfer_allow_death(RuntimeOrigin::signed(2), 1, 495));
		assert_eq!(DustBurned::<Test>::get(), 5);
		let r = report();
		assert_eq!((r.total_issuance, r.dust, r.difference()), (1_495, 5, 0));
		assert_ok!(Pallet::<Test>::do_try_state());
	});
}

#[test]
fn a_mint_no_counter_saw_is_reported_unreconciled() {
	new_test_ext().execute_with(|| {
		assert_ok!(<Balances as Mutate<u64>>::mint_into(&1, 7));
		let r = report();
		assert_eq!((r.difference(), r.reconciled()), (7, false));
		assert_eq!(
			Pallet::<Test>::do_try_state(),
			Err(sp_runtime::DispatchError::Other("supply identity does not hold"))
		);
	});
}

#[test]
fn a_burn_no_counter_saw_is_reported_unreconciled() {
	new_test_ext().execute_with(|| {
		assert_ok!(<Balances as Mutate<u64>>::burn_from(
			&1,
			9,
			Preservation::Preserve,
			Precision::Exact,
			Fortitude::Polite
		));
		assert_eq!(report().difference(), -9);
	});
}

#[test]
fn counted_mints_and_burns_reconcile() {
	new_test_ext().execute_with(|| {
		assert_ok!(<Balances as Mutate<u64>>::mint_into(&1, 70));
		assert_ok!(<Balances as Mutate<u64>>::burn_from(
			&2,
			20,
			Preservation::Preserve,
			Precision::Exact,
			Fortitude::Polite
		));
		set_counted(vec![(ChainId(2), 50), (ChainId(3), 20)], 20);
		let r = report();
		assert_eq!((r.minted_total(), r.burned, r.total_issuance), (70, 20, 1_550));
		assert!(r.reconciled());
	});
}

#[test]
fn xcm_flows_reconcile_and_a_trap_stays_issued_until_claimed() {
	new_test_ext().execute_with(|| {
		// As the executor does: holding is credit, withdrawn from an account (issuance
		// unchanged), part dropped as the fee (burned), the rest resolved into an account.
		let withdraw = |who: u64, amount: u128| {
			let credit = <Balances as Balanced<u64>>::withdraw(
				&who,
				amount,
				Precision::Exact,
				Preservation::Preserve,
				Fortitude::Polite,
			)
			.unwrap();
			Pallet::<Test>::note_xcm(|x| x.withdrawn += amount);
			credit
		};
		let holding = withdraw(1, 10);
		let (fee, rest) = holding.split(2);
		BurnXcmFees::<Test>::on_unbalanced(fee);
		assert_ok!(<Balances as Balanced<u64>>::resolve(&2, rest));
		Pallet::<Test>::note_xcm(|x| x.deposited += 8);
		let r = report();
		assert_eq!((r.xcm.fees, r.fees_total(), r.xcm.destroyed(), r.difference()), (2, 2, 0, 0));
		assert_eq!(r.total_issuance, 1_498);
		assert_ok!(Pallet::<Test>::do_try_state());
		// Another withdraws 5 and traps them: pallet-xcm forgets the credit, still issued.
		core::mem::forget(withdraw(1, 5));
		Pallet::<Test>::note_xcm(|x| x.trapped += 5);
		let r = report();
		assert_eq!((r.xcm.in_traps(), r.xcm.destroyed(), r.difference()), (5, 0, 0));
		assert_eq!((r.total_issuance, r.free), (1_498, 1_493));
		assert_ok!(Pallet::<Test>::do_try_state());
		// The claim mints them back into holding without changing the issuance (pallet-xcm
		// drops a duplicate), and they are deposited.
		let claimed = <Balances as Balanced<u64>>::issue(5);
		// Dropping the duplicate credit: what a dropped credit does to the issuance.
		pallet_balances::TotalIssuance::<Test>::mutate(|t| *t -= 5);
		Pallet::<Test>::note_xcm(|x| x.claimed += 5);
		assert_ok!(<Balances as Balanced<u64>>::resolve(&2, claimed));
		Pallet::<Test>::note_xcm(|x| x.deposited += 5);
		let r = report();
		assert_eq!((r.xcm.in_traps(), r.total_issuance, r.difference()), (0, 1_498, 0));
		assert_ok!(Pallet::<Test>::do_try_state());
		// A program that burns what it withdrew (`BurnAsset`).
		drop(withdraw(2, 3));
		let r = report();
		assert_eq!((r.xcm.destroyed(), r.total_issuance, r.difference()), (3, 1_495, 0));
	});
}

#[test]
fn freezes_are_reported_by_reason_and_stay_in_free() {
	new_test_ext().execute_with(|| {
		// (reason, account, amount)
		assert_ok!(<Balances as MutateFreeze<u64>>::set_freeze(&1, &1, 300));
		assert_ok!(<Balances as MutateFreeze<u64>>::set_freeze(&1, &2, 100));
		assert_ok!(<Balances as MutateFreeze<u64>>::set_freeze(&4, &2, 50));
		let r = report();
		assert_eq!(r.frozen, vec![(b"Test.One".to_vec(), 400), (b"Test.Other".to_vec(), 50)]);
		assert_eq!(r.free, 1_500);
	});
}

#[test]
fn try_state_catches_an_account_changed_without_the_issuance() {
	new_test_ext().execute_with(|| {
		frame_system::Account::<Test>::mutate(1, |a| a.data.free += 1);
		assert_eq!(
			Pallet::<Test>::do_try_state(),
			Err(sp_runtime::DispatchError::Other(
				"accounts and traps do not add up to the issuance"
			))
		);
	});
}

#[test]
fn migration_counts_from_the_upgrade_and_reconciles() {
	new_test_ext().execute_with(|| {
		// A live chain without the pallet: 70 minted and 20 burned since genesis, fees unknown.
		assert_ok!(<Balances as Mutate<u64>>::mint_into(&1, 70));
		assert_ok!(<Balances as Mutate<u64>>::burn_from(
			&2,
			33,
			Preservation::Preserve,
			Precision::Exact,
			Fortitude::Polite
		));
		set_counted(vec![(ChainId(2), 70)], 20);
		Baseline::<Test>::kill();
		StorageVersion::new(0).put::<Pallet<Test>>();
		System::set_block_number(40);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		// 1,537 now, less 70 minted, plus 20 burned; the 13 of uncounted burns are folded in.
		assert_eq!(Baseline::<Test>::get(), Some(BaselineInfo { issuance: 1_487, since: 40 }));
		assert_eq!(Pallet::<Test>::on_chain_storage_version(), 1);
		let r = report();
		assert_eq!((r.counting_since, r.difference()), (40, 0));
		// Runs once: a second upgrade leaves the baseline alone.
		System::set_block_number(50);
		MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Baseline::<Test>::get().map(|b| b.since), Some(40));
	});
}
