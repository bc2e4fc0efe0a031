"""Every filter keeps each change and mirrors it in the URL (streamlit AppTest).

A widget without a key whose default comes from the URL is a new widget after each URL update,
so every second change of it was dropped: each filter here is changed twice in a row.
"""

from datetime import date
from pathlib import Path

import pytest
from apptest_pages import run_page


@pytest.fixture(scope="module")
def snapshot_db(snapshot_copy) -> Path:
    return snapshot_copy("controls")


# page, widget kind, key, URL parameter, two changes in a row: (value, URL value)
CHANGES = [
    ("elections", "slider", "rounds", "rounds", [((5, 30), "5-30"), ((10, 20), "10-20")]),
    ("elections", "date_input", "dates", "from",
     [((date(2021, 5, 1), date(2022, 1, 12)), "2021-05-01"),
      ((date(2021, 6, 1), date(2022, 1, 12)), "2021-06-01")]),
    ("elections", "multiselect", "members", "member",
     [(["ilich"], ["ilich"]), (["ilich", "tomato"], ["ilich", "tomato"])]),
    ("elections", "multiselect", "outcomes", "outcome",
     [(["elected"], ["elected"]), (["elected", "withdrawn"], ["elected", "withdrawn"])]),
    ("elections", "selectbox", "round", "round", [(20, "20"), (22, "22")]),
    ("elections", "selectbox", "network", "network",
     [("alexandria", "alexandria"), ("constantinople", "constantinople")]),
    ("leaderboard", "slider", "terms", "terms", [((8, 41), "8-41"), ((10, 20), "10-20")]),
    ("leaderboard", "number_input", "min_terms", "min_terms", [(3, "3"), (5, "5")]),
    ("leaderboard", "text_input", "q", "q", [("to", "to"), ("tomato", "tomato")]),
    ("leaderboard", "selectbox", "metric", "metric",
     [("Times elected", "times_elected"), ("Votes received", "votes_received")]),
    ("leaderboard", "slider", "top", "top", [(5, "5"), (30, "30")]),
    ("leaderboard", "selectbox", "term", "term", [(30, "30"), (25, "25")]),
    ("leaderboard", "radio", "figure", "figure", [("Vote %", "Vote %"), ("KPI bonus (USD)",
     "KPI bonus (USD)")]),
    ("leaderboard", "selectbox", "member", "member", [("tomato", "tomato"), ("ilich", "ilich")]),
    ("spending", "multiselect", "terms", "term",
     [(["Sumer"], ["Sumer"]), (["Sumer", "Giza"], ["Sumer", "Giza"])]),
    ("spending", "multiselect", "categories", "category",
     [(["Bounties"], ["Bounties"]), (["Bounties", "Media"], ["Bounties", "Media"])]),
    ("spending", "number_input", "min", "min", [(1000, "1000"), (5000, "5000")]),
    ("kpis", "multiselect", "term", "term",
     [(["KPI round 18"], ["KPI round 18"]), (["KPI round 17"], ["KPI round 17"])]),
    ("kpis", "multiselect", "status", "status", [(["done"], ["done"]), ([], None)]),
    ("term_report", "selectbox", "term", "term", [(30, "30"), (25, "25")]),
    ("election_watch", "selectbox", "network", "network",
     [("alexandria", "alexandria"), ("constantinople", "constantinople")]),
    ("overview", "selectbox", "network", "network",
     [("alexandria", "alexandria"), ("constantinople", "constantinople")]),
]  # fmt: skip


def widget(at, kind: str, key: str):
    return getattr(at, kind)(key=key)


@pytest.mark.parametrize(
    ("page", "kind", "key", "param", "changes"),
    CHANGES,
    ids=[f"{c[0]}-{c[2]}" for c in CHANGES],
)
def test_a_filter_keeps_two_changes_in_a_row(
    snapshot_db: Path, monkeypatch, page, kind, key, param, changes
) -> None:
    # The bundled data opens on mainnet; these filters are tried on the Sumer testnet's data.
    at = run_page(f"app_pages/{page}.py", snapshot_db, monkeypatch, network="sumer")
    for value, in_url in changes:
        widget(at, kind, key).set_value(value).run()
        assert not at.exception, [e.value for e in at.exception]
        shown = widget(at, kind, key).value
        assert (list(shown) if isinstance(value, (list, tuple)) else shown) == (
            list(value) if isinstance(value, (list, tuple)) else value
        )
        url = at.query_params.get(param)
        # AppTest gives a repeated parameter with one value as that value.
        assert ([url] if isinstance(in_url, list) and isinstance(url, str) else url) == in_url


def test_a_round_range_belongs_to_its_network(snapshot_db: Path, monkeypatch) -> None:
    at = run_page("app_pages/leaderboard.py", snapshot_db, monkeypatch, network="sumer")
    at.slider(key="terms").set_value((8, 41)).run()
    at.text_input(key="q").set_value("tomato").run()
    at.selectbox(key="network").set_value("alexandria").run()
    assert at.slider(key="terms").value == (1, 12)
    assert "terms" not in at.query_params
    at.selectbox(key="network").set_value("sumer").run()
    assert at.slider(key="terms").value == (1, 41)
    assert "terms" not in at.query_params
    # A search is not about one network: it stays.
    assert at.text_input(key="q").value == "tomato"
    assert at.query_params["q"] == "tomato"


def test_a_picked_round_does_not_carry_over_to_another_network(
    snapshot_db: Path, monkeypatch
) -> None:
    at = run_page("app_pages/elections.py", snapshot_db, monkeypatch)
    at.selectbox(key="round").set_value(20).run()
    at.selectbox(key="network").set_value("alexandria").run()
    assert at.selectbox(key="round").value == 12
    at.selectbox(key="network").set_value("sumer").run()
    assert at.selectbox(key="round").value == 41
    assert "round" not in at.query_params


def test_round_detail_picks_from_the_filtered_rounds(snapshot_db: Path, monkeypatch) -> None:
    at = run_page(
        "app_pages/elections.py",
        snapshot_db,
        monkeypatch,
        network="sumer",
        rounds="10-20",
        member="blackmass",
    )
    rounds = at.selectbox(key="round")
    assert rounds.options == [str(r) for r in range(20, 9, -1)]
    assert rounds.value == 20
    assert "32 votes in round 20" in [c.value for c in at.caption]


def test_headline_and_archive_note_follow_the_filters(snapshot_db: Path, monkeypatch) -> None:
    at = run_page(
        "app_pages/elections.py",
        snapshot_db,
        monkeypatch,
        network="sumer",
        rounds="10-20",
        member="blackmass",
    )
    # blackmass stood in all 11 rounds 10-20 and received no vote in them (353 votes were cast
    # in those rounds, for the others).
    assert {m.label: m.value for m in at.metric} == {
        "Rounds": "11",
        "Candidacies": "11",
        "Distinct candidates": "1",
        "Votes received": "0",
    }
    assert not any("come only from the council's hand-written" in i.value for i in at.info)
    at.slider(key="rounds").set_value((30, 41)).run()
    assert any("come only from the council's hand-written" in i.value for i in at.info)


def test_round_detail_says_when_a_rounds_votes_are_not_recorded(
    snapshot_db: Path, monkeypatch
) -> None:
    at = run_page("app_pages/elections.py", snapshot_db, monkeypatch, network="sumer", round="41")
    notes = [i.value for i in at.info]
    assert any(
        n.startswith("Round 41 is known from a term report: its votes are not recorded.")
        for n in notes
    )
    assert "No rows match the current filters." not in notes
