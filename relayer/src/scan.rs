//! Which finalized source burns towards the target still wait for their mint.

use crate::direction::Direction;
use tpchain_client::{Error, Hash};
use tpchain_primitives::burn::BurnId;

impl Direction {
	/// Finalized burns (as of `finalized`) towards the target, not yet consumed there and not
	/// on their way: (id, source block). Advances the cursor past a settled prefix.
	pub async fn pending_burns(&mut self, finalized: Hash) -> Result<Vec<(BurnId, u32)>, Error> {
		let totals = self.source.burn_totals(None).await?;
		let mut pending = Vec::new();
		let mut contiguous = true;
		for id in self.cursor..totals.count {
			if self.in_flight.lock().expect("not poisoned").contains(&id) {
				contiguous = false;
				continue;
			}
			let record = self.source.burn_record(id, Some(finalized)).await?;
			let Some(record) = record else { break };
			let ours = record.destination == Some(self.target_chain);
			let consumed = ours && self.target.bridge_is_consumed(self.source_chain, id).await?;
			if ours && !consumed {
				pending.push((id, record.block));
				contiguous = false;
			} else if contiguous {
				self.cursor = id + 1;
			}
		}
		Ok(pending)
	}
}
