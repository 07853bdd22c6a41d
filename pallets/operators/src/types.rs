//! Types of the operators pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use scale_info::TypeInfo;
use tpchain_primitives::governance::EntityStatus;

/// A licensed entity's registration.
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
#[scale_info(skip_type_params(MaxName, MaxPeer))]
#[codec(mel_bound(AccountId: MaxEncodedLen, BlockNumber: MaxEncodedLen))]
pub struct Entity<AccountId, BlockNumber, MaxName: Get<u32>, MaxPeer: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Registered legal name.
	pub legal_name: BoundedVec<u8, MaxName>,
	/// Reference of the operating licence.
	pub licence: BoundedVec<u8, MaxName>,
	/// Jurisdiction that issued the licence.
	pub jurisdiction: BoundedVec<u8, MaxName>,
	/// Standing.
	pub status: EntityStatus,
	/// Votes and proposes for the entity; the entity rotates it itself.
	pub voting_account: AccountId,
	/// The entity's one validator (registers its session keys with `Session::set_keys`).
	pub validator: AccountId,
	/// libp2p peer id of the entity's node: validators only peer with admitted entities.
	pub peer_id: BoundedVec<u8, MaxPeer>,
	/// Block of admission.
	pub admitted_at: BlockNumber,
}

/// What an admission proposal supplies.
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
#[scale_info(skip_type_params(MaxName, MaxPeer))]
#[codec(mel_bound(AccountId: MaxEncodedLen))]
pub struct Admission<AccountId, MaxName: Get<u32>, MaxPeer: Get<u32>>
where
	AccountId: Clone + PartialEq + Eq + core::fmt::Debug,
{
	/// Registered legal name.
	pub legal_name: BoundedVec<u8, MaxName>,
	/// Reference of the operating licence.
	pub licence: BoundedVec<u8, MaxName>,
	/// Jurisdiction that issued the licence.
	pub jurisdiction: BoundedVec<u8, MaxName>,
	/// Voting account.
	pub voting_account: AccountId,
	/// Validator account.
	pub validator: AccountId,
	/// libp2p peer id of the entity's node.
	pub peer_id: BoundedVec<u8, MaxPeer>,
}
