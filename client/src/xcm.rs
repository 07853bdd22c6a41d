//! XCM: fee quotes, dry runs and local execution, through the runtime's standard XCM APIs
//! (`XcmPaymentApi`, `DryRunApi`, `LocationToAccountApi`), the same ones any wallet of the
//! ecosystem calls.
//!
//! Programs are built with the [`xcm`] crate (re-exported) and SCALE-encoded; dry-run answers
//! are decoded from the API's output type in the runtime's metadata, as a generic wallet does.

use crate::{sx, AccountId, Balance, Connection, Error, Hash};
use codec::{Decode, Encode};
use subxt::dynamic::{At, Value};
use subxt::ext::scale_value::ValueDef;
use tpchain_primitives::{message::MessageNonce, ChainId};
pub use xcm;
use xcm::{
	latest::{prelude::*, Weight},
	VersionedAssetId, VersionedAssets, VersionedLocation, VersionedXcm,
};
use xcm_runtime_apis::fees;

/// The XCM version results are asked in.
pub const XCM_VERSION: u32 = xcm::latest::VERSION;

/// What executing a program costs: its weight and the fee in TPC units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Quote {
	/// Reference time (picoseconds) the program is weighed at.
	pub ref_time: u64,
	/// Proof size (bytes) the program is weighed at.
	pub proof_size: u64,
	/// The execution fee in TPC's smallest unit (burned when charged).
	pub fee: Balance,
}

impl Quote {
	/// The weight as the executor takes it.
	pub fn weight(&self) -> Weight {
		Weight::from_parts(self.ref_time, self.proof_size)
	}
}

/// An event as any client decodes it from metadata: pallet, event and fields.
#[derive(Debug, Clone, PartialEq)]
pub struct EventValue {
	/// The pallet's name (`Balances`).
	pub pallet: String,
	/// The event's name (`Transfer`).
	pub event: String,
	/// The fields, decoded from metadata.
	pub fields: Value<()>,
}

impl std::fmt::Display for EventValue {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		write!(f, "{}.{} {}", self.pallet, self.event, self.fields)
	}
}

impl EventValue {
	/// From a `RuntimeEvent` value: `Pallet(Event { fields })`.
	fn from_runtime_event(value: Value<()>) -> Option<Self> {
		let ValueDef::Variant(pallet) = value.value else { return None };
		let inner = pallet.values.into_values().next()?;
		let ValueDef::Variant(event) = inner.value else { return None };
		Some(Self {
			pallet: pallet.name,
			event: event.name,
			fields: Value { value: ValueDef::Composite(event.values), context: () },
		})
	}

	/// From an event the chain emitted.
	pub fn from_event(
		event: &subxt::events::Event<'_, crate::TpchainConfig>,
	) -> Result<Self, Error> {
		let value: Value = event.decode_as().map_err(sx)?;
		Self::from_runtime_event(value)
			.ok_or_else(|| Error::Unexpected(format!("event {event:?} is not Pallet(Event)")))
	}
}

/// A dry run of a call: its result, the events it would emit, and the messages it would send.
#[derive(Debug)]
pub struct CallDryRun {
	/// `Ok`, or the error: a module error by name (`PolkadotXcm.LocalExecutionIncompleteWithError`)
	/// with its fields, or the dispatch error as decoded from metadata.
	pub result: Result<(), String>,
	/// The events, in order.
	pub events: Vec<EventValue>,
	/// Messages the call would send elsewhere (over the bridge).
	pub forwarded: usize,
}

/// A dry run of a program: its outcome and the events it would emit.
#[derive(Debug)]
pub struct XcmDryRun {
	/// `Complete { used }`, `Incomplete { used, error }` or `Error(..)`, from metadata.
	pub outcome: Value<()>,
	/// The events, in order.
	pub events: Vec<EventValue>,
}

/// `Junction::AccountId32` of `who`, the location an account executes from.
pub fn account_location(who: &AccountId) -> Location {
	AccountId32 { network: None, id: who.0 }.into()
}

/// The location of counterparty network `chain` (what `transfer_assets` names as `dest`).
pub fn counterparty_location(chain: ChainId) -> Location {
	Location::new(1, [GlobalConsensus(NetworkId::ByGenesis(chain.xcm_network_bytes()))])
}

/// TPC, the only asset fees are paid in.
pub fn tpc(amount: Balance) -> Asset {
	(Here, amount).into()
}

/// The program that moves `amount` from the executing account to `to`, buying `weight` with
/// `fee`: `WithdrawAsset`, `BuyExecution`, `DepositAsset`.
pub fn transfer_program(to: &AccountId, amount: Balance, fee: Balance, weight: Weight) -> Xcm<()> {
	Xcm(vec![
		WithdrawAsset(tpc(amount.saturating_add(fee)).into()),
		BuyExecution { fees: tpc(fee), weight_limit: Limited(weight) },
		DepositAsset { assets: Wild(AllCounted(1)), beneficiary: account_location(to) },
	])
}

fn api_error(method: &str, error: impl std::fmt::Debug) -> Error {
	Error::Unexpected(format!("{method} refused: {error:?}"))
}

/// The `Ok` of a `Result` value, or the API's error as [`Error::Unexpected`].
fn ok_of(result: Value<()>) -> Result<Value<()>, Error> {
	match result.value {
		ValueDef::Variant(v) if v.name == "Ok" => {
			v.values.into_values().next().ok_or_else(|| Error::Unexpected("empty Ok".into()))
		},
		other => Err(Error::Unexpected(format!("the runtime refused the dry run: {other:?}"))),
	}
}

/// Field `name` of a composite value.
fn field(value: &Value<()>, name: &str) -> Result<Value<()>, Error> {
	value.at(name).cloned().ok_or_else(|| Error::Unexpected(format!("no field {name} in {value}")))
}

/// The `emitted_events` of dry-run effects.
fn events_of(effects: &Value<()>) -> Result<Vec<EventValue>, Error> {
	match field(effects, "emitted_events")?.value {
		ValueDef::Composite(c) => c
			.into_values()
			.map(|e| {
				EventValue::from_runtime_event(e)
					.ok_or_else(|| Error::Unexpected("event not Pallet(Event)".into()))
			})
			.collect(),
		other => Err(Error::Unexpected(format!("emitted_events {other:?}"))),
	}
}

impl Connection {
	/// The weight and TPC fee of `program`, as `XcmPaymentApi` quotes them.
	pub async fn xcm_quote(&self, program: &Xcm<()>) -> Result<Quote, Error> {
		let versioned = VersionedXcm::from(program.clone());
		let weight: Result<Weight, fees::Error> =
			self.runtime_api("XcmPaymentApi_query_xcm_weight", &versioned, None).await?;
		let weight = weight.map_err(|e| api_error("query_xcm_weight", e))?;
		let asset = VersionedAssetId::from(AssetId(Here.into()));
		let fee: Result<u128, fees::Error> = self
			.runtime_api("XcmPaymentApi_query_weight_to_asset_fee", &(weight, asset), None)
			.await?;
		let fee = fee.map_err(|e| api_error("query_weight_to_asset_fee", e))?;
		Ok(Quote { ref_time: weight.ref_time(), proof_size: weight.proof_size(), fee })
	}

	/// The TPC fee for delivering `program` to chain `to_chain`, as `XcmPaymentApi` quoted it
	/// at block `at` (or the best block).
	pub async fn xcm_delivery_fee(
		&self,
		to_chain: ChainId,
		program: &Xcm<()>,
		at: Option<Hash>,
	) -> Result<Balance, Error> {
		let args = (
			VersionedLocation::from(counterparty_location(to_chain)),
			VersionedXcm::from(program.clone()),
			VersionedAssetId::from(AssetId(Here.into())),
		);
		let fee: Result<VersionedAssets, fees::Error> =
			self.runtime_api("XcmPaymentApi_query_delivery_fees", &args, at).await?;
		let fee = fee.map_err(|e| api_error("query_delivery_fees", e))?;
		let fee: Assets =
			fee.try_into().map_err(|_| Error::Unexpected("delivery fee not in XCM v5".into()))?;
		fee.inner()
			.iter()
			.find_map(|a| match (&a.id, &a.fun) {
				(AssetId(l), Fungibility::Fungible(n)) if *l == Location::here() => Some(*n),
				_ => None,
			})
			.ok_or_else(|| Error::Unexpected("delivery fee not in TPC".into()))
	}

	/// Calls `trait_.method` with SCALE `args` on the best block and decodes the answer from
	/// the API's declared output type in metadata, as a generic wallet would.
	async fn runtime_call_value(
		&self,
		trait_: &str,
		method: &str,
		args: &[u8],
	) -> Result<Value<()>, Error> {
		let metadata = self.metadata().await?;
		let ty = metadata
			.runtime_api_trait_by_name(trait_)
			.and_then(|t| t.method_by_name(method).map(|m| m.output_ty()))
			.ok_or_else(|| Error::Unexpected(format!("the runtime has no {trait_}.{method}")))?;
		let name = format!("{trait_}_{method}");
		let raw = self.rpc.state_call(&name, Some(args), None).await.map_err(sx)?;
		<Value as subxt::ext::scale_decode::DecodeAsType>::decode_as_type(
			&mut &raw[..],
			ty,
			metadata.types(),
		)
		.map_err(|e| api_error(&name, e))
	}

	/// What `call` (SCALE call data, e.g. from `api.tx().call_data(..)`) would do if `origin`
	/// signed it now; changes nothing.
	pub async fn dry_run_call(
		&self,
		origin: &AccountId,
		call_data: &[u8],
	) -> Result<CallDryRun, Error> {
		// `OriginCaller::system(RawOrigin::Signed(origin))`: System is pallet 0, `Signed` is 1.
		let mut args = vec![0u8, 1u8];
		args.extend_from_slice(&origin.0);
		args.extend_from_slice(call_data);
		XCM_VERSION.encode_to(&mut args);
		let effects = ok_of(self.runtime_call_value("DryRunApi", "dry_run_call", &args).await?)?;
		let metadata = self.metadata().await?;
		let result = match field(&effects, "execution_result")?.value {
			ValueDef::Variant(v) if v.name == "Ok" => Ok(()),
			ValueDef::Variant(v) => {
				Err(describe_dispatch_error(&metadata, v.values.into_values().next()))
			},
			other => return Err(Error::Unexpected(format!("execution_result {other:?}"))),
		};
		let forwarded = match field(&effects, "forwarded_xcms")?.value {
			ValueDef::Composite(c) => c.into_values().count(),
			_ => 0,
		};
		Ok(CallDryRun { result, events: events_of(&effects)?, forwarded })
	}

	/// The runtime's metadata as of the best block.
	pub async fn metadata(&self) -> Result<subxt::ArcMetadata, Error> {
		Ok(self.api.at_current_block().await.map_err(sx)?.metadata())
	}

	/// What `program` would do if executed from `origin` now; changes nothing.
	pub async fn dry_run_xcm(
		&self,
		origin: Location,
		program: &Xcm<()>,
	) -> Result<XcmDryRun, Error> {
		let args = (VersionedLocation::from(origin), VersionedXcm::from(program.clone())).encode();
		let effects = ok_of(self.runtime_call_value("DryRunApi", "dry_run_xcm", &args).await?)?;
		Ok(XcmDryRun {
			outcome: field(&effects, "execution_result")?,
			events: events_of(&effects)?,
		})
	}

	/// The account `location` maps to on this chain (`LocationToAccountApi`).
	pub async fn location_to_account(&self, location: Location) -> Result<AccountId, Error> {
		let mapped: Result<AccountId, xcm_runtime_apis::conversions::Error> = self
			.runtime_api(
				"LocationToAccountApi_convert_location",
				&VersionedLocation::from(location),
				None,
			)
			.await?;
		mapped.map_err(|e| api_error("convert_location", e))
	}

	/// Signs a teleport of `amount` TPC to `beneficiary` on network `to_chain` from `signer` and
	/// waits for finality; returns the block, its events and the nonce of the message committed
	/// towards `to_chain` (from the `BurnProofs.MessageSent` event).
	pub async fn xcm_transfer(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
		to_chain: ChainId,
		beneficiary: &AccountId,
		amount: Balance,
	) -> Result<(Hash, subxt::extrinsics::ExtrinsicEvents<crate::TpchainConfig>, MessageNonce), Error>
	{
		let call = XcmCall::transfer_to_chain(to_chain, beneficiary, amount);
		let (block, events) = self.submit(signer, &call).await?;
		let sent = events
			.iter()
			.filter_map(Result::ok)
			.filter(|e| e.pallet_name() == "BurnProofs" && e.event_name() == "MessageSent")
			.find_map(|e| {
				let mut fields = e.field_bytes();
				let (dest, nonce) = <(ChainId, MessageNonce)>::decode(&mut fields).ok()?;
				(dest == to_chain).then_some(nonce)
			})
			.ok_or_else(|| Error::Unexpected("no MessageSent event".into()))?;
		Ok((block, events, sent))
	}

	/// Signs `PolkadotXcm::execute(program, max_weight)` from `signer` and waits for finality.
	pub async fn xcm_execute(
		&self,
		signer: &subxt_signer::sr25519::Keypair,
		program: &Xcm<()>,
		max_weight: Weight,
	) -> Result<(Hash, subxt::extrinsics::ExtrinsicEvents<crate::TpchainConfig>), Error> {
		self.submit(signer, &XcmCall::execute(program, max_weight)).await
	}
}

/// A `PolkadotXcm` call as a transaction payload, its arguments SCALE-encoded with the [`xcm`]
/// crate. A program's `RuntimeCall` type appears only inside `Transact`, which this runtime
/// refuses, so a `()`-call program encodes as the runtime's.
pub struct XcmCall {
	call: &'static str,
	args: PreEncoded,
}

impl XcmCall {
	/// `PolkadotXcm::execute(program, max_weight)`.
	pub fn execute(program: &Xcm<()>, max_weight: Weight) -> Self {
		Self::raw("execute", (VersionedXcm::from(program.clone()), max_weight).encode())
	}

	/// `PolkadotXcm::send(dest, program)`.
	pub fn send(dest: Location, program: &Xcm<()>) -> Self {
		let args = (VersionedLocation::from(dest), VersionedXcm::from(program.clone())).encode();
		Self::raw("send", args)
	}

	/// `PolkadotXcm::transfer_assets` of `amount` TPC to `beneficiary` on counterparty network
	/// `to_chain`: a teleport over the bridge, the fee for execution there taken from the
	/// amount (no weight limit: the whole program's weight is bought).
	pub fn transfer_to_chain(to_chain: ChainId, beneficiary: &AccountId, amount: Balance) -> Self {
		let dest = counterparty_location(to_chain);
		let args = (
			VersionedLocation::from(dest),
			VersionedLocation::from(account_location(beneficiary)),
			VersionedAssets::from(Assets::from(tpc(amount))),
			0u32,
			WeightLimit::Unlimited,
		)
			.encode();
		Self::raw("transfer_assets", args)
	}

	/// `PolkadotXcm::<call>` with arguments `args` as given (for tests of malformed input).
	pub fn raw(call: &'static str, args: Vec<u8>) -> Self {
		Self { call, args: PreEncoded(args) }
	}

	/// The call data (pallet and call index included), as `DryRunApi` takes it.
	pub fn call_data(&self, metadata: &subxt::Metadata) -> Result<Vec<u8>, Error> {
		let pallet = metadata
			.pallet_by_name("PolkadotXcm")
			.ok_or_else(|| Error::Unexpected("the runtime has no PolkadotXcm".into()))?;
		let call = pallet
			.call_variant_by_name(self.call)
			.ok_or_else(|| Error::Unexpected(format!("PolkadotXcm has no {}", self.call)))?;
		let mut data = vec![pallet.call_index(), call.index];
		data.extend_from_slice(&self.args.0);
		Ok(data)
	}
}

/// Call arguments already SCALE-encoded in the order the call declares them.
pub struct PreEncoded(pub Vec<u8>);

impl subxt::ext::scale_encode::EncodeAsFields for PreEncoded {
	fn encode_as_fields_to<R: subxt::ext::scale_type_resolver::TypeResolver>(
		&self,
		_fields: &mut dyn subxt::ext::scale_encode::FieldIter<'_, R::TypeId>,
		_types: &R,
		out: &mut Vec<u8>,
	) -> Result<(), subxt::ext::scale_encode::Error> {
		out.extend_from_slice(&self.0);
		Ok(())
	}
}

impl subxt::tx::Payload for XcmCall {
	type CallData = PreEncoded;

	fn pallet_name(&self) -> &str {
		"PolkadotXcm"
	}

	fn call_name(&self) -> &str {
		self.call
	}

	fn call_data(&self) -> &PreEncoded {
		&self.args
	}
}

/// Names a `DispatchErrorWithPostInfo` value: `Pallet.Error` for a module error (from
/// metadata), the value as decoded otherwise.
fn describe_dispatch_error(metadata: &subxt::Metadata, error: Option<Value<()>>) -> String {
	let Some(error) = error else { return "unknown error".into() };
	let inner = field(&error, "error").unwrap_or(error);
	module_error_name(metadata, &inner).unwrap_or_else(|| inner.to_string())
}

/// `Pallet.Error` of a `DispatchError::Module { index, error }` value.
fn module_error_name(metadata: &subxt::Metadata, error: &Value<()>) -> Option<String> {
	let ValueDef::Variant(variant) = &error.value else { return None };
	if variant.name != "Module" {
		return None;
	}
	let module = variant.values.values().next()?;
	let index = u8::try_from(module.at("index")?.as_u128()?).ok()?;
	let code = match &module.at("error")?.value {
		ValueDef::Composite(bytes) => u8::try_from(bytes.values().next()?.as_u128()?).ok()?,
		_ => return None,
	};
	let pallet = metadata.pallet_by_error_index(index)?;
	Some(format!("{}.{}", pallet.name(), pallet.error_variant_by_index(code)?.name))
}
