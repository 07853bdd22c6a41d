//! `tpchain-cli` for every role, against a `--dev` node, as its users run it: governance
//! participants, operators, escrow users and account owners with guardians. Secrets come from a
//! mode-600 file or `TPCHAIN_SURI`; every submitting command waits for finality and reports the
//! block, the events and the fee; failures name the module error.

use std::{
	os::unix::fs::PermissionsExt,
	path::{Path, PathBuf},
	process::{Command, Output, Stdio},
	time::Duration,
};
use tpchain_client::{api, Connection, UNIT};
use tpchain_e2e::{account, cli_binary, dev_node, fund, keypair, node_binary, wait_until};

/// Runs the CLI with `env`, stdin closed (never a terminal: no prompt).
fn run(env: &[(&str, &str)], args: &[&str]) -> Output {
	Command::new(cli_binary())
		.args(args)
		.env_remove("TPCHAIN_SURI")
		.envs(env.iter().copied())
		.stdin(Stdio::null())
		.output()
		.expect("run tpchain-cli")
}

/// Runs the CLI, expects success, parses its JSON.
fn ok(env: &[(&str, &str)], args: &[&str]) -> serde_json::Value {
	let out = run(env, args);
	assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
	serde_json::from_slice(&out.stdout)
		.unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// Runs the CLI, expects exit 1, returns standard error.
fn fails(env: &[(&str, &str)], args: &[&str]) -> String {
	let out = run(env, args);
	assert_eq!(
		out.status.code(),
		Some(1),
		"{args:?} should fail: {}",
		String::from_utf8_lossy(&out.stdout)
	);
	String::from_utf8_lossy(&out.stderr).into_owned()
}

fn suri_file(dir: &Path, name: &str, suri: &str, mode: u32) -> PathBuf {
	let file = dir.join(name);
	std::fs::write(&file, suri).unwrap();
	std::fs::set_permissions(&file, std::fs::Permissions::from_mode(mode)).unwrap();
	file
}

fn ss58(uri: &str) -> String {
	account(&keypair(uri)).to_string()
}

/// The fields of the first `pallet.event` of a report.
fn event<'a>(report: &'a serde_json::Value, pallet: &str, name: &str) -> &'a serde_json::Value {
	report["events"]
		.as_array()
		.unwrap()
		.iter()
		.find(|e| e["pallet"] == pallet && e["event"] == name)
		.map(|e| &e["fields"])
		.unwrap_or_else(|| panic!("no {pallet}.{name} in {report}"))
}

/// The finalized block a submitting command reported.
fn block_hash(report: &serde_json::Value) -> tpchain_client::Hash {
	report["blockHash"].as_str().expect("blockHash").parse().expect("a block hash")
}

async fn nonce(conn: &Connection, uri: &str) -> u64 {
	conn.rpc.system_account_next_index(&account(&keypair(uri))).await.unwrap()
}

#[tokio::test]
async fn governance_participant_proposes_votes_and_tallies_from_the_cli() {
	let dev = dev_node().await;
	let url = dev.node.config.ws_url();
	let dir = tempfile::tempdir().unwrap();
	let alice = suri_file(dir.path(), "alice.suri", "//Alice\n", 0o600);
	let alice = alice.to_str().unwrap();
	let threshold = 5_000 * UNIT;
	let call = format!(
		r#"{{"pallet":"BurnProofs","call":"set_large_burn_threshold","args":{{"threshold":{{"Some":"{threshold}"}}}}}}"#
	);

	// A call that does not fit the runtime's types is refused before anything is signed.
	let before = nonce(&dev.conn, "//Alice").await;
	let bad = call.replace("threshold\":{", "thresold\":{");
	let propose = |call: &str| -> Vec<String> {
		[
			"gov",
			"propose",
			"--url",
			&url,
			"--suri-file",
			alice,
			"--track",
			"parameters",
			"--call",
			call,
		]
		.map(String::from)
		.to_vec()
	};
	let args = propose(&bad);
	let err = fails(&[], &args.iter().map(String::as_str).collect::<Vec<_>>());
	assert!(err.contains("call: args.thresold: no such field"), "{err}");
	// A secret file other users can read is refused, and so is a missing secret.
	let open = suri_file(dir.path(), "open.suri", "//Alice", 0o644);
	let err = fails(
		&[],
		&["gov", "vote", "--url", &url, "--suri-file", open.to_str().unwrap(), "0", "aye"],
	);
	assert!(err.contains("is readable by other users (mode 644)"), "{err}");
	let err = fails(&[], &["gov", "vote", "--url", &url, "0", "aye"]);
	assert!(err.contains("no signer for the signer") && err.contains("TPCHAIN_SURI"), "{err}");
	assert_eq!(nonce(&dev.conn, "//Alice").await, before, "nothing was submitted");

	let mut args = propose(&call);
	args.push("--json".into());
	let proposed = ok(&[], &args.iter().map(String::as_str).collect::<Vec<_>>());
	let id = proposed["result"]["proposal"].as_u64().expect("proposal id");
	assert!(proposed["block"].as_u64().unwrap() > 0);
	let fee: f64 = proposed["fee"].as_str().unwrap().parse().unwrap();
	assert!(fee > 0.0, "{proposed}");
	assert_eq!(event(&proposed, "Governance", "Proposed")["proposal"], id);
	assert_eq!(proposed["result"]["call"]["call"], "set_large_burn_threshold");

	let voted = ok(
		&[("TPCHAIN_SURI", "//Alice")],
		&["gov", "vote", "--url", &url, &id.to_string(), "aye", "--json"],
	);
	assert_eq!(event(&voted, "Governance", "Voted")["proposal"], id);

	let id_s = id.to_string();
	let tally = ok(&[], &["gov", "tally", "--url", &url, &id_s, "--json"]);
	assert_eq!((tally["ayes"].as_u64(), tally["electorate"].as_u64()), (Some(1), Some(1)));
	assert_eq!(tally["passes"], true, "{tally}");

	let shown = wait_until(Duration::from_secs(60), "the proposal executed", || {
		let shown = ok(&[], &["gov", "show", "--url", &url, &id_s, "--json"]);
		async move { (shown["status"] == "executed").then_some(shown) }
	})
	.await;
	assert_eq!(shown["ok"], true, "{shown}");
	assert_eq!(shown["decodedCall"]["pallet"], "BurnProofs");
	assert_eq!(
		shown["decodedCall"]["args"]["threshold"],
		serde_json::json!({ "Some": threshold as u64 })
	);
	assert_eq!(shown["votes"][0]["vote"], "aye");
	// Read at the (finalized) block that executed it.
	let executed_at = shown["statusAt"].as_u64().unwrap() as u32;
	tpchain_e2e::wait_finalized(&dev.conn, executed_at, Duration::from_secs(30)).await;
	let executed_hash = dev.conn.block_hash(executed_at).await.unwrap().unwrap();
	let stored = dev
		.conn
		.api
		.at_block(executed_hash)
		.await
		.unwrap()
		.storage()
		.entry(api::storage().burn_proofs().large_burn_threshold())
		.unwrap()
		.try_fetch(())
		.await
		.unwrap()
		.map(|v| v.decode().unwrap());
	assert_eq!(stored, Some(threshold), "the proposal's call took effect");

	let executed = ok(&[], &["gov", "proposals", "--url", &url, "--status", "executed", "--json"]);
	assert!(executed
		.as_array()
		.unwrap()
		.iter()
		.any(|p| p["id"] == id && p["call"] == "BurnProofs.set_large_burn_threshold"));
	let membership =
		ok(&[], &["gov", "proposals", "--url", &url, "--track", "membership", "--json"]);
	assert!(!membership.as_array().unwrap().iter().any(|p| p["id"] == id));

	// Voting on a decided proposal is included, pays its fee, and fails naming the error.
	let err = fails(&[("TPCHAIN_SURI", "//Alice")], &["gov", "vote", "--url", &url, &id_s, "nay"]);
	assert!(err.contains("Governance.NotVoting: The proposal is not open for votes."), "{err}");
	let err = fails(&[], &["gov", "show", "--url", &url, "9999"]);
	assert!(err.contains("not found: proposal 9999"), "{err}");
}

#[tokio::test]
async fn escrow_user_creates_approves_releases_and_disputes_from_the_cli() {
	let dev = dev_node().await;
	let url = dev.node.config.ws_url();
	let (charlie, bob) = (ss58("//Charlie"), ss58("//Bob"));
	let m0 = format!(r#"1.5:{{"approvals":{{"of":["{charlie}"],"k":1}}}}"#);
	let m1 = r#"2:{"all":[{"afterBlock":100000},"never"]}"#.to_string();
	let alice = [("TPCHAIN_SURI", "//Alice")];
	let created = ok(
		&alice,
		&[
			"escrow",
			"create",
			"--url",
			&url,
			"--payee",
			&bob,
			"--milestone",
			&m0,
			"--milestone",
			&m1,
			"--expires-in",
			"1000",
			"--reference",
			"PO-77",
			"--json",
		],
	);
	let id = created["result"]["escrow"].as_u64().expect("escrow id").to_string();
	assert_eq!(created["result"]["amount"], "3.500000000000");
	assert_eq!(event(&created, "Escrow", "EscrowCreated")["amount"], (7 * UNIT / 2) as u64);

	let shown = ok(&[], &["escrow", "show", "--url", &url, &id, "--json"]);
	assert_eq!(
		shown["milestones"][0]["condition"],
		serde_json::json!({ "approvals": { "of": [charlie], "k": 1 } })
	);
	assert_eq!(
		shown["milestones"][1]["condition"],
		serde_json::json!({ "all": [{ "afterBlock": 100000 }, "never"] })
	);
	let of = ok(&[], &["escrow", "of", "--url", &url, &bob, "--json"]);
	assert!(of
		.as_array()
		.unwrap()
		.iter()
		.any(|p| p["id"].as_u64() == id.parse::<u64>().ok() && p["role"] == "payee"));

	// Only a listed approver approves; releasing before the approval fails at dispatch.
	let err = fails(&[("TPCHAIN_SURI", "//Bob")], &["escrow", "approve", "--url", &url, &id, "0"]);
	assert!(
		err.contains("Escrow.NotApprover: The caller is not an approver of this milestone."),
		"{err}"
	);
	let err = fails(&[("TPCHAIN_SURI", "//Bob")], &["escrow", "release", "--url", &url, &id, "0"]);
	assert!(err.contains("Escrow.ConditionNotMet"), "{err}");
	let approved = ok(
		&[("TPCHAIN_SURI", "//Charlie")],
		&["escrow", "approve", "--url", &url, &id, "0", "--json"],
	);
	// Balances at the blocks the CLI reports (finalized), before and after the release.
	let bob_id = account(&keypair("//Bob"));
	let bob_before = dev.conn.free_balance(&bob_id, Some(block_hash(&approved))).await.unwrap();
	let released = ok(
		&[("TPCHAIN_SURI", "//Dave")],
		&["escrow", "release", "--url", &url, &id, "0", "--json"],
	);
	assert_eq!(released["result"]["released"]["amount"], (3 * UNIT / 2) as u64);
	let bob_after = dev.conn.free_balance(&bob_id, Some(block_hash(&released))).await.unwrap();
	assert_eq!(bob_after - bob_before, 3 * UNIT / 2, "the payee got exactly milestone 0");

	// The payee disputes what is left; then no refund moves it.
	ok(
		&[("TPCHAIN_SURI", "//Bob")],
		&["escrow", "dispute", "--url", &url, &id, "--reason", "goods missing", "--json"],
	);
	let shown = ok(&[], &["escrow", "show", "--url", &url, &id, "--json"]);
	assert_eq!(
		(shown["disputedBy"].as_str(), shown["remaining"].as_str()),
		(Some(bob.as_str()), Some("2000000000000"))
	);
	let err = fails(&[("TPCHAIN_SURI", "//Alice")], &["escrow", "refund", "--url", &url, &id]);
	assert!(err.contains("Escrow.Disputed"), "{err}");
	// A malformed condition never reaches the chain.
	let err = fails(
		&alice,
		&[
			"escrow",
			"create",
			"--url",
			&url,
			"--payee",
			&bob,
			"--milestone",
			r#"1:{"any":[]}"#,
			"--expires-in",
			"10",
		],
	);
	assert!(err.contains("condition: Invalid(EmptyCombinator)"), "{err}");
}

#[tokio::test]
async fn account_owner_recovers_with_guardians_from_the_cli() {
	let dev = dev_node().await;
	let url = dev.node.config.ws_url();
	// A lost account with two guardians who are funded to pay fees.
	let (lost, new) = ("//CliLost", "//CliNew");
	for who in [lost, "//CliGuardianA", "//CliGuardianB", new] {
		fund(&dev.conn, &account(&keypair(who)), 100 * UNIT).await;
	}
	let (ga, gb) = (ss58("//CliGuardianA"), ss58("//CliGuardianB"));
	let set = ok(
		&[("TPCHAIN_SURI", lost)],
		&[
			"recovery",
			"guardians",
			"set",
			"--url",
			&url,
			"--guardian",
			&gb,
			"--guardian",
			&ga,
			"--threshold",
			"2",
			"--delay",
			"10",
			"--json",
		],
	);
	assert_eq!(set["result"]["scheduled"], false);
	assert_eq!(event(&set, "GuardianRecovery", "GuardiansSet")["threshold"], 2);
	let shown = ok(&[], &["recovery", "guardians", "show", "--url", &url, &ss58(lost), "--json"]);
	assert_eq!(shown["config"]["guardians"].as_array().unwrap().len(), 2, "{shown}");
	assert_eq!(shown["config"]["threshold"], 2);

	let (lost_ss, new_ss) = (ss58(lost), ss58(new));
	ok(
		&[("TPCHAIN_SURI", "//CliGuardianA")],
		&["recovery", "initiate", "--url", &url, &lost_ss, "--new-account", &new_ss, "--json"],
	);
	let a = ok(
		&[("TPCHAIN_SURI", "//CliGuardianA")],
		&["recovery", "approve", "--url", &url, &lost_ss, "--json"],
	);
	assert_eq!(a["result"]["approvals"], 1);
	let b = ok(
		&[("TPCHAIN_SURI", "//CliGuardianB")],
		&["recovery", "approve", "--url", &url, &lost_ss, "--json"],
	);
	assert_eq!(b["result"]["approvals"], 2);
	// A stranger's approval is refused; finalizing before the delay fails.
	let err =
		fails(&[("TPCHAIN_SURI", "//Dave")], &["recovery", "approve", "--url", &url, &lost_ss]);
	assert!(err.contains("GuardianRecovery.NotGuardian"), "{err}");
	let status = ok(&[], &["recovery", "status", "--url", &url, &lost_ss, "--json"]);
	let due = status["activeRecovery"]["finalizableAt"].as_u64().expect("finalizable block");
	tpchain_e2e::wait_finalized(&dev.conn, due as u32, Duration::from_secs(60)).await;
	ok(&[("TPCHAIN_SURI", new)], &["recovery", "finalize", "--url", &url, &lost_ss, "--json"]);
	let status = ok(&[], &["recovery", "status", "--url", &url, &lost_ss, "--json"]);
	assert_eq!(status["config"]["recoveredBy"].as_str(), Some(new_ss.as_str()), "{status}");
}

#[tokio::test]
async fn operator_reads_the_registry_and_rotates_keys_from_the_cli() {
	let dev = dev_node().await;
	let url = dev.node.config.ws_url();
	let dir = tempfile::tempdir().unwrap();
	let entities = ok(&[], &["operator", "entities", "--url", &url, "--json"]);
	assert_eq!(entities.as_array().unwrap().len(), 1);
	assert_eq!(entities[0]["votingAccount"], ss58("//Alice"));
	let entity = ok(&[], &["operator", "entity", "--url", &url, "0", "--json"]);
	assert_eq!(
		(entity["validating"].as_bool(), entity["validator"].as_str()),
		(Some(true), Some(ss58("//Alice").as_str()))
	);
	let sets = ok(&[], &["operator", "validators", "--url", &url, "--json"]);
	assert!(sets["current"][0].as_str().unwrap().starts_with(&ss58("//Alice")), "{sets}");

	// Node keys: the CLI's peer id is the node's.
	let key = dir.path().join("node-key");
	let generated =
		ok(&[], &["operator", "node-key", "generate", "--file", key.to_str().unwrap(), "--json"]);
	assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
	let node_says = Command::new(node_binary())
		.args(["key", "inspect-node-key", "--file"])
		.arg(&key)
		.output()
		.unwrap();
	assert_eq!(
		generated["peerId"].as_str().unwrap(),
		String::from_utf8_lossy(&node_says.stdout).trim()
	);
	let inspected =
		ok(&[], &["operator", "node-key", "inspect", "--file", key.to_str().unwrap(), "--json"]);
	assert_eq!(inspected["peerId"], generated["peerId"]);
	let err = fails(&[], &["operator", "node-key", "generate", "--file", key.to_str().unwrap()]);
	assert!(err.contains("File exists"), "never overwrites a key: {err}");

	// Rotating keys: generated on the node, registered with proof of possession.
	let rotated =
		ok(&[("TPCHAIN_SURI", "//Alice")], &["operator", "rotate-keys", "--url", &url, "--json"]);
	let aura = rotated["result"]["aura"].as_str().unwrap().to_string();
	let next = dev
		.conn
		.api
		.at_block(block_hash(&rotated))
		.await
		.unwrap()
		.storage()
		.entry(api::storage().session().next_keys())
		.unwrap()
		.try_fetch((account(&keypair("//Alice")),))
		.await
		.unwrap()
		.expect("next keys")
		.decode()
		.unwrap();
	assert_eq!(
		format!("0x{}", hex::encode(next.aura.0)),
		aura,
		"the new keys are queued: {rotated}"
	);
	let err = fails(&[("TPCHAIN_SURI", "//Bob")], &["operator", "rotate-keys", "--url", &url]);
	assert!(err.contains("is no entity's validator account"), "{err}");
}
