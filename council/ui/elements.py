"""The pages' shared elements: tables with their CSV downloads and number formats, empty
states, charts with their notes, charts and page sections in tabs, and expanders drawn only
while open."""

from __future__ import annotations

import contextlib
import functools
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence

import pandas as pd
import streamlit as st
from streamlit import dataframe_util
from streamlit.dataframe import lazy_df_source

from council import format as fmt
from council.format import neutralise_formulas, safe_csv_bytes


def empty_state(message: str) -> None:
    """A friendly notice for a page or section with nothing to show."""
    st.info(message, icon="ℹ️")


def csv_download(frame: pd.DataFrame, file_name: str, label: str = "Download CSV") -> None:
    """A download button for exactly the rows and columns of ``frame`` (formula-safe; numbers,
    shares and whole accounts by ``council.format``'s rule)."""
    # A callable: the CSV is made when someone clicks, not on every rerun of the page.
    st.download_button(
        label,
        data=functools.partial(safe_csv_bytes, frame),
        file_name=file_name,
        mime="text/csv",
        key=f"download-{file_name}",
        icon=":material/download:",
    )


def column_config(frame: pd.DataFrame) -> dict[str, object]:
    """Number formats by column label (``council.format``'s rule): amounts with thousands
    separators, shares (percent numbers) as ``52.22 %``."""
    config: dict[str, object] = {}
    for column in frame.columns:
        if fmt.is_amount(column):
            config[column] = st.column_config.NumberColumn(column, format="localized")
        elif fmt.is_percent(column):
            config[column] = st.column_config.NumberColumn(column, format="%.2f %%")
        elif column == "Link":
            config[column] = st.column_config.LinkColumn(column, display_text="Pioneer")
        elif column == "Progress %":
            config[column] = st.column_config.ProgressColumn(
                column, min_value=0, max_value=100, format="%d %%"
            )
    return config


def show_short_table(frame: pd.DataFrame, file_name: str) -> None:
    """A short table (a council's seats) drawn static, plus a CSV download of exactly its rows
    and columns: cells as :func:`show_table` shows them (``council.format``'s rule), text as
    written (Markdown escaped: ``st.table`` draws its cells as Markdown). The browser then
    needs none of the interactive table's code, ~1.6 MB that a new visitor's first page (the
    Overview) would otherwise wait for; no sorting, which a few rows do not need."""
    if frame.empty:
        empty_state("No rows match the current filters.")
        return
    st.table(fmt.escaped_cells(fmt.display_frame(frame)), hide_index=True)
    csv_download(frame, file_name)


# Tables longer than this send only the rows in view to the browser (and on scrolling).
LAZY_ROWS = 2_000
# A lazy table's rows per chunk where a page asks for it (show_table's chunk_rows): a visitor
# sees about ten rows at a time.
CHUNK_ROWS = 100


@st.fragment
def chart_tabs(specs: Sequence[dict], key: str) -> None:
    """Vega-Lite charts in tabs named by their titles, only the open tab's chart drawn: each
    chart drawn costs the browser time on every filter change. Choosing a tab reruns only
    this part of the page (a fragment); the open tab is ``st.session_state[key]``."""
    if not specs:
        return
    titles = [spec.get("title", f"Chart {n}") for n, spec in enumerate(specs, start=1)]
    tabs = st.tabs(titles, key=key, on_change="rerun")
    for tab, spec in zip(tabs, specs, strict=True):
        if tab.open:
            # The tab names the chart: no title repeated above it.
            tab.vega_lite_chart({k: v for k, v in spec.items() if k != "title"}, width="stretch")


def section_tabs(sections: Mapping[str, Callable[[], None]], key: str) -> None:
    """A page's parts as tabs, only the open one drawn (``sections``: tab label -> the function
    drawing it): a long page's elements cost the browser layout time whether seen or not. The
    open tab is in the URL as ``?KEY=<label>``, so a link can open it (Streamlit's own
    query-parameter binding; switching tabs reruns the page)."""
    tabs = st.tabs(list(sections), key=key, bind="query-params")
    for tab, draw in zip(tabs, sections.values(), strict=True):
        if tab.open:
            with tab:
                draw()


def chart(spec: dict | None, note: str | None = None) -> None:
    """A Vega-Lite chart (none when ``spec`` is empty) and, below it, ``note``: what the chart
    leaves out (a chart draws at most ``charts.MAX_BARS`` bars; its table keeps every row)."""
    if spec:
        st.vega_lite_chart(spec, width="stretch")
    if note:
        st.caption(note)


def _open_expander(label: str, key: str, icon: str | None = None, url: bool = False):
    """An expander whose content is sent and drawn only while it is open (a closed one's
    content costs the browser as much as an open one's): the container while open, else None.
    Open: ``st.session_state[key]`` (opening it reruns the page); ``url``: also in the URL as
    ``?KEY=true`` (Streamlit's own query-parameter binding), so a link can open it."""
    bind = "query-params" if url else None
    box = st.expander(label, key=key, on_change="rerun", icon=icon, bind=bind)
    return box if box.open else None


def markdown_source(label: str, text: str, key: str, note: str | None = None) -> None:
    """Markdown to copy (a code box with a copy button, ``note`` above it) in an expander
    drawn only while open (:func:`_open_expander`): the browser spends about 0.4 s loading
    the code box's highlighter on every page load that shows one."""
    if box := _open_expander(label, key, icon=":material/content_copy:"):
        if note:
            box.markdown(note)
        box.code(text, language="markdown")


def table_in_expander(
    label: str,
    frame: pd.DataFrame,
    file_name: str,
    key: str,
    height: int | str = "auto",
    url: bool = False,
) -> None:
    """:func:`show_table` in an expander drawn only while open (:func:`_open_expander`;
    ``url``: its open state in the URL as ``?KEY=true``)."""
    if box := _open_expander(label, key, url=url):
        with box:
            show_table(frame, file_name, height=height)


# Streamlit's own chunk size, and a lock so that two sessions drawing chunked tables at once
# cannot leave the other's size in place.
_STREAMLIT_CHUNK_ROWS = lazy_df_source.DEFAULT_PAGE_SIZE
_CHUNK_LOCK = threading.Lock()


@contextlib.contextmanager
def _rows_per_chunk(rows: int) -> Iterator[None]:
    """Streamlit's lazy tables send ``rows`` rows at a time while inside: its chunk of 1,000
    rows has no parameter (``lazy_df_source.DEFAULT_PAGE_SIZE``, read on each call). Its own
    size is back on leaving."""
    with _CHUNK_LOCK:
        lazy_df_source.DEFAULT_PAGE_SIZE = rows
        try:
            yield
        finally:
            lazy_df_source.DEFAULT_PAGE_SIZE = _STREAMLIT_CHUNK_ROWS


# A chunked table's rows as Arrow, per table object (id -> (weak reference, rows)).
_SHOWN_ROWS: dict[int, tuple[weakref.ref, object]] = {}


def _shown_rows(frame: pd.DataFrame):
    """``frame`` as a table shows it (accounts shortened, formula-safe) as the Arrow table a
    lazy table serves its chunks from, made once per table object: a view cached as a shared
    resource (``st.cache_resource``) is the same object on every rerun, and converting
    thousands of rows on each was most of a rerun's work. Treat ``frame`` as read-only."""
    key = id(frame)
    made = _SHOWN_ROWS.get(key)
    if made is not None and made[0]() is frame:
        return made[1]
    shown = neutralise_formulas(fmt.display_frame(frame))
    # As Streamlit's lazy table converts a pandas frame (its index kept as a column).
    rows = dataframe_util.convert_pandas_df_to_arrow_table(shown, preserve_index=True)
    _SHOWN_ROWS[key] = (weakref.ref(frame, lambda _: _SHOWN_ROWS.pop(key, None)), rows)
    return rows


def show_table(
    frame: pd.DataFrame,
    file_name: str,
    height: int | str = "auto",
    chunk_rows: int | None = None,
) -> None:
    """A table plus a CSV download of exactly its rows and columns (the table shortens
    account addresses, the download keeps them whole).

    A table longer than :data:`LAZY_ROWS` sends the browser only the rows in view and more as
    the visitor scrolls or sorts (Streamlit's lazy table), 1,000 rows at a time, or
    ``chunk_rows`` (:data:`CHUNK_ROWS`): a filter change then re-sends a hundred rows, not a
    thousand; such a table's rows are prepared once per table object (:func:`_shown_rows`).
    Shorter tables are sent whole (the table's search needs every row in the browser). The
    CSV download keeps every row either way."""
    if frame.empty:
        empty_state("No rows match the current filters.")
        return
    lazy = len(frame) > LAZY_ROWS
    chunked = lazy and chunk_rows is not None
    # Shown cells are formula-safe too: the table's own toolbar can save it as CSV.
    with _rows_per_chunk(chunk_rows) if chunked else contextlib.nullcontext():
        st.dataframe(
            _shown_rows(frame) if chunked else neutralise_formulas(fmt.display_frame(frame)),
            column_config=column_config(frame),
            hide_index=True,
            height=height,
            placeholder="–",  # not recorded / not applicable, instead of "None"
            lazy=lazy,
        )
    csv_download(frame, file_name)
