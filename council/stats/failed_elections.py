"""Failed election attempts: each one attached to its round, with its reason and its delay.

Pure pandas, no I/O. Inputs are one network's frames of ``council.data`` (``for_network``).

When announcing ends with too few candidates (``NotEnoughCandidates``), or revealing ends with
fewer candidates holding revealed votes than there are seats (``NewCouncilNotElected``), the
chain starts announcing again. Joystream's query node then finishes the running round with the
ruling council as its "next" council and opens the next cycle under the same council, at the
event's block. The event itself carries only that block, so it is attached here: the k-th
failure (by block) while a council rules belongs to the k-th round (by cycle) run under it.
"""

from __future__ import annotations

import pandas as pd

NOT_ENOUGH_CANDIDATES = "not enough candidates"
NOT_ELECTED = "new council not elected"
# Mainnet runtime: candidates needed = CouncilSize + MinNumberOfExtraCandidates (= 0).
MIN_EXTRA_CANDIDATES = 0
BLOCK_SECONDS = 6

ATTEMPT_COLUMNS = [
    "cycle_id",
    "kind",
    "block",
    "time",
    "seats",
    "stood",
    "needed",
    "with_votes",
    "reason",
    "attempt_started_at_block",
    "delay_blocks",
    "delay_days",
]


def _int(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def attach_to_rounds(
    failures: pd.DataFrame, rounds: pd.DataFrame, councils: pd.DataFrame
) -> pd.DataFrame:
    """``failures`` (``election_failures`` rows) with ``council_id`` and ``cycle_id`` added.

    The council is the one ruling at the failure's block (the newest elected at or before
    it); the k-th failure under a council (by block, then id) is the k-th round run under it
    (``election_rounds.council_id``, by cycle). ``cycle_id`` is null when there is no such
    round or that round elected a new council (the data disagree), ``council_id`` when no
    council of the cache was elected by then. Sorted by block.
    """
    frame = failures.sort_values(["block", "id"]).reset_index(drop=True).copy()
    elected = councils.dropna(subset=["elected_at_block"]).sort_values("elected_at_block")
    starts = elected["elected_at_block"].astype("int64").tolist()
    ids = elected["id"].tolist()
    council_of = []
    for block in frame["block"]:
        before = [i for i, start in enumerate(starts) if block is not None and start <= block]
        council_of.append(ids[before[-1]] if before else None)
    frame["council_id"] = pd.Series(council_of, index=frame.index, dtype="object")
    frame["cycle_id"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    for council, group in frame.groupby("council_id", sort=False):
        under = rounds[rounds["council_id"] == council].sort_values("cycle_id")
        for k, index in enumerate(group.index):
            if k >= len(under):
                break
            this_round = under.iloc[k]
            next_council = this_round["next_council_id"]
            if pd.notna(next_council) and next_council != council:
                continue  # that round elected a council: not a failed one
            frame.loc[index, "cycle_id"] = int(this_round["cycle_id"])
    return frame


def _attempt_start(
    block: int, council_start: int | None, earlier: list[int], announcing: list[int]
) -> int | None:
    """Where the failed attempt began: the latest of its council's election, an earlier
    failure under it (a restart) and an announcing stage that began before ``block``."""
    floor = council_start if council_start is not None else -1
    candidates = [b for b in [council_start, *earlier, *announcing] if b is not None]
    candidates = [b for b in candidates if floor <= b < block]
    return max(candidates) if candidates else None


def reason_text(kind: str, stood: int | None, needed: int | None,
                with_votes: int | None, seats: int | None) -> str:  # fmt: skip
    """The reason as people read it, e.g. ``Not enough candidates: 2 stood, 3 needed``."""

    def count(value: int | None) -> str:
        return "not recorded" if value is None else f"{value:,}"

    if kind == NOT_ENOUGH_CANDIDATES:
        return f"Not enough candidates: {count(stood)} stood, {count(needed)} needed"
    if kind == NOT_ELECTED:
        noun = "candidate" if with_votes == 1 else "candidates"
        return (
            f"No new council elected (not enough revealed votes): {count(with_votes)} {noun} "
            f"got revealed votes for {count(seats)} seats"
        )
    return kind


def failed_attempts(
    failures: pd.DataFrame,
    rounds: pd.DataFrame,
    councils: pd.DataFrame,
    candidates: pd.DataFrame,
    stage_updates: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per failed election attempt, oldest first (:data:`ATTEMPT_COLUMNS`).

    ``stood``: the round's candidacies not withdrawn; ``needed``: its seats +
    :data:`MIN_EXTRA_CANDIDATES` (not enough candidates only). ``with_votes``: candidacies
    with revealed vote power (new council not elected only). ``delay_blocks``: how long the
    failed attempt ran, from its start (:func:`_attempt_start`; announcing stage updates
    place it when the cache has them) to the failure: the restart runs the election again,
    so the new council comes that much later. Null where the data do not tell.
    """
    if failures.empty:
        return pd.DataFrame(columns=ATTEMPT_COLUMNS)
    frame = attach_to_rounds(failures, rounds, councils)
    seats_of = rounds.set_index("cycle_id")["seats"]
    elected_at = councils.set_index("id")["elected_at_block"]
    announcing: list[int] = []
    if stage_updates is not None and not stage_updates.empty:
        starts = stage_updates.loc[stage_updates["stage"] == "announcing", "changed_at_block"]
        announcing = [int(b) for b in starts.dropna()]
    rows = []
    for _, failure in frame.iterrows():
        cycle = _int(failure["cycle_id"])
        block = _int(failure["block"])
        mine = candidates[candidates["cycle_id"] == cycle] if cycle is not None else None
        standing = None if mine is None else mine[mine["status"] != "withdrawn"]
        seats = _int(seats_of.get(cycle)) if cycle is not None else None
        kind = failure["kind"]
        stood = None if standing is None else len(standing)
        needed = None if seats is None else seats + MIN_EXTRA_CANDIDATES
        with_votes = None
        if standing is not None and kind == NOT_ELECTED:
            with_votes = int((pd.to_numeric(standing["vote_power_joy"]).fillna(0) > 0).sum())
        council = failure["council_id"]
        council_start = _int(elected_at.get(council)) if council is not None else None
        earlier = frame.loc[
            (frame["council_id"] == council) & (frame["block"] < block), "block"
        ].tolist()
        start = None if block is None else _attempt_start(block, council_start, earlier,
                                                          announcing)  # fmt: skip
        delay = None if start is None else block - start
        rows.append(
            {
                "cycle_id": cycle,
                "kind": kind,
                "block": block,
                "time": failure["time"],
                "seats": seats,
                "stood": stood if kind == NOT_ENOUGH_CANDIDATES else None,
                "needed": needed if kind == NOT_ENOUGH_CANDIDATES else None,
                "with_votes": with_votes,
                "reason": reason_text(kind, stood, needed, with_votes, seats),
                "attempt_started_at_block": start,
                "delay_blocks": delay,
                "delay_days": None if delay is None else delay * BLOCK_SECONDS / 86_400,
            }
        )
    out = pd.DataFrame(rows, columns=ATTEMPT_COLUMNS)
    for column in ("cycle_id", "block", "seats", "stood", "needed", "with_votes",
                   "attempt_started_at_block", "delay_blocks"):  # fmt: skip
        out[column] = pd.to_numeric(out[column]).astype("Int64")
    out["delay_days"] = pd.to_numeric(out["delay_days"]).astype("float64")
    return out


def data_attempts(d) -> pd.DataFrame:
    """:func:`failed_attempts` of one network's ``CouncilData``."""
    return failed_attempts(
        d.election_failures, d.rounds, d.councils, d.candidates, d.council_stage_updates
    )


def revealed_candidates(candidates: pd.DataFrame, cycle_id: int) -> int:
    """Candidacies of round ``cycle_id`` (not withdrawn) with revealed vote power so far."""
    mine = candidates[(candidates["cycle_id"] == cycle_id) & (candidates["status"] != "withdrawn")]
    return int((pd.to_numeric(mine["vote_power_joy"]).fillna(0) > 0).sum())
