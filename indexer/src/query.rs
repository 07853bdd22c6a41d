//! The questions auditors ask of the index, and their answers as tables, CSV or JSON.

use crate::{
	db::{int, text, DbError, Row, Store},
	supply::SupplyState,
	write,
};
use serde::Serialize;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
	/// Aligned columns for people.
	Table,
	/// CSV with a header row.
	Csv,
	/// A JSON array.
	Json,
}

/// Something that happened under a payment reference.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferenceRow {
	/// Block number.
	pub block: i64,
	/// Event index in the block.
	pub event: i64,
	/// What happened (`burn.burned`, `escrow.created`, `escrow.released`, …).
	pub kind: String,
	/// The burn's or the escrow's id.
	pub id: Option<i64>,
	/// The account it concerns.
	pub account: Option<String>,
	/// Amount, in the smallest unit.
	pub amount: Option<String>,
	/// The reference.
	pub reference: String,
}

/// One line of an account's history.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryRow {
	/// Block number.
	pub block: i64,
	/// Event index (none for a fee, which is the extrinsic's).
	pub event: Option<i64>,
	/// Extrinsic index, if the line came from one.
	pub extrinsic: Option<i64>,
	/// What happened (`transfer`, `fee`, `burn.burned`, `escrow.released`, `recovery.initiated`,
	/// `bridge.minted`, …).
	pub kind: String,
	/// `in`, `out` or empty (the amount does not move to or from the account here).
	pub direction: String,
	/// The other account, if any.
	pub counterparty: Option<String>,
	/// Amount, in the smallest unit.
	pub amount: Option<String>,
	/// The payment reference, if any.
	pub reference: Option<String>,
}

fn reference_row(r: &Row) -> Result<ReferenceRow, DbError> {
	Ok(ReferenceRow {
		block: r.int(0)?,
		event: r.int(1)?,
		kind: r.text(2)?,
		id: r.opt_int(3)?,
		account: r.opt_text(4)?,
		amount: r.opt_text(5)?,
		reference: r.text(6)?,
	})
}

/// Normalizes a reference as the index stores it: `0x…` hex of printable UTF-8 becomes the text.
pub fn normalize_reference(reference: &str) -> String {
	match reference.strip_prefix("0x").and_then(|h| hex::decode(h).ok()) {
		Some(bytes) => crate::extract::reference(&bytes),
		None => reference.to_string(),
	}
}

/// Every burn and escrow event under `reference` (text, or `0x…` hex), oldest first.
pub async fn by_reference(db: &mut Store, reference: &str) -> Result<Vec<ReferenceRow>, DbError> {
	let r = normalize_reference(reference);
	let rows = db
		.query(
			"SELECT block, event, 'burn.' || kind, burn_id, account, amount, reference FROM burns WHERE reference = ? \
			 UNION ALL \
			 SELECT block, event, 'escrow.' || kind, escrow, account, amount, reference FROM escrow_events WHERE reference = ? \
			 ORDER BY 1, 2, 3",
			&[text(r.clone()), text(r)],
		)
		.await?;
	rows.iter().map(reference_row).collect()
}

/// Everything that moved `account`'s money or concerned it, oldest first, in blocks
/// `from..=to`.
pub async fn account_history(
	db: &mut Store,
	account: &str,
	from: u32,
	to: u32,
) -> Result<Vec<HistoryRow>, DbError> {
	// NULLs sort first in SQLite and last in PostgreSQL: order on values that are never NULL.
	let sql = "SELECT * FROM ( \
		SELECT block, event, extrinsic, 'transfer' AS kind, 'out' AS direction, to_account AS counterparty, amount, NULL AS reference FROM transfers WHERE from_account = ? AND block BETWEEN ? AND ? \
		UNION ALL SELECT block, event, extrinsic, 'transfer', 'in', from_account, amount, NULL FROM transfers WHERE to_account = ? AND block BETWEEN ? AND ? \
		UNION ALL SELECT block, NULL, idx, 'fee', 'out', NULL, fee, NULL FROM extrinsics WHERE signer = ? AND fee <> '0' AND block BETWEEN ? AND ? \
		UNION ALL SELECT block, event, extrinsic, 'burn.' || kind, CASE WHEN kind IN ('burned', 'requested') THEN 'out' WHEN kind IN ('rejected', 'cancelled') THEN 'in' ELSE '' END, beneficiary, amount, reference FROM burns WHERE account = ? AND block BETWEEN ? AND ? \
		UNION ALL SELECT block, event, extrinsic, 'escrow.' || kind, CASE WHEN kind IN ('created', 'disputed') THEN 'out' WHEN amount IS NOT NULL THEN 'in' ELSE '' END, NULL, amount, reference FROM escrow_events WHERE account = ? AND block BETWEEN ? AND ? \
		UNION ALL SELECT block, event, extrinsic, 'recovery.' || kind, '', other, amount, NULL FROM recoveries WHERE account = ? AND block BETWEEN ? AND ? \
		UNION ALL SELECT block, event, extrinsic, 'recovery.' || kind, '', account, NULL, NULL FROM recoveries WHERE other = ? AND block BETWEEN ? AND ? \
		UNION ALL SELECT block, event, NULL, 'bridge.' || kind, 'in', NULL, amount, NULL FROM bridge_events WHERE account = ? AND block BETWEEN ? AND ? \
		) AS h ORDER BY block, COALESCE(extrinsic, -1), COALESCE(event, -1), kind, direction";
	let mut params = Vec::new();
	for _ in 0..8 {
		params.extend([text(account), int(from), int(to)]);
	}
	let rows = db.query(sql, &params).await?;
	rows.iter()
		.map(|r| {
			Ok(HistoryRow {
				block: r.int(0)?,
				event: r.opt_int(1)?,
				extrinsic: r.opt_int(2)?,
				kind: r.text(3)?,
				direction: r.text(4)?,
				counterparty: r.opt_text(5)?,
				amount: r.opt_text(6)?,
				reference: r.opt_text(7)?,
			})
		})
		.collect()
}

/// The supply after block `block`, if the index holds it.
pub async fn supply_at(db: &mut Store, block: u32) -> Result<Option<SupplyState>, DbError> {
	write::read_supply(db, block).await
}

/// The newest block the index holds.
pub async fn last_block(db: &mut Store) -> Result<Option<u32>, DbError> {
	let rows = db.query("SELECT MAX(number) FROM blocks", &[]).await?;
	Ok(rows.first().map(|r| r.opt_int(0)).transpose()?.flatten().map(|n| n as u32))
}

/// A row with named columns, for tables and CSV (JSON uses its `Serialize`).
pub trait Tabular: Serialize {
	/// Column names, in order.
	const HEADER: &'static [&'static str];
	/// The cells, in the same order.
	fn cells(&self) -> Vec<String>;
}

fn opt<T: ToString>(v: &Option<T>) -> String {
	v.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl Tabular for ReferenceRow {
	const HEADER: &'static [&'static str] =
		&["block", "event", "kind", "id", "account", "amount", "reference"];
	fn cells(&self) -> Vec<String> {
		vec![
			self.block.to_string(),
			self.event.to_string(),
			self.kind.clone(),
			opt(&self.id),
			opt(&self.account),
			opt(&self.amount),
			self.reference.clone(),
		]
	}
}

impl Tabular for HistoryRow {
	const HEADER: &'static [&'static str] = &[
		"block",
		"event",
		"extrinsic",
		"kind",
		"direction",
		"counterparty",
		"amount",
		"reference",
	];
	fn cells(&self) -> Vec<String> {
		vec![
			self.block.to_string(),
			opt(&self.event),
			opt(&self.extrinsic),
			self.kind.clone(),
			self.direction.clone(),
			opt(&self.counterparty),
			opt(&self.amount),
			opt(&self.reference),
		]
	}
}

/// Rows as text: a table, CSV (quoted where needed) or a JSON array.
pub fn render<T: Tabular>(rows: &[T], format: Format) -> String {
	if format == Format::Json {
		return serde_json::to_string_pretty(&rows).unwrap_or_default() + "\n";
	}
	let grid: Vec<Vec<String>> = rows.iter().map(Tabular::cells).collect();
	let mut out = String::new();
	if format == Format::Csv {
		let quote = |s: &str| {
			if s.contains([',', '"', '\n']) {
				format!("\"{}\"", s.replace('"', "\"\""))
			} else {
				s.to_string()
			}
		};
		out.push_str(&T::HEADER.join(","));
		out.push('\n');
		for row in &grid {
			out.push_str(&row.iter().map(|c| quote(c)).collect::<Vec<_>>().join(","));
			out.push('\n');
		}
		return out;
	}
	if grid.is_empty() {
		return "(none)\n".into();
	}
	let widths: Vec<usize> = T::HEADER
		.iter()
		.enumerate()
		.map(|(i, c)| grid.iter().map(|r| r[i].len()).max().unwrap_or(0).max(c.len()))
		.collect();
	let line = |cells: Vec<&str>| {
		cells
			.iter()
			.zip(&widths)
			.map(|(c, w)| format!("{c:<w$}"))
			.collect::<Vec<_>>()
			.join("  ")
			.trim_end()
			.to_string()
	};
	out.push_str(&line(T::HEADER.to_vec()));
	out.push('\n');
	for row in &grid {
		out.push_str(&line(row.iter().map(String::as_str).collect()));
		out.push('\n');
	}
	out
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn references_in_hex_match_their_text() {
		assert_eq!(normalize_reference("0x494e562d31"), "INV-1");
		assert_eq!(normalize_reference("INV-1"), "INV-1");
		assert_eq!(normalize_reference("0x0001"), "0x0001");
	}

	#[test]
	fn csv_quotes_and_json_keeps_nulls() {
		let rows = vec![ReferenceRow {
			block: 5,
			event: 2,
			kind: "burn.burned".into(),
			id: Some(0),
			account: None,
			amount: Some("10".into()),
			reference: "a,\"b\"".into(),
		}];
		assert_eq!(
			render(&rows, Format::Csv),
			"block,event,kind,id,account,amount,reference\n5,2,burn.burned,0,,10,\"a,\"\"b\"\"\"\n"
		);
		let json: serde_json::Value = serde_json::from_str(&render(&rows, Format::Json)).unwrap();
		assert_eq!(json[0]["account"], serde_json::Value::Null);
		assert_eq!(json[0]["amount"], "10");
	}
}
