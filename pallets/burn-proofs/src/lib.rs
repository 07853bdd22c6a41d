//! # Burn-proofs pallet
//!
//! Burns tokens permanently and leaves a record that anyone can prove offline: the record lives
//! under a deterministic storage key ([`tpchain_primitives::burn::burn_record_key`]), so a
//! standard storage read proof plus a GRANDPA justification shows that the burn is final,
//! without trusting any node. The proof bundle and its verifier are in `tpchain-primitives`.
//!
//! ## Terminology
//!
//! - **Burn**: tokens removed from the burner's free balance *and* from total issuance, through
//!   `fungible::Mutate::burn_from` — not a transfer to an unspendable account.
//! - **Burn record**: [`BurnRecord`](tpchain_primitives::burn::BurnRecord) with a gap-free
//!   sequential id, stored forever in [`Burns`].
//! - **Destination**: the counterparty chain (a [`ChainId`]) that may mint against the burn, or
//!   `None` for a plain burn. Only destinations registered by the admin origin are accepted.
//! - **Large burn**: a burn above [`LargeBurnThreshold`]. It is not executed at once: the amount
//!   goes on hold under [`HoldReason::LargeBurn`] until the approve origin approves (the burn is
//!   executed and recorded) or rejects it, or the burner cancels it.
//!
//! ## Scenarios
//!
//! - *Redemption to another chain*: an integrator calls [`Pallet::burn`] with the destination,
//!   the beneficiary on that chain and a payment reference; once the block is final, the
//!   `burn_getProof` RPC gives a bundle the other chain's bridge (or an auditor) verifies.
//! - *Plain burn*: `destination = None`, no beneficiary; supply goes down, the record stays.
//! - *Large redemption*: above the threshold the request waits for a multisig or governance;
//!   the burner may cancel until it is approved.
//!
//! ## Safety considerations
//!
//! - Every check happens before the first write; a failed call changes nothing.
//! - Records are never removed or changed: a verifier that saw burn `n` can always prove it again.
//! - Burns keep the burner's account alive (`Preservation::Preserve`), so a burn never reaps an
//!   account (and its nonce).
//! - At most [`Config::MaxBurnsPerBlock`] records per block bounds the state growth per block;
//!   at most [`Config::MaxPendingBurns`] large burns wait at a time.
//! - Running totals ([`TotalBurned`], [`BurnedTo`], [`BurnedBy`]) are checked against the records
//!   and the held funds in `try_state`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod migrations;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
	},
};
use frame_system::pallet_prelude::*;
use sp_runtime::traits::{CheckedAdd, Zero};
use tpchain_primitives::{
	burn::{Beneficiary, BurnId, BurnRecord, BurnTotals, PaymentReference},
	message::{MessageBlob, MessageNonce, OutboundMessage},
	ChainId,
};

/// Balance type of the configured currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A burn record with the runtime's types.
pub type BurnRecordOf<T> =
	BurnRecord<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// An outbound XCM message with the runtime's types.
pub type OutboundMessageOf<T> = OutboundMessage<BalanceOf<T>, BlockNumberFor<T>>;
/// A pending large burn with the runtime's types.
pub type PendingBurnOf<T> =
	PendingBurn<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

const LOG_TARGET: &str = "runtime::burn-proofs";

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// Layout version; `migrations` upgrades from older ones.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The native currency; burns go through its fungible traits.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// May approve or reject large burns (a multisig or a governance track).
		type ApproveOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// May set the large-burn threshold and the destination registry (governance).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Which beneficiaries each destination can receive at (checked at burn time).
		type Beneficiaries: tpchain_primitives::burn::BeneficiaryCheck;

		/// Smallest amount a burn may remove.
		#[pallet::constant]
		type MinBurn: Get<BalanceOf<Self>>;

		/// Most burn records one block may create (bounds state growth per block).
		#[pallet::constant]
		type MaxBurnsPerBlock: Get<u32>;

		/// Most large burns that may wait for approval at the same time.
		#[pallet::constant]
		type MaxPendingBurns: Get<u32>;

		/// Most destination chains the registry may hold.
		#[pallet::constant]
		type MaxDestinations: Get<u32>;

		/// Weights from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// Longest beneficiary, in bytes (fixed by `tpchain-primitives`).
		#[pallet::constant_name(MaxBeneficiaryLen)]
		fn max_beneficiary_len() -> u32 {
			tpchain_primitives::burn::MAX_BENEFICIARY_LEN
		}

		/// Longest payment reference, in bytes (fixed by `tpchain-primitives`).
		#[pallet::constant_name(MaxReferenceLen)]
		fn max_reference_len() -> u32 {
			tpchain_primitives::burn::MAX_REFERENCE_LEN
		}

		/// Longest outbound XCM message, in bytes (fixed by `tpchain-primitives`).
		#[pallet::constant_name(MaxMessageLen)]
		fn max_message_len() -> u32 {
			tpchain_primitives::message::MAX_MESSAGE_LEN
		}
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A large burn waiting for approval.
		#[codec(index = 0)]
		LargeBurn,
	}

	/// This chain's id, fixed in genesis. Proven alongside every record (its key is
	/// [`tpchain_primitives::burn::chain_id_key`]).
	#[pallet::storage]
	pub type LocalChainId<T> = StorageValue<_, ChainId, ValueQuery>;

	/// Executed burns by id; never removed.
	#[pallet::storage]
	pub type Burns<T: Config> = StorageMap<_, Blake2_128Concat, BurnId, BurnRecordOf<T>>;

	/// Id of the next executed burn (= number of burns so far).
	#[pallet::storage]
	pub type NextBurnId<T> = StorageValue<_, BurnId, ValueQuery>;

	/// Burn records created in the current block: `(block, count)`.
	#[pallet::storage]
	pub type BlockBurnCount<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	/// Counterparty chains a burn may name as its destination.
	#[pallet::storage]
	pub type Destinations<T: Config> =
		StorageValue<_, BoundedBTreeSet<ChainId, T::MaxDestinations>, ValueQuery>;

	/// Burns above this amount wait for approval; `None`: no burn needs approval.
	#[pallet::storage]
	pub type LargeBurnThreshold<T: Config> = StorageValue<_, BalanceOf<T>, OptionQuery>;

	/// Large burns waiting for approval.
	#[pallet::storage]
	pub type PendingBurns<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, RequestId, PendingBurnOf<T>>;

	/// Id of the next large-burn request.
	#[pallet::storage]
	pub type NextRequestId<T> = StorageValue<_, RequestId, ValueQuery>;

	/// Everything ever burned.
	#[pallet::storage]
	pub type TotalBurned<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Burned towards each destination chain.
	#[pallet::storage]
	pub type BurnedTo<T: Config> =
		StorageMap<_, Blake2_128Concat, ChainId, BalanceOf<T>, ValueQuery>;

	/// XCM messages committed for each destination (the bridge router's outbound lane), by
	/// nonce; never removed, so a counterparty can always prove one again. Its key is
	/// [`tpchain_primitives::message::outbound_message_key`].
	#[pallet::storage]
	pub type OutboundMessages<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ChainId,
		Twox64Concat,
		MessageNonce,
		OutboundMessageOf<T>,
	>;

	/// Nonce of the next message towards each destination (= messages sent to it so far).
	#[pallet::storage]
	pub type NextMessageNonce<T: Config> =
		StorageMap<_, Twox64Concat, ChainId, MessageNonce, ValueQuery>;

	/// Burned by each account.
	#[pallet::storage]
	pub type BurnedBy<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BalanceOf<T>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// This chain's id.
		pub chain_id: ChainId,
		/// Destination chains registered from the start.
		pub destinations: Vec<ChainId>,
		/// Initial large-burn threshold.
		pub large_burn_threshold: Option<BalanceOf<T>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(
				!self.destinations.contains(&self.chain_id),
				"a chain cannot be its own burn destination"
			);
			let destinations: BoundedBTreeSet<ChainId, T::MaxDestinations> = self
				.destinations
				.iter()
				.copied()
				.collect::<alloc::collections::BTreeSet<_>>()
				.try_into()
				.expect("genesis destinations exceed MaxDestinations");
			LocalChainId::<T>::put(self.chain_id);
			Destinations::<T>::put(destinations);
			LargeBurnThreshold::<T>::set(self.large_burn_threshold);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Tokens were burned and recorded.
		Burned {
			id: BurnId,
			burner: T::AccountId,
			amount: BalanceOf<T>,
			destination: Option<ChainId>,
			beneficiary: Beneficiary,
			reference: PaymentReference,
		},
		/// A large burn was requested; its amount is on hold until approval.
		BurnRequested {
			request: RequestId,
			burner: T::AccountId,
			amount: BalanceOf<T>,
			destination: Option<ChainId>,
			reference: PaymentReference,
		},
		/// A large burn was approved and executed as burn `id`.
		BurnApproved { request: RequestId, id: BurnId },
		/// A large burn was rejected; the held amount is free again.
		BurnRejected { request: RequestId, burner: T::AccountId, amount: BalanceOf<T> },
		/// The burner cancelled a large burn; the held amount is free again.
		BurnCancelled { request: RequestId, burner: T::AccountId, amount: BalanceOf<T> },
		/// The large-burn threshold changed.
		LargeBurnThresholdSet { threshold: Option<BalanceOf<T>> },
		/// A destination chain was registered.
		DestinationAdded { chain: ChainId },
		/// A destination chain was removed; existing records are unaffected.
		DestinationRemoved { chain: ChainId },
		/// An XCM message was committed for `destination`; the TPC it carries (`value`) was
		/// burned on this chain and counts towards the burn totals.
		MessageSent {
			destination: ChainId,
			nonce: MessageNonce,
			value: BalanceOf<T>,
			/// `blake2_256` of the encoded message.
			hash: [u8; 32],
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is zero.
		ZeroAmount,
		/// The amount is below `MinBurn`.
		BelowMinimum,
		/// The beneficiary is longer than `MaxBeneficiaryLen`.
		BeneficiaryTooLong,
		/// The reference is longer than `MaxReferenceLen`.
		ReferenceTooLong,
		/// A burn to a destination must name a beneficiary.
		MissingBeneficiary,
		/// The beneficiary is not an account of the destination chain.
		InvalidBeneficiary,
		/// A plain burn (no destination) cannot name a beneficiary.
		BeneficiaryWithoutDestination,
		/// The destination chain is not registered.
		UnknownDestination,
		/// The burner cannot spend this much (keeping the account alive).
		InsufficientBalance,
		/// This block already holds `MaxBurnsPerBlock` burn records.
		TooManyBurnsInBlock,
		/// `MaxPendingBurns` large burns are already waiting.
		TooManyPendingBurns,
		/// No pending burn with this request id.
		UnknownRequest,
		/// Only the burner may cancel a pending burn.
		NotBurner,
		/// The destination registry is full.
		TooManyDestinations,
		/// The destination is already registered.
		DestinationAlreadyKnown,
		/// This chain cannot be its own destination.
		OwnChain,
		/// A counter or total would overflow.
		Overflow,
		/// The encoded message is longer than `MaxMessageLen`.
		MessageTooLong,
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
		/// Burn `amount` from the caller, recording `destination`, `beneficiary` and
		/// `reference`. Above [`LargeBurnThreshold`] the amount is put on hold and waits for
		/// approval instead.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::burn().max(T::WeightInfo::request_large_burn()))]
		pub fn burn(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
			destination: Option<ChainId>,
			beneficiary: Vec<u8>,
			reference: Vec<u8>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			ensure!(amount >= T::MinBurn::get(), Error::<T>::BelowMinimum);
			let beneficiary: Beneficiary =
				beneficiary.try_into().map_err(|_| Error::<T>::BeneficiaryTooLong)?;
			let reference: PaymentReference =
				reference.try_into().map_err(|_| Error::<T>::ReferenceTooLong)?;
			match destination {
				Some(chain) => {
					ensure!(
						Destinations::<T>::get().contains(&chain),
						Error::<T>::UnknownDestination
					);
					ensure!(!beneficiary.is_empty(), Error::<T>::MissingBeneficiary);
					ensure!(
						<T::Beneficiaries as tpchain_primitives::burn::BeneficiaryCheck>::is_valid(
							chain,
							&beneficiary
						),
						Error::<T>::InvalidBeneficiary
					);
				},
				None => ensure!(beneficiary.is_empty(), Error::<T>::BeneficiaryWithoutDestination),
			}
			ensure!(
				T::Currency::reducible_balance(&who, Preservation::Preserve, Fortitude::Polite)
					>= amount,
				Error::<T>::InsufficientBalance
			);

			if LargeBurnThreshold::<T>::get().is_some_and(|threshold| amount > threshold) {
				Self::request_large_burn(who, amount, destination, beneficiary, reference)?;
				return Ok(Some(T::WeightInfo::request_large_burn()).into());
			}

			let prepared = Self::prepare_record(&who, amount, destination)?;
			T::Currency::burn_from(
				&who,
				amount,
				Preservation::Preserve,
				Precision::Exact,
				Fortitude::Polite,
			)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
			Self::commit_record(prepared, who, amount, destination, beneficiary, reference);
			Ok(Some(T::WeightInfo::burn()).into())
		}

		/// Cancel a large burn that is still waiting; only its burner may. The held amount is
		/// released.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_large_burn())]
		pub fn cancel_large_burn(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let pending = PendingBurns::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
			ensure!(pending.burner == who, Error::<T>::NotBurner);
			Self::release_pending(request, &pending)?;
			Self::deposit_event(Event::BurnCancelled {
				request,
				burner: pending.burner,
				amount: pending.amount,
			});
			Ok(())
		}

		/// Approve a waiting large burn: the held amount is burned and recorded.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::approve_large_burn())]
		pub fn approve_large_burn(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			T::ApproveOrigin::ensure_origin(origin)?;
			let pending = PendingBurns::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
			let record =
				Self::prepare_record(&pending.burner, pending.amount, pending.destination)?;
			// The held amount is committed to the burn: a freeze the burner adds after the
			// request must not stop the approval.
			T::Currency::burn_held(
				&HoldReason::LargeBurn.into(),
				&pending.burner,
				pending.amount,
				Precision::Exact,
				Fortitude::Force,
			)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
			PendingBurns::<T>::remove(request);
			let id = record.id;
			Self::commit_record(
				record,
				pending.burner,
				pending.amount,
				pending.destination,
				pending.beneficiary,
				pending.reference,
			);
			Self::deposit_event(Event::BurnApproved { request, id });
			Ok(())
		}

		/// Reject a waiting large burn: the held amount is released to the burner.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reject_large_burn())]
		pub fn reject_large_burn(origin: OriginFor<T>, request: RequestId) -> DispatchResult {
			T::ApproveOrigin::ensure_origin(origin)?;
			let pending = PendingBurns::<T>::get(request).ok_or(Error::<T>::UnknownRequest)?;
			Self::release_pending(request, &pending)?;
			Self::deposit_event(Event::BurnRejected {
				request,
				burner: pending.burner,
				amount: pending.amount,
			});
			Ok(())
		}

		/// Set the amount above which burns wait for approval (`None`: never).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_large_burn_threshold())]
		pub fn set_large_burn_threshold(
			origin: OriginFor<T>,
			threshold: Option<BalanceOf<T>>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			LargeBurnThreshold::<T>::set(threshold);
			Self::deposit_event(Event::LargeBurnThresholdSet { threshold });
			Ok(())
		}

		/// Register a destination chain.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::add_destination())]
		pub fn add_destination(origin: OriginFor<T>, chain: ChainId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(chain != LocalChainId::<T>::get(), Error::<T>::OwnChain);
			let mut destinations = Destinations::<T>::get();
			ensure!(!destinations.contains(&chain), Error::<T>::DestinationAlreadyKnown);
			destinations.try_insert(chain).map_err(|_| Error::<T>::TooManyDestinations)?;
			Destinations::<T>::put(destinations);
			Self::deposit_event(Event::DestinationAdded { chain });
			Ok(())
		}

		/// Remove a destination chain. Records naming it stay; pending burns to it may still
		/// be approved (the burner already committed to it).
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::remove_destination())]
		pub fn remove_destination(origin: OriginFor<T>, chain: ChainId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let mut destinations = Destinations::<T>::get();
			ensure!(destinations.remove(&chain), Error::<T>::UnknownDestination);
			Destinations::<T>::put(destinations);
			Self::deposit_event(Event::DestinationRemoved { chain });
			Ok(())
		}
	}
}

/// An outbound message that passed every check and may be committed.
pub struct PreparedMessage<T: Config> {
	destination: ChainId,
	nonce: MessageNonce,
	block: BlockNumberFor<T>,
	block_count: u32,
	total: BalanceOf<T>,
	to_destination: BalanceOf<T>,
	value: BalanceOf<T>,
}

/// A record that passed every check and may be written once the tokens are gone.
struct PreparedRecord<T: Config> {
	id: BurnId,
	block: BlockNumberFor<T>,
	block_count: u32,
	total: BalanceOf<T>,
	to_destination: Option<BalanceOf<T>>,
	by_burner: BalanceOf<T>,
}

impl<T: Config> Pallet<T> {
	/// Checks the per-block limit and computes every counter and total the record changes, so
	/// nothing is written unless all of them fit.
	fn prepare_record(
		who: &T::AccountId,
		amount: BalanceOf<T>,
		destination: Option<ChainId>,
	) -> Result<PreparedRecord<T>, DispatchError> {
		let now = frame_system::Pallet::<T>::block_number();
		let (counted_block, count) = BlockBurnCount::<T>::get();
		let block_count = if counted_block == now { count } else { 0 };
		ensure!(block_count < T::MaxBurnsPerBlock::get(), Error::<T>::TooManyBurnsInBlock);
		let id = NextBurnId::<T>::get();
		id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let total = TotalBurned::<T>::get().checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		let to_destination = destination
			.map(|chain| BurnedTo::<T>::get(chain).checked_add(&amount).ok_or(Error::<T>::Overflow))
			.transpose()?;
		let by_burner = BurnedBy::<T>::get(who).checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		Ok(PreparedRecord {
			id,
			block: now,
			block_count: block_count.saturating_add(1),
			total,
			to_destination,
			by_burner,
		})
	}

	/// Writes a prepared record and its totals; infallible, every value was checked.
	fn commit_record(
		prepared: PreparedRecord<T>,
		burner: T::AccountId,
		amount: BalanceOf<T>,
		destination: Option<ChainId>,
		beneficiary: Beneficiary,
		reference: PaymentReference,
	) {
		let id = prepared.id;
		NextBurnId::<T>::put(id.saturating_add(1));
		BlockBurnCount::<T>::put((prepared.block, prepared.block_count));
		TotalBurned::<T>::put(prepared.total);
		if let (Some(chain), Some(to)) = (destination, prepared.to_destination) {
			BurnedTo::<T>::insert(chain, to);
		}
		BurnedBy::<T>::insert(&burner, prepared.by_burner);
		Burns::<T>::insert(
			id,
			BurnRecord {
				id,
				burner: burner.clone(),
				amount,
				destination,
				beneficiary: beneficiary.clone(),
				reference: reference.clone(),
				block: prepared.block,
			},
		);
		Self::deposit_event(Event::Burned {
			id,
			burner,
			amount,
			destination,
			beneficiary,
			reference,
		});
	}

	fn request_large_burn(
		who: T::AccountId,
		amount: BalanceOf<T>,
		destination: Option<ChainId>,
		beneficiary: Beneficiary,
		reference: PaymentReference,
	) -> DispatchResult {
		ensure!(
			PendingBurns::<T>::count() < T::MaxPendingBurns::get(),
			Error::<T>::TooManyPendingBurns
		);
		let request = NextRequestId::<T>::get();
		let next = request.checked_add(1).ok_or(Error::<T>::Overflow)?;
		T::Currency::hold(&HoldReason::LargeBurn.into(), &who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)?;
		NextRequestId::<T>::put(next);
		PendingBurns::<T>::insert(
			request,
			PendingBurn {
				burner: who.clone(),
				amount,
				destination,
				beneficiary,
				reference: reference.clone(),
				requested_at: frame_system::Pallet::<T>::block_number(),
			},
		);
		Self::deposit_event(Event::BurnRequested {
			request,
			burner: who,
			amount,
			destination,
			reference,
		});
		Ok(())
	}

	fn release_pending(request: RequestId, pending: &PendingBurnOf<T>) -> DispatchResult {
		T::Currency::release(
			&HoldReason::LargeBurn.into(),
			&pending.burner,
			pending.amount,
			Precision::Exact,
		)
		.map_err(|e| {
			log::error!(target: LOG_TARGET, "pending burn {request} lost its hold: {e:?}");
			Error::<T>::InsufficientBalance
		})?;
		PendingBurns::<T>::remove(request);
		Ok(())
	}

	/// Checks that a message carrying `value` may be committed for `destination` this block:
	/// the destination is registered, the block has room for one more record, no counter or
	/// total overflows. What [`Self::commit_message`] writes, without writing.
	pub fn prepare_message(
		destination: ChainId,
		value: BalanceOf<T>,
	) -> Result<PreparedMessage<T>, DispatchError> {
		ensure!(Destinations::<T>::get().contains(&destination), Error::<T>::UnknownDestination);
		let now = frame_system::Pallet::<T>::block_number();
		let (counted_block, count) = BlockBurnCount::<T>::get();
		let block_count = if counted_block == now { count } else { 0 };
		ensure!(block_count < T::MaxBurnsPerBlock::get(), Error::<T>::TooManyBurnsInBlock);
		let nonce = NextMessageNonce::<T>::get(destination);
		nonce.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let total = TotalBurned::<T>::get().checked_add(&value).ok_or(Error::<T>::Overflow)?;
		let to_destination =
			BurnedTo::<T>::get(destination).checked_add(&value).ok_or(Error::<T>::Overflow)?;
		Ok(PreparedMessage {
			destination,
			nonce,
			block: now,
			block_count: block_count.saturating_add(1),
			total,
			to_destination,
			value,
		})
	}

	/// Commits a prepared message: stores it under its nonce and adds the TPC it carries
	/// (already burned by the XCM executor) to the burn totals. Infallible, every value was
	/// checked. Returns the nonce.
	pub fn commit_message(prepared: PreparedMessage<T>, xcm: MessageBlob) -> MessageNonce {
		let PreparedMessage {
			destination,
			nonce,
			block,
			block_count,
			total,
			to_destination,
			value,
		} = prepared;
		NextMessageNonce::<T>::insert(destination, nonce.saturating_add(1));
		BlockBurnCount::<T>::put((block, block_count));
		TotalBurned::<T>::put(total);
		BurnedTo::<T>::insert(destination, to_destination);
		let hash = <sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(&xcm).0;
		OutboundMessages::<T>::insert(
			destination,
			nonce,
			OutboundMessage { nonce, value, xcm, block },
		);
		Self::deposit_event(Event::MessageSent { destination, nonce, value, hash });
		nonce
	}

	/// What [`Self::prepare_message`] and [`Self::commit_message`] read and write.
	pub fn message_weight() -> Weight {
		T::DbWeight::get().reads_writes(5, 5)
	}

	/// An outbound message, for the runtime API and the relayer.
	pub fn outbound_message(
		destination: ChainId,
		nonce: MessageNonce,
	) -> Option<OutboundMessageOf<T>> {
		OutboundMessages::<T>::get(destination, nonce)
	}

	/// A burn record, for the runtime API.
	pub fn record(id: BurnId) -> Option<BurnRecordOf<T>> {
		Burns::<T>::get(id)
	}

	/// Running totals, for the runtime API.
	pub fn totals() -> BurnTotals<BalanceOf<T>> {
		BurnTotals {
			total: TotalBurned::<T>::get(),
			count: NextBurnId::<T>::get(),
			by_destination: BurnedTo::<T>::iter().collect(),
		}
	}

	/// Invariants: records and outbound messages are gap-free and add up to the totals; every pending burn is backed
	/// by exactly its held amount.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::traits::fungible::InspectHold;
		use sp_runtime::traits::Saturating;

		let next = NextBurnId::<T>::get();
		let mut total = BalanceOf::<T>::zero();
		let mut to: BTreeMap<ChainId, BalanceOf<T>> = BTreeMap::new();
		let mut by: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut count: u64 = 0;
		for (id, record) in Burns::<T>::iter() {
			ensure!(id == record.id && id < next, "burn record under a wrong id");
			count.saturating_inc();
			total.saturating_accrue(record.amount);
			if let Some(chain) = record.destination {
				to.entry(chain).or_default().saturating_accrue(record.amount);
			}
			by.entry(record.burner).or_default().saturating_accrue(record.amount);
		}
		ensure!(count == next, "burn ids have gaps");
		let mut messages: BTreeMap<ChainId, MessageNonce> = BTreeMap::new();
		for (chain, nonce, message) in OutboundMessages::<T>::iter() {
			ensure!(message.nonce == nonce, "outbound message under a wrong nonce");
			messages.entry(chain).or_default().saturating_inc();
			total.saturating_accrue(message.value);
			to.entry(chain).or_default().saturating_accrue(message.value);
		}
		for (chain, sent) in messages {
			ensure!(NextMessageNonce::<T>::get(chain) == sent, "outbound message nonces have gaps");
		}
		ensure!(total == TotalBurned::<T>::get(), "TotalBurned differs from the records");
		ensure!(
			to == BurnedTo::<T>::iter().collect::<BTreeMap<_, _>>(),
			"BurnedTo differs from the records"
		);
		ensure!(
			by == BurnedBy::<T>::iter().collect::<BTreeMap<_, _>>(),
			"BurnedBy differs from the records"
		);

		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut pending_count = 0u32;
		for (request, pending) in PendingBurns::<T>::iter() {
			ensure!(request < NextRequestId::<T>::get(), "pending burn under a future id");
			pending_count.saturating_inc();
			held.entry(pending.burner).or_default().saturating_accrue(pending.amount);
		}
		ensure!(pending_count == PendingBurns::<T>::count(), "pending counter is off");
		ensure!(pending_count <= T::MaxPendingBurns::get(), "too many pending burns");
		for (who, amount) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::LargeBurn.into(), &who) == amount,
				"held funds differ from pending burns"
			);
		}
		ensure!(
			!Destinations::<T>::get().contains(&LocalChainId::<T>::get()),
			"the chain is its own destination"
		);
		Ok(())
	}
}
