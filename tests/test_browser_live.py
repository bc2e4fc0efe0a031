"""Every page in a real browser on a cache fetched while an election runs.

The cache is fetched over 127.0.0.1 from the test query node serving the revealing stage of
``tests/live_stages.py`` (with ``tests/wg_records.py``'s working groups) without referendum
stage records (candidates standing, some votes
revealed, no seats from the node: the mainnet shape that crashed four pages, issue 13).
Marked ``browser``; shares the server and browser helpers of ``tests/test_browser.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import test_browser as tb
from live_stages import stage_records
from qn_server import QueryNodeServer
from wg_records import wg_records

from council import fetch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(tb.CHROMIUM).exists(), reason="Debian chromium is not installed"),
]
browser = tb.browser  # the browser and a fresh tab, as fixtures of this module too
page = tb.page


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("browser-live") / "council.db"
    records = {**stage_records("revealing", referendum_records=False), **wg_records()}
    with QueryNodeServer(records) as server:
        fetch.refresh(server.url, path, timeout=5.0, retries=0)
    with tb.serve_app(path) as url:
        yield url


@pytest.mark.parametrize(
    ("path", "title", "_chart"), tb.PAGES, ids=[p[0] or "overview" for p in tb.PAGES]
)
def test_page_renders_on_a_running_election(page, live_url: str, path: str, title: str, _chart):
    tab = tb.open_page(page, f"{live_url}/{path}", f"live-{path or 'overview'}")
    assert tab.locator("h1").first.inner_text().strip() == title
    if path != "election_watch":  # there, an error box is a concern to raise
        assert tab.locator("[data-testid='stAlertContentError']").count() == 0


def test_working_groups_show_the_fetched_groups(page, live_url: str) -> None:
    tab = tb.open_page(page, f"{live_url}/working_groups", "live-working_groups")
    tb.assert_chart_drawn(tab)
    body = tab.inner_text("body")  # the tables are canvases: their cells are not text
    assert "Storage in detail" in body and "No working-group data" not in body
    assert "Budgets at the end (JOY)" in body


def test_election_history_lists_the_running_candidates(page, live_url: str) -> None:
    tab = tb.open_page(page, f"{live_url}/elections?round=3", "live-elections-round-3")
    body = tab.inner_text("body")
    assert "kate_fm" in body
    assert "running" in body
