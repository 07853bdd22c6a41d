//! Command-line interface.

/// tpchain node command line.
///
/// The transaction pool defaults to `single-state`: under overload the SDK's default
/// fork-aware pool accepted transactions it later dropped (41,464 of 104,926 in a 60 s run),
/// while the single-state pool pushed back at submission and dropped none at the same finalized
/// rate (docs/performance.md, "Transaction pool"). `--pool-type fork-aware` still selects it.
///
/// Offchain workers run on every node by default (`--offchain-worker always`), not only on
/// validators: `pallet-operators`' worker restricts the node's peers to the admitted entities'
/// nodes, and sentries and RPC nodes must be gated as validators are.
#[derive(Debug, clap::Parser)]
#[command(
	mut_arg("pool_type", |a| a.default_value("single-state")),
	mut_arg("enabled", |a| a.default_value("always"))
)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// Options of the running node.
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,
}

/// The node's subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management (generate, inspect, insert session keys).
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (`--raw` for the form a network boots from).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification of a running chain's database.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Runtime, storage, overhead and machine benchmarks.
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Database metadata.
	ChainInfo(sc_cli::ChainInfoCmd),
}
