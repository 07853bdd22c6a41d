//! # Guardian-recovery pallet
//!
//! An account names **guardians** (people, institutions, a multisig) who can restore access when
//! its key is lost and stop a thief when it is stolen — while no single guardian, and not the
//! operators, can take the account.
//!
//! ## Terminology
//!
//! - **Owner**: the account's own key. **Lost account**: the account being recovered.
//! - **Guardian set**: sorted, unique guardians, a `threshold` (1 ≤ threshold ≤ n) and a `delay`
//!   (at least [`Config::MinDelay`]). A deposit proportional to its size is held from the owner.
//! - **Recovery**: opened by `initiate(lost, new_account)` — by a guardian, or by anyone posting
//!   [`Config::InitiationBond`]. Once `threshold` guardians `approve` and `delay` blocks have
//!   passed, `finalize` lets `new_account` act as the lost account through `as_recovered`.
//! - **Freeze**: `threshold` guardians voting `freeze` lock the owner's key out: the whole balance
//!   is frozen (so it cannot even pay fees) and this pallet refuses the owner's calls.
//!
//! ## Scenarios
//!
//! - *Lost phone*: Alice loses her key. Guardian Bob initiates a recovery to Alice's new account,
//!   Bob and Carol approve (2 of 3); after the delay anyone finalizes, and the new account moves
//!   everything out with `as_recovered(lost, transfer_all)`.
//! - *Stolen key*: a thief has Alice's key. Two guardians `freeze` the account: the thief can no
//!   longer transfer, pay fees, cancel the recovery or swap the guardians. The guardians recover
//!   to Alice's new key; the freeze stays until they `unfreeze` (the thief still holds the old
//!   key), and `as_recovered` lifts it only for the duration of each recovered call.
//! - *Malicious guardian*: one guardian initiates a recovery to himself. He cannot approve
//!   beyond his own single vote; the owner `cancel`s. The owner then schedules a new guardian set
//!   without him; it applies only after the delay, and never while a recovery is open.
//! - *Malicious initiator*: a stranger posts the bond and opens a recovery to his account. No
//!   guardian approves; the owner cancels during the delay and **receives the bond**: a false alarm
//!   costs the one who raised it.
//! - *Jammed recovery*: a stranger opens a recovery of an account whose key is already lost, so
//!   the owner cannot cancel it. A guardian's own `initiate` replaces it (the stranger's bond
//!   goes to the owner) and the guardians recover as usual. A recovery a guardian opened is
//!   closed by a threshold of the guardians who did not approve it (`close_recovery`), by the
//!   force origin (`force_close_recovery`), or by anyone once it has stood
//!   [`Config::RecoveryExpiry`] blocks without reaching its threshold (`close_expired_recovery`).
//! - *Last resort*: no guardian is reachable (or none were named). The force origin (governance)
//!   opens a forced recovery, which needs no approvals but waits [`Config::ForceRecoveryDelay`]
//!   (long: the owner, if alive, cancels in the meantime).
//!
//! ## Safety considerations
//!
//! - **Owner cancel vs guardian freeze.** The owner can cancel any open recovery, so a minority
//!   of guardians or a stranger can never take the account. But a thief holding the key could
//!   cancel too — which is why `threshold` guardians can freeze the key. The trade-off: a
//!   threshold of guardians is *fully trusted*. If that many collude they can freeze the owner and
//!   recover to themselves after the delay; the delay only gives the owner time to notice
//!   off-chain. Choose guardians and threshold with that in mind.
//! - A guardian change takes effect only after the current delay, is refused while a recovery is
//!   open or the account is frozen: a thief cannot swap the guardians before they react.
//! - **No recovery stays open for good.** An open recovery leaves by `finalize`, the owner's
//!   `cancel`, a guardian's replacing `initiate` (if no guardian opened it), a threshold of
//!   non-approving guardians, the force origin, or expiry (unapproved after
//!   [`Config::RecoveryExpiry`]); `force_recovery` replaces any open recovery that is not forced.
//!   So neither a stranger nor a single guardian can block the real recovery, a forced one or a
//!   guardian change.
//! - Bonds move with `Fortitude::Force`: an initiator who froze its own balance cannot stop its
//!   bond from paying the owner.
//! - `as_recovered` cannot re-enter this pallet (a guard flag refuses every call of this pallet
//!   while a recovered call runs, also when nested in `batch` or `multisig`).
//! - All checks run before the first write; bonds and deposits are holds, never transfers to a
//!   pallet account; `try_state` checks that holds match the stored deposits and bonds.

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

use alloc::{boxed::Box, vec::Vec};
use frame_support::{
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Mutate, MutateFreeze, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
	},
};
use frame_system::pallet_prelude::*;
use sp_runtime::traits::{Bounded, CheckedAdd, CheckedMul, Dispatchable, Zero};
use tpchain_primitives::recovery::{ActiveRecoveryView, GuardianSet, RecoveryStatus};

/// Balance type of the configured currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A guardian configuration with the runtime's types.
pub type ConfigOf<T> = GuardianConfig<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxGuardians,
>;
/// A pending change with the runtime's types.
pub type PendingChangeOf<T> = PendingChange<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxGuardians,
>;
/// An open recovery with the runtime's types.
pub type RecoveryOf<T> = ActiveRecovery<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxGuardians,
>;
/// Freeze votes with the runtime's types.
pub type FreezeStateOf<T> =
	FreezeState<<T as frame_system::Config>::AccountId, <T as Config>::MaxGuardians>;

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
		/// The calls a rescuer may dispatch as the recovered account.
		type RuntimeCall: Parameter
			+ Dispatchable<RuntimeOrigin = Self::RuntimeOrigin, PostInfo = PostDispatchInfo>
			+ GetDispatchInfo
			+ From<frame_system::Call<Self>>;

		/// The native currency: deposits and bonds are holds, freezes lock a stolen key out.
		type Currency: Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ MutateFreeze<Self::AccountId, Id = Self::RuntimeFreezeReason>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The overarching freeze reason.
		type RuntimeFreezeReason: From<FreezeReason>;

		/// May open a forced recovery (governance).
		type ForceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Deposit for a guardian set, plus [`Config::DepositPerGuardian`] per guardian.
		#[pallet::constant]
		type DepositBase: Get<BalanceOf<Self>>;

		/// Deposit per guardian.
		#[pallet::constant]
		type DepositPerGuardian: Get<BalanceOf<Self>>;

		/// Bond a non-guardian posts to open a recovery; paid to the owner if the owner cancels.
		#[pallet::constant]
		type InitiationBond: Get<BalanceOf<Self>>;

		/// Most guardians an account may name.
		#[pallet::constant]
		type MaxGuardians: Get<u32>;

		/// Shortest delay an account may choose.
		#[pallet::constant]
		type MinDelay: Get<BlockNumberFor<Self>>;

		/// How long a forced recovery waits before it can be finalized.
		#[pallet::constant]
		type ForceRecoveryDelay: Get<BlockNumberFor<Self>>;

		/// Blocks after which a (not forced) recovery with fewer approvals than the threshold
		/// expires: anyone may close it and a new `initiate` replaces it.
		#[pallet::constant]
		type RecoveryExpiry: Get<BlockNumberFor<Self>>;

		/// Weights from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit for a guardian set (current or scheduled).
		#[codec(index = 0)]
		GuardianConfig,
		/// Bond of a non-guardian who opened a recovery.
		#[codec(index = 1)]
		InitiatorBond,
	}

	/// Why this pallet freezes funds.
	#[pallet::composite_enum]
	pub enum FreezeReason {
		/// The guardians froze the account's own key.
		#[codec(index = 0)]
		GuardianFreeze,
	}

	/// Guardian sets in force.
	#[pallet::storage]
	pub type Guardians<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, ConfigOf<T>>;

	/// Scheduled guardian changes.
	#[pallet::storage]
	pub type PendingChanges<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PendingChangeOf<T>>;

	/// Open recoveries, by lost account.
	#[pallet::storage]
	pub type Recoveries<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, RecoveryOf<T>>;

	/// Finished recoveries: lost account → the account that controls it.
	#[pallet::storage]
	pub type Recovered<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, T::AccountId>;

	/// Freeze state and votes, by account.
	#[pallet::storage]
	pub type Freezes<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, FreezeStateOf<T>>;

	/// Set while `as_recovered` dispatches, so the recovered call cannot re-enter this pallet.
	#[pallet::storage]
	pub type Dispatching<T> = StorageValue<_, bool, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An account named its first guardian set.
		GuardiansSet { account: T::AccountId, threshold: u32, delay: BlockNumberFor<T> },
		/// A change of an account's guardians was scheduled (`removal`: no guardians after it).
		GuardianChangeScheduled {
			account: T::AccountId,
			effective_at: BlockNumberFor<T>,
			removal: bool,
		},
		/// A scheduled change took effect.
		GuardianChangeApplied { account: T::AccountId },
		/// The owner withdrew a scheduled change.
		GuardianChangeCancelled { account: T::AccountId },
		/// A recovery was opened.
		RecoveryInitiated {
			lost: T::AccountId,
			initiator: T::AccountId,
			new_account: T::AccountId,
			bond: BalanceOf<T>,
		},
		/// Governance opened a forced recovery.
		RecoveryForced { lost: T::AccountId, new_account: T::AccountId },
		/// A guardian approved a recovery.
		RecoveryApproved { lost: T::AccountId, guardian: T::AccountId, approvals: u32 },
		/// A recovery finished: `new_account` controls `lost`.
		RecoveryFinalized { lost: T::AccountId, new_account: T::AccountId },
		/// The owner cancelled a recovery; the bond went to the owner.
		RecoveryCancelled { lost: T::AccountId, bond_to_owner: BalanceOf<T> },
		/// An open recovery was closed without the owner (see [`CloseReason`]); the bond went to
		/// the owner.
		RecoveryClosed { lost: T::AccountId, reason: CloseReason, bond_to_owner: BalanceOf<T> },
		/// A guardian voted to close an open recovery.
		RecoveryObjected { lost: T::AccountId, guardian: T::AccountId, objections: u32 },
		/// A guardian voted to freeze (or to unfreeze) an account.
		FreezeVoted { account: T::AccountId, guardian: T::AccountId, votes: u32 },
		/// The guardians froze an account's own key.
		AccountFrozen { account: T::AccountId },
		/// The guardians lifted the freeze.
		AccountUnfrozen { account: T::AccountId },
		/// A rescuer dispatched a call as a recovered account.
		RecoveredCallDispatched {
			lost: T::AccountId,
			rescuer: T::AccountId,
			result: DispatchResult,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// Guardians must be sorted and unique.
		NotSortedAndUnique,
		/// More guardians than `MaxGuardians`.
		TooManyGuardians,
		/// At least one guardian is needed.
		NoGuardians,
		/// An account cannot guard itself.
		SelfGuardian,
		/// The threshold must be between 1 and the number of guardians.
		InvalidThreshold,
		/// The delay is shorter than `MinDelay`.
		DelayTooShort,
		/// The account has no guardians.
		NoGuardianSet,
		/// A change is already scheduled.
		ChangePending,
		/// No change is scheduled.
		NoPendingChange,
		/// The scheduled change is not due yet.
		ChangeNotDue,
		/// A recovery of this account is open.
		RecoveryOpen,
		/// No recovery of this account is open.
		NoRecovery,
		/// The caller is not a guardian of this account.
		NotGuardian,
		/// This guardian already approved (or already voted).
		AlreadyVoted,
		/// Fewer approvals than the threshold.
		ThresholdNotMet,
		/// The delay has not passed.
		DelayNotPassed,
		/// The account's own key is frozen by its guardians.
		Frozen,
		/// Only the lost account's own key may cancel its recovery.
		NotOwner,
		/// The account is not frozen.
		NotFrozen,
		/// The account is already frozen.
		AlreadyFrozen,
		/// The caller does not control this recovered account.
		NotRescuer,
		/// The account was already recovered.
		AlreadyRecovered,
		/// The new account must differ from the lost one.
		SameAccount,
		/// Not enough free balance for the deposit or bond.
		InsufficientBalance,
		/// A call of this pallet inside `as_recovered`.
		Reentrancy,
		/// A guardian who approved the recovery cannot vote to close it.
		ApprovedByCaller,
		/// The recovery has its approvals, is forced, or has not stood `RecoveryExpiry` blocks.
		NotExpired,
		/// A block number or amount overflowed.
		Overflow,
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
		/// Name guardians. The first set applies at once; later ones (and removal, see
		/// [`Pallet::remove_guardians`]) are scheduled and apply after the current delay.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::set_guardians(guardians.len() as u32))]
		pub fn set_guardians(
			origin: OriginFor<T>,
			guardians: Vec<T::AccountId>,
			threshold: u32,
			delay: BlockNumberFor<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			Self::ensure_owner_may_act(&who)?;
			let guardians = Self::validate_guardians(&who, guardians, threshold, delay)?;
			let deposit = Self::deposit_for(guardians.len() as u32)?;
			let new = GuardianConfig { guardians, threshold, delay, deposit };
			match Guardians::<T>::get(&who) {
				None => {
					Self::hold(&HoldReason::GuardianConfig, &who, deposit)?;
					Guardians::<T>::insert(&who, new);
					Self::deposit_event(Event::GuardiansSet { account: who, threshold, delay });
				},
				Some(current) => Self::schedule(who, current, Some(new))?,
			}
			Ok(())
		}

		/// Schedule the removal of the caller's guardians (after the current delay).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_guardians())]
		pub fn remove_guardians(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			Self::ensure_owner_may_act(&who)?;
			let current = Guardians::<T>::get(&who).ok_or(Error::<T>::NoGuardianSet)?;
			Self::schedule(who, current, None)
		}

		/// Apply a due change of `account`'s guardians; anyone may call.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::apply_guardian_change(T::MaxGuardians::get()))]
		pub fn apply_guardian_change(
			origin: OriginFor<T>,
			account: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			let change = PendingChanges::<T>::get(&account).ok_or(Error::<T>::NoPendingChange)?;
			ensure!(Self::now() >= change.effective_at, Error::<T>::ChangeNotDue);
			ensure!(!Recoveries::<T>::contains_key(&account), Error::<T>::RecoveryOpen);
			ensure!(!Self::is_frozen(&account), Error::<T>::Frozen);
			if let Some(old) = Guardians::<T>::get(&account) {
				Self::release(&HoldReason::GuardianConfig, &account, old.deposit)?;
			}
			PendingChanges::<T>::remove(&account);
			match change.new {
				Some(new) => Guardians::<T>::insert(&account, new),
				None => Guardians::<T>::remove(&account),
			}
			// Votes of the old guardians do not carry over.
			Freezes::<T>::remove(&account);
			Self::deposit_event(Event::GuardianChangeApplied { account });
			Ok(())
		}

		/// Withdraw the caller's scheduled change; its deposit is released.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::cancel_guardian_change())]
		pub fn cancel_guardian_change(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			Self::ensure_owner_may_act(&who)?;
			let change = PendingChanges::<T>::get(&who).ok_or(Error::<T>::NoPendingChange)?;
			if let Some(new) = &change.new {
				Self::release(&HoldReason::GuardianConfig, &who, new.deposit)?;
			}
			PendingChanges::<T>::remove(&who);
			Self::deposit_event(Event::GuardianChangeCancelled { account: who });
			Ok(())
		}

		/// Open a recovery of `lost` to `new_account`. Guardians open it for free; anyone else
		/// posts [`Config::InitiationBond`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::initiate())]
		pub fn initiate(
			origin: OriginFor<T>,
			lost: T::AccountId,
			new_account: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			let config = Guardians::<T>::get(&lost).ok_or(Error::<T>::NoGuardianSet)?;
			let is_guardian = config.guardians.binary_search(&who).is_ok();
			ensure!(lost != new_account, Error::<T>::SameAccount);
			ensure!(!Recovered::<T>::contains_key(&lost), Error::<T>::AlreadyRecovered);
			// What the new recovery displaces: an expired one, or (for a guardian) one that no
			// guardian opened.
			let displaced = match Recoveries::<T>::get(&lost) {
				None => None,
				Some(open) if Self::is_expired(&open, &config)? => {
					Some((open, CloseReason::Expired))
				},
				Some(open)
					if is_guardian
						&& !open.forced && config
						.guardians
						.binary_search(&open.initiator)
						.is_err() =>
				{
					Some((open, CloseReason::Replaced))
				},
				Some(_) => return Err(Error::<T>::RecoveryOpen.into()),
			};
			let bond = if is_guardian { Zero::zero() } else { T::InitiationBond::get() };
			Self::ensure_can_hold(&HoldReason::InitiatorBond, &who, bond)?;

			if let Some((open, reason)) = displaced {
				Self::close(&lost, &open, reason)?;
			}
			Self::hold(&HoldReason::InitiatorBond, &who, bond)?;
			Recoveries::<T>::insert(
				&lost,
				ActiveRecovery {
					initiator: who.clone(),
					new_account: new_account.clone(),
					opened_at: Self::now(),
					approvals: BoundedVec::default(),
					bond,
					forced: false,
					objections: BoundedVec::default(),
				},
			);
			Self::deposit_event(Event::RecoveryInitiated {
				lost,
				initiator: who,
				new_account,
				bond,
			});
			Ok(())
		}

		/// Approve the open recovery of `lost`, as one of its guardians.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::approve(T::MaxGuardians::get()))]
		pub fn approve(origin: OriginFor<T>, lost: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			let config = Guardians::<T>::get(&lost).ok_or(Error::<T>::NoGuardianSet)?;
			ensure!(config.guardians.binary_search(&who).is_ok(), Error::<T>::NotGuardian);
			let mut recovery = Recoveries::<T>::get(&lost).ok_or(Error::<T>::NoRecovery)?;
			ensure!(recovery.objections.binary_search(&who).is_err(), Error::<T>::AlreadyVoted);
			let pos = match recovery.approvals.binary_search(&who) {
				Ok(_) => return Err(Error::<T>::AlreadyVoted.into()),
				Err(pos) => pos,
			};
			recovery
				.approvals
				.try_insert(pos, who.clone())
				.map_err(|_| Error::<T>::TooManyGuardians)?;
			let approvals = recovery.approvals.len() as u32;
			Recoveries::<T>::insert(&lost, recovery);
			Self::deposit_event(Event::RecoveryApproved { lost, guardian: who, approvals });
			Ok(())
		}

		/// Finish the recovery of `lost` once it has its approvals and its delay has passed (a
		/// forced one: once `ForceRecoveryDelay` has passed). Anyone may call.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::finalize())]
		pub fn finalize(origin: OriginFor<T>, lost: T::AccountId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			let recovery = Recoveries::<T>::get(&lost).ok_or(Error::<T>::NoRecovery)?;
			ensure!(
				Self::now() >= Self::finalizable_at(&lost, &recovery)?,
				Error::<T>::DelayNotPassed
			);
			if !recovery.forced {
				let config = Guardians::<T>::get(&lost).ok_or(Error::<T>::NoGuardianSet)?;
				ensure!(
					recovery.approvals.len() as u32 >= config.threshold,
					Error::<T>::ThresholdNotMet
				);
			}
			Self::release(&HoldReason::InitiatorBond, &recovery.initiator, recovery.bond)?;
			Recoveries::<T>::remove(&lost);
			Recovered::<T>::insert(&lost, &recovery.new_account);
			Self::deposit_event(Event::RecoveryFinalized {
				lost,
				new_account: recovery.new_account,
			});
			Ok(())
		}

		/// The owner (the lost account's own key) cancels an open recovery; the initiator's
		/// bond goes to the owner. Refused while the guardians freeze the account.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, lost: T::AccountId) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			ensure!(owner == lost, Error::<T>::NotOwner);
			ensure!(!Self::is_frozen(&owner), Error::<T>::Frozen);
			let recovery = Recoveries::<T>::get(&owner).ok_or(Error::<T>::NoRecovery)?;
			Self::close(&owner, &recovery, CloseReason::Owner)
		}

		/// Vote, as a guardian, to freeze `account`'s own key. At `threshold` votes the whole
		/// balance is frozen and the owner's calls to this pallet are refused.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::freeze(T::MaxGuardians::get()))]
		pub fn freeze(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			ensure!(!Self::is_frozen(&account), Error::<T>::AlreadyFrozen);
			Self::vote_freeze(who, account, true)
		}

		/// Vote, as a guardian, to lift the freeze of `account`.
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::freeze(T::MaxGuardians::get()))]
		pub fn unfreeze(origin: OriginFor<T>, account: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			ensure!(Self::is_frozen(&account), Error::<T>::NotFrozen);
			Self::vote_freeze(who, account, false)
		}

		/// Dispatch `call` as the recovered account `lost`; only its rescuer may. The call may
		/// not use this pallet (directly or nested).
		#[pallet::call_index(10)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			(T::WeightInfo::as_recovered().saturating_add(info.call_weight), info.class)
		})]
		pub fn as_recovered(
			origin: OriginFor<T>,
			lost: T::AccountId,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			ensure!(Recovered::<T>::get(&lost).as_ref() == Some(&who), Error::<T>::NotRescuer);
			let frozen = Self::is_frozen(&lost);
			if frozen {
				Self::thaw(&lost)?;
			}
			Dispatching::<T>::put(true);
			let result = call.dispatch(frame_system::RawOrigin::Signed(lost.clone()).into());
			Dispatching::<T>::kill();
			// The stolen key stays locked out after the rescuer's call.
			if frozen && !T::Currency::total_balance(&lost).is_zero() {
				Self::freeze_balance(&lost)?;
			}
			let result = result.map(|_| ()).map_err(|e| e.error);
			Self::deposit_event(Event::RecoveredCallDispatched { lost, rescuer: who, result });
			result
		}

		/// Last resort: open a recovery of `lost` (guardians or not) that needs no approvals and
		/// can be finalized after [`Config::ForceRecoveryDelay`]. The owner may still cancel.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::force_recovery())]
		pub fn force_recovery(
			origin: OriginFor<T>,
			lost: T::AccountId,
			new_account: T::AccountId,
		) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::ensure_not_dispatching()?;
			ensure!(lost != new_account, Error::<T>::SameAccount);
			ensure!(!Recovered::<T>::contains_key(&lost), Error::<T>::AlreadyRecovered);
			let displaced = Recoveries::<T>::get(&lost);
			ensure!(!displaced.as_ref().is_some_and(|r| r.forced), Error::<T>::RecoveryOpen);
			if let Some(open) = displaced {
				Self::close(&lost, &open, CloseReason::Force)?;
			}
			Recoveries::<T>::insert(
				&lost,
				ActiveRecovery {
					initiator: lost.clone(),
					new_account: new_account.clone(),
					opened_at: Self::now(),
					approvals: BoundedVec::default(),
					bond: Zero::zero(),
					forced: true,
					objections: BoundedVec::default(),
				},
			);
			Self::deposit_event(Event::RecoveryForced { lost, new_account });
			Ok(())
		}

		/// Vote, as a guardian who did not approve it, to close the open recovery of `lost`. At
		/// `threshold` votes it is closed and the initiator's bond goes to the owner.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::close_recovery(T::MaxGuardians::get()))]
		pub fn close_recovery(origin: OriginFor<T>, lost: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			let config = Guardians::<T>::get(&lost).ok_or(Error::<T>::NoGuardianSet)?;
			ensure!(config.guardians.binary_search(&who).is_ok(), Error::<T>::NotGuardian);
			let mut recovery = Recoveries::<T>::get(&lost).ok_or(Error::<T>::NoRecovery)?;
			ensure!(recovery.approvals.binary_search(&who).is_err(), Error::<T>::ApprovedByCaller);
			let pos = match recovery.objections.binary_search(&who) {
				Ok(_) => return Err(Error::<T>::AlreadyVoted.into()),
				Err(pos) => pos,
			};
			recovery
				.objections
				.try_insert(pos, who.clone())
				.map_err(|_| Error::<T>::TooManyGuardians)?;
			let objections = recovery.objections.len() as u32;
			if objections >= config.threshold {
				Self::close(&lost, &recovery, CloseReason::Guardians)?;
			} else {
				Recoveries::<T>::insert(&lost, recovery);
			}
			Self::deposit_event(Event::RecoveryObjected { lost, guardian: who, objections });
			Ok(())
		}

		/// Close any open recovery of `lost` (the force origin); the bond goes to the owner.
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::force_close_recovery())]
		pub fn force_close_recovery(origin: OriginFor<T>, lost: T::AccountId) -> DispatchResult {
			T::ForceOrigin::ensure_origin(origin)?;
			Self::ensure_not_dispatching()?;
			let recovery = Recoveries::<T>::get(&lost).ok_or(Error::<T>::NoRecovery)?;
			Self::close(&lost, &recovery, CloseReason::Force)
		}

		/// Close the recovery of `lost` once it has stood [`Config::RecoveryExpiry`] blocks with
		/// fewer approvals than the threshold; anyone may call. The bond goes to the owner.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::close_expired_recovery())]
		pub fn close_expired_recovery(origin: OriginFor<T>, lost: T::AccountId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::ensure_not_dispatching()?;
			let recovery = Recoveries::<T>::get(&lost).ok_or(Error::<T>::NoRecovery)?;
			let config = Guardians::<T>::get(&lost).ok_or(Error::<T>::NoGuardianSet)?;
			ensure!(Self::is_expired(&recovery, &config)?, Error::<T>::NotExpired);
			Self::close(&lost, &recovery, CloseReason::Expired)
		}
	}
}

impl<T: Config> Pallet<T> {
	fn now() -> BlockNumberFor<T> {
		frame_system::Pallet::<T>::block_number()
	}

	fn ensure_not_dispatching() -> DispatchResult {
		ensure!(!Dispatching::<T>::get(), Error::<T>::Reentrancy);
		Ok(())
	}

	/// The owner's own key may manage its guardians only while not frozen and not recovered.
	fn ensure_owner_may_act(who: &T::AccountId) -> DispatchResult {
		ensure!(!Self::is_frozen(who), Error::<T>::Frozen);
		ensure!(!Recovered::<T>::contains_key(who), Error::<T>::AlreadyRecovered);
		ensure!(!Recoveries::<T>::contains_key(who), Error::<T>::RecoveryOpen);
		Ok(())
	}

	/// An unforced recovery short of its threshold `RecoveryExpiry` blocks after it opened.
	fn is_expired(recovery: &RecoveryOf<T>, config: &ConfigOf<T>) -> Result<bool, DispatchError> {
		let expires_at = recovery
			.opened_at
			.checked_add(&T::RecoveryExpiry::get())
			.ok_or(Error::<T>::Overflow)?;
		Ok(!recovery.forced
			&& (recovery.approvals.len() as u32) < config.threshold
			&& Self::now() >= expires_at)
	}

	/// Removes an open recovery; its bond goes to the owner whatever freeze the initiator has.
	fn close(lost: &T::AccountId, recovery: &RecoveryOf<T>, reason: CloseReason) -> DispatchResult {
		if !recovery.bond.is_zero() {
			T::Currency::transfer_on_hold(
				&HoldReason::InitiatorBond.into(),
				&recovery.initiator,
				lost,
				recovery.bond,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)?;
		}
		Recoveries::<T>::remove(lost);
		let (lost, bond_to_owner) = (lost.clone(), recovery.bond);
		Self::deposit_event(match reason {
			CloseReason::Owner => Event::RecoveryCancelled { lost, bond_to_owner },
			reason => Event::RecoveryClosed { lost, reason, bond_to_owner },
		});
		Ok(())
	}

	/// Whether `amount` can be held from `who` (checked before the first write).
	fn ensure_can_hold(
		reason: &HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		use frame_support::traits::fungible::InspectHold;
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::ensure_can_hold(&(*reason).into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance.into())
	}

	/// Whether `account`'s own key is frozen by its guardians.
	pub fn is_frozen(account: &T::AccountId) -> bool {
		Freezes::<T>::get(account).is_some_and(|f| f.frozen)
	}

	fn validate_guardians(
		who: &T::AccountId,
		guardians: Vec<T::AccountId>,
		threshold: u32,
		delay: BlockNumberFor<T>,
	) -> Result<BoundedVec<T::AccountId, T::MaxGuardians>, DispatchError> {
		ensure!(!guardians.is_empty(), Error::<T>::NoGuardians);
		let guardians: BoundedVec<_, T::MaxGuardians> =
			guardians.try_into().map_err(|_| Error::<T>::TooManyGuardians)?;
		ensure!(guardians.windows(2).all(|w| w[0] < w[1]), Error::<T>::NotSortedAndUnique);
		ensure!(guardians.binary_search(who).is_err(), Error::<T>::SelfGuardian);
		ensure!(
			threshold >= 1 && threshold as usize <= guardians.len(),
			Error::<T>::InvalidThreshold
		);
		ensure!(delay >= T::MinDelay::get(), Error::<T>::DelayTooShort);
		Ok(guardians)
	}

	fn deposit_for(guardians: u32) -> Result<BalanceOf<T>, DispatchError> {
		T::DepositPerGuardian::get()
			.checked_mul(&guardians.into())
			.and_then(|d| d.checked_add(&T::DepositBase::get()))
			.ok_or_else(|| Error::<T>::Overflow.into())
	}

	fn schedule(
		who: T::AccountId,
		current: ConfigOf<T>,
		new: Option<ConfigOf<T>>,
	) -> DispatchResult {
		ensure!(!PendingChanges::<T>::contains_key(&who), Error::<T>::ChangePending);
		let effective_at = Self::now().checked_add(&current.delay).ok_or(Error::<T>::Overflow)?;
		if let Some(new) = &new {
			Self::hold(&HoldReason::GuardianConfig, &who, new.deposit)?;
		}
		let removal = new.is_none();
		PendingChanges::<T>::insert(&who, PendingChange { new, effective_at });
		Self::deposit_event(Event::GuardianChangeScheduled { account: who, effective_at, removal });
		Ok(())
	}

	fn finalizable_at(
		lost: &T::AccountId,
		recovery: &RecoveryOf<T>,
	) -> Result<BlockNumberFor<T>, DispatchError> {
		let delay = if recovery.forced {
			T::ForceRecoveryDelay::get()
		} else {
			Guardians::<T>::get(lost).ok_or(Error::<T>::NoGuardianSet)?.delay
		};
		recovery.opened_at.checked_add(&delay).ok_or_else(|| Error::<T>::Overflow.into())
	}

	fn vote_freeze(who: T::AccountId, account: T::AccountId, freeze: bool) -> DispatchResult {
		let config = Guardians::<T>::get(&account).ok_or(Error::<T>::NoGuardianSet)?;
		ensure!(config.guardians.binary_search(&who).is_ok(), Error::<T>::NotGuardian);
		let mut state = Freezes::<T>::get(&account).unwrap_or_default();
		let pos = match state.votes.binary_search(&who) {
			Ok(_) => return Err(Error::<T>::AlreadyVoted.into()),
			Err(pos) => pos,
		};
		state.votes.try_insert(pos, who.clone()).map_err(|_| Error::<T>::TooManyGuardians)?;
		let votes = state.votes.len() as u32;
		if votes >= config.threshold {
			if freeze {
				Self::freeze_balance(&account)?;
			} else {
				Self::thaw(&account)?;
			}
			Freezes::<T>::insert(
				&account,
				FreezeState { frozen: freeze, votes: BoundedVec::default() },
			);
			Self::deposit_event(Event::FreezeVoted {
				account: account.clone(),
				guardian: who,
				votes,
			});
			Self::deposit_event(if freeze {
				Event::AccountFrozen { account }
			} else {
				Event::AccountUnfrozen { account }
			});
		} else {
			Freezes::<T>::insert(&account, state);
			Self::deposit_event(Event::FreezeVoted { account, guardian: who, votes });
		}
		Ok(())
	}

	/// Freezes everything the account has and will receive: it cannot even pay fees.
	fn freeze_balance(account: &T::AccountId) -> DispatchResult {
		T::Currency::set_freeze(
			&FreezeReason::GuardianFreeze.into(),
			account,
			BalanceOf::<T>::max_value(),
		)
	}

	fn thaw(account: &T::AccountId) -> DispatchResult {
		T::Currency::thaw(&FreezeReason::GuardianFreeze.into(), account)
	}

	fn hold(reason: &HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&(*reason).into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance.into())
	}

	fn release(reason: &HoldReason, who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::release(&(*reason).into(), who, amount, Precision::BestEffort).map(|_| ())
	}

	/// The runtime API's view of `account`.
	pub fn status(
		account: T::AccountId,
	) -> RecoveryStatus<T::AccountId, BalanceOf<T>, BlockNumberFor<T>> {
		let view = |c: &ConfigOf<T>| GuardianSet {
			guardians: c.guardians.to_vec(),
			threshold: c.threshold,
			delay: c.delay,
		};
		let config = Guardians::<T>::get(&account);
		RecoveryStatus {
			config: config.as_ref().map(view),
			deposit: config.map(|c| c.deposit).unwrap_or_default(),
			pending_change: PendingChanges::<T>::get(&account)
				.map(|p| (p.new.as_ref().map(view), p.effective_at)),
			frozen: Self::is_frozen(&account),
			recovered_by: Recovered::<T>::get(&account),
		}
	}

	/// The runtime API's view of the open recovery of `lost`.
	pub fn active(
		lost: T::AccountId,
	) -> Option<ActiveRecoveryView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let recovery = Recoveries::<T>::get(&lost)?;
		let finalizable_at =
			Self::finalizable_at(&lost, &recovery).unwrap_or(BlockNumberFor::<T>::max_value());
		let threshold =
			if recovery.forced { 0 } else { Guardians::<T>::get(&lost).map_or(0, |c| c.threshold) };
		Some(ActiveRecoveryView {
			initiator: recovery.initiator,
			new_account: recovery.new_account,
			opened_at: recovery.opened_at,
			finalizable_at,
			approvals: recovery.approvals.into_inner(),
			threshold,
			bond: recovery.bond,
			forced: recovery.forced,
		})
	}

	/// Invariants: holds equal the stored deposits and bonds; frozen accounts carry the freeze;
	/// no recovery is both open and finished; the guard flag is never left set.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		use frame_support::traits::fungible::{InspectFreeze, InspectHold};
		use sp_runtime::traits::Saturating;

		ensure!(!Dispatching::<T>::get(), "guard flag left set");
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (who, config) in Guardians::<T>::iter() {
			ensure!(config.guardians.windows(2).all(|w| w[0] < w[1]), "guardians unsorted");
			ensure!(
				config.threshold >= 1 && config.threshold as usize <= config.guardians.len(),
				"threshold out of range"
			);
			deposits.entry(who).or_default().saturating_accrue(config.deposit);
		}
		for (who, change) in PendingChanges::<T>::iter() {
			ensure!(Guardians::<T>::contains_key(&who), "change pending without a guardian set");
			if let Some(new) = change.new {
				deposits.entry(who).or_default().saturating_accrue(new.deposit);
			}
		}
		for (who, deposit) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::GuardianConfig.into(), &who) == deposit,
				"config deposit differs from the hold"
			);
		}
		let mut bonds: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (lost, recovery) in Recoveries::<T>::iter() {
			ensure!(!Recovered::<T>::contains_key(&lost), "recovery both open and finished");
			ensure!(recovery.approvals.windows(2).all(|w| w[0] < w[1]), "approvals unsorted");
			bonds.entry(recovery.initiator).or_default().saturating_accrue(recovery.bond);
		}
		for (who, bond) in bonds {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::InitiatorBond.into(), &who) == bond,
				"bond differs from the hold"
			);
		}
		for (who, state) in Freezes::<T>::iter() {
			let frozen = T::Currency::balance_frozen(&FreezeReason::GuardianFreeze.into(), &who);
			if state.frozen && !T::Currency::total_balance(&who).is_zero() {
				ensure!(frozen == BalanceOf::<T>::max_value(), "frozen account without freeze");
			}
			if !state.frozen {
				ensure!(frozen.is_zero(), "freeze left on an unfrozen account");
			}
		}
		Ok(())
	}
}
