"""Council spending by category: the chain's funding requests joined with the secretary's CSV.

Pure pandas, no I/O. The secretary's file (``spending_proposal_categories.csv``) maps
``(Testnet, Proposal #)`` to a category; amounts there are in (t)JOY. Chain funding requests
carry their amounts (JOY, from ``council.data``) and decision block/time; a chain request the
file does not categorise is "Uncategorised" and flagged.

Only what was paid counts: a file row counts when its Status is one of :data:`PAID_STATUSES`.
A row with an Amount Minted but a status that did not pay (canceled, expired, failed, blank)
counts nothing and is listed by :func:`unpaid_minted` for the secretary to correct.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from council import csv_values
from council.stats import leaderboard

UNCATEGORISED = "Uncategorised"
PIONEER_PROPOSAL_URL = "https://pioneerapp.xyz/#/proposals/preview/{id}"
PIONEER_NETWORK = "mainnet"  # the network whose proposals Pioneer shows
# Statuses (lower case) of the secretary's file under which the minted amount was paid out.
# The real file has Approved, Canceled/Cancelled, Expired, Execution Failed/ExecutionFailed.
PAID_STATUSES = frozenset({"approved", "executed"})

# Spelling variants in the real file that mean the same category.
CATEGORY_ALIASES = {
    "bounty": "Bounties",
    "bounties": "Bounties",
    "n\\a": UNCATEGORISED,
    "n/a": UNCATEGORISED,
    "": UNCATEGORISED,
}

ITEM_COLUMNS = [
    "network",
    "proposal_id",
    "title",
    "status",
    "amount_joy",
    "category",
    "uncategorised",
    "decided_at_block",
    "decided_at_time",
    "term",
    "source",
    "link",
]


def normalise_category(values: pd.Series) -> pd.Series:
    """Trim, merge known spelling variants, and name blanks ``Uncategorised``."""
    cleaned = values.fillna("").astype(str).str.strip()
    return cleaned.map(lambda v: CATEGORY_ALIASES.get(v.lower(), v))


def _status(categories: pd.DataFrame) -> pd.Series:
    return categories["Status"].fillna("").astype(str).str.strip().str.lower()


def _paid(categories: pd.DataFrame) -> pd.Series:
    return _status(categories).isin(PAID_STATUSES)


def csv_items(categories: pd.DataFrame) -> pd.DataFrame:
    """Spending recorded only in the secretary's file: paid rows with an amount minted above 0."""
    minted = csv_values.numbers(categories["Amount Minted"])
    counts = (minted > 0) & _paid(categories)
    rows = categories[counts]
    return pd.DataFrame(
        {
            "network": rows["Testnet"].str.strip().str.lower(),
            "proposal_id": csv_values.whole_number_texts(rows["Proposal #"]),
            "title": rows["Title"],
            "status": _status(rows),
            "amount_joy": minted[counts].astype(float),
            "category": normalise_category(rows["Category"]),
            "decided_at_block": pd.Series(pd.NA, index=rows.index, dtype="Int64"),
            "decided_at_time": pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns, UTC]"),
            "term": rows["Testnet"].str.strip(),
            "source": "secretary's CSV",
            "link": None,
        }
    )


def unpaid_minted(categories: pd.DataFrame) -> pd.DataFrame:
    """Rows of the secretary's file with an Amount Minted above 0 but a Status that did not pay
    (not in :data:`PAID_STATUSES`; a blank status included): not counted as spending, listed
    for the secretary to check. Columns as in the file, in file order."""
    minted = csv_values.numbers(categories["Amount Minted"])
    flagged = categories[(minted > 0) & ~_paid(categories)]
    return pd.DataFrame(
        {
            "network": flagged["Testnet"].str.strip(),
            "proposal_id": csv_values.whole_number_texts(flagged["Proposal #"]),
            "title": flagged["Title"],
            "status": flagged["Status"].fillna("").astype(str).str.strip(),
            "amount_minted": minted[flagged.index].astype(float),
            "category": normalise_category(flagged["Category"]),
        }
    ).reset_index(drop=True)


def term_of_block(rows: pd.DataFrame, block_column: str, councils: pd.DataFrame) -> pd.Series:
    """The term ("term N") in office at each row's block on the row's own network, else NA.

    A council is in office from the block that elected it until (not including) the block
    that ended it; terms are numbered as on the leaderboard (the round that elected them).
    """
    term_table = leaderboard.terms(councils)
    council_id = leaderboard.term_at(rows, term_table, block_column)
    found = pd.DataFrame({"network": rows["network"], "council_id": council_id})
    labels = term_table.assign(label="term " + term_table["term"].astype(str))
    labelled = found.merge(labels[["network", "council_id", "label"]], how="left")
    return pd.Series(labelled["label"].to_numpy(), index=rows.index, dtype="object")


def chain_items(
    proposals: pd.DataFrame, categories: pd.DataFrame, councils: pd.DataFrame
) -> pd.DataFrame:
    """Executed funding requests from the chain (money actually paid), with the secretary's
    category where the file has one."""
    funding = proposals[
        (proposals["type"] == "FundingRequest") & (proposals["status"] == "executed")
    ]
    keys = categories.assign(
        network=categories["Testnet"].str.strip().str.lower(),
        proposal_id=csv_values.whole_number_texts(categories["Proposal #"]),
        category=normalise_category(categories["Category"]),
    )[["network", "proposal_id", "category"]]
    frame = funding.rename(columns={"id": "proposal_id"}).merge(
        keys, on=["network", "proposal_id"], how="left"
    )
    frame["category"] = frame["category"].fillna(UNCATEGORISED)
    decided = frame["status_set_at_block"]
    return pd.DataFrame(
        {
            "network": frame["network"],
            "proposal_id": frame["proposal_id"],
            "title": frame["title"],
            "status": frame["status"],
            "amount_joy": frame["funding_amount_joy"].fillna(0.0),
            "category": frame["category"],
            "decided_at_block": decided.astype("Int64"),
            "decided_at_time": frame["status_set_at_time"],
            "term": term_of_block(frame, "status_set_at_block", councils),
            "source": "chain",
            "link": frame["proposal_id"]
            .map(lambda i: PIONEER_PROPOSAL_URL.format(id=i))
            .where(frame["network"] == PIONEER_NETWORK),
        }
    )


def spending_items(
    categories: pd.DataFrame, proposals: pd.DataFrame, councils: pd.DataFrame
) -> pd.DataFrame:
    """Every spending item: chain funding requests, plus file-only rows the chain lacks."""
    chain = chain_items(proposals, categories, councils)
    from_file = csv_items(categories)
    known = set(zip(chain["network"], chain["proposal_id"], strict=True))
    file_only = from_file[
        [
            (n, p) not in known
            for n, p in zip(from_file["network"], from_file["proposal_id"], strict=True)
        ]
    ]
    items = pd.concat([chain, file_only], ignore_index=True)
    items["uncategorised"] = items["category"] == UNCATEGORISED
    return items[ITEM_COLUMNS]


def filter_items(
    items: pd.DataFrame,
    terms: list[str] | None = None,
    categories: list[str] | None = None,
    date_range: tuple[date, date] | None = None,
    min_amount: float = 0.0,
) -> pd.DataFrame:
    """Items in the chosen terms, categories, decision dates and at least ``min_amount``.

    Items without a decision date (file-only rows) pass any date range.
    """
    keep = items["amount_joy"] >= min_amount
    if terms:
        keep &= items["term"].isin(terms)
    if categories:
        keep &= items["category"].isin(categories)
    if date_range is not None:
        day = items["decided_at_time"].dt.date
        keep &= day.isna() | ((day >= date_range[0]) & (day <= date_range[1]))
    return items[keep]


def totals_by(items: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Total JOY and number of proposals per group, largest first (ties by name), with shares."""
    # One column's size and sum, not a named aggregation: the same figures in half the time
    # (a filter change on the Spending page computes two of these).
    amounts = items.groupby(by, dropna=False)["amount_joy"]
    grouped = (
        pd.DataFrame({"proposals": amounts.size(), "amount_joy": amounts.sum()})
        .reset_index()
        .sort_values(["amount_joy", *by], ascending=[False] + [True] * len(by))
    )
    total = grouped["amount_joy"].sum()
    grouped["share"] = grouped["amount_joy"] / total if total else 0.0
    return grouped.reset_index(drop=True)


def largest_groups(totals: pd.DataFrame, column: str, limit: int) -> pd.DataFrame:
    """The rows of ``totals`` (a :func:`totals_by` table) whose ``column`` value is one of the
    ``limit`` with the most JOY over all their rows (ties by name), in their order."""
    by_value = totals.groupby(column, sort=True)["amount_joy"].sum()
    keep = by_value.sort_values(ascending=False, kind="stable").index[:limit]
    return totals[totals[column].isin(keep)]


# Periods :func:`cumulative_spending` may sum over, finest first.
CUMULATIVE_PERIODS = ("D", "W", "M", "Q", "Y")


def cumulative_spending(items: pd.DataFrame, max_points: int = 400) -> pd.DataFrame:
    """JOY spent up to each decision (``date``, ``cumulative_joy``), oldest first, for items
    with a decision time. With more than ``max_points`` decisions, only the last decision of
    each day, else week, month, quarter or year (the finest period that fits) is kept: the
    running total there is exact, a chart only loses the steps within a period."""
    dated = items.dropna(subset=["decided_at_time"]).sort_values("decided_at_time", kind="stable")
    frame = pd.DataFrame(
        {"date": dated["decided_at_time"], "cumulative_joy": dated["amount_joy"].cumsum()}
    ).reset_index(drop=True)
    if len(frame) <= max_points:
        return frame
    naive = frame["date"].dt.tz_localize(None) if frame["date"].dt.tz else frame["date"]
    moments = naive.to_numpy(dtype="datetime64[ns]")
    for period in CUMULATIVE_PERIODS:
        # Sorted by time, each period's decisions are one run: keep each run's last.
        codes = _period_codes(moments, period)
        last = frame[np.append(codes[1:] != codes[:-1], True)]
        if len(last) <= max_points:
            break
    return last.reset_index(drop=True)


def _period_codes(moments: np.ndarray, period: str) -> np.ndarray:
    """A number per moment (``datetime64``, no time zone) naming its period of
    :data:`CUMULATIVE_PERIODS` as pandas' ``to_period`` does: a day, a week from Monday to
    Sunday (``W``), a month, a quarter or a year."""
    if period in ("D", "W"):
        days = moments.astype("datetime64[D]").astype("int64")
        return days if period == "D" else (days + 3) // 7  # 1970-01-01 was a Thursday
    if period in ("M", "Q"):
        months = moments.astype("datetime64[M]").astype("int64")
        return months if period == "M" else months // 3
    return moments.astype("datetime64[Y]").astype("int64")


def markdown_table(totals: pd.DataFrame, column: str = "category", label: str = "Category") -> str:
    """A forum-ready markdown table of totals per ``column`` (JOY with thousands separators)."""
    lines = [
        f"| {label} | Proposals | Amount (JOY) | Share |",
        "|---|---:|---:|---:|",
    ]
    for row in totals.itertuples():
        lines.append(
            f"| {getattr(row, column)} | {row.proposals:,} | {row.amount_joy:,.0f} "
            f"| {row.share:.1%} |"
        )
    total = totals["amount_joy"].sum()
    lines.append(f"| **Total** | {int(totals['proposals'].sum()):,} | {total:,.0f} | 100.0% |")
    return "\n".join(lines) + "\n"
