"""Altair charts of the voters across rounds. Data in, chart out; no Streamlit here."""

from __future__ import annotations

import altair as alt
import pandas as pd

from council.charts import FIT_WIDTH, MAX_BARS, ON_CANVAS, WIDTH, _short_axis

TRENDS = {
    "vote_stake_joy": ("Vote stake (JOY)", ",.0f"),
    "top_share_pct": ("Share of the top 10 accounts (%)", ",.1f"),
    "majority_accounts": ("Accounts holding half the stake", ",.0f"),
}
# Returning and new voters: Okabe–Ito blue and orange.
VOTER_KINDS = {"returning": "#0072B2", "new": "#E69F00"}


BAR_ROUNDS = MAX_BARS  # rounds in the voting-accounts bars (the newest)


def bar_rounds(stats: pd.DataFrame, max_rounds: int = BAR_ROUNDS) -> tuple[tuple[int, ...], bool]:
    """The rounds :func:`voters_by_kind` draws of ``stats`` (the newest ``max_rounds``
    recorded, ascending) and whether some recorded rounds are left out: two round tables with
    the same (and the same rows for them) give the same chart."""
    recorded = stats.loc[stats["recorded"], "cycle_id"]
    newest = tuple(sorted(int(c) for c in recorded.nlargest(max_rounds)))
    return newest, len(newest) < len(recorded)


def voters_by_kind(stats: pd.DataFrame, max_rounds: int = BAR_ROUNDS) -> alt.Chart:
    """Voting accounts per round as stacked bars: returning (voted in the previous round) and
    new. Rounds whose returning voters are unknown show their voters as one bar, "unknown".
    Only the newest ``max_rounds`` recorded rounds; the axis title says so when some are left
    out (the page's headline counts every round)."""
    recorded = stats[stats["recorded"]]
    newest = set(recorded["cycle_id"].nlargest(max_rounds))
    frame = recorded[recorded["cycle_id"].isin(newest)].reset_index(drop=True)
    x_title = "Round"
    if len(frame) < len(recorded):
        # Not "of N": a title that changes with the range makes a new spec, which the
        # browser compiles anew (~0.3 s) instead of swapping the rows of the drawn chart.
        x_title = f"Round (the newest {len(frame)})"
    known = frame["returning"].notna()
    # Per round in the frame's order: returning then new, or one "unknown" bar.
    parts = [
        pd.DataFrame(
            {
                "cycle_id": frame.loc[rows, "cycle_id"],
                "kind": kind,
                "accounts": frame.loc[rows, column],
            }
        )
        for rows, kind, column in (
            (known, "returning", "returning"),
            (known, "new", "new"),
            (~known, "unknown", "voters"),
        )
    ]
    long = pd.concat(parts).sort_index(kind="stable").reset_index(drop=True)
    long["accounts"] = long["accounts"].astype("int64")
    kinds = {**VOTER_KINDS, **({} if known.all() else {"unknown": "#999999"})}
    return (
        alt.Chart(long, title="Voting accounts", height=180, width=WIDTH, autosize=FIT_WIDTH)
        .mark_bar()
        .encode(
            x=alt.X("cycle_id:O", title=x_title),
            y=alt.Y("accounts:Q", title=None, stack=True),
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(domain=list(kinds), range=list(kinds.values())),
                legend=alt.Legend(orient="top", title=None),
            ),
            tooltip=[
                alt.Tooltip("cycle_id:O", title="Round"),
                alt.Tooltip("kind:N", title="Voters"),
                alt.Tooltip("accounts:Q", title="Accounts", format=",.0f"),
            ],
        )
    )


def voter_trends(stats: pd.DataFrame) -> list[alt.Chart]:
    """The voting accounts chart, then one line chart per trend of :data:`TRENDS`, over the
    rounds whose votes are recorded."""
    return [voters_by_kind(stats), *trend_lines(stats)]


def trend_lines(stats: pd.DataFrame) -> list[alt.Chart]:
    """One line chart per trend of :data:`TRENDS`, over the rounds whose votes are recorded
    (in ``stats``' order): a chart of some of the rounds has the same spec but for its rows."""
    frame = stats[stats["recorded"]]
    charts: list[alt.Chart] = []
    for column, (title, exact) in TRENDS.items():
        charts.append(
            alt.Chart(
                frame[["cycle_id", column]],
                title=title,
                height=180,
                width=WIDTH,
                autosize=FIT_WIDTH,
                **ON_CANVAS,
            )
            .mark_line(point=True)
            .encode(
                x=alt.X(
                    "cycle_id:Q",
                    title="Round",
                    axis=alt.Axis(format="d"),
                    # The rounds of the data, from the data rather than written into the
                    # spec: a range change then changes only the rows (see round_trends).
                    scale=alt.Scale(nice=False, zero=False, padding=8),
                ),
                y=alt.Y(f"{column}:Q", title=None, axis=_short_axis()),
                tooltip=[
                    alt.Tooltip("cycle_id:Q", title="Round"),
                    alt.Tooltip(f"{column}:Q", title=title, format=exact),
                ],
            )
        )
    return charts
