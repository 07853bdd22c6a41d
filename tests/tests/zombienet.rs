//! `zombienet/local.toml` starts nodes the `local` preset admits: their node keys give the peer
//! ids of the preset's operator registry, and nodes started exactly as it says peer.

use std::{
	path::Path,
	process::{Child, Command, Stdio},
	time::Duration,
};
use tpchain_client::{subxt::rpcs::rpc_params, Connection};
use tpchain_e2e::{free_port, node_binary, wait_until};

/// Each node's `command_with_args`, split into words.
fn commands() -> Vec<Vec<String>> {
	let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../zombienet/local.toml");
	std::fs::read_to_string(path)
		.unwrap()
		.lines()
		.filter_map(|l| l.trim().strip_prefix("command_with_args = "))
		.map(|c| c.trim_matches('"').split_whitespace().map(String::from).collect())
		.collect()
}

fn value_after<'a>(words: &'a [String], flag: &str) -> Option<&'a str> {
	words.iter().position(|w| w == flag).map(|i| words[i + 1].as_str())
}

fn peer_id(node_key: &str) -> String {
	let dir = tempfile::tempdir().unwrap();
	let file = dir.path().join("key");
	std::fs::write(&file, node_key).unwrap();
	let out = Command::new(node_binary())
		.args(["key", "inspect-node-key", "--file"])
		.arg(&file)
		.output()
		.unwrap();
	assert!(out.status.success());
	String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn admitted_peer_ids() -> Vec<String> {
	let out = Command::new(node_binary())
		.args(["build-spec", "--chain", "local"])
		.stderr(Stdio::null())
		.output()
		.unwrap();
	let spec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	spec["genesis"]["runtimeGenesis"]["patch"]["operators"]["entities"]
		.as_array()
		.unwrap()
		.iter()
		.map(|e| e["peerId"].as_str().unwrap().to_string())
		.collect()
}

#[test]
fn zombienet_definition_uses_the_admitted_node_keys() {
	let commands = commands();
	assert_eq!(commands.len(), 4, "four validators");
	let admitted = admitted_peer_ids();
	let peers: Vec<String> =
		commands.iter().map(|c| peer_id(value_after(c, "--node-key").unwrap())).collect();
	assert_eq!(peers, admitted, "node i has the peer id of the preset's entity i");
	for c in &commands[1..] {
		let boot = value_after(c, "--bootnodes").unwrap();
		assert!(boot.ends_with(&format!("/p2p/{}", peers[0])), "Alice is the bootnode: {boot}");
	}
	for (c, name) in commands.iter().zip(["alice", "bob", "charlie", "dave"]) {
		assert!(c.contains(&format!("--{name}")) && c.contains(&"--validator".to_string()));
	}
}

struct Running(Child);
impl Drop for Running {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

#[tokio::test]
async fn nodes_started_as_zombienet_would_peer() {
	let dir = tempfile::tempdir().unwrap();
	let commands = commands();
	let p2p: Vec<u16> = (0..2).map(|_| free_port()).collect();
	let rpc: Vec<u16> = (0..2).map(|_| free_port()).collect();
	let mut nodes = Vec::new();
	for (i, words) in commands.iter().take(2).enumerate() {
		let args: Vec<String> = words[1..]
			.iter()
			.map(|w| {
				let w = w.replace("/tmp/zombie-tpchain", &dir.path().display().to_string());
				let w = w.replace("/tcp/30333", &format!("/tcp/{}", p2p[0]));
				let w = w.replace("/tcp/30334", &format!("/tcp/{}", p2p[1]));
				match w.as_str() {
					"9944" | "9945" => rpc[i].to_string(),
					"9615" | "9616" => free_port().to_string(),
					_ => w,
				}
			})
			.collect();
		let log = std::fs::File::create(dir.path().join(format!("{i}.log"))).unwrap();
		let child = Command::new(node_binary())
			.args(&args)
			.stdout(Stdio::null())
			.stderr(log)
			.spawn()
			.unwrap();
		nodes.push(Running(child));
	}
	let bob = wait_until(Duration::from_secs(60), "bob's RPC", || async {
		Connection::connect(&format!("ws://127.0.0.1:{}", rpc[1])).await.ok()
	})
	.await;
	let peers = wait_until(Duration::from_secs(60), "bob peers with alice", || async {
		let health: serde_json::Value =
			bob.raw.request("system_health", rpc_params![]).await.ok()?;
		(health["peers"].as_u64()? >= 1).then_some(health["peers"].as_u64()?)
	})
	.await;
	assert_eq!(peers, 1);
}
