//! # tpchain-indexer
//!
//! Follows a tpchain node's **finalized** blocks over JSON-RPC (the SDK, never the node's
//! internals) into a database auditors can query: SQLite by default (one file, embedded, no
//! set-up), PostgreSQL with `--database postgres://…`.
//!
//! - [`schema`]: the tables and their versioned migrations.
//! - [`extract`]: one block fetched and decoded: extrinsics (signer, call, success, fee), events
//!   (fields as JSON), and the domain records (transfers, burns, escrows and milestones,
//!   recoveries, proposals and votes, validator-set changes, bridge mints and quarantine,
//!   settlement batches).
//! - [`supply`]: the supply rebuilt from events, block by block, and its comparison with the
//!   runtime's `audit_supply`.
//! - [`write`] and [`follow`]: each block in one transaction, resumed after the last committed
//!   block, so a crash or a kill loses nothing and writes nothing twice.
//! - [`query`]: by payment reference, an account's history, the supply at a block; as a table,
//!   CSV or JSON.
//! - [`verify`]: the index's supply against `audit_supply` at every block.
//! - [`db`]: SQLite and PostgreSQL behind one small interface.

pub mod db;
pub mod extract;
pub mod follow;
pub mod query;
pub mod schema;
pub mod supply;
pub mod verify;
pub mod write;

pub use follow::{IndexError, Indexer, RunOptions};
