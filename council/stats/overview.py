"""Headline facts for the overview page. Pure pandas, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from council.data import CouncilData
from council.stats import elections


@dataclass(frozen=True)
class Headline:
    """A network's totals and its span of rounds."""

    rounds: int
    candidacies: int
    distinct_candidates: int
    votes: int | None  # None: no round's votes are recorded
    first_cycle: int | None
    last_cycle: int | None
    last_elected_cycle: int | None
    first_round_end: pd.Timestamp | None
    last_round_end: pd.Timestamp | None


def headline(data: CouncilData) -> Headline:
    """Totals over one network's data.

    ``votes`` adds the election page's votes cast per round (so a winners-only round counts
    the votes its election totals record, and a round whose votes nothing records adds
    nothing); None when no round's votes are recorded.
    """
    _, rounds = elections.election_tables(data)
    votes = rounds["votes_cast"].sum(min_count=1)
    ended = data.rounds["ended_at_time"].dropna()
    elected = data.candidates[data.candidates["status"] == "elected"]
    return Headline(
        rounds=len(data.rounds),
        candidacies=len(data.candidates),
        distinct_candidates=int(data.candidates["member_id"].nunique()),
        votes=None if pd.isna(votes) else int(votes),
        first_cycle=int(data.rounds["cycle_id"].min()) if len(data.rounds) else None,
        last_cycle=int(data.rounds["cycle_id"].max()) if len(data.rounds) else None,
        last_elected_cycle=int(elected["cycle_id"].max()) if len(elected) else None,
        first_round_end=ended.min() if len(ended) else None,
        last_round_end=ended.max() if len(ended) else None,
    )


def latest_council(data: CouncilData) -> pd.DataFrame:
    """The candidacies elected in the most recent round that elected anyone, best first."""
    elected = data.candidates[data.candidates["status"] == "elected"]
    if elected.empty:
        return elected.assign(handle=pd.Series(dtype="object"))
    last = elected[elected["cycle_id"] == elected["cycle_id"].max()]
    named = last.merge(
        data.members[["network", "id", "handle"]].rename(columns={"id": "member_id"}),
        on=["network", "member_id"],
        how="left",
    )
    return named.sort_values("vote_power_joy", ascending=False).reset_index(drop=True)
