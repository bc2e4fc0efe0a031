"""First start of a fresh install: the cache is built from the bundled snapshot, once."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path, PurePosixPath

import pytest
from apptest_pages import run_page

from council import first_start, locations, refresh_state, snapshot, store

ROOT = Path(__file__).resolve().parents[1]


def test_two_first_visitors_build_the_cache_once(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "council.db"  # not even the folder exists yet
    results: list[bool] = []
    start = threading.Barrier(3)

    def visit() -> None:
        start.wait()
        results.append(first_start.build_if_absent(db))

    visitors = [threading.Thread(target=visit) for _ in range(3)]
    for visitor in visitors:
        visitor.start()
    for visitor in visitors:
        visitor.join()
    assert sorted(results) == [False, False, True]
    meta = store.read_meta(db)
    assert meta["source"] == "bundled snapshot"
    assert meta["snapshot_digest"] == snapshot.snapshot_digest()
    assert snapshot.cache_is_current(db)


def test_an_existing_cache_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "council.db"
    db.write_bytes(b"not ours")
    assert first_start.build_if_absent(db) is False
    assert db.read_bytes() == b"not ours"


def test_a_build_waits_for_the_lock_and_then_says_busy(tmp_path: Path) -> None:
    db = tmp_path / "council.db"
    with refresh_state.refresh_lock(db), pytest.raises(refresh_state.RefreshBusy):
        first_start.build_if_absent(db, wait=0.1)
    assert not db.exists()


def test_every_bundled_file_ships_as_package_data() -> None:
    """pyproject's package-data patterns (through the council/bundled link) cover data/snapshot
    and the starter files, so an installed copy has what a checkout has."""
    assert (ROOT / "council" / "bundled").resolve() == (ROOT / "data").resolve()
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["council"]
    bundled = [
        f"bundled/{path.relative_to(ROOT / 'data').as_posix()}"
        for path in (ROOT / "data" / "snapshot").rglob("*")
        if path.is_file()
    ]
    bundled += ["bundled/kpis.csv", "bundled/spending_proposal_categories.csv"]
    missing = [f for f in bundled if not any(_glob_match(f, p) for p in patterns)]
    assert missing == []
    assert len(bundled) > 30
    assert not any(_glob_match("bundled/council.db", p) for p in patterns)


def _glob_match(path: str, pattern: str) -> bool:
    """setuptools' package-data glob: '*' stays within one folder."""
    pure = PurePosixPath(path)
    return len(pure.parts) == len(PurePosixPath(pattern).parts) and pure.match(pattern)


def test_a_checkout_reads_and_writes_its_data_folder() -> None:
    assert locations.in_source_checkout()
    assert locations.bundled_data_dir() == ROOT / "data"
    assert snapshot.DEFAULT_SNAPSHOT_DIR == ROOT / "data" / "snapshot"


def test_the_first_visit_builds_the_cache_and_shows_its_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "council.db"
    at = run_page("app_pages/overview.py", db, monkeypatch)
    assert store.read_meta(db)["source"] == "bundled snapshot"
    sidebar = " ".join(str(getattr(node, "value", "")) for node in at.sidebar)
    assert "No data cache yet" not in sidebar
    assert "Source: bundled snapshot" in sidebar
