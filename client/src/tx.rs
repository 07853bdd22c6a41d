//! Submitting a transaction and reporting what happened: the block it was finalized in, its
//! events (fields as JSON), the fee, and — when it failed — the module error's name and docs
//! from the runtime's metadata.

use crate::{api, fee_paid, json, sx, Connection, Error, Hash, TpchainConfig};
use serde::Serialize;
use subxt::{ext::scale_value::Composite, extrinsics::ExtrinsicEvents, tx::Payload};
use subxt_signer::sr25519::Keypair;

/// Why an included extrinsic failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DispatchFailure {
	/// The pallet, for a module error (`Escrow`); otherwise the dispatch error's kind.
	pub pallet: String,
	/// The error's name (`NotApprover`, or `BadOrigin`, …).
	pub error: String,
	/// The error's documentation from the metadata (its `///` line).
	pub docs: String,
}

impl std::fmt::Display for DispatchFailure {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{}.{}", self.pallet, self.error)?;
		if !self.docs.is_empty() {
			write!(f, ": {}", self.docs)?;
		}
		Ok(())
	}
}

/// One event of an extrinsic.
#[derive(Debug, Clone, Serialize)]
pub struct EventJson {
	/// Pallet name.
	pub pallet: String,
	/// Event name.
	pub event: String,
	/// Its fields (see [`json`]).
	pub fields: serde_json::Value,
}

/// What became of a submitted extrinsic.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Submission {
	/// The extrinsic's hash.
	pub extrinsic: Hash,
	/// The finalized block (number, hash) it is in; `None` when not waited for.
	pub block: Option<(u32, Hash)>,
	/// The fee it paid (decimal string of smallest units); `None` when not waited for.
	pub fee: Option<String>,
	/// Its events, in order.
	pub events: Vec<EventJson>,
	/// Why it failed, if it did (the fee is paid all the same).
	pub error: Option<DispatchFailure>,
}

impl Submission {
	/// The first event `pallet.event`'s fields.
	pub fn event(&self, pallet: &str, event: &str) -> Option<&serde_json::Value> {
		self.events.iter().find(|e| e.pallet == pallet && e.event == event).map(|e| &e.fields)
	}
}

impl DispatchFailure {
	/// `Pallet.Error`.
	pub fn name(&self) -> String {
		format!("{}.{}", self.pallet, self.error)
	}
}

/// The module error's name and docs from `metadata` (a block's own, for old blocks), or the
/// dispatch error's kind.
pub fn describe_with(
	metadata: &subxt::Metadata,
	error: &api::runtime_types::sp_runtime::DispatchError,
) -> DispatchFailure {
	use api::runtime_types::sp_runtime::DispatchError;
	let DispatchError::Module(m) = error else {
		let name = format!("{error:?}");
		let kind = name.split(['(', ' ', '{']).next().unwrap_or(&name).to_string();
		return DispatchFailure { pallet: "DispatchError".into(), error: kind, docs: name };
	};
	let pallet = metadata.pallet_by_error_index(m.index);
	let variant = pallet.as_ref().and_then(|p| p.error_variant_by_index(m.error[0]));
	match (pallet, variant) {
		(Some(p), Some(v)) => DispatchFailure {
			pallet: p.name().to_string(),
			error: v.name.clone(),
			docs: v.docs.join(" ").trim().to_string(),
		},
		_ => DispatchFailure {
			pallet: format!("pallet #{}", m.index),
			error: format!("error {:?}", m.error),
			docs: String::new(),
		},
	}
}

impl Connection {
	/// The module error's name and docs (or the dispatch error's kind), from the metadata of
	/// the best block.
	pub async fn describe(
		&self,
		error: &api::runtime_types::sp_runtime::DispatchError,
	) -> Result<DispatchFailure, Error> {
		Ok(describe_with(&*self.metadata().await?, error))
	}

	/// The failure of the extrinsic these events belong to, if it failed.
	pub async fn failure(
		&self,
		events: &ExtrinsicEvents<TpchainConfig>,
	) -> Result<Option<DispatchFailure>, Error> {
		match events.find_first::<api::system::events::ExtrinsicFailed>().transpose().map_err(sx)? {
			Some(failed) => Ok(Some(self.describe(&failed.dispatch_error).await?)),
			None => Ok(None),
		}
	}

	/// Signs and submits `call` and waits until its block is finalized: the block, the
	/// extrinsic's hash and its events (whether it succeeded or not).
	pub(crate) async fn finalized_events<C: Payload>(
		&self,
		signer: &Keypair,
		call: &C,
	) -> Result<(Hash, Hash, ExtrinsicEvents<TpchainConfig>), Error> {
		let mut txs = self.api.at_current_block().await.map_err(sx)?.transactions();
		let in_block = txs
			.sign_and_submit_then_watch_default(call, signer)
			.await
			.map_err(sx)?
			.wait_for_finalized()
			.await
			.map_err(sx)?;
		let events = in_block.fetch_events().await.map_err(sx)?;
		Ok((in_block.block_hash(), in_block.extrinsic_hash(), events))
	}

	/// Signs and submits `call`; with `wait`, waits until its block is finalized and reports
	/// the block, events, fee and any failure (a failure is reported, not returned as an error:
	/// the extrinsic was included and paid). Without `wait`, returns once the pool accepted it.
	pub async fn send<C: Payload>(
		&self,
		signer: &Keypair,
		call: &C,
		wait: bool,
	) -> Result<Submission, Error> {
		if !wait {
			let mut txs = self.api.at_current_block().await.map_err(sx)?.transactions();
			let extrinsic = txs.sign_and_submit_default(call, signer).await.map_err(sx)?;
			return Ok(Submission {
				extrinsic,
				block: None,
				fee: None,
				events: vec![],
				error: None,
			});
		}
		let (hash, extrinsic, events) = self.finalized_events(signer, call).await?;
		let header = self.rpc.chain_get_header(Some(hash)).await.map_err(sx)?;
		let number =
			header.map(|h| h.number as u32).ok_or_else(|| Error::Unexpected("no header".into()))?;
		let mut list = Vec::new();
		for ev in events.iter() {
			let ev = ev.map_err(sx)?;
			let fields = ev.decode_fields_unchecked_as::<Composite<()>>().map_err(sx)?;
			list.push(EventJson {
				pallet: ev.pallet_name().to_string(),
				event: ev.event_name().to_string(),
				fields: json::composite(&fields),
			});
		}
		Ok(Submission {
			extrinsic,
			block: Some((number, hash)),
			fee: Some(fee_paid(&events).to_string()),
			events: list,
			error: self.failure(&events).await?,
		})
	}
}
