//! `pallet_tx_pause`: the emergency track can pause single calls (transfers, burns, escrow,
//! the bridge).

use crate::{
	configs::governance::{RootOrEmergency, RootParametersOrEmergency},
	Runtime, RuntimeCall, RuntimeEvent,
};
use frame_support::traits::{ConstU32, Contains};

/// Pallets whose calls cannot be paused, so the chain can always govern itself: voting also
/// from multisig and batched voting accounts, and rotating voting keys. A paused call inside a
/// multisig or batch is still stopped (the base filter runs again on dispatch).
pub struct TxPauseWhitelist;
impl Contains<pallet_tx_pause::RuntimeCallNameOf<Runtime>> for TxPauseWhitelist {
	fn contains(full_name: &pallet_tx_pause::RuntimeCallNameOf<Runtime>) -> bool {
		matches!(
			full_name.0.as_slice(),
			b"System"
				| b"Timestamp"
				| b"Grandpa" | b"Session"
				| b"Governance"
				| b"SafeMode"
				| b"TxPause" | b"Operators"
				| b"Multisig"
				| b"Utility"
		)
	}
}

impl pallet_tx_pause::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PauseOrigin = RootOrEmergency;
	type UnpauseOrigin = RootParametersOrEmergency;
	type WhitelistedCalls = TxPauseWhitelist;
	type MaxNameLen = ConstU32<64>;
	type WeightInfo = pallet_tx_pause::weights::SubstrateWeight<Runtime>;
}
