//! `audit_supply`: every token accounted for at a block, and whether the counters add up
//! (`pallet-supply`'s report, [`tpchain_primitives::supply`]).

use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::error::ErrorObjectOwned};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::{Block as BlockT, Header as _};
use std::{marker::PhantomData, sync::Arc};
use tpchain_primitives::{runtime_api::SupplyApi, supply::json::SupplyJson, Hash};

/// The runtime API failed (e.g. the block's state is pruned, or the block predates the API).
pub const RUNTIME_ERROR: i32 = 8701;
/// No such block.
pub const UNKNOWN_BLOCK: i32 = 8702;

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	super::error(RUNTIME_ERROR, e)
}

/// The `audit_*` methods.
#[rpc(client, server)]
pub trait SupplyRpc<BlockHash> {
	/// The supply report at `at` (the best block if omitted): issuance, free, held by reason,
	/// frozen, minted per counterparty, burned per destination, fees, dust, XCM flows, traps,
	/// quarantine, and the identity with `reconciled` and the `difference`.
	#[method(name = "audit_getSupply", aliases = ["audit_supply"])]
	fn audit_supply(&self, at: Option<BlockHash>) -> RpcResult<SupplyJson>;
}

/// Implements [`SupplyRpcServer`] over the runtime's `SupplyApi`.
pub struct Supply<C, B> {
	client: Arc<C>,
	_block: PhantomData<B>,
}

impl<C, B> Supply<C, B> {
	/// Serves the `audit_*` methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

impl<C, Block> SupplyRpcServer<Hash> for Supply<C, Block>
where
	Block: BlockT<Hash = Hash>,
	Block::Header: sp_runtime::traits::Header<Number = tpchain_primitives::BlockNumber>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: SupplyApi<Block>,
{
	fn audit_supply(&self, at: Option<Hash>) -> RpcResult<SupplyJson> {
		let at = super::at_or_best(&*self.client, at);
		let header = self
			.client
			.header(at)
			.map_err(runtime_error)?
			.ok_or_else(|| super::error(UNKNOWN_BLOCK, format!("no block {at:?}")))?;
		let report = self.client.runtime_api().audit_supply(at).map_err(runtime_error)?;
		Ok(SupplyJson::new(&report, *header.number(), format!("{at:?}")))
	}
}
