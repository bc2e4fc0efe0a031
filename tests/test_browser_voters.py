"""The Voters page and the failed-election sections in a real browser, on one server.

The cache is fetched from the test query node serving ``tests/failure_records.py`` (rounds 1
and 2 with votes, round 3 failed for too few candidates, round 4 for too few revealed votes,
round 5 announcing). Each control of the Voters page is changed twice in a row and the table
and the URL follow both changes; the voters download keeps whole account addresses. Full-page
screenshots land in artifacts/screenshots/. Same set-up as tests/test_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from failure_records import failure_records
from qn_server import QueryNodeServer
from test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SHOTS,
    assert_chart_drawn,
    download_csv,
    open_page,
)
from test_browser_controls import (
    assert_url,
    input_value,
    serve_app,
    slide,
    slider_value,
    type_in,
    wait_idle,
)

from council import data, fetch

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def failures_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("browser-voters") / "council.db"
    with QueryNodeServer(failure_records()) as server:
        fetch.refresh(server.url, path, timeout=5.0, retries=0)
    return path


@pytest.fixture(scope="module")
def app_url(failures_db: Path) -> Iterator[str]:
    with serve_app(failures_db) as url:
        yield url


@pytest.fixture(scope="module")
def tab(app_url: str) -> Iterator[object]:
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1400, "height": 3600}, accept_downloads=True
        )
        context.set_default_timeout(60_000)
        yield context.new_page()
        browser.close()


def main_text(tab) -> str:
    return tab.locator("[data-testid='stMain']").inner_text()


def test_voters_controls_each_changed_twice(tab, app_url: str, failures_db: Path) -> None:
    open_page(tab, f"{app_url}/voters", "voters")
    assert_chart_drawn(tab)
    accounts = set(data.load_network_votes(failures_db, "mainnet")["cast_by"])
    shown = download_csv(tab, "voters-mainnet.csv")
    assert set(shown["Voter account"]) == accounts  # whole addresses, not the table's short ones
    for start in (2, 3):
        slide(tab, "rounds")
        assert slider_value(tab, "rounds") == [start, 5]
        assert_url(tab, rounds=f"{start}-5")
    # The account's totals (the table is drawn on a canvas): stake, then revealed votes.
    for account, stake, revealed in (
        ("j4FailVoterA", "100,000", "1"),
        ("j4FailVoterC", "40,000", "0"),
    ):
        type_in(tab, "account", account)
        assert input_value(tab, "account") == account
        assert_url(tab, account=account, rounds="3-5")
        text = main_text(tab)
        assert f"Total stake (JOY)\n\n{stake}\n" in text
        assert f"Revealed votes\n\n{revealed}\n" in text
    wait_idle(tab)
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / "voters-account.png"), full_page=True)


def test_failed_attempts_and_the_watch(tab, app_url: str) -> None:
    # The reasons themselves are checked in tests/test_voters_pages.py (AppTest).
    open_page(tab, f"{app_url}/elections", "elections-failed-attempts")
    assert "Failed attempts" in main_text(tab)
    assert "nan" not in main_text(tab).split()  # candidates without a note header
    wait_idle(tab)  # the page has settled: its tables are drawn, not loading
    tab.screenshot(path=str(SHOTS / "elections-failed-attempts.png"), full_page=True)
    open_page(tab, f"{app_url}/election_watch", "election-watch-restart")
    assert "Round 5 is a restart" in main_text(tab)
