"""Where the data ends counts every dated table: the newest working-group event, proposal vote,
council budget event or worker exit can be newer than any round, council or proposal
(``data.read_newest_events``, ``overview.data_end``, the watch's clock, the pages)."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from apptest_pages import run_page

from council import data, store, watch
from council.stats import overview


def _t(day: int, hour: int = 0) -> str:
    return f"2025-05-{day:02d}T{hour:02d}:00:00.000Z"


def _round(network: str, cycle: int, block: int, day: int, estimated: int = 0) -> dict:
    return {
        "network": network, "cycle_id": cycle, "round_id": f"{network}-{cycle}",
        "is_finished": 1, "ended_at_block": block, "ended_at_time": _t(day),
        "ended_at_time_estimated": estimated,
    }  # fmt: skip


def _wg(network: str, kind: str, n: int, block: int, day: int, hour: int = 0) -> dict:
    return {
        "network": network, "id": f"{kind}:OLYMPIA-{block}-{n}", "kind": kind,
        "event_id": f"OLYMPIA-{block}-{n}", "group_id": "storageWorkingGroup",
        "block": block, "time": _t(day, hour),
    }  # fmt: skip


def _rows() -> dict[str, list[dict]]:
    """Three networks: on ``mainnet`` a working-group reward is the newest record (#1,900, May
    19 10:00), newer than a proposal vote, a council reward payment, a worker's exit and a
    council stage update; on ``votes`` a proposal vote is (#2,400); on ``rounds`` the newest
    round still is (#3,000, its time estimated), every event older."""
    return {
        "election_rounds": [
            _round("mainnet", 1, 1_000, 10),
            _round("votes", 1, 2_000, 12),
            _round("rounds", 1, 2_500, 1, estimated=1),
            _round("rounds", 2, 3_000, 20, estimated=1),
        ],
        "councils": [
            {"network": "mainnet", "id": "c1", "elected_at_block": 1_000,
             "elected_at_time": _t(10)},
        ],
        "proposals": [
            {"network": "mainnet", "id": "p1", "created_at_block": 1_100,
             "created_at_time": _t(11), "status_set_at_block": 1_200,
             "status_set_at_time": _t(12)},
        ],
        "proposal_votes": [
            {"network": "mainnet", "id": "v1", "proposal_id": "p1", "voted_at_block": 1_700,
             "voted_at_time": _t(17)},
            {"network": "votes", "id": "v2", "proposal_id": "p2", "voted_at_block": 2_400,
             "voted_at_time": _t(24, 6)},
            {"network": "votes", "id": "v3", "proposal_id": "p2", "voted_at_block": 2_300,
             "voted_at_time": _t(23)},
            {"network": "rounds", "id": "v4", "proposal_id": "p3", "voted_at_block": 2_900,
             "voted_at_time": _t(19)},
        ],
        "reward_payments": [
            {"network": "mainnet", "id": "r1", "block": 1_600, "time": _t(16)},
            {"network": "rounds", "id": "r2", "block": 2_950, "time": _t(19, 12)},
        ],
        "council_budget_funded": [
            {"network": "votes", "id": "f1", "block": 2_200, "time": _t(22)},
        ],
        "council_stage_updates": [  # its time is when the node saved it: not the clock's
            {"network": "mainnet", "id": "s1", "changed_at_block": 1_850,
             "changed_at_time": _t(18, 12), "stage": "idle"},
        ],
        "workers": [
            {"network": "mainnet", "id": "storageWorkingGroup-1",
             "group_id": "storageWorkingGroup", "hired_at_block": 1_300,
             "hired_at_time": _t(13), "ended_at_block": 1_800, "ended_at_time": _t(18)},
        ],
        "working_group_events": [
            # Several kinds: the newest is in a kind after others in text order.
            _wg("mainnet", "budget_set", 0, 1_400, 14),
            _wg("mainnet", "opening_filled", 0, 1_300, 13),
            _wg("mainnet", "reward_paid", 0, 1_500, 15),
            _wg("mainnet", "reward_paid", 1, 1_900, 19, 10),
            _wg("mainnet", "worker_exited", 0, 1_800, 18),
            # Another network's newer events do not count for mainnet.
            _wg("other", "reward_paid", 0, 9_000, 30),
        ],
    }  # fmt: skip


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data_end") / "council.db"
    meta = {"source": "http://127.0.0.1:1/graphql", "refreshed_at": "2025-05-20T00:00:00Z"}
    store.write_cache(path, _rows(), meta)
    return path


def _ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def test_newest_events_are_the_newest_row_of_each_event_table_per_network(cache: Path) -> None:
    with contextlib.closing(data._connect(cache)) as conn:
        events = data.read_newest_events(conn)
    got = {
        (row.network, row.table, row.block_column): (int(row.block), row.time)
        for row in events.itertuples()
    }
    assert got == {
        ("mainnet", "proposals", "status_set_at_block"): (1_200, _ts(_t(12))),
        ("mainnet", "proposals", "created_at_block"): (1_100, _ts(_t(11))),
        ("mainnet", "proposal_votes", "voted_at_block"): (1_700, _ts(_t(17))),
        ("mainnet", "reward_payments", "block"): (1_600, _ts(_t(16))),
        ("mainnet", "workers", "hired_at_block"): (1_300, _ts(_t(13))),
        ("mainnet", "workers", "ended_at_block"): (1_800, _ts(_t(18))),
        ("mainnet", "working_group_events", "block"): (1_900, _ts(_t(19, 10))),
        ("votes", "proposal_votes", "voted_at_block"): (2_400, _ts(_t(24, 6))),
        ("votes", "council_budget_funded", "block"): (2_200, _ts(_t(22))),
        ("rounds", "proposal_votes", "voted_at_block"): (2_900, _ts(_t(19))),
        ("rounds", "reward_payments", "block"): (2_950, _ts(_t(19, 12))),
    }  # "other" has no election rounds: no network the pages show


def test_a_working_group_reward_newer_than_everything_else_is_where_the_data_ends(
    cache: Path,
) -> None:
    mainnet = data.load(cache).for_network("mainnet")
    assert overview.data_end(mainnet) == overview.DataEnd(1_900, _ts(_t(19, 10)), False)
    clock = watch.clock_from_data(mainnet, datetime(2025, 5, 19, 10, 1, tzinfo=UTC))
    assert (clock.anchor_block, clock.current_block) == (1_900, 1_910)


def test_a_proposal_vote_newer_than_everything_else_is_where_the_data_ends(cache: Path) -> None:
    votes = data.load(cache).for_network("votes")
    assert overview.data_end(votes) == overview.DataEnd(2_400, _ts(_t(24, 6)), False)


def test_the_newest_round_stays_where_the_data_ends_when_it_is_newest(cache: Path) -> None:
    rounds = data.load(cache).for_network("rounds")
    assert overview.data_end(rounds) == overview.DataEnd(3_000, _ts(_t(20)), True)
    clock = watch.clock_from_data(rounds, datetime(2025, 6, 1, tzinfo=UTC))
    assert (clock.anchor_block, clock.anchor_estimated) == (3_000, True)


def test_a_stage_update_counts_for_the_data_end_but_does_not_anchor_the_clock(
    tmp_path: Path,
) -> None:
    """Its time is when the query node saved it, not its block's."""
    rows = _rows()
    rows["council_stage_updates"][0]["changed_at_block"] = 1_950
    path = tmp_path / "council.db"
    store.write_cache(path, rows, {"source": "hand-made"})
    mainnet = data.load(path).for_network("mainnet")
    assert overview.data_end(mainnet) == overview.DataEnd(1_950, _ts(_t(18, 12)), False)
    assert overview.newest_timed_block(mainnet) == overview.DataEnd(1_900, _ts(_t(19, 10)))


def test_an_older_cache_without_the_event_tables_reads_them_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "council.db"
    store.write_cache(path, _rows(), {"source": "hand-made"})
    with contextlib.closing(sqlite3.connect(path)) as conn:
        for table in ("working_group_events", "workers", "proposal_votes", "reward_payments"):
            conn.execute(f"drop table {table}")
        conn.commit()
    mainnet = data.load(path).for_network("mainnet")
    assert set(mainnet.newest_events["table"]) == {"proposals"}  # a table every cache has
    # The stage update (#1,850) is the newest of what is left.
    assert overview.data_end(mainnet) == overview.DataEnd(1_850, _ts(_t(18, 12)), False)
    assert overview.newest_timed_block(mainnet) == overview.DataEnd(1_200, _ts(_t(12)))


def test_every_page_says_where_the_data_ends_with_the_newest_event(
    cache: Path, monkeypatch
) -> None:
    at = run_page("app_pages/overview.py", cache, monkeypatch, network="mainnet")
    captions = "\n".join(str(c.value) for c in at.caption)
    assert "The data on mainnet ends at block #1,900 · 2025-05-19: nothing after" in captions
    assert "mainnet #1,900 · 2025-05-19 10:00 UTC" in captions  # the "as of" line
    sidebar = "\n".join(str(c.value) for c in at.sidebar.caption)
    assert "mainnet: #1,900 · 2025-05-19" in sidebar
    assert "votes: #2,400 · 2025-05-24" in sidebar
    assert "rounds: #3,000 · ~2025-05-20" in sidebar  # the round: unchanged
