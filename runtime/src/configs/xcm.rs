//! XCM: `pallet_xcm` and the executor, for the native token TPC only.
//!
//! - **Where this chain is**: `GlobalConsensus(ByGenesis(chain_id.xcm_network_bytes()))`, one
//!   `NetworkId` per tpchain network derived from its genesis `ChainId`
//!   ([`tpchain_primitives::ChainId::xcm_network_bytes`]); a counterparty's bridge names this
//!   network by the same value.
//! - **Assets**: TPC is `Location::here()`, moved by a `FungibleAdapter` over Balances. Nothing
//!   else is accepted: a foreign asset fails with `AssetNotFound`.
//! - **Barrier**: only paid execution (`WithdrawAsset`/`BuyExecution` first), responses to
//!   queries this chain made, and version subscriptions. There is no unpaid execution and no
//!   weight credit: a local `execute` buys its own execution like any other program, so the
//!   fee `XcmPaymentApi` quotes is what every origin pays.
//! - **Fees** are charged in TPC at the transaction fee's weight price and burned through
//!   [`DealWithFees`], like transaction fees.
//! - **Nothing leaves the chain yet**: the router is `()`, so `send` fails with `Unreachable`
//!   and an instruction that would send (teleports, reserve transfers, exports, queries) is
//!   refused, with the program, before anything runs (`Unroutable` at that instruction). The bridge route comes
//!   with XCM over the bridge. `Transact` is off (no call may be dispatched from XCM yet).
//! - **Governance**: the `force_*` calls are Root (the membership track, ≥ 2/3);
//!   `force_suspension` stops all execution at the barrier. The emergency track stops XCM with
//!   `SafeMode::force_enter` or `TxPause::pause`. `claim_assets` runs an unpaid program, so it is
//!   refused like any: trapped TPC is claimed by `execute` of `ClaimAsset`, `BuyExecution`,
//!   `DepositAsset`.

use crate::{
	configs::{bridge::LocalChainId, transaction_payment::DealWithFees},
	AccountId, AllPalletsWithSystem, Balance, Balances, PolkadotXcm, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin,
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
use xcm_executor::{traits::WeightBounds, XcmExecutor};

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
/// No checking account: teleports are refused until XCM over the bridge accounts for them.
pub type AssetTransactor =
	FungibleAdapter<Balances, IsConcrete<HereLocation>, LocationToAccountId, AccountId, ()>;

/// An origin in XCM becomes a signed origin of the account it maps to.
pub type OriginConverter = (
	SovereignSignedViaLocation<LocationToAccountId, RuntimeOrigin>,
	SignedAccountId32AsNative<ThisNetworkOrAny, RuntimeOrigin>,
);

/// What the barrier admits: paid execution, responses to this chain's queries and version
/// subscriptions; nothing unpaid.
type Admitted = (
	AllowTopLevelPaidExecutionFrom<Everything>,
	AllowKnownQueryResponses<PolkadotXcm>,
	AllowSubscriptionsFrom<Everything>,
);
#[cfg(not(feature = "runtime-benchmarks"))]
type Admission = Admitted;
/// Benchmark builds also admit the weight credit an extrinsic brings: pallet-xcm's `execute` and
/// `claim_assets` benchmarks measure the extrinsics' own cost with unpaid one-instruction
/// programs (the instructions themselves are weighed by pallet-xcm-benchmarks). Never shipped.
#[cfg(feature = "runtime-benchmarks")]
type Admission = (xcm_builder::TakeWeightCredit, Admitted);

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
	DealWithFees,
>;

/// No route leaves the chain yet (XCM over the bridge adds one).
#[cfg(not(feature = "runtime-benchmarks"))]
pub type XcmRouter = ();
/// Benchmark builds route everything to a sink, so pallet-xcm's `send` and version-notification
/// calls are measured up to the transport (which production refuses at the same point:
/// `Unreachable`). Never shipped.
#[cfg(feature = "runtime-benchmarks")]
pub type XcmRouter = benchmark_sink::Sink;

#[cfg(feature = "runtime-benchmarks")]
mod benchmark_sink {
	use alloc::vec::Vec;
	use xcm::{latest::prelude::*, VersionedLocation, VersionedXcm};

	/// Accepts every message for free and drops it.
	pub struct Sink;
	impl SendXcm for Sink {
		type Ticket = ();
		fn validate(dest: &mut Option<Location>, msg: &mut Option<Xcm<()>>) -> SendResult<()> {
			dest.take().ok_or(SendError::MissingArgument)?;
			msg.take().ok_or(SendError::MissingArgument)?;
			Ok(((), Assets::new()))
		}
		fn deliver(_: ()) -> Result<XcmHash, SendError> {
			Ok([0; 32])
		}
	}
	impl xcm_builder::InspectMessageQueues for Sink {
		fn clear_messages() {}
		fn get_messages() -> Vec<(VersionedLocation, Vec<VersionedXcm<()>>)> {
			Vec::new()
		}
	}
}

/// A signed account executes and sends as `AccountId32 { network: Some(this), id }`.
pub type LocalOriginToLocation = SignedToAccountId32<RuntimeOrigin, AccountId, ThisNetworkOrAny>;

pub struct XcmConfig;
impl xcm_executor::Config for XcmConfig {
	type RuntimeCall = RuntimeCall;
	type XcmSender = XcmRouter;
	type XcmEventEmitter = PolkadotXcm;
	type AssetTransactor = AssetTransactor;
	type OriginConverter = OriginConverter;
	// No reserves and no teleports until XCM over the bridge names the counterparty.
	type IsReserve = ();
	type IsTeleporter = ();
	type UniversalLocation = UniversalLocation;
	type Barrier = Barrier;
	type Weigher = Weigher;
	type Trader = Trader;
	type ResponseHandler = PolkadotXcm;
	type AssetTrap = PolkadotXcm;
	type AssetLocker = ();
	type AssetExchanger = ();
	type SubscriptionService = PolkadotXcm;
	type PalletInstancesInfo = AllPalletsWithSystem;
	type MaxAssetsIntoHolding = MaxAssetsIntoHolding;
	// Delivery fees (none yet: nothing is delivered) would be burned too.
	type FeeManager = ();
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
	type XcmTeleportFilter = Nothing;
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
