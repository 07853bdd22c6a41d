//! Operator governance end to end over JSON-RPC: on `--dev` (Alice is the one entity) proposals
//! pass, the audit trail is queryable, wrong tracks and non-entities are refused, and an
//! emergency pause is lifted by a parameters vote; on the four-validator `local` network an
//! emergency pause of transfers passes by 3 of 4 votes, rejects transfers and expires.

use std::time::Duration;
use tpchain_e2e::{
	account,
	client::{
		api::{self, runtime_types::bounded_collections::bounded_vec::BoundedVec},
		governance::{RuntimeCall, Track, Vote},
		subxt::utils::MultiAddress,
		Connection, UNIT,
	},
	dev_node, keypair, start_local_network, wait_finalized, wait_until,
};

const PASS: Duration = Duration::from_secs(120);

fn remark(text: &[u8]) -> RuntimeCall {
	RuntimeCall::System(api::runtime_types::frame_system::pallet::Call::remark {
		remark: text.to_vec(),
	})
}

fn transfers() -> (BoundedVec<u8>, BoundedVec<u8>) {
	(BoundedVec(b"Balances".to_vec()), BoundedVec(b"transfer_keep_alive".to_vec()))
}

fn pause_transfers() -> RuntimeCall {
	RuntimeCall::TxPause(api::runtime_types::pallet_tx_pause::pallet::Call::pause {
		full_name: transfers(),
	})
}

async fn transfer(conn: &Connection, from: &str, amount: u128) -> Result<(), String> {
	let to = account(&keypair("//Ferdie"));
	let call = api::transactions().balances().transfer_keep_alive(MultiAddress::Id(to), amount);
	conn.submit(&keypair(from), &call).await.map(|_| ()).map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn dev_entity_passes_proposals_and_the_trail_is_queryable() {
	let dev = dev_node().await;
	let conn = &dev.conn;
	let alice = keypair("//Alice");

	let entities = conn.operators().await.unwrap();
	assert_eq!(entities.len(), 1);
	assert_eq!(entities[0].voting_account.to_string(), account(&alice).to_string());
	assert!(entities[0].validating && entities[0].has_session_keys);

	// A resolution on the parameters track: proposed, voted, decided, executed, on record.
	let p = conn.pass(&[&alice], Track::Parameters, remark(b"resolution 1"), PASS).await.unwrap();
	assert_eq!(
		(p.status.as_str(), p.ok, p.electorate, p.tally.ayes),
		("executed", Some(true), 1, 1)
	);
	assert_eq!(p.deposit, "0", "deposit released at the decision");
	let votes = conn.governance_votes(p.id).await.unwrap();
	assert_eq!(votes.len(), 1);
	assert_eq!((votes[0].entity, votes[0].vote), (0, tpchain_primitives::governance::Vote::Aye));
	assert!(votes[0].at > p.submitted_at - 1 && votes[0].at < p.status_at);

	// Refused at submission: a non-entity, and an upgrade on the parameters track.
	let err = conn.propose(&keypair("//Bob"), Track::Parameters, remark(b"x")).await.unwrap_err();
	assert!(err.to_string().contains("NotEntity"), "{err}");
	let upgrade =
		RuntimeCall::System(api::runtime_types::frame_system::pallet::Call::authorize_upgrade {
			code_hash: Default::default(),
		});
	let err = conn.propose(&alice, Track::Parameters, upgrade).await.unwrap_err();
	assert!(err.to_string().contains("CallNotAllowedOnTrack"), "{err}");

	// Emergency: transfers are paused at once; a parameters vote lifts the pause.
	transfer(conn, "//Bob", UNIT).await.expect("transfers work before the pause");
	let e = conn.pass(&[&alice], Track::Emergency, pause_transfers(), PASS).await.unwrap();
	assert_eq!((e.status.as_str(), e.ok), ("executed", Some(true)));
	assert!(e.expires_at.is_some(), "an unratified emergency effect expires");
	let err = transfer(conn, "//Bob", UNIT).await.unwrap_err();
	assert!(err.contains("CallFiltered"), "{err}");
	let unpause =
		RuntimeCall::TxPause(api::runtime_types::pallet_tx_pause::pallet::Call::unpause {
			ident: transfers(),
		});
	let l = conn.pass(&[&alice], Track::Parameters, unpause, PASS).await.unwrap();
	assert_eq!(l.ok, Some(true));
	transfer(conn, "//Bob", UNIT).await.expect("transfers work after the pause is lifted");

	// The whole trail, oldest first.
	let all = conn.governance_proposals(None, None).await.unwrap();
	assert_eq!(all.iter().map(|p| p.id).collect::<Vec<_>>(), vec![0, 1, 2]);
	assert!(all.iter().all(|p| p.status == "executed" && p.ok == Some(true)));
}

#[tokio::test(flavor = "multi_thread")]
async fn local_emergency_pause_needs_three_of_four_and_expires() {
	let dir = tempfile::tempdir().unwrap();
	let nodes = start_local_network(dir.path(), "local").await;
	let conn = nodes[0].connect().await;
	wait_finalized(&conn, 2, Duration::from_secs(90)).await;
	let [alice, bob, charlie, dave] = ["//Alice", "//Bob", "//Charlie", "//Dave"].map(keypair);

	// Two ayes of four are not a majority: rejected, transfers unaffected.
	let id = conn.propose(&alice, Track::Emergency, pause_transfers()).await.unwrap();
	conn.vote_all(id, vec![(&alice, Vote::Aye), (&bob, Vote::Aye), (&charlie, Vote::Nay)])
		.await
		.unwrap();
	let rejected = conn.wait_for_proposal(id, PASS, |p| p.status != "voting").await.unwrap();
	assert_eq!(
		(rejected.status.as_str(), rejected.tally.ayes, rejected.electorate),
		("rejected", 2, 4)
	);
	transfer(&conn, "//Eve", UNIT).await.expect("no pause after a rejected proposal");

	// Three of four pass it: transfers are rejected until the effect expires.
	let p =
		conn.pass(&[&alice, &bob, &dave], Track::Emergency, pause_transfers(), PASS).await.unwrap();
	assert_eq!((p.status.as_str(), p.ok), ("executed", Some(true)));
	let expires = p.expires_at.expect("emergency effects expire");
	let err = transfer(&conn, "//Eve", UNIT).await.unwrap_err();
	assert!(err.contains("CallFiltered"), "{err}");
	wait_finalized(&conn, expires + 1, Duration::from_secs(180)).await;
	let after = wait_until(Duration::from_secs(30), "expiry recorded", || async {
		let p = conn.governance_proposal(p.id).await.ok()??;
		p.expires_at.is_none().then_some(p)
	})
	.await;
	assert!(!after.ratified);
	transfer(&conn, "//Eve", UNIT).await.expect("transfers work again after expiry");
	// Finality kept up throughout.
	let (best, _) = conn.best().await.unwrap();
	wait_finalized(&conn, best, Duration::from_secs(30)).await;
}
