//! Benchmarks of the guardian-recovery pallet; each takes its worst path (full guardian sets,
//! bonds to move, freezes to apply and lift).

use super::*;
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;

const SEED: u32 = 0;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = T::DepositBase::get()
		.saturating_add(T::DepositPerGuardian::get().saturating_mul(T::MaxGuardians::get().into()))
		.saturating_add(T::InitiationBond::get())
		.saturating_mul(10u32.into())
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&who, amount);
	who
}

fn guardians<T: Config>(n: u32) -> Vec<T::AccountId> {
	let mut g: Vec<T::AccountId> = (0..n).map(|i| funded::<T>("guardian", i)).collect();
	g.sort();
	g
}

/// `lost` with `n` guardians, threshold `n`, the minimum delay.
fn guarded<T: Config>(n: u32) -> (T::AccountId, Vec<T::AccountId>) {
	let lost = funded::<T>("lost", 0);
	let g = guardians::<T>(n);
	Pallet::<T>::set_guardians(
		RawOrigin::Signed(lost.clone()).into(),
		g.clone(),
		n,
		T::MinDelay::get(),
	)
	.expect("valid guardian set");
	(lost, g)
}

/// A recovery of `lost` opened by a bonded stranger, approved by all guardians.
fn opened<T: Config>(lost: &T::AccountId, g: &[T::AccountId]) -> T::AccountId {
	let initiator = funded::<T>("initiator", 0);
	let new_account = funded::<T>("new", 0);
	Pallet::<T>::initiate(RawOrigin::Signed(initiator.clone()).into(), lost.clone(), new_account)
		.expect("recovery opens");
	for guardian in g {
		Pallet::<T>::approve(RawOrigin::Signed(guardian.clone()).into(), lost.clone())
			.expect("guardian approves");
	}
	initiator
}

/// A recovery of `lost` opened by a bonded stranger, with no approvals.
fn stranger_opened<T: Config>(lost: &T::AccountId) {
	let initiator = funded::<T>("initiator", 0);
	let new_account = funded::<T>("new", 0);
	Pallet::<T>::initiate(RawOrigin::Signed(initiator).into(), lost.clone(), new_account)
		.expect("recovery opens");
}

fn advance<T: Config>(blocks: BlockNumberFor<T>) {
	let now = frame_system::Pallet::<T>::block_number();
	frame_system::Pallet::<T>::set_block_number(now.saturating_add(blocks));
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Scheduling a change of an existing set (the more expensive path).
	#[benchmark]
	fn set_guardians(n: Linear<1, { T::MaxGuardians::get() }>) {
		let (lost, _) = guarded::<T>(1);
		let new = guardians::<T>(n);

		#[extrinsic_call]
		_(RawOrigin::Signed(lost.clone()), new, n, T::MinDelay::get());

		assert!(PendingChanges::<T>::contains_key(&lost));
	}

	#[benchmark]
	fn remove_guardians() {
		let (lost, _) = guarded::<T>(T::MaxGuardians::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(lost.clone()));

		assert!(PendingChanges::<T>::contains_key(&lost));
	}

	#[benchmark]
	fn apply_guardian_change(n: Linear<1, { T::MaxGuardians::get() }>) {
		let (lost, _) = guarded::<T>(T::MaxGuardians::get());
		let new = guardians::<T>(n);
		Pallet::<T>::set_guardians(
			RawOrigin::Signed(lost.clone()).into(),
			new,
			n,
			T::MinDelay::get(),
		)
		.expect("change scheduled");
		advance::<T>(T::MinDelay::get());
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), lost.clone());

		assert!(!PendingChanges::<T>::contains_key(&lost));
	}

	#[benchmark]
	fn cancel_guardian_change() {
		let (lost, _) = guarded::<T>(T::MaxGuardians::get());
		let new = guardians::<T>(T::MaxGuardians::get());
		Pallet::<T>::set_guardians(
			RawOrigin::Signed(lost.clone()).into(),
			new,
			1,
			T::MinDelay::get(),
		)
		.expect("change scheduled");

		#[extrinsic_call]
		_(RawOrigin::Signed(lost.clone()));

		assert!(!PendingChanges::<T>::contains_key(&lost));
	}

	/// A stranger opening a recovery in place of another stranger's expired one (binary search
	/// over a full set, the old bond paid to the owner, then a new bond hold).
	#[benchmark]
	fn initiate() {
		let (lost, _) = guarded::<T>(T::MaxGuardians::get());
		stranger_opened::<T>(&lost);
		advance::<T>(T::RecoveryExpiry::get());
		let initiator = funded::<T>("initiator", 1);
		let new_account = funded::<T>("new", 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(initiator.clone()), lost.clone(), new_account);

		assert_eq!(Recoveries::<T>::get(&lost).map(|r| r.initiator), Some(initiator));
	}

	/// The last of `n` guardians approving.
	#[benchmark]
	fn approve(n: Linear<1, { T::MaxGuardians::get() }>) {
		let (lost, g) = guarded::<T>(n);
		let initiator = funded::<T>("initiator", 0);
		let new_account = funded::<T>("new", 0);
		Pallet::<T>::initiate(RawOrigin::Signed(initiator).into(), lost.clone(), new_account)
			.expect("recovery opens");
		let (last, others) = g.split_last().expect("n >= 1");
		for guardian in others {
			Pallet::<T>::approve(RawOrigin::Signed(guardian.clone()).into(), lost.clone())
				.expect("guardian approves");
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), lost.clone());

		assert_eq!(Recoveries::<T>::get(&lost).map(|r| r.approvals.len() as u32), Some(n));
	}

	#[benchmark]
	fn finalize() {
		let (lost, g) = guarded::<T>(T::MaxGuardians::get());
		opened::<T>(&lost, &g);
		advance::<T>(T::MinDelay::get());
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), lost.clone());

		assert!(Recovered::<T>::contains_key(&lost));
	}

	/// The owner cancelling and receiving the bond.
	#[benchmark]
	fn cancel() {
		let (lost, g) = guarded::<T>(T::MaxGuardians::get());
		opened::<T>(&lost, &g);

		#[extrinsic_call]
		_(RawOrigin::Signed(lost.clone()), lost.clone());

		assert!(!Recoveries::<T>::contains_key(&lost));
	}

	/// The vote that reaches the threshold and freezes the balance.
	#[benchmark]
	fn freeze(n: Linear<1, { T::MaxGuardians::get() }>) {
		let (lost, g) = guarded::<T>(n);
		let (last, others) = g.split_last().expect("n >= 1");
		for guardian in others {
			Pallet::<T>::freeze(RawOrigin::Signed(guardian.clone()).into(), lost.clone())
				.expect("vote counts");
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), lost.clone());

		assert!(Pallet::<T>::is_frozen(&lost));
	}

	/// A frozen recovered account: thaw, dispatch, freeze again. The inner call's own weight is
	/// added at dispatch time.
	#[benchmark]
	fn as_recovered() {
		let (lost, g) = guarded::<T>(T::MaxGuardians::get());
		for guardian in &g {
			Pallet::<T>::freeze(RawOrigin::Signed(guardian.clone()).into(), lost.clone())
				.expect("vote counts");
		}
		opened::<T>(&lost, &g);
		advance::<T>(T::MinDelay::get());
		Pallet::<T>::finalize(RawOrigin::Signed(lost.clone()).into(), lost.clone())
			.expect("recovery finishes");
		let rescuer = Recovered::<T>::get(&lost).expect("recovered");
		let call: <T as Config>::RuntimeCall =
			frame_system::Call::<T>::remark { remark: Vec::new() }.into();

		#[extrinsic_call]
		_(RawOrigin::Signed(rescuer), lost.clone(), Box::new(call));

		assert!(Pallet::<T>::is_frozen(&lost));
	}

	/// Governance replacing a stranger's recovery (its bond paid to the owner).
	#[benchmark]
	fn force_recovery() -> Result<(), BenchmarkError> {
		let origin =
			T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (lost, _) = guarded::<T>(T::MaxGuardians::get());
		stranger_opened::<T>(&lost);
		let new_account = funded::<T>("new", 1);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lost.clone(), new_account);

		assert!(Recoveries::<T>::get(&lost).is_some_and(|r| r.forced));
		Ok(())
	}

	/// The objection of the last of `n` guardians, which closes a stranger's recovery.
	#[benchmark]
	fn close_recovery(n: Linear<1, { T::MaxGuardians::get() }>) {
		let (lost, g) = guarded::<T>(n);
		stranger_opened::<T>(&lost);
		let (last, others) = g.split_last().expect("n >= 1");
		for guardian in others {
			Pallet::<T>::close_recovery(RawOrigin::Signed(guardian.clone()).into(), lost.clone())
				.expect("objection counts");
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), lost.clone());

		assert!(!Recoveries::<T>::contains_key(&lost));
	}

	#[benchmark]
	fn force_close_recovery() -> Result<(), BenchmarkError> {
		let origin =
			T::ForceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (lost, _) = guarded::<T>(T::MaxGuardians::get());
		stranger_opened::<T>(&lost);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, lost.clone());

		assert!(!Recoveries::<T>::contains_key(&lost));
		Ok(())
	}

	#[benchmark]
	fn close_expired_recovery() {
		let (lost, _) = guarded::<T>(T::MaxGuardians::get());
		stranger_opened::<T>(&lost);
		advance::<T>(T::RecoveryExpiry::get());
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), lost.clone());

		assert!(!Recoveries::<T>::contains_key(&lost));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
