//! The alert rules and the Grafana dashboard in `docs/monitoring/` use only metrics that a
//! running node (or the relayer) serves: a renamed metric breaks this test, not an alert.

use std::{collections::BTreeSet, path::Path, time::Duration};
use tpchain_e2e::{dev_node_with_prometheus, scrape, wait_until};

fn docs(file: &str) -> String {
	std::fs::read_to_string(
		Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/monitoring").join(file),
	)
	.unwrap()
}

/// Metric names (`substrate_…`, `tpchain_…`) in a PromQL expression.
fn metric_names(expr: &str, into: &mut BTreeSet<String>) {
	for word in expr.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
		if word.starts_with("substrate_") || word.starts_with("tpchain_") {
			into.insert(word.to_string());
		}
	}
}

#[tokio::test]
async fn alert_rules_use_metrics_the_node_serves() {
	let mut names = BTreeSet::new();
	let rules = docs("alerts.yml");
	let exprs: Vec<&str> = rules.lines().filter_map(|l| l.trim().strip_prefix("expr:")).collect();
	assert!(exprs.len() >= 10, "the rules file lists its alerts");
	for e in &exprs {
		metric_names(e, &mut names);
	}
	let dashboard: serde_json::Value =
		serde_json::from_str(&docs("grafana-dashboard.json")).unwrap();
	for panel in dashboard["panels"].as_array().unwrap() {
		for target in panel["targets"].as_array().unwrap() {
			metric_names(target["expr"].as_str().unwrap(), &mut names);
		}
	}

	let dir = tempfile::tempdir().unwrap();
	let (_node, port) = dev_node_with_prometheus(dir.path()).await;
	// Wait for a built block and the tpchain gauges (both appear after the first blocks).
	let body = wait_until(Duration::from_secs(60), "metrics after a few blocks", || async {
		let body = scrape(port)?;
		(body.contains("substrate_proposer_block_constructed_count")
			&& body.contains("tpchain_metrics_block"))
		.then_some(body)
	})
	.await;
	let source = |file: &str| {
		std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap()
	};
	let (relayer, node) = (source("../relayer/src/metrics.rs"), source("../node/src/metrics.rs"));
	let mut missing = Vec::new();
	for name in &names {
		let served = if name.starts_with("tpchain_relay_") {
			relayer.contains(&format!("\"{name}\""))
		} else if name.starts_with("tpchain_bridge_") && name != "tpchain_bridge_quarantine_pending"
		{
			// Per counterparty: no series until a counterparty is registered (none on --dev).
			node.contains(&format!("\"{name}\""))
		} else {
			body.lines()
				.any(|l| l.starts_with(&format!("{name} ")) || l.starts_with(&format!("{name}{{")))
		};
		if !served {
			missing.push(name.clone());
		}
	}
	assert!(missing.is_empty(), "not served: {missing:?}");
	assert!(
		names.contains("tpchain_supply_reconciled") && names.contains("substrate_block_height")
	);
}
