//! Escrow release conditions: a small tree of leaves combined with `All` / `Any`.
//!
//! The tree is stored flat — `nodes[0]` is the root and a node's children have larger indices —
//! so it has a fixed maximum size (`MaxEncodedLen`) and cannot contain cycles. [`Condition::validate`]
//! checks the shape (every node used exactly once, depth at most [`MAX_CONDITION_DEPTH`]) before
//! a condition is stored; [`Condition::holds`] evaluates it against what a release can see.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::{ConstU32, H256};
use sp_runtime::BoundedVec;

/// Sequential escrow identifier.
pub type EscrowId = u64;

/// Most nodes in a condition tree.
pub const MAX_CONDITION_NODES: u32 = 16;
/// Most children of an `All` / `Any` node.
pub const MAX_CONDITION_CHILDREN: u32 = 8;
/// Deepest a condition tree may be (a single leaf has depth 1).
pub const MAX_CONDITION_DEPTH: u32 = 4;
/// Most accounts an `Approvals` leaf may list.
pub const MAX_APPROVERS: u32 = 8;

/// Accounts of an `Approvals` leaf.
pub type Approvers<AccountId> = BoundedVec<AccountId, ConstU32<MAX_APPROVERS>>;
/// Child indices of an `All` / `Any` node.
pub type Children = BoundedVec<u8, ConstU32<MAX_CONDITION_CHILDREN>>;

/// One checkable fact.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum Leaf<AccountId> {
	/// Timelock: the block number is at least this.
	AfterBlock(u32),
	/// Timelock: the block timestamp (ms since the Unix epoch) is at least this.
	AfterTime(u64),
	/// Hashlock: the release reveals a preimage whose BLAKE2-256 hash is this.
	Preimage(H256),
	/// `threshold` of the listed accounts (sorted, unique) approved.
	Approvals {
		/// Who may approve.
		of: Approvers<AccountId>,
		/// How many approvals are needed, `1..=of.len()`.
		threshold: u32,
	},
	/// A registered oracle attested `statement` (e.g. the hash of "delivered, order 42").
	Attested {
		/// The oracle account.
		oracle: AccountId,
		/// What it must have attested.
		statement: H256,
	},
	/// Never holds: only a dispute resolution (or mutual cancel, or refund) moves the funds.
	Never,
}

/// A node of the flat tree.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum Node<AccountId> {
	/// A fact.
	Leaf(Leaf<AccountId>),
	/// All children hold.
	All(Children),
	/// At least one child holds.
	Any(Children),
}

/// A release condition; `nodes[0]` is the root.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Condition<AccountId> {
	/// The nodes; children always have larger indices than their parent.
	pub nodes: BoundedVec<Node<AccountId>, ConstU32<MAX_CONDITION_NODES>>,
}

/// Why a condition tree is malformed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ConditionError {
	/// No nodes.
	Empty,
	/// A child index is not larger than its parent's, or out of range.
	BadChild,
	/// A node is a child twice, or never (not a tree).
	NotATree,
	/// An `All` / `Any` node without children.
	EmptyCombinator,
	/// Deeper than [`MAX_CONDITION_DEPTH`].
	TooDeep,
	/// An `Approvals` leaf with an invalid threshold or unsorted/duplicate accounts.
	BadApprovals,
}

/// What a condition is evaluated against.
pub trait Facts<AccountId> {
	/// Current block number.
	fn block(&self) -> u32;
	/// Current timestamp (ms).
	fn time(&self) -> u64;
	/// Whether the release revealed a preimage of `hash`.
	fn revealed(&self, hash: &H256) -> bool;
	/// Whether `who` approved (this milestone).
	fn approved(&self, who: &AccountId) -> bool;
	/// Whether `oracle` attested `statement`.
	fn attested(&self, oracle: &AccountId, statement: &H256) -> bool;
}

impl<AccountId: Ord> Condition<AccountId> {
	/// A condition of one leaf.
	pub fn leaf(leaf: Leaf<AccountId>) -> Self {
		Self { nodes: BoundedVec::truncate_from(alloc::vec![Node::Leaf(leaf)]) }
	}

	/// The leaves of the tree.
	pub fn leaves(&self) -> impl Iterator<Item = &Leaf<AccountId>> {
		self.nodes.iter().filter_map(|n| match n {
			Node::Leaf(l) => Some(l),
			_ => None,
		})
	}

	/// Checks the shape: a tree rooted at node 0, children after parents, bounded depth, valid
	/// leaves.
	pub fn validate(&self) -> Result<(), ConditionError> {
		let n = self.nodes.len();
		if n == 0 {
			return Err(ConditionError::Empty);
		}
		let mut parent_seen = alloc::vec![false; n];
		let mut depth = alloc::vec![0u32; n];
		depth[0] = 1;
		for (i, node) in self.nodes.iter().enumerate() {
			if i > 0 && !parent_seen[i] {
				return Err(ConditionError::NotATree);
			}
			match node {
				Node::Leaf(Leaf::Approvals { of, threshold }) => {
					let sorted = of.windows(2).all(|w| w[0] < w[1]);
					if !sorted || *threshold == 0 || *threshold as usize > of.len() {
						return Err(ConditionError::BadApprovals);
					}
				},
				Node::Leaf(_) => {},
				Node::All(children) | Node::Any(children) => {
					if children.is_empty() {
						return Err(ConditionError::EmptyCombinator);
					}
					for &c in children.iter() {
						let c = c as usize;
						if c <= i || c >= n {
							return Err(ConditionError::BadChild);
						}
						if parent_seen[c] {
							return Err(ConditionError::NotATree);
						}
						parent_seen[c] = true;
						depth[c] = depth[i].saturating_add(1);
						if depth[c] > MAX_CONDITION_DEPTH {
							return Err(ConditionError::TooDeep);
						}
					}
				},
			}
		}
		Ok(())
	}

	/// Whether the condition holds. Assumes [`Self::validate`] passed (a malformed tree never
	/// holds).
	pub fn holds(&self, facts: &impl Facts<AccountId>) -> bool {
		self.node_holds(0, facts, 0)
	}

	fn node_holds(&self, i: usize, facts: &impl Facts<AccountId>, depth: u32) -> bool {
		if depth >= MAX_CONDITION_DEPTH {
			return false;
		}
		match self.nodes.get(i) {
			None => false,
			Some(Node::Leaf(leaf)) => match leaf {
				Leaf::AfterBlock(b) => facts.block() >= *b,
				Leaf::AfterTime(t) => facts.time() >= *t,
				Leaf::Preimage(hash) => facts.revealed(hash),
				Leaf::Approvals { of, threshold } => {
					of.iter().filter(|who| facts.approved(who)).count() >= *threshold as usize
				},
				Leaf::Attested { oracle, statement } => facts.attested(oracle, statement),
				Leaf::Never => false,
			},
			Some(Node::All(children)) => children
				.iter()
				.all(|&c| c as usize > i && self.node_holds(c as usize, facts, depth + 1)),
			Some(Node::Any(children)) => children
				.iter()
				.any(|&c| c as usize > i && self.node_holds(c as usize, facts, depth + 1)),
		}
	}
}

/// An open escrow as integrators see it (the runtime API's answer).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct EscrowView<AccountId, Balance, BlockNumber> {
	/// Escrow id.
	pub id: EscrowId,
	/// Whose funds are held.
	pub payer: AccountId,
	/// Who is paid.
	pub payee: AccountId,
	/// Milestones: amount, condition, released.
	pub milestones: alloc::vec::Vec<(Balance, Condition<AccountId>, bool)>,
	/// Still held for the payee.
	pub remaining: Balance,
	/// Expiry on the escrow clock (blocks not counting paused time).
	pub expires_at: BlockNumber,
	/// The escrow clock now.
	pub clock: BlockNumber,
	/// Arbiters.
	pub arbiters: alloc::vec::Vec<AccountId>,
	/// The integrator's reference.
	pub reference: alloc::vec::Vec<u8>,
	/// Storage deposit held from the payer.
	pub deposit: Balance,
	/// Who disputed, if disputed.
	pub disputed_by: Option<AccountId>,
	/// The bond the disputer posted, if disputed.
	pub dispute_bond: Option<Balance>,
	/// Who asked to cancel, if anyone.
	pub cancel_requested_by: Option<AccountId>,
	/// Whether the payee accepted the arbiters (until then only governance resolves).
	pub arbiters_accepted: bool,
}

/// JSON forms used by the node's RPC and the client (one definition for both).
#[cfg(feature = "std")]
pub mod json {
	use super::EscrowId;
	use crate::{AccountId, BlockNumber};
	use serde::{Deserialize, Serialize};
	use sp_core::Bytes;

	/// One milestone.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct MilestoneJson {
		/// Amount, decimal string.
		pub amount: String,
		/// The condition tree, SCALE-encoded.
		pub condition: Bytes,
		/// Whether it was paid out.
		pub released: bool,
	}

	/// An open escrow.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct EscrowJson {
		/// Escrow id.
		pub id: EscrowId,
		/// Payer, SS58.
		pub payer: AccountId,
		/// Payee, SS58.
		pub payee: AccountId,
		/// Milestones.
		pub milestones: Vec<MilestoneJson>,
		/// Still held for the payee.
		pub remaining: String,
		/// Expiry on the escrow clock.
		pub expires_at: BlockNumber,
		/// The escrow clock now (blocks not counting paused time).
		pub clock: BlockNumber,
		/// Arbiters.
		pub arbiters: Vec<AccountId>,
		/// The integrator's reference, hex.
		pub reference: Bytes,
		/// Storage deposit.
		pub deposit: String,
		/// Who disputed.
		pub disputed_by: Option<AccountId>,
		/// The disputer's bond, decimal string.
		pub dispute_bond: Option<String>,
		/// Who asked to cancel.
		pub cancel_requested_by: Option<AccountId>,
		/// Whether the payee accepted the arbiters.
		pub arbiters_accepted: bool,
	}

	/// An account's part in an escrow.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct Participation {
		/// Escrow id.
		pub id: EscrowId,
		/// `payer`, `payee` or `arbiter`.
		pub role: String,
	}
}

/// Conditions as people write them (`tpchain-cli escrow create`, `escrow show`): a nested tree
/// instead of the flat one, accounts in SS58, hashes in hex, e.g.
/// `{"all":[{"afterBlock":100},{"approvals":{"of":["5Grw…","5FHn…"],"k":2}}]}`.
#[cfg(feature = "std")]
pub mod readable {
	use super::*;
	use crate::AccountId;
	use serde::{Deserialize, Serialize};

	/// A readable condition.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase", deny_unknown_fields)]
	pub enum Readable {
		/// Every child holds.
		All(Vec<Readable>),
		/// At least one child holds.
		Any(Vec<Readable>),
		/// The block number is at least this.
		AfterBlock(u32),
		/// The block timestamp (ms since the Unix epoch) is at least this.
		AfterTime(u64),
		/// A release reveals a preimage of this BLAKE2-256 hash.
		Preimage(H256),
		/// `k` of the accounts `of` approved.
		Approvals {
			/// Who may approve (any order; sorted when converted).
			of: Vec<AccountId>,
			/// How many approvals are needed.
			k: u32,
		},
		/// The oracle attested `statement`.
		Attested {
			/// The oracle.
			oracle: AccountId,
			/// What it attests.
			statement: H256,
		},
		/// Never holds.
		Never,
	}

	/// Why a readable condition cannot be stored.
	#[derive(Clone, Debug, PartialEq, Eq)]
	pub enum ReadableError {
		/// More nodes, children or approvers than the bounds allow.
		TooLarge,
		/// The flat tree is malformed.
		Invalid(ConditionError),
	}

	impl Readable {
		/// The flat tree the runtime stores (validated as the runtime would).
		pub fn to_condition(&self) -> Result<Condition<AccountId>, ReadableError> {
			let mut nodes = Vec::new();
			self.push(&mut nodes)?;
			let condition = Condition {
				nodes: BoundedVec::try_from(nodes).map_err(|_| ReadableError::TooLarge)?,
			};
			condition.validate().map_err(ReadableError::Invalid)?;
			Ok(condition)
		}

		/// Pre-order: a node's index is smaller than its children's.
		fn push(&self, nodes: &mut Vec<Node<AccountId>>) -> Result<u8, ReadableError> {
			let me = u8::try_from(nodes.len()).map_err(|_| ReadableError::TooLarge)?;
			let leaf = |l| Node::Leaf(l);
			nodes.push(Node::Leaf(Leaf::Never));
			let node = match self {
				Readable::All(children) | Readable::Any(children) => {
					let mut idx = Vec::with_capacity(children.len());
					for c in children {
						idx.push(c.push(nodes)?);
					}
					let idx = Children::try_from(idx).map_err(|_| ReadableError::TooLarge)?;
					if matches!(self, Readable::All(_)) {
						Node::All(idx)
					} else {
						Node::Any(idx)
					}
				},
				Readable::AfterBlock(b) => leaf(Leaf::AfterBlock(*b)),
				Readable::AfterTime(t) => leaf(Leaf::AfterTime(*t)),
				Readable::Preimage(h) => leaf(Leaf::Preimage(*h)),
				Readable::Approvals { of, k } => {
					let mut of = of.clone();
					of.sort();
					of.dedup();
					let of = Approvers::try_from(of).map_err(|_| ReadableError::TooLarge)?;
					leaf(Leaf::Approvals { of, threshold: *k })
				},
				Readable::Attested { oracle, statement } => {
					leaf(Leaf::Attested { oracle: oracle.clone(), statement: *statement })
				},
				Readable::Never => leaf(Leaf::Never),
			};
			nodes[me as usize] = node;
			Ok(me)
		}

		/// The readable form of a stored condition (`None` if its shape is malformed).
		pub fn from_condition(c: &Condition<AccountId>) -> Option<Readable> {
			Self::from_node(c, 0, 0)
		}

		fn from_node(c: &Condition<AccountId>, i: u8, depth: u32) -> Option<Readable> {
			if depth > MAX_CONDITION_DEPTH {
				return None;
			}
			Some(match c.nodes.get(i as usize)? {
				Node::All(ch) | Node::Any(ch) => {
					let children = ch
						.iter()
						.map(|j| (*j > i).then(|| Self::from_node(c, *j, depth + 1)).flatten())
						.collect::<Option<Vec<_>>>()?;
					if matches!(c.nodes[i as usize], Node::All(_)) {
						Readable::All(children)
					} else {
						Readable::Any(children)
					}
				},
				Node::Leaf(Leaf::AfterBlock(b)) => Readable::AfterBlock(*b),
				Node::Leaf(Leaf::AfterTime(t)) => Readable::AfterTime(*t),
				Node::Leaf(Leaf::Preimage(h)) => Readable::Preimage(*h),
				Node::Leaf(Leaf::Approvals { of, threshold }) => {
					Readable::Approvals { of: of.to_vec(), k: *threshold }
				},
				Node::Leaf(Leaf::Attested { oracle, statement }) => {
					Readable::Attested { oracle: oracle.clone(), statement: *statement }
				},
				Node::Leaf(Leaf::Never) => Readable::Never,
			})
		}
	}

	#[cfg(test)]
	mod tests {
		use super::*;
		use sp_core::crypto::Ss58Codec;

		fn account(b: u8) -> AccountId {
			AccountId::new([b; 32])
		}

		#[test]
		fn nested_json_round_trips_through_the_flat_tree() {
			let (a, b) = (account(2), account(1));
			let text = format!(
				r#"{{"all":[{{"afterBlock":100}},{{"any":[{{"approvals":{{"of":["{}","{}"],"k":2}}}},"never"]}}]}}"#,
				a.to_ss58check(),
				b.to_ss58check()
			);
			let readable: Readable = serde_json::from_str(&text).unwrap();
			let c = readable.to_condition().unwrap();
			// Pre-order: All(1, 2), AfterBlock, Any(3, 4), Approvals (sorted), Never.
			assert_eq!(c.nodes.len(), 5);
			assert_eq!(c.nodes[0], Node::All(Children::truncate_from(vec![1, 2])));
			assert_eq!(c.nodes[2], Node::Any(Children::truncate_from(vec![3, 4])));
			assert_eq!(
				c.nodes[3],
				Node::Leaf(Leaf::Approvals {
					of: Approvers::truncate_from(vec![b.clone(), a.clone()]),
					threshold: 2
				})
			);
			let back = Readable::from_condition(&c).unwrap();
			assert_eq!(back.to_condition().unwrap(), c);
		}

		#[test]
		fn bad_readable_conditions_are_refused() {
			let empty_all = Readable::All(vec![]);
			assert_eq!(
				empty_all.to_condition(),
				Err(ReadableError::Invalid(ConditionError::EmptyCombinator))
			);
			let k_too_big = Readable::Approvals { of: vec![account(1)], k: 2 };
			assert_eq!(
				k_too_big.to_condition(),
				Err(ReadableError::Invalid(ConditionError::BadApprovals))
			);
			let wide = Readable::Any(vec![Readable::Never; 9]);
			assert_eq!(wide.to_condition(), Err(ReadableError::TooLarge));
			let deep = Readable::All(vec![Readable::All(vec![Readable::All(vec![
				Readable::All(vec![Readable::Never]),
			])])]);
			assert_eq!(deep.to_condition(), Err(ReadableError::Invalid(ConditionError::TooDeep)));
			assert!(serde_json::from_str::<Readable>(r#"{"afterBlok":1}"#).is_err());
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	struct F {
		block: u32,
		approved: alloc::vec::Vec<u64>,
		revealed: Option<H256>,
	}
	impl Facts<u64> for F {
		fn block(&self) -> u32 {
			self.block
		}
		fn time(&self) -> u64 {
			0
		}
		fn revealed(&self, hash: &H256) -> bool {
			self.revealed.as_ref() == Some(hash)
		}
		fn approved(&self, who: &u64) -> bool {
			self.approved.contains(who)
		}
		fn attested(&self, _: &u64, _: &H256) -> bool {
			false
		}
	}

	fn tree(nodes: alloc::vec::Vec<Node<u64>>) -> Condition<u64> {
		Condition { nodes: nodes.try_into().unwrap() }
	}

	fn kids(c: &[u8]) -> Children {
		c.to_vec().try_into().unwrap()
	}

	fn approvals(of: &[u64], threshold: u32) -> Node<u64> {
		Node::Leaf(Leaf::Approvals { of: of.to_vec().try_into().unwrap(), threshold })
	}

	#[test]
	fn timelock_and_two_of_three() {
		let c = tree(vec![
			Node::All(kids(&[1, 2])),
			Node::Leaf(Leaf::AfterBlock(10)),
			approvals(&[1, 2, 3], 2),
		]);
		assert_eq!(c.validate(), Ok(()));
		assert!(!c.holds(&F { block: 10, approved: vec![1], revealed: None }));
		assert!(!c.holds(&F { block: 9, approved: vec![1, 3], revealed: None }));
		assert!(c.holds(&F { block: 10, approved: vec![1, 3], revealed: None }));
	}

	#[test]
	fn any_of_hashlock_or_never() {
		let h = H256::repeat_byte(7);
		let c = tree(vec![
			Node::Any(kids(&[1, 2])),
			Node::Leaf(Leaf::Never),
			Node::Leaf(Leaf::Preimage(h)),
		]);
		assert_eq!(c.validate(), Ok(()));
		assert!(!c.holds(&F { block: 0, approved: vec![], revealed: None }));
		assert!(c.holds(&F { block: 0, approved: vec![], revealed: Some(h) }));
		assert!(!Condition::leaf(Leaf::Never).holds(&F {
			block: 99,
			approved: vec![],
			revealed: None
		}));
	}

	#[test]
	fn malformed_trees_are_rejected() {
		use ConditionError::*;
		assert_eq!(tree(vec![]).validate(), Err(Empty));
		// Child pointing back to its parent (a cycle) or out of range.
		assert_eq!(tree(vec![Node::All(kids(&[0]))]).validate(), Err(BadChild));
		assert_eq!(tree(vec![Node::All(kids(&[5]))]).validate(), Err(BadChild));
		// A node used twice, and an unreachable node.
		let leaf = || Node::Leaf(Leaf::Never);
		assert_eq!(tree(vec![Node::All(kids(&[1, 1])), leaf()]).validate(), Err(NotATree));
		assert_eq!(tree(vec![leaf(), leaf()]).validate(), Err(NotATree));
		assert_eq!(tree(vec![Node::Any(kids(&[]))]).validate(), Err(EmptyCombinator));
		// Depth 5: All → All → All → All → leaf.
		let deep = tree(vec![
			Node::All(kids(&[1])),
			Node::All(kids(&[2])),
			Node::All(kids(&[3])),
			Node::All(kids(&[4])),
			leaf(),
		]);
		assert_eq!(deep.validate(), Err(TooDeep));
		assert_eq!(tree(vec![approvals(&[2, 1], 1)]).validate(), Err(BadApprovals));
		assert_eq!(tree(vec![approvals(&[1, 2], 0)]).validate(), Err(BadApprovals));
		assert_eq!(tree(vec![approvals(&[1, 2], 3)]).validate(), Err(BadApprovals));
	}
}
