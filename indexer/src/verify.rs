//! The index's supply against the runtime's own (`audit_supply`), block by block.

use crate::{
	follow::IndexError,
	query::{self, Format},
	supply::SupplyState,
};
use futures::StreamExt;
use serde::Serialize;
use tpchain_client::{progress::Progress, Connection};

/// A block where the two accounts differ.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Difference {
	/// Block number.
	pub block: u32,
	/// One line per field that differs.
	pub fields: Vec<String>,
}

/// Compares blocks `from..=to` (`to` defaults to the last indexed); returns the blocks compared
/// and those that differ.
pub async fn compare(
	db: &mut crate::db::Store,
	conn: &Connection,
	from: u32,
	to: Option<u32>,
	progress: bool,
) -> Result<(u64, Vec<Difference>), IndexError> {
	let last = query::last_block(db).await?.unwrap_or(0);
	let to = to.unwrap_or(last).min(last);
	let mut bar =
		(progress && to >= from + 100).then(|| Progress::new("blocks", (to - from + 1) as u64));
	let mut reports = futures::stream::iter(from..=to)
		.map(|n| {
			let conn = conn.clone();
			async move { (n, conn.audit_supply_at(n).await) }
		})
		.buffered(8);
	let (mut compared, mut differ) = (0u64, Vec::new());
	while let Some((n, report)) = reports.next().await {
		let report = report?;
		let ours = query::supply_at(db, n).await?;
		let fields = match ours {
			Some(s) => s.differences(&report),
			None => vec!["not in the index".into()],
		};
		if !fields.is_empty() {
			differ.push(Difference { block: n, fields });
		}
		compared += 1;
		if let Some(b) = bar.as_mut() {
			b.advance(1);
		}
	}
	if let Some(b) = bar {
		b.finish();
	}
	Ok((compared, differ))
}

/// The supply after block `at` as a table, CSV or JSON.
pub fn supply_text(at: u32, s: &SupplyState, format: Format) -> String {
	let mut lines: Vec<(String, String)> = vec![
		("totalIssuance".into(), s.total_issuance.to_string()),
		("free".into(), s.free().to_string()),
		("held".into(), s.held_total().to_string()),
	];
	lines.extend(s.held.iter().map(|(k, v)| (format!("held.{k}"), v.to_string())));
	lines.push(("reserved".into(), s.reserved.to_string()));
	lines.push(("minted".into(), s.minted_total().to_string()));
	lines.extend(s.minted.iter().map(|(k, v)| (format!("minted.{k}"), v.to_string())));
	lines.push(("burned".into(), s.burned.to_string()));
	lines.extend(
		s.burned_by_destination.iter().map(|(k, v)| (format!("burned.{k}"), v.to_string())),
	);
	lines.push(("fees".into(), s.fees.to_string()));
	lines.push(("dust".into(), s.dust.to_string()));
	lines.push(("quarantined".into(), s.quarantined_total().to_string()));
	lines.extend(s.quarantined.iter().map(|(k, v)| (format!("quarantined.{k}"), v.to_string())));
	match format {
		Format::Json => {
			let mut v = serde_json::to_value(s).unwrap_or_default();
			if let Some(m) = v.as_object_mut() {
				m.insert("block".into(), at.into());
				m.insert("free".into(), s.free().to_string().into());
			}
			serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
		},
		Format::Csv => {
			let mut out = String::from("block,field,amount\n");
			for (k, v) in lines {
				out.push_str(&format!("{at},{k},{v}\n"));
			}
			out
		},
		Format::Table => {
			let w = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
			let mut out = format!("supply after block {at}\n");
			for (k, v) in lines {
				out.push_str(&format!("{k:<w$}  {v}\n"));
			}
			out
		},
	}
}

/// `tpchain-indexer verify`'s report.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
	/// Blocks compared.
	pub compared: u64,
	/// Blocks that differ.
	pub differences: Vec<Difference>,
}
