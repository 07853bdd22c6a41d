//! `pallet_transaction_payment`: fees are burned (no treasury, no author reward in PoA).
//!
//! The fee grows linearly with weight; an extrinsic's base weight costs a tenth of a milli-token.

use crate::{weights::ExtrinsicBaseWeight, Balance, Balances, Runtime, RuntimeEvent, MILLI_UNIT};
use frame_support::{
	parameter_types,
	weights::{
		ConstantMultiplier, WeightToFeeCoefficient, WeightToFeeCoefficients, WeightToFeePolynomial,
	},
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use smallvec::smallvec;
use sp_runtime::{traits::One, Perbill};

parameter_types! {
	/// Fees do not rise with congestion: a settlement network prices payments predictably.
	pub FeeMultiplier: Multiplier = Multiplier::one();
	/// Fee per byte of an extrinsic.
	pub const TransactionByteFee: Balance = MILLI_UNIT / 1_000;
}

/// Maps weight to fee so that the base weight of an extrinsic costs [`MILLI_UNIT`] / 10.
pub struct WeightToFee;
impl WeightToFeePolynomial for WeightToFee {
	type Balance = Balance;
	fn polynomial() -> WeightToFeeCoefficients<Self::Balance> {
		let p = MILLI_UNIT / 10;
		let q = Balance::from(ExtrinsicBaseWeight::get().ref_time());
		smallvec![WeightToFeeCoefficient {
			degree: 1,
			negative: false,
			coeff_frac: Perbill::from_rational(p % q, q),
			coeff_integer: p / q,
		}]
	}
}

/// Where transaction fees go: burned (total issuance falls by exactly the fee) and counted in
/// `pallet_supply::FeesBurned`, so the supply report accounts for them.
pub type DealWithFees = pallet_supply::BurnFees<Runtime>;

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, DealWithFees>;
	type WeightToFee = WeightToFee;
	type LengthToFee = ConstantMultiplier<Balance, TransactionByteFee>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type OperationalFeeMultiplier = frame_support::traits::ConstU8<5>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}
