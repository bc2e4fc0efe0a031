"""Seeded working-group data of any size, query-node-shaped (``council.synthetic`` calls it).

The nine mainnet groups over blocks ``1..last_block``: each starts with a lead; leads are
replaced now and then (they leave, or the council fires them); workers are hired throughout,
stay a while (exponentially spread) and then leave (asking first, exiting a week later) or are
fired (some with a slashed penalty); some are still asking to leave at the end. Everyone is
paid every ``period`` blocks, chosen so that the rewards add up to about ``rewards`` events.
The council tops each budget up at every term's start, by about what the group will pay
during the term (sometimes too little: then rewards are missed, the worker's missed-reward
level rises, and the debt is paid as MISSED rewards at the next top-up); leads spend from the
budget now and then, and rewards per block are changed now and then. Mainnet size is about
20 workers and 2,000 rewards; 100x is 2,000 workers and 200,000 rewards.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

from council.working_groups.qn_builder import HAPI_PER_JOY, MAINNET_GROUPS, WorkingGroupChain

DAY = 14_400
UNSTAKING = 7 * DAY
MEMBER_ID_BASE = 100_000


def _joy(rng: random.Random, median: float, spread: float = 0.5) -> int:
    return int(rng.lognormvariate(math.log(median), spread) * HAPI_PER_JOY)


def generate(
    last_block: int,
    term_blocks: int,
    workers: int = 20,
    rewards: int = 2_000,
    seed: int = 0,
    block_time: Callable[[int], str] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Working-group QN records (``workingGroups``, ``workers`` and the event lists) for
    blocks ``1..last_block`` with terms of ``term_blocks`` blocks: about ``workers`` workers
    (leads included) and ``rewards`` reward payments. Deterministic for a seed."""
    rng = random.Random(f"wg-{seed}")
    chain = WorkingGroupChain(block_time or (lambda b: f"{b}"))
    groups = list(MAINNET_GROUPS)
    last_block = max(last_block, 10 * DAY)
    actions: list[tuple[int, int, Callable[[], None]]] = []
    seq = iter(range(10**9))
    member = iter(range(MEMBER_ID_BASE, MEMBER_ID_BASE + 10**7))

    def at(block: int, action: Callable[[], None]) -> None:
        if 0 < block <= last_block:
            actions.append((block, next(seq), action))

    # Who works when: leads first, then workers, as (group, start, end, how, lead, rate).
    tenures: list[tuple[str, int, int, str, bool, int]] = []
    for i, group in enumerate(groups):
        start = 100 + i
        while start < last_block:  # a lead serves about a third of the time, then the next
            length = int(rng.expovariate(3 / last_block)) + DAY
            how = "terminated" if rng.random() < 0.3 else "left"
            tenures.append((group, start, start + length, how, True, _joy(rng, 4.0)))
            start = start + length + UNSTAKING + rng.randrange(3 * DAY)
    for _ in range(max(0, workers - len(tenures))):
        group = rng.choice(groups)
        start = rng.randrange(DAY, last_block)
        length = int(rng.expovariate(3 / last_block)) + DAY
        how = "terminated" if rng.random() < 0.3 else "left"
        tenures.append((group, start, start + length, how, False, _joy(rng, 1.5)))
    active_blocks = sum(max(0, min(end, last_block) - start) for _, start, end, *_ in tenures)
    period = max(1, active_blocks // max(1, rewards))

    owed: dict[str, int] = {}
    planned: dict[str, int] = dict.fromkeys(groups, 0)

    def tenure(group: str, start: int, end: int, how: str, lead: bool, rate: int) -> None:
        handle = f"{MAINNET_GROUPS[group].lower()}_{'lead' if lead else 'worker'}"
        member_id = str(next(member))
        ids: list[str] = []

        def hire() -> None:
            ids.extend(
                chain.hire(
                    group,
                    start,
                    [(member_id, f"{handle}{member_id}")],
                    lead=lead,
                    reward_per_block=rate,
                    stake=rate * 2_000,
                )
            )

        def pay(block: int, amount: int) -> None:
            worker = ids[0]
            if chain.groups[group]["budget"] >= amount:
                chain.pay(worker, block, amount)
            else:
                owed[worker] = owed.get(worker, 0) + amount
                chain.miss(worker, block, owed[worker])

        at(start, hire)
        for block in range(start + period, min(end, last_block), period):
            at(block, lambda b=block: pay(b, rate * period))
            planned[group] += rate * period
        if rng.random() < 0.2:
            at(
                start + (end - start) // 2,
                lambda: chain.set_reward(ids[0], start + (end - start) // 2, rate * 6 // 5),
            )
        if how == "terminated":
            penalty = rate * DAY if rng.random() < 0.3 else None
            at(end, lambda: chain.terminate(ids[0], end, penalty))
        else:
            at(end, lambda: chain.start_leaving(ids[0], end))
            at(end + UNSTAKING, lambda: chain.exit(ids[0], end + UNSTAKING))

    for t in tenures:
        tenure(*t)

    # The budgets start from a set balance (as a runtime migration sets them).
    for group in groups:
        at(50, lambda group=group: chain.set_budget(group, 50, _joy(rng, 50_000)))

    # Council top-ups at every term's start (about the term's rewards), and the debts paid.
    for term_start in range(1, last_block, term_blocks):
        for group in groups:

            def top_up(group: str = group, block: int = term_start) -> None:
                need = rng.uniform(0.6, 1.4) * planned[group] * term_blocks / last_block
                chain.update_budget(group, block, int(need) + 1_000 * HAPI_PER_JOY)
                for worker, amount in sorted(owed.items()):
                    mine = chain.workers[worker].group == group and amount
                    if mine and chain.groups[group]["budget"] >= amount:
                        chain.pay(worker, block, amount, missed=True)
                        chain.miss(worker, block, 0)
                        owed[worker] = 0

            at(term_start, top_up)
            if rng.random() < 0.5:
                spend_at = term_start + rng.randrange(term_blocks)

                def spend(group: str = group, block: int = spend_at) -> None:
                    amount = _joy(rng, 2_000)
                    if chain.groups[group]["budget"] >= amount:
                        chain.spend(group, block, amount)

                at(spend_at, spend)

    actions.sort(key=lambda a: (a[0], a[1]))
    for _, _, action in actions:
        action()
    return chain.records()
