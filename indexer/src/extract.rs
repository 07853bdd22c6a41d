//! One finalized block, fetched over JSON-RPC and turned into rows: the block, its extrinsics
//! (signer, call, success, fee), every event (fields as JSON) and the domain records auditors
//! ask for, plus what the block did to the supply.
//!
//! Domain events are decoded with the SDK's typed metadata: a block whose events no longer
//! decode (a runtime this indexer was not built for) is an error, not a silent gap.

use crate::supply::SupplyDelta;
use serde_json::Value as Json;
use tpchain_client::json;
use tpchain_client::{
	api, subxt::events::Phase, subxt::ext::scale_value::Composite, sx, AccountId, Balance,
	Connection, Error as ClientError, Hash,
};

/// Errors of fetching and decoding a block.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
	/// The node did not answer, or answered something the SDK could not read.
	#[error("block {block}: {source}")]
	Client {
		/// Block number.
		block: u32,
		/// What went wrong.
		source: ClientError,
	},
	/// The node has no block at this height.
	#[error("the node has no block {0}")]
	NoBlock(u32),
}

/// An extrinsic's row.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtrinsicRow {
	/// Index in the block.
	pub idx: u32,
	/// `0x…` BLAKE2-256 of its bytes.
	pub hash: String,
	/// SS58 signer (none for inherents).
	pub signer: Option<String>,
	/// Pallet name.
	pub pallet: String,
	/// Call name.
	pub call: String,
	/// Whether it succeeded.
	pub success: bool,
	/// The error (`Pallet.Error` for module errors) if it failed.
	pub error: Option<String>,
	/// Fee paid (its `TransactionFeePaid`; 0 for inherents).
	pub fee: Balance,
}

/// An event's row.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
	/// Index in the block.
	pub idx: u32,
	/// Extrinsic that emitted it, if any.
	pub extrinsic: Option<u32>,
	/// `initialization`, `extrinsic` or `finalization`.
	pub phase: &'static str,
	/// Pallet name.
	pub pallet: String,
	/// Event name.
	pub name: String,
	/// Its fields.
	pub fields: Json,
}

/// Where a domain record came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct At {
	/// Event index in the block.
	pub event: u32,
	/// Extrinsic index, if the event came from one.
	pub extrinsic: Option<u32>,
}

/// A domain record (one row of a domain table, or a change to one).
#[derive(Clone, Debug, PartialEq)]
pub enum Record {
	/// `Balances.Transfer`.
	Transfer { at: At, from: String, to: String, amount: Balance },
	/// A burn or a large-burn request's step (`kind`: burned, requested, approved, rejected,
	/// cancelled).
	Burn {
		at: At,
		kind: &'static str,
		burn_id: Option<u64>,
		request: Option<u64>,
		account: Option<String>,
		amount: Option<Balance>,
		destination: Option<u32>,
		beneficiary: Option<String>,
		reference: Option<String>,
	},
	/// A new escrow.
	EscrowCreated {
		at: At,
		id: u64,
		payer: String,
		payee: String,
		amount: Balance,
		milestones: u32,
		expires_at: u32,
		reference: String,
	},
	/// Something that happened to an escrow (`part` tells apart the rows of one event).
	Escrow {
		at: At,
		part: u32,
		id: u64,
		kind: &'static str,
		milestone: Option<u32>,
		account: Option<String>,
		amount: Option<Balance>,
		reference: Option<String>,
	},
	/// A guardian-recovery event.
	Recovery {
		at: At,
		kind: &'static str,
		account: String,
		other: Option<String>,
		amount: Option<Balance>,
		count: Option<u32>,
	},
	/// A governance proposal was made.
	Proposed { at: At, id: u32, track: String, proposer: u32, call_hash: String, voting_ends: u32 },
	/// A proposal's status changed (with the tally, when the event carries it).
	ProposalStatus { at: At, id: u32, status: &'static str, tally: Option<(u32, u32, u32)> },
	/// An entity voted.
	Vote { at: At, proposal: u32, entity: u32, vote: String },
	/// The validator set or an entity's keys changed (operators, session, GRANDPA).
	ValidatorChange {
		at: At,
		kind: &'static str,
		entity: Option<u32>,
		old: Option<String>,
		new: Option<String>,
		detail: Json,
	},
	/// A bridge mint, quarantine or message.
	Bridge {
		at: At,
		kind: &'static str,
		counterparty: u32,
		burn_id: Option<u64>,
		nonce: Option<u64>,
		quarantine_id: Option<u64>,
		account: Option<String>,
		amount: Balance,
	},
	/// A settlement batch.
	Batch {
		at: At,
		batch: u64,
		submitter: String,
		settled: u32,
		failed: u32,
		failures: Json,
		root: String,
	},
}

/// A block, ready to write.
#[derive(Clone, Debug)]
pub struct BlockData {
	/// Number.
	pub number: u32,
	/// Hash.
	pub hash: Hash,
	/// Parent's hash.
	pub parent: Hash,
	/// `Timestamp.set`'s value, if the block has one.
	pub timestamp_ms: Option<u64>,
	/// Runtime spec version.
	pub spec_version: u32,
	/// Extrinsics.
	pub extrinsics: Vec<ExtrinsicRow>,
	/// Events.
	pub events: Vec<EventRow>,
	/// Domain records.
	pub records: Vec<Record>,
	/// What the block did to the supply (message releases are resolved when writing).
	pub supply: SupplyDelta,
}

/// `0x…` hex of a hash.
pub fn hex_hash(h: &Hash) -> String {
	format!("0x{}", hex::encode(h.0))
}

/// An account in SS58 (the chain's generic prefix, as the SDK prints it).
pub fn ss58(a: &AccountId) -> String {
	a.to_string()
}

/// A payment reference as people wrote it: UTF-8 text if it is printable, else `0x…` hex.
pub fn reference(bytes: &[u8]) -> String {
	match std::str::from_utf8(bytes) {
		Ok(s) if !s.is_empty() && s.chars().all(|c| !c.is_control()) => s.to_string(),
		_ => format!("0x{}", hex::encode(bytes)),
	}
}

/// A burn's beneficiary: SS58 when it is a 32-byte account, else hex.
fn beneficiary(bytes: &[u8]) -> String {
	match <[u8; 32]>::try_from(bytes) {
		Ok(a) => ss58(&AccountId::from(a)),
		Err(_) => format!("0x{}", hex::encode(bytes)),
	}
}

/// A unit-like enum's name from its `Debug` form, in camelCase (`RuntimeUpgrade` → `runtimeUpgrade`).
fn camel<T: std::fmt::Debug>(v: &T) -> String {
	let s = format!("{v:?}");
	let mut c = s.chars();
	match c.next() {
		Some(f) => f.to_lowercase().chain(c).collect(),
		None => s,
	}
}

/// Fetches block `number` and extracts its rows.
pub async fn fetch(conn: &Connection, number: u32) -> Result<BlockData, ExtractError> {
	let client = |source| ExtractError::Client { block: number, source };
	let hash =
		conn.block_hash(number).await.map_err(client)?.ok_or(ExtractError::NoBlock(number))?;
	let block = conn
		.rpc
		.chain_get_block(Some(hash))
		.await
		.map_err(|e| client(sx(e)))?
		.ok_or(ExtractError::NoBlock(number))?;
	let at =
		conn.api.at_block_hash_and_number(hash, number as u64).await.map_err(|e| client(sx(e)))?;
	let bodies: Vec<Vec<u8>> = block.block.extrinsics.iter().map(|x| x.0.clone()).collect();
	let extrinsics = at.extrinsics().from_bytes(bodies).await;
	let events = at.events().fetch().await.map_err(|e| client(sx(e)))?;
	let metadata = at.metadata();

	let mut data = BlockData {
		number,
		hash,
		parent: block.block.header.parent_hash,
		timestamp_ms: None,
		spec_version: at.spec_version(),
		extrinsics: Vec::new(),
		events: Vec::new(),
		records: Vec::new(),
		supply: SupplyDelta::default(),
	};

	// Fees and outcomes come from each extrinsic's events.
	let mut fees = vec![0u128; extrinsics.len()];
	let mut outcome: Vec<(bool, Option<String>)> = vec![(true, None); extrinsics.len()];
	for ev in events.iter() {
		let ev = ev.map_err(|e| client(sx(e)))?;
		let (phase, extrinsic) = match ev.phase() {
			Phase::ApplyExtrinsic(i) => ("extrinsic", Some(i)),
			Phase::Initialization => ("initialization", None),
			Phase::Finalization => ("finalization", None),
		};
		let at = At { event: ev.index(), extrinsic };
		let fields = ev
			.decode_fields_unchecked_as::<Composite<()>>()
			.map(|c| json::composite(&c))
			.map_err(|e| client(sx(e)))?;
		if let Some(i) = extrinsic.map(|i| i as usize) {
			use api::{system::events as s, transaction_payment::events as tp};
			if let Some(e) = ev.decode_fields_as::<tp::TransactionFeePaid>() {
				if let Some(f) = fees.get_mut(i) {
					*f = f.saturating_add(e.map_err(|e| client(sx(e)))?.actual_fee);
				}
			} else if let Some(e) = ev.decode_fields_as::<s::ExtrinsicFailed>() {
				let e = e.map_err(|e| client(sx(e)))?;
				if let Some(o) = outcome.get_mut(i) {
					*o = (false, Some(dispatch_error(&metadata, &e.dispatch_error)));
				}
			}
		}
		data.supply.observe(&ev, &fields).map_err(client)?;
		records(&ev, at, &fields, &mut data.records).map_err(client)?;
		data.events.push(EventRow {
			idx: ev.index(),
			extrinsic,
			phase,
			pallet: ev.pallet_name().to_string(),
			name: ev.event_name().to_string(),
			fields,
		});
	}

	for xt in extrinsics.iter() {
		let xt = xt.map_err(|e| client(ClientError::Unexpected(e.to_string())))?;
		let idx = xt.index();
		if let Some(Ok(set)) = xt.decode_call_data_fields_as::<api::timestamp::calls::Set>() {
			data.timestamp_ms = Some(set.now);
		}
		let signer = xt.address_bytes().and_then(|a| match a {
			// MultiAddress::Id
			[0, rest @ ..] => <[u8; 32]>::try_from(rest).ok().map(|a| ss58(&AccountId::from(a))),
			_ => Some(format!("0x{}", hex::encode(a))),
		});
		let (success, error) = outcome.get(idx).cloned().unwrap_or((true, None));
		data.extrinsics.push(ExtrinsicRow {
			idx: idx as u32,
			hash: hex_hash(&xt.hash()),
			signer,
			pallet: xt.pallet_name().to_string(),
			call: xt.call_name().to_string(),
			success,
			error,
			fee: fees.get(idx).copied().unwrap_or(0),
		});
	}
	Ok(data)
}

/// `Pallet.Error` for a module error, the variant's name otherwise.
fn dispatch_error(
	metadata: &tpchain_client::subxt::Metadata,
	e: &api::runtime_types::sp_runtime::DispatchError,
) -> String {
	use api::runtime_types::sp_runtime::DispatchError;
	match e {
		DispatchError::Module(_) => tpchain_client::tx::describe_with(metadata, e).name(),
		other => camel(other),
	}
}

/// Decodes `E` from `ev` if it is that event.
macro_rules! decode {
	($ev:expr, $ty:ty) => {
		$ev.decode_fields_as::<$ty>().transpose().map_err(sx)?
	};
}

/// The domain records one event makes.
fn records(
	ev: &tpchain_client::subxt::events::Event<'_, tpchain_client::TpchainConfig>,
	at: At,
	fields: &Json,
	out: &mut Vec<Record>,
) -> Result<(), ClientError> {
	use api::{
		balances::events as bal, bridge::events as br, burn_proofs::events as bp,
		escrow::events as es, governance::events as gv, grandpa::events as gr,
		guardian_recovery::events as rc, operators::events as op, session::events as se,
		settlement::events as st,
	};
	match ev.pallet_name() {
		"Balances" => {
			if let Some(e) = decode!(ev, bal::Transfer) {
				out.push(Record::Transfer {
					at,
					from: ss58(&e.from),
					to: ss58(&e.to),
					amount: e.amount,
				});
			}
		},
		"BurnProofs" => {
			let burn = |kind,
			            burn_id,
			            request,
			            account: Option<&AccountId>,
			            amount,
			            destination,
			            beneficiary,
			            reference| Record::Burn {
				at,
				kind,
				burn_id,
				request,
				account: account.map(ss58),
				amount,
				destination,
				beneficiary,
				reference,
			};
			if let Some(e) = decode!(ev, bp::Burned) {
				out.push(burn(
					"burned",
					Some(e.id),
					None,
					Some(&e.burner),
					Some(e.amount),
					e.destination.map(|c| c.0),
					Some(beneficiary(&e.beneficiary.0)),
					Some(reference(&e.reference.0)),
				));
			} else if let Some(e) = decode!(ev, bp::BurnRequested) {
				out.push(burn(
					"requested",
					None,
					Some(e.request),
					Some(&e.burner),
					Some(e.amount),
					e.destination.map(|c| c.0),
					None,
					Some(reference(&e.reference.0)),
				));
			} else if let Some(e) = decode!(ev, bp::BurnApproved) {
				out.push(burn(
					"approved",
					Some(e.id),
					Some(e.request),
					None,
					None,
					None,
					None,
					None,
				));
			} else if let Some(e) = decode!(ev, bp::BurnRejected) {
				out.push(burn(
					"rejected",
					None,
					Some(e.request),
					Some(&e.burner),
					Some(e.amount),
					None,
					None,
					None,
				));
			} else if let Some(e) = decode!(ev, bp::BurnCancelled) {
				out.push(burn(
					"cancelled",
					None,
					Some(e.request),
					Some(&e.burner),
					Some(e.amount),
					None,
					None,
					None,
				));
			}
		},
		"Escrow" => {
			let row = |part,
			           id,
			           kind,
			           milestone,
			           account: Option<&AccountId>,
			           amount,
			           reference: Option<&[u8]>| Record::Escrow {
				at,
				part,
				id,
				kind,
				milestone,
				account: account.map(ss58),
				amount,
				reference: reference.map(self::reference),
			};
			if let Some(e) = decode!(ev, es::EscrowCreated) {
				out.push(Record::EscrowCreated {
					at,
					id: e.id,
					payer: ss58(&e.payer),
					payee: ss58(&e.payee),
					amount: e.amount,
					milestones: e.milestones,
					expires_at: e.expires_at,
					reference: reference(&e.reference.0),
				});
			} else if let Some(e) = decode!(ev, es::MilestoneApproved) {
				out.push(row(
					0,
					e.id,
					"milestone_approved",
					Some(e.milestone),
					Some(&e.by),
					None,
					None,
				));
			} else if let Some(e) = decode!(ev, es::StatementAttested) {
				out.push(row(0, e.id, "statement_attested", None, Some(&e.oracle), None, None));
			} else if let Some(e) = decode!(ev, es::ArbitersAccepted) {
				out.push(row(0, e.id, "arbiters_accepted", None, None, None, None));
			} else if let Some(e) = decode!(ev, es::EscrowReleased) {
				out.push(row(
					0,
					e.id,
					"released",
					Some(e.milestone),
					Some(&e.to),
					Some(e.amount),
					Some(&e.reference.0),
				));
			} else if let Some(e) = decode!(ev, es::EscrowRefunded) {
				out.push(row(
					0,
					e.id,
					"refunded",
					None,
					Some(&e.to),
					Some(e.amount),
					Some(&e.reference.0),
				));
			} else if let Some(e) = decode!(ev, es::CancelRequested) {
				out.push(row(0, e.id, "cancel_requested", None, Some(&e.by), None, None));
			} else if let Some(e) = decode!(ev, es::EscrowCancelled) {
				out.push(row(
					0,
					e.id,
					"cancelled",
					None,
					Some(&e.to),
					Some(e.amount),
					Some(&e.reference.0),
				));
			} else if let Some(e) = decode!(ev, es::EscrowDisputed) {
				out.push(row(
					0,
					e.id,
					"disputed",
					None,
					Some(&e.by),
					Some(e.bond),
					Some(&e.reference.0),
				));
			} else if let Some(e) = decode!(ev, es::EscrowResolved) {
				out.push(row(
					0,
					e.id,
					"resolved",
					None,
					Some(&e.payee),
					Some(e.to_payee),
					Some(&e.reference.0),
				));
				out.push(row(
					1,
					e.id,
					"resolved",
					None,
					Some(&e.payer),
					Some(e.to_payer),
					Some(&e.reference.0),
				));
				out.push(row(
					2,
					e.id,
					"bond_awarded",
					None,
					Some(&e.bond_to),
					None,
					Some(&e.reference.0),
				));
			}
		},
		"GuardianRecovery" => {
			let row = |kind, account: &AccountId, other: Option<&AccountId>, amount, count| {
				Record::Recovery {
					at,
					kind,
					account: ss58(account),
					other: other.map(ss58),
					amount,
					count,
				}
			};
			if let Some(e) = decode!(ev, rc::GuardiansSet) {
				out.push(row("guardians_set", &e.account, None, None, Some(e.threshold)));
			} else if let Some(e) = decode!(ev, rc::GuardianChangeScheduled) {
				out.push(row(
					"guardian_change_scheduled",
					&e.account,
					None,
					None,
					Some(e.effective_at),
				));
			} else if let Some(e) = decode!(ev, rc::GuardianChangeApplied) {
				out.push(row("guardian_change_applied", &e.account, None, None, None));
			} else if let Some(e) = decode!(ev, rc::GuardianChangeCancelled) {
				out.push(row("guardian_change_cancelled", &e.account, None, None, None));
			} else if let Some(e) = decode!(ev, rc::RecoveryInitiated) {
				out.push(row("initiated", &e.lost, Some(&e.new_account), Some(e.bond), None));
			} else if let Some(e) = decode!(ev, rc::RecoveryForced) {
				out.push(row("forced", &e.lost, Some(&e.new_account), None, None));
			} else if let Some(e) = decode!(ev, rc::RecoveryApproved) {
				out.push(row("approved", &e.lost, Some(&e.guardian), None, Some(e.approvals)));
			} else if let Some(e) = decode!(ev, rc::RecoveryFinalized) {
				out.push(row("finalized", &e.lost, Some(&e.new_account), None, None));
			} else if let Some(e) = decode!(ev, rc::RecoveryCancelled) {
				out.push(row("cancelled", &e.lost, None, Some(e.bond_to_owner), None));
			} else if let Some(e) = decode!(ev, rc::RecoveryClosed) {
				out.push(row("closed", &e.lost, None, Some(e.bond_to_owner), None));
			} else if let Some(e) = decode!(ev, rc::RecoveryObjected) {
				out.push(row("objected", &e.lost, Some(&e.guardian), None, Some(e.objections)));
			} else if let Some(e) = decode!(ev, rc::FreezeVoted) {
				out.push(row("freeze_voted", &e.account, Some(&e.guardian), None, Some(e.votes)));
			} else if let Some(e) = decode!(ev, rc::AccountFrozen) {
				out.push(row("frozen", &e.account, None, None, None));
			} else if let Some(e) = decode!(ev, rc::AccountUnfrozen) {
				out.push(row("unfrozen", &e.account, None, None, None));
			} else if let Some(e) = decode!(ev, rc::RecoveredCallDispatched) {
				out.push(row("call_dispatched", &e.lost, Some(&e.rescuer), None, None));
			}
		},
		"Governance" => {
			let status =
				|id,
				 status,
				 tally: Option<&api::runtime_types::tpchain_primitives::governance::Tally>| {
					Record::ProposalStatus {
						at,
						id,
						status,
						tally: tally.map(|t| (t.ayes, t.nays, t.abstentions)),
					}
				};
			if let Some(e) = decode!(ev, gv::Proposed) {
				out.push(Record::Proposed {
					at,
					id: e.proposal,
					track: camel(&e.track),
					proposer: e.proposer,
					call_hash: format!("0x{}", hex::encode(e.call_hash)),
					voting_ends: e.voting_ends,
				});
			} else if let Some(e) = decode!(ev, gv::Voted) {
				out.push(Record::Vote {
					at,
					proposal: e.proposal,
					entity: e.entity,
					vote: camel(&e.vote),
				});
			} else if let Some(e) = decode!(ev, gv::Approved) {
				out.push(status(e.proposal, "approved", Some(&e.tally)));
			} else if let Some(e) = decode!(ev, gv::Rejected) {
				out.push(status(e.proposal, "rejected", Some(&e.tally)));
			} else if let Some(e) = decode!(ev, gv::Executed) {
				out.push(status(
					e.proposal,
					if e.result.is_ok() { "executed" } else { "failed" },
					None,
				));
			} else if let Some(e) = decode!(ev, gv::Cancelled) {
				out.push(status(e.proposal, "cancelled", None));
			} else if let Some(e) = decode!(ev, gv::Ratified) {
				out.push(status(e.proposal, "ratified", None));
			} else if let Some(e) = decode!(ev, gv::EmergencyExpired) {
				out.push(status(e.proposal, "expired", None));
			} else if let Some(e) = decode!(ev, gv::EmergencySuperseded) {
				out.push(status(e.proposal, "superseded", None));
			}
		},
		"Operators" => {
			let change = |kind, entity, old: Option<&AccountId>, new: Option<&AccountId>| {
				Record::ValidatorChange {
					at,
					kind,
					entity,
					old: old.map(ss58),
					new: new.map(ss58),
					detail: fields.clone(),
				}
			};
			if let Some(e) = decode!(ev, op::EntityAdmitted) {
				out.push(change("entity_admitted", Some(e.entity), None, Some(&e.validator)));
			} else if let Some(e) = decode!(ev, op::EntitySuspended) {
				out.push(change("entity_suspended", Some(e.entity), None, None));
			} else if let Some(e) = decode!(ev, op::EntityReinstated) {
				out.push(change("entity_reinstated", Some(e.entity), None, None));
			} else if let Some(e) = decode!(ev, op::EntityRemoved) {
				out.push(change("entity_removed", Some(e.entity), None, None));
			} else if let Some(e) = decode!(ev, op::ValidatorChanged) {
				out.push(change("validator_changed", Some(e.entity), Some(&e.old), Some(&e.new)));
			} else if let Some(e) = decode!(ev, op::VotingKeyChanged) {
				out.push(change("voting_key_changed", Some(e.entity), Some(&e.old), Some(&e.new)));
			} else if let Some(e) = decode!(ev, op::NodeAdded) {
				out.push(change("node_added", Some(e.entity), None, None));
			} else if let Some(e) = decode!(ev, op::NodeRemoved) {
				out.push(change("node_removed", Some(e.entity), None, None));
			} else if decode!(ev, op::ValidatorSetPlanned).is_some() {
				out.push(change("set_planned", None, None, None));
			}
		},
		"Session" if ev.is::<se::NewSession>() => {
			out.push(Record::ValidatorChange {
				at,
				kind: "new_session",
				entity: None,
				old: None,
				new: None,
				detail: fields.clone(),
			});
		},
		"Grandpa" => {
			if let Some(e) = decode!(ev, gr::NewAuthorities) {
				out.push(Record::ValidatorChange {
					at,
					kind: "grandpa_authorities",
					entity: None,
					old: None,
					new: None,
					detail: serde_json::json!({ "authorities": e.authority_set.len() }),
				});
			}
		},
		"Bridge" => {
			let row = |kind,
			           counterparty: u32,
			           burn_id,
			           nonce,
			           quarantine_id,
			           account: Option<&AccountId>,
			           amount| Record::Bridge {
				at,
				kind,
				counterparty,
				burn_id,
				nonce,
				quarantine_id,
				account: account.map(ss58),
				amount,
			};
			if let Some(e) = decode!(ev, br::Minted) {
				out.push(row(
					"minted",
					e.counterparty.0,
					Some(e.burn_id),
					None,
					None,
					Some(&e.beneficiary),
					e.amount,
				));
			} else if let Some(e) = decode!(ev, br::MintQuarantined) {
				out.push(row(
					"quarantined",
					e.counterparty.0,
					Some(e.burn_id),
					None,
					Some(e.id),
					Some(&e.beneficiary),
					e.amount,
				));
			} else if let Some(e) = decode!(ev, br::QuarantineReleased) {
				out.push(row(
					"released",
					e.counterparty.0,
					Some(e.burn_id),
					None,
					Some(e.id),
					Some(&e.beneficiary),
					e.amount,
				));
			} else if let Some(e) = decode!(ev, br::QuarantineCancelled) {
				out.push(row(
					"cancelled",
					e.counterparty.0,
					Some(e.burn_id),
					None,
					Some(e.id),
					Some(&e.to),
					e.amount,
				));
			} else if let Some(e) = decode!(ev, br::MessageDelivered) {
				out.push(row(
					"message_delivered",
					e.counterparty.0,
					None,
					Some(e.nonce),
					None,
					None,
					e.value,
				));
			} else if let Some(e) = decode!(ev, br::MessageFailed) {
				out.push(row(
					"message_failed",
					e.counterparty.0,
					None,
					Some(e.nonce),
					None,
					None,
					e.value,
				));
			} else if let Some(e) = decode!(ev, br::MessageQuarantined) {
				out.push(row(
					"message_quarantined",
					e.counterparty.0,
					None,
					Some(e.nonce),
					Some(e.id),
					None,
					e.value,
				));
			} else if let Some(e) = decode!(ev, br::MessageCancelled) {
				out.push(row(
					"message_cancelled",
					e.counterparty.0,
					None,
					Some(e.nonce),
					Some(e.id),
					Some(&e.to),
					e.value,
				));
			}
		},
		"Settlement" => {
			if let Some(e) = decode!(ev, st::BatchSettled) {
				out.push(Record::Batch {
					at,
					batch: e.batch,
					submitter: ss58(&e.submitter),
					settled: e.settled,
					failed: e.failed.0.len() as u32,
					failures: fields.get("failed").cloned().unwrap_or(Json::Null),
					root: format!("0x{}", hex::encode(e.root.0)),
				});
			}
		},
		_ => {},
	}
	Ok(())
}
