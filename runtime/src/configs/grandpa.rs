//! `pallet_grandpa`: the finality gadget's authority set, following the session validators.

use crate::{configs::aura::MaxAuthorities, Runtime, RuntimeEvent};
use frame_support::traits::{ConstU32, ConstU64};
use sp_core::Void;

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	// No nominators in Proof of Authority.
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	// Equivocations are handled off chain between licensed operators, not slashed.
	type KeyOwnerProof = Void;
	type EquivocationReportSystem = ();
}
