"""Proposals awaiting the council: deciding, dormant and gracing, with their deadlines.

Pure pandas over one network's cache frames; the clock (``council.watch.ChainClock``) gives
the current block and block times. Deadlines come from :mod:`council.desk.periods`:

- deciding: the voting period runs from the block the proposal entered the deciding stage
  (``status_set_at_block``: its creation, or the new council's start for a proposal that was
  dormant) for the type's voting period; votes of the current deciding period are those of
  voting round ``council_approvals + 1`` (the query node numbers deciding periods from 1);
- gracing: approved, it executes when its grace period after the approval has passed
  (``status_set_at_block`` + grace period; the cache does not hold an exact execution block a
  proposer may have set, so this is the latest it can run);
- dormant: approved by this council but its type needs more councils in a row; it returns to
  deciding when the next council is elected: no deadline in this term.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from council import csv_values
from council.desk.periods import periods_of
from council.watch import BLOCK_SECONDS, ChainClock

AWAITING = ("deciding", "dormant", "gracing")
STAGE_ORDER = {"deciding": 0, "gracing": 1, "dormant": 2}


@dataclass(frozen=True)
class DeskThresholds:
    """When the desk flags something (the one place these numbers live).

    - ``nearly_expiring_hours``: a proposal whose voting period (or grace period) ends
      within this many hours is nearly expiring: before the next weekly meeting, say.
    - ``kpi_days``: KPIs due within this many days are on the agenda.
    """

    nearly_expiring_hours: float = 48.0
    kpi_days: int = 7


DESK_THRESHOLDS = DeskThresholds()

PENDING_COLUMNS = [
    "id", "title", "type", "stage", "creator", "amount_joy", "amount_usd",
    "created_at_block", "created_at_time", "deadline", "deadline_block", "deadline_time",
    "hours_left", "approvals", "approvals_needed", "councils_approved", "councils_needed",
    "not_voted", "overdue", "nearly_expiring",
]  # fmt: skip


def handles_of(members: pd.DataFrame) -> dict[str, str]:
    """Member id (text) -> handle, for the members the cache knows."""
    return {str(i): h for i, h in zip(members["id"], members["handle"], strict=True) if h}


def name_of(member_id: object, handles: dict[str, str]) -> str:
    """``@handle``, ``member 12`` when the handle is unknown, ``not recorded`` without an id."""
    if member_id is None or pd.isna(member_id):
        return "not recorded"
    handle = handles.get(str(member_id))
    return f"@{handle}" if handle else f"member {member_id}"


def usd_rates(categories: pd.DataFrame) -> dict[str, float]:
    """USD per JOY per network (lower case): the ``Exchange Rate`` of the secretary's
    spending file on that network's newest proposal (highest ``Proposal #``) that has one.
    Networks without any rate are absent: their USD amounts are not known."""
    if categories.empty:
        return {}
    rates = pd.DataFrame(
        {
            "network": categories["Testnet"].fillna("").str.strip().str.lower(),
            "proposal": pd.to_numeric(
                csv_values.whole_number_texts(categories["Proposal #"]), errors="coerce"
            ),
            "rate": csv_values.numbers(categories["Exchange Rate"]),
        }
    ).dropna()
    rates = rates[rates["rate"] > 0].sort_values("proposal")
    return {str(k): float(v) for k, v in rates.groupby("network")["rate"].last().items()}


def _round_votes(votes: pd.DataFrame, proposal_id: str, voting_round: int) -> pd.DataFrame:
    mine = votes[votes["proposal_id"] == proposal_id]
    return mine[pd.to_numeric(mine["voting_round"], errors="coerce") == voting_round]


def pending_proposals(
    proposals: pd.DataFrame,
    votes: pd.DataFrame,
    councillors: list[str],
    members: pd.DataFrame,
    clock: ChainClock | None,
    usd_per_joy: float | None = None,
    thresholds: DeskThresholds = DESK_THRESHOLDS,
) -> pd.DataFrame:
    """Every proposal in the deciding, dormant or gracing stage (:data:`PENDING_COLUMNS`).

    ``councillors``: member ids of the council in office (its seats decide the approvals
    needed; those without a vote in the current deciding period are ``not_voted``).
    ``deadline_block`` is the end of the voting period (deciding) or of the grace period
    (gracing); None for dormant proposals and types missing from the periods table.
    ``hours_left`` is from the clock's current block (negative: passed); ``overdue`` when it
    has passed, ``nearly_expiring`` when it ends within ``nearly_expiring_hours``. Overdue
    first, then by deadline, dormant last.
    """
    open_ = proposals[proposals["status"].isin(AWAITING)]
    handles = handles_of(members)
    seats = len(councillors)
    rows = []
    for p in open_.itertuples():
        periods = periods_of(p.type)
        approvals_done = int(p.council_approvals) if pd.notna(p.council_approvals) else 0
        current_round = approvals_done + 1 if p.status == "deciding" else max(approvals_done, 1)
        cast = _round_votes(votes, p.id, current_round)
        start = None if pd.isna(p.status_set_at_block) else int(p.status_set_at_block)
        if periods is None or start is None or p.status == "dormant":
            deadline_block = None
        elif p.status == "deciding":
            deadline_block = start + periods.voting_period
        else:
            deadline_block = start + periods.grace_period
        hours_left = None
        if deadline_block is not None and clock is not None:
            hours_left = (deadline_block - clock.current_block) * BLOCK_SECONDS / 3600
        voted = set(cast["voter_member_id"].astype(str))
        amount = p.funding_amount_joy if pd.notna(p.funding_amount_joy) else None
        rows.append(
            {
                "id": p.id,
                "title": p.title,
                "type": p.type,
                "stage": p.status,
                "creator": name_of(p.creator_id, handles),
                "amount_joy": amount,
                "amount_usd": None if amount is None or usd_per_joy is None
                else amount * usd_per_joy,
                "created_at_block": p.created_at_block,
                "created_at_time": p.created_at_time,
                "deadline": {"deciding": "voting ends", "gracing": "executes",
                             "dormant": "next council decides"}[p.status],
                "deadline_block": deadline_block,
                "deadline_time": None if deadline_block is None or clock is None
                else clock.time_of(deadline_block),
                "hours_left": hours_left,
                "approvals": int((cast["vote_kind"] == "approve").sum()),
                "approvals_needed": None if periods is None else periods.approvals_needed(seats),
                "councils_approved": approvals_done,
                "councils_needed": None if periods is None else periods.constitutionality,
                "not_voted": [name_of(m, handles) for m in councillors if m not in voted]
                if p.status == "deciding" else [],
                "overdue": hours_left is not None and hours_left < 0,
                "nearly_expiring": hours_left is not None
                and 0 <= hours_left <= thresholds.nearly_expiring_hours,
            }
        )  # fmt: skip
    table = pd.DataFrame(rows, columns=PENDING_COLUMNS)
    if table.empty:
        return table
    order = table.assign(
        _late=~table["overdue"].astype(bool),
        _stage=table["stage"].map(STAGE_ORDER),
        _block=pd.to_numeric(table["deadline_block"], errors="coerce"),
    ).sort_values(["_late", "_stage", "_block", "id"], na_position="last")
    return table.loc[order.index].reset_index(drop=True)


def awaiting_vote(pending: pd.DataFrame, councillor: str) -> int:
    """How many deciding proposals still wait for ``councillor``'s vote (a ``name_of`` name)."""
    if pending.empty:
        return 0
    return int(pending["not_voted"].map(lambda names: councillor in names).sum())


def filter_pending(
    pending: pd.DataFrame, stages: list[str], councillor: str | None
) -> pd.DataFrame:
    """Pending proposals in the chosen ``stages`` (empty: all) that still wait for
    ``councillor``'s vote (a ``name_of`` name; None: whoever)."""
    keep = pd.Series(True, index=pending.index)
    if stages:
        keep &= pending["stage"].isin(stages)
    if councillor:
        keep &= pending["not_voted"].map(lambda names: councillor in names).astype(bool)
    return pending[keep]
