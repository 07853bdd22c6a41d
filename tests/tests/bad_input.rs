//! Bad transactions are rejected with the expected error and move no funds.

use std::time::Duration;
use tpchain_e2e::{
	account,
	client::{
		api::{
			self,
			runtime_types::sp_runtime::{DispatchError, TokenError},
		},
		subxt::{config::DefaultExtrinsicParamsBuilder, utils::MultiAddress},
		subxt_signer::sr25519,
		AccountId, Connection, UNIT,
	},
	dev_node, fund, keypair, submit_failing, wait_best,
};

async fn signed_transfer_bytes(
	conn: &Connection,
	from: &sr25519::Keypair,
	to: &AccountId,
	amount: u128,
	nonce: Option<u64>,
) -> Vec<u8> {
	let call = api::transactions().balances().transfer_keep_alive(MultiAddress::Id(*to), amount);
	let mut params = DefaultExtrinsicParamsBuilder::new();
	if let Some(n) = nonce {
		params = params.nonce(n);
	}
	let mut txs = conn.api.at_current_block().await.unwrap().transactions();
	txs.create_signed(&call, from, params.build()).await.unwrap().into_encoded()
}

async fn balances(conn: &Connection, who: &[AccountId]) -> Vec<u128> {
	let mut out = Vec::new();
	for a in who {
		out.push(conn.free_balance(a, None).await.unwrap());
	}
	out
}

/// Submits raw bytes and returns the node's rejection: code, message and data.
async fn rejection(conn: &Connection, bytes: &[u8]) -> String {
	match conn.rpc.author_submit_extrinsic(bytes).await {
		Ok(hash) => panic!("the node accepted {hash:?}"),
		Err(tpchain_e2e::client::subxt::rpcs::Error::User(e)) => {
			assert_eq!(e.code, 1010, "invalid-transaction code: {e:?}");
			format!("{} {}", e.message, e.data.map(|d| d.get().to_string()).unwrap_or_default())
		},
		Err(e) => panic!("not a JSON-RPC rejection: {e}"),
	}
}

#[tokio::test]
async fn bad_transactions_are_rejected_and_change_nothing() {
	let dev = dev_node().await;
	let conn = &dev.conn;
	wait_best(conn, 2, Duration::from_secs(30)).await;

	let alice = keypair("//Alice");
	let bob = keypair("//Bob");
	let watched = [account(&alice), account(&bob)];

	// 1. A bad signature: flip one bit of the sr25519 signature.
	let before = balances(conn, &watched).await;
	let mut bytes = signed_transfer_bytes(conn, &alice, &account(&bob), UNIT, None).await;
	// Layout: compact length, version 0x84, MultiAddress::Id (1 + 32), MultiSignature (1 + 64).
	let prefix = {
		let mut rest = &bytes[..];
		<codec::Compact<u32> as codec::Decode>::decode(&mut rest).unwrap();
		bytes.len() - rest.len()
	};
	assert_eq!(bytes[prefix], 0x84, "signed v4 extrinsic");
	let sig_start = prefix + 1 + 33 + 1;
	bytes[sig_start + 10] ^= 0x01;
	let err = rejection(conn, &bytes).await;
	assert!(err.contains("bad signature"), "unexpected error: {err}");

	// 2. A stale nonce: Alice's first transfer uses nonce 0; nonce 0 again is outdated.
	let ok = signed_transfer_bytes(conn, &alice, &account(&bob), UNIT, Some(0)).await;
	conn.rpc.author_submit_extrinsic(&ok).await.unwrap();
	tpchain_e2e::wait_until(Duration::from_secs(30), "the valid transfer to land", || async {
		let bob_now = conn.free_balance(&account(&bob), None).await.ok()?;
		(bob_now == before[1] + UNIT).then_some(())
	})
	.await;
	let after_first = balances(conn, &watched).await;
	assert_eq!(conn.rpc.system_account_next_index(&account(&alice)).await.unwrap(), 1);
	let stale = signed_transfer_bytes(conn, &alice, &account(&bob), UNIT, Some(0)).await;
	let err = rejection(conn, &stale).await;
	assert!(err.contains("outdated"), "unexpected error: {err}");

	// 3. An account that cannot pay the fee is refused by the pool.
	let nobody = keypair("//E2eNobody");
	let broke = signed_transfer_bytes(conn, &nobody, &account(&bob), UNIT, Some(0)).await;
	let err = rejection(conn, &broke).await;
	assert!(err.contains("Inability to pay some fees"), "unexpected error: {err}");

	// Nothing moved after several more blocks.
	let (best, _) = conn.best().await.unwrap();
	wait_best(conn, best + 3, Duration::from_secs(30)).await;
	assert_eq!(balances(conn, &watched).await, after_first);
	assert_eq!(conn.free_balance(&account(&nobody), None).await.unwrap(), 0);
}

#[tokio::test]
async fn transfer_above_the_balance_fails_and_moves_nothing_but_the_fee() {
	let dev = dev_node().await;
	let conn = &dev.conn;

	// Fund a fresh account with 2 TPC, then let it try to send 5.
	let poor = keypair("//E2ePoor");
	let bob = account(&keypair("//Bob"));
	fund(conn, &account(&poor), 2 * UNIT).await;

	let poor_before = conn.free_balance(&account(&poor), None).await.unwrap();
	let bob_before = conn.free_balance(&bob, None).await.unwrap();
	assert_eq!(poor_before, 2 * UNIT);

	let too_much =
		api::transactions().balances().transfer_keep_alive(MultiAddress::Id(bob), 5 * UNIT);
	let failed = submit_failing(conn, &poor, &too_much).await;
	assert!(
		matches!(failed.error, DispatchError::Token(TokenError::FundsUnavailable)),
		"unexpected error: {:?}",
		failed.error
	);
	assert!(failed.events.find_first::<api::balances::events::Transfer>().is_none());
	let fee = failed.fee;

	let at = Some(failed.block);
	assert_eq!(conn.free_balance(&bob, at).await.unwrap(), bob_before, "Bob received nothing");
	assert_eq!(
		conn.free_balance(&account(&poor), at).await.unwrap(),
		poor_before - fee,
		"only the fee for inclusion left the account"
	);
}
