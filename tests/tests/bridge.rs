//! The bridge end to end, with real processes: chain A is the four-validator `local` network
//! (chain id 1), chain B a `dev-b` node (chain id 2). Each chain's governance registers a light
//! client of the other; `tpchain-relay` relays both ways. Burns on A mint on B with exact
//! totals on both chains; a replayed mint fails; a validator admitted on A changes its GRANDPA
//! set and B follows; B's emergency halt stops mints, which resume (funds claimable) after B
//! resumes; a large transfer waits in quarantine and is released; B → A works too. A light
//! client anchored off the counterparty's chain is refuted by the relayer's next import and
//! halts itself. XCM `transfer_assets` crosses both ways (`--dev` and `dev-b`), each side's
//! issuance moving by exactly what its events state; a message waits out B's halt and its
//! quarantine.

use std::{
	process::{Child, Command, Stdio},
	time::Duration,
};
use tpchain_e2e::{
	account, admission_call,
	client::{
		api, bridge::BridgeCall, governance::Track, subxt_signer::sr25519::Keypair,
		supply::SupplyEvents, AccountId, Connection, Hash, TpchainConfig, UNIT,
	},
	dev_b_config, free_port, keypair, node_key, register_counterparty, register_counterparty_with,
	relay_binary, start_dev_pair, start_local_network, start_validator_with_fresh_keys,
	wait_finalized, wait_until, Node,
};
use tpchain_primitives::{bridge::BridgeLimits, ChainId};

const A: ChainId = ChainId(1);
const B: ChainId = ChainId(2);
const PASS: Duration = Duration::from_secs(150);
const MINT: Duration = Duration::from_secs(90);
const QUARANTINE_ABOVE: u128 = 5_000 * UNIT;

fn limits(min_header_age: u32) -> BridgeLimits<u128, u32> {
	BridgeLimits {
		max_transfer: 100_000 * UNIT,
		window: 100,
		window_limit: 1_000_000 * UNIT,
		quarantine_threshold: QUARANTINE_ABOVE,
		// Longer than a parameters vote (15 + 2 blocks on `local`, 5 + 1 on dev-b), so a
		// cancellation fits (`QuarantineTooShort` otherwise).
		quarantine_delay: 18,
		header_threshold: 50_000 * UNIT,
		min_header_age,
	}
}

/// Registers on `on` (through its governance) a light client of `of` at its finalized head,
/// minting from headers `min_header_age` blocks after their import.
async fn register(
	on: &Connection,
	voters: &[&Keypair],
	of: &Connection,
	of_chain: ChainId,
	min_header_age: u32,
) {
	let p = register_counterparty(on, voters, of, of_chain, &limits(min_header_age)).await;
	assert_eq!((p.status.as_str(), p.ok), ("executed", Some(true)), "{p:?}");
	let set = of.grandpa_set(of.finalized().await.unwrap().1).await.unwrap();
	let cp = on.bridge_counterparty(of_chain).await.unwrap().expect("registered");
	assert_eq!((cp.set_id, cp.authorities as usize), (set.set_id, set.authorities.len()));
}

/// Burns `amount` on `conn` from `who` towards `to_chain` for `beneficiary`; returns its id.
async fn burn(
	conn: &Connection,
	who: &Keypair,
	amount: u128,
	to_chain: ChainId,
	beneficiary: &AccountId,
) -> u64 {
	let (outcome, _) = conn
		.burn(who, amount, Some(to_chain.0), beneficiary.0.to_vec(), b"e2e".to_vec())
		.await
		.unwrap();
	match outcome {
		tpchain_e2e::client::burn::BurnOutcome::Executed { id } => id,
		other => panic!("burn not executed: {other:?}"),
	}
}

async fn wait_balance(conn: &Connection, who: &AccountId, amount: u128, what: &str) {
	wait_until(MINT, what, || async {
		(conn.free_balance(who, None).await.ok()? == amount).then_some(())
	})
	.await;
}

/// The relayer's metric `name` for `direction`, from its Prometheus endpoint.
fn metric(port: u16, name: &str, direction: &str) -> Option<i64> {
	use std::io::{Read, Write};
	let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
	s.write_all(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").ok()?;
	let mut body = String::new();
	s.read_to_string(&mut body).ok()?;
	let prefix = format!("{name}{{direction=\"{direction}\"}} ");
	body.lines().find_map(|l| l.strip_prefix(&prefix)?.trim().parse().ok())
}

struct Relay(Child);
impl Relay {
	/// Starts `tpchain-relay` signing with `signer` on both chains (from the environment, as
	/// an operator would: never an argument) with `args`, logging to `log`.
	fn start(a: &Node, b: &Node, signer: &str, args: &[&str], log: &std::path::Path) -> Self {
		Self(
			Command::new(relay_binary())
				.env("TPCHAIN_RELAY_SURI_A", signer)
				.env("TPCHAIN_RELAY_SURI_B", signer)
				.args(["--a", &a.config.ws_url(), "--b", &b.config.ws_url()])
				.args(["--poll-ms", "500"])
				.args(args)
				.stdout(Stdio::null())
				.stderr(Stdio::from(std::fs::File::create(log).unwrap()))
				.spawn()
				.expect("spawn tpchain-relay"),
		)
	}
}
impl Drop for Relay {
	fn drop(&mut self) {
		let _ = self.0.kill();
		let _ = self.0.wait();
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_move_between_two_networks_through_the_light_clients() {
	let dir = tempfile::tempdir().unwrap();
	let a_nodes = start_local_network(dir.path(), "local").await;
	let b_node = Node::start(dev_b_config(dir.path())).await;
	let a = a_nodes[0].connect().await;
	let b = b_node.connect().await;
	wait_finalized(&a, 2, Duration::from_secs(90)).await;
	wait_finalized(&b, 2, Duration::from_secs(60)).await;
	assert_eq!((a.chain_id().await.unwrap(), b.chain_id().await.unwrap()), (A, B));
	let [alice, bob, charlie, eve] = ["//Alice", "//Bob", "//Charlie", "//Eve"].map(keypair);

	// Each chain's governance registers the other: B by Alice alone, A by 3 of 4 entities. B
	// mints only from headers imported 3 blocks before (the relayer waits for them to age); A
	// from any (the relayer sends a header and its mints in one batch).
	register(&b, &[&alice], &a, A, 3).await;
	register(&a, &[&alice, &bob, &charlie], &b, B, 0).await;

	let metrics_port = free_port();
	let prometheus = format!("127.0.0.1:{metrics_port}");
	let relay = Relay::start(
		&a_nodes[1],
		&b_node,
		"//Ferdie",
		&["--prometheus", &prometheus],
		&dir.path().join("relay.log"),
	);

	// A → B: minted exactly, totals agree on both chains.
	let to = account(&keypair("//BridgeRecipient1"));
	let amount = 1_234 * UNIT;
	let id = burn(&a, &alice, amount, B, &to).await;
	wait_balance(&b, &to, amount, "the first burn minted on B").await;
	let totals_a = a.burn_totals(None).await.unwrap();
	let cp = b.bridge_counterparty(A).await.unwrap().unwrap();
	let burned_to_b: u128 =
		totals_a.by_destination.iter().find(|(c, _)| *c == B).unwrap().1.parse().unwrap();
	assert_eq!(burned_to_b, amount);
	assert_eq!(
		(cp.totals.proven.as_str(), cp.totals.minted.as_str()),
		(&*amount.to_string(), &*amount.to_string())
	);
	assert!(b.bridge_is_consumed(A, id).await.unwrap());

	// The same mint proof again: refused (already in the pool check), nothing minted.
	let proof = a.burn_state_proof(id, cp.best.hash).await.unwrap();
	let replay = b.submit(&keypair("//Dave"), &BridgeCall::mint_from_burn(A, &proof)).await;
	// `CheckBridgeSubmission` marks a consumed burn stale: the pool refuses it outright.
	let err = replay.expect_err("a replayed mint must fail").to_string();
	assert!(err.contains("outdated"), "{err}");
	assert_eq!(b.free_balance(&to, None).await.unwrap(), amount);

	// Above the threshold: quarantined, then released by the relayer after the delay.
	let big_to = account(&keypair("//BridgeRecipient2"));
	burn(&a, &alice, 6_000 * UNIT, B, &big_to).await;
	wait_until(MINT, "a quarantined mint", || async {
		(!b.bridge_quarantine().await.ok()?.is_empty()).then_some(())
	})
	.await;
	wait_balance(&b, &big_to, 6_000 * UNIT, "the quarantined mint released").await;

	// B → A.
	let back_to = account(&keypair("//BridgeRecipient3"));
	burn(&b, &alice, 77 * UNIT, A, &back_to).await;
	wait_balance(&a, &back_to, 77 * UNIT, "a burn on B minted on A").await;

	// A's GRANDPA set changes: Eve's entity is admitted and her node validates.
	let set_before = b.bridge_counterparty(A).await.unwrap().unwrap().set_id;
	let _eve_node = admit_eve(&a, &a_nodes, dir.path(), &[&alice, &bob, &charlie], &eve).await;
	wait_until(Duration::from_secs(180), "B following A's new authority set", || async {
		let cp = b.bridge_counterparty(A).await.ok()??;
		(cp.set_id > set_before && cp.authorities == 5).then_some(())
	})
	.await;
	let after_change = account(&keypair("//BridgeRecipient4"));
	burn(&a, &alice, 50 * UNIT, B, &after_change).await;
	wait_balance(&b, &after_change, 50 * UNIT, "a burn after the set change minted").await;

	// B halts the bridge (emergency track): a burn on A stays pending, nothing minted.
	let halt = b.runtime_call(&BridgeCall::halt(A)).await.unwrap();
	let p = b.pass(&[&alice], Track::Emergency, halt, PASS).await.unwrap();
	assert_eq!((p.status.as_str(), p.ok), ("executed", Some(true)));
	assert!(b.bridge_counterparty(A).await.unwrap().unwrap().halted);
	let while_halted = account(&keypair("//BridgeRecipient5"));
	let halted_id = burn(&a, &alice, 10 * UNIT, B, &while_halted).await;
	let (fin, _) = a.finalized().await.unwrap();
	wait_finalized(&a, fin + 5, Duration::from_secs(60)).await;
	assert_eq!(b.free_balance(&while_halted, None).await.unwrap(), 0);
	assert!(!b.bridge_is_consumed(A, halted_id).await.unwrap());
	let pending = wait_until(Duration::from_secs(30), "the pending metric", || async {
		metric(metrics_port, "tpchain_relay_pending_burns", "1->2").filter(|p| *p == 1)
	})
	.await;
	let pending = Some(pending);
	let lag = metric(metrics_port, "tpchain_relay_lag_blocks", "1->2");
	assert!(lag.is_some_and(|l| l >= 0), "lag metric exported: {lag:?}");
	assert_eq!(pending, Some(1), "the relayer reports the burn waiting behind the halt");

	// The relayer stops; two relayers (different signers) start after the resume: they resume
	// from B's state and the burn is minted exactly once.
	drop(relay);
	let resume = b.runtime_call(&BridgeCall::resume(A)).await.unwrap();
	let p = b.pass(&[&alice], Track::Parameters, resume, PASS).await.unwrap();
	assert_eq!((p.status.as_str(), p.ok), ("executed", Some(true)));
	let relays = [("//Ferdie", "relay-2.log"), ("//Dave", "relay-3.log")].map(|(signer, log)| {
		Relay::start(&a_nodes[2], &b_node, signer, &["--one-way"], &dir.path().join(log))
	});
	wait_balance(&b, &while_halted, 10 * UNIT, "the burn made while halted, minted after resume")
		.await;
	let (fin, _) = b.finalized().await.unwrap();
	wait_finalized(&b, fin + 3, Duration::from_secs(60)).await;
	assert_eq!(b.free_balance(&while_halted, None).await.unwrap(), 10 * UNIT, "minted once");

	// Totals on both sides agree.
	let totals_a = a.burn_totals(None).await.unwrap();
	let burned_to_b: u128 =
		totals_a.by_destination.iter().find(|(c, _)| *c == B).unwrap().1.parse().unwrap();
	let cp = b.bridge_counterparty(A).await.unwrap().unwrap();
	assert_eq!(cp.totals.proven, burned_to_b.to_string());
	assert_eq!(cp.totals.minted, burned_to_b.to_string());
	drop(relays);
}

/// Admits Eve's entity on A by vote, starts her validator node and registers her keys.
async fn admit_eve(
	a: &Connection,
	nodes: &[Node],
	root: &std::path::Path,
	voters: &[&Keypair],
	eve: &Keypair,
) -> Node {
	let (_, eve_peer) = node_key(4);
	let admit = admission_call("Eve Exchange Ltd", "EX-005", "Luxembourg", account(eve), &eve_peer);
	let p = a.pass(voters, Track::Membership, admit, PASS).await.unwrap();
	assert_eq!((p.status.as_str(), p.ok), ("executed", Some(true)));
	let (_, alice_peer) = node_key(0);
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{alice_peer}", nodes[0].config.p2p_port);
	start_validator_with_fresh_keys(a, root, "eve", 4, &bootnode, eve).await.0
}

#[tokio::test(flavor = "multi_thread")]
async fn light_client_head_off_the_finalized_chain_cannot_keep_minting() {
	let dir = tempfile::tempdir().unwrap();
	let (a_node, b_node, a, b) = start_dev_pair(dir.path()).await;
	let alice = keypair("//Alice");

	// B's governance anchors A's light client at a header A never finalized: A's finalized
	// header with another state root (a mistaken vote, or one a finality attack fed it).
	let p = register_counterparty_with(&b, &[&alice], &a, A, &limits(0), |mut h| {
		h.state_root = [0x66; 32].into();
		h
	})
	.await;
	assert_eq!((p.status.as_str(), p.ok), ("executed", Some(true)), "{p:?}");
	let forged = b.bridge_counterparty(A).await.unwrap().expect("registered").best;
	assert_ne!(a.block_hash(forged.number).await.unwrap(), Some(forged.hash));

	// The relayer imports from A's real chain: its ancestry reaches the forged height through
	// A's own block, a justified conflict, so B halts the bridge by itself.
	let log = dir.path().join("relay.log");
	let _relay = Relay::start(&a_node, &b_node, "//Ferdie", &["--one-way"], &log);
	let cp = wait_until(Duration::from_secs(90), "B halting on the conflicting header", || async {
		let cp = b.bridge_counterparty(A).await.ok()??;
		cp.halted.then_some(cp)
	})
	.await;
	assert_eq!(cp.best, forged, "nothing imported past the conflict");
	// The block that halted it says why.
	let (best, _) = b.best().await.unwrap();
	let mut found = None;
	for n in (1..=best).rev().take(60) {
		let at = b.api.at_block(b.block_hash(n).await.unwrap().unwrap()).await.unwrap();
		let events = at.events().fetch().await.unwrap();
		if let Some(e) = events.find_first::<api::bridge::events::EquivocationDetected>() {
			found = Some(e.unwrap());
			break;
		}
	}
	let e = found.expect("an EquivocationDetected event");
	assert_eq!((e.number, e.finalized.0), (forged.number, forged.hash.0));
	// The relayer logs the report once B finalizes it.
	let relay_log = wait_until(Duration::from_secs(30), "the relayer's report", || async {
		let text = std::fs::read_to_string(&log).ok()?;
		text.contains("reported the conflict with header #").then_some(text)
	})
	.await;
	assert!(relay_log.contains("is not on the source's finalized chain"), "{relay_log}");
}

/// B's execution fee for `message` (what `BuyExecution` with no limit buys on B).
async fn execution_fee_on(
	conn: &Connection,
	message: &tpchain_e2e::client::xcm::xcm::latest::Xcm<()>,
) -> u128 {
	conn.xcm_quote(message).await.unwrap().fee
}

/// The message `nonce` `from` committed for `to_chain`, decoded.
async fn committed_message(
	from: &Connection,
	to_chain: ChainId,
	nonce: u64,
) -> (u128, tpchain_e2e::client::xcm::xcm::latest::Xcm<()>) {
	use codec::Decode;
	use tpchain_e2e::client::xcm::xcm::VersionedXcm;
	let m = from.outbound_message(to_chain, nonce, None).await.unwrap().expect("committed");
	let xcm = VersionedXcm::<()>::decode(&mut &m.xcm[..]).unwrap().try_into().unwrap();
	(m.value, xcm)
}

/// Waits until `on` has finalized the delivery of message `nonce` of `from`.
async fn wait_delivered(on: &Connection, from: ChainId, nonce: u64) {
	wait_until(MINT, "the message delivered", || async {
		let (_, finalized) = on.finalized().await.ok()?;
		on.message_delivered(from, nonce, Some(finalized)).await.ok()?.then_some(())
	})
	.await;
}

/// Asserts that block `at` of `conn` changed the total issuance by exactly what its events
/// state; returns those amounts.
async fn issuance_matches_events(conn: &Connection, at: Hash) -> SupplyEvents {
	let stated = conn.supply_events(at).await.unwrap();
	assert_eq!(conn.issuance_change(at).await.unwrap(), stated.net(), "{stated:?}");
	stated
}

/// The finalized block of `on` (at or above block `from`) that delivered message `nonce` of
/// `source`, and the value its `MessageDelivered` event states.
async fn delivery_block(
	on: &Connection,
	source: ChainId,
	nonce: u64,
	from: u32,
) -> (Hash, Hash, u128) {
	use codec::Decode;
	let (finalized, _) = on.finalized().await.unwrap();
	for n_block in from..=finalized {
		let at = on.block_hash(n_block).await.unwrap().expect("a finalized block");
		let events = on.block_events(at).await.unwrap();
		for e in events.iter().map(Result::unwrap) {
			if (e.pallet_name(), e.event_name()) != ("Bridge", "MessageDelivered") {
				continue;
			}
			let (chain, n, value) =
				<(ChainId, u64, u128)>::decode(&mut e.field_bytes()).expect("its fields");
			if (chain, n) == (source, nonce) {
				let parent = on.block_hash(n_block - 1).await.unwrap().expect("its parent");
				return (at, parent, value);
			}
		}
	}
	panic!("no MessageDelivered for message {nonce} of {source:?} in blocks {from}..={finalized}")
}

/// The value `MessageSent` states in `events`.
fn sent_value(events: &tpchain_e2e::client::subxt::events::Events<TpchainConfig>) -> u128 {
	use codec::Decode;
	events
		.iter()
		.map(Result::unwrap)
		.find(|e| (e.pallet_name(), e.event_name()) == ("BurnProofs", "MessageSent"))
		.map(|e| <(ChainId, u64, u128)>::decode(&mut e.field_bytes()).unwrap().2)
		.expect("a MessageSent event")
}

/// What `who` received in block `at` (whose parent is `parent`).
async fn received_in(on: &Connection, who: &AccountId, at: Hash, parent: Hash) -> u128 {
	on.free_balance(who, Some(at)).await.unwrap()
		- on.free_balance(who, Some(parent)).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn xcm_transfer_assets_crosses_both_ways_with_proofs() {
	use tpchain_e2e::client::xcm::{self as x, XcmCall};
	let dir = tempfile::tempdir().unwrap();
	let (a_node, b_node, a, b) = start_dev_pair(dir.path()).await;
	let alice = keypair("//Alice");
	register(&b, &[&alice], &a, A, 0).await;
	register(&a, &[&alice], &b, B, 0).await;
	let metrics_port = free_port();
	let prometheus = format!("127.0.0.1:{metrics_port}");
	let _relay = Relay::start(
		&a_node,
		&b_node,
		"//Ferdie",
		&["--prometheus", &prometheus],
		&dir.path().join("relay.log"),
	);

	// The dry run on A shows the message before anything is sent.
	let to = account(&keypair("//XcmRecipient1"));
	let amount = 25 * UNIT;
	let metadata = a.metadata().await.unwrap();
	let call = XcmCall::transfer_to_chain(B, &to, amount);
	let dry = a.dry_run_call(&account(&alice), &call.call_data(&metadata).unwrap()).await.unwrap();
	assert_eq!((dry.result.clone(), dry.forwarded), (Ok(()), 1), "{dry:?}");

	// A → B: burned on A (counted with the burns towards B), minted on B less B's fee, exactly.
	let (b_start, _) = b.finalized().await.unwrap();
	let (a_start, _) = a.finalized().await.unwrap();
	let before = a.free_balance(&account(&alice), None).await.unwrap();
	let (block, events, nonce) = a.xcm_transfer(&alice, B, &to, amount).await.unwrap();
	assert_eq!(nonce, 0);
	let (value, message) = committed_message(&a, B, 0).await;
	assert_eq!(value, amount);
	let delivery = a.xcm_delivery_fee(B, &message, Some(block)).await.unwrap();
	let tx_fee = tpchain_e2e::fee(&events);
	assert_eq!(
		a.free_balance(&account(&alice), Some(block)).await.unwrap(),
		before - amount - delivery - tx_fee
	);
	let totals = a.burn_totals(None).await.unwrap();
	let to_b: u128 =
		totals.by_destination.iter().find(|(c, _)| *c == B).unwrap().1.parse().unwrap();
	assert_eq!(to_b, amount);
	// A's issuance drops by the value `MessageSent` states, the delivery fee and the
	// transaction fees, all burned; B's rises by what `MessageDelivered` states less B's
	// execution fee, minted to the beneficiary.
	let stated = issuance_matches_events(&a, block).await;
	let sent = sent_value(&a.block_events(block).await.unwrap());
	assert_eq!(sent, amount);
	assert_eq!(stated.burned, sent + delivery + stated.fees, "{stated:?}");
	assert_eq!(stated.minted, 0);
	wait_delivered(&b, A, 0).await;
	let fee_b = execution_fee_on(&b, &message).await;
	assert!(fee_b > 0);
	assert_eq!(b.free_balance(&to, None).await.unwrap(), amount - fee_b);
	let (delivered_in, parent, value) = delivery_block(&b, A, 0, b_start).await;
	assert_eq!(value, amount);
	let stated = issuance_matches_events(&b, delivered_in).await;
	assert_eq!(received_in(&b, &to, delivered_in, parent).await, value - fee_b);
	assert_eq!(stated.net(), (value - fee_b) as i128 - stated.fees as i128, "{stated:?}");
	let cp = b.bridge_counterparty(A).await.unwrap().unwrap();
	assert_eq!(cp.totals.minted, amount.to_string());
	wait_until(MINT, "the delivery counted", || async {
		(metric(metrics_port, "tpchain_relay_messages_delivered_total", "1->2")? >= 1).then_some(())
	})
	.await;

	// Delivered once: the same proof again is refused in the pool and changes nothing.
	let proof = a.message_state_proof(B, 0, cp.best.hash).await.unwrap();
	let replay = b.submit(&keypair("//Dave"), &BridgeCall::receive_message(A, &proof)).await;
	let err = replay.expect_err("a replayed delivery must fail").to_string();
	assert!(err.contains("outdated"), "{err}");
	assert_eq!(b.free_balance(&to, None).await.unwrap(), amount - fee_b);

	// The CLI reports the message on both sides.
	let status = tpchain_e2e::cli_json(
		&[],
		&[
			"xcm",
			"status",
			"--url",
			&a_node.config.ws_url(),
			"--target-url",
			&b_node.config.ws_url(),
			"--to-chain",
			"2",
			"0",
			"--json",
		],
	);
	assert_eq!(status["delivered"], true, "{status}");
	assert_eq!(status["valueUnits"], amount.to_string(), "{status}");

	// B → A, through the CLI (the secret from the environment, not the command line).
	let back = account(&keypair("//XcmRecipient2"));
	let back_ss58 = back.to_string();
	let out = std::process::Command::new(tpchain_e2e::cli_binary())
		.args(["xcm", "transfer", "--url", &b_node.config.ws_url(), "--to-chain", "1"])
		.args(["--beneficiary", &back_ss58, "--amount", "7", "--json"])
		.env("TPCHAIN_SURI", "//Alice")
		.output()
		.expect("run tpchain-cli");
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let sent: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	assert_eq!(sent["nonce"], 0, "{sent}");
	let (_, message) = committed_message(&b, A, 0).await;
	let sent_in: Hash = sent["block"].as_str().unwrap().parse().unwrap();
	let stated = issuance_matches_events(&b, sent_in).await;
	let value = sent_value(&b.block_events(sent_in).await.unwrap());
	assert_eq!(value, 7 * UNIT);
	let delivery = b.xcm_delivery_fee(A, &message, Some(sent_in)).await.unwrap();
	assert_eq!(stated.burned, value + delivery + stated.fees, "{stated:?}");
	assert_eq!(stated.minted, 0);
	wait_delivered(&a, B, 0).await;
	let fee_a = execution_fee_on(&a, &message).await;
	assert_eq!(a.free_balance(&back, None).await.unwrap(), 7 * UNIT - fee_a);
	let (delivered_in, parent, value) = delivery_block(&a, B, 0, a_start).await;
	assert_eq!(value, 7 * UNIT);
	let stated = issuance_matches_events(&a, delivered_in).await;
	assert_eq!(received_in(&a, &back, delivered_in, parent).await, value - fee_a);
	assert_eq!(stated.net(), (value - fee_a) as i128 - stated.fees as i128, "{stated:?}");

	// A program that fails on B (its weight limit is below its weight: the barrier refuses it)
	// keeps the value: trapped for the beneficiary, who claims it.
	let bob = keypair("//Bob");
	let args = (
		x::xcm::VersionedLocation::from(x::counterparty_location(B)),
		x::xcm::VersionedLocation::from(x::account_location(&account(&bob))),
		x::xcm::VersionedAssets::from(x::xcm::latest::Assets::from(x::tpc(3 * UNIT))),
		0u32,
		x::xcm::latest::WeightLimit::Limited(x::xcm::latest::Weight::from_parts(1, 1)),
	);
	use codec::Encode;
	a.submit(&alice, &XcmCall::raw("transfer_assets", args.encode())).await.unwrap();
	wait_delivered(&b, A, 1).await;
	let bob_before = b.free_balance(&account(&bob), None).await.unwrap();
	let theirs: x::xcm::latest::Asset = (x::counterparty_location(A), 3 * UNIT).into();
	let claim_args = (
		x::xcm::VersionedAssets::from(x::xcm::latest::Assets::from(theirs)),
		x::xcm::VersionedLocation::from(x::account_location(&account(&bob))),
	);
	let (_, events) =
		b.submit(&bob, &XcmCall::raw("claim_assets", claim_args.encode())).await.unwrap();
	let claim_fee = tpchain_e2e::fee(&events);
	assert_eq!(
		b.free_balance(&account(&bob), None).await.unwrap(),
		bob_before + 3 * UNIT - claim_fee
	);

	// B halts the bridge from A (emergency track): a message sent meanwhile waits, counted as
	// pending by the relayer, and nothing reaches its beneficiary.
	let halt = b.runtime_call(&BridgeCall::halt(A)).await.unwrap();
	let p = b.pass(&[&alice], Track::Emergency, halt, PASS).await.unwrap();
	assert_eq!((p.status.as_str(), p.ok), ("executed", Some(true)));
	let big = account(&keypair("//XcmRecipient3"));
	let big_amount = QUARANTINE_ABOVE + 1_000 * UNIT;
	let (_, _, nonce) = a.xcm_transfer(&alice, B, &big, big_amount).await.unwrap();
	assert_eq!(nonce, 2);
	let (_, message) = committed_message(&a, B, 2).await;
	let (fin, _) = a.finalized().await.unwrap();
	wait_finalized(&a, fin + 5, Duration::from_secs(60)).await;
	wait_until(Duration::from_secs(30), "the message counted as pending", || async {
		metric(metrics_port, "tpchain_relay_pending_messages", "1->2").filter(|p| *p == 1)
	})
	.await;
	assert!(!b.message_delivered(A, 2, None).await.unwrap());
	assert_eq!(b.free_balance(&big, None).await.unwrap(), 0);

	// Resumed, the message is delivered; above B's threshold it waits in quarantine, listed by
	// `bridge_quarantinedMessages`, and the relayer releases it once the delay has passed.
	let resume = b.runtime_call(&BridgeCall::resume(A)).await.unwrap();
	let p = b.pass(&[&alice], Track::Parameters, resume, PASS).await.unwrap();
	assert_eq!((p.status.as_str(), p.ok), ("executed", Some(true)));
	let waiting = wait_until(MINT, "the message in quarantine", || async {
		b.bridge_quarantined_messages().await.ok()?.into_iter().find(|m| m.nonce == 2)
	})
	.await;
	assert_eq!((waiting.counterparty, waiting.value), (A, big_amount.to_string()));
	assert_eq!(b.free_balance(&big, None).await.unwrap(), 0);
	let fee_b = execution_fee_on(&b, &message).await;
	wait_balance(&b, &big, big_amount - fee_b, "the quarantined message released").await;
	assert!(b.bridge_quarantined_messages().await.unwrap().is_empty());
}
