//! # Governance pallet
//!
//! One licensed entity, one vote. Every privileged change to tpchain — a runtime upgrade, a new
//! or removed operator, a parameter, an emergency pause — is a proposal that the entities vote
//! on, and that executes through `pallet-scheduler` as the origin of its track.
//!
//! ## Terminology
//!
//! - **Entity**: a licensed operator registered in `pallet-operators` ([`Config::Entities`]).
//!   Votes belong to entities, not accounts: an entity that rotates its voting account keeps
//!   its votes, and an entity never has more than one.
//! - **Track** ([`Track`]): `RuntimeUpgrade` and `Membership` dispatch as Root, `Parameters` and
//!   `Emergency` as this pallet's [`Origin`]s. Each has [`TrackParams`]: approval (ayes as a
//!   share of active entities), quorum (votes of any kind as a share of active entities),
//!   voting period and enactment delay. Which calls a track may carry is the runtime's
//!   [`TrackPolicy`]; a proposal on a track that cannot authorize its call is refused at
//!   submission.
//! - **Emergency effect**: an emergency proposal executes the block after its (short) vote.
//!   If the runtime names a revert for its call (unpause for a pause), the revert runs
//!   automatically [`EmergencyPeriod`] blocks later unless a normal vote [`Pallet::ratify`]s it.
//!   The effect (named by its revert call) has one owner ([`EffectOwners`]): the last emergency
//!   proposal that put it in force or renewed it. Only the owner's expiry undoes it.
//!
//! ## Scenarios
//!
//! - *Runtime upgrade*: an entity proposes `System::authorize_upgrade(code_hash)` on the
//!   runtime upgrade track; with ≥ 2/3 ayes it is approved, executes after the enactment delay,
//!   and anyone may then supply the code with `System::apply_authorized_upgrade`.
//! - *Admission*: `Operators::admit(..)` on the membership track.
//! - *Emergency pause*: `TxPause::pause(call)` on the emergency track, undone after the
//!   emergency period unless ratified; `TxPause::unpause` by a normal vote lifts it earlier.
//! - *Cancellation*: `Governance::cancel(id)` passed on a ≥ 2/3 track stops a proposal before
//!   execution.
//!
//! ## Safety considerations
//!
//! - Decisions count only the votes of entities active at the decision, against the number of
//!   active entities then; votes can change while open; a proposal is decided exactly once by
//!   its scheduled task, and executes at most once, at or after its enactment block.
//! - Proposing holds a deposit until the decision, and each entity has at most
//!   [`Config::MaxOpenPerEntity`] open proposals; calls are at most [`Config::MaxCallLen`]
//!   bytes.
//! - The executed call's result (and error) is stored with the proposal; proposals and votes
//!   are never deleted, so the trail stays queryable (`governance_proposals`,
//!   `governance_votes`).
//! - An emergency effect cannot outlive its period by accident: the revert is dispatched
//!   without the call filter (a safe mode must not keep a pause in force), and a revert that
//!   still fails is retried every [`Config::RevertRetryInterval`] blocks, up to
//!   [`Config::MaxRevertAttempts`] times. A second emergency vote for an effect in force renews
//!   it (a new expiry) instead of failing, and an older proposal's expiry never lifts a newer
//!   one's effect. A normal vote that executes the revert itself ends the effect's expiry.
//! - Decisions fit the windows they guard: a parameters-track vote (voting period plus
//!   enactment) is shorter than the emergency period and than [`Config::DecisionDeadline`]
//!   (the bridge's shortest quarantine delay), at genesis and in every `set_track`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod migrations;
mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use alloc::{boxed::Box, vec::Vec};
use codec::{Decode, DecodeLimit, Encode};
use frame_support::{
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, MutateHold},
		schedule::{v3::Named as ScheduleNamed, DispatchTime},
		tokens::Precision,
		Bounded, OriginTrait, UnfilteredDispatchable,
	},
};
use frame_system::pallet_prelude::*;
use sp_runtime::traits::{Dispatchable, One, Saturating, Zero};
pub use tpchain_primitives::governance::{
	Entities, EntityId, ProposalId, ProposalStatus, ProposalView, Tally, Threshold, Track,
	TrackParams, Vote, VoteRecord,
};

/// Balance type of the configured currency.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// The runtime's origin caller, as the scheduler dispatches with it.
pub type PalletsOriginOf<T> =
	<<T as frame_system::Config>::RuntimeOrigin as OriginTrait>::PalletsOrigin;
/// A proposal with the runtime's types.
pub type ProposalOf<T> = Proposal<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxCallLen,
>;
/// A vote record with the runtime's types.
pub type VoteRecordOf<T> = VoteRecord<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

/// What the runtime decides about tracks.
pub trait TrackPolicy<Call, PalletsOrigin> {
	/// Whether `track` may carry `call`.
	fn authorizes(track: Track, call: &Call) -> bool;
	/// The origin `track`'s proposals execute with.
	fn origin(track: Track) -> PalletsOrigin;
	/// The call that undoes an executed emergency `call` when its effect expires, if any.
	fn emergency_revert(call: &Call) -> Option<Call>;
}

/// A window that a parameters-track decision must fit in, set by another pallet (the bridge's
/// shortest quarantine delay: a cancellation must enact before the release).
pub trait DecisionDeadline<BlockNumber> {
	/// The shortest such window now, if any.
	fn deadline() -> Option<BlockNumber>;
	/// What reading it costs.
	fn weight() -> Weight;
}

impl<BlockNumber> DecisionDeadline<BlockNumber> for () {
	fn deadline() -> Option<BlockNumber> {
		None
	}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// Scheduled tasks this pallet names.
#[derive(Encode, Clone, Copy)]
enum Task {
	Decide,
	Enact,
	Expire,
}

fn task_name(task: Task, id: ProposalId) -> [u8; 32] {
	(b"tpchain/governance", task, id).using_encoded(sp_io::hashing::blake2_256)
}

/// Name of the expiry of `id` after `attempts` failed reverts (each retry its own task, as the
/// failing one is still running when the next is scheduled).
fn expire_task_name(id: ProposalId, attempts: u32) -> [u8; 32] {
	if attempts == 0 {
		return task_name(Task::Expire, id);
	}
	(b"tpchain/governance", Task::Expire, id, attempts).using_encoded(sp_io::hashing::blake2_256)
}

/// Key of an emergency effect: the hash of the call that undoes it.
pub type EffectKey = [u8; 32];

/// The key of the effect that `revert` undoes.
fn effect_key(revert: &impl Encode) -> EffectKey {
	revert.using_encoded(sp_io::hashing::blake2_256)
}

/// Nesting limit when decoding a stored call (as `pallet-utility` batches allow).
const CALL_DECODE_DEPTH: u32 = 16;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The origins of the non-Root tracks.
	#[pallet::origin]
	#[derive(
		PartialEq,
		Eq,
		Clone,
		Copy,
		Debug,
		Encode,
		Decode,
		DecodeWithMemTracking,
		TypeInfo,
		MaxEncodedLen,
	)]
	pub enum Origin {
		/// A passed proposal of the parameters track.
		Parameters,
		/// A passed proposal of the emergency track.
		Emergency,
	}

	/// Reasons this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Deposit of an undecided proposal.
		ProposalDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The runtime's call type.
		type RuntimeCall: Parameter
			+ Dispatchable<RuntimeOrigin = Self::RuntimeOrigin, PostInfo = PostDispatchInfo>
			+ GetDispatchInfo
			+ UnfilteredDispatchable<RuntimeOrigin = Self::RuntimeOrigin>
			+ From<Call<Self>>
			+ IsType<<Self as frame_system::Config>::RuntimeCall>;
		/// Currency of proposal deposits.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ frame_support::traits::fungible::Mutate<Self::AccountId>;
		/// The runtime's hold reasons.
		type RuntimeHoldReason: From<HoldReason>;
		/// The licensed entities (`pallet-operators`).
		type Entities: Entities<Self::AccountId>;
		/// Which calls each track may carry, and with what origin they execute.
		type Policy: TrackPolicy<<Self as Config>::RuntimeCall, PalletsOriginOf<Self>>;
		/// Runs decisions, enactments and expiries at their blocks.
		type Scheduler: ScheduleNamed<
			BlockNumberFor<Self>,
			<Self as Config>::RuntimeCall,
			PalletsOriginOf<Self>,
		>;
		/// May cancel an undecided or unexecuted proposal (a ≥ 2/3 track).
		type CancelOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// May ratify an emergency effect so it does not expire (a normal track).
		type RatifyOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// May change a track's parameters (a ≥ 2/3 track).
		type TrackAdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Lowest approval the runtime upgrade track may have, whatever genesis or `set_track`
		/// says; also required at every decision.
		#[pallet::constant]
		type RuntimeUpgradeFloor: Get<Threshold>;
		/// Lowest approval of the membership track.
		#[pallet::constant]
		type MembershipFloor: Get<Threshold>;
		/// Lowest approval of the parameters track.
		#[pallet::constant]
		type ParametersFloor: Get<Threshold>;
		/// Lowest approval of the emergency track.
		#[pallet::constant]
		type EmergencyFloor: Get<Threshold>;
		/// Deposit held from the proposer until the decision.
		#[pallet::constant]
		type ProposalDeposit: Get<BalanceOf<Self>>;
		/// Longest encoded call a proposal may carry, in bytes.
		#[pallet::constant]
		type MaxCallLen: Get<u32>;
		/// Most undecided proposals one entity may have.
		#[pallet::constant]
		type MaxOpenPerEntity: Get<u32>;
		/// Most entities (bounds the votes on one proposal).
		#[pallet::constant]
		type MaxEntities: Get<u32>;
		/// Blocks between attempts of an emergency revert that failed.
		#[pallet::constant]
		type RevertRetryInterval: Get<BlockNumberFor<Self>>;
		/// Most attempts of one emergency revert (the first included); bounds the retries of a
		/// revert that can never succeed.
		#[pallet::constant]
		type MaxRevertAttempts: Get<u32>;
		/// The shortest window another pallet gives a parameters-track decision (the bridge's
		/// shortest quarantine delay: a cancellation must enact before the release), if any.
		type DecisionDeadline: DecisionDeadline<BlockNumberFor<Self>>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
		/// Creates active entities for benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<
			Self::AccountId,
			<Self as Config>::RuntimeCall,
		>;
	}

	/// How each track decides.
	#[pallet::storage]
	pub type Tracks<T: Config> = StorageMap<_, Twox64Concat, Track, TrackParams<BlockNumberFor<T>>>;

	/// Blocks an unratified emergency effect lasts.
	#[pallet::storage]
	pub type EmergencyPeriod<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// Id of the next proposal (= how many were submitted).
	#[pallet::storage]
	pub type NextProposalId<T: Config> = StorageValue<_, ProposalId, ValueQuery>;

	/// Every proposal ever submitted, with its outcome.
	#[pallet::storage]
	pub type Proposals<T: Config> = StorageMap<_, Twox64Concat, ProposalId, ProposalOf<T>>;

	/// Every vote: one per entity and proposal (the last one cast).
	#[pallet::storage]
	pub type Votes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ProposalId, Twox64Concat, EntityId, VoteRecordOf<T>>;

	/// Undecided proposals per proposing entity.
	#[pallet::storage]
	pub type OpenProposals<T: Config> = StorageMap<_, Twox64Concat, EntityId, u32, ValueQuery>;

	/// The proposal that owns each emergency effect in force and not ratified: the only one
	/// whose expiry undoes it. At most one per pending emergency proposal.
	#[pallet::storage]
	pub type EffectOwners<T: Config> = StorageMap<_, Identity, EffectKey, ProposalId>;

	/// Failed attempts of an emergency proposal's revert so far.
	#[pallet::storage]
	pub type RevertAttempts<T: Config> = StorageMap<_, Twox64Concat, ProposalId, u32, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Parameters of every track (all four, or none).
		pub tracks: Vec<(Track, TrackParams<BlockNumberFor<T>>)>,
		/// Blocks an unratified emergency effect lasts.
		pub emergency_period: BlockNumberFor<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// A chain without governance tracks refuses every proposal (`UnknownTrack`).
			if self.tracks.is_empty() {
				return;
			}
			for track in Track::ALL {
				let params = self
					.tracks
					.iter()
					.find(|(t, _)| *t == track)
					.map(|(_, p)| *p)
					.expect("genesis must define every governance track");
				assert!(Pallet::<T>::params_valid(track, &params), "invalid {track:?} params");
				assert!(
					params.approval.at_least_as_strict_as(&Pallet::<T>::floor(track)),
					"{track:?} approval below its floor"
				);
				Tracks::<T>::insert(track, params);
			}
			assert!(!self.emergency_period.is_zero(), "emergency period must be positive");
			assert!(
				Pallet::<T>::decisions_in_time(&self.tracks, self.emergency_period),
				"a parameters decision must enact within the emergency period"
			);
			EmergencyPeriod::<T>::put(self.emergency_period);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A proposal was submitted and is open until `voting_ends`.
		Proposed {
			proposal: ProposalId,
			track: Track,
			proposer: EntityId,
			call_hash: [u8; 32],
			voting_ends: BlockNumberFor<T>,
		},
		/// An entity voted (or changed its vote).
		Voted { proposal: ProposalId, entity: EntityId, vote: Vote },
		/// The proposal passed and executes at `enact_at`.
		Approved {
			proposal: ProposalId,
			tally: Tally,
			electorate: u32,
			enact_at: BlockNumberFor<T>,
		},
		/// The proposal did not reach its track's approval or quorum.
		Rejected { proposal: ProposalId, tally: Tally, electorate: u32 },
		/// The proposal's call was executed with its track's origin.
		Executed { proposal: ProposalId, result: DispatchResult },
		/// The proposal was cancelled before execution.
		Cancelled { proposal: ProposalId },
		/// An emergency effect was ratified and no longer expires.
		Ratified { proposal: ProposalId },
		/// An unratified emergency effect expired and was undone.
		EmergencyExpired { proposal: ProposalId, result: DispatchResult },
		/// The revert of an expired emergency effect failed; it is tried again at `retry_at`
		/// (`None`: attempts exhausted, the effect stays until a vote lifts it).
		EmergencyRevertFailed {
			proposal: ProposalId,
			error: DispatchError,
			retry_at: Option<BlockNumberFor<T>>,
		},
		/// A later proposal `by` renewed the emergency effect of `proposal`, or lifted it by a
		/// normal vote: `proposal`'s expiry no longer applies.
		EmergencySuperseded { proposal: ProposalId, by: ProposalId },
		/// An emergency vote found its effect already in force and renewed it until
		/// `expires_at`.
		EmergencyRenewed { proposal: ProposalId, expires_at: BlockNumberFor<T> },
		/// A track's parameters changed.
		TrackUpdated { track: Track, params: TrackParams<BlockNumberFor<T>> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not the voting account of an active entity.
		NotEntity,
		/// The track has no parameters.
		UnknownTrack,
		/// The track cannot authorize this call.
		CallNotAllowedOnTrack,
		/// The encoded call is longer than `MaxCallLen`.
		CallTooLong,
		/// The entity has `MaxOpenPerEntity` undecided proposals.
		TooManyOpen,
		/// The proposer cannot cover the deposit.
		InsufficientDeposit,
		/// No proposal with this id.
		UnknownProposal,
		/// The proposal is not open for votes.
		NotVoting,
		/// The entity already cast this vote.
		AlreadyVoted,
		/// The proposal's block has not come yet.
		TooEarly,
		/// The proposal is not approved (or already executed).
		NotApproved,
		/// Only undecided or unexecuted proposals can be cancelled.
		NotCancellable,
		/// Not an emergency effect that is still pending expiry.
		NotRatifiable,
		/// Thresholds must be fractions in (0, 1], periods positive, emergency without delay,
		/// and a parameters decision (vote and enactment) shorter than the emergency period
		/// and the decision deadline (the bridge's shortest quarantine delay).
		InvalidTrackParams,
		/// The approval is below the track's floor.
		BelowFloor,
		/// The weight given is below the call's weight.
		WeightTooLow,
		/// A counter overflowed.
		Overflow,
		/// The scheduler refused the task.
		SchedulerFailed,
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
		/// Submit `call` on `track` for the entities to vote on. The caller must be an active
		/// entity's voting account; a deposit is held until the decision.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::propose(T::MaxCallLen::get()))]
		pub fn propose(
			origin: OriginFor<T>,
			track: Track,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let proposer = T::Entities::active_entity_of(&who).ok_or(Error::<T>::NotEntity)?;
			let params = Tracks::<T>::get(track).ok_or(Error::<T>::UnknownTrack)?;
			ensure!(T::Policy::authorizes(track, &call), Error::<T>::CallNotAllowedOnTrack);
			let call_weight = call.get_dispatch_info().call_weight;
			let encoded: BoundedVec<u8, T::MaxCallLen> =
				call.encode().try_into().map_err(|_| Error::<T>::CallTooLong)?;
			let open = OpenProposals::<T>::get(proposer);
			ensure!(open < T::MaxOpenPerEntity::get(), Error::<T>::TooManyOpen);
			let deposit = T::ProposalDeposit::get();
			let reason = HoldReason::ProposalDeposit.into();
			ensure!(T::Currency::can_hold(&reason, &who, deposit), Error::<T>::InsufficientDeposit);
			let id = NextProposalId::<T>::get();
			let next = id.checked_add(1).ok_or(Error::<T>::Overflow)?;
			let now = frame_system::Pallet::<T>::block_number();
			let ends = now.saturating_add(params.voting_period);

			Self::schedule(Task::Decide, id, ends, Call::<T>::decide { proposal: id })?;
			T::Currency::hold(&reason, &who, deposit)?;
			let call_hash = sp_io::hashing::blake2_256(&encoded);
			Proposals::<T>::insert(
				id,
				Proposal {
					track,
					proposer,
					depositor: who,
					deposit,
					call: encoded,
					call_hash,
					call_weight,
					submitted_at: now,
					status: ProposalStatus::Voting { ends },
					tally: Tally::default(),
					electorate: 0,
					error: None,
					expires_at: None,
					ratified: false,
				},
			);
			NextProposalId::<T>::put(next);
			OpenProposals::<T>::insert(proposer, open.saturating_add(1));
			Self::deposit_event(Event::Proposed {
				proposal: id,
				track,
				proposer,
				call_hash,
				voting_ends: ends,
			});
			Ok(())
		}

		/// Vote on an open proposal for the caller's entity; a later vote replaces the earlier.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::vote())]
		pub fn vote(origin: OriginFor<T>, proposal: ProposalId, vote: Vote) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let entity = T::Entities::active_entity_of(&who).ok_or(Error::<T>::NotEntity)?;
			let mut p = Proposals::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
			let now = frame_system::Pallet::<T>::block_number();
			match p.status {
				ProposalStatus::Voting { ends } if now < ends => {},
				_ => return Err(Error::<T>::NotVoting.into()),
			}
			let previous = Votes::<T>::get(proposal, entity);
			if let Some(old) = &previous {
				ensure!(old.vote != vote, Error::<T>::AlreadyVoted);
				Self::count(&mut p.tally, old.vote, false);
			}
			Self::count(&mut p.tally, vote, true);
			Votes::<T>::insert(proposal, entity, VoteRecord { entity, vote, voter: who, at: now });
			Proposals::<T>::insert(proposal, p);
			Self::deposit_event(Event::Voted { proposal, entity, vote });
			Ok(())
		}

		/// Decide a proposal at the end of its voting period (scheduled; Root only). Releases
		/// the deposit and, if passed, schedules the enactment.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::decide(T::MaxEntities::get()))]
		pub fn decide(origin: OriginFor<T>, proposal: ProposalId) -> DispatchResult {
			ensure_root(origin)?;
			let mut p = Proposals::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
			let now = frame_system::Pallet::<T>::block_number();
			match p.status {
				ProposalStatus::Voting { ends } => ensure!(now >= ends, Error::<T>::TooEarly),
				_ => return Err(Error::<T>::NotVoting.into()),
			}
			let params = Tracks::<T>::get(p.track).ok_or(Error::<T>::UnknownTrack)?;
			// Only entities still active count, against the electorate of now.
			let mut tally = Tally::default();
			for (entity, record) in Votes::<T>::iter_prefix(proposal) {
				if T::Entities::is_active(entity) {
					Self::count(&mut tally, record.vote, true);
				}
			}
			let electorate = T::Entities::active_count();
			// The floor holds even for parameters stored before it existed.
			let passed = params.approval.is_reached(tally.ayes, electorate)
				&& Self::floor(p.track).is_reached(tally.ayes, electorate)
				&& params.quorum.is_reached(tally.turnout(), electorate);
			let enact_at = now.saturating_add(params.enactment_delay.max(One::one()));
			if passed {
				Self::schedule(
					Task::Enact,
					proposal,
					enact_at,
					Call::<T>::enact { proposal, weight: p.call_weight },
				)?;
			}
			Self::release_deposit(&mut p);
			OpenProposals::<T>::mutate(p.proposer, |n| *n = n.saturating_sub(1));
			p.tally = tally;
			p.electorate = electorate;
			if passed {
				p.status = ProposalStatus::Approved { at: enact_at };
				Self::deposit_event(Event::Approved { proposal, tally, electorate, enact_at });
			} else {
				p.status = ProposalStatus::Rejected { at: now };
				Self::deposit_event(Event::Rejected { proposal, tally, electorate });
			}
			Proposals::<T>::insert(proposal, p);
			Ok(())
		}

		/// Execute an approved proposal's call with its track's origin at its enactment block
		/// (scheduled; Root only) and record the result. `weight` is the call's weight.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::enact().saturating_add(*weight))]
		pub fn enact(origin: OriginFor<T>, proposal: ProposalId, weight: Weight) -> DispatchResult {
			ensure_root(origin)?;
			let mut p = Proposals::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
			let now = frame_system::Pallet::<T>::block_number();
			match p.status {
				ProposalStatus::Approved { at } => ensure!(now >= at, Error::<T>::TooEarly),
				_ => return Err(Error::<T>::NotApproved.into()),
			}
			ensure!(p.call_weight.all_lte(weight), Error::<T>::WeightTooLow);
			let call = Self::decode_call(&p.call);
			let result = match &call {
				// The policy may have changed (a runtime upgrade) since the proposal was made.
				Some(call) if !T::Policy::authorizes(p.track, call) => {
					Err(Error::<T>::CallNotAllowedOnTrack.into())
				},
				Some(call) => call
					.clone()
					.dispatch(T::Policy::origin(p.track).into())
					.map(|_| ())
					.map_err(|e| e.error),
				// Stored under an older runtime whose calls no longer decode.
				None => Err(Error::<T>::UnknownProposal.into()),
			};
			let mut result = result;
			// A vote that executes a pending effect's revert itself has lifted the effect.
			if let (Ok(()), Some(call)) = (result, &call) {
				let key = effect_key(call);
				if let Some(owner) = EffectOwners::<T>::take(key) {
					Self::supersede(owner, proposal);
				}
			}
			let revert = call.as_ref().and_then(T::Policy::emergency_revert);
			if let (Track::Emergency, Some(revert)) = (p.track, revert) {
				let key = effect_key(&revert);
				let previous = EffectOwners::<T>::get(key).filter(|o| *o != proposal);
				// Failing because the effect is already in force: a renewal.
				let renewed = result.is_err() && previous.is_some();
				if renewed {
					result = Ok(());
				}
				if result.is_ok() {
					if let Some(old) = previous {
						Self::supersede(old, proposal);
					}
					let expires = now.saturating_add(EmergencyPeriod::<T>::get().max(One::one()));
					let weight = revert.get_dispatch_info().call_weight;
					Self::schedule_expiry(proposal, 0, expires, weight)?;
					EffectOwners::<T>::insert(key, proposal);
					p.expires_at = Some(expires);
					if renewed {
						Self::deposit_event(Event::EmergencyRenewed {
							proposal,
							expires_at: expires,
						});
					}
				}
			}
			p.status = ProposalStatus::Executed { at: now, ok: result.is_ok() };
			p.error = result.err();
			Proposals::<T>::insert(proposal, p);
			Self::deposit_event(Event::Executed { proposal, result });
			Ok(())
		}

		/// Undo an unratified emergency effect when it expires (scheduled; Root only).
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::expire().saturating_add(*weight))]
		pub fn expire(
			origin: OriginFor<T>,
			proposal: ProposalId,
			weight: Weight,
		) -> DispatchResult {
			ensure_root(origin)?;
			let mut p = Proposals::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
			let now = frame_system::Pallet::<T>::block_number();
			let expires = match (p.expires_at, p.ratified) {
				(Some(at), false) => at,
				_ => return Err(Error::<T>::NotRatifiable.into()),
			};
			ensure!(now >= expires, Error::<T>::TooEarly);
			let revert = Self::decode_call(&p.call)
				.and_then(|c| T::Policy::emergency_revert(&c))
				.ok_or(Error::<T>::NotRatifiable)?;
			let revert_weight = revert.get_dispatch_info().call_weight;
			ensure!(revert_weight.all_lte(weight), Error::<T>::WeightTooLow);
			let key = effect_key(&revert);
			match EffectOwners::<T>::get(key) {
				// Renewed or lifted since: not ours to undo (the supersession clears this
				// expiry; this is its defensive twin).
				Some(owner) if owner != proposal => {
					p.expires_at = None;
					RevertAttempts::<T>::remove(proposal);
					Proposals::<T>::insert(proposal, p);
					Self::deposit_event(Event::EmergencySuperseded { proposal, by: owner });
					return Ok(());
				},
				_ => {},
			}
			// The call filter (a safe mode, a paused call) must not keep the effect in force.
			let result = revert
				.dispatch_bypass_filter(T::Policy::origin(Track::Emergency).into())
				.map(|_| ())
				.map_err(|e| e.error);
			match result {
				Ok(()) => {
					p.expires_at = None;
					EffectOwners::<T>::remove(key);
					RevertAttempts::<T>::remove(proposal);
					Self::deposit_event(Event::EmergencyExpired { proposal, result });
				},
				Err(error) => {
					let attempts = RevertAttempts::<T>::get(proposal).saturating_add(1);
					let retry_at = (attempts < T::MaxRevertAttempts::get())
						.then(|| now.saturating_add(T::RevertRetryInterval::get().max(One::one())));
					match retry_at {
						Some(at) => {
							Self::schedule_expiry(proposal, attempts, at, revert_weight)?;
							RevertAttempts::<T>::insert(proposal, attempts);
						},
						None => {
							EffectOwners::<T>::remove(key);
							RevertAttempts::<T>::remove(proposal);
						},
					}
					p.expires_at = retry_at;
					Self::deposit_event(Event::EmergencyRevertFailed { proposal, error, retry_at });
				},
			}
			Proposals::<T>::insert(proposal, p);
			Ok(())
		}

		/// Cancel a proposal that is still voting or waiting for enactment; releases its
		/// deposit.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::cancel())]
		pub fn cancel(origin: OriginFor<T>, proposal: ProposalId) -> DispatchResult {
			T::CancelOrigin::ensure_origin(origin)?;
			let mut p = Proposals::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
			let task = match p.status {
				ProposalStatus::Voting { .. } => Task::Decide,
				ProposalStatus::Approved { .. } => Task::Enact,
				_ => return Err(Error::<T>::NotCancellable.into()),
			};
			// The task may have been dropped by the scheduler; the status below stops it anyway.
			let _ = T::Scheduler::cancel_named(task_name(task, proposal));
			if matches!(task, Task::Decide) {
				Self::release_deposit(&mut p);
				OpenProposals::<T>::mutate(p.proposer, |n| *n = n.saturating_sub(1));
			}
			p.status = ProposalStatus::Cancelled { at: frame_system::Pallet::<T>::block_number() };
			Proposals::<T>::insert(proposal, p);
			Self::deposit_event(Event::Cancelled { proposal });
			Ok(())
		}

		/// Keep an executed emergency effect: it no longer expires.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::ratify())]
		pub fn ratify(origin: OriginFor<T>, proposal: ProposalId) -> DispatchResult {
			T::RatifyOrigin::ensure_origin(origin)?;
			let mut p = Proposals::<T>::get(proposal).ok_or(Error::<T>::UnknownProposal)?;
			ensure!(p.expires_at.is_some() && !p.ratified, Error::<T>::NotRatifiable);
			let attempts = RevertAttempts::<T>::take(proposal);
			let _ = T::Scheduler::cancel_named(expire_task_name(proposal, attempts));
			// A ratified effect has no expiry to own; a later emergency vote starts afresh.
			Self::release_effect(proposal, &p);
			p.ratified = true;
			Proposals::<T>::insert(proposal, p);
			Self::deposit_event(Event::Ratified { proposal });
			Ok(())
		}

		/// Change how a track decides. Applies to proposals decided from now on.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_track().saturating_add(T::DecisionDeadline::weight()))]
		pub fn set_track(
			origin: OriginFor<T>,
			track: Track,
			params: TrackParams<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::TrackAdminOrigin::ensure_origin(origin)?;
			ensure!(Self::params_valid(track, &params), Error::<T>::InvalidTrackParams);
			ensure!(
				params.approval.at_least_as_strict_as(&Self::floor(track)),
				Error::<T>::BelowFloor
			);
			let mut all = Self::tracks();
			all.retain(|(t, _)| *t != track);
			all.push((track, params));
			ensure!(
				Self::decisions_in_time(&all, EmergencyPeriod::<T>::get()),
				Error::<T>::InvalidTrackParams
			);
			Tracks::<T>::insert(track, params);
			Self::deposit_event(Event::TrackUpdated { track, params });
			Ok(())
		}
	}
}

/// Ensures a passed proposal of the parameters track.
pub struct EnsureParameters;
/// Ensures a passed proposal of the emergency track.
pub struct EnsureEmergency;

macro_rules! ensure_track_origin {
	($name:ident, $variant:ident) => {
		impl<O: OriginTrait + From<Origin>> EnsureOrigin<O> for $name
		where
			O: Into<Result<Origin, O>>,
		{
			type Success = ();
			fn try_origin(o: O) -> Result<(), O> {
				o.into().and_then(|o| match o {
					Origin::$variant => Ok(()),
					other => Err(O::from(other)),
				})
			}
			#[cfg(feature = "runtime-benchmarks")]
			fn try_successful_origin() -> Result<O, ()> {
				Ok(O::from(Origin::$variant))
			}
		}
	};
}
ensure_track_origin!(EnsureParameters, Parameters);
ensure_track_origin!(EnsureEmergency, Emergency);

impl<T: Config> Pallet<T> {
	fn params_valid(track: Track, p: &TrackParams<BlockNumberFor<T>>) -> bool {
		p.approval.is_valid()
			&& p.quorum.is_valid()
			&& !p.voting_period.is_zero()
			&& (track != Track::Emergency || p.enactment_delay.is_zero())
	}

	/// The approval `track` never goes below.
	pub fn floor(track: Track) -> Threshold {
		match track {
			Track::RuntimeUpgrade => T::RuntimeUpgradeFloor::get(),
			Track::Membership => T::MembershipFloor::get(),
			Track::Parameters => T::ParametersFloor::get(),
			Track::Emergency => T::EmergencyFloor::get(),
		}
	}

	/// Blocks from a parameters-track proposal to its enactment (voting period plus an
	/// enactment of at least one block), if the track exists.
	pub fn parameters_decision_time() -> Option<BlockNumberFor<T>> {
		Tracks::<T>::get(Track::Parameters).map(|p| Self::decision_time(&p))
	}

	fn decision_time(p: &TrackParams<BlockNumberFor<T>>) -> BlockNumberFor<T> {
		p.voting_period.saturating_add(p.enactment_delay.max(One::one()))
	}

	/// Whether a parameters-track vote started when an emergency effect comes into force (a
	/// ratification) or a mint enters quarantine (a cancellation) enacts in time: its decision
	/// time is shorter than the emergency period and than [`Config::DecisionDeadline`].
	/// Without a parameters track there is nothing to check.
	pub fn decisions_in_time(
		tracks: &[(Track, TrackParams<BlockNumberFor<T>>)],
		emergency_period: BlockNumberFor<T>,
	) -> bool {
		let deadline = T::DecisionDeadline::deadline();
		tracks.iter().filter(|(t, _)| *t == Track::Parameters).all(|(_, p)| {
			let time = Self::decision_time(p);
			time < emergency_period && deadline.is_none_or(|d| time < d)
		})
	}

	fn schedule_expiry(
		proposal: ProposalId,
		attempts: u32,
		when: BlockNumberFor<T>,
		weight: Weight,
	) -> DispatchResult {
		let call = Call::<T>::expire { proposal, weight };
		Self::schedule_named(expire_task_name(proposal, attempts), proposal, when, call)
	}

	/// `old`'s pending expiry no longer applies: `by` renewed or lifted its effect.
	fn supersede(old: ProposalId, by: ProposalId) {
		let attempts = RevertAttempts::<T>::take(old);
		let _ = T::Scheduler::cancel_named(expire_task_name(old, attempts));
		Proposals::<T>::mutate(old, |p| {
			if let Some(p) = p {
				p.expires_at = None;
			}
		});
		Self::deposit_event(Event::EmergencySuperseded { proposal: old, by });
	}

	/// Forgets `proposal` as the owner of its effect.
	fn release_effect(proposal: ProposalId, p: &ProposalOf<T>) {
		let key = Self::decode_call(&p.call)
			.and_then(|c| T::Policy::emergency_revert(&c))
			.map(|r| effect_key(&r));
		if let Some(key) = key {
			if EffectOwners::<T>::get(key) == Some(proposal) {
				EffectOwners::<T>::remove(key);
			}
		}
	}

	fn count(tally: &mut Tally, vote: Vote, add: bool) {
		let slot = match vote {
			Vote::Aye => &mut tally.ayes,
			Vote::Nay => &mut tally.nays,
			Vote::Abstain => &mut tally.abstentions,
		};
		*slot = if add { slot.saturating_add(1) } else { slot.saturating_sub(1) };
	}

	fn schedule(
		task: Task,
		id: ProposalId,
		when: BlockNumberFor<T>,
		call: Call<T>,
	) -> DispatchResult {
		Self::schedule_named(task_name(task, id), id, when, call)
	}

	/// Schedules `call` (about proposal `id`) as Root at `when` under `name`.
	fn schedule_named(
		name: [u8; 32],
		id: ProposalId,
		when: BlockNumberFor<T>,
		call: Call<T>,
	) -> DispatchResult {
		let call: <T as Config>::RuntimeCall = call.into();
		let inline = call.encode().try_into().map_err(|_| Error::<T>::SchedulerFailed)?;
		T::Scheduler::schedule_named(
			name,
			DispatchTime::At(when),
			None,
			frame_support::traits::schedule::HIGHEST_PRIORITY,
			frame_system::RawOrigin::Root.into(),
			Bounded::Inline(inline),
		)
		.map_err(|e| {
			log::warn!(target: "runtime::governance", "scheduling for proposal {id} failed: {e:?}");
			Error::<T>::SchedulerFailed
		})?;
		Ok(())
	}

	fn release_deposit(p: &mut ProposalOf<T>) {
		if p.deposit.is_zero() {
			return;
		}
		let released = T::Currency::release(
			&HoldReason::ProposalDeposit.into(),
			&p.depositor,
			p.deposit,
			Precision::BestEffort,
		);
		if released.is_err() {
			defensive!("proposal deposit was not held");
		}
		p.deposit = Zero::zero();
	}

	fn decode_call(bytes: &[u8]) -> Option<<T as Config>::RuntimeCall> {
		<T as Config>::RuntimeCall::decode_with_depth_limit(CALL_DECODE_DEPTH, &mut &bytes[..]).ok()
	}

	/// Up to `limit` proposals from id `from`, for the `governance_proposals` RPC.
	pub fn proposal_views(
		from: ProposalId,
		limit: u32,
	) -> Vec<ProposalView<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>> {
		let end = from.saturating_add(limit).min(NextProposalId::<T>::get());
		(from..end)
			.filter_map(|id| Proposals::<T>::get(id).map(|p| (id, p)))
			.map(|(id, p)| ProposalView {
				id,
				track: p.track,
				proposer: p.proposer,
				depositor: p.depositor,
				deposit: p.deposit,
				call: p.call.into_inner(),
				call_hash: p.call_hash,
				submitted_at: p.submitted_at,
				status: p.status,
				tally: p.tally,
				electorate: p.electorate,
				error: p.error.map(|e| e.encode()),
				expires_at: p.expires_at,
				ratified: p.ratified,
			})
			.collect()
	}

	/// Every vote on `proposal`, for the `governance_votes` RPC.
	pub fn vote_records(proposal: ProposalId) -> Vec<VoteRecordOf<T>> {
		let mut votes: Vec<_> = Votes::<T>::iter_prefix_values(proposal).collect();
		votes.sort_by_key(|v| v.entity);
		votes
	}

	/// The tracks, for the `governance_tracks` part of the API.
	pub fn tracks() -> Vec<(Track, TrackParams<BlockNumberFor<T>>)> {
		Track::ALL.iter().filter_map(|t| Tracks::<T>::get(t).map(|p| (*t, p))).collect()
	}

	/// Invariants: deposits of undecided proposals are exactly what is held, and the open
	/// counts match the undecided proposals.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::BTreeMap;
		let mut held: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut open: BTreeMap<EntityId, u32> = BTreeMap::new();
		for (id, p) in Proposals::<T>::iter() {
			ensure!(id < NextProposalId::<T>::get(), "proposal id beyond NextProposalId");
			let voting = matches!(p.status, ProposalStatus::Voting { .. });
			ensure!(
				voting != p.deposit.is_zero() || T::ProposalDeposit::get().is_zero(),
				"deposit"
			);
			let sum = held.entry(p.depositor.clone()).or_default();
			*sum = sum.saturating_add(p.deposit);
			if voting {
				*open.entry(p.proposer).or_default() += 1;
			}
		}
		for (who, amount) in held {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::ProposalDeposit.into(), &who);
			ensure!(on_hold == amount, "held deposits differ from open proposals");
		}
		for (entity, n) in OpenProposals::<T>::iter() {
			ensure!(open.get(&entity).copied().unwrap_or_default() == n, "open count mismatch");
		}
		for (_, owner) in EffectOwners::<T>::iter() {
			let p = Proposals::<T>::get(owner).ok_or("effect owned by an unknown proposal")?;
			ensure!(p.expires_at.is_some() && !p.ratified, "effect owner has no pending expiry");
		}
		for (id, _) in RevertAttempts::<T>::iter() {
			let p = Proposals::<T>::get(id).ok_or("revert attempts of an unknown proposal")?;
			ensure!(p.expires_at.is_some(), "revert attempts without a pending expiry");
		}
		Ok(())
	}
}
