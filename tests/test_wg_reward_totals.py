"""The derived working-group reward totals (``working_group_reward_totals``, written with the
cache): the Working groups page's figures from the sums (``data.load_wg_page_events``) equal
those from every payment row (``data.load_wg_events``) on the test query node's cache and on
a generated one; the bucket rules on a small hand-made table; an older cache without the
table reads every payment as a row."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
import sqlite_utils
from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records
from wg_records import wg_chain

from council import data, fetch, store
from council.stats import leaderboard
from council.synthetic import add_working_groups, write_synthetic_cache
from council.working_groups import reward_totals, stats, views
from council.working_groups.reward_totals import REWARD_TOTALS

HAPI = 10**10


@pytest.fixture(scope="module")
def qn_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wg_totals_qn") / "c.db"
    records = {**load_records(SMALL_FIXTURE), **wg_chain().records()}
    with QueryNodeServer(records) as server:
        fetch.refresh(server.url, path, timeout=5, retries=0, backoff=0)
    return path


@pytest.fixture(scope="module")
def generated_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated cache with working groups added afterwards (as the bench caches are)."""
    path = tmp_path_factory.mktemp("wg_totals_gen") / "c.db"
    write_synthetic_cache(path, rounds=12, candidates=60, votes=300, seed=3)
    add_working_groups(path, workers=200, rewards=3_000, seed=3)
    return path


def _sums_match_rows(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        by_rows = conn.execute(
            "select group_id, count(*), group_concat(amount) from working_group_events "
            "where kind = 'reward_paid' group by group_id order by group_id"
        ).fetchall()
        by_sums = conn.execute(
            f"select group_id, sum(payments), group_concat(amount) from {REWARD_TOTALS} "
            "group by group_id order by group_id"
        ).fetchall()

    def exact(rows: list[tuple]) -> list[tuple]:
        return [(g, n, sum(int(a) for a in amounts.split(","))) for g, n, amounts in rows]

    assert exact(by_sums) == exact(by_rows) and by_rows


@pytest.mark.parametrize("which", ["qn_cache", "generated_cache"])
def test_the_page_figures_from_the_sums_equal_those_from_every_row(which, request) -> None:
    path = request.getfixturevalue(which)
    _sums_match_rows(path)
    d = data.load(path).for_network("mainnet")
    terms = leaderboard.terms(d.councils)
    rows = views.prepare(stats.frames_of(d, data.load_wg_events(path, "mainnet")), terms)
    sums = views.prepare(stats.frames_of(d, data.load_wg_page_events(path, "mainnet")), terms)
    if which == "generated_cache":  # payments really summed (several a day)
        assert len(sums.frames.events) < len(rows.frames.events) * 0.8
    for name in ("per_term", "over_time"):
        pd.testing.assert_frame_equal(getattr(sums, name), getattr(rows, name), rtol=1e-12)
    assert (sums.groups, sums.basis.newest) == (rows.groups, rows.basis.newest)
    n = sorted(set(terms["term"]))
    for term_range in {(n[0], n[-1]), (n[0], n[0]), (n[-1], n[-1]), (n[1], n[-2])}:
        a, b = views.range_view(sums, term_range), views.range_view(rows, term_range)
        pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)
        assert a.totals == pytest.approx(b.totals, rel=1e-12)
        assert a.budget_chart is not None and b.budget_chart is not None
        assert a.chart_note == b.chart_note
    group = stats.group_ids(rows.frames)[0]
    own = data.load_wg_rewards(path, "mainnet", group)
    mine, theirs = views.group_view(sums, group, own), views.group_view(rows, group)
    for a_table, b_table in zip(mine, theirs, strict=True):
        pd.testing.assert_frame_equal(a_table, b_table)


def test_an_older_cache_without_the_sums_reads_every_payment(qn_cache: Path, tmp_path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(qn_cache, old)
    with sqlite3.connect(old) as conn:
        conn.execute(f"drop table {REWARD_TOTALS}")
    pd.testing.assert_frame_equal(
        data.load_wg_page_events(old, "mainnet"), data.load_wg_events(old, "mainnet")
    )
    assert data.load_wg_page_events(tmp_path / "absent.db", "mainnet").empty
    assert reward_totals.main([str(old)]) == 0  # built in place: the sums again
    pd.testing.assert_frame_equal(
        data.load_wg_page_events(old, "mainnet"), data.load_wg_page_events(qn_cache, "mainnet")
    )
    assert reward_totals.main([str(tmp_path / "absent.db")]) == 2


def _event(kind: str, block: int, index: int, worker: str | None, joy: int | None = None):
    time = pd.Timestamp("2024-01-01", tz="UTC") + pd.Timedelta(minutes=10 * block)
    return {
        "network": "mainnet", "id": f"{kind}-{block}-{index}", "kind": kind,
        "event_id": f"E-{block}-{index}", "group_id": "g", "worker_id": worker,
        "amount": None if joy is None else str(joy),
        "block": block, "time": time.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    }  # fmt: skip


def test_the_bucket_rules(tmp_path: Path) -> None:
    """144 blocks a day (10 minutes each); terms from block 100 and 300; a budget set at
    block 150 between two payments of that block; L was named lead."""
    big = 10**19  # above 2**63: summed exactly
    events = [
        _event("budget_set", 90, 0, None, 1_000 * HAPI),
        _event("leader_set", 91, 0, "L"),
        _event("reward_paid", 95, 0, "w1", HAPI),  # the group's first payment: its own row
        _event("reward_paid", 96, 0, "w1", big),
        _event("reward_paid", 97, 1, "w2", big),  # with 96: one bucket
        _event("reward_paid", 97, 0, "L", 7 * HAPI),  # ever lead: its own row
        _event("reward_paid", 120, 0, "w1", 2 * HAPI),  # term from 100
        _event("reward_paid", 143, 0, "w2", 3 * HAPI),  # day 0 with 120
        _event("reward_paid", 144, 0, "w2", 4 * HAPI),  # day 1
        _event("reward_paid", 150, 0, "w1", 5 * HAPI),  # day 1, before the set
        _event("budget_set", 150, 1, None, 500 * HAPI),
        _event("reward_paid", 150, 2, "w2", 6 * HAPI),  # after the set
        _event("reward_paid", 299, 0, "w1", None),  # no amount recorded
    ]
    path = tmp_path / "hand.db"
    db = sqlite_utils.Database(path)
    store.create_schema(db)
    store.insert_rows(
        db,
        {
            "working_group_events": events,
            "councils": [
                {"network": "mainnet", "id": "1", "elected_at_block": 100, "ended_at_block": 300},
                {"network": "mainnet", "id": "2", "elected_at_block": 300},
            ],
        },
    )
    with db.conn:
        store.write_wg_reward_totals(db.conn)
    rows = db.execute(
        f"select worker_id, event_id, block, first_block, payments, amount from {REWARD_TOTALS} "
        "order by block, event_id"
    ).fetchall()
    db.close()
    assert rows == [
        ("w1", "E-95-0", 95, 95, 1, str(HAPI)),
        ("L", "E-97-0", 97, 97, 1, str(7 * HAPI)),
        (None, "E-97-1", 97, 96, 2, str(2 * big)),
        (None, "E-143-0", 143, 120, 2, str(5 * HAPI)),
        (None, "E-150-0", 150, 144, 2, str(9 * HAPI)),
        (None, "E-150-2", 150, 150, 1, str(6 * HAPI)),
        (None, "E-299-0", 299, 299, 1, None),
    ]


def test_a_long_history_binned_on_the_budget_chart(tmp_path: Path) -> None:
    """One group over 2,100 days (the chart bins them two days a bin: 2,000 points at most),
    a payment every 17 hours from day 0, a top-up every 50 days from day 3 and a term every 100
    days: the page's figures from the sums equal those from every row."""
    day = 144  # blocks (10 minutes each)
    events = [
        _event("budget_updated", b, 0, None, 10**6 * HAPI)
        for b in range(3 * day, 2_100 * day, 50 * day)
    ]
    events += [
        _event("reward_paid", b, 1, f"w{b % 3}", (b % 7 + 1) * HAPI)
        for b in range(day // 2, 2_100 * day, 102)
    ]
    councils = [
        {"network": "mainnet", "id": str(n), "elected_in_cycle_id": n,
         "elected_at_block": n * 100 * day, "ended_at_block": (n + 1) * 100 * day}
        for n in range(21)
    ]  # fmt: skip
    path = tmp_path / "long.db"
    db = sqlite_utils.Database(path)
    store.create_schema(db)
    store.insert_rows(db, {"working_group_events": events, "councils": councils})
    store.write_meta(db, {"schema_version": store.SCHEMA_VERSION})
    with db.conn:
        store.write_wg_reward_totals(db.conn)
    db.close()
    d = data.load(path).for_network("mainnet")
    terms = leaderboard.terms(d.councils)
    rows = views.prepare(stats.frames_of(d, data.load_wg_events(path, "mainnet")), terms)
    sums = views.prepare(stats.frames_of(d, data.load_wg_page_events(path, "mainnet")), terms)
    assert len(sums.frames.events) < len(rows.frames.events) / 2
    assert len(rows.over_time) < 2_100  # binned
    for name in ("per_term", "over_time"):
        pd.testing.assert_frame_equal(getattr(sums, name), getattr(rows, name), rtol=1e-12)
    for term_range in [(0, 20), (3, 3), (5, 17)]:
        a, b = views.range_view(sums, term_range), views.range_view(rows, term_range)
        pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)
    assert a.summary["Lead"].tolist() == ["no lead"]
