//! Writing one block: its rows, its domain records and its supply, in one transaction, so a
//! crash leaves either the whole block or none of it.

use crate::{
	db::{int, opt_int, opt_text, text, DbError, Param, Store},
	extract::{hex_hash, BlockData, Record},
	supply::SupplyState,
};

fn amount(v: u128) -> Param {
	text(v.to_string())
}

fn opt_amount(v: Option<u128>) -> Param {
	opt_text(v.map(|v| v.to_string()))
}

fn ext(v: Option<u32>) -> Param {
	opt_int(v.map(i64::from))
}

/// Writes `block` and `supply` (the state after it) in the transaction the caller opened.
pub async fn rows(db: &mut Store, block: &BlockData, supply: &SupplyState) -> Result<(), DbError> {
	let n = int(block.number);
	db.execute(
		"INSERT INTO blocks (number, hash, parent_hash, timestamp_ms, spec_version, extrinsic_count, event_count) VALUES (?, ?, ?, ?, ?, ?, ?)",
		&[
			n.clone(),
			text(hex_hash(&block.hash)),
			text(hex_hash(&block.parent)),
			opt_int(block.timestamp_ms.map(|t| t as i64)),
			int(block.spec_version),
			int(block.extrinsics.len() as i64),
			int(block.events.len() as i64),
		],
	)
	.await?;

	let xts: Vec<Vec<Param>> = block
		.extrinsics
		.iter()
		.map(|x| {
			vec![
				n.clone(),
				int(x.idx),
				text(x.hash.clone()),
				opt_text(x.signer.clone()),
				text(x.pallet.clone()),
				text(x.call.clone()),
				Param::Bool(x.success),
				opt_text(x.error.clone()),
				amount(x.fee),
			]
		})
		.collect();
	db.insert(
		"extrinsics",
		&["block", "idx", "hash", "signer", "pallet", "call", "success", "error", "fee"],
		&xts,
		"",
	)
	.await?;

	let evs: Vec<Vec<Param>> = block
		.events
		.iter()
		.map(|e| {
			vec![
				n.clone(),
				int(e.idx),
				ext(e.extrinsic),
				text(e.phase),
				text(e.pallet.clone()),
				text(e.name.clone()),
				text(e.fields.to_string()),
			]
		})
		.collect();
	db.insert(
		"events",
		&["block", "idx", "extrinsic", "phase", "pallet", "name", "fields"],
		&evs,
		"",
	)
	.await?;

	let mut transfers = Vec::new();
	for r in &block.records {
		match r {
			Record::Transfer { at, from, to, amount: a } => transfers.push(vec![
				n.clone(),
				int(at.event),
				ext(at.extrinsic),
				text(from.clone()),
				text(to.clone()),
				amount(*a),
			]),
			Record::Burn {
				at,
				kind,
				burn_id,
				request,
				account,
				amount: a,
				destination,
				beneficiary,
				reference,
			} => {
				db.execute(
					"INSERT INTO burns (block, event, extrinsic, kind, burn_id, request, account, amount, destination, beneficiary, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					&[
						n.clone(),
						int(at.event),
						ext(at.extrinsic),
						text(*kind),
						opt_int(burn_id.map(|v| v as i64)),
						opt_int(request.map(|v| v as i64)),
						opt_text(account.clone()),
						opt_amount(*a),
						ext(*destination),
						opt_text(beneficiary.clone()),
						opt_text(reference.clone()),
					],
				)
				.await?;
			},
			Record::EscrowCreated {
				at,
				id,
				payer,
				payee,
				amount: a,
				milestones,
				expires_at,
				reference,
			} => {
				db.execute(
					"INSERT INTO escrows (id, payer, payee, amount, milestones, expires_at, reference, created_block, status, status_block) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'created', ?)",
					&[
						int(*id as i64),
						text(payer.clone()),
						text(payee.clone()),
						amount(*a),
						int(*milestones),
						int(*expires_at),
						text(reference.clone()),
						n.clone(),
						n.clone(),
					],
				)
				.await?;
				db.execute(
					"INSERT INTO escrow_events (block, event, part, extrinsic, escrow, kind, milestone, account, amount, reference) VALUES (?, ?, 0, ?, ?, 'created', NULL, ?, ?, ?)",
					&[n.clone(), int(at.event), ext(at.extrinsic), int(*id as i64), text(payer.clone()), amount(*a), text(reference.clone())],
				)
				.await?;
			},
			Record::Escrow { at, part, id, kind, milestone, account, amount: a, reference } => {
				db.execute(
					"INSERT INTO escrow_events (block, event, part, extrinsic, escrow, kind, milestone, account, amount, reference) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
					&[
						n.clone(),
						int(at.event),
						int(*part),
						ext(at.extrinsic),
						int(*id as i64),
						text(*kind),
						ext(*milestone),
						opt_text(account.clone()),
						opt_amount(*a),
						opt_text(reference.clone()),
					],
				)
				.await?;
				if *part == 0 {
					db.execute(
						"UPDATE escrows SET status = ?, status_block = ? WHERE id = ?",
						&[text(*kind), n.clone(), int(*id as i64)],
					)
					.await?;
				}
			},
			Record::Recovery { at, kind, account, other, amount: a, count } => {
				db.execute(
					"INSERT INTO recoveries (block, event, extrinsic, kind, account, other, amount, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
					&[n.clone(), int(at.event), ext(at.extrinsic), text(*kind), text(account.clone()), opt_text(other.clone()), opt_amount(*a), ext(*count)],
				)
				.await?;
			},
			Record::Proposed { id, track, proposer, call_hash, voting_ends, .. } => {
				db.execute(
					"INSERT INTO proposals (id, track, proposer, call_hash, voting_ends, proposed_block, status, status_block) VALUES (?, ?, ?, ?, ?, ?, 'voting', ?)",
					&[int(*id), text(track.clone()), int(*proposer), text(call_hash.clone()), int(*voting_ends), n.clone(), n.clone()],
				)
				.await?;
			},
			Record::ProposalStatus { id, status, tally, .. } => {
				let (a, y, s) = match tally {
					Some((a, y, s)) => (Some(*a), Some(*y), Some(*s)),
					None => (None, None, None),
				};
				db.execute(
					"UPDATE proposals SET status = ?, status_block = ?, ayes = COALESCE(?, ayes), nays = COALESCE(?, nays), abstentions = COALESCE(?, abstentions) WHERE id = ?",
					&[text(*status), n.clone(), ext(a), ext(y), ext(s), int(*id)],
				)
				.await?;
			},
			Record::Vote { at, proposal, entity, vote } => {
				db.execute(
					"INSERT INTO votes (block, event, extrinsic, proposal, entity, vote) VALUES (?, ?, ?, ?, ?, ?)",
					&[n.clone(), int(at.event), ext(at.extrinsic), int(*proposal), int(*entity), text(vote.clone())],
				)
				.await?;
			},
			Record::ValidatorChange { at, kind, entity, old, new, detail } => {
				db.execute(
					"INSERT INTO validator_changes (block, event, kind, entity, old_account, new_account, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
					&[n.clone(), int(at.event), text(*kind), ext(*entity), opt_text(old.clone()), opt_text(new.clone()), text(detail.to_string())],
				)
				.await?;
			},
			Record::Bridge {
				at,
				kind,
				counterparty,
				burn_id,
				nonce,
				quarantine_id,
				account,
				amount: a,
			} => {
				db.execute(
					"INSERT INTO bridge_events (block, event, kind, counterparty, burn_id, nonce, quarantine_id, account, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
					&[
						n.clone(),
						int(at.event),
						text(*kind),
						int(*counterparty),
						opt_int(burn_id.map(|v| v as i64)),
						opt_int(nonce.map(|v| v as i64)),
						opt_int(quarantine_id.map(|v| v as i64)),
						opt_text(account.clone()),
						amount(*a),
					],
				)
				.await?;
			},
			Record::Batch { at, batch, submitter, settled, failed, failures, root } => {
				db.execute(
					"INSERT INTO settlement_batches (block, event, extrinsic, batch, submitter, settled, failed, failures, root) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
					&[n.clone(), int(at.event), ext(at.extrinsic), int(*batch as i64), text(submitter.clone()), int(*settled), int(*failed), text(failures.to_string()), text(root.clone())],
				)
				.await?;
			},
		}
	}
	db.insert(
		"transfers",
		&["block", "event", "extrinsic", "from_account", "to_account", "amount"],
		&transfers,
		"",
	)
	.await?;
	supply_row(db, block.number, supply).await
}

/// Writes the supply after block `number`.
pub async fn supply_row(db: &mut Store, number: u32, s: &SupplyState) -> Result<(), DbError> {
	let map = crate::supply::decimal_map::to_json;
	db.execute(
		"INSERT INTO supply (block, total_issuance, free, held, held_by_reason, reserved, minted, minted_by_counterparty, burned, burned_by_destination, fees, dust, quarantined, quarantined_by_counterparty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		&[
			int(number),
			text(s.total_issuance.to_string()),
			text(s.free().to_string()),
			text(s.held_total().to_string()),
			text(map(&s.held)),
			text(s.reserved.to_string()),
			text(s.minted_total().to_string()),
			text(map(&s.minted)),
			text(s.burned.to_string()),
			text(map(&s.burned_by_destination)),
			text(s.fees.to_string()),
			text(s.dust.to_string()),
			text(s.quarantined_total().to_string()),
			text(map(&s.quarantined)),
		],
	)
	.await?;
	Ok(())
}

/// Reads the supply after block `number`, if the indexer holds it.
pub async fn read_supply(db: &mut Store, number: u32) -> Result<Option<SupplyState>, DbError> {
	let rows = db
		.query(
			"SELECT total_issuance, held_by_reason, reserved, minted_by_counterparty, burned, burned_by_destination, fees, dust, quarantined_by_counterparty FROM supply WHERE block = ?",
			&[int(number)],
		)
		.await?;
	let Some(r) = rows.first() else { return Ok(None) };
	let num = |i: usize| -> Result<i128, DbError> {
		r.text(i)?.parse().map_err(|_| DbError::Type { column: i, expected: "decimal" })
	};
	let map = |i: usize| {
		crate::supply::decimal_map::from_json(&r.text(i)?)
			.ok_or(DbError::Type { column: i, expected: "JSON object of decimals" })
	};
	Ok(Some(SupplyState {
		total_issuance: num(0)?,
		held: map(1)?,
		reserved: num(2)?,
		minted: map(3)?,
		burned: num(4)?,
		burned_by_destination: map(5)?,
		fees: num(6)?,
		dust: num(7)?,
		quarantined: map(8)?,
	}))
}
