//! The `@polkadot/api` definitions in `client/js/` work against a `--dev` node: a transfer, a
//! burn with `burn_getProof`, an escrow read (the package's own tests, run with Node).

use std::{path::Path, process::Command};
use tpchain_e2e::dev_node;

#[tokio::test]
async fn polkadot_js_api_with_tpchain_definitions() {
	let package = Path::new(env!("CARGO_MANIFEST_DIR")).join("../client/js");
	// `scripts/setup` installs Node and npm; `npm ci` installs the pinned @polkadot/api.
	if !package.join("node_modules/@polkadot/api").exists() {
		let out = Command::new("npm")
			.args(["ci", "--no-audit", "--no-fund"])
			.current_dir(&package)
			.output()
			.expect("npm (scripts/setup installs it)");
		assert!(out.status.success(), "npm ci: {}", String::from_utf8_lossy(&out.stderr));
	}
	let dev = dev_node().await;
	let out = tokio::process::Command::new("node")
		.args(["--test", "test/"])
		.env("TPCHAIN_WS", dev.node.config.ws_url())
		.current_dir(&package)
		.output()
		.await
		.expect("node (scripts/setup installs it)");
	let stdout = String::from_utf8_lossy(&out.stdout);
	assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
	// node --test's summary: every test ran and passed.
	assert!(stdout.contains("# pass 4") && stdout.contains("# fail 0"), "{stdout}");
}
