"""Election watch on hand-made tables; every expected number worked out by hand.

Rounds 1 and 2 are finished: from the council's election to voting took 20,000 and 22,000
blocks (median 21,000), voting 5,000 and 4,000 (median 4,500), revealing 5,000 both. Round 3
is the one watched, in each stage in turn; it started at block 61,000 with 3 seats.
With 6-second blocks, 24 hours are 14,400 blocks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from council import data, store, watch

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


def test_clock_anchor_is_estimated_when_a_table_marks_its_time_estimated() -> None:
    """A testnet archive: the newest round's end (time estimated) is also the block the next
    council was elected at (the same time, no flag): the anchor's time is an estimate."""
    frames = {
        "councils": pd.DataFrame({"elected_at_block": [61_000], "elected_at_time": [T0]}),
        "rounds": pd.DataFrame(
            {
                "ended_at_block": [30_000, 61_000],
                "ended_at_time": [T0 - timedelta(1), T0],
                "ended_at_time_estimated": [False, True],
            }
        ),
    }
    clock = watch.chain_clock(frames, T0)
    assert (clock.anchor_block, clock.anchor_estimated) == (61_000, True)
    assert watch.block_text(61_000, clock) == "#61,000 · ≈2024-03-01 00:00 UTC"
    exact = watch.chain_clock({"councils": frames["councils"]}, T0)
    assert not exact.anchor_estimated
    assert watch.block_text(61_000, exact) == "#61,000 · 2024-03-01 00:00 UTC"
    assert watch.block_text(61_600, exact) == "#61,600 · ≈2024-03-01 01:00 UTC"
    assert watch.block_text(61_600, exact, estimated=True) == "≈#61,600 · 2024-03-01 01:00 UTC"


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


def test_round_tally_of_a_round_whose_votes_are_not_recorded() -> None:
    """Round 3 from a term report (winners only) without vote rows: its votes are unknown,
    not zero; a full record without votes had none."""
    columns = ["network", "cycle_id", "votes_cast", "voters", "unrevealed_votes"]
    no_votes = pd.DataFrame(columns=[*columns, "total_backing_stake_joy"])
    winners_only = rounds(IDLE).assign(network="n", losers_recorded=[True, True, False])
    result = watch.round_tally(candidates(3), no_votes, 3, winners_only)
    assert result == watch.Tally(3, 0, 600.0, None, None, None, None)
    assert (result.votes_recorded, result.revealed) == (False, None)
    full = winners_only.assign(losers_recorded=True)
    assert watch.round_tally(candidates(3), no_votes, 3, full).votes_cast == 0


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
            "#82,000 · ≈2024-02-29 16:00 UTC",  # 6 s a block back from the anchor
            "#86,800 · 2024-03-01 00:00 UTC",  # the anchor's own recorded time
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


def test_forum_post_of_a_historical_round_without_recorded_votes() -> None:
    """The newest testnet round from a term report: its end time is an estimate and its
    votes are not recorded; the post says so instead of showing an exact date and zeros."""
    stage = replace(watch.current_stage(rounds(IDLE), candidates(3)), historical=True)
    clock = watch.ChainClock(91_800, T0, T0 + timedelta(40), stopped=True, anchor_estimated=True)
    counts = watch.Tally(3, 0, 600.0, None, None, None, None)
    assert watch.concerns(stage, counts, clock) == []
    assert watch.forum_post("sumer", stage, counts, clock, []) == (
        "## Council election round 3 (sumer): idle (historical) stage\n"
        "\n"
        "- The round ended at block #91,800 · ≈2024-03-01 00:00 UTC.\n"
        "- Seats: 3; candidates: 3 (own stake 600 JOY)\n"
        "- Votes: not recorded (this round's source does not record its votes)\n"
        "\n"
        "_Historical data: the newest block with a time is #91,800 (≈2024-03-01 00:00 UTC); "
        "times are at 6 s a block from it._\n"
    )
    assert watch.stage_notes(stage, clock) == [
        "No election is running in this data: the newest round ended at block #91,800 · "
        "≈2024-03-01 00:00 UTC, and the newest block with a time is #91,800 (≈2024-03-01 UTC, "
        "40 days ago). This chain's data is historical."
    ]


def test_votes_not_recorded_raise_no_vote_concerns() -> None:
    stage = watch.current_stage(rounds(VOTING), candidates(5))
    unknown = watch.Tally(5, 0, 0.0, None, None, None, None)
    assert watch.concerns(stage, unknown, clock_at(86_800 - 600)) == []
    stage = watch.current_stage(rounds(REVEALING), candidates(5))
    assert watch.concerns(stage, unknown, clock_at(91_800 - 600)) == []


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


# --- council stage updates -------------------------------------------------------------------
#
# The query node's updates for the rounds above: round 1 idle 0-10,000, announcing
# 10,000-20,000, election from 20,000; round 2 idle 30,000-40,000, announcing 40,000-52,000,
# election from 52,000 (announcing took 10,000 and 12,000 blocks: median 11,000); round 3 idle
# from its council's election at 61,000 to 70,000, then announcing from 70,000 to 80,000
# exactly (the rounds alone estimate 82,000), election from 80,000. A VariantNone update at
# block 0 names no stage.

UPDATE_COLUMNS = ["id", "changed_at_block", "stage", "ends_at_block", "candidates_count"]
EARLIER_UPDATES = [
    ("u00", 0, None, NONE, NONE),
    ("u01", 0, "idle", 10_000, NONE),
    ("u02", 10_000, "announcing", 20_000, 4),
    ("u03", 20_000, "election", NONE, 4),
    ("u04", 30_000, "idle", 40_000, NONE),
    ("u05", 40_000, "announcing", 52_000, 3),
    ("u06", 52_000, "election", NONE, 3),
]
IDLE_3 = ("u07", 61_000, "idle", 70_000, NONE)
ANNOUNCING_3 = ("u08", 70_000, "announcing", 80_000, 0)
ELECTION_3 = ("u09", 80_000, "election", NONE, 3)


def updates(*newest: tuple) -> pd.DataFrame:
    return pd.DataFrame(EARLIER_UPDATES + list(newest), columns=UPDATE_COLUMNS)


def test_announcing_end_is_exact_from_the_stage_update() -> None:
    stage = watch.current_stage(
        rounds(ANNOUNCING), candidates(0), stage_updates=updates(IDLE_3, ANNOUNCING_3)
    )
    assert (stage.name, stage.cycle_id, stage.label) == ("announcing", 3, "announcing")
    assert (stage.started_block, stage.ends_block, stage.ends_estimated) == (70_000, 80_000, False)
    assert (stage.update_block, stage.from_stage_update) == (70_000, True)
    # Voting starts exactly at announcing's end; its length (median 4,500) and revealing's
    # (5,000) come from earlier rounds.
    assert stage.next_stages == [
        watch.Span("voting", 80_000, 84_500),
        watch.Span("revealing", 84_500, 89_500, start_estimated=True),
    ]
    assert watch.end_block_help(stage) == "From the query node's council stage update (exact)."


def test_idle_end_is_exact_from_the_stage_update() -> None:
    finished = pd.DataFrame(FINISHED, columns=COLUMNS)
    stage = watch.current_stage(finished, candidates(0), stage_updates=updates(IDLE_3))
    assert (stage.name, stage.cycle_id, stage.started_block) == ("idle", 2, 61_000)
    assert (stage.ends_block, stage.ends_estimated, stage.update_block) == (70_000, False, 61_000)
    # Announcing then lasts the median of the earlier announcing updates: 11,000 blocks.
    assert stage.next_stages == [watch.Span("announcing", 70_000, 81_000)]
    clock = watch.ChainClock(70_000 - 600, T0, T0)
    assert watch.countdown(stage, clock) == "1 h 0 min"
    assert watch.stage_notes(stage, clock) == [
        "No election is running in this data: the newest round has finished. The idle stage "
        "ends at block #70,000 · ≈2024-03-01 01:00 UTC, when announcing starts."
    ]


def test_election_stage_update_leaves_voting_and_revealing_to_the_round() -> None:
    stage = watch.current_stage(
        rounds(VOTING), candidates(4), stage_updates=updates(IDLE_3, ANNOUNCING_3, ELECTION_3)
    )
    assert (stage.name, stage.started_block, stage.ends_block) == ("voting", 82_000, 86_800)
    assert (stage.update_block, stage.ends_estimated) == (80_000, False)
    assert stage.next_stages == [watch.Span("revealing", 86_800, 91_800)]
    assert watch.stage_source_note(stage) == (
        "Election stage from the query node's council stage update at block #80,000; voting "
        "and its end block from the round's referendum blocks (exact)."
    )
    # The election has begun but the round records no voting yet: voting, end unknown.
    early = watch.current_stage(
        rounds(ANNOUNCING), candidates(4), stage_updates=updates(IDLE_3, ANNOUNCING_3, ELECTION_3)
    )
    assert (early.name, early.started_block, early.ends_block) == ("voting", 80_000, None)


def test_without_named_stage_updates_the_estimate_is_the_fallback() -> None:
    only_none = pd.DataFrame([EARLIER_UPDATES[0]], columns=UPDATE_COLUMNS)
    for frame in (None, only_none, pd.DataFrame(columns=UPDATE_COLUMNS)):
        stage = watch.current_stage(rounds(ANNOUNCING), candidates(2), stage_updates=frame)
        assert (stage.ends_block, stage.ends_estimated, stage.update_block) == (82_000, True, None)
        assert watch.stage_source_note(stage) == (
            "The cache has no council stage updates for this network, so the stage comes from "
            "the newest round's voting and revealing blocks; the end of announcing is "
            "estimated from earlier rounds (≈)."
        )
        assert watch.end_block_help(stage) == "Estimated from earlier rounds."


def test_an_exact_announcing_end_that_has_passed_is_not_called_estimated() -> None:
    stage = watch.current_stage(
        rounds(ANNOUNCING), candidates(5), stage_updates=updates(IDLE_3, ANNOUNCING_3)
    )
    (concern,) = watch.concerns(stage, tally(candidates=5), clock_at(80_001))
    assert concern.message == (
        "The announcing stage should have ended at block #80,000 by the estimated current "
        "block #80,001: the cache is behind the chain; refresh it."
    )


def test_forum_post_for_an_idle_stage_names_the_announcing_start() -> None:
    finished = pd.DataFrame(FINISHED, columns=COLUMNS)
    stage = watch.current_stage(finished, candidates(0), stage_updates=updates(IDLE_3))
    clock = watch.ChainClock(68_800, T0, T0)  # 7,800 blocks (13 h) after 61,000; 2 h to 70,000
    post = watch.forum_post("mainnet", stage, tally(0), clock, [])
    assert post == (
        "## Council election round 2 (mainnet): idle stage\n"
        "\n"
        "- The round ended at block #61,000 · ≈2024-02-29 11:00 UTC.\n"
        "- Announcing starts: #70,000 · ≈2024-03-01 02:00 UTC (time left: 2 h 0 min)\n"
        "- Seats: 3; candidates: 0 (own stake 0 JOY)\n"
        "- Votes: 0 cast by 0 accounts (0 JOY), 0 revealed\n"
        "\n"
        "_Times are estimated at 6 s a block from block #68,800 (2024-03-01 00:00 UTC); "
        "current block ≈ #68,800._\n"
    )


# --- historical data -------------------------------------------------------------------------


def test_historical_when_the_newest_round_finished_and_the_newest_time_is_old() -> None:
    anchor = watch.ChainClock(91_800, T0, T0 + timedelta(days=30, seconds=1))
    assert watch.is_historical(rounds(IDLE), anchor)
    assert not watch.is_historical(rounds(IDLE), watch.ChainClock(91_800, T0, T0 + timedelta(30)))
    assert not watch.is_historical(rounds(REVEALING), anchor), "a running round is watched"
    assert not watch.is_historical(rounds(IDLE), anchor, watch.WatchThresholds(historical_days=31))
    assert not watch.is_historical(rounds(IDLE), None)


def test_watch_state_stops_the_clock_on_historical_data(tmp_path) -> None:
    """A cache whose newest timed block is round 2's end, 61,000 at T0."""
    path = tmp_path / "council.db"
    tables = {
        "election_rounds": [
            {"network": "n", **dict(zip(COLUMNS, row, strict=True)), "losers_recorded": 1,
             "ended_at_time": (T0 - timedelta(seconds=6 * (61_000 - row[3]))).isoformat()}
            for row in FINISHED
        ]
    }  # fmt: skip
    store.write_cache(path, tables, {"source": "test"})
    here = data.load(path).for_network("n")

    stage, clock = watch.watch_state(here, T0 + timedelta(days=31))
    assert (stage.name, stage.label, stage.historical) == ("idle", "idle (historical)", True)
    assert (clock.anchor_block, clock.current_block, clock.stopped) == (61_000, 61_000, True)
    assert watch.countdown(stage, clock) == "unknown"
    assert watch.clock_note(clock) == (
        "Historical data: the newest block in the cache with a time is #61,000 at 2024-03-01 "
        "00:00 UTC, 31 days ago, and the newest round has finished. No current block is "
        "extrapolated to today; block times below are at 6 seconds a block from that block."
    )
    assert watch.stage_notes(stage, clock) == [
        "No election is running in this data: the newest round ended at block #61,000 · "
        "2024-03-01 00:00 UTC, and the newest block with a time is #61,000 (2024-03-01 UTC, "
        "31 days ago). This chain's data is historical."
    ]
    assert watch.forum_post("n", stage, tally(0), clock, []).endswith(
        "_Historical data: the newest block with a time is #61,000 (2024-03-01 00:00 UTC); "
        "times are at 6 s a block from it._\n"
    )

    stage, clock = watch.watch_state(here, T0 + timedelta(days=29))
    assert (stage.label, clock.stopped) == ("idle", False)
    assert clock.current_block == 61_000 + 29 * 14_400
    assert watch.clock_note(clock).startswith(f"Current block ≈ #{61_000 + 29 * 14_400:,}: ")


def test_stage_updates_without_end_blocks() -> None:
    """A node that leaves ``endsAt`` unset (Joystream's mappings do): the stage is still the
    update's; announcing's end is estimated from the round's start (61,000 + 21,000) as
    without updates; idle's end is unknown."""
    unset = updates(IDLE_3, ANNOUNCING_3)
    unset["ends_at_block"] = NONE
    stage = watch.current_stage(rounds(ANNOUNCING), candidates(0), stage_updates=unset)
    assert (stage.name, stage.label, stage.update_block) == ("announcing", "announcing", 70_000)
    assert (stage.ends_block, stage.ends_estimated) == (82_000, True)
    assert stage.next_stages == [
        watch.Span("voting", 82_000, 86_500, start_estimated=True),
        watch.Span("revealing", 86_500, 91_500, start_estimated=True),
    ]
    assert watch.stage_source_note(stage) == (
        "Stage from the query node's council stage update at block #70,000; the node does not "
        "record when it ends, so the end is estimated from earlier rounds (≈)."
    )
    idle = watch.current_stage(
        pd.DataFrame(FINISHED, columns=COLUMNS), candidates(0), stage_updates=unset.iloc[:-1]
    )
    assert (idle.name, idle.ends_block, idle.next_stages) == ("idle", None, [])
    assert watch.end_block_help(idle) is None
    assert watch.stage_source_note(idle) == (
        "Stage from the query node's council stage update at block #61,000; the node does not "
        "record when it ends."
    )
