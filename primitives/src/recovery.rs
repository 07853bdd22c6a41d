//! Guardian recovery as integrators see it (the runtime API's answer types).

use alloc::vec::Vec;
use codec::{Decode, Encode};
use scale_info::TypeInfo;

/// An account's guardian configuration.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "std", serde(rename_all = "camelCase"))]
pub struct GuardianSet<AccountId, BlockNumber> {
	/// Guardians, sorted.
	pub guardians: Vec<AccountId>,
	/// Approvals a recovery needs.
	pub threshold: u32,
	/// Blocks between opening a recovery and finalizing it (and before a change applies).
	pub delay: BlockNumber,
}

/// Everything about one account's recovery setup.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "std", serde(rename_all = "camelCase"))]
pub struct RecoveryStatus<AccountId, Balance, BlockNumber> {
	/// The guardians in force, if any.
	pub config: Option<GuardianSet<AccountId, BlockNumber>>,
	/// Deposit held for the configuration.
	pub deposit: Balance,
	/// A scheduled change: the new set (`None` = removal) and the block it may apply from.
	pub pending_change: Option<(Option<GuardianSet<AccountId, BlockNumber>>, BlockNumber)>,
	/// Whether the guardians froze the account's own key.
	pub frozen: bool,
	/// The account that controls this one after a finished recovery.
	pub recovered_by: Option<AccountId>,
}

/// An open recovery.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "std", serde(rename_all = "camelCase"))]
pub struct ActiveRecoveryView<AccountId, Balance, BlockNumber> {
	/// Who opened it.
	pub initiator: AccountId,
	/// Who gets control when it finishes.
	pub new_account: AccountId,
	/// Block it was opened in.
	pub opened_at: BlockNumber,
	/// First block `finalize` may succeed in (given enough approvals).
	pub finalizable_at: BlockNumber,
	/// Guardians who approved.
	pub approvals: Vec<AccountId>,
	/// Approvals needed (0 for a forced recovery).
	pub threshold: u32,
	/// Bond the initiator posted (paid to the owner if the owner cancels).
	pub bond: Balance,
	/// Opened by governance as a last resort.
	pub forced: bool,
}
