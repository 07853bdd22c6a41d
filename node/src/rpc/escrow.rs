//! `escrow_*`: open escrows, an account's escrows, and the total held.
//!
//! Amounts are decimal strings (they exceed JSON's safe integers); accounts are SS58; conditions
//! are returned SCALE-encoded (hex) next to a readable summary, as their tree is the runtime's.

use codec::Encode;
use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::error::ErrorObjectOwned};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::Bytes;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};
use tpchain_primitives::{
	escrow::{
		json::{EscrowJson, MilestoneJson, Participation},
		EscrowId,
	},
	runtime_api::EscrowApi,
	AccountId, Hash,
};

/// The runtime API failed (e.g. the block's state is pruned).
pub const RUNTIME_ERROR: i32 = 8201;

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	super::error(RUNTIME_ERROR, e)
}

/// The `escrow_*` methods.
#[rpc(client, server)]
pub trait EscrowRpc<BlockHash> {
	/// An open escrow, or `null` (closed escrows are removed; their events remain).
	#[method(name = "escrow_getEscrow", aliases = ["escrow_get"])]
	fn get(&self, id: EscrowId, at: Option<BlockHash>) -> RpcResult<Option<EscrowJson>>;

	/// Open escrows `account` takes part in (as payer, payee or arbiter).
	#[method(name = "escrow_listByAccount", aliases = ["escrow_byAccount"])]
	fn by_account(
		&self,
		account: AccountId,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<Participation>>;

	/// Everything held by open escrows, decimal string.
	#[method(name = "escrow_getTotalHeld", aliases = ["escrow_totalHeld"])]
	fn total_held(&self, at: Option<BlockHash>) -> RpcResult<String>;
}

/// Implements [`EscrowRpcServer`] over the runtime's `EscrowApi`.
pub struct Escrow<C, B> {
	client: Arc<C>,
	_block: PhantomData<B>,
}

impl<C, B> Escrow<C, B> {
	/// Serves the `escrow_*` methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

impl<C, Block> EscrowRpcServer<Hash> for Escrow<C, Block>
where
	Block: BlockT<Hash = Hash>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: EscrowApi<Block>,
{
	fn get(&self, id: EscrowId, at: Option<Hash>) -> RpcResult<Option<EscrowJson>> {
		let at = super::at_or_best(&*self.client, at);
		let view = self.client.runtime_api().escrow_get(at, id).map_err(runtime_error)?;
		Ok(view.map(|e| EscrowJson {
			id: e.id,
			payer: e.payer,
			payee: e.payee,
			milestones: e
				.milestones
				.into_iter()
				.map(|(amount, condition, released)| MilestoneJson {
					amount: amount.to_string(),
					condition: Bytes(condition.encode()),
					released,
				})
				.collect(),
			remaining: e.remaining.to_string(),
			expires_at: e.expires_at,
			clock: e.clock,
			arbiters: e.arbiters,
			reference: Bytes(e.reference),
			deposit: e.deposit.to_string(),
			disputed_by: e.disputed_by,
			dispute_bond: e.dispute_bond.map(|b| b.to_string()),
			cancel_requested_by: e.cancel_requested_by,
			arbiters_accepted: e.arbiters_accepted,
		}))
	}

	fn by_account(&self, account: AccountId, at: Option<Hash>) -> RpcResult<Vec<Participation>> {
		let at = super::at_or_best(&*self.client, at);
		let list =
			self.client.runtime_api().escrow_by_account(at, account).map_err(runtime_error)?;
		Ok(list
			.into_iter()
			.map(|(id, role)| Participation {
				id,
				role: match role {
					0 => "payer",
					1 => "payee",
					_ => "arbiter",
				}
				.into(),
			})
			.collect())
	}

	fn total_held(&self, at: Option<Hash>) -> RpcResult<String> {
		let at = super::at_or_best(&*self.client, at);
		Ok(self.client.runtime_api().escrow_total_held(at).map_err(runtime_error)?.to_string())
	}
}
