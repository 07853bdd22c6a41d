//! JSON-RPC: Substrate's standard modules plus tpchain's own, one module per domain, each a
//! thin wrapper over a runtime API.

pub mod bridge;
pub mod burn;
pub mod escrow;
pub mod finality;
pub mod governance;
pub mod operators;
pub mod recovery;
pub mod settlement;
pub mod supply;

use jsonrpsee::{types::error::ErrorObjectOwned, RpcModule};
use sc_consensus_grandpa::{
	FinalityProofProvider, GrandpaJustificationStream, SharedAuthoritySet, SharedVoterState,
};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};
use sp_runtime::traits::Block as BlockT;
use std::sync::Arc;
use tpchain_runtime::{opaque::Block, AccountId, Balance, BlockNumber, Hash, Nonce};

/// Spawns the tasks behind RPC subscriptions (the executor `sc_service` hands to RPC builders).
pub type SubscriptionTaskExecutor = Arc<dyn sp_core::traits::SpawnNamed>;

/// What the GRANDPA RPC (`grandpa_roundState`, `grandpa_proveFinality`,
/// `grandpa_subscribeJustifications`) needs.
pub struct GrandpaDeps<B> {
	/// Voter state, for `grandpa_roundState`.
	pub shared_voter_state: SharedVoterState,
	/// The current authority set.
	pub shared_authority_set: SharedAuthoritySet<Hash, BlockNumber>,
	/// Justifications as blocks are finalized.
	pub justification_stream: GrandpaJustificationStream<Block>,
	/// Builds finality proofs from stored justifications.
	pub finality_provider: Arc<FinalityProofProvider<B, Block>>,
}

// Manual impl: a derive would require `B: Clone`, which backends are not.
impl<B> Clone for GrandpaDeps<B> {
	fn clone(&self) -> Self {
		Self {
			shared_voter_state: self.shared_voter_state.clone(),
			shared_authority_set: self.shared_authority_set.clone(),
			justification_stream: self.justification_stream.clone(),
			finality_provider: self.finality_provider.clone(),
		}
	}
}

/// Everything the RPC modules need.
pub struct FullDeps<C, P, B> {
	/// The client.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
	/// GRANDPA's shared state.
	pub grandpa: GrandpaDeps<B>,
}

/// All RPC extensions of a full node.
pub fn create_full<C, P, B>(
	deps: FullDeps<C, P, B>,
	subscription_executor: SubscriptionTaskExecutor,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ sc_client_api::BlockBackend<Block>
		+ sc_client_api::ProofProvider<Block>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: tpchain_primitives::runtime_api::BurnProofsApi<Block>,
	C::Api: tpchain_primitives::runtime_api::RecoveryApi<Block>,
	C::Api: tpchain_primitives::runtime_api::EscrowApi<Block>,
	C::Api: tpchain_primitives::runtime_api::GovernanceApi<Block>,
	C::Api: tpchain_primitives::runtime_api::OperatorsApi<Block>,
	C::Api: tpchain_primitives::runtime_api::BridgeApi<Block>,
	C::Api: tpchain_primitives::runtime_api::SettlementApi<Block>,
	C::Api: tpchain_primitives::runtime_api::SupplyApi<Block>,
	C::Api: sp_consensus_grandpa::GrandpaApi<Block>,
	P: TransactionPool + 'static,
	B: sc_client_api::Backend<Block> + Send + Sync + 'static,
	B::State: sc_client_api::StateBackend<sp_runtime::traits::HashingFor<Block>>,
{
	use bridge::{Bridge, BridgeRpcServer};
	use burn::{Burn, BurnApiServer};
	use escrow::{Escrow, EscrowRpcServer};
	use governance::{Governance, GovernanceRpcServer};
	use operators::{Operators, OperatorsRpcServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use recovery::{Recovery, RecoveryApiServer};
	use sc_consensus_grandpa_rpc::{Grandpa, GrandpaApiServer};
	use settlement::{Settlement, SettlementRpcServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};
	use supply::{Supply, SupplyRpcServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool, grandpa } = deps;

	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Burn::new(client.clone()).into_rpc())?;
	module.merge(Recovery::new(client.clone()).into_rpc())?;
	module.merge(Escrow::new(client.clone()).into_rpc())?;
	module.merge(Governance::new(client.clone()).into_rpc())?;
	module.merge(Operators::new(client.clone()).into_rpc())?;
	module.merge(Settlement::new(client.clone()).into_rpc())?;
	module.merge(Supply::new(client.clone()).into_rpc())?;
	module.merge(Bridge::new(client).into_rpc())?;
	module.merge(
		Grandpa::new(
			subscription_executor,
			grandpa.shared_authority_set,
			grandpa.shared_voter_state,
			grandpa.justification_stream,
			grandpa.finality_provider,
		)
		.into_rpc(),
	)?;

	Ok(module)
}

/// A JSON-RPC error with `code` (each module documents its codes).
pub(crate) fn error(code: i32, message: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(code, message.to_string(), None::<()>)
}

/// The block a query is answered at: `at`, or the best block.
pub(crate) fn at_or_best<B: BlockT, C: HeaderBackend<B>>(
	client: &C,
	at: Option<B::Hash>,
) -> B::Hash {
	at.unwrap_or_else(|| client.info().best_hash)
}
