"""Working-group statistics, hand-worked (tests/wg_records.py's story, fetched from the test
query node, and small hand-made tables)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records
from wg_records import TERM_A, TERM_B_START, wg_chain

from council import data, fetch, report, report_mainnet
from council.working_groups import stats

STORAGE, FORUM = "storageWorkingGroup", "forumWorkingGroup"


@pytest.fixture(scope="module")
def wg_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wg") / "c.db"
    records = {**load_records(SMALL_FIXTURE), **wg_chain().records()}
    with QueryNodeServer(records) as server:
        fetch.refresh(server.url, path, timeout=5, retries=0, backoff=0)
    return path


@pytest.fixture(scope="module")
def frames(wg_cache: Path) -> stats.WGFrames:
    return stats.frames_of(data.load(wg_cache).for_network("mainnet"))


def _row(table: pd.DataFrame, group: str) -> dict:
    return table.set_index("group_id").loc[group].to_dict()


def test_term_a_per_group(frames: stats.WGFrames) -> None:
    table = stats.group_summary(frames, *TERM_A)
    assert list(table["group"]) == [
        "Storage", "Distribution", "Content", "Forum", "Membership", "Apps", "Builders", "HR",
        "Marketing",
    ]  # fmt: skip
    storage = _row(table, STORAGE)
    assert (storage["lead"], storage["lead_since_block"]) == ("storage_alice", 1_000)
    assert {k: storage[k] for k in ("workers", "hired", "terminated", "left")} == {
        "workers": 2, "hired": 1, "terminated": 1, "left": 0,
    }  # fmt: skip
    assert {k: storage[k] for k in ("budget_start", "refilled", "spending", "worker_rewards",
                                    "lead_rewards", "spent", "budget_end", "debt", "slashed")} == {
        "budget_start": 100_000, "refilled": 50_000, "spending": 2_000, "worker_rewards": 900,
        "lead_rewards": 2_000, "spent": 4_900, "budget_end": 145_100, "debt": 0, "slashed": 100,
    }  # fmt: skip
    forum = _row(table, FORUM)
    assert (forum["lead"], forum["workers"], forum["terminated"]) == ("forum_frank", 2, 0)
    assert (forum["budget_start"], forum["refilled"], forum["worker_rewards"]) == (10_000, 0, 2_000)
    assert (forum["lead_rewards"], forum["budget_end"], forum["debt"]) == (6_000, 2_000, 2_000)
    hr = _row(table, "operationsWorkingGroupBeta")
    assert (hr["lead"], hr["budget_start"], hr["lead_rewards"], hr["budget_end"]) == (
        "lead_5", 5_000, 100, 4_900,
    )  # fmt: skip


def test_term_b_per_group(frames: stats.WGFrames) -> None:
    table = stats.group_summary(frames, TERM_B_START, None)
    storage = _row(table, STORAGE)
    assert (storage["lead"], storage["lead_since_block"]) == ("storage_dave", 430_000)
    assert (storage["workers"], storage["hired"], storage["terminated"], storage["left"]) == (
        3, 2, 0, 1,
    )  # fmt: skip
    assert (storage["budget_start"], storage["refilled"], storage["spending"]) == (
        145_100, -10_000, 0,
    )  # fmt: skip
    assert (storage["worker_rewards"], storage["lead_rewards"], storage["budget_end"]) == (
        400, 1_200, 133_500,
    )  # fmt: skip
    assert storage["budget_now"] == storage["budget_end"]  # the query node agrees
    forum = _row(table, FORUM)
    assert pd.isna(forum["lead"]) and (forum["workers"], forum["terminated"]) == (1, 1)
    assert (forum["budget_start"], forum["refilled"], forum["worker_rewards"]) == (
        2_000, 20_000, 4_000,
    )  # fmt: skip
    assert (forum["lead_rewards"], forum["budget_end"], forum["debt"]) == (0, 18_000, 0)
    assert forum["budget_now"] == 18_000


def test_term_tables_for_the_report(frames: stats.WGFrames) -> None:
    workers, budgets = stats.term_tables(frames, *TERM_A)
    assert list(workers.columns) == ["group_id", "group", "headcount", "hired", "fired", "left"]
    assert _row(workers, STORAGE) == {
        "group": "Storage", "headcount": 2, "hired": 1, "fired": 1, "left": 0,
    }  # fmt: skip
    identity = budgets["budget_start"] + budgets["refilled"] - budgets["spent"]
    assert (identity - budgets["budget_end"]).abs().max() < 1e-6
    assert _row(budgets, FORUM)["debt"] == 2_000


def test_the_mainnet_term_report_shows_the_term_tables(wg_cache: Path) -> None:
    sources = report.load_sources(wg_cache, "mainnet")
    term = report.Term(1, "c", None, TERM_A[0], None, TERM_A[1], None)
    text = report_mainnet._working_group_sections(sources, term)
    assert "| Storage | 2 | 1 | 1 | 0 |" in text
    storage = "| Storage | 100,000 | 50,000 | 4,900 | 900 | 2,000 | 145,100 | 0 | not recorded |"
    forum = "| Forum | 10,000 | 0 | 8,000 | 2,000 | 6,000 | 2,000 | 2,000 | not recorded |"
    assert storage in text and forum in text


def test_per_term_headcount_and_spending(frames: stats.WGFrames) -> None:
    terms = pd.DataFrame(
        {"term": [1, 2], "start_block": [TERM_A[0], TERM_B_START],
         "end_block": [TERM_A[1] + 1, float("inf")]}
    )  # fmt: skip
    table = stats.per_term(frames, terms).set_index(["term", "group_id"])
    assert table.loc[(1, STORAGE), "spent"] == 4_900
    assert table.loc[(2, STORAGE), "spent"] == 1_600
    assert table.loc[(2, FORUM), "workers"] == 1
    assert table.loc[(1, FORUM), "spent"] == 8_000


def test_lead_history_and_group_detail(frames: stats.WGFrames) -> None:
    history = stats.lead_history(frames)
    storage = history[history["group_id"] == STORAGE]
    assert list(storage["handle"]) == ["storage_alice", "storage_dave"]
    assert list(storage["until_block"].fillna(-1)) == [420_000, -1]
    assert list(storage["ended"].fillna("")) == ["left", ""]
    forum = history[history["group_id"] == FORUM].iloc[0]
    assert (forum["handle"], forum["until_block"], forum["ended"]) == (
        "forum_frank", 430_000, "terminated",
    )  # fmt: skip
    workers = stats.group_workers(frames, STORAGE)
    assert list(workers["handle"]) == [
        "storage_erin", "storage_dave", "storage_carol", "storage_bob", "storage_alice",
    ]  # fmt: skip
    carol = workers.set_index("handle").loc["storage_carol"]
    assert (carol["reward_per_block"], carol["reward_per_day"]) == (0.25, 3_600)
    assert not carol["lead"] and workers.set_index("handle").loc["storage_alice", "lead"]
    assert list(workers["current_lead"]) == [False, True, False, False, False]
    events = stats.group_events(frames, FORUM)
    assert list(events["event"])[-6:] == [
        "budget updated by the council", "reward paid", "missed reward level",
        "lead terminated", "lead unset", "reward paid",
    ]  # fmt: skip
    fired = events[events["block"] == 430_000]["event"].tolist()
    assert fired == ["lead terminated", "lead unset"]  # listed once, not twice


def _frames(events: list[tuple], workers: list[tuple] = ()) -> stats.WGFrames:
    ev = pd.DataFrame(
        events, columns=["kind", "group_id", "worker_id", "amount_joy", "block", "event_id"]
    )
    ev["member_id"] = None
    ev["time"] = pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta(ev["block"] * 6, "s")
    ev["payment_type"] = None
    ev["rationale"] = None
    w = pd.DataFrame(
        list(workers),
        columns=["id", "group_id", "member_id", "is_lead", "status", "hired_at_block",
                 "ended_at_block"],
    )  # fmt: skip
    groups = pd.DataFrame(columns=["id", "name", "budget_joy", "leader_worker_id"])
    members = pd.DataFrame(columns=["id", "handle"])
    return stats.WGFrames(groups, w, ev, members)


def test_a_budget_set_replaces_the_balance() -> None:
    f = _frames(
        [
            ("budget_updated", "g", None, 100.0, 10, "X-10-0"),
            ("reward_paid", "g", "w", 30.0, 20, "X-20-0"),
            ("budget_set", "g", None, 500.0, 30, "X-30-0"),  # +430
            ("budget_spending", "g", None, 50.0, 40, "X-40-0"),
            ("budget_set", "g", None, 200.0, 40, "X-40-1"),  # after the spending: -250
        ],
        [("w", "g", "1", False, "active", 5, None)],
    )
    changes = stats.budget_changes(f)
    assert list(changes["balance"]) == [100, 70, 500, 450, 200]
    assert list(changes["delta"]) == [100, -30, 430, -50, -250]
    row = stats.group_summary(f, 15, 40).iloc[0]
    assert (row["budget_start"], row["refilled"], row["spent"], row["budget_end"]) == (
        100, 180, 80, 200,
    )  # fmt: skip


def test_debt_counts_workers_still_in_the_role() -> None:
    f = _frames(
        [
            ("missed_reward_level", "g", "a", 10.0, 10, "X-10-0"),
            ("missed_reward_level", "g", "b", 7.0, 10, "X-10-1"),
            ("missed_reward_level", "g", "a", 25.0, 20, "X-20-0"),
            ("missed_reward_level", "g", "a", 0.0, 40, "X-40-0"),  # paid
        ],
        [("a", "g", "1", False, "active", 1, None), ("b", "g", "2", False, "left", 1, 30)],
    )
    assert stats.debt_at(f, ["g"], 20).tolist() == [32]
    assert stats.debt_at(f, ["g"], 35).tolist() == [25]  # b left: owes nothing more here
    assert stats.debt_at(f, ["g"], 40).tolist() == [0]


def test_no_working_group_data_gives_empty_tables(tmp_path: Path) -> None:
    f = stats.frames_of(data.load(tmp_path / "absent.db"))
    assert f.is_empty
    workers, budgets = stats.term_tables(f, 0, 100)
    assert workers.empty and budgets.empty and "budget_end" in budgets.columns


def test_budget_over_time_bins_days_to_the_point_limit() -> None:
    days = pd.date_range("2024-01-01 12:00", periods=10, freq="D", tz="UTC")
    changes = pd.DataFrame(
        {"group_id": "forumWorkingGroup", "block": range(10), "time": days,
         "balance": [float(b) for b in range(10)]}
    )  # fmt: skip
    daily = stats.budget_over_time(changes, max_points=20)
    assert len(daily) == 10 and set(daily["group"]) == {"Forum"}
    binned = stats.budget_over_time(changes, max_points=5)  # 2 days a point, last balance
    assert binned["budget"].tolist() == [1, 3, 5, 7, 9]
    assert binned["day"].dt.day.tolist() == [1, 3, 5, 7, 9]


def test_per_term_charts_keep_the_latest_terms(frames: stats.WGFrames) -> None:
    from council.working_groups import views

    many = pd.DataFrame(
        {"term": range(1, 71), "start_block": [i * 10_000 for i in range(70)],
         "end_block": [(i + 1) * 10_000 for i in range(69)] + [float("inf")]}
    )  # fmt: skip
    view = views.page_view(views.prepare(frames, many), (1, 70), None)
    assert "latest 60 terms of the range (11–70)" in view.chart_note
    bars = view.spending_chart["datasets"]
    assert {row["term"] for rows in bars.values() for row in rows} == set(range(11, 71))


def test_block_and_date_cells_when_no_worker_has_ended() -> None:
    """A group whose workers are all still in the role has no end block at all (the page
    crashed on it once): every cell reads '–'."""
    from council.working_groups import views

    none_ended = views._when(pd.Series([float("nan")] * 2), pd.Series([None, None]))
    assert none_ended == ["–", "–"]
    mixed = views._when(
        pd.Series([float("nan"), 2_408_400.0, 5.0]),
        pd.Series([None, "2021-10-15T00:00:00Z", None]),
    )
    assert mixed == ["–", "#2,408,400 · 2021-10-15", "#5"]
