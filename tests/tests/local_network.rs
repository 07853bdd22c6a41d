//! Four validators (`local`) as separate processes: all author, finality needs three of four,
//! and catches up when the stopped validators return.

use codec::Decode;
use std::{collections::BTreeSet, time::Duration};
use tpchain_e2e::{
	client::{subxt::config::substrate::DigestItem, Connection},
	start_local_network, wait_best, wait_finalized, wait_until,
};

/// The Aura slot of a block, from its pre-runtime digest.
async fn slot_of(conn: &Connection, number: u32) -> u64 {
	let hash = conn.block_hash(number).await.unwrap().unwrap();
	let header = conn.rpc.chain_get_header(Some(hash)).await.unwrap().unwrap();
	header
		.digest
		.logs
		.iter()
		.find_map(|d| match d {
			DigestItem::PreRuntime([b'a', b'u', b'r', b'a'], data) => {
				u64::decode(&mut &data[..]).ok()
			},
			_ => None,
		})
		.expect("aura pre-digest")
}

#[tokio::test]
async fn four_validators_author_and_finality_needs_three() {
	let root = tempfile::tempdir().unwrap();
	let mut nodes = start_local_network(root.path(), "local").await;
	let conn = nodes[0].connect().await;
	let bob_conn = nodes[1].connect().await;

	// All four author: Aura gives slot s to authority s mod 4.
	let best = wait_best(&conn, 16, Duration::from_secs(120)).await;
	let mut authors = BTreeSet::new();
	for n in 1..=best {
		authors.insert(slot_of(&conn, n).await % 4);
	}
	assert_eq!(authors.len(), 4, "authors seen: {authors:?}");
	let fin = wait_finalized(&conn, 10, Duration::from_secs(60)).await;

	// One validator down (3 of 4): finality still advances.
	assert!(nodes[3].stop(), "dave stops cleanly");
	wait_finalized(&conn, fin + 5, Duration::from_secs(60)).await;

	// Two down (2 of 4): blocks continue, finality stalls.
	assert!(nodes[2].stop(), "charlie stops cleanly");
	// Let a round that was already under way conclude.
	tokio::time::sleep(Duration::from_secs(8)).await;
	let (stalled_at, _) = conn.finalized().await.unwrap();
	let (best_at_stall, _) = conn.best().await.unwrap();
	wait_best(&conn, best_at_stall + 4, Duration::from_secs(60)).await;
	let (still, _) = conn.finalized().await.unwrap();
	assert_eq!(still, stalled_at, "finality must stall with two of four validators");
	let (bob_fin, _) = bob_conn.finalized().await.unwrap();
	assert!(bob_fin <= stalled_at + 1, "bob finalized {bob_fin} past the stall at {stalled_at}");

	// Both return: finality catches up with the blocks produced meanwhile.
	let (best_before_restart, _) = conn.best().await.unwrap();
	nodes[2].restart().await;
	nodes[3].restart().await;
	wait_finalized(&conn, best_before_restart, Duration::from_secs(120)).await;
	let dave = nodes[3].connect().await;
	wait_until(Duration::from_secs(60), "dave to sync and finalize", || async {
		let (f, _) = dave.finalized().await.ok()?;
		(f >= best_before_restart).then_some(())
	})
	.await;
}
