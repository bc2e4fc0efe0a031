"""The council budget's events fetched from the test query node (qn_small.json plus
tests/budget_records.py), checked row by row against literals worked out by hand."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import sqlite_utils
from budget_records import with_budget_records
from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records

from council import data, fetch
from council.stats import budget

FAST = {"timeout": 5, "retries": 0, "backoff": 0}


@pytest.fixture(scope="module")
def server() -> Iterator[QueryNodeServer]:
    with QueryNodeServer(with_budget_records(load_records(SMALL_FIXTURE))) as node:
        yield node


@pytest.fixture(scope="module")
def cache(server: QueryNodeServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("budget") / "c.db"
    fetch.refresh(server.url, path, **FAST)
    return path


def rows(path: Path, table: str) -> dict[str, dict[str, Any]]:
    db = sqlite_utils.Database(path)
    try:
        return {row["id"]: row for row in db[table].rows}
    finally:
        db.close()


def test_council_budget_funded(cache: Path) -> None:
    assert rows(cache, "council_budget_funded") == {
        "OLYMPIA-100801-4": {
            "network": "mainnet",
            "id": "OLYMPIA-100801-4",
            "block": 100801,
            "time": "2023-01-09T10:00:06.000Z",
            "member_id": "2096",
            "amount": "250000000000000",
            "rationale": "Returning unused bounty funds",
        },
        "OLYMPIA-432001-7": {
            "network": "mainnet",
            "id": "OLYMPIA-432001-7",
            "block": 432001,
            "time": "2023-02-01T10:00:06.000Z",
            "member_id": "3253",
            "amount": "100005000000000",
            "rationale": "Top-up",
        },
    }


def test_council_budget_decreased_and_increments(cache: Path) -> None:
    assert rows(cache, "council_budget_decreased") == {
        "OLYMPIA-302401-1": {
            "network": "mainnet",
            "id": "OLYMPIA-302401-1",
            "block": 302401,
            "time": "2023-01-23T10:00:06.000Z",
            "amount": "400000000000000",
        }
    }
    increments = rows(cache, "budget_increment_updates")
    assert {i: (r["block"], r["amount"]) for i, r in increments.items()} == {
        "OLYMPIA-1-3": (1, "3120000000000000"),
        "OLYMPIA-230401-2": (230401, "1666666666666667"),
        "OLYMPIA-432001-2": (432001, "2400000000000000"),
    }


def test_working_group_budget_proposals(cache: Path) -> None:
    assert rows(cache, "wg_budget_proposals") == {
        "00000023": {
            "network": "mainnet",
            "id": "00000023",
            "group_id": "storageWorkingGroup",
            "group_name": "storageWorkingGroup",
            "amount": "1000000000000000",
        }
    }


def count_numbers() -> dict[str, int]:
    """Count operation -> its list's number in the batched first-pages request."""
    return {spec.count_operation: n for n, spec in enumerate(fetch.ENTITIES)}


def test_every_list_was_paged_and_counted(server: QueryNodeServer, cache: Path) -> None:
    # Every list's count and first page travel in one request (fetch.FIRST_PAGES).
    (batched,) = (r for r in server.requests if r.operation_name == fetch.FIRST_PAGES)
    number = count_numbers()["CouncilBudgetFundedCount"]
    offset_limit = (
        batched.variables[f"page{number}_offset"],
        batched.variables[f"page{number}_limit"],
    )
    assert offset_limit == (0, 1000)
    fields = set(batched.root_fields)
    assert {
        "councilBudgetDecreasedEventsConnection",
        "budgetIncrementUpdatedEventsConnection",
    } <= fields


def test_loaded_amounts_are_joy(cache: Path) -> None:
    loaded = data.load(cache)
    assert list(loaded.council_budget_funded["amount_joy"]) == [25_000.0, 10_000.5]
    assert loaded.council_budget_decreased["amount_joy"].tolist() == [40_000.0]
    assert loaded.wg_budget_proposals["amount_joy"].tolist() == [100_000.0]


def test_incremental_refresh_reads_budget_events_from_the_newest_block(
    server: QueryNodeServer, cache: Path
) -> None:
    before = len(server.requests)
    fetch.refresh(server.url, cache, **FAST)
    (batched,) = (r for r in server.requests[before:] if r.operation_name == fetch.FIRST_PAGES)
    sent = {
        name: {"where": batched.variables.get(f"count{number}_where")}
        for name, number in count_numbers().items()
    }
    assert sent["CouncilBudgetFundedCount"] == {"where": {"inBlock_gte": 432001}}
    assert sent["CouncilBudgetDecreasedCount"] == {"where": {"inBlock_gte": 302401}}
    assert sent["BudgetIncrementUpdatesCount"] == {"where": {"inBlock_gte": 432001}}
    assert len(rows(cache, "council_budget_funded")) == 2


def test_a_refresh_of_a_cache_from_before_the_budget_proposals_fills_them(
    server: QueryNodeServer, cache: Path, tmp_path: Path
) -> None:
    """An older cache has no wg_budget_proposals: its first refresh reads every proposal."""
    older = tmp_path / "older.db"
    older.write_bytes(cache.read_bytes())
    db = sqlite_utils.Database(older)
    db["wg_budget_proposals"].drop()
    db.close()
    before = len(server.requests)
    fetch.refresh(server.url, older, **FAST)
    (batched,) = (r for r in server.requests[before:] if r.operation_name == fetch.FIRST_PAGES)
    number = count_numbers()["ProposalsCount"]
    assert batched.variables[f"count{number}_where"] == {"statusSetAtBlock_gte": 0}
    assert data.refresh_window(cache, "mainnet")["proposal_block_from"] > 0  # unlike a new cache
    assert rows(older, "wg_budget_proposals") == rows(cache, "wg_budget_proposals")
    assert rows(older, "proposals") == rows(cache, "proposals")


def test_budget_per_term_from_the_fetched_cache(cache: Path) -> None:
    """The table of tests/budget_records.py's docstring, term by term."""
    mainnet = data.load(cache).for_network("mainnet")
    table = budget.budget_by_term(budget.sources_from(mainnet))
    assert list(table["council_id"]) == ["00000001", "0000000n", "00000018"]
    assert table["refills_joy"].round(4).tolist() == [312_000.0, 166_666.6667, 240_000.0]
    assert table["funded_joy"].tolist() == [25_000.0, 0.0, 10_000.5]
    assert table["decreased_joy"].tolist() == [0.0, 40_000.0, 0.0]
    assert table["council_rewards_joy"].tolist() == [0.0, 2_880.0, 4_320.0]
    assert table["rewards_unpaid_joy"].tolist() == [0.0, 0.0, 1_440.0]
    assert table["wg_top_ups_joy"].tolist() == [0.0, 100_000.0, 0.0]
    assert table["funding_proposals_joy"].tolist() == [205_500.25, 0.0, 0.0]
    assert table["spending_joy"].tolist() == [205_500.25, 102_880.0, 4_320.0]
    assert table["budget_start_joy"].isna().all() and table["difference_joy"].isna().all()
    assert set(table["source"]) == {"query node"}


def table_of_terms(d: data.CouncilData):
    return budget.budget_by_term(budget.sources_from(d))


def test_the_overviews_budget_so_far_reads_only_the_newest_terms_events(cache: Path) -> None:
    """``budget.so_far`` reads the reward payments and refills from the newest term's first
    block on (``CouncilData.since``) and gives the whole table's newest row."""
    whole = data.load(cache).for_network("mainnet")
    expected = budget.term_so_far(budget.budget_by_term(budget.sources_from(whole)))
    assert expected is not None and expected.spending_joy == 4_320.0
    assert budget.so_far(data.load(cache).for_network("mainnet")) == expected

    start = float(table_of_terms(whole)["start_block"].iloc[-1])
    newest = data.load(cache).for_network("mainnet").since(start)
    for name in ("reward_payments", "budget_refills"):
        frame = getattr(whole, name)
        kept = frame[frame["block"] >= start].reset_index(drop=True)
        assert 0 < len(kept) < len(frame)
        pd.testing.assert_frame_equal(getattr(newest, name).reset_index(drop=True), kept)
    # A term with no event yet still has its items recorded (by the whole network's rows).
    later = data.load(cache).for_network("mainnet").since(10**9)
    assert later.reward_payments.empty and later.has_rows("reward_payments")
    assert budget.sources_from(later).recorded == budget.sources_from(whole).recorded
