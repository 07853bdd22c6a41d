//! Pool priority for licensed operators' batches.

use crate::{Call, Config};
use codec::{Decode, DecodeWithMemTracking, Encode};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::{TransactionSource, ValidTransaction},
	traits::{Get, IsSubType},
	DefaultNoBound,
};
use scale_info::TypeInfo;
use sp_runtime::{
	impl_tx_ext_default,
	traits::{AsSystemOriginSigner, DispatchInfoOf, TransactionExtension},
	Weight,
};
use tpchain_primitives::{governance::Entities, AccountId};

/// Transaction extension: a `settle` signed by an active licensed entity's account gets
/// `OperatorPriority` on top of what its fee buys, so operators' batches are taken first when
/// the pool holds more than a block. Anyone else's batches still settle, after them; the boost
/// changes only the order in the pool, never what a batch may do or pay.
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct PrioritizeOperatorBatches<T>(PhantomData<T>);

impl<T> core::fmt::Debug for PrioritizeOperatorBatches<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "PrioritizeOperatorBatches")
	}
}

impl<T> PrioritizeOperatorBatches<T> {
	/// The extension (it carries no data).
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for PrioritizeOperatorBatches<T>
where
	T::RuntimeCall: IsSubType<Call<T>>,
	<T::RuntimeCall as sp_runtime::traits::Dispatchable>::RuntimeOrigin:
		AsSystemOriginSigner<AccountId> + Clone,
{
	const IDENTIFIER: &'static str = "PrioritizeOperatorBatches";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		match call.is_sub_type() {
			// The entity lookup: the voting account's entry and the entity.
			Some(Call::settle { .. }) => T::DbWeight::get().reads(2),
			_ => Weight::zero(),
		}
	}

	fn validate(
		&self,
		origin: <T::RuntimeCall as sp_runtime::traits::Dispatchable>::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> sp_runtime::traits::ValidateResult<Self::Val, T::RuntimeCall> {
		let boosted = matches!(call.is_sub_type(), Some(Call::settle { .. }))
			&& origin
				.as_system_origin_signer()
				.is_some_and(|who| T::Operators::active_entity_of(who).is_some());
		let priority = if boosted { T::OperatorPriority::get() } else { 0 };
		Ok((ValidTransaction { priority, ..Default::default() }, (), origin))
	}

	impl_tx_ext_default!(T::RuntimeCall; prepare);
}
