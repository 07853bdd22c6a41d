//! tpchain node: a Proof-of-Authority validator and full node (Aura + GRANDPA).

#![warn(missing_docs)]

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
