//! The XCM executor's instruction weights, from `pallet-xcm-benchmarks` (fungible: TPC over
//! Balances; generic: everything else) run on the reference machine by
//! `scripts/benchmark-runtime`.
//!
//! An instruction this runtime cannot carry out weighs `Weight::MAX`, so the weigher refuses a
//! program that contains one before it runs: what sends from inside a program (teleports go
//! through `transfer_assets`, whose own weight covers the send), version subscriptions
//! (answering one sends), `Transact` (off), and what has no adapter here (reserves,
//! exchanges, locks, aliases, HRMP). `ReceiveTeleportedAsset` is measured: TPC arrives from a
//! counterparty that way. `ExecuteWithOrigin` is measured as `Weight::MAX` too: its benchmark
//! fails here (no aliasing of origins), so it is refused the same way.

mod pallet_xcm_benchmarks_fungible;
mod pallet_xcm_benchmarks_generic;

use crate::Runtime;
use alloc::vec::Vec;
use frame_support::{weights::Weight, BoundedVec};
use pallet_xcm_benchmarks_fungible::WeightInfo as Fungible;
use pallet_xcm_benchmarks_generic::WeightInfo as Generic;
use xcm::{
	latest::{prelude::*, AssetTransferFilter, QueryResponseInfo},
	DoubleEncoded,
};

/// Most distinct assets in holding (`MaxAssetsIntoHolding`): TPC as `Here` and as each
/// counterparty names it are distinct ids of the one token.
const MAX_ASSETS: u64 = 4;

/// An instruction's weight for the assets it names: the per-asset weight times their number.
trait WeighAssets {
	fn weigh_assets(&self, weight: Weight) -> Weight;
}

impl WeighAssets for AssetFilter {
	fn weigh_assets(&self, weight: Weight) -> Weight {
		match self {
			Self::Definite(assets) => assets.weigh_assets(weight),
			Self::Wild(AllCounted(count) | AllOfCounted { count, .. }) => {
				weight.saturating_mul(MAX_ASSETS.min(u64::from(*count)))
			},
			Self::Wild(All | AllOf { .. }) => weight.saturating_mul(MAX_ASSETS),
		}
	}
}

impl WeighAssets for Assets {
	fn weigh_assets(&self, weight: Weight) -> Weight {
		weight.saturating_mul(self.inner().len() as u64)
	}
}

/// What the runtime cannot carry out yet (see the module docs).
fn unsupported() -> Weight {
	Weight::MAX
}

pub struct TpchainXcmWeight<Call>(core::marker::PhantomData<Call>);
impl<Call> XcmWeightInfo<Call> for TpchainXcmWeight<Call> {
	fn withdraw_asset(assets: &Assets) -> Weight {
		assets.weigh_assets(Fungible::<Runtime>::withdraw_asset())
	}
	fn reserve_asset_deposited(_assets: &Assets) -> Weight {
		unsupported()
	}
	fn receive_teleported_asset(assets: &Assets) -> Weight {
		assets.weigh_assets(Fungible::<Runtime>::receive_teleported_asset())
	}
	fn query_response(
		_query_id: &u64,
		_response: &Response,
		_max_weight: &Weight,
		_querier: &Option<Location>,
	) -> Weight {
		Generic::<Runtime>::query_response()
	}
	fn transfer_asset(assets: &Assets, _dest: &Location) -> Weight {
		assets.weigh_assets(Fungible::<Runtime>::transfer_asset())
	}
	fn transfer_reserve_asset(_assets: &Assets, _dest: &Location, _xcm: &Xcm<()>) -> Weight {
		unsupported()
	}
	fn transact(
		_origin_kind: &OriginKind,
		_fallback_max_weight: &Option<Weight>,
		_call: &DoubleEncoded<Call>,
	) -> Weight {
		unsupported()
	}
	fn hrmp_new_channel_open_request(_: &u32, _: &u32, _: &u32) -> Weight {
		unsupported()
	}
	fn hrmp_channel_accepted(_: &u32) -> Weight {
		unsupported()
	}
	fn hrmp_channel_closing(_: &u32, _: &u32, _: &u32) -> Weight {
		unsupported()
	}
	fn clear_origin() -> Weight {
		Generic::<Runtime>::clear_origin()
	}
	fn descend_origin(_who: &InteriorLocation) -> Weight {
		Generic::<Runtime>::descend_origin()
	}
	fn report_error(_query_response_info: &QueryResponseInfo) -> Weight {
		unsupported()
	}
	fn deposit_asset(assets: &AssetFilter, _dest: &Location) -> Weight {
		assets.weigh_assets(Fungible::<Runtime>::deposit_asset())
	}
	fn deposit_reserve_asset(_: &AssetFilter, _: &Location, _: &Xcm<()>) -> Weight {
		unsupported()
	}
	fn exchange_asset(_give: &AssetFilter, _receive: &Assets, _maximal: &bool) -> Weight {
		unsupported()
	}
	fn initiate_reserve_withdraw(_: &AssetFilter, _: &Location, _: &Xcm<()>) -> Weight {
		unsupported()
	}
	fn initiate_teleport(_: &AssetFilter, _: &Location, _: &Xcm<()>) -> Weight {
		unsupported()
	}
	fn initiate_transfer(
		_dest: &Location,
		_remote_fees: &Option<AssetTransferFilter>,
		_preserve_origin: &bool,
		_assets: &BoundedVec<AssetTransferFilter, MaxAssetTransferFilters>,
		_xcm: &Xcm<()>,
	) -> Weight {
		unsupported()
	}
	fn report_holding(_response_info: &QueryResponseInfo, _assets: &AssetFilter) -> Weight {
		unsupported()
	}
	fn buy_execution(_fees: &Asset, _weight_limit: &WeightLimit) -> Weight {
		Generic::<Runtime>::buy_execution()
	}
	fn pay_fees(_asset: &Asset) -> Weight {
		Generic::<Runtime>::pay_fees()
	}
	fn refund_surplus() -> Weight {
		Generic::<Runtime>::refund_surplus()
	}
	fn set_error_handler(_xcm: &Xcm<Call>) -> Weight {
		Generic::<Runtime>::set_error_handler()
	}
	fn set_appendix(_xcm: &Xcm<Call>) -> Weight {
		Generic::<Runtime>::set_appendix()
	}
	fn clear_error() -> Weight {
		Generic::<Runtime>::clear_error()
	}
	fn set_hints(hints: &BoundedVec<Hint, HintNumVariants>) -> Weight {
		Generic::<Runtime>::asset_claimer().saturating_mul(hints.len() as u64)
	}
	fn claim_asset(_assets: &Assets, _ticket: &Location) -> Weight {
		Generic::<Runtime>::claim_asset()
	}
	fn trap(_code: &u64) -> Weight {
		Generic::<Runtime>::trap()
	}
	fn subscribe_version(_query_id: &QueryId, _max_response_weight: &Weight) -> Weight {
		// Subscribing answers the subscriber with a message: nothing can be sent yet.
		unsupported()
	}
	fn unsubscribe_version() -> Weight {
		// Nothing can subscribe yet (see `subscribe_version`).
		unsupported()
	}
	fn burn_asset(assets: &Assets) -> Weight {
		assets.weigh_assets(Generic::<Runtime>::burn_asset())
	}
	fn expect_asset(assets: &Assets) -> Weight {
		assets.weigh_assets(Generic::<Runtime>::expect_asset())
	}
	fn expect_origin(_origin: &Option<Location>) -> Weight {
		Generic::<Runtime>::expect_origin()
	}
	fn expect_error(_error: &Option<(u32, XcmError)>) -> Weight {
		Generic::<Runtime>::expect_error()
	}
	fn expect_transact_status(_transact_status: &MaybeErrorCode) -> Weight {
		Generic::<Runtime>::expect_transact_status()
	}
	fn query_pallet(_module_name: &Vec<u8>, _response_info: &QueryResponseInfo) -> Weight {
		unsupported()
	}
	fn expect_pallet(_: &u32, _: &Vec<u8>, _: &Vec<u8>, _: &u32, _: &u32) -> Weight {
		Generic::<Runtime>::expect_pallet()
	}
	fn report_transact_status(_response_info: &QueryResponseInfo) -> Weight {
		unsupported()
	}
	fn clear_transact_status() -> Weight {
		Generic::<Runtime>::clear_transact_status()
	}
	fn universal_origin(_: &Junction) -> Weight {
		unsupported()
	}
	fn export_message(_: &NetworkId, _: &Junctions, _: &Xcm<()>) -> Weight {
		unsupported()
	}
	fn lock_asset(_: &Asset, _: &Location) -> Weight {
		unsupported()
	}
	fn unlock_asset(_: &Asset, _: &Location) -> Weight {
		unsupported()
	}
	fn note_unlockable(_: &Asset, _: &Location) -> Weight {
		unsupported()
	}
	fn request_unlock(_: &Asset, _: &Location) -> Weight {
		unsupported()
	}
	fn set_fees_mode(_: &bool) -> Weight {
		Generic::<Runtime>::set_fees_mode()
	}
	fn set_topic(_topic: &[u8; 32]) -> Weight {
		Generic::<Runtime>::set_topic()
	}
	fn clear_topic() -> Weight {
		Generic::<Runtime>::clear_topic()
	}
	fn alias_origin(_: &Location) -> Weight {
		unsupported()
	}
	fn unpaid_execution(_: &WeightLimit, _: &Option<Location>) -> Weight {
		Generic::<Runtime>::unpaid_execution()
	}
	fn execute_with_origin(_: &Option<InteriorLocation>, _: &Xcm<Call>) -> Weight {
		Generic::<Runtime>::execute_with_origin()
	}
}
