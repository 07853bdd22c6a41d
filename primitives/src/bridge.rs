//! The bridge between tpchain networks: what `pallet-bridge`, its runtime API, the node's
//! `bridge_*` RPC methods and the relayer share.
//!
//! Chain B runs a GRANDPA light client of chain A. A relayer feeds it A's finalized headers
//! (with their justifications) and then a [`MintProof`] per burn: a storage proof of A's burn
//! record against the state root of a header B already finalized. B mints the record's amount
//! to its beneficiary once, within the [`BridgeLimits`] governance sets.

use crate::{
	burn::{BurnId, MAX_ANCESTRY_HEADERS},
	BlockNumber, ChainId, Hash,
};
use bp_runtime::RawStorageProof;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::traits::Bounded;

/// Identifies a mint waiting in quarantine, numbered from 0 without gaps.
pub type QuarantineId = u64;

/// Most trie nodes a [`MintProof`] may carry. A burn record and the chain id in a state of
/// millions of keys need about 2 × 8 nodes; the rest is margin.
pub const MAX_PROOF_NODES: u32 = 64;

/// Most headers a GRANDPA justification's vote ancestries may hold (same bound as a burn
/// bundle's ancestry).
pub const MAX_VOTES_ANCESTRIES: u32 = MAX_ANCESTRY_HEADERS;

/// Most headers between the light client's newest header and a newly imported one (the
/// ancestry proving the new header descends from it). About 4 minutes of 2-second blocks; a
/// relayer behind by more imports an intermediate justified header first.
pub const MAX_FINALITY_ANCESTRY: u32 = 128;

/// A counterparty header the light client accepted as finalized.
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
	Default,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub struct FinalizedHeader {
	/// Block number on the counterparty.
	pub number: BlockNumber,
	/// Block hash on the counterparty.
	pub hash: Hash,
	/// The block's state root: what mint proofs are checked against.
	pub state_root: Hash,
}

impl FinalizedHeader {
	/// Whether a light client whose newest header is this one has nothing to gain from header
	/// `number`/`hash`: it is older, or this very header (another block at this height reports
	/// an equivocation, so it is not stale).
	pub fn supersedes(&self, number: BlockNumber, hash: Hash) -> bool {
		number < self.number || (number == self.number && hash == self.hash)
	}
}

/// The safety envelope of one counterparty, set by governance. The default (all zero) lets
/// nothing through: a counterparty mints only after governance sets limits.
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
	Default,
)]
pub struct BridgeLimits<Balance, BlockNumber> {
	/// Largest single transfer; larger burns are refused (and stay claimable if raised).
	pub max_transfer: Balance,
	/// Length of the rate-limit window, in blocks of this chain.
	pub window: BlockNumber,
	/// Most that may be minted or quarantined within one window.
	pub window_limit: Balance,
	/// Transfers above this wait in quarantine.
	pub quarantine_threshold: Balance,
	/// Blocks a quarantined transfer waits before anyone may release it.
	pub quarantine_delay: BlockNumber,
	/// Aggregate quarantine: once the transfers minted at once from one header would exceed
	/// this total, every further transfer proven against that header waits in quarantine
	/// whatever its size (a forged state root cannot mint many small transfers).
	pub header_threshold: Balance,
	/// Blocks of this chain a header must have been imported for before anything is minted
	/// from it: time for watchers to halt the bridge on an equivocation.
	pub min_header_age: BlockNumber,
}

impl<Balance: PartialOrd + Bounded, BlockNumber: PartialOrd> BridgeLimits<Balance, BlockNumber> {
	/// Whether any transfer can land in quarantine: something mints at all, and either the
	/// per-transfer threshold is below the cap or an aggregate threshold is set (what one
	/// header mints grows without bound, so any finite one can be reached).
	pub fn quarantines(&self) -> bool {
		self.max_transfer > Balance::min_value()
			&& (self.quarantine_threshold < self.max_transfer
				|| self.header_threshold < Balance::max_value())
	}

	/// Whether these limits let through no more than `current` does: no cap, window limit,
	/// quarantine or header threshold higher, no window, quarantine delay or header age
	/// shorter.
	pub fn no_looser_than(&self, current: &Self) -> bool {
		self.max_transfer <= current.max_transfer
			&& self.window_limit <= current.window_limit
			&& self.quarantine_threshold <= current.quarantine_threshold
			&& self.header_threshold <= current.header_threshold
			&& self.window >= current.window
			&& self.quarantine_delay >= current.quarantine_delay
			&& self.min_header_age >= current.min_header_age
	}
}

/// Accounting per counterparty. `proven = minted + quarantined + cancelled` always holds, and
/// `proven` only grows by the amount of a burn record proven from the counterparty's
/// finalized state (each record once): minted-from-A never exceeds burned-to-here-on-A.
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
	Default,
)]
pub struct BridgeTotals<Balance> {
	/// Sum of the burn records consumed.
	pub proven: Balance,
	/// Minted to beneficiaries.
	pub minted: Balance,
	/// Waiting in quarantine.
	pub quarantined: Balance,
	/// Cancelled by governance while in quarantine (stays burned on the counterparty).
	pub cancelled: Balance,
}

/// What `mint_from_burn` carries: a burn record of the counterparty, proven against the state
/// root of a header the light client has finalized.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct MintProof {
	/// Hash of a finalized counterparty header the light client still keeps.
	pub at: Hash,
	/// The burn on the counterparty.
	pub burn_id: BurnId,
	/// Trie nodes proving the burn record and the chain id under `at`'s state root.
	pub storage_proof: RawStorageProof,
}

/// A mint above the quarantine threshold, waiting to be released.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct QuarantinedMint<AccountId, Balance, BlockNumber> {
	/// Chain the tokens were burned on.
	pub counterparty: ChainId,
	/// The burn on that chain.
	pub burn_id: BurnId,
	/// Who receives the tokens.
	pub beneficiary: AccountId,
	/// Amount to mint.
	pub amount: Balance,
	/// First block in which anyone may release it.
	pub release_at: BlockNumber,
}

/// A counterparty's message waiting in quarantine (its value was above a threshold); executed
/// when released.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct QuarantinedMessage<Balance, BlockNumber> {
	/// Chain the message comes from.
	pub counterparty: ChainId,
	/// Its nonce there, towards this chain.
	pub nonce: crate::message::MessageNonce,
	/// TPC it carries.
	pub value: Balance,
	/// The encoded message.
	pub xcm: crate::message::MessageBlob,
	/// First block in which anyone may release it.
	pub release_at: BlockNumber,
}

/// One counterparty as the runtime API reports it.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct CounterpartyView<Balance, BlockNumber> {
	/// The counterparty.
	pub chain: ChainId,
	/// Whether the circuit breaker is on.
	pub halted: bool,
	/// GRANDPA set id of the stored authority set.
	pub set_id: u64,
	/// Size of the stored authority set.
	pub authorities: u32,
	/// Newest finalized header.
	pub best: FinalizedHeader,
	/// Block of this chain in which `best` was imported (mints from it wait for
	/// `limits.min_header_age` blocks after it).
	pub best_imported_at: BlockNumber,
	/// Headers kept (oldest first); mint proofs may point at any of them.
	pub headers: alloc::vec::Vec<FinalizedHeader>,
	/// The safety envelope.
	pub limits: BridgeLimits<Balance, BlockNumber>,
	/// Block of the last mint (the rate-limit bucket's level is as of this block).
	pub window_start: BlockNumber,
	/// The rate-limit bucket's level: minted or quarantined and not yet drained (it drains at
	/// `window_limit` per `window` blocks).
	pub window_used: Balance,
	/// Accounting.
	pub totals: BridgeTotals<Balance>,
}

/// JSON forms for the node's RPC and the SDK (balances as decimal strings).
#[cfg(feature = "std")]
pub mod json {
	use super::*;
	use crate::{AccountId, Balance};
	use serde::{Deserialize, Serialize};

	/// [`BridgeLimits`] for JSON.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct LimitsJson {
		/// Largest single transfer.
		pub max_transfer: String,
		/// Rate-limit window, blocks.
		pub window: BlockNumber,
		/// Most per window.
		pub window_limit: String,
		/// Transfers above this wait in quarantine.
		pub quarantine_threshold: String,
		/// Quarantine delay, blocks.
		pub quarantine_delay: BlockNumber,
		/// Most minted at once from one header; beyond it transfers wait in quarantine.
		pub header_threshold: String,
		/// Blocks a header must have been imported for before it is minted from.
		pub min_header_age: BlockNumber,
	}

	/// [`BridgeTotals`] for JSON.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct TotalsJson {
		/// Sum of consumed burn records.
		pub proven: String,
		/// Minted.
		pub minted: String,
		/// In quarantine.
		pub quarantined: String,
		/// Cancelled by governance.
		pub cancelled: String,
	}

	/// [`CounterpartyView`] for JSON.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct CounterpartyJson {
		/// The counterparty's chain id.
		pub chain: ChainId,
		/// Circuit breaker on.
		pub halted: bool,
		/// Stored GRANDPA set id.
		pub set_id: u64,
		/// Size of the stored authority set.
		pub authorities: u32,
		/// Newest finalized header.
		pub best: FinalizedHeader,
		/// Block in which `best` was imported.
		pub best_imported_at: BlockNumber,
		/// Headers kept, oldest first.
		pub headers: Vec<FinalizedHeader>,
		/// Safety envelope.
		pub limits: LimitsJson,
		/// Start of the current window.
		pub window_start: BlockNumber,
		/// Used in the current window.
		pub window_used: String,
		/// Accounting.
		pub totals: TotalsJson,
	}

	impl From<CounterpartyView<Balance, BlockNumber>> for CounterpartyJson {
		fn from(v: CounterpartyView<Balance, BlockNumber>) -> Self {
			let l = v.limits;
			let t = v.totals;
			CounterpartyJson {
				chain: v.chain,
				halted: v.halted,
				set_id: v.set_id,
				authorities: v.authorities,
				best: v.best,
				best_imported_at: v.best_imported_at,
				headers: v.headers,
				limits: LimitsJson {
					max_transfer: l.max_transfer.to_string(),
					window: l.window,
					window_limit: l.window_limit.to_string(),
					quarantine_threshold: l.quarantine_threshold.to_string(),
					quarantine_delay: l.quarantine_delay,
					header_threshold: l.header_threshold.to_string(),
					min_header_age: l.min_header_age,
				},
				window_start: v.window_start,
				window_used: v.window_used.to_string(),
				totals: TotalsJson {
					proven: t.proven.to_string(),
					minted: t.minted.to_string(),
					quarantined: t.quarantined.to_string(),
					cancelled: t.cancelled.to_string(),
				},
			}
		}
	}

	/// A quarantined mint for JSON.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct QuarantinedJson {
		/// Quarantine id.
		pub id: QuarantineId,
		/// Chain the tokens were burned on.
		pub counterparty: ChainId,
		/// The burn there.
		pub burn_id: BurnId,
		/// Beneficiary, SS58.
		pub beneficiary: AccountId,
		/// Amount, decimal string.
		pub amount: String,
		/// First block it may be released in.
		pub release_at: BlockNumber,
	}

	impl From<(QuarantineId, QuarantinedMint<AccountId, Balance, BlockNumber>)> for QuarantinedJson {
		fn from((id, q): (QuarantineId, QuarantinedMint<AccountId, Balance, BlockNumber>)) -> Self {
			QuarantinedJson {
				id,
				counterparty: q.counterparty,
				burn_id: q.burn_id,
				beneficiary: q.beneficiary,
				amount: q.amount.to_string(),
				release_at: q.release_at,
			}
		}
	}

	/// A quarantined message for JSON.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct QuarantinedMessageJson {
		/// Quarantine id (shared with quarantined mints).
		pub id: QuarantineId,
		/// Chain the message comes from.
		pub counterparty: ChainId,
		/// Its nonce there.
		pub nonce: crate::message::MessageNonce,
		/// TPC it carries, decimal string.
		pub value: String,
		/// BLAKE2-256 of the encoded message, as the sender's `MessageSent` event states it.
		pub hash: Hash,
		/// First block it may be released in.
		pub release_at: BlockNumber,
	}

	impl From<(QuarantineId, QuarantinedMessage<Balance, BlockNumber>)> for QuarantinedMessageJson {
		fn from((id, m): (QuarantineId, QuarantinedMessage<Balance, BlockNumber>)) -> Self {
			use sp_runtime::traits::Hash as _;
			QuarantinedMessageJson {
				id,
				counterparty: m.counterparty,
				nonce: m.nonce,
				value: m.value.to_string(),
				hash: sp_runtime::traits::BlakeTwo256::hash(&m.xcm),
				release_at: m.release_at,
			}
		}
	}
}
