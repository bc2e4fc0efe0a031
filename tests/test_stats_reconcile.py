"""The spending file against the chain, and bounties pending reimbursement: hand-made tables,
every expected value worked out by hand (see the comments beside the rows)."""

import math

import pandas as pd

from council import spending_checks
from council.stats import reconcile, reimbursement, spending
from council.uploads import SPENDING_CATEGORIES

COLUMNS = SPENDING_CATEGORIES.column_names


def file_rows(*rows: tuple[str, ...]) -> pd.DataFrame:
    """File rows given as (Testnet, #, Title, Status, Asked, Minted, Category, Bounty, WG,
    Reimbursed, $ amount); all cells text, in the file's column order."""
    out = []
    for testnet, pid, title, status, asked, minted, category, bounty, wg, paid_back, usd in rows:
        out.append(
            {
                "Testnet": testnet,
                "Proposal #": pid,
                "Title": title,
                "Status": status,
                "Amount Asked": asked,
                "Amount Minted": minted,
                "Exchange Rate": "",
                "$ amount": usd,
                "Category": category,
                "Bounty": bounty,
                "WG": wg,
                "Reimbursed": paid_back,
            }
        )
    return pd.DataFrame(out, columns=COLUMNS, dtype=object)


PROPOSAL_COLUMNS = [
    "id",
    "title",
    "type",
    "status",
    "funding_amount_joy",
    "status_set_at_block",
    "source",
]
# The chain (mainnet, fetched: no source), and one archive row that is not the chain.
PROPOSALS = pd.DataFrame(
    [
        ("100", "Tools", "FundingRequest", "executed", 1000.0, 500, None),
        ("101", "Ops", "FundingRequest", "executed", 250.5, 510, None),
        ("102", "Late ask", "FundingRequest", "expired", 400.0, 520, None),
        ("103", "Unfilled", "FundingRequest", "executed", 300.0, 530, None),
        ("104", "Refused", "FundingRequest", "rejected", 80.0, 540, None),
        ("105", "Open ask", "FundingRequest", "deciding", 60.0, 550, None),
        ("106", "Bounty 7 payout", "FundingRequest", "executed", 500.0, 560, None),
        ("107", "A signal", "Signal", "executed", None, 570, None),
        ("108", "Another signal", "Signal", "executed", None, 580, None),
        ("90", "From a report", "FundingRequest", "executed", 70.0, None, "report.md"),
    ],
    columns=PROPOSAL_COLUMNS,
).assign(
    network="mainnet",
    status_set_at_time=[pd.NaT, pd.NaT, pd.Timestamp("2023-02-01", tz="UTC")] + [pd.NaT] * 7,
)

FILE = file_rows(
    ("Mainnet", "100", "Tools", "Approved", "1000", "1000", "Tools", "", "", "", ""),
    ("Mainnet", "101", "Ops", "Approved", "250", "250", "", "", "", "", ""),  # within 1 JOY
    ("Mainnet", "103", "", "", "", "", "", "", "", "", ""),  # blank: 103 is missing
    ("Mainnet", "104", "Refused", "Approved", "80", "80", "Tools", "", "", "", ""),
    ("mainnet", "105", "Open ask", "", "60", "", "", "", "", "", ""),  # undecided: agrees
    ("Mainnet", "0106", "Bounty 7", "Executed", "500", "450", "Bounty", "7", "", "N", "45"),
    ("Mainnet", "107", "", "", "", "", "", "", "", "", ""),  # a signal's blank row: fine
    ("Mainnet", "108", "Signal?", "Approved", "20", "20", "Tools", "", "", "", ""),
    ("Mainnet", "90", "From a report", "Approved", "70", "70", "Tools", "", "", "", ""),
    ("Mainnet", "120", "Newer", "Approved", "70", "70", "", "", "", "", ""),
    ("Sumer", "5", "Old bounty", "Approved", "300", "300", "Bounties", "3", "", "N", ""),
)


def test_missing_proposals_with_their_reason() -> None:
    result = reconcile.reconcile(FILE, PROPOSALS, "mainnet")
    assert result.missing.to_dict("list") == {
        "proposal_id": ["102", "103"],
        "title": ["Late ask", "Unfilled"],
        "status": ["Expired", "Approved"],
        "amount_joy": [400.0, 300.0],
        "decided_at_block": [520, 530],
        "decided_at_time": [pd.Timestamp("2023-02-01", tz="UTC"), pd.NaT],
        "reason": ["no row in the file", "only a blank row in the file"],
    }


def test_missing_rows_are_ready_to_paste_in_the_files_columns() -> None:
    rows = reconcile.reconcile(FILE, PROPOSALS, "mainnet").missing_rows
    assert list(rows.columns) == COLUMNS
    assert rows.to_csv(index=False, lineterminator="\n") == (
        ",".join(COLUMNS) + "\n"
        "Mainnet,102,Late ask,Expired,400,0,,,,,,\n"
        "Mainnet,103,Unfilled,Approved,300,300,,,,,,\n"
    )


def test_rows_without_a_proposal_on_chain() -> None:
    unknown = reconcile.reconcile(FILE, PROPOSALS, "mainnet").unknown
    assert unknown["proposal_id"].tolist() == ["108", "90", "120"]
    assert unknown["reason"].tolist() == [
        "a Signal proposal on chain, not a funding request",
        "no proposal with this id on chain",  # the archive's proposal is not the chain
        "not on chain yet: newer than the newest proposal in the cache",
    ]
    assert unknown["amount_minted"].tolist() == [20.0, 70.0, 70.0]


def test_statuses_and_amounts_that_disagree() -> None:
    found = reconcile.reconcile(FILE, PROPOSALS, "mainnet").disagreements
    assert found.to_dict("records") == [
        {"proposal_id": "104", "title": "Refused", "column": "Status", "file": "Approved",
         "chain": "Rejected"},
        {"proposal_id": "104", "title": "Refused", "column": "Amount Minted", "file": "80",
         "chain": "0"},
        {"proposal_id": "106", "title": "Bounty 7 payout", "column": "Amount Minted",
         "file": "450", "chain": "500"},
    ]  # fmt: skip


def test_share_of_spending_categorised() -> None:
    # Paid: 100 (1000, Tools), 101 (250.5, blank), 103 (300, blank row), 106 (500, Bounty).
    got = reconcile.reconcile(FILE, PROPOSALS, "mainnet").categorised
    assert (got.proposals, got.categorised) == (4, 2)
    assert (got.amount_joy, got.categorised_joy) == (2050.5, 1500.0)
    assert math.isclose(got.share, 1500.0 / 2050.5)


def test_a_file_that_agrees_and_networks_to_check() -> None:
    chain = PROPOSALS[PROPOSALS["id"].isin(["100", "107"])]
    result = reconcile.reconcile(FILE.iloc[[0, 6]], chain, "mainnet")
    assert result.agrees
    assert result.categorised.share == 1.0
    assert reconcile.fetched_networks(PROPOSALS) == ["mainnet"]
    archive_only = PROPOSALS.assign(source="report.md")
    assert reconcile.fetched_networks(archive_only) == []
    assert reconcile.reconcile(FILE, archive_only, "mainnet").categorised.share is None


def test_status_spellings() -> None:
    keys = [reconcile.status_key(s) for s in ("ExecutionFailed", "Execution Failed", None)]
    assert keys == ["executionfailed", "executionfailed", ""]
    assert reconcile.status_key("Cancelled") == reconcile.status_key("canceled")
    assert reconcile.file_status("canceled by runtime") == "Canceled"


# --- bounties pending reimbursement ----------------------------------------------------------

BOUNTIES = file_rows(
    ("Sumer", "10", "Bounty 18 week 1", "Approved", "100", "100", "Bounties", "18", "", "Y", ""),
    ("Sumer", "11", "Bounty 18 week 2", "Approved", "120", "120", "Bounties", "18", "", "N", "3"),
    ("Sumer", "12", "Bounty 24 week 1", "Approved", "200", "200", "Bounties", "24", "", "N", "5"),
    ("Sumer", "13", "Bounty 24 canceled", "Canceled", "90", "90", "Bounties", "24", "", "N", ""),
    ("Sumer", "14", "Bounty 9", "Approved", "30", "30", "Bounties", "9", "Curators", "", ""),
    ("Sumer", "15", "Curator OKR", "Approved", "50", "50", "OKR", "", "Curators", "", ""),
    ("Giza", "16", "Bounty 18 week 3", "Approved", "80", "80", "Bounties", "18", "", "n", "2"),
    ("Mainnet", "106", "Bounty 7", "Executed", "500", "500", "Bounty", "7", "", "N", ""),
)


ONE_COUNCIL = pd.DataFrame(
    {"network": ["mainnet"], "id": ["c1"], "elected_in_cycle_id": [4],
     "elected_at_block": [400], "ended_at_block": [None]}
)  # fmt: skip


def test_pending_bounty_payments() -> None:
    items = spending.spending_items(BOUNTIES, PROPOSALS, ONE_COUNCIL)
    rows = reimbursement.pending(BOUNTIES, items)
    # 10 reimbursed, 13 not paid, 15 not a bounty; 14's blank Reimbursed is not recorded.
    assert rows["proposal_id"].tolist() == ["11", "12", "14", "16", "106"]
    assert rows["term"].tolist() == ["Sumer", "Sumer", "Sumer", "Giza", "term 4"]
    assert rows["reimbursed"].tolist() == ["N", "N", "not recorded", "n", "N"]
    assert rows["wg"].tolist() == ["", "", "Curators", "", ""]
    totals = reimbursement.totals(rows)
    assert totals["term"].tolist() == ["Sumer", "Giza", "term 4"]
    assert totals["payments"].tolist() == [3, 1, 1]
    assert totals["bounties"].tolist() == [3, 1, 1]  # 18, 24, 9
    assert totals["amount_minted"].tolist() == [350.0, 80.0, 500.0]
    assert totals["usd"].tolist()[:2] == [8.0, 2.0]
    assert math.isnan(totals["usd"].tolist()[2])  # no $ amount: not recorded, not 0
    per_network = reimbursement.totals(rows, by=("network",))
    assert per_network[["network", "payments", "amount_minted"]].values.tolist() == [
        ["Sumer", 3, 350.0],
        ["Giza", 1, 80.0],
        ["Mainnet", 1, 500.0],
    ]
    assert spending_checks.owed_text(per_network) == (
        "Owed in all: Sumer **350** (8 USD), Giza **80** (2 USD), Mainnet **500**"
    )


def test_testnet_terms_from_the_term_reports() -> None:
    reports = pd.DataFrame(
        {"network": ["sumer", "sumer", "sumer"], "id": ["11", "12", "99"],
         "council_id": ["sumer-council-38", "sumer-council-9", None]}
    )  # fmt: skip
    councils = pd.DataFrame(
        {"network": ["sumer"], "id": ["sumer-council-38"], "elected_in_cycle_id": [38]}
    )
    listed = reimbursement.report_terms(reports, councils)
    assert listed.to_dict("list") == {
        "network": ["sumer"],
        "proposal_id": ["11"],
        "term": ["term 38"],
    }  # sumer-council-9 is not in the cache: no term
    rows = reimbursement.pending(BOUNTIES, None, listed)
    assert rows["term"].tolist() == ["term 38", "Sumer", "Sumer", "Giza", "Mainnet"]
    # The spending items' file-only rows (term: the Testnet) do not hide the report's term.
    items = spending.spending_items(BOUNTIES, PROPOSALS.iloc[0:0], ONE_COUNCIL)
    assert reimbursement.pending(BOUNTIES, items, listed)["term"].iloc[0] == "term 38"


def test_no_pending_bounties() -> None:
    assert reimbursement.pending(BOUNTIES.iloc[[0, 5]]).empty
    assert reimbursement.totals(reimbursement.pending(BOUNTIES.iloc[0:0])).empty
