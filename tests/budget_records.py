"""Council budget test records for tests/qn_server.py, on top of tests/fixtures/qn_small.json.

The fixture's terms (blocks 6 s apart from genesis 2023-01-02T10:00:00Z): council ``00000001``
from block 1, ``0000000n`` from 201601, ``00000018`` from 403201 (in office). These records add
the council budget's other events, with ids in the mainnet form ``OLYMPIA-<block>-<index>``
(no clash with the fixture's base-36 counter):

* councilBudgetFundedEvents (2): member 2096 adds 25,000 JOY at block 100801 (term of
  ``00000001``); member 3253 adds 10,000.5 JOY at block 432001 (term of ``00000018``).
* councilBudgetDecreasedEvents (1): 40,000 JOY taken out at block 302401 (``0000000n``).
* budgetIncrementUpdatedEvents (3): the refill amounts of the fixture's three refills, set
  before each: 312,000 JOY at block 1, 166,666.6666666667 JOY at 230401, 240,000 JOY at 432001.

With the fixture (refills, reward payments, executed funding requests and the 100,000 JOY
storage working group budget proposal ``00000023``), term by term:

  term of    refills      funded    decreased  rewards  WG top-ups  funding
  00000001   312,000      25,000    0          0        0           205,500.25
  0000000n   166,666.67   0         40,000     2,880    100,000     0
  00000018   240,000      10,000.5  0          4,320    0           0
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

GENESIS = datetime(2023, 1, 2, 10, 0, 0, tzinfo=UTC)
HAPI_PER_JOY = 10**10


def at_block(block: int) -> str:
    """The fixture's time of ``block`` (6-second blocks), as the query node writes it."""
    return (GENESIS + timedelta(seconds=6 * block)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _event(block: int, index: int, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"OLYMPIA-{block}-{index}",
        "createdAt": at_block(block),
        "inBlock": block,
        "network": "OLYMPIA",
        "indexInBlock": index,
        **fields,
    }


def budget_records() -> dict[str, list[dict[str, Any]]]:
    """The council budget events described in the module docstring (fresh copies)."""
    return {
        "councilBudgetFundedEvents": [
            _event(
                100801,
                4,
                memberId=2096,
                amount=str(25_000 * HAPI_PER_JOY),
                rationale="Returning unused bounty funds",
            ),
            _event(432001, 7, memberId=3253, amount="100005000000000", rationale="Top-up"),
        ],
        "councilBudgetDecreasedEvents": [
            _event(302401, 1, amount=str(40_000 * HAPI_PER_JOY)),
        ],
        "budgetIncrementUpdatedEvents": [
            _event(1, 3, amount="3120000000000000"),
            _event(230401, 2, amount="1666666666666667"),
            _event(432001, 2, amount="2400000000000000"),
        ],
    }


def with_budget_records(records: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict]]:
    """``records`` (e.g. the small fixture) with the budget events added."""
    return {**records, **budget_records()}
