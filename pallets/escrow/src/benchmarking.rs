//! Benchmarks of the escrow pallet. Conditions are the worst case: 16 nodes, every leaf an
//! `Approvals` of the maximum number of accounts, all of which must be evaluated.

use super::*;
use frame_benchmarking::v2::*;
use frame_system::RawOrigin;
use tpchain_primitives::escrow::{Children, Condition, Node, MAX_APPROVERS};

const SEED: u32 = 0;

fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, unit::<T>().saturating_mul(1_000_000u32.into()));
	who
}

fn unit<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(1u32.into()).saturating_mul(1_000u32.into())
}

fn approvers<T: Config>() -> Vec<T::AccountId> {
	let mut a: Vec<T::AccountId> = (0..MAX_APPROVERS).map(|i| funded::<T>("approver", i)).collect();
	a.sort();
	a
}

/// All(All(7 leaves), 7 leaves): 16 nodes, 14 leaves of `MAX_APPROVERS` approvers, all needed.
fn worst_condition<T: Config>(approvers: &[T::AccountId]) -> Condition<T::AccountId> {
	let kids = |c: core::ops::RangeInclusive<u8>| -> Children {
		c.collect::<Vec<_>>().try_into().expect("within MAX_CONDITION_CHILDREN")
	};
	let leaf = || {
		Node::Leaf(Leaf::Approvals {
			of: approvers.to_vec().try_into().expect("MAX_APPROVERS accounts"),
			threshold: MAX_APPROVERS,
		})
	};
	let mut nodes = alloc::vec![Node::All(kids(1..=8)), Node::All(kids(9..=15))];
	nodes.extend((2..=15).map(|_| leaf()));
	Condition { nodes: nodes.try_into().expect("16 nodes") }
}

fn arbiters<T: Config>() -> Vec<T::AccountId> {
	let mut a: Vec<T::AccountId> =
		(0..T::MaxArbiters::get()).map(|i| funded::<T>("arbiter", i)).collect();
	a.sort();
	a
}

/// An escrow of `milestones` worst-case milestones from a funded payer; returns its id and
/// the parties.
fn escrow<T: Config>(milestones: u32) -> (EscrowId, T::AccountId, T::AccountId, Vec<T::AccountId>) {
	let approvers = approvers::<T>();
	let m = Milestone { amount: unit::<T>(), condition: worst_condition::<T>(&approvers) };
	escrow_of::<T>(alloc::vec![m; milestones as usize], approvers)
}

/// An escrow of `MaxMilestones` worst-case milestones whose last leaf is `last`.
fn escrow_with_last<T: Config>(
	last: Leaf<T::AccountId>,
) -> (EscrowId, T::AccountId, T::AccountId, Vec<T::AccountId>) {
	let approvers = approvers::<T>();
	let mut condition = worst_condition::<T>(&approvers);
	let n = condition.nodes.len();
	condition.nodes[n - 1] = Node::Leaf(last);
	let mut ms = alloc::vec![
		Milestone { amount: unit::<T>(), condition: worst_condition::<T>(&approvers) };
		T::MaxMilestones::get() as usize - 1
	];
	ms.push(Milestone { amount: unit::<T>(), condition });
	escrow_of::<T>(ms, approvers)
}

fn escrow_of<T: Config>(
	milestones: Vec<MilestoneOf<T>>,
	approvers: Vec<T::AccountId>,
) -> (EscrowId, T::AccountId, T::AccountId, Vec<T::AccountId>) {
	let payer = funded::<T>("payer", 0);
	let payee = funded::<T>("payee", 0);
	let id = NextEscrowId::<T>::get();
	Pallet::<T>::create(
		RawOrigin::Signed(payer.clone()).into(),
		payee.clone(),
		milestones,
		10u32.into(),
		arbiters::<T>(),
		alloc::vec![7; 64],
	)
	.expect("escrow created");
	(id, payer, payee, approvers)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create(m: Linear<1, { T::MaxMilestones::get() }>) {
		let payer = funded::<T>("payer", 0);
		let payee = funded::<T>("payee", 0);
		let approvers = approvers::<T>();
		let milestone =
			Milestone { amount: unit::<T>(), condition: worst_condition::<T>(&approvers) };

		#[extrinsic_call]
		_(
			RawOrigin::Signed(payer),
			payee,
			alloc::vec![milestone; m as usize],
			10u32.into(),
			arbiters::<T>(),
			alloc::vec![7; 64],
		);

		assert!(Escrows::<T>::contains_key(0));
	}

	#[benchmark]
	fn approve() {
		let (id, _, _, approvers) = escrow::<T>(1);
		let last = approvers.last().expect("approvers").clone();

		#[extrinsic_call]
		_(RawOrigin::Signed(last.clone()), id, 0);

		assert!(Approvals::<T>::contains_key(id, (0, last)));
	}

	/// The statement named last: every leaf of every milestone is searched.
	#[benchmark]
	fn attest() -> Result<(), BenchmarkError> {
		let oracle = funded::<T>("oracle", 0);
		let origin =
			T::OracleOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		Pallet::<T>::register_oracle(origin, oracle.clone())
			.map_err(|_| BenchmarkError::Weightless)?;
		let statement = H256::repeat_byte(1);
		let (id, _, _, _) =
			escrow_with_last::<T>(Leaf::Attested { oracle: oracle.clone(), statement });

		#[extrinsic_call]
		_(RawOrigin::Signed(oracle.clone()), id, statement);

		assert!(Attestations::<T>::contains_key(id, (oracle, statement)));
		Ok(())
	}

	#[benchmark]
	fn accept_arbiters() {
		let (id, _, payee, _) = escrow::<T>(T::MaxMilestones::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(payee), id);

		assert_eq!(Escrows::<T>::get(id).map(|e| e.arbiters_accepted), Some(true));
	}

	/// The last milestone: evaluates the whole worst-case tree, pays, closes the escrow.
	#[benchmark]
	fn release() {
		let (id, _, payee, approvers) = escrow::<T>(1);
		for a in &approvers {
			Pallet::<T>::approve(RawOrigin::Signed(a.clone()).into(), id, 0).expect("approved");
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(payee), id, 0, Some(alloc::vec![1; MAX_PREIMAGE_LEN as usize]));

		assert!(!Escrows::<T>::contains_key(id));
	}

	#[benchmark]
	fn refund() {
		let (id, payer, _, _) = escrow::<T>(T::MaxMilestones::get());
		let now = frame_system::Pallet::<T>::block_number();
		frame_system::Pallet::<T>::set_block_number(now.saturating_add(10u32.into()));

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id);

		assert!(!Escrows::<T>::contains_key(id));
	}

	/// The second consent, which executes the cancel.
	#[benchmark]
	fn cancel() {
		let (id, payer, payee, _) = escrow::<T>(T::MaxMilestones::get());
		Pallet::<T>::cancel(RawOrigin::Signed(payee).into(), id).expect("first consent");

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id);

		assert!(!Escrows::<T>::contains_key(id));
	}

	/// Every milestone's worst-case condition is evaluated (none holds) before the bond.
	#[benchmark]
	fn dispute() {
		let (id, payer, _, _) = escrow::<T>(T::MaxMilestones::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(payer), id, alloc::vec![1; MAX_REASON_LEN as usize]);

		assert!(matches!(
			Escrows::<T>::get(id).map(|e| e.state),
			Some(EscrowState::Disputed { .. })
		));
	}

	/// By the last arbiter (binary search over the full list), splitting both ways, the bond
	/// moving to the other party.
	#[benchmark]
	fn resolve() {
		let (id, payer, payee, _) = escrow::<T>(T::MaxMilestones::get());
		Pallet::<T>::accept_arbiters(RawOrigin::Signed(payee).into(), id).expect("accepted");
		Pallet::<T>::dispute(RawOrigin::Signed(payer).into(), id, Vec::new()).expect("disputed");
		let arbiter = arbiters::<T>().last().expect("arbiters").clone();
		let remaining = Pallet::<T>::remaining(&Escrows::<T>::get(id).expect("open"));
		let to_payer = unit::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(arbiter), id, remaining.saturating_sub(to_payer), to_payer);

		assert!(!Escrows::<T>::contains_key(id));
	}

	#[benchmark]
	fn register_oracle() -> Result<(), BenchmarkError> {
		let origin =
			T::OracleOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let oracle: T::AccountId = account("oracle", 0, SEED);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, oracle.clone());

		assert!(Oracles::<T>::contains_key(oracle));
		Ok(())
	}

	#[benchmark]
	fn remove_oracle() -> Result<(), BenchmarkError> {
		let origin =
			T::OracleOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let oracle: T::AccountId = account("oracle", 0, SEED);
		Oracles::<T>::insert(&oracle, 0);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, oracle.clone());

		assert!(!Oracles::<T>::contains_key(oracle));
		Ok(())
	}

	/// Resuming (the branch that also updates the paused total).
	#[benchmark]
	fn set_paused() -> Result<(), BenchmarkError> {
		let origin =
			T::PauseOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		PausedSince::<T>::put(frame_system::Pallet::<T>::block_number());
		ClockStoppedSince::<T>::put(frame_system::Pallet::<T>::block_number());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, false);

		assert!(PausedSince::<T>::get().is_none());
		assert!(ClockStoppedSince::<T>::get().is_none());
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
