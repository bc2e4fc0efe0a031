"""The election page's candidacy results of one round, without working out every round.

:func:`council.stats.elections.candidacy_results` works round by round (ranks, the last
seat's vote power and whether the votes are recorded are all per network and round), so the
rows of one round are the same when it is given only that round's rows. At 100x (1,000
rounds, 20,000 candidacies) that is a few milliseconds instead of a tenth of a second, for the
pages that show one round (the election watch, a term report's seats).
"""

from __future__ import annotations

import pandas as pd

from council.data import CouncilData
from council.stats import elections


def round_results(
    rounds: pd.DataFrame,
    candidates: pd.DataFrame,
    candidate_votes: pd.DataFrame,
    members: pd.DataFrame,
    cycle_id: object,
    council_members: pd.DataFrame | None = None,
    round_votes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``candidacy_results(...)`` restricted to round ``cycle_id`` (one network's frames),
    computed from that round's rows only; the same rows, columns and order."""
    mine = candidates[candidates["cycle_id"] == cycle_id]
    this_round = rounds[rounds["cycle_id"] == cycle_id]
    votes = candidate_votes[candidate_votes["candidate_id"].isin(mine["id"])]
    people = members[members["id"].isin(mine["member_id"])]
    seats = council_members
    if seats is not None and "next_council_id" in this_round.columns:
        seats = seats[seats["council_id"].isin(this_round["next_council_id"].dropna())]
    totals = round_votes
    if totals is not None and len(totals):
        totals = totals[totals["cycle_id"] == cycle_id]
    out = elections.candidacy_results(
        this_round, mine, votes, people, council_members=seats, round_votes=totals
    )
    if out.empty:  # no candidacy: the outcome column takes the type text gets among others
        out["outcome"] = out["outcome"].astype(_TEXT)
    return out


_TEXT = pd.Series(["text"]).dtype  # the type pandas gives a column of text


def data_round_results(d: CouncilData, cycle_id: object) -> pd.DataFrame:
    """:func:`council.stats.elections.data_results` of one network's data, for one round."""
    return round_results(
        d.rounds,
        d.candidates,
        d.candidate_votes,
        d.members,
        cycle_id,
        council_members=d.council_members,
        round_votes=d.round_votes,
    )
