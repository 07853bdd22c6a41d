//! What a run measured, as a table and as JSON.

use serde::Serialize;
use std::time::Duration;

/// What a transaction does.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
	/// `Balances::transfer_keep_alive` to the next account of the ring.
	#[default]
	Transfer,
	/// `BurnProofs::burn` of the minimum amount.
	Burn,
	/// `Escrow::create` of one milestone to the next account, releasable at once.
	EscrowCreate,
	/// `Escrow::release` of an escrow this run created, signed once its creation was final.
	EscrowRelease,
	/// One payment instruction inside a `Settlement::settle` batch (`--mode settlement`).
	Instruction,
}

/// One submitted transaction: times since the run began.
#[derive(Clone, Copy, Default)]
pub struct Tx {
	pub kind: Kind,
	/// When its `author_submitExtrinsic` was sent.
	pub submitted: Option<Duration>,
	/// The pool accepted it.
	pub accepted: bool,
	/// First seen in a best block.
	pub included: Option<Duration>,
	/// Its block was finalized.
	pub finalized: Option<Duration>,
	/// Included, but its dispatch failed (`System::ExtrinsicFailed`; only looked up for mixed
	/// loads), or an instruction its batch skipped (`BatchSettled::failed`).
	pub failed: bool,
}

/// One block the run saw finalized.
#[derive(Clone, Serialize)]
pub struct BlockStat {
	/// Block number.
	pub number: u32,
	/// Extrinsics in the block (inherents included).
	pub extrinsics: usize,
	/// This run's transactions in it.
	pub ours: usize,
	/// Block weight (all classes, `ref_time`) as a percentage of the maximum.
	pub weight_percent: f64,
	/// Block length as a percentage of the maximum.
	pub length_percent: f64,
}

/// Latency percentiles in milliseconds.
#[derive(Serialize, Default)]
pub struct Latency {
	pub count: usize,
	pub p50_ms: u64,
	pub p90_ms: u64,
	pub p99_ms: u64,
	pub max_ms: u64,
}

impl Latency {
	fn of(mut samples: Vec<Duration>) -> Self {
		if samples.is_empty() {
			return Self::default();
		}
		samples.sort_unstable();
		let pick = |p: f64| {
			let idx = ((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1;
			samples[idx].as_millis() as u64
		};
		Self {
			count: samples.len(),
			p50_ms: pick(0.5),
			p90_ms: pick(0.9),
			p99_ms: pick(0.99),
			max_ms: pick(1.0),
		}
	}
}

/// Counts and finality latency of one kind of transaction.
#[derive(Serialize)]
pub struct KindStat {
	pub kind: Kind,
	pub submitted: u64,
	pub finalized: u64,
	pub failed: u64,
	pub submit_to_finalized: Latency,
}

/// Counts per second of the run.
#[derive(Serialize)]
pub struct Second {
	pub second: u64,
	pub submitted: u64,
	pub included: u64,
	pub finalized: u64,
}

/// The whole result.
#[derive(Serialize)]
pub struct Report {
	pub label: String,
	pub nodes: Vec<String>,
	pub accounts: u32,
	/// Target rate (0 = as fast as accepted).
	pub target_rate: u32,
	/// Seconds spent submitting.
	pub submit_seconds: f64,
	pub submitted: u64,
	pub accepted: u64,
	pub rejected: u64,
	pub included: u64,
	pub finalized: u64,
	/// Finalized, but the dispatch failed.
	pub failed: u64,
	/// Accepted, not finalized when the run ended.
	pub unfinalized: u64,
	/// Of those, still ready in the nodes' pools at the end (`author_pendingExtrinsics`; `None`
	/// if the nodes did not answer).
	pub in_pool_at_end: Option<u64>,
	/// Accepted, then lost: neither finalized nor in a block nor in a pool at the end.
	pub dropped: u64,
	/// Rejections by message.
	pub errors: Vec<(String, u64)>,
	/// Submitted per second while submitting.
	pub submitted_per_second: f64,
	/// Finalized per second, from the start to the last finalization of this run's
	/// transactions.
	pub finalized_per_second: f64,
	/// Lowest finalized rate over any 10-second window from the first finalization to the end
	/// of submission: the rate sustained while load was offered.
	pub finalized_per_second_min_10s: f64,
	pub submit_to_included: Latency,
	pub submit_to_finalized: Latency,
	/// Per kind of transaction (only kinds this run sent).
	pub kinds: Vec<KindStat>,
	pub blocks: usize,
	pub ours_per_block_mean: f64,
	pub ours_per_block_max: usize,
	pub weight_percent_mean: f64,
	pub weight_percent_max: f64,
	pub length_percent_max: f64,
	pub per_second: Vec<Second>,
	pub per_block: Vec<BlockStat>,
}

/// Inputs of [`Report::new`] besides the transactions.
pub struct RunInfo {
	pub label: String,
	pub nodes: Vec<String>,
	pub accounts: u32,
	pub target_rate: u32,
	pub submit_time: Duration,
	/// This run's transactions still ready in the pools at the end, if known.
	pub in_pool_at_end: Option<u64>,
}

impl Report {
	pub fn new(
		info: RunInfo,
		txs: &[Tx],
		errors: Vec<(String, u64)>,
		blocks: Vec<BlockStat>,
	) -> Self {
		let submitted = txs.iter().filter(|t| t.submitted.is_some()).count() as u64;
		let accepted = txs.iter().filter(|t| t.accepted).count() as u64;
		let included = txs.iter().filter(|t| t.included.is_some()).count() as u64;
		let finalized = txs.iter().filter(|t| t.finalized.is_some()).count() as u64;
		let failed = txs.iter().filter(|t| t.failed).count() as u64;
		let unfinalized = accepted.saturating_sub(finalized);
		let in_block_only =
			txs.iter().filter(|t| t.included.is_some() && t.finalized.is_none()).count() as u64;
		let dropped = unfinalized
			.saturating_sub(in_block_only)
			.saturating_sub(info.in_pool_at_end.unwrap_or(0));
		let since = |f: fn(&Tx) -> Option<Duration>, kind: Option<Kind>| -> Vec<Duration> {
			txs.iter()
				.filter(|t| kind.is_none_or(|k| t.kind == k))
				.filter_map(|t| Some(f(t)?.saturating_sub(t.submitted?)))
				.collect::<Vec<_>>()
		};
		let kinds = [
			Kind::Transfer,
			Kind::Burn,
			Kind::EscrowCreate,
			Kind::EscrowRelease,
			Kind::Instruction,
		]
		.into_iter()
		.filter_map(|kind| {
			let of = || txs.iter().filter(move |t| t.kind == kind);
			let submitted = of().filter(|t| t.submitted.is_some()).count() as u64;
			(submitted > 0).then(|| KindStat {
				kind,
				submitted,
				finalized: of().filter(|t| t.finalized.is_some()).count() as u64,
				failed: of().filter(|t| t.failed).count() as u64,
				submit_to_finalized: Latency::of(since(|t| t.finalized, Some(kind))),
			})
		})
		.collect();
		let seconds = txs
			.iter()
			.flat_map(|t| [t.submitted, t.included, t.finalized])
			.flatten()
			.max()
			.map_or(0, |d| d.as_secs() + 1);
		let mut per_second: Vec<Second> = (0..seconds)
			.map(|second| Second { second, submitted: 0, included: 0, finalized: 0 })
			.collect();
		for t in txs {
			if let Some(s) = t.submitted {
				per_second[s.as_secs() as usize].submitted += 1;
			}
			if let Some(s) = t.included {
				per_second[s.as_secs() as usize].included += 1;
			}
			if let Some(s) = t.finalized {
				per_second[s.as_secs() as usize].finalized += 1;
			}
		}
		let finalized_at: Vec<Duration> = txs.iter().filter_map(|t| t.finalized).collect();
		let (first, last) = (finalized_at.iter().min(), finalized_at.iter().max());
		let submit_secs = info.submit_time.as_secs_f64().max(1e-3);
		let finalized_per_second =
			last.map_or(0.0, |l| finalized as f64 / l.as_secs_f64().max(1e-3));
		// Sustained: the lowest 10 s window while load was offered.
		let end = last.map(|l| (*l).min(info.submit_time));
		let finalized_per_second_min_10s = match (first, end) {
			(Some(f), Some(l)) if l.as_secs() >= f.as_secs() + 10 => {
				let series: Vec<u64> = per_second.iter().map(|s| s.finalized).collect();
				(f.as_secs() as usize..=(l.as_secs() as usize - 10))
					.map(|start| series[start..start + 10].iter().sum::<u64>() as f64 / 10.0)
					.fold(f64::INFINITY, f64::min)
			},
			_ => 0.0,
		};
		let ours: Vec<usize> = blocks.iter().map(|b| b.ours).collect();
		let mean = |v: &mut dyn Iterator<Item = f64>, n: usize| {
			if n == 0 {
				0.0
			} else {
				v.sum::<f64>() / n as f64
			}
		};
		Self {
			label: info.label,
			nodes: info.nodes,
			accounts: info.accounts,
			target_rate: info.target_rate,
			submit_seconds: info.submit_time.as_secs_f64(),
			submitted,
			accepted,
			rejected: submitted - accepted,
			included,
			finalized,
			failed,
			unfinalized,
			in_pool_at_end: info.in_pool_at_end,
			dropped,
			errors,
			submitted_per_second: submitted as f64 / submit_secs,
			finalized_per_second,
			finalized_per_second_min_10s,
			submit_to_included: Latency::of(since(|t| t.included, None)),
			submit_to_finalized: Latency::of(since(|t| t.finalized, None)),
			kinds,
			blocks: blocks.len(),
			ours_per_block_mean: mean(&mut ours.iter().map(|o| *o as f64), ours.len()),
			ours_per_block_max: ours.iter().copied().max().unwrap_or(0),
			weight_percent_mean: mean(&mut blocks.iter().map(|b| b.weight_percent), blocks.len()),
			weight_percent_max: blocks.iter().map(|b| b.weight_percent).fold(0.0, f64::max),
			length_percent_max: blocks.iter().map(|b| b.length_percent).fold(0.0, f64::max),
			per_second,
			per_block: blocks,
		}
	}

	/// The human-readable summary.
	pub fn table(&self) -> String {
		let l = |x: &Latency| {
			format!(
				"{:>7} {:>7} {:>7} {:>7}   (n = {})",
				x.p50_ms, x.p90_ms, x.p99_ms, x.max_ms, x.count
			)
		};
		let mut out = format!(
			"tpchain-load: {} — {} accounts over {} node(s), target {} tx/s\n\
			 submitted   {:>9}  in {:.1} s = {:.0}/s\n\
			 accepted    {:>9}\n\
			 rejected    {:>9}\n\
			 included    {:>9}\n\
			 finalized   {:>9}  = {:.0}/s until the last finalization; lowest 10 s window while \
			 submitting {:.0}/s\n\
			 failed      {:>9}  (finalized, dispatch failed)\n\
			 unfinalized {:>9}  (accepted, not finalized at the end; {} still ready in a pool)\n\
			 dropped     {:>9}  (accepted, then in no block and no pool)\n\
			 latency ms              p50     p90     p99     max\n\
			 submit→included     {}\n\
			 submit→finalized    {}\n\
			 blocks {} finalized with this run's transactions: mean {:.0}, max {} per block; \
			 weight mean {:.1} %, max {:.1} %; length max {:.1} %\n",
			self.label,
			self.accounts,
			self.nodes.len(),
			if self.target_rate == 0 { "max".to_string() } else { self.target_rate.to_string() },
			self.submitted,
			self.submit_seconds,
			self.submitted_per_second,
			self.accepted,
			self.rejected,
			self.included,
			self.finalized,
			self.finalized_per_second,
			self.finalized_per_second_min_10s,
			self.failed,
			self.unfinalized,
			self.in_pool_at_end.map_or("unknown".to_string(), |n| n.to_string()),
			self.dropped,
			l(&self.submit_to_included),
			l(&self.submit_to_finalized),
			self.blocks,
			self.ours_per_block_mean,
			self.ours_per_block_max,
			self.weight_percent_mean,
			self.weight_percent_max,
			self.length_percent_max,
		);
		if self.kinds.len() > 1 {
			for k in &self.kinds {
				out.push_str(&format!(
					"  {:<15} submitted {:>8} finalized {:>8} failed {:>5}  finalized p50 {} ms, \
					 p99 {} ms\n",
					format!("{:?}", k.kind),
					k.submitted,
					k.finalized,
					k.failed,
					k.submit_to_finalized.p50_ms,
					k.submit_to_finalized.p99_ms,
				));
			}
		}
		for (e, n) in &self.errors {
			out.push_str(&format!("rejected ×{n}: {e}\n"));
		}
		out
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn ms(x: u64) -> Option<Duration> {
		Some(Duration::from_millis(x))
	}

	#[test]
	fn latency_percentiles_pick_the_right_sample() {
		let l = Latency::of((1..=100).map(Duration::from_millis).collect());
		assert_eq!((l.p50_ms, l.p90_ms, l.p99_ms, l.max_ms, l.count), (50, 90, 99, 100, 100));
		assert_eq!(Latency::of(vec![]).count, 0);
	}

	fn tx(kind: Kind, times: [Option<Duration>; 3], accepted: bool) -> Tx {
		let [submitted, included, finalized] = times;
		Tx { kind, submitted, accepted, included, finalized, failed: false }
	}

	fn info(in_pool_at_end: Option<u64>) -> RunInfo {
		RunInfo {
			label: "t".into(),
			nodes: vec!["ws://x".into()],
			accounts: 2,
			target_rate: 4,
			submit_time: Duration::from_secs(1),
			in_pool_at_end,
		}
	}

	#[test]
	fn report_counts_and_rates() {
		use Kind::Transfer as T;
		let txs = vec![
			// Two finalized, one only included when the run ended, one rejected.
			tx(T, [ms(0), ms(1000), ms(2500)], true),
			tx(T, [ms(500), ms(1000), ms(3500)], true),
			tx(T, [ms(900), ms(1100), None], true),
			tx(T, [ms(950), None, None], false),
		];
		let block = BlockStat {
			number: 1,
			extrinsics: 3,
			ours: 2,
			weight_percent: 10.0,
			length_percent: 1.0,
		};
		let r = Report::new(info(Some(0)), &txs, vec![("pool full".into(), 1)], vec![block]);
		assert_eq!((r.submitted, r.accepted, r.rejected), (4, 3, 1));
		assert_eq!((r.included, r.finalized, r.unfinalized), (3, 2, 1));
		assert_eq!(r.dropped, 0, "the unfinalized one is in a block, not lost");
		assert_eq!(r.submit_to_finalized.p50_ms, 2500);
		assert_eq!(r.submit_to_finalized.max_ms, 3000);
		assert_eq!(r.submit_to_included.max_ms, 1000);
		assert_eq!(r.per_second.len(), 4);
		assert_eq!(r.per_second[0].submitted, 4);
		assert_eq!((r.per_second[2].finalized, r.per_second[3].finalized), (1, 1));
		assert!((r.finalized_per_second - 2.0 / 3.5).abs() < 1e-9);
		assert_eq!(r.ours_per_block_max, 2);
		assert!(r.table().contains("rejected ×1: pool full"));
		let json = serde_json::to_value(&r).unwrap();
		assert_eq!((json["unfinalized"].as_u64(), json["dropped"].as_u64()), (Some(1), Some(0)));
		assert_eq!(json["kinds"].as_array().unwrap().len(), 1, "only transfers were sent");
	}

	#[test]
	fn dropped_counts_what_is_in_no_block_and_no_pool() {
		use Kind::Transfer as T;
		let txs: Vec<Tx> = (0..5).map(|_| tx(T, [ms(0), None, None], true)).collect();
		assert_eq!(Report::new(info(Some(2)), &txs, vec![], vec![]).dropped, 3);
		// Pools not asked: every unfinalized transaction outside a block counts as dropped.
		let r = Report::new(info(None), &txs, vec![], vec![]);
		assert_eq!((r.unfinalized, r.dropped), (5, 5));
		assert!(r.table().contains("unknown still ready in a pool"));
	}

	#[test]
	fn kinds_are_counted_apart() {
		let mut failed = tx(Kind::EscrowRelease, [ms(0), ms(900), ms(4000)], true);
		failed.failed = true;
		let txs = vec![
			tx(Kind::Transfer, [ms(0), ms(900), ms(2000)], true),
			tx(Kind::Burn, [ms(0), ms(900), ms(3000)], true),
			tx(Kind::Burn, [ms(100), None, None], true),
			failed,
		];
		let r = Report::new(info(Some(1)), &txs, vec![], vec![]);
		let kinds: Vec<_> =
			r.kinds.iter().map(|k| (k.kind, k.submitted, k.finalized, k.failed)).collect();
		assert_eq!(
			kinds,
			vec![(Kind::Transfer, 1, 1, 0), (Kind::Burn, 2, 1, 0), (Kind::EscrowRelease, 1, 1, 1)]
		);
		assert_eq!(r.kinds[1].submit_to_finalized.p50_ms, 3000);
		assert_eq!(r.failed, 1);
		assert!(r.table().contains("EscrowRelease"));
		assert_eq!(serde_json::to_value(&r).unwrap()["kinds"][2]["kind"], "escrow_release");
	}
}
