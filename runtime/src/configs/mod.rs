//! Pallet configurations, one file per pallet.

pub mod aura;
pub mod balances;
pub mod bridge;
pub mod burn_proofs;
pub mod escrow;
pub mod governance;
pub mod grandpa;
pub mod guardian_recovery;
pub mod multisig;
pub mod operators;
pub mod safe_mode;
pub mod scheduler;
pub mod session;
pub mod settlement;
pub mod supply;
pub mod system;
pub mod timestamp;
pub mod transaction_payment;
pub mod tx_pause;
pub mod utility;
pub mod xcm;
