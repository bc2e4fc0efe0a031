"""Voter statistics on a small hand-made table with hand-worked numbers.

Votes (JOY): round 1: A 100 -> x1, B 50 -> x2, C 30 -> x1, D 20 unrevealed; round 2: A 10 ->
y1, E 60 -> y2, F 30 unrevealed; round 3: votes not recorded; round 4: B 40 -> z1, C 40 ->
z2; round 5 (running, one seat): G 30 -> w1, H 25 unrevealed.
"""

from __future__ import annotations

import pandas as pd
import pytest

from council.stats import voters

VOTES = [  # (cycle, account, stake, candidate or None)
    (1, "A", 100.0, "x1"), (1, "B", 50.0, "x2"), (1, "C", 30.0, "x1"), (1, "D", 20.0, None),
    (2, "A", 10.0, "y1"), (2, "E", 60.0, "y2"), (2, "F", 30.0, None),
    (4, "B", 40.0, "z1"), (4, "C", 40.0, "z2"),
    (5, "G", 30.0, "w1"), (5, "H", 25.0, None),
]  # fmt: skip
RESULTS = [  # (cycle, candidate, handle, outcome, vote power)
    (1, "x1", "xena", "elected", 130.0), (1, "x2", "xavi", "elected", 50.0),
    (1, "x3", "xiu", "not elected", 45.0), (1, "x4", "xol", "withdrawn", 0.0),
    (2, "y1", "yan", "elected", 50.0), (2, "y2", "yve", "elected", 60.0),
    (2, "y3", "yul", "not elected", 0.0),
    (4, "z1", "zed", "elected", 40.0), (4, "z2", "zoe", "elected", 40.0),
    (5, "w1", "wim", "running", 30.0), (5, "w2", "wen", "running", 20.0),
]  # fmt: skip


def votes_frame(rows=VOTES) -> pd.DataFrame:
    frame = pd.DataFrame(
        rows, columns=["cycle_id", "cast_by", "stake_joy", "vote_for_candidate_id"]
    )
    frame["vote_power_joy"] = frame["stake_joy"]
    return frame


def results_frame() -> pd.DataFrame:
    return pd.DataFrame(
        RESULTS, columns=["cycle_id", "candidate_id", "handle", "outcome", "vote_power_joy"]
    )


RECORDED = pd.DataFrame({"cycle_id": [1, 2, 3, 4, 5], "recorded": [True, True, False, True, True]})
ROUNDS = pd.DataFrame(
    {
        "cycle_id": [1, 2, 3, 4, 5],
        "is_finished": [True, True, True, True, False],
        "seats": pd.array([2, 2, 2, 2, 1], dtype="Int64"),
    }
)


def test_round_voter_stats_hand_worked() -> None:
    stats = voters.round_voter_stats(votes_frame(), RECORDED).set_index("cycle_id")
    assert stats.loc[1, ["voters", "vote_stake_joy", "returning", "new"]].tolist() == [4, 200, 0, 4]
    # 100 of 200 is exactly half, not more: the two largest (100 + 50) are needed.
    assert stats.loc[1, "majority_accounts"] == 2
    assert stats.loc[1, "top_share_pct"] == 100.0
    # Round 2: A voted in round 1 (returning), E and F are new; 60 of 100 is more than half.
    assert stats.loc[2, ["voters", "vote_stake_joy", "returning", "new"]].tolist() == [3, 100, 1, 2]
    assert stats.loc[2, "majority_accounts"] == 1
    # Round 3's votes are not recorded: every figure null, not 0.
    assert not stats.loc[3, "recorded"]
    assert stats.loc[3, ["voters", "returning", "majority_accounts"]].isna().all()
    assert pd.isna(stats.loc[3, "vote_stake_joy"])
    # Round 4 follows an unrecorded round: returning and new are unknown.
    assert stats.loc[4, ["voters", "vote_stake_joy"]].tolist() == [2, 80]
    assert pd.isna(stats.loc[4, "returning"]) and pd.isna(stats.loc[4, "new"])
    assert stats.loc[4, "majority_accounts"] == 2


def test_concentration_of_the_top_accounts() -> None:
    stakes = pd.Series([100.0, 50.0, 30.0, 20.0])
    assert voters.concentration(stakes, top=2) == (75.0, 2)
    assert voters.concentration(pd.Series([], dtype=float)) == (None, None)
    assert voters.concentration(pd.Series([0.0, 0.0])) == (None, None)


def test_unrevealed_stake_against_the_margin() -> None:
    change = voters.unrevealed_could_change(
        votes_frame(), results_frame(), ROUNDS, RECORDED
    ).set_index("cycle_id")
    # Round 1: last seat xavi 50, first out xiu 45: margin 5 < D's unrevealed 20.
    r1 = change.loc[1]
    assert (r1["last_seat"], r1["first_out"], r1["margin_joy"]) == ("xavi", "xiu", 5.0)
    assert (r1["unrevealed_votes"], r1["unrevealed_stake_joy"]) == (1, 20.0)
    assert r1["could_change"] and r1["verdict"] == "yes: more than the margin"
    # Round 2: last seat yan 50, first out yul 0: margin 50 > F's unrevealed 30.
    assert change.loc[2, "margin_joy"] == 50.0
    assert not change.loc[2, "could_change"]
    assert change.loc[2, "verdict"] == "no: less than the margin"
    assert change.loc[3, "verdict"] == "not recorded"
    assert pd.isna(change.loc[3, "could_change"])
    assert change.loc[4, "verdict"] == "no: every candidate who stood got a seat"
    # Round 5 is running with one seat: wim 30 holds it so far, wen 20 is next: margin 10,
    # H's unrevealed 25 could still change it.
    r5 = change.loc[5]
    assert (r5["last_seat"], r5["first_out"], r5["margin_joy"]) == ("wim", "wen", 10.0)
    assert r5["could_change"]
    assert change.index.tolist() == [5, 4, 3, 2, 1]


def test_failed_round_elected_nobody() -> None:
    """Round 2 as a failed attempt: with yan 50 and yve 60 both seats had revealed votes (the
    round cannot have failed for votes); with yve at 0, one seat lacked a candidate with
    votes and F's one unrevealed vote could have filled it; with two seats empty it could not."""
    results = results_frame()
    results.loc[results["cycle_id"] == 2, "outcome"] = "not elected"
    change = voters.unrevealed_could_change(votes_frame(), results, ROUNDS, RECORDED)
    assert change.set_index("cycle_id").loc[2, "verdict"] == "no council elected"
    results.loc[results["candidate_id"] == "y2", "vote_power_joy"] = 0.0
    one_short = voters.unrevealed_could_change(votes_frame(), results, ROUNDS, RECORDED)
    r2 = one_short.set_index("cycle_id").loc[2]
    assert r2["could_change"]
    assert r2["verdict"] == "yes: enough unrevealed votes to fill the missing seats"
    results.loc[results["candidate_id"] == "y1", "vote_power_joy"] = 0.0
    two_short = voters.unrevealed_could_change(votes_frame(), results, ROUNDS, RECORDED)
    assert not two_short.set_index("cycle_id").loc[2, "could_change"]


def test_account_votes_and_totals() -> None:
    cast = voters.account_votes(votes_frame(), results_frame(), "A")
    assert cast[["cycle_id", "stake_joy", "voted_for", "outcome"]].values.tolist() == [
        [2, 10.0, "yan", "elected"],
        [1, 100.0, "xena", "elected"],
    ]
    assert voters.account_totals(cast) == {
        "Rounds voted": 2,
        "Votes": 2,
        "Total stake (JOY)": 110.0,
        "Revealed votes": 2,
        "Candidates backed": 2,
        "Votes for the elected": 2,
    }
    sealed = voters.account_votes(votes_frame(), results_frame(), "D")
    assert sealed["revealed"].tolist() == [False] and pd.isna(sealed.loc[0, "voted_for"])


def test_voter_table_across_rounds() -> None:
    in_rounds = votes_frame()[votes_frame()["cycle_id"] < 5]
    table = voters.voter_table(in_rounds, results_frame())
    assert table["cast_by"].tolist() == ["A", "B", "C", "E", "F", "D"]
    a = table.iloc[0]
    assert (a["rounds_voted"], a["first_round"], a["last_round"]) == (2, 1, 2)
    assert (a["total_stake_joy"], a["mean_stake_joy"], a["max_stake_joy"]) == (110, 55, 100)
    assert (a["revealed_share_pct"], a["backed_elected"]) == (100.0, 2)
    d = table.set_index("cast_by").loc["D"]
    assert (d["revealed_share_pct"], d["backed_elected"]) == (0.0, 0)
    assert voters.voter_table(in_rounds.iloc[0:0], results_frame()).empty


@pytest.mark.parametrize("column", ["voters", "returning", "new", "majority_accounts"])
def test_counts_are_nullable_integers(column: str) -> None:
    stats = voters.round_voter_stats(votes_frame(), RECORDED)
    assert str(stats[column].dtype) == "Int64"
