//! Storage migrations of the guardian-recovery pallet.
//!
//! - v1 → v2 ([`v2::MigrateV1ToV2`]): open recoveries gain `objections` (guardians voting to
//!   close them), empty for every recovery open at the upgrade.

pub mod v2;
