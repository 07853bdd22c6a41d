//! `tpchain-load` against a real `--dev` node with a mixed load (transfers, burns, escrows
//! created and released): every transaction is finalized and succeeded, the report's counts
//! agree with the chain, and bad arguments are refused.

use std::{process::Command, time::Duration};
use tpchain_e2e::{load_binary, wait_finalized, Node, NodeConfig};

#[tokio::test(flavor = "multi_thread")]
async fn load_tool_finalizes_a_mixed_load_and_reports_it() {
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start(NodeConfig::dev(dir.path())).await;
	let conn = node.connect().await;
	wait_finalized(&conn, 1, Duration::from_secs(60)).await;
	let (_, before) = conn.finalized().await.unwrap();
	let issuance_before = conn.total_issuance(Some(before)).await.unwrap();
	let burns_before = conn.burn_totals(None).await.unwrap().count;

	let json = dir.path().join("load.json");
	let out = tokio::task::spawn_blocking({
		let (url, json) = (node.config.ws_url(), json.clone());
		move || {
			Command::new(load_binary())
				.args(["--url", &url, "--accounts", "50", "--rate", "100", "--duration", "8"])
				.args(["--burn-percent", "10", "--escrow-percent", "20"])
				.args(["--drain", "60", "--label", "e2e", "--json"])
				.arg(&json)
				.output()
				.expect("run tpchain-load")
		}
	})
	.await
	.unwrap();
	let stdout = String::from_utf8_lossy(&out.stdout);
	assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
	assert!(stdout.contains("submit→finalized"), "table printed: {stdout}");

	let r: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
	let submitted = r["submitted"].as_u64().unwrap();
	let kinds: std::collections::BTreeMap<String, (u64, u64, u64)> = r["kinds"]
		.as_array()
		.unwrap()
		.iter()
		.map(|k| {
			let n = |f: &str| k[f].as_u64().unwrap();
			(k["kind"].as_str().unwrap().to_string(), (n("submitted"), n("finalized"), n("failed")))
		})
		.collect();
	let presigned = submitted - kinds["escrow_release"].0;
	assert!((700..=800).contains(&presigned), "about 100/s for 8 s: {presigned}");
	let (burns, creates) = (kinds["burn"].0, kinds["escrow_create"].0);
	// The tool's spread: residue `k * 37 % 100` below 10 burns, below 30 creates an escrow.
	let of = |range: std::ops::Range<u64>| {
		(0..presigned).filter(|k| range.contains(&(k * 37 % 100))).count() as u64
	};
	assert_eq!(burns, of(0..10), "one in ten is a burn: {kinds:?}");
	assert_eq!(creates, of(10..30), "one in five creates an escrow: {kinds:?}");
	assert_eq!(kinds["escrow_release"].0, creates, "each escrow released once");
	assert!(kinds.values().all(|(s, f, failed)| s == f && *failed == 0), "{kinds:?}");
	assert_eq!(r["accepted"], submitted);
	assert_eq!(r["finalized"], submitted, "every transaction finalized");
	assert_eq!((r["rejected"].as_u64(), r["dropped"].as_u64()), (Some(0), Some(0)));
	assert_eq!((r["failed"].as_u64(), r["in_pool_at_end"].as_u64()), (Some(0), Some(0)));
	let p50 = r["submit_to_finalized"]["p50_ms"].as_u64().unwrap();
	let p99 = r["submit_to_finalized"]["p99_ms"].as_u64().unwrap();
	assert!(p50 > 0 && p50 <= p99, "latency percentiles ordered: {p50} {p99}");
	assert!(
		r["submit_to_included"]["p50_ms"].as_u64().unwrap() <= p50,
		"inclusion precedes finality"
	);
	// The per-block counts add up to the transfers, and each block carried some.
	let blocks = r["per_block"].as_array().unwrap();
	let in_blocks: u64 = blocks.iter().map(|b| b["ours"].as_u64().unwrap()).sum();
	assert_eq!(in_blocks, submitted);
	assert!(blocks.iter().all(|b| b["weight_percent"].as_f64().unwrap() > 0.0));

	// On chain: the ring moved balances around, so only fees (burned) changed total issuance;
	// each sender's nonce went up by its share of the transfers.
	let (_, after) = conn.finalized().await.unwrap();
	let issuance_after = conn.total_issuance(Some(after)).await.unwrap();
	assert!(issuance_after < issuance_before, "fees are burned");
	assert_eq!(conn.burn_totals(None).await.unwrap().count, burns_before + burns);
	assert_eq!(conn.escrow_total_held(Some(after)).await.unwrap(), 0, "every escrow released");
	let sender = tpchain_e2e::account(&tpchain_e2e::keypair("//load/0"));
	let nonce = conn.rpc.system_account_next_index(&sender).await.unwrap();
	assert_eq!(nonce, presigned.div_ceil(50), "account 0 sent every 50th transaction");
}

#[test]
fn load_tool_rejects_bad_arguments() {
	let out = Command::new(load_binary()).args(["--accounts", "1"]).output().unwrap();
	assert!(!out.status.success());
	assert!(String::from_utf8_lossy(&out.stderr).contains("at least 2 accounts"));
	let out = Command::new(load_binary())
		.args(["--burn-percent", "60", "--escrow-percent", "50"])
		.output()
		.unwrap();
	assert!(!out.status.success());
	assert!(String::from_utf8_lossy(&out.stderr).contains("more than 100"));
}
