//! v2 → v3: disputes carry a bond and escrows the payee's acceptance of their arbiters;
//! attestations are kept per escrow and oracles remember when they were registered.

use crate::{
	Attestations, BalanceOf, Config, Escrow, EscrowState, Escrows, NextRegistration, Oracles,
	Pallet, RegistrationId,
};
use alloc::vec::Vec;
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, storage_alias,
	traits::UncheckedOnRuntimeUpgrade, BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::Saturating;
use tpchain_primitives::{burn::PaymentReference, escrow::Leaf};

/// The v2 layouts.
pub mod old {
	use super::*;
	use crate::Milestone;

	/// v2 dispute state: no bond.
	#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub enum EscrowState<AccountId> {
		/// Open.
		Open,
		/// Disputed by `by`.
		Disputed {
			/// Who disputed.
			by: AccountId,
		},
	}

	/// v2 escrow: no arbiter acceptance.
	#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
	pub struct Escrow<
		AccountId,
		Balance,
		BlockNumber,
		MaxMilestones: Get<u32>,
		MaxArbiters: Get<u32>,
	> {
		pub payer: AccountId,
		pub payee: AccountId,
		pub milestones: BoundedVec<(Milestone<AccountId, Balance>, bool), MaxMilestones>,
		pub expires_at: BlockNumber,
		pub arbiters: BoundedVec<AccountId, MaxArbiters>,
		pub reference: PaymentReference,
		pub deposit: Balance,
		pub state: EscrowState<AccountId>,
		pub cancel_requested_by: Option<AccountId>,
	}

	/// v2 escrow with the runtime's types.
	pub type EscrowOf<T> = Escrow<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxMilestones,
		<T as Config>::MaxArbiters,
	>;

	/// v2 attestations: global, by oracle and statement.
	#[storage_alias]
	pub type Attestations<T: Config> = StorageDoubleMap<
		Pallet<T>,
		Blake2_128Concat,
		<T as frame_system::Config>::AccountId,
		Identity,
		H256,
		(),
	>;

	/// v2 oracles: no registration block.
	#[storage_alias]
	pub type Oracles<T: Config> =
		CountedStorageMap<Pallet<T>, Blake2_128Concat, <T as frame_system::Config>::AccountId, ()>;
}

/// Rewrites escrows (a dispute keeps a zero bond; arbiters await the payee's acceptance, only
/// governance resolves until then), gives every oracle a registration id, and copies each old
/// attestation to the open escrows whose unreleased milestones name it.
pub struct InnerMigrateV2ToV3<T>(core::marker::PhantomData<T>);

impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateV2ToV3<T> {
	fn on_runtime_upgrade() -> Weight {
		let mut reads = 0u64;
		let mut writes = 0u64;
		// Old attestations first: the new map shares their storage prefix.
		let attested: Vec<(T::AccountId, H256)> =
			old::Attestations::<T>::drain().map(|(o, s, ())| (o, s)).collect();
		reads.saturating_accrue(attested.len() as u64);
		writes.saturating_accrue(attested.len() as u64);
		let oracles: Vec<T::AccountId> = old::Oracles::<T>::iter_keys().collect();
		let mut registration: RegistrationId = 0;
		for oracle in oracles {
			Oracles::<T>::insert(&oracle, registration);
			registration.saturating_inc();
			reads.saturating_inc();
			writes.saturating_inc();
		}
		NextRegistration::<T>::put(registration);
		Escrows::<T>::translate::<old::EscrowOf<T>, _>(|id, e| {
			reads.saturating_inc();
			writes.saturating_inc();
			for (m, released) in e.milestones.iter() {
				if *released {
					continue;
				}
				for leaf in m.condition.leaves() {
					if let Leaf::Attested { oracle, statement } = leaf {
						let registration = Oracles::<T>::get(oracle);
						if let (true, Some(r)) =
							(attested.contains(&(oracle.clone(), *statement)), registration)
						{
							Attestations::<T>::insert(id, (oracle.clone(), *statement), r);
							writes.saturating_inc();
						}
					}
				}
			}
			Some(Escrow {
				payer: e.payer,
				payee: e.payee,
				milestones: e.milestones,
				expires_at: e.expires_at,
				arbiters: e.arbiters,
				reference: e.reference,
				deposit: e.deposit,
				state: match e.state {
					old::EscrowState::Open => EscrowState::Open,
					old::EscrowState::Disputed { by } => {
						EscrowState::Disputed { by, bond: Zero::zero() }
					},
				},
				cancel_requested_by: e.cancel_requested_by,
				arbiters_accepted: false,
			})
		});
		T::DbWeight::get().reads_writes(reads, writes)
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<Vec<u8>, sp_runtime::TryRuntimeError> {
		let escrows = Escrows::<T>::iter_keys().count() as u32;
		let oracles = old::Oracles::<T>::count();
		Ok((escrows, oracles, Pallet::<T>::clock()).encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		let (escrows, oracles, clock) = <(u32, u32, BlockNumberFor<T>)>::decode(&mut &state[..])
			.map_err(|_| "pre-upgrade state undecodable")?;
		ensure!(Escrows::<T>::iter().count() as u32 == escrows, "escrows lost in the migration");
		ensure!(Oracles::<T>::count() == oracles, "oracles lost in the migration");
		ensure!(Pallet::<T>::clock() == clock, "the escrow clock moved in the migration");
		ensure!(
			Escrows::<T>::iter_values().all(|e| !e.arbiters_accepted),
			"arbiters accepted without the payee"
		);
		Pallet::<T>::do_try_state()
	}
}

/// [`InnerMigrateV2ToV3`], run once: only while the on-chain storage version is 2.
pub type MigrateV2ToV3<T> = VersionedMigration<
	2,
	3,
	InnerMigrateV2ToV3<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::*;
	use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};
	use tpchain_primitives::escrow::Condition;

	#[test]
	fn v2_escrows_oracles_and_attestations_carry_over() {
		new_test_ext().execute_with(|| {
			StorageVersion::new(2).put::<Pallet<Test>>();
			let delivered = H256::repeat_byte(4);
			let other = H256::repeat_byte(5);
			// A v2 chain: the oracle registered, one disputed escrow that names its statement.
			Oracles::<Test>::remove(ORACLE);
			old::Oracles::<Test>::insert(ORACLE, ());
			old::Attestations::<Test>::insert(ORACLE, delivered, ());
			old::Attestations::<Test>::insert(ORACLE, other, ());
			let leaf = Leaf::Attested { oracle: ORACLE, statement: delivered };
			let escrow = old::Escrow::<AccountId, Balance, u64, ConstU32<4>, ConstU32<3>> {
				payer: PAYER,
				payee: PAYEE,
				milestones: alloc::vec![(
					crate::Milestone { amount: 100, condition: Condition::leaf(leaf) },
					false
				)]
				.try_into()
				.unwrap(),
				expires_at: 20,
				arbiters: alloc::vec![A1].try_into().unwrap(),
				reference: Default::default(),
				deposit: 0,
				state: old::EscrowState::Disputed { by: PAYEE },
				cancel_requested_by: None,
			};
			frame_support::storage::unhashed::put(&Escrows::<Test>::hashed_key_for(7), &escrow);
			System::set_block_number(9);
			MigrateV2ToV3::<Test>::on_runtime_upgrade();
			assert_eq!(Pallet::<Test>::on_chain_storage_version(), 3);
			let e = Escrows::<Test>::get(7).unwrap();
			assert_eq!(e.state, EscrowState::Disputed { by: PAYEE, bond: 0 });
			assert!(!e.arbiters_accepted);
			assert_eq!(Oracles::<Test>::get(ORACLE), Some(0));
			assert_eq!(NextRegistration::<Test>::get(), 1);
			assert_eq!(Oracles::<Test>::count(), 1);
			// The named statement moved to the escrow; the other one, named nowhere, is gone.
			assert_eq!(Attestations::<Test>::get(7, (ORACLE, delivered)), Some(0));
			assert_eq!(Attestations::<Test>::iter().count(), 1);
		});
	}
}
