//! v1 → v2: limits gain `header_threshold` and `min_header_age`; kept headers record the
//! block they were imported in and what was minted from them at once.

use crate::{Config, Counterparties, CounterpartyState, ImportedHeaders, KeptHeader, Pallet};
#[cfg(feature = "try-runtime")]
use alloc::vec::Vec;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::Saturating;
use tpchain_primitives::{
	bridge::{BridgeLimits, BridgeTotals, FinalizedHeader},
	Balance,
};

/// The v1 layouts.
pub mod old {
	use super::*;

	/// v1 limits: no aggregate quarantine, no header age.
	#[derive(Encode, Decode, TypeInfo, Clone, Copy, PartialEq, Eq, Debug)]
	pub struct BridgeLimits<Balance, BlockNumber> {
		pub max_transfer: Balance,
		pub window: BlockNumber,
		pub window_limit: Balance,
		pub quarantine_threshold: Balance,
		pub quarantine_delay: BlockNumber,
	}

	/// v1 counterparty state.
	#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub struct CounterpartyState<Balance, BlockNumber> {
		pub halted: bool,
		pub best: FinalizedHeader,
		pub next_slot: u32,
		pub limits: BridgeLimits<Balance, BlockNumber>,
		pub window_start: BlockNumber,
		pub window_used: Balance,
		pub totals: BridgeTotals<Balance>,
	}
}

/// Rewrites every counterparty (the new limits change nothing until governance sets them: no
/// aggregate threshold, no minimum age) and every kept header (imported now, nothing minted).
pub struct InnerMigrateV1ToV2<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV1ToV2<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut count = 0u64;
		Counterparties::<T>::translate::<old::CounterpartyState<Balance, BlockNumberFor<T>>, _>(
			|_, s| {
				count.saturating_inc();
				let l = s.limits;
				Some(CounterpartyState {
					halted: s.halted,
					best: s.best,
					next_slot: s.next_slot,
					limits: BridgeLimits {
						max_transfer: l.max_transfer,
						window: l.window,
						window_limit: l.window_limit,
						quarantine_threshold: l.quarantine_threshold,
						quarantine_delay: l.quarantine_delay,
						header_threshold: Balance::MAX,
						min_header_age: Zero::zero(),
					},
					window_start: s.window_start,
					window_used: s.window_used,
					totals: s.totals,
				})
			},
		);
		let now = frame_system::Pallet::<T>::block_number();
		ImportedHeaders::<T>::translate::<FinalizedHeader, _>(|_, _, header| {
			count.saturating_inc();
			Some(KeptHeader { header, imported_at: now, minted: 0 })
		});
		T::DbWeight::get().reads_writes(count, count)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		let counterparties = Counterparties::<T>::count();
		let headers = ImportedHeaders::<T>::iter_keys().count() as u32;
		Ok((counterparties, headers).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let (counterparties, headers) =
			<(u32, u32)>::decode(&mut &state[..]).map_err(|_| "pre-upgrade state undecodable")?;
		ensure!(
			Counterparties::<T>::iter_values().count() as u32 == counterparties,
			"counterparties lost in the migration"
		);
		ensure!(
			ImportedHeaders::<T>::iter_values().count() as u32 == headers,
			"kept headers lost in the migration"
		);
		ensure!(
			Counterparties::<T>::iter_values()
				.all(|s| s.limits.header_threshold == Balance::MAX
					&& s.limits.min_header_age.is_zero()),
			"the migration tightened limits governance did not vote"
		);
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
	use frame_support::{
		storage_alias,
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	};
	use tpchain_primitives::{ChainId, Hash};

	/// The v1 maps under their own names.
	mod v1 {
		use super::*;

		#[storage_alias]
		pub type Counterparties<T: Config> = CountedStorageMap<
			Pallet<T>,
			Twox64Concat,
			ChainId,
			old::CounterpartyState<Balance, BlockNumberFor<T>>,
		>;

		#[storage_alias]
		pub type ImportedHeaders<T: Config> =
			StorageDoubleMap<Pallet<T>, Twox64Concat, ChainId, Identity, Hash, FinalizedHeader>;
	}

	#[test]
	fn v1_counterparties_and_headers_carry_over_with_unchanged_behaviour() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(1).put::<Pallet<Test>>();
			System::set_block_number(42);
			let best = FinalizedHeader {
				number: 10,
				hash: Hash::repeat_byte(1),
				state_root: Hash::repeat_byte(2),
			};
			let limits = old::BridgeLimits {
				max_transfer: 1_000,
				window: 10,
				window_limit: 1_500,
				quarantine_threshold: 500,
				quarantine_delay: 5,
			};
			v1::Counterparties::<Test>::insert(
				A,
				old::CounterpartyState {
					halted: false,
					best,
					next_slot: 1,
					limits,
					window_start: 3,
					window_used: 7,
					totals: Default::default(),
				},
			);
			crate::HeaderRing::<Test>::insert(A, 0, best.hash);
			v1::ImportedHeaders::<Test>::insert(A, best.hash, best);
			crate::AuthoritySets::<Test>::insert(
				A,
				crate::StoredAuthoritySet { authorities: Default::default(), set_id: 0 },
			);

			MigrateV1ToV2::<Test>::on_runtime_upgrade();

			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 2);
			let s = Counterparties::<Test>::get(A).unwrap();
			assert_eq!(Counterparties::<Test>::count(), 1);
			assert_eq!((s.best, s.next_slot, s.window_start, s.window_used), (best, 1, 3, 7));
			assert_eq!(
				s.limits,
				BridgeLimits {
					max_transfer: 1_000,
					window: 10,
					window_limit: 1_500,
					quarantine_threshold: 500,
					quarantine_delay: 5,
					header_threshold: Balance::MAX,
					min_header_age: 0,
				}
			);
			assert_eq!(
				ImportedHeaders::<Test>::get(A, best.hash),
				Some(KeptHeader { header: best, imported_at: 42, minted: 0 })
			);
		});
	}
}
