//! Storage migrations of the bridge pallet.
//!
//! Layout version 1 is the first; `v2` adds the aggregate quarantine and the minimum header
//! age to the limits and an import block and minted total to every kept header.

pub mod v2;
