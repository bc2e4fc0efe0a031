"""The council budget in a real browser: one server on the bundled data, the Spending page's
budget filters each changed twice in a row (widget and URL keep both changes; a network
switch starts the term range over), screenshots of the budget chart and table in
artifacts/screenshots/ (tests/test_browser.py's page screenshots show the Overview card and
the mainnet-shaped term report). Marked ``browser``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, wait_idle
from test_browser_controls import assert_url, choose, chosen, serve_app, slide, slider_value

from council.snapshot import build_cache_from_snapshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("browser-budget") / "council.db"
    build_cache_from_snapshot(path)
    with serve_app(path) as url:
        yield url


@pytest.fixture(scope="module")
def tab(app_url: str):
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 2400})
        context.set_default_timeout(60_000)
        yield context.new_page()
        browser.close()


def shot(tab, url: str, name: str, last: str | None = None) -> None:
    """Open ``url`` and screenshot it once it has settled (and shows ``last``, its last
    element's text, when given)."""
    tab.goto(url)
    tab.wait_for_selector("[data-testid='stApp']")
    wait_idle(tab)
    if last:
        tab.get_by_text(last).first.wait_for()
        wait_idle(tab)
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert tab.locator("[data-testid='stException']").count() == 0


def test_budget_filters_keep_each_of_two_changes(tab, app_url: str) -> None:
    shot(
        tab,
        f"{app_url}/spending?section=Budget+per+term&budget_terms=30-35",
        "budget-spending-before",
    )
    assert slider_value(tab, "budget_terms") == [30, 35]
    for start in (31, 32):
        slide(tab, "budget_terms")
        assert slider_value(tab, "budget_terms") == [start, 35]
        assert_url(tab, budget_terms=f"{start}-35")
    tab.get_by_text("Council budget per term", exact=True).scroll_into_view_if_needed()
    tab.screenshot(path=str(SHOTS / "budget-spending-table.png"))
    for network in ("sumer", "mainnet"):
        choose(tab, "budget_network", network)
        assert chosen(tab, "budget_network") == network
    # Back on mainnet, its term range starts over at every term.
    assert_url(tab, budget_network=None, budget_terms=None)
    assert slider_value(tab, "budget_terms")[1] == 35
