//! Weights for `pallet_bridge`. Provisional until `scripts/benchmark-pallets pallet_bridge`
//! regenerates this file from the benchmarks.

#![allow(unused_parens)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};

/// Weight functions needed for `pallet_bridge`.
pub trait WeightInfo {
	fn initialize(a: u32) -> Weight;
	fn submit_finality_proof(a: u32, v: u32) -> Weight;
	fn mint_from_burn(n: u32) -> Weight;
	fn set_limits() -> Weight;
	fn halt() -> Weight;
	fn resume() -> Weight;
	fn release_quarantined() -> Weight;
	fn cancel_quarantined() -> Weight;
}

/// Runtime weights (provisional).
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn initialize(a: u32) -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(a.into()))
			.saturating_add(T::DbWeight::get().reads_writes(3, 5))
	}
	fn submit_finality_proof(a: u32, v: u32) -> Weight {
		Weight::from_parts(20_000_000, 0)
			.saturating_add(Weight::from_parts(60_000_000, 0).saturating_mul(a.into()))
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(v.into()))
			.saturating_add(T::DbWeight::get().reads_writes(4, 5))
	}
	fn mint_from_burn(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 0)
			.saturating_add(Weight::from_parts(1_000_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(6, 5))
	}
	fn set_limits() -> Weight {
		Weight::from_parts(20_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn halt() -> Weight {
		Weight::from_parts(20_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn resume() -> Weight {
		Weight::from_parts(20_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn release_quarantined() -> Weight {
		Weight::from_parts(50_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(4, 5))
	}
	fn cancel_quarantined() -> Weight {
		Weight::from_parts(30_000_000, 0).saturating_add(T::DbWeight::get().reads_writes(3, 4))
	}
}

impl WeightInfo for () {
	fn initialize(_a: u32) -> Weight {
		Weight::zero()
	}
	fn submit_finality_proof(_a: u32, _v: u32) -> Weight {
		Weight::zero()
	}
	fn mint_from_burn(_n: u32) -> Weight {
		Weight::zero()
	}
	fn set_limits() -> Weight {
		Weight::zero()
	}
	fn halt() -> Weight {
		Weight::zero()
	}
	fn resume() -> Weight {
		Weight::zero()
	}
	fn release_quarantined() -> Weight {
		Weight::zero()
	}
	fn cancel_quarantined() -> Weight {
		Weight::zero()
	}
}
