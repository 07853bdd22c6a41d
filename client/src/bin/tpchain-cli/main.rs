//! `tpchain-cli`: the command line of the tpchain SDK.
//!
//! ```text
//! tpchain-cli authority-set --url ws://127.0.0.1:9944 > set.json       # trust root, once
//! tpchain-cli burn --url … --suri-file alice.suri --amount 1.5 --destination 2 --beneficiary 0x… --reference INV-7
//! tpchain-cli get-proof --url … 0 > bundle.json                         # after finality
//! tpchain-cli verify-burn bundle.json --authorities set.json           # offline
//! tpchain-cli pay sign --chain-id 1 --genesis 0x… --payee … --amount 5 --sequence 0 --expires-at-block 9000 > p.json  # offline
//! tpchain-cli pay submit --url … p.json q.json                         # batched, netted
//! tpchain-cli pay receipt --url … 0x<hash> --batch 3 > receipt.json    # after finality
//! tpchain-cli verify-receipt receipt.json --authorities set.json       # offline
//! tpchain-cli audit supply --url … --at 1200                            # reconciled?
//! tpchain-cli audit range --url … --from 0 --to 5000 --out supply.csv   # resumable
//! ```
//!
//!
//! Every role has its commands: `gov` (proposals, show, propose, vote, tally), `operator`
//! (entities, entity, validators, rotate-keys, node-key), `escrow` (create, show, of, approve,
//! release, dispute, refund, accept-arbiters), `recovery` (guardians set/show/apply, initiate,
//! approve, finalize, cancel, freeze, unfreeze, status). Commands that submit a transaction
//! take the signer's secret from `--suri-file`, `TPCHAIN_SURI` or a prompt — never from an
//! argument — wait for finality (`--no-wait` to skip) and print the block, the events and the
//! fee; a failed transaction exits 1 naming the module error and its docs.
//!
//! `verify-burn` and `verify-receipt` need no network: each checks its proof against the
//! authority set file and prints what it proves as JSON (exit 0), or the check that failed
//! (exit 1).

mod audit;
mod common;
mod escrow;
mod gov;
mod operator;
mod pay;
mod recovery;

use common::{
	account, bytes_arg, json, parse_amount, print_table, read, scale_hex, signer_from, CliError,
};

use clap::{Parser, Subcommand};
use std::{path::PathBuf, process::ExitCode};
use tpchain_client::{
	burn::{parse_bundle, BurnOutcome},
	format_balance, settlement, Connection,
};
use tpchain_primitives::burn::{json::RecordView, verify_burn_proof, TrustedAuthoritySet};

#[derive(Parser)]
#[command(
	name = "tpchain-cli",
	version,
	about = "tpchain SDK command line",
	after_help = "Secrets are never arguments: commands that sign read the secret URI from \
	              --suri-file FILE (mode 600), else the TPCHAIN_SURI environment variable, else a \
	              prompt on the terminal."
)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Verify a burn proof bundle offline against a trusted GRANDPA authority set.
	VerifyBurn {
		/// The bundle: `burn_getProof`'s JSON answer, or its `0x…` hex.
		bundle: PathBuf,
		/// JSON file `{ "chainId": n, "setId": n, "authorities": [["<ss58>", weight], …] }`.
		#[arg(long)]
		authorities: PathBuf,
	},
	/// Verify a settlement receipt offline against a trusted GRANDPA authority set.
	VerifyReceipt {
		/// The receipt: `settlement_getReceipt`'s JSON answer (`pay receipt`), or its `0x…` hex.
		receipt: PathBuf,
		/// JSON file `{ "chainId": n, "setId": n, "authorities": [["<ss58>", weight], …] }`.
		#[arg(long)]
		authorities: PathBuf,
	},
	/// Fetch the proof bundle of a finalized burn (`burn_getProof`) and print it as JSON.
	GetProof {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// Burn id.
		id: u64,
	},
	/// Print the node's current GRANDPA authority set and chain id as a trust-root file.
	AuthoritySet {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
	},
	/// Burn tokens and wait for finality; prints the burn id (or that approval is needed).
	Burn {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// File holding the burner's secret URI, mode 600 (else `TPCHAIN_SURI`, else a prompt).
		#[arg(long)]
		suri_file: Option<PathBuf>,
		/// Amount in tokens (`1.5`) or, with a `u` suffix, in smallest units (`1500u`).
		#[arg(long)]
		amount: String,
		/// Destination chain id; omit for a plain burn.
		#[arg(long)]
		destination: Option<u32>,
		/// Beneficiary on the destination chain, `0x…` hex or text.
		#[arg(long, default_value = "")]
		beneficiary: String,
		/// Payment reference (text).
		#[arg(long, default_value = "")]
		reference: String,
	},
	/// Print a burn record (`burn_getRecord`).
	Record {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// Burn id.
		id: u64,
	},
	/// XCM: fee quotes and dry runs through the runtime's standard XCM APIs.
	Xcm {
		#[command(subcommand)]
		command: XcmCommand,
	},
	/// Payment instructions: signed offline, settled in netted batches.
	Pay {
		#[command(subcommand)]
		command: pay::PayCommand,
	},
	/// Auditors: the supply at a block, reconciled, and its history over a range of blocks.
	Audit {
		#[command(subcommand)]
		command: audit::AuditCommand,
	},
	/// Governance: proposals, votes, tallies.
	Gov {
		#[command(subcommand)]
		command: gov::GovCommand,
	},
	/// Operators: the entity registry, validator sets, session keys, node keys.
	Operator {
		#[command(subcommand)]
		command: operator::OperatorCommand,
	},
	/// Escrow: conditional payments.
	Escrow {
		#[command(subcommand)]
		command: escrow::EscrowCommand,
	},
	/// Guardian recovery of lost accounts.
	Recovery {
		#[command(subcommand)]
		command: recovery::RecoveryCommand,
	},
	/// Print burn totals (`burn_totals`), optionally of one account.
	Totals {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// SS58 account.
		#[arg(long)]
		account: Option<String>,
	},
}

#[derive(Subcommand)]
enum XcmCommand {
	/// What a program or a call would do, and what it costs, if ORIGIN ran it now (changes
	/// nothing): the weight and TPC fee `XcmPaymentApi` quotes, the outcome, and the events.
	DryRun {
		/// Node WebSocket URL.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// SS58 account the program or call runs as.
		#[arg(long)]
		origin: String,
		/// Dry-run `PolkadotXcm.execute` of the TPC transfer program to this SS58 account.
		#[arg(long, conflicts_with_all = ["program", "call"], requires = "amount")]
		transfer_to: Option<String>,
		/// Amount of the transfer, in tokens (`1.5`) or smallest units (`1500u`).
		#[arg(long)]
		amount: Option<String>,
		/// A program: `0x…` SCALE of a `VersionedXcm` (what `PolkadotXcm.execute` takes).
		#[arg(long, conflicts_with = "call")]
		program: Option<String>,
		/// A call: `0x…` SCALE call data (pallet index, call index, arguments).
		#[arg(long)]
		call: Option<String>,
		/// Print JSON instead of a table.
		#[arg(long)]
		json: bool,
	},
	/// Send TPC to an account on a counterparty network (`PolkadotXcm.transfer_assets`, a
	/// teleport over the bridge) and wait for finality here; prints the message's nonce, the
	/// block and the fee. The signer's secret URI is read from `--suri-file` or the
	/// `TPCHAIN_SURI` environment variable, never from the command line.
	Transfer {
		/// Node WebSocket URL of the sending network.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// The counterparty network's chain id.
		#[arg(long)]
		to_chain: u32,
		/// SS58 account on the counterparty network.
		#[arg(long)]
		beneficiary: String,
		/// Amount in tokens (`1.5`) or smallest units (`1500u`); the counterparty's execution
		/// fee is taken from it there.
		#[arg(long)]
		amount: String,
		/// File holding the signer's secret URI (else `TPCHAIN_SURI`).
		#[arg(long)]
		suri_file: Option<PathBuf>,
		/// Print JSON instead of a table.
		#[arg(long)]
		json: bool,
	},
	/// The status of message NONCE towards `--to-chain`: committed on the sending network
	/// (block, value), and with `--target-url` whether the counterparty delivered it.
	Status {
		/// Node WebSocket URL of the sending network.
		#[arg(long, default_value = "ws://127.0.0.1:9944")]
		url: String,
		/// Node WebSocket URL of the counterparty network.
		#[arg(long)]
		target_url: Option<String>,
		/// The counterparty network's chain id.
		#[arg(long)]
		to_chain: u32,
		/// The message's nonce towards it.
		nonce: u64,
		/// Print JSON instead of a table.
		#[arg(long)]
		json: bool,
	},
}

async fn run(command: Command) -> Result<(), CliError> {
	match command {
		Command::VerifyBurn { bundle, authorities } => {
			let set: TrustedAuthoritySet = serde_json::from_str(&read(&authorities)?)
				.map_err(|e| format!("{}: {e}", authorities.display()))?;
			let bundle =
				parse_bundle(&read(&bundle)?).map_err(|e| format!("REJECTED: Malformed: {e}"))?;
			let verified = verify_burn_proof(&bundle, &set)
				.map_err(|e| format!("REJECTED: {e:?}: {}", e.describe()))?;
			let out = serde_json::json!({
				"verified": true,
				"chainId": verified.chain_id,
				"record": RecordView::from(&verified.record),
				"provenAt": verified.proven_at,
				"finalized": verified.finalized,
			});
			println!("{}", json(&out));
		},
		Command::VerifyReceipt { receipt, authorities } => {
			let set: TrustedAuthoritySet = serde_json::from_str(&read(&authorities)?)
				.map_err(|e| format!("{}: {e}", authorities.display()))?;
			let receipt = settlement::parse_receipt(&read(&receipt)?)
				.map_err(|e| format!("REJECTED: Malformed: {e}"))?;
			let v = settlement::verify_receipt(&receipt, &set)
				.map_err(|e| format!("REJECTED: {e:?}: {}", e.describe()))?;
			let i = &receipt.instruction;
			let out = serde_json::json!({
				"verified": true,
				"chainId": v.chain_id,
				"genesis": format!("{:?}", v.genesis),
				"instructionHash": format!("{:?}", v.instruction_hash),
				"payer": settlement::ss58(&i.payer),
				"payee": settlement::ss58(&i.payee),
				"amount": format_balance(i.amount),
				"amountUnits": i.amount.to_string(),
				"sequence": i.sequence,
				"reference": format!("0x{}", hex::encode(i.reference)),
				"batch": v.batch,
				"settledIn": v.record.block,
				"provenAt": v.proven_at,
				"finalized": v.finalized,
			});
			println!("{}", json(&out));
		},
		Command::GetProof { url, id } => {
			let conn = Connection::connect(&url).await.map_err(|e| e.to_string())?;
			let proof = conn.burn_proof(id).await.map_err(|e| e.to_string())?;
			println!("{}", json(&proof));
		},
		Command::AuthoritySet { url } => {
			let conn = Connection::connect(&url).await.map_err(|e| e.to_string())?;
			println!("{}", json(&conn.authority_set().await.map_err(|e| e.to_string())?));
		},
		Command::Burn { url, suri_file, amount, destination, beneficiary, reference } => {
			let amount = parse_amount(&amount)?;
			let signer = tpchain_client::secret::signer(suri_file.as_deref(), "the burner")?;
			let conn = Connection::connect(&url).await.map_err(|e| e.to_string())?;
			let (outcome, block) = conn
				.burn(
					&signer,
					amount,
					destination,
					bytes_arg(&beneficiary)?,
					reference.into_bytes(),
				)
				.await
				.map_err(|e| e.to_string())?;
			let (id, request) = match outcome {
				BurnOutcome::Executed { id } => (Some(id), None),
				BurnOutcome::AwaitingApproval { request } => (None, Some(request)),
			};
			let out = serde_json::json!({
				"burnId": id,
				"awaitingApprovalAsRequest": request,
				"amount": format_balance(amount),
				"finalizedIn": format!("{block:?}"),
			});
			println!("{}", json(&out));
		},
		Command::Record { url, id } => {
			let conn = Connection::connect(&url).await.map_err(|e| e.to_string())?;
			println!("{}", json(&conn.burn_record(id, None).await.map_err(|e| e.to_string())?));
		},
		Command::Xcm {
			command:
				XcmCommand::DryRun { url, origin, transfer_to, amount, program, call, json: as_json },
		} => {
			let conn = Connection::connect(&url).await.map_err(|e| e.to_string())?;
			let report = xcm_dry_run(&conn, &origin, transfer_to, amount, program, call).await?;
			if as_json {
				println!("{}", json(&report));
			} else {
				print_table("", &report);
			}
		},
		Command::Xcm {
			command:
				XcmCommand::Transfer { url, to_chain, beneficiary, amount, suri_file, json: as_json },
		} => {
			let signer = signer_from(suri_file)?;
			let conn = Connection::connect(&url).await.map_err(|e| e.to_string())?;
			let amount = parse_amount(&amount)?;
			let beneficiary = account(&beneficiary)?;
			let to = tpchain_primitives::ChainId(to_chain);
			let (block, events, nonce) = conn
				.xcm_transfer(&signer, to, &beneficiary, amount)
				.await
				.map_err(|e| e.to_string())?;
			let fee = tpchain_client::fee_paid(&events);
			let report = serde_json::json!({
				"toChain": to_chain,
				"nonce": nonce,
				"amount": format_balance(amount),
				"block": format!("{block:?}"),
				"fee": format_balance(fee),
			});
			if as_json {
				println!("{}", json(&report));
			} else {
				print_table("", &report);
			}
		},
		Command::Xcm {
			command: XcmCommand::Status { url, target_url, to_chain, nonce, json: as_json },
		} => {
			let report = xcm_status(&url, target_url.as_deref(), to_chain, nonce).await?;
			if as_json {
				println!("{}", json(&report));
			} else {
				print_table("", &report);
			}
		},
		Command::Pay { command } => pay::run(command).await?,
		Command::Gov { command } => gov::run(command).await?,
		Command::Operator { command } => operator::run(command).await?,
		Command::Escrow { command } => escrow::run(command).await?,
		Command::Recovery { command } => recovery::run(command).await?,
		Command::Audit { command } => audit::run(command).await.map_err(|e| e.to_string())?,
		Command::Totals { url, account } => {
			let conn = Connection::connect(&url).await.map_err(|e| e.to_string())?;
			println!("{}", json(&conn.burn_totals(account).await.map_err(|e| e.to_string())?));
		},
	}
	Ok(())
}

/// The report `xcm status` prints.
async fn xcm_status(
	url: &str,
	target_url: Option<&str>,
	to_chain: u32,
	nonce: u64,
) -> Result<serde_json::Value, String> {
	let err = |e: tpchain_client::Error| e.to_string();
	let to = tpchain_primitives::ChainId(to_chain);
	let source = Connection::connect(url).await.map_err(err)?;
	let message = source.outbound_message(to, nonce, None).await.map_err(err)?;
	let Some(message) = message else {
		return Err(format!("no message {nonce} towards chain {to_chain}"));
	};
	let (finalized, _) = source.finalized().await.map_err(err)?;
	let mut report = serde_json::json!({
		"toChain": to_chain,
		"nonce": nonce,
		"value": format_balance(message.value),
		"valueUnits": message.value.to_string(),
		"block": message.block,
		"finalized": message.block <= finalized,
		"bytes": message.xcm.len(),
	});
	if let Some(target_url) = target_url {
		let target = Connection::connect(target_url).await.map_err(err)?;
		let from = source.chain_id().await.map_err(err)?;
		let delivered = target.message_delivered(from, nonce, None).await.map_err(err)?;
		report["delivered"] = serde_json::Value::Bool(delivered);
	}
	Ok(report)
}

/// The report `xcm dry-run` prints.
async fn xcm_dry_run(
	conn: &Connection,
	origin: &str,
	transfer_to: Option<String>,
	amount: Option<String>,
	program: Option<String>,
	call: Option<String>,
) -> Result<serde_json::Value, String> {
	use codec::Decode;
	use tpchain_client::xcm::{self as x, xcm::VersionedXcm};
	let err = |e: tpchain_client::Error| e.to_string();
	let origin = account(origin)?;
	let events =
		|events: &[x::EventValue]| events.iter().map(|e| e.to_string()).collect::<Vec<_>>();
	let quote_json = |q: &x::Quote| serde_json::json!({ "refTime": q.ref_time, "proofSize": q.proof_size, "fee": format_balance(q.fee), "feeUnits": q.fee.to_string() });
	if let Some(to) = transfer_to {
		let (to, amount) = (account(&to)?, parse_amount(&amount.unwrap_or_default())?);
		let probe = x::transfer_program(&to, amount, 1, Default::default());
		let quote = conn.xcm_quote(&probe).await.map_err(err)?;
		let program = x::transfer_program(&to, amount, quote.fee, quote.weight());
		let metadata = conn.metadata().await.map_err(err)?;
		let call =
			x::XcmCall::execute(&program, quote.weight()).call_data(&metadata).map_err(err)?;
		let run = conn.dry_run_call(&origin, &call).await.map_err(err)?;
		return Ok(serde_json::json!({
			"quote": quote_json(&quote),
			"call": format!("0x{}", hex::encode(&call)),
			"result": match &run.result { Ok(()) => "Ok".to_string(), Err(e) => e.clone() },
			"forwardedMessages": run.forwarded,
			"events": events(&run.events),
		}));
	}
	if let Some(program) = program {
		let bytes = scale_hex("program", &program)?;
		let versioned =
			VersionedXcm::<()>::decode(&mut &bytes[..]).map_err(|e| format!("program: {e}"))?;
		let program: x::xcm::latest::Xcm<()> =
			versioned.try_into().map_err(|()| "program: unsupported XCM version".to_string())?;
		let quote = conn.xcm_quote(&program).await.map_err(err)?;
		let run = conn.dry_run_xcm(x::account_location(&origin), &program).await.map_err(err)?;
		return Ok(serde_json::json!({
			"quote": quote_json(&quote),
			"outcome": run.outcome.to_string(),
			"events": events(&run.events),
		}));
	}
	let call = scale_hex("call", &call.ok_or("give --transfer-to, --program or --call")?)?;
	let run = conn.dry_run_call(&origin, &call).await.map_err(err)?;
	Ok(serde_json::json!({
		"result": match &run.result { Ok(()) => "Ok".to_string(), Err(e) => e.clone() },
		"forwardedMessages": run.forwarded,
		"events": events(&run.events),
	}))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
	match run(Cli::parse().command).await {
		Ok(()) => ExitCode::SUCCESS,
		Err(e) => {
			eprintln!("{e}");
			ExitCode::FAILURE
		},
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use tpchain_client::UNIT;

	#[test]
	fn amounts_parse_exactly() {
		assert_eq!(parse_amount("1.5"), Ok(UNIT + UNIT / 2));
		assert_eq!(parse_amount("2"), Ok(2 * UNIT));
		assert_eq!(parse_amount("1500u"), Ok(1500));
		assert_eq!(parse_amount("0.000000000001"), Ok(1));
		assert!(parse_amount("0.0000000000001").is_err());
		assert!(parse_amount("1.-5").is_err());
		assert!(parse_amount("abc").is_err());
	}

	#[test]
	fn byte_arguments_take_hex_or_text() {
		assert_eq!(bytes_arg("0x0102"), Ok(vec![1, 2]));
		assert_eq!(bytes_arg("INV"), Ok(b"INV".to_vec()));
		assert!(bytes_arg("0xzz").is_err());
	}
}
