# Sourced by the other scripts: repo root, build environment, node binary path.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ ! -f "$ROOT/scripts/.env" ]; then
  echo "scripts/.env missing: run scripts/setup first" >&2
  exit 1
fi
# shellcheck disable=SC1091
source "$ROOT/scripts/.env"
export CARGO_TARGET_DIR
# The wasm builder looks for Cargo.lock above the target dir; ours is outside the checkout.
export WASM_BUILD_WORKSPACE_HINT="$ROOT"
NODE="$CARGO_TARGET_DIR/release/tpchain-node"
