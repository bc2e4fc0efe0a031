"""Import the mainnet council's public record (terms 2–35, 2023–2024) into the bundled snapshot.

    python -m council.archive NOTION_BACKUP_FOLDER [--out DIR]

The DAO's Notion backup holds the mainnet council term reports as tables extracted from them:
``mainnet_council_terms_from_reports.csv`` (per term: dates, blocks, the three councillors,
their vote shares where given, the council budget and the term's total),
``mainnet_minted_per_term.csv`` (JOY minted per term), ``council_reports_index_trimmed.csv``
(the reports' index) and ``council_term_hashes.csv`` (block hashes of terms 2–12). The result
is one CSV per cache table in ``data/snapshot/archive_mainnet/`` (network ``mainnet``) with a
README; figures the record does not hold are empty (NULL), and every inconsistency between the
files is listed in the README, never corrected. Importing the same files again writes the same
files; rows of an earlier import that this one does not have are kept.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from council.archive_merge import kept_note, merge_with_folder, sort_rows
from council.snapshot import DEFAULT_SNAPSHOT_DIR, write_table_csv

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
# Spellings the record itself (its notes) or the reference folder's README equate. Each one is
# listed in the archive README; spellings only differing in case are merged too (listed).
ALIASES = {
    "chaos": ("chaos77", "term 8's notes: 'Chaos = chaos77 (BWG lead)'; term 21 writes chaos77"),
    "dmtr": ("dmtrmltsv", "term 29 writes dmtrmltsv, terms 30-31 'dmtr'"),
    "h. hazashi": ("Hanzo Hazashi", "term 27 abbreviates term 22's 'Hanzo Hazashi'"),
    "vikan#4315": ("Vikan", "term 28 writes Vikan with a Discord tag (#4315)"),
}
# Spellings that may name a councillor known under another spelling, but the record does not
# say so: kept apart, listed.
UNCERTAIN = {
    "songku": "term 4 writes 'songku' (the notes: 'as written (songoku?)'); term 7 has songoku",
    "Jenny": "terms 23-35 write 'Jenny', very likely jen4ph (not merged: the record does not "
    "say so)",
}

Row = dict[str, Any]
Tables = dict[str, list[Row]]


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


# --- Handles ---------------------------------------------------------------------------------


def canonical_handles(terms: Sequence[TermRecord], notes: Notes | None = None) -> dict[str, str]:
    """Each spelling written in ``terms`` -> the handle stored for it.

    Spellings differing only in case are one member (stored lower case when that spelling
    occurs, else as first written); ``ALIASES`` join the spellings the record equates. Every
    merge is noted in ``notes.spellings``; ``UNCERTAIN`` spellings are kept and noted.
    """
    written = [seat.written for term in terms for seat in term.seats]
    groups: dict[str, list[str]] = {}
    for spelling in written:
        groups.setdefault(spelling.lower(), [])
        if spelling not in groups[spelling.lower()]:
            groups[spelling.lower()].append(spelling)
    result: dict[str, str] = {}
    for lower, spellings in groups.items():
        own = lower if lower in spellings else spellings[0]
        target, reason = ALIASES.get(lower, (own, "the same handle in another case"))
        for spelling in spellings:
            result[spelling] = target
            if notes is not None and spelling != target:
                notes.spellings.append(f"'{spelling}' stored as {target} ({reason})")
    if notes is not None:
        for spelling, why in UNCERTAIN.items():
            if spelling in result:
                notes.spellings.append(f"'{spelling}' kept as written: {why}")
    return result


# --- Rows ------------------------------------------------------------------------------------


def council_id(term: int) -> str:
    """The archive's id of the council of mainnet term ``term``."""
    return f"{NETWORK}-council-{term}"


def member_id(handle: str) -> str:
    """The archive's member id for a handle (the record gives no membership ids)."""
    return f"@{handle}"


def hapi(joy: Decimal | None) -> str | None:
    """JOY as the cache's exact decimal text of HAPI (None stays None)."""
    if joy is None:
        return None
    value = joy * HAPI_PER_JOY
    return str(int(value)) if value == value.to_integral_value() else str(value.normalize())


def _time(day: str | None) -> str | None:
    return f"{day}T00:00:00Z" if day else None


def _plain(number: Decimal | None) -> str | None:
    return None if number is None else format(number, "f")


def build_tables(record: Record) -> Tables:
    """The cache rows of the record (network ``mainnet``); notes what is inconsistent."""
    tables: Tables = {name: [] for name in MAINNET_TABLES}
    handles = canonical_handles(record.terms, record.notes)
    by_term = {t.term: t for t in record.terms}
    source = {t: _source(t, record) for t in by_term}
    for term in record.terms:
        _add_term(tables, term, source[term.term])
        if term.start_block is None:  # a council can only be placed by its start block
            record.notes.problems.append(
                f"{TERMS_FILE}: term {term.term} has no start block: no council or election "
                "round for it (its dates and figures are kept in archive_terms and "
                "council_budget_figures)"
            )
            continue
        before = by_term.get(term.term - 1)
        placed = before if before is not None and before.start_block is not None else None
        _add_council(tables, term, placed, handles)
    _add_minted(tables, record.minted, by_term, record.notes)
    members = {h for h in handles.values()}
    tables["members"] = [
        {"network": NETWORK, "id": member_id(h), "handle": h, "root_account": None} for h in members
    ]
    return {name: sort_rows(name, rows) for name, rows in tables.items()}


def _source(term: int, record: Record) -> str:
    reports = [r["Property"] for r in record.index if _index_term(r) == term and _is_mainnet(r)]
    named = f" ({reports[0]})" if reports else ""
    return f"{TERMS_FILE}: term {term} report{named}"


def _index_term(row: Mapping[str, str]) -> int | None:
    value = row.get("Council Term", "")
    return int(value) if value.isdigit() else None


def _is_mainnet(row: Mapping[str, str]) -> bool:
    return row.get("Testnet / Mainnet", "").lower() == "mainnet"


def _add_council(
    tables: Tables, term: TermRecord, before: TermRecord | None, handles: Mapping[str, str]
) -> None:
    t, council = term.term, council_id(term.term)
    tables["election_rounds"].append(
        {
            "network": NETWORK,
            "cycle_id": t,
            "round_id": f"{NETWORK}-{t}",
            "is_finished": 1,
            "started_at_block": before.start_block if before else None,
            "ended_at_block": term.start_block,
            "ended_at_time": _time(term.start_date),
            "ended_at_time_estimated": 1,
            "seats": len(term.seats) or None,
            "voting_started_at_block": None,
            "voting_ends_at_block": None,
            "revealing_started_at_block": None,
            "revealing_ends_at_block": None,
            "council_id": council_id(before.term) if before else None,
            "next_council_id": council,
            "losers_recorded": 0,
            "source": TERMS_FILE,
        }
    )
    tables["councils"].append(
        {
            "network": NETWORK,
            "id": council,
            "elected_in_cycle_id": t,
            "elected_at_block": term.start_block,
            "elected_at_time": _time(term.start_date),
            "ended_at_block": term.end_block,
            "ended_at_time": _time(term.end_date),
            "is_resigned": 1,
        }
    )
    for seat in term.seats:
        member = member_id(handles[seat.written])
        tables["candidates"].append(_candidate(t, member))
        tables["council_members"].append(_council_member(council, member))
        if seat.share_pct is not None:
            tables["archive_vote_shares"].append(
                {
                    "network": NETWORK,
                    "cycle_id": t,
                    "member_id": member,
                    "share_pct": _plain(seat.share_pct),
                    "source": TERMS_FILE,
                }
            )


def _add_term(tables: Tables, term: TermRecord, source: str) -> None:
    t, council = term.term, council_id(term.term)
    tables["archive_terms"].append(
        {
            "network": NETWORK,
            "council_id": council,
            "testnet": NETWORK,
            "cycle_id": t,
            "round_label": term.link,
            "term": t,
            "kpi_round": None,
            "start_block": term.start_block,
            "end_block": term.end_block,
            "start_date": term.start_date,
            "end_date": term.end_date,
            "report_date": None,
            "members_recorded": int(bool(term.seats)),
            "proposals_listed": None,
            "proposals_cancelled": None,
            "source": source,
        }
    )
    for column, label in BUDGET_LABELS.items():
        tables["council_budget_figures"].append(
            _figure(council, label, hapi(term.budget[column]), "HAPI")
        )


def _candidate(term: int, member: str) -> Row:
    return {
        "network": NETWORK,
        "id": f"{NETWORK}-{term}-{member}",
        "cycle_id": term,
        "member_id": member,
        "stake": None,
        "vote_power": None,
        "status": "elected",
        "staking_account": None,
        "reward_account": None,
        "note_header": None,
        "note_bullet_points": None,
    }


def _council_member(council: str, member: str) -> Row:
    return {
        "network": NETWORK,
        "id": f"{council}-{member}",
        "council_id": council,
        "member_id": member,
        "stake": None,
        "accumulated_reward": None,
        "unpaid_reward": None,
        "last_payment_block": None,
        "backing_stake": None,
        "proposal_votes_cast": None,
    }


def _figure(council: str, label: str, value: str | None, unit: str) -> Row:
    return {"network": NETWORK, "council_id": council, "label": label, "value": value, "unit": unit}


def _add_minted(
    tables: Tables, minted: Sequence[Minted], by_term: Mapping[int, TermRecord], notes: Notes
) -> None:
    for row in minted:
        if by_term and row.term not in by_term:
            notes.problems.append(
                f"{MINTED_FILE}: term {row.term} ({row.minted_mjoy} MJOY minted) not imported: "
                f"the record has no council for term {row.term}"
            )
            continue
        council = council_id(row.term)
        mjoy = None if row.minted_mjoy is None else row.minted_mjoy * 10**6
        tables["council_budget_figures"].append(_figure(council, MINTED_LABEL, hapi(mjoy), "HAPI"))
        tables["council_budget_figures"].append(
            _figure(council, INFLATION_LABEL, _plain(row.inflation_pct), "%")
        )


# --- Checks ----------------------------------------------------------------------------------


def check_record(record: Record) -> None:
    """Note every inconsistency between and within the record's files (nothing is changed)."""
    odd = record.notes.inconsistencies
    terms = record.terms
    for before, after in itertools.pairwise(terms):
        _check_pair(before, after, odd)
    for term in terms:
        _check_term(term, odd)
    _check_minted(record, odd)
    _check_index(record, odd)
    _check_hashes(record, odd)
    record.notes.term_notes = [f"term {t.term}: {t.notes}" for t in terms if t.notes]
    record.notes.term_notes += [
        f"{MINTED_FILE}, term {m.term}: {m.note}" for m in record.minted if m.note
    ]


def _check_pair(before: TermRecord, after: TermRecord, odd: list[str]) -> None:
    pair = f"terms {before.term}/{after.term}"
    if after.term != before.term + 1:
        odd.append(f"{pair}: no term between them in the record")
        return
    if None not in (before.end_block, after.start_block) and before.end_block != after.start_block:
        odd.append(
            f"{pair}: term {before.term} ends at block {before.end_block}, term {after.term} "
            f"starts at block {after.start_block}"
        )
    if None not in (before.end_date, after.start_date) and before.end_date > after.start_date:
        odd.append(
            f"{pair}: term {before.term} ends {before.end_date}, after term {after.term} "
            f"starts ({after.start_date})"
        )
    end = before.budget["council_budget_end_joy"]
    start = after.budget["council_budget_start_joy"]
    if None not in (end, start) and end != start:
        odd.append(
            f"{pair}: council budget at the end of term {before.term} {end} JOY, at the start "
            f"of term {after.term} {start} JOY"
        )
    same_seats = [s.written for s in before.seats] == [s.written for s in after.seats]
    if before.seats and same_seats and before.link and before.link == after.link:
        odd.append(
            f"{pair}: the same councillors and the same election link ({after.link}): "
            f"term {after.term}'s report may copy term {before.term}'s"
        )


def _check_term(term: TermRecord, odd: list[str]) -> None:
    b = term.budget
    parts = [b[c] for c in BUDGET_LABELS if c != "term_total_joy"]
    if None not in parts:
        start, spent, refill, end = parts
        if start - spent + refill != end:
            odd.append(
                f"term {term.term}: budget start {start} - spent {spent} + refill {refill} = "
                f"{start - spent + refill}, the report gives {end} at the end"
            )
    if not term.seats:
        odd.append(f"term {term.term}: no councillors in the record (members not recorded)")
    link_term = _link_number(term.link)
    if link_term is not None and link_term != term.term:
        odd.append(
            f"term {term.term}: the report's election link {term.link} is id {link_term}, "
            "not the term number"
        )
    if None not in (term.start_block, term.end_block) and term.end_block <= term.start_block:
        odd.append(f"term {term.term}: end block {term.end_block} is not after its start")


def _link_number(link: str | None) -> int | None:
    """A Pioneer link id (zero-padded base 36, maybe after a path) as a number."""
    if not link:
        return None
    tail = link.rsplit("/", 1)[-1]
    try:
        return int(tail, 36)
    except ValueError:
        return None


def _check_minted(record: Record, odd: list[str]) -> None:
    totals = {t.term: t.budget["term_total_joy"] for t in record.terms}
    for row in record.minted:
        total = totals.get(row.term)
        if total is None or row.minted_mjoy is None:
            continue
        if abs(total / 10**6 - row.minted_mjoy) > Decimal("0.0015"):
            odd.append(
                f"term {row.term}: the report's term total {total} JOY, but {MINTED_FILE} "
                f"gives {row.minted_mjoy} MJOY minted"
            )


def _check_index(record: Record, odd: list[str]) -> None:
    mainnet = [r for r in record.index if _is_mainnet(r)]
    if not record.index:
        return
    odd.append(
        f"{INDEX_FILE}: {len(record.index) - len(mainnet)} testnet rows (Olympia, Rhodes) "
        "not imported (not mainnet)"
    )
    seen = Counter(_index_term(r) for r in mainnet)
    for term, count in sorted(seen.items(), key=lambda kv: kv[0] or 0):
        if count > 1:
            names = ", ".join(r["Property"] for r in mainnet if _index_term(r) == term)
            odd.append(f"{INDEX_FILE}: term {term} listed {count} times ({names})")
    by_term = {t.term: t for t in record.terms}
    for row in mainnet:
        term = by_term.get(_index_term(row))
        if term is None:
            odd.append(f"{INDEX_FILE}: '{row['Property']}' has no row in {TERMS_FILE}")
            continue
        dates = _index_dates(row["Date"])
        if dates and dates != (term.start_date, term.end_date):
            odd.append(
                f"{INDEX_FILE}: '{row['Property']}' dates {dates[0]} - {dates[1]}, the report "
                f"{term.start_date} - {term.end_date}"
            )


_MONTHS = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"], start=1)}  # fmt: skip


def _index_dates(text: str) -> tuple[str, str] | None:
    found = re.findall(r"([A-Z][a-z]+) (\d{1,2}), (\d{4})", text)
    if len(found) != 2 or any(m not in _MONTHS for m, _, _ in found):
        return None
    first, last = (f"{y}-{_MONTHS[m]:02d}-{int(d):02d}" for m, d, y in found)
    return first, last


def _check_hashes(record: Record, odd: list[str]) -> None:
    rows = {}
    for row in record.hashes:
        number = row.get("Term #", "")
        if not number.isdigit():
            odd.append(f"{HASHES_FILE}: a row without a term number (blank row) not read")
            continue
        if not (row.get("Start Block Hash") and row.get("Last Block Hash")):
            odd.append(f"{HASHES_FILE}: term {number} has no block hashes")
            continue
        rows[int(number)] = row
    for term, row in sorted(rows.items()):
        after = rows.get(term + 1)
        if after and after["Start Block Hash"] != row["Last Block Hash"]:
            odd.append(
                f"{HASHES_FILE}: term {term}'s last block hash is not term {term + 1}'s start "
                "block hash"
            )


# --- Writing ---------------------------------------------------------------------------------


def import_record(paths: Iterable[Path]) -> tuple[Tables, Record]:
    """The cache rows of the mainnet record under ``paths``, and what was read."""
    record = read_record(paths)
    check_record(record)
    return build_tables(record), record


def write_mainnet_archive(
    tables: Mapping[str, Sequence[Row]], record: Record, out_dir: Path = DEFAULT_MAINNET_DIR
) -> Tables:
    """Add ``tables`` to the archive in ``out_dir`` (earlier rows kept) with its README."""
    out_dir = Path(out_dir)
    merged, kept = merge_with_folder(out_dir, tables)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in MAINNET_TABLES:
        write_table_csv(out_dir / f"{name}.csv", name, merged.get(name, []))
    (out_dir / "README.md").write_text(readme(merged, record) + kept_note(kept), encoding="utf-8")
    return merged


def _bullets(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines) or "- none"


def readme(tables: Mapping[str, Sequence[Row]], record: Record) -> str:
    """The archive folder's README: origin, contents, mapping, spellings, inconsistencies."""
    terms = sorted(r["term"] for r in tables["archive_terms"])
    span = f"{terms[0]}–{terms[-1]}" if terms else "none"
    counts = "\n".join(f"| {name}.csv | {len(tables.get(name, []))} |" for name in MAINNET_TABLES)
    files = ", ".join(f"`{name}`" for name in MAINNET_FILES if name in record.files)
    notes = record.notes
    return README_TEMPLATE.format(
        span=span,
        files=files or "none",
        counts=counts,
        spellings=_bullets(notes.spellings),
        problems=_bullets(notes.problems),
        odd=_bullets(notes.inconsistencies),
        term_notes=_bullets(notes.term_notes),
        terms=TERMS_FILE,
        minted=MINTED_FILE,
        index=INDEX_FILE,
        hashes=HASHES_FILE,
    )


README_TEMPLATE = """\
# Mainnet council archive (terms {span})

Generated by `python -m council.archive` from the DAO's public record: do not edit by hand.
`python -m council.snapshot build` loads these CSVs together with the bundled snapshot and the
testnet archive.

## Origin

The Joystream DAO's Notion workspace backup
(github.com/Codefikeyz/Joystream-Notion-Workspace-Backup, `Council/`), as extracted into
`reference-data/joystream/notion-backup/`. Read: {files}.

- `{terms}`: per term, extracted by hand from the mainnet council term reports: dates, start
  and end blocks, the three councillors, their share of the election's vote stake (from term
  12 on), the report's election link, the council budget (start, spent, refill, end) and the
  term's total.
- `{minted}`: JOY minted and inflation per term (the term 35 report's "Table 6.1 Inflation").
- `{index}`: the reports' index (names and dates): the `source` of each term, and a
  cross-check of the dates.
- `{hashes}`: start and last block hashes of terms 2–12: a check that the terms follow on.

## Contents

Columns are exactly the cache tables' columns (`council/store.py`, `docs/schema.md`); an empty
cell is NULL: the record does not hold that figure (shown as "not recorded").

| file | rows |
|---|---|
{counts}

## Mapping

- **Network** `mainnet` on every row. When a fetched mainnet cache is present, the query
  node's rounds and councils replace these rows for the same terms (`council.archive_supersede`);
  these rows remain for terms the node does not return.
- **Terms, rounds, councils.** Term T is council `mainnet-council-T`, elected in round
  `cycle_id` T (`mainnet-T`): the reports' Pioneer election links are Hydra ElectionRound ids
  that match the term number. The round ended and the council was elected at the term's start
  block, and the council was replaced at its end block; a round started at the previous term's
  start block. Times are the reports' dates at 00:00 UTC (`ended_at_time_estimated` = 1).
  `archive_terms.round_label` holds the report's election link id as written.
- **Elections.** Only the elected seats are known: `losers_recorded` = 0, one `elected`
  candidate per councillor, stakes and vote power not recorded (empty). The share of the
  vote stake the report gives a seat is in `archive_vote_shares` (percent, as written).
- **Councillors** are `@handle` members (the record gives no membership ids): one
  `council_members` row per seat, stakes and rewards not recorded.
- **Figures** (`council_budget_figures`, per council): `Council budget at start`, `Council
  budget spent`, `Council budget refill`, `Council budget at end`, `Term total` (the report's
  total for the term) from the terms file, `JOY minted in the term` and `Inflation in the term`
  (%) from the minted file; amounts JOY x 10^10 (HAPI), exact decimal text; empty where the
  record has no figure.
- **Imports add.** A new import replaces rows with the same key and keeps the others.

## Handle spellings

{spellings}

## Files or parts that could not be read

{problems}

## Inconsistencies in the sources

Listed, not corrected: the CSVs keep what the record says.

{odd}

## What the reports say (the notes columns)

{term_notes}
"""


def main(paths: Sequence[Path], out_dir: Path | None = None) -> int:
    """Import the mainnet record under ``paths`` into ``out_dir``; the process exit code."""
    try:
        tables, record = import_record(paths)
    except MainnetRecordError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not any(tables.values()):
        print("error: no mainnet term found in the given files", file=sys.stderr)
        return 1
    out = Path(out_dir) if out_dir is not None else DEFAULT_MAINNET_DIR
    merged = write_mainnet_archive(tables, record, out)
    for problem in record.notes.problems:
        print(f"warning: {problem}", file=sys.stderr)
    counts = ", ".join(f"{name} {len(merged.get(name, []))}" for name in MAINNET_TABLES)
    print(f"Wrote {out}: {counts}", file=sys.stderr)
    return 0
