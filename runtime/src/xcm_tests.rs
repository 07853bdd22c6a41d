//! XCM at the runtime level: a local program moves TPC for exactly the quoted (and burned) fee,
//! the dry-run predicts it, and what the executor must refuse changes nothing.

use crate::{
	configs::xcm::{LocationToAccountId, ThisNetwork, UniversalLocation},
	genesis_config_presets::DEV_CHAIN_ID,
	AccountId, Balances, OriginCaller, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
	UNIT,
};
use alloc::{boxed::Box, vec, vec::Vec};
use codec::Encode;
use frame_support::{assert_ok, traits::fungible::Inspect, weights::Weight};
use pallet_xcm::ExecutionError;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	traits::Dispatchable, DispatchError, DispatchErrorWithPostInfo, DispatchResultWithInfo,
};
use xcm::{latest::prelude::*, VersionedAssetId, VersionedLocation, VersionedXcm};
use xcm_executor::traits::ConvertLocation;
use xcm_runtime_apis::{
	conversions::runtime_decl_for_location_to_account_api::LocationToAccountApiV1,
	dry_run::runtime_decl_for_dry_run_api::DryRunApiV2,
	fees::{runtime_decl_for_xcm_payment_api::XcmPaymentApiV2, Error as XcmPaymentApiError},
	trusted_query::runtime_decl_for_trusted_query_api::TrustedQueryApiV1,
};

/// The `development` preset's chain at block 1 (Alice, Bob, … endowed).
pub(crate) fn dev_chain() -> sp_io::TestExternalities {
	let mut ext = crate::genesis_config_presets::preset_state("development");
	ext.execute_with(|| System::set_block_number(1));
	ext
}

pub(crate) fn alice() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}

fn bob() -> AccountId {
	Sr25519Keyring::Bob.to_account_id()
}

fn tpc(amount: u128) -> Asset {
	(Here, amount).into()
}

fn free(who: &AccountId) -> u128 {
	Balances::balance(who)
}

/// Withdraw `amount + fee` from the origin, buy `weight` with `fee`, deposit the rest to Bob.
fn transfer_program(amount: u128, fee: u128, weight: Weight) -> Xcm<RuntimeCall> {
	Xcm(vec![
		WithdrawAsset(tpc(amount + fee).into()),
		BuyExecution { fees: tpc(fee), weight_limit: Limited(weight) },
		DepositAsset {
			assets: Wild(AllCounted(1)),
			beneficiary: AccountId32 { network: None, id: bob().into() }.into(),
		},
	])
}

/// The weight and fee `XcmPaymentApi` quotes for the transfer program.
fn quote() -> (Weight, u128) {
	let probe = VersionedXcm::from(Xcm::<()>::from(transfer_program(1, 1, Weight::zero())));
	let weight = Runtime::query_xcm_weight(probe).unwrap();
	let fee =
		Runtime::query_weight_to_asset_fee(weight, VersionedAssetId::from(AssetId(Here.into())))
			.unwrap();
	(weight, fee)
}

fn execute(program: Xcm<RuntimeCall>, max_weight: Weight) -> RuntimeCall {
	RuntimeCall::PolkadotXcm(pallet_xcm::Call::execute {
		message: Box::new(VersionedXcm::from(program)),
		max_weight,
	})
}

/// `call` from Alice fails with `error` and leaves the state exactly as it was.
fn assert_refused(call: RuntimeCall, error: impl Into<DispatchError>) {
	let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
	let result: DispatchResultWithInfo<_> = call.dispatch(RuntimeOrigin::signed(alice()));
	let DispatchErrorWithPostInfo { error: got, .. } = result.unwrap_err();
	assert_eq!(got, error.into());
	assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before, "state changed");
}

fn incomplete(index: u8, error: ExecutionError) -> pallet_xcm::Error<Runtime> {
	pallet_xcm::Error::<Runtime>::LocalExecutionIncompleteWithError { index, error }
}

#[test]
fn this_network_is_named_by_its_chain_id() {
	dev_chain().execute_with(|| {
		let network = NetworkId::ByGenesis(DEV_CHAIN_ID.xcm_network_bytes());
		assert_eq!(ThisNetwork::get(), network);
		assert_eq!(UniversalLocation::get(), Junctions::from([GlobalConsensus(network)]));
	});
}

#[test]
fn local_program_moves_tpc_and_burns_exactly_the_quoted_fee() {
	dev_chain().execute_with(|| {
		let (weight, fee) = quote();
		assert!(fee > 0);
		let (alice_before, bob_before) = (free(&alice()), free(&bob()));
		let issuance = Balances::total_issuance();
		let amount = 10 * UNIT;
		assert_ok!(execute(transfer_program(amount, fee, weight), weight)
			.dispatch(RuntimeOrigin::signed(alice())));
		assert_eq!(free(&bob()), bob_before + amount);
		assert_eq!(free(&alice()), alice_before - amount - fee);
		assert_eq!(Balances::total_issuance(), issuance - fee, "the fee is burned");
	});
}

#[test]
fn fee_quote_is_in_tpc_only() {
	dev_chain().execute_with(|| {
		let accepted = Runtime::query_acceptable_payment_assets(5).unwrap();
		assert_eq!(accepted, vec![VersionedAssetId::from(AssetId(Here.into()))]);
		let foreign = VersionedAssetId::from(AssetId(Parent.into()));
		assert_eq!(
			Runtime::query_weight_to_asset_fee(Weight::from_parts(1, 0), foreign),
			Err(XcmPaymentApiError::AssetNotFound)
		);
	});
}

#[test]
fn dry_run_predicts_the_calls_events_exactly() {
	dev_chain().execute_with(|| {
		let (weight, fee) = quote();
		let call = execute(transfer_program(3 * UNIT, fee, weight), weight);
		let origin = OriginCaller::system(frame_system::RawOrigin::Signed(alice()));
		let bob_before = free(&bob());
		let predicted = Runtime::dry_run_call(origin, call.clone(), 5).unwrap();
		assert_eq!(free(&bob()), bob_before, "a dry run changes nothing");
		assert_ok!(predicted.execution_result);
		assert!(predicted.forwarded_xcms.is_empty(), "nothing leaves the chain");
		System::reset_events();
		assert_ok!(call.dispatch(RuntimeOrigin::signed(alice())));
		let happened: Vec<RuntimeEvent> = System::events().into_iter().map(|r| r.event).collect();
		assert_eq!(predicted.emitted_events, happened);
		assert_eq!(free(&bob()), bob_before + 3 * UNIT);
		assert!(happened.contains(&RuntimeEvent::PolkadotXcm(pallet_xcm::Event::Attempted {
			outcome: Outcome::Complete { used: weight }
		})));
	});
}

#[test]
fn dry_run_of_an_xcm_program_reports_its_effects() {
	dev_chain().execute_with(|| {
		let (weight, fee) = quote();
		let origin = VersionedLocation::from(Location::from(AccountId32 {
			network: None,
			id: alice().into(),
		}));
		let bob_before = free(&bob());
		let effects = Runtime::dry_run_xcm(
			origin,
			VersionedXcm::from(transfer_program(2 * UNIT, fee, weight)),
		)
		.unwrap();
		assert_eq!(effects.execution_result, Outcome::Complete { used: weight });
		assert!(
			effects.emitted_events.iter().any(|e| matches!(
				e,
				RuntimeEvent::Balances(pallet_balances::Event::Deposit { who, amount })
					if *who == bob() && *amount == 2 * UNIT
			)),
			"{:#?}",
			effects.emitted_events
		);
		assert_eq!(free(&bob()), bob_before, "a dry run changes nothing");
	});
}

#[test]
fn program_over_max_instructions_is_refused() {
	dev_chain().execute_with(|| {
		let mut program = vec![ClearOrigin; 101];
		program.insert(0, WithdrawAsset(tpc(UNIT).into()));
		let call = execute(Xcm(program), Weight::from_parts(u64::MAX / 2, u64::MAX / 2));
		assert_refused(call, incomplete(100, ExecutionError::ExceedsStackLimit));
	});
}

#[test]
fn execution_nobody_paid_for_is_refused() {
	dev_chain().execute_with(|| {
		// The same transfer without buying execution, run with no weight credit (as a message
		// delivered over the bridge is): refused at the barrier.
		let unpaid = Xcm(vec![
			WithdrawAsset(tpc(UNIT).into()),
			DepositAsset {
				assets: Wild(AllCounted(1)),
				beneficiary: AccountId32 { network: None, id: bob().into() }.into(),
			},
		]);
		let origin = VersionedLocation::from(Location::from(AccountId32 {
			network: None,
			id: alice().into(),
		}));
		let effects = Runtime::dry_run_xcm(origin, VersionedXcm::from(unpaid.clone())).unwrap();
		assert!(
			matches!(
				effects.execution_result,
				Outcome::Incomplete {
					error: InstructionError { index: 0, error: XcmError::Barrier },
					..
				}
			),
			"{:?}",
			effects.execution_result
		);
		// A signed `execute` paid for the weight with its transaction fee: the program runs on
		// that credit and moves exactly the amount.
		let (weight, _) = quote();
		let (alice_before, bob_before) = (free(&alice()), free(&bob()));
		assert_ok!(execute(unpaid, weight).dispatch(RuntimeOrigin::signed(alice())));
		assert_eq!(free(&bob()), bob_before + UNIT);
		assert_eq!(free(&alice()), alice_before - UNIT);
	});
}

#[test]
fn foreign_asset_is_refused() {
	dev_chain().execute_with(|| {
		let (weight, _) = quote();
		let dot: Asset = (Parent, 10 * UNIT).into();
		let program = Xcm(vec![
			WithdrawAsset(dot.clone().into()),
			BuyExecution { fees: dot, weight_limit: Limited(weight) },
			DepositAsset {
				assets: Wild(AllCounted(1)),
				beneficiary: AccountId32 { network: None, id: bob().into() }.into(),
			},
		]);
		assert_refused(execute(program, weight), incomplete(0, ExecutionError::AssetNotFound));
	});
}

#[test]
fn send_to_anywhere_is_unroutable() {
	dev_chain().execute_with(|| {
		let other = Location::new(1, [GlobalConsensus(NetworkId::ByGenesis([9; 32]))]);
		for dest in [other, Location::new(1, Here), Location::new(0, [Parachain(1000)])] {
			let call = RuntimeCall::PolkadotXcm(pallet_xcm::Call::send {
				dest: Box::new(VersionedLocation::from(dest)),
				message: Box::new(VersionedXcm::from(Xcm::<()>(vec![ClearOrigin]))),
			});
			assert_refused(call, pallet_xcm::Error::<Runtime>::Unreachable);
		}
	});
}

#[test]
fn program_that_would_send_or_transact_is_refused_before_it_runs() {
	dev_chain().execute_with(|| {
		let (weight, fee) = quote();
		let dest = Location::new(1, [GlobalConsensus(NetworkId::ByGenesis([9; 32]))]);
		let sends = Xcm(vec![
			WithdrawAsset(tpc(UNIT + fee).into()),
			BuyExecution { fees: tpc(fee), weight_limit: Limited(weight) },
			InitiateTeleport { assets: Wild(AllCounted(1)), dest, xcm: Xcm(vec![]) },
		]);
		assert_refused(execute(sends, weight), incomplete(2, ExecutionError::Unroutable));
		let transact = Xcm(vec![
			WithdrawAsset(tpc(UNIT + fee).into()),
			BuyExecution { fees: tpc(fee), weight_limit: Limited(weight) },
			Transact {
				origin_kind: OriginKind::SovereignAccount,
				fallback_max_weight: None,
				call: RuntimeCall::System(frame_system::Call::remark { remark: vec![] })
					.encode()
					.into(),
			},
		]);
		assert_refused(execute(transact, weight), incomplete(2, ExecutionError::Unimplemented));
	});
}

#[test]
fn malformed_versioned_xcm_is_refused() {
	dev_chain().execute_with(|| {
		// XCM v3's abstract asset ids have no later form.
		let v3 = xcm::v3::Xcm::<RuntimeCall>(vec![xcm::v3::Instruction::WithdrawAsset(
			vec![xcm::v3::MultiAsset {
				id: xcm::v3::AssetId::Abstract([1; 32]),
				fun: xcm::v3::Fungibility::Fungible(1),
			}]
			.into(),
		)]);
		let call = RuntimeCall::PolkadotXcm(pallet_xcm::Call::execute {
			message: Box::new(VersionedXcm::V3(v3)),
			max_weight: Weight::from_parts(1_000_000_000, 0),
		});
		assert_refused(call, pallet_xcm::Error::<Runtime>::BadVersion);
	});
}

#[test]
fn emergency_stops_xcm_with_safe_mode_and_tx_pause() {
	dev_chain().execute_with(|| {
		let (weight, fee) = quote();
		let call = || execute(transfer_program(UNIT, fee, weight), weight);
		pallet_safe_mode::EnteredUntil::<Runtime>::put(100);
		assert_refused(call(), frame_system::Error::<Runtime>::CallFiltered);
		pallet_safe_mode::EnteredUntil::<Runtime>::kill();
		let emergency: RuntimeOrigin = pallet_governance::Origin::Emergency.into();
		assert_ok!(crate::TxPause::pause(
			emergency,
			(
				frame_support::BoundedVec::truncate_from(b"PolkadotXcm".to_vec()),
				frame_support::BoundedVec::truncate_from(b"execute".to_vec()),
			)
		));
		assert_refused(call(), frame_system::Error::<Runtime>::CallFiltered);
	});
}

#[test]
fn stranger_cannot_force_xcm_settings() {
	dev_chain().execute_with(|| {
		let call = RuntimeCall::PolkadotXcm(pallet_xcm::Call::force_suspension { suspended: true });
		assert_refused(call.clone(), DispatchError::BadOrigin);
		use pallet_governance::Track;
		use pallet_governance::TrackPolicy;
		type Tracks = crate::configs::governance::Tracks;
		assert!(Tracks::authorizes(Track::Membership, &call));
		for track in [Track::Parameters, Track::Emergency, Track::RuntimeUpgrade] {
			assert!(!Tracks::authorizes(track, &call), "{track:?}");
		}
		assert_ok!(call.dispatch(RuntimeOrigin::root()));
		// Suspended, the barrier admits nothing, paid or not.
		let (weight, fee) = quote();
		assert_refused(
			execute(transfer_program(UNIT, fee, weight), weight),
			incomplete(0, ExecutionError::Barrier),
		);
	});
}

#[test]
fn location_to_account_maps_local_accounts_and_hashes_remote_origins() {
	dev_chain().execute_with(|| {
		let id: [u8; 32] = alice().into();
		for network in [None, Some(ThisNetwork::get())] {
			let here = VersionedLocation::from(Location::from(AccountId32 { network, id }));
			assert_eq!(Runtime::convert_location(here), Ok(alice()));
		}
		// An account on another network is not the local account with the same key.
		let other = NetworkId::ByGenesis([9; 32]);
		let remote = Location::new(1, [GlobalConsensus(other), AccountId32 { network: None, id }]);
		let sovereign = Runtime::convert_location(VersionedLocation::from(remote.clone())).unwrap();
		assert_ne!(sovereign, alice());
		assert_eq!(LocationToAccountId::convert_location(&remote), Some(sovereign));
		// Nobody is a trusted reserve or teleporter yet.
		let asset = xcm::VersionedAsset::from(tpc(1));
		let network = VersionedLocation::from(Location::new(1, [GlobalConsensus(other)]));
		assert_eq!(Runtime::is_trusted_teleporter(asset.clone(), network.clone()), Ok(false));
		assert_eq!(Runtime::is_trusted_reserve(asset, network), Ok(false));
	});
}
