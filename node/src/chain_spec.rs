//! Chain specifications built from the runtime's genesis presets.
//!
//! `dev` and `local` are generated on the fly; a released network is booted from a raw JSON spec
//! generated from its operator list (see `chain-specs/README.md`).

use sc_service::{ChainType, Properties};
use tpchain_runtime::{
	genesis_config_presets::{DEV_B_PRESET, DEV_CHAIN_ID, DEV_COUNTERPARTY},
	SS58_PREFIX, TOKEN_DECIMALS, TOKEN_NAME, TOKEN_SYMBOL, WASM_BINARY,
};

/// The chain specification type of tpchain (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// Token name, symbol and decimals and the address format, as wallets read them.
pub fn properties(chain_id: tpchain_primitives::ChainId) -> Properties {
	let mut p = Properties::new();
	p.insert("tokenName".into(), TOKEN_NAME.into());
	p.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	p.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	p.insert("ss58Format".into(), SS58_PREFIX.into());
	// The chain id burns and bridges use; equal to the presets' `burnProofs.chainId`.
	p.insert("chainId".into(), chain_id.0.into());
	p
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| "the runtime wasm was not built (SKIP_WASM_BUILD set?)".to_string())
}

fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
	chain_id: tpchain_primitives::ChainId,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(name)
		.with_id(id)
		.with_protocol_id(&id.replace('_', "-"))
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties(chain_id))
		.build())
}

/// One licensed entity and validator (Alice) with short governance periods.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"tpchain development",
		"tpchain_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
		DEV_CHAIN_ID,
	)
}

/// Four licensed entities and validators (Alice, Bob, Charlie, Dave) with the real thresholds.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"tpchain local testnet",
		"tpchain_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
		DEV_CHAIN_ID,
	)
}

/// `dev`'s counterparty for bridge development: chain id 2, burns towards chain 1, Alice
/// alone. Run next to `--dev` (other ports) to bridge two chains on one machine.
pub fn development_b_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"tpchain development B",
		"tpchain_dev_b",
		ChainType::Development,
		DEV_B_PRESET,
		DEV_COUNTERPARTY,
	)
}
