//! # Supply pallet
//!
//! Counts every change of the native token's total issuance where it happens, so that an
//! auditor can add them up at any block: [`Pallet::report`] answers the runtime API
//! `SupplyApi::audit_supply`.
//!
//! ## Terminology
//! - **Genesis issuance**: total issuance when counting began ([`Baseline`]).
//! - **Minted / burned**: tokens the bridge created, per counterparty, and tokens
//!   `pallet-burn-proofs` destroyed, per destination: counted by those pallets, read through
//!   [`SupplySources`].
//! - **Fees, dust**: transaction fees and balances below the existential deposit, which the
//!   runtime burns; counted here by [`BurnFees`] and [`BurnDust`], the runtime's fee and dust
//!   handlers.
//! - **XCM flows**: what XCM programs withdrew from and deposited to accounts, what messages
//!   carried in and out, the fees programs paid, what they trapped and what was claimed
//!   ([`XcmFlows`]); the runtime's asset transactor, message executor, router, trap and fee
//!   handlers report them through [`Pallet::note_xcm`].
//! - **In traps**: assets an XCM program left behind stay issued but in no account until
//!   claimed (pallet-xcm's trap), a place of their own beside free, held and reserved.
//!
//! ## The identity
//! `genesis + minted − burned − fees − dust − xcm_destroyed = total issuance`
//! ([`tpchain_primitives::supply`]). Each term is counted at the place that changes the
//! issuance, independently of `Balances::TotalIssuance`; a mint or burn that bypasses every
//! counter shows as a difference and `reconciled: false`.
//!
//! ## Scenarios
//! - A new chain: genesis records the issuance after `pallet-balances` built its accounts.
//! - A live chain gaining this pallet: [`migrations::v1`] records the issuance at the upgrade,
//!   less the bridge's mints and plus the burns counted before it (their pallets kept totals
//!   since genesis); fees, dust and XCM flows count from that block (`counting_since`), those
//!   before it are folded into the baseline.
//!
//! ## Safety
//! The report reads the holds and freezes maps (entries only for accounts that hold or freeze
//! something) and the counters, never every account: `free` is derived as
//! `issuance − held − reserved − in_traps`. Traps made before counting began (a live chain
//! that gains the pallet) are not known to it: they make `try_state`'s sum differ by their
//! value, which it logs. `try_state` checks the derivation the long way, summing every
//! account's balance, and asserts the identity.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;

use alloc::vec::Vec;
use frame_support::traits::{
	fungible::{Credit, Inspect},
	Imbalance, OnUnbalanced,
};
use tpchain_primitives::{
	supply::{SupplyReport, XcmFlows},
	Balance, ChainId,
};

const LOG_TARGET: &str = "runtime::supply";

/// Where the runtime's other pallets keep what they count.
pub trait SupplySources<HoldReason, FreezeReason> {
	/// Minted by the bridge, per counterparty.
	fn minted() -> Vec<(ChainId, Balance)>;
	/// Burned through the burn pallet: everything, and per destination.
	fn burned() -> (Balance, Vec<(ChainId, Balance)>);
	/// Proven and waiting in quarantine, per counterparty.
	fn quarantined() -> Vec<(ChainId, Balance)>;
	/// Reserved outside holds (deposits of pallets on `ReservableCurrency`).
	fn reserved() -> Balance;
	/// How a hold reason is named in the report (`Pallet.Reason`).
	fn hold_name(reason: &HoldReason) -> &'static str;
	/// How a freeze reason is named in the report.
	fn freeze_name(reason: &FreezeReason) -> &'static str;
}

/// Where and since when counting began.
#[derive(
	codec::Encode,
	codec::Decode,
	codec::MaxEncodedLen,
	scale_info::TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct BaselineInfo<BlockNumber> {
	/// Issuance then, with the mints and burns counted before taken out.
	pub issuance: Balance,
	/// Block counting began.
	pub since: BlockNumber,
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::BlockNumberFor;

	/// In-code storage version.
	pub const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config + pallet_balances::Config<Balance = Balance> {
		/// What the bridge, burn and deposit-taking pallets count.
		type Sources: SupplySources<Self::RuntimeHoldReason, Self::FreezeIdentifier>;
	}

	/// Issuance when counting began; set at genesis or by the migration that adds the pallet.
	#[pallet::storage]
	pub type Baseline<T: Config> = StorageValue<_, BaselineInfo<BlockNumberFor<T>>, OptionQuery>;

	/// Transaction fees burned since counting began.
	#[pallet::storage]
	pub type FeesBurned<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// Dust burned since counting began.
	#[pallet::storage]
	pub type DustBurned<T: Config> = StorageValue<_, Balance, ValueQuery>;

	/// XCM programs' flows since counting began.
	#[pallet::storage]
	pub type Xcm<T: Config> = StorageValue<_, XcmFlows, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Baseline::<T>::put(Pallet::<T>::baseline_now());
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}
}

impl<T: Config> Pallet<T> {
	/// Issuance now with the counted mints taken out and burns put back: the baseline of a
	/// chain whose own counters start now.
	pub fn baseline_now() -> BaselineInfo<frame_system::pallet_prelude::BlockNumberFor<T>> {
		let minted = T::Sources::minted().iter().fold(0u128, |a, (_, b)| a.saturating_add(*b));
		let (burned, _) = T::Sources::burned();
		let issuance = pallet_balances::TotalIssuance::<T>::get()
			.saturating_sub(minted)
			.saturating_add(burned);
		BaselineInfo { issuance, since: frame_system::Pallet::<T>::block_number() }
	}

	/// Adds to the XCM counters (called by the runtime's XCM glue).
	pub fn note_xcm(f: impl FnOnce(&mut XcmFlows)) {
		Xcm::<T>::mutate(f);
	}

	/// The supply now, every token accounted for.
	pub fn report() -> SupplyReport {
		use alloc::collections::btree_map::BTreeMap;
		let total_issuance = pallet_balances::TotalIssuance::<T>::get();
		let baseline = Baseline::<T>::get().unwrap_or_default();
		let mut held = BTreeMap::<&'static str, Balance>::new();
		for holds in pallet_balances::Holds::<T>::iter_values() {
			for h in holds {
				let e = held.entry(T::Sources::hold_name(&h.id)).or_default();
				*e = e.saturating_add(h.amount);
			}
		}
		let mut frozen = BTreeMap::<&'static str, Balance>::new();
		for freezes in pallet_balances::Freezes::<T>::iter_values() {
			for f in freezes {
				let e = frozen.entry(T::Sources::freeze_name(&f.id)).or_default();
				*e = e.saturating_add(f.amount);
			}
		}
		let sorted = |m: BTreeMap<&'static str, Balance>| {
			let mut v: Vec<(Vec<u8>, Balance)> = m
				.into_iter()
				.filter(|(_, a)| *a > 0)
				.map(|(n, a)| (n.as_bytes().to_vec(), a))
				.collect();
			v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
			v
		};
		let (held, frozen) = (sorted(held), sorted(frozen));
		let held_total = held.iter().fold(0u128, |a, (_, b)| a.saturating_add(*b));
		let reserved = T::Sources::reserved();
		let (burned, burned_by_destination) = T::Sources::burned();
		let xcm = Xcm::<T>::get();
		SupplyReport {
			total_issuance,
			genesis_issuance: baseline.issuance,
			counting_since: sp_runtime::SaturatedConversion::saturated_into(baseline.since),
			free: (total_issuance as i128)
				.saturating_sub(held_total as i128)
				.saturating_sub(reserved as i128)
				.saturating_sub(xcm.in_traps())
				.try_into()
				.unwrap_or_default(),
			held,
			reserved,
			frozen,
			minted: T::Sources::minted(),
			burned,
			burned_by_destination,
			fees: FeesBurned::<T>::get(),
			dust: DustBurned::<T>::get(),
			xcm,
			quarantined: T::Sources::quarantined(),
		}
	}

	/// The identity holds, and every account's balance adds up to the total issuance (the
	/// long way: every account, so only under try-runtime and in tests).
	#[cfg(any(feature = "try-runtime", feature = "std", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let r = Self::report();
		if !r.reconciled() {
			log::error!(target: LOG_TARGET, "supply off by {} (issuance {})", r.difference(), r.total_issuance);
			return Err("supply identity does not hold".into());
		}
		let mut sum = 0u128;
		for who in frame_system::Account::<T>::iter_keys() {
			sum = sum.saturating_add(
				<pallet_balances::Pallet<T> as Inspect<T::AccountId>>::total_balance(&who),
			);
		}
		let in_accounts = (r.total_issuance as i128).saturating_sub(r.xcm.in_traps());
		if sum as i128 != in_accounts {
			log::error!(target: LOG_TARGET, "accounts hold {sum}, issuance less traps {in_accounts}");
			return Err("accounts and traps do not add up to the issuance".into());
		}
		let accounted = r.free.saturating_add(r.held_total()).saturating_add(r.reserved);
		frame_support::ensure!(accounted == sum, "free + held + reserved is not every balance");
		Ok(())
	}
}

/// The runtime's fee handler: burns transaction fees (and tips) and counts them.
pub struct BurnFees<T>(core::marker::PhantomData<T>);
impl<T: Config> OnUnbalanced<Credit<T::AccountId, pallet_balances::Pallet<T>>> for BurnFees<T> {
	fn on_nonzero_unbalanced(amount: Credit<T::AccountId, pallet_balances::Pallet<T>>) {
		FeesBurned::<T>::mutate(|f| *f = f.saturating_add(amount.peek()));
		drop(amount);
	}
}

/// The XCM trader's fee handler: burns execution fees programs paid and counts them.
pub struct BurnXcmFees<T>(core::marker::PhantomData<T>);
impl<T: Config> OnUnbalanced<Credit<T::AccountId, pallet_balances::Pallet<T>>> for BurnXcmFees<T> {
	fn on_nonzero_unbalanced(amount: Credit<T::AccountId, pallet_balances::Pallet<T>>) {
		Pallet::<T>::note_xcm(|x| x.fees = x.fees.saturating_add(amount.peek()));
		drop(amount);
	}
}

/// `pallet-balances`' dust handler: burns what an account leaves below the existential deposit
/// and counts it.
pub struct BurnDust<T>(core::marker::PhantomData<T>);
impl<T: Config> OnUnbalanced<Credit<T::AccountId, pallet_balances::Pallet<T>>> for BurnDust<T> {
	fn on_nonzero_unbalanced(amount: Credit<T::AccountId, pallet_balances::Pallet<T>>) {
		DustBurned::<T>::mutate(|d| *d = d.saturating_add(amount.peek()));
		drop(amount);
	}
}
