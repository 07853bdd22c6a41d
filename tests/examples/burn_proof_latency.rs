//! `burn_getProof` latency and bundle size on a four-validator network whose state holds
//! 100,000 burn records (see `scripts/bench-burn-proof`).
//!
//! The records are written into the raw genesis of the `local` spec (with consistent totals,
//! so the pallet's invariants hold), the four validators start, and once a block is finalized
//! the tool asks one node for proofs of random burn ids, verifying every bundle against the
//! authority set. Prints p50/p99/max latency and the bundle size.

use codec::Encode;
use std::{
	process::Command,
	time::{Duration, Instant},
};
use tpchain_e2e::{
	client::{burn::parse_bundle, Connection},
	node_binary, start_local_network, wait_finalized,
};
use tpchain_primitives::{
	burn::{burn_record_key, verify_burn_proof, TpchainBurnRecord, PALLET_PREFIX},
	AccountId, Balance, ChainId,
};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
	let idx = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
	sorted[idx]
}

fn value_key(item: &str) -> Vec<u8> {
	[sp_crypto_hashing::twox_128(PALLET_PREFIX), sp_crypto_hashing::twox_128(item.as_bytes())]
		.concat()
}

fn map_key(item: &str, key: &[u8]) -> Vec<u8> {
	[value_key(item), sp_crypto_hashing::blake2_128(key).to_vec(), key.to_vec()].concat()
}

fn hex0x(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

/// The raw `local` spec with `count` burns by one account towards chain 2.
fn spec_with_records(count: u64) -> serde_json::Value {
	let out = Command::new(node_binary())
		.args(["build-spec", "--chain", "local", "--raw", "--disable-default-bootnode"])
		.output()
		.expect("build-spec");
	assert!(out.status.success(), "build-spec failed");
	let mut spec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	let top = spec["genesis"]["raw"]["top"].as_object_mut().expect("raw genesis");
	let burner = AccountId::new([7u8; 32]);
	let amount: Balance = 1_000_000_000_000;
	for id in 0..count {
		let record = TpchainBurnRecord {
			id,
			burner: burner.clone(),
			amount,
			destination: Some(ChainId(2)),
			beneficiary: vec![0xbe; 32].try_into().unwrap(),
			reference: format!("INV-{id:08}").into_bytes().try_into().unwrap(),
			block: 0,
		};
		top.insert(hex0x(&burn_record_key(id)), hex0x(&record.encode()).into());
	}
	let total = amount * count as u128;
	top.insert(hex0x(&value_key("NextBurnId")), hex0x(&count.encode()).into());
	top.insert(hex0x(&value_key("TotalBurned")), hex0x(&total.encode()).into());
	top.insert(hex0x(&map_key("BurnedTo", &ChainId(2).encode())), hex0x(&total.encode()).into());
	top.insert(hex0x(&map_key("BurnedBy", &burner.encode())), hex0x(&total.encode()).into());
	spec
}

#[tokio::main]
async fn main() {
	let records: u64 =
		std::env::args().nth(1).map(|a| a.parse().expect("records")).unwrap_or(100_000);
	let queries: usize =
		std::env::args().nth(2).map(|a| a.parse().expect("queries")).unwrap_or(1_000);
	let dir = tempfile::tempdir().unwrap();
	let spec_path = dir.path().join("spec.json");
	std::fs::write(&spec_path, serde_json::to_vec(&spec_with_records(records)).unwrap()).unwrap();

	let nodes = start_local_network(dir.path(), spec_path.to_str().unwrap()).await;
	let conn: Connection = nodes[0].connect().await;
	wait_finalized(&conn, 3, Duration::from_secs(120)).await;
	let set = conn.authority_set().await.expect("authority set");
	assert_eq!(set.authorities.len(), 4);
	assert_eq!(conn.burn_totals(None).await.unwrap().count, records);

	// Cheap deterministic spread over all ids (no rand dependency).
	let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
	let mut latencies = Vec::with_capacity(queries);
	let mut sizes = Vec::with_capacity(queries);
	for _ in 0..queries {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		let id = x % records;
		let start = Instant::now();
		let proof = conn.burn_proof(id).await.expect("proof");
		latencies.push(start.elapsed());
		let bundle = parse_bundle(&serde_json::to_string(&proof).unwrap()).unwrap();
		let verified = verify_burn_proof(&bundle, &set).expect("bundle verifies");
		assert_eq!(verified.record.id, id);
		sizes.push(proof.bundle.0.len());
	}
	latencies.sort();
	sizes.sort();
	let ms = |d: Duration| d.as_secs_f64() * 1000.0;
	println!("records in state     {records}");
	println!("validators           {}", set.authorities.len());
	println!("queries              {queries} (sequential, one WebSocket connection)");
	println!("latency p50          {:.2} ms", ms(percentile(&latencies, 0.50)));
	println!("latency p99          {:.2} ms", ms(percentile(&latencies, 0.99)));
	println!("latency max          {:.2} ms", ms(*latencies.last().unwrap()));
	println!(
		"bundle size          min {} / median {} / max {} bytes",
		sizes[0],
		sizes[sizes.len() / 2],
		sizes.last().unwrap()
	);
}
