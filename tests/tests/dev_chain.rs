//! `--dev`: blocks every 2 s, finality, a signed transfer with exact balances and fee, and a
//! restart that resumes from the same finalized head.

use std::time::Duration;
use tpchain_e2e::{
	account,
	client::{
		api, format_balance, subxt::utils::MultiAddress, subxt_signer::sr25519, AccountId,
		Connection, Hash, UNIT,
	},
	keypair, wait_best, wait_finalized, Node, NodeConfig,
};

async fn timestamp_at(conn: &Connection, at: Hash) -> u64 {
	let block = conn.api.at_block(at).await.unwrap();
	let entry = block.storage().entry(api::storage().timestamp().now()).unwrap();
	entry.fetch(()).await.unwrap().decode().unwrap()
}

/// What a transfer changed, read at the block that included it and at its parent.
struct TransferOutcome {
	block: Hash,
	fee: u128,
	estimated_fee: u128,
}

async fn transfer(
	conn: &Connection,
	from: &sr25519::Keypair,
	to: &AccountId,
	amount: u128,
) -> TransferOutcome {
	let call = api::transactions().balances().transfer_keep_alive(MultiAddress::Id(*to), amount);
	let mut txs = conn.api.at_current_block().await.unwrap().transactions();
	let tx = txs.create_signed(&call, from, Default::default()).await.expect("sign transfer");
	let estimated_fee = tx.partial_fee_estimate().await.expect("fee estimate");
	let in_block = tx
		.submit_and_watch()
		.await
		.expect("submit transfer")
		.wait_for_finalized()
		.await
		.expect("transfer finalized");
	let events = in_block.wait_for_success().await.expect("transfer succeeded");
	let transferred =
		events.find_first::<api::balances::events::Transfer>().expect("Transfer event").unwrap();
	assert_eq!(transferred.amount, amount);
	assert_eq!(&transferred.to, to);
	let paid = events
		.find_first::<api::transaction_payment::events::TransactionFeePaid>()
		.expect("TransactionFeePaid event")
		.unwrap();
	assert_eq!(paid.tip, 0);
	TransferOutcome { block: in_block.block_hash(), fee: paid.actual_fee, estimated_fee }
}

async fn parent_of(conn: &Connection, block: Hash) -> Hash {
	conn.rpc.chain_get_header(Some(block)).await.unwrap().unwrap().parent_hash
}

#[tokio::test]
async fn dev_chain_produces_finalizes_and_transfers() {
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start(NodeConfig::dev(dir.path())).await;
	let conn = node.connect().await;

	// Chain properties as wallets read them.
	let props = conn.rpc.system_properties().await.unwrap();
	assert_eq!(props.get("tokenSymbol").and_then(|v| v.as_str()), Some("TPC"));
	assert_eq!(
		props.get("tokenDecimals").and_then(|v| v.as_u64()),
		Some(tpchain_e2e::client::TOKEN_DECIMALS as u64)
	);

	// Blocks are produced and finalized.
	wait_best(&conn, 6, Duration::from_secs(60)).await;
	wait_finalized(&conn, 4, Duration::from_secs(30)).await;

	// Every block is two seconds after its parent (one Aura slot; the dev node never misses).
	let mut stamps = Vec::new();
	for n in 2..=6 {
		let h = conn.block_hash(n).await.unwrap().unwrap();
		stamps.push(timestamp_at(&conn, h).await);
	}
	for w in stamps.windows(2) {
		let gap = w[1] - w[0];
		assert!((1_500..=2_500).contains(&gap), "block gap {gap} ms, expected about 2000");
	}

	// A transfer to a new account: exact balances and the fee the node quoted.
	let alice = keypair("//Alice");
	let recipient = account(&keypair("//E2eRecipient"));
	assert_eq!(conn.free_balance(&recipient, None).await.unwrap(), 0);
	let amount = 10 * UNIT;
	let out = transfer(&conn, &alice, &recipient, amount).await;
	let before = parent_of(&conn, out.block).await;

	assert!(out.fee > 0, "transfers are not free");
	assert_eq!(out.fee, out.estimated_fee, "charged fee equals the node's quote");
	let alice_before = conn.free_balance(&account(&alice), Some(before)).await.unwrap();
	let alice_after = conn.free_balance(&account(&alice), Some(out.block)).await.unwrap();
	assert_eq!(
		alice_before - alice_after,
		amount + out.fee,
		"Alice paid {} + fee {}",
		format_balance(amount),
		format_balance(out.fee)
	);
	assert_eq!(conn.free_balance(&recipient, Some(out.block)).await.unwrap(), amount);
	// Fees are burned: total issuance drops by exactly the fee.
	let issuance_before = conn.total_issuance(Some(before)).await.unwrap();
	let issuance_after = conn.total_issuance(Some(out.block)).await.unwrap();
	assert_eq!(issuance_before - issuance_after, out.fee);

	// The transfer's block is final.
	let (fin, _) = conn.finalized().await.unwrap();
	let included_at = conn.rpc.chain_get_header(Some(out.block)).await.unwrap().unwrap().number;
	assert!(fin as u64 >= included_at);
}

#[tokio::test]
async fn restart_resumes_from_the_same_finalized_head() {
	let dir = tempfile::tempdir().unwrap();
	let mut node = Node::start(NodeConfig::dev(dir.path())).await;
	let conn = node.connect().await;

	let recipient = account(&keypair("//E2eRestart"));
	let out = transfer(&conn, &keypair("//Alice"), &recipient, 7 * UNIT).await;
	let fin_number = wait_finalized(&conn, 3, Duration::from_secs(30)).await;
	let (fin_number, fin_hash) = {
		let (n, h) = conn.finalized().await.unwrap();
		assert!(n >= fin_number);
		(n, h)
	};
	drop(conn);

	assert!(node.stop(), "node exits cleanly on SIGTERM");
	node.restart().await;
	let conn = node.connect().await;

	// Same chain, same finalized history, and the transfer is still there.
	let (resumed, _) = conn.finalized().await.unwrap();
	assert!(resumed >= fin_number, "finalized head went back from {fin_number} to {resumed}");
	assert_eq!(conn.block_hash(fin_number).await.unwrap(), Some(fin_hash));
	assert_eq!(conn.free_balance(&recipient, Some(out.block)).await.unwrap(), 7 * UNIT);
	assert_eq!(conn.free_balance(&recipient, None).await.unwrap(), 7 * UNIT);

	// And it keeps producing and finalizing on top of it.
	wait_best(&conn, fin_number + 3, Duration::from_secs(30)).await;
	wait_finalized(&conn, fin_number + 2, Duration::from_secs(30)).await;
}
