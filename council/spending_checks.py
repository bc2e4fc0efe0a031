"""Display tables for the Spending page's checks: the file against the chain
(``council.stats.reconcile``) and bounties pending reimbursement
(``council.stats.reimbursement``). Pure pandas; people's column names, amounts rounded as
shown (``council.format``'s rule)."""

from __future__ import annotations

import pandas as pd

from council.format import block_with_date
from council.stats.reconcile import Reconciliation

MISSING_LABELS = {
    "proposal_id": "Proposal",
    "title": "Title",
    "status": "Status (file's word)",
    "amount_joy": "Amount (JOY)",
    "decided": "Status set (block · date UTC)",
    "reason": "Why it is listed",
}
UNKNOWN_LABELS = {
    "proposal_id": "Proposal #",
    "title": "Title",
    "status": "Status",
    "amount_minted": "Amount Minted (JOY)",
    "reason": "Why it is listed",
}
DISAGREEMENT_LABELS = {
    "proposal_id": "Proposal",
    "title": "Title",
    "column": "Column",
    "file": "In the file",
    "chain": "On chain",
}
PENDING_LABELS = {
    "network": "Testnet",
    "term": "Term",
    "proposal_id": "Proposal #",
    "title": "Title",
    "bounty": "Bounty",
    "wg": "WG",
    "amount_minted": "Amount Minted (JOY)",
    "usd": "$ amount (USD)",
    "reimbursed": "Reimbursed",
}
TOTAL_LABELS = {
    "network": "Testnet",
    "term": "Term",
    "payments": "Payments",
    "bounties": "Bounties",
    "amount_minted": "Owed: amount minted (JOY)",
    "usd": "Owed: $ amount (USD)",
}


def missing_table(result: Reconciliation) -> pd.DataFrame:
    """Funding requests on chain that the file lacks."""
    frame = result.missing.copy()
    frame["amount_joy"] = frame["amount_joy"].round(2)
    frame["decided"] = [
        block_with_date(block, when)
        for block, when in zip(frame["decided_at_block"], frame["decided_at_time"], strict=True)
    ]
    return frame[list(MISSING_LABELS)].rename(columns=MISSING_LABELS)


def unknown_table(result: Reconciliation) -> pd.DataFrame:
    """File rows without a funding request on chain."""
    frame = result.unknown.copy()
    frame["amount_minted"] = frame["amount_minted"].round(2)
    return frame[list(UNKNOWN_LABELS)].rename(columns=UNKNOWN_LABELS)


def disagreement_table(result: Reconciliation) -> pd.DataFrame:
    """Cells of the file that differ from the chain."""
    return result.disagreements[list(DISAGREEMENT_LABELS)].rename(columns=DISAGREEMENT_LABELS)


def check_tables(result: Reconciliation) -> tuple[tuple[str, pd.DataFrame, str], ...]:
    """The file check's three tables as (label, table, name for the download file)."""
    return (
        ("On chain, not in the file", missing_table(result), "missing"),
        ("In the file, not on chain", unknown_table(result), "not-on-chain"),
        ("Status and amounts that disagree", disagreement_table(result), "differ"),
    )


def pending_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Bounty payments not yet reimbursed, one row each."""
    frame = rows.copy()
    for column in ("amount_minted", "usd"):
        frame[column] = frame[column].round(2)
    return frame[list(PENDING_LABELS)].rename(columns=PENDING_LABELS)


def pending_totals_table(totals: pd.DataFrame) -> pd.DataFrame:
    """What Jsgenesis owes per network and term."""
    frame = totals.copy()
    for column in ("amount_minted", "usd"):
        frame[column] = frame[column].astype(float).round(2)
    return frame[list(TOTAL_LABELS)].rename(columns=TOTAL_LABELS)


def owed_text(per_network: pd.DataFrame) -> str:
    """``Owed in all: Sumer 350 (8 USD), Giza 80`` from the totals per network (USD only
    where the file gives a $ amount)."""
    parts = []
    for row in per_network.itertuples():
        usd = "" if pd.isna(row.usd) else f" ({row.usd:,.0f} USD)"
        parts.append(f"{row.network} **{row.amount_minted:,.0f}**{usd}")
    return "Owed in all: " + ", ".join(parts) if parts else ""
