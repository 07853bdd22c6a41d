//! Licensed entities and their votes: the types `pallet-operators`, `pallet-governance`, the
//! runtime API, the node's RPC and the client share.
//!
//! Governance counts **entities**, never accounts: an entity's voting account can rotate without
//! changing its [`EntityId`] or its open votes.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// A licensed operator (a separate legal entity), numbered from 0 in order of admission.
pub type EntityId = u32;

/// A governance proposal, numbered from 0 without gaps.
pub type ProposalId = u32;

/// Standing of a licensed entity.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum EntityStatus {
	/// Votes, proposes, and (with session keys) validates.
	Active,
	/// Temporarily without vote or validator; can be reinstated.
	Suspended,
	/// Permanently out; the record stays for the audit trail.
	Removed,
}

/// What an entity votes on a proposal.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Vote {
	/// For.
	Aye,
	/// Against.
	Nay,
	/// Counts towards the quorum only.
	Abstain,
}

/// The governance tracks. Each has its own thresholds and periods and dispatches with its own
/// origin; the runtime decides which calls each track may carry.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum Track {
	/// Authorizes a new runtime's code hash (dispatches as Root).
	RuntimeUpgrade,
	/// Admits, suspends and removes entities and their validators (dispatches as Root).
	Membership,
	/// Limits, thresholds, oracle and arbiter registries (dispatches as the Parameters origin).
	Parameters,
	/// Pauses, effective at once and expiring unless ratified (dispatches as the Emergency
	/// origin).
	Emergency,
}

impl Track {
	/// Every track, in id order.
	pub const ALL: [Track; 4] =
		[Track::RuntimeUpgrade, Track::Membership, Track::Parameters, Track::Emergency];
}

/// A share of the entities: `num / den`, reached with `>=` or, if `strict`, with `>`.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct Threshold {
	/// Numerator.
	pub num: u32,
	/// Denominator, never zero.
	pub den: u32,
	/// `true` for "more than", `false` for "at least".
	pub strict: bool,
}

impl Threshold {
	/// At least `num / den`.
	pub const fn at_least(num: u32, den: u32) -> Self {
		Self { num, den, strict: false }
	}

	/// More than `num / den`.
	pub const fn more_than(num: u32, den: u32) -> Self {
		Self { num, den, strict: true }
	}

	/// A well-formed threshold: a fraction in `(0, 1]`.
	pub fn is_valid(&self) -> bool {
		self.den > 0 && self.num > 0 && self.num <= self.den
	}

	/// Whether every count that reaches `self` reaches `floor` too.
	pub fn at_least_as_strict_as(&self, floor: &Threshold) -> bool {
		let lhs = u64::from(self.num) * u64::from(floor.den);
		let rhs = u64::from(floor.num) * u64::from(self.den);
		lhs > rhs || (lhs == rhs && (self.strict || !floor.strict))
	}

	/// Whether `count` out of `of` reaches the threshold. An empty electorate reaches nothing.
	pub fn is_reached(&self, count: u32, of: u32) -> bool {
		if of == 0 || self.den == 0 {
			return false;
		}
		let lhs = u64::from(count) * u64::from(self.den);
		let rhs = u64::from(self.num) * u64::from(of);
		if self.strict {
			lhs > rhs
		} else {
			lhs >= rhs
		}
	}
}

/// How a track decides: both shares are of the entities that are `Active` at the decision.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct TrackParams<BlockNumber> {
	/// Ayes needed, as a share of all active entities.
	pub approval: Threshold,
	/// Votes of any kind (aye, nay, abstain) needed, as a share of all active entities.
	pub quorum: Threshold,
	/// Blocks a proposal is open for votes.
	pub voting_period: BlockNumber,
	/// Blocks between approval and execution (0: the block after approval).
	pub enactment_delay: BlockNumber,
}

/// The running count of a proposal's votes.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Default,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct Tally {
	/// Entities voting aye.
	pub ayes: u32,
	/// Entities voting nay.
	pub nays: u32,
	/// Entities abstaining.
	pub abstentions: u32,
}

impl Tally {
	/// Entities that voted at all.
	pub fn turnout(&self) -> u32 {
		self.ayes.saturating_add(self.nays).saturating_add(self.abstentions)
	}
}

/// Where `pallet-governance` looks up the licensed entities (`pallet-operators` in the runtime).
pub trait Entities<AccountId> {
	/// The active entity whose voting account is `who`.
	fn active_entity_of(who: &AccountId) -> Option<EntityId>;
	/// Whether `entity` is active.
	fn is_active(entity: EntityId) -> bool;
	/// How many entities are active: the electorate.
	fn active_count() -> u32;
}

/// A licensed entity as the `operators_list` RPC shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct EntityView<AccountId, BlockNumber> {
	/// Entity id.
	pub id: EntityId,
	/// Registered legal name (UTF-8).
	pub legal_name: Vec<u8>,
	/// Licence reference (UTF-8).
	pub licence: Vec<u8>,
	/// Jurisdiction (UTF-8).
	pub jurisdiction: Vec<u8>,
	/// Standing.
	pub status: EntityStatus,
	/// Account that votes and proposes for the entity.
	pub voting_account: AccountId,
	/// The entity's validator account.
	pub validator: AccountId,
	/// Whether the validator has registered session keys.
	pub has_session_keys: bool,
	/// Whether the validator is in the current session's set.
	pub validating: bool,
	/// libp2p peer id of the entity's node (bytes).
	pub peer_id: Vec<u8>,
	/// Peer ids of the entity's other nodes (sentries, RPC nodes).
	pub extra_peer_ids: Vec<Vec<u8>>,
	/// Block of admission.
	pub admitted_at: BlockNumber,
}

/// Where a proposal stands.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum ProposalStatus<BlockNumber> {
	/// Open for votes until `ends` (decided at that block).
	Voting {
		/// Block at which the vote is decided.
		ends: BlockNumber,
	},
	/// Passed; executes at `at`.
	Approved {
		/// Enactment block.
		at: BlockNumber,
	},
	/// Did not reach the track's approval or quorum.
	Rejected {
		/// Decision block.
		at: BlockNumber,
	},
	/// Cancelled by a cancellation vote before execution.
	Cancelled {
		/// Block of cancellation.
		at: BlockNumber,
	},
	/// Executed; `ok` tells whether the call succeeded (the error is in `error`).
	Executed {
		/// Block of execution.
		at: BlockNumber,
		/// Whether the call returned `Ok`.
		ok: bool,
	},
}

/// A proposal as the `governance_proposals` RPC shows it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct ProposalView<AccountId, Balance, BlockNumber> {
	/// Proposal id.
	pub id: ProposalId,
	/// Track it was submitted on.
	pub track: Track,
	/// Proposing entity.
	pub proposer: EntityId,
	/// Account whose deposit is held.
	pub depositor: AccountId,
	/// Deposit held while the proposal is open.
	pub deposit: Balance,
	/// SCALE-encoded runtime call.
	pub call: Vec<u8>,
	/// Blake2-256 of `call`.
	pub call_hash: [u8; 32],
	/// Submission block.
	pub submitted_at: BlockNumber,
	/// Current standing.
	pub status: ProposalStatus<BlockNumber>,
	/// Votes so far (at decision: the votes that counted).
	pub tally: Tally,
	/// Electorate at the decision (0 while voting).
	pub electorate: u32,
	/// SCALE-encoded `DispatchError` if the executed call failed.
	pub error: Option<Vec<u8>>,
	/// For emergency proposals: the block at which the effect is undone unless ratified.
	pub expires_at: Option<BlockNumber>,
	/// For emergency proposals: ratified by a normal vote.
	pub ratified: bool,
}

/// One entity's vote on a proposal.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct VoteRecord<AccountId, BlockNumber> {
	/// The entity.
	pub entity: EntityId,
	/// Its vote.
	pub vote: Vote,
	/// The account that cast it.
	pub voter: AccountId,
	/// Block it was cast (last changed).
	pub at: BlockNumber,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn two_thirds_of_four_needs_three() {
		let t = Threshold::at_least(2, 3);
		assert!(!t.is_reached(2, 4));
		assert!(t.is_reached(3, 4));
		assert!(t.is_reached(2, 3));
		assert!(!t.is_reached(1, 0));
	}

	#[test]
	fn more_than_half_is_strict() {
		let t = Threshold::more_than(1, 2);
		assert!(!t.is_reached(2, 4));
		assert!(t.is_reached(3, 4));
		assert!(t.is_reached(1, 1));
		assert!(!t.is_reached(0, 1));
	}

	#[test]
	fn invalid_thresholds_are_detected() {
		assert!(!Threshold::at_least(0, 3).is_valid());
		assert!(!Threshold::at_least(4, 3).is_valid());
		assert!(!Threshold::at_least(1, 0).is_valid());
		assert!(Threshold::at_least(3, 3).is_valid());
	}
}

/// The JSON shapes of the `governance_*` and `operators_*` RPC methods (node and client).
#[cfg(feature = "std")]
pub mod json {
	use super::{EntityId, EntityStatus, ProposalId, Tally, Track, Vote};
	use crate::{AccountId, BlockNumber};
	use serde::{Deserialize, Serialize};
	use sp_core::Bytes;

	/// A licensed entity.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct EntityJson {
		/// Entity id.
		pub id: EntityId,
		/// Legal name.
		pub legal_name: String,
		/// Licence reference.
		pub licence: String,
		/// Jurisdiction.
		pub jurisdiction: String,
		/// `active`, `suspended` or `removed`.
		pub status: EntityStatus,
		/// Voting account, SS58.
		pub voting_account: AccountId,
		/// Validator account, SS58.
		pub validator: AccountId,
		/// Whether the validator registered session keys.
		pub has_session_keys: bool,
		/// Whether the validator is in the planned validator set.
		pub validating: bool,
		/// Peer id of the entity's node, base58.
		pub peer_id: String,
		/// Peer ids of its other nodes (sentries, RPC nodes), base58.
		pub extra_peer_ids: Vec<String>,
		/// Block of admission.
		pub admitted_at: BlockNumber,
	}

	/// A proposal and its outcome.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct ProposalJson {
		/// Proposal id.
		pub id: ProposalId,
		/// Track.
		pub track: Track,
		/// Proposing entity.
		pub proposer: EntityId,
		/// Account whose deposit was held.
		pub depositor: AccountId,
		/// Deposit still held, decimal string.
		pub deposit: String,
		/// The SCALE-encoded call.
		pub call: Bytes,
		/// Blake2-256 of the call.
		pub call_hash: Bytes,
		/// Submission block.
		pub submitted_at: BlockNumber,
		/// `voting`, `approved`, `rejected`, `cancelled` or `executed`.
		pub status: String,
		/// The block of the status: voting end, enactment, decision, cancellation or execution.
		pub status_at: BlockNumber,
		/// For executed proposals: whether the call succeeded.
		pub ok: Option<bool>,
		/// For failed calls: the SCALE-encoded `DispatchError`.
		pub error: Option<Bytes>,
		/// Votes.
		pub tally: Tally,
		/// Active entities at the decision.
		pub electorate: u32,
		/// Emergency proposals: when the effect is undone unless ratified.
		pub expires_at: Option<BlockNumber>,
		/// Emergency proposals: ratified.
		pub ratified: bool,
	}

	/// One entity's vote.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct VoteJson {
		/// Entity.
		pub entity: EntityId,
		/// `aye`, `nay` or `abstain`.
		pub vote: Vote,
		/// The account that cast it, SS58.
		pub voter: AccountId,
		/// Block it was cast.
		pub at: BlockNumber,
	}
}
