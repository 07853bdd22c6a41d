//! The database: SQLite (embedded, the default) or PostgreSQL, behind one small interface.
//!
//! SQL is written once with `?` placeholders and portable types (`BIGINT`, `TEXT`, `BOOLEAN`);
//! for PostgreSQL the placeholders become `$1, $2, …`. Amounts are decimal strings (`TEXT`):
//! balances are `u128`, wider than SQLite's integers (in PostgreSQL, `amount::numeric` sums them).

use std::collections::HashMap;

/// Errors of the database layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
	/// SQLite refused.
	#[error("sqlite: {0}")]
	Sqlite(#[from] rusqlite::Error),
	/// PostgreSQL refused, or the connection failed.
	#[error("postgres: {0}")]
	Postgres(#[from] tokio_postgres::Error),
	/// A column held something other than what the query expected.
	#[error("column {column}: expected {expected}")]
	Type {
		/// The column's position.
		column: usize,
		/// What the reader asked for.
		expected: &'static str,
	},
}

/// A parameter bound to a placeholder.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
	/// `BIGINT` (or `NULL`).
	Int(Option<i64>),
	/// `TEXT` (or `NULL`).
	Text(Option<String>),
	/// `BOOLEAN`.
	Bool(bool),
}

/// `BIGINT` parameter.
pub fn int(v: impl Into<i64>) -> Param {
	Param::Int(Some(v.into()))
}

/// `TEXT` parameter.
pub fn text(v: impl Into<String>) -> Param {
	Param::Text(Some(v.into()))
}

/// Nullable `TEXT` parameter.
pub fn opt_text(v: Option<impl Into<String>>) -> Param {
	Param::Text(v.map(Into::into))
}

/// Nullable `BIGINT` parameter.
pub fn opt_int(v: Option<impl Into<i64>>) -> Param {
	Param::Int(v.map(Into::into))
}

/// One value of a result row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
	/// `NULL`.
	Null,
	/// An integer (SQLite stores `BOOLEAN` as 0/1).
	Int(i64),
	/// Text.
	Text(String),
	/// A PostgreSQL `BOOLEAN`.
	Bool(bool),
}

/// A result row with typed getters.
#[derive(Clone, Debug)]
pub struct Row(pub Vec<Cell>);

impl Row {
	/// Column `i` as an integer.
	pub fn int(&self, i: usize) -> Result<i64, DbError> {
		match self.0.get(i) {
			Some(Cell::Int(v)) => Ok(*v),
			_ => Err(DbError::Type { column: i, expected: "integer" }),
		}
	}

	/// Column `i` as an integer or `NULL`.
	pub fn opt_int(&self, i: usize) -> Result<Option<i64>, DbError> {
		match self.0.get(i) {
			Some(Cell::Null) => Ok(None),
			_ => self.int(i).map(Some),
		}
	}

	/// Column `i` as text.
	pub fn text(&self, i: usize) -> Result<String, DbError> {
		match self.0.get(i) {
			Some(Cell::Text(v)) => Ok(v.clone()),
			_ => Err(DbError::Type { column: i, expected: "text" }),
		}
	}

	/// Column `i` as text or `NULL`.
	pub fn opt_text(&self, i: usize) -> Result<Option<String>, DbError> {
		match self.0.get(i) {
			Some(Cell::Null) => Ok(None),
			_ => self.text(i).map(Some),
		}
	}

	/// Column `i` as a boolean.
	pub fn bool(&self, i: usize) -> Result<bool, DbError> {
		match self.0.get(i) {
			Some(Cell::Bool(v)) => Ok(*v),
			Some(Cell::Int(v)) => Ok(*v != 0),
			_ => Err(DbError::Type { column: i, expected: "boolean" }),
		}
	}
}

/// Which database a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
	/// SQLite, in a file.
	Sqlite,
	/// PostgreSQL.
	Postgres,
}

/// An open database.
pub enum Store {
	/// SQLite: one connection, in WAL mode.
	Sqlite(rusqlite::Connection),
	/// PostgreSQL: one client (its connection runs on a task) and its prepared statements.
	Postgres {
		/// The client.
		client: tokio_postgres::Client,
		/// Statements prepared so far, by their SQL.
		prepared: HashMap<String, tokio_postgres::Statement>,
	},
}

/// Most parameters one statement binds (SQLite's limit is 32,766; PostgreSQL's 65,535).
pub const MAX_PARAMS: usize = 30_000;

impl Store {
	/// Opens `url`: `postgres://…` (or `postgresql://…`) for PostgreSQL, anything else is a
	/// SQLite file path (an optional `sqlite:` prefix is dropped); the file is created if absent.
	pub async fn open(url: &str) -> Result<Store, DbError> {
		if url.starts_with("postgres://") || url.starts_with("postgresql://") {
			let mut config: tokio_postgres::Config = url.parse()?;
			// Keep the password off the command line: PostgreSQL's own PGPASSWORD.
			if config.get_password().is_none() {
				if let Ok(password) = std::env::var("PGPASSWORD") {
					config.password(password);
				}
			}
			let (client, connection) = config.connect(tokio_postgres::NoTls).await?;
			tokio::spawn(async move {
				if let Err(e) = connection.await {
					eprintln!("tpchain-indexer: postgres connection closed: {e}");
				}
			});
			return Ok(Store::Postgres { client, prepared: HashMap::new() });
		}
		let path = url.strip_prefix("sqlite:").unwrap_or(url);
		let conn = rusqlite::Connection::open(path)?;
		// WAL: readers (queries) never block the writer; NORMAL sync is durable at each commit
		// in WAL mode except on power loss, where the last commits may be redone on restart.
		conn.pragma_update(None, "journal_mode", "WAL")?;
		conn.pragma_update(None, "synchronous", "NORMAL")?;
		conn.busy_timeout(std::time::Duration::from_secs(30))?;
		// Multi-row inserts come in a few sizes per table.
		conn.set_prepared_statement_cache_capacity(128);
		Ok(Store::Sqlite(conn))
	}

	/// Which database this is.
	pub fn backend(&self) -> Backend {
		match self {
			Store::Sqlite(_) => Backend::Sqlite,
			Store::Postgres { .. } => Backend::Postgres,
		}
	}

	/// Runs several `;`-separated statements without parameters (schema changes).
	pub async fn batch(&mut self, sql: &str) -> Result<(), DbError> {
		match self {
			Store::Sqlite(c) => Ok(c.execute_batch(sql)?),
			Store::Postgres { client, .. } => Ok(client.batch_execute(sql).await?),
		}
	}

	/// Runs one statement; returns the rows it changed.
	pub async fn execute(&mut self, sql: &str, params: &[Param]) -> Result<u64, DbError> {
		match self {
			Store::Sqlite(c) => {
				let mut stmt = c.prepare_cached(sql)?;
				Ok(stmt.execute(rusqlite::params_from_iter(params.iter().map(sqlite_param)))?
					as u64)
			},
			Store::Postgres { client, prepared } => {
				let stmt = pg_prepare(client, prepared, sql).await?;
				let values: Vec<Box<dyn tokio_postgres::types::ToSql + Sync + Send>> =
					params.iter().map(pg_param).collect();
				let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
					values.iter().map(|b| b.as_ref() as _).collect();
				Ok(client.execute(&stmt, &refs).await?)
			},
		}
	}

	/// Runs one query; returns its rows.
	pub async fn query(&mut self, sql: &str, params: &[Param]) -> Result<Vec<Row>, DbError> {
		match self {
			Store::Sqlite(c) => {
				let mut stmt = c.prepare_cached(sql)?;
				let columns = stmt.column_count();
				let mut rows =
					stmt.query(rusqlite::params_from_iter(params.iter().map(sqlite_param)))?;
				let mut out = Vec::new();
				while let Some(r) = rows.next()? {
					let mut cells = Vec::with_capacity(columns);
					for i in 0..columns {
						use rusqlite::types::ValueRef;
						cells.push(match r.get_ref(i)? {
							ValueRef::Null => Cell::Null,
							ValueRef::Integer(v) => Cell::Int(v),
							ValueRef::Real(v) => Cell::Text(v.to_string()),
							ValueRef::Text(t) => {
								Cell::Text(String::from_utf8_lossy(t).into_owned())
							},
							ValueRef::Blob(b) => Cell::Text(format!("0x{}", hex::encode(b))),
						});
					}
					out.push(Row(cells));
				}
				Ok(out)
			},
			Store::Postgres { client, prepared } => {
				use tokio_postgres::types::Type;
				let stmt = pg_prepare(client, prepared, sql).await?;
				let values: Vec<Box<dyn tokio_postgres::types::ToSql + Sync + Send>> =
					params.iter().map(pg_param).collect();
				let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
					values.iter().map(|b| b.as_ref() as _).collect();
				let rows = client.query(&stmt, &refs).await?;
				let mut out = Vec::with_capacity(rows.len());
				for r in rows {
					let mut cells = Vec::with_capacity(r.len());
					for (i, col) in r.columns().iter().enumerate() {
						let t = col.type_();
						let cell = if *t == Type::INT8 {
							r.try_get::<_, Option<i64>>(i)?.map(Cell::Int)
						} else if *t == Type::INT4 {
							r.try_get::<_, Option<i32>>(i)?.map(|v| Cell::Int(v.into()))
						} else if *t == Type::BOOL {
							r.try_get::<_, Option<bool>>(i)?.map(Cell::Bool)
						} else {
							r.try_get::<_, Option<String>>(i)?.map(Cell::Text)
						};
						cells.push(cell.unwrap_or(Cell::Null));
					}
					out.push(Row(cells));
				}
				Ok(out)
			},
		}
	}

	/// Inserts `rows` into `table`'s `columns`, many rows per statement. `conflict` is appended
	/// to each statement (e.g. `ON CONFLICT DO NOTHING`).
	pub async fn insert(
		&mut self,
		table: &str,
		columns: &[&str],
		rows: &[Vec<Param>],
		conflict: &str,
	) -> Result<(), DbError> {
		if rows.is_empty() {
			return Ok(());
		}
		let per = (MAX_PARAMS / columns.len()).max(1);
		for chunk in rows.chunks(per) {
			let one = format!("({})", vec!["?"; columns.len()].join(","));
			let sql = format!(
				"INSERT INTO {table} ({}) VALUES {} {conflict}",
				columns.join(","),
				vec![one.as_str(); chunk.len()].join(",")
			);
			let params: Vec<Param> = chunk.iter().flatten().cloned().collect();
			self.execute(&sql, &params).await?;
		}
		Ok(())
	}

	/// Starts a transaction.
	pub async fn begin(&mut self) -> Result<(), DbError> {
		self.batch("BEGIN").await
	}

	/// Commits the transaction.
	pub async fn commit(&mut self) -> Result<(), DbError> {
		self.batch("COMMIT").await
	}

	/// Abandons the transaction.
	pub async fn rollback(&mut self) -> Result<(), DbError> {
		self.batch("ROLLBACK").await
	}
}

/// `?` placeholders as PostgreSQL's `$1, $2, …` (the SQL here never has `?` in literals).
pub fn numbered(sql: &str) -> String {
	let mut out = String::with_capacity(sql.len() + 16);
	let mut n = 0;
	for ch in sql.chars() {
		if ch == '?' {
			n += 1;
			out.push('$');
			out.push_str(&n.to_string());
		} else {
			out.push(ch);
		}
	}
	out
}

async fn pg_prepare(
	client: &tokio_postgres::Client,
	prepared: &mut HashMap<String, tokio_postgres::Statement>,
	sql: &str,
) -> Result<tokio_postgres::Statement, DbError> {
	if let Some(s) = prepared.get(sql) {
		return Ok(s.clone());
	}
	let stmt = client.prepare(&numbered(sql)).await?;
	// Multi-row inserts vary in size; keep the cache bounded.
	if prepared.len() > 512 {
		prepared.clear();
	}
	prepared.insert(sql.to_string(), stmt.clone());
	Ok(stmt)
}

fn sqlite_param(p: &Param) -> rusqlite::types::Value {
	use rusqlite::types::Value;
	match p {
		Param::Int(Some(v)) => Value::Integer(*v),
		Param::Text(Some(v)) => Value::Text(v.clone()),
		Param::Bool(v) => Value::Integer(*v as i64),
		Param::Int(None) | Param::Text(None) => Value::Null,
	}
}

fn pg_param(p: &Param) -> Box<dyn tokio_postgres::types::ToSql + Sync + Send> {
	match p {
		Param::Int(v) => Box::new(*v),
		Param::Text(v) => Box::new(v.clone()),
		Param::Bool(v) => Box::new(*v),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn placeholders_are_numbered_for_postgres() {
		assert_eq!(
			numbered("INSERT INTO t (a,b) VALUES (?,?),(?,?)"),
			"INSERT INTO t (a,b) VALUES ($1,$2),($3,$4)"
		);
	}

	#[tokio::test]
	async fn sqlite_round_trips_every_type_and_many_rows() {
		let dir = tempfile::tempdir().unwrap();
		let mut db = Store::open(dir.path().join("t.db").to_str().unwrap()).await.unwrap();
		db.batch("CREATE TABLE t (a BIGINT PRIMARY KEY, b TEXT, c BOOLEAN)").await.unwrap();
		let rows: Vec<Vec<Param>> = (0..20_000)
			.map(|i| {
				vec![
					int(i),
					if i % 2 == 0 { text(format!("x{i}")) } else { Param::Text(None) },
					Param::Bool(i % 3 == 0),
				]
			})
			.collect();
		db.begin().await.unwrap();
		db.insert("t", &["a", "b", "c"], &rows, "").await.unwrap();
		db.commit().await.unwrap();
		let r = db.query("SELECT COUNT(*) FROM t", &[]).await.unwrap();
		assert_eq!(r[0].int(0).unwrap(), 20_000);
		let r = db
			.query("SELECT a, b, c FROM t WHERE a IN (?, ?) ORDER BY a", &[int(3), int(4)])
			.await
			.unwrap();
		assert_eq!(
			(r[0].int(0).unwrap(), r[0].opt_text(1).unwrap(), r[0].bool(2).unwrap()),
			(3, None, true)
		);
		assert_eq!(
			(r[1].int(0).unwrap(), r[1].opt_text(1).unwrap(), r[1].bool(2).unwrap()),
			(4, Some("x4".into()), false)
		);
		// A rolled-back transaction leaves nothing.
		db.begin().await.unwrap();
		db.execute(
			"INSERT INTO t (a, b, c) VALUES (?, ?, ?)",
			&[int(-1), text("gone"), Param::Bool(true)],
		)
		.await
		.unwrap();
		db.rollback().await.unwrap();
		assert!(db.query("SELECT a FROM t WHERE a = -1", &[]).await.unwrap().is_empty());
		// Asking for the wrong type is a typed error.
		assert!(matches!(r[0].text(0), Err(DbError::Type { column: 0, expected: "text" })));
	}
}
