//! `operators_list`: the licensed entities, their standing, validators and nodes.

use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::error::ErrorObjectOwned};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};
use tpchain_primitives::{governance::json::EntityJson, runtime_api::OperatorsApi, Hash};

/// The runtime API failed (e.g. the block's state is pruned).
pub const RUNTIME_ERROR: i32 = 8401;

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	super::error(RUNTIME_ERROR, e)
}

/// The `operators_*` methods.
#[rpc(client, server)]
pub trait OperatorsRpc<BlockHash> {
	/// Every entity ever admitted, suspended and removed ones included, by id.
	#[method(name = "operators_listEntities", aliases = ["operators_list"])]
	fn list(&self, at: Option<BlockHash>) -> RpcResult<Vec<EntityJson>>;
}

/// Implements [`OperatorsRpcServer`] over the runtime's `OperatorsApi`.
pub struct Operators<C, B> {
	client: Arc<C>,
	_block: PhantomData<B>,
}

impl<C, B> Operators<C, B> {
	/// Serves the `operators_*` methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

impl<C, Block> OperatorsRpcServer<Hash> for Operators<C, Block>
where
	Block: BlockT<Hash = Hash>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: OperatorsApi<Block>,
{
	fn list(&self, at: Option<Hash>) -> RpcResult<Vec<EntityJson>> {
		let at = super::at_or_best(&*self.client, at);
		let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
		let entities = self.client.runtime_api().operators_list(at).map_err(runtime_error)?;
		Ok(entities
			.into_iter()
			.map(|e| EntityJson {
				id: e.id,
				legal_name: text(e.legal_name),
				licence: text(e.licence),
				jurisdiction: text(e.jurisdiction),
				status: e.status,
				voting_account: e.voting_account,
				validator: e.validator,
				has_session_keys: e.has_session_keys,
				validating: e.validating,
				peer_id: bs58::encode(e.peer_id).into_string(),
				extra_peer_ids: e
					.extra_peer_ids
					.into_iter()
					.map(|p| bs58::encode(p).into_string())
					.collect(),
				admitted_at: e.admitted_at,
			})
			.collect())
	}
}
