"""Import the testnet council archive (2020–2022) into the bundled snapshot.

    python -m council.archive PATH... [--out DIR] [--snapshot-dir DIR]

PATH: report files or folders (searched recursively) of the community repo's ``council/``:
the term reports (``reports/``), the Alexandria leaderboard and ``kpi_earnings_per_term.json``.
The result is one CSV per cache table in ``data/snapshot/archive/`` (columns exactly the
cache's) with a README on origin and mapping; ``python -m council.snapshot build`` loads them
with the snapshot. Every file or part of a file that cannot be read is named on stderr and in
the README; importing the same files again writes the same CSVs. A new import adds to the
folder's CSVs: rows it does not have are kept. Paths holding the mainnet record (the DAO's
Notion backup CSVs) go to ``council.archive.mainnet`` instead.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from council import store
from council.archive import mainnet as archive_mainnet
from council.archive import merge as archive_merge
from council.archive.extra import (
    KpiReward,
    Leaderboard,
    TokenomicsReport,
    parse_kpi_earnings,
    parse_leaderboard,
    parse_tokenomics,
)
from council.archive.parse import ERA_RULES, Report, parse_report
from council.archive.rows import ARCHIVE_TABLES, Notes, Row, Tables, build_rows
from council.snapshot import DEFAULT_SNAPSHOT_DIR, SnapshotError, read_snapshot, write_table_csv

DEFAULT_ARCHIVE_DIR = DEFAULT_SNAPSHOT_DIR / "archive"
SNAPSHOT_REPORT = "22.10_KPIs_Overview_report.json"
KPI_EARNINGS = "kpi_earnings_per_term.json"


@dataclass
class Sources:
    """Everything read from the given paths, and what could not be read."""

    reports: list[Report] = field(default_factory=list)
    leaderboard: Leaderboard | None = None
    kpi_rewards: list[KpiReward] = field(default_factory=list)
    tokenomics: list[TokenomicsReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    notes: Notes = field(default_factory=Notes)


# In a folder, markdown files are term reports (or the leaderboard) only when their name says
# so: the community repo's council/ folder also holds guides and other notes.
_REPORT_NAME = re.compile(r"report|leaderboard", re.IGNORECASE)


def _files(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """The files to read under ``paths`` and the markdown files in folders that are no reports.

    A file named on the command line is always read.
    """
    found: list[Path] = []
    other: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            for p in path.rglob("*"):
                if p.suffix == ".json" or (p.suffix == ".md" and _REPORT_NAME.search(p.name)):
                    found.append(p)
                elif p.suffix == ".md":
                    other.append(p)
        else:
            found.append(path)
    return sorted(set(found)), sorted(set(other))


def read_sources(paths: Iterable[Path]) -> Sources:
    """Parse every archive file under ``paths``; unreadable files are named in the notes."""
    sources = Sources()
    files, other = _files(paths)
    sources.skipped.extend(f"{path.name}: not a term report (by its name)" for path in other)
    for path in files:
        if not path.exists():
            sources.notes.problems.append(f"{path}: not found")
        elif path.suffix == ".json":
            _read_json(path, sources)
        elif "template" in path.name.lower() or "templates" in path.parts:
            sources.skipped.append(f"{path.name}: a blank report template, not a report")
        elif "tokenomics" in path.name.lower():
            tokenomics = parse_tokenomics(path)
            sources.notes.problems.extend(f"{path.name}: {p}" for p in tokenomics.problems)
            sources.tokenomics.append(tokenomics)
        elif "leaderboard" in path.name.lower():
            board = parse_leaderboard(path)
            sources.notes.problems.extend(f"{path.name}: {p}" for p in board.problems)
            sources.leaderboard = board
        elif path.suffix == ".md":
            try:
                report = parse_report(path)
            except (OSError, UnicodeDecodeError) as error:
                sources.notes.problems.append(f"{path.name}: cannot read ({error})")
                continue
            sources.notes.problems.extend(f"{path.name}: {p}" for p in report.problems)
            sources.notes.inconsistencies.extend(
                f"{path.name}: testnet {report.era.capitalize()} by the {report.era_rule}; "
                f"the {other}"
                for other in report.era_disagreements
            )
            sources.reports.append(report)
    return sources


def _read_json(path: Path, sources: Sources) -> None:
    if path.name == SNAPSHOT_REPORT:
        sources.skipped.append(f"{path.name}: already the bundled snapshot (network sumer)")
    elif path.name == KPI_EARNINGS:
        try:
            rewards, problems = parse_kpi_earnings(path)
        except (OSError, ValueError) as error:
            sources.notes.problems.append(f"{path.name}: cannot read ({error})")
            return
        sources.kpi_rewards = rewards
        sources.notes.problems.extend(f"{path.name}: {p}" for p in problems)
    else:
        sources.skipped.append(f"{path.name}: not an archive file this importer knows")


def import_archive(
    paths: Sequence[Path], snapshot_dir: Path = DEFAULT_SNAPSHOT_DIR
) -> tuple[Tables, Sources]:
    """The archive's cache rows from the files under ``paths``, merged with the snapshot's."""
    sources = read_sources(paths)
    snapshot = read_snapshot(snapshot_dir)
    tables = build_rows(
        sources.reports,
        sources.leaderboard,
        sources.kpi_rewards,
        snapshot,
        sources.notes,
        tokenomics=sources.tokenomics,
    )
    return tables, sources


def _sorted(name: str, rows: Sequence[Row]) -> list[Row]:
    pk = store.TABLES[name].pk

    def key(row: Row) -> tuple:
        return tuple(
            (0, int(row[c]), "") if str(row[c]).isdigit() else (1, 0, str(row[c])) for c in pk
        )

    return sorted(rows, key=key)


def write_archive(tables: Mapping[str, Sequence[Row]], out_dir: Path, readme: str) -> None:
    """One CSV per archive table (the store's columns, in order, rows by key) and the README."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ARCHIVE_TABLES:
        write_table_csv(out_dir / f"{name}.csv", name, _sorted(name, tables[name]))
    (out_dir / "README.md").write_text(readme, encoding="utf-8")


def era_lines(reports: Sequence[Report]) -> list[str]:
    """One line per report: the testnet it was filed under and the rule that told it."""
    return [
        f"{r.name}: testnet {r.era}"
        + (f" (by the {r.era_rule})" if r.era_rule else " (no rule told it)")
        for r in sorted(reports, key=lambda r: r.name)
    ]


def archive_readme(tables: Mapping[str, Sequence[Row]], sources: Sources) -> str:
    """The archive folder's README: origin, contents, mapping, and what could not be read."""
    terms = tables["archive_terms"]
    by_era = Counter(row["testnet"] for row in terms)
    eras = ", ".join(f"{era} {count}" for era, count in sorted(by_era.items()))
    by_rule = Counter(r.era_rule or "no rule" for r in sources.reports)
    rules = ", ".join(
        f"{rule} {by_rule[rule]}" for rule in (*ERA_RULES, "no rule") if by_rule[rule]
    )
    counts = "\n".join(f"| {name}.csv | {len(tables[name])} |" for name in ARCHIVE_TABLES)
    problems = sources.notes.problems + [f"skipped {s}" for s in sources.skipped]
    listed = "\n".join(f"- {p}" for p in problems) or "- none"
    odd = "\n".join(f"- {p}" for p in sources.notes.inconsistencies) or "- none"
    return README_TEMPLATE.format(
        reports=len(sources.reports),
        eras=eras,
        rules=rules,
        counts=counts,
        problems=listed,
        odd=odd,
    )


README_TEMPLATE = """\
# Testnet council archive (2020–2022)

Generated by `python -m council.archive` from the Joystream community repo's `council/`
and `archives/council/tokenomics/` folders (`python -m council.archive
PATH/community-repo/council PATH/community-repo/archives/council/tokenomics`): do not edit
by hand. `python -m council.snapshot build` loads these CSVs together
with the bundled snapshot (the folder above).

## Origin

- {reports} council term reports (`council/reports/`, by testnet: {eras}), written by the
  council secretary for each term: the term's round, blocks, councillors (member id, proposal
  votes cast, own stake, voter stake), roles, mint and budget lines and every proposal
  (type, status, time to finalize, creator, participants). The testnet is told by the first
  of these rules that names one: the file name, the nearest folder, the report's title, and
  for the 2020 reports filed beside the era folders the `Council_Round` file name pattern
  (reports by rule: {rules}); where a later rule names another testnet, it is listed below.
- `reports/archived/alexandria-testnet/Alexandria-Council-Leaderboard.md`: per-term election
  figures (applicants, applicant stake, election stake, votes), KPI and payment figures.
- `kpi/docs/kpi_earnings_per_term.json`: KPI rewards per councillor, KPI rounds 1–18.
- `archives/council/tokenomics/<testnet>/*_Tokenomics_Report.md`: one per council session
  (term), whose "3.1 Elections" table gives the total applicants, applicant stake and votes
  of the election that elected the session's council.
- Not imported again: `22.10_KPIs_Overview_report.json`, already the bundled snapshot.

## Contents

Columns are exactly the cache tables' columns (`council/store.py`, `docs/schema.md`); an empty
cell is NULL.

| file | rows |
|---|---|
{counts}

## Mapping

- **Networks: one chain, one network.** `constantinople` (2020, rounds 8–22);
  `alexandria` for the Alexandria and Babylon terms (Babylon was an upgrade of the Alexandria
  chain: its first term starts at block 1468801, where Alexandria's last ended, and its rounds
  go on from 8); `sumer` for the Antioch and Sumer terms (one chain, as in the bundled
  snapshot). `archive_terms.testnet` keeps each report's era.
- **Rounds and councils.** `cycle_id` is the report's "Council Election Round" (Constantinople
  "20/21": 21, the election that succeeded). On the Antioch/Sumer chain the reports' round
  field is inconsistent and the term number (the file name's `CouncilN`) is not: the council of
  term T was elected in round T+2 (T >= 2), as in the snapshot; term 1 in round 2, the genesis
  term 0 in round 1. Ids as in the snapshot: `<network>-<cycle>`, `<network>-council-<cycle>`,
  `<network>-<cycle>-<member>`, `<network>-council-<cycle>-<member>`.
- **Merged with the snapshot.** Sumer terms 2–23 are councils of the bundled snapshot: their
  rounds, councils and candidates are not repeated; their `council_members` rows carry only
  what the snapshot lacks (`backing_stake`, `proposal_votes_cast`), and the build fills the
  snapshot rows' empty cells from them. Where a report and the snapshot disagree, the snapshot
  (chain data) is kept and the difference is listed below.
- **Blocks and times.** A council was elected at the report's start block and replaced at its
  end block. Times are estimates (`ended_at_time_estimated` = 1): linear between dated blocks
  (snapshot dates, dates written in the reports and the leaderboard, and each report file's
  date for its term's end block), else 6-second blocks.
- **Elections.** Only the elected seats are known: `losers_recorded` = 0, one `elected`
  candidate per seat with `stake` = own stake and `vote_power` = own + voter stake; no votes.
  Totals per round are in `archive_election_stats`: the Alexandria leaderboard's (rounds 1–6,
  with the election stake) and the tokenomics reports'. The tokenomics report of session S
  describes the election that elected session S's council: round S on Alexandria/Babylon,
  on Antioch/Sumer the term rule above (S + 2, session 1: round 2). Checked for every round:
  its applicants are never fewer than the seats filled, its votes never fewer than the
  snapshot's votes for the round's winners, and the session starts at the block where that
  round's council was elected. Where the leaderboard has a row it is kept (the tokenomics
  reports agree with it). Not imported: session 0 (the genesis council, 0 applicants) and
  the Giza sessions 40–47 (no term report, so no round here). The dashboard's round summary
  takes candidates per seat (applicants / seats) and votes cast from these totals; a
  winners-only round without them shows both as not recorded.
- **Councillors.** `council_members.stake` = "CM Own Stake", `backing_stake` = "CM Voter
  Stake", `proposal_votes_cast` = "Prop. Votes Cast" (Babylon 8 and 9 give backers instead:
  left empty). One source per figure: the dashboard (election page, leaderboard, term
  report) takes a seat's own stake, voter stake and their total from one record, the
  snapshot's candidacy and votes where the round has them (Sumer rounds 2–25: the 22.10
  backers' stakes), else the term report's; where the two disagree it is listed below
  ("stakes differ from the 22.10 snapshot"). Member ids the reports do not give
  (Constantinople rounds 17–19 list accounts only) are looked up by handle in the other
  reports of the network, else `@handle`.
- **Proposals.** One row per proposal (a proposal listed by two terms: the later term's row);
  `status` mapped to the cache's words (`Approved & Executed` -> executed, `Passed to next
  council` -> deciding, `ExecutionFailed (...)` -> execution failed, plain `Approved` ->
  executed), the report's own words in `status_text`; `blocks_to_finalize`; `creator_handle`
  (and `creator_id` when the creator's id is known); `council_id` the reporting term;
  `funding_amount` for Spending proposals with a token amount. Each participant is a
  `proposal_votes` row with the reporting `council_id`, `vote_kind` empty (not recorded).
- **Roles** (`council_roles`): "Council Secretary" -> `secretary`, "Council Deputy Secretary"
  -> `deputy secretary`. **Figures** (`council_budget_figures`): the reports' mint and budget
  lines (tokens, stored as HAPI) and the leaderboard's rows per term (`section: label`; JOY as
  HAPI, `$` as USD, `%`).
- **Amounts**: whole tJOY x 10^10, exact decimal text.

## Files or parts that could not be read

{problems}

## Inconsistencies in the sources

{odd}
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m council.archive",
        description="Import the testnet council reports into data/snapshot/archive/, or the "
        "mainnet council's record (the Notion backup's CSVs) into data/snapshot/archive_mainnet/.",
    )
    parser.add_argument("paths", type=Path, nargs="+", metavar="PATH")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="output folder (default: data/snapshot/archive, or archive_mainnet for the mainnet "
        "record)",
    )
    parser.add_argument(
        "--snapshot-dir", type=Path, default=DEFAULT_SNAPSHOT_DIR, help="the bundled snapshot"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    if archive_mainnet.is_mainnet_record(args.paths):  # the mainnet record (Notion backup)
        if _files(args.paths)[0]:
            print(
                "note: the paths hold the mainnet record: only it is imported; import testnet "
                "reports in a separate run",
                file=sys.stderr,
            )
        return archive_mainnet.main(args.paths, args.out)
    args.out = args.out or DEFAULT_ARCHIVE_DIR
    try:
        tables, sources = import_archive(args.paths, args.snapshot_dir)
    except SnapshotError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if not sources.reports:
        print("error: no council term report found under the given paths", file=sys.stderr)
        return 1
    tables, kept = archive_merge.merge_with_folder(args.out, tables)  # earlier imports stay
    write_archive(tables, args.out, archive_readme(tables, sources) + archive_merge.kept_note(kept))
    for problem in sources.notes.problems:
        print(f"warning: {problem}", file=sys.stderr)
    for skipped in sources.skipped:
        print(f"skipped: {skipped}", file=sys.stderr)
    for line in era_lines(sources.reports):
        print(f"read {line}", file=sys.stderr)
    counts = ", ".join(f"{name} {len(tables[name])}" for name in ARCHIVE_TABLES)
    print(f"Wrote {args.out}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
