"""Election statistics: per candidacy, per round, across rounds. Pure pandas, no I/O.

Inputs are the DataFrames of ``council.data`` (amounts already in JOY). Every function
returns a new DataFrame and leaves its inputs unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from council.data import CouncilData

OUTCOME_BY_STATUS = {
    "elected": "elected",
    "failed": "not elected",
    "withdrawn": "withdrawn",
    "active": "running",
}
OUTCOMES = ("elected", "not elected", "withdrawn", "running")

CANDIDACY_COLUMNS = [
    "network",
    "cycle_id",
    "ended_at_block",
    "ended_at_time",
    "ended_at_time_estimated",
    "is_finished",
    "candidate_id",
    "member_id",
    "handle",
    "outcome",
    "stake_joy",
    "votes_received",
    "backing_stake_joy",
    "vote_power_joy",
    "rank",
    "margin_joy",
]


def outcome(status: str, is_finished: bool) -> str:
    """The council's word for a candidacy status (an 'active' one in a finished round lost)."""
    if status == "active" and is_finished:
        return "not elected"
    return OUTCOME_BY_STATUS.get(status, status)


def _thresholds(results: pd.DataFrame, rounds: pd.DataFrame) -> pd.Series:
    """Vote power of the last elected seat per (network, cycle_id).

    For an unfinished round: the vote power at the last seat so far (the seats-th best); none
    while its seats or its candidates' ranks are unknown (null).
    """
    elected = results[results["outcome"] == "elected"]
    finished = elected.groupby(["network", "cycle_id"])["vote_power_joy"].min()
    running = results[results["outcome"] == "running"].merge(
        rounds[["network", "cycle_id", "seats"]], on=["network", "cycle_id"], how="left"
    )
    # Both as floats: a fetched cache's seats can be all null (an object column of None), and
    # a null compared as NaN is simply not a seat.
    seats = pd.to_numeric(running["seats"], errors="coerce").astype("float64")
    rank = pd.to_numeric(running["rank"], errors="coerce").astype("float64")
    running = running[(rank <= seats).to_numpy(dtype=bool)]
    live = running.groupby(["network", "cycle_id"])["vote_power_joy"].min()
    return pd.concat([finished, live[~live.index.isin(finished.index)]])


def _votes_recorded(frame: pd.DataFrame, rounds: pd.DataFrame, voted: pd.DataFrame) -> pd.Series:
    """Per row of ``frame`` (by network and cycle_id): does the source record its round's votes?

    A full record (``losers_recorded``) does, also when nobody voted. A winners-only record (a
    term report) does only when the cache holds vote rows for the round: ``voted`` lists the
    (network, cycle_id) of the rounds that have some.
    """
    keys = ["network", "cycle_id"]
    if "losers_recorded" in rounds.columns:
        full = rounds[keys].assign(_full=rounds["losers_recorded"].fillna(True).astype(bool))
        full = frame[keys].merge(full, on=keys, how="left")["_full"].fillna(True)
    else:
        full = pd.Series(True, index=range(len(frame)))
    marks = voted[keys].drop_duplicates().assign(_voted=True)
    with_rows = frame[keys].merge(marks, on=keys, how="left")
    recorded = full.to_numpy(dtype=bool) | with_rows["_voted"].fillna(False).to_numpy(dtype=bool)
    return pd.Series(recorded, index=frame.index)


def votes_recorded(
    frame: pd.DataFrame, rounds: pd.DataFrame, round_votes: pd.DataFrame | None
) -> pd.Series:
    """Per row of ``frame`` (by network and cycle_id): does the source record its round's votes?
    (The round summary's rule; ``round_votes`` as ``CouncilData.round_votes``.)"""
    return _votes_recorded(frame, rounds, _rounds_with_votes(round_votes))


def _rounds_with_votes(round_votes: pd.DataFrame | None) -> pd.DataFrame:
    """(network, cycle_id) of the rounds that have vote rows, from the per-round vote totals."""
    if round_votes is None or round_votes.empty:
        return pd.DataFrame(columns=["network", "cycle_id"])
    return round_votes.loc[round_votes["votes_cast"] > 0, ["network", "cycle_id"]]


def _seat_backing(
    frame: pd.DataFrame, rounds: pd.DataFrame, council_members: pd.DataFrame | None
) -> pd.Series:
    """Per candidacy row: the voter stake the archive recorded for the seat it won, else NaN.

    The seat is the member's ``council_members`` row in the council the round elected
    (``election_rounds.next_council_id``); its ``backing_stake_joy`` is the term report's
    "CM Voter Stake".
    """
    missing = pd.Series(np.nan, index=frame.index, dtype="float64")
    if (
        council_members is None
        or "backing_stake_joy" not in council_members.columns
        or "next_council_id" not in rounds.columns
    ):
        return missing
    elected_by = rounds[["network", "cycle_id", "next_council_id"]].dropna()
    seats = council_members[["network", "council_id", "member_id", "backing_stake_joy"]]
    seats = seats.dropna(subset=["backing_stake_joy"]).drop_duplicates(
        ["network", "council_id", "member_id"]
    )
    by_seat = elected_by.merge(
        seats, left_on=["network", "next_council_id"], right_on=["network", "council_id"]
    )[["network", "cycle_id", "member_id", "backing_stake_joy"]]
    found = frame[["network", "cycle_id", "member_id"]].merge(
        by_seat, on=["network", "cycle_id", "member_id"], how="left"
    )["backing_stake_joy"]
    found.index = frame.index
    return found.where(frame["outcome"] == "elected").astype("float64")


def candidacy_results(
    rounds: pd.DataFrame,
    candidates: pd.DataFrame,
    candidate_votes: pd.DataFrame,
    members: pd.DataFrame,
    council_members: pd.DataFrame | None = None,
    round_votes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per candidacy with its outcome, stakes, votes, rank and margin.

    ``candidate_votes`` holds each candidate's revealed votes received and their stake
    (``council.data.CouncilData.candidate_votes``); ``round_votes`` the per-round vote totals
    (``CouncilData.round_votes``) and ``council_members`` the council seats, both optional.

    ``votes_received`` and ``backing_stake_joy`` count the revealed votes. In a winners-only
    round (``losers_recorded`` = 0, a term report) without vote rows in the cache, the votes
    were not recorded: ``votes_received`` is null (not 0) and ``backing_stake_joy`` is the
    voter stake the report gives for the seat the candidacy won (``backing_stake_joy`` of its
    seat in the council the round elected), else null. A winners-only round with vote rows
    (the bundled Sumer snapshot) counts them like a full record.

    ``rank`` is the place by vote power within the round among candidates who did not
    withdraw (ties share the better place); ``margin_joy`` is vote power minus the vote power
    of the last elected seat (negative for those who missed out). Both stay meaningful in a
    winners-only round whose seats' vote power is recorded (a term report's own + voter
    stake): the unlisted losers all ranked below the last seat, so the winners' places and
    their distance to the last seat are the real ones. Both are null for the whole round when
    the vote power of any candidate who stood is unknown, since every place and the last
    seat's power may rest on it. Newest round first, then by rank.
    """
    round_cols = [
        "network",
        "cycle_id",
        "ended_at_block",
        "ended_at_time",
        "ended_at_time_estimated",
        "is_finished",
    ]
    frame = candidates.rename(columns={"id": "candidate_id"}).merge(
        rounds[round_cols], on=["network", "cycle_id"], how="left"
    )
    frame["is_finished"] = frame["is_finished"].fillna(False).astype(bool)
    frame = frame.merge(
        members[["network", "id", "handle"]].rename(columns={"id": "member_id"}),
        on=["network", "member_id"],
        how="left",
    )
    frame["handle"] = frame["handle"].fillna("member " + frame["member_id"].astype(str))
    frame["outcome"] = [
        outcome(s, f) for s, f in zip(frame["status"], frame["is_finished"], strict=True)
    ]
    backing = candidate_votes[["network", "candidate_id", "votes_received", "backing_stake_joy"]]
    frame = frame.merge(backing, on=["network", "candidate_id"], how="left")
    # A revealed vote for one of its candidates, or a row of round_votes (which counts
    # unrevealed votes too), shows that a round's votes are recorded.
    revealed = frame.loc[frame["votes_received"].notna(), ["network", "cycle_id"]]
    voted = pd.concat([revealed, _rounds_with_votes(round_votes)])
    recorded = _votes_recorded(frame, rounds, voted)
    frame["votes_received"] = (
        pd.to_numeric(frame["votes_received"]).fillna(0).astype("Int64").where(recorded)
    )
    frame["backing_stake_joy"] = (
        pd.to_numeric(frame["backing_stake_joy"])
        .astype("float64")
        .fillna(0.0)
        .where(recorded, _seat_backing(frame, rounds, council_members))
    )
    standing = frame["outcome"] != "withdrawn"
    frame["rank"] = (
        frame[standing]
        .groupby(["network", "cycle_id"])["vote_power_joy"]
        .rank(method="min", ascending=False)
        .astype("Int64")
    )
    threshold = _thresholds(frame, rounds).rename("threshold").reset_index()
    frame = frame.merge(threshold, on=["network", "cycle_id"], how="left")
    frame["margin_joy"] = np.where(standing, frame["vote_power_joy"] - frame["threshold"], np.nan)
    unknown_power = (
        (standing & frame["vote_power_joy"].isna())
        .groupby([frame["network"], frame["cycle_id"]])
        .transform("any")
    )
    frame["rank"] = frame["rank"].mask(unknown_power)
    frame["margin_joy"] = frame["margin_joy"].mask(unknown_power)
    frame = frame.sort_values(
        ["cycle_id", "rank", "handle"], ascending=[False, True, True], na_position="last"
    )
    return frame[CANDIDACY_COLUMNS].reset_index(drop=True)


def _incumbent_flags(
    results: pd.DataFrame, rounds: pd.DataFrame, council_members: pd.DataFrame
) -> pd.DataFrame:
    """For each elected candidacy: was the member on the council ruling during the round?"""
    ruling = rounds[["network", "cycle_id", "council_id"]].merge(
        council_members[["network", "council_id", "member_id"]],
        on=["network", "council_id"],
        how="inner",
    )
    ruling["incumbent"] = True
    elected = results[results["outcome"] == "elected"][["network", "cycle_id", "member_id"]]
    elected = elected.merge(
        ruling[["network", "cycle_id", "member_id", "incumbent"]],
        on=["network", "cycle_id", "member_id"],
        how="left",
    )
    elected["incumbent"] = elected["incumbent"].fillna(False).astype(bool)
    known = rounds[["network", "cycle_id", "council_id"]].merge(
        council_members[["network", "council_id"]].drop_duplicates(),
        on=["network", "council_id"],
        how="inner",
    )[["network", "cycle_id"]]
    known["incumbents_known"] = True
    return elected.merge(known, on=["network", "cycle_id"], how="left")


def _election_totals(election_stats: pd.DataFrame | None) -> pd.DataFrame:
    """Applicants and votes per (network, cycle_id) as the archive's totals record them."""
    columns = ["network", "cycle_id", "_applicants", "_votes"]
    if election_stats is None or election_stats.empty:
        return pd.DataFrame(columns=columns)
    totals = election_stats.rename(columns={"applicants": "_applicants", "votes": "_votes"})
    for column in ("_applicants", "_votes"):
        totals[column] = pd.to_numeric(totals[column]).astype("Int64")
    return totals[columns].drop_duplicates(["network", "cycle_id"])


def votes_cast(
    rounds: pd.DataFrame, round_votes: pd.DataFrame, election_stats: pd.DataFrame | None = None
) -> pd.Series:
    """Votes cast per round, as Election history shows them (:func:`round_summary`'s
    ``votes_cast``, which takes them from here), aligned with ``rounds``: the round's vote rows
    (``round_votes``, the per-round totals); null where the source does not record the round's
    votes (a winners-only record without vote rows); a winners-only round with the archive's
    election totals (``election_stats``) counts those, votes for losing candidates included.

    Needs no candidacy: the Overview's total adds these without computing the election
    results."""
    keys = ["network", "cycle_id"]
    frame = rounds[keys].join(round_votes.set_index(keys)["votes_cast"], on=keys)
    recorded = _votes_recorded(frame, rounds, _rounds_with_votes(round_votes))
    cast = frame["votes_cast"].fillna(0).astype("Int64").where(recorded)
    winners_only = ~rounds["losers_recorded"].fillna(True).astype(bool)
    totals = rounds[keys].merge(_election_totals(election_stats), on=keys, how="left")
    totals.index = rounds.index
    return cast.mask(winners_only & totals["_votes"].notna(), totals["_votes"])


def round_summary(
    rounds: pd.DataFrame,
    results: pd.DataFrame,
    round_votes: pd.DataFrame,
    council_members: pd.DataFrame,
    election_stats: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per round: field, seats, votes, voters, stakes, threshold, renewal.

    ``results`` is the output of :func:`candidacy_results`; ``round_votes`` the per-round vote
    totals (``council.data.CouncilData.round_votes``). ``competitiveness`` is
    candidates who stood (did not withdraw) per seat. ``re_elected`` counts elected members
    who sat on the council ruling during the round; it is null where that council's seats are
    not in the cache. Votes cast, voters, unrevealed votes and backing stake are null for a
    winners-only round (``losers_recorded`` = 0) that has no votes in the cache. Newest round
    first.

    A winners-only round knows its seats but not who else stood: its ``candidates`` and
    ``competitiveness`` are the applicants the archive's election totals record
    (``election_stats``, the cache's ``archive_election_stats``: the Alexandria leaderboard and
    the tokenomics reports) per seat, and its ``votes_cast`` their total votes, which count the
    votes for losing candidates too; without such totals ``candidates``, ``withdrawn`` and
    ``competitiveness`` are null (not the winners alone, which would read as uncontested).
    """
    keys = ["network", "cycle_id"]
    summary = rounds[
        [
            *keys,
            "is_finished",
            "ended_at_block",
            "ended_at_time",
            "ended_at_time_estimated",
            "seats",
            "losers_recorded",
        ]
    ].copy()
    outcomes = results[keys].assign(
        withdrawn=results["outcome"] == "withdrawn",
        seats_filled=results["outcome"] == "elected",
        total_candidate_stake_joy=results["stake_joy"],
    )
    by_round = outcomes.groupby(keys)
    field = by_round[["withdrawn", "seats_filled"]].sum()
    # Stakes not recorded for any candidate of the round (the mainnet record) stay unknown.
    field["total_candidate_stake_joy"] = by_round["total_candidate_stake_joy"].sum(min_count=1)
    field.insert(0, "candidates", by_round.size())
    winners = results[results["outcome"] == "elected"].groupby(keys)["vote_power_joy"].min()
    field["winning_threshold_joy"] = winners
    ballots = round_votes.set_index(keys)[
        ["votes_cast", "voters", "unrevealed_votes", "total_backing_stake_joy"]
    ]
    flags = _incumbent_flags(results, rounds, council_members)
    renewal = flags.groupby(keys).agg(
        re_elected=("incumbent", "sum"), incumbents_known=("incumbents_known", "any")
    )
    summary = summary.join(field, on=keys).join(ballots, on=keys).join(renewal, on=keys)
    # A winners-only record (a term report) without vote rows did not record the votes: its
    # ballots are unknown (null), not zero. A full record without votes had none.
    votes_recorded = _votes_recorded(summary, rounds, _rounds_with_votes(round_votes))
    for column in ("candidates", "withdrawn", "seats_filled"):
        summary[column] = summary[column].fillna(0).astype(int)
    for column in ("voters", "unrevealed_votes"):
        summary[column] = summary[column].fillna(0).astype("Int64").where(votes_recorded)
    summary["votes_cast"] = votes_cast(rounds, round_votes, election_stats)
    # A winners-only record lists no losers: the field and the votes come from the archive's
    # election totals where it has them, else they are unknown.
    winners_only = ~summary["losers_recorded"].fillna(True).astype(bool)
    totals = summary[keys].merge(_election_totals(election_stats), on=keys, how="left")
    totals.index = summary.index
    summary["candidates"] = (
        summary["candidates"].astype("Int64").mask(winners_only, totals["_applicants"])
    )
    summary["withdrawn"] = summary["withdrawn"].astype("Int64").mask(winners_only)
    # No candidate: 0; candidates without a recorded stake (the mainnet record): unknown.
    summary["total_candidate_stake_joy"] = summary["total_candidate_stake_joy"].where(
        summary["candidates"].fillna(1) > 0, 0.0
    )
    summary["total_backing_stake_joy"] = (
        summary["total_backing_stake_joy"].fillna(0.0).where(votes_recorded)
    )
    seats = summary["seats"].where(summary["seats"].notna(), summary["seats_filled"])
    # A winners-only record without its seats (a report without a member table): unknown.
    seats = seats.where(~(winners_only & summary["seats"].isna() & (summary["seats_filled"] == 0)))
    summary["seats"] = seats.astype("Int64")
    standing = (summary["candidates"] - summary["withdrawn"].fillna(0)).astype("Float64")
    per_seat = standing / seats.where(seats > 0).astype("Float64")
    summary["competitiveness"] = per_seat.astype("float64")
    known = summary["incumbents_known"].fillna(False).astype(bool)
    summary["re_elected"] = summary["re_elected"].where(known).astype("Int64")
    summary["newcomers"] = (summary["seats_filled"] - summary["re_elected"]).astype("Int64")
    summary["re_elected_share"] = summary["re_elected"].astype(float) / summary[
        "seats_filled"
    ].where(summary["seats_filled"] > 0)
    summary = summary.drop(columns=["incumbents_known"])
    return summary.sort_values(keys, ascending=[True, False]).reset_index(drop=True)


def data_results(data: CouncilData) -> pd.DataFrame:
    """:func:`candidacy_results` of one network's data, as the election page shows them."""
    return candidacy_results(
        data.rounds,
        data.candidates,
        data.candidate_votes,
        data.members,
        council_members=data.council_members,
        round_votes=data.round_votes,
    )


def election_tables(data: CouncilData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-candidacy results and the per-round summary of one network's data."""
    results = data_results(data)
    summary = round_summary(
        data.rounds,
        results,
        data.round_votes,
        data.council_members,
        election_stats=data.archive_election_stats,
    )
    return results, summary


def filter_candidacies(
    results: pd.DataFrame,
    cycle_range: tuple[int, int] | None = None,
    date_range: tuple[date, date] | None = None,
    handles: Iterable[str] = (),
    outcomes: Iterable[str] = (),
) -> pd.DataFrame:
    """The candidacies inside the given round range, end-date range, members and outcomes.

    An empty ``handles`` or ``outcomes`` means no restriction. Rounds without an end date
    (still running) pass any date range.
    """
    keep = pd.Series(True, index=results.index)
    if cycle_range is not None:
        keep &= results["cycle_id"].between(*cycle_range)
    if date_range is not None:
        ended = results["ended_at_time"].dt.date
        keep &= ended.isna() | ((ended >= date_range[0]) & (ended <= date_range[1]))
    handles = list(handles)
    if handles:
        keep &= results["handle"].isin(handles)
    outcomes = list(outcomes)
    if outcomes:
        keep &= results["outcome"].isin(outcomes)
    return results[keep]


def round_votes(votes: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """One round's votes: voter account, stake, vote power, for whom, revealed or not.

    ``votes`` are the raw votes of the round (``council.data.load_round_votes``).
    """
    names = results[["network", "candidate_id", "handle"]].rename(
        columns={"candidate_id": "vote_for_candidate_id", "handle": "voted_for"}
    )
    frame = votes.merge(names, on=["network", "vote_for_candidate_id"], how="left")
    frame["revealed"] = frame["vote_for_candidate_id"].notna()
    columns = ["cast_by", "stake_joy", "vote_power_joy", "voted_for", "revealed"]
    return frame[columns].sort_values("stake_joy", ascending=False).reset_index(drop=True)


def member_timeline(results: pd.DataFrame) -> pd.DataFrame:
    """One row per (member, round) they stood in, with the outcome: who served when."""
    columns = ["handle", "cycle_id", "ended_at_time", "outcome"]
    return results[columns].sort_values(["handle", "cycle_id"]).reset_index(drop=True)
