//! Guardian recovery: the `recovery_*` RPC methods (calls are typed in [`crate::api`]).

use crate::{rpc_error, Connection, Error, Hash};
use subxt::rpcs::rpc_params;
use tpchain_primitives::{
	recovery::{ActiveRecoveryView, RecoveryStatus},
	AccountId, BlockNumber,
};

/// `recovery_config` as returned by the node (amounts are decimal strings).
pub type Status = RecoveryStatus<AccountId, String, BlockNumber>;
/// `recovery_active` as returned by the node (amounts are decimal strings).
pub type Active = ActiveRecoveryView<AccountId, String, BlockNumber>;

impl Connection {
	/// `recovery_config`: guardians, scheduled change, freeze and recovered state (`account` in
	/// SS58).
	pub async fn recovery_config(&self, account: &str, at: Option<Hash>) -> Result<Status, Error> {
		self.raw.request("recovery_getConfig", rpc_params![account, at]).await.map_err(rpc_error)
	}

	/// `recovery_active`: the open recovery of `lost` (SS58), if any.
	pub async fn recovery_active(
		&self,
		lost: &str,
		at: Option<Hash>,
	) -> Result<Option<Active>, Error> {
		self.raw.request("recovery_getActive", rpc_params![lost, at]).await.map_err(rpc_error)
	}
}
