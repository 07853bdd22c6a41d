//! `pallet_burn_proofs`: burns with offline-verifiable records.

use crate::configs::governance::RootOrParameters;
use crate::{Balance, Balances, Runtime, RuntimeHoldReason, UNIT};
use frame_support::{parameter_types, traits::ConstU32};

parameter_types! {
	/// Smallest burn: a hundredth of a token, so records are not dust.
	pub const MinBurn: Balance = UNIT / 100;
}

impl pallet_burn_proofs::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	// Large-burn approvals, the threshold and destinations: the parameters track.
	type ApproveOrigin = RootOrParameters;
	type Beneficiaries = tpchain_primitives::burn::AccountId32Beneficiary;
	type AdminOrigin = RootOrParameters;
	type MinBurn = MinBurn;
	// 1,000 records of at most ~230 bytes: state grows by at most ~230 KB per block.
	type MaxBurnsPerBlock = ConstU32<1_000>;
	type MaxPendingBurns = ConstU32<100>;
	type MaxDestinations = ConstU32<32>;
	type WeightInfo = pallet_burn_proofs::weights::SubstrateWeight<Runtime>;
}

#[cfg(test)]
mod tests {
	use super::*;
	use tpchain_primitives::burn::{burn_record_key, chain_id_key};

	#[test]
	fn burn_storage_keys_are_the_ones_verifiers_compute() {
		// Renaming the pallet in `construct_runtime` would break every verifier.
		assert_eq!(pallet_burn_proofs::Burns::<Runtime>::hashed_key_for(7u64), burn_record_key(7));
		assert_eq!(
			pallet_burn_proofs::LocalChainId::<Runtime>::hashed_key().to_vec(),
			chain_id_key()
		);
	}
}
