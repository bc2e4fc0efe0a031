"""What a visitor's browser gets: every page fits a phone's screen, the page icon comes from
the app itself (no font CDN), and there is no "Deploy" button.

Marked ``browser`` (select with ``-m browser``): `streamlit run app.py` on loopback with the
bundled snapshot, driven by Playwright in Debian's chromium (skipped when not installed).
Screenshots of the phone-sized pages go to artifacts/screenshots/phone-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    QUIET_MS,
    SETTLED,
    SHOTS,
    serve_app,
    wait_idle,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

PHONE = {"width": 390, "height": 844}
# (path, has a chart): every page of the app.
PAGES = [
    ("", False),
    ("elections", True),
    ("leaderboard", True),
    ("spending", True),
    ("kpis", False),  # mainnet's one OKR quarter: no chart across terms
    ("election_watch", False),
    ("term_report", False),
    ("upload", False),
    ("about", False),
]
# Widest element of the page and of Streamlit's scrolling main area, in CSS pixels.
WIDTHS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return {page: document.scrollingElement.scrollWidth, main: main.scrollWidth,
          viewport: window.innerWidth};
}"""


@pytest.fixture(scope="module")
def app_url(snapshot_copy) -> Iterator[str]:
    """`streamlit run app.py` on the bundled snapshot; a generous start-up time (busy CI)."""
    db = snapshot_copy("browser-visitor")
    with serve_app(db, upload_token=None) as url:
        yield url


@pytest.fixture(scope="module")
def phone(app_url: str) -> Iterator[object]:
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        yield context.new_page()
        context.close()
        browser.close()


def open_settled(tab, url: str, has_chart: bool) -> None:
    tab.goto(url)
    tab.wait_for_selector("[data-testid='stApp']", timeout=120_000)
    wait_idle(tab, after_input=False)
    if has_chart:  # charts are drawn after the script ends, then take their width
        tab.wait_for_selector(".vega-embed svg, .vega-embed canvas", state="attached")
        tab.wait_for_function(SETTLED, arg=QUIET_MS, polling=100, timeout=60_000)


@pytest.mark.parametrize(("path", "has_chart"), PAGES, ids=[p[0] or "overview" for p in PAGES])
def test_page_is_no_wider_than_a_phone(phone, app_url: str, path: str, has_chart: bool) -> None:
    open_settled(phone, f"{app_url}/{path}", has_chart)
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / f"phone-{path or 'overview'}.png"))
    widths = phone.evaluate(WIDTHS)
    assert widths["viewport"] == PHONE["width"]
    assert widths["page"] <= PHONE["width"], widths
    assert widths["main"] <= PHONE["width"], widths


def test_icon_is_served_by_the_app_and_visitors_get_no_deploy_button(phone, app_url: str):
    open_settled(phone, f"{app_url}/", False)
    icons = phone.eval_on_selector_all("link[rel~='icon']", "links => links.map(l => l.href)")
    assert icons and all(href.startswith(app_url) for href in icons), icons
    assert phone.locator("[data-testid='stAppDeployButton']").count() == 0
    assert phone.get_by_text("Deploy", exact=True).count() == 0
