//! `bridge_*`: the light clients of counterparty chains, their limits and accounting, consumed
//! burns and the quarantine — what relayers resume from and auditors reconcile with.

use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::error::ErrorObjectOwned};
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};
use tpchain_primitives::{
	bridge::json::{CounterpartyJson, QuarantinedJson, QuarantinedMessageJson},
	burn::BurnId,
	runtime_api::BridgeApi,
	ChainId, Hash,
};

/// The runtime API failed (e.g. the block's state is pruned).
pub const RUNTIME_ERROR: i32 = 8501;

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	super::error(RUNTIME_ERROR, e)
}

/// The `bridge_*` methods.
#[rpc(client, server)]
pub trait BridgeRpc<BlockHash> {
	/// Every registered counterparty: stored set id and size, newest and kept finalized
	/// headers, circuit breaker, limits, current window and accounting.
	#[method(name = "bridge_listCounterparties", aliases = ["bridge_counterparties"])]
	fn counterparties(&self, at: Option<BlockHash>) -> RpcResult<Vec<CounterpartyJson>>;

	/// Whether burn `burn_id` of chain `counterparty` was already consumed here.
	#[method(name = "bridge_isConsumed")]
	fn is_consumed(
		&self,
		counterparty: ChainId,
		burn_id: BurnId,
		at: Option<BlockHash>,
	) -> RpcResult<bool>;

	/// Mints waiting in quarantine, by id.
	#[method(name = "bridge_listQuarantine", aliases = ["bridge_quarantine"])]
	fn quarantine(&self, at: Option<BlockHash>) -> RpcResult<Vec<QuarantinedJson>>;

	/// Messages (XCM over the bridge) waiting in quarantine, by id.
	#[method(name = "bridge_listQuarantinedMessages", aliases = ["bridge_quarantinedMessages"])]
	fn quarantined_messages(&self, at: Option<BlockHash>)
		-> RpcResult<Vec<QuarantinedMessageJson>>;
}

/// Implements [`BridgeRpcServer`] over the runtime's `BridgeApi`.
pub struct Bridge<C, B> {
	client: Arc<C>,
	_block: PhantomData<B>,
}

impl<C, B> Bridge<C, B> {
	/// Serves the `bridge_*` methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

impl<C, Block> BridgeRpcServer<Hash> for Bridge<C, Block>
where
	Block: BlockT<Hash = Hash>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: BridgeApi<Block>,
{
	fn counterparties(&self, at: Option<Hash>) -> RpcResult<Vec<CounterpartyJson>> {
		let at = super::at_or_best(&*self.client, at);
		let all = self.client.runtime_api().bridge_counterparties(at).map_err(runtime_error)?;
		Ok(all.into_iter().map(CounterpartyJson::from).collect())
	}

	fn is_consumed(
		&self,
		counterparty: ChainId,
		burn_id: BurnId,
		at: Option<Hash>,
	) -> RpcResult<bool> {
		let at = super::at_or_best(&*self.client, at);
		self.client
			.runtime_api()
			.bridge_is_consumed(at, counterparty, burn_id)
			.map_err(runtime_error)
	}

	fn quarantine(&self, at: Option<Hash>) -> RpcResult<Vec<QuarantinedJson>> {
		let at = super::at_or_best(&*self.client, at);
		let all = self.client.runtime_api().bridge_quarantine(at).map_err(runtime_error)?;
		Ok(all.into_iter().map(QuarantinedJson::from).collect())
	}

	fn quarantined_messages(&self, at: Option<Hash>) -> RpcResult<Vec<QuarantinedMessageJson>> {
		let at = super::at_or_best(&*self.client, at);
		let api = self.client.runtime_api();
		// A runtime from before the message lane has no such method, and no such messages.
		if !api.has_api_with::<dyn BridgeApi<Block>, _>(at, |v| v >= 2).map_err(runtime_error)? {
			return Ok(Vec::new());
		}
		let all = api.bridge_quarantined_messages(at).map_err(runtime_error)?;
		Ok(all.into_iter().map(QuarantinedMessageJson::from).collect())
	}
}
