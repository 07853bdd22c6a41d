//! `tpchain-cli pay`: payment instructions signed offline (`sign`, no network) and settled in
//! batches (`submit`).

use crate::{account, json, parse_amount, print_table, read, signer_from};
use clap::Subcommand;
use codec::{Decode, Encode};
use std::path::PathBuf;
use tpchain_client::{
	format_balance,
	settlement::{account_of, sign, Expiry, PaymentInstruction, SignedInstruction},
	Connection,
};
use tpchain_primitives::{ChainId, Hash};

/// The most instructions one `settle` carries (the runtime's `MaxInstructions`).
const MAX_BATCH: usize = 1024;

#[derive(Subcommand)]
pub enum PayCommand {
	/// Print the chain id and genesis hash instructions for a network are signed over
	/// (what `pay sign` needs offline).
	Domain {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
	},
	/// Sign a payment instruction offline (no network) and print it as JSON; the signer's
	/// secret URI comes from `--suri-file` or `TPCHAIN_SURI`, never the command line.
	Sign {
		/// The network's chain id (`pay domain`).
		#[arg(long)]
		chain_id: u32,
		/// The network's genesis hash, `0x…` (`pay domain`).
		#[arg(long)]
		genesis: String,
		/// SS58 account paid.
		#[arg(long)]
		payee: String,
		/// Amount in tokens (`1.5`) or smallest units (`1500u`).
		#[arg(long)]
		amount: String,
		/// The payer's sequence number: each settles at most once.
		#[arg(long)]
		sequence: u64,
		/// Last block it may settle in.
		#[arg(long, conflicts_with = "expires_at_ms", required_unless_present = "expires_at_ms")]
		expires_at_block: Option<u32>,
		/// Last block timestamp (ms since the Unix epoch) it may settle at.
		#[arg(long)]
		expires_at_ms: Option<u64>,
		/// Reconciliation reference: up to 16 bytes of text, or `0x…` hex.
		#[arg(long, default_value = "")]
		reference: String,
		/// File holding the payer's secret URI (else `TPCHAIN_SURI`).
		#[arg(long)]
		suri_file: Option<PathBuf>,
	},
	/// Settle signed instructions (files written by `pay sign`: one JSON object or an array)
	/// in batches of up to 1,024; waits for finality and prints each instruction's result.
	Submit {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// Files of signed instructions.
		#[arg(required = true)]
		files: Vec<PathBuf>,
		/// File holding the submitter's secret URI (else `TPCHAIN_SURI`); the submitter pays
		/// the fees and needs no part in the payments.
		#[arg(long)]
		suri_file: Option<PathBuf>,
		/// Print JSON instead of a table.
		#[arg(long)]
		json: bool,
	},
	/// Fetch the receipt that an instruction settled (`settlement_getReceipt`) once its batch
	/// is final, and print it as JSON for `verify-receipt`.
	Receipt {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// The instruction's hash, `0x…` (`pay sign` and `pay submit` print it).
		hash: String,
		/// The batch it settled in (`pay submit` prints it); without it the node searches the
		/// last minute of batches.
		#[arg(long)]
		batch: Option<u64>,
	},
}

pub async fn run(command: PayCommand) -> Result<(), String> {
	match command {
		PayCommand::Domain { url } => {
			let conn = Connection::connect(&url).await.map_err(|e| e.to_string())?;
			let (chain, genesis) = conn.settlement_domain().await.map_err(|e| e.to_string())?;
			let out = serde_json::json!({ "chainId": chain.0, "genesis": format!("{genesis:?}") });
			println!("{}", json(&out));
		},
		PayCommand::Sign {
			chain_id,
			genesis,
			payee,
			amount,
			sequence,
			expires_at_block,
			expires_at_ms,
			reference,
			suri_file,
		} => {
			let signer = signer_from(suri_file)?;
			let genesis = hash_arg("genesis", &genesis)?;
			let expiry = match (expires_at_block, expires_at_ms) {
				(Some(block), _) => Expiry::Block(block),
				(None, Some(ms)) => Expiry::Time(ms),
				(None, None) => return Err("give --expires-at-block or --expires-at-ms".into()),
			};
			let instruction = PaymentInstruction {
				payer: account_of(&signer),
				payee: account(&payee)?.0.into(),
				amount: parse_amount(&amount)?,
				sequence,
				expiry,
				reference: reference_arg(&reference)?,
			};
			let signed = sign(&signer, ChainId(chain_id), &genesis, instruction);
			println!("{}", json(&signed_json(&signed, ChainId(chain_id), &genesis)));
		},
		PayCommand::Submit { url, files, suri_file, json: as_json } => {
			let signer = signer_from(suri_file)?;
			let mut all = Vec::new();
			for file in &files {
				all.extend(read_signed(file)?);
			}
			let conn = Connection::connect(&url).await.map_err(|e| e.to_string())?;
			let (chain, genesis) = conn.settlement_domain().await.map_err(|e| e.to_string())?;
			let batches = all.len().div_ceil(MAX_BATCH);
			let mut results = Vec::with_capacity(all.len());
			let mut fees = 0u128;
			for (n, batch) in all.chunks(MAX_BATCH).enumerate() {
				eprintln!("batch {}/{batches}: {} instructions", n + 1, batch.len());
				let settled = conn.settle(&signer, batch).await.map_err(|e| e.to_string())?;
				fees = fees.saturating_add(settled.fee);
				let mut leaf = 0u32;
				for (i, s) in batch.iter().enumerate() {
					let failure = settled.failed.iter().find(|(at, _)| *at as usize == i);
					let mut r = serde_json::json!({
						"hash": format!("{:?}", s.instruction.hash(chain, &genesis)),
						"batch": settled.batch,
						"block": format!("{:?}", settled.block),
					});
					match failure {
						Some((_, reason)) => r["failed"] = format!("{reason:?}").into(),
						None => {
							r["settled"] = true.into();
							r["leaf"] = leaf.into();
							leaf += 1;
						},
					}
					results.push(r);
				}
			}
			let settled = results.iter().filter(|r| r["settled"] == true).count();
			let out = serde_json::json!({
				"settled": settled,
				"failed": results.len() - settled,
				"fees": format_balance(fees),
				"instructions": results,
			});
			if as_json {
				println!("{}", json(&out));
			} else {
				print_table("", &out);
			}
		},
		PayCommand::Receipt { url, hash, batch } => {
			let hash = hash_arg("hash", &hash)?;
			let conn = Connection::connect(&url).await.map_err(|e| e.to_string())?;
			let receipt = conn.settlement_receipt(hash, batch).await.map_err(|e| e.to_string())?;
			println!("{}", json(&receipt));
		},
	}
	Ok(())
}

/// What `pay sign` prints; `signed` (SCALE, hex) is all `pay submit` reads.
fn signed_json(signed: &SignedInstruction, chain: ChainId, genesis: &Hash) -> serde_json::Value {
	let i = &signed.instruction;
	let (expiry_kind, expiry) = match i.expiry {
		Expiry::Block(b) => ("block", u64::from(b)),
		Expiry::Time(ms) => ("timeMs", ms),
	};
	serde_json::json!({
		"hash": format!("{:?}", i.hash(chain, genesis)),
		"payer": tpchain_client::settlement::ss58(&i.payer),
		"payee": tpchain_client::settlement::ss58(&i.payee),
		"amount": format_balance(i.amount),
		"amountUnits": i.amount.to_string(),
		"sequence": i.sequence,
		"expiry": { expiry_kind: expiry },
		"reference": format!("0x{}", hex::encode(i.reference)),
		"signed": format!("0x{}", hex::encode(signed.encode())),
	})
}

/// The signed instructions in `file`: one `pay sign` object or an array of them.
fn read_signed(file: &std::path::Path) -> Result<Vec<SignedInstruction>, String> {
	let value: serde_json::Value =
		serde_json::from_str(&read(file)?).map_err(|e| format!("{}: {e}", file.display()))?;
	let items = match value {
		serde_json::Value::Array(items) => items,
		one => vec![one],
	};
	items
		.iter()
		.enumerate()
		.map(|(n, item)| {
			let what = format!("{} item {n}", file.display());
			let hex = item["signed"].as_str().ok_or_else(|| format!("{what}: no \"signed\""))?;
			let bytes =
				hex::decode(hex.trim_start_matches("0x")).map_err(|e| format!("{what}: {e}"))?;
			SignedInstruction::decode(&mut &bytes[..]).map_err(|e| format!("{what}: {e}"))
		})
		.collect()
}

fn hash_arg(what: &str, s: &str) -> Result<Hash, String> {
	let bytes = hex::decode(s.trim_start_matches("0x")).map_err(|e| format!("{what}: {e}"))?;
	<[u8; 32]>::try_from(bytes).map(Hash::from).map_err(|_| format!("{what}: expected 32 bytes"))
}

/// Up to 16 bytes, zero-padded: text, or `0x…` hex.
fn reference_arg(s: &str) -> Result<[u8; 16], String> {
	let bytes = crate::bytes_arg(s)?;
	if bytes.len() > 16 {
		return Err(format!("reference {s:?}: longer than 16 bytes"));
	}
	let mut out = [0u8; 16];
	out[..bytes.len()].copy_from_slice(&bytes);
	Ok(out)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn references_are_padded_and_bounded() {
		let mut inv = [0u8; 16];
		inv[..5].copy_from_slice(b"INV-7");
		assert_eq!(reference_arg("INV-7"), Ok(inv));
		assert_eq!(reference_arg("0x01"), Ok([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
		assert!(reference_arg("seventeen bytes!!").is_err());
	}

	#[test]
	fn signed_instructions_round_trip_through_their_json() {
		let pair = tpchain_client::subxt_signer::sr25519::dev::alice();
		let bob = tpchain_client::subxt_signer::sr25519::dev::bob();
		let genesis = Hash::repeat_byte(3);
		let instruction = PaymentInstruction {
			payer: account_of(&pair),
			payee: account_of(&bob),
			amount: 5,
			sequence: 9,
			expiry: Expiry::Block(100),
			reference: [7; 16],
		};
		let signed = sign(&pair, ChainId(1), &genesis, instruction);
		assert!(signed.verify(ChainId(1), &genesis));
		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("i.json");
		let one = signed_json(&signed, ChainId(1), &genesis);
		std::fs::write(&file, serde_json::Value::Array(vec![one.clone(), one]).to_string())
			.unwrap();
		assert_eq!(read_signed(&file), Ok(vec![signed.clone(), signed]));
		std::fs::write(&file, "{}").unwrap();
		assert!(read_signed(&file).unwrap_err().ends_with("no \"signed\""));
	}
}
