"""The Working groups page's tables and charts for one filter state (pure; no Streamlit).

Display tables carry people's column names (``… (JOY)`` amounts, block numbers with their
dates, "no lead" / "not recorded" where the data is silent); charts are Vega-Lite dicts built
with Altair (Okabe–Ito colours, as wide as their container).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import altair as alt
import numpy as np
import pandas as pd

from council.charts import FIT_WIDTH, MAX_BARS, WIDTH, _short_axis
from council.format import block_with_date
from council.working_groups import stats

# Okabe–Ito, then two greys: nine groups, each its own colour on every chart.
GROUP_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                 "#000000", "#999999"]  # fmt: skip
NO_LEAD = "no lead"
# Per-term charts show at most this many terms (the latest of the range): a bar a term.
CHART_TERMS = MAX_BARS


@dataclass
class WorkingGroupsView:
    """What the page shows for one network, term range and group."""

    summary: pd.DataFrame
    totals: dict[str, float]
    budget_chart: dict | None = None
    spending_chart: dict | None = None
    headcount_chart: dict | None = None
    chart_note: str = ""
    workers: pd.DataFrame = field(default_factory=pd.DataFrame)
    leads: pd.DataFrame = field(default_factory=pd.DataFrame)
    events: pd.DataFrame = field(default_factory=pd.DataFrame)


def _when(blocks: pd.Series, times: pd.Series) -> pd.Series:
    """``#2,408,400 · 2021-10-15`` for each block and time (``format.block_with_date``,
    vectorised: a group's events run to tens of thousands); ``–`` without a block."""
    blocks = pd.to_numeric(pd.Series(blocks), errors="coerce").reset_index(drop=True)
    days = pd.to_datetime(pd.Series(times), utc=True, errors="coerce").reset_index(drop=True)
    out = np.full(len(blocks), "–", dtype=object)
    known = blocks.notna().to_numpy()
    out[known] = ["#" + f"{block:,.0f}" for block in blocks.to_numpy()[known].tolist()]
    dated = known & days.notna().to_numpy()
    # Each distinct day formatted once (a group's events fall on a few hundred days).
    codes, uniques = pd.factorize(days[dated].dt.floor("D"))
    labels = np.asarray(pd.DatetimeIndex(uniques).strftime("%Y-%m-%d"), dtype=object)
    out[dated] = out[dated] + " · " + labels[codes]  # element-wise on Python strings
    return out.tolist()


def _colour_scale(groups: list[str]) -> alt.Scale:
    return alt.Scale(domain=groups, range=GROUP_COLOURS[: len(groups)] or GROUP_COLOURS)


def summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The per-group table (one row per group) with people's column names."""
    return pd.DataFrame(
        {
            "Group": summary["group"],
            "Lead": summary["lead"].astype(object).fillna(NO_LEAD),  # all NaN: no group led
            "Lead since": _when(summary["lead_since_block"], summary["lead_since_time"]),
            "Workers": summary["workers"],
            "Hired": summary["hired"],
            "Terminated": summary["terminated"],
            "Left": summary["left"],
            "Budget at start (JOY)": summary["budget_start"].round(0),
            "Refilled by the council (JOY)": summary["refilled"].round(0),
            "Spending (JOY)": summary["spending"].round(0),
            "Worker rewards (JOY)": summary["worker_rewards"].round(0),
            "Lead rewards (JOY)": summary["lead_rewards"].round(0),
            "Budget at end (JOY)": summary["budget_end"].round(0),
            "Missed rewards owed (JOY)": summary["debt"].round(0),
            "Slashed (JOY)": summary["slashed"].round(0),
        }
    )


def budget_chart(over_time: pd.DataFrame, groups: list[str]) -> alt.Chart:
    """Lines: each group's budget at the end of every day it moved."""
    return (
        alt.Chart(over_time, height=300, width=WIDTH, autosize=FIT_WIDTH)
        .mark_line(interpolate="step-after")
        .encode(
            x=alt.X("day:T", title="Date (UTC)"),
            y=alt.Y("budget:Q", title="Budget (JOY)", axis=_short_axis()),
            color=alt.Color(
                "group:N",
                title="Group",
                scale=_colour_scale(groups),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            tooltip=[
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip("day:T", title="Date"),
                alt.Tooltip("budget:Q", title="Budget (JOY)", format=",.0f"),
            ],
        )
    )


def per_term_chart(table: pd.DataFrame, column: str, title: str, groups: list[str]) -> alt.Chart:
    """Stacked bars per term, one colour a group: ``column`` of :func:`stats.per_term`."""
    return (
        alt.Chart(table, height=300, width=WIDTH, autosize=FIT_WIDTH)
        .mark_bar()
        .encode(
            x=alt.X("term:O", title="Term", axis=alt.Axis(labelAngle=0, labelOverlap="greedy")),
            y=alt.Y(f"{column}:Q", title=title, axis=_short_axis(), stack="zero"),
            color=alt.Color(
                "group:N",
                title="Group",
                scale=_colour_scale(groups),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            tooltip=[
                alt.Tooltip("term:O", title="Term"),
                alt.Tooltip("group:N", title="Group"),
                alt.Tooltip(f"{column}:Q", title=title, format=",.0f"),
            ],
        )
    )


def workers_table(workers: pd.DataFrame) -> pd.DataFrame:
    """One group's workers with people's column names."""
    return pd.DataFrame(
        {
            "Member": workers["handle"].fillna("not recorded"),
            "Lead": np.where(
                workers["current_lead"], "lead", np.where(workers["lead"], "former lead", "")
            ),
            "Since": _when(workers["hired_at_block"], workers["hired_at_time"]),
            "Status": workers["status"],
            "Reward per block (JOY)": workers["reward_per_block"].round(4),
            "Reward per day (JOY)": workers["reward_per_day"].round(0),
            "Stake (JOY)": workers["stake"].round(0),
            "Missed reward owed (JOY)": workers["missing_reward"].round(0),
            "Ended": _when(workers["ended_at_block"], workers["ended_at_time"]),
        }
    )


def leads_table(history: pd.DataFrame, group_id: str) -> pd.DataFrame:
    """One group's leads, in order."""
    h = history[history["group_id"] == group_id]
    return pd.DataFrame(
        {
            "Lead": h["handle"].fillna("not recorded"),
            "From": _when(h["from_block"], h["from_time"]),
            "Until": [
                "still lead" if pd.isna(b) else block_with_date(int(b), None if pd.isna(t) else t)
                for b, t in zip(h["until_block"], h["until_time"], strict=True)
            ],
            "How it ended": h["ended"].fillna(""),
        }
    )


def events_table(events: pd.DataFrame) -> pd.DataFrame:
    """One group's events in chain order."""
    return pd.DataFrame(
        {
            "Block": _when(events["block"], events["time"]),
            "Event": events["event"],
            "Member": events["handle"],
            "Amount (JOY)": events["amount"].round(2),
            "Payment": events["payment_type"],
            "Rationale": events["rationale"],
        }
    )


@dataclass(frozen=True)
class Prepared:
    """A network's working-group data with the costly parts computed once (shared by every
    filter state): ``rows_of`` holds each group's event positions in ``frames.events``."""

    frames: stats.WGFrames
    history: pd.DataFrame
    changes: pd.DataFrame
    terms: pd.DataFrame
    per_term: pd.DataFrame
    over_time: pd.DataFrame
    groups: list[str]
    basis: stats.Basis
    rows_of: dict[str, np.ndarray]


def prepare(frames: stats.WGFrames, terms: pd.DataFrame) -> Prepared:
    """Compute what every filter state shares (``terms``: ``leaderboard.terms`` rows)."""
    history = stats.lead_history(frames)
    changes = stats.budget_changes(frames, history)
    table = stats.per_term(frames, terms, changes)
    basis = stats.basis(frames, history, changes)
    return Prepared(
        frames, history, changes, terms, table, stats.budget_over_time(changes),
        [stats.group_label(g) for g in basis.groups], basis,
        dict(frames.events.groupby("group_id", sort=False).indices),
    )  # fmt: skip


def term_blocks(terms: pd.DataFrame, term_range: tuple[int, int]) -> tuple[int, int | None]:
    """The block range (inclusive; None: open) of the terms in ``term_range``."""
    chosen = terms[terms["term"].between(*term_range)]
    if chosen.empty:
        return 0, None
    end = chosen["end_block"].max()
    return int(chosen["start_block"].min()), None if not np.isfinite(end) else int(end) - 1


def page_view(p: Prepared, term_range: tuple[int, int], group_id: str | None) -> WorkingGroupsView:
    """The page's tables and charts for one term range and group (:func:`range_view` with
    :func:`group_view`'s tables)."""
    view = range_view(p, term_range)
    if group_id is not None:
        view.workers, view.leads, view.events = group_view(p, group_id)
    return view


def term_bounds(p: Prepared) -> tuple[int, int]:
    """The first and last term the data knows ((0, 0) without terms): the term filter's
    range, and its value before a visitor picks one."""
    known = sorted(set(p.terms["term"]))
    return (int(known[0]), int(known[-1])) if known else (0, 0)


def range_view(p: Prepared, term_range: tuple[int, int]) -> WorkingGroupsView:
    """The per-group table, totals and charts for one term range (no group detail)."""
    start, end = term_blocks(p.terms, term_range)
    summary = stats.summary_of(p.basis, start, end)
    totals = {
        "workers": float(summary["workers"].sum()),
        "budget_end": float(summary["budget_end"].sum()),
        "spent": float(summary["spent"].sum()),
        "debt": float(summary["debt"].sum()),
    }
    in_range = p.per_term[p.per_term["term"].between(*term_range)]
    chart_terms = sorted(in_range["term"].unique())
    if len(chart_terms) > CHART_TERMS:
        in_range = in_range[in_range["term"].isin(chart_terms[-CHART_TERMS:])]
        note = f"The per-term charts show the latest {CHART_TERMS} terms of the range"
        note += f" ({chart_terms[-CHART_TERMS]}–{chart_terms[-1]}); the table covers all."
    else:
        note = ""
    view = WorkingGroupsView(summary_table(summary), totals, chart_note=note)
    shown = p.over_time
    if end is not None:
        shown = shown[shown["day"] <= _day_of(p.changes, end)]
    # Charts built here from our own columns: the schema check Altair repeats on every
    # to_dict adds nothing but time.
    if len(shown):
        view.budget_chart = budget_chart(shown, p.groups).to_dict(validate=False)
    if len(in_range):
        spent = per_term_chart(in_range, "spent", "Spent (JOY)", p.groups)
        view.spending_chart = spent.to_dict(validate=False)
        view.headcount_chart = per_term_chart(
            in_range, "workers", "Workers at the term's end", p.groups
        ).to_dict(validate=False)
    return view


def group_view(
    p: Prepared, group_id: str, rewards: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """One group's workers, leads and events tables (display columns). ``rewards``: the
    group's reward payments, one row each (``data.load_wg_rewards``), when ``p.frames.events``
    holds the payments as sums (``data.load_wg_page_events``); they replace the sums."""
    f = p.frames
    events = f.events.iloc[p.rows_of.get(group_id, np.array([], dtype=np.int64))]
    if rewards is not None:
        events = events[events["kind"] != "reward_paid"]
        if len(rewards):
            events = pd.concat([events, rewards], ignore_index=True) if len(events) else rewards
    own = stats.WGFrames(f.groups, f.workers, events, f.members)
    workers = stats.group_workers(f, group_id, p.history, newest=p.basis.newest)
    return (
        workers_table(workers),
        leads_table(p.history, group_id),
        events_table(stats.group_events(own, group_id)),
    )


def _day_of(changes: pd.DataFrame, block: int) -> pd.Timestamp:
    """The last day with a movement at or before ``block`` (for cutting the budget chart)."""
    # Movements are in chain order (by block): those up to ``block`` are the first ones.
    before = changes["time"].iloc[
        : int(np.searchsorted(changes["block"].to_numpy(), block, "right"))
    ]
    if before.empty:
        return pd.Timestamp.min.tz_localize("UTC")
    return pd.to_datetime(before.max(), utc=True).floor("D")
