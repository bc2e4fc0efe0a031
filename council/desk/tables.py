"""The meeting desk's display tables (people's column names), as the "This week" page shows
them; formats by ``council.format``'s column rule."""

from __future__ import annotations

import pandas as pd

from council import watch
from council.agenda import left_text
from council.format import block_with_date


def _approvals(row: pd.Series) -> str:
    if row["stage"] != "deciding":
        if pd.isna(row["councils_needed"]):
            return f"councils {row['councils_approved']} of not known"
        return f"councils {row['councils_approved']} of {int(row['councils_needed'])}"
    needed = "not known" if pd.isna(row["approvals_needed"]) else int(row["approvals_needed"])
    return f"{row['approvals']} of {needed}"


def plain(name: str) -> str:
    """A councillor's name for a table cell: the handle without the agenda's ``@`` (a cell
    starting with ``@`` would be guarded as a spreadsheet formula)."""
    return name.removeprefix("@")


def _flag(row: pd.Series) -> str:
    if row["overdue"]:
        return "⚠ overdue"
    return "⚠ nearly expiring" if row["nearly_expiring"] else ""


def pending_table(pending: pd.DataFrame, clock: watch.ChainClock | None) -> pd.DataFrame:
    """Pending proposals as shown: one row each, flags first (the list's own order)."""
    if pending.empty:
        return pd.DataFrame(
            columns=["Flag", "Proposal", "Title", "Type", "Stage", "Creator", "Amount (JOY)",
                     "Amount (USD)", "Created", "Deadline", "Deadline (block · UTC)",
                     "Time left", "Approvals", "Not voted yet"]
        )  # fmt: skip
    rows = pending
    deadline = [
        "–" if pd.isna(block) else watch.block_text(int(block), clock)
        for block in rows["deadline_block"]
    ]
    return pd.DataFrame(
        {
            "Flag": rows.apply(_flag, axis=1),
            "Proposal": rows["id"],
            "Title": rows["title"],
            "Type": rows["type"],
            "Stage": rows["stage"],
            "Creator": rows["creator"].map(plain),
            "Amount (JOY)": pd.to_numeric(rows["amount_joy"]).round(2),
            "Amount (USD)": pd.to_numeric(rows["amount_usd"]).round(2),
            "Created": [
                block_with_date(b, t)
                for b, t in zip(rows["created_at_block"], rows["created_at_time"], strict=True)
            ],
            "Deadline": rows["deadline"],
            "Deadline (block · UTC)": deadline,
            "Time left": [
                "–" if s == "dormant" else left_text(h)
                for s, h in zip(rows["stage"], rows["hours_left"], strict=True)
            ],
            "Approvals": rows.apply(_approvals, axis=1),
            "Not voted yet": rows["not_voted"].map(
                lambda names: ", ".join(plain(n) for n in names) or "–"
            ),
        }
    ).reset_index(drop=True)


def councillor_table(councillors: pd.DataFrame) -> pd.DataFrame:
    """Per councillor: the scorecard's figures for the term and the votes still awaited."""
    return pd.DataFrame(
        {
            "Councillor": councillors["councillor"].map(plain),
            "Votes cast": councillors["votes_cast"],
            "Decided in the term": councillors["decided"],
            "Decided, not voted on": councillors["decided_not_voted"],
            "Participation (%)": (100 * councillors["participation"]).round(2),
            "Awaiting their vote": councillors["awaiting_vote"],
        }
    )
