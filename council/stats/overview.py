"""Headline facts for the overview page. Pure pandas, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from council.data import CouncilData


@dataclass(frozen=True)
class Headline:
    """A network's totals and its span of rounds."""

    rounds: int
    candidacies: int
    distinct_candidates: int
    votes: int | None  # None: the records hold no votes (not recorded)
    first_cycle: int | None
    last_cycle: int | None
    last_elected_cycle: int | None
    first_round_end: pd.Timestamp | None
    last_round_end: pd.Timestamp | None


def headline(data: CouncilData) -> Headline:
    """Totals over one network's data."""
    ended = data.rounds["ended_at_time"].dropna()
    elected = data.candidates[data.candidates["status"] == "elected"]
    return Headline(
        rounds=len(data.rounds),
        candidacies=len(data.candidates),
        distinct_candidates=int(data.candidates["member_id"].nunique()),
        votes=_votes(data),
        first_cycle=int(data.rounds["cycle_id"].min()) if len(data.rounds) else None,
        last_cycle=int(data.rounds["cycle_id"].max()) if len(data.rounds) else None,
        last_elected_cycle=int(elected["cycle_id"].max()) if len(elected) else None,
        first_round_end=ended.min() if len(ended) else None,
        last_round_end=ended.max() if len(ended) else None,
    )


def _votes(data: CouncilData) -> int | None:
    """Votes cast over the network; None when its records hold no votes (winners-only rounds
    without vote rows, as the mainnet record): not recorded, not zero."""
    cast = int(data.round_votes["votes_cast"].sum())
    rounds = data.rounds
    if cast or rounds.empty or rounds["losers_recorded"].any():
        return cast
    return None


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
