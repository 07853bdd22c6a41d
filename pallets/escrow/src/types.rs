//! Stored types of the escrow pallet. Conditions are `tpchain_primitives::escrow::Condition`.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use tpchain_primitives::{burn::PaymentReference, escrow::Condition};

/// One part of a payment: an amount released when its condition holds.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Milestone<AccountId, Balance> {
	/// Amount paid to the payee on release.
	pub amount: Balance,
	/// When it may be released.
	pub condition: Condition<AccountId>,
}

/// Where an escrow stands.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub enum EscrowState<AccountId, Balance> {
	/// Releases and (after expiry) refunds are possible.
	Open,
	/// Payer or payee disputed: expiry stops, only an arbiter's resolution moves the funds.
	Disputed {
		/// Who disputed.
		by: AccountId,
		/// Held from `by` under `HoldReason::DisputeBond` until the resolution.
		bond: Balance,
	},
}

/// An open escrow. Closed escrows are removed (their events remain).
#[derive(
	Encode, Decode, MaxEncodedLen, TypeInfo, CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound,
)]
#[scale_info(skip_type_params(MaxMilestones, MaxArbiters))]
pub struct Escrow<AccountId, Balance, BlockNumber, MaxMilestones: Get<u32>, MaxArbiters: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Whose funds are held.
	pub payer: AccountId,
	/// Who receives released milestones.
	pub payee: AccountId,
	/// The milestones with whether each was released.
	pub milestones: BoundedVec<(Milestone<AccountId, Balance>, bool), MaxMilestones>,
	/// On the escrow clock (blocks, not counting paused time): refunds possible from here.
	pub expires_at: BlockNumber,
	/// Who may resolve a dispute (besides the arbiter origin) once the payee accepted them,
	/// sorted.
	pub arbiters: BoundedVec<AccountId, MaxArbiters>,
	/// The integrator's reference.
	pub reference: PaymentReference,
	/// Storage deposit, held from the payer under `HoldReason::EscrowDeposit`.
	pub deposit: Balance,
	/// Open or disputed.
	pub state: EscrowState<AccountId, Balance>,
	/// Payer or payee who asked to cancel; the other one's `cancel` executes it.
	pub cancel_requested_by: Option<AccountId>,
	/// Whether the payee accepted `arbiters` (the payer alone named them).
	pub arbiters_accepted: bool,
}

/// How an account takes part in an escrow (for `escrow_byAccount`).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
	/// Pays.
	Payer,
	/// Is paid.
	Payee,
	/// May resolve disputes.
	Arbiter,
}
