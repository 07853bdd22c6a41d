//! `pallet_safe_mode`: the emergency track can stop every call but governance's own.

use crate::{
	configs::governance::{RootOrParameters, RootParametersOrEmergency},
	AccountId, Balances, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason, DAYS,
};
use frame_support::traits::{ConstU32, Contains, EitherOf};
use frame_system::{EnsureRoot, EnsureWithSuccess};
use pallet_governance::EnsureEmergency;

/// Calls that stay available in safe mode: block production, finality, session keys, and
/// governance (so the entities can vote to lift it), also from a multisig or batched voting
/// account. `Multisig` and `Utility` only wrap: the call inside is dispatched through the base
/// filter again, so a transfer in a batch stays stopped.
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
				| RuntimeCall::Multisig(_)
				| RuntimeCall::Utility(_)
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

#[cfg(test)]
mod tests {
	use super::*;
	use crate::configs::tx_pause::TxPauseWhitelist;
	use frame_support::traits::Contains;
	use sp_runtime::BuildStorage;

	fn vote() -> RuntimeCall {
		RuntimeCall::Governance(pallet_governance::Call::vote {
			proposal: 0,
			vote: pallet_governance::Vote::Aye,
		})
	}

	fn transfer() -> RuntimeCall {
		RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: AccountId::new([2; 32]).into(),
			value: 1,
		})
	}

	#[test]
	fn safe_mode_cannot_silence_a_multisig_or_batched_voter() {
		let multisig = RuntimeCall::Multisig(pallet_multisig::Call::as_multi_threshold_1 {
			other_signatories: vec![AccountId::new([3; 32])],
			call: alloc::boxed::Box::new(vote()),
		});
		let batch = RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![vote()] });
		let rotate = RuntimeCall::Operators(pallet_operators::Call::change_voting_key {
			new: AccountId::new([4; 32]),
		});
		for call in [vote(), multisig, batch, rotate] {
			assert!(SafeModeWhitelist::contains(&call), "{call:?}");
		}
		assert!(!SafeModeWhitelist::contains(&transfer()));
	}

	#[test]
	fn tx_pause_cannot_silence_a_multisig_or_batched_voter() {
		let name = |p: &str, c: &str| {
			(
				frame_support::BoundedVec::truncate_from(p.as_bytes().to_vec()),
				frame_support::BoundedVec::truncate_from(c.as_bytes().to_vec()),
			)
		};
		for (p, c) in [
			("Governance", "vote"),
			("Multisig", "as_multi"),
			("Multisig", "approve_as_multi"),
			("Utility", "batch_all"),
			("Operators", "change_voting_key"),
		] {
			assert!(TxPauseWhitelist::contains(&name(p, c)), "{p}.{c} can be paused");
		}
		assert!(!TxPauseWhitelist::contains(&name("Balances", "transfer_keep_alive")));
	}

	#[test]
	fn a_transfer_inside_a_whitelisted_batch_stays_stopped_in_safe_mode() {
		let mut ext: sp_io::TestExternalities =
			frame_system::GenesisConfig::<Runtime>::default().build_storage().unwrap().into();
		ext.execute_with(|| {
			use sp_runtime::traits::Dispatchable;
			frame_system::Pallet::<Runtime>::set_block_number(1);
			pallet_safe_mode::EnteredUntil::<Runtime>::put(100);
			let origin = || crate::RuntimeOrigin::signed(AccountId::new([1; 32]));
			let batch =
				RuntimeCall::Utility(pallet_utility::Call::batch_all { calls: vec![transfer()] });
			// The batch itself passes the filter; the transfer in it is filtered on dispatch.
			let err = batch.dispatch(origin()).unwrap_err().error;
			assert_eq!(err, frame_system::Error::<Runtime>::CallFiltered.into());
		});
	}
}
