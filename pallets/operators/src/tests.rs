//! Tests of the operators pallet: every call, every error path, the session manager's safety
//! rules, and the electorate it reports to governance.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, BoundedVec};
use pallet_session::SessionManager;
use sp_runtime::DispatchError::BadOrigin;
use tpchain_primitives::governance::Entities as _;

fn admission(i: u64) -> AdmissionOf<Test> {
	Admission {
		legal_name: BoundedVec::truncate_from(format!("Operator {i} Ltd").into_bytes()),
		licence: BoundedVec::truncate_from(format!("LIC-{i}").into_bytes()),
		jurisdiction: BoundedVec::truncate_from(b"SG".to_vec()),
		voting_account: voter(i),
		validator: validator(i),
		peer_id: BoundedVec::truncate_from(peer(i as u8)),
	}
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::Operators(e) => Some(e),
			_ => None,
		})
		.expect("an operators event")
}

fn check() {
	Operators::do_try_state().unwrap();
}

#[test]
fn genesis_registers_entities_and_plans_their_validators() {
	new_test_ext(4).execute_with(|| {
		assert_eq!(NextEntityId::<Test>::get(), 4);
		assert_eq!(ActiveCount::<Test>::get(), 4);
		assert_eq!(
			Validators::<Test>::get().into_inner(),
			(0..4).map(validator).collect::<Vec<_>>()
		);
		assert_eq!(Operators::active_entity_of(&voter(2)), Some(2));
		assert_eq!(Operators::active_entity_of(&validator(2)), None);
		assert_eq!(SessionLengthOf::<Test>::get(), 10);
		assert_eq!(Operators::admitted_peer_ids().len(), 4);
		check();
	});
}

#[test]
fn admit_works() {
	new_test_ext(4).execute_with(|| {
		assert_ok!(Operators::admit(RuntimeOrigin::root(), admission(4)));
		assert_eq!(
			last_event(),
			Event::EntityAdmitted { entity: 4, voting_account: voter(4), validator: validator(4) }
		);
		let e = Entities::<Test>::get(4).unwrap();
		assert_eq!(e.status, EntityStatus::Active);
		assert_eq!(e.admitted_at, 1);
		assert_eq!(ActiveCount::<Test>::get(), 5);
		assert_eq!(Operators::active_entity_of(&voter(4)), Some(4));
		// It validates from the next planned set.
		assert_eq!(Operators::new_session(2).unwrap(), (0..5).map(validator).collect::<Vec<_>>());
		check();
	});
}

#[test]
fn admit_rejects_bad_origin_and_duplicates() {
	new_test_ext(4).execute_with(|| {
		assert_noop!(Operators::admit(RuntimeOrigin::signed(voter(0)), admission(4)), BadOrigin);
		let mut a = admission(4);
		a.voting_account = voter(1);
		assert_noop!(Operators::admit(RuntimeOrigin::root(), a), Error::<Test>::VotingAccountInUse);
		let mut a = admission(4);
		a.validator = validator(1);
		assert_noop!(Operators::admit(RuntimeOrigin::root(), a), Error::<Test>::ValidatorInUse);
		let mut a = admission(4);
		a.peer_id = BoundedVec::truncate_from(peer(1));
		assert_noop!(Operators::admit(RuntimeOrigin::root(), a), Error::<Test>::PeerIdInUse);
		let mut a = admission(4);
		a.legal_name = BoundedVec::new();
		assert_noop!(Operators::admit(RuntimeOrigin::root(), a), Error::<Test>::EmptyDetail);
		let mut a = admission(4);
		a.peer_id = BoundedVec::new();
		assert_noop!(Operators::admit(RuntimeOrigin::root(), a), Error::<Test>::EmptyDetail);
	});
}

#[test]
fn admit_rejects_beyond_max_entities() {
	new_test_ext(MAX_ENTITIES as u64).execute_with(|| {
		assert_noop!(
			Operators::admit(RuntimeOrigin::root(), admission(MAX_ENTITIES as u64)),
			Error::<Test>::TooManyEntities
		);
	});
}

#[test]
fn suspend_works_and_reinstate_restores_the_vote() {
	new_test_ext(4).execute_with(|| {
		assert_ok!(Operators::suspend(RuntimeOrigin::root(), 3));
		assert_eq!(last_event(), Event::EntitySuspended { entity: 3 });
		assert_eq!(Operators::active_count(), 3);
		assert_eq!(Operators::active_entity_of(&voter(3)), None);
		// Suspended nodes may still peer (they are admitted); their validator leaves.
		assert_eq!(Operators::admitted_peer_ids().len(), 4);
		assert_eq!(Operators::new_session(2).unwrap(), (0..3).map(validator).collect::<Vec<_>>());
		assert_ok!(Operators::reinstate(RuntimeOrigin::root(), 3));
		assert_eq!(last_event(), Event::EntityReinstated { entity: 3 });
		assert_eq!(Operators::active_entity_of(&voter(3)), Some(3));
		assert_eq!(Operators::new_session(3).unwrap().len(), 4);
		check();
	});
}

#[test]
fn suspend_rejects_bad_origin_unknown_and_inactive() {
	new_test_ext(4).execute_with(|| {
		assert_noop!(Operators::suspend(RuntimeOrigin::signed(voter(0)), 1), BadOrigin);
		assert_noop!(Operators::suspend(RuntimeOrigin::root(), 9), Error::<Test>::UnknownEntity);
		assert_ok!(Operators::suspend(RuntimeOrigin::root(), 3));
		assert_noop!(Operators::suspend(RuntimeOrigin::root(), 3), Error::<Test>::NotActive);
		assert_noop!(Operators::reinstate(RuntimeOrigin::root(), 2), Error::<Test>::NotSuspended);
		assert_noop!(Operators::reinstate(RuntimeOrigin::root(), 9), Error::<Test>::UnknownEntity);
		assert_noop!(Operators::reinstate(RuntimeOrigin::signed(1), 3), BadOrigin);
	});
}

#[test]
fn removing_too_many_validators_at_once_is_rejected() {
	new_test_ext(4).execute_with(|| {
		// ⌊(4−1)/3⌋ = 1 may leave per boundary.
		assert_ok!(Operators::remove(RuntimeOrigin::root(), 3));
		assert_noop!(Operators::remove(RuntimeOrigin::root(), 2), Error::<Test>::TooManyRemovals);
		assert_noop!(Operators::suspend(RuntimeOrigin::root(), 2), Error::<Test>::TooManyRemovals);
		// After the boundary the set is 3 and ⌊(3−1)/3⌋ = 0 may leave.
		assert_eq!(Operators::new_session(2).unwrap().len(), 3);
		assert_noop!(Operators::remove(RuntimeOrigin::root(), 2), Error::<Test>::TooManyRemovals);
	});
}

#[test]
fn suspending_the_last_validators_is_rejected() {
	new_test_ext(2).execute_with(|| {
		// MinValidators is 2.
		assert_noop!(Operators::suspend(RuntimeOrigin::root(), 0), Error::<Test>::TooFewValidators);
		assert_noop!(Operators::remove(RuntimeOrigin::root(), 1), Error::<Test>::TooFewValidators);
	});
}

#[test]
fn remove_works_and_keeps_the_record() {
	new_test_ext(4).execute_with(|| {
		assert_ok!(Operators::remove(RuntimeOrigin::root(), 1));
		assert_eq!(last_event(), Event::EntityRemoved { entity: 1 });
		assert_eq!(Entities::<Test>::get(1).unwrap().status, EntityStatus::Removed);
		assert_eq!(Operators::active_count(), 3);
		assert_eq!(Operators::admitted_peer_ids().len(), 3);
		assert!(VotingAccounts::<Test>::get(voter(1)).is_none());
		assert_noop!(Operators::remove(RuntimeOrigin::root(), 1), Error::<Test>::Removed);
		assert_noop!(Operators::reinstate(RuntimeOrigin::root(), 1), Error::<Test>::NotSuspended);
		// Its accounts can be reused by a new admission.
		let mut a = admission(5);
		a.voting_account = voter(1);
		assert_ok!(Operators::admit(RuntimeOrigin::root(), a));
		check();
	});
}

#[test]
fn removing_a_suspended_entity_does_not_count_twice() {
	new_test_ext(4).execute_with(|| {
		assert_ok!(Operators::suspend(RuntimeOrigin::root(), 3));
		assert_ok!(Operators::remove(RuntimeOrigin::root(), 3));
		assert_eq!(Operators::active_count(), 3);
		check();
	});
}

#[test]
fn remove_rejects_bad_origin_and_unknown() {
	new_test_ext(4).execute_with(|| {
		assert_noop!(Operators::remove(RuntimeOrigin::signed(voter(0)), 1), BadOrigin);
		assert_noop!(Operators::remove(RuntimeOrigin::root(), 7), Error::<Test>::UnknownEntity);
	});
}

#[test]
fn change_voting_key_works_and_keeps_the_entity() {
	new_test_ext(4).execute_with(|| {
		assert_ok!(Operators::change_voting_key(RuntimeOrigin::signed(voter(0)), 999));
		assert_eq!(last_event(), Event::VotingKeyChanged { entity: 0, old: voter(0), new: 999 });
		assert_eq!(Operators::active_entity_of(&999), Some(0));
		assert_eq!(Operators::active_entity_of(&voter(0)), None);
		check();
	});
}

#[test]
fn change_voting_key_rejects_strangers_and_taken_accounts() {
	new_test_ext(4).execute_with(|| {
		assert_noop!(
			Operators::change_voting_key(RuntimeOrigin::signed(555), 999),
			Error::<Test>::NotVotingAccount
		);
		assert_noop!(
			Operators::change_voting_key(RuntimeOrigin::signed(voter(0)), voter(1)),
			Error::<Test>::VotingAccountInUse
		);
		assert_ok!(Operators::remove(RuntimeOrigin::root(), 3));
		assert_noop!(
			Operators::change_voting_key(RuntimeOrigin::signed(voter(3)), 999),
			Error::<Test>::NotVotingAccount
		);
	});
}

#[test]
fn set_validator_works_once_new_keys_exist() {
	new_test_ext(4).execute_with(|| {
		assert_ok!(Operators::set_validator(RuntimeOrigin::signed(voter(2)), 777));
		assert_eq!(
			last_event(),
			Event::ValidatorChanged { entity: 2, old: validator(2), new: 777 }
		);
		assert_eq!(
			Operators::new_session(2).unwrap(),
			vec![validator(0), validator(1), 777, validator(3)]
		);
		check();
	});
}

#[test]
fn set_validator_rejects_taken_accounts_and_too_many_departures() {
	new_test_ext(4).execute_with(|| {
		assert_noop!(
			Operators::set_validator(RuntimeOrigin::signed(voter(2)), validator(1)),
			Error::<Test>::ValidatorInUse
		);
		assert_noop!(
			Operators::set_validator(RuntimeOrigin::signed(42), 777),
			Error::<Test>::NotVotingAccount
		);
		assert_ok!(Operators::remove(RuntimeOrigin::root(), 3));
		assert_noop!(
			Operators::set_validator(RuntimeOrigin::signed(voter(2)), 777),
			Error::<Test>::TooManyRemovals
		);
	});
}

#[test]
fn set_peer_id_works() {
	new_test_ext(4).execute_with(|| {
		let new = BoundedVec::truncate_from(vec![9, 9, 9]);
		assert_ok!(Operators::set_peer_id(RuntimeOrigin::signed(voter(1)), new.clone()));
		assert_eq!(last_event(), Event::PeerIdChanged { entity: 1 });
		assert_eq!(PeerIds::<Test>::get(&new), Some(1));
		assert!(Operators::admitted_peer_ids().contains(&vec![9, 9, 9]));
		assert!(!Operators::admitted_peer_ids().contains(&peer(1)));
		check();
	});
}

#[test]
fn set_peer_id_rejects_taken_empty_and_strangers() {
	new_test_ext(4).execute_with(|| {
		assert_noop!(
			Operators::set_peer_id(
				RuntimeOrigin::signed(voter(1)),
				BoundedVec::truncate_from(peer(2))
			),
			Error::<Test>::PeerIdInUse
		);
		assert_noop!(
			Operators::set_peer_id(RuntimeOrigin::signed(voter(1)), BoundedVec::new()),
			Error::<Test>::EmptyDetail
		);
		assert_noop!(
			Operators::set_peer_id(RuntimeOrigin::signed(1), BoundedVec::truncate_from(vec![5])),
			Error::<Test>::NotVotingAccount
		);
	});
}

#[test]
fn validators_without_session_keys_are_not_planned() {
	new_test_ext(4).execute_with(|| {
		assert_ok!(Operators::admit(RuntimeOrigin::root(), admission(4)));
		NO_KEYS.with(|k| k.borrow_mut().push(validator(4)));
		assert_eq!(Operators::new_session(2), None, "unchanged set is not re-planned");
		NO_KEYS.with(|k| k.borrow_mut().clear());
		assert_eq!(Operators::new_session(3).unwrap().len(), 5);
		assert!(matches!(
			last_event(),
			Event::ValidatorSetPlanned {
				session: 3,
				size: 5,
				added: 1,
				removed: 0,
				deferred: 0,
				waiting: 0
			}
		));
	});
}

#[test]
fn session_manager_defers_departures_beyond_a_third() {
	new_test_ext(7).execute_with(|| {
		// Departures that bypass the calls (validators purging their keys) are still limited:
		// ⌊(7−1)/3⌋ = 2 per boundary.
		NO_KEYS.with(|k| {
			k.borrow_mut().extend([validator(1), validator(2), validator(3), validator(4)])
		});
		let next = Operators::new_session(2).unwrap();
		assert_eq!(next.len(), 5);
		assert!(matches!(last_event(), Event::ValidatorSetPlanned { removed: 2, deferred: 2, .. }));
		// ⌊(5−1)/3⌋ = 1, then ⌊(4−1)/3⌋ = 1.
		assert_eq!(Operators::new_session(3).unwrap().len(), 4);
		assert_eq!(Operators::new_session(4).unwrap().len(), 3);
		assert_eq!(Operators::new_session(5), None);
	});
}

#[test]
fn session_manager_never_goes_below_the_minimum() {
	new_test_ext(4).execute_with(|| {
		MinValidators::set(4);
		NO_KEYS.with(|k| k.borrow_mut().push(validator(3)));
		// One may leave by the third rule, but not below four: keep the current set.
		assert_eq!(Operators::new_session(2), None);
		assert_eq!(Validators::<Test>::get().len(), 4);
		MinValidators::set(3);
		assert_eq!(Operators::new_session(3).unwrap().len(), 3);
	});
}

#[test]
fn default_session_length_applies_without_genesis_value() {
	new_test_ext(1).execute_with(|| {
		SessionLength::<Test>::kill();
		assert_eq!(SessionLengthOf::<Test>::get(), 600);
	});
}

#[test]
fn mass_admission_of_offline_validators_cannot_stall_finality() {
	new_test_ext(4).execute_with(|| {
		for i in 4..8 {
			assert_ok!(Operators::admit(RuntimeOrigin::root(), admission(i)));
		}
		// ⌊(4−1)/3⌋ = 1 newcomer: the four that were there still finalize if it is offline.
		let next = Operators::new_session(2).unwrap();
		assert_eq!(next, (0..5).map(validator).collect::<Vec<_>>());
		assert_eq!(
			last_event(),
			Event::ValidatorSetPlanned {
				session: 2,
				size: 5,
				added: 1,
				removed: 0,
				deferred: 0,
				waiting: 3
			}
		);
		// ⌊(5−1)/3⌋ = 1, ⌊(6−1)/3⌋ = 1, ⌊(7−1)/3⌋ = 2 (only one left).
		assert_eq!(Operators::new_session(3).unwrap().len(), 6);
		assert_eq!(Operators::new_session(4).unwrap().len(), 7);
		assert_eq!(Operators::new_session(5).unwrap().len(), 8);
		assert_eq!(Operators::new_session(6), None);
		// Waiting newcomers vote from admission on.
		assert_eq!(ActiveCount::<Test>::get(), 8);
		check();
	});
}

#[test]
fn single_validator_set_can_still_grow_by_one() {
	new_test_ext(1).execute_with(|| {
		MinValidators::set(1);
		assert_ok!(Operators::admit(RuntimeOrigin::root(), admission(1)));
		assert_ok!(Operators::admit(RuntimeOrigin::root(), admission(2)));
		assert_eq!(Operators::max_additions(1), 1);
		assert_eq!(Operators::new_session(2).unwrap(), vec![validator(0), validator(1)]);
		assert_eq!(Operators::new_session(3).unwrap().len(), 3);
	});
}

#[test]
fn departures_and_arrivals_together_keep_two_thirds_of_the_old_set() {
	new_test_ext(4).execute_with(|| {
		// One leaves, two arrive: ⌊(4−1)/3⌋ = 1 each way.
		NO_KEYS.with(|k| k.borrow_mut().push(validator(3)));
		for i in 4..6 {
			assert_ok!(Operators::admit(RuntimeOrigin::root(), admission(i)));
		}
		let next = Operators::new_session(2).unwrap();
		assert_eq!(next, [0, 1, 2, 4].map(validator).to_vec());
		assert!(matches!(
			last_event(),
			Event::ValidatorSetPlanned { added: 1, removed: 1, deferred: 0, waiting: 1, .. }
		));
		// Three of the four kept: more than 2/3 of the new set is the old one's.
		let kept = next.iter().filter(|v| (0..4).map(validator).any(|o| o == **v)).count();
		assert!(kept * 3 > next.len() * 2);
	});
}

fn node(b: u8) -> BoundedVec<u8, MaxPeerIdLen> {
	BoundedVec::truncate_from(vec![7, b])
}

#[test]
fn entity_registers_several_nodes_and_every_one_is_admitted() {
	new_test_ext(4).execute_with(|| {
		assert_ok!(Operators::add_node(RuntimeOrigin::signed(voter(1)), node(1)));
		assert_eq!(last_event(), Event::NodeAdded { entity: 1, peer_id: node(1) });
		assert_ok!(Operators::add_node(RuntimeOrigin::signed(voter(1)), node(2)));
		let admitted = Operators::admitted_peer_ids();
		assert_eq!(admitted.len(), 6);
		assert!(admitted.contains(&node(1).into_inner()) && admitted.contains(&peer(1)));
		assert_eq!(Operators::entity_views()[1].extra_peer_ids, vec![vec![7, 1], vec![7, 2]]);
		check();
		assert_ok!(Operators::remove_node(RuntimeOrigin::signed(voter(1)), node(1)));
		assert_eq!(last_event(), Event::NodeRemoved { entity: 1, peer_id: node(1) });
		assert!(!Operators::admitted_peer_ids().contains(&node(1).into_inner()));
		// A removed entity's nodes all leave the peer set.
		assert_ok!(Operators::remove(RuntimeOrigin::root(), 1));
		assert!(!Operators::admitted_peer_ids().contains(&node(2).into_inner()));
		assert_eq!(PeerIds::<Test>::get(node(2)), None);
		check();
	});
}

#[test]
fn add_and_remove_node_reject_bad_calls() {
	new_test_ext(4).execute_with(|| {
		assert_noop!(
			Operators::add_node(RuntimeOrigin::signed(validator(1)), node(1)),
			Error::<Test>::NotVotingAccount
		);
		assert_noop!(
			Operators::add_node(RuntimeOrigin::signed(voter(1)), BoundedVec::new()),
			Error::<Test>::EmptyDetail
		);
		// Another entity's main node, or one of its other nodes, is taken.
		assert_noop!(
			Operators::add_node(
				RuntimeOrigin::signed(voter(1)),
				BoundedVec::truncate_from(peer(2))
			),
			Error::<Test>::PeerIdInUse
		);
		assert_ok!(Operators::add_node(RuntimeOrigin::signed(voter(2)), node(1)));
		assert_noop!(
			Operators::add_node(RuntimeOrigin::signed(voter(1)), node(1)),
			Error::<Test>::PeerIdInUse
		);
		assert_ok!(Operators::add_node(RuntimeOrigin::signed(voter(1)), node(2)));
		assert_ok!(Operators::add_node(RuntimeOrigin::signed(voter(1)), node(3)));
		assert_noop!(
			Operators::add_node(RuntimeOrigin::signed(voter(1)), node(4)),
			Error::<Test>::TooManyNodes
		);
		// Only the entity's own other nodes can be withdrawn.
		assert_noop!(
			Operators::remove_node(RuntimeOrigin::signed(voter(1)), node(1)),
			Error::<Test>::UnknownNode
		);
		assert_noop!(
			Operators::remove_node(
				RuntimeOrigin::signed(voter(1)),
				BoundedVec::truncate_from(peer(1))
			),
			Error::<Test>::UnknownNode
		);
		check();
	});
}
