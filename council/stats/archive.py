"""The testnet council archive's own figures: the hand-made leaderboard and round figures.

Pure pandas, no I/O. The council secretary's Alexandria leaderboard scored each councillor per
term by the proposal votes the term report counts ("Prop. Votes Cast") over the term's *valid*
proposals (those the report lists, less cancelled ones), beside the term's KPI bonus and USD
payment per councillor. :func:`archive_scorecard` rebuilds that table from the imported rows
for every archive term; figures an archive source does not give stay empty (not recorded).
"""

from __future__ import annotations

import pandas as pd

KPI_BONUS = "KPIs & CM payments: KPI bonus / CM"
CM_PAYMENT = "KPIs & CM payments: CM USD payments / CM"
NOT_RECORDED = "not recorded"


def _figure(figures: pd.DataFrame, label: str, name: str) -> pd.DataFrame:
    rows = figures[figures["label"] == label]
    values = pd.to_numeric(rows["value"], errors="coerce")
    return pd.DataFrame(
        {"network": rows["network"], "council_id": rows["council_id"], name: values}
    )


def archive_scorecard(
    terms: pd.DataFrame,
    council_members: pd.DataFrame,
    members: pd.DataFrame,
    figures: pd.DataFrame,
) -> pd.DataFrame:
    """One row per councillor per archive term, as on the secretary's leaderboard.

    Columns: network, testnet, term (the round that elected the council), council_id,
    member_id, handle, votes_cast (the report's count), valid_proposals, vote_share
    (votes_cast / valid_proposals), kpi_bonus_usd, cm_payment_usd. Rows only for terms whose
    report records the councillors.
    """
    columns = [
        "network", "testnet", "term", "council_id", "member_id", "handle", "votes_cast",
        "valid_proposals", "vote_share", "kpi_bonus_usd", "cm_payment_usd",
    ]  # fmt: skip
    if terms.empty:
        return pd.DataFrame(columns=columns)
    term_rows = terms.assign(
        term=terms["cycle_id"],
        valid_proposals=terms["proposals_listed"].fillna(0)
        - terms["proposals_cancelled"].fillna(0),
    )[["network", "council_id", "testnet", "term", "valid_proposals"]]
    seats = council_members.merge(term_rows, on=["network", "council_id"], how="inner")
    names = members.rename(columns={"id": "member_id"})[["network", "member_id", "handle"]]
    card = seats.merge(names, on=["network", "member_id"], how="left")
    card["handle"] = card["handle"].fillna(card["member_id"].astype(str).str.lstrip("@"))
    card["votes_cast"] = pd.to_numeric(card["proposal_votes_cast"], errors="coerce").astype("Int64")
    valid = card["valid_proposals"].where(card["valid_proposals"] > 0)
    card["vote_share"] = card["votes_cast"].astype("Float64") / valid
    for label, name in ((KPI_BONUS, "kpi_bonus_usd"), (CM_PAYMENT, "cm_payment_usd")):
        card = card.merge(_figure(figures, label, name), on=["network", "council_id"], how="left")
    return card[columns].sort_values(["network", "term", "handle"]).reset_index(drop=True)


def archive_member_totals(card: pd.DataFrame) -> pd.DataFrame:
    """Per member: terms, votes cast, voting rate (the mean of the per-term vote shares, as
    the leaderboard's "Total voting rate"), and KPI bonus and USD payment totals (empty when
    no term records them)."""
    if card.empty:
        return pd.DataFrame(
            columns=["network", "handle", "terms", "votes_cast", "voting_rate",
                     "kpi_bonus_usd", "cm_payment_usd"]
        )  # fmt: skip
    grouped = card.groupby(["network", "handle"])
    totals = pd.DataFrame(
        {
            "terms": grouped["council_id"].nunique(),
            "votes_cast": grouped["votes_cast"].sum(min_count=1),
            "voting_rate": grouped["vote_share"].mean(),
            "kpi_bonus_usd": grouped["kpi_bonus_usd"].sum(min_count=1),
            "cm_payment_usd": grouped["cm_payment_usd"].sum(min_count=1),
        }
    ).reset_index()
    return totals.sort_values(["network", "handle"]).reset_index(drop=True)


def leaderboard_grid(card: pd.DataFrame, value: str) -> pd.DataFrame:
    """Members x terms of one scorecard column, as the hand-made leaderboard lays it out
    (``x`` where the member did not sit in the term)."""
    if card.empty:
        return pd.DataFrame()
    seated = card.pivot_table(index="handle", columns="term", values="council_id", aggfunc="size")
    grid = (
        card.groupby(["handle", "term"])[value]
        .first()
        .unstack("term")
        .reindex(index=seated.index, columns=seated.columns)
    )
    shown = grid.astype(object).where(seated.notna(), "x")
    return shown.astype(object).where(shown.notna() | seated.isna(), NOT_RECORDED)


def archive_round_figures(
    terms: pd.DataFrame, council_members: pd.DataFrame, election_stats: pd.DataFrame
) -> pd.DataFrame:
    """One row per archive round: what the archive records of the election and what not.

    Columns: network, testnet, cycle_id, source, seats, own_stake_joy and backing_stake_joy
    (the seats' totals), applicants, applicant_stake_joy, election_stake_joy, votes (the
    Alexandria leaderboard's; empty where not recorded) and losers ("not recorded").
    """
    if terms.empty:
        return pd.DataFrame()
    seats = council_members.groupby(["network", "council_id"]).agg(
        seats=("member_id", "size"),
        own_stake_joy=("stake_joy", lambda s: s.sum(min_count=1)),
        backing_stake_joy=("backing_stake_joy", lambda s: s.sum(min_count=1)),
    )
    table = terms.join(seats, on=["network", "council_id"])
    stats = election_stats.drop(columns=["source"], errors="ignore")
    table = table.merge(stats, on=["network", "cycle_id"], how="left")
    table["seats"] = table["seats"].fillna(0).astype(int)
    table["losers"] = NOT_RECORDED
    columns = [
        "network", "testnet", "cycle_id", "source", "seats", "own_stake_joy",
        "backing_stake_joy", "applicants", "applicant_stake_joy", "election_stake_joy",
        "votes", "losers",
    ]  # fmt: skip
    return table[columns].sort_values(["network", "cycle_id"]).reset_index(drop=True)
