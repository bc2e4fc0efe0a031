"""Spending statistics on hand-made tables; every expected number worked out by hand."""

from datetime import date

import pandas as pd
import pytest

from council.stats import spending

CATEGORIES = pd.DataFrame(
    {
        "Testnet": [
            "Mainnet",
            "Mainnet",
            "Sumer",
            "Sumer",
            "Sumer",
            "Sumer",
            "Sumer",
            "Giza",
            "Sumer",
        ],
        "Proposal #": ["10", "11", "5", "6", "7", "8", "9", "3", "12"],
        "Title": [
            "Bounty 1",
            "Tools",
            "Old bounty",
            "Nothing minted",
            "Typo",
            "Blank",
            "Called off",
            "Ran out",
            "Broke",
        ],
        # Sumer 9, Giza 3 and Sumer 12 have an amount minted but were not paid.
        "Status": [
            "Approved",
            "Approved",
            "Approved",
            "Canceled",
            "Approved",
            "",
            "Canceled",
            "Expired",
            "Execution Failed",
        ],
        "Amount Minted": ["", "", "300", "0", "200", "", "1000", "2000", "40"],
        "Category": [
            "Bounty",
            "  Tools ",
            "Bounties",
            "Tools",
            "n\\a",
            "",
            "Tools",
            "n\\a",
            "Bounty",
        ],
    }
)
PROPOSALS = pd.DataFrame(
    {
        "network": ["mainnet"] * 5,
        "id": ["10", "11", "12", "13", "14"],
        "title": ["Bounty 1", "Tools", "New thing", "Signal", "Rejected ask"],
        "type": ["FundingRequest", "FundingRequest", "FundingRequest", "Signal", "FundingRequest"],
        "status": ["executed", "executed", "executed", "executed", "rejected"],
        "funding_amount_joy": [1000.0, 250.0, 50.0, None, 9999.0],
        "status_set_at_block": [150, 250, 260, 100, 270],
        "status_set_at_time": pd.to_datetime(
            ["2023-01-05", "2023-01-20", "2023-01-21", "2023-01-01", "2023-01-22"], utc=True
        ),
    }
)
COUNCILS = pd.DataFrame(
    {
        "network": ["mainnet", "mainnet"],
        "id": ["c1", "c2"],
        "elected_in_cycle_id": [1, 2],
        "elected_at_block": [100, 200],
        "ended_at_block": [200, None],
    }
)


@pytest.fixture
def items() -> pd.DataFrame:
    return spending.spending_items(CATEGORIES, PROPOSALS, COUNCILS)


def test_category_variants_are_merged() -> None:
    got = spending.normalise_category(pd.Series(["Bounty", "bounties", " Tools", "n\\a", None]))
    assert got.tolist() == ["Bounties", "Bounties", "Tools", "Uncategorised", "Uncategorised"]


def test_items_join_chain_and_file(items: pd.DataFrame) -> None:
    by_id = items.set_index(["network", "proposal_id"])
    assert by_id.loc[("mainnet", "10"), "category"] == "Bounties"
    assert by_id.loc[("mainnet", "10"), "term"] == "term 1"
    assert by_id.loc[("mainnet", "11"), "term"] == "term 2"
    assert by_id.loc[("mainnet", "12"), "category"] == "Uncategorised"
    assert bool(by_id.loc[("mainnet", "12"), "uncategorised"])
    assert by_id.loc[("mainnet", "10"), "link"].endswith("/proposals/preview/10")
    # File-only paid rows with something minted: Sumer 5 and 7; nothing minted -> not
    # spending; minted but canceled, expired or failed (Sumer 9 and 12, Giza 3) -> not paid.
    assert sorted(items[items["network"] == "sumer"]["proposal_id"]) == ["5", "7"]
    assert "giza" not in set(items["network"])
    assert ("mainnet", "13") not in by_id.index  # a signal is not spending
    assert ("mainnet", "14") not in by_id.index  # a rejected request paid nothing


def test_totals_by_category(items: pd.DataFrame) -> None:
    totals = spending.totals_by(items, ["category"])
    assert totals["category"].tolist() == ["Bounties", "Tools", "Uncategorised"]
    assert totals["amount_joy"].tolist() == [1300.0, 250.0, 250.0]
    assert totals["proposals"].tolist() == [2, 1, 2]
    assert totals["share"].round(4).tolist() == [0.7222, 0.1389, 0.1389]


def test_rows_minted_but_not_paid_are_flagged_not_counted() -> None:
    flagged = spending.unpaid_minted(CATEGORIES)
    assert flagged.to_dict("list") == {
        "network": ["Sumer", "Giza", "Sumer"],
        "proposal_id": ["9", "3", "12"],
        "title": ["Called off", "Ran out", "Broke"],
        "status": ["Canceled", "Expired", "Execution Failed"],
        "amount_minted": [1000.0, 2000.0, 40.0],
        "category": ["Tools", "Uncategorised", "Bounties"],
    }


def test_filters(items: pd.DataFrame) -> None:
    in_term_2 = spending.filter_items(items, terms=["term 2"])
    assert sorted(in_term_2["proposal_id"]) == ["11", "12"]
    early = spending.filter_items(items, date_range=(date(2023, 1, 1), date(2023, 1, 10)))
    # Proposal 10 decided 2023-01-05; file-only rows have no date and pass.
    assert sorted(early["proposal_id"]) == ["10", "5", "7"]
    big = spending.filter_items(items, min_amount=250)
    assert sorted(big["proposal_id"]) == ["10", "11", "5"]


def test_markdown_table(items: pd.DataFrame) -> None:
    totals = spending.totals_by(items[items["network"] == "mainnet"], ["category"])
    assert spending.markdown_table(totals) == (
        "| Category | Proposals | Amount (JOY) | Share |\n"
        "|---|---:|---:|---:|\n"
        "| Bounties | 1 | 1,000 | 76.9% |\n"
        "| Tools | 1 | 250 | 19.2% |\n"
        "| Uncategorised | 1 | 50 | 3.8% |\n"
        "| **Total** | 3 | 1,300 | 100.0% |\n"
    )


def test_terms_are_looked_up_on_the_proposals_own_network() -> None:
    """A sumer proposal decided at block 150 is not in mainnet's term 1 (blocks 100-199)."""
    sumer = pd.DataFrame(
        {
            "network": ["sumer", "sumer"],
            "id": ["s1", "s2"],
            "elected_in_cycle_id": [7, 8],
            "elected_at_block": [140, 160],
            "ended_at_block": [160, None],
        }
    )
    proposals = pd.concat(
        [PROPOSALS, PROPOSALS.iloc[[0, 1]].assign(network="sumer", id=["20", "21"])],
        ignore_index=True,
    )
    items = spending.chain_items(proposals, CATEGORIES.iloc[0:0], pd.concat([COUNCILS, sumer]))
    terms = items.set_index(["network", "proposal_id"])["term"].to_dict()
    assert terms[("mainnet", "10")] == "term 1"  # block 150
    assert terms[("sumer", "20")] == "term 7"  # block 150, sumer's council s1
    assert terms[("sumer", "21")] == "term 8"  # block 250, s2 has not ended
    assert terms[("mainnet", "12")] == "term 2"


def test_largest_groups_keeps_the_terms_with_the_most_joy_in_their_order() -> None:
    totals = pd.DataFrame(
        {
            "term": ["b", "a", "c", "a", "d"],
            "category": ["x", "x", "x", "y", "x"],
            "amount_joy": [50.0, 40.0, 30.0, 20.0, 30.0],
        }
    )
    # a: 60, b: 50, c and d: 30 each (c first by name).
    kept = spending.largest_groups(totals, "term", 3)
    assert kept["term"].tolist() == ["b", "a", "c", "a"]
    assert spending.largest_groups(totals, "term", 10).equals(totals)


def _decided(times: list[str], amounts: list[float]) -> pd.DataFrame:
    decided = pd.to_datetime(times, utc=True, format="ISO8601")
    return pd.DataFrame({"decided_at_time": decided, "amount_joy": amounts})


def test_cumulative_spending_keeps_every_decision_when_few() -> None:
    items = _decided(["2024-01-03", "2024-01-01", None], [5.0, 10.0, 99.0])
    frame = spending.cumulative_spending(items)
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-01-03"]
    assert frame["cumulative_joy"].tolist() == [10.0, 15.0]


def test_cumulative_spending_keeps_each_periods_last_running_total() -> None:
    items = _decided(
        ["2024-01-01 08:00", "2024-01-01 20:00", "2024-01-02", "2024-01-09", "2024-01-10"],
        [1.0, 2.0, 4.0, 8.0, 16.0],
    )
    # Four days do not fit in 3 points; weeks (Mon 1 and Mon 8 January) do.
    frame = spending.cumulative_spending(items, max_points=3)
    assert frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-02", "2024-01-10"]
    assert frame["cumulative_joy"].tolist() == [7.0, 31.0]
    by_day = spending.cumulative_spending(items, max_points=4)
    assert by_day["cumulative_joy"].tolist() == [3.0, 7.0, 15.0, 31.0]


def test_period_codes_split_where_pandas_periods_do() -> None:
    moments = pd.to_datetime(
        ["2024-01-06 23:59", "2024-01-07 00:00", "2024-01-08 00:00", "2024-03-31 12:00",
         "2024-04-01 00:00", "2024-12-31 23:59", "2025-01-01 00:00"]
    ).to_numpy()  # fmt: skip
    days = spending._period_codes(moments, "D")
    assert (days[1:] != days[:-1]).tolist() == [True, True, True, True, True, True]
    # Weeks run Monday to Sunday: Saturday 6th and Sunday 7th share one, Monday 8th starts one;
    # Tuesday 31 December and Wednesday 1 January share one.
    weeks = spending._period_codes(moments, "W")
    assert (weeks[1:] != weeks[:-1]).tolist() == [False, True, True, True, True, False]
    quarters = spending._period_codes(moments, "Q")
    assert (quarters[1:] != quarters[:-1]).tolist() == [False, False, False, True, True, True]
    years = spending._period_codes(moments, "Y")
    assert (years[1:] != years[:-1]).tolist() == [False, False, False, False, False, True]
    for period in spending.CUMULATIVE_PERIODS:
        pandas = pd.Series(moments).dt.to_period(period).to_numpy()
        codes = spending._period_codes(moments, period)
        assert ((pandas[1:] != pandas[:-1]) == (codes[1:] != codes[:-1])).all()
