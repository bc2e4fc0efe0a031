"""Working-group lists fetched from the test query node (tests/wg_records.py's story)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records
from wg_records import joy, wg_chain

from council import data, fetch, store
from council.transform import MalformedRecord, records_to_rows

FAST = {"timeout": 5, "retries": 0, "backoff": 0}


def _records(chain=None) -> dict:
    return {**load_records(SMALL_FIXTURE), **(chain or wg_chain()).records()}


def test_full_fetch_lands_every_working_group_row(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    with QueryNodeServer(_records()) as server:
        stats = fetch.refresh(server.url, path, page_size=6, **FAST)
    assert stats.rows["workers"] == 14 and stats.requests["workers"] == 1 + 3  # 6+6+2
    assert stats.rows["rewardPaidEvents"] == 18
    groups = {r["id"]: r for r in store.read_rows(path, "working_groups")}
    assert len(groups) == 9
    assert groups["storageWorkingGroup"]["budget"] == str(joy(133_500))  # exact HAPI text
    assert groups["storageWorkingGroup"]["leader_worker_id"] == "storageWorkingGroup-3"
    assert groups["forumWorkingGroup"]["leader_worker_id"] is None
    workers = {r["id"]: r for r in store.read_rows(path, "workers")}
    alice, bob = workers["storageWorkingGroup-0"], workers["storageWorkingGroup-1"]
    assert (alice["status"], alice["is_lead"], alice["hired_at_block"]) == ("left", 0, 1_000)
    assert (alice["ended_at_block"], alice["stake"]) == (420_000, "0")
    assert (bob["status"], bob["ended_at_block"]) == ("terminated", 300_000)
    erin = workers["storageWorkingGroup-4"]
    assert (erin["status"], erin["leaving_at_block"], erin["ended_at_block"]) == (
        "leaving", 470_000, None,
    )  # fmt: skip
    assert workers["storageWorkingGroup-2"]["reward_per_block"] == str(joy(0.25))
    assert workers["forumWorkingGroup-0"]["is_lead"] == 1  # fired, no lead hired after him
    handles = {r["id"]: r["handle"] for r in store.read_rows(path, "members")}
    assert handles["903"] == "storage_dave" and handles["515"] == "l1dev"
    events = store.read_rows(path, "working_group_events")
    kinds = {}
    for row in events:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + 1
    assert kinds == {
        "opening_filled": 14, "terminated_worker": 2, "terminated_leader": 1, "worker_exited": 1,
        "worker_started_leaving": 2, "leader_set": 10, "leader_unset": 2, "budget_set": 1,
        "budget_updated": 11, "budget_spending": 1, "reward_paid": 18, "stake_slashed": 1,
        "worker_reward_updated": 1, "missed_reward_level": 2,
    }  # fmt: skip
    # The query node gives a lead's termination twice under one id: both rows are kept.
    fired = [r for r in events if r["event_id"] == "OLYMPIA-430000-2"]
    assert sorted(r["kind"] for r in fired) == ["terminated_leader", "terminated_worker"]
    missed = [r for r in events if r["payment_type"] == "MISSED"]
    assert [(r["worker_id"], r["member_id"], r["amount"]) for r in missed] == [
        ("forumWorkingGroup-1", "911", str(joy(2_000)))
    ]
    cut = next(r for r in events if r["kind"] == "budget_updated" and r["block"] == 450_000)
    assert cut["amount"] == str(joy(-10_000)) and cut["worker_id"] is None


def test_refresh_reads_new_events_from_the_newest_cached_block(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    chain = wg_chain()
    with QueryNodeServer(_records(chain)) as server:
        fetch.refresh(server.url, path, **FAST)
        chain.pay("forumWorkingGroup-1", 500_000, joy(2_000))
        chain.terminate("storageWorkingGroup-2", 500_000)
        server.set_data(_records(chain))
        server.requests.clear()
        fetch.refresh(server.url, path, **FAST)
        asked = {r.operation_name: r.variables.get("where") for r in server.requests if r.variables}
    assert asked["RewardsPaidPage"] == {"inBlock_gte": 440_000}
    assert asked["BudgetSetsPage"] == {"inBlock_gte": 6_000}
    assert asked.get("WorkersPage") is None  # workers are read whole
    assert store.read_meta(path)["refresh_mode"] == "incremental"
    rows = store.read_rows(path, "working_group_events", "kind = ?", ["reward_paid"])
    assert len(rows) == 19
    carol = store.read_rows(path, "workers", "id = ?", ["storageWorkingGroup-2"])[0]
    assert (carol["status"], carol["ended_at_block"]) == ("terminated", 500_000)


def test_a_cache_without_the_working_group_tables_reads_them_empty(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    store.write_cache(path, {}, {"source": "old"})
    with sqlite3.connect(path) as conn:
        for table in ("working_groups", "workers", "working_group_events"):
            conn.execute(f"drop table {table}")
    loaded = data.load(path)
    assert loaded.workers.empty and "reward_per_block_joy" in loaded.workers.columns
    assert loaded.working_group_events.empty and "amount_joy" in loaded.working_group_events
    assert data.refresh_window(path, "mainnet") is None  # no rounds: a full fetch


def test_a_worker_with_an_unknown_status_is_named() -> None:
    records = wg_chain().records()
    records["workers"][0]["status"] = {"__typename": "WorkerStatusRetired"}
    with pytest.raises(MalformedRecord, match="worker storageWorkingGroup-0: unknown status"):
        records_to_rows(records, "mainnet")
    records = wg_chain().records()
    records["rewardPaidEvents"][0]["amount"] = "12abc"
    with pytest.raises(MalformedRecord, match="amount is not a number"):
        records_to_rows(records, "mainnet")
