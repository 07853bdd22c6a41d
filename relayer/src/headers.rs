//! Finality proofs of source headers and the target following the source's set changes.

use crate::direction::Direction;
use tpchain_client::{bridge::BridgeCall, Error};
use tpchain_primitives::{
	bridge::{json::CounterpartyJson, MAX_FINALITY_ANCESTRY},
	Header,
};

impl Direction {
	/// GRANDPA set id after block `number` of the source.
	pub async fn set_id_at(&self, number: u32) -> Result<u64, Error> {
		let hash = self
			.source
			.block_hash(number)
			.await?
			.ok_or_else(|| Error::Unexpected(format!("source has no block #{number}")))?;
		let bytes = self
			.source
			.rpc
			.state_call("GrandpaApi_current_set_id", None, Some(hash))
			.await
			.map_err(tpchain_client::sx)?;
		<u64 as codec::Decode>::decode(&mut &bytes[..]).map_err(tpchain_client::sx)
	}

	/// The finality proof of `header` from its stored justification, if the node kept one, for
	/// a light client whose newest header is #`above` (with the headers between as ancestry).
	pub async fn finality_call(
		&self,
		header: &Header,
		above: u32,
	) -> Result<Option<BridgeCall>, Error> {
		let Some((justification, set_id)) = self.source.justification(header).await? else {
			return Ok(None);
		};
		let ancestry = self.source.ancestry(header, above).await?;
		Ok(Some(BridgeCall::submit_finality_proof(
			self.source_chain,
			header,
			&justification,
			set_id,
			&ancestry,
		)))
	}

	/// The newest finalized source block in `above + 1 ..= upto` with a stored justification
	/// that the light client at #`above` can import (at most `MAX_FINALITY_ANCESTRY` headers
	/// between), and its finality proof.
	pub async fn newest_justified(
		&self,
		above: u32,
		upto: u32,
	) -> Result<Option<(Header, BridgeCall)>, Error> {
		let (finalized, _) = self.source.finalized().await?;
		let reach = above.saturating_add(MAX_FINALITY_ANCESTRY + 1);
		let mut number = finalized.min(upto).min(reach);
		while number > above {
			let hash = self
				.source
				.block_hash(number)
				.await?
				.ok_or_else(|| Error::Unexpected(format!("source has no block #{number}")))?;
			let header = self.source.header(hash).await?;
			if let Some(call) = self.finality_call(&header, above).await? {
				return Ok(Some((header, call)));
			}
			number -= 1;
		}
		Ok(None)
	}

	/// The source's GRANDPA set moved past the target's stored one (by `finalized`): imports
	/// the header that enacted the next set (binary search over the source's set id), or a
	/// justified header on the way to it if it is out of one import's reach.
	pub async fn follow_set_change(
		&self,
		cp: &CounterpartyJson,
		finalized: u32,
	) -> Result<(), Error> {
		let (mut lo, mut hi) = (cp.best.number + 1, finalized);
		while lo < hi {
			let mid = lo + (hi - lo) / 2;
			if self.set_id_at(mid).await? > cp.set_id {
				hi = mid;
			} else {
				lo = mid + 1;
			}
		}
		// The change header, or a justified header on the way to it if it is out of reach.
		let number = self.import_newest_justified(cp.best.number, lo).await?;
		self.log(format!("set {} ends at #{lo}; imported header #{number}", cp.set_id));
		Ok(())
	}

	/// Submits the source's newest justified header within reach of the target's head `cp`
	/// (which is off the source's chain): its ancestry reaches that height through the
	/// source's own block, which proves the conflict.
	pub async fn report_conflict(&self, cp: &CounterpartyJson) -> Result<(), Error> {
		let number = self.import_newest_justified(cp.best.number, u32::MAX).await?;
		self.log(format!("reported the conflict with header #{number}"));
		Ok(())
	}

	/// Imports [`Self::newest_justified`]`(above, upto)` into the target and waits for its
	/// finality there; returns the header's number.
	async fn import_newest_justified(&self, above: u32, upto: u32) -> Result<u32, Error> {
		let (header, call) = self.newest_justified(above, upto).await?.ok_or_else(|| {
			Error::Unexpected(format!(
				"no justified source header within {MAX_FINALITY_ANCESTRY} blocks of #{above}"
			))
		})?;
		self.target.submit(&self.signer, &call).await?;
		self.metrics.headers.with_label_values(&[&self.label]).inc();
		Ok(header.number)
	}
}
