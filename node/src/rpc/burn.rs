//! `burn_*`: burn records, totals, and self-contained proof bundles.
//!
//! `burn_getProof` proves the record in the state of the newest block that has a stored GRANDPA
//! justification, so the bundle needs no linking headers and works for any past burn (records
//! are never removed), as long as that recent state is not pruned.

use codec::{Decode, Encode};
use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::error::ErrorObjectOwned,
};
use sc_client_api::{BlockBackend, ProofProvider};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_consensus_grandpa::{GrandpaApi, GRANDPA_ENGINE_ID};
use sp_core::Bytes;
use sp_runtime::traits::Block as BlockT;
use std::{
	marker::PhantomData,
	sync::{Arc, Mutex},
};
use tpchain_primitives::{
	burn::{
		burn_record_key, chain_id_key,
		json::{ProofResponse, RecordView, TotalsView},
		minimal_justification, BurnId, BurnProofBundle, TrustedAuthoritySet, MAX_ANCESTRY_HEADERS,
	},
	runtime_api::BurnProofsApi,
	AccountId, Hash, Header,
};

use bp_header_chain::justification::GrandpaJustification;

/// No burn with this id exists (at the best block).
pub const UNKNOWN_BURN: i32 = 8001;
/// The burn exists but no justified block holds it yet; retry after the next finality round.
pub const NOT_FINAL: i32 = 8002;
/// The node cannot build the proof (state pruned, justification missing, runtime API error).
pub const PROOF_UNAVAILABLE: i32 = 8003;

use super::error;

fn unavailable(what: impl std::fmt::Display) -> ErrorObjectOwned {
	error(PROOF_UNAVAILABLE, what)
}

/// The `burn_*` methods.
#[rpc(client, server)]
pub trait BurnApi<BlockHash> {
	/// The record of burn `id` (at `at`, default the best block), or `null`.
	#[method(name = "burn_getRecord")]
	fn get_record(&self, id: BurnId, at: Option<BlockHash>) -> RpcResult<Option<RecordView>>;

	/// Totals burned overall and per destination, and by `account` if given.
	#[method(name = "burn_totals")]
	fn totals(&self, account: Option<AccountId>, at: Option<BlockHash>) -> RpcResult<TotalsView>;

	/// A self-contained proof bundle of finalized burn `id`.
	#[method(name = "burn_getProof")]
	async fn get_proof(&self, id: BurnId) -> RpcResult<ProofResponse>;
}

/// One value per block, for the newest block asked about: computed once, then reused until a
/// newer block is asked about.
struct PerBlock<T>(Mutex<Option<(Hash, T)>>);

impl<T: Clone> PerBlock<T> {
	fn new() -> Self {
		Self(Mutex::new(None))
	}

	/// The value for `block`, made by `make` only if `block` is not the cached one. Concurrent
	/// callers wait for one `make` rather than each running it.
	fn get_or_try_insert<E>(
		&self,
		block: Hash,
		make: impl FnOnce() -> Result<T, E>,
	) -> Result<T, E> {
		let mut slot = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if let Some((cached, value)) = &*slot {
			if *cached == block {
				return Ok(value.clone());
			}
		}
		let value = make()?;
		*slot = Some((block, value.clone()));
		Ok(value)
	}
}

/// Implements [`BurnApiServer`] over the runtime's `BurnProofsApi`.
pub struct Burn<C, B> {
	client: Arc<C>,
	/// The trimmed justification of the newest justified block: every proof until the next
	/// justification reuses it instead of verifying every signature again.
	trimmed: PerBlock<GrandpaJustification<Header>>,
	_block: PhantomData<B>,
}

impl<C, B> Burn<C, B> {
	/// Serves the `burn_*` methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, trimmed: PerBlock::new(), _block: PhantomData }
	}
}

impl<C, Block> Burn<C, Block>
where
	Block: BlockT<Hash = Hash, Header = Header>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + BlockBackend<Block> + ProofProvider<Block>,
	C::Api: BurnProofsApi<Block> + GrandpaApi<Block>,
{
	/// The newest block at or below the finalized head with a stored GRANDPA justification.
	fn latest_justified(&self) -> Result<(Header, GrandpaJustification<Header>), ErrorObjectOwned> {
		let mut hash = self.client.info().finalized_hash;
		for _ in 0..=MAX_ANCESTRY_HEADERS {
			let header = self
				.client
				.header(hash)
				.map_err(unavailable)?
				.ok_or_else(|| unavailable("finalized header missing"))?;
			let justification = self
				.client
				.justifications(hash)
				.map_err(unavailable)?
				.and_then(|j| j.into_justification(GRANDPA_ENGINE_ID));
			if let Some(encoded) = justification {
				let justification = GrandpaJustification::<Header>::decode(&mut &encoded[..])
					.map_err(|e| unavailable(format!("stored justification: {e}")))?;
				return Ok((header, justification));
			}
			if header.number == 0 {
				break;
			}
			hash = header.parent_hash;
		}
		Err(error(NOT_FINAL, "no justified block yet"))
	}

	/// Drops votes beyond the threshold (and unused ancestry) so the strict offline verifier
	/// accepts the justification. The signing set is the one in force before the block, i.e.
	/// in its parent's state.
	fn optimize(
		&self,
		header: &Header,
		justification: &mut GrandpaJustification<Header>,
	) -> Result<(), ErrorObjectOwned> {
		let api = self.client.runtime_api();
		let at = if header.number == 0 { header.hash() } else { header.parent_hash };
		let set = TrustedAuthoritySet {
			chain_id: None,
			set_id: api.current_set_id(at).map_err(unavailable)?,
			authorities: api.grandpa_authorities(at).map_err(unavailable)?,
		};
		minimal_justification((header.hash(), header.number), &set, justification).map_err(|e| {
			unavailable(format!("stored justification does not verify: {}", e.describe()))
		})
	}

	fn proof(&self, id: BurnId) -> Result<ProofResponse, ErrorObjectOwned> {
		let (header, justification) = self.latest_justified()?;
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
		let justification = self.trimmed.get_or_try_insert(at, || {
			let mut justification = justification;
			self.optimize(&header, &mut justification).map(|()| justification)
		})?;
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

#[cfg(test)]
mod tests {
	use super::*;
	use std::cell::Cell;

	#[test]
	fn justification_is_trimmed_once_per_block() {
		let cache = PerBlock::<u32>::new();
		let made = Cell::new(0);
		let make = |v| {
			made.set(made.get() + 1);
			Ok::<_, ()>(v)
		};
		let (a, b) = (Hash::repeat_byte(1), Hash::repeat_byte(2));
		assert_eq!(cache.get_or_try_insert(a, || make(10)), Ok(10));
		assert_eq!(cache.get_or_try_insert(a, || make(11)), Ok(10), "reused for the same block");
		assert_eq!(made.get(), 1);
		assert_eq!(cache.get_or_try_insert(b, || make(20)), Ok(20), "a newer block is made anew");
		assert_eq!(made.get(), 2);
		// A failure caches nothing: the next call tries again.
		assert_eq!(cache.get_or_try_insert(a, || Err::<u32, _>(())), Err(()));
		assert_eq!(cache.get_or_try_insert(a, || make(12)), Ok(12));
		assert_eq!(made.get(), 3);
	}
}
