//! One direction (source → target): its state and its round.

use crate::{log, metrics::Metrics, scan::Item};
use std::{
	collections::HashSet,
	sync::{Arc, Mutex},
	time::Duration,
};
use tpchain_client::{subxt_signer::sr25519::Keypair, Connection, Error, Hash};
use tpchain_primitives::{burn::BurnId, message::MessageNonce, ChainId};

/// One direction: reads `source`, submits to `target`.
pub(crate) struct Direction {
	pub source: Connection,
	pub target: Connection,
	pub signer: Keypair,
	pub source_chain: ChainId,
	pub target_chain: ChainId,
	/// Burns below this id are known consumed on the target (or not destined to it).
	pub cursor: BurnId,
	/// Messages below this nonce are known delivered on the target.
	pub message_cursor: MessageNonce,
	/// `source->target`, for logs and metric labels.
	pub label: String,
	pub metrics: Metrics,
	/// Burns and messages submitted to the target and not yet finalized there (or failed).
	pub in_flight: Arc<Mutex<HashSet<Item>>>,
	/// A source header submitted to the target and not yet finalized there (or failed).
	pub header_in_flight: Arc<Mutex<Option<(u32, Hash)>>>,
}

impl Direction {
	/// The direction from `source` to `target`, submitting with `signer`.
	pub async fn new(
		source: Connection,
		target: Connection,
		signer: Keypair,
		metrics: Metrics,
	) -> Result<Self, Error> {
		let source_chain = source.chain_id().await?;
		let target_chain = target.chain_id().await?;
		let label = format!("{source_chain}->{target_chain}");
		Ok(Self {
			source,
			target,
			signer,
			source_chain,
			target_chain,
			cursor: 0,
			message_cursor: 0,
			label,
			metrics,
			in_flight: Default::default(),
			header_in_flight: Default::default(),
		})
	}

	pub fn log(&self, msg: impl std::fmt::Display) {
		log(&self.label, msg);
	}

	pub fn warn(&self, msg: impl std::fmt::Display) {
		crate::warn(&self.label, msg);
	}

	/// One round; returns whether anything was submitted.
	async fn round(&mut self) -> Result<bool, Error> {
		let started = std::time::Instant::now();
		let Some(cp) = self.target.bridge_counterparty(self.source_chain).await? else {
			self.log(
				"the target has no light client of the source yet (governance initializes it)",
			);
			return Ok(false);
		};
		let (finalized, finalized_hash) = self.source.finalized().await?;
		let lag = finalized.saturating_sub(cp.best.number);
		self.metrics.lag.with_label_values(&[&self.label]).set(lag as i64);
		let mut pending = self.pending_burns(finalized_hash).await?;
		self.metrics.pending.with_label_values(&[&self.label]).set(pending.len() as i64);
		let messages = self.pending_messages(finalized_hash).await?;
		self.metrics.messages_pending.with_label_values(&[&self.label]).set(messages.len() as i64);
		pending.extend(messages);
		if cp.halted {
			self.log(format!(
				"the target halted this bridge; {} burns and messages wait",
				pending.len()
			));
			return Ok(false);
		}
		// Watch: a light-client head off the source's finalized chain (a forged anchor or a
		// finality attack) is refuted by any import from the real chain, which reaches its
		// height through another block: the target halts the bridge (`EquivocationDetected`).
		if cp.best.number <= finalized
			&& self.source.block_hash(cp.best.number).await? != Some(cp.best.hash)
		{
			self.log(format!(
				"the target's header #{} ({:?}) is not on the source's finalized chain: reporting",
				cp.best.number, cp.best.hash
			));
			self.report_conflict(&cp).await?;
			return Ok(true);
		}
		// Authority-set changes first, in order: later headers only verify under the new set.
		if finalized > cp.best.number && self.set_id_at(finalized).await? > cp.set_id {
			self.follow_set_change(&cp, finalized).await?;
			return Ok(true);
		}

		let (target_best, _) = self.target.best().await?;
		let mut submitted = self.mint_pending(&cp, &pending, target_best, started).await?;
		submitted |= self.release_quarantined(target_best).await?;
		Ok(submitted)
	}

	/// Runs rounds for good; pauses `poll` after a round that submitted nothing (or failed).
	pub async fn run(mut self, poll: Duration) {
		self.log("started");
		loop {
			match self.round().await {
				Ok(true) => continue,
				Ok(false) => {},
				Err(e) => {
					self.metrics.errors.with_label_values(&[&self.label]).inc();
					self.warn(format!("round failed: {e}"));
				},
			}
			tokio::time::sleep(poll).await;
		}
	}
}
