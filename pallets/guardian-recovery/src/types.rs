//! Stored types of the guardian-recovery pallet.

use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;

/// Guardians in force for an account, and the deposit held for storing them.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxGuardians))]
pub struct GuardianConfig<AccountId, Balance, BlockNumber, MaxGuardians: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Sorted, unique guardians.
	pub guardians: BoundedVec<AccountId, MaxGuardians>,
	/// Approvals needed, `1..=guardians.len()`.
	pub threshold: u32,
	/// Blocks a recovery (or a change of this config) must wait.
	pub delay: BlockNumber,
	/// Held under `HoldReason::GuardianConfig`.
	pub deposit: Balance,
}

/// A scheduled change of an account's guardians.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxGuardians))]
pub struct PendingChange<AccountId, Balance, BlockNumber, MaxGuardians: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// The new configuration (its deposit is already held); `None` removes the guardians.
	pub new: Option<GuardianConfig<AccountId, Balance, BlockNumber, MaxGuardians>>,
	/// First block the change may be applied in.
	pub effective_at: BlockNumber,
}

/// An open recovery of a lost account.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxGuardians))]
pub struct ActiveRecovery<AccountId, Balance, BlockNumber, MaxGuardians: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Who opened it (and posted `bond`).
	pub initiator: AccountId,
	/// Who gets control of the lost account.
	pub new_account: AccountId,
	/// Block it was opened in.
	pub opened_at: BlockNumber,
	/// Guardians who approved, sorted.
	pub approvals: BoundedVec<AccountId, MaxGuardians>,
	/// Held from the initiator under `HoldReason::InitiatorBond` (zero for guardians).
	pub bond: Balance,
	/// Opened by the force origin: needs no approvals, waits `ForceRecoveryDelay`.
	pub forced: bool,
	/// Guardians voting to close it (none of them approved it), sorted.
	pub objections: BoundedVec<AccountId, MaxGuardians>,
}

/// Why an open recovery was closed without being finalized.
#[derive(
	Encode,
	Decode,
	codec::DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum CloseReason {
	/// The owner's own key cancelled it.
	#[codec(index = 0)]
	Owner,
	/// A threshold of guardians who did not approve it voted to close it.
	#[codec(index = 1)]
	Guardians,
	/// The force origin (governance) closed it.
	#[codec(index = 2)]
	Force,
	/// It had fewer approvals than the threshold `RecoveryExpiry` blocks after it opened.
	#[codec(index = 3)]
	Expired,
	/// A guardian opened a recovery in its place (no guardian had opened it).
	#[codec(index = 4)]
	Replaced,
}

/// Guardian votes to freeze (or, once frozen, to unfreeze) an account's own key.
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxGuardians))]
pub struct FreezeState<AccountId, MaxGuardians: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Whether the account is frozen.
	pub frozen: bool,
	/// Guardians voting to flip `frozen`, sorted.
	pub votes: BoundedVec<AccountId, MaxGuardians>,
}

impl<AccountId, MaxGuardians: Get<u32>> Default for FreezeState<AccountId, MaxGuardians>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
{
	fn default() -> Self {
		Self { frozen: false, votes: BoundedVec::default() }
	}
}
