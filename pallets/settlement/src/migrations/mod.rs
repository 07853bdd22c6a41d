//! Storage migrations of the settlement pallet.
//!
//! None yet: v1 is the first layout.
