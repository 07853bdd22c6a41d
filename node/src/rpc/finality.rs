//! The newest justified block and its trimmed GRANDPA justification: what every proof the node
//! serves (burn proofs, settlement receipts) is anchored to.

use codec::Decode;
use sc_client_api::BlockBackend;
use sp_api::ProvideRuntimeApi;
use sp_blockchain::HeaderBackend;
use sp_consensus_grandpa::{GrandpaApi, GRANDPA_ENGINE_ID};
use sp_runtime::traits::Block as BlockT;
use std::sync::{Arc, Mutex};
use tpchain_primitives::{
	burn::{minimal_justification, TrustedAuthoritySet, MAX_ANCESTRY_HEADERS},
	Hash, Header,
};

use bp_header_chain::justification::GrandpaJustification;

/// Why no anchor can be given.
#[derive(Debug)]
pub enum AnchorError {
	/// No block at or below the finalized head has a stored justification yet.
	NotFinal,
	/// The node cannot read or trim what it stored.
	Unavailable(String),
}

fn unavailable(what: impl std::fmt::Display) -> AnchorError {
	AnchorError::Unavailable(what.to_string())
}

/// One value per block, for the newest block asked about: computed once, then reused until a
/// newer block is asked about.
pub(crate) struct PerBlock<T>(Mutex<Option<(Hash, T)>>);

impl<T: Clone> PerBlock<T> {
	pub(crate) fn new() -> Self {
		Self(Mutex::new(None))
	}

	/// The value for `block`, made by `make` only if `block` is not the cached one. Concurrent
	/// callers wait for one `make` rather than each running it.
	pub(crate) fn get_or_try_insert<E>(
		&self,
		block: Hash,
		make: impl FnOnce() -> Result<T, E>,
	) -> Result<T, E> {
		let mut slot = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if let Some((cached, value)) = &*slot {
			if *cached == block {
				return Ok(value.clone());
			}
		}
		let value = make()?;
		*slot = Some((block, value.clone()));
		Ok(value)
	}
}

/// Finds the newest justified block and trims its justification once per block.
pub struct Anchor<C> {
	client: Arc<C>,
	/// The trimmed justification of the newest justified block: every proof until the next
	/// justification reuses it instead of verifying every signature again.
	trimmed: PerBlock<GrandpaJustification<Header>>,
}

impl<C> Anchor<C> {
	/// Anchors proofs in `client`'s finalized chain.
	pub fn new(client: Arc<C>) -> Self {
		Self { client, trimmed: PerBlock::new() }
	}
}

impl<C> Anchor<C> {
	/// The newest justified block at or below the finalized head, with a justification the
	/// strict offline verifier accepts.
	pub fn latest<Block>(&self) -> Result<(Header, GrandpaJustification<Header>), AnchorError>
	where
		Block: BlockT<Hash = Hash, Header = Header>,
		C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + BlockBackend<Block>,
		C::Api: GrandpaApi<Block>,
	{
		let (header, justification) = self.latest_stored()?;
		let at = header.hash();
		let justification = self.trimmed.get_or_try_insert(at, || {
			let mut justification = justification;
			self.trim(&header, &mut justification).map(|()| justification)
		})?;
		Ok((header, justification))
	}

	fn latest_stored<Block>(&self) -> Result<(Header, GrandpaJustification<Header>), AnchorError>
	where
		Block: BlockT<Hash = Hash, Header = Header>,
		C: HeaderBackend<Block> + BlockBackend<Block>,
	{
		let mut hash = self.client.info().finalized_hash;
		for _ in 0..=MAX_ANCESTRY_HEADERS {
			let header = self
				.client
				.header(hash)
				.map_err(unavailable)?
				.ok_or_else(|| unavailable("finalized header missing"))?;
			let justification = self
				.client
				.justifications(hash)
				.map_err(unavailable)?
				.and_then(|j| j.into_justification(GRANDPA_ENGINE_ID));
			if let Some(encoded) = justification {
				let justification = GrandpaJustification::<Header>::decode(&mut &encoded[..])
					.map_err(|e| unavailable(format!("stored justification: {e}")))?;
				return Ok((header, justification));
			}
			if header.number == 0 {
				break;
			}
			hash = header.parent_hash;
		}
		Err(AnchorError::NotFinal)
	}

	/// Drops votes beyond the threshold (and unused ancestry) so the strict offline verifier
	/// accepts the justification. The signing set is the one in force before the block, i.e.
	/// in its parent's state.
	fn trim<Block>(
		&self,
		header: &Header,
		justification: &mut GrandpaJustification<Header>,
	) -> Result<(), AnchorError>
	where
		Block: BlockT<Hash = Hash, Header = Header>,
		C: ProvideRuntimeApi<Block>,
		C::Api: GrandpaApi<Block>,
	{
		let api = self.client.runtime_api();
		let at = if header.number == 0 { header.hash() } else { header.parent_hash };
		let set = TrustedAuthoritySet {
			chain_id: None,
			set_id: api.current_set_id(at).map_err(unavailable)?,
			authorities: api.grandpa_authorities(at).map_err(unavailable)?,
		};
		minimal_justification((header.hash(), header.number), &set, justification).map_err(|e| {
			unavailable(format!("stored justification does not verify: {}", e.describe()))
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use std::cell::Cell;

	#[test]
	fn justification_is_trimmed_once_per_block() {
		let cache = PerBlock::<u32>::new();
		let made = Cell::new(0);
		let make = |v| {
			made.set(made.get() + 1);
			Ok::<_, ()>(v)
		};
		let (a, b) = (Hash::repeat_byte(1), Hash::repeat_byte(2));
		assert_eq!(cache.get_or_try_insert(a, || make(10)), Ok(10));
		assert_eq!(cache.get_or_try_insert(a, || make(11)), Ok(10), "reused for the same block");
		assert_eq!(made.get(), 1);
		assert_eq!(cache.get_or_try_insert(b, || make(20)), Ok(20), "a newer block is made anew");
		assert_eq!(made.get(), 2);
		// A failure caches nothing: the next call tries again.
		assert_eq!(cache.get_or_try_insert(a, || Err::<u32, _>(())), Err(()));
		assert_eq!(cache.get_or_try_insert(a, || make(12)), Ok(12));
		assert_eq!(made.get(), 3);
	}
}
