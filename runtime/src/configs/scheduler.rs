//! `pallet_scheduler`: runs governance decisions, enactments and emergency expiries.

use crate::{
	configs::system::RuntimeBlockWeights, AccountId, OriginCaller, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, System,
};
use frame_support::{
	parameter_types,
	traits::{ConstU32, EqualPrivilegeOnly},
	weights::Weight,
};
use frame_system::EnsureRoot;
use sp_runtime::Perbill;

parameter_types! {
	/// Scheduled governance work may use up to 80% of a block.
	pub MaximumSchedulerWeight: Weight = Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
}

impl pallet_scheduler::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeOrigin = RuntimeOrigin;
	type PalletsOrigin = OriginCaller;
	type RuntimeCall = RuntimeCall;
	type MaximumWeight = MaximumSchedulerWeight;
	// Only governance schedules (as Root); no account can.
	type ScheduleOrigin = EnsureRoot<AccountId>;
	type OriginPrivilegeCmp = EqualPrivilegeOnly;
	type MaxScheduledPerBlock = ConstU32<50>;
	type WeightInfo = pallet_scheduler::weights::SubstrateWeight<Runtime>;
	// Governance schedules only small inline calls (`decide`, `enact`, `expire`).
	type Preimages = ();
	type BlockNumberProvider = System;
}
