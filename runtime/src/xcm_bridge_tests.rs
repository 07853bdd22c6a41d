//! XCM over the bridge, sending side: a teleport to the counterparty burns exactly the amount
//! and the quoted delivery fee, commits one message where the counterparty proves it, counts in
//! the burn totals, and is refused (burning nothing) wherever the route is closed.

use crate::xcm_tests::{alice, dev_chain};
use crate::{
	configs::xcm::{
		bridge::{counterparty_location, delivery_fee},
		ThisNetwork,
	},
	genesis_config_presets::DEV_COUNTERPARTY,
	Balances, BurnProofs, OriginCaller, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
	UNIT,
};
use alloc::{boxed::Box, vec, vec::Vec};
use codec::{Decode, Encode};
use frame_support::{assert_ok, traits::fungible::Inspect};
use sp_keyring::Sr25519Keyring;
use sp_runtime::{traits::Dispatchable, DispatchError, DispatchResultWithInfo};
use xcm::{latest::prelude::*, VersionedAssetId, VersionedAssets, VersionedLocation, VersionedXcm};
use xcm_runtime_apis::{
	dry_run::runtime_decl_for_dry_run_api::DryRunApiV2,
	fees::runtime_decl_for_xcm_payment_api::XcmPaymentApiV2,
};

fn bob_there() -> Location {
	AccountId32 { network: None, id: Sr25519Keyring::Bob.to_account_id().into() }.into()
}

fn counterparty() -> Location {
	counterparty_location(DEV_COUNTERPARTY)
}

/// This chain's TPC as the counterparty names it.
fn tpc_there(amount: u128) -> Asset {
	(Location::new(1, [GlobalConsensus(ThisNetwork::get())]), amount).into()
}

fn transfer_assets(dest: Location, amount: u128) -> RuntimeCall {
	RuntimeCall::PolkadotXcm(pallet_xcm::Call::transfer_assets {
		dest: Box::new(VersionedLocation::from(dest)),
		beneficiary: Box::new(VersionedLocation::from(bob_there())),
		assets: Box::new(VersionedAssets::from(Assets::from(Asset::from((Here, amount))))),
		fee_asset_item: 0,
		weight_limit: Unlimited,
	})
}

fn send(dest: Location, message: Xcm<()>) -> RuntimeCall {
	RuntimeCall::PolkadotXcm(pallet_xcm::Call::send {
		dest: Box::new(VersionedLocation::from(dest)),
		message: Box::new(VersionedXcm::from(message)),
	})
}

/// `call` from Alice fails with `error` and leaves the state exactly as it was.
fn assert_refused(call: RuntimeCall, error: impl Into<DispatchError>) {
	let before = sp_io::storage::root(sp_runtime::StateVersion::V1);
	let result: DispatchResultWithInfo<_> = call.dispatch(RuntimeOrigin::signed(alice()));
	assert_eq!(result.unwrap_err().error, error.into());
	assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), before, "state changed");
}

fn committed(nonce: u64) -> (u128, Xcm<()>) {
	let stored = pallet_burn_proofs::OutboundMessages::<Runtime>::get(DEV_COUNTERPARTY, nonce)
		.expect("message committed");
	assert_eq!(stored.nonce, nonce);
	let xcm = VersionedXcm::<()>::decode(&mut &stored.xcm[..]).unwrap().try_into().unwrap();
	(stored.value, xcm)
}

fn halt_counterparty() {
	pallet_bridge::Counterparties::<Runtime>::insert(
		DEV_COUNTERPARTY,
		pallet_bridge::CounterpartyState {
			halted: true,
			..pallet_bridge::CounterpartyState::anchored_at(Default::default())
		},
	);
}

#[test]
fn teleport_to_the_counterparty_burns_the_amount_and_commits_one_message() {
	dev_chain().execute_with(|| {
		let (before, issuance) = (Balances::balance(&alice()), Balances::total_issuance());
		let burned = BurnProofs::totals();
		assert_ok!(
			transfer_assets(counterparty(), 10 * UNIT).dispatch(RuntimeOrigin::signed(alice()))
		);

		let (value, xcm) = committed(0);
		assert_eq!(value, 10 * UNIT);
		assert_eq!(xcm.0[0], ReceiveTeleportedAsset(tpc_there(10 * UNIT).into()));
		assert!(
			matches!(&xcm.0[3], DepositAsset { beneficiary, .. } if *beneficiary == bob_there()),
			"{xcm:?}"
		);
		let fee = delivery_fee(VersionedXcm::from(xcm.clone()).encode().len());
		assert_eq!(Balances::balance(&alice()), before - 10 * UNIT - fee);
		assert_eq!(Balances::total_issuance(), issuance - 10 * UNIT - fee);

		// Counted with the burns towards the counterparty; burn ids are untouched.
		let after = BurnProofs::totals();
		assert_eq!(after.total, burned.total + 10 * UNIT);
		assert_eq!(after.count, burned.count);
		assert!(after.by_destination.contains(&(DEV_COUNTERPARTY, 10 * UNIT)));
		assert_eq!(pallet_burn_proofs::NextMessageNonce::<Runtime>::get(DEV_COUNTERPARTY), 1);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::BurnProofs(pallet_burn_proofs::Event::MessageSent {
				destination: DEV_COUNTERPARTY,
				nonce: 0,
				value,
				..
			}) if value == 10 * UNIT
		)));
	});
}

#[test]
fn delivery_fee_quote_is_what_the_sender_pays() {
	dev_chain().execute_with(|| {
		let before = Balances::balance(&alice());
		assert_ok!(transfer_assets(counterparty(), UNIT).dispatch(RuntimeOrigin::signed(alice())));
		let (_, xcm) = committed(0);
		let quoted = Runtime::query_delivery_fees(
			VersionedLocation::from(counterparty()),
			VersionedXcm::from(xcm),
			VersionedAssetId::from(AssetId(Here.into())),
		)
		.unwrap();
		let Ok(quoted) = Assets::try_from(quoted) else { panic!("v5 assets") };
		let [Asset { fun: Fungible(fee), .. }] = quoted.inner().as_slice() else {
			panic!("one fee asset: {quoted:?}")
		};
		assert!(*fee > 0);
		assert_eq!(Balances::balance(&alice()), before - UNIT - fee);
	});
}

#[test]
fn halted_bridge_burns_nothing() {
	dev_chain().execute_with(|| {
		halt_counterparty();
		assert_refused(
			transfer_assets(counterparty(), UNIT),
			pallet_xcm::Error::<Runtime>::SendFailure,
		);
		assert_refused(
			send(counterparty(), Xcm(vec![ClearOrigin])),
			pallet_xcm::Error::<Runtime>::SendFailure,
		);
	});
}

#[test]
fn unregistered_counterparty_burns_nothing() {
	dev_chain().execute_with(|| {
		assert_ok!(BurnProofs::remove_destination(RuntimeOrigin::root(), DEV_COUNTERPARTY));
		assert_refused(
			transfer_assets(counterparty(), UNIT),
			pallet_xcm::Error::<Runtime>::Filtered,
		);
		assert_refused(
			send(counterparty(), Xcm(vec![ClearOrigin])),
			pallet_xcm::Error::<Runtime>::Unreachable,
		);
	});
}

#[test]
fn user_cannot_send_a_teleport_it_did_not_burn() {
	dev_chain().execute_with(|| {
		// pallet-xcm puts the sender's `DescendOrigin` first: a teleport after it is forged.
		let forged = Xcm(vec![
			ReceiveTeleportedAsset(tpc_there(1_000_000 * UNIT).into()),
			DepositAsset { assets: Wild(AllCounted(1)), beneficiary: bob_there() },
		]);
		assert_refused(send(counterparty(), forged), pallet_xcm::Error::<Runtime>::SendFailure);
		let reserve = Xcm(vec![ReserveAssetDeposited(tpc_there(UNIT).into())]);
		assert_refused(send(counterparty(), reserve), pallet_xcm::Error::<Runtime>::SendFailure);
	});
}

#[test]
fn destination_below_the_counterparty_is_unroutable() {
	dev_chain().execute_with(|| {
		let below = counterparty()
			.pushed_with_interior(AccountId32 { network: None, id: [7; 32] })
			.unwrap();
		assert_refused(
			send(below, Xcm(vec![ClearOrigin])),
			pallet_xcm::Error::<Runtime>::SendFailure,
		);
	});
}

#[test]
fn message_longer_than_the_lane_takes_is_refused() {
	dev_chain().execute_with(|| {
		let call = vec![0u8; tpchain_primitives::message::MAX_MESSAGE_LEN as usize];
		let long = Xcm(vec![Transact {
			origin_kind: OriginKind::SovereignAccount,
			fallback_max_weight: None,
			call: call.into(),
		}]);
		assert_refused(send(counterparty(), long), pallet_xcm::Error::<Runtime>::SendFailure);
	});
}

#[test]
fn user_message_is_committed_with_its_origin_and_carries_nothing() {
	dev_chain().execute_with(|| {
		assert_ok!(
			send(counterparty(), Xcm(vec![ClearOrigin])).dispatch(RuntimeOrigin::signed(alice()))
		);
		let (value, xcm) = committed(0);
		assert_eq!(value, 0);
		assert_eq!(
			xcm.0[0],
			DescendOrigin(
				[AccountId32 { network: Some(ThisNetwork::get()), id: alice().into() }].into()
			)
		);
	});
}

#[test]
fn dry_run_shows_the_outbound_message_before_it_is_sent() {
	dev_chain().execute_with(|| {
		let origin = OriginCaller::system(frame_system::RawOrigin::Signed(alice()));
		let effects =
			Runtime::dry_run_call(origin, transfer_assets(counterparty(), 3 * UNIT), 5).unwrap();
		assert_ok!(effects.execution_result);
		let [(dest, messages)] = effects.forwarded_xcms.as_slice() else {
			panic!("one destination: {:?}", effects.forwarded_xcms)
		};
		assert_eq!(*dest, VersionedLocation::from(counterparty()));
		let [message] = messages.as_slice() else { panic!("one message: {messages:?}") };
		let message: Xcm<()> = message.clone().try_into().unwrap();
		assert_eq!(message.0[0], ReceiveTeleportedAsset(tpc_there(3 * UNIT).into()));
		assert_eq!(pallet_burn_proofs::NextMessageNonce::<Runtime>::get(DEV_COUNTERPARTY), 0);
		let sent: Vec<_> = effects
			.emitted_events
			.iter()
			.filter(|e| matches!(e, RuntimeEvent::BurnProofs(_)))
			.collect();
		assert_eq!(sent.len(), 1, "{sent:?}");
	});
}

// --- receiving side ---------------------------------------------------------------------

use crate::configs::xcm::{bridge::BridgedXcm, weight_to_fee};
use pallet_bridge::ExecuteBridgedMessage;

/// The counterparty's TPC as it names it in what it sends here.
fn their_tpc(amount: u128) -> Asset {
	(counterparty(), amount).into()
}

/// Registers the development counterparty with the light client (governance's `initialize`
/// in production; the proof path is the pallet's, tested there).
fn follow_counterparty() {
	pallet_bridge::Counterparties::<Runtime>::insert(
		DEV_COUNTERPARTY,
		pallet_bridge::CounterpartyState::anchored_at(Default::default()),
	);
}

/// What the counterparty's `transfer_assets` of `amount` to `beneficiary` sends here.
fn teleport_in(amount: u128, beneficiary: Location) -> Xcm<RuntimeCall> {
	Xcm(vec![
		ReceiveTeleportedAsset(their_tpc(amount).into()),
		ClearOrigin,
		BuyExecution { fees: their_tpc(amount), weight_limit: Unlimited },
		DepositAsset { assets: Wild(AllCounted(1)), beneficiary },
		SetTopic([7; 32]),
	])
}

fn deliver(xcm: Xcm<RuntimeCall>, value: u128) -> (Weight, Result<(), InstructionError>) {
	let blob = VersionedXcm::from(xcm).encode();
	BridgedXcm::execute(DEV_COUNTERPARTY, &blob, value, MaxMessageWeight::get())
}

use crate::configs::bridge::MaxMessageWeight;
use frame_support::weights::Weight;

fn execution_fee(xcm: &Xcm<RuntimeCall>) -> u128 {
	use xcm_executor::traits::WeightBounds;
	let weight =
		crate::configs::xcm::Weigher::weight(&mut xcm.clone(), Weight::MAX).expect("weighable");
	weight_to_fee(&weight)
}

fn trapped_for(owner: &Location) -> Option<Assets> {
	System::events().into_iter().find_map(|r| match r.event {
		RuntimeEvent::PolkadotXcm(pallet_xcm::Event::AssetsTrapped { origin, assets, .. })
			if origin == *owner =>
		{
			Assets::try_from(assets).ok()
		},
		_ => None,
	})
}

/// Bob's claim as his own signed origin names him.
fn bob_here() -> Location {
	AccountId32 {
		network: Some(ThisNetwork::get()),
		id: Sr25519Keyring::Bob.to_account_id().into(),
	}
	.into()
}

#[test]
fn teleport_from_the_counterparty_arrives_minus_the_execution_fee_exactly() {
	dev_chain().execute_with(|| {
		follow_counterparty();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let (before, issuance) = (Balances::balance(&bob), Balances::total_issuance());
		let xcm = teleport_in(10 * UNIT, bob_there());
		let fee = execution_fee(&xcm);
		let (used, result) = deliver(xcm, 10 * UNIT);
		assert_eq!(result, Ok(()));
		assert!(used.all_gt(Weight::zero()));
		assert_eq!(Balances::balance(&bob), before + 10 * UNIT - fee);
		assert_eq!(Balances::total_issuance(), issuance + 10 * UNIT - fee, "the fee is burned");
	});
}

#[test]
fn teleport_from_a_network_the_bridge_does_not_follow_is_untrusted() {
	dev_chain().execute_with(|| {
		// Not registered with the light client: its TPC is not TPC here.
		let issuance = Balances::total_issuance();
		let (_, result) = deliver(teleport_in(10 * UNIT, bob_there()), 10 * UNIT);
		assert!(matches!(result, Err(InstructionError { index: 0, .. })), "{result:?}");
		assert_eq!(Balances::total_issuance(), issuance, "nothing minted");
	});
}

#[test]
fn user_on_the_counterparty_cannot_teleport_in() {
	dev_chain().execute_with(|| {
		follow_counterparty();
		let issuance = Balances::total_issuance();
		let mut forged = teleport_in(10 * UNIT, bob_there());
		forged.0.insert(0, DescendOrigin([AccountId32 { network: None, id: [5; 32] }].into()));
		let (_, result) = deliver(forged, 0);
		assert_eq!(result, Err(InstructionError { index: 0, error: XcmError::Barrier }));
		assert_eq!(Balances::total_issuance(), issuance, "nothing minted");
		assert_eq!(trapped_for(&bob_here()), None, "it carried nothing");
	});
}

#[test]
fn failed_delivery_traps_the_value_for_the_beneficiary_who_claims_it() {
	dev_chain().execute_with(|| {
		follow_counterparty();
		let bob = Sr25519Keyring::Bob.to_account_id();
		// A beneficiary that cannot receive: a new account, less than the existential deposit
		// after the fee.
		let nobody = AccountId32 { network: None, id: [9; 32] }.into();
		let xcm = teleport_in(crate::EXISTENTIAL_DEPOSIT / 2, nobody);
		// The failed deposit's fee is paid; the instruction after it (the topic) never ran, and
		// its weight is refunded into holding before the trap.
		let mut ran = xcm.clone();
		ran.0.pop();
		let fee = execution_fee(&ran);
		let (_, result) = deliver(xcm, crate::EXISTENTIAL_DEPOSIT / 2);
		assert!(matches!(result, Err(InstructionError { index: 3, .. })), "{result:?}");
		let owner: Location = AccountId32 { network: Some(ThisNetwork::get()), id: [9; 32] }.into();
		let trapped = trapped_for(&owner).expect("trapped for the beneficiary");
		assert_eq!(trapped, their_tpc(crate::EXISTENTIAL_DEPOSIT / 2 - fee).into());

		// Bob's message fails before anything runs (over its weight limit): what it carried
		// is trapped for him, and he claims it.
		System::reset_events();
		let blob = VersionedXcm::from(teleport_in(10 * UNIT, bob_there())).encode();
		let (_, result) =
			BridgedXcm::execute(DEV_COUNTERPARTY, &blob, 10 * UNIT, Weight::from_parts(1, 1));
		assert!(matches!(result, Err(InstructionError { index: 0, .. })), "{result:?}");
		let trapped = trapped_for(&bob_here()).expect("trapped for Bob");
		assert_eq!(trapped, their_tpc(10 * UNIT).into());
		let before = Balances::balance(&bob);
		assert_ok!(RuntimeCall::PolkadotXcm(pallet_xcm::Call::claim_assets {
			assets: Box::new(VersionedAssets::from(trapped)),
			beneficiary: Box::new(VersionedLocation::from(bob_there())),
		})
		.dispatch(RuntimeOrigin::signed(bob.clone())));
		assert_eq!(Balances::balance(&bob), before + 10 * UNIT);
	});
}

#[test]
fn undecodable_message_traps_its_value_for_the_counterparty() {
	dev_chain().execute_with(|| {
		follow_counterparty();
		let (_, result) =
			BridgedXcm::execute(DEV_COUNTERPARTY, &[0xff, 0], 3 * UNIT, MaxMessageWeight::get());
		assert_eq!(
			result,
			Err(InstructionError { index: 0, error: XcmError::UnhandledXcmVersion })
		);
		assert_eq!(trapped_for(&counterparty()), Some(their_tpc(3 * UNIT).into()));
	});
}
