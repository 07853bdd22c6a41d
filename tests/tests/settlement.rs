//! Batch settlement end to end on a `--dev` node over JSON-RPC: instructions signed offline
//! by their payers, settled in one batch by someone else, netted; forged, replayed, expired and
//! foreign instructions skipped with their reasons; a replay of the whole batch moves nothing.
//! Receipts of settled instructions verify offline; failed ones have none. On the four
//! `local` validators, a node that only imported the block serves the receipt.

use std::time::Duration;
use tpchain_e2e::{
	account, cli_json,
	client::{
		settlement::{
			account_of, batch_path, batch_root, parse_receipt, sign, verify_batch_path,
			verify_receipt, Expiry, Failure, PaymentInstruction, ReceiptError,
		},
		UNIT,
	},
	dev_node, fund, keypair, start_local_network, wait_finalized, wait_until,
};

#[tokio::test(flavor = "multi_thread")]
async fn offline_signed_instructions_settle_netted_in_one_batch() {
	let dev = dev_node().await;
	let conn = &dev.conn;
	let (p1, p2) = (keypair("//SettlePayer1"), keypair("//SettlePayer2"));
	let payee = keypair("//SettlePayee");
	fund(conn, &account(&p1), 100 * UNIT).await;
	fund(conn, &account(&p2), 100 * UNIT).await;
	let (chain, genesis) = conn.settlement_domain().await.unwrap();
	let (best, _) = conn.best().await.unwrap();

	let pay = |from: &_, to: &_, amount: u128, sequence: u64| PaymentInstruction {
		payer: account_of(from),
		payee: account_of(to),
		amount,
		sequence,
		expiry: Expiry::Block(best + 100),
		reference: [sequence as u8; 16],
	};
	// Signed offline: no connection is used from here to `settle`.
	let batch = vec![
		sign(&p1, chain, &genesis, pay(&p1, &payee, 10 * UNIT, 0)),
		sign(&p2, chain, &genesis, pay(&p2, &p1, 5 * UNIT, 0)),
		sign(&p1, chain, &genesis, pay(&p1, &p2, 3 * UNIT, 1)),
		// The first instruction again: its sequence number is spent.
		sign(&p1, chain, &genesis, pay(&p1, &payee, 10 * UNIT, 0)),
		// P1 signs an instruction that names P2 as payer.
		sign(&p1, chain, &genesis, pay(&p2, &p1, 50 * UNIT, 1)),
		sign(
			&p2,
			chain,
			&genesis,
			PaymentInstruction { expiry: Expiry::Block(1), ..pay(&p2, &payee, UNIT, 2) },
		),
		// Signed for another network's genesis.
		sign(&p2, chain, &[9; 32].into(), pay(&p2, &payee, UNIT, 3)),
	];
	let hashes: Vec<_> = batch[..3].iter().map(|s| s.instruction.hash(chain, &genesis)).collect();

	let submitter = keypair("//Ferdie");
	let before = conn.free_balance(&account(&submitter), None).await.unwrap();
	let issuance = conn.total_issuance(None).await.unwrap();
	let settled = conn.settle(&submitter, &batch).await.unwrap();
	assert_eq!(settled.settled, 3);
	assert_eq!(
		settled.failed,
		vec![
			(3, Failure::SequenceTooOld),
			(4, Failure::BadSignature),
			(5, Failure::Expired),
			(6, Failure::BadSignature),
		]
	);
	assert_eq!(settled.root, batch_root(&hashes));
	for (i, leaf) in hashes.iter().enumerate() {
		let path = batch_path(&hashes, i as u32);
		assert!(verify_batch_path(&settled.root, &path, 3, i as u32, leaf));
	}
	let at = Some(settled.block);
	assert_eq!(conn.free_balance(&account(&p1), at).await.unwrap(), (100 - 10 + 5 - 3) * UNIT);
	assert_eq!(conn.free_balance(&account(&p2), at).await.unwrap(), (100 - 5 + 3) * UNIT);
	assert_eq!(conn.free_balance(&account(&payee), at).await.unwrap(), 10 * UNIT);
	assert_eq!(conn.free_balance(&account(&submitter), at).await.unwrap(), before - settled.fee);
	// Netting moves money and creates none: only the fee (burned) leaves the issuance.
	assert_eq!(conn.total_issuance(at).await.unwrap(), issuance - settled.fee);

	// Another submitter replays the whole batch: every instruction is refused, nothing moves.
	let again = conn.settle(&keypair("//Eve"), &batch).await.unwrap();
	assert_eq!((again.batch, again.settled), (settled.batch + 1, 0));
	assert_eq!(
		again.failed,
		vec![
			(0, Failure::SequenceTooOld),
			(1, Failure::SequenceTooOld),
			(2, Failure::SequenceTooOld),
			(3, Failure::SequenceTooOld),
			(4, Failure::BadSignature),
			(5, Failure::Expired),
			(6, Failure::BadSignature),
		]
	);
	let at = Some(again.block);
	assert_eq!(conn.free_balance(&account(&p1), at).await.unwrap(), 92 * UNIT);
	assert_eq!(conn.free_balance(&account(&p2), at).await.unwrap(), 98 * UNIT);
	assert_eq!(conn.free_balance(&account(&payee), at).await.unwrap(), 10 * UNIT);

	// The CLI: the payer signs offline (its secret from the environment, no URL), Dave settles
	// the files and is told each instruction's result.
	let url = dev.node.config.ws_url();
	let domain = cli_json(&[], &["pay", "domain", "--url", &url]);
	assert_eq!(domain["chainId"], chain.0);
	let genesis_hex = domain["genesis"].as_str().unwrap().to_string();
	assert_eq!(genesis_hex, format!("{genesis:?}"));
	let dir = tempfile::tempdir().unwrap();
	let payee_ss58 = account(&payee).to_string();
	let expiry = (best + 200).to_string();
	let mut files = Vec::new();
	for (sequence, amount) in [("2", "1.5"), ("3", "2")] {
		let signed = cli_json(
			&[("TPCHAIN_SURI", "//SettlePayer1")],
			&[
				"pay",
				"sign",
				"--chain-id",
				"1",
				"--genesis",
				&genesis_hex,
				"--payee",
				&payee_ss58,
				"--amount",
				amount,
				"--sequence",
				sequence,
				"--expires-at-block",
				&expiry,
				"--reference",
				"INV-7",
			],
		);
		assert_eq!(signed["payer"], account(&p1).to_string());
		let file = dir.path().join(format!("{sequence}.json"));
		std::fs::write(&file, signed.to_string()).unwrap();
		files.push(file.to_str().unwrap().to_string());
	}
	// The first file twice: its second copy is refused (the window has moved past it).
	let (first, second) = (files[0].as_str(), files[1].as_str());
	let args = ["pay", "submit", "--url", url.as_str(), "--json", first, second, first];
	let report = cli_json(&[("TPCHAIN_SURI", "//Dave")], &args);
	assert_eq!((report["settled"].as_u64(), report["failed"].as_u64()), (Some(2), Some(1)));
	let results = report["instructions"].as_array().unwrap();
	assert_eq!(results[0]["leaf"], 0);
	assert_eq!(results[1]["leaf"], 1);
	assert_eq!(results[2]["failed"], "SequenceTooOld");
	let payer_after = conn.free_balance(&account(&p1), None).await.unwrap();
	assert_eq!(payer_after, 92 * UNIT - 3 * UNIT - UNIT / 2);
	assert_eq!(conn.free_balance(&account(&payee), None).await.unwrap(), 13 * UNIT + UNIT / 2);

	// A file that is not a signed instruction changes nothing and says why.
	std::fs::write(dir.path().join("bad.json"), "{\"hash\": \"0x00\"}").unwrap();
	let bad = dir.path().join("bad.json").to_str().unwrap().to_string();
	let out = std::process::Command::new(tpchain_e2e::cli_binary())
		.args(["pay", "submit", "--url", url.as_str(), bad.as_str()])
		.env("TPCHAIN_SURI", "//Dave")
		.output()
		.unwrap();
	assert!(!out.status.success());
	assert!(String::from_utf8_lossy(&out.stderr).contains("no \"signed\""));
	assert_eq!(conn.free_balance(&account(&p1), None).await.unwrap(), payer_after);
}

/// The JSON-RPC error code of a failed call, if the node answered with one.
fn rpc_code(e: &tpchain_e2e::client::Error) -> Option<i32> {
	match e {
		tpchain_e2e::client::Error::Rpc { code, .. } => Some(*code),
		_ => None,
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn settled_instructions_have_receipts_verified_offline() {
	let dev = dev_node().await;
	let conn = &dev.conn;
	let url = dev.node.config.ws_url();
	// The auditor's trust root, kept before anything settles.
	let set = conn.authority_set().await.unwrap();
	let dir = tempfile::tempdir().unwrap();
	let set_file = dir.path().join("set.json");
	std::fs::write(&set_file, serde_json::to_string(&set).unwrap()).unwrap();

	let (payer, payee) = (keypair("//ReceiptPayer"), keypair("//ReceiptPayee"));
	fund(conn, &account(&payer), 50 * UNIT).await;
	let (chain, genesis) = conn.settlement_domain().await.unwrap();
	let (best, _) = conn.best().await.unwrap();
	let pay = |amount: u128, sequence: u64, expiry: u32| PaymentInstruction {
		payer: account_of(&payer),
		payee: account_of(&payee),
		amount,
		sequence,
		expiry: Expiry::Block(expiry),
		reference: *b"receipt-test-000",
	};
	let batch = vec![
		sign(&payer, chain, &genesis, pay(2 * UNIT, 0, best + 100)),
		sign(&payer, chain, &genesis, pay(UNIT, 1, 1)),
		sign(&payer, chain, &genesis, pay(3 * UNIT, 2, best + 100)),
	];
	let hash = |i: usize| batch[i].instruction.hash(chain, &genesis);
	let settled = conn.settle(&keypair("//Ferdie"), &batch).await.unwrap();
	assert_eq!((settled.settled, settled.failed.clone()), (2, vec![(1, Failure::Expired)]));
	let settled_in = conn.header(settled.block).await.unwrap().number;

	// With the batch id (what `settle` reports) and without it (the node searches): the same
	// receipt, and the one verifier accepts it against the trust root kept before.
	let receipt = wait_until(Duration::from_secs(30), "receipt available", || async {
		match conn.settlement_receipt(hash(2), Some(settled.batch)).await {
			Ok(r) => Some(r),
			Err(e) => {
				assert_eq!(rpc_code(&e), Some(8602), "only 'not final yet' may be retried: {e}");
				None
			},
		}
	})
	.await;
	assert_eq!((receipt.batch, receipt.settled_in), (settled.batch, settled_in));
	let searched = conn.settlement_receipt(hash(2), None).await.unwrap();
	assert_eq!(searched.batch, settled.batch);
	let decoded = parse_receipt(&serde_json::to_string(&receipt).unwrap()).unwrap();
	let verified = verify_receipt(&decoded, &set).unwrap();
	assert_eq!(verified.instruction_hash, hash(2));
	assert_eq!((verified.chain_id, verified.genesis), (chain, genesis));
	assert_eq!((verified.batch, verified.record.block), (settled.batch, settled_in));
	assert_eq!(verified.record.root, settled.root);
	assert_eq!(verified.record.failed, vec![1]);
	assert_eq!(decoded.instruction, batch[2].instruction);
	assert_eq!(decoded.leaf, 1, "the expired instruction is not a leaf");

	// A failed instruction has no receipt, and one claimed for it does not verify.
	let refused = conn.settlement_receipt(hash(1), Some(settled.batch)).await.unwrap_err();
	assert_eq!(rpc_code(&refused), Some(8601), "{refused}");
	let refused = conn.settlement_receipt(hash(1), None).await.unwrap_err();
	assert_eq!(rpc_code(&refused), Some(8601), "{refused}");
	let mut forged = decoded.clone();
	forged.instruction = batch[1].instruction.clone();
	assert_eq!(verify_receipt(&forged, &set), Err(ReceiptError::NotInBatch));
	// Nor does one that inflates the amount paid.
	let mut forged = decoded.clone();
	forged.instruction.amount = 30 * UNIT;
	assert_eq!(verify_receipt(&forged, &set), Err(ReceiptError::NotInBatch));

	// The CLI: fetch, then verify offline; a tampered file is rejected with the check that
	// failed.
	let fetched = cli_json(
		&[],
		&[
			"pay",
			"receipt",
			"--url",
			&url,
			&format!("{:?}", hash(0)),
			"--batch",
			&settled.batch.to_string(),
		],
	);
	let file = dir.path().join("receipt.json");
	std::fs::write(&file, fetched.to_string()).unwrap();
	let (file, set_file) = (file.to_str().unwrap(), set_file.to_str().unwrap());
	let out = cli_json(&[], &["verify-receipt", file, "--authorities", set_file]);
	assert_eq!(out["verified"], true);
	assert_eq!(out["instructionHash"], format!("{:?}", hash(0)));
	assert_eq!(out["amountUnits"], (2 * UNIT).to_string());
	assert_eq!(out["payee"], account(&payee).to_string());
	assert_eq!(out["settledIn"], settled_in);

	let mut bytes =
		hex::decode(fetched["receipt"].as_str().unwrap().trim_start_matches("0x")).unwrap();
	println!("receipt size: {} bytes", bytes.len());
	// The amount is the instruction's third field, after two 32-byte accounts: byte 64 is its
	// compact prefix, byte 65 its lowest byte. One unit more is not what settled.
	bytes[65] ^= 0x01;
	let tampered = dir.path().join("tampered.json");
	std::fs::write(&tampered, format!("\"0x{}\"", hex::encode(bytes))).unwrap();
	let out = std::process::Command::new(tpchain_e2e::cli_binary())
		.args(["verify-receipt", tampered.to_str().unwrap(), "--authorities", set_file])
		.output()
		.unwrap();
	assert!(!out.status.success());
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("REJECTED: NotInBatch"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn four_validators_settle_and_another_node_serves_the_receipt() {
	let root = tempfile::tempdir().unwrap();
	let nodes = start_local_network(root.path(), "local").await;
	let (bob, charlie) = (nodes[1].connect().await, nodes[2].connect().await);
	wait_finalized(&bob, 2, Duration::from_secs(120)).await;
	// The auditor's trust root: the four validators' GRANDPA keys, from another node.
	let set = charlie.authority_set().await.unwrap();
	assert_eq!(set.authorities.len(), 4);

	let (payer, payee) = (keypair("//LocalPayer"), keypair("//LocalPayee"));
	fund(&bob, &account(&payer), 10 * UNIT).await;
	let (chain, genesis) = bob.settlement_domain().await.unwrap();
	assert_eq!(charlie.settlement_domain().await.unwrap(), (chain, genesis));
	let (best, _) = bob.best().await.unwrap();
	let pay = |amount: u128, sequence: u64| PaymentInstruction {
		payer: account_of(&payer),
		payee: account_of(&payee),
		amount,
		sequence,
		expiry: Expiry::Block(best + 200),
		reference: *b"four-validators!",
	};
	let batch = vec![
		sign(&payer, chain, &genesis, pay(UNIT, 0)),
		sign(&payer, chain, &genesis, pay(2 * UNIT, 1)),
	];
	let settled = bob.settle(&keypair("//Ferdie"), &batch).await.unwrap();
	assert_eq!((settled.settled, settled.failed.len()), (2, 0));
	let number = bob.header(settled.block).await.unwrap().number;

	// Charlie only imported the block: it rebuilds the batch from the body and proves it with
	// a justification signed by at least three of the four.
	wait_finalized(&charlie, number, Duration::from_secs(60)).await;
	let hash = batch[1].instruction.hash(chain, &genesis);
	let receipt = wait_until(Duration::from_secs(60), "receipt from charlie", || async {
		match charlie.settlement_receipt(hash, None).await {
			Ok(r) => Some(r),
			Err(e) => {
				assert_eq!(rpc_code(&e), Some(8602), "only 'not final yet' may be retried: {e}");
				None
			},
		}
	})
	.await;
	let decoded = parse_receipt(&serde_json::to_string(&receipt).unwrap()).unwrap();
	assert!(decoded.justification.commit.precommits.len() >= 3);
	let verified = verify_receipt(&decoded, &set).unwrap();
	assert_eq!((verified.batch, verified.record.block), (settled.batch, number));
	assert_eq!(verified.instruction_hash, hash);
	assert_eq!(charlie.free_balance(&account(&payee), None).await.unwrap(), 3 * UNIT);
	assert_eq!(charlie.free_balance(&account(&payer), None).await.unwrap(), 7 * UNIT);
}
