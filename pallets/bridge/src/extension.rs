//! Rejects bridge submissions that can no longer succeed before they reach a block.

use crate::{Call, Config, Consumed, Counterparties, DeliveredMessages};
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
	traits::{BlakeTwo256, DispatchInfoOf, Hash as _, TransactionExtension},
	transaction_validity::InvalidTransaction,
	Weight,
};

/// Transaction extension: a finality proof for a header older than the counterparty's best
/// (or the best itself), a mint of an already consumed burn, or a delivery of an already delivered
/// message, is `Stale` in the pool. Submissions provide a tag of their content (the header, burn
/// or message and a hash of the whole submission), so identical
/// duplicates from competing relayers do not both land, while a cheap invalid submission for
/// the same header or burn cannot take the slot of a valid one (nothing is verified here).
#[derive(Encode, Decode, DecodeWithMemTracking, DefaultNoBound, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckBridgeSubmission<T>(PhantomData<T>);

impl<T> core::fmt::Debug for CheckBridgeSubmission<T> {
	fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
		write!(f, "CheckBridgeSubmission")
	}
}

impl<T> CheckBridgeSubmission<T> {
	/// The extension (it carries no data).
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckBridgeSubmission<T>
where
	T::RuntimeCall: IsSubType<Call<T>>,
{
	const IDENTIFIER: &'static str = "CheckBridgeSubmission";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		match call.is_sub_type() {
			Some(
				Call::submit_finality_proof { .. }
				| Call::mint_from_burn { .. }
				| Call::receive_message { .. },
			) => T::DbWeight::get().reads(1),
			_ => Weight::zero(),
		}
	}

	fn validate(
		&self,
		origin: T::RuntimeOrigin,
		call: &T::RuntimeCall,
		_info: &DispatchInfoOf<T::RuntimeCall>,
		_len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Encode,
		_source: TransactionSource,
	) -> sp_runtime::traits::ValidateResult<Self::Val, T::RuntimeCall> {
		let valid = match call.is_sub_type() {
			Some(Call::submit_finality_proof { counterparty, header, justification, .. }) => {
				if let Some(state) = Counterparties::<T>::get(counterparty) {
					if state.best.supersedes(header.number, header.hash()) {
						return Err(InvalidTransaction::Stale.into());
					}
				}
				let content = BlakeTwo256::hash_of(&(header, justification));
				ValidTransaction::with_tag_prefix("BridgeHeader")
					.and_provides((counterparty, header.number, content))
					.into()
			},
			Some(Call::mint_from_burn { counterparty, proof }) => {
				if Consumed::<T>::contains_key(counterparty, proof.burn_id) {
					return Err(InvalidTransaction::Stale.into());
				}
				let content = BlakeTwo256::hash_of(proof);
				ValidTransaction::with_tag_prefix("BridgeBurn")
					.and_provides((counterparty, proof.burn_id, content))
					.into()
			},
			Some(Call::receive_message { counterparty, proof }) => {
				if DeliveredMessages::<T>::contains_key(counterparty, proof.nonce) {
					return Err(InvalidTransaction::Stale.into());
				}
				let content = BlakeTwo256::hash_of(proof);
				ValidTransaction::with_tag_prefix("BridgeMessage")
					.and_provides((counterparty, proof.nonce, content))
					.into()
			},
			_ => ValidTransaction::default(),
		};
		Ok((valid, (), origin))
	}

	impl_tx_ext_default!(T::RuntimeCall; prepare);
}
