"""Every page renders without exception on the bundled snapshot (streamlit AppTest)."""

import json
from pathlib import Path

import pytest
from apptest_pages import frame_with_column, open_expanders, run_page

from council import data
from council.stats import kpis

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGES = [
    "app_pages/overview.py",
    "app_pages/elections.py",
    "app_pages/leaderboard.py",
    "app_pages/spending.py",
    "app_pages/kpis.py",
    "app_pages/upload.py",
    "app_pages/about.py",
]


@pytest.fixture(scope="module")
def snapshot_db(snapshot_copy) -> Path:
    return snapshot_copy("app")


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(page: str, snapshot_db: Path, monkeypatch) -> None:
    at = run_page(page, snapshot_db, monkeypatch)
    assert at.title, "page has no title"
    assert not at.error, [e.value for e in at.error]


def test_election_page_shows_round_25_winners(snapshot_db: Path, monkeypatch) -> None:
    # The candidacies table is drawn only while its expander is open: the URL opens it.
    at = run_page(
        "app_pages/elections.py", snapshot_db, monkeypatch, network="sumer", candidacies="true"
    )
    candidacies = frame_with_column(at, "Candidate")
    round_25 = candidacies[candidacies["Round"] == 25]
    assert len(round_25) == 16
    assert set(round_25["Outcome"]) == {"elected"}
    ilich = round_25[round_25["Candidate"] == "ilich"].iloc[0]
    assert ilich["Own stake (JOY)"] == 10_000_000


def test_election_page_filters_from_the_url(snapshot_db: Path, monkeypatch) -> None:
    at = run_page(
        "app_pages/elections.py",
        snapshot_db,
        monkeypatch,
        network="sumer",
        rounds="10-20",
        member="blackmass",
    )
    assert not at.dataframe or all("Candidate" not in f.value.columns for f in at.dataframe)
    candidacies = frame_with_column(open_expanders(at, "candidacies"), "Candidate")
    assert set(candidacies["Candidate"]) == {"blackmass"}
    assert candidacies["Round"].between(10, 20).all()
    assert len(candidacies) > 0


def test_vote_table_shows_short_accounts(snapshot_db: Path, monkeypatch) -> None:
    at = run_page("app_pages/elections.py", snapshot_db, monkeypatch, network="sumer", round="25")
    votes = frame_with_column(at, "Voter account")
    assert len(votes) > 0
    assert votes["Voter account"].str.fullmatch(r"\w{5}…\w{5}").all()


def test_empty_cache_shows_an_empty_state(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "empty.db").touch()  # an absent file is a fresh install: see test_first_start
    at = run_page("app_pages/elections.py", tmp_path / "empty.db", monkeypatch)
    assert any("No election data" in i.value for i in at.info)


def test_leaderboard_member_profile_from_the_url(snapshot_db: Path, monkeypatch) -> None:
    # blackmass (member 361) won rounds 2, 4-6, 8-20 and 22-25 of the snapshot, and the
    # testnet archive adds the term reports of rounds 1 and 28-37: 32 Antioch/Sumer reports
    # list blackmass as a councillor, and 284 of their proposals' participant lines.
    at = run_page(
        "app_pages/leaderboard.py", snapshot_db, monkeypatch, network="sumer", member="blackmass"
    )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Candidacies": "32",
        "Times elected": "32",
        "Terms served": "32",
        "Proposal votes": "284",
    }
    board = frame_with_column(at, "Longest streak")
    row = board[board["Member"] == "blackmass"].iloc[0]
    # Rounds 8-20 in a row (13); round 1 is the first.
    assert (row["Terms served"], row["Longest streak"], row["First term"]) == (32, 13, 1)


def test_spending_and_kpi_pages_show_the_starter_files(snapshot_db: Path, monkeypatch) -> None:
    spending = run_page("app_pages/spending.py", snapshot_db, monkeypatch, category="Bounties")
    totals = frame_with_column(spending, "Share (%)")
    assert totals["Category"].tolist() == ["Bounties"]
    kpis = run_page(
        "app_pages/kpis.py", snapshot_db, monkeypatch, network="sumer", term="KPI round 18"
    )
    shown = frame_with_column(kpis, "Days left")
    assert set(shown["Term"]) == {"KPI round 18"}


def test_spending_page_flags_rows_minted_but_not_paid(snapshot_db: Path, monkeypatch) -> None:
    """The starter file's two canceled Sumer rows and two expired Giza rows have an amount
    minted (10,000,000 + 12,077,294 + 11,000,000 + 20,000,000 = 53,077,294 tJOY): listed for
    the secretary, counted nowhere."""
    at = run_page("app_pages/spending.py", snapshot_db, monkeypatch)
    with pytest.raises(AssertionError, match="no table"):  # not sent while its expander is shut
        frame_with_column(at, "Amount minted (JOY)")
    flagged = frame_with_column(open_expanders(at, "unpaid-rows"), "Amount minted (JOY)")
    assert flagged["Proposal #"].tolist() == ["1062", "1068", "1095", "1096"]
    assert flagged["Amount minted (JOY)"].sum() == 53_077_294
    proposals = frame_with_column(at, "Decided (block · date UTC)")
    assert not {"1062", "1068", "1095", "1096"} & set(proposals["Proposal"])


def test_kpi_page_current_term_is_the_networks_own(snapshot_db: Path, monkeypatch) -> None:
    """The snapshot holds testnets only: the starter file's mainnet 2023 Q2 OKRs are never
    their current term. Sumer's is KPI round 18 (paid on Sumer), long over; Alexandria has
    none in the file."""
    sumer = run_page("app_pages/kpis.py", snapshot_db, monkeypatch, network="sumer")
    headings = [h.value for h in sumer.subheader]
    assert "Latest term (over): KPI round 18" in headings
    assert not any("2023 Q2" in h for h in headings)
    alexandria = run_page("app_pages/kpis.py", snapshot_db, monkeypatch, network="alexandria")
    assert "No KPIs recorded yet for alexandria. The secretary can upload a KPI file." in [
        i.value for i in alexandria.info
    ]
    assert not any(
        h.value.startswith(("Current term", "Latest term")) for h in alexandria.subheader
    )
    # The 2023 Q2 rows show -1,250-odd days left and count as overdue, not as 0 overdue.
    okr = run_page("app_pages/kpis.py", snapshot_db, monkeypatch, term="2023 Q2")
    metrics = {m.label: m.value for m in okr.metric}
    assert (metrics["KPIs"], metrics["Overdue"]) == ("18", "18")


def test_kpi_rewards_reproduce_the_hand_made_kpi_leaderboard(snapshot_db: Path) -> None:
    """Every councillor's KPI totals from the bundled archive equal the council's own
    kpi_leaderboard.json (community-repo council/kpi/docs/, copied to tests/fixtures/)."""
    board = json.loads((FIXTURES / "kpi_leaderboard.json").read_text(encoding="utf-8-sig"))
    rewards = data.load(snapshot_db).for_network("sumer").kpi_rewards
    totals = kpis.kpi_rewards_by_member(rewards).set_index("member_id")
    assert len(board) == 42
    assert sorted(totals.index) == sorted(member["id"] for member in board)
    for member in board:
        row = totals.loc[member["id"]]
        assert row["handle"] == member["handle"]
        assert row["reward_usd"] == member["totalEarnedUsd"]
        assert round(row["reward_joy"]) == member["totalEarnedTjoy"]


def test_kpi_page_shows_rewards_per_councillor(snapshot_db: Path, monkeypatch) -> None:
    at = run_page("app_pages/kpis.py", snapshot_db, monkeypatch, network="sumer")
    rewards = frame_with_column(at, "KPI rounds rewarded").set_index("Councillor")
    assert tuple(rewards.loc["tomato", ["KPI rounds rewarded", "Reward (USD)"]]) == (18, 9949.0)


def test_leaderboard_chart_scorecard_and_archive_grid_choices_come_from_the_url(
    snapshot_db: Path, monkeypatch
) -> None:
    at = run_page(
        "app_pages/leaderboard.py",
        snapshot_db,
        monkeypatch,
        network="sumer",
        metric="times_elected",
        top="5",
        term="30",
        figure="Vote %",
    )
    assert at.selectbox(key="term").value == 30
    assert [s.value for s in at.selectbox if s.label == "Metric"] == ["Times elected"]
    assert [s.value for s in at.slider if s.label == "How many"] == [5]
    assert [r.value for r in at.radio if r.label == "Figure"] == ["Vote %"]
    card = frame_with_column(at, "Proposal votes cast")
    assert set(card["Term"]) == {30}
