"""Validate an uploaded CSV against a declared schema, naming file, row and column of each problem.

One validator, many schemas (spending categories, KPIs). Nothing here stores anything: it
turns bytes into a clean DataFrame plus a list of errors and warnings. A file with any error
must not be stored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import pandas as pd

MAX_BYTES_DEFAULT = 5 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    """One declared column: its header, what a cell may hold, and how strict to be.

    ``kind`` is ``text``, ``int`` (whole number >= 0), ``amount`` (number >= 0), ``percent``
    (number from 0 to 100), ``date`` (YYYY-MM-DD) or ``choice`` (one of ``choices``, any case).
    ``required``: the header must be present. ``not_blank``: every row needs a value.
    ``lenient``: a bad value is a warning and is kept as text (for derived, informative columns).
    """

    name: str
    kind: str = "text"
    required: bool = True
    not_blank: bool = False
    lenient: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class CsvSchema:
    """A CSV format: columns, the key that must be unique, and the size limit."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    max_bytes: int = MAX_BYTES_DEFAULT

    @property
    def column_names(self) -> list[str]:
        """Declared headers in order."""
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Problem:
    """One finding, located as precisely as possible. ``row`` is the file's line number."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class Validation:
    """The outcome: the clean table (when there are no errors), errors and warnings."""

    frame: pd.DataFrame | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file may be stored."""
        return not self.errors and self.frame is not None


def _decode(raw: bytes, file: str) -> tuple[str | None, Problem | None]:
    if b"\x00" in raw[:65536]:
        return None, Problem(file, "is not a CSV text file (it contains binary data)")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return None, Problem(
            file,
            f"is not UTF-8 text (byte 0x{raw[error.start]:02x} at position {error.start}); "
            "save it as 'CSV UTF-8'",
        )


def _separator_hint(header_line: str) -> str:
    for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
        if header_line.count(sep) > header_line.count(","):
            return f"; it seems to use {name} between columns, expected commas"
    return ""


def _check_cell(column: Column, value: str) -> str | None:
    """The problem with one non-blank cell, or None."""
    if column.kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return f"'{value}' is not a date like 2023-06-30"
        return None
    if column.kind in ("int", "amount", "percent"):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return f"'{value}' is not a number"
        if not number.is_finite():
            return f"'{value}' is not a number"
        if number < 0:
            return f"'{value}' is negative"
        if column.kind == "int" and number != number.to_integral_value():
            return f"'{value}' is not a whole number"
        if column.kind == "percent" and number > 100:
            return f"'{value}' is more than 100"
    elif column.kind == "choice" and value.lower() not in column.choices:
        return f"'{value}' is not one of: {', '.join(column.choices)}"
    return None


def _duplicate_problems(
    frame: pd.DataFrame, schema: CsvSchema, file: str, line_of: pd.Series
) -> tuple[list[Problem], list[Problem], pd.Series]:
    """Errors for conflicting duplicate keys; warnings for duplicates that add nothing.

    A duplicate row is harmless when it is blank apart from its key, or identical to the row
    before it: it is dropped with a warning. Returns (errors, warnings, rows to keep).
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    keep = pd.Series(True, index=frame.index)
    others = [c for c in frame.columns if c not in schema.key]
    blank = frame[others].eq("").all(axis=1)
    for _, group in frame[frame.duplicated(list(schema.key), keep=False)].groupby(
        list(schema.key), sort=False
    ):
        key_text = ", ".join(f"{k} {group.iloc[0][k]}" for k in schema.key)
        filled = group[~blank.loc[group.index]]
        distinct = filled.drop_duplicates()
        rows = ", ".join(str(line_of[i]) for i in group.index)
        if len(distinct) > 1:
            errors.append(
                Problem(file, f"{key_text} appears on rows {rows} with different values", None)
            )
            continue
        survivor = distinct.index[0] if len(distinct) else group.index[0]
        for index in group.index:
            if index != survivor:
                keep[index] = False
        warnings.append(Problem(file, f"{key_text} repeats on rows {rows}; kept one", None))
    return errors, warnings, keep


def validate_csv(
    raw: bytes,
    file: str,
    schema: CsvSchema,
    known_keys: set[tuple[str, ...]] | None = None,
    check_row: Callable[[dict[str, str]], str | None] | None = None,
) -> Validation:
    """Check ``raw`` against ``schema``; return the clean table or the problems.

    Accepts UTF-8 with or without a byte-order mark and Windows or Unix line endings. Cells
    stay text (a cell like ``=1+1`` is data, never a formula); numbers are checked, not
    converted. ``known_keys`` (optional) turns keys not found there into warnings.
    """
    result = Validation(frame=None)
    if not raw.strip():
        result.errors.append(Problem(file, "is empty"))
        return result
    if len(raw) > schema.max_bytes:
        result.errors.append(
            Problem(
                file,
                f"is {len(raw) / 1_048_576:.1f} MB; the limit is "
                f"{schema.max_bytes / 1_048_576:.0f} MB",
            )
        )
        return result
    text, problem = _decode(raw, file)
    if problem:
        result.errors.append(problem)
        return result
    assert text is not None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        result.errors.append(Problem(file, f"is not valid CSV: {error}"))
        return result
    header = [h.strip() for h in rows[0]]
    missing = [c.name for c in schema.columns if c.required and c.name not in header]
    if missing:
        names = ", ".join(f"'{m}'" for m in missing)
        hint = _separator_hint(text.splitlines()[0])
        result.errors.append(Problem(file, f"is missing column(s) {names}{hint}", row=1))
        return result
    declared = set(schema.column_names)
    for extra in [h for h in header if h not in declared]:
        result.warnings.append(
            Problem(file, "is not a known column; ignored", 1, extra or "(blank)")
        )
    wanted = [c for c in schema.columns if c.name in header]
    positions = {c.name: header.index(c.name) for c in wanted}
    records, lines = [], []
    for line_number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            result.errors.append(
                Problem(
                    file, f"has {len(cells)} cells but the header has {len(header)}", line_number
                )
            )
            continue
        cells = cells + [""] * (len(header) - len(cells))
        record = {c.name: cells[positions[c.name]].strip() for c in wanted}
        for column in wanted:
            value = record[column.name]
            if not value:
                if column.not_blank:
                    result.errors.append(Problem(file, "is blank", line_number, column.name))
                continue
            issue = _check_cell(column, value)
            if issue:
                target = result.warnings if column.lenient else result.errors
                target.append(Problem(file, issue, line_number, column.name))
        if check_row:
            issue = check_row(record)
            if issue:
                result.errors.append(Problem(file, issue, line_number))
        records.append(record)
        lines.append(line_number)
    if not records:
        if not result.errors:
            result.errors.append(Problem(file, "has a header but no rows"))
        return result
    frame = pd.DataFrame(records, columns=[c.name for c in wanted], dtype="object")
    line_of = pd.Series(lines, index=frame.index)
    dup_errors, dup_warnings, keep = _duplicate_problems(frame, schema, file, line_of)
    result.errors.extend(dup_errors)
    result.warnings.extend(dup_warnings)
    frame, line_of = frame[keep].reset_index(drop=True), line_of[keep].reset_index(drop=True)
    for column in schema.column_names:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[schema.column_names]
    if known_keys is not None:
        for index, key in enumerate(frame[list(schema.key)].itertuples(index=False, name=None)):
            if key not in known_keys:
                message = f"{', '.join(key)} is not a known proposal"
                result.warnings.append(Problem(file, message, int(line_of[index])))
    if not result.errors:
        result.frame = frame
        result.lines = [int(n) for n in line_of]
    return result
