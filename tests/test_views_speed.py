"""The faster page views (issue 17) show exactly what the slower ones showed.

Tables formatted once per network and picked per filter state equal tables formatted per
filter state; view chart specs equal Altair's checked specs; the council budget view equals
the spending page's former inline steps; the round trends carry only their own column.
"""

# ruff: noqa: F811 (the hand-made fixtures of test_views are imported, then requested)
from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from test_stats_budget import sources
from test_stats_spending import CATEGORIES, COUNCILS, PROPOSALS
from test_views import results, summary  # noqa: F401

from council import budget_view, charts, data, tables, ui, uploads, views
from council.format import block_with_date
from council.stats import budget, elections, spending

FILTERS = [
    ((1, 3), [], []),
    ((2, 3), [], []),
    ((1, 1), [], []),
    ((1, 3), ["a"], []),
    ((1, 3), [], ["elected"]),
    ((2, 2), ["b"], []),  # nothing shown
]


def _same_view(old: views.ElectionView, new: views.ElectionView) -> None:
    pd.testing.assert_frame_equal(new.round_table, old.round_table)
    pd.testing.assert_frame_equal(new.candidacy_table, old.candidacy_table)
    assert new.headline == old.headline
    assert new.trends == old.trends and new.timeline == old.timeline
    assert new.shown_rounds == old.shown_rounds and new.archive_rounds == old.archive_rounds


@pytest.mark.parametrize(("cycles", "handles", "outcomes"), FILTERS)
def test_election_tables_picked_from_the_formatted_ones_equal_tables_formatted_per_filter(
    results, summary, cycles, handles, outcomes
) -> None:
    formatted = views.election_tables(results, summary)
    old = views.election_view(results, summary, cycles, None, handles, outcomes, [3])
    new = views.election_view(results, summary, cycles, None, handles, outcomes, [3], formatted)
    if old.candidacy_table.empty:
        assert new.candidacy_table.empty and new.round_table.empty
        assert list(new.candidacy_table.columns) == list(old.candidacy_table.columns)
        return
    _same_view(old, new)
    # The hand-checked cells: round 2 ended at block 2,000 on 2024-02-01, status finished.
    if cycles == (2, 3) and not handles and not outcomes:
        assert new.round_table["Ended (block · date UTC)"].tolist() == [
            "#3,000 · 2024-03-01",
            "#2,000 · 2024-02-01",
        ]
        assert new.round_table["Status"].tolist() == ["finished (winners only)"] * 2


def test_election_tables_of_the_bundled_snapshot_equal_per_filter_ones(snapshot_copy) -> None:
    loaded = data.load(snapshot_copy("views-speed"))
    here = loaded.for_network("mainnet")
    results_here, summary_here = elections.election_tables(here)
    formatted = views.election_tables(results_here, summary_here)
    lo, hi = int(summary_here["cycle_id"].min()), int(summary_here["cycle_id"].max())
    for cycles in ((lo, hi), (lo + 1, hi - 1)):
        args = (results_here, summary_here, cycles, None, [], [], [])
        _same_view(views.election_view(*args), views.election_view(*args, formatted))
    # The Overview's votes cast per round (without the election results) are the summary's.
    cast = elections.votes_cast(here.rounds, here.round_votes, here.archive_election_stats)
    pd.testing.assert_series_equal(
        cast.set_axis(here.rounds["cycle_id"].to_numpy()).sort_index(),
        summary_here.set_index("cycle_id")["votes_cast"].sort_index(),
        check_names=False,
        check_index_type=False,
    )


def test_formatted_rows_need_a_unique_index(results) -> None:
    with pytest.raises(ValueError, match="unique index"):
        views.formatted_rows(tables.candidacy_table, pd.concat([results, results]))


@pytest.mark.parametrize(
    ("terms", "minimum", "shown"),
    [([], 0, ["10", "11", "12", "5", "7"]), ([], 1000, ["10"]), (["term 2"], 0, ["11", "12"])],
)
def test_spending_rows_picked_from_the_formatted_ones_equal_rows_formatted_per_filter(
    terms, minimum, shown
) -> None:
    items = spending.spending_items(CATEGORIES, PROPOSALS, COUNCILS)
    formatted = views.formatted_rows(tables.spending_table, items)
    old = views.spending_view(items, terms, [], None, minimum)
    new = views.spending_view(items, terms, [], None, minimum, formatted)
    pd.testing.assert_frame_equal(new.proposal_table, old.proposal_table)
    assert (new.spent_joy, new.proposals, new.report) == (old.spent_joy, old.proposals, old.report)
    assert new.proposal_table["Proposal"].tolist() == shown


def test_view_specs_equal_the_checked_specs(results, summary) -> None:
    view = views.election_view(results, summary, (1, 3), None, [], [], [3])
    assert view.trends == [
        charts.stable_dataset_names(chart.to_dict())
        for chart in charts.round_trends(summary[summary["cycle_id"] <= 3])
    ]


def _without_rows(spec: dict) -> dict:
    return {key: value for key, value in spec.items() if key != "datasets"}


def test_a_round_range_step_changes_the_trends_rows_not_their_specs(results, summary) -> None:
    # The browser swaps the rows into a drawn chart whose spec is unchanged, instead of
    # compiling and drawing it anew: a step of the rounds slider must change only the rows.
    wide = views.election_view(results, summary, (1, 3), None, [], [])
    narrow = views.election_view(results, summary, (2, 3), None, [], [])
    assert [_without_rows(s) for s in wide.trends] == [_without_rows(s) for s in narrow.trends]
    assert [s["datasets"] for s in wide.trends] != [s["datasets"] for s in narrow.trends]
    (rows,) = narrow.trends[0]["datasets"].values()
    assert [row["cycle_id"] for row in rows] == [3, 2]


def test_each_round_trend_carries_only_its_own_column(summary) -> None:
    for column, chart in zip(charts.ROUND_TRENDS, charts.round_trends(summary), strict=True):
        spec = chart.to_dict()
        (rows,) = spec["datasets"].values()
        assert [set(row) for row in rows] == [{"cycle_id", column}] * 3
        assert [row["cycle_id"] for row in rows] == [3, 2, 1]
    votes = charts.round_trends(summary)[1].to_dict()
    (rows,) = votes["datasets"].values()
    assert [row["votes_cast"] for row in rows] == [None, 7, 10]


def test_council_budget_view_equals_the_pages_former_steps() -> None:
    table = budget.budget_by_term(sources())
    lo, hi = int(table["term"].min()), int(table["term"].max())
    for terms in ((lo, hi), (hi, hi)):
        shown = views.council_budget_view(table, terms)
        chosen = budget.filter_terms(table, terms)
        pd.testing.assert_frame_equal(shown.table, budget_view.budget_table(chosen))
        expected = charts.budget_by_term(budget.spending_by_item(chosen)).to_dict()
        assert shown.chart == charts.stable_dataset_names(expected)


@pytest.mark.parametrize(
    "when",
    [
        pd.Timestamp("2024-03-05 23:59:59", tz="UTC"),
        pd.Timestamp("2021-10-15"),
        datetime(999, 1, 2),
        date(2022, 7, 1),
    ],
)
def test_block_dates_from_their_fields_equal_strftime(when) -> None:
    assert block_with_date(2408400, when) == f"#2,408,400 · {when:%Y-%m-%d}"
    assert block_with_date(7, when, estimated=True) == f"#7 · ~{when:%Y-%m-%d}"


def test_the_warm_up_computes_what_the_pages_then_share(tmp_path, monkeypatch) -> None:
    from council.synthetic import add_working_groups, write_synthetic_cache
    from council.ui import background, shared
    from council.working_groups import stats as wg_stats
    from council.working_groups import views as wg_views

    path = tmp_path / "council.db"
    write_synthetic_cache(path, rounds=4, candidates=12, votes=60, seed=3)
    add_working_groups(path, workers=5, rewards=30, seed=3)
    mtime = data.cache_mtime(path)
    # A misspelt module would raise here, not silently.
    warmed = background._warm_up_now(str(path), mtime)
    assert "council.views" in background.WARM_UP_MODULES
    assert list(warmed) == [
        "_election_results",
        "_term_tables",
        "_council_budget",
        "_voter_stats",
        "_election_view",
        "_election_round_view",
        "_spending_items",
        "_spending_file_check",
        "_working_groups",
        "_wg_range_view",
        "_wg_group_view",
    ]
    (network,) = data.load(path).networks
    uploads_version = data.cache_mtime(uploads.uploads_db_path())
    groups = warmed["_working_groups"]
    bounds = views.cycle_bounds(warmed["_election_results"][1])
    newest = max(warmed["_election_view"].shown_rounds)
    arguments = {
        # Election history's first view: every round, no other filter; the newest round.
        "_election_view": (str(path), mtime, network, bounds, None, (), ()),
        "_election_round_view": (str(path), mtime, network, newest),
        "_spending_items": (str(path), mtime, uploads_version),
        "_spending_file_check": (str(path), mtime, uploads_version, network),
        # The Working groups page's view before a visitor picks: every term, the first group.
        "_wg_range_view": (str(path), mtime, network, wg_views.term_bounds(groups)),
        "_wg_group_view": (str(path), mtime, network, wg_stats.group_ids(groups.frames)[0]),
    }
    for name, value in warmed.items():
        assert value is not None
        # The page gets the warmed object itself, cached.
        assert getattr(shared, name)(*arguments.get(name, (str(path), mtime, network))) is value
    # As the page asks for them (filters as the URL state gives them: lists, a range).
    monkeypatch.setenv("COUNCIL_DB", str(path))
    assert ui.election_view(network, list(bounds), None, [], []) is warmed["_election_view"]
    assert ui.election_round_view(network, newest) is warmed["_election_round_view"]


def test_budget_chart_draws_the_last_terms_of_a_long_range() -> None:
    one_term = budget.budget_by_term(sources()).iloc[[0]]
    table = pd.concat([one_term.assign(term=n) for n in range(1, 101)], ignore_index=True)
    shown = views.council_budget_view(table, (1, 100))
    charted = {row["term_label"] for row in shown.chart["datasets"].popitem()[1]}
    assert charted == {f"term {n}" for n in range(41, 101)}
    assert len(shown.table) == 100
    assert shown.chart_note.startswith("The chart shows the last 60 of the 100 chosen terms")
    assert views.council_budget_view(table, (41, 100)).chart_note == ""


def test_participation_heatmap_draws_the_last_terms_of_a_long_range(monkeypatch) -> None:
    from test_stats_leaderboard import COUNCILS, PROPOSALS, RESULTS, SEATS, VOTES

    from council.stats import leaderboard

    term_table = leaderboard.terms(COUNCILS)
    card = leaderboard.scorecard(term_table, SEATS, PROPOSALS, VOTES)
    results = RESULTS.assign(cycle_id=[1, 1, 1, 2, 2, 2, 3, 3, 3])
    members = pd.DataFrame({"network": ["t"] * 3, "id": ["A", "B", "C"], "handle": list("abc")})
    monkeypatch.setattr(views, "CHART_TERMS", 2)
    view = views.leaderboard_view(results, term_table, card, members, (1, 3), "", 0)
    (rows,) = view.heatmap["datasets"].values()
    assert sorted({row["term"] for row in rows}) == [2, 3]
    assert set(view.card["term"]) == {1, 2, 3}  # the tables keep every term
    assert view.heatmap_note.startswith("The last 2 of the 3 chosen terms")
    assert (
        views.leaderboard_view(results, term_table, card, members, (2, 3), "", 0).heatmap_note == ""
    )


def test_round_trends_of_more_rounds_than_trend_points_are_lines_with_a_note(
    results, summary, monkeypatch
) -> None:
    monkeypatch.setattr(charts, "TREND_POINTS", 2)
    three = views.election_view(results, summary, (1, 3), None, [], [])
    assert [spec["mark"]["point"] for spec in three.trends] == [False] * 5
    assert three.trends_note.startswith("More than 2 rounds: a line without points.")
    (rows,) = three.trends[0]["datasets"].values()
    assert [row["cycle_id"] for row in rows] == [3, 2, 1]  # every round's row still drawn
    two = views.election_view(results, summary, (2, 3), None, [], [])
    assert [spec["mark"]["point"] for spec in two.trends] == [True] * 5
    assert two.trends_note == ""


def test_the_timeline_depends_on_the_selections_last_rounds_not_the_round_filter(
    results, summary, monkeypatch
) -> None:
    monkeypatch.setattr(views, "TIMELINE_ROUNDS", 2)
    asked = []

    def timeline_of(rounds: list[int]) -> dict:
        asked.append(rounds)
        return {"rounds": rounds}

    wide = views.election_view(results, summary, (1, 3), None, [], [], timeline_of=timeline_of)
    views.election_view(results, summary, (2, 3), None, [], [], timeline_of=timeline_of)
    assert asked == [[2, 3], [2, 3]]  # a cache by these rounds serves both
    assert wide.timeline == {"rounds": [2, 3]}
    assert wide.timeline_note.startswith("The last 2 rounds of the selection")
    # Without a cache the view makes the same chart of those rounds' shown candidacies.
    shown = elections.filter_candidacies(results, (2, 3))
    expected = charts.to_spec(charts.member_timeline(elections.member_timeline(shown)))
    assert views.election_view(results, summary, (1, 3), None, [], []).timeline == expected
    assert views.election_timeline(results, [2, 3], None, [], []) == expected


def test_the_timeline_of_rounds_with_a_gap_leaves_the_gap_out(results) -> None:
    spec = views.election_timeline(results, [1, 3], None, [], [])
    (rows,) = spec["datasets"].values()
    assert {row["cycle_id"] for row in rows} == {1, 3}
    only_a = views.election_timeline(results, [1, 3], None, ["a"], [])
    (rows,) = only_a["datasets"].values()
    assert {row["handle"] for row in rows} == {"a"}
