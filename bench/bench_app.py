"""The app as ``streamlit run app.py`` serves it, plus an empty page (``/empty``) for the
browser benchmark's baseline: the same server, sidebar and data, nothing on the page.

    streamlit run bench/bench_app.py

app.py's pages are named relative to the project folder; this script lives in bench/, so the
page paths are made absolute before app.py builds its navigation.
"""

import runpy
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
_page, _navigation = st.Page, st.navigation


def _absolute_page(page, *args, **kwargs):
    if isinstance(page, str) and page.endswith(".py"):
        page = ROOT / page
    return _page(page, *args, **kwargs)


def _with_empty_page(pages, *args, **kwargs):
    empty = _page(ROOT / "bench" / "empty_page.py", title="Empty", url_path="empty")
    return _navigation([*pages, empty], *args, **kwargs)


st.Page, st.navigation = _absolute_page, _with_empty_page
try:
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
finally:
    st.Page, st.navigation = _page, _navigation
