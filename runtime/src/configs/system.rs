//! `frame_system`: block limits sized for the 2 s block time.

use crate::weights::{BlockExecutionWeight, ExtrinsicBaseWeight, RocksDbWeight};
use crate::{
	AccountId, Balance, Block, BlockNumber, Hash, Nonce, PalletInfo, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, RuntimeTask, SS58_PREFIX, VERSION,
};
use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight},
};
use sp_runtime::Perbill;
use sp_version::RuntimeVersion;

/// Share of a block that ordinary (non-operational) extrinsics may fill.
pub const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// Compute time one block may take: a third of the 2 s block time, leaving the rest of the slot
/// for propagation and import by the other validators (the ratio Polkadot uses for 6 s blocks).
pub const MAXIMUM_BLOCK_WEIGHT: Weight =
	Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND.saturating_mul(2) / 3, u64::MAX);

/// Largest block in bytes.
pub const MAXIMUM_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;
	/// Base block and base extrinsic weights measured on this machine (`weights/`); the
	/// class split of `BlockWeights::with_sensible_defaults`.
	pub RuntimeBlockWeights: frame_system::limits::BlockWeights =
		frame_system::limits::BlockWeights::builder()
			.base_block(BlockExecutionWeight::get())
			.for_class(DispatchClass::all(), |w| w.base_extrinsic = ExtrinsicBaseWeight::get())
			.for_class(DispatchClass::Normal, |w| {
				w.max_total = Some(NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT)
			})
			.for_class(DispatchClass::Operational, |w| {
				w.max_total = Some(MAXIMUM_BLOCK_WEIGHT);
				w.reserved = Some(MAXIMUM_BLOCK_WEIGHT - NORMAL_DISPATCH_RATIO * MAXIMUM_BLOCK_WEIGHT);
			})
			.avg_block_initialization(Perbill::from_percent(10))
			.build_or_panic();
	pub RuntimeBlockLength: frame_system::limits::BlockLength =
		frame_system::limits::BlockLength::builder()
			.max_length(MAXIMUM_BLOCK_LENGTH)
			.modify_max_length_for_class(DispatchClass::Normal, |m| {
				*m = NORMAL_DISPATCH_RATIO * *m
			})
			.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeCall = RuntimeCall;
	type RuntimeTask = RuntimeTask;
	type PalletInfo = PalletInfo;
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	type DbWeight = RocksDbWeight;
	type SystemWeightInfo = crate::weights::frame_system::WeightInfo<Runtime>;
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = frame_support::traits::ConstU32<16>;
	/// Emergency pauses: the whole chain (safe mode) or single calls (tx pause); and never
	/// `Balances::burn` ([`CountedBurnsOnly`]).
	type BaseCallFilter = frame_support::traits::InsideBoth<
		frame_support::traits::InsideBoth<crate::SafeMode, crate::TxPause>,
		CountedBurnsOnly,
	>;
}

/// Refuses `Balances::burn`: tokens leave the supply through `BurnProofs::burn`, which records
/// them (with a proof anyone verifies) and counts them for the supply report; a plain burn
/// would lower the issuance where no counter sees it.
pub struct CountedBurnsOnly;
impl frame_support::traits::Contains<RuntimeCall> for CountedBurnsOnly {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::Balances(pallet_balances::Call::burn { .. }))
	}
}
