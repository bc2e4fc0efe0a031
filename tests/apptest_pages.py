"""Running the app's pages under Streamlit's AppTest, shared by the page tests."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
# Every page of app.py's navigation.
ALL_PAGES = [
    "app_pages/overview.py",
    "app_pages/elections.py",
    "app_pages/voters.py",
    "app_pages/leaderboard.py",
    "app_pages/spending.py",
    "app_pages/working_groups.py",
    "app_pages/kpis.py",
    "app_pages/election_watch.py",
    "app_pages/term_report.py",
    "app_pages/upload.py",
    "app_pages/council_log.py",
    "app_pages/about.py",
]


def run_page(page: str, db: Path, monkeypatch: pytest.MonkeyPatch, **params: str) -> AppTest:
    """Run ``page`` through app.py on the cache ``db`` with URL ``params``; fail on exceptions."""
    monkeypatch.setenv("COUNCIL_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_expanders(at: AppTest, *keys: str) -> AppTest:
    """Open the page's expanders ``keys`` (``ui.table_in_expander``, ``ui.markdown_source``:
    their content is drawn only while open) and run the page again."""
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_source(at: AppTest, key: str) -> str:
    """The text of the page's markdown source (``ui.markdown_source`` with ``key``): its code
    box is drawn only once its expander is opened, so open it and run the page again."""
    assert not at.code, "the code box is drawn before its expander is opened"
    (box,) = open_expanders(at, key).code
    return box.value


def frame_with_column(at: AppTest, column: str) -> pd.DataFrame:
    """The first table the page shows that has ``column``; a static table's (``st.table``,
    ``ui.show_short_table``) as text, its Markdown escapes undone."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    for table in at.table:
        if column in table.value.columns:
            return table.value.map(lambda cell: re.sub(r"\\(.)", r"\1", str(cell)))
    raise AssertionError(f"no table with a {column!r} column")
