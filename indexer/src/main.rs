//! `tpchain-indexer`: index a tpchain node's finalized blocks and answer auditors' questions.

use clap::{Parser, Subcommand};
use std::{path::PathBuf, process::ExitCode};
use tpchain_client::Connection;
use tpchain_indexer::{
	db::Store,
	follow::{IndexError, Indexer, RunOptions},
	query::{self, Format},
	verify,
};

/// Index a tpchain node's finalized blocks into SQLite or PostgreSQL, and query them.
///
/// The database is `--database` or `TPCHAIN_INDEXER_DATABASE`: a SQLite file path (the default,
/// `tpchain-index.db`) or `postgres://user@host/db`. Keep a PostgreSQL password out of the
/// command line: put it in `PGPASSWORD` (or the whole URL in `TPCHAIN_INDEXER_DATABASE`).
#[derive(Parser)]
#[command(version)]
struct Cli {
	/// SQLite file or `postgres://…` URL.
	#[arg(
		long,
		env = "TPCHAIN_INDEXER_DATABASE",
		default_value = "tpchain-index.db",
		global = true
	)]
	database: String,
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Index finalized blocks from where the database left off (genesis if empty) and keep
	/// following the chain. Safe to kill at any moment: each block is one transaction.
	Run {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// Stop after this block.
		#[arg(long)]
		until: Option<u32>,
		/// Stop at the finalized head instead of following.
		#[arg(long)]
		once: bool,
		/// Blocks fetched ahead at once.
		#[arg(long, default_value_t = 8)]
		concurrency: usize,
		/// No progress line on standard error.
		#[arg(long)]
		quiet: bool,
	},
	/// Ask the index a question.
	Query {
		#[command(subcommand)]
		query: Query,
		/// Output: `table`, `csv` or `json`.
		#[arg(long, value_enum, default_value = "table", global = true)]
		format: Format,
		/// Write the answer to FILE instead of standard output.
		#[arg(long, global = true)]
		out: Option<PathBuf>,
	},
	/// Compare the index's supply with the node's `audit_supply` at every block from FROM to TO
	/// (default: all the index holds). Exits 1 at any difference.
	Verify {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// First block.
		#[arg(long, default_value_t = 0)]
		from: u32,
		/// Last block (default: the last indexed).
		#[arg(long)]
		to: Option<u32>,
		/// Print the result as JSON.
		#[arg(long)]
		json: bool,
	},
}

#[derive(Subcommand)]
enum Query {
	/// Every burn and escrow event under a payment reference (text, or `0x…` hex).
	ByReference {
		/// The reference.
		reference: String,
	},
	/// An account's history: transfers, fees, burns, escrows, recoveries, bridge mints.
	Account {
		/// SS58 address.
		account: String,
		/// First block.
		#[arg(long, default_value_t = 0)]
		from: u32,
		/// Last block.
		#[arg(long, default_value_t = u32::MAX)]
		to: u32,
	},
	/// The supply after a block, as rebuilt from events.
	Supply {
		/// Block number (default: the last indexed).
		#[arg(long)]
		at: Option<u32>,
	},
}

/// What a command can fail with.
#[derive(Debug, thiserror::Error)]
enum CliError {
	#[error(transparent)]
	Index(#[from] IndexError),
	#[error("database: {0}")]
	Db(#[from] tpchain_indexer::db::DbError),
	#[error("node: {0}")]
	Client(#[from] tpchain_client::Error),
	#[error("the index does not hold block {0}")]
	NotIndexed(u32),
	#[error("the index is empty")]
	Empty,
	#[error("writing {path}: {source}")]
	Write { path: PathBuf, source: std::io::Error },
	#[error("the account {0} is not an SS58 address")]
	BadAccount(String),
	#[error("{0} block(s) differ from audit_supply")]
	Differ(usize),
	#[error("{0}")]
	Json(#[from] serde_json::Error),
}

fn emit(text: &str, out: &Option<PathBuf>) -> Result<(), CliError> {
	match out {
		Some(path) => std::fs::write(path, text)
			.map_err(|source| CliError::Write { path: path.clone(), source }),
		None => {
			print!("{text}");
			Ok(())
		},
	}
}

async fn main_inner(cli: Cli) -> Result<(), CliError> {
	let mut db = Store::open(&cli.database).await.map_err(IndexError::from)?;
	match cli.command {
		Command::Run { url, until, once, concurrency, quiet } => {
			let conn = Connection::connect(&url).await?;
			let mut indexer = Indexer::open(db, conn).await?;
			let start = indexer.next_block();
			let t = std::time::Instant::now();
			let written = indexer
				.run(RunOptions { until, follow: !once, concurrency, progress: !quiet })
				.await?;
			if !quiet {
				eprintln!(
					"indexed blocks {start}..{} ({written} blocks in {:.1} s)",
					indexer.next_block(),
					t.elapsed().as_secs_f64()
				);
			}
			Ok(())
		},
		Command::Query { query, format, out } => {
			tpchain_indexer::schema::migrate(&mut db).await.map_err(IndexError::from)?;
			let text = match query {
				Query::ByReference { reference } => {
					query::render(&query::by_reference(&mut db, &reference).await?, format)
				},
				Query::Account { account, from, to } => {
					let parsed: tpchain_client::AccountId =
						account.parse().map_err(|_| CliError::BadAccount(account.clone()))?;
					query::render(
						&query::account_history(&mut db, &parsed.to_string(), from, to).await?,
						format,
					)
				},
				Query::Supply { at } => {
					let at = match at {
						Some(n) => n,
						None => query::last_block(&mut db).await?.ok_or(CliError::Empty)?,
					};
					let s = query::supply_at(&mut db, at).await?.ok_or(CliError::NotIndexed(at))?;
					verify::supply_text(at, &s, format)
				},
			};
			emit(&text, &out)
		},
		Command::Verify { url, from, to, json } => {
			let conn = Connection::connect(&url).await?;
			let (compared, differences) = verify::compare(&mut db, &conn, from, to, !json).await?;
			let n = differences.len();
			if json {
				println!(
					"{}",
					serde_json::to_string_pretty(&verify::VerifyReport { compared, differences })?
				);
			} else {
				for d in &differences {
					println!("block {}: {}", d.block, d.fields.join("; "));
				}
				println!("{compared} block(s) compared, {n} differ");
			}
			if n > 0 {
				return Err(CliError::Differ(n));
			}
			Ok(())
		},
	}
}

#[tokio::main]
async fn main() -> ExitCode {
	match main_inner(Cli::parse()).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("tpchain-indexer: {e}");
			ExitCode::FAILURE
		},
	}
}
