"""Rank, last seat and margin of a running round, with its seats known or not; and the seats
a fetched round takes from the councils. Hand-made frames, numbers worked out by hand.

Round 1 (finished): P elected with 90 JOY vote power, Q elected with 60, R not elected (20).
Round 2 (running): F 70, A 40, G 10 so far; W withdrew.
"""

from __future__ import annotations

import pandas as pd
import pytest

from council.data import with_known_seats
from council.stats import elections

NET = "mainnet"


def rounds(seats: list) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "network": [NET, NET],
            "cycle_id": [1, 2],
            "ended_at_block": [1000, None],
            "ended_at_time": [pd.Timestamp("2024-01-01", tz="UTC"), pd.NaT],
            "ended_at_time_estimated": [False, False],
            "is_finished": [True, False],
            # As read from a fetched cache: all null is an object column of None.
            "seats": pd.Series(seats, dtype="object"),
            "losers_recorded": [True, True],
        }
    )


CANDIDATES = pd.DataFrame(
    [
        (NET, "1P", 1, "P", "elected", 10.0, 90.0),
        (NET, "1Q", 1, "Q", "elected", 10.0, 60.0),
        (NET, "1R", 1, "R", "failed", 10.0, 20.0),
        (NET, "2F", 2, "F", "active", 10.0, 70.0),
        (NET, "2A", 2, "A", "active", 10.0, 40.0),
        (NET, "2G", 2, "G", "active", 10.0, 10.0),
        (NET, "2W", 2, "W", "withdrawn", 10.0, 0.0),
    ],
    columns=["network", "id", "cycle_id", "member_id", "status", "stake_joy", "vote_power_joy"],
)
MEMBERS = pd.DataFrame({"network": NET, "id": list("PQRFAGW"), "handle": list("pqrfagw")})
NO_VOTES = pd.DataFrame(columns=["network", "candidate_id", "votes_received", "backing_stake_joy"])


def results(seats: list) -> pd.DataFrame:
    frame = elections.candidacy_results(rounds(seats), CANDIDATES, NO_VOTES, MEMBERS)
    return frame.set_index("candidate_id")


@pytest.mark.parametrize("seats", [[None, None], [2, None]], ids=["all-null", "running-null"])
def test_running_round_without_seats_has_ranks_but_no_last_seat(seats: list) -> None:
    r = results(seats)
    assert r.loc[["2F", "2A", "2G"], "rank"].tolist() == [1, 2, 3]
    assert pd.isna(r.loc["2W", "rank"])
    assert r.loc[["2F", "2A", "2G", "2W"], "margin_joy"].isna().all()
    # The finished round's last seat is its last elected: Q's 60 JOY.
    assert r.loc[["1P", "1Q", "1R"], "margin_joy"].tolist() == [30.0, 0.0, -40.0]


def test_running_round_with_seats_measures_from_the_last_seat_so_far() -> None:
    r = results([2, 2])
    # Two seats: the last seat so far is A's 40 JOY.
    assert r.loc[["2F", "2A", "2G"], "margin_joy"].tolist() == [30.0, 0.0, -30.0]
    assert pd.isna(r.loc["2W", "margin_joy"])
    # Three seats for three standing: G's 10 JOY is the last seat.
    r = results([2, 3])
    assert r.loc[["2F", "2A", "2G"], "margin_joy"].tolist() == [60.0, 30.0, 0.0]


def test_announcing_round_all_at_zero_shares_the_first_place() -> None:
    candidates = CANDIDATES.assign(
        vote_power_joy=CANDIDATES["vote_power_joy"].where(CANDIDATES["cycle_id"] == 1, 0.0)
    )
    r = elections.candidacy_results(rounds([2, None]), candidates, NO_VOTES, MEMBERS)
    r = r.set_index("candidate_id")
    assert r.loc[["2F", "2A", "2G"], "rank"].tolist() == [1, 1, 1]
    assert r.loc[["2F", "2A", "2G"], "margin_joy"].isna().all()
    r = elections.candidacy_results(rounds([2, 2]), candidates, NO_VOTES, MEMBERS)
    assert r.set_index("candidate_id").loc[["2F", "2A", "2G"], "margin_joy"].tolist() == [0.0] * 3


def test_round_summary_with_all_seats_null_counts_seats_filled() -> None:
    r = elections.candidacy_results(rounds([None, None]), CANDIDATES, NO_VOTES, MEMBERS)
    totals = ["votes_cast", "voters", "unrevealed_votes", "total_backing_stake_joy"]
    votes = pd.DataFrame(columns=["network", "cycle_id", *totals])
    members = pd.DataFrame(columns=["network", "council_id", "member_id"])
    summary = elections.round_summary(
        rounds([None, None]).assign(council_id=["c0", "c1"]), r, votes, members
    ).set_index("cycle_id")
    # Unknown seats fall back to the seats filled: 2 in round 1, 0 (no competitiveness) in 2.
    assert summary.loc[1, "seats"] == 2
    assert summary.loc[1, "competitiveness"] == 1.5
    assert summary.loc[2, "seats"] == 0
    assert pd.isna(summary.loc[2, "competitiveness"])


def test_seats_come_from_the_elected_council_else_the_ruling_one() -> None:
    frame = pd.DataFrame(
        {
            "network": [NET] * 5,
            "cycle_id": [1, 2, 3, 4, 5],
            "is_finished": [True, True, True, True, False],
            "seats": pd.Series([None, 5, None, None, None], dtype="object"),
            "council_id": ["c0", "c1", "c1", "c2", "c2"],
            "next_council_id": ["c1", "c2", "c9", "c2", None],
        }
    )
    sizes = pd.DataFrame({"network": NET, "council_id": ["c0", "c1", "c2"], "size": [2, 3, 4]})
    seats = with_known_seats(frame, sizes)["seats"]
    assert str(seats.dtype) == "Int64"
    # 1: elected c1 (3 seats); 2: the node's 5 stays; 3: c9's seats are not in the cache;
    # 4: failed, "elected" the ruling c2 again (4); 5: running under c2 (4).
    assert seats.tolist()[:2] == [3, 5]
    assert pd.isna(seats[2])
    assert seats.tolist()[3:] == [4, 4]
    assert frame["seats"].isna().tolist() == [True, False, True, True, True]  # input unchanged
