//! # Bridge pallet
//!
//! Moves tokens between tpchain networks with no custodian. Chain A burns tokens towards chain
//! B (`pallet-burn-proofs`, destination = B's [`ChainId`]); this pallet on B runs a GRANDPA
//! light client of A, and mints the same amount to the beneficiary once B has proven the burn
//! record against a state root its light client finalized.
//!
//! ## Terminology
//!
//! - **Counterparty**: another tpchain network, by [`ChainId`], registered by governance with a
//!   trusted finalized header and the GRANDPA authority set that signs after it.
//! - **Finality proof**: a counterparty header and the GRANDPA justification finalizing it.
//!   Verified against the **stored** authority set only (`bp-header-chain`'s verifier: > 2/3 of
//!   the weight, signatures bound to round and set id, no duplicate, unknown or redundant votes,
//!   vote ancestries complete and minimal).
//! - **Header ring**: the last [`Config::HeadersToKeep`] finalized headers per counterparty
//!   (number, hash, state root); mint proofs point at one of them.
//! - **Mint proof** ([`MintProof`]): a burn id, a kept header and a storage proof of the burn
//!   record and the chain id under that header's state root (`bp-runtime`'s checker: no
//!   missing, duplicate or unused trie node).
//! - **Message proof** ([`MessageProof`]): a nonce, a kept header and a storage proof of the
//!   counterparty's outbound XCM message towards this chain (`BurnProofs::OutboundMessages`)
//!   and the chain id under that header's state root: XCM over the bridge, proven exactly as a
//!   burn record is.
//! - **Ancestry**: the headers between the newest finalized header and a newly imported one
//!   (at most [`Config::MaxAncestry`]); every import must descend from the newest header.
//! - **Equivocation**: a justified header conflicting with the newest finalized one (another
//!   block at its height, or an ancestry reaching its height through another block).
//! - **Safety envelope** ([`BridgeLimits`]): per-transfer cap, rate limit (a token bucket of
//!   `window_limit` draining over `window` blocks), quarantine above a threshold for a delay,
//!   aggregate quarantine once one header minted `header_threshold` at once, a minimum age of
//!   a header before anything mints from it; all zero until governance sets them.
//!
//! ## Scenarios
//!
//! - *Setup*: a membership vote (≥ 2/3, the anchor origin) calls [`Pallet::initialize`]
//!   (header, authority set, set id of the counterparty, checked off chain by each entity) and
//!   [`Pallet::set_limits`]. A parameters vote (> 1/2) may later only tighten the limits.
//! - *Transfer*: a relayer submits the counterparty's finalized header at or after the burn's
//!   block ([`Pallet::submit_finality_proof`]), then [`Pallet::mint_from_burn`]. Small amounts
//!   mint at once; above the threshold they wait in quarantine, then anyone calls
//!   [`Pallet::release_quarantined`] (governance may [`Pallet::cancel_quarantined`] meanwhile).
//! - *XCM*: a wallet on the counterparty calls `PolkadotXcm::transfer_assets` to this network;
//!   the relayer submits [`Pallet::receive_message`] with its proof; the value it carries passes
//!   the safety envelope, then [`Config::MessageExecutor`] runs it (the runtime's XCM executor,
//!   origin the counterparty's network), or it waits in quarantine and runs when released.
//! - *Validator change on the counterparty*: its header enacting the new GRANDPA set carries a
//!   scheduled change (delay 0); importing that header switches the stored set to the next set
//!   id. A relayer must import every such header; later headers signed by the new set do not
//!   verify against the old one.
//! - *Incident*: the emergency track calls [`Pallet::halt`]; nothing is imported, minted or
//!   released for that counterparty until [`Pallet::resume`]; unminted burns stay claimable.
//!
//! ## Safety considerations
//!
//! - Nothing the caller says about authorities is trusted: justifications are checked against
//!   the stored set, and the set only changes through a verified header or governance.
//! - Only descendants of the newest finalized header are imported (hash-linked ancestry, no
//!   skipped authority change in it). A justified conflicting header is an equivocation of the
//!   counterparty's authorities: the bridge halts itself at once (`EquivocationDetected`) and
//!   governance decides (re-initialize or resume). Anyone may report one: it needs > 2/3 of
//!   the stored set's signatures, so a stranger cannot halt the bridge.
//! - A forged state root (a finality attack on the counterparty) mints at most
//!   `header_threshold` at once and only `min_header_age` blocks after its import; the rest
//!   waits in quarantine for governance to cancel.
//! - A trust anchor (`initialize`) and any loosening of the limits need the anchor origin (a
//!   ≥ 2/3 track): a simple majority can stop minting but never widen it. A reset needs the
//!   counterparty halted, never lowers its set id, and forgets every header imported before, so
//!   no state root of the old anchor stays mintable.
//! - Forced GRANDPA changes are refused (they are not justified by the old set); governance
//!   re-initializes after one.
//! - A burn is consumed once per counterparty ([`Consumed`]); its record must name this chain as
//!   destination and the proven chain id must be the counterparty's.
//! - `proven = minted + quarantined + cancelled` per counterparty, and `proven` only grows by a
//!   consumed record's amount (checked in `try_state`): the bridge never mints more than was
//!   proven burned towards this chain.
//! - Old or equal headers and consumed burns are rejected in the transaction pool
//!   ([`CheckBridgeSubmission`]) as well as on dispatch. All checks precede the first write.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod extension;
pub mod migrations;
mod types;
pub mod weights;

#[cfg(any(test, feature = "runtime-benchmarks"))]
pub mod testing;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use extension::CheckBridgeSubmission;
pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use alloc::{boxed::Box, vec::Vec};
use bp_header_chain::{
	justification::{verify_justification, GrandpaJustification, JustificationVerificationContext},
	GrandpaConsensusLogReader,
};
use codec::DecodeAll;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Provenance,
	},
};
use frame_system::pallet_prelude::*;
use sp_consensus_grandpa::{AuthorityList, SetId};
use sp_runtime::{
	traits::{SaturatedConversion, Saturating, Zero},
	ArithmeticError,
};
use tpchain_primitives::{
	bridge::MAX_VOTES_ANCESTRIES,
	burn::{read_burn_record, BurnId, BurnProofError},
	message::{read_outbound_message, MessageBlob, MessageNonce, MessageProof},
	Balance, BlockNumber, ChainId, Header,
};

/// A quarantined mint with the runtime's types.
pub type QuarantinedMintOf<T> = QuarantinedMint<
	<T as frame_system::Config>::AccountId,
	Balance,
	frame_system::pallet_prelude::BlockNumberFor<T>,
>;

/// A quarantined message with the runtime's types.
pub type QuarantinedMessageOf<T> =
	QuarantinedMessage<Balance, frame_system::pallet_prelude::BlockNumberFor<T>>;
/// Why a delivered message failed.
pub type MessageErrorOf<T> = <<T as Config>::MessageExecutor as ExecuteBridgedMessage>::Error;

/// The light client's view of a counterparty justification.
pub type Justification = GrandpaJustification<Header>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// Layout version; `migrations` upgrades from older ones.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The native token, minted to beneficiaries.
		type Currency: Mutate<Self::AccountId, Balance = Balance>;
		/// This chain's id: burns must name it as destination.
		type LocalChainId: Get<ChainId>;
		/// Registers and re-initializes counterparties (a trust anchor) and may raise limits: a
		/// ≥ 2/3 governance track.
		type AnchorOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Tightens limits and cancels quarantined mints (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Turns a counterparty's circuit breaker on (the emergency track).
		type HaltOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Turns it off again.
		type ResumeOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Most counterparties.
		#[pallet::constant]
		type MaxCounterparties: Get<u32>;
		/// Largest GRANDPA authority set of a counterparty.
		#[pallet::constant]
		type MaxAuthorities: Get<u32>;
		/// Finalized headers kept per counterparty (the ring mint proofs point into).
		#[pallet::constant]
		type HeadersToKeep: Get<u32>;
		/// Most mints waiting in quarantine, over all counterparties.
		#[pallet::constant]
		type MaxQuarantined: Get<u32>;
		/// Most trie nodes in a mint proof.
		#[pallet::constant]
		type MaxProofNodes: Get<u32>;
		/// Most headers between the newest finalized header and an imported one (the ancestry
		/// proving descent). A relayer further behind imports an intermediate header first.
		#[pallet::constant]
		type MaxAncestry: Get<u32>;
		/// Blocks from proposing a quarantine cancellation to its enactment (the admin
		/// origin's decision time), if it has one: every quarantine delay must be longer.
		type DecisionTime: Get<Option<BlockNumberFor<Self>>>;
		/// Executes counterparties' messages (the XCM executor, origin the counterparty's
		/// network).
		type MessageExecutor: ExecuteBridgedMessage;
		/// Most weight one delivered message may use; a heavier one fails and its value stays
		/// claimable.
		#[pallet::constant]
		type MaxMessageWeight: Get<Weight>;
		/// Weights from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Registered counterparties: light-client head, limits and accounting.
	#[pallet::storage]
	pub type Counterparties<T: Config> =
		CountedStorageMap<_, Twox64Concat, ChainId, CounterpartyState<Balance, BlockNumberFor<T>>>;

	/// The authority set each counterparty's next justification must be signed by.
	#[pallet::storage]
	pub type AuthoritySets<T: Config> =
		StorageMap<_, Twox64Concat, ChainId, StoredAuthoritySet<T::MaxAuthorities>>;

	/// Kept finalized headers: counterparty, hash → number, state root, import block and what
	/// was minted from it.
	#[pallet::storage]
	pub type ImportedHeaders<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ChainId,
		Identity,
		tpchain_primitives::Hash,
		KeptHeader<Balance, BlockNumberFor<T>>,
	>;

	/// The header ring: counterparty, slot → hash (slot < `HeadersToKeep`).
	#[pallet::storage]
	pub type HeaderRing<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ChainId, Twox64Concat, u32, tpchain_primitives::Hash>;

	/// Burns already consumed: counterparty, burn id → what became of it.
	#[pallet::storage]
	pub type Consumed<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ChainId,
		Twox64Concat,
		BurnId,
		Consumption<BlockNumberFor<T>>,
	>;

	/// Messages already delivered: counterparty, nonce → what became of it.
	#[pallet::storage]
	pub type DeliveredMessages<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ChainId,
		Twox64Concat,
		MessageNonce,
		Consumption<BlockNumberFor<T>>,
	>;

	/// Messages waiting in quarantine, by the same ids as quarantined mints (one id space, one
	/// bound: `MaxQuarantined` counts both).
	#[pallet::storage]
	pub type QuarantinedMessages<T: Config> =
		CountedStorageMap<_, Twox64Concat, QuarantineId, QuarantinedMessageOf<T>>;

	/// Mints waiting in quarantine.
	#[pallet::storage]
	pub type Quarantine<T: Config> =
		CountedStorageMap<_, Twox64Concat, QuarantineId, QuarantinedMintOf<T>>;

	/// Id of the next quarantined mint.
	#[pallet::storage]
	pub type NextQuarantineId<T: Config> = StorageValue<_, QuarantineId, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Governance (re-)initialized the light client of a counterparty.
		Initialized {
			counterparty: ChainId,
			number: BlockNumber,
			hash: tpchain_primitives::Hash,
			set_id: SetId,
			authorities: u32,
		},
		/// A finalized counterparty header was imported.
		HeaderImported {
			counterparty: ChainId,
			number: BlockNumber,
			hash: tpchain_primitives::Hash,
		},
		/// An imported header enacted a new authority set.
		AuthoritySetChanged { counterparty: ChainId, set_id: SetId, authorities: u32 },
		/// A proven burn was minted to its beneficiary.
		Minted {
			counterparty: ChainId,
			burn_id: BurnId,
			beneficiary: T::AccountId,
			amount: Balance,
		},
		/// A proven burn above the threshold waits in quarantine.
		MintQuarantined {
			id: QuarantineId,
			counterparty: ChainId,
			burn_id: BurnId,
			beneficiary: T::AccountId,
			amount: Balance,
			release_at: BlockNumberFor<T>,
		},
		/// A quarantined mint was released to its beneficiary.
		QuarantineReleased {
			id: QuarantineId,
			counterparty: ChainId,
			burn_id: BurnId,
			beneficiary: T::AccountId,
			amount: Balance,
		},
		/// Governance cancelled a quarantined mint; the amount was minted to the account it
		/// designated (for a return to the burner or a claim), not to the beneficiary.
		QuarantineCancelled {
			id: QuarantineId,
			counterparty: ChainId,
			burn_id: BurnId,
			amount: Balance,
			to: T::AccountId,
		},
		/// A counterparty's message was proven and executed: it carried `value` TPC (minted by
		/// its `ReceiveTeleportedAsset`) and used `weight`.
		MessageDelivered {
			counterparty: ChainId,
			nonce: MessageNonce,
			value: Balance,
			weight: Weight,
		},
		/// A counterparty's message was proven but failed: nothing it did stays, and the value
		/// it carried is trapped (pallet-xcm's `AssetsTrapped` names who may claim it).
		MessageFailed {
			counterparty: ChainId,
			nonce: MessageNonce,
			value: Balance,
			error: MessageErrorOf<T>,
		},
		/// A proven message above the threshold waits in quarantine.
		MessageQuarantined {
			id: QuarantineId,
			counterparty: ChainId,
			nonce: MessageNonce,
			value: Balance,
			release_at: BlockNumberFor<T>,
		},
		/// Governance cancelled a quarantined message: it is never executed, and the value it
		/// carried was minted to the account the vote designated.
		MessageCancelled {
			id: QuarantineId,
			counterparty: ChainId,
			nonce: MessageNonce,
			value: Balance,
			to: T::AccountId,
		},
		/// Governance set a counterparty's limits.
		LimitsSet { counterparty: ChainId, limits: BridgeLimits<Balance, BlockNumberFor<T>> },
		/// The circuit breaker of a counterparty was turned on.
		BridgeHalted { counterparty: ChainId },
		/// The circuit breaker of a counterparty was turned off.
		BridgeResumed { counterparty: ChainId },
		/// The counterparty's authorities finalized a header conflicting with the newest one
		/// this light client holds (both justified); the circuit breaker was turned on.
		EquivocationDetected {
			counterparty: ChainId,
			/// Height of the newest finalized header, where the conflicting chain holds another
			/// block.
			number: BlockNumber,
			/// The newest header this light client had finalized.
			finalized: tpchain_primitives::Hash,
			/// The conflicting justified header.
			conflicting: tpchain_primitives::Hash,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No counterparty is registered under this chain id.
		UnknownCounterparty,
		/// A chain cannot be its own counterparty.
		OwnChain,
		/// `MaxCounterparties` are registered.
		TooManyCounterparties,
		/// The authority set is empty, has a zero weight, a duplicate key or overflows.
		InvalidAuthoritySet,
		/// The authority set is larger than `MaxAuthorities`.
		TooManyAuthorities,
		/// The counterparty's circuit breaker is on.
		Halted,
		/// The circuit breaker is already on.
		AlreadyHalted,
		/// The circuit breaker is not on.
		NotHalted,
		/// The proof is for another set id than the stored one.
		InvalidSetId,
		/// The header is not newer than the newest finalized one.
		OldHeader,
		/// The header enacts a forced authority change; governance must re-initialize.
		ForcedChange,
		/// The header schedules an authority change with a delay (tpchain enacts with none).
		UnsupportedScheduledChange,
		/// The justification has more precommits than `MaxAuthorities`.
		TooManyPrecommits,
		/// The justification carries more vote-ancestry headers than allowed.
		TooManyVotesAncestries,
		/// The justification finalizes another block than the submitted header.
		JustificationTargetMismatch,
		/// The votes add up to no more than 2/3 of the authority set.
		InsufficientVotes,
		/// A vote is signed by a key outside the authority set.
		UnknownAuthority,
		/// A vote's signature does not verify (for this round and set id).
		InvalidSignature,
		/// An authority voted twice.
		DuplicateVote,
		/// A vote beyond the threshold.
		RedundantVote,
		/// A vote for a block that does not descend from the justified one.
		UnrelatedVote,
		/// The vote ancestries have duplicate or unused headers.
		InvalidVotesAncestry,
		/// The mint proof points at a header the light client does not keep.
		UnknownHeader,
		/// The burn was already consumed.
		AlreadyConsumed,
		/// The storage proof has more nodes than `MaxProofNodes`.
		TooManyProofNodes,
		/// The storage proof does not contain the header's state root.
		StateRootMismatch,
		/// The storage proof repeats a trie node.
		DuplicateProofNode,
		/// The storage proof carries a trie node the record does not need.
		UnusedProofNode,
		/// The storage proof misses a trie node.
		IncompleteProof,
		/// The proven state has no burn under this id.
		RecordNotInState,
		/// The proven state has no chain id.
		ChainIdNotInState,
		/// A proven value does not decode.
		UndecodableValue,
		/// The proven record is not the requested burn.
		RecordMismatch,
		/// The proven state belongs to another chain than the counterparty.
		WrongSourceChain,
		/// The burn's destination is not this chain.
		WrongDestination,
		/// The beneficiary is not an account of this chain.
		InvalidBeneficiary,
		/// The burn is of zero tokens.
		ZeroAmount,
		/// The amount is above the per-transfer cap.
		AboveTransferCap,
		/// The amount would exceed the rate limit; retry once enough has drained.
		RateLimited,
		/// The quarantine is full; retry later.
		QuarantineFull,
		/// No quarantined mint under this id.
		UnknownQuarantined,
		/// The quarantine delay has not passed.
		QuarantineNotElapsed,
		/// The beneficiary cannot receive this amount (below the existential deposit).
		CannotDeposit,
		/// Limits with a zero window, or a threshold above the cap.
		InvalidLimits,
		/// Raising a limit (or shortening a window or delay) needs the anchor origin.
		LimitRaise,
		/// The quarantine delay is not longer than a cancellation vote takes to enact.
		QuarantineTooShort,
		/// A registered counterparty is re-initialized only while halted.
		NotHaltedForReset,
		/// Re-initializing may not lower the counterparty's GRANDPA set id.
		SetIdRegression,
		/// The ancestry carries more headers than `MaxAncestry`.
		TooManyAncestryHeaders,
		/// An ancestry header is not the parent of the header after it.
		BrokenAncestry,
		/// The ancestry does not end at the child of the newest finalized header.
		AncestryNotToBest,
		/// An ancestry header changes the authority set: import that header first.
		AncestryChangesAuthorities,
		/// The header was imported less than `min_header_age` blocks ago.
		HeaderTooRecent,
		/// The message was already delivered.
		AlreadyDelivered,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers `counterparty` (or resets its light client) at the finalized `header`,
		/// whose justifications the `authority_set` of `set_id` signs from then on.
		/// A reset needs the counterparty halted and a set id no lower than the stored one; it
		/// forgets every header imported before. Limits, accounting, consumed burns and the
		/// circuit breaker are kept.
		// Headers are boxed to keep `RuntimeCall` small.
		#[allow(clippy::boxed_local)]
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::initialize(authority_set.len() as u32)
			.saturating_add(Pallet::<T>::forget_headers_weight()))]
		pub fn initialize(
			origin: OriginFor<T>,
			counterparty: ChainId,
			header: Box<Header>,
			authority_set: AuthorityList,
			set_id: SetId,
		) -> DispatchResult {
			T::AnchorOrigin::ensure_origin(origin)?;
			ensure!(counterparty != T::LocalChainId::get(), Error::<T>::OwnChain);
			let set = Self::checked_set(authority_set, set_id)?;
			let existing = Counterparties::<T>::get(counterparty);
			ensure!(
				existing.is_some() || Counterparties::<T>::count() < T::MaxCounterparties::get(),
				Error::<T>::TooManyCounterparties
			);
			if let Some(live) = &existing {
				ensure!(live.halted, Error::<T>::NotHaltedForReset);
				let stored = AuthoritySets::<T>::get(counterparty).map_or(0, |s| s.set_id);
				ensure!(set_id >= stored, Error::<T>::SetIdRegression);
			}
			let head = FinalizedHeader {
				number: header.number,
				hash: header.hash(),
				state_root: header.state_root,
			};
			let mut state = existing.unwrap_or_else(|| CounterpartyState::anchored_at(head));
			state.best = head;
			// Headers of the old anchor stay out of reach of mint proofs.
			let _ = ImportedHeaders::<T>::clear_prefix(counterparty, T::HeadersToKeep::get(), None);
			let _ = HeaderRing::<T>::clear_prefix(counterparty, T::HeadersToKeep::get(), None);
			state.next_slot = 0;
			let authorities = set.authorities.len() as u32;
			AuthoritySets::<T>::insert(counterparty, set);
			Self::keep_header(counterparty, &mut state, head);
			Counterparties::<T>::insert(counterparty, state);
			Self::deposit_event(Event::Initialized {
				counterparty,
				number: head.number,
				hash: head.hash,
				set_id,
				authorities,
			});
			Ok(())
		}

		/// Imports a finalized `header` of `counterparty` with its GRANDPA `justification`,
		/// signed by the stored set of `current_set_id`. `ancestry` holds the headers between
		/// the newest finalized header and `header`, newest first (empty for its child): the
		/// header must descend from the newest finalized one. A scheduled change (delay 0) in
		/// the header switches to the next set.
		///
		/// A justified header that conflicts with the newest finalized one (another header at
		/// its height, or an ancestry reaching its height through another block) proves the
		/// counterparty's authorities finalized two chains: the bridge halts itself
		/// ([`Event::EquivocationDetected`]) and the call succeeds.
		#[allow(clippy::boxed_local)]
		#[pallet::call_index(1)]
		#[pallet::weight(Pallet::<T>::finality_weight(justification, ancestry.len()))]
		pub fn submit_finality_proof(
			origin: OriginFor<T>,
			counterparty: ChainId,
			header: Box<Header>,
			justification: Justification,
			current_set_id: SetId,
			ancestry: Vec<Header>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let mut state =
				Counterparties::<T>::get(counterparty).ok_or(Error::<T>::UnknownCounterparty)?;
			ensure!(!state.halted, Error::<T>::Halted);
			let set =
				AuthoritySets::<T>::get(counterparty).ok_or(Error::<T>::UnknownCounterparty)?;
			ensure!(set.set_id == current_set_id, Error::<T>::InvalidSetId);
			let hash = header.hash();
			ensure!(!state.best.supersedes(header.number, hash), Error::<T>::OldHeader);
			ensure!(
				justification.commit.precommits.len() <= T::MaxAuthorities::get() as usize,
				Error::<T>::TooManyPrecommits
			);
			ensure!(
				justification.votes_ancestries.len() <= MAX_VOTES_ANCESTRIES as usize,
				Error::<T>::TooManyVotesAncestries
			);
			ensure!(
				ancestry.len() <= T::MaxAncestry::get() as usize,
				Error::<T>::TooManyAncestryHeaders
			);
			ensure!(
				GrandpaConsensusLogReader::<BlockNumber>::find_forced_change(&header.digest)
					.is_none(),
				Error::<T>::ForcedChange
			);
			let next_set = match GrandpaConsensusLogReader::<BlockNumber>::find_scheduled_change(
				&header.digest,
			) {
				Some(change) => {
					ensure!(change.delay == 0, Error::<T>::UnsupportedScheduledChange);
					let next_id = set.set_id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
					Some(Self::checked_set(change.next_authorities, next_id)?)
				},
				None => None,
			};
			let descends = Self::descends_from_best(&state.best, &header, hash, &ancestry)?;
			let context = JustificationVerificationContext::try_from(set.to_bp())
				.map_err(|e| Self::proof_error(e.into()))?;
			verify_justification::<Header>((hash, header.number), &context, &justification)
				.map_err(|e| Self::proof_error(e.into()))?;
			let actual = T::WeightInfo::submit_finality_proof(
				set.authorities.len() as u32,
				justification.votes_ancestries.len() as u32,
				ancestry.len() as u32,
			);

			if !descends {
				// Two conflicting finalized chains: nothing from either is trustworthy.
				let (number, finalized) = (state.best.number, state.best.hash);
				state.halted = true;
				Counterparties::<T>::insert(counterparty, state);
				Self::deposit_event(Event::EquivocationDetected {
					counterparty,
					number,
					finalized,
					conflicting: hash,
				});
				Self::deposit_event(Event::BridgeHalted { counterparty });
				return Ok(Some(actual).into());
			}
			let head =
				FinalizedHeader { number: header.number, hash, state_root: header.state_root };
			state.best = head;
			Self::keep_header(counterparty, &mut state, head);
			Counterparties::<T>::insert(counterparty, state);
			Self::deposit_event(Event::HeaderImported { counterparty, number: head.number, hash });
			if let Some(next) = next_set {
				let (set_id, authorities) = (next.set_id, next.authorities.len() as u32);
				AuthoritySets::<T>::insert(counterparty, next);
				Self::deposit_event(Event::AuthoritySetChanged {
					counterparty,
					set_id,
					authorities,
				});
			}
			Ok(Some(actual).into())
		}

		/// Mints the burn `proof` proves on `counterparty` to its beneficiary, or puts it in
		/// quarantine if above the threshold or if what its header minted at once would pass
		/// the header threshold. The header must have been imported at least `min_header_age`
		/// blocks before. Anyone may submit it (a relayer).
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::mint_from_burn(proof.storage_proof.len() as u32))]
		pub fn mint_from_burn(
			origin: OriginFor<T>,
			counterparty: ChainId,
			proof: MintProof,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let mut state =
				Counterparties::<T>::get(counterparty).ok_or(Error::<T>::UnknownCounterparty)?;
			ensure!(!state.halted, Error::<T>::Halted);
			ensure!(
				proof.storage_proof.len() <= T::MaxProofNodes::get() as usize,
				Error::<T>::TooManyProofNodes
			);
			let mut kept = ImportedHeaders::<T>::get(counterparty, proof.at)
				.ok_or(Error::<T>::UnknownHeader)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				now >= kept.imported_at.saturating_add(state.limits.min_header_age),
				Error::<T>::HeaderTooRecent
			);
			let burn_id = proof.burn_id;
			ensure!(
				!Consumed::<T>::contains_key(counterparty, burn_id),
				Error::<T>::AlreadyConsumed
			);
			let (chain, record) =
				read_burn_record(kept.header.state_root, burn_id, proof.storage_proof)
					.map_err(Self::proof_error)?;
			ensure!(chain == counterparty, Error::<T>::WrongSourceChain);
			ensure!(
				record.destination == Some(T::LocalChainId::get()),
				Error::<T>::WrongDestination
			);
			let beneficiary = T::AccountId::decode_all(&mut &record.beneficiary[..])
				.map_err(|_| Error::<T>::InvalidBeneficiary)?;
			let amount = record.amount;
			ensure!(amount > 0, Error::<T>::ZeroAmount);
			let envelope = Self::envelope(&state, &kept, amount, now)?;
			if let Some(q) = &envelope.quarantine {
				envelope.apply(&mut state, &mut kept);
				Counterparties::<T>::insert(counterparty, state);
				Consumed::<T>::insert(counterparty, burn_id, Consumption::Quarantined(q.id));
				NextQuarantineId::<T>::put(q.next_id);
				Quarantine::<T>::insert(
					q.id,
					QuarantinedMint {
						counterparty,
						burn_id,
						beneficiary: beneficiary.clone(),
						amount,
						release_at: q.release_at,
					},
				);
				Self::deposit_event(Event::MintQuarantined {
					id: q.id,
					counterparty,
					burn_id,
					beneficiary,
					amount,
					release_at: q.release_at,
				});
			} else {
				Self::ensure_can_mint(&beneficiary, amount)?;
				T::Currency::mint_into(&beneficiary, amount)?;
				envelope.apply(&mut state, &mut kept);
				Counterparties::<T>::insert(counterparty, state);
				ImportedHeaders::<T>::insert(counterparty, proof.at, kept);
				Consumed::<T>::insert(counterparty, burn_id, Consumption::Minted(now));
				Self::deposit_event(Event::Minted { counterparty, burn_id, beneficiary, amount });
			}
			Ok(())
		}

		/// Delivers message `proof.nonce` of `counterparty` towards this chain: proven under a
		/// header the light client finalized (at least `min_header_age` blocks ago), delivered
		/// once, its value inside the safety envelope exactly as a mint from a burn. Executed at
		/// once with at most `MaxMessageWeight`, or put in quarantine (executed when released).
		/// A failed execution still consumes the message: its value is trapped, claimable. Anyone
		/// may submit it (a relayer).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::receive_message(proof.storage_proof.len() as u32)
			.saturating_add(T::MaxMessageWeight::get()))]
		pub fn receive_message(
			origin: OriginFor<T>,
			counterparty: ChainId,
			proof: MessageProof,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let mut state =
				Counterparties::<T>::get(counterparty).ok_or(Error::<T>::UnknownCounterparty)?;
			ensure!(!state.halted, Error::<T>::Halted);
			let nodes = proof.storage_proof.len() as u32;
			ensure!(nodes <= T::MaxProofNodes::get(), Error::<T>::TooManyProofNodes);
			let mut kept = ImportedHeaders::<T>::get(counterparty, proof.at)
				.ok_or(Error::<T>::UnknownHeader)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				now >= kept.imported_at.saturating_add(state.limits.min_header_age),
				Error::<T>::HeaderTooRecent
			);
			let nonce = proof.nonce;
			ensure!(
				!DeliveredMessages::<T>::contains_key(counterparty, nonce),
				Error::<T>::AlreadyDelivered
			);
			let (chain, message) = read_outbound_message(
				kept.header.state_root,
				T::LocalChainId::get(),
				nonce,
				proof.storage_proof,
			)
			.map_err(Self::proof_error)?;
			ensure!(chain == counterparty, Error::<T>::WrongSourceChain);
			let value = message.value;
			let envelope = Self::envelope(&state, &kept, value, now)?;
			let checked = T::WeightInfo::receive_message(nodes);
			envelope.apply(&mut state, &mut kept);
			Counterparties::<T>::insert(counterparty, state);
			if let Some(q) = &envelope.quarantine {
				DeliveredMessages::<T>::insert(counterparty, nonce, Consumption::Quarantined(q.id));
				NextQuarantineId::<T>::put(q.next_id);
				QuarantinedMessages::<T>::insert(
					q.id,
					QuarantinedMessage {
						counterparty,
						nonce,
						value,
						xcm: message.xcm,
						release_at: q.release_at,
					},
				);
				Self::deposit_event(Event::MessageQuarantined {
					id: q.id,
					counterparty,
					nonce,
					value,
					release_at: q.release_at,
				});
				return Ok(Some(checked).into());
			}
			ImportedHeaders::<T>::insert(counterparty, proof.at, kept);
			DeliveredMessages::<T>::insert(counterparty, nonce, Consumption::Minted(now));
			let used = Self::execute_message(counterparty, nonce, value, &message.xcm);
			Ok(Some(checked.saturating_add(used)).into())
		}

		/// Sets the safety envelope of `counterparty`. The admin origin may only tighten it
		/// (see [`BridgeLimits::no_looser_than`]); the anchor origin may set any.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_limits())]
		pub fn set_limits(
			origin: OriginFor<T>,
			counterparty: ChainId,
			limits: BridgeLimits<Balance, BlockNumberFor<T>>,
		) -> DispatchResult {
			let may_raise = match T::AnchorOrigin::try_origin(origin) {
				Ok(_) => true,
				Err(origin) => {
					T::AdminOrigin::ensure_origin(origin)?;
					false
				},
			};
			ensure!(
				!limits.window.is_zero() && limits.quarantine_threshold <= limits.max_transfer,
				Error::<T>::InvalidLimits
			);
			// Governance must be able to cancel a quarantined mint before anyone releases it.
			let decision = T::DecisionTime::get().filter(|_| limits.quarantines());
			ensure!(
				decision.is_none_or(|t| limits.quarantine_delay > t),
				Error::<T>::QuarantineTooShort
			);
			Counterparties::<T>::try_mutate(counterparty, |state| {
				let state = state.as_mut().ok_or(Error::<T>::UnknownCounterparty)?;
				ensure!(may_raise || limits.no_looser_than(&state.limits), Error::<T>::LimitRaise);
				state.limits = limits;
				Ok::<_, DispatchError>(())
			})?;
			Self::deposit_event(Event::LimitsSet { counterparty, limits });
			Ok(())
		}

		/// Turns the circuit breaker of `counterparty` on.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::halt())]
		pub fn halt(origin: OriginFor<T>, counterparty: ChainId) -> DispatchResult {
			T::HaltOrigin::ensure_origin(origin)?;
			Self::set_halted(counterparty, true)?;
			Self::deposit_event(Event::BridgeHalted { counterparty });
			Ok(())
		}

		/// Turns the circuit breaker of `counterparty` off.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::resume())]
		pub fn resume(origin: OriginFor<T>, counterparty: ChainId) -> DispatchResult {
			T::ResumeOrigin::ensure_origin(origin)?;
			Self::set_halted(counterparty, false)?;
			Self::deposit_event(Event::BridgeResumed { counterparty });
			Ok(())
		}

		/// Mints a quarantined transfer (or executes a quarantined message) whose delay has
		/// passed. Anyone may call it.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::release_quarantined().max(
			T::WeightInfo::release_quarantined_message().saturating_add(T::MaxMessageWeight::get())
		))]
		pub fn release_quarantined(
			origin: OriginFor<T>,
			id: QuarantineId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			if let Some(m) = QuarantinedMessages::<T>::get(id) {
				let mut state = Counterparties::<T>::get(m.counterparty)
					.ok_or(Error::<T>::UnknownCounterparty)?;
				ensure!(!state.halted, Error::<T>::Halted);
				ensure!(now >= m.release_at, Error::<T>::QuarantineNotElapsed);
				let minted =
					state.totals.minted.checked_add(m.value).ok_or(ArithmeticError::Overflow)?;
				let quarantined = state
					.totals
					.quarantined
					.checked_sub(m.value)
					.ok_or(ArithmeticError::Underflow)?;
				(state.totals.minted, state.totals.quarantined) = (minted, quarantined);
				Counterparties::<T>::insert(m.counterparty, state);
				DeliveredMessages::<T>::insert(m.counterparty, m.nonce, Consumption::Released(now));
				QuarantinedMessages::<T>::remove(id);
				let used = Self::execute_message(m.counterparty, m.nonce, m.value, &m.xcm);
				let checked = T::WeightInfo::release_quarantined_message();
				return Ok(Some(checked.saturating_add(used)).into());
			}
			let q = Quarantine::<T>::get(id).ok_or(Error::<T>::UnknownQuarantined)?;
			let mut state =
				Counterparties::<T>::get(q.counterparty).ok_or(Error::<T>::UnknownCounterparty)?;
			ensure!(!state.halted, Error::<T>::Halted);
			ensure!(now >= q.release_at, Error::<T>::QuarantineNotElapsed);
			let minted =
				state.totals.minted.checked_add(q.amount).ok_or(ArithmeticError::Overflow)?;
			let quarantined =
				state.totals.quarantined.checked_sub(q.amount).ok_or(ArithmeticError::Underflow)?;
			Self::ensure_can_mint(&q.beneficiary, q.amount)?;
			T::Currency::mint_into(&q.beneficiary, q.amount)?;
			(state.totals.minted, state.totals.quarantined) = (minted, quarantined);
			Counterparties::<T>::insert(q.counterparty, state);
			Consumed::<T>::insert(q.counterparty, q.burn_id, Consumption::Released(now));
			Quarantine::<T>::remove(id);
			Self::deposit_event(Event::QuarantineReleased {
				id,
				counterparty: q.counterparty,
				burn_id: q.burn_id,
				beneficiary: q.beneficiary,
				amount: q.amount,
			});
			Ok(Some(T::WeightInfo::release_quarantined()).into())
		}

		/// Cancels a quarantined transfer: the beneficiary gets nothing, the burn stays consumed,
		/// and the amount is minted to `to` (chosen by the vote: an account that returns it to
		/// the burner or holds it for a claim), so burned tokens never vanish. Counted as
		/// `cancelled`. A quarantined message is cancelled the same way: never executed, its
		/// value minted to `to`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::cancel_quarantined())]
		pub fn cancel_quarantined(
			origin: OriginFor<T>,
			id: QuarantineId,
			to: T::AccountId,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			if let Some(m) = QuarantinedMessages::<T>::get(id) {
				let mut state = Counterparties::<T>::get(m.counterparty)
					.ok_or(Error::<T>::UnknownCounterparty)?;
				let cancelled =
					state.totals.cancelled.checked_add(m.value).ok_or(ArithmeticError::Overflow)?;
				let quarantined = state
					.totals
					.quarantined
					.checked_sub(m.value)
					.ok_or(ArithmeticError::Underflow)?;
				Self::ensure_can_mint(&to, m.value)?;
				T::Currency::mint_into(&to, m.value)?;
				(state.totals.cancelled, state.totals.quarantined) = (cancelled, quarantined);
				Counterparties::<T>::insert(m.counterparty, state);
				DeliveredMessages::<T>::insert(
					m.counterparty,
					m.nonce,
					Consumption::Cancelled(now),
				);
				QuarantinedMessages::<T>::remove(id);
				Self::deposit_event(Event::MessageCancelled {
					id,
					counterparty: m.counterparty,
					nonce: m.nonce,
					value: m.value,
					to,
				});
				return Ok(());
			}
			let q = Quarantine::<T>::get(id).ok_or(Error::<T>::UnknownQuarantined)?;
			let mut state =
				Counterparties::<T>::get(q.counterparty).ok_or(Error::<T>::UnknownCounterparty)?;
			let cancelled =
				state.totals.cancelled.checked_add(q.amount).ok_or(ArithmeticError::Overflow)?;
			let quarantined =
				state.totals.quarantined.checked_sub(q.amount).ok_or(ArithmeticError::Underflow)?;
			Self::ensure_can_mint(&to, q.amount)?;
			T::Currency::mint_into(&to, q.amount)?;
			(state.totals.cancelled, state.totals.quarantined) = (cancelled, quarantined);
			Counterparties::<T>::insert(q.counterparty, state);
			Consumed::<T>::insert(q.counterparty, q.burn_id, Consumption::Cancelled(now));
			Quarantine::<T>::remove(id);
			Self::deposit_event(Event::QuarantineCancelled {
				id,
				counterparty: q.counterparty,
				burn_id: q.burn_id,
				amount: q.amount,
				to,
			});
			Ok(())
		}
	}
}

/// A quarantine slot the envelope reserved.
#[derive(Clone, Copy)]
struct QuarantineSlot<BlockNumber> {
	id: QuarantineId,
	next_id: QuarantineId,
	release_at: BlockNumber,
}

/// What the safety envelope decided for one transfer: the new totals and bucket level, and a
/// quarantine slot if it waits. Computed (and every overflow refused) before any write.
struct Envelope<BlockNumber> {
	now: BlockNumber,
	used: Balance,
	proven: Balance,
	header_minted: Balance,
	minted: Balance,
	quarantined: Balance,
	quarantine: Option<QuarantineSlot<BlockNumber>>,
}

impl<BlockNumber: Copy> Envelope<BlockNumber> {
	/// Writes the decision into the counterparty's state and the header's tally (in memory).
	fn apply(
		&self,
		state: &mut CounterpartyState<Balance, BlockNumber>,
		kept: &mut KeptHeader<Balance, BlockNumber>,
	) {
		state.totals.proven = self.proven;
		state.totals.minted = self.minted;
		state.totals.quarantined = self.quarantined;
		(state.window_start, state.window_used) = (self.now, self.used);
		if self.quarantine.is_none() {
			kept.minted = self.header_minted;
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The safety envelope for `amount` proven against `kept`: per-transfer cap, rate limit,
	/// and whether it waits in quarantine (above the threshold, or past what one header may
	/// mint at once). Checks only.
	fn envelope(
		state: &CounterpartyState<Balance, BlockNumberFor<T>>,
		kept: &KeptHeader<Balance, BlockNumberFor<T>>,
		amount: Balance,
		now: BlockNumberFor<T>,
	) -> Result<Envelope<BlockNumberFor<T>>, DispatchError> {
		let limits = state.limits;
		ensure!(amount <= limits.max_transfer, Error::<T>::AboveTransferCap);
		let used =
			Self::bucket_level(state, now).checked_add(amount).ok_or(ArithmeticError::Overflow)?;
		ensure!(used <= limits.window_limit, Error::<T>::RateLimited);
		let proven = state.totals.proven.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
		let header_minted = kept.minted.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
		let (mut minted, mut quarantined) = (state.totals.minted, state.totals.quarantined);
		let quarantine = if amount > limits.quarantine_threshold
			|| header_minted > limits.header_threshold
		{
			ensure!(Self::quarantine_len() < T::MaxQuarantined::get(), Error::<T>::QuarantineFull);
			quarantined = quarantined.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
			let id = NextQuarantineId::<T>::get();
			let next_id = id.checked_add(1).ok_or(ArithmeticError::Overflow)?;
			Some(QuarantineSlot {
				id,
				next_id,
				release_at: now.saturating_add(limits.quarantine_delay),
			})
		} else {
			minted = minted.checked_add(amount).ok_or(ArithmeticError::Overflow)?;
			None
		};
		Ok(Envelope { now, used, proven, header_minted, minted, quarantined, quarantine })
	}

	/// Mints and messages waiting in quarantine.
	pub fn quarantine_len() -> u32 {
		Quarantine::<T>::count().saturating_add(QuarantinedMessages::<T>::count())
	}

	/// Executes a delivered message and reports the outcome; returns the weight it used.
	fn execute_message(
		counterparty: ChainId,
		nonce: MessageNonce,
		value: Balance,
		xcm: &MessageBlob,
	) -> Weight {
		let (weight, result) =
			T::MessageExecutor::execute(counterparty, xcm, value, T::MaxMessageWeight::get());
		match result {
			Ok(()) => {
				Self::deposit_event(Event::MessageDelivered { counterparty, nonce, value, weight })
			},
			Err(error) => {
				Self::deposit_event(Event::MessageFailed { counterparty, nonce, value, error })
			},
		}
		weight.min(T::MaxMessageWeight::get())
	}

	/// Pre-dispatch weight of a finality proof: verification reads the whole stored set and
	/// builds its voter set whatever the justification carries, so it is charged for
	/// `MaxAuthorities`; the stored set's real size is charged after dispatch.
	pub fn finality_weight(justification: &Justification, ancestry: usize) -> Weight {
		T::WeightInfo::submit_finality_proof(
			T::MaxAuthorities::get(),
			(justification.votes_ancestries.len() as u32).min(MAX_VOTES_ANCESTRIES),
			(ancestry as u32).min(T::MaxAncestry::get()),
		)
	}

	/// Checks that `ancestry` links `header` (of hash `hash`) down to the child of `best` and
	/// carries no authority change; returns whether that child's parent is `best` (if not, or
	/// if `header` is another block at `best`'s height, the two chains conflict).
	fn descends_from_best(
		best: &FinalizedHeader,
		header: &Header,
		hash: tpchain_primitives::Hash,
		ancestry: &[Header],
	) -> Result<bool, Error<T>> {
		if header.number == best.number {
			ensure!(ancestry.is_empty(), Error::<T>::AncestryNotToBest);
			return Ok(hash == best.hash);
		}
		let (mut number, mut parent) = (header.number, header.parent_hash);
		for h in ancestry {
			ensure!(
				h.number.checked_add(1) == Some(number) && h.hash() == parent,
				Error::<T>::BrokenAncestry
			);
			ensure!(
				GrandpaConsensusLogReader::<BlockNumber>::find_scheduled_change(&h.digest)
					.is_none() && GrandpaConsensusLogReader::<BlockNumber>::find_forced_change(
					&h.digest
				)
				.is_none(),
				Error::<T>::AncestryChangesAuthorities
			);
			(number, parent) = (h.number, h.parent_hash);
		}
		ensure!(best.number.checked_add(1) == Some(number), Error::<T>::AncestryNotToBest);
		Ok(parent == best.hash)
	}

	/// The rate limit is a token bucket: `window_used` (as of block `window_start`) drains at
	/// `window_limit` per `window` blocks and may never exceed `window_limit`. So no stretch
	/// of `window` blocks mints more than `window_limit` plus what drained meanwhile, and no
	/// burst at a window boundary doubles it (as a fixed window would).
	fn bucket_level(
		state: &CounterpartyState<Balance, BlockNumberFor<T>>,
		now: BlockNumberFor<T>,
	) -> Balance {
		let elapsed: u128 = now.saturating_sub(state.window_start).saturated_into();
		let window: u128 = state.limits.window.saturated_into();
		let drained = state
			.limits
			.window_limit
			.saturating_mul(elapsed)
			.checked_div(window.max(1))
			.unwrap_or_default();
		state.window_used.saturating_sub(drained)
	}

	/// What a reset's forgetting of the kept headers costs: the ring and the header map.
	pub fn forget_headers_weight() -> Weight {
		let kept = u64::from(T::HeadersToKeep::get());
		T::DbWeight::get().reads_writes(kept.saturating_mul(2), kept.saturating_mul(2))
	}

	/// A bounded, verifiable authority set.
	fn checked_set(
		authorities: AuthorityList,
		set_id: SetId,
	) -> Result<StoredAuthoritySet<T::MaxAuthorities>, Error<T>> {
		let bounded: BoundedVec<_, T::MaxAuthorities> =
			authorities.try_into().map_err(|_| Error::<T>::TooManyAuthorities)?;
		// A zero weight would make a voter count for nothing, a repeated key would be counted
		// once by the verifier but weigh twice in the set: refuse both outright.
		ensure!(bounded.iter().all(|(_, w)| *w > 0), Error::<T>::InvalidAuthoritySet);
		let distinct: alloc::collections::BTreeSet<_> = bounded.iter().map(|(k, _)| k).collect();
		ensure!(distinct.len() == bounded.len(), Error::<T>::InvalidAuthoritySet);
		let set = StoredAuthoritySet { authorities: bounded, set_id };
		// The verifier's own validation: non-empty, total weight without overflow.
		JustificationVerificationContext::try_from(set.to_bp())
			.map_err(|_| Error::<T>::InvalidAuthoritySet)?;
		Ok(set)
	}

	/// Stores `head` in the ring, evicting the oldest kept header.
	fn keep_header(
		counterparty: ChainId,
		state: &mut CounterpartyState<Balance, BlockNumberFor<T>>,
		head: FinalizedHeader,
	) {
		if ImportedHeaders::<T>::contains_key(counterparty, head.hash) {
			return;
		}
		let slot = state.next_slot;
		if let Some(evicted) = HeaderRing::<T>::get(counterparty, slot) {
			ImportedHeaders::<T>::remove(counterparty, evicted);
		}
		HeaderRing::<T>::insert(counterparty, slot, head.hash);
		let imported_at = frame_system::Pallet::<T>::block_number();
		ImportedHeaders::<T>::insert(
			counterparty,
			head.hash,
			KeptHeader { header: head, imported_at, minted: 0 },
		);
		state.next_slot = slot.saturating_add(1) % T::HeadersToKeep::get().max(1);
	}

	fn set_halted(counterparty: ChainId, halted: bool) -> DispatchResult {
		Counterparties::<T>::try_mutate(counterparty, |state| {
			let state = state.as_mut().ok_or(Error::<T>::UnknownCounterparty)?;
			match (state.halted, halted) {
				(true, true) => Err(Error::<T>::AlreadyHalted.into()),
				(false, false) => Err(Error::<T>::NotHalted.into()),
				_ => {
					state.halted = halted;
					Ok(())
				},
			}
		})
	}

	fn ensure_can_mint(who: &T::AccountId, amount: Balance) -> DispatchResult {
		T::Currency::can_deposit(who, amount, Provenance::Minted)
			.into_result()
			.map_err(|_| Error::<T>::CannotDeposit.into())
	}

	/// The shortest quarantine delay of any counterparty whose limits quarantine: the window
	/// a cancellation vote must fit in.
	pub fn shortest_quarantine_delay() -> Option<BlockNumberFor<T>> {
		Counterparties::<T>::iter_values()
			.filter(|s| s.limits.quarantines())
			.map(|s| s.limits.quarantine_delay)
			.min()
	}

	/// What [`Self::shortest_quarantine_delay`] reads.
	pub fn shortest_quarantine_delay_weight() -> Weight {
		T::DbWeight::get().reads(u64::from(T::MaxCounterparties::get()).saturating_add(1))
	}

	/// Whether `burn_id` of `counterparty` was consumed (for the pool check and the API).
	pub fn is_consumed(counterparty: ChainId, burn_id: BurnId) -> bool {
		Consumed::<T>::contains_key(counterparty, burn_id)
	}

	/// Newest finalized header of `counterparty`, if registered.
	pub fn best_finalized(counterparty: ChainId) -> Option<FinalizedHeader> {
		Counterparties::<T>::get(counterparty).map(|s| s.best)
	}

	/// Every counterparty, for the runtime API.
	pub fn counterparties() -> Vec<CounterpartyView<Balance, BlockNumberFor<T>>> {
		Counterparties::<T>::iter()
			.map(|(chain, s)| {
				let set = AuthoritySets::<T>::get(chain);
				let mut headers: Vec<FinalizedHeader> =
					ImportedHeaders::<T>::iter_prefix_values(chain).map(|k| k.header).collect();
				headers.sort_by_key(|h| h.number);
				let best_imported_at = ImportedHeaders::<T>::get(chain, s.best.hash)
					.map(|k| k.imported_at)
					.unwrap_or_default();
				CounterpartyView {
					chain,
					halted: s.halted,
					set_id: set.as_ref().map(|s| s.set_id).unwrap_or_default(),
					authorities: set.map(|s| s.authorities.len() as u32).unwrap_or_default(),
					best: s.best,
					best_imported_at,
					headers,
					limits: s.limits,
					window_start: s.window_start,
					window_used: s.window_used,
					totals: s.totals,
				}
			})
			.collect()
	}

	/// Mints in quarantine, by id.
	pub fn quarantined() -> Vec<(QuarantineId, QuarantinedMintOf<T>)> {
		let mut all: Vec<_> = Quarantine::<T>::iter().collect();
		all.sort_by_key(|(id, _)| *id);
		all
	}

	/// Messages in quarantine, by id.
	pub fn quarantined_messages() -> Vec<(QuarantineId, QuarantinedMessageOf<T>)> {
		let mut all: Vec<_> = QuarantinedMessages::<T>::iter().collect();
		all.sort_by_key(|(id, _)| *id);
		all
	}

	fn proof_error(e: BurnProofError) -> DispatchError {
		use BurnProofError as P;
		let e = match e {
			P::InvalidAuthoritySet => Error::<T>::InvalidAuthoritySet,
			P::JustificationTargetMismatch => Error::<T>::JustificationTargetMismatch,
			P::InsufficientVotes => Error::<T>::InsufficientVotes,
			P::UnknownAuthority => Error::<T>::UnknownAuthority,
			P::InvalidSignature => Error::<T>::InvalidSignature,
			P::DuplicateVote => Error::<T>::DuplicateVote,
			P::RedundantVote => Error::<T>::RedundantVote,
			P::UnrelatedVote => Error::<T>::UnrelatedVote,
			P::InvalidVotesAncestry => Error::<T>::InvalidVotesAncestry,
			P::StateRootMismatch => Error::<T>::StateRootMismatch,
			P::DuplicateProofNode => Error::<T>::DuplicateProofNode,
			P::UnusedProofNode => Error::<T>::UnusedProofNode,
			P::IncompleteProof => Error::<T>::IncompleteProof,
			P::RecordNotInState => Error::<T>::RecordNotInState,
			P::ChainIdNotInState => Error::<T>::ChainIdNotInState,
			P::UndecodableValue | P::Malformed => Error::<T>::UndecodableValue,
			P::RecordMismatch => Error::<T>::RecordMismatch,
			P::ChainIdMismatch => Error::<T>::WrongSourceChain,
			P::AncestryTooLong | P::BrokenAncestry => Error::<T>::InvalidVotesAncestry,
		};
		e.into()
	}

	/// The bridge's invariants: accounting adds up, quarantine matches its totals, the light
	/// client's storage is bounded and consistent.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		ensure!(
			Counterparties::<T>::count() <= T::MaxCounterparties::get(),
			"more counterparties than MaxCounterparties"
		);
		ensure!(
			Self::quarantine_len() <= T::MaxQuarantined::get(),
			"more quarantined mints and messages than MaxQuarantined"
		);
		let mut in_quarantine: BTreeMap<ChainId, Balance> = BTreeMap::new();
		for (id, q) in Quarantine::<T>::iter() {
			ensure!(id < NextQuarantineId::<T>::get(), "quarantine id beyond the counter");
			ensure!(
				Consumed::<T>::get(q.counterparty, q.burn_id) == Some(Consumption::Quarantined(id)),
				"quarantined burn not marked consumed"
			);
			let sum = in_quarantine.entry(q.counterparty).or_default();
			*sum = sum.checked_add(q.amount).ok_or("quarantine sum overflows")?;
		}
		for (id, m) in QuarantinedMessages::<T>::iter() {
			ensure!(id < NextQuarantineId::<T>::get(), "quarantine id beyond the counter");
			ensure!(!Quarantine::<T>::contains_key(id), "a quarantine id used twice");
			ensure!(
				DeliveredMessages::<T>::get(m.counterparty, m.nonce)
					== Some(Consumption::Quarantined(id)),
				"quarantined message not marked delivered"
			);
			let sum = in_quarantine.entry(m.counterparty).or_default();
			*sum = sum.checked_add(m.value).ok_or("quarantine sum overflows")?;
		}
		for (chain, s) in Counterparties::<T>::iter() {
			let t = s.totals;
			let accounted = t
				.minted
				.checked_add(t.quarantined)
				.and_then(|x| x.checked_add(t.cancelled))
				.ok_or("totals overflow")?;
			ensure!(accounted == t.proven, "proven != minted + quarantined + cancelled");
			ensure!(
				in_quarantine.get(&chain).copied().unwrap_or_default() == t.quarantined,
				"quarantine entries differ from the quarantined total"
			);
			ensure!(AuthoritySets::<T>::contains_key(chain), "counterparty without authority set");
			let kept = ImportedHeaders::<T>::iter_prefix(chain).count() as u32;
			ensure!(kept <= T::HeadersToKeep::get(), "more headers kept than HeadersToKeep");
			ensure!(ImportedHeaders::<T>::contains_key(chain, s.best.hash), "best header not kept");
			ensure!(s.next_slot < T::HeadersToKeep::get().max(1), "ring slot out of range");
		}
		Ok(())
	}
}
