//! A minimal runtime for the pallet's tests: System, Balances and the pallet.

use crate as pallet_guardian_recovery;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Recovery = pallet_guardian_recovery;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<ED>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = ConstU32<4>;
}

use frame_support::traits::ConstU128;

/// The account that loses its key.
pub const ALICE: AccountId = 1;
/// Guardians.
pub const BOB: AccountId = 2;
pub const CAROL: AccountId = 3;
pub const DAVE: AccountId = 4;
/// Alice's new key.
pub const ALICE_NEW: AccountId = 11;
/// A stranger (and would-be thief).
pub const MALLORY: AccountId = 66;

pub const ED: Balance = 1;
pub const DELAY: u64 = 10;
pub const FORCE_DELAY: u64 = 100;
pub const EXPIRY: u64 = 50;
pub const DEPOSIT_BASE: Balance = 10;
pub const DEPOSIT_PER_GUARDIAN: Balance = 5;
pub const BOND: Balance = 50;

parameter_types! {
	pub const DepositBase: Balance = DEPOSIT_BASE;
	pub const DepositPerGuardian: Balance = DEPOSIT_PER_GUARDIAN;
	pub const InitiationBond: Balance = BOND;
	pub const MinDelay: u64 = 5;
	pub const ForceRecoveryDelay: u64 = FORCE_DELAY;
	pub const RecoveryExpiry: u64 = EXPIRY;
}

impl pallet_guardian_recovery::Config for Test {
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type ForceOrigin = EnsureRoot<AccountId>;
	type DepositBase = DepositBase;
	type DepositPerGuardian = DepositPerGuardian;
	type InitiationBond = InitiationBond;
	type MaxGuardians = ConstU32<3>;
	type MinDelay = MinDelay;
	type ForceRecoveryDelay = ForceRecoveryDelay;
	type RecoveryExpiry = RecoveryExpiry;
	type WeightInfo = ();
}

/// Everyone holds 1_000.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: [ALICE, BOB, CAROL, DAVE, ALICE_NEW, MALLORY].map(|a| (a, 1_000)).to_vec(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs a test and then checks the pallet's invariants.
pub fn test(f: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		f();
		Recovery::do_try_state().expect("invariants hold");
	})
}

pub fn run_to(n: u64) {
	System::set_block_number(n);
}
