//! Prometheus metrics of tpchain's own pallets, beside the SDK's `substrate_*` metrics: read
//! through the runtime APIs at every finalized block, so operators can alert on money-level
//! facts (the supply no longer reconciles, mints piling up in quarantine, a bridge halted)
//! and not only on block production. Amounts are in TPC (floating point: enough for gauges;
//! the exact figures are the RPC's).

use futures::StreamExt;
use sc_client_api::BlockchainEvents;
use sp_api::ProvideRuntimeApi;
use std::sync::Arc;
use substrate_prometheus_endpoint::{
	register, Gauge, GaugeVec, Opts, PrometheusError, Registry, F64, U64,
};
use tpchain_primitives::{
	governance::ProposalStatus,
	runtime_api::{BridgeApi, BurnProofsApi, EscrowApi, GovernanceApi, SupplyApi},
	Hash,
};
use tpchain_runtime::{opaque::Block, UNIT};

/// The gauges.
pub struct PalletMetrics {
	block: Gauge<U64>,
	burns: Gauge<U64>,
	burned: Gauge<F64>,
	escrow_held: Gauge<F64>,
	minted: GaugeVec<F64>,
	quarantined: GaugeVec<F64>,
	halted: GaugeVec<U64>,
	quarantine_pending: Gauge<U64>,
	proposals_open: Gauge<U64>,
	issuance: Gauge<F64>,
	reconciled: Gauge<U64>,
	difference: Gauge<F64>,
}

fn tpc(units: u128) -> f64 {
	units as f64 / UNIT as f64
}

impl PalletMetrics {
	/// Registers the gauges in `registry`.
	pub fn register(registry: &Registry) -> Result<Self, PrometheusError> {
		let gauge_u = |n: &str, h: &str| register(Gauge::<U64>::new(n, h)?, registry);
		let gauge_f = |n: &str, h: &str| register(Gauge::<F64>::new(n, h)?, registry);
		let per_chain = |n: &str, h: &str| {
			register(GaugeVec::<F64>::new(Opts::new(n, h), &["counterparty"])?, registry)
		};
		Ok(Self {
			block: gauge_u("tpchain_metrics_block", "Finalized block the tpchain_* gauges were read at")?,
			burns: gauge_u("tpchain_burns", "Burns recorded (BurnProofs)")?,
			burned: gauge_f("tpchain_burned_tpc", "Total burned, TPC")?,
			escrow_held: gauge_f("tpchain_escrow_held_tpc", "Held by open escrows, TPC")?,
			minted: per_chain("tpchain_bridge_minted_tpc", "Minted from a counterparty's burns, TPC")?,
			quarantined: per_chain("tpchain_bridge_quarantined_tpc", "Sent to quarantine from a counterparty, TPC (cumulative)")?,
			halted: register(
				GaugeVec::<U64>::new(
					Opts::new("tpchain_bridge_halted", "1 while a counterparty's circuit breaker is open"),
					&["counterparty"],
				)?,
				registry,
			)?,
			quarantine_pending: gauge_u(
				"tpchain_bridge_quarantine_pending",
				"Mints and messages waiting in quarantine",
			)?,
			proposals_open: gauge_u(
				"tpchain_governance_proposals_open",
				"Proposals voting or approved and not yet executed",
			)?,
			issuance: gauge_f("tpchain_supply_issuance_tpc", "Total issuance, TPC")?,
			reconciled: gauge_u(
				"tpchain_supply_reconciled",
				"1 while the supply report's identity holds (audit_getSupply), 0 otherwise: alert on 0",
			)?,
			difference: gauge_f("tpchain_supply_difference_tpc", "Issuance minus what the counters explain, TPC")?,
		})
	}

	/// Reads every gauge at `at`; `first_open` is the lowest proposal id that may still be
	/// undecided (decided ones never reopen), advanced here so each block reads few proposals.
	fn update<C>(&self, client: &C, at: Hash, number: u32, first_open: &mut u32)
	where
		C: ProvideRuntimeApi<Block>,
		C::Api: BurnProofsApi<Block>
			+ EscrowApi<Block>
			+ BridgeApi<Block>
			+ GovernanceApi<Block>
			+ SupplyApi<Block>,
	{
		let api = client.runtime_api();
		if let Ok(t) = api.burn_totals(at) {
			self.burns.set(t.count);
			self.burned.set(tpc(t.total));
		}
		if let Ok(held) = api.escrow_total_held(at) {
			self.escrow_held.set(tpc(held));
		}
		if let Ok(cps) = api.bridge_counterparties(at) {
			for cp in cps {
				let chain = cp.chain.0.to_string();
				self.minted.with_label_values(&[&chain]).set(tpc(cp.totals.minted));
				self.quarantined.with_label_values(&[&chain]).set(tpc(cp.totals.quarantined));
				self.halted.with_label_values(&[&chain]).set(cp.halted as u64);
			}
		}
		if let (Ok(mints), Ok(messages)) =
			(api.bridge_quarantine(at), api.bridge_quarantined_messages(at))
		{
			self.quarantine_pending.set((mints.len() + messages.len()) as u64);
		}
		let mut open = 0u64;
		let mut from = *first_open;
		let mut still_undecided = None;
		while let Ok(page) = api.governance_proposals(at, from, 256) {
			let Some(last) = page.last().map(|p| p.id) else { break };
			for p in &page {
				if matches!(
					p.status,
					ProposalStatus::Voting { .. } | ProposalStatus::Approved { .. }
				) {
					open += 1;
					still_undecided.get_or_insert(p.id);
				}
			}
			from = last.saturating_add(1);
			if page.len() < 256 {
				break;
			}
		}
		*first_open = still_undecided.unwrap_or(from);
		self.proposals_open.set(open);
		if let Ok(report) = api.audit_supply(at) {
			self.issuance.set(tpc(report.total_issuance));
			self.reconciled.set(report.reconciled() as u64);
			self.difference.set(report.difference() as f64 / UNIT as f64);
		}
		self.block.set(number.into());
	}
}

/// Updates the metrics at every finalized block, for as long as the node runs.
pub async fn run<C>(client: Arc<C>, metrics: PalletMetrics)
where
	C: ProvideRuntimeApi<Block> + BlockchainEvents<Block> + Send + Sync + 'static,
	C::Api: BurnProofsApi<Block>
		+ EscrowApi<Block>
		+ BridgeApi<Block>
		+ GovernanceApi<Block>
		+ SupplyApi<Block>,
{
	let mut finalized = client.finality_notification_stream();
	let mut first_open = 0;
	while let Some(n) = finalized.next().await {
		metrics.update(&*client, n.hash, n.header.number, &mut first_open);
	}
}
