//! Following the chain: resume after the last committed block, fetch finalized blocks ahead
//! (several at once, on the runtime's threads), write them strictly in order, one transaction
//! each. Only finalized blocks are read, so nothing written is ever reverted; each block's
//! parent must be the block written before it.

use crate::{
	db::{int, text, DbError, Store},
	extract::{self, hex_hash, ExtractError},
	schema::{self, SchemaError},
	supply::SupplyState,
	write,
};
use futures::StreamExt;
use std::time::Duration;
use tpchain_client::{progress::Progress, Connection, Error as ClientError, Hash};

/// Errors of the indexer.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
	/// The database failed.
	#[error("database: {0}")]
	Db(#[from] DbError),
	/// The schema could not be brought up to date.
	#[error(transparent)]
	Schema(#[from] SchemaError),
	/// A block could not be fetched or decoded.
	#[error(transparent)]
	Extract(#[from] ExtractError),
	/// The node failed.
	#[error("node: {0}")]
	Client(#[from] ClientError),
	/// The database indexes another chain.
	#[error(
		"the database indexes the chain with genesis {indexed}; the node serves genesis {node}"
	)]
	OtherChain {
		/// Genesis hash in the database.
		indexed: String,
		/// Genesis hash the node serves.
		node: String,
	},
	/// A block's parent is not the block indexed before it (the node served another fork).
	#[error("block {number}'s parent is {parent}, but block {} indexed is {indexed}", number - 1)]
	Discontinuity {
		/// Block number.
		number: u32,
		/// Its parent hash.
		parent: String,
		/// The hash indexed at `number − 1`.
		indexed: String,
	},
	/// A fetch task panicked or was cancelled.
	#[error("fetch task: {0}")]
	Task(String),
}

/// How far to go.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
	/// Stop after this block (default: never, or at the finalized head if not following).
	pub until: Option<u32>,
	/// Keep following new finalized blocks.
	pub follow: bool,
	/// Blocks fetched ahead at once.
	pub concurrency: usize,
	/// Print progress to standard error.
	pub progress: bool,
}

/// An indexer writing one chain into one database.
pub struct Indexer {
	/// The database.
	pub db: Store,
	conn: Connection,
	supply: SupplyState,
	/// The next block to index.
	next: u32,
	/// Hash of the last block indexed.
	last_hash: Option<String>,
}

impl Indexer {
	/// Opens the database (migrating its schema), checks it indexes this node's chain and
	/// resumes after its last committed block.
	pub async fn open(mut db: Store, conn: Connection) -> Result<Self, IndexError> {
		schema::migrate(&mut db).await?;
		let genesis = conn.block_hash(0).await?.ok_or(ExtractError::NoBlock(0))?;
		let genesis = hex_hash(&genesis);
		let rows = db.query("SELECT genesis_hash FROM chain WHERE id = 0", &[]).await?;
		match rows.first() {
			Some(r) => {
				let indexed = r.text(0)?;
				if indexed != genesis {
					return Err(IndexError::OtherChain { indexed, node: genesis });
				}
			},
			None => {
				db.execute("INSERT INTO chain (id, genesis_hash) VALUES (0, ?)", &[text(genesis)])
					.await?;
			},
		}
		let last =
			db.query("SELECT number, hash FROM blocks ORDER BY number DESC LIMIT 1", &[]).await?;
		let (next, last_hash, supply) = match last.first() {
			Some(r) => {
				let n = r.int(0)? as u32;
				let supply = write::read_supply(&mut db, n).await?.ok_or(DbError::Type {
					column: 0,
					expected: "a supply row for the last block",
				})?;
				(n + 1, Some(r.text(1)?), supply)
			},
			None => (0, None, SupplyState::default()),
		};
		Ok(Indexer { db, conn, supply, next, last_hash })
	}

	/// The next block this indexer will write.
	pub fn next_block(&self) -> u32 {
		self.next
	}

	/// The supply after the last block written.
	pub fn supply(&self) -> &SupplyState {
		&self.supply
	}

	/// The supply at genesis: what `audit_supply` reports there, or (a runtime without it) the
	/// total issuance alone.
	async fn genesis_supply(&self, genesis: Hash) -> Result<SupplyState, IndexError> {
		match self.conn.audit_supply(Some(genesis)).await {
			Ok(report) => Ok(SupplyState::from_report(&report)?),
			Err(ClientError::Rpc { .. }) => Ok(SupplyState {
				total_issuance: self.conn.total_issuance(Some(genesis)).await? as i128,
				..Default::default()
			}),
			Err(e) => Err(e.into()),
		}
	}

	/// Writes one fetched block (the next one) in one transaction.
	pub async fn write(&mut self, block: extract::BlockData) -> Result<(), IndexError> {
		let parent = hex_hash(&block.parent);
		if let Some(indexed) = &self.last_hash {
			if *indexed != parent {
				return Err(IndexError::Discontinuity {
					number: block.number,
					parent,
					indexed: indexed.clone(),
				});
			}
		}
		let mut supply = if block.number == 0 {
			self.genesis_supply(block.hash).await?
		} else {
			self.supply.clone()
		};
		self.db.begin().await?;
		let result = async {
			// A delivered message was a release if it had been quarantined.
			let mut released = Vec::new();
			for (c, nonce, _) in &block.supply.deliveries {
				let rows = self
					.db
					.query(
						"SELECT 1 FROM bridge_events WHERE kind = 'message_quarantined' AND counterparty = ? AND nonce = ?",
						&[int(*c), int(*nonce as i64)],
					)
					.await?;
				if !rows.is_empty() {
					released.push((*c, *nonce));
				}
			}
			supply.apply(&block.supply, |c, n| released.contains(&(c, n)));
			write::rows(&mut self.db, &block, &supply).await
		}
		.await;
		match result {
			Ok(()) => self.db.commit().await?,
			Err(e) => {
				self.db.rollback().await?;
				return Err(e.into());
			},
		}
		self.supply = supply;
		self.next = block.number + 1;
		self.last_hash = Some(hex_hash(&block.hash));
		Ok(())
	}

	/// Indexes finalized blocks as `opts` says; returns how many blocks were written.
	pub async fn run(&mut self, opts: RunOptions) -> Result<u64, IndexError> {
		let mut written = 0u64;
		loop {
			let (finalized, _) = self.conn.finalized().await?;
			let target = opts.until.map_or(finalized, |u| u.min(finalized));
			if self.next > target {
				let done = opts.until.is_some_and(|u| self.next > u);
				if done || !opts.follow {
					return Ok(written);
				}
				tokio::time::sleep(Duration::from_millis(500)).await;
				continue;
			}
			// A bounded stretch at a time, so a long catch-up still notices new finality.
			let end = target.min(self.next.saturating_add(10_000));
			let mut progress = (opts.progress && end - self.next >= 100)
				.then(|| Progress::new("blocks", (end - self.next + 1) as u64));
			let conn = self.conn.clone();
			let mut blocks = futures::stream::iter(self.next..=end)
				.map(|n| {
					let conn = conn.clone();
					tokio::spawn(async move { extract::fetch(&conn, n).await })
				})
				.buffered(opts.concurrency.max(1));
			while let Some(fetched) = blocks.next().await {
				let block = fetched.map_err(|e| IndexError::Task(e.to_string()))??;
				self.write(block).await?;
				written += 1;
				if let Some(p) = progress.as_mut() {
					p.advance(1);
				}
			}
			if let Some(p) = progress {
				p.finish();
			}
		}
	}
}
