//! Storage migrations.

pub mod v1;
