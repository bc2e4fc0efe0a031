"""Display tables for the testnet archive (people's column names; "not recorded" spelled out).

Used by the election history and leaderboard pages; pure pandas on ``CouncilData`` frames.
"""

from __future__ import annotations

import pandas as pd

from council.data import CouncilData
from council.stats import archive as archive_stats

NOT_RECORDED = archive_stats.NOT_RECORDED
GRID_VALUES = {
    "Proposal votes": "votes_cast",
    "Vote %": "vote_share",
    "KPI bonus (USD)": "kpi_bonus_usd",
    "Councillor payment (USD)": "cm_payment_usd",
}


def has_archive(data: CouncilData) -> bool:
    """True when this data holds testnet archive terms."""
    terms = data.archive_terms
    return not terms[terms["testnet"] != "mainnet"].empty  # the mainnet record is no testnet


def archive_note(data: CouncilData) -> str:
    """What the archive's rounds do and do not record, for the pages' notices."""
    terms = data.archive_terms
    eras = ", ".join(sorted(terms["testnet"].dropna().str.capitalize().unique()))
    only = archive_rounds(data)
    merged = len(terms) - len(only)
    text = (
        f"{len(only)} rounds here come only from the council's hand-written term reports "
        f"({eras} testnets): they record the elected seats with their own and voter stake, "
        "proposal votes cast and the proposals. Losing candidates, individual votes and vote "
        "power are not recorded there; applicants and election totals only for Alexandria 1–6 "
        "(the secretary's leaderboard). Dates are estimated from blocks."
    )
    if merged:
        text += (
            f" {merged} more terms of the bundled snapshot gained the reports' proposal votes "
            "cast, voter stakes, proposals and roles."
        )
    return text


def archive_rounds(data: CouncilData) -> pd.Series:
    """The cycle ids of the rounds known only from term reports (not from the chain)."""
    rounds = data.rounds
    from_reports = rounds["source"].fillna("").str.endswith(".md")
    return rounds.loc[from_reports, "cycle_id"]


def round_figures_table(data: CouncilData) -> pd.DataFrame:
    """Per archive round: seats, stakes, and the election figures the archive has or lacks."""
    figures = archive_stats.archive_round_figures(
        data.archive_terms, data.council_members, data.archive_election_stats
    )
    if figures.empty:
        return figures
    figures = figures[figures["cycle_id"].isin(archive_rounds(data))]
    table = pd.DataFrame(
        {
            "Round": figures["cycle_id"],
            "Testnet": figures["testnet"].str.capitalize(),
            "Seats": figures["seats"],
            "Seats' own stake (JOY)": figures["own_stake_joy"],
            "Seats' voter stake (JOY)": figures["backing_stake_joy"],
            "Applicants": _or_not_recorded(figures["applicants"]),
            "Applicant stake (JOY)": _or_not_recorded(figures["applicant_stake_joy"]),
            "Election stake (JOY)": _or_not_recorded(figures["election_stake_joy"]),
            "Votes": _or_not_recorded(figures["votes"]),
            "Losing candidates": figures["losers"],
            "Source": figures["source"],
        }
    )
    return table.sort_values("Round", ascending=False).reset_index(drop=True)


def _or_not_recorded(values: pd.Series) -> pd.Series:
    shown = [NOT_RECORDED if pd.isna(v) else f"{v:,.0f}" for v in values]
    return pd.Series(shown, index=values.index, dtype=object)


def scorecard(data: CouncilData, term_range: tuple[int, int] | None = None) -> pd.DataFrame:
    """The archive scorecard (see :func:`council.stats.archive.archive_scorecard`)."""
    card = archive_stats.archive_scorecard(
        data.archive_terms, data.council_members, data.members, data.council_budget_figures
    )
    if term_range is not None:
        card = card[card["term"].between(*term_range)]
    return card


def leaderboard_grid_table(card: pd.DataFrame, label: str) -> pd.DataFrame:
    """Members x terms of one figure, laid out as the hand-made leaderboard, with a total."""
    column = GRID_VALUES[label]
    grid = archive_stats.leaderboard_grid(card, column)
    if grid.empty:
        return grid
    if column == "vote_share":
        grid = grid.map(lambda v: f"{v * 100:.2f}%" if isinstance(v, float) else v)
    elif column != "votes_cast":
        grid = grid.map(lambda v: f"${v:,.2f}" if isinstance(v, float) else v)
    else:
        grid = grid.map(lambda v: f"{int(v):,}" if isinstance(v, (int, float)) else v)
    totals = archive_stats.archive_member_totals(card).set_index("handle")
    total = {
        "votes_cast": totals["votes_cast"].map(lambda v: f"{v:,}", na_action="ignore"),
        "vote_share": totals["voting_rate"].map(lambda v: f"{v * 100:.2f}%", na_action="ignore"),
        "kpi_bonus_usd": totals["kpi_bonus_usd"].map(lambda v: f"${v:,.2f}", na_action="ignore"),
        "cm_payment_usd": totals["cm_payment_usd"].map(lambda v: f"${v:,.2f}", na_action="ignore"),
    }[column]
    grid.columns = [f"Term {t}" for t in grid.columns]
    grid["Total" if column != "vote_share" else "Voting rate"] = total.reindex(grid.index).fillna(
        NOT_RECORDED
    )
    return grid.reset_index().rename(columns={"handle": "Member"})
