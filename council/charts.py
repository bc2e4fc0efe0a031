"""Altair chart builders. Data in, chart out; no Streamlit here.

Colours follow the Okabe–Ito palette, which stays distinguishable for colour-blind readers.
Every chart is one view (or a layer) as wide as its container (``width="container"``), so it
fits a phone's screen as well as a desktop's; composite charts (concat, facet, repeat) cannot
be, so there are none: a set of small multiples is a list of charts the page lays out.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable

import altair as alt
import pandas as pd

OUTCOME_COLOURS = {
    "elected": "#0072B2",
    "not elected": "#E69F00",
    "withdrawn": "#999999",
    "running": "#009E73",
}

# Rows of a band chart: Streamlit's theme hides every other label below about 22 px a row.
ROW_STEP = alt.Step(22)
# A chart with a bar or cell per term or round draws at most this many (the newest): past a
# few dozen they are too thin to read, and each costs the browser time (a thousand took it
# over a second). The tables beside keep every row.
MAX_BARS = 60
# Every chart takes the width of the element it is drawn in, and keeps the height it asks
# for (Streamlit's default "fit" squeezes titles and axes into that height).
WIDTH = "container"
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
FULL_WIDTH = {"width": WIDTH, "autosize": FIT_WIDTH}
# Charts with a mark per round or cell (hundreds to thousands) draw on one canvas: as SVG
# (Streamlit's default below 2,000 marks) each mark is an element of the page for the browser
# to style, lay out and paint again on every filter change.
ON_CANVAS = {"usermeta": {"embedOptions": {"renderer": "canvas"}}}
# Member handles on a band axis: long ones are cut ("…") so the plot keeps room on a phone.
HANDLE_LABEL_LIMIT = 120

# A round trend draws a point per round, its values shown on hover, up to this many rounds;
# past it a plain line: a point per round cost the browser ~0.2 s at 1,000 rounds, where each
# is about a pixel wide, too narrow to hover. The rounds table keeps every value.
TREND_POINTS = 200

ROUND_TRENDS = {
    "candidates": "Candidates",
    "votes_cast": "Votes cast",
    "voters": "Voters (turnout)",
    "total_backing_stake_joy": "Backing stake (JOY)",
    "re_elected_share": "Share re-elected",
}


def to_spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite dict a page draws of an Altair chart: not checked against the schema,
    datasets named by order (:func:`stable_dataset_names`)."""
    # Without checking the spec against the Vega-Lite schema: the same dict, but the check
    # walks every data row (two thirds of the time at 100x). tests/test_charts.py checks
    # every chart builder's spec.
    return stable_dataset_names(chart.to_dict(validate=False))


def rows_spec(build: Callable[[pd.DataFrame], alt.TopLevelMixin], frame: pd.DataFrame) -> dict:
    """:func:`to_spec` of ``build(frame)`` for a builder whose spec does not depend on its rows
    (one dataset; tests/test_charts.py checks each builder used here): the spec is made
    once per builder and each call writes only ``frame``'s rows into a copy, as Altair writes
    them (its active data transformer). Altair's ``to_dict`` cost ~10 ms per chart at 100x;
    the rows alone ~4 ms."""
    template = _ROW_SPECS.get(build)
    if template is None:
        spec = to_spec(build(frame))
        # A copy: the spec returned now is the caller's, the template stays as made.
        _ROW_SPECS[build] = copy.deepcopy({k: v for k, v in spec.items() if k != "datasets"})
        return spec
    rows = alt.data_transformers.get()(frame)["values"]
    return {**copy.deepcopy(template), "datasets": {"data-0": rows}}


_ROW_SPECS: dict[Callable, dict] = {}


def stable_dataset_names(spec: dict) -> dict:
    """``spec`` (a Vega-Lite dict from Altair) with its datasets named ``data-0``,
    ``data-1``, … in order instead of by a hash of their rows.

    Altair names a dataset by its content, so new rows made a new spec, and the browser built
    the chart anew (compiling the spec) on every filter change. With stable names a chart
    whose rows alone changed has the same spec: Streamlit's browser side then only swaps the
    rows of the chart it has drawn. Changes ``spec`` in place and returns it.
    """
    datasets = spec.get("datasets")
    if not datasets:
        return spec
    names = {old: f"data-{n}" for n, old in enumerate(datasets)}
    spec["datasets"] = {names[old]: rows for old, rows in datasets.items()}

    def rename(node: object) -> None:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and data.get("name") in names:
                data["name"] = names[data["name"]]
            for key, value in node.items():
                if key != "datasets":
                    rename(value)
        elif isinstance(node, list):
            for value in node:
                rename(value)

    rename({k: v for k, v in spec.items() if k != "datasets"})
    return spec


def _outcome_scale() -> alt.Scale:
    return alt.Scale(domain=list(OUTCOME_COLOURS), range=list(OUTCOME_COLOURS.values()))


# Axis labels of amounts, short so a phone has room: 0, 500k, 200M, 1.1B (each label on its
# own, not "0.1G" with a shared SI prefix, and B for billions, as money is written).
SHORT_NUMBER = (
    "abs(datum.value) < 1000 ? format(datum.value, ',~f')"  # 0.5, not 500m (milli)
    " : replace(format(datum.value, '~s'), 'G', 'B')"
)


def _short_axis(**options) -> alt.Axis:
    return alt.Axis(labelExpr=SHORT_NUMBER, **options)


def _handle_axis() -> alt.Axis:
    return alt.Axis(labelLimit=HANDLE_LABEL_LIMIT)


def _outcome_legend() -> alt.Legend:
    # Above the plot, not beside it (that takes a third of a phone's width); two columns, as
    # four outcomes in a row are wider than a phone.
    return alt.Legend(orient="top", title=None, columns=2)


def round_trends(summary: pd.DataFrame, points: bool | None = None) -> list[alt.Chart]:
    """Small multiples over rounds, one chart each: candidates, votes, voters (turnout),
    backing stake, share re-elected. ``points``: a point per round with its values on hover
    (a line alone has no tooltip: it would show one round's values for the whole line);
    None: up to :data:`TREND_POINTS` rounds."""
    if points is None:
        points = len(summary) <= TREND_POINTS
    frame = summary[["cycle_id", *ROUND_TRENDS]].copy()
    # The rounds the data has, not a rounded-up axis (rounds 0–45 for rounds 1–41), taken
    # from the data rather than written into the spec: a filter change then changes only
    # the rows, and the browser swaps them into the drawn chart instead of building it anew.
    rounds = alt.Scale(nice=False, zero=False, padding=6)
    charts = []
    for column, title in ROUND_TRENDS.items():
        share = column.endswith("share")
        exact = ".0%" if share else ",.0f"  # tooltips exact, axis labels short
        axis = alt.Axis(format=".0%") if share else _short_axis()
        tooltip = [
            alt.Tooltip("cycle_id:Q", title="Round"),
            alt.Tooltip(f"{column}:Q", title=title, format=exact),
        ]
        charts.append(
            # Each chart carries only its own column: a fifth of the data to build and send.
            alt.Chart(
                frame[["cycle_id", column]], title=title, height=160, **FULL_WIDTH, **ON_CANVAS
            )
            .mark_line(point=points)
            .encode(
                x=alt.X("cycle_id:Q", title="Round", axis=alt.Axis(format="d"), scale=rounds),
                y=alt.Y(f"{column}:Q", title=None, axis=axis),
                **({"tooltip": tooltip} if points else {}),
            )
        )
    return charts


def round_trend_specs(summary: pd.DataFrame) -> list[dict]:
    """:func:`to_spec` of each of :func:`round_trends`'s charts (points as it draws them by
    default), made by :func:`rows_spec`: a trend chart's spec but its rows is the same for
    every summary, and building it with Altair took ten times as long as its rows (0.09 s
    for the five at 100x, on every new filter state of Election history)."""
    points = len(summary) <= TREND_POINTS
    return [
        rows_spec(_round_trend(column, points), summary[["cycle_id", column]])
        for column in ROUND_TRENDS
    ]


@functools.cache
def _round_trend(column: str, points: bool) -> Callable[[pd.DataFrame], alt.Chart]:
    """The builder of :func:`round_trends`' chart of ``column`` from rows with that column
    alone (one builder per chart and points: :func:`rows_spec` keeps a spec per builder)."""
    index = list(ROUND_TRENDS).index(column)

    def build(frame: pd.DataFrame) -> alt.Chart:
        return round_trends(frame.reindex(columns=["cycle_id", *ROUND_TRENDS]), points)[index]

    return build


def member_timeline(timeline: pd.DataFrame, max_members: int = 60) -> alt.Chart:
    """Who stood when: one row per member, one cell per round, coloured by outcome.

    Shows the ``max_members`` members with the most candidacies, so the chart stays readable.
    Cells (not fixed-size marks) share the width among the rounds: squares on a desktop,
    narrow bars on a phone, never wider than the screen.
    """
    counts = timeline["handle"].value_counts()
    shown = counts.index[:max_members]
    frame = timeline[timeline["handle"].isin(shown)]
    return (
        alt.Chart(frame, height=ROW_STEP, width=WIDTH, autosize=FIT_WIDTH, **ON_CANVAS)
        .mark_rect(cornerRadius=2)
        .encode(
            x=alt.X(
                "cycle_id:O",
                title="Round",
                scale=alt.Scale(paddingInner=0.2),
                axis=alt.Axis(labelAngle=0, labelOverlap="greedy"),
            ),
            y=alt.Y(
                "handle:N",
                title=None,
                sort=list(shown),
                scale=alt.Scale(paddingInner=0.2),
                axis=_handle_axis(),
            ),
            color=alt.Color("outcome:N", scale=_outcome_scale(), legend=_outcome_legend()),
            tooltip=[
                alt.Tooltip("handle:N", title="Member"),
                alt.Tooltip("cycle_id:O", title="Round"),
                alt.Tooltip("outcome:N", title="Outcome"),
            ],
        )
    )


def vote_power_bars(round_results: pd.DataFrame, threshold: float | None) -> alt.LayerChart:
    """Vote power per candidate in one round, with the last-seat line."""
    frame = round_results[["handle", "vote_power_joy", "outcome"]]
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(
                "vote_power_joy:Q",
                title="Vote power (JOY)",
                axis=_short_axis(labelOverlap="greedy", tickCount=5),
            ),
            y=alt.Y("handle:N", sort="-x", title=None, axis=_handle_axis()),
            color=alt.Color("outcome:N", scale=_outcome_scale(), legend=_outcome_legend()),
            tooltip=[
                alt.Tooltip("handle:N", title="Candidate"),
                alt.Tooltip("vote_power_joy:Q", title="Vote power (JOY)", format=",.0f"),
                alt.Tooltip("outcome:N", title="Outcome"),
            ],
        )
    )
    layers = [bars]
    if threshold is not None and not pd.isna(threshold):
        line = pd.DataFrame({"threshold": [threshold]})
        layers.append(
            alt.Chart(line)
            .mark_rule(strokeDash=[4, 3], color="#D55E00")
            .encode(x="threshold:Q", tooltip=alt.value("Last elected seat"))
        )
    return alt.layer(*layers).properties(width=WIDTH, autosize=FIT_WIDTH)


def spending_by_term(totals: pd.DataFrame) -> alt.Chart:
    """Stacked bars: JOY spent per term, split by category."""
    return (
        alt.Chart(totals, height=320, width=WIDTH, autosize=FIT_WIDTH)
        .mark_bar()
        .encode(
            x=alt.X(
                "term:N",
                title="Term",
                sort=None,
                axis=alt.Axis(labelAngle=0, labelOverlap="greedy"),
            ),
            y=alt.Y("amount_joy:Q", title="JOY", axis=_short_axis(), stack="zero"),
            color=alt.Color(
                "category:N",
                title="Category",
                scale=alt.Scale(scheme="tableau20"),
                # Below the bars in two columns: beside them, 20 categories squeeze the bars.
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=100),
            ),
            tooltip=[
                alt.Tooltip("term:N", title="Term"),
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("amount_joy:Q", title="JOY", format=",.0f"),
                alt.Tooltip("proposals:Q", title="Proposals"),
            ],
        )
    )


def category_shares(totals: pd.DataFrame) -> alt.Chart:
    """Horizontal bars: each category's share of the total (easier to read than a pie)."""
    return (
        alt.Chart(totals, height=ROW_STEP, width=WIDTH, autosize=FIT_WIDTH)
        .mark_bar(color="#0072B2")
        .encode(
            x=alt.X("share:Q", title="Share of spending", axis=alt.Axis(format=".0%")),
            y=alt.Y("category:N", title=None, sort="-x"),
            tooltip=[
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
                alt.Tooltip("amount_joy:Q", title="JOY", format=",.0f"),
            ],
        )
    )


def spending_over_time(frame: pd.DataFrame) -> alt.Chart:
    """Cumulative JOY spent over time: ``date`` and ``cumulative_joy`` columns
    (``council.stats.spending.cumulative_spending``)."""
    return (
        alt.Chart(frame, height=240, width=WIDTH, autosize=FIT_WIDTH)
        .mark_line(interpolate="step-after", color="#0072B2")
        .encode(
            x=alt.X("date:T", title="Decided (UTC)"),
            y=alt.Y("cumulative_joy:Q", title="Cumulative JOY", axis=alt.Axis(format=",.0f")),
            tooltip=[
                alt.Tooltip("date:T", title="Date"),
                alt.Tooltip("cumulative_joy:Q", title="Cumulative JOY", format=",.0f"),
            ],
        )
    )


def top_members(totals: pd.DataFrame, metric: str, title: str, n: int = 15) -> alt.Chart:
    """Horizontal bars: the top ``n`` members by ``metric`` (members at zero or with the
    figure not recorded are left out)."""
    values = pd.to_numeric(totals[metric]).astype("float64")
    frame = totals.assign(**{metric: values})[values > 0].nlargest(n, metric)[["handle", metric]]
    return (
        alt.Chart(frame, height=ROW_STEP, width=WIDTH, autosize=FIT_WIDTH)
        .mark_bar(color="#0072B2")
        .encode(
            x=alt.X(f"{metric}:Q", title=title, axis=alt.Axis(labelOverlap="greedy")),
            y=alt.Y("handle:N", sort="-x", title=None, axis=_handle_axis()),
            tooltip=[
                alt.Tooltip("handle:N", title="Member"),
                alt.Tooltip(f"{metric}:Q", title=title),
            ],
        )
    )


def participation_heatmap(matrix: pd.DataFrame) -> alt.Chart:
    """Members x terms, coloured by participation (share of decided proposals voted on)."""
    return (
        alt.Chart(matrix, height=ROW_STEP, width=WIDTH, autosize=FIT_WIDTH)
        .mark_rect()
        .encode(
            x=alt.X("term:O", title="Term", axis=alt.Axis(labelAngle=0, labelOverlap="greedy")),
            y=alt.Y("handle:N", title=None, axis=_handle_axis()),
            color=alt.Color(
                "participation:Q",
                title="Participation",
                scale=alt.Scale(scheme="viridis", domain=[0, 1]),
                legend=alt.Legend(format=".0%", orient="top", gradientLength=160),
            ),
            tooltip=[
                alt.Tooltip("handle:N", title="Councillor"),
                alt.Tooltip("term:O", title="Term"),
                alt.Tooltip("participation:Q", title="Participation", format=".0%"),
                alt.Tooltip("votes_cast:Q", title="Votes cast"),
                alt.Tooltip("decided:Q", title="Proposals decided"),
            ],
        )
    )


def kpi_rewards(summary: pd.DataFrame) -> alt.Chart:
    """Per term: reward available vs earned (grouped bars), in the file's units.

    ``summary`` lists the newest term first (as its table does); the chart runs oldest to
    newest, left to right, like every other chart over time.
    """
    oldest_first = list(dict.fromkeys(summary["term"]))[::-1]
    frame = summary.melt(
        id_vars=["term", "unit"],
        value_vars=["reward_available", "reward_earned"],
        var_name="kind",
        value_name="amount",
    )
    frame["kind"] = frame["kind"].map({"reward_available": "available", "reward_earned": "earned"})
    return (
        alt.Chart(frame, height=260, width=WIDTH, autosize=FIT_WIDTH)
        .mark_bar()
        .encode(
            x=alt.X("term:N", title="Term", sort=oldest_first),
            xOffset="kind:N",
            y=alt.Y("amount:Q", title="Reward", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "kind:N",
                title="Reward",
                scale=alt.Scale(domain=["available", "earned"], range=["#999999", "#0072B2"]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["term:N", "unit:N", "kind:N", alt.Tooltip("amount:Q", format=",.0f")],
        )
    )


BUDGET_ITEM_COLOURS = {
    "Council rewards": "#0072B2",
    "WG top-ups": "#E69F00",
    "Funding proposals": "#009E73",
    "Spending (term report, not by item)": "#999999",
}


def budget_by_term(long: pd.DataFrame) -> alt.LayerChart:
    """Stacked bars: the council budget's spending per term by item (oldest term left), and
    each term's refills as a black tick (``council.stats.budget.spending_by_item``)."""
    # Sorted by a number, not by a list of every label: with a thousand terms the browser
    # took seconds to apply a list sort to this chart.
    order = {label: n for n, label in enumerate(dict.fromkeys(long["term_label"]))}
    long = long.assign(term_order=long["term_label"].map(order))
    axis = alt.Axis(labelAngle=0, labelOverlap="greedy")
    sort = alt.EncodingSortField(field="term_order", op="min")
    x = alt.X("term_label:N", title="Term", sort=sort, axis=axis)
    base = alt.Chart(long)
    bars = base.mark_bar().encode(
        x=x,
        y=alt.Y("amount_joy:Q", title="JOY", axis=_short_axis(), stack="zero"),
        color=alt.Color(
            "item:N",
            title="Spending",
            scale=alt.Scale(
                domain=list(BUDGET_ITEM_COLOURS), range=list(BUDGET_ITEM_COLOURS.values())
            ),
            legend=alt.Legend(orient="bottom", columns=2, labelLimit=220),
        ),
        tooltip=[
            alt.Tooltip("term_label:N", title="Term"),
            alt.Tooltip("item:N", title="Item"),
            alt.Tooltip("amount_joy:Q", title="JOY", format=",.0f"),
        ],
    )
    refills = (
        base.transform_filter("isValid(datum.refills_joy)")
        .mark_tick(color="black", thickness=2)
        .encode(
            x=x,
            y=alt.Y("refills_joy:Q", aggregate="max"),
            tooltip=[
                alt.Tooltip("term_label:N", title="Term"),
                alt.Tooltip("refills_joy:Q", aggregate="max", title="Refills (JOY)", format=",.0f"),
            ],
        )
    )
    return alt.layer(bars, refills).properties(height=300, width=WIDTH, autosize=FIT_WIDTH)
