//! `pallet_governance`: one licensed entity, one vote; the tracks and what each may do.
//!
//! | track | origin | approval (of active entities) | may carry |
//! |---|---|---|---|
//! | runtime upgrade | Root | ≥ 2/3 | `System::authorize_upgrade{,_without_checks}` |
//! | membership | Root | ≥ 2/3 | `Operators` admission/suspension/removal, `GuardianRecovery::{force_recovery, force_close_recovery}`, `Governance::{cancel, set_track}`, bridge trust anchors and limit raises (`Bridge::{initialize, set_limits}`), loosening settlement limits (`Settlement::impose_limits`), XCM's `PolkadotXcm::force_*` |
//! | parameters | `Parameters` | > 1/2 | burn approvals, threshold, destinations; escrow disputes, oracles, unpause; bridge `set_limits` (tightening only), `resume`, `cancel_quarantined`; `Settlement::impose_limits` (tightening only); `TxPause::unpause`, `SafeMode::{force_exit, force_extend}`, `Governance::ratify`, `System::remark` (a recorded resolution) |
//! | emergency | `Emergency` | > 1/2, short vote, no delay | `SafeMode::force_enter`, `TxPause::pause`, `Escrow::set_paused(true)`, `Bridge::halt`; undone after the emergency period unless ratified |
//!
//! `Utility::batch_all` of calls one track may carry rides that track. Periods and thresholds
//! are set per chain in genesis (`governance.tracks`) and changed by a membership vote.

use crate::{
	AccountId, Balance, Balances, OriginCaller, Runtime, RuntimeCall, RuntimeHoldReason, UNIT,
};
use frame_support::{
	parameter_types,
	traits::{ConstU32, EitherOf},
};
use frame_system::{EnsureRoot, RawOrigin};
use pallet_governance::{EnsureEmergency, EnsureParameters, Origin, Threshold, Track, TrackPolicy};

/// Root or a passed parameters proposal.
pub type RootOrParameters = EitherOf<EnsureRoot<AccountId>, EnsureParameters>;
/// Root or a passed emergency proposal.
pub type RootOrEmergency = EitherOf<EnsureRoot<AccountId>, EnsureEmergency>;
/// Root, a passed parameters proposal or a passed emergency proposal (lifting a pause).
pub type RootParametersOrEmergency = EitherOf<RootOrParameters, EnsureEmergency>;

/// Nesting of `Utility` batches a proposal may use.
const MAX_BATCH_DEPTH: u32 = 2;

/// The runtime's track policy (see the module table).
pub struct Tracks;

impl Tracks {
	fn allows(track: Track, call: &RuntimeCall, depth: u32) -> bool {
		use pallet_bridge::Call as Bridge;
		use pallet_burn_proofs::Call as Burn;
		use pallet_escrow::Call as Escrow;
		use pallet_governance::Call as Gov;
		use pallet_operators::Call as Ops;
		use pallet_safe_mode::Call as Safe;
		use pallet_tx_pause::Call as Pause;
		use pallet_utility::Call as Utility;
		use pallet_xcm::Call as Xcm;
		use RuntimeCall as C;
		if let C::Utility(Utility::batch_all { calls }) = call {
			return depth < MAX_BATCH_DEPTH
				&& !calls.is_empty()
				&& calls.iter().all(|c| Self::allows(track, c, depth + 1));
		}
		match track {
			Track::RuntimeUpgrade => matches!(
				call,
				C::System(
					frame_system::Call::authorize_upgrade { .. }
						| frame_system::Call::authorize_upgrade_without_checks { .. }
				)
			),
			Track::Membership => matches!(
				call,
				C::Operators(
					Ops::admit { .. }
						| Ops::suspend { .. }
						| Ops::reinstate { .. }
						| Ops::remove { .. }
				) | C::GuardianRecovery(
					pallet_guardian_recovery::Call::force_recovery { .. }
						| pallet_guardian_recovery::Call::force_close_recovery { .. }
				) | C::Governance(Gov::cancel { .. } | Gov::set_track { .. })
					| C::Bridge(Bridge::initialize { .. } | Bridge::set_limits { .. })
					| C::Settlement(pallet_settlement::Call::impose_limits { .. })
					| C::PolkadotXcm(
						Xcm::force_xcm_version { .. }
							| Xcm::force_default_xcm_version { .. }
							| Xcm::force_subscribe_version_notify { .. }
							| Xcm::force_unsubscribe_version_notify { .. }
							| Xcm::force_suspension { .. }
					)
			),
			Track::Parameters => matches!(
				call,
				C::BurnProofs(
					Burn::approve_large_burn { .. }
						| Burn::reject_large_burn { .. }
						| Burn::set_large_burn_threshold { .. }
						| Burn::add_destination { .. }
						| Burn::remove_destination { .. }
				) | C::Escrow(
					Escrow::resolve { .. }
						| Escrow::register_oracle { .. }
						| Escrow::remove_oracle { .. }
						| Escrow::set_paused { paused: false }
				) | C::Bridge(
					Bridge::set_limits { .. }
						| Bridge::resume { .. }
						| Bridge::cancel_quarantined { .. }
				) | C::Settlement(pallet_settlement::Call::impose_limits { .. })
					| C::TxPause(Pause::unpause { .. })
					| C::SafeMode(Safe::force_exit {} | Safe::force_extend {})
					| C::Governance(Gov::ratify { .. })
					| C::System(frame_system::Call::remark { .. })
			),
			Track::Emergency => matches!(
				call,
				C::SafeMode(Safe::force_enter {})
					| C::TxPause(Pause::pause { .. })
					| C::Escrow(Escrow::set_paused { paused: true })
					| C::Bridge(Bridge::halt { .. })
			),
		}
	}
}

impl TrackPolicy<RuntimeCall, OriginCaller> for Tracks {
	fn authorizes(track: Track, call: &RuntimeCall) -> bool {
		Self::allows(track, call, 0)
	}

	fn origin(track: Track) -> OriginCaller {
		match track {
			Track::RuntimeUpgrade | Track::Membership => RawOrigin::Root.into(),
			Track::Parameters => Origin::Parameters.into(),
			Track::Emergency => Origin::Emergency.into(),
		}
	}

	fn emergency_revert(call: &RuntimeCall) -> Option<RuntimeCall> {
		use RuntimeCall as C;
		match call {
			C::SafeMode(pallet_safe_mode::Call::force_enter {}) => {
				Some(C::SafeMode(pallet_safe_mode::Call::force_exit {}))
			},
			C::TxPause(pallet_tx_pause::Call::pause { full_name }) => {
				Some(C::TxPause(pallet_tx_pause::Call::unpause { ident: full_name.clone() }))
			},
			C::Escrow(pallet_escrow::Call::set_paused { paused: true }) => {
				Some(C::Escrow(pallet_escrow::Call::set_paused { paused: false }))
			},
			C::Bridge(pallet_bridge::Call::halt { counterparty }) => {
				Some(C::Bridge(pallet_bridge::Call::resume { counterparty: *counterparty }))
			},
			C::Utility(pallet_utility::Call::batch_all { calls }) => calls
				.iter()
				.rev()
				.map(Self::emergency_revert)
				.collect::<Option<alloc::vec::Vec<_>>>()
				.map(|calls| C::Utility(pallet_utility::Call::batch_all { calls })),
			_ => None,
		}
	}
}

parameter_types! {
	/// Held from the proposer until the decision.
	pub const ProposalDeposit: Balance = 100 * UNIT;
	/// Upgrades and membership never pass with less than 2/3 of the entities.
	pub const TwoThirds: Threshold = Threshold::at_least(2, 3);
	/// No track passes with half of the entities or less.
	pub const Majority: Threshold = Threshold::more_than(1, 2);
}

/// A parameters-track decision must enact before the bridge releases a quarantined mint.
pub struct QuarantineDeadline;
impl pallet_governance::DecisionDeadline<crate::BlockNumber> for QuarantineDeadline {
	fn deadline() -> Option<crate::BlockNumber> {
		pallet_bridge::Pallet::<Runtime>::shortest_quarantine_delay()
	}
	fn weight() -> frame_support::weights::Weight {
		pallet_bridge::Pallet::<Runtime>::shortest_quarantine_delay_weight()
	}
}

impl pallet_governance::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Entities = crate::Operators;
	type Policy = Tracks;
	type Scheduler = crate::Scheduler;
	// Root comes only from the ≥ 2/3 tracks (runtime upgrade, membership).
	type CancelOrigin = EnsureRoot<AccountId>;
	type RatifyOrigin = RootOrParameters;
	type TrackAdminOrigin = EnsureRoot<AccountId>;
	type RuntimeUpgradeFloor = TwoThirds;
	type MembershipFloor = TwoThirds;
	type ParametersFloor = Majority;
	type EmergencyFloor = Majority;
	type ProposalDeposit = ProposalDeposit;
	/// Upgrades carry a code hash, not code: 4 KiB holds any call of this runtime's pallets.
	type MaxCallLen = ConstU32<4096>;
	type MaxOpenPerEntity = ConstU32<8>;
	type MaxEntities = <Runtime as pallet_operators::Config>::MaxEntities;
	// A failed revert (say a call filter in the way) is retried every 10 minutes for a day.
	type RevertRetryInterval = ConstU32<{ 10 * crate::MINUTES }>;
	type MaxRevertAttempts = ConstU32<144>;
	type DecisionDeadline = QuarantineDeadline;
	type WeightInfo = pallet_governance::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::GovernanceHelper;
}

#[cfg(test)]
mod tests {
	use super::*;

	fn upgrade() -> RuntimeCall {
		RuntimeCall::System(frame_system::Call::authorize_upgrade { code_hash: Default::default() })
	}

	#[test]
	fn each_call_rides_only_its_track() {
		assert!(Tracks::authorizes(Track::RuntimeUpgrade, &upgrade()));
		for t in [Track::Membership, Track::Parameters, Track::Emergency] {
			assert!(!Tracks::authorizes(t, &upgrade()), "{t:?}");
		}
		let pause = RuntimeCall::Escrow(pallet_escrow::Call::set_paused { paused: true });
		let unpause = RuntimeCall::Escrow(pallet_escrow::Call::set_paused { paused: false });
		assert!(Tracks::authorizes(Track::Emergency, &pause));
		assert!(!Tracks::authorizes(Track::Emergency, &unpause));
		assert!(Tracks::authorizes(Track::Parameters, &unpause));
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: AccountId::new([1; 32]).into(),
			value: 1,
		});
		for t in Track::ALL {
			assert!(!Tracks::authorizes(t, &transfer), "{t:?}");
		}
	}

	#[test]
	fn bridge_trust_anchor_rides_only_a_two_thirds_track() {
		use sp_runtime::traits::Header as _;
		let init = RuntimeCall::Bridge(pallet_bridge::Call::initialize {
			counterparty: tpchain_primitives::ChainId(2),
			header: alloc::boxed::Box::new(tpchain_primitives::Header::new(
				1,
				Default::default(),
				Default::default(),
				Default::default(),
				Default::default(),
			)),
			authority_set: vec![],
			set_id: 0,
		});
		assert!(Tracks::authorizes(Track::Membership, &init));
		for t in [Track::RuntimeUpgrade, Track::Parameters, Track::Emergency] {
			assert!(!Tracks::authorizes(t, &init), "{t:?}");
		}
		// Limits ride both; the pallet lets the parameters origin only tighten them.
		let limits = RuntimeCall::Bridge(pallet_bridge::Call::set_limits {
			counterparty: tpchain_primitives::ChainId(2),
			limits: Default::default(),
		});
		assert!(Tracks::authorizes(Track::Membership, &limits));
		assert!(Tracks::authorizes(Track::Parameters, &limits));
	}

	#[test]
	fn settlement_limits_ride_the_parameters_and_membership_tracks() {
		// The pallet lets the parameters origin only tighten them.
		let impose = RuntimeCall::Settlement(pallet_settlement::Call::impose_limits {
			payer: crate::AccountId::new([7; 32]),
			limits: Default::default(),
		});
		assert!(Tracks::authorizes(Track::Parameters, &impose));
		assert!(Tracks::authorizes(Track::Membership, &impose));
		for t in [Track::RuntimeUpgrade, Track::Emergency] {
			assert!(!Tracks::authorizes(t, &impose), "{t:?}");
		}
		// Settling is a user's call: no track carries it.
		let settle =
			RuntimeCall::Settlement(pallet_settlement::Call::settle { batch: Default::default() });
		for t in [Track::RuntimeUpgrade, Track::Membership, Track::Parameters, Track::Emergency] {
			assert!(!Tracks::authorizes(t, &settle), "{t:?}");
		}
	}

	#[test]
	fn batches_ride_a_track_only_if_every_call_does() {
		let batch = |calls| RuntimeCall::Utility(pallet_utility::Call::batch_all { calls });
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![1] });
		assert!(Tracks::authorizes(
			Track::Parameters,
			&batch(vec![remark.clone(), remark.clone()])
		));
		assert!(!Tracks::authorizes(Track::Parameters, &batch(vec![remark.clone(), upgrade()])));
		assert!(!Tracks::authorizes(Track::Parameters, &batch(vec![])));
		let deep = batch(vec![batch(vec![batch(vec![remark])])]);
		assert!(!Tracks::authorizes(Track::Parameters, &deep));
	}

	#[test]
	fn emergency_effects_have_reverts() {
		let pause = RuntimeCall::SafeMode(pallet_safe_mode::Call::force_enter {});
		assert_eq!(
			Tracks::emergency_revert(&pause),
			Some(RuntimeCall::SafeMode(pallet_safe_mode::Call::force_exit {}))
		);
		assert_eq!(Tracks::emergency_revert(&upgrade()), None);
	}
}
