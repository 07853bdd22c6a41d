//! Where every token is: the supply report `audit_supply` answers, and its identity.
//!
//! Every change of total issuance is counted where it happens: bridge mints per counterparty,
//! burns per destination (`pallet-burn-proofs`), transaction and XCM fees, dust below the
//! existential deposit, and what XCM programs withdrew from or deposited to accounts. The
//! report adds them up:
//!
//! `genesis + minted − burned − fees − dust − xcm_destroyed = total issuance`
//!
//! An XCM program's holding is credit: withdrawing into it or depositing from it leaves the
//! issuance alone; minting into it (a teleport in, a claim) raises it and dropping from it (a fee,
//! a teleport out, a trap, `BurnAsset`) lowers it. A program ends with its holding empty, so
//! programs change the issuance by exactly `deposited − withdrawn`. The teleports' part of that is
//! already in `minted` and `burned` (the bridge and the burn pallet count the values messages
//! carry) and the fees' in `fees`; `xcm_destroyed` is the rest, value a program burned (`BurnAsset`).
//! A trap keeps its value issued (pallet-xcm forgets the credit, and a claim mints it back
//! without changing the issuance), so trapped value is a place of its own beside accounts:
//! `free + held + reserved + in_traps = total issuance`. A difference means tokens were created
//! or destroyed where no counter saw it.

use crate::{Balance, BlockNumber, ChainId};
use alloc::vec::Vec;
use codec::{Decode, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The issuance-changing flows of XCM programs, as counted at the asset transactor.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct XcmFlows {
	/// Withdrawn from accounts into programs' holding.
	pub withdrawn: Balance,
	/// Deposited from holding into accounts.
	pub deposited: Balance,
	/// Carried in by messages over the bridge (also in `minted`, per counterparty).
	pub messages_in: Balance,
	/// Carried out by messages over the bridge (also in `burned`, per destination).
	pub messages_out: Balance,
	/// Execution and delivery fees programs paid (also in `fees`).
	pub fees: Balance,
	/// Left in holding and trapped: still issued, in no account, until claimed.
	pub trapped: Balance,
	/// Claimed from traps into holding.
	pub claimed: Balance,
}

impl XcmFlows {
	/// Trapped and not yet claimed: a place tokens are, besides accounts. Negative if more was
	/// claimed than trapped since counting began (traps from before it).
	pub fn in_traps(&self) -> i128 {
		(self.trapped as i128).saturating_sub(self.claimed as i128)
	}

	/// What programs destroyed besides fees and teleports out (`BurnAsset`): what came into
	/// holding less what left it for an account, a fee, a message or a trap.
	pub fn destroyed(&self) -> i128 {
		let into_holding = (self.withdrawn as i128)
			.saturating_add(self.messages_in as i128)
			.saturating_add(self.claimed as i128);
		let out_of_holding = (self.deposited as i128)
			.saturating_add(self.fees as i128)
			.saturating_add(self.messages_out as i128)
			.saturating_add(self.trapped as i128);
		into_holding.saturating_sub(out_of_holding)
	}
}

/// The supply at one block, every token accounted for.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Default)]
pub struct SupplyReport {
	/// `Balances::TotalIssuance`.
	pub total_issuance: Balance,
	/// Issuance when counting began: genesis, or the upgrade that added the counters (then mints
	/// and burns counted before it are taken out, and fees and dust before it are folded in).
	pub genesis_issuance: Balance,
	/// Block from which fees, dust and XCM flows are counted (0: genesis).
	pub counting_since: BlockNumber,
	/// Free balance of all accounts: `total_issuance − held − reserved − in_traps`.
	pub free: Balance,
	/// Held, by hold reason (`Pallet.Reason`), largest first; reasons holding nothing are left out.
	pub held: Vec<(Vec<u8>, Balance)>,
	/// Reserved outside holds (multisig deposits).
	pub reserved: Balance,
	/// Frozen (a subset of balances, not a place of its own), by freeze reason.
	pub frozen: Vec<(Vec<u8>, Balance)>,
	/// Minted by the bridge, per counterparty (mints of burns and messages, releases and
	/// cancellations of quarantine).
	pub minted: Vec<(ChainId, Balance)>,
	/// Burned through `pallet-burn-proofs`: everything.
	pub burned: Balance,
	/// Of `burned`, per destination chain (bridged out); the rest were plain burns.
	pub burned_by_destination: Vec<(ChainId, Balance)>,
	/// Transaction fees burned.
	pub fees: Balance,
	/// Dust burned when an account fell below the existential deposit.
	pub dust: Balance,
	/// XCM programs' flows.
	pub xcm: XcmFlows,
	/// Proven on a counterparty and waiting in quarantine, per counterparty: not issued yet.
	pub quarantined: Vec<(ChainId, Balance)>,
}

impl SupplyReport {
	/// Σ `minted`.
	pub fn minted_total(&self) -> Balance {
		self.minted.iter().fold(0, |a, (_, b)| a.saturating_add(*b))
	}

	/// Σ `held`.
	pub fn held_total(&self) -> Balance {
		self.held.iter().fold(0, |a, (_, b)| a.saturating_add(*b))
	}

	/// All fees burned: transactions' and XCM programs'.
	pub fn fees_total(&self) -> Balance {
		self.fees.saturating_add(self.xcm.fees)
	}

	/// What the counters say the total issuance is:
	/// `genesis + minted − burned − fees − dust − xcm_destroyed`.
	pub fn expected_issuance(&self) -> i128 {
		(self.genesis_issuance as i128)
			.saturating_add(self.minted_total() as i128)
			.saturating_sub(self.burned as i128)
			.saturating_sub(self.fees_total() as i128)
			.saturating_sub(self.dust as i128)
			.saturating_sub(self.xcm.destroyed())
	}

	/// `total_issuance − expected_issuance`: tokens no counter saw created (positive) or
	/// destroyed (negative).
	pub fn difference(&self) -> i128 {
		(self.total_issuance as i128).saturating_sub(self.expected_issuance())
	}

	/// Whether the identity holds.
	pub fn reconciled(&self) -> bool {
		self.difference() == 0
	}
}

/// JSON forms for the node's RPC and the SDK (balances as decimal strings).
#[cfg(feature = "std")]
pub mod json {
	use super::*;
	use serde::{Deserialize, Serialize};

	/// An amount under a name (a hold reason, a counterparty).
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	pub struct Part {
		/// `Pallet.Reason`, or a chain id.
		pub name: String,
		/// Decimal string.
		pub amount: String,
	}

	/// [`XcmFlows`] for JSON.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct XcmJson {
		pub withdrawn: String,
		pub deposited: String,
		pub messages_in: String,
		pub messages_out: String,
		pub fees: String,
		pub trapped: String,
		pub claimed: String,
		/// [`XcmFlows::in_traps`].
		pub in_traps: String,
		/// [`XcmFlows::destroyed`].
		pub destroyed: String,
	}

	/// [`SupplyReport`] for JSON, with the identity worked out.
	#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
	#[serde(rename_all = "camelCase")]
	pub struct SupplyJson {
		/// Block the report is of.
		pub block: BlockNumber,
		pub block_hash: String,
		pub total_issuance: String,
		pub genesis_issuance: String,
		pub counting_since: BlockNumber,
		pub free: String,
		pub held: Vec<Part>,
		pub held_total: String,
		pub reserved: String,
		pub frozen: Vec<Part>,
		pub minted: Vec<Part>,
		pub minted_total: String,
		pub burned: String,
		pub burned_by_destination: Vec<Part>,
		pub fees: String,
		pub fees_total: String,
		pub dust: String,
		pub xcm: XcmJson,
		pub quarantined: Vec<Part>,
		/// `genesis + minted − burned − fees − dust − xcm destroyed`.
		pub expected_issuance: String,
		/// `total issuance − expected`.
		pub difference: String,
		pub reconciled: bool,
	}

	fn named(parts: &[(Vec<u8>, Balance)]) -> Vec<Part> {
		parts
			.iter()
			.map(|(n, a)| Part {
				name: String::from_utf8_lossy(n).into_owned(),
				amount: a.to_string(),
			})
			.collect()
	}

	fn chains(parts: &[(ChainId, Balance)]) -> Vec<Part> {
		parts.iter().map(|(c, a)| Part { name: c.0.to_string(), amount: a.to_string() }).collect()
	}

	impl SupplyJson {
		/// The JSON form of `r`, the report of block `block` (`block_hash`, `0x…`).
		pub fn new(r: &SupplyReport, block: BlockNumber, block_hash: String) -> Self {
			SupplyJson {
				block,
				block_hash,
				total_issuance: r.total_issuance.to_string(),
				genesis_issuance: r.genesis_issuance.to_string(),
				counting_since: r.counting_since,
				free: r.free.to_string(),
				held: named(&r.held),
				held_total: r.held_total().to_string(),
				reserved: r.reserved.to_string(),
				frozen: named(&r.frozen),
				minted: chains(&r.minted),
				minted_total: r.minted_total().to_string(),
				burned: r.burned.to_string(),
				burned_by_destination: chains(&r.burned_by_destination),
				fees: r.fees.to_string(),
				fees_total: r.fees_total().to_string(),
				dust: r.dust.to_string(),
				xcm: XcmJson {
					withdrawn: r.xcm.withdrawn.to_string(),
					deposited: r.xcm.deposited.to_string(),
					messages_in: r.xcm.messages_in.to_string(),
					messages_out: r.xcm.messages_out.to_string(),
					fees: r.xcm.fees.to_string(),
					trapped: r.xcm.trapped.to_string(),
					claimed: r.xcm.claimed.to_string(),
					in_traps: r.xcm.in_traps().to_string(),
					destroyed: r.xcm.destroyed().to_string(),
				},
				quarantined: chains(&r.quarantined),
				expected_issuance: r.expected_issuance().to_string(),
				difference: r.difference().to_string(),
				reconciled: r.reconciled(),
			}
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn report() -> SupplyReport {
		SupplyReport {
			// genesis + minted − burned − fees (3 + 2) − dust − destroyed
			total_issuance: 1_000 + 70 - 30 - 5 - 1 - 1,
			genesis_issuance: 1_000,
			minted: alloc::vec![(ChainId(2), 50), (ChainId(3), 20)],
			burned: 30,
			fees: 3,
			dust: 1,
			// 10 withdrawn, 4 in, 1 claimed; 8 deposited, 2 fees, 2 out, 2 trapped: 1 destroyed.
			xcm: XcmFlows {
				withdrawn: 10,
				deposited: 8,
				messages_in: 4,
				messages_out: 2,
				fees: 2,
				trapped: 2,
				claimed: 1,
			},
			..Default::default()
		}
	}

	#[test]
	fn identity_adds_every_counted_flow() {
		let r = report();
		assert_eq!((r.xcm.destroyed(), r.xcm.in_traps()), (1, 1));
		assert_eq!(r.fees_total(), 5);
		assert_eq!(r.expected_issuance(), 1_033);
		assert_eq!(r.difference(), 0);
		assert!(r.reconciled());
	}

	#[test]
	fn an_uncounted_mint_shows_as_a_positive_difference() {
		let mut r = report();
		r.total_issuance += 7;
		assert_eq!(r.difference(), 7);
		assert!(!r.reconciled());
		let j = json::SupplyJson::new(&r, 5, "0x00".into());
		assert_eq!((j.difference.as_str(), j.reconciled), ("7", false));
		assert_eq!(j.minted_total, "70");
	}

	#[test]
	fn an_uncounted_burn_shows_as_a_negative_difference() {
		let mut r = report();
		r.total_issuance -= 4;
		assert_eq!(r.difference(), -4);
	}
}
