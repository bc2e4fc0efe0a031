"""Headline facts for the overview page. Pure pandas, no I/O."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from council.data import EVENT_BLOCKS, CouncilData
from council.stats import elections


@dataclass(frozen=True)
class Headline:
    """A network's totals and its span of rounds."""

    rounds: int
    candidacies: int
    distinct_candidates: int
    votes: int | None  # None: no round's votes are recorded
    first_cycle: int | None
    last_cycle: int | None
    last_elected_cycle: int | None
    first_round_end: pd.Timestamp | None
    last_round_end: pd.Timestamp | None


def headline(data: CouncilData) -> Headline:
    """Totals over one network's data.

    ``votes`` adds the election page's votes cast per round (:func:`elections.votes_cast`:
    a winners-only round counts the votes its election totals record, and a round whose
    votes nothing records adds nothing); None when no round's votes are recorded.
    """
    votes = elections.votes_cast(data.rounds, data.round_votes, data.archive_election_stats).sum(
        min_count=1
    )
    ended = data.rounds["ended_at_time"].dropna()
    elected = data.candidates[data.candidates["status"] == "elected"]
    return Headline(
        rounds=len(data.rounds),
        candidacies=len(data.candidates),
        distinct_candidates=int(data.candidates["member_id"].nunique()),
        votes=None if pd.isna(votes) else int(votes),
        first_cycle=int(data.rounds["cycle_id"].min()) if len(data.rounds) else None,
        last_cycle=int(data.rounds["cycle_id"].max()) if len(data.rounds) else None,
        last_elected_cycle=int(elected["cycle_id"].max()) if len(elected) else None,
        first_round_end=ended.min() if len(ended) else None,
        last_round_end=ended.max() if len(ended) else None,
    )


def latest_council(data: CouncilData) -> pd.DataFrame:
    """The candidacies elected in the most recent round that elected anyone, best first."""
    elected = data.candidates[data.candidates["status"] == "elected"]
    if elected.empty:
        return elected.assign(handle=pd.Series(dtype="object"))
    last = elected[elected["cycle_id"] == elected["cycle_id"].max()]
    named = last.merge(
        data.members[["network", "id", "handle"]].rename(columns={"id": "member_id"}),
        on=["network", "member_id"],
        how="left",
    )
    return named.sort_values("vote_power_joy", ascending=False).reset_index(drop=True)


def missing_rounds(cycle_ids: Iterable[int]) -> list[tuple[int, int]]:
    """The round numbers between the first and the last round given that are not given, as
    ``(first, last)`` runs: ``[1, 2, 4, 8]`` -> ``[(3, 3), (5, 7)]``."""
    present = sorted({int(c) for c in cycle_ids if not pd.isna(c)})
    gaps = []
    for before, after in itertools.pairwise(present):
        if after - before > 1:
            gaps.append((before + 1, after - 1))
    return gaps


def missing_rounds_note(cycle_ids: Iterable[int]) -> str | None:
    """One sentence naming the rounds missing from the data (``None`` when none are):
    ``"Round 3 is not in the data."``, ``"Rounds 10–16 and 20 are not in the data."``."""
    gaps = missing_rounds(cycle_ids)
    if not gaps:
        return None
    names = [str(a) if a == b else f"{a}–{b}" for a, b in gaps]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    plural = len(gaps) > 1 or gaps[0][0] != gaps[0][1]
    return f"Round{'s' if plural else ''} {listed} {'are' if plural else 'is'} not in the data."


def latest_council_heading(facts: Headline) -> str:
    """The Overview's heading above the latest council: its election round, or that the data
    records no elected candidate (never "round None")."""
    if facts.last_elected_cycle is None:
        return "Latest council (no elected candidate in the data)"
    return f"Latest council (elected in round {facts.last_elected_cycle})"


@dataclass(frozen=True)
class DataEnd:
    """The newest thing a network's data records: its block and time (either may be
    unknown), and whether that time is estimated from the block number."""

    block: int | None
    time: pd.Timestamp | None
    estimated: bool = False


# Where a network's newest record can be, besides the large event tables (``data.EVENT_BLOCKS``,
# read by their newest row only): (CouncilData frame, block column, time column, whether the
# row may anchor the chain clock). Not a stage update (its time is when the query node saved
# it), nor a council's end: in fetched data it is the next council's election (counted there),
# in the archives a term report's end, after the last round, with a time estimated otherwise
# than at 6 s a block (the watch's dates of the last round would move by days).
_DATED = (
    ("rounds", "ended_at_block", "ended_at_time", True),
    ("councils", "elected_at_block", "elected_at_time", True),
    ("councils", "ended_at_block", "ended_at_time", False),
    ("council_stage_updates", "changed_at_block", "changed_at_time", False),
)
_EVENTS = tuple((table, block, time, True) for table, block, time in EVENT_BLOCKS)
_RECORD_COLUMNS = ("table", "block", "time", "estimated", "clock")


def dated_records(
    frames: Mapping[str, pd.DataFrame], newest_events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every dated row one network's data holds: ``table``, ``block``, ``time``,
    ``estimated`` (the time is estimated from the block number) and ``clock`` (the row may
    anchor the chain clock: see ``_DATED``).

    ``frames``: CouncilData frames by attribute name (absent ones count as empty): the small
    tables of ``_DATED`` and any of ``data.EVENT_BLOCKS`` given whole; ``newest_events``:
    the newest rows of the event tables (``CouncilData.newest_events``), instead of reading
    them whole. Council times come from the same records as round times: estimated where any
    of the network's round times is.
    """
    rounds = frames.get("rounds")
    rounds_estimated = (
        rounds is not None
        and "ended_at_time_estimated" in rounds.columns
        and bool(rounds["ended_at_time_estimated"].fillna(False).astype(bool).any())
    )
    parts = []
    for table, block, time, clock in _DATED + _EVENTS:
        frame = frames.get(table)
        if frame is None or frame.empty or block not in frame.columns:
            continue
        if table == "rounds" and "ended_at_time_estimated" in frame.columns:
            estimated = frame["ended_at_time_estimated"].fillna(False).astype(bool)
        else:
            estimated = pd.Series(table == "councils" and rounds_estimated, index=frame.index)
        parts.append(
            pd.DataFrame(
                {
                    "table": table,
                    "block": pd.to_numeric(frame[block], errors="coerce"),
                    "time": pd.to_datetime(frame[time], utc=True, errors="coerce"),
                    "estimated": estimated.astype(bool),
                    "clock": clock,
                }
            )
        )
    if newest_events is not None and len(newest_events):
        events = newest_events.reset_index(drop=True)
        parts.append(
            pd.DataFrame(
                {
                    "table": events["table"].astype(object),
                    "block": pd.to_numeric(events["block"]).astype("float64"),
                    "time": pd.to_datetime(events["time"], utc=True, errors="coerce"),
                    "estimated": False,
                    "clock": True,
                }
            )
        )
    if not parts:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in _RECORD_COLUMNS})
    records = pd.concat(parts, ignore_index=True)
    return records.dropna(how="all", subset=["block", "time"]).reset_index(drop=True)


def newest_record(records: pd.DataFrame) -> DataEnd | None:
    """The newest of :func:`dated_records`' rows; None when there are none.

    The newest block decides (blocks are exact); the newest time where no block is known.
    At equal blocks a row marked estimated wins: its time is called estimated, not exact.
    """
    if records.empty:
        return None
    by = ["block", "time", "estimated"] if records["block"].notna().any() else ["time", "estimated"]
    newest = records.sort_values(by, na_position="first").iloc[-1]
    return DataEnd(
        block=None if pd.isna(newest["block"]) else int(newest["block"]),
        time=None if pd.isna(newest["time"]) else newest["time"],
        estimated=bool(newest["estimated"]) and not pd.isna(newest["time"]),
    )


def _records_of(data: CouncilData) -> pd.DataFrame:
    frames = {name: getattr(data, name) for name in dict.fromkeys(t for t, *_ in _DATED)}
    return dated_records(frames, data.newest_events)


def data_end(data: CouncilData) -> DataEnd | None:
    """Where one network's data ends: the newest block (with its time) among its rounds,
    councils (elected and ended), council stage changes and every event table with a block
    (``data.EVENT_BLOCKS``: proposals (created and decided), proposal votes, council budget
    and reward events, failed elections, working-group events and workers' hires and exits;
    each read by its newest row only); ``None`` when nothing is dated. Votes record no block
    (their round's do).

    This is how current the data is, which a cache's refresh time does not say (the bundled
    snapshot is rebuilt today from records that end in 2022). The one place that says it:
    the Overview, every page's sidebar and "as of" line (``ui.data_ends``) and the chain
    clock (:func:`newest_timed_block`) read it.
    """
    return newest_record(_records_of(data))


def newest_timed_block(data: CouncilData) -> DataEnd | None:
    """The chain clock's anchor (``council.watch``): the newest block of one network's data
    with a time, as :func:`data_end` finds it among the rows with both that may anchor the
    clock (not a council stage update, whose time is when the query node saved it, nor a
    council's end: see ``_DATED``). None when no block has a time."""
    return timed_block(_records_of(data))


def timed_block(records: pd.DataFrame) -> DataEnd | None:
    """:func:`newest_record` of the ``records`` with a block and a time that may anchor the
    chain clock."""
    if records.empty:
        return None
    timed = records[records["clock"].astype(bool)].dropna(subset=["block", "time"])
    return newest_record(timed)
