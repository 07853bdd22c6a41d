//! Benchmarks of the operators pallet. The registry is filled to `n` active entities whose
//! validators all have session keys and form the planned set: the safety checks then iterate
//! the whole registry, the worst case.

use super::*;
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;

const SEED: u32 = 0;

/// Gives benchmark validators session keys (the runtime writes `pallet-session`'s `NextKeys`).
pub trait BenchmarkHelper<AccountId> {
	/// Register session keys for `who`.
	fn register_session_keys(who: &AccountId);
}

impl<AccountId> BenchmarkHelper<AccountId> for () {
	fn register_session_keys(_: &AccountId) {}
}

fn text<T: Config>(c: u8) -> BoundedVec<u8, T::MaxNameLen> {
	BoundedVec::truncate_from(alloc::vec![c; T::MaxNameLen::get() as usize])
}

fn admission<T: Config>(i: u32) -> AdmissionOf<T> {
	let mut peer = alloc::vec![0u8; T::MaxPeerIdLen::get() as usize];
	peer[..4].copy_from_slice(&i.to_le_bytes());
	let validator: T::AccountId = account("validator", i, SEED);
	T::BenchmarkHelper::register_session_keys(&validator);
	Admission {
		legal_name: text::<T>(b'n'),
		licence: text::<T>(b'l'),
		jurisdiction: text::<T>(b'j'),
		voting_account: account("voter", i, SEED),
		validator,
		peer_id: BoundedVec::truncate_from(peer),
	}
}

/// `n` active entities (on top of genesis), all planned validators.
fn fill<T: Config>(n: u32) {
	let start = NextEntityId::<T>::get();
	for i in start..start.saturating_add(n) {
		Pallet::<T>::insert_entity(admission::<T>(i), Zero::zero()).expect("below MaxEntities");
	}
	let planned: Vec<T::AccountId> = Entities::<T>::iter_values()
		.filter(|e| e.status == EntityStatus::Active)
		.map(|e| e.validator)
		.collect();
	Validators::<T>::put(BoundedVec::truncate_from(planned));
}

fn free_slots<T: Config>() -> u32 {
	T::MaxEntities::get().saturating_sub(NextEntityId::<T>::get())
}

/// The newest entity and its voting account, for the node benchmarks.
fn node_owner<T: Config>() -> (EntityId, T::AccountId) {
	fill::<T>(1.min(free_slots::<T>()));
	let target = NextEntityId::<T>::get() - 1;
	(target, Entities::<T>::get(target).unwrap().voting_account)
}

/// Peer id `i` of a node of maximal length.
fn peer<T: Config>(i: u32) -> BoundedVec<u8, T::MaxPeerIdLen> {
	let mut p = alloc::vec![0xdd; T::MaxPeerIdLen::get() as usize];
	p[..4].copy_from_slice(&i.to_le_bytes());
	BoundedVec::truncate_from(p)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn admit() {
		fill::<T>(free_slots::<T>().saturating_sub(1));
		let a = admission::<T>(T::MaxEntities::get());
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| "no admin origin").unwrap();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, a);
		assert_eq!(NextEntityId::<T>::get(), T::MaxEntities::get());
	}

	#[benchmark]
	fn suspend(n: Linear<4, { T::MaxEntities::get() }>) {
		fill::<T>(n.min(free_slots::<T>()));
		let target = NextEntityId::<T>::get() - 1;
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| "no admin origin").unwrap();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, target);
		assert_eq!(Entities::<T>::get(target).map(|e| e.status), Some(EntityStatus::Suspended));
	}

	#[benchmark]
	fn reinstate() {
		fill::<T>(4.min(free_slots::<T>()));
		let target = NextEntityId::<T>::get() - 1;
		Pallet::<T>::suspend(T::AdminOrigin::try_successful_origin().unwrap(), target).unwrap();
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| "no admin origin").unwrap();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, target);
		assert_eq!(Entities::<T>::get(target).map(|e| e.status), Some(EntityStatus::Active));
	}

	#[benchmark]
	fn remove(n: Linear<4, { T::MaxEntities::get() }>) {
		fill::<T>(n.min(free_slots::<T>()));
		let target = NextEntityId::<T>::get() - 1;
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| "no admin origin").unwrap();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, target);
		assert_eq!(Entities::<T>::get(target).map(|e| e.status), Some(EntityStatus::Removed));
	}

	#[benchmark]
	fn change_voting_key() {
		fill::<T>(1.min(free_slots::<T>()));
		let target = NextEntityId::<T>::get() - 1;
		let voter = Entities::<T>::get(target).unwrap().voting_account;
		let new: T::AccountId = account("new-voter", 0, SEED);
		#[extrinsic_call]
		_(RawOrigin::Signed(voter), new.clone());
		assert_eq!(VotingAccounts::<T>::get(new), Some(target));
	}

	#[benchmark]
	fn set_validator(n: Linear<4, { T::MaxEntities::get() }>) {
		fill::<T>(n.min(free_slots::<T>()));
		let target = NextEntityId::<T>::get() - 1;
		let voter = Entities::<T>::get(target).unwrap().voting_account;
		let new: T::AccountId = account("new-validator", 0, SEED);
		T::BenchmarkHelper::register_session_keys(&new);
		#[extrinsic_call]
		_(RawOrigin::Signed(voter), new.clone());
		assert_eq!(ValidatorAccounts::<T>::get(new), Some(target));
	}

	#[benchmark]
	fn set_peer_id() {
		fill::<T>(1.min(free_slots::<T>()));
		let target = NextEntityId::<T>::get() - 1;
		let voter = Entities::<T>::get(target).unwrap().voting_account;
		let peer = BoundedVec::truncate_from(alloc::vec![0xee; T::MaxPeerIdLen::get() as usize]);
		#[extrinsic_call]
		_(RawOrigin::Signed(voter), peer.clone());
		assert_eq!(PeerIds::<T>::get(peer), Some(target));
	}

	/// The last free slot of the entity's other nodes.
	#[benchmark]
	fn add_node() {
		let (target, voter) = node_owner::<T>();
		for i in 1..T::MaxExtraNodes::get() {
			Pallet::<T>::add_node(RawOrigin::Signed(voter.clone()).into(), peer::<T>(i)).unwrap();
		}
		#[extrinsic_call]
		_(RawOrigin::Signed(voter), peer::<T>(0));
		assert_eq!(PeerIds::<T>::get(peer::<T>(0)), Some(target));
	}

	/// The last of a full list of other nodes.
	#[benchmark]
	fn remove_node() {
		let (_, voter) = node_owner::<T>();
		for i in 0..T::MaxExtraNodes::get() {
			Pallet::<T>::add_node(RawOrigin::Signed(voter.clone()).into(), peer::<T>(i)).unwrap();
		}
		let last = peer::<T>(T::MaxExtraNodes::get() - 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(voter), last.clone());
		assert_eq!(PeerIds::<T>::get(last), None);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(0), crate::mock::Test);
}
