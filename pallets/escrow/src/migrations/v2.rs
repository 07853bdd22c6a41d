//! v1 → v2: `ClockStoppedSince` takes over the clock's standstill from `PausedSince`.

use crate::{ClockStoppedSince, Config, ExternallyStopped, Pallet, PausedSince};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};

/// Copies a pause in force into `ClockStoppedSince`; no outside stop is known yet (the next
/// block's `on_initialize` records one).
pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		if let Some(since) = PausedSince::<T>::get() {
			ClockStoppedSince::<T>::put(since);
		}
		ExternallyStopped::<T>::kill();
		T::DbWeight::get().reads_writes(1, 2)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		Ok(Pallet::<T>::clock().encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let before = frame_system::pallet_prelude::BlockNumberFor::<T>::decode(&mut &state[..])
			.map_err(|_| "pre-upgrade clock undecodable")?;
		ensure!(Pallet::<T>::clock() == before, "the escrow clock moved in the migration");
		Pallet::<T>::do_try_state()
	}
}

/// [`InnerMigrateV1ToV2`], run once: only while the on-chain storage version is 1.
pub type MigrateV1ToV2<T> = VersionedMigration<
	1,
	2,
	InnerMigrateV1ToV2<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::*;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

	#[test]
	fn a_pause_in_force_keeps_the_clock_still_after_the_upgrade() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(1).put::<Pallet<Test>>();
			// Under v1 a pause from block 3 stopped the clock by itself.
			PausedSince::<Test>::put(3);
			ClockStoppedSince::<Test>::kill();
			System::set_block_number(10);
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			assert_eq!(ClockStoppedSince::<Test>::get(), Some(3));
			assert_eq!(Pallet::<Test>::clock(), 3);
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
			Pallet::<Test>::do_try_state().unwrap();
		});
	}
}
