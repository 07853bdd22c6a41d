//! What every command shares: connection and signing options, typed errors, argument parsing,
//! and output as a table or JSON.

use std::path::{Path, PathBuf};
use tpchain_client::{
	format_balance,
	json::JsonTypeError,
	secret::{self, SecretError},
	subxt::tx::Payload,
	subxt_signer::sr25519::Keypair,
	tx::{DispatchFailure, Submission},
	Connection, UNIT,
};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
	/// The node, the connection or the SDK.
	#[error(transparent)]
	Client(#[from] tpchain_client::Error),
	/// No usable signing key.
	#[error(transparent)]
	Secret(#[from] SecretError),
	/// A call given as JSON does not fit the runtime's types.
	#[error("call: {0}")]
	Call(#[from] JsonTypeError),
	/// The transaction was included and paid its fee, but the runtime refused it.
	#[error("failed in block #{block}: {failure}")]
	Dispatch {
		/// The block it is in.
		block: u32,
		/// The module error's name and docs.
		failure: DispatchFailure,
	},
	/// Nothing on chain under that id.
	#[error("not found: {0}")]
	NotFound(String),
	/// A bad argument or input file.
	#[error("{0}")]
	Input(String),
}

impl From<String> for CliError {
	fn from(s: String) -> Self {
		CliError::Input(s)
	}
}

/// Where to connect, for commands that only read.
#[derive(clap::Args, Clone)]
pub struct Query {
	/// Node WebSocket URL.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// Print JSON instead of a table.
	#[arg(long)]
	pub json: bool,
}

impl Query {
	/// Connects to the node.
	pub async fn connect(&self) -> Result<Connection, CliError> {
		Ok(Connection::connect(&self.url).await?)
	}
}

/// Where to connect and who signs, for commands that submit a transaction. The secret is never
/// an argument: it comes from `--suri-file`, `TPCHAIN_SURI` or a prompt.
#[derive(clap::Args, Clone)]
pub struct Tx {
	/// Node WebSocket URL.
	#[arg(long, default_value = "ws://127.0.0.1:9944")]
	pub url: String,
	/// File holding the signer's secret URI, readable by its owner only (else the
	/// `TPCHAIN_SURI` environment variable, else a prompt). Secrets are never arguments.
	#[arg(long)]
	pub suri_file: Option<PathBuf>,
	/// Return once the node accepted the transaction instead of waiting for finality.
	#[arg(long)]
	pub no_wait: bool,
	/// Print JSON instead of a table.
	#[arg(long)]
	pub json: bool,
}

impl Tx {
	/// The signer's key.
	pub fn signer(&self) -> Result<Keypair, CliError> {
		Ok(secret::signer(self.suri_file.as_deref(), "the signer")?)
	}

	/// Signs and submits `call`; unless `--no-wait`, waits for finality and prints the block,
	/// the events and the fee (a failure is an error naming the module error). Returns the
	/// report for the caller to pick its results from.
	pub async fn submit<C: Payload>(&self, call: &C) -> Result<Submission, CliError> {
		let signer = self.signer()?;
		let conn = Connection::connect(&self.url).await?;
		self.submit_with(&conn, &signer, call).await
	}

	/// [`Self::submit`] over an open connection with a loaded key.
	pub async fn submit_with<C: Payload>(
		&self,
		conn: &Connection,
		signer: &Keypair,
		call: &C,
	) -> Result<Submission, CliError> {
		let report = conn.send(signer, call, !self.no_wait).await?;
		if let (Some(failure), Some((block, _))) = (&report.error, report.block) {
			return Err(CliError::Dispatch { block, failure: failure.clone() });
		}
		Ok(report)
	}

	/// Prints `report` with `result` (what the command did) as a table or JSON.
	pub fn print(&self, result: serde_json::Value, report: &Submission) {
		let mut out =
			serde_json::json!({ "result": result, "extrinsic": format!("{:?}", report.extrinsic) });
		match report.block {
			Some((number, hash)) => {
				out["block"] = number.into();
				out["blockHash"] = format!("{hash:?}").into();
				let fee = report.fee.as_deref().and_then(|f| f.parse::<u128>().ok()).unwrap_or(0);
				out["fee"] = format_balance(fee).into();
				out["events"] = serde_json::to_value(&report.events).unwrap_or_default();
			},
			None => out["finalized"] = false.into(),
		}
		if self.json {
			println!("{}", json(&out));
		} else {
			print_table("", &out);
		}
	}
}

/// Prints `value` as a table, or JSON with `--json`.
pub fn show(as_json: bool, value: &serde_json::Value) {
	if as_json {
		println!("{}", json(value));
	} else {
		print_table("", value);
	}
}

/// Rows as an aligned text table with `columns` (JSON keys) as the header.
pub fn print_rows(columns: &[&str], rows: &[serde_json::Value]) {
	let cell =
		|v: &serde_json::Value| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string());
	let cells: Vec<Vec<String>> =
		rows.iter().map(|r| columns.iter().map(|c| cell(&r[*c])).collect()).collect();
	let widths: Vec<usize> = columns
		.iter()
		.enumerate()
		.map(|(i, c)| cells.iter().map(|r| r[i].chars().count()).max().unwrap_or(0).max(c.len()))
		.collect();
	let line = |items: Vec<String>| {
		items.iter().zip(&widths).map(|(s, w)| format!("{s:<w$}")).collect::<Vec<_>>().join("  ")
	};
	println!("{}", line(columns.iter().map(|c| c.to_string()).collect()).trim_end());
	for r in cells {
		println!("{}", line(r).trim_end());
	}
}

/// Rows as a table (`columns`), or all of them as a JSON array with `--json`.
pub fn show_rows(as_json: bool, columns: &[&str], rows: Vec<serde_json::Value>) {
	if as_json {
		println!("{}", json(&rows));
	} else {
		print_rows(columns, &rows);
	}
}

pub fn read(path: &Path) -> Result<String, String> {
	std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// `1.5` → 1.5 tokens; `1500u` → 1500 smallest units.
pub fn parse_amount(s: &str) -> Result<u128, String> {
	if let Some(units) = s.strip_suffix('u') {
		return units.parse().map_err(|e| format!("amount {s:?}: {e}"));
	}
	let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
	let decimals = tpchain_client::TOKEN_DECIMALS as usize;
	if frac.len() > decimals || !frac.chars().all(|c| c.is_ascii_digit()) {
		return Err(format!("amount {s:?}: at most {decimals} decimals"));
	}
	let whole: u128 = whole.parse().map_err(|e| format!("amount {s:?}: {e}"))?;
	let frac: u128 = format!("{frac:0<decimals$}").parse().unwrap_or(0);
	whole
		.checked_mul(UNIT)
		.and_then(|w| w.checked_add(frac))
		.ok_or_else(|| format!("amount {s:?} overflows"))
}

/// `0x…` hex, or text as its UTF-8 bytes.
pub fn bytes_arg(s: &str) -> Result<Vec<u8>, String> {
	match s.strip_prefix("0x") {
		Some(h) => hex::decode(h).map_err(|e| format!("{s:?}: {e}")),
		None => Ok(s.as_bytes().to_vec()),
	}
}

pub fn json<T: serde::Serialize>(value: &T) -> String {
	serde_json::to_string_pretty(value).expect("JSON of plain data")
}

/// The signer whose secret URI is in `file`, else in `TPCHAIN_SURI`, else typed at a prompt.
pub fn signer_from(file: Option<PathBuf>) -> Result<Keypair, String> {
	secret::signer(file.as_deref(), "the signer").map_err(|e| e.to_string())
}

/// A JSON report as `key: value` lines; nested objects as `key.sub`, arrays one item a line.
pub fn print_table(prefix: &str, value: &serde_json::Value) {
	match value {
		serde_json::Value::Object(fields) => {
			for (key, value) in fields {
				print_table(&format!("{prefix}{key}."), value);
			}
		},
		serde_json::Value::Array(items) => {
			println!("{}:", prefix.trim_end_matches('.'));
			for item in items {
				println!("  {}", item.as_str().map(str::to_owned).unwrap_or(item.to_string()));
			}
		},
		other => println!(
			"{}: {}",
			prefix.trim_end_matches('.'),
			other.as_str().map(str::to_owned).unwrap_or(other.to_string())
		),
	}
}

pub fn account(s: &str) -> Result<tpchain_client::AccountId, String> {
	s.parse().map_err(|e| format!("account {s:?}: {e:?}"))
}

pub fn scale_hex(what: &str, s: &str) -> Result<Vec<u8>, String> {
	let hex = s.strip_prefix("0x").ok_or_else(|| format!("{what}: expected 0x… hex"))?;
	hex::decode(hex).map_err(|e| format!("{what}: {e}"))
}

/// `text`, or the contents of the file it names with a leading `@`.
pub fn inline_or_file(text: &str) -> Result<String, String> {
	match text.strip_prefix('@') {
		Some(path) => read(Path::new(path)),
		None => Ok(text.to_string()),
	}
}
