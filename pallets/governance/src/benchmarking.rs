//! Benchmarks of the governance pallet. Proposals carry calls the runtime supplies through
//! [`BenchmarkHelper`]: a `len`-byte call on some track, and an emergency call with a revert.
//! `decide` is measured with every entity's vote to count.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::Mutate;
use frame_system::RawOrigin;

/// What the runtime provides to the benchmarks.
pub trait BenchmarkHelper<AccountId, Call> {
	/// Voting account of an active entity `i` (created if needed), funded for deposits.
	fn entity(i: u32) -> AccountId;
	/// A call of about `len` encoded bytes and a track that authorizes it.
	fn call(len: u32) -> (Track, Call);
	/// An emergency-track call for which the runtime names a revert.
	fn emergency_call() -> Call;
}

fn entity<T: Config>(i: u32) -> T::AccountId {
	let who = T::BenchmarkHelper::entity(i);
	let _ = T::Currency::mint_into(&who, T::ProposalDeposit::get().saturating_mul(100u32.into()));
	who
}

fn submit<T: Config>(track: Track, call: <T as Config>::RuntimeCall) -> ProposalId {
	let id = NextProposalId::<T>::get();
	Pallet::<T>::propose(RawOrigin::Signed(entity::<T>(0)).into(), track, Box::new(call))
		.expect("benchmark proposal");
	id
}

fn run_to<T: Config>(n: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(n);
}

/// Ends the voting of `id` with `n` ayes and decides it (without running the scheduler).
fn pass<T: Config>(id: ProposalId, n: u32) {
	for i in 0..n {
		Pallet::<T>::vote(RawOrigin::Signed(entity::<T>(i)).into(), id, Vote::Aye).unwrap();
	}
	let ProposalStatus::Voting { ends } = Proposals::<T>::get(id).unwrap().status else {
		panic!("not voting")
	};
	run_to::<T>(ends);
	Pallet::<T>::decide(RawOrigin::Root.into(), id).unwrap();
}

fn enact_now<T: Config>(id: ProposalId) {
	let p = Proposals::<T>::get(id).unwrap();
	let ProposalStatus::Approved { at } = p.status else { panic!("not approved") };
	run_to::<T>(at);
	Pallet::<T>::enact(RawOrigin::Root.into(), id, p.call_weight).unwrap();
}

fn all_entities<T: Config>() -> u32 {
	let n = T::MaxEntities::get();
	for i in 0..n {
		entity::<T>(i);
	}
	n
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn propose(l: Linear<1, { T::MaxCallLen::get() / 2 }>) {
		let (track, call) = T::BenchmarkHelper::call(l);
		let who = entity::<T>(0);
		#[extrinsic_call]
		_(RawOrigin::Signed(who), track, Box::new(call));
		assert_eq!(NextProposalId::<T>::get(), 1);
	}

	#[benchmark]
	fn vote() {
		let (track, call) = T::BenchmarkHelper::call(32);
		let id = submit::<T>(track, call);
		let who = entity::<T>(1);
		Pallet::<T>::vote(RawOrigin::Signed(who.clone()).into(), id, Vote::Nay).unwrap();
		#[extrinsic_call]
		_(RawOrigin::Signed(who), id, Vote::Aye);
		assert_eq!(Proposals::<T>::get(id).unwrap().tally.ayes, 1);
	}

	#[benchmark]
	fn decide(n: Linear<1, { T::MaxEntities::get() }>) {
		all_entities::<T>();
		let (track, call) = T::BenchmarkHelper::call(32);
		let id = submit::<T>(track, call);
		for i in 0..n {
			Pallet::<T>::vote(RawOrigin::Signed(entity::<T>(i)).into(), id, Vote::Aye).unwrap();
		}
		let ProposalStatus::Voting { ends } = Proposals::<T>::get(id).unwrap().status else {
			panic!("not voting")
		};
		run_to::<T>(ends);
		#[extrinsic_call]
		_(RawOrigin::Root, id);
		assert!(!matches!(Proposals::<T>::get(id).unwrap().status, ProposalStatus::Voting { .. }));
	}

	/// A renewal: the effect is in force under an earlier proposal, whose expiry is cancelled
	/// and whose ownership moves to this one.
	#[benchmark]
	fn enact() {
		let n = all_entities::<T>();
		let first = submit::<T>(Track::Emergency, T::BenchmarkHelper::emergency_call());
		pass::<T>(first, n);
		enact_now::<T>(first);
		let id = submit::<T>(Track::Emergency, T::BenchmarkHelper::emergency_call());
		pass::<T>(id, n);
		let p = Proposals::<T>::get(id).unwrap();
		let ProposalStatus::Approved { at } = p.status else { panic!("not approved") };
		run_to::<T>(at);
		#[extrinsic_call]
		_(RawOrigin::Root, id, p.call_weight);
		assert!(Proposals::<T>::get(id).unwrap().expires_at.is_some());
		assert!(Proposals::<T>::get(first).unwrap().expires_at.is_none());
	}

	/// A revert that fails (the effect was lifted outside governance): the failure is recorded
	/// and a retry scheduled. The revert's own weight is charged on top in every case.
	#[benchmark]
	fn expire() {
		let n = all_entities::<T>();
		let call = T::BenchmarkHelper::emergency_call();
		let id = submit::<T>(Track::Emergency, call.clone());
		pass::<T>(id, n);
		enact_now::<T>(id);
		let revert = T::Policy::emergency_revert(&call).expect("the helper's call has a revert");
		revert
			.dispatch_bypass_filter(T::Policy::origin(Track::Emergency).into())
			.expect("lifted outside governance");
		run_to::<T>(Proposals::<T>::get(id).unwrap().expires_at.unwrap());
		#[extrinsic_call]
		_(RawOrigin::Root, id, Weight::MAX);
		assert_eq!(RevertAttempts::<T>::get(id), 1);
	}

	#[benchmark]
	fn cancel() {
		let (track, call) = T::BenchmarkHelper::call(32);
		let id = submit::<T>(track, call);
		let origin =
			T::CancelOrigin::try_successful_origin().map_err(|_| "no cancel origin").unwrap();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert!(matches!(
			Proposals::<T>::get(id).unwrap().status,
			ProposalStatus::Cancelled { .. }
		));
	}

	#[benchmark]
	fn ratify() {
		let n = all_entities::<T>();
		let id = submit::<T>(Track::Emergency, T::BenchmarkHelper::emergency_call());
		pass::<T>(id, n);
		enact_now::<T>(id);
		let origin =
			T::RatifyOrigin::try_successful_origin().map_err(|_| "no ratify origin").unwrap();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);
		assert!(Proposals::<T>::get(id).unwrap().ratified);
	}

	#[benchmark]
	fn set_track() {
		let mut params = Tracks::<T>::get(Track::Parameters).unwrap();
		params.approval = Threshold::at_least(3, 4);
		let origin =
			T::TrackAdminOrigin::try_successful_origin().map_err(|_| "no admin origin").unwrap();
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Track::Parameters, params);
		assert_eq!(Tracks::<T>::get(Track::Parameters), Some(params));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
