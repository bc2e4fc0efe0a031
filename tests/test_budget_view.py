"""The council budget's display table and Overview card text (council.budget_view)."""

from __future__ import annotations

from test_stats_budget import figures, sources

from council import budget_view
from council.stats import budget


def test_card_text_of_an_ended_term_with_its_reports_end() -> None:
    so_far = budget.SoFar("mainnet", 35, False, 16_021_387.0, 4_667_600.0, 6_256_080.0,
                          14_432_907.0, 17_309_118.0)  # fmt: skip
    value, caption = budget_view.so_far_text(so_far)
    assert value == "6,256,080 JOY"
    assert caption.startswith(
        "Term 35 (ended): spent 6,256,080 JOY, refilled 4,667,600 JOY, started at "
        "16,021,387 JOY, ended at 17,309,118 JOY (the term report's figure)."
    )


def test_card_text_of_a_term_in_office_without_figures() -> None:
    so_far = budget.SoFar("mainnet", 2, True, None, 250_000.0, None, None)
    value, caption = budget_view.so_far_text(so_far)
    assert value == "not recorded"
    assert caption.startswith(
        "Term 2 so far: spent not recorded, refilled 250,000 JOY, started at not recorded."
    )
    assert budget_view.so_far_text(None) == ("not recorded", "No council term in the data.")


def test_table_newest_first_with_dates_beside_blocks() -> None:
    table = budget.budget_by_term(sources(figs=figures([("c1", budget.START_LABEL, "5")])))
    shown = budget_view.budget_table(table)
    assert list(shown.columns[:8]) == [
        "Term",
        "Start (block · date UTC)",
        "End (block · date UTC)",
        "Budget at start (JOY)",
        "Refills (JOY)",
        "Spending (JOY)",
        "Budget at end (JOY)",
        "Difference (JOY)",
    ]
    assert shown["Term"].tolist() == [8, 7]
    assert shown["End (block · date UTC)"].tolist() == ["in office", "#200 · 2024-01-15"]
    assert shown["Start (block · date UTC)"].tolist() == ["#200 · 2024-01-15", "#100 · 2024-01-01"]
