//! Genesis presets: `dev` (one licensed entity, Alice, with short governance periods so a
//! single developer passes proposals) and `local` (four entities with the real thresholds).
//! No preset has sudo: every privileged change is a governance vote. Real networks build
//! their genesis from an operator list (see `chain-specs/`), using the same [`genesis`].

use crate::{AccountId, Balance, BlockNumber, ChainId, RuntimeGenesisConfig, SessionKeys, UNIT};
use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use pallet_governance::{Threshold, Track, TrackParams};
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// Chain id of the `dev` and `local` networks.
pub const DEV_CHAIN_ID: ChainId = ChainId(1);
/// The counterparty the `dev` and `local` networks may burn towards.
pub const DEV_COUNTERPARTY: ChainId = ChainId(2);
/// Preset of `dev`'s counterparty chain (chain id [`DEV_COUNTERPARTY`], burns towards
/// [`DEV_CHAIN_ID`]), for bridging two development chains.
pub const DEV_B_PRESET: &str = "development_b";
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

/// A licensed entity of genesis: its registration and its validator's keys.
pub struct Operator {
	/// Registered legal name.
	pub legal_name: &'static str,
	/// Licence reference.
	pub licence: &'static str,
	/// Jurisdiction.
	pub jurisdiction: &'static str,
	/// Account that votes for the entity.
	pub voting_account: AccountId,
	/// The entity's validator.
	pub validator: Validator,
	/// Base58 libp2p peer id of the entity's node.
	pub peer_id: &'static str,
}

/// How the chain governs itself.
pub struct Governance {
	/// Parameters of the four tracks.
	pub tracks: Vec<(Track, TrackParams<BlockNumber>)>,
	/// Blocks an unratified emergency effect lasts.
	pub emergency_period: BlockNumber,
	/// Blocks per session (validator-set changes take effect at boundaries).
	pub session_length: BlockNumber,
}

impl Governance {
	/// The thresholds of every tpchain network (≥ 2/3 for upgrades and membership, > 1/2 for
	/// parameters and emergencies) with the given periods.
	pub fn with_periods(
		voting: BlockNumber,
		delay: BlockNumber,
		emergency_voting: BlockNumber,
	) -> Vec<(Track, TrackParams<BlockNumber>)> {
		let two_thirds = Threshold::at_least(2, 3);
		let majority = Threshold::more_than(1, 2);
		let track = |approval, voting_period, enactment_delay| TrackParams {
			approval,
			quorum: approval,
			voting_period,
			enactment_delay,
		};
		vec![
			(Track::RuntimeUpgrade, track(two_thirds, voting, delay)),
			(Track::Membership, track(two_thirds, voting, delay)),
			(Track::Parameters, track(majority, voting, delay)),
			(Track::Emergency, track(majority, emergency_voting, 0)),
		]
	}
}

/// The genesis state for a chain, its licensed entities, endowments and governance.
pub fn genesis(
	chain: Chain,
	operators: Vec<Operator>,
	endowed: Vec<(AccountId, Balance)>,
	governance: Governance,
) -> Value {
	let keys: Vec<_> = operators
		.iter()
		.map(|o| {
			let v = &o.validator;
			(
				v.account.clone(),
				v.account.clone(),
				SessionKeys { aura: v.aura.clone(), grandpa: v.grandpa.clone() },
			)
		})
		.collect();
	let entities: Vec<_> = operators
		.into_iter()
		.map(|o| pallet_operators::GenesisEntity {
			legal_name: o.legal_name.into(),
			licence: o.licence.into(),
			jurisdiction: o.jurisdiction.into(),
			voting_account: o.voting_account,
			validator: o.validator.account,
			peer_id: o.peer_id.into(),
		})
		.collect();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig { balances: endowed },
		session: pallet_session::GenesisConfig { keys },
		operators: pallet_operators::GenesisConfig {
			entities,
			session_length: governance.session_length,
		},
		governance: pallet_governance::GenesisConfig {
			tracks: governance.tracks,
			emergency_period: governance.emergency_period,
		},
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

/// Peer ids of the `local` validators' nodes: the node keys `0x…01` to `0x…04` that
/// `scripts/local-testnet` and the end-to-end tests use (`tpchain-node key inspect-node-key`).
pub const LOCAL_PEER_IDS: [&str; 4] = [
	"12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp",
	"12D3KooWHdiAxVd8uMQR1hGWXccidmfCwLqcMpGwR6QcTP6QRMuD",
	"12D3KooWSCufgHzV4fCwRijfH2k3abrpAJxTKxEvN1FDuRXA2U9x",
	"12D3KooWSsChzF81YDUKpe9Uk5AHV5oqAaXAcWNSPYgoLauUk4st",
];

/// Entity `i` of the development presets, named after its well-known key.
fn dev_operator(
	i: usize,
	who: Sr25519Keyring,
	grandpa: Ed25519Keyring,
	name: &'static str,
) -> Operator {
	Operator {
		legal_name: name,
		licence: "DEV-LICENCE",
		jurisdiction: "Development",
		voting_account: who.to_account_id(),
		validator: dev_validator(who, grandpa),
		peer_id: LOCAL_PEER_IDS[i],
	}
}

/// `dev`: Alice is the only entity and validator; votes last 5 blocks (emergencies 4) and enact the next
/// block, so one developer passes any proposal in about 10 s.
fn development_config_genesis() -> Value {
	single_validator_genesis(dev_chain())
}

/// `dev-b`: `dev` with the chain ids swapped, the other end of a development bridge.
fn development_b_config_genesis() -> Value {
	single_validator_genesis(Chain {
		id: DEV_COUNTERPARTY,
		destinations: vec![DEV_CHAIN_ID],
		large_burn_threshold: Some(DEV_LARGE_BURN_THRESHOLD),
	})
}

/// Alice as the only entity and validator, with the short development periods.
fn single_validator_genesis(chain: Chain) -> Value {
	genesis(
		chain,
		vec![dev_operator(0, Sr25519Keyring::Alice, Ed25519Keyring::Alice, "Alice Operator Ltd")],
		dev_endowments(),
		Governance {
			tracks: Governance::with_periods(5, 1, 4),
			emergency_period: 30,
			session_length: 10,
		},
	)
}

/// `local`: four entities and validators with the real thresholds; periods short enough for a
/// test network (votes 30 s, emergency votes 16 s, emergencies expire after 1 min, sessions
/// of 20 s).
fn local_config_genesis() -> Value {
	genesis(
		dev_chain(),
		vec![
			dev_operator(0, Sr25519Keyring::Alice, Ed25519Keyring::Alice, "Alice Operator Ltd"),
			dev_operator(1, Sr25519Keyring::Bob, Ed25519Keyring::Bob, "Bob Payments plc"),
			dev_operator(
				2,
				Sr25519Keyring::Charlie,
				Ed25519Keyring::Charlie,
				"Charlie Clearing AG",
			),
			dev_operator(3, Sr25519Keyring::Dave, Ed25519Keyring::Dave, "Dave Settlement SA"),
		],
		dev_endowments(),
		Governance {
			tracks: Governance::with_periods(15, 2, 8),
			emergency_period: 30,
			session_length: 10,
		},
	)
}

/// The JSON patch of the named preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		DEV_B_PRESET => development_b_config_genesis(),
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
		PresetId::from(DEV_B_PRESET),
	]
}

/// The state preset `id` builds, for runtime tests (the default config patched by the preset,
/// as the node's genesis builder does).
#[cfg(test)]
pub(crate) fn preset_state(id: &str) -> sp_io::TestExternalities {
	fn merge(base: &mut Value, patch: Value) {
		match (base, patch) {
			(Value::Object(b), Value::Object(p)) => {
				for (k, v) in p {
					merge(b.entry(k).or_insert(Value::Null), v);
				}
			},
			(b, p) => *b = p,
		}
	}
	let patch = serde_json::from_slice(&get_preset(&PresetId::from(id)).expect("preset")).unwrap();
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).unwrap();
	merge(&mut config, patch);
	let mut ext = sp_io::TestExternalities::default();
	ext.execute_with(|| {
		frame_support::genesis_builder_helper::build_state::<RuntimeGenesisConfig>(
			serde_json::to_vec(&config).unwrap(),
		)
		.unwrap();
	});
	ext
}

#[cfg(test)]
mod tests {
	use super::*;

	fn preset(id: &str) -> Value {
		serde_json::from_slice(&get_preset(&PresetId::from(id)).unwrap()).unwrap()
	}

	#[test]
	fn no_preset_has_sudo_and_all_have_governance() {
		for id in ["development", "local_testnet", DEV_B_PRESET] {
			assert!(preset(id).get("sudo").is_none(), "{id}");
			assert_eq!(preset(id)["governance"]["tracks"].as_array().unwrap().len(), 4, "{id}");
		}
		assert_eq!(preset("local_testnet")["operators"]["entities"].as_array().unwrap().len(), 4);
		assert_eq!(preset("development")["operators"]["entities"].as_array().unwrap().len(), 1);
	}

	#[test]
	fn presets_build_a_consistent_genesis() {
		for (id, n) in [("development", 1), ("local_testnet", 4)] {
			preset_state(id).execute_with(|| {
				assert_eq!(pallet_operators::ActiveCount::<crate::Runtime>::get(), n, "{id}");
				assert_eq!(pallet_operators::Validators::<crate::Runtime>::get().len(), n as usize);
				assert_eq!(pallet_session::Validators::<crate::Runtime>::get().len(), n as usize);
				assert_eq!(crate::Governance::tracks().len(), 4);
			});
		}
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
		let b = &preset(DEV_B_PRESET)["burnProofs"];
		assert_eq!(b["chainId"], DEV_COUNTERPARTY.0);
		assert_eq!(b["destinations"], serde_json::json!([DEV_CHAIN_ID.0]));
	}

	#[test]
	fn unknown_preset_is_none() {
		assert!(get_preset(&PresetId::from("mainnet")).is_none());
	}
}
