//! `pallet_timestamp`: the block author sets the time; Aura checks it against the slot.

use crate::{Aura, Runtime, SLOT_DURATION};
use frame_support::traits::ConstU64;

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = crate::weights::pallet_timestamp::WeightInfo<Runtime>;
}
