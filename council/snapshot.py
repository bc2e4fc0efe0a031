"""The bundled snapshot: real Sumer-testnet council elections as CSV, and the cache built from it.

    python -m council.snapshot convert KPI_REPORT.json [--dates-from DIR ...] [--out DIR]
    python -m council.snapshot build [--db PATH] [--if-missing] [--snapshot-dir DIR]

``convert`` turns the council's KPI 22.10 overview report (Joystream community-repo: every
elected seat of 23 Sumer council rounds, with its backers) into one CSV per cache table plus a
README that records the mapping. ``build`` loads those CSVs into the SQLite cache through
``council.store.write_cache``, so that a fresh clone shows real data offline.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import hashlib
import io
import itertools
import json
import re
import sys
import textwrap
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from council import locations, store
from council.archive import supersede as archive_supersede

NETWORK = "sumer"
# Sumer balances were whole tJOY; the cache holds base units, 10^10 to the token as on mainnet.
HAPI_PER_TJOY = 10**10
BLOCK_SECONDS = 6
DAY_BLOCKS = 14_400
# Sumer election parameters (Joystream node chain spec, council_size 16): a council's term
# (new_term_duration) is 1 day; then announcing 4 days, voting 1 day, revealing 1 day.
NEW_TERM_BLOCKS = DAY_BLOCKS
ELECTION_BLOCKS = 6 * DAY_BLOCKS
JSG_HANDLE = "joystream"
SNAPSHOT_TABLES = (
    "members",
    "election_rounds",
    "candidates",
    "votes",
    "councils",
    "council_members",
)
DEFAULT_SNAPSHOT_DIR = locations.bundled_data_dir() / "snapshot"
ARCHIVE_DIR = "archive"  # the testnet council archive, beside the snapshot CSVs
MAINNET_ARCHIVE_DIR = "archive_mainnet"  # the mainnet council's record (council.archive.mainnet)
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

Row = dict[str, Any]
Tables = dict[str, list[Row]]
KPIRound = Mapping[str, Any]


class SnapshotError(Exception):
    """An input file or the snapshot is unusable; the message names the file and the reason."""


@dataclass(frozen=True)
class Anchor:
    """A block whose date is known from a tokenomics report."""

    block: int
    time: datetime


# ---------------------------------------------------------------------------------------------
# Reading the KPI overview report


def load_rounds(path: Path) -> list[KPIRound]:
    """The report's rounds, oldest first, after checking the shape and totals of every seat."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise SnapshotError(f"{path}: cannot read the report ({error.strerror})") from error
    except json.JSONDecodeError as error:
        raise SnapshotError(f"{path}: not valid JSON ({error})") from error
    rounds = data.get("rounds") if isinstance(data, dict) else None
    if not isinstance(rounds, list) or not rounds:
        raise SnapshotError(f"{path}: no 'rounds' list")
    for kpi_round in rounds:
        _check_round(kpi_round, path)
    numbers = Counter(r["round"] for r in rounds)
    repeated = sorted(n for n, count in numbers.items() if count > 1)
    if repeated:
        raise SnapshotError(f"{path}: rounds listed more than once: {repeated}")
    return sorted(rounds, key=lambda r: r["round"])


def _check_round(kpi_round: Any, path: Path) -> None:
    if not isinstance(kpi_round, dict):
        raise SnapshotError(f"{path}: a round is not an object")
    where = f"{path}: round {kpi_round.get('round', '?')}"
    for key in ("round", "termEndsAt"):
        _require_int(kpi_round.get(key), f"{where}: '{key}'")
    seats = kpi_round.get("seats")
    if not isinstance(seats, list) or not seats:
        raise SnapshotError(f"{where}: no 'seats' list")
    for seat in seats:
        _check_seat(seat, where)


def _check_seat(seat: Any, where: str) -> None:
    if not isinstance(seat, dict):
        raise SnapshotError(f"{where}: a seat is not an object")
    _check_member(seat.get("member"), where)
    where = f"{where}, seat of member {seat['member']['id']}"
    for key in ("ownStake", "backersStake", "jsgStake", "totalStake"):
        _require_int(seat.get(key), f"{where}: '{key}'")
    backers = seat.get("backers")
    if not isinstance(backers, list):
        raise SnapshotError(f"{where}: no 'backers' list")
    for backer in backers:
        if not isinstance(backer, dict):
            raise SnapshotError(f"{where}: a backer is not an object")
        _check_member(backer.get("member"), where)
        _require_int(backer.get("stake"), f"{where}: a backer's 'stake'")
    _check_totals(seat, where)


def _check_member(member: Any, where: str) -> None:
    if not isinstance(member, dict) or not all(
        k in member for k in ("id", "handle", "rootAccount")
    ):
        raise SnapshotError(f"{where}: a member lacks id, handle or rootAccount")


def _check_totals(seat: Mapping[str, Any], where: str) -> None:
    backed = sum(b["stake"] for b in seat["backers"])
    if backed != seat["backersStake"]:
        raise SnapshotError(f"{where}: backers' stakes sum to {backed}, not backersStake")
    if seat["ownStake"] + backed != seat["totalStake"]:
        raise SnapshotError(f"{where}: ownStake + backersStake is not totalStake")
    jsg = sum(b["stake"] for b in seat["backers"] if b["member"]["handle"] == JSG_HANDLE)
    if jsg != seat["jsgStake"]:
        raise SnapshotError(f"{where}: jsgStake is not the '{JSG_HANDLE}' member's backing")


def _require_int(value: Any, what: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise SnapshotError(f"{what} should be an integer, found {value!r}")


# ---------------------------------------------------------------------------------------------
# Dates from the tokenomics reports

_BLOCK_RANGE = re.compile(r"Block range:\s*([\d,]+)\s*-\s*([\d,]+)")
_DATE_RANGE = re.compile(
    r"Date Range:\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*-\s*(\d{1,2})/(\d{1,2})/(\d{4})"
)


def report_anchors(text: str) -> tuple[Anchor, Anchor] | None:
    """(first block, start date) and (block after the last, end date) of a tokenomics report.

    Reads the ``* Block range: A - B`` and ``* Date Range: M/D/YYYY - M/D/YYYY`` lines; dates
    are taken as midnight UTC. None when the text has no such lines.
    """
    blocks = _BLOCK_RANGE.search(text)
    dates = _DATE_RANGE.search(text)
    if not blocks or not dates:
        return None
    first, last = (int(g.replace(",", "")) for g in blocks.groups())
    month, day, year, end_month, end_day, end_year = (int(g) for g in dates.groups())
    return (
        Anchor(first, datetime(year, month, day, tzinfo=UTC)),
        Anchor(last + 1, datetime(end_year, end_month, end_day, tzinfo=UTC)),
    )


def read_anchors(directories: Iterable[Path]) -> list[Anchor]:
    """Block/date anchors from every tokenomics report (``*.md``) in ``directories``.

    Each report gives its first block and start date; the report that ends last also gives the
    block after its range and its end date. The result is sorted by block, and dates must rise
    with blocks.
    """
    starts: dict[int, Anchor] = {}
    last: Anchor | None = None
    for directory in directories:
        for path, (start, end) in _directory_anchors(Path(directory)):
            _add_anchor(starts, start, path)
            if last is None or end.block > last.block:
                last = end
    if last is not None and last.block not in starts:
        starts[last.block] = last
    anchors = sorted(starts.values(), key=lambda a: a.block)
    _check_rising(anchors)
    return anchors


def _directory_anchors(directory: Path) -> Iterator[tuple[Path, tuple[Anchor, Anchor]]]:
    if not directory.is_dir():
        raise SnapshotError(f"{directory}: not a directory of tokenomics reports")
    found = 0
    for path in sorted(directory.glob("*.md")):
        pair = report_anchors(path.read_text(encoding="utf-8", errors="replace"))
        if pair is not None:
            found += 1
            yield path, pair
    if not found:
        raise SnapshotError(f"{directory}: no report with 'Block range' and 'Date Range' lines")


def _add_anchor(anchors: dict[int, Anchor], anchor: Anchor, path: Path) -> None:
    known = anchors.setdefault(anchor.block, anchor)
    if known.time != anchor.time:
        raise SnapshotError(
            f"{path}: block {anchor.block} dated {anchor.time:%Y-%m-%d}, "
            f"another report says {known.time:%Y-%m-%d}"
        )


def _check_rising(anchors: Sequence[Anchor]) -> None:
    for before, after in itertools.pairwise(anchors):
        if after.time <= before.time:
            raise SnapshotError(
                f"tokenomics reports: block {after.block} is dated {after.time:%Y-%m-%d}, "
                f"not after block {before.block} ({before.time:%Y-%m-%d})"
            )


def block_time(block: int | None, anchors: Sequence[Anchor]) -> str | None:
    """Estimated UTC time of ``block``: linear between the anchors around it, else 6 s a block.

    Outside the anchors' range the estimate counts 6-second blocks from the nearest anchor.
    None without anchors or block.
    """
    if block is None or not anchors:
        return None
    index = bisect.bisect_right([a.block for a in anchors], block)
    if 0 < index < len(anchors):
        low, high = anchors[index - 1], anchors[index]
        span = (high.time - low.time).total_seconds()
        seconds = span * (block - low.block) / (high.block - low.block)
    else:
        low = anchors[0] if index == 0 else anchors[-1]
        seconds = (block - low.block) * BLOCK_SECONDS
    return (low.time + timedelta(seconds=round(seconds))).strftime(TIME_FORMAT)


# ---------------------------------------------------------------------------------------------
# Rounds to cache rows


def elected_block(kpi_round: KPIRound) -> int:
    """The block at which the round's council was elected: its term ends a day later."""
    return kpi_round["termEndsAt"] - NEW_TERM_BLOCKS


def replaced_block(kpi_round: KPIRound, next_round: KPIRound | None) -> int:
    """The block at which the round's council was replaced by the next one elected.

    Without a next round in the file: the end of the election that began at ``termEndsAt``.
    """
    if next_round is not None:
        return elected_block(next_round)
    return kpi_round["termEndsAt"] + ELECTION_BLOCKS


def tjoy_to_base_units(amount: int) -> str:
    """A whole-tJOY amount as the cache's exact decimal text of base units (10^10 a tJOY)."""
    return str(amount * HAPI_PER_TJOY)


def round_id(cycle: int) -> str:
    """The snapshot's id of an election round."""
    return f"{NETWORK}-{cycle}"


def council_id(cycle: int) -> str:
    """The snapshot's id of the council elected in round ``cycle``."""
    return f"{NETWORK}-council-{cycle}"


def candidate_id(cycle: int, member_id: str) -> str:
    """The snapshot's id of a member's candidacy in round ``cycle``."""
    return f"{NETWORK}-{cycle}-{member_id}"


def convert_rounds(
    rounds: Sequence[KPIRound], source: str, anchors: Sequence[Anchor] = ()
) -> Tables:
    """Cache rows for the snapshot tables from the report's rounds (oldest first)."""
    tables: Tables = {name: [] for name in SNAPSHOT_TABLES}
    members: dict[str, Row] = {}
    previous: list[KPIRound | None] = [None, *rounds[:-1]]
    following: list[KPIRound | None] = [*rounds[1:], None]
    for before, kpi_round, after in zip(previous, rounds, following, strict=True):
        tables["election_rounds"].append(_round_row(kpi_round, before, source, anchors))
        tables["councils"].append(_council_row(kpi_round, after, anchors))
        for seat in kpi_round["seats"]:
            _add_seat(tables, kpi_round["round"], seat)
            for member in (seat["member"], *(b["member"] for b in seat["backers"])):
                members[str(member["id"])] = _member_row(member)
    tables["members"] = sorted(members.values(), key=lambda r: _id_order(r["id"]))
    return tables


def _id_order(member_id: str) -> tuple[int, str]:
    return (int(member_id), "") if member_id.isdigit() else (sys.maxsize, member_id)


def _add_seat(tables: Tables, cycle: int, seat: Mapping[str, Any]) -> None:
    tables["candidates"].append(_candidate_row(cycle, seat))
    tables["council_members"].append(_council_member_row(cycle, seat))
    tables["votes"].extend(_vote_rows(cycle, seat))


def _member_row(member: Mapping[str, Any]) -> Row:
    return {
        "network": NETWORK,
        "id": str(member["id"]),
        "handle": member["handle"],
        "root_account": member["rootAccount"],
    }


def _round_row(
    kpi_round: KPIRound, before: KPIRound | None, source: str, anchors: Sequence[Anchor]
) -> Row:
    cycle = kpi_round["round"]
    ended = elected_block(kpi_round)
    ended_time = block_time(ended, anchors)
    return {
        "network": NETWORK,
        "cycle_id": cycle,
        "round_id": round_id(cycle),
        "is_finished": 1,
        "started_at_block": elected_block(before) if before else None,
        "ended_at_block": ended,
        "ended_at_time": ended_time,
        "ended_at_time_estimated": int(ended_time is not None),
        "seats": len(kpi_round["seats"]),
        "voting_started_at_block": None,
        "voting_ends_at_block": None,
        "revealing_started_at_block": None,
        "revealing_ends_at_block": None,
        "council_id": council_id(before["round"]) if before else None,
        "next_council_id": council_id(cycle),
        "losers_recorded": 0,
        "source": source,
    }


def _council_row(kpi_round: KPIRound, after: KPIRound | None, anchors: Sequence[Anchor]) -> Row:
    elected = elected_block(kpi_round)
    ended = replaced_block(kpi_round, after)
    return {
        "network": NETWORK,
        "id": council_id(kpi_round["round"]),
        "elected_in_cycle_id": kpi_round["round"],
        "elected_at_block": elected,
        "elected_at_time": block_time(elected, anchors),
        "ended_at_block": ended,
        "ended_at_time": block_time(ended, anchors),
        "is_resigned": 1,
    }


def _candidate_row(cycle: int, seat: Mapping[str, Any]) -> Row:
    member_id = str(seat["member"]["id"])
    return {
        "network": NETWORK,
        "id": candidate_id(cycle, member_id),
        "cycle_id": cycle,
        "member_id": member_id,
        "stake": tjoy_to_base_units(seat["ownStake"]),
        "vote_power": tjoy_to_base_units(seat["totalStake"]),
        "status": "elected",
        "staking_account": None,
        "reward_account": None,
        "note_header": None,
        "note_bullet_points": None,
    }


def _council_member_row(cycle: int, seat: Mapping[str, Any]) -> Row:
    member_id = str(seat["member"]["id"])
    return {
        "network": NETWORK,
        "id": f"{council_id(cycle)}-{member_id}",
        "council_id": council_id(cycle),
        "member_id": member_id,
        "stake": tjoy_to_base_units(seat["ownStake"]),
        "accumulated_reward": None,
        "unpaid_reward": None,
        "last_payment_block": None,
    }


def _vote_rows(cycle: int, seat: Mapping[str, Any]) -> list[Row]:
    candidate = candidate_id(cycle, str(seat["member"]["id"]))
    seen: Counter[str] = Counter()
    rows = []
    for backer in seat["backers"]:
        voter = str(backer["member"]["id"])
        seen[voter] += 1
        suffix = f".{seen[voter]}" if seen[voter] > 1 else ""
        stake = tjoy_to_base_units(backer["stake"])
        rows.append(
            {
                "network": NETWORK,
                "id": f"{candidate}-{voter}{suffix}",
                "cycle_id": cycle,
                "cast_by": backer["member"]["rootAccount"],
                "voter_member_id": voter,
                "stake": stake,
                "vote_power": stake,
                "vote_for_candidate_id": candidate,
                "commitment": None,
            }
        )
    return rows


# ---------------------------------------------------------------------------------------------
# Writing the snapshot


def write_table_csv(path: Path, table: str, rows: Iterable[Row]) -> None:
    """``rows`` of cache table ``table`` as CSV: the store's columns in order, NULL as empty."""
    columns = list(store.TABLES[table].columns)
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row[c] for c in columns])


def write_snapshot(tables: Mapping[str, Sequence[Row]], out_dir: Path, readme: str) -> None:
    """Write one CSV per snapshot table (the store's columns, in order) and the README."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in SNAPSHOT_TABLES:
        write_table_csv(out_dir / f"{name}.csv", name, tables[name])
    (out_dir / "README.md").write_text(readme, encoding="utf-8")


def convert(
    report: Path, out_dir: Path = DEFAULT_SNAPSHOT_DIR, dates_from: Sequence[Path] = ()
) -> Tables:
    """Convert the KPI overview report at ``report`` into the snapshot in ``out_dir``."""
    rounds = load_rounds(report)
    anchors = read_anchors(dates_from) if dates_from else []
    tables = convert_rounds(rounds, Path(report).name, anchors)
    write_snapshot(tables, out_dir, snapshot_readme(tables, rounds, Path(report).name, anchors))
    return tables


def _day(time: str | None) -> str:
    return time[:10] if time else "unknown"


def snapshot_readme(
    tables: Mapping[str, Sequence[Row]],
    rounds: Sequence[KPIRound],
    source: str,
    anchors: Sequence[Anchor],
) -> str:
    """The snapshot's README: origin, contents, date range, mapping decisions and limits."""
    seats = [seat for r in rounds for seat in r["seats"]]
    backers = [b for seat in seats for b in seat["backers"]]
    councils = tables["councils"]
    return _README.format(
        source=source,
        n_rounds=len(rounds),
        first=rounds[0]["round"],
        last=rounds[-1]["round"],
        counts="\n".join(f"| {name}.csv | {len(tables[name])} |" for name in SNAPSHOT_TABLES),
        first_day=_day(tables["election_rounds"][0]["ended_at_time"]),
        last_day=_day(tables["election_rounds"][-1]["ended_at_time"]),
        last_council_end=_day(councils[-1]["ended_at_time"]),
        last_block=councils[-1]["ended_at_block"],
        dates=_dates_note(anchors),
        jsg_votes=sum(1 for b in backers if b["member"]["handle"] == JSG_HANDLE),
        self_backed=sum(1 for s in seats if _self_backed(s)),
        unbacked=sum(1 for s in seats if not s["backers"]),
        seats=len(seats),
        members=_members_note(rounds),
        gaps=_gaps_note(rounds),
    )


def _self_backed(seat: Mapping[str, Any]) -> bool:
    return any(b["member"]["id"] == seat["member"]["id"] for b in seat["backers"])


def _members_note(rounds: Sequence[KPIRound]) -> str:
    seen: dict[str, set[tuple[str, str]]] = {}
    for kpi_round in rounds:
        for seat in kpi_round["seats"]:
            for member in (seat["member"], *(b["member"] for b in seat["backers"])):
                identity = (member["handle"], member["rootAccount"])
                seen.setdefault(str(member["id"]), set()).add(identity)
    varying = sum(1 for identities in seen.values() if len(identities) > 1)
    if not varying:
        return "they do not vary between rounds"
    return f"{varying} members vary between rounds; the latest round's values are kept"


def _gaps_note(rounds: Sequence[KPIRound]) -> str:
    notes = []
    for before, after in itertools.pairwise(rounds):
        if after["round"] == before["round"] + 1:
            continue
        absent = ", ".join(str(n) for n in range(before["round"] + 1, after["round"]))
        delay = elected_block(after) - before["termEndsAt"]
        note = (
            f"- Round {absent} is absent from the file. Round {before['round']}'s council was "
            f"replaced by round {after['round']}'s {delay} blocks ({delay / DAY_BLOCKS:g} days) "
            f"after its `termEndsAt` instead of {ELECTION_BLOCKS} "
            f"({ELECTION_BLOCKS / DAY_BLOCKS:g} days): this fits a failed election (an extra "
            f"announcing period) and round {before['round']}'s council ruling until then, "
            f"which is how the snapshot records it."
        )
        notes.append(textwrap.fill(note, width=96, subsequent_indent="  "))
    return "\n".join(notes) or "- No round is missing between the first and the last."


def _dates_note(anchors: Sequence[Anchor]) -> str:
    if not anchors:
        return "none were given (`--dates-from`), so every time is empty"
    return (
        f"{len(anchors)} anchors, blocks {anchors[0].block}–{anchors[-1].block} "
        f"({anchors[0].time:%Y-%m-%d} to {anchors[-1].time:%Y-%m-%d})"
    )


_README = """\
# Bundled snapshot: Sumer-testnet council elections

Real council election results, so that a fresh clone of the dashboard shows real data offline.
`make cache` (or `python -m council.snapshot build`) loads these CSVs into the SQLite cache.
The files are generated: do not edit them by hand, re-run the converter (see the end).

## Origin

`{source}`, from github.com/Joystream/community-repo
(`council/kpi/Section-II-Community-Management/`, commit 4404b9f0). The council made it for KPI
22.10. It lists {n_rounds} council election rounds ({first} to {last}) of the
Joystream testnet chain that ran Antioch and then Sumer (2021), and for every round each elected
seat: the member (id, handle, root account), own stake, every backer (member, stake), the
backers' total, `jsgStake` and `totalStake`, plus the round's `termEndsAt` block.

Dates come from the testnet tokenomics reports in the same repository
(`archives/council/tokenomics/antioch/` and `.../sumer/`: `* Block range: A - B` and
`* Date Range: M/D/YYYY - M/D/YYYY`): {dates}.

## Contents

| file | rows |
|---|---|
{counts}

Columns are exactly the cache tables' columns (`council/store.py`, `docs/schema.md`), in order;
an empty cell is NULL. Every row has `network` = `sumer`.

Rounds ended (councils elected) from {first_day} to {last_day}; the last council's reign ended
at block {last_block} ({last_council_end}). All times are estimates.

## Mapping decisions

- **Round numbers.** `cycle_id` is the file's `round`: the election round that elected the
  seats. The council's own reports number things differently: the council elected in round N
  is "Council session N−2" in the tokenomics reports and "Council Term N−2" in the council term
  reports, whose "Council Election Round" field says N+1 from term 12 on (the round under way
  when the report was written; earlier reports are inconsistent). Example: round 22's seats,
  own and voter stakes are those of the "Term 20 / Election Round #23" report (blocks
  2091600–2192400). Rounds 9–25 (terms 7–23) were checked this way: the same seats, own and
  voter stakes, except a few voter stakes the term 7, 8 and 10 reports round to hundreds and
  term 11 (round 13), whose report lists member 1989 where this file has member 515.
- **Blocks.** `termEndsAt` is the chain's `council.termEndsAt`: the block where the council's
  term ends and the next election's announcing stage begins. Sumer's election parameters were a
  1-day term (14400 blocks) followed by 4 days announcing, 1 day voting and 1 day revealing
  (86400 blocks), a 7-day cycle (100800 blocks). So a council was elected at
  `termEndsAt − 14400` and replaced at the next round's election block (`termEndsAt + 86400`
  when the round ran on schedule). This matches every report: round 22's `termEndsAt` 2106000
  − 14400 = 2091600, the start block of its term in both the term report and the tokenomics
  report; consecutive rounds' `termEndsAt` are 100800 apart.
  - `election_rounds.ended_at_block` = `councils.elected_at_block` = `termEndsAt − 14400`.
  - `election_rounds.started_at_block` = the election block of the council ruling during the
    round (the previous round's), as for query-node data; empty for the first round.
  - `councils.ended_at_block` = the next round's election block. For the last round, whose
    successor is not in the file: `termEndsAt + 86400` ({last_block}), which the Sumer term-23
    tokenomics and council reports confirm as the end of that council's term.
  - Voting and revealing stage blocks are not in the file and stay empty.
- **Ids.** Rounds `sumer-<round>`, councils `sumer-council-<round>`, candidates
  `sumer-<round>-<member id>`, council members `sumer-council-<round>-<member id>`, votes
  `sumer-<round>-<candidate member id>-<voter member id>`, with `.2`, `.3`, ... when the same
  member backed the same seat more than once (several stakes from one member are kept as
  separate votes, as in the file). `council_id` of a round is the council ruling during it (the
  previous round's), `next_council_id` the council it elected.
- **Units.** Sumer tJOY had no subdivision: the file's stakes are whole tJOY (10000000 =
  10 M tJOY). The cache holds base units (HAPI on mainnet, 1 JOY = 10^10 HAPI), so every amount
  is the file's number × 10^10, exact decimal text: the dashboard then shows tJOY as JOY.
- **Candidates.** One per seat, `status` `elected`. `stake` = `ownStake`. `vote_power` =
  `totalStake` = `ownStake` + `backersStake` (every backer, including the candidate's own
  backing and Jsgenesis's): in Sumer seats were ranked by this total. The sum of a candidate's
  votes is `backersStake`. `member_id` is the seat's member; accounts and notes are unknown.
- **Votes.** One per backer entry: `voter_member_id` = the backer's member id, `cast_by` = the
  backer's root account (the file does not say which account voted), `stake` = `vote_power` =
  the backer's stake, `vote_for_candidate_id` = the seat's candidate. {self_backed} seats are
  backed by their own candidate (a vote from the candidate's member); {unbacked} of
  {seats} seats have no backers and so no votes.
- **jsgStake** is the stake Jsgenesis (the company, member `joystream`, id 133) put behind the
  seat. In every seat it equals the sum of the `joystream` member's backer entries, which are
  already in `backers` and `backersStake`. It is therefore not stored separately and not added
  again: the {jsg_votes} `joystream` votes are ordinary votes.
- **Council members.** One per seat; `stake` = `ownStake`; rewards are not recorded (empty).
- **Councils.** `is_resigned` = 1 for every council, as the query node marks a council once a
  newer one is elected (all of these were replaced).
- **Members.** Everyone seen as a seat holder or backer, with the handle and root account the
  file gives ({members}).
- **Times.** Each tokenomics report's first block is dated at midnight UTC of its start date,
  and the last report's end. Times of other blocks are interpolated linearly between these
  anchors; outside them they count 6-second blocks from the nearest anchor.
  `election_rounds.ended_at_time_estimated` = 1.

## Limits

- **Only winners.** Losing candidates are not in the file, so `losers_recorded` = 0 on every
  round: the dashboard cannot show who ran and lost, nor votes for losers (the tokenomics
  reports give only the number of applicants per round).
{gaps}
- The network label is `sumer` on every row, as in the file; the earlier rounds ran before the
  chain's Sumer upgrade, under Antioch (the tokenomics reports for blocks 1–781199 are filed
  under Antioch: rounds up to 8).
- No proposals, budgets or rewards: those tables stay empty for this network.
- Times are estimates from daily report dates, not chain timestamps.

## Rebuilding

```
python -m council.snapshot convert \\
    PATH/community-repo/council/kpi/Section-II-Community-Management/{source} \\
    --dates-from PATH/community-repo/archives/council/tokenomics/antioch \\
    --dates-from PATH/community-repo/archives/council/tokenomics/sumer \\
    --out data/snapshot
python -m council.snapshot build --db data/council.db
```
"""


# ---------------------------------------------------------------------------------------------
# Building the cache


def read_table_csv(path: Path, name: str) -> list[Row]:
    """The rows of one snapshot CSV, typed by the store's columns (empty cells become None)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise SnapshotError(f"{path}: snapshot CSV not found") from error
    except (OSError, UnicodeDecodeError) as error:
        raise SnapshotError(f"{path}: cannot read the snapshot CSV ({error})") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    expected = list(store.TABLES[name].columns)
    if header != expected:
        raise SnapshotError(
            f"{path}: the header should be {','.join(expected)}; "
            f"found {','.join(header or []) or 'nothing'}"
        )
    return [_typed_row(values, name, path, reader.line_num) for values in reader if values]


def _typed_row(values: list[str], name: str, path: Path, line: int) -> Row:
    columns = store.TABLES[name].columns
    if len(values) != len(columns):
        raise SnapshotError(f"{path}, line {line}: {len(values)} cells, expected {len(columns)}")
    return {
        column: _cell(value, kind, f"{path}, line {line}, column {column}")
        for (column, kind), value in zip(columns.items(), values, strict=True)
    }


def _cell(value: str, kind: type, where: str) -> Any:
    if value == "":
        return None
    if kind is int:
        try:
            return int(value)
        except ValueError as error:
            raise SnapshotError(f"{where}: {value!r} is not an integer") from error
    return value


def read_snapshot(snapshot_dir: Path) -> Tables:
    """Every snapshot table from the CSVs in ``snapshot_dir``."""
    snapshot_dir = Path(snapshot_dir)
    if not snapshot_dir.is_dir():
        raise SnapshotError(f"{snapshot_dir}: snapshot directory not found")
    return {name: read_table_csv(snapshot_dir / f"{name}.csv", name) for name in SNAPSHOT_TABLES}


def read_archive(archive_dir: Path) -> Tables:
    """The archive's tables (``python -m council.archive``): every cache table with a CSV."""
    archive_dir = Path(archive_dir)
    return {
        name: read_table_csv(archive_dir / f"{name}.csv", name)
        for name in store.TABLES
        if (archive_dir / f"{name}.csv").exists()
    }


def merge_tables(base: Mapping[str, Sequence[Row]], extra: Mapping[str, Sequence[Row]]) -> Tables:
    """``base`` plus ``extra``: a row whose key is already in ``base`` only fills its empty cells.

    This is how the archive adds to snapshot rows (e.g. a seat's voter stake) without
    duplicating them or overriding what the snapshot says.
    """
    merged: Tables = {name: [dict(row) for row in rows] for name, rows in base.items()}
    for name, rows in extra.items():
        pk = store.TABLES[name].pk
        target = merged.setdefault(name, [])
        index = {tuple(row[c] for c in pk): row for row in target}
        for row in rows:
            key = tuple(row[c] for c in pk)
            if key in index:
                known = index[key]
                for column, value in row.items():
                    if known.get(column) is None and value is not None:
                        known[column] = value
            else:
                index[key] = dict(row)
                target.append(index[key])
    return merged


def snapshot_meta(tables: Mapping[str, Sequence[Row]]) -> dict[str, str]:
    """The cache's meta facts for a cache built from ``tables`` now."""
    rounds = tables["election_rounds"]
    times = sorted(r["ended_at_time"] for r in rounds if r["ended_at_time"])
    networks = sorted({r["network"] for r in rounds})
    return {
        "source": "bundled snapshot",
        "refreshed_at": store.utc_now_iso(),
        "snapshot_origin": _origin(rounds),
        "data_from": times[0][:10] if times else "",
        "data_to": times[-1][:10] if times else "",
        "networks": ",".join(networks),
    }


def _origin(rounds: Sequence[Row]) -> str:
    if not rounds:
        return "An empty snapshot."
    spans = []
    for network in sorted({r["network"] for r in rounds}):
        cycles = sorted(r["cycle_id"] for r in rounds if r["network"] == network)
        spans.append(f"{network.capitalize()} rounds {cycles[0]}–{cycles[-1]}")
    named = {r["source"] for r in rounds if r["source"]}
    reports = {name for name in named if name.endswith(".md")}  # the archive's term reports
    sources = " and ".join(
        [*sorted(named - reports), *([f"{len(reports)} term reports"] if reports else [])]
    )
    winners_only = not any(r["losers_recorded"] for r in rounds)
    scope = "the elected seats (with their backers where recorded)" if winners_only else "all"
    mainnet = any(r["network"] == "mainnet" for r in rounds)  # the mainnet record's rounds
    kind, where = (
        ("", "community-repo; DAO Notion backup") if mainnet else ("testnet ", "community-repo")
    )
    return (
        f"{len(rounds)} real {kind}council elections ({'; '.join(spans)}) from the "
        f"council's {sources} (Joystream {where}): {scope}. "
        "Times are estimated from block numbers."
    )


def build_cache_from_snapshot(db_path: Path, snapshot_dir: Path = DEFAULT_SNAPSHOT_DIR) -> None:
    """Atomically replace the cache at ``db_path`` with the snapshot in ``snapshot_dir``.

    The testnet council archive in ``snapshot_dir/archive/`` and the mainnet record in
    ``snapshot_dir/archive_mainnet/`` (``python -m council.archive``), when present, are
    loaded too and merged with the snapshot's rows.
    """
    tables = read_snapshot(snapshot_dir)
    for folder in (ARCHIVE_DIR, MAINNET_ARCHIVE_DIR):
        archive_dir = Path(snapshot_dir) / folder
        if archive_dir.is_dir():
            tables = merge_tables(tables, read_archive(archive_dir))
    meta = {**snapshot_meta(tables), "snapshot_digest": snapshot_digest(snapshot_dir)}
    store.write_cache(Path(db_path), tables, meta)


def snapshot_digest(snapshot_dir: Path = DEFAULT_SNAPSHOT_DIR) -> str:
    """A fingerprint of the snapshot's CSV files (archive included), to notice a new snapshot."""
    digest = hashlib.sha256()
    root = Path(snapshot_dir)
    for path in sorted(root.rglob("*.csv")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_is_current(db_path: Path, snapshot_dir: Path = DEFAULT_SNAPSHOT_DIR) -> bool:
    """True when ``db_path`` is a usable cache that a snapshot build should leave alone.

    A fetched cache always is. A cache built from the bundled snapshot is only while the
    snapshot is the one it was built from; an empty or unreadable file never is.
    """
    meta = store.read_meta(Path(db_path))
    if not meta:
        return False
    if meta.get("source") != "bundled snapshot":
        return True
    return meta.get("snapshot_digest") == snapshot_digest(snapshot_dir)


# ---------------------------------------------------------------------------------------------
# Command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m council.snapshot", description="Bundled snapshot: convert and build."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    conv = commands.add_parser("convert", help="KPI overview report -> snapshot CSVs")
    conv.add_argument("report", type=Path, help="22.10_KPIs_Overview_report.json")
    conv.add_argument(
        "--dates-from",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="folder of tokenomics reports dating blocks (repeatable; same chain only)",
    )
    conv.add_argument("--out", type=Path, default=DEFAULT_SNAPSHOT_DIR, help="snapshot folder")
    build = commands.add_parser("build", help="snapshot CSVs -> SQLite cache")
    build.add_argument("--db", type=Path, default=None, help="cache path (default $COUNCIL_DB)")
    build.add_argument(
        "--if-missing",
        action="store_true",
        help="do nothing if a usable cache exists (fetched, or built from this same snapshot)",
    )
    build.add_argument("--snapshot-dir", type=Path, default=DEFAULT_SNAPSHOT_DIR)
    return parser


def _run_convert(args: argparse.Namespace) -> None:
    tables = convert(args.report, args.out, args.dates_from)
    counts = ", ".join(f"{name} {len(tables[name])}" for name in SNAPSHOT_TABLES)
    print(f"Wrote {args.out}: {counts}", file=sys.stderr)


def add_mainnet_archive(db_path: Path, snapshot_dir: Path = DEFAULT_SNAPSHOT_DIR) -> bool:
    """Add the mainnet record to a fetched cache when it has changed since last added.

    The query node's rows are kept; the record's rows are added for the terms the cache does
    not have (``council.archive.supersede``). True when the cache was changed.
    """
    archive_dir = Path(snapshot_dir) / MAINNET_ARCHIVE_DIR
    meta = store.read_meta(Path(db_path))
    if not archive_dir.is_dir() or not meta or meta.get("source") == "bundled snapshot":
        return False
    digest = snapshot_digest(archive_dir)
    if meta.get("mainnet_archive_digest") == digest:
        return False
    archive_supersede.add_archive(
        Path(db_path), read_archive(archive_dir), meta={"mainnet_archive_digest": digest}
    )
    return True


def _run_build(args: argparse.Namespace) -> None:
    db_path = args.db or store.default_db_path()
    if args.if_missing and add_mainnet_archive(db_path, args.snapshot_dir):
        print(f"Added the mainnet record to the fetched cache {db_path}.", file=sys.stderr)
    if args.if_missing and cache_is_current(db_path, args.snapshot_dir):
        print(f"Cache {db_path} exists; left as it is.", file=sys.stderr)
        return
    if (
        args.if_missing
        and db_path.exists()
        and db_path.stat().st_size
        and not store.read_meta(db_path)
    ):
        raise SnapshotError(
            f"{db_path} exists but is not a council cache: move it away or set COUNCIL_DB"
        )
    build_cache_from_snapshot(db_path, args.snapshot_dir)
    print(f"Built {db_path} from {args.snapshot_dir}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "convert":
            _run_convert(args)
        else:
            _run_build(args)
    except SnapshotError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
