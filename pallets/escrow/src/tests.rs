//! Unit tests: every call and error (each changes nothing), the scenarios, the pause clock, and
//! randomized call sequences that must keep the money invariant.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_runtime::DispatchError;
use tpchain_primitives::escrow::{Children, Condition, Node, MAX_CONDITION_NODES};

fn free(who: AccountId) -> Balance {
	<Balances as Inspect<AccountId>>::balance(&who)
}

fn held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::Escrow.into(), &who)
}

fn deposit_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::EscrowDeposit.into(), &who)
}

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn last_event() -> Event<Test> {
	System::events()
		.into_iter()
		.rev()
		.find_map(|r| match r.event {
			RuntimeEvent::EscrowPallet(e) => Some(e),
			_ => None,
		})
		.expect("an escrow event")
}

fn approvals(of: &[AccountId], threshold: u32) -> Leaf<AccountId> {
	Leaf::Approvals { of: of.to_vec().try_into().unwrap(), threshold }
}

fn all(leaves: Vec<Leaf<AccountId>>) -> Condition<AccountId> {
	let children: Children = (1..=leaves.len() as u8).collect::<Vec<_>>().try_into().unwrap();
	let mut nodes = vec![Node::All(children)];
	nodes.extend(leaves.into_iter().map(Node::Leaf));
	Condition { nodes: nodes.try_into().unwrap() }
}

fn ms(amount: Balance, condition: Condition<AccountId>) -> MilestoneOf<Test> {
	Milestone { amount, condition }
}

fn create(milestones: Vec<MilestoneOf<Test>>, expires_in: u64) -> DispatchResult {
	EscrowPallet::create(
		signed(PAYER),
		PAYEE,
		milestones,
		expires_in,
		vec![A1, A2],
		b"PO-1".to_vec(),
	)
}

fn simple(amount: Balance) -> Vec<MilestoneOf<Test>> {
	vec![ms(amount, Condition::leaf(approvals(&[PAYER], 1)))]
}

fn secret_hash(secret: &[u8]) -> H256 {
	H256(sp_io::hashing::blake2_256(secret))
}

// --- create ---

#[test]
fn create_works() {
	test(|| {
		assert_ok!(create(
			vec![ms(300, Condition::leaf(Leaf::Never)), ms(700, Condition::leaf(Leaf::Never))],
			20
		));
		let deposit = DEPOSIT_BASE + 2 * DEPOSIT_PER_MILESTONE;
		assert_eq!(held(PAYER), 1_000);
		assert_eq!(deposit_held(PAYER), deposit);
		assert_eq!(free(PAYER), FUNDS - 1_000 - deposit);
		assert_eq!(TotalHeld::<Test>::get(), 1_000);
		assert_eq!(
			last_event(),
			Event::EscrowCreated {
				id: 0,
				payer: PAYER,
				payee: PAYEE,
				amount: 1_000,
				milestones: 2,
				expires_at: 21,
				reference: b"PO-1".to_vec().try_into().unwrap(),
			}
		);
		assert_eq!(EscrowPallet::by_account(&PAYEE), vec![(0, Role::Payee)]);
		assert_eq!(EscrowPallet::by_account(&A2), vec![(0, Role::Arbiter)]);
		assert_ok!(create(simple(5), 20));
		assert_eq!(NextEscrowId::<Test>::get(), 2);
	});
}

#[test]
fn create_rejects_bad_payments() {
	test(|| {
		let never = || Condition::leaf(Leaf::Never);
		assert_noop!(
			EscrowPallet::create(signed(PAYER), PAYER, simple(5), 20, vec![], vec![]),
			Error::<Test>::PayerIsPayee
		);
		assert_noop!(create(vec![], 20), Error::<Test>::NoMilestones);
		assert_noop!(create(vec![ms(1, never()); 5], 20), Error::<Test>::TooManyMilestones);
		assert_noop!(create(vec![ms(0, never())], 20), Error::<Test>::ZeroAmount);
		assert_noop!(
			create(vec![ms(Balance::MAX / 2 + 1, never()), ms(Balance::MAX / 2 + 1, never())], 20),
			Error::<Test>::Overflow
		);
		assert_noop!(
			create(vec![ms(5, Condition { nodes: Default::default() })], 20),
			Error::<Test>::InvalidCondition
		);
		let unknown = Leaf::Attested { oracle: STRANGER, statement: H256::zero() };
		assert_noop!(
			create(vec![ms(5, Condition::leaf(unknown))], 20),
			Error::<Test>::UnknownOracle
		);
		assert_noop!(create(simple(5), 0), Error::<Test>::ZeroExpiry);
		assert_noop!(create(simple(FUNDS), 20), Error::<Test>::InsufficientBalance);
		assert_noop!(
			EscrowPallet::create(
				signed(PAYER),
				PAYEE,
				simple(5),
				20,
				vec![A1, A2, A3, ORACLE],
				vec![]
			),
			Error::<Test>::TooManyArbiters
		);
		assert_noop!(
			EscrowPallet::create(signed(PAYER), PAYEE, simple(5), 20, vec![A2, A1], vec![]),
			Error::<Test>::BadArbiters
		);
		assert_noop!(
			EscrowPallet::create(signed(PAYER), PAYEE, simple(5), 20, vec![PAYEE], vec![]),
			Error::<Test>::BadArbiters
		);
		assert_noop!(
			EscrowPallet::create(signed(PAYER), PAYEE, simple(5), 20, vec![], vec![0; 65]),
			Error::<Test>::ReferenceTooLong
		);
	});
}

#[test]
fn create_accepts_the_largest_condition_tree() {
	test(|| {
		let kids = |c: &[u8]| -> Children { c.to_vec().try_into().unwrap() };
		let appr = || Node::Leaf(approvals(&[A1, A2, A3], 2));
		// 16 nodes, depth 4: 0 → 3 → 12 → 14.
		let mut nodes = vec![
			Node::Any(kids(&[1, 2, 3])),
			Node::All(kids(&[4, 5, 6, 7, 8, 9, 10, 11])),
			Node::Leaf(Leaf::Preimage(secret_hash(b"k"))),
			Node::Any(kids(&[12, 13])),
		];
		nodes.extend((4..12).map(|_| appr()));
		nodes.push(Node::All(kids(&[14, 15])));
		nodes.push(Node::Leaf(Leaf::Never));
		nodes.push(Node::Leaf(Leaf::AfterBlock(3)));
		nodes.push(appr());
		assert_eq!(nodes.len(), MAX_CONDITION_NODES as usize);
		let condition = Condition { nodes: nodes.try_into().unwrap() };
		assert_ok!(create(vec![ms(5, condition)], 20));
		// Two of the board approve: every approvals leaf holds.
		assert_ok!(EscrowPallet::approve(signed(A1), 0, 0));
		assert_ok!(EscrowPallet::approve(signed(A2), 0, 0));
		System::set_block_number(3);
		assert_ok!(EscrowPallet::release(signed(PAYEE), 0, 0, None));
	});
}

// --- milestones: timelock and 2-of-3 ---

#[test]
fn two_milestone_payment_with_timelock_and_two_of_three() {
	test(|| {
		let board = [A1, A2, A3];
		assert_ok!(create(
			vec![
				ms(400, all(vec![Leaf::AfterBlock(5), approvals(&board, 2)])),
				ms(600, Condition::leaf(approvals(&board, 2))),
			],
			50
		));
		assert_ok!(EscrowPallet::approve(signed(A1), 0, 0));
		assert_ok!(EscrowPallet::approve(signed(A3), 0, 0));
		assert_eq!(last_event(), Event::MilestoneApproved { id: 0, milestone: 0, by: A3 });
		// Approved but too early.
		assert_noop!(
			EscrowPallet::release(signed(STRANGER), 0, 0, None),
			Error::<Test>::ConditionNotMet
		);
		System::set_block_number(5);
		assert_ok!(EscrowPallet::release(signed(STRANGER), 0, 0, None));
		assert_eq!(free(PAYEE), FUNDS + 400);
		assert_eq!(held(PAYER), 600);
		assert_noop!(
			EscrowPallet::release(signed(STRANGER), 0, 0, None),
			Error::<Test>::AlreadyReleased
		);
		// Second milestone: one approval is not enough.
		assert_ok!(EscrowPallet::approve(signed(A2), 0, 1));
		assert_noop!(
			EscrowPallet::release(signed(PAYEE), 0, 1, None),
			Error::<Test>::ConditionNotMet
		);
		assert_ok!(EscrowPallet::approve(signed(A1), 0, 1));
		assert_ok!(EscrowPallet::release(signed(PAYEE), 0, 1, None));
		assert_eq!(free(PAYEE), FUNDS + 1_000);
		// Fully released: closed, deposit back, indices and approvals gone.
		assert!(!Escrows::<Test>::contains_key(0));
		assert_eq!(free(PAYER), FUNDS - 1_000);
		assert!(EscrowPallet::by_account(&PAYER).is_empty());
		assert!(!Approvals::<Test>::contains_key(0, (1, A1)));
		assert_eq!(TotalHeld::<Test>::get(), 0);
	});
}

#[test]
fn approve_rejects_non_approvers_and_repeats() {
	test(|| {
		assert_noop!(EscrowPallet::approve(signed(A1), 0, 0), Error::<Test>::UnknownEscrow);
		assert_ok!(create(vec![ms(5, Condition::leaf(approvals(&[A1, A2], 1)))], 20));
		assert_noop!(EscrowPallet::approve(signed(STRANGER), 0, 0), Error::<Test>::NotApprover);
		assert_noop!(EscrowPallet::approve(signed(PAYEE), 0, 0), Error::<Test>::NotApprover);
		assert_noop!(EscrowPallet::approve(signed(A1), 0, 1), Error::<Test>::UnknownMilestone);
		assert_ok!(EscrowPallet::approve(signed(A1), 0, 0));
		assert_noop!(EscrowPallet::approve(signed(A1), 0, 0), Error::<Test>::AlreadyApproved);
	});
	test(|| {
		assert_ok!(create(
			vec![ms(5, Condition::leaf(approvals(&[A1], 1))), ms(5, Condition::leaf(Leaf::Never))],
			20
		));
		assert_ok!(EscrowPallet::approve(signed(A1), 0, 0));
		assert_ok!(EscrowPallet::release(signed(A1), 0, 0, None));
		assert_noop!(EscrowPallet::approve(signed(A1), 0, 0), Error::<Test>::AlreadyReleased);
	});
}

// --- hashlock ---

#[test]
fn hashlock_swap_reveals_the_preimage() {
	test(|| {
		let secret = b"swap secret 7f3a".to_vec();
		assert_ok!(create(
			vec![ms(500, Condition::leaf(Leaf::Preimage(secret_hash(&secret))))],
			20
		));
		assert_noop!(
			EscrowPallet::release(signed(PAYEE), 0, 0, None),
			Error::<Test>::ConditionNotMet
		);
		assert_noop!(
			EscrowPallet::release(signed(PAYEE), 0, 0, Some(b"wrong".to_vec())),
			Error::<Test>::ConditionNotMet
		);
		assert_noop!(
			EscrowPallet::release(
				signed(PAYEE),
				0,
				0,
				Some(vec![1; MAX_PREIMAGE_LEN as usize + 1])
			),
			Error::<Test>::PreimageTooLong
		);
		assert_ok!(EscrowPallet::release(signed(PAYEE), 0, 0, Some(secret.clone())));
		assert_eq!(
			last_event(),
			Event::EscrowReleased {
				id: 0,
				milestone: 0,
				to: PAYEE,
				amount: 500,
				preimage: Some(secret.try_into().unwrap()),
				reference: b"PO-1".to_vec().try_into().unwrap(),
			}
		);
		assert_eq!(free(PAYEE), FUNDS + 500);
	});
}

// --- oracles and time ---

#[test]
fn attested_delivery_and_wall_clock_release() {
	test(|| {
		let delivered = secret_hash(b"delivered order 42");
		assert_ok!(create(
			vec![
				ms(100, Condition::leaf(Leaf::Attested { oracle: ORACLE, statement: delivered })),
				ms(200, Condition::leaf(Leaf::AfterTime(1_000_000))),
			],
			20
		));
		assert_noop!(
			EscrowPallet::release(signed(PAYEE), 0, 0, None),
			Error::<Test>::ConditionNotMet
		);
		assert_noop!(
			EscrowPallet::attest(signed(STRANGER), 0, delivered),
			Error::<Test>::NotOracle
		);
		assert_noop!(
			EscrowPallet::attest(signed(ORACLE), 9, delivered),
			Error::<Test>::UnknownEscrow
		);
		assert_noop!(
			EscrowPallet::attest(signed(ORACLE), 0, secret_hash(b"something else")),
			Error::<Test>::NotEscrowOracle
		);
		assert_ok!(EscrowPallet::attest(signed(ORACLE), 0, delivered));
		assert_eq!(
			last_event(),
			Event::StatementAttested { id: 0, oracle: ORACLE, statement: delivered }
		);
		assert_noop!(
			EscrowPallet::attest(signed(ORACLE), 0, delivered),
			Error::<Test>::AlreadyAttested
		);
		assert_ok!(EscrowPallet::release(signed(PAYEE), 0, 0, None));
		assert_noop!(
			EscrowPallet::release(signed(PAYEE), 0, 1, None),
			Error::<Test>::ConditionNotMet
		);
		Timestamp::set_timestamp(1_000_000);
		assert_ok!(EscrowPallet::release(signed(PAYEE), 0, 1, None));
		assert_eq!(free(PAYEE), FUNDS + 300);
	});
}

#[test]
fn register_and_remove_oracle_work_and_reject_bad_calls() {
	test(|| {
		assert_noop!(EscrowPallet::register_oracle(signed(PAYER), A1), DispatchError::BadOrigin);
		assert_noop!(
			EscrowPallet::register_oracle(RuntimeOrigin::root(), ORACLE),
			Error::<Test>::OracleExists
		);
		assert_ok!(EscrowPallet::register_oracle(RuntimeOrigin::root(), A1));
		assert_eq!(last_event(), Event::OracleRegistered { oracle: A1 });
		assert_noop!(
			EscrowPallet::register_oracle(RuntimeOrigin::root(), A2),
			Error::<Test>::TooManyOracles
		);
		assert_noop!(EscrowPallet::remove_oracle(signed(PAYER), A1), DispatchError::BadOrigin);
		assert_ok!(EscrowPallet::remove_oracle(RuntimeOrigin::root(), A1));
		assert_eq!(last_event(), Event::OracleRemoved { oracle: A1 });
		assert_noop!(
			EscrowPallet::remove_oracle(RuntimeOrigin::root(), A1),
			Error::<Test>::NotOracle
		);
	});
}

// --- refund, cancel ---

#[test]
fn expired_escrow_is_refunded() {
	test(|| {
		assert_ok!(create(
			vec![
				ms(100, Condition::leaf(Leaf::Never)),
				ms(50, Condition::leaf(approvals(&[A1], 1)))
			],
			10
		));
		assert_ok!(EscrowPallet::approve(signed(A1), 0, 1));
		assert_ok!(EscrowPallet::release(signed(PAYEE), 0, 1, None));
		System::set_block_number(10);
		assert_noop!(EscrowPallet::refund(signed(STRANGER), 0), Error::<Test>::NotExpired);
		System::set_block_number(11);
		assert_ok!(EscrowPallet::refund(signed(STRANGER), 0));
		assert_eq!(
			last_event(),
			Event::EscrowRefunded {
				id: 0,
				to: PAYER,
				amount: 100,
				reference: b"PO-1".to_vec().try_into().unwrap()
			}
		);
		assert_eq!(free(PAYER), FUNDS - 50);
		assert_noop!(EscrowPallet::refund(signed(STRANGER), 0), Error::<Test>::UnknownEscrow);
	});
}

#[test]
fn cancel_needs_both_parties() {
	test(|| {
		assert_ok!(create(simple(100), 10));
		assert_noop!(EscrowPallet::cancel(signed(A1), 0), Error::<Test>::NotParty);
		assert_ok!(EscrowPallet::cancel(signed(PAYEE), 0));
		assert_eq!(last_event(), Event::CancelRequested { id: 0, by: PAYEE });
		assert_noop!(EscrowPallet::cancel(signed(PAYEE), 0), Error::<Test>::AlreadyRequested);
		assert_eq!(held(PAYER), 100);
		assert_ok!(EscrowPallet::cancel(signed(PAYER), 0));
		assert_eq!(free(PAYER), FUNDS);
		assert!(!Escrows::<Test>::contains_key(0));
		assert_noop!(EscrowPallet::cancel(signed(PAYER), 0), Error::<Test>::UnknownEscrow);
	});
}

// --- disputes ---

#[test]
fn dispute_is_resolved_by_an_arbiter() {
	test(|| {
		assert_ok!(create(vec![ms(1_000, Condition::leaf(Leaf::Never))], 10));
		assert_noop!(EscrowPallet::dispute(signed(A1), 0, vec![]), Error::<Test>::NotParty);
		assert_noop!(
			EscrowPallet::dispute(signed(PAYEE), 0, vec![0; MAX_REASON_LEN as usize + 1]),
			Error::<Test>::ReasonTooLong
		);
		assert_noop!(
			EscrowPallet::resolve(RuntimeOrigin::root(), 0, 500, 500),
			Error::<Test>::NotDisputed
		);
		assert_ok!(EscrowPallet::dispute(signed(PAYEE), 0, b"goods delivered, not paid".to_vec()));
		assert_noop!(EscrowPallet::dispute(signed(PAYER), 0, vec![]), Error::<Test>::Disputed);
		// Expiry stops: no refund, no release.
		System::set_block_number(50);
		assert_noop!(EscrowPallet::refund(signed(PAYER), 0), Error::<Test>::Disputed);
		assert_noop!(EscrowPallet::release(signed(PAYEE), 0, 0, None), Error::<Test>::Disputed);
		assert_noop!(
			EscrowPallet::resolve(signed(STRANGER), 0, 700, 300),
			Error::<Test>::NotArbiter
		);
		assert_noop!(EscrowPallet::resolve(signed(PAYEE), 0, 1_000, 0), Error::<Test>::NotArbiter);
		assert_noop!(
			EscrowPallet::resolve(signed(A2), 0, 700, 300),
			Error::<Test>::ArbitersNotAccepted
		);
		assert_ok!(EscrowPallet::accept_arbiters(signed(PAYEE), 0));
		assert_noop!(EscrowPallet::resolve(signed(A2), 0, 700, 301), Error::<Test>::InvalidSplit);
		assert_noop!(
			EscrowPallet::resolve(signed(A2), 0, Balance::MAX, 1),
			Error::<Test>::InvalidSplit
		);
		assert_ok!(EscrowPallet::resolve(signed(A2), 0, 700, 300));
		// The payee won: its bond came back.
		assert_eq!(free(PAYEE), FUNDS + 700);
		assert_eq!(free(PAYER), FUNDS - 700);
		assert_eq!(Balances::balance_on_hold(&HoldReason::DisputeBond.into(), &PAYEE), 0);
		assert!(!Escrows::<Test>::contains_key(0));
	});
}

#[test]
fn governance_arbiter_resolves_and_disputes_end_at_expiry() {
	test(|| {
		assert_ok!(create(simple(100), 10));
		assert_ok!(EscrowPallet::dispute(signed(PAYER), 0, vec![]));
		assert_ok!(EscrowPallet::resolve(RuntimeOrigin::root(), 0, 0, 100));
		assert_eq!(free(PAYER), FUNDS);
		assert_ok!(create(simple(100), 10));
		System::set_block_number(11);
		assert_noop!(EscrowPallet::dispute(signed(PAYEE), 1, vec![]), Error::<Test>::Expired);
	});
}

// --- pause ---

#[test]
fn pause_stops_funds_and_the_expiry_clock() {
	test(|| {
		assert_ok!(create(simple(100), 10)); // expires at escrow-clock 11
		assert_noop!(EscrowPallet::set_paused(signed(PAYER), true), DispatchError::BadOrigin);
		assert_noop!(
			EscrowPallet::set_paused(RuntimeOrigin::root(), false),
			Error::<Test>::PauseUnchanged
		);
		System::set_block_number(5);
		assert_ok!(EscrowPallet::set_paused(RuntimeOrigin::root(), true));
		assert_eq!(last_event(), Event::PauseSet { paused: true });
		assert_noop!(
			EscrowPallet::set_paused(RuntimeOrigin::root(), true),
			Error::<Test>::PauseUnchanged
		);
		System::set_block_number(30);
		assert_eq!(EscrowPallet::clock(), 5);
		assert_noop!(create(simple(1), 10), Error::<Test>::Paused);
		assert_noop!(EscrowPallet::refund(signed(PAYER), 0), Error::<Test>::Paused);
		assert_noop!(EscrowPallet::release(signed(PAYER), 0, 0, None), Error::<Test>::Paused);
		assert_noop!(EscrowPallet::cancel(signed(PAYER), 0), Error::<Test>::Paused);
		assert_noop!(
			EscrowPallet::resolve(RuntimeOrigin::root(), 0, 0, 100),
			Error::<Test>::Paused
		);
		// Approvals are still recorded.
		assert_ok!(EscrowPallet::approve(signed(PAYER), 0, 0));
		assert_ok!(EscrowPallet::set_paused(RuntimeOrigin::root(), false));
		// 25 paused blocks do not count: at block 30 the clock is 5, expiry is at 11.
		assert_noop!(EscrowPallet::refund(signed(PAYER), 0), Error::<Test>::NotExpired);
		System::set_block_number(36);
		assert_eq!(EscrowPallet::clock(), 11);
		assert_ok!(EscrowPallet::refund(signed(PAYER), 0));
	});
}

// --- never ---

#[test]
fn never_condition_releases_only_through_resolution() {
	test(|| {
		assert_ok!(create(vec![ms(100, Condition::leaf(Leaf::Never))], 10));
		System::set_block_number(1_000);
		Timestamp::set_timestamp(u64::MAX);
		assert_noop!(
			EscrowPallet::release(signed(PAYEE), 0, 0, Some(vec![1])),
			Error::<Test>::ConditionNotMet
		);
		assert_noop!(
			EscrowPallet::release(signed(PAYEE), 0, 7, None),
			Error::<Test>::UnknownMilestone
		);
		assert_noop!(
			EscrowPallet::release(signed(PAYEE), 9, 0, None),
			Error::<Test>::UnknownEscrow
		);
	});
}

// --- the invariant under random sequences ---

/// The fuzz target: random sequences of calls by random accounts (reproducible from the seed);
/// whatever succeeds or fails, the money invariant holds after every call and total issuance
/// never changes. `ESCROW_FUZZ_RUNS` / `ESCROW_FUZZ_SEED` run it longer or elsewhere, e.g.
/// `ESCROW_FUZZ_RUNS=20000 cargo test --release -p pallet-escrow random_call_sequences`.
#[test]
fn random_call_sequences_keep_the_money_invariant() {
	let env = |name: &str, default: u64| {
		std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
	};
	let runs = env("ESCROW_FUZZ_RUNS", 40);
	let mut seed: u64 = env("ESCROW_FUZZ_SEED", 0x2545_f491_4f6c_dd1d).max(1);
	let mut next = move |n: u64| {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		seed % n
	};
	let accounts = [PAYER, PAYEE, A1, A2, A3, ORACLE, STRANGER];
	let statement = secret_hash(b"s");
	let mut succeeded = [0u32; 10];
	for _ in 0..runs {
		new_test_ext().execute_with(|| {
			let issuance = <Balances as Inspect<AccountId>>::total_issuance();
			for step in 0..60u64 {
				let who = accounts[next(accounts.len() as u64) as usize];
				let other = accounts[next(accounts.len() as u64) as usize];
				let id = next(NextEscrowId::<Test>::get() + 1);
				let m = next(3) as u32;
				let leaf = match next(5) {
					0 => Leaf::AfterBlock(next(20) as u32),
					1 => approvals(&[A1, A2, A3], 1 + next(3) as u32),
					2 => Leaf::Preimage(secret_hash(b"k")),
					3 => Leaf::Attested { oracle: ORACLE, statement },
					_ => Leaf::Never,
				};
				let kind = next(10);
				let result = match kind {
					0 | 1 => EscrowPallet::create(
						signed(who),
						other,
						vec![
							ms(1 + next(3_000) as u128, Condition::leaf(leaf.clone()));
							1 + next(3) as usize
						],
						1 + next(15),
						vec![],
						vec![],
					),
					2 => EscrowPallet::approve(signed(who), id, m),
					3 => EscrowPallet::attest(signed(who), id, statement),
					4 => EscrowPallet::release(signed(who), id, m, Some(b"k".to_vec())),
					5 => EscrowPallet::refund(signed(who), id),
					6 => EscrowPallet::cancel(signed(who), id),
					7 => EscrowPallet::dispute(signed(who), id, vec![]),
					8 => {
						// Mostly a disputed escrow and a valid split of what remains.
						let disputed: Vec<_> = Escrows::<Test>::iter()
							.filter(|(_, e)| matches!(e.state, EscrowState::Disputed { .. }))
							.map(|(i, _)| i)
							.collect();
						let id = match disputed.len() as u64 {
							0 => id,
							n => disputed[next(n) as usize],
						};
						let remaining = Escrows::<Test>::get(id)
							.map(|e| EscrowPallet::remaining(&e))
							.unwrap_or_default();
						let to_payee = next(remaining as u64 + 1) as u128;
						let origin = if next(2) == 0 { RuntimeOrigin::root() } else { signed(who) };
						EscrowPallet::resolve(
							origin,
							id,
							to_payee,
							remaining - to_payee + next(2) as u128,
						)
					},
					_ => EscrowPallet::set_paused(RuntimeOrigin::root(), next(2) == 0),
				};
				if result.is_ok() {
					succeeded[kind as usize] += 1;
				}
				System::set_block_number(2 + step / 3);
				EscrowPallet::do_try_state().expect("invariant holds after every call");
				assert_eq!(<Balances as Inspect<AccountId>>::total_issuance(), issuance);
			}
		});
	}
	// Every kind of call, including each that moves money, really happened.
	assert!(succeeded.iter().all(|&n| n > 0), "calls that succeeded, by kind: {succeeded:?}");
}

// --- a payer freezing itself ---

fn freeze_payer() {
	use frame_support::traits::fungible::MutateFreeze;
	assert_ok!(<Balances as MutateFreeze<AccountId>>::set_freeze(&0, &PAYER, Balance::MAX));
}

#[test]
fn frozen_payer_cannot_block_a_release() {
	test(|| {
		assert_ok!(create(simple(700), 20));
		freeze_payer();
		assert_ok!(EscrowPallet::approve(signed(PAYER), 0, 0));
		assert_ok!(EscrowPallet::release(signed(PAYEE), 0, 0, None));
		assert_eq!(free(PAYEE), FUNDS + 700);
		assert_eq!(held(PAYER), 0);
	});
}

#[test]
fn frozen_payer_cannot_block_a_hashlock_release_after_the_secret_is_out() {
	test(|| {
		let secret = b"swap secret 7f3a".to_vec();
		assert_ok!(create(
			vec![ms(500, Condition::leaf(Leaf::Preimage(secret_hash(&secret))))],
			20
		));
		freeze_payer();
		assert_ok!(EscrowPallet::release(signed(PAYEE), 0, 0, Some(secret)));
		assert_eq!(free(PAYEE), FUNDS + 500);
		assert!(Escrows::<Test>::get(0).is_none());
	});
}

#[test]
fn frozen_payer_cannot_block_a_resolution() {
	test(|| {
		assert_ok!(create(simple(900), 20));
		assert_ok!(EscrowPallet::accept_arbiters(signed(PAYEE), 0));
		assert_ok!(EscrowPallet::dispute(signed(PAYEE), 0, b"not delivered".to_vec()));
		freeze_payer();
		assert_ok!(EscrowPallet::resolve(signed(A1), 0, 600, 300));
		assert_eq!(free(PAYEE), FUNDS + 600);
		assert_eq!(held(PAYER), 0);
	});
}

// --- outside emergencies stop the escrow clock ---

fn run_block(n: u64) {
	use frame_support::traits::OnInitialize;
	System::set_block_number(n);
	<EscrowPallet as OnInitialize<u64>>::on_initialize(n);
}

#[test]
fn safe_mode_cannot_run_out_an_escrow_while_disputes_are_impossible() {
	test(|| {
		assert_ok!(create(simple(400), 20));
		let expires_at = Escrows::<Test>::get(0).unwrap().expires_at;
		assert_eq!(expires_at, 21);
		run_block(5);
		// Safe mode (or a paused `Escrow::dispute`) from block 6 to block 40.
		OutsideStop::set(&true);
		run_block(6);
		run_block(40);
		assert_eq!(EscrowPallet::clock(), 6);
		OutsideStop::set(&false);
		run_block(41);
		assert_eq!(EscrowPallet::clock(), 6);
		// 35 blocks of standstill: the payer cannot take a refund, the payee can still dispute.
		assert_noop!(EscrowPallet::refund(signed(STRANGER), 0), Error::<Test>::NotExpired);
		assert_ok!(EscrowPallet::dispute(signed(PAYEE), 0, b"late".to_vec()));
	});
}

#[test]
fn overlapping_pause_and_outside_stop_count_once() {
	test(|| {
		run_block(2);
		assert_ok!(EscrowPallet::set_paused(RuntimeOrigin::root(), true));
		OutsideStop::set(&true);
		run_block(5);
		run_block(8);
		assert_ok!(EscrowPallet::set_paused(RuntimeOrigin::root(), false));
		assert_eq!(EscrowPallet::clock(), 2, "still stopped from outside");
		OutsideStop::set(&false);
		run_block(10);
		run_block(12);
		// Stopped from block 2 to block 10: 8 blocks, counted once.
		assert_eq!(EscrowPallet::clock(), 4);
		assert_eq!(PausedBlocks::<Test>::get(), 8);
	});
}

// --- arbiters, bonds and attestations the payer cannot game ---

fn bond_held(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::DisputeBond.into(), &who)
}

#[test]
fn payer_named_arbiter_cannot_resolve_without_the_payees_consent() {
	test(|| {
		// The payer names its own puppet (A1) as arbiter and disputes a payment it owes.
		assert_ok!(create(vec![ms(1_000, Condition::leaf(Leaf::Never))], 10));
		assert_ok!(EscrowPallet::dispute(signed(PAYER), 0, b"changed my mind".to_vec()));
		assert_noop!(
			EscrowPallet::resolve(signed(A1), 0, 0, 1_000),
			Error::<Test>::ArbitersNotAccepted
		);
		// Governance still resolves.
		assert_ok!(EscrowPallet::resolve(RuntimeOrigin::root(), 0, 1_000, 0));
		assert_eq!(free(PAYEE), FUNDS + 1_000 + BOND, "the payee won the payer's bond");
		assert_eq!(free(PAYER), FUNDS - 1_000 - BOND);
		assert_eq!(bond_held(PAYER), 0);
	});
}

#[test]
fn accept_arbiters_works_and_rejects_bad_calls() {
	test(|| {
		assert_ok!(create(simple(10), 10));
		assert_noop!(EscrowPallet::accept_arbiters(signed(PAYEE), 5), Error::<Test>::UnknownEscrow);
		assert_noop!(EscrowPallet::accept_arbiters(signed(PAYER), 0), Error::<Test>::NotPayee);
		assert_noop!(EscrowPallet::accept_arbiters(signed(A1), 0), Error::<Test>::NotPayee);
		assert_ok!(EscrowPallet::accept_arbiters(signed(PAYEE), 0));
		assert_eq!(last_event(), Event::ArbitersAccepted { id: 0 });
		assert!(EscrowPallet::view(0).unwrap().arbiters_accepted);
		assert_noop!(
			EscrowPallet::accept_arbiters(signed(PAYEE), 0),
			Error::<Test>::AlreadyAccepted
		);
		assert_ok!(EscrowPallet::create(signed(PAYER), PAYEE, simple(10), 10, vec![], vec![]));
		assert_noop!(EscrowPallet::accept_arbiters(signed(PAYEE), 1), Error::<Test>::NoArbiters);
	});
}

#[test]
fn payer_cannot_dispute_a_payment_that_is_due() {
	test(|| {
		assert_ok!(create(
			vec![
				ms(300, Condition::leaf(Leaf::AfterBlock(5))),
				ms(700, Condition::leaf(Leaf::Never))
			],
			20
		));
		System::set_block_number(5);
		// The first milestone is due: a dispute would freeze it.
		assert_noop!(
			EscrowPallet::dispute(signed(PAYER), 0, b"stall".to_vec()),
			Error::<Test>::ConditionMet
		);
		assert_noop!(EscrowPallet::dispute(signed(PAYEE), 0, vec![]), Error::<Test>::ConditionMet);
		// Once it is paid, what remains is not due and may be disputed.
		assert_ok!(EscrowPallet::release(signed(STRANGER), 0, 0, None));
		assert_ok!(EscrowPallet::dispute(signed(PAYER), 0, b"goods faulty".to_vec()));
		assert_eq!(bond_held(PAYER), BOND);
		assert_eq!(EscrowPallet::view(0).unwrap().dispute_bond, Some(BOND));
	});
}

#[test]
fn dispute_without_the_bond_is_rejected() {
	test(|| {
		assert_ok!(create(simple(100), 10));
		use frame_support::traits::fungible::Mutate;
		<Balances as Mutate<AccountId>>::set_balance(&PAYEE, BOND);
		assert_noop!(
			EscrowPallet::dispute(signed(PAYEE), 0, vec![]),
			Error::<Test>::InsufficientBond
		);
	});
}

#[test]
fn losing_disputer_forfeits_the_bond_and_a_tie_returns_it() {
	test(|| {
		assert_ok!(create(vec![ms(1_000, Condition::leaf(Leaf::Never))], 10));
		assert_ok!(EscrowPallet::dispute(signed(PAYEE), 0, vec![]));
		assert_eq!(free(PAYEE), FUNDS - BOND);
		assert_ok!(EscrowPallet::resolve(RuntimeOrigin::root(), 0, 100, 900));
		assert_eq!(
			last_event(),
			Event::EscrowResolved {
				id: 0,
				payee: PAYEE,
				to_payee: 100,
				payer: PAYER,
				to_payer: 900,
				bond_to: PAYER,
				reference: b"PO-1".to_vec().try_into().unwrap(),
			}
		);
		assert_eq!(free(PAYEE), FUNDS - BOND + 100);
		assert_eq!(free(PAYER), FUNDS - 100 + BOND);
		// An even split: the disputer keeps its bond.
		assert_ok!(create(vec![ms(1_000, Condition::leaf(Leaf::Never))], 10));
		assert_ok!(EscrowPallet::dispute(signed(PAYER), 1, vec![]));
		assert_ok!(EscrowPallet::resolve(RuntimeOrigin::root(), 1, 500, 500));
		assert_eq!(bond_held(PAYER), 0);
		assert_eq!(free(PAYER), FUNDS - 100 + BOND - 500);
	});
}

#[test]
fn mutual_cancel_of_a_dispute_returns_the_bond() {
	test(|| {
		assert_ok!(create(simple(100), 10));
		assert_ok!(EscrowPallet::dispute(signed(PAYEE), 0, vec![]));
		assert_ok!(EscrowPallet::cancel(signed(PAYER), 0));
		assert_ok!(EscrowPallet::cancel(signed(PAYEE), 0));
		assert_eq!(bond_held(PAYEE), 0);
		assert_eq!(free(PAYEE), FUNDS);
		assert_eq!(free(PAYER), FUNDS);
	});
}

fn attested_escrow(statement: H256) {
	assert_ok!(create(
		vec![ms(100, Condition::leaf(Leaf::Attested { oracle: ORACLE, statement }))],
		20
	));
}

#[test]
fn attestation_for_one_escrow_cannot_release_another() {
	test(|| {
		let delivered = secret_hash(b"delivered");
		attested_escrow(delivered);
		attested_escrow(delivered);
		assert_ok!(EscrowPallet::attest(signed(ORACLE), 0, delivered));
		assert_ok!(EscrowPallet::release(signed(PAYEE), 0, 0, None));
		assert_noop!(
			EscrowPallet::release(signed(PAYEE), 1, 0, None),
			Error::<Test>::ConditionNotMet
		);
		// Closing escrow 0 cleared its attestation.
		assert_eq!(Attestations::<Test>::iter_prefix(0).count(), 0);
	});
}

#[test]
fn removed_oracles_attestations_cannot_release_even_after_re_registration() {
	test(|| {
		let delivered = secret_hash(b"delivered");
		attested_escrow(delivered);
		assert_ok!(EscrowPallet::attest(signed(ORACLE), 0, delivered));
		// Governance removes the (compromised) oracle: what it attested is void.
		assert_ok!(EscrowPallet::remove_oracle(RuntimeOrigin::root(), ORACLE));
		assert_noop!(
			EscrowPallet::release(signed(PAYEE), 0, 0, None),
			Error::<Test>::ConditionNotMet
		);
		System::set_block_number(3);
		assert_ok!(EscrowPallet::register_oracle(RuntimeOrigin::root(), ORACLE));
		assert_noop!(
			EscrowPallet::release(signed(PAYEE), 0, 0, None),
			Error::<Test>::ConditionNotMet
		);
		// A fresh attestation under the new registration counts.
		assert_ok!(EscrowPallet::attest(signed(ORACLE), 0, delivered));
		assert_noop!(
			EscrowPallet::attest(signed(ORACLE), 0, delivered),
			Error::<Test>::AlreadyAttested
		);
		assert_ok!(EscrowPallet::release(signed(PAYEE), 0, 0, None));
	});
}
