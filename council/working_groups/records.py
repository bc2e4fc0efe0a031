"""Working-group query node records -> cache rows. Pure: validates and reshapes, no I/O.

Three tables (docs/schema.md): ``working_groups`` (one row per group), ``workers`` (one row per
worker, leads too) and ``working_group_events`` (every working-group event, one ``kind`` per
query node event list). A row's ``id`` in the events table is ``<kind>:<query node id>``
(``<kind>:<id>:<worker>`` for a filled opening, one row per hired worker): the query node
records a lead's termination as a TerminatedLeaderEvent and a TerminatedWorkerEvent with the
same id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from council.transform import MalformedRecord, _bigint, _int, _required

QNRecord = Mapping[str, Any]
Row = dict[str, Any]

# Query node event list -> ``kind`` in working_group_events, and the field holding its amount.
WG_EVENT_LISTS: dict[str, str] = {
    "openingFilledEvents": "opening_filled",
    "terminatedWorkerEvents": "terminated_worker",
    "terminatedLeaderEvents": "terminated_leader",
    "workerExitedEvents": "worker_exited",
    "workerStartedLeavingEvents": "worker_started_leaving",
    "leaderSetEvents": "leader_set",
    "leaderUnsetEvents": "leader_unset",
    "budgetSetEvents": "budget_set",
    "budgetUpdatedEvents": "budget_updated",
    "budgetSpendingEvents": "budget_spending",
    "rewardPaidEvents": "reward_paid",
    "stakeSlashedEvents": "stake_slashed",
    "workerRewardAmountUpdatedEvents": "worker_reward_updated",
    "newMissedRewardLevelReachedEvents": "missed_reward_level",
}
_AMOUNT_FIELD = {
    "terminatedWorkerEvents": "penalty",
    "terminatedLeaderEvents": "penalty",
    "budgetSetEvents": "newBudget",
    "budgetUpdatedEvents": "budgetChangeAmount",
    "budgetSpendingEvents": "amount",
    "rewardPaidEvents": "amount",
    "stakeSlashedEvents": "slashedAmount",
    "workerRewardAmountUpdatedEvents": "newRewardPerBlock",
    "newMissedRewardLevelReachedEvents": "newMissedRewardAmount",
}
# The worker field of each event list (None: the event names no worker).
_WORKER_FIELD = {"leaderUnsetEvents": "leaderId", "budgetSetEvents": None}
_WORKER_FIELD |= {"budgetUpdatedEvents": None, "budgetSpendingEvents": None}

STATUS_NAMES = {
    "WorkerStatusActive": "active",
    "WorkerStatusLeaving": "leaving",
    "WorkerStatusLeft": "left",
    "WorkerStatusTerminated": "terminated",
}
# The event that ended (or, for leaving, began ending) a worker's role, per status.
_STATUS_EVENT = {
    "WorkerStatusLeaving": "workerStartedLeavingEvent",
    "WorkerStatusLeft": "workerExitedEvent",
    "WorkerStatusTerminated": "terminatedWorkerEvent",
}


def _group(record: QNRecord, network: str) -> Row:
    return {
        "network": network,
        "id": record["id"],
        "name": _required(record, "name", "workingGroup"),
        "budget": _bigint(record, "budget", "workingGroup"),
        "leader_worker_id": record.get("leaderId"),
    }


def _worker(record: QNRecord, network: str, member: Any) -> Row:
    status = _required(record, "status", "worker") or {}
    typename = status.get("__typename")
    if typename not in STATUS_NAMES:
        raise MalformedRecord(f"worker {record.get('id', '?')}: unknown status {typename!r}")
    ended = status.get(_STATUS_EVENT.get(typename, ""), None) or {}
    entry = _required(record, "entry", "worker") or {}
    leaving = typename == "WorkerStatusLeaving"
    return {
        "network": network,
        "id": record["id"],
        "group_id": _required(record, "groupId", "worker"),
        "runtime_id": _int(record, "runtimeId", "worker"),
        "member_id": member(record, "membership", "worker"),
        "is_lead": int(bool(record.get("isLead"))),
        "status": STATUS_NAMES[typename],
        "stake": _bigint(record, "stake", "worker"),
        "reward_per_block": _bigint(record, "rewardPerBlock", "worker"),
        "missing_reward": _bigint(record, "missingRewardAmount", "worker"),
        "hired_at_block": _int(entry, "inBlock", "worker entry"),
        "hired_at_time": entry.get("createdAt"),
        "leaving_at_block": _int(ended, "inBlock", typename) if leaving else None,
        "ended_at_block": None if leaving else _int(ended, "inBlock", str(typename)),
        "ended_at_time": None if leaving else ended.get("createdAt"),
    }


def _events(
    list_field: str, record: QNRecord, network: str, members: Mapping[str, str]
) -> list[Row]:
    kind = WG_EVENT_LISTS[list_field]
    entity = list_field.removesuffix("s")
    amount_field = _AMOUNT_FIELD.get(list_field)
    base = {
        "network": network,
        "kind": kind,
        "event_id": record["id"],
        "group_id": _required(record, "groupId", entity),
        "amount": _bigint(record, amount_field, entity) if amount_field else None,
        "payment_type": record.get("paymentType"),
        "account": record.get("rewardAccount") or record.get("reciever"),
        "rationale": record.get("rationale"),
        "block": _int(record, "inBlock", entity),
        "time": record.get("createdAt"),
    }
    if list_field == "openingFilledEvents":
        hired = _required(record, "workersHired", entity) or []
        return [
            {
                **base,
                "id": f"{kind}:{record['id']}:{worker['id']}",
                "worker_id": worker["id"],
                "member_id": members.get(worker["id"]),
            }
            for worker in hired
        ]
    worker_field = _WORKER_FIELD.get(list_field, "workerId")
    worker_id = _required(record, worker_field, entity) if worker_field else None
    return [
        {
            **base,
            "id": f"{kind}:{record['id']}",
            "worker_id": worker_id,
            "member_id": members.get(worker_id) if worker_id else None,
        }
    ]


def working_group_rows(
    records: Mapping[str, list[QNRecord]],
    network: str,
    member: Any,
    known_members: Mapping[str, str] | None = None,
) -> dict[str, list[Row]]:
    """The working-group cache rows of ``records`` (lists absent from them give no rows).

    ``member(record, key, entity)`` records a nested membership and returns its id (the
    converter context's ``member``); ``known_members`` maps worker ids already in the cache to
    member ids, for events of workers not in ``records``. Raises MalformedRecord on bad data.
    """
    workers = [_worker(w, network, member) for w in records.get("workers", [])]
    members = {**(known_members or {}), **{w["id"]: w["member_id"] for w in workers}}
    events = [
        row
        for list_field in WG_EVENT_LISTS
        for record in records.get(list_field, [])
        for row in _events(list_field, record, network, members)
    ]
    return {
        "working_groups": [_group(g, network) for g in records.get("workingGroups", [])],
        "workers": workers,
        "working_group_events": events,
    }
