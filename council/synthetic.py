"""Seeded, query-node-shaped council data of any size, for load tests, benchmarks and demos.

    python -m council.synthetic --db PATH [--rounds N --candidates N --votes N --seats 3 --seed 0]
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
still unrevealed. Amounts are HAPI (1 JOY = 10^10 HAPI) as decimal strings; ids are 8-character
base-36 counters per entity, as Hydra numbers them; accounts are SS58 addresses.
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
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

WITHDRAW_RATE = 0.03
UNREVEALED_RATE = (0.01, 0.06)
LAST_ROUND_UNREVEALED_RATE = (0.3, 0.6)
INCUMBENT_RUN_BOOST = 4.0
INCUMBENT_VOTE_BOOST = 1.6
REWARD_CHANGE_RATE = 0.04
BUDGET_SHORTFALL_RATE = 0.05

QNRecords = dict[str, list[dict[str, Any]]]
LIST_FIELDS = ("electedCouncils", "electionRounds", "candidates", "castVotes", "councilMembers")

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


class _Chain:
    """Plays the planned rounds in order, keeping the counters and the ruling council."""

    def __init__(self, rng: random.Random, plan: _Plan, qn_network: str) -> None:
        self.rng = rng
        self.plan = plan
        self.qn_network = qn_network
        self.next_candidate = 1
        self.next_vote = 1
        self.next_council_member = 1
        self.incumbents: set[int] = set()
        self.reward_per_block = COUNCILOR_REWARD_PER_BLOCK
        revealing = _Stages.of(plan.rounds).revealing
        self.now_block = revealing + int(rng.uniform(0.2, 0.8) * REVEALING_BLOCKS)

    def council_block(self, index: int) -> int:
        """The block council ``index`` was elected in (0: the genesis council)."""
        return GENESIS_COUNCIL_BLOCK + index * TERM_BLOCKS

    def council(self, index: int) -> dict[str, Any]:
        elected = self.council_block(index)
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

    def play(self, cycle: int) -> RoundBatch:
        """Run election ``cycle``: candidacies, votes and, when it is finished, the new council."""
        stages = _Stages.of(cycle)
        runners = self.runners(cycle)
        candidates = self.candidacies(cycle, runners, stages.start)
        standing = [i for i, c in enumerate(candidates) if c["status"] != "WITHDRAWN"]
        votes, powers = self.votes(cycle, candidates, runners, standing, stages.voting)
        for candidate, power in zip(candidates, powers, strict=True):
            candidate["votePower"] = str(power)
        batch = RoundBatch(self.round_record(cycle, stages), candidates, votes)
        if cycle == 1:
            batch.councils.append(self.council(0))
        if cycle < self.plan.rounds:
            elected = [runners[i] for i in self.elect(candidates, standing, powers)]
            council = self.council(cycle)
            batch.councils.append(council)
            batch.council_members = self.seat(council, elected, candidates)
            self.incumbents = set(elected)
            self.update_reward()
        return batch

    def round_record(self, cycle: int, stages: _Stages) -> dict[str, Any]:
        finished = cycle < self.plan.rounds
        return {
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
        blocks = sorted(start + rng.randrange(ANNOUNCING_BLOCKS) for _ in runners)
        finished = cycle < self.plan.rounds
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
        blocks = sorted(voting + rng.randrange(VOTING_BLOCKS) for _ in range(count))
        low, high = UNREVEALED_RATE if cycle < self.plan.rounds else LAST_ROUND_UNREVEALED_RATE
        unrevealed = rng.uniform(low, high)
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

    def seat(
        self, council: dict[str, Any], members: list[int], candidates: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Council member records for the newly elected, with the rewards of their term."""
        elected_at = council["electedAtBlock"]
        end = council["endedAtBlock"] or self.now_block
        payments = (end - elected_at) // REWARD_PERIOD_BLOCKS
        due = self.reward_per_block * REWARD_PERIOD_BLOCKS
        unpaid = 0
        if council["endedAtBlock"] and self.rng.random() < BUDGET_SHORTFALL_RATE:
            unpaid = int(due * self.rng.randint(1, 5) * self.rng.uniform(0.1, 0.6))
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
                    "accumulatedReward": str(due * payments - unpaid),
                    "unpaidReward": str(unpaid),
                    "lastPaymentBlock": str(elected_at + payments * REWARD_PERIOD_BLOCKS),
                    "createdAt": council["createdAt"],
                }
            )
            self.next_council_member += 1
        return records

    def update_reward(self) -> None:
        if self.rng.random() < REWARD_CHANGE_RATE:
            self.reward_per_block = int(
                self.reward_per_block * self.rng.choice((0.5, 0.75, 1.25, 1.5))
            )


def _check_sizes(rounds: int, candidates: int, votes: int, seats: int) -> None:
    if rounds < 1 or seats < 1:
        raise ValueError("rounds and seats must be at least 1")
    if candidates < 0 or votes < 0:
        raise ValueError("candidates and votes cannot be negative")


def iter_round_batches(
    rounds: int,
    candidates: int,
    votes: int,
    seats: int = 3,
    seed: int = 0,
    network_prefix: int = JOYSTREAM_SS58_PREFIX,
    qn_network: str = QN_NETWORK,
) -> Iterator[RoundBatch]:
    """The records of :func:`generate_records`, one election round at a time, oldest first.

    The first batch also carries the genesis council; each finished round's batch carries the
    council it elected and that council's members.
    """
    _check_sizes(rounds, candidates, votes, seats)
    rng = random.Random(seed)
    plan = _plan(rng, rounds, candidates, votes, seats, network_prefix)
    return _Chain(rng, plan, qn_network).batches()


def _keep(records: QNRecords, batch: RoundBatch, with_votes: bool = True) -> None:
    records["electedCouncils"].extend(batch.councils)
    records["electionRounds"].append(batch.election_round)
    records["candidates"].extend(batch.candidates)
    records["councilMembers"].extend(batch.council_members)
    if with_votes:
        records["castVotes"].extend(batch.cast_votes)


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
) -> QNRecords:
    """Query node records of a synthetic council history, deterministic for ``seed``.

    Returns ``electedCouncils`` (``rounds``: the genesis council and one per finished round),
    ``electionRounds`` (cycles 1..``rounds``, the last unfinished), exactly ``candidates``
    candidacies and ``votes`` cast votes, and ``councilMembers`` (the elected of each finished
    round), each list in ``createdAt`` order and shaped as the fetch module's queries select.
    ``network_prefix`` is the SS58 prefix of the accounts (126: Joystream, 42: generic
    Substrate); ``qn_network`` the query node's Network enum value for the events.
    """
    records = _empty_records()
    for batch in iter_round_batches(
        rounds, candidates, votes, seats, seed, network_prefix, qn_network
    ):
        _keep(records, batch)
    return records


def write_records_json(
    path: Path, rounds: int, candidates: int, votes: int, seats: int = 3, seed: int = 0
) -> dict[str, int]:
    """Write :func:`generate_records` as one JSON object of lists; records per list field.

    The votes are streamed to the file round by round, so memory stays small at any size.
    """
    encode = json.JSONEncoder(separators=(",", ":")).encode
    kept = _empty_records()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as out:
        out.write('{"castVotes":[')
        separator = ""
        for batch in iter_round_batches(rounds, candidates, votes, seats, seed):
            _keep(kept, batch, with_votes=False)
            if batch.cast_votes:
                out.write(separator + ",".join(map(encode, batch.cast_votes)))
                separator = ","
        out.write("]")
        for name, records in kept.items():
            if name != "castVotes":
                out.write(f',"{name}":{encode(records)}')
        out.write("}\n")
    return {**{name: len(records) for name, records in kept.items()}, "castVotes": votes}


def write_synthetic_cache(
    db_path: Path,
    rounds: int,
    candidates: int,
    votes: int,
    seats: int = 3,
    seed: int = 0,
    network: str = "mainnet",
) -> dict[str, int]:
    """Atomically replace the cache at ``db_path`` with generated data; rows per table.

    Goes through ``records_to_rows`` like a real refresh. Votes are converted and inserted
    round by round; the other lists (a few per round) are converted together at the end.
    """
    kept = _empty_records()
    with store.atomic_cache(Path(db_path)) as db:
        for batch in iter_round_batches(rounds, candidates, votes, seats, seed):
            _keep(kept, batch, with_votes=False)
            chunk = {"electionRounds": [batch.election_round], "castVotes": batch.cast_votes}
            store.insert_rows(db, {"votes": records_to_rows(chunk, network)["votes"]})
        rows = records_to_rows(kept, network)
        store.insert_rows(db, {table: part for table, part in rows.items() if part})
        counts = {name: db.table(name).count for name in store.TABLES}
        fetched = {**{name: len(records) for name, records in kept.items()}, "castVotes": votes}
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
    parser.add_argument("--network", default="mainnet", help="network label of the cache rows")
    args = parser.parse_args(argv)
    if not args.db and not args.json:
        parser.error("give --db PATH, --json PATH or both")
    sizes = (args.rounds, args.candidates, args.votes, args.seats, args.seed)
    started = time.perf_counter()
    written = []
    try:
        if args.db:
            counts = write_synthetic_cache(args.db, *sizes, network=args.network)
            written.append(f"{args.db} ({counts['members']:,} members)")
        if args.json:
            write_records_json(args.json, *sizes)
            written.append(str(args.json))
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(
        f"synthetic seed {args.seed}: {args.rounds:,} rounds, {args.candidates:,} candidacies, "
        f"{args.votes:,} votes, {args.seats} seats -> {', '.join(written)} "
        f"in {time.perf_counter() - started:.1f} s, peak {_peak_mb():.0f} MB"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
