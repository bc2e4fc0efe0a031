"""Chart specifications: every chart fits the width it is given (phones included)."""

from __future__ import annotations

import pandas as pd
import pytest

from council import charts
from council.stats import spending

COMPOSITE = {"concat", "hconcat", "vconcat", "facet", "repeat"}

SUMMARY = pd.DataFrame(
    {
        "cycle_id": [1, 2, 4],
        "candidates": [10, 12, 9],
        "votes_cast": [30, None, 25],
        "voters": [20, None, 18],
        "total_backing_stake_joy": [1e6, 2e6, 1.5e6],
        "re_elected_share": [None, 0.5, 0.25],
    }
)
TIMELINE = pd.DataFrame(
    {
        "handle": ["a", "a", "b", "a_very_long_handle_of_a_member_on_the_council"],
        "cycle_id": [1, 2, 2, 4],
        "outcome": ["elected", "not elected", "elected", "withdrawn"],
    }
)
RESULTS = pd.DataFrame(
    {"handle": ["a", "b"], "vote_power_joy": [3e7, 1e7], "outcome": ["elected", "not elected"]}
)
SPENDING = pd.DataFrame(
    {
        "term": ["1", "1", "2"],
        "category": ["Bounties", "Marketing", "Bounties"],
        "amount_joy": [100.0, 50.0, 25.0],
        "proposals": [2, 1, 1],
        "share": [0.57, 0.29, 0.14],
    }
)
ITEMS = pd.DataFrame(
    {
        "decided_at_time": pd.to_datetime(["2023-01-01", "2023-02-01"], utc=True),
        "amount_joy": [10.0, 20.0],
    }
)
TOTALS = pd.DataFrame({"handle": ["a", "b"], "terms_served": [3, 1]})
MATRIX = pd.DataFrame(
    {
        "handle": ["a", "b"],
        "term": [1, 2],
        "participation": [0.5, 1.0],
        "votes_cast": [1, 2],
        "decided": [2, 2],
    }
)
KPI_SUMMARY = pd.DataFrame(
    {
        "term": [1, 2],
        "unit": ["USD", "USD"],
        "reward_available": [100, 200],
        "reward_earned": [50, 0],
    }
)

BUDGET = pd.DataFrame(
    {
        "term_label": ["term 1", "term 1", "term 2"],
        "item": ["Council rewards", "WG top-ups", "Spending (term report, not by item)"],
        "amount_joy": [100.0, 50.0, 25.0],
        "refills_joy": [120.0, 120.0, None],
    }
)


def all_charts():
    return {
        **{f"trend {i}": c for i, c in enumerate(charts.round_trends(SUMMARY))},
        "timeline": charts.member_timeline(TIMELINE),
        "vote power": charts.vote_power_bars(RESULTS, 2e7),
        "vote power, no threshold": charts.vote_power_bars(RESULTS, None),
        "spending by term": charts.spending_by_term(SPENDING),
        "category shares": charts.category_shares(SPENDING),
        "spending over time": charts.spending_over_time(spending.cumulative_spending(ITEMS)),
        "top members": charts.top_members(TOTALS, "terms_served", "Terms served"),
        "heatmap": charts.participation_heatmap(MATRIX),
        "kpi rewards": charts.kpi_rewards(KPI_SUMMARY),
        "council budget": charts.budget_by_term(BUDGET),
    }


@pytest.mark.parametrize("name", list(all_charts()))
def test_every_chart_is_as_wide_as_its_container(name: str) -> None:
    spec = all_charts()[name].to_dict()
    assert spec["width"] == "container"
    # Only the width fits: the plot keeps its height (titles and axes are added to it).
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert not COMPOSITE & set(spec), "composite charts cannot take the container's width"
    for layer in spec.get("layer", []):
        assert not isinstance(layer.get("width"), int)


def test_round_trends_are_one_chart_per_figure_over_the_rounds_in_the_data() -> None:
    trends = charts.round_trends(SUMMARY)
    specs = [c.to_dict() for c in trends]
    assert [s["title"] for s in specs] == list(charts.ROUND_TRENDS.values())
    for spec in specs:
        # The rounds of the data (not a rounded 0–5), from the data: no domain in the spec.
        assert spec["encoding"]["x"]["scale"] == {"nice": False, "zero": False, "padding": 6}


def test_timeline_cells_share_the_width_and_keep_labels_readable() -> None:
    spec = charts.member_timeline(TIMELINE).to_dict()
    assert spec["mark"]["type"] == "rect"  # fixed-size squares would overflow a phone
    x_axis = spec["encoding"]["x"]["axis"]
    assert x_axis["labelOverlap"] == "greedy" and x_axis["labelAngle"] == 0
    assert spec["encoding"]["y"]["axis"]["labelLimit"] == charts.HANDLE_LABEL_LIMIT
    assert spec["encoding"]["color"]["legend"]["orient"] == "top"
    assert spec["height"] == {"step": 22}


def test_vote_power_legend_sits_above_the_bars() -> None:
    spec = charts.vote_power_bars(RESULTS, 2e7).to_dict()
    assert spec["layer"][0]["encoding"]["color"]["legend"]["orient"] == "top"


def test_amount_axes_have_short_labels_and_exact_tooltips() -> None:
    trend = charts.round_trends(SUMMARY)[3].to_dict()  # backing stake (JOY)
    assert trend["encoding"]["y"]["axis"]["labelExpr"] == charts.SHORT_NUMBER
    assert trend["encoding"]["tooltip"][1]["format"] == ",.0f"
    share = charts.round_trends(SUMMARY)[4].to_dict()
    assert share["encoding"]["y"]["axis"]["format"] == ".0%"
    by_term = charts.spending_by_term(SPENDING).to_dict()
    assert by_term["encoding"]["y"]["axis"]["labelExpr"] == charts.SHORT_NUMBER
    assert by_term["encoding"]["x"]["axis"]["labelAngle"] == 0


def test_kpi_rewards_run_oldest_to_newest_left_to_right() -> None:
    newest_first = KPI_SUMMARY.iloc[::-1]
    spec = charts.kpi_rewards(newest_first).to_dict()
    assert spec["encoding"]["x"]["sort"] == [1, 2]


def test_charts_with_a_mark_per_round_or_cell_draw_on_a_canvas() -> None:
    # As SVG every mark is a page element the browser restyles and repaints on each change.
    for spec in [c.to_dict() for c in charts.round_trends(SUMMARY)] + [
        charts.member_timeline(TIMELINE).to_dict()
    ]:
        assert spec["usermeta"] == {"embedOptions": {"renderer": "canvas"}}


SPENDING = pd.DataFrame(
    {
        "decided_at_time": pd.to_datetime(
            ["2023-01-01", "2023-01-09", "2023-02-01", "2023-03-05"], utc=True
        ),
        "amount_joy": [10.0, 20.0, 5.5, 7.0],
        "proposal_id": ["1", "2", "3", "4"],
        "term": ["term 1", "term 1", "term 2", "term 2"],
        "category": ["Bounties", "Tools", "Bounties", "Bounties"],
    }
)


@pytest.mark.parametrize(
    ("build", "rows_of"),
    [
        (charts.category_shares, lambda items: spending.totals_by(items, ["category"])),
        (charts.spending_by_term, lambda items: spending.totals_by(items, ["term", "category"])),
        (charts.spending_over_time, spending.cumulative_spending),
    ],
)
def test_spending_charts_made_once_take_only_new_rows(build, rows_of) -> None:
    # charts.rows_spec makes these specs once and writes each filter's rows into a copy: right
    # only while the spec does not depend on the rows.
    charts._ROW_SPECS.pop(build, None)
    wide, narrow = rows_of(SPENDING), rows_of(SPENDING.iloc[2:])
    first = charts.rows_spec(build, wide)
    assert first == charts.to_spec(build(wide))
    again = charts.rows_spec(build, narrow)
    assert again == charts.to_spec(build(narrow))
    assert again["datasets"] != first["datasets"]
    assert len(again["datasets"]["data-0"]) == len(narrow)
    again["encoding"]["x"]["title"] = "changed by a caller"  # a copy: the next is unchanged
    assert charts.rows_spec(build, narrow) == charts.to_spec(build(narrow))


def test_round_trend_specs_equal_the_charts_specs_and_keep_their_own_rows() -> None:
    # Made from specs without rows: the same dicts Altair writes, NA and NaN as None.
    first = charts.round_trend_specs(SUMMARY)
    assert first == [charts.to_spec(chart) for chart in charts.round_trends(SUMMARY)]
    assert first[1]["datasets"] == {
        "data-0": [
            {"cycle_id": 1, "votes_cast": 30.0},
            {"cycle_id": 2, "votes_cast": None},
            {"cycle_id": 4, "votes_cast": 25.0},
        ]
    }
    assert first[4]["datasets"]["data-0"][0] == {"cycle_id": 1, "re_elected_share": None}
    # Other rows later leave earlier specs as they were (the specs share all but their rows).
    later = charts.round_trend_specs(SUMMARY[SUMMARY["cycle_id"] == 2])
    assert later[0]["datasets"] == {"data-0": [{"cycle_id": 2, "candidates": 12}]}
    assert [row["cycle_id"] for row in first[0]["datasets"]["data-0"]] == [1, 2, 4]
    assert {k: v for k, v in later[0].items() if k != "datasets"} == {
        k: v for k, v in first[0].items() if k != "datasets"
    }


def _rounds(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {"cycle_id": range(1, n + 1), **{column: [1.0] * n for column in charts.ROUND_TRENDS}}
    )


def test_round_trends_draw_a_point_per_round_up_to_trend_points() -> None:
    few, many = _rounds(charts.TREND_POINTS), _rounds(charts.TREND_POINTS + 1)
    for spec in charts.round_trend_specs(few):
        assert spec["mark"] == {"type": "line", "point": True}
        assert spec["encoding"]["tooltip"][0]["title"] == "Round"
    for spec in charts.round_trend_specs(many):
        # A plain line, and no tooltip: on a line it would show one round's values throughout.
        assert spec["mark"] == {"type": "line", "point": False}
        assert "tooltip" not in spec["encoding"]
        assert len(spec["datasets"]["data-0"]) == charts.TREND_POINTS + 1
    assert charts.round_trend_specs(many) == [
        charts.to_spec(chart) for chart in charts.round_trends(many)
    ]
    forced = charts.round_trends(many, points=True)[0].to_dict()
    assert forced["mark"] == {"type": "line", "point": True}
