//! Storage migrations of the escrow pallet.
//!
//! - v1 → v2 ([`v2::MigrateV1ToV2`]): the escrow clock's standstill moves to
//!   `ClockStoppedSince` (also set by outside emergencies); a pause in force at the upgrade
//!   keeps its start block.

//! - v2 → v3 ([`v3::MigrateV2ToV3`]): disputes carry a bond (zero for those already open) and
//!   escrows the payee's acceptance of their arbiters (not yet given); attestations move to the
//!   open escrows that name them; oracles record their registration block.

pub mod v2;
pub mod v3;
