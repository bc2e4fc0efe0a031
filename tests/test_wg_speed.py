"""The Working groups page's faster paths give the same figures as the plain ones: the slim
event read (``data.load_wg_events``) against the cache's full table, and the page's cached
parts (``views.range_view`` / ``views.group_view`` on a precomputed ``stats.Basis``) against
``stats.group_summary`` and the group functions on the full frames (tests/wg_records.py's
story, fetched from the test query node; and small hand-made tables)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records
from wg_records import TERM_A, TERM_B_START, wg_chain

from council import data, fetch
from council.working_groups import stats, views

TERMS = pd.DataFrame(
    {"term": [1, 2], "start_block": [TERM_A[0], TERM_B_START],
     "end_block": [TERM_A[1] + 1, float("inf")]}
)  # fmt: skip


@pytest.fixture(scope="module")
def wg_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wg_speed") / "c.db"
    records = {**load_records(SMALL_FIXTURE), **wg_chain().records()}
    with QueryNodeServer(records) as server:
        fetch.refresh(server.url, path, timeout=5, retries=0, backoff=0)
    return path


def _plain(values: pd.Series) -> list:
    """Values with every missing marker as None (object and pandas text compare alike)."""
    return [None if pd.isna(v) else v for v in values]


def test_the_slim_event_read_matches_the_full_table(wg_cache: Path) -> None:
    full = data.load(wg_cache).for_network("mainnet").working_group_events.reset_index(drop=True)
    slim = data.load_wg_events(wg_cache, "mainnet")
    assert len(slim) == len(full) > 50
    names = [n if n != "amount" else "amount_joy" for n in data.WG_EVENT_COLUMNS]
    assert sorted(slim.columns) == sorted(names)
    for name in names:
        assert _plain(slim[name]) == _plain(full[name]), name
    assert str(slim["time"].dtype) == str(full["time"].dtype)
    assert slim["block"].dtype == np.int64 and slim["amount_joy"].dtype == np.float64
    assert data.load_wg_events(wg_cache, "sumer").empty


def test_the_slim_read_of_a_cache_without_the_table_or_a_column(tmp_path: Path) -> None:
    absent = data.load_wg_events(tmp_path / "absent.db", "mainnet")
    assert absent.empty and "amount_joy" in absent.columns and "rationale" in absent.columns
    old = tmp_path / "old.db"
    with sqlite3.connect(old) as conn:  # an older cache: no rationale column yet
        conn.execute(
            "create table working_group_events (network, id, kind, event_id, group_id, "
            "worker_id, member_id, amount, payment_type, account, block, time)"
        )
        conn.execute(
            "insert into working_group_events values ('mainnet', 'x', 'reward_paid', 'E-5-1', "
            "'forumWorkingGroup', 'w', '7', '25000000000', 'REGULAR', null, 5, "
            "'2024-01-01T00:00:30.000Z')"
        )
    frame = data.load_wg_events(old, "mainnet")
    row = frame.iloc[0]
    assert (row["amount_joy"], row["block"], row["kind"]) == (2.5, 5, "reward_paid")
    assert pd.isna(row["rationale"]) and row["time"] == pd.Timestamp("2024-01-01 00:00:30Z")


@pytest.fixture(scope="module")
def both(wg_cache: Path) -> tuple[stats.WGFrames, views.Prepared]:
    d = data.load(wg_cache).for_network("mainnet")
    full = stats.frames_of(d)
    return full, views.prepare(stats.frames_of(d, data.load_wg_events(wg_cache, "mainnet")), TERMS)


@pytest.mark.parametrize("term_range", [(1, 2), (1, 1), (2, 2)])
def test_the_range_part_matches_the_summary_of_the_full_frames(both, term_range) -> None:
    full, p = both
    start, end = views.term_blocks(TERMS, term_range)
    expected = views.summary_table(stats.group_summary(full, start, end))
    view = views.range_view(p, term_range)
    pd.testing.assert_frame_equal(view.summary, expected, check_exact=True)
    assert view.totals["budget_end"] == float(
        stats.group_summary(full, start, end)["budget_end"].sum()
    )
    assert view.budget_chart and view.spending_chart and view.headcount_chart


def test_the_group_part_matches_the_group_functions_on_the_full_frames(both) -> None:
    full, p = both
    history = stats.lead_history(full)
    for group in stats.group_ids(full):
        workers, leads, events = views.group_view(p, group)
        expected = views.events_table(stats.group_events(full, group))
        assert len(events) == len(expected)
        for column in expected.columns:
            assert _plain(events[column]) == _plain(expected[column]), (group, column)
        expected_workers = views.workers_table(stats.group_workers(full, group, history))
        for column in expected_workers.columns:
            assert _plain(workers[column]) == _plain(expected_workers[column]), (group, column)
        pd.testing.assert_frame_equal(leads, views.leads_table(history, group))
    assert views.page_view(p, (1, 2), "forumWorkingGroup").events.equals(
        views.group_view(p, "forumWorkingGroup")[2]
    )


def test_lead_rewards_only_while_lead() -> None:
    """Two rewards at the same block, one to the lead and one to a worker; the worker paid
    again after becoming lead (a lead reward), and the lead after being unset (a worker's)."""
    ev = pd.DataFrame(
        [
            ("budget_updated", "g", None, 100.0, 10, "X-10-0"),
            ("leader_set", "g", "a", None, 11, "X-11-0"),
            ("reward_paid", "g", "b", 5.0, 20, "X-20-1"),
            ("reward_paid", "g", "a", 7.0, 20, "X-20-0"),
            ("leader_unset", "g", "a", None, 30, "X-30-0"),
            ("leader_set", "g", "b", None, 31, "X-31-0"),
            ("reward_paid", "g", "a", 3.0, 40, "X-40-0"),
            ("reward_paid", "g", "b", 2.0, 40, "X-40-1"),
        ],
        columns=["kind", "group_id", "worker_id", "amount_joy", "block", "event_id"],
    )
    ev["time"] = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(ev["block"] * 6, "s")
    workers = pd.DataFrame(
        [("a", "g", "1", False, "active", 5, None), ("b", "g", "2", True, "active", 5, None)],
        columns=["id", "group_id", "member_id", "is_lead", "status", "hired_at_block",
                 "ended_at_block"],
    )  # fmt: skip
    f = stats.WGFrames(
        pd.DataFrame(columns=["id", "budget_joy"]),
        workers,
        ev,
        pd.DataFrame(columns=["id", "handle"]),
    )
    changes = stats.budget_changes(f)
    assert list(changes["item"]) == [
        "refill", "lead reward", "worker reward", "worker reward", "lead reward",
    ]  # fmt: skip
    assert list(changes["balance"]) == [100, 93, 88, 85, 83]
    row = stats.group_summary(f, 0, None).iloc[0]
    assert (row["lead_rewards"], row["worker_rewards"], row["budget_end"]) == (9, 8, 83)
    assert list(stats.group_summary(f, 35, 40)[["lead_rewards", "worker_rewards"]].iloc[0]) == [
        2, 3,
    ]  # fmt: skip


def test_block_and_date_cells_format_each_day_alike() -> None:
    """Several events on one day, either side of midnight, without a time or a block."""
    from council.format import block_with_date

    blocks = pd.Series([10.0, 11.0, float("nan"), 12.0, 13.0])
    times = pd.Series(
        ["2024-03-01T23:59:59Z", "2024-03-02T00:00:00Z", "2024-03-02T01:00:00Z", None,
         "2024-03-01T00:00:00Z"]
    )  # fmt: skip
    assert views._when(blocks, times) == [
        "#10 · 2024-03-01", "#11 · 2024-03-02", "–", "#12", "#13 · 2024-03-01",
    ]  # fmt: skip
    assert views._when(blocks[:1], times[:1]) == [block_with_date(10, pd.Timestamp(times[0]))]
