//! `governance_*`: the audit trail of proposals, votes and outcomes.
//!
//! Deposits are decimal strings; accounts SS58; calls SCALE-encoded (hex) with their hash.

use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::error::ErrorObjectOwned};
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_core::Bytes;
use sp_runtime::traits::Block as BlockT;
use std::{marker::PhantomData, sync::Arc};
use tpchain_primitives::{
	governance::{
		json::{ProposalJson, VoteJson},
		ProposalId, ProposalStatus, ProposalView, Track, TrackParams,
	},
	runtime_api::GovernanceApi,
	AccountId, Balance, BlockNumber, Hash,
};

/// The runtime API failed (e.g. the block's state is pruned).
pub const RUNTIME_ERROR: i32 = 8301;
/// Most proposals one `governance_proposals` call returns.
pub const MAX_PROPOSALS_PER_CALL: u32 = 256;

fn runtime_error(e: impl std::fmt::Display) -> ErrorObjectOwned {
	super::error(RUNTIME_ERROR, e)
}

/// The `governance_*` methods.
#[rpc(client, server)]
pub trait GovernanceRpc<BlockHash> {
	/// Proposals with ids from `from` (default 0), at most `limit` (default and cap 256).
	#[method(name = "governance_listProposals", aliases = ["governance_proposals"])]
	fn proposals(
		&self,
		from: Option<ProposalId>,
		limit: Option<u32>,
		at: Option<BlockHash>,
	) -> RpcResult<Vec<ProposalJson>>;

	/// Every vote on `proposal`: entity, vote, account and block.
	#[method(name = "governance_listVotes", aliases = ["governance_votes"])]
	fn votes(&self, proposal: ProposalId, at: Option<BlockHash>) -> RpcResult<Vec<VoteJson>>;

	/// The tracks and how each decides.
	#[method(name = "governance_listTracks", aliases = ["governance_tracks"])]
	fn tracks(&self, at: Option<BlockHash>) -> RpcResult<Vec<(Track, TrackParams<BlockNumber>)>>;
}

/// Implements [`GovernanceRpcServer`] over the runtime's `GovernanceApi`.
pub struct Governance<C, B> {
	client: Arc<C>,
	_block: PhantomData<B>,
}

impl<C, B> Governance<C, B> {
	/// Serves the `governance_*` methods from `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, _block: PhantomData }
	}
}

/// The JSON form of a proposal.
pub fn proposal_json(p: ProposalView<AccountId, Balance, BlockNumber>) -> ProposalJson {
	let (status, status_at, ok) = match p.status {
		ProposalStatus::Voting { ends } => ("voting", ends, None),
		ProposalStatus::Approved { at } => ("approved", at, None),
		ProposalStatus::Rejected { at } => ("rejected", at, None),
		ProposalStatus::Cancelled { at } => ("cancelled", at, None),
		ProposalStatus::Executed { at, ok } => ("executed", at, Some(ok)),
	};
	ProposalJson {
		id: p.id,
		track: p.track,
		proposer: p.proposer,
		depositor: p.depositor,
		deposit: p.deposit.to_string(),
		call: Bytes(p.call),
		call_hash: Bytes(p.call_hash.to_vec()),
		submitted_at: p.submitted_at,
		status: status.into(),
		status_at,
		ok,
		error: p.error.map(Bytes),
		tally: p.tally,
		electorate: p.electorate,
		expires_at: p.expires_at,
		ratified: p.ratified,
	}
}

impl<C, Block> GovernanceRpcServer<Hash> for Governance<C, Block>
where
	Block: BlockT<Hash = Hash>,
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: GovernanceApi<Block>,
{
	fn proposals(
		&self,
		from: Option<ProposalId>,
		limit: Option<u32>,
		at: Option<Hash>,
	) -> RpcResult<Vec<ProposalJson>> {
		let at = super::at_or_best(&*self.client, at);
		let limit = limit.unwrap_or(MAX_PROPOSALS_PER_CALL).min(MAX_PROPOSALS_PER_CALL);
		let views = self
			.client
			.runtime_api()
			.governance_proposals(at, from.unwrap_or(0), limit)
			.map_err(runtime_error)?;
		Ok(views.into_iter().map(proposal_json).collect())
	}

	fn votes(&self, proposal: ProposalId, at: Option<Hash>) -> RpcResult<Vec<VoteJson>> {
		let at = super::at_or_best(&*self.client, at);
		let votes =
			self.client.runtime_api().governance_votes(at, proposal).map_err(runtime_error)?;
		Ok(votes
			.into_iter()
			.map(|v| VoteJson { entity: v.entity, vote: v.vote, voter: v.voter, at: v.at })
			.collect())
	}

	fn tracks(&self, at: Option<Hash>) -> RpcResult<Vec<(Track, TrackParams<BlockNumber>)>> {
		let at = super::at_or_best(&*self.client, at);
		self.client.runtime_api().governance_tracks(at).map_err(runtime_error)
	}
}
