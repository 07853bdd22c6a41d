//! `pallet_safe_mode`: the emergency track can stop every call but governance's own.

use crate::{
	configs::governance::{RootOrParameters, RootParametersOrEmergency},
	AccountId, Balances, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, DAYS,
};
use frame_support::traits::{ConstU32, Contains, EitherOf};
use frame_system::{EnsureRoot, EnsureWithSuccess};
use pallet_governance::EnsureEmergency;

/// Calls that stay available in safe mode: block production, finality, session keys, and
/// governance (so the entities can vote to lift it).
pub struct SafeModeWhitelist;
impl Contains<RuntimeCall> for SafeModeWhitelist {
	fn contains(call: &RuntimeCall) -> bool {
		matches!(
			call,
			RuntimeCall::System(_)
				| RuntimeCall::Timestamp(_)
				| RuntimeCall::Grandpa(_)
				| RuntimeCall::Session(_)
				| RuntimeCall::Governance(_)
				| RuntimeCall::Operators(_)
				| RuntimeCall::SafeMode(_)
				| RuntimeCall::TxPause(_)
		)
	}
}

/// Backstop: a safe mode entered by an emergency vote ends after 7 days even if ratified;
/// governance's expiry (unless ratified) normally ends it much earlier.
pub type SafeModeBackstop = ConstU32<{ 7 * DAYS }>;

impl pallet_safe_mode::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type WhitelistedCalls = SafeModeWhitelist;
	type EnterDuration = SafeModeBackstop;
	type ExtendDuration = SafeModeBackstop;
	// No account may enter or extend safe mode by deposit; only governance.
	type EnterDepositAmount = ();
	type ExtendDepositAmount = ();
	type ForceEnterOrigin = EitherOf<
		EnsureWithSuccess<EnsureRoot<AccountId>, AccountId, SafeModeBackstop>,
		EnsureWithSuccess<EnsureEmergency, AccountId, SafeModeBackstop>,
	>;
	type ForceExtendOrigin = EnsureWithSuccess<RootOrParameters, AccountId, SafeModeBackstop>;
	type ForceExitOrigin = RootParametersOrEmergency;
	type ForceDepositOrigin = EnsureRoot<AccountId>;
	type Notify = ();
	type ReleaseDelay = ();
	type WeightInfo = pallet_safe_mode::weights::SubstrateWeight<Runtime>;
}
