"""The term report of a mainnet council, in the shape of the mainnet council report.

The mainnet council writes its term report with Joystream's council report tool: term
boundaries, composition (each councillor's share of the election's vote power), the budget
overview and inflation, the overall budget by item (JOY and USD), the working groups' workers
and budgets, and the proposals. This module fills that shape from the cache; every figure says
how it is made, and a figure the data does not hold reads "not recorded".

:func:`council.report.term_report` calls :func:`mainnet_term_report` for network ``mainnet``;
other networks keep the testnet report shape.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from council import data, report
from council.stats import budget
from council.working_groups import stats as wg_stats

NETWORK = "mainnet"
NOT_RECORDED = "not recorded"
PIONEER_ELECTION_URL = "https://pioneerapp.xyz/#/election/past-elections/{id}"
PIONEER_COUNCIL_URL = "https://pioneerapp.xyz/#/council/past-councils/{id}"
MINTED_LABEL = "JOY minted in the term"  # council.archive.mainnet_read.MINTED_LABEL
INFLATION_LABEL = "Inflation in the term"  # council.archive.mainnet_read.INFLATION_LABEL
TERM_TOTAL_LABEL = "Term total"  # council.archive.mainnet_read.BUDGET_LABELS


def uses_mainnet_shape(network: str) -> bool:
    """True for the network whose terms are reported in the mainnet report's shape."""
    return network == NETWORK


def _joy(value: float | None) -> str:
    """``12,345 JOY``; NaN or None -> ``not recorded``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return NOT_RECORDED
    return f"{value:,.0f} JOY"


def _cell(value: float | None) -> str:
    if value is None or pd.isna(value):
        return NOT_RECORDED
    return f"{value:,.0f}"


# --- Sections --------------------------------------------------------------------------------


def boundaries(term: report.Term, rounds: pd.DataFrame, archive_terms: pd.DataFrame) -> str:
    """Dates, council term, start and end blocks, and the election's Pioneer link."""
    start = term.start_time
    end = term.end_time
    dates = f"{start:%d %B %Y}" if start is not None and pd.notna(start) else NOT_RECORDED
    dates += " → " + (
        "still in office"
        if term.end_block is None
        else (f"{end:%d %B %Y}" if end is not None and pd.notna(end) else NOT_RECORDED)
    )
    lines = [
        f"- Dates: {dates}",
        f"- Council term: {term.number} (council {term.council_id})",
        f"- Start block: {report._block(term.start_block, term.start_time)}",
        "- End block: "
        + (
            "still in office"
            if term.end_block is None
            else report._block(term.end_block, term.end_time)
        ),
    ]
    archived = archive_terms[archive_terms["council_id"] == term.council_id]
    for row in archived.itertuples():
        lines.append(f"- The council's own report: {row.source}")
    link = _election_link(term, rounds, archived)
    if link:
        lines.append(f"- Election results: {link}")
    return "\n".join(lines) + "\n"


def _election_link(term: report.Term, rounds: pd.DataFrame, archived: pd.DataFrame) -> str | None:
    """Pioneer's page of the election that chose the term: the round's query node id, else
    the election link id the term report gives."""
    electing = rounds[rounds["cycle_id"] == term.elected_in_cycle]
    round_id = electing["round_id"].iloc[0] if len(electing) else None
    if isinstance(round_id, str) and round_id and not round_id.startswith(f"{NETWORK}-"):
        return PIONEER_ELECTION_URL.format(id=round_id)
    labels = [r for r in archived.get("round_label", pd.Series(dtype=object)) if isinstance(r, str)]
    return PIONEER_ELECTION_URL.format(id=labels[0]) if labels else None


def vote_shares(term: report.Term, sources: report.ReportSources) -> pd.DataFrame:
    """Each councillor of the term with their share (percent) of the election's vote power.

    The term report's share where the mainnet record gives it (``archive_vote_shares``);
    else the stake of the revealed votes for the councillor's candidacy over the stake of
    every vote cast in the round (with stake-weighted votes, the vote power), else NaN.
    Columns: councillor, member_id, share_pct, how.
    """
    d = sources.data
    handles = sources.handles
    mine = d.council_members[d.council_members["council_id"] == term.council_id]
    members = sorted({str(m) for m in mine["member_id"]}, key=report._id_order)
    seats = pd.DataFrame(
        {"councillor": [report.member_name(m, handles) for m in members], "member_id": members}
    )
    reported = d.vote_shares[d.vote_shares["cycle_id"] == term.elected_in_cycle]
    reported_by = dict(zip(reported["member_id"].astype(str), reported["share_pct"], strict=True))
    results = report._seat_stakes(term, sources)
    backing = dict(zip(results["member_id"].astype(str), results["backing_stake_joy"], strict=True))
    totals = d.round_votes[d.round_votes["cycle_id"] == term.elected_in_cycle]
    total = float(totals["total_backing_stake_joy"].sum()) if len(totals) else math.nan
    shares, how = [], []
    for member in seats["member_id"]:
        if member in reported_by and pd.notna(reported_by[member]):
            shares.append(float(reported_by[member]))
            how.append("term report")
        elif pd.notna(backing.get(member)) and total > 0:
            shares.append(100 * float(backing[member]) / total)
            how.append("votes")
        else:
            shares.append(math.nan)
            how.append(NOT_RECORDED)
    return seats.assign(share_pct=shares, how=how).reset_index(drop=True)


def composition(shares: pd.DataFrame, term: report.Term) -> str:
    """Section 1: the councillors and their share of the election's vote power."""
    lines = ["## 1. Composition", ""]
    if shares.empty:
        return "\n".join([*lines, report.NOT_RECORDED]) + "\n"
    round_text = f"round #{term.elected_in_cycle}" if term.elected_in_cycle else "the election"
    lines += [
        f"Share of the vote power of {round_text}: the term report's figure where the mainnet "
        "record gives one, else the stake of the votes for the councillor over the stake of "
        "every vote cast in the round.",
        "",
        "| Councillor | Member ID | Share of the election's vote power | Source |",
        "|---|---:|---:|---|",
    ]
    for row in shares.itertuples():
        share = NOT_RECORDED if pd.isna(row.share_pct) else f"{row.share_pct:.2f} %"
        lines.append(f"| {row.councillor} | {row.member_id} | {share} | {row.how} |")
    return "\n".join(lines) + "\n"


def _figure(figures: pd.DataFrame, term: report.Term, label: str) -> tuple[object, object]:
    mine = (
        figures[(figures["council_id"].astype(str) == term.council_id)] if len(figures) else figures
    )
    mine = mine[mine["label"] == label] if len(mine) else mine
    if mine.empty:
        return None, None
    row = mine.iloc[-1]
    return row["value"], row["unit"]


def budget_overview(row: pd.Series | None, sources: report.ReportSources, term: report.Term) -> str:
    """Section 2: the council budget at the start, spending, refills and the end, the
    difference where they do not add up, and the term's inflation."""
    lines = ["## 2. Budget overview", ""]

    def get(column: str) -> object:
        return None if row is None else row[column]

    lines += [
        f"- Starting Council budget: {_joy(get('budget_start_joy'))}",
        f"- Spending from Council budget: {_joy(get('spending_joy'))}",
        f"- Refill of Council budget: {_joy(get('refills_joy'))}",
    ]
    if row is not None and (pd.notna(row["funded_joy"]) or pd.notna(row["decreased_joy"])):
        lines += [
            f"    - Funded by members: {_joy(row['funded_joy'])}",
            f"    - Decreased by proposal: {_joy(row['decreased_joy'])}",
        ]
    lines.append(f"- Ending Council budget: {_joy(get('budget_end_joy'))}")
    difference = get("difference_joy")
    if difference is not None and pd.notna(difference):
        lines.append(
            f"- Difference: {difference:,.0f} JOY (the ending budget minus starting + refills "
            "+ funded − decreased − spending; creator payouts, which the data does not hold, "
            "fall in it)"
        )
    else:
        lines.append(f"- Difference: {NOT_RECORDED} (a figure of the sum is not recorded)")
    total, total_unit = _figure(sources.budget_figures, term, TERM_TOTAL_LABEL)
    if total is not None:
        lines.append(f"- Term total (the term report's own): {report._figure(total, total_unit)}")
    source = "not recorded" if row is None else row["source"]
    if source in ("term report", NOT_RECORDED):
        how = (
            "the figures are the term report's own where the mainnet record has them (the "
            "chain's budget events are not in the data)"
        )
    else:
        how = (
            "start and end are the term report's figures where the mainnet record has them "
            "(the query node holds no budget balance); spending is council rewards + "
            "working-group top-ups + funding proposals (see the table below); refills are the "
            "periodic refills"
        )
    lines += [
        "",
        f"Source: {source}; {how}.",
        "",
        "**Inflation**",
        "",
    ]
    minted, unit = _figure(sources.budget_figures, term, MINTED_LABEL)
    rate, rate_unit = _figure(sources.budget_figures, term, INFLATION_LABEL)
    lines += [
        f"- Term issuance (JOY minted in the term): {report._figure(minted, unit)}",
        f"- Term inflation: {report._figure(rate, rate_unit)}",
        f"- Total issuance at start and end: {NOT_RECORDED} (not in the query node)",
    ]
    return "\n".join(lines) + "\n"


ITEMS = (
    ("Council rewards", "council_rewards_joy", "reward payments to the councillors in the term"),
    (
        "WG spending (top-ups)",
        "wg_top_ups_joy",
        "executed working-group budget proposals (a return to the council counts negative)",
    ),
    ("Funding proposals", "funding_proposals_joy", "executed funding requests"),
    ("Creator payout rewards", "creator_payouts_joy", "not in the data"),
    (
        "Validator rewards",
        None,
        "minted by the chain, not from the council budget; not in the data",
    ),
)


def overall_budget(row: pd.Series | None) -> str:
    """Section 3: the council's spending by item, in JOY and USD (no JOY price in the data)."""
    lines = [
        "## 3. Overall budget by item",
        "",
        "| Item | Total spending (actual), JOY | Total spending (actual), USD | How |",
        "|---|---:|---:|---|",
    ]
    values = []
    for name, column, how in ITEMS:
        value = None if row is None or column is None else row[column]
        values.append(value)
        lines.append(f"| {name} | {_cell(value)} | {NOT_RECORDED} | {how} |")
    known = [v for v in values[:3] if v is not None and pd.notna(v)]
    total = sum(known) if len(known) == 3 else None
    how = "the items recorded above (creator payouts and validator rewards not included)"
    if total is None and row is not None and not known and pd.notna(row["spending_joy"]):
        total, how = row["spending_joy"], "the term report's total spending (not by item)"
    lines.append(f"| Grand total | {_cell(total)} | {NOT_RECORDED} | {how} |")
    lines += ["", "USD: the data holds no JOY price for the term."]
    return "\n".join(lines) + "\n"


def _wg_cell(value: object) -> str:
    """A count or a JOY figure of the working-group tables; NaN -> ``not recorded``."""
    return _cell(value) if not isinstance(value, str) else value


def _working_group_sections(sources: report.ReportSources, term: report.Term) -> str:
    """Sections 4 and 5: the working groups' workers and budgets in the term, one row per
    group (``council.working_groups.stats.term_tables``: start + refilled - spent = end).
    "Not recorded" when the cache has no working-group data (the bundled snapshot)."""
    frames = sources.shared("wg_frames", lambda: _wg_frames(sources))
    lines = ["## 4. Working groups' workers", ""]
    if frames.is_empty:
        lines += [
            f"{NOT_RECORDED.capitalize()}: the data holds no working groups (a query node "
            "refresh reads them).",
            "",
            "## 5. Working groups' budgets",
            "",
            f"{NOT_RECORDED.capitalize()}: the data holds no working groups.",
        ]
        return "\n".join(lines) + "\n"
    workers, budgets = _wg_term_tables(sources, frames, term)
    lines += ["| Group | Headcount | Hired | Fired | Left |", "|---|---:|---:|---:|---:|"]
    for row in workers.itertuples(index=False):
        counts = (row.headcount, row.hired, row.fired, row.left)
        lines.append(f"| {row.group} | " + " | ".join(_wg_cell(c) for c in counts) + " |")
    lines += [
        "",
        "## 5. Working groups' budgets",
        "",
        "| Group | Start, JOY | Refilled, JOY | Spent, JOY | Worker rewards, JOY "
        "| Lead rewards, JOY | End, JOY | Debt (missed rewards), JOY | USD |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    columns = ("budget_start", "refilled", "spent", "worker_rewards", "lead_rewards")
    for row in budgets.itertuples(index=False):
        figures = [getattr(row, c) for c in (*columns, "budget_end", "debt")]
        cells = " | ".join(_wg_cell(v) for v in figures)
        lines.append(f"| {row.group} | {cells} | {NOT_RECORDED} |")
    lines += [
        "",
        "Spent: paid from the budget by the lead, plus worker and lead rewards; "
        "start + refilled − spent = end. USD: the data holds no JOY price for the term.",
    ]
    return "\n".join(lines) + "\n"


def _wg_frames(sources: report.ReportSources) -> wg_stats.WGFrames:
    """The network's working-group frames; the events as the Working groups page reads them
    (:func:`council.data.load_wg_page_events`: reward payments as the cache's derived sums)
    when the cache file is known."""
    d = sources.data
    if sources.db_path is None:
        return wg_stats.frames_of(d)
    return wg_stats.frames_of(d, data.load_wg_page_events(sources.db_path, sources.network))


def _wg_term_tables(
    sources: report.ReportSources, frames: wg_stats.WGFrames, term: report.Term
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`council.working_groups.stats.term_tables` of the term, with what every range
    needs (:func:`council.working_groups.stats.basis`: lead history, budget movements and
    their ledger) worked out once for every term (kept on ``sources``)."""
    basis = sources.shared("wg_basis", lambda: wg_stats.basis(frames))
    # The term's last block is the one before the next council's first, as on the Working
    # groups page (views.term_blocks): a movement at the change-over block belongs to the
    # new term, not to both.
    last = None if term.end_block is None else term.end_block - 1
    return wg_stats.term_tables(frames, term.start_block, last, basis)


def proposals_section(sources: report.ReportSources, term: report.Term) -> str:
    """Section 6: the proposals created in the term (as the testnet report counts them) and
    Pioneer's page of the council's proposals."""
    d = sources.data
    recorded = not d.proposals.empty
    proposals = report.term_proposals(d.proposals, term) if recorded else d.proposals
    text = report.proposal_overview(proposals, recorded)
    body = text.split("\n", 2)[2] if text.count("\n") >= 2 else report.NOT_RECORDED + "\n"
    lines = ["## 6. Proposals", "", body.rstrip("\n")]
    if not term.council_id.startswith(f"{NETWORK}-"):  # a query node id: Pioneer knows it
        lines += ["", f"- Pioneer: {PIONEER_COUNCIL_URL.format(id=term.council_id)}"]
    return "\n".join(lines) + "\n"


# --- The report ------------------------------------------------------------------------------


def mainnet_term_report(sources: report.ReportSources, term: int | str, today: date) -> str:
    """The whole mainnet term report as markdown (``term``: a number or ``"latest"``)."""
    d = sources.data
    chosen = report.find_term(d.councils, term)
    table = sources.shared("budget_table", lambda: budget.budget_by_term(budget.sources_from(d)))
    mine = table[table["council_id"] == chosen.council_id]
    row = mine.iloc[0] if len(mine) else None
    header = [
        f"# Council term {chosen.number} report ({sources.network})",
        "",
        "In the shape of the mainnet council report, made from the Joystream Council "
        "Dashboard's cache. Blocks are shown with their UTC date. Amounts are in JOY. "
        "Usernames are Joystream member handles. A figure the data does not hold reads "
        "“not recorded”.",
        "",
    ]
    sections = [
        boundaries(chosen, d.rounds, d.archive_terms),
        composition(vote_shares(chosen, sources), chosen),
        budget_overview(row, sources, chosen),
        overall_budget(row),
        _working_group_sections(sources, chosen),
        proposals_section(sources, chosen),
    ]
    return "\n".join(header) + "\n" + "\n".join(s.rstrip("\n") + "\n" for s in sections)
