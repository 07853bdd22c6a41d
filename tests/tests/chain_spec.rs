//! `chain-specs/make-spec` turns an operator list into a raw spec that real nodes boot from.

use std::{path::Path, process::Command, time::Duration};
use tpchain_e2e::{
	account, client::api, free_port, keypair, node_binary, wait_best, wait_finalized, Node,
	NodeConfig,
};

fn repo() -> &'static Path {
	Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn make_spec(operators: &Path, out: &Path) -> std::process::Output {
	Command::new("python3")
		.arg(repo().join("chain-specs/make-spec"))
		.arg(operators)
		.arg(out)
		.arg("--node")
		.arg(node_binary())
		.output()
		.unwrap()
}

#[tokio::test]
async fn operator_list_becomes_a_bootable_raw_spec_governed_by_its_entities() {
	let dir = tempfile::tempdir().unwrap();
	let out = make_spec(&repo().join("chain-specs/operators.example.json"), dir.path());
	assert!(out.status.success(), "make-spec failed: {}", String::from_utf8_lossy(&out.stderr));
	let raw = dir.path().join("tpchain_example.raw.json");
	let spec: serde_json::Value = serde_json::from_slice(&std::fs::read(&raw).unwrap()).unwrap();
	assert!(spec["genesis"]["raw"]["top"].is_object(), "raw storage");

	// Both example operators validate (Alice's and Bob's dev keys): GRANDPA needs both.
	let mut configs = Vec::new();
	for name in ["alice", "bob"] {
		configs.push(NodeConfig {
			args: vec![
				"--chain".into(),
				raw.to_str().unwrap().into(),
				format!("--{name}"),
				"--validator".into(),
			],
			base_path: dir.path().join(name),
			name: name.into(),
			rpc_port: free_port(),
			p2p_port: free_port(),
		});
	}
	// Live chains refuse to invent a node key: each operator generates and keeps one.
	configs[0].args.extend(["--node-key".into(), format!("{:064x}", 7)]);
	configs[1].args.extend(["--node-key".into(), format!("{:064x}", 8)]);
	let alice = Node::start(configs[0].clone()).await;
	let peer = String::from_utf8(
		Command::new(node_binary())
			.args(["key", "inspect-node-key", "--file"])
			.arg({
				let f = dir.path().join("alice.key");
				std::fs::write(&f, format!("{:064x}", 7)).unwrap();
				f
			})
			.output()
			.unwrap()
			.stdout,
	)
	.unwrap();
	let alice_p2p = configs[0].p2p_port;
	configs[1].args.extend([
		"--bootnodes".into(),
		format!("/ip4/127.0.0.1/tcp/{alice_p2p}/p2p/{}", peer.trim()),
	]);
	let _bob = Node::start(configs[1].clone()).await;

	let conn = alice.connect().await;
	assert_eq!(conn.rpc.system_chain().await.unwrap(), "tpchain example network");
	wait_best(&conn, 4, Duration::from_secs(60)).await;
	wait_finalized(&conn, 3, Duration::from_secs(60)).await;

	// Genesis as listed: the two licensed entities with their details, validators and nodes.
	let at = conn.api.at_block(conn.block_hash(0).await.unwrap().unwrap()).await.unwrap();
	let entities = conn.operators().await.unwrap();
	assert_eq!(entities.len(), 2);
	assert_eq!(entities[0].legal_name, "Example Settlement Operator A Ltd");
	assert_eq!(entities[1].jurisdiction, "Singapore");
	assert_eq!(entities[0].peer_id, peer.trim(), "Alice's node key is entity A's node");
	assert!(entities.iter().all(|e| e.validating && e.has_session_keys));
	let tracks: serde_json::Value = conn
		.raw
		.request(
			"governance_listTracks",
			tpchain_e2e::client::subxt::rpcs::rpc_params![Option::<String>::None],
		)
		.await
		.unwrap();
	assert_eq!(tracks[0][0], "runtimeUpgrade");
	assert_eq!(tracks[0][1]["approval"], serde_json::json!({"num": 2, "den": 3, "strict": false}));
	assert_eq!(tracks[3][1]["votingPeriod"], 5);
	let genesis = conn.block_hash(0).await.unwrap();
	assert_eq!(
		conn.free_balance(&account(&keypair("//Charlie")), genesis).await.unwrap(),
		500_000_000_000_000
	);
	assert_eq!(
		conn.free_balance(&account(&keypair("//Alice")), genesis).await.unwrap(),
		1_000_000_000_000_000
	);
	assert_eq!(conn.free_balance(&account(&keypair("//Dave")), genesis).await.unwrap(), 0);

	// The network's ChainId, burn destinations and approval threshold come from the list.
	assert_eq!(conn.authority_set().await.unwrap().chain_id.map(|c| c.0), Some(7));
	let props = conn.rpc.system_properties().await.unwrap();
	assert_eq!(props.get("chainId").and_then(|v| v.as_u64()), Some(7));
	let threshold =
		at.storage().entry(api::storage().burn_proofs().large_burn_threshold()).unwrap();
	assert_eq!(
		threshold.try_fetch(()).await.unwrap().map(|v| v.decode().unwrap()),
		Some(100_000_000_000_000_000u128)
	);
	let dests = at.storage().entry(api::storage().burn_proofs().destinations()).unwrap();
	let dests = dests.fetch(()).await.unwrap().decode().unwrap();
	assert_eq!(dests.0.iter().map(|c| c.0).collect::<Vec<_>>(), vec![8]);
}

#[test]
fn make_spec_rejects_a_chain_that_is_its_own_destination() {
	let dir = tempfile::tempdir().unwrap();
	let mut list: serde_json::Value = serde_json::from_slice(
		&std::fs::read(repo().join("chain-specs/operators.example.json")).unwrap(),
	)
	.unwrap();
	assert_eq!(list["chain_id"], 7);
	list["destinations"] = serde_json::json!([7]);
	let ops = dir.path().join("operators.json");
	std::fs::write(&ops, serde_json::to_vec(&list).unwrap()).unwrap();
	let out = make_spec(&ops, &dir.path().join("out"));
	assert!(!out.status.success());
	assert!(String::from_utf8_lossy(&out.stderr).contains("own destination"));
	assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn make_spec_rejects_a_corrupt_key_and_writes_nothing() {
	let dir = tempfile::tempdir().unwrap();
	let example =
		std::fs::read_to_string(repo().join("chain-specs/operators.example.json")).unwrap();
	// Change one character of Bob's GRANDPA key: the SS58 checksum no longer matches.
	let bad = example.replace(
		"5GoNkf6WdbxCFnPdAnYYQyCjAKPJgLNxXwPjwTh6DGg6gN3E",
		"5GoNkf6WdbxCFnPdAnYYQyCjAKPJgLNxXwPjwTh6DGg6gN3F",
	);
	assert_ne!(bad, example);
	let ops = dir.path().join("operators.json");
	std::fs::write(&ops, bad).unwrap();
	let out_dir = dir.path().join("out");
	let out = make_spec(&ops, &out_dir);
	assert!(!out.status.success());
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("bad SS58 checksum"), "stderr: {stderr}");
	assert!(!out_dir.exists(), "nothing written");
}

/// The shipped defaults leave a parameters-track ratification time to enact before an
/// emergency effect expires; a list where it would land too late is refused.
#[test]
fn make_spec_refuses_tracks_under_which_ratification_comes_too_late() {
	let dir = tempfile::tempdir().unwrap();
	let mut list: serde_json::Value = serde_json::from_slice(
		&std::fs::read(repo().join("chain-specs/operators.example.json")).unwrap(),
	)
	.unwrap();
	// The shipped defaults: 1 day of voting, 1 h of enactment, 3 days of emergency.
	list.as_object_mut().unwrap().remove("governance");
	let ops = dir.path().join("defaults.json");
	std::fs::write(&ops, serde_json::to_vec(&list).unwrap()).unwrap();
	let out = make_spec(&ops, &dir.path().join("defaults"));
	assert!(out.status.success(), "defaults refused: {}", String::from_utf8_lossy(&out.stderr));
	let plain: serde_json::Value = serde_json::from_slice(
		&std::fs::read(
			dir.path()
				.join("defaults")
				.join(format!("{}.plain.json", list["id"].as_str().unwrap())),
		)
		.unwrap(),
	)
	.unwrap();
	let gov = &plain["genesis"]["runtimeGenesis"]["patch"]["governance"];
	let parameters =
		gov["tracks"].as_array().unwrap().iter().find(|t| t[0] == "parameters").unwrap()[1].clone();
	let decision = parameters["votingPeriod"].as_u64().unwrap()
		+ parameters["enactmentDelay"].as_u64().unwrap().max(1);
	assert!(decision < gov["emergencyPeriod"].as_u64().unwrap(), "{gov}");

	// The old default: a day of emergency, shorter than a day's vote and an hour's delay.
	list["governance"] = serde_json::json!({ "emergency_period": 43200 });
	std::fs::write(&ops, serde_json::to_vec(&list).unwrap()).unwrap();
	let out = make_spec(&ops, &dir.path().join("late"));
	assert!(!out.status.success());
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("would expire before they can be ratified"), "{stderr}");
	assert!(!dir.path().join("late").exists(), "nothing written");
}
