//! XCM over the bridge: the outbound message a tpchain network commits to its state for a
//! counterparty, where it lives, and the reader that proves it under a finalized state root.
//!
//! The lane is the burn's: chain A's router stores each message for counterparty B under a
//! deterministic key ([`outbound_message_key`]) next to A's [`ChainId`]; B's light client of A
//! finalizes a header, and a storage proof of the message and the chain id under its state root
//! ([`read_outbound_message`]) is what B accepts, through the same trie checker as burn records.
//! One light client, one proof path for burns and messages.

use crate::{
	burn::{chain_id_key, BurnProofError, PALLET_PREFIX},
	Balance, BlockNumber, ChainId, Hash, Hashing,
};
use alloc::vec::Vec;
use bp_runtime::{RawStorageProof, StorageProofChecker};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_core::ConstU32;
use sp_crypto_hashing::{twox_128, twox_64};
use sp_runtime::BoundedVec;

/// Sequence number of a message towards one counterparty, from 0 without gaps.
pub type MessageNonce = u64;

/// Longest encoded message (a `VersionedXcm`), in bytes. A teleport with its deposit and topic
/// is about 150 bytes; the rest is room for programs of up to `MaxInstructions` instructions.
pub const MAX_MESSAGE_LEN: u32 = 4_096;
/// Bound of [`MessageBlob`].
pub type MaxMessageLen = ConstU32<MAX_MESSAGE_LEN>;
/// An encoded `VersionedXcm<()>`.
pub type MessageBlob = BoundedVec<u8, MaxMessageLen>;

/// Storage item of the burn pallet holding outbound messages, `Twox64Concat` over the
/// destination [`ChainId`], then `Twox64Concat` over the [`MessageNonce`].
pub const OUTBOUND_MESSAGES_ITEM: &[u8] = b"OutboundMessages";

/// A message committed for a counterparty, as stored under [`outbound_message_key`].
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct OutboundMessage<Balance, BlockNumber> {
	/// Its nonce towards the destination.
	pub nonce: MessageNonce,
	/// TPC it carries (teleported: burned on the sending chain, counted in its burn totals).
	pub value: Balance,
	/// The encoded `VersionedXcm<()>` the destination executes.
	pub xcm: MessageBlob,
	/// Block of the sending chain it was committed in.
	pub block: BlockNumber,
}

/// The outbound message of tpchain's concrete types.
pub type TpchainOutboundMessage = OutboundMessage<Balance, BlockNumber>;

/// The state key of the message `nonce` towards `destination`.
pub fn outbound_message_key(destination: ChainId, nonce: MessageNonce) -> Vec<u8> {
	let mut key = Vec::with_capacity(32 + 12 + 16);
	key.extend_from_slice(&twox_128(PALLET_PREFIX));
	key.extend_from_slice(&twox_128(OUTBOUND_MESSAGES_ITEM));
	twox64_concat(&mut key, &destination.encode());
	twox64_concat(&mut key, &nonce.encode());
	key
}

/// Storage item of the burn pallet holding the next nonce per destination (`Twox64Concat`).
pub const NEXT_MESSAGE_NONCE_ITEM: &[u8] = b"NextMessageNonce";
/// Name of the bridge pallet in every tpchain runtime (part of [`delivered_message_key`]).
pub const BRIDGE_PALLET_PREFIX: &[u8] = b"Bridge";
/// Storage item of the bridge pallet marking delivered messages, `Twox64Concat` over the
/// source [`ChainId`], then over the [`MessageNonce`].
pub const DELIVERED_MESSAGES_ITEM: &[u8] = b"DeliveredMessages";

fn twox64_concat(key: &mut Vec<u8>, part: &[u8]) {
	key.extend_from_slice(&twox_64(part));
	key.extend_from_slice(part);
}

/// The state key of the next message nonce towards `destination` (= messages sent to it).
pub fn next_message_nonce_key(destination: ChainId) -> Vec<u8> {
	let mut key = Vec::with_capacity(32 + 12);
	key.extend_from_slice(&twox_128(PALLET_PREFIX));
	key.extend_from_slice(&twox_128(NEXT_MESSAGE_NONCE_ITEM));
	twox64_concat(&mut key, &destination.encode());
	key
}

/// The state key, on the receiving chain, marking message `nonce` of `source` delivered.
pub fn delivered_message_key(source: ChainId, nonce: MessageNonce) -> Vec<u8> {
	let mut key = Vec::with_capacity(32 + 12 + 16);
	key.extend_from_slice(&twox_128(BRIDGE_PALLET_PREFIX));
	key.extend_from_slice(&twox_128(DELIVERED_MESSAGES_ITEM));
	twox64_concat(&mut key, &source.encode());
	twox64_concat(&mut key, &nonce.encode());
	key
}

/// Reads message `nonce` towards `destination` and the sending chain's id from a storage proof
/// under `state_root`: every node used, none missing or repeated, the record's nonce the key's.
pub fn read_outbound_message(
	state_root: Hash,
	destination: ChainId,
	nonce: MessageNonce,
	proof: RawStorageProof,
) -> Result<(ChainId, TpchainOutboundMessage), BurnProofError> {
	let mut checker = StorageProofChecker::<Hashing>::new(state_root, proof)?;
	let message = checker
		.read_and_decode_value::<TpchainOutboundMessage>(&outbound_message_key(destination, nonce))?
		.ok_or(BurnProofError::RecordNotInState)?;
	let chain_id = checker
		.read_and_decode_value::<ChainId>(&chain_id_key())?
		.ok_or(BurnProofError::ChainIdNotInState)?;
	checker.ensure_no_unused_nodes()?;
	if message.nonce != nonce {
		return Err(BurnProofError::RecordMismatch);
	}
	Ok((chain_id, message))
}

/// What a message delivery carries: message `nonce` of the counterparty towards this chain,
/// proven against the state root of a header the light client has finalized.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct MessageProof {
	/// Hash of a finalized counterparty header the light client still keeps.
	pub at: Hash,
	/// The message's nonce towards this chain.
	pub nonce: MessageNonce,
	/// Trie nodes proving the message and the chain id under `at`'s state root.
	pub storage_proof: RawStorageProof,
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn message_key_is_the_double_map_layout() {
		let key = outbound_message_key(ChainId(2), 5);
		assert_eq!(&key[..16], &twox_128(b"BurnProofs"));
		assert_eq!(&key[16..32], &twox_128(b"OutboundMessages"));
		assert_eq!(&key[32..40], &twox_64(&2u32.encode()));
		assert_eq!(&key[40..44], &2u32.encode()[..]);
		assert_eq!(&key[44..52], &twox_64(&5u64.encode()));
		assert_eq!(&key[52..], &5u64.encode()[..]);
	}
}
