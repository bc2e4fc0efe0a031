"""Proposals, proposal votes and council budget events: fetched from the test query node
(tests/qn_server.py serving tests/fixtures/qn_small.json) and checked row by row.

The expected values below were worked out by hand from the fixture and are written as
literals on purpose: recomputing them with the code under test would prove nothing.

Council terms in the fixture (blocks, 6 s apart):
  00000001  1 - 201601       l1dev (515), 0x2bc (2096, casts no proposal vote), jen4ph (1812)
  0000000n  201601 - 403201  l1dev (515), leet_joy (1048), freakstatic_council (2121)
  00000018  403201 -         jen4ph (1812), tomato (3253), l1dev (515)
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils
from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records

from council import data, fetch

FAST = {"timeout": 5, "retries": 0, "backoff": 0}
GENESIS = datetime(2023, 1, 2, 10, 0, 0, tzinfo=UTC)


@pytest.fixture
def cache(qn_server: QueryNodeServer, tmp_path: Path) -> Path:
    path = tmp_path / "c.db"
    fetch.refresh(qn_server.url, path, **FAST)
    return path


def rows(path: Path, table: str) -> dict[str, dict[str, Any]]:
    db = sqlite_utils.Database(path)
    try:
        return {row["id"]: row for row in db[table].rows}
    finally:
        db.close()


# --- proposals -------------------------------------------------------------------------------


def test_proposal_types_and_statuses(cache: Path) -> None:
    proposals = rows(cache, "proposals")
    assert {pid: (p["type"], p["status"]) for pid, p in proposals.items()} == {
        "0000001o": ("FundingRequest", "executed"),
        "0000001r": ("Signal", "rejected"),
        "0000001v": ("FundingRequest", "executed"),
        "00000020": ("FundingRequest", "execution failed"),
        "00000023": ("UpdateWorkingGroupBudget", "executed"),
        "00000027": ("SetMembershipPrice", "expired"),
        "00000029": ("RuntimeUpgrade", "executed"),
        "0000002j": ("AmendConstitution", "cancelled"),
        "0000002l": ("FundingRequest", "deciding"),
    }
    assert all(p["network"] == "mainnet" for p in proposals.values())


def test_single_destination_funding_request(cache: Path) -> None:
    proposal = rows(cache, "proposals")["0000001o"]
    assert proposal == {
        "network": "mainnet",
        "id": "0000001o",
        "title": "Funding request: Q1 community bounties",
        "type": "FundingRequest",
        "status": "executed",
        "creator_id": "1048",
        "council_approvals": 1,
        "is_finalized": 1,
        "created_at_block": 14401,
        "created_at_time": "2023-01-03T10:00:06.000Z",
        "status_set_at_block": 18001,
        "status_set_at_time": "2023-01-03T16:00:06.000Z",
        "funding_amount": "500000000000000",
        # Columns only the testnet archive fills.
        "creator_handle": None,
        "status_text": None,
        "blocks_to_finalize": None,
        "council_id": None,
        "source": None,
    }


def test_two_destination_funding_request(cache: Path) -> None:
    proposal = rows(cache, "proposals")["0000001v"]
    assert proposal["status"] == "executed"
    # 120,000 JOY + 35,500.25 JOY = 155,500.25 JOY
    assert proposal["funding_amount"] == "1555002500000000"
    destinations = rows(cache, "funding_destinations")
    assert {d for d in destinations if d.startswith("0000001v")} == {"0000001v-0", "0000001v-1"}
    assert destinations["0000001v-0"] == {
        "network": "mainnet",
        "id": "0000001v-0",
        "proposal_id": "0000001v",
        "account": "j4YMhBMZX8r5u58jEewrcYtMgkUJK7VXDSRshdUWuFfxasPG",
        "amount": "1200000000000000",
    }
    assert destinations["0000001v-1"]["account"] == (
        "j474xZ1a28NmgCraK6uGSppxeSwSVB7vpHc1GA6VtAdS1CU8"
    )
    assert destinations["0000001v-1"]["amount"] == "355002500000000"


def test_funding_amounts_and_destination_rows(cache: Path) -> None:
    proposals = rows(cache, "proposals")
    assert {pid: p["funding_amount"] for pid, p in proposals.items()} == {
        "0000001o": "500000000000000",
        "0000001r": None,
        "0000001v": "1555002500000000",
        "00000020": "2000000000000000",
        "00000023": None,
        "00000027": None,
        "00000029": None,
        "0000002j": None,
        "0000002l": "800000000000000",
    }
    assert sorted(rows(cache, "funding_destinations")) == [
        "0000001o-0",
        "0000001v-0",
        "0000001v-1",
        "00000020-0",
        "0000002l-0",
    ]


def test_still_deciding_and_failed_proposals(cache: Path) -> None:
    proposals = rows(cache, "proposals")
    deciding = proposals["0000002l"]
    assert (deciding["status"], deciding["is_finalized"]) == ("deciding", 0)
    assert deciding["status_set_at_block"] == deciding["created_at_block"] == 532801
    assert deciding["council_approvals"] == 0
    failed = proposals["00000020"]
    assert (failed["status"], failed["is_finalized"], failed["council_approvals"]) == (
        "execution failed",
        1,
        1,
    )
    assert sum(p["is_finalized"] for p in proposals.values()) == 8


def test_proposal_decided_in_the_next_term(cache: Path) -> None:
    """The runtime upgrade: created and approved (round 1) by council 0000000n, approved again
    (round 2) and executed under council 00000018."""
    upgrade = rows(cache, "proposals")["00000029"]
    councils = rows(cache, "councils")
    assert upgrade["created_at_block"] == 360001
    assert councils["0000000n"]["ended_at_block"] == 403201
    assert councils["00000018"]["elected_at_block"] == 403201
    assert upgrade["status_set_at_block"] == 428401
    assert upgrade["status_set_at_time"] == "2023-02-01T04:00:06.000Z"
    assert upgrade["council_approvals"] == 2
    votes = [v for v in rows(cache, "proposal_votes").values() if v["proposal_id"] == "00000029"]
    by_round = {
        n: sorted(
            (v["voted_at_block"], v["voter_member_id"]) for v in votes if v["voting_round"] == n
        )
        for n in (1, 2)
    }
    assert by_round == {
        1: [(361201, "515"), (364801, "1048"), (367201, "2121")],
        2: [(410401, "1812"), (412801, "3253"), (414001, "515")],
    }


# --- proposal votes --------------------------------------------------------------------------


def test_proposal_votes(cache: Path) -> None:
    votes = rows(cache, "proposal_votes")
    assert len(votes) == 18
    assert votes["0000001s"] == {
        "network": "mainnet",
        "id": "0000001s",
        "proposal_id": "0000001r",
        "voter_member_id": "515",
        "vote_kind": "slash",
        "rationale": "Spam: the same text was rejected last month.",
        "voting_round": 1,
        "voted_at_block": 51001,
        "voted_at_time": "2023-01-05T23:00:06.000Z",
        "council_id": None,  # only the testnet archive fills it
    }
    assert votes["0000001t"]["vote_kind"] == "reject"
    assert votes["0000001t"]["rationale"] == ""
    abstained = votes["00000028"]
    assert (abstained["vote_kind"], abstained["voter_member_id"]) == ("abstain", "2121")
    assert abstained["rationale"] == "Need sign-up data before changing the price."
    assert Counter(v["vote_kind"] for v in votes.values()) == {
        "approve": 15,
        "reject": 1,
        "slash": 1,
        "abstain": 1,
    }
    assert sum(1 for v in votes.values() if v["rationale"]) == 7
    members = rows(cache, "members")
    assert members["3253"]["handle"] == "tomato"


def test_votes_per_councillor_and_term(cache: Path) -> None:
    """0x2bc (2096) sat on council 00000001 and voted on none of its proposals."""
    councils = rows(cache, "councils")
    seats = rows(cache, "council_members").values()
    votes = rows(cache, "proposal_votes").values()
    per_seat = {}
    for seat in seats:
        council = councils[seat["council_id"]]
        start, end = council["elected_at_block"], council["ended_at_block"] or 10**9
        per_seat[(seat["council_id"], seat["member_id"])] = sum(
            1
            for v in votes
            if v["voter_member_id"] == seat["member_id"] and start <= v["voted_at_block"] < end
        )
    assert per_seat == {
        ("00000001", "515"): 3,
        ("00000001", "2096"): 0,
        ("00000001", "1812"): 3,
        ("0000000n", "515"): 3,
        ("0000000n", "1048"): 3,
        ("0000000n", "2121"): 2,
        ("00000018", "1812"): 1,
        ("00000018", "3253"): 2,
        ("00000018", "515"): 1,
    }


# --- council budget events -------------------------------------------------------------------


def test_budget_refills(cache: Path) -> None:
    refills = rows(cache, "budget_refills")
    assert sorted(refills) == ["0000001u", "00000026", "0000002k"]
    assert refills["00000026"] == {
        "network": "mainnet",
        "id": "00000026",
        "block": 273601,
        "time": "2023-01-21T10:00:06.000Z",
        "balance": "1666666666666667",
    }


def test_reward_payments(cache: Path) -> None:
    payments = rows(cache, "reward_payments")
    assert len(payments) == 6
    assert payments["0000002f"] == {
        "network": "mainnet",
        "id": "0000002f",
        "block": 403201,
        "time": "2023-01-30T10:00:06.000Z",
        "council_member_id": "0000000q",
        "reward_account": "j4KnkPZ5SV7Ewyp3rdgxFKm3bwXCiBFtrTK7VcWNcqpm3cdp",
        "paid": "0",
        "missing": "14400000000000",
    }
    assert payments["0000001y"]["paid"] == "14400000000000"
    assert payments["0000001y"]["missing"] == "0"
    assert [p["id"] for p in payments.values() if p["missing"] != "0"] == ["0000002f"]


def test_councilor_reward_updates(cache: Path) -> None:
    updates = rows(cache, "councilor_reward_updates")
    assert {u["id"]: (u["block"], u["reward_per_block"]) for u in updates.values()} == {
        "0000001n": (1, "1000000000"),
        "0000002o": (561601, "1200000000"),
    }


def test_loaded_amounts_are_joy(cache: Path) -> None:
    loaded = data.load(cache)
    proposals = loaded.proposals.set_index("id")
    assert proposals.loc["0000001v", "funding_amount_joy"] == 155500.25
    assert proposals.loc["00000020", "funding_amount_joy"] == 200000.0
    destinations = loaded.funding_destinations.set_index("id")
    assert destinations.loc["0000001v-1", "amount_joy"] == 35500.25
    # Payments are read without their ids (data.UNREAD_COLUMNS): find the row by its block.
    with sqlite3.connect(cache) as conn:
        ((block, network),) = conn.execute(
            "select block, network from reward_payments where id = '0000002f'"
        ).fetchall()
    payments = loaded.reward_payments
    rows = payments[(payments["block"] == block) & (payments["network"] == network)]
    assert 1440.0 in set(rows["missing_joy"])
    assert not set(data.UNREAD_COLUMNS["reward_payments"]) & set(payments.columns)
    refills = loaded.budget_refills.set_index("id")
    assert refills.loc["0000001u", "balance_joy"] == 312000.0


# --- the fixture itself ----------------------------------------------------------------------


def at_block(block: int) -> str:
    return (GENESIS + timedelta(seconds=6 * block)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_fixture_proposal_records_are_consistent() -> None:
    records = load_records(SMALL_FIXTURE)
    councils = records["electedCouncils"]
    seats = records["councilMembers"]

    def sitting(block: int) -> dict[str, dict[str, Any]]:
        (council,) = [
            c for c in councils if c["electedAtBlock"] <= block < (c["endedAtBlock"] or 10**9)
        ]
        return {
            s["member"]["id"]: s["member"]
            for s in seats
            if s["electedInCouncilId"] == council["id"]
        }

    proposals = {p["id"]: p for p in records["proposals"]}
    for p in proposals.values():
        created = p["createdInEvent"]
        assert p["createdAt"] == created["createdAt"] == at_block(created["inBlock"])
        assert p["statusSetAtTime"] == at_block(p["statusSetAtBlock"])
        assert p["statusSetAtBlock"] >= created["inBlock"]
        assert p["isFinalized"] == (p["status"]["__typename"] != "ProposalStatusDeciding")
    for vote in records["proposalVotedEvents"]:
        proposal = proposals[vote["proposalId"]]
        assert vote["createdAt"] == at_block(vote["inBlock"])
        assert proposal["createdInEvent"]["inBlock"] <= vote["inBlock"]
        assert vote["inBlock"] <= proposal["statusSetAtBlock"] or not proposal["isFinalized"]
        assert sitting(vote["inBlock"])[vote["voter"]["id"]] == vote["voter"]
    seat_ids = {s["id"] for s in seats}
    for name in ("budgetRefillEvents", "rewardPaymentEvents", "councilorRewardUpdatedEvents"):
        for event in records[name]:
            assert event["createdAt"] == at_block(event["inBlock"])
    assert {e["councilMemberId"] for e in records["rewardPaymentEvents"]} <= seat_ids
    every_id = [r["id"] for rows_ in records.values() for r in rows_]
    assert len(every_id) == len(set(every_id))
