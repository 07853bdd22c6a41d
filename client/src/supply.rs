//! The supply: `audit_supply` (every token accounted for at a block, from the runtime's
//! counters), the rows of `tpchain-cli audit range` built from it, and what a block's events say
//! it did to the total issuance (a second, independent account of the same changes).

use crate::{api, rpc_error, sx, Balance, Connection, Error, Hash, TpchainConfig};
use subxt::rpcs::rpc_params;
use tpchain_primitives::supply::json::SupplyJson;

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

	/// Adds what `ev` does to the issuance (nothing if it is not one of the events above).
	pub fn observe(&mut self, ev: &subxt::events::Event<'_, TpchainConfig>) -> Result<(), Error> {
		use api::{balances::events as b, transaction_payment::events as tp};
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
			self.forced = self.forced.saturating_add(e.new as i128 - e.old as i128);
		} else if let Some(e) = ev.decode_fields_as::<tp::TransactionFeePaid>() {
			self.fees = self.fees.saturating_add(e.map_err(sx)?.actual_fee);
		}
		self.minted = self.minted.saturating_add(up);
		self.burned = self.burned.saturating_add(down);
		Ok(())
	}
}

impl Connection {
	/// `audit_supply`: the supply report at `at` (the best block if `None`).
	pub async fn audit_supply(&self, at: Option<Hash>) -> Result<SupplyJson, Error> {
		self.raw.request("audit_getSupply", rpc_params![at]).await.map_err(rpc_error)
	}

	/// The supply report at block number `block` of the best chain.
	pub async fn audit_supply_at(&self, block: u32) -> Result<SupplyJson, Error> {
		let hash = self
			.block_hash(block)
			.await?
			.ok_or_else(|| Error::Unexpected(format!("no block {block}")))?;
		self.audit_supply(Some(hash)).await
	}

	/// The issuance-changing amounts block `at`'s events state.
	pub async fn supply_events(&self, at: Hash) -> Result<SupplyEvents, Error> {
		let events = self.block_events(at).await?;
		let mut s = SupplyEvents::default();
		for ev in events.iter() {
			s.observe(&ev.map_err(sx)?)?;
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

/// Amounts in JSON as decimal strings (they exceed JSON's safe integers), as the RPC writes them
/// (`#[serde(with = "tpchain_client::supply::decimal")]`).
pub mod decimal {
	use serde::{de::Error as _, Deserialize, Deserializer, Serializer};

	pub fn serialize<T: std::fmt::Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
		s.collect_str(v)
	}

	pub fn deserialize<'de, T, D>(d: D) -> Result<T, D::Error>
	where
		T: std::str::FromStr,
		T::Err: std::fmt::Display,
		D: Deserializer<'de>,
	{
		String::deserialize(d)?.parse().map_err(D::Error::custom)
	}
}

/// One block of `audit range`: the counters at the block and what changed since its parent.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplyRow {
	pub block: u32,
	pub block_hash: String,
	#[serde(with = "decimal")]
	pub total_issuance: Balance,
	#[serde(with = "decimal")]
	pub minted: Balance,
	#[serde(with = "decimal")]
	pub burned: Balance,
	/// Transaction and XCM fees.
	#[serde(with = "decimal")]
	pub fees: Balance,
	#[serde(with = "decimal")]
	pub dust: Balance,
	#[serde(with = "decimal")]
	pub xcm_destroyed: i128,
	#[serde(with = "decimal")]
	pub in_traps: i128,
	#[serde(with = "decimal")]
	pub held: Balance,
	/// `Reason=amount` pairs, `;`-separated, largest first.
	pub held_by_reason: String,
	#[serde(with = "decimal")]
	pub quarantined: Balance,
	/// Changes since the parent block (zero for the first row of a range).
	#[serde(with = "decimal")]
	pub issuance_change: i128,
	#[serde(with = "decimal")]
	pub minted_change: i128,
	#[serde(with = "decimal")]
	pub burned_change: i128,
	#[serde(with = "decimal")]
	pub fees_change: i128,
	#[serde(with = "decimal")]
	pub dust_change: i128,
	/// The identity at this block.
	#[serde(with = "decimal")]
	pub difference: i128,
	pub reconciled: bool,
	/// `issuance_change = minted − burned − fees − dust − destroyed` (all as changes).
	pub flows_reconciled: bool,
}

impl SupplyRow {
	/// The CSV header, in [`SupplyRow::csv`]'s order.
	pub const CSV_HEADER: &'static str = "block,block_hash,total_issuance,minted,burned,fees,dust,\
		xcm_destroyed,in_traps,held,held_by_reason,quarantined,issuance_change,minted_change,\
		burned_change,fees_change,dust_change,difference,reconciled,flows_reconciled";

	/// The row of `report`, whose parent block's row is `parent` (`None`: no changes).
	pub fn new(report: &SupplyJson, parent: Option<&SupplyRow>) -> Result<Self, Error> {
		let n = |what: &str, s: &str| -> Result<i128, Error> {
			s.parse().map_err(|e| Error::Unexpected(format!("audit_supply {what} {s:?}: {e}")))
		};
		let u = |what: &str, s: &str| -> Result<Balance, Error> {
			s.parse().map_err(|e| Error::Unexpected(format!("audit_supply {what} {s:?}: {e}")))
		};
		let mut quarantined: Balance = 0;
		for part in &report.quarantined {
			quarantined = quarantined.saturating_add(u("quarantined", &part.amount)?);
		}
		let mut row = SupplyRow {
			block: report.block,
			block_hash: report.block_hash.clone(),
			total_issuance: u("totalIssuance", &report.total_issuance)?,
			minted: u("mintedTotal", &report.minted_total)?,
			burned: u("burned", &report.burned)?,
			fees: u("feesTotal", &report.fees_total)?,
			dust: u("dust", &report.dust)?,
			xcm_destroyed: n("xcm.destroyed", &report.xcm.destroyed)?,
			in_traps: n("xcm.inTraps", &report.xcm.in_traps)?,
			held: u("heldTotal", &report.held_total)?,
			held_by_reason: report
				.held
				.iter()
				.map(|p| format!("{}={}", p.name, p.amount))
				.collect::<Vec<_>>()
				.join(";"),
			quarantined,
			issuance_change: 0,
			minted_change: 0,
			burned_change: 0,
			fees_change: 0,
			dust_change: 0,
			difference: n("difference", &report.difference)?,
			reconciled: report.reconciled,
			flows_reconciled: true,
		};
		if let Some(p) = parent {
			let d = |a: i128, b: i128| a.saturating_sub(b);
			row.issuance_change = d(row.total_issuance as i128, p.total_issuance as i128);
			row.minted_change = d(row.minted as i128, p.minted as i128);
			row.burned_change = d(row.burned as i128, p.burned as i128);
			row.fees_change = d(row.fees as i128, p.fees as i128);
			row.dust_change = d(row.dust as i128, p.dust as i128);
			let destroyed_change = d(row.xcm_destroyed, p.xcm_destroyed);
			row.flows_reconciled = row.issuance_change
				== row.minted_change
					- row.burned_change
					- row.fees_change
					- row.dust_change
					- destroyed_change;
		}
		Ok(row)
	}

	/// The row as one CSV line (no field needs quoting: reasons are `Pallet.Reason` names).
	pub fn csv(&self) -> String {
		format!(
			"{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
			self.block,
			self.block_hash,
			self.total_issuance,
			self.minted,
			self.burned,
			self.fees,
			self.dust,
			self.xcm_destroyed,
			self.in_traps,
			self.held,
			self.held_by_reason,
			self.quarantined,
			self.issuance_change,
			self.minted_change,
			self.burned_change,
			self.fees_change,
			self.dust_change,
			self.difference,
			self.reconciled,
			self.flows_reconciled,
		)
	}

	/// Reads a row [`SupplyRow::csv`] wrote.
	pub fn from_csv(line: &str) -> Result<Self, Error> {
		let f: Vec<&str> = line.trim_end().split(',').collect();
		let bad = |what: &str| Error::Unexpected(format!("CSV row {line:?}: {what}"));
		if f.len() != 20 {
			return Err(bad("expected 20 fields"));
		}
		fn p<T: std::str::FromStr>(s: &str, bad: impl Fn(&str) -> Error) -> Result<T, Error> {
			s.parse().map_err(|_| bad(s))
		}
		Ok(SupplyRow {
			block: p(f[0], bad)?,
			block_hash: f[1].to_string(),
			total_issuance: p(f[2], bad)?,
			minted: p(f[3], bad)?,
			burned: p(f[4], bad)?,
			fees: p(f[5], bad)?,
			dust: p(f[6], bad)?,
			xcm_destroyed: p(f[7], bad)?,
			in_traps: p(f[8], bad)?,
			held: p(f[9], bad)?,
			held_by_reason: f[10].to_string(),
			quarantined: p(f[11], bad)?,
			issuance_change: p(f[12], bad)?,
			minted_change: p(f[13], bad)?,
			burned_change: p(f[14], bad)?,
			fees_change: p(f[15], bad)?,
			dust_change: p(f[16], bad)?,
			difference: p(f[17], bad)?,
			reconciled: p(f[18], bad)?,
			flows_reconciled: p(f[19], bad)?,
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use tpchain_primitives::supply::{json::SupplyJson, SupplyReport, XcmFlows};

	fn report(block: u32, issuance: Balance, minted: Balance, fees: Balance) -> SupplyJson {
		let r = SupplyReport {
			total_issuance: issuance,
			genesis_issuance: 1_000,
			minted: vec![(tpchain_primitives::ChainId(2), minted)],
			fees,
			held: vec![(b"Escrow.Escrow".to_vec(), 7)],
			xcm: XcmFlows::default(),
			..Default::default()
		};
		SupplyJson::new(&r, block, format!("0x{block:02x}"))
	}

	#[test]
	fn rows_carry_the_changes_and_survive_csv() {
		let first = SupplyRow::new(&report(1, 1_000, 0, 0), None).unwrap();
		let second = SupplyRow::new(&report(2, 1_047, 50, 3), Some(&first)).unwrap();
		assert_eq!((second.issuance_change, second.minted_change, second.fees_change), (47, 50, 3));
		assert!(second.reconciled && second.flows_reconciled);
		assert_eq!(second.held_by_reason, "Escrow.Escrow=7");
		assert_eq!(SupplyRow::from_csv(&second.csv()).unwrap(), second);
		let json = serde_json::to_string(&second).unwrap();
		assert!(json.contains(r#""totalIssuance":"1047""#), "{json}");
		assert_eq!(serde_json::from_str::<SupplyRow>(&json).unwrap(), second);
		assert_eq!(SupplyRow::CSV_HEADER.split(',').count(), 20);
	}

	#[test]
	fn a_block_whose_issuance_moved_without_a_counter_fails_both_checks() {
		let first = SupplyRow::new(&report(1, 1_000, 0, 0), None).unwrap();
		let second = SupplyRow::new(&report(2, 1_009, 0, 0), Some(&first)).unwrap();
		assert_eq!(second.difference, 9);
		assert!(!second.reconciled);
		assert!(!second.flows_reconciled);
	}
}
