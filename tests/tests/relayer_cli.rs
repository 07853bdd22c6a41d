//! The relayer's command line follows the SDK's conventions: `--version`, logs through
//! `tracing`, and secrets never as arguments.

use std::{os::unix::fs::PermissionsExt, process::Command};
use tpchain_e2e::relay_binary;

fn relay(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
	Command::new(relay_binary())
		.args(args)
		.env_remove("TPCHAIN_RELAY_SURI_A")
		.env_remove("TPCHAIN_RELAY_SURI_B")
		.envs(env.iter().copied())
		.stdin(std::process::Stdio::null())
		.output()
		.unwrap()
}

#[test]
fn relayer_prints_its_version() {
	let out = relay(&["--version"], &[]);
	assert!(out.status.success());
	assert_eq!(
		String::from_utf8_lossy(&out.stdout).trim(),
		format!("tpchain-relay {}", env!("CARGO_PKG_VERSION"))
	);
}

#[test]
fn relayer_takes_no_secret_on_the_command_line() {
	let urls = ["--a", "ws://127.0.0.1:1", "--b", "ws://127.0.0.1:2"];
	// The old `--signer-a //Alice` form is gone: clap refuses it.
	let out = relay(&[&urls[..], &["--signer-a", "//Alice"]].concat(), &[]);
	assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
	// Without a file or the environment variable there is no signer (and no prompt: no terminal).
	let out = relay(&urls, &[]);
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(!out.status.success() && err.contains("TPCHAIN_RELAY_SURI_A"), "{err}");
	// A secret file others can read is refused.
	let dir = tempfile::tempdir().unwrap();
	let file = dir.path().join("a.suri");
	std::fs::write(&file, "//Ferdie").unwrap();
	std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
	let out = relay(
		&[&urls[..], &["--signer-a-file", file.to_str().unwrap()]].concat(),
		&[("TPCHAIN_RELAY_SURI_B", "//Ferdie")],
	);
	let err = String::from_utf8_lossy(&out.stderr);
	assert!(!out.status.success() && err.contains("readable by other users (mode 640)"), "{err}");
}
