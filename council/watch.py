"""Live election watch: the current round's stage, its deadlines and the concerns to raise.

Pure functions over the cache's DataFrames (``council.data``); no I/O, no clock of their own:
the caller passes ``now``. Every threshold lives in :class:`WatchThresholds`.

What the cache tells and what is estimated:

- When the cache holds the query node's council stage updates for the network (a fetched
  cache), the stage is the newest update's: ``idle`` and ``announcing`` with the exact block
  they end at; ``election`` is the referendum, whose ``voting`` or ``revealing`` stage and end
  block the newest round records. (A node that leaves ``endsAt`` unset gives no end block:
  announcing's is then estimated as below, idle's is unknown.)
- Without stage updates (the bundled snapshot, the testnet archive) the stage comes from the
  newest round: finished -> ``idle``; revealing recorded -> ``revealing``; voting recorded ->
  ``voting``; otherwise ``announcing`` (once someone has announced a candidacy; before that
  the cache cannot tell the idle stage from announcing, which the stage says), whose end (the
  voting start) is then estimated from earlier rounds, as the typical number of blocks between
  a council's election and the next voting start.
- Stages after the current one start exactly where it ends; their lengths are estimated from
  earlier rounds (marked ≈).
- The current block is estimated: the newest block in the cache that has a time, advanced by
  one block every 6 seconds up to ``now``. Times of future blocks use the same 6 s blocks.
  When the newest round has finished and that block is older than
  ``WatchThresholds.historical_days``, the data is historical (e.g. a testnet that no longer
  runs): the clock stops at that block instead of extrapolating to today.
- Every date is therefore estimated (shown with ≈) except the anchor block's own, and that
  one too when the cache marks its time estimated (a testnet archive's round end).
- A stage update's own time (``changed_at_time``) is when the query node saved it, not a block
  time, so it does not anchor the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

import pandas as pd

from council.data import CouncilData
from council.stats import elections, failed_elections, one_round, overview

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
    - ``historical_days``: when the newest round has finished and the newest block with a time
      is older than this, the data is historical: no current block is extrapolated.
    """

    candidate_margin: int = 2
    soon_hours: float = 24.0
    min_votes_per_seat: float = 1.0
    unrevealed_share: float = 0.25
    typical_rounds: int = 5
    historical_days: float = 30.0


THRESHOLDS = WatchThresholds()


@dataclass(frozen=True)
class ChainClock:
    """Block <-> time at 6 s a block, from one known (block, time) pair, as of ``now``.

    A ``stopped`` clock (historical data) stays at its anchor: its current block is the
    anchor block, whatever ``now`` is. ``anchor_estimated``: the anchor's own time is an
    estimate in the cache.
    """

    anchor_block: int
    anchor_time: datetime
    now: datetime
    stopped: bool = False
    anchor_estimated: bool = False

    def time_estimated(self, block: int) -> bool:
        """True unless ``block`` is the anchor and the cache records its time exactly."""
        return block != self.anchor_block or self.anchor_estimated

    def anchor_text(self, pattern: str = "%Y-%m-%d %H:%M") -> str:
        """The anchor's time as ``pattern`` (``≈`` before it when estimated)."""
        return f"{'≈' if self.anchor_estimated else ''}{self.anchor_time:{pattern}}"

    @property
    def anchor_age_days(self) -> float:
        """How old the newest timed block in the cache is, in days, at ``now``."""
        return (self.now - self.anchor_time).total_seconds() / 86400

    @property
    def current_block(self) -> int:
        """The estimated block at ``now`` (never before the anchor; the anchor when stopped)."""
        if self.stopped:
            return self.anchor_block
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
    attribute name -> frame: the tables ``council.stats.overview.dated_records`` reads, each
    whole); None when no block has a time."""
    return clock_at(overview.timed_block(overview.dated_records(frames)), now)


def clock_at(anchor: overview.DataEnd | None, now: datetime) -> ChainClock | None:
    """The clock anchored at ``anchor`` (a block and its time); None without one."""
    if anchor is None or anchor.block is None or anchor.time is None:
        return None
    return ChainClock(
        anchor.block,
        pd.Timestamp(anchor.time).to_pydatetime(),
        now,
        anchor_estimated=anchor.estimated,
    )


def clock_from_data(d: CouncilData, now: datetime) -> ChainClock | None:
    """The clock over one network's cache tables, anchored where its data ends
    (``council.stats.overview.newest_timed_block``: every table with a block, event tables
    read by their newest row only)."""
    return clock_at(overview.newest_timed_block(d), now)


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
    round has no seat count yet and the previous round's is used. ``update_block`` is the
    block of the council stage update the stage comes from (None: the stage comes from the
    rounds alone); ``historical`` when the data is historical (see :func:`watch_state`).
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
    update_block: int | None = None
    historical: bool = False

    @property
    def qualifier(self) -> str | None:
        """What qualifies the stage's name, if anything (uncertain, or historical data)."""
        if self.name == "announcing" and not self.certain:
            return "or idle: no candidacy yet"
        if self.historical:
            return "historical"
        return None

    @property
    def label(self) -> str:
        """The stage as people read it."""
        return f"{self.name} ({self.qualifier})" if self.qualifier else self.name

    @property
    def from_stage_update(self) -> bool:
        """True when the stage comes from the query node's council stage updates."""
        return self.update_block is not None


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


def newest_stage_update(stage_updates: pd.DataFrame | None) -> pd.Series | None:
    """The newest council stage update (highest ``changed_at_block``, then ``id``) that names
    a stage; None when there is none (no updates, or only ``VariantNone`` ones)."""
    if stage_updates is None or stage_updates.empty:
        return None
    named = stage_updates.dropna(subset=["stage", "changed_at_block"])
    if named.empty:
        return None
    return named.sort_values(["changed_at_block", "id"]).iloc[-1]


def _plus(block: int | None, length: int | None) -> int | None:
    return None if block is None or length is None else block + length


def _from_stage_update(
    update: pd.Series, typical: dict[str, int | None], round_start: int | None, base: dict
) -> Stage | None:
    """The idle or announcing stage as the newest stage update gives it, with its exact end
    block (None for the election stage: the round's referendum blocks tell voting from
    revealing). A node that leaves ``endsAt`` unset gives no end: announcing's is then
    estimated from the round's start (``round_start``) like without updates; idle's is
    unknown."""
    name = update["stage"]
    changed = _int(update["changed_at_block"])
    ends = _int(update["ends_at_block"])
    if name == "idle":
        announcing = _plus(ends, typical.get("announcing"))
        return Stage(
            "idle",
            started_block=changed,
            ends_block=ends,
            update_block=changed,
            next_stages=[] if ends is None else [Span("announcing", ends, announcing)],
            **base,
        )
    if name == "announcing":
        estimated = ends is None
        if estimated:
            ends = _plus(round_start, typical["to_voting"])
        voting_end = _plus(ends, typical["voting"])
        return Stage(
            "announcing",
            started_block=changed,
            ends_block=ends,
            ends_estimated=estimated,
            update_block=changed,
            next_stages=[
                Span("voting", ends, voting_end, start_estimated=estimated),
                Span("revealing", voting_end, _plus(voting_end, typical["revealing"]), True),
            ],
            **base,
        )
    return None


def _announcing_length(stage_updates: pd.DataFrame | None, last: int) -> int | None:
    """Median announcing length in blocks over the ``last`` announcing stage updates."""
    if stage_updates is None or stage_updates.empty:
        return None
    announcing = stage_updates[stage_updates["stage"] == "announcing"]
    announcing = announcing.sort_values("changed_at_block").tail(last)
    return _median(announcing["ends_at_block"] - announcing["changed_at_block"])


def current_stage(
    rounds: pd.DataFrame,
    candidates: pd.DataFrame,
    thresholds: WatchThresholds = THRESHOLDS,
    stage_updates: pd.DataFrame | None = None,
) -> Stage:
    """The stage of one network's newest round, with its end block and the stages after it.

    With ``stage_updates`` (the network's ``council_stage_updates``), the newest update that
    names a stage decides idle and announcing, with their exact end blocks; without them, or
    in the election stage, the newest round's blocks do (see the module docstring).
    """
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
    finished = bool(latest["is_finished"])
    earlier = ordered if finished else ordered.iloc[:-1]
    typical = typical_lengths(earlier, thresholds.typical_rounds)
    update = newest_stage_update(stage_updates)
    if update is not None:
        typical["announcing"] = _announcing_length(stage_updates, thresholds.typical_rounds)
        exact = _from_stage_update(update, typical, _int(latest["started_at_block"]), base)
        if exact is not None:
            return exact
        if not finished:  # the election stage: the round's referendum blocks say which part
            base["update_block"] = _int(update["changed_at_block"])
    if finished:
        return Stage("idle", started_block=_int(latest["ended_at_block"]), **base)
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
    if base.get("update_block") is not None:  # election begun, voting not recorded yet
        return Stage("voting", started_block=base["update_block"], **base)
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


def is_historical(
    rounds: pd.DataFrame, clock: ChainClock | None, thresholds: WatchThresholds = THRESHOLDS
) -> bool:
    """True when the newest round has finished and the newest block with a time is more than
    ``historical_days`` old at the clock's ``now``: a chain whose data stopped long ago."""
    if clock is None or rounds.empty:
        return False
    latest = rounds.sort_values("cycle_id").iloc[-1]
    return bool(latest["is_finished"]) and clock.anchor_age_days > thresholds.historical_days


def watch_state(
    d: CouncilData, now: datetime, thresholds: WatchThresholds = THRESHOLDS
) -> tuple[Stage, ChainClock | None]:
    """The stage and the clock for one network's cache (``CouncilData.for_network``).

    The stage comes from the council stage updates when the cache has them
    (:func:`current_stage`). Historical data (:func:`is_historical`) gets a stopped clock (the
    current block is the newest timed block, not an extrapolation to ``now``) and a stage
    marked historical.
    """
    clock = clock_from_data(d, now)
    stage = current_stage(d.rounds, d.candidates, thresholds, d.council_stage_updates)
    if clock is not None and is_historical(d.rounds, clock, thresholds):
        return replace(stage, historical=True), replace(clock, stopped=True)
    return stage, clock


def stage_source_note(stage: Stage) -> str:
    """Where the stage and its end block come from, in one sentence for the page."""
    if stage.name == "none":
        return "No election round in the data."
    if stage.from_stage_update:
        if stage.name in ("idle", "announcing") and stage.ends_block is None:
            return (
                f"Stage from the query node's council stage update at block "
                f"#{stage.update_block:,}; the node does not record when it ends."
            )
        if stage.name in ("idle", "announcing") and stage.ends_estimated:
            return (
                f"Stage from the query node's council stage update at block "
                f"#{stage.update_block:,}; the node does not record when it ends, so the end "
                "is estimated from earlier rounds (≈)."
            )
        if stage.name in ("idle", "announcing"):
            return (
                f"Stage and end block from the query node's council stage update at block "
                f"#{stage.update_block:,} (exact); ≈ marks lengths of later stages estimated "
                "from earlier rounds."
            )
        return (
            f"Election stage from the query node's council stage update at block "
            f"#{stage.update_block:,}; {stage.name} and its end block from the round's "
            "referendum blocks (exact)."
        )
    text = (
        "The cache has no council stage updates for this network, so the stage comes from the "
        "newest round's voting and revealing blocks"
    )
    if stage.ends_estimated:
        return text + "; the end of announcing is estimated from earlier rounds (≈)."
    return text + "."


def end_block_help(stage: Stage) -> str | None:
    """Where the stage's end block comes from (None when that goes without saying)."""
    if stage.ends_estimated:
        return "Estimated from earlier rounds."
    if stage.from_stage_update and stage.name in ("idle", "announcing") and stage.ends_block:
        return "From the query node's council stage update (exact)."
    return None


def clock_note(clock: ChainClock) -> str:
    """How the current block and block times are worked out, in one paragraph for the page."""
    anchor = f"#{clock.anchor_block:,} at {clock.anchor_text()} UTC"
    if clock.stopped:
        return (
            f"Historical data: the newest block in the cache with a time is {anchor}, "
            f"{clock.anchor_age_days:.0f} days ago, and the newest round has finished. No "
            "current block is extrapolated to today; block times below are at 6 seconds a "
            "block from that block."
        )
    return (
        f"Current block ≈ #{clock.current_block:,}: estimated from the newest block in the "
        f"cache with a time ({anchor}), advanced by one block every 6 seconds. Block times "
        "below use the same rule; ≈ marks blocks estimated from earlier rounds and estimated "
        "times."
        + (
            f" The newest timed block is {clock.anchor_age_days:.0f} days old, so the current "
            "block is an extrapolation: refresh the cache."
            if clock.anchor_age_days >= 1
            else ""
        )
    )


def stage_notes(stage: Stage, clock: ChainClock | None) -> list[str]:
    """Notes to show beside the stage: no election running, historical data, or a stage the
    cache cannot tell apart."""
    notes = []
    if stage.name == "idle" and stage.historical and clock is not None:
        notes.append(
            f"No election is running in this data: the newest round ended at block "
            f"{block_text(stage.started_block, clock)}, and the newest block with a time is "
            f"#{clock.anchor_block:,} ({clock.anchor_text('%Y-%m-%d')} UTC, "
            f"{clock.anchor_age_days:.0f} days ago). This chain's data is historical."
        )
    elif stage.name == "idle":
        ends = (
            f" The idle stage ends at block {block_text(stage.ends_block, clock)}, when "
            "announcing starts."
            if stage.ends_block is not None
            else " The next round appears here after a refresh once it has started."
        )
        notes.append("No election is running in this data: the newest round has finished." + ends)
    if stage.name == "announcing" and not stage.certain:
        notes.append("No candidacy yet: the cache cannot tell the idle stage from announcing.")
    return notes


@dataclass(frozen=True)
class Tally:
    """The round so far: candidacies and votes (the vote figures None when the round's source
    does not record its votes)."""

    candidates: int
    withdrawn: int
    candidate_stake_joy: float
    votes_cast: int | None
    voters: int | None
    unrevealed: int | None
    vote_stake_joy: float | None

    @property
    def votes_recorded(self) -> bool:
        """False when the round's source does not record its votes."""
        return self.votes_cast is not None

    @property
    def revealed(self) -> int | None:
        """Votes revealed so far (None when the votes are not recorded)."""
        if self.votes_cast is None or self.unrevealed is None:
            return None
        return self.votes_cast - self.unrevealed


def round_tally(
    candidates: pd.DataFrame,
    round_votes: pd.DataFrame,
    cycle_id: int,
    rounds: pd.DataFrame | None = None,
) -> Tally:
    """Candidacies (standing, withdrawn, own stake of those standing) and votes of a round.

    ``round_votes`` is ``CouncilData.round_votes`` (per round: votes, voters, unrevealed).
    With ``rounds`` (the network's ``CouncilData.rounds``), a round whose source does not
    record its votes (the election page's rule, :func:`elections.votes_recorded`) has no vote
    figures (None), not zeros.
    """
    mine = candidates[candidates["cycle_id"] == cycle_id]
    standing = mine[mine["status"] != "withdrawn"]
    votes = round_votes[round_votes["cycle_id"] == cycle_id]
    first = votes.iloc[0] if len(votes) else None
    if rounds is not None:
        this_round = rounds[rounds["cycle_id"] == cycle_id]
        recorded = elections.votes_recorded(this_round, rounds, round_votes)
        if len(recorded) and not recorded.all():
            return Tally(len(standing), len(mine) - len(standing),
                         float(standing["stake_joy"].sum()), None, None, None, None)  # fmt: skip
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
    results = one_round.round_results(
        d.rounds, d.candidates, d.candidate_votes, d.members, cycle_id
    )
    mine = results.sort_values(
        ["rank", "stake_joy", "handle"], ascending=[True, False, True], na_position="last"
    )
    shown = mine[list(CANDIDATE_LABELS)].copy()
    for column in ("stake_joy", "backing_stake_joy", "vote_power_joy"):
        shown[column] = shown[column].round(2)  # as every table shows JOY
    return shown.rename(columns=CANDIDATE_LABELS).reset_index(drop=True)


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
    attempts: pd.DataFrame | None = None,
    candidates: pd.DataFrame | None = None,
) -> list[Concern]:
    """The concerns for the current stage, most serious first.

    With the network's failed attempts (``failed_elections.data_attempts``) and candidacies,
    also :func:`failure_concerns`.

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
    if stage.name == "voting" and soon and seats and tally.votes_cast is not None:
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
    if stage.name == "revealing" and soon and tally.votes_cast and tally.unrevealed is not None:
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
                    if stage.name == "announcing" and not stage.from_stage_update
                    else ""
                ),
            )
        )
    if attempts is not None and candidates is not None:
        found.extend(failure_concerns(stage, attempts, candidates))
    return sorted(found, key=lambda c: c.level != "error")


def failure_concerns(
    stage: Stage, attempts: pd.DataFrame, candidates: pd.DataFrame
) -> list[Concern]:
    """Failed election attempts, as they happen.

    - ``restarted`` (warning): the running round is a restart: the round(s) before it failed
      (``attempts``, :func:`failed_elections.failed_attempts`), with the reason and the delay.
    - ``not_enough_revealed`` (error): revealing, with fewer candidates holding revealed votes
      than seats: unless more votes are revealed, no new council is elected and the election
      starts over.
    """
    found: list[Concern] = []
    cycle = stage.cycle_id
    if cycle is None or stage.name not in ("announcing", "voting", "revealing"):
        return found
    failed = attempts.dropna(subset=["cycle_id"]).set_index("cycle_id")
    streak = []
    while cycle - len(streak) - 1 in failed.index:
        streak.append(failed.loc[cycle - len(streak) - 1])
    if streak:
        last = streak[0]
        reason = str(last["reason"])
        days = pd.to_numeric(pd.Series([a["delay_days"] for a in streak])).sum(min_count=1)
        delay = "" if pd.isna(days) else f"; the new council comes about {days:.0f} days later"
        earlier = f" ({len(streak)} failed attempts in a row)" if len(streak) > 1 else ""
        found.append(
            Concern(
                "restarted",
                "warning",
                f"Round {cycle} is a restart: round {cycle - 1} failed at block "
                f"#{int(last['block']):,}{earlier}: {reason[0].lower()}{reason[1:]}{delay}.",
            )
        )
    if stage.name == "revealing" and stage.seats:
        with_votes = failed_elections.revealed_candidates(candidates, cycle)
        if with_votes < stage.seats:
            found.append(
                Concern(
                    "not_enough_revealed",
                    "error",
                    f"Only {_plural(with_votes, 'candidate')} "
                    f"{'has' if with_votes == 1 else 'have'} revealed votes for {stage.seats} "
                    "seats: unless more votes are revealed "
                    "before revealing ends, no new council is elected and the election starts "
                    "over (not enough revealed votes).",
                )
            )
    return found


def block_text(block: int | None, clock: ChainClock | None, estimated: bool = False) -> str:
    """``#576,001 · ≈2023-02-10 10:00 UTC``: ``≈`` (not ``~``, which forum markdown reads as
    strikethrough) before an estimated block, which makes its date an estimate too, else
    before an estimated date (every date at 6 s a block from the clock's anchor, except the
    anchor's own recorded time; see :meth:`ChainClock.time_estimated`)."""
    if block is None:
        return "not recorded"
    text = f"{'≈' if estimated else ''}#{block:,}"
    if clock is not None:
        approx = "≈" if not estimated and clock.time_estimated(block) else ""
        text += f" · {approx}{clock.time_of(block):%Y-%m-%d %H:%M} UTC"
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


def _votes_line(tally: Tally) -> str:
    if not tally.votes_recorded:
        return "- Votes: not recorded (this round's source does not record its votes)"
    return (
        f"- Votes: {tally.votes_cast:,} cast by {tally.voters:,} accounts "
        f"({tally.vote_stake_joy or 0.0:,.0f} JOY), {tally.revealed:,} revealed"
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
        if stage.ends_block is not None:
            lines.append(
                f"- Announcing starts: {block_text(stage.ends_block, clock)} "
                f"(time left: {countdown(stage, clock)})"
            )
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
        _votes_line(tally),
    ]
    if found:
        lines += ["", "**Concerns**", ""]
        lines += [f"- ⚠ {c.message}" for c in found]
    if clock is not None and clock.stopped:
        lines += [
            "",
            f"_Historical data: the newest block with a time is #{clock.anchor_block:,} "
            f"({clock.anchor_text()} UTC); times are at 6 s a block from it._",
        ]
    elif clock is not None:
        lines += [
            "",
            f"_Times are estimated at 6 s a block from block #{clock.anchor_block:,} "
            f"({clock.anchor_text()} UTC); current block ≈ "
            f"#{clock.current_block:,}._",
        ]
    return "\n".join(lines) + "\n"
