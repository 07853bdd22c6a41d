//! `pallet_session`: rotates the Aura and GRANDPA authorities at session boundaries.
//!
//! The validator set follows the licensed entities (`pallet_operators` is the session manager);
//! the session length is set in genesis (`operators.sessionLength`).

use crate::{
	AccountId, Balances, BlockNumber, Operators, Runtime, RuntimeEvent, SessionKeys, UNIT,
};
use frame_support::{parameter_types, traits::ConstU128};
use sp_runtime::traits::ConvertInto;

/// Blocks per session, from genesis.
pub type SessionPeriod = pallet_operators::SessionLengthOf<Runtime>;

parameter_types! {
	pub const SessionOffset: BlockNumber = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionPeriod, SessionOffset>;
	type SessionManager = Operators;
	type SessionHandler = <SessionKeys as sp_runtime::traits::OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// Held while an account has session keys registered, so key storage is paid for.
	type KeyDeposit = ConstU128<UNIT>;
}
