//! # Settlement pallet
//!
//! Settles payment instructions their payers signed offline, many per extrinsic, netted.
//!
//! ## Terminology
//!
//! - **Instruction**: a [`PaymentInstruction`] (payer, payee, amount, sequence number, expiry,
//!   reference) with the payer's signature over its domain-separated signing payload, which
//!   binds this chain's id and genesis hash (`tpchain_primitives::settlement`).
//! - **Batch**: up to [`Config::MaxInstructions`] instructions anyone submits with
//!   [`Pallet::settle`], paying its fee.
//! - **Sequence window**: each payer's sequence numbers `floor .. floor + 128` may settle in any
//!   order, each once; several operators can carry one payer's instructions without
//!   coordinating. A number above the window moves it up; those left below never settle.
//! - **Limits**: per instruction and per period ([`Config::LimitPeriod`] blocks from the first
//!   payment after the previous period ended); the payer sets its own, governance may impose
//!   tighter ones; the tighter of the two applies.
//!
//! ## Scenarios
//!
//! A payment service provider collects instructions its customers signed on their devices,
//! offline, and submits them in a batch. Each is checked in order — signature, expiry,
//! sequence, limits, funds — against an in-memory view of the batch's accounts; one that fails
//! is skipped and reported by index and [`Failure`], the others settle. The view reads each
//! distinct account once and writes its net change once: the result equals applying the
//! settled instructions one by one, at a fraction of the storage work. `BatchSettled` carries
//! the Merkle root of the settled instructions' hashes, kept in [`Batches`] for
//! [`Config::RootRetention`] blocks so a receipt can prove an instruction settled.
//! Licensed operators' batches go first in the pool ([`PrioritizeOperatorBatches`]).
//!
//! ## Safety
//!
//! - Money moves only between the batch's payers and payees, by signed amounts: balances change
//!   by net deltas that sum to zero (checked before writing), and total issuance is untouched.
//! - A payer keeps its existential deposit and frozen funds (`Preserve`, `Polite`).
//! - Replay: an instruction settles once — its sequence bit — on this network only — the
//!   signature covers chain id and genesis hash.
//! - Bounded: batches by `MaxInstructions`, batches per block by `MaxBatchesPerBlock`, kept
//!   roots by `RootRetention × MaxBatchesPerBlock`; `PayerState` is one fixed-size entry per
//!   account that ever paid or set limits (accounts themselves are bounded by the existential
//!   deposit).

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod extension;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::{collections::BTreeMap, vec::Vec};
pub use extension::PrioritizeOperatorBatches;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, Unbalanced},
		tokens::{Fortitude, Precision, Preservation},
		UnixTime,
	},
};
use frame_system::pallet_prelude::*;
pub use pallet::*;
use sp_runtime::traits::{Saturating, Zero};
use tpchain_primitives::{settlement::batch_root, AccountId, Balance, ChainId, Hash};
pub use types::*;
pub use weights::WeightInfo;

/// A batch of `n` instructions touching `a` distinct accounts: between the two measured
/// extremes, each account beyond two costing the same share of their difference.
pub fn settle_weight<W: WeightInfo>(n: u32, a: u32) -> Weight {
	let (two, all) = (W::settle_shared(n), W::settle_distinct(n));
	let span = u64::from(n.saturating_mul(2).saturating_sub(2));
	if span == 0 {
		return all;
	}
	let extra = u64::from(a.clamp(2, n.saturating_mul(2)).saturating_sub(2));
	let per_account = all.saturating_sub(two);
	two.saturating_add(Weight::from_parts(
		per_account.ref_time().saturating_mul(extra) / span,
		per_account.proof_size().saturating_mul(extra) / span,
	))
}

/// The distinct accounts `batch` names (payers and payees): the most it can read and write.
/// The pre-dispatch weight counts them rather than assume every one differs, so the block
/// builder fits as many batches as their real cost allows (the lever of throughput when
/// accounts repeat); at most `2 × len` comparisons-heavy steps on 32-byte keys.
pub fn distinct_accounts(batch: &[SignedInstruction]) -> u32 {
	let mut seen = alloc::collections::BTreeSet::new();
	for s in batch {
		seen.insert(&s.instruction.payer);
		seen.insert(&s.instruction.payee);
	}
	seen.len() as u32
}

/// A payer's state with the runtime's block number.
pub type PayerStateOf<T> = PayerState<BlockNumberFor<T>>;
/// A kept batch with the runtime's types.
pub type BatchRecordOf<T> =
	BatchRecord<AccountId, BlockNumberFor<T>, BoundedVec<u32, <T as Config>::MaxInstructions>>;

/// One account as the batch sees it: its balance now and the part it must keep.
struct AccountView {
	balance: Balance,
	initial: Balance,
	untouchable: Balance,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// Layout version; `migrations` upgrades from older ones.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config<AccountId = AccountId, Hash = Hash, RuntimeEvent: From<Event<Self>>>
	{
		/// The native currency. Settlement writes net balance changes through `Unbalanced`,
		/// which leaves total issuance alone (the changes sum to zero).
		type Currency: Inspect<AccountId, Balance = Balance> + Unbalanced<AccountId>;

		/// This network's id, which instructions' signatures bind.
		type ChainId: Get<ChainId>;

		/// Wall-clock time for `Expiry::Time`.
		type Time: UnixTime;

		/// May impose limits on any payer, tighter than those imposed already (governance,
		/// parameters track).
		type LimitOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// May also loosen or lift imposed limits (governance, Root).
		type LimitRaiseOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Most instructions per batch. Sized so a full batch of distinct accounts fits the
		/// block's normal dispatch class.
		#[pallet::constant]
		type MaxInstructions: Get<u32>;

		/// Most batches per block (bounds [`Batches`] with `RootRetention`).
		#[pallet::constant]
		type MaxBatchesPerBlock: Get<u32>;

		/// Blocks a batch's root stays in state for receipts.
		#[pallet::constant]
		type RootRetention: Get<BlockNumberFor<Self>>;

		/// The licensed entities: `settle` from an active one's voting account is prioritized in
		/// the pool ([`PrioritizeOperatorBatches`]).
		type Operators: tpchain_primitives::governance::Entities<AccountId>;

		/// Pool priority an operator's batch gets on top of its fee's.
		#[pallet::constant]
		type OperatorPriority: Get<sp_runtime::transaction_validity::TransactionPriority>;

		/// Length of a limit period, blocks.
		#[pallet::constant]
		type LimitPeriod: Get<BlockNumberFor<Self>>;

		/// Weights from this pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Sequence window, period spending and limits of each payer.
	#[pallet::storage]
	pub type Payers<T: Config> = StorageMap<_, Blake2_128Concat, AccountId, PayerStateOf<T>>;

	/// Settled batches still within `RootRetention`.
	#[pallet::storage]
	pub type Batches<T: Config> = StorageMap<_, Twox64Concat, BatchId, BatchRecordOf<T>>;

	/// Id of the next batch.
	#[pallet::storage]
	pub type NextBatch<T> = StorageValue<_, BatchId, ValueQuery>;

	/// Oldest batch still kept (all below it were pruned).
	#[pallet::storage]
	pub type OldestBatch<T> = StorageValue<_, BatchId, ValueQuery>;

	/// Batches settled in the current block: (block, count).
	#[pallet::storage]
	pub type BlockBatches<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A batch settled: `settled` instructions moved money; `failed` lists the others by
		/// index in the batch, with why. `root` is the Merkle root of the settled instructions'
		/// hashes, in batch order.
		BatchSettled {
			batch: BatchId,
			submitter: AccountId,
			settled: u32,
			failed: BoundedVec<(u32, Failure), T::MaxInstructions>,
			root: Hash,
		},
		/// A payer set its own limits.
		LimitsSet { payer: AccountId, limits: Limits },
		/// Governance imposed limits on a payer.
		LimitsImposed { payer: AccountId, limits: Limits },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The batch has no instructions.
		EmptyBatch,
		/// This block already settled `MaxBatchesPerBlock` batches.
		TooManyBatches,
		/// Net balance changes did not sum to zero (never expected; nothing was written).
		Unbalanced,
		/// Only the raise origin may loosen or lift a payer's imposed limits.
		LimitRaise,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::prune(now)
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Settles `batch` in order: each instruction that passes its checks moves money, each
		/// that fails is skipped and reported in `BatchSettled`. Anyone may submit.
		#[pallet::call_index(0)]
		#[pallet::weight(settle_weight::<T::WeightInfo>(
			batch.len() as u32,
			distinct_accounts(batch),
		))]
		pub fn settle(
			origin: OriginFor<T>,
			batch: BoundedVec<SignedInstruction, T::MaxInstructions>,
		) -> DispatchResultWithPostInfo {
			let submitter = ensure_signed(origin)?;
			ensure!(!batch.is_empty(), Error::<T>::EmptyBatch);
			let now = frame_system::Pallet::<T>::block_number();
			let (counted_at, count) = BlockBatches::<T>::get();
			let count = if counted_at == now { count } else { 0 };
			ensure!(count < T::MaxBatchesPerBlock::get(), Error::<T>::TooManyBatches);

			let mut run = Run::<T>::new(now);
			let mut leaves = Vec::with_capacity(batch.len());
			let mut failed = BoundedVec::<_, T::MaxInstructions>::new();
			for (index, signed) in batch.iter().enumerate() {
				match run.apply(signed) {
					Ok(hash) => leaves.push(hash),
					// Cannot overflow: the batch has at most `MaxInstructions` entries.
					Err(reason) => {
						let _ = failed.try_push((index as u32, reason));
					},
				}
			}
			let accounts = run.accounts.len() as u32;
			run.write()?;

			let batch_id = NextBatch::<T>::get();
			let root = batch_root(&leaves);
			let settled = leaves.len() as u32;
			let record = BatchRecord {
				block: now,
				extrinsic: frame_system::Pallet::<T>::extrinsic_index().unwrap_or_default(),
				submitter: submitter.clone(),
				root,
				settled,
				// Cannot overflow: `failed` is no longer than the batch.
				failed: BoundedVec::truncate_from(failed.iter().map(|(i, _)| *i).collect()),
			};
			Batches::<T>::insert(batch_id, record);
			NextBatch::<T>::put(batch_id.saturating_add(1));
			BlockBatches::<T>::put((now, count.saturating_add(1)));
			Self::deposit_event(Event::BatchSettled {
				batch: batch_id,
				submitter,
				settled,
				failed,
				root,
			});
			Ok(Some(settle_weight::<T::WeightInfo>(batch.len() as u32, accounts)).into())
		}

		/// Sets the caller's own limits (the tighter of these and governance's apply).
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_limits())]
		pub fn set_limits(origin: OriginFor<T>, limits: Limits) -> DispatchResult {
			let payer = ensure_signed(origin)?;
			Payers::<T>::mutate(&payer, |s| s.get_or_insert_with(Self::new_payer).own = limits);
			Self::deposit_event(Event::LimitsSet { payer, limits });
			Ok(())
		}

		/// Imposes `limits` on `payer` (governance). The limit origin may only tighten what is
		/// imposed already; the raise origin may set anything.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::impose_limits())]
		pub fn impose_limits(
			origin: OriginFor<T>,
			payer: AccountId,
			limits: Limits,
		) -> DispatchResult {
			let may_raise = match T::LimitRaiseOrigin::try_origin(origin) {
				Ok(_) => true,
				Err(origin) => {
					T::LimitOrigin::ensure_origin(origin)?;
					false
				},
			};
			let current = Payers::<T>::get(&payer).map(|s| s.imposed).unwrap_or_default();
			ensure!(may_raise || limits.no_looser_than(&current), Error::<T>::LimitRaise);
			Payers::<T>::mutate(&payer, |s| s.get_or_insert_with(Self::new_payer).imposed = limits);
			Self::deposit_event(Event::LimitsImposed { payer, limits });
			Ok(())
		}
	}
}

/// One batch being settled: the accounts and payers it touched, read once each.
struct Run<T: Config> {
	now: BlockNumberFor<T>,
	now_ms: u64,
	chain: ChainId,
	genesis: Hash,
	minimum: Balance,
	accounts: BTreeMap<AccountId, AccountView>,
	/// Payers the batch read, and whether anything of theirs settled (only those are written).
	payers: BTreeMap<AccountId, (PayerStateOf<T>, bool)>,
}

impl<T: Config> Run<T> {
	fn new(now: BlockNumberFor<T>) -> Self {
		let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		Run {
			now,
			now_ms: T::Time::now().as_millis().try_into().unwrap_or(u64::MAX),
			chain: T::ChainId::get(),
			genesis,
			minimum: T::Currency::minimum_balance(),
			accounts: BTreeMap::new(),
			payers: BTreeMap::new(),
		}
	}

	fn account(&mut self, who: &AccountId) -> &mut AccountView {
		self.accounts.entry(who.clone()).or_insert_with(|| {
			let balance = T::Currency::balance(who);
			let reducible =
				T::Currency::reducible_balance(who, Preservation::Preserve, Fortitude::Polite);
			AccountView {
				balance,
				initial: balance,
				// An account that does not exist yet must still reach the minimum.
				untouchable: balance.saturating_sub(reducible).max(T::Currency::minimum_balance()),
			}
		})
	}

	fn payer(&mut self, who: &AccountId) -> &mut PayerStateOf<T> {
		let (now, period) = (self.now, T::LimitPeriod::get());
		let (state, _) = self.payers.entry(who.clone()).or_insert_with(|| {
			let state = Payers::<T>::get(who).unwrap_or_else(Pallet::<T>::new_payer);
			(state, false)
		});
		if now >= state.period_start.saturating_add(period) {
			state.period_start = now;
			state.spent = 0;
		}
		state
	}

	/// Checks `signed` against the batch's view and, if it passes, applies it there.
	fn apply(&mut self, signed: &SignedInstruction) -> Result<Hash, Failure> {
		let i = &signed.instruction;
		if i.amount.is_zero() {
			return Err(Failure::ZeroAmount);
		}
		if i.payer == i.payee {
			return Err(Failure::SelfPayment);
		}
		let expired = match i.expiry {
			Expiry::Block(last) => BlockNumberFor::<T>::from(last) < self.now,
			Expiry::Time(last) => last < self.now_ms,
		};
		if expired {
			return Err(Failure::Expired);
		}
		let hash = signed.verified_hash(self.chain, &self.genesis).ok_or(Failure::BadSignature)?;

		let payer = self.payer(&i.payer);
		payer.check_sequence(i.sequence)?;
		let limits = payer.limits();
		if limits.per_instruction.is_some_and(|max| i.amount > max) {
			return Err(Failure::OverInstructionLimit);
		}
		let spent = payer.spent.checked_add(i.amount).ok_or(Failure::OverPeriodLimit)?;
		if limits.per_period.is_some_and(|max| spent > max) {
			return Err(Failure::OverPeriodLimit);
		}

		let minimum = self.minimum;
		let from = self.account(&i.payer);
		let remaining = from
			.balance
			.checked_sub(i.amount)
			.filter(|r| *r >= from.untouchable)
			.ok_or(Failure::InsufficientFunds)?;
		let to = self.account(&i.payee);
		let received = to.balance.checked_add(i.amount).ok_or(Failure::Overflow)?;
		if received < minimum {
			return Err(Failure::PayeeBelowMinimum);
		}

		to.balance = received;
		if let Some(from) = self.accounts.get_mut(&i.payer) {
			from.balance = remaining;
		}
		if let Some((payer, settled)) = self.payers.get_mut(&i.payer) {
			payer.mark_sequence(i.sequence);
			payer.spent = spent;
			*settled = true;
		}
		Ok(hash)
	}

	/// Writes each account's net change and each payer's state, once.
	fn write(self) -> DispatchResult {
		let (mut up, mut down) = (0u128, 0u128);
		for a in self.accounts.values() {
			up = up.saturating_add(a.balance.saturating_sub(a.initial));
			down = down.saturating_add(a.initial.saturating_sub(a.balance));
		}
		if up != down {
			frame_support::defensive!("settlement: net changes do not sum to zero");
			return Err(Error::<T>::Unbalanced.into());
		}
		// Decreases first, so no balance passes through a state the view did not check.
		let (decreases, increases): (Vec<_>, Vec<_>) =
			self.accounts.iter().partition(|(_, a)| a.balance < a.initial);
		for (who, a) in decreases {
			T::Currency::decrease_balance(
				who,
				a.initial.saturating_sub(a.balance),
				Precision::Exact,
				Preservation::Preserve,
				Fortitude::Polite,
			)?;
		}
		for (who, a) in increases.into_iter().filter(|(_, a)| a.balance > a.initial) {
			T::Currency::increase_balance(
				who,
				a.balance.saturating_sub(a.initial),
				Precision::Exact,
			)?;
		}
		for (who, (state, _)) in self.payers.into_iter().filter(|(_, (_, settled))| *settled) {
			Payers::<T>::insert(who, state);
		}
		Ok(())
	}
}

impl<T: Config> Pallet<T> {
	/// A payer's state before anything settled: its first limit period starts now.
	fn new_payer() -> PayerStateOf<T> {
		PayerState { period_start: frame_system::Pallet::<T>::block_number(), ..Default::default() }
	}

	/// Drops batches older than `RootRetention`, at most `MaxBatchesPerBlock` a block (as many
	/// as a block can add, so pruning keeps up).
	fn prune(now: BlockNumberFor<T>) -> Weight {
		let retention = T::RootRetention::get();
		let (mut oldest, next) = (OldestBatch::<T>::get(), NextBatch::<T>::get());
		let mut pruned = 0u32;
		while oldest < next && pruned < T::MaxBatchesPerBlock::get() {
			match Batches::<T>::get(oldest) {
				Some(b) if b.block.saturating_add(retention) >= now => break,
				Some(_) => Batches::<T>::remove(oldest),
				None => {},
			}
			oldest = oldest.saturating_add(1);
			pruned = pruned.saturating_add(1);
		}
		if pruned > 0 {
			OldestBatch::<T>::put(oldest);
		}
		T::WeightInfo::prune(pruned)
	}

	/// A kept batch.
	pub fn batch(id: BatchId) -> Option<BatchRecordOf<T>> {
		Batches::<T>::get(id)
	}

	/// Checks the pallet's invariants.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let (oldest, next) = (OldestBatch::<T>::get(), NextBatch::<T>::get());
		ensure!(oldest <= next, "OldestBatch above NextBatch");
		let retention = T::RootRetention::get();
		let now = frame_system::Pallet::<T>::block_number();
		let mut kept = 0u64;
		for (id, b) in Batches::<T>::iter() {
			ensure!(id >= oldest && id < next, "a kept batch outside OldestBatch..NextBatch");
			ensure!(b.block <= now, "a batch from the future");
			// Pruning runs before anything settles in a block and keeps up with the most a
			// block can add.
			ensure!(b.block.saturating_add(retention) >= now, "a batch past its retention");
			ensure!(
				b.failed.windows(2).all(|w| w[0] < w[1]),
				"a batch's failed positions are not ascending"
			);
			ensure!(
				(b.settled as usize).saturating_add(b.failed.len())
					<= T::MaxInstructions::get() as usize,
				"a batch larger than MaxInstructions"
			);
			kept = kept.saturating_add(1);
		}
		let bound = u64::from(T::MaxBatchesPerBlock::get()).saturating_mul(
			sp_runtime::SaturatedConversion::saturated_into::<u64>(retention).saturating_add(2),
		);
		ensure!(kept <= bound, "more batches kept than retention allows");
		let (at, count) = BlockBatches::<T>::get();
		ensure!(at <= now && count <= T::MaxBatchesPerBlock::get(), "BlockBatches out of bounds");
		for (_, p) in Payers::<T>::iter() {
			ensure!(p.seen & 1 == 0, "a payer's window starts at a settled sequence");
		}
		Ok(())
	}
}
