//! Latency of the bridge: a `--dev` chain A (chain id 1) and a `dev-b` chain B (chain id 2),
//! B's governance registers A's light client, `tpchain-relay` relays A → B. N burns on A (one
//! per second, default 100), each timed from submission on A to its finalization on A (A's
//! finality period) and to the mint on B (the beneficiary's balance in B's best block). Prints
//! p50 / p99 of both and their ratio (see `scripts/bench-bridge`). With `xcm` as second
//! argument each transfer is `PolkadotXcm::transfer_assets` (XCM over the bridge) instead of a
//! burn, timed to the beneficiary's first balance on B (the amount less B's execution fee).

use std::{
	process::{Command, Stdio},
	sync::Arc,
	time::{Duration, Instant},
};
use tokio::sync::Mutex;
use tpchain_e2e::{
	account,
	client::{
		api,
		subxt::{config::DefaultExtrinsicParamsBuilder, transactions::TransactionStatus},
		xcm::XcmCall,
		TpchainConfig, UNIT,
	},
	keypair, register_counterparty, relay_binary, start_dev_pair,
};
use tpchain_primitives::{bridge::BridgeLimits, ChainId};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
	let idx = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
	sorted[idx]
}

/// The relayer's log: `$RELAY_LOG` if set (kept for analysis), else in the run's temp dir.
fn relay_log(dir: &std::path::Path) -> std::path::PathBuf {
	std::env::var_os("RELAY_LOG").map_or_else(|| dir.join("relay.log"), Into::into)
}

#[tokio::main]
async fn main() {
	let n: usize = std::env::args().nth(1).map(|a| a.parse().expect("count")).unwrap_or(100);
	let xcm = match std::env::args().nth(2).as_deref() {
		None | Some("burn") => false,
		Some("xcm") => true,
		Some(other) => panic!("mode {other:?}: burn or xcm"),
	};
	let what = if xcm { "XCM transfers" } else { "burns" };
	let dir = tempfile::tempdir().unwrap();
	let (a_node, b_node, a, b) = start_dev_pair(dir.path()).await;
	let alice = keypair("//Alice");

	// B registers A (Alice is B's only entity).
	let limits = BridgeLimits {
		max_transfer: 1_000 * UNIT,
		window: 10,
		window_limit: 1_000_000 * UNIT,
		quarantine_threshold: 1_000 * UNIT,
		quarantine_delay: 0,
		header_threshold: u128::MAX,
		min_header_age: 0,
	};
	let p = register_counterparty(&b, &[&alice], &a, ChainId(1), &limits).await;
	assert_eq!(p.ok, Some(true), "{p:?}");

	let mut relay = Command::new(relay_binary())
		.args(["--a", &a_node.config.ws_url(), "--b", &b_node.config.ws_url(), "--one-way"])
		.env("TPCHAIN_RELAY_SURI_A", "//Ferdie")
		.env("TPCHAIN_RELAY_SURI_B", "//Ferdie")
		.args(["--poll-ms", "200"])
		.stdout(Stdio::null())
		.stderr(Stdio::from(std::fs::File::create(relay_log(dir.path())).unwrap()))
		.spawn()
		.expect("spawn tpchain-relay");

	let results = Arc::new(Mutex::new(Vec::with_capacity(n)));
	let first_nonce = a.rpc.system_account_next_index(&account(&alice)).await.unwrap();
	let mut tasks = Vec::new();
	for i in 0..n {
		let to = account(&keypair(&format!("//BridgeLatency{i}")));
		let params = DefaultExtrinsicParamsBuilder::<TpchainConfig>::new()
			.nonce(first_nonce + i as u64)
			.build();
		let mut txs = a.api.at_current_block().await.unwrap().transactions();
		let tx = if xcm {
			let call = XcmCall::transfer_to_chain(ChainId(2), &to, UNIT);
			txs.create_signed(&call, &alice, params).await.unwrap()
		} else {
			let call = api::transactions().burn_proofs().burn(
				UNIT,
				Some(api::runtime_types::tpchain_primitives::ChainId(2)),
				to.0.to_vec(),
				b"latency".to_vec(),
			);
			txs.create_signed(&call, &alice, params).await.unwrap()
		};
		let start = Instant::now();
		let mut progress = tx.submit_and_watch().await.unwrap();
		let (b, results) = (b.clone(), results.clone());
		tasks.push(tokio::spawn(async move {
			let finalized_on_a = loop {
				match progress.next().await.expect("status stream ended").unwrap() {
					TransactionStatus::InFinalizedBlock(_) => break start.elapsed(),
					TransactionStatus::Error { message }
					| TransactionStatus::Invalid { message }
					| TransactionStatus::Dropped { message } => panic!("burn {i}: {message}"),
					_ => {},
				}
			};
			loop {
				let balance = b.free_balance(&to, None).await.unwrap_or(0);
				if (xcm && balance > 0) || balance == UNIT {
					break;
				}
				assert!(start.elapsed() < Duration::from_secs(120), "burn {i} not minted");
				tokio::time::sleep(Duration::from_millis(100)).await;
			}
			results.lock().await.push((finalized_on_a, start.elapsed()));
			eprint!(".");
		}));
		tokio::time::sleep(Duration::from_secs(1)).await;
	}
	for t in tasks {
		t.await.unwrap();
	}
	eprintln!();
	let _ = relay.kill();
	let _ = relay.wait();

	let results = results.lock().await;
	let mut finality: Vec<_> = results.iter().map(|r| r.0).collect();
	let mut minted: Vec<_> = results.iter().map(|r| r.1).collect();
	finality.sort();
	minted.sort();
	let ms = |d: Duration| d.as_millis();
	let (f50, m50) = (percentile(&finality, 0.5), percentile(&minted, 0.5));
	println!(
		"{n} {what}, one per second: A's finality (submit -> finalized on A) p50 {} ms, p99 {} ms; \
		 sent on A -> minted on B p50 {} ms, p99 {} ms, max {} ms; p50 = {:.2} finality periods of A",
		ms(f50),
		ms(percentile(&finality, 0.99)),
		ms(m50),
		ms(percentile(&minted, 0.99)),
		ms(*minted.last().unwrap()),
		m50.as_secs_f64() / f50.as_secs_f64(),
	);
}
