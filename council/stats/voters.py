"""Voter statistics: who votes in council elections and how concentrated the vote stake is.

Pure pandas, no I/O. ``votes`` is one network's votes as ``council.data.load_network_votes``
reads them (``cycle_id``, ``cast_by``, ``stake_joy``, ``vote_power_joy``,
``vote_for_candidate_id``: null while unrevealed); ``results`` the election page's
per-candidacy results (``council.stats.elections.candidacy_results``). A voter is an account
(``cast_by``): the chain knows accounts, not members. An unrevealed vote's power is its stake
(Joystream's vote power is the stake; the query node sets it only on revealing).

Rounds whose votes the source does not record (``recorded`` False: a winners-only term report
without vote rows) get null figures, never 0.
"""

from __future__ import annotations

import pandas as pd

TOP_N = 10

ROUND_COLUMNS = [
    "cycle_id",
    "recorded",
    "voters",
    "vote_stake_joy",
    "returning",
    "new",
    "top_share_pct",
    "majority_accounts",
]
CHANGE_COLUMNS = [
    "cycle_id",
    "unrevealed_votes",
    "unrevealed_stake_joy",
    "last_seat",
    "last_seat_power_joy",
    "first_out",
    "first_out_power_joy",
    "margin_joy",
    "could_change",
    "verdict",
]
ACCOUNT_COLUMNS = [
    "cast_by",
    "rounds_voted",
    "first_round",
    "last_round",
    "total_stake_joy",
    "mean_stake_joy",
    "max_stake_joy",
    "revealed_share_pct",
    "backed_elected",
]


def stakes_by_account(votes: pd.DataFrame) -> pd.DataFrame:
    """Stake per (round, account): ``cycle_id``, ``cast_by``, ``stake_joy``, ``votes``."""
    if votes.empty:
        return pd.DataFrame(columns=["cycle_id", "cast_by", "stake_joy", "votes"])
    grouped = votes.groupby(["cycle_id", "cast_by"], as_index=False)
    return grouped.agg(stake_joy=("stake_joy", "sum"), votes=("stake_joy", "size"))


def concentration(stakes: pd.Series, top: int = TOP_N) -> tuple[float | None, int | None]:
    """(share in percent of the ``top`` largest stakes, fewest accounts holding more than half
    of the stake); (None, None) without any stake."""
    ordered = stakes.sort_values(ascending=False).to_numpy(dtype="float64")
    total = ordered.sum()
    if len(ordered) == 0 or total <= 0:
        return None, None
    running = ordered.cumsum()
    majority = int((running <= total / 2).sum()) + 1
    return float(ordered[:top].sum() / total * 100), majority


def round_voter_stats(votes: pd.DataFrame, recorded: pd.DataFrame) -> pd.DataFrame:
    """One row per round of ``recorded`` (``cycle_id``, ``recorded``: are its votes recorded),
    oldest first (:data:`ROUND_COLUMNS`).

    ``voters``: accounts that voted; ``vote_stake_joy``: their stake; ``returning``: those of
    them who voted in the previous round of ``recorded``, ``new`` the others (the first round
    has no previous one: all new; a previous round whose votes are not recorded leaves both
    null); ``top_share_pct``: the share of the stake of the :data:`TOP_N` largest accounts;
    ``majority_accounts``: the fewest accounts that together hold more than half the stake
    (both null without stake).
    """
    stakes = stakes_by_account(votes)
    by_round = dict(tuple(stakes.groupby("cycle_id")))
    ordered = recorded.sort_values("cycle_id").reset_index(drop=True)
    rows = []
    previous: tuple[bool, set[str]] | None = None
    for cycle, is_recorded in zip(ordered["cycle_id"], ordered["recorded"], strict=True):
        mine = by_round.get(cycle, stakes.iloc[0:0])
        accounts = set(mine["cast_by"])
        row: dict[str, object] = {"cycle_id": int(cycle), "recorded": bool(is_recorded)}
        if is_recorded:
            top, majority = concentration(mine["stake_joy"])
            if previous is None:
                returning = 0
            elif previous[0]:
                returning = len(accounts & previous[1])
            else:
                returning = None
            row.update(
                voters=len(accounts),
                vote_stake_joy=float(mine["stake_joy"].sum()),
                returning=returning,
                new=None if returning is None else len(accounts) - returning,
                top_share_pct=top,
                majority_accounts=majority,
            )
        rows.append(row)
        previous = (bool(is_recorded), accounts)
    frame = pd.DataFrame(rows, columns=ROUND_COLUMNS)
    for column in ("voters", "returning", "new", "majority_accounts"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in ("vote_stake_joy", "top_share_pct"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def _edge(
    standing: pd.DataFrame, finished: bool, seats: int | None
) -> tuple[pd.Series | None, pd.Series | None]:
    """(last elected seat, first candidate not elected) of one round's standing candidacies:
    by outcome in a finished round, by vote power so far in a running one."""
    by_power = standing.sort_values(["vote_power_joy", "handle"], ascending=[False, True])
    if finished:
        elected = by_power[by_power["outcome"] == "elected"]
        out = by_power[by_power["outcome"] == "not elected"]
        return (
            elected.iloc[-1] if len(elected) else None,
            out.iloc[0] if len(out) else None,
        )
    if seats is None or seats < 1:
        return None, None
    inside, outside = by_power.iloc[:seats], by_power.iloc[seats:]
    return (
        inside.iloc[-1] if len(inside) == seats else None,
        outside.iloc[0] if len(outside) else None,
    )


def _could_fill(standing: pd.DataFrame, sealed: pd.DataFrame, seats: int | None) -> dict:
    """A round that elected nobody: could its unrevealed votes, one per candidate without a
    revealed vote, have given enough candidates votes to fill the seats?"""
    power = pd.to_numeric(standing["vote_power_joy"]).fillna(0)
    missing = None if seats is None else seats - int((power > 0).sum())
    if missing is None or missing <= 0 or not len(standing):
        return {"verdict": "no council elected"}
    could = len(sealed) >= missing and int((power <= 0).sum()) >= missing
    verdict = (
        "yes: enough unrevealed votes to fill the missing seats"
        if could
        else "no council elected; too few unrevealed votes to fill the missing seats"
    )
    return {"could_change": could, "verdict": verdict}


def unrevealed_could_change(
    votes: pd.DataFrame,
    results: pd.DataFrame,
    rounds: pd.DataFrame,
    recorded: pd.DataFrame,
) -> pd.DataFrame:
    """Per round, newest first (:data:`CHANGE_COLUMNS`): could the unrevealed votes have
    changed who was elected?

    ``margin_joy`` is the vote power of the last elected seat minus that of the first
    candidate not elected (a running round: the seats-th and the next by vote power so far).
    The unrevealed stake could have changed the outcome when it is larger than the margin
    (``could_change``): given to the first one out, it would have passed the last seat.
    ``rounds`` gives ``is_finished`` and ``seats``; ``recorded`` as in
    :func:`round_voter_stats`. A round that elected nobody (a failed attempt), or where
    every candidate who stood got a seat, has no margin; a failed attempt could have been
    changed when it had at least one unrevealed vote per seat left empty (and as many
    candidates without a revealed vote to receive them).
    """
    rows = []
    info = rounds.set_index("cycle_id")
    # Grouped once: a loop that filtered every round out of all the votes took seconds.
    sealed = votes.loc[votes["vote_for_candidate_id"].isna(), ["cycle_id", "stake_joy"]]
    sealed_by_round = dict(tuple(sealed.groupby("cycle_id")))
    no_vote = sealed.iloc[0:0]
    slim = results.loc[results["outcome"] != "withdrawn",
                       ["cycle_id", "handle", "outcome", "vote_power_joy"]]  # fmt: skip
    standing_by_round = dict(tuple(slim.groupby("cycle_id")))
    no_candidate = slim.iloc[0:0]
    for cycle, is_recorded in zip(recorded["cycle_id"], recorded["recorded"], strict=True):
        row: dict[str, object] = {"cycle_id": int(cycle)}
        if not is_recorded:
            rows.append({**row, "verdict": "not recorded"})
            continue
        sealed = sealed_by_round.get(cycle, no_vote)
        unrevealed = float(sealed["stake_joy"].sum())
        row.update(unrevealed_votes=len(sealed), unrevealed_stake_joy=unrevealed)
        standing = standing_by_round.get(cycle, no_candidate)
        finished = bool(info.loc[cycle, "is_finished"]) if cycle in info.index else True
        seats = info.loc[cycle, "seats"] if cycle in info.index else None
        seats = None if seats is None or pd.isna(seats) else int(seats)
        last, first_out = _edge(standing, finished, seats)
        if finished and last is None:  # a failed attempt: could the sealed votes fill it?
            rows.append({**row, **_could_fill(standing, sealed, seats)})
            continue
        if last is None or first_out is None:
            rows.append({**row, "verdict": "no: every candidate who stood got a seat"})
            continue
        margin = float(last["vote_power_joy"]) - float(first_out["vote_power_joy"])
        could = unrevealed > margin
        if not len(sealed):
            verdict = "no: every vote was revealed"
        elif could:
            verdict = "yes: more than the margin"
        else:
            verdict = "no: less than the margin"
        rows.append(
            {
                **row,
                "last_seat": last["handle"],
                "last_seat_power_joy": float(last["vote_power_joy"]),
                "first_out": first_out["handle"],
                "first_out_power_joy": float(first_out["vote_power_joy"]),
                "margin_joy": margin,
                "could_change": could,
                "verdict": verdict,
            }
        )
    frame = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    frame["unrevealed_votes"] = pd.to_numeric(frame["unrevealed_votes"]).astype("Int64")
    frame["could_change"] = frame["could_change"].astype("boolean")
    return frame.sort_values("cycle_id", ascending=False).reset_index(drop=True)


def _named(votes: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """``votes`` with the candidate voted for (``voted_for`` handle) and its ``outcome``."""
    names = results[["candidate_id", "handle", "outcome"]].rename(
        columns={"candidate_id": "vote_for_candidate_id", "handle": "voted_for"}
    )
    return votes.merge(names, on="vote_for_candidate_id", how="left")


def account_votes(votes: pd.DataFrame, results: pd.DataFrame, account: str) -> pd.DataFrame:
    """Every vote ``account`` cast, newest round first: ``cycle_id``, ``stake_joy``,
    ``vote_power_joy``, ``revealed``, ``voted_for`` (the candidate's handle once revealed)
    and that candidacy's ``outcome``."""
    mine = _named(votes[votes["cast_by"] == account], results)
    mine["revealed"] = mine["vote_for_candidate_id"].notna()
    columns = ["cycle_id", "stake_joy", "vote_power_joy", "revealed", "voted_for", "outcome"]
    return mine[columns].sort_values("cycle_id", ascending=False).reset_index(drop=True)


def account_totals(cast: pd.DataFrame) -> dict[str, float | int]:
    """Totals of :func:`account_votes`: rounds, votes, stake, revealed votes, distinct
    candidates backed and votes for a candidate who was elected."""
    return {
        "Rounds voted": int(cast["cycle_id"].nunique()),
        "Votes": len(cast),
        "Total stake (JOY)": round(float(cast["stake_joy"].sum()), 2),
        "Revealed votes": int(cast["revealed"].sum()),
        "Candidates backed": int(cast["voted_for"].nunique()),
        "Votes for the elected": int((cast["outcome"] == "elected").sum()),
    }


def voter_table(votes: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """One row per account across the given votes (:data:`ACCOUNT_COLUMNS`), the largest
    total stake first: rounds voted, first and last round, total / mean / largest stake
    (per round), the share of its votes revealed and how many backed an elected candidate."""
    if votes.empty:
        return pd.DataFrame(columns=ACCOUNT_COLUMNS)
    named = _named(votes, results)
    named["revealed"] = named["vote_for_candidate_id"].notna()
    named["backed_elected"] = named["outcome"] == "elected"
    per_round = stakes_by_account(votes)
    by_account = per_round.groupby("cast_by").agg(
        rounds_voted=("cycle_id", "nunique"),
        first_round=("cycle_id", "min"),
        last_round=("cycle_id", "max"),
        total_stake_joy=("stake_joy", "sum"),
        mean_stake_joy=("stake_joy", "mean"),
        max_stake_joy=("stake_joy", "max"),
    )
    flags = named.groupby("cast_by").agg(
        revealed_share_pct=("revealed", "mean"), backed_elected=("backed_elected", "sum")
    )
    frame = by_account.join(flags).reset_index()
    frame["revealed_share_pct"] = frame["revealed_share_pct"] * 100
    frame = frame.sort_values(["total_stake_joy", "cast_by"], ascending=[False, True])
    return frame[ACCOUNT_COLUMNS].reset_index(drop=True)
