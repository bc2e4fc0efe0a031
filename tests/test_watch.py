"""Election watch on hand-made tables; every expected number worked out by hand.

Rounds 1 and 2 are finished: from the council's election to voting took 20,000 and 22,000
blocks (median 21,000), voting 5,000 and 4,000 (median 4,500), revealing 5,000 both. Round 3
is the one watched, in each stage in turn; it started at block 61,000 with 3 seats.
With 6-second blocks, 24 hours are 14,400 blocks.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from council import watch

T0 = datetime(2024, 3, 1, tzinfo=UTC)
COLUMNS = [
    "cycle_id", "is_finished", "started_at_block", "ended_at_block", "seats",
    "voting_started_at_block", "voting_ends_at_block", "revealing_started_at_block",
    "revealing_ends_at_block",
]  # fmt: skip
FINISHED = [
    (1, True, 0, 30_000, 3, 20_000, 25_000, 25_000, 30_000),
    (2, True, 30_000, 61_000, 3, 52_000, 56_000, 56_000, 61_000),
]
NONE = float("nan")


def rounds(*latest: tuple) -> pd.DataFrame:
    return pd.DataFrame(FINISHED + list(latest), columns=COLUMNS)


ANNOUNCING = (3, False, 61_000, NONE, NONE, NONE, NONE, NONE, NONE)
VOTING = (3, False, 61_000, NONE, 3, 82_000, 86_800, NONE, NONE)
REVEALING = (3, False, 61_000, NONE, 3, 82_000, 86_800, 86_800, 91_800)
IDLE = (3, True, 61_000, 91_800, 3, 82_000, 86_800, 86_800, 91_800)


def candidates(count: int, withdrawn: int = 0) -> pd.DataFrame:
    statuses = ["active"] * count + ["withdrawn"] * withdrawn
    return pd.DataFrame(
        {
            "cycle_id": [3] * len(statuses),
            "status": statuses,
            "stake_joy": [100.0 * (i + 1) for i in range(len(statuses))],
        }
    )


def clock_at(block: int) -> watch.ChainClock:
    return watch.ChainClock(block, T0, T0)


def tally(candidates: int = 5, votes: int = 0, unrevealed: int = 0) -> watch.Tally:
    return watch.Tally(candidates, 0, 0.0, votes, votes, unrevealed, 0.0)


# --- clock -----------------------------------------------------------------------------------


def test_clock_anchors_on_the_newest_timed_block_and_runs_at_six_seconds() -> None:
    frames = {
        "councils": pd.DataFrame(
            {"elected_at_block": [1_000, 61_000], "elected_at_time": [T0, T0 + timedelta(1)]}
        ),
        "proposal_votes": pd.DataFrame(
            {"voted_at_block": [70_000, None], "voted_at_time": [T0 + timedelta(2), None]}
        ),
        "budget_refills": pd.DataFrame({"block": [65_000], "time": [T0 + timedelta(3)]}),
    }
    now = T0 + timedelta(days=2, seconds=61)
    clock = watch.chain_clock(frames, now)
    assert (clock.anchor_block, clock.anchor_time) == (70_000, T0 + timedelta(2))
    assert clock.current_block == 70_010  # 61 s: 10 whole blocks
    assert clock.anchor_age_days == 61 / 86_400
    assert clock.time_of(70_600) == T0 + timedelta(days=2, hours=1)
    assert clock.hours_until(70_010 + 14_400) == 24


def test_clock_is_none_without_any_timed_block() -> None:
    assert watch.chain_clock({"councils": pd.DataFrame()}, T0) is None


# --- stage -----------------------------------------------------------------------------------


def test_announcing_end_is_estimated_from_earlier_rounds() -> None:
    stage = watch.current_stage(rounds(ANNOUNCING), candidates(2))
    assert (stage.name, stage.cycle_id, stage.certain) == ("announcing", 3, True)
    assert (stage.started_block, stage.ends_block, stage.ends_estimated) == (61_000, 82_000, True)
    assert (stage.seats, stage.seats_from_previous) == (3, True)
    assert stage.next_stages == [
        watch.Span("voting", 82_000, 86_500, start_estimated=True),
        watch.Span("revealing", 86_500, 91_500, start_estimated=True),
    ]


def test_announcing_without_candidates_may_still_be_idle() -> None:
    stage = watch.current_stage(rounds(ANNOUNCING), candidates(0))
    assert stage.label == "announcing (or idle: no candidacy yet)"


def test_voting_revealing_and_idle_stages_read_from_the_round() -> None:
    voting = watch.current_stage(rounds(VOTING), candidates(4))
    assert (voting.name, voting.started_block, voting.ends_block) == ("voting", 82_000, 86_800)
    assert voting.next_stages == [watch.Span("revealing", 86_800, 91_800)]
    revealing = watch.current_stage(rounds(REVEALING), candidates(4))
    assert (revealing.name, revealing.ends_block, revealing.next_stages) == (
        "revealing",
        91_800,
        [],
    )
    idle = watch.current_stage(rounds(IDLE), candidates(4))
    assert (idle.name, idle.started_block, idle.ends_block) == ("idle", 91_800, None)
    assert watch.current_stage(pd.DataFrame(columns=COLUMNS), candidates(0)).name == "none"


def test_round_tally_counts_standing_candidacies_and_votes() -> None:
    votes = pd.DataFrame(
        {
            "cycle_id": [2, 3],
            "votes_cast": [20, 8],
            "voters": [15, 6],
            "unrevealed_votes": [0, 2],
            "total_backing_stake_joy": [9_999.0, 1_000.0],
        }
    )
    result = watch.round_tally(candidates(3, withdrawn=1), votes, 3)
    assert result == watch.Tally(3, 1, 600.0, 8, 6, 2, 1_000.0)
    assert result.revealed == 6
    assert watch.round_tally(candidates(3), votes.iloc[:1], 3).votes_cast == 0


# --- concerns --------------------------------------------------------------------------------


def codes(stage_row: tuple, count: int, at: int, **kwargs) -> list[str]:
    stage = watch.current_stage(rounds(stage_row), candidates(count))
    found = watch.concerns(stage, tally(candidates=count, **kwargs), clock_at(at))
    return [c.code for c in found]


@pytest.mark.parametrize(
    ("count", "expected"),
    [(2, ["no_candidates_enough"]), (3, ["low_candidacy"]), (4, ["low_candidacy"]), (5, [])],
)
def test_candidacy_concerns_at_seats_and_seats_plus_margin(count: int, expected: list) -> None:
    assert codes(ANNOUNCING, count, at=70_000) == expected


def test_candidacy_message_names_the_deadline() -> None:
    stage = watch.current_stage(rounds(ANNOUNCING), candidates(3))
    (concern,) = watch.concerns(stage, tally(candidates=3), clock_at(82_000 - 7_200))
    assert concern.level == "warning"
    assert concern.message == (
        "Low candidacy: 3 candidates for 3 seats with 12 h left to announce (fewer than "
        "seats + 2): little choice for voters."
    )


@pytest.mark.parametrize(
    ("at", "votes", "expected"),
    [
        (86_800 - 14_400, 2, ["low_votes"]),  # exactly 24 h left, 2 votes for 3 seats
        (86_800 - 14_401, 2, []),  # 24 h and 6 s left: not yet "ending soon"
        (86_800 - 14_400, 3, []),  # one vote a seat is enough
    ],
)
def test_low_votes_when_voting_ends_within_24_hours(at: int, votes: int, expected: list) -> None:
    assert codes(VOTING, 5, at=at, votes=votes) == expected


@pytest.mark.parametrize(
    ("at", "unrevealed", "expected"),
    [
        (91_800 - 14_400, 2, ["unrevealed"]),  # 2 of 8 = 25 %
        (91_800 - 14_400, 1, []),  # 12.5 %
        (91_800 - 14_401, 8, []),  # more than 24 h left
    ],
)
def test_unrevealed_votes_near_the_end_of_revealing(at: int, unrevealed: int, expected) -> None:
    assert codes(REVEALING, 5, at=at, votes=8, unrevealed=unrevealed) == expected


def test_unrevealed_message() -> None:
    stage = watch.current_stage(rounds(REVEALING), candidates(5))
    (concern,) = watch.concerns(stage, tally(votes=8, unrevealed=2), clock_at(91_800 - 600))
    assert concern.message == (
        "Revealing ends in 1 h and 2 of 8 votes (25%) are not revealed yet: unrevealed "
        "votes do not count."
    )


def test_a_stage_past_its_end_block_means_the_cache_is_behind() -> None:
    assert codes(VOTING, 5, at=86_801, votes=9) == ["stage_overdue"]
    assert codes(VOTING, 5, at=86_800, votes=9) == []


def test_thresholds_live_in_one_place() -> None:
    stage = watch.current_stage(rounds(ANNOUNCING), candidates(4))
    strict = watch.WatchThresholds(candidate_margin=1)
    assert watch.concerns(stage, tally(candidates=4), clock_at(70_000), strict) == []


# --- texts -----------------------------------------------------------------------------------


def test_countdown_and_schedule() -> None:
    stage = watch.current_stage(rounds(VOTING), candidates(5))
    assert watch.countdown(stage, clock_at(86_800 - 15_000)) == "1 d 1 h"
    assert watch.countdown(stage, clock_at(86_800 - 450)) == "45 min"
    assert watch.countdown(stage, clock_at(86_800)) == "ended"
    table = watch.schedule(stage, watch.ChainClock(86_800, T0, T0))
    assert table.to_dict("list") == {
        "Stage": ["voting", "revealing"],
        "Starts (block · UTC)": [
            "#82,000 · 2024-02-29 16:00 UTC",
            "#86,800 · 2024-03-01 00:00 UTC",
        ],
        "Ends (block · UTC)": ["#86,800 · 2024-03-01 00:00 UTC", "≈#91,800 · 2024-03-01 08:20 UTC"],
    }


def test_forum_post_for_an_announcing_round() -> None:
    stage = watch.current_stage(rounds(ANNOUNCING), candidates(3))
    clock = watch.ChainClock(82_000 - 7_200, T0, T0)
    counts = watch.Tally(3, 1, 600.0, 0, 0, 0, 0.0)
    post = watch.forum_post("mainnet", stage, counts, clock, watch.concerns(stage, counts, clock))
    assert post == (
        "## Council election round 3 (mainnet): announcing stage\n"
        "\n"
        "- Stage ends: ≈#82,000 · 2024-03-01 12:00 UTC (time left: 12 h 0 min)\n"
        "- Then voting: ≈#82,000 · 2024-03-01 12:00 UTC to ≈#86,500 · 2024-03-01 19:30 UTC\n"
        "- Then revealing: ≈#86,500 · 2024-03-01 19:30 UTC to ≈#91,500 · 2024-03-02 03:50 UTC\n"
        "- Seats: 3; candidates: 3 (own stake 600 JOY), 1 withdrew\n"
        "- Votes: 0 cast by 0 accounts (0 JOY), 0 revealed\n"
        "\n"
        "**Concerns**\n"
        "\n"
        "- ⚠ Low candidacy: 3 candidates for 3 seats with 12 h left to announce (fewer than "
        "seats + 2): little choice for voters.\n"
        "\n"
        "_Times are estimated at 6 s a block from block #74,800 (2024-03-01 00:00 UTC); "
        "current block ≈ #74,800._\n"
    )


def test_forum_post_without_rounds() -> None:
    stage = watch.current_stage(pd.DataFrame(columns=COLUMNS), candidates(0))
    post = watch.forum_post("sumer", stage, tally(0), None, [])
    assert post == "## Council election (sumer)\n\nNo election round in the data.\n"


def test_an_estimated_announcing_end_that_has_passed_names_both_causes() -> None:
    assert codes(ANNOUNCING, 5, at=82_000) == []
    stage = watch.current_stage(rounds(ANNOUNCING), candidates(5))
    (concern,) = watch.concerns(stage, tally(candidates=5), clock_at(82_001))
    assert concern.message == (
        "The announcing stage should have ended at block #82,000 (estimated) by the estimated "
        "current block #82,001: the cache is behind the chain; refresh it. (Announcing also "
        "starts again when too few candidates announced; the cache does not record when it did.)"
    )
