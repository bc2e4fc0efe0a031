"""The derived table of working-group reward payments summed per bucket (``REWARD_TOTALS``).

Reward payments are nearly all of ``working_group_events`` (200,000 rows at 100x mainnet); the
Working groups page needs them only as budget movements, and reads balances only at term
boundaries and at the end of each bin of its budget chart. So the payments of workers never
named lead are summed per bucket: one group, one bin of the budget chart
(``stats.budget_over_time``: days binned so that the chart has at most ``stats.CHART_POINTS``
points), one council term (the blocks between two of the ``councils`` table's elected/ended
blocks), between the same two budget sets of the group (a budget set replaces the balance, so
it must keep its place among the rewards). Each bucket is one row at its last payment (block,
event id, time), so that it sorts where that payment sorts; the amount is the exact HAPI sum.
Each group's first payment stays a row of its own (the chart's bins count from the first day
with a movement), and so does every payment to a worker who was ever lead (named by a
LeaderSet, or flagged lead): whether it is a lead reward depends on its block. Replayed as
``reward_paid`` events, the buckets give the page's budget figures, up to the last bits of a
float sum (the page adds JOY floats; a bucket is the exact HAPI sum, made a float once).

Rebuilt with the cache on every write (``council.store.atomic_cache``); ``python -m
council.working_groups.reward_totals CACHE`` builds it in a cache written before it existed.
"""

from __future__ import annotations

import bisect
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

from council.working_groups.stats import BUDGET_KINDS, CHART_POINTS, chart_step

REWARD_TOTALS = "working_group_reward_totals"
COLUMNS = (
    "network", "id", "group_id", "worker_id", "event_id", "block", "time", "first_block",
    "payments", "amount",
)  # fmt: skip
_CREATE = f"""
    create table {REWARD_TOTALS} (
        network text, id text, group_id text, worker_id text, event_id text, block integer,
        time text, first_block integer, payments integer, amount text,
        primary key (network, id)
    )"""


def _index_in_block(event_id: object) -> int:
    """``OLYMPIA-123-4`` -> 4 (0 without such a suffix), as ``stats._index_in_block``."""
    tail = str(event_id).rpartition("-")[2]
    return int(tail) if tail.isdigit() else 0


CHUNK = 20_000  # rows read at a time: the payments are never all in memory at once


def _values(conn: sqlite3.Connection, sql: str) -> list[tuple]:
    return conn.execute(sql).fetchall()


def _chunks(conn: sqlite3.Connection, sql: str) -> Iterator[list[tuple]]:
    """The rows of ``sql`` in lists of at most :data:`CHUNK` (a full fetch's memory must not
    grow with the history: at 100x the payments are 200,000 rows)."""
    cursor = conn.execute(sql)
    while rows := cursor.fetchmany(CHUNK):
        yield rows


def _days(times: list) -> list[int | None]:
    """The UTC day of each ISO time (days since 1970; None without one), as the page floors
    them."""
    parsed = pd.to_datetime(pd.Series(times, dtype=object), utc=True, errors="coerce",
                            format="ISO8601")  # fmt: skip
    days = (parsed.dt.floor("D") - pd.Timestamp(0, tz="UTC")).dt.days.to_numpy(float)
    return [None if d != d else int(d) for d in days.tolist()]  # NaN != NaN


def _chart_bins(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Per network, the first day and the days per bin of the budget chart
    (``stats.budget_over_time`` over every budget movement)."""
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    groups: dict[str, set] = {}
    kinds = ", ".join(repr(k) for k in BUDGET_KINDS)
    sql = f"select network, group_id, time from working_group_events where kind in ({kinds})"
    for rows in _chunks(conn, sql):
        for (network, group, _), day in zip(rows, _days([r[2] for r in rows]), strict=True):
            seen = groups.setdefault(network, set())
            if group is not None:  # as pandas' nunique counts them
                seen.add(group)
            if day is not None:
                first[network] = min(first.get(network, day), day)
                last[network] = max(last.get(network, day), day)
    out = {}
    epoch = pd.Timestamp(0, tz="UTC")
    for network, seen in groups.items():
        if network not in first:
            out[network] = (0, 1)
            continue
        first_day, last_day = (
            epoch + pd.Timedelta(days=d) for d in (first[network], last[network])
        )
        out[network] = (first[network], chart_step(first_day, last_day, len(seen), CHART_POINTS))
    return out


def _first_payments(conn: sqlite3.Connection) -> dict[tuple, tuple[int, int]]:
    """Each group's first payment (chain position), per (network, group)."""
    firsts: dict[tuple, tuple[int, int]] = {}
    sql = (
        "select network, group_id, block, event_id from working_group_events"
        " where kind = 'reward_paid'"
    )
    for network, group, block, event_id in conn.execute(sql):
        if block is not None:
            position = (block, _index_in_block(event_id))
            firsts[network, group] = min(firsts.get((network, group), position), position)
    return firsts


def reward_total_rows(conn: sqlite3.Connection) -> list[tuple]:
    """The rows of ``REWARD_TOTALS`` (``COLUMNS`` order) from the cache's tables, reading the
    payments a chunk at a time."""
    firsts = _first_payments(conn)  # each group's first payment stays apart
    if (
        not firsts
        and not conn.execute(
            "select 1 from working_group_events where kind = 'reward_paid' limit 1"
        ).fetchone()
    ):
        return []
    bounds: dict[str, list[int]] = {}
    for network, block in _values(
        conn,
        "select network, elected_at_block from councils where elected_at_block is not null "
        "union select network, ended_at_block from councils where ended_at_block is not null",
    ):
        bounds.setdefault(network, []).append(int(block))
    for blocks in bounds.values():
        blocks.sort()
    leads = set(
        _values(
            conn,
            "select network, worker_id from working_group_events "
            "where kind = 'leader_set' and worker_id is not null "
            "union select network, id from workers where is_lead",
        )
    )
    sets: dict[tuple, list[tuple[int, int]]] = {}
    for network, group, block, event_id in _values(
        conn,
        "select network, group_id, block, event_id from working_group_events "
        "where kind = 'budget_set'",
    ):
        sets.setdefault((network, group), []).append((block, _index_in_block(event_id)))
    for positions in sets.values():
        positions.sort()
    bins = _chart_bins(conn)
    buckets: dict[tuple, list] = {}
    sql = (
        "select network, id, group_id, worker_id, event_id, block, time, amount "
        "from working_group_events where kind = 'reward_paid'"
    )
    for rewards in _chunks(conn, sql):
        days = _days([row[6] for row in rewards])
        for n, (network, row_id, group, worker, event_id, block, time, amount) in enumerate(
            rewards
        ):
            position = (block, _index_in_block(event_id))  # chain order
            if (network, worker) in leads or block is None or firsts[network, group] == position:
                key: tuple = (network, row_id)
            else:
                term = bisect.bisect_right(bounds.get(network, []), block)
                before = bisect.bisect_left(sets.get((network, group), []), position)
                first, step = bins[network]
                chart_bin = -1 if days[n] is None else (days[n] - first) // step
                key = (network, group, chart_bin, term, before)
                worker = None
            bucket = buckets.get(key)
            if bucket is None:  # last position, the last payment's row, first block, count, sum
                buckets[key] = [position, (row_id, group, worker, event_id, block, time), block,
                                1, None if amount is None else int(amount)]  # fmt: skip
                continue
            if position >= bucket[0]:
                bucket[0], bucket[1] = position, (row_id, group, worker, event_id, block, time)
            bucket[2] = min(bucket[2], block)
            bucket[3] += 1
            if amount is not None:
                bucket[4] = int(amount) + (bucket[4] or 0)
    return [
        (key[0], *last, first, count, None if total is None else str(total))
        for key, (_, last, first, count, total) in buckets.items()
    ]


def write_reward_totals(conn: sqlite3.Connection) -> None:
    """(Re)build ``REWARD_TOTALS`` from ``working_group_events`` (and ``councils``,
    ``workers``); a cache without those tables gets an empty one."""
    conn.execute(f"drop table if exists {REWARD_TOTALS}")
    conn.execute(_CREATE)
    try:
        rows: Iterable[tuple] = reward_total_rows(conn)
    except sqlite3.OperationalError:  # no working-group tables (a cache not from this code)
        rows = []
    marks = ", ".join("?" * len(COLUMNS))
    conn.executemany(f"insert into {REWARD_TOTALS} values ({marks})", rows)


def main(argv: list[str] | None = None) -> int:
    """``python -m council.working_groups.reward_totals CACHE``: (re)build the table in a cache
    written before it existed (e.g. a kept bench cache); the process exit code."""
    import argparse
    import contextlib

    parser = argparse.ArgumentParser(
        prog="python -m council.working_groups.reward_totals",
        description=f"(Re)build {REWARD_TOTALS} in an existing council cache, in place.",
    )
    parser.add_argument("cache", type=Path, help="the cache file (SQLite)")
    args = parser.parse_args(argv)
    if not args.cache.is_file():
        print(f"error: {args.cache} is not a file", file=sys.stderr)
        return 2
    try:
        with contextlib.closing(sqlite3.connect(args.cache)) as conn, conn:
            write_reward_totals(conn)
            count = conn.execute(f"select count(*) from {REWARD_TOTALS}").fetchone()[0]
    except sqlite3.Error as error:
        print(f"error: {args.cache}: {error}", file=sys.stderr)
        return 2
    print(f"{args.cache}: {REWARD_TOTALS} rebuilt, {count:,} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
