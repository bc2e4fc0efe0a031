"""Turn parsed archive sources into cache rows (one list of dicts per cache table).

Mapping (see ``data/snapshot/archive/README.md``):

- A report is one term: one council, elected by one election round. Ids follow the bundled
  snapshot: round ``<network>-<cycle>``, council ``<network>-council-<cycle>``, candidate
  ``<network>-<cycle>-<member>``, council member ``<network>-council-<cycle>-<member>``.
- The round number (``cycle_id``) is the report's ``Council Election Round`` on Constantinople
  and Alexandria/Babylon (for "20/21", the second election: 21). On the Antioch/Sumer chain
  the reports' round field is inconsistent; the term number is not, and the snapshot's rule
  holds: the council of term T was elected in round T+2 (T >= 2); term 1 in round 2 (round 3
  failed), term 0 (the genesis council) is given round 1.
- Sumer councils already in the bundled snapshot keep the snapshot's rows; the archive adds
  only what the snapshot lacks (proposal votes cast, voter stake, proposals, roles, figures):
  the snapshot build fills the snapshot rows' empty cells from archive rows with the same key.
- Amounts are whole tJOY in the reports: stored as base units (x 10^10) decimal text.
"""

from __future__ import annotations

import difflib
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from council.archive.extra import KpiReward, Leaderboard, TokenomicsReport
from council.archive.parse import Report, ReportMember
from council.snapshot import HAPI_PER_TJOY, Anchor, block_time

Row = dict[str, Any]
Tables = dict[str, list[Row]]

ARCHIVE_TABLES = (
    "members",
    "election_rounds",
    "candidates",
    "councils",
    "council_members",
    "proposals",
    "proposal_votes",
    "archive_terms",
    "council_roles",
    "council_budget_figures",
    "archive_election_stats",
    "kpi_rewards",
)
LEADERBOARD_ELECTION_ROWS = {
    "Total Council Applicants": "applicants",
    "Total Applicant Stake (JOY)": "applicant_stake",
    "Total Election Stake (JOY)": "election_stake",
    "Total Votes": "votes",
}
FINAL_STATUSES = {"executed", "execution failed", "rejected", "slashed", "expired", "cancelled"}


def base_units(amount: int | None) -> str | None:
    """Whole tJOY as the cache's decimal text of base units (None stays None)."""
    return None if amount is None else str(amount * HAPI_PER_TJOY)


def term_round(term: int) -> int:
    """On the Antioch/Sumer/Giza chain: the election round that elected the council of term
    (session) ``term`` (see the module docstring)."""
    return term + 2 if term >= 2 else term + 1


def cycle_of(report: Report) -> int | None:
    """The election round that elected the report's council (see the module docstring)."""
    if report.network == "sumer":
        term = report.file_number
        return None if term is None else term_round(term)
    return report.round_number


@dataclass
class Notes:
    """What the import noticed: unreadable parts (problems) and data inconsistencies."""

    problems: list[str] = field(default_factory=list)
    inconsistencies: list[str] = field(default_factory=list)


@dataclass
class _Term:
    report: Report
    cycle: int
    council_id: str
    start_block: int | None
    end_block: int | None
    in_snapshot: bool
    member_ids: dict[str, str]  # handle -> member id for this term's councillors


def build_rows(
    reports: Sequence[Report],
    leaderboard: Leaderboard | None,
    kpi_rewards: Sequence[KpiReward],
    snapshot: Mapping[str, Sequence[Row]],
    notes: Notes,
    tokenomics: Sequence[TokenomicsReport] = (),
) -> Tables:
    """Cache rows for every archive table from the parsed sources.

    ``snapshot`` holds the bundled snapshot's rows (members, councils, council_members) so
    that Sumer terms it already has are merged rather than duplicated. ``tokenomics``: the
    tokenomics reports, whose election totals go to ``archive_election_stats``.
    """
    tables: Tables = {name: [] for name in ARCHIVE_TABLES}
    reports = sorted(reports, key=lambda r: (r.network, cycle_of(r) or 0, r.name))
    known = _known_members(reports, snapshot, kpi_rewards, notes)
    snap_councils = {(c["network"], c["id"]): c for c in snapshot.get("councils", [])}
    snap_seats = {(s["network"], s["id"]) for s in snapshot.get("council_members", [])}
    terms = _terms(reports, known, snap_councils, notes)
    anchors = _anchors(terms, leaderboard, snapshot)
    members: dict[tuple[str, str], Row] = {}
    for (network, member_id), (handle, account) in known.items():
        members[(network, member_id)] = _member(network, member_id, handle, account)
    snap_candidates = {(c["network"], c["id"]): c for c in snapshot.get("candidates", [])}
    by_network = itertools.groupby(terms, key=lambda t: t.report.network)
    for network, group in by_network:
        previous: _Term | None = None
        for term in group:
            _term_rows(tables, term, previous, anchors.get(network, []), snap_seats, notes)
            _check_snapshot_stakes(term, snap_candidates, notes)
            _proposal_rows(tables, term, known, members, notes)
            previous = term
    _dedupe_proposals(tables)
    tables["members"] = sorted(members.values(), key=lambda r: (r["network"], _order(r["id"])))
    if leaderboard is not None:
        _leaderboard_rows(tables, leaderboard, terms, notes)
    _tokenomics_rows(tables, tokenomics, terms, snapshot, notes)
    tables["kpi_rewards"] = [
        {
            "network": "sumer",
            "kpi_round": reward.kpi_round,
            "member_id": reward.member_id,
            "handle": reward.handle,
            "reward_usd": reward.reward_usd,
            "reward": base_units(reward.reward_tjoy),
            "source": "kpi_earnings_per_term.json",
        }
        for reward in kpi_rewards
    ]
    return tables


def _order(member_id: str) -> tuple[int, str]:
    return (int(member_id), "") if member_id.isdigit() else (10**12, member_id)


# ---------------------------------------------------------------------------------------------
# Members


def _known_members(
    reports: Sequence[Report],
    snapshot: Mapping[str, Sequence[Row]],
    kpi_rewards: Sequence[KpiReward],
    notes: Notes,
) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(network, member id) -> (handle, account) from every source that gives ids."""
    known: dict[tuple[str, str], tuple[str, str | None]] = {}
    for row in snapshot.get("members", []):
        known[(row["network"], row["id"])] = (row["handle"], row.get("root_account"))
    for reward in kpi_rewards:
        known.setdefault(("sumer", reward.member_id), (reward.handle, None))
    accounts: dict[tuple[str, str], str] = {}
    for report in reports:
        for member in report.members:
            if member.account:
                accounts[(report.network, member.account)] = member.handle
    for report in reports:
        for member in report.members:
            if not member.member_id:
                continue
            key = (report.network, member.member_id)
            handle, account = known.get(key, (member.handle, member.account))
            if handle != member.handle:
                notes.inconsistencies.append(
                    f"{report.name}: member {member.member_id} is @{member.handle}; "
                    f"the snapshot, KPI file or an earlier report has @{handle}"
                )
            known[key] = (handle, account or member.account)
    # Handles seen only with an account (Constantinople): the id is the handle with an @.
    ids = {(net, h): mid for (net, mid), (h, _) in known.items()}
    for (network, account), handle in accounts.items():
        if (network, handle) not in ids:
            known[(network, f"@{handle}")] = (handle, account)
            ids[(network, handle)] = f"@{handle}"
        else:
            mid = ids[(network, handle)]
            known[(network, mid)] = (handle, known[(network, mid)][1] or account)
    return known


def _member(network: str, member_id: str, handle: str, account: str | None) -> Row:
    return {"network": network, "id": member_id, "handle": handle, "root_account": account}


def _member_id(
    network: str,
    handle: str,
    term: _Term,
    known: Mapping[tuple[str, str], tuple[str, str | None]],
) -> str | None:
    if handle in term.member_ids:
        return term.member_ids[handle]
    lowered = handle.lower()
    for (net, member_id), (known_handle, _) in known.items():
        if net == network and known_handle.lower() == lowered:
            return member_id
    return None


# ---------------------------------------------------------------------------------------------
# Terms, rounds, councils, seats


def _terms(
    reports: Sequence[Report],
    known: Mapping[tuple[str, str], tuple[str, str | None]],
    snap_councils: Mapping[tuple[str, str], Row],
    notes: Notes,
) -> list[_Term]:
    terms: list[_Term] = []
    seen: dict[tuple[str, int], str] = {}
    for report in reports:
        cycle = cycle_of(report)
        if cycle is None:
            notes.problems.append(f"{report.name}: no round or term number; not imported")
            continue
        if (report.network, cycle) in seen:
            notes.problems.append(
                f"{report.name}: round {cycle} again (also {seen[(report.network, cycle)]}); "
                "not imported"
            )
            continue
        seen[(report.network, cycle)] = report.name
        if report.network == "sumer" and report.term not in (None, report.file_number):
            notes.inconsistencies.append(
                f"{report.name}: says Council Term {report.term}; the file name and blocks say "
                f"term {report.file_number}"
            )
        council_id = f"{report.network}-council-{cycle}"
        snap = snap_councils.get((report.network, council_id))
        start, end = report.start_block, report.end_block
        if snap is not None:
            if (start, end) != (snap["elected_at_block"], snap["ended_at_block"]):
                notes.inconsistencies.append(
                    f"{report.name}: blocks {start}-{end}; the snapshot's council {council_id} "
                    f"ran {snap['elected_at_block']}-{snap['ended_at_block']} (snapshot kept)"
                )
            start, end = snap["elected_at_block"], snap["ended_at_block"]
        ids = {
            member.handle: _seat_member_id(report, member, known, notes)
            for member in report.members
        }
        terms.append(_Term(report, cycle, council_id, start, end, snap is not None, ids))
    for _network, group in itertools.groupby(terms, key=lambda t: t.report.network):
        for before, after in itertools.pairwise(list(group)):
            if before.end_block and after.start_block and after.start_block < before.end_block:
                notes.inconsistencies.append(
                    f"{after.report.name}: starts at block {after.start_block}, before "
                    f"{before.report.name} ends ({before.end_block})"
                )
    return terms


def _seat_member_id(
    report: Report,
    member: ReportMember,
    known: Mapping[tuple[str, str], tuple[str, str | None]],
    notes: Notes,
) -> str:
    """A councillor's member id: the report's, else by handle, else by a unique handle prefix."""
    if member.member_id:
        return member.member_id
    same = [mid for (net, mid), (h, _) in known.items() if net == report.network]
    exact = [mid for mid in same if known[(report.network, mid)][0] == member.handle]
    if exact:
        return exact[0]
    prefix = [
        mid
        for mid in same
        if mid.isdigit()
        and (
            member.handle.startswith(known[(report.network, mid)][0])
            or known[(report.network, mid)][0].startswith(member.handle)
        )
    ]
    if len(prefix) == 1:
        notes.inconsistencies.append(
            f"{report.name}: @{member.handle} (no member id) taken as member {prefix[0]} "
            f"(@{known[(report.network, prefix[0])][0]})"
        )
        return prefix[0]
    return f"@{member.handle}"


def _anchors(
    terms: Sequence[_Term], leaderboard: Leaderboard | None, snapshot: Mapping[str, Any]
) -> dict[str, list[Anchor]]:
    """Block/date anchors per network: dates the sources state, and report dates at term ends.

    Snapshot council dates first (Sumer), then dates written in reports and the leaderboard,
    then the report file's date for its term's end block. An anchor that would make time run
    backwards is dropped.
    """
    found: dict[str, list[Anchor]] = {}

    def add(network: str, block: int | None, day: str | None) -> None:
        if block is None or not day:
            return
        when = datetime.fromisoformat(day[:19].replace("Z", ""))
        found.setdefault(network, []).append(Anchor(block, when.replace(tzinfo=UTC)))

    for council in snapshot.get("councils", []):
        add(council["network"], council["elected_at_block"], council["elected_at_time"])
        add(council["network"], council["ended_at_block"], council["ended_at_time"])
    if leaderboard is not None:
        for term in leaderboard.terms:
            blocks = leaderboard.block_range(term)
            add("alexandria", blocks[0] if blocks else None, leaderboard.start_date(term))
    for term in terms:
        add(term.report.network, term.start_block, term.report.start_date)
    for term in terms:
        add(term.report.network, term.end_block, term.report.report_date)
    result: dict[str, list[Anchor]] = {}
    for network, anchors in found.items():
        kept: list[Anchor] = []
        for anchor in anchors:  # earlier sources win
            if any(a.block == anchor.block for a in kept):
                continue
            trial = sorted([*kept, anchor], key=lambda a: a.block)
            if all(b.time > a.time for a, b in itertools.pairwise(trial)):
                kept = trial
        result[network] = kept
    return result


def _term_rows(
    tables: Tables,
    term: _Term,
    previous: _Term | None,
    anchors: Sequence[Anchor],
    snap_seats: set[tuple[str, str]],
    notes: Notes,
) -> None:
    report, network, cycle = term.report, term.report.network, term.cycle
    contiguous = previous is not None and previous.end_block == term.start_block
    elected_time = block_time(term.start_block, anchors)
    ended_time = block_time(term.end_block, anchors)
    tables["archive_terms"].append(
        {
            "network": network,
            "council_id": term.council_id,
            "testnet": report.era,
            "cycle_id": cycle,
            "round_label": report.round_label,
            "term": report.file_number if network == "sumer" else report.term,
            "kpi_round": report.kpi_round,
            "start_block": report.start_block,
            "end_block": report.end_block,
            "start_date": report.start_date,
            "end_date": report.end_date,
            "report_date": report.report_date,
            "members_recorded": int(bool(report.members)),
            "proposals_listed": len(report.proposals),
            "proposals_cancelled": sum(p.status == "cancelled" for p in report.proposals),
            "source": report.name,
        }
    )
    for role, handle in report.roles:
        member_id = term.member_ids.get(handle) or next(
            (mid for h, mid in term.member_ids.items() if h.startswith(handle)), None
        )
        if member_id is None:
            notes.inconsistencies.append(f"{report.name}: {role} @{handle} is not a councillor")
            member_id = f"@{handle}"
        tables["council_roles"].append(
            {
                "network": network,
                "council_id": term.council_id,
                "member_id": member_id,
                "role": role.replace("council ", ""),
            }
        )
    for label, value, _unit in report.figures:
        tables["council_budget_figures"].append(
            {
                "network": network,
                "council_id": term.council_id,
                "label": label,
                "value": base_units(value),
                "unit": "HAPI",
            }
        )
    _check_totals(report, notes)
    if not term.in_snapshot:
        tables["election_rounds"].append(
            {
                "network": network,
                "cycle_id": cycle,
                "round_id": f"{network}-{cycle}",
                "is_finished": 1,
                "started_at_block": previous.start_block if contiguous and previous else None,
                "ended_at_block": term.start_block,
                "ended_at_time": elected_time,
                "ended_at_time_estimated": 1,
                "seats": len(report.members) or None,
                "council_id": previous.council_id if contiguous and previous else None,
                "next_council_id": term.council_id,
                "losers_recorded": 0,
                "source": report.name,
            }
        )
        tables["councils"].append(
            {
                "network": network,
                "id": term.council_id,
                "elected_in_cycle_id": cycle,
                "elected_at_block": term.start_block,
                "elected_at_time": elected_time,
                "ended_at_block": term.end_block,
                "ended_at_time": ended_time,
                "is_resigned": 1,
            }
        )
    for member in report.members:
        member_id = term.member_ids[member.handle]
        seat_id = f"{term.council_id}-{member_id}"
        if term.in_snapshot and (network, seat_id) not in snap_seats:
            notes.inconsistencies.append(
                f"{report.name}: @{member.handle} ({member_id}) is not a seat of the snapshot's "
                f"{term.council_id}; seat not imported"
            )
            continue
        if not term.in_snapshot:
            tables["candidates"].append(_candidate(network, cycle, member_id, member))
        tables["council_members"].append(
            {
                "network": network,
                "id": seat_id,
                "council_id": term.council_id,
                "member_id": member_id,
                "stake": base_units(member.own_stake),
                "backing_stake": base_units(member.voter_stake),
                "proposal_votes_cast": member.votes_cast,
            }
        )


def _check_snapshot_stakes(
    term: _Term, snap_candidates: Mapping[tuple[str, str], Row], notes: Notes
) -> None:
    """A merged term's own and voter stakes against the snapshot's candidacies (``stake`` =
    own stake, ``vote_power`` − ``stake`` = the backers' stake): one note per report that
    differs. The dashboard shows the snapshot's."""
    if not term.in_snapshot:
        return
    report, network = term.report, term.report.network
    differ = []
    for member in report.members:
        candidate = snap_candidates.get(
            (network, f"{network}-{term.cycle}-{term.member_ids[member.handle]}")
        )
        if candidate is None or candidate["stake"] is None or candidate["vote_power"] is None:
            continue
        own = int(candidate["stake"]) // HAPI_PER_TJOY
        backers = (int(candidate["vote_power"]) - int(candidate["stake"])) // HAPI_PER_TJOY
        parts = [
            f"{label} {written:,} (snapshot {snap:,})"
            for label, written, snap in (
                ("own", member.own_stake, own),
                ("voter", member.voter_stake, backers),
            )
            if written is not None and written != snap
        ]
        if parts:
            differ.append(f"@{member.handle} " + ", ".join(parts))
    if differ:
        notes.inconsistencies.append(
            f"{report.name}: stakes differ from the 22.10 snapshot's round {term.cycle} for "
            f"{len(differ)} of {len(report.members)} seats (snapshot shown): " + "; ".join(differ)
        )


def _candidate(network: str, cycle: int, member_id: str, member: ReportMember) -> Row:
    power = None
    if member.own_stake is not None and member.voter_stake is not None:
        power = member.own_stake + member.voter_stake
    return {
        "network": network,
        "id": f"{network}-{cycle}-{member_id}",
        "cycle_id": cycle,
        "member_id": member_id,
        "stake": base_units(member.own_stake),
        "vote_power": base_units(power),
        "status": "elected",
    }


def member_sums(report: Report) -> dict[str, int]:
    """Sums of the member table's own and voter stake columns, and their total."""
    own = sum(m.own_stake or 0 for m in report.members)
    voter = sum(m.voter_stake or 0 for m in report.members)
    return {"own_stake": own, "voter_stake": voter, "stake": own + voter}


def _check_totals(report: Report, notes: Notes) -> None:
    """Compare the member table with the report's own total and subtotal lines."""
    if not report.totals or not report.members:
        return
    sums = member_sums(report)
    totals = report.totals
    checks: list[tuple[str, int, int]] = []
    for column in ("own_stake", "voter_stake"):
        if f"subtotal {column}" in totals:
            checks.append((f"subtotal {column}", totals[f"subtotal {column}"], sums[column]))
    if "total stake" in totals:
        checks.append(("total", totals["total stake"], sums["stake"]))
    both = "total own_stake" in totals and "total voter_stake" in totals
    if both:
        for column in ("own_stake", "voter_stake"):
            checks.append((f"total {column}", totals[f"total {column}"], sums[column]))
    elif "total voter_stake" in totals:
        # One "Total Stake" figure: own + voter stake (Alexandria) or voter stake (Babylon).
        stated = totals["total voter_stake"]
        if stated != sums["voter_stake"]:
            checks.append(("total stake", stated, sums["stake"]))
    for label, stated, computed in checks:
        if stated != computed:
            notes.inconsistencies.append(
                f"{report.name}: {label} line says {stated:,}; the member rows add up to "
                f"{computed:,}"
            )


# ---------------------------------------------------------------------------------------------
# Proposals and the councillors who voted on them


def _proposal_rows(
    tables: Tables,
    term: _Term,
    known: Mapping[tuple[str, str], tuple[str, str | None]],
    members: dict[tuple[str, str], Row],
    notes: Notes,
) -> None:
    report, network = term.report, term.report.network
    listed: Counter[str] = Counter()  # member id -> valid proposals listing them
    for proposal in report.proposals:
        creator = proposal.creator
        creator_id = _member_id(network, creator, term, known) if creator else None
        tables["proposals"].append(
            {
                "network": network,
                "id": str(proposal.id),
                "title": proposal.title,
                "type": proposal.type,
                "status": proposal.status,
                "creator_id": creator_id,
                "is_finalized": int(proposal.status in FINAL_STATUSES),
                "funding_amount": base_units(proposal.amount)
                if proposal.type == "Spending"
                else None,
                "creator_handle": proposal.creator,
                "status_text": proposal.status_text,
                "blocks_to_finalize": proposal.blocks_to_finalize,
                "council_id": term.council_id,
                "source": report.name,
            }
        )
        for written in dict.fromkeys(proposal.participants):
            handle = _councillor_handle(written, term)
            if handle != written:
                notes.inconsistencies.append(
                    f"{report.name}: proposal {proposal.id} participant @{written} read as "
                    f"@{handle}"
                )
            voter = _member_id(network, handle, term, known)
            if voter is None:
                voter = f"@{handle}"
                members.setdefault((network, voter), _member(network, voter, handle, None))
                notes.inconsistencies.append(
                    f"{report.name}: proposal {proposal.id} participant @{handle} has no known "
                    "member id"
                )
            elif voter not in term.member_ids.values() and term.member_ids:
                notes.inconsistencies.append(
                    f"{report.name}: proposal {proposal.id} participant @{handle} is not in "
                    "this council's member table"
                )
            if proposal.status != "cancelled":
                listed[voter] += 1
            tables["proposal_votes"].append(
                {
                    "network": network,
                    "id": f"{proposal.id}-{term.cycle}-{voter}",
                    "proposal_id": str(proposal.id),
                    "voter_member_id": voter,
                    "vote_kind": None,
                    "rationale": None,
                    "council_id": term.council_id,
                }
            )
    _check_vote_counts(term, listed, notes)


def _check_vote_counts(term: _Term, listed: Counter[str], notes: Notes) -> None:
    """The report's "Prop. Votes Cast" per councillor against the valid proposals (listed,
    less cancelled) whose participant list names them: one note per report that differs."""
    report = term.report
    if not any(p.participants for p in report.proposals):
        return  # participants not recorded: nothing to compare
    valid = sum(p.status != "cancelled" for p in report.proposals)
    differ = [
        f"@{m.handle} {m.votes_cast} (lists {listed[term.member_ids[m.handle]]})"
        for m in report.members
        if m.votes_cast is not None and m.votes_cast != listed[term.member_ids[m.handle]]
    ]
    if differ:
        notes.inconsistencies.append(
            f'{report.name}: "Prop. Votes Cast" differs from the participant lists of the '
            f"{valid} valid proposals for {len(differ)} of {len(report.members)} councillors: "
            + ", ".join(differ)
        )


def _councillor_handle(written: str, term: _Term) -> str:
    """A participant's handle; a misspelt councillor (one close match) becomes theirs."""
    if written in term.member_ids or not term.member_ids:
        return written
    close = difflib.get_close_matches(written, list(term.member_ids), n=2, cutoff=0.85)
    return close[0] if len(close) == 1 else written


def _dedupe_proposals(tables: Tables) -> None:
    """A proposal listed by two terms (passed to the next council): the later term's row."""
    latest: dict[tuple[str, str], Row] = {}
    for row in tables["proposals"]:  # terms are in order
        latest[(row["network"], row["id"])] = row
    tables["proposals"] = list(latest.values())


# ---------------------------------------------------------------------------------------------
# The Alexandria leaderboard


def _leaderboard_value(text: str) -> tuple[str | None, str]:
    """A leaderboard cell as (value, unit): $ -> USD, % -> %, else a plain number."""
    cell = text.strip().replace(",", "")
    if not cell:
        return None, ""
    if "$" in cell:
        return cell.replace("$", ""), "USD"
    if cell.endswith("%"):
        return cell[:-1], "%"
    return cell, ""


def _leaderboard_rows(
    tables: Tables, board: Leaderboard, terms: Sequence[_Term], notes: Notes
) -> None:
    source = board.path.name
    cycles = {t.cycle for t in terms if t.report.network == "alexandria"}
    for term in board.terms:
        council_id = f"alexandria-council-{term}"
        if term not in cycles:
            notes.problems.append(f"{source}: term {term} has no report; figures not imported")
            continue
        stats: Row = {"network": "alexandria", "cycle_id": term, "source": source}
        for label, column in LEADERBOARD_ELECTION_ROWS.items():
            value, _ = _leaderboard_value(board.cell(label, term) or "")
            number = int(value) if value else None
            stats[column] = base_units(number) if column.endswith("stake") else number
        tables["archive_election_stats"].append(stats)
        for label, section in board.sections.items():
            if label in LEADERBOARD_ELECTION_ROWS or label in ("Block range", "Start date"):
                continue
            value, unit = _leaderboard_value(board.cell(label, term) or "")
            if value is None:
                continue
            if "(JOY)" in label or label == "Total Issuance" or label.startswith("CM Payments"):
                value, unit = _joy_base_units(value), "HAPI"
            tables["council_budget_figures"].append(
                {
                    "network": "alexandria",
                    "council_id": council_id,
                    "label": f"{section}: {label}" if section else label,
                    "value": value,
                    "unit": unit or "count",
                }
            )
        report_term = next(t for t in terms if t.report.network == "alexandria" and t.cycle == term)
        _check_leaderboard_votes(board, term, report_term, notes)
        blocks = board.block_range(term)
        if blocks and blocks != (report_term.start_block, report_term.end_block):
            notes.inconsistencies.append(
                f"{source}: council {term} block range {blocks[0]}-{blocks[1]}; "
                f"{report_term.report.name} says {report_term.start_block}-{report_term.end_block}"
            )


def _check_leaderboard_votes(
    board: Leaderboard, term: int, report_term: _Term, notes: Notes
) -> None:
    """The leaderboard's proposal votes per councillor against the term report's."""
    column = board.terms.index(term)
    in_report = {m.handle: m.votes_cast for m in report_term.report.members}
    for handle, rows in board.members.items():
        written = rows["votes"][column].strip()
        if written in ("x", ""):
            if handle in in_report:
                notes.inconsistencies.append(
                    f"{board.path.name}: @{handle} marked x in council {term}; "
                    f"{report_term.report.name} lists them"
                )
            continue
        if handle not in in_report:
            notes.inconsistencies.append(
                f"{board.path.name}: @{handle} has votes in council {term}; "
                f"{report_term.report.name} does not list them"
            )
        elif str(in_report[handle]) != written:
            notes.inconsistencies.append(
                f"{board.path.name}: @{handle} cast {written} proposal votes in council {term}; "
                f"{report_term.report.name} says {in_report[handle]}"
            )


# ---------------------------------------------------------------------------------------------
# The tokenomics reports' election totals


def _tokenomics_cycle(report: TokenomicsReport) -> int | None:
    """The round whose election a tokenomics report's "3.1 Elections" describes: the one that
    elected the session's council (Alexandria/Babylon: the session number is the round)."""
    if report.session is None or report.network not in ("sumer", "alexandria"):
        return None
    return term_round(report.session) if report.network == "sumer" else report.session


def _tokenomics_rows(
    tables: Tables,
    reports: Sequence[TokenomicsReport],
    terms: Sequence[_Term],
    snapshot: Mapping[str, Sequence[Row]],
    notes: Notes,
) -> None:
    """One ``archive_election_stats`` row per tokenomics report whose round is in the cache.

    A round that already has a row (the Alexandria leaderboard's) keeps it: only its empty
    cells are filled, and figures that differ are listed.
    """
    stats = {(row["network"], row["cycle_id"]): row for row in tables["archive_election_stats"]}
    by_round = {(t.report.network, t.cycle): t for t in terms}
    seats = _seat_figures(tables, snapshot)
    reports = sorted(reports, key=lambda r: (r.network, r.session or 0, r.name))
    _note_applicant_stake([r for r in reports if r.applicants], seats, notes)
    for report in reports:
        cycle = _tokenomics_cycle(report)
        if cycle is None:
            notes.problems.append(f"{report.name}: no session or testnet; not imported")
            continue
        if not report.applicants:
            notes.problems.append(
                f"{report.name}: session {report.session} records {report.applicants} "
                "applicants (a council no election elected); not imported"
            )
            continue
        term = by_round.get((report.network, cycle))
        if term is None:
            notes.problems.append(
                f"{report.name}: round {cycle} (session {report.session}) has no term report "
                "in the archive; not imported"
            )
            continue
        if report.start_block is not None and report.start_block != term.start_block:
            notes.inconsistencies.append(
                f"{report.name}: session {report.session} starts at block {report.start_block}; "
                f"the council of round {cycle} was elected at {term.start_block}"
            )
        row: Row = {
            "network": report.network,
            "cycle_id": cycle,
            "applicants": report.applicants,
            "applicant_stake": base_units(report.applicant_stake),
            "election_stake": None,
            "votes": report.votes,
            "source": report.name,
        }
        _check_election_totals(report, row, seats.get((report.network, cycle)), notes)
        known = stats.get((report.network, cycle))
        if known is None:
            stats[(report.network, cycle)] = row
            tables["archive_election_stats"].append(row)
            continue
        for column in ("applicants", "applicant_stake", "votes"):
            if known[column] is None:
                known[column] = row[column]
            elif row[column] is not None and str(known[column]) != str(row[column]):
                notes.inconsistencies.append(
                    f"{report.name}: {column.replace('_', ' ')} {_plain(row[column], column)}; "
                    f"{known['source']} says {_plain(known[column], column)} (kept)"
                )


def _plain(value: object, column: str) -> str:
    number = int(str(value))
    return f"{number // HAPI_PER_TJOY:,}" if column.endswith("stake") else f"{number:,}"


def _seat_figures(
    tables: Tables, snapshot: Mapping[str, Sequence[Row]]
) -> dict[tuple[str, int], dict[str, int]]:
    """Per (network, round): the elected seats, their own stake (whole tJOY) and the votes
    the snapshot records for them."""
    figures: dict[tuple[str, int], dict[str, int]] = {}
    for row in [*snapshot.get("candidates", []), *tables["candidates"]]:
        if row.get("status") != "elected":
            continue
        entry = figures.setdefault(
            (row["network"], int(row["cycle_id"])), {"seats": 0, "stake": 0, "votes": 0}
        )
        entry["seats"] += 1
        entry["stake"] += int(row["stake"] or 0) // HAPI_PER_TJOY
    for row in snapshot.get("votes", []):
        key = (row["network"], int(row["cycle_id"]))
        if key in figures:
            figures[key]["votes"] += 1
    return figures


def _check_election_totals(
    report: TokenomicsReport, row: Row, seats: Mapping[str, int] | None, notes: Notes
) -> None:
    """A tokenomics report's totals against the round's elected seats: fewer applicants than
    seats, or fewer votes than the winners received, cannot both be right."""
    if seats is None:
        return
    cycle = row["cycle_id"]
    if row["applicants"] is not None and row["applicants"] < seats["seats"]:
        notes.inconsistencies.append(
            f"{report.name}: {row['applicants']} applicants; round {cycle} filled "
            f"{seats['seats']} seats"
        )
    if row["votes"] is not None and row["votes"] < seats["votes"]:
        notes.inconsistencies.append(
            f"{report.name}: {row['votes']} votes; the snapshot records {seats['votes']} votes "
            f"for round {cycle}'s winners"
        )


def _note_applicant_stake(
    reports: Sequence[TokenomicsReport],
    seats: Mapping[tuple[str, int], Mapping[str, int]],
    notes: Notes,
) -> None:
    """One note for the rounds whose "Total Applicant Stake" is below the own stake of the
    seats the round filled: the figure cannot be every candidate's stake."""
    below, compared = [], 0
    for report in reports:
        cycle = _tokenomics_cycle(report)
        seat = seats.get((report.network, cycle)) if cycle is not None else None
        if not seat or report.applicant_stake is None:
            continue
        compared += 1
        if report.applicant_stake < seat["stake"]:
            below.append((report, cycle, seat["stake"]))
    if not below:
        return
    first, cycle, stake = below[0]
    notes.inconsistencies.append(
        f"Tokenomics reports: in {len(below)} of {compared} rounds the total applicant stake "
        f"is below the own stake of the seats the round filled (e.g. {first.name}: "
        f"{first.applicant_stake:,}; round {cycle}'s seats staked {stake:,}): kept as written, "
        "not used as the round's candidate stake"
    )


def _joy_base_units(value: str) -> str:
    whole, _, fraction = value.partition(".")
    if fraction.strip("0"):
        raise ValueError(f"not a whole token amount: {value}")
    return str(int(whole) * HAPI_PER_TJOY)


def archive_networks(tables: Mapping[str, Iterable[Row]]) -> list[str]:
    """The networks the archive rows belong to."""
    return sorted({row["network"] for row in tables.get("archive_terms", [])})


def source_paths(reports: Sequence[Report]) -> list[Path]:
    """The report files the rows came from."""
    return [r.path for r in reports]
