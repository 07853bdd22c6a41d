//! Governance: the `governance_*` and `operators_list` RPC methods, proposing and voting, and
//! [`Connection::pass`], which drives a proposal through to execution.

use crate::{api, rpc_error, sx, Connection, Error, Hash};
use std::time::{Duration, Instant};
use subxt::rpcs::rpc_params;
use subxt_signer::sr25519::Keypair;
use tpchain_primitives::governance::{
	json::{EntityJson, ProposalJson, VoteJson},
	ProposalId, TrackParams,
};

/// Track and vote as the runtime's metadata describes them.
pub use api::runtime_types::tpchain_primitives::governance::{Track, Vote};
/// Any call of the runtime, as a proposal carries it.
pub use api::runtime_types::tpchain_runtime::RuntimeCall;

impl Connection {
	/// `governance_proposals`: proposals from id `from`, at most `limit`.
	pub async fn governance_proposals(
		&self,
		from: Option<ProposalId>,
		limit: Option<u32>,
	) -> Result<Vec<ProposalJson>, Error> {
		self.raw
			.request("governance_listProposals", rpc_params![from, limit, Option::<Hash>::None])
			.await
			.map_err(rpc_error)
	}

	/// One proposal, if it exists.
	pub async fn governance_proposal(&self, id: ProposalId) -> Result<Option<ProposalJson>, Error> {
		Ok(self.governance_proposals(Some(id), Some(1)).await?.into_iter().next())
	}

	/// `governance_votes`: every vote on `proposal`.
	pub async fn governance_votes(&self, proposal: ProposalId) -> Result<Vec<VoteJson>, Error> {
		self.raw
			.request("governance_listVotes", rpc_params![proposal, Option::<Hash>::None])
			.await
			.map_err(rpc_error)
	}

	/// `governance_tracks`: each track's approval, quorum and periods.
	pub async fn governance_tracks(
		&self,
	) -> Result<Vec<(tpchain_primitives::governance::Track, TrackParams<u32>)>, Error> {
		self.raw
			.request("governance_listTracks", rpc_params![Option::<Hash>::None])
			.await
			.map_err(rpc_error)
	}

	/// `operators_list`: every licensed entity.
	pub async fn operators(&self) -> Result<Vec<EntityJson>, Error> {
		self.raw
			.request("operators_listEntities", rpc_params![Option::<Hash>::None])
			.await
			.map_err(rpc_error)
	}

	/// Proposes `call` on `track` from an entity's voting account; returns the proposal id.
	pub async fn propose(
		&self,
		signer: &Keypair,
		track: Track,
		call: RuntimeCall,
	) -> Result<ProposalId, Error> {
		let tx = api::transactions().governance().propose(track, call);
		let (_, events) = self.submit(signer, &tx).await?;
		let proposed = events
			.find_first::<api::governance::events::Proposed>()
			.transpose()
			.map_err(sx)?
			.ok_or_else(|| Error::Unexpected("propose succeeded without Proposed".into()))?;
		Ok(proposed.proposal)
	}

	/// Votes on `proposal` for the signer's entity.
	pub async fn vote(
		&self,
		signer: &Keypair,
		proposal: ProposalId,
		vote: Vote,
	) -> Result<(), Error> {
		self.submit(signer, &api::transactions().governance().vote(proposal, vote)).await?;
		Ok(())
	}

	/// Casts `votes` on `proposal` at once (one transaction per entity, submitted together so
	/// short voting periods are met) and waits until all are finalized.
	pub async fn vote_all(
		&self,
		proposal: ProposalId,
		votes: Vec<(&Keypair, Vote)>,
	) -> Result<(), Error> {
		futures::future::try_join_all(
			votes.into_iter().map(|(who, v)| self.vote(who, proposal, v)),
		)
		.await?;
		Ok(())
	}

	/// Polls `proposal` until `done` holds for it (or `timeout` passes).
	pub async fn wait_for_proposal(
		&self,
		proposal: ProposalId,
		timeout: Duration,
		done: impl Fn(&ProposalJson) -> bool,
	) -> Result<ProposalJson, Error> {
		let deadline = Instant::now() + timeout;
		loop {
			let p = self.governance_proposal(proposal).await?;
			match p {
				Some(p) if done(&p) => return Ok(p),
				Some(p) if Instant::now() > deadline => {
					return Err(Error::Unexpected(format!("proposal {proposal} stuck: {p:?}")))
				},
				None if Instant::now() > deadline => {
					return Err(Error::Unexpected(format!("proposal {proposal} not found")))
				},
				_ => tokio::time::sleep(Duration::from_millis(500)).await,
			}
		}
	}

	/// Proposes `call` on `track` from `voters[0]`, votes aye with every voter, and waits until
	/// it is decided and, if approved, executed. Returns the final record.
	pub async fn pass(
		&self,
		voters: &[&Keypair],
		track: Track,
		call: RuntimeCall,
		timeout: Duration,
	) -> Result<ProposalJson, Error> {
		let first = voters.first().ok_or_else(|| Error::Unexpected("no voters".into()))?;
		let id = self.propose(first, track, call).await?;
		let ayes: Vec<_> = voters.iter().map(|v| (*v, Vote::Aye)).collect();
		self.vote_all(id, ayes).await?;
		self.wait_for_proposal(id, timeout, |p| {
			matches!(p.status.as_str(), "executed" | "rejected" | "cancelled")
		})
		.await
	}

	/// The validator sets: the session's, the next session's (queued), the registry's planned
	/// set, the session length, and the GRANDPA set id.
	pub async fn validator_sets(&self) -> Result<ValidatorSets, Error> {
		let at = self.api.at_current_block().await.map_err(sx)?;
		let storage = at.storage();
		let session = api::storage().session();
		let current = storage.entry(session.validators()).map_err(sx)?;
		let index = storage.entry(session.current_index()).map_err(sx)?;
		let queued = storage.entry(session.queued_keys()).map_err(sx)?;
		let operators = api::storage().operators();
		let planned = storage.entry(operators.validators()).map_err(sx)?;
		let length = storage.entry(operators.session_length()).map_err(sx)?;
		let set_id = storage.entry(api::storage().grandpa().current_set_id()).map_err(sx)?;
		let queued: Vec<(crate::AccountId, _)> =
			queued.fetch(()).await.map_err(sx)?.decode().map_err(sx)?;
		let planned: api::runtime_types::bounded_collections::bounded_vec::BoundedVec<
			crate::AccountId,
		> = planned.fetch(()).await.map_err(sx)?.decode().map_err(sx)?;
		Ok(ValidatorSets {
			block: at.block_number() as u32,
			session: index.fetch(()).await.map_err(sx)?.decode().map_err(sx)?,
			session_length: length.fetch(()).await.map_err(sx)?.decode().map_err(sx)?,
			current: current.fetch(()).await.map_err(sx)?.decode().map_err(sx)?,
			queued: queued.into_iter().map(|(who, _)| who).collect(),
			planned: planned.0,
			grandpa_set_id: set_id.fetch(()).await.map_err(sx)?.decode().map_err(sx)?,
		})
	}
}

/// The validator sets at the best block.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorSets {
	/// The best block they were read at.
	pub block: u32,
	/// The current session index.
	pub session: u32,
	/// Blocks per session.
	pub session_length: u32,
	/// Authors (and GRANDPA voters) of this session.
	pub current: Vec<crate::AccountId>,
	/// The set of the next session, with its keys already queued.
	pub queued: Vec<crate::AccountId>,
	/// The set the operator registry planned last (it becomes the authority set one session
	/// after it is queued).
	pub planned: Vec<crate::AccountId>,
	/// The GRANDPA authority set id.
	pub grandpa_set_id: u64,
}
