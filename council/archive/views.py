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
    "Votes in participant lists": "votes_listed",
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
    stats = data.archive_election_stats
    totals = int(stats["cycle_id"].isin(only).sum()) if len(stats) else 0
    text = (
        f"{len(only)} rounds here come only from the council's hand-written term reports "
        f"({eras} testnets): they record the elected seats with their own and voter stake, "
        "proposal votes cast and the proposals. Losing candidates, individual votes and vote "
        "power are not recorded there. "
        + (
            "The number of applicants and of votes comes from the secretary's Alexandria "
            f"leaderboard and the tokenomics reports, for {totals} of these rounds; elsewhere "
            if totals
            else "No record gives these rounds' applicants or votes: "
        )
        + "candidates per seat and votes cast are not recorded. Dates are estimated from blocks."
    )
    if merged:
        text += (
            f" {merged} more terms of the bundled snapshot gained the reports' proposal votes "
            "cast, proposals and roles, and their rounds the tokenomics reports' applicants and "
            "votes (the snapshot's stakes are kept; where a report differs, the archive README "
            "lists it)."
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
        data.archive_terms,
        data.council_members,
        data.members,
        data.council_budget_figures,
        data.proposal_votes,
        data.proposals,
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
    elif column not in ("votes_cast", "votes_listed"):
        grid = grid.map(lambda v: f"${v:,.2f}" if isinstance(v, float) else v)
    else:
        grid = grid.map(lambda v: f"{int(v):,}" if isinstance(v, (int, float)) else v)
    totals = archive_stats.archive_member_totals(card).set_index("handle")
    total = {
        "votes_cast": totals["votes_cast"].map(lambda v: f"{v:,}", na_action="ignore"),
        "votes_listed": totals["votes_listed"].map(lambda v: f"{v:,}", na_action="ignore"),
        "vote_share": totals["voting_rate"].map(lambda v: f"{v * 100:.2f}%", na_action="ignore"),
        "kpi_bonus_usd": totals["kpi_bonus_usd"].map(lambda v: f"${v:,.2f}", na_action="ignore"),
        "cm_payment_usd": totals["cm_payment_usd"].map(lambda v: f"${v:,.2f}", na_action="ignore"),
    }[column]
    grid.columns = [f"Term {t}" for t in grid.columns]
    # As text: a column with nothing recorded would be float, and a float takes no "–".
    shown = total.reindex(grid.index).astype(object)
    grid["Total" if column != "vote_share" else "Voting rate"] = shown.where(
        shown.notna(), NOT_RECORDED
    )
    return grid.reset_index().rename(columns={"handle": "Member"})


def count_note(card: pd.DataFrame) -> str:
    """What the page says where term reports' own vote counts differ from their participant
    lists ("" when they agree everywhere)."""
    differ = archive_stats.count_disagreements(card)
    if differ.empty:
        return ""
    terms = differ[["network", "term"]].drop_duplicates()
    return (
        f"In {len(differ)} seats of {len(terms)} terms the term report's own \"Prop. Votes "
        "Cast\" differs from its proposals' participant lists (it counts cancelled proposals, "
        "or a list leaves the councillor out). Vote % counts the participant lists, so that it "
        'and its denominator count the same proposals; "Proposal votes" shows the report\'s '
        "own count."
    )


def count_disagreements_table(card: pd.DataFrame) -> pd.DataFrame:
    """The seats behind :func:`count_note`, with people's column names."""
    differ = archive_stats.count_disagreements(card)
    return pd.DataFrame(
        {
            "Testnet": differ["testnet"].str.capitalize(),
            "Term": differ["term"],
            "Member": differ["handle"],
            "Report's count": differ["votes_cast"],
            "In participant lists": differ["votes_listed"],
            "Valid proposals": differ["valid_proposals"],
        }
    )
