//! Weights for `pallet_governance`: PROVISIONAL until `scripts/benchmark-pallets pallet_governance` regenerates
//! this file from the pallet's FRAME benchmarks.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_governance`.
pub trait WeightInfo {
	fn propose(l: u32) -> Weight;
	fn vote() -> Weight;
	fn decide(n: u32) -> Weight;
	fn enact() -> Weight;
	fn expire() -> Weight;
	fn cancel() -> Weight;
	fn ratify() -> Weight;
	fn set_track() -> Weight;
}

/// Weights for `pallet_governance` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn propose(l: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(l.into()))
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn vote() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn decide(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn enact() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn expire() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn cancel() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn ratify() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn set_track() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
}

// For tests.
impl WeightInfo for () {
	fn propose(l: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(l.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn vote() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn decide(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn enact() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn expire() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn cancel() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn ratify() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn set_track() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
}
