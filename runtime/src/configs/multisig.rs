//! `pallet_multisig`: k-of-n accounts for operators and institutions.

use crate::{Balance, Balances, Runtime, RuntimeCall, RuntimeEvent, MILLI_UNIT};
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// Deposit for a pending multisig operation: base plus a factor per signatory.
	pub const DepositBase: Balance = 10 * MILLI_UNIT;
	pub const DepositFactor: Balance = MILLI_UNIT;
}

impl pallet_multisig::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type DepositBase = DepositBase;
	type DepositFactor = DepositFactor;
	type MaxSignatories = ConstU32<100>;
	type WeightInfo = pallet_multisig::weights::SubstrateWeight<Runtime>;
	type BlockNumberProvider = frame_system::Pallet<Runtime>;
}
