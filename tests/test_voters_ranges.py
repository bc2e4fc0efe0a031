"""A round range's voter table from account runs (``council.stats.voters.account_runs``), on
the hand-made votes of tests/test_voters_vectorised.py: the same rows and figures as the
grouped table of only those rounds' votes, and pandas' compensated sums to the last bit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from test_voters_vectorised import (
    EXPECTED_TABLE,
    results_frame,
    voter_stats,
    votes_frame,
)

from council.stats import voters
from council.voters import view


def runs_of(votes: pd.DataFrame) -> voters.AccountRuns:
    ordered = votes.take(voters.round_order(votes["cycle_id"].to_numpy())).reset_index(drop=True)
    by_pair = voters.pairs(ordered)
    return voters.account_runs(ordered, by_pair, voters.elected_votes(ordered, results_frame()))


@pytest.mark.parametrize("compact", [False, True])
def test_every_round_gives_the_hand_worked_table(compact: bool) -> None:
    table = voters.range_voter_table(runs_of(votes_frame(compact)), (1, 5))
    assert [tuple(row) for row in table.itertuples(index=False)] == EXPECTED_TABLE


def test_runs_keep_each_pairs_votes_revealed_and_elected() -> None:
    runs = runs_of(votes_frame(compact=True))
    # By account, then round: A 1 2 5, B 1 4 5, C 1 4, D 2, E 4 5, F 1.
    assert runs.cycles(np.arange(12)).tolist() == [1, 2, 5, 1, 4, 5, 1, 4, 2, 4, 5, 1]
    assert runs.stake.tolist() == [100, 40, 25, 50, 50, 40, 30, 30, 20, 30, 5, 10]
    assert np.diff(runs.cast).tolist() == [1] * 11 + [2]  # F's two votes in round 1
    assert np.diff(runs.revealed).tolist() == [1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1]
    assert np.diff(runs.backed).tolist() == [1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]


def test_rounds_four_and_five_hand_worked() -> None:
    table = voters.range_voter_table(runs_of(votes_frame()), (4, 5))
    assert [tuple(row) for row in table.itertuples(index=False)] == [
        ("B", 2, 4, 5, 90.0, 45.0, 50.0, 100.0, 1),
        ("E", 2, 4, 5, 35.0, 17.5, 30.0, 50.0, 1),
        ("C", 1, 4, 4, 30.0, 30.0, 30.0, 100.0, 1),
        ("A", 1, 5, 5, 25.0, 25.0, 25.0, 100.0, 0),
    ]


@pytest.mark.parametrize("cycle_range", [(3, 3), (6, 9), (-2, 0), (5, 4)])
def test_a_range_without_votes_has_no_rows(cycle_range: tuple[int, int]) -> None:
    table = voters.range_voter_table(runs_of(votes_frame()), cycle_range)
    assert table.empty and list(table.columns) == voters.ACCOUNT_COLUMNS


@pytest.mark.parametrize(
    "cycle_range", [(1, 5), (1, 1), (2, 4), (4, 5), (0, 9), (2, 2), (5, 5), (1, 3)]
)
def test_range_table_equals_the_grouped_table_of_its_votes(cycle_range) -> None:
    votes = votes_frame()
    alone = votes[votes["cycle_id"].between(*cycle_range)]
    expected = voters.voter_table(alone, results_frame())
    got = voters.range_voter_table(runs_of(votes), cycle_range)
    pd.testing.assert_frame_equal(got, expected, check_exact=True, check_index_type=False)


def test_run_sums_are_pandas_compensated_sums_to_the_bit() -> None:
    # 1e16 + 1 rounds back to 1e16 (ties to even): a plain running sum loses both ones, and
    # 0.1 + 0.2 + 0.3 comes to 0.6000000000000001; pandas' groupby sum (Kahan) gives 1e16 + 2
    # and 0.6, and so do the runs.
    values = np.array([1e16, 1.0, 1.0, 0.1, 0.2, 0.3, 5.0])
    starts, lengths = np.array([0, 3, 6]), np.array([3, 3, 1])
    sums = voters._run_sums(values, starts, lengths)
    assert sums.tolist() == [1e16 + 2, 0.6, 5.0]
    assert (sum([1e16, 1.0, 1.0]), sum([0.1, 0.2, 0.3])) == (1e16, 0.6000000000000001)
    grouped = pd.Series(values).groupby([0, 0, 0, 1, 1, 1, 2]).sum()
    assert sums.tolist() == grouped.tolist()


def test_run_sums_of_infinite_stakes_as_pandas() -> None:
    values = np.array([np.inf, 1.0, 2.0, -np.inf, 1.0])
    sums = voters._run_sums(values, np.array([0, 3]), np.array([3, 2]))
    assert sums.tolist() == [np.inf, -np.inf]
    assert sums.tolist() == pd.Series(values).groupby([0, 0, 0, 1, 1]).sum().tolist()


def stats_with_runs() -> view.VoterStats:
    """:func:`voter_stats` with what ``view.voter_stats`` makes once for every range."""
    return view.made_once(voter_stats())


@pytest.mark.parametrize("cycle_range", [(1, 5), (2, 5), (4, 5), (3, 3), (1, 1), (5, 9)])
def test_view_from_the_made_once_parts_equals_the_view_computed_anew(cycle_range) -> None:
    anew, made = (
        view.voters_view(voter_stats(), cycle_range),
        view.voters_view(stats_with_runs(), cycle_range),
    )
    assert made.headline == anew.headline and made.note == anew.note
    for name in ("round_table", "change_table", "voter_table"):
        pd.testing.assert_frame_equal(getattr(made, name), getattr(anew, name), check_exact=True)
    assert made.trends == anew.trends


def test_rounds_four_and_five_rows_from_the_made_once_parts() -> None:
    shown = view.voters_view(stats_with_runs(), (4, 5))
    assert shown.round_table["Round"].tolist() == [5, 4]
    assert shown.round_table["Vote stake (JOY)"].tolist() == [70.0, 110.0]
    assert shown.change_table["Round"].tolist() == [5, 4]
    assert shown.change_table["Margin (JOY)"].tolist() == [0.0, 10.0]
    (stake,) = (s for s in shown.trends[1:] if s["encoding"]["y"]["field"] == "vote_stake_joy")
    assert stake["datasets"]["data-0"] == [
        {"cycle_id": 5, "vote_stake_joy": 70.0},
        {"cycle_id": 4, "vote_stake_joy": 110.0},
    ]


def test_a_range_keeping_the_newest_rounds_draws_the_bars_made_once() -> None:
    stats = stats_with_runs()
    assert stats.bars[0] == ((1, 2, 4, 5), False)  # round 3's votes are not recorded
    assert view.voters_view(stats, (0, 9)).trends[0] is stats.bars[1]
    assert view.voters_view(stats, (1, 5)).trends[0] is stats.bars[1]
    narrower = view.voters_view(stats, (2, 5)).trends[0]  # without round 1: drawn anew
    assert narrower is not stats.bars[1]
    assert [row["cycle_id"] for row in narrower["datasets"]["data-0"]] == [5, 5, 4, 2, 2]
