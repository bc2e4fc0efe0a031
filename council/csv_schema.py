"""Validate an uploaded CSV against a declared schema, naming file, row and column of each problem.

One validator, many schemas (spending categories, KPIs). Nothing here stores anything: it
turns bytes into a clean DataFrame plus a list of errors and warnings. A file with any error
must not be stored. Cell values are read with council/csv_values.py, the parsers the pages'
readers use too: a value that passes here is one the pages can use.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from council import csv_values
from council.csv_values import CellError

MAX_BYTES_DEFAULT = 5 * 1024 * 1024
MAX_CELL_CHARS = 10_000

# The csv module's own cell limit (128 KiB) fails mid-file without saying where; with it
# above the file size limit, an over-long cell reaches the check below that names its row
# and column. Raising a process-wide limit only ever lets more through.
csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES_DEFAULT))


@dataclass(frozen=True)
class Column:
    """One declared column: its header, what a cell may hold, and how strict to be.

    ``kind`` is ``text``, ``int`` (whole number >= 0), ``amount`` (number >= 0), ``percent``
    (number from 0 to 100), ``date`` (YYYY-MM-DD) or ``choice`` (one of ``choices``, any case).
    ``required``: the header must be present. ``not_blank``: every row needs a value.
    ``lenient``: a bad value is a warning and is kept as text (for derived, informative columns).
    ``fold_case``: the readers compare this column's values ignoring case (keys only).
    """

    name: str
    kind: str = "text"
    required: bool = True
    not_blank: bool = False
    lenient: bool = False
    choices: tuple[str, ...] = ()
    fold_case: bool = False


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


@dataclass(frozen=True)
class _Record:
    line: int  # the file line the record starts on
    end: int  # the file line it ends on (later than ``line`` when a quoted cell spans lines)
    cells: list[str]


def _shown(value: str) -> str:
    """A cell's text for a message: on one line, at most 40 characters."""
    one_line = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return one_line if len(one_line) <= 40 else f"{one_line[:37]}…"


# Line breaks as the csv module counts them (not str.splitlines(), which knows more).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")


def _header_names(cells: list[str]) -> list[str]:
    return [h.replace("\ufeff", "").strip() for h in cells]


def _line_of(raw: bytes, position: int) -> int:
    return len(_LINE_BREAK_BYTES.findall(raw, 0, position)) + 1


def _column_at(raw: bytes, position: int) -> str | None:
    """The header name of the cell holding byte ``position`` (its line read on its own)."""
    lines = _LINE_BREAK_BYTES.split(raw[:position])
    before = lines[-1].decode("utf-8", errors="replace")
    index = len(next(csv.reader([before]))) - 1 if before else 0
    header_line = _LINE_BREAK_BYTES.split(raw, 1)[0].decode("utf-8", errors="replace")
    header = _header_names(next(csv.reader([header_line]), []))
    name = header[index] if index < len(header) else ""
    return name or None


def _is_text(line: bytes) -> bool:
    try:
        return b"\x00" not in line and bool(line.decode("utf-8-sig").strip())
    except UnicodeDecodeError:
        return False


def _decode(raw: bytes, file: str) -> tuple[str | None, Problem | None]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, Problem(file, "is UTF-16 text; save it as 'CSV UTF-8'")
    nul = raw.find(b"\x00")
    if nul >= 0:
        message = "is not a CSV text file (it contains binary data)"
        if not _is_text(_LINE_BREAK_BYTES.split(raw, 1)[0]):  # not even the header is text
            return None, Problem(file, message)
        return None, Problem(file, message, _line_of(raw, nul), _column_at(raw, nul))
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        return None, Problem(
            file,
            f"is not UTF-8 text (byte 0x{raw[error.start]:02x}); save it as 'CSV UTF-8'",
            _line_of(raw, error.start),
            _column_at(raw, error.start),
        )


def _quote_column(line: str) -> int | None:
    """Index of the first cell on ``line`` whose quotes are broken (unclosed, or text after
    the closing quote), else None."""
    cell, i = 0, 0
    while i < len(line):
        if line[i] == '"':
            j = i + 1
            while True:
                close = line.find('"', j)
                if close < 0:
                    return cell
                if line.startswith('"', close + 1):
                    j = close + 2
                    continue
                break
            if close + 1 < len(line) and line[close + 1] != ",":
                return cell
            i = close + 2
        else:
            comma = line.find(",", i)
            if comma < 0:
                return None
            i = comma + 1
        cell += 1
    return None


def _read_records(text: str, file: str) -> tuple[list[_Record], Problem | None]:
    """The file's records with their line numbers, or the first quoting problem."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[_Record] = []
    end = 0
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return records, None
        except csv.Error as error:
            lines = _LINE_BREAK.split(text)
            header = _header_names(records[0].cells) if records else []
            index = _quote_column(lines[start - 1]) if start <= len(lines) else None
            column = header[index] if index is not None and index < len(header) else None
            if "unexpected end of data" in str(error):
                message = (
                    "a quote opened here is never closed, so the rest of the file would be "
                    "one cell; check the quotes"
                )
            elif "expected after" in str(error) and reader.line_num > start:
                message = _swallowed_message(start, reader.line_num)
            elif "expected after" in str(error):
                message = (
                    "a quoted cell has text after its closing quote; put the whole cell in "
                    'quotes and double each quote inside it ("")'
                )
            else:
                message = f"is not valid CSV: {error}"
            return records, Problem(file, message, start, column)
        end = reader.line_num
        records.append(_Record(start, end, cells))


def _swallowed_message(start: int, end: int) -> str:
    return (
        f"a quote opened here closes only on row {end}, so rows {start}–{end} read as one "
        "cell; check the quotes"
    )


def _swallowed_rows(record: _Record, header: list[str], file: str) -> Problem | None:
    """A quoted cell that runs over lines holding whole rows: a quote left open by mistake."""
    enough = max(1, len(header) - 3)  # separators that make a line look like a whole row
    for index, cell in enumerate(record.cells):
        inner = cell.splitlines()[1:]
        if any(line.count(",") >= enough for line in inner):
            column = header[index] if index < len(header) else None
            return Problem(file, _swallowed_message(record.line, record.end), record.line, column)
    return None


def _separator_hint(header_line: str) -> str:
    for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
        if header_line.count(sep) > header_line.count(","):
            return f"; it seems to use {name} between columns, expected commas"
    return ""


def _header_problem(header: list[str], schema: CsvSchema, file: str, line: int) -> Problem | None:
    """A repeated or missing column (the file cannot be read as meant), else None."""
    for name in dict.fromkeys(h for h in header if h):
        positions = [str(i + 1) for i, h in enumerate(header) if h == name]
        if len(positions) > 1:
            return Problem(
                file,
                f"appears {len(positions)} times in the header (columns "
                f"{', '.join(positions)}); keep one",
                line,
                name,
            )
    missing = [c.name for c in schema.columns if c.required and c.name not in header]
    if not missing:
        return None
    names = ", ".join(f"'{m}'" for m in missing)
    near = {h.lower(): h for h in header}
    spelled = [f"'{near[m.lower()]}'" for m in missing if m.lower() in near]
    hint = f"; {', '.join(spelled)} differ{'s' if len(spelled) == 1 else ''} only in case"
    hint = hint if spelled else ""
    hint += _separator_hint(",".join(header))
    return Problem(file, f"is missing column(s) {names}{hint}", line)


def _check_cell(column: Column, value: str) -> tuple[str, str | None]:
    """The cell's stored form and the problem with it (None when fine); ``value`` not blank.

    Whole numbers are stored in their plain form (``007`` -> ``7``), as the readers key them.
    """
    try:
        if column.kind == "date":
            csv_values.parse_date(value)
        elif column.kind == "int":
            return str(csv_values.parse_whole_number(value)), None
        elif column.kind == "amount":
            csv_values.parse_number(value, minimum=0)
        elif column.kind == "percent":
            csv_values.parse_number(value, minimum=0, maximum=100)
        elif column.kind == "choice":
            csv_values.parse_choice(value, column.choices)
    except CellError as error:
        return value, f"'{_shown(value)}' {error}"
    return value, None


def _key_form(frame: pd.DataFrame, schema: CsvSchema) -> pd.DataFrame:
    """The key columns as the readers compare them (``fold_case`` columns in lower case)."""
    folded = {c.name for c in schema.columns if c.fold_case}
    return pd.DataFrame({k: frame[k].str.lower() if k in folded else frame[k] for k in schema.key})


def _duplicate_problems(
    frame: pd.DataFrame, schema: CsvSchema, file: str, line_of: pd.Series
) -> tuple[list[Problem], list[Problem], pd.Series]:
    """Errors for conflicting duplicate keys; warnings for duplicates that add nothing.

    A duplicate row is harmless when it is blank apart from its key, or the same as the
    first filled row of its key: it is dropped with a warning. Returns (errors, warnings,
    rows to keep).
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    keep = pd.Series(True, index=frame.index)
    keys = _key_form(frame, schema)
    others = [c for c in frame.columns if c not in schema.key]
    blank = frame[others].eq("").all(axis=1)
    repeated = keys.duplicated(keep=False)
    for _, group in keys[repeated].groupby(list(schema.key), sort=False):
        first = frame.loc[group.index[0]]
        key_text = ", ".join(f"{k} {first[k]}" for k in schema.key)
        filled = [i for i in group.index if not blank[i]]
        survivor = filled[0] if filled else group.index[0]
        conflicts = False
        for index in filled[1:]:
            differ = [c for c in others if frame.at[index, c] != frame.at[survivor, c]]
            if differ:
                conflicts = True
                here, there = frame.at[index, differ[0]], frame.at[survivor, differ[0]]
                errors.append(
                    Problem(
                        file,
                        f"{key_text} is also on row {line_of[survivor]} with a different "
                        f"value ('{_shown(here)}' here, '{_shown(there)}' there)",
                        int(line_of[index]),
                        differ[0],
                    )
                )
        if conflicts:
            continue
        for index in group.index:
            if index != survivor:
                keep[index] = False
        rows = ", ".join(str(line_of[i]) for i in group.index)
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

    Accepts UTF-8 with or without a byte-order mark and Windows, Unix or old Mac line
    endings. Cells stay text (a cell like ``=1+1`` is data, never a formula); values are
    checked with the readers' parsers, not converted, except whole numbers, kept in their
    plain form. ``known_keys`` (optional) turns keys not found there into warnings.
    """
    result = Validation(frame=None)
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
    records, problem = _read_records(text, file)
    if problem:
        result.errors.append(problem)
        return result
    filled = [r for r in records if any(cell.strip() for cell in r.cells)]
    if not filled:
        result.errors.append(Problem(file, "is empty"))
        return result
    header_line = filled[0].line
    header = _header_names(filled[0].cells)
    problem = _header_problem(header, schema, file, header_line)
    if problem:
        result.errors.append(problem)
        return result
    declared = set(schema.column_names)
    for extra in [h for h in header if h not in declared]:
        result.warnings.append(
            Problem(file, "is not a known column; ignored", header_line, extra or "(blank)")
        )
    wanted = [c for c in schema.columns if c.name in header]
    positions = {c.name: header.index(c.name) for c in wanted}
    rows, lines = [], []
    for record in filled[1:]:
        line_number, cells = record.line, record.cells
        if [c.strip() for c in cells] == header:
            result.errors.append(
                Problem(file, "repeats the header row (were two files joined?)", line_number)
            )
            continue
        if any(cell.strip() for cell in cells[len(header) :]):
            result.errors.append(
                Problem(
                    file, f"has {len(cells)} cells but the header has {len(header)}", line_number
                )
            )
            continue
        problem = _swallowed_rows(record, header, file) if record.end > record.line else None
        if problem:
            result.errors.append(problem)
            continue
        cells = cells + [""] * (len(header) - len(cells))
        row = {c.name: cells[positions[c.name]].strip() for c in wanted}
        for column in wanted:
            value = row[column.name]
            if len(value) > MAX_CELL_CHARS:
                message = f"is {len(value):,} characters long; the limit is {MAX_CELL_CHARS:,}"
                result.errors.append(Problem(file, message, line_number, column.name))
                continue
            if not value:
                if column.not_blank:
                    result.errors.append(Problem(file, "is blank", line_number, column.name))
                continue
            stored, issue = _check_cell(column, value)
            row[column.name] = stored
            if issue:
                target = result.warnings if column.lenient else result.errors
                target.append(Problem(file, issue, line_number, column.name))
        if check_row:
            issue = check_row(row)
            if issue:
                result.errors.append(Problem(file, issue, line_number))
        rows.append(row)
        lines.append(line_number)
    if not rows:
        if not result.errors:
            result.errors.append(Problem(file, "has a header but no rows"))
        return result
    frame = pd.DataFrame(rows, columns=[c.name for c in wanted], dtype="object")
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
