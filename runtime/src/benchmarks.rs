//! The pallets whose FRAME benchmarks generate this runtime's weights.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_burn_proofs, BurnProofs]
	[pallet_escrow, Escrow]
	[pallet_settlement, Settlement]
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
	[pallet_xcm, PalletXcmExtrinsicsBenchmark::<Runtime>]
	[pallet_xcm_benchmarks::fungible, XcmBalances]
	[pallet_xcm_benchmarks::generic, XcmGeneric]
);

/// `pallet_xcm`'s own calls.
pub use pallet_xcm::benchmarking::Pallet as PalletXcmExtrinsicsBenchmark;
/// XCM instructions that move TPC.
pub type XcmBalances = pallet_xcm_benchmarks::fungible::Pallet<Runtime>;
/// The other XCM instructions.
pub type XcmGeneric = pallet_xcm_benchmarks::generic::Pallet<Runtime>;

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

mod xcm_benchmarks {
	//! What the XCM benchmarks execute against: TPC and local accounts. Instructions that need
	//! a route, a reserve, a teleporter, an exchange, a locker or an alias are skipped; the
	//! runtime weighs them `Weight::MAX` (see `weights::xcm`).

	use crate::{configs::xcm::XcmConfig, Balances, Runtime, RuntimeCall, UNIT};
	use alloc::{boxed::Box, vec};
	use frame_benchmarking::BenchmarkError;
	use xcm::latest::prelude::*;
	use xcm_executor::AssetsInHolding;

	fn tpc(amount: u128) -> Asset {
		Asset { id: AssetId(Location::here()), fun: Fungible(amount) }
	}

	/// The development preset's counterparty: a registered burn destination, so the bridge
	/// router commits what is sent there (the production route, measured whole).
	fn counterparty() -> Location {
		crate::configs::xcm::bridge::counterparty_location(
			crate::genesis_config_presets::DEV_COUNTERPARTY,
		)
	}

	/// Funds the sender's account for delivery fees.
	pub struct FundSender;
	impl xcm_builder::EnsureDelivery for FundSender {
		fn ensure_successful_delivery(
			origin: &Location,
			_dest: &Location,
			_reason: xcm_executor::traits::FeeReason,
		) -> (Option<xcm_executor::FeesMode>, Option<Assets>) {
			use frame_support::traits::EnsureOrigin;
			use xcm_executor::traits::ConvertLocation;
			type SendOrigin = <Runtime as pallet_xcm::Config>::SendXcmOrigin;
			// pallet-xcm's `send` benchmark passes `Here`: fund the origin it sends from.
			let sender = SendOrigin::try_successful_origin()
				.ok()
				.and_then(|o| SendOrigin::try_origin(o).ok());
			let origin = match sender {
				Some(sender) if origin.is_here() => sender,
				_ => origin.clone(),
			};
			if let Some(who) = crate::configs::xcm::LocationToAccountId::convert_location(&origin) {
				let _ = <Balances as frame_support::traits::fungible::Mutate<_>>::mint_into(
					&who,
					100 * UNIT,
				);
			}
			(None, None)
		}
	}

	impl pallet_xcm::benchmarking::Config for Runtime {
		type DeliveryHelper = FundSender;

		fn reachable_dest() -> Option<Location> {
			Some(counterparty())
		}

		fn teleportable_asset_and_dest() -> Option<(Asset, Location)> {
			Some((tpc(UNIT), counterparty()))
		}

		fn set_up_complex_asset_transfer() -> Option<(Assets, u32, Location, Box<dyn FnOnce()>)> {
			let caller: crate::AccountId = frame_benchmarking::whitelisted_caller();
			let _ = <Balances as frame_support::traits::fungible::Mutate<_>>::mint_into(
				&caller,
				100 * UNIT,
			);
			let next = pallet_burn_proofs::NextMessageNonce::<Runtime>::get(
				crate::genesis_config_presets::DEV_COUNTERPARTY,
			);
			let verify = move || {
				assert_eq!(
					pallet_burn_proofs::NextMessageNonce::<Runtime>::get(
						crate::genesis_config_presets::DEV_COUNTERPARTY
					),
					next + 1,
					"the transfer committed one message"
				);
			};
			Some((tpc(UNIT).into(), 0, counterparty(), Box::new(verify)))
		}

		fn get_asset() -> Asset {
			tpc(UNIT)
		}
	}

	impl pallet_xcm_benchmarks::Config for Runtime {
		type XcmConfig = XcmConfig;
		type AccountIdConverter = crate::configs::xcm::LocationToAccountId;
		type DeliveryHelper = FundSender;

		fn valid_destination() -> Result<Location, BenchmarkError> {
			Ok(AccountId32 { network: None, id: [7u8; 32] }.into())
		}

		fn worst_case_holding(depositable_count: u32) -> AssetsInHolding {
			let max = <<XcmConfig as xcm_executor::Config>::MaxAssetsIntoHolding as frame_support::traits::Get<u32>>::get();
			pallet_xcm_benchmarks::generate_holding_assets(max.saturating_sub(depositable_count))
		}
	}

	/// `receive_teleported_asset` receives the counterparty's TPC from it. Getting it registers
	/// the counterparty with the light client, as governance would (teleports in are accepted
	/// only from a counterparty the bridge follows).
	pub struct TeleportIn;
	impl frame_support::traits::Get<Option<(Location, Asset)>> for TeleportIn {
		fn get() -> Option<(Location, Asset)> {
			let chain = crate::genesis_config_presets::DEV_COUNTERPARTY;
			if !pallet_bridge::Counterparties::<Runtime>::contains_key(chain) {
				pallet_bridge::Counterparties::<Runtime>::insert(
					chain,
					pallet_bridge::CounterpartyState::anchored_at(Default::default()),
				);
			}
			Some((counterparty(), Asset { id: AssetId(counterparty()), fun: Fungible(UNIT) }))
		}
	}

	impl pallet_xcm_benchmarks::fungible::Config for Runtime {
		type TransactAsset = Balances;
		type CheckedAccount = ();
		type TrustedTeleporter = TeleportIn;
		type TrustedReserve = ();

		fn get_asset() -> Asset {
			tpc(UNIT)
		}
	}

	impl pallet_xcm_benchmarks::generic::Config for Runtime {
		type TransactAsset = Balances;
		type RuntimeCall = RuntimeCall;

		fn worst_case_response() -> (u64, Response) {
			(0, Response::Assets(vec![tpc(UNIT)].into()))
		}

		fn worst_case_asset_exchange() -> Result<(Assets, Assets), BenchmarkError> {
			Err(BenchmarkError::Skip)
		}

		fn universal_alias() -> Result<(Location, Junction), BenchmarkError> {
			Err(BenchmarkError::Skip)
		}

		fn transact_origin_and_runtime_call() -> Result<(Location, RuntimeCall), BenchmarkError> {
			Err(BenchmarkError::Skip)
		}

		fn subscribe_origin() -> Result<Location, BenchmarkError> {
			Err(BenchmarkError::Skip)
		}

		fn claimable_asset() -> Result<(Location, Location, Assets), BenchmarkError> {
			let origin: Location = AccountId32 { network: None, id: [1u8; 32] }.into();
			let ticket = Location { parents: 0, interior: Here };
			Ok((origin, ticket, vec![tpc(UNIT)].into()))
		}

		fn worst_case_for_trader() -> Result<(Asset, WeightLimit), BenchmarkError> {
			Ok((
				tpc(1_000 * UNIT),
				WeightLimit::Limited(frame_support::weights::Weight::from_parts(
					1_000_000_000,
					65_536,
				)),
			))
		}

		fn unlockable_asset() -> Result<(Location, Location, Asset), BenchmarkError> {
			Err(BenchmarkError::Skip)
		}

		fn export_message_origin_and_destination(
		) -> Result<(Location, NetworkId, InteriorLocation), BenchmarkError> {
			Err(BenchmarkError::Skip)
		}

		fn alias_origin() -> Result<(Location, Location), BenchmarkError> {
			Err(BenchmarkError::Skip)
		}
	}
}
