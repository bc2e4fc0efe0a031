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

import sys
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from council.archive.mainnet_checks import check_record
from council.archive.mainnet_read import (
    BUDGET_LABELS,
    DEFAULT_MAINNET_DIR,
    HAPI_PER_JOY,
    HASHES_FILE,
    INDEX_FILE,
    INFLATION_LABEL,
    MAINNET_ARCHIVE_DIR,
    MAINNET_FILES,
    MAINNET_TABLES,
    MINTED_FILE,
    MINTED_LABEL,
    NETWORK,
    TERMS_FILE,
    MainnetRecordError,
    Minted,
    Notes,
    Record,
    TermRecord,
    index_term,
    is_mainnet_record,
    is_mainnet_row,
    read_record,
)
from council.archive.merge import kept_note, merge_with_folder, sort_rows
from council.snapshot import write_table_csv

__all__ = [
    "BUDGET_LABELS",
    "INFLATION_LABEL",
    "MAINNET_ARCHIVE_DIR",
    "MINTED_FILE",
    "MINTED_LABEL",
    "TERMS_FILE",
    "MainnetRecordError",
    "import_record",
    "is_mainnet_record",
    "main",
]

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
    reports = [r["Property"] for r in record.index if index_term(r) == term and is_mainnet_row(r)]
    named = f" ({reports[0]})" if reports else ""
    return f"{TERMS_FILE}: term {term} report{named}"


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
  node's rounds and councils replace these rows for the same terms (`council.archive.supersede`);
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
