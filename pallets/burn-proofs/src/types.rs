//! Types of the burn-proofs pallet. The executed-burn record is in `tpchain-primitives`: verifiers
//! off chain and on other chains decode it.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use tpchain_primitives::{
	burn::{Beneficiary, PaymentReference},
	ChainId,
};

/// Identifier of a large burn waiting for approval (its own sequence, separate from burn ids,
/// so executed burns stay gap-free for auditors).
pub type RequestId = u64;

/// A burn above the approval threshold: the amount is on hold until approved, rejected or
/// cancelled.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct PendingBurn<AccountId, Balance, BlockNumber> {
	/// Who asked for the burn and whose funds are held.
	pub burner: AccountId,
	/// Held amount that approval burns.
	pub amount: Balance,
	/// Destination chain, if any.
	pub destination: Option<ChainId>,
	/// Recipient on the destination chain.
	pub beneficiary: Beneficiary,
	/// Integrator's payment reference.
	pub reference: PaymentReference,
	/// Block of the request.
	pub requested_at: BlockNumber,
}
