"""Filter values to and from URL query parameters. Pure functions, no Streamlit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date


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
