//! Test harness: starts real `tpchain-node` processes on 127.0.0.1 and connects to them over
//! JSON-RPC with the client SDK. Nodes are stopped with SIGTERM when dropped.

use std::{
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	time::{Duration, Instant},
};
pub use tpchain_client::{self as client, Connection};
use tpchain_client::{
	api,
	subxt::{extrinsics::ExtrinsicEvents, tx::Payload, utils::MultiAddress},
	subxt_signer::{sr25519, SecretUri},
	AccountId, Hash, TpchainConfig,
};

/// The sr25519 key of a secret URI such as `//Alice` or `//E2eRecipient`.
pub fn keypair(uri: &str) -> sr25519::Keypair {
	let uri: SecretUri = uri.parse().expect("secret URI");
	sr25519::Keypair::from_uri(&uri).expect("sr25519 key")
}

/// The account of a key.
pub fn account(k: &sr25519::Keypair) -> AccountId {
	k.public_key().to_account_id()
}

/// The runtime one `spec_version` up that `scripts/build-upgrade-runtime` builds (compressed
/// wasm): `$TPCHAIN_UPGRADE_WASM`, else the script's default output path.
pub fn upgrade_wasm() -> PathBuf {
	let path = std::env::var_os("TPCHAIN_UPGRADE_WASM").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(std::env::var_os("HOME").expect("HOME"))
			.join(".cache/tpchain-upgrade-target/release/wbuild/tpchain-runtime")
			.join("tpchain_runtime.compact.compressed.wasm")
	});
	assert!(path.exists(), "{} missing: run scripts/build-upgrade-runtime", path.display());
	path
}

/// The node binary: `$TPCHAIN_NODE`, else `tpchain-node` next to this test executable's profile
/// directory (`<target>/release/deps/<test>` → `<target>/release/tpchain-node`).
pub fn node_binary() -> PathBuf {
	workspace_binary("tpchain-node", "TPCHAIN_NODE", "tpchain-node")
}

/// The `tpchain-cli` binary: `$TPCHAIN_CLI`, else next to the node binary.
pub fn cli_binary() -> PathBuf {
	workspace_binary("tpchain-cli", "TPCHAIN_CLI", "tpchain-client")
}

/// The `tpchain-relay` binary: `$TPCHAIN_RELAY`, else next to the node binary.
pub fn relay_binary() -> PathBuf {
	workspace_binary("tpchain-relay", "TPCHAIN_RELAY", "tpchain-relay")
}

/// The `tpchain-indexer` binary: `$TPCHAIN_INDEXER`, else next to the node binary.
pub fn indexer_binary() -> PathBuf {
	workspace_binary("tpchain-indexer", "TPCHAIN_INDEXER", "tpchain-indexer")
}

/// The `tpchain-load` binary: `$TPCHAIN_LOAD`, else next to the node binary.
pub fn load_binary() -> PathBuf {
	workspace_binary("tpchain-load", "TPCHAIN_LOAD", "tpchain-load")
}

fn workspace_binary(name: &str, env: &str, package: &str) -> PathBuf {
	if let Ok(p) = std::env::var(env) {
		return PathBuf::from(p);
	}
	let exe = std::env::current_exe().expect("test executable path");
	let profile_dir = exe.parent().and_then(Path::parent).expect("target profile dir");
	let bin = profile_dir.join(name);
	assert!(
		bin.exists(),
		"{} not found: build it first (`cargo build --release -p {package}`) or set {env}",
		bin.display()
	);
	bin
}

/// The four validators of the `local` preset.
pub const VALIDATORS: [&str; 4] = ["alice", "bob", "charlie", "dave"];

/// A fixed libp2p key for validator `i`, and the peer id the node derives from it.
pub fn node_key(i: usize) -> (String, String) {
	let key = format!("{:064x}", i + 1);
	let dir = tempfile::tempdir().unwrap();
	let file = dir.path().join("key");
	std::fs::write(&file, &key).unwrap();
	let out = Command::new(node_binary())
		.args(["key", "inspect-node-key", "--file"])
		.arg(&file)
		.output()
		.unwrap();
	assert!(out.status.success(), "inspect-node-key failed");
	(key, String::from_utf8(out.stdout).unwrap().trim().to_string())
}

/// Validator `i` of a four-validator chain (`local` or a spec file with the same keys), with
/// its own base path under `root`, dev keys from `--alice` etc., and a fixed node key.
pub fn local_validator(root: &Path, i: usize, chain: &str, bootnode: &str) -> NodeConfig {
	let (key, _) = node_key(i);
	let name = VALIDATORS[i];
	let mut args: Vec<String> = vec![
		"--chain".into(),
		chain.into(),
		format!("--{name}"),
		"--validator".into(),
		"--node-key".into(),
		key,
	];
	if !bootnode.is_empty() {
		args.extend(["--bootnodes".into(), bootnode.to_string()]);
	}
	NodeConfig {
		args,
		base_path: root.join(name),
		name: name.into(),
		rpc_port: free_port(),
		p2p_port: free_port(),
	}
}

/// Starts the four validators of `chain`, Alice first as everyone's bootnode.
pub async fn start_local_network(root: &Path, chain: &str) -> Vec<Node> {
	let alice = local_validator(root, 0, chain, "");
	let (_, alice_peer) = node_key(0);
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{alice_peer}", alice.p2p_port);
	let mut nodes = vec![Node::start(alice).await];
	for i in 1..4 {
		nodes.push(Node::start(local_validator(root, i, chain, &bootnode)).await);
	}
	nodes
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// How a node is started.
#[derive(Clone, Debug)]
pub struct NodeConfig {
	/// `--dev` or `--chain <spec>` plus role flags.
	pub args: Vec<String>,
	/// Database and keystore directory (kept across restarts).
	pub base_path: PathBuf,
	/// Node name, for logs.
	pub name: String,
	/// JSON-RPC port.
	pub rpc_port: u16,
	/// libp2p port.
	pub p2p_port: u16,
}

impl NodeConfig {
	/// A `--dev` node with its database under `base_path`.
	pub fn dev(base_path: &Path) -> Self {
		Self {
			args: vec!["--dev".into()],
			base_path: base_path.to_path_buf(),
			name: "dev".into(),
			rpc_port: free_port(),
			p2p_port: free_port(),
		}
	}

	/// The WebSocket URL of this node's RPC server.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}
}

/// A running node process.
pub struct Node {
	/// How it was started (to restart it the same way).
	pub config: NodeConfig,
	child: Option<Child>,
	log: PathBuf,
}

impl Node {
	/// Starts the node and waits until its RPC answers.
	pub async fn start(config: NodeConfig) -> Node {
		std::fs::create_dir_all(&config.base_path).unwrap();
		let log = config.base_path.join(format!("{}.log", config.name));
		let log_file = std::fs::OpenOptions::new().create(true).append(true).open(&log).unwrap();
		let child = Command::new(node_binary())
			.args(&config.args)
			.arg("--base-path")
			.arg(&config.base_path)
			.args(["--name", &config.name])
			.args(["--rpc-port", &config.rpc_port.to_string()])
			.args(["--no-telemetry", "--no-mdns"])
			.args(
				(!config.args.iter().any(|a| a == "--prometheus-port"))
					.then_some("--no-prometheus"),
			)
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{}", config.p2p_port)])
			.stdout(Stdio::null())
			.stderr(Stdio::from(log_file))
			.spawn()
			.expect("spawn tpchain-node");
		let mut node = Node { config, child: Some(child), log };
		node.wait_for_rpc().await;
		node
	}

	async fn wait_for_rpc(&mut self) {
		let deadline = Instant::now() + Duration::from_secs(60);
		loop {
			if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
				panic!(
					"node {} exited with {status} before RPC was up:\n{}",
					self.config.name,
					self.log_tail()
				);
			}
			if Connection::connect(&self.config.ws_url()).await.is_ok() {
				return;
			}
			assert!(
				Instant::now() < deadline,
				"RPC of {} not up:\n{}",
				self.config.name,
				self.log_tail()
			);
			tokio::time::sleep(Duration::from_millis(250)).await;
		}
	}

	/// A new client connection to this node.
	pub async fn connect(&self) -> Connection {
		Connection::connect(&self.config.ws_url()).await.expect("connect to node")
	}

	/// Sends SIGTERM and waits for a clean exit; returns whether it exited successfully.
	pub fn stop(&mut self) -> bool {
		let Some(mut child) = self.child.take() else {
			return true;
		};
		// SAFETY: plain kill(2) on our own child's pid.
		unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
		let deadline = Instant::now() + Duration::from_secs(30);
		loop {
			if let Some(status) = child.try_wait().unwrap() {
				return status.success();
			}
			if Instant::now() > deadline {
				let _ = child.kill();
				let _ = child.wait();
				return false;
			}
			std::thread::sleep(Duration::from_millis(100));
		}
	}

	/// Starts the node again with the same configuration and database.
	pub async fn restart(&mut self) {
		assert!(self.child.is_none(), "stop the node before restarting it");
		let restarted = Node::start(self.config.clone()).await;
		*self = restarted;
	}

	/// The last lines of the node's log, for failure messages.
	pub fn log_tail(&self) -> String {
		let text = std::fs::read_to_string(&self.log).unwrap_or_default();
		let lines: Vec<_> = text.lines().collect();
		lines[lines.len().saturating_sub(40)..].join("\n")
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		if let Some(mut child) = self.child.take() {
			// SAFETY: plain kill(2) on our own child's pid.
			unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
			let _ = child.wait();
		}
	}
}

/// A running `--dev` node, its client connection, and the directory it lives in (removed after
/// the node stopped: fields drop in this order).
pub struct DevNode {
	/// The node process.
	pub node: Node,
	/// A connection to it.
	pub conn: Connection,
	_dir: tempfile::TempDir,
}

/// A `--dev` node serving Prometheus metrics on a free port (in `dir`), and that port.
pub async fn dev_node_with_prometheus(dir: &Path) -> (Node, u16) {
	let mut config = NodeConfig::dev(dir);
	let port = free_port();
	config.args.extend(["--prometheus-port".into(), port.to_string()]);
	(Node::start(config).await, port)
}

/// One scrape of the Prometheus endpoint on `port` (`None` while it is not up).
pub fn scrape(port: u16) -> Option<String> {
	use std::io::{Read, Write};
	let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
	s.write_all(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
	let mut body = String::new();
	s.read_to_string(&mut body).ok()?;
	Some(body)
}

/// Starts a fresh `--dev` node in a temporary directory and connects to it.
pub async fn dev_node() -> DevNode {
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start(NodeConfig::dev(dir.path())).await;
	let conn = node.connect().await;
	DevNode { node, conn, _dir: dir }
}

/// Polls `f` every 250 ms until it returns `Some`, or panics with `what` after `timeout`.
pub async fn wait_until<T, F, Fut>(timeout: Duration, what: &str, mut f: F) -> T
where
	F: FnMut() -> Fut,
	Fut: std::future::Future<Output = Option<T>>,
{
	let deadline = Instant::now() + timeout;
	loop {
		if let Some(v) = f().await {
			return v;
		}
		assert!(Instant::now() < deadline, "timed out after {timeout:?} waiting for {what}");
		tokio::time::sleep(Duration::from_millis(250)).await;
	}
}

/// Waits until the finalized block number reaches `n`; returns it.
pub async fn wait_finalized(conn: &Connection, n: u32, timeout: Duration) -> u32 {
	wait_until(timeout, &format!("finalized block #{n}"), || async {
		let (f, _) = conn.finalized().await.ok()?;
		(f >= n).then_some(f)
	})
	.await
}

/// Waits until the best block number reaches `n`; returns it.
pub async fn wait_best(conn: &Connection, n: u32, timeout: Duration) -> u32 {
	wait_until(timeout, &format!("best block #{n}"), || async {
		let (b, _) = conn.best().await.ok()?;
		(b >= n).then_some(b)
	})
	.await
}

/// Signs, submits and waits for finality; panics if the extrinsic failed. Returns the block and
/// the extrinsic's events.
pub async fn submit<C: Payload>(
	conn: &Connection,
	signer: &sr25519::Keypair,
	call: &C,
) -> (Hash, ExtrinsicEvents<TpchainConfig>) {
	conn.submit(signer, call).await.expect("extrinsic succeeded")
}

/// An extrinsic that was included and failed: its error, the fee it paid and its block.
pub struct Failed {
	/// The dispatch error of its `ExtrinsicFailed` event.
	pub error: api::runtime_types::sp_runtime::DispatchError,
	/// The fee it paid (`TransactionFeePaid`).
	pub fee: u128,
	/// The finalized block it is in.
	pub block: Hash,
	/// All its events.
	pub events: ExtrinsicEvents<TpchainConfig>,
}

/// A module error's `Pallet.Error` name, from the runtime's metadata.
pub async fn error_name(
	conn: &Connection,
	error: &api::runtime_types::sp_runtime::DispatchError,
) -> String {
	assert!(
		matches!(error, api::runtime_types::sp_runtime::DispatchError::Module(_)),
		"not a module error: {error:?}"
	);
	conn.describe(error).await.unwrap().name()
}

/// Signs and submits `call`, waits for finality and returns how it failed; panics if it was not
/// included or succeeded.
pub async fn submit_failing<C: Payload>(
	conn: &Connection,
	signer: &sr25519::Keypair,
	call: &C,
) -> Failed {
	let mut txs = conn.api.at_current_block().await.unwrap().transactions();
	let in_block = txs
		.sign_and_submit_then_watch_default(call, signer)
		.await
		.unwrap()
		.wait_for_finalized()
		.await
		.unwrap();
	let events = in_block.fetch_events().await.unwrap();
	let error = events
		.find_first::<api::system::events::ExtrinsicFailed>()
		.expect("ExtrinsicFailed event")
		.unwrap()
		.dispatch_error;
	Failed { error, fee: fee(&events), block: in_block.block_hash(), events }
}

/// Alice sends `amount` to `who` (a keep-alive transfer) and waits for finality.
pub async fn fund(conn: &Connection, who: &AccountId, amount: u128) {
	let call = api::transactions().balances().transfer_keep_alive(MultiAddress::Id(*who), amount);
	submit(conn, &keypair("//Alice"), &call).await;
}

/// Runs `tpchain-cli args` with environment `env`, expects success, and parses its stdout.
pub fn cli_json(env: &[(&str, &str)], args: &[&str]) -> serde_json::Value {
	let out = std::process::Command::new(cli_binary())
		.args(args)
		.envs(env.iter().copied())
		.output()
		.expect("run tpchain-cli");
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

/// The fee an extrinsic paid (from its `TransactionFeePaid` event).
pub fn fee(events: &ExtrinsicEvents<TpchainConfig>) -> u128 {
	let fee = tpchain_client::fee_paid(events);
	assert!(fee > 0, "a fee event");
	fee
}

/// A `--dev` node (chain 1, under `root/a`) and a `dev-b` node (chain 2), both finalizing, with
/// a connection to each.
pub async fn start_dev_pair(root: &Path) -> (Node, Node, Connection, Connection) {
	let a_node = Node::start(NodeConfig::dev(&root.join("a"))).await;
	let b_node = Node::start(dev_b_config(root)).await;
	let (a, b) = (a_node.connect().await, b_node.connect().await);
	wait_finalized(&a, 2, Duration::from_secs(60)).await;
	wait_finalized(&b, 2, Duration::from_secs(60)).await;
	(a_node, b_node, a, b)
}

/// A `dev-b` node (chain id 2, Alice its only validator) under `root`: the other end of a
/// development bridge.
pub fn dev_b_config(root: &Path) -> NodeConfig {
	NodeConfig {
		args: ["--chain", "dev-b", "--alice", "--validator", "--force-authoring", "--node-key"]
			.map(String::from)
			.into_iter()
			.chain([format!("{:064x}", 42)])
			.collect(),
		base_path: root.join("chain-b"),
		name: "chain-b".into(),
		rpc_port: free_port(),
		p2p_port: free_port(),
	}
}

/// Passes a membership proposal (≥ 2/3: a trust anchor) on `on` that registers a light client
/// of `of` (chain `of_chain`) at `of`'s finalized head and sets its `limits`; returns the
/// proposal's record.
pub async fn register_counterparty(
	on: &Connection,
	voters: &[&sr25519::Keypair],
	of: &Connection,
	of_chain: tpchain_primitives::ChainId,
	limits: &tpchain_primitives::bridge::BridgeLimits<u128, u32>,
) -> tpchain_primitives::governance::json::ProposalJson {
	register_counterparty_with(on, voters, of, of_chain, limits, |h| h).await
}

/// [`register_counterparty`] with the anchor header passed through `anchor` first (e.g. to
/// register a header off `of`'s chain, as a mistaken or malicious vote would).
pub async fn register_counterparty_with(
	on: &Connection,
	voters: &[&sr25519::Keypair],
	of: &Connection,
	of_chain: tpchain_primitives::ChainId,
	limits: &tpchain_primitives::bridge::BridgeLimits<u128, u32>,
	anchor: impl FnOnce(tpchain_primitives::Header) -> tpchain_primitives::Header,
) -> tpchain_primitives::governance::json::ProposalJson {
	use tpchain_client::{
		bridge::BridgeCall,
		governance::{RuntimeCall, Track},
	};
	let (_, head) = of.finalized().await.unwrap();
	let header = anchor(of.header(head).await.unwrap());
	let set = of.grandpa_set(head).await.unwrap();
	let init = BridgeCall::initialize(of_chain, &header, &set.authorities, set.set_id);
	let calls = vec![
		on.runtime_call(&init).await.unwrap(),
		on.runtime_call(&BridgeCall::set_limits(of_chain, limits)).await.unwrap(),
	];
	let batch =
		RuntimeCall::Utility(api::runtime_types::pallet_utility::pallet::Call::batch_all { calls });
	on.pass(voters, Track::Membership, batch, Duration::from_secs(150)).await.unwrap()
}

/// The membership-track call admitting an entity whose voting account and validator are `who`
/// and whose node has `peer_id` (base58).
pub fn admission_call(
	legal_name: &str,
	licence: &str,
	jurisdiction: &str,
	who: AccountId,
	peer_id: &str,
) -> tpchain_client::governance::RuntimeCall {
	use api::runtime_types::{
		bounded_collections::bounded_vec::BoundedVec,
		pallet_operators::{pallet::Call, types::Admission},
	};
	let text = |t: &str| BoundedVec(t.as_bytes().to_vec());
	tpchain_client::governance::RuntimeCall::Operators(Call::admit {
		admission: Admission {
			legal_name: text(legal_name),
			licence: text(licence),
			jurisdiction: text(jurisdiction),
			voting_account: who,
			validator: who,
			peer_id: BoundedVec(bs58::decode(peer_id).into_vec().unwrap()),
		},
	})
}

/// A node `name` of `chain` under `root` with node key `node_key(key_index)`, booting from
/// `bootnode`.
pub fn chain_node(
	root: &Path,
	name: &str,
	chain: &str,
	key_index: usize,
	bootnode: &str,
) -> NodeConfig {
	let (key, _) = node_key(key_index);
	NodeConfig {
		args: ["--chain", chain, "--node-key", &key, "--bootnodes", bootnode]
			.map(String::from)
			.to_vec(),
		base_path: root.join(name),
		name: name.into(),
		rpc_port: free_port(),
		p2p_port: free_port(),
	}
}

/// Starts a `local` validator node `name` with node key `node_key(key_index)` and an empty
/// keystore, lets it generate session keys (`author_rotateKeysWithOwner`) and registers them
/// with proof of possession from `owner` through `conn`. Returns the node and its Aura key.
pub async fn start_validator_with_fresh_keys(
	conn: &Connection,
	root: &Path,
	name: &str,
	key_index: usize,
	bootnode: &str,
	owner: &sr25519::Keypair,
) -> (Node, [u8; 32]) {
	use api::runtime_types::{
		sp_consensus_aura::sr25519::app_sr25519, sp_consensus_grandpa::app,
		tpchain_runtime::opaque::SessionKeys,
	};
	let mut config = chain_node(root, name, "local", key_index, bootnode);
	config.args.push("--validator".into());
	let node = Node::start(config).await;
	let owner_id = account(owner);
	let generated: serde_json::Value = node
		.connect()
		.await
		.raw
		.request(
			"author_rotateKeysWithOwner",
			tpchain_client::subxt::rpcs::rpc_params![format!("0x{}", hex::encode(owner_id.0))],
		)
		.await
		.unwrap();
	let field =
		|f: &str| hex::decode(generated[f].as_str().unwrap().trim_start_matches("0x")).unwrap();
	// SessionKeys is SCALE `(aura sr25519, grandpa ed25519)`: two 32-byte keys.
	let raw: [u8; 64] = field("keys").try_into().expect("aura and grandpa keys");
	let aura: [u8; 32] = raw[..32].try_into().unwrap();
	let keys = SessionKeys {
		aura: app_sr25519::Public(aura),
		grandpa: app::Public(raw[32..].try_into().unwrap()),
	};
	let set_keys = api::transactions().session().set_keys(keys, field("proof"));
	conn.submit(owner, &set_keys).await.expect("keys with a valid proof of possession");
	(node, aura)
}
