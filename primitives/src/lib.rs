//! # tpchain primitives
//!
//! The types that cross tpchain's boundaries — between runtime, node, client, relayer and the
//! bridge pallet of another chain — and the **one** burn-proof verifier all of them use.
//!
//! - [`ChainId`]: names a tpchain network; fixed in its genesis.
//! - [`burn`]: [`burn::BurnRecord`], the storage keys it lives under, the self-contained
//!   [`burn::BurnProofBundle`] and [`burn::verify_burn_proof`], which checks a bundle offline
//!   against a trusted GRANDPA authority set.
//! - [`bridge`]: what the bridge's light client keeps, the mint proof, the safety limits.
//! - [`escrow`]: release conditions of escrowed payments and their evaluation.
//! - [`governance`]: licensed entities, tracks, votes and what the governance APIs answer.
//! - [`recovery`]: what the recovery runtime API answers.
//! - [`runtime_api`]: the runtime APIs the node's RPC modules wrap.
//! - [`settlement`]: offline-signed payment instructions and the Merkle root of a batch.
//! - [`supply`]: the supply report auditors reconcile total issuance with.
//!
//! Verification reuses polkadot-sdk's bridge primitives (`bp-header-chain` for GRANDPA
//! justifications, `bp-runtime` over `sp-trie` for storage proofs); nothing here is new
//! cryptography.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod bridge;
pub mod burn;
pub mod escrow;
pub mod governance;
pub mod message;
pub mod recovery;
pub mod runtime_api;
pub mod settlement;
pub mod supply;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiSignature,
};

/// Block number.
pub type BlockNumber = u32;
/// Transaction signature: sr25519, ed25519 or ecdsa.
pub type Signature = MultiSignature;
/// An account is identified by the public key of its signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account, in the smallest unit of the native token.
pub type Balance = u128;
/// Transaction counter of an account.
pub type Nonce = u32;
/// Block and state hash.
pub type Hash = sp_core::H256;
/// Hashing algorithm of blocks and state.
pub type Hashing = BlakeTwo256;
/// Block header.
pub type Header = generic::Header<BlockNumber, Hashing>;

/// Identifies a tpchain network (for example one settlement chain per region).
///
/// Fixed in genesis, shown in the chain properties as `chainId`, and used as the `destination`
/// of burns and by the bridge to register counterparties.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Default,
	Debug,
	serde::Serialize,
	serde::Deserialize,
)]
#[serde(transparent)]
pub struct ChainId(pub u32);

impl ChainId {
	/// The 32 bytes that name this network in XCM, as `NetworkId::ByGenesis(..)`:
	/// `blake2_256("tpchain/xcm-network" ++ chain_id as u32 little-endian)`.
	///
	/// Derived from the `ChainId` rather than the genesis hash: the `ChainId` is what a burn's
	/// destination and the bridge's counterparty registry already name a network by, and both ends
	/// of a bridge compute the same value from it (the runtime does not know its own genesis hash
	/// before block 1).
	pub fn xcm_network_bytes(self) -> [u8; 32] {
		let mut preimage = *b"tpchain/xcm-network\0\0\0\0";
		preimage[19..].copy_from_slice(&self.0.to_le_bytes());
		sp_crypto_hashing::blake2_256(&preimage)
	}
}

impl core::fmt::Display for ChainId {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		write!(f, "{}", self.0)
	}
}

#[cfg(test)]
mod tests {
	use super::ChainId;

	#[test]
	fn each_chain_has_its_own_xcm_network_bytes() {
		assert_ne!(ChainId(1).xcm_network_bytes(), ChainId(2).xcm_network_bytes());
		// The preimage is the tag followed by the chain id, little-endian.
		let mut preimage = b"tpchain/xcm-network".to_vec();
		preimage.extend_from_slice(&7u32.to_le_bytes());
		assert_eq!(ChainId(7).xcm_network_bytes(), sp_crypto_hashing::blake2_256(&preimage));
	}
}
