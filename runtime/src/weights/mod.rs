//! Weights measured on this project's reference machine (2 cores, 24 GiB; see
//! `docs/performance.md`) by `scripts/benchmark-runtime`, never edited by hand:
//!
//! - `block_weights`, `extrinsic_weights`: `benchmark overhead` (an empty block; a block full of
//!   `System::remark`, signature checks included);
//! - `rocksdb_weights`: `benchmark storage` on a RocksDB state after a load run;
//! - the SDK pallets' `WeightInfo` (`frame_system`, its transaction extensions, balances,
//!   transaction payment, timestamp, XCM): `benchmark pallet`;
//! - `xcm`: the XCM executor's instruction weights (`pallet-xcm-benchmarks`).
//!
//! tpchain's own pallets keep their weights in `pallets/<name>/src/weights.rs`.

pub mod block_weights;
pub mod extrinsic_weights;
pub mod frame_system;
pub mod frame_system_extensions;
pub mod pallet_balances;
pub mod pallet_timestamp;
pub mod pallet_transaction_payment;
pub mod pallet_xcm;
pub mod xcm;
// The generator documents the measured figures on struct fields.
#[allow(unused_doc_comments)]
pub mod rocksdb_weights;

pub use block_weights::BlockExecutionWeight;
pub use extrinsic_weights::ExtrinsicBaseWeight;
pub use rocksdb_weights::constants::RocksDbWeight;
