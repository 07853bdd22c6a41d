//! `pallet_bridge`: the light client of counterparty tpchain networks and mints from their
//! burns. Registration (a trust anchor) and raising limits are Root (the ≥ 2/3 membership
//! track); tightening limits and quarantine cancellation are parameters-track decisions; the
//! circuit breaker is the emergency track's (undone after the emergency period unless
//! ratified, like the other emergency effects).

use crate::configs::governance::{RootOrEmergency, RootOrParameters, RootParametersOrEmergency};
use crate::{Balances, Runtime};
use frame_support::{parameter_types, traits::ConstU32};
use tpchain_primitives::ChainId;

parameter_types! {
	/// Most weight one message from a counterparty may use.
	pub MaxMessageWeight: frame_support::weights::Weight = frame_support::weights::Weight::from_parts(
		frame_support::weights::constants::WEIGHT_REF_TIME_PER_SECOND / 10,
		256 * 1024,
	);
	/// This chain's id, as fixed in genesis by the burn pallet.
	pub LocalChainId: ChainId = pallet_burn_proofs::LocalChainId::<Runtime>::get();
}

/// A quarantine cancellation is a parameters-track vote: a quarantine must outlast it.
pub struct ParametersDecisionTime;
impl frame_support::traits::Get<Option<crate::BlockNumber>> for ParametersDecisionTime {
	fn get() -> Option<crate::BlockNumber> {
		pallet_governance::Pallet::<Runtime>::parameters_decision_time()
	}
}

impl pallet_bridge::Config for Runtime {
	type Currency = Balances;
	type LocalChainId = LocalChainId;
	type AnchorOrigin = frame_system::EnsureRoot<crate::AccountId>;
	type AdminOrigin = RootOrParameters;
	type HaltOrigin = RootOrEmergency;
	type ResumeOrigin = RootParametersOrEmergency;
	// One per other regional network.
	type MaxCounterparties = ConstU32<16>;
	// One validator per licensed entity; a network of more than 100 entities is not planned.
	type MaxAuthorities = ConstU32<100>;
	// With headers imported once per burn batch, 256 headers are hours of proofs' validity.
	type HeadersToKeep = ConstU32<256>;
	type MaxQuarantined = ConstU32<1_024>;
	type MaxProofNodes = ConstU32<{ tpchain_primitives::bridge::MAX_PROOF_NODES }>;
	type MaxAncestry = ConstU32<{ tpchain_primitives::bridge::MAX_FINALITY_ANCESTRY }>;
	type DecisionTime = ParametersDecisionTime;
	type MessageExecutor = crate::configs::xcm::bridge::BridgedXcm;
	// A tenth of a second: a teleport and its deposit take well under a millisecond.
	type MaxMessageWeight = MaxMessageWeight;
	type WeightInfo = pallet_bridge::weights::SubstrateWeight<Runtime>;
}
