//! Runtime-level tests of defences that live in how pallets combine: a governance revert
//! against another pallet's call filter, a bridge quarantine against a governance decision.

use crate::{
	genesis_config_presets::Governance as Periods, AccountId, BlockNumber, Bridge, Governance,
	RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
};
use alloc::{boxed::Box, vec, vec::Vec};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::BuildGenesisConfig, weights::Weight};
use pallet_governance::{Proposal, ProposalId, ProposalStatus, Tally, Track};
use sp_runtime::{traits::Dispatchable, BuildStorage};
use tpchain_primitives::{bridge::BridgeLimits, ChainId};

type Runtime = crate::Runtime;

/// A chain whose governance has `tracks` and `emergency_period`, at block 1.
fn chain(
	tracks: Vec<(Track, pallet_governance::TrackParams<BlockNumber>)>,
	emergency: BlockNumber,
) -> sp_io::TestExternalities {
	let mut ext: sp_io::TestExternalities =
		frame_system::GenesisConfig::<Runtime>::default().build_storage().unwrap().into();
	ext.execute_with(|| {
		pallet_governance::GenesisConfig::<Runtime> { tracks, emergency_period: emergency }.build();
		System::set_block_number(1);
	});
	ext
}

/// The periods `chain-specs/make-spec` writes by default (2 s blocks): votes of 1 day,
/// enactment after 1 h, emergency votes of 30 min, emergency effects of 3 days.
fn shipped_defaults() -> sp_io::TestExternalities {
	chain(Periods::with_periods(43_200, 1_800, 900), 129_600)
}

/// Stores emergency proposal 0 of `call` as executed, its effect pending expiry at `expires_at`.
fn emergency_in_force(call: &RuntimeCall, expires_at: BlockNumber) -> ProposalId {
	let encoded = call.encode();
	pallet_governance::Proposals::<Runtime>::insert(
		0,
		Proposal {
			track: Track::Emergency,
			proposer: 0,
			depositor: crate::AccountId::new([1; 32]),
			deposit: 0,
			call: encoded.clone().try_into().unwrap(),
			call_hash: sp_io::hashing::blake2_256(&encoded),
			call_weight: Weight::zero(),
			submitted_at: 1,
			status: ProposalStatus::Executed { at: 1, ok: true },
			tally: Tally::default(),
			electorate: 1,
			error: None,
			expires_at: Some(expires_at),
			ratified: false,
		},
	);
	0
}

#[test]
fn safe_mode_cannot_keep_an_expired_escrow_pause_in_force() {
	shipped_defaults().execute_with(|| {
		let pause = RuntimeCall::Escrow(pallet_escrow::Call::set_paused { paused: true });
		assert_ok!(pause.clone().dispatch(RuntimeOrigin::root()));
		let id = emergency_in_force(&pause, 10);
		// A safe mode entered since filters every escrow call, the pause's revert included.
		pallet_safe_mode::EnteredUntil::<Runtime>::put(1_000);
		let unpause = RuntimeCall::Escrow(pallet_escrow::Call::set_paused { paused: false });
		let emergency: RuntimeOrigin = pallet_governance::Origin::Emergency.into();
		assert_eq!(
			unpause.dispatch(emergency).unwrap_err().error,
			frame_system::Error::<Runtime>::CallFiltered.into()
		);
		System::set_block_number(10);
		assert_ok!(Governance::expire(RuntimeOrigin::root(), id, Weight::MAX));
		assert_eq!(pallet_escrow::PausedSince::<Runtime>::get(), None, "the pause expired");
		assert_eq!(pallet_governance::Proposals::<Runtime>::get(id).unwrap().expires_at, None);
		let expired = RuntimeEvent::Governance(pallet_governance::Event::EmergencyExpired {
			proposal: id,
			result: Ok(()),
		});
		assert!(System::events().iter().any(|r| r.event == expired));
	});
}

/// Registers counterparty 2 with one authority (Root: the membership track).
fn register() -> ChainId {
	use sp_runtime::traits::Header as _;
	let chain = ChainId(2);
	let key = sp_core::ed25519::Public::from_raw([7; 32]);
	assert_ok!(Bridge::initialize(
		RuntimeOrigin::root(),
		chain,
		Box::new(tpchain_primitives::Header::new(
			1,
			Default::default(),
			Default::default(),
			Default::default(),
			Default::default(),
		)),
		vec![(key.into(), 1)],
		0,
	));
	chain
}

fn quarantining(delay: BlockNumber) -> BridgeLimits<u128, BlockNumber> {
	BridgeLimits {
		max_transfer: 1_000,
		window: 100,
		window_limit: 10_000,
		quarantine_threshold: 100,
		quarantine_delay: delay,
		header_threshold: 1_000,
		min_header_age: 0,
	}
}

#[test]
fn quarantine_cannot_release_before_a_cancellation_vote_with_shipped_defaults() {
	shipped_defaults().execute_with(|| {
		// Voting period plus enactment of the parameters track.
		let decision = 43_200 + 1_800;
		assert_eq!(Governance::parameters_decision_time(), Some(decision));
		let chain = register();
		// A one-day quarantine would release before the cancellation enacts.
		assert_noop!(
			Bridge::set_limits(RuntimeOrigin::root(), chain, quarantining(43_200)),
			pallet_bridge::Error::<Runtime>::QuarantineTooShort
		);
		assert_noop!(
			Bridge::set_limits(RuntimeOrigin::root(), chain, quarantining(decision)),
			pallet_bridge::Error::<Runtime>::QuarantineTooShort
		);
		assert_ok!(Bridge::set_limits(RuntimeOrigin::root(), chain, quarantining(decision + 1)));
		// Now governance cannot slow its parameters track past that quarantine.
		let mut params = pallet_governance::Tracks::<Runtime>::get(Track::Parameters).unwrap();
		params.enactment_delay = 1_801;
		assert_noop!(
			Governance::set_track(RuntimeOrigin::root(), Track::Parameters, params),
			pallet_governance::Error::<Runtime>::InvalidTrackParams
		);
		params.enactment_delay = 1_800;
		params.voting_period = 43_000;
		assert_ok!(Governance::set_track(RuntimeOrigin::root(), Track::Parameters, params));
	});
}

/// A node serving receipts finds the batches an extrinsic settles through the runtime's
/// wrappers, in dispatch order, and nothing in calls that settle nothing.
#[test]
fn receipts_find_batches_inside_utility_and_multisig_wrappers() {
	use crate::configs::settlement::batches_in;
	use tpchain_primitives::settlement::{Expiry, PaymentInstruction, SignedInstruction};
	let signed = |sequence: u64| SignedInstruction {
		instruction: PaymentInstruction {
			payer: AccountId::new([1; 32]),
			payee: AccountId::new([2; 32]),
			amount: 5,
			sequence,
			expiry: Expiry::Block(9),
			reference: [0; 16],
		},
		signature: sp_runtime::MultiSignature::Sr25519(sp_core::sr25519::Signature::from_raw(
			[0; 64],
		)),
	};
	let settle = |seqs: &[u64]| {
		RuntimeCall::Settlement(pallet_settlement::Call::settle {
			batch: seqs.iter().map(|s| signed(*s)).collect::<Vec<_>>().try_into().unwrap(),
		})
	};
	let found = |call: &RuntimeCall| {
		let mut out = Vec::new();
		batches_in(call, &mut out);
		out.iter()
			.map(|b| b.iter().map(|s| s.instruction.sequence).collect::<Vec<_>>())
			.collect::<Vec<_>>()
	};
	assert_eq!(found(&settle(&[1, 2])), vec![vec![1, 2]]);
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
	let wrapped = RuntimeCall::Utility(pallet_utility::Call::batch_all {
		calls: vec![
			settle(&[3]),
			remark.clone(),
			RuntimeCall::Multisig(pallet_multisig::Call::as_multi_threshold_1 {
				other_signatories: vec![AccountId::new([7; 32])],
				call: Box::new(settle(&[4, 5])),
			}),
		],
	});
	assert_eq!(found(&wrapped), vec![vec![3], vec![4, 5]]);
	assert!(found(&remark).is_empty());
	// Nesting deeper than anyone wraps a settlement is not followed (bounded work).
	let mut deep = settle(&[6]);
	for _ in 0..6 {
		deep = RuntimeCall::Utility(pallet_utility::Call::batch { calls: vec![deep] });
	}
	assert!(found(&deep).is_empty());
}

/// The largest batch `settle` accepts, among the most distinct accounts it can name, fits one
/// extrinsic of the normal class in weight and in length: `MAX_INSTRUCTIONS` is sized to it.
#[test]
fn full_settlement_batch_fits_a_block() {
	use codec::MaxEncodedLen;
	use frame_support::dispatch::DispatchClass;
	use tpchain_primitives::settlement::SignedInstruction;
	const MAX: u32 = crate::configs::settlement::MAX_INSTRUCTIONS;
	let weights = <Runtime as frame_system::Config>::BlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let full = pallet_settlement::settle_weight::<<Runtime as pallet_settlement::Config>::WeightInfo>(
		MAX,
		2 * MAX,
	);
	let limit = normal.max_extrinsic.expect("a normal extrinsic limit");
	assert!(full.all_lte(limit), "{full:?} above {limit:?}");
	// A quarter of the class left: a full batch does not crowd out everything else.
	assert!(full.ref_time() <= limit.ref_time() / 4 * 3, "{full:?} vs {limit:?}");
	let length = <Runtime as frame_system::Config>::BlockLength::get();
	let batch_len = (MAX as usize) * SignedInstruction::max_encoded_len() + 8;
	assert!(batch_len <= *length.max.get(DispatchClass::Normal) as usize, "{batch_len}");
}
