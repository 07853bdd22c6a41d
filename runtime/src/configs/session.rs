//! `pallet_session`: rotates the Aura and GRANDPA authorities at session boundaries.
//!
//! For now the validator set is the one in genesis (`SessionManager = ()` keeps it); operator
//! governance will provide the session manager that follows admitted entities.

use crate::{AccountId, Balances, BlockNumber, Runtime, RuntimeEvent, SessionKeys, MINUTES, UNIT};
use frame_support::{parameter_types, traits::ConstU128};
use sp_runtime::traits::ConvertInto;

parameter_types! {
	/// Session length: validator-set changes take effect at the next boundary.
	pub const SessionPeriod: BlockNumber = 2 * MINUTES;
	pub const SessionOffset: BlockNumber = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type SessionManager = ();
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// Held while an account has session keys registered, so key storage is paid for.
	type KeyDeposit = ConstU128<UNIT>;
}
