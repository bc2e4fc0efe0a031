"""Proposal periods per proposal type: the one table the meeting desk's deadlines come from.

Source: the Joystream runtime's production ("mainnet") proposal parameters,
``runtime/src/proposals_configuration/defaults.rs`` in github.com/Joystream/joystream (the
file whose header reads 'default "production" parameters configuration'; the staging,
playground and testing files hold other, shorter periods). The runtime writes periods with
``days!(n)`` and ``hours!(n)``: n x 14,400 and n x 600 blocks (6-second blocks). Percentages
are the runtime's ``approval_quorum_percentage`` and ``approval_threshold_percentage``;
``constitutionality`` is how many councils in a row must approve.

Keys are the proposal types as the cache stores them (the query node's
``<Type>ProposalDetails`` without the suffix). The five newest types of the query node's
schema (UpdatePalletFrozenStatus, DecreaseCouncilBudget, UpdateTokenPalletTokenConstraints,
SetEraPayoutDampingFactor, UpdateArgoBridgeConstraints) are not in the runtime file this table
was read from: their deadlines show as not known rather than guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

SOURCE = (
    "Joystream runtime, runtime/src/proposals_configuration/defaults.rs "
    "(production parameters, github.com/Joystream/joystream; days!(n) = n x 14,400 blocks, "
    "hours!(n) = n x 600 blocks)"
)
BLOCKS_PER_HOUR = 600  # 6-second blocks
BLOCKS_PER_DAY = 24 * BLOCKS_PER_HOUR


def days(n: float) -> int:
    """The runtime's ``days!(n)`` in blocks."""
    return int(n * BLOCKS_PER_DAY)


def hours(n: float) -> int:
    """The runtime's ``hours!(n)`` in blocks."""
    return int(n * BLOCKS_PER_HOUR)


@dataclass(frozen=True)
class Periods:
    """One proposal type's parameters: voting and grace periods in blocks, quorum and
    threshold in percent, constitutionality (councils that must approve in a row)."""

    voting_period: int
    grace_period: int
    approval_quorum: int
    approval_threshold: int
    constitutionality: int

    def approvals_needed(self, seats: int) -> int:
        """Approving votes a council of ``seats`` must cast when every vote cast approves:
        the runtime's approval quorum (share of seats that vote) rounded up; the threshold
        (share of the votes cast that approve) then holds."""
        return math.ceil(self.approval_quorum * seats / 100 - 1e-9)


TWO_OF_THREE, ALL = 66, 100
_STANDARD = Periods(days(3), hours(2), TWO_OF_THREE, TWO_OF_THREE, 1)

PROPOSAL_PERIODS: dict[str, Periods] = {
    "SetMaxValidatorCount": Periods(days(7), days(5), ALL, ALL, 3),
    "RuntimeUpgrade": Periods(days(7), days(5), ALL, ALL, 4),
    "Signal": Periods(days(3), hours(2), ALL, ALL, 1),
    "FundingRequest": _STANDARD,
    "CreateWorkingGroupLeadOpening": _STANDARD,
    "FillWorkingGroupLeadOpening": _STANDARD,
    "UpdateWorkingGroupBudget": _STANDARD,
    "DecreaseWorkingGroupLeadStake": Periods(days(3), hours(2), ALL, ALL, 1),
    "SlashWorkingGroupLead": _STANDARD,
    "SetWorkingGroupLeadReward": _STANDARD,
    "TerminateWorkingGroupLead": _STANDARD,
    "AmendConstitution": Periods(72_200, 14_400, 80, 100, 2),
    "CancelWorkingGroupLeadOpening": _STANDARD,
    "SetMembershipPrice": _STANDARD,
    "SetCouncilBudgetIncrement": Periods(days(5), days(5), ALL, ALL, 3),
    "SetCouncilorReward": Periods(days(2), days(3), ALL, ALL, 2),
    "SetInitialInvitationBalance": Periods(days(2), hours(2), TWO_OF_THREE, TWO_OF_THREE, 1),
    "SetMembershipLeadInvitationQuota": _STANDARD,
    "SetReferralCut": _STANDARD,
    "SetInitialInvitationCount": _STANDARD,
    "VetoProposal": Periods(days(1), 0, ALL, ALL, 1),
    "UpdateGlobalNftLimit": Periods(days(2), hours(2), TWO_OF_THREE, TWO_OF_THREE, 1),
    "UpdateChannelPayouts": Periods(days(7), days(1), TWO_OF_THREE, ALL, 1),
}


def periods_of(proposal_type: object) -> Periods | None:
    """The parameters of ``proposal_type``; None for a type the table does not hold."""
    return PROPOSAL_PERIODS.get(str(proposal_type)) if isinstance(proposal_type, str) else None


def periods_table() -> pd.DataFrame:
    """The table as people read it: one row per type, periods in blocks and in days."""
    rows = [
        {
            "Proposal type": kind,
            "Voting period (blocks)": p.voting_period,
            "Voting period (days)": round(p.voting_period / BLOCKS_PER_DAY, 2),
            "Grace period (blocks)": p.grace_period,
            "Grace period (days)": round(p.grace_period / BLOCKS_PER_DAY, 2),
            "Approval quorum (%)": p.approval_quorum,
            "Approval threshold (%)": p.approval_threshold,
            "Councils to approve": p.constitutionality,
        }
        for kind, p in PROPOSAL_PERIODS.items()
    ]
    return pd.DataFrame(rows)
