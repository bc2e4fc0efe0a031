"""The council meeting's agenda as markdown for the forum or Discord.

    python -m council.agenda [--network N] [--db PATH]

Prints exactly the agenda the "This week" page shows (:func:`agenda_markdown` renders both):
proposals to decide, the running term, each councillor's votes, KPIs due and election
notices. Network: mainnet when the cache has it, else the newest.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from council import cli_cache, uploads, watch
from council.desk import Desk, build_desk
from council.desk.pending import DESK_THRESHOLDS
from council.desk.term import TermGlance
from council.report import duration

NOTHING_PENDING = "Nothing awaits the council's decision."
KPI_LINES = 10  # KPIs listed in the agenda; the rest are counted


def left_text(hours: float | None) -> str:
    """``"1 d 2 h left"``, ``"overdue by 5 h 0 min"``; ``"time left not known"`` for None."""
    if hours is None or pd.isna(hours):
        return "time left not known"
    blocks = abs(hours) * 3600 / watch.BLOCK_SECONDS
    return f"{duration(blocks)} left" if hours >= 0 else f"overdue by {duration(blocks)}"


def amount_text(joy: float | None, usd: float | None) -> str:
    """``"80,000 JOY (≈ 1,600 USD)"``; empty when the proposal asks for no amount."""
    if joy is None or pd.isna(joy):
        return ""
    text = f"{joy:,.0f} JOY"
    return text + (f" (≈ {usd:,.0f} USD)" if usd is not None and pd.notna(usd) else "")


def _deadline(row: pd.Series, clock: watch.ChainClock | None) -> str:
    if row["stage"] == "dormant":
        return "waits for the next council"
    if pd.isna(row["deadline_block"]):
        kind = row["type"] if isinstance(row["type"], str) else "a proposal without a type"
        return f"{row['deadline']}: not known (no periods for {kind})"
    block = watch.block_text(int(row["deadline_block"]), clock)
    return f"{row['deadline']} {block} ({left_text(row['hours_left'])})"


def proposal_line(row: pd.Series, clock: watch.ChainClock | None) -> str:
    """One pending proposal as an agenda item."""
    flag = ""
    if row["overdue"] or row["nearly_expiring"]:
        flag = " ⚠ overdue" if row["overdue"] else " ⚠ nearly expiring"
    money = amount_text(row["amount_joy"], row["amount_usd"])
    kind = row["type"] if isinstance(row["type"], str) else ""  # an archive's row may lack it
    facts = ", ".join(x for x in (kind, f"by {row['creator']}", money) if x)
    line = f"- **#{row['id']} {row['title']}** ({facts}): {row['stage']}, {_deadline(row, clock)}"
    if row["stage"] == "deciding":
        needed = "not known" if pd.isna(row["approvals_needed"]) else int(row["approvals_needed"])
        line += f"; approvals {row['approvals']} of {needed}"
        waiting = ", ".join(row["not_voted"]) or "nobody"
        line += f"; not voted yet: {waiting}"
    elif pd.notna(row["councils_needed"]):
        line += f"; councils approved {row['councils_approved']} of {int(row['councils_needed'])}"
    return line + flag


def historical_note(desk: Desk) -> str:
    """Why nothing is pending in a historical record, in one sentence."""
    anchor = (
        f"its newest block with a time is #{desk.clock.anchor_block:,} "
        f"({desk.clock.anchor_text('%Y-%m-%d')} UTC)"
        if desk.clock is not None
        else "it has no block with a time"
    )
    return (
        f"Nothing is pending: this is a historical record ({anchor}). The figures below are "
        "the latest term's as of its end."
    )


def _proposals_section(desk: Desk) -> list[str]:
    lines = ["## Proposals to decide", ""]
    if desk.historical:
        lines.append(historical_note(desk))
    elif not desk.proposals_recorded:
        lines.append("The record holds no proposals: nothing to decide from this data.")
    elif desk.pending.empty:
        lines.append(NOTHING_PENDING)
    else:
        lines += [proposal_line(row, desk.clock) for _, row in desk.pending.iterrows()]
    return lines


def figure(value: object, pattern: str = "{:,}") -> str:
    """``value`` by ``pattern``; ``not recorded`` when missing."""
    return "not recorded" if value is None or pd.isna(value) else pattern.format(value)


def _term_section(desk: Desk) -> list[str]:
    term = desk.term
    if term is None:
        return ["## The term", "", "No council in the data."]
    title = "Running term" if term.running else "Latest term (ended; figures as of its end)"
    lines = [f"## {title}: term {term.number}", ""]
    if term.start_time is not None:  # recorded: no estimate
        start = f"#{term.start_block:,} · {term.start_time:%Y-%m-%d %H:%M} UTC"
    else:
        start = watch.block_text(term.start_block, desk.clock)
    lines.append(f"- Started: {start}")
    if term.end_block is None:
        lines.append("- Ends: not known")
    else:
        end = watch.block_text(term.end_block, desk.clock, term.end_estimated)
        lines.append(f"- {'Ends' if term.running else 'Ended'}: {end}")
    if term.running:
        lines.append(f"- Days left: {figure(term.days_left, '{:.1f}')}")
    lines.append(f"- {budget_text(term)}")
    return lines


def budget_text(term: TermGlance) -> str:
    """The budget spent so far (or in an ended term) against the budget at its start."""
    spent = "Budget spent so far" if term.running else "Budget spent in the term"
    text = f"{spent}: {figure(term.budget_spent_joy, '{:,.0f} JOY')}"
    if term.budget_start_joy is not None:
        text += f" of {term.budget_start_joy:,.0f} JOY at the term's start"
        if term.budget_spent_share is not None:
            text += f" ({term.budget_spent_share:.1f} %)"
    source = f" (from the {term.budget_source})" if term.budget_source else ""
    if term.budget_start_joy is None:
        return f"{text}{source}; budget at the term's start: not recorded"
    return text + source


def _councillor_section(desk: Desk) -> list[str]:
    lines = ["## Councillors", ""]
    if desk.councillors.empty:
        return [*lines, "No councillors in the data."]
    lines += [
        "| Councillor | Votes cast | Decided in the term | Not voted on | Participation "
        "| Awaiting their vote |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in desk.councillors.itertuples():
        participation = (
            "not recorded" if pd.isna(row.participation) else f"{100 * row.participation:.0f} %"
        )
        lines.append(
            f"| {row.councillor} | {figure(row.votes_cast)} | {figure(row.decided)} | "
            f"{figure(row.decided_not_voted)} | {participation} | {row.awaiting_vote} |"
        )
    return lines


def _kpi_section(desk: Desk) -> list[str]:
    days = DESK_THRESHOLDS.kpi_days
    lines = [f"## KPIs due within {days} days or overdue", ""]
    if desk.kpi_term is None:
        return [*lines, f"The KPI file has no term of {desk.network}."]
    lines.append(f"KPI term {desk.kpi_term}, as of {desk.as_of:%Y-%m-%d}.")
    lines.append("")
    if desk.kpis_due.empty:
        return [*lines, "No KPI is due or overdue."]
    for row in desk.kpis_due.head(KPI_LINES).itertuples():
        when = "no deadline" if pd.isna(row.deadline) else f"{row.deadline:%Y-%m-%d}"
        state = "⚠ overdue" if row.overdue else f"{row.days_left} days left"
        owner = f" ({row.owner})" if row.owner else ""
        lines.append(f"- {row.kpi} {row.title}{owner}: due {when}, {state}, {row.status}")
    if len(desk.kpis_due) > KPI_LINES:
        lines.append(f"- … and {len(desk.kpis_due) - KPI_LINES} more (see the KPI page)")
    return lines


def _election_section(desk: Desk) -> list[str]:
    stage, clock = desk.stage, desk.clock
    lines = ["## Election", ""]
    if stage.name == "none":
        return [*lines, "No election round in the data."]
    lines.append(f"- Round {stage.cycle_id}: {stage.label} stage")
    lines.append(f"- {_deadline_text(stage, clock)}")
    lines += [f"- ⚠ {concern.message}" for concern in desk.concerns]
    return lines


def _deadline_text(stage: watch.Stage, clock: watch.ChainClock | None) -> str:
    if stage.ends_block is None:
        return "Next deadline: not known"
    end = watch.block_text(stage.ends_block, clock, stage.ends_estimated)
    left = watch.countdown(stage, clock)
    return f"Next deadline: the {stage.name} stage ends {end} (time left: {left})"


def election_text(desk: Desk) -> str:
    """The election stage and its next deadline in one line (the page's caption)."""
    stage = desk.stage
    if stage.name == "none":
        return "Election: no election round in the data."
    deadline = _deadline_text(stage, desk.clock)
    return f"Election round {stage.cycle_id}: {stage.label} stage. {deadline}."


def agenda_markdown(desk: Desk) -> str:
    """The agenda: proposals to decide, the term, councillors, KPIs due, election notices."""
    when = desk.as_of if desk.historical else desk.now
    pattern = "%Y-%m-%d" if desk.historical else "%Y-%m-%d %H:%M UTC"
    header = [f"# Council meeting agenda ({desk.network}), {when:{pattern}}", ""]
    if desk.clock is not None and not desk.historical:
        header += [
            f"_Current block ≈ #{desk.clock.current_block:,}, estimated at 6 s a block from "
            f"block #{desk.clock.anchor_block:,} ({desk.clock.anchor_text()} UTC)._",
            "",
        ]
    sections = [
        _proposals_section(desk),
        _term_section(desk),
        _councillor_section(desk),
        _kpi_section(desk),
        _election_section(desk),
    ]
    return "\n".join(header + [line for s in sections for line in [*s, ""]]).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the agenda; exit 1 with a one-line reason when there is no usable cache."""
    parser = argparse.ArgumentParser(prog="python -m council.agenda", description=__doc__)
    parser.add_argument("--network", default=None, help="network (default: mainnet, or newest)")
    parser.add_argument("--db", type=Path, default=None, help="cache path ($COUNCIL_DB)")
    parser.add_argument("--now", default=None, help=argparse.SUPPRESS)  # reproducible tests
    args = parser.parse_args(argv)
    try:
        _, cache, network = cli_cache.open_for_network(args.db, args.network)
    except cli_cache.NoUsableCache as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
    desk = build_desk(
        cache.for_network(network),
        network,
        uploads.current(uploads.KPIS.name),
        uploads.current(uploads.SPENDING_CATEGORIES.name),
        now,
    )
    sys.stdout.write(agenda_markdown(desk))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
