//! `burn_*`: burn records, totals, and self-contained proof bundles.
//!
//! `burn_getProof` proves the record in the state of the newest block that has a stored GRANDPA
//! justification, so the bundle needs no linking headers and works for any past burn (records
//! are never removed), as long as that recent state is not pruned.

use codec::Encode;
use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::error::ErrorObjectOwned,
};
use sc_client_api::{BlockBackend, ProofProvider};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_consensus_grandpa::GrandpaApi;
use sp_core::Bytes;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};
use tpchain_primitives::{
	burn::{
		burn_record_key, chain_id_key,
		json::{ProofResponse, RecordView, TotalsView},
		BurnId, BurnProofBundle,
	},
	runtime_api::BurnProofsApi,
	AccountId, Hash, Header,
};

/// No burn with this id exists (at the best block).
pub const UNKNOWN_BURN: i32 = 8001;
/// The burn exists but no justified block holds it yet; retry after the next finality round.
pub const NOT_FINAL: i32 = 8002;
/// The node cannot build the proof (state pruned, justification missing, runtime API error).
pub const PROOF_UNAVAILABLE: i32 = 8003;

use super::{
	error,
	finality::{Anchor, AnchorError},
};

fn unavailable(what: impl std::fmt::Display) -> ErrorObjectOwned {
	error(PROOF_UNAVAILABLE, what)
}

fn anchor_error(e: AnchorError) -> ErrorObjectOwned {
	match e {
		AnchorError::NotFinal => error(NOT_FINAL, "no justified block yet"),
		AnchorError::Unavailable(what) => unavailable(what),
	}
}

/// The `burn_*` methods.
#[rpc(client, server)]
pub trait BurnApi<BlockHash> {
	/// The record of burn `id` (at `at`, default the best block), or `null`.
	#[method(name = "burn_getRecord")]
	fn get_record(&self, id: BurnId, at: Option<BlockHash>) -> RpcResult<Option<RecordView>>;

	/// Totals burned overall and per destination, and by `account` if given.
	#[method(name = "burn_getTotals", aliases = ["burn_totals"])]
	fn totals(&self, account: Option<AccountId>, at: Option<BlockHash>) -> RpcResult<TotalsView>;

	/// A self-contained proof bundle of finalized burn `id`.
	#[method(name = "burn_getProof")]
	async fn get_proof(&self, id: BurnId) -> RpcResult<ProofResponse>;
}

/// Implements [`BurnApiServer`] over the runtime's `BurnProofsApi`.
pub struct Burn<C, B> {
	client: Arc<C>,
	anchor: Anchor<C>,
	_block: PhantomData<B>,
}

impl<C, B> Burn<C, B> {
	/// Serves the `burn_*` methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { anchor: Anchor::new(client.clone()), client, _block: PhantomData }
	}
}

impl<C, Block> Burn<C, Block>
where
	Block: BlockT<Hash = Hash, Header = Header>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + BlockBackend<Block> + ProofProvider<Block>,
	C::Api: BurnProofsApi<Block> + GrandpaApi<Block>,
{
	fn proof(&self, id: BurnId) -> Result<ProofResponse, ErrorObjectOwned> {
		let (header, justification) = self.anchor.latest::<Block>().map_err(anchor_error)?;
		let at = header.hash();
		let api = self.client.runtime_api();
		let Some(record) = api.burn_record(at, id).map_err(unavailable)? else {
			// A runtime API instance serves one block; the best block needs its own.
			let best = self.client.info().best_hash;
			let at_best = self.client.runtime_api().burn_record(best, id).map_err(unavailable)?;
			return Err(match at_best {
				Some(_) => error(NOT_FINAL, format!("burn {id} is not final yet")),
				None => error(UNKNOWN_BURN, format!("no burn {id}")),
			});
		};
		let keys = [burn_record_key(id), chain_id_key()];
		let storage_proof = self
			.client
			.read_proof(at, &mut keys.iter().map(|k| k.as_slice()))
			.map_err(unavailable)?
			.into_iter_nodes()
			.collect();
		let point = (header.number, at);
		let bundle =
			BurnProofBundle { record, header, storage_proof, ancestry: vec![], justification };
		Ok(ProofResponse {
			burn_id: id,
			proven_at: point,
			finalized: point,
			bundle: Bytes(bundle.encode()),
		})
	}
}

#[async_trait]
impl<C, Block> BurnApiServer<Hash> for Burn<C, Block>
where
	Block: BlockT<Hash = Hash, Header = Header>,
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ BlockBackend<Block>
		+ ProofProvider<Block>
		+ Send
		+ Sync
		+ 'static,
	C::Api: BurnProofsApi<Block> + GrandpaApi<Block>,
{
	fn get_record(&self, id: BurnId, at: Option<Hash>) -> RpcResult<Option<RecordView>> {
		let at = super::at_or_best(&*self.client, at);
		let record = self.client.runtime_api().burn_record(at, id).map_err(unavailable)?;
		Ok(record.as_ref().map(RecordView::from))
	}

	fn totals(&self, account: Option<AccountId>, at: Option<Hash>) -> RpcResult<TotalsView> {
		let at = super::at_or_best(&*self.client, at);
		let api = self.client.runtime_api();
		let totals = api.burn_totals(at).map_err(unavailable)?;
		let account = match account {
			Some(who) => Some(api.burned_by(at, who).map_err(unavailable)?.to_string()),
			None => None,
		};
		Ok(TotalsView {
			total: totals.total.to_string(),
			count: totals.count,
			by_destination: totals
				.by_destination
				.into_iter()
				.map(|(chain, amount)| (chain, amount.to_string()))
				.collect(),
			account,
		})
	}

	async fn get_proof(&self, id: BurnId) -> RpcResult<ProofResponse> {
		self.proof(id)
	}
}
