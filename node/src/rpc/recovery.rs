//! `recovery_*`: guardian configuration and open recoveries of an account.
//!
//! Amounts are decimal strings (they exceed JSON's safe integers); accounts are SS58.

use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::error::ErrorObjectOwned};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};
use tpchain_primitives::{
	recovery::{ActiveRecoveryView, RecoveryStatus},
	runtime_api::RecoveryApi,
	AccountId, BlockNumber, Hash,
};

/// The runtime API failed (e.g. the block's state is pruned).
pub const RUNTIME_ERROR: i32 = 8101;

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	super::error(RUNTIME_ERROR, e)
}

/// The `recovery_*` methods.
#[rpc(client, server)]
pub trait RecoveryApi<BlockHash> {
	/// Guardians, scheduled change, freeze and recovered state of `account`.
	#[method(name = "recovery_getConfig", aliases = ["recovery_config"])]
	fn config(
		&self,
		account: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<RecoveryStatus<AccountId, String, BlockNumber>>;

	/// The open recovery of `lost`, or `null`.
	#[method(name = "recovery_getActive", aliases = ["recovery_active"])]
	fn active(
		&self,
		lost: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Option<ActiveRecoveryView<AccountId, String, BlockNumber>>>;
}

/// Implements [`RecoveryApiServer`] over the runtime's `RecoveryApi`.
pub struct Recovery<C, B> {
	client: Arc<C>,
	_block: PhantomData<B>,
}

impl<C, B> Recovery<C, B> {
	/// Serves the `recovery_*` methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

impl<C, Block> RecoveryApiServer<Hash> for Recovery<C, Block>
where
	Block: BlockT<Hash = Hash>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RecoveryApi<Block>,
{
	fn config(
		&self,
		account: AccountId,
		at: Option<Hash>,
	) -> RpcResult<RecoveryStatus<AccountId, String, BlockNumber>> {
		let at = super::at_or_best(&*self.client, at);
		let s = self.client.runtime_api().recovery_config(at, account).map_err(runtime_error)?;
		Ok(RecoveryStatus {
			config: s.config,
			deposit: s.deposit.to_string(),
			pending_change: s.pending_change,
			frozen: s.frozen,
			recovered_by: s.recovered_by,
		})
	}

	fn active(
		&self,
		lost: AccountId,
		at: Option<Hash>,
	) -> RpcResult<Option<ActiveRecoveryView<AccountId, String, BlockNumber>>> {
		let at = super::at_or_best(&*self.client, at);
		let r = self.client.runtime_api().recovery_active(at, lost).map_err(runtime_error)?;
		Ok(r.map(|r| ActiveRecoveryView {
			initiator: r.initiator,
			new_account: r.new_account,
			opened_at: r.opened_at,
			finalizable_at: r.finalizable_at,
			approvals: r.approvals,
			threshold: r.threshold,
			bond: r.bond.to_string(),
			forced: r.forced,
		}))
	}
}
