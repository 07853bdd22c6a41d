//! `pallet_settlement`: offline-signed payment instructions settled in netted batches.

use crate::configs::{bridge::LocalChainId, governance::RootOrParameters};
use crate::{Balances, Runtime, Timestamp, HOURS};
use frame_support::traits::ConstU32;

/// Instructions per batch: 1,024 of ~155 bytes is ~160 KB of block space, and a batch of
/// distinct accounts weighs a fraction of the normal class (`tests::full_batch_fits_a_block`).
pub const MAX_INSTRUCTIONS: u32 = 1_024;

impl pallet_settlement::Config for Runtime {
	type Currency = Balances;
	type ChainId = LocalChainId;
	type Time = Timestamp;
	// Imposing tighter limits on a payer: the parameters track.
	type LimitOrigin = RootOrParameters;
	// Loosening or lifting imposed limits: Root (membership track, ≥ 2/3).
	type LimitRaiseOrigin = frame_system::EnsureRoot<crate::AccountId>;
	type MaxInstructions = ConstU32<MAX_INSTRUCTIONS>;
	// 64 batches of 1,024 exceed what a block can weigh; the bound only caps `Batches`.
	type MaxBatchesPerBlock = ConstU32<64>;
	// Eight hours of 2-second blocks: receipts are fetched within that; `Batches` holds at most
	// 64 × 14,400 records of ~90 bytes.
	type RootRetention = ConstU32<{ 8 * HOURS }>;
	// One day.
	type LimitPeriod = ConstU32<{ 24 * HOURS }>;
	type WeightInfo = pallet_settlement::weights::SubstrateWeight<Runtime>;
}
