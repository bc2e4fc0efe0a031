"""The testnet council archive's own figures: the hand-made leaderboard and round figures.

Pure pandas, no I/O. The council secretary's Alexandria leaderboard scored each councillor per
term by the proposal votes the term report counts ("Prop. Votes Cast") over the term's *valid*
proposals (those the report lists, less cancelled ones), beside the term's KPI bonus and USD
payment per councillor. :func:`archive_scorecard` rebuilds that table from the imported rows
for every archive term; figures an archive source does not give stay empty (not recorded).

A report's own count does not always count those proposals (some count cancelled ones, some
disagree with the participant lists, and then the leaderboard showed shares above 100 %), so
the vote share here counts one set of proposals on both sides: the valid proposals whose
participant list names the councillor, over the valid proposals.
:func:`count_disagreements` lists the seats where the report's count differs.
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


def listed_votes(proposal_votes: pd.DataFrame, proposals: pd.DataFrame) -> pd.DataFrame:
    """Per (network, council_id, member_id): the valid (not cancelled) proposals whose
    participant list in the council's term report names the member, as ``votes_listed``.

    Only councils with participant rows appear: a term whose report lists no participant at
    all has them not recorded (not zero).
    """
    columns = ["network", "council_id", "member_id", "votes_listed"]
    if proposal_votes.empty or "council_id" not in proposal_votes.columns:
        return pd.DataFrame(columns=columns)
    rows = proposal_votes.dropna(subset=["council_id"])
    status = proposals[["network", "id", "status"]].rename(columns={"id": "proposal_id"})
    rows = rows.merge(status, on=["network", "proposal_id"], how="left")
    valid = rows[rows["status"] != "cancelled"].drop_duplicates(
        ["network", "council_id", "proposal_id", "voter_member_id"]
    )
    counts = (
        valid.groupby(["network", "council_id", "voter_member_id"])
        .size()
        .rename("votes_listed")
        .reset_index()
        .rename(columns={"voter_member_id": "member_id"})
    )
    return counts[columns]


def archive_scorecard(
    terms: pd.DataFrame,
    council_members: pd.DataFrame,
    members: pd.DataFrame,
    figures: pd.DataFrame,
    proposal_votes: pd.DataFrame,
    proposals: pd.DataFrame,
) -> pd.DataFrame:
    """One row per councillor per archive term, as on the secretary's leaderboard.

    Columns: network, testnet, term (the round that elected the council), council_id,
    member_id, handle, votes_cast (the report's "Prop. Votes Cast"), votes_listed (the valid
    proposals whose participant list names the councillor, see :func:`listed_votes`),
    valid_proposals (listed less cancelled), vote_share (votes_listed / valid_proposals: both
    count the same proposals, so never above 1), kpi_bonus_usd, cm_payment_usd. Rows only for
    terms whose report records the councillors.
    """
    columns = [
        "network", "testnet", "term", "council_id", "member_id", "handle", "votes_cast",
        "votes_listed", "valid_proposals", "vote_share", "kpi_bonus_usd", "cm_payment_usd",
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
    listed = listed_votes(proposal_votes, proposals)
    card = card.merge(listed, on=["network", "council_id", "member_id"], how="left")
    with_lists = card["council_id"].isin(listed["council_id"])
    card["votes_listed"] = card["votes_listed"].fillna(0).astype("Int64").where(with_lists)
    valid = card["valid_proposals"].where(card["valid_proposals"] > 0)
    card["vote_share"] = (card["votes_listed"].astype("Float64") / valid).astype("float64")
    for label, name in ((KPI_BONUS, "kpi_bonus_usd"), (CM_PAYMENT, "cm_payment_usd")):
        card = card.merge(_figure(figures, label, name), on=["network", "council_id"], how="left")
    return card[columns].sort_values(["network", "term", "handle"]).reset_index(drop=True)


def count_disagreements(card: pd.DataFrame) -> pd.DataFrame:
    """The seats whose report's "Prop. Votes Cast" differs from the valid proposals its
    participant lists give them: network, testnet, term, handle, votes_cast, votes_listed,
    valid_proposals; by network, term and handle."""
    columns = [
        "network", "testnet", "term", "handle", "votes_cast", "votes_listed", "valid_proposals",
    ]  # fmt: skip
    if card.empty:
        return pd.DataFrame(columns=columns)
    both = card["votes_cast"].notna() & card["votes_listed"].notna()
    differ = card[both & (card["votes_cast"] != card["votes_listed"]).fillna(False)]
    return differ[columns].sort_values(["network", "term", "handle"]).reset_index(drop=True)


def archive_member_totals(card: pd.DataFrame) -> pd.DataFrame:
    """Per member: terms, votes cast (the reports' counts) and votes listed (the participant
    lists'), voting rate (the mean of the per-term vote shares, as the leaderboard's "Total
    voting rate"), and KPI bonus and USD payment totals (empty when no term records them)."""
    if card.empty:
        return pd.DataFrame(
            columns=["network", "handle", "terms", "votes_cast", "votes_listed", "voting_rate",
                     "kpi_bonus_usd", "cm_payment_usd"]
        )  # fmt: skip
    grouped = card.groupby(["network", "handle"])
    totals = pd.DataFrame(
        {
            "terms": grouped["council_id"].nunique(),
            "votes_cast": grouped["votes_cast"].sum(min_count=1),
            "votes_listed": grouped["votes_listed"].sum(min_count=1),
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
