//! Which finalized source burns and messages towards the target still wait for delivery.

use crate::direction::Direction;
use tpchain_client::{Error, Hash};
use tpchain_primitives::{burn::BurnId, message::MessageNonce};

/// What the relayer carries from the source to the target, each proven the same way.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(crate) enum Item {
	/// A burn record, minted by `mint_from_burn`.
	Burn(BurnId),
	/// An XCM message, delivered by `receive_message`.
	Message(MessageNonce),
}

impl std::fmt::Display for Item {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			Item::Burn(id) => write!(f, "burn {id}"),
			Item::Message(nonce) => write!(f, "message {nonce}"),
		}
	}
}

impl Direction {
	/// Finalized burns (as of `finalized`) towards the target, not yet consumed there and not
	/// on their way: (burn, source block). Advances the cursor past a settled prefix.
	pub async fn pending_burns(&mut self, finalized: Hash) -> Result<Vec<(Item, u32)>, Error> {
		let totals = self.source.burn_totals(None).await?;
		let mut pending = Vec::new();
		let mut contiguous = true;
		for id in self.cursor..totals.count {
			if self.in_flight.lock().expect("not poisoned").contains(&Item::Burn(id)) {
				contiguous = false;
				continue;
			}
			let record = self.source.burn_record(id, Some(finalized)).await?;
			let Some(record) = record else { break };
			let ours = record.destination == Some(self.target_chain);
			let consumed = ours && self.target.bridge_is_consumed(self.source_chain, id).await?;
			if ours && !consumed {
				pending.push((Item::Burn(id), record.block));
				contiguous = false;
			} else if contiguous {
				self.cursor = id + 1;
			}
		}
		Ok(pending)
	}

	/// Finalized messages (as of `finalized`) the source committed for the target, not yet
	/// delivered there and not on their way: (message, source block). Advances the message
	/// cursor past a delivered prefix.
	pub async fn pending_messages(&mut self, finalized: Hash) -> Result<Vec<(Item, u32)>, Error> {
		let sent = self.source.messages_sent(self.target_chain, Some(finalized)).await?;
		let mut pending = Vec::new();
		let mut contiguous = true;
		for nonce in self.message_cursor..sent {
			if self.in_flight.lock().expect("not poisoned").contains(&Item::Message(nonce)) {
				contiguous = false;
				continue;
			}
			if self.target.message_delivered(self.source_chain, nonce, None).await? {
				if contiguous {
					self.message_cursor = nonce + 1;
				}
				continue;
			}
			let message =
				self.source.outbound_message(self.target_chain, nonce, Some(finalized)).await?;
			let Some(message) = message else { break };
			pending.push((Item::Message(nonce), message.block));
			contiguous = false;
		}
		Ok(pending)
	}
}
