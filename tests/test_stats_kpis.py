"""KPI statistics on a hand-made KPI file; every expected number worked out by hand."""

from datetime import date

import pandas as pd
import pytest

from council.stats import kpis

TODAY = date(2023, 6, 20)
ROWS = [
    # Term, KPI, Title, Owner, Deadline, Reward, Unit, Penalty, Status, Progress, Earned
    ("T2", "2.1", "Report", "Council", "2023-06-10", "100", "USD", "", "in progress", "80", ""),
    (
        "T2",
        "2.2",
        "Docs",
        "HR",
        "2023-06-25",
        "200",
        "USD",
        "halve reward",
        "in progress",
        "20",
        "",
    ),
    ("T2", "2.3", "Bot", "Ops", "2023-06-25", "300", "USD", "", "in progress", "60", ""),
    ("T2", "2.4", "Audit", "Council", "2023-06-01", "400", "USD", "", "done", "100", "350"),
    ("T2", "2.5", "Talk", "Council", "", "", "", "", "", "", ""),
    ("T0", "0.1", "Ancient", "Council", "2022-01-01", "", "", "", "", "", ""),
    ("T1", "1.1", "Old", "Council", "2023-05-01", "50", "USD", "", "done", "100", "50"),
    ("T1", "1.2", "Older", "Council", "2023-05-02", "50", "USD", "", "failed", "10", "0"),
]
COLUMNS = [
    "Term", "KPI", "Title", "Owner", "Deadline", "Reward", "Reward unit", "Penalty", "Status",
    "Progress %", "Reward earned",
]  # fmt: skip


@pytest.fixture
def items() -> pd.DataFrame:
    return kpis.kpi_items(pd.DataFrame(ROWS, columns=COLUMNS, dtype=object), TODAY)


def test_days_left_overdue_and_at_risk(items: pd.DataFrame) -> None:
    by_kpi = items.set_index("kpi")
    assert by_kpi.loc["2.1", "days_left"] == -10
    assert bool(by_kpi.loc["2.1", "overdue"])  # deadline passed, still open
    assert not bool(by_kpi.loc["2.4", "overdue"])  # passed but done
    assert bool(by_kpi.loc["2.2", "at_risk"])  # 5 days left, 20 % done
    assert not bool(by_kpi.loc["2.3", "at_risk"])  # 5 days left but 60 % done
    assert not bool(by_kpi.loc["2.5", "at_risk"])  # no deadline
    assert by_kpi.loc["2.5", "status"] == "not reported"
    # Past its deadline with no status: overdue, as its days left show; the outcome unknown.
    assert by_kpi.loc["0.1", "days_left"] == -535
    assert bool(by_kpi.loc["0.1", "unreported"])
    assert bool(by_kpi.loc["0.1", "overdue"])
    assert not bool(by_kpi.loc["1.2", "overdue"])  # passed but failed: closed


def test_overdue_counts_every_open_or_unreported_row_past_its_deadline() -> None:
    """The real file's mainnet OKR rows: deadline 2023-06-30, no status reported."""
    rows = [("2023 Q2", f"KR-{i}", "Grow", "Council", "2023-06-30", "", "", "", "", "", "")
            for i in (1, 2, 3)]  # fmt: skip
    okr = kpis.kpi_items(pd.DataFrame(rows, columns=COLUMNS, dtype=object), date(2026, 12, 1))
    assert okr["days_left"].tolist() == [-1250, -1250, -1250]
    assert int(okr["overdue"].sum()) == 3
    assert kpis.status_post(okr, "2023 Q2", date(2026, 12, 1)).count("not reported ⚠ overdue") == 3


KPI_REWARDS = pd.DataFrame(
    {"network": ["sumer", "sumer", "giza"], "kpi_round": [17, 18, 19], "member_id": ["1"] * 3}
)


def test_current_term_is_the_networks_own() -> None:
    """KPI rounds 17-18 were paid on Sumer, 19 on Giza; 2023 Q2 is after mainnet's launch;
    "Old" (2022-06-01) is of no known network."""
    rows = [
        ("KPI round 17", "17.all", "All", "Council", "", "", "", "", "done", "", ""),
        ("KPI round 18", "18.all", "All", "Council", "", "", "", "", "done", "", ""),
        ("KPI round 19", "19.all", "All", "Council", "", "", "", "", "done", "", ""),
        ("Old", "o.1", "Older", "Council", "2022-06-01", "", "", "", "done", "", ""),
        ("2023 Q2", "KR-1", "Grow", "Council", "2023-06-30", "", "", "", "", "", ""),
    ]
    items = kpis.kpi_items(pd.DataFrame(rows, columns=COLUMNS, dtype=object), date(2026, 12, 1))
    assert kpis.term_order(items)[0] == "2023 Q2"
    assert kpis.term_networks(items, KPI_REWARDS) == {
        "KPI round 17": "sumer",
        "KPI round 18": "sumer",
        "KPI round 19": "giza",
        "Old": None,
        "2023 Q2": "mainnet",
    }
    assert kpis.current_term(items, "sumer", KPI_REWARDS) == "KPI round 18"
    assert kpis.current_term(items, "giza", KPI_REWARDS) == "KPI round 19"
    assert kpis.current_term(items, "mainnet", KPI_REWARDS) == "2023 Q2"
    assert kpis.current_term(items, "alexandria", KPI_REWARDS) is None
    assert kpis.current_term(items, "mainnet", KPI_REWARDS.iloc[:0]) == "2023 Q2"
    assert kpis.term_is_over(items, "2023 Q2", date(2023, 7, 1))
    assert not kpis.term_is_over(items, "2023 Q2", date(2023, 6, 30))
    assert kpis.term_is_over(items, "KPI round 18", date(2023, 6, 30))  # no deadline at all


def test_terms_most_recent_first(items: pd.DataFrame) -> None:
    assert kpis.term_order(items) == ["T2", "T1", "T0"]


def test_term_summary(items: pd.DataFrame) -> None:
    summary = kpis.term_summary(items.dropna(subset=["reward"]))
    t2 = summary.set_index("term").loc["T2"]
    assert (t2["kpis"], t2["done"], t2["reported"]) == (4, 1, 4)
    assert t2["completion_rate"] == 0.25
    assert (t2["reward_available"], t2["reward_earned"]) == (1000.0, 350.0)
    assert t2["earned_share"] == 0.35
    t1 = summary.set_index("term").loc["T1"]
    assert (t1["done"], t1["failed"], t1["completion_rate"]) == (1, 1, 0.5)


def test_status_post_puts_overdue_then_at_risk_first(items: pd.DataFrame) -> None:
    post = kpis.status_post(items, "T2", TODAY)
    table = [line for line in post.splitlines() if line.startswith("| 2.")]
    assert [line.split(" | ")[0] for line in table] == ["| 2.1", "| 2.2", "| 2.4", "| 2.3", "| 2.5"]
    assert "5 KPIs: 1 done, 1 overdue, 1 at risk." in post
    assert "- 2.2: halve reward" in post
    assert "| 2.2 | Docs | HR | 2023-06-25 | in progress ⚠ at risk | 20% | 200 USD |" in post


def test_filter(items: pd.DataFrame) -> None:
    got = kpis.filter_items(items, ["T2"], ["Council"], ["in progress"])
    assert got["kpi"].tolist() == ["2.1"]


def test_chain_indicators() -> None:
    card = pd.DataFrame(
        {
            "term": [5, 5, 6],
            "member_id": ["a", "b", "a"],
            "votes_cast": [4, 6, 0],
            "with_rationale": [1, 4, 0],
        }
    )
    rounds = pd.DataFrame({"cycle_id": [5, 6], "competitiveness": [2.0, 1.5]})
    table = kpis.chain_indicators(card, rounds).set_index("term")
    assert table.loc[5, "rationale_share"] == 0.5
    assert table.loc[5, "candidates_per_seat"] == 2.0
    assert pd.isna(table.loc[6, "rationale_share"])


def test_kpi_rewards_by_member() -> None:
    rewards = pd.DataFrame(
        {
            "network": ["sumer"] * 5,
            "kpi_round": [1, 2, 2, 3, 1],
            "member_id": ["2", "2", "4", "2", "4"],
            "handle": ["tomato", "tomato", "nexus", "tomato", "nexus_old"],
            "reward_usd": [643.0, 100.0, 59.0, None, 800.0],
            "reward_joy": [16_257_282.0, 2_000_000.0, 1_491_726.0, 500.0, None],
        }
    )
    totals = kpis.kpi_rewards_by_member(rewards)
    assert list(totals["handle"]) == ["nexus", "tomato"], "859 USD before 743 USD"
    nexus, tomato = totals.to_dict("records")
    assert (nexus["kpi_rounds"], nexus["first_round"], nexus["last_round"]) == (2, 1, 2)
    assert (nexus["reward_usd"], nexus["reward_joy"]) == (859.0, 1_491_726.0)
    assert (tomato["kpi_rounds"], tomato["first_round"], tomato["last_round"]) == (3, 1, 3)
    assert (tomato["reward_usd"], tomato["reward_joy"]) == (743.0, 18_257_782.0)
    assert kpis.kpi_rewards_by_member(rewards.iloc[0:0]).empty


def test_chain_indicators_leave_unrecorded_rationale_unknown() -> None:
    """Term 7 comes from the testnet archive: 5 votes cast, their rationale not recorded."""
    card = pd.DataFrame(
        {
            "term": [7, 7, 8],
            "member_id": ["a", "b", "a"],
            "votes_cast": [3, 2, 4],
            "with_rationale": pd.array([None, None, 1], dtype="Int64"),
        }
    )
    rounds = pd.DataFrame({"cycle_id": [7, 8], "competitiveness": [1.0, 1.0]})
    table = kpis.chain_indicators(card, rounds).set_index("term")
    assert table.loc[7, "proposal_votes"] == 5
    assert pd.isna(table.loc[7, "rationale_share"])
    assert table.loc[8, "rationale_share"] == 0.25
