//! `settlement_*`: receipts proving that a payment instruction settled.
//!
//! A receipt combines the batch's kept record (proven in the state of the newest justified
//! block), the batch's instructions (read back from the body of the block that settled it, at
//! the extrinsic the record names) and that block's justification. The node keeps no index of
//! instructions: given the batch (the SDK's `settle` reports it) one block body is read;
//! without it, the batches of the last [`SEARCH_BLOCKS`] blocks are searched, newest first.

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
	burn::chain_id_key,
	runtime_api::{BurnProofsApi, SettlementApi},
	settlement::{
		batch_path, batch_root,
		receipt::{
			batch_record_key, genesis_hash_key, json::ReceiptResponse, ProvenBatch,
			SettlementReceipt,
		},
		settled_instructions, BatchId, PaymentInstruction,
	},
	BlockNumber, ChainId, Hash, Header,
};

use super::{
	error,
	finality::{Anchor, AnchorError},
};

/// No kept batch settled this instruction (searched: the given batch, or the recent ones).
pub const UNKNOWN_INSTRUCTION: i32 = 8601;
/// It settled, but no justified block holds the batch yet; retry after the next round.
pub const NOT_FINAL: i32 = 8602;
/// The node cannot build the receipt (state or body pruned, runtime API error).
pub const RECEIPT_UNAVAILABLE: i32 = 8603;

/// Without a batch id, how many blocks back the node searches: a minute of blocks.
pub const SEARCH_BLOCKS: BlockNumber = 30;

fn unavailable(what: impl std::fmt::Display) -> ErrorObjectOwned {
	error(RECEIPT_UNAVAILABLE, what)
}

/// The `settlement_*` methods.
#[rpc(client, server)]
pub trait SettlementRpc {
	/// A self-contained receipt that instruction `instruction` (its hash) settled in a
	/// finalized batch; `batch` if known, else the last [`SEARCH_BLOCKS`] blocks are searched.
	#[method(name = "settlement_getReceipt")]
	async fn get_receipt(
		&self,
		instruction: Hash,
		batch: Option<BatchId>,
	) -> RpcResult<ReceiptResponse>;
}

/// Where an instruction settled, as read at one block.
struct Found {
	batch: BatchId,
	record: ProvenBatch,
	instruction: PaymentInstruction,
	leaf: u32,
	leaves: Vec<Hash>,
}

/// Implements [`SettlementRpcServer`] over the runtime's `SettlementApi`.
pub struct Settlement<C, B> {
	client: Arc<C>,
	anchor: Anchor<C>,
	_block: PhantomData<B>,
}

impl<C, B> Settlement<C, B> {
	/// Serves the `settlement_*` methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { anchor: Anchor::new(client.clone()), client, _block: PhantomData }
	}
}

impl<C, Block> Settlement<C, Block>
where
	Block: BlockT<Hash = Hash, Header = Header>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + BlockBackend<Block> + ProofProvider<Block>,
	C::Api: BurnProofsApi<Block> + SettlementApi<Block> + GrandpaApi<Block>,
{
	/// Looks for `hash` among the kept batches in the state of `at` (block `number`).
	fn find(
		&self,
		at: Hash,
		number: BlockNumber,
		hash: Hash,
		batch: Option<BatchId>,
	) -> Result<Option<Found>, ErrorObjectOwned> {
		let api = self.client.runtime_api();
		let chain: ChainId = api.chain_id(at).map_err(unavailable)?;
		let genesis = self.client.info().genesis_hash;
		let (oldest, next) = api.settlement_kept(at).map_err(unavailable)?;
		let ids: Box<dyn Iterator<Item = BatchId>> = match batch {
			Some(id) => Box::new(std::iter::once(id)),
			None => Box::new((oldest..next).rev()),
		};
		let since = number.saturating_sub(SEARCH_BLOCKS);
		for id in ids {
			let Some(record) = api.settlement_batch(at, id).map_err(unavailable)? else {
				continue;
			};
			if batch.is_none() && record.block < since {
				break;
			}
			let Some((settled, leaves)) = self.settled_of(at, &record, chain, &genesis)? else {
				continue;
			};
			if let Some(leaf) = leaves.iter().position(|l| *l == hash) {
				let instruction = settled[leaf].clone();
				return Ok(Some(Found {
					batch: id,
					record,
					instruction,
					leaf: leaf as u32,
					leaves,
				}));
			}
		}
		Ok(None)
	}

	/// The settled instructions of the batch `record` describes, in leaf order, read back from
	/// the block that settled it; `None` if that block's extrinsic holds no batch with the
	/// record's root.
	#[allow(clippy::type_complexity)]
	fn settled_of(
		&self,
		at: Hash,
		record: &ProvenBatch,
		chain: ChainId,
		genesis: &Hash,
	) -> Result<Option<(Vec<PaymentInstruction>, Vec<Hash>)>, ErrorObjectOwned> {
		let block = self
			.client
			.hash(record.block)
			.map_err(unavailable)?
			.ok_or_else(|| unavailable(format!("block {} is not known", record.block)))?;
		let body =
			self.client.block_body(block).map_err(unavailable)?.ok_or_else(|| {
				unavailable(format!("the body of block {} was pruned", record.block))
			})?;
		let Some(extrinsic) = body.into_iter().nth(record.extrinsic as usize) else {
			return Ok(None);
		};
		let batches =
			self.client.runtime_api().settlement_batches_in(at, extrinsic).map_err(unavailable)?;
		// One extrinsic may carry several batches (a utility batch): the record's root picks.
		Ok(batches.into_iter().find_map(|batch| {
			let settled: Vec<PaymentInstruction> = settled_instructions(&batch, &record.failed)
				.map(|s| s.instruction.clone())
				.collect();
			let leaves: Vec<Hash> = settled.iter().map(|i| i.hash(chain, genesis)).collect();
			(leaves.len() == record.settled as usize && batch_root(&leaves) == record.root)
				.then_some((settled, leaves))
		}))
	}

	fn receipt(
		&self,
		hash: Hash,
		batch: Option<BatchId>,
	) -> Result<ReceiptResponse, ErrorObjectOwned> {
		let (header, justification) = self.anchor.latest::<Block>().map_err(|e| match e {
			AnchorError::NotFinal => error(NOT_FINAL, "no justified block yet"),
			AnchorError::Unavailable(what) => unavailable(what),
		})?;
		let at = header.hash();
		let Some(found) = self.find(at, header.number, hash, batch)? else {
			let best = self.client.info();
			return Err(match self.find(best.best_hash, best.best_number, hash, batch)? {
				Some(f) => error(NOT_FINAL, format!("batch {} is not final yet", f.batch)),
				None => error(
					UNKNOWN_INSTRUCTION,
					match batch {
						Some(id) => format!("batch {id} is not kept or did not settle {hash:?}"),
						None => {
							format!("no batch of the last {SEARCH_BLOCKS} blocks settled {hash:?}")
						},
					},
				),
			});
		};
		let keys = [batch_record_key(found.batch), genesis_hash_key(), chain_id_key()];
		let storage_proof = self
			.client
			.read_proof(at, &mut keys.iter().map(|k| k.as_slice()))
			.map_err(unavailable)?
			.into_iter_nodes()
			.collect();
		let point = (header.number, at);
		let receipt = SettlementReceipt {
			instruction: found.instruction,
			batch: found.batch,
			leaf: found.leaf,
			path: batch_path(&found.leaves, found.leaf),
			header,
			storage_proof,
			ancestry: vec![],
			justification,
		};
		Ok(ReceiptResponse {
			instruction_hash: hash,
			batch: found.batch,
			settled_in: found.record.block,
			proven_at: point,
			finalized: point,
			receipt: Bytes(receipt.encode()),
		})
	}
}

#[async_trait]
impl<C, Block> SettlementRpcServer for Settlement<C, Block>
where
	Block: BlockT<Hash = Hash, Header = Header>,
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ BlockBackend<Block>
		+ ProofProvider<Block>
		+ Send
		+ Sync
		+ 'static,
	C::Api: BurnProofsApi<Block> + SettlementApi<Block> + GrandpaApi<Block>,
{
	async fn get_receipt(
		&self,
		instruction: Hash,
		batch: Option<BatchId>,
	) -> RpcResult<ReceiptResponse> {
		self.receipt(instruction, batch)
	}
}
