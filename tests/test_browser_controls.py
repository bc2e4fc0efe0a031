"""Every filter of every page, used twice in a row in a real browser, keeps both changes.

A widget without a key whose default comes from the URL becomes a new widget after each URL
update, so every second change of it was dropped. Each filter here is changed twice and both
the widget and the URL must show each change. Switching the network and back starts the
network's filters over (a round range or a picked round of one network means nothing on
another). Same set-up as tests/test_browser.py (marked ``browser``, Debian's chromium).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SHOTS,
    serve_app,
    wait_idle,
)

from council.synthetic import add_working_groups, write_synthetic_cache

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def app_url(snapshot_copy) -> Iterator[str]:
    with serve_app(snapshot_copy("browser-controls")) as url:
        yield url


@pytest.fixture(scope="module")
def synthetic_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a small generated cache whose funding requests have decision dates, with
    working groups."""
    path = tmp_path_factory.mktemp("browser-controls-synthetic") / "council.db"
    write_synthetic_cache(path, rounds=10, candidates=60, votes=400, seed=1)
    add_working_groups(path, workers=20, rewards=300, seed=1)
    with serve_app(path) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    context.set_default_timeout(60_000)
    tab = context.new_page()
    yield tab
    context.close()


def open_page(tab, url: str):
    tab.goto(url)
    tab.wait_for_selector("[data-testid='stApp']")
    wait_idle(tab, after_input=False)
    return tab


def params(tab) -> dict[str, list[str]]:
    """The page's URL query parameters (each a list, as repeated parameters are)."""
    return parse_qs(tab.evaluate("window.location.search").lstrip("?"))


def assert_url(tab, **expected: str | list[str] | None) -> None:
    """Each named parameter has the value given (None: absent)."""
    now = params(tab)
    for name, value in expected.items():
        wanted = None if value is None else ([value] if isinstance(value, str) else value)
        assert now.get(name) == wanted, (name, now)
    assert tab.locator("[data-testid='stException']").count() == 0


# --- Using the controls ------------------------------------------------------------------------


def widget(tab, key: str):
    # Not the copy Streamlit keeps on screen while it redraws the page (data-stale="true").
    return tab.locator(f".st-key-{key}:not([data-stale='true'])")


def slide(tab, key: str, thumb: int = 0) -> None:
    """Move a slider's thumb (0: the start of a range) one step right."""
    widget(tab, key).locator("input[type='range']").nth(thumb).focus()
    tab.keyboard.press("ArrowRight")
    wait_idle(tab)


def slider_value(tab, key: str) -> list[int]:
    thumbs = widget(tab, key).locator("input[type='range']")
    thumbs.first.wait_for()
    return [int(v) for v in thumbs.evaluate_all("inputs => inputs.map(i => i.value)")]


def type_in(tab, key: str, text: str) -> None:
    """Replace a text or number input's content and press Enter."""
    box = widget(tab, key).locator("input").first
    box.fill(text)
    box.press("Enter")
    wait_idle(tab)


def input_value(tab, key: str) -> str:
    return widget(tab, key).locator("input").first.input_value()


def open_list(tab, box) -> None:
    """Click a select box until its list is open. A click may only focus the box: with
    Streamlit 1.67 the first click after a rerun often opens nothing, so waiting 30 s for the
    list after one click made these tests slow and, on a loaded machine, fail."""
    listbox = tab.get_by_role("listbox").first
    for attempt in range(1, 9):
        if not listbox.is_visible():
            box.click()
        try:
            listbox.wait_for(timeout=2_000 * attempt)  # longer each time: a loaded machine
            return
        except playwright.TimeoutError:
            continue
    raise playwright.TimeoutError(f"the list of {box} never opened")


def pick_option(tab, key: str, text: str) -> None:
    """Type ``text`` into a selectbox or multiselect and click the option it narrows to."""
    # Clicked, not Enter: on a slow machine Enter can land before the typing has filtered the
    # list and pick another entry. The text is filled only once the list is open (keys typed
    # before it opens get lost), and filled, not typed key by key: an empty multiselect list
    # starts with a "Select all" entry. On a loaded machine each step may take a while (retry).
    option = tab.get_by_role("option", name=text, exact=True)
    for attempt in range(3):
        box = widget(tab, key).locator("input[role='combobox']")
        try:
            open_list(tab, box)
            box.fill(text)
            # Only once the list is filtered: an unfiltered multiselect list starts with
            # "Select all", and a click landing while the list redraws can hit that entry.
            select_all = tab.get_by_role("option", name="Select all", exact=True)
            select_all.wait_for(state="detached", timeout=30_000)
            option.click(timeout=30_000)
            break
        except playwright.TimeoutError:
            tab.keyboard.press("Escape")
            wait_idle(tab)
            if attempt == 2:
                raise
    wait_idle(tab)


def choose(tab, key: str, text: str) -> None:
    """Pick the option ``text`` of a selectbox."""
    pick_option(tab, key, text)


def chosen(tab, key: str) -> str:
    return widget(tab, key).locator("input[role='combobox']").input_value()


def add(tab, key: str, text: str) -> None:
    """Add the option ``text`` to a multiselect."""
    pick_option(tab, key, text)
    tab.keyboard.press("Escape")
    wait_idle(tab)


def remove(tab, key: str, text: str) -> None:
    widget(tab, key).get_by_label(f"Remove {text}").click()
    wait_idle(tab)


def tags(tab, key: str) -> list[str]:
    return widget(tab, key).locator("[data-tag]").all_inner_texts()


def click_radio(tab, key: str, label: str) -> None:
    widget(tab, key).get_by_text(label, exact=True).click()
    wait_idle(tab)


def radio_value(tab, key: str) -> str:
    checked = widget(tab, key).locator("label:has(input:checked)")
    return checked.inner_text().strip()


def next_month_of_start(tab, key: str, label: str) -> None:
    """Move the start date of a date range one month on."""
    widget(tab, key).get_by_label(f"month, {label} start date").click()
    tab.keyboard.press("ArrowUp")
    tab.keyboard.press("Enter")
    tab.keyboard.press("Escape")
    wait_idle(tab)


def start_date(tab, key: str) -> str:
    return widget(tab, key).locator("input[type='date']").first.get_attribute("value")


# --- Every page --------------------------------------------------------------------------------


def test_election_filters_keep_each_of_two_changes(page, app_url: str) -> None:
    tab = open_page(page, f"{app_url}/elections?network=sumer")
    for picked in ("25", "22"):
        choose(tab, "round", picked)
        assert chosen(tab, "round") == picked
        assert_url(tab, round=picked)
    for start in (2, 3):
        slide(tab, "rounds")
        assert slider_value(tab, "rounds") == [start, 41]
        assert_url(tab, rounds=f"{start}-41")
    for day in ("2021-05-06", "2021-06-06"):
        next_month_of_start(tab, "dates", "Round end date")
        assert start_date(tab, "dates") == day
        assert_url(tab, **{"from": day, "to": "2022-01-12"})
    for members in (["ilich"], ["ilich", "tomato"]):
        add(tab, "members", members[-1])
        assert tags(tab, "members") == members
        assert_url(tab, member=members)
    for outcomes in (["withdrawn"], ["withdrawn", "running"]):
        add(tab, "outcomes", outcomes[-1])
        assert tags(tab, "outcomes") == outcomes
        assert_url(tab, outcome=outcomes, member=["ilich", "tomato"], rounds="3-41")


def open_tab(tab, name: str) -> None:
    tab.get_by_role("tab", name=name).click()
    wait_idle(tab)


def test_trend_tabs_keep_each_of_two_changes_and_draw_one_chart(page, app_url: str) -> None:
    tab = open_page(page, f"{app_url}/elections?network=sumer")
    slide(tab, "rounds")
    trends = tab.locator("[data-testid='stTabs']").first
    for name in ("Votes cast", "Share re-elected"):
        open_tab(tab, name)
        assert trends.get_by_role("tab", selected=True).inner_text() == name
        # Only the open tab's chart is drawn; the filters keep their state.
        tab.wait_for_function(
            "() => document.querySelector(\"[data-testid='stTabs']\")"
            ".querySelectorAll('.vega-embed canvas, .vega-embed svg').length === 1"
        )
        assert trends.locator(".vega-embed").count() == 1
        assert slider_value(tab, "rounds") == [2, 41]
    slide(tab, "rounds")
    assert trends.get_by_role("tab", selected=True).inner_text() == "Share re-elected"
    assert trends.locator(".vega-embed").count() == 1
    # A mark per round: drawn on one canvas, not as an SVG element each (charts.ON_CANVAS).
    assert trends.locator(".vega-embed canvas").count() == 1


def test_election_filters_start_over_on_another_network(page, app_url: str) -> None:
    tab = open_page(page, f"{app_url}/elections?network=sumer&rounds=8-41&member=ilich&round=22")
    assert slider_value(tab, "rounds") == [8, 41]
    assert chosen(tab, "round") == "22"
    choose(tab, "network", "alexandria")
    assert slider_value(tab, "rounds") == [1, 12]
    assert tags(tab, "members") == []
    assert chosen(tab, "round") == "12"
    assert_url(tab, network="alexandria", rounds=None, member=None, round=None)
    choose(tab, "network", "sumer")
    assert slider_value(tab, "rounds") == [1, 41]
    assert chosen(tab, "round") == "41"
    assert params(tab) == {"network": ["sumer"]}


def test_leaderboard_filters_keep_each_of_two_changes(page, app_url: str) -> None:
    tab = open_page(page, f"{app_url}/leaderboard?network=sumer")
    for start in (2, 3):
        slide(tab, "terms")
        assert slider_value(tab, "terms") == [start, 41]
        assert_url(tab, terms=f"{start}-41")
    for number in ("3", "5"):
        type_in(tab, "min_terms", number)
        assert input_value(tab, "min_terms") == number
        assert_url(tab, min_terms=number, terms="3-41")
    for text in ("to", "tomato"):
        type_in(tab, "q", text)
        assert input_value(tab, "q") == text
        assert_url(tab, q=text, min_terms="5")
    for label, column in (("Times elected", "times_elected"), ("Votes received", "votes_received")):
        choose(tab, "metric", label)
        assert chosen(tab, "metric") == label
        assert_url(tab, metric=column, q="tomato")
    for top in (16, 17):
        slide(tab, "top")
        assert slider_value(tab, "top") == [top]
        assert_url(tab, top=str(top), metric="votes_received")
    for term in ("30", "25"):
        choose(tab, "term", term)
        assert chosen(tab, "term") == term
        assert_url(tab, term=term, top="17")
    for figure in ("Vote %", "KPI bonus (USD)"):
        click_radio(tab, "figure", figure)
        assert radio_value(tab, "figure") == figure
        assert_url(tab, figure=figure, term="25")
    for member in ("tomato", "ilich"):
        choose(tab, "member", member)
        assert chosen(tab, "member") == member
        assert_url(tab, member=member, figure="KPI bonus (USD)", q="tomato", terms="3-41")


def test_leaderboard_term_range_belongs_to_its_network(page, app_url: str) -> None:
    tab = open_page(page, f"{app_url}/leaderboard?network=sumer&terms=8-41&q=tomato&term=30")
    assert slider_value(tab, "terms") == [8, 41]
    choose(tab, "network", "alexandria")
    assert slider_value(tab, "terms") == [1, 12]
    assert_url(tab, network="alexandria", terms=None, term=None, q="tomato")
    choose(tab, "network", "sumer")
    assert slider_value(tab, "terms") == [1, 41]
    assert chosen(tab, "term") == "41"
    assert_url(tab, network="sumer", terms=None, term=None, q="tomato")
    # The search is not about one network: it stays.
    assert input_value(tab, "q") == "tomato"


def test_spending_filters_keep_each_of_two_changes(page, app_url: str) -> None:
    tab = open_page(page, f"{app_url}/spending")
    for terms in (["Sumer"], ["Sumer", "Giza"]):
        add(tab, "terms", terms[-1])
        assert tags(tab, "terms") == terms
        assert_url(tab, term=terms)
    for categories in (["Bounties"], ["Bounties", "Media"]):
        add(tab, "categories", categories[-1])
        assert tags(tab, "categories") == categories
        assert_url(tab, category=categories, term=["Sumer", "Giza"])
    for amount in ("1000", "5000"):
        type_in(tab, "min", amount)
        assert input_value(tab, "min") == amount
        assert_url(tab, min=amount, category=["Bounties", "Media"])
    # The page's tabs (only the open one drawn, its name in the URL): each of two switches
    # keeps, and the spending filters are all back when their tab is.
    filters = {"min": "5000", "category": ["Bounties", "Media"], "term": ["Sumer", "Giza"]}
    for name in ("Budget per term", "Reimbursements"):
        open_tab(tab, name)
        assert tab.get_by_role("tab", selected=True).inner_text() == name
        assert_url(tab, section=name, **filters)
        assert widget(tab, "terms").count() == 0  # the spending filters are not drawn
    open_tab(tab, "Spending")
    assert tags(tab, "terms") == ["Sumer", "Giza"] and input_value(tab, "min") == "5000"
    assert_url(tab, section=None, **filters)


def test_spending_dates_keep_each_of_two_changes(page, synthetic_url: str) -> None:
    tab = open_page(page, f"{synthetic_url}/spending")
    first = start_date(tab, "dates")
    seen = []
    for _ in range(2):
        next_month_of_start(tab, "dates", "Decided between")
        seen.append(start_date(tab, "dates"))
        assert params(tab)["from"] == [seen[-1]]
    assert first < seen[0] < seen[1]
    assert "to" in params(tab)


def test_working_group_filters_keep_each_of_two_changes(page, synthetic_url: str) -> None:
    tab = open_page(page, f"{synthetic_url}/working_groups")
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / "working_groups.png"), full_page=True)
    first, last = slider_value(tab, "terms")
    assert last - first >= 5
    for start in (first + 1, first + 2):
        slide(tab, "terms")
        assert slider_value(tab, "terms") == [start, last]
        assert_url(tab, terms=f"{start}-{last}")
    for label, group_id in (("Forum", "forumWorkingGroup"), ("HR", "operationsWorkingGroupBeta")):
        choose(tab, "group", label)
        assert chosen(tab, "group") == label
        assert_url(tab, group=group_id, terms=f"{first + 2}-{last}")
    assert tab.get_by_text("HR in detail").count() == 1
    tab.screenshot(path=str(SHOTS / "working_groups-hr.png"), full_page=True)


def test_kpi_filters_keep_each_of_two_changes(page, app_url: str) -> None:
    tab = open_page(page, f"{app_url}/kpis?network=sumer")
    for terms in (["KPI round 18"], ["KPI round 18", "KPI round 17"]):
        add(tab, "term", terms[-1])
        assert tags(tab, "term") == terms
        assert_url(tab, term=terms)
    add(tab, "owner", "Council")
    assert tags(tab, "owner") == ["Council"]
    assert_url(tab, owner="Council")
    remove(tab, "owner", "Council")
    assert tags(tab, "owner") == []
    assert_url(tab, owner=None, term=["KPI round 18", "KPI round 17"])
    # Sumer's KPI rounds are all done (the open OKRs are mainnet's): set it, then clear it.
    add(tab, "status", "done")
    assert tags(tab, "status") == ["done"]
    assert_url(tab, status=["done"])
    remove(tab, "status", "done")
    assert tags(tab, "status") == []
    assert_url(tab, status=None, term=["KPI round 18", "KPI round 17"])
    # A network without KPIs shows no KPI filters; back on Sumer they start over, and the
    # widgets and the URL agree.
    choose(tab, "network", "alexandria")
    assert tab.get_by_text("No KPIs recorded yet for alexandria").count() == 1
    choose(tab, "network", "sumer")
    assert tags(tab, "term") == []
    assert_url(tab, network="sumer", term=None)


def test_term_report_term_keeps_each_of_two_changes(page, app_url: str) -> None:
    tab = open_page(page, f"{app_url}/term_report?network=sumer")
    for term in ("30", "25"):
        choose(tab, "term", f"term {term}")
        assert chosen(tab, "term") == f"term {term}"
        assert_url(tab, term=term)
    choose(tab, "network", "alexandria")
    assert chosen(tab, "term").endswith("(latest)")
    assert_url(tab, network="alexandria", term=None)


@pytest.mark.parametrize("path", ["", "election_watch"], ids=["overview", "election_watch"])
def test_network_picker_keeps_each_of_two_changes(page, app_url: str, path: str) -> None:
    tab = open_page(page, f"{app_url}/{path}")
    for network in ("alexandria", "constantinople"):
        choose(tab, "network", network)
        assert chosen(tab, "network") == network
        assert_url(tab, network=network)
