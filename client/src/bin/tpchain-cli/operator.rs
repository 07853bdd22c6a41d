//! `tpchain-cli operator …`: what an operator needs around its validator — the registry, the
//! validator sets, session keys with proof of possession, and the node's libp2p key.

use crate::common::{show, show_rows, CliError, Query, Tx};
use clap::Subcommand;
use std::{io::Read, path::PathBuf};
use tpchain_client::{
	api::{
		self,
		runtime_types::{
			sp_consensus_aura::sr25519::app_sr25519, sp_consensus_grandpa::app,
			tpchain_runtime::opaque::SessionKeys,
		},
	},
	subxt::rpcs::rpc_params,
	AccountId, Connection,
};
use tpchain_primitives::governance::{json::EntityJson, EntityId};

#[derive(Subcommand)]
pub enum OperatorCommand {
	/// Every licensed entity: status, accounts, whether it validates, its node.
	Entities {
		#[command(flatten)]
		q: Query,
	},
	/// One entity in full.
	Entity {
		#[command(flatten)]
		q: Query,
		/// Entity id.
		id: EntityId,
	},
	/// The validator sets: this session's, the next one's, and the registry's planned set.
	Validators {
		#[command(flatten)]
		q: Query,
	},
	/// Generate new session keys on the operator's own node (`author_rotateKeysWithOwner`,
	/// which needs the node's unsafe RPC, so run it against the validator on 127.0.0.1) and
	/// register them with their proof of possession (`Session::set_keys`), signed by the
	/// entity's validator account.
	RotateKeys {
		#[command(flatten)]
		tx: Tx,
		/// The validator node to generate the keys on, if not `--url`.
		#[arg(long)]
		node_url: Option<String>,
	},
	/// The node's libp2p key (its peer id is what the registry admits).
	NodeKey {
		#[command(subcommand)]
		command: NodeKeyCommand,
	},
}

#[derive(Subcommand)]
pub enum NodeKeyCommand {
	/// Write a new ed25519 node key (hex, mode 600) for `--node-key-file`; print its peer id.
	Generate {
		/// The file to create (refused if it exists).
		#[arg(long)]
		file: PathBuf,
		/// Print JSON.
		#[arg(long)]
		json: bool,
	},
	/// Print the peer id of a node key file (hex, or the raw 32 bytes).
	Inspect {
		/// The node key file.
		#[arg(long)]
		file: PathBuf,
		/// Print JSON.
		#[arg(long)]
		json: bool,
	},
}

pub async fn run(command: OperatorCommand) -> Result<(), CliError> {
	match command {
		OperatorCommand::Entities { q } => {
			let entities = q.connect().await?.operators().await?;
			let rows = entities.iter().map(row).collect();
			show_rows(
				q.json,
				&[
					"id",
					"legalName",
					"jurisdiction",
					"status",
					"validating",
					"votingAccount",
					"peerId",
				],
				rows,
			);
		},
		OperatorCommand::Entity { q, id } => {
			let entities = q.connect().await?.operators().await?;
			let e = entities
				.into_iter()
				.find(|e| e.id == id)
				.ok_or_else(|| CliError::NotFound(format!("entity {id}")))?;
			show(q.json, &serde_json::to_value(&e).map_err(|e| e.to_string())?);
		},
		OperatorCommand::Validators { q } => {
			let conn = q.connect().await?;
			let sets = conn.validator_sets().await?;
			let entities = conn.operators().await?;
			let mut out = serde_json::to_value(&sets).map_err(|e| e.to_string())?;
			// Name each validator by its entity.
			for key in ["current", "queued", "planned"] {
				if let Some(list) = out[key].as_array_mut() {
					for v in list.iter_mut() {
						let who = v.as_str().unwrap_or_default().to_string();
						let entity = entities.iter().find(|e| e.validator.to_string() == who);
						*v = match entity {
							Some(e) => format!("{who} (entity {} {})", e.id, e.legal_name).into(),
							None => who.into(),
						};
					}
				}
			}
			show(q.json, &out);
		},
		OperatorCommand::RotateKeys { tx, node_url } => {
			let signer = tx.signer()?;
			let conn = Connection::connect(&tx.url).await?;
			let validator: AccountId = signer.public_key().into();
			let entities = conn.operators().await?;
			let entity = entities
				.iter()
				.find(|e| e.validator.to_string() == validator.to_string())
				.ok_or_else(|| {
					CliError::NotFound(format!("{validator} is no entity's validator account"))
				})?;
			let node = match &node_url {
				Some(url) => Connection::connect(url).await?,
				None => conn.clone(),
			};
			let generated: serde_json::Value = node
				.raw
				.request(
					"author_rotateKeysWithOwner",
					rpc_params![format!("0x{}", hex::encode(validator.0))],
				)
				.await
				.map_err(tpchain_client::rpc_error)?;
			let field = |f: &str| -> Result<Vec<u8>, CliError> {
				let text = generated[f].as_str().unwrap_or_default();
				hex::decode(text.trim_start_matches("0x"))
					.map_err(|e| CliError::Input(format!("author_rotateKeysWithOwner {f}: {e}")))
			};
			let keys = session_keys(&field("keys")?)?;
			let aura = format!("0x{}", hex::encode(keys.aura.0));
			let grandpa = format!("0x{}", hex::encode(keys.grandpa.0));
			let call = api::transactions().session().set_keys(keys, field("proof")?);
			let report = tx.submit_with(&conn, &signer, &call).await?;
			tx.print(
				serde_json::json!({ "entity": entity.id, "validator": validator.to_string(), "aura": aura, "grandpa": grandpa }),
				&report,
			);
		},
		OperatorCommand::NodeKey { command: NodeKeyCommand::Generate { file, json } } => {
			let mut secret = [0u8; 32];
			std::fs::File::open("/dev/urandom")
				.and_then(|mut f| f.read_exact(&mut secret))
				.map_err(|e| format!("/dev/urandom: {e}"))?;
			write_private(&file, hex::encode(secret).as_bytes())?;
			let out = serde_json::json!({ "file": file.display().to_string(), "peerId": peer_id(&secret) });
			show(json, &out);
		},
		OperatorCommand::NodeKey { command: NodeKeyCommand::Inspect { file, json } } => {
			let secret = read_node_key(&file)?;
			show(
				json,
				&serde_json::json!({ "file": file.display().to_string(), "peerId": peer_id(&secret) }),
			);
		},
	}
	Ok(())
}

fn row(e: &EntityJson) -> serde_json::Value {
	serde_json::json!({
		"id": e.id,
		"legalName": e.legal_name,
		"jurisdiction": e.jurisdiction,
		"status": e.status,
		"validating": e.validating,
		"votingAccount": e.voting_account.to_string(),
		"peerId": e.peer_id,
	})
}

/// SessionKeys is SCALE `(aura sr25519, grandpa ed25519)`: two 32-byte keys.
fn session_keys(raw: &[u8]) -> Result<SessionKeys, CliError> {
	let raw: [u8; 64] = raw.try_into().map_err(|_| {
		CliError::Input(format!("session keys of {} bytes, expected 64", raw.len()))
	})?;
	let (aura, grandpa) = raw.split_at(32);
	Ok(SessionKeys {
		aura: app_sr25519::Public(aura.try_into().expect("32 bytes")),
		grandpa: app::Public(grandpa.try_into().expect("32 bytes")),
	})
}

/// The libp2p peer id of an ed25519 secret: base58 of the identity multihash of the
/// protobuf-encoded public key (`0x08 0x01` type Ed25519, `0x12 0x20` 32 bytes of key).
pub fn peer_id(secret: &[u8; 32]) -> String {
	let public = ed25519_dalek::SigningKey::from_bytes(secret).verifying_key().to_bytes();
	let mut bytes = vec![0x00, 36, 0x08, 0x01, 0x12, 0x20];
	bytes.extend_from_slice(&public);
	bs58::encode(bytes).into_string()
}

/// A node key file as the node reads it: 64 hex characters, or the raw 32 bytes.
fn read_node_key(path: &PathBuf) -> Result<[u8; 32], CliError> {
	let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
	let text = String::from_utf8_lossy(&bytes);
	let raw = match hex::decode(text.trim()) {
		Ok(raw) => raw,
		Err(_) => bytes.clone(),
	};
	raw.try_into()
		.map_err(|_| CliError::Input(format!("{}: not a 32-byte node key", path.display())))
}

/// Creates `path` with `contents`, readable by its owner only; never overwrites.
fn write_private(path: &PathBuf, contents: &[u8]) -> Result<(), CliError> {
	use std::{io::Write, os::unix::fs::OpenOptionsExt};
	let mut f = std::fs::OpenOptions::new()
		.write(true)
		.create_new(true)
		.mode(0o600)
		.open(path)
		.map_err(|e| format!("{}: {e}", path.display()))?;
	f.write_all(contents).map_err(|e| format!("{}: {e}", path.display()))?;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn peer_ids_match_the_nodes() {
		// `tpchain-node key inspect-node-key` of the `local` preset's node key 0x..01.
		let mut key = [0u8; 32];
		key[31] = 1;
		assert_eq!(peer_id(&key), "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp");
	}

	#[test]
	fn node_key_files_are_private_and_never_overwritten() {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("node-key");
		write_private(&file, b"00").unwrap();
		assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
		assert!(write_private(&file, b"11").is_err());
		assert_eq!(std::fs::read(&file).unwrap(), b"00");
	}
}
