//! The SDK's committed metadata is the metadata of the runtime this workspace builds.

use tpchain_e2e::{Node, NodeConfig};

#[tokio::test]
async fn committed_metadata_matches_the_runtime() {
	let dir = tempfile::tempdir().unwrap();
	let node = Node::start(NodeConfig::dev(dir.path())).await;
	let served = node.connect().await.metadata_bytes().await.unwrap();
	let committed = include_bytes!("../../client/metadata/tpchain.scale");
	assert!(
		served[..] == committed[..],
		"client/metadata/tpchain.scale is stale ({} bytes committed, {} served): run scripts/update-metadata",
		committed.len(),
		served.len()
	);
}
