//! # Escrow pallet
//!
//! Payments that release only when conditions hold. The payer's funds stay **held on the
//! payer's account** (`HoldReason::Escrow`) until they are released to the payee or returned —
//! never moved to a pallet account — so balances and reports always show where money is.
//!
//! ## Terminology
//!
//! - **Escrow**: a payment from payer to payee in one or more **milestones**, each an amount
//!   with its own release [`Condition`]; an expiry; arbiters; the integrator's reference.
//! - **Condition**: a tree of leaves — `AfterBlock`/`AfterTime` (timelock), `Preimage`
//!   (hashlock), `Approvals { of, threshold }` (k-of-n), `Attested { oracle, statement }`,
//!   `Never` — combined with `All` / `Any` up to depth 4 (`tpchain_primitives::escrow`).
//! - **Escrow clock**: block numbers minus the blocks the pallet spent paused. Expiry is on
//!   this clock, so an emergency pause never lets escrows expire and refund.
//!
//! ## Scenarios
//!
//! - *B2B delivery*: `Attested { oracle: logistics, statement: hash("delivered order 42") }`;
//!   the oracle attests the statement for that escrow (`attest(id, statement)`).
//! - *Milestone payment*: two milestones, the first after a timelock and two of three
//!   approvals, the second on approval only.
//! - *Atomic swap*: `Preimage(h)`; the payee's `release` reveals the preimage in the event, which
//!   the counterparty uses on the other chain.
//! - *Dispute*: before expiry, and only while no unreleased milestone's condition holds, the
//!   payer or payee disputes, posting [`Config::DisputeBond`]; expiry stops; an arbiter splits
//!   what remains with `resolve`: the escrow's arbiters once the payee accepted them
//!   ([`Pallet::accept_arbiters`]), or the arbiter origin (governance) always. The bond goes to
//!   the party the resolution favours (back to the disputer on a tie or a mutual cancel).
//! - *Expiry*: after expiry anyone may `refund` what was not released (unless disputed).
//!
//! ## Safety considerations
//!
//! - All checks precede the first write; sums are checked; nothing is created or destroyed:
//!   `try_state` checks that the open escrows' remaining amounts equal `TotalHeld` and the
//!   holds under `HoldReason::Escrow`, and the deposits their hold (also in a randomized
//!   sequence test).
//! - Conditions, milestones, arbiters, approvers and references are bounded; a condition is
//!   validated as a tree before it is stored.
//! - While paused (governance emergency) funds do not move: create, release, refund, cancel and
//!   resolve are refused; approvals, attestations and disputes are still recorded.
//! - The payer cannot stack the odds: the arbiters it names resolve nothing until the payee
//!   accepts them; a dispute costs a bond that the loser forfeits; and a dispute is refused once
//!   a milestone's condition holds (the payee releases it instead), so a payer cannot freeze a
//!   payment that is due.
//! - Attestations are per escrow and count only while their oracle stays registered since
//!   before the attestation: removing an oracle voids all it attested, for good (a later
//!   re-registration does not revive them).

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
		fungible::{Inspect, InspectHold, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
		UnixTime,
	},
};
use frame_system::pallet_prelude::*;
use sp_core::H256;
use sp_runtime::traits::{CheckedAdd, CheckedMul, Saturating, Zero};
/// Id of an oracle's registration.
pub type RegistrationId = u64;

use tpchain_primitives::{
	burn::PaymentReference,
	escrow::{EscrowId, Facts, Leaf},
};

/// Balance type of the configured currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// An escrow with the runtime's types.
pub type EscrowOf<T> = Escrow<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxMilestones,
	<T as Config>::MaxArbiters,
>;
/// A milestone with the runtime's types.
pub type MilestoneOf<T> = Milestone<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// Longest preimage a hashlock release may reveal.
pub const MAX_PREIMAGE_LEN: u32 = 256;
/// Longest dispute reason.
pub const MAX_REASON_LEN: u32 = 256;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// Layout version; `migrations` upgrades from older ones.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(3);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The native currency; escrowed funds and deposits are holds on the payer.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// Wall-clock time for `AfterTime` conditions.
		type Time: UnixTime;

		/// May resolve any dispute (governance).
		type ArbiterOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// May register and remove oracles (governance).
		type OracleOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// May pause and unpause the pallet (governance emergency).
		type PauseOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Emergencies outside this pallet that stop escrow calls (safe mode, a paused escrow
		/// call): the escrow clock stands still while one is in force.
		type EmergencyStop: EmergencyStop;

		/// Storage deposit per escrow.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;

		/// Storage deposit per milestone.
		#[pallet::constant]
		type DepositPerMilestone: Get<BalanceOf<Self>>;

		/// Most milestones per escrow.
		#[pallet::constant]
		type MaxMilestones: Get<u32>;

		/// Most arbiters per escrow.
		#[pallet::constant]
		type MaxArbiters: Get<u32>;

		/// Most registered oracles.
		#[pallet::constant]
		type MaxOracles: Get<u32>;

		/// Held from whoever disputes an escrow; paid to the party the resolution favours.
		#[pallet::constant]
		type DisputeBond: Get<BalanceOf<Self>>;

		/// Weights from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Escrowed amounts, until release, refund, cancel or resolution.
		#[codec(index = 0)]
		Escrow,
		/// Storage deposits of open escrows.
		#[codec(index = 1)]
		EscrowDeposit,
		/// Bonds of open disputes.
		#[codec(index = 2)]
		DisputeBond,
	}

	/// Open escrows.
	#[pallet::storage]
	pub type Escrows<T: Config> = StorageMap<_, Blake2_128Concat, EscrowId, EscrowOf<T>>;

	/// Id of the next escrow.
	#[pallet::storage]
	pub type NextEscrowId<T> = StorageValue<_, EscrowId, ValueQuery>;

	/// Sum of the unreleased amounts of open escrows (= held under `HoldReason::Escrow`).
	#[pallet::storage]
	pub type TotalHeld<T: Config> = StorageValue<_, BalanceOf<T>, ValueQuery>;

	/// Escrows by participant.
	#[pallet::storage]
	pub type AccountEscrows<T: Config> =
		StorageDoubleMap<_, Blake2_128Concat, T::AccountId, Twox64Concat, EscrowId, Role>;

	/// Approvals: escrow → `(milestone, approver)`; cleared with the escrow in one prefix.
	#[pallet::storage]
	pub type Approvals<T: Config> =
		StorageDoubleMap<_, Twox64Concat, EscrowId, Blake2_128Concat, (u32, T::AccountId), ()>;

	/// Registered oracles, with the id of their registration.
	#[pallet::storage]
	pub type Oracles<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, RegistrationId>;

	/// Id of the next oracle registration (every registration gets a new one).
	#[pallet::storage]
	pub type NextRegistration<T: Config> = StorageValue<_, RegistrationId, ValueQuery>;

	/// Attestations: escrow → `(oracle, statement)` → the oracle's registration it was made
	/// under (it counts only while that registration lasts); cleared with the escrow. Bounded
	/// by the `Attested` leaves of the escrow's conditions.
	#[pallet::storage]
	pub type Attestations<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EscrowId,
		Blake2_128Concat,
		(T::AccountId, H256),
		RegistrationId,
	>;

	/// Block the pallet was paused in, while paused.
	#[pallet::storage]
	pub type PausedSince<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	/// Blocks the clock stood still before the current stop (subtracted by the escrow clock).
	#[pallet::storage]
	pub type PausedBlocks<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Whether an outside emergency ([`Config::EmergencyStop`]) stopped escrow calls as of the
	/// start of this block.
	#[pallet::storage]
	pub type ExternallyStopped<T: Config> = StorageValue<_, bool, ValueQuery>;

	/// Block the escrow clock stopped in (paused here or stopped from outside), while stopped.
	#[pallet::storage]
	pub type ClockStoppedSince<T: Config> = StorageValue<_, BlockNumberFor<T>, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An escrow was created; `amount` is held on the payer.
		EscrowCreated {
			id: EscrowId,
			payer: T::AccountId,
			payee: T::AccountId,
			amount: BalanceOf<T>,
			milestones: u32,
			expires_at: BlockNumberFor<T>,
			reference: PaymentReference,
		},
		/// An approver approved a milestone.
		MilestoneApproved { id: EscrowId, milestone: u32, by: T::AccountId },
		/// An oracle attested a statement for an escrow.
		StatementAttested { id: EscrowId, oracle: T::AccountId, statement: H256 },
		/// The payee accepted the arbiters the payer named.
		ArbitersAccepted { id: EscrowId },
		/// A milestone was paid to the payee (with the revealed preimage, if any).
		EscrowReleased {
			id: EscrowId,
			milestone: u32,
			to: T::AccountId,
			amount: BalanceOf<T>,
			preimage: Option<BoundedVec<u8, ConstU32<MAX_PREIMAGE_LEN>>>,
			reference: PaymentReference,
		},
		/// What was not released went back to the payer after expiry.
		EscrowRefunded {
			id: EscrowId,
			to: T::AccountId,
			amount: BalanceOf<T>,
			reference: PaymentReference,
		},
		/// Payer or payee asked to cancel; the other must agree.
		CancelRequested { id: EscrowId, by: T::AccountId },
		/// Cancelled by both: what remained went back to the payer.
		EscrowCancelled {
			id: EscrowId,
			to: T::AccountId,
			amount: BalanceOf<T>,
			reference: PaymentReference,
		},
		/// Payer or payee disputed, posting `bond`; expiry stops.
		EscrowDisputed {
			id: EscrowId,
			by: T::AccountId,
			bond: BalanceOf<T>,
			reason: BoundedVec<u8, ConstU32<MAX_REASON_LEN>>,
			reference: PaymentReference,
		},
		/// An arbiter split the remaining funds; the dispute bond went to `bond_to`.
		EscrowResolved {
			id: EscrowId,
			payee: T::AccountId,
			to_payee: BalanceOf<T>,
			payer: T::AccountId,
			to_payer: BalanceOf<T>,
			bond_to: T::AccountId,
			reference: PaymentReference,
		},
		/// An oracle was registered.
		OracleRegistered { oracle: T::AccountId },
		/// An oracle was removed.
		OracleRemoved { oracle: T::AccountId },
		/// Governance paused (`true`) or resumed (`false`) the pallet.
		PauseSet { paused: bool },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Payer and payee are the same account.
		PayerIsPayee,
		/// No milestones.
		NoMilestones,
		/// More milestones than `MaxMilestones`.
		TooManyMilestones,
		/// A milestone amount is zero.
		ZeroAmount,
		/// The amounts add up beyond the balance type.
		Overflow,
		/// A condition is not a valid tree.
		InvalidCondition,
		/// A condition names an oracle that is not registered.
		UnknownOracle,
		/// The expiry must be at least one block away.
		ZeroExpiry,
		/// More arbiters than `MaxArbiters`.
		TooManyArbiters,
		/// Arbiters must be sorted, unique, and not the payer or payee.
		BadArbiters,
		/// The reference is too long.
		ReferenceTooLong,
		/// The payer cannot hold the amount and the deposit.
		InsufficientBalance,
		/// No open escrow with this id.
		UnknownEscrow,
		/// No such milestone.
		UnknownMilestone,
		/// The milestone was already released.
		AlreadyReleased,
		/// The caller is not an approver of this milestone.
		NotApprover,
		/// The caller already approved this milestone.
		AlreadyApproved,
		/// The caller is not a registered oracle.
		NotOracle,
		/// The oracle is already registered.
		OracleExists,
		/// Too many oracles.
		TooManyOracles,
		/// This statement was already attested.
		AlreadyAttested,
		/// The milestone's condition does not hold (too early, wrong preimage, missing approvals).
		ConditionNotMet,
		/// The preimage is too long.
		PreimageTooLong,
		/// The escrow has not expired yet.
		NotExpired,
		/// The escrow has expired: disputes are no longer possible.
		Expired,
		/// The escrow is disputed: only a resolution moves its funds.
		Disputed,
		/// The escrow is not disputed.
		NotDisputed,
		/// Only the payer or the payee may do this.
		NotParty,
		/// The caller already asked to cancel.
		AlreadyRequested,
		/// The caller is not an arbiter of this escrow.
		NotArbiter,
		/// `to_payee + to_payer` differs from what remains.
		InvalidSplit,
		/// The reason is too long.
		ReasonTooLong,
		/// The pallet is paused by governance.
		Paused,
		/// The pallet is already in the requested pause state.
		PauseUnchanged,
		/// The escrow's conditions name no such oracle and statement (in an unreleased
		/// milestone).
		NotEscrowOracle,
		/// Only the payee may do this.
		NotPayee,
		/// The escrow has no arbiters.
		NoArbiters,
		/// The payee already accepted the arbiters.
		AlreadyAccepted,
		/// The payee has not accepted the escrow's arbiters: only governance resolves.
		ArbitersNotAccepted,
		/// A milestone's condition holds: release it rather than dispute.
		ConditionMet,
		/// The disputer cannot hold the dispute bond.
		InsufficientBond,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let stopped = T::EmergencyStop::stopped();
			let mut weight =
				T::DbWeight::get().reads(1u64.saturating_add(T::EmergencyStop::reads()));
			if stopped != ExternallyStopped::<T>::get() {
				ExternallyStopped::<T>::put(stopped);
				Self::sync_clock(now);
				weight.saturating_accrue(T::DbWeight::get().reads_writes(3, 3));
			}
			weight
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create an escrow to `payee` of `milestones` (amount and condition each), expiring
		/// `expires_in` blocks of the escrow clock from now. The sum and a deposit are held on the
		/// caller.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create(milestones.len() as u32))]
		pub fn create(
			origin: OriginFor<T>,
			payee: T::AccountId,
			milestones: Vec<MilestoneOf<T>>,
			expires_in: BlockNumberFor<T>,
			arbiters: Vec<T::AccountId>,
			reference: Vec<u8>,
		) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Self::ensure_running()?;
			ensure!(payer != payee, Error::<T>::PayerIsPayee);
			ensure!(!milestones.is_empty(), Error::<T>::NoMilestones);
			let milestones: BoundedVec<(MilestoneOf<T>, bool), T::MaxMilestones> = milestones
				.into_iter()
				.map(|m| (m, false))
				.collect::<Vec<_>>()
				.try_into()
				.map_err(|_| Error::<T>::TooManyMilestones)?;
			let mut amount = BalanceOf::<T>::zero();
			for (m, _) in milestones.iter() {
				ensure!(!m.amount.is_zero(), Error::<T>::ZeroAmount);
				amount = amount.checked_add(&m.amount).ok_or(Error::<T>::Overflow)?;
				m.condition.validate().map_err(|_| Error::<T>::InvalidCondition)?;
				for leaf in m.condition.leaves() {
					if let Leaf::Attested { oracle, .. } = leaf {
						ensure!(Oracles::<T>::contains_key(oracle), Error::<T>::UnknownOracle);
					}
				}
			}
			ensure!(!expires_in.is_zero(), Error::<T>::ZeroExpiry);
			let expires_at = Self::clock().checked_add(&expires_in).ok_or(Error::<T>::Overflow)?;
			let arbiters: BoundedVec<T::AccountId, T::MaxArbiters> =
				arbiters.try_into().map_err(|_| Error::<T>::TooManyArbiters)?;
			ensure!(
				arbiters.windows(2).all(|w| w[0] < w[1])
					&& !arbiters.contains(&payer)
					&& !arbiters.contains(&payee),
				Error::<T>::BadArbiters
			);
			let reference: PaymentReference =
				reference.try_into().map_err(|_| Error::<T>::ReferenceTooLong)?;
			let deposit = T::DepositPerMilestone::get()
				.checked_mul(&(milestones.len() as u32).into())
				.and_then(|d| d.checked_add(&T::DepositBase::get()))
				.ok_or(Error::<T>::Overflow)?;
			let total_held =
				TotalHeld::<T>::get().checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			let id = NextEscrowId::<T>::get();
			let next_id = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let needed = amount.checked_add(&deposit).ok_or(Error::<T>::Overflow)?;
			ensure!(
				T::Currency::reducible_balance(
					&payer,
					frame_support::traits::tokens::Preservation::Preserve,
					Fortitude::Polite
				) >= needed,
				Error::<T>::InsufficientBalance
			);

			T::Currency::hold(&HoldReason::Escrow.into(), &payer, amount)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			T::Currency::hold(&HoldReason::EscrowDeposit.into(), &payer, deposit)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			NextEscrowId::<T>::put(next_id);
			TotalHeld::<T>::put(total_held);
			AccountEscrows::<T>::insert(&payer, id, Role::Payer);
			AccountEscrows::<T>::insert(&payee, id, Role::Payee);
			for arbiter in arbiters.iter() {
				AccountEscrows::<T>::insert(arbiter, id, Role::Arbiter);
			}
			let count = milestones.len() as u32;
			Escrows::<T>::insert(
				id,
				Escrow {
					payer: payer.clone(),
					payee: payee.clone(),
					milestones,
					expires_at,
					arbiters,
					reference: reference.clone(),
					deposit,
					state: EscrowState::Open,
					cancel_requested_by: None,
					arbiters_accepted: false,
				},
			);
			Self::deposit_event(Event::EscrowCreated {
				id,
				payer,
				payee,
				amount,
				milestones: count,
				expires_at,
				reference,
			});
			Ok(())
		}

		/// Approve milestone `milestone` of escrow `id`, as one of the accounts its condition
		/// lists in an `Approvals` leaf.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::approve())]
		pub fn approve(origin: OriginFor<T>, id: EscrowId, milestone: u32) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
			let (m, released) =
				escrow.milestones.get(milestone as usize).ok_or(Error::<T>::UnknownMilestone)?;
			ensure!(!released, Error::<T>::AlreadyReleased);
			let listed = m.condition.leaves().any(|l| match l {
				Leaf::Approvals { of, .. } => of.contains(&who),
				_ => false,
			});
			ensure!(listed, Error::<T>::NotApprover);
			ensure!(
				!Approvals::<T>::contains_key(id, (milestone, &who)),
				Error::<T>::AlreadyApproved
			);
			Approvals::<T>::insert(id, (milestone, &who), ());
			Self::deposit_event(Event::MilestoneApproved { id, milestone, by: who });
			Ok(())
		}

		/// Attest `statement` for escrow `id`, as a registered oracle that an unreleased
		/// milestone's condition names with that statement.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::attest())]
		pub fn attest(origin: OriginFor<T>, id: EscrowId, statement: H256) -> DispatchResult {
			let oracle = ensure_signed(origin)?;
			let registration = Oracles::<T>::get(&oracle).ok_or(Error::<T>::NotOracle)?;
			let escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
			let named = escrow.milestones.iter().filter(|(_, released)| !released).any(|(m, _)| {
				m.condition.leaves().any(|l| {
					matches!(l, Leaf::Attested { oracle: o, statement: s }
						if *o == oracle && *s == statement)
				})
			});
			ensure!(named, Error::<T>::NotEscrowOracle);
			let key = (oracle.clone(), statement);
			// A void attestation (of an earlier registration) may be made again.
			ensure!(
				Attestations::<T>::get(id, &key) != Some(registration),
				Error::<T>::AlreadyAttested
			);
			Attestations::<T>::insert(id, key, registration);
			Self::deposit_event(Event::StatementAttested { id, oracle, statement });
			Ok(())
		}

		/// Release milestone `milestone` of escrow `id` to the payee once its condition holds;
		/// anyone may call. `preimage` reveals the secret of a hashlock.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::release())]
		pub fn release(
			origin: OriginFor<T>,
			id: EscrowId,
			milestone: u32,
			preimage: Option<Vec<u8>>,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::ensure_running()?;
			let mut escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
			ensure!(escrow.state == EscrowState::Open, Error::<T>::Disputed);
			let preimage: Option<BoundedVec<u8, ConstU32<MAX_PREIMAGE_LEN>>> = preimage
				.map(|p| p.try_into().map_err(|_| Error::<T>::PreimageTooLong))
				.transpose()?;
			let (m, released) = escrow
				.milestones
				.get_mut(milestone as usize)
				.ok_or(Error::<T>::UnknownMilestone)?;
			ensure!(!*released, Error::<T>::AlreadyReleased);
			let facts = ReleaseFacts::<T>::at(
				id,
				milestone,
				frame_system::Pallet::<T>::block_number(),
				preimage.as_ref().map(|p| H256(sp_io::hashing::blake2_256(p))),
			);
			ensure!(m.condition.holds(&facts), Error::<T>::ConditionNotMet);
			let amount = m.amount;
			*released = true;
			Self::pay(&escrow.payer, &escrow.payee, amount)?;
			TotalHeld::<T>::mutate(|t| t.saturating_reduce(amount));
			Self::deposit_event(Event::EscrowReleased {
				id,
				milestone,
				to: escrow.payee.clone(),
				amount,
				preimage,
				reference: escrow.reference.clone(),
			});
			if escrow.milestones.iter().all(|(_, released)| *released) {
				Self::close(id, &escrow)?;
			} else {
				Escrows::<T>::insert(id, escrow);
			}
			Ok(())
		}

		/// Return what was not released to the payer once the escrow expired (on the escrow
		/// clock) and is not disputed; anyone may call.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::refund())]
		pub fn refund(origin: OriginFor<T>, id: EscrowId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::ensure_running()?;
			let escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
			ensure!(escrow.state == EscrowState::Open, Error::<T>::Disputed);
			ensure!(Self::clock() >= escrow.expires_at, Error::<T>::NotExpired);
			let amount = Self::remaining(&escrow);
			Self::unhold(&escrow.payer, amount)?;
			TotalHeld::<T>::mutate(|t| t.saturating_reduce(amount));
			Self::close(id, &escrow)?;
			Self::deposit_event(Event::EscrowRefunded {
				id,
				to: escrow.payer,
				amount,
				reference: escrow.reference,
			});
			Ok(())
		}

		/// Cancel by mutual consent: the first of payer and payee asks, the other's call
		/// returns what remains to the payer.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, id: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_running()?;
			let mut escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
			ensure!(who == escrow.payer || who == escrow.payee, Error::<T>::NotParty);
			match &escrow.cancel_requested_by {
				None => {
					escrow.cancel_requested_by = Some(who.clone());
					Escrows::<T>::insert(id, escrow);
					Self::deposit_event(Event::CancelRequested { id, by: who });
				},
				Some(by) if *by == who => return Err(Error::<T>::AlreadyRequested.into()),
				Some(_) => {
					let amount = Self::remaining(&escrow);
					// A dispute ended by agreement: its bond goes back to the disputer.
					if let EscrowState::Disputed { by, bond } = &escrow.state {
						Self::settle_bond(by, by, *bond)?;
					}
					Self::unhold(&escrow.payer, amount)?;
					TotalHeld::<T>::mutate(|t| t.saturating_reduce(amount));
					Self::close(id, &escrow)?;
					Self::deposit_event(Event::EscrowCancelled {
						id,
						to: escrow.payer,
						amount,
						reference: escrow.reference,
					});
				},
			}
			Ok(())
		}

		/// Dispute escrow `id`, as payer or payee, before it expires and while no unreleased
		/// milestone's condition holds, posting [`Config::DisputeBond`]. Expiry stops; only an
		/// arbiter's `resolve` (or a mutual `cancel`) moves the funds from now on.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::dispute())]
		pub fn dispute(origin: OriginFor<T>, id: EscrowId, reason: Vec<u8>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
			ensure!(who == escrow.payer || who == escrow.payee, Error::<T>::NotParty);
			ensure!(escrow.state == EscrowState::Open, Error::<T>::Disputed);
			ensure!(Self::clock() < escrow.expires_at, Error::<T>::Expired);
			let reason: BoundedVec<u8, ConstU32<MAX_REASON_LEN>> =
				reason.try_into().map_err(|_| Error::<T>::ReasonTooLong)?;
			let now = frame_system::Pallet::<T>::block_number();
			let due = escrow.milestones.iter().enumerate().any(|(i, (m, released))| {
				!released && m.condition.holds(&ReleaseFacts::<T>::at(id, i as u32, now, None))
			});
			ensure!(!due, Error::<T>::ConditionMet);
			let bond = T::DisputeBond::get();
			let reason_id = HoldReason::DisputeBond.into();
			ensure!(T::Currency::can_hold(&reason_id, &who, bond), Error::<T>::InsufficientBond);
			T::Currency::hold(&reason_id, &who, bond).map_err(|_| Error::<T>::InsufficientBond)?;
			escrow.state = EscrowState::Disputed { by: who.clone(), bond };
			let reference = escrow.reference.clone();
			Escrows::<T>::insert(id, escrow);
			Self::deposit_event(Event::EscrowDisputed { id, by: who, bond, reason, reference });
			Ok(())
		}

		/// Resolve a dispute: pay `to_payee` to the payee and return `to_payer` to the payer;
		/// together exactly what remains. By one of the escrow's arbiters (once the payee
		/// accepted them) or the arbiter origin. The dispute bond goes to the party that gets
		/// more (back to the disputer on an even split).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::resolve())]
		pub fn resolve(
			origin: OriginFor<T>,
			id: EscrowId,
			to_payee: BalanceOf<T>,
			to_payer: BalanceOf<T>,
		) -> DispatchResult {
			let governance = T::ArbiterOrigin::try_origin(origin);
			Self::ensure_running()?;
			let escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
			if let Err(origin) = governance {
				let who = ensure_signed(origin)?;
				ensure!(escrow.arbiters.binary_search(&who).is_ok(), Error::<T>::NotArbiter);
				ensure!(escrow.arbiters_accepted, Error::<T>::ArbitersNotAccepted);
			}
			let (disputer, bond) = match &escrow.state {
				EscrowState::Disputed { by, bond } => (by.clone(), *bond),
				EscrowState::Open => return Err(Error::<T>::NotDisputed.into()),
			};
			let remaining = Self::remaining(&escrow);
			ensure!(to_payee.checked_add(&to_payer) == Some(remaining), Error::<T>::InvalidSplit);
			let bond_to = match to_payee.cmp(&to_payer) {
				core::cmp::Ordering::Greater => escrow.payee.clone(),
				core::cmp::Ordering::Less => escrow.payer.clone(),
				core::cmp::Ordering::Equal => disputer.clone(),
			};
			Self::settle_bond(&disputer, &bond_to, bond)?;
			Self::pay(&escrow.payer, &escrow.payee, to_payee)?;
			Self::unhold(&escrow.payer, to_payer)?;
			TotalHeld::<T>::mutate(|t| t.saturating_reduce(remaining));
			Self::close(id, &escrow)?;
			Self::deposit_event(Event::EscrowResolved {
				id,
				payee: escrow.payee,
				to_payee,
				payer: escrow.payer,
				to_payer,
				bond_to,
				reference: escrow.reference,
			});
			Ok(())
		}

		/// Register an oracle (governance).
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::register_oracle())]
		pub fn register_oracle(origin: OriginFor<T>, oracle: T::AccountId) -> DispatchResult {
			T::OracleOrigin::ensure_origin(origin)?;
			ensure!(!Oracles::<T>::contains_key(&oracle), Error::<T>::OracleExists);
			ensure!(Oracles::<T>::count() < T::MaxOracles::get(), Error::<T>::TooManyOracles);
			let registration = NextRegistration::<T>::get();
			let next = registration.checked_add(1).ok_or(Error::<T>::Overflow)?;
			Oracles::<T>::insert(&oracle, registration);
			NextRegistration::<T>::put(next);
			Self::deposit_event(Event::OracleRegistered { oracle });
			Ok(())
		}

		/// Remove an oracle (governance). Everything it attested is void from now on, also if it
		/// is registered again later.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::remove_oracle())]
		pub fn remove_oracle(origin: OriginFor<T>, oracle: T::AccountId) -> DispatchResult {
			T::OracleOrigin::ensure_origin(origin)?;
			ensure!(Oracles::<T>::contains_key(&oracle), Error::<T>::NotOracle);
			Oracles::<T>::remove(&oracle);
			Self::deposit_event(Event::OracleRemoved { oracle });
			Ok(())
		}

		/// Pause (`true`) or resume (`false`) the movement of escrowed funds (governance
		/// emergency). The escrow clock stands still while paused.
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::set_paused())]
		pub fn set_paused(origin: OriginFor<T>, paused: bool) -> DispatchResult {
			T::PauseOrigin::ensure_origin(origin)?;
			let now = frame_system::Pallet::<T>::block_number();
			match (PausedSince::<T>::get(), paused) {
				(None, true) => PausedSince::<T>::put(now),
				(Some(_), false) => PausedSince::<T>::kill(),
				_ => return Err(Error::<T>::PauseUnchanged.into()),
			}
			Self::sync_clock(now);
			Self::deposit_event(Event::PauseSet { paused });
			Ok(())
		}

		/// Accept the arbiters the payer named for escrow `id`, as its payee: from now on they
		/// may resolve its disputes.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::accept_arbiters())]
		pub fn accept_arbiters(origin: OriginFor<T>, id: EscrowId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut escrow = Escrows::<T>::get(id).ok_or(Error::<T>::UnknownEscrow)?;
			ensure!(who == escrow.payee, Error::<T>::NotPayee);
			ensure!(!escrow.arbiters.is_empty(), Error::<T>::NoArbiters);
			ensure!(!escrow.arbiters_accepted, Error::<T>::AlreadyAccepted);
			escrow.arbiters_accepted = true;
			Escrows::<T>::insert(id, escrow);
			Self::deposit_event(Event::ArbitersAccepted { id });
			Ok(())
		}
	}
}

/// Emergencies outside the escrow pallet that stop its calls.
pub trait EmergencyStop {
	/// Whether escrow calls are stopped now.
	fn stopped() -> bool;
	/// Storage reads `stopped` makes (charged in every block's `on_initialize`).
	fn reads() -> u64;
}

impl EmergencyStop for () {
	fn stopped() -> bool {
		false
	}
	fn reads() -> u64 {
		0
	}
}

/// What a milestone's condition is evaluated against at release.
struct ReleaseFacts<T: Config> {
	id: EscrowId,
	milestone: u32,
	block: BlockNumberFor<T>,
	time: u64,
	revealed: Option<H256>,
}

impl<T: Config> Facts<T::AccountId> for ReleaseFacts<T> {
	fn block(&self) -> u32 {
		self.block.try_into().unwrap_or(u32::MAX)
	}
	fn time(&self) -> u64 {
		self.time
	}
	fn revealed(&self, hash: &H256) -> bool {
		self.revealed.as_ref() == Some(hash)
	}
	fn approved(&self, who: &T::AccountId) -> bool {
		Approvals::<T>::contains_key(self.id, (self.milestone, who))
	}
	fn attested(&self, oracle: &T::AccountId, statement: &H256) -> bool {
		// Void once the oracle was removed, even if registered again since.
		Attestations::<T>::get(self.id, (oracle.clone(), *statement))
			.is_some_and(|made_under| Oracles::<T>::get(oracle) == Some(made_under))
	}
}

impl<T: Config> ReleaseFacts<T> {
	/// The facts of milestone `milestone` of escrow `id` at block `block`, with the preimage
	/// hash a release reveals (if any).
	fn at(id: EscrowId, milestone: u32, block: BlockNumberFor<T>, revealed: Option<H256>) -> Self {
		Self { id, milestone, block, time: T::Time::now().as_millis() as u64, revealed }
	}
}

impl<T: Config> Pallet<T> {
	fn ensure_running() -> DispatchResult {
		ensure!(PausedSince::<T>::get().is_none(), Error::<T>::Paused);
		Ok(())
	}

	/// The escrow clock: block number minus the blocks it stood still (paused here, or
	/// stopped by an outside emergency; overlapping stops count once).
	pub fn clock() -> BlockNumberFor<T> {
		let now = frame_system::Pallet::<T>::block_number();
		let current_stop =
			ClockStoppedSince::<T>::get().map(|s| now.saturating_sub(s)).unwrap_or_default();
		now.saturating_sub(PausedBlocks::<T>::get()).saturating_sub(current_stop)
	}

	/// Starts or stops the clock's standstill to match the pause and outside emergencies.
	fn sync_clock(now: BlockNumberFor<T>) {
		let stopped = PausedSince::<T>::get().is_some() || ExternallyStopped::<T>::get();
		match (ClockStoppedSince::<T>::get(), stopped) {
			(None, true) => ClockStoppedSince::<T>::put(now),
			(Some(since), false) => {
				PausedBlocks::<T>::mutate(|p| p.saturating_accrue(now.saturating_sub(since)));
				ClockStoppedSince::<T>::kill();
			},
			_ => {},
		}
	}

	/// Unreleased amount of an escrow.
	pub fn remaining(escrow: &EscrowOf<T>) -> BalanceOf<T> {
		escrow
			.milestones
			.iter()
			.filter(|(_, released)| !released)
			.fold(Zero::zero(), |acc: BalanceOf<T>, (m, _)| acc.saturating_add(m.amount))
	}

	/// Moves `amount` from the payer's escrow hold to the payee's free balance, whatever freeze
	/// the payer has: held funds are owed to the payee, so a payer freezing itself (say through
	/// its own guardians) cannot block a release or a resolution.
	fn pay(payer: &T::AccountId, payee: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer_on_hold(
			&HoldReason::Escrow.into(),
			payer,
			payee,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Force,
		)
		.map(|_| ())
	}

	/// Returns `amount` of the payer's escrow hold to the payer's free balance.
	fn unhold(payer: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::release(&HoldReason::Escrow.into(), payer, amount, Precision::Exact)
			.map(|_| ())
	}

	/// Pays a dispute bond held from `disputer` to `to` (released if `to` is the disputer),
	/// whatever freeze the disputer has.
	fn settle_bond(
		disputer: &T::AccountId,
		to: &T::AccountId,
		bond: BalanceOf<T>,
	) -> DispatchResult {
		if bond.is_zero() {
			return Ok(());
		}
		let reason = HoldReason::DisputeBond.into();
		if disputer == to {
			T::Currency::release(&reason, disputer, bond, Precision::Exact).map(|_| ())
		} else {
			T::Currency::transfer_on_hold(
				&reason,
				disputer,
				to,
				bond,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)
			.map(|_| ())
		}
	}

	/// Removes a finished escrow: deposit back, indices and approvals cleared.
	fn close(id: EscrowId, escrow: &EscrowOf<T>) -> DispatchResult {
		T::Currency::release(
			&HoldReason::EscrowDeposit.into(),
			&escrow.payer,
			escrow.deposit,
			Precision::Exact,
		)?;
		AccountEscrows::<T>::remove(&escrow.payer, id);
		AccountEscrows::<T>::remove(&escrow.payee, id);
		for arbiter in escrow.arbiters.iter() {
			AccountEscrows::<T>::remove(arbiter, id);
		}
		// Bounded: approvers and oracles are listed in the escrow's conditions.
		let _ = Approvals::<T>::clear_prefix(id, u32::MAX, None);
		let _ = Attestations::<T>::clear_prefix(id, u32::MAX, None);
		Escrows::<T>::remove(id);
		Ok(())
	}

	/// Escrows `who` takes part in, with the role.
	pub fn by_account(who: &T::AccountId) -> Vec<(EscrowId, Role)> {
		AccountEscrows::<T>::iter_prefix(who).collect()
	}

	/// Invariants: open escrows' remaining amounts = `TotalHeld` = the escrow holds; deposits
	/// = the deposit holds; the participant index matches.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;

		ensure!(
			ClockStoppedSince::<T>::get().is_some()
				== (PausedSince::<T>::get().is_some() || ExternallyStopped::<T>::get()),
			"escrow clock running while stopped (or stopped while running)"
		);
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut bonds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut total = BalanceOf::<T>::zero();
		let mut index_entries = 0usize;
		for (id, escrow) in Escrows::<T>::iter() {
			ensure!(id < NextEscrowId::<T>::get(), "escrow under a future id");
			ensure!(
				escrow.milestones.iter().any(|(_, released)| !released),
				"fully released escrow left open"
			);
			let remaining = Self::remaining(&escrow);
			total.saturating_accrue(remaining);
			held.entry(escrow.payer.clone()).or_default().saturating_accrue(remaining);
			deposits.entry(escrow.payer.clone()).or_default().saturating_accrue(escrow.deposit);
			ensure!(
				AccountEscrows::<T>::get(&escrow.payer, id) == Some(Role::Payer)
					&& AccountEscrows::<T>::get(&escrow.payee, id) == Some(Role::Payee),
				"participant index misses a party"
			);
			index_entries = index_entries.saturating_add(2 + escrow.arbiters.len());
			if let EscrowState::Disputed { by, bond } = &escrow.state {
				bonds.entry(by.clone()).or_default().saturating_accrue(*bond);
			}
		}
		for (id, _) in Attestations::<T>::iter_keys() {
			ensure!(Escrows::<T>::contains_key(id), "attestation of a closed escrow");
		}
		for (who, amount) in bonds {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::DisputeBond.into(), &who) == amount,
				"dispute bond hold differs from the open disputes"
			);
		}
		ensure!(total == TotalHeld::<T>::get(), "TotalHeld differs from the open escrows");
		for (who, amount) in held {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::Escrow.into(), &who) == amount,
				"escrow hold differs from the open escrows"
			);
		}
		for (who, amount) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::EscrowDeposit.into(), &who) == amount,
				"deposit hold differs from the open escrows"
			);
		}
		ensure!(AccountEscrows::<T>::iter().count() == index_entries, "stale participant index");
		ensure!(Oracles::<T>::count() <= T::MaxOracles::get(), "too many oracles");
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// The runtime API's view of escrow `id`.
	pub fn view(
		id: EscrowId,
	) -> Option<tpchain_primitives::escrow::EscrowView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>>
	{
		let e = Escrows::<T>::get(id)?;
		Some(tpchain_primitives::escrow::EscrowView {
			id,
			remaining: Self::remaining(&e),
			clock: Self::clock(),
			payer: e.payer,
			payee: e.payee,
			milestones: e.milestones.into_iter().map(|(m, r)| (m.amount, m.condition, r)).collect(),
			expires_at: e.expires_at,
			arbiters: e.arbiters.into_inner(),
			reference: e.reference.into_inner(),
			deposit: e.deposit,
			dispute_bond: match &e.state {
				EscrowState::Disputed { bond, .. } => Some(*bond),
				EscrowState::Open => None,
			},
			disputed_by: match e.state {
				EscrowState::Disputed { by, .. } => Some(by),
				EscrowState::Open => None,
			},
			cancel_requested_by: e.cancel_requested_by,
			arbiters_accepted: e.arbiters_accepted,
		})
	}
}
