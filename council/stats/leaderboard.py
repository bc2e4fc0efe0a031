"""Council leaderboard: each member's record across terms, and each term's scorecard.

Pure pandas, no I/O. A *term* is an elected council, numbered by the election round that
elected it. A proposal counts for the term in office when it was decided (its final status
was set); a councillor's *participation* in a term is the share of the proposals decided in
that term that they voted on. Testnet archive rows carry no blocks for these: they count for
the term whose report lists them (their ``council_id``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from council.data import CouncilData

VOTE_KINDS = ("approve", "reject", "abstain", "slash")
FINAL_STATUSES = {
    "executed",
    "execution failed",
    "rejected",
    "slashed",
    "expired",
    "cancelled",
    "vetoed",
    "canceled by runtime",
}


def terms(councils: pd.DataFrame) -> pd.DataFrame:
    """One row per term: network, council_id, term number, start and end block (end exclusive).

    The term number is the round that elected the council; where that is unknown, the
    council's position in time (1, 2, ...) within its network.
    """
    ordered = councils.sort_values(["network", "elected_at_block"]).copy()
    position = ordered.groupby("network").cumcount() + 1
    number = ordered["elected_in_cycle_id"].astype("Float64").fillna(position.astype("Float64"))
    return pd.DataFrame(
        {
            "network": ordered["network"],
            "council_id": ordered["id"],
            "term": number.astype(int),
            "start_block": ordered["elected_at_block"].astype(float),
            "end_block": ordered["ended_at_block"].astype(float).fillna(np.inf),
        }
    ).reset_index(drop=True)


def term_at(blocks: pd.DataFrame, term_table: pd.DataFrame, block_column: str) -> pd.Series:
    """The council_id in office at each row's ``block_column`` (same network), else NA."""
    if blocks.empty or term_table.empty:
        return pd.Series(pd.NA, index=blocks.index, dtype="object")
    left = blocks[["network", block_column]].copy()
    left["network"] = left["network"].astype(object)  # merge_asof wants one key dtype
    term_table = term_table.astype({"network": object})
    left["_row"] = np.arange(len(left))
    left["_block"] = left[block_column].astype(float)
    known = left.dropna(subset=["_block"]).sort_values("_block")
    matched = pd.merge_asof(
        known,
        term_table.sort_values("start_block"),
        left_on="_block",
        right_on="start_block",
        by="network",
        direction="backward",
    )
    matched = matched[matched["_block"] < matched["end_block"]]
    result = pd.Series(pd.NA, index=range(len(left)), dtype="object")
    result.loc[matched["_row"].to_numpy()] = matched["council_id"].to_numpy()
    result.index = blocks.index
    return result


def decided_proposals(proposals: pd.DataFrame, term_table: pd.DataFrame) -> pd.DataFrame:
    """Proposals with a final status, with the council in office when they were decided."""
    final = proposals[proposals["status"].isin(FINAL_STATUSES)].copy()
    final["council_id"] = _with_recorded_term(
        final, term_at(final, term_table, "status_set_at_block")
    )
    return final


def _with_recorded_term(rows: pd.DataFrame, by_block: pd.Series) -> pd.Series:
    """The term found from a block, else the term the source recorded (archive reports)."""
    if "council_id" not in rows.columns:
        return by_block
    return by_block.where(by_block.notna(), rows["council_id"]).astype("object")


def scorecard(
    term_table: pd.DataFrame,
    council_members: pd.DataFrame,
    proposals: pd.DataFrame,
    votes: pd.DataFrame,
) -> pd.DataFrame:
    """One row per councillor per term: votes, participation, vote split, rationale, money.

    ``votes_cast`` counts the councillor's proposal votes cast while the term was in office;
    ``participation`` is the share of proposals decided in the term they voted on (at any
    time); it is null when no proposal was decided in the term.

    The vote split (``approve_votes`` ... ``slash_votes``), ``with_rationale`` and
    ``rationale_rate`` are null (not recorded) for every councillor of a term in which any
    vote lacks its vote kind: the testnet archive lists who took part in each proposal, not
    how they voted nor why. Votes cast and participation are recorded there and stay.
    """
    seats = council_members.merge(term_table, on=["network", "council_id"], how="inner").rename(
        columns={"id": "seat_id"}
    )
    cast = votes.copy()
    cast["council_id"] = _with_recorded_term(votes, term_at(votes, term_table, "voted_at_block"))
    in_term = cast.merge(
        seats[["network", "council_id", "member_id"]],
        left_on=["network", "council_id", "voter_member_id"],
        right_on=["network", "council_id", "member_id"],
        how="inner",
    )
    in_term["has_rationale"] = in_term["rationale"].fillna("").str.strip() != ""
    kind_missing = cast["vote_kind"].fillna("").astype(str).str.strip() == ""
    kindless_terms = cast.loc[kind_missing, ["network", "council_id"]].drop_duplicates()
    counts = in_term.groupby(["network", "council_id", "member_id"]).agg(
        votes_cast=("id", "size"), with_rationale=("has_rationale", "sum")
    )
    kinds = (
        in_term.pivot_table(
            index=["network", "council_id", "member_id"],
            columns="vote_kind",
            values="id",
            aggfunc="size",
            fill_value=0,
        )
        .reindex(columns=list(VOTE_KINDS), fill_value=0)
        .add_suffix("_votes")
    )
    decided = decided_proposals(proposals, term_table).dropna(subset=["council_id"])
    decided_count = decided.groupby(["network", "council_id"]).size().rename("decided")
    voted_on = decided[["network", "id", "council_id"]].merge(
        votes[["network", "proposal_id", "voter_member_id"]].drop_duplicates(),
        left_on=["network", "id"],
        right_on=["network", "proposal_id"],
    )
    participated = (
        voted_on.groupby(["network", "council_id", "voter_member_id"])
        .size()
        .rename("decided_voted_on")
        .rename_axis(["network", "council_id", "member_id"])
    )
    keys = ["network", "council_id", "member_id"]
    card = (
        seats.join(counts, on=keys)
        .join(kinds, on=keys)
        .join(participated, on=keys)
        .join(decided_count, on=["network", "council_id"])
    )
    card["votes_cast"] = card["votes_cast"].fillna(0).astype(int)
    kinds_recorded = ~pd.MultiIndex.from_frame(card[["network", "council_id"]]).isin(
        pd.MultiIndex.from_frame(kindless_terms)
    )
    for column in ["with_rationale", *[f"{k}_votes" for k in VOTE_KINDS]]:
        card[column] = card[column].fillna(0).astype("Int64").where(kinds_recorded)
    card["decided"] = card["decided"].fillna(0).astype(int)
    card["decided_voted_on"] = card["decided_voted_on"].fillna(0).astype(int)
    # A network whose records hold no proposal and no proposal vote (the mainnet record)
    # does not record its councillors' proposal figures: null, not 0.
    recorded = card["network"].isin(
        set(proposals["network"].unique()) | set(votes["network"].unique())
    )
    for column in [
        "votes_cast", "decided", "decided_voted_on", "with_rationale",
        *[f"{k}_votes" for k in VOTE_KINDS],
    ]:  # fmt: skip
        card[column] = card[column].astype("Int64").where(recorded)
    card["participation"] = (
        card["decided_voted_on"] / card["decided"].where(card["decided"] > 0)
    ).astype("float64")
    card["rationale_rate"] = (
        card["with_rationale"].astype("float64") / card["votes_cast"].where(card["votes_cast"] > 0)
    ).astype("float64")
    columns = [
        "network", "term", "council_id", "member_id", "votes_cast", "decided",
        "decided_voted_on", "participation", *[f"{k}_votes" for k in VOTE_KINDS],
        "with_rationale", "rationale_rate", "stake_joy", "accumulated_reward_joy",
    ]  # fmt: skip
    return card[columns].sort_values(["term", "member_id"]).reset_index(drop=True)


def _longest_streak(positions: pd.Series) -> int:
    values = sorted(set(int(p) for p in positions))
    best = run = 0
    previous = None
    for value in values:
        run = run + 1 if previous is not None and value == previous + 1 else 1
        best = max(best, run)
        previous = value
    return best


def member_totals(
    results: pd.DataFrame, card: pd.DataFrame, term_table: pd.DataFrame
) -> pd.DataFrame:
    """One row per member who ever ran or sat: the all-time leaderboard, ranked.

    ``results`` is the election page's per-candidacy table; ``card`` the term scorecard.
    ``win_rate`` is times elected over candidacies that stood (withdrawals excluded). A
    streak counts terms that follow each other in time within a network.

    Figures the source did not record are null in ``results`` and ``card`` (votes received
    and backing stake of a term report's round, the rationale of the archive's kind-less
    proposal votes). ``votes_received``, ``backing_stake_joy`` and ``votes_with_rationale``
    add up the recorded values only, and are null when none of the member's values is
    recorded, so a member known only from term reports reads "not recorded", not 0 (a member
    with no candidacy, or no seat, has 0 votes received, or 0 votes with rationale).
    """
    keys = ["network", "member_id"]
    by_member = results.groupby(keys)
    outcomes = (
        results[keys]
        .assign(
            withdrawn=results["outcome"] == "withdrawn",
            times_elected=results["outcome"] == "elected",
        )
        .groupby(keys)[["withdrawn", "times_elected"]]
        .sum()
    )
    ran = pd.DataFrame(
        {
            "handle": by_member["handle"].first(),
            "candidacies": by_member.size(),
            "withdrawn": outcomes["withdrawn"],
            "times_elected": outcomes["times_elected"],
            "own_stake_joy": by_member["stake_joy"].sum(min_count=1),
            "backing_stake_joy": by_member["backing_stake_joy"].sum(min_count=1),
            "votes_received": by_member["votes_received"].sum(min_count=1),
        }
    )
    position = term_table.assign(position=term_table.groupby("network").cumcount())
    served = card.merge(
        position[["network", "council_id", "position"]], on=["network", "council_id"]
    )
    by_seat = served.groupby(keys)
    sat = pd.DataFrame(
        {
            "terms_served": by_seat["council_id"].nunique(),
            "longest_streak": by_seat["position"].apply(_longest_streak),
            "first_term": by_seat["term"].min(),
            "last_term": by_seat["term"].max(),
            "proposal_votes": by_seat["votes_cast"].sum(min_count=1),
            "decided_in_terms": by_seat["decided"].sum(min_count=1),
            "decided_voted_on": by_seat["decided_voted_on"].sum(min_count=1),
            "votes_with_rationale": by_seat["with_rationale"].sum(min_count=1),
            "rewards_joy": by_seat["accumulated_reward_joy"].sum(min_count=1),
        }
    )
    table = ran.join(sat, how="outer")
    for column in ("candidacies", "withdrawn", "times_elected", "terms_served",
                   "longest_streak"):  # fmt: skip
        table[column] = table[column].fillna(0).astype(int)
    # Proposal figures: null where the member's terms record none, 0 without any seat.
    for column in ("proposal_votes", "decided_in_terms", "decided_voted_on"):
        table[column] = table[column].astype("Int64").where(table.index.isin(sat.index), 0)
    # Null where nothing was recorded; 0 for a member with no candidacy or no seat at all.
    table["votes_received"] = table["votes_received"].where(table.index.isin(ran.index), 0)
    table["votes_with_rationale"] = table["votes_with_rationale"].where(
        table.index.isin(sat.index), 0
    )
    for column in ("votes_received", "votes_with_rationale"):
        table[column] = pd.to_numeric(table[column]).astype("Int64")
    stood = table["candidacies"] - table["withdrawn"]
    table["win_rate"] = table["times_elected"] / stood.where(stood > 0)
    table["participation"] = (
        table["decided_voted_on"] / table["decided_in_terms"].where(table["decided_in_terms"] > 0)
    ).astype("float64")
    table = table.reset_index()
    table["handle"] = table["handle"].fillna("member " + table["member_id"].astype(str))
    table = table.sort_values(
        ["terms_served", "times_elected", "votes_received", "handle"],
        ascending=[False, False, False, True],
    ).reset_index(drop=True)
    table.insert(0, "rank", np.arange(1, len(table) + 1))
    return table


def participation_matrix(card: pd.DataFrame, handles: pd.DataFrame) -> pd.DataFrame:
    """Long table (handle, term, participation) for a members x terms heatmap."""
    named = card.merge(
        handles.rename(columns={"id": "member_id"})[["network", "member_id", "handle"]],
        on=["network", "member_id"],
        how="left",
    )
    return named[["handle", "term", "participation", "votes_cast", "decided"]]


def filter_terms(card: pd.DataFrame, results: pd.DataFrame, term_range: tuple[int, int]):
    """The scorecard rows and candidacies within a term range (rounds = terms)."""
    lo, hi = term_range
    return card[card["term"].between(lo, hi)], results[results["cycle_id"].between(lo, hi)]


def search_members(totals: pd.DataFrame, text: str, min_terms: int) -> pd.DataFrame:
    """Members whose handle contains ``text`` (any case) and who served ``min_terms`` or more."""
    keep = totals["terms_served"] >= min_terms
    if text:
        keep &= totals["handle"].str.contains(text, case=False, regex=False)
    return totals[keep]


def term_tables(data: CouncilData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The terms and the per-term scorecard of one network's data."""
    term_table = terms(data.councils)
    card = scorecard(term_table, data.council_members, data.proposals, data.proposal_votes)
    return term_table, card
