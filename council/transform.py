"""Query node records -> cache rows. Pure: validates and reshapes, no I/O.

A "record" is one object exactly as the query node returns it for our queries; records are
grouped by the GraphQL list field they came from (``electionRounds``, ``candidates``, ...).
Every converter checks what it relies on: a missing field or a BigInt that is not a number
raises :class:`MalformedRecord`, naming the entity, its id and the field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

QNRecord = Mapping[str, Any]
QNRecords = Mapping[str, list[QNRecord]]
Row = dict[str, Any]


class MalformedRecord(ValueError):
    """A record lacks a field we rely on, or a field has the wrong kind of value."""


def _required(record: QNRecord, key: str, entity: str) -> Any:
    if key not in record:
        raise MalformedRecord(f"{entity} {record.get('id', '?')}: field '{key}' is missing")
    return record[key]


def _bigint(record: QNRecord, key: str, entity: str) -> str | None:
    """A BigInt field as exact decimal text; None stays None; anything else is an error."""
    value = _required(record, key, entity)
    if value is None:
        return None
    text = str(value)
    if not text.lstrip("-").isdigit():
        raise MalformedRecord(f"{entity} {record.get('id', '?')}: {key} is not a number: {text!r}")
    return str(int(text))


def _int(record: QNRecord, key: str, entity: str) -> int | None:
    value = record.get(key)
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise MalformedRecord(
            f"{entity} {record.get('id', '?')}: {key} is not a whole number: {value!r}"
        ) from error


def _typename(value: Any, prefix: str = "", suffix: str = "") -> str | None:
    name = (value or {}).get("__typename")
    if not name:
        return None
    return name.removeprefix(prefix).removesuffix(suffix)


@dataclass(frozen=True)
class Known:
    """Lookups from rows already in the cache, for converting a partial (incremental) fetch:
    election round id -> cycle, council id -> election block, council id -> electing cycle."""

    cycle_of_round: Mapping[str, int] = field(default_factory=dict)
    council_block: Mapping[str, int | None] = field(default_factory=dict)
    elected_in: Mapping[str, int] = field(default_factory=dict)


class _Context:
    """Lookups shared by the converters: rounds by id, council election blocks, members."""

    def __init__(self, records: QNRecords, network: str, known: Known) -> None:
        self.network = network
        self.cycle_of_round = {
            **known.cycle_of_round,
            **{
                r["id"]: int(_required(r, "cycleId", "electionRound"))
                for r in records.get("electionRounds", [])
            },
        }
        self.council_block = {
            **known.council_block,
            **{
                c["id"]: _int(c, "electedAtBlock", "electedCouncil")
                for c in records.get("electedCouncils", [])
            },
        }
        # A failed round (not enough candidates, or too few got votes) is finished with the
        # ruling council as its "next" one: it elected nobody, so it is skipped here.
        self.elected_in = {
            **known.elected_in,
            **{
                r["nextElectedCouncilId"]: self.cycle_of_round[r["id"]]
                for r in records.get("electionRounds", [])
                if r.get("nextElectedCouncilId")
                and r.get("nextElectedCouncilId") != r.get("electedCouncilId")
            },
        }
        self.members: dict[str, Row] = {}

    def cycle(self, record: QNRecord, entity: str) -> int:
        round_id = _required(record, "electionRoundId", entity)
        if round_id not in self.cycle_of_round:
            raise MalformedRecord(f"{entity} {record['id']}: unknown election round {round_id}")
        return self.cycle_of_round[round_id]

    def member(self, record: QNRecord, key: str, entity: str) -> str:
        member = _required(record, key, entity)
        if not isinstance(member, Mapping) or "id" not in member:
            raise MalformedRecord(f"{entity} {record.get('id', '?')}: {key} has no id")
        member_id = str(member["id"])
        self.members[member_id] = {
            "network": self.network,
            "id": member_id,
            "handle": member.get("handle"),
            "root_account": member.get("rootAccount"),
        }
        return member_id


def _round(r: QNRecord, ctx: _Context) -> Row:
    voting = r.get("referendumStageVoting") or {}
    revealing = r.get("referendumStageRevealing") or {}
    return {
        "network": ctx.network,
        "cycle_id": ctx.cycle_of_round[r["id"]],
        "round_id": r["id"],
        "is_finished": int(bool(_required(r, "isFinished", "electionRound"))),
        "started_at_block": ctx.council_block.get(r.get("electedCouncilId")),
        "ended_at_block": _int(r, "endedAtBlock", "electionRound"),
        "ended_at_time": r.get("endedAtTime"),
        "ended_at_time_estimated": 0,
        "seats": _int(voting, "winningTargetCount", "referendumStageVoting"),
        "voting_started_at_block": _int(voting, "startedAtBlock", "referendumStageVoting"),
        "voting_ends_at_block": _int(voting, "endsAt", "referendumStageVoting"),
        "revealing_started_at_block": _int(revealing, "startedAtBlock", "referendumStageRevealing"),
        "revealing_ends_at_block": _int(revealing, "endsAt", "referendumStageRevealing"),
        "council_id": r.get("electedCouncilId"),
        "next_council_id": r.get("nextElectedCouncilId"),
        "losers_recorded": 1,
        "source": "query node",
    }


def _candidate(c: QNRecord, ctx: _Context) -> Row:
    note = c.get("noteMetadata") or {}
    return {
        "network": ctx.network,
        "id": c["id"],
        "cycle_id": ctx.cycle(c, "candidate"),
        "member_id": ctx.member(c, "member", "candidate"),
        "stake": _bigint(c, "stake", "candidate"),
        "vote_power": _bigint(c, "votePower", "candidate"),
        "status": str(_required(c, "status", "candidate")).lower(),
        "staking_account": c.get("stakingAccountId"),
        "reward_account": c.get("rewardAccountId"),
        "note_header": note.get("header"),
        "note_bullet_points": json.dumps(note.get("bulletPoints") or []),
    }


def _vote(v: QNRecord, ctx: _Context) -> Row:
    return {
        "network": ctx.network,
        "id": v["id"],
        "cycle_id": ctx.cycle(v, "castVote"),
        "cast_by": _required(v, "castBy", "castVote"),
        "voter_member_id": None,
        "stake": _bigint(v, "stake", "castVote"),
        "vote_power": _bigint(v, "votePower", "castVote"),
        "vote_for_candidate_id": _required(v, "voteForId", "castVote"),
        "commitment": v.get("commitment"),
    }


def _council(c: QNRecord, ctx: _Context) -> Row:
    return {
        "network": ctx.network,
        "id": c["id"],
        "elected_in_cycle_id": ctx.elected_in.get(c["id"]),
        "elected_at_block": ctx.council_block[c["id"]],
        "elected_at_time": _required(c, "electedAtTime", "electedCouncil"),
        "ended_at_block": _int(c, "endedAtBlock", "electedCouncil"),
        "ended_at_time": c.get("endedAtTime"),
        "is_resigned": int(bool(c.get("isResigned"))),
    }


def _council_member(m: QNRecord, ctx: _Context) -> Row:
    return {
        "network": ctx.network,
        "id": m["id"],
        "council_id": _required(m, "electedInCouncilId", "councilMember"),
        "member_id": ctx.member(m, "member", "councilMember"),
        "stake": _bigint(m, "stake", "councilMember"),
        "accumulated_reward": _bigint(m, "accumulatedReward", "councilMember"),
        "unpaid_reward": _bigint(m, "unpaidReward", "councilMember"),
        "last_payment_block": _int(m, "lastPaymentBlock", "councilMember"),
    }


def _destinations(p: QNRecord) -> list[QNRecord]:
    details = p.get("details") or {}
    return ((details.get("destinationsList") or {}).get("destinations")) or []


def _proposal(p: QNRecord, ctx: _Context) -> Row:
    created = _required(p, "createdInEvent", "proposal") or {}
    amounts = [int(_bigint(d, "amount", "fundingDestination") or 0) for d in _destinations(p)]
    return {
        "network": ctx.network,
        "id": p["id"],
        "title": _required(p, "title", "proposal"),
        "type": _typename(_required(p, "details", "proposal"), suffix="ProposalDetails"),
        "status": (_typename(_required(p, "status", "proposal"), prefix="ProposalStatus") or "")
        .lower()
        .replace("canceledbyruntime", "canceled by runtime")
        .replace("executionfailed", "execution failed"),
        "creator_id": p.get("creatorId"),
        "council_approvals": _int(p, "councilApprovals", "proposal"),
        "is_finalized": int(bool(p.get("isFinalized"))),
        "created_at_block": _int(created, "inBlock", "proposal"),
        "created_at_time": created.get("createdAt"),
        "status_set_at_block": _int(p, "statusSetAtBlock", "proposal"),
        "status_set_at_time": p.get("statusSetAtTime"),
        "funding_amount": str(sum(amounts)) if amounts else None,
    }


def _funding_destinations(p: QNRecord, ctx: _Context) -> list[Row]:
    return [
        {
            "network": ctx.network,
            "id": f"{p['id']}-{index}",
            "proposal_id": p["id"],
            "account": _required(d, "account", "fundingDestination"),
            "amount": _bigint(d, "amount", "fundingDestination"),
        }
        for index, d in enumerate(_destinations(p))
    ]


def _proposal_vote(v: QNRecord, ctx: _Context) -> Row:
    return {
        "network": ctx.network,
        "id": v["id"],
        "proposal_id": _required(v, "proposalId", "proposalVotedEvent"),
        "voter_member_id": ctx.member(v, "voter", "proposalVotedEvent"),
        "vote_kind": str(_required(v, "voteKind", "proposalVotedEvent")).lower(),
        "rationale": v.get("rationale") or "",
        "voting_round": _int(v, "votingRound", "proposalVotedEvent"),
        "voted_at_block": _int(v, "inBlock", "proposalVotedEvent"),
        "voted_at_time": v.get("createdAt"),
    }


def _event_base(e: QNRecord, ctx: _Context, entity: str) -> Row:
    return {
        "network": ctx.network,
        "id": e["id"],
        "block": _int(e, "inBlock", entity),
        "time": e.get("createdAt"),
    }


def _budget_refill(e: QNRecord, ctx: _Context) -> Row:
    return {**_event_base(e, ctx, "budgetRefill"), "balance": _bigint(e, "balance", "budgetRefill")}


def _reward_payment(e: QNRecord, ctx: _Context) -> Row:
    return {
        **_event_base(e, ctx, "rewardPayment"),
        "council_member_id": _required(e, "councilMemberId", "rewardPayment"),
        "reward_account": e.get("rewardAccount"),
        "paid": _bigint(e, "paidBalance", "rewardPayment"),
        "missing": _bigint(e, "missingBalance", "rewardPayment"),
    }


def _reward_update(e: QNRecord, ctx: _Context) -> Row:
    return {
        **_event_base(e, ctx, "councilorRewardUpdate"),
        "reward_per_block": _bigint(e, "rewardAmount", "councilorRewardUpdate"),
    }


STAGE_NAMES = {
    "CouncilStageAnnouncing": "announcing",
    "CouncilStageElection": "election",
    "CouncilStageIdle": "idle",
    "VariantNone": None,
}


def _stage_update(u: QNRecord, ctx: _Context) -> Row:
    """A council stage update: the stage by its union member (``VariantNone``: null), the
    block it changed at, the block it ends at (announcing, idle) and the candidates count
    (announcing, election)."""
    stage = _required(u, "stage", "councilStageUpdate")
    typename = (stage or {}).get("__typename")
    if typename not in STAGE_NAMES:
        raise MalformedRecord(f"councilStageUpdate {u.get('id', '?')}: unknown stage {typename!r}")
    changed = _bigint(u, "changedAt", "councilStageUpdate")
    count = _bigint(stage, "candidatesCount", typename) if "candidatesCount" in stage else None
    return {
        "network": ctx.network,
        "id": u["id"],
        "changed_at_block": None if changed is None else int(changed),
        "changed_at_time": u.get("createdAt"),
        "stage": STAGE_NAMES[typename],
        "ends_at_block": _int(stage, "endsAt", typename),
        "candidates_count": None if count is None else int(count),
        "council_id": u.get("electedCouncilId"),
    }


# (GraphQL list field, cache table, converter) in conversion order.
CONVERTERS: tuple[tuple[str, str, Callable[[QNRecord, _Context], Row]], ...] = (
    ("electionRounds", "election_rounds", _round),
    ("candidates", "candidates", _candidate),
    ("castVotes", "votes", _vote),
    ("electedCouncils", "councils", _council),
    ("councilMembers", "council_members", _council_member),
    ("proposals", "proposals", _proposal),
    ("proposalVotedEvents", "proposal_votes", _proposal_vote),
    ("budgetRefillEvents", "budget_refills", _budget_refill),
    ("rewardPaymentEvents", "reward_payments", _reward_payment),
    ("councilorRewardUpdatedEvents", "councilor_reward_updates", _reward_update),
    ("councilStageUpdates", "council_stage_updates", _stage_update),
)


# --- Failed election attempts -----------------------------------------------------------------

# GraphQL list field -> the ``kind`` of its rows in ``election_failures``.
FAILURE_KINDS = {
    "notEnoughCandidatesEvents": "not enough candidates",
    "newCouncilNotElectedEvents": "new council not elected",
}


def _failures(records: QNRecords, ctx: _Context) -> list[Row]:
    """Both failure event lists as ``election_failures`` rows (kind, block, time)."""
    return [
        {**_event_base(e, ctx, list_field.removesuffix("s")), "kind": kind}
        for list_field, kind in FAILURE_KINDS.items()
        for e in records.get(list_field, [])
    ]


def records_to_rows(
    records: QNRecords, network: str, known: Known | None = None
) -> dict[str, list[Row]]:
    """Turn query node records into cache rows, one list per cache table.

    Lists absent from ``records`` give empty tables. ``known`` supplies lookups from the cache
    when ``records`` are only the part that changed. Raises MalformedRecord on bad data.
    """
    ctx = _Context(records, network, known or Known())
    rows: dict[str, list[Row]] = {}
    for list_field, table, convert in CONVERTERS:
        rows[table] = [convert(record, ctx) for record in records.get(list_field, [])]
    rows["funding_destinations"] = [
        row for p in records.get("proposals", []) for row in _funding_destinations(p, ctx)
    ]
    rows.update(_working_group_rows(records, ctx))
    rows["election_failures"] = _failures(records, ctx)
    rows["members"] = list(ctx.members.values())
    rows.update(council_budget_rows(records, ctx))
    return rows


# --- The council's budget: member funding, decreases, increments, WG budget proposals --------


def _budget_funded(e: QNRecord, ctx: _Context) -> Row:
    return {
        **_event_base(e, ctx, "councilBudgetFunded"),
        "member_id": None if e.get("memberId") is None else str(e["memberId"]),
        "amount": _bigint(e, "amount", "councilBudgetFunded"),
        "rationale": e.get("rationale"),
    }


def _budget_decreased(e: QNRecord, ctx: _Context) -> Row:
    return {
        **_event_base(e, ctx, "councilBudgetDecreased"),
        "amount": _bigint(e, "amount", "councilBudgetDecreased"),
    }


def _budget_increment(e: QNRecord, ctx: _Context) -> Row:
    return {
        **_event_base(e, ctx, "budgetIncrementUpdated"),
        "amount": _bigint(e, "amount", "budgetIncrementUpdated"),
    }


def _wg_budget_proposal(p: QNRecord, ctx: _Context) -> Row:
    details = p.get("details") or {}
    group = details.get("group") or {}
    return {
        "network": ctx.network,
        "id": p["id"],
        "group_id": group.get("id"),
        "group_name": group.get("name"),
        "amount": _bigint({**details, "id": p["id"]}, "amount", "UpdateWorkingGroupBudget"),
    }


BUDGET_CONVERTERS: tuple[tuple[str, str, Callable[[QNRecord, _Context], Row]], ...] = (
    ("councilBudgetFundedEvents", "council_budget_funded", _budget_funded),
    ("councilBudgetDecreasedEvents", "council_budget_decreased", _budget_decreased),
    ("budgetIncrementUpdatedEvents", "budget_increment_updates", _budget_increment),
)


def council_budget_rows(records: QNRecords, ctx: _Context) -> dict[str, list[Row]]:
    """The council budget tables: member funding, decreases and increment updates, and the
    signed amount of every UpdateWorkingGroupBudget proposal (positive: council budget to
    the group; negative: back to the council)."""
    rows = {
        table: [convert(record, ctx) for record in records.get(list_field, [])]
        for list_field, table, convert in BUDGET_CONVERTERS
    }
    rows["wg_budget_proposals"] = [
        _wg_budget_proposal(p, ctx)
        for p in records.get("proposals", [])
        if _typename(p.get("details")) == "UpdateWorkingGroupBudgetProposalDetails"
    ]
    return rows


# --- Working groups ---------------------------------------------------------------------------


def _working_group_rows(records: QNRecords, ctx: _Context) -> dict[str, list[Row]]:
    """The working-group tables (``council.working_groups.records``; imported here, as it
    imports this module's helpers)."""
    from council.working_groups.records import working_group_rows

    return working_group_rows(records, ctx.network, ctx.member)
