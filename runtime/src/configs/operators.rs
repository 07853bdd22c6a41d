//! `pallet_operators`: the licensed entities; drives the validator set and the peer set.

use crate::{AccountId, Runtime, MINUTES};
use frame_support::traits::{ConstU32, Contains};
use frame_system::EnsureRoot;

/// Validators that registered session keys (with proof of possession) in `pallet_session`.
pub struct HasSessionKeys;
impl Contains<AccountId> for HasSessionKeys {
	fn contains(who: &AccountId) -> bool {
		pallet_session::NextKeys::<Runtime>::contains_key(who)
	}
}

impl pallet_operators::Config for Runtime {
	// Root from the membership track (≥ 2/3 of entities).
	type AdminOrigin = EnsureRoot<AccountId>;
	type HasSessionKeys = HasSessionKeys;
	/// A consortium, not a public network: 64 entities is generous, and every registry scan
	/// (benchmarked at this size) stays cheap.
	type MaxEntities = ConstU32<64>;
	type MaxNameLen = ConstU32<128>;
	/// An ed25519 libp2p peer id is 38 bytes.
	type MaxPeerIdLen = ConstU32<64>;
	// Sentries and RPC nodes of one operator.
	type MaxExtraNodes = ConstU32<8>;
	/// The ⌊(n−1)/3⌋ rule already keeps sets of three or fewer from shrinking; this keeps a
	/// one-validator (`dev`) chain from losing its only validator.
	type MinValidators = ConstU32<1>;
	type DefaultSessionLength = ConstU32<{ 10 * MINUTES }>;
	type WeightInfo = pallet_operators::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::OperatorsHelper;
}
