"""Query node records for the meeting desk: proposals in every awaiting stage, with votes.

Built on ``live_stages.stage_records("voting")``: council ``00000018`` (l1dev 515, jen4ph
1812, tomato 3253; elected at block 403201, term 2) in office, cycle 3 voting until block
576001. The newest block with a time is 561601 (a reward payment and a reward update), so at
:data:`NOW` (that block's time) the current block is :data:`CURRENT_BLOCK`. Added proposals
(ids ``000000a1``-``000000a6``, votes ``000000b1``-``000000bf``; the fixture's own deciding
funding request ``0000002l``, 80,000 JOY created at 532801 with tomato's approval, stays):

==========  ==========================  ========  ==============  ==========================
id          type                        stage     entered stage   votes (round: who)
==========  ==========================  ========  ==============  ==========================
000000a1    Signal                      deciding  520001          1: l1dev approve, jen4ph
                                                                  reject
000000a2    SetMembershipPrice          deciding  500001          none
000000a3    FundingRequest 25,000 JOY   gracing   561001          1: all three approve
000000a4    RuntimeUpgrade              dormant   483001          1: all three approve
000000a5    DecreaseCouncilBudget       deciding  550001          1: l1dev approve
000000a6    SetCouncilorReward          deciding  403201 (round   1: l1dev, leet_joy approve
                                                  2)              (term 1); 2: jen4ph approve
==========  ==========================  ========  ==============  ==========================
"""

from __future__ import annotations

from datetime import UTC, datetime

from live_stages import block_time, stage_records
from qn_server import QNRecords

CURRENT_BLOCK = 561601
NOW = datetime(2023, 2, 10, 10, 0, 6, tzinfo=UTC)  # the time of block 561601
MEMBERS = {
    "515": "l1dev",
    "1812": "jen4ph",
    "3253": "tomato",
    "1048": "leet_joy",
    "2096": "0x2bc",
}
HAPI_PER_JOY = 10**10


def _proposal(
    pid: str,
    title: str,
    kind: str,
    status: str,
    creator: str,
    created: int,
    status_set: int,
    approvals: int,
    amount_joy: int | None = None,
) -> dict:
    details: dict = {"__typename": f"{kind}ProposalDetails"}
    if amount_joy is not None:
        details["destinationsList"] = {
            "destinations": [{"amount": str(amount_joy * HAPI_PER_JOY), "account": f"j4desk{pid}"}]
        }
    return {
        "id": pid,
        "title": title,
        "creatorId": creator,
        "councilApprovals": approvals,
        "isFinalized": False,
        "statusSetAtBlock": status_set,
        "statusSetAtTime": block_time(status_set),
        "createdInEvent": {"inBlock": created, "createdAt": block_time(created)},
        "status": {"__typename": f"ProposalStatus{status}"},
        "details": details,
        "createdAt": block_time(created),
    }


# (vote id, proposal, voter, kind, round, block)
VOTES = [
    ("000000b1", "000000a1", "515", "APPROVE", 1, 521001),
    ("000000b2", "000000a1", "1812", "REJECT", 1, 522001),
    ("000000b3", "000000a3", "1812", "APPROVE", 1, 559001),
    ("000000b4", "000000a3", "3253", "APPROVE", 1, 560001),
    ("000000b5", "000000a3", "515", "APPROVE", 1, 561001),
    ("000000b6", "000000a4", "1812", "APPROVE", 1, 481001),
    ("000000b7", "000000a4", "3253", "APPROVE", 1, 482001),
    ("000000b8", "000000a4", "515", "APPROVE", 1, 483001),
    ("000000b9", "000000a5", "515", "APPROVE", 1, 551001),
    ("000000ba", "000000a6", "515", "APPROVE", 1, 380001),
    ("000000bb", "000000a6", "1048", "APPROVE", 1, 381001),
    ("000000bc", "000000a6", "1812", "APPROVE", 2, 404001),
]


def _vote(vid: str, proposal: str, voter: str, kind: str, voting_round: int, block: int) -> dict:
    return {
        "id": vid,
        "createdAt": block_time(block),
        "inBlock": block,
        "proposalId": proposal,
        "voter": {"id": voter, "handle": MEMBERS[voter], "rootAccount": f"j4desk{voter}"},
        "voteKind": kind,
        "rationale": "",
        "votingRound": voting_round,
    }


def desk_records() -> QNRecords:
    """The voting-stage fixture plus the proposals and votes of the table above."""
    records = stage_records("voting")
    records["proposals"] += [
        _proposal("000000a1", "Signal: weekly council office hours", "Signal", "Deciding",
                  "2096", 520001, 520001, 0),
        _proposal("000000a2", "Set membership price to 5 JOY", "SetMembershipPrice",
                  "Deciding", "9999", 500001, 500001, 0),
        _proposal("000000a3", "Funding request: translations", "FundingRequest", "Gracing",
                  "1048", 540001, 561001, 1, amount_joy=25_000),
        _proposal("000000a4", "Runtime upgrade to 2004", "RuntimeUpgrade", "Dormant", "515",
                  480001, 483001, 1),
        _proposal("000000a5", "Decrease the council budget", "DecreaseCouncilBudget",
                  "Deciding", "3253", 550001, 550001, 0),
        _proposal("000000a6", "Set councillor reward to 0.15 JOY a block", "SetCouncilorReward",
                  "Deciding", "1812", 379201, 403201, 1),
    ]  # fmt: skip
    records["proposalVotedEvents"] += [_vote(*vote) for vote in VOTES]
    return records
