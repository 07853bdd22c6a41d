//! `pallet_escrow`: held payments released by conditions.

use crate::{Balance, Balances, Runtime, RuntimeHoldReason, Timestamp, MILLI_UNIT};
use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;

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
	// Root comes from the `dev` sudo until operator governance provides its tracks.
	type ArbiterOrigin = EnsureRoot<crate::AccountId>;
	type OracleOrigin = EnsureRoot<crate::AccountId>;
	type PauseOrigin = EnsureRoot<crate::AccountId>;
	type DepositBase = EscrowDepositBase;
	type DepositPerMilestone = EscrowDepositPerMilestone;
	type MaxMilestones = ConstU32<8>;
	type MaxArbiters = ConstU32<8>;
	type MaxOracles = ConstU32<64>;
	type WeightInfo = pallet_escrow::weights::SubstrateWeight<Runtime>;
}
