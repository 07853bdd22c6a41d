//! Peer gating on every node, not only validators: an entity's RPC node (registered with
//! `Operators::add_node`) syncs from the validator, and refuses a stranger just as the validator
//! does — its own offchain worker restricts its peers to the admitted nodes.

use std::time::Duration;
use tpchain_e2e::{
	chain_node, client::api, keypair, node_key, submit, wait_finalized, wait_until, Node,
	NodeConfig,
};

#[tokio::test(flavor = "multi_thread")]
async fn stranger_cannot_sync_from_an_entitys_rpc_node() {
	let dir = tempfile::tempdir().unwrap();
	// Alice's validator, with the node key whose peer id the dev preset admits.
	let (alice_key, alice_peer) = node_key(0);
	let validator = Node::start(NodeConfig {
		args: vec!["--dev".into(), "--node-key".into(), alice_key],
		..NodeConfig::dev(&dir.path().join("validator"))
	})
	.await;
	let conn = validator.connect().await;
	wait_finalized(&conn, 2, Duration::from_secs(60)).await;
	let via_validator =
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{alice_peer}", validator.config.p2p_port);

	// Alice's entity registers its RPC node; the validator admits it from the next block.
	let (_, rpc_peer) = node_key(5);
	let peer = bs58::decode(&rpc_peer).into_vec().unwrap();
	let add = api::transactions()
		.operators()
		.add_node(api::runtime_types::bounded_collections::bounded_vec::BoundedVec(peer));
	submit(&conn, &keypair("//Alice"), &add).await;
	let listed = conn.operators().await.unwrap();
	assert_eq!(listed[0].extra_peer_ids, vec![rpc_peer.clone()]);

	let rpc_node = Node::start(chain_node(dir.path(), "rpc", "dev", 5, &via_validator)).await;
	let rpc_conn = rpc_node.connect().await;
	let (best, _) = conn.best().await.unwrap();
	wait_until(Duration::from_secs(60), "the RPC node in sync", || async {
		let (b, _) = rpc_conn.best().await.ok()?;
		(b >= best).then_some(())
	})
	.await;

	// A stranger that knows only the RPC node gets nothing from it.
	let via_rpc = format!("/ip4/127.0.0.1/tcp/{}/p2p/{rpc_peer}", rpc_node.config.p2p_port);
	let stranger = Node::start(chain_node(dir.path(), "stranger", "dev", 9, &via_rpc)).await;
	let stranger_conn = stranger.connect().await;
	let (rpc_best, _) = rpc_conn.best().await.unwrap();
	wait_until(Duration::from_secs(60), "the RPC node moving on", || async {
		let (b, _) = rpc_conn.best().await.ok()?;
		(b >= rpc_best + 8).then_some(())
	})
	.await;
	assert_eq!(stranger_conn.best().await.unwrap().0, 0, "a stranger synced from an RPC node");
}
