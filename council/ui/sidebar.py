"""What app.py shows around every page: the sidebar's data freshness, network picker and saved
views, and the line saying what the figures are as of."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from council import as_of, filters, refresh_state, saved_views, uploads
from council.format import age_text, block_with_date
from council.ui.elements import empty_state
from council.ui.shared import data_ends, db_path, upload_token, uploads_key
from council.ui.url_state import _SCOPES, _forget_network_filters, url_selectbox


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


def network_or_stop(networks: Sequence[str], empty_message: str) -> str:
    """The chosen network; with no data at all, an empty-state notice and the page stops."""
    network = network_picker(networks)
    if network is None:
        empty_state(empty_message)
        st.stop()
    return network


def network_picker(networks: Sequence[str]) -> str | None:
    """Sidebar choice of network (kept in the URL); mainnet by default when present.

    Otherwise the order given (``CouncilData.networks``: the most recent data first). A change
    of network drops the URL parameters of the filters that belong to a network, and each such
    filter starts over on the new network (see :func:`url_selectbox`'s ``scope``).
    """
    if not networks:
        return None
    options = filters.network_options(networks)
    with st.sidebar:
        return url_selectbox(
            "Network", "network", options, key="network", on_change=_forget_network_filters
        )


# --- What the figures are as of, and saved views (app.py calls these once per run) ----------


def _newest_version(dataset: str) -> uploads.Version | str | None:
    """The current uploaded version of ``dataset`` (None: the starter file; text when the
    store cannot be read); never creates the uploads store."""
    if not uploads.uploads_db_path().exists():
        return None
    try:
        history = uploads.versions(dataset)
    except (sqlite3.Error, OSError):  # the pages that read the file say what is wrong
        return "version unreadable"
    return history[0] if history else None


def as_of_line(page: str) -> None:
    """One line above every page: each network's newest block and time in the cache, and the
    version of each uploaded file ``page`` (its URL path) uses."""
    files = [(dataset, _newest_version(dataset)) for dataset in as_of.files_of(page)]
    st.caption(as_of.as_of_text(data_ends(), files))


@st.cache_data(show_spinner=False, max_entries=4)
def _saved_views(uploads_key: float) -> pd.DataFrame:
    del uploads_key
    if not uploads.uploads_db_path().exists():
        return pd.DataFrame(columns=saved_views.COLUMNS)
    try:
        return saved_views.views()
    except (sqlite3.Error, OSError, ValueError, KeyError) as error:
        st.sidebar.warning(f"Saved views cannot be read from {uploads.uploads_db_path()}: {error}")
        return pd.DataFrame(columns=saved_views.COLUMNS)


_OPEN_VIEW = "_open_saved_view"  # set when a view is picked: open it in this run
_VIEWS_DONE = "_saved_views_done"  # what the last change did, shown after its rerun


def _open_view(view: pd.Series) -> None:
    """Go to the view's page with its filters: bound filters forget their state first, so
    that they read the view's URL (see :func:`_bind`)."""
    for key in list(st.session_state.get(_SCOPES, {})):
        st.session_state.pop(key, None)
    st.session_state.pop(_SCOPES, None)
    target = page_file(view["page"])
    if target is None:
        st.sidebar.error(f"The view's page ({view['page']}) is not in the app any more.")
        return
    st.switch_page(target, query_params=saved_views.query_params(view["params"]))


def _app_dir() -> Path:
    """app.py's folder: the checkout's, or for an installed copy the folder it was started in."""
    root = Path(__file__).resolve().parents[2]  # council/ui/sidebar.py -> the project folder
    return root if (root / "app.py").is_file() else Path.cwd()


APP_DIR = _app_dir()
DEFAULT_PAGE = "app_pages/overview.py"  # app.py's default page (its URL path is "")


def page_file(url_path: str) -> str | None:
    """The page file of a page's URL path (as ``st.Page`` derives it from the file name);
    None when there is no such page file."""
    if not url_path:
        return DEFAULT_PAGE
    path = f"app_pages/{url_path}.py"
    return path if (APP_DIR / path).is_file() else None


def saved_views_sidebar(page: str) -> None:
    """The sidebar's saved views: anyone opens one; the secretary (uploads token) saves the
    current page (``page``, its URL path) with its filters, renames, removes or restores."""
    saved = _saved_views(uploads_key())
    with st.sidebar:
        st.caption("**Saved views**")
        if saved.empty:
            st.caption("No saved views yet.")
        else:
            st.selectbox(
                "Open a saved view",
                list(saved["name"]),
                index=None,
                key="saved_view",
                placeholder="Pick a view",
                on_change=lambda: st.session_state.update({_OPEN_VIEW: True}),
            )
            picked = st.session_state.get("saved_view")
            if st.session_state.pop(_OPEN_VIEW, False) and picked in set(saved["name"]):
                _open_view(saved[saved["name"] == picked].iloc[0])
        with st.expander("Save or manage views (secretary)"):
            _manage_views(page, saved)


def _manage_views(page: str, saved: pd.DataFrame) -> None:
    expected = upload_token()
    if expected is None:
        st.caption("Saving views is off: no uploads token is configured.")
        return
    given = st.text_input("Uploads token", type="password", key="views_token")
    token = (given, expected)

    def attempt(change: Callable[[], object], done: str) -> None:
        try:
            change()
        except saved_views.ViewError as error:
            st.error(str(error))
            return
        st.session_state[_VIEWS_DONE] = done
        st.rerun()  # the sidebar's list above shows the change

    if _VIEWS_DONE in st.session_state:
        st.success(st.session_state.pop(_VIEWS_DONE))

    name = st.text_input("Name of this view", key="views_name", max_chars=saved_views.MAX_NAME)
    if st.button("Save this page and its filters", key="views_save"):
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        attempt(lambda: saved_views.save(name, page, params, token), f"Saved {name.strip()!r}.")
    if not saved.empty:
        chosen = st.selectbox("View", list(saved["name"]), key="views_chosen")
        new = st.text_input("New name", key="views_new_name", max_chars=saved_views.MAX_NAME)
        cols = st.columns(2)
        if cols[0].button("Rename", key="views_rename"):
            attempt(lambda: saved_views.rename(chosen, new, token), f"Renamed to {new.strip()!r}.")
        if cols[1].button("Remove", key="views_remove"):
            attempt(lambda: saved_views.remove(chosen, token), f"Removed {chosen!r}.")
    try:
        history = saved_views.history() if uploads.uploads_db_path().exists() else []
    except (sqlite3.Error, OSError):
        history = []  # the warning above says so
    if len(history) > 1:
        labels = {v.version: f"version {v.version}: {v.note}" for v in history[1:]}
        version = st.selectbox(
            "Earlier list", list(labels), format_func=labels.get, key="views_version"
        )
        if st.button("Restore this list", key="views_restore"):
            attempt(lambda: saved_views.restore(version, token), f"Version {version} restored.")
