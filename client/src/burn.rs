//! Burns: submit them, read records and totals, fetch and verify proof bundles.
//!
//! Verification is `tpchain_primitives::burn::verify_burn_proof`, the same code the bridge
//! pallet runs on chain; this module only moves bytes.

use crate::{api, rpc_error, sx, Connection, Error, Hash};
use subxt::rpcs::rpc_params;
use tpchain_primitives::burn::{
	json::{ProofResponse, RecordView, TotalsView},
	BurnId, BurnProofBundle, TrustedAuthoritySet,
};

impl Connection {
	/// `burn_getRecord`: the record of burn `id` at `at` (or the best block).
	pub async fn burn_record(
		&self,
		id: BurnId,
		at: Option<Hash>,
	) -> Result<Option<RecordView>, Error> {
		self.raw.request("burn_getRecord", rpc_params![id, at]).await.map_err(rpc_error)
	}

	/// `burn_totals`: totals overall, per destination and (optionally) of one account.
	pub async fn burn_totals(&self, account: Option<String>) -> Result<TotalsView, Error> {
		self.raw
			.request("burn_getTotals", rpc_params![account, Option::<Hash>::None])
			.await
			.map_err(rpc_error)
	}

	/// `burn_getProof`: the proof bundle of finalized burn `id`.
	pub async fn burn_proof(&self, id: BurnId) -> Result<ProofResponse, Error> {
		self.raw.request("burn_getProof", rpc_params![id]).await.map_err(rpc_error)
	}

	/// The GRANDPA authority set and chain id at the finalized head, as a verifier's trust root.
	///
	/// Whoever uses this trusts the node it asks *at this moment*; auditors take the set from
	/// the chain spec or another source they trust, and keep it.
	pub async fn authority_set(&self) -> Result<TrustedAuthoritySet, Error> {
		let (_, at) = self.finalized().await?;
		self.grandpa_set(at).await
	}

	/// Burns `amount` from `signer` and waits until the block is finalized; returns what
	/// happened and the block.
	pub async fn burn(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
		amount: u128,
		destination: Option<u32>,
		beneficiary: Vec<u8>,
		reference: Vec<u8>,
	) -> Result<(BurnOutcome, Hash), Error> {
		use api::runtime_types::tpchain_primitives::ChainId as RtChainId;
		let call = api::transactions().burn_proofs().burn(
			amount,
			destination.map(RtChainId),
			beneficiary,
			reference,
		);
		let (hash, events) = self.submit(signer, &call).await?;
		if let Some(burned) =
			events.find_first::<api::burn_proofs::events::Burned>().transpose().map_err(sx)?
		{
			return Ok((BurnOutcome::Executed { id: burned.id }, hash));
		}
		let requested = events
			.find_first::<api::burn_proofs::events::BurnRequested>()
			.transpose()
			.map_err(sx)?
			.ok_or_else(|| Error::Unexpected("burn succeeded without a burn event".into()))?;
		Ok((BurnOutcome::AwaitingApproval { request: requested.request }, hash))
	}
}

/// What a submitted burn did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BurnOutcome {
	/// Executed and recorded as burn `id`.
	Executed {
		/// The burn id (for `burn_getProof`).
		id: BurnId,
	},
	/// Above the large-burn threshold: the amount is on hold until approval.
	AwaitingApproval {
		/// The request id (for `approve_large_burn` / `cancel_large_burn`).
		request: u64,
	},
}

/// Reads a bundle from what `burn_getProof` returned (the whole JSON answer), a JSON object
/// with a `bundle` field, or a bare `0x…` hex string.
pub fn parse_bundle(text: &str) -> Result<BurnProofBundle, String> {
	let bytes = crate::proof_bytes(text, "bundle")?;
	BurnProofBundle::decode_exact(&bytes).map_err(|e| e.describe().to_string())
}
