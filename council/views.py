"""Page views: everything a page shows for one set of filters, computed in one pure call.

A view bundles display tables and chart specifications (Vega-Lite dicts built with Altair),
so a page can cache the whole view per filter state and a rerun only lays it out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from council import budget_view, charts, tables
from council.stats import budget, elections, kpis, leaderboard, spending

TIMELINE_ROUNDS = charts.MAX_BARS
CHART_TERMS = charts.MAX_BARS  # bars per term in a chart (the budget, heatmap, spending)


@dataclass
class ElectionView:
    """What the election page shows for one filter state.

    ``headline`` values are None where the data does not record them; ``archive_rounds`` are
    the shown rounds known only from term reports.
    """

    headline: dict[str, int | None]
    round_table: pd.DataFrame
    candidacy_table: pd.DataFrame
    trends: list[dict] = field(default_factory=list)
    timeline: dict | None = None
    timeline_note: str = ""
    trends_note: str = ""
    headline_note: str = ""
    shown_rounds: list[int] = field(default_factory=list)
    archive_rounds: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ElectionTables:
    """The election page's display tables of a whole network, formatted once (per cache
    version): ``candidacies`` has a row per row of the results, ``rounds`` per row of the
    round summary, each with that frame's index, so a filter state only picks its rows."""

    candidacies: pd.DataFrame
    rounds: pd.DataFrame


def election_tables(results: pd.DataFrame, summary: pd.DataFrame) -> ElectionTables:
    """:class:`ElectionTables` of ``results`` and ``summary`` (``tables.candidacy_table`` and
    ``tables.round_table`` of every row: their cells depend on their own row only)."""
    return ElectionTables(
        candidacies=formatted_rows(tables.candidacy_table, results),
        rounds=formatted_rows(tables.round_table, summary),
    )


def formatted_rows(make_table: Callable[[pd.DataFrame], pd.DataFrame], frame: pd.DataFrame):
    """``make_table(frame)`` (a display table of ``council.tables`` whose cells depend on
    their own row only) with ``frame``'s index, so that the rows of a filtered ``frame`` can
    be picked from it (:func:`_rows`) instead of formatted again. ``frame``'s index must be
    unique."""
    if not frame.index.is_unique:
        raise ValueError("formatted_rows needs a frame with a unique index")
    return make_table(frame).set_axis(frame.index)


def _rows(table: pd.DataFrame, subset: pd.DataFrame) -> pd.DataFrame:
    """The rows of a table formatted once (:func:`formatted_rows`) that ``subset`` keeps."""
    return table.loc[subset.index].reset_index(drop=True)


def _known_sum(values: pd.Series) -> int | None:
    """The sum of the recorded values; None when none is recorded."""
    return int(values.sum()) if values.notna().any() else None


def _selected_archive_rounds(
    rounds: pd.DataFrame,
    shown: pd.DataFrame,
    date_range: tuple[date, date] | None,
    narrowed: bool,
    archive_rounds: Iterable[int],
) -> list[int]:
    """The archive rounds among ``rounds`` that the date range keeps, and, when a member or
    outcome filter ``narrowed`` the candidacies, that hold one of the ``shown`` candidacies
    (an archive round may record no candidacy at all)."""
    keep = rounds["cycle_id"].isin(list(archive_rounds))
    if date_range is not None:
        ended = rounds["ended_at_time"].dt.date
        keep &= ended.isna() | ((ended >= date_range[0]) & (ended <= date_range[1]))
    if narrowed:
        keep &= rounds["cycle_id"].isin(shown["cycle_id"])
    return sorted(int(c) for c in rounds.loc[keep, "cycle_id"])


def cycle_bounds(summary: pd.DataFrame) -> tuple[int, int]:
    """The first and last round of a network's round summary: Election history's round filter
    spans them (the page's first view, which the background warm-up prepares)."""
    return int(summary["cycle_id"].min()), int(summary["cycle_id"].max())


def election_timeline(
    results: pd.DataFrame,
    rounds: list[int],
    date_range: tuple[date, date] | None,
    handles: list[str],
    outcomes: list[str],
) -> dict:
    """The "who stood when" chart (a Vega-Lite dict) of the candidacies in ``rounds`` (sorted)
    that the date range, members and outcomes keep. It depends on these alone, not on the
    round filter: a step of the filter's lower end leaves the selection's last rounds, and so
    the chart, as they were (the page caches it by them)."""
    shown = elections.filter_candidacies(
        results, (rounds[0], rounds[-1]), date_range, handles, outcomes
    )
    timeline = elections.member_timeline(shown[shown["cycle_id"].isin(rounds)])
    return charts.to_spec(charts.member_timeline(timeline))


def election_view(
    results: pd.DataFrame,
    summary: pd.DataFrame,
    cycle_range: tuple[int, int],
    date_range: tuple[date, date] | None,
    handles: list[str],
    outcomes: list[str],
    archive_rounds: Iterable[int] = (),
    formatted: ElectionTables | None = None,
    timeline_of: Callable[[list[int]], dict] | None = None,
) -> ElectionView:
    """Filter the election statistics and build the page's tables and charts.

    The headline counts the shown rows: with a member or outcome filter the votes are those
    the shown candidacies received, not every vote of their rounds. ``formatted``: the
    network's tables formatted once (:func:`election_tables` of ``results`` and ``summary``),
    so only the shown rows are picked; without it they are formatted here. ``timeline_of``:
    the "who stood when" chart of the selection's last rounds (a cached
    :func:`election_timeline` with this date range, members and outcomes); without it, made
    here.
    """
    shown = elections.filter_candidacies(results, cycle_range, date_range, handles, outcomes)
    in_range = summary["cycle_id"].between(*cycle_range)
    shown_rounds = summary[in_range & summary["cycle_id"].isin(shown["cycle_id"])]
    if handles or outcomes:
        votes_label, votes = "Votes received", shown["votes_received"]
        recorded = shown.loc[votes.notna(), "cycle_id"]
    else:
        votes_label, votes = "Votes cast", shown_rounds["votes_cast"]
        recorded = shown_rounds.loc[votes.notna(), "cycle_id"]
    missing = len(shown_rounds) - recorded.nunique()
    view = ElectionView(
        headline={
            "Rounds": len(shown_rounds),
            "Candidacies": len(shown),
            "Distinct candidates": int(shown["handle"].nunique()),
            votes_label: _known_sum(votes),
        },
        round_table=(
            _rows(formatted.rounds, shown_rounds) if formatted else tables.round_table(shown_rounds)
        ),
        candidacy_table=(
            _rows(formatted.candidacies, shown) if formatted else tables.candidacy_table(shown)
        ),
        shown_rounds=sorted(shown_rounds["cycle_id"].tolist()),
        archive_rounds=_selected_archive_rounds(
            summary[in_range], shown, date_range, bool(handles or outcomes), archive_rounds
        ),
    )
    if missing and len(shown_rounds):
        view.headline_note = (
            f"The votes of {missing} of these {len(shown_rounds)} rounds are not recorded: "
            f"{votes_label.lower()} counts the other {len(shown_rounds) - missing}."
            if missing < len(shown_rounds)
            else "The votes of the shown rounds are not recorded."
        )
    if len(shown_rounds) > 1:
        view.trends = charts.round_trend_specs(shown_rounds)
        if len(shown_rounds) > charts.TREND_POINTS:
            view.trends_note = (
                f"More than {charts.TREND_POINTS} rounds: a line without points. Narrow the "
                "round filter to hover a round's values; the table above lists them all."
            )
    if not shown.empty:
        recent = [int(c) for c in sorted(shown["cycle_id"].unique())[-TIMELINE_ROUNDS:]]
        if timeline_of is None:
            view.timeline = election_timeline(results, recent, date_range, handles, outcomes)
        else:
            view.timeline = timeline_of(recent)
        if len(recent) < shown["cycle_id"].nunique():
            view.timeline_note = (
                f"The last {TIMELINE_ROUNDS} rounds of the selection; narrow the round filter "
                "to see earlier ones."
            )
    return view


@dataclass
class RoundView:
    """One round in detail: vote power chart, candidates' notes, every vote.

    ``votes_note`` says why there is no vote to list (not recorded, or none cast); empty when
    ``votes`` has rows.
    """

    vote_power: dict
    notes: list[dict[str, object]]
    votes: pd.DataFrame
    votes_note: str = ""


def round_view(
    results: pd.DataFrame,
    summary: pd.DataFrame,
    candidates: pd.DataFrame,
    votes: pd.DataFrame,
    cycle: int,
    from_report: bool = False,
) -> RoundView:
    """The drill-down of round ``cycle`` (``votes``: that round's raw votes; ``from_report``:
    the round is known only from a term report)."""
    in_round = results[results["cycle_id"] == cycle]
    this_round = summary.loc[summary["cycle_id"] == cycle].iloc[0]
    handle_of = dict(zip(in_round["candidate_id"], in_round["handle"], strict=True))
    notes = [
        {**note, "handle": handle_of.get(note["candidate_id"], "?")}
        for note in tables.candidate_notes(candidates[candidates["cycle_id"] == cycle])
        if note["header"] or note["bullet_points"]
    ]
    view = RoundView(
        vote_power=charts.to_spec(
            charts.vote_power_bars(in_round, this_round["winning_threshold_joy"])
        ),
        notes=notes,
        votes=tables.vote_table(elections.round_votes(votes, results)),
    )
    total = this_round["votes_cast"]
    if view.votes.empty and from_report:
        # A winners-only round's votes cast may come from its election totals: no single vote.
        view.votes_note = f"Round {cycle} is known from a term report: its votes are not recorded."
        if pd.notna(total):
            view.votes_note += f" Its election totals count {int(total):,} votes cast."
    elif pd.isna(total):
        view.votes_note = (
            f"The votes of round {cycle} are not recorded in this data (its record lists "
            "the elected seats only)."
        )
    elif view.votes.empty:
        view.votes_note = f"No votes were cast in round {cycle}."
    return view


# The leaderboard's "top members" chart: label -> member totals column (the URL holds the column).
TOP_MEMBER_METRICS = {
    "Terms served": "terms_served",
    "Times elected": "times_elected",
    "Votes received": "votes_received",
    "Proposal votes": "proposal_votes",
    "Own stake (JOY)": "own_stake_joy",
}


@dataclass
class LeaderboardView:
    """What the leaderboard shows for one term range, search and minimum of terms."""

    totals: pd.DataFrame
    shown: pd.DataFrame
    table: pd.DataFrame
    card: pd.DataFrame
    heatmap: dict | None
    heatmap_note: str = ""


def leaderboard_view(
    results: pd.DataFrame,
    term_table: pd.DataFrame,
    card: pd.DataFrame,
    members: pd.DataFrame,
    term_range: tuple[int, int],
    search: str,
    min_terms: int,
) -> LeaderboardView:
    """Member totals within a term range, the shown rows, and the participation heatmap."""
    card_in, results_in = leaderboard.filter_terms(card, results, term_range)
    totals = leaderboard.member_totals(results_in, card_in, term_table)
    shown = leaderboard.search_members(totals, search, min_terms)
    terms = sorted(card_in["term"].unique())
    charted = card_in[card_in["term"].isin(terms[-CHART_TERMS:])]
    matrix = leaderboard.participation_matrix(charted, members)
    view = LeaderboardView(
        totals=totals,
        shown=shown,
        table=tables.leaderboard_table(shown),
        card=card_in,
        heatmap=None,
    )
    if matrix["participation"].notna().any():
        view.heatmap = charts.to_spec(charts.participation_heatmap(matrix))
        if len(terms) > CHART_TERMS:
            view.heatmap_note = (
                f"The last {CHART_TERMS} of the {len(terms):,} chosen terms; narrow the "
                "term range to see earlier ones."
            )
    return view


@dataclass
class SpendingView:
    """What the spending page shows for one filter state."""

    spent_joy: float
    proposals: int
    uncategorised: int
    category_table: pd.DataFrame
    term_table: pd.DataFrame
    proposal_table: pd.DataFrame
    report: str
    category_chart: dict | None = None
    term_chart: dict | None = None
    term_chart_note: str = ""
    time_chart: dict | None = None


def spending_view(
    items: pd.DataFrame,
    terms: list[str],
    categories: list[str],
    date_range: tuple[date, date] | None,
    min_amount: float,
    formatted: pd.DataFrame | None = None,
) -> SpendingView:
    """Filter the spending items and build the page's tables, charts and periodic report.

    ``formatted``: every item's display row formatted once (:func:`formatted_rows` of
    ``tables.spending_table`` and ``items``); without it the shown rows are formatted here.
    """
    shown = spending.filter_items(items, terms, categories, date_range, min_amount)
    by_category = spending.totals_by(shown, ["category"])
    by_term = spending.totals_by(shown, ["term", "category"])
    view = SpendingView(
        spent_joy=float(shown["amount_joy"].sum()),
        proposals=len(shown),
        uncategorised=int(shown["uncategorised"].sum()),
        category_table=tables.totals_table(by_category),
        term_table=tables.totals_table(by_term),
        proposal_table=(
            _rows(formatted, shown) if formatted is not None else tables.spending_table(shown)
        ),
        report=spending.markdown_table(by_category),
    )
    if not by_category.empty:
        view.category_chart = charts.rows_spec(charts.category_shares, by_category)
    if not by_term.empty:
        charted = spending.largest_groups(by_term, "term", CHART_TERMS)
        view.term_chart = charts.rows_spec(charts.spending_by_term, charted)
        chosen = by_term["term"].nunique()
        if charted["term"].nunique() < chosen:
            view.term_chart_note = (
                f"The chart shows the {CHART_TERMS} terms with the most spending of the "
                f"{chosen:,} chosen; the table below lists them all."
            )
    if shown["decided_at_time"].notna().any():
        cumulative = spending.cumulative_spending(shown)
        view.time_chart = charts.rows_spec(charts.spending_over_time, cumulative)
    return view


@dataclass
class KpiTermsView:
    """The KPI page's across-terms part: the per-term summary table and its chart."""

    table: pd.DataFrame
    chart: dict | None = None


def kpi_terms_view(items: pd.DataFrame) -> KpiTermsView:
    """Completion and rewards per term of the (filtered) KPI items, as a table and a chart."""
    summary = kpis.term_summary(items)
    chart = charts.to_spec(charts.kpi_rewards(summary)) if len(summary) > 1 else None
    return KpiTermsView(table=tables.kpi_summary_table(summary), chart=chart)


@dataclass
class BudgetView:
    """The spending page's council budget for one range of terms: chart and table."""

    table: pd.DataFrame
    chart: dict | None = None
    chart_note: str = ""


def council_budget_view(by_term: pd.DataFrame, terms: tuple[int, int]) -> BudgetView:
    """The stacked chart and the table of :func:`council.stats.budget.budget_by_term`'s
    ``by_term`` within the term range ``terms`` (inclusive); the chart has the last
    :data:`CHART_TERMS` terms of the range."""
    chosen = budget.filter_terms(by_term, terms)
    charted = chosen.sort_values("term").tail(CHART_TERMS)
    long = budget.spending_by_item(charted)
    view = BudgetView(table=budget_view.budget_table(chosen))
    if len(long):
        view.chart = charts.to_spec(charts.budget_by_term(long))
    if len(charted) < len(chosen):
        view.chart_note = (
            f"The chart shows the last {CHART_TERMS} of the {len(chosen):,} chosen terms; "
            "narrow Budget terms to see earlier ones. The table below lists them all."
        )
    return view
