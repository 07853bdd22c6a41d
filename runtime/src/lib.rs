//! # tpchain runtime
//!
//! The state transition function of tpchain, a permissioned Proof-of-Authority settlement chain:
//! Aura produces a block every [`MILLI_SECS_PER_BLOCK`] ms, GRANDPA finalizes them, and the
//! validator set is the session set (from genesis until operator governance manages it).
//!
//! Pallet indices are explicit and stable: integrators encode calls by them.

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime!` does a lot of recursion.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

// Declared before `apis`: the benchmark list macros it defines are used there.
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod weights;

use sp_runtime::{generic, impl_opaque_keys, traits::BlakeTwo256, MultiAddress};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

// The basic types are shared with the node, the client and other chains' verifiers.
pub use tpchain_primitives::{AccountId, Balance, BlockNumber, ChainId, Hash, Nonce, Signature};

/// Types the node uses without knowing the runtime's extrinsic format, so it keeps syncing
/// across runtime upgrades that change it.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;

	impl_opaque_keys! {
		/// The keys a validator registers with `Session::set_keys`.
		pub struct SessionKeys {
			pub aura: super::Aura,
			pub grandpa: super::Grandpa,
		}
	}
}
pub use opaque::SessionKeys;

#[cfg(not(feature = "spec-version-bump"))]
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("tpchain"),
	impl_name: alloc::borrow::Cow::Borrowed("tpchain"),
	authoring_version: 1,
	// Bump on every runtime change that reaches a network; governance upgrades compare it.
	// Keep the `spec-version-bump` copy below at this value + 1.
	spec_version: 109,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// The same runtime one `spec_version` up: what the end-to-end upgrade test upgrades to
/// (`scripts/build-upgrade-runtime`). Never shipped.
#[cfg(feature = "spec-version-bump")]
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("tpchain"),
	impl_name: alloc::borrow::Cow::Borrowed("tpchain"),
	authoring_version: 1,
	spec_version: 110,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 2,
	system_version: 1,
};

/// Target block time. The slot duration is fixed at genesis and cannot change later.
pub const MILLI_SECS_PER_BLOCK: u64 = 2000;
/// Aura slot duration; equal to the block time.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute, for time-based constants.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// Name of the native token, shown in the chain properties.
pub const TOKEN_NAME: &str = "tpchain settlement token";
/// Symbol of the native token, shown in the chain properties.
pub const TOKEN_SYMBOL: &str = "TPC";
/// Decimals of the native token: one TPC is `10^TOKEN_DECIMALS` units.
pub const TOKEN_DECIMALS: u8 = 12;
/// SS58 address prefix (42 = generic Substrate).
pub const SS58_PREFIX: u16 = 42;

/// One whole token.
pub const UNIT: Balance = 10u128.pow(TOKEN_DECIMALS as u32);
/// A thousandth of a token.
pub const MILLI_UNIT: Balance = UNIT / 1_000;
/// A millionth of a token.
pub const MICRO_UNIT: Balance = UNIT / 1_000_000;
/// The minimum balance an account must keep to exist.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Address format of extrinsics.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The checks every signed transaction passes. Order matters to clients that sign.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_bridge::CheckBridgeSubmission<Runtime>,
	pallet_settlement::PrioritizeOperatorBatches<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// Unchecked extrinsic type.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;
/// The payload that is signed.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run at the next runtime upgrade, besides the pallets' own. Each runs
/// only while its pallet's on-chain storage version is the one it upgrades from.
type Migrations = (
	pallet_guardian_recovery::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_escrow::migrations::v2::MigrateV1ToV2<Runtime>,
	pallet_escrow::migrations::v3::MigrateV2ToV3<Runtime>,
	pallet_bridge::migrations::v2::MigrateV1ToV2<Runtime>,
	// A chain that had no XCM gets pallet-xcm's storage version set (nothing to migrate).
	pallet_xcm::migration::v1::MigrateToV1<Runtime>,
	// Records the supply baseline at the upgrade; fees, dust and XCM flows count from there.
	pallet_supply::migrations::v1::MigrateV0ToV1<Runtime>,
);

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(10)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(11)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(12)]
	pub type Supply = pallet_supply;
	#[runtime::pallet_index(20)]
	pub type Multisig = pallet_multisig;
	#[runtime::pallet_index(21)]
	pub type Utility = pallet_utility;
	// The name is part of every burn proof's storage key (`tpchain_primitives::burn`).
	#[runtime::pallet_index(30)]
	pub type BurnProofs = pallet_burn_proofs;
	#[runtime::pallet_index(31)]
	pub type GuardianRecovery = pallet_guardian_recovery;
	#[runtime::pallet_index(32)]
	pub type Escrow = pallet_escrow;
	#[runtime::pallet_index(33)]
	pub type Settlement = pallet_settlement;
	#[runtime::pallet_index(40)]
	pub type Operators = pallet_operators;
	#[runtime::pallet_index(41)]
	pub type Governance = pallet_governance;
	#[runtime::pallet_index(42)]
	pub type Scheduler = pallet_scheduler;
	#[runtime::pallet_index(43)]
	pub type SafeMode = pallet_safe_mode;
	#[runtime::pallet_index(44)]
	pub type TxPause = pallet_tx_pause;
	#[runtime::pallet_index(45)]
	pub type Bridge = pallet_bridge;
	// The name `PolkadotXcm` is what ecosystem tools look for.
	#[runtime::pallet_index(50)]
	pub type PolkadotXcm = pallet_xcm;
}

#[cfg(test)]
mod supply_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod xcm_bridge_tests;
#[cfg(test)]
mod xcm_tests;

#[cfg(test)]
mod version_tests {
	/// The upgrade test's runtime must be exactly one `spec_version` above the real one, or the
	/// end-to-end upgrade test would test something else (or nothing).
	#[test]
	fn upgrade_test_runtime_is_one_spec_version_up() {
		let versions: alloc::vec::Vec<u32> = include_str!("lib.rs")
			.lines()
			.filter_map(|l| l.trim().strip_prefix("spec_version: "))
			.map(|v| v.trim_end_matches(',').parse().unwrap())
			.collect();
		assert_eq!(versions.len(), 2);
		assert_eq!(super::VERSION.spec_version, versions[0]);
		assert_eq!(versions[1], versions[0] + 1);
	}
}
