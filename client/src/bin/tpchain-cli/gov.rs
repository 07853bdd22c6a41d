//! `tpchain-cli gov …`: governance participants list, read, propose, vote and tally.

use crate::common::{inline_or_file, scale_hex, show, show_rows, CliError, Query, Tx};
use clap::{Subcommand, ValueEnum};
use tpchain_client::{
	api,
	governance::{RuntimeCall, Track, Vote},
	json,
	subxt::ext::scale_decode::DecodeAsType,
	Connection,
};
use tpchain_primitives::governance::{
	json::ProposalJson, EntityStatus, ProposalId, Track as TrackKind, TrackParams,
};

/// A track on the command line.
#[derive(ValueEnum, Clone, Copy, PartialEq, Eq)]
pub enum TrackArg {
	/// Runtime upgrades (⅔ of the entities).
	RuntimeUpgrade,
	/// Admitting, suspending, removing entities (⅔).
	Membership,
	/// Limits, thresholds, registries (more than ½).
	Parameters,
	/// Pauses, effective at once, expiring unless ratified (more than ½).
	Emergency,
}

impl TrackArg {
	fn kind(self) -> TrackKind {
		match self {
			TrackArg::RuntimeUpgrade => TrackKind::RuntimeUpgrade,
			TrackArg::Membership => TrackKind::Membership,
			TrackArg::Parameters => TrackKind::Parameters,
			TrackArg::Emergency => TrackKind::Emergency,
		}
	}

	fn track(self) -> Track {
		match self {
			TrackArg::RuntimeUpgrade => Track::RuntimeUpgrade,
			TrackArg::Membership => Track::Membership,
			TrackArg::Parameters => Track::Parameters,
			TrackArg::Emergency => Track::Emergency,
		}
	}
}

/// A vote on the command line.
#[derive(ValueEnum, Clone, Copy)]
pub enum VoteArg {
	/// For.
	Aye,
	/// Against.
	Nay,
	/// Counts towards the quorum only.
	Abstain,
}

/// A proposal's status on the command line.
#[derive(ValueEnum, Clone, Copy)]
pub enum StatusArg {
	Voting,
	Approved,
	Rejected,
	Cancelled,
	Executed,
}

#[derive(Subcommand)]
pub enum GovCommand {
	/// List proposals, optionally only those with a status or on a track.
	Proposals {
		#[command(flatten)]
		q: Query,
		/// Only proposals with this status.
		#[arg(long, value_enum)]
		status: Option<StatusArg>,
		/// Only proposals on this track.
		#[arg(long, value_enum)]
		track: Option<TrackArg>,
	},
	/// One proposal: the call decoded, the tally and every vote.
	Show {
		#[command(flatten)]
		q: Query,
		/// Proposal id.
		id: ProposalId,
	},
	/// Propose a call on a track, as an entity's voting account.
	Propose {
		#[command(flatten)]
		tx: Tx,
		/// The track.
		#[arg(long, value_enum)]
		track: TrackArg,
		/// The call as JSON, `{"pallet":"Operators","call":"suspend","args":{"entity":3}}`,
		/// or `@FILE` holding it.
		#[arg(long, required_unless_present = "call_hex", conflicts_with = "call_hex")]
		call: Option<String>,
		/// The call as SCALE hex (pallet index, call index, arguments).
		#[arg(long)]
		call_hex: Option<String>,
	},
	/// Vote on a proposal for the signer's entity.
	Vote {
		#[command(flatten)]
		tx: Tx,
		/// Proposal id.
		id: ProposalId,
		/// The vote.
		#[arg(value_enum)]
		vote: VoteArg,
	},
	/// Where a proposal stands against its track's approval and quorum.
	Tally {
		#[command(flatten)]
		q: Query,
		/// Proposal id.
		id: ProposalId,
	},
}

pub async fn run(command: GovCommand) -> Result<(), CliError> {
	match command {
		GovCommand::Proposals { q, status, track } => {
			let conn = q.connect().await?;
			let metadata = conn.metadata().await?;
			let status =
				status.and_then(|s| s.to_possible_value()).map(|v| v.get_name().to_string());
			let mut rows = Vec::new();
			let mut from = 0;
			loop {
				let page = conn.governance_proposals(Some(from), Some(256)).await?;
				let Some(last) = page.last().map(|p| p.id) else { break };
				for p in page {
					if status.as_ref().is_some_and(|s| *s != p.status)
						|| track.is_some_and(|t| t.kind() != p.track)
					{
						continue;
					}
					rows.push(summary(&metadata, &p));
				}
				from = last + 1;
			}
			show_rows(
				q.json,
				&[
					"id",
					"track",
					"status",
					"statusAt",
					"proposer",
					"call",
					"ayes",
					"nays",
					"abstentions",
				],
				rows,
			);
		},
		GovCommand::Show { q, id } => {
			let conn = q.connect().await?;
			let p = proposal(&conn, id).await?;
			let metadata = conn.metadata().await?;
			let mut out = serde_json::to_value(&p).map_err(|e| e.to_string())?;
			out["decodedCall"] = json::decode_call(&metadata, &p.call.0)?;
			if let Some(error) = &p.error {
				let ty = metadata.dispatch_error_ty().ok_or_else(|| {
					CliError::Input("no DispatchError type in the metadata".into())
				})?;
				let e = api::runtime_types::sp_runtime::DispatchError::decode_as_type(
					&mut &error.0[..],
					ty,
					metadata.types(),
				)
				.map_err(|e| format!("proposal error: {e}"))?;
				out["error"] = serde_json::to_value(conn.describe(&e).await?).unwrap_or_default();
			}
			out["votes"] =
				serde_json::to_value(conn.governance_votes(id).await?).unwrap_or_default();
			show(q.json, &out);
		},
		GovCommand::Propose { tx, track, call, call_hex } => {
			let conn = Connection::connect(&tx.url).await?;
			let metadata = conn.metadata().await?;
			let bytes = match (call, call_hex) {
				(Some(text), _) => {
					let value: serde_json::Value = serde_json::from_str(&inline_or_file(&text)?)
						.map_err(|e| format!("--call: {e}"))?;
					json::encode_call(&metadata, &value)?
				},
				(None, Some(hex)) => scale_hex("--call-hex", &hex)?,
				(None, None) => return Err(CliError::Input("give --call or --call-hex".into())),
			};
			let decoded = RuntimeCall::decode_as_type(
				&mut &bytes[..],
				metadata.outer_enums().call_enum_ty(),
				metadata.types(),
			)
			.map_err(|e| format!("the call does not decode as this runtime's call: {e}"))?;
			let signer = tx.signer()?;
			let report = tx
				.submit_with(
					&conn,
					&signer,
					&api::transactions().governance().propose(track.track(), decoded),
				)
				.await?;
			let id = report.event("Governance", "Proposed").and_then(|e| e["proposal"].as_u64());
			tx.print(serde_json::json!({ "proposal": id, "track": track.kind(), "call": json::decode_call(&metadata, &bytes)? }), &report);
		},
		GovCommand::Vote { tx, id, vote } => {
			let vote = match vote {
				VoteArg::Aye => Vote::Aye,
				VoteArg::Nay => Vote::Nay,
				VoteArg::Abstain => Vote::Abstain,
			};
			let report = tx.submit(&api::transactions().governance().vote(id, vote)).await?;
			let voted = report.event("Governance", "Voted").cloned().unwrap_or_default();
			tx.print(serde_json::json!({ "proposal": id, "voted": voted }), &report);
		},
		GovCommand::Tally { q, id } => {
			let conn = q.connect().await?;
			let p = proposal(&conn, id).await?;
			let tracks = conn.governance_tracks().await?;
			let params = tracks
				.iter()
				.find(|(t, _)| *t == p.track)
				.map(|(_, params)| *params)
				.ok_or_else(|| CliError::NotFound(format!("track {:?}", p.track)))?;
			let active =
				conn.operators().await?.iter().filter(|e| e.status == EntityStatus::Active).count()
					as u32;
			show(q.json, &tally(&p, &params, active));
		},
	}
	Ok(())
}

async fn proposal(conn: &Connection, id: ProposalId) -> Result<ProposalJson, CliError> {
	conn.governance_proposal(id).await?.ok_or_else(|| CliError::NotFound(format!("proposal {id}")))
}

/// A list row: the call as `Pallet.call`.
fn summary(metadata: &tpchain_client::subxt::Metadata, p: &ProposalJson) -> serde_json::Value {
	let call = json::decode_call(metadata, &p.call.0)
		.map(|c| {
			format!("{}.{}", c["pallet"].as_str().unwrap_or("?"), c["call"].as_str().unwrap_or("?"))
		})
		.unwrap_or_else(|_| format!("0x{}", hex::encode(&p.call.0)));
	serde_json::json!({
		"id": p.id,
		"track": p.track,
		"status": p.status,
		"statusAt": p.status_at,
		"proposer": p.proposer,
		"call": call,
		"ayes": p.tally.ayes,
		"nays": p.tally.nays,
		"abstentions": p.tally.abstentions,
	})
}

/// The tally against the track: while voting, of the entities active now; once decided, of the
/// electorate at the decision.
fn tally(p: &ProposalJson, params: &TrackParams<u32>, active_now: u32) -> serde_json::Value {
	let electorate = if p.status == "voting" { active_now } else { p.electorate };
	let approval = params.approval.is_reached(p.tally.ayes, electorate);
	let quorum = params.quorum.is_reached(p.tally.turnout(), electorate);
	let share = |t: &tpchain_primitives::governance::Threshold| {
		format!("{} {}/{}", if t.strict { ">" } else { "≥" }, t.num, t.den)
	};
	serde_json::json!({
		"proposal": p.id,
		"track": p.track,
		"status": p.status,
		"ayes": p.tally.ayes,
		"nays": p.tally.nays,
		"abstentions": p.tally.abstentions,
		"electorate": electorate,
		"approval": share(&params.approval),
		"approvalReached": approval,
		"quorum": share(&params.quorum),
		"quorumReached": quorum,
		"passes": approval && quorum,
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use tpchain_primitives::governance::{Tally, Threshold};

	fn proposal(
		status: &str,
		ayes: u32,
		nays: u32,
		abstentions: u32,
		electorate: u32,
	) -> ProposalJson {
		serde_json::from_value(serde_json::json!({
			"id": 7, "track": "membership", "proposer": 0,
			"depositor": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "deposit": "0",
			"call": "0x00", "callHash": "0x00", "submittedAt": 1, "status": status, "statusAt": 9,
			"ok": null, "error": null,
			"tally": Tally { ayes, nays, abstentions }, "electorate": electorate,
			"expiresAt": null, "ratified": false,
		}))
		.unwrap()
	}

	#[test]
	fn two_thirds_of_four_needs_three_ayes() {
		let params = TrackParams {
			approval: Threshold::at_least(2, 3),
			quorum: Threshold::at_least(2, 3),
			voting_period: 10,
			enactment_delay: 0,
		};
		let t = tally(&proposal("voting", 2, 1, 0, 0), &params, 4);
		assert_eq!(
			(t["electorate"].clone(), t["approvalReached"].clone(), t["quorumReached"].clone()),
			(4.into(), false.into(), true.into())
		);
		let t = tally(&proposal("voting", 3, 0, 0, 0), &params, 4);
		assert_eq!(t["passes"], true);
		// Once decided, the electorate at the decision counts, not today's.
		let t = tally(&proposal("rejected", 3, 0, 0, 5), &params, 4);
		assert_eq!((t["electorate"].clone(), t["passes"].clone()), (5.into(), false.into()));
		assert_eq!(t["approval"], "≥ 2/3");
	}
}
