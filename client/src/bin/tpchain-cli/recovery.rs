//! `tpchain-cli recovery …`: guardians, and recovering (or freezing) a lost account with them.

use crate::common::{account, show, CliError, Query, Tx};
use clap::Subcommand;
use tpchain_client::api;

#[derive(Subcommand)]
pub enum RecoveryCommand {
	/// Your guardians: set them, see an account's, apply or cancel a scheduled change.
	Guardians {
		#[command(subcommand)]
		command: GuardiansCommand,
	},
	/// Open the recovery of LOST to NEW (a guardian opens it free; anyone else posts a bond).
	Initiate {
		#[command(flatten)]
		tx: Tx,
		/// The lost account (SS58).
		lost: String,
		/// The account that takes it over (SS58).
		#[arg(long)]
		new_account: String,
	},
	/// As a guardian of LOST, approve its open recovery.
	Approve {
		#[command(flatten)]
		tx: Tx,
		/// The lost account (SS58).
		lost: String,
	},
	/// Once approved and the delay has passed, finalize the recovery of LOST (its new account
	/// may then act for it).
	Finalize {
		#[command(flatten)]
		tx: Tx,
		/// The lost account (SS58).
		lost: String,
	},
	/// As the owner of LOST, cancel a recovery you did not want.
	Cancel {
		#[command(flatten)]
		tx: Tx,
		/// The account (SS58).
		lost: String,
	},
	/// As a guardian, vote to freeze ACCOUNT (it freezes at the guardians' threshold).
	Freeze {
		#[command(flatten)]
		tx: Tx,
		/// The account (SS58).
		account: String,
	},
	/// As a guardian, vote to unfreeze ACCOUNT.
	Unfreeze {
		#[command(flatten)]
		tx: Tx,
		/// The account (SS58).
		account: String,
	},
	/// An account's guardians, scheduled change, freeze, and its open recovery.
	Status {
		#[command(flatten)]
		q: Query,
		/// The account (SS58).
		account: String,
	},
}

#[derive(Subcommand)]
pub enum GuardiansCommand {
	/// Set (or schedule a change of) your guardians; holds a deposit.
	Set {
		#[command(flatten)]
		tx: Tx,
		/// A guardian (SS58), repeated.
		#[arg(long = "guardian", required = true)]
		guardians: Vec<String>,
		/// Approvals a recovery needs.
		#[arg(long)]
		threshold: u32,
		/// Blocks between a recovery's approval and its finalization (the owner's window to
		/// cancel).
		#[arg(long)]
		delay: u32,
	},
	/// An account's guardian configuration.
	Show {
		#[command(flatten)]
		q: Query,
		/// The account (SS58).
		account: String,
	},
	/// Apply ACCOUNT's scheduled guardian change once it is due (anyone may).
	Apply {
		#[command(flatten)]
		tx: Tx,
		/// The account (SS58).
		account: String,
	},
}

pub async fn run(command: RecoveryCommand) -> Result<(), CliError> {
	let r = api::transactions().guardian_recovery();
	match command {
		RecoveryCommand::Guardians {
			command: GuardiansCommand::Set { tx, guardians, threshold, delay },
		} => {
			let mut list = guardians.iter().map(|g| account(g)).collect::<Result<Vec<_>, _>>()?;
			// The runtime takes them sorted and unique.
			list.sort();
			list.dedup();
			let report = tx.submit(&r.set_guardians(list.clone(), threshold, delay)).await?;
			let scheduled = report.event("GuardianRecovery", "GuardianChangeScheduled").is_some();
			tx.print(
				serde_json::json!({
					"guardians": list.iter().map(|a| a.to_string()).collect::<Vec<_>>(),
					"threshold": threshold,
					"delay": delay,
					"scheduled": scheduled,
				}),
				&report,
			);
		},
		RecoveryCommand::Guardians { command: GuardiansCommand::Show { q, account: who } } => {
			account(&who)?;
			let status = q.connect().await?.recovery_config(&who, None).await?;
			show(q.json, &serde_json::to_value(&status).map_err(|e| e.to_string())?);
		},
		RecoveryCommand::Guardians { command: GuardiansCommand::Apply { tx, account: who } } => {
			let report = tx.submit(&r.apply_guardian_change(account(&who)?)).await?;
			tx.print(serde_json::json!({ "account": who, "applied": true }), &report);
		},
		RecoveryCommand::Initiate { tx, lost, new_account } => {
			let report = tx.submit(&r.initiate(account(&lost)?, account(&new_account)?)).await?;
			let opened =
				report.event("GuardianRecovery", "RecoveryInitiated").cloned().unwrap_or_default();
			tx.print(
				serde_json::json!({ "lost": lost, "newAccount": new_account, "initiated": opened }),
				&report,
			);
		},
		RecoveryCommand::Approve { tx, lost } => {
			let report = tx.submit(&r.approve(account(&lost)?)).await?;
			let approvals = report
				.event("GuardianRecovery", "RecoveryApproved")
				.map(|e| e["approvals"].clone())
				.unwrap_or_default();
			tx.print(serde_json::json!({ "lost": lost, "approvals": approvals }), &report);
		},
		RecoveryCommand::Finalize { tx, lost } => {
			let report = tx.submit(&r.finalize(account(&lost)?)).await?;
			tx.print(serde_json::json!({ "lost": lost, "finalized": true }), &report);
		},
		RecoveryCommand::Cancel { tx, lost } => {
			let report = tx.submit(&r.cancel(account(&lost)?)).await?;
			tx.print(serde_json::json!({ "lost": lost, "cancelled": true }), &report);
		},
		RecoveryCommand::Freeze { tx, account: who } => {
			let report = tx.submit(&r.freeze(account(&who)?)).await?;
			let frozen = report.event("GuardianRecovery", "AccountFrozen").is_some();
			tx.print(serde_json::json!({ "account": who, "frozen": frozen }), &report);
		},
		RecoveryCommand::Unfreeze { tx, account: who } => {
			let report = tx.submit(&r.unfreeze(account(&who)?)).await?;
			let unfrozen = report.event("GuardianRecovery", "AccountUnfrozen").is_some();
			tx.print(serde_json::json!({ "account": who, "unfrozen": unfrozen }), &report);
		},
		RecoveryCommand::Status { q, account: who } => {
			account(&who)?;
			let conn = q.connect().await?;
			let config = conn.recovery_config(&who, None).await?;
			let active = conn.recovery_active(&who, None).await?;
			let out =
				serde_json::json!({ "account": who, "config": config, "activeRecovery": active });
			show(q.json, &out);
		},
	}
	Ok(())
}
