//! Releasing quarantined mints whose delay passed.

use crate::direction::Direction;
use tpchain_client::{bridge::BridgeCall, Error};

impl Direction {
	/// Releases the target's quarantined mints of this source whose delay passed by block
	/// `target_best`; returns whether it submitted any.
	pub async fn release_quarantined(&self, target_best: u32) -> Result<bool, Error> {
		let ready: Vec<_> = self
			.target
			.bridge_quarantine()
			.await?
			.into_iter()
			.filter(|q| q.counterparty == self.source_chain && q.release_at <= target_best)
			.collect();
		if !ready.is_empty() {
			let calls: Vec<_> =
				ready.iter().map(|q| BridgeCall::release_quarantined(q.id)).collect();
			for (q, r) in ready.iter().zip(self.target.submit_all(&self.signer, &calls).await?) {
				match r {
					Ok(_) => {
						self.log(format!("released quarantined mint {} (burn {})", q.id, q.burn_id))
					},
					Err(e) => self.log(format!("quarantined mint {} not released: {e}", q.id)),
				}
			}
			return Ok(true);
		}
		Ok(false)
	}
}
