//! `pallet_escrow`: held payments released by conditions.

use crate::configs::governance::{RootOrParameters, RootParametersOrEmergency};
use crate::{Balance, Balances, Runtime, RuntimeHoldReason, Timestamp, MILLI_UNIT, UNIT};
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// Storage deposit per escrow and per milestone (a worst-case milestone with a 16-node
	/// condition tree is ~4 KB).
	pub const EscrowDepositBase: Balance = 20 * MILLI_UNIT;
	pub const EscrowDepositPerMilestone: Balance = 40 * MILLI_UNIT;
	/// A dispute's bond: enough that a party does not dispute a due payment for free, small
	/// against a settlement; the loser forfeits it to the other party.
	pub const EscrowDisputeBond: Balance = 10 * UNIT;
}

/// Safe mode (escrow is not whitelisted) or any paused escrow call stops the escrow clock:
/// expiry must not run while a dispute or release cannot be made.
pub struct EscrowEmergencyStop;
impl pallet_escrow::EmergencyStop for EscrowEmergencyStop {
	fn stopped() -> bool {
		use frame_support::traits::GetCallName;
		pallet_safe_mode::Pallet::<Runtime>::is_entered()
			|| pallet_escrow::Call::<Runtime>::get_call_names().iter().any(|call| {
				pallet_tx_pause::Pallet::<Runtime>::is_paused_unbound(
					b"Escrow".to_vec(),
					call.as_bytes().to_vec(),
				)
			})
	}
	fn reads() -> u64 {
		use frame_support::traits::GetCallName;
		1 + pallet_escrow::Call::<Runtime>::get_call_names().len() as u64
	}
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
	type EmergencyStop = EscrowEmergencyStop;
	type DepositBase = EscrowDepositBase;
	type DepositPerMilestone = EscrowDepositPerMilestone;
	type MaxMilestones = ConstU32<8>;
	type MaxArbiters = ConstU32<8>;
	type MaxOracles = ConstU32<64>;
	type DisputeBond = EscrowDisputeBond;
	type WeightInfo = pallet_escrow::weights::SubstrateWeight<Runtime>;
}
