"""The Spending page's check against the chain and the Council log page in a real browser.

One `streamlit run` on a small synthetic mainnet cache (its proposals are the chain's) with a
spending file that lacks, adds and disagrees on proposals, and two log entries; screenshots go
to artifacts/screenshots/council-log-*.png and spending-check.png.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from test_browser import (
    CHROMIUM,
    SHOTS,
    UPLOAD_TOKEN,
    download_bytes,
    open_page,
    serve_app,
    wait_idle,
)
from test_browser_controls import add, assert_url, open_list, params, remove, widget

from council import synthetic, uploads
from council.council_log import entries, store

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed"),
]
playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

SPENDING_ROWS = (
    "Mainnet,5,Ask 5,Approved,16200,16200,,,Tools,,,\n"
    "Mainnet,7,Ask 7,Approved,21700,20000,,50,Bounties,4,,N\n"
    "Mainnet,999,Not on chain,Approved,10,10,,,Tools,,,\n"
)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser-log") / "council.db"
    synthetic.write_synthetic_cache(db, rounds=4, candidates=24, votes=60, proposals_per_term=12)
    stored = Path(str(db) + ".uploads")  # where serve_app points COUNCIL_UPLOADS_DB
    header = ",".join(uploads.SPENDING_CATEGORIES.column_names)
    result = uploads.check("spending_categories", f"{header}\n{SPENDING_ROWS}".encode(), "c.csv")
    uploads.store_version("spending_categories", result.frame, "c.csv", "test", path=stored)
    rights = {"token": UPLOAD_TOKEN, "expected": UPLOAD_TOKEN, "path": stored}
    for date, term, title, tags in (
        ("2024-05-01", "2", "Refill came late", ["budget", "Jsgenesis"]),
        ("2024-06-02", "3", "Election round 3 had few candidates", ["election"]),
    ):
        store.add(entries.check(date, term, title, "See *proposal* 5.", tags, "5"), "s", **rights)
    with serve_app(db) as url:
        yield url


@pytest.fixture(scope="module")
def tab(app_url: str) -> Iterator[object]:
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            viewport={"width": 1400, "height": 4000}, accept_downloads=True
        )
        yield context.new_page()
        context.close()
        browser.close()


def test_spending_check_and_missing_rows_download(tab, app_url: str) -> None:
    open_page(tab, f"{app_url}/spending?section=Reimbursements", "spending-reimbursements")
    assert "Bounties pending reimbursement by Jsgenesis" in tab.inner_text("body")
    open_page(tab, f"{app_url}/spending?section=File+check", "spending-check")
    assert "The spending file checked against the chain" in tab.inner_text("body")
    rows = pd.read_csv(
        io.BytesIO(download_bytes(tab, "spending-missing-rows-mainnet.csv")), dtype=str
    ).fillna("")
    assert list(rows.columns) == uploads.SPENDING_CATEGORIES.column_names
    assert "5" not in rows["Proposal #"].tolist() and "7" not in rows["Proposal #"].tolist()
    assert set(rows["Testnet"]) == {"Mainnet"}
    assert set(rows["Category"]) == {""}


def test_log_filters_downloads_and_an_added_entry(tab, app_url: str) -> None:
    open_page(tab, f"{app_url}/council_log?tag=election&q=late", "council-log-filtered")
    assert "No entries match the filters." in tab.inner_text("body")  # 'late' is no election
    add(tab, "log_tags", "budget")  # two changes in a row: both kept, the URL follows
    assert_url(tab, tag=["election", "budget"], q="late")
    remove(tab, "log_tags", "election")
    assert_url(tab, tag="budget")
    assert "Refill came late" in tab.inner_text("body")
    markdown = download_bytes(tab, "council-log.md").decode()
    assert markdown.startswith("# Council log\n\n## 2024-05-01 · term 2 · Refill came late\n")
    assert "Election round 3" not in markdown
    tab.get_by_label("Upload token").fill(UPLOAD_TOKEN)
    tab.keyboard.press("Enter")
    wait_idle(tab)
    tab.get_by_label("Your name (kept with each change)").fill("secretary")
    tab.keyboard.press("Enter")
    wait_idle(tab)
    widget(tab, "addh").locator("input").fill("Pioneer <img src=x onerror=alert(1)> late")
    open_list(tab, widget(tab, "addg").locator("input[role='combobox']"))
    tab.get_by_role("option", name="budget", exact=True).click()
    tab.keyboard.press("Escape")
    wait_idle(tab)
    tab.get_by_role("button", name="Add entry").click()
    wait_idle(tab)
    assert "Entry added." in tab.inner_text("body")
    shown = tab.get_by_text("Pioneer <img src=x onerror=alert(1)> late")
    assert shown.count() >= 1  # the HTML is shown as text
    assert tab.locator("img[src='x']").count() == 0
    assert params(tab)["tag"] == ["budget"]
    tab.screenshot(path=str(SHOTS / "council-log-added.png"), full_page=True)
