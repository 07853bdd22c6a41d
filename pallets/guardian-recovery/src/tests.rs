//! Unit tests: every call and error (each changes nothing), the module docs' stories, and the
//! invariants after each test.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::{DispatchError, TokenError};

fn free(who: AccountId) -> Balance {
	<Balances as Inspect<AccountId>>::balance(&who)
}

fn held(who: AccountId, reason: HoldReason) -> Balance {
	Balances::balance_on_hold(&reason.into(), &who)
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Recovery(e) => Some(e),
			_ => None,
		})
		.expect("a recovery event")
}

/// Alice names Bob, Carol and Dave; two of them recover her after `DELAY` blocks.
fn guard_alice() {
	assert_ok!(Recovery::set_guardians(signed(ALICE), vec![BOB, CAROL, DAVE], 2, DELAY));
}

fn transfer_all_to(dest: AccountId) -> Box<RuntimeCall> {
	Box::new(RuntimeCall::Balances(pallet_balances::Call::transfer_all { dest, keep_alive: false }))
}

fn recover_alice_to_new_key() {
	assert_ok!(Recovery::initiate(signed(BOB), ALICE, ALICE_NEW));
	assert_ok!(Recovery::approve(signed(BOB), ALICE));
	assert_ok!(Recovery::approve(signed(CAROL), ALICE));
	run_to(1 + DELAY);
	assert_ok!(Recovery::finalize(signed(DAVE), ALICE));
}

// --- set_guardians ---

#[test]
fn set_guardians_works() {
	test(|| {
		guard_alice();
		let config = Guardians::<Test>::get(ALICE).unwrap();
		assert_eq!(config.guardians.to_vec(), vec![BOB, CAROL, DAVE]);
		assert_eq!((config.threshold, config.delay), (2, DELAY));
		let deposit = DEPOSIT_BASE + 3 * DEPOSIT_PER_GUARDIAN;
		assert_eq!(config.deposit, deposit);
		assert_eq!(held(ALICE, HoldReason::GuardianConfig), deposit);
		assert_eq!(free(ALICE), 1_000 - deposit);
		assert_eq!(
			last_event(),
			Event::GuardiansSet { account: ALICE, threshold: 2, delay: DELAY }
		);
	});
}

#[test]
fn set_guardians_rejects_bad_sets() {
	test(|| {
		let set =
			|g: Vec<AccountId>, t: u32, d: u64| Recovery::set_guardians(signed(ALICE), g, t, d);
		assert_noop!(set(vec![CAROL, BOB], 1, DELAY), Error::<Test>::NotSortedAndUnique);
		assert_noop!(set(vec![BOB, BOB], 1, DELAY), Error::<Test>::NotSortedAndUnique);
		assert_noop!(set(vec![], 1, DELAY), Error::<Test>::NoGuardians);
		assert_noop!(
			set(vec![BOB, CAROL, DAVE, MALLORY], 1, DELAY),
			Error::<Test>::TooManyGuardians
		);
		assert_noop!(set(vec![ALICE, BOB], 1, DELAY), Error::<Test>::SelfGuardian);
		assert_noop!(set(vec![BOB, CAROL], 0, DELAY), Error::<Test>::InvalidThreshold);
		assert_noop!(set(vec![BOB, CAROL], 3, DELAY), Error::<Test>::InvalidThreshold);
		assert_noop!(set(vec![BOB, CAROL], 1, 4), Error::<Test>::DelayTooShort);
		assert_noop!(
			Recovery::set_guardians(RuntimeOrigin::root(), vec![BOB], 1, DELAY),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn set_guardians_rejects_without_deposit() {
	test(|| {
		let poor = 99;
		assert_ok!(Balances::transfer_allow_death(signed(MALLORY), poor, 12));
		assert_noop!(
			Recovery::set_guardians(signed(poor), vec![BOB, CAROL], 1, DELAY),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn changing_guardians_waits_for_the_delay() {
	test(|| {
		guard_alice();
		// Drop Dave: scheduled, not applied.
		assert_ok!(Recovery::set_guardians(signed(ALICE), vec![BOB, CAROL], 2, DELAY));
		assert_eq!(
			last_event(),
			Event::GuardianChangeScheduled {
				account: ALICE,
				effective_at: 1 + DELAY,
				removal: false
			}
		);
		assert_eq!(Guardians::<Test>::get(ALICE).unwrap().guardians.len(), 3);
		let old = DEPOSIT_BASE + 3 * DEPOSIT_PER_GUARDIAN;
		let new = DEPOSIT_BASE + 2 * DEPOSIT_PER_GUARDIAN;
		assert_eq!(held(ALICE, HoldReason::GuardianConfig), old + new);
		run_to(DELAY);
		assert_noop!(
			Recovery::apply_guardian_change(signed(MALLORY), ALICE),
			Error::<Test>::ChangeNotDue
		);
		run_to(1 + DELAY);
		assert_ok!(Recovery::apply_guardian_change(signed(MALLORY), ALICE));
		assert_eq!(Guardians::<Test>::get(ALICE).unwrap().guardians.to_vec(), vec![BOB, CAROL]);
		assert_eq!(held(ALICE, HoldReason::GuardianConfig), new);
		assert_eq!(last_event(), Event::GuardianChangeApplied { account: ALICE });
	});
}

#[test]
fn set_guardians_rejects_a_second_change_an_open_recovery_or_a_frozen_owner() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::set_guardians(signed(ALICE), vec![BOB, CAROL], 2, DELAY));
		assert_noop!(
			Recovery::set_guardians(signed(ALICE), vec![BOB], 1, DELAY),
			Error::<Test>::ChangePending
		);
	});
	test(|| {
		guard_alice();
		assert_ok!(Recovery::initiate(signed(BOB), ALICE, ALICE_NEW));
		assert_noop!(
			Recovery::set_guardians(signed(ALICE), vec![BOB], 1, DELAY),
			Error::<Test>::RecoveryOpen
		);
		assert_noop!(Recovery::remove_guardians(signed(ALICE)), Error::<Test>::RecoveryOpen);
	});
	test(|| {
		guard_alice();
		assert_ok!(Recovery::freeze(signed(BOB), ALICE));
		assert_ok!(Recovery::freeze(signed(CAROL), ALICE));
		assert_noop!(
			Recovery::set_guardians(signed(ALICE), vec![MALLORY], 1, DELAY),
			Error::<Test>::Frozen
		);
		assert_noop!(Recovery::remove_guardians(signed(ALICE)), Error::<Test>::Frozen);
	});
}

#[test]
fn remove_guardians_works() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::remove_guardians(signed(ALICE)));
		assert_eq!(
			last_event(),
			Event::GuardianChangeScheduled {
				account: ALICE,
				effective_at: 1 + DELAY,
				removal: true
			}
		);
		run_to(1 + DELAY);
		assert_ok!(Recovery::apply_guardian_change(signed(BOB), ALICE));
		assert!(!Guardians::<Test>::contains_key(ALICE));
		assert_eq!(held(ALICE, HoldReason::GuardianConfig), 0);
		assert_eq!(free(ALICE), 1_000);
	});
}

#[test]
fn remove_guardians_rejects_without_a_set() {
	test(|| {
		assert_noop!(Recovery::remove_guardians(signed(ALICE)), Error::<Test>::NoGuardianSet);
	});
}

#[test]
fn apply_guardian_change_rejects_while_recovery_open_or_frozen() {
	test(|| {
		assert_noop!(
			Recovery::apply_guardian_change(signed(BOB), ALICE),
			Error::<Test>::NoPendingChange
		);
		guard_alice();
		assert_ok!(Recovery::set_guardians(signed(ALICE), vec![MALLORY], 1, DELAY));
		assert_ok!(Recovery::initiate(signed(BOB), ALICE, ALICE_NEW));
		run_to(1 + DELAY);
		assert_noop!(
			Recovery::apply_guardian_change(signed(BOB), ALICE),
			Error::<Test>::RecoveryOpen
		);
		assert_ok!(Recovery::cancel(signed(ALICE), ALICE));
		assert_ok!(Recovery::freeze(signed(BOB), ALICE));
		assert_ok!(Recovery::freeze(signed(CAROL), ALICE));
		assert_noop!(Recovery::apply_guardian_change(signed(BOB), ALICE), Error::<Test>::Frozen);
	});
}

#[test]
fn cancel_guardian_change_works() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::set_guardians(signed(ALICE), vec![BOB, CAROL], 2, DELAY));
		assert_ok!(Recovery::cancel_guardian_change(signed(ALICE)));
		assert_eq!(last_event(), Event::GuardianChangeCancelled { account: ALICE });
		assert!(!PendingChanges::<Test>::contains_key(ALICE));
		assert_eq!(
			held(ALICE, HoldReason::GuardianConfig),
			DEPOSIT_BASE + 3 * DEPOSIT_PER_GUARDIAN
		);
	});
}

#[test]
fn cancel_guardian_change_rejects_without_change() {
	test(|| {
		guard_alice();
		assert_noop!(
			Recovery::cancel_guardian_change(signed(ALICE)),
			Error::<Test>::NoPendingChange
		);
	});
}

// --- the lost phone ---

#[test]
fn lost_phone_is_recovered_by_two_of_three_guardians() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::initiate(signed(BOB), ALICE, ALICE_NEW));
		assert_eq!(
			last_event(),
			Event::RecoveryInitiated {
				lost: ALICE,
				initiator: BOB,
				new_account: ALICE_NEW,
				bond: 0
			}
		);
		assert_ok!(Recovery::approve(signed(BOB), ALICE));
		assert_noop!(Recovery::finalize(signed(BOB), ALICE), Error::<Test>::DelayNotPassed);
		run_to(1 + DELAY);
		assert_noop!(Recovery::finalize(signed(BOB), ALICE), Error::<Test>::ThresholdNotMet);
		assert_ok!(Recovery::approve(signed(CAROL), ALICE));
		assert_eq!(
			last_event(),
			Event::RecoveryApproved { lost: ALICE, guardian: CAROL, approvals: 2 }
		);
		assert_ok!(Recovery::finalize(signed(ALICE_NEW), ALICE));
		assert_eq!(last_event(), Event::RecoveryFinalized { lost: ALICE, new_account: ALICE_NEW });
		assert_eq!(Recovered::<Test>::get(ALICE), Some(ALICE_NEW));

		// The new key moves everything out (the config deposit stays held until released).
		// The held deposit keeps the account alive, so the existential deposit stays.
		let movable = free(ALICE) - ED;
		assert_ok!(Recovery::as_recovered(signed(ALICE_NEW), ALICE, transfer_all_to(ALICE_NEW)));
		assert_eq!(free(ALICE_NEW), 1_000 + movable);
		assert_eq!(free(ALICE), ED);
	});
}

#[test]
fn initiate_rejects_bad_recoveries() {
	test(|| {
		assert_noop!(
			Recovery::initiate(signed(BOB), ALICE, ALICE_NEW),
			Error::<Test>::NoGuardianSet
		);
		guard_alice();
		assert_noop!(Recovery::initiate(signed(BOB), ALICE, ALICE), Error::<Test>::SameAccount);
		let poor = 99;
		assert_ok!(Balances::transfer_allow_death(signed(MALLORY), poor, 20));
		assert_noop!(
			Recovery::initiate(signed(poor), ALICE, poor),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Recovery::initiate(signed(BOB), ALICE, ALICE_NEW));
		assert_noop!(
			Recovery::initiate(signed(CAROL), ALICE, ALICE_NEW),
			Error::<Test>::RecoveryOpen
		);
		assert_ok!(Recovery::approve(signed(BOB), ALICE));
		assert_ok!(Recovery::approve(signed(CAROL), ALICE));
		run_to(1 + DELAY);
		assert_ok!(Recovery::finalize(signed(BOB), ALICE));
		assert_noop!(
			Recovery::initiate(signed(BOB), ALICE, ALICE_NEW),
			Error::<Test>::AlreadyRecovered
		);
	});
}

#[test]
fn approve_rejects_strangers_and_double_votes() {
	test(|| {
		guard_alice();
		assert_noop!(Recovery::approve(signed(BOB), ALICE), Error::<Test>::NoRecovery);
		assert_ok!(Recovery::initiate(signed(BOB), ALICE, ALICE_NEW));
		assert_noop!(Recovery::approve(signed(MALLORY), ALICE), Error::<Test>::NotGuardian);
		assert_noop!(Recovery::approve(signed(ALICE_NEW), ALICE), Error::<Test>::NotGuardian);
		assert_ok!(Recovery::approve(signed(CAROL), ALICE));
		assert_noop!(Recovery::approve(signed(CAROL), ALICE), Error::<Test>::AlreadyVoted);
		assert_noop!(Recovery::approve(signed(BOB), MALLORY), Error::<Test>::NoGuardianSet);
	});
}

#[test]
fn finalize_rejects_early_or_unapproved_recoveries() {
	test(|| {
		guard_alice();
		assert_noop!(Recovery::finalize(signed(BOB), ALICE), Error::<Test>::NoRecovery);
		assert_ok!(Recovery::initiate(signed(BOB), ALICE, ALICE_NEW));
		assert_ok!(Recovery::approve(signed(BOB), ALICE));
		assert_ok!(Recovery::approve(signed(CAROL), ALICE));
		run_to(DELAY);
		assert_noop!(Recovery::finalize(signed(BOB), ALICE), Error::<Test>::DelayNotPassed);
	});
}

// --- the malicious initiator and the malicious guardian ---

#[test]
fn malicious_initiator_pays_the_owner_when_cancelled() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::initiate(signed(MALLORY), ALICE, MALLORY));
		assert_eq!(held(MALLORY, HoldReason::InitiatorBond), BOND);
		let alice_before = free(ALICE);
		assert_ok!(Recovery::cancel(signed(ALICE), ALICE));
		assert_eq!(last_event(), Event::RecoveryCancelled { lost: ALICE, bond_to_owner: BOND });
		assert_eq!(free(ALICE), alice_before + BOND);
		assert_eq!(free(MALLORY) + held(MALLORY, HoldReason::InitiatorBond), 1_000 - BOND);
		assert!(!Recoveries::<Test>::contains_key(ALICE));
	});
}

#[test]
fn cancel_rejects_others_and_frozen_owners() {
	test(|| {
		guard_alice();
		assert_noop!(Recovery::cancel(signed(ALICE), ALICE), Error::<Test>::NoRecovery);
		assert_ok!(Recovery::initiate(signed(MALLORY), ALICE, MALLORY));
		assert_noop!(Recovery::cancel(signed(MALLORY), ALICE), Error::<Test>::NotOwner);
		assert_noop!(Recovery::cancel(signed(BOB), ALICE), Error::<Test>::NotOwner);
		assert_ok!(Recovery::freeze(signed(BOB), ALICE));
		assert_ok!(Recovery::freeze(signed(CAROL), ALICE));
		assert_noop!(Recovery::cancel(signed(ALICE), ALICE), Error::<Test>::Frozen);
	});
}

#[test]
fn malicious_guardian_cannot_recover_alone_and_is_removed() {
	test(|| {
		guard_alice();
		// Bob tries to take Alice's account for himself.
		assert_ok!(Recovery::initiate(signed(BOB), ALICE, BOB));
		assert_ok!(Recovery::approve(signed(BOB), ALICE));
		run_to(1 + DELAY);
		assert_noop!(Recovery::finalize(signed(BOB), ALICE), Error::<Test>::ThresholdNotMet);
		// Alice cancels (no bond from a guardian) and drops Bob after the delay.
		assert_ok!(Recovery::cancel(signed(ALICE), ALICE));
		assert_ok!(Recovery::set_guardians(signed(ALICE), vec![CAROL, DAVE], 2, DELAY));
		run_to(1 + 2 * DELAY);
		assert_ok!(Recovery::apply_guardian_change(signed(CAROL), ALICE));
		assert_ok!(Recovery::initiate(signed(CAROL), ALICE, ALICE_NEW));
		assert_noop!(Recovery::approve(signed(BOB), ALICE), Error::<Test>::NotGuardian);
		assert_eq!(Recovered::<Test>::get(ALICE), None);
	});
}

// --- the stolen key ---

#[test]
fn stolen_key_is_frozen_and_the_account_recovered() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::freeze(signed(BOB), ALICE));
		assert_eq!(last_event(), Event::FreezeVoted { account: ALICE, guardian: BOB, votes: 1 });
		assert!(!Recovery::is_frozen(&ALICE), "one vote is not enough");
		assert_ok!(Recovery::freeze(signed(CAROL), ALICE));
		assert_eq!(last_event(), Event::AccountFrozen { account: ALICE });
		assert!(Recovery::is_frozen(&ALICE));

		// The thief holding Alice's key can do nothing.
		assert_noop!(
			Balances::transfer_allow_death(signed(ALICE), MALLORY, 10),
			TokenError::Frozen
		);
		assert_noop!(Recovery::cancel(signed(ALICE), ALICE), Error::<Test>::Frozen);
		assert_noop!(
			Recovery::set_guardians(signed(ALICE), vec![MALLORY], 1, DELAY),
			Error::<Test>::Frozen
		);

		recover_alice_to_new_key();
		let movable = free(ALICE) - ED;
		assert_ok!(Recovery::as_recovered(signed(ALICE_NEW), ALICE, transfer_all_to(ALICE_NEW)));
		assert_eq!(free(ALICE_NEW), 1_000 + movable);
		// The thief still holds the old key: the freeze stays until the guardians lift it.
		assert!(Recovery::is_frozen(&ALICE));
		assert_ok!(Recovery::unfreeze(signed(BOB), ALICE));
		assert_ok!(Recovery::unfreeze(signed(DAVE), ALICE));
		assert_eq!(last_event(), Event::AccountUnfrozen { account: ALICE });
		assert!(!Recovery::is_frozen(&ALICE));
	});
}

#[test]
fn as_recovered_keeps_the_freeze_after_each_call() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::freeze(signed(BOB), ALICE));
		assert_ok!(Recovery::freeze(signed(CAROL), ALICE));
		recover_alice_to_new_key();
		let pay = Box::new(RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: ALICE_NEW,
			value: 100,
		}));
		assert_ok!(Recovery::as_recovered(signed(ALICE_NEW), ALICE, pay));
		assert_noop!(
			Balances::transfer_allow_death(signed(ALICE), MALLORY, 10),
			TokenError::Frozen
		);
	});
}

#[test]
fn freeze_rejects_strangers_and_repeats() {
	test(|| {
		assert_noop!(Recovery::freeze(signed(BOB), ALICE), Error::<Test>::NoGuardianSet);
		guard_alice();
		assert_noop!(Recovery::freeze(signed(MALLORY), ALICE), Error::<Test>::NotGuardian);
		assert_ok!(Recovery::freeze(signed(BOB), ALICE));
		assert_noop!(Recovery::freeze(signed(BOB), ALICE), Error::<Test>::AlreadyVoted);
		assert_ok!(Recovery::freeze(signed(CAROL), ALICE));
		assert_noop!(Recovery::freeze(signed(DAVE), ALICE), Error::<Test>::AlreadyFrozen);
	});
}

#[test]
fn unfreeze_rejects_unfrozen_accounts_and_strangers() {
	test(|| {
		guard_alice();
		assert_noop!(Recovery::unfreeze(signed(BOB), ALICE), Error::<Test>::NotFrozen);
		assert_ok!(Recovery::freeze(signed(BOB), ALICE));
		assert_ok!(Recovery::freeze(signed(CAROL), ALICE));
		assert_noop!(Recovery::unfreeze(signed(MALLORY), ALICE), Error::<Test>::NotGuardian);
		assert_ok!(Recovery::unfreeze(signed(DAVE), ALICE));
		assert_noop!(Recovery::unfreeze(signed(DAVE), ALICE), Error::<Test>::AlreadyVoted);
	});
}

// --- as_recovered ---

#[test]
fn as_recovered_rejects_everyone_but_the_rescuer() {
	test(|| {
		guard_alice();
		assert_noop!(
			Recovery::as_recovered(signed(ALICE_NEW), ALICE, transfer_all_to(ALICE_NEW)),
			Error::<Test>::NotRescuer
		);
		recover_alice_to_new_key();
		assert_noop!(
			Recovery::as_recovered(signed(MALLORY), ALICE, transfer_all_to(MALLORY)),
			Error::<Test>::NotRescuer
		);
		assert_noop!(
			Recovery::as_recovered(signed(BOB), ALICE, transfer_all_to(BOB)),
			Error::<Test>::NotRescuer
		);
	});
}

#[test]
fn as_recovered_cannot_reenter_the_pallet() {
	test(|| {
		guard_alice();
		recover_alice_to_new_key();
		let reenter = |call: Call<Test>| {
			Recovery::as_recovered(signed(ALICE_NEW), ALICE, Box::new(RuntimeCall::Recovery(call)))
		};
		assert_noop!(
			reenter(Call::set_guardians { guardians: vec![MALLORY], threshold: 1, delay: DELAY }),
			Error::<Test>::Reentrancy
		);
		assert_noop!(
			reenter(Call::as_recovered { lost: ALICE, call: transfer_all_to(MALLORY) }),
			Error::<Test>::Reentrancy
		);
		assert_noop!(reenter(Call::remove_guardians {}), Error::<Test>::Reentrancy);
		assert!(!Dispatching::<Test>::get());
	});
}

// --- the last resort ---

#[test]
fn force_recovery_works_after_the_long_delay() {
	test(|| {
		// Dave never named guardians and lost his key.
		assert_ok!(Recovery::force_recovery(RuntimeOrigin::root(), DAVE, ALICE_NEW));
		assert_eq!(last_event(), Event::RecoveryForced { lost: DAVE, new_account: ALICE_NEW });
		run_to(FORCE_DELAY);
		assert_noop!(Recovery::finalize(signed(ALICE_NEW), DAVE), Error::<Test>::DelayNotPassed);
		run_to(1 + FORCE_DELAY);
		assert_ok!(Recovery::finalize(signed(ALICE_NEW), DAVE));
		assert_ok!(Recovery::as_recovered(signed(ALICE_NEW), DAVE, transfer_all_to(ALICE_NEW)));
		assert_eq!(free(ALICE_NEW), 2_000);
	});
}

#[test]
fn force_recovery_rejects_non_governance_and_yields_to_the_owner() {
	test(|| {
		assert_noop!(Recovery::force_recovery(signed(BOB), DAVE, BOB), DispatchError::BadOrigin);
		assert_noop!(
			Recovery::force_recovery(RuntimeOrigin::root(), DAVE, DAVE),
			Error::<Test>::SameAccount
		);
		assert_ok!(Recovery::force_recovery(RuntimeOrigin::root(), DAVE, ALICE_NEW));
		assert_noop!(
			Recovery::force_recovery(RuntimeOrigin::root(), DAVE, ALICE_NEW),
			Error::<Test>::RecoveryOpen
		);
		// Dave was only away: he cancels.
		assert_ok!(Recovery::cancel(signed(DAVE), DAVE));
		assert!(!Recoveries::<Test>::contains_key(DAVE));
	});
}

// --- views and invariants ---

#[test]
fn status_and_active_views_report_everything() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::initiate(signed(MALLORY), ALICE, MALLORY));
		assert_ok!(Recovery::approve(signed(DAVE), ALICE));
		let status = Recovery::status(ALICE);
		assert_eq!(status.config.unwrap().guardians, vec![BOB, CAROL, DAVE]);
		assert_eq!(status.deposit, DEPOSIT_BASE + 3 * DEPOSIT_PER_GUARDIAN);
		assert!(!status.frozen);
		let active = Recovery::active(ALICE).unwrap();
		assert_eq!((active.initiator, active.new_account, active.bond), (MALLORY, MALLORY, BOND));
		assert_eq!((active.approvals, active.threshold), (vec![DAVE], 2));
		assert_eq!(active.finalizable_at, 1 + DELAY);
		assert!(Recovery::active(BOB).is_none());
	});
}

#[test]
fn try_state_catches_a_missing_hold() {
	new_test_ext().execute_with(|| {
		guard_alice();
		assert_ok!(Recovery::do_try_state());
		Guardians::<Test>::mutate(ALICE, |c| c.as_mut().unwrap().deposit += 1);
		assert!(Recovery::do_try_state().is_err());
	});
}

// --- jammed recoveries (no open recovery stays for good) ---

fn closed(reason: CloseReason, bond_to_owner: Balance) -> Event<Test> {
	Event::RecoveryClosed { lost: ALICE, reason, bond_to_owner }
}

#[test]
fn stranger_cannot_jam_a_recovery() {
	test(|| {
		guard_alice();
		// Alice's key is lost: she can no longer cancel Mallory's recovery.
		assert_ok!(Recovery::initiate(signed(MALLORY), ALICE, MALLORY));
		let alice_before = free(ALICE);
		// A guardian's own recovery takes its place; the false alarm pays Alice.
		assert_ok!(Recovery::initiate(signed(BOB), ALICE, ALICE_NEW));
		assert!(System::events()
			.iter()
			.any(|r| r.event == closed(CloseReason::Replaced, BOND).into()));
		assert_eq!(free(ALICE), alice_before + BOND);
		assert_eq!(held(MALLORY, HoldReason::InitiatorBond), 0);
		assert_eq!(free(MALLORY), 1_000 - BOND);
		let open = Recoveries::<Test>::get(ALICE).unwrap();
		assert_eq!((open.initiator, open.new_account, open.bond), (BOB, ALICE_NEW, 0));
		assert_ok!(Recovery::approve(signed(BOB), ALICE));
		assert_ok!(Recovery::approve(signed(CAROL), ALICE));
		run_to(1 + DELAY);
		assert_ok!(Recovery::finalize(signed(DAVE), ALICE));
		assert_eq!(Recovered::<Test>::get(ALICE), Some(ALICE_NEW));
	});
}

#[test]
fn stranger_cannot_replace_an_open_recovery() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::initiate(signed(MALLORY), ALICE, MALLORY));
		assert_noop!(
			Recovery::initiate(signed(ALICE_NEW), ALICE, ALICE_NEW),
			Error::<Test>::RecoveryOpen
		);
		// Nor may a guardian replace a recovery another guardian opened.
		assert_ok!(Recovery::force_close_recovery(RuntimeOrigin::root(), ALICE));
		assert_ok!(Recovery::initiate(signed(BOB), ALICE, BOB));
		assert_noop!(
			Recovery::initiate(signed(CAROL), ALICE, ALICE_NEW),
			Error::<Test>::RecoveryOpen
		);
	});
}

#[test]
fn one_guardian_cannot_jam_a_recovery() {
	test(|| {
		guard_alice();
		// Bob opens a recovery to himself and approves it; Alice's key is lost.
		assert_ok!(Recovery::initiate(signed(BOB), ALICE, BOB));
		assert_ok!(Recovery::approve(signed(BOB), ALICE));
		assert_noop!(Recovery::close_recovery(signed(BOB), ALICE), Error::<Test>::ApprovedByCaller);
		assert_noop!(Recovery::close_recovery(signed(MALLORY), ALICE), Error::<Test>::NotGuardian);
		assert_ok!(Recovery::close_recovery(signed(CAROL), ALICE));
		assert_eq!(
			last_event(),
			Event::RecoveryObjected { lost: ALICE, guardian: CAROL, objections: 1 }
		);
		assert_noop!(Recovery::close_recovery(signed(CAROL), ALICE), Error::<Test>::AlreadyVoted);
		// An objector cannot approve.
		assert_noop!(Recovery::approve(signed(CAROL), ALICE), Error::<Test>::AlreadyVoted);
		assert_ok!(Recovery::close_recovery(signed(DAVE), ALICE));
		assert!(System::events()
			.iter()
			.any(|r| r.event == closed(CloseReason::Guardians, 0).into()));
		assert!(!Recoveries::<Test>::contains_key(ALICE));
		// The honest guardians recover Alice.
		assert_ok!(Recovery::initiate(signed(CAROL), ALICE, ALICE_NEW));
		assert_ok!(Recovery::approve(signed(CAROL), ALICE));
		assert_ok!(Recovery::approve(signed(DAVE), ALICE));
		run_to(1 + DELAY);
		assert_ok!(Recovery::finalize(signed(CAROL), ALICE));
		assert_eq!(Recovered::<Test>::get(ALICE), Some(ALICE_NEW));
	});
}

#[test]
fn guardians_close_a_strangers_recovery_and_the_owner_gets_the_bond() {
	test(|| {
		guard_alice();
		assert_noop!(Recovery::close_recovery(signed(BOB), ALICE), Error::<Test>::NoRecovery);
		assert_ok!(Recovery::initiate(signed(MALLORY), ALICE, MALLORY));
		let alice_before = free(ALICE);
		assert_ok!(Recovery::close_recovery(signed(BOB), ALICE));
		assert_ok!(Recovery::close_recovery(signed(DAVE), ALICE));
		assert!(System::events()
			.iter()
			.any(|r| r.event == closed(CloseReason::Guardians, BOND).into()));
		assert_eq!(free(ALICE), alice_before + BOND);
		assert_eq!(held(MALLORY, HoldReason::InitiatorBond), 0);
	});
}

#[test]
fn unapproved_recovery_expires() {
	test(|| {
		guard_alice();
		assert_noop!(
			Recovery::close_expired_recovery(signed(DAVE), ALICE),
			Error::<Test>::NoRecovery
		);
		assert_ok!(Recovery::initiate(signed(MALLORY), ALICE, MALLORY));
		assert_ok!(Recovery::approve(signed(BOB), ALICE));
		run_to(EXPIRY);
		assert_noop!(
			Recovery::close_expired_recovery(signed(DAVE), ALICE),
			Error::<Test>::NotExpired
		);
		assert_noop!(
			Recovery::initiate(signed(ALICE_NEW), ALICE, ALICE_NEW),
			Error::<Test>::RecoveryOpen
		);
		run_to(1 + EXPIRY);
		let alice_before = free(ALICE);
		assert_ok!(Recovery::close_expired_recovery(signed(DAVE), ALICE));
		assert_eq!(last_event(), closed(CloseReason::Expired, BOND));
		assert_eq!(free(ALICE), alice_before + BOND);
		assert!(!Recoveries::<Test>::contains_key(ALICE));
	});
}

#[test]
fn expired_recovery_is_replaced_by_a_new_one() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::initiate(signed(MALLORY), ALICE, MALLORY));
		run_to(1 + EXPIRY);
		assert_ok!(Recovery::initiate(signed(ALICE_NEW), ALICE, ALICE_NEW));
		assert!(System::events()
			.iter()
			.any(|r| r.event == closed(CloseReason::Expired, BOND).into()));
		let open = Recoveries::<Test>::get(ALICE).unwrap();
		assert_eq!((open.initiator, open.opened_at, open.bond), (ALICE_NEW, 1 + EXPIRY, BOND));
		assert_eq!(held(MALLORY, HoldReason::InitiatorBond), 0);
	});
}

#[test]
fn approved_recovery_never_expires() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::initiate(signed(BOB), ALICE, ALICE_NEW));
		assert_ok!(Recovery::approve(signed(BOB), ALICE));
		assert_ok!(Recovery::approve(signed(CAROL), ALICE));
		run_to(10 * EXPIRY);
		assert_noop!(
			Recovery::close_expired_recovery(signed(MALLORY), ALICE),
			Error::<Test>::NotExpired
		);
		assert_ok!(Recovery::finalize(signed(DAVE), ALICE));
	});
}

#[test]
fn force_origin_closes_any_recovery() {
	test(|| {
		guard_alice();
		assert_noop!(
			Recovery::force_close_recovery(RuntimeOrigin::root(), ALICE),
			Error::<Test>::NoRecovery
		);
		assert_ok!(Recovery::initiate(signed(MALLORY), ALICE, MALLORY));
		assert_noop!(Recovery::force_close_recovery(signed(BOB), ALICE), DispatchError::BadOrigin);
		assert_ok!(Recovery::force_close_recovery(RuntimeOrigin::root(), ALICE));
		assert_eq!(last_event(), closed(CloseReason::Force, BOND));
		// A forced recovery too.
		assert_ok!(Recovery::force_recovery(RuntimeOrigin::root(), ALICE, ALICE_NEW));
		assert_ok!(Recovery::force_close_recovery(RuntimeOrigin::root(), ALICE));
		assert!(!Recoveries::<Test>::contains_key(ALICE));
	});
}

#[test]
fn stranger_cannot_block_a_forced_recovery() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::initiate(signed(MALLORY), ALICE, MALLORY));
		let alice_before = free(ALICE);
		assert_ok!(Recovery::force_recovery(RuntimeOrigin::root(), ALICE, ALICE_NEW));
		assert!(System::events()
			.iter()
			.any(|r| r.event == closed(CloseReason::Force, BOND).into()));
		assert_eq!(free(ALICE), alice_before + BOND);
		let open = Recoveries::<Test>::get(ALICE).unwrap();
		assert!(open.forced);
		assert_eq!(open.new_account, ALICE_NEW);
		// Nobody replaces a forced recovery but the force origin's close.
		assert_noop!(Recovery::initiate(signed(BOB), ALICE, BOB), Error::<Test>::RecoveryOpen);
		run_to(1 + FORCE_DELAY);
		assert_ok!(Recovery::finalize(signed(BOB), ALICE));
		assert_eq!(Recovered::<Test>::get(ALICE), Some(ALICE_NEW));
	});
}

#[test]
fn frozen_initiator_cannot_block_the_owners_cancel() {
	test(|| {
		guard_alice();
		assert_ok!(Recovery::initiate(signed(MALLORY), ALICE, MALLORY));
		// Mallory freezes her whole balance (as her own puppet guardians could).
		assert_ok!(<Balances as MutateFreeze<AccountId>>::set_freeze(
			&FreezeReason::GuardianFreeze.into(),
			&MALLORY,
			Balance::MAX,
		));
		let alice_before = free(ALICE);
		assert_ok!(Recovery::cancel(signed(ALICE), ALICE));
		assert_eq!(last_event(), Event::RecoveryCancelled { lost: ALICE, bond_to_owner: BOND });
		assert_eq!(free(ALICE), alice_before + BOND);
		assert_eq!(held(MALLORY, HoldReason::InitiatorBond), 0);
	});
}
