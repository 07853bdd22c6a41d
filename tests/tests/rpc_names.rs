//! tpchain's RPC methods follow `<domain>_<verb><Noun>`; the previous release's names still
//! answer, identically, for one more release.

use serde_json::Value;
use tpchain_client::subxt::rpcs::{client::RpcParams, rpc_params};
use tpchain_e2e::dev_node;

const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

#[tokio::test]
async fn old_rpc_names_answer_as_aliases() {
	let dev = dev_node().await;
	let none = Option::<String>::None;
	let pairs: Vec<(&str, &str, RpcParams)> = vec![
		("burn_getTotals", "burn_totals", rpc_params![none.clone(), none.clone()]),
		("escrow_getEscrow", "escrow_get", rpc_params![0u64, none.clone()]),
		("escrow_listByAccount", "escrow_byAccount", rpc_params![ALICE, none.clone()]),
		("escrow_getTotalHeld", "escrow_totalHeld", rpc_params![none.clone()]),
		("recovery_getConfig", "recovery_config", rpc_params![ALICE, none.clone()]),
		("recovery_getActive", "recovery_active", rpc_params![ALICE, none.clone()]),
		(
			"governance_listProposals",
			"governance_proposals",
			rpc_params![none.clone(), none.clone(), none.clone()],
		),
		("governance_listVotes", "governance_votes", rpc_params![0u32, none.clone()]),
		("governance_listTracks", "governance_tracks", rpc_params![none.clone()]),
		("operators_listEntities", "operators_list", rpc_params![none.clone()]),
		("bridge_listCounterparties", "bridge_counterparties", rpc_params![none.clone()]),
		("bridge_listQuarantine", "bridge_quarantine", rpc_params![none.clone()]),
		("bridge_listQuarantinedMessages", "bridge_quarantinedMessages", rpc_params![none.clone()]),
	];
	// Nothing changes on this idle chain; the supply report is read at one block all the same.
	let (_, at) = dev.conn.finalized().await.unwrap();
	let at = format!("{at:?}");
	for (new, old, params) in pairs {
		let a: Value = dev
			.conn
			.raw
			.request(new, params.clone())
			.await
			.unwrap_or_else(|e| panic!("{new}: {e}"));
		let b: Value =
			dev.conn.raw.request(old, params).await.unwrap_or_else(|e| panic!("{old}: {e}"));
		assert_eq!(a, b, "{old} answers as {new}");
	}
	let a: Value = dev.conn.raw.request("audit_getSupply", rpc_params![&at]).await.unwrap();
	let b: Value = dev.conn.raw.request("audit_supply", rpc_params![&at]).await.unwrap();
	assert_eq!(a, b);
	assert_eq!(a["reconciled"], true);
	// The methods list advertises both.
	let methods: Value = dev.conn.raw.request("rpc_methods", rpc_params![]).await.unwrap();
	let list = methods["methods"].as_array().unwrap();
	for name in ["audit_getSupply", "audit_supply", "operators_listEntities", "burn_getProof"] {
		assert!(list.iter().any(|m| m == name), "{name} in rpc_methods");
	}
}
