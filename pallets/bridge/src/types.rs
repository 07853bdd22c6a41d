//! Storage types of the bridge pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec};
use scale_info::TypeInfo;
use sp_consensus_grandpa::{AuthorityId, AuthorityList, AuthorityWeight, SetId};
pub use tpchain_primitives::bridge::{
	BridgeLimits, BridgeTotals, CounterpartyView, FinalizedHeader, MintProof, QuarantineId,
	QuarantinedMessage, QuarantinedMint,
};

/// The GRANDPA authority set the light client verifies a counterparty's justifications with.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxAuthorities))]
pub struct StoredAuthoritySet<MaxAuthorities: Get<u32>> {
	/// Authorities and their weights.
	pub authorities: BoundedVec<(AuthorityId, AuthorityWeight), MaxAuthorities>,
	/// GRANDPA set id.
	pub set_id: SetId,
}

impl<M: Get<u32>> StoredAuthoritySet<M> {
	/// The set as `bp-header-chain` verifies with it.
	pub fn to_bp(&self) -> bp_header_chain::AuthoritySet {
		bp_header_chain::AuthoritySet::new(
			AuthorityList::from(self.authorities.to_vec()),
			self.set_id,
		)
	}
}

/// Light-client and safety state of one counterparty.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct CounterpartyState<Balance, BlockNumber> {
	/// Circuit breaker: while on, no header is imported and nothing is minted or released.
	pub halted: bool,
	/// Newest finalized header.
	pub best: FinalizedHeader,
	/// Slot of the header ring the next imported header takes.
	pub next_slot: u32,
	/// The safety envelope.
	pub limits: BridgeLimits<Balance, BlockNumber>,
	/// Block the rate-limit bucket's level was last updated in.
	pub window_start: BlockNumber,
	/// Rate-limit bucket: minted or quarantined and not yet drained as of `window_start` (it
	/// drains at `window_limit` per `window` blocks).
	pub window_used: Balance,
	/// Accounting.
	pub totals: BridgeTotals<Balance>,
}

impl<Balance: Default, BlockNumber: Default> CounterpartyState<Balance, BlockNumber> {
	/// A counterparty just anchored at `best`: running, no limits (nothing mints until
	/// governance sets them), nothing accounted.
	pub fn anchored_at(best: FinalizedHeader) -> Self {
		Self {
			halted: false,
			best,
			next_slot: 0,
			limits: Default::default(),
			window_start: Default::default(),
			window_used: Default::default(),
			totals: Default::default(),
		}
	}
}

/// What became of a consumed burn.
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
pub enum Consumption<BlockNumber> {
	/// Minted in this block.
	Minted(BlockNumber),
	/// Waiting in quarantine under this id.
	Quarantined(QuarantineId),
	/// Released from quarantine in this block.
	Released(BlockNumber),
	/// Cancelled by governance in this block; the tokens stay burned.
	Cancelled(BlockNumber),
}

/// A kept finalized header and what it has been used for.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct KeptHeader<Balance, BlockNumber> {
	/// Number, hash and state root.
	pub header: FinalizedHeader,
	/// Block of this chain it was imported in (`BridgeLimits::min_header_age` counts from it).
	pub imported_at: BlockNumber,
	/// Minted at once (not quarantined) from burns proven against it
	/// (`BridgeLimits::header_threshold` caps it).
	pub minted: Balance,
}

/// Executes a message a counterparty committed for this chain (the runtime's XCM executor).
pub trait ExecuteBridgedMessage {
	/// Why a message failed (for the event).
	type Error: codec::FullCodec
		+ DecodeWithMemTracking
		+ TypeInfo
		+ Clone
		+ PartialEq
		+ Eq
		+ core::fmt::Debug;

	/// Executes `message` (an encoded `VersionedXcm`, carrying `value` TPC) from
	/// `counterparty` with at most `weight_limit`. Returns the weight used and whether it
	/// completed; a failure must leave `value` claimable (trapped) and say so in its events.
	fn execute(
		counterparty: crate::ChainId,
		message: &[u8],
		value: tpchain_primitives::Balance,
		weight_limit: frame_support::weights::Weight,
	) -> (frame_support::weights::Weight, Result<(), Self::Error>);
}
