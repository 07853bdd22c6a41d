//! The auditors' supply report end to end on a `--dev` node: after a mixed load (transfers, a
//! burn, an escrow, guardians, a governance vote) `audit_supply` reconciles to the unit, its
//! fees equal the fees the blocks' events state, and `tpchain-cli audit range` checks the
//! identity at every block and resumes a file without a row twice.

use std::time::Duration;
use tpchain_e2e::{
	account, cli_binary, cli_json,
	client::{
		api::{self, runtime_types::pallet_escrow::types::Milestone},
		escrow::condition,
		governance::{RuntimeCall, Track},
		subxt::utils::MultiAddress,
		supply::SupplyRow,
		UNIT,
	},
	dev_node, fund, keypair, submit, wait_finalized,
};

#[tokio::test(flavor = "multi_thread")]
async fn mixed_load_reconciles_exactly_at_every_block() {
	let dev = dev_node().await;
	let conn = &dev.conn;
	let url = dev.node.config.ws_url();
	let genesis = conn.audit_supply_at(0).await.unwrap();
	assert!(genesis.reconciled, "{genesis:?}");

	// Transfers.
	let payer = keypair("//E2eSupplyPayer");
	let payer_id = account(&payer);
	fund(conn, &payer_id, 1_000 * UNIT).await;
	let bob = account(&keypair("//Bob"));
	let pay = api::transactions().balances().transfer_keep_alive(MultiAddress::Id(bob), 3 * UNIT);
	submit(conn, &payer, &pay).await;
	// A burn towards the counterparty.
	conn.burn(&payer, 7 * UNIT, Some(2), vec![1; 32], b"INV-77".to_vec()).await.unwrap();
	// An escrow: 40 held until Bob approves.
	let escrow = api::transactions().escrow().create(
		bob,
		vec![Milestone {
			amount: 40 * UNIT,
			condition: condition::leaf(condition::approvals(vec![bob], 1)),
		}],
		500,
		vec![],
		b"PO-1".to_vec(),
	);
	submit(conn, &payer, &escrow).await;
	// Guardians (a held configuration deposit).
	let mut guardians = ["//Charlie", "//Dave", "//Eve"].map(|u| account(&keypair(u))).to_vec();
	guardians.sort();
	let set = api::transactions().guardian_recovery().set_guardians(guardians, 2, 20);
	submit(conn, &payer, &set).await;
	// A governance vote (its deposit held, then released).
	let remark = RuntimeCall::System(api::runtime_types::frame_system::pallet::Call::remark {
		remark: b"supply audit".to_vec(),
	});
	let p = conn
		.pass(&[&keypair("//Alice")], Track::Parameters, remark, Duration::from_secs(120))
		.await
		.unwrap();
	assert_eq!(p.status, "executed");

	let (head, _) = conn.best().await.unwrap();
	let at = wait_finalized(conn, head, Duration::from_secs(30)).await;
	let report = conn.audit_supply_at(at).await.unwrap();
	assert!(report.reconciled, "{report:?}");
	assert_eq!(report.difference, "0");
	assert_eq!(report.burned, (7 * UNIT).to_string());
	assert_eq!(report.burned_by_destination[0].amount, (7 * UNIT).to_string());
	let held = |name: &str| report.held.iter().find(|p| p.name == name).map(|p| p.amount.clone());
	assert_eq!(held("Escrow.Escrow"), Some((40 * UNIT).to_string()));
	assert!(held("GuardianRecovery.GuardianConfig").is_some(), "{:?}", report.held);
	assert_eq!(held("Governance.ProposalDeposit"), None, "released at the decision");

	// The fees counted equal the fees every block's events state, and the issuance moved by
	// exactly what the events say in every block.
	let mut stated_fees = 0u128;
	for n in 1..=at {
		let hash = conn.block_hash(n).await.unwrap().unwrap();
		let events = conn.supply_events(hash).await.unwrap();
		stated_fees += events.fees;
		assert_eq!(conn.issuance_change(hash).await.unwrap(), events.net(), "block {n}");
	}
	assert!(stated_fees > 0);
	assert_eq!(report.fees, stated_fees.to_string());
	let issuance: u128 = report.total_issuance.parse().unwrap();
	let start: u128 = genesis.total_issuance.parse().unwrap();
	assert_eq!(issuance, start - 7 * UNIT - stated_fees);

	// The CLI's table and JSON agree with the RPC.
	let json =
		cli_json(&[], &["audit", "supply", "--url", &url, "--at", &at.to_string(), "--json"]);
	assert_eq!(json["totalIssuance"], report.total_issuance);
	assert_eq!(json["reconciled"], true);

	// `audit range` into a file, in two runs: the second resumes after the first's last row.
	let dir = tempfile::tempdir().unwrap();
	let out = dir.path().join("supply.csv");
	let range = |to: u32| {
		std::process::Command::new(cli_binary())
			.args(["audit", "range", "--url", &url, "--from", "0", "--to", &to.to_string()])
			.args(["--out", out.to_str().unwrap()])
			.output()
			.unwrap()
	};
	let first = range(at / 2);
	assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
	let second = range(at);
	assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
	let text = std::fs::read_to_string(&out).unwrap();
	let mut lines = text.lines();
	assert_eq!(lines.next(), Some(SupplyRow::CSV_HEADER));
	let rows: Vec<SupplyRow> = lines.map(|l| SupplyRow::from_csv(l).unwrap()).collect();
	assert_eq!(rows.iter().map(|r| r.block).collect::<Vec<_>>(), (0..=at).collect::<Vec<_>>());
	assert!(rows.iter().all(|r| r.reconciled && r.flows_reconciled));
	let last = rows.last().unwrap();
	assert_eq!(last.total_issuance, issuance);
	assert_eq!(last.fees, stated_fees);
	let fee_changes: i128 = rows.iter().map(|r| r.fees_change).sum();
	assert_eq!(fee_changes, stated_fees as i128, "the per-block changes add up");
}
