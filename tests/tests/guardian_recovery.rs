//! Guardian recovery end to end on a `--dev` node: a lost key recovered by two of three
//! guardians after the delay and the funds moved by the new key; a stranger's recovery cancelled
//! by the owner, who receives the stranger's bond; a stranger's recovery of a lost key replaced
//! by a guardian's, which recovers the account all the same.

use std::time::Duration;
use tpchain_e2e::{
	account,
	client::{
		api::{
			self,
			runtime_types::{
				pallet_balances::pallet::Call as BalancesCall, tpchain_runtime::RuntimeCall,
			},
		},
		subxt::utils::MultiAddress,
		AccountId, UNIT,
	},
	dev_node, fee, fund, keypair, submit, wait_best,
};

/// Bob, Charlie and Dave, sorted as the pallet requires.
fn guardians() -> Vec<AccountId> {
	let mut g: Vec<AccountId> =
		["//Bob", "//Charlie", "//Dave"].iter().map(|u| account(&keypair(u))).collect();
	g.sort();
	g
}

#[tokio::test(flavor = "multi_thread")]
async fn lost_key_is_recovered_by_two_of_three_guardians() {
	let dev = dev_node().await;
	let conn = &dev.conn;

	let lost = keypair("//E2eLostPhone");
	let lost_id = account(&lost);
	let new = keypair("//E2eNewPhone");
	let new_id = account(&new);
	fund(conn, &lost_id, 100 * UNIT).await;
	fund(conn, &new_id, UNIT).await;

	let delay = 15u32;
	let set = api::transactions().guardian_recovery().set_guardians(guardians(), 2, delay);
	submit(conn, &lost, &set).await;
	let status = conn.recovery_config(&lost_id.to_string(), None).await.unwrap();
	let config = status.config.expect("guardians set");
	assert_eq!((config.threshold, config.delay, config.guardians.len()), (2, delay, 3));

	// The phone is lost: Bob opens the recovery, Bob and Charlie approve.
	let open = api::transactions().guardian_recovery().initiate(lost_id, new_id);
	submit(conn, &keypair("//Bob"), &open).await;
	let approve = api::transactions().guardian_recovery().approve(lost_id);
	submit(conn, &keypair("//Bob"), &approve).await;
	submit(conn, &keypair("//Charlie"), &approve).await;
	let active = conn.recovery_active(&lost_id.to_string(), None).await.unwrap().expect("open");
	assert_eq!(active.approvals.len(), 2);
	assert_eq!(active.bond, "0", "guardians open recoveries without a bond");
	assert_eq!(active.new_account.to_string(), new_id.to_string());

	// Finalizing before the delay fails (typed error from the pallet, nothing changes): the
	// delay is 15 blocks (30 s) and this is submitted right after the approvals.
	let finalize = api::transactions().guardian_recovery().finalize(lost_id);
	let err =
		conn.submit(&new, &finalize).await.expect_err("finalize before the delay").to_string();
	assert!(err.contains("DelayNotPassed"), "{err}");
	assert!(conn.recovery_active(&lost_id.to_string(), None).await.unwrap().is_some());

	wait_best(conn, active.finalizable_at, Duration::from_secs(60)).await;
	submit(conn, &new, &finalize).await;
	let status = conn.recovery_config(&lost_id.to_string(), None).await.unwrap();
	assert_eq!(status.recovered_by.map(|a| a.to_string()), Some(new_id.to_string()));

	// The new key moves everything out of the lost account (the held guardian deposit keeps it
	// alive, so the existential deposit stays).
	let ed = UNIT / 1_000;
	let movable = conn.free_balance(&lost_id, None).await.unwrap() - ed;
	let new_before = conn.free_balance(&new_id, None).await.unwrap();
	let sweep = api::transactions().guardian_recovery().as_recovered(
		lost_id,
		RuntimeCall::Balances(BalancesCall::transfer_all {
			dest: MultiAddress::Id(new_id),
			keep_alive: false,
		}),
	);
	let (_, events) = submit(conn, &new, &sweep).await;
	assert_eq!(conn.free_balance(&lost_id, None).await.unwrap(), ed);
	assert_eq!(
		conn.free_balance(&new_id, None).await.unwrap(),
		new_before + movable - fee(&events)
	);
}

#[tokio::test(flavor = "multi_thread")]
async fn strangers_recovery_is_cancelled_and_the_bond_paid_to_the_owner() {
	let dev = dev_node().await;
	let conn = &dev.conn;

	let owner = keypair("//E2eOwner");
	let owner_id = account(&owner);
	let mallory = keypair("//E2eMallory");
	let mallory_id = account(&mallory);
	fund(conn, &owner_id, 50 * UNIT).await;
	fund(conn, &mallory_id, 20 * UNIT).await;
	let set = api::transactions().guardian_recovery().set_guardians(guardians(), 2, 10);
	submit(conn, &owner, &set).await;

	// Mallory, no guardian, posts the bond to try to take the account.
	let open = api::transactions().guardian_recovery().initiate(owner_id, mallory_id);
	submit(conn, &mallory, &open).await;
	let active = conn.recovery_active(&owner_id.to_string(), None).await.unwrap().expect("open");
	let bond: u128 = active.bond.parse().unwrap();
	assert_eq!(bond, 10 * UNIT);
	let mallory_total = |acc: &api::runtime_types::frame_system::AccountInfo<
		u32,
		api::runtime_types::pallet_balances::types::AccountData<u128>,
	>| acc.data.free + acc.data.reserved;
	let mallory_before = mallory_total(&conn.account(&mallory_id, None).await.unwrap());
	assert_eq!(conn.account(&mallory_id, None).await.unwrap().data.reserved, bond);

	// The owner still has the key and cancels: the bond is the owner's now.
	let owner_before = conn.free_balance(&owner_id, None).await.unwrap();
	let cancel = api::transactions().guardian_recovery().cancel(owner_id);
	let (_, events) = submit(conn, &owner, &cancel).await;
	let cancelled = events
		.find_first::<api::guardian_recovery::events::RecoveryCancelled>()
		.expect("RecoveryCancelled")
		.unwrap();
	assert_eq!(cancelled.bond_to_owner, bond);
	assert_eq!(
		conn.free_balance(&owner_id, None).await.unwrap(),
		owner_before + bond - fee(&events)
	);
	let mallory_after = conn.account(&mallory_id, None).await.unwrap();
	assert_eq!(mallory_after.data.reserved, 0);
	assert_eq!(mallory_total(&mallory_after), mallory_before - bond);
	assert!(conn.recovery_active(&owner_id.to_string(), None).await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn stranger_cannot_jam_the_recovery_of_a_lost_key() {
	use api::runtime_types::pallet_guardian_recovery::types::CloseReason;
	let dev = dev_node().await;
	let conn = &dev.conn;

	// The owner names guardians, then loses the key: it signs nothing after this.
	let owner = keypair("//E2eJammedOwner");
	let owner_id = account(&owner);
	let mallory = keypair("//E2eJammer");
	let mallory_id = account(&mallory);
	let rescuer = keypair("//E2eJammedRescuer");
	let rescuer_id = account(&rescuer);
	fund(conn, &owner_id, 50 * UNIT).await;
	fund(conn, &mallory_id, 20 * UNIT).await;
	fund(conn, &rescuer_id, UNIT).await;
	let set = api::transactions().guardian_recovery().set_guardians(guardians(), 2, 10);
	submit(conn, &owner, &set).await;

	// Mallory opens a recovery to herself: the owner can no longer cancel it.
	let open = api::transactions().guardian_recovery().initiate(owner_id, mallory_id);
	submit(conn, &mallory, &open).await;
	let bond = 10 * UNIT;
	assert_eq!(conn.account(&mallory_id, None).await.unwrap().data.reserved, bond);
	let owner_before = conn.free_balance(&owner_id, None).await.unwrap();

	// Bob's recovery to the rescuer replaces hers; her bond goes to the owner.
	let open = api::transactions().guardian_recovery().initiate(owner_id, rescuer_id);
	let (_, events) = submit(conn, &keypair("//Bob"), &open).await;
	let closed = events
		.find_first::<api::guardian_recovery::events::RecoveryClosed>()
		.expect("RecoveryClosed")
		.unwrap();
	assert!(matches!(closed.reason, CloseReason::Replaced), "{:?}", closed.reason);
	assert_eq!(closed.bond_to_owner, bond);
	assert_eq!(conn.free_balance(&owner_id, None).await.unwrap(), owner_before + bond);
	assert_eq!(conn.account(&mallory_id, None).await.unwrap().data.reserved, 0);

	let approve = api::transactions().guardian_recovery().approve(owner_id);
	submit(conn, &keypair("//Bob"), &approve).await;
	submit(conn, &keypair("//Charlie"), &approve).await;
	let active = conn.recovery_active(&owner_id.to_string(), None).await.unwrap().expect("open");
	assert_eq!(active.initiator.to_string(), account(&keypair("//Bob")).to_string());
	assert_eq!(active.new_account.to_string(), rescuer_id.to_string());
	wait_best(conn, active.finalizable_at, Duration::from_secs(60)).await;
	let finalize = api::transactions().guardian_recovery().finalize(owner_id);
	submit(conn, &rescuer, &finalize).await;
	let status = conn.recovery_config(&owner_id.to_string(), None).await.unwrap();
	assert_eq!(status.recovered_by.map(|a| a.to_string()), Some(rescuer_id.to_string()));
}
