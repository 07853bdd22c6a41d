//! A minimal runtime for the pallet's tests: System, Timestamp, Balances and the pallet.

use crate as pallet_escrow;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
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
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type EscrowPallet = pallet_escrow;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<1>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	// One freeze id, for tests of a holder that freezes itself.
	type FreezeIdentifier = u8;
	type MaxFreezes = frame_support::traits::ConstU32<1>;
}

pub const PAYER: AccountId = 1;
pub const PAYEE: AccountId = 2;
/// Approvers / arbiters.
pub const A1: AccountId = 3;
pub const A2: AccountId = 4;
pub const A3: AccountId = 5;
pub const ORACLE: AccountId = 9;
pub const STRANGER: AccountId = 66;

pub const DEPOSIT_BASE: Balance = 10;
pub const DEPOSIT_PER_MILESTONE: Balance = 2;
pub const FUNDS: Balance = 10_000;
pub const BOND: Balance = 50;

/// Stands in for safe mode or a paused escrow call.
pub struct MockStop;
impl pallet_escrow::EmergencyStop for MockStop {
	fn stopped() -> bool {
		OutsideStop::get()
	}
	fn reads() -> u64 {
		1
	}
}

parameter_types! {
	pub storage OutsideStop: bool = false;
	pub const DepositBase: Balance = DEPOSIT_BASE;
	pub const DepositPerMilestone: Balance = DEPOSIT_PER_MILESTONE;
}

impl pallet_escrow::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Time = Timestamp;
	type ArbiterOrigin = EnsureRoot<AccountId>;
	type OracleOrigin = EnsureRoot<AccountId>;
	type PauseOrigin = EnsureRoot<AccountId>;
	type EmergencyStop = MockStop;
	type DepositBase = DepositBase;
	type DepositPerMilestone = DepositPerMilestone;
	type MaxMilestones = ConstU32<4>;
	type MaxArbiters = ConstU32<3>;
	type MaxOracles = ConstU32<2>;
	type DisputeBond = ConstU128<BOND>;
	type WeightInfo = ();
}

/// Everyone holds `FUNDS`; `ORACLE` is registered.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [PAYER, PAYEE, A1, A2, A3, ORACLE, STRANGER].map(|a| (a, FUNDS)).to_vec(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| {
		System::set_block_number(1);
		crate::Oracles::<Test>::insert(ORACLE, 0);
		crate::NextRegistration::<Test>::put(1);
	});
	ext
}

/// Runs a test and then checks the pallet's invariants.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		EscrowPallet::do_try_state().expect("invariants hold");
	})
}
