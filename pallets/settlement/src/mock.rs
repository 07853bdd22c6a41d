//! A minimal runtime for the pallet's tests: System, Timestamp, Balances and the pallet, with
//! sr25519 accounts (instructions carry real signatures).

use crate as pallet_settlement;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU128, ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use sp_core::{sr25519, Pair};
use sp_runtime::{traits::IdentityLookup, BuildStorage};
use tpchain_primitives::{
	settlement::{signing_payload, Expiry, PaymentInstruction, SignedInstruction},
	AccountId, Balance, ChainId, Hash,
};

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
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type Settlement = pallet_settlement;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

pub const ED: Balance = 10;

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type ExistentialDeposit = ConstU128<ED>;
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type FreezeIdentifier = u8;
	type MaxFreezes = ConstU32<1>;
}

pub const CHAIN: ChainId = ChainId(7);
pub const MAX_INSTRUCTIONS: u32 = 64;
pub const MAX_BATCHES_PER_BLOCK: u32 = 3;
pub const RETENTION: u64 = 5;
pub const PERIOD: u64 = 10;

parameter_types! {
	pub const Chain: ChainId = CHAIN;
}

/// The parameters track's stand-in: the account `Governor`.
pub struct Parameters;
impl frame_support::traits::SortedMembers<AccountId> for Parameters {
	fn sorted_members() -> Vec<AccountId> {
		vec![acc("Governor")]
	}
}

impl pallet_settlement::Config for Test {
	type Currency = Balances;
	type ChainId = Chain;
	type Time = Timestamp;
	type LimitOrigin = frame_system::EnsureSignedBy<Parameters, AccountId>;
	type LimitRaiseOrigin = EnsureRoot<AccountId>;
	type MaxInstructions = ConstU32<MAX_INSTRUCTIONS>;
	type MaxBatchesPerBlock = ConstU32<MAX_BATCHES_PER_BLOCK>;
	type RootRetention = ConstU64<RETENTION>;
	type LimitPeriod = ConstU64<PERIOD>;
	type Operators = OneOperator;
	type OperatorPriority = ConstU64<OPERATOR_PRIORITY>;
	type WeightInfo = ();
}

/// Pool priority of an operator's batch in the tests.
pub const OPERATOR_PRIORITY: u64 = 1_000_000;

/// The licensed entities of the tests: Dave's voting account is entity 0's.
pub struct OneOperator;
impl tpchain_primitives::governance::Entities<AccountId> for OneOperator {
	fn active_entity_of(who: &AccountId) -> Option<tpchain_primitives::governance::EntityId> {
		(*who == acc("Dave")).then_some(0)
	}
	fn is_active(entity: tpchain_primitives::governance::EntityId) -> bool {
		entity == 0
	}
	fn active_count() -> u32 {
		1
	}
}

/// The key pair of test account `name` (`//name`).
pub fn pair(name: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(&format!("//{name}"), None).expect("a valid derivation")
}

/// Test account `name`.
pub fn acc(name: &str) -> AccountId {
	pair(name).public().into()
}

/// Funded at genesis with [`FUNDS`].
pub const FUNDED: [&str; 4] = ["Alice", "Bob", "Charlie", "Dave"];
pub const FUNDS: Balance = 1_000;

/// This network's genesis hash as the pallet reads it.
pub fn genesis() -> Hash {
	frame_system::Pallet::<Test>::block_hash(0)
}

/// `payer` pays `amount` to `payee` under `sequence`, valid until block 100.
pub fn instruction(payer: &str, payee: &str, amount: Balance, sequence: u64) -> PaymentInstruction {
	PaymentInstruction {
		payer: acc(payer),
		payee: acc(payee),
		amount,
		sequence,
		expiry: Expiry::Block(100),
		reference: [sequence as u8; 16],
	}
}

/// `i` signed by its payer (named `payer`) for `chain` and `genesis`.
pub fn sign_for(
	payer: &str,
	i: PaymentInstruction,
	chain: ChainId,
	genesis: &Hash,
) -> SignedInstruction {
	let signature = pair(payer).sign(&signing_payload(chain, genesis, &i)).into();
	SignedInstruction { instruction: i, signature }
}

/// `i` signed by `payer` for this network.
pub fn sign(payer: &str, i: PaymentInstruction) -> SignedInstruction {
	sign_for(payer, i, CHAIN, &genesis())
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: FUNDED.iter().map(|n| (acc(n), FUNDS)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	// The benchmarks sign with keys they generate in the host keystore.
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| {
		// Block 1 records the genesis hash, as on a real chain.
		frame_system::Pallet::<Test>::set_block_number(1);
		frame_system::BlockHash::<Test>::insert(0, Hash::repeat_byte(0x69));
		pallet_timestamp::Now::<Test>::put(1_000);
	});
	ext
}

/// Moves to block `n`, running the pallet's `on_initialize`.
pub fn run_to(n: u64) {
	use frame_support::traits::Hooks;
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Settlement::on_initialize(next);
	}
}
