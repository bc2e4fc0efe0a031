"""The council budget per term as the pages show it: display table, notes and the card.

Pure pandas (no Streamlit). Statistics come from :mod:`council.stats.budget`; this module only
names columns for people, formats blocks with dates and words the notes.
"""

from __future__ import annotations

import pandas as pd

from council.format import block_with_date
from council.stats import budget

LABELS = {
    "term": "Term",
    "start": "Start (block · date UTC)",
    "end": "End (block · date UTC)",
    "budget_start_joy": "Budget at start (JOY)",
    "refills_joy": "Refills (JOY)",
    "spending_joy": "Spending (JOY)",
    "budget_end_joy": "Budget at end (JOY)",
    "difference_joy": "Difference (JOY)",
    "council_rewards_joy": "Council rewards (JOY)",
    "wg_top_ups_joy": "WG top-ups (JOY)",
    "funding_proposals_joy": "Funding proposals (JOY)",
    "creator_payouts_joy": "Creator payouts (JOY)",
    "funded_joy": "Funded by members (JOY)",
    "decreased_joy": "Decreased by proposal (JOY)",
    "rewards_unpaid_joy": "Rewards owed, unpaid (JOY)",
    "expected_end_joy": "Expected end (JOY)",
    "source": "Source",
    "not_recorded": "Not recorded",
}

NOTE = (
    "Per term (a council from the block that elected it until the next one), in JOY. "
    "**Refills**: the periodic budget refills. **Spending** = council rewards paid + "
    "working-group top-ups (executed budget-update proposals; a return to the council counts "
    "negative) + executed funding proposals, each at its block. Creator payouts are also "
    "paid from the council budget on mainnet but are not in this data. **Expected end** = "
    "start + refills + funded by members − decreased by proposal − spending; **Difference** = "
    "the recorded end − the expected end (not hidden: creator payouts, rounding in the "
    "reports and events outside the data show up there). The query node holds no budget "
    "balance: start and end are the mainnet term reports' figures. Without the chain's "
    "events, refills and spending are the term report's. **–** = not recorded in the data "
    "(never 0); the last column names what is missing. The chart stacks each term's "
    "spending by item (a term report's total where the items are not recorded); the black "
    "tick is the term's refills."
)

SO_FAR_HELP = (
    "The newest term's spending from the council budget so far: council rewards paid, "
    "working-group top-ups and executed funding proposals (creator payouts are not in the "
    "data). The start is the term report's figure, where the mainnet record has one."
)


def budget_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`council.stats.budget.budget_by_term`'s table with people's column names,
    newest term first; blocks with their dates."""
    shown = table.iloc[::-1].reset_index(drop=True)
    starts = zip(shown["start_block"], shown["start_time"], strict=True)
    ends = zip(shown["end_block"], shown["end_time"], strict=True)
    out = shown.assign(
        start=[block_with_date(b, t) for b, t in starts],
        end=["in office" if pd.isna(b) else block_with_date(b, t) for b, t in ends],
    )
    out = out[list(LABELS)].rename(columns=LABELS)
    amounts = [c for c in out.columns if c.endswith("(JOY)")]
    out[amounts] = out[amounts].astype("float64").round(2)
    return out


def so_far_text(so_far: budget.SoFar | None) -> tuple[str, str]:
    """The Overview card's value and caption for :func:`council.stats.budget.term_so_far`."""
    if so_far is None:
        return "not recorded", "No council term in the data."
    when = "so far" if so_far.in_office else "(ended)"
    value = "not recorded" if so_far.spending_joy is None else f"{so_far.spending_joy:,.0f} JOY"

    def joy(amount: float | None) -> str:
        return "not recorded" if amount is None else f"{amount:,.0f} JOY"

    caption = (
        f"Term {so_far.term} {when}: spent {value}, refilled {joy(so_far.refills_joy)}, "
        f"started at {joy(so_far.start_joy)}"
    )
    if so_far.end_joy is not None:
        caption += f", ended at {joy(so_far.end_joy)} (the term report's figure)"
    elif so_far.balance_joy is not None:
        caption += f", so about {joy(so_far.balance_joy)} left"
    return value, caption + ". Refills count members' funding less decreases by proposal."
