//! The pallets whose FRAME benchmarks generate this runtime's weights.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_burn_proofs, BurnProofs]
	[pallet_escrow, Escrow]
	[pallet_guardian_recovery, GuardianRecovery]
	[pallet_timestamp, Timestamp]
	[pallet_multisig, Multisig]
	[pallet_utility, Utility]
	[pallet_sudo, Sudo]
);
