"""The Data & refresh page's refresh button against the test query node (AppTest, no mocks).

A failed refresh shows the one-line reason the CLI gives, clears the progress bar, and the
sidebar says the last refresh failed in the same run; a refresh that succeeds shows the new
source in the sidebar at once.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from apptest_pages import run_page
from qn_server import QueryNodeServer
from streamlit.testing.v1 import AppTest

from council import refresh_state, store

ROUNDS = [{"network": "sumer", "cycle_id": 7, "is_finished": 1, "losers_recorded": 0}]


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    path = tmp_path / "council.db"
    store.write_cache(path, {"election_rounds": ROUNDS}, {"source": "bundled snapshot"})
    return path


def click_refresh(at: AppTest) -> AppTest:
    (button,) = [b for b in at.button if b.label == "Refresh now"]
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_text(at: AppTest) -> str:
    """Every text element's value, main area and sidebar (to find leftover labels)."""
    parts = [str(getattr(node, "value", "")) for node in at.main] + [
        str(getattr(node, "value", "")) for node in at.sidebar
    ]
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("at_request", "kind", "words"),
    [
        (1, "non_json", "this endpoint is not a Joystream query node"),
        (2, "graphql_errors", "FirstPages: the query node returned errors: injected error"),
    ],
    ids=["probe", "middle-of-paging"],
)
def test_a_failed_refresh_says_why_clears_the_progress_and_updates_the_sidebar(
    at_request: int,
    kind: str,
    words: str,
    qn_server: QueryNodeServer,
    cache: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COUNCIL_ENDPOINT", qn_server.url)
    before = hashlib.sha256(cache.read_bytes()).hexdigest()
    at = run_page("app_pages/about.py", cache, monkeypatch)
    assert not at.sidebar.warning, "no failure recorded yet"
    qn_server.inject(at_request=at_request, kind=kind)
    click_refresh(at)
    reason = refresh_state.read_status(cache)["last_error"]
    assert words in reason and "\n" not in reason
    assert [e.value for e in at.error] == [
        f"Refresh failed, the previous data is kept. Reason: {reason}"
    ]
    assert not at.get("progress"), "the progress bar is gone"
    assert "Starting" not in shown_text(at) and "Connecting" not in shown_text(at)
    warnings = [w.value for w in at.sidebar.warning]
    assert len(warnings) == 1 and warnings[0].startswith("The last refresh failed")
    assert warnings[0].endswith(reason), "the sidebar says why, in the same run"
    assert hashlib.sha256(cache.read_bytes()).hexdigest() == before


def test_an_unreachable_node_is_a_plain_reason_not_urllib3s(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with QueryNodeServer({}) as server:
        url = server.url  # nothing listens there once the block ends
    monkeypatch.setenv("COUNCIL_ENDPOINT", url)
    at = click_refresh(run_page("app_pages/about.py", cache, monkeypatch))
    host = url.split("/")[2]
    reason = f"Probe: cannot reach the query node at {host}: Connection refused"
    assert [e.value for e in at.error] == [
        f"Refresh failed, the previous data is kept. Reason: {reason}"
    ]
    assert refresh_state.read_status(cache)["last_error"] == reason


def test_a_refresh_that_succeeds_shows_the_new_source_in_the_sidebar_at_once(
    qn_server: QueryNodeServer, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COUNCIL_ENDPOINT", qn_server.url)
    at = click_refresh(run_page("app_pages/about.py", cache, monkeypatch))
    assert len(at.success) == 1 and at.success[0].value.startswith("Refreshed:")
    assert not at.get("progress")
    captions = [c.value for c in at.sidebar.caption]
    assert f"Source: {qn_server.url}" in captions
    assert not at.sidebar.warning
