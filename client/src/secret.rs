//! Signing keys for the tools, never from the command line (where `ps` and shell history would
//! show them): a file (`--suri-file`, readable by its owner only), the `TPCHAIN_SURI`
//! environment variable, or a prompt on the terminal.

use std::{
	io::IsTerminal,
	path::{Path, PathBuf},
};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// The environment variable holding a secret URI.
pub const SURI_ENV: &str = "TPCHAIN_SURI";

/// Why no signer could be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
	/// No file, no environment variable, and no terminal to prompt on.
	#[error("no signer for {what}: give its secret file, set {env}, or run on a terminal to be prompted")]
	NoSource {
		/// Which key.
		what: String,
		/// The environment variable that was looked at.
		env: String,
	},
	/// The file could not be read.
	#[error("secret file {path}: {source}")]
	Read {
		/// The file.
		path: PathBuf,
		/// The I/O error.
		source: std::io::Error,
	},
	/// Other users may read the file.
	#[error("secret file {path} is readable by other users (mode {mode:o}): chmod 600 it")]
	Exposed {
		/// The file.
		path: PathBuf,
		/// Its permission bits.
		mode: u32,
	},
	/// Not a secret URI (mnemonic, `0x` seed, `//Dev` path).
	#[error("the secret URI from {from} is invalid")]
	Invalid {
		/// Where it came from (the file, the variable, the prompt); the secret is never shown.
		from: String,
	},
}

/// Reads a secret URI from `file`, else `TPCHAIN_SURI`, else a prompt (`what` names the key),
/// and derives the sr25519 key.
pub fn signer(file: Option<&Path>, what: &str) -> Result<Keypair, SecretError> {
	signer_with(file, SURI_ENV, what)
}

/// [`signer`] with another environment variable (a tool that signs with several keys).
pub fn signer_with(file: Option<&Path>, env: &str, what: &str) -> Result<Keypair, SecretError> {
	let (text, from) = match file {
		Some(path) => (read_private(path)?, path.display().to_string()),
		None => match std::env::var(env) {
			Ok(s) => (s, env.to_string()),
			Err(_) if std::io::stdin().is_terminal() => {
				let s = rpassword::prompt_password(format!("secret URI of {what}: "))
					.map_err(|source| SecretError::Read { path: "/dev/tty".into(), source })?;
				(s, "the prompt".to_string())
			},
			Err(_) => return Err(SecretError::NoSource { what: what.into(), env: env.into() }),
		},
	};
	keypair(text.trim(), &from)
}

fn keypair(secret: &str, from: &str) -> Result<Keypair, SecretError> {
	let invalid = || SecretError::Invalid { from: from.to_string() };
	let uri: SecretUri = secret.parse().map_err(|_| invalid())?;
	Keypair::from_uri(&uri).map_err(|_| invalid())
}

/// The file's contents, if only its owner can read it.
fn read_private(path: &Path) -> Result<String, SecretError> {
	let read = |source| SecretError::Read { path: path.to_path_buf(), source };
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = std::fs::metadata(path).map_err(read)?.permissions().mode() & 0o777;
		if mode & 0o077 != 0 {
			return Err(SecretError::Exposed { path: path.to_path_buf(), mode });
		}
	}
	std::fs::read_to_string(path).map_err(read)
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::os::unix::fs::PermissionsExt;

	#[test]
	fn a_secret_file_others_can_read_is_refused() {
		let dir = tempfile::tempdir().unwrap();
		let file = dir.path().join("suri");
		std::fs::write(&file, "//Alice\n").unwrap();
		std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
		assert!(matches!(signer(Some(&file), "x"), Err(SecretError::Exposed { mode: 0o644, .. })));
		std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
		let alice = signer(Some(&file), "x").unwrap();
		assert_eq!(alice.public_key().0, subxt_signer::sr25519::dev::alice().public_key().0);
	}

	#[test]
	fn an_invalid_secret_is_not_echoed() {
		let err = keypair("not a secret", "TPCHAIN_SURI").err().unwrap();
		assert!(matches!(err, SecretError::Invalid { .. }));
		assert!(!err.to_string().contains("not a secret"), "{err}");
	}
}
