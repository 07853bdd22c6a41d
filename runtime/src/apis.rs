//! Runtime APIs the node and clients call.

use crate::configs::xcm::{HereLocation, LocationToAccountId, XcmRouter};
use crate::{
	AccountId, Aura, Balance, Block, BlockNumber, Bridge, BurnProofs, Escrow, Executive,
	Governance, Grandpa, GuardianRecovery, InherentDataExt, Nonce, Operators, Runtime, RuntimeCall,
	RuntimeGenesisConfig, SessionKeys, System, TransactionPayment, VERSION,
};
use crate::{OriginCaller, PolkadotXcm, RuntimeEvent};
use alloc::vec;
use alloc::vec::Vec;
use frame_support::{
	genesis_builder_helper::{build_state, get_preset},
	weights::Weight,
};
use sp_api::impl_runtime_apis;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::{crypto::KeyTypeId, OpaqueMetadata};
use sp_runtime::{
	traits::{Block as BlockT, NumberFor},
	transaction_validity::{TransactionSource, TransactionValidity},
	ApplyExtrinsicResult, ExtrinsicInclusionMode,
};
use sp_session::OpaqueGeneratedSessionKeys;
use sp_version::RuntimeVersion;
use tpchain_primitives::{
	bridge::{CounterpartyView, QuarantineId, QuarantinedMessage, QuarantinedMint},
	burn::{BurnId, BurnTotals, TpchainBurnRecord},
	escrow::{EscrowId, EscrowView},
	governance::{EntityView, ProposalId, ProposalView, Track, TrackParams, VoteRecord},
	recovery::{ActiveRecoveryView, RecoveryStatus},
	settlement::{receipt::ProvenBatch, BatchId, SignedInstruction},
};
use xcm::{
	latest::AssetId, IntoVersion, VersionedAsset, VersionedAssetId, VersionedAssets,
	VersionedLocation, VersionedXcm,
};
use xcm_runtime_apis::{
	conversions::Error as LocationToAccountApiError,
	dry_run::{CallDryRunEffects, Error as XcmDryRunApiError, XcmDryRunEffects},
	fees::Error as XcmPaymentApiError,
	trusted_query::XcmTrustedQueryResult,
};

impl_runtime_apis! {
	impl sp_api::Core<Block> for Runtime {
		fn version() -> RuntimeVersion {
			VERSION
		}

		fn execute_block(block: <Block as BlockT>::LazyBlock) {
			Executive::execute_block(block);
		}

		fn initialize_block(header: &<Block as BlockT>::Header) -> ExtrinsicInclusionMode {
			Executive::initialize_block(header)
		}
	}

	impl sp_api::Metadata<Block> for Runtime {
		fn metadata() -> OpaqueMetadata {
			OpaqueMetadata::new(Runtime::metadata().into())
		}

		fn metadata_at_version(version: u32) -> Option<OpaqueMetadata> {
			Runtime::metadata_at_version(version)
		}

		fn metadata_versions() -> Vec<u32> {
			Runtime::metadata_versions()
		}
	}

	impl sp_block_builder::BlockBuilder<Block> for Runtime {
		fn apply_extrinsic(extrinsic: <Block as BlockT>::Extrinsic) -> ApplyExtrinsicResult {
			Executive::apply_extrinsic(extrinsic)
		}

		fn finalize_block() -> <Block as BlockT>::Header {
			Executive::finalize_block()
		}

		fn inherent_extrinsics(data: sp_inherents::InherentData) -> Vec<<Block as BlockT>::Extrinsic> {
			data.create_extrinsics()
		}

		fn check_inherents(
			block: <Block as BlockT>::LazyBlock,
			data: sp_inherents::InherentData,
		) -> sp_inherents::CheckInherentsResult {
			data.check_extrinsics(&block)
		}
	}

	impl sp_transaction_pool::runtime_api::TaggedTransactionQueue<Block> for Runtime {
		fn validate_transaction(
			source: TransactionSource,
			tx: <Block as BlockT>::Extrinsic,
			block_hash: <Block as BlockT>::Hash,
		) -> TransactionValidity {
			Executive::validate_transaction(source, tx, block_hash)
		}
	}

	impl sp_offchain::OffchainWorkerApi<Block> for Runtime {
		fn offchain_worker(header: &<Block as BlockT>::Header) {
			Executive::offchain_worker(header)
		}
	}

	impl sp_consensus_aura::AuraApi<Block, AuraId> for Runtime {
		fn slot_duration() -> sp_consensus_aura::SlotDuration {
			sp_consensus_aura::SlotDuration::from_millis(Aura::slot_duration())
		}

		fn authorities() -> Vec<AuraId> {
			pallet_aura::Authorities::<Runtime>::get().into_inner()
		}
	}

	impl sp_session::SessionKeys<Block> for Runtime {
		fn generate_session_keys(owner: Vec<u8>, seed: Option<Vec<u8>>) -> OpaqueGeneratedSessionKeys {
			SessionKeys::generate(&owner, seed).into()
		}

		fn decode_session_keys(encoded: Vec<u8>) -> Option<Vec<(Vec<u8>, KeyTypeId)>> {
			SessionKeys::decode_into_raw_public_keys(&encoded)
		}
	}

	impl sp_consensus_grandpa::GrandpaApi<Block> for Runtime {
		fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
			Grandpa::grandpa_authorities()
		}

		fn current_set_id() -> sp_consensus_grandpa::SetId {
			Grandpa::current_set_id()
		}

		fn submit_report_equivocation_unsigned_extrinsic(
			_equivocation_proof: sp_consensus_grandpa::EquivocationProof<
				<Block as BlockT>::Hash,
				NumberFor<Block>,
			>,
			_key_owner_proof: sp_consensus_grandpa::OpaqueKeyOwnershipProof,
		) -> Option<()> {
			None
		}

		fn generate_key_ownership_proof(
			_set_id: sp_consensus_grandpa::SetId,
			_authority_id: GrandpaId,
		) -> Option<sp_consensus_grandpa::OpaqueKeyOwnershipProof> {
			// `KeyOwnerProof = Void`: equivocations are not reported on chain.
			None
		}
	}

	impl frame_system_rpc_runtime_api::AccountNonceApi<Block, AccountId, Nonce> for Runtime {
		fn account_nonce(account: AccountId) -> Nonce {
			System::account_nonce(account)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentApi<Block, Balance> for Runtime {
		fn query_info(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment_rpc_runtime_api::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_info(uxt, len)
		}
		fn query_fee_details(
			uxt: <Block as BlockT>::Extrinsic,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_fee_details(uxt, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl pallet_transaction_payment_rpc_runtime_api::TransactionPaymentCallApi<Block, Balance, RuntimeCall>
		for Runtime
	{
		fn query_call_info(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::RuntimeDispatchInfo<Balance> {
			TransactionPayment::query_call_info(call, len)
		}
		fn query_call_fee_details(
			call: RuntimeCall,
			len: u32,
		) -> pallet_transaction_payment::FeeDetails<Balance> {
			TransactionPayment::query_call_fee_details(call, len)
		}
		fn query_weight_to_fee(weight: Weight) -> Balance {
			TransactionPayment::weight_to_fee(weight)
		}
		fn query_length_to_fee(length: u32) -> Balance {
			TransactionPayment::length_to_fee(length)
		}
	}

	impl tpchain_primitives::runtime_api::BurnProofsApi<Block> for Runtime {
		fn chain_id() -> tpchain_primitives::ChainId {
			pallet_burn_proofs::LocalChainId::<Runtime>::get()
		}

		fn burn_record(id: BurnId) -> Option<TpchainBurnRecord> {
			BurnProofs::record(id)
		}

		fn burn_totals() -> BurnTotals<Balance> {
			BurnProofs::totals()
		}

		fn burned_by(account: AccountId) -> Balance {
			pallet_burn_proofs::BurnedBy::<Runtime>::get(account)
		}
	}

	impl tpchain_primitives::runtime_api::RecoveryApi<Block> for Runtime {
		fn recovery_config(account: AccountId) -> RecoveryStatus<AccountId, Balance, BlockNumber> {
			GuardianRecovery::status(account)
		}

		fn recovery_active(lost: AccountId) -> Option<ActiveRecoveryView<AccountId, Balance, BlockNumber>> {
			GuardianRecovery::active(lost)
		}
	}

	impl tpchain_primitives::runtime_api::GovernanceApi<Block> for Runtime {
		fn governance_proposals(from: ProposalId, limit: u32) -> Vec<ProposalView<AccountId, Balance, BlockNumber>> {
			// Bounded so a query cannot ask the runtime for an unbounded answer.
			Governance::proposal_views(from, limit.min(1_000))
		}

		fn governance_votes(proposal: ProposalId) -> Vec<VoteRecord<AccountId, BlockNumber>> {
			Governance::vote_records(proposal)
		}

		fn governance_tracks() -> Vec<(Track, TrackParams<BlockNumber>)> {
			Governance::tracks()
		}
	}

	impl tpchain_primitives::runtime_api::OperatorsApi<Block> for Runtime {
		fn operators_list() -> Vec<EntityView<AccountId, BlockNumber>> {
			Operators::entity_views()
		}
	}

	#[api_version(2)]
	impl tpchain_primitives::runtime_api::BridgeApi<Block> for Runtime {
		fn bridge_counterparties() -> Vec<CounterpartyView<Balance, BlockNumber>> {
			Bridge::counterparties()
		}

		fn bridge_is_consumed(counterparty: tpchain_primitives::ChainId, burn_id: BurnId) -> bool {
			Bridge::is_consumed(counterparty, burn_id)
		}

		fn bridge_quarantine() -> Vec<(QuarantineId, QuarantinedMint<AccountId, Balance, BlockNumber>)> {
			Bridge::quarantined()
		}

		fn bridge_quarantined_messages() -> Vec<(QuarantineId, QuarantinedMessage<Balance, BlockNumber>)> {
			Bridge::quarantined_messages()
		}
	}

	impl tpchain_primitives::runtime_api::EscrowApi<Block> for Runtime {
		fn escrow_get(id: EscrowId) -> Option<EscrowView<AccountId, Balance, BlockNumber>> {
			Escrow::view(id)
		}

		fn escrow_by_account(account: AccountId) -> Vec<(EscrowId, u8)> {
			Escrow::by_account(&account)
				.into_iter()
				.map(|(id, role)| (id, match role {
					pallet_escrow::Role::Payer => 0,
					pallet_escrow::Role::Payee => 1,
					pallet_escrow::Role::Arbiter => 2,
				}))
				.collect()
		}

		fn escrow_total_held() -> Balance {
			pallet_escrow::TotalHeld::<Runtime>::get()
		}
	}

	impl tpchain_primitives::runtime_api::SettlementApi<Block> for Runtime {
		fn settlement_batch(id: BatchId) -> Option<ProvenBatch> {
			pallet_settlement::Batches::<Runtime>::get(id).map(|b| ProvenBatch {
				block: b.block,
				extrinsic: b.extrinsic,
				submitter: b.submitter,
				root: b.root,
				settled: b.settled,
				failed: b.failed.into_inner(),
			})
		}

		fn settlement_kept() -> (BatchId, BatchId) {
			(pallet_settlement::OldestBatch::<Runtime>::get(), pallet_settlement::NextBatch::<Runtime>::get())
		}

		fn settlement_batches_in(extrinsic: <Block as BlockT>::Extrinsic) -> Vec<Vec<SignedInstruction>> {
			let mut out = Vec::new();
			crate::configs::settlement::batches_in(&extrinsic.function, &mut out);
			out
		}
	}

	impl tpchain_primitives::runtime_api::SupplyApi<Block> for Runtime {
		fn audit_supply() -> tpchain_primitives::supply::SupplyReport {
			crate::Supply::report()
		}
	}

	impl sp_genesis_builder::GenesisBuilder<Block> for Runtime {
		fn build_state(config: Vec<u8>) -> sp_genesis_builder::Result {
			build_state::<RuntimeGenesisConfig>(config)
		}

		fn get_preset(id: &Option<sp_genesis_builder::PresetId>) -> Option<Vec<u8>> {
			get_preset::<RuntimeGenesisConfig>(id, crate::genesis_config_presets::get_preset)
		}

		fn preset_names() -> Vec<sp_genesis_builder::PresetId> {
			crate::genesis_config_presets::preset_names()
		}
	}

	impl xcm_runtime_apis::fees::XcmPaymentApi<Block> for Runtime {
		fn query_acceptable_payment_assets(
			xcm_version: xcm::Version,
		) -> Result<Vec<VersionedAssetId>, XcmPaymentApiError> {
			// TPC is the only asset execution can be bought with.
			let tpc = VersionedAssetId::from(AssetId(HereLocation::get()));
			Ok(vec![tpc.into_version(xcm_version).map_err(|_| XcmPaymentApiError::VersionedConversionFailed)?])
		}

		fn query_xcm_weight(message: VersionedXcm<()>) -> Result<Weight, XcmPaymentApiError> {
			PolkadotXcm::query_xcm_weight(message)
		}

		fn query_weight_to_asset_fee(
			weight: Weight,
			asset: VersionedAssetId,
		) -> Result<u128, XcmPaymentApiError> {
			let asset: AssetId =
				asset.try_into().map_err(|()| XcmPaymentApiError::VersionedConversionFailed)?;
			if asset.0 != HereLocation::get() {
				return Err(XcmPaymentApiError::AssetNotFound);
			}
			Ok(crate::configs::xcm::weight_to_fee(&weight))
		}

		fn query_delivery_fees(
			destination: VersionedLocation,
			message: VersionedXcm<()>,
			asset_id: VersionedAssetId,
		) -> Result<VersionedAssets, XcmPaymentApiError> {
			PolkadotXcm::query_delivery_fees::<()>(destination, message, asset_id)
		}
	}

	impl xcm_runtime_apis::dry_run::DryRunApi<Block, RuntimeCall, RuntimeEvent, OriginCaller> for Runtime {
		fn dry_run_call(
			origin: OriginCaller,
			call: RuntimeCall,
			result_xcms_version: xcm::Version,
		) -> Result<CallDryRunEffects<RuntimeEvent>, XcmDryRunApiError> {
			PolkadotXcm::dry_run_call::<Runtime, XcmRouter, OriginCaller, RuntimeCall>(origin, call, result_xcms_version)
		}

		fn dry_run_xcm(
			origin_location: VersionedLocation,
			xcm: VersionedXcm<RuntimeCall>,
		) -> Result<XcmDryRunEffects<RuntimeEvent>, XcmDryRunApiError> {
			PolkadotXcm::dry_run_xcm::<XcmRouter>(origin_location, xcm)
		}
	}

	impl xcm_runtime_apis::conversions::LocationToAccountApi<Block, AccountId> for Runtime {
		fn convert_location(location: VersionedLocation) -> Result<AccountId, LocationToAccountApiError> {
			xcm_runtime_apis::conversions::LocationToAccountHelper::<AccountId, LocationToAccountId>::convert_location(location)
		}
	}

	impl xcm_runtime_apis::trusted_query::TrustedQueryApi<Block> for Runtime {
		fn is_trusted_reserve(asset: VersionedAsset, location: VersionedLocation) -> XcmTrustedQueryResult {
			PolkadotXcm::is_trusted_reserve(asset, location)
		}

		fn is_trusted_teleporter(asset: VersionedAsset, location: VersionedLocation) -> XcmTrustedQueryResult {
			PolkadotXcm::is_trusted_teleporter(asset, location)
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	impl frame_benchmarking::Benchmark<Block> for Runtime {
		fn benchmark_metadata(extra: bool) -> (
			Vec<frame_benchmarking::BenchmarkList>,
			Vec<frame_support::traits::StorageInfo>,
		) {
			use frame_benchmarking::BenchmarkList;
			use frame_support::traits::StorageInfoTrait;
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use frame_benchmarking::baseline::Pallet as BaselineBench;
			use crate::*;
			use crate::benchmarks::{PalletXcmExtrinsicsBenchmark, XcmBalances, XcmGeneric};

			let mut list = Vec::<BenchmarkList>::new();
			list_benchmarks!(list, extra);

			let storage_info = AllPalletsWithSystem::storage_info();
			(list, storage_info)
		}

		#[allow(non_local_definitions)]
		fn dispatch_benchmark(
			config: frame_benchmarking::BenchmarkConfig
		) -> Result<Vec<frame_benchmarking::BenchmarkBatch>, alloc::string::String> {
			use frame_benchmarking::{baseline, BenchmarkBatch};
			use frame_system_benchmarking::Pallet as SystemBench;
			use frame_system_benchmarking::extensions::Pallet as SystemExtensionsBench;
			use frame_benchmarking::baseline::Pallet as BaselineBench;
			use frame_support::traits::WhitelistedStorageKeys;
			use sp_storage::TrackedStorageKey;
			use crate::*;
			use crate::benchmarks::{PalletXcmExtrinsicsBenchmark, XcmBalances, XcmGeneric};

			impl frame_system_benchmarking::Config for Runtime {}
			impl baseline::Config for Runtime {}
			impl pallet_transaction_payment::BenchmarkConfig for Runtime {}

			let whitelist: Vec<TrackedStorageKey> = AllPalletsWithSystem::whitelisted_storage_keys();

			let mut batches = Vec::<BenchmarkBatch>::new();
			let params = (&config, &whitelist);
			add_benchmarks!(params, batches);

			Ok(batches)
		}
	}

	#[cfg(feature = "try-runtime")]
	impl frame_try_runtime::TryRuntime<Block> for Runtime {
		fn on_runtime_upgrade(checks: frame_try_runtime::UpgradeCheckSelect) -> (Weight, Weight) {
			// Weight is ignored by try-runtime; panics on a failed check are the point here.
			let weight = Executive::try_runtime_upgrade(checks).unwrap();
			(weight, crate::configs::system::RuntimeBlockWeights::get().max_block)
		}

		fn execute_block(
			block: <Block as BlockT>::LazyBlock,
			state_root_check: bool,
			signature_check: bool,
			select: frame_try_runtime::TryStateSelect
		) -> Weight {
			Executive::try_execute_block(block, state_root_check, signature_check, select).expect("execute-block failed")
		}
	}
}
