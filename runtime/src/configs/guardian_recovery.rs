//! `pallet_guardian_recovery`: guardians recover lost keys and freeze stolen ones.

use crate::{
	Balance, Balances, BlockNumber, Runtime, RuntimeCall, RuntimeFreezeReason, RuntimeHoldReason,
	DAYS, MILLI_UNIT, UNIT,
};
use frame_support::{parameter_types, traits::ConstU32};
use frame_system::EnsureRoot;

parameter_types! {
	/// Deposit for storing a guardian set: a base plus one per guardian (an account id each).
	pub const RecoveryDepositBase: Balance = 10 * MILLI_UNIT;
	pub const RecoveryDepositPerGuardian: Balance = 5 * MILLI_UNIT;
	/// What a stranger risks by opening a recovery: paid to the owner if the owner cancels.
	pub const RecoveryInitiationBond: Balance = 10 * UNIT;
	/// The floor of an account's own delay (20 s); owners choose days in practice. It keeps a
	/// delay from being zero, which would let a threshold finalize in the block it opens.
	pub const RecoveryMinDelay: BlockNumber = 10;
	/// A forced (governance) recovery waits 30 days for the owner to object.
	pub const ForceRecoveryDelay: BlockNumber = 30 * DAYS;
	/// A recovery short of its approvals after 7 days expires: anyone may close it, so a
	/// stranger's (or one guardian's) recovery cannot block the account for good.
	pub const RecoveryExpiry: BlockNumber = 7 * DAYS;
}

impl pallet_guardian_recovery::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	// A forced recovery is a Root act: the ≥ 2/3 membership track.
	type ForceOrigin = EnsureRoot<crate::AccountId>;
	type DepositBase = RecoveryDepositBase;
	type DepositPerGuardian = RecoveryDepositPerGuardian;
	type InitiationBond = RecoveryInitiationBond;
	type MaxGuardians = ConstU32<16>;
	type MinDelay = RecoveryMinDelay;
	type ForceRecoveryDelay = ForceRecoveryDelay;
	type RecoveryExpiry = RecoveryExpiry;
	type WeightInfo = pallet_guardian_recovery::weights::SubstrateWeight<Runtime>;
}
