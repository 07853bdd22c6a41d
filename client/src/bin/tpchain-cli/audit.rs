//! `audit`: the supply at a block, and its history over a range of blocks as CSV or JSON lines.

use clap::{Subcommand, ValueEnum};
use futures::{StreamExt, TryStreamExt};
use std::{
	io::{BufRead, Write},
	path::{Path, PathBuf},
};
use tpchain_client::{format_balance, progress::Progress, supply::SupplyRow, Connection};
use tpchain_primitives::supply::json::{Part, SupplyJson};

#[derive(Subcommand)]
pub enum AuditCommand {
	/// Every token accounted for at a block (`audit_supply`): where it is (free, held by
	/// reason, reserved, in XCM traps), how the issuance came about (genesis, minted, burned,
	/// fees, dust, XCM), and whether that adds up. Exits 1 if it does not.
	Supply {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// Block number (default: the best block).
		#[arg(long)]
		at: Option<u32>,
		/// Print the report as JSON.
		#[arg(long)]
		json: bool,
	},
	/// One row per block from FROM to TO: the counters, their changes since the parent block,
	/// and the identity checked at every block. With `--out`, resumes an existing file after
	/// its last row. Exits 1 if any block does not reconcile (after writing every row).
	Range {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// First block.
		#[arg(long)]
		from: u32,
		/// Last block (default: the finalized head).
		#[arg(long)]
		to: Option<u32>,
		/// `csv` (with a header) or `json` (one object per line).
		#[arg(long, value_enum, default_value = "csv")]
		format: Format,
		/// Write to FILE (appending after its last row) instead of standard output.
		#[arg(long)]
		out: Option<PathBuf>,
		/// Reports fetched at once.
		#[arg(long, default_value_t = 8)]
		concurrency: usize,
	},
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
	Csv,
	Json,
}

/// What can go wrong in an audit.
#[derive(Debug)]
pub enum AuditError {
	/// The node could not be reached or refused.
	Node(tpchain_client::Error),
	/// Reading or writing the output file.
	File(PathBuf, std::io::Error),
	/// The output file's last row cannot be read back.
	Resume(PathBuf, String),
	/// `--from` after `--to`, or past the head.
	Range(String),
	/// The identity does not hold.
	Unreconciled { block: u32, difference: String, first_of: usize },
}

impl std::fmt::Display for AuditError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			AuditError::Node(e) => write!(f, "node: {e}"),
			AuditError::File(p, e) => write!(f, "{}: {e}", p.display()),
			AuditError::Resume(p, e) => write!(f, "cannot resume {}: {e}", p.display()),
			AuditError::Range(e) => write!(f, "range: {e}"),
			AuditError::Unreconciled { block, difference, first_of } => write!(
				f,
				"UNRECONCILED: {first_of} block(s); the first is {block}, off by {difference} units"
			),
		}
	}
}

impl From<tpchain_client::Error> for AuditError {
	fn from(e: tpchain_client::Error) -> Self {
		AuditError::Node(e)
	}
}

pub async fn run(command: AuditCommand) -> Result<(), AuditError> {
	match command {
		AuditCommand::Supply { url, at, json } => {
			let conn = Connection::connect(&url).await?;
			let report = match at {
				Some(n) => conn.audit_supply_at(n).await?,
				None => conn.audit_supply(None).await?,
			};
			if json {
				println!("{}", super::json(&report));
			} else {
				print!("{}", table(&report));
			}
			if !report.reconciled {
				return Err(AuditError::Unreconciled {
					block: report.block,
					difference: report.difference,
					first_of: 1,
				});
			}
			Ok(())
		},
		AuditCommand::Range { url, from, to, format, out, concurrency } => {
			let conn = Connection::connect(&url).await?;
			let finalized = conn.finalized().await?.0;
			let to = to.unwrap_or(finalized);
			if to > finalized {
				return Err(AuditError::Range(format!(
					"--to {to} is past the finalized head {finalized}"
				)));
			}
			range(&conn, from, to, format, out.as_deref(), concurrency.max(1)).await
		},
	}
}

/// The report as an auditor reads it: places, then the identity line by line.
pub fn table(r: &SupplyJson) -> String {
	let amount = |s: &str| s.parse::<u128>().map(format_balance).unwrap_or_else(|_| s.to_string());
	let signed = |s: &str| match s.strip_prefix('-') {
		Some(abs) => format!("-{}", amount(abs)),
		None => amount(s),
	};
	let mut t = String::new();
	let mut line = |label: &str, value: String| t.push_str(&format!("{label:<34} {value:>28}\n"));
	line(&format!("Supply at block {}", r.block), r.block_hash.clone());
	line("total issuance", amount(&r.total_issuance));
	line("  free", amount(&r.free));
	line("  held", amount(&r.held_total));
	for Part { name, amount: a } in &r.held {
		line(&format!("    {name}"), amount(a));
	}
	line("  reserved (multisig deposits)", amount(&r.reserved));
	line("  in XCM traps", signed(&r.xcm.in_traps));
	for Part { name, amount: a } in &r.frozen {
		line(&format!("  frozen (within free) {name}"), amount(a));
	}
	line(&format!("genesis (counting since #{})", r.counting_since), amount(&r.genesis_issuance));
	line("+ minted by the bridge", amount(&r.minted_total));
	for Part { name, amount: a } in &r.minted {
		line(&format!("    from chain {name}"), amount(a));
	}
	line("- burned", amount(&r.burned));
	for Part { name, amount: a } in &r.burned_by_destination {
		line(&format!("    to chain {name}"), amount(a));
	}
	line("- fees (transactions)", amount(&r.fees));
	line("- fees (XCM)", amount(&r.xcm.fees));
	line("- dust", amount(&r.dust));
	line("- destroyed by XCM programs", signed(&r.xcm.destroyed));
	line("= expected issuance", signed(&r.expected_issuance));
	line("difference", signed(&r.difference));
	for Part { name, amount: a } in &r.quarantined {
		line(&format!("in quarantine from chain {name}"), amount(a));
	}
	line("reconciled", if r.reconciled { "yes".into() } else { "NO".into() });
	t
}

/// The last row of an existing output file, if any.
fn last_row(path: &Path, format: Format) -> Result<Option<SupplyRow>, AuditError> {
	let file = match std::fs::File::open(path) {
		Ok(f) => f,
		Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
		Err(e) => return Err(AuditError::File(path.into(), e)),
	};
	let mut last = None;
	for line in std::io::BufReader::new(file).lines() {
		let line = line.map_err(|e| AuditError::File(path.into(), e))?;
		if !line.trim().is_empty() && !line.starts_with("block,") {
			last = Some(line);
		}
	}
	let Some(line) = last else { return Ok(None) };
	let row = match format {
		Format::Csv => SupplyRow::from_csv(&line).map_err(|e| e.to_string()),
		Format::Json => serde_json::from_str(&line).map_err(|e| e.to_string()),
	};
	row.map(Some).map_err(|e| AuditError::Resume(path.into(), e))
}

async fn range(
	conn: &Connection,
	from: u32,
	to: u32,
	format: Format,
	out: Option<&Path>,
	concurrency: usize,
) -> Result<(), AuditError> {
	let mut parent = match out {
		Some(path) => last_row(path, format)?,
		None => None,
	};
	let start = parent.as_ref().map_or(from, |p| p.block.saturating_add(1).max(from));
	if from > to {
		return Err(AuditError::Range(format!("--from {from} is after --to {to}")));
	}
	let fresh = parent.is_none();
	let mut sink: Box<dyn Write> = match out {
		Some(path) => Box::new(
			std::fs::OpenOptions::new()
				.create(true)
				.append(true)
				.open(path)
				.map_err(|e| AuditError::File(path.into(), e))?,
		),
		None => Box::new(std::io::stdout().lock()),
	};
	let io = |e| AuditError::File(out.map_or_else(|| "stdout".into(), Path::to_path_buf), e);
	if fresh && format == Format::Csv {
		writeln!(sink, "{}", SupplyRow::CSV_HEADER).map_err(io)?;
	}
	if start > to {
		eprintln!("nothing to do: rows up to {to} are already written");
		return Ok(());
	}
	let mut progress = Progress::new("blocks", u64::from(to - start) + 1);
	let mut reports =
		futures::stream::iter(start..=to).map(|n| conn.audit_supply_at(n)).buffered(concurrency);
	let mut unreconciled: Vec<(u32, String)> = Vec::new();
	while let Some(report) = reports.try_next().await? {
		let row = SupplyRow::new(&report, parent.as_ref())?;
		if !row.reconciled || !row.flows_reconciled {
			unreconciled.push((row.block, report.difference.clone()));
		}
		let text = match format {
			Format::Csv => row.csv(),
			Format::Json => serde_json::to_string(&row).expect("JSON of plain data"),
		};
		writeln!(sink, "{text}").map_err(io)?;
		progress.advance(1);
		parent = Some(row);
	}
	sink.flush().map_err(io)?;
	progress.finish();
	match unreconciled.first() {
		Some((block, difference)) => Err(AuditError::Unreconciled {
			block: *block,
			difference: difference.clone(),
			first_of: unreconciled.len(),
		}),
		None => Ok(()),
	}
}
