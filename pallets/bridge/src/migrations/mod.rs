//! Storage migrations of the bridge pallet.
//!
//! Layout version 1 is the first; there is nothing to migrate yet. A future layout change adds
//! `v2.rs` here as a `VersionedMigration<1, 2, ...>` with `try-runtime` `pre_upgrade` /
//! `post_upgrade` checks, and the runtime lists it in its `Migrations`.
