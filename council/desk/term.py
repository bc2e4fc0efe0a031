"""The running term at a glance and each councillor's record in it, for the meeting desk.

Pure functions over one network's cache frames. The figures are other pages' own: the
councillors' votes cast and participation are the leaderboard scorecard's
(:func:`council.stats.leaderboard.scorecard`), the KPIs the KPI page's
(:mod:`council.stats.kpis`), the election stage the election watch's (:mod:`council.watch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from council import data
from council.desk.pending import DESK_THRESHOLDS, DeskThresholds, awaiting_vote, name_of
from council.stats import kpis, leaderboard
from council.watch import BLOCK_SECONDS, ChainClock, Stage

BUDGET_START = "Council budget at start"  # the mainnet record's labels (archive_mainnet)
BUDGET_SPENT = "Council budget spent"


@dataclass(frozen=True)
class TermGlance:
    """One council term as the meeting sees it.

    ``running``: the council is in office and the data is live (not historical); otherwise
    the figures are as of the term's end (``end_block``, or the newest block in the data).
    ``end_block`` is the recorded end, else an estimate (``end_estimated``): the end of the
    running election's revealing stage when the watch knows it, else the term's start plus
    the median length of the earlier terms. ``days_left`` is None when no end is known.
    ``budget_start_joy`` / ``budget_spent_joy``: the term report's figures where the record
    has them; else spent is worked out from the chain (councillor rewards paid plus executed
    funding requests decided in the term so far) and the start is not recorded (None).
    """

    number: int
    council_id: str
    running: bool
    start_block: int
    start_time: pd.Timestamp | None
    end_block: int | None
    end_estimated: bool
    days_left: float | None
    budget_start_joy: float | None
    budget_spent_joy: float | None
    budget_source: str | None

    @property
    def budget_spent_share(self) -> float | None:
        """Spent so far as a percent number of the budget at the term's start."""
        if not self.budget_start_joy or self.budget_spent_joy is None:
            return None
        return 100 * self.budget_spent_joy / self.budget_start_joy


def _median_term_blocks(term_table: pd.DataFrame) -> float | None:
    ended = term_table[np.isfinite(term_table["end_block"])]
    lengths = (ended["end_block"] - ended["start_block"]).tail(5)
    return None if lengths.empty else float(lengths.median())


def term_end_estimate(stage: Stage, start_block: int, term_table: pd.DataFrame) -> int | None:
    """The block a running term is expected to end at (see :class:`TermGlance`)."""
    if stage.name == "revealing" and stage.ends_block is not None:
        return stage.ends_block
    for span in stage.next_stages:
        if span.name == "revealing" and span.end is not None:
            return span.end
    median = _median_term_blocks(term_table)
    return None if median is None else int(start_block + median)


def _figure(figures: pd.DataFrame, council_id: str, label: str) -> float | None:
    rows = figures[(figures["council_id"].astype(str) == council_id) & (figures["label"] == label)]
    rows = rows[rows["unit"] == "HAPI"].dropna(subset=["value"])
    if rows.empty:
        return None
    return float(data.hapi_to_joy(rows["value"].astype(str)).iloc[0])


def _chain_spent(d: data.CouncilData, start: int, end: int) -> float | None:
    """Councillor rewards paid plus executed funding requests decided in [start, end)."""
    payments, proposals = d.reward_payments, d.proposals
    dated = proposals["status_set_at_block"].notna()
    if payments.empty and not dated.any():  # the record holds neither: not recorded
        return None
    in_term = payments["block"].astype(float).between(start, end - 1)
    paid = float(payments.loc[in_term, "paid_joy"].sum())
    funded = proposals[
        (proposals["type"] == "FundingRequest") & (proposals["status"] == "executed") & dated
    ]
    decided = funded["status_set_at_block"].astype(float).between(start, end - 1)
    return paid + float(funded.loc[decided, "funding_amount_joy"].fillna(0).sum())


def term_glance(
    d: data.CouncilData, term_table: pd.DataFrame, stage: Stage, clock: ChainClock | None
) -> TermGlance | None:
    """The newest term of one network's data (None without any council)."""
    if term_table.empty:
        return None
    row = term_table.iloc[-1]
    start = int(row["start_block"])
    council = str(row["council_id"])
    councils = d.councils[d.councils["id"].astype(str) == council]
    start_time = councils["elected_at_time"].iloc[0] if len(councils) else None
    historical = clock is None or clock.stopped
    in_office = not np.isfinite(row["end_block"])
    running = in_office and not historical
    if not in_office:
        end, estimated = int(row["end_block"]), False
    else:
        end, estimated = term_end_estimate(stage, start, term_table), True
    days_left = None
    if running and end is not None and clock is not None:
        days_left = max(0.0, (end - clock.current_block) * BLOCK_SECONDS / 86400)
    elif not running:
        days_left = 0.0
    figures = d.council_budget_figures
    budget_start = _figure(figures, council, BUDGET_START)
    spent = _figure(figures, council, BUDGET_SPENT)
    source = "term report" if spent is not None else None
    if spent is None:
        upto = end if not running or clock is None else clock.current_block + 1
        spent = _chain_spent(d, start, upto if upto is not None else start)
        source = "chain" if spent is not None else None
    return TermGlance(
        number=int(row["term"]),
        council_id=council,
        running=running,
        start_block=start,
        start_time=start_time if start_time is not None and pd.notna(start_time) else None,
        end_block=end,
        end_estimated=estimated,
        days_left=days_left,
        budget_start_joy=budget_start,
        budget_spent_joy=spent,
        budget_source=source,
    )


def _recorded_elsewhere(
    rows: pd.DataFrame, block: str, council_id: str, start: float, end: float
) -> bool:
    """Whether a row records ``council_id`` itself but has a block outside the term."""
    if "council_id" not in rows.columns or rows.empty:
        return False
    blocks = rows[block].astype(float)
    outside = blocks.notna() & ((blocks < start) | (blocks >= end))
    return bool((outside & (rows["council_id"].astype(str) == council_id)).any())


def term_scorecard(
    term_table: pd.DataFrame,
    council_id: str,
    council_members: pd.DataFrame,
    proposals: pd.DataFrame,
    votes: pd.DataFrame,
) -> pd.DataFrame:
    """The scorecard rows of one term (:func:`council.stats.leaderboard.scorecard`'s rows for
    ``council_id``, the same figures), worked out with the term table cut to that term.

    A vote or decision is the term's when its block falls in the term, else when its record
    names the term; with only this term in the table, a block elsewhere finds no term and the
    record's own term decides instead. The two agree unless a row names this term but has a
    block outside it, or another term starts inside this one: then the whole network's
    scorecard is worked out, as before. Only the votes the term's rows rest on are read.
    """
    mine = term_table[term_table["council_id"].astype(str) == council_id]
    exact = not mine.empty
    if exact:
        start, end = float(mine["start_block"].iloc[0]), float(mine["end_block"].iloc[0])
        others = term_table["start_block"].astype(float)
        exact = not (
            ((others > start) & (others < end)).any()  # a later term starts inside this one
            or _recorded_elsewhere(votes, "voted_at_block", council_id, start, end)
            or _recorded_elsewhere(proposals, "status_set_at_block", council_id, start, end)
        )
    if exact:
        term_votes = _term_votes(votes, proposals, mine, start, end)
        card = leaderboard.scorecard(mine, council_members, proposals, term_votes)
    else:
        card = leaderboard.scorecard(term_table, council_members, proposals, votes)
    return card[card["council_id"].astype(str) == council_id].reset_index(drop=True)


def _term_votes(
    votes: pd.DataFrame, proposals: pd.DataFrame, mine: pd.DataFrame, start: float, end: float
) -> pd.DataFrame:
    """The votes the term's scorecard rows rest on: cast in the term (or without a block,
    whose record names their term), or on a proposal decided in the term. All votes when
    dropping the others would change which networks record proposal figures."""
    blocks = votes["voted_at_block"].astype(float)
    decided = leaderboard.decided_proposals(proposals, mine).dropna(subset=["council_id"])
    keep = blocks.isna() | ((blocks >= start) & (blocks < end))
    keep |= votes["proposal_id"].isin(decided["id"])
    kept = votes[keep]
    recorded = set(proposals["network"].unique())
    if recorded | set(kept["network"].unique()) != recorded | set(votes["network"].unique()):
        return votes
    return kept


COUNCILLOR_COLUMNS = [
    "councillor", "member_id", "votes_cast", "decided", "decided_voted_on",
    "decided_not_voted", "participation", "awaiting_vote",
]  # fmt: skip


def councillors(
    card: pd.DataFrame,
    council_id: str,
    members: pd.DataFrame,
    pending: pd.DataFrame,
) -> pd.DataFrame:
    """Per councillor of council ``council_id``: the scorecard's votes cast, proposals decided
    in the term, how many of those they voted on and did not, participation, and how many
    deciding proposals still wait for their vote (from ``pending``). Scorecard figures stay
    null where the record does not hold them (not 0)."""
    handles = {str(i): h for i, h in zip(members["id"], members["handle"], strict=True) if h}
    mine = card[card["council_id"].astype(str) == council_id].copy()
    mine["councillor"] = mine["member_id"].map(lambda m: name_of(m, handles))
    mine["decided_not_voted"] = (mine["decided"] - mine["decided_voted_on"]).astype("Int64")
    mine["awaiting_vote"] = mine["councillor"].map(lambda n: awaiting_vote(pending, n))
    return mine[COUNCILLOR_COLUMNS].sort_values("councillor").reset_index(drop=True)


def kpis_due(
    kpi_file: pd.DataFrame,
    network: str,
    kpi_rewards: pd.DataFrame,
    as_of: date,
    thresholds: DeskThresholds = DESK_THRESHOLDS,
) -> tuple[str | None, pd.DataFrame]:
    """The network's current KPI term (the KPI page's) and its KPIs overdue or due within
    ``kpi_days`` days of ``as_of`` (not done or failed), overdue first, then by deadline."""
    if kpi_file.empty:
        return None, kpis.kpi_items(kpi_file, as_of)
    items = kpis.kpi_items(kpi_file, as_of)
    term = kpis.current_term(items, network, kpi_rewards)
    mine = items[items["term"] == term]
    soon = ~mine["status"].isin(kpis.CLOSED) & mine["days_left"].between(
        0, thresholds.kpi_days
    ).fillna(False)
    due = mine[mine["overdue"] | soon]
    due = due.assign(_late=~due["overdue"]).sort_values(["_late", "deadline", "kpi"])
    return term, due.drop(columns="_late").reset_index(drop=True)
