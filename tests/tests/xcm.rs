//! XCM on a `--dev` node through the SDK, as a wallet uses it: the fee quote, the dry run, a
//! local transfer program, and programs the chain refuses.

use std::time::Duration;
use tpchain_e2e::{
	account,
	client::{
		subxt::dynamic::{self, Value},
		xcm::{
			self as x,
			xcm::latest::{prelude::*, Weight},
			EventValue, XcmCall,
		},
		AccountId, Connection, UNIT,
	},
	dev_node, fee, keypair, submit_failing, wait_best,
};

/// `dry` appears in `real` as one contiguous run, in order.
fn contains_run(real: &[EventValue], dry: &[EventValue]) -> bool {
	!dry.is_empty() && real.windows(dry.len()).any(|w| w == dry)
}

/// Submits `call` from `signer`, expects it to fail in its block, and returns the module error's
/// name (from metadata), the fee paid and the block.
async fn failing(
	conn: &Connection,
	signer: &tpchain_e2e::client::subxt_signer::sr25519::Keypair,
	call: &XcmCall,
) -> (String, u128, tpchain_e2e::client::Hash) {
	let failed = submit_failing(conn, signer, call).await;
	(tpchain_e2e::error_name(conn, &failed.error).await, failed.fee, failed.block)
}

#[tokio::test]
async fn xcm_transfer_costs_the_quote_and_the_dry_run_predicts_it() {
	let dev = dev_node().await;
	let conn = &dev.conn;
	wait_best(conn, 2, Duration::from_secs(30)).await;
	let alice = keypair("//Alice");
	let bob: AccountId = account(&keypair("//XcmBob"));
	let amount = 5 * UNIT;

	// A generic wallet: the accepted fee asset straight from metadata, no tpchain types.
	let accepted = conn
		.api
		.at_current_block()
		.await
		.unwrap()
		.runtime_apis()
		.call(dynamic::runtime_api_call::<_, Value>(
			"XcmPaymentApi",
			"query_acceptable_payment_assets",
			(Value::u128(5),),
		))
		.await
		.unwrap();
	assert!(accepted.to_string().contains("Here"), "TPC is `Here`: {accepted}");

	let quote =
		conn.xcm_quote(&x::transfer_program(&bob, amount, 1, Weight::zero())).await.unwrap();
	assert!(quote.fee > 0 && quote.ref_time > 0, "{quote:?}");
	let program = x::transfer_program(&bob, amount, quote.fee, quote.weight());
	let call = XcmCall::execute(&program, quote.weight());
	let dry = conn
		.dry_run_call(&account(&alice), &call.call_data(&conn.metadata().await.unwrap()).unwrap())
		.await
		.unwrap();
	assert_eq!(dry.result, Ok(()));
	assert_eq!(dry.forwarded, 0, "nothing leaves the chain");
	assert!(dry.events.iter().any(|e| e.pallet == "PolkadotXcm" && e.event == "Attempted"));

	// The SDK maps a location to its account as the runtime does.
	let mapped = conn.location_to_account(x::account_location(&account(&alice))).await.unwrap();
	assert_eq!(mapped, account(&alice));

	let issuance = conn.total_issuance(None).await.unwrap();
	let alice_before = conn.free_balance(&account(&alice), None).await.unwrap();
	let (block, events) = conn.xcm_execute(&alice, &program, quote.weight()).await.unwrap();
	let real: Vec<EventValue> =
		events.iter().map(|e| EventValue::from_event(&e.unwrap()).unwrap()).collect();
	assert!(contains_run(&real, &dry.events), "dry run {:#?}\nreal {:#?}", dry.events, real);

	let tx_fee = fee(&events);
	let at = Some(block);
	assert_eq!(conn.free_balance(&bob, at).await.unwrap(), amount);
	assert_eq!(
		conn.free_balance(&account(&alice), at).await.unwrap(),
		alice_before - amount - quote.fee - tx_fee
	);
	assert_eq!(
		conn.total_issuance(at).await.unwrap(),
		issuance - quote.fee - tx_fee,
		"the XCM fee and the transaction fee are burned"
	);

	// The CLI prints the same quote and prediction.
	let out = std::process::Command::new(tpchain_e2e::cli_binary())
		.args(["xcm", "dry-run", "--url", &dev.node.config.ws_url(), "--json", "--origin"])
		.arg(account(&alice).to_string())
		.args(["--transfer-to", &bob.to_string(), "--amount", "5"])
		.output()
		.unwrap();
	assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
	let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
	assert_eq!(report["quote"]["feeUnits"], quote.fee.to_string());
	assert_eq!(report["result"], "Ok");
	assert!(report["events"]
		.as_array()
		.unwrap()
		.iter()
		.any(|e| e.as_str().unwrap().starts_with("PolkadotXcm.Attempted")));
}

#[tokio::test]
async fn bad_xcm_is_refused_with_a_named_error_and_moves_nothing() {
	let dev = dev_node().await;
	let conn = &dev.conn;
	wait_best(conn, 2, Duration::from_secs(30)).await;
	let alice = keypair("//Alice");
	let bob: AccountId = account(&keypair("//Bob"));
	let quote = conn.xcm_quote(&x::transfer_program(&bob, UNIT, 1, Weight::zero())).await.unwrap();
	let to_bob =
		|| DepositAsset { assets: Wild(AllCounted(1)), beneficiary: x::account_location(&bob) };

	// More than Alice has: the withdrawal fails, the program with it.
	let overdrawn = Xcm(vec![WithdrawAsset(x::tpc(u128::MAX / 4).into()), to_bob()]);
	let too_long = Xcm([vec![WithdrawAsset(x::tpc(UNIT).into())], vec![ClearOrigin; 101]].concat());
	let dot: Asset = (Parent, UNIT).into();
	let foreign = Xcm(vec![
		WithdrawAsset(dot.clone().into()),
		BuyExecution { fees: dot, weight_limit: Limited(quote.weight()) },
		to_bob(),
	]);
	let elsewhere = Location::new(1, [GlobalConsensus(NetworkId::ByGenesis([9; 32]))]);
	let cases = [
		(
			XcmCall::execute(&overdrawn, quote.weight()),
			"PolkadotXcm.LocalExecutionIncompleteWithError",
		),
		(
			XcmCall::execute(&foreign, quote.weight()),
			"PolkadotXcm.LocalExecutionIncompleteWithError",
		),
		(XcmCall::send(elsewhere, &Xcm(vec![ClearOrigin])), "PolkadotXcm.Unreachable"),
	];
	// The dry run names the refusal before anyone pays for it.
	let metadata = conn.metadata().await.unwrap();
	let dry = conn
		.dry_run_call(&account(&alice), &cases[0].0.call_data(&metadata).unwrap())
		.await
		.unwrap();
	assert_eq!(dry.result, Err("PolkadotXcm.LocalExecutionIncompleteWithError".to_string()));
	for (call, expected) in cases {
		let bob_before = conn.free_balance(&bob, None).await.unwrap();
		let alice_before = conn.free_balance(&account(&alice), None).await.unwrap();
		let issuance = conn.total_issuance(None).await.unwrap();
		let (error, tx_fee, block) = failing(conn, &alice, &call).await;
		assert_eq!(error, expected);
		let at = Some(block);
		assert_eq!(conn.free_balance(&bob, at).await.unwrap(), bob_before, "{expected}");
		assert_eq!(
			conn.free_balance(&account(&alice), at).await.unwrap(),
			alice_before - tx_fee,
			"{expected}: only the transaction fee"
		);
		assert_eq!(conn.total_issuance(at).await.unwrap(), issuance - tx_fee, "{expected}");
	}

	// A program over the decoder's 100 instructions, or a versioned XCM of no known version,
	// cannot be decoded: the pool refuses the transaction and nobody pays anything.
	let malformed = XcmCall::raw("execute", vec![0xff, 0x00, 0x00]);
	for call in [XcmCall::execute(&too_long, quote.weight()), malformed] {
		let alice_before = conn.free_balance(&account(&alice), None).await.unwrap();
		let mut txs = conn.api.at_current_block().await.unwrap().transactions();
		let refused = match txs.sign_and_submit_then_watch_default(&call, &alice).await {
			Err(e) => e.to_string(),
			Ok(progress) => progress.wait_for_finalized().await.expect_err("refused").to_string(),
		};
		assert!(refused.contains("not valid") || refused.contains("Invalid"), "{refused}");
		wait_best(conn, conn.best().await.unwrap().0 + 1, Duration::from_secs(30)).await;
		assert_eq!(conn.free_balance(&account(&alice), None).await.unwrap(), alice_before);
	}
}
