//! Runtime APIs the node's RPC modules wrap.

use crate::{
	burn::{BurnId, BurnTotals, TpchainBurnRecord},
	AccountId, Balance, ChainId,
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
