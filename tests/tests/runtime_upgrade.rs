//! A runtime upgrade by vote on the four-validator `local` network (real processes, JSON-RPC
//! only): the same runtime one `spec_version` up (`scripts/build-upgrade-runtime`) is authorized
//! on the runtime-upgrade track by 3 of 4 entities against one nay, an ordinary account supplies
//! the code, the chain keeps producing and finalizing blocks and every node reports the new
//! version.

use std::time::Duration;
use tpchain_e2e::{
	client::{
		api,
		governance::{RuntimeCall, Track, Vote},
		subxt::{rpcs::rpc_params, utils::H256},
		Connection, Hash,
	},
	keypair, start_local_network, upgrade_wasm, wait_finalized, wait_until,
};

async fn spec_version(conn: &Connection, at: Option<Hash>) -> u64 {
	let v: serde_json::Value =
		conn.raw.request("state_getRuntimeVersion", rpc_params![at]).await.unwrap();
	v["specVersion"].as_u64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn upgrade_passes_by_three_of_four_and_the_chain_runs_on() {
	let code = std::fs::read(upgrade_wasm()).unwrap();
	let code_hash = sp_crypto_hashing::blake2_256(&code);
	let dir = tempfile::tempdir().unwrap();
	let nodes = start_local_network(dir.path(), "local").await;
	let conn = nodes[0].connect().await;
	wait_finalized(&conn, 2, Duration::from_secs(90)).await;
	let old = spec_version(&conn, None).await;
	let [alice, bob, charlie, dave] = ["//Alice", "//Bob", "//Charlie", "//Dave"].map(keypair);

	// Supplying code before a vote authorized it fails.
	let apply = api::transactions().system().apply_authorized_upgrade(code.clone());
	let err = conn.submit(&keypair("//Eve"), &apply).await.unwrap_err();
	assert!(err.to_string().contains("NothingAuthorized"), "{err}");

	let authorize =
		RuntimeCall::System(api::runtime_types::frame_system::pallet::Call::authorize_upgrade {
			code_hash: H256(code_hash),
		});
	let id = conn.propose(&alice, Track::RuntimeUpgrade, authorize).await.unwrap();
	let votes =
		vec![(&alice, Vote::Aye), (&bob, Vote::Aye), (&dave, Vote::Nay), (&charlie, Vote::Aye)];
	conn.vote_all(id, votes).await.unwrap();
	let p = conn
		.wait_for_proposal(id, Duration::from_secs(120), |p| {
			matches!(p.status.as_str(), "executed" | "rejected")
		})
		.await
		.unwrap();
	assert_eq!((p.status.as_str(), p.ok), ("executed", Some(true)));
	assert_eq!((p.tally.ayes, p.tally.nays, p.electorate), (3, 1, 4));
	assert_eq!(spec_version(&conn, None).await, old, "authorizing does not upgrade yet");

	// Anyone supplies the authorized code: it is the chain's code from that block's state on.
	let (upgraded_in, events) =
		conn.submit(&keypair("//Eve"), &apply).await.expect("code accepted");
	assert!(events.has::<api::system::events::CodeUpdated>());
	let parent = conn.rpc.chain_get_header(Some(upgraded_in)).await.unwrap().unwrap().parent_hash;
	assert_eq!(spec_version(&conn, Some(parent)).await, old);
	assert_eq!(spec_version(&conn, Some(upgraded_in)).await, old + 1);
	let (best, _) = conn.best().await.unwrap();
	wait_finalized(&conn, best + 5, Duration::from_secs(60)).await;
	for node in &nodes {
		let c = node.connect().await;
		let (_, fin) = c.finalized().await.unwrap();
		assert_eq!(
			spec_version(&c, Some(fin)).await,
			old + 1,
			"{} reports the new version",
			node.config.name
		);
	}
	// Governance still works on the new runtime.
	let q = conn
		.pass(
			&[&alice, &bob, &charlie],
			Track::Parameters,
			RuntimeCall::System(api::runtime_types::frame_system::pallet::Call::remark {
				remark: b"first resolution under the new runtime".to_vec(),
			}),
			Duration::from_secs(120),
		)
		.await
		.unwrap();
	assert_eq!(q.ok, Some(true));
	wait_until(Duration::from_secs(30), "finality past the resolution", || async {
		let (f, _) = conn.finalized().await.ok()?;
		(f >= q.status_at).then_some(())
	})
	.await;
}
