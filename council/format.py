"""Formatting for people: JOY amounts, block numbers with dates, ages, safe CSV export.

One rule for display tables (``council.tables``) and their CSV downloads, by column label:

- a share is a percent number (``52.22``) in a column labelled ``… (%)``, in the table, the
  download and markdown (``52.22 %``) alike;
- an amount (``… (JOY)``, ``… (tJOY)``, ``… (USD)``, ``Reward …``) is shown with thousands
  separators; the download carries the table's number as written by :func:`csv_number`
  (``6500000``, ``1234.57``: never ``6500000.0`` or a float's stray digits);
- an account (``… account``) is shown shortened (``5EL3a…xqMmB``); the download carries the
  whole address.
"""

from __future__ import annotations

import math
import numbers
import re
from datetime import datetime

import numpy as np
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
        # The date from its fields: strftime costs several times more (called per table row).
        day = (
            f"{when.year:04d}-{when.month:02d}-{when.day:02d}"
            if isinstance(when, datetime) and when.year >= 1000
            else f"{when:%Y-%m-%d}"
        )
        text += f" · {'~' if estimated else ''}{day}"
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


def is_percent(label: str) -> bool:
    """A share column, holding percent numbers (``52.22`` for 52.22 %)."""
    return label.endswith("(%)")


def is_amount(label: str) -> bool:
    """An amount column (JOY, tJOY, USD or a reward), shown with thousands separators."""
    return label.endswith(("JOY)", "USD)")) or label.lower().startswith("reward")


def is_account(label: str) -> bool:
    """A column of whole account addresses, shown shortened."""
    return label.lower().endswith("account")


def csv_number(value: float) -> str:
    """A float as CSV text: the shortest decimal that reads back as the same number, without
    an exponent, and whole numbers without ``.0`` (``6500000.0`` -> ``"6500000"``)."""
    return np.format_float_positional(value, trim="-")


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every float cell as :func:`csv_number` text (missing: empty)."""
    out = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_float_dtype(values) or values.dtype == object:
            out[column] = values.map(
                lambda v: csv_number(v) if isinstance(v, float) and not math.isnan(v) else v
            ).astype(object)
            out.loc[values.isna(), column] = None
    return out


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` as a table shows it: account columns shortened (:func:`is_account`)."""
    accounts = [c for c in frame.columns if is_account(c)]
    if not accounts:
        return frame
    shown = frame.copy()
    for column in accounts:
        shown[column] = frame[column].map(short_account, na_action="ignore")
    return shown


def percent_cell(value: float | None) -> str:
    """A percent number as the tables show it: ``91.6667`` -> ``"91.67 %"``; missing -> ``–``."""
    if value is None or pd.isna(value):
        return "–"
    return f"{value:,.2f} %"


def markdown_cell(label: str, value: object) -> str:
    """One cell of a display table in a markdown table, formatted as the table shows it."""
    return cell_text(label, value).replace("|", "\\|")


def cell_text(label: str, value: object) -> str:
    """One cell of a display table as text, formatted as the table shows it: ``–`` where
    not recorded, shares as ``91.67 %``, numbers with thousands separators."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if is_percent(label) and isinstance(value, numbers.Real):
        return percent_cell(float(value))
    if isinstance(value, bool | np.bool_):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        return f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return str(value)


# ASCII punctuation: a backslash before any of it shows it as written in Markdown (CommonMark).
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: str) -> str:
    """``text`` that Markdown shows as written: every ASCII punctuation mark escaped, line
    breaks as spaces (a member's handle such as ``[x](https://…)`` is text, not a link)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", text.replace("\r", " ").replace("\n", " "))


def escaped_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A display table's cells as a static Markdown table shows them as written: each
    :func:`cell_text`, then :func:`escape_markdown`."""
    return pd.DataFrame(
        {
            column: [escape_markdown(cell_text(column, value)) for value in frame[column]]
            for column in frame.columns
        },
        index=frame.index,
    )


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
    """``frame`` as UTF-8 CSV, formula-safe, without the index, numbers as
    :func:`csv_number` (whole accounts, percent numbers: the module's rule)."""
    # Numbers become text only after the formula check, so "-5" is not taken for a formula.
    return csv_frame(neutralise_formulas(frame)).to_csv(index=False).encode("utf-8")


def percent(value: float | None, missing: str = "not reported") -> str:
    """``42.0`` -> ``"42 %"``; missing -> ``missing``."""
    if value is None or pd.isna(value):
        return missing
    return f"{value:.0f} %"
