//! Weights for `pallet_burn_proofs`: replaced by the output of `scripts/benchmark-pallets`.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_burn_proofs`.
pub trait WeightInfo {
	fn burn() -> Weight;
	fn request_large_burn() -> Weight;
	fn cancel_large_burn() -> Weight;
	fn approve_large_burn() -> Weight;
	fn reject_large_burn() -> Weight;
	fn set_large_burn_threshold() -> Weight;
	fn add_destination() -> Weight;
	fn remove_destination() -> Weight;
}

/// Weights measured for the runtime.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn burn() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn request_large_burn() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn cancel_large_burn() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn approve_large_burn() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn reject_large_burn() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn set_large_burn_threshold() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn add_destination() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn remove_destination() -> Weight {
		Weight::from_parts(0, 0)
	}
}

impl WeightInfo for () {
	fn burn() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn request_large_burn() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn cancel_large_burn() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn approve_large_burn() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn reject_large_burn() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn set_large_burn_threshold() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn add_destination() -> Weight {
		Weight::from_parts(0, 0)
	}
	fn remove_destination() -> Weight {
		Weight::from_parts(0, 0)
	}
}
