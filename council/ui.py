"""Streamlit helpers shared by the pages: cached loading, freshness, URL state, downloads.

The only module in council/ that imports streamlit.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from council import data, filters, refresh_state, store, uploads
from council import format as fmt
from council.format import age_text, block_with_date, neutralise_formulas, safe_csv_bytes
from council.stats import overview


def ensure_app_navigation() -> None:
    """Make sure app.py's st.navigation is in charge, also on a server's very first visit.

    Because the project has a pages/ folder, Streamlit starts in its older multipage mode and
    runs a page file directly when the first visit after a server start is a page URL (such
    as /elections), skipping app.py's navigation and sidebar. Every page calls this first: it
    switches Streamlit to app.py's navigation and reruns, which then shows the same page.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def db_path() -> Path:
    """The cache the app reads ($COUNCIL_DB or data/council.db)."""
    return store.default_db_path()


@st.cache_resource(show_spinner="Loading council data…", max_entries=2)
def _load(path: str, mtime: float) -> data.CouncilData:
    # Keyed on mtime so a refresh (which replaces the file) is picked up without a restart.
    # A resource, not cache_data: the frames are shared read-only, never copied per rerun.
    del mtime
    return data.load(Path(path))


def council_data() -> data.CouncilData:
    """The cache's tables, loaded once per cache version. Treat them as read-only."""
    path = db_path()
    return _load(str(path), data.cache_mtime(path))


@st.cache_data(show_spinner=False, max_entries=64)
def _round_votes(path: str, mtime: float, network: str, cycle_id: int) -> pd.DataFrame:
    del mtime
    return data.load_round_votes(Path(path), network, cycle_id)


def round_votes(network: str, cycle_id: int) -> pd.DataFrame:
    """Every vote of one round, read on demand (cached per cache version)."""
    return _round_votes(*cache_key(), network, int(cycle_id))


def table_sizes() -> dict[str, int]:
    """Rows per cache table."""
    return data.table_sizes(db_path())


def cache_key() -> tuple[str, float]:
    """A hashable key that changes when the cache file changes (for st.cache_data)."""
    path = db_path()
    return str(path), data.cache_mtime(path)


def uploads_key() -> float:
    """Changes whenever an upload is stored (for st.cache_data on uploaded tables)."""
    return data.cache_mtime(uploads.uploads_db_path())


def upload_token() -> str | None:
    """The secretary's upload token: st.secrets["upload_token"] or $COUNCIL_UPLOAD_TOKEN."""
    try:
        secret = st.secrets.get("upload_token")
    except (FileNotFoundError, KeyError, st.errors.StreamlitSecretNotFoundError):
        secret = None
    return secret or os.environ.get(uploads.TOKEN_ENV) or None


def clear_caches() -> None:
    """Forget every cached load and computation, so pages show the new cache."""
    st.cache_data.clear()
    st.cache_resource.clear()


def stale_after() -> timedelta:
    """How old fetched data may get before the app warns ($COUNCIL_STALE_AFTER, default 1d)."""
    return refresh_state.parse_duration(os.environ.get("COUNCIL_STALE_AFTER", "1d"))


def freshness_sidebar(meta: dict[str, str]) -> None:
    """Sidebar block on every page: where the data came from, how old it is, and a warning
    when the last refresh failed or the data is older than :func:`stale_after`."""
    with st.sidebar:
        st.caption("**Data**")
        if not meta:
            st.warning("No data cache yet. Run `make run` or refresh on the Data page.")
            return
        source = meta.get("source", "unknown")
        refreshed = refresh_state.parse_time(meta.get("refreshed_at"))
        st.caption(f"Source: {source}")
        if refreshed and source.startswith("http"):
            now = datetime.now(UTC)
            st.caption(f"Refreshed: {refreshed:%Y-%m-%d %H:%M} UTC ({age_text(refreshed, now)})")
        elif refreshed:  # a snapshot's build time says nothing about how current its data is
            st.caption(f"Cache built: {refreshed:%Y-%m-%d %H:%M} UTC (not a live source)")
        ends = data_ends()
        if ends:
            lines = [
                f"{network}: {block_with_date(end.block, end.time, end.estimated)}"
                if end
                else f"{network}: –"
                for network, end in ends.items()
            ]
            st.caption("Data ends (newest block):  \n" + "  \n".join(lines))
        problem = refresh_state.freshness_problem(
            meta, refresh_state.read_status(db_path()), stale_after()
        )
        if problem:
            st.warning(problem, icon="⚠️")


@st.cache_data(show_spinner=False, max_entries=4)
def _data_ends(path: str, mtime: float) -> dict[str, overview.DataEnd | None]:
    loaded = _load(path, mtime)
    return {network: overview.data_end(loaded.for_network(network)) for network in loaded.networks}


def data_ends() -> dict[str, overview.DataEnd | None]:
    """Where each network's data ends (newest block and time), newest network first."""
    return _data_ends(*cache_key())


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


def param_list(name: str) -> list[str]:
    """All values of a repeated URL query parameter (``?member=a&member=b``)."""
    return st.query_params.get_all(name)


def param_int(name: str) -> int | None:
    """An integer URL query parameter, or None when absent or not a number."""
    value = st.query_params.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def set_params(**values: object) -> None:
    """Reflect the current view in the URL; None or empty values remove the parameter."""
    for name, value in values.items():
        is_list = isinstance(value, Sequence) and not isinstance(value, str)
        if value is None or (is_list and not value):
            if name in st.query_params:
                del st.query_params[name]
        elif is_list:
            st.query_params[name] = [str(v) for v in value]
        else:
            st.query_params[name] = str(value)


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


def network_or_stop(networks: Sequence[str], empty_message: str) -> str:
    """The chosen network; with no data at all, an empty-state notice and the page stops."""
    network = network_picker(networks)
    if network is None:
        empty_state(empty_message)
        st.stop()
    return network


def network_picker(networks: Sequence[str]) -> str | None:
    """Sidebar choice of network (kept in the URL); mainnet by default when present.

    Otherwise the order given (``CouncilData.networks``: the most recent data first).
    """
    if not networks:
        return None
    options = filters.network_options(networks)
    wanted = st.query_params.get("network")
    index = options.index(wanted) if wanted in options else 0
    choice = st.sidebar.selectbox("Network", options, index=index, key="network")
    set_params(network=choice if choice != options[0] else None)
    return choice
