//! A runtime for the pallet's tests: System, Balances, Scheduler, TxPause, the real
//! `pallet-operators` registry with four entities, and the pallet.

use crate::{self as pallet_governance, *};
use frame_support::{
	derive_impl, parameter_types,
	traits::{
		ConstU128, ConstU32, EitherOf, EqualPrivilegeOnly, Everything, InsideBoth, Nothing,
		OnInitialize,
	},
	weights::Weight,
};
use frame_system::{EnsureRoot, RawOrigin};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;
pub type Balance = u128;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(3)]
	pub type TxPause = pallet_tx_pause;
	#[runtime::pallet_index(4)]
	pub type Operators = pallet_operators;
	#[runtime::pallet_index(5)]
	pub type Governance = pallet_governance;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
	type BaseCallFilter = InsideBoth<Everything, TxPause>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub MaxWeight: Weight = Weight::from_parts(2_000_000_000_000, u64::MAX);
}

impl pallet_scheduler::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaxWeight;
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = ();
	type Preimages = ();
	type BlockNumberProvider = System;
}

impl pallet_tx_pause::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PauseOrigin = EnsureEmergency;
	type UnpauseOrigin = EitherOf<EmergencyUnlessBroken, EnsureParameters>;
	type WhitelistedCalls = Nothing;
	type MaxNameLen = ConstU32<64>;
	type WeightInfo = ();
}

/// The emergency origin, refused while [`RevertBroken`] is set: the same revert call fails.
pub struct EmergencyUnlessBroken;
impl frame_support::traits::EnsureOrigin<RuntimeOrigin> for EmergencyUnlessBroken {
	type Success = ();
	fn try_origin(o: RuntimeOrigin) -> Result<(), RuntimeOrigin> {
		if RevertBroken::get() {
			return Err(o);
		}
		<EnsureEmergency as frame_support::traits::EnsureOrigin<RuntimeOrigin>>::try_origin(o)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(pallet_governance::Origin::Emergency.into())
	}
}

pub struct AllHaveKeys;
impl frame_support::traits::Contains<AccountId> for AllHaveKeys {
	fn contains(_: &AccountId) -> bool {
		true
	}
}

impl pallet_operators::Config for Test {
	type AdminOrigin = EnsureRoot<AccountId>;
	type HasSessionKeys = AllHaveKeys;
	type MaxEntities = ConstU32<8>;
	type MaxNameLen = ConstU32<32>;
	type MaxPeerIdLen = ConstU32<8>;
	type MaxExtraNodes = ConstU32<2>;
	type MinValidators = ConstU32<1>;
	type DefaultSessionLength = ConstU64<10>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}
use frame_support::traits::ConstU64;

/// The track policy of the tests: a miniature of the runtime's.
pub struct MockPolicy;
impl TrackPolicy<RuntimeCall, OriginCaller> for MockPolicy {
	fn authorizes(track: Track, call: &RuntimeCall) -> bool {
		use pallet_governance::Call as G;
		if !RemarksAllowed::get()
			&& matches!(call, RuntimeCall::System(frame_system::Call::remark { .. }))
		{
			return false;
		}
		matches!(
			(track, call),
			(
				Track::RuntimeUpgrade,
				RuntimeCall::System(frame_system::Call::authorize_upgrade { .. })
			) | (Track::Membership, RuntimeCall::Operators(_))
				| (
					Track::Membership,
					RuntimeCall::Governance(G::cancel { .. } | G::set_track { .. })
				) | (Track::Parameters, RuntimeCall::System(frame_system::Call::remark { .. }))
				| (Track::Parameters, RuntimeCall::Governance(G::ratify { .. }))
				| (Track::Parameters, RuntimeCall::TxPause(pallet_tx_pause::Call::unpause { .. }))
				| (Track::Emergency, RuntimeCall::TxPause(pallet_tx_pause::Call::pause { .. }))
		)
	}
	fn origin(track: Track) -> OriginCaller {
		match track {
			Track::RuntimeUpgrade | Track::Membership => RawOrigin::Root.into(),
			Track::Parameters => pallet_governance::Origin::Parameters.into(),
			Track::Emergency => pallet_governance::Origin::Emergency.into(),
		}
	}
	fn emergency_revert(call: &RuntimeCall) -> Option<RuntimeCall> {
		match call {
			RuntimeCall::TxPause(pallet_tx_pause::Call::pause { full_name }) => {
				Some(RuntimeCall::TxPause(pallet_tx_pause::Call::unpause {
					ident: full_name.clone(),
				}))
			},
			_ => None,
		}
	}
}

pub struct MockDeadline;
impl DecisionDeadline<u64> for MockDeadline {
	fn deadline() -> Option<u64> {
		Deadline::get()
	}
	fn weight() -> Weight {
		Weight::zero()
	}
}

pub const DEPOSIT: Balance = 100;
pub const FUNDS: Balance = 10_000;

parameter_types! {
	pub const ProposalDeposit: Balance = DEPOSIT;
	pub const TwoThirds: Threshold = Threshold::at_least(2, 3);
	pub const Majority: Threshold = Threshold::more_than(1, 2);
	/// Switched off to model a policy that changed after a proposal was submitted.
	pub storage RemarksAllowed: bool = true;
	/// Switched on to model a revert that fails (the emergency origin may not unpause).
	pub storage RevertBroken: bool = false;
	/// The shortest window another pallet gives a parameters decision (none by default).
	pub storage Deadline: Option<u64> = None;
}

impl pallet_governance::Config for Test {
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Entities = Operators;
	type Policy = MockPolicy;
	type Scheduler = Scheduler;
	type CancelOrigin = EnsureRoot<AccountId>;
	type RatifyOrigin = EitherOf<EnsureRoot<AccountId>, EnsureParameters>;
	type TrackAdminOrigin = EnsureRoot<AccountId>;
	type RuntimeUpgradeFloor = TwoThirds;
	type MembershipFloor = TwoThirds;
	type ParametersFloor = Majority;
	type EmergencyFloor = Majority;
	type ProposalDeposit = ProposalDeposit;
	type MaxCallLen = ConstU32<256>;
	type MaxOpenPerEntity = ConstU32<2>;
	type MaxEntities = <Test as pallet_operators::Config>::MaxEntities;
	type RevertRetryInterval = ConstU64<RETRY>;
	type MaxRevertAttempts = ConstU32<MAX_ATTEMPTS>;
	type DecisionDeadline = MockDeadline;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockHelper;
}

/// Benchmark entities beyond the four of genesis are admitted into the real registry.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId, RuntimeCall> for MockHelper {
	fn entity(i: u32) -> AccountId {
		let who = voter(i as u64);
		if pallet_operators::VotingAccounts::<Test>::get(who).is_none() {
			let b = |v: &[u8]| BoundedVec::truncate_from(v.to_vec());
			Operators::admit(
				RuntimeOrigin::root(),
				pallet_operators::Admission {
					legal_name: b(b"Bench"),
					licence: b(b"L"),
					jurisdiction: b(b"J"),
					voting_account: who,
					validator: 200 + i as u64,
					peer_id: BoundedVec::truncate_from(vec![2, i as u8]),
				},
			)
			.unwrap();
		}
		who
	}
	fn call(len: u32) -> (Track, RuntimeCall) {
		(
			Track::Parameters,
			RuntimeCall::System(frame_system::Call::remark { remark: vec![0; len as usize] }),
		)
	}
	fn emergency_call() -> RuntimeCall {
		RuntimeCall::TxPause(pallet_tx_pause::Call::pause {
			full_name: (
				BoundedVec::truncate_from(b"Balances".to_vec()),
				BoundedVec::truncate_from(b"transfer_keep_alive".to_vec()),
			),
		})
	}
}
#[cfg(feature = "runtime-benchmarks")]
use frame_support::BoundedVec;

/// Voting account of entity `i`.
pub const fn voter(i: u64) -> AccountId {
	100 + i
}
pub const STRANGER: AccountId = 7;

pub const VOTING: u64 = 5;
pub const DELAY: u64 = 2;
pub const EMERGENCY_VOTING: u64 = 2;
pub const EMERGENCY_PERIOD: u64 = 30;
pub const RETRY: u64 = 10;
pub const MAX_ATTEMPTS: u32 = 3;

pub fn tracks() -> Vec<(Track, TrackParams<u64>)> {
	let two_thirds = Threshold::at_least(2, 3);
	let half = Threshold::more_than(1, 2);
	let p = |approval, voting_period, enactment_delay| TrackParams {
		approval,
		quorum: approval,
		voting_period,
		enactment_delay,
	};
	vec![
		(Track::RuntimeUpgrade, p(two_thirds, VOTING, DELAY)),
		(Track::Membership, p(two_thirds, VOTING, DELAY)),
		(Track::Parameters, p(half, VOTING, 1)),
		(Track::Emergency, p(half, EMERGENCY_VOTING, 0)),
	]
}

/// Four active entities (voters 100..=103), everyone funded.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let entities = (0..4u64)
		.map(|i| pallet_operators::GenesisEntity {
			legal_name: format!("Operator {i}"),
			licence: format!("LIC-{i}"),
			jurisdiction: "HK".into(),
			voting_account: voter(i),
			validator: 200 + i,
			peer_id: bs58::encode([1, i as u8]).into_string(),
		})
		.collect();
	let t = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig {
			balances: (0..6).map(voter).chain([STRANGER]).map(|a| (a, FUNDS)).collect(),
			..Default::default()
		},
		operators: pallet_operators::GenesisConfig { entities, session_length: 10 },
		governance: pallet_governance::GenesisConfig {
			tracks: tracks(),
			emergency_period: EMERGENCY_PERIOD,
		},
		..Default::default()
	}
	.build_storage()
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs blocks up to and including `n`, with the scheduler's `on_initialize`.
pub fn run_to(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<Scheduler as OnInitialize<u64>>::on_initialize(next);
	}
}
