//! Storage types of the settlement pallet.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
pub use tpchain_primitives::settlement::{
	BatchId, BatchRecord, Expiry, Failure, PaymentInstruction, SignedInstruction,
};
use tpchain_primitives::Balance;

/// Width of a payer's sequence window: sequence numbers `floor .. floor + WINDOW` may settle
/// in any order; one far above the window moves it up, giving up those left below.
pub const WINDOW: u64 = 128;

/// A payer's risk limits; `None` is no limit.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct Limits {
	/// Largest single instruction.
	pub per_instruction: Option<Balance>,
	/// Most the payer may pay per limit period.
	pub per_period: Option<Balance>,
}

fn tighter(a: Option<Balance>, b: Option<Balance>) -> Option<Balance> {
	match (a, b) {
		(Some(a), Some(b)) => Some(a.min(b)),
		(a, None) => a,
		(None, b) => b,
	}
}

impl Limits {
	/// Whether `self` allows nothing that `other` refuses.
	pub fn no_looser_than(&self, other: &Limits) -> bool {
		self.tightest(other) == *self
	}

	/// The tighter of `self` and `other`, field by field.
	pub fn tightest(&self, other: &Limits) -> Limits {
		Limits {
			per_instruction: tighter(self.per_instruction, other.per_instruction),
			per_period: tighter(self.per_period, other.per_period),
		}
	}
}

/// Everything settlement keeps about a payer: one read and one write per payer and batch.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct PayerState<BlockNumber> {
	/// Lowest sequence number that may still settle.
	pub floor: u64,
	/// Bit `i` set: sequence `floor + i` settled. Bit 0 is never set (the floor moves past it).
	pub seen: u128,
	/// First block of the current limit period.
	pub period_start: BlockNumber,
	/// Paid in the current limit period.
	pub spent: Balance,
	/// Limits the payer set.
	pub own: Limits,
	/// Limits governance imposed.
	pub imposed: Limits,
}

impl<BlockNumber> PayerState<BlockNumber> {
	/// Whether `sequence` may settle now.
	pub fn check_sequence(&self, sequence: u64) -> Result<(), Failure> {
		if sequence < self.floor {
			return Err(Failure::SequenceTooOld);
		}
		let offset = sequence - self.floor;
		if offset < WINDOW && self.seen & (1u128 << offset) != 0 {
			return Err(Failure::SequenceUsed);
		}
		Ok(())
	}

	/// Records `sequence` (checked) as settled: slides the window up if it lies above, then
	/// past every settled number at its bottom.
	pub fn mark_sequence(&mut self, sequence: u64) {
		let mut offset = sequence.saturating_sub(self.floor);
		if offset >= WINDOW {
			let shift = offset - (WINDOW - 1);
			self.seen = if shift >= WINDOW { 0 } else { self.seen >> shift };
			self.floor = self.floor.saturating_add(shift);
			offset = WINDOW - 1;
		}
		self.seen |= 1u128 << offset;
		let settled = self.seen.trailing_ones();
		self.seen = if settled >= 128 { 0 } else { self.seen >> settled };
		self.floor = self.floor.saturating_add(u64::from(settled));
	}

	/// The limits in force: the tighter of the payer's and governance's.
	pub fn limits(&self) -> Limits {
		self.own.tightest(&self.imposed)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn sequences_settle_in_any_order_within_the_window_and_once() {
		let mut s = PayerState::<u32>::default();
		for seq in [3, 0, 2, 1] {
			assert_eq!(s.check_sequence(seq), Ok(()));
			s.mark_sequence(seq);
		}
		assert_eq!((s.floor, s.seen), (4, 0));
		assert_eq!(s.check_sequence(2), Err(Failure::SequenceTooOld));
		s.mark_sequence(10);
		assert_eq!(s.check_sequence(10), Err(Failure::SequenceUsed));
		assert_eq!(s.check_sequence(5), Ok(()));
		assert_eq!((s.floor, s.seen), (4, 1 << 6));
	}

	#[test]
	fn a_sequence_above_the_window_gives_up_those_below_it() {
		let mut s = PayerState::<u32>::default();
		s.mark_sequence(1);
		s.mark_sequence(500);
		assert_eq!(s.floor, 500 - (WINDOW - 1));
		assert_eq!(s.check_sequence(0), Err(Failure::SequenceTooOld));
		assert_eq!(s.check_sequence(500), Err(Failure::SequenceUsed));
		assert_eq!(s.check_sequence(499), Ok(()));
		s.mark_sequence(u64::MAX);
		assert_eq!(s.check_sequence(u64::MAX), Err(Failure::SequenceUsed));
	}

	#[test]
	fn the_tighter_limit_wins() {
		let own = Limits { per_instruction: Some(10), per_period: None };
		let imposed = Limits { per_instruction: Some(50), per_period: Some(100) };
		assert_eq!(
			own.tightest(&imposed),
			Limits { per_instruction: Some(10), per_period: Some(100) }
		);
	}
}
