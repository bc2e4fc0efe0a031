"""A fresh clone (the cache built from the bundled snapshot) opens every page on mainnet."""

from pathlib import Path

import pandas as pd
import pytest
from apptest_pages import frame_with_column, markdown_source, run_page

NETWORK_PAGES = [
    "app_pages/overview.py",
    "app_pages/elections.py",
    "app_pages/leaderboard.py",
    "app_pages/kpis.py",
    "app_pages/election_watch.py",
    "app_pages/term_report.py",
]


@pytest.fixture(scope="module")
def fresh_clone(snapshot_copy) -> Path:
    return snapshot_copy("fresh")


@pytest.mark.parametrize("page", NETWORK_PAGES)
def test_every_page_defaults_to_mainnet(page: str, fresh_clone: Path, monkeypatch) -> None:
    at = run_page(page, fresh_clone, monkeypatch)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="network").value == "mainnet"
    assert "network" not in at.query_params  # the default needs no URL parameter


def test_overview_shows_the_latest_mainnet_council(fresh_clone: Path, monkeypatch) -> None:
    at = run_page("app_pages/overview.py", fresh_clone, monkeypatch)
    assert "Latest council (elected in round 35)" in [s.value for s in at.subheader]
    council = frame_with_column(at, "Councillor")
    assert sorted(council["Councillor"]) == ["0x2bc", "Jenny", "leet_joy"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Election rounds"] == "33"
    assert metrics["Votes cast"] == "not recorded"


def test_election_history_shows_mainnet_councillors_and_vote_shares(
    fresh_clone: Path, monkeypatch
) -> None:
    at = run_page("app_pages/elections.py", fresh_clone, monkeypatch, candidacies="true")
    candidacies = frame_with_column(at, "Candidate")
    assert sorted(candidacies["Round"].unique()) == list(range(3, 36))
    assert set(candidacies["Outcome"]) == {"elected"}
    term_12 = candidacies[candidacies["Round"] == 12]
    assert sorted(term_12["Candidate"]) == ["0x2bc", "l1dev", "leet_joy"]
    assert candidacies["Own stake (JOY)"].isna().all()  # not recorded, not 0
    shares = frame_with_column(at, "Vote share (%)")
    row = shares[(shares["Round"] == 12) & (shares["Councillor"] == "0x2bc")]
    assert row["Vote share (%)"].tolist() == [22.0]
    losers = [i.value for i in at.info if "candidates who lost" in i.value]
    assert len(losers) == 1  # said once
    rounds = frame_with_column(at, "Candidate stake (JOY)")
    assert rounds["Candidate stake (JOY)"].isna().all()


def test_leaderboard_counts_mainnet_terms_served_and_streaks(
    fresh_clone: Path, monkeypatch
) -> None:
    at = run_page("app_pages/leaderboard.py", fresh_clone, monkeypatch)
    board = frame_with_column(at, "Longest streak").set_index("Member")
    # leet_joy sat on terms 7, 9-16, 20-22, 29-30 and 32-35: 18 terms, 8 in a row (9-16).
    leet = board.loc["leet_joy"]
    assert (leet["Terms served"], leet["Longest streak"], leet["First term"]) == (18, 8, 7)
    assert leet["Last term"] == 35
    assert pd.isna(leet["Own stake (JOY)"])
    assert not [r for r in at.radio if r.label == "Figure"]  # the testnet archive grid: not here


def test_term_report_shows_the_latest_mainnet_term_with_its_budget(
    fresh_clone: Path, monkeypatch
) -> None:
    at = run_page("app_pages/term_report.py", fresh_clone, monkeypatch)
    text = markdown_source(at, "report-source")
    assert text.startswith("# Council term 35 report (mainnet)")
    assert "- Ending Council budget: 17,309,118 JOY" in text
    assert at.selectbox(key="term").value == 35


def test_kpis_show_the_mainnet_okr_key_results(fresh_clone: Path, monkeypatch) -> None:
    at = run_page("app_pages/kpis.py", fresh_clone, monkeypatch)
    assert "Latest term (over): 2023 Q2" in [s.value for s in at.subheader]
    shown = frame_with_column(at, "Days left")
    assert set(shown["Term"]) == {"2023 Q2"}
    assert shown["KPI"].str.startswith("KR-").all()
    testnet = run_page("app_pages/kpis.py", fresh_clone, monkeypatch, network="sumer")
    assert not any(s.value == "Current term: 2023 Q2" for s in testnet.subheader)


def test_a_mainnet_councillors_proposal_votes_read_not_recorded(
    fresh_clone: Path, monkeypatch
) -> None:
    """The mainnet record holds no proposal or proposal vote: not recorded, never 0."""
    at = run_page("app_pages/leaderboard.py", fresh_clone, monkeypatch, member="0x2bc")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Terms served"] == "21"
    assert metrics["Proposal votes"] == "not recorded"
    scorecard = frame_with_column(at, "Proposal votes cast")
    assert scorecard["Proposal votes cast"].isna().all()
    assert scorecard["Member ID"].isna().all()  # the record names them by handle only
