"""The fetch command line checks its arguments and its --db before anything else.

Every bad argument, and a --db no refresh can or may write, ends the process at once with a
non-zero exit code and one line on stderr: no traceback, no request to the node, no lock or
status file left beside the cache, and an existing file left byte-for-byte as it was.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from qn_server import QueryNodeServer

from council import store

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "council.fetch", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        check=False,
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused(result: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    """Exit ``code``, nothing on stdout, one stderr line holding ``words``; returns it."""
    assert result.returncode == code, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    assert result.stdout == ""
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    """Lock, status and temporary files beside the cache."""
    return sorted(
        p.name for p in folder.iterdir() if p.name.endswith((".lock", ".refresh.json", ".tmp"))
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--page-size", "0"], ("--page-size", "must be at least 1, not 0")),
        (["--page-size", "-5"], ("--page-size", "must be at least 1, not -5")),
        (["--page-size", "ten"], ("--page-size", "not a number: 'ten'")),
        (["--timeout", "0"], ("--timeout", "must be above 0, not 0")),
        (["--timeout", "-1"], ("--timeout", "must be above 0, not -1")),
        (["--timeout", "nan"], ("--timeout", "must be above 0, not nan")),
        (["--retries", "-1"], ("--retries", "must be at least 0, not -1")),
        (["--wait", "-2"], ("--wait", "must be at least 0, not -2")),
        (["--if-older-than", "soon"], ("--if-older-than", "not a duration like 15m")),
        (["--endpoint", "query.joystream.org"], ("--endpoint", "not an http(s) URL")),
        (["--no-such-flag"], ("unrecognized arguments: --no-such-flag",)),
    ],
    ids=lambda value: "_".join(value) if isinstance(value, list) else None,
)
def test_a_bad_argument_is_one_line_and_exit_2(
    args: list[str], words: tuple[str, ...], qn_server: QueryNodeServer, tmp_path: Path
) -> None:
    db = tmp_path / "council.db"
    endpoint = [] if "--endpoint" in args else ["--endpoint", qn_server.url]
    result = run_cli(*endpoint, "--db", str(db), "--retries", "0", *args)
    line = assert_refused(result, 2, *words)
    assert line.startswith("python -m council.fetch: error: argument") or "unrecognized" in line
    assert qn_server.requests == [], "nothing was fetched"
    assert list(tmp_path.iterdir()) == [], "no cache, lock or status file"


def unwritable_places(tmp_path: Path) -> list[tuple[Path, Path, str]]:
    """(--db, the folder to check for leftovers, words of the reason)."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "a-directory.db").mkdir()
    (folder / "a-file").write_text("not a folder\n")
    return [
        (folder / "a-directory.db", folder, "a-directory.db is a directory"),
        (folder / "a-file" / "council.db", folder, f"{folder / 'a-file'} is not a directory"),
        (folder / "a-file" / "deeper" / "council.db", folder, "a-file is not a directory"),
    ]


def test_a_db_that_cannot_be_written_is_refused_before_the_lock(
    qn_server: QueryNodeServer, tmp_path: Path
) -> None:
    for db, folder, words in unwritable_places(tmp_path):
        result = run_cli("--endpoint", qn_server.url, "--db", str(db))
        line = assert_refused(result, 2, "refresh not started: cannot write the cache", words)
        assert str(db) in line
        assert leftovers(folder) == [], f"nothing left beside {db}"
    assert qn_server.requests == []


def test_a_db_in_a_read_only_folder_is_refused(qn_server: QueryNodeServer, tmp_path: Path) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: a 0555 folder is writable")
        result = run_cli("--endpoint", qn_server.url, "--db", str(folder / "council.db"))
        assert_refused(result, 2, f"cannot create files in {folder} (Permission denied)")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_a_db_on_a_file_system_that_takes_no_files_is_refused(qn_server: QueryNodeServer) -> None:
    place = Path("/sys")  # sysfs: not even root creates files there
    if not place.is_dir():
        pytest.skip("no /sys")
    result = run_cli("--endpoint", qn_server.url, "--db", str(place / "council.db"))
    assert_refused(result, 2, "cannot write the cache at /sys/council.db: cannot create files")
    assert not (place / "council.db.lock").exists()
    assert qn_server.requests == []


def test_a_file_that_is_not_a_council_cache_is_never_replaced(
    qn_server: QueryNodeServer, tmp_path: Path
) -> None:
    other = tmp_path / "notes.db"
    with sqlite3.connect(other) as conn:
        conn.execute("create table notes (text)")
        conn.execute("insert into notes values ('keep me')")
    damaged = tmp_path / "damaged.db"
    store.write_cache(damaged, {}, {"source": "hand-made"})
    with sqlite3.connect(damaged) as conn:
        conn.execute("drop table candidates")
    for db, words in (
        (other, f"{other} is not a council cache"),
        (damaged, f"the council cache {damaged} is damaged: table candidates is missing"),
    ):
        before = digest(db)
        result = run_cli("--endpoint", qn_server.url, "--db", str(db))
        assert_refused(result, 2, "refresh not started:", words, "move it away")
        assert digest(db) == before
    assert leftovers(tmp_path) == []
    assert qn_server.requests == []


def test_an_unreachable_node_is_one_plain_reason(tmp_path: Path) -> None:
    with QueryNodeServer({}) as server:
        url = server.url  # closed when the block ends: nothing listens there any more
    result = run_cli("--endpoint", url, "--db", str(tmp_path / "council.db"), "--retries", "0")
    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    host = url.split("/")[2]
    assert last == (
        f"refresh failed: Probe: cannot reach the query node at {host}: Connection refused"
    )
