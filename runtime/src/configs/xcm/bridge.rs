//! The bridge route: XCM for a counterparty tpchain network, committed to this chain's state.
//!
//! A destination `Location::new(1, [GlobalConsensus(B)])`, where `B` is the network of a burn
//! destination ([`ChainId::xcm_network_bytes`]), is routed here. The message is stored by
//! `pallet-burn-proofs` under its nonce towards `B` (`OutboundMessages`), where `B`'s light
//! client proves it exactly as it proves a burn record. The TPC a message carries is what its
//! first instruction, `ReceiveTeleportedAsset`, names: burned on this chain by the executor
//! (`WithdrawAsset`/`BurnAsset` of a teleport) before the message is sent, and counted in the
//! burn totals towards `B`.
//!
//! Refused before anything is written (and so, as the transfer's local execution is rolled
//! back, before anything is burned): a destination below `B` (`Unroutable`: nothing below a
//! tpchain network takes messages), an unregistered destination (`NotApplicable`, which
//! pallet-xcm reports as `Unreachable`), a bridge whose circuit breaker is on (`Transport`), a
//! `ReceiveTeleportedAsset` anywhere but first or of another asset than TPC (only this chain's
//! own teleports carry value: a user's `send` could otherwise claim a teleport it never paid),
//! and a message longer than `MaxMessageLen` (`ExceedsMaxMessageSize`).

use crate::{configs::transaction_payment::TransactionByteFee, BurnProofs, Runtime};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::{Decode, Encode};
use tpchain_primitives::{
	message::{MessageBlob, MessageNonce},
	Balance, ChainId,
};
use xcm::{latest::prelude::*, VersionedLocation, VersionedXcm};

/// The counterparty whose network `network` is, among the registered burn destinations.
pub fn counterparty_of(network: &NetworkId) -> Option<ChainId> {
	let NetworkId::ByGenesis(bytes) = network else { return None };
	pallet_burn_proofs::Destinations::<Runtime>::get()
		.into_iter()
		.find(|chain| chain.xcm_network_bytes() == *bytes)
}

/// The location of counterparty `chain` as seen from this chain.
pub fn counterparty_location(chain: ChainId) -> Location {
	Location::new(1, [GlobalConsensus(NetworkId::ByGenesis(chain.xcm_network_bytes()))])
}

/// TPC carried by `message`: the `ReceiveTeleportedAsset` it starts with (this chain's TPC,
/// reanchored to the destination, is `(1, [GlobalConsensus(this network)])`).
fn carried_value(message: &Xcm<()>) -> Result<Balance, SendError> {
	let tpc_there = AssetId(Location::new(1, [GlobalConsensus(super::ThisNetwork::get())]));
	let mut value: Balance = 0;
	for (index, instruction) in message.0.iter().enumerate() {
		match instruction {
			ReceiveTeleportedAsset(assets) if index == 0 => {
				for asset in assets.inner() {
					let (true, Fungible(amount)) = (asset.id == tpc_there, &asset.fun) else {
						return Err(SendError::Unroutable);
					};
					value = value.checked_add(*amount).ok_or(SendError::Unroutable)?;
				}
			},
			ReceiveTeleportedAsset(_) | ReserveAssetDeposited(_) => {
				return Err(SendError::Unroutable)
			},
			_ => {},
		}
	}
	Ok(value)
}

/// The delivery fee, in TPC: the weight of committing the message plus its bytes at the
/// transaction byte fee (it stays in state for good, like a burn record).
pub fn delivery_fee(len: usize) -> Balance {
	let commit = super::weight_to_fee(&BurnProofs::message_weight());
	commit.saturating_add(TransactionByteFee::get().saturating_mul(len as Balance))
}

/// Teleports of TPC: out to a registered destination's network (this chain's TPC, `Here`), and
/// in from a counterparty the light client follows (its TPC, as it names it: its own network's
/// location). Nothing else is teleported, and no other origin may teleport in.
pub struct TpcTeleports;
impl frame_support::traits::ContainsPair<Asset, Location> for TpcTeleports {
	fn contains(asset: &Asset, location: &Location) -> bool {
		let (1, [GlobalConsensus(network)]) = location.unpack() else { return false };
		let outbound = asset.id.0 == Location::here() && counterparty_of(network).is_some();
		let inbound = asset.id.0 == *location && bridged_chain_of(network).is_some();
		matches!(asset.fun, Fungible(_)) && (outbound || inbound)
	}
}

/// The counterparty whose network `network` is, among those this chain's light client follows.
pub fn bridged_chain_of(network: &NetworkId) -> Option<ChainId> {
	let NetworkId::ByGenesis(bytes) = network else { return None };
	pallet_bridge::Counterparties::<Runtime>::iter_keys()
		.find(|chain| chain.xcm_network_bytes() == *bytes)
}

/// A validated message: where it goes, what it carries, its encoding and id.
pub struct Ticket {
	chain: ChainId,
	value: Balance,
	blob: MessageBlob,
	id: XcmHash,
}

/// Routes messages for counterparty networks into `pallet-burn-proofs`' outbound lane.
pub struct BridgeRouter;
impl SendXcm for BridgeRouter {
	type Ticket = Ticket;

	fn validate(dest: &mut Option<Location>, message: &mut Option<Xcm<()>>) -> SendResult<Ticket> {
		let chain = match dest.as_ref().map(|d| d.unpack()) {
			Some((1, [GlobalConsensus(network), rest @ ..])) => {
				let chain = counterparty_of(network).ok_or(SendError::NotApplicable)?;
				if !rest.is_empty() {
					return Err(SendError::Unroutable);
				}
				chain
			},
			Some(_) => return Err(SendError::NotApplicable),
			None => return Err(SendError::MissingArgument),
		};
		if pallet_bridge::Counterparties::<Runtime>::get(chain).is_some_and(|c| c.halted) {
			return Err(SendError::Transport("the bridge to the destination is halted"));
		}
		let xcm = message.take().ok_or(SendError::MissingArgument)?;
		let value = carried_value(&xcm)?;
		let id = match xcm.last() {
			Some(SetTopic(topic)) => *topic,
			_ => <sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash_of(&xcm).0,
		};
		let blob: MessageBlob = VersionedXcm::from(xcm)
			.encode()
			.try_into()
			.map_err(|_| SendError::ExceedsMaxMessageSize)?;
		BurnProofs::prepare_message(chain, value)
			.map_err(|_| SendError::Transport("the outbound lane refuses the message"))?;
		dest.take();
		let fee = delivery_fee(blob.len());
		Ok((Ticket { chain, value, blob, id }, Asset::from((Here, fee)).into()))
	}

	fn deliver(ticket: Ticket) -> Result<XcmHash, SendError> {
		// Prepared again: another message may have been committed since `validate`.
		let prepared = BurnProofs::prepare_message(ticket.chain, ticket.value)
			.map_err(|_| SendError::Transport("the outbound lane refuses the message"))?;
		BurnProofs::commit_message(prepared, ticket.blob);
		Ok(ticket.id)
	}
}

/// Where a dry run's first nonce per destination is kept (`clear_messages`): only ever written
/// inside a runtime API call, whose changes are discarded.
const DRY_RUN_FROM: &[u8] = b":tpchain:xcm-dry-run-from";

impl xcm_builder::InspectMessageQueues for BridgeRouter {
	fn clear_messages() {
		let from: BTreeMap<ChainId, MessageNonce> =
			pallet_burn_proofs::NextMessageNonce::<Runtime>::iter().collect();
		frame_support::storage::unhashed::put(DRY_RUN_FROM, &from);
	}

	fn get_messages() -> Vec<(VersionedLocation, Vec<VersionedXcm<()>>)> {
		let from: BTreeMap<ChainId, MessageNonce> =
			frame_support::storage::unhashed::get(DRY_RUN_FROM).unwrap_or_default();
		pallet_burn_proofs::NextMessageNonce::<Runtime>::iter()
			.filter_map(|(chain, next)| {
				let first = from.get(&chain).copied().unwrap_or_default();
				let messages: Vec<VersionedXcm<()>> = (first..next)
					.filter_map(|nonce| {
						let stored = BurnProofs::outbound_message(chain, nonce)?;
						VersionedXcm::decode(&mut &stored.xcm[..]).ok()
					})
					.collect();
				(!messages.is_empty())
					.then(|| (VersionedLocation::from(counterparty_location(chain)), messages))
			})
			.collect()
	}
}
