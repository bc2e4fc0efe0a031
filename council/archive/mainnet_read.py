"""Read the mainnet council's record (the DAO's Notion backup tables) into typed records.

Used by :mod:`council.archive.mainnet`. A cell that cannot be read is named (file, line,
column) in ``Notes.problems`` and read as not recorded; a file without its columns raises
:class:`MainnetRecordError` with a one-line message.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from council.snapshot import DEFAULT_SNAPSHOT_DIR

NETWORK = "mainnet"
MAINNET_ARCHIVE_DIR = "archive_mainnet"  # beside the snapshot CSVs, as the testnet archive
DEFAULT_MAINNET_DIR = DEFAULT_SNAPSHOT_DIR / MAINNET_ARCHIVE_DIR
TERMS_FILE = "mainnet_council_terms_from_reports.csv"
MINTED_FILE = "mainnet_minted_per_term.csv"
INDEX_FILE = "council_reports_index_trimmed.csv"
HASHES_FILE = "council_term_hashes.csv"
MAINNET_FILES = (TERMS_FILE, MINTED_FILE, INDEX_FILE, HASHES_FILE)
HAPI_PER_JOY = 10**10
MAINNET_TABLES = (
    "members",
    "election_rounds",
    "candidates",
    "councils",
    "council_members",
    "archive_terms",
    "council_budget_figures",
    "archive_vote_shares",
)
# Budget columns of the terms file -> the figure's label (council_budget_figures.label).
BUDGET_LABELS = {
    "council_budget_start_joy": "Council budget at start",
    "council_budget_spent_joy": "Council budget spent",
    "council_budget_refill_joy": "Council budget refill",
    "council_budget_end_joy": "Council budget at end",
    "term_total_joy": "Term total",
}
MINTED_LABEL = "JOY minted in the term"
INFLATION_LABEL = "Inflation in the term"
TERM_COLUMNS = (
    "term",
    "start_date",
    "end_date",
    "start_block",
    "end_block",
    "councilor_1",
    "share_1_pct",
    "councilor_2",
    "share_2_pct",
    "councilor_3",
    "share_3_pct",
    "election_link_id",
    *BUDGET_LABELS,
    "notes",
)
MINTED_COLUMNS = ("term", "minted_mjoy", "inflation_pct", "note")
INDEX_COLUMNS = ("Property", "Council Term", "Date", "Testnet / Mainnet")
HASH_COLUMNS = ("Term #", "Date", "Last Block Hash", "Start Block Hash")


class MainnetRecordError(Exception):
    """A file of the record is unusable; the message names the file and the reason."""


@dataclass
class Notes:
    """What the import noticed: unreadable parts, inconsistencies, and the notes columns."""

    problems: list[str] = field(default_factory=list)
    inconsistencies: list[str] = field(default_factory=list)
    term_notes: list[str] = field(default_factory=list)
    spellings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Seat:
    """One elected councillor of a term, as written, and the vote share the report gives."""

    written: str
    share_pct: Decimal | None


@dataclass
class TermRecord:
    """One row of the terms file, typed (None: not recorded)."""

    term: int
    start_date: str | None
    end_date: str | None
    start_block: int | None
    end_block: int | None
    seats: list[Seat]
    link: str | None
    budget: dict[str, Decimal | None]
    notes: str


@dataclass(frozen=True)
class Minted:
    """One row of the minted-per-term file."""

    term: int
    minted_mjoy: Decimal | None
    inflation_pct: Decimal | None
    note: str


@dataclass
class Record:
    """Everything read from the given files."""

    files: dict[str, Path] = field(default_factory=dict)
    terms: list[TermRecord] = field(default_factory=list)
    minted: list[Minted] = field(default_factory=list)
    index: list[dict[str, str]] = field(default_factory=list)
    hashes: list[dict[str, str]] = field(default_factory=list)
    notes: Notes = field(default_factory=Notes)


# --- Reading ---------------------------------------------------------------------------------


def find_files(paths: Iterable[Path]) -> dict[str, Path]:
    """The record's files under ``paths`` (files, or folders searched recursively), by name."""
    found: dict[str, Path] = {}
    for path in map(Path, paths):
        candidates = sorted(path.rglob("*.csv")) if path.is_dir() else [path]
        for candidate in candidates:
            if candidate.name in MAINNET_FILES:
                found.setdefault(candidate.name, candidate)
    return found


def is_mainnet_record(paths: Iterable[Path]) -> bool:
    """True when ``paths`` hold any file of the mainnet record."""
    return bool(find_files(paths))


def read_rows(path: Path, columns: Sequence[str]) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV file whose header must hold ``columns``."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MainnetRecordError(f"{path}: cannot read ({error})") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise MainnetRecordError(f"{path}: missing column(s) {', '.join(missing)}")
    rows = []
    for row in reader:
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    return rows


class _Cells:
    """Typed cells of one row; a bad cell is a problem naming file, line and column (-> None)."""

    def __init__(self, path: Path, line: int, row: Mapping[str, str], notes: Notes) -> None:
        self.path, self.line, self.row, self.notes = path, line, row, notes

    def _bad(self, column: str, what: str) -> None:
        value = self.row[column]
        self.notes.problems.append(
            f"{self.path.name}, line {self.line}, column {column}: {value!r} is not {what}"
            " (imported as not recorded)"
        )

    def text(self, column: str) -> str | None:
        return self.row.get(column) or None

    def integer(self, column: str) -> int | None:
        value = self.row.get(column, "")
        if not value:
            return None
        if not value.isdigit():
            self._bad(column, "a whole number")
            return None
        return int(value)

    def number(self, column: str) -> Decimal | None:
        value = self.row.get(column, "")
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0:
            self._bad(column, "a number >= 0")
            return None
        return number

    def date(self, column: str) -> str | None:
        value = self.row.get(column, "")
        if value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            self._bad(column, "a date (YYYY-MM-DD)")
            return None
        return value or None


def parse_terms(path: Path, notes: Notes) -> list[TermRecord]:
    """The terms file's rows (a row without a term number is named and skipped)."""
    terms: dict[int, TermRecord] = {}
    for line, row in read_rows(path, TERM_COLUMNS):
        cells = _Cells(path, line, row, notes)
        term = cells.integer("term")
        if term is None:
            notes.problems.append(f"{path.name}, line {line}, column term: no term number: skipped")
            continue
        if term in terms:
            notes.problems.append(f"{path.name}, line {line}: term {term} again: skipped")
            continue
        seats = [
            Seat(cells.text(f"councilor_{i}") or "", cells.number(f"share_{i}_pct"))
            for i in (1, 2, 3)
        ]
        terms[term] = TermRecord(
            term=term,
            start_date=cells.date("start_date"),
            end_date=cells.date("end_date"),
            start_block=cells.integer("start_block"),
            end_block=cells.integer("end_block"),
            seats=[seat for seat in seats if seat.written],
            link=cells.text("election_link_id"),
            budget={column: cells.number(column) for column in BUDGET_LABELS},
            notes=row.get("notes", ""),
        )
    return [terms[t] for t in sorted(terms)]


def parse_minted(path: Path, notes: Notes) -> list[Minted]:
    """The minted-per-term file's rows."""
    minted = []
    for line, row in read_rows(path, MINTED_COLUMNS):
        cells = _Cells(path, line, row, notes)
        term = cells.integer("term")
        if term is None:
            notes.problems.append(f"{path.name}, line {line}, column term: no term number: skipped")
            continue
        minted.append(
            Minted(term, cells.number("minted_mjoy"), cells.number("inflation_pct"), row["note"])
        )
    return minted


def read_record(paths: Iterable[Path]) -> Record:
    """Read every file of the record found under ``paths``."""
    record = Record(files=find_files(paths))
    files, notes = record.files, record.notes
    if TERMS_FILE in files:
        record.terms = parse_terms(files[TERMS_FILE], notes)
    if MINTED_FILE in files:
        record.minted = parse_minted(files[MINTED_FILE], notes)
    if INDEX_FILE in files:
        record.index = [row for _, row in read_rows(files[INDEX_FILE], INDEX_COLUMNS)]
    if HASHES_FILE in files:
        record.hashes = [row for _, row in read_rows(files[HASHES_FILE], HASH_COLUMNS)]
    return record


def index_term(row: Mapping[str, str]) -> int | None:
    """The term number of a row of the reports' index (None when it has none)."""
    value = row.get("Council Term", "")
    return int(value) if value.isdigit() else None


def is_mainnet_row(row: Mapping[str, str]) -> bool:
    """True for a mainnet row of the reports' index (the others are testnet reports)."""
    return row.get("Testnet / Mainnet", "").lower() == "mainnet"
