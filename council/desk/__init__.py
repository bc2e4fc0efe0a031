"""The council's meeting desk: what needs the council now (the "This week" page and
``python -m council.agenda``).

:func:`build_desk` gathers everything for one network from the cache's frames and the
secretary's files, as of ``now``; :mod:`council.agenda` renders it as markdown and the page
lays it out. Pure: no I/O, no clock of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from council import watch
from council.data import CouncilData
from council.desk.pending import DESK_THRESHOLDS, DeskThresholds, pending_proposals, usd_rates
from council.desk.term import TermGlance, councillors, kpis_due, term_glance, term_scorecard
from council.stats import leaderboard


@dataclass(frozen=True)
class Desk:
    """One network's desk as of ``now``.

    ``historical``: the data stopped long ago (the election watch's rule: a stopped clock) or
    has no block with a time; then nothing is pending and the figures are the latest term's
    as of its end (``as_of``). ``proposals_recorded``: the network's record holds proposals.
    """

    network: str
    now: datetime
    as_of: date
    clock: watch.ChainClock | None
    stage: watch.Stage
    historical: bool
    proposals_recorded: bool
    pending: pd.DataFrame
    term: TermGlance | None
    councillors: pd.DataFrame
    kpi_term: str | None
    kpis_due: pd.DataFrame
    concerns: list[watch.Concern] = field(default_factory=list)


def _as_of(
    term: TermGlance | None, clock: watch.ChainClock | None, historical: bool, now: datetime
) -> date:
    """Today while the data is live; else the latest term's end (recorded or estimated from
    the clock), else the date of the newest block with a time."""
    if not historical:
        return now.date()
    if clock is not None and term is not None and term.end_block is not None:
        return clock.time_of(term.end_block).date()
    return clock.anchor_time.date() if clock is not None else now.date()


def build_desk(
    d: CouncilData,
    network: str,
    kpi_file: pd.DataFrame,
    categories: pd.DataFrame,
    now: datetime,
    thresholds: DeskThresholds = DESK_THRESHOLDS,
) -> Desk:
    """Everything the meeting needs for ``network`` (``d``: the cache restricted to it)."""
    stage, clock = watch.watch_state(d, now)
    historical = clock is None or clock.stopped
    term_table = leaderboard.terms(d.councils)
    glance = term_glance(d, term_table, stage, clock)
    seats: list[str] = []
    if glance is not None:
        seated = d.council_members["council_id"].astype(str) == glance.council_id
        members = d.council_members[seated]
        seats = sorted(members["member_id"].astype(str), key=lambda m: (len(m), m))
    pending = pending_proposals(
        d.proposals,
        d.proposal_votes,
        seats,
        d.members,
        clock,
        usd_rates(categories).get(network.lower()),
        thresholds,
    )
    if historical:
        pending = pending.iloc[0:0]
    people = pd.DataFrame()
    if glance is not None:
        card = term_scorecard(
            term_table, glance.council_id, d.council_members, d.proposals, d.proposal_votes
        )
        people = councillors(card, glance.council_id, d.members, pending)
    as_of = _as_of(glance, clock, historical, now)
    kpi_term, due = kpis_due(kpi_file, network, d.kpi_rewards, as_of, thresholds)
    tally = watch.round_tally(d.candidates, d.round_votes, stage.cycle_id or 0, d.rounds)
    return Desk(
        network=network,
        now=now,
        as_of=as_of,
        clock=clock,
        stage=stage,
        historical=historical,
        proposals_recorded=not d.proposals.empty,
        pending=pending,
        term=glance,
        councillors=people,
        kpi_term=kpi_term,
        kpis_due=due,
        concerns=[] if historical else watch.concerns(stage, tally, clock),
    )
