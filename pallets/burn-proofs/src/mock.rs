//! A minimal runtime for the pallet's tests: System, Balances and the pallet.

use crate as pallet_burn_proofs;
use frame_support::{derive_impl, parameter_types, traits::ConstU32};
use frame_system::{EnsureRoot, EnsureSignedBy};
use sp_runtime::{BuildStorage, DispatchError};
use tpchain_primitives::ChainId;

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
	pub type BurnProofs = pallet_burn_proofs;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ExistentialDeposit;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	// One freeze id, for tests of a holder that freezes itself.
	type FreezeIdentifier = u8;
	type MaxFreezes = frame_support::traits::ConstU32<1>;
}

pub const ALICE: AccountId = 1;
pub const BOB: AccountId = 2;
/// The approver of large burns (a stand-in for a multisig).
pub const APPROVER: AccountId = 100;

pub const THIS_CHAIN: ChainId = ChainId(1);
pub const OTHER_CHAIN: ChainId = ChainId(2);

parameter_types! {
	pub const ExistentialDeposit: Balance = 10;
	pub const MinBurn: Balance = 100;
	pub const Approver: AccountId = APPROVER;
}

impl pallet_burn_proofs::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ApproveOrigin = EnsureSignedBy<ApproverMembers, AccountId>;
	type Beneficiaries = tpchain_primitives::burn::AccountId32Beneficiary;
	type AdminOrigin = EnsureRoot<AccountId>;
	type MinBurn = MinBurn;
	type MaxBurnsPerBlock = ConstU32<3>;
	type MaxPendingBurns = ConstU32<2>;
	type MaxDestinations = ConstU32<2>;
	type WeightInfo = ();
}

pub struct ApproverMembers;
impl frame_support::traits::SortedMembers<AccountId> for ApproverMembers {
	fn sorted_members() -> Vec<AccountId> {
		vec![APPROVER]
	}
}

/// Alice and Bob hold 10_000 each; chain 2 is a registered destination; burns above 5_000 wait.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 10_000), (BOB, 10_000), (APPROVER, 10_000)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_burn_proofs::GenesisConfig::<Test> {
		chain_id: THIS_CHAIN,
		destinations: vec![OTHER_CHAIN],
		large_burn_threshold: Some(5_000),
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
		BurnProofs::do_try_state().expect("invariants hold");
	})
}

pub fn bad_origin() -> DispatchError {
	DispatchError::BadOrigin
}
