"""The background warm-up: once per cache version, after the first page that read it, the
imports and shared statistics (:mod:`council.ui.shared`) other pages need are computed ahead."""

from __future__ import annotations

import importlib
import logging
import os
import threading
from collections.abc import Callable

import streamlit as st

from council import data, filters, uploads
from council.stats import reconcile
from council.ui.shared import (
    _council_budget,
    _election_results,
    _election_round_view,
    _election_view,
    _load,
    _spending_file_check,
    _spending_items,
    _term_tables,
    _voter_stats,
    _wg_group_view,
    _wg_range_view,
    _working_groups,
    cache_key,
)

_LOG = logging.getLogger(__name__)


# Seconds after the first page that read a cache has run before the warm-up starts: its
# last messages go out and its browser draws it first (on a small host, or a browser on the
# same machine as the bench, the warm-up's CPU would otherwise compete with that page).
WARM_UP_DELAY = 1.0


# Modules the pages import on first use, each costing a page tenths of a second: the page
# views with their chart library (Altair), Streamlit's emoji list (an element's icon).
WARM_UP_MODULES = ("council.views", "streamlit.emojis")


def _warm_up_now(path: str, mtime: float) -> dict[str, object]:
    """Import :data:`WARM_UP_MODULES`, then compute what the pages share for the network a
    visitor sees first (:func:`filters.network_options`' first), Election history's and
    Working groups' first views, and the Spending page's items and file check: the cached
    results, by the name of their function."""
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
        if elected := warmed.get(_election_results.__name__):
            # Election history's first view: every round, no other filter; the newest round.
            from council import views

            bounds = views.cycle_bounds(elected[1])
            shown = warm(_election_view, path, mtime, first, bounds, None, (), ())
            if shown is not None and shown.shown_rounds:
                warm(_election_round_view, path, mtime, first, max(shown.shown_rounds))
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
