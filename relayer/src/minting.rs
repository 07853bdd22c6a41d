//! What pending burns are proven against, and submitting them with their header.

use crate::{direction::Direction, log, scan::Item};
use std::time::Instant;
use tpchain_client::{bridge::BridgeCall, Error, Hash};
use tpchain_primitives::{
	bridge::{json::CounterpartyJson, MAX_FINALITY_ANCESTRY},
	Header,
};

/// What one round submits: a finality proof (first), then one call per item (a mint of a
/// burn or a delivery of a message).
#[derive(Default)]
pub(crate) struct Plan {
	pub header: Option<(Header, BridgeCall)>,
	pub burns: Vec<Item>,
	pub mints: Vec<BridgeCall>,
}

impl Direction {
	/// One call per pending item, proven against the source's state at `at`.
	async fn mint_calls(
		&self,
		pending: &[(Item, u32)],
		at: Hash,
	) -> Result<Vec<BridgeCall>, Error> {
		let mut calls = Vec::with_capacity(pending.len());
		for (item, _) in pending {
			calls.push(match *item {
				Item::Burn(id) => {
					let proof = self.source.burn_state_proof(id, at).await?;
					BridgeCall::mint_from_burn(self.source_chain, &proof)
				},
				Item::Message(nonce) => {
					let proof =
						self.source.message_state_proof(self.target_chain, nonce, at).await?;
					BridgeCall::receive_message(self.source_chain, &proof)
				},
			});
		}
		Ok(calls)
	}

	/// Proves and submits `pending` (burns, source blocks) for the light client `cp`, the
	/// target being at block `target_best`; returns whether it submitted anything.
	pub async fn mint_pending(
		&self,
		cp: &CounterpartyJson,
		pending: &[(Item, u32)],
		target_best: u32,
		started: Instant,
	) -> Result<bool, Error> {
		if pending.is_empty() {
			return Ok(false);
		}
		let in_flight = {
			let mut h = self.header_in_flight.lock().expect("not poisoned");
			if h.is_some_and(|(n, _)| n <= cp.best.number) {
				*h = None;
			}
			*h
		};
		let plan = if cp.limits.min_header_age == 0 {
			self.plan_batched(cp, pending, in_flight).await?
		} else {
			self.plan_aged(cp, pending, in_flight, target_best).await?
		};
		self.submit_plan(plan, started).await
	}

	/// Without a minimum header age: prove every pending burn against the target's newest
	/// header if it holds them, else against a header on its way to the target (ahead of these
	/// mints in nonce order), else against the source's newest justified header, whose finality
	/// proof goes first in the same batch — no extra finality round on the target. A header
	/// out of reach of one import is imported alone first (a hop).
	async fn plan_batched(
		&self,
		cp: &CounterpartyJson,
		pending: &[(Item, u32)],
		in_flight: Option<(u32, Hash)>,
	) -> Result<Plan, Error> {
		let newest_burn = pending.iter().map(|(_, b)| *b).max().unwrap_or_default();
		let all: Vec<Item> = pending.iter().map(|(item, _)| *item).collect();
		if cp.best.number >= newest_burn {
			if let Ok(mints) = self.mint_calls(pending, cp.best.hash).await {
				return Ok(Plan { header: None, burns: all, mints });
			}
		}
		if let Some((_, hash)) = in_flight.filter(|(n, _)| *n >= newest_burn) {
			if let Ok(mints) = self.mint_calls(pending, hash).await {
				return Ok(Plan { header: None, burns: all, mints });
			}
		}
		let above = in_flight.map_or(cp.best.number, |(n, _)| n.max(cp.best.number));
		Ok(match self.newest_justified(above, u32::MAX).await? {
			Some((h, call)) if h.number >= newest_burn => {
				let mints = self.mint_calls(pending, h.hash()).await?;
				Plan { header: Some((h, call)), burns: all, mints }
			},
			// The burns are out of one import's reach: import a header towards them first.
			Some((h, call)) if newest_burn > above.saturating_add(MAX_FINALITY_ANCESTRY + 1) => {
				Plan { header: Some((h, call)), ..Default::default() }
			},
			_ => Plan::default(), // wait for the next justification
		})
	}

	/// With a minimum header age: burns the target's newest header holds are proven against it
	/// once it is old enough; a newer header is imported only when there is none to wait for
	/// (so a stream of burns cannot keep every header too young to mint from).
	async fn plan_aged(
		&self,
		cp: &CounterpartyJson,
		pending: &[(Item, u32)],
		in_flight: Option<(u32, Hash)>,
		target_best: u32,
	) -> Result<Plan, Error> {
		let mut plan = Plan::default();
		let aged = target_best + 1 >= cp.best_imported_at + cp.limits.min_header_age;
		let covered: Vec<_> =
			pending.iter().copied().filter(|(_, b)| *b <= cp.best.number).collect();
		if aged && !covered.is_empty() {
			if let Ok(mints) = self.mint_calls(&covered, cp.best.hash).await {
				plan.burns = covered.iter().map(|(id, _)| *id).collect();
				plan.mints = mints;
			}
		}
		let uncovered = covered.len() < pending.len();
		if uncovered && in_flight.is_none() && (aged || covered.is_empty()) {
			plan.header = self.newest_justified(cp.best.number, u32::MAX).await?;
		}
		Ok(plan)
	}

	/// Submits `plan` (header first, then the mints, consecutive nonces) and tracks each
	/// submission until the target finalizes it. Returns whether anything was submitted.
	async fn submit_plan(&self, plan: Plan, started: Instant) -> Result<bool, Error> {
		let Plan { header, burns, mints } = plan;
		let mut calls = Vec::with_capacity(mints.len() + 1);
		let header = header.map(|(h, call)| {
			calls.push(call);
			(h.number, h.hash())
		});
		calls.extend(mints);
		if calls.is_empty() {
			return Ok(false);
		}
		let mut batch = self.target.submit_batch(&self.signer, &calls).await?.into_iter();
		if let Some((number, hash)) = header {
			match batch.next().expect("one entry per call") {
				Ok(finality) => {
					*self.header_in_flight.lock().expect("not poisoned") = Some((number, hash));
					self.metrics.headers.with_label_values(&[&self.label]).inc();
					self.log(format!(
						"submitted header #{number} with {} mints ({} ms after the round began)",
						burns.len(),
						started.elapsed().as_millis()
					));
					let (slot, label) = (self.header_in_flight.clone(), self.label.clone());
					tokio::spawn(async move {
						if let Err(e) = finality.await {
							crate::warn(&label, format!("header #{number} not imported: {e}"));
						}
						let mut h = slot.lock().expect("not poisoned");
						if *h == Some((number, hash)) {
							*h = None;
						}
					});
				},
				Err(e) => self.warn(format!("header #{number} not submitted: {e}")),
			}
		}
		for (item, entry) in burns.into_iter().zip(batch) {
			let message = matches!(item, Item::Message(_));
			match entry {
				Ok(finality) => {
					self.in_flight.lock().expect("not poisoned").insert(item);
					if !message {
						self.metrics.mints.with_label_values(&[&self.label]).inc();
					}
					let (set, label) = (self.in_flight.clone(), self.label.clone());
					let (delivered, failed) =
						(self.metrics.messages.clone(), self.metrics.messages_failed.clone());
					tokio::spawn(async move {
						match finality.await {
							Ok(block) => {
								if message {
									delivered.with_label_values(&[&label]).inc();
								}
								log(&label, format!("{item} delivered in {block:?}"))
							},
							Err(e) => {
								if message {
									failed.with_label_values(&[&label]).inc();
								}
								crate::warn(&label, format!("{item} not delivered: {e}"))
							},
						}
						set.lock().expect("not poisoned").remove(&item);
					});
				},
				Err(e) => {
					if message {
						self.metrics.messages_failed.with_label_values(&[&self.label]).inc();
					}
					self.warn(format!("{item} not submitted: {e}"))
				},
			}
		}
		Ok(true)
	}
}
