//! # tpchain-relay
//!
//! Relays between two tpchain networks A and B, both directions at once. For each direction
//! (source → target) it loops:
//!
//! 1. reads the target's light client of the source (`bridge_counterparties`): newest header,
//!    set id, circuit breaker — everything is resumed from on-chain state, so a restart loses
//!    nothing and repeats nothing;
//! 2. if the source's GRANDPA set moved on, finds the header that enacted the next set (binary
//!    search over the source's `GrandpaApi_current_set_id`) and submits it with its stored
//!    justification — every set change, in order;
//! 3. lists the source's finalized burns destined to the target that the target has not
//!    consumed (`bridge_isConsumed`) and that are not already on their way; submits one mint
//!    proof per burn (storage proof against the target's newest header, or a header submitted
//!    earlier and still on its way, or else the source's newest justified header, submitted
//!    first in the same batch), all signed at once with consecutive nonces. It does not wait for
//!    the target to finalize a batch before the next: submitted burns are tracked until final
//!    (or failed, then retried), so a burn finalized on the source waits at most one poll.
//!    Under a minimum header age (`minHeaderAge`) mints wait until the newest header is old
//!    enough, and a newer header is imported only then;
//!
//! Every header goes with its ancestry (the headers between the target's newest one and it):
//! the light client imports only descendants of its newest header. A source more than
//! `MAX_FINALITY_ANCESTRY` blocks ahead is caught up with intermediate justified headers.
//! 4. releases quarantined mints whose delay passed.
//!
//! Submissions the target already has are refused by its pool (`Stale`), so two relayers or a
//! restarted one do no harm. Prometheus metrics (`--prometheus`): lag in blocks, pending burns,
//! headers and mints submitted, errors — per direction.

use clap::Parser;
use prometheus::{Encoder, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder};
use std::{
	collections::HashSet,
	net::SocketAddr,
	sync::{Arc, Mutex},
	time::Duration,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tpchain_client::{
	bridge::BridgeCall,
	subxt_signer::{sr25519::Keypair, SecretUri},
	Connection, Error, Hash,
};
use tpchain_primitives::{
	bridge::{json::CounterpartyJson, MAX_FINALITY_ANCESTRY},
	burn::BurnId,
	ChainId, Header,
};

#[derive(Parser, Debug, Clone)]
#[command(
	name = "tpchain-relay",
	about = "Relays finality and burn proofs between two tpchain networks"
)]
struct Args {
	/// WebSocket endpoint of a node of chain A.
	#[arg(long)]
	a: String,
	/// WebSocket endpoint of a node of chain B.
	#[arg(long)]
	b: String,
	/// Secret URI of the account that pays for submissions on A (e.g. `//Alice`).
	#[arg(long)]
	signer_a: String,
	/// Secret URI of the account that pays for submissions on B.
	#[arg(long)]
	signer_b: String,
	/// Serve Prometheus metrics on this address (`127.0.0.1:9616`).
	#[arg(long)]
	prometheus: Option<SocketAddr>,
	/// Pause between rounds, in milliseconds.
	#[arg(long, default_value_t = 1000)]
	poll_ms: u64,
	/// Relay only A → B.
	#[arg(long)]
	one_way: bool,
}

/// Metrics per direction (`direction="1->2"`).
#[derive(Clone)]
struct Metrics {
	lag: IntGaugeVec,
	pending: IntGaugeVec,
	headers: IntCounterVec,
	mints: IntCounterVec,
	errors: IntCounterVec,
}

impl Metrics {
	fn new(registry: &Registry) -> prometheus::Result<Self> {
		let gauge = |name: &str, help: &str| -> prometheus::Result<IntGaugeVec> {
			let g = IntGaugeVec::new(Opts::new(name, help), &["direction"])?;
			registry.register(Box::new(g.clone()))?;
			Ok(g)
		};
		let counter = |name: &str, help: &str| -> prometheus::Result<IntCounterVec> {
			let c = IntCounterVec::new(Opts::new(name, help), &["direction"])?;
			registry.register(Box::new(c.clone()))?;
			Ok(c)
		};
		Ok(Self {
			lag: gauge(
				"tpchain_relay_lag_blocks",
				"Source finalized number minus the target light client's newest header",
			)?,
			pending: gauge(
				"tpchain_relay_pending_burns",
				"Finalized burns towards the target not yet consumed there",
			)?,
			headers: counter("tpchain_relay_headers_submitted_total", "Finality proofs submitted")?,
			mints: counter("tpchain_relay_mints_submitted_total", "Mint proofs submitted")?,
			errors: counter("tpchain_relay_errors_total", "Rounds that ended in an error")?,
		})
	}
}

/// What one round submits: a finality proof (first), then mints of `burns`, one call each.
#[derive(Default)]
struct Plan {
	header: Option<(Header, BridgeCall)>,
	burns: Vec<BurnId>,
	mints: Vec<BridgeCall>,
}

/// One direction: reads `source`, submits to `target`.
struct Direction {
	source: Connection,
	target: Connection,
	signer: Keypair,
	source_chain: ChainId,
	target_chain: ChainId,
	/// Burns below this id are known consumed on the target (or not destined to it).
	cursor: BurnId,
	label: String,
	metrics: Metrics,
	/// Burns submitted to the target and not yet finalized there (or failed).
	in_flight: Arc<Mutex<HashSet<BurnId>>>,
	/// A source header submitted to the target and not yet finalized there (or failed).
	header_in_flight: Arc<Mutex<Option<(u32, Hash)>>>,
}

fn log(label: &str, msg: impl std::fmt::Display) {
	let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
	eprintln!("{now} [tpchain-relay {label}] {msg}");
}

impl Direction {
	async fn new(
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
			label,
			metrics,
			in_flight: Default::default(),
			header_in_flight: Default::default(),
		})
	}

	fn log(&self, msg: impl std::fmt::Display) {
		log(&self.label, msg);
	}

	/// GRANDPA set id after block `number` of the source.
	async fn set_id_at(&self, number: u32) -> Result<u64, Error> {
		let hash = self
			.source
			.block_hash(number)
			.await?
			.ok_or_else(|| Error::Unexpected(format!("source has no block #{number}")))?;
		let bytes = self
			.source
			.rpc
			.state_call("GrandpaApi_current_set_id", None, Some(hash))
			.await
			.map_err(tpchain_client::sx)?;
		<u64 as codec::Decode>::decode(&mut &bytes[..]).map_err(tpchain_client::sx)
	}

	/// The finality proof of `header` from its stored justification, if the node kept one, for
	/// a light client whose newest header is #`above` (with the headers between as ancestry).
	async fn finality_call(
		&self,
		header: &Header,
		above: u32,
	) -> Result<Option<BridgeCall>, Error> {
		let Some((justification, set_id)) = self.source.justification(header).await? else {
			return Ok(None);
		};
		let ancestry = self.source.ancestry(header, above).await?;
		Ok(Some(BridgeCall::submit_finality_proof(
			self.source_chain,
			header,
			&justification,
			set_id,
			&ancestry,
		)))
	}

	/// The newest finalized source block in `above + 1 ..= upto` with a stored justification
	/// that the light client at #`above` can import (at most `MAX_FINALITY_ANCESTRY` headers
	/// between), and its finality proof.
	async fn newest_justified(
		&self,
		above: u32,
		upto: u32,
	) -> Result<Option<(Header, BridgeCall)>, Error> {
		let (finalized, _) = self.source.finalized().await?;
		let reach = above.saturating_add(MAX_FINALITY_ANCESTRY + 1);
		let mut number = finalized.min(upto).min(reach);
		while number > above {
			let hash = self
				.source
				.block_hash(number)
				.await?
				.ok_or_else(|| Error::Unexpected(format!("source has no block #{number}")))?;
			let header = self.source.header(hash).await?;
			if let Some(call) = self.finality_call(&header, above).await? {
				return Ok(Some((header, call)));
			}
			number -= 1;
		}
		Ok(None)
	}

	/// One mint per pending burn, proven against the source's state at `at`.
	async fn mint_calls(
		&self,
		pending: &[(BurnId, u32)],
		at: Hash,
	) -> Result<Vec<BridgeCall>, Error> {
		let mut calls = Vec::with_capacity(pending.len());
		for (id, _) in pending {
			let proof = self.source.burn_state_proof(*id, at).await?;
			calls.push(BridgeCall::mint_from_burn(self.source_chain, &proof));
		}
		Ok(calls)
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
		// Finalized burns towards the target, not yet consumed there.
		let totals = self.source.burn_totals(None).await?;
		let mut pending = Vec::new();
		let mut contiguous = true;
		for id in self.cursor..totals.count {
			if self.in_flight.lock().expect("not poisoned").contains(&id) {
				contiguous = false;
				continue;
			}
			let record = self.source.burn_record(id, Some(finalized_hash)).await?;
			let Some(record) = record else { break };
			let ours = record.destination == Some(self.target_chain);
			let consumed = ours && self.target.bridge_is_consumed(self.source_chain, id).await?;
			if ours && !consumed {
				pending.push((id, record.block));
				contiguous = false;
			} else if contiguous {
				self.cursor = id + 1;
			}
		}
		self.metrics.pending.with_label_values(&[&self.label]).set(pending.len() as i64);
		if cp.halted {
			self.log(format!("the target halted this bridge; {} burns wait", pending.len()));
			return Ok(false);
		}
		// Authority-set changes first, in order: later headers only verify under the new set.
		if finalized > cp.best.number && self.set_id_at(finalized).await? > cp.set_id {
			let (mut lo, mut hi) = (cp.best.number + 1, finalized);
			while lo < hi {
				let mid = lo + (hi - lo) / 2;
				if self.set_id_at(mid).await? > cp.set_id {
					hi = mid;
				} else {
					lo = mid + 1;
				}
			}
			// The change header, or a justified header on the way to it if it is out of reach.
			let (header, call) =
				self.newest_justified(cp.best.number, lo).await?.ok_or_else(|| {
					Error::Unexpected(format!(
						"no justified source header within {MAX_FINALITY_ANCESTRY} blocks of #{}",
						cp.best.number
					))
				})?;
			self.target.submit(&self.signer, &call).await?;
			self.metrics.headers.with_label_values(&[&self.label]).inc();
			self.log(format!(
				"set {} ends at #{lo}; imported header #{}",
				cp.set_id, header.number
			));
			return Ok(true);
		}

		let (target_best, _) = self.target.best().await?;
		let mut submitted = false;
		if !pending.is_empty() {
			let in_flight_header = {
				let mut h = self.header_in_flight.lock().expect("not poisoned");
				if h.is_some_and(|(n, _)| n <= cp.best.number) {
					*h = None;
				}
				*h
			};
			let plan = if cp.limits.min_header_age == 0 {
				self.plan_batched(&cp, &pending, in_flight_header).await?
			} else {
				self.plan_aged(&cp, &pending, in_flight_header, target_best).await?
			};
			submitted = self.submit_plan(plan, started).await?;
		}

		// Quarantined mints whose delay passed.
		let ready: Vec<_> = self
			.target
			.bridge_quarantine()
			.await?
			.into_iter()
			.filter(|q| q.counterparty == self.source_chain && q.release_at <= target_best)
			.collect();
		if !ready.is_empty() {
			let calls: Vec<_> =
				ready.iter().map(|q| BridgeCall::release_quarantined(q.id)).collect();
			for (q, r) in ready.iter().zip(self.target.submit_all(&self.signer, &calls).await?) {
				match r {
					Ok(_) => {
						self.log(format!("released quarantined mint {} (burn {})", q.id, q.burn_id))
					},
					Err(e) => self.log(format!("quarantined mint {} not released: {e}", q.id)),
				}
			}
			submitted = true;
		}
		Ok(submitted)
	}

	/// Without a minimum header age: prove every pending burn against the target's newest
	/// header if it holds them, else against a header on its way to the target (ahead of these
	/// mints in nonce order), else against the source's newest justified header, whose finality
	/// proof goes first in the same batch — no extra finality round on the target. A header
	/// out of reach of one import is imported alone first (a hop).
	async fn plan_batched(
		&self,
		cp: &CounterpartyJson,
		pending: &[(BurnId, u32)],
		in_flight: Option<(u32, Hash)>,
	) -> Result<Plan, Error> {
		let newest_burn = pending.iter().map(|(_, b)| *b).max().unwrap_or_default();
		let all: Vec<BurnId> = pending.iter().map(|(id, _)| *id).collect();
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
		pending: &[(BurnId, u32)],
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
	async fn submit_plan(&self, plan: Plan, started: std::time::Instant) -> Result<bool, Error> {
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
							log(&label, format!("header #{number} not imported: {e}"));
						}
						let mut h = slot.lock().expect("not poisoned");
						if *h == Some((number, hash)) {
							*h = None;
						}
					});
				},
				Err(e) => self.log(format!("header #{number} not submitted: {e}")),
			}
		}
		for (id, entry) in burns.into_iter().zip(batch) {
			match entry {
				Ok(finality) => {
					self.in_flight.lock().expect("not poisoned").insert(id);
					self.metrics.mints.with_label_values(&[&self.label]).inc();
					let (set, label) = (self.in_flight.clone(), self.label.clone());
					tokio::spawn(async move {
						match finality.await {
							Ok(block) => log(&label, format!("minted burn {id} in {block:?}")),
							Err(e) => log(&label, format!("burn {id} not minted: {e}")),
						}
						set.lock().expect("not poisoned").remove(&id);
					});
				},
				Err(e) => self.log(format!("burn {id} not submitted: {e}")),
			}
		}
		Ok(true)
	}

	async fn run(mut self, poll: Duration) {
		self.log("started");
		loop {
			match self.round().await {
				Ok(true) => continue,
				Ok(false) => {},
				Err(e) => {
					self.metrics.errors.with_label_values(&[&self.label]).inc();
					self.log(format!("round failed: {e}"));
				},
			}
			tokio::time::sleep(poll).await;
		}
	}
}

async fn serve_metrics(addr: SocketAddr, registry: Arc<Registry>) -> std::io::Result<()> {
	let listener = tokio::net::TcpListener::bind(addr).await?;
	log("metrics", format!("serving Prometheus metrics on http://{addr}/metrics"));
	loop {
		let (mut socket, _) = listener.accept().await?;
		let registry = registry.clone();
		tokio::spawn(async move {
			let mut request = [0u8; 1024];
			let _ = socket.read(&mut request).await;
			let mut body = Vec::new();
			let _ = TextEncoder::new().encode(&registry.gather(), &mut body);
			let head = format!(
				"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
				body.len()
			);
			let _ = socket.write_all(head.as_bytes()).await;
			let _ = socket.write_all(&body).await;
		});
	}
}

fn keypair(uri: &str) -> Result<Keypair, String> {
	let uri: SecretUri = uri.parse().map_err(|e| format!("bad secret URI: {e:?}"))?;
	Keypair::from_uri(&uri).map_err(|e| format!("bad secret URI: {e:?}"))
}

async fn connect(url: &str) -> Connection {
	loop {
		match Connection::connect(url).await {
			Ok(c) => return c,
			Err(e) => {
				log("connect", format!("{url}: {e}; retrying"));
				tokio::time::sleep(Duration::from_secs(2)).await;
			},
		}
	}
}

#[tokio::main]
async fn main() -> Result<(), String> {
	let args = Args::parse();
	let (signer_a, signer_b) = (keypair(&args.signer_a)?, keypair(&args.signer_b)?);
	let registry = Arc::new(Registry::new());
	let metrics = Metrics::new(&registry).map_err(|e| e.to_string())?;
	if let Some(addr) = args.prometheus {
		let registry = registry.clone();
		tokio::spawn(async move {
			if let Err(e) = serve_metrics(addr, registry).await {
				log("metrics", format!("stopped: {e}"));
			}
		});
	}
	let (a, b) = (connect(&args.a).await, connect(&args.b).await);
	let poll = Duration::from_millis(args.poll_ms);
	let a_to_b = Direction::new(a.clone(), b.clone(), signer_b, metrics.clone())
		.await
		.map_err(|e| e.to_string())?;
	let mut tasks = vec![tokio::spawn(a_to_b.run(poll))];
	if !args.one_way {
		let b_to_a = Direction::new(b, a, signer_a, metrics).await.map_err(|e| e.to_string())?;
		tasks.push(tokio::spawn(b_to_a.run(poll)));
	}
	futures::future::join_all(tasks).await;
	Ok(())
}
