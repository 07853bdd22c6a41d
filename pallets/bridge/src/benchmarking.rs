//! Benchmarks of the bridge pallet. Justifications are signed by keystore keys (see
//! [`crate::testing`]); the worst case of a finality proof also enacts a new set of the same
//! size, and the worst mint creates the beneficiary's account.

use super::*;
use crate::testing::*;
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use tpchain_primitives::{
	burn::TpchainBurnRecord, message::TpchainOutboundMessage, AccountId as TpAccount, Hash,
};

fn counterparty<T: Config>() -> ChainId {
	ChainId(T::LocalChainId::get().0.wrapping_add(1))
}

fn wide_limits<T: Config>(threshold: Balance) -> BridgeLimits<Balance, BlockNumberFor<T>> {
	BridgeLimits {
		max_transfer: Balance::MAX / 4,
		window: 1u32.into(),
		window_limit: Balance::MAX / 2,
		quarantine_threshold: threshold,
		quarantine_delay: T::DecisionTime::get().unwrap_or_default().saturating_add(1u32.into()),
		header_threshold: Balance::MAX / 2,
		min_header_age: Zero::zero(),
	}
}

/// Registers the counterparty at header #10 with the first `n` test authorities.
fn registered<T: Config>(
	n: u32,
	threshold: Balance,
) -> (Vec<sp_consensus_grandpa::AuthorityId>, Header)
where
	T: Config,
{
	let origin = T::AnchorOrigin::try_successful_origin().expect("anchor origin");
	let set = authorities(0, n);
	let anchor = header(10, Hash::repeat_byte(1), Hash::repeat_byte(2), Default::default());
	Pallet::<T>::initialize(
		origin.clone(),
		counterparty::<T>(),
		Box::new(anchor.clone()),
		authority_list(&set),
		0,
	)
	.expect("valid set");
	Pallet::<T>::set_limits(origin, counterparty::<T>(), wide_limits::<T>(threshold))
		.expect("valid limits");
	(set, anchor)
}

/// A burn towards this chain of an amount well above the existential deposit.
fn burn<T: Config>(id: BurnId) -> (TpchainBurnRecord, T::AccountId) {
	let who: T::AccountId = account("beneficiary", id as u32, 0);
	let amount = T::Currency::minimum_balance().saturating_mul(1_000).max(1_000);
	let record = TpchainBurnRecord {
		id,
		burner: TpAccount::new([7; 32]),
		amount,
		destination: Some(T::LocalChainId::get()),
		beneficiary: who.encode().try_into().expect("accounts fit a beneficiary"),
		reference: Default::default(),
		block: 5,
	};
	(record, who)
}

/// Keeps a counterparty header whose state proves `record` (proof `depth` branches deep).
fn proven<T: Config>(record: &TpchainBurnRecord, depth: u32) -> MintProof {
	let (root, storage_proof) = burn_state(counterparty::<T>(), record, depth);
	let head = FinalizedHeader { number: 11, hash: Hash::repeat_byte(0xab), state_root: root };
	let kept = KeptHeader { header: head, imported_at: Zero::zero(), minted: 0 };
	ImportedHeaders::<T>::insert(counterparty::<T>(), head.hash, kept);
	MintProof { at: head.hash, burn_id: record.id, storage_proof }
}

/// The longest message towards this chain, carrying an amount well above the existential
/// deposit.
fn outbound<T: Config>(nonce: MessageNonce) -> TpchainOutboundMessage {
	let value = T::Currency::minimum_balance().saturating_mul(1_000).max(1_000);
	let len = tpchain_primitives::message::MAX_MESSAGE_LEN as usize;
	TpchainOutboundMessage {
		nonce,
		value,
		xcm: alloc::vec![0u8; len].try_into().expect("the bound"),
		block: 5,
	}
}

/// Keeps a counterparty header whose state proves `message` (proof `depth` branches deep).
fn proven_message<T: Config>(message: &TpchainOutboundMessage, depth: u32) -> MessageProof {
	let (root, storage_proof) =
		message_state(counterparty::<T>(), T::LocalChainId::get(), message, depth);
	let head = FinalizedHeader { number: 11, hash: Hash::repeat_byte(0xac), state_root: root };
	let kept = KeptHeader { header: head, imported_at: Zero::zero(), minted: 0 };
	ImportedHeaders::<T>::insert(counterparty::<T>(), head.hash, kept);
	MessageProof { at: head.hash, nonce: message.nonce, storage_proof }
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn initialize(a: Linear<1, { T::MaxAuthorities::get() }>) -> Result<(), BenchmarkError> {
		let origin =
			T::AnchorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let set = authority_list(&authorities(0, a));
		let anchor = header(10, Hash::repeat_byte(1), Hash::repeat_byte(2), Default::default());
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, counterparty::<T>(), Box::new(anchor), set, 0);
		assert_eq!(
			AuthoritySets::<T>::get(counterparty::<T>()).map(|s| s.authorities.len() as u32),
			Some(a)
		);
		Ok(())
	}

	/// `a` authorities (a justification of just over 2/3 of them), `v` vote-ancestry headers,
	/// `h` headers between the anchor and the imported one.
	#[benchmark]
	fn submit_finality_proof(
		a: Linear<4, { T::MaxAuthorities::get().min(100) }>,
		v: Linear<0, { MAX_VOTES_ANCESTRIES }>,
		h: Linear<0, { T::MaxAncestry::get() }>,
	) {
		let (set, anchor) = registered::<T>(a, 0);
		let mut ancestry = Vec::new();
		let mut parent = anchor.clone();
		for _ in 0..h {
			let child = header(parent.number + 1, parent.hash(), Hash::repeat_byte(4), seal());
			ancestry.insert(0, child.clone());
			parent = child;
		}
		let next = scheduled_change(authority_list(&set), 0);
		let target = header(parent.number + 1, parent.hash(), Hash::repeat_byte(3), next);
		let signers = &set[..threshold(set.len())];
		let justification = justification_with_ancestry(&target, 0, signers, v);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(caller),
			counterparty::<T>(),
			Box::new(target.clone()),
			justification,
			0,
			ancestry,
		);
		assert_eq!(
			Pallet::<T>::best_finalized(counterparty::<T>()).map(|h| h.hash),
			Some(target.hash())
		);
		assert_eq!(AuthoritySets::<T>::get(counterparty::<T>()).map(|s| s.set_id), Some(1));
	}

	/// A proof `n` branch nodes deep; the beneficiary's account is created.
	#[benchmark]
	fn mint_from_burn(n: Linear<1, { T::MaxProofNodes::get() / 2 }>) {
		registered::<T>(1, Balance::MAX / 4);
		let (record, who) = burn::<T>(0);
		let proof = proven::<T>(&record, n);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), counterparty::<T>(), proof);
		assert_eq!(T::Currency::balance(&who), record.amount);
	}

	#[benchmark]
	fn set_limits() -> Result<(), BenchmarkError> {
		registered::<T>(1, 0);
		let origin =
			T::AnchorOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let limits = wide_limits::<T>(5);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, counterparty::<T>(), limits);
		assert_eq!(Counterparties::<T>::get(counterparty::<T>()).map(|s| s.limits), Some(limits));
		Ok(())
	}

	#[benchmark]
	fn halt() -> Result<(), BenchmarkError> {
		registered::<T>(1, 0);
		let origin =
			T::HaltOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, counterparty::<T>());
		assert_eq!(Counterparties::<T>::get(counterparty::<T>()).map(|s| s.halted), Some(true));
		Ok(())
	}

	#[benchmark]
	fn resume() -> Result<(), BenchmarkError> {
		registered::<T>(1, 0);
		let halter =
			T::HaltOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		Pallet::<T>::halt(halter, counterparty::<T>()).map_err(|_| BenchmarkError::Weightless)?;
		let origin =
			T::ResumeOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, counterparty::<T>());
		assert_eq!(Counterparties::<T>::get(counterparty::<T>()).map(|s| s.halted), Some(false));
		Ok(())
	}

	#[benchmark]
	fn release_quarantined() {
		registered::<T>(1, 0);
		let (record, who) = burn::<T>(0);
		let caller: T::AccountId = whitelisted_caller();
		Pallet::<T>::mint_from_burn(
			RawOrigin::Signed(caller.clone()).into(),
			counterparty::<T>(),
			proven::<T>(&record, 8),
		)
		.expect("quarantined");
		let release_at = Quarantine::<T>::get(0).expect("quarantined").release_at;
		frame_system::Pallet::<T>::set_block_number(release_at);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), 0);
		assert_eq!(T::Currency::balance(&who), record.amount);
	}

	#[benchmark]
	fn cancel_quarantined() -> Result<(), BenchmarkError> {
		registered::<T>(1, 0);
		let (record, _) = burn::<T>(0);
		let caller: T::AccountId = whitelisted_caller();
		Pallet::<T>::mint_from_burn(
			RawOrigin::Signed(caller).into(),
			counterparty::<T>(),
			proven::<T>(&record, 8),
		)
		.expect("quarantined");
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let to: T::AccountId = account("claims", 0, 0);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0, to.clone());
		assert!(Quarantine::<T>::get(0).is_none());
		assert_eq!(T::Currency::balance(&to), record.amount);
		Ok(())
	}

	/// The pallet's own cost of a delivery (proof, envelope, bookkeeping) with the longest
	/// message; what the executor uses is charged on top, as it reports it.
	#[benchmark]
	fn receive_message(n: Linear<1, { T::MaxProofNodes::get() / 2 }>) {
		registered::<T>(1, Balance::MAX / 4);
		let message = outbound::<T>(0);
		let proof = proven_message::<T>(&message, n);
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		receive_message(RawOrigin::Signed(caller), counterparty::<T>(), proof);
		assert!(DeliveredMessages::<T>::contains_key(counterparty::<T>(), 0));
	}

	#[benchmark]
	fn release_quarantined_message() {
		registered::<T>(1, 0);
		let message = outbound::<T>(0);
		let caller: T::AccountId = whitelisted_caller();
		Pallet::<T>::receive_message(
			RawOrigin::Signed(caller.clone()).into(),
			counterparty::<T>(),
			proven_message::<T>(&message, 8),
		)
		.expect("quarantined");
		let release_at = QuarantinedMessages::<T>::get(0).expect("quarantined").release_at;
		frame_system::Pallet::<T>::set_block_number(release_at);
		#[extrinsic_call]
		release_quarantined(RawOrigin::Signed(caller), 0);
		assert!(QuarantinedMessages::<T>::get(0).is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
