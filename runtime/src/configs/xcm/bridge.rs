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

use crate::{
	configs::transaction_payment::TransactionByteFee, BurnProofs, Runtime, RuntimeCall, Supply,
};
use alloc::{collections::BTreeMap, vec::Vec};
use codec::{Decode, DecodeLimit, Encode};
use frame_support::weights::Weight;
use tpchain_primitives::{
	message::{MessageBlob, MessageNonce},
	Balance, ChainId,
};
use xcm::{latest::prelude::*, VersionedLocation, VersionedXcm};
use xcm_executor::{AssetsInHolding, XcmExecutor};

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
		Supply::note_xcm(|x| x.messages_out = x.messages_out.saturating_add(ticket.value));
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

/// Executes a message a counterparty committed for this chain, proven by `pallet-bridge`:
/// origin the counterparty's network, no weight credit (the barrier then admits only paid
/// execution), at most the pallet's `MaxMessageWeight`. Whatever it carried and did not deposit
/// is trapped for the beneficiary it names, who claims it with `PolkadotXcm::claim_assets`;
/// if nothing ran at all (refused by the weigher or the barrier, or its teleport refused), the
/// value it carried is trapped the same way.
pub struct BridgedXcm;
impl pallet_bridge::ExecuteBridgedMessage for BridgedXcm {
	type Error = InstructionError;

	fn execute(
		counterparty: ChainId,
		message: &[u8],
		value: Balance,
		weight_limit: Weight,
	) -> (Weight, Result<(), InstructionError>) {
		// The bridge counts `value` as minted; the program mints it into holding (or it is
		// trapped below), so it is carried into holding here whatever runs.
		Supply::note_xcm(|x| x.messages_in = x.messages_in.saturating_add(value));
		let origin = counterparty_location(counterparty);
		let refused = |error| InstructionError { index: 0, error };
		let Ok(xcm) = VersionedXcm::<RuntimeCall>::decode_all_with_depth_limit(
			xcm::MAX_XCM_DECODE_DEPTH,
			&mut &message[..],
		)
		.map_err(|_| ())
		.and_then(|v| Xcm::<RuntimeCall>::try_from(v).map_err(|_| ())) else {
			let trapped = trap_value(&origin, &origin, value);
			return (trapped, Err(refused(XcmError::UnhandledXcmVersion)));
		};
		let owner = trap_owner(&xcm).unwrap_or_else(|| origin.clone());
		let mut id = match xcm.last() {
			Some(SetTopic(topic)) => *topic,
			_ => <sp_runtime::traits::BlakeTwo256 as sp_runtime::traits::Hash>::hash(message).0,
		};
		TRAP_FOR::using_once(&mut Some(owner.clone()), || {
			let outcome = XcmExecutor::<super::XcmConfig>::prepare_and_execute(
				origin.clone(),
				xcm,
				&mut id,
				weight_limit,
				Weight::zero(),
			);
			let (used, result) = match outcome {
				Outcome::Complete { used } => (used, Ok(())),
				Outcome::Incomplete { used, error } => (used, Err(error)),
				Outcome::Error(error) => (Weight::zero(), Err(error)),
			};
			// The teleport is the first instruction: if it did not run, nothing was minted
			// into holding, so nothing was trapped; trap what the message carried.
			let trapped = match result {
				Err(InstructionError { index: 0, .. }) => trap_value(&origin, &owner, value),
				_ => Weight::zero(),
			};
			(used.saturating_add(trapped), result)
		})
	}
}

environmental::environmental!(TRAP_FOR: Option<Location>);

/// Who may claim what a bridged message leaves behind: the local account its first
/// `DepositAsset` names (as that account's signed origin names itself), if any.
fn trap_owner(xcm: &Xcm<RuntimeCall>) -> Option<Location> {
	xcm.0.iter().find_map(|i| match i {
		DepositAsset { beneficiary, .. } => match beneficiary.unpack() {
			(0, [AccountId32 { network, id }])
				if network.is_none() || *network == Some(super::ThisNetwork::get()) =>
			{
				Some(Location::new(
					0,
					[AccountId32 { network: Some(super::ThisNetwork::get()), id: *id }],
				))
			},
			_ => None,
		},
		_ => None,
	})
}

/// Traps `value` of the counterparty's TPC (as its message named it) for `owner`.
fn trap_value(counterparty: &Location, owner: &Location, value: Balance) -> Weight {
	use xcm_executor::traits::TransactAsset as _;
	if value == 0 {
		return Weight::zero();
	}
	let context = XcmContext { origin: None, message_id: [0; 32], topic: None };
	let asset = Asset { id: AssetId(counterparty.clone()), fun: Fungible(value) };
	match super::AssetTransactor::mint_asset(&asset, &context) {
		Ok(holding) => trap(owner, holding, &context),
		Err(_) => Weight::zero(),
	}
}

/// pallet-xcm's trap, except that what a bridged message leaves is trapped for the account
/// it was for (see [`BridgedXcm`]), not for the counterparty's network, which no signed
/// origin here can claim as.
pub struct AssetTrap;
impl xcm_executor::traits::DropAssets for AssetTrap {
	fn drop_assets(origin: &Location, assets: AssetsInHolding, context: &XcmContext) -> Weight {
		let owner = TRAP_FOR::with(|owner| owner.clone()).flatten();
		let bridged = matches!(origin.unpack(), (1, [GlobalConsensus(_)]));
		let owner = owner.filter(|_| bridged).unwrap_or_else(|| origin.clone());
		trap(&owner, assets, context)
	}
}
impl xcm_executor::traits::ClaimAssets for AssetTrap {
	fn claim_assets(
		origin: &Location,
		ticket: &Location,
		what: &Assets,
		context: &XcmContext,
	) -> Option<AssetsInHolding> {
		let claimed = <super::PolkadotXcm as xcm_executor::traits::ClaimAssets>::claim_assets(
			origin, ticket, what, context,
		)?;
		let amount = super::fungible_total(&claimed);
		Supply::note_xcm(|x| x.claimed = x.claimed.saturating_add(amount));
		Some(claimed)
	}
}

/// Traps `assets` in pallet-xcm for `owner`, counted: the trap keeps them issued.
fn trap(owner: &Location, assets: AssetsInHolding, context: &XcmContext) -> Weight {
	let amount = super::fungible_total(&assets);
	Supply::note_xcm(|x| x.trapped = x.trapped.saturating_add(amount));
	<super::PolkadotXcm as xcm_executor::traits::DropAssets>::drop_assets(owner, assets, context)
}

/// TPC in XCM as a counterparty names it: its own network's location, `(1, [GlobalConsensus(its
/// network)])`, for a counterparty the light client follows. The same token as `Here`.
pub struct CounterpartyTpc;
impl xcm_executor::traits::MatchesFungible<Balance> for CounterpartyTpc {
	fn matches_fungible(asset: &Asset) -> Option<Balance> {
		match (asset.id.0.unpack(), &asset.fun) {
			((1, [GlobalConsensus(network)]), Fungible(amount))
				if bridged_chain_of(network).is_some() =>
			{
				Some(*amount)
			},
			_ => None,
		}
	}
}

/// Whether `id` is a counterparty's TPC.
fn is_counterparty_tpc(id: &AssetId) -> bool {
	matches!(id.0.unpack(), (1, [GlobalConsensus(network)]) if bridged_chain_of(network).is_some())
}

/// Moves the fungible of id `from` in `holding` to id `to` (both TPC).
fn rekey(mut holding: AssetsInHolding, from: &AssetId, to: &AssetId) -> AssetsInHolding {
	if let Some(credit) = holding.fungible.remove(from) {
		holding.subsume_assets(AssetsInHolding::new_from_fungible_credit(to.clone(), credit));
	}
	holding
}

/// Buys execution with TPC, named `Here` or as a counterparty names it: the same token, at
/// the same price, through the one trader ([`super::Trader`]).
pub struct TpcTrader {
	inner: super::Trader,
	paid_as: Option<AssetId>,
}
impl xcm_executor::traits::WeightTrader for TpcTrader {
	fn new() -> Self {
		TpcTrader { inner: super::Trader::new(), paid_as: None }
	}

	fn buy_weight(
		&mut self,
		weight: Weight,
		payment: AssetsInHolding,
		context: &XcmContext,
	) -> Result<AssetsInHolding, (AssetsInHolding, XcmError)> {
		let here = AssetId(Location::here());
		let foreign = payment.fungible.keys().find(|id| is_counterparty_tpc(id)).cloned();
		let Some(id) = foreign else { return self.inner.buy_weight(weight, payment, context) };
		let payment = rekey(payment, &id, &here);
		self.paid_as = Some(id.clone());
		self.inner
			.buy_weight(weight, payment, context)
			.map(|unused| rekey(unused, &here, &id))
			.map_err(|(unused, e)| (rekey(unused, &here, &id), e))
	}

	fn refund_weight(&mut self, weight: Weight, context: &XcmContext) -> Option<AssetsInHolding> {
		let refund = self.inner.refund_weight(weight, context)?;
		Some(match &self.paid_as {
			Some(id) => rekey(refund, &AssetId(Location::here()), id),
			None => refund,
		})
	}

	fn quote_weight(
		&mut self,
		weight: Weight,
		given: AssetId,
		context: &XcmContext,
	) -> Result<Asset, XcmError> {
		if !is_counterparty_tpc(&given) {
			return self.inner.quote_weight(weight, given, context);
		}
		let quote = self.inner.quote_weight(weight, AssetId(Location::here()), context)?;
		Ok(Asset { id: given, fun: quote.fun })
	}
}
