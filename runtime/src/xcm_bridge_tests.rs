//! XCM over the bridge, sending side: a teleport to the counterparty burns exactly the amount
//! and the quoted delivery fee, commits one message where the counterparty proves it, counts in
//! the burn totals, and is refused (burning nothing) wherever the route is closed.

use crate::{
	configs::xcm::{
		bridge::{counterparty_location, delivery_fee},
		ThisNetwork,
	},
	genesis_config_presets::DEV_COUNTERPARTY,
	AccountId, Balances, BurnProofs, OriginCaller, Runtime, RuntimeCall, RuntimeEvent,
	RuntimeOrigin, System, UNIT,
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

fn dev_chain() -> sp_io::TestExternalities {
	let mut ext = crate::genesis_config_presets::preset_state("development");
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn alice() -> AccountId {
	Sr25519Keyring::Alice.to_account_id()
}

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
			best: Default::default(),
			next_slot: 0,
			limits: Default::default(),
			window_start: 0,
			window_used: 0,
			totals: Default::default(),
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
