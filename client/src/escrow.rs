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
		self.raw.request("escrow_getEscrow", rpc_params![id, at]).await.map_err(rpc_error)
	}

	/// `escrow_byAccount`: open escrows `account` (SS58) takes part in.
	pub async fn escrows_of(&self, account: &str) -> Result<Vec<Participation>, Error> {
		self.raw
			.request("escrow_listByAccount", rpc_params![account, Option::<Hash>::None])
			.await
			.map_err(rpc_error)
	}

	/// `escrow_totalHeld`: everything held by open escrows.
	pub async fn escrow_total_held(&self, at: Option<Hash>) -> Result<u128, Error> {
		let s: String =
			self.raw.request("escrow_getTotalHeld", rpc_params![at]).await.map_err(rpc_error)?;
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

	/// The SDK's form of a condition built with `tpchain-primitives` (e.g. from
	/// [`tpchain_primitives::escrow::readable::Readable`]).
	pub fn from_primitives(
		c: &tpchain_primitives::escrow::Condition<tpchain_primitives::AccountId>,
	) -> Condition<crate::AccountId> {
		use tpchain_primitives::escrow::{Leaf as L, Node as N};
		let account = |a: &tpchain_primitives::AccountId| {
			crate::AccountId::from(*AsRef::<[u8; 32]>::as_ref(a))
		};
		let hash = |h: &tpchain_primitives::Hash| crate::Hash::from(h.0);
		let nodes = c
			.nodes
			.iter()
			.map(|n| match n {
				N::All(ch) => Node::All(BoundedVec(ch.to_vec())),
				N::Any(ch) => Node::Any(BoundedVec(ch.to_vec())),
				N::Leaf(l) => Node::Leaf(match l {
					L::AfterBlock(b) => Leaf::AfterBlock(*b),
					L::AfterTime(t) => Leaf::AfterTime(*t),
					L::Preimage(h) => Leaf::Preimage(hash(h)),
					L::Approvals { of, threshold } => Leaf::Approvals {
						of: BoundedVec(of.iter().map(account).collect()),
						threshold: *threshold,
					},
					L::Attested { oracle, statement } => {
						Leaf::Attested { oracle: account(oracle), statement: hash(statement) }
					},
					L::Never => Leaf::Never,
				}),
			})
			.collect();
		Condition { nodes: BoundedVec(nodes) }
	}

	/// `threshold` of `of` must approve (sorted here, as the runtime requires).
	pub fn approvals(mut of: Vec<crate::AccountId>, threshold: u32) -> Leaf<crate::AccountId> {
		of.sort();
		of.dedup();
		Leaf::Approvals { of: BoundedVec(of), threshold }
	}
}
