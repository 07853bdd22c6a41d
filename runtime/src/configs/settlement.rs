//! `pallet_settlement`: offline-signed payment instructions settled in netted batches.

use crate::configs::{bridge::LocalChainId, governance::RootOrParameters};
use crate::{Balances, Runtime, RuntimeCall, Timestamp, HOURS};
use alloc::vec::Vec;
use frame_support::traits::ConstU32;
use tpchain_primitives::settlement::SignedInstruction;

/// Instructions per batch: 1,024 of ~155 bytes is ~160 KB of block space, and a batch of
/// distinct accounts weighs a fraction of the normal class (`tests::full_batch_fits_a_block`).
pub const MAX_INSTRUCTIONS: u32 = 1_024;

impl pallet_settlement::Config for Runtime {
	type Currency = Balances;
	type ChainId = LocalChainId;
	type Time = Timestamp;
	// Imposing tighter limits on a payer: the parameters track.
	type LimitOrigin = RootOrParameters;
	// Loosening or lifting imposed limits: Root (membership track, ≥ 2/3).
	type LimitRaiseOrigin = frame_system::EnsureRoot<crate::AccountId>;
	type MaxInstructions = ConstU32<MAX_INSTRUCTIONS>;
	// 64 batches of 1,024 exceed what a block can weigh; the bound only caps `Batches`.
	type MaxBatchesPerBlock = ConstU32<64>;
	// Eight hours of 2-second blocks: receipts are fetched within that; `Batches` holds at most
	// 64 × 14,400 records of ~80 bytes plus 4 per failed instruction.
	type RootRetention = ConstU32<{ 8 * HOURS }>;
	// One day.
	type LimitPeriod = ConstU32<{ 24 * HOURS }>;
	// Batches from an active entity's voting account go first in the pool.
	type Operators = crate::Operators;
	type OperatorPriority = OperatorPriority;
	type WeightInfo = pallet_settlement::weights::SubstrateWeight<Runtime>;
}

frame_support::parameter_types! {
	/// An operator's batch outranks any fee-bought priority short of a tip of a quarter of the
	/// priority range (tips scale priority by the transactions a block holds).
	pub const OperatorPriority: sp_runtime::transaction_validity::TransactionPriority =
		sp_runtime::transaction_validity::TransactionPriority::MAX / 4;
}

/// How deep [`batches_in`] looks into wrapper calls: deeper than anyone nests a settlement.
const MAX_WRAPPING: u32 = 4;

/// The batches `call` settles, in dispatch order, looking through `Utility` and `Multisig`
/// wrappers: a node rebuilds a batch's Merkle tree from them to serve receipts.
pub fn batches_in(call: &RuntimeCall, out: &mut Vec<Vec<SignedInstruction>>) {
	fn walk(call: &RuntimeCall, out: &mut Vec<Vec<SignedInstruction>>, depth: u32) {
		if depth > MAX_WRAPPING {
			return;
		}
		let inner: Vec<&RuntimeCall> = match call {
			RuntimeCall::Settlement(pallet_settlement::Call::settle { batch }) => {
				out.push(batch.to_vec());
				return;
			},
			RuntimeCall::Utility(
				pallet_utility::Call::batch { calls }
				| pallet_utility::Call::batch_all { calls }
				| pallet_utility::Call::force_batch { calls },
			) => calls.iter().collect(),
			RuntimeCall::Utility(pallet_utility::Call::if_else { main, fallback }) => {
				alloc::vec![main.as_ref(), fallback.as_ref()]
			},
			RuntimeCall::Utility(
				pallet_utility::Call::as_derivative { call, .. }
				| pallet_utility::Call::dispatch_as { call, .. }
				| pallet_utility::Call::with_weight { call, .. },
			)
			| RuntimeCall::Multisig(
				pallet_multisig::Call::as_multi { call, .. }
				| pallet_multisig::Call::as_multi_threshold_1 { call, .. },
			) => alloc::vec![call.as_ref()],
			_ => return,
		};
		for call in inner {
			walk(call, out, depth + 1);
		}
	}
	walk(call, out, 0)
}
