"""Overview facts: rounds missing from the data, and where each network's data ends."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from council import data, store
from council.stats import overview


@pytest.mark.parametrize(
    ("cycle_ids", "gaps"),
    [
        ([], []),
        ([7], []),
        ([1, 2, 3], []),
        ([1, 2, 4, 5], [(3, 3)]),
        ([8, 9, 17, 18, 19, 21, 22], [(10, 16), (20, 20)]),
        ([4, 1, 2, 2, 4], [(3, 3)]),  # unordered and repeated (several networks' rows)
        (pd.Series([1, None, 3]), [(2, 2)]),
    ],
)
def test_missing_rounds_are_the_gaps_between_first_and_last(cycle_ids, gaps) -> None:
    assert overview.missing_rounds(cycle_ids) == gaps


@pytest.mark.parametrize(
    ("cycle_ids", "note"),
    [
        ([1, 2, 3], None),
        ([1, 2, 4], "Round 3 is not in the data."),
        ([1, 5], "Rounds 2–4 are not in the data."),
        ([8, 9, 17, 18, 19, 21, 22], "Rounds 10–16 and 20 are not in the data."),
        ([1, 3, 5, 9], "Rounds 2, 4 and 6–8 are not in the data."),
    ],
)
def test_missing_rounds_note_names_them(cycle_ids, note) -> None:
    assert overview.missing_rounds_note(cycle_ids) == note


def _round(network: str, cycle: int, block: int | None, time: str | None, estimated: int) -> dict:
    return {
        "network": network,
        "cycle_id": cycle,
        "is_finished": 1 if block else 0,
        "ended_at_block": block,
        "ended_at_time": time,
        "ended_at_time_estimated": estimated,
    }


@pytest.fixture(scope="module")
def council_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("overview") / "council.db"
    rows = {
        "election_rounds": [
            _round("old", 1, 100, "2021-01-01T00:00:00Z", 1),
            _round("old", 2, 200, "2021-02-01T00:00:00Z", 1),
            _round("live", 1, 1_000, "2023-01-01T00:00:00Z", 0),
            _round("live", 2, None, None, 0),  # running: not ended yet
            _round("undated", 1, None, None, 0),
            _round("timed", 1, None, "2020-05-01T00:00:00Z", 0),
        ],
        "councils": [
            {"network": "live", "id": "c1", "elected_at_block": 1_000,
             "elected_at_time": "2023-01-01T00:00:00Z"},
            # A term report's council: its end comes after the last round in the data.
            {"network": "old", "id": "o2", "elected_at_block": 200,
             "elected_at_time": "2021-02-01T00:00:00Z", "ended_at_block": 300,
             "ended_at_time": "2021-02-08T00:00:00Z"},
        ],
        "proposals": [
            {"network": "live", "id": "p1", "created_at_block": 1_200,
             "created_at_time": "2023-01-02T00:00:00Z", "status_set_at_block": None,
             "status_set_at_time": None},
        ],
        "council_stage_updates": [
            {"network": "live", "id": "s1", "changed_at_block": 1_500,
             "changed_at_time": "2023-01-03T12:00:00Z"},
        ],
    }  # fmt: skip
    store.write_cache(path, rows, {"source": "hand-made"})
    return path


def test_data_end_is_the_newest_block_of_rounds_councils_proposals_and_stages(
    council_db: Path,
) -> None:
    end = overview.data_end(data.load(council_db).for_network("live"))
    assert end == overview.DataEnd(
        block=1_500, time=pd.Timestamp("2023-01-03T12:00:00Z"), estimated=False
    )


def test_data_end_of_a_snapshot_is_its_last_councils_end_with_an_estimated_time(
    council_db: Path,
) -> None:
    end = overview.data_end(data.load(council_db).for_network("old"))
    assert end == overview.DataEnd(
        block=300, time=pd.Timestamp("2021-02-08T00:00:00Z"), estimated=True
    )


def test_data_end_without_blocks_is_the_newest_time(council_db: Path) -> None:
    end = overview.data_end(data.load(council_db).for_network("timed"))
    assert end == overview.DataEnd(block=None, time=pd.Timestamp("2020-05-01T00:00:00Z"))


def test_data_end_is_none_when_nothing_is_dated(council_db: Path) -> None:
    assert overview.data_end(data.load(council_db).for_network("undated")) is None
    assert overview.data_end(data.load(council_db).for_network("absent")) is None


def test_latest_council_heading_never_says_round_none() -> None:
    facts = overview.Headline(
        rounds=1,
        candidacies=2,
        distinct_candidates=2,
        votes=None,
        first_cycle=1,
        last_cycle=1,
        last_elected_cycle=None,
        first_round_end=None,
        last_round_end=None,
    )
    assert overview.latest_council_heading(facts) == (
        "Latest council (no elected candidate in the data)"
    )
    elected = overview.Headline(**{**facts.__dict__, "last_elected_cycle": 7})
    assert overview.latest_council_heading(elected) == "Latest council (elected in round 7)"
