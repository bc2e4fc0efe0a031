"""Shared pytest fixtures.

``tests/`` has no ``__init__.py``; pytest's default (prepend) import mode puts it on
``sys.path`` for this conftest and the test modules. The explicit inserts below keep
``from qn_server import ...`` working under ``--import-mode=importlib`` too, and make
``import council`` work when the project is not pip-installed (plain ``.venv/bin/pytest``).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
for _path in (TESTS_DIR, TESTS_DIR.parent):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records  # noqa: E402

# Pages run in this process (AppTest) compute only what they ask for: a background warm-up
# per cache would add its CPU to every test. Servers the tests start warm up (serve_app).
os.environ["COUNCIL_WARM_UP"] = "0"

from council.snapshot import build_cache_from_snapshot  # noqa: E402


@pytest.fixture
def qn_server() -> Iterator[QueryNodeServer]:
    """A fresh query node on 127.0.0.1 serving ``tests/fixtures/qn_small.json``."""
    with QueryNodeServer(load_records(SMALL_FIXTURE)) as server:
        yield server


@pytest.fixture(autouse=True)
def _no_test_touches_the_working_trees_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point the cache and the upload store at a fresh folder for every test.

    Pages read $COUNCIL_DB and $COUNCIL_UPLOADS_DB (defaults: data/council.db, data/uploads.db);
    reading the upload store creates it. Without this, AppTests left an empty data/uploads.db
    (and could touch a developer's real uploads). Tests that need other paths set their own.
    """
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("COUNCIL_DB", str(folder / "council.db"))
    monkeypatch.setenv("COUNCIL_UPLOADS_DB", str(folder / "uploads.db"))


@pytest.fixture(scope="session")
def snapshot_copy(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A fresh copy of the cache built from the bundled snapshot: ``snapshot_copy("name")``.

    The cache is built once per test run (once per xdist worker), on first use, and each call
    copies it to ``<new tmp folder "name">/council.db``, so a test may change its copy. A build
    takes seconds; a copy, milliseconds. The build itself is tested in tests/test_snapshot.py.
    """
    built = tmp_path_factory.mktemp("bundled-snapshot") / "council.db"
    build_cache_from_snapshot(built)

    def copy(name: str) -> Path:
        path = tmp_path_factory.mktemp(name) / "council.db"
        shutil.copyfile(built, path)
        return path

    return copy


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser test files first, each file's tests kept together and in order.

    A browser file is the longest unit of work (one server, many page loads): under
    ``make test`` (pytest-xdist, ``--dist loadfile --no-loadscope-reorder``) the workers start
    on them while the many short files fill the gaps, instead of one worker running a long
    browser file alone at the end.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is None)
