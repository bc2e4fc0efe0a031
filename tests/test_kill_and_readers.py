"""A refresh killed with SIGKILL, and pages reading the cache while refreshes swap it.

- ``python -m council.fetch`` killed with ``kill -9`` in the middle of paging, or while it
  writes the new cache: the old cache stays byte-for-byte as it was and readable, the lock
  file the dead process leaves behind does not block the next refresh (``filelock`` uses
  ``flock``, which the kernel releases when the process dies), and the next refresh lands the
  server's data and clears the temporary file the killed one left.
- Reader threads open the cache the way pages do (``council.data.load``, then ``.rounds``,
  ``.candidates``, ``.round_votes``) while the main thread refreshes it again and again from
  data that changes: every read succeeds and sees one whole version, never a mix or nothing.
"""

from __future__ import annotations

import hashlib
import os
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records

from council import data, fetch, refresh_state, store

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = load_records(SMALL_FIXTURE)
PAGE = 5
FAST = {"timeout": 10, "retries": 0, "backoff": 0}
OLD_ROUNDS = [
    {"network": "sumer", "cycle_id": 7, "is_finished": 1, "losers_recorded": 0},
    {"network": "mainnet", "cycle_id": 999, "is_finished": 1},
]
UNFINISHED_ROUND = next(r for r in FIXTURE["electionRounds"] if not r["isFinished"])
VOTES_PER_CYCLE = Counter(
    next(r["cycleId"] for r in FIXTURE["electionRounds"] if r["id"] == v["electionRoundId"])
    for v in FIXTURE["castVotes"]
)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def with_extra_votes(count: int) -> dict[str, list[dict[str, Any]]]:
    """The fixture plus ``count`` unrevealed votes in the unfinished round (cycle 3)."""
    template = next(
        v for v in FIXTURE["castVotes"] if v["electionRoundId"] == UNFINISHED_ROUND["id"]
    )
    extra = [
        {
            **template,
            "id": f"extra{n:04d}",
            "castBy": f"j4extra{n:04d}",
            "createdAt": f"2024-06-01T00:{n // 60 % 60:02d}:{n % 60:02d}.000Z",
        }
        for n in range(count)
    ]
    return {**FIXTURE, "castVotes": FIXTURE["castVotes"] + extra}


def mainnet_rows(path: Path) -> dict[str, list[dict]]:
    return {
        table: sorted(
            store.read_rows(path, table, "network = ?", ["mainnet"]),
            key=lambda r: str(r.get("id", r)),
        )
        for table in store.TABLES
    }


@pytest.fixture
def server() -> Iterator[QueryNodeServer]:
    with QueryNodeServer(FIXTURE) as qn:
        yield qn


# --- SIGKILL ---------------------------------------------------------------------------------


def old_cache(folder: Path, server: QueryNodeServer, kind: str) -> Path:
    """The cache before the killed refresh.

    ``snapshot``: the bundled-snapshot kind (other source: the next refresh is a full one).
    ``fetched``: a refresh from this server; the server then gains votes, so the next refresh
    (incremental when fetch supports it) has new rows to write.
    """
    path = folder / "cache" / "council.db"
    if kind == "snapshot":
        store.write_cache(path, {"election_rounds": OLD_ROUNDS}, {"source": "bundled snapshot"})
    else:
        fetch.refresh(server.url, path, page_size=PAGE, **FAST)
        server.set_data(with_extra_votes(7))
        server.clear()
    return path


def first_vote_page_request(server: QueryNodeServer, cache: Path, folder: Path) -> int:
    """The number of the first castVotes page request a refresh of (a copy of) ``cache`` makes.

    A clean run on a copy: the request plan depends on the cache (full or incremental).
    """
    copy = folder / "calibration" / cache.name
    copy.parent.mkdir()
    shutil.copy(cache, copy)
    fetch.refresh(server.url, copy, page_size=PAGE, **FAST)
    pages = [r.number for r in server.requests if r.operation_name == "CastVotesPage"]
    server.clear()
    assert pages, "the refresh reads castVotes"
    return pages[0]


def start_fetch(url: str, db: Path, prelude: str = "") -> subprocess.Popen[str]:
    """``python -m council.fetch`` (optionally after ``prelude`` code) as a child process."""
    args = ["--endpoint", url, "--db", str(db), "--retries", "0", "--timeout", "30"]
    args += ["--page-size", str(PAGE)]
    if prelude:
        code = (
            f"{prelude}\nimport sys\nfrom council import fetch\nsys.exit(fetch.main(sys.argv[1:]))"
        )
        command = [sys.executable, "-c", code, *args]
    else:
        command = [sys.executable, "-m", "council.fetch", *args]
    return subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def kill_9(process: subprocess.Popen[str]) -> str:
    """SIGKILL the child and reap it; its stderr."""
    os.kill(process.pid, signal.SIGKILL)
    _, err = process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL
    return err


def assert_next_refresh_lands_the_servers_data(
    server: QueryNodeServer, cache: Path, folder: Path, kept_rounds: int
) -> None:
    assert refresh_state.lock_path(cache).exists(), "the killed refresh left its lock file"
    stats = fetch.refresh(server.url, cache, page_size=PAGE, lock_wait=0, **FAST)
    assert stats.rows["castVotes"] > 0, "the refresh read votes (all, or the open round's)"
    reference = folder / "reference" / "council.db"
    fetch.refresh(server.url, reference, page_size=PAGE, **FAST)
    assert mainnet_rows(cache) == mainnet_rows(reference)
    rounds = data.load(cache).rounds
    assert len(rounds) == len(FIXTURE["electionRounds"]) + kept_rounds
    assert refresh_state.read_status(cache)["last_error"] == ""


@pytest.mark.parametrize("kind", ["snapshot", "fetched"])
def test_sigkill_in_the_middle_of_paging(
    server: QueryNodeServer, tmp_path: Path, kind: str
) -> None:
    cache = old_cache(tmp_path, server, kind)
    at = first_vote_page_request(server, cache, tmp_path) + 1  # the second castVotes page
    server.inject(at_request=at, kind="timeout", delay=5)
    before = digest(cache)
    rounds_before = len(data.load(cache).rounds)

    child = start_fetch(server.url, cache)
    deadline = time.monotonic() + 30
    while not any(r.number == at for r in server.requests):
        assert child.poll() is None, child.communicate()
        assert time.monotonic() < deadline, "the child never reached the slow page"
        time.sleep(0.02)
    assert server.requests[-1].operation_name == "CastVotesPage"
    kill_9(child)

    assert digest(cache) == before, "the old cache is byte-for-byte intact"
    assert len(data.load(cache).rounds) == rounds_before
    # A full fetch streams its pages into the new cache as they come; an incremental one
    # fetches first and writes after.
    assert len(temporaries(cache.parent)) == (1 if kind == "snapshot" else 0)
    assert_next_refresh_lands_the_servers_data(
        server, cache, tmp_path, kept_rounds=1 if kind == "snapshot" else 0
    )
    assert temporaries(cache.parent) == [], "the next refresh removed the killed one's file"


SLOW_WRITE = """
import time
from council import store
_insert_rows = store.insert_rows
def insert_rows(db, rows):
    _insert_rows(db, rows)
    print("WRITING", flush=True)
    time.sleep(60)
store.insert_rows = insert_rows
"""


@pytest.mark.parametrize("kind", ["snapshot", "fetched"])
def test_sigkill_while_writing_the_new_cache(
    server: QueryNodeServer, tmp_path: Path, kind: str
) -> None:
    cache = old_cache(tmp_path, server, kind)
    before = digest(cache)
    rounds_before = len(data.load(cache).rounds)

    child = start_fetch(server.url, cache, prelude=SLOW_WRITE)
    assert child.stdout is not None
    ready, _, _ = select.select([child.stdout], [], [], 30)
    assert ready and child.stdout.readline() == "WRITING\n", child.communicate()
    kill_9(child)

    assert digest(cache) == before, "the old cache is byte-for-byte intact"
    assert len(data.load(cache).rounds) == rounds_before
    left = temporaries(cache.parent)
    assert len(left) == 1 and left[0].startswith(f".{cache.name}."), left
    assert_next_refresh_lands_the_servers_data(
        server, cache, tmp_path, kept_rounds=1 if kind == "snapshot" else 0
    )
    assert temporaries(cache.parent) == [], "the next refresh removed the stale temporary file"


# --- readers during refreshes ----------------------------------------------------------------

READERS = 4
READ_FOR = 2.0  # seconds


def votes_by_cycle(extra: int) -> dict[int, int]:
    counts = dict(VOTES_PER_CYCLE)
    counts[UNFINISHED_ROUND["cycleId"]] += extra
    return counts


class Readers:
    """Threads that read the cache like a page does until stopped; what each read saw."""

    def __init__(self, path: Path, versions: dict[int, dict[int, int]]) -> None:
        self.path = path
        self.versions = versions  # total votes -> votes per cycle
        self.seen: list[list[int]] = [[] for _ in range(READERS)]
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(READERS)
        ]

    def __enter__(self) -> Readers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self, n: int) -> None:
        while not self._stop.is_set():
            try:
                self.seen[n].append(self._read_once())
            except Exception as error:  # reported by the test
                self.errors.append(f"reader {n}: {type(error).__name__}: {error}")
                return

    def _read_once(self) -> int:
        cache = data.load(self.path)
        rounds = cache.rounds
        candidates = cache.candidates
        round_votes = cache.round_votes
        cycles = sorted(r["cycleId"] for r in FIXTURE["electionRounds"])
        assert sorted(rounds["cycle_id"]) == cycles, f"rounds {sorted(rounds['cycle_id'])}"
        assert sorted(candidates["id"]) == sorted(c["id"] for c in FIXTURE["candidates"])
        total = int(round_votes["votes_cast"].sum())
        assert total in self.versions, f"{total} votes: not a version the server had"
        per_cycle = dict(zip(round_votes["cycle_id"], round_votes["votes_cast"], strict=True))
        assert per_cycle == self.versions[total], f"votes per cycle {per_cycle}"
        return total


def refresh_while_reading(
    cache: Path, versions: dict[int, dict[int, int]], refresh_next: Any
) -> Readers:
    """Run refresh_next() for READ_FOR seconds (at least 4 times) under READERS readers."""
    refreshes = 0
    with Readers(cache, versions) as readers:
        start = time.monotonic()
        while (time.monotonic() - start < READ_FOR or refreshes < 4) and not readers.errors:
            refresh_next(refreshes)
            refreshes += 1
    assert readers.errors == []
    assert refreshes >= 4
    reads = [total for seen in readers.seen for total in seen]
    assert len(reads) >= READERS * 4, f"only {len(reads)} reads"
    assert all(readers.seen), "every reader read"
    return readers


def test_readers_during_full_refreshes_alternating_between_two_versions(tmp_path: Path) -> None:
    """Two nodes, A (the fixture) and B (7 more votes); each refresh switches the source, so
    every refresh is a full rebuild and the cache alternates A, B, A, B."""
    extra = 7
    cache = tmp_path / "council.db"
    with QueryNodeServer(FIXTURE) as a, QueryNodeServer(with_extra_votes(extra)) as b:
        fetch.refresh(a.url, cache, **FAST)
        versions = {sum(votes_by_cycle(n).values()): votes_by_cycle(n) for n in (0, extra)}

        def refresh_next(n: int) -> None:
            fetch.refresh((b if n % 2 == 0 else a).url, cache, **FAST)

        readers = refresh_while_reading(cache, versions, refresh_next)
    seen = {total for totals in readers.seen for total in totals}
    assert seen == set(versions), "the readers saw both versions"
    assert len(b.requests) > 0 and len(a.requests) > 0


def test_readers_during_refreshes_of_growing_data(server: QueryNodeServer, tmp_path: Path) -> None:
    """One node whose votes grow by 3 before each refresh (incremental when fetch supports it):
    each reader sees one whole version at a time, never going back to an older one."""
    step = 3
    cache = tmp_path / "council.db"
    fetch.refresh(server.url, cache, **FAST)
    versions = {sum(votes_by_cycle(n).values()): votes_by_cycle(n) for n in range(0, 600, step)}

    def refresh_next(n: int) -> None:
        server.set_data(with_extra_votes(step * (n + 1)))
        fetch.refresh(server.url, cache, **FAST)

    readers = refresh_while_reading(cache, versions, refresh_next)
    for totals in readers.seen:
        assert totals == sorted(totals), "a reader went back to an older version"
    assert len({total for totals in readers.seen for total in totals}) >= 2
