//! tpchain node: a Proof-of-Authority validator and full node (Aura + GRANDPA).

#![warn(missing_docs)]
// `sc_cli::Error` is large and is the error type sc-cli's runner requires of every command.
#![allow(clippy::result_large_err)]

mod benchmarking;
mod chain_spec;
mod cli;
mod command;
mod metrics;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
