//! Batch settlement: payment instructions signed offline by their payers, settled in batches
//! by anyone (`Settlement::settle`), what a batch's `BatchSettled` event states, and receipts.
//!
//! Receipts verify with `tpchain_primitives::settlement::receipt::verify_receipt`, the one
//! verifier; this module only moves bytes.

use crate::{bridge::Encoded, sx, Balance, Connection, Error, Hash};
use codec::{Decode, Encode};
use subxt::{rpcs::rpc_params, tx::Payload};
pub use tpchain_primitives::settlement::receipt::{
	json::ReceiptResponse, verify_receipt, ReceiptError, SettlementReceipt, VerifiedReceipt,
};
pub use tpchain_primitives::settlement::{
	batch_path, batch_root, signing_payload, verify_batch_path, BatchId, Expiry, Failure,
	PaymentInstruction, SignedInstruction,
};
use tpchain_primitives::ChainId;

/// Signs `instruction` as its payer `pair` for network (`chain`, `genesis`). Needs no
/// connection: payers sign offline and hand the result to whoever settles it.
pub fn sign(
	pair: &subxt_signer::sr25519::Keypair,
	chain: ChainId,
	genesis: &tpchain_primitives::Hash,
	instruction: PaymentInstruction,
) -> SignedInstruction {
	let signature = pair.sign(&signing_payload(chain, genesis, &instruction));
	// `MultiSignature::Sr25519` is variant 1 followed by the 64 bytes.
	let mut encoded = vec![1u8];
	encoded.extend_from_slice(&signature.0);
	let signature = Decode::decode(&mut &encoded[..]).expect("64 bytes after variant 1 decode");
	SignedInstruction { instruction, signature }
}

/// `payer` as the runtime's account type.
pub fn account_of(pair: &subxt_signer::sr25519::Keypair) -> tpchain_primitives::AccountId {
	pair.public_key().0.into()
}

/// `Settlement::settle(batch)`.
pub struct SettleCall(Encoded);

impl SettleCall {
	/// Settles `batch`, in order.
	pub fn new(batch: &[SignedInstruction]) -> Self {
		Self(Encoded(batch.encode()))
	}
}

impl Payload for SettleCall {
	type CallData = Encoded;

	fn pallet_name(&self) -> &str {
		"Settlement"
	}

	fn call_name(&self) -> &str {
		"settle"
	}

	fn call_data(&self) -> &Encoded {
		&self.0
	}
}

/// What a settled batch's `BatchSettled` event states, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settled {
	/// The block it settled in (finalized).
	pub block: Hash,
	/// The batch's number.
	pub batch: BatchId,
	/// How many instructions settled.
	pub settled: u32,
	/// The instructions skipped: index in the batch and reason.
	pub failed: Vec<(u32, Failure)>,
	/// Merkle root of the settled instructions' hashes, in batch order.
	pub root: tpchain_primitives::Hash,
	/// The fee the submitter paid.
	pub fee: Balance,
}

impl Connection {
	/// `settlement_getReceipt`: the receipt that the instruction hashed `instruction` settled
	/// in a finalized batch (`batch` if known, else the node searches the recent ones).
	pub async fn settlement_receipt(
		&self,
		instruction: tpchain_primitives::Hash,
		batch: Option<BatchId>,
	) -> Result<ReceiptResponse, Error> {
		self.raw
			.request("settlement_getReceipt", rpc_params![instruction, batch])
			.await
			.map_err(crate::rpc_error)
	}

	/// This network's `(chain id, genesis hash)`: what instructions for it are signed over.
	pub async fn settlement_domain(&self) -> Result<(ChainId, tpchain_primitives::Hash), Error> {
		let genesis = self
			.block_hash(0)
			.await?
			.ok_or_else(|| Error::Unexpected("no genesis block".into()))?;
		Ok((self.chain_id().await?, tpchain_primitives::Hash::from(genesis.0)))
	}

	/// Submits `batch` from `signer`, waits for finality, and returns what `BatchSettled` says.
	pub async fn settle(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
		batch: &[SignedInstruction],
	) -> Result<Settled, Error> {
		let (block, events) = self.submit(signer, &SettleCall::new(batch)).await?;
		let fee = crate::fee_paid(&events);
		for event in events.iter() {
			let event = event.map_err(sx)?;
			if (event.pallet_name(), event.event_name()) != ("Settlement", "BatchSettled") {
				continue;
			}
			type Fields =
				(BatchId, tpchain_primitives::AccountId, u32, Vec<(u32, Failure)>, [u8; 32]);
			let (batch, _, settled, failed, root) = Fields::decode(&mut event.field_bytes())
				.map_err(|e| Error::Unexpected(format!("BatchSettled: {e}")))?;
			return Ok(Settled { block, batch, settled, failed, root: root.into(), fee });
		}
		Err(Error::Unexpected(format!("no BatchSettled event in block {block:?}")))
	}
}

/// `account` in SS58 (generic prefix), as the CLI prints instructions' payers and payees.
pub fn ss58(account: &tpchain_primitives::AccountId) -> String {
	crate::AccountId::from(<[u8; 32]>::from(account.clone())).to_string()
}

/// Reads a receipt from what `settlement_getReceipt` returned (the whole JSON answer) or its
/// bare `0x…` hex.
pub fn parse_receipt(text: &str) -> Result<SettlementReceipt, String> {
	let bytes = crate::proof_bytes(text, "receipt")?;
	SettlementReceipt::decode_exact(&bytes).map_err(|e| e.describe().to_string())
}
