//! The pallets whose FRAME benchmarks generate this runtime's weights.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_burn_proofs, BurnProofs]
	[pallet_escrow, Escrow]
	[pallet_guardian_recovery, GuardianRecovery]
	[pallet_timestamp, Timestamp]
	[pallet_multisig, Multisig]
	[pallet_utility, Utility]
	[pallet_operators, Operators]
	[pallet_governance, Governance]
	[pallet_bridge, Bridge]
	[pallet_scheduler, Scheduler]
	[pallet_safe_mode, SafeMode]
	[pallet_tx_pause, TxPause]
);

use crate::{AccountId, Operators, Runtime, RuntimeCall, RuntimeOrigin, SessionKeys};
use alloc::vec;
use frame_support::BoundedVec;
use pallet_governance::Track;

/// Benchmark validators get session keys derived from their account bytes.
pub struct OperatorsHelper;
impl pallet_operators::benchmarking::BenchmarkHelper<AccountId> for OperatorsHelper {
	fn register_session_keys(who: &AccountId) {
		let raw: [u8; 32] = *who.as_ref();
		let keys = SessionKeys {
			aura: sp_core::sr25519::Public::from_raw(raw).into(),
			grandpa: sp_core::ed25519::Public::from_raw(raw).into(),
		};
		pallet_session::NextKeys::<Runtime>::insert(who, keys);
	}
}

/// Benchmark entities: the genesis ones first, then admitted ones.
pub struct GovernanceHelper;
impl pallet_governance::benchmarking::BenchmarkHelper<AccountId, RuntimeCall> for GovernanceHelper {
	fn entity(i: u32) -> AccountId {
		if let Some(e) = pallet_operators::Entities::<Runtime>::get(i) {
			return e.voting_account;
		}
		let voter: AccountId = frame_benchmarking::account("entity", i, 0);
		let text = |t: &[u8]| BoundedVec::truncate_from(t.to_vec());
		Operators::admit(
			RuntimeOrigin::root(),
			pallet_operators::Admission {
				legal_name: text(b"Bench Ltd"),
				licence: text(b"LIC"),
				jurisdiction: text(b"XX"),
				voting_account: voter.clone(),
				validator: frame_benchmarking::account("entity-validator", i, 0),
				peer_id: BoundedVec::truncate_from(i.to_le_bytes().to_vec()),
			},
		)
		.expect("benchmark entity admitted");
		voter
	}

	fn call(len: u32) -> (Track, RuntimeCall) {
		(
			Track::Parameters,
			RuntimeCall::System(frame_system::Call::remark { remark: vec![0; len as usize] }),
		)
	}

	fn emergency_call() -> RuntimeCall {
		RuntimeCall::TxPause(pallet_tx_pause::Call::pause {
			full_name: (
				BoundedVec::truncate_from(b"Balances".to_vec()),
				BoundedVec::truncate_from(b"transfer_keep_alive".to_vec()),
			),
		})
	}
}
