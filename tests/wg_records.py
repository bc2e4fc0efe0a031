"""Working-group records for the test query node: the nine mainnet groups over two terms.

Built with ``council.working_groups.qn_builder`` on the clock of ``tests/fixtures/qn_small.json``
(6-second blocks from 2023-01-02T10:00:00Z). Its councils give the terms: term A is council
``0000000n`` (blocks 201601-403200), term B council ``00000018`` (from 403201, still in
office). Amounts in JOY below (HAPI in the records). The figures the tests expect:

Storage (``storageWorkingGroup``)
  before A: +100,000 budget (block 100); lead storage_alice hired at 1,000; storage_bob at
  150,000. Term A: +50,000 (210,000); rewards 220,000: alice 1,000, bob 500; storage_carol
  hired 230,000; spending 2,000 (250,000); bob fired at 300,000 with a 100 penalty (slash);
  rewards 350,000: alice 1,000, carol 400. -> start 100,000, refilled 50,000, spending 2,000,
  worker rewards 900, lead rewards 2,000, end 145,100; hired 1, terminated 1, left 0,
  headcount 2 (alice, carol), slashed 100, lead alice since 1,000.
  Term B: alice starts leaving 410,000, exits 420,000 (lead unset); storage_dave hired as lead
  430,000; rewards 440,000: dave 1,200, carol 400; council takes back 10,000 (450,000);
  storage_erin hired 460,000, starts leaving 470,000. -> start 145,100, refilled -10,000,
  spending 0, worker rewards 400, lead rewards 1,200, end 133,500; hired 2, left 1,
  terminated 0, headcount 3 (dave, carol, erin leaving), lead dave since 430,000.
Forum (``forumWorkingGroup``)
  before A: lead forum_frank and forum_gina hired 5,000; budget set to 10,000 at 6,000.
  Term A: rewards 250,000: frank 3,000, gina 2,000; 300,000: frank 3,000, gina's reward
  missed (level 2,000). -> start 10,000, refilled 0, worker rewards 2,000, lead rewards
  6,000, end 2,000, debt 2,000, headcount 2.
  Term B: +20,000 (420,000); gina's missed 2,000 paid (421,000, MISSED) and her level back to
  0; frank fired as lead 430,000 (no penalty); gina paid 2,000 at 440,000. -> start 2,000,
  refilled 20,000, worker rewards 4,000, lead rewards 0, end 18,000, debt 0, terminated 1,
  headcount 1, no lead.
The seven other groups: a lead hired at 2,000 + i, +5,000 at 3,000 and a 100 lead reward at
250,000 (end of A and B: 4,900).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from council.working_groups.qn_builder import HAPI_PER_JOY, MAINNET_GROUPS, WorkingGroupChain

GENESIS = datetime(2023, 1, 2, 10, 0, tzinfo=UTC)
TERM_A = (201_601, 403_200)
TERM_B_START = 403_201


def block_time(block: int) -> str:
    """The fixture's time of ``block``."""
    moment = GENESIS + timedelta(seconds=6 * block)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def joy(amount: float) -> int:
    """JOY in HAPI."""
    return round(amount * HAPI_PER_JOY)


def wg_chain() -> WorkingGroupChain:
    """The story above, told to a WorkingGroupChain."""
    chain = WorkingGroupChain(block_time)
    storage, forum = "storageWorkingGroup", "forumWorkingGroup"
    # Storage, before term A.
    chain.update_budget(storage, 100, joy(100_000))
    (alice,) = chain.hire(storage, 1_000, [("900", "storage_alice")], lead=True,
                          reward_per_block=joy(0.5), stake=joy(5_000))  # fmt: skip
    (bob,) = chain.hire(storage, 150_000, [("901", "storage_bob")], reward_per_block=joy(0.2),
                        stake=joy(1_000))  # fmt: skip
    # Forum, before term A.
    (frank,) = chain.hire(forum, 5_000, [("910", "forum_frank")], lead=True,
                          reward_per_block=joy(0.3), stake=joy(2_000))  # fmt: skip
    (gina,) = chain.hire(forum, 5_000, [("911", "forum_gina")], reward_per_block=joy(0.1),
                         stake=joy(500))  # fmt: skip
    chain.set_budget(forum, 6_000, joy(10_000))
    # The seven other groups.
    others = [g for g in MAINNET_GROUPS if g not in (storage, forum)]
    leads = {}
    for i, group in enumerate(others):
        (leads[group],) = chain.hire(group, 2_000 + i, [(str(920 + i), f"lead_{i}")], lead=True,
                                     reward_per_block=joy(0.25), stake=joy(1_000))  # fmt: skip
        chain.update_budget(group, 3_000, joy(5_000))
    # Term A.
    chain.update_budget(storage, 210_000, joy(50_000))
    chain.pay(alice, 220_000, joy(1_000))
    chain.pay(bob, 220_000, joy(500))
    (carol,) = chain.hire(storage, 230_000, [("902", "storage_carol")], reward_per_block=joy(0.2),
                          stake=joy(1_000))  # fmt: skip
    chain.spend(storage, 250_000, joy(2_000))
    chain.terminate(bob, 300_000, penalty=joy(100))
    chain.pay(alice, 350_000, joy(1_000))
    chain.pay(carol, 350_000, joy(400))
    chain.pay(frank, 250_000, joy(3_000))
    chain.pay(gina, 250_000, joy(2_000))
    chain.pay(frank, 300_000, joy(3_000))
    chain.miss(gina, 300_000, joy(2_000))
    for group in others:
        chain.pay(leads[group], 250_000, joy(100))
    # Term B.
    chain.start_leaving(alice, 410_000)
    chain.exit(alice, 420_000)
    (dave,) = chain.hire(storage, 430_000, [("903", "storage_dave")], lead=True,
                         reward_per_block=joy(0.6), stake=joy(5_000))  # fmt: skip
    chain.pay(dave, 440_000, joy(1_200))
    chain.pay(carol, 440_000, joy(400))
    chain.update_budget(storage, 450_000, joy(-10_000))
    (erin,) = chain.hire(storage, 460_000, [("904", "storage_erin")], reward_per_block=joy(0.2),
                         stake=joy(1_000))  # fmt: skip
    chain.start_leaving(erin, 470_000)
    chain.update_budget(forum, 420_000, joy(20_000))
    chain.pay(gina, 421_000, joy(2_000), missed=True)
    chain.miss(gina, 421_000, 0)
    chain.terminate(frank, 430_000)
    chain.pay(gina, 440_000, joy(2_000))
    chain.set_reward(carol, 445_000, joy(0.25))
    return chain


def wg_records() -> dict[str, list[dict]]:
    """The working-group QN records of the story (add them to the small fixture's)."""
    return wg_chain().records()
