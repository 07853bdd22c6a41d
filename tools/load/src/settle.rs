//! `--mode settlement`: payment instructions signed offline by the payers, settled in batches
//! of `--batch` by submitter accounts (as operators would), one `settle` extrinsic per batch.
//!
//! Each submitter (one per lane) carries its own payers, `--accounts / lanes` of them, in turn;
//! each pays the next account of the ring (so balances stay level and every payee exists) with
//! consecutive sequence numbers from `base`, above its window on chain (reruns never collide).
//! A batch names about `2 × accounts / lanes` distinct accounts: the lever of its cost.

use crate::{err, Signed};
use report::Kind;
use std::time::Instant;
use tpchain_client::{
	api,
	settlement::{account_of, sign, Expiry, PaymentInstruction, SettleCall, SignedInstruction},
	subxt::config::DefaultExtrinsicParamsBuilder as Params,
	subxt_signer::sr25519::Keypair,
	AccountId, Connection, Hash, TpchainConfig, UNIT,
};

use crate::report;

/// The runtime's sequence window: a base this far above a payer's floor is unused.
const WINDOW: u64 = 128;
/// The runtime's `MaxInstructions`.
pub const MAX_BATCH: usize = 1_024;

/// What to prepare.
pub struct Plan<'a> {
	/// `--seed`: submitters are `{seed}/submitter/{j}`.
	pub seed: &'a str,
	/// Instructions per batch.
	pub batch: usize,
	/// Submission lanes: one submitter each, so its nonces arrive in order.
	pub lanes: usize,
	/// Instructions.
	pub count: u64,
}

/// Signs `plan.count` instructions among `payers`, funds one submitter per lane for the fees,
/// and signs the `settle` extrinsics carrying them.
pub async fn prepare<C>(
	conn: &Connection,
	txs: &tpchain_client::subxt::transactions::TransactionsClient<TpchainConfig, C>,
	plan: &Plan<'_>,
	payers: &[Keypair],
	funder: &Keypair,
) -> Result<Vec<Signed>, String>
where
	C: tpchain_client::subxt::client::OnlineClientAtBlockT<TpchainConfig>,
{
	let (chain, genesis) = conn.settlement_domain().await.map_err(err)?;
	let ids: Vec<AccountId> = payers.iter().map(crate::account).collect();
	let bases = sequence_bases(conn, &ids).await?;
	let (best, _) = conn.best().await.map_err(err)?;
	let expiry = best.saturating_add(1_000_000);
	if payers.len() < plan.lanes {
		return Err(format!(
			"--mode settlement needs at least {} accounts (one per lane)",
			plan.lanes
		));
	}
	let shape = (plan.batch, plan.lanes);
	let instructions =
		sign_instructions(payers, &bases, plan.count, shape, chain, &genesis, expiry);

	let submitters: Vec<Keypair> = (0..plan.lanes)
		.map(|j| crate::keypair(&format!("{}/submitter/{j}", plan.seed)))
		.collect::<Result<_, _>>()?;
	let first = &instructions[..plan.batch.min(instructions.len())];
	let fee = crate::estimate_fee(txs, &submitters[0], &SettleCall::new(first))
		.await
		.map_err(|e| format!("fee: {e}"))?;
	let batches = plan.count.div_ceil(plan.batch as u64);
	let per_submitter = batches.div_ceil(submitters.len() as u64) + 1;
	let need = fee * u128::from(per_submitter) * 2 + UNIT;
	let mut short = Vec::new();
	let mut nonces = Vec::with_capacity(submitters.len());
	for k in &submitters {
		let id = crate::account(k);
		if conn.free_balance(&id, None).await.map_err(err)? < need {
			short.push(id);
		}
		nonces.push(conn.rpc.system_account_next_index(&id).await.map_err(err)?);
	}
	if !short.is_empty() {
		eprintln!(
			"tpchain-load: funding {} submitters with {} each (fee {fee} per batch)",
			short.len(),
			tpchain_client::format_balance(need)
		);
		crate::fund(conn, funder, &short, need).await?;
	}
	let signing = Instant::now();
	let signed = sign_batches(txs, &instructions, plan.batch, &submitters, &nonces, plan.lanes)?;
	eprintln!(
		"tpchain-load: {} settle extrinsics of up to {} signed in {:.1} s",
		signed.len(),
		plan.batch,
		signing.elapsed().as_secs_f64()
	);
	Ok(signed)
}
/// What each instruction pays (the smallest unit: the ring keeps every balance level).
pub const AMOUNT: u128 = 1;

/// The next sequence number free for each payer: above its window on chain.
pub async fn sequence_bases(conn: &Connection, ids: &[AccountId]) -> Result<Vec<u64>, String> {
	let at = conn.api.at_current_block().await.map_err(err)?;
	let entry = at.storage().entry(api::storage().settlement().payers()).map_err(err)?;
	let mut bases = Vec::with_capacity(ids.len());
	for id in ids {
		let state = entry.try_fetch((*id,)).await.map_err(err)?;
		// A payer with state may have settled numbers above its floor: start past the window.
		bases.push(match state {
			Some(v) => v.decode().map_err(err)?.floor + WINDOW,
			None => 0,
		});
	}
	Ok(bases)
}

/// Where instruction `k` goes: payer `a` and its sequence offset. Batch `e = k / batch` is
/// submitter `j = e % submitters`'s, and a submitter carries only its own payers (`a % S == j`),
/// so each payer's instructions travel in one nonce-ordered stream: batches of different
/// submitters may be included in any order without a payer's window skipping ahead.
fn place(k: u64, payers: u64, batch: u64, submitters: u64) -> (usize, u64) {
	let (e, pos) = (k / batch, k % batch);
	let (j, round) = (e % submitters, e / submitters);
	let i = round * batch + pos;
	let group = (payers - j).div_ceil(submitters);
	((j + (i % group) * submitters) as usize, i / group)
}

/// Signs `count` instructions among `payers` for network `(chain, genesis)`, in parallel, in
/// the order of the batches that carry them.
pub fn sign_instructions(
	payers: &[Keypair],
	bases: &[u64],
	count: u64,
	(batch, submitters): (usize, usize),
	chain: tpchain_primitives::ChainId,
	genesis: &tpchain_primitives::Hash,
	expiry: u32,
) -> Vec<SignedInstruction> {
	let n = payers.len() as u64;
	let ids: Vec<_> = payers.iter().map(account_of).collect();
	let one = |k: u64| {
		let (a, offset) = place(k, n, batch as u64, submitters as u64);
		let instruction = PaymentInstruction {
			payer: ids[a].clone(),
			payee: ids[(a + 1) % ids.len()].clone(),
			amount: AMOUNT,
			sequence: bases[a] + offset,
			expiry: Expiry::Block(expiry),
			reference: (k as u128).to_le_bytes(),
		};
		sign(&payers[a], chain, genesis, instruction)
	};
	let threads = std::thread::available_parallelism().map_or(1, |p| p.get());
	let started = Instant::now();
	let out = crate::on_all_cores(count, one);
	let secs = started.elapsed().as_secs_f64();
	eprintln!(
		"tpchain-load: signed {count} instructions offline in {secs:.1} s on {threads} threads \
		 ({:.1} µs each per thread)",
		secs * 1e6 * threads as f64 / count.max(1) as f64
	);
	out
}

/// Wraps `instructions` in `settle` extrinsics of `batch` each, submitter `e % S` signing
/// batch `e` with its next nonce; lane = the submitter's.
pub fn sign_batches<C>(
	txs: &tpchain_client::subxt::transactions::TransactionsClient<TpchainConfig, C>,
	instructions: &[SignedInstruction],
	batch: usize,
	submitters: &[Keypair],
	nonces: &[u64],
	lanes: usize,
) -> Result<Vec<Signed>, String>
where
	C: tpchain_client::subxt::client::OnlineClientAtBlockT<TpchainConfig>,
{
	instructions
		.chunks(batch)
		.enumerate()
		.map(|(e, chunk)| {
			let j = e % submitters.len();
			let nonce = nonces[j] + (e / submitters.len()) as u64;
			let params = Params::<TpchainConfig>::new().nonce(nonce).build();
			let (hash, bytes): (Hash, Vec<u8>) =
				crate::sign_offline(txs, &SettleCall::new(chunk), params, &submitters[j])?;
			Ok(Signed { hash, bytes, lane: j % lanes, kind: Kind::Instruction })
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::place;
	use std::collections::HashMap;

	#[test]
	fn each_payer_stays_with_one_submitter_in_sequence_order() {
		let (payers, batch, submitters) = (10u64, 4u64, 3u64);
		let mut next: HashMap<usize, u64> = HashMap::new();
		let mut owner: HashMap<usize, u64> = HashMap::new();
		for k in 0..600 {
			let (a, offset) = place(k, payers, batch, submitters);
			let j = (k / batch) % submitters;
			assert_eq!(*owner.entry(a).or_insert(j), j, "payer {a} moved submitter");
			assert_eq!(a as u64 % submitters, j);
			let expected = next.entry(a).or_insert(0);
			assert_eq!(offset, *expected, "payer {a}: sequences in order, none skipped");
			*expected += 1;
		}
		assert_eq!(next.len(), payers as usize, "every payer pays");
	}
}
