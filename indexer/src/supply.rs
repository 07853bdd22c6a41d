//! The supply as the indexer rebuilds it: the genesis report, then every block's events.
//!
//! It is an account independent of the runtime's counters: total issuance moves with
//! pallet-balances' issuance events, holds with `Held`/`Released`/`BurnedHeld`/`TransferOnHold`/
//! `TransferAndHold` (by reason), reserves with `Reserved`/`Unreserved`/`ReserveRepatriated`,
//! burns with `BurnProofs.Burned`, fees with `TransactionFeePaid`, dust with `DustLost`, bridge
//! mints and quarantine with the bridge's events. `verify` compares it with `audit_supply`.
//!
//! Two assumptions, both true of this runtime and checked by the end-to-end test: every
//! `transfer_on_hold` releases to the destination's free balance (`Restriction::Free`: the
//! event does not say which), and no XCM assets sit in traps (trapped value is issued but in no
//! account; the indexer does not decode XCM assets, so its `free` would include them).

use crate::extract::ExtractError;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use tpchain_client::{
	api, subxt::events::Event, supply::SupplyEvents, sx, Balance, Error as ClientError,
	TpchainConfig,
};
use tpchain_primitives::supply::json::SupplyJson;

/// What one block did to the supply.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SupplyDelta {
	/// Issuance-changing events and fees.
	pub issuance: SupplyEvents,
	/// Dust lost.
	pub dust: Balance,
	/// Burned through the burn pallet.
	pub burned: Balance,
	/// Of which to each destination.
	pub burned_by_destination: BTreeMap<u32, Balance>,
	/// Change of held balance, by reason.
	pub held: BTreeMap<String, i128>,
	/// Change of reserved balance.
	pub reserved: i128,
	/// Minted by the bridge, by counterparty.
	pub minted: BTreeMap<u32, Balance>,
	/// Change of quarantine, by counterparty (message releases come in `deliveries`).
	pub quarantined: BTreeMap<u32, i128>,
	/// Messages executed in this block `(counterparty, nonce, value)`: a release from
	/// quarantine if the message was quarantined earlier (resolved when writing).
	pub deliveries: Vec<(u32, u64, Balance)>,
}

fn add<K: Ord>(m: &mut BTreeMap<K, i128>, k: K, v: i128) {
	let e = m.entry(k).or_default();
	*e = e.saturating_add(v);
}

fn add_u<K: Ord>(m: &mut BTreeMap<K, Balance>, k: K, v: Balance) {
	let e = m.entry(k).or_default();
	*e = e.saturating_add(v);
}

/// `Pallet.Reason` of a hold reason in an event's JSON (`{"Escrow": "DisputeBond"}`).
fn reason_name(fields: &Json) -> String {
	match fields.get("reason") {
		Some(Json::Object(m)) if m.len() == 1 => {
			let (outer, inner) = m.iter().next().expect("one entry");
			match inner {
				Json::String(s) => format!("{outer}.{s}"),
				other => format!("{outer}.{other}"),
			}
		},
		Some(other) => other.to_string(),
		None => "unknown".into(),
	}
}

impl SupplyDelta {
	/// Adds what `ev` (whose fields are `fields`) does to the supply.
	pub fn observe(
		&mut self,
		ev: &Event<'_, TpchainConfig>,
		fields: &Json,
	) -> Result<(), ClientError> {
		use api::{balances::events as b, bridge::events as br, burn_proofs::events as bp};
		self.issuance.observe(ev)?;
		let amount = |f: &str| -> Result<i128, ClientError> {
			let v = fields.get(f).ok_or_else(|| ClientError::Unexpected(format!("no {f}")))?;
			let n = match v {
				Json::String(s) => s.parse::<u128>().ok(),
				Json::Number(n) => n.as_u64().map(u128::from),
				_ => None,
			};
			n.map(|n| n as i128).ok_or_else(|| ClientError::Unexpected(format!("{f}: {v}")))
		};
		match (ev.pallet_name(), ev.event_name()) {
			("Balances", "DustLost") => {
				self.dust = self.dust.saturating_add(amount("amount")? as u128)
			},
			("Balances", "Held") => add(&mut self.held, reason_name(fields), amount("amount")?),
			("Balances", "Released" | "BurnedHeld" | "TransferOnHold") => {
				add(&mut self.held, reason_name(fields), -amount("amount")?)
			},
			("Balances", "TransferAndHold") => {
				add(&mut self.held, reason_name(fields), amount("transferred")?)
			},
			("Balances", "Reserved") => self.reserved += amount("amount")?,
			("Balances", "Unreserved") => self.reserved -= amount("amount")?,
			("Balances", "ReserveRepatriated") => {
				let e = ev.decode_fields_as::<b::ReserveRepatriated>().transpose().map_err(sx)?;
				if let Some(e) = e {
					use api::runtime_types::frame_support::traits::tokens::misc::BalanceStatus;
					if matches!(e.destination_status, BalanceStatus::Free) {
						self.reserved -= e.amount as i128;
					}
				}
			},
			("BurnProofs", "Burned") => {
				if let Some(e) = ev.decode_fields_as::<bp::Burned>().transpose().map_err(sx)? {
					self.burned = self.burned.saturating_add(e.amount);
					if let Some(d) = e.destination {
						add_u(&mut self.burned_by_destination, d.0, e.amount);
					}
				}
			},
			("Bridge", _) => {
				if let Some(e) = ev.decode_fields_as::<br::Minted>().transpose().map_err(sx)? {
					add_u(&mut self.minted, e.counterparty.0, e.amount);
				} else if let Some(e) =
					ev.decode_fields_as::<br::MintQuarantined>().transpose().map_err(sx)?
				{
					add(&mut self.quarantined, e.counterparty.0, e.amount as i128);
				} else if let Some(e) =
					ev.decode_fields_as::<br::QuarantineReleased>().transpose().map_err(sx)?
				{
					add_u(&mut self.minted, e.counterparty.0, e.amount);
					add(&mut self.quarantined, e.counterparty.0, -(e.amount as i128));
				} else if let Some(e) =
					ev.decode_fields_as::<br::QuarantineCancelled>().transpose().map_err(sx)?
				{
					add_u(&mut self.minted, e.counterparty.0, e.amount);
					add(&mut self.quarantined, e.counterparty.0, -(e.amount as i128));
				} else if let Some(e) =
					ev.decode_fields_as::<br::MessageQuarantined>().transpose().map_err(sx)?
				{
					add(&mut self.quarantined, e.counterparty.0, e.value as i128);
				} else if let Some(e) =
					ev.decode_fields_as::<br::MessageCancelled>().transpose().map_err(sx)?
				{
					add_u(&mut self.minted, e.counterparty.0, e.value);
					add(&mut self.quarantined, e.counterparty.0, -(e.value as i128));
				} else if let Some(e) =
					ev.decode_fields_as::<br::MessageDelivered>().transpose().map_err(sx)?
				{
					add_u(&mut self.minted, e.counterparty.0, e.value);
					self.deliveries.push((e.counterparty.0, e.nonce, e.value));
				} else if let Some(e) =
					ev.decode_fields_as::<br::MessageFailed>().transpose().map_err(sx)?
				{
					add_u(&mut self.minted, e.counterparty.0, e.value);
					self.deliveries.push((e.counterparty.0, e.nonce, e.value));
				}
			},
			_ => {},
		}
		Ok(())
	}
}

/// The supply at one block, as the indexer holds it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupplyState {
	/// Total issuance.
	#[serde(with = "tpchain_client::supply::decimal")]
	pub total_issuance: i128,
	/// Held, by reason (zero entries removed).
	#[serde(with = "decimal_map")]
	pub held: BTreeMap<String, i128>,
	/// Reserved outside holds.
	#[serde(with = "tpchain_client::supply::decimal")]
	pub reserved: i128,
	/// Minted by the bridge, per counterparty.
	#[serde(with = "decimal_map")]
	pub minted: BTreeMap<String, i128>,
	/// Burned through the burn pallet.
	#[serde(with = "tpchain_client::supply::decimal")]
	pub burned: i128,
	/// Of which per destination.
	#[serde(with = "decimal_map")]
	pub burned_by_destination: BTreeMap<String, i128>,
	/// Transaction fees burned.
	#[serde(with = "tpchain_client::supply::decimal")]
	pub fees: i128,
	/// Dust burned.
	#[serde(with = "tpchain_client::supply::decimal")]
	pub dust: i128,
	/// In quarantine, per counterparty (zero entries removed).
	#[serde(with = "decimal_map")]
	pub quarantined: BTreeMap<String, i128>,
}

fn parse(field: &str, s: &str) -> Result<i128, ExtractError> {
	s.parse().map_err(|_| ExtractError::Client {
		block: 0,
		source: ClientError::Unexpected(format!("{field}: {s}")),
	})
}

fn parts(
	field: &str,
	parts: &[tpchain_primitives::supply::json::Part],
) -> Result<BTreeMap<String, i128>, ExtractError> {
	let mut m = BTreeMap::new();
	for p in parts {
		let v = parse(field, &p.amount)?;
		if v != 0 {
			m.insert(p.name.clone(), v);
		}
	}
	Ok(m)
}

impl SupplyState {
	/// The state `audit_supply` reports (the indexer's starting point: the genesis block).
	pub fn from_report(r: &SupplyJson) -> Result<Self, ExtractError> {
		Ok(SupplyState {
			total_issuance: parse("totalIssuance", &r.total_issuance)?,
			held: parts("held", &r.held)?,
			reserved: parse("reserved", &r.reserved)?,
			minted: parts("minted", &r.minted)?,
			burned: parse("burned", &r.burned)?,
			burned_by_destination: parts("burnedByDestination", &r.burned_by_destination)?,
			fees: parse("fees", &r.fees)?,
			dust: parse("dust", &r.dust)?,
			quarantined: parts("quarantined", &r.quarantined)?,
		})
	}

	/// Applies a block's changes; `released(counterparty, nonce)` says whether a delivered
	/// message was in quarantine.
	pub fn apply(&mut self, d: &SupplyDelta, mut released: impl FnMut(u32, u64) -> bool) {
		fn merge(m: &mut BTreeMap<String, i128>, k: String, v: i128) {
			let e = m.entry(k.clone()).or_default();
			*e = e.saturating_add(v);
			if *e == 0 {
				m.remove(&k);
			}
		}
		self.total_issuance = self.total_issuance.saturating_add(d.issuance.net());
		self.fees = self.fees.saturating_add(d.issuance.fees as i128);
		self.dust = self.dust.saturating_add(d.dust as i128);
		self.burned = self.burned.saturating_add(d.burned as i128);
		for (k, v) in &d.burned_by_destination {
			merge(&mut self.burned_by_destination, k.to_string(), *v as i128);
		}
		for (k, v) in &d.held {
			merge(&mut self.held, k.clone(), *v);
		}
		self.reserved = self.reserved.saturating_add(d.reserved);
		for (k, v) in &d.minted {
			merge(&mut self.minted, k.to_string(), *v as i128);
		}
		for (k, v) in &d.quarantined {
			merge(&mut self.quarantined, k.to_string(), *v);
		}
		for (c, nonce, value) in &d.deliveries {
			if released(*c, *nonce) {
				merge(&mut self.quarantined, c.to_string(), -(*value as i128));
			}
		}
	}

	/// Σ held.
	pub fn held_total(&self) -> i128 {
		self.held.values().fold(0, |a, b| a.saturating_add(*b))
	}

	/// Σ minted.
	pub fn minted_total(&self) -> i128 {
		self.minted.values().fold(0, |a, b| a.saturating_add(*b))
	}

	/// Σ quarantined.
	pub fn quarantined_total(&self) -> i128 {
		self.quarantined.values().fold(0, |a, b| a.saturating_add(*b))
	}

	/// Free: issuance less held and reserved.
	pub fn free(&self) -> i128 {
		self.total_issuance.saturating_sub(self.held_total()).saturating_sub(self.reserved)
	}

	/// Where this state and the runtime's report at the same block differ, one line each
	/// (empty: they agree on every amount the indexer keeps).
	pub fn differences(&self, report: &SupplyJson) -> Vec<String> {
		let theirs = match Self::from_report(report) {
			Ok(s) => s,
			Err(e) => return vec![format!("the report does not parse: {e}")],
		};
		let mut out = Vec::new();
		let mut check = |name: &str, ours: String, theirs: String| {
			if ours != theirs {
				out.push(format!("{name}: indexer {ours}, audit_supply {theirs}"));
			}
		};
		check("totalIssuance", self.total_issuance.to_string(), theirs.total_issuance.to_string());
		check("free", self.free().to_string(), report.free.clone());
		check("held", format!("{:?}", self.held), format!("{:?}", theirs.held));
		check("reserved", self.reserved.to_string(), theirs.reserved.to_string());
		check("minted", format!("{:?}", self.minted), format!("{:?}", theirs.minted));
		check("burned", self.burned.to_string(), theirs.burned.to_string());
		check(
			"burnedByDestination",
			format!("{:?}", self.burned_by_destination),
			format!("{:?}", theirs.burned_by_destination),
		);
		check("fees", self.fees.to_string(), theirs.fees.to_string());
		check("dust", self.dust.to_string(), theirs.dust.to_string());
		check(
			"quarantined",
			format!("{:?}", self.quarantined),
			format!("{:?}", theirs.quarantined),
		);
		out
	}
}

/// Maps of amounts as `{name: "decimal"}` (also the supply table's JSON columns).
pub mod decimal_map {
	use serde::{de::Error as _, Deserialize, Deserializer, Serialize, Serializer};
	use std::collections::BTreeMap;

	fn strings(v: &BTreeMap<String, i128>) -> BTreeMap<&str, String> {
		v.iter().map(|(k, v)| (k.as_str(), v.to_string())).collect()
	}

	fn amounts(m: BTreeMap<String, String>) -> Result<BTreeMap<String, i128>, String> {
		m.into_iter().map(|(k, v)| v.parse().map(|v| (k, v)).map_err(|_| v)).collect()
	}

	pub fn serialize<S: Serializer>(v: &BTreeMap<String, i128>, s: S) -> Result<S::Ok, S::Error> {
		strings(v).serialize(s)
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(
		d: D,
	) -> Result<BTreeMap<String, i128>, D::Error> {
		amounts(BTreeMap::deserialize(d)?).map_err(D::Error::custom)
	}

	/// The map as a JSON object text.
	pub fn to_json(v: &BTreeMap<String, i128>) -> String {
		serde_json::to_string(&strings(v)).unwrap_or_default()
	}

	/// A JSON object text as the map (`None` if it is not one of decimal strings).
	pub fn from_json(text: &str) -> Option<BTreeMap<String, i128>> {
		amounts(serde_json::from_str(text).ok()?).ok()
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn holds_reserves_and_quarantine_net_out_and_releases_need_a_quarantine() {
		let mut s = SupplyState { total_issuance: 1_000, ..Default::default() };
		let mut d = SupplyDelta::default();
		d.issuance.minted = 50;
		d.issuance.burned = 30;
		d.issuance.fees = 10;
		d.held.insert("Escrow.Escrow".into(), 200);
		d.reserved = 5;
		d.quarantined.insert(7, 40);
		s.apply(&d, |_, _| false);
		assert_eq!(
			(s.total_issuance, s.fees, s.held_total(), s.reserved, s.free()),
			(1_020, 10, 200, 5, 815)
		);
		let mut d = SupplyDelta::default();
		d.held.insert("Escrow.Escrow".into(), -200);
		d.deliveries = vec![(7, 1, 40), (7, 2, 99)];
		s.apply(&d, |c, n| c == 7 && n == 1);
		// An emptied reason and an emptied quarantine leave no zero entries behind.
		assert!(s.held.is_empty());
		assert!(s.quarantined.is_empty());
		let json = serde_json::to_value(&s).unwrap();
		assert_eq!(json["totalIssuance"], "1020");
		assert_eq!(serde_json::from_value::<SupplyState>(json).unwrap(), s);
	}

	#[test]
	fn hold_reasons_are_named_as_the_runtime_names_them() {
		let fields = serde_json::json!({"reason": {"Escrow": "DisputeBond"}, "amount": 1});
		assert_eq!(reason_name(&fields), "Escrow.DisputeBond");
	}
}
