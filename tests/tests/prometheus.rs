//! Operators scrape the node's Prometheus endpoint; it reports block height and finality.

use std::{
	io::{Read, Write},
	net::TcpStream,
	time::Duration,
};
use tpchain_e2e::{free_port, wait_finalized, wait_until, Node, NodeConfig};

fn scrape(port: u16) -> Option<String> {
	let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
	s.write_all(b"GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
	let mut body = String::new();
	s.read_to_string(&mut body).ok()?;
	Some(body)
}

fn metric(body: &str, name: &str) -> Option<u64> {
	body.lines()
		.find(|l| l.starts_with(name))
		.and_then(|l| l.split_whitespace().last()?.parse().ok())
}

#[tokio::test]
async fn prometheus_reports_best_and_finalized_height() {
	let dir = tempfile::tempdir().unwrap();
	let mut config = NodeConfig::dev(dir.path());
	let port = free_port();
	config.args.extend(["--prometheus-port".into(), port.to_string()]);
	let node = Node::start(config).await;
	let conn = node.connect().await;
	let fin = wait_finalized(&conn, 3, Duration::from_secs(30)).await;

	let finalized_metric = "substrate_block_height{status=\"finalized\"";
	let best_metric = "substrate_block_height{status=\"best\"";
	// The metrics must lie between what the RPC says just before and just after the scrape.
	let ((f0, b0), (finalized, best), (f1, b1)) =
		wait_until(Duration::from_secs(20), "metrics to show finality", || async {
			let before = (conn.finalized().await.ok()?.0, conn.best().await.ok()?.0);
			let body = scrape(port)?;
			let after = (conn.finalized().await.ok()?.0, conn.best().await.ok()?.0);
			let f = metric(&body, finalized_metric)?;
			let b = metric(&body, best_metric)?;
			(f >= fin as u64).then_some((before, (f, b), after))
		})
		.await;
	assert!(
		(f0 as u64..=f1 as u64).contains(&finalized),
		"finalized {finalized} not in {f0}..={f1}"
	);
	assert!((b0 as u64..=b1 as u64).contains(&best), "best {best} not in {b0}..={b1}");
	assert!(best >= finalized, "best {best} below finalized {finalized}");
}
