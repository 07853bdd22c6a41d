//! Types of the governance pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, weights::Weight, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound,
	PartialEqNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::DispatchError;
use tpchain_primitives::governance::{EntityId, ProposalStatus, Tally, Track};

/// A proposal and, once decided, its outcome: the audit record.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
)]
#[scale_info(skip_type_params(MaxCallLen))]
#[codec(mel_bound(AccountId: MaxEncodedLen, Balance: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Proposal<AccountId, Balance, BlockNumber, MaxCallLen: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	Balance: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Track it was submitted on.
	pub track: Track,
	/// Proposing entity.
	pub proposer: EntityId,
	/// Account whose deposit is held until the decision.
	pub depositor: AccountId,
	/// Deposit held (zero once released).
	pub deposit: Balance,
	/// The SCALE-encoded runtime call.
	pub call: BoundedVec<u8, MaxCallLen>,
	/// Blake2-256 of `call`.
	pub call_hash: [u8; 32],
	/// The call's weight, measured at submission; enactment is scheduled with it.
	pub call_weight: Weight,
	/// Submission block.
	pub submitted_at: BlockNumber,
	/// Where it stands.
	pub status: ProposalStatus<BlockNumber>,
	/// Votes so far; at the decision, the votes of entities then active.
	pub tally: Tally,
	/// Active entities at the decision (0 before).
	pub electorate: u32,
	/// Error of the executed call, if it failed.
	pub error: Option<DispatchError>,
	/// Emergency proposals: block at which the effect is undone unless ratified.
	pub expires_at: Option<BlockNumber>,
	/// Emergency proposals: ratified by a normal vote (the effect stays).
	pub ratified: bool,
}
