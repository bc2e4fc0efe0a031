"""Widgets bound to URL query parameters: the pages' filters keep their values in the URL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

import streamlit as st

from council import filters

T = TypeVar("T")


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
