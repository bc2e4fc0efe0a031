"""Live election watch: the current round's stage, its deadlines and the concerns to raise.

Pure functions over the cache's DataFrames (``council.data``); no I/O, no clock of their own:
the caller passes ``now``. Every threshold lives in :class:`WatchThresholds`.

What the cache tells and what is estimated:

- The stage comes from the newest round of the network: finished -> ``idle``; revealing
  recorded -> ``revealing``; voting recorded -> ``voting``; otherwise the round is in its
  announcing stage (``announcing`` once someone has announced a candidacy; before that the
  cache cannot tell the idle stage from announcing, which the stage says).
- The voting and revealing stages carry their end blocks. The announcing stage's end (the
  voting start) is not in the cache: it is estimated from earlier rounds, as the typical
  number of blocks between a council's election and the next voting start.
- The current block is estimated: the newest block in the cache that has a time, advanced by
  one block every 6 seconds up to ``now``. Times of future blocks use the same 6 s blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd

from council.data import CouncilData
from council.stats import elections

BLOCK_SECONDS = 6


@dataclass(frozen=True)
class WatchThresholds:
    """When the watch raises a concern (the one place these numbers live).

    - ``candidate_margin``: warn while candidates < seats + this (an error below seats).
    - ``soon_hours``: a stage ending within this many hours is "ending soon".
    - ``min_votes_per_seat``: voting ending soon with fewer votes than seats x this is low
      participation.
    - ``unrevealed_share``: revealing ending soon with at least this share of votes still
      unrevealed.
    - ``typical_rounds``: how many earlier rounds estimate the announcing stage's length.
    """

    candidate_margin: int = 2
    soon_hours: float = 24.0
    min_votes_per_seat: float = 1.0
    unrevealed_share: float = 0.25
    typical_rounds: int = 5


THRESHOLDS = WatchThresholds()

# Columns with a block and the time it happened, per CouncilData frame.
TIMED_BLOCKS: tuple[tuple[str, str, str], ...] = (
    ("councils", "elected_at_block", "elected_at_time"),
    ("rounds", "ended_at_block", "ended_at_time"),
    ("proposals", "created_at_block", "created_at_time"),
    ("proposals", "status_set_at_block", "status_set_at_time"),
    ("proposal_votes", "voted_at_block", "voted_at_time"),
    ("budget_refills", "block", "time"),
    ("reward_payments", "block", "time"),
    ("councilor_reward_updates", "block", "time"),
)


@dataclass(frozen=True)
class ChainClock:
    """Block <-> time at 6 s a block, from one known (block, time) pair, as of ``now``."""

    anchor_block: int
    anchor_time: datetime
    now: datetime

    @property
    def anchor_age_days(self) -> float:
        """How old the newest timed block in the cache is, in days, at ``now``."""
        return (self.now - self.anchor_time).total_seconds() / 86400

    @property
    def current_block(self) -> int:
        """The estimated block at ``now`` (never before the anchor)."""
        seconds = max(0.0, (self.now - self.anchor_time).total_seconds())
        return self.anchor_block + int(seconds // BLOCK_SECONDS)

    def time_of(self, block: int) -> datetime:
        """The estimated time of ``block``."""
        return self.anchor_time + timedelta(seconds=BLOCK_SECONDS * (block - self.anchor_block))

    def hours_until(self, block: int) -> float:
        """Hours from the current block to ``block`` (negative once it has passed)."""
        return (block - self.current_block) * BLOCK_SECONDS / 3600


def chain_clock(frames: dict[str, pd.DataFrame], now: datetime) -> ChainClock | None:
    """The clock anchored at the newest block with a recorded time in ``frames`` (CouncilData
    attribute name -> frame, see :data:`TIMED_BLOCKS`); None when no block has a time."""
    best: tuple[int, datetime] | None = None
    for name, block_col, time_col in TIMED_BLOCKS:
        frame = frames.get(name)
        if frame is None or frame.empty:
            continue
        timed = frame[[block_col, time_col]].dropna()
        if timed.empty:
            continue
        row = timed.loc[timed[block_col].astype(float).idxmax()]
        if best is None or int(row[block_col]) > best[0]:
            best = (int(row[block_col]), pd.Timestamp(row[time_col]).to_pydatetime())
    return None if best is None else ChainClock(best[0], best[1], now)


def clock_from_data(d: CouncilData, now: datetime) -> ChainClock | None:
    """:func:`chain_clock` over one network's cache tables."""
    return chain_clock({name: getattr(d, name) for name, _, _ in TIMED_BLOCKS}, now)


@dataclass(frozen=True)
class Span:
    """A stage to come: its name, start and end blocks, and which of them are estimated."""

    name: str
    start: int | None
    end: int | None
    start_estimated: bool = False
    end_estimated: bool = True


@dataclass(frozen=True)
class Stage:
    """Where the newest election round stands.

    ``name``: announcing / voting / revealing / idle / none; ``certain`` is False when the
    cache cannot tell idle from announcing; ``ends_block`` None when unknown;
    ``ends_estimated`` when it comes from earlier rounds; ``seats_from_previous`` when the
    round has no seat count yet and the previous round's is used.
    """

    name: str
    cycle_id: int | None = None
    started_block: int | None = None
    ends_block: int | None = None
    ends_estimated: bool = False
    certain: bool = True
    seats: int | None = None
    seats_from_previous: bool = False
    next_stages: list[Span] = field(default_factory=list)

    @property
    def label(self) -> str:
        """The stage as people read it."""
        if self.name == "announcing" and not self.certain:
            return "announcing (or idle: no candidacy yet)"
        return self.name


def _int(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _median(values: pd.Series) -> int | None:
    values = values.dropna()
    return None if values.empty else int(values.median())


def typical_lengths(rounds: pd.DataFrame, last: int) -> dict[str, int | None]:
    """Median lengths in blocks over the ``last`` finished rounds: ``to_voting`` (council
    elected -> voting start), ``voting`` and ``revealing``."""
    done = rounds[rounds["is_finished"].astype(bool)].sort_values("cycle_id").tail(last)
    return {
        "to_voting": _median(done["voting_started_at_block"] - done["started_at_block"]),
        "voting": _median(done["voting_ends_at_block"] - done["voting_started_at_block"]),
        "revealing": _median(done["revealing_ends_at_block"] - done["revealing_started_at_block"]),
    }


def current_stage(
    rounds: pd.DataFrame, candidates: pd.DataFrame, thresholds: WatchThresholds = THRESHOLDS
) -> Stage:
    """The stage of one network's newest round, with its end block and the stages after it."""
    if rounds.empty:
        return Stage("none")
    ordered = rounds.sort_values("cycle_id")
    latest = ordered.iloc[-1]
    cycle = int(latest["cycle_id"])
    seats = _int(latest["seats"])
    from_previous = False
    if seats is None and len(ordered) > 1:
        seats, from_previous = _int(ordered.iloc[-2]["seats"]), True
    base = {"cycle_id": cycle, "seats": seats, "seats_from_previous": from_previous}
    if bool(latest["is_finished"]):
        return Stage("idle", started_block=_int(latest["ended_at_block"]), **base)
    typical = typical_lengths(ordered.iloc[:-1], thresholds.typical_rounds)
    voting_start = _int(latest["voting_started_at_block"])
    voting_end = _int(latest["voting_ends_at_block"])
    revealing_start = _int(latest["revealing_started_at_block"])
    if revealing_start is not None:
        return Stage(
            "revealing",
            started_block=revealing_start,
            ends_block=_int(latest["revealing_ends_at_block"]),
            **base,
        )
    if voting_start is not None:
        length = typical["revealing"]
        after = None if voting_end is None or length is None else voting_end + length
        return Stage(
            "voting",
            started_block=voting_start,
            ends_block=voting_end,
            next_stages=[Span("revealing", voting_end, after)],
            **base,
        )
    started = _int(latest["started_at_block"])
    ends = (
        None if started is None or typical["to_voting"] is None else started + typical["to_voting"]
    )
    running = candidates[candidates["cycle_id"] == cycle]
    voting_end = None if ends is None or typical["voting"] is None else ends + typical["voting"]
    revealing_end = (
        None
        if voting_end is None or typical["revealing"] is None
        else voting_end + typical["revealing"]
    )
    return Stage(
        "announcing",
        started_block=started,
        ends_block=ends,
        ends_estimated=True,
        certain=not running.empty,
        next_stages=[
            Span("voting", ends, voting_end, start_estimated=True),
            Span("revealing", voting_end, revealing_end, start_estimated=True),
        ],
        **base,
    )


@dataclass(frozen=True)
class Tally:
    """The round so far: candidacies and votes."""

    candidates: int
    withdrawn: int
    candidate_stake_joy: float
    votes_cast: int
    voters: int
    unrevealed: int
    vote_stake_joy: float

    @property
    def revealed(self) -> int:
        """Votes revealed so far."""
        return self.votes_cast - self.unrevealed


def round_tally(candidates: pd.DataFrame, round_votes: pd.DataFrame, cycle_id: int) -> Tally:
    """Candidacies (standing, withdrawn, own stake of those standing) and votes of a round.

    ``round_votes`` is ``CouncilData.round_votes`` (per round: votes, voters, unrevealed).
    """
    mine = candidates[candidates["cycle_id"] == cycle_id]
    standing = mine[mine["status"] != "withdrawn"]
    votes = round_votes[round_votes["cycle_id"] == cycle_id]
    first = votes.iloc[0] if len(votes) else None
    return Tally(
        candidates=len(standing),
        withdrawn=len(mine) - len(standing),
        candidate_stake_joy=float(standing["stake_joy"].sum()),
        votes_cast=0 if first is None else int(first["votes_cast"]),
        voters=0 if first is None else int(first["voters"]),
        unrevealed=0 if first is None else int(first["unrevealed_votes"]),
        vote_stake_joy=0.0 if first is None else float(first["total_backing_stake_joy"] or 0.0),
    )


CANDIDATE_LABELS = {
    "handle": "Candidate",
    "outcome": "Status",
    "stake_joy": "Own stake (JOY)",
    "votes_received": "Revealed votes",
    "backing_stake_joy": "Revealed backing stake (JOY)",
    "vote_power_joy": "Vote power (JOY)",
    "rank": "Rank so far",
}


def candidate_table(d: CouncilData, cycle_id: int) -> pd.DataFrame:
    """The round's candidacies as shown: candidate, status, own stake, revealed votes and
    their stake, vote power and rank so far (the election page's statistics), best first."""
    results = elections.candidacy_results(d.rounds, d.candidates, d.candidate_votes, d.members)
    mine = results[results["cycle_id"] == cycle_id].sort_values(
        ["rank", "stake_joy", "handle"], ascending=[True, False, True], na_position="last"
    )
    return mine[list(CANDIDATE_LABELS)].rename(columns=CANDIDATE_LABELS).reset_index(drop=True)


@dataclass(frozen=True)
class Concern:
    """Something the secretary should raise: ``level`` is ``error`` or ``warning``."""

    code: str
    level: str
    message: str


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _hours(hours: float) -> str:
    if hours < 1:
        return f"{max(0, round(hours * 60))} min"
    if hours < 48:
        return f"{hours:.0f} h"
    return f"{hours / 24:.1f} days"


def concerns(
    stage: Stage,
    tally: Tally,
    clock: ChainClock | None,
    thresholds: WatchThresholds = THRESHOLDS,
) -> list[Concern]:
    """The concerns for the current stage, most serious first.

    - ``no_candidates_enough`` (error) / ``low_candidacy`` (warning): announcing with fewer
      candidates than seats / than seats + ``candidate_margin``.
    - ``low_votes``: voting ends within ``soon_hours`` with fewer than
      seats x ``min_votes_per_seat`` votes.
    - ``unrevealed``: revealing ends within ``soon_hours`` with at least ``unrevealed_share``
      of the votes unrevealed.
    - ``stage_overdue``: the stage's end block has passed by the estimated current block: the
      cache is behind the chain.
    Deadlines need the clock; without it only the candidacy concerns can fire.
    """
    found: list[Concern] = []
    hours = None
    if clock is not None and stage.ends_block is not None:
        hours = clock.hours_until(stage.ends_block)
    seats = stage.seats
    if stage.name == "announcing" and seats:
        left = f" with {_hours(hours)} left to announce" if hours is not None and hours > 0 else ""
        if tally.candidates < seats:
            found.append(
                Concern(
                    "no_candidates_enough",
                    "error",
                    f"Only {_plural(tally.candidates, 'candidate')} for {seats} seats{left}: the "
                    "election cannot fill the council; announcing will start again.",
                )
            )
        elif tally.candidates < seats + thresholds.candidate_margin:
            found.append(
                Concern(
                    "low_candidacy",
                    "warning",
                    f"Low candidacy: {_plural(tally.candidates, 'candidate')} for {seats} "
                    f"seats{left} "
                    f"(fewer than seats + {thresholds.candidate_margin}): little choice for "
                    "voters.",
                )
            )
    soon = hours is not None and 0 <= hours <= thresholds.soon_hours
    if stage.name == "voting" and soon and seats:
        needed = seats * thresholds.min_votes_per_seat
        if tally.votes_cast < needed:
            found.append(
                Concern(
                    "low_votes",
                    "warning",
                    f"Voting ends in {_hours(hours)} and only {tally.votes_cast} votes are in "
                    f"for {seats} seats (fewer than {needed:g}).",
                )
            )
    if stage.name == "revealing" and soon and tally.votes_cast:
        share = tally.unrevealed / tally.votes_cast
        if share >= thresholds.unrevealed_share:
            found.append(
                Concern(
                    "unrevealed",
                    "warning",
                    f"Revealing ends in {_hours(hours)} and {tally.unrevealed} of "
                    f"{tally.votes_cast} votes ({share:.0%}) are not revealed yet: unrevealed "
                    "votes do not count.",
                )
            )
    if hours is not None and hours < 0 and stage.name in ("voting", "revealing", "announcing"):
        found.append(
            Concern(
                "stage_overdue",
                "warning",
                f"The {stage.name} stage should have ended at block #{stage.ends_block:,} "
                f"{'(estimated) ' if stage.ends_estimated else ''}by the estimated current "
                f"block #{clock.current_block:,}: the cache is behind the chain; refresh it."
                + (
                    " (Announcing also starts again when too few candidates announced; the "
                    "cache does not record when it did.)"
                    if stage.name == "announcing"
                    else ""
                ),
            )
        )
    return sorted(found, key=lambda c: c.level != "error")


def block_text(block: int | None, clock: ChainClock | None, estimated: bool = False) -> str:
    """``#576,001 · 2023-02-10 10:00 UTC`` (``≈`` before estimated blocks, not ``~``, which
    forum markdown reads as strikethrough; dates at 6 s a block from the clock's anchor)."""
    if block is None:
        return "not recorded"
    text = f"{'≈' if estimated else ''}#{block:,}"
    if clock is not None:
        text += f" · {clock.time_of(block):%Y-%m-%d %H:%M} UTC"
    return text


def countdown(stage: Stage, clock: ChainClock | None) -> str:
    """Time left in the stage (``"2 d 3 h"``, ``"45 min"``), ``"ended"`` or ``"unknown"``."""
    if clock is None or stage.ends_block is None:
        return "unknown"
    blocks = stage.ends_block - clock.current_block
    if blocks <= 0:
        return "ended"
    minutes = blocks * BLOCK_SECONDS // 60
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def schedule(stage: Stage, clock: ChainClock | None) -> pd.DataFrame:
    """The current stage and the ones after it: stage, start and end (block and UTC time)."""
    now = Span(stage.label, stage.started_block, stage.ends_block, False, stage.ends_estimated)
    spans = [now, *stage.next_stages]
    return pd.DataFrame(
        {
            "Stage": [s.name for s in spans],
            "Starts (block · UTC)": [block_text(s.start, clock, s.start_estimated) for s in spans],
            "Ends (block · UTC)": [block_text(s.end, clock, s.end_estimated) for s in spans],
        }
    )


def forum_post(
    network: str, stage: Stage, tally: Tally, clock: ChainClock | None, found: list[Concern]
) -> str:
    """Markdown for the forum or Discord: the stage, its deadline, the tally and concerns."""
    if stage.name == "none":
        return f"## Council election ({network})\n\nNo election round in the data.\n"
    lines = [
        f"## Council election round {stage.cycle_id} ({network}): {stage.label} stage",
        "",
    ]
    if stage.name == "idle":
        lines.append(f"- The round ended at block {block_text(stage.started_block, clock)}.")
    else:
        lines.append(
            f"- Stage ends: {block_text(stage.ends_block, clock, stage.ends_estimated)} "
            f"(time left: {countdown(stage, clock)})"
        )
        for span in stage.next_stages:
            lines.append(
                f"- Then {span.name}: {block_text(span.start, clock, span.start_estimated)} to "
                f"{block_text(span.end, clock, span.end_estimated)}"
            )
    seats = "not known yet" if stage.seats is None else str(stage.seats)
    lines += [
        f"- Seats: {seats}; candidates: {tally.candidates} "
        f"(own stake {tally.candidate_stake_joy:,.0f} JOY)"
        + (f", {tally.withdrawn} withdrew" if tally.withdrawn else ""),
        f"- Votes: {tally.votes_cast} cast by {tally.voters} accounts "
        f"({tally.vote_stake_joy:,.0f} JOY), {tally.revealed} revealed",
    ]
    if found:
        lines += ["", "**Concerns**", ""]
        lines += [f"- ⚠ {c.message}" for c in found]
    if clock is not None:
        lines += [
            "",
            f"_Times are estimated at 6 s a block from block #{clock.anchor_block:,} "
            f"({clock.anchor_time:%Y-%m-%d %H:%M} UTC); current block ≈ "
            f"#{clock.current_block:,}._",
        ]
    return "\n".join(lines) + "\n"
