//! Weights for `pallet_escrow`: replaced by the output of `scripts/benchmark-pallets`.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_escrow`.
pub trait WeightInfo {
	fn create(m: u32) -> Weight;
	fn approve() -> Weight;
	fn attest() -> Weight;
	fn release() -> Weight;
	fn refund() -> Weight;
	fn cancel() -> Weight;
	fn dispute() -> Weight;
	fn resolve() -> Weight;
	fn register_oracle() -> Weight;
	fn remove_oracle() -> Weight;
	fn set_paused() -> Weight;
}

impl WeightInfo for () {
	fn create(_m: u32) -> Weight {
		Weight::zero()
	}
	fn approve() -> Weight {
		Weight::zero()
	}
	fn attest() -> Weight {
		Weight::zero()
	}
	fn release() -> Weight {
		Weight::zero()
	}
	fn refund() -> Weight {
		Weight::zero()
	}
	fn cancel() -> Weight {
		Weight::zero()
	}
	fn dispute() -> Weight {
		Weight::zero()
	}
	fn resolve() -> Weight {
		Weight::zero()
	}
	fn register_oracle() -> Weight {
		Weight::zero()
	}
	fn remove_oracle() -> Weight {
		Weight::zero()
	}
	fn set_paused() -> Weight {
		Weight::zero()
	}
}
