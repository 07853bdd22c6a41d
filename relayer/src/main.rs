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
use metrics::Metrics;
use std::{
	net::SocketAddr,
	path::{Path, PathBuf},
	time::Duration,
};
use substrate_prometheus_endpoint::{init_prometheus, Registry};
use tpchain_client::{secret, subxt_signer::sr25519::Keypair, Connection};

#[derive(Parser, Debug, Clone)]
#[command(
	name = "tpchain-relay",
	version,
	about = "Relays finality and burn proofs between two tpchain networks",
	after_help = "Logs go to standard error through `tracing`; set RUST_LOG (e.g. \
	              RUST_LOG=relay=debug) to choose what is logged (default: info)."
)]
struct Args {
	/// WebSocket endpoint of a node of chain A.
	#[arg(long)]
	a: String,
	/// WebSocket endpoint of a node of chain B.
	#[arg(long)]
	b: String,
	/// File holding the secret URI of the account that pays for submissions on A, mode 600
	/// (else the `TPCHAIN_RELAY_SURI_A` environment variable). Secrets are never arguments.
	#[arg(long)]
	signer_a_file: Option<PathBuf>,
	/// File holding the secret URI of the account that pays for submissions on B, mode 600
	/// (else `TPCHAIN_RELAY_SURI_B`).
	#[arg(long)]
	signer_b_file: Option<PathBuf>,
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

/// Progress, through `tracing` (target `relay`, the direction or task as `label`).
pub(crate) fn log(label: &str, msg: impl std::fmt::Display) {
	tracing::info!(target: "relay", label, "{msg}");
}

/// Something that failed and will be retried.
pub(crate) fn warn(label: &str, msg: impl std::fmt::Display) {
	tracing::warn!(target: "relay", label, "{msg}");
}

fn keypair(file: Option<&Path>, env: &str, what: &str) -> Result<Keypair, String> {
	secret::signer_with(file, env, what).map_err(|e| e.to_string())
}

async fn connect(url: &str) -> Connection {
	loop {
		match Connection::connect(url).await {
			Ok(c) => return c,
			Err(e) => {
				warn("connect", format!("{url}: {e}; retrying"));
				tokio::time::sleep(Duration::from_secs(2)).await;
			},
		}
	}
}

#[tokio::main]
async fn main() -> Result<(), String> {
	let args = Args::parse();
	tracing_subscriber::fmt()
		.with_env_filter(
			tracing_subscriber::EnvFilter::try_from_default_env()
				.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
		)
		.with_writer(std::io::stderr)
		.init();
	let signer_a =
		keypair(args.signer_a_file.as_deref(), "TPCHAIN_RELAY_SURI_A", "the signer on A")?;
	let signer_b =
		keypair(args.signer_b_file.as_deref(), "TPCHAIN_RELAY_SURI_B", "the signer on B")?;
	let registry = Registry::new();
	let metrics = Metrics::new(&registry).map_err(|e| e.to_string())?;
	if let Some(addr) = args.prometheus {
		let registry = registry.clone();
		log("metrics", format!("serving Prometheus metrics on http://{addr}/metrics"));
		tokio::spawn(async move {
			if let Err(e) = init_prometheus(addr, registry).await {
				warn("metrics", format!("stopped: {e}"));
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
