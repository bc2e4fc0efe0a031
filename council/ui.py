"""Streamlit helpers shared by the pages: cached loading, freshness, URL state, downloads.

The only module in council/ that imports streamlit.
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import streamlit as st

from council import (
    as_of,
    data,
    filters,
    first_start,
    refresh_state,
    saved_views,
    snapshot,
    spending_checks,
    store,
    uploads,
)
from council import format as fmt
from council.format import age_text, block_with_date, neutralise_formulas, safe_csv_bytes
from council.stats import budget, elections, leaderboard, overview, reconcile, spending

if TYPE_CHECKING:
    from council.voters.view import VoterStats
    from council.working_groups.views import Prepared as WorkingGroupsPrepared
    from council.working_groups.views import WorkingGroupsView

T = TypeVar("T")
_LOG = logging.getLogger(__name__)


def ensure_cache() -> None:
    """On a fresh install (no cache file yet), build it from the bundled snapshot first.

    Shows a spinner while it builds; the build runs once, under the refresh lock, however many
    visitors or replicas arrive at the same time (``council.first_start``). A build that cannot
    run says why instead of the page's empty state.
    """
    path = db_path()
    if not first_start.needs_build(path):
        return
    with st.spinner("First start: building the data cache from the bundled snapshot…"):
        try:
            first_start.build_if_absent(path)
        except (OSError, refresh_state.RefreshBusy, snapshot.SnapshotError) as error:
            st.error(f"Could not build the data cache at `{path}`: {error}")


def db_path() -> Path:
    """The cache the app reads ($COUNCIL_DB or data/council.db)."""
    return store.default_db_path()


@st.cache_resource(show_spinner="Loading council data…", max_entries=2)
def _load(path: str, mtime: float) -> data.CouncilData:
    # Keyed on mtime so a refresh (which replaces the file) is picked up without a restart.
    # A resource, not cache_data: the frames are shared read-only, never copied per rerun.
    return data.load(Path(path))


# Seconds after the first page that read a cache has run: its last messages go out first.
WARM_UP_DELAY = 0.3


# Modules the pages import on first use, each costing a page tenths of a second: the page
# views with their chart library (Altair), Streamlit's emoji list (an element's icon).
WARM_UP_MODULES = ("council.views", "streamlit.emojis")


def _warm_up_now(path: str, mtime: float) -> dict[str, object]:
    """Import :data:`WARM_UP_MODULES`, then compute what the pages share for the network a
    visitor sees first (:func:`filters.network_options`' first) and the Spending page's
    items and file check: the cached results, by the name of their function."""
    for name in WARM_UP_MODULES:
        importlib.import_module(name)
    warmed: dict[str, object] = {}

    def warm(step: Callable[..., object], *args: object) -> object:
        try:
            warmed[step.__name__] = step(*args)
        except Exception:  # the page that needs it computes it again and says why
            _LOG.warning("warm-up: %s failed", step.__name__, exc_info=True)
        return warmed.get(step.__name__)

    loaded = _load(path, mtime)
    networks = filters.network_options(loaded.networks)
    first = networks[0] if networks else None
    if first is not None:
        for step in (_election_results, _term_tables, _council_budget, _voter_stats):
            warm(step, path, mtime, first)
    uploads.versions(uploads.SPENDING_CATEGORIES.name)  # a new store creates its table here
    uploads_version = data.cache_mtime(uploads.uploads_db_path())
    warm(_spending_items, path, mtime, uploads_version)
    if checked := reconcile.fetched_networks(loaded.proposals):  # the Spending page's default
        warm(_spending_file_check, path, mtime, uploads_version, checked[0])
    if first is not None and (prepared := warm(_working_groups, path, mtime, first)):
        # The Working groups page's first view: every term, the first group.
        from council.working_groups import stats as wg_stats
        from council.working_groups import views as wg_views

        warm(_wg_range_view, path, mtime, first, wg_views.term_bounds(prepared))
        if groups := wg_stats.group_ids(prepared.frames):
            warm(_wg_group_view, path, mtime, first, groups[0])
    return warmed


# Set to 0 to compute only what a page asks for (the tests' in-process page runs do).
WARM_UP_ENV = "COUNCIL_WARM_UP"


@st.cache_resource(show_spinner=False, max_entries=2)
def _warm_up_started(path: str, mtime: float) -> bool:
    if os.environ.get(WARM_UP_ENV, "1") == "0":
        return False
    timer = threading.Timer(WARM_UP_DELAY, _warm_up_now, args=(path, mtime))
    timer.name, timer.daemon = "warm-up", True
    timer.start()
    return True


def warm_up() -> None:
    """Once per cache version, after the page that read it has run (app.py calls this last),
    run :func:`_warm_up_now` in the background: the first visit of another page then does not
    wait for the imports and the shared statistics (a page that needs one meanwhile waits for
    the warm-up's, as it would have waited for its own). Off when ``$COUNCIL_WARM_UP`` is 0."""
    _warm_up_started(*cache_key())


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


@st.cache_resource(show_spinner="Computing the election results…", max_entries=4)
def _election_results(path: str, mtime: float, network: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return elections.election_tables(_load(path, mtime).for_network(network))


def election_results(network: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(results, summary)`` of one network: the per-candidacy results
    (:func:`council.stats.elections.candidacy_results` / ``data_results``) and the per-round
    summary (``election_tables``), computed once per cache version and shared read-only by
    every page (Election history, Leaderboard, KPIs, Overview; Voters, Term report and
    Election watch may use it too). Never modify the frames: copy first."""
    return _election_results(*cache_key(), network)


@st.cache_resource(show_spinner="Computing the council terms…", max_entries=4)
def _term_tables(path: str, mtime: float, network: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return leaderboard.term_tables(_load(path, mtime).for_network(network))


def term_tables(network: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(terms, scorecard)`` of one network (:func:`council.stats.leaderboard.term_tables`),
    computed once per cache version and shared read-only by the pages (Leaderboard, KPIs)."""
    return _term_tables(*cache_key(), network)


@st.cache_resource(show_spinner="Computing the council budget…", max_entries=4)
def _council_budget(path: str, mtime: float, network: str) -> pd.DataFrame:
    return budget.budget_by_term(budget.sources_from(_load(path, mtime).for_network(network)))


def council_budget(network: str) -> pd.DataFrame:
    """The council budget per term of one network (:func:`council.stats.budget.budget_by_term`),
    computed once per cache version and shared read-only by the Overview and Spending pages."""
    return _council_budget(*cache_key(), network)


@st.cache_resource(show_spinner="Computing the working groups…", max_entries=4)
def _working_groups(path: str, mtime: float, network: str) -> WorkingGroupsPrepared | None:
    from council.working_groups import stats as wg_stats  # Altair with the views: only here
    from council.working_groups import views as wg_views

    d = _load(path, mtime).for_network(network)
    # The events but the reward payments, which come as the cache's derived sums.
    frames = wg_stats.frames_of(d, data.load_wg_page_events(Path(path), network))
    if frames.is_empty:
        return None
    return wg_views.prepare(frames, leaderboard.terms(d.councils))


@st.cache_resource(show_spinner="Preparing the tables and charts…", max_entries=32)
def _wg_range_view(
    path: str, mtime: float, network: str, term_range: tuple[int, int]
) -> WorkingGroupsView:
    from council.working_groups import views as wg_views

    return wg_views.range_view(_working_groups(path, mtime, network), term_range)


def wg_range_view(network: str, term_range: tuple[int, int]) -> WorkingGroupsView:
    """The Working groups page's per-group table, totals and charts for one term range
    (:func:`council.working_groups.views.range_view`), shared read-only: a rerun lays them
    out without copying them."""
    return _wg_range_view(*cache_key(), network, tuple(term_range))


@st.cache_resource(show_spinner="Preparing the group's tables…", max_entries=32)
def _wg_group_view(path: str, mtime: float, network: str, group: str) -> tuple:
    from council.working_groups import views as wg_views

    rewards = data.load_wg_rewards(Path(path), network, group)  # one row per payment
    return wg_views.group_view(_working_groups(path, mtime, network), group, rewards)


def wg_group_view(network: str, group: str) -> tuple:
    """One group's workers, leads and events tables
    (:func:`council.working_groups.views.group_view`), shared read-only."""
    return _wg_group_view(*cache_key(), network, group)


def working_groups(network: str) -> WorkingGroupsPrepared | None:
    """One network's working-group data with its lead history, budgets and per-term table
    (:func:`council.working_groups.views.prepare`), computed once per cache version and shared
    read-only by the Working groups and Term report pages; None without working-group data."""
    return _working_groups(*cache_key(), network)


@st.cache_resource(show_spinner="Computing voter statistics…", max_entries=4)
def _voter_stats(path: str, mtime: float, network: str) -> VoterStats:
    from council.voters import view as voters_view

    here = _load(path, mtime).for_network(network)
    results, _summary = _election_results(path, mtime, network)
    return voters_view.voter_stats(here, data.load_voter_votes(Path(path), network), results)


def voter_stats(network: str) -> VoterStats:
    """One network's voter statistics over all rounds (:func:`council.voters.view.voter_stats`),
    computed once per cache version and shared read-only by the Voters page's views."""
    return _voter_stats(*cache_key(), network)


@st.cache_resource(show_spinner="Computing spending…", max_entries=4)
def _spending_items(path: str, mtime: float, uploads_version: float) -> pd.DataFrame:
    d = _load(path, mtime)
    categories = _upload(uploads.SPENDING_CATEGORIES.name, uploads_version)
    return spending.spending_items(categories, d.proposals, d.councils)


def spending_items() -> pd.DataFrame:
    """Every spending item (:func:`council.stats.spending.spending_items` of the chain's
    funding requests and the current categories file), computed once per cache and upload
    version and shared read-only by the Spending page's views."""
    return _spending_items(*cache_key(), uploads_key())


@st.cache_resource(show_spinner="Checking the file against the chain…", max_entries=8)
def _spending_file_check(
    path: str, mtime: float, uploads_version: float, network: str
) -> tuple[reconcile.Reconciliation, tuple[tuple[str, pd.DataFrame, str], ...]]:
    categories = _upload(uploads.SPENDING_CATEGORIES.name, uploads_version)
    result = reconcile.reconcile(categories, _load(path, mtime).proposals, network)
    return result, spending_checks.check_tables(result)


def spending_file_check(network: str):
    """The current spending file against the chain's funding requests of ``network``
    (:func:`council.stats.reconcile.reconcile`) and its check tables
    (:func:`council.spending_checks.check_tables`), computed once per cache and upload
    version and shared read-only."""
    return _spending_file_check(*cache_key(), uploads_key(), network)


@st.cache_resource(show_spinner="Reading the uploaded file…", max_entries=16)
def _upload(name: str, uploads_key: float) -> pd.DataFrame:
    del uploads_key
    return uploads.current(name)


def current_upload(name: str) -> pd.DataFrame:
    """The current version of uploaded dataset ``name`` (``council.uploads.current``), read
    and checked once per uploaded version and shared read-only by every cached computation
    of the pages (instead of once per use). Never modify the frame: copy first."""
    return _upload(name, uploads_key())


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


def _open_expander(label: str, key: str, icon: str | None = None):
    """An expander whose content is sent and drawn only while it is open (a closed one's
    content costs the browser as much as an open one's): the container while open, else None.
    Open: ``st.session_state[key]`` (opening it reruns the page)."""
    box = st.expander(label, key=key, on_change="rerun", icon=icon)
    return box if box.open else None


def markdown_source(label: str, text: str, key: str, note: str | None = None) -> None:
    """Markdown to copy (a code box with a copy button, ``note`` above it) in an expander
    drawn only while open (:func:`_open_expander`): the browser spends about 0.4 s loading
    the code box's highlighter on every page load that shows one."""
    if box := _open_expander(label, key, icon=":material/content_copy:"):
        if note:
            box.markdown(note)
        box.code(text, language="markdown")


def table_in_expander(label: str, frame: pd.DataFrame, file_name: str, key: str) -> None:
    """:func:`show_table` in an expander drawn only while open (:func:`_open_expander`)."""
    if box := _open_expander(label, key):
        with box:
            show_table(frame, file_name)


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


# --- Widgets bound to URL query parameters ----------------------------------------------------
#
# A widget whose default comes from the URL and that has no key becomes a new widget each time
# the URL changes, so every second change of it is dropped. These helpers give every filter a
# stable key, set its state from the URL only when it has none yet, and write the URL from that
# state. Parsing and formatting of the values are pure functions in council.filters.
#
# ``scope`` names what a filter's value belongs to (the network: a round range of one network
# means nothing on another). When the scope changes, the filter starts over at its default.

_SCOPES = "_url_state_scopes"  # widget key -> the page and scope its state was set for
_SCOPED_PARAMS = "_url_state_scoped_params"  # URL parameters of filters that have a scope


class _NoParams:
    """The query parameters a filter sees when it starts over: none."""

    def get(self, name: str) -> None:
        return None

    def get_all(self, name: str) -> list[str]:
        return []


def _page_scope(scope: str) -> str:
    # The page is part of the scope: two pages may use the same key for different things.
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return f"{ctx.page_script_hash if ctx else ''}/{scope}"


def _bind(key: str, scope: str, read: Callable, fit: Callable) -> None:
    """Give widget ``key`` its state before it is drawn: from the URL when it has none yet,
    the default when its scope changed, else its own state made valid by ``fit``."""
    state = st.session_state
    scopes = state.setdefault(_SCOPES, {})
    here = _page_scope(scope)
    if key not in state:
        state[key] = read(st.query_params)
    elif scopes.get(key, here) != here:
        state[key] = read(_NoParams())
    else:
        try:
            fitted = fit(state[key])
        except (TypeError, ValueError):
            fitted = read(_NoParams())
        if fitted != state[key]:
            state[key] = fitted
    scopes[key] = here


def _publish(scope: str, **params: object) -> None:
    """Write a bound widget's URL parameters (see :func:`set_params`)."""
    set_params(**params)
    if scope:
        st.session_state.setdefault(_SCOPED_PARAMS, set()).update(params)


def _forget_network_filters() -> None:
    for name in st.session_state.get(_SCOPED_PARAMS, ()):
        if name in st.query_params:
            del st.query_params[name]


def url_int_range(
    label: str, param: str, lower: int, upper: int, *, key: str | None = None, scope: str = ""
) -> tuple[int, int]:
    """A range slider over ``[lower, upper]`` kept in the URL as ``param=10-20``."""
    key = key or param
    if upper <= lower:
        _publish(scope, **{param: None})
        return lower, upper
    _bind(
        key,
        scope,
        lambda url: filters.parse_int_range(url.get(param), lower, upper),
        lambda value: filters.clamp_int_range(value, lower, upper),
    )
    value = tuple(st.slider(label, lower, upper, key=key))
    _publish(scope, **{param: filters.format_int_range(value, lower, upper)})
    return value


def url_int(
    label: str,
    param: str,
    lower: int,
    upper: int | None,
    default: int,
    *,
    key: str | None = None,
    scope: str = "",
    slider: bool = False,
    **widget_args: object,
) -> int:
    """A number input (or a slider) over ``[lower, upper]`` kept in the URL as ``param=5``.

    ``upper`` None: no upper bound (number input only).
    """
    key = key or param
    _bind(
        key,
        scope,
        lambda url: filters.parse_int(url.get(param), lower, upper, default),
        lambda value: filters.parse_int(str(int(value)), lower, upper, default),
    )
    widget = st.slider if slider else st.number_input
    value = int(widget(label, lower, upper, key=key, **widget_args))
    _publish(scope, **{param: filters.format_int(value, default)})
    return value


def url_text(label: str, param: str, *, key: str | None = None, scope: str = "") -> str:
    """A text input kept in the URL as ``param=text``."""
    key = key or param
    _bind(key, scope, lambda url: url.get(param) or "", str)
    value = st.text_input(label, key=key)
    _publish(scope, **{param: value or None})
    return value


def url_multiselect(
    label: str,
    param: str,
    options: Sequence[str],
    *,
    key: str | None = None,
    scope: str = "",
    **widget_args: object,
) -> list[str]:
    """A multiselect kept in the URL as a repeated parameter (``?member=a&member=b``)."""
    key = key or param
    known = set(options)
    _bind(
        key,
        scope,
        lambda url: filters.keep_known(url.get_all(param), known),
        lambda value: filters.keep_known(list(value), known),
    )
    value = list(st.multiselect(label, options, key=key, **widget_args))
    _publish(scope, **{param: value})
    return value


_FIRST = object()


def url_selectbox(
    label: str,
    param: str,
    options: Sequence[T],
    *,
    key: str | None = None,
    scope: str = "",
    default: object = _FIRST,
    to_text: Callable[[T], str] = str,
    radio: bool = False,
    **widget_args: object,
) -> T | None:
    """A selectbox (or radio) kept in the URL by the option's ``to_text``; the default (the
    first option unless given; None shows the placeholder) leaves the URL without ``param``."""
    key = key or param
    options = list(options)
    if default is _FIRST:
        default = options[0] if options else None
    _bind(
        key,
        scope,
        lambda url: filters.parse_choice(url.get(param), options, default, to_text),
        lambda value: filters.fit_choice(value, options, default),
    )
    if default is None:
        widget_args["index"] = None
    widget = st.radio if radio else st.selectbox
    value = widget(label, options, key=key, **widget_args)
    _publish(scope, **{param: filters.format_choice(value, default, to_text)})
    return value


def url_date_range(
    label: str,
    lower: date,
    upper: date,
    *,
    params: tuple[str, str] = ("from", "to"),
    key: str = "dates",
    scope: str = "",
) -> tuple[date, date] | None:
    """A date range input kept in the URL as ``from=…&to=…``; None for the full range.

    While only the first date of a new range is picked, the range in the URL still applies.
    """
    start, end = params

    def from_url(url) -> tuple[date, date]:
        return filters.parse_date_range(url.get(start), url.get(end), lower, upper)

    _bind(key, scope, from_url, lambda value: filters.fit_date_range(value, lower, upper))
    picked = st.date_input(label, min_value=lower, max_value=upper, key=key)
    value = tuple(picked) if len(picked) == 2 else from_url(st.query_params)
    first, last = filters.format_date_range(value, lower, upper)
    _publish(scope, **{start: first, end: last})
    return None if first is None else value


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
    root = Path(__file__).resolve().parent.parent
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
