//! `pallet_escrow`: held payments released by conditions.

use crate::configs::governance::{RootOrParameters, RootParametersOrEmergency};
use crate::{Balance, Balances, Runtime, RuntimeHoldReason, Timestamp, MILLI_UNIT};
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// Storage deposit per escrow and per milestone (a worst-case milestone with a 16-node
	/// condition tree is ~4 KB).
	pub const EscrowDepositBase: Balance = 20 * MILLI_UNIT;
	pub const EscrowDepositPerMilestone: Balance = 40 * MILLI_UNIT;
}

impl pallet_escrow::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Time = Timestamp;
	// Disputes and the oracle registry: the parameters track. Pausing: the emergency track
	// (expires unless ratified); unpausing: any normal vote.
	type ArbiterOrigin = RootOrParameters;
	type OracleOrigin = RootOrParameters;
	type PauseOrigin = RootParametersOrEmergency;
	type DepositBase = EscrowDepositBase;
	type DepositPerMilestone = EscrowDepositPerMilestone;
	type MaxMilestones = ConstU32<8>;
	type MaxArbiters = ConstU32<8>;
	type MaxOracles = ConstU32<64>;
	type WeightInfo = pallet_escrow::weights::SubstrateWeight<Runtime>;
}
