//! A minimal runtime for the pallet's tests: System, Balances and the bridge, on chain B (2)
//! with chain A (1) as counterparty.

use crate as pallet_bridge;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, weights::Weight};
use frame_system::EnsureRoot;
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::BuildStorage;
use tpchain_primitives::{Balance, ChainId};

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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type Bridge = pallet_bridge;
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
}

/// This chain.
pub const B: ChainId = ChainId(2);
/// The counterparty.
pub const A: ChainId = ChainId(1);
/// Minimum balance of an account.
pub const ED: Balance = 5;
/// Headers kept per counterparty.
pub const HEADERS_TO_KEEP: u32 = 4;
/// Most ancestry headers of an import.
pub const MAX_ANCESTRY: u32 = 4;
/// Blocks a parameters-track decision takes (quarantine delays must be longer).
pub const DECISION_TIME: u64 = 3;
/// Largest authority set.
pub const MAX_AUTHORITIES: u32 = 16;

parameter_types! {
	pub const ExistentialDeposit: Balance = ED;
	/// A cancellation vote's time to enactment (the governance parameters track).
	pub storage DecisionTime: Option<u64> = Some(DECISION_TIME);
	pub const LocalChainId: ChainId = B;
}

/// Halting: Root, or the "emergency" account 99 (stands in for the emergency track).
pub const EMERGENCY: AccountId = 99;
/// Tightening limits: Root, or the "parameters" account 98 (stands in for the > 1/2 track).
pub const PARAMETERS: AccountId = 98;
frame_support::ord_parameter_types! {
	pub const Emergency: AccountId = EMERGENCY;
	pub const Parameters: AccountId = PARAMETERS;
}

impl pallet_bridge::Config for Test {
	type Currency = Balances;
	type LocalChainId = LocalChainId;
	type AnchorOrigin = EnsureRoot<AccountId>;
	type AdminOrigin = frame_support::traits::EitherOfDiverse<
		EnsureRoot<AccountId>,
		frame_system::EnsureSignedBy<Parameters, AccountId>,
	>;
	type HaltOrigin = frame_support::traits::EitherOfDiverse<
		EnsureRoot<AccountId>,
		frame_system::EnsureSignedBy<Emergency, AccountId>,
	>;
	type ResumeOrigin = EnsureRoot<AccountId>;
	type MaxCounterparties = ConstU32<2>;
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type HeadersToKeep = ConstU32<HEADERS_TO_KEEP>;
	type MaxQuarantined = ConstU32<3>;
	type MaxProofNodes = ConstU32<32>;
	type MaxAncestry = ConstU32<MAX_ANCESTRY>;
	type DecisionTime = DecisionTime;
	type MessageExecutor = MockExecutor;
	type MaxMessageWeight = MaxMessageWeight;
	type WeightInfo = ();
}

parameter_types! {
	pub const MaxMessageWeight: Weight = Weight::from_parts(1_000_000, 10_000);
}

/// Weight the mock executor reports for a message it runs.
pub const MESSAGE_WEIGHT: Weight = Weight::from_parts(400_000, 1_000);

/// Stands in for the XCM executor: a message `b"pay:<account>"` mints its value (the
/// `value` the test sets via [`set_paying`]) to that account; `b"fail"` fails with error 7;
/// what ran is recorded in [`executed`].
pub struct MockExecutor;
impl crate::ExecuteBridgedMessage for MockExecutor {
	type Error = u8;
	fn execute(
		counterparty: ChainId,
		message: &[u8],
		_value: Balance,
		weight_limit: Weight,
	) -> (Weight, Result<(), u8>) {
		EXECUTED.with(|e| e.borrow_mut().push((counterparty, message.to_vec(), weight_limit)));
		match message {
			b"fail" => (MESSAGE_WEIGHT, Err(7)),
			[b'p', b'a', b'y', b':', who] => {
				let amount = PAYING.with(|p| *p.borrow());
				let _ = <Balances as frame_support::traits::fungible::Mutate<_>>::mint_into(
					&u64::from(*who),
					amount,
				);
				(MESSAGE_WEIGHT, Ok(()))
			},
			_ => (Weight::zero(), Err(0)),
		}
	}
}

std::thread_local! {
	static EXECUTED: core::cell::RefCell<Vec<(ChainId, Vec<u8>, Weight)>> = Default::default();
	static PAYING: core::cell::RefCell<Balance> = Default::default();
}

/// Messages the mock executor ran, in order.
pub fn executed() -> Vec<(ChainId, Vec<u8>, Weight)> {
	EXECUTED.with(|e| e.borrow().clone())
}

/// What a `pay:` message mints.
pub fn set_paying(amount: Balance) {
	PAYING.with(|p| *p.borrow_mut() = amount);
}

pub const RELAYER: AccountId = 7;
pub const ALICE: AccountId = 1;

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(RELAYER, 1_000), (ALICE, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(t);
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext.execute_with(|| System::set_block_number(1));
	ext
}
