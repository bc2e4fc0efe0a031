"""The council's term report as markdown, in the shape of the community's council reports.

    python -m council.report --term N|latest [--db PATH] [--network NAME]

Mainnet terms are written in the mainnet council report's shape (:mod:`council.report_mainnet`).
For the other networks, sections follow the community's testnet reports
(community-repo/council/reports/): round overview,
council members and vote participation, roles, budget status, proposal overview, proposal
breakdown, plus spending by category and KPI status. Every section is built by a pure function
from DataFrames (:class:`ReportSources`); a section without data says "not recorded". Blocks
are shown with their UTC date; durations assume 6-second blocks.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

import pandas as pd

from council import cli_cache, data, uploads
from council.format import block_with_date
from council.stats import kpis, leaderboard, one_round, spending

T = TypeVar("T")
BLOCK_SECONDS = 6
NOT_RECORDED = "Not recorded."
CANCELLED = {"cancelled", "canceled by runtime"}
FUNDING_TYPES = {"FundingRequest", "Spending"}  # the chain's name and the testnet reports'


@dataclass(frozen=True)
class ReportSources:
    """Everything a term report is built from, for one network.

    ``data``: the cache restricted to the network; ``roles`` and ``budget_figures``: the
    archive's ``council_roles`` / ``council_budget_figures`` rows (may be empty);
    ``categories``: the secretary's spending categories file; ``kpis``: the KPI file;
    ``db_path``: the cache file, for the tables read apart (working-group events).

    What every term's report of the network shares (the term table, the scorecard, handles,
    the budget table, the working groups' histories) is worked out on first use and kept
    (:meth:`shared`), so a page that keeps the sources per cache version writes another term
    without redoing them. Treat the sources and their tables as read-only.
    """

    network: str
    data: data.CouncilData
    roles: pd.DataFrame
    budget_figures: pd.DataFrame
    categories: pd.DataFrame
    kpis: pd.DataFrame
    db_path: Path | None = None
    _kept: dict[Hashable, object] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _makers: dict[Hashable, Callable[[], object]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def shared(self, name: Hashable, make: Callable[[], T]) -> T:
        """The figure ``name``, made the first time it is asked (by the maker
        :meth:`provide` gave for it, else by ``make()``), then kept."""
        if name not in self._kept:
            self._kept[name] = self._makers.get(name, make)()
        return self._kept[name]  # type: ignore[return-value]

    def provide(self, name: Hashable, make: Callable[[], object]) -> None:
        """Make figure ``name`` with ``make()`` when it is first needed: e.g. a page's copy
        of the same figure, already computed for other pages (``"budget_table"``: the
        network's ``budget.budget_by_term``; ``"results"``: its ``elections.data_results``)."""
        self._makers[name] = make

    def round_results(self, cycle_id: object) -> pd.DataFrame:
        """The election page's candidacy results of one round: from the network's results
        when they were provided (``"results"``), else from that round's rows only."""
        if "results" in self._makers:
            every = self.shared("results", self._makers["results"])
            return every[every["cycle_id"] == cycle_id].reset_index(drop=True)
        return one_round.data_round_results(self.data, cycle_id)

    @property
    def term_table(self) -> pd.DataFrame:
        """:func:`council.stats.leaderboard.terms` of the network's councils."""
        return self.shared("term_table", lambda: leaderboard.terms(self.data.councils))

    @property
    def handles(self) -> dict[str, str]:
        """Member handles by member id."""
        return self.shared("handles", lambda: _handles(self.data.members))

    @property
    def scorecard(self) -> pd.DataFrame:
        """:func:`council.stats.leaderboard.scorecard` of every term of the network."""
        d = self.data
        return self.shared(
            "scorecard",
            lambda: leaderboard.scorecard(
                self.term_table, d.council_members, d.proposals, d.proposal_votes
            ),
        )


@dataclass(frozen=True)
class Term:
    """One council term: its number, council id, electing round and block range."""

    number: int
    council_id: str
    elected_in_cycle: int | None
    start_block: int
    start_time: pd.Timestamp | None
    end_block: int | None
    end_time: pd.Timestamp | None


def load_sources(
    db_path: Path, network: str, cache: data.CouncilData | None = None
) -> ReportSources:
    """Read one network's cache tables (or take them from ``cache``, an already loaded
    cache), the archive tables and the secretary's current files."""
    here = (cache or data.load(db_path)).for_network(network)
    return ReportSources(
        network=network,
        data=here,
        roles=here.council_roles,
        budget_figures=here.council_budget_figures,
        categories=uploads.current(uploads.SPENDING_CATEGORIES.name),
        kpis=uploads.current(uploads.KPIS.name),
        db_path=db_path,
    )


# --- Helpers ---------------------------------------------------------------------------------


def duration(blocks: float) -> str:
    """A block count as time at 6 s a block: ``"2 d 3 h"``, ``"5 h 30 min"``, ``"12 min"``."""
    minutes = round(float(blocks) * BLOCK_SECONDS / 60)
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def blocks_and_time(blocks: float) -> str:
    """``"15,400 blocks (1 d 1 h)"``."""
    return f"{round(float(blocks)):,} blocks ({duration(blocks)})"


def plural(count: int, noun: str) -> str:
    """``"1 refill"``, ``"2 refills"`` (counts with thousands separators)."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def amount(value: float | None) -> str:
    """A JOY amount for a table cell: thousands separators, whole JOY; missing -> ``–``."""
    if value is None or pd.isna(value):
        return "–"
    return f"{value:,.0f}"


def _handles(members: pd.DataFrame) -> dict[str, str]:
    return {str(i): h for i, h in zip(members["id"], members["handle"], strict=True) if h}


def member_name(member_id: object, handles: dict[str, str]) -> str:
    """``@handle``, or ``member 12`` when the handle is unknown."""
    if member_id is None or pd.isna(member_id):
        return "unknown"
    if str(member_id).startswith("@"):  # the archive's id for a handle without a member id
        return str(member_id)
    handle = handles.get(str(member_id))
    return f"@{handle}" if handle else f"member {member_id}"


def _id_order(value: object) -> tuple[int, int, str]:
    text = str(value)
    return (0, int(text), "") if text.isdigit() else (1, 0, text)


def _block(block: object, when: object) -> str:
    if block is None or pd.isna(block):
        return "not recorded"
    return block_with_date(int(block), when)


# --- Terms -----------------------------------------------------------------------------------


def term_numbers(councils: pd.DataFrame) -> list[int]:
    """The term numbers of one network's councils, oldest first."""
    return [int(t) for t in leaderboard.terms(councils)["term"]]


def find_term(councils: pd.DataFrame, term: int | str) -> Term:
    """Term ``term`` (a number, or ``"latest"``) of one network's councils.

    Raises ``LookupError`` naming the known terms when there is no such term.
    """
    table = leaderboard.terms(councils)
    if table.empty:
        raise LookupError("no council terms in the cache")
    if str(term) == "latest":
        row = table.iloc[-1]
    else:
        match = table[table["term"] == int(term)]
        if match.empty:
            known = ", ".join(str(t) for t in table["term"])
            raise LookupError(f"no term {term}; known terms: {known}")
        row = match.iloc[-1]
    council = councils[councils["id"] == row["council_id"]].iloc[0]
    cycle = council["elected_in_cycle_id"]
    end = council["ended_at_block"]
    return Term(
        number=int(row["term"]),
        council_id=str(row["council_id"]),
        elected_in_cycle=None if pd.isna(cycle) else int(cycle),
        start_block=int(council["elected_at_block"]),
        start_time=council["elected_at_time"],
        end_block=None if pd.isna(end) else int(end),
        end_time=council["ended_at_time"],
    )


def _in_term(blocks: pd.Series, term: Term) -> pd.Series:
    keep = blocks.astype(float) >= term.start_block
    if term.end_block is not None:
        keep &= blocks.astype(float) < term.end_block
    return keep.fillna(False)


def term_proposals(proposals: pd.DataFrame, term: Term) -> pd.DataFrame:
    """Proposals created while the term was in office, with ``blocks_to_finalize``.

    ``blocks_to_finalize`` is the decision block minus the creation block, for proposals with
    a final status (else the archived report's figure, else null). Proposals of an archived
    term report have no blocks; they belong to the term whose report lists them.
    """
    keep = _in_term(proposals["created_at_block"], term)
    if "council_id" in proposals.columns:  # an archived term report lists its proposals
        keep |= proposals["council_id"] == term.council_id
    mine = proposals[keep].copy()
    final = mine["status"].isin(leaderboard.FINAL_STATUSES)
    spent = mine["status_set_at_block"].astype(float) - mine["created_at_block"].astype(float)
    reported = mine.get("blocks_to_finalize", pd.Series(float("nan"), index=mine.index))
    mine["blocks_to_finalize"] = spent.where(final).fillna(reported.astype(float))
    return mine.sort_values("id", key=lambda s: s.map(_id_order)).reset_index(drop=True)


# --- Sections --------------------------------------------------------------------------------


def round_overview(term: Term, rounds: pd.DataFrame, archive_terms: pd.DataFrame) -> str:
    """Section 1: the round that elected the term, its seats, start and end blocks, and the
    community's own report of the term when the archive has it (``archive_terms``)."""
    lines = ["## 1 - Round overview", ""]
    lines.append(f"- Council term: {term.number} (council {term.council_id})")
    archived = archive_terms[archive_terms["council_id"] == term.council_id]
    for row in archived.itertuples():
        number = "" if pd.isna(row.term) else f"term {int(row.term)}, "
        lines.append(f"- The community's report: {number}{row.source}")
    electing = rounds[rounds["cycle_id"] == term.elected_in_cycle]
    if term.elected_in_cycle is None:
        lines.append("- Elected in election round: not recorded")
    else:
        lines.append(f"- Elected in election round: #{term.elected_in_cycle}")
    seats = electing["seats"].iloc[0] if len(electing) else None
    lines.append(f"- Seats: {'not recorded' if seats is None or pd.isna(seats) else int(seats)}")
    lines.append(f"- Start block: {_block(term.start_block, term.start_time)}")
    if term.end_block is None:
        lines.append("- End block: still in office")
    else:
        lines.append(f"- End block: {_block(term.end_block, term.end_time)}")
        lines.append(f"- Length: {blocks_and_time(term.end_block - term.start_block)}")
    during = rounds[rounds["council_id"] == term.council_id]
    if len(during):
        election = during.iloc[0]
        state = "finished" if election["is_finished"] else "running"
        lines.append(f"- Election held during the term: round #{election['cycle_id']} ({state})")
    return "\n".join(lines) + "\n"


def _seat_stakes(term: Term, sources: ReportSources) -> pd.DataFrame:
    """The elected candidacies of the round that elected the term, as the election page shows
    them: member_id, stake_joy (own), backing_stake_joy (voter), votes_received (kept per
    round on ``sources``)."""

    def make() -> pd.DataFrame:
        results = sources.round_results(term.elected_in_cycle)
        won = results[results["outcome"] == "elected"]
        # Results come best first: a member with two elected candidacies keeps the stronger.
        won = won.drop_duplicates("member_id", keep="first")
        return won[["member_id", "stake_joy", "backing_stake_joy", "votes_received"]]

    return sources.shared(("seat_stakes", term.elected_in_cycle), make)


def member_rows(
    term: Term,
    sources: ReportSources,
) -> pd.DataFrame:
    """One row per councillor of the term: handle, member id, proposal votes cast in the
    term, participation, own stake and voter stake (JOY), in member id order.

    Own and voter stake come from one record per seat, the one the election page and the
    leaderboard use (:func:`council.stats.elections.candidacy_results`): the councillor's
    candidacy in the round that elected the term, its own stake and the stake of the votes
    for it; where that round's votes are not recorded (a term report), the voter stake the
    seat's report gives. A seat without a candidacy takes both from the seat (voter stake
    null when not recorded). Proposal votes: an archived term report's count where the seat
    carries one (``proposal_votes_cast``).
    """
    d = sources.data
    card = sources.scorecard
    card = card[card["council_id"] == term.council_id]
    won = _seat_stakes(term, sources)
    own_stake = dict(zip(won["member_id"], won["stake_joy"], strict=True))
    voter_stake = dict(zip(won["member_id"], won["backing_stake_joy"], strict=True))
    handles = sources.handles
    seats = d.council_members[d.council_members["council_id"] == term.council_id]
    reported_votes = _by_member(seats, "proposal_votes_cast")
    reported_backing = _by_member(seats, "backing_stake_joy")
    # Without any proposal vote placed in a term, the counts are unknown, not zero.
    votes_in = d.proposal_votes
    counted = votes_in["voted_at_block"].notna().any() or (
        "council_id" in votes_in.columns and votes_in["council_id"].notna().any()
    )
    votes = dict(zip(card["member_id"], card["votes_cast"], strict=True))
    members = list(card["member_id"])
    own = dict(zip(card["member_id"], card["stake_joy"], strict=True))
    rows = pd.DataFrame(
        {
            "councillor": [member_name(m, handles) for m in members],
            "member_id": card["member_id"].astype(str),
            "votes_cast": [reported_votes.get(m, votes[m] if counted else pd.NA) for m in members],
            "participation": card["participation"],
            "own_stake_joy": [own_stake.get(m, own[m]) for m in members],
            "voter_stake_joy": [
                voter_stake[m] if m in own_stake else reported_backing.get(m, float("nan"))
                for m in members
            ],
        }
    )
    rows["voter_stake_joy"] = rows["voter_stake_joy"].astype("float64")
    return rows.sort_values("member_id", key=lambda s: s.map(_id_order)).reset_index(drop=True)


def stakes_note(term: Term, sources: ReportSources) -> list[str]:
    """What the councillors table's own and voter stake are, by their record, and where the
    term report the archive holds for the seats says otherwise."""
    d = sources.data
    round_text = f"round #{term.elected_in_cycle}" if term.elected_in_cycle else "the election"
    electing = d.rounds[d.rounds["cycle_id"] == term.elected_in_cycle]
    record = electing["source"].iloc[0] if len(electing) and "source" in electing else None
    record = record if isinstance(record, str) and record else "not recorded"
    won = _seat_stakes(term, sources)
    if won["votes_received"].notna().any():
        lines = [
            f"- Own stake and voter stake: the councillor's candidacy in {round_text} and the "
            f"stake of the votes for it (record: {record}); the total stake is their sum, the "
            "seats' vote power."
        ]
    else:
        lines = [
            f'- Own stake and voter stake: the term report\'s "CM Own Stake" and "CM Voter '
            f'Stake" (record: {record}); the votes themselves are not recorded.'
        ]
    seats = d.council_members[d.council_members["council_id"] == term.council_id]
    if won["votes_received"].notna().any() and "backing_stake_joy" in seats.columns:
        reported = seats.dropna(subset=["backing_stake_joy"]).merge(
            won, on="member_id", suffixes=("_report", "")
        )
        differ = reported[
            (reported["backing_stake_joy_report"] - reported["backing_stake_joy"]).abs() >= 0.5
        ]
        if len(differ):
            archived = d.archive_terms[d.archive_terms["council_id"] == term.council_id]
            name = archived["source"].iloc[0] if len(archived) else "the term report"
            lines.append(
                f"- {name} gives another voter stake for {plural(len(differ), 'seat')} "
                f"({amount(reported['backing_stake_joy_report'].sum())} JOY for its seats, "
                f"against {amount(reported['backing_stake_joy'].sum())}); not used here."
            )
    return lines


def _by_member(seats: pd.DataFrame, column: str) -> dict[str, object]:
    """A seat column's known values by member id ({} when the column is absent)."""
    if column not in seats.columns:
        return {}
    known = seats.dropna(subset=[column])
    return dict(zip(known["member_id"], known[column], strict=True))


def members_section(rows: pd.DataFrame, term: Term, stakes: list[str] | None = None) -> str:
    """Section 2: the councillors table with stake subtotals and the total; ``stakes``: the
    lines saying what the stakes are (:func:`stakes_note`)."""
    lines = ["## 2 - Council members and vote participation", ""]
    if rows.empty:
        return "\n".join([*lines, NOT_RECORDED]) + "\n"
    round_text = f"round #{term.elected_in_cycle}" if term.elected_in_cycle else "the election"
    lines += [
        "- Proposal votes cast: every kind (approve, reject, abstain, slash), cast while the "
        "term was in office.",
        "- Participation: the share of the proposals decided in the term that the councillor "
        "voted on.",
        *(stakes or [f"- Voter stake: the stake of the votes for the councillor in {round_text}."]),
    ]
    if rows["votes_cast"].isna().all():
        lines.append("- Proposal votes: not recorded for this network.")
    lines += [
        "",
        "| Councillor | Member ID | Proposal votes cast | Participation | Own stake (JOY) "
        "| Voter stake (JOY) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows.itertuples():
        share = "–" if pd.isna(row.participation) else f"{row.participation:.0%}"
        lines.append(
            f"| {row.councillor} | {row.member_id} | {_count(row.votes_cast)} | {share} "
            f"| {amount(row.own_stake_joy)} | {amount(row.voter_stake_joy)} |"
        )
    # A total over seats of which one is not recorded is not recorded either.
    own = rows["own_stake_joy"].astype("float64").sum(skipna=False)
    voters = rows["voter_stake_joy"].astype("float64").sum(skipna=False)
    votes = "–" if rows["votes_cast"].isna().all() else _count(rows["votes_cast"].sum())
    lines.append(f"| **Subtotal** | | {votes} | | {amount(own)} | {amount(voters)} |")
    lines.append(f"| **Total stake** | | | | {amount(own + voters)} | |")
    return "\n".join(lines) + "\n"


def _count(value: object) -> str:
    return "–" if value is None or pd.isna(value) else f"{int(value):,}"


def roles_section(roles: pd.DataFrame, term: Term, handles: dict[str, str]) -> str:
    """Section 3: council roles from the archive, else not recorded.

    Roles in order: deputies after the others, then by name; holders by member id.
    """
    lines = ["## 3 - Council roles", ""]
    mine = roles[roles["council_id"].astype(str) == term.council_id] if len(roles) else roles
    if mine.empty:
        return "\n".join([*lines, NOT_RECORDED]) + "\n"
    order = sorted(set(mine["role"]), key=lambda r: ("deputy" in r.lower(), r))
    for role in order:
        holders = sorted(mine.loc[mine["role"] == role, "member_id"], key=_id_order)
        lines.append(f"- {role}")
        lines += [f"    - {member_name(m, handles)}" for m in holders]
    return "\n".join(lines) + "\n"


def _figure(value: object, unit: object) -> str:
    """A budget figure as written: numbers with separators, HAPI amounts as JOY."""
    if value is None or pd.isna(value):
        return "not recorded"
    if unit == "%":  # a rate as the report writes it (0.728 %), not rounded to a whole number
        return f"{value} %"
    if unit == "HAPI":
        number, unit = data.hapi_to_joy(pd.Series([str(value)])).iloc[0], "JOY"
    else:
        number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    text = str(value) if pd.isna(number) else f"{number:,.0f}"
    return f"{text} {unit}".strip() if isinstance(unit, str) else text


def budget_section(sources: ReportSources, term: Term) -> str:
    """Section 4: budget figures from the archive, and the chain's budget events in the term.

    Chain lines appear when the network has any budget event recorded at all; a network
    without them (e.g. a snapshot) gets "not recorded".
    """
    lines = ["## 4 - Budget status", ""]
    figures = sources.budget_figures
    if len(figures):
        figures = figures[figures["council_id"].astype(str) == term.council_id]
    lines += [f"- {row.label}: {_figure(row.value, row.unit)}" for row in figures.itertuples()]
    d = sources.data
    refills, payments = d.budget_refills, d.reward_payments
    if len(refills) or len(payments):
        added = refills[_in_term(refills["block"], term)]
        paid = payments[_in_term(payments["block"], term)]
        lines += [
            f"- Budget refills in the term: {amount(added['balance_joy'].sum())} JOY "
            f"({plural(len(added), 'refill')})",
            f"- Councillor rewards paid in the term: {amount(paid['paid_joy'].sum())} JOY "
            f"({plural(len(paid), 'payment')}); unpaid for lack of budget: "
            f"{amount(paid['missing_joy'].sum())} JOY",
        ]
    if len(lines) == 2:
        lines.append(NOT_RECORDED)
    return "\n".join(lines) + "\n"


def proposal_overview(proposals: pd.DataFrame, recorded: bool) -> str:
    """Section 5: proposals created in the term by type and by status, and time to finalize.

    The average time to finalize counts every finalized proposal except cancelled ones.
    """
    lines = ["## 5 - Proposal overview", ""]
    if not recorded:
        return "\n".join([*lines, NOT_RECORDED]) + "\n"
    lines.append(f"- {plural(len(proposals), 'proposal')} created in the term")
    if proposals.empty:
        return "\n".join(lines) + "\n"
    lines += ["", "By type:", ""]
    for kind, count in _counts(proposals["type"]):
        lines.append(f"- {kind}: {count:,}")
    lines += ["", "By status (now):", ""]
    for status, count in _counts(proposals["status"]):
        lines.append(f"- {status}: {count:,}")
    executed = proposals[
        proposals["type"].isin(FUNDING_TYPES) & (proposals["status"] == "executed")
    ]
    lines += [
        "",
        f"- Executed funding requests: {len(executed):,}, "
        f"{amount(executed['funding_amount_joy'].sum())} JOY",
    ]
    timed = proposals[~proposals["status"].isin(CANCELLED)]["blocks_to_finalize"].dropna()
    if len(timed):
        lines += [
            f"- Total time for proposals to finalize: {blocks_and_time(timed.sum())}",
            f"- Average time for proposals to finalize: {blocks_and_time(timed.mean())} "
            f"over {plural(len(timed), 'finalized proposal')} (cancelled ones excluded)",
        ]
    open_ = int((~proposals["status"].isin(leaderboard.FINAL_STATUSES)).sum())
    if open_:
        lines.append(f"- Not finalized yet: {open_:,}")
    return "\n".join(lines) + "\n"


def _counts(values: pd.Series) -> list[tuple[str, int]]:
    counts = values.fillna("unknown").value_counts()
    return sorted(((str(k), int(v)) for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0]))


def proposal_breakdown(
    proposals: pd.DataFrame, votes: pd.DataFrame, handles: dict[str, str], recorded: bool
) -> str:
    """Section 6: each proposal of the term with type, status, time to finalize, creator and
    participants (every councillor who voted on it, with their vote)."""
    lines = ["## 6 - Proposal breakdown", ""]
    if not recorded:
        return "\n".join([*lines, NOT_RECORDED]) + "\n"
    if proposals.empty:
        return "\n".join([*lines, "No proposals were created in the term."]) + "\n"
    for p in proposals.itertuples():
        lines += [f"### Proposal {p.id} - {p.title}", ""]
        if p.network == spending.PIONEER_NETWORK:  # Pioneer shows mainnet proposals only
            lines.append(f"- Link: {spending.PIONEER_PROPOSAL_URL.format(id=p.id)}")
        lines.append(f"- Type: {p.type}")
        if pd.notna(p.funding_amount_joy):
            lines.append(f"    - Amount: {amount(p.funding_amount_joy)} JOY")
        lines.append(f"- Status: {p.status}")
        if pd.notna(p.blocks_to_finalize):
            lines.append(f"    - Time to finalize: {blocks_and_time(p.blocks_to_finalize)}")
        lines.append(f"- Created at: {_block(p.created_at_block, p.created_at_time)}")
        lines.append(f"- Created by: {_creator(p, handles)}")
        mine = votes[votes["proposal_id"] == p.id].sort_values(["voted_at_block", "id"])
        voters = [
            member_name(v.voter_member_id, handles)
            + (f" ({v.vote_kind})" if isinstance(v.vote_kind, str) else "")
            for v in mine.itertuples()
        ]
        lines.append(f"- Participants: {', '.join(voters) if voters else 'none'}")
        lines.append("")
    return "\n".join(lines)


def _creator(proposal: object, handles: dict[str, str]) -> str:
    """The creator's name; an archived report's handle when there is no member id."""
    written = getattr(proposal, "creator_handle", None)
    if pd.isna(proposal.creator_id) and isinstance(written, str) and written:
        return f"@{written}"
    return member_name(proposal.creator_id, handles)


def spending_section(sources: ReportSources, term: Term) -> str:
    """Section 7: executed funding requests decided in the term (or listed by the term's
    archived report), by the secretary's category."""
    lines = ["## 7 - Spending by category", ""]
    d = sources.data
    if d.proposals.empty:
        return "\n".join([*lines, NOT_RECORDED]) + "\n"
    funding = d.proposals[d.proposals["type"].isin(FUNDING_TYPES)].assign(type="FundingRequest")
    items = spending.chain_items(funding, sources.categories, d.councils)
    keep = _in_term(items["decided_at_block"], term)
    if "council_id" in funding.columns:
        listed = funding.loc[funding["council_id"] == term.council_id, "id"]
        keep |= items["proposal_id"].isin(listed)
    items = items[keep]
    if items.empty:
        return "\n".join([*lines, "No funding request was executed in the term."]) + "\n"
    items = items.assign(uncategorised=items["category"] == spending.UNCATEGORISED)
    lines.append(
        "Executed funding requests of the term (decided in it, or listed by its archived "
        "report), by the council secretary's category."
    )
    lines.append("")
    lines.append(spending.markdown_table(spending.totals_by(items, ["category"])).rstrip("\n"))
    flagged = int(items["uncategorised"].sum())
    if flagged:
        lines += ["", f"Without a category in the secretary's file: {flagged:,}."]
    return "\n".join(lines) + "\n"


def kpi_section(kpi_file: pd.DataFrame, term: Term, today: date) -> str:
    """Section 8: the secretary's KPIs with a deadline inside the term (status as reported).

    KPIs are matched by date because the KPI file numbers its rounds differently from the
    chain's terms. Days left and flags are worked out as of the term's end (or ``today``
    while the term is in office).
    """
    lines = ["## 8 - KPI status", ""]
    if kpi_file.empty or term.start_time is None or pd.isna(term.start_time):
        return "\n".join([*lines, NOT_RECORDED]) + "\n"
    as_of = term.end_time.date() if term.end_time is not None and pd.notna(term.end_time) else today
    items = kpis.kpi_items(kpi_file, as_of)
    deadline = pd.to_datetime(items["deadline"])
    start = pd.Timestamp(term.start_time.date())
    inside = (deadline >= start) & (deadline <= pd.Timestamp(as_of))
    mine = items[inside.fillna(False)].assign(term=f"term {term.number}")
    if mine.empty:
        return "\n".join([*lines, NOT_RECORDED]) + "\n"
    post = kpis.status_post(mine, f"term {term.number}", as_of)
    body = post.split("\n", 2)[2]  # the status post without its own heading
    lines += [f"KPIs with a deadline in the term, as of {as_of:%Y-%m-%d}.", "", body]
    return "\n".join(lines)


# --- The report ------------------------------------------------------------------------------


def term_report(sources: ReportSources, term: int | str, today: date | None = None) -> str:
    """The whole term report as markdown (``term``: a number or ``"latest"``).

    Mainnet terms follow the mainnet council report's shape (:mod:`council.report_mainnet`).
    """
    d = sources.data
    today = today or datetime.now(UTC).date()
    from council import report_mainnet  # it builds on this module's sections

    if report_mainnet.uses_mainnet_shape(sources.network):
        return report_mainnet.mainnet_term_report(sources, term, today)
    chosen = find_term(d.councils, term)
    handles = sources.handles
    recorded = not d.proposals.empty
    proposals = term_proposals(d.proposals, chosen) if recorded else d.proposals
    header = [
        f"# Council term {chosen.number} report ({sources.network})",
        "",
        "Made from the Joystream Council Dashboard's cache. Blocks are shown with their UTC "
        "date; durations are worked out from 6-second blocks, not actual block times. Amounts "
        "are in JOY. Usernames are Joystream member handles.",
        "",
    ]
    sections = [
        round_overview(chosen, d.rounds, d.archive_terms),
        members_section(member_rows(chosen, sources), chosen, stakes_note(chosen, sources)),
        roles_section(sources.roles, chosen, handles),
        budget_section(sources, chosen),
        proposal_overview(proposals, recorded),
        proposal_breakdown(proposals, d.proposal_votes, handles, recorded),
        spending_section(sources, chosen),
        kpi_section(sources.kpis, chosen, today),
    ]
    return "\n".join(header) + "\n" + "\n".join(s.rstrip("\n") + "\n" for s in sections)


def main(argv: list[str] | None = None) -> int:
    """Print the report of one term to stdout; exit 1 with a one-line reason on failure."""
    parser = argparse.ArgumentParser(prog="python -m council.report", description=__doc__)
    parser.add_argument("--term", required=True, help="term number, or 'latest'")
    parser.add_argument("--db", type=Path, default=None, help="cache path ($COUNCIL_DB)")
    parser.add_argument("--network", default=None, help="network (default: mainnet, or the only)")
    args = parser.parse_args(argv)
    if args.term != "latest" and not args.term.isdigit():
        parser.error("--term must be a number or 'latest'")
    try:
        db_path, cache, network = cli_cache.open_for_network(args.db, args.network)
    except cli_cache.NoUsableCache as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        text = term_report(load_sources(db_path, network, cache), args.term)
    except LookupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
