"""Inconsistencies within and between the mainnet record's files, listed, never corrected.

Used by :mod:`council.archive.mainnet`: every finding goes to the archive README.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from decimal import Decimal

from council.archive.mainnet_read import (
    BUDGET_LABELS,
    HASHES_FILE,
    INDEX_FILE,
    MINTED_FILE,
    TERMS_FILE,
    Record,
    TermRecord,
    index_term,
    is_mainnet_row,
)


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
    mainnet = [r for r in record.index if is_mainnet_row(r)]
    if not record.index:
        return
    odd.append(
        f"{INDEX_FILE}: {len(record.index) - len(mainnet)} testnet rows (Olympia, Rhodes) "
        "not imported (not mainnet)"
    )
    seen = Counter(index_term(r) for r in mainnet)
    for term, count in sorted(seen.items(), key=lambda kv: kv[0] or 0):
        if count > 1:
            names = ", ".join(r["Property"] for r in mainnet if index_term(r) == term)
            odd.append(f"{INDEX_FILE}: term {term} listed {count} times ({names})")
    by_term = {t.term: t for t in record.terms}
    for row in mainnet:
        term = by_term.get(index_term(row))
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
