//! Escrow: the `escrow_*` RPC methods, and builders for release conditions.

use crate::{api, rpc_error, Connection, Error, Hash};
use subxt::rpcs::rpc_params;
use tpchain_primitives::escrow::{
	json::{EscrowJson, Participation},
	EscrowId,
};

/// Condition types as the runtime's metadata describes them.
pub use api::runtime_types::tpchain_primitives::escrow::{Condition, Leaf, Node};

impl Connection {
	/// `escrow_get`: an open escrow, or `None` once closed.
	pub async fn escrow(
		&self,
		id: EscrowId,
		at: Option<Hash>,
	) -> Result<Option<EscrowJson>, Error> {
		self.raw.request("escrow_get", rpc_params![id, at]).await.map_err(rpc_error)
	}

	/// `escrow_byAccount`: open escrows `account` (SS58) takes part in.
	pub async fn escrows_of(&self, account: &str) -> Result<Vec<Participation>, Error> {
		self.raw
			.request("escrow_byAccount", rpc_params![account, Option::<Hash>::None])
			.await
			.map_err(rpc_error)
	}

	/// `escrow_totalHeld`: everything held by open escrows.
	pub async fn escrow_total_held(&self, at: Option<Hash>) -> Result<u128, Error> {
		let s: String =
			self.raw.request("escrow_totalHeld", rpc_params![at]).await.map_err(rpc_error)?;
		s.parse().map_err(|e| Error::Unexpected(format!("escrow_totalHeld {s:?}: {e}")))
	}
}

/// Builders for the flat condition tree (`nodes[0]` is the root).
pub mod condition {
	use super::*;
	use api::runtime_types::bounded_collections::bounded_vec::BoundedVec;

	/// A condition of one leaf.
	pub fn leaf(leaf: Leaf<crate::AccountId>) -> Condition<crate::AccountId> {
		Condition { nodes: BoundedVec(vec![Node::Leaf(leaf)]) }
	}

	/// All of `leaves` (at most 8).
	pub fn all(leaves: Vec<Leaf<crate::AccountId>>) -> Condition<crate::AccountId> {
		combine(leaves, true)
	}

	/// Any of `leaves` (at most 8).
	pub fn any(leaves: Vec<Leaf<crate::AccountId>>) -> Condition<crate::AccountId> {
		combine(leaves, false)
	}

	fn combine(leaves: Vec<Leaf<crate::AccountId>>, all: bool) -> Condition<crate::AccountId> {
		let children = BoundedVec((1..=leaves.len() as u8).collect());
		let mut nodes = vec![if all { Node::All(children) } else { Node::Any(children) }];
		nodes.extend(leaves.into_iter().map(Node::Leaf));
		Condition { nodes: BoundedVec(nodes) }
	}

	/// `threshold` of `of` must approve (sorted here, as the runtime requires).
	pub fn approvals(mut of: Vec<crate::AccountId>, threshold: u32) -> Leaf<crate::AccountId> {
		of.sort();
		of.dedup();
		Leaf::Approvals { of: BoundedVec(of), threshold }
	}
}
