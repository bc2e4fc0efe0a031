"""Build query-node-shaped working-group records from a story told event by event.

Used by the test query node's working-group data (``tests/wg_records.py``) and by
``council.synthetic``: each method records what happened at a block the way Joystream's query
node mappings record it (``query-node/mappings/src/workingGroups.ts``): a filled lead opening
clears ``isLead`` on the group's earlier leads and is followed by a LeaderSetEvent; a lead's
termination is a TerminatedLeaderEvent and a TerminatedWorkerEvent with one id; an exit or a
termination sets the worker's status, stake and reward per block to 0; a reward paid, a
spending and a budget update move the group's budget. Amounts are HAPI integers; events are
named ``<network>-<block>-<index>``. :meth:`WorkingGroupChain.records` gives the records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

HAPI_PER_JOY = 10**10

# The nine mainnet working groups: query node id -> the name the council uses.
MAINNET_GROUPS: dict[str, str] = {
    "storageWorkingGroup": "Storage",
    "distributionWorkingGroup": "Distribution",
    "contentWorkingGroup": "Content",
    "forumWorkingGroup": "Forum",
    "membershipWorkingGroup": "Membership",
    "appWorkingGroup": "Apps",
    "operationsWorkingGroupAlpha": "Builders",
    "operationsWorkingGroupBeta": "HR",
    "operationsWorkingGroupGamma": "Marketing",
}

EVENT_LISTS = (
    "openingFilledEvents",
    "terminatedWorkerEvents",
    "terminatedLeaderEvents",
    "workerExitedEvents",
    "workerStartedLeavingEvents",
    "leaderSetEvents",
    "leaderUnsetEvents",
    "budgetSetEvents",
    "budgetUpdatedEvents",
    "budgetSpendingEvents",
    "rewardPaidEvents",
    "stakeSlashedEvents",
    "workerRewardAmountUpdatedEvents",
    "newMissedRewardLevelReachedEvents",
)


@dataclass
class _Worker:
    record: dict[str, Any]
    group: str


@dataclass
class WorkingGroupChain:
    """Working groups, workers and their events, as a query node would hold them.

    ``block_time(block)`` gives a block's ISO time; ``network`` prefixes event ids.
    """

    block_time: Callable[[int], str]
    network: str = "OLYMPIA"
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    workers: dict[str, _Worker] = field(default_factory=dict)
    events: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {name: [] for name in EVENT_LISTS}
    )
    _index: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for group_id in MAINNET_GROUPS:
            self.groups[group_id] = {
                "id": group_id,
                "name": group_id,
                "budget": 0,
                "leaderId": None,
                "createdAt": self.block_time(0),
            }

    # --- helpers -----------------------------------------------------------------------------

    def _event(self, list_field: str, block: int, group: str, **fields: Any) -> dict[str, Any]:
        index = self._index.get(block, 0)
        self._index[block] = index + 1
        event = {
            "id": f"{self.network}-{block}-{index}",
            "createdAt": self.block_time(block),
            "inBlock": block,
            "indexInBlock": index,
            "groupId": group,
            **fields,
        }
        self.events[list_field].append(event)
        return event

    def _status(self, worker: str, typename: str, **event: Any) -> None:
        self.workers[worker].record["status"] = {"__typename": typename, **event}

    @staticmethod
    def _ref(event: dict[str, Any]) -> dict[str, Any]:
        return {"inBlock": event["inBlock"], "createdAt": event["createdAt"]}

    # --- the story ---------------------------------------------------------------------------

    def hire(
        self,
        group: str,
        block: int,
        members: list[tuple[str, str]],
        lead: bool = False,
        reward_per_block: int = 0,
        stake: int = 0,
    ) -> list[str]:
        """Fill an opening of ``group`` with ``members`` ((member id, handle) each); returns
        the new worker ids. A lead opening makes the (single) hire the group's lead."""
        filled = self._event("openingFilledEvents", block, group, workersHired=[])
        hired = []
        if lead:
            for other in self.workers.values():
                if other.group == group:
                    other.record["isLead"] = False
        for member_id, handle in members:
            runtime_id = sum(1 for w in self.workers.values() if w.group == group)
            worker_id = f"{group}-{runtime_id}"
            self.workers[worker_id] = _Worker(
                {
                    "id": worker_id,
                    "createdAt": filled["createdAt"],
                    "runtimeId": runtime_id,
                    "groupId": group,
                    "membership": {
                        "id": member_id,
                        "handle": handle,
                        "rootAccount": f"j4root{member_id}",
                    },
                    "isLead": lead,
                    "status": {"__typename": "WorkerStatusActive"},
                    "stake": str(stake),
                    "rewardPerBlock": str(reward_per_block),
                    "missingRewardAmount": None,
                    "entry": self._ref(filled),
                },
                group,
            )
            filled["workersHired"].append({"id": worker_id})
            hired.append(worker_id)
        if lead and hired:
            self._event("leaderSetEvents", block, group, workerId=hired[0])
            self.groups[group]["leaderId"] = hired[0]
        return hired

    def _unset_lead_if(self, worker: str, block: int) -> None:
        group = self.workers[worker].group
        if self.groups[group]["leaderId"] == worker:
            self._event("leaderUnsetEvents", block, group, leaderId=worker)
            self.groups[group]["leaderId"] = None

    def _gone(self, worker: str) -> None:
        record = self.workers[worker].record
        record["stake"] = "0"
        record["rewardPerBlock"] = "0"

    def terminate(self, worker: str, block: int, penalty: int | None = None) -> None:
        """The worker (or lead) is fired; a penalty is also a stake slash."""
        group = self.workers[worker].group
        fields = {"workerId": worker, "penalty": None if penalty is None else str(penalty)}
        fields["rationale"] = "terminated"
        if penalty:
            self.slash(worker, block, penalty)
        if self.groups[group]["leaderId"] == worker:
            event = self._event("terminatedLeaderEvents", block, group, **fields)
            self._index[block] -= 1  # the same substrate event: the same id
            twin = self._event("terminatedWorkerEvents", block, group, **fields)
            assert twin["id"] == event["id"]
        else:
            event = self._event("terminatedWorkerEvents", block, group, **fields)
        self._status(worker, "WorkerStatusTerminated", terminatedWorkerEvent=self._ref(event))
        self._gone(worker)
        self._unset_lead_if(worker, block)

    def start_leaving(self, worker: str, block: int) -> None:
        """The worker asks to leave (in role until :meth:`exit`)."""
        group = self.workers[worker].group
        event = self._event(
            "workerStartedLeavingEvents", block, group, workerId=worker, rationale="moving on"
        )
        self._status(worker, "WorkerStatusLeaving", workerStartedLeavingEvent=self._ref(event))

    def exit(self, worker: str, block: int) -> None:
        """The worker's unstaking period ends: the worker has left."""
        group = self.workers[worker].group
        started = self.workers[worker].record["status"].get("workerStartedLeavingEvent")
        event = self._event("workerExitedEvents", block, group, workerId=worker)
        self._status(
            worker,
            "WorkerStatusLeft",
            workerStartedLeavingEvent=started,
            workerExitedEvent=self._ref(event),
        )
        self._gone(worker)
        self.workers[worker].record["missingRewardAmount"] = None
        self._unset_lead_if(worker, block)

    def set_budget(self, group: str, block: int, amount: int) -> None:
        """The group's budget is set to ``amount``."""
        self._event("budgetSetEvents", block, group, newBudget=str(amount))
        self.groups[group]["budget"] = amount

    def update_budget(self, group: str, block: int, change: int) -> None:
        """The council tops the budget up (or takes ``-change`` back)."""
        self._event("budgetUpdatedEvents", block, group, budgetChangeAmount=str(change))
        self.groups[group]["budget"] += change

    def spend(self, group: str, block: int, amount: int, receiver: str = "j4spend") -> None:
        """The lead pays ``amount`` from the budget to an account."""
        self._event(
            "budgetSpendingEvents",
            block,
            group,
            reciever=receiver,
            amount=str(amount),
            rationale="bounty",
        )
        self.groups[group]["budget"] -= amount

    def pay(self, worker: str, block: int, amount: int, missed: bool = False) -> None:
        """A reward paid from the budget (a missed one caught up when ``missed``)."""
        group = self.workers[worker].group
        self._event(
            "rewardPaidEvents",
            block,
            group,
            workerId=worker,
            rewardAccount=f"j4reward-{worker}",
            amount=str(amount),
            paymentType="MISSED" if missed else "REGULAR",
        )
        self.groups[group]["budget"] -= amount

    def miss(self, worker: str, block: int, level: int) -> None:
        """The worker's unpaid reward reaches ``level`` (0: it was paid)."""
        group = self.workers[worker].group
        self._event(
            "newMissedRewardLevelReachedEvents",
            block,
            group,
            workerId=worker,
            newMissedRewardAmount=str(level),
        )
        self.workers[worker].record["missingRewardAmount"] = str(level) if level else None

    def slash(self, worker: str, block: int, amount: int) -> None:
        """The worker's stake is slashed by ``amount``."""
        group = self.workers[worker].group
        self._event(
            "stakeSlashedEvents",
            block,
            group,
            workerId=worker,
            requestedAmount=str(amount),
            slashedAmount=str(amount),
            rationale="slashed",
        )
        record = self.workers[worker].record
        record["stake"] = str(max(0, int(record["stake"]) - amount))

    def set_reward(self, worker: str, block: int, per_block: int) -> None:
        """The worker's reward per block changes."""
        group = self.workers[worker].group
        self._event(
            "workerRewardAmountUpdatedEvents",
            block,
            group,
            workerId=worker,
            newRewardPerBlock=str(per_block),
        )
        self.workers[worker].record["rewardPerBlock"] = str(per_block)

    def records(self) -> dict[str, list[dict[str, Any]]]:
        """Every list as the query node serves it (budgets as decimal text)."""
        groups = [{**g, "budget": str(g["budget"])} for g in self.groups.values()]
        return {
            "workingGroups": groups,
            "workers": [w.record for w in self.workers.values()],
            **{name: list(rows) for name, rows in self.events.items()},
        }
