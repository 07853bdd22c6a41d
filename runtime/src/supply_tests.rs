//! The supply report against the real runtime: fees, dust, burns and XCM flows counted where
//! they change the issuance, a mint no counter saw reported, and the uncounted burn refused.

use crate::xcm_tests::{alice, dev_chain};
use crate::{
	configs::xcm::bridge::{counterparty_location, BridgedXcm},
	genesis_config_presets::DEV_COUNTERPARTY,
	Balances, BurnProofs, Executive, Runtime, RuntimeCall, RuntimeOrigin, Supply, System,
	UncheckedExtrinsic, UNIT,
};
use alloc::{boxed::Box, vec, vec::Vec};
use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, Mutate},
		GetStorageVersion, OnRuntimeUpgrade, StorageVersion,
	},
	weights::Weight,
};
use pallet_bridge::ExecuteBridgedMessage;
use sp_keyring::Sr25519Keyring;
use sp_runtime::traits::Dispatchable;
use tpchain_primitives::supply::SupplyReport;
use xcm::{latest::prelude::*, VersionedAssets, VersionedLocation, VersionedXcm};

fn report() -> SupplyReport {
	Supply::report()
}

/// The report reconciles and `try_state` (every account summed) agrees.
fn assert_reconciled() -> SupplyReport {
	let r = report();
	assert_eq!(r.difference(), 0, "{r:?}");
	assert_eq!(Supply::do_try_state(), Ok(()));
	r
}

/// `call` signed by `who` with every extension the chain checks, as a wallet would send it.
fn signed(who: Sr25519Keyring, nonce: u32, call: RuntimeCall) -> UncheckedExtrinsic {
	let extension: crate::TxExtension = (
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(sp_runtime::generic::Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_bridge::CheckBridgeSubmission::new(),
		pallet_settlement::PrioritizeOperatorBatches::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	);
	let payload = crate::SignedPayload::new(call.clone(), extension.clone()).unwrap();
	let signature = payload.using_encoded(|bytes| who.sign(bytes));
	UncheckedExtrinsic::new_signed(call, who.to_account_id().into(), signature.into(), extension)
}

fn transfer(to: Sr25519Keyring, amount: u128) -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: to.to_account_id().into(),
		value: amount,
	})
}

#[test]
fn dev_chain_starts_reconciled_at_its_genesis_issuance() {
	dev_chain().execute_with(|| {
		let r = assert_reconciled();
		assert_eq!(r.genesis_issuance, Balances::total_issuance());
		assert_eq!(r.counting_since, 0);
		assert_eq!(r.free + r.held_total() + r.reserved, r.total_issuance);
	});
}

#[test]
fn transaction_fees_are_counted_as_they_are_burned() {
	dev_chain().execute_with(|| {
		let issuance = Balances::total_issuance();
		let bob = Sr25519Keyring::Bob.to_account_id();
		let before = Balances::balance(&bob);
		for nonce in 0..3 {
			let xt = signed(Sr25519Keyring::Alice, nonce, transfer(Sr25519Keyring::Bob, UNIT));
			assert_ok!(Executive::apply_extrinsic(xt).unwrap());
		}
		assert_eq!(Balances::balance(&bob), before + 3 * UNIT);
		let r = assert_reconciled();
		let burned = issuance - Balances::total_issuance();
		assert!(burned > 0, "fees were charged");
		assert_eq!(r.fees, burned);
	});
}

#[test]
fn dust_left_below_the_existential_deposit_is_counted() {
	dev_chain().execute_with(|| {
		let temp = Sr25519Keyring::Ferdie.to_account_id();
		let ed = crate::EXISTENTIAL_DEPOSIT;
		assert_ok!(Balances::transfer_keep_alive(
			RuntimeOrigin::signed(alice()),
			temp.clone().into(),
			3 * ed
		));
		let whole = Balances::balance(&temp);
		// Leaves half the existential deposit behind: the account is reaped and that is dust.
		assert_ok!(Balances::transfer_allow_death(
			RuntimeOrigin::signed(temp.clone()),
			alice().into(),
			whole - ed / 2
		));
		assert_eq!(Balances::balance(&temp), 0);
		let r = assert_reconciled();
		assert_eq!(r.dust, ed / 2);
	});
}

#[test]
fn burns_and_escrow_holds_are_reported_where_they_are() {
	dev_chain().execute_with(|| {
		let issuance = Balances::total_issuance();
		assert_ok!(BurnProofs::burn(
			RuntimeOrigin::signed(alice()),
			5 * UNIT,
			Some(DEV_COUNTERPARTY),
			vec![7; 32],
			b"INV-1".to_vec()
		));
		assert_ok!(BurnProofs::burn(
			RuntimeOrigin::signed(alice()),
			2 * UNIT,
			None,
			vec![],
			vec![]
		));
		let r = assert_reconciled();
		assert_eq!(Balances::total_issuance(), issuance - 7 * UNIT);
		assert_eq!(r.burned, 7 * UNIT);
		assert_eq!(r.burned_by_destination, vec![(DEV_COUNTERPARTY, 5 * UNIT)]);
	});
}

#[test]
fn holder_cannot_burn_around_the_burn_pallet() {
	dev_chain().execute_with(|| {
		let call =
			RuntimeCall::Balances(pallet_balances::Call::burn { value: UNIT, keep_alive: true });
		assert_noop!(
			call.dispatch(RuntimeOrigin::signed(alice())),
			frame_system::Error::<Runtime>::CallFiltered
		);
		// Inside a batch too.
		let batch = RuntimeCall::Utility(pallet_utility::Call::batch_all {
			calls: vec![RuntimeCall::Balances(pallet_balances::Call::burn {
				value: UNIT,
				keep_alive: true,
			})],
		});
		let issuance = Balances::total_issuance();
		let result = batch.dispatch(RuntimeOrigin::signed(alice()));
		assert_eq!(
			result.map_err(|e| e.error),
			Err(frame_system::Error::<Runtime>::CallFiltered.into())
		);
		assert_eq!(Balances::total_issuance(), issuance);
		assert_reconciled();
	});
}

#[test]
fn mint_no_counter_saw_is_reported_unreconciled() {
	dev_chain().execute_with(|| {
		// A runtime hook that mints without counting: the corruption an audit must catch.
		assert_ok!(<Balances as Mutate<_>>::mint_into(&alice(), 42));
		let r = report();
		assert!(!r.reconciled());
		assert_eq!(r.difference(), 42);
		assert!(Supply::do_try_state().is_err());
	});
}

#[test]
fn teleport_out_counts_its_value_as_burned_and_its_delivery_fee() {
	dev_chain().execute_with(|| {
		let issuance = Balances::total_issuance();
		let bob_there: Location =
			AccountId32 { network: None, id: Sr25519Keyring::Bob.to_account_id().into() }.into();
		assert_ok!(RuntimeCall::PolkadotXcm(pallet_xcm::Call::transfer_assets {
			dest: Box::new(VersionedLocation::from(counterparty_location(DEV_COUNTERPARTY))),
			beneficiary: Box::new(VersionedLocation::from(bob_there)),
			assets: Box::new(VersionedAssets::from(Assets::from(Asset::from((Here, 10 * UNIT))))),
			fee_asset_item: 0,
			weight_limit: Unlimited,
		})
		.dispatch(RuntimeOrigin::signed(alice())));
		let r = assert_reconciled();
		let fee = issuance - Balances::total_issuance() - 10 * UNIT;
		assert!(fee > 0, "a delivery fee was paid");
		assert_eq!(r.xcm.messages_out, 10 * UNIT);
		assert_eq!(r.xcm.fees, fee);
		assert_eq!(r.xcm.withdrawn, 10 * UNIT + fee);
		assert_eq!((r.xcm.deposited, r.xcm.destroyed(), r.xcm.in_traps()), (0, 0, 0));
		assert_eq!(r.burned_by_destination, vec![(DEV_COUNTERPARTY, 10 * UNIT)]);
	});
}

/// The counterparty followed by the light client, and `value` of its message counted as minted,
/// as `pallet_bridge::receive_message` records it before executing (tested in the pallet).
fn bridge_delivers(value: u128) {
	let mut state = pallet_bridge::Counterparties::<Runtime>::get(DEV_COUNTERPARTY)
		.unwrap_or_else(|| pallet_bridge::CounterpartyState::anchored_at(Default::default()));
	state.totals.proven += value;
	state.totals.minted += value;
	pallet_bridge::Counterparties::<Runtime>::insert(DEV_COUNTERPARTY, state);
}

fn teleport_in(amount: u128, beneficiary: Location) -> Vec<u8> {
	let their_tpc: Asset = (counterparty_location(DEV_COUNTERPARTY), amount).into();
	VersionedXcm::<RuntimeCall>::from(Xcm(vec![
		ReceiveTeleportedAsset(their_tpc.clone().into()),
		ClearOrigin,
		BuyExecution { fees: their_tpc, weight_limit: Unlimited },
		DepositAsset { assets: Wild(AllCounted(1)), beneficiary },
	]))
	.encode()
}

#[test]
fn teleport_in_and_a_trapped_message_reconcile_until_claimed() {
	dev_chain().execute_with(|| {
		let bob = Sr25519Keyring::Bob.to_account_id();
		let bob_there: Location = AccountId32 { network: None, id: bob.clone().into() }.into();
		let issuance = Balances::total_issuance();
		bridge_delivers(10 * UNIT);
		let max = crate::configs::bridge::MaxMessageWeight::get();
		let (_, result) = BridgedXcm::execute(
			DEV_COUNTERPARTY,
			&teleport_in(10 * UNIT, bob_there.clone()),
			10 * UNIT,
			max,
		);
		assert_eq!(result, Ok(()));
		let r = assert_reconciled();
		let fee = issuance + 10 * UNIT - Balances::total_issuance();
		assert_eq!(
			(r.xcm.messages_in, r.xcm.fees, r.xcm.deposited),
			(10 * UNIT, fee, 10 * UNIT - fee)
		);
		assert_eq!((r.xcm.destroyed(), r.xcm.in_traps()), (0, 0));

		// Bob's next message cannot run (over its weight limit): its value is trapped for him.
		bridge_delivers(4 * UNIT);
		let (_, result) = BridgedXcm::execute(
			DEV_COUNTERPARTY,
			&teleport_in(4 * UNIT, bob_there.clone()),
			4 * UNIT,
			Weight::from_parts(1, 1),
		);
		assert!(result.is_err());
		let r = assert_reconciled();
		assert_eq!(r.xcm.in_traps(), (4 * UNIT) as i128);
		assert_eq!(r.total_issuance, issuance + 14 * UNIT - fee, "a trap keeps it issued");
		assert_eq!(r.free + r.held_total() + r.reserved + 4 * UNIT, r.total_issuance);
		// His claim issues it.
		let trapped: Asset = (counterparty_location(DEV_COUNTERPARTY), 4 * UNIT).into();
		assert_ok!(RuntimeCall::PolkadotXcm(pallet_xcm::Call::claim_assets {
			assets: Box::new(VersionedAssets::from(Assets::from(trapped))),
			beneficiary: Box::new(VersionedLocation::from(bob_there)),
		})
		.dispatch(RuntimeOrigin::signed(bob)));
		let r = assert_reconciled();
		assert_eq!((r.xcm.claimed, r.xcm.in_traps(), r.xcm.destroyed()), (4 * UNIT, 0, 0));
		assert_eq!(r.total_issuance, issuance + 14 * UNIT - fee, "a claim issues nothing new");
	});
}

#[test]
fn upgrade_that_adds_the_pallet_counts_from_then_and_reconciles() {
	dev_chain().execute_with(|| {
		assert_ok!(BurnProofs::burn(
			RuntimeOrigin::signed(alice()),
			3 * UNIT,
			None,
			vec![],
			vec![]
		));
		bridge_delivers(0);
		// A chain from before the pallet: no baseline, storage version 0, some fees already paid.
		pallet_supply::Baseline::<Runtime>::kill();
		pallet_supply::FeesBurned::<Runtime>::kill();
		StorageVersion::new(0).put::<Supply>();
		System::set_block_number(77);
		// Fees burned before the upgrade, which no counter saw: folded into the baseline.
		assert_ok!(<Balances as Mutate<_>>::burn_from(
			&alice(),
			5,
			frame_support::traits::tokens::Preservation::Preserve,
			frame_support::traits::tokens::Precision::Exact,
			frame_support::traits::tokens::Fortitude::Polite,
		));
		pallet_supply::migrations::v1::MigrateV0ToV1::<Runtime>::on_runtime_upgrade();
		assert_eq!(Supply::on_chain_storage_version(), StorageVersion::new(1));
		let r = assert_reconciled();
		assert_eq!(r.counting_since, 77);
		assert_eq!(r.genesis_issuance, Balances::total_issuance() + 3 * UNIT);
	});
}
