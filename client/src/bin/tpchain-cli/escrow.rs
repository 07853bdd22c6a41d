//! `tpchain-cli escrow …`: conditional payments with conditions written as readable JSON.

use crate::common::{
	account, bytes_arg, inline_or_file, parse_amount, show, show_rows, CliError, Query, Tx,
};
use clap::Subcommand;
use codec::Decode;
use tpchain_client::{api, escrow::Condition, format_balance, AccountId};
use tpchain_primitives::escrow::{readable::Readable, EscrowId};

#[derive(Subcommand)]
pub enum EscrowCommand {
	/// Create an escrow as its payer: the milestones' amounts are held on your account until
	/// released, refunded or resolved.
	Create {
		#[command(flatten)]
		tx: Tx,
		/// The payee (SS58).
		#[arg(long)]
		payee: String,
		/// A milestone `AMOUNT:CONDITION`, repeated in order: AMOUNT in tokens (`1.5`) or
		/// smallest units (`1500u`); CONDITION as JSON, e.g.
		/// `{"all":[{"afterBlock":100},{"approvals":{"of":["5Grw…","5FHn…"],"k":2}}]}`
		/// (leaves: afterBlock, afterTime (ms), preimage (0x BLAKE2-256), approvals {of, k},
		/// attested {oracle, statement}, "never"; combinators: all, any), or `AMOUNT:@FILE`.
		#[arg(long = "milestone", required = true)]
		milestones: Vec<String>,
		/// Blocks until the payer may take back what was not released.
		#[arg(long)]
		expires_in: u32,
		/// Arbiters who may resolve a dispute once the payee accepts them (SS58, repeated).
		#[arg(long = "arbiter")]
		arbiters: Vec<String>,
		/// Payment reference (text or 0x hex).
		#[arg(long, default_value = "")]
		reference: String,
	},
	/// An open escrow: parties, milestones with their conditions as readable JSON, state.
	Show {
		#[command(flatten)]
		q: Query,
		/// Escrow id.
		id: EscrowId,
	},
	/// The open escrows an account takes part in, with its role.
	Of {
		#[command(flatten)]
		q: Query,
		/// The account (SS58).
		account: String,
	},
	/// Approve a milestone (you must be listed in one of its `approvals`).
	Approve {
		#[command(flatten)]
		tx: Tx,
		/// Escrow id.
		id: EscrowId,
		/// Milestone index (from 0).
		milestone: u32,
	},
	/// Release a milestone whose condition holds (anyone may); pays the payee.
	Release {
		#[command(flatten)]
		tx: Tx,
		/// Escrow id.
		id: EscrowId,
		/// Milestone index (from 0).
		milestone: u32,
		/// The preimage a `preimage` leaf needs (text or 0x hex).
		#[arg(long)]
		preimage: Option<String>,
	},
	/// Dispute as payer or payee: expiry stops and only an arbiter's resolution moves the funds
	/// (posts the dispute bond).
	Dispute {
		#[command(flatten)]
		tx: Tx,
		/// Escrow id.
		id: EscrowId,
		/// Why (text).
		#[arg(long)]
		reason: String,
	},
	/// After expiry, return what was not released to the payer (anyone may).
	Refund {
		#[command(flatten)]
		tx: Tx,
		/// Escrow id.
		id: EscrowId,
	},
	/// As the payee, accept the arbiters the payer named.
	AcceptArbiters {
		#[command(flatten)]
		tx: Tx,
		/// Escrow id.
		id: EscrowId,
	},
}

type Milestone = api::runtime_types::pallet_escrow::types::Milestone<AccountId, u128>;

pub async fn run(command: EscrowCommand) -> Result<(), CliError> {
	let e = api::transactions().escrow();
	match command {
		EscrowCommand::Create { tx, payee, milestones, expires_in, arbiters, reference } => {
			let payee = account(&payee)?;
			let milestones =
				milestones.iter().map(|m| milestone(m)).collect::<Result<Vec<_>, _>>()?;
			let total: u128 = milestones.iter().map(|m| m.amount).fold(0, u128::saturating_add);
			let arbiters = arbiters.iter().map(|a| account(a)).collect::<Result<Vec<_>, _>>()?;
			let call = e.create(payee, milestones, expires_in, arbiters, bytes_arg(&reference)?);
			let report = tx.submit(&call).await?;
			let created = report.event("Escrow", "EscrowCreated").cloned().unwrap_or_default();
			tx.print(
				serde_json::json!({ "escrow": created["id"], "amount": format_balance(total), "expiresAt": created["expires_at"] }),
				&report,
			);
		},
		EscrowCommand::Show { q, id } => {
			let conn = q.connect().await?;
			let escrow = conn
				.escrow(id, None)
				.await?
				.ok_or_else(|| CliError::NotFound(format!("open escrow {id}")))?;
			let mut out = serde_json::to_value(&escrow).map_err(|e| e.to_string())?;
			for (i, m) in escrow.milestones.iter().enumerate() {
				let condition = tpchain_primitives::escrow::Condition::<
					tpchain_primitives::AccountId,
				>::decode(&mut &m.condition.0[..])
				.map_err(|e| format!("milestone {i} condition: {e}"))?;
				out["milestones"][i]["condition"] = match Readable::from_condition(&condition) {
					Some(r) => serde_json::to_value(r).map_err(|e| e.to_string())?,
					None => format!("0x{}", hex::encode(&m.condition.0)).into(),
				};
			}
			show(q.json, &out);
		},
		EscrowCommand::Of { q, account: who } => {
			account(&who)?;
			let rows = q
				.connect()
				.await?
				.escrows_of(&who)
				.await?
				.into_iter()
				.map(|p| serde_json::json!({ "id": p.id, "role": p.role }))
				.collect();
			show_rows(q.json, &["id", "role"], rows);
		},
		EscrowCommand::Approve { tx, id, milestone } => {
			let report = tx.submit(&e.approve(id, milestone)).await?;
			tx.print(
				serde_json::json!({ "escrow": id, "milestone": milestone, "approved": true }),
				&report,
			);
		},
		EscrowCommand::Release { tx, id, milestone, preimage } => {
			let preimage = preimage.as_deref().map(bytes_arg).transpose()?;
			let report = tx.submit(&e.release(id, milestone, preimage)).await?;
			let released = report.event("Escrow", "EscrowReleased").cloned().unwrap_or_default();
			tx.print(
				serde_json::json!({ "escrow": id, "milestone": milestone, "released": released }),
				&report,
			);
		},
		EscrowCommand::Dispute { tx, id, reason } => {
			let report = tx.submit(&e.dispute(id, reason.into_bytes())).await?;
			tx.print(serde_json::json!({ "escrow": id, "disputed": true }), &report);
		},
		EscrowCommand::Refund { tx, id } => {
			let report = tx.submit(&e.refund(id)).await?;
			let refunded = report.event("Escrow", "EscrowRefunded").cloned().unwrap_or_default();
			tx.print(serde_json::json!({ "escrow": id, "refunded": refunded }), &report);
		},
		EscrowCommand::AcceptArbiters { tx, id } => {
			let report = tx.submit(&e.accept_arbiters(id)).await?;
			tx.print(serde_json::json!({ "escrow": id, "arbitersAccepted": true }), &report);
		},
	}
	Ok(())
}

/// `AMOUNT:CONDITION` as a milestone.
fn milestone(spec: &str) -> Result<Milestone, CliError> {
	let (amount, condition) = spec
		.split_once(':')
		.ok_or_else(|| CliError::Input(format!("milestone {spec:?}: expected AMOUNT:CONDITION")))?;
	Ok(Milestone { amount: parse_amount(amount)?, condition: condition_arg(condition)? })
}

/// A readable condition (JSON or `@FILE`) as the runtime's flat tree, validated as the runtime
/// would validate it.
pub fn condition_arg(text: &str) -> Result<Condition<AccountId>, CliError> {
	let text = inline_or_file(text)?;
	let readable: Readable =
		serde_json::from_str(&text).map_err(|e| CliError::Input(format!("condition: {e}")))?;
	let flat = readable.to_condition().map_err(|e| CliError::Input(format!("condition: {e:?}")))?;
	Ok(tpchain_client::escrow::condition::from_primitives(&flat))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn milestones_parse_amount_and_readable_condition() {
		let bob = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
		let m = milestone(&format!(
			r#"1.5:{{"all":[{{"afterBlock":10}},{{"approvals":{{"of":["{bob}"],"k":1}}}}]}}"#
		))
		.unwrap();
		assert_eq!(m.amount, 1_500_000_000_000);
		assert_eq!(m.condition.nodes.0.len(), 3);
		assert!(matches!(milestone("5"), Err(CliError::Input(_))));
		let err = milestone(r#"5:{"any":[]}"#).err().unwrap().to_string();
		assert!(err.contains("EmptyCombinator"), "{err}");
	}
}
