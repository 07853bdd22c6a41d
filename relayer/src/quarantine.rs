//! Releasing quarantined mints and messages whose delay passed.

use crate::direction::Direction;
use tpchain_client::{bridge::BridgeCall, Error};

impl Direction {
	/// Releases the target's quarantined mints and messages of this source whose delay passed
	/// by block `target_best` (both share one id space and one call); returns whether it
	/// submitted any.
	pub async fn release_quarantined(&self, target_best: u32) -> Result<bool, Error> {
		let ready = |counterparty, release_at| {
			counterparty == self.source_chain && release_at <= target_best
		};
		let mut due: Vec<(u64, String)> = self
			.target
			.bridge_quarantine()
			.await?
			.into_iter()
			.filter(|q| ready(q.counterparty, q.release_at))
			.map(|q| (q.id, format!("mint {} (burn {})", q.id, q.burn_id)))
			.collect();
		due.extend(
			self.target
				.bridge_quarantined_messages()
				.await?
				.into_iter()
				.filter(|m| ready(m.counterparty, m.release_at))
				.map(|m| (m.id, format!("message {} (nonce {})", m.id, m.nonce))),
		);
		if due.is_empty() {
			return Ok(false);
		}
		let calls: Vec<_> =
			due.iter().map(|(id, _)| BridgeCall::release_quarantined(*id)).collect();
		for ((_, what), r) in due.iter().zip(self.target.submit_all(&self.signer, &calls).await?) {
			match r {
				Ok(_) => self.log(format!("released quarantined {what}")),
				Err(e) => self.warn(format!("quarantined {what} not released: {e}")),
			}
		}
		Ok(true)
	}
}
