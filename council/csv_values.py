"""Reading the values in the secretary's CSV cells: numbers, whole numbers, dates, choices.

One set of parsers used twice: by the upload check (council/csv_schema.py), which rejects a
cell its parser refuses, and by the readers (council/stats/spending.py, kpis.py), which type
the stored cells with the same parsers. So whatever passes the check is what the pages use,
and a value the pages could not use never passes.

The scalar parsers raise :class:`CellError` with a message fit to follow the quoted value
(``'1e309' is too large ...``). The Series readers turn blanks, and values an older stored
version may still hold that the parsers refuse, into missing values instead of failing.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal

import pandas as pd

# ASCII digits only: Decimal() also takes '1_000' and other scripts' digits, pandas does not.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d{1,6})?", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# Far above any JOY amount, and low enough that sums of a 5 MB file's rows stay finite.
MAX_NUMBER = Decimal(10) ** 18
FIRST_DATE, LAST_DATE = date(1970, 1, 1), date(2199, 12, 31)


class CellError(ValueError):
    """A cell's text is not a value of the column's kind; ``str()`` says why."""


def parse_decimal(text: str) -> Decimal:
    """A plain number (``12``, ``0.5``, ``-3``, ``1.5E+07``) as an exact Decimal.

    Refused: anything but ASCII digits, one decimal point, a sign and an exponent (so no
    ``1_000``, ``1,000``, ``nan`` or ``inf``), and magnitudes above :data:`MAX_NUMBER`.
    """
    value = text.strip()
    if not _NUMBER.fullmatch(value):
        if any(c.isdigit() and not c.isascii() for c in value):
            raise CellError("is not a number (write it with the digits 0-9)")
        if _NUMBER.fullmatch(re.sub(r"[_,' ]", "", value)):
            raise CellError("is not a number (write it without separators, like 1000)")
        raise CellError("is not a number")
    try:
        number = Decimal(value)
        too_large = abs(number) > MAX_NUMBER
    except ArithmeticError:
        too_large = True
    if too_large:
        raise CellError("is too large (the limit is 10^18)")
    return number


def parse_number(text: str, minimum: float | None = 0, maximum: float | None = None) -> float:
    """A number from ``minimum`` to ``maximum`` (None: no bound) as a float."""
    number = parse_decimal(text)
    if minimum is not None and number < minimum:
        raise CellError("is negative" if minimum == 0 else f"is less than {minimum:g}")
    if maximum is not None and number > maximum:
        raise CellError(f"is more than {maximum:g}")
    result = float(number)
    assert math.isfinite(result)  # guaranteed by MAX_NUMBER
    return result


def parse_whole_number(text: str) -> int:
    """A whole number >= 0 (``7``, also ``7.0`` or ``007``) as an int."""
    number = parse_decimal(text)
    if number != number.to_integral_value():
        raise CellError("is not a whole number")
    if number < 0:
        raise CellError("is negative")
    return int(number)


def parse_date(text: str) -> date:
    """A calendar date written ``YYYY-MM-DD``, from 1970 to 2199.

    Stricter than ``date.fromisoformat``, which also takes ``2023-W26-5`` and ``20230630``.
    """
    value = text.strip()
    if not _DATE.fullmatch(value):
        raise CellError("is not a date like 2023-06-30")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise CellError("is not a date that exists (YYYY-MM-DD, like 2023-06-30)") from None
    if not FIRST_DATE <= day <= LAST_DATE:
        raise CellError(f"is outside {FIRST_DATE.year}–{LAST_DATE.year}")
    return day


def parse_choice(text: str, choices: tuple[str, ...]) -> str:
    """One of ``choices`` (given in lower case), in any case; returned as written there."""
    value = choice_key(text)
    if value not in choices:
        raise CellError(f"is not one of: {', '.join(choices)}")
    return value


def choice_key(text: str) -> str:
    """How a choice cell is compared: trimmed, lower case."""
    return text.strip().lower()


def choice_keys(values: pd.Series) -> pd.Series:
    """Choice cells as :func:`parse_choice` compares them (blank or missing: ``""``)."""
    return values.fillna("").astype(str).map(choice_key)


def _each(values: pd.Series, parse, **kwargs) -> list:
    def one(value: object) -> object:
        text = value if isinstance(value, str) else "" if pd.isna(value) else str(value)
        if not text.strip():
            return None
        try:
            return parse(text, **kwargs)
        except CellError:
            return None

    return [one(v) for v in values]


def numbers(values: pd.Series, minimum: float | None = None) -> pd.Series:
    """Number cells as floats (NaN for blank or unusable cells), via :func:`parse_number`."""
    parsed = _each(values, parse_number, minimum=minimum)
    return pd.Series(parsed, index=values.index, dtype="float64")


def dates(values: pd.Series) -> pd.Series:
    """Date cells as ``datetime.date`` objects (NaT for blank or unusable cells)."""
    parsed = [pd.NaT if d is None else d for d in _each(values, parse_date)]
    return pd.Series(parsed, index=values.index, dtype="object")


def whole_number_texts(values: pd.Series) -> pd.Series:
    """Whole-number cells in their plain form (``007`` -> ``7``); other cells unchanged.

    The form keys are compared in: the chain's proposal ids are plain digits.
    """
    parsed = _each(values, parse_whole_number)
    return pd.Series(
        [str(p) if p is not None else str(v) for p, v in zip(parsed, values, strict=True)],
        index=values.index,
        dtype="object",
    )
