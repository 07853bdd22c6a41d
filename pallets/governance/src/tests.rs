//! Tests of the governance pallet: each call with its error paths, decisions and their
//! counting rules, enactment through the scheduler, emergency expiry and ratification, and
//! attacks (double votes, votes of suspended entities, early execution, wrong tracks).

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::DispatchError::BadOrigin;

fn upgrade_call() -> Box<RuntimeCall> {
	Box::new(RuntimeCall::System(frame_system::Call::authorize_upgrade {
		code_hash: sp_core::H256::repeat_byte(7),
	}))
}

fn remark_call() -> Box<RuntimeCall> {
	Box::new(RuntimeCall::System(frame_system::Call::remark { remark: b"limit".to_vec() }))
}

fn transfer_name() -> (BoundedVec<u8, ConstU32<64>>, BoundedVec<u8, ConstU32<64>>) {
	(
		BoundedVec::truncate_from(b"Balances".to_vec()),
		BoundedVec::truncate_from(b"transfer_keep_alive".to_vec()),
	)
}

fn pause_call() -> Box<RuntimeCall> {
	Box::new(RuntimeCall::TxPause(pallet_tx_pause::Call::pause { full_name: transfer_name() }))
}

fn propose(who: AccountId, track: Track, call: Box<RuntimeCall>) -> ProposalId {
	let id = NextProposalId::<Test>::get();
	assert_ok!(Governance::propose(RuntimeOrigin::signed(who), track, call));
	id
}

fn vote_all(id: ProposalId, votes: &[(u64, Vote)]) {
	for (i, v) in votes {
		assert_ok!(Governance::vote(RuntimeOrigin::signed(voter(*i)), id, *v));
	}
}

fn status(id: ProposalId) -> ProposalStatus<u64> {
	Proposals::<Test>::get(id).unwrap().status
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::ProposalDeposit.into(), &who)
}

fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Governance(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn upgrade_authorized() -> Option<sp_core::H256> {
	System::events().into_iter().find_map(|r| match r.event {
		RuntimeEvent::System(frame_system::Event::UpgradeAuthorized { code_hash, .. }) => {
			Some(code_hash)
		},
		_ => None,
	})
}

fn check() {
	Governance::do_try_state().unwrap();
}

use frame_support::{traits::ConstU32, BoundedVec};

#[test]
fn propose_works() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::RuntimeUpgrade, upgrade_call());
		let p = Proposals::<Test>::get(id).unwrap();
		assert_eq!(p.proposer, 0);
		assert_eq!(p.status, ProposalStatus::Voting { ends: 1 + VOTING });
		assert_eq!(p.call_hash, sp_io::hashing::blake2_256(&upgrade_call().encode()));
		assert_eq!(held(voter(0)), DEPOSIT);
		assert_eq!(OpenProposals::<Test>::get(0), 1);
		assert!(matches!(events().last(), Some(Event::Proposed { proposal: 0, proposer: 0, .. })));
		check();
	});
}

#[test]
fn propose_rejects_non_entities_and_suspended_entities() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Governance::propose(RuntimeOrigin::signed(STRANGER), Track::Parameters, remark_call()),
			Error::<Test>::NotEntity
		);
		assert_ok!(Operators::suspend(RuntimeOrigin::root(), 3));
		assert_noop!(
			Governance::propose(RuntimeOrigin::signed(voter(3)), Track::Parameters, remark_call()),
			Error::<Test>::NotEntity
		);
		assert_noop!(
			Governance::propose(RuntimeOrigin::root(), Track::Parameters, remark_call()),
			BadOrigin
		);
	});
}

#[test]
fn proposal_on_a_wrong_track_is_refused_at_submission() {
	new_test_ext().execute_with(|| {
		// An upgrade cannot ride the >1/2 parameters or emergency tracks.
		for track in [Track::Parameters, Track::Emergency, Track::Membership] {
			assert_noop!(
				Governance::propose(RuntimeOrigin::signed(voter(0)), track, upgrade_call()),
				Error::<Test>::CallNotAllowedOnTrack
			);
		}
		assert_noop!(
			Governance::propose(RuntimeOrigin::signed(voter(0)), Track::Emergency, remark_call()),
			Error::<Test>::CallNotAllowedOnTrack
		);
	});
}

#[test]
fn propose_rejects_long_calls_too_many_open_and_missing_deposit() {
	new_test_ext().execute_with(|| {
		let long =
			Box::new(RuntimeCall::System(frame_system::Call::remark { remark: vec![0; 300] }));
		assert_noop!(
			Governance::propose(RuntimeOrigin::signed(voter(0)), Track::Parameters, long),
			Error::<Test>::CallTooLong
		);
		propose(voter(0), Track::Parameters, remark_call());
		propose(voter(0), Track::Parameters, remark_call());
		assert_noop!(
			Governance::propose(RuntimeOrigin::signed(voter(0)), Track::Parameters, remark_call()),
			Error::<Test>::TooManyOpen
		);
		// An entity whose new voting account has no funds cannot cover the deposit.
		assert_ok!(Operators::change_voting_key(RuntimeOrigin::signed(voter(1)), 999));
		assert_noop!(
			Governance::propose(RuntimeOrigin::signed(999), Track::Parameters, remark_call()),
			Error::<Test>::InsufficientDeposit
		);
	});
}

#[test]
fn vote_works_and_can_change_while_open() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::Parameters, remark_call());
		assert_ok!(Governance::vote(RuntimeOrigin::signed(voter(1)), id, Vote::Nay));
		assert_ok!(Governance::vote(RuntimeOrigin::signed(voter(1)), id, Vote::Aye));
		assert_ok!(Governance::vote(RuntimeOrigin::signed(voter(2)), id, Vote::Abstain));
		let p = Proposals::<Test>::get(id).unwrap();
		assert_eq!(p.tally, Tally { ayes: 1, nays: 0, abstentions: 1 });
		let votes = Governance::vote_records(id);
		assert_eq!(votes.len(), 2);
		assert_eq!(
			(votes[0].entity, votes[0].vote, votes[0].voter, votes[0].at),
			(1, Vote::Aye, voter(1), 1)
		);
		assert_eq!(
			events().last(),
			Some(&Event::Voted { proposal: id, entity: 2, vote: Vote::Abstain })
		);
	});
}

#[test]
fn double_vote_is_rejected_even_after_a_key_rotation() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::Parameters, remark_call());
		vote_all(id, &[(1, Vote::Aye)]);
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(voter(1)), id, Vote::Aye),
			Error::<Test>::AlreadyVoted
		);
		// The entity's new key speaks for the same entity: one vote, replaced.
		assert_ok!(Operators::change_voting_key(RuntimeOrigin::signed(voter(1)), 999));
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(999), id, Vote::Aye),
			Error::<Test>::AlreadyVoted
		);
		assert_ok!(Governance::vote(RuntimeOrigin::signed(999), id, Vote::Nay));
		assert_eq!(
			Proposals::<Test>::get(id).unwrap().tally,
			Tally { ayes: 0, nays: 1, abstentions: 0 }
		);
		// The old key is no one's.
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(voter(1)), id, Vote::Aye),
			Error::<Test>::NotEntity
		);
	});
}

#[test]
fn vote_rejects_non_entities_unknown_and_closed_proposals() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::Parameters, remark_call());
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(STRANGER), id, Vote::Aye),
			Error::<Test>::NotEntity
		);
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(voter(0)), 9, Vote::Aye),
			Error::<Test>::UnknownProposal
		);
		run_to(1 + VOTING);
		assert!(matches!(status(id), ProposalStatus::Rejected { .. }));
		assert_noop!(
			Governance::vote(RuntimeOrigin::signed(voter(0)), id, Vote::Aye),
			Error::<Test>::NotVoting
		);
	});
}

#[test]
fn upgrade_passes_with_three_of_four_and_is_enacted_after_the_delay() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::RuntimeUpgrade, upgrade_call());
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye), (3, Vote::Nay)]);
		run_to(1 + VOTING);
		let enact_at = 1 + VOTING + DELAY;
		assert_eq!(status(id), ProposalStatus::Approved { at: enact_at });
		assert_eq!(held(voter(0)), 0, "deposit released at the decision");
		assert_eq!(OpenProposals::<Test>::get(0), 0);
		assert!(upgrade_authorized().is_none());
		run_to(enact_at);
		assert_eq!(status(id), ProposalStatus::Executed { at: enact_at, ok: true });
		assert_eq!(upgrade_authorized(), Some(sp_core::H256::repeat_byte(7)));
		assert!(events().contains(&Event::Executed { proposal: id, result: Ok(()) }));
		check();
	});
}

#[test]
fn two_of_four_do_not_pass_a_two_thirds_track() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::RuntimeUpgrade, upgrade_call());
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Abstain), (3, Vote::Abstain)]);
		run_to(1 + VOTING);
		assert_eq!(status(id), ProposalStatus::Rejected { at: 1 + VOTING });
		let p = Proposals::<Test>::get(id).unwrap();
		assert_eq!((p.tally.ayes, p.electorate), (2, 4));
		run_to(20);
		assert!(upgrade_authorized().is_none());
		check();
	});
}

#[test]
fn quorum_counts_abstentions() {
	new_test_ext().execute_with(|| {
		TrackParamsSetter::quorum(Track::Parameters, Threshold::at_least(3, 4));
		let id = propose(voter(0), Track::Parameters, remark_call());
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		let id2 = propose(voter(1), Track::Parameters, remark_call());
		vote_all(id2, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye), (3, Vote::Nay)]);
		// Same turnout without ayes: 1 aye + 2 abstentions does not pass approval.
		let id3 = propose(voter(2), Track::Parameters, remark_call());
		vote_all(id3, &[(0, Vote::Aye), (1, Vote::Abstain), (2, Vote::Abstain)]);
		run_to(1 + VOTING);
		assert!(matches!(status(id), ProposalStatus::Approved { .. }));
		assert!(matches!(status(id2), ProposalStatus::Approved { .. }));
		assert!(matches!(status(id3), ProposalStatus::Rejected { .. }));
	});
}

struct TrackParamsSetter;
impl TrackParamsSetter {
	fn quorum(track: Track, quorum: Threshold) {
		let mut p = Tracks::<Test>::get(track).unwrap();
		p.quorum = quorum;
		assert_ok!(Governance::set_track(RuntimeOrigin::root(), track, p));
	}
}

#[test]
fn votes_of_suspended_entities_do_not_count() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::RuntimeUpgrade, upgrade_call());
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (3, Vote::Aye)]);
		// Entity 3 is suspended before the decision: 2 ayes of 3 active still reach 2/3.
		assert_ok!(Operators::suspend(RuntimeOrigin::root(), 3));
		run_to(1 + VOTING);
		let p = Proposals::<Test>::get(id).unwrap();
		assert_eq!((p.tally.ayes, p.electorate), (2, 3));
		assert!(matches!(p.status, ProposalStatus::Approved { .. }));
	});
}

#[test]
fn executing_before_enactment_is_rejected() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::RuntimeUpgrade, upgrade_call());
		let w = Proposals::<Test>::get(id).unwrap().call_weight;
		assert_noop!(Governance::decide(RuntimeOrigin::root(), id), Error::<Test>::TooEarly);
		assert_noop!(Governance::enact(RuntimeOrigin::root(), id, w), Error::<Test>::NotApproved);
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		run_to(1 + VOTING);
		assert_noop!(Governance::enact(RuntimeOrigin::root(), id, w), Error::<Test>::TooEarly);
		// Not even an entity can trigger the scheduled calls.
		assert_noop!(Governance::enact(RuntimeOrigin::signed(voter(0)), id, w), BadOrigin);
		assert_noop!(Governance::decide(RuntimeOrigin::signed(voter(0)), id), BadOrigin);
		run_to(1 + VOTING + DELAY);
		assert!(matches!(status(id), ProposalStatus::Executed { ok: true, .. }));
		// Executed once only.
		assert_noop!(Governance::enact(RuntimeOrigin::root(), id, w), Error::<Test>::NotApproved);
	});
}

#[test]
fn enact_rejects_an_understated_weight() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::RuntimeUpgrade, upgrade_call());
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		run_to(1 + VOTING);
		System::set_block_number(1 + VOTING + DELAY);
		assert_noop!(
			Governance::enact(RuntimeOrigin::root(), id, Weight::zero()),
			Error::<Test>::WeightTooLow
		);
	});
}

#[test]
fn failed_execution_is_recorded() {
	new_test_ext().execute_with(|| {
		let call = Box::new(RuntimeCall::Operators(pallet_operators::Call::suspend { entity: 99 }));
		let id = propose(voter(0), Track::Membership, call);
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		run_to(1 + VOTING + DELAY);
		let p = Proposals::<Test>::get(id).unwrap();
		assert_eq!(p.status, ProposalStatus::Executed { at: 1 + VOTING + DELAY, ok: false });
		let err: DispatchError = pallet_operators::Error::<Test>::UnknownEntity.into();
		assert_eq!(p.error, Some(err));
		assert_eq!(Governance::proposal_views(id, 1)[0].error, Some(err.encode()));
	});
}

#[test]
fn parameters_track_dispatches_with_its_own_origin() {
	new_test_ext().execute_with(|| {
		// Pause directly as Emergency, then lift it by a parameters vote (UnpauseOrigin accepts
		// Parameters but not a signed account).
		assert_ok!(TxPause::pause(crate::Origin::Emergency.into(), transfer_name()));
		assert_noop!(TxPause::unpause(RuntimeOrigin::signed(voter(0)), transfer_name()), BadOrigin);
		let call = Box::new(RuntimeCall::TxPause(pallet_tx_pause::Call::unpause {
			ident: transfer_name(),
		}));
		let id = propose(voter(0), Track::Parameters, call);
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		run_to(1 + VOTING + 1);
		assert!(matches!(status(id), ProposalStatus::Executed { ok: true, .. }));
		assert!(!TxPause::is_paused(&transfer_name()));
	});
}

#[test]
fn emergency_pause_takes_effect_at_once_and_expires_unless_ratified() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::Emergency, pause_call());
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		let decided = 1 + EMERGENCY_VOTING;
		run_to(decided + 1);
		assert!(TxPause::is_paused(&transfer_name()));
		let transfer =
			RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive { dest: 1, value: 5 });
		assert!(!<TxPause as frame_support::traits::Contains<RuntimeCall>>::contains(&transfer));
		let p = Proposals::<Test>::get(id).unwrap();
		assert_eq!(p.expires_at, Some(decided + 1 + EMERGENCY_PERIOD));
		run_to(decided + EMERGENCY_PERIOD);
		assert!(TxPause::is_paused(&transfer_name()));
		run_to(decided + 1 + EMERGENCY_PERIOD);
		assert!(!TxPause::is_paused(&transfer_name()), "unratified pause expired");
		assert!(events().contains(&Event::EmergencyExpired { proposal: id, result: Ok(()) }));
		assert_eq!(Proposals::<Test>::get(id).unwrap().expires_at, None);
		check();
	});
}

#[test]
fn ratified_emergency_effect_stays() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::Emergency, pause_call());
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		run_to(2 + EMERGENCY_VOTING);
		let ratify = Box::new(RuntimeCall::Governance(Call::ratify { proposal: id }));
		let r = propose(voter(1), Track::Parameters, ratify);
		vote_all(r, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		run_to(System::block_number() + VOTING + 1);
		assert!(Proposals::<Test>::get(id).unwrap().ratified);
		assert!(events().contains(&Event::Ratified { proposal: id }));
		run_to(System::block_number() + EMERGENCY_PERIOD + 5);
		assert!(TxPause::is_paused(&transfer_name()), "ratified pause stays");
		check();
	});
}

#[test]
fn ratify_rejects_non_emergency_and_bad_origin() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::Parameters, remark_call());
		assert_noop!(Governance::ratify(RuntimeOrigin::root(), id), Error::<Test>::NotRatifiable);
		assert_noop!(Governance::ratify(RuntimeOrigin::signed(voter(0)), id), BadOrigin);
		assert_noop!(Governance::ratify(RuntimeOrigin::root(), 42), Error::<Test>::UnknownProposal);
		assert_noop!(
			Governance::expire(RuntimeOrigin::root(), id, Weight::MAX),
			Error::<Test>::NotRatifiable
		);
	});
}

#[test]
fn cancel_works_before_decision_and_before_enactment() {
	new_test_ext().execute_with(|| {
		let open = propose(voter(0), Track::RuntimeUpgrade, upgrade_call());
		vote_all(open, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		let approved = propose(
			voter(1),
			Track::Membership,
			Box::new(RuntimeCall::Operators(pallet_operators::Call::suspend { entity: 3 })),
		);
		vote_all(approved, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		assert_ok!(Governance::cancel(RuntimeOrigin::root(), open));
		assert_eq!(held(voter(0)), 0);
		assert_eq!(OpenProposals::<Test>::get(0), 0);
		run_to(1 + VOTING);
		assert!(matches!(status(approved), ProposalStatus::Approved { .. }));
		assert_ok!(Governance::cancel(RuntimeOrigin::root(), approved));
		run_to(1 + VOTING + DELAY + 3);
		assert_eq!(status(open), ProposalStatus::Cancelled { at: 1 });
		assert_eq!(status(approved), ProposalStatus::Cancelled { at: 1 + VOTING });
		assert!(upgrade_authorized().is_none());
		assert!(Operators::active_entity_of(&voter(3)).is_some(), "cancelled suspension not run");
		check();
	});
}

#[test]
fn cancel_rejects_bad_origin_and_finished_proposals() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::Parameters, remark_call());
		assert_noop!(Governance::cancel(RuntimeOrigin::signed(voter(0)), id), BadOrigin);
		assert_noop!(Governance::cancel(RuntimeOrigin::root(), 5), Error::<Test>::UnknownProposal);
		run_to(1 + VOTING);
		assert_noop!(Governance::cancel(RuntimeOrigin::root(), id), Error::<Test>::NotCancellable);
	});
}

#[test]
fn cancellation_by_vote_uses_a_two_thirds_track() {
	new_test_ext().execute_with(|| {
		let target = propose(voter(0), Track::Parameters, remark_call());
		let cancel = Box::new(RuntimeCall::Governance(Call::cancel { proposal: target }));
		assert_noop!(
			Governance::propose(RuntimeOrigin::signed(voter(1)), Track::Parameters, cancel.clone()),
			Error::<Test>::CallNotAllowedOnTrack
		);
		assert_ok!(TrackParamsSetter::voting(Track::Parameters, 20));
		let target = propose(voter(0), Track::Parameters, remark_call());
		let c = propose(
			voter(1),
			Track::Membership,
			Box::new(RuntimeCall::Governance(Call::cancel { proposal: target })),
		);
		vote_all(c, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		run_to(1 + VOTING + DELAY);
		assert!(matches!(status(target), ProposalStatus::Cancelled { .. }));
	});
}

impl TrackParamsSetter {
	fn voting(track: Track, voting_period: u64) -> DispatchResult {
		let mut p = Tracks::<Test>::get(track).unwrap();
		p.voting_period = voting_period;
		Governance::set_track(RuntimeOrigin::root(), track, p)
	}
}

#[test]
fn set_track_works_and_rejects_invalid_params() {
	new_test_ext().execute_with(|| {
		let mut p = Tracks::<Test>::get(Track::Parameters).unwrap();
		p.approval = Threshold::at_least(3, 4);
		assert_ok!(Governance::set_track(RuntimeOrigin::root(), Track::Parameters, p));
		assert_eq!(Tracks::<Test>::get(Track::Parameters), Some(p));
		assert_eq!(
			events().last(),
			Some(&Event::TrackUpdated { track: Track::Parameters, params: p })
		);
		assert_noop!(
			Governance::set_track(RuntimeOrigin::signed(voter(0)), Track::Parameters, p),
			BadOrigin
		);
		let mut bad = p;
		bad.approval = Threshold::at_least(5, 4);
		assert_noop!(
			Governance::set_track(RuntimeOrigin::root(), Track::Parameters, bad),
			Error::<Test>::InvalidTrackParams
		);
		let mut bad = p;
		bad.voting_period = 0;
		assert_noop!(
			Governance::set_track(RuntimeOrigin::root(), Track::Parameters, bad),
			Error::<Test>::InvalidTrackParams
		);
		let mut bad = Tracks::<Test>::get(Track::Emergency).unwrap();
		bad.enactment_delay = 3;
		assert_noop!(
			Governance::set_track(RuntimeOrigin::root(), Track::Emergency, bad),
			Error::<Test>::InvalidTrackParams
		);
	});
}

#[test]
fn audit_trail_lists_proposals_and_outcomes() {
	new_test_ext().execute_with(|| {
		let a = propose(voter(0), Track::Parameters, remark_call());
		let b = propose(voter(1), Track::RuntimeUpgrade, upgrade_call());
		vote_all(a, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		run_to(1 + VOTING + DELAY);
		let views = Governance::proposal_views(0, 10);
		assert_eq!(views.len(), 2);
		assert_eq!(views[0].id, a);
		assert!(matches!(views[0].status, ProposalStatus::Executed { ok: true, .. }));
		assert_eq!(views[0].tally.ayes, 3);
		assert_eq!(views[0].electorate, 4);
		assert!(matches!(views[1].status, ProposalStatus::Rejected { .. }));
		assert_eq!(views[1].id, b);
		assert_eq!(Governance::proposal_views(1, 10).len(), 1);
		assert_eq!(Governance::tracks().len(), 4);
	});
}

// --- floors, the emergency life cycle and the policy at enactment ---

#[test]
fn set_track_cannot_lower_a_root_track_below_two_thirds() {
	new_test_ext().execute_with(|| {
		for track in [Track::RuntimeUpgrade, Track::Membership] {
			let mut p = Tracks::<Test>::get(track).unwrap();
			p.approval = Threshold::more_than(1, 2);
			assert_noop!(
				Governance::set_track(RuntimeOrigin::root(), track, p),
				Error::<Test>::BelowFloor
			);
			p.approval = Threshold::more_than(65, 100);
			assert_noop!(
				Governance::set_track(RuntimeOrigin::root(), track, p),
				Error::<Test>::BelowFloor
			);
			p.approval = Threshold::at_least(3, 4);
			assert_ok!(Governance::set_track(RuntimeOrigin::root(), track, p));
		}
		let mut p = Tracks::<Test>::get(Track::Parameters).unwrap();
		p.approval = Threshold::at_least(1, 2);
		assert_noop!(
			Governance::set_track(RuntimeOrigin::root(), Track::Parameters, p),
			Error::<Test>::BelowFloor
		);
	});
}

#[test]
fn lowered_stored_threshold_cannot_pass_an_upgrade_below_the_floor() {
	new_test_ext().execute_with(|| {
		// A track stored before the floor existed (or written around `set_track`).
		Tracks::<Test>::mutate(Track::RuntimeUpgrade, |p| {
			p.as_mut().unwrap().approval = Threshold::more_than(1, 4);
			p.as_mut().unwrap().quorum = Threshold::more_than(1, 4);
		});
		let id = propose(voter(0), Track::RuntimeUpgrade, upgrade_call());
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye)]);
		run_to(1 + VOTING);
		assert!(matches!(status(id), ProposalStatus::Rejected { .. }));
	});
}

#[test]
fn set_track_refuses_a_parameters_track_slower_than_the_emergency_period() {
	new_test_ext().execute_with(|| {
		let mut p = Tracks::<Test>::get(Track::Parameters).unwrap();
		// 9 blocks of voting and 1 of enactment would land at expiry, too late to ratify.
		p.voting_period = EMERGENCY_PERIOD - 1;
		p.enactment_delay = 0;
		assert_noop!(
			Governance::set_track(RuntimeOrigin::root(), Track::Parameters, p),
			Error::<Test>::InvalidTrackParams
		);
		p.voting_period = EMERGENCY_PERIOD - 2;
		assert_ok!(Governance::set_track(RuntimeOrigin::root(), Track::Parameters, p));
	});
}

#[test]
fn proposal_the_policy_no_longer_allows_is_not_executed() {
	new_test_ext().execute_with(|| {
		let id = propose(voter(0), Track::Parameters, remark_call());
		vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		run_to(1 + VOTING);
		assert!(matches!(status(id), ProposalStatus::Approved { .. }));
		RemarksAllowed::set(&false);
		run_to(2 + VOTING);
		let p = Proposals::<Test>::get(id).unwrap();
		assert!(matches!(p.status, ProposalStatus::Executed { ok: false, .. }));
		assert_eq!(p.error, Some(Error::<Test>::CallNotAllowedOnTrack.into()));
	});
}

/// An emergency pause by entities 0–2, in force from block 4 until `4 + EMERGENCY_PERIOD`.
fn pause_in_force() -> ProposalId {
	let id = propose(voter(0), Track::Emergency, pause_call());
	vote_all(id, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
	run_to(2 + EMERGENCY_VOTING);
	assert!(TxPause::is_paused(&transfer_name()));
	assert_eq!(Proposals::<Test>::get(id).unwrap().expires_at, Some(4 + EMERGENCY_PERIOD));
	id
}

#[test]
fn failed_revert_cannot_keep_an_emergency_effect_for_good() {
	new_test_ext().execute_with(|| {
		let id = pause_in_force();
		let expiry = 4 + EMERGENCY_PERIOD;
		RevertBroken::set(&true);
		run_to(expiry);
		let error = DispatchError::BadOrigin;
		assert!(events().contains(&Event::EmergencyRevertFailed {
			proposal: id,
			error,
			retry_at: Some(expiry + RETRY),
		}));
		// Still pending: the failure is recorded, the expiry moved, not cleared.
		assert!(TxPause::is_paused(&transfer_name()));
		assert_eq!(Proposals::<Test>::get(id).unwrap().expires_at, Some(expiry + RETRY));
		assert_eq!(RevertAttempts::<Test>::get(id), 1);
		check();
		RevertBroken::set(&false);
		run_to(expiry + RETRY);
		assert!(!TxPause::is_paused(&transfer_name()), "the retry lifted the pause");
		assert!(events().contains(&Event::EmergencyExpired { proposal: id, result: Ok(()) }));
		assert_eq!(Proposals::<Test>::get(id).unwrap().expires_at, None);
		assert_eq!(RevertAttempts::<Test>::get(id), 0);
		assert_eq!(EffectOwners::<Test>::iter().count(), 0);
		check();
	});
}

#[test]
fn revert_that_never_succeeds_stops_after_max_attempts() {
	new_test_ext().execute_with(|| {
		let id = pause_in_force();
		RevertBroken::set(&true);
		let mut at = 4 + EMERGENCY_PERIOD;
		for attempt in 1..MAX_ATTEMPTS {
			run_to(at);
			assert_eq!(RevertAttempts::<Test>::get(id), attempt);
			at += RETRY;
		}
		run_to(at);
		let error = DispatchError::BadOrigin;
		assert!(events().contains(&Event::EmergencyRevertFailed {
			proposal: id,
			error,
			retry_at: None
		}));
		let p = Proposals::<Test>::get(id).unwrap();
		assert_eq!(p.expires_at, None);
		assert_eq!(RevertAttempts::<Test>::get(id), 0);
		assert_eq!(EffectOwners::<Test>::iter().count(), 0);
		assert_eq!(pallet_scheduler::Lookup::<Test>::iter().count(), 0, "nothing left scheduled");
		check();
	});
}

#[test]
fn old_proposals_expiry_cannot_lift_a_renewed_emergency_effect() {
	new_test_ext().execute_with(|| {
		let first = pause_in_force();
		run_to(20);
		// A second vote for the same pause: in force already, so it renews instead of failing.
		let second = propose(voter(1), Track::Emergency, pause_call());
		vote_all(second, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		run_to(20 + EMERGENCY_VOTING + 1);
		let renewed_until = 20 + EMERGENCY_VOTING + 1 + EMERGENCY_PERIOD;
		assert!(events()
			.contains(&Event::EmergencyRenewed { proposal: second, expires_at: renewed_until }));
		assert!(events().contains(&Event::EmergencySuperseded { proposal: first, by: second }));
		let p = Proposals::<Test>::get(second).unwrap();
		assert!(matches!(p.status, ProposalStatus::Executed { ok: true, .. }));
		assert_eq!(p.error, None);
		assert_eq!(Proposals::<Test>::get(first).unwrap().expires_at, None);
		assert_eq!(EffectOwners::<Test>::iter().map(|(_, o)| o).collect::<Vec<_>>(), vec![second]);
		// The first proposal's old expiry passes: the pause stays.
		run_to(4 + EMERGENCY_PERIOD + 1);
		assert!(TxPause::is_paused(&transfer_name()), "old expiry lifted a renewed pause");
		// A ratification of the superseded proposal has nothing left to keep.
		assert_noop!(
			Governance::ratify(RuntimeOrigin::root(), first),
			Error::<Test>::NotRatifiable
		);
		run_to(renewed_until);
		assert!(!TxPause::is_paused(&transfer_name()));
		assert!(events().contains(&Event::EmergencyExpired { proposal: second, result: Ok(()) }));
		check();
	});
}

#[test]
fn vote_that_lifts_an_effect_ends_its_expiry() {
	new_test_ext().execute_with(|| {
		let pause = pause_in_force();
		let unpause = Box::new(RuntimeCall::TxPause(pallet_tx_pause::Call::unpause {
			ident: transfer_name(),
		}));
		let lift = propose(voter(1), Track::Parameters, unpause);
		vote_all(lift, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		run_to(System::block_number() + VOTING + 1);
		assert!(!TxPause::is_paused(&transfer_name()));
		assert!(events().contains(&Event::EmergencySuperseded { proposal: pause, by: lift }));
		assert_eq!(Proposals::<Test>::get(pause).unwrap().expires_at, None);
		// A new pause later is not undone by the first one's (cancelled) expiry.
		let again = propose(voter(2), Track::Emergency, pause_call());
		vote_all(again, &[(0, Vote::Aye), (1, Vote::Aye), (2, Vote::Aye)]);
		let start = System::block_number();
		run_to(start + EMERGENCY_VOTING + 1);
		assert!(TxPause::is_paused(&transfer_name()));
		run_to(4 + EMERGENCY_PERIOD + 1);
		assert!(TxPause::is_paused(&transfer_name()), "the lifted pause's expiry came back");
		assert!(!events().iter().any(|e| matches!(
			e,
			Event::EmergencyExpired { proposal, .. } if *proposal == pause
		)));
		check();
	});
}

#[test]
fn ratified_effect_releases_its_ownership() {
	new_test_ext().execute_with(|| {
		let id = pause_in_force();
		assert_ok!(Governance::ratify(RuntimeOrigin::root(), id));
		assert_eq!(EffectOwners::<Test>::iter().count(), 0);
		assert_eq!(pallet_scheduler::Lookup::<Test>::iter().count(), 0);
		check();
	});
}

#[test]
fn set_track_refuses_a_parameters_track_slower_than_the_decision_deadline() {
	new_test_ext().execute_with(|| {
		// The bridge's shortest quarantine: a cancellation must enact before the release.
		Deadline::set(&Some(VOTING + 1));
		let mut p = Tracks::<Test>::get(Track::Parameters).unwrap();
		p.enactment_delay = 1;
		assert_noop!(
			Governance::set_track(RuntimeOrigin::root(), Track::Parameters, p),
			Error::<Test>::InvalidTrackParams
		);
		Deadline::set(&Some(VOTING + 2));
		assert_ok!(Governance::set_track(RuntimeOrigin::root(), Track::Parameters, p));
		assert_eq!(Governance::parameters_decision_time(), Some(VOTING + 1));
	});
}
