"""What the Voters page shows for one filter state, computed in pure calls (no Streamlit)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from council.charts import to_spec
from council.data import CouncilData
from council.stats import elections, voters
from council.voters import charts

ROUND_LABELS = {
    "cycle_id": "Round",
    "votes": "Votes",
    "voters": "Voting accounts",
    "vote_stake_joy": "Vote stake (JOY)",
    "returning": "Returning voters",
    "new": "New voters",
    "top_share_pct": "Top 10 accounts' share (%)",
    "majority_accounts": "Accounts holding half the stake",
}
CHANGE_LABELS = {
    "cycle_id": "Round",
    "unrevealed_votes": "Unrevealed votes",
    "unrevealed_stake_joy": "Unrevealed stake (JOY)",
    "last_seat": "Last elected seat",
    "last_seat_power_joy": "Last seat's vote power (JOY)",
    "first_out": "First not elected",
    "first_out_power_joy": "First out's vote power (JOY)",
    "margin_joy": "Margin (JOY)",
    "verdict": "Could the unrevealed stake have changed who was elected?",
}
VOTER_LABELS = {
    "cast_by": "Voter account",
    "rounds_voted": "Rounds voted",
    "first_round": "First round",
    "last_round": "Last round",
    "total_stake_joy": "Total stake (JOY)",
    "mean_stake_joy": "Mean stake (JOY)",
    "max_stake_joy": "Largest stake (JOY)",
    "revealed_share_pct": "Revealed (%)",
    "backed_elected": "Votes for the elected",
}
ACCOUNT_LABELS = {
    "cycle_id": "Round",
    "stake_joy": "Stake (JOY)",
    "vote_power_joy": "Vote power (JOY)",
    "voted_for": "Voted for",
    "outcome": "Candidate's outcome",
}


@dataclass
class VoterStats:
    """One network's voter statistics over all its rounds (shared, read-only).

    ``votes`` are the network's votes sorted by round (``council.data.load_voter_votes``),
    ``pairs`` their stake per (round, account) and ``backed`` per vote whether it was for an
    elected candidate: a round range is a slice of each. Made once for every range: ``runs``
    (the pairs by account, :func:`council.stats.voters.account_runs`; ``pairs`` is then left
    out, the runs hold what the ranges need of it), the rounds' and the
    unrevealed votes' display rows (``round_rows``, ``change_rows``, newest first, with
    their ``cycle_id`` as index), the trend line charts of every round (``line_specs``) and
    the voting-accounts bars of every round with the rounds they draw
    (``bars``, :func:`council.voters.charts.bar_rounds`): a range's view picks from them, and
    draws the same bars while it keeps the same newest rounds."""

    results: pd.DataFrame
    recorded: pd.DataFrame
    rounds: pd.DataFrame
    change: pd.DataFrame
    votes: pd.DataFrame = field(default_factory=pd.DataFrame)
    pairs: voters.Pairs | None = None
    backed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    runs: voters.AccountRuns | None = None
    round_rows: pd.DataFrame | None = None
    change_rows: pd.DataFrame | None = None
    line_specs: list[dict] = field(default_factory=list)
    bars: tuple[tuple, dict] | None = None


def voter_stats(
    d: CouncilData, votes: pd.DataFrame, results: pd.DataFrame | None = None
) -> VoterStats:
    """The statistics of one network's data (``CouncilData.for_network``) and its votes
    (``council.data.load_voter_votes``, or ``load_network_votes``). ``results``: the
    network's candidacy results (``elections.data_results``) when already computed."""
    results = elections.data_results(d) if results is None else results
    rounds = d.rounds.sort_values("cycle_id")
    recorded = rounds[["cycle_id"]].assign(
        recorded=elections.votes_recorded(rounds, d.rounds, d.round_votes).to_numpy()
    )
    votes = votes.take(voters.round_order(votes["cycle_id"].to_numpy())).reset_index(drop=True)
    by_pair = voters.pairs(votes)
    return made_once(
        VoterStats(
            results=results,
            recorded=recorded.reset_index(drop=True),
            rounds=voters.round_voter_stats(votes, recorded, by_pair),
            change=voters.unrevealed_could_change(votes, results, rounds, recorded),
            votes=votes,
            pairs=by_pair,
            backed=voters.elected_votes(votes, results),
        )
    )


def made_once(stats: VoterStats) -> VoterStats:
    """``stats`` with what every round range's view picks from, made once: the account runs
    (``pairs`` then left out), the rounds' and unrevealed votes' display rows, the trend
    line charts and the voting-accounts bars of every round (see :class:`VoterStats`)."""
    by_pair = stats.pairs if stats.pairs is not None else voters.pairs(stats.votes)
    newest_first = stats.rounds.sort_values("cycle_id", ascending=False)
    change = stats.change
    return dataclasses.replace(
        stats,
        pairs=None,
        runs=voters.account_runs(stats.votes, by_pair, stats.backed),
        round_rows=_round_rows(newest_first),
        change_rows=_labelled(change, CHANGE_LABELS).set_axis(change["cycle_id"].to_numpy()),
        line_specs=[to_spec(c) for c in charts.trend_lines(newest_first)],
        bars=(
            (charts.bar_rounds(newest_first), to_spec(charts.voters_by_kind(newest_first)))
            if newest_first["recorded"].sum() > 1
            else None
        ),
    )


@dataclass
class VotersView:
    """What the page shows for a round range: headline, tables, trend charts."""

    headline: dict[str, str]
    round_table: pd.DataFrame
    change_table: pd.DataFrame
    voter_table: pd.DataFrame
    trends: list[dict] = field(default_factory=list)
    note: str = ""


def _rounded(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        if column.endswith(("_joy", "_pct")):
            frame[column] = pd.to_numeric(frame[column]).astype("float64").round(2)
    return frame


def _labelled(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    return _rounded(frame[list(labels)].copy()).rename(columns=labels).reset_index(drop=True)


def _round_rows(rounds: pd.DataFrame) -> pd.DataFrame:
    """The rounds' display rows (:data:`ROUND_LABELS`) in ``rounds``' order, indexed by
    round."""
    shown = rounds.assign(votes=rounds["recorded"].map({True: "recorded", False: "not recorded"}))
    return _labelled(shown, ROUND_LABELS).set_axis(rounds["cycle_id"].to_numpy())


def _rows_in(rows: pd.DataFrame, cycle_range: tuple[int, int]) -> pd.DataFrame:
    """The display rows (indexed by round) of the rounds in ``cycle_range``."""
    cycles = rows.index.to_numpy()
    return rows[(cycles >= cycle_range[0]) & (cycles <= cycle_range[1])].reset_index(drop=True)


def _lines_in(spec: dict, cycle_range: tuple[int, int]) -> dict:
    """A trend line chart of every round (``VoterStats.line_specs``) with the rows of the
    rounds in ``cycle_range`` only: the chart built from those rounds."""
    lo, hi = cycle_range
    rows = {
        name: [row for row in values if lo <= row["cycle_id"] <= hi]
        for name, values in spec["datasets"].items()
    }
    return {**spec, "datasets": rows}


def _count(value: object) -> str:
    return "not recorded" if value is None or pd.isna(value) else f"{int(value):,}"


def _votes_in(stats: VoterStats, cycle_range: tuple[int, int]) -> slice:
    """The votes of the rounds in the range: a slice of ``stats.votes``."""
    cycles = stats.votes["cycle_id"].to_numpy()
    return slice(
        int(np.searchsorted(cycles, cycle_range[0], side="left")),
        int(np.searchsorted(cycles, cycle_range[1], side="right")),
    )


def _in_range(stats: VoterStats, cycle_range: tuple[int, int]) -> tuple[slice, voters.Pairs]:
    """The votes (a slice of ``stats.votes``) and the pairs of the rounds in the range."""
    lo, hi = cycle_range
    shown = _votes_in(stats, cycle_range)
    by_pair = stats.pairs if stats.pairs is not None else voters.pairs(stats.votes)
    start, end = by_pair.rounds(np.array([lo, hi]))
    part = slice(int(start[0]), int(end[1]))
    return shown, voters.Pairs(
        by_pair.cycle[part],
        by_pair.account[part],
        by_pair.stake[part],
        by_pair.votes[part],
        by_pair.names,
    )


def voters_view(stats: VoterStats, cycle_range: tuple[int, int]) -> VotersView:
    """The page's tables and charts for the rounds in ``cycle_range``."""
    in_range = stats.rounds["cycle_id"].between(*cycle_range)
    rounds = stats.rounds[in_range].sort_values("cycle_id", ascending=False)
    recorded = rounds[rounds["recorded"]]
    if stats.runs is not None:
        shown = _votes_in(stats, cycle_range)
        table = voters.range_voter_table(stats.runs, cycle_range)
    else:
        shown, by_pair = _in_range(stats, cycle_range)
        table = voters.voter_table(
            stats.votes.iloc[shown], stats.results, by_pair, stats.backed[shown]
        )
    shown_votes = stats.votes.iloc[shown]
    accounts = len(table) if len(recorded) else None  # one row per account that voted
    view = VotersView(
        headline={
            "Rounds": f"{len(rounds):,}",
            "Distinct voting accounts": _count(accounts),
            "Votes": _count(len(shown_votes) if len(recorded) else None),
            "Vote stake (JOY)": (
                f"{shown_votes['stake_joy'].sum():,.0f}" if len(recorded) else "not recorded"
            ),
        },
        round_table=(
            _rows_in(stats.round_rows, cycle_range)
            if stats.round_rows is not None
            else _round_rows(rounds).reset_index(drop=True)
        ),
        change_table=(
            _rows_in(stats.change_rows, cycle_range)
            if stats.change_rows is not None
            else _labelled(
                stats.change[stats.change["cycle_id"].between(*cycle_range)], CHANGE_LABELS
            )
        ),
        voter_table=_labelled(table, VOTER_LABELS),
    )
    missing = len(rounds) - len(recorded)
    if missing:
        view.note = (
            f"The votes of {missing} of these {len(rounds)} rounds are not recorded (their "
            'record lists the elected seats only): their figures read "not recorded".'
        )
    if len(recorded) > 1:
        # Built by tested code from a fixed template: skip the schema validation (a third
        # of the charts' cost at 100x).
        # Datasets named by order: a range change then swaps rows into the drawn charts.
        # The line charts of every round are made once (VoterStats.line_specs): a range
        # keeps their rows in it.
        if stats.bars is not None and charts.bar_rounds(rounds) == stats.bars[0]:
            bars = stats.bars[1]  # shared, read-only
        else:
            bars = to_spec(charts.voters_by_kind(rounds))
        if stats.line_specs:
            view.trends = [bars, *(_lines_in(s, cycle_range) for s in stats.line_specs)]
        else:
            view.trends = [bars, *(to_spec(c) for c in charts.trend_lines(rounds))]
    return view


def account_view(
    votes: pd.DataFrame, results: pd.DataFrame, account: str
) -> tuple[pd.DataFrame, dict[str, float | int]]:
    """Every vote of ``account`` as shown, and its totals (empty table: no vote)."""
    cast = voters.account_votes(votes, results, account)
    shown = cast.copy()
    shown["voted_for"] = shown["voted_for"].where(shown["revealed"], "(not revealed)")
    return _labelled(shown, ACCOUNT_LABELS), voters.account_totals(cast)
