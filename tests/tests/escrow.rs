//! Escrow end to end on a `--dev` node over JSON-RPC: a two-milestone payment with a timelock
//! and 2-of-3 approvals, a hashlock swap, a bonded dispute resolved by the arbiter the payee
//! accepted, and an expired escrow refunded.

use std::time::Duration;
use tpchain_e2e::{
	account,
	client::{
		api::{self, runtime_types::pallet_escrow::types::Milestone},
		escrow::{condition, Leaf},
		subxt::utils::H256,
		AccountId, Connection, UNIT,
	},
	dev_node, fee, fund, keypair, submit, wait_best,
};

fn board() -> Vec<AccountId> {
	["//Bob", "//Charlie", "//Dave"].iter().map(|u| account(&keypair(u))).collect()
}

async fn reserved(conn: &Connection, who: &AccountId) -> u128 {
	conn.account(who, None).await.unwrap().data.reserved
}

#[tokio::test(flavor = "multi_thread")]
async fn milestones_with_timelock_and_approvals_then_a_hashlock_swap() {
	let dev = dev_node().await;
	let conn = &dev.conn;
	let payer = keypair("//E2eEscrowPayer");
	let payer_id = account(&payer);
	let payee = keypair("//E2eEscrowPayee");
	let payee_id = account(&payee);
	fund(conn, &payer_id, 1_000 * UNIT).await;
	fund(conn, &payee_id, UNIT).await;

	// Milestone 0: after block `unlock` and 2 of 3 of the board; milestone 1: 2 of 3 only.
	let (best, _) = conn.best().await.unwrap();
	let unlock = best + 12;
	let milestones = vec![
		Milestone {
			amount: 100 * UNIT,
			condition: condition::all(vec![
				Leaf::AfterBlock(unlock),
				condition::approvals(board(), 2),
			]),
		},
		Milestone {
			amount: 50 * UNIT,
			condition: condition::leaf(condition::approvals(board(), 2)),
		},
	];
	let create = api::transactions().escrow().create(
		payee_id,
		milestones,
		200,
		vec![],
		b"PO-2026-0042".to_vec(),
	);
	let (_, events) = submit(conn, &payer, &create).await;
	let created =
		events.find_first::<api::escrow::events::EscrowCreated>().expect("EscrowCreated").unwrap();
	let id = created.id;
	assert_eq!(created.amount, 150 * UNIT);
	let view = conn.escrow(id, None).await.unwrap().expect("open escrow");
	assert_eq!(view.remaining, (150 * UNIT).to_string());
	assert_eq!(view.milestones.len(), 2);
	assert_eq!(conn.escrow_total_held(None).await.unwrap(), 150 * UNIT);
	let deposit: u128 = view.deposit.parse().unwrap();
	assert_eq!(reserved(conn, &payer_id).await, 150 * UNIT + deposit, "held on the payer");
	let roles = conn.escrows_of(&payee_id.to_string()).await.unwrap();
	assert!(roles.iter().any(|p| p.id == id && p.role == "payee"));

	for approver in ["//Bob", "//Dave"] {
		for milestone in [0, 1] {
			let approve = api::transactions().escrow().approve(id, milestone);
			submit(conn, &keypair(approver), &approve).await;
		}
	}
	// Milestone 1 needs only the approvals.
	let payee_before = conn.free_balance(&payee_id, None).await.unwrap();
	let (_, events) =
		submit(conn, &payee, &api::transactions().escrow().release(id, 1, None)).await;
	assert_eq!(
		conn.free_balance(&payee_id, None).await.unwrap(),
		payee_before + 50 * UNIT - fee(&events)
	);
	// Milestone 0 after the timelock.
	wait_best(conn, unlock, Duration::from_secs(60)).await;
	let payee_before = conn.free_balance(&payee_id, None).await.unwrap();
	let (_, events) =
		submit(conn, &payee, &api::transactions().escrow().release(id, 0, None)).await;
	assert_eq!(
		conn.free_balance(&payee_id, None).await.unwrap(),
		payee_before + 100 * UNIT - fee(&events)
	);
	assert!(conn.escrow(id, None).await.unwrap().is_none(), "fully released escrows close");
	assert_eq!(conn.escrow_total_held(None).await.unwrap(), 0);
	assert_eq!(reserved(conn, &payer_id).await, 0, "deposit returned");

	// Hashlock swap: the payee's release reveals the secret.
	let secret = b"swap-secret-2f9c".to_vec();
	let lock = H256(sp_crypto_hashing::blake2_256(&secret));
	let create = api::transactions().escrow().create(
		payee_id,
		vec![Milestone { amount: 30 * UNIT, condition: condition::leaf(Leaf::Preimage(lock)) }],
		200,
		vec![],
		b"SWAP-7".to_vec(),
	);
	let (_, events) = submit(conn, &payer, &create).await;
	let id = events.find_first::<api::escrow::events::EscrowCreated>().unwrap().unwrap().id;
	let wrong = conn
		.submit(&payee, &api::transactions().escrow().release(id, 0, Some(b"guess".to_vec())))
		.await
		.expect_err("a wrong preimage does not release");
	assert!(wrong.to_string().contains("ConditionNotMet"), "{wrong}");
	let (_, events) =
		submit(conn, &payee, &api::transactions().escrow().release(id, 0, Some(secret.clone())))
			.await;
	let released =
		events.find_first::<api::escrow::events::EscrowReleased>().expect("released").unwrap();
	assert_eq!(released.preimage.map(|p| p.0), Some(secret));
	assert_eq!(released.amount, 30 * UNIT);
}

#[tokio::test(flavor = "multi_thread")]
async fn dispute_is_resolved_by_the_arbiter_and_an_expired_escrow_is_refunded() {
	let dev = dev_node().await;
	let conn = &dev.conn;
	let payer = keypair("//E2eDisputePayer");
	let payer_id = account(&payer);
	let payee = keypair("//E2eDisputePayee");
	let payee_id = account(&payee);
	let arbiter = keypair("//Ferdie");
	fund(conn, &payer_id, 1_000 * UNIT).await;
	fund(conn, &payee_id, 20 * UNIT).await;
	let at = conn.api.at_current_block().await.unwrap();
	let bond = at.constants().entry(api::constants().escrow().dispute_bond()).unwrap();
	assert_eq!(bond, 10 * UNIT);

	let never = || vec![Milestone { amount: 40 * UNIT, condition: condition::leaf(Leaf::Never) }];
	let create = api::transactions().escrow().create(
		payee_id,
		never(),
		500,
		vec![account(&arbiter)],
		b"DISPUTE-1".to_vec(),
	);
	let (_, events) = submit(conn, &payer, &create).await;
	let id = events.find_first::<api::escrow::events::EscrowCreated>().unwrap().unwrap().id;
	// The payer named the arbiter; it may resolve only once the payee accepts it.
	submit(conn, &payee, &api::transactions().escrow().accept_arbiters(id)).await;
	let dispute = api::transactions().escrow().dispute(id, b"delivered, payer refuses".to_vec());
	submit(conn, &payee, &dispute).await;
	let view = conn.escrow(id, None).await.unwrap().unwrap();
	assert_eq!(view.disputed_by.map(|a| a.to_string()), Some(payee_id.to_string()));
	assert_eq!(view.dispute_bond, Some(bond.to_string()));
	assert!(view.arbiters_accepted);
	let payee_before = conn.free_balance(&payee_id, None).await.unwrap();
	let payer_before = conn.free_balance(&payer_id, None).await.unwrap();
	let resolve = api::transactions().escrow().resolve(id, 25 * UNIT, 15 * UNIT);
	submit(conn, &arbiter, &resolve).await;
	// The payee won the larger share: its bond comes back with it.
	assert_eq!(conn.free_balance(&payee_id, None).await.unwrap(), payee_before + 25 * UNIT + bond);
	let deposit_back = conn.free_balance(&payer_id, None).await.unwrap() - payer_before - 15 * UNIT;
	assert!(deposit_back > 0, "the deposit comes back with the payer's share");
	assert!(conn.escrow(id, None).await.unwrap().is_none());

	// Expiry: five blocks of the escrow clock; then anyone may refund.
	let create = api::transactions().escrow().create(payee_id, never(), 5, vec![], vec![]);
	let (_, events) = submit(conn, &payer, &create).await;
	let created = events.find_first::<api::escrow::events::EscrowCreated>().unwrap().unwrap();
	wait_best(conn, created.expires_at, Duration::from_secs(60)).await;
	let payer_before = conn.free_balance(&payer_id, None).await.unwrap();
	submit(conn, &keypair("//Bob"), &api::transactions().escrow().refund(created.id)).await;
	let returned = conn.free_balance(&payer_id, None).await.unwrap() - payer_before;
	assert!(returned > 40 * UNIT, "amount and deposit back: {returned}");
	assert_eq!(conn.escrow_total_held(None).await.unwrap(), 0);
}
