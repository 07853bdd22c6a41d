//! XCM: `pallet_xcm` and the executor, for the native token TPC only.
//!
//! - **Where this chain is**: `GlobalConsensus(ByGenesis(chain_id.xcm_network_bytes()))`, one
//!   `NetworkId` per tpchain network derived from its genesis `ChainId`
//!   ([`tpchain_primitives::ChainId::xcm_network_bytes`]); a counterparty's bridge names this
//!   network by the same value.
//! - **Assets**: TPC is `Location::here()`, moved by a `FungibleAdapter` over Balances. Nothing
//!   else is accepted: a foreign asset fails with `AssetNotFound`.
//! - **Barrier**: execution someone paid for: a local extrinsic's program with the weight
//!   credit its transaction fee bought (`execute`, `transfer_assets`, `claim_assets`), any
//!   other program by buying execution (`WithdrawAsset`/`ReceiveTeleportedAsset` then
//!   `BuyExecution`); responses to queries this chain made; version subscriptions.
//! - **Fees** are charged in TPC at the transaction fee's weight price and burned, execution
//!   fees through `pallet_supply::BurnXcmFees` and delivery fees through [`BurnDeliveryFees`],
//!   both counted in the supply report's XCM flows.
//! - **Supply**: the asset transactor ([`CountedTransactor`]) counts what programs withdraw from
//!   and deposit to accounts, the trap ([`bridge::AssetTrap`]) what is trapped and claimed.
//!   Holding is credit: it changes the issuance only when a program mints into it (a teleport
//!   in) or drops it (a fee, a teleport out, `BurnAsset`); a trap keeps it issued. A program ends
//!   with holding empty, so XCM changes the issuance by exactly
//!   `deposited + trapped − withdrawn − claimed`, which the report's identity uses.
//! - **Routes**: only to counterparty tpchain networks, through the bridge ([`bridge`]): TPC
//!   leaves as a teleport (burned here, minted there). Anything else is `Unreachable`; an
//!   instruction the runtime cannot carry out (reserve transfers, exports, queries) is refused,
//!   with the program, before anything runs. `Transact` is off (no call may be dispatched from
//!   XCM).
//! - **Governance**: the `force_*` calls are Root (the membership track, ≥ 2/3);
//!   `force_suspension` stops all execution at the barrier. The emergency track stops XCM with
//!   `SafeMode::force_enter` or `TxPause::pause`.

use crate::{
	configs::bridge::LocalChainId, AccountId, AllPalletsWithSystem, Balance, Balances, PolkadotXcm,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, Supply,
};
use frame_support::weights::Weight;
use frame_support::{
	parameter_types,
	traits::{Disabled, Everything, Nothing},
};
use frame_system::EnsureRoot;
use xcm::latest::{prelude::*, GetWeight};
use xcm_builder::{
	AccountId32Aliases, AllowKnownQueryResponses, AllowSubscriptionsFrom,
	AllowTopLevelPaidExecutionFrom, DescribeAllTerminal, DescribeFamily, EnsureXcmOrigin,
	ExternalConsensusLocationsConverterFor, FrameTransactionalProcessor, FungibleAdapter,
	HashedDescription, IsConcrete, RespectSuspension, SignedAccountId32AsNative,
	SignedToAccountId32, SovereignSignedViaLocation, TrailingSetTopicAsId, UsingComponents,
	WeightInfoBounds,
};
use xcm_executor::{
	traits::{TransactAsset, WeightBounds},
	AssetsInHolding, XcmExecutor,
};

pub mod bridge;

parameter_types! {
	/// This network's `NetworkId`, derived from the `ChainId` fixed in genesis.
	pub ThisNetwork: NetworkId = NetworkId::ByGenesis(LocalChainId::get().xcm_network_bytes());
	/// This network as an `Option`, for the converters that accept an account's network.
	pub ThisNetworkOrAny: Option<NetworkId> = Some(ThisNetwork::get());
	/// Where this chain sits in the universe of consensus systems.
	pub UniversalLocation: InteriorLocation = [GlobalConsensus(ThisNetwork::get())].into();
	/// TPC, the native token.
	pub const HereLocation: Location = Location::here();
	/// Longest program the executor weighs (nested programs count their instructions too).
	pub const MaxInstructions: u32 = 100;
	/// Most distinct assets the holding register takes; TPC is the only one today.
	pub const MaxAssetsIntoHolding: u32 = 4;
}

/// How a location maps to an account: a local `AccountId32` is that account (with no network
/// or this network); a remote or non-account location gets a hashed sovereign account
/// (`HashedDescription` for locations on this network, `ExternalConsensusLocationsConverterFor`
/// for locations in another consensus, as a bridged tpchain network).
pub type LocationToAccountId = (
	AccountId32Aliases<ThisNetworkOrAny, AccountId>,
	HashedDescription<AccountId, DescribeFamily<DescribeAllTerminal>>,
	ExternalConsensusLocationsConverterFor<UniversalLocation, AccountId>,
);

/// TPC in XCM is Balances: withdrawn, deposited and transferred as the account's free balance.
/// No checking account: a teleport out burns (the burn totals count it), a teleport in mints.
/// A counterparty's TPC (as it names it, [`bridge::CounterpartyTpc`]) is the same token.
pub type TpcTransactor = FungibleAdapter<
	Balances,
	(IsConcrete<HereLocation>, bridge::CounterpartyTpc),
	LocationToAccountId,
	AccountId,
	(),
>;

/// The transactor the executor uses: [`TpcTransactor`], with what it withdraws from accounts
/// into holding and deposits from holding into accounts counted in `pallet_supply::Xcm`.
pub type AssetTransactor = CountedTransactor<TpcTransactor>;

/// Counts the amounts `Inner` moves between accounts and holding; everything else is `Inner`'s.
pub struct CountedTransactor<Inner>(core::marker::PhantomData<Inner>);
impl<Inner: TransactAsset> TransactAsset for CountedTransactor<Inner> {
	fn can_check_in(origin: &Location, what: &Asset, context: &XcmContext) -> XcmResult {
		Inner::can_check_in(origin, what, context)
	}
	fn check_in(origin: &Location, what: &Asset, context: &XcmContext) {
		Inner::check_in(origin, what, context)
	}
	fn can_check_out(dest: &Location, what: &Asset, context: &XcmContext) -> XcmResult {
		Inner::can_check_out(dest, what, context)
	}
	fn check_out(dest: &Location, what: &Asset, context: &XcmContext) {
		Inner::check_out(dest, what, context)
	}
	fn deposit_asset(
		what: AssetsInHolding,
		who: &Location,
		context: Option<&XcmContext>,
	) -> Result<(), (AssetsInHolding, XcmError)> {
		let amount = fungible_total(&what);
		Inner::deposit_asset(what, who, context)?;
		Supply::note_xcm(|x| x.deposited = x.deposited.saturating_add(amount));
		Ok(())
	}
	fn withdraw_asset(
		what: &Asset,
		who: &Location,
		context: Option<&XcmContext>,
	) -> Result<AssetsInHolding, XcmError> {
		let holding = Inner::withdraw_asset(what, who, context)?;
		let amount = fungible_total(&holding);
		Supply::note_xcm(|x| x.withdrawn = x.withdrawn.saturating_add(amount));
		Ok(holding)
	}
	fn internal_transfer_asset(
		asset: &Asset,
		from: &Location,
		to: &Location,
		context: &XcmContext,
	) -> Result<Asset, XcmError> {
		Inner::internal_transfer_asset(asset, from, to, context)
	}
	fn mint_asset(what: &Asset, context: &XcmContext) -> Result<AssetsInHolding, XcmError> {
		Inner::mint_asset(what, context)
	}
}

/// TPC in `holding` (the only fungible the transactor takes).
pub(crate) fn fungible_total(holding: &AssetsInHolding) -> Balance {
	holding.fungible_assets_iter().fold(0, |sum, asset| match asset.fun {
		Fungible(amount) => sum.saturating_add(amount),
		NonFungible(_) => sum,
	})
}

/// Delivery fees: burned, and counted in the supply report's XCM fees.
pub struct BurnDeliveryFees;
impl xcm_builder::HandleFee for BurnDeliveryFees {
	fn handle_fee(
		fee: AssetsInHolding,
		_context: Option<&XcmContext>,
		_reason: xcm_executor::traits::FeeReason,
	) -> AssetsInHolding {
		let amount = fungible_total(&fee);
		Supply::note_xcm(|x| x.fees = x.fees.saturating_add(amount));
		drop(fee);
		AssetsInHolding::new()
	}
}

/// An origin in XCM becomes a signed origin of the account it maps to.
pub type OriginConverter = (
	SovereignSignedViaLocation<LocationToAccountId, RuntimeOrigin>,
	SignedAccountId32AsNative<ThisNetworkOrAny, RuntimeOrigin>,
);

/// What the barrier admits: execution the caller paid for. A local extrinsic (`execute`,
/// `transfer_assets`, `claim_assets`) pays its program's weight through its transaction fee, which
/// the executor receives as weight credit (`TakeWeightCredit`); a message delivered over the
/// bridge brings no credit and must buy its execution (`WithdrawAsset`/`ReceiveTeleportedAsset`
/// then `BuyExecution`). Also responses to this chain's queries and version subscriptions.
type Admission = (
	xcm_builder::TakeWeightCredit,
	AllowTopLevelPaidExecutionFrom<Everything>,
	AllowKnownQueryResponses<PolkadotXcm>,
	AllowSubscriptionsFrom<Everything>,
);

/// The barrier; `PolkadotXcm::force_suspension(true)` (membership track) stops everything.
pub type Barrier = RespectSuspension<TrailingSetTopicAsId<Admission>, PolkadotXcm>;

/// Instruction weights from `pallet-xcm-benchmarks`, measured here.
type InstructionWeights = crate::weights::xcm::TpchainXcmWeight<RuntimeCall>;
type MeasuredWeights = WeightInfoBounds<InstructionWeights, RuntimeCall, MaxInstructions>;

/// The measured weights, and a refusal that says why for an instruction this runtime cannot
/// carry out yet (weighed `Weight::MAX`): `Unroutable` if it would send a message,
/// `Unimplemented` otherwise, at that instruction's index.
pub struct Weigher;
impl WeightBounds<RuntimeCall> for Weigher {
	fn weight(
		message: &mut Xcm<RuntimeCall>,
		weight_limit: Weight,
	) -> Result<Weight, InstructionError> {
		for (index, instruction) in message.0.iter().enumerate() {
			if GetWeight::<InstructionWeights>::weight(instruction) == Weight::MAX {
				let index = u8::try_from(index).unwrap_or(u8::MAX);
				return Err(InstructionError { index, error: why_unsupported(instruction) });
			}
		}
		MeasuredWeights::weight(message, weight_limit)
	}

	fn instr_weight(instruction: &mut Instruction<RuntimeCall>) -> Result<Weight, XcmError> {
		MeasuredWeights::instr_weight(instruction)
	}
}

fn why_unsupported(instruction: &Instruction<RuntimeCall>) -> XcmError {
	match instruction {
		TransferReserveAsset { .. }
		| DepositReserveAsset { .. }
		| InitiateReserveWithdraw { .. }
		| InitiateTeleport { .. }
		| InitiateTransfer { .. }
		| ReportError(_)
		| ReportHolding { .. }
		| QueryPallet { .. }
		| ReportTransactStatus(_)
		| ExportMessage { .. }
		| SubscribeVersion { .. } => XcmError::Unroutable,
		_ => XcmError::Unimplemented,
	}
}

/// Execution is bought in TPC at the transaction fee's price per weight; the fee is burned.
pub type Trader = UsingComponents<
	crate::configs::transaction_payment::WeightToFee,
	HereLocation,
	AccountId,
	Balances,
	pallet_supply::BurnXcmFees<Runtime>,
>;

/// The only route leaves through the bridge ([`bridge::BridgeRouter`]).
pub type XcmRouter = bridge::BridgeRouter;

/// A signed account executes and sends as `AccountId32 { network: Some(this), id }`.
pub type LocalOriginToLocation = SignedToAccountId32<RuntimeOrigin, AccountId, ThisNetworkOrAny>;

pub struct XcmConfig;
impl xcm_executor::Config for XcmConfig {
	type RuntimeCall = RuntimeCall;
	type XcmSender = XcmRouter;
	type XcmEventEmitter = PolkadotXcm;
	type AssetTransactor = AssetTransactor;
	type OriginConverter = OriginConverter;
	// TPC is burned on one tpchain network and minted on the other: teleports, never reserves.
	type IsReserve = ();
	type IsTeleporter = bridge::TpcTeleports;
	type UniversalLocation = UniversalLocation;
	type Barrier = Barrier;
	type Weigher = Weigher;
	type Trader = bridge::TpcTrader;
	type ResponseHandler = PolkadotXcm;
	type AssetTrap = bridge::AssetTrap;
	type AssetLocker = ();
	type AssetExchanger = ();
	type SubscriptionService = PolkadotXcm;
	type PalletInstancesInfo = AllPalletsWithSystem;
	type MaxAssetsIntoHolding = MaxAssetsIntoHolding;
	// Delivery fees are burned; governance (Root, `Here`) sends without paying, as it has no
	// account to pay from.
	type FeeManager = xcm_builder::XcmFeeManagerFromComponents<
		frame_support::traits::Equals<HereLocation>,
		BurnDeliveryFees,
	>;
	type MessageExporter = ();
	type UniversalAliases = Nothing;
	type CallDispatcher = RuntimeCall;
	// `Transact` would dispatch calls past the transaction extensions' pool checks.
	type SafeCallFilter = Nothing;
	type Aliasers = Nothing;
	type TransactionalProcessor = FrameTransactionalProcessor;
	type HrmpNewChannelOpenRequestHandler = ();
	type HrmpChannelAcceptedHandler = ();
	type HrmpChannelClosingHandler = ();
	type XcmRecorder = PolkadotXcm;
}

impl pallet_xcm::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type CurrencyMatcher = IsConcrete<HereLocation>;
	// No authorized aliases: `Aliasers` is `Nothing`.
	type AuthorizedAliasConsideration = Disabled;
	type SendXcmOrigin = EnsureXcmOrigin<RuntimeOrigin, LocalOriginToLocation>;
	type XcmRouter = XcmRouter;
	type ExecuteXcmOrigin = EnsureXcmOrigin<RuntimeOrigin, LocalOriginToLocation>;
	type XcmExecuteFilter = Everything;
	type XcmExecutor = XcmExecutor<XcmConfig>;
	// What may be teleported, and where, is `TpcTeleports`' decision.
	type XcmTeleportFilter = Everything;
	type XcmReserveTransferFilter = Nothing;
	type Weigher = Weigher;
	type UniversalLocation = UniversalLocation;
	type RuntimeOrigin = RuntimeOrigin;
	type RuntimeCall = RuntimeCall;
	const VERSION_DISCOVERY_QUEUE_SIZE: u32 = 100;
	type AdvertisedXcmVersion = pallet_xcm::CurrentXcmVersion;
	type AdminOrigin = EnsureRoot<AccountId>;
	type TrustedLockers = ();
	type SovereignAccountOf = LocationToAccountId;
	type MaxLockers = frame_support::traits::ConstU32<0>;
	type MaxRemoteLockConsumers = frame_support::traits::ConstU32<0>;
	type RemoteLockConsumerIdentifier = ();
	type WeightInfo = crate::weights::pallet_xcm::WeightInfo<Runtime>;
}

/// The fee the trader charges for `weight`, in TPC units: what `XcmPaymentApi` quotes.
pub fn weight_to_fee(weight: &Weight) -> Balance {
	use frame_support::weights::WeightToFee as _;
	crate::configs::transaction_payment::WeightToFee::weight_to_fee(weight)
}
