//! `pallet_aura`: round-robin block authorship among the session's validators.

use crate::Runtime;
use frame_support::traits::{ConstBool, ConstU32};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;

/// Upper bound on validators (licensed operators); Aura and GRANDPA share it.
pub type MaxAuthorities = ConstU32<100>;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}
