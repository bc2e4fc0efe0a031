"""Hosting, in a real browser: two replicas behind nginx (deploy/local_replicas.py).

One start of two fresh replicas and nginx serves three checks: the very first visit to a page
URL gets app.py's navigation and keeps its filter; a page refresh that lands on the other
replica shows the same page and filter; and a refresh that swaps the cache under three open
sessions brings no error, each session seeing the new data on its next rerun. Skipped with the
reason when nginx cannot be installed. Screenshots go to artifacts/screenshots/host-*.png.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from qn_server import QueryNodeServer
from test_browser import SHOTS, browser, wait_idle  # noqa: F401 (browser: a fixture)
from test_browser_controls import slider_value

from council import fetch, first_start
from deploy import local_replicas, warm_up

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[local_replicas.Replicas]:
    db = tmp_path_factory.mktemp("host") / "council.db"
    first_start.build_if_absent(db)
    try:
        with local_replicas.running(db, replicas=2) as started:
            yield started
    except local_replicas.NoNginx as error:
        pytest.skip(f"nginx is not available: {error}")


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"host-{name}.png"), full_page=True)


def assert_no_error(tab) -> None:
    assert tab.locator("[data-testid='stException']").count() == 0
    assert tab.locator("[data-testid='stAlertContentError']").count() == 0


def settle(tab) -> None:
    """Idle, and still idle a moment later (a first run may rerun once for its URL state)."""
    wait_idle(tab)
    wait_idle(tab)


def test_first_visit_to_a_page_url_then_a_refresh_on_the_other_replica(
    browser,  # noqa: F811
    replicas: local_replicas.Replicas,
) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    tab = context.new_page()
    # The replicas were just started: this is the first visit either of them sees.
    first = tab.goto(f"{replicas.url}/elections?rounds=4-6")
    settle(tab)
    shot(tab, "first-visit-elections")
    assert tab.locator("h1").first.inner_text().strip() == "Election history"
    navigation = tab.locator("[data-testid='stSidebarNav']").inner_text()
    assert "Election history" in navigation and "Term report" in navigation  # app.py's titles
    assert "rounds=4-6" in tab.url
    assert slider_value(tab, "rounds") == [4, 6]
    assert_no_error(tab)

    served_by = first.headers["x-council-replica"]
    (cookie,) = [c for c in context.cookies() if c["name"] == local_replicas.COOKIE]
    assert local_replicas.replica_for(replicas.url, cookie["value"]) == served_by
    # The browser's replica goes away for it: a cookie that nginx routes to the other one.
    other_route = next(
        route
        for route in (f"moved-{n}" for n in range(50))
        if local_replicas.replica_for(replicas.url, route) != served_by
    )
    context.add_cookies([{**cookie, "value": other_route}])
    again = tab.reload()
    settle(tab)
    shot(tab, "refresh-other-replica")
    assert again.headers["x-council-replica"] not in (None, served_by)
    assert tab.locator("h1").first.inner_text().strip() == "Election history"
    assert "rounds=4-6" in tab.url and slider_value(tab, "rounds") == [4, 6]
    # The new replica's websocket session works: navigation reruns the app there.
    tab.locator("[data-testid='stSidebarNav'] a").filter(has_text="Leaderboard").click()
    tab.wait_for_selector("h1:has-text('Council leaderboard')", timeout=60_000)
    wait_idle(tab)
    assert tab.locator("h1").first.inner_text().strip() == "Council leaderboard"
    assert_no_error(tab)
    context.close()


def test_a_refresh_swaps_the_cache_under_open_sessions(
    browser,  # noqa: F811
    replicas: local_replicas.Replicas,
    qn_server: QueryNodeServer,
) -> None:
    sessions = []
    for _ in range(3):
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        tab = context.new_page()
        tab.goto(replicas.url)
        sessions.append((context, tab))
    for _, tab in sessions:
        wait_idle(tab)
        assert "Source: bundled snapshot" in tab.locator("[data-testid='stSidebar']").inner_text()

    fetch.refresh(qn_server.url, replicas.db, retries=0, backoff=0)  # the timer's swap

    for n, (context, tab) in enumerate(sessions):
        tab.locator("[data-testid='stSidebarNav'] a").filter(has_text="Election watch").click()
        tab.wait_for_selector("h1:has-text('Election watch')", timeout=60_000)
        wait_idle(tab)
        shot(tab, f"after-swap-{n}")
        sidebar = tab.locator("[data-testid='stSidebar']").inner_text()
        assert f"Source: {qn_server.url}" in sidebar
        assert_no_error(tab)
        context.close()


def test_nginx_keeps_the_script_check_from_visitors(replicas: local_replicas.Replicas) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{replicas.url}/_stcore/script-health-check", timeout=30)
    assert refused.value.code == 404
    assert warm_up.main(replicas.replica_urls) == 0  # each replica's own port runs it
