//! The SDK's API is generated from `metadata/tpchain.scale` by a proc macro that cargo does not
//! track: rebuild when the metadata changes, or binaries keep the old API.
fn main() {
	println!("cargo:rerun-if-changed=metadata/tpchain.scale");
}
