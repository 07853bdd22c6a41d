//! `tpchain-indexer` end to end on a `--dev` node: a mixed load (transfers, a burn, an escrow
//! released, a guardian recovery, a governance vote) indexed while the indexer is killed
//! (SIGKILL) and restarted over and over; afterwards the index holds every block once, every
//! event of every block, the domain records with their exact amounts, and a supply equal to
//! `audit_supply` at every block. The same chain indexed into PostgreSQL answers the auditors'
//! queries exactly as SQLite does (skipped, with the reason printed, where no PostgreSQL server
//! can be started).

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::Duration,
};
use tpchain_e2e::{
	account,
	client::{
		api::{self, runtime_types::pallet_escrow::types::Milestone},
		escrow::condition,
		governance::{RuntimeCall, Track},
		subxt::utils::MultiAddress,
		AccountId, Connection, UNIT,
	},
	dev_b_config, dev_node, free_port, fund, indexer_binary, keypair, submit, wait_finalized, Node,
};
use tpchain_indexer::{
	db::{int, Store},
	query,
};

/// What the mixed load did, to look for in the index.
struct Load {
	payer: AccountId,
	bob: AccountId,
	lost: AccountId,
	rescuer: AccountId,
	escrow: u64,
	proposal: u32,
}

/// Transfers, a burn (reference INV-42), an escrow (PO-9) approved and released, guardians and
/// an opened recovery, and a governance proposal passed.
async fn mixed_load(conn: &Connection) -> Load {
	let payer_key = keypair("//E2eIndexPayer");
	let payer = account(&payer_key);
	fund(conn, &payer, 1_000 * UNIT).await;
	let bob_key = keypair("//Bob");
	let bob = account(&bob_key);
	let pay = api::transactions().balances().transfer_keep_alive(MultiAddress::Id(bob), 3 * UNIT);
	submit(conn, &payer_key, &pay).await;
	conn.burn(&payer_key, 7 * UNIT, Some(2), vec![1; 32], b"INV-42".to_vec()).await.unwrap();

	let create = api::transactions().escrow().create(
		bob,
		vec![Milestone {
			amount: 40 * UNIT,
			condition: condition::leaf(condition::approvals(vec![bob], 1)),
		}],
		500,
		vec![],
		b"PO-9".to_vec(),
	);
	let (_, events) = submit(conn, &payer_key, &create).await;
	let escrow = events
		.find_first::<api::escrow::events::EscrowCreated>()
		.expect("EscrowCreated")
		.unwrap()
		.id;
	submit(conn, &bob_key, &api::transactions().escrow().approve(escrow, 0)).await;
	submit(conn, &bob_key, &api::transactions().escrow().release(escrow, 0, None)).await;

	let lost_key = keypair("//E2eIndexLost");
	let lost = account(&lost_key);
	let rescuer = account(&keypair("//E2eIndexRescuer"));
	fund(conn, &lost, 50 * UNIT).await;
	let mut guardians = ["//Bob", "//Charlie", "//Dave"].map(|u| account(&keypair(u))).to_vec();
	guardians.sort();
	let set = api::transactions().guardian_recovery().set_guardians(guardians, 2, 20);
	submit(conn, &lost_key, &set).await;
	let open = api::transactions().guardian_recovery().initiate(lost, rescuer);
	submit(conn, &bob_key, &open).await;

	let remark = RuntimeCall::System(api::runtime_types::frame_system::pallet::Call::remark {
		remark: b"indexer audit".to_vec(),
	});
	let p = conn
		.pass(&[&keypair("//Alice")], Track::Parameters, remark, Duration::from_secs(120))
		.await
		.unwrap();
	assert_eq!(p.status, "executed");
	Load { payer, bob, lost, rescuer, escrow, proposal: p.id }
}

fn indexer(database: &str, args: &[&str]) -> Command {
	let mut c = Command::new(indexer_binary());
	c.env("TPCHAIN_INDEXER_DATABASE", database).args(args);
	c
}

/// Runs the indexer to completion; panics with its stderr if it failed.
fn run_indexer(database: &str, args: &[&str]) -> String {
	let out = indexer(database, args).output().expect("run tpchain-indexer");
	assert!(
		out.status.success(),
		"tpchain-indexer {args:?}: {}",
		String::from_utf8_lossy(&out.stderr)
	);
	String::from_utf8(out.stdout).unwrap()
}

fn json(database: &str, args: &[&str]) -> serde_json::Value {
	serde_json::from_str(&run_indexer(database, args)).expect("JSON on stdout")
}

#[tokio::test(flavor = "multi_thread")]
async fn indexer_holds_every_event_survives_kills_and_agrees_with_audit_supply() {
	let dev = dev_node().await;
	let conn = &dev.conn;
	let url = dev.node.config.ws_url();
	let dir = tempfile::tempdir().unwrap();
	let db_path = dir.path().join("index.db");
	let database = db_path.to_str().unwrap().to_string();

	// The indexer follows the chain while the load runs and is SIGKILLed every 0.3–2.3 s.
	let stop = Arc::new(AtomicBool::new(false));
	let killer = {
		let (stop, database, url) = (stop.clone(), database.clone(), url.clone());
		std::thread::spawn(move || {
			let mut kills = 0u32;
			while !stop.load(Ordering::Relaxed) {
				let mut child: Child = indexer(&database, &["run", "--url", &url, "--quiet"])
					.arg("--concurrency")
					.arg("1")
					.stderr(Stdio::null())
					.spawn()
					.unwrap();
				std::thread::sleep(Duration::from_millis(300 + (kills as u64 * 700) % 2_000));
				child.kill().unwrap();
				child.wait().unwrap();
				kills += 1;
			}
			kills
		})
	};
	let load = mixed_load(conn).await;
	stop.store(true, Ordering::Relaxed);
	let kills = killer.join().unwrap();
	assert!(kills >= 5, "killed {kills} times");

	let (head, _) = conn.best().await.unwrap();
	let at = wait_finalized(conn, head, Duration::from_secs(30)).await;
	run_indexer(&database, &["run", "--url", &url, "--until", &at.to_string(), "--quiet"]);

	let mut db = Store::open(&database).await.unwrap();
	let count = |rows: Vec<tpchain_indexer::db::Row>| rows[0].int(0).unwrap();
	// Every block once, in a chain.
	let blocks = db
		.query("SELECT number, hash, parent_hash FROM blocks ORDER BY number", &[])
		.await
		.unwrap();
	assert_eq!(blocks.len() as u32, at + 1, "blocks 0..={at}, none missing or twice");
	for (n, w) in blocks.windows(2).enumerate() {
		assert_eq!(w[0].int(0).unwrap() as usize, n);
		assert_eq!(w[1].text(2).unwrap(), w[0].text(1).unwrap(), "block {} links to {n}", n + 1);
	}
	// Every event of every block, and every extrinsic.
	let mut fees = 0u128;
	for n in 0..=at {
		let hash = conn.block_hash(n).await.unwrap().unwrap();
		let events = conn.block_events(hash).await.unwrap();
		let indexed = count(
			db.query("SELECT COUNT(*) FROM events WHERE block = ?", &[int(n)]).await.unwrap(),
		);
		assert_eq!(indexed, events.len() as i64, "events of block {n}");
		fees += conn.supply_events(hash).await.unwrap().fees;
		let block = conn.rpc.chain_get_block(Some(hash)).await.unwrap().unwrap();
		let xts = count(
			db.query("SELECT COUNT(*) FROM extrinsics WHERE block = ?", &[int(n)]).await.unwrap(),
		);
		assert_eq!(xts, block.block.extrinsics.len() as i64, "extrinsics of block {n}");
	}
	let fee_rows = db.query("SELECT fee FROM extrinsics", &[]).await.unwrap();
	let indexed_fees: u128 =
		fee_rows.iter().map(|r| r.text(0).unwrap().parse::<u128>().unwrap()).sum();
	assert_eq!(indexed_fees, fees, "Σ extrinsic fees = Σ TransactionFeePaid");
	let ok = db.query("PRAGMA integrity_check", &[]).await.unwrap();
	assert_eq!(ok[0].text(0).unwrap(), "ok");

	// The domain records, with their amounts.
	let payer = load.payer.to_string();
	let bob = load.bob.to_string();
	let transfer = db
		.query(
			"SELECT amount FROM transfers WHERE from_account = ? AND to_account = ?",
			&[tpchain_indexer::db::text(payer.clone()), tpchain_indexer::db::text(bob.clone())],
		)
		.await
		.unwrap();
	assert_eq!(transfer.len(), 1);
	assert_eq!(transfer[0].text(0).unwrap(), (3 * UNIT).to_string());

	let burn = query::by_reference(&mut db, "INV-42").await.unwrap();
	assert_eq!(burn.len(), 1, "{burn:?}");
	assert_eq!(
		(burn[0].kind.as_str(), burn[0].account.as_deref(), burn[0].amount.clone()),
		("burn.burned", Some(payer.as_str()), Some((7 * UNIT).to_string()))
	);
	let by_hex =
		query::by_reference(&mut db, &format!("0x{}", hex::encode(b"INV-42"))).await.unwrap();
	assert_eq!(by_hex, burn, "a reference in hex finds the same");

	let escrow = query::by_reference(&mut db, "PO-9").await.unwrap();
	let kinds: Vec<(&str, Option<&str>, Option<String>)> = escrow
		.iter()
		.filter(|r| r.kind != "escrow.milestone_approved")
		.map(|r| (r.kind.as_str(), r.account.as_deref(), r.amount.clone()))
		.collect();
	assert_eq!(
		kinds,
		vec![
			("escrow.created", Some(payer.as_str()), Some((40 * UNIT).to_string())),
			("escrow.released", Some(bob.as_str()), Some((40 * UNIT).to_string())),
		]
	);
	assert!(escrow.iter().all(|r| r.id == Some(load.escrow as i64)));
	let status = db
		.query("SELECT status, amount FROM escrows WHERE id = ?", &[int(load.escrow as i64)])
		.await
		.unwrap();
	assert_eq!(
		(status[0].text(0).unwrap(), status[0].text(1).unwrap()),
		("released".into(), (40 * UNIT).to_string())
	);
	let approved = db
		.query("SELECT milestone, account FROM escrow_events WHERE escrow = ? AND kind = 'milestone_approved'", &[int(load.escrow as i64)])
		.await
		.unwrap();
	assert_eq!((approved[0].int(0).unwrap(), approved[0].text(1).unwrap()), (0, bob.clone()));

	let recovery = db
		.query(
			"SELECT kind, other FROM recoveries WHERE account = ? ORDER BY block, event",
			&[tpchain_indexer::db::text(load.lost.to_string())],
		)
		.await
		.unwrap();
	let recovery: Vec<(String, Option<String>)> =
		recovery.iter().map(|r| (r.text(0).unwrap(), r.opt_text(1).unwrap())).collect();
	assert_eq!(
		recovery,
		vec![("guardians_set".into(), None), ("initiated".into(), Some(load.rescuer.to_string()))]
	);

	let proposal = db
		.query(
			"SELECT track, status, ayes, nays FROM proposals WHERE id = ?",
			&[int(load.proposal)],
		)
		.await
		.unwrap();
	assert_eq!(
		(
			proposal[0].text(0).unwrap(),
			proposal[0].text(1).unwrap(),
			proposal[0].int(2).unwrap(),
			proposal[0].int(3).unwrap()
		),
		("parameters".into(), "executed".into(), 1, 0)
	);
	let votes = count(
		db.query(
			"SELECT COUNT(*) FROM votes WHERE proposal = ? AND vote = 'aye'",
			&[int(load.proposal)],
		)
		.await
		.unwrap(),
	);
	assert_eq!(votes, 1);

	// Sessions (every 10 blocks on --dev) are validator-set records.
	let sessions = count(
		db.query("SELECT COUNT(*) FROM validator_changes WHERE kind = 'new_session'", &[])
			.await
			.unwrap(),
	);
	let session_events = count(
		db.query(
			"SELECT COUNT(*) FROM events WHERE pallet = 'Session' AND name = 'NewSession'",
			&[],
		)
		.await
		.unwrap(),
	);
	assert_eq!(sessions, session_events);
	assert_eq!(sessions as u32, at / 10, "a session every 10 blocks up to #{at}");

	// The account history the CLI exports: the payer's transfer out, its burn, its fees.
	let history = json(&database, &["query", "account", &payer, "--format", "json"]);
	let rows = history.as_array().unwrap();
	let find = |kind: &str| rows.iter().filter(|r| r["kind"] == kind).collect::<Vec<_>>();
	assert_eq!(find("transfer").iter().filter(|r| r["direction"] == "out").count(), 1);
	assert_eq!(find("burn.burned")[0]["amount"], (7 * UNIT).to_string());
	assert_eq!(
		find("transfer").iter().find(|r| r["direction"] == "in").unwrap()["amount"],
		(1_000 * UNIT).to_string()
	);
	let history_fees: u128 =
		find("fee").iter().map(|r| r["amount"].as_str().unwrap().parse::<u128>().unwrap()).sum();
	let payer_fees: u128 = db
		.query(
			"SELECT fee FROM extrinsics WHERE signer = ?",
			&[tpchain_indexer::db::text(payer.clone())],
		)
		.await
		.unwrap()
		.iter()
		.map(|r| r.text(0).unwrap().parse::<u128>().unwrap())
		.sum();
	assert!(history_fees > 0);
	assert_eq!(history_fees, payer_fees);
	let csv = run_indexer(&database, &["query", "account", &payer, "--format", "csv"]);
	assert_eq!(
		csv.lines().next(),
		Some("block,event,extrinsic,kind,direction,counterparty,amount,reference")
	);
	assert_eq!(csv.lines().count(), rows.len() + 1);

	// The supply the index rebuilt from events equals audit_supply at every block.
	let verified = json(&database, &["verify", "--url", &url, "--json"]);
	assert_eq!(verified["compared"], at as u64 + 1);
	assert_eq!(verified["differences"], serde_json::json!([]));
	let report = conn.audit_supply_at(at).await.unwrap();
	let supply = json(&database, &["query", "supply", "--at", &at.to_string(), "--format", "json"]);
	assert_eq!(supply["totalIssuance"], report.total_issuance);
	assert_eq!(supply["fees"], report.fees);
	assert_eq!(supply["burned"], (7 * UNIT).to_string());
	assert_eq!(supply["free"], report.free);

	// Indexing another chain (`dev-b`: another genesis) into this database is refused.
	let other = Node::start(dev_b_config(dir.path())).await;
	let out = indexer(&database, &["run", "--url", &other.config.ws_url(), "--once", "--quiet"])
		.output()
		.unwrap();
	assert!(!out.status.success());
	assert!(
		String::from_utf8_lossy(&out.stderr).contains("indexes the chain with genesis"),
		"{}",
		String::from_utf8_lossy(&out.stderr)
	);
}

/// A throwaway PostgreSQL server (Debian's `postgresql` package), stopped when dropped.
struct Postgres {
	bin: PathBuf,
	data: PathBuf,
	user: Option<&'static str>,
	url: String,
	_dir: tempfile::TempDir,
}

impl Postgres {
	/// Starts one, or says why it cannot.
	fn start() -> Result<Postgres, String> {
		let bin = std::fs::read_dir("/usr/lib/postgresql")
			.map_err(|_| {
				"no /usr/lib/postgresql: Debian's postgresql package is not installed".to_string()
			})?
			.filter_map(|e| e.ok().map(|e| e.path().join("bin")))
			.find(|b| b.join("initdb").exists())
			.ok_or("no initdb under /usr/lib/postgresql/*/bin")?;
		let root = unsafe { libc::geteuid() } == 0;
		// initdb refuses to run as root: run the server as the package's `postgres` user.
		let user = root.then_some("postgres");
		let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
		let data = dir.path().join("data");
		std::fs::create_dir(&data).map_err(|e| e.to_string())?;
		if let Some(user) = user {
			use std::os::unix::fs::PermissionsExt;
			std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))
				.map_err(|e| e.to_string())?;
			let st = Command::new("chown")
				.args([user, data.to_str().unwrap()])
				.status()
				.map_err(|e| e.to_string())?;
			if !st.success() {
				return Err(format!("cannot give {} to the {user} user", data.display()));
			}
		}
		let run = |program: &Path, args: &[&str]| -> Result<(), String> {
			let mut c = match user {
				Some(u) => {
					let mut c = Command::new("runuser");
					c.args(["-u", u, "--"]).arg(program);
					c
				},
				None => Command::new(program),
			};
			let out = c.args(args).output().map_err(|e| format!("{}: {e}", program.display()))?;
			if out.status.success() {
				Ok(())
			} else {
				Err(format!(
					"{} {args:?}: {}",
					program.display(),
					String::from_utf8_lossy(&out.stderr)
				))
			}
		};
		let d = data.to_str().unwrap();
		run(&bin.join("initdb"), &["-D", d, "-A", "trust", "-U", "postgres", "--no-sync"])?;
		let port = free_port();
		let options = format!("-p {port} -k {d} -c listen_addresses=127.0.0.1 -c fsync=off");
		run(
			&bin.join("pg_ctl"),
			&["-D", d, "-o", &options, "-l", &format!("{d}/log"), "-w", "start"],
		)?;
		Ok(Postgres {
			bin,
			data,
			user,
			url: format!("postgres://postgres@127.0.0.1:{port}/postgres"),
			_dir: dir,
		})
	}
}

impl Drop for Postgres {
	fn drop(&mut self) {
		let pg_ctl = self.bin.join("pg_ctl");
		let d = self.data.to_str().unwrap();
		let mut c = match self.user {
			Some(u) => {
				let mut c = Command::new("runuser");
				c.args(["-u", u, "--"]).arg(&pg_ctl);
				c
			},
			None => Command::new(&pg_ctl),
		};
		let _ = c.args(["-D", d, "-m", "immediate", "stop"]).output();
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_index_answers_exactly_as_sqlite() {
	let pg = match Postgres::start() {
		Ok(pg) => pg,
		Err(why) => {
			eprintln!("SKIPPED postgres_index_answers_exactly_as_sqlite: {why}");
			return;
		},
	};
	let dev = dev_node().await;
	let conn = &dev.conn;
	let url = dev.node.config.ws_url();
	let payer_key = keypair("//E2ePgPayer");
	let payer = account(&payer_key);
	fund(conn, &payer, 100 * UNIT).await;
	conn.burn(&payer_key, 2 * UNIT, None, vec![], b"PG-1".to_vec()).await.unwrap();
	let bob = account(&keypair("//Bob"));
	let pay = api::transactions().balances().transfer_keep_alive(MultiAddress::Id(bob), UNIT);
	submit(conn, &payer_key, &pay).await;
	let (head, _) = conn.best().await.unwrap();
	let at = wait_finalized(conn, head, Duration::from_secs(30)).await.to_string();

	let dir = tempfile::tempdir().unwrap();
	let sqlite = dir.path().join("index.db").to_str().unwrap().to_string();
	for database in [&sqlite, &pg.url] {
		// Two runs each: the second resumes where the first stopped.
		run_indexer(database, &["run", "--url", &url, "--until", "3", "--quiet"]);
		run_indexer(database, &["run", "--url", &url, "--until", &at, "--quiet"]);
	}
	let payer = payer.to_string();
	for args in [
		vec!["query", "by-reference", "PG-1", "--format", "json"],
		vec!["query", "account", payer.as_str(), "--format", "json"],
		vec!["query", "supply", "--at", at.as_str(), "--format", "json"],
	] {
		let (a, b) = (json(&sqlite, &args), json(&pg.url, &args));
		assert_eq!(a, b, "{args:?}");
		assert_ne!(a, serde_json::json!([]), "{args:?} found something");
	}
	let burn = json(&pg.url, &["query", "by-reference", "PG-1", "--format", "json"]);
	assert_eq!(burn[0]["amount"], (2 * UNIT).to_string());
	let verified = json(&pg.url, &["verify", "--url", &url, "--json"]);
	assert_eq!(verified["differences"], serde_json::json!([]));
	let mut pgdb = Store::open(&pg.url).await.unwrap();
	let mut lite = Store::open(&sqlite).await.unwrap();
	for table in ["blocks", "extrinsics", "events", "transfers", "burns"] {
		let sql = format!("SELECT COUNT(*) FROM {table}");
		let (a, b) = (
			lite.query(&sql, &[]).await.unwrap()[0].int(0).unwrap(),
			pgdb.query(&sql, &[]).await.unwrap()[0].int(0).unwrap(),
		);
		assert_eq!(a, b, "{table}");
	}
}
