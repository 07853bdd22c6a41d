//! v0 → v1: a live chain gains the pallet. Counting begins at the upgrade block: the baseline
//! is the issuance then, less the bridge's mints and plus the burns their pallets counted since
//! genesis; fees, dust and XCM flows before the upgrade are folded into it.

use crate::{Baseline, Config, Pallet};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};

/// Records the baseline (unchecked: [`MigrateV0ToV1`] runs it only from version 0).
pub struct InitializeBaseline<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InitializeBaseline<T> {
	fn on_runtime_upgrade() -> Weight {
		let baseline = Pallet::<T>::baseline_now();
		log::info!(
			target: crate::LOG_TARGET,
			"supply counted from block {:?}, baseline issuance {}",
			baseline.since,
			baseline.issuance
		);
		Baseline::<T>::put(baseline);
		// Issuance, block number, the sources' totals (bounded by their counterparty and
		// destination limits; a handful of reads), one write.
		T::DbWeight::get().reads_writes(8, 1)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		ensure!(Baseline::<T>::get().is_none(), "a baseline exists before the migration");
		Ok(alloc::vec::Vec::new())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let b = Baseline::<T>::get().ok_or("no baseline after the migration")?;
		ensure!(
			b.since == frame_system::Pallet::<T>::block_number(),
			"baseline not at the upgrade"
		);
		ensure!(Pallet::<T>::report().reconciled(), "supply unreconciled after the migration");
		Ok(())
	}
}

/// The versioned migration the runtime lists.
pub type MigrateV0ToV1<T> = VersionedMigration<
	0,
	1,
	InitializeBaseline<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;
