//! Operators scrape the node's Prometheus endpoint; it reports block height and finality, and
//! tpchain's own pallets (burns, escrow, bridge, governance, the supply's reconciliation).

use std::time::Duration;
use tpchain_client::UNIT;
use tpchain_e2e::{dev_node_with_prometheus, keypair, scrape, wait_finalized, wait_until};

fn metric(body: &str, name: &str) -> Option<u64> {
	body.lines()
		.find(|l| l.starts_with(name))
		.and_then(|l| l.split_whitespace().last()?.parse().ok())
}

#[tokio::test]
async fn prometheus_reports_best_and_finalized_height() {
	let dir = tempfile::tempdir().unwrap();
	let (node, port) = dev_node_with_prometheus(dir.path()).await;
	let conn = node.connect().await;
	let fin = wait_finalized(&conn, 3, Duration::from_secs(30)).await;

	let finalized_metric = "substrate_block_height{status=\"finalized\"";
	let best_metric = "substrate_block_height{status=\"best\"";
	// The metrics must agree with what the RPC says just before and just after the scrape. The
	// node updates them from its import notifications, a moment after the RPC sees a new block,
	// so a scrape racing an import may trail by one: a correct node agrees within a few slots,
	// a wrong or frozen metric never does and the wait times out.
	let (finalized, best) =
		wait_until(Duration::from_secs(30), "metrics to agree with the RPC", || async {
			let (f0, b0) =
				(conn.finalized().await.ok()?.0 as u64, conn.best().await.ok()?.0 as u64);
			let body = scrape(port)?;
			let (f1, b1) =
				(conn.finalized().await.ok()?.0 as u64, conn.best().await.ok()?.0 as u64);
			let f = metric(&body, finalized_metric)?;
			let b = metric(&body, best_metric)?;
			(f >= fin as u64 && (f0..=f1).contains(&f) && (b0..=b1).contains(&b)).then_some((f, b))
		})
		.await;
	assert!(finalized >= fin as u64, "finalized {finalized} below {fin}");
	assert!(best >= finalized, "best {best} below finalized {finalized}");
}

/// The value of a metric with no labels but the node's `chain`.
fn plain(body: &str, name: &str) -> Option<f64> {
	body.lines()
		.find(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} ")))
		.and_then(|l| l.split_whitespace().last()?.parse().ok())
}

#[tokio::test]
async fn prometheus_reports_tpchain_pallets() {
	let dir = tempfile::tempdir().unwrap();
	let (node, port) = dev_node_with_prometheus(dir.path()).await;
	let conn = node.connect().await;
	let body = wait_until(Duration::from_secs(30), "the tpchain gauges", || async {
		let body = scrape(port)?;
		(plain(&body, "tpchain_metrics_block")? >= 1.0).then_some(body)
	})
	.await;
	assert_eq!(plain(&body, "tpchain_burns"), Some(0.0));
	assert_eq!(plain(&body, "tpchain_supply_reconciled"), Some(1.0), "{body}");
	assert_eq!(plain(&body, "tpchain_supply_difference_tpc"), Some(0.0));
	assert_eq!(plain(&body, "tpchain_governance_proposals_open"), Some(0.0));

	// A burn of 2.5 TPC shows once its block is final.
	let (_, block) =
		conn.burn(&keypair("//Alice"), 5 * UNIT / 2, None, vec![], b"M-1".to_vec()).await.unwrap();
	let number = conn.rpc.chain_get_header(Some(block)).await.unwrap().unwrap().number as f64;
	let body = wait_until(Duration::from_secs(30), "the burn in the gauges", || async {
		let body = scrape(port)?;
		(plain(&body, "tpchain_metrics_block")? >= number).then_some(body)
	})
	.await;
	assert_eq!(plain(&body, "tpchain_burns"), Some(1.0));
	assert_eq!(plain(&body, "tpchain_burned_tpc"), Some(2.5));
	assert_eq!(plain(&body, "tpchain_supply_reconciled"), Some(1.0));
	assert!(body.contains("# HELP tpchain_supply_reconciled"), "documented for operators");
}
