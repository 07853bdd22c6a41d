//! # tpchain-load
//!
//! Load generator for a tpchain network, as a client: JSON-RPC only, through the SDK.
//!
//! 1. Derives `--accounts` keys (`{seed}/{i}`), funds those short of what the run costs with
//!    `utility.batch_all` of transfers from `--funder`, and reads each account's next nonce.
//! 2. Pre-signs every transfer before the clock starts: account `i` sends to account `i + 1`
//!    (a ring, so no account is created and none is reaped), one nonce stream per account.
//! 3. Submits them (`author_submitExtrinsic`) at `--rate` per second, or as fast as the nodes
//!    accept with `--rate 0`, spread over the `--url` nodes (an account always uses the same
//!    node and connection, so its nonces arrive in order), `--connections` sockets per node with
//!    `--window` requests in flight each. At most `--max-pending` are submitted and not yet in
//!    a block: a pool over its limit evicts transactions it had accepted.
//! 4. Follows best and finalized blocks on the first node, matching extrinsic hashes: inclusion
//!    and finalization time of each transaction, and per block its count, weight and length.
//! 5. Stops after `--duration` seconds or `--count` transactions, waits up to `--drain` seconds
//!    for the rest to finalize, and prints the report (a table, and JSON with `--json`).
//!
//! With `--burn-percent` and `--escrow-percent` part of the pre-signed transactions are burns
//! (of the minimum amount) and escrow creations (one milestone to the next account, with a
//! condition that already holds); each creation, once final, is released by `{seed}/release`
//! (signed then, as its escrow id comes from the creation's event). Dispatch failures are then
//! looked up in the events of every block.
//!
//! With `--mode settlement` the unit is a payment instruction: the payers sign them offline
//! (timed), submitter accounts settle them in `settle` batches of `--batch`, and every count,
//! rate and latency of the report is per instruction (see `settle.rs`).
//!
//! A progress line goes to standard error every second.

mod report;
mod settle;

use clap::Parser;
use futures::{SinkExt, StreamExt};
use report::{BlockStat, Kind, Report, RunInfo, Tx};
use std::{
	collections::{BTreeMap, HashMap},
	sync::{Arc, Mutex},
	time::{Duration, Instant},
};
use tpchain_client::{
	api,
	subxt::{
		config::{substrate::BlakeTwo256, DefaultExtrinsicParamsBuilder as Params, Hasher},
		utils::MultiAddress,
	},
	subxt_signer::{sr25519::Keypair, SecretUri},
	AccountId, Balance, Connection, Error, Hash, TpchainConfig, UNIT,
};

#[derive(Parser, Debug)]
#[command(name = "tpchain-load", about = "Submits pre-signed transfers and measures finality")]
struct Args {
	/// WebSocket endpoints (repeat or comma-separate); blocks are followed on the first.
	#[arg(long = "url", value_delimiter = ',', default_value = "ws://127.0.0.1:9944")]
	urls: Vec<String>,
	/// Sending accounts.
	#[arg(long, default_value_t = 2_000)]
	accounts: u32,
	/// Target submissions per second; 0 submits as fast as the nodes accept.
	#[arg(long, default_value_t = 1_000)]
	rate: u32,
	/// Stop submitting after this many seconds.
	#[arg(long, default_value_t = 60)]
	duration: u64,
	/// Stop submitting after this many transactions (default: rate × duration, or with
	/// `--rate 0` 2,000 × duration, 6,000 × duration instructions with `--mode settlement`).
	#[arg(long)]
	count: Option<u64>,
	/// After submitting, wait at most this many seconds for the rest to finalize.
	#[arg(long, default_value_t = 30)]
	drain: u64,
	/// Secret URI of the account that funds the senders.
	#[arg(long, default_value = "//Alice")]
	funder: String,
	/// Secret URI prefix of the senders (`{seed}/{i}`).
	#[arg(long, default_value = "//load")]
	seed: String,
	/// WebSocket connections per node.
	#[arg(long, default_value_t = 4)]
	connections: usize,
	/// Requests in flight per connection.
	#[arg(long, default_value_t = 32)]
	window: usize,
	/// Write the report as JSON to this file.
	#[arg(long)]
	json: Option<std::path::PathBuf>,
	/// A name for the run, in the report.
	#[arg(long, default_value = "transfers")]
	label: String,
	/// Submit only while fewer than this many pre-signed extrinsics are neither included nor
	/// rejected (0: no limit). Keeps the load within what the node's pool holds: a pool over its
	/// limit evicts transactions it had accepted. Default: 6,000 transfers (under the default
	/// pool limit of 8,192, and more than two full blocks), or 64 `settle` batches (about six
	/// blocks' worth, 10 MB at 1,024 instructions each).
	#[arg(long)]
	max_pending: Option<u64>,
	/// Percentage of the transactions that are burns of the minimum amount.
	#[arg(long, default_value_t = 0)]
	burn_percent: u8,
	/// Percentage that create an escrow (each is then released: one more transaction).
	#[arg(long, default_value_t = 0)]
	escrow_percent: u8,
	/// What to submit: `transfers` (with the percentages above), or `settlement`: payment
	/// instructions in `settle` batches (`--rate`, `--count` count instructions).
	#[arg(long, value_enum, default_value_t = Mode::Transfers)]
	mode: Mode,
	/// Instructions per `settle` batch (`--mode settlement`).
	#[arg(long, default_value_t = 1_024)]
	batch: usize,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
	Transfers,
	Settlement,
}

/// The kind of pre-signed transaction `k`: `burn` and `escrow` out of every 100, spread evenly
/// (37 is prime to 100, so `k * 37 % 100` visits every residue once per 100 transactions).
fn kind_of(k: u64, burn: u8, escrow: u8) -> Kind {
	let r = (k * 37 % 100) as u8;
	if r < burn {
		Kind::Burn
	} else if r < burn.saturating_add(escrow) {
		Kind::EscrowCreate
	} else {
		Kind::Transfer
	}
}

/// `f(k)` for `k` in `0..count`, in order, computed on every core (pre-signing).
fn on_all_cores<T: Send>(count: u64, f: impl Fn(u64) -> T + Sync) -> Vec<T> {
	let threads = std::thread::available_parallelism().map_or(1, |p| p.get()) as u64;
	let chunk = count.div_ceil(threads);
	std::thread::scope(|s| {
		let handles: Vec<_> = (0..threads)
			.map(|t| {
				let f = &f;
				s.spawn(move || {
					(t * chunk..((t + 1) * chunk).min(count)).map(f).collect::<Vec<_>>()
				})
			})
			.collect();
		handles.into_iter().flat_map(|h| h.join().expect("signer thread")).collect()
	})
}

/// What each transfer moves (the smallest unit: the ring keeps every balance level).
const AMOUNT: Balance = 1;
/// Transfers per funding batch (well under a block's weight).
const FUND_BATCH: usize = 500;
/// The payment reference of this tool's burns and escrows.
const REFERENCE: &[u8] = b"tpchain-load";

fn keypair(uri: &str) -> Result<Keypair, String> {
	let parsed: SecretUri = uri.parse().map_err(|e| format!("secret URI {uri}: {e:?}"))?;
	Keypair::from_uri(&parsed).map_err(|e| format!("secret URI {uri}: {e:?}"))
}

fn account(k: &Keypair) -> AccountId {
	k.public_key().into()
}

fn err(e: impl std::fmt::Display) -> String {
	e.to_string()
}

/// A pre-signed extrinsic: one transaction, or a batch of `span` instructions.
struct Signed {
	bytes: Vec<u8>,
	hash: Hash,
	/// Index of the submission lane (node × connection) its account uses.
	lane: usize,
	kind: Kind,
}

/// Everything the submitters and the follower write.
#[derive(Default)]
struct State {
	/// `--max-pending` (0: no limit), in extrinsics.
	max_pending: u64,
	/// Units (transactions, or instructions) per extrinsic; 0 is read as 1.
	span: u32,
	txs: Vec<Tx>,
	/// Index into `txs` of an extrinsic's first unit, by extrinsic hash.
	by_hash: HashMap<Hash, u32>,
	/// Escrows created (and final) whose release is not signed yet.
	releases_due: u64,
	/// Transactions handed to a submitter, seen in a block, refused by a pool.
	sent: u64,
	included: u64,
	rejected: u64,
	errors: BTreeMap<String, u64>,
	/// Blocks seen: number, parent, this run's transactions in it, extrinsics, encoded length.
	blocks: HashMap<Hash, Seen>,
	finalized_blocks: Vec<BlockStat>,
	best: u32,
	finalized: (u32, Hash),
}

impl State {
	/// The units (indices into `txs`) of the extrinsic whose first unit is `k`.
	fn units(&self, k: u32) -> std::ops::Range<usize> {
		let end = (k as usize).saturating_add(self.span.max(1) as usize).min(self.txs.len());
		k as usize..end
	}

	/// Counts one more transaction sent if fewer than `max_pending` are neither in a block nor
	/// refused.
	fn try_send(&mut self) -> bool {
		let open = self.sent.saturating_sub(self.included + self.rejected);
		let ok = self.max_pending == 0 || open < self.max_pending;
		self.sent += u64::from(ok);
		ok
	}
}

struct Seen {
	number: u32,
	parent: Hash,
	/// This run's transactions in it: (extrinsic index, index into `txs`).
	ours: Vec<(u32, u32)>,
	extrinsics: usize,
	length: usize,
}

#[tokio::main]
async fn main() {
	if let Err(e) = run(Args::parse()).await {
		eprintln!("tpchain-load: {e}");
		std::process::exit(1);
	}
}

async fn run(args: Args) -> Result<(), String> {
	if args.accounts < 2 || args.urls.is_empty() || args.connections == 0 || args.window == 0 {
		return Err("need at least 2 accounts, 1 url, 1 connection and a window of 1".into());
	}
	if u16::from(args.burn_percent) + u16::from(args.escrow_percent) > 100 {
		return Err("--burn-percent and --escrow-percent add up to more than 100".into());
	}
	let settlement = args.mode == Mode::Settlement;
	if settlement && (args.burn_percent > 0 || args.escrow_percent > 0) {
		return Err("--mode settlement takes no --burn-percent or --escrow-percent".into());
	}
	if settlement && !(1..=settle::MAX_BATCH).contains(&args.batch) {
		return Err(format!("--batch must be 1..={}", settle::MAX_BATCH));
	}
	let mixed = args.burn_percent > 0 || args.escrow_percent > 0;
	let span = if settlement { args.batch as u32 } else { 1 };
	let unbounded = if args.mode == Mode::Settlement { 6_000 } else { 2_000 };
	let count = args.count.unwrap_or(
		args.duration * u64::from(args.rate.max(1)).max(if args.rate == 0 { unbounded } else { 0 }),
	);
	let setup = Connection::connect(&args.urls[0]).await.map_err(err)?;

	// Accounts, nonces, funding.
	eprintln!("tpchain-load: deriving {} accounts", args.accounts);
	let keys: Vec<Keypair> = (0..args.accounts)
		.map(|i| keypair(&format!("{}/{i}", args.seed)))
		.collect::<Result<_, _>>()?;
	let ids: Vec<AccountId> = keys.iter().map(account).collect();
	let per_account = count.div_ceil(u64::from(args.accounts));
	// One view of the chain for balances, fee, signing (metadata, genesis, versions) and limits.
	let at = setup.api.at_current_block().await.map_err(err)?;
	let txs_client = at.transactions();
	let min_burn = at.constants().entry(api::constants().burn_proofs().min_burn()).map_err(err)?;
	let deposit = at.constants().entry(api::constants().escrow().deposit_base()).map_err(err)?
		+ at.constants().entry(api::constants().escrow().deposit_per_milestone()).map_err(err)?;
	let fee = {
		let (to, fee) = (ids[1], |e| format!("fee: {e}"));
		let transfer = estimate_fee(&txs_client, &keys[0], &transfer(to)).await.map_err(fee)?;
		let burn = estimate_fee(&txs_client, &keys[0], &burn(min_burn)).await.map_err(fee)?;
		let create = estimate_fee(&txs_client, &keys[0], &create(to)).await.map_err(fee)?;
		let release = estimate_fee(&txs_client, &keys[0], &release(0)).await.map_err(fee)?;
		transfer.max(burn).max(create).max(release)
	};
	// Enough for every transaction at the dearest fee and amount, escrow deposits held
	// meanwhile, twice over (the ring returns transfers only when the previous account sends).
	let need =
		(fee + min_burn.max(AMOUNT) + deposit) * Balance::from(per_account as u32 + 1) * 2 + UNIT;
	let releaser = keypair(&format!("{}/release", args.seed))?;
	let releases = count * u64::from(args.escrow_percent) / 100 + 1;
	let releaser_need = fee * Balance::from(releases) * 2 + UNIT;
	let balances = fetch_all(&ids, |id| {
		let at = &at;
		async move {
			use tpchain_client::sx;
			let entry = at.storage().entry(api::storage().system().account()).map_err(sx)?;
			Ok(entry.fetch((id,)).await.map_err(sx)?.decode().map_err(sx)?.data.free)
		}
	})
	.await
	.map_err(err)?;
	let short: Vec<AccountId> =
		ids.iter().zip(&balances).filter(|(_, b)| **b < need).map(|(id, _)| *id).collect();
	if !short.is_empty() {
		eprintln!(
			"tpchain-load: funding {} accounts with {} each (fee {fee} per transfer)",
			short.len(),
			tpchain_client::format_balance(need)
		);
		fund(&setup, &keypair(&args.funder)?, &short, need).await?;
	}
	if args.escrow_percent > 0
		&& setup.free_balance(&account(&releaser), None).await.map_err(err)? < releaser_need
	{
		fund(&setup, &keypair(&args.funder)?, &[account(&releaser)], releaser_need).await?;
	}
	let nonces = fetch_all(&ids, |id| {
		let c = setup.clone();
		async move { c.rpc.system_account_next_index(&id).await.map_err(tpchain_client::sx) }
	})
	.await
	.map_err(err)?;

	// Pre-sign: transaction k is account k % N's (k / N)-th; or instructions, then batches.
	let lanes = args.urls.len() * args.connections;
	let signed: Vec<Signed> = if settlement {
		let funder = keypair(&args.funder)?;
		let plan = settle::Plan { seed: &args.seed, batch: args.batch, lanes, count };
		settle::prepare(&setup, &txs_client, &plan, &keys, &funder).await?
	} else {
		eprintln!("tpchain-load: signing {count} transactions");
		let signing = Instant::now();
		let n = u64::from(args.accounts);
		let sign = |k: u64| -> Result<Signed, String> {
			let a = (k % n) as usize;
			let to = ids[(a + 1) % ids.len()];
			let params = Params::<TpchainConfig>::new().nonce(nonces[a] + k / n).build();
			let kind = kind_of(k, args.burn_percent, args.escrow_percent);
			let (t, key) = (&txs_client, &keys[a]);
			let (hash, bytes) = match kind {
				Kind::Burn => sign_offline(t, &burn(min_burn), params, key),
				Kind::EscrowCreate => sign_offline(t, &create(to), params, key),
				_ => sign_offline(t, &transfer(to), params, key),
			}?;
			Ok(Signed { hash, bytes, lane: a % lanes, kind })
		};
		let signed = on_all_cores(count, sign).into_iter().collect::<Result<Vec<_>, _>>()?;
		eprintln!(
			"tpchain-load: signed in {:.1} s ({:.0}/s)",
			signing.elapsed().as_secs_f64(),
			count as f64 / signing.elapsed().as_secs_f64()
		);
		signed
	};
	let by_hash: HashMap<Hash, u32> =
		signed.iter().enumerate().map(|(e, s)| (s.hash, e as u32 * span)).collect();
	let txs = (0..count)
		.map(|k| Tx { kind: signed[(k / u64::from(span)) as usize].kind, ..Default::default() })
		.collect();
	let signed = Arc::new(signed);

	// Block limits, for fullness.
	let weights = at.constants().entry(api::constants().system().block_weights()).map_err(err)?;
	let length = at.constants().entry(api::constants().system().block_length()).map_err(err)?;
	let limits = Limits { weight: weights.max_block.ref_time, length: length.max.normal };

	// Run.
	let (fin, fin_hash) = setup.finalized().await.map_err(err)?;
	let state = Arc::new(Mutex::new(State {
		txs,
		by_hash,
		max_pending: args.max_pending.unwrap_or(if settlement { 64 } else { 6_000 }),
		span,
		finalized: (fin, fin_hash),
		best: fin,
		..Default::default()
	}));
	let start = Instant::now();
	let (release_tx, release_rx) = futures::channel::mpsc::unbounded::<u64>();
	let releasing = tokio::spawn(release_escrows(
		Connection::connect(&args.urls[0]).await.map_err(err)?,
		releaser,
		release_rx,
		state.clone(),
		start,
		args.window,
	));
	let follower = Follower {
		conn: setup.clone(),
		state: state.clone(),
		start,
		limits,
		events: mixed || settlement,
		releases: release_tx,
	};
	let follower = tokio::spawn(follower.run());
	let progress = tokio::spawn(progress(state.clone(), start));
	let mut senders = Vec::with_capacity(lanes);
	let mut lane_tasks = Vec::with_capacity(lanes);
	for url in &args.urls {
		for _ in 0..args.connections {
			let conn = Connection::connect(url).await.map_err(err)?;
			let (tx, rx) = futures::channel::mpsc::channel::<u32>(4 * args.window);
			senders.push(tx);
			let (signed, state, window) = (signed.clone(), state.clone(), args.window);
			lane_tasks.push(tokio::spawn(async move {
				rx.map(|k| {
					let (conn, signed) = (conn.clone(), signed.clone());
					async move {
						let at = start.elapsed();
						let r = conn.rpc.author_submit_extrinsic(&signed[k as usize].bytes).await;
						(k, at, r)
					}
				})
				.buffer_unordered(window)
				.for_each(|(e, at, r)| {
					let mut s = state.lock().expect("not poisoned");
					let ok = r.is_ok();
					for u in s.units(e * span) {
						s.txs[u].submitted = Some(at);
						s.txs[u].accepted = ok;
					}
					if let Err(e) = r {
						s.rejected += 1;
						*s.errors.entry(e.to_string()).or_default() += 1
					}
					futures::future::ready(())
				})
				.await
			}));
		}
	}
	let deadline = Duration::from_secs(args.duration);
	'submit: for (k, s) in signed.iter().enumerate() {
		while !state.lock().expect("not poisoned").try_send() {
			if start.elapsed() >= deadline {
				break 'submit;
			}
			tokio::time::sleep(Duration::from_millis(10)).await;
		}
		let now = start.elapsed();
		if now >= deadline {
			break;
		}
		if args.rate > 0 {
			let due =
				Duration::from_secs_f64((k as u64 * u64::from(span)) as f64 / f64::from(args.rate));
			if due > now {
				tokio::time::sleep(due - now).await;
			}
		}
		if senders[s.lane].send(k as u32).await.is_err() {
			return Err("a submission lane stopped".into());
		}
	}
	drop(senders);
	for t in lane_tasks {
		t.await.map_err(err)?;
	}
	let submit_time = start.elapsed();
	eprintln!("tpchain-load: submitted for {:.1} s; draining", submit_time.as_secs_f64());
	let drain_until = Instant::now() + Duration::from_secs(args.drain);
	while Instant::now() < drain_until {
		let waiting = {
			let s = state.lock().expect("not poisoned");
			s.releases_due > 0 || s.txs.iter().any(|t| t.accepted && t.finalized.is_none())
		};
		if !waiting {
			break;
		}
		tokio::time::sleep(Duration::from_millis(200)).await;
	}
	follower.abort();
	progress.abort();
	releasing.abort();
	let in_pool_at_end = in_pools(&args.urls, &state).await;

	let s = state.lock().expect("not poisoned");
	let mut blocks = s.finalized_blocks.clone();
	blocks.retain(|b| b.ours > 0);
	let info = RunInfo {
		label: args.label.clone(),
		nodes: args.urls.clone(),
		accounts: args.accounts,
		target_rate: args.rate,
		submit_time,
		in_pool_at_end,
	};
	let errors = s.errors.iter().map(|(e, n)| (e.clone(), *n)).collect();
	let report = Report::new(info, &s.txs, errors, blocks);
	print!("{}", report.table());
	if let Some(path) = &args.json {
		let json = serde_json::to_string_pretty(&report).map_err(err)?;
		std::fs::write(path, json).map_err(|e| format!("{}: {e}", path.display()))?;
	}
	Ok(())
}

fn transfer(to: AccountId) -> impl tpchain_client::subxt::tx::Payload {
	api::tx().balances().transfer_keep_alive(MultiAddress::Id(to), AMOUNT)
}

fn burn(amount: Balance) -> impl tpchain_client::subxt::tx::Payload {
	api::tx().burn_proofs().burn(amount, None, vec![], REFERENCE.to_vec())
}

/// An escrow of one milestone of [`AMOUNT`] to `to`, releasable at once (after block 0).
fn create(to: AccountId) -> impl tpchain_client::subxt::tx::Payload {
	use api::runtime_types::pallet_escrow::types::Milestone;
	use tpchain_client::escrow::{condition, Leaf};
	let milestone = Milestone { amount: AMOUNT, condition: condition::leaf(Leaf::AfterBlock(0)) };
	api::tx().escrow().create(to, vec![milestone], 1_000, vec![], REFERENCE.to_vec())
}

fn release(id: u64) -> impl tpchain_client::subxt::tx::Payload {
	api::tx().escrow().release(id, 0, None)
}

/// `call` signed by `key` with `params`: its hash and encoding.
fn sign_offline<C, P>(
	txs: &tpchain_client::subxt::transactions::TransactionsClient<TpchainConfig, C>,
	call: &P,
	params: tpchain_client::subxt::config::ParamsFor<TpchainConfig>,
	key: &Keypair,
) -> Result<(Hash, Vec<u8>), String>
where
	C: tpchain_client::subxt::client::OnlineClientAtBlockT<TpchainConfig>,
	P: tpchain_client::subxt::tx::Payload,
{
	let signed = txs.create_signable_offline(call, params).map_err(err)?.sign(key).map_err(err)?;
	Ok((signed.hash(), signed.into_encoded()))
}

/// The fee of `call` from `from` as the node estimates it.
async fn estimate_fee<C, P>(
	txs: &tpchain_client::subxt::transactions::TransactionsClient<TpchainConfig, C>,
	from: &Keypair,
	call: &P,
) -> Result<Balance, Error>
where
	C: tpchain_client::subxt::client::OnlineClientAtBlockT<TpchainConfig>,
	P: tpchain_client::subxt::tx::Payload,
{
	let mut txs = txs.clone();
	let params = Params::<TpchainConfig>::new().nonce(0).build();
	let signed = txs.create_signed(call, from, params).await.map_err(tpchain_client::sx)?;
	signed.partial_fee_estimate().await.map_err(tpchain_client::sx)
}

/// Signs and submits a release of each escrow id received, from `releaser` (its own nonce
/// stream, in order), registering each as a transaction of the run. Within `--max-pending`
/// like the rest; one the pool turns away for being full is offered again (for up to a
/// minute), as a refused nonce would hold up every later release.
async fn release_escrows(
	conn: Connection,
	releaser: Keypair,
	ids: futures::channel::mpsc::UnboundedReceiver<u64>,
	state: Arc<Mutex<State>>,
	start: Instant,
	window: usize,
) -> Result<(), Error> {
	use tpchain_client::sx;
	let mut nonce = conn.rpc.system_account_next_index(&account(&releaser)).await.map_err(sx)?;
	let txs = conn.api.at_current_block().await.map_err(sx)?.transactions();
	ids.map(|id| {
		let params = Params::<TpchainConfig>::new().nonce(nonce).build();
		nonce += 1;
		let signed = sign_offline(&txs, &release(id), params, &releaser);
		let (conn, state) = (conn.clone(), state.clone());
		async move {
			let (hash, bytes) = signed.map_err(Error::Unexpected)?;
			while !state.lock().expect("not poisoned").try_send() {
				tokio::time::sleep(Duration::from_millis(10)).await;
			}
			let k = {
				let mut s = state.lock().expect("not poisoned");
				let k = s.txs.len() as u32;
				s.txs.push(Tx {
					kind: Kind::EscrowRelease,
					submitted: Some(start.elapsed()),
					..Default::default()
				});
				s.by_hash.insert(hash, k);
				k
			};
			let mut tries = 0;
			let r = loop {
				let r = conn.rpc.author_submit_extrinsic(&bytes).await;
				// 1014: priority too low, 1016: immediately dropped; both mean "pool full".
				let full = r.as_ref().is_err_and(|e| {
					let e = e.to_string();
					e.contains("(1014)") || e.contains("(1016)")
				});
				if !full || tries == 120 {
					break r;
				}
				tries += 1;
				tokio::time::sleep(Duration::from_millis(500)).await;
			};
			let mut s = state.lock().expect("not poisoned");
			// Due until the pool answered: the drain must not end while one is on its way.
			s.releases_due = s.releases_due.saturating_sub(1);
			match r {
				Ok(_) => s.txs[k as usize].accepted = true,
				Err(e) => {
					s.rejected += 1;
					*s.errors.entry(e.to_string()).or_default() += 1
				},
			}
			Ok::<_, Error>(())
		}
	})
	.buffered(window)
	.for_each(|r| {
		if let Err(e) = r {
			eprintln!("tpchain-load: release: {e}");
		}
		futures::future::ready(())
	})
	.await;
	Ok(())
}

/// How many of this run's unfinalized transactions the nodes still hold as ready, or `None`
/// if a node did not answer (a pool of many thousands may exceed the RPC response limit).
async fn in_pools(urls: &[String], state: &Mutex<State>) -> Option<u64> {
	let mut pending = std::collections::HashSet::new();
	for url in urls {
		let conn = Connection::connect(url).await.ok()?;
		let xts: Result<Vec<String>, _> = conn
			.raw
			.request("author_pendingExtrinsics", tpchain_client::subxt::rpcs::rpc_params![])
			.await;
		match xts {
			Ok(xts) => pending.extend(xts.iter().filter_map(|x| {
				Some(BlakeTwo256.hash(&hex::decode(x.trim_start_matches("0x")).ok()?))
			})),
			Err(e) => {
				eprintln!("tpchain-load: pending extrinsics of {url}: {e}");
				return None;
			},
		}
	}
	let s = state.lock().expect("not poisoned");
	Some(
		pending
			.iter()
			.filter_map(|h| s.by_hash.get(h))
			.map(|k| s.units(*k).filter(|u| s.txs[*u].finalized.is_none()).count() as u64)
			.sum(),
	)
}

/// `f` for every account, 64 at a time, in order.
async fn fetch_all<T, F, Fut>(ids: &[AccountId], f: F) -> Result<Vec<T>, Error>
where
	F: Fn(AccountId) -> Fut,
	Fut: std::future::Future<Output = Result<T, Error>>,
{
	futures::stream::iter(ids.iter().map(|id| f(*id)))
		.buffered(64)
		.collect::<Vec<_>>()
		.await
		.into_iter()
		.collect()
}

/// Sends `amount` to each of `to` from `funder`, in batches, and waits for finality.
async fn fund(
	conn: &Connection,
	funder: &Keypair,
	to: &[AccountId],
	amount: Balance,
) -> Result<(), String> {
	use api::runtime_types::{
		pallet_balances::pallet::Call as Balances, tpchain_runtime::RuntimeCall,
	};
	let batches: Vec<_> = to
		.chunks(FUND_BATCH)
		.map(|chunk| {
			let calls = chunk
				.iter()
				.map(|who| {
					RuntimeCall::Balances(Balances::transfer_keep_alive {
						dest: MultiAddress::Id(*who),
						value: amount,
					})
				})
				.collect();
			api::tx().utility().batch_all(calls)
		})
		.collect();
	for (i, r) in conn.submit_all(funder, &batches).await.map_err(err)?.into_iter().enumerate() {
		r.map_err(|e| format!("funding batch {i}: {e}"))?;
	}
	Ok(())
}

#[derive(Clone, Copy)]
struct Limits {
	weight: u64,
	length: u32,
}

/// Follows best and finalized heads, timing inclusion and finality of this run's transactions.
struct Follower {
	conn: Connection,
	state: Arc<Mutex<State>>,
	start: Instant,
	limits: Limits,
	/// Read each block's events: dispatch failures, created escrows, skipped instructions.
	events: bool,
	/// Escrows to release.
	releases: futures::channel::mpsc::UnboundedSender<u64>,
}

impl Follower {
	async fn run(self) -> Result<(), Error> {
		let sx = tpchain_client::sx;
		let mut best = self.conn.rpc.chain_subscribe_new_heads().await.map_err(sx)?;
		let mut finalized = self.conn.rpc.chain_subscribe_finalized_heads().await.map_err(sx)?;
		loop {
			tokio::select! {
				Some(h) = best.next() => {
					let h = h.map_err(sx)?;
					self.see(tpchain_client::header_hash(&h)).await?;
					let mut s = self.state.lock().expect("not poisoned");
					s.best = s.best.max(h.number as u32);
				},
				Some(h) = finalized.next() => {
					let h = h.map_err(sx)?;
					self.finalize(tpchain_client::header_hash(&h)).await?;
				},
				else => return Ok(()),
			}
		}
	}

	/// Records block `hash` (and any unseen ancestors above the last finalized block).
	async fn see(&self, hash: Hash) -> Result<(), Error> {
		let (conn, state, start) = (&self.conn, &*self.state, self.start);
		let mut next = Some(hash);
		while let Some(hash) = next.take() {
			let floor = {
				let s = state.lock().expect("not poisoned");
				if s.blocks.contains_key(&hash) {
					return Ok(());
				}
				s.finalized.0
			};
			let block = conn
				.rpc
				.chain_get_block(Some(hash))
				.await
				.map_err(tpchain_client::sx)?
				.ok_or_else(|| Error::Unexpected(format!("no block {hash:?}")))?
				.block;
			let now = start.elapsed();
			let number = block.header.number as u32;
			let mut s = state.lock().expect("not poisoned");
			let ours: Vec<(u32, u32)> = block
				.extrinsics
				.iter()
				.enumerate()
				.filter_map(|(i, x)| Some((i as u32, *s.by_hash.get(&BlakeTwo256.hash(&x.0))?)))
				.collect();
			for (_, k) in &ours {
				if s.txs[*k as usize].included.is_none() {
					s.included += 1;
				}
				for u in s.units(*k) {
					s.txs[u].included.get_or_insert(now);
				}
			}
			s.blocks.insert(
				hash,
				Seen {
					number,
					parent: block.header.parent_hash,
					ours,
					extrinsics: block.extrinsics.len(),
					length: block.extrinsics.iter().map(|x| x.0.len()).sum(),
				},
			);
			if number > floor + 1 && !s.blocks.contains_key(&block.header.parent_hash) {
				next = Some(block.header.parent_hash);
			}
		}
		Ok(())
	}

	/// Marks the blocks from the last finalized one up to `hash` finalized.
	async fn finalize(&self, hash: Hash) -> Result<(), Error> {
		self.see(hash).await?;
		let (conn, state, start, limits) = (&self.conn, &*self.state, self.start, self.limits);
		// The newly finalized chain, newest first.
		let mut chain = Vec::new();
		{
			let s = state.lock().expect("not poisoned");
			let mut at = hash;
			while let Some(b) = s.blocks.get(&at) {
				if b.number <= s.finalized.0 {
					break;
				}
				chain.push(at);
				at = b.parent;
			}
		}
		let now = start.elapsed();
		for hash in chain.into_iter().rev() {
			let at = conn.api.at_block(hash).await.map_err(tpchain_client::sx)?;
			let weight = {
				let w = at
					.storage()
					.fetch(api::storage().system().block_weight(), ())
					.await
					.map_err(tpchain_client::sx)?
					.decode()
					.map_err(tpchain_client::sx)?;
				w.normal.ref_time + w.operational.ref_time + w.mandatory.ref_time
			};
			let outcomes = if self.events { Some(self.outcomes(&at).await?) } else { None };
			let mut s = state.lock().expect("not poisoned");
			let Some(b) = s.blocks.get(&hash) else { continue };
			let (number, ours, extrinsics, length) =
				(b.number, b.ours.clone(), b.extrinsics, b.length);
			if let Some(Outcomes { failed, created, skipped }) = outcomes {
				for (index, k) in &ours {
					let units = s.units(*k);
					for u in units.clone() {
						s.txs[u].failed |= failed.contains(index);
					}
					for pos in skipped.get(index).into_iter().flatten() {
						if let Some(u) = units.clone().nth(*pos as usize) {
							s.txs[u].failed = true;
						}
					}
					let tx = &s.txs[*k as usize];
					if tx.kind == Kind::EscrowCreate {
						if let Some(id) = created.get(index) {
							s.releases_due += 1;
							let _ = self.releases.unbounded_send(*id);
						}
					}
				}
			}
			let units: usize = ours.iter().map(|(_, k)| s.units(*k).len()).sum();
			let stat = BlockStat {
				number,
				extrinsics,
				ours: units,
				weight_percent: 100.0 * weight as f64 / limits.weight.max(1) as f64,
				length_percent: 100.0 * length as f64 / f64::from(limits.length.max(1)),
			};
			for (_, k) in ours {
				for u in s.units(k) {
					s.txs[u].finalized.get_or_insert(now);
				}
			}
			s.finalized_blocks.push(stat);
			s.finalized = (number, hash);
		}
		// Forget blocks at or below finality.
		let mut s = state.lock().expect("not poisoned");
		let floor = s.finalized.0;
		s.blocks.retain(|_, b| b.number + 1 >= floor);
		Ok(())
	}

	/// From a block's events, by extrinsic index: dispatch failures, escrows created,
	/// instructions a batch skipped.
	async fn outcomes(
		&self,
		at: &tpchain_client::subxt::OnlineClientAtBlock<TpchainConfig>,
	) -> Result<Outcomes, Error> {
		use tpchain_client::subxt::events::Phase;
		let sx = tpchain_client::sx;
		let events = at.events().fetch().await.map_err(sx)?;
		let mut out = Outcomes::default();
		for ev in events.iter() {
			let ev = ev.map_err(sx)?;
			let Phase::ApplyExtrinsic(i) = ev.phase() else { continue };
			if ev.is::<api::system::events::ExtrinsicFailed>() {
				out.failed.insert(i);
			} else if let Some(c) = ev.decode_fields_as::<api::escrow::events::EscrowCreated>() {
				let c = c.map_err(sx)?;
				if c.reference.0 == REFERENCE {
					out.created.insert(i, c.id);
				}
			} else if let Some(b) = ev.decode_fields_as::<api::settlement::events::BatchSettled>() {
				let b = b.map_err(sx)?;
				if !b.failed.0.is_empty() {
					out.skipped.insert(i, b.failed.0.iter().map(|(pos, _)| *pos).collect());
				}
			}
		}
		Ok(out)
	}
}

/// What a block's events say about this run's extrinsics, by extrinsic index.
#[derive(Default)]
struct Outcomes {
	/// Dispatch failed.
	failed: std::collections::HashSet<u32>,
	/// Escrow created, with its id.
	created: HashMap<u32, u64>,
	/// Positions of the instructions a `settle` batch skipped.
	skipped: HashMap<u32, Vec<u32>>,
}

/// Prints a progress line every second.
async fn progress(state: Arc<Mutex<State>>, start: Instant) {
	let mut last_submitted = 0;
	loop {
		tokio::time::sleep(Duration::from_secs(1)).await;
		let s = state.lock().expect("not poisoned");
		let (mut submitted, mut accepted, mut included, mut finalized) = (0, 0, 0, 0);
		for t in &s.txs {
			submitted += u64::from(t.submitted.is_some());
			accepted += u64::from(t.accepted);
			included += u64::from(t.included.is_some());
			finalized += u64::from(t.finalized.is_some());
		}
		eprintln!(
			"[{:>5.0} s] submitted {submitted} (+{}/s) accepted {accepted} rejected {} \
			 included {included} finalized {finalized}; best #{} finalized #{}",
			start.elapsed().as_secs_f64(),
			submitted - last_submitted,
			submitted - accepted,
			s.best,
			s.finalized.0,
		);
		last_submitted = submitted;
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn at_most_max_pending_are_open() {
		let mut s = State { max_pending: 2, ..Default::default() };
		assert!(s.try_send() && s.try_send());
		assert!(!s.try_send(), "two open");
		s.included += 1;
		assert!(s.try_send(), "one was included");
		s.rejected += 1;
		assert!(s.try_send(), "one was refused");
		assert!(!s.try_send());
		assert_eq!(s.sent, 4);
		let mut unlimited = State::default();
		assert!((0..10_000).all(|_| unlimited.try_send()));
	}

	#[test]
	fn kinds_follow_the_percentages_in_every_hundred() {
		for start in [0u64, 100, 12_345] {
			let mut counts = BTreeMap::new();
			for k in start..start + 100 {
				*counts.entry(kind_of(k, 10, 25)).or_insert(0) += 1;
			}
			assert_eq!(
				counts.into_iter().collect::<Vec<_>>(),
				vec![(Kind::Transfer, 65), (Kind::Burn, 10), (Kind::EscrowCreate, 25)]
			);
		}
		assert!((0..1000).all(|k| kind_of(k, 0, 0) == Kind::Transfer));
		assert!((0..1000).all(|k| kind_of(k, 100, 0) == Kind::Burn));
	}
}
