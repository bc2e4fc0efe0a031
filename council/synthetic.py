"""Seeded, query-node-shaped council data of any size, for load tests, benchmarks and demos.

    python -m council.synthetic --db PATH [--rounds N --candidates N --votes N --seats 3 --seed 0
                                           --proposals-per-term 12 --stage revealing]
    python -m council.synthetic --json PATH ...

:func:`generate_records` returns records exactly as the fetch module receives them from a query
node (every field the queries select, plus ``createdAt``), so that they can go through
``records_to_rows`` or be served by a test GraphQL server. :func:`write_synthetic_cache` builds
a cache from them round by round, so that a million votes never sit in memory at once.

The chain is modelled on Joystream mainnet: 6-second blocks from 2023-01-01 UTC; terms of
216,001 blocks (1 idle block, 9 days of announcing, 3 of voting, 3 of revealing); a minimum
candidacy stake of 10,000 JOY and voting stake of 10 JOY; vote power equal to stake; daily
councillor rewards. A pool of members (about twice the square root of the candidacies) runs
again and again, each with a career window, a habit of running and a popularity with voters;
incumbents run and win more often. A pool of voting accounts (about three times the square
root of the votes) votes with stakes around each account's own, log-normally spread.
Every round but the last is finished; the last is in its revealing stage, part of its votes
still unrevealed (``--stage`` puts it in another: announcing, voting, idle or failed; see
:func:`generate_records`). Amounts are HAPI (1 JOY = 10^10 HAPI) as decimal strings; ids are
8-character base-36 counters per entity, as Hydra numbers them; accounts are SS58 addresses.

The councils do business too, on a random stream of their own (so the elections are the same
whatever the number of proposals): about ``proposals_per_term`` proposals a term (mainnet sees
roughly 10-20), 40% of them funding requests (1-3 destinations, log-normal amounts around
15,000 JOY), then working group budgets, signals, lead openings, runtime upgrades (which, like
constitution amendments, need two councils' approval) and a tail of parameter changes. Each
councillor has a diligence (some vote on nearly everything, some rarely), a speed and a habit
of giving rationales; a proposal is approved by two thirds of the seats, rejected when that is
out of reach, slashed by two thirds slashing, else expires after its voting period (5-7 days);
votes reset when a new council takes office mid-vote. Most proposals are executed (after a
grace day), some rejected or expired, a few cancelled, slashed or failed; the running term's
may still be deciding, in grace or dormant. Council stage updates follow the terms: idle
from each council's election, announcing from the round's start (ending at the voting start)
and election from the voting start. Councillors are paid every day, the budget is
refilled every day (both as on mainnet); changes of the councillor reward and of the budget
increment are executed proposals, and the payments and refills follow them. Proposals are
numbered 1, 2, ... as created; events ``<network>-<block>-<index>``, as the query node names
them. Nothing happens after the current block.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import itertools
import json
import math
import random
import resource
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from council import store
from council.transform import records_to_rows

HAPI_PER_JOY = 10**10
BLOCK_SECONDS = 6
GENESIS_TIME = datetime(2023, 1, 1, tzinfo=UTC)
GENESIS_COUNCIL_BLOCK = 1
IDLE_BLOCKS = 1
ANNOUNCING_BLOCKS = 129_600
VOTING_BLOCKS = 43_200
REVEALING_BLOCKS = 43_200
TERM_BLOCKS = IDLE_BLOCKS + ANNOUNCING_BLOCKS + VOTING_BLOCKS + REVEALING_BLOCKS
REWARD_PERIOD_BLOCKS = 14_400
MIN_CANDIDATE_STAKE_JOY = 10_000
MIN_VOTING_STAKE_JOY = 10
COUNCILOR_REWARD_PER_BLOCK = 3_900_000_000
JOYSTREAM_SS58_PREFIX = 126
QN_NETWORK = "OLYMPIA"

STAGES = ("announcing", "voting", "revealing", "idle", "failed")
"""Stages the last round can be in (``stage``); ``revealing`` is the default."""

WITHDRAW_RATE = 0.03
UNREVEALED_RATE = (0.01, 0.06)
LAST_ROUND_UNREVEALED_RATE = (0.3, 0.6)
INCUMBENT_RUN_BOOST = 4.0
INCUMBENT_VOTE_BOOST = 1.6
REWARD_CHANGE_RATE = 0.04
BUDGET_SHORTFALL_RATE = 0.05

DAY_BLOCKS = 14_400
BUDGET_REFILL_PERIOD = DAY_BLOCKS
BUDGET_INCREMENT_JOY = 30_000
BUDGET_INCREMENT_CHANGE_RATE = 0.03
PROPOSALS_PER_TERM = 12
CANCEL_RATE = 0.03
EXECUTION_FAILED_RATE = 0.03
FUNDING_MEDIAN_JOY = 15_000

QNRecords = dict[str, list[dict[str, Any]]]
# The council budget's other events (council_budget_events): funding by members, decreases by
# proposal and budget increment updates. Their record ids take a high index in their block, so
# that adding them renamed no other event.
BUDGET_EVENT_FIELDS = (
    "councilBudgetFundedEvents",
    "councilBudgetDecreasedEvents",
    "budgetIncrementUpdatedEvents",
)
BUDGET_EVENT_INDEX = 90
EVENT_FIELDS = (
    "proposals",
    "proposalVotedEvents",
    "budgetRefillEvents",
    "rewardPaymentEvents",
    "councilorRewardUpdatedEvents",
    *BUDGET_EVENT_FIELDS,
)
LIST_FIELDS = (
    "electedCouncils",
    "electionRounds",
    "candidates",
    "castVotes",
    "councilMembers",
    *EVENT_FIELDS,
    "councilStageUpdates",
)

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"
_B36_TRIPLES = [a + b + c for a in _BASE36 for b in _BASE36 for c in _BASE36]
_WORDS = (
    "tomato",
    "chaos",
    "leet",
    "joy",
    "dev",
    "node",
    "stake",
    "moon",
    "lion",
    "zen",
    "pixel",
    "nova",
    "orbit",
    "atlas",
    "cipher",
    "echo",
    "frost",
    "ghost",
    "harbor",
    "iron",
    "jade",
    "kilo",
    "lunar",
    "maple",
    "nimbus",
    "onyx",
    "pluto",
    "quartz",
    "raven",
    "sable",
    "tango",
    "ultra",
    "vortex",
    "willow",
    "xeno",
    "yeti",
    "zephyr",
    "amber",
    "blaze",
    "cobalt",
    "delta",
    "ember",
    "falcon",
    "granite",
    "hazel",
    "indigo",
    "jasper",
    "karma",
    "lotus",
    "mango",
    "nectar",
    "oasis",
    "pepper",
    "quill",
    "rocket",
    "sierra",
    "thunder",
    "umber",
    "velvet",
    "wander",
)
_HEADERS = (
    "Building a transparent and accountable council",
    "Experienced councillor, ready for another term",
    "Grow the creator economy on Joystream",
    "Focus on working group budgets and KPIs",
    "Community first: more bounties, less overhead",
    "Lead of the builders working group, running again",
    "Data-driven spending decisions",
    "Bring more video creators to the platform",
)
_BULLETS = (
    "Publish a council report every term",
    "Review every funding request within 48 hours",
    "Hold weekly open council calls",
    "Cut idle working group spending",
    "Support storage and distribution providers",
    "Onboard new validators",
    "Fund community bounties for tooling",
    "Keep the council budget above one month of spending",
    "Document decisions and rationales on-chain",
    "Mentor new council candidates",
)

_GROUPS = (
    "Storage",
    "Distribution",
    "Content",
    "Forum",
    "Membership",
    "Builders",
    "HR",
    "Marketing",
    "App",
    "Operations Alpha",
)
# The query node's working group ids (``WorkingGroup.id``) of the groups above.
_GROUP_IDS = {
    "Storage": "storageWorkingGroup",
    "Distribution": "distributionWorkingGroup",
    "Content": "contentWorkingGroup",
    "Forum": "forumWorkingGroup",
    "Membership": "membershipWorkingGroup",
    "Builders": "operationsWorkingGroupAlpha",
    "HR": "operationsWorkingGroupBeta",
    "Marketing": "operationsWorkingGroupGamma",
    "App": "appWorkingGroup",
    "Operations Alpha": "operationsWorkingGroupAlpha",
}


def _budget_update_details(title: str, created: int) -> dict[str, Any]:
    """An UpdateWorkingGroupBudget proposal's amount and group, worked out from its title
    and creation block (no random draw, so every other record stays as it was): 50,000 to
    275,000 JOY to the group, one in thirteen a return of 20,000 JOY to the council."""
    group = next((g for g in sorted(_GROUPS, key=len, reverse=True) if g in title), "Storage")
    joy = -20_000 if created % 13 == 0 else 50_000 + (created % 10) * 25_000
    group_id = _GROUP_IDS[group]
    return {"amount": str(joy * HAPI_PER_JOY), "group": {"id": group_id, "name": group_id}}


_FUNDING_PURPOSES = (
    "KPI rewards",
    "community bounty",
    "council secretary compensation",
    "marketing campaign",
    "gateway operator grant",
    "hackathon prizes",
    "handbook translation",
    "ambassador programme",
    "infrastructure costs",
    "video creator incentives",
    "runtime audit",
    "validator onboarding",
    "reimbursement of transaction fees",
    "Pioneer improvements",
)
_SIGNALS = (
    "Council priorities for the next terms",
    "Should working group leads report weekly?",
    "Adopt the treasury policy",
    "Open a creator payouts discussion",
    "Change the council meeting schedule",
    "Approve the roadmap for the next quarter",
    "Retire the old forum categories",
)
_RATIONALES = (
    "Reviewed the forum discussion, looks good.",
    "In line with the budget we agreed on.",
    "Amount too high for the scope described.",
    "Discussed on the council call; approved.",
    "Missing details, please resubmit with a breakdown.",
    "Needed for the working group to keep operating.",
    "Duplicate of an earlier proposal.",
    "Abstaining: conflict of interest.",
    "KPI results verified.",
    "Spam.",
)
_VOTE_KINDS = ("APPROVE", "REJECT", "ABSTAIN", "SLASH")
# How the council sees a proposal, how often, and the vote kinds it draws (weights as above).
_MERITS = ("good", "contested", "poor", "spam")
_MERIT_WEIGHTS = (0.8, 0.12, 0.07, 0.01)
_MERIT_VOTES = {
    "good": (0.94, 0.03, 0.03, 0.0),
    "contested": (0.5, 0.4, 0.1, 0.0),
    "poor": (0.07, 0.85, 0.08, 0.0),
    "spam": (0.0, 0.25, 0.0, 0.75),
}


def _b36(number: int) -> str:
    """An 8-character zero-padded base-36 id, the way Hydra numbers entities."""
    high, low = divmod(number, 46_656)
    top, mid = divmod(high, 46_656)
    return _B36_TRIPLES[top][1:] + _B36_TRIPLES[mid] + _B36_TRIPLES[low]


_DAY_PREFIXES: dict[int, str] = {}


def block_time(block: int) -> str:
    """The UTC time of ``block`` as an ISO string with milliseconds, as the query node has it."""
    day, seconds = divmod(block * BLOCK_SECONDS, 86_400)
    prefix = _DAY_PREFIXES.get(day)
    if prefix is None:
        prefix = (GENESIS_TIME + timedelta(days=day)).strftime("%Y-%m-%dT")
        _DAY_PREFIXES[day] = prefix
    hours, rest = divmod(seconds, 3600)
    return f"{prefix}{hours:02d}:{rest // 60:02d}:{rest % 60:02d}.000Z"


def ss58_address(public_key: bytes, prefix: int = JOYSTREAM_SS58_PREFIX) -> str:
    """The SS58 address of a 32-byte public key (Joystream mainnet: prefix 126, 'j4...')."""
    if prefix < 64:
        head = bytes([prefix])
    else:
        head = bytes([((prefix & 0xFC) >> 2) | 0x40, (prefix >> 8) | ((prefix & 0x03) << 6)])
    payload = head + public_key
    checksum = hashlib.blake2b(b"SS58PRE" + payload, digest_size=64).digest()[:2]
    number = int.from_bytes(payload + checksum, "big")
    digits = []
    while number:
        number, digit = divmod(number, 58)
        digits.append(_BASE58[digit])
    return "".join(reversed(digits))


def _account(rng: random.Random, prefix: int) -> str:
    return ss58_address(rng.getrandbits(256).to_bytes(32, "big"), prefix)


def _apportion(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into whole parts proportional to ``weights`` (largest remainder)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    shares = [total * w / weight_sum for w in weights]
    parts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: parts[i] - shares[i])
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _interest(rng: random.Random, rounds: int) -> list[float]:
    """Slowly drifting, noisy interest in elections, one weight per round."""
    period = rng.uniform(15, 60)
    phase = rng.uniform(0, 2 * math.pi)
    return [
        math.exp(0.4 * math.sin(2 * math.pi * r / period + phase)) * rng.lognormvariate(0, 0.35)
        for r in range(rounds)
    ]


@dataclass(slots=True)
class _Member:
    id: str
    handle: str
    root_account: str
    staking_account: str
    entry: int
    exit: int
    habit: float
    popularity: float
    stake_joy: int

    def as_qn(self) -> dict[str, str]:
        return {"id": self.id, "handle": self.handle, "rootAccount": self.root_account}


@dataclass(slots=True)
class _Voter:
    account: str
    habit: float
    stake_joy: float


def _handles(rng: random.Random, count: int) -> list[str]:
    """Distinct handles in the style of real ones: words, digits, underscores, leet."""
    leet = str.maketrans("aeio", "4310")
    seen: set[str] = set()
    handles = []
    while len(handles) < count:
        word = rng.choice(_WORDS)
        style = rng.random()
        if style < 0.3:
            handle = word
        elif style < 0.55:
            handle = f"{word}{rng.randrange(1, 1000)}"
        elif style < 0.75:
            handle = f"{word}_{rng.choice(_WORDS)}"
        elif style < 0.9:
            handle = word.translate(leet) + rng.choice(("", "dev", "_joy", str(rng.randrange(99))))
        else:
            handle = f"0x{rng.getrandbits(12):03x}"
        if handle in seen:
            handle = f"{handle}{rng.randrange(10, 100)}"
        if handle not in seen:
            seen.add(handle)
            handles.append(handle)
    return handles


def _members(rng: random.Random, count: int, rounds: int, prefix: int) -> list[_Member]:
    """The pool of members who run: careers spread over the rounds, ids growing with entry."""
    founders = max(1, count // 8)
    entries = sorted(1 if i < founders else rng.randint(1, max(1, rounds)) for i in range(count))
    ids = sorted(rng.sample(range(1, 40 * count + 50), count))
    members = []
    for member_id, handle, entry in zip(ids, _handles(rng, count), entries, strict=True):
        span = int(rng.expovariate(1 / max(3.0, rounds / 3))) + 2
        stake_joy = MIN_CANDIDATE_STAKE_JOY
        if rng.random() > 0.4:
            stake_joy = min(int(stake_joy * rng.paretovariate(1.2)), 200 * stake_joy)
            stake_joy -= stake_joy % 100
        members.append(
            _Member(
                id=str(member_id),
                handle=handle,
                root_account=_account(rng, prefix),
                staking_account=_account(rng, prefix),
                entry=entry,
                exit=entry + span,
                habit=rng.paretovariate(1.5),
                popularity=rng.lognormvariate(0, 1.0),
                stake_joy=stake_joy,
            )
        )
    return members


def _voters(rng: random.Random, count: int, prefix: int) -> list[_Voter]:
    """The pool of voting accounts: a few whales, many small holders; some vote every time."""
    return [
        _Voter(
            account=_account(rng, prefix),
            habit=rng.paretovariate(1.2),
            stake_joy=max(MIN_VOTING_STAKE_JOY, rng.lognormvariate(math.log(3_000), 2.0)),
        )
        for _ in range(count)
    ]


def _candidate_counts(rng: random.Random, rounds: int, total: int, seats: int) -> list[int]:
    """Candidacies per round: ``seats`` each where the total allows it, the rest by interest."""
    if total >= seats * rounds:
        floor = [seats] * rounds
    elif total >= seats * (rounds - 1):
        floor = [seats] * (rounds - 1) + [0]
    else:
        floor = _apportion(total, [1 + rng.random() / 1000 for _ in range(rounds)])
    extra = _apportion(total - sum(floor), _interest(rng, rounds))
    return [f + e for f, e in zip(floor, extra, strict=True)]


def _withdrawn_counts(rng: random.Random, counts: list[int], seats: int) -> list[int]:
    """Withdrawals per round: a few percent, never leaving fewer than ``seats`` standing."""
    return [sum(rng.random() < WITHDRAW_RATE for _ in range(n - seats)) for n in counts]


def _vote_counts(rng: random.Random, total: int, standing: list[int]) -> list[int]:
    """Votes per round, more where more candidates stand, none where nobody does.

    When nobody stands in any round, the votes are spread anyway and none can be revealed.
    """
    interest = _interest(rng, len(standing))
    weights = [s**0.8 * w for s, w in zip(standing, interest, strict=True)]
    if sum(weights) == 0:
        weights = interest
    return _apportion(total, weights)


@dataclass
class _Plan:
    """Everything decided before the rounds are played: sizes per round and the pools."""

    rounds: int
    seats: int
    candidate_counts: list[int]
    withdrawn_counts: list[int]
    vote_counts: list[int]
    members: list[_Member]
    voters: list[_Voter]


def _plan(
    rng: random.Random, rounds: int, candidates: int, votes: int, seats: int, prefix: int
) -> _Plan:
    candidate_counts = _candidate_counts(rng, rounds, candidates, seats)
    withdrawn = _withdrawn_counts(rng, candidate_counts, seats)
    standing = [n - w for n, w in zip(candidate_counts, withdrawn, strict=True)]
    vote_counts = _vote_counts(rng, votes, standing)
    most_candidates = max(candidate_counts)
    pool = max(round(2 * math.sqrt(candidates)), math.ceil(1.25 * most_candidates))
    most_votes = max(vote_counts)
    voter_pool = max(round(3 * math.sqrt(votes)), math.ceil(1.25 * most_votes))
    return _Plan(
        rounds=rounds,
        seats=seats,
        candidate_counts=candidate_counts,
        withdrawn_counts=withdrawn,
        vote_counts=vote_counts,
        members=_members(rng, pool, rounds, prefix),
        voters=_voters(rng, voter_pool, prefix),
    )


def _weighted_sample(rng: random.Random, weights: list[float], count: int) -> list[int]:
    """``count`` distinct indices, drawn with probability by weight (Efraimidis-Spirakis)."""
    rand = rng.random
    log = math.log
    keys = [log(1.0 - rand()) / w for w in weights]
    return heapq.nlargest(count, range(len(weights)), key=keys.__getitem__)


def _hapi(rng: random.Random, joy: float) -> int:
    """A JOY amount as HAPI: whole JOY mostly, sometimes with a fractional part."""
    amount = int(joy) * HAPI_PER_JOY
    if rng.random() < 0.2:
        amount += rng.randrange(HAPI_PER_JOY)
    return amount


@dataclass(frozen=True)
class _Stages:
    """The blocks of one election cycle: announcing, voting and revealing starts, and its end."""

    start: int
    voting: int
    revealing: int
    ended: int

    @classmethod
    def of(cls, cycle: int) -> _Stages:
        start = GENESIS_COUNCIL_BLOCK + (cycle - 1) * TERM_BLOCKS + IDLE_BLOCKS
        voting = start + ANNOUNCING_BLOCKS
        revealing = voting + VOTING_BLOCKS
        return cls(start, voting, revealing, revealing + REVEALING_BLOCKS)


@dataclass
class RoundBatch:
    """The records one election round adds, per query node list field."""

    election_round: dict[str, Any]
    candidates: list[dict[str, Any]]
    cast_votes: list[dict[str, Any]]
    councils: list[dict[str, Any]] = field(default_factory=list)
    council_members: list[dict[str, Any]] = field(default_factory=list)
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Proposals, proposal votes and budget events of the term the round ran in (by list
    field, see ``EVENT_FIELDS``): created from the block the ruling council was elected in
    until the next one, or until the current block in the last round."""
    stage_updates: list[dict[str, Any]] = field(default_factory=list)
    """The council stage updates of the round: announcing, election and, once it is finished,
    idle under the council it elected (the first round also has the genesis council's idle)."""
    failures: list[dict[str, Any]] = field(default_factory=list)
    """The failed election attempt before the round (``notEnoughCandidatesEvents``): only the
    round opened after a failed one (stage ``failed``) has one."""


def _council_start(index: int) -> int:
    """The block council ``index`` was elected in (0: the genesis council)."""
    return GENESIS_COUNCIL_BLOCK + index * TERM_BLOCKS


def _council_at(block: int) -> int:
    """The index of the council in office at ``block``."""
    return max(0, (block - GENESIS_COUNCIL_BLOCK) // TERM_BLOCKS)


@dataclass(frozen=True, slots=True)
class _ProposalKind:
    """A proposal type: its share of proposals, voting and grace periods, councils to approve."""

    name: str
    weight: float
    voting_blocks: int
    grace_blocks: int
    constitutionality: int = 1


def _kind(name: str, weight: float, voting_days: float = 5, grace_days: float = 1, councils=1):
    return _ProposalKind(
        name, weight, int(voting_days * DAY_BLOCKS), int(grace_days * DAY_BLOCKS), councils
    )


PROPOSAL_KINDS = (  # weights add up to 1
    _kind("FundingRequest", 0.40),
    _kind("UpdateWorkingGroupBudget", 0.15),
    _kind("Signal", 0.12, grace_days=0),
    _kind("CreateWorkingGroupLeadOpening", 0.045),
    _kind("FillWorkingGroupLeadOpening", 0.045),
    _kind("RuntimeUpgrade", 0.04, voting_days=7, councils=2),
    _kind("SetWorkingGroupLeadReward", 0.03),
    _kind("TerminateWorkingGroupLead", 0.03),
    _kind("AmendConstitution", 0.02, voting_days=7, councils=2),
    _kind("UpdateChannelPayouts", 0.02),
    _kind("DecreaseWorkingGroupLeadStake", 0.01),
    _kind("SlashWorkingGroupLead", 0.01),
    _kind("CancelWorkingGroupLeadOpening", 0.01),
    _kind("SetMembershipPrice", 0.01),
    _kind("SetReferralCut", 0.01),
    _kind("SetInitialInvitationCount", 0.01),
    _kind("SetMaxValidatorCount", 0.01),
    _kind("SetInitialInvitationBalance", 0.005),
    _kind("SetMembershipLeadInvitationQuota", 0.005),
    _kind("UpdateGlobalNftLimit", 0.005),
    _kind("DecreaseCouncilBudget", 0.005),
    _kind("SetEraPayoutDampingFactor", 0.005),
    _kind("UpdateTokenPalletTokenConstraints", 0.005),
)
# Only ever created when the councillor reward or the budget increment changes, and executed.
REWARD_KIND = _kind("SetCouncilorReward", 0)
INCREMENT_KIND = _kind("SetCouncilBudgetIncrement", 0)
_KIND_WEIGHTS = [k.weight for k in PROPOSAL_KINDS]


@dataclass(slots=True)
class _Traits:
    """A member's ways on the council and as a proposer."""

    diligence: float  # chance to vote on a proposal put to their council
    speed: float  # median blocks from the start of a vote to their ballot
    rationale: float  # share of their votes that come with a rationale
    activity: float  # weight as a proposer


@dataclass(slots=True)
class _Outcome:
    """Where a proposal stands now: its status, when it was set, and the votes it got."""

    status: str
    at: int
    finalized: bool
    approvals: int
    votes: list[tuple[int, int, str, int]]  # (block, member index, vote kind, voting round)


class _Governance:
    """Proposals, councillors' votes and council budget events, on their own random stream.

    Events are queued by block and handed out per window, oldest first, so that every list
    comes out in ``createdAt`` order although a proposal's votes and decision can fall into a
    later term. Needs the councils' rosters as they are seated: a term's proposals are made
    once the next council is known (a decision can cross the end of the term; proposals that
    need two councils' approval are created in the first third of a term, so that their second
    vote falls in the next term).
    """

    def __init__(
        self,
        seed: int,
        plan: _Plan,
        now_block: int,
        qn_network: str,
        prefix: int,
        proposals_per_term: int,
    ) -> None:
        rng = self.rng = random.Random(f"{seed}/governance")
        self.plan = plan
        self.now = now_block
        self.qn_network = qn_network
        self.traits = [self._traits(rng) for _ in plan.members]
        self.recipients = [_account(rng, prefix) for _ in range(max(8, len(plan.members) // 3))]
        self.rosters: dict[int, list[int]] = {}
        self.candidates: set[int] = set()  # members who have stood for election so far
        self.increment = BUDGET_INCREMENT_JOY * HAPI_PER_JOY
        self.counts = self._counts(proposals_per_term)
        self.queue: list[tuple[int, int, str, dict[str, Any], Any]] = []
        self.sequence = 0
        self.next_proposal = 1
        self.id_block = -1
        self.used_indexes: set[int] = set()
        self.runtime_version = 2000

    @staticmethod
    def _traits(rng: random.Random) -> _Traits:
        habit = rng.random()
        if habit < 0.7:
            diligence = rng.betavariate(15, 1)
        elif habit < 0.92:
            diligence = rng.betavariate(5, 2)
        else:
            diligence = rng.betavariate(1.5, 3)
        return _Traits(
            diligence=diligence,
            speed=DAY_BLOCKS * rng.lognormvariate(-0.3, 0.7),
            rationale=rng.betavariate(0.7, 0.9),
            activity=rng.paretovariate(1.3),
        )

    def _counts(self, per_term: int) -> list[int]:
        """Proposals per term: none under the genesis council (it has no members on record),
        ``per_term`` on average in the others, the running term in proportion to its time."""
        rounds = self.plan.rounds
        if rounds < 2:
            return [0] * rounds
        weights = _interest(self.rng, rounds)
        weights[0] = 0.0
        elapsed = (self.now - _council_start(rounds - 1)) / TERM_BLOCKS
        weights[-1] *= elapsed
        return _apportion(per_term * (rounds - 1), weights)

    # the queue -------------------------------------------------------------------------------

    def push(self, block: int, field_name: str, record: dict[str, Any], extra: Any = 0) -> None:
        heapq.heappush(self.queue, (block, self.sequence, field_name, record, extra))
        self.sequence += 1

    def pop(self, before: int | None) -> dict[str, list[dict[str, Any]]]:
        """The queued records up to ``before`` (exclusive; None: all), ids given in order.

        Proposals are numbered 1, 2, ... as created, as on chain; events are named
        ``<network>-<block>-<index in block>`` as the query node's mappings name them.
        """
        out: dict[str, list[dict[str, Any]]] = {name: [] for name in EVENT_FIELDS}
        queue = self.queue
        while queue and (before is None or queue[0][0] < before):
            block, _, field_name, record, extra = heapq.heappop(queue)
            if field_name == "proposals":
                record["id"] = str(self.next_proposal)
                self.next_proposal += 1
            else:
                if block != self.id_block:
                    self.id_block = block
                    self.used_indexes = set()
                if field_name == "proposalVotedEvents":
                    record["proposalId"] = extra["id"]
                    index = self.rng.randrange(2, 60)
                else:
                    index = extra
                while index in self.used_indexes:
                    index += 1
                self.used_indexes.add(index)
                record["id"] = f"{self.qn_network}-{block}-{index}"
            out[field_name].append(record)
        return out

    # terms -----------------------------------------------------------------------------------

    def open_term(
        self,
        council: int,
        roster: list[int],
        seats: list[dict[str, Any]],
        rate: int,
        new_rate: int | None,
        shortfall: tuple[int, int],
    ) -> None:
        """Council ``council`` takes office: its reward payments, budget refills and the
        proposals that change the councillor reward or the budget increment during its term.

        Fills in the reward fields of ``seats`` (its council member records). ``rate`` is the
        reward per block it starts with; ``new_rate`` the reward it changes to during the term
        (None: no change); ``shortfall`` the (unpaid amount, payments short) at its end.
        """
        self.rosters[council] = roster
        start = _council_start(council)
        end = min(_council_start(council + 1), self.now + 1)
        rates = [(-1, rate)]
        if new_rate is not None:
            per_day = new_rate * DAY_BLOCKS / HAPI_PER_JOY
            title = f"Set councillor reward to {per_day:,.0f} JOY a day"
            changed = self.forced_change(REWARD_KIND, council, title)
            if changed is not None:
                rates.append((changed, new_rate))
                self.push(
                    changed,
                    "councilorRewardUpdatedEvents",
                    {
                        "id": None,
                        "createdAt": block_time(changed),
                        "inBlock": changed,
                        "rewardAmount": str(new_rate),
                    },
                    1,
                )
        increments = [(-1, self.increment)]
        if council and self.rng.random() < BUDGET_INCREMENT_CHANGE_RATE:
            factor = self.rng.choice((0.5, 0.75, 1.25, 1.5, 2.0))
            new_increment = int(self.increment * factor) // HAPI_PER_JOY * HAPI_PER_JOY
            title = f"Set council budget increment to {new_increment // HAPI_PER_JOY:,} JOY"
            changed = self.forced_change(INCREMENT_KIND, council, title)
            if changed is not None:
                increments.append((changed, new_increment))
                self.increment = new_increment
        self.council_budget_events(council, roster, start, end, increments)
        first = -(-max(start, 1) // BUDGET_REFILL_PERIOD) * BUDGET_REFILL_PERIOD
        for block in range(first, end, BUDGET_REFILL_PERIOD):
            balance = next(v for b, v in reversed(increments) if b < block)
            record = {"id": None, "createdAt": block_time(block), "inBlock": block}
            self.push(block, "budgetRefillEvents", {**record, "balance": str(balance)}, 0)
        if seats:
            self.pay(seats, roster, start, end - 1, rates, shortfall)

    def council_budget_events(
        self,
        council: int,
        roster: list[int],
        start: int,
        end: int,
        increments: list[tuple[int, int]],
    ) -> None:
        """The council budget's other events in a term, drawn from no random stream (so the
        rest of the history is the same with them): each change of the budget increment;
        every seventh council its first councillor funds the budget with 10,000 JOY (plus 1,000
        JOY per last digit of their member id) a day into the term; every eleventh council a
        proposal takes 50,000 JOY (plus as much) out two days into it."""
        for changed, amount in increments[1:]:
            record = {"id": None, "createdAt": block_time(changed), "inBlock": changed}
            self.push(
                changed,
                "budgetIncrementUpdatedEvents",
                {**record, "amount": str(amount)},
                BUDGET_EVENT_INDEX,
            )
        members = self.plan.members
        for every, days, name, joy in (
            (7, 1, "councilBudgetFundedEvents", 10_000),
            (11, 2, "councilBudgetDecreasedEvents", 50_000),
        ):
            block = start + days * DAY_BLOCKS
            if council % every != every - 1 or block >= end or not roster:
                continue
            record = {"id": None, "createdAt": block_time(block), "inBlock": block}
            funder = members[roster[0]]
            record["amount"] = str((joy + 1_000 * (int(funder.id) % 10)) * HAPI_PER_JOY)
            if name == "councilBudgetFundedEvents":
                record["memberId"] = int(funder.id)
                record["rationale"] = "Keeping the council budget above a month of spending"
            self.push(block, name, record, BUDGET_EVENT_INDEX + 1)

    def pay(
        self,
        seats: list[dict[str, Any]],
        roster: list[int],
        start: int,
        last: int,
        rates: list[tuple[int, int]],
        shortfall: tuple[int, int],
    ) -> None:
        """Reward payments every reward period up to block ``last``, at the rate in force at
        each payment (the chain pays rate x blocks since the last payment); a shortfall leaves
        the last few payments short, the missing part carried on to the next.
        """
        blocks = list(range(start + REWARD_PERIOD_BLOCKS, last + 1, REWARD_PERIOD_BLOCKS))
        dues = [
            next(r for b, r in reversed(rates) if b < block) * REWARD_PERIOD_BLOCKS
            for block in blocks
        ]
        unpaid, short = shortfall
        short = min(short, len(blocks))
        missing = [0] * len(blocks)
        if unpaid and short:
            unpaid = min(unpaid, sum(dues[-short:]) * 9 // 10)
            carried = 0
            steps = _apportion(unpaid, dues[-short:])
            for offset, step in enumerate(steps, start=len(blocks) - short):
                carried += step
                missing[offset] = carried
        else:
            unpaid = 0
        carried_in = [0, *missing][: len(missing)]  # (no payment yet: a council just seated)
        paid = [due + c - m for due, c, m in zip(dues, carried_in, missing, strict=True)]
        for seat in seats:
            seat["accumulatedReward"] = str(sum(paid))
            seat["unpaidReward"] = str(unpaid)
            seat["lastPaymentBlock"] = str(start + len(blocks) * REWARD_PERIOD_BLOCKS)
        accounts = [self.plan.members[m].root_account for m in roster]
        for block, amount, short_by in zip(blocks, paid, missing, strict=True):
            for position, (seat, account) in enumerate(zip(seats, accounts, strict=True)):
                record = {"id": None, "createdAt": block_time(block), "inBlock": block}
                record |= {
                    "councilMemberId": seat["id"],
                    "rewardAccount": account,
                    "paidBalance": str(amount),
                    "missingBalance": str(short_by),
                }
                self.push(block, "rewardPaymentEvents", record, 2 + position)

    def forced_change(self, kind: _ProposalKind, council: int, title: str) -> int | None:
        """An approved proposal of ``kind`` early in ``council``'s term; the block it is
        executed at, or None when it is still under way (or nobody sits to approve it)."""
        start = _council_start(council)
        if not self.rosters.get(council):
            return start + TERM_BLOCKS // 2 if start + TERM_BLOCKS // 2 <= self.now else None
        created = self.rng.randrange(start + 1, start + TERM_BLOCKS // 3)
        outcome = self.propose(kind, created, title, forced=True)
        return outcome.at if outcome.status == "Executed" else None

    def term_proposals(self, term: int) -> None:
        """The proposals created in ``term`` (the councils of it and the next term seated).

        Proposers are councillors in office or, by activity, members who have stood for
        election (so that the cache knows their handles), mostly ones in their active years.
        """
        count = self.counts[term]
        if not count or not self.plan.members:
            return  # (without candidacies there is nobody to propose anything)
        rng = self.rng
        start = _council_start(term)
        stop = min(_council_start(term + 1), self.now + 1)
        members = self.plan.members
        known = sorted(self.candidates) or list(range(len(members)))
        active = [i for i in known if members[i].entry <= term + 1 <= members[i].exit] or known
        weights = list(itertools.accumulate(self.traits[i].activity for i in active))
        roster = self.rosters.get(term, [])
        for kind in rng.choices(PROPOSAL_KINDS, weights=_KIND_WEIGHTS, k=count):
            last = stop if kind.constitutionality == 1 else min(stop, start + TERM_BLOCKS // 3)
            created = rng.randrange(start + 1, last)
            if roster and rng.random() < 0.35:
                creator = rng.choice(roster)
            else:
                creator = rng.choices(active, cum_weights=weights)[0]
            self.propose(kind, created, self.title(kind), creator)

    def title(self, kind: _ProposalKind) -> str:
        rng = self.rng
        if kind.name == "FundingRequest":
            return f"{rng.choice(_GROUPS)}: {rng.choice(_FUNDING_PURPOSES)}"
        if kind.name == "Signal":
            return rng.choice(_SIGNALS)
        if kind.name == "RuntimeUpgrade":
            self.runtime_version += rng.choice((1, 1, 2, 10))
            return f"Runtime upgrade to spec version {self.runtime_version}"
        words = "".join(f" {c.lower()}" if c.isupper() else c for c in kind.name).strip()
        words = words[0].upper() + words[1:]
        if "working group" in words.lower() or "WorkingGroup" in kind.name:
            return f"{words.replace('working group', rng.choice(_GROUPS) + ' working group')}"
        return words

    def propose(
        self,
        kind: _ProposalKind,
        created: int,
        title: str,
        creator: int | None = None,
        forced: bool = False,
    ) -> _Outcome:
        """Create a proposal at block ``created``, put it to the vote, queue it and its votes."""
        rng = self.rng
        members = self.plan.members
        if creator is None:
            creator = rng.choice(self.rosters[_council_at(created)])
        details: dict[str, Any] = {"__typename": f"{kind.name}ProposalDetails"}
        if kind.name == "FundingRequest":
            destinations = []
            for position in range(rng.choices((1, 2, 3), weights=(0.75, 0.18, 0.07))[0]):
                joy = rng.lognormvariate(math.log(FUNDING_MEDIAN_JOY), 0.75)
                joy = max(100, int(round(joy, -2) if joy > 2_000 else round(joy)))
                account = (
                    members[creator].root_account
                    if position == 0 and rng.random() < 0.5
                    else rng.choice(self.recipients)
                )
                destinations.append({"amount": str(joy * HAPI_PER_JOY), "account": account})
            details["destinationsList"] = {"destinations": destinations}
        if kind.name == "UpdateWorkingGroupBudget":
            details.update(_budget_update_details(title, created))
        outcome = self.decide(kind, created, forced)
        when = block_time(created)
        proposal = {
            "id": None,
            "title": title,
            "creatorId": members[creator].id,
            "councilApprovals": outcome.approvals,
            "isFinalized": outcome.finalized,
            "statusSetAtBlock": outcome.at,
            "statusSetAtTime": block_time(outcome.at),
            "createdInEvent": {"inBlock": created, "createdAt": when},
            "status": {"__typename": f"ProposalStatus{outcome.status}"},
            "details": details,
            "createdAt": when,
        }
        self.push(created, "proposals", proposal)
        for block, member, vote_kind, voting_round in outcome.votes:
            rationale = ""
            if rng.random() < self.traits[member].rationale:
                rationale = rng.choice(_RATIONALES)
            vote = {
                "id": None,
                "createdAt": block_time(block),
                "inBlock": block,
                "proposalId": None,
                "voter": members[member].as_qn(),
                "voteKind": vote_kind,
                "rationale": rationale,
                "votingRound": voting_round,
            }
            self.push(block, "proposalVotedEvents", vote, proposal)
        return outcome

    def decide(self, kind: _ProposalKind, created: int, forced: bool) -> _Outcome:
        """Play a proposal's votes: council by council while it is decided, reset (as the
        chain resets votes) when a new council takes office mid-vote; approved by two thirds
        of the seats, rejected once that is out of reach (or when the voting period ends with
        two thirds voting but not approving), slashed by two thirds slashing, else expired at
        the end of its voting period. Nothing after the current block happens.
        """
        rng = self.rng
        now = self.now
        merit = "good" if forced else rng.choices(_MERITS, weights=_MERIT_WEIGHTS)[0]
        cancel_at = None
        if not forced and rng.random() < CANCEL_RATE:
            cancel_at = created + 1 + int(rng.uniform(0.05, 0.7) * kind.voting_blocks)
        votes: list[tuple[int, int, str, int]] = []
        approvals = 0
        voting_round = 1
        round_start = start = created
        end = created + kind.voting_blocks
        while True:
            council = _council_at(start)
            stop = min(end, _council_start(council + 1))
            ballots, decision, at = self.ballots(council, start, stop, merit, cancel_at, forced)
            votes += [(block, member, vote, voting_round) for block, member, vote in ballots]
            if decision == "Approved":
                approvals += 1
                if approvals < kind.constitutionality:
                    next_council = _council_start(_council_at(at) + 1)
                    if next_council > now:
                        return _Outcome("Dormant", at, False, approvals, votes)
                    voting_round += 1
                    round_start = start = next_council
                    end = start + kind.voting_blocks
                    cancel_at = None
                    continue
                executed = at + kind.grace_blocks
                if executed > now:
                    return _Outcome("Gracing", at, False, approvals, votes)
                failed = not forced and kind.grace_blocks and rng.random() < EXECUTION_FAILED_RATE
                status = "ExecutionFailed" if failed else "Executed"
                return _Outcome(status, executed, True, approvals, votes)
            if decision in ("Rejected", "Slashed"):
                return _Outcome(decision, at, True, approvals, votes)
            if decision == "Undecided" and stop == end and end <= now:
                return _Outcome("Rejected", end, True, approvals, votes)
            if decision == "Undecided":
                decision = None
            if decision == "Cancelled" and at <= now:
                return _Outcome("Cancelled", at, True, approvals, votes)
            if decision is None and stop == end and end <= now:
                return _Outcome("Expired", end, True, approvals, votes)
            if decision is None and stop < end and stop <= now:
                start = stop
                continue
            return _Outcome("Deciding", round_start, False, approvals, votes)

    def ballots(
        self,
        council: int,
        start: int,
        stop: int,
        merit: str,
        cancel_at: int | None,
        forced: bool,
    ) -> tuple[list[tuple[int, int, str]], str | None, int]:
        """The votes of ``council``'s members from ``start`` until a decision or ``stop``.

        Returns the votes cast, the decision (Approved, Rejected, Slashed, Cancelled; None for
        none yet, "Undecided" when enough voted but neither side won, "Pending" when the next
        vote would be after the current block) and its block.
        """
        rng = self.rng
        roster = self.rosters[council]
        ballots = []
        for member in roster:
            traits = self.traits[member]
            if not forced and rng.random() >= traits.diligence:
                continue
            delay = 20 + int(traits.speed * rng.lognormvariate(0, 0.8))
            if forced:
                delay = min(delay, stop - start - 1 - rng.randrange(100))
            if start + delay >= stop:
                continue
            vote = "APPROVE" if forced else rng.choices(_VOTE_KINDS, _MERIT_VOTES[merit])[0]
            ballots.append((start + delay, member, vote))
        ballots.sort()
        quorum = math.ceil(2 * len(roster) / 3)
        tally = dict.fromkeys(_VOTE_KINDS, 0)
        cast = []
        for block, member, vote in ballots:
            if cancel_at is not None and cancel_at <= block:
                return cast, "Cancelled", cancel_at
            if block > self.now:
                return cast, "Pending", block
            cast.append((block, member, vote))
            tally[vote] += 1
            if tally["APPROVE"] >= quorum:
                return cast, "Approved", block
            if tally["SLASH"] >= quorum:
                return cast, "Slashed", block
            if tally["APPROVE"] + len(roster) - len(cast) < quorum:
                return cast, "Rejected", block
        if cancel_at is not None and cancel_at < stop:
            return cast, "Cancelled", cancel_at
        if roster and len(cast) >= quorum:
            return cast, "Undecided", stop
        return cast, None, stop


class _Chain:
    """Plays the planned rounds in order, keeping the counters and the ruling council."""

    def __init__(
        self,
        rng: random.Random,
        plan: _Plan,
        qn_network: str,
        seed: int = 0,
        prefix: int = JOYSTREAM_SS58_PREFIX,
        proposals_per_term: int = PROPOSALS_PER_TERM,
        stage: str = "revealing",
    ) -> None:
        self.rng = rng
        self.plan = plan
        self.qn_network = qn_network
        self.stage = stage
        self.next_candidate = 1
        self.next_vote = 1
        self.next_council_member = 1
        self.next_stage_update = 1
        self.incumbents: set[int] = set()
        self.reward_per_block = COUNCILOR_REWARD_PER_BLOCK
        last = _Stages.of(plan.rounds)
        into = rng.uniform(0.2, 0.8)  # how far into its stage the last round is
        self.now_block = {
            "announcing": last.start + int(into * ANNOUNCING_BLOCKS),
            "voting": last.voting + int(into * VOTING_BLOCKS),
            "revealing": last.revealing + int(into * REVEALING_BLOCKS),
            "idle": last.start - IDLE_BLOCKS,
            # announcing again after too few stood, from the round's voting start on; before
            # the block its council would have been replaced (the terms' clock stays as it is)
            "failed": last.voting + int(into * (VOTING_BLOCKS + REVEALING_BLOCKS)),
        }[stage]
        self.governance = _Governance(
            seed, plan, self.now_block, qn_network, prefix, proposals_per_term
        )

    def council(self, index: int) -> dict[str, Any]:
        elected = _council_start(index)
        ended = elected + TERM_BLOCKS if index + 1 < self.plan.rounds else None
        return {
            "id": _b36(index + 1),
            "electedAtBlock": elected,
            "electedAtTime": block_time(elected),
            "electedAtNetwork": self.qn_network,
            "endedAtBlock": ended,
            "endedAtTime": block_time(ended) if ended is not None else None,
            "isResigned": ended is not None,
            "createdAt": block_time(elected),
        }

    def batches(self) -> Iterator[RoundBatch]:
        for cycle in range(1, self.plan.rounds + 1):
            yield self.play(cycle)
        if self.stage == "failed":
            yield self.reopen(self.plan.rounds + 1)

    def reopen(self, cycle: int) -> RoundBatch:
        """After a failed round the query node opens the next one at once, under the same
        council, announcing again (from the failed round's voting start), nobody standing yet."""
        again = _Stages.of(cycle - 1).voting
        record = {
            **self.round_record(cycle, _Stages.of(cycle)),
            "isFinished": False,
            "endedAtBlock": None,
            "endedAtTime": None,
            "endedAtNetwork": None,
            "electedCouncilId": _b36(cycle - 1),
            "nextElectedCouncilId": None,
            "referendumStageVoting": None,
            "referendumStageRevealing": None,
            "createdAt": block_time(again),
        }
        update = self.stage_update(
            again, cycle - 2, "CouncilStageAnnouncing", 0, again + ANNOUNCING_BLOCKS
        )
        return RoundBatch(record, [], [], stage_updates=[update], failures=[failure_event(again)])

    def play(self, cycle: int) -> RoundBatch:
        """Run election ``cycle``: candidacies, votes and, when it is finished, the new council."""
        stages = _Stages.of(cycle)
        stage = self.stage if cycle == self.plan.rounds else "finished"
        runners = self.runners(cycle)
        candidates = self.candidacies(cycle, runners, stages.start)
        standing = [i for i, c in enumerate(candidates) if c["status"] != "WITHDRAWN"]
        if stage in ("announcing", "idle", "failed"):  # no voting (yet)
            votes, powers = [], [0] * len(candidates)
        else:
            votes, powers = self.votes(cycle, candidates, runners, standing, stages.voting)
        for candidate, power in zip(candidates, powers, strict=True):
            candidate["votePower"] = str(power)
        batch = RoundBatch(self.round_record(cycle, stages), candidates, votes)
        if cycle == 1:
            batch.stage_updates.append(
                self.stage_update(GENESIS_COUNCIL_BLOCK, 0, "CouncilStageIdle", ends=stages.start)
            )
        if stage != "idle":
            batch.stage_updates.append(
                self.stage_update(
                    stages.start,
                    cycle - 1,
                    "CouncilStageAnnouncing",
                    len(candidates),
                    stages.voting,
                )
            )
        if stage in ("finished", "voting", "revealing"):
            batch.stage_updates.append(
                self.stage_update(stages.voting, cycle - 1, "CouncilStageElection", len(standing))
            )
        governance = self.governance
        governance.candidates.update(runners)
        if cycle == 1:
            batch.councils.append(self.council(0))
            governance.open_term(0, [], [], self.reward_per_block, None, (0, 0))
        finished = cycle < self.plan.rounds
        if finished:
            elected = [runners[i] for i in self.elect(candidates, standing, powers)]
            council = self.council(cycle)
            batch.councils.append(council)
            shortfall = self.shortfall(council)
            batch.council_members = self.seat(council, elected, candidates)
            batch.stage_updates.append(
                self.stage_update(
                    stages.ended, cycle, "CouncilStageIdle", ends=stages.ended + IDLE_BLOCKS
                )
            )
            rate = self.reward_per_block
            self.incumbents = set(elected)
            new_rate = self.reward_per_block if self.update_reward() else None
            governance.open_term(cycle, elected, batch.council_members, rate, new_rate, shortfall)
        if cycle >= 2:
            governance.term_proposals(cycle - 1)
        batch.events = governance.pop(_council_start(cycle) if finished else None)
        return batch

    def stage_update(
        self,
        block: int,
        council: int,
        stage: str,
        count: int | None = None,
        ends: int | None = None,
    ) -> dict[str, Any]:
        """A council stage update at ``block`` under council ``council`` (0: genesis): the
        stage's union member, its candidates count (announcing: candidacies announced,
        withdrawn ones too; election: those standing) and the block it ends at."""
        record = {
            "id": _b36(self.next_stage_update),
            "createdAt": block_time(block),
            "changedAt": str(block),
            "electedCouncilId": _b36(council + 1),
            "stage": {"__typename": stage},
        }
        self.next_stage_update += 1
        if count is not None:
            record["stage"]["candidatesCount"] = str(count)
        if ends is not None:
            record["stage"]["endsAt"] = ends
        return record

    def round_record(self, cycle: int, stages: _Stages) -> dict[str, Any]:
        finished = cycle < self.plan.rounds
        record = {
            "id": _b36(cycle),
            "cycleId": cycle,
            "isFinished": finished,
            "endedAtBlock": stages.ended if finished else None,
            "endedAtTime": block_time(stages.ended) if finished else None,
            "endedAtNetwork": self.qn_network if finished else None,
            "electedCouncilId": _b36(cycle),
            "nextElectedCouncilId": _b36(cycle + 1) if finished else None,
            "referendumStageVoting": {
                "startedAtBlock": str(stages.voting),
                "endsAt": stages.revealing,
                "winningTargetCount": str(self.plan.seats),
            },
            "referendumStageRevealing": {
                "startedAtBlock": str(stages.revealing),
                "endsAt": stages.ended,
            },
            "createdAt": block_time(stages.start),
        }
        if finished or self.stage == "revealing":
            return record
        if self.stage == "voting":
            return {**record, "referendumStageRevealing": None}
        record |= {"referendumStageVoting": None, "referendumStageRevealing": None}
        if self.stage == "failed":
            # As Joystream's mappings record a failed round: finished, no end block, and the
            # ruling council as its next one.
            record |= {"isFinished": True, "nextElectedCouncilId": _b36(cycle)}
        return record

    def runners(self, cycle: int) -> list[int]:
        """Members who run in ``cycle``: active careers first, habit and incumbency weighted."""
        count = self.plan.candidate_counts[cycle - 1]
        rng = self.rng
        keys = []
        for index, member in enumerate(self.plan.members):
            if member.entry <= cycle <= member.exit:
                boost = INCUMBENT_RUN_BOOST if index in self.incumbents else 1.0
                keys.append(math.log(1.0 - rng.random()) / (member.habit * boost))
            else:
                keys.append(-1e9 - max(member.entry - cycle, cycle - member.exit))
        chosen = heapq.nlargest(count, range(len(keys)), key=keys.__getitem__)
        rng.shuffle(chosen)
        return chosen

    def candidacies(self, cycle: int, runners: list[int], start: int) -> list[dict[str, Any]]:
        """One candidacy per runner, announced during the announcing stage from ``start``."""
        rng = self.rng
        withdrawing = set(rng.sample(range(len(runners)), self.plan.withdrawn_counts[cycle - 1]))
        window = ANNOUNCING_BLOCKS
        if cycle == self.plan.rounds and self.stage == "announcing":
            window = self.now_block - start  # announced so far
        blocks = sorted(start + rng.randrange(window) for _ in runners)
        finished = cycle < self.plan.rounds or self.stage == "failed"
        candidates = []
        for position, (member_index, block) in enumerate(zip(runners, blocks, strict=True)):
            member = self.plan.members[member_index]
            stake_joy = member.stake_joy * (1 if rng.random() < 0.7 else rng.uniform(1, 1.5))
            status = "FAILED" if finished else "ACTIVE"
            if position in withdrawing:
                status = "WITHDRAWN"
            candidates.append(
                {
                    "id": _b36(self.next_candidate),
                    "electionRoundId": _b36(cycle),
                    "member": member.as_qn(),
                    "stake": str(_hapi(rng, stake_joy)),
                    "votePower": "0",
                    "status": status,
                    "stakingAccountId": member.staking_account,
                    "rewardAccountId": member.root_account,
                    "noteMetadata": self.note(),
                    "createdAt": block_time(block),
                }
            )
            self.next_candidate += 1
        return candidates

    def note(self) -> dict[str, Any]:
        rng = self.rng
        if rng.random() < 0.25:
            return {"header": None, "bulletPoints": []}
        return {
            "header": rng.choice(_HEADERS),
            "bulletPoints": rng.sample(_BULLETS, rng.randrange(0, 5)),
        }

    def votes(
        self,
        cycle: int,
        candidates: list[dict[str, Any]],
        runners: list[int],
        standing: list[int],
        voting: int,
    ) -> tuple[list[dict[str, Any]], list[int]]:
        """The round's cast votes, and each candidate's vote power from the revealed ones."""
        rng = self.rng
        round_id = _b36(cycle)
        powers = [0] * len(candidates)
        count = self.plan.vote_counts[cycle - 1]
        voters = self.plan.voters
        chosen = _weighted_sample(rng, [v.habit for v in voters], count)
        rng.shuffle(chosen)
        window = VOTING_BLOCKS
        if cycle == self.plan.rounds and self.stage == "voting":
            window = self.now_block - voting  # cast so far
        blocks = sorted(voting + rng.randrange(window) for _ in range(count))
        low, high = UNREVEALED_RATE if cycle < self.plan.rounds else LAST_ROUND_UNREVEALED_RATE
        unrevealed = rng.uniform(low, high)
        if cycle == self.plan.rounds and self.stage == "voting":
            unrevealed = 1.0  # nothing is revealed before the revealing stage
        targets = self.targets(runners, standing, count)
        candidate_ids = [c["id"] for c in candidates]
        random_, gauss, getrandbits = rng.random, rng.gauss, rng.getrandbits
        votes = []
        for voter_index, block, target in zip(chosen, blocks, targets, strict=True):
            voter = voters[voter_index]
            joy = max(MIN_VOTING_STAKE_JOY, voter.stake_joy * math.exp(gauss(0, 0.25)))
            stake = _hapi(rng, joy)
            revealed = target is not None and random_() >= unrevealed
            if revealed:
                powers[target] += stake
            stake_text = str(stake)
            votes.append(
                {
                    "id": _b36(self.next_vote),
                    "electionRoundId": round_id,
                    "castBy": voter.account,
                    "stake": stake_text,
                    "votePower": stake_text,
                    "voteForId": candidate_ids[target] if revealed else None,
                    "commitment": f"0x{getrandbits(256):064x}",
                    "createdAt": block_time(block),
                }
            )
            self.next_vote += 1
        return votes, powers

    def targets(self, runners: list[int], standing: list[int], count: int) -> list[int | None]:
        """The candidate (index in the round) each vote goes to, by popularity."""
        if not standing:
            return [None] * count
        members = self.plan.members
        weights = []
        for i in standing:
            boost = INCUMBENT_VOTE_BOOST if runners[i] in self.incumbents else 1.0
            weights.append(members[runners[i]].popularity * boost * self.rng.lognormvariate(0, 0.5))
        return self.rng.choices(standing, weights=weights, k=count)

    def elect(
        self, candidates: list[dict[str, Any]], standing: list[int], powers: list[int]
    ) -> list[int]:
        """Mark the top ``seats`` by vote power ELECTED (earlier candidacy wins a tie)."""
        ranked = sorted(standing, key=lambda i: (-powers[i], i))
        elected = ranked[: self.plan.seats]
        for i in elected:
            candidates[i]["status"] = "ELECTED"
        return sorted(elected, key=lambda i: -powers[i])

    def shortfall(self, council: dict[str, Any]) -> tuple[int, int]:
        """(unpaid reward, payments short) of a council's members at the end of its term:
        sometimes the budget runs dry for a few days (never for the council in office)."""
        due = self.reward_per_block * REWARD_PERIOD_BLOCKS
        if council["endedAtBlock"] and self.rng.random() < BUDGET_SHORTFALL_RATE:
            short = self.rng.randint(1, 5)
            return int(due * short * self.rng.uniform(0.1, 0.6)), short
        return 0, 0

    def seat(
        self, council: dict[str, Any], members: list[int], candidates: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Council member records for the newly elected (rewards filled in by the payments)."""
        stakes = {c["member"]["id"]: c["stake"] for c in candidates}
        records = []
        for member_index in members:
            member = self.plan.members[member_index]
            records.append(
                {
                    "id": _b36(self.next_council_member),
                    "electedInCouncilId": council["id"],
                    "member": member.as_qn(),
                    "stake": stakes[member.id],
                    "accumulatedReward": "0",
                    "unpaidReward": "0",
                    "lastPaymentBlock": str(council["electedAtBlock"]),
                    "createdAt": council["createdAt"],
                }
            )
            self.next_council_member += 1
        return records

    def update_reward(self) -> bool:
        """Sometimes change the councillor reward; True if so. The change is proposed and
        executed during the term of the council just seated (see ``_Governance.open_term``)
        and holds for the councils after it."""
        if self.rng.random() < REWARD_CHANGE_RATE:
            self.reward_per_block = int(
                self.reward_per_block * self.rng.choice((0.5, 0.75, 1.25, 1.5))
            )
            return True
        return False


def _check_sizes(
    rounds: int, candidates: int, votes: int, seats: int, proposals_per_term: int = 0
) -> None:
    if rounds < 1 or seats < 1:
        raise ValueError("rounds and seats must be at least 1")
    if candidates < 0 or votes < 0 or proposals_per_term < 0:
        raise ValueError("candidates, votes and proposals per term cannot be negative")


def iter_round_batches(
    rounds: int,
    candidates: int,
    votes: int,
    seats: int = 3,
    seed: int = 0,
    network_prefix: int = JOYSTREAM_SS58_PREFIX,
    qn_network: str = QN_NETWORK,
    proposals_per_term: int = PROPOSALS_PER_TERM,
    stage: str = "revealing",
) -> Iterator[RoundBatch]:
    """The records of :func:`generate_records`, one election round at a time, oldest first.

    The first batch also carries the genesis council; each finished round's batch carries the
    council it elected and that council's members; every batch carries the proposals, votes
    and budget events of the term the round ran in (``RoundBatch.events``). With ``stage``
    ``failed`` a last batch carries the round opened after the failed one.
    """
    _check_sizes(rounds, candidates, votes, seats, proposals_per_term)
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}: one of {', '.join(STAGES)}")
    rng = random.Random(seed)
    plan = _plan(rng, rounds, candidates, votes, seats, network_prefix)
    if stage in ("idle", "failed"):
        # Idle: nobody has announced yet. Failed: fewer stood than there are seats. (Changed
        # after planning, so that the earlier rounds are those of the default.)
        count = 0 if stage == "idle" else min(plan.candidate_counts[-1], seats - 1)
        plan.candidate_counts[-1] = count
        plan.withdrawn_counts[-1] = min(plan.withdrawn_counts[-1], count)
    chain = _Chain(rng, plan, qn_network, seed, network_prefix, proposals_per_term, stage)
    return chain.batches()


def failure_event(block: int, qn_network: str = QN_NETWORK) -> dict[str, Any]:
    """A ``notEnoughCandidatesEvents`` record: announcing ended at ``block`` with too few
    candidates and began again (the stage ``failed``)."""
    return {
        "id": f"{qn_network}-{block}-0",
        "createdAt": block_time(block),
        "inBlock": block,
        "indexInBlock": 0,
    }


def _keep(records: QNRecords, batch: RoundBatch, with_votes: bool = True) -> None:
    """Add ``batch`` to ``records``; without ``with_votes``, leave out the cast votes and the
    proposal and budget event lists (the ones that grow with time). A failed attempt's event
    adds the list ``notEnoughCandidatesEvents`` (only the stage ``failed`` has it)."""
    if batch.failures:
        records.setdefault("notEnoughCandidatesEvents", []).extend(batch.failures)
    records["electedCouncils"].extend(batch.councils)
    records["electionRounds"].append(batch.election_round)
    records["candidates"].extend(batch.candidates)
    records["councilMembers"].extend(batch.council_members)
    records["councilStageUpdates"].extend(batch.stage_updates)
    if with_votes:
        records["castVotes"].extend(batch.cast_votes)
        for name in EVENT_FIELDS:
            records[name].extend(batch.events.get(name, ()))


def _empty_records() -> QNRecords:
    return {name: [] for name in LIST_FIELDS}


def generate_records(
    rounds: int,
    candidates: int,
    votes: int,
    seats: int = 3,
    seed: int = 0,
    network_prefix: int = JOYSTREAM_SS58_PREFIX,
    qn_network: str = QN_NETWORK,
    proposals_per_term: int = PROPOSALS_PER_TERM,
    stage: str = "revealing",
) -> QNRecords:
    """Query node records of a synthetic council history, deterministic for ``seed``.

    Returns ``electedCouncils`` (``rounds``: the genesis council and one per finished round),
    ``electionRounds`` (cycles 1..``rounds``, the last unfinished), exactly ``candidates``
    candidacies and ``votes`` cast votes, and ``councilMembers`` (the elected of each finished
    round); and the council's business: ``proposals`` (``proposals_per_term`` x
    (``rounds`` - 1) of them, in the terms of the elected councils, plus one per change of the
    councillor reward or of the budget increment), the councillors' ``proposalVotedEvents``,
    and daily ``budgetRefillEvents`` and ``rewardPaymentEvents``, and
    ``councilorRewardUpdatedEvents``; and ``councilStageUpdates`` (idle from each council's
    election, announcing and election in each round). Each list is in ``createdAt`` order and
    shaped as the
    fetch module's queries select. ``network_prefix`` is the SS58 prefix of the accounts (126:
    Joystream, 42: generic Substrate); ``qn_network`` the query node's Network enum value for
    the events. The elections do not depend on ``proposals_per_term``.

    ``stage`` is the last round's (one of :data:`STAGES`); the rounds before it are the same
    whatever it is. ``revealing`` (the default): part of its votes revealed. ``voting``: no
    revealing stage yet, every vote sealed, cast before the current block. ``announcing``: no
    referendum yet, candidacies announced so far, no votes (its planned votes are not cast).
    ``idle``: the council elected by the round before has just taken office and the last
    round is open with nobody standing and no votes. ``failed``: fewer candidates stood than
    there are seats, so at the end of announcing the round finished electing nobody (no end
    block, the ruling council as its next one, as the query node records it) and round
    ``rounds`` + 1 opened under the same council, announcing again (its
    ``notEnoughCandidatesEvents`` holds that restart: the one list only this stage has).
    Where candidacies or votes are left out, there are fewer than ``candidates`` / ``votes``.
    """
    records = _empty_records()
    for batch in iter_round_batches(
        rounds,
        candidates,
        votes,
        seats,
        seed,
        network_prefix,
        qn_network,
        proposals_per_term,
        stage,
    ):
        _keep(records, batch)
    return records


def write_records_json(
    path: Path,
    rounds: int,
    candidates: int,
    votes: int,
    seats: int = 3,
    seed: int = 0,
    proposals_per_term: int = PROPOSALS_PER_TERM,
    stage: str = "revealing",
) -> dict[str, int]:
    """Write :func:`generate_records` as one JSON object of lists; records per list field.

    The votes are streamed to the file round by round, so memory stays small at any size;
    the other lists (a few dozen records per round) are kept and written at the end.
    """
    encode = json.JSONEncoder(separators=(",", ":")).encode
    kept = _empty_records()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    batches = iter_round_batches(
        rounds, candidates, votes, seats, seed, proposals_per_term=proposals_per_term, stage=stage
    )
    cast = 0
    with path.open("w") as out:
        out.write('{"castVotes":[')
        separator = ""
        for batch in batches:
            _keep(kept, batch, with_votes=False)
            for name in EVENT_FIELDS:
                kept[name].extend(batch.events.get(name, ()))
            if batch.cast_votes:
                out.write(separator + ",".join(map(encode, batch.cast_votes)))
                separator = ","
                cast += len(batch.cast_votes)
        out.write("]")
        for name, records in kept.items():
            if name != "castVotes":
                out.write(f',"{name}":{encode(records)}')
        out.write("}\n")
    return {**{name: len(records) for name, records in kept.items()}, "castVotes": cast}


# The cache tables filled round by round, from the cast votes and the event lists (members:
# the voters on proposals, councillors whose rows the final conversion writes again).
_STREAMED = (
    "members",
    "votes",
    "proposals",
    "funding_destinations",
    "proposal_votes",
    "budget_refills",
    "reward_payments",
    "councilor_reward_updates",
    "council_budget_funded",
    "council_budget_decreased",
    "budget_increment_updates",
    "wg_budget_proposals",
)
_INSERT_ROWS = 20_000  # streamed rows buffered before an insert (one upsert per table)


def write_synthetic_cache(
    db_path: Path,
    rounds: int,
    candidates: int,
    votes: int,
    seats: int = 3,
    seed: int = 0,
    network: str = "mainnet",
    proposals_per_term: int = PROPOSALS_PER_TERM,
    stage: str = "revealing",
) -> dict[str, int]:
    """Atomically replace the cache at ``db_path`` with generated data; rows per table.

    Goes through ``records_to_rows`` like a real refresh. Votes, proposals and budget events
    are converted round by round and inserted some ten thousand rows at a time; the other
    lists (a few per round) are converted together at the end.
    """
    kept = _empty_records()
    buffered: dict[str, list[dict[str, Any]]] = {table: [] for table in _STREAMED}
    fetched = dict.fromkeys(LIST_FIELDS, 0)
    batches = iter_round_batches(
        rounds, candidates, votes, seats, seed, proposals_per_term=proposals_per_term, stage=stage
    )
    with store.atomic_cache(Path(db_path)) as db:
        for batch in batches:
            _keep(kept, batch, with_votes=False)
            chunk = {
                "electionRounds": [batch.election_round],
                "castVotes": batch.cast_votes,
                **batch.events,
            }
            for name in ("castVotes", *EVENT_FIELDS):
                fetched[name] += len(chunk.get(name, ()))
            rows = records_to_rows(chunk, network)
            for table in _STREAMED:
                buffered[table] += rows[table]
            if sum(map(len, buffered.values())) >= _INSERT_ROWS:
                store.insert_rows(db, {table: part for table, part in buffered.items() if part})
                buffered = {table: [] for table in _STREAMED}
        store.insert_rows(db, {table: part for table, part in buffered.items() if part})
        rows = records_to_rows(kept, network)
        store.insert_rows(db, {table: part for table, part in rows.items() if part})
        counts = {name: db.table(name).count for name in store.TABLES}
        fetched |= {name: len(records) for name, records in kept.items() if records}
        store.write_meta(
            db,
            {
                "schema_version": store.SCHEMA_VERSION,
                "source": f"synthetic (seed {seed})",
                "refreshed_at": store.utc_now_iso(),
                "networks": network,
                "fetched_rows": json.dumps(fetched, sort_keys=True),
            },
        )
    return counts


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- Working groups ---------------------------------------------------------------------------

# Working-group sizes: mainnet's is about 20 workers and 2,000 rewards; 100x as below.
WG_MAINNET = {"workers": 20, "rewards": 2_000}
WG_100X = {"workers": 2_000, "rewards": 200_000}


def working_group_records(
    last_block: int, workers: int = 20, rewards: int = 2_000, seed: int = 0
) -> QNRecords:
    """Working-group query node records for blocks ``1..last_block`` on this chain's terms
    (the nine mainnet groups; ``council.working_groups.synthetic``): about ``workers``
    workers and ``rewards`` reward payments."""
    from council.working_groups import synthetic as wg_synthetic

    return wg_synthetic.generate(last_block, TERM_BLOCKS, workers, rewards, seed, block_time)


def add_working_groups(
    path: Path, network: str = "mainnet", workers: int = 20, rewards: int = 2_000, seed: int = 0
) -> dict[str, int]:
    """Add generated working-group data to the synthetic cache at ``path`` (up to its newest
    budget refill block, the chain's current block); returns rows written per table."""
    refills = store.read_rows(path, "budget_refills", "network = ?", [network])
    last = max((r["block"] for r in refills), default=TERM_BLOCKS)
    records = working_group_records(last, workers, rewards, seed)
    rows = records_to_rows(records, network)
    with store.atomic_update(path) as db:
        store.insert_rows(db, rows)
    return {table: len(r) for table, r in rows.items() if r}


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m council.synthetic",
        description="Generate a synthetic council history (a cache, or query node JSON).",
    )
    parser.add_argument("--db", type=Path, help="write a cache here")
    parser.add_argument("--json", type=Path, help="write the query node records here as JSON")
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--candidates", type=int, default=400)
    parser.add_argument("--votes", type=int, default=10_000)
    parser.add_argument("--seats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--proposals-per-term",
        type=int,
        default=PROPOSALS_PER_TERM,
        help="average proposals per council term (mainnet: roughly 10-20)",
    )
    parser.add_argument("--network", default="mainnet", help="network label of the cache rows")
    parser.add_argument(
        "--stage",
        choices=STAGES,
        default="revealing",
        help="the last round's stage (default: revealing, part of its votes revealed)",
    )
    parser.add_argument(
        "--wg-workers",
        type=int,
        default=0,
        help="add working groups with about this many workers (mainnet: 20; 100x: 2,000)",
    )
    parser.add_argument(
        "--wg-rewards",
        type=int,
        default=2_000,
        help="working-group reward payments with --wg-workers (mainnet: 2,000; 100x: 200,000)",
    )
    args = parser.parse_args(argv)
    if not args.db and not args.json:
        parser.error("give --db PATH, --json PATH or both")
    sizes = (args.rounds, args.candidates, args.votes, args.seats, args.seed)
    started = time.perf_counter()
    written = []
    try:
        if args.db:
            counts = write_synthetic_cache(
                args.db,
                *sizes,
                network=args.network,
                proposals_per_term=args.proposals_per_term,
                stage=args.stage,
            )
            written.append(f"{args.db} ({counts['members']:,} members)")
            if args.wg_workers:
                wg = add_working_groups(
                    args.db, args.network, args.wg_workers, args.wg_rewards, args.seed
                )
                written.append(f"{wg.get('workers', 0):,} working-group workers")
        if args.json:
            write_records_json(
                args.json, *sizes, proposals_per_term=args.proposals_per_term, stage=args.stage
            )
            written.append(str(args.json))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"synthetic seed {args.seed}: {args.rounds:,} rounds, {args.candidates:,} candidacies, "
        f"{args.votes:,} votes, {args.seats} seats, {args.proposals_per_term} proposals a term, "
        f"last round {args.stage} "
        f"-> {', '.join(written)} "
        f"in {time.perf_counter() - started:.1f} s, peak {_peak_mb():.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
