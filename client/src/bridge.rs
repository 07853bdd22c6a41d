//! The bridge: counterparties' light-client state, consumed burns and the quarantine
//! (`bridge_*` RPC), and what a relayer submits — finality proofs and mint proofs — built from
//! a source chain's headers, stored GRANDPA justifications and storage read proofs.

use crate::{rpc_error, sx, Connection, Error, Hash};
use codec::{Decode, Encode};
use subxt::{
	ext::scale_encode::{self, EncodeAsFields, FieldIter, TypeResolver},
	rpcs::rpc_params,
	tx::Payload,
};
use tpchain_primitives::{
	bridge::{
		json::{CounterpartyJson, QuarantinedJson, QuarantinedMessageJson},
		BridgeLimits, MintProof, QuarantineId,
	},
	burn::{burn_record_key, chain_id_key, minimal_justification, BurnId, TrustedAuthoritySet},
	message::{
		delivered_message_key, next_message_nonce_key, outbound_message_key, MessageNonce,
		MessageProof, TpchainOutboundMessage,
	},
	ChainId, Header,
};

/// A GRANDPA justification of a tpchain header.
pub type Justification = bp_header_chain::justification::GrandpaJustification<Header>;

/// Call arguments already SCALE-encoded in the runtime's layout (the primitives' types are the
/// runtime's, so no conversion through subxt's generated types is needed).
pub struct Encoded(pub Vec<u8>);

impl EncodeAsFields for Encoded {
	fn encode_as_fields_to<R: TypeResolver>(
		&self,
		_fields: &mut dyn FieldIter<'_, R::TypeId>,
		_types: &R,
		out: &mut Vec<u8>,
	) -> Result<(), scale_encode::Error> {
		out.extend_from_slice(&self.0);
		Ok(())
	}
}

/// A call of the `Bridge` pallet with pre-encoded arguments.
pub struct BridgeCall {
	name: &'static str,
	args: Encoded,
}

impl Payload for BridgeCall {
	type CallData = Encoded;

	fn pallet_name(&self) -> &str {
		"Bridge"
	}

	fn call_name(&self) -> &str {
		self.name
	}

	fn call_data(&self) -> &Encoded {
		&self.args
	}
}

impl BridgeCall {
	/// `Bridge::initialize` (a governance proposal's call).
	pub fn initialize(
		counterparty: ChainId,
		header: &Header,
		authorities: &sp_consensus_grandpa::AuthorityList,
		set_id: u64,
	) -> Self {
		let args = (counterparty, header, authorities, set_id).encode();
		Self { name: "initialize", args: Encoded(args) }
	}

	/// `Bridge::submit_finality_proof`: `ancestry` holds the headers between the target's
	/// newest header of `counterparty` and `header`, newest first ([`Connection::ancestry`]).
	pub fn submit_finality_proof(
		counterparty: ChainId,
		header: &Header,
		justification: &Justification,
		current_set_id: u64,
		ancestry: &[Header],
	) -> Self {
		let args = (counterparty, header, justification, current_set_id, ancestry).encode();
		Self { name: "submit_finality_proof", args: Encoded(args) }
	}

	/// `Bridge::mint_from_burn`.
	pub fn mint_from_burn(counterparty: ChainId, proof: &MintProof) -> Self {
		Self { name: "mint_from_burn", args: Encoded((counterparty, proof).encode()) }
	}

	/// `Bridge::set_limits` (a governance proposal's call).
	pub fn set_limits(
		counterparty: ChainId,
		limits: &BridgeLimits<crate::Balance, tpchain_primitives::BlockNumber>,
	) -> Self {
		Self { name: "set_limits", args: Encoded((counterparty, limits).encode()) }
	}

	/// `Bridge::halt` (an emergency proposal's call).
	pub fn halt(counterparty: ChainId) -> Self {
		Self { name: "halt", args: Encoded(counterparty.encode()) }
	}

	/// `Bridge::resume` (a parameters proposal's call).
	pub fn resume(counterparty: ChainId) -> Self {
		Self { name: "resume", args: Encoded(counterparty.encode()) }
	}

	/// `Bridge::receive_message`: delivers message `proof.nonce` of `counterparty`.
	pub fn receive_message(counterparty: ChainId, proof: &MessageProof) -> Self {
		Self { name: "receive_message", args: Encoded((counterparty, proof).encode()) }
	}

	/// `Bridge::release_quarantined`.
	pub fn release_quarantined(id: QuarantineId) -> Self {
		Self { name: "release_quarantined", args: Encoded(id.encode()) }
	}
}

impl Connection {
	/// `call` as the generated [`crate::api`] `RuntimeCall`, e.g. to carry it in a governance
	/// proposal.
	pub async fn runtime_call(
		&self,
		call: &BridgeCall,
	) -> Result<crate::governance::RuntimeCall, Error> {
		use subxt::ext::scale_decode::DecodeAsType;
		let at = self.api.at_current_block().await.map_err(sx)?;
		let encoded = at.transactions().call_data(call).map_err(sx)?;
		let metadata = at.metadata_ref();
		crate::governance::RuntimeCall::decode_as_type(
			&mut &encoded[..],
			metadata.outer_enums().call_enum_ty(),
			metadata.types(),
		)
		.map_err(sx)
	}
}

impl Connection {
	/// `bridge_counterparties`: every counterparty's light client, limits and accounting.
	pub async fn bridge_counterparties(
		&self,
		at: Option<Hash>,
	) -> Result<Vec<CounterpartyJson>, Error> {
		self.raw.request("bridge_listCounterparties", rpc_params![at]).await.map_err(rpc_error)
	}

	/// The light client of `chain`, if registered (at the best block).
	pub async fn bridge_counterparty(
		&self,
		chain: ChainId,
	) -> Result<Option<CounterpartyJson>, Error> {
		Ok(self.bridge_counterparties(None).await?.into_iter().find(|c| c.chain == chain))
	}

	/// `bridge_isConsumed`: whether burn `burn_id` of `chain` was consumed (best block).
	pub async fn bridge_is_consumed(&self, chain: ChainId, burn_id: BurnId) -> Result<bool, Error> {
		self.raw
			.request("bridge_isConsumed", rpc_params![chain, burn_id, Option::<Hash>::None])
			.await
			.map_err(rpc_error)
	}

	/// `bridge_quarantine`: mints waiting in quarantine (best block).
	pub async fn bridge_quarantine(&self) -> Result<Vec<QuarantinedJson>, Error> {
		self.raw
			.request("bridge_listQuarantine", rpc_params![Option::<Hash>::None])
			.await
			.map_err(rpc_error)
	}

	/// `bridge_quarantinedMessages`: messages waiting in quarantine (best block).
	pub async fn bridge_quarantined_messages(&self) -> Result<Vec<QuarantinedMessageJson>, Error> {
		self.raw
			.request("bridge_listQuarantinedMessages", rpc_params![Option::<Hash>::None])
			.await
			.map_err(rpc_error)
	}

	/// This chain's id (`BurnProofsApi_chain_id`).
	pub async fn chain_id(&self) -> Result<ChainId, Error> {
		self.runtime_api("BurnProofsApi_chain_id", &(), None).await
	}

	/// The header of block `hash` in the runtime's type.
	pub async fn header(&self, hash: Hash) -> Result<Header, Error> {
		let header: Option<Header> =
			self.raw.request("chain_getHeader", rpc_params![hash]).await.map_err(rpc_error)?;
		header.ok_or_else(|| Error::Unexpected(format!("no header {hash:?}")))
	}

	/// The headers between block `above` and `header` on this chain, newest first: the
	/// ancestry a light client whose newest header is `above` needs to import `header`.
	pub async fn ancestry(&self, header: &Header, above: u32) -> Result<Vec<Header>, Error> {
		let mut ancestry = Vec::new();
		let mut parent = header.parent_hash;
		for _ in above.saturating_add(1)..header.number {
			let h = self.header(parent).await?;
			parent = h.parent_hash;
			ancestry.push(h);
		}
		Ok(ancestry)
	}

	/// The GRANDPA authority set that finalizes the children of block `at` (its state's
	/// `GrandpaApi`), and this chain's id.
	pub async fn grandpa_set(&self, at: Hash) -> Result<TrustedAuthoritySet, Error> {
		let authorities: sp_consensus_grandpa::AuthorityList =
			self.runtime_api("GrandpaApi_grandpa_authorities", &(), Some(at)).await?;
		let set_id: u64 = self.runtime_api("GrandpaApi_current_set_id", &(), Some(at)).await?;
		let chain_id: ChainId = self.runtime_api("BurnProofsApi_chain_id", &(), Some(at)).await?;
		Ok(TrustedAuthoritySet { chain_id: Some(chain_id), set_id, authorities })
	}

	/// The GRANDPA justification the node stored for block `hash`, reduced to what a strict
	/// verifier accepts, and the set id it is signed for; `None` if the node stored none.
	pub async fn justification(
		&self,
		header: &Header,
	) -> Result<Option<(Justification, u64)>, Error> {
		let hash = header.hash();
		let block: serde_json::Value =
			self.raw.request("chain_getBlock", rpc_params![hash]).await.map_err(rpc_error)?;
		let Some(list) = block["justifications"].as_array() else { return Ok(None) };
		let grandpa = list.iter().find_map(|j| {
			let engine = json_bytes(&j[0])?;
			(engine == sp_consensus_grandpa::GRANDPA_ENGINE_ID).then(|| json_bytes(&j[1]))?
		});
		let Some(encoded) = grandpa else { return Ok(None) };
		let mut justification = Justification::decode(&mut &encoded[..]).map_err(sx)?;
		let set =
			self.grandpa_set(if header.number == 0 { hash } else { header.parent_hash }).await?;
		minimal_justification((hash, header.number), &set, &mut justification)
			.map_err(|e| Error::Unexpected(format!("stored justification: {}", e.describe())))?;
		Ok(Some((justification, set.set_id)))
	}

	/// A storage proof of burn `id`'s record and the chain id in the state of block `at`.
	pub async fn burn_state_proof(&self, id: BurnId, at: Hash) -> Result<MintProof, Error> {
		let keys = [burn_record_key(id), chain_id_key()];
		let proof = self
			.rpc
			.state_get_read_proof(keys.iter().map(|k| &k[..]), Some(at))
			.await
			.map_err(sx)?;
		Ok(MintProof {
			at,
			burn_id: id,
			storage_proof: proof.proof.into_iter().map(|b| b.0).collect(),
		})
	}
}

/// XCM over the bridge: the sending chain's outbound lane and the receiving chain's record of
/// deliveries, read by their storage keys (`tpchain_primitives::message`).
impl Connection {
	/// A storage value by key, decoded.
	async fn storage_value<T: Decode>(
		&self,
		key: &[u8],
		at: Option<Hash>,
	) -> Result<Option<T>, Error> {
		let Some(bytes) = self.rpc.state_get_storage(key, at).await.map_err(sx)? else {
			return Ok(None);
		};
		T::decode(&mut &bytes[..]).map(Some).map_err(sx)
	}

	/// Messages this chain has sent towards `destination` (its next nonce).
	pub async fn messages_sent(
		&self,
		destination: ChainId,
		at: Option<Hash>,
	) -> Result<MessageNonce, Error> {
		Ok(self.storage_value(&next_message_nonce_key(destination), at).await?.unwrap_or_default())
	}

	/// Message `nonce` this chain committed for `destination`.
	pub async fn outbound_message(
		&self,
		destination: ChainId,
		nonce: MessageNonce,
		at: Option<Hash>,
	) -> Result<Option<TpchainOutboundMessage>, Error> {
		self.storage_value(&outbound_message_key(destination, nonce), at).await
	}

	/// Whether message `nonce` of `source` was delivered here (executed, failed and trapped,
	/// or in quarantine).
	pub async fn message_delivered(
		&self,
		source: ChainId,
		nonce: MessageNonce,
		at: Option<Hash>,
	) -> Result<bool, Error> {
		let key = delivered_message_key(source, nonce);
		Ok(self.rpc.state_get_storage(&key, at).await.map_err(sx)?.is_some())
	}

	/// A storage proof of message `nonce` towards `destination` and the chain id in the state
	/// of block `at`.
	pub async fn message_state_proof(
		&self,
		destination: ChainId,
		nonce: MessageNonce,
		at: Hash,
	) -> Result<MessageProof, Error> {
		let keys = [outbound_message_key(destination, nonce), chain_id_key()];
		let proof = self
			.rpc
			.state_get_read_proof(keys.iter().map(|k| &k[..]), Some(at))
			.await
			.map_err(sx)?;
		Ok(MessageProof {
			at,
			nonce,
			storage_proof: proof.proof.into_iter().map(|b| b.0).collect(),
		})
	}
}

/// Bytes from a JSON value the node wrote: a `0x` hex string or an array of numbers.
fn json_bytes(v: &serde_json::Value) -> Option<Vec<u8>> {
	match v {
		serde_json::Value::String(s) => hex::decode(s.trim_start_matches("0x")).ok(),
		serde_json::Value::Array(a) => a.iter().map(|n| n.as_u64().map(|n| n as u8)).collect(),
		_ => None,
	}
}
