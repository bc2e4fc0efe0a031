"""Real-browser checks of faults: an unusable cache file and a failing refresh button.

Marked ``browser``; reuses tests/test_browser.py's server and Chromium fixtures. The query
node is tests/qn_server.py in this process; the app reaches it through COUNCIL_ENDPOINT.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from qn_server import QueryNodeServer
from test_browser import (  # noqa: F401 (browser and page are fixtures)
    QUIET_MS,
    SETTLED,
    SHOTS,
    browser,
    open_page,
    page,
    pytestmark,
    serve_app,
    wait_idle,
)

from council import refresh_state, store

ROUNDS = [{"network": "sumer", "cycle_id": 7, "is_finished": 1, "losers_recorded": 0}]


@pytest.fixture
def failing_node_app(
    qn_server: QueryNodeServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Path]]:
    """The app on a small cache, refreshing from the test node (serve_app copies os.environ)."""
    db = tmp_path / "council.db"
    store.write_cache(db, {"election_rounds": ROUNDS}, {"source": "bundled snapshot"})
    monkeypatch.setenv("COUNCIL_ENDPOINT", qn_server.url)
    with serve_app(db) as url:
        yield url, db


def test_a_failed_refresh_clears_its_progress_and_the_sidebar_says_why(
    page,  # noqa: F811 (the fixture imported above)
    qn_server: QueryNodeServer,
    failing_node_app: tuple[str, Path],
) -> None:
    url, db = failing_node_app
    tab = open_page(page, f"{url}/about", "about-before-refresh")
    # A slow probe before the fault (the batched first pages), so the progress bar is seen.
    qn_server.inject(at_request=1, kind="timeout", delay=2)
    qn_server.inject(at_request=2, kind="graphql_errors")
    tab.get_by_role("button", name="Refresh now").click()
    tab.wait_for_selector("[data-testid='stProgress']", timeout=30_000)
    tab.wait_for_selector("[data-testid='stAlertContentError']", timeout=60_000)
    wait_idle(tab)
    tab.screenshot(path=str(SHOTS / "about-refresh-failed.png"), full_page=True)
    reason = refresh_state.read_status(db)["last_error"]
    assert "injected error" in reason
    main = tab.locator("[data-testid='stMain']").inner_text()
    assert f"Refresh failed, the previous data is kept. Reason: {reason}" in main
    assert tab.locator("[data-testid='stProgress']").count() == 0
    assert "Connecting to" not in main
    sidebar = tab.locator("[data-testid='stSidebar']").inner_text()
    assert "The last refresh failed" in sidebar and "injected error" in sidebar
    assert tab.locator("[data-testid='stException']").count() == 0


def test_a_directory_as_the_cache_is_one_message_on_every_page(
    page,  # noqa: F811 (the fixture imported above)
    tmp_path: Path,
) -> None:
    folder = tmp_path / "council.db"
    folder.mkdir()
    with serve_app(folder) as url:
        for path, name in (("", "overview"), ("elections", "elections"), ("about", "about")):
            tab = page
            tab.goto(f"{url}/{path}")
            tab.wait_for_selector("[data-testid='stAlertContentError']", timeout=60_000)
            tab.wait_for_function(SETTLED, arg=QUIET_MS, polling=100, timeout=60_000)
            tab.screenshot(path=str(SHOTS / f"cache-fault-{name}.png"), full_page=True)
            errors = tab.locator("[data-testid='stAlertContentError']")
            assert errors.count() == 1
            assert f"{folder} is not a council cache: it is a directory" in errors.inner_text()
            assert tab.locator("[data-testid='stException']").count() == 0
            assert "No data cache yet" not in tab.inner_text("body")
