//! Weights for `pallet_operators`: PROVISIONAL until `scripts/benchmark-pallets pallet_operators` regenerates
//! this file from the pallet's FRAME benchmarks.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::RocksDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_operators`.
pub trait WeightInfo {
	fn admit() -> Weight;
	fn suspend(n: u32) -> Weight;
	fn reinstate() -> Weight;
	fn remove(n: u32) -> Weight;
	fn change_voting_key() -> Weight;
	fn set_validator(n: u32) -> Weight;
	fn set_peer_id() -> Weight;
}

/// Weights for `pallet_operators` using the runtime's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn admit() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn suspend(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn reinstate() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn remove(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn change_voting_key() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn set_validator(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
	fn set_peer_id() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(5, 5))
	}
}

// For tests.
impl WeightInfo for () {
	fn admit() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn suspend(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn reinstate() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn remove(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn change_voting_key() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn set_validator(n: u32) -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(Weight::from_parts(100_000, 0).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
	fn set_peer_id() -> Weight {
		Weight::from_parts(50_000_000, 10_000)
			.saturating_add(RocksDbWeight::get().reads_writes(5, 5))
	}
}
