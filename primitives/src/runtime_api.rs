//! Runtime APIs the node's RPC modules wrap.

use crate::{
	burn::{BurnId, BurnTotals, TpchainBurnRecord},
	recovery::{ActiveRecoveryView, RecoveryStatus},
	AccountId, Balance, BlockNumber, ChainId,
};

sp_api::decl_runtime_apis! {
	/// Read access to `pallet-burn-proofs` for the `burn_*` RPC methods.
	pub trait BurnProofsApi {
		/// This chain's id, as fixed in genesis.
		fn chain_id() -> ChainId;
		/// The record of an executed burn.
		fn burn_record(id: BurnId) -> Option<TpchainBurnRecord>;
		/// Running totals: overall and per destination.
		fn burn_totals() -> BurnTotals<Balance>;
		/// Everything `account` has burned.
		fn burned_by(account: AccountId) -> Balance;
	}
}

sp_api::decl_runtime_apis! {
	/// Read access to `pallet-guardian-recovery` for the `recovery_*` RPC methods.
	pub trait RecoveryApi {
		/// Guardians, pending change, freeze and recovered state of `account`.
		fn recovery_config(account: AccountId) -> RecoveryStatus<AccountId, Balance, BlockNumber>;
		/// The open recovery of `lost`, if any.
		fn recovery_active(lost: AccountId) -> Option<ActiveRecoveryView<AccountId, Balance, BlockNumber>>;
	}
}
