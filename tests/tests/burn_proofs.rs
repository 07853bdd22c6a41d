//! Burns end to end on a `--dev` node: burn over JSON-RPC, wait for finality, fetch the proof
//! bundle, verify it offline with `tpchain-cli`, tamper with it and see each tampering rejected.

use codec::Encode;
use std::{path::Path, process::Command, time::Duration};
use tpchain_e2e::{
	account, cli_binary,
	client::{
		api,
		burn::{parse_bundle, BurnOutcome},
		Connection, UNIT,
	},
	keypair, wait_until, Node, NodeConfig,
};
use tpchain_primitives::burn::{
	json::ProofResponse, verify_burn_proof, BurnProofBundle, BurnProofError, TrustedAuthoritySet,
};

/// Runs `tpchain-cli` and returns (success, stdout, stderr).
fn cli(args: &[&str]) -> (bool, String, String) {
	let out = Command::new(cli_binary()).args(args).output().expect("run tpchain-cli");
	(
		out.status.success(),
		String::from_utf8_lossy(&out.stdout).into_owned(),
		String::from_utf8_lossy(&out.stderr).into_owned(),
	)
}

fn write(dir: &Path, name: &str, text: &str) -> String {
	let path = dir.join(name);
	std::fs::write(&path, text).unwrap();
	path.to_str().unwrap().to_string()
}

/// The JSON-RPC error code of a failed call, if the node answered with one.
fn rpc_code(e: &tpchain_e2e::client::Error) -> Option<i32> {
	match e {
		tpchain_e2e::client::Error::Rpc { code, .. } => Some(*code),
		_ => None,
	}
}

async fn proof_when_final(conn: &Connection, id: u64) -> ProofResponse {
	wait_until(Duration::from_secs(30), "burn proof available", || async {
		match conn.burn_proof(id).await {
			Ok(p) => Some(p),
			Err(e) => {
				assert_eq!(rpc_code(&e), Some(8002), "only 'not final yet' may be retried: {e}");
				None
			},
		}
	})
	.await
}

#[tokio::test(flavor = "multi_thread")]
async fn burn_is_proven_and_tampering_is_rejected() {
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start(NodeConfig::dev(dir.path())).await;
	let conn = node.connect().await;
	let url = node.config.ws_url();
	let tmp = dir.path();

	// The trust root an auditor keeps (here taken from the node before the burn).
	let (ok, set_json, err) = cli(&["authority-set", "--url", &url]);
	assert!(ok, "authority-set failed: {err}");
	let set: TrustedAuthoritySet = serde_json::from_str(&set_json).unwrap();
	assert_eq!(set.authorities.len(), 1);
	assert_eq!(set.chain_id.map(|c| c.0), Some(1));
	let set_file = write(tmp, "set.json", &set_json);

	// Burn 5 TPC towards chain 2.
	let ferdie = keypair("//Ferdie");
	let issuance_before = conn.total_issuance(None).await.unwrap();
	let (id, block) = conn
		.burn(&ferdie, 5 * UNIT, Some(2), [0xb2; 32].to_vec(), b"INV-2026-11".to_vec())
		.await
		.expect("burn succeeds");
	let BurnOutcome::Executed { id } = id else {
		panic!("below the approval threshold a burn executes at once: {id:?}")
	};
	let parent = conn.rpc.chain_get_header(Some(block)).await.unwrap().unwrap().parent_hash;
	let ferdie_id = account(&ferdie);
	let paid = conn.free_balance(&ferdie_id, Some(parent)).await.unwrap()
		- conn.free_balance(&ferdie_id, Some(block)).await.unwrap();
	let issuance_drop = conn.total_issuance(Some(parent)).await.unwrap()
		- conn.total_issuance(Some(block)).await.unwrap();
	assert!(paid > 5 * UNIT, "the burner pays the amount and a fee");
	// Amount and fee both leave the supply: a burn, not a transfer.
	assert_eq!(issuance_drop, paid);
	assert!(conn.total_issuance(None).await.unwrap() <= issuance_before - 5 * UNIT);

	// Record and totals over RPC.
	let record = conn.burn_record(id, None).await.unwrap().expect("record");
	assert_eq!(record.amount, (5 * UNIT).to_string());
	assert_eq!(record.destination.map(|c| c.0), Some(2));
	assert_eq!(record.reference.0, b"INV-2026-11".to_vec());
	let totals = conn.burn_totals(Some(record.burner.clone())).await.unwrap();
	assert_eq!(totals.count, id + 1);
	assert_eq!(totals.account, Some((5 * UNIT).to_string()));
	assert!(totals.by_destination.iter().any(|(c, a)| c.0 == 2 && *a == (5 * UNIT).to_string()));
	assert_eq!(ferdie_id.to_string(), record.burner);

	// A burn that does not exist is a typed RPC error.
	let missing = conn.burn_proof(id + 1000).await.expect_err("no such burn");
	assert_eq!(rpc_code(&missing), Some(8001), "{missing}");

	// The bundle, once final, verifies offline.
	let proof = proof_when_final(&conn, id).await;
	assert!(
		proof.proven_at.0
			>= conn.rpc.chain_get_header(Some(block)).await.unwrap().unwrap().number as u32
	);
	let bundle_json = serde_json::to_string(&proof).unwrap();
	let bundle_file = write(tmp, "bundle.json", &bundle_json);
	let (ok, out, err) = cli(&["verify-burn", &bundle_file, "--authorities", &set_file]);
	assert!(ok, "valid bundle rejected: {err}");
	let verified: serde_json::Value = serde_json::from_str(&out).unwrap();
	assert_eq!(verified["record"]["id"], id);
	assert_eq!(verified["record"]["amount"], (5 * UNIT).to_string());
	assert_eq!(verified["record"]["burner"], record.burner);
	assert_eq!(verified["chainId"], 1);
	println!("bundle size with 1 validator: {} bytes", proof.bundle.0.len());
	assert!(proof.bundle.0.len() < 4096);

	// Tampering: every flipped byte fails in-process; a sample goes through the CLI.
	let bundle = parse_bundle(&bundle_json).unwrap();
	let encoded = bundle.encode();
	for i in 0..encoded.len() {
		let mut t = encoded.clone();
		t[i] ^= 0x80;
		let outcome = BurnProofBundle::decode_exact(&t).and_then(|b| verify_burn_proof(&b, &set));
		assert!(outcome.is_err(), "flipped byte {i} accepted");
	}
	for i in [0, encoded.len() / 3, encoded.len() / 2, encoded.len() - 1] {
		let mut t = encoded.clone();
		t[i] ^= 0x01;
		let file = write(tmp, "tampered.json", &format!("\"0x{}\"", hex::encode(&t)));
		let (ok, _, err) = cli(&["verify-burn", &file, "--authorities", &set_file]);
		assert!(!ok && err.contains("REJECTED"), "byte {i}: {err}");
	}

	// A different record claimed over the same proof.
	let mut forged = bundle.clone();
	forged.record.amount += 1;
	assert_eq!(verify_burn_proof(&forged, &set), Err(BurnProofError::RecordMismatch));

	// Wrong trust roots: another key, another set id, another chain.
	let mut other = set.clone();
	other.authorities = vec![(
		sp_consensus_grandpa::AuthorityId::from(sp_keyring::Ed25519Keyring::Bob.public()),
		1,
	)];
	let file = write(tmp, "other.json", &serde_json::to_string(&other).unwrap());
	let (ok, _, err) = cli(&["verify-burn", &bundle_file, "--authorities", &file]);
	assert!(!ok && err.contains("UnknownAuthority"), "{err}");
	let mut later = set.clone();
	later.set_id += 1;
	assert_eq!(verify_burn_proof(&bundle, &later), Err(BurnProofError::InvalidSignature));
	let mut elsewhere = set.clone();
	elsewhere.chain_id = Some(tpchain_primitives::ChainId(99));
	let file = write(tmp, "elsewhere.json", &serde_json::to_string(&elsewhere).unwrap());
	let (ok, _, err) = cli(&["verify-burn", &bundle_file, "--authorities", &file]);
	assert!(!ok && err.contains("ChainIdMismatch"), "{err}");

	// `get-proof` through the CLI yields the same kind of bundle.
	let (ok, out, err) = cli(&["get-proof", "--url", &url, &id.to_string()]);
	assert!(ok, "{err}");
	let again: ProofResponse = serde_json::from_str(&out).unwrap();
	assert_eq!(again.burn_id, id);
}

#[tokio::test(flavor = "multi_thread")]
async fn large_burn_waits_for_approval_then_is_provable() {
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start(NodeConfig::dev(dir.path())).await;
	let conn = node.connect().await;
	let eve = keypair("//Eve");
	let eve_id = account(&eve);

	// 200,000 TPC is above the dev threshold (100,000): held, not burned.
	let amount = 200_000 * UNIT;
	let (outcome, block) =
		conn.burn(&eve, amount, None, vec![], b"big".to_vec()).await.expect("request accepted");
	let BurnOutcome::AwaitingApproval { request } = outcome else {
		panic!("above the threshold a burn must wait: {outcome:?}")
	};
	let account_at = conn.account(&eve_id, Some(block)).await.unwrap();
	assert_eq!(account_at.data.reserved, amount, "the amount is on hold");
	assert_eq!(conn.burn_totals(None).await.unwrap().count, 0, "no record before approval");

	// A parameters vote (Alice is the dev chain's only entity) approves: the held amount is
	// burned and recorded in the enactment block.
	use api::runtime_types::pallet_burn_proofs::pallet::Call;
	use tpchain_e2e::client::governance::{RuntimeCall, Track};
	let passed = conn
		.pass(
			&[&keypair("//Alice")],
			Track::Parameters,
			RuntimeCall::BurnProofs(Call::approve_large_burn { request }),
			Duration::from_secs(60),
		)
		.await
		.unwrap();
	assert_eq!((passed.status.as_str(), passed.ok), ("executed", Some(true)));
	let approved_at = conn.block_hash(passed.status_at).await.unwrap().unwrap();
	let at = conn.api.at_block(approved_at).await.unwrap();
	let events = at.events().fetch().await.unwrap();
	let approved = events
		.find_first::<api::burn_proofs::events::BurnApproved>()
		.expect("BurnApproved")
		.unwrap();
	assert_eq!(approved.request, request);
	let parent = conn.rpc.chain_get_header(Some(approved_at)).await.unwrap().unwrap().parent_hash;
	assert_eq!(
		conn.total_issuance(Some(parent)).await.unwrap()
			- conn.total_issuance(Some(approved_at)).await.unwrap(),
		amount,
		"exactly the approved amount leaves the supply in the enactment block"
	);
	assert_eq!(conn.account(&eve_id, Some(approved_at)).await.unwrap().data.reserved, 0);

	let record = conn.burn_record(approved.id, None).await.unwrap().expect("record");
	assert_eq!(record.amount, amount.to_string());
	assert_eq!(record.burner, eve_id.to_string());
	let set = conn.authority_set().await.unwrap();
	let proof = proof_when_final(&conn, approved.id).await;
	let bundle = parse_bundle(&serde_json::to_string(&proof).unwrap()).unwrap();
	assert_eq!(verify_burn_proof(&bundle, &set).unwrap().record.amount, amount);
}
