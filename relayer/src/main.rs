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
//!
//! Modules: `direction` (one direction's loop and round), `scan` (pending burns), `headers`
//! (finality proofs, set changes), `minting` (what to prove against, batches), `quarantine`
//! (releases), `metrics` (Prometheus).

mod direction;
mod headers;
mod metrics;
mod minting;
mod quarantine;
mod scan;

use clap::Parser;
use direction::Direction;
use metrics::{serve_metrics, Metrics};
use prometheus::Registry;
use std::{net::SocketAddr, sync::Arc, time::Duration};
use tpchain_client::{
	subxt_signer::{sr25519::Keypair, SecretUri},
	Connection,
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

pub(crate) fn log(label: &str, msg: impl std::fmt::Display) {
	let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
	eprintln!("{now} [tpchain-relay {label}] {msg}");
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
