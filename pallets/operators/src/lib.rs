//! # Operators pallet
//!
//! The registry of tpchain's licensed operators. Each is a separate legal entity with one vote
//! in governance, one validator and one node; the chain's PoA validator set and its
//! permissioned peer set follow this registry.
//!
//! ## Terminology
//!
//! - **Entity**: a licensed operator, identified by an [`EntityId`] that never changes: legal
//!   name, licence reference, jurisdiction, status (`Active`, `Suspended`, `Removed`).
//! - **Voting account**: proposes and votes for the entity; the entity rotates it itself with
//!   [`Pallet::change_voting_key`] (open votes are the entity's and stay).
//! - **Validator**: the entity's one validator account. It registers its session keys with
//!   `Session::set_keys(keys, proof)`, which checks proof of possession of every key.
//! - **Planned set**: the validator set this pallet last handed to `pallet-session`
//!   ([`Validators`]); it becomes the authority set one session later.
//!
//! ## Scenarios
//!
//! - *Admission*: a membership vote dispatches [`Pallet::admit`] with the entity's details,
//!   accounts and peer id. Validators accept its node as a peer from the next block; once its
//!   validator has set session keys it is planned at the next session boundary and authors
//!   from the session after.
//! - *Suspension / removal*: a membership vote dispatches [`Pallet::suspend`] or
//!   [`Pallet::remove`]; the entity loses its vote at once and its validator leaves at the
//!   next boundary. [`Pallet::reinstate`] undoes a suspension.
//! - *Key rotation*: the entity changes its voting account, validator account or peer id with
//!   its current voting account.
//!
//! ## Safety considerations
//!
//! - GRANDPA keeps finality only while more than 2/3 of the previous authority set carries
//!   over, so at most ⌊(n−1)/3⌋ of a planned set of n may leave at one boundary, and the set
//!   never drops below [`Config::MinValidators`]. Calls that would break either rule fail with
//!   [`Error::TooManyRemovals`] / [`Error::TooFewValidators`]; the session manager also defers
//!   departures beyond the limit to later boundaries, so the rule holds whatever the cause.
//! - Newcomers may be offline when their first session starts: at most ⌊(n−1)/3⌋ join a set
//!   of n at one boundary (at least one, so a small set can grow); later ones wait, admitted
//!   and voting, for the next boundaries ([`Pallet::max_additions`]).
//! - Accounts and peer ids are unique across entities; the registry is bounded by
//!   [`Config::MaxEntities`]; removed entities keep their record for the audit trail.
//! - The offchain worker of every node (the node runs it by default on validators, sentries
//!   and RPC nodes alike) sets the node's authorized peers to the admitted entities' peer ids,
//!   each entity's main node and its other nodes ([`Pallet::add_node`]), reserved-only: unknown
//!   nodes cannot peer with any node of the network.

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

use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Contains};
use frame_system::pallet_prelude::*;
use sp_runtime::traits::{One, Zero};
use tpchain_primitives::governance::{EntityId, EntityStatus, EntityView};

/// An entity with the runtime's types.
pub type EntityOf<T> = Entity<
	<T as frame_system::Config>::AccountId,
	BlockNumberFor<T>,
	<T as Config>::MaxNameLen,
	<T as Config>::MaxPeerIdLen,
>;
/// An admission with the runtime's types.
pub type AdmissionOf<T> = Admission<
	<T as frame_system::Config>::AccountId,
	<T as Config>::MaxNameLen,
	<T as Config>::MaxPeerIdLen,
>;

const LOG_TARGET: &str = "runtime::operators";

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Admits, suspends, reinstates and removes entities (the membership track).
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Validators that have registered session keys (`pallet-session`'s `NextKeys`); only
		/// they can be planned.
		type HasSessionKeys: Contains<Self::AccountId>;
		/// Most entities ever admitted, removed ones included (they stay on record).
		#[pallet::constant]
		type MaxEntities: Get<u32>;
		/// Longest legal name, licence reference or jurisdiction, in bytes.
		#[pallet::constant]
		type MaxNameLen: Get<u32>;
		/// Longest libp2p peer id, in bytes.
		#[pallet::constant]
		type MaxPeerIdLen: Get<u32>;
		/// Most nodes an entity runs besides its main one (sentries, RPC nodes), each admitted
		/// as a peer by every node of the network.
		#[pallet::constant]
		type MaxExtraNodes: Get<u32>;
		/// Fewest validators the planned set may have.
		#[pallet::constant]
		type MinValidators: Get<u32>;
		/// Blocks per session unless genesis sets another length.
		#[pallet::constant]
		type DefaultSessionLength: Get<BlockNumberFor<Self>>;
		/// Weights of this pallet's calls.
		type WeightInfo: WeightInfo;
		/// Registers session keys for benchmark validators.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId>;
	}

	/// Registered entities by id, including suspended and removed ones.
	#[pallet::storage]
	pub type Entities<T: Config> = StorageMap<_, Twox64Concat, EntityId, EntityOf<T>>;

	/// Id of the next admitted entity (= how many were admitted).
	#[pallet::storage]
	pub type NextEntityId<T: Config> = StorageValue<_, EntityId, ValueQuery>;

	/// Entities with status `Active`: the governance electorate.
	#[pallet::storage]
	pub type ActiveCount<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// Entity of each voting account (of entities not removed).
	#[pallet::storage]
	pub type VotingAccounts<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, EntityId>;

	/// Entity of each validator account (of entities not removed).
	#[pallet::storage]
	pub type ValidatorAccounts<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, EntityId>;

	/// Entity of each node peer id (of entities not removed).
	#[pallet::storage]
	pub type PeerIds<T: Config> =
		StorageMap<_, Blake2_128Concat, BoundedVec<u8, T::MaxPeerIdLen>, EntityId>;

	/// Peer ids of each entity's other nodes (sentries, RPC nodes), besides its main one.
	#[pallet::storage]
	pub type ExtraPeerIds<T: Config> = StorageMap<
		_,
		Twox64Concat,
		EntityId,
		BoundedVec<BoundedVec<u8, T::MaxPeerIdLen>, T::MaxExtraNodes>,
		ValueQuery,
	>;

	/// The validator set last planned for `pallet-session`.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxEntities>, ValueQuery>;

	/// Blocks per session (read by the runtime's session schedule).
	#[pallet::storage]
	pub type SessionLength<T: Config> =
		StorageValue<_, BlockNumberFor<T>, ValueQuery, T::DefaultSessionLength>;

	/// An entity in genesis.
	#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
	#[serde(rename_all = "camelCase", deny_unknown_fields)]
	pub struct GenesisEntity<AccountId> {
		/// Legal name.
		pub legal_name: alloc::string::String,
		/// Licence reference.
		pub licence: alloc::string::String,
		/// Jurisdiction.
		pub jurisdiction: alloc::string::String,
		/// Voting account.
		pub voting_account: AccountId,
		/// Validator account (its session keys go into `session.keys`).
		pub validator: AccountId,
		/// libp2p peer id, base58 as `tpchain-node key inspect-node-key` prints it.
		pub peer_id: alloc::string::String,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The founding entities, all `Active`, validators of session 0.
		pub entities: Vec<GenesisEntity<T::AccountId>>,
		/// Blocks per session (0: `DefaultSessionLength`).
		pub session_length: BlockNumberFor<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if !self.session_length.is_zero() {
				SessionLength::<T>::put(self.session_length);
			}
			let mut validators = Vec::new();
			for e in &self.entities {
				let bounded = |s: &str| -> BoundedVec<u8, T::MaxNameLen> {
					s.as_bytes().to_vec().try_into().expect("genesis entity text too long")
				};
				let peer = bs58::decode(&e.peer_id).into_vec().expect("genesis peer id not base58");
				let admission = Admission {
					legal_name: bounded(&e.legal_name),
					licence: bounded(&e.licence),
					jurisdiction: bounded(&e.jurisdiction),
					voting_account: e.voting_account.clone(),
					validator: e.validator.clone(),
					peer_id: peer.try_into().expect("genesis peer id too long"),
				};
				Pallet::<T>::ensure_admissible(&admission).expect("invalid genesis entity");
				Pallet::<T>::insert_entity(admission, Zero::zero()).expect("too many entities");
				validators.push(e.validator.clone());
			}
			let planned: BoundedVec<_, _> =
				validators.try_into().expect("bounded by MaxEntities above");
			Validators::<T>::put(planned);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An entity was admitted.
		EntityAdmitted { entity: EntityId, voting_account: T::AccountId, validator: T::AccountId },
		/// An entity was suspended: no vote, its validator leaves at the next boundary.
		EntitySuspended { entity: EntityId },
		/// A suspended entity is active again.
		EntityReinstated { entity: EntityId },
		/// An entity was removed for good.
		EntityRemoved { entity: EntityId },
		/// An entity rotated its voting account.
		VotingKeyChanged { entity: EntityId, old: T::AccountId, new: T::AccountId },
		/// An entity changed its validator account.
		ValidatorChanged { entity: EntityId, old: T::AccountId, new: T::AccountId },
		/// An entity changed its node's peer id.
		PeerIdChanged { entity: EntityId },
		/// An entity registered another node (a sentry, an RPC node).
		NodeAdded { entity: EntityId, peer_id: BoundedVec<u8, T::MaxPeerIdLen> },
		/// An entity withdrew one of its other nodes.
		NodeRemoved { entity: EntityId, peer_id: BoundedVec<u8, T::MaxPeerIdLen> },
		/// A validator set was planned for `session` (active one session later): `deferred`
		/// departures and `waiting` newcomers beyond the per-boundary limits wait for later ones.
		ValidatorSetPlanned {
			session: u32,
			size: u32,
			added: u32,
			removed: u32,
			deferred: u32,
			waiting: u32,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No entity with this id.
		UnknownEntity,
		/// The registry holds `MaxEntities` entities.
		TooManyEntities,
		/// Legal name, licence, jurisdiction or peer id is empty.
		EmptyDetail,
		/// The account already votes for an entity.
		VotingAccountInUse,
		/// The account is already an entity's validator.
		ValidatorInUse,
		/// The peer id is already an entity's node.
		PeerIdInUse,
		/// The entity is not active.
		NotActive,
		/// The entity is not suspended.
		NotSuspended,
		/// The entity was removed.
		Removed,
		/// The caller is not an entity's voting account.
		NotVotingAccount,
		/// The planned validator set would fall below `MinValidators`.
		TooFewValidators,
		/// More than ⌊(n−1)/3⌋ of the planned set would leave at the next boundary.
		TooManyRemovals,
		/// The entity runs `MaxExtraNodes` other nodes already.
		TooManyNodes,
		/// The peer id is not one of the entity's other nodes.
		UnknownNode,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn offchain_worker(_n: BlockNumberFor<T>) {
			let peers: Vec<sp_core::OpaquePeerId> =
				Self::admitted_peer_ids().into_iter().map(sp_core::OpaquePeerId).collect();
			// An empty registry (a chain without entities) must not cut the node off.
			if !peers.is_empty() {
				sp_io::offchain::set_authorized_nodes(peers, true);
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Admit a licensed entity as `Active`, with its voting and validator accounts and its
		/// node's peer id.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::admit())]
		pub fn admit(origin: OriginFor<T>, admission: AdmissionOf<T>) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::ensure_admissible(&admission)?;
			let now = frame_system::Pallet::<T>::block_number();
			let (voting_account, validator) =
				(admission.voting_account.clone(), admission.validator.clone());
			let entity = Self::insert_entity(admission, now)?;
			Self::deposit_event(Event::EntityAdmitted { entity, voting_account, validator });
			Ok(())
		}

		/// Suspend an active entity: it loses its vote now and its validator at the next
		/// boundary.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::suspend(T::MaxEntities::get()))]
		pub fn suspend(origin: OriginFor<T>, entity: EntityId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let mut info = Entities::<T>::get(entity).ok_or(Error::<T>::UnknownEntity)?;
			ensure!(info.status == EntityStatus::Active, Error::<T>::NotActive);
			Self::ensure_safe_departure(entity, None)?;
			info.status = EntityStatus::Suspended;
			Entities::<T>::insert(entity, info);
			ActiveCount::<T>::mutate(|c| *c = c.saturating_sub(1));
			Self::deposit_event(Event::EntitySuspended { entity });
			Ok(())
		}

		/// Make a suspended entity active again.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::reinstate())]
		pub fn reinstate(origin: OriginFor<T>, entity: EntityId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let mut info = Entities::<T>::get(entity).ok_or(Error::<T>::UnknownEntity)?;
			ensure!(info.status == EntityStatus::Suspended, Error::<T>::NotSuspended);
			info.status = EntityStatus::Active;
			Entities::<T>::insert(entity, info);
			ActiveCount::<T>::mutate(|c| *c = c.saturating_add(1));
			Self::deposit_event(Event::EntityReinstated { entity });
			Ok(())
		}

		/// Remove an entity for good. Its record stays; its accounts and peer id are released.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::remove(T::MaxEntities::get()).saturating_add(
			T::DbWeight::get().reads_writes(1, u64::from(T::MaxExtraNodes::get()).saturating_add(1))
		))]
		pub fn remove(origin: OriginFor<T>, entity: EntityId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let mut info = Entities::<T>::get(entity).ok_or(Error::<T>::UnknownEntity)?;
			ensure!(info.status != EntityStatus::Removed, Error::<T>::Removed);
			if info.status == EntityStatus::Active {
				Self::ensure_safe_departure(entity, None)?;
				ActiveCount::<T>::mutate(|c| *c = c.saturating_sub(1));
			}
			VotingAccounts::<T>::remove(&info.voting_account);
			ValidatorAccounts::<T>::remove(&info.validator);
			PeerIds::<T>::remove(&info.peer_id);
			for peer in ExtraPeerIds::<T>::take(entity) {
				PeerIds::<T>::remove(&peer);
			}
			info.status = EntityStatus::Removed;
			Entities::<T>::insert(entity, info);
			Self::deposit_event(Event::EntityRemoved { entity });
			Ok(())
		}

		/// Rotate the caller's entity to a new voting account. Open votes and proposals stay
		/// the entity's.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::change_voting_key())]
		pub fn change_voting_key(origin: OriginFor<T>, new: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (entity, mut info) = Self::entity_of_voter(&who)?;
			ensure!(!VotingAccounts::<T>::contains_key(&new), Error::<T>::VotingAccountInUse);
			VotingAccounts::<T>::remove(&who);
			VotingAccounts::<T>::insert(&new, entity);
			info.voting_account = new.clone();
			Entities::<T>::insert(entity, info);
			Self::deposit_event(Event::VotingKeyChanged { entity, old: who, new });
			Ok(())
		}

		/// Change the caller's entity's validator account; the new one must set session keys
		/// and replaces the old one at a later boundary.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_validator(T::MaxEntities::get()))]
		pub fn set_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (entity, mut info) = Self::entity_of_voter(&who)?;
			ensure!(!ValidatorAccounts::<T>::contains_key(&validator), Error::<T>::ValidatorInUse);
			if info.status == EntityStatus::Active {
				Self::ensure_safe_departure(entity, Some(validator.clone()))?;
			}
			let old = core::mem::replace(&mut info.validator, validator.clone());
			ValidatorAccounts::<T>::remove(&old);
			ValidatorAccounts::<T>::insert(&validator, entity);
			Entities::<T>::insert(entity, info);
			Self::deposit_event(Event::ValidatorChanged { entity, old, new: validator });
			Ok(())
		}

		/// Change the peer id of the caller's entity's node.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_peer_id())]
		pub fn set_peer_id(
			origin: OriginFor<T>,
			peer_id: BoundedVec<u8, T::MaxPeerIdLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (entity, mut info) = Self::entity_of_voter(&who)?;
			ensure!(!peer_id.is_empty(), Error::<T>::EmptyDetail);
			ensure!(!PeerIds::<T>::contains_key(&peer_id), Error::<T>::PeerIdInUse);
			PeerIds::<T>::remove(&info.peer_id);
			PeerIds::<T>::insert(&peer_id, entity);
			info.peer_id = peer_id;
			Entities::<T>::insert(entity, info);
			Self::deposit_event(Event::PeerIdChanged { entity });
			Ok(())
		}

		/// Register another node of the caller's entity (a sentry, an RPC node): every node of
		/// the network accepts it as a peer.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::add_node())]
		pub fn add_node(
			origin: OriginFor<T>,
			peer_id: BoundedVec<u8, T::MaxPeerIdLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (entity, _) = Self::entity_of_voter(&who)?;
			ensure!(!peer_id.is_empty(), Error::<T>::EmptyDetail);
			ensure!(!PeerIds::<T>::contains_key(&peer_id), Error::<T>::PeerIdInUse);
			let mut nodes = ExtraPeerIds::<T>::get(entity);
			nodes.try_push(peer_id.clone()).map_err(|_| Error::<T>::TooManyNodes)?;
			ExtraPeerIds::<T>::insert(entity, nodes);
			PeerIds::<T>::insert(&peer_id, entity);
			Self::deposit_event(Event::NodeAdded { entity, peer_id });
			Ok(())
		}

		/// Withdraw one of the caller's entity's other nodes: peers drop it at the next block.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::remove_node())]
		pub fn remove_node(
			origin: OriginFor<T>,
			peer_id: BoundedVec<u8, T::MaxPeerIdLen>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let (entity, _) = Self::entity_of_voter(&who)?;
			let mut nodes = ExtraPeerIds::<T>::get(entity);
			let at = nodes.iter().position(|p| *p == peer_id).ok_or(Error::<T>::UnknownNode)?;
			nodes.remove(at);
			ExtraPeerIds::<T>::insert(entity, nodes);
			PeerIds::<T>::remove(&peer_id);
			Self::deposit_event(Event::NodeRemoved { entity, peer_id });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	fn ensure_admissible(a: &AdmissionOf<T>) -> DispatchResult {
		ensure!(
			!a.legal_name.is_empty()
				&& !a.licence.is_empty()
				&& !a.jurisdiction.is_empty()
				&& !a.peer_id.is_empty(),
			Error::<T>::EmptyDetail
		);
		ensure!(NextEntityId::<T>::get() < T::MaxEntities::get(), Error::<T>::TooManyEntities);
		ensure!(
			!VotingAccounts::<T>::contains_key(&a.voting_account),
			Error::<T>::VotingAccountInUse
		);
		ensure!(!ValidatorAccounts::<T>::contains_key(&a.validator), Error::<T>::ValidatorInUse);
		ensure!(!PeerIds::<T>::contains_key(&a.peer_id), Error::<T>::PeerIdInUse);
		Ok(())
	}

	/// Writes a checked admission; returns the new id.
	fn insert_entity(a: AdmissionOf<T>, now: BlockNumberFor<T>) -> Result<EntityId, DispatchError> {
		let entity = NextEntityId::<T>::get();
		let next = entity.checked_add(1).ok_or(Error::<T>::TooManyEntities)?;
		VotingAccounts::<T>::insert(&a.voting_account, entity);
		ValidatorAccounts::<T>::insert(&a.validator, entity);
		PeerIds::<T>::insert(&a.peer_id, entity);
		Entities::<T>::insert(
			entity,
			Entity {
				legal_name: a.legal_name,
				licence: a.licence,
				jurisdiction: a.jurisdiction,
				status: EntityStatus::Active,
				voting_account: a.voting_account,
				validator: a.validator,
				peer_id: a.peer_id,
				admitted_at: now,
			},
		);
		NextEntityId::<T>::put(next);
		ActiveCount::<T>::mutate(|c| *c = c.saturating_add(1));
		Ok(entity)
	}

	fn entity_of_voter(who: &T::AccountId) -> Result<(EntityId, EntityOf<T>), DispatchError> {
		let entity = VotingAccounts::<T>::get(who).ok_or(Error::<T>::NotVotingAccount)?;
		let info = Entities::<T>::get(entity).ok_or(Error::<T>::UnknownEntity)?;
		ensure!(info.status != EntityStatus::Removed, Error::<T>::Removed);
		Ok((entity, info))
	}

	/// Validators of active entities with session keys, by entity id; `change` overrides one
	/// entity: `(id, None)` drops it, `(id, Some(v))` gives it validator `v`.
	fn desired_validators(change: Option<(EntityId, Option<T::AccountId>)>) -> Vec<T::AccountId> {
		Entities::<T>::iter()
			.filter(|(_, e)| e.status == EntityStatus::Active)
			.collect::<alloc::collections::BTreeMap<_, _>>()
			.into_iter()
			.filter_map(|(id, e)| match &change {
				Some((c, replacement)) if *c == id => replacement.clone(),
				_ => Some(e.validator),
			})
			.filter(T::HasSessionKeys::contains)
			.collect()
	}

	/// Whether the planned set could follow `entity` leaving (or switching to `replacement`)
	/// without breaking the minimum or the ⌊(n−1)/3⌋ rule.
	fn ensure_safe_departure(
		entity: EntityId,
		replacement: Option<T::AccountId>,
	) -> DispatchResult {
		let desired = Self::desired_validators(Some((entity, replacement)));
		let planned = Validators::<T>::get();
		ensure!(desired.len() as u32 >= T::MinValidators::get(), Error::<T>::TooFewValidators);
		let leaving = Self::departing(&planned, &desired).len() as u32;
		ensure!(leaving <= Self::max_departures(planned.len() as u32), Error::<T>::TooManyRemovals);
		Ok(())
	}

	/// Members of the planned set that `desired` no longer has.
	fn departing(planned: &[T::AccountId], desired: &[T::AccountId]) -> Vec<T::AccountId> {
		planned.iter().filter(|v| !desired.contains(v)).cloned().collect()
	}

	/// Most validators that may leave a set of `n` at one boundary.
	pub fn max_departures(n: u32) -> u32 {
		n.saturating_sub(1) / 3
	}

	/// Most validators that may join a set of `n` at one boundary: ⌊(n−1)/3⌋, so the set
	/// still finalizes if every newcomer is offline; but at least one, or a set of fewer than
	/// four could never grow (that one must be online for finality to go on).
	pub fn max_additions(n: u32) -> u32 {
		Self::max_departures(n).max(1)
	}

	/// The next planned set from the registry and the safety rules; `None` if unchanged.
	fn plan(session: u32) -> Option<Vec<T::AccountId>> {
		let desired = Self::desired_validators(None);
		let planned = Validators::<T>::get();
		let mut leaving = Self::departing(&planned, &desired);
		// Newcomers beyond the limit wait for later boundaries (the lowest entity ids join
		// first): if all of them were offline, the rest must still finalize.
		let allowed_in = Self::max_additions(planned.len() as u32) as usize;
		let mut joining = 0usize;
		let next: Vec<T::AccountId> = desired
			.into_iter()
			.filter(|v| {
				if planned.contains(v) {
					return true;
				}
				joining = joining.saturating_add(1);
				joining <= allowed_in
			})
			.collect();
		let added = joining.min(allowed_in) as u32;
		let waiting = joining.saturating_sub(allowed_in) as u32;
		// Departures beyond the limit stay one more session (the first-listed stay).
		let allowed = Self::max_departures(planned.len() as u32) as usize;
		let mut deferred: Vec<T::AccountId> =
			leaving.drain(..leaving.len().saturating_sub(allowed)).collect();
		let mut next = next;
		next.extend(deferred.iter().cloned());
		// Keep departing validators rather than go below the minimum.
		while (next.len() as u32) < T::MinValidators::get() {
			match leaving.pop() {
				Some(v) => {
					deferred.push(v.clone());
					next.push(v)
				},
				None => break,
			}
		}
		if (next.len() as u32) < T::MinValidators::get() || next.is_empty() {
			log::warn!(target: LOG_TARGET, "session {session}: planned set below minimum, kept");
			return None;
		}
		if next.len() == planned.len() && next.iter().all(|v| planned.contains(v)) {
			return None;
		}
		let bounded: BoundedVec<_, T::MaxEntities> = match next.clone().try_into() {
			Ok(b) => b,
			Err(_) => {
				defensive!("planned set larger than the registry");
				return None;
			},
		};
		Validators::<T>::put(bounded);
		Self::deposit_event(Event::ValidatorSetPlanned {
			session,
			size: next.len() as u32,
			added,
			removed: leaving.len() as u32,
			deferred: deferred.len() as u32,
			waiting,
		});
		Some(next)
	}

	/// Peer ids of admitted (active or suspended) entities' nodes, their other nodes included.
	pub fn admitted_peer_ids() -> Vec<Vec<u8>> {
		Entities::<T>::iter()
			.filter(|(_, e)| e.status != EntityStatus::Removed)
			.flat_map(|(id, e)| {
				core::iter::once(e.peer_id.into_inner())
					.chain(ExtraPeerIds::<T>::get(id).into_iter().map(|p| p.into_inner()))
			})
			.collect()
	}

	/// Every entity, for the `operators_list` RPC.
	pub fn entity_views() -> Vec<EntityView<T::AccountId, BlockNumberFor<T>>> {
		let planned = Validators::<T>::get();
		let mut all: Vec<_> = Entities::<T>::iter()
			.map(|(id, e)| EntityView {
				id,
				legal_name: e.legal_name.into_inner(),
				licence: e.licence.into_inner(),
				jurisdiction: e.jurisdiction.into_inner(),
				status: e.status,
				has_session_keys: T::HasSessionKeys::contains(&e.validator),
				validating: planned.contains(&e.validator),
				voting_account: e.voting_account,
				validator: e.validator,
				peer_id: e.peer_id.into_inner(),
				extra_peer_ids: ExtraPeerIds::<T>::get(id)
					.into_iter()
					.map(|p| p.into_inner())
					.collect(),
				admitted_at: e.admitted_at,
			})
			.collect();
		all.sort_by_key(|e| e.id);
		all
	}

	/// Invariants: the account and peer indexes and the active count match the registry, and
	/// the planned set is bounded and above the minimum.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let mut active = 0u32;
		let mut live = 0usize;
		let mut peers = 0usize;
		for (id, e) in Entities::<T>::iter() {
			ensure!(id < NextEntityId::<T>::get(), "entity id beyond NextEntityId");
			if e.status == EntityStatus::Active {
				active += 1;
			}
			if e.status != EntityStatus::Removed {
				live += 1;
				ensure!(VotingAccounts::<T>::get(&e.voting_account) == Some(id), "voting index");
				ensure!(ValidatorAccounts::<T>::get(&e.validator) == Some(id), "validator index");
				ensure!(PeerIds::<T>::get(&e.peer_id) == Some(id), "peer index");
				for peer in ExtraPeerIds::<T>::get(id) {
					ensure!(PeerIds::<T>::get(&peer) == Some(id), "extra peer index");
					peers += 1;
				}
			} else {
				ensure!(ExtraPeerIds::<T>::get(id).is_empty(), "removed entity keeps nodes");
			}
		}
		ensure!(active == ActiveCount::<T>::get(), "ActiveCount out of sync");
		ensure!(VotingAccounts::<T>::iter().count() == live, "stale voting accounts");
		ensure!(ValidatorAccounts::<T>::iter().count() == live, "stale validator accounts");
		ensure!(PeerIds::<T>::iter().count() == live + peers, "stale peer ids");
		Ok(())
	}
}

impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
	fn new_session(new_index: u32) -> Option<Vec<T::AccountId>> {
		Self::plan(new_index)
	}
	fn new_session_genesis(_new_index: u32) -> Option<Vec<T::AccountId>> {
		// Genesis validators come from `session.keys`; the registry's genesis lists the same.
		None
	}
	fn end_session(_end_index: u32) {}
	fn start_session(_start_index: u32) {}
}

impl<T: Config> tpchain_primitives::governance::Entities<T::AccountId> for Pallet<T> {
	fn active_entity_of(who: &T::AccountId) -> Option<EntityId> {
		let id = VotingAccounts::<T>::get(who)?;
		Self::is_active(id).then_some(id)
	}
	fn is_active(entity: EntityId) -> bool {
		Entities::<T>::get(entity).is_some_and(|e| e.status == EntityStatus::Active)
	}
	fn active_count() -> u32 {
		ActiveCount::<T>::get()
	}
}

/// The runtime's session length, for `pallet_session::PeriodicSessions`.
pub struct SessionLengthOf<T>(core::marker::PhantomData<T>);
impl<T: Config> Get<BlockNumberFor<T>> for SessionLengthOf<T> {
	fn get() -> BlockNumberFor<T> {
		// Never zero: a zero period would end a session every block.
		SessionLength::<T>::get().max(One::one())
	}
}
