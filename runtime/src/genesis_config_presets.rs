//! Genesis presets: `dev` (one validator, sudo as a stop-gap) and `local` (four validators,
//! standing for four licensed operators, no sudo). Real networks build their genesis from an
//! operator list (see `chain-specs/`), using the same [`genesis`] function.

use crate::{AccountId, Balance, ChainId, RuntimeGenesisConfig, SessionKeys, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Chain id of the `dev` and `local` networks.
pub const DEV_CHAIN_ID: ChainId = ChainId(1);
/// The counterparty the `dev` and `local` networks may burn towards.
pub const DEV_COUNTERPARTY: ChainId = ChainId(2);
/// Burns above this wait for approval on `dev` and `local`.
pub const DEV_LARGE_BURN_THRESHOLD: Balance = 100_000 * UNIT;

/// What each endowed development account receives.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * UNIT;

/// One validator: the operator's account and its session keys.
pub struct Validator {
	/// The validator's account (also its `ValidatorId`).
	pub account: AccountId,
	/// Block authoring key.
	pub aura: AuraId,
	/// Finality voting key.
	pub grandpa: GrandpaId,
}

/// The chain's identity and its burn settings.
pub struct Chain {
	/// This chain's id.
	pub id: ChainId,
	/// Counterparties burns may name.
	pub destinations: Vec<ChainId>,
	/// Burns above this wait for approval.
	pub large_burn_threshold: Option<Balance>,
}

/// The genesis state for a chain, a validator set, endowments and an optional sudo key.
pub fn genesis(
	chain: Chain,
	validators: Vec<Validator>,
	endowed: Vec<(AccountId, Balance)>,
	sudo: Option<AccountId>,
) -> Value {
	let keys: Vec<_> = validators
		.into_iter()
		.map(|v| (v.account.clone(), v.account, SessionKeys { aura: v.aura, grandpa: v.grandpa }))
		.collect();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig { balances: endowed },
		session: pallet_session::GenesisConfig { keys },
		sudo: pallet_sudo::GenesisConfig { key: sudo },
		burn_proofs: pallet_burn_proofs::GenesisConfig {
			chain_id: chain.id,
			destinations: chain.destinations,
			large_burn_threshold: chain.large_burn_threshold,
		},
	})
}

/// A development validator whose keys derive from a well-known seed (`//Alice`, ...).
fn dev_validator(who: Sr25519Keyring, grandpa: Ed25519Keyring) -> Validator {
	Validator {
		account: who.to_account_id(),
		aura: who.public().into(),
		grandpa: grandpa.public().into(),
	}
}

fn dev_chain() -> Chain {
	Chain {
		id: DEV_CHAIN_ID,
		destinations: vec![DEV_COUNTERPARTY],
		large_burn_threshold: Some(DEV_LARGE_BURN_THRESHOLD),
	}
}

fn dev_endowments() -> Vec<(AccountId, Balance)> {
	Sr25519Keyring::iter().map(|k| (k.to_account_id(), DEV_ENDOWMENT)).collect()
}

/// `dev`: Alice alone authors and finalizes; Alice holds the stop-gap sudo key.
fn development_config_genesis() -> Value {
	genesis(
		dev_chain(),
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		dev_endowments(),
		Some(Sr25519Keyring::Alice.to_account_id()),
	)
}

/// `local`: four validators for four operator entities; no sudo.
fn local_config_genesis() -> Value {
	genesis(
		dev_chain(),
		vec![
			dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
			dev_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
			dev_validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
		],
		dev_endowments(),
		None,
	)
}

/// The JSON patch of the named preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// The presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}

#[cfg(test)]
mod tests {
	use super::*;

	fn preset(id: &str) -> Value {
		serde_json::from_slice(&get_preset(&PresetId::from(id)).unwrap()).unwrap()
	}

	#[test]
	fn only_dev_has_sudo() {
		assert!(preset("development")["sudo"]["key"].is_string());
		assert!(preset("local_testnet").get("sudo").is_none_or(|s| s["key"].is_null()));
	}

	#[test]
	fn local_has_four_validators() {
		assert_eq!(preset("local_testnet")["session"]["keys"].as_array().unwrap().len(), 4);
		assert_eq!(preset("development")["session"]["keys"].as_array().unwrap().len(), 1);
	}

	#[test]
	fn presets_name_the_chain_and_its_counterparty() {
		for id in ["development", "local_testnet"] {
			let burn = &preset(id)["burnProofs"];
			assert_eq!(burn["chainId"], DEV_CHAIN_ID.0);
			assert_eq!(burn["destinations"], serde_json::json!([DEV_COUNTERPARTY.0]));
		}
	}

	#[test]
	fn unknown_preset_is_none() {
		assert!(get_preset(&PresetId::from("mainnet")).is_none());
	}
}
