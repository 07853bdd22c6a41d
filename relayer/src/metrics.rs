//! Prometheus metrics per direction and a minimal endpoint serving them.

use crate::log;
use prometheus::{Encoder, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder};
use std::{net::SocketAddr, sync::Arc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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
	pub fn new(registry: &Registry) -> prometheus::Result<Self> {
		let gauge = |name: &str, help: &str| -> prometheus::Result<IntGaugeVec> {
			let g = IntGaugeVec::new(Opts::new(name, help), &["direction"])?;
			registry.register(Box::new(g.clone()))?;
			Ok(g)
		};
		let counter = |name: &str, help: &str| -> prometheus::Result<IntCounterVec> {
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

/// Serves `registry` over HTTP on `addr` (any path).
pub(crate) async fn serve_metrics(
	addr: SocketAddr,
	registry: Arc<Registry>,
) -> std::io::Result<()> {
	let listener = tokio::net::TcpListener::bind(addr).await?;
	log("metrics", format!("serving Prometheus metrics on http://{addr}/metrics"));
	loop {
		let (mut socket, _) = listener.accept().await?;
		let registry = registry.clone();
		tokio::spawn(async move {
			let mut request = [0u8; 1024];
			let _ = socket.read(&mut request).await;
			let mut body = Vec::new();
			let _ = TextEncoder::new().encode(&registry.gather(), &mut body);
			let head = format!(
				"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
				body.len()
			);
			let _ = socket.write_all(head.as_bytes()).await;
			let _ = socket.write_all(&body).await;
		});
	}
}
