//! `pallet_supply`: where the other pallets keep what they count, and the names an auditor
//! reads in the supply report.
//!
//! The bridge counts mints per counterparty (`minted + cancelled`: a cancelled quarantine is
//! minted to the account the vote chose) and what waits in quarantine; the burn pallet counts
//! every burn and the part towards each destination (XCM messages included); multisig deposits
//! are the only reserves outside holds.

use crate::{Runtime, RuntimeFreezeReason, RuntimeHoldReason};
use alloc::vec::Vec;
use tpchain_primitives::{Balance, ChainId};

pub struct Sources;
impl pallet_supply::SupplySources<RuntimeHoldReason, RuntimeFreezeReason> for Sources {
	fn minted() -> Vec<(ChainId, Balance)> {
		pallet_bridge::Counterparties::<Runtime>::iter()
			.map(|(chain, state)| {
				(chain, state.totals.minted.saturating_add(state.totals.cancelled))
			})
			.collect()
	}

	fn burned() -> (Balance, Vec<(ChainId, Balance)>) {
		(
			pallet_burn_proofs::TotalBurned::<Runtime>::get(),
			pallet_burn_proofs::BurnedTo::<Runtime>::iter().collect(),
		)
	}

	fn quarantined() -> Vec<(ChainId, Balance)> {
		pallet_bridge::Counterparties::<Runtime>::iter()
			.filter(|(_, state)| state.totals.quarantined > 0)
			.map(|(chain, state)| (chain, state.totals.quarantined))
			.collect()
	}

	fn reserved() -> Balance {
		pallet_multisig::Multisigs::<Runtime>::iter_values()
			.fold(0, |sum, m| sum.saturating_add(m.deposit))
	}

	fn hold_name(reason: &RuntimeHoldReason) -> &'static str {
		use pallet_burn_proofs::HoldReason as Burn;
		use pallet_escrow::HoldReason as Escrow;
		use pallet_guardian_recovery::HoldReason as Recovery;
		match reason {
			RuntimeHoldReason::BurnProofs(Burn::LargeBurn) => "BurnProofs.LargeBurn",
			RuntimeHoldReason::Escrow(Escrow::Escrow) => "Escrow.Escrow",
			RuntimeHoldReason::Escrow(Escrow::EscrowDeposit) => "Escrow.EscrowDeposit",
			RuntimeHoldReason::Escrow(Escrow::DisputeBond) => "Escrow.DisputeBond",
			RuntimeHoldReason::GuardianRecovery(Recovery::GuardianConfig) => {
				"GuardianRecovery.GuardianConfig"
			},
			RuntimeHoldReason::GuardianRecovery(Recovery::InitiatorBond) => {
				"GuardianRecovery.InitiatorBond"
			},
			RuntimeHoldReason::Governance(pallet_governance::HoldReason::ProposalDeposit) => {
				"Governance.ProposalDeposit"
			},
			RuntimeHoldReason::Session(pallet_session::HoldReason::Keys) => "Session.Keys",
			RuntimeHoldReason::SafeMode(pallet_safe_mode::HoldReason::EnterOrExtend) => {
				"SafeMode.EnterOrExtend"
			},
			RuntimeHoldReason::PolkadotXcm(pallet_xcm::HoldReason::AuthorizeAlias) => {
				"PolkadotXcm.AuthorizeAlias"
			},
		}
	}

	fn freeze_name(reason: &RuntimeFreezeReason) -> &'static str {
		match reason {
			RuntimeFreezeReason::GuardianRecovery(
				pallet_guardian_recovery::FreezeReason::GuardianFreeze,
			) => "GuardianRecovery.GuardianFreeze",
		}
	}
}

impl pallet_supply::Config for Runtime {
	type Sources = Sources;
}
