//! A minimal runtime for the pallet's tests: System, Balances (dust to [`BurnDust`]) and the
//! pallet, with bridge and burn totals the tests set.

use crate as pallet_supply;
use core::cell::RefCell;
use frame_support::{
	derive_impl,
	traits::{ConstU128, ConstU32},
};
use sp_runtime::BuildStorage;
use tpchain_primitives::{Balance, ChainId};

type Block = frame_system::mocking::MockBlock<Test>;

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
	pub type Supply = pallet_supply;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

pub const ED: Balance = 10;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<ED>;
	type AccountStore = System;
	type DustRemoval = pallet_supply::BurnDust<Test>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type FreezeIdentifier = u8;
	type MaxFreezes = ConstU32<2>;
}

/// Amounts per chain.
type PerChain = Vec<(ChainId, Balance)>;

thread_local! {
	/// (minted per counterparty, burned, burned per destination, reserved)
	pub static SOURCES: RefCell<(PerChain, Balance, PerChain, Balance)> =
		RefCell::new(Default::default());
}

/// Sets what the bridge and burn pallets would say they counted.
pub fn set_counted(minted: Vec<(ChainId, Balance)>, burned: Balance) {
	SOURCES.with(|s| {
		let mut s = s.borrow_mut();
		s.0 = minted;
		s.1 = burned;
	});
}

pub struct TestSources;
impl pallet_supply::SupplySources<RuntimeHoldReason, u8> for TestSources {
	fn minted() -> Vec<(ChainId, Balance)> {
		SOURCES.with(|s| s.borrow().0.clone())
	}
	fn burned() -> (Balance, Vec<(ChainId, Balance)>) {
		SOURCES.with(|s| (s.borrow().1, s.borrow().2.clone()))
	}
	fn quarantined() -> Vec<(ChainId, Balance)> {
		Vec::new()
	}
	fn reserved() -> Balance {
		SOURCES.with(|s| s.borrow().3)
	}
	fn hold_name(_: &RuntimeHoldReason) -> &'static str {
		"Test.Hold"
	}
	fn freeze_name(reason: &u8) -> &'static str {
		if *reason == 1 {
			"Test.One"
		} else {
			"Test.Other"
		}
	}
}

impl pallet_supply::Config for Test {
	type Sources = TestSources;
}

/// Accounts 1 and 2 with 1,000 and 500.
pub fn new_test_ext() -> sp_io::TestExternalities {
	SOURCES.with(|s| *s.borrow_mut() = Default::default());
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(1, 1_000), (2, 500)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_supply::GenesisConfig::<Test>::default().assimilate_storage(&mut t).unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	ext
}
