"""The secretary's spending file checked against the chain, for one network of a fetched cache.

Pure pandas, no I/O. The chain's side is the network's funding-request proposals fetched from
a query node (``proposals`` rows without an archive ``source``: the term reports' proposals are
a record, not the chain). The file's side is ``spending_proposal_categories.csv`` as the
upload check stored it (all cells text), its rows of that network (``Testnet``, any case).
Cells are read with :mod:`council.csv_values`, the parsers of the upload check.

- missing: funding requests on chain that the file has no row for, or only a blank row
  (nothing but the id); :func:`missing_rows` gives them in the file's own columns;
- unknown: file rows whose proposal is not on chain (or, for a row with content, is a
  proposal of another type);
- disagreements: a file row whose Status, Amount Asked or Amount Minted differs from the
  chain's (amounts within :data:`AMOUNT_TOLERANCE_JOY` agree; a blank amount disagrees only
  where the chain has one above 0);
- categorised: how much of the paid (executed) funding requests the file categorises.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from council import csv_values
from council.format import csv_number
from council.stats import spending

FUNDING_REQUEST = "FundingRequest"
# Amounts (JOY) that differ by less than this agree: the file often rounds to whole JOY.
AMOUNT_TOLERANCE_JOY = 1.0
# The chain's status (lower case, as the cache stores it) in the file's words.
FILE_STATUS = {
    "executed": "Approved",
    "execution failed": "Execution Failed",
    "expired": "Expired",
    "cancelled": "Canceled",
    "canceled by runtime": "Canceled",
    "rejected": "Rejected",
    "slashed": "Slashed",
    "vetoed": "Vetoed",
    "deciding": "Deciding",
    "gracing": "Gracing",
    "dormant": "Dormant",
}
# Chain statuses that are not final: a blank Status in the file agrees with them.
UNDECIDED = frozenset({"deciding", "gracing", "dormant"})
# The file's spellings that mean the same status (compared without case and spaces).
STATUS_ALIASES = {"cancelled": "canceled", "executed": "approved"}

MISSING_COLUMNS = [
    "proposal_id",
    "title",
    "status",
    "amount_joy",
    "decided_at_block",
    "decided_at_time",
    "reason",
]
UNKNOWN_COLUMNS = ["proposal_id", "title", "status", "amount_minted", "reason"]
DISAGREEMENT_COLUMNS = ["proposal_id", "title", "column", "file", "chain"]


@dataclass(frozen=True)
class Categorised:
    """How much of the network's paid funding requests the file categorises."""

    proposals: int
    categorised: int
    amount_joy: float
    categorised_joy: float

    @property
    def share(self) -> float | None:
        """Categorised share of the paid amount (0-1); None when nothing was paid."""
        return self.categorised_joy / self.amount_joy if self.amount_joy else None


@dataclass(frozen=True)
class Reconciliation:
    """The file against the chain for one network."""

    network: str
    missing: pd.DataFrame
    unknown: pd.DataFrame
    disagreements: pd.DataFrame
    categorised: Categorised
    missing_rows: pd.DataFrame

    @property
    def agrees(self) -> bool:
        """Nothing missing, unknown or disagreeing."""
        return self.missing.empty and self.unknown.empty and self.disagreements.empty


def status_key(text: object) -> str:
    """A status as compared: lower case without spaces, the file's variants merged
    (``Execution Failed`` = ``ExecutionFailed``, ``Cancelled`` = ``Canceled``, ``Executed`` =
    ``Approved``); blank: ``""``."""
    value = "" if text is None or pd.isna(text) else str(text)
    key = "".join(value.lower().split())
    return STATUS_ALIASES.get(key, key)


def file_status(chain_status: str) -> str:
    """The chain's status in the file's words (``executed`` -> ``Approved``)."""
    return FILE_STATUS.get(chain_status, chain_status.capitalize())


def fetched_networks(proposals: pd.DataFrame) -> list[str]:
    """Networks with funding requests fetched from a query node (not from the archive)."""
    chain = _fetched(proposals)
    return sorted(chain.loc[chain["type"] == FUNDING_REQUEST, "network"].unique())


def _fetched(proposals: pd.DataFrame) -> pd.DataFrame:
    if "source" not in proposals.columns:
        return proposals
    source = proposals["source"].fillna("").astype(str).str.strip()
    return proposals[source == ""]


def _file_rows(categories: pd.DataFrame, network: str) -> pd.DataFrame:
    """The file's rows of ``network``, with their plain proposal id, in file order."""
    rows = categories[categories["Testnet"].fillna("").str.strip().str.lower() == network]
    return rows.assign(_id=csv_values.whole_number_texts(rows["Proposal #"]))


def _blank(rows: pd.DataFrame) -> pd.Series:
    """Rows with nothing but their key."""
    others = [c for c in rows.columns if c not in ("Testnet", "Proposal #", "_id")]
    if not others:
        return pd.Series(True, index=rows.index)
    return rows[others].fillna("").astype(str).apply(lambda c: c.str.strip()).eq("").all(axis=1)


def _id_order(proposal_id: str) -> tuple[int, str]:
    return (int(proposal_id), "") if proposal_id.isdigit() else (-1, proposal_id)


def _paid_joy(chain: pd.DataFrame) -> pd.Series:
    amount = chain["funding_amount_joy"].astype(float)
    return amount.where(chain["status"] == "executed", 0.0)


def _amount_differs(file_amount: float, chain_amount: float) -> bool:
    if pd.isna(chain_amount):
        return False
    if pd.isna(file_amount):
        return chain_amount > 0
    return abs(file_amount - chain_amount) >= AMOUNT_TOLERANCE_JOY


def _file_amount_text(value: float) -> str:
    return "" if pd.isna(value) else csv_number(float(value))


def reconcile(categories: pd.DataFrame, proposals: pd.DataFrame, network: str) -> Reconciliation:
    """The spending file against the chain's funding requests of ``network`` (lower case)."""
    fetched = _fetched(proposals[proposals["network"] == network])
    chain = fetched[fetched["type"] == FUNDING_REQUEST]
    chain = chain.assign(_order=chain["id"].map(_id_order)).sort_values("_order")
    rows = _file_rows(categories, network)
    blank = _blank(rows)
    filled = rows[~blank]
    by_id = filled.drop_duplicates("_id").set_index("_id")
    listed = set(rows["_id"])

    missing = chain[~chain["id"].isin(by_id.index)]
    missing_frame = pd.DataFrame(
        {
            "proposal_id": missing["id"],
            "title": missing["title"],
            "status": missing["status"].map(file_status),
            "amount_joy": missing["funding_amount_joy"].astype(float),
            "decided_at_block": missing["status_set_at_block"].astype("Int64"),
            "decided_at_time": missing.get("status_set_at_time"),
            "reason": [
                "only a blank row in the file" if pid in listed else "no row in the file"
                for pid in missing["id"]
            ],
        },
        columns=MISSING_COLUMNS,
    ).reset_index(drop=True)

    on_chain = fetched.drop_duplicates("id").set_index("id")
    newest = max((_id_order(i) for i in on_chain.index), default=(-1, ""))
    unknown = []
    for _, row in rows.iterrows():
        pid = row["_id"]
        is_blank = bool(blank[row.name])
        if pid not in on_chain.index:
            later = _id_order(pid) > newest and _id_order(pid)[0] >= 0
            reason = (
                "not on chain yet: newer than the newest proposal in the cache"
                if later
                else "no proposal with this id on chain"
            )
        elif on_chain.at[pid, "type"] != FUNDING_REQUEST and not is_blank:
            reason = f"a {on_chain.at[pid, 'type']} proposal on chain, not a funding request"
        else:
            continue
        minted = csv_values.numbers(pd.Series([row.get("Amount Minted", "")]))[0]
        unknown.append(
            {
                "proposal_id": pid,
                "title": row.get("Title", ""),
                "status": row.get("Status", ""),
                "amount_minted": minted,
                "reason": reason,
            }
        )
    unknown_frame = pd.DataFrame(unknown, columns=UNKNOWN_COLUMNS)

    both = chain[chain["id"].isin(by_id.index)]
    differences = []
    for proposal in both.itertuples():
        row = by_id.loc[proposal.id]
        asked = csv_values.numbers(pd.Series([row.get("Amount Asked", "")]))[0]
        minted = csv_values.numbers(pd.Series([row.get("Amount Minted", "")]))[0]
        chain_amount = float(proposal.funding_amount_joy)
        paid = chain_amount if proposal.status == "executed" else 0.0
        said = status_key(row.get("Status", ""))
        status_agrees = said == status_key(file_status(proposal.status)) or (
            said == "" and proposal.status in UNDECIDED
        )
        found = []
        if not status_agrees:
            found.append(("Status", str(row.get("Status", "")), file_status(proposal.status)))
        if "Amount Asked" in row.index and _amount_differs(asked, chain_amount):
            found.append(("Amount Asked", _file_amount_text(asked), csv_number(chain_amount)))
        if "Amount Minted" in row.index and _amount_differs(minted, paid):
            found.append(("Amount Minted", _file_amount_text(minted), csv_number(paid)))
        for column, in_file, on_chain_value in found:
            differences.append(
                {
                    "proposal_id": proposal.id,
                    "title": proposal.title,
                    "column": column,
                    "file": in_file,
                    "chain": on_chain_value,
                }
            )
    disagreement_frame = pd.DataFrame(differences, columns=DISAGREEMENT_COLUMNS)

    paid_chain = chain[chain["status"] == "executed"]
    category = paid_chain["id"].map(
        spending.normalise_category(by_id["Category"]) if "Category" in by_id else {}
    )
    is_categorised = category.notna() & (category != spending.UNCATEGORISED)
    paid_amount = _paid_joy(paid_chain).fillna(0.0)
    categorised = Categorised(
        proposals=len(paid_chain),
        categorised=int(is_categorised.sum()),
        amount_joy=float(paid_amount.sum()),
        categorised_joy=float(paid_amount[is_categorised].sum()),
    )
    return Reconciliation(
        network=network,
        missing=missing_frame,
        unknown=unknown_frame,
        disagreements=disagreement_frame,
        categorised=categorised,
        missing_rows=missing_rows(missing_frame, categories, network),
    )


def testnet_label(categories: pd.DataFrame, network: str) -> str:
    """How the file writes ``network`` in its Testnet column (its most common spelling),
    else the name capitalised (``mainnet`` -> ``Mainnet``)."""
    written = categories["Testnet"].fillna("").str.strip()
    mine = written[written.str.lower() == network]
    return mine.value_counts().index[0] if len(mine) else network.capitalize()


def missing_rows(missing: pd.DataFrame, categories: pd.DataFrame, network: str) -> pd.DataFrame:
    """The missing proposals as rows of the spending file, ready to paste: the file's own
    columns in its order, all text. Amount Minted is what was paid (the amount when executed,
    0 when the proposal ended otherwise, blank while undecided); Category, Exchange Rate,
    $ amount, Bounty, WG and Reimbursed are left for the secretary."""
    label = testnet_label(categories, network)
    columns = list(categories.columns)
    undecided_keys = {status_key(file_status(s)) for s in UNDECIDED}
    out = []
    # Plain lists, not itertuples: iterating Arrow-backed columns row by row is slow.
    for proposal_id, title, status, amount_joy in zip(
        missing["proposal_id"].tolist(),
        missing["title"].tolist(),
        missing["status"].tolist(),
        missing["amount_joy"].tolist(),
        strict=True,
    ):
        amount = "" if pd.isna(amount_joy) else csv_number(float(amount_joy))
        key = status_key(status)
        minted = amount if key == "approved" else ("" if key in undecided_keys else "0")
        values = {
            "Testnet": label,
            "Proposal #": proposal_id,
            "Title": title if isinstance(title, str) else "",
            "Status": status,
            "Amount Asked": amount,
            "Amount Minted": minted,
        }
        out.append({c: values.get(c, "") for c in columns})
    return pd.DataFrame(out, columns=columns, dtype=object)
