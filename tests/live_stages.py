"""Query node records of a council election in each stage, for the live-path tests.

Built from ``tests/fixtures/qn_small.json`` (see ``qn_server.py``): cycles 1 and 2 finished,
council ``00000018`` (three seats, elected at block 403201) in office, and cycle 3
(``0000001c``) run under it. Its stages, from the fixture's council stage updates: idle
403201-475201, announcing 475201-547201, voting 547201-576001, revealing 576001-604801.
:func:`stage_records` rewrites cycle 3 (and what follows it) into one stage:

* ``announcing``: cycle 3 has no referendum stage yet, its four candidacies (leet_joy,
  0x2bc, kate_fm standing, bwhm0 withdrawn) have vote power 0 and nobody has voted; the
  newest stage update is announcing (``0000002x``).
* ``voting``: the fixture as it is: the voting stage, six votes committed, none revealed.
* ``revealing``: the revealing stage (576001-604801) has begun; four of the six votes are
  revealed (:data:`REVEALED`), two are not. Vote power so far: 0x2bc 200,000 JOY, leet_joy
  170,000 (120,000 + 50,000), kate_fm 80,000; the unrevealed 75,000 and 300,000 count for
  nobody yet.
* ``idle``: cycle 3 finished at block 604801 with those votes: 0x2bc, leet_joy and kate_fm
  elected into council ``0000002z`` (three seats ``00000030``-``00000032``); the query node has
  already opened cycle 4 (``00000033``, no candidates, no referendum stage) under it, and the
  newest stage update (``00000034``) is idle until block 676801.
* ``failed``: cycle 3 failed: only leet_joy and kate_fm stood (0x2bc and bwhm0 withdrew) for
  three seats, so at the end of announcing (block 547201) the query node finished the round
  with the ruling council as its "next" council (as Joystream's mappings do on
  ``NotEnoughCandidates``; no end block) and opened cycle 4 (``00000033``) under the same
  council, announcing again from 547201 with no candidates yet (update ``00000034``); the
  node's ``notEnoughCandidatesEvents`` holds that restart (``OLYMPIA-547201-3``).

``referendum_records=False`` drops every round's referendum stage records (no
``winningTargetCount``, so no seats from the node), the shape of a mainnet cache whose seats
must come from the councils.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from qn_server import SMALL_FIXTURE, QNRecords, load_records

STAGES = ("announcing", "voting", "revealing", "idle", "failed")
ROUND_3 = "0000001c"
COUNCIL_3 = "00000018"
GENESIS = datetime(2023, 1, 2, 10, tzinfo=UTC)
REVEALING_START, REVEALING_END = 576001, 604801
# Revealed in the revealing stage: vote id -> candidate id (0000001l and 0000001m stay sealed).
REVEALED = {
    "0000001h": "0000001d",  # 120,000 JOY for leet_joy
    "0000001i": "0000001g",  # 80,000 JOY for kate_fm
    "0000001j": "0000001e",  # 200,000 JOY for 0x2bc
    "0000001k": "0000001d",  # 50,000 JOY for leet_joy
}


def block_time(block: int) -> str:
    """The fixture's time of ``block`` (6-second blocks from 2023-01-02T10:00:00Z)."""
    moment = GENESIS + timedelta(seconds=6 * block)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def stage_records(stage: str, referendum_records: bool = True) -> QNRecords:
    """The small fixture with cycle 3 in ``stage`` (one of :data:`STAGES`)."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; one of {STAGES}")
    records = copy.deepcopy(load_records(SMALL_FIXTURE))
    {
        "announcing": _announcing,
        "voting": lambda r: None,
        "revealing": _revealing,
        "idle": _idle,
        "failed": _failed,
    }[stage](records)
    if not referendum_records:
        for election_round in records["electionRounds"]:
            election_round["referendumStageVoting"] = None
            election_round["referendumStageRevealing"] = None
    return records


def _round_3(records: QNRecords) -> dict:
    return next(r for r in records["electionRounds"] if r["id"] == ROUND_3)


def _without_election_update(records: QNRecords) -> None:
    records["councilStageUpdates"] = [
        u for u in records["councilStageUpdates"] if u["id"] != "0000002y"
    ]


def _announcing(records: QNRecords) -> None:
    _round_3(records)["referendumStageVoting"] = None
    records["castVotes"] = [v for v in records["castVotes"] if v["electionRoundId"] != ROUND_3]
    _without_election_update(records)


def _revealing(records: QNRecords) -> None:
    _round_3(records)["referendumStageRevealing"] = {
        "startedAtBlock": str(REVEALING_START),
        "endsAt": REVEALING_END,
    }
    power: dict[str, int] = {}
    for vote in records["castVotes"]:
        if vote["id"] in REVEALED:
            vote["voteForId"] = REVEALED[vote["id"]]
            vote["votePower"] = vote["stake"]
            power[vote["voteForId"]] = power.get(vote["voteForId"], 0) + int(vote["stake"])
    for candidate in records["candidates"]:
        if candidate["id"] in power:
            candidate["votePower"] = str(power[candidate["id"]])


def _next_round(council: str, block: int) -> dict:
    return {
        "id": "00000033",
        "cycleId": 4,
        "isFinished": False,
        "endedAtBlock": None,
        "endedAtTime": None,
        "endedAtNetwork": None,
        "referendumStageVoting": None,
        "referendumStageRevealing": None,
        "electedCouncilId": council,
        "nextElectedCouncilId": None,
        "createdAt": block_time(block),
    }


def _idle(records: QNRecords) -> None:
    _revealing(records)
    end, new_council = REVEALING_END, "0000002z"
    round_3 = _round_3(records)
    round_3.update(
        isFinished=True,
        endedAtBlock=end,
        endedAtTime=block_time(end),
        endedAtNetwork="OLYMPIA",
        nextElectedCouncilId=new_council,
    )
    elected = [c for c in records["candidates"] if c["id"] in set(REVEALED.values())]
    for candidate in elected:
        candidate["status"] = "ELECTED"
    for council in records["electedCouncils"]:
        if council["id"] == COUNCIL_3:
            council.update(endedAtBlock=end, endedAtTime=block_time(end), isResigned=True)
    records["electedCouncils"].append(
        {
            "id": new_council,
            "electedAtBlock": end,
            "endedAtBlock": None,
            "electedAtTime": block_time(end),
            "endedAtTime": None,
            "electedAtNetwork": "OLYMPIA",
            "isResigned": False,
            "createdAt": block_time(end),
        }
    )
    for number, candidate in zip(("00000030", "00000031", "00000032"), elected, strict=True):
        records["councilMembers"].append(
            {
                "id": number,
                "electedInCouncilId": new_council,
                "member": candidate["member"],
                "stake": candidate["stake"],
                "lastPaymentBlock": str(end),
                "unpaidReward": "0",
                "accumulatedReward": "0",
                "createdAt": block_time(end),
            }
        )
    records["electionRounds"].append(_next_round(new_council, end))
    records["councilStageUpdates"].append(
        {
            "id": "00000034",
            "createdAt": block_time(end),
            "changedAt": str(end),
            "electedCouncilId": new_council,
            "stage": {"__typename": "CouncilStageIdle", "endsAt": end + 72_000},
        }
    )


def _failed(records: QNRecords) -> None:
    _announcing(records)
    restart = 547201
    round_3 = _round_3(records)
    round_3.update(isFinished=True, nextElectedCouncilId=COUNCIL_3)
    for candidate in records["candidates"]:
        if candidate["member"]["handle"] == "0x2bc" and candidate["electionRoundId"] == ROUND_3:
            candidate["status"] = "WITHDRAWN"
    records["electionRounds"].append(_next_round(COUNCIL_3, restart))
    records["notEnoughCandidatesEvents"] = [
        {
            "id": f"OLYMPIA-{restart}-3",
            "createdAt": block_time(restart),
            "inBlock": restart,
            "indexInBlock": 3,
        }
    ]
    records["councilStageUpdates"].append(
        {
            "id": "00000034",
            "createdAt": block_time(restart),
            "changedAt": str(restart),
            "electedCouncilId": COUNCIL_3,
            "stage": {
                "__typename": "CouncilStageAnnouncing",
                "candidatesCount": "0",
                "endsAt": restart + 72_000,
            },
        }
    )
