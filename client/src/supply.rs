//! What a block did to the total issuance, as its events state it: the figures an auditor
//! reconciles `Balances::TotalIssuance` with, block by block.

use crate::{api, sx, Balance, Connection, Error, Hash};

/// The issuance-changing amounts one block's events state.
///
/// pallet-balances states every change of `TotalIssuance` in one of these events: `Minted`,
/// `Issued` and `MintedCredit` (a dropped debt) raise it; `Burned`, `BurnedHeld`, `Rescinded`
/// and `BurnedDebt` (a dropped credit: fees, teleports out, XCM fees) lower it;
/// `TotalIssuanceForced` sets it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SupplyEvents {
	/// Tokens created: bridge mints, XCM deposits.
	pub minted: Balance,
	/// Tokens destroyed: burns, teleports out, XCM and transaction fees.
	pub burned: Balance,
	/// Σ `TotalIssuanceForced` (`new − old`): governance setting the issuance outright.
	pub forced: i128,
	/// Σ `TransactionPayment::TransactionFeePaid`, for information: these fees are burned, so
	/// they are part of `burned` already.
	pub fees: Balance,
}

impl SupplyEvents {
	/// The change of total issuance these events account for.
	pub fn net(&self) -> i128 {
		(self.minted as i128) - (self.burned as i128) + self.forced
	}
}

impl Connection {
	/// The issuance-changing amounts block `at`'s events state.
	pub async fn supply_events(&self, at: Hash) -> Result<SupplyEvents, Error> {
		use api::{balances::events as b, transaction_payment::events as tp};
		let events = self.block_events(at).await?;
		let mut s = SupplyEvents::default();
		for ev in events.iter() {
			let ev = ev.map_err(sx)?;
			let (mut up, mut down) = (0, 0);
			if let Some(e) = ev.decode_fields_as::<b::Minted>() {
				up = e.map_err(sx)?.amount;
			} else if let Some(e) = ev.decode_fields_as::<b::Issued>() {
				up = e.map_err(sx)?.amount;
			} else if let Some(e) = ev.decode_fields_as::<b::MintedCredit>() {
				up = e.map_err(sx)?.amount;
			} else if let Some(e) = ev.decode_fields_as::<b::Burned>() {
				down = e.map_err(sx)?.amount;
			} else if let Some(e) = ev.decode_fields_as::<b::BurnedHeld>() {
				down = e.map_err(sx)?.amount;
			} else if let Some(e) = ev.decode_fields_as::<b::Rescinded>() {
				down = e.map_err(sx)?.amount;
			} else if let Some(e) = ev.decode_fields_as::<b::BurnedDebt>() {
				down = e.map_err(sx)?.amount;
			} else if let Some(e) = ev.decode_fields_as::<b::TotalIssuanceForced>() {
				let e = e.map_err(sx)?;
				s.forced = s.forced.saturating_add(e.new as i128 - e.old as i128);
			} else if let Some(e) = ev.decode_fields_as::<tp::TransactionFeePaid>() {
				s.fees = s.fees.saturating_add(e.map_err(sx)?.actual_fee);
			}
			s.minted = s.minted.saturating_add(up);
			s.burned = s.burned.saturating_add(down);
		}
		Ok(s)
	}

	/// How total issuance changed in block `at` (from its parent's state to its own).
	pub async fn issuance_change(&self, at: Hash) -> Result<i128, Error> {
		let parent = self.header_parent(at).await?;
		let after = self.total_issuance(Some(at)).await?;
		let before = self.total_issuance(Some(parent)).await?;
		Ok((after as i128) - (before as i128))
	}

	async fn header_parent(&self, at: Hash) -> Result<Hash, Error> {
		let header = self
			.rpc
			.chain_get_header(Some(at))
			.await
			.map_err(sx)?
			.ok_or_else(|| Error::Unexpected(format!("no header {at:?}")))?;
		Ok(header.parent_hash)
	}
}
