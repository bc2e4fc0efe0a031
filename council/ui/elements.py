"""The pages' shared elements: tables with their CSV downloads and number formats, empty
states, charts with their notes, charts and page sections in tabs, and expanders drawn only
while open."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

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


# Tables longer than this send only the rows in view to the browser (and on scrolling).
LAZY_ROWS = 2_000


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


def show_table(frame: pd.DataFrame, file_name: str, height: int | str = "auto") -> None:
    """A table plus a CSV download of exactly its rows and columns (the table shortens
    account addresses, the download keeps them whole)."""
    if frame.empty:
        empty_state("No rows match the current filters.")
        return
    # Shown cells are formula-safe too: the table's own toolbar can save it as CSV.
    st.dataframe(
        neutralise_formulas(fmt.display_frame(frame)),
        column_config=column_config(frame),
        hide_index=True,
        height=height,
        placeholder="–",  # not recorded / not applicable, instead of "None"
        lazy=len(frame) > LAZY_ROWS,
    )
    csv_download(frame, file_name)
