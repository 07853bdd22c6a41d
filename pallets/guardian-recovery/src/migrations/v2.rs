//! v1 → v2: `ActiveRecovery` gains `objections`.

use crate::{BalanceOf, Config, Pallet, Recoveries, RecoveryOf};
use codec::{Decode, Encode};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};
use frame_system::pallet_prelude::BlockNumberFor;

/// The v1 layout of an open recovery.
#[derive(Encode, Decode)]
pub struct ActiveRecoveryV1<T: Config> {
	pub initiator: T::AccountId,
	pub new_account: T::AccountId,
	pub opened_at: BlockNumberFor<T>,
	pub approvals: BoundedVec<T::AccountId, T::MaxGuardians>,
	pub bond: BalanceOf<T>,
	pub forced: bool,
}

impl<T: Config> ActiveRecoveryV1<T> {
	fn upgraded(self) -> RecoveryOf<T> {
		crate::ActiveRecovery {
			initiator: self.initiator,
			new_account: self.new_account,
			opened_at: self.opened_at,
			approvals: self.approvals,
			bond: self.bond,
			forced: self.forced,
			objections: BoundedVec::default(),
		}
	}
}

/// Rewrites every open recovery with no objections. One entry per recovery under way: a
/// handful on a permissioned chain, so a single-block migration.
pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut count = 0u64;
		Recoveries::<T>::translate::<ActiveRecoveryV1<T>, _>(|_, old| {
			count = count.saturating_add(1);
			Some(old.upgraded())
		});
		T::DbWeight::get().reads_writes(count, count)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, sp_runtime::TryRuntimeError> {
		let count = Recoveries::<T>::iter_keys().count() as u32;
		Ok(count.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let before = u32::decode(&mut &state[..]).map_err(|_| "pre-upgrade state undecodable")?;
		let mut after = 0u32;
		for (_, recovery) in Recoveries::<T>::iter() {
			ensure!(recovery.objections.is_empty(), "migrated recovery has objections");
			after += 1;
		}
		ensure!(before == after, "recoveries lost in the migration");
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
	fn v1_recoveries_gain_empty_objections() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(1).put::<Pallet<Test>>();
			let old = ActiveRecoveryV1::<Test> {
				initiator: BOB,
				new_account: ALICE_NEW,
				opened_at: 3,
				approvals: vec![BOB].try_into().unwrap(),
				bond: 0,
				forced: false,
			};
			frame_support::storage::unhashed::put_raw(
				&Recoveries::<Test>::hashed_key_for(ALICE),
				&old.encode(),
			);
			MigrateV1ToV2::<Test>::on_runtime_upgrade();
			let new = Recoveries::<Test>::get(ALICE).expect("decodes as v2");
			assert_eq!((new.initiator, new.new_account, new.opened_at), (BOB, ALICE_NEW, 3));
			assert_eq!(new.approvals.to_vec(), vec![BOB]);
			assert!(new.objections.is_empty());
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
		});
	}
}
