"""The app as ``streamlit run app.py`` serves it, plus an empty page (``/empty``) for the
browser benchmark's baseline: the same server, sidebar and data, nothing on the page.

    streamlit run bench/bench_app.py

app.py's pages are named relative to the project folder; this script lives in bench/, so the
page paths (of the navigation and of page links) are made absolute before app.py uses them.
"""

import runpy
from pathlib import Path

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

ROOT = Path(__file__).resolve().parents[1]
_page, _navigation, _page_link = st.Page, st.navigation, st.page_link
_container_page_link = DeltaGenerator.page_link


def _absolute(page):
    return str(ROOT / page) if isinstance(page, str) and page.endswith(".py") else page


def _absolute_page(page, *args, **kwargs):
    return _page(_absolute(page), *args, **kwargs)


def _absolute_page_link(page, *args, **kwargs):
    return _page_link(_absolute(page), *args, **kwargs)


def _absolute_container_page_link(self, page, *args, **kwargs):
    return _container_page_link(self, _absolute(page), *args, **kwargs)


def _with_empty_page(pages, *args, **kwargs):
    empty = _page(ROOT / "bench" / "empty_page.py", title="Empty", url_path="empty")
    return _navigation([*pages, empty], *args, **kwargs)


st.Page, st.navigation, st.page_link = _absolute_page, _with_empty_page, _absolute_page_link
DeltaGenerator.page_link = _absolute_container_page_link  # column.page_link(...)
try:
    runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
finally:
    st.Page, st.navigation, st.page_link = _page, _navigation, _page_link
    DeltaGenerator.page_link = _container_page_link
