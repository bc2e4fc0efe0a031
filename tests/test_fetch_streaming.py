"""A full fetch streams its pages into the new cache, and writes the cache the whole-list
conversion wrote before it streamed. (A refresh with nothing new costing two requests is
checked in test_incremental.py.)"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records
from wg_records import wg_chain

from council import fetch, store
from council.archive import supersede as archive_supersede
from council.synthetic import generate_records
from council.transform import records_to_rows

NETWORK = "mainnet"
FAST = {"timeout": 10, "retries": 0, "backoff": 0}


def whole_conversion_cache(records: dict, old: Path | None, path: Path) -> None:
    """The cache a full fetch of ``records`` wrote before streaming (the pre-streaming code):
    every list converted at once, the old cache's other networks kept, its archive rows of
    the network resolved against the fetched ones, and all of it written in one go."""
    rows = records_to_rows(records, NETWORK)
    kept: dict[str, list[dict]] = {}
    if old is not None:
        kept = {t: store.read_rows(old, t, "network != ?", [NETWORK]) for t in store.TABLES}
        archive = {
            t: [
                r
                for r in store.read_rows(old, t, "network = ?", [NETWORK])
                if archive_supersede.is_archive_row(t, r, NETWORK)
            ]
            for t in archive_supersede.TABLES
        }
        if any(archive.values()):
            merged = {t: rows.get(t, []) + archive[t] for t in archive_supersede.TABLES}
            rows.update(archive_supersede.resolve(merged, NETWORK))
    store.write_cache(path, {t: kept.get(t, []) + rows.get(t, []) for t in store.TABLES}, {})


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table but meta (the derived vote totals too), rows sorted."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        tables = [
            name
            for (name,) in conn.execute("select name from sqlite_master where type = 'table'")
            if name != store.META_TABLE
        ]
        return {
            name: sorted(
                conn.execute(f"select * from {name}").fetchall(),
                key=lambda row: tuple((v is None, str(v)) for v in row),
            )
            for name in tables
        }


@pytest.mark.parametrize(
    ("data", "old", "page_size"),
    [("fixture", "none", 4), ("working groups", "none", 5), ("synthetic", "snapshot", 40)],
)
def test_a_streamed_full_fetch_writes_the_cache_the_whole_conversion_wrote(
    tmp_path: Path, snapshot_copy: Callable[[str], Path], data: str, old: str, page_size: int
) -> None:
    records = {
        "fixture": lambda: load_records(SMALL_FIXTURE),
        # Events name the worker, rows the member: looked up across lists, page by page.
        "working groups": lambda: {**load_records(SMALL_FIXTURE), **wg_chain().records()},
        "synthetic": lambda: generate_records(8, 60, 300),
    }[data]()
    streamed = tmp_path / "streamed" / "council.db"
    previous = None
    if old == "snapshot":  # testnet rounds kept, and the mainnet archive resolved
        streamed = snapshot_copy("streamed")
        previous = tmp_path / "previous.db"
        previous.write_bytes(streamed.read_bytes())
    expected = tmp_path / "expected.db"
    whole_conversion_cache(records, previous, expected)
    with QueryNodeServer(records) as server:
        stats = fetch.refresh(server.url, streamed, page_size=page_size, full=True, **FAST)
    assert stats.requests["castVotes"] >= 5, "many pages, so rows cross page boundaries"
    got, want = dump(streamed), dump(expected)
    assert set(got) == set(want)
    for table in want:
        assert got[table] == want[table], table
    assert sum(len(rows) for rows in want.values()) > 100
    if old == "snapshot":
        assert any(r[0] == "sumer" for r in want["election_rounds"]), "other networks kept"
