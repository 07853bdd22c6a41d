//! Storage migrations of the escrow pallet.
//!
//! - v1 → v2 ([`v2::MigrateV1ToV2`]): the escrow clock's standstill moves to
//!   `ClockStoppedSince` (also set by outside emergencies); a pause in force at the upgrade
//!   keeps its start block.

pub mod v2;
