//! Benchmarks of the burn-proofs pallet; every case is its worst case (longest bytes, existing
//! totals to update, full registries).

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;
use tpchain_primitives::burn::MAX_REFERENCE_LEN;

const DESTINATION: ChainId = ChainId(u32::MAX);

/// A funded caller, a registered destination and the smallest burn amount.
fn setup<T: Config>() -> (T::AccountId, BalanceOf<T>) {
	let caller: T::AccountId = whitelisted_caller();
	let amount = T::MinBurn::get().max(T::Currency::minimum_balance());
	let funds = amount.saturating_mul(1_000u32.into());
	T::Currency::set_balance(&caller, funds);
	Destinations::<T>::mutate(|d| {
		let _ = d.try_insert(DESTINATION);
	});
	(caller, amount)
}

fn beneficiary() -> Vec<u8> {
	// A 32-byte account, what every tpchain destination takes.
	vec![0xbe; 32]
}

fn reference() -> Vec<u8> {
	vec![0x7e; MAX_REFERENCE_LEN as usize]
}

/// Puts a large burn of `caller` in the queue; returns its request id.
fn pending<T: Config>(caller: &T::AccountId, amount: BalanceOf<T>) -> RequestId {
	LargeBurnThreshold::<T>::put(amount);
	let request = NextRequestId::<T>::get();
	Pallet::<T>::burn(
		RawOrigin::Signed(caller.clone()).into(),
		amount.saturating_mul(2u32.into()),
		Some(DESTINATION),
		beneficiary(),
		reference(),
	)
	.expect("large burn is requested");
	assert!(PendingBurns::<T>::contains_key(request));
	request
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn burn() {
		let (caller, amount) = setup::<T>();
		// Totals exist already, so they are read and updated (not created).
		Pallet::<T>::burn(
			RawOrigin::Signed(caller.clone()).into(),
			amount,
			Some(DESTINATION),
			beneficiary(),
			reference(),
		)
		.expect("first burn");
		let id = NextBurnId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), amount, Some(DESTINATION), beneficiary(), reference());

		assert!(Burns::<T>::contains_key(id));
	}

	#[benchmark]
	fn request_large_burn() {
		let (caller, amount) = setup::<T>();
		LargeBurnThreshold::<T>::put(amount);
		let request = NextRequestId::<T>::get();

		#[block]
		{
			Pallet::<T>::burn(
				RawOrigin::Signed(caller.clone()).into(),
				amount.saturating_mul(2u32.into()),
				Some(DESTINATION),
				beneficiary(),
				reference(),
			)
			.expect("large burn is requested");
		}

		assert!(PendingBurns::<T>::contains_key(request));
	}

	#[benchmark]
	fn cancel_large_burn() {
		let (caller, amount) = setup::<T>();
		let request = pending::<T>(&caller, amount);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), request);

		assert!(!PendingBurns::<T>::contains_key(request));
	}

	#[benchmark]
	fn approve_large_burn() -> Result<(), BenchmarkError> {
		let (caller, amount) = setup::<T>();
		let request = pending::<T>(&caller, amount);
		let origin =
			T::ApproveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let id = NextBurnId::<T>::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, request);

		assert!(Burns::<T>::contains_key(id));
		Ok(())
	}

	#[benchmark]
	fn reject_large_burn() -> Result<(), BenchmarkError> {
		let (caller, amount) = setup::<T>();
		let request = pending::<T>(&caller, amount);
		let origin =
			T::ApproveOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, request);

		assert!(!PendingBurns::<T>::contains_key(request));
		Ok(())
	}

	#[benchmark]
	fn set_large_burn_threshold() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let threshold = T::MinBurn::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, Some(threshold));

		assert_eq!(LargeBurnThreshold::<T>::get(), Some(threshold));
		Ok(())
	}

	#[benchmark]
	fn add_destination() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		// Full but one: the largest set that is decoded, extended and encoded.
		let full = T::MaxDestinations::get().saturating_sub(1);
		Destinations::<T>::put(
			BoundedBTreeSet::try_from(
				(0..full)
					.map(|i| ChainId(i.saturating_add(1_000)))
					.collect::<alloc::collections::BTreeSet<_>>(),
			)
			.map_err(|_| BenchmarkError::Weightless)?,
		);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, DESTINATION);

		assert!(Destinations::<T>::get().contains(&DESTINATION));
		Ok(())
	}

	#[benchmark]
	fn remove_destination() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let full = T::MaxDestinations::get().saturating_sub(1);
		let mut set = (0..full)
			.map(|i| ChainId(i.saturating_add(1_000)))
			.collect::<alloc::collections::BTreeSet<_>>();
		set.insert(DESTINATION);
		Destinations::<T>::put(
			BoundedBTreeSet::try_from(set).map_err(|_| BenchmarkError::Weightless)?,
		);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, DESTINATION);

		assert!(!Destinations::<T>::get().contains(&DESTINATION));
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
