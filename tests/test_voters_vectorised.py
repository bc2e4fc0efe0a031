"""The Voters page's vectorised statistics and its compact vote reading, on hand-made tables.

Votes (JOY): round 1 (finished, two seats): A 100 -> a1, B 50 -> a2, C 30 unrevealed, F two
votes (6 -> a3, 4 unrevealed); round 2 (a failed attempt, two seats): A 40 -> b1, D 20
unrevealed; round 3: votes not recorded; round 4 (finished): B 50 -> d1, C 30 -> d2, E 30 ->
d1; round 5 (running, one seat): A 25 -> e1, E 5 unrevealed, B 40 -> e2. A skips rounds 3
and 4.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from council import data, store
from council.stats import voters
from council.voters import view

VOTES = [  # (cycle, account, stake, candidate or None)
    (1, "A", 100.0, "a1"), (1, "B", 50.0, "a2"), (1, "C", 30.0, None),
    (1, "F", 6.0, "a3"), (1, "F", 4.0, None),
    (2, "A", 40.0, "b1"), (2, "D", 20.0, None),
    (4, "B", 50.0, "d1"), (4, "C", 30.0, "d2"), (4, "E", 30.0, "d1"),
    (5, "A", 25.0, "e1"), (5, "E", 5.0, None), (5, "B", 40.0, "e2"),
]  # fmt: skip
RESULTS = [  # (cycle, candidate, handle, outcome, vote power)
    (1, "a1", "ann", "elected", 100.0), (1, "a2", "abe", "elected", 50.0),
    (1, "a3", "art", "not elected", 45.0), (1, "a4", "amy", "withdrawn", 500.0),
    (2, "b1", "bob", "not elected", 40.0), (2, "b2", "bea", "not elected", 0.0),
    (4, "d1", "dan", "elected", 80.0), (4, "d2", "dee", "elected", 30.0),
    (4, "d3", "dov", "not elected", 20.0),
    (5, "e1", "eli", "running", 25.0), (5, "e2", "eve", "running", 40.0),
    (5, "e3", "ada", "running", 40.0),
]  # fmt: skip
RECORDED = pd.DataFrame({"cycle_id": [1, 2, 3, 4, 5], "recorded": [True, True, False, True, True]})
ROUNDS = pd.DataFrame(
    {
        "cycle_id": [1, 2, 3, 4, 5],
        "is_finished": [True, True, True, True, False],
        "seats": pd.array([2, 2, 2, 2, 1], dtype="Int64"),
    }
)


def votes_frame(compact: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame(
        VOTES, columns=["cycle_id", "cast_by", "stake_joy", "vote_for_candidate_id"]
    )
    if compact:  # as council.data.load_voter_votes gives them: categoricals, by account
        frame = frame.sort_values("cast_by", kind="stable").reset_index(drop=True)
        for column in ("cast_by", "vote_for_candidate_id"):
            frame[column] = frame[column].astype("category")
    return frame


def results_frame() -> pd.DataFrame:
    return pd.DataFrame(
        RESULTS, columns=["cycle_id", "candidate_id", "handle", "outcome", "vote_power_joy"]
    )


@pytest.mark.parametrize("compact", [False, True])
def test_round_figures_hand_worked(compact: bool) -> None:
    stats = voters.round_voter_stats(votes_frame(compact), RECORDED).set_index("cycle_id")
    columns = ["voters", "vote_stake_joy", "returning", "new", "top_share_pct"]
    # Round 1: F's two votes are one voter with 10 JOY; 100 of 190 is more than half.
    assert stats.loc[1, columns].tolist() == [4, 190.0, 0, 4, 100.0]
    assert stats.loc[1, "majority_accounts"] == 1
    # Round 2 (the failed attempt): A returns from round 1, D is new.
    assert stats.loc[2, columns].tolist() == [2, 60.0, 1, 1, 100.0]
    assert stats.loc[3, ["voters", "returning", "new", "majority_accounts"]].isna().all()
    assert pd.isna(stats.loc[3, "vote_stake_joy"])
    # Round 4 follows the unrecorded round: returning and new unknown; 50 of 110 is not half.
    assert stats.loc[4, ["voters", "vote_stake_joy"]].tolist() == [3, 110.0]
    assert pd.isna(stats.loc[4, "returning"]) and pd.isna(stats.loc[4, "new"])
    assert stats.loc[4, "majority_accounts"] == 2
    # Round 5: B and E voted in round 4; A skipped it, so A is new again.
    assert stats.loc[5, ["voters", "vote_stake_joy", "returning", "new"]].tolist() == [3, 70, 2, 1]
    assert str(stats["voters"].dtype) == "Int64"


@pytest.mark.parametrize("compact", [False, True])
def test_unrevealed_verdicts_hand_worked(compact: bool) -> None:
    change = voters.unrevealed_could_change(
        votes_frame(compact), results_frame(), ROUNDS, RECORDED
    ).set_index("cycle_id")
    assert change.index.tolist() == [5, 4, 3, 2, 1]
    r1 = change.loc[1]  # abe 50 holds the last seat, art 45 is first out (amy withdrew)
    assert (r1["last_seat"], r1["first_out"], r1["margin_joy"]) == ("abe", "art", 5.0)
    assert (r1["unrevealed_votes"], r1["unrevealed_stake_joy"], r1["could_change"]) == (2, 34, True)
    # Round 2 elected nobody: one of two seats lacked a candidate with votes; D's one vote
    # could have gone to bea (0 JOY).
    assert change.loc[2, "verdict"] == "yes: enough unrevealed votes to fill the missing seats"
    assert change.loc[2, "unrevealed_stake_joy"] == 20.0
    assert change.loc[3, "verdict"] == "not recorded" and pd.isna(change.loc[3, "could_change"])
    r4 = change.loc[4]  # dee 30 last seat, dov 20 first out, nothing unrevealed
    assert (r4["margin_joy"], r4["could_change"], r4["verdict"]) == (
        10.0,
        False,
        "no: every vote was revealed",
    )
    # Round 5 runs for one seat: ada and eve tie at 40, ada first by handle; E's 5 > 0.
    r5 = change.loc[5]
    assert (r5["last_seat"], r5["first_out"], r5["margin_joy"]) == ("ada", "eve", 0.0)
    assert r5["verdict"] == "yes: more than the margin"


EXPECTED_TABLE = [  # account, rounds, first, last, total, mean, max, revealed %, elected
    ("A", 3, 1, 5, 165.0, 55.0, 100.0, 100.0, 1),
    ("B", 3, 1, 5, 140.0, 140 / 3, 50.0, 100.0, 2),
    ("C", 2, 1, 4, 60.0, 30.0, 30.0, 50.0, 1),
    ("E", 2, 4, 5, 35.0, 17.5, 30.0, 50.0, 1),
    ("D", 1, 2, 2, 20.0, 20.0, 20.0, 0.0, 0),
    ("F", 1, 1, 1, 10.0, 10.0, 10.0, 50.0, 0),
]


@pytest.mark.parametrize("compact", [False, True])
def test_voter_table_hand_worked(compact: bool) -> None:
    table = voters.voter_table(votes_frame(compact), results_frame())
    assert [tuple(row) for row in table.itertuples(index=False)] == EXPECTED_TABLE


def test_pairs_keep_one_row_per_round_and_account() -> None:
    by_pair = voters.pairs(votes_frame(compact=True))
    assert by_pair.cycle.tolist() == [1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5]
    assert by_pair.names[by_pair.account].tolist() == list("ABCFADBCEABE")
    assert by_pair.stake[3] == 10.0 and by_pair.votes[3] == 2


def voter_stats() -> view.VoterStats:
    """The statistics of every round of the hand-worked votes, as the page gets them."""
    compact = votes_frame(compact=True)
    ordered = compact.take(voters.round_order(compact["cycle_id"].to_numpy()))
    ordered = ordered.reset_index(drop=True)
    by_pair = voters.pairs(ordered)
    return view.VoterStats(
        results=results_frame(),
        recorded=RECORDED,
        rounds=voters.round_voter_stats(ordered, RECORDED, by_pair),
        change=voters.unrevealed_could_change(ordered, results_frame(), ROUNDS, RECORDED),
        votes=ordered,
        pairs=by_pair,
        backed=voters.elected_votes(ordered, results_frame()),
    )


def test_a_round_range_step_changes_the_voter_trends_rows_not_their_specs() -> None:
    # As on Election history: the browser swaps new rows into a drawn chart whose spec is
    # unchanged instead of compiling it anew, so a step of the rounds slider changes only rows.
    wide, narrow = view.voters_view(voter_stats(), (1, 5)), view.voters_view(voter_stats(), (2, 5))
    assert len(wide.trends) == len(narrow.trends) > 1
    for before, after in zip(wide.trends[1:], narrow.trends[1:], strict=True):  # the lines
        assert {k: v for k, v in before.items() if k != "datasets"} == {
            k: v for k, v in after.items() if k != "datasets"
        }
        assert list(after["datasets"]) == ["data-0"]
        assert before["datasets"] != after["datasets"]
        assert after["usermeta"]["embedOptions"]["renderer"] == "canvas"


def test_view_of_a_round_range_slices_the_whole() -> None:
    """The page's range (rounds 4-5) from the statistics of all rounds equals the same tables
    computed on only those rounds' votes."""
    shown = view.voters_view(voter_stats(), (4, 5))
    assert shown.headline == {
        "Rounds": "2",
        "Distinct voting accounts": "4",
        "Votes": "6",
        "Vote stake (JOY)": "180",
    }
    table = shown.voter_table
    assert table["Voter account"].tolist() == ["B", "E", "C", "A"]
    assert table.set_index("Voter account").loc["A", ["First round", "Last round"]].tolist() == [
        5,
        5,
    ]
    alone = votes_frame()[votes_frame()["cycle_id"] >= 4]
    expected = view._labelled(voters.voter_table(alone, results_frame()), view.VOTER_LABELS)
    pd.testing.assert_frame_equal(table, expected)
    assert shown.round_table["Round"].tolist() == [5, 4]


HAPI = 10**10
BIG = 2**64 + 1  # above 2^63: exact text in the cache


def vote(vid: str, cycle: int, account: str, stake: int | None, for_id: str | None) -> dict:
    return {
        "network": "test",
        "id": vid,
        "cycle_id": cycle,
        "cast_by": account,
        "stake": None if stake is None else str(stake),
        "vote_power": None if stake is None else str(stake),
        "vote_for_candidate_id": for_id,
    }


CACHE_VOTES = [
    vote("v1", 1, "acct2", 200 * HAPI, "1A"),
    vote("v2", 1, "acct1", BIG, None),
    vote("v3", 2, "acct2", 123_456_789, "2B"),
    vote("v4", 3, "acct2", None, None),
    vote("v5", 3, "acct3", 70 * HAPI, "3A"),
    vote("x1", 1, "other", HAPI, "1A"),
]


def sorted_votes(frame: pd.DataFrame) -> list[tuple]:
    columns = ["cycle_id", "cast_by", "vote_for_candidate_id", "stake_joy"]
    rows = frame[columns].astype(object).where(frame[columns].notna(), None)
    return sorted(rows.itertuples(index=False, name=None), key=repr)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    path = tmp_path / "council.db"
    rows = {"votes": [*CACHE_VOTES, {**vote("o1", 1, "acct1", HAPI, None), "network": "x"}]}
    store.write_cache(path, rows, {"source": "hand-made"})
    return path


def test_compact_votes_equal_the_full_read(cache: Path) -> None:
    full = sorted_votes(data.load_network_votes(cache, "test"))
    compact = data.load_voter_votes(cache, "test")
    assert sorted_votes(compact) == full
    assert full[0] == (1, "acct1", None, BIG / HAPI)  # correctly rounded, as float() gives
    assert isinstance(compact["cast_by"].dtype, pd.CategoricalDtype)
    assert list(compact["cast_by"].cat.categories) == ["acct1", "acct2", "acct3", "other"]
    # A cache written before voter_histories existed: the votes themselves are read.
    with sqlite3.connect(cache) as conn:
        conn.execute("drop table voter_histories")
    assert sorted_votes(data.load_voter_votes(cache, "test")) == full
    assert data.load_voter_votes(cache, "nowhere").empty


def test_one_accounts_votes_by_sql(cache: Path) -> None:
    full = data.load_network_votes(cache, "test")
    expected = full[full["cast_by"] == "acct2"].sort_values("cycle_id").reset_index(drop=True)
    mine = data.load_account_votes(cache, "test", "acct2").sort_values("cycle_id")
    pd.testing.assert_frame_equal(mine.reset_index(drop=True), expected)
    with sqlite3.connect(cache) as conn:  # an older cache without the round totals
        conn.execute("drop table round_vote_totals")
    again = data.load_account_votes(cache, "test", "acct2").sort_values("cycle_id")
    pd.testing.assert_frame_equal(again.reset_index(drop=True), expected)
    assert data.load_account_votes(cache, "test", "nobody").empty


def test_compact_votes_without_a_cache(tmp_path: Path) -> None:
    empty = data.load_voter_votes(tmp_path / "absent.db", "test")
    assert empty.empty and list(empty.columns) == [
        "cycle_id",
        "cast_by",
        "vote_for_candidate_id",
        "stake_joy",
    ]
    assert np.asarray(voters.pairs(empty).cycle).size == 0


def test_voting_accounts_chart_keeps_the_rows_order() -> None:
    """Newest round first (as the page passes them): returning and new per round, one
    "unknown" bar where the previous round's votes are not recorded."""
    from council.voters import charts

    stats = voters.round_voter_stats(votes_frame(), RECORDED).sort_values(
        "cycle_id", ascending=False
    )
    spec = charts.voters_by_kind(stats).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [(r["cycle_id"], r["kind"], r["accounts"]) for r in rows] == [
        (5, "returning", 2), (5, "new", 1), (4, "unknown", 3),
        (2, "returning", 1), (2, "new", 1), (1, "returning", 0), (1, "new", 4),
    ]  # fmt: skip


def test_voting_accounts_chart_draws_the_newest_rounds_only() -> None:
    from council.voters import charts

    stats = voters.round_voter_stats(votes_frame(), RECORDED).sort_values(
        "cycle_id", ascending=False
    )
    spec = charts.voters_by_kind(stats, max_rounds=2).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [(r["cycle_id"], r["kind"]) for r in rows] == [
        (5, "returning"), (5, "new"), (4, "unknown"),
    ]  # fmt: skip
    assert spec["encoding"]["x"]["title"] == "Round (the newest 2)"
    assert charts.voters_by_kind(stats).to_dict()["encoding"]["x"]["title"] == "Round"
