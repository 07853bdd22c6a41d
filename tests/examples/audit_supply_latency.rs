//! `audit_supply` latency on a `--dev` chain with many accounts, some of them holding funds
//! (see `scripts/bench-audit-supply`).
//!
//! The accounts are endowed through the `dev` spec's genesis patch (so `pallet-balances`
//! builds them); then, in the raw genesis, part of the balance of the first HOLDERS accounts is
//! moved from free to an `Escrow.Escrow` hold (the issuance is unchanged). The report reads the
//! holds and freezes, never every account: this measures what that costs. Prints p50/p99/max.

use codec::{Decode, Encode};
use std::{
	process::Command,
	time::{Duration, Instant},
};
use tpchain_e2e::{
	client::{subxt::utils::AccountId32, Connection},
	node_binary, wait_finalized, Node, NodeConfig,
};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
	let idx = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
	sorted[idx]
}

fn prefix(pallet: &str, item: &str) -> Vec<u8> {
	[sp_crypto_hashing::twox_128(pallet.as_bytes()), sp_crypto_hashing::twox_128(item.as_bytes())]
		.concat()
}

fn blake2_128_concat(key: &[u8]) -> Vec<u8> {
	[sp_crypto_hashing::blake2_128(key).as_slice(), key].concat()
}

fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

fn account(i: u64) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(&i.to_le_bytes())
}

/// `frame_system::AccountInfo<u32, pallet_balances::AccountData<u128>>`.
#[derive(Encode, Decode)]
struct AccountInfo {
	nonce: u32,
	consumers: u32,
	providers: u32,
	sufficients: u32,
	free: u128,
	reserved: u128,
	frozen: u128,
	flags: u128,
}

fn run(args: &[&str]) -> Vec<u8> {
	let out = Command::new(node_binary()).args(args).output().expect("tpchain-node");
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	out.stdout
}

/// The raw `dev` spec with `accounts` more accounts, the first `holders` holding 1 TPC each.
fn spec(dir: &std::path::Path, accounts: u64, holders: u64) -> std::path::PathBuf {
	const UNIT: u128 = 1_000_000_000_000;
	let mut spec: serde_json::Value =
		serde_json::from_slice(&run(&["build-spec", "--chain", "dev"])).unwrap();
	let balances = spec["genesis"]["runtimeGenesis"]["patch"]["balances"]["balances"]
		.as_array_mut()
		.expect("balances in the dev patch");
	for i in 0..accounts {
		balances.push(serde_json::json!([AccountId32(account(i)).to_string(), 10 * UNIT]));
	}
	let plain = dir.join("plain.json");
	std::fs::write(&plain, serde_json::to_vec(&spec).unwrap()).unwrap();
	let mut raw: serde_json::Value =
		serde_json::from_slice(&run(&["build-spec", "--chain", plain.to_str().unwrap(), "--raw"]))
			.unwrap();
	let top = raw["genesis"]["raw"]["top"].as_object_mut().expect("raw genesis");
	// RuntimeHoldReason::Escrow(HoldReason::Escrow): pallet index 32, variant 0.
	let reason = [32u8, 0];
	for i in 0..holders {
		let who = account(i);
		let key = hex0x(&[prefix("System", "Account"), blake2_128_concat(&who)].concat());
		let value = top.get(&key).and_then(|v| v.as_str()).expect("account in genesis");
		let mut info = AccountInfo::decode(&mut &hex::decode(&value[2..]).unwrap()[..]).unwrap();
		info.free -= UNIT;
		info.reserved += UNIT;
		info.consumers += 1;
		top.insert(key, hex0x(&info.encode()).into());
		let holds = vec![(reason, UNIT)];
		let holds_key = [prefix("Balances", "Holds"), blake2_128_concat(&who)].concat();
		top.insert(hex0x(&holds_key), hex0x(&holds.encode()).into());
	}
	let path = dir.join("raw.json");
	std::fs::write(&path, serde_json::to_vec(&raw).unwrap()).unwrap();
	path
}

#[tokio::main]
async fn main() {
	let arg = |i: usize, default: u64| -> u64 {
		std::env::args().nth(i).map(|a| a.parse().expect("a number")).unwrap_or(default)
	};
	let (accounts, holders, queries) = (arg(1, 100_000), arg(2, 10_000), arg(3, 500) as usize);
	let dir = tempfile::tempdir().unwrap();
	let spec = spec(dir.path(), accounts, holders);
	let mut config = NodeConfig::dev(&dir.path().join("node"));
	config.args = [
		"--chain",
		spec.to_str().unwrap(),
		"--alice",
		"--validator",
		"--force-authoring",
		"--unsafe-force-node-key-generation",
	]
	.map(String::from)
	.to_vec();
	let node = Node::start(config).await;
	let conn: Connection = node.connect().await;
	wait_finalized(&conn, 2, Duration::from_secs(300)).await;

	let first = conn.audit_supply(None).await.expect("audit_getSupply");
	assert!(first.reconciled, "{first:?}");
	let held = first.held.iter().find(|p| p.name == "Escrow.Escrow").map(|p| p.amount.clone());
	let expected = (holders > 0).then(|| (u128::from(holders) * 1_000_000_000_000).to_string());
	assert_eq!(held, expected);
	let mut latencies = Vec::with_capacity(queries);
	for _ in 0..queries {
		let start = Instant::now();
		let report = conn.audit_supply(None).await.expect("audit_getSupply");
		latencies.push(start.elapsed());
		assert!(report.reconciled);
	}
	latencies.sort();
	let ms = |d: Duration| d.as_secs_f64() * 1000.0;
	println!("accounts in state    {} (+ the dev chain's 14)", accounts);
	println!("accounts with a hold {holders}");
	println!("queries              {queries} (sequential, one WebSocket connection, best block)");
	println!("latency p50          {:.2} ms", ms(percentile(&latencies, 0.50)));
	println!("latency p99          {:.2} ms", ms(percentile(&latencies, 0.99)));
	println!("latency max          {:.2} ms", ms(*latencies.last().unwrap()));
}
