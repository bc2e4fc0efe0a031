"""Formatting for people: JOY amounts, block numbers with dates, ages, safe CSV export."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def joy(amount: float | None, decimals: int = 0) -> str:
    """``1234567.8`` -> ``"1,234,568 JOY"``; missing -> ``"–"``."""
    if amount is None or (isinstance(amount, float) and math.isnan(amount)):
        return "–"
    return f"{amount:,.{decimals}f} JOY"


def block_with_date(block: int | None, when: datetime | None, estimated: bool = False) -> str:
    """``#2,408,400 · 2021-10-15`` (``~`` before an estimated date)."""
    if block is None or pd.isna(block):
        return "–"
    text = f"#{int(block):,}"
    if when is not None and not pd.isna(when):
        text += f" · {'~' if estimated else ''}{when:%Y-%m-%d}"
    return text


def short_account(account: str | None, keep: int = 5) -> str:
    """A shortened account address: ``5CGNi…X4oCG``."""
    if not account:
        return "–"
    if len(account) <= 2 * keep + 1:
        return account
    return f"{account[:keep]}…{account[-keep:]}"


def age_text(then: datetime, now: datetime) -> str:
    """How long ago ``then`` was, in the largest sensible unit: ``"3 h ago"``."""
    seconds = max(0, int((now - then).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with text cells that a spreadsheet would run as formulas prefixed by ``'``.

    A changed copy; ``frame`` itself (not a copy) when no cell needs it.
    """
    safe = frame
    for column in frame.columns:
        values = frame[column]
        if not (values.dtype == object or pd.api.types.is_string_dtype(values)):
            continue
        try:  # vectorised: tables shown on every rerun can have tens of thousands of cells
            risky = values.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
        except AttributeError:  # an object column holding no text
            risky = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
        if risky.any():
            if safe is frame:
                safe = frame.copy()
            safe[column] = [
                f"'{v}" if flagged else v for v, flagged in zip(values, risky, strict=True)
            ]
    return safe


def safe_csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV, formula-safe, without the index."""
    return neutralise_formulas(frame).to_csv(index=False).encode("utf-8")


def percent(value: float | None, missing: str = "not reported") -> str:
    """``42.0`` -> ``"42 %"``; missing -> ``missing``."""
    if value is None or pd.isna(value):
        return missing
    return f"{value:.0f} %"
