//! Validator admission and removal by vote on the four-validator `local` network (real
//! processes, JSON-RPC only): a fifth entity is admitted by 3 of 4 votes, its node starts with
//! fresh keys, registers them with proof of possession, joins the validator set at a session
//! boundary and authors blocks; then an entity is removed by 4 of 5 and stops authoring. A node
//! whose peer id is not admitted cannot peer with the validators.

use codec::Decode;
use std::time::Duration;
use tpchain_e2e::{
	account, admission_call,
	client::{
		api,
		governance::{RuntimeCall, Track},
		subxt::config::substrate::DigestItem,
		AccountId, Connection, Hash,
	},
	free_port, keypair, node_key, start_local_network, start_validator_with_fresh_keys,
	wait_finalized, wait_until, Node, NodeConfig,
};

const PASS: Duration = Duration::from_secs(120);
/// Two session boundaries of 10 blocks and some slack.
const JOIN: Duration = Duration::from_secs(120);

/// The Aura key that authored block `hash`: the authority of its slot.
async fn author(conn: &Connection, hash: Hash) -> [u8; 32] {
	let header = conn.rpc.chain_get_header(Some(hash)).await.unwrap().unwrap();
	let slot = header
		.digest
		.logs
		.iter()
		.find_map(|l| match l {
			DigestItem::PreRuntime([b'a', b'u', b'r', b'a'], data) => {
				u64::decode(&mut &data[..]).ok()
			},
			_ => None,
		})
		.expect("Aura pre-runtime digest");
	let at = conn.api.at_block(hash).await.unwrap();
	let authorities =
		at.storage().entry(api::storage().aura().authorities()).unwrap().fetch(()).await.unwrap();
	let authorities = authorities.decode().unwrap().0;
	authorities[(slot % authorities.len() as u64) as usize].0
}

async fn session_validators(conn: &Connection) -> Vec<AccountId> {
	let at = conn.api.at_current_block().await.unwrap();
	let entry = at.storage().entry(api::storage().session().validators()).unwrap();
	entry.fetch(()).await.unwrap().decode().unwrap()
}

/// Authors of the blocks after `from` up to the best block.
async fn authors_since(conn: &Connection, from: u32) -> Vec<[u8; 32]> {
	let (best, _) = conn.best().await.unwrap();
	let mut out = Vec::new();
	for n in from + 1..=best {
		out.push(author(conn, conn.block_hash(n).await.unwrap().unwrap()).await);
	}
	out
}

fn dave_aura() -> [u8; 32] {
	sp_keyring::Sr25519Keyring::Dave.public().0
}

#[tokio::test(flavor = "multi_thread")]
async fn fifth_entity_joins_by_vote_and_a_removed_one_stops_authoring() {
	let dir = tempfile::tempdir().unwrap();
	let nodes = start_local_network(dir.path(), "local").await;
	let conn = nodes[0].connect().await;
	wait_finalized(&conn, 2, Duration::from_secs(90)).await;
	let [alice, bob, charlie, _dave, eve] =
		["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve"].map(keypair);
	let eve_id = account(&eve);
	let (_, alice_peer) = node_key(0);
	let bootnode = format!("/ip4/127.0.0.1/tcp/{}/p2p/{alice_peer}", nodes[0].config.p2p_port);

	// An outsider (a peer id no entity registered) gets no blocks from the validators.
	let outsider_key = format!("{:064x}", 9);
	let outsider = Node::start(NodeConfig {
		args: vec![
			"--chain".into(),
			"local".into(),
			"--node-key".into(),
			outsider_key,
			"--bootnodes".into(),
			bootnode.clone(),
		],
		base_path: dir.path().join("outsider"),
		name: "outsider".into(),
		rpc_port: free_port(),
		p2p_port: free_port(),
	})
	.await;

	// Admission of Eve's entity by 3 of 4 on the membership track.
	let (_, eve_peer) = node_key(4);
	let admit = admission_call("Eve Exchange Ltd", "EX-005", "Luxembourg", eve_id, &eve_peer);
	let p = conn.pass(&[&alice, &bob, &charlie], Track::Membership, admit, PASS).await.unwrap();
	assert_eq!(
		(p.status.as_str(), p.ok, p.tally.ayes, p.electorate),
		("executed", Some(true), 3, 4)
	);
	let listed = conn.operators().await.unwrap();
	assert_eq!(listed.len(), 5);
	assert_eq!(
		(listed[4].legal_name.as_str(), listed[4].peer_id.as_str()),
		("Eve Exchange Ltd", eve_peer.as_str())
	);
	assert!(!listed[4].validating, "no session keys yet");

	// Eve's node starts with an empty keystore and generates its own keys.
	let (eve_node, eve_aura) =
		start_validator_with_fresh_keys(&conn, dir.path(), "eve", 4, &bootnode, &eve).await;
	let eve_conn = eve_node.connect().await;

	// Planned at the next boundary, active at the one after; then Eve authors.
	wait_until(JOIN, "Eve in the session's validators", || async {
		session_validators(&conn).await.contains(&eve_id).then_some(())
	})
	.await;
	let (joined_at, _) = conn.best().await.unwrap();
	wait_until(Duration::from_secs(60), "a block authored by Eve", || async {
		authors_since(&conn, joined_at).await.contains(&eve_aura).then_some(())
	})
	.await;
	let (best, _) = conn.best().await.unwrap();
	wait_finalized(&conn, best, Duration::from_secs(60)).await;
	wait_until(Duration::from_secs(30), "Eve's node in sync", || async {
		let (b, _) = eve_conn.best().await.ok()?;
		(b >= best).then_some(())
	})
	.await;

	// Meanwhile the outsider never got a block.
	let outsider_conn = outsider.connect().await;
	assert_eq!(outsider_conn.best().await.unwrap().0, 0, "unadmitted node must not sync");

	// Removal of Dave's entity: the electorate is five, 2/3 needs four ayes.
	let remove =
		RuntimeCall::Operators(api::runtime_types::pallet_operators::pallet::Call::remove {
			entity: 3,
		});
	let p =
		conn.pass(&[&alice, &bob, &charlie, &eve], Track::Membership, remove, PASS).await.unwrap();
	assert_eq!(
		(p.status.as_str(), p.ok, p.tally.ayes, p.electorate),
		("executed", Some(true), 4, 5)
	);
	let dave_id = account(&keypair("//Dave"));
	wait_until(JOIN, "Dave out of the session's validators", || async {
		(!session_validators(&conn).await.contains(&dave_id)).then_some(())
	})
	.await;
	let (left_at, _) = conn.best().await.unwrap();
	wait_finalized(&conn, left_at + 12, Duration::from_secs(90)).await;
	let authors = authors_since(&conn, left_at).await;
	assert!(authors.len() >= 12);
	assert!(!authors.contains(&dave_aura()), "a removed validator no longer authors");
	assert!(authors.contains(&eve_aura), "the new validator keeps authoring");
}
