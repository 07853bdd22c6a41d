//! Prometheus metrics per direction, served by the SDK's `substrate-prometheus-endpoint`
//! (`/metrics`, as the node serves its own).

use substrate_prometheus_endpoint::{
	prometheus::{IntCounterVec, IntGaugeVec, Result},
	Opts, Registry,
};

/// Metrics per direction (`direction="1->2"`).
#[derive(Clone)]
pub(crate) struct Metrics {
	pub lag: IntGaugeVec,
	pub pending: IntGaugeVec,
	pub headers: IntCounterVec,
	pub mints: IntCounterVec,
	pub messages_pending: IntGaugeVec,
	pub messages: IntCounterVec,
	pub messages_failed: IntCounterVec,
	pub errors: IntCounterVec,
}

impl Metrics {
	pub fn new(registry: &Registry) -> Result<Self> {
		let gauge = |name: &str, help: &str| -> Result<IntGaugeVec> {
			let g = IntGaugeVec::new(Opts::new(name, help), &["direction"])?;
			registry.register(Box::new(g.clone()))?;
			Ok(g)
		};
		let counter = |name: &str, help: &str| -> Result<IntCounterVec> {
			let c = IntCounterVec::new(Opts::new(name, help), &["direction"])?;
			registry.register(Box::new(c.clone()))?;
			Ok(c)
		};
		Ok(Self {
			lag: gauge(
				"tpchain_relay_lag_blocks",
				"Source finalized number minus the target light client's newest header",
			)?,
			pending: gauge(
				"tpchain_relay_pending_burns",
				"Finalized burns towards the target not yet consumed there",
			)?,
			headers: counter("tpchain_relay_headers_submitted_total", "Finality proofs submitted")?,
			mints: counter("tpchain_relay_mints_submitted_total", "Mint proofs submitted")?,
			messages_pending: gauge(
				"tpchain_relay_pending_messages",
				"Finalized XCM messages towards the target not yet delivered there",
			)?,
			messages: counter(
				"tpchain_relay_messages_delivered_total",
				"XCM messages delivered (finalized on the target)",
			)?,
			messages_failed: counter(
				"tpchain_relay_messages_failed_total",
				"XCM message deliveries refused or not included",
			)?,
			errors: counter("tpchain_relay_errors_total", "Rounds that ended in an error")?,
		})
	}
}
