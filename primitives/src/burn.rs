//! Burn records, where they live in state, and the offline proof that a burn happened.
//!
//! A [`BurnProofBundle`] is self-contained: the record, the header of a block whose state holds
//! it, a storage read proof of the record (and of the chain's [`ChainId`]) against that header's
//! state root, headers linking that block to a finalized one, and the GRANDPA justification of
//! the finalized block. [`verify_burn_proof`] checks it against an authority set the verifier
//! trusts — never against anything the bundle says about itself.

use crate::{AccountId, Balance, BlockNumber, ChainId, Hash, Hashing, Header};
use alloc::vec::Vec;
use bp_header_chain::justification::{
	verify_justification, GrandpaJustification, JustificationVerificationContext,
	JustificationVerificationError, PrecommitError,
};
use bp_runtime::{RawStorageProof, StorageProofChecker, StorageProofError};
use codec::{Decode, DecodeAll, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_consensus_grandpa::{AuthorityList, SetId};
use sp_core::ConstU32;
use sp_crypto_hashing::{blake2_128, twox_128};
use sp_runtime::{traits::Header as HeaderT, BoundedVec};

/// Sequential identifier of an executed burn, starting at 0.
pub type BurnId = u64;

/// Longest `beneficiary` a burn may name (bytes). Fits a 32-byte account, a 20-byte address or
/// an SS58 string.
pub const MAX_BENEFICIARY_LEN: u32 = 64;
/// Longest integrator payment `reference` (bytes).
pub const MAX_REFERENCE_LEN: u32 = 64;
/// Most headers a bundle may carry between the burn's block and the finalized block.
pub const MAX_ANCESTRY_HEADERS: u32 = 256;

/// Bound of [`Beneficiary`].
pub type MaxBeneficiaryLen = ConstU32<MAX_BENEFICIARY_LEN>;
/// Bound of [`PaymentReference`].
pub type MaxReferenceLen = ConstU32<MAX_REFERENCE_LEN>;
/// Who receives the tokens on the destination chain, in that chain's encoding.
pub type Beneficiary = BoundedVec<u8, MaxBeneficiaryLen>;
/// Which beneficiaries a destination chain can receive at: a burn naming one it cannot decode
/// would burn tokens that are never mintable.
pub trait BeneficiaryCheck {
	/// Whether `beneficiary` is an account of `destination`.
	fn is_valid(destination: ChainId, beneficiary: &[u8]) -> bool;
}

/// Every tpchain network's accounts: 32-byte ids (what the bridge decodes on mint).
pub struct AccountId32Beneficiary;
impl BeneficiaryCheck for AccountId32Beneficiary {
	fn is_valid(_destination: ChainId, beneficiary: &[u8]) -> bool {
		beneficiary.len() == 32
	}
}

/// The integrator's payment reference, for reconciliation.
pub type PaymentReference = BoundedVec<u8, MaxReferenceLen>;

/// An executed burn, as stored on chain under [`burn_record_key`].
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct BurnRecord<AccountId, Balance, BlockNumber> {
	/// Sequential burn id.
	pub id: BurnId,
	/// The account whose tokens were burned.
	pub burner: AccountId,
	/// Amount removed from total issuance.
	pub amount: Balance,
	/// The counterparty chain that may mint against this burn; `None` for a plain burn.
	pub destination: Option<ChainId>,
	/// Recipient on the destination chain (empty for a plain burn).
	pub beneficiary: Beneficiary,
	/// Integrator's payment reference.
	pub reference: PaymentReference,
	/// Block in which the tokens were burned.
	pub block: BlockNumber,
}

/// The burn record of tpchain's concrete types.
pub type TpchainBurnRecord = BurnRecord<AccountId, Balance, BlockNumber>;

/// Running totals for auditors.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct BurnTotals<Balance> {
	/// Everything ever burned through the pallet.
	pub total: Balance,
	/// Number of executed burns (= the next burn id).
	pub count: BurnId,
	/// Burned towards each destination chain; plain burns are `total` minus their sum.
	pub by_destination: Vec<(ChainId, Balance)>,
}

/// Name of the burn pallet in every tpchain runtime; part of the storage keys below, so a
/// runtime that renames the pallet breaks every verifier (a runtime test guards it).
pub const PALLET_PREFIX: &[u8] = b"BurnProofs";
/// Storage item holding the records, `Blake2_128Concat` over the [`BurnId`].
pub const BURNS_ITEM: &[u8] = b"Burns";
/// Storage item holding the chain's own [`ChainId`].
pub const CHAIN_ID_ITEM: &[u8] = b"LocalChainId";

/// The state key of burn record `id`.
pub fn burn_record_key(id: BurnId) -> Vec<u8> {
	let id = id.encode();
	let mut key = Vec::with_capacity(32 + 16 + id.len());
	key.extend_from_slice(&twox_128(PALLET_PREFIX));
	key.extend_from_slice(&twox_128(BURNS_ITEM));
	key.extend_from_slice(&blake2_128(&id));
	key.extend_from_slice(&id);
	key
}

/// The state key of the chain's own [`ChainId`].
pub fn chain_id_key() -> Vec<u8> {
	let mut key = Vec::with_capacity(32);
	key.extend_from_slice(&twox_128(PALLET_PREFIX));
	key.extend_from_slice(&twox_128(CHAIN_ID_ITEM));
	key
}

/// Everything needed to check a burn offline.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "std", derive(Debug))]
pub struct BurnProofBundle {
	/// The record as claimed; must equal the one the storage proof yields.
	pub record: TpchainBurnRecord,
	/// Header of the block whose state the proof reads.
	pub header: Header,
	/// Trie nodes proving [`burn_record_key`] and [`chain_id_key`] under `header.state_root`.
	pub storage_proof: RawStorageProof,
	/// Descendants of `header` up to the justified block, oldest first; empty when `header`
	/// itself is justified.
	pub ancestry: Vec<Header>,
	/// GRANDPA justification of the last header (of `ancestry`, or `header`).
	pub justification: GrandpaJustification<Header>,
}

impl BurnProofBundle {
	/// Decodes a SCALE-encoded bundle, rejecting trailing bytes.
	pub fn decode_exact(mut bytes: &[u8]) -> Result<Self, BurnProofError> {
		Self::decode_all(&mut bytes).map_err(|_| BurnProofError::Malformed)
	}
}

/// A GRANDPA authority set the verifier trusts (from genesis, or a previous verified handoff).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[cfg_attr(feature = "std", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "std", serde(rename_all = "camelCase", deny_unknown_fields))]
pub struct TrustedAuthoritySet {
	/// If set, the bundle's chain must prove this [`ChainId`].
	#[cfg_attr(feature = "std", serde(default))]
	pub chain_id: Option<ChainId>,
	/// GRANDPA set id the justification must be signed for.
	pub set_id: SetId,
	/// Authorities and their weights.
	pub authorities: AuthorityList,
}

/// What a valid bundle proves.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct VerifiedBurn {
	/// Chain the burn happened on (read from the proven state).
	pub chain_id: ChainId,
	/// The proven record.
	pub record: TpchainBurnRecord,
	/// Number and hash of the block whose state holds the record.
	pub proven_at: (BlockNumber, Hash),
	/// Number and hash of the justified block.
	pub finalized: (BlockNumber, Hash),
}

/// Why a bundle is rejected; each check has its own error.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BurnProofError {
	/// The bundle does not decode (or has trailing bytes).
	Malformed,
	/// More ancestry headers than [`MAX_ANCESTRY_HEADERS`].
	AncestryTooLong,
	/// An ancestry header is not the child of the one before it.
	BrokenAncestry,
	/// The trusted authority set is empty or has a zero weight.
	InvalidAuthoritySet,
	/// The justification finalizes a different block than the bundle's headers lead to.
	JustificationTargetMismatch,
	/// The votes add up to less than 2/3+1 of the authority set.
	InsufficientVotes,
	/// A vote is signed by a key that is not in the authority set.
	UnknownAuthority,
	/// A vote's signature does not verify (for this round and set id).
	InvalidSignature,
	/// An authority voted twice.
	DuplicateVote,
	/// A vote beyond the threshold: a valid justification carries no padding.
	RedundantVote,
	/// A vote for a block that does not descend from the justified block.
	UnrelatedVote,
	/// The justification's vote ancestries contain duplicate or unused headers.
	InvalidVotesAncestry,
	/// The proof does not contain the header's state root.
	StateRootMismatch,
	/// The same trie node appears twice in the proof.
	DuplicateProofNode,
	/// The proof contains a trie node that is not needed for the record.
	UnusedProofNode,
	/// The proof is incomplete: a node on the path to the record is missing.
	IncompleteProof,
	/// The proven state has no record under this burn id.
	RecordNotInState,
	/// The proven state has no chain id.
	ChainIdNotInState,
	/// A proven value does not decode.
	UndecodableValue,
	/// The bundle's record differs from the proven one.
	RecordMismatch,
	/// The proven chain id is not the one the verifier expects.
	ChainIdMismatch,
}

impl BurnProofError {
	/// A one-line explanation for people reading verifier output.
	pub fn describe(&self) -> &'static str {
		use BurnProofError::*;
		match self {
			Malformed => "the bundle does not decode",
			AncestryTooLong => "too many headers between the burn block and the finalized block",
			BrokenAncestry => "the headers do not form a chain",
			InvalidAuthoritySet => "the trusted authority set is invalid",
			JustificationTargetMismatch => "the justification finalizes a different block",
			InsufficientVotes => "the justification has less than 2/3+1 of the authority set",
			UnknownAuthority => "a vote is signed by a key outside the authority set",
			InvalidSignature => "a vote signature is invalid",
			DuplicateVote => "an authority voted twice",
			RedundantVote => "the justification carries votes beyond the threshold",
			UnrelatedVote => "a vote is for a block that does not descend from the target",
			InvalidVotesAncestry => "the justification has duplicate or unused ancestry headers",
			StateRootMismatch => "the storage proof does not match the header's state root",
			DuplicateProofNode => "the storage proof contains a duplicated trie node",
			UnusedProofNode => "the storage proof contains an unused trie node",
			IncompleteProof => "the storage proof is incomplete",
			RecordNotInState => "no burn record under this id in the proven state",
			ChainIdNotInState => "no chain id in the proven state",
			UndecodableValue => "a proven storage value does not decode",
			RecordMismatch => "the bundle's record differs from the proven record",
			ChainIdMismatch => "the burn happened on a different chain than expected",
		}
	}
}

impl From<JustificationVerificationError> for BurnProofError {
	fn from(e: JustificationVerificationError) -> Self {
		use JustificationVerificationError as E;
		match e {
			E::InvalidAuthorityList => Self::InvalidAuthoritySet,
			E::InvalidJustificationTarget => Self::JustificationTargetMismatch,
			E::DuplicateVotesAncestries | E::RedundantVotesAncestries => Self::InvalidVotesAncestry,
			E::TooLowCumulativeWeight => Self::InsufficientVotes,
			E::Precommit(p) => match p {
				PrecommitError::RedundantAuthorityVote => Self::RedundantVote,
				PrecommitError::UnknownAuthorityVote => Self::UnknownAuthority,
				PrecommitError::DuplicateAuthorityVote => Self::DuplicateVote,
				PrecommitError::InvalidAuthoritySignature => Self::InvalidSignature,
				PrecommitError::UnrelatedAncestryVote => Self::UnrelatedVote,
			},
		}
	}
}

impl From<StorageProofError> for BurnProofError {
	fn from(e: StorageProofError) -> Self {
		match e {
			StorageProofError::StorageRootMismatch => Self::StateRootMismatch,
			StorageProofError::DuplicateNodes => Self::DuplicateProofNode,
			StorageProofError::UnusedKey => Self::UnusedProofNode,
			StorageProofError::DecodeError => Self::UndecodableValue,
			_ => Self::IncompleteProof,
		}
	}
}

/// Checks that `justification` finalizes the last of `header, ancestry...` under `set`, and that
/// the headers form a chain. Returns the justified block.
pub fn verify_finality(
	header: &Header,
	ancestry: &[Header],
	justification: &GrandpaJustification<Header>,
	set: &TrustedAuthoritySet,
) -> Result<(BlockNumber, Hash), BurnProofError> {
	if ancestry.len() > MAX_ANCESTRY_HEADERS as usize {
		return Err(BurnProofError::AncestryTooLong);
	}
	let mut tip = (*header.number(), header.hash());
	for next in ancestry {
		let expected_number = tip.0.checked_add(1).ok_or(BurnProofError::BrokenAncestry)?;
		if *next.parent_hash() != tip.1 || *next.number() != expected_number {
			return Err(BurnProofError::BrokenAncestry);
		}
		tip = (*next.number(), next.hash());
	}
	let context = JustificationVerificationContext::try_from(bp_header_chain::AuthoritySet::new(
		set.authorities.clone(),
		set.set_id,
	))?;
	verify_justification::<Header>((tip.1, tip.0), &context, justification)?;
	Ok(tip)
}

/// Drops votes beyond the threshold and unused vote ancestries from a justification a node
/// stored, so the strict verifiers (this crate's and the bridge pallet's) accept it. `set` is
/// the authority set in force before `target` (in its parent's state).
pub fn minimal_justification(
	target: (Hash, BlockNumber),
	set: &TrustedAuthoritySet,
	justification: &mut GrandpaJustification<Header>,
) -> Result<(), BurnProofError> {
	let context = JustificationVerificationContext::try_from(bp_header_chain::AuthoritySet::new(
		set.authorities.clone(),
		set.set_id,
	))?;
	bp_header_chain::justification::verify_and_optimize_justification::<Header>(
		target,
		&context,
		justification,
	)?;
	Ok(())
}

/// Reads burn record `burn_id` and the chain id from `proof` against `state_root`, rejecting
/// proofs with missing, duplicated or unused nodes. The bridge pallet calls this with a state
/// root its light client has already finalized.
pub fn read_burn_record(
	state_root: Hash,
	burn_id: BurnId,
	proof: RawStorageProof,
) -> Result<(ChainId, TpchainBurnRecord), BurnProofError> {
	let mut checker = StorageProofChecker::<Hashing>::new(state_root, proof)?;
	let record = checker
		.read_and_decode_value::<TpchainBurnRecord>(&burn_record_key(burn_id))?
		.ok_or(BurnProofError::RecordNotInState)?;
	let chain_id = checker
		.read_and_decode_value::<ChainId>(&chain_id_key())?
		.ok_or(BurnProofError::ChainIdNotInState)?;
	checker.ensure_no_unused_nodes()?;
	if record.id != burn_id {
		return Err(BurnProofError::RecordMismatch);
	}
	Ok((chain_id, record))
}

/// Verifies a bundle against a trusted authority set: finality first (cheap rejections of
/// foreign bundles), then the record in the finalized chain's state.
pub fn verify_burn_proof(
	bundle: &BurnProofBundle,
	set: &TrustedAuthoritySet,
) -> Result<VerifiedBurn, BurnProofError> {
	let finalized = verify_finality(&bundle.header, &bundle.ancestry, &bundle.justification, set)?;
	let (chain_id, record) =
		read_burn_record(bundle.header.state_root, bundle.record.id, bundle.storage_proof.clone())?;
	if record != bundle.record {
		return Err(BurnProofError::RecordMismatch);
	}
	if set.chain_id.is_some_and(|expected| expected != chain_id) {
		return Err(BurnProofError::ChainIdMismatch);
	}
	Ok(VerifiedBurn {
		chain_id,
		record,
		proven_at: (*bundle.header.number(), bundle.header.hash()),
		finalized,
	})
}

/// JSON forms used by the node's RPC and the CLI (one definition for both).
#[cfg(feature = "std")]
pub mod json {
	use super::*;
	use serde::{Deserialize, Serialize};
	use sp_core::{crypto::Ss58Codec, Bytes};

	/// A burn record for people and JSON clients: SS58 burner, decimal-string amount, hex bytes.
	#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
	#[serde(rename_all = "camelCase")]
	pub struct RecordView {
		/// Sequential burn id.
		pub id: BurnId,
		/// Burner, SS58 (generic prefix 42).
		pub burner: String,
		/// Amount in the smallest unit, as a decimal string (exceeds JSON's safe integers).
		pub amount: String,
		/// Destination chain, `null` for a plain burn.
		pub destination: Option<ChainId>,
		/// Beneficiary bytes, hex.
		pub beneficiary: Bytes,
		/// Payment reference bytes, hex.
		pub reference: Bytes,
		/// Block the burn was executed in.
		pub block: BlockNumber,
	}

	impl From<&TpchainBurnRecord> for RecordView {
		fn from(r: &TpchainBurnRecord) -> Self {
			RecordView {
				id: r.id,
				burner: r.burner.to_ss58check(),
				amount: r.amount.to_string(),
				destination: r.destination,
				beneficiary: Bytes(r.beneficiary.to_vec()),
				reference: Bytes(r.reference.to_vec()),
				block: r.block,
			}
		}
	}

	/// What `burn_getProof` returns: where the proof points and the SCALE-encoded bundle.
	#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
	#[serde(rename_all = "camelCase")]
	pub struct ProofResponse {
		/// The burn the bundle proves.
		pub burn_id: BurnId,
		/// Block whose state the storage proof reads.
		pub proven_at: (BlockNumber, Hash),
		/// Block the justification finalizes.
		pub finalized: (BlockNumber, Hash),
		/// SCALE-encoded [`BurnProofBundle`], hex; the only part a verifier trusts.
		pub bundle: Bytes,
	}

	/// What `burn_totals` returns.
	#[derive(Serialize, Deserialize, Clone, PartialEq, Eq, Debug)]
	#[serde(rename_all = "camelCase")]
	pub struct TotalsView {
		/// Everything ever burned, decimal string.
		pub total: String,
		/// Number of executed burns.
		pub count: BurnId,
		/// Burned per destination chain, decimal strings.
		pub by_destination: Vec<(ChainId, String)>,
		/// Burned by the account asked about, if one was.
		pub account: Option<String>,
	}
}

#[cfg(test)]
pub(crate) mod tests;
