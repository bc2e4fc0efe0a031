"""Refresh safety: one at a time, skip when fresh, probe the endpoint, record why it failed."""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from qn_server import QueryNodeServer

from council import fetch, refresh_state, store

FAST = {"timeout": 10, "retries": 0, "backoff": 0}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "council.db"
    store.write_cache(path, {}, {"source": "bundled snapshot"})
    return path


def test_parse_duration() -> None:
    assert refresh_state.parse_duration("15m") == timedelta(minutes=15)
    assert refresh_state.parse_duration("2h") == timedelta(hours=2)
    assert refresh_state.parse_duration("1.5d") == timedelta(hours=36)
    with pytest.raises(ValueError, match="not a duration"):
        refresh_state.parse_duration("soon")


def test_a_second_refresh_exits_with_a_clear_message(
    qn_server: QueryNodeServer, db: Path, capsys
) -> None:
    before = digest(db)
    with refresh_state.refresh_lock(db):
        code = fetch.main(["--endpoint", qn_server.url, "--db", str(db), "--retries", "0"])
    assert code == 3
    assert "another refresh is running" in capsys.readouterr().err
    assert digest(db) == before
    assert qn_server.requests == []


def test_two_refreshes_at_once_one_runs_and_the_result_is_one_refresh(
    qn_server: QueryNodeServer, db: Path, tmp_path: Path
) -> None:
    qn_server.inject(at_request=1, kind="timeout", delay=1.5)
    errors: list[Exception] = []

    def first() -> None:
        try:
            fetch.refresh(qn_server.url, db, **FAST)
        except Exception as error:  # reported below
            errors.append(error)

    runner = threading.Thread(target=first)
    runner.start()
    # The first refresh holds the lock once its (slow) first request reached the server; the
    # lock file alone can exist a moment before its holder has locked it.
    deadline = datetime.now(UTC) + timedelta(seconds=5)
    while not qn_server.requests and datetime.now(UTC) < deadline:
        time.sleep(0.01)
    assert qn_server.requests, "the first refresh never reached the server"
    with pytest.raises(fetch.RefreshBusy):
        fetch.refresh(qn_server.url, db, **FAST)
    runner.join()
    assert errors == []
    single = tmp_path / "single.db"
    qn_server.clear()
    fetch.refresh(qn_server.url, single, **FAST)
    for table in store.TABLES:
        assert store.read_rows(db, table) == store.read_rows(single, table), table


def test_if_older_than_skips_a_fresh_cache(qn_server: QueryNodeServer, db: Path) -> None:
    fetch.refresh(qn_server.url, db, **FAST)
    requests = len(qn_server.requests)
    args = ["--endpoint", qn_server.url, "--db", str(db), "--if-older-than", "15m"]
    assert fetch.main(args) == 0
    assert len(qn_server.requests) == requests
    # A cache from another source (the snapshot) is never "fresh" for this endpoint.
    other = db.with_name("other.db")
    store.write_cache(other, {}, {"source": "bundled snapshot"})
    args = ["--endpoint", qn_server.url, "--db", str(other), "--if-older-than", "1d"]
    assert fetch.main(args) == 0
    assert len(qn_server.requests) > requests


def test_an_endpoint_that_is_not_a_query_node_fails_early(
    qn_server: QueryNodeServer, db: Path
) -> None:
    before = digest(db)
    qn_server.inject(at_request=1, kind="non_json")
    with pytest.raises(fetch.FetchError, match="this endpoint is not a Joystream query node"):
        fetch.refresh(qn_server.url, db, **FAST)
    assert len(qn_server.requests) == 1
    assert digest(db) == before


def test_a_url_without_graphql_behind_it_is_not_a_query_node(
    qn_server: QueryNodeServer, db: Path
) -> None:
    """The server answers 404 off its /graphql path, as a web server would at a wrong URL."""
    before = digest(db)
    wrong = qn_server.url.replace("/graphql", "/")
    with pytest.raises(fetch.FetchError) as failure:
        fetch.refresh(wrong, db, **FAST)
    message = str(failure.value)
    assert message.startswith(f"{fetch.NOT_A_QUERY_NODE} (Probe: HTTP error"), message
    assert "404" in message
    assert digest(db) == before


def test_failure_and_success_are_recorded_beside_the_cache(
    qn_server: QueryNodeServer, db: Path
) -> None:
    qn_server.inject(at_request=2, kind="http_500")  # the counts and first pages
    with pytest.raises(fetch.FetchError):
        fetch.refresh(qn_server.url, db, **FAST)
    status = refresh_state.read_status(db)
    assert "HTTP error" in status["last_error"]
    assert "last_success" not in status
    problem = refresh_state.freshness_problem(store.read_meta(db), status, timedelta(days=1))
    assert problem.startswith("The last refresh failed") and "HTTP error" in problem
    fetch.refresh(qn_server.url, db, **FAST)
    status = refresh_state.read_status(db)
    assert status["last_error"] == ""
    assert status["last_success"] == status["last_attempt"]
    assert refresh_state.freshness_problem(store.read_meta(db), status, timedelta(days=1)) is None


def test_old_fetched_data_is_flagged() -> None:
    meta = {"source": "https://query.joystream.org/graphql", "refreshed_at": "2026-01-01T00:00:00Z"}
    now = datetime(2026, 1, 3, 0, 0, tzinfo=UTC)
    problem = refresh_state.freshness_problem(meta, {}, timedelta(days=1), now)
    assert problem == "The data is 2 days old (last refresh 2026-01-01 00:00 UTC)."
    snapshot = {"source": "bundled snapshot", "refreshed_at": "2026-01-01T00:00:00Z"}
    assert refresh_state.freshness_problem(snapshot, {}, timedelta(days=1), now) is None


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(hours=25), "25 hours"),
        (timedelta(hours=47, minutes=20), "47 hours"),
        (timedelta(hours=48), "2 days"),
        (timedelta(days=560, hours=20), "561 days"),
        (timedelta(days=1200), "1,200 days"),
    ],
)
def test_a_stale_warning_gives_hours_then_days(age: timedelta, text: str) -> None:
    assert refresh_state.age_span(age) == text
