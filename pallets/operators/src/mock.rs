//! A minimal runtime for the pallet's tests: System and the pallet.

use crate as pallet_operators;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, Contains},
};
use frame_system::EnsureRoot;
use sp_runtime::BuildStorage;
use std::cell::RefCell;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

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
	pub type Operators = pallet_operators;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

thread_local! {
	/// Validators without session keys (all others have keys).
	pub static NO_KEYS: RefCell<Vec<AccountId>> = const { RefCell::new(Vec::new()) };
}

/// Every validator has keys unless listed in [`NO_KEYS`].
pub struct MockKeys;
impl Contains<AccountId> for MockKeys {
	fn contains(who: &AccountId) -> bool {
		NO_KEYS.with(|k| !k.borrow().contains(who))
	}
}

pub const MAX_ENTITIES: u32 = 8;

parameter_types! {
	/// Settable per test.
	pub static MinValidators: u32 = 2;
	pub const DefaultSessionLength: u64 = 600;
}

parameter_types! {
	pub const MaxEntities: u32 = MAX_ENTITIES;
	pub const MaxNameLen: u32 = 32;
	pub const MaxPeerIdLen: u32 = 8;
}

impl pallet_operators::Config for Test {
	type AdminOrigin = EnsureRoot<AccountId>;
	type HasSessionKeys = MockKeys;
	type MaxEntities = MaxEntities;
	type MaxNameLen = MaxNameLen;
	type MaxPeerIdLen = MaxPeerIdLen;
	type MaxExtraNodes = ConstU32<2>;
	type MinValidators = MinValidators;
	type DefaultSessionLength = DefaultSessionLength;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// Voting account of genesis entity `i` (0-based).
pub const fn voter(i: u64) -> AccountId {
	100 + i
}
/// Validator account of genesis entity `i`.
pub const fn validator(i: u64) -> AccountId {
	200 + i
}
/// Base58 peer id of genesis entity `i` (bytes `[1, i]`).
pub fn peer(i: u8) -> Vec<u8> {
	vec![1, i]
}

/// A chain with `n` founding entities.
pub fn new_test_ext(n: u64) -> sp_io::TestExternalities {
	let entities = (0..n)
		.map(|i| pallet_operators::GenesisEntity {
			legal_name: format!("Operator {i} Ltd"),
			licence: format!("LIC-{i}"),
			jurisdiction: "HK".into(),
			voting_account: voter(i),
			validator: validator(i),
			peer_id: bs58::encode(peer(i as u8)).into_string(),
		})
		.collect();
	let t = RuntimeGenesisConfig {
		system: Default::default(),
		operators: pallet_operators::GenesisConfig { entities, session_length: 10 },
	}
	.build_storage()
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.execute_with(|| System::set_block_number(1));
	NO_KEYS.with(|k| k.borrow_mut().clear());
	MinValidators::set(2);
	ext
}
