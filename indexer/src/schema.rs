//! The schema and its versioned migrations.
//!
//! `schema_migrations` records each applied version; [`migrate`] applies the missing ones in
//! order, each in its own transaction, so an interrupted migration leaves the previous version.
//! A database written by a newer indexer (a version this binary does not know) is refused.
//!
//! Every table's key is `(block, event)` or a domain id, so re-writing a block is impossible
//! (a second insert conflicts) and a block's rows are written in one transaction with it.

use crate::db::{int, text, DbError, Store};

/// A schema version: its number, what it does, and its SQL (portable to SQLite and PostgreSQL).
pub struct Migration {
	/// Version number, from 1, consecutive.
	pub version: i64,
	/// One line for `schema_migrations`.
	pub description: &'static str,
	/// The statements.
	pub sql: &'static str,
}

/// Every schema version, oldest first.
pub const MIGRATIONS: &[Migration] = &[Migration {
	version: 1,
	description: "blocks, extrinsics, events, domain records, supply",
	sql: V1,
}];

/// The newest schema version this binary writes.
pub fn latest() -> i64 {
	MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}

/// Errors of [`migrate`].
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
	/// The database failed.
	#[error(transparent)]
	Db(#[from] DbError),
	/// The database is newer than this binary.
	#[error("the database has schema version {found}; this indexer knows up to {known}: upgrade the indexer")]
	TooNew {
		/// Version in the database.
		found: i64,
		/// Newest version this binary knows.
		known: i64,
	},
}

/// The database's schema version (0: empty).
pub async fn version(db: &mut Store) -> Result<i64, DbError> {
	db.batch(
		"CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL)",
	)
	.await?;
	let rows = db.query("SELECT MAX(version) FROM schema_migrations", &[]).await?;
	Ok(rows.first().map(|r| r.opt_int(0)).transpose()?.flatten().unwrap_or(0))
}

/// Brings the schema to [`latest`]; returns the versions applied.
pub async fn migrate(db: &mut Store) -> Result<Vec<i64>, SchemaError> {
	let found = version(db).await?;
	if found > latest() {
		return Err(SchemaError::TooNew { found, known: latest() });
	}
	let mut applied = Vec::new();
	for m in MIGRATIONS.iter().filter(|m| m.version > found) {
		db.begin().await?;
		let step = async {
			db.batch(m.sql).await?;
			db.execute(
				"INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
				&[int(m.version), text(m.description)],
			)
			.await
		};
		match step.await {
			Ok(_) => db.commit().await?,
			Err(e) => {
				db.rollback().await?;
				return Err(e.into());
			},
		}
		applied.push(m.version);
	}
	Ok(applied)
}

const V1: &str = r#"
CREATE TABLE chain (
	id BIGINT PRIMARY KEY,
	genesis_hash TEXT NOT NULL
);
CREATE TABLE blocks (
	number BIGINT PRIMARY KEY,
	hash TEXT NOT NULL UNIQUE,
	parent_hash TEXT NOT NULL,
	timestamp_ms BIGINT,
	spec_version BIGINT NOT NULL,
	extrinsic_count BIGINT NOT NULL,
	event_count BIGINT NOT NULL
);
CREATE TABLE extrinsics (
	block BIGINT NOT NULL,
	idx BIGINT NOT NULL,
	hash TEXT NOT NULL,
	signer TEXT,
	pallet TEXT NOT NULL,
	call TEXT NOT NULL,
	success BOOLEAN NOT NULL,
	error TEXT,
	fee TEXT NOT NULL,
	PRIMARY KEY (block, idx)
);
CREATE INDEX extrinsics_signer ON extrinsics (signer);
CREATE INDEX extrinsics_hash ON extrinsics (hash);
CREATE TABLE events (
	block BIGINT NOT NULL,
	idx BIGINT NOT NULL,
	extrinsic BIGINT,
	phase TEXT NOT NULL,
	pallet TEXT NOT NULL,
	name TEXT NOT NULL,
	fields TEXT NOT NULL,
	PRIMARY KEY (block, idx)
);
CREATE INDEX events_name ON events (pallet, name);
CREATE TABLE transfers (
	block BIGINT NOT NULL,
	event BIGINT NOT NULL,
	extrinsic BIGINT,
	from_account TEXT NOT NULL,
	to_account TEXT NOT NULL,
	amount TEXT NOT NULL,
	PRIMARY KEY (block, event)
);
CREATE INDEX transfers_from ON transfers (from_account);
CREATE INDEX transfers_to ON transfers (to_account);
CREATE TABLE burns (
	block BIGINT NOT NULL,
	event BIGINT NOT NULL,
	extrinsic BIGINT,
	kind TEXT NOT NULL,
	burn_id BIGINT,
	request BIGINT,
	account TEXT,
	amount TEXT,
	destination BIGINT,
	beneficiary TEXT,
	reference TEXT,
	PRIMARY KEY (block, event)
);
CREATE INDEX burns_reference ON burns (reference);
CREATE INDEX burns_account ON burns (account);
CREATE TABLE escrows (
	id BIGINT PRIMARY KEY,
	payer TEXT NOT NULL,
	payee TEXT NOT NULL,
	amount TEXT NOT NULL,
	milestones BIGINT NOT NULL,
	expires_at BIGINT NOT NULL,
	reference TEXT NOT NULL,
	created_block BIGINT NOT NULL,
	status TEXT NOT NULL,
	status_block BIGINT NOT NULL
);
CREATE INDEX escrows_reference ON escrows (reference);
CREATE INDEX escrows_payer ON escrows (payer);
CREATE INDEX escrows_payee ON escrows (payee);
CREATE TABLE escrow_events (
	block BIGINT NOT NULL,
	event BIGINT NOT NULL,
	part BIGINT NOT NULL,
	extrinsic BIGINT,
	escrow BIGINT NOT NULL,
	kind TEXT NOT NULL,
	milestone BIGINT,
	account TEXT,
	amount TEXT,
	reference TEXT,
	PRIMARY KEY (block, event, part)
);
CREATE INDEX escrow_events_reference ON escrow_events (reference);
CREATE INDEX escrow_events_escrow ON escrow_events (escrow);
CREATE INDEX escrow_events_account ON escrow_events (account);
CREATE TABLE recoveries (
	block BIGINT NOT NULL,
	event BIGINT NOT NULL,
	extrinsic BIGINT,
	kind TEXT NOT NULL,
	account TEXT NOT NULL,
	other TEXT,
	amount TEXT,
	count BIGINT,
	PRIMARY KEY (block, event)
);
CREATE INDEX recoveries_account ON recoveries (account);
CREATE TABLE proposals (
	id BIGINT PRIMARY KEY,
	track TEXT NOT NULL,
	proposer BIGINT NOT NULL,
	call_hash TEXT NOT NULL,
	voting_ends BIGINT NOT NULL,
	proposed_block BIGINT NOT NULL,
	status TEXT NOT NULL,
	status_block BIGINT NOT NULL,
	ayes BIGINT,
	nays BIGINT,
	abstentions BIGINT
);
CREATE TABLE votes (
	block BIGINT NOT NULL,
	event BIGINT NOT NULL,
	extrinsic BIGINT,
	proposal BIGINT NOT NULL,
	entity BIGINT NOT NULL,
	vote TEXT NOT NULL,
	PRIMARY KEY (block, event)
);
CREATE INDEX votes_proposal ON votes (proposal);
CREATE TABLE validator_changes (
	block BIGINT NOT NULL,
	event BIGINT NOT NULL,
	kind TEXT NOT NULL,
	entity BIGINT,
	old_account TEXT,
	new_account TEXT,
	detail TEXT,
	PRIMARY KEY (block, event)
);
CREATE TABLE bridge_events (
	block BIGINT NOT NULL,
	event BIGINT NOT NULL,
	kind TEXT NOT NULL,
	counterparty BIGINT NOT NULL,
	burn_id BIGINT,
	nonce BIGINT,
	quarantine_id BIGINT,
	account TEXT,
	amount TEXT NOT NULL,
	PRIMARY KEY (block, event)
);
CREATE INDEX bridge_events_account ON bridge_events (account);
CREATE TABLE settlement_batches (
	block BIGINT NOT NULL,
	event BIGINT NOT NULL,
	extrinsic BIGINT,
	batch BIGINT NOT NULL,
	submitter TEXT NOT NULL,
	settled BIGINT NOT NULL,
	failed BIGINT NOT NULL,
	failures TEXT NOT NULL,
	root TEXT NOT NULL,
	PRIMARY KEY (block, event)
);
CREATE TABLE supply (
	block BIGINT PRIMARY KEY,
	total_issuance TEXT NOT NULL,
	free TEXT NOT NULL,
	held TEXT NOT NULL,
	held_by_reason TEXT NOT NULL,
	reserved TEXT NOT NULL,
	minted TEXT NOT NULL,
	minted_by_counterparty TEXT NOT NULL,
	burned TEXT NOT NULL,
	burned_by_destination TEXT NOT NULL,
	fees TEXT NOT NULL,
	dust TEXT NOT NULL,
	quarantined TEXT NOT NULL,
	quarantined_by_counterparty TEXT NOT NULL
);
"#;

#[cfg(test)]
mod tests {
	use super::*;

	#[tokio::test]
	async fn migrations_apply_once_and_a_newer_database_is_refused() {
		let dir = tempfile::tempdir().unwrap();
		let path = dir.path().join("s.db");
		let mut db = Store::open(path.to_str().unwrap()).await.unwrap();
		assert_eq!(migrate(&mut db).await.unwrap(), vec![1]);
		assert_eq!(migrate(&mut db).await.unwrap(), Vec::<i64>::new());
		assert_eq!(version(&mut db).await.unwrap(), latest());
		db.execute(
			"INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
			&[int(99), text("future")],
		)
		.await
		.unwrap();
		assert!(matches!(
			migrate(&mut db).await,
			Err(SchemaError::TooNew { found: 99, known }) if known == latest()
		));
	}
}
