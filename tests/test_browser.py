"""Real-browser checks: `streamlit run app.py` on loopback, driven by Playwright in Chromium.

Marked ``browser`` (select with ``-m browser``). Uses Debian's chromium (/usr/bin/chromium),
never a downloaded browser; skipped with a reason when it is not installed. Every run saves
a full-page screenshot of each page to artifacts/screenshots/.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from council import data, tables
from council.stats import elections
from council.synthetic import write_synthetic_cache
from deploy.local_replicas import free_port, start_replica, wait_healthy
from deploy.local_replicas import stop as stop_server

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
UPLOAD_TOKEN = "browser-test-token"
START_UP_TIMEOUT = 240  # the machine is shared: Streamlit can take long to come up
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def cache_db(snapshot_copy) -> Path:
    return snapshot_copy("browser")


@contextlib.contextmanager
def serve_app(db: Path, upload_token: str | None = UPLOAD_TOKEN) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port, reading ``db``; yields the base URL.

    ``upload_token`` None: a server where nobody can upload (a visitor's).
    """
    port = free_port()
    env = {**os.environ, "COUNCIL_DB": str(db), "COUNCIL_UPLOADS_DB": str(db) + ".uploads"}
    env["COUNCIL_WARM_UP"] = "1"  # as a real server
    if upload_token:
        env["COUNCIL_UPLOAD_TOKEN"] = upload_token
    with tempfile.TemporaryDirectory(prefix="council-server-") as logs:
        process = start_replica(port, env, Path(logs) / "streamlit.log")
        url = f"http://127.0.0.1:{port}"
        try:
            # Generous: a loaded 2-core machine runs two test workers and their browsers.
            wait_healthy(url, process, timeout=START_UP_TIMEOUT)
            yield url
        finally:
            stop_server(process)


@pytest.fixture(scope="module")
def app_url(cache_db: Path) -> Iterator[str]:
    with serve_app(cache_db) as url:
        yield url


@pytest.fixture(scope="module")
def synthetic_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on a small generated mainnet-like cache with proposals and proposal votes."""
    path = tmp_path_factory.mktemp("browser-synthetic") / "council.db"
    write_synthetic_cache(path, rounds=10, candidates=60, votes=400, seed=1)
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
    # Streamlit scrolls inside its own container, so a "full page" screenshot is the viewport:
    # a tall one shows whole pages.
    context = browser.new_context(viewport={"width": 1400, "height": 4400}, accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()


# True once the app's script is not running, nothing on the page is a stale copy or a loading
# skeleton (a screenshot then shows empty grey boxes), and the page has not changed for
# ``quiet`` ms (charts are drawn after the script ends). The first call on a page starts
# watching for changes.
SETTLED = """(quiet) => {
  if (window.__councilLastChange === undefined) {
    window.__councilLastChange = performance.now();
    new MutationObserver(() => { window.__councilLastChange = performance.now(); }).observe(
      document, {subtree: true, childList: true, attributes: true, characterData: true});
    return false;
  }
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && app.dataset.testScriptState === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')
    && performance.now() - window.__councilLastChange >= quiet;
}"""
QUIET_MS = 300  # no change for this long: the page has settled


def wait_idle(tab, after_input: bool = True) -> None:
    """Wait until the app has finished running its script and the page has settled.

    ``after_input=False`` right after ``tab.goto``: a page that has just loaded says its
    script has not run yet ("initial") until its first run ends.
    """
    if after_input:
        # A rerun that a click or key press asks for shows only when the server answers:
        # give it that long to start before looking for "not running".
        tab.wait_for_timeout(500)
    # Generous: a loaded 2-core machine runs two test workers, their servers and browsers.
    tab.wait_for_selector("[data-testid='stMainBlockContainer'] h1", timeout=120_000)
    tab.wait_for_function(SETTLED, arg=QUIET_MS, polling=100, timeout=120_000)


def open_page(tab, url: str, name: str):
    tab.goto(url)
    tab.wait_for_selector("[data-testid='stApp']")
    wait_idle(tab, after_input=False)
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert tab.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in tab.inner_text("body")
    return tab


def assert_chart_drawn(tab) -> None:
    """A Vega chart has been drawn (charts render asynchronously after the script ends)."""
    tab.wait_for_selector(".vega-embed canvas, .vega-embed svg", state="attached", timeout=20_000)


def download_bytes(tab, file_name: str) -> bytes:
    """Click the download button of the table saved as ``file_name``; the bytes that arrive."""
    key = "download-" + file_name.replace(".", "-")
    # Not the copy Streamlit keeps on screen while it reruns (data-stale): a click on that one
    # can be lost, so a click that brings no download is tried once more on the settled page.
    # A button that stays disabled (seen once in CI under load: a lost connection or a
    # download that never finished) is given a fresh page: the filters live in the URL.
    button = tab.locator(f".st-key-{key}:not([data-stale='true']) button")
    for attempt in (1, 2, 3):
        wait_idle(tab, after_input=attempt == 1)
        try:
            with tab.expect_download(timeout=60_000) as info:
                button.click()
            break
        except playwright.TimeoutError:
            if attempt == 3:
                raise
            if button.is_disabled():
                tab.reload()
                tab.wait_for_selector("[data-testid='stApp']")
    assert info.value.suggested_filename == file_name
    data = Path(info.value.path()).read_bytes()
    wait_idle(tab)
    return data


def download_csv(tab, file_name: str) -> pd.DataFrame:
    """Click the download button of the table saved as ``file_name``; read what arrives."""
    return pd.read_csv(io.BytesIO(download_bytes(tab, file_name)))


def expected_candidacies(db: Path, **filters) -> pd.DataFrame:
    d = data.load(db).for_network("sumer")
    results, _ = elections.election_tables(d)
    shown = elections.filter_candidacies(results, **filters)
    return tables.candidacy_table(shown)


PAGES = [
    ("", "Joystream Council Dashboard", False),
    ("elections", "Election history", True),
    ("leaderboard", "Council leaderboard", True),
    ("spending", "Council spending", True),
    ("working_groups", "Working groups", False),  # the bundle has none; live: fetched ones
    ("kpis", "KPI progress", False),  # mainnet: one OKR quarter, no trend across terms
    ("kpis?network=sumer", "KPI progress", True),
    ("election_watch", "Election watch", False),
    ("term_report", "Council term report", False),
    ("upload", "Secretary uploads", False),
    ("about", "Data & refresh", False),
]


# The pages with a network picker: a fresh clone (no network in the URL) opens them on mainnet.
NETWORK_PAGES = ["", "elections", "leaderboard", "kpis", "election_watch", "term_report"]


@pytest.mark.parametrize(
    ("path", "title", "has_chart"), PAGES, ids=[p[0] or "overview" for p in PAGES]
)
def test_page_shows_its_title_and_no_error(
    page, app_url: str, path: str, title: str, has_chart: bool
) -> None:
    tab = open_page(page, f"{app_url}/{path}", path or "overview")
    assert tab.locator("h1").first.inner_text().strip() == title
    assert tab.locator("[data-testid='stAlertContentError']").count() == 0
    if has_chart:
        assert_chart_drawn(tab)
    if path in NETWORK_PAGES:  # a fresh clone opens every page on mainnet
        picker = tab.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
        assert picker.locator("input").input_value() == "mainnet"
        assert "network=" not in tab.url


def test_every_network_page_is_opened_without_a_network() -> None:
    assert {path for path, _, _ in PAGES} >= set(NETWORK_PAGES)


def test_spending_download_matches_the_category_totals(page, app_url: str) -> None:
    tab = open_page(page, f"{app_url}/spending", "spending")
    text = download_bytes(tab, "spending-by-category.csv").decode("utf-8")
    totals = pd.read_csv(io.StringIO(text))
    assert totals.columns.tolist() == ["Category", "Proposals", "Amount (JOY)", "Share (%)"]
    assert totals.iloc[0]["Category"] == "Bounties"
    # The starter file's 285 Approved rows; its 4 canceled or expired rows with an amount
    # minted were not paid and do not count.
    assert totals["Proposals"].sum() == 285
    # Exact amounts and percent shares, as the table shows them.
    rows = text.splitlines()
    assert rows[0] == "Category,Proposals,Amount (JOY),Share (%)"
    assert not any(".0," in row or row.endswith(".0") for row in rows), "no float artefacts"
    assert abs(totals["Share (%)"].sum() - 100) < 0.05, "percent numbers, as the table shows them"


def test_vote_download_carries_exact_stakes_and_whole_accounts(
    page, app_url: str, cache_db: Path
) -> None:
    tab = open_page(page, f"{app_url}/elections?network=sumer&round=25", "elections-round-25")
    votes = pd.read_csv(io.BytesIO(download_bytes(tab, "votes-round-25-sumer.csv")), dtype=str)
    expected = data.load_round_votes(cache_db, "sumer", 25)
    assert sorted(votes["Voter account"]) == sorted(expected["cast_by"]), "whole accounts"
    assert not votes["Stake (JOY)"].str.endswith(".0").any()


def test_url_opens_the_filtered_view(page, app_url: str, cache_db: Path) -> None:
    tab = open_page(
        page,
        f"{app_url}/elections?network=sumer&rounds=10-20&member=blackmass&candidacies=true",
        "elections-filtered",
    )
    got = download_csv(tab, "candidacies-sumer.csv")
    expected = expected_candidacies(cache_db, cycle_range=(10, 20), handles=["blackmass"])
    assert set(got["Candidate"]) == {"blackmass"}
    assert got["Round"].tolist() == expected["Round"].tolist()


def test_election_table_download_matches_the_table_and_a_filter_changes_both(
    page, app_url: str, cache_db: Path
) -> None:
    # The candidacies table is drawn only while its expander is open: the URL opens it.
    tab = open_page(page, f"{app_url}/elections?network=sumer&candidacies=true", "elections-sumer")
    assert_chart_drawn(tab)
    before = download_csv(tab, "candidacies-sumer.csv")
    expected = expected_candidacies(cache_db)
    assert len(before) == len(expected)
    assert list(before.columns) == list(expected.columns)
    assert before["Candidate"].tolist() == expected["Candidate"].tolist()
    # A filter changes the table and the URL.
    member_box = tab.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    member_box.click()
    tab.keyboard.type("ilich")
    tab.keyboard.press("Enter")
    tab.keyboard.press("Escape")  # close the open option list before clicking elsewhere
    tab.wait_for_function("() => window.location.search.includes('member=ilich')")
    wait_idle(tab)
    after = download_csv(tab, "candidacies-sumer.csv")
    assert set(after["Candidate"]) == {"ilich"}
    assert len(after) < len(before)


def test_leaderboard_heatmap_on_data_with_proposal_votes(page, synthetic_url: str) -> None:
    tab = open_page(page, f"{synthetic_url}/leaderboard", "leaderboard-synthetic")
    assert tab.get_by_text("No proposals were decided").count() == 0
    tab.wait_for_function("() => document.querySelectorAll('.vega-embed').length >= 2")
    assert_chart_drawn(tab)


def test_term_report_download_is_the_command_lines_report(
    page, app_url: str, cache_db: Path
) -> None:
    tab = open_page(page, f"{app_url}/term_report?network=sumer&term=30", "term_report-30")
    with tab.expect_download() as info:
        tab.locator(".st-key-download-report button").click()
    assert info.value.suggested_filename == "council-term-30-report-sumer.md"
    downloaded = Path(info.value.path()).read_text(encoding="utf-8")
    env = {**os.environ, "COUNCIL_UPLOADS_DB": str(cache_db) + ".uploads"}
    command = [sys.executable, "-m", "council.report", "--term", "30", "--network", "sumer"]
    printed = subprocess.run(
        [*command, "--db", str(cache_db)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert downloaded.strip() == printed.strip()
    assert "# Council term 30 report (sumer)" in downloaded


def test_secretary_uploads_a_file_and_a_bad_one_changes_nothing(
    page, app_url: str, cache_db: Path, tmp_path: Path
) -> None:
    tab = open_page(page, f"{app_url}/upload", "upload")
    tab.get_by_label("Upload token").fill(UPLOAD_TOKEN)
    tab.keyboard.press("Enter")
    wait_idle(tab)
    bad = tmp_path / "bad.csv"
    bad.write_text("Testnet;Proposal #\nSumer;1\n")
    tab.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(bad))
    wait_idle(tab)
    body = tab.inner_text("body")
    assert "bad.csv, row 1: is missing column(s)" in body
    assert "Nothing was stored" in body
    assert "No uploads yet" in body
    good = tmp_path / "categories.csv"
    good.write_text((ROOT / "data" / "spending_proposal_categories.csv").read_text())
    tab.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(good))
    wait_idle(tab)
    assert "categories.csv: 1,483 rows are valid. 0 added, 0 removed, 0 changed." in tab.inner_text(
        "body"
    )
    tab.get_by_label("Your name (kept with the version)").fill("secretary")
    tab.keyboard.press("Enter")
    wait_idle(tab)
    tab.get_by_role("button", name="Confirm upload").click()
    wait_idle(tab)
    tab.screenshot(path=str(SHOTS / "upload-confirmed.png"), full_page=True)
    assert "Stored as version 1." in tab.inner_text("body")
