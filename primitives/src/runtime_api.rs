//! Runtime APIs the node's RPC modules wrap.

use crate::{
	bridge::{CounterpartyView, QuarantineId, QuarantinedMessage, QuarantinedMint},
	burn::{BurnId, BurnTotals, TpchainBurnRecord},
	escrow::{EscrowId, EscrowView},
	governance::{EntityView, ProposalId, ProposalView, Track, TrackParams, VoteRecord},
	recovery::{ActiveRecoveryView, RecoveryStatus},
	settlement::{receipt::ProvenBatch, BatchId, SignedInstruction},
	AccountId, Balance, BlockNumber, ChainId,
};

sp_api::decl_runtime_apis! {
	/// Read access to `pallet-burn-proofs` for the `burn_*` RPC methods.
	pub trait BurnProofsApi {
		/// This chain's id, as fixed in genesis.
		fn chain_id() -> ChainId;
		/// The record of an executed burn.
		fn burn_record(id: BurnId) -> Option<TpchainBurnRecord>;
		/// Running totals: overall and per destination.
		fn burn_totals() -> BurnTotals<Balance>;
		/// Everything `account` has burned.
		fn burned_by(account: AccountId) -> Balance;
	}
}

sp_api::decl_runtime_apis! {
	/// Read access to `pallet-guardian-recovery` for the `recovery_*` RPC methods.
	pub trait RecoveryApi {
		/// Guardians, pending change, freeze and recovered state of `account`.
		fn recovery_config(account: AccountId) -> RecoveryStatus<AccountId, Balance, BlockNumber>;
		/// The open recovery of `lost`, if any.
		fn recovery_active(lost: AccountId) -> Option<ActiveRecoveryView<AccountId, Balance, BlockNumber>>;
	}
}

sp_api::decl_runtime_apis! {
	/// Read access to `pallet-escrow` for the `escrow_*` RPC methods.
	pub trait EscrowApi {
		/// An open escrow.
		fn escrow_get(id: EscrowId) -> Option<EscrowView<AccountId, Balance, BlockNumber>>;
		/// Open escrows `account` takes part in: id and role (0 payer, 1 payee, 2 arbiter).
		fn escrow_by_account(account: AccountId) -> alloc::vec::Vec<(EscrowId, u8)>;
		/// Everything held by open escrows.
		fn escrow_total_held() -> Balance;
	}
}

sp_api::decl_runtime_apis! {
	/// Read access to `pallet-governance` for the `governance_*` RPC methods: the audit trail.
	pub trait GovernanceApi {
		/// Up to `limit` proposals with ids from `from`, oldest first.
		fn governance_proposals(from: ProposalId, limit: u32) -> alloc::vec::Vec<ProposalView<AccountId, Balance, BlockNumber>>;
		/// Every vote cast on `proposal` (who, what, when).
		fn governance_votes(proposal: ProposalId) -> alloc::vec::Vec<VoteRecord<AccountId, BlockNumber>>;
		/// The tracks and how each decides.
		fn governance_tracks() -> alloc::vec::Vec<(Track, TrackParams<BlockNumber>)>;
	}
}

sp_api::decl_runtime_apis! {
	/// Read access to `pallet-operators` for the `operators_list` RPC method.
	pub trait OperatorsApi {
		/// Every entity ever admitted, including suspended and removed ones.
		fn operators_list() -> alloc::vec::Vec<EntityView<AccountId, BlockNumber>>;
	}
}

sp_api::decl_runtime_apis! {
	/// Read access to `pallet-bridge` for the `bridge_*` RPC methods and relayers.
	///
	/// Version 2 adds [`bridge_quarantined_messages`](BridgeApi::bridge_quarantined_messages).
	#[api_version(2)]
	pub trait BridgeApi {
		/// Every registered counterparty: light-client state, limits and accounting.
		fn bridge_counterparties() -> alloc::vec::Vec<CounterpartyView<Balance, BlockNumber>>;
		/// Whether burn `burn_id` of `counterparty` was already consumed here.
		fn bridge_is_consumed(counterparty: ChainId, burn_id: BurnId) -> bool;
		/// Mints waiting in quarantine.
		fn bridge_quarantine() -> alloc::vec::Vec<(QuarantineId, QuarantinedMint<AccountId, Balance, BlockNumber>)>;
		/// Messages (XCM over the bridge) waiting in quarantine.
		#[api_version(2)]
		fn bridge_quarantined_messages() -> alloc::vec::Vec<(QuarantineId, QuarantinedMessage<Balance, BlockNumber>)>;
	}
}

sp_api::decl_runtime_apis! {
	/// Read access to `pallet-settlement` for the `settlement_*` RPC methods (receipts).
	pub trait SettlementApi {
		/// A kept batch's record, `None` once pruned (or never settled).
		fn settlement_batch(id: BatchId) -> Option<ProvenBatch>;
		/// The kept batches: ids from the first up to, not including, the second.
		fn settlement_kept() -> (BatchId, BatchId);
		/// The batches `extrinsic` passes to `settle`, in dispatch order: a top-level call or
		/// one inside the runtime's batching and multisig wrappers.
		fn settlement_batches_in(extrinsic: <Block as sp_runtime::traits::Block>::Extrinsic) -> alloc::vec::Vec<alloc::vec::Vec<SignedInstruction>>;
	}
}

sp_api::decl_runtime_apis! {
	/// Read access to `pallet-supply` for the `supply_*` RPC methods and auditors' tools.
	pub trait SupplyApi {
		/// Every token accounted for at this block, and whether the counters add up.
		fn audit_supply() -> crate::supply::SupplyReport;
	}
}
