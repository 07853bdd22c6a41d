//! The runbook's systemd units (`docs/systemd/`) are valid units, and the flags they give the
//! node start it with the RPC exposure `docs/operators.md` promises: a validator serves unsafe
//! methods on 127.0.0.1 only, a public RPC node serves only safe ones.

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::Duration,
};
use tpchain_client::{subxt::rpcs::rpc_params, Connection};
use tpchain_e2e::{free_port, node_binary};

fn unit(name: &str) -> String {
	let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/systemd").join(name);
	std::fs::read_to_string(path).unwrap()
}

/// The words of `ExecStart=` with its line continuations joined.
fn exec_start(unit: &str) -> Vec<String> {
	let start = unit.find("ExecStart=").expect("ExecStart");
	let mut words = Vec::new();
	for line in unit[start + "ExecStart=".len()..].lines() {
		let line = line.trim();
		let more = line.ends_with('\\');
		words.extend(line.trim_end_matches('\\').split_whitespace().map(String::from));
		if !more {
			break;
		}
	}
	words
}

struct Running(Child);
impl Drop for Running {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

/// Starts the node with a unit's flags, the machine paths replaced by ones under `dir`.
fn start_like_unit(unit: &str, dir: &Path, rpc_port: u16) -> Running {
	let spec = dir.join("chain.raw.json");
	let out = Command::new(node_binary())
		.args(["build-spec", "--chain", "local", "--raw"])
		.stderr(Stdio::null())
		.output()
		.unwrap();
	assert!(out.status.success());
	std::fs::write(&spec, out.stdout).unwrap();
	std::fs::write(dir.join("node-key"), format!("{:064x}", 7)).unwrap();
	let log = std::fs::File::create(dir.join("node.log")).unwrap();
	let args: Vec<String> = exec_start(unit)[1..]
		.iter()
		.map(|a| match a.as_str() {
			"/etc/tpchain/chain.raw.json" => spec.display().to_string(),
			"/var/lib/tpchain" => dir.display().to_string(),
			"/var/lib/tpchain/node-key" => dir.join("node-key").display().to_string(),
			"%H" => "unit-test".into(),
			"9944" => rpc_port.to_string(),
			"30333" | "9615" => free_port().to_string(),
			other => other.to_string(),
		})
		.collect();
	let child = Command::new(node_binary())
		.args(&args)
		.arg("--no-mdns")
		.stdout(Stdio::null())
		.stderr(log)
		.spawn()
		.unwrap();
	Running(child)
}

async fn connect(port: u16, dir: &Path) -> Connection {
	for _ in 0..240 {
		if let Ok(conn) = Connection::connect(&format!("ws://127.0.0.1:{port}")).await {
			return conn;
		}
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
	panic!(
		"the unit's node never answered RPC:\n{}",
		std::fs::read_to_string(dir.join("node.log")).unwrap()
	)
}

#[test]
fn systemd_units_pass_systemd_analyze_verify() {
	if Command::new("systemd-analyze").arg("--version").output().is_err() {
		println!("SKIPPED: systemd-analyze is not installed here");
		return;
	}
	let dir = tempfile::tempdir().unwrap();
	for name in ["tpchain-node.service", "tpchain-rpc.service"] {
		// `verify` checks that ExecStart's binary exists: point it at the one just built.
		let text =
			unit(name).replace("/usr/local/bin/tpchain-node", &node_binary().display().to_string());
		let path = dir.path().join(name);
		std::fs::write(&path, text).unwrap();
		let out = Command::new("systemd-analyze")
			.args(["verify", "--man=no"])
			.arg(&path)
			.output()
			.unwrap();
		let stderr = String::from_utf8_lossy(&out.stderr);
		let about_unit: Vec<_> = stderr.lines().filter(|l| l.contains(name)).collect();
		assert!(out.status.success() && about_unit.is_empty(), "{name}: {stderr}");
	}
}

#[test]
fn units_start_the_node_with_their_flags() {
	for name in ["tpchain-node.service", "tpchain-rpc.service"] {
		let words = exec_start(&unit(name));
		assert_eq!(words[0], "/usr/local/bin/tpchain-node", "{name}");
		assert!(
			words.contains(&"--node-key-file".to_string()),
			"{name}: a live chain needs a node key"
		);
	}
	let validator = exec_start(&unit("tpchain-node.service"));
	assert!(
		validator.contains(&"--validator".into()) && !validator.contains(&"--rpc-external".into())
	);
	let rpc = exec_start(&unit("tpchain-rpc.service"));
	assert!(rpc.contains(&"--rpc-external".into()) && !rpc.contains(&"--validator".into()));
}

#[tokio::test]
async fn validator_unit_serves_unsafe_rpc_only_on_localhost() {
	let dir = tempfile::tempdir().unwrap();
	let port = free_port();
	let _node = start_like_unit(&unit("tpchain-node.service"), dir.path(), port);
	let conn = connect(port, dir.path()).await;
	// Unsafe methods answer (the operator rotates keys on the node itself) ...
	let keys: String = conn.raw.request("author_rotateKeys", rpc_params![]).await.unwrap();
	assert_eq!(keys.len(), 2 + 2 * 64, "aura (sr25519) and grandpa (ed25519) public keys: {keys}");
	// ... and only on the loopback interface.
	let listening = std::fs::read_to_string(dir.path().join("node.log")).unwrap();
	assert!(listening.contains(&format!("127.0.0.1:{port}")), "{listening}");
	assert!(!listening.contains(&format!("0.0.0.0:{port}")), "{listening}");
}

#[tokio::test]
async fn rpc_unit_refuses_unsafe_methods() {
	let dir = tempfile::tempdir().unwrap();
	let port = free_port();
	let _node = start_like_unit(&unit("tpchain-rpc.service"), dir.path(), port);
	let conn = connect(port, dir.path()).await;
	let err = conn.raw.request::<String>("author_rotateKeys", rpc_params![]).await.unwrap_err();
	assert!(err.to_string().contains("unsafe"), "{err}");
	let version: String = conn.raw.request("system_version", rpc_params![]).await.unwrap();
	assert!(!version.is_empty());
	let log = std::fs::read_to_string(dir.path().join("node.log")).unwrap();
	assert!(
		log.contains(&format!("0.0.0.0:{port}")),
		"public RPC listens on every interface: {log}"
	);
}
