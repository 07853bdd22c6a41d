//! Weights of `pallet_settlement`.
//!
//! The pallet is not in the runtime yet: its benchmarks (`benchmarking.rs`) run as tests, and
//! `SubstrateWeight` is generated from them on the reference machine when it joins the runtime.
//! `()` is for the pallet's own tests only.

#![allow(unused_parens)]
#![allow(missing_docs)]

use frame_support::weights::Weight;

/// Weight functions needed for `pallet_settlement`.
pub trait WeightInfo {
	/// A batch of `n` instructions among `2n` distinct accounts.
	fn settle_distinct(n: u32) -> Weight;
	/// A batch of `n` instructions between two accounts.
	fn settle_shared(n: u32) -> Weight;
	fn set_limits() -> Weight;
	fn impose_limits() -> Weight;
	/// `on_initialize` pruning `n` batches.
	fn prune(n: u32) -> Weight;
}

/// A batch of `n` instructions touching `a` distinct accounts: between the two measured
/// extremes, each account beyond two costing the same share of their difference.
pub fn settle<W: WeightInfo>(n: u32, a: u32) -> Weight {
	let (two, all) = (W::settle_shared(n), W::settle_distinct(n));
	let span = u64::from(n.saturating_mul(2).saturating_sub(2));
	if span == 0 {
		return all;
	}
	let extra = u64::from(a.clamp(2, n.saturating_mul(2)).saturating_sub(2));
	let per_account = all.saturating_sub(two);
	two.saturating_add(Weight::from_parts(
		per_account.ref_time().saturating_mul(extra) / span,
		per_account.proof_size().saturating_mul(extra) / span,
	))
}

impl WeightInfo for () {
	fn settle_distinct(_n: u32) -> Weight {
		Weight::zero()
	}
	fn settle_shared(_n: u32) -> Weight {
		Weight::zero()
	}
	fn set_limits() -> Weight {
		Weight::zero()
	}
	fn impose_limits() -> Weight {
		Weight::zero()
	}
	fn prune(_n: u32) -> Weight {
		Weight::zero()
	}
}
