"""A cache path holding something other than a council cache in good order.

A directory, a file that is not SQLite, another application's SQLite file, and a council
cache missing a table or with unreadable pages: ``council.data`` raises a typed CacheError
naming the path and the problem, and every page of the app shows it once, as an error
without a traceback, never as "no data cache yet" (which an absent file is).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from apptest_pages import ALL_PAGES, run_page

from council import data, report, store

PAGES = ALL_PAGES
ROUNDS = [{"network": "mainnet", "cycle_id": 1, "round_id": "r1", "is_finished": 1}]


def a_directory(path: Path) -> None:
    path.mkdir()


def not_sqlite(path: Path) -> None:
    path.write_text("round,stake\n1,100\n")


def another_applications_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("create table notes (id integer primary key, text)")
        conn.execute("insert into notes (text) values ('hello')")


def sqlite_with_a_meta_table_of_another_kind(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("create table meta (key text primary key, value text)")
        conn.execute("insert into meta values ('owner', 'someone else')")


def without(table: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        store.write_cache(path, {"election_rounds": ROUNDS}, {"source": "hand-made"})
        with sqlite3.connect(path) as conn:
            conn.execute(f"drop table {table}")

    make.__name__ = f"without_{table}"
    return make


def truncated(path: Path) -> None:
    store.write_cache(path, {"election_rounds": ROUNDS}, {"source": "hand-made"})
    with path.open("r+b") as file:
        file.truncate(1500)


# (make the fault, the CacheError subclass, words of its message after the path)
FAULTS = [
    (a_directory, data.NotACouncilCache, "is not a council cache: it is a directory"),
    (not_sqlite, data.NotACouncilCache, "is not a council cache: it is not an SQLite database"),
    (
        another_applications_sqlite,
        data.NotACouncilCache,
        "is not a council cache: it is an SQLite database without the cache's meta table"
        " (another application's file?)",
    ),
    (
        sqlite_with_a_meta_table_of_another_kind,
        data.NotACouncilCache,
        "is not a council cache: its meta table records no schema_version",
    ),
    (without("votes"), data.DamagedCache, "is damaged: table votes is missing"),
    (without("candidates"), data.DamagedCache, "is damaged: table candidates is missing"),
    (truncated, data.DamagedCache, "is damaged: database disk image is malformed"),
]
FAULT_IDS = [make.__name__ for make, _, _ in FAULTS]


@pytest.mark.parametrize(("make", "kind", "words"), FAULTS, ids=FAULT_IDS)
def test_load_names_the_path_and_the_problem(
    make: Callable[[Path], None], kind: type, words: str, tmp_path: Path
) -> None:
    path = tmp_path / "council.db"
    make(path)
    with pytest.raises(kind) as failure:
        data.load(path)
    assert str(failure.value) == (
        f"the council cache {path} {words}" if kind is data.DamagedCache else f"{path} {words}"
    )
    with pytest.raises(kind):
        data.table_sizes(path)


def test_an_absent_or_empty_file_is_no_cache_yet(tmp_path: Path) -> None:
    assert data.load(tmp_path / "absent.db").is_empty
    (tmp_path / "empty.db").touch()
    assert data.load(tmp_path / "empty.db").is_empty
    assert set(data.table_sizes(tmp_path / "empty.db").values()) == {0}


def test_a_table_added_after_the_first_version_may_be_absent(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    store.write_cache(path, {"election_rounds": ROUNDS}, {"source": "hand-made"})
    with sqlite3.connect(path) as conn:
        conn.execute("drop table council_stage_updates")
    cache = data.load(path)
    assert cache.council_stage_updates.empty
    assert list(cache.rounds["cycle_id"]) == [1]
    assert data.table_sizes(path)["council_stage_updates"] == 0


def damaged_pages(path: Path) -> None:
    """A cache whose schema and meta read fine but whose rounds' pages are garbage."""
    rounds = [
        {"network": "mainnet", "cycle_id": n, "round_id": "r" * 200, "is_finished": 1}
        for n in range(2000)
    ]
    store.write_cache(path, {"election_rounds": rounds}, {"source": "hand-made"})
    with contextlib.closing(sqlite3.connect(path)) as conn:  # the schema's pages come first
        last_root = max(row[0] for row in conn.execute("select rootpage from sqlite_master"))
    with path.open("r+b") as file:  # past the root pages (tables, meta): rounds' leaves
        file.seek((last_root + 10) * 4096)
        file.write(b"\xff" * 20 * 4096)


def test_damage_found_when_a_table_is_read_raises_then(tmp_path: Path) -> None:
    path = tmp_path / "council.db"
    damaged_pages(path)
    cache = data.load(path)
    assert cache.meta["source"] == "hand-made"
    with pytest.raises(data.DamagedCache, match="database disk image is malformed"):
        cache.rounds  # noqa: B018


def shown_problem(at, path: Path) -> str:
    """The one error the page shows; checks it is not the "no cache yet" notice."""
    assert not any("No data cache yet" in w.value for w in at.warning)
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    assert str(path) in errors[0]
    return errors[0]


# app.py loads the cache (for the sidebar) before it runs any page, so a fault stops every page
# at the same point: each page with every fault would repeat the same run. Every page is run
# with one fault and every fault on at least one page (the faults taken in turn along the
# pages), so a page that reads the cache before app.py does, or a fault that slips through
# to a page, still fails here.
PAGE_FAULTS = [(page, *FAULTS[n % len(FAULTS)]) for n, page in enumerate(PAGES)] + [
    (PAGES[n % len(PAGES)], *FAULTS[n]) for n in range(len(PAGES), len(FAULTS))
]


@pytest.mark.parametrize(
    ("page", "make", "kind", "words"),
    PAGE_FAULTS,
    ids=[f"{page}-{make.__name__}" for page, make, _, _ in PAGE_FAULTS],
)
def test_every_page_shows_the_problem_once_without_a_traceback(
    page: str,
    make: Callable[[Path], None],
    kind: type,
    words: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "council.db"
    make(path)
    at = run_page(page, path, monkeypatch)
    message = shown_problem(at, path)
    assert message.startswith("**The data cache cannot be used.**")
    assert words in message
    assert not at.dataframe, "no table, empty or not, is shown from the file"


@pytest.mark.parametrize(
    "page", ["app_pages/overview.py", "app_pages/elections.py", "app_pages/about.py"]
)
def test_damage_found_while_a_page_reads_is_shown_without_a_traceback(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "council.db"
    damaged_pages(path)
    at = run_page(page, path, monkeypatch)
    assert "is damaged: database disk image is malformed" in shown_problem(at, path)


def test_the_term_report_command_says_what_is_wrong_in_one_line(tmp_path: Path, capsys) -> None:
    path = tmp_path / "council.db"
    another_applications_sqlite(path)
    assert report.main(["--term", "latest", "--db", str(path)]) == 1
    assert capsys.readouterr().err == (
        f"error: {path} is not a council cache: it is an SQLite database without the cache's"
        " meta table (another application's file?)\n"
    )


def test_every_missing_table_is_named(tmp_path: Path) -> None:
    path = tmp_path / "council.db"
    without("votes")(path)
    with sqlite3.connect(path) as conn:
        conn.execute("drop table members")
    with pytest.raises(data.DamagedCache, match=r"damaged: tables members, votes are missing$"):
        data.load(path)
