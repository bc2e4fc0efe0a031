"""Query node records with one failed election attempt of each kind, for the failure tests.

Built on ``live_stages.stage_records("failed")``: council ``00000018`` (three seats, elected
at block 403201) rules; cycle 3 failed at the end of announcing (block 547201: only leet_joy
and kate_fm stood for three seats; ``notEnoughCandidatesEvents`` ``OLYMPIA-547201-3``; it
began announcing at 475201, so the restart cost 72,000 blocks = 5 days). Here the restart,
cycle 4 (``00000033``), goes on: leet_joy, kate_fm and 0x2bc stand, voting 619201-648001,
revealing 648001-676801; three votes: 100,000 JOY for leet_joy and 60,000 for kate_fm
revealed, 40,000 JOY never revealed; 0x2bc gets no revealed vote. So at block 676801 only two
candidates hold revealed votes for three seats: ``newCouncilNotElectedEvents``
``OLYMPIA-676801-5``; cycle 4 (begun at 547201: 129,600 blocks = 9 days) finishes with the
ruling council as "next", and cycle 5 (``f0000005``) opens under it, announcing from 676801.
"""

from __future__ import annotations

import copy

from live_stages import COUNCIL_3, ROUND_3, block_time, stage_records
from qn_server import QNRecords

ROUND_4, ROUND_5 = "00000033", "f0000005"
VOTING, REVEALING, NOT_ELECTED_AT = 619201, 648001, 676801
HAPI = 10**10
# (vote id, account, JOY, candidate handle or None while unrevealed)
VOTES = [
    ("f0000011", "j4FailVoterA", 100_000, "leet_joy"),
    ("f0000012", "j4FailVoterB", 60_000, "kate_fm"),
    ("f0000013", "j4FailVoterC", 40_000, None),
]


def failure_records() -> QNRecords:
    """The small fixture with cycle 3 failed for too few candidates and cycle 4 for too few
    revealed votes; cycle 5 announcing."""
    records = stage_records("failed")
    members = {
        c["member"]["handle"]: c["member"]
        for c in records["candidates"]
        if c["electionRoundId"] == ROUND_3
    }
    round_4 = next(r for r in records["electionRounds"] if r["id"] == ROUND_4)
    round_4.update(
        isFinished=True,
        nextElectedCouncilId=COUNCIL_3,
        referendumStageVoting={
            "startedAtBlock": str(VOTING),
            "winningTargetCount": "3",
            "endsAt": REVEALING,
        },
        referendumStageRevealing={"startedAtBlock": str(REVEALING), "endsAt": NOT_ELECTED_AT},
    )
    power = {handle: 0 for handle in ("leet_joy", "kate_fm", "0x2bc")}
    for _, _, joy, handle in VOTES:
        if handle:
            power[handle] += joy
    candidate_ids = {}
    for number, handle in enumerate(("leet_joy", "kate_fm", "0x2bc"), start=1):
        candidate_ids[handle] = f"f000000{number}"
        records["candidates"].append(
            {
                "id": candidate_ids[handle],
                "electionRoundId": ROUND_4,
                "member": copy.deepcopy(members[handle]),
                "stake": str(50_000 * HAPI),
                "votePower": str(power[handle] * HAPI),
                "status": "FAILED",
                "stakingAccountId": f"j4FailStake{number}",
                "rewardAccountId": f"j4FailReward{number}",
                "noteMetadata": {"header": None, "bulletPoints": []},
                "createdAt": block_time(550_000 + number),
            }
        )
    for vote_id, account, joy, handle in VOTES:
        records["castVotes"].append(
            {
                "id": vote_id,
                "electionRoundId": ROUND_4,
                "castBy": account,
                "stake": str(joy * HAPI),
                "votePower": str(joy * HAPI) if handle else "0",
                "voteForId": candidate_ids[handle] if handle else None,
                "commitment": f"0x{vote_id}",
                "createdAt": block_time(VOTING + 100),
            }
        )
    records["electionRounds"].append(
        {
            "id": ROUND_5,
            "cycleId": 5,
            "isFinished": False,
            "endedAtBlock": None,
            "endedAtTime": None,
            "endedAtNetwork": None,
            "referendumStageVoting": None,
            "referendumStageRevealing": None,
            "electedCouncilId": COUNCIL_3,
            "nextElectedCouncilId": None,
            "createdAt": block_time(NOT_ELECTED_AT),
        }
    )
    records["newCouncilNotElectedEvents"] = [
        {
            "id": f"OLYMPIA-{NOT_ELECTED_AT}-5",
            "createdAt": block_time(NOT_ELECTED_AT),
            "inBlock": NOT_ELECTED_AT,
            "indexInBlock": 5,
        }
    ]
    for stage, block, extra in (
        ("CouncilStageElection", VOTING, {"candidatesCount": "3"}),
        ("CouncilStageAnnouncing", NOT_ELECTED_AT,
         {"candidatesCount": "0", "endsAt": NOT_ELECTED_AT + 72_000}),
    ):  # fmt: skip
        records["councilStageUpdates"].append(
            {
                "id": f"f00000{len(records['councilStageUpdates']):02d}",
                "createdAt": block_time(block),
                "changedAt": str(block),
                "electedCouncilId": COUNCIL_3,
                "stage": {"__typename": stage, **extra},
            }
        )
    return records
