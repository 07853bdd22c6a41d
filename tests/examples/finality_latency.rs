//! Submission-to-finalization latency of transfers on a fresh `--dev` node (see
//! `scripts/bench-finality`). Prints p50, p90, p99 and max.

use std::time::{Duration, Instant};
use tpchain_e2e::{
	account,
	client::{
		api,
		subxt::{transactions::TransactionStatus, utils::MultiAddress},
		UNIT,
	},
	keypair, wait_finalized, Node, NodeConfig,
};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
	let idx = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
	sorted[idx]
}

#[tokio::main]
async fn main() {
	let n: usize = std::env::args().nth(1).map(|a| a.parse().expect("count")).unwrap_or(50);
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start(NodeConfig::dev(dir.path())).await;
	let conn = node.connect().await;
	wait_finalized(&conn, 2, Duration::from_secs(30)).await;

	let alice = keypair("//Alice");
	let dest = account(&keypair("//BenchDest"));
	let mut latencies = Vec::with_capacity(n);
	for i in 0..n {
		let call = api::transactions().balances().transfer_keep_alive(MultiAddress::Id(dest), UNIT);
		let mut txs = conn.api.at_current_block().await.unwrap().transactions();
		let tx = txs.create_signed(&call, &alice, Default::default()).await.unwrap();
		let start = Instant::now();
		let mut progress = tx.submit_and_watch().await.unwrap();
		loop {
			match progress.next().await.expect("status stream ended").unwrap() {
				TransactionStatus::InFinalizedBlock(_) => break,
				TransactionStatus::Error { message }
				| TransactionStatus::Invalid { message }
				| TransactionStatus::Dropped { message } => panic!("transfer {i}: {message}"),
				_ => {},
			}
		}
		latencies.push(start.elapsed());
		eprint!("\r{}/{n}", i + 1);
	}
	eprintln!();
	latencies.sort();
	let ms = |d: Duration| d.as_millis();
	println!(
		"submit -> finalized over {n} transfers: p50 {} ms, p90 {} ms, p99 {} ms, max {} ms",
		ms(percentile(&latencies, 0.50)),
		ms(percentile(&latencies, 0.90)),
		ms(percentile(&latencies, 0.99)),
		ms(*latencies.last().unwrap()),
	);
}
