"""The data every page shares: the cache's path and tables, loaded once per cache version, and
the statistics several pages use, computed once per cache (and upload) version and shared
read-only; the uploaded files and the secretary's token; clearing the caches."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from council import data, first_start, refresh_state, snapshot, spending_checks, store, uploads
from council.stats import budget, elections, leaderboard, overview, reconcile, spending

if TYPE_CHECKING:
    from council.views import ElectionTables, ElectionView, RoundView
    from council.voters.view import VoterStats
    from council.working_groups.views import Prepared as WorkingGroupsPrepared
    from council.working_groups.views import WorkingGroupsView


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


@st.cache_resource(show_spinner="Formatting the election tables…", max_entries=4)
def _election_display(path: str, mtime: float, network: str) -> ElectionTables:
    from council import views

    return views.election_tables(*_election_results(path, mtime, network))


# Views are shared resources, read-only: st.cache_data would unpickle a copy (megabytes:
# every candidacy's row) on every rerun of the page.
@st.cache_resource(show_spinner="Preparing the tables and charts…", max_entries=32)
def _election_view(
    path: str,
    mtime: float,
    network: str,
    cycle_range: tuple[int, int],
    date_range: tuple[date, date] | None,
    members: tuple[str, ...],
    outcomes: tuple[str, ...],
) -> ElectionView:
    from council import views
    from council.archive import views as archive_views

    results, summary = _election_results(path, mtime, network)
    from_reports = archive_views.archive_rounds(_load(path, mtime).for_network(network))
    formatted = _election_display(path, mtime, network)

    def timeline_of(rounds: list[int]) -> dict:
        return _election_timeline(
            path, mtime, network, tuple(rounds), date_range, members, outcomes
        )

    return views.election_view(
        results, summary, cycle_range, date_range, list(members), list(outcomes), from_reports,
        formatted, timeline_of,
    )  # fmt: skip


@st.cache_resource(show_spinner=False, max_entries=32)
def _election_timeline(
    path: str,
    mtime: float,
    network: str,
    rounds: tuple[int, ...],
    date_range: tuple[date, date] | None,
    members: tuple[str, ...],
    outcomes: tuple[str, ...],
) -> dict:
    # By the selection's last rounds, not the round filter: a step of its lower end reuses it.
    from council import views

    results, _summary = _election_results(path, mtime, network)
    return views.election_timeline(results, list(rounds), date_range, list(members), list(outcomes))


def election_view(
    network: str,
    cycle_range: tuple[int, int],
    date_range: tuple[date, date] | None,
    members: Sequence[str],
    outcomes: Sequence[str],
) -> ElectionView:
    """Election history's tables and charts for one filter state
    (:func:`council.views.election_view`; ``date_range`` None: every date), shared read-only.
    The background warm-up computes the page's first view (every round, no other filter)."""
    return _election_view(
        *cache_key(), network, tuple(cycle_range), date_range, tuple(members), tuple(outcomes)
    )


@st.cache_resource(show_spinner="Reading the round's votes…", max_entries=32)
def _election_round_view(path: str, mtime: float, network: str, cycle: int) -> RoundView:
    from council import views
    from council.archive import views as archive_views

    results, summary = _election_results(path, mtime, network)
    here = _load(path, mtime).for_network(network)
    votes = _round_votes(path, mtime, network, cycle)
    from_report = cycle in set(archive_views.archive_rounds(here))
    return views.round_view(results, summary, here.candidates, votes, cycle, from_report)


def election_round_view(network: str, cycle: int) -> RoundView:
    """Election history's drill-down of one round (:func:`council.views.round_view`), shared
    read-only; the background warm-up computes the newest round's."""
    return _election_round_view(*cache_key(), network, int(cycle))


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
    computed once per cache version and shared read-only by the Spending and Term report
    pages (the Overview's card: :func:`budget_so_far`)."""
    return _council_budget(*cache_key(), network)


@st.cache_resource(show_spinner="Computing the council budget…", max_entries=4)
def _budget_so_far(path: str, mtime: float, network: str) -> budget.SoFar | None:
    return budget.so_far(_load(path, mtime).for_network(network))


def budget_so_far(network: str) -> budget.SoFar | None:
    """The newest term's council budget so far (:func:`council.stats.budget.so_far`: the
    newest row of :func:`council_budget`, reading only that term's events), once per cache
    version: the Overview's card, on a fresh server's first page."""
    return _budget_so_far(*cache_key(), network)


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


@st.cache_data(show_spinner=False, max_entries=4)
def _data_ends(path: str, mtime: float) -> dict[str, overview.DataEnd | None]:
    loaded = _load(path, mtime)
    return {network: overview.data_end(loaded.for_network(network)) for network in loaded.networks}


def data_ends() -> dict[str, overview.DataEnd | None]:
    """Where each network's data ends (newest block and time), newest network first."""
    return _data_ends(*cache_key())
