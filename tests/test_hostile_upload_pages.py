"""Hostile uploads on the pages (streamlit AppTest): what the check accepts renders, stored
values the check would now refuse do not break a page, and the upload page shows the check's
messages, stores nothing on a rejection and shows uploaded cells formula-safe."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from apptest_pages import APP, frame_with_column, run_page
from streamlit.testing.v1 import AppTest
from test_hostile_uploads import ACCEPTED, CORPUS, EXPECTED, dataset_of

from council import uploads

PAGES = ["app_pages/kpis.py", "app_pages/spending.py", "app_pages/term_report.py"]


@pytest.fixture(scope="module")
def snapshot_db(snapshot_copy) -> Path:
    return snapshot_copy("app")


@pytest.fixture(autouse=True)
def _fresh_page_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def run_pages(db: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, AppTest]:
    return {page: run_page(page, db, monkeypatch) for page in PAGES}


@pytest.mark.parametrize("name", ACCEPTED)
def test_every_accepted_file_renders_the_pages(
    name: str, snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = dataset_of(name)
    result = uploads.check(dataset, (CORPUS / name).read_bytes(), name)
    uploads.store_version(dataset, result.frame, name, "secretary")
    shown = run_pages(snapshot_db, monkeypatch)
    if dataset == uploads.KPIS.name:
        tables = [t.value for t in shown["app_pages/kpis.py"].dataframe if "Title" in t.value]
        table = max(tables, key=len)  # "All KPIs"
        # Shown as stored, a formula cell prefixed with ' (table cells are formula-safe).
        expected = [f"'{t}" if t[:1] in "=+-@\t" else t for t in result.frame["Title"]]
        assert sorted(table["Title"]) == sorted(expected)


def test_values_stored_before_the_check_refused_them_do_not_break_the_pages(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Versions stored by an older, laxer check: unusable values read as not recorded."""
    kpi_rows = pd.DataFrame(
        [["T9", "9.1", "Week date", "HR", "2023-W26-5", "1e309", "USD", "", "Finished",
          "1_000", "١٠٠"],
         ["T9", "9.2", "No date", "HR", "2023-02-30", "10", "usd", "", "done", "50", "5"]],
        columns=uploads.KPIS.column_names[:11],
    )  # fmt: skip
    uploads.store_version("kpis", kpi_rows.assign(Link="", Notes=""), "old.csv", "secretary")
    cats = pd.DataFrame(
        [["Sumer", "7.0", "Old", "Approved", "1_000", "1e309", "", "", "Tools", "", "", ""]],
        columns=uploads.SPENDING_CATEGORIES.column_names,
    )
    uploads.store_version("spending_categories", cats, "old.csv", "secretary")
    shown = run_pages(snapshot_db, monkeypatch)
    table = frame_with_column(shown["app_pages/kpis.py"], "Days left")
    table = table[["Title", "Deadline", "Reward", "Progress %"]]
    assert table.astype(object).where(table.notna(), None).to_dict("records") == [
        {"Title": "Week date", "Deadline": None, "Reward": None, "Progress %": None},
        {"Title": "No date", "Deadline": None, "Reward": 10.0, "Progress %": 50.0},
    ]


def _upload_page(monkeypatch: pytest.MonkeyPatch, snapshot_db: Path) -> AppTest:
    monkeypatch.setenv("COUNCIL_DB", str(snapshot_db))
    monkeypatch.setenv(uploads.TOKEN_ENV, "s3cret")
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("app_pages/upload.py")
    at.run()
    at.text_input(key="token").input("s3cret").run()
    return at


@pytest.mark.parametrize(
    "name", ["kpis-week-date.csv", "cats-unbalanced-quote-swallows-rows.csv", "cats-bom-only.csv"]
)
def test_the_upload_page_shows_the_message_and_stores_nothing(
    name: str, snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset = dataset_of(name)
    db = Path(os.environ["COUNCIL_UPLOADS_DB"])
    good = uploads.check(dataset, uploads.to_csv_text(uploads.current(dataset)).encode(), "s.csv")
    uploads.store_version(dataset, good.frame, "s.csv", "secretary")
    before = db.read_bytes()
    at = _upload_page(monkeypatch, snapshot_db)
    at.selectbox(key="dataset").select("KPIs" if dataset == "kpis" else "Spending categories")
    at.run()
    at.file_uploader(key="file").upload(name, (CORPUS / name).read_bytes(), "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert errors[0] == EXPECTED[name][1]
    assert errors[-1] == "Nothing was stored. Fix the problems above and upload again."
    assert db.read_bytes() == before
    assert [v.version for v in uploads.versions(dataset)] == [1]


def test_the_upload_page_shows_uploaded_cells_formula_safe(
    snapshot_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _upload_page(monkeypatch, snapshot_db)
    raw = (CORPUS / "cats-formula-cells.csv").read_bytes()
    at.file_uploader(key="file").upload("=cmd.csv", raw, "text/csv")
    at.run()
    shown = pd.concat(t.value for t in at.dataframe if "Category" in t.value)  # added, changed
    assert '\'=HYPERLINK("http://x","click")' in shown["Title"].tolist()
    assert set(shown["Category"]) >= {"'@SUM(A1)", "'-Tools", "'=Category"}
    # A stored version's own name and uploader are shown formula-safe too. (Stored here, not
    # by the Confirm button: AppTest restarts page navigation on every run, which drops a
    # button's click.)
    result = uploads.check("spending_categories", raw, "=cmd.csv")
    uploads.store_version("spending_categories", result.frame, "=cmd.csv", "=secretary")
    at = _upload_page(monkeypatch, snapshot_db)
    assert not at.exception, [e.value for e in at.exception]
    versions = frame_with_column(at, "file_name")
    assert versions[["file_name", "uploaded_by"]].values.tolist() == [["'=cmd.csv", "'=secretary"]]
    stored = uploads.current("spending_categories")
    assert stored.loc[0, "Title"] == '=HYPERLINK("http://x","click")', "stored as uploaded"
