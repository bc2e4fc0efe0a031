"""Filter values to and from URL query parameters. Pure functions, no Streamlit.

Each filter has a ``parse_*`` (URL text -> value, bad input -> the default), a ``fit_*`` or
``clamp_*`` (a value kept from an earlier run, made valid for the current options) and a
``format_*`` (value -> URL text; the default -> None, so the URL only names what differs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

T = TypeVar("T")


def parse_int_range(text: str | None, lower: int, upper: int) -> tuple[int, int]:
    """``"10-20"`` -> ``(10, 20)``, clamped to ``[lower, upper]``; bad input -> full range."""
    if not text:
        return lower, upper
    first, _, last = text.partition("-")
    try:
        start, end = int(first), int(last or first)
    except ValueError:
        return lower, upper
    start, end = sorted((start, end))
    return max(lower, min(start, upper)), min(upper, max(end, lower))


def format_int_range(value: tuple[int, int], lower: int, upper: int) -> str | None:
    """``(10, 20)`` -> ``"10-20"``; the full range -> None (no parameter needed)."""
    if tuple(value) == (lower, upper):
        return None
    return f"{value[0]}-{value[1]}"


def parse_date(text: str | None, default: date, lower: date, upper: date) -> date:
    """An ISO date from the URL, clamped to ``[lower, upper]``; bad input -> ``default``."""
    try:
        value = date.fromisoformat(text) if text else default
    except ValueError:
        return default
    return max(lower, min(value, upper))


def keep_known(values: list[str], known: set[str]) -> list[str]:
    """The URL values that name something that exists (unknown ones are dropped)."""
    return [v for v in values if v in known]


def network_options(networks: Sequence[str]) -> list[str]:
    """The network selector's options, the default first: mainnet when it has data, else
    the newest network (``networks`` comes newest first, as ``CouncilData.networks``)."""
    return sorted(networks, key=lambda network: network != "mainnet")


def default_network(networks: Sequence[str]) -> str | None:
    """The network pages and reports show unless told otherwise (None: no data at all)."""
    options = network_options(networks)
    return options[0] if options else None


def clamp_int_range(value: Sequence[int], lower: int, upper: int) -> tuple[int, int]:
    """A range kept inside ``[lower, upper]`` (in order); anything else -> the full range."""
    try:
        start, end = sorted(int(v) for v in value)
    except (TypeError, ValueError):
        return lower, upper
    return max(lower, min(start, upper)), min(upper, max(end, lower))


def parse_int(text: str | None, lower: int, upper: int | None, default: int) -> int:
    """An integer from the URL, clamped to ``[lower, upper]`` (``upper`` None: no upper bound);
    absent or bad -> ``default``."""
    try:
        value = max(lower, int(text) if text else default)
    except ValueError:
        return default
    return value if upper is None else min(value, upper)


def format_int(value: int, default: int) -> str | None:
    """The URL text of an integer; the default -> None (no parameter needed)."""
    return None if value == default else str(int(value))


def parse_choice(
    text: str | None,
    options: Sequence[T],
    default: T | None,
    to_text: Callable[[T], str] = str,
) -> T | None:
    """The option whose URL text (``to_text``) is ``text``; absent or unknown -> ``default``."""
    if text is None:
        return default
    return next((o for o in options if to_text(o) == text), default)


def fit_choice(value: object, options: Sequence[T], default: T | None) -> T | None:
    """``value`` when it is still one of ``options``, else ``default``."""
    return value if value in options else default  # type: ignore[return-value]


def format_choice(
    value: T | None, default: T | None, to_text: Callable[[T], str] = str
) -> str | None:
    """The URL text of a choice; the default (or nothing chosen) -> None."""
    return None if value is None or value == default else to_text(value)


def parse_date_range(
    start: str | None, end: str | None, lower: date, upper: date
) -> tuple[date, date]:
    """``from``/``to`` URL dates, clamped to ``[lower, upper]`` and in order; bad -> the ends."""
    first = parse_date(start, lower, lower, upper)
    last = parse_date(end, upper, lower, upper)
    return (first, last) if first <= last else (last, first)


def fit_date_range(value: Sequence[date], lower: date, upper: date) -> tuple[date, ...]:
    """A picked range clamped to ``[lower, upper]``; a half-picked one (one date) as it is."""
    if len(value) != 2:
        return tuple(value)
    return tuple(max(lower, min(d, upper)) for d in sorted(value))


def format_date_range(
    value: Sequence[date], lower: date, upper: date
) -> tuple[str | None, str | None]:
    """The ``from``/``to`` URL texts of a range; the full range -> ``(None, None)``."""
    if tuple(value) == (lower, upper):
        return None, None
    return value[0].isoformat(), value[1].isoformat()
