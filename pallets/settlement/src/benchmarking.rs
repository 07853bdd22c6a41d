//! Benchmarks of the settlement pallet. Instructions carry real sr25519 signatures, made with
//! keys the benchmark generates in the host keystore.

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::tokens::Precision;
use frame_system::RawOrigin;
use sp_core::crypto::KeyTypeId;
use tpchain_primitives::settlement::signing_payload;

const KEY: KeyTypeId = KeyTypeId(*b"tpst");
const FUNDS: Balance = 1_000_000_000_000_000_000;

/// Key `i` of the benchmark.
fn key(i: u32) -> sp_core::sr25519::Public {
	let seed = alloc::format!("//settlement-benchmark-{i}").into_bytes();
	sp_io::crypto::sr25519_generate(KEY, Some(seed))
}

/// Key `i` of the benchmark, its account holding `FUNDS`.
fn funded_key<T: Config>(i: u32) -> sp_core::sr25519::Public {
	let key = key(i);
	T::Currency::increase_balance(&AccountId::from(key), FUNDS, Precision::Exact)
		.expect("fundable");
	key
}

/// `n` instructions of a batch, the `j`-th from `payers[j % len]` to `payees[j % len]`, all
/// valid (distinct sequence numbers per payer).
fn batch<T: Config>(
	n: u32,
	payers: &[sp_core::sr25519::Public],
	payees: &[sp_core::sr25519::Public],
) -> BoundedVec<SignedInstruction, T::MaxInstructions> {
	let chain = T::ChainId::get();
	let genesis = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
	let v: Vec<_> = (0..n)
		.map(|j| {
			let payer = payers[j as usize % payers.len()];
			let instruction = PaymentInstruction {
				payer: payer.into(),
				payee: payees[j as usize % payees.len()].into(),
				amount: 1_000_000_000_000,
				sequence: u64::from(j / payers.len() as u32),
				expiry: Expiry::Block(u32::MAX),
				reference: [7; 16],
			};
			let payload = signing_payload(chain, &genesis, &instruction);
			let signature = sp_io::crypto::sr25519_sign(KEY, &payer, &payload).expect("our key");
			SignedInstruction { instruction, signature: signature.into() }
		})
		.collect();
	v.try_into().expect("n <= MaxInstructions")
}

fn assert_all_settled<T: Config>(n: u32) {
	let batch = NextBatch::<T>::get().checked_sub(1).expect("one batch");
	assert_eq!(Batches::<T>::get(batch).expect("kept").settled, n);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `n` instructions among `2n` distinct accounts: every instruction reads and writes two
	/// accounts and one payer, and creates its payee's account (the worst case).
	#[benchmark]
	fn settle_distinct(n: Linear<1, { T::MaxInstructions::get() }>) {
		let payers: Vec<_> = (0..n).map(funded_key::<T>).collect();
		let payees: Vec<_> = (n..2 * n).map(key).collect();
		let batch = batch::<T>(n, &payers, &payees);
		let caller = AccountId::from(payers[0]);

		#[extrinsic_call]
		settle(RawOrigin::Signed(caller), batch);

		assert_all_settled::<T>(n);
	}

	/// `n` instructions between two accounts: the per-instruction cost alone.
	#[benchmark]
	fn settle_shared(n: Linear<1, { T::MaxInstructions::get() }>) {
		let payers = [funded_key::<T>(0)];
		let payees = [key(1)];
		let batch = batch::<T>(n, &payers, &payees);
		let caller = AccountId::from(payers[0]);

		#[extrinsic_call]
		settle(RawOrigin::Signed(caller), batch);

		assert_all_settled::<T>(n);
	}

	#[benchmark]
	fn set_limits() {
		let caller = AccountId::from(funded_key::<T>(0));
		let limits = Limits { per_instruction: Some(1), per_period: Some(2) };

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), limits);

		assert_eq!(Payers::<T>::get(caller).expect("set").own, limits);
	}

	#[benchmark]
	fn impose_limits() -> Result<(), BenchmarkError> {
		let origin =
			T::LimitOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let payer = AccountId::from(funded_key::<T>(0));
		let limits = Limits { per_instruction: Some(1), per_period: Some(2) };

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, payer.clone(), limits);

		assert_eq!(Payers::<T>::get(payer).expect("set").imposed, limits);
		Ok(())
	}

	/// `on_initialize` dropping `n` expired batches.
	#[benchmark]
	fn prune(n: Linear<0, { T::MaxBatchesPerBlock::get() }>) {
		let submitter = AccountId::from(funded_key::<T>(0));
		for id in 0..u64::from(n) {
			let record = BatchRecord {
				block: Zero::zero(),
				extrinsic: 1,
				submitter: submitter.clone(),
				root: Hash::repeat_byte(1),
				settled: 1,
				failed: Default::default(),
			};
			Batches::<T>::insert(id, record);
		}
		NextBatch::<T>::put(u64::from(n));
		let now = T::RootRetention::get().saturating_add(1u32.into());

		#[block]
		{
			Pallet::<T>::prune(now);
		}

		assert_eq!(OldestBatch::<T>::get(), u64::from(n));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
