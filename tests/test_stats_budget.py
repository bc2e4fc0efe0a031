"""The council budget per term (council.stats.budget) on small hand-made tables.

Two terms: council "c1" from block 100 to 200, "c2" from block 200 (in office). Expected
figures are worked out by hand in the comments and written as literals.
"""

from __future__ import annotations

import math

import pandas as pd

from council.stats import budget

NET = "mainnet"


def councils() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "network": [NET, NET],
            "id": ["c1", "c2"],
            "elected_in_cycle_id": [7, 8],
            "elected_at_block": [100, 200],
            "elected_at_time": pd.to_datetime(["2024-01-01", "2024-01-15"], utc=True),
            "ended_at_block": [200.0, math.nan],
            "ended_at_time": pd.to_datetime(["2024-01-15", None], utc=True),
        }
    )


def events(column: str, rows: list[tuple[int, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "network": [NET] * len(rows),
            "id": [f"e{i}" for i in range(len(rows))],
            "block": [b for b, _ in rows],
            column: [a for _, a in rows],
        }
    )


def proposals() -> pd.DataFrame:
    # f1: funding 1,000 executed at 150 (c1); f2: funding 5,000 executed at 250 (c2);
    # f3: funding 9,999 rejected (never counts); w1: WG +3,000 at 120 (c1);
    # w2: WG -500 (returned) at 210 (c2); w3: WG 7,000 created but still deciding.
    return pd.DataFrame(
        {
            "network": [NET] * 6,
            "id": ["f1", "f2", "f3", "w1", "w2", "w3"],
            "type": ["FundingRequest"] * 3 + ["UpdateWorkingGroupBudget"] * 3,
            "status": ["executed", "executed", "rejected", "executed", "executed", "deciding"],
            "status_set_at_block": [150, 250, 160, 120, 210, 205],
            "funding_amount_joy": [1000.0, 5000.0, 9999.0, math.nan, math.nan, math.nan],
        }
    )


def wg_amounts(ids=("w1", "w2", "w3"), amounts=(3000.0, -500.0, 7000.0)) -> pd.DataFrame:
    return pd.DataFrame({"network": NET, "id": list(ids), "amount_joy": list(amounts)})


def figures(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "network": [NET] * len(rows),
            "council_id": [c for c, _, _ in rows],
            "label": [label for _, label, _ in rows],
            "value": [v for _, _, v in rows],
            "unit": ["HAPI"] * len(rows),
        }
    )


def sources(recorded=budget.ITEMS, wg=None, figs=None, refills=None) -> budget.BudgetSources:
    return budget.BudgetSources(
        councils=councils(),
        # Refills: c1 10,000 + 10,000 at 110 and 190; c2 12,000 at 200 (its first block).
        budget_refills=events(
            "balance_joy", refills or [(110, 10_000.0), (190, 10_000.0), (200, 12_000.0)]
        ),
        council_budget_funded=events("amount_joy", [(130, 250.5)]),  # c1
        council_budget_decreased=events("amount_joy", [(220, 2_000.0)]),  # c2
        # Rewards: c1 pays 100 + 100 (one 40 short); c2 pays 300.
        reward_payments=events("paid_joy", [(140, 100.0), (199, 100.0), (230, 300.0)]).assign(
            missing_joy=[0.0, 40.0, 0.0]
        ),
        proposals=proposals(),
        wg_budget_proposals=wg_amounts() if wg is None else wg,
        budget_figures=figs if figs is not None else figures([]),
        recorded=frozenset(recorded),
    )


def by_term(table: pd.DataFrame, column: str) -> list:
    return [None if pd.isna(v) else v for v in table[column]]


def test_chain_items_per_term() -> None:
    table = budget.budget_by_term(sources())
    assert list(table["term"]) == [7, 8]
    assert by_term(table, "refills_joy") == [20_000.0, 12_000.0]
    assert by_term(table, "funded_joy") == [250.5, 0.0]
    assert by_term(table, "decreased_joy") == [0.0, 2_000.0]
    assert by_term(table, "council_rewards_joy") == [200.0, 300.0]
    assert by_term(table, "rewards_unpaid_joy") == [40.0, 0.0]
    assert by_term(table, "wg_top_ups_joy") == [3_000.0, -500.0]
    assert by_term(table, "funding_proposals_joy") == [1_000.0, 5_000.0]
    # c1: 200 + 3,000 + 1,000; c2: 300 - 500 + 5,000.
    assert by_term(table, "spending_joy") == [4_200.0, 4_800.0]
    # No balances in the chain's record: start, end and the difference are not recorded.
    assert by_term(table, "budget_start_joy") == [None, None]
    assert by_term(table, "difference_joy") == [None, None]
    assert by_term(table, "creator_payouts_joy") == [None, None]
    assert list(table["source"]) == ["query node", "query node"]
    assert table["not_recorded"][0] == "start, creator payouts, end"
    assert list(table["start_block"]) == [100, 200]
    assert by_term(table, "end_block") == [200, None]


def test_difference_from_the_term_reports_balances() -> None:
    figs = figures(
        [
            ("c1", budget.START_LABEL, "500000000000000"),  # 50,000 JOY
            ("c1", budget.END_LABEL, "660000000000000"),  # 66,000 JOY
            ("c2", budget.START_LABEL, "660000000000000"),
        ]
    )
    table = budget.budget_by_term(sources(figs=figs))
    # c1: 50,000 + 20,000 + 250.5 - 0 - 4,200 = 66,050.5 expected; 66,000 recorded: -50.5.
    # c2: 66,000 + 12,000 + 0 - 2,000 - 4,800 = 71,200 expected; no end recorded.
    assert by_term(table, "expected_end_joy") == [66_050.5, 71_200.0]
    assert by_term(table, "difference_joy") == [-50.5, None]  # c2 has no end yet
    assert list(table["source"]) == ["query node; start and end: term report"] * 2
    assert table["not_recorded"][1] == "creator payouts, end"


def test_a_term_report_alone_gives_its_own_figures() -> None:
    figs = figures(
        [
            ("c1", budget.START_LABEL, "1000000000000000"),  # 100,000
            ("c1", budget.REFILL_LABEL, "300000000000000"),  # 30,000
            ("c1", budget.SPENT_LABEL, "250000000000000"),  # 25,000
            ("c1", budget.END_LABEL, "1060000000000000"),  # 106,000 (report says so)
        ]
    )
    table = budget.budget_by_term(sources(recorded=(), figs=figs))
    assert by_term(table, "refills_joy") == [30_000.0, None]
    assert by_term(table, "spending_joy") == [25_000.0, None]
    assert by_term(table, "council_rewards_joy") == [None, None]
    # 100,000 + 30,000 - 25,000 = 105,000; the report's end is 1,000 more.
    assert by_term(table, "difference_joy") == [1_000.0, None]
    assert list(table["source"]) == ["term report", "not recorded"]


def test_items_a_cache_does_not_record_are_not_zero() -> None:
    recorded = set(budget.ITEMS) - {"funded", "decreased"}
    table = budget.budget_by_term(sources(recorded=recorded))
    assert by_term(table, "funded_joy") == [None, None]
    assert by_term(table, "decreased_joy") == [None, None]
    assert by_term(table, "spending_joy") == [4_200.0, 4_800.0]  # spending does not need them


def test_a_wg_budget_change_without_its_amount_leaves_its_term_not_recorded() -> None:
    table = budget.budget_by_term(sources(wg=wg_amounts(("w1",), (3000.0,))))
    assert by_term(table, "wg_top_ups_joy") == [3_000.0, None]
    assert by_term(table, "spending_joy") == [4_200.0, None]


def test_recorded_items() -> None:
    assert budget.recorded_items(False, True, ["councilBudgetFundedEvents"]) == frozenset()
    assert budget.recorded_items(True, False, []) == {"refills", "council_rewards"}
    assert budget.recorded_items(True, True, ["councilBudgetDecreasedEvents"]) == {
        "refills", "council_rewards", "decreased", "wg_top_ups", "funding_proposals"
    }  # fmt: skip
    assert budget.fetched_lists({"fetched_rows": '{"proposals": 3}'}) == {"proposals"}
    assert budget.fetched_lists({"fetched_rows": "not json"}) == frozenset()
    assert budget.fetched_lists({}) == frozenset()


def test_term_so_far() -> None:
    figs = figures([("c2", budget.START_LABEL, "660000000000000")])
    table = budget.budget_by_term(sources(figs=figs))
    so_far = budget.term_so_far(table)
    # c2: in 12,000 + 0 - 2,000 = 10,000; out 4,800; 66,000 + 10,000 - 4,800 = 71,200.
    assert so_far == budget.SoFar(NET, 8, True, 66_000.0, 10_000.0, 4_800.0, 71_200.0)
    assert budget.term_so_far(table.iloc[0:0]) is None
    without = budget.term_so_far(budget.budget_by_term(sources()))
    assert (without.start_joy, without.balance_joy) == (None, None)


def test_filter_terms() -> None:
    table = budget.budget_by_term(sources())
    assert list(budget.filter_terms(table, (8, 8))["council_id"]) == ["c2"]
    assert budget.filter_terms(table, (1, 6)).empty


def test_no_councils_gives_an_empty_table() -> None:
    src = sources()
    src = budget.BudgetSources(**{**src.__dict__, "councils": councils().iloc[0:0]})
    assert budget.budget_by_term(src).columns.tolist() == budget.COLUMNS
    assert budget.budget_by_term(src).empty


def test_a_term_known_only_from_the_record_takes_the_reports_figures() -> None:
    """Beside fetched terms, a term the node did not return (council "mainnet-council-6")
    has none of the chain's events: its figures are its report's, not zeros."""
    src = sources(
        figs=figures(
            [
                ("mainnet-council-6", budget.REFILL_LABEL, "100000000000000"),  # 10,000
                ("mainnet-council-6", budget.SPENT_LABEL, "30000000000000"),  # 3,000
            ]
        )
    )
    older = pd.DataFrame(
        {
            "network": [NET],
            "id": ["mainnet-council-6"],
            "elected_in_cycle_id": [6],
            "elected_at_block": [10],
            "elected_at_time": pd.to_datetime(["2023-12-01"], utc=True),
            "ended_at_block": [100.0],
            "ended_at_time": pd.to_datetime(["2024-01-01"], utc=True),
        }
    )
    src = budget.BudgetSources(**{**src.__dict__, "councils": pd.concat([older, councils()])})
    table = budget.budget_by_term(src)
    assert list(table["council_id"]) == ["mainnet-council-6", "c1", "c2"]
    assert by_term(table, "refills_joy") == [10_000.0, 20_000.0, 12_000.0]
    assert by_term(table, "spending_joy") == [3_000.0, 4_200.0, 4_800.0]
    assert by_term(table, "council_rewards_joy") == [None, 200.0, 300.0]
    assert list(table["source"]) == ["term report", "query node", "query node"]


def test_spending_by_item_for_the_chart() -> None:
    figs = figures([("c2", budget.SPENT_LABEL, "90000000000000")])  # 9,000, c2 only
    recorded = set(budget.ITEMS) - {"council_rewards"}
    table = budget.budget_by_term(sources(recorded=recorded, figs=figs))
    long = budget.spending_by_item(table)
    # Rewards not recorded: spending is not recorded either, the items that are stay.
    assert long.values.tolist() == [
        ["term 7", "WG top-ups", 3_000.0, 20_000.0],
        ["term 7", "Funding proposals", 1_000.0, 20_000.0],
        ["term 8", "WG top-ups", -500.0, 12_000.0],
        ["term 8", "Funding proposals", 5_000.0, 12_000.0],
    ]
    reported = budget.budget_by_term(sources(recorded=(), figs=figs))
    only = budget.spending_by_item(reported)
    assert only[["term_label", "item", "amount_joy"]].values.tolist() == [
        ["term 8", budget.REPORTED_SPENDING, 9_000.0]
    ]
    assert only["refills_joy"].isna().all()  # the report gives no refill for term 8
