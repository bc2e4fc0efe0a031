"""The "This week" page and saved views in a real browser (one server, marked ``browser``).

The app runs on a cache fetched from the test query node with proposals in every awaiting
stage (tests/desk_records.py). The page's filters are each changed twice in a row and keep
both changes in widget and URL; two saved views are opened from the sidebar one after the
other and land on their page with their filters; the secretary saves the current view.
Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from desk_records import desk_records
from qn_server import QueryNodeServer
from test_browser import SHOTS, UPLOAD_TOKEN, wait_idle
from test_browser_controls import (
    add,
    assert_url,
    browser,  # noqa: F401 (a fixture)
    choose,
    chosen,
    open_list,
    open_page,
    page,  # noqa: F401 (a fixture)
    params,
    serve_app,
    slider_value,
    tags,
    widget,
)

from council import fetch, saved_views

pytestmark = [pytest.mark.browser]
TOKEN = (UPLOAD_TOKEN, UPLOAD_TOKEN)
ELECTIONS_TITLE = "Election history"


@pytest.fixture(scope="module")
def desk_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = tmp_path_factory.mktemp("browser-desk") / "council.db"
    with QueryNodeServer(desk_records()) as server:
        fetch.refresh(server.url, path, timeout=5.0, retries=0)
    store = Path(f"{path}.uploads")  # serve_app's COUNCIL_UPLOADS_DB
    saved_views.save("Elections, rounds 2-3", "elections", {"rounds": "2-3"}, TOKEN, path=store)
    saved_views.save("Dormant proposals", "this_week", {"stage": "dormant"}, TOKEN, path=store)
    with serve_app(path) as url:
        yield url


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def path_of(tab) -> str:
    return urlparse(tab.url).path


def wait_for_title(tab, title: str) -> None:
    """Wait until the page shown is the one titled ``title`` (a saved view switches pages)."""
    tab.get_by_role("heading", name=title, exact=True).first.wait_for()
    wait_idle(tab)


def test_this_week_filters_and_saved_views(page, desk_url: str) -> None:  # noqa: F811
    tab = open_page(page, f"{desk_url}/this_week")
    assert tab.get_by_text("Proposals awaiting the council", exact=True).count() == 1
    assert tab.get_by_text("As of: mainnet #").count() == 1
    shot(tab, "this-week")
    for stages in (["deciding"], ["deciding", "gracing"]):
        add(tab, "stage", stages[-1])
        assert tags(tab, "stage") == stages
        assert_url(tab, stage=stages)
    for councillor in ("tomato", "l1dev"):
        choose(tab, "councillor", councillor)
        assert chosen(tab, "councillor") == councillor
        assert_url(tab, councillor=councillor, stage=["deciding", "gracing"])
    shot(tab, "this-week-filtered")

    # Two saved views in a row, each on its own page with its filters.
    choose(tab, "saved_view", "Elections, rounds 2-3")
    wait_for_title(tab, ELECTIONS_TITLE)
    assert path_of(tab).endswith("/elections")
    assert slider_value(tab, "rounds") == [2, 3]
    assert_url(tab, rounds="2-3", stage=None, councillor=None)
    choose(tab, "saved_view", "Dormant proposals")
    wait_for_title(tab, "This week")
    assert path_of(tab).endswith("/this_week")
    assert tags(tab, "stage") == ["dormant"]
    assert params(tab) == {"stage": ["dormant"]}
    shot(tab, "this-week-saved-view")

    # The secretary saves the current view; it is in the list at once.
    tab.get_by_text("Save or manage views (secretary)").click()
    widget(tab, "views_token").locator("input").fill(UPLOAD_TOKEN)
    widget(tab, "views_name").locator("input").fill("Dormant, again")
    widget(tab, "views_name").locator("input").press("Enter")
    wait_idle(tab)
    widget(tab, "views_save").locator("button").click()
    wait_idle(tab)
    tab.get_by_text("Saved 'Dormant, again'.").wait_for()
    open_list(tab, widget(tab, "saved_view").locator("input[role='combobox']"))
    assert tab.get_by_role("option", name="Dormant, again", exact=True).count() == 1
    tab.keyboard.press("Escape")
