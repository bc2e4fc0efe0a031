"""Voter statistics: who votes in council elections and how concentrated the vote stake is.

Pure pandas and numpy, no I/O. ``votes`` is one network's votes as
``council.data.load_network_votes`` reads them (``cycle_id``, ``cast_by``, ``stake_joy``,
``vote_power_joy``, ``vote_for_candidate_id``: null while unrevealed), or in the compact form
of ``council.data.load_voter_votes`` (categoricals, no vote power); ``results`` the election page's
per-candidacy results (``council.stats.elections.candidacy_results``). A voter is an account
(``cast_by``): the chain knows accounts, not members. An unrevealed vote's power is its stake
(Joystream's vote power is the stake; the query node sets it only on revealing).

Rounds whose votes the source does not record (``recorded`` False: a winners-only term report
without vote rows) get null figures, never 0.

At 100x (a million votes) every figure comes from one sort of the stake per (round, account)
(:class:`Pairs`) and slices of it, not from per-round pandas filters: the same numbers, in
a fraction of a second.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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
    grouped = votes.groupby(["cycle_id", "cast_by"], as_index=False, observed=True)
    return grouped.agg(stake_joy=("stake_joy", "sum"), votes=("stake_joy", "size"))


@dataclass(frozen=True)
class Pairs:
    """Stake per (round, account) as arrays sorted by round, then account: ``cycle``,
    ``account`` (codes into ``names``, the accounts in text order), ``stake`` (summed as
    pandas' groupby sums) and ``votes``. The arrays behind :func:`stakes_by_account`."""

    cycle: np.ndarray
    account: np.ndarray
    stake: np.ndarray
    votes: np.ndarray
    names: np.ndarray

    def rounds(self, cycles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(start, end) of each of ``cycles`` (sorted) in the arrays."""
        return (
            np.searchsorted(self.cycle, cycles, side="left"),
            np.searchsorted(self.cycle, cycles, side="right"),
        )


def round_order(cycles: np.ndarray) -> np.ndarray:
    """The stable order of ``cycles`` (round ids), by a radix sort when they fit 16 bits."""
    if len(cycles) and cycles.min() >= 0 and cycles.max() < 2**16:
        cycles = cycles.astype("uint16")
    return np.argsort(cycles, kind="stable")


def account_codes(votes: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(code per vote, -1 without an account; the accounts in text order). A categorical
    whose categories are in text order (``council.data.load_voter_votes``) keeps its codes,
    so that any slice of it is coded alike."""
    accounts = votes["cast_by"]
    if isinstance(accounts.dtype, pd.CategoricalDtype):
        names = accounts.cat.categories
        if names.is_monotonic_increasing:
            codes = accounts.cat.codes.to_numpy(dtype="int64")
            return codes, np.asarray(names, dtype=object)
    codes, names = pd.factorize(accounts, sort=True)
    return np.asarray(codes, dtype="int64"), np.asarray(names, dtype=object)


def pairs(votes: pd.DataFrame) -> Pairs:
    """:class:`Pairs` of ``votes`` (a vote without an account counts for no one)."""
    codes, names = account_codes(votes)
    keep = codes >= 0
    cycle = votes["cycle_id"].to_numpy(dtype="int64")[keep]
    account = codes[keep]
    stake = votes["stake_joy"].to_numpy(dtype="float64")[keep]
    step_cycle, step_account = np.diff(cycle), np.diff(account)
    if not ((step_cycle > 0) | ((step_cycle == 0) & (step_account >= 0))).all():
        order = np.lexsort((account, cycle))  # stable: a pair's votes keep their order
        cycle, account, stake = cycle[order], account[order], stake[order]
    first = np.ones(len(cycle), dtype=bool)
    first[1:] = (cycle[1:] != cycle[:-1]) | (account[1:] != account[:-1])
    if first.all():  # one vote per pair (the chain's rule): its sum is its stake, NaN is 0
        return Pairs(cycle, account, np.nan_to_num(stake, nan=0.0), np.ones(len(cycle)), names)
    group = np.cumsum(first) - 1
    summed = pd.Series(stake).groupby(group).agg(["sum", "size"])
    return Pairs(
        cycle[first],
        account[first],
        summed["sum"].to_numpy(dtype="float64"),
        summed["size"].to_numpy(),
        names,
    )


def _concentration(ordered: np.ndarray, top: int) -> tuple[float | None, int | None]:
    """:func:`concentration` of stakes already sorted largest first."""
    total = ordered.sum()
    if len(ordered) == 0 or total <= 0:
        return None, None
    running = ordered.cumsum()
    majority = int((running <= total / 2).sum()) + 1
    return float(ordered[:top].sum() / total * 100), majority


def concentration(stakes: pd.Series, top: int = TOP_N) -> tuple[float | None, int | None]:
    """(share in percent of the ``top`` largest stakes, fewest accounts holding more than half
    of the stake); (None, None) without any stake."""
    ordered = stakes.sort_values(ascending=False).to_numpy(dtype="float64")
    return _concentration(ordered, top)


def round_voter_stats(
    votes: pd.DataFrame, recorded: pd.DataFrame, by_pair: Pairs | None = None
) -> pd.DataFrame:
    """One row per round of ``recorded`` (``cycle_id``, ``recorded``: are its votes recorded),
    oldest first (:data:`ROUND_COLUMNS`).

    ``voters``: accounts that voted; ``vote_stake_joy``: their stake; ``returning``: those of
    them who voted in the previous round of ``recorded``, ``new`` the others (the first round
    has no previous one: all new; a previous round whose votes are not recorded leaves both
    null); ``top_share_pct``: the share of the stake of the :data:`TOP_N` largest accounts;
    ``majority_accounts``: the fewest accounts that together hold more than half the stake
    (both null without stake). ``by_pair``: :func:`pairs` of ``votes`` when already made.
    """
    by_pair = pairs(votes) if by_pair is None else by_pair
    ordered = recorded.sort_values("cycle_id").reset_index(drop=True)
    cycles = ordered["cycle_id"].to_numpy(dtype="int64")
    starts, ends = by_pair.rounds(cycles)
    rows = []
    previous: tuple[bool, np.ndarray] | None = None
    voted_before = np.zeros(len(by_pair.names), dtype=bool)  # the previous round's accounts
    for cycle, is_recorded, start, end in zip(
        cycles, ordered["recorded"], starts, ends, strict=True
    ):
        accounts = by_pair.account[start:end]  # distinct within a round
        stakes = by_pair.stake[start:end]
        row: dict[str, object] = {"cycle_id": int(cycle), "recorded": bool(is_recorded)}
        if is_recorded:
            top, majority = _concentration(np.sort(stakes)[::-1], TOP_N)
            if previous is None:
                returning = 0
            elif previous[0]:
                returning = int(voted_before[accounts].sum())
            else:
                returning = None
            row.update(
                voters=len(accounts),
                vote_stake_joy=float(stakes.sum()),
                returning=returning,
                new=None if returning is None else len(accounts) - returning,
                top_share_pct=top,
                majority_accounts=majority,
            )
        rows.append(row)
        if previous is not None:
            voted_before[previous[1]] = False
        voted_before[accounts] = True
        previous = (bool(is_recorded), accounts)
    frame = pd.DataFrame(rows, columns=ROUND_COLUMNS)
    for column in ("voters", "returning", "new", "majority_accounts"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in ("vote_stake_joy", "top_share_pct"):
        frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame


def _edge(outcomes: np.ndarray, finished: bool, seats: int | None) -> tuple[int | None, int | None]:
    """(last elected seat, first candidate not elected) of one round's standing candidacies
    (their ``outcomes``, ordered by vote power, then handle), as positions: by outcome in a
    finished round, by vote power so far in a running one."""
    if finished:
        elected = np.flatnonzero(outcomes == "elected")
        out = np.flatnonzero(outcomes == "not elected")
        return (
            int(elected[-1]) if len(elected) else None,
            int(out[0]) if len(out) else None,
        )
    if seats is None or seats < 1:
        return None, None
    return (
        seats - 1 if len(outcomes) >= seats else None,
        seats if len(outcomes) > seats else None,
    )


def _could_fill(power: np.ndarray, sealed: int, seats: int | None) -> dict:
    """A round that elected nobody: could its unrevealed votes (``sealed`` of them), one per
    candidate without a revealed vote, have given enough candidates votes to fill the seats?
    ``power``: the standing candidacies' vote power (null as 0)."""
    missing = None if seats is None else seats - int((power > 0).sum())
    if missing is None or missing <= 0 or not len(power):
        return {"verdict": "no council elected"}
    could = sealed >= missing and int((power <= 0).sum()) >= missing
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
    info = rounds.drop_duplicates("cycle_id").set_index("cycle_id")
    finished_of = info["is_finished"].to_dict()
    seats_of = info["seats"].to_dict()
    # One sort for all rounds, then slices: a loop that sorted or filtered every round took
    # seconds at 100x.
    sealed = votes["vote_for_candidate_id"].isna().to_numpy()
    sealed_cycle = votes["cycle_id"].to_numpy(dtype="int64")[sealed]
    order = np.argsort(sealed_cycle, kind="stable")
    sealed_cycle = sealed_cycle[order]
    sealed_stake = votes["stake_joy"].to_numpy(dtype="float64")[sealed][order]
    slim = results.loc[results["outcome"] != "withdrawn",
                       ["cycle_id", "handle", "outcome", "vote_power_joy"]]  # fmt: skip
    slim = slim.sort_values(
        ["cycle_id", "vote_power_joy", "handle"], ascending=[True, False, True], kind="stable"
    )
    standing_cycle = slim["cycle_id"].to_numpy(dtype="int64")
    handles = slim["handle"].to_numpy(dtype=object)
    outcomes = slim["outcome"].to_numpy(dtype=object)
    powers = pd.to_numeric(slim["vote_power_joy"]).to_numpy(dtype="float64")
    cycles = recorded["cycle_id"].to_numpy(dtype="int64")
    sealed_from = np.searchsorted(sealed_cycle, cycles, side="left")
    sealed_to = np.searchsorted(sealed_cycle, cycles, side="right")
    standing_from = np.searchsorted(standing_cycle, cycles, side="left")
    standing_to = np.searchsorted(standing_cycle, cycles, side="right")
    for i, (cycle, is_recorded) in enumerate(
        zip(recorded["cycle_id"], recorded["recorded"], strict=True)
    ):
        row: dict[str, object] = {"cycle_id": int(cycle)}
        if not is_recorded:
            rows.append({**row, "verdict": "not recorded"})
            continue
        sealed_votes = int(sealed_to[i] - sealed_from[i])
        unrevealed = float(sealed_stake[sealed_from[i] : sealed_to[i]].sum())
        row.update(unrevealed_votes=sealed_votes, unrevealed_stake_joy=unrevealed)
        here = slice(standing_from[i], standing_to[i])
        finished = bool(finished_of[cycle]) if cycle in finished_of else True
        seats = seats_of.get(cycle)
        seats = None if seats is None or pd.isna(seats) else int(seats)
        last, first_out = _edge(outcomes[here], finished, seats)
        if finished and last is None:  # a failed attempt: could the sealed votes fill it?
            power = np.nan_to_num(powers[here], nan=0.0)
            rows.append({**row, **_could_fill(power, sealed_votes, seats)})
            continue
        if last is None or first_out is None:
            rows.append({**row, "verdict": "no: every candidate who stood got a seat"})
            continue
        last_power = float(powers[here][last])
        out_power = float(powers[here][first_out])
        margin = last_power - out_power
        could = unrevealed > margin
        if not sealed_votes:
            verdict = "no: every vote was revealed"
        elif could:
            verdict = "yes: more than the margin"
        else:
            verdict = "no: less than the margin"
        rows.append(
            {
                **row,
                "last_seat": handles[here][last],
                "last_seat_power_joy": last_power,
                "first_out": handles[here][first_out],
                "first_out_power_joy": out_power,
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


def elected_votes(votes: pd.DataFrame, results: pd.DataFrame) -> np.ndarray:
    """Per vote: was it (revealed) for a candidacy whose outcome is "elected"?"""
    elected = results.loc[results["outcome"] == "elected", "candidate_id"]
    return votes["vote_for_candidate_id"].isin(elected).to_numpy(dtype=bool)


def voter_table(
    votes: pd.DataFrame,
    results: pd.DataFrame,
    by_pair: Pairs | None = None,
    backed: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per account across the given votes (:data:`ACCOUNT_COLUMNS`), the largest
    total stake first: rounds voted, first and last round, total / mean / largest stake
    (per round), the share of its votes revealed and how many backed an elected candidate.

    ``by_pair`` (:func:`pairs` of ``votes``) and ``backed`` (:func:`elected_votes`) when
    already made; their accounts must be those of ``votes``."""
    if votes.empty:
        return pd.DataFrame(columns=ACCOUNT_COLUMNS)
    by_pair = pairs(votes) if by_pair is None else by_pair
    backed = elected_votes(votes, results) if backed is None else backed
    per_round = pd.DataFrame(
        {"account": by_pair.account, "cycle_id": by_pair.cycle, "stake_joy": by_pair.stake}
    )
    by_account = per_round.groupby("account").agg(
        rounds_voted=("cycle_id", "size"),  # one pair per round: its rounds are distinct
        first_round=("cycle_id", "min"),
        last_round=("cycle_id", "max"),
        total_stake_joy=("stake_joy", "sum"),
        mean_stake_joy=("stake_joy", "mean"),
        max_stake_joy=("stake_joy", "max"),
    )
    codes, _ = account_codes(votes)
    voted = codes >= 0
    size = len(by_pair.names)
    cast = np.bincount(codes[voted], minlength=size)[by_account.index]
    revealed = votes["vote_for_candidate_id"].notna().to_numpy(dtype=bool)
    by_account["revealed_share_pct"] = (
        np.bincount(codes[voted & revealed], minlength=size)[by_account.index] / cast * 100
    )
    by_account["backed_elected"] = np.bincount(codes[voted & backed], minlength=size)[
        by_account.index
    ]
    frame = by_account.reset_index()
    frame = frame.sort_values(["total_stake_joy", "account"], ascending=[False, True])
    frame["cast_by"] = by_pair.names[frame["account"].to_numpy()]
    return frame[ACCOUNT_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class AccountRuns:
    """The stake per (round, account) (:class:`Pairs`) ordered by account, then round: an
    account's rounds in a round range are one run of these arrays, found by binary search, so
    a range's :func:`voter_table` sums runs instead of grouping every pair of the range.

    ``key`` is account * ``span`` + (round - ``base``), sorted; ``stake`` per pair; ``cast``,
    ``revealed`` and ``backed`` the running totals (a leading 0) of each pair's votes,
    revealed votes and votes for an elected candidate (32-bit while they fit: these arrays
    stay in memory for the cache's life); ``names`` the accounts."""

    key: np.ndarray
    stake: np.ndarray
    cast: np.ndarray
    revealed: np.ndarray
    backed: np.ndarray
    names: np.ndarray
    base: int
    span: int

    def cycles(self, at: np.ndarray) -> np.ndarray:
        """The round of the pairs at positions ``at``."""
        return self.key[at] % self.span + self.base


def account_runs(votes: pd.DataFrame, by_pair: Pairs, backed: np.ndarray) -> AccountRuns:
    """:class:`AccountRuns` of ``votes``, their :func:`pairs` and per vote whether it was for
    an elected candidate (:func:`elected_votes`)."""
    codes, _ = account_codes(votes)
    voted = codes >= 0
    base = int(by_pair.cycle.min()) if len(by_pair.cycle) else 0
    span = int(by_pair.cycle.max()) - base + 1 if len(by_pair.cycle) else 1
    size = len(by_pair.names)
    # Each vote's pair: pairs are sorted by round, then account, so their keys are sorted.
    pair_key = (by_pair.cycle - base) * size + by_pair.account
    vote_key = (votes["cycle_id"].to_numpy(dtype="int64")[voted] - base) * size + codes[voted]
    steps = np.diff(vote_key)
    pair_of: np.ndarray | None = None  # None: vote i is pair i (one vote per pair, in order)
    if not (steps >= 0).all():
        pair_of = np.searchsorted(pair_key, vote_key)
    elif len(vote_key) != len(pair_key):  # in pair order, some pairs with several votes
        pair_of = np.concatenate([[0], np.cumsum(steps > 0)])
    revealed = votes["vote_for_candidate_id"].notna().to_numpy(dtype=bool)[voted]
    order = np.argsort(by_pair.account, kind="stable")  # by account, then round

    counts = "int32" if len(vote_key) < 2**31 else "int64"

    def running(per_vote: np.ndarray) -> np.ndarray:
        if pair_of is None:
            per_pair = per_vote.astype(counts)[order]
        else:
            per_pair = np.bincount(pair_of[per_vote], minlength=len(pair_key))[order]
        return np.concatenate([[0], np.cumsum(per_pair, dtype=counts)]).astype(counts)

    return AccountRuns(
        key=by_pair.account[order] * span + (by_pair.cycle[order] - base),
        stake=by_pair.stake[order],
        cast=running(np.ones(len(vote_key), dtype=bool)),
        revealed=running(revealed),
        backed=running(backed[voted]),
        names=by_pair.names,
        base=base,
        span=span,
    )


def _run_sums(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The sum of each run ``values[start : start + length]``, in the run's order with the
    compensated (Kahan) summation pandas' groupby sum uses, so that each sum is pandas'
    to the last bit. Vectorised across the runs: step ``j`` adds the ``j``-th value of every
    run that long."""
    order = np.argsort(-lengths, kind="stable")
    starts, lengths = starts[order], lengths[order]
    total, compensation = np.zeros(len(starts)), np.zeros(len(starts))
    active = len(starts)
    finite = bool(np.isfinite(values).all())
    with np.errstate(invalid="ignore"):  # inf - inf: the NaN pandas resets to 0
        for j in range(int(lengths[0]) if len(lengths) else 0):
            while active and lengths[active - 1] <= j:
                active -= 1
            y = values[starts[:active] + j] - compensation[:active]
            t = total[:active] + y
            step = (t - total[:active]) - y
            if not finite:  # an infinite value: pandas resets the compensation
                step[np.isnan(step)] = 0.0
            compensation[:active], total[:active] = step, t
    out = np.empty(len(starts))
    out[order] = total
    return out


def range_voter_table(runs: AccountRuns, cycle_range: tuple[int, int]) -> pd.DataFrame:
    """:func:`voter_table` of the votes of the rounds in ``cycle_range`` (inclusive), from
    :func:`account_runs` of all the votes: the same rows, figures and order."""
    lo = max(int(cycle_range[0]) - runs.base, 0)
    hi = min(int(cycle_range[1]) - runs.base, runs.span - 1)
    accounts = np.arange(len(runs.names), dtype="int64")
    start = np.searchsorted(runs.key, accounts * runs.span + lo, side="left")
    end = np.searchsorted(runs.key, accounts * runs.span + hi, side="right")
    lengths = end - start
    voted = lengths > 0
    if lo > hi or not voted.any():
        return pd.DataFrame(columns=ACCOUNT_COLUMNS)
    accounts, start, end, lengths = accounts[voted], start[voted], end[voted], lengths[voted]
    total = _run_sums(runs.stake, start, lengths)
    # Runs are disjoint and in order: every other reduceat segment is a run.
    bounds = np.column_stack([start, end]).ravel()
    largest = np.maximum.reduceat(np.append(runs.stake, 0.0), bounds)[::2]
    cast = (runs.cast[end] - runs.cast[start]).astype("int64")
    frame = pd.DataFrame(
        {
            "cast_by": runs.names[accounts],
            "rounds_voted": lengths.astype("int64"),
            "first_round": runs.cycles(start),
            "last_round": runs.cycles(end - 1),
            "total_stake_joy": total,
            "mean_stake_joy": total / lengths,
            "max_stake_joy": largest,
            "revealed_share_pct": (runs.revealed[end] - runs.revealed[start]).astype("int64")
            / cast
            * 100,
            "backed_elected": (runs.backed[end] - runs.backed[start]).astype("int64"),
        }
    )
    order = np.lexsort((accounts, -total))  # the largest total first, then by account
    return frame.take(order).reset_index(drop=True)
