"""Bounties the council paid that Jsgenesis has not reimbursed yet, from the secretary's file.

Pure pandas, no I/O. A row of ``spending_proposal_categories.csv`` is a bounty payment when its
``Bounty`` cell names a bounty; it was paid when its Status paid (``spending.PAID_STATUSES``)
and something was minted; it is pending when ``Reimbursed`` is not ``Y`` (``N``, or blank:
not recorded, so not known to be reimbursed). ``WG`` names the working group involved, where
given. The term is the chain's (the council in office when the proposal was decided) where
the spending items know the proposal, else the term whose report lists it (the testnet
archive), else the file's Testnet.
"""

from __future__ import annotations

import pandas as pd

from council import csv_values
from council.stats import spending

REIMBURSED = frozenset({"y", "yes"})
NOT_RECORDED = "not recorded"
PENDING_COLUMNS = [
    "network",
    "term",
    "proposal_id",
    "title",
    "bounty",
    "wg",
    "amount_minted",
    "usd",
    "reimbursed",
]
TOTAL_COLUMNS = ["network", "term", "payments", "bounties", "amount_minted", "usd"]


def _text(categories: pd.DataFrame, column: str) -> pd.Series:
    if column not in categories.columns:
        return pd.Series("", index=categories.index, dtype="object")
    return categories[column].fillna("").astype(str).str.strip()


def report_terms(proposals: pd.DataFrame, councils: pd.DataFrame) -> pd.DataFrame:
    """``network``, ``proposal_id``, ``term`` ("term N") of the proposals a term report lists
    (the archive's ``council_id``: the term whose report lists the proposal)."""
    if "council_id" not in proposals.columns or proposals.empty:
        return pd.DataFrame(columns=["network", "proposal_id", "term"])
    listed = proposals.dropna(subset=["council_id"])
    rounds = councils.dropna(subset=["elected_in_cycle_id"])
    term_of = {
        (n, c): f"term {int(t)}"
        for n, c, t in zip(
            rounds["network"], rounds["id"], rounds["elected_in_cycle_id"], strict=True
        )
    }
    terms = [term_of.get(k) for k in zip(listed["network"], listed["council_id"], strict=True)]
    found = pd.DataFrame({"network": listed["network"], "proposal_id": listed["id"], "term": terms})
    return found.dropna(subset=["term"]).reset_index(drop=True)


def pending(
    categories: pd.DataFrame,
    items: pd.DataFrame | None = None,
    report_terms: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Paid bounty rows not marked reimbursed, in file order.

    The term of a row: from ``items`` (the spending items of
    :func:`council.stats.spending.spending_items`, for the proposals the chain knows), else
    from ``report_terms`` (:func:`report_terms`: the term report listing the proposal), else
    the row's Testnet.
    """
    minted = csv_values.numbers(categories["Amount Minted"]) if len(categories) else None
    bounty = _text(categories, "Bounty")
    reimbursed = _text(categories, "Reimbursed")
    if minted is None:
        return pd.DataFrame(columns=PENDING_COLUMNS)
    chosen = (
        (bounty != "")
        & _text(categories, "Status").str.lower().isin(spending.PAID_STATUSES)
        & (minted > 0)
        & ~reimbursed.str.lower().isin(REIMBURSED)
    )
    rows = categories[chosen]
    network = rows["Testnet"].str.strip()
    proposal_id = csv_values.whole_number_texts(rows["Proposal #"])
    term = network.copy()
    keys = list(zip(network.str.lower(), proposal_id, strict=True))
    if items is not None and "source" in items.columns:
        items = items[items["source"] == "chain"]  # file-only items carry the Testnet
    for source in (report_terms, items):  # the chain's term wins: it is applied last
        if source is None or source.empty:
            continue
        labelled = source.dropna(subset=["term"]).drop_duplicates(["network", "proposal_id"])
        known = labelled.set_index(["network", "proposal_id"])["term"]
        found = [known.get(k) for k in keys]
        term = pd.Series(
            [f if f is not None else t for f, t in zip(found, term, strict=True)],
            index=rows.index,
            dtype="object",
        )
    return pd.DataFrame(
        {
            "network": network,
            "term": term,
            "proposal_id": proposal_id,
            "title": rows["Title"],
            "bounty": bounty[chosen],
            "wg": _text(categories, "WG")[chosen],
            "amount_minted": minted[chosen].astype(float),
            "usd": csv_values.numbers(_text(categories, "$ amount")[chosen]),
            "reimbursed": reimbursed[chosen].replace("", NOT_RECORDED),
        },
        columns=PENDING_COLUMNS,
    ).reset_index(drop=True)


def totals(pending_rows: pd.DataFrame, by: tuple[str, ...] = ("network", "term")) -> pd.DataFrame:
    """Owed per network and term (or per ``by``): payments, distinct bounties, amount minted,
    and USD (the file's ``$ amount``; missing where no row of the group gives one), in order
    of appearance."""
    columns = [*by, *TOTAL_COLUMNS[2:]]
    if pending_rows.empty:
        return pd.DataFrame(columns=columns)
    grouped = (
        pending_rows.groupby(list(by), sort=False)
        .agg(
            payments=("proposal_id", "size"),
            bounties=("bounty", "nunique"),
            amount_minted=("amount_minted", "sum"),
            usd=("usd", lambda v: v.sum(min_count=1)),
        )
        .reset_index()
    )
    return grouped[columns]
