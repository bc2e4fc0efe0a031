"""The synthetic council generator: deterministic, exact sizes, consistent, query-node shaped."""

from __future__ import annotations

import itertools
import json
import re
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import sqlite_utils
from graphql import build_schema, graphql_sync
from qn_server import QueryNodeServer

from council import fetch, store
from council.fetch import ENTITIES
from council.queries import query_text
from council.schema_trim import TRIMMED_SCHEMA_PATH
from council.synthetic import (
    HAPI_PER_JOY,
    LIST_FIELDS,
    MIN_CANDIDATE_STAKE_JOY,
    MIN_VOTING_STAKE_JOY,
    block_time,
    generate_records,
    main,
    write_records_json,
    write_synthetic_cache,
)
from council.transform import records_to_rows

ROUNDS, CANDIDATES, VOTES, SEATS, SEED = 20, 200, 3_000, 3, 7
SIZES = (ROUNDS, CANDIDATES, VOTES, SEATS, SEED)
COUNCIL_TABLES = (
    "members",
    "election_rounds",
    "candidates",
    "votes",
    "councils",
    "council_members",
)
BIGINT_FIELDS = {
    "candidates": ("stake", "votePower"),
    "castVotes": ("stake", "votePower"),
    "councilMembers": ("stake", "accumulatedReward", "unpaidReward", "lastPaymentBlock"),
}
BASE58 = re.compile(r"[1-9A-HJ-NP-Za-km-z]+")


@pytest.fixture(scope="module")
def records() -> dict[str, list[dict]]:
    return generate_records(*SIZES)


def by_round(items: list[dict]) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for item in items:
        grouped[item["electionRoundId"]].append(item)
    return grouped


def assert_consistent(records: dict[str, list[dict]], seats: int) -> None:
    """Every invariant the dashboard's statistics rely on."""
    rounds = records["electionRounds"]
    assert [r["cycleId"] for r in rounds] == list(range(1, len(rounds) + 1))
    assert [r["isFinished"] for r in rounds] == [True] * (len(rounds) - 1) + [False]
    last = rounds[-1]
    assert last["endedAtBlock"] is None and last["endedAtTime"] is None
    assert last["nextElectedCouncilId"] is None
    candidates = {c["id"]: c for c in records["candidates"]}
    power: Counter[str] = Counter()
    for vote in records["castVotes"]:
        assert vote["votePower"] == vote["stake"]
        target = vote["voteForId"]
        if target is not None:
            assert candidates[target]["electionRoundId"] == vote["electionRoundId"]
            assert candidates[target]["status"] != "WITHDRAWN"
            power[target] += int(vote["votePower"])
    for candidate in candidates.values():
        assert int(candidate["votePower"]) == power[candidate["id"]], candidate["id"]
    grouped = by_round(records["candidates"])
    for election in rounds:
        entries = grouped.get(election["id"], [])
        statuses = Counter(c["status"] for c in entries)
        standing = [c for c in entries if c["status"] != "WITHDRAWN"]
        if election["isFinished"]:
            assert statuses["ACTIVE"] == 0
            assert statuses["ELECTED"] == min(seats, len(standing))
            elected = [int(c["votePower"]) for c in standing if c["status"] == "ELECTED"]
            failed = [int(c["votePower"]) for c in standing if c["status"] == "FAILED"]
            assert min(elected, default=0) >= max(failed, default=0)
        else:
            assert set(statuses) <= {"ACTIVE", "WITHDRAWN"}
        assert len({c["member"]["id"] for c in entries}) == len(entries), "one candidacy each"


def assert_seated(records: dict[str, list[dict]]) -> None:
    """Each finished round's council is made of its elected candidates, with their stakes."""
    councils = {c["id"]: c for c in records["electedCouncils"]}
    seated: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for seat in records["councilMembers"]:
        seated[seat["electedInCouncilId"]].add((seat["member"]["id"], seat["stake"]))
    grouped = by_round(records["candidates"])
    for election in records["electionRounds"]:
        assert election["electedCouncilId"] in councils
        if election["isFinished"]:
            elected = {
                (c["member"]["id"], c["stake"])
                for c in grouped.get(election["id"], [])
                if c["status"] == "ELECTED"
            }
            assert seated[election["nextElectedCouncilId"]] == elected
            council = councils[election["nextElectedCouncilId"]]
            assert council["electedAtBlock"] == election["endedAtBlock"]


def test_same_seed_same_records_other_seed_other_records(records) -> None:
    assert generate_records(*SIZES) == records
    assert generate_records(ROUNDS, CANDIDATES, VOTES, SEATS, SEED + 1) != records


def test_sizes_are_exact(records) -> None:
    counts = {name: len(items) for name, items in records.items()}
    assert counts == {
        "electedCouncils": ROUNDS,
        "electionRounds": ROUNDS,
        "candidates": CANDIDATES,
        "castVotes": VOTES,
        "councilMembers": SEATS * (ROUNDS - 1),
    }
    for items in records.values():
        assert len({item["id"] for item in items}) == len(items)


@pytest.mark.parametrize(
    ("rounds", "candidates", "votes", "seats"),
    [(1, 0, 0, 3), (1, 5, 40, 3), (4, 7, 50, 3), (6, 16, 0, 3), (3, 60, 900, 5), (8, 40, 5, 1)],
)
def test_odd_sizes_are_exact_and_consistent(rounds, candidates, votes, seats) -> None:
    records = generate_records(rounds, candidates, votes, seats, seed=3)
    assert len(records["electionRounds"]) == len(records["electedCouncils"]) == rounds
    assert len(records["candidates"]) == candidates
    assert len(records["castVotes"]) == votes
    assert_consistent(records, seats)
    assert_seated(records)


def test_bad_sizes_are_refused() -> None:
    with pytest.raises(ValueError):
        generate_records(0, 10, 10)
    with pytest.raises(ValueError):
        generate_records(3, -1, 10)


def test_invariants_hold(records) -> None:
    assert_consistent(records, SEATS)
    assert_seated(records)


def test_every_finished_round_fills_its_seats(records) -> None:
    grouped = by_round(records["candidates"])
    for election in records["electionRounds"][:-1]:
        statuses = Counter(c["status"] for c in grouped[election["id"]])
        assert statuses["ELECTED"] == SEATS


def test_some_votes_unrevealed_and_some_withdrawals(records) -> None:
    unrevealed = by_round([v for v in records["castVotes"] if v["voteForId"] is None])
    finished = sum(len(unrevealed.get(r["id"], [])) for r in records["electionRounds"][:-1])
    assert 0 < finished < 0.1 * VOTES
    assert unrevealed[records["electionRounds"][-1]["id"]], "the running round is mid-reveal"
    withdrawn = sum(c["status"] == "WITHDRAWN" for c in records["candidates"])
    assert 0 < withdrawn < 0.1 * CANDIDATES


def test_bigints_are_decimal_strings(records) -> None:
    values = [
        record[name]
        for entity, names in BIGINT_FIELDS.items()
        for record in records[entity]
        for name in names
    ]
    for election in records["electionRounds"]:
        voting, revealing = election["referendumStageVoting"], election["referendumStageRevealing"]
        assert voting["winningTargetCount"] == str(SEATS)
        values += [voting["startedAtBlock"], revealing["startedAtBlock"]]
    assert all(isinstance(v, str) and v.isdigit() and str(int(v)) == v for v in values)


def test_amounts_are_realistic(records) -> None:
    stakes = [int(c["stake"]) for c in records["candidates"]]
    assert min(stakes) >= MIN_CANDIDATE_STAKE_JOY * HAPI_PER_JOY
    assert sorted(stakes)[len(stakes) // 2] < 10 * MIN_CANDIDATE_STAKE_JOY * HAPI_PER_JOY
    votes = sorted(int(v["stake"]) for v in records["castVotes"])
    assert votes[0] >= MIN_VOTING_STAKE_JOY * HAPI_PER_JOY
    top_tenth = sum(votes[-len(votes) // 10 :])
    assert top_tenth > 0.5 * sum(votes), "a few large votes carry most of the stake"


def test_members_run_repeatedly_with_real_looking_handles(records) -> None:
    members = {c["member"]["id"]: c["member"] for c in records["candidates"]}
    assert len(members) < CANDIDATES / 4
    for member in members.values():
        assert re.fullmatch(r"[a-z0-9_]+", member["handle"]), member["handle"]
        assert member["id"].isdigit()
    accounts = [c["stakingAccountId"] for c in records["candidates"]]
    accounts += [v["castBy"] for v in records["castVotes"]]
    assert all(len(a) == 49 and a.startswith("j4") and BASE58.fullmatch(a) for a in accounts)
    generic = generate_records(2, 6, 10, network_prefix=42)
    assert all(len(v["castBy"]) == 48 for v in generic["castVotes"])
    per_round = by_round(records["castVotes"])
    for votes in per_round.values():
        assert len({v["castBy"] for v in votes}) == len(votes), "one vote per account per round"


def test_blocks_and_times_follow_mainnet_terms(records) -> None:
    assert block_time(0) == "2023-01-01T00:00:00.000Z"
    assert block_time(14_400) == "2023-01-02T00:00:00.000Z"
    councils = records["electedCouncils"]
    terms = [b["electedAtBlock"] - a["electedAtBlock"] for a, b in itertools.pairwise(councils)]
    assert set(terms) == {216_001}
    for council in councils:
        assert council["electedAtTime"] == block_time(council["electedAtBlock"])
        if council["endedAtBlock"] is not None:
            assert council["endedAtTime"] == block_time(council["endedAtBlock"])
    assert [c["isResigned"] for c in councils] == [True] * (ROUNDS - 1) + [False]
    for election in records["electionRounds"][:-1]:
        assert election["endedAtTime"] == block_time(election["endedAtBlock"])
        assert election["referendumStageRevealing"]["endsAt"] == election["endedAtBlock"]
    for name in LIST_FIELDS:
        created = [r["createdAt"] for r in records[name]]
        assert created == sorted(created), name


def test_votes_fall_in_their_voting_stage(records) -> None:
    rounds = {r["id"]: r for r in records["electionRounds"]}
    for vote in records["castVotes"][::50]:
        voting = rounds[vote["electionRoundId"]]["referendumStageVoting"]
        assert block_time(int(voting["startedAtBlock"])) <= vote["createdAt"]
        assert vote["createdAt"] < block_time(voting["endsAt"])


def test_records_answer_the_fetch_queries_exactly(records) -> None:
    """Served by graphql-core on the trimmed schema, the records come back unchanged."""
    schema = build_schema(TRIMMED_SCHEMA_PATH.read_text())
    for spec in ENTITIES:
        items = records.get(spec.list_field)
        if items is None:
            continue
        answer = graphql_sync(
            schema,
            query_text(spec.query_file),
            root_value={spec.list_field: lambda _info, items=items, **_args: items},
            variable_values={"offset": 0, "limit": len(items) + 1},
            operation_name=spec.page_operation,
        )
        assert answer.errors is None, answer.errors
        expected = [{k: v for k, v in item.items() if k != "createdAt"} for item in items]
        assert answer.data[spec.list_field] == expected


def test_records_to_rows_accepts_the_records(records) -> None:
    rows = records_to_rows(records, "mainnet")
    assert len(rows["election_rounds"]) == ROUNDS
    assert len(rows["candidates"]) == CANDIDATES
    assert len(rows["votes"]) == VOTES
    assert len(rows["councils"]) == ROUNDS
    assert len(rows["council_members"]) == SEATS * (ROUNDS - 1)
    assert {r["seats"] for r in rows["election_rounds"]} == {SEATS}
    assert [c["elected_in_cycle_id"] for c in rows["councils"]] == [None, *range(1, ROUNDS)]


def table_rows(path: Path) -> dict[str, list[tuple]]:
    db = sqlite_utils.Database(path)
    try:
        return {t: sorted(tuple(r.values()) for r in db[t].rows) for t in COUNCIL_TABLES}
    finally:
        db.close()


def test_write_synthetic_cache_matches_records_to_rows(records, tmp_path: Path) -> None:
    path = tmp_path / "council.db"
    counts = write_synthetic_cache(path, *SIZES, network="synthnet")
    expected = records_to_rows(records, "synthnet")
    assert counts == {table: len(rows) for table, rows in expected.items()}
    with sqlite3.connect(path) as conn:
        for table in store.TABLES:
            assert conn.execute(f"select count(*) from {table}").fetchone()[0] == counts[table]
    meta = store.read_meta(path)
    assert meta["source"] == f"synthetic (seed {SEED})"
    assert meta["networks"] == "synthnet"
    assert meta["schema_version"] == str(store.SCHEMA_VERSION)


def test_a_fetch_from_a_query_node_serving_the_records_builds_the_same_cache(
    records, tmp_path: Path
) -> None:
    fetched, written = tmp_path / "fetched.db", tmp_path / "written.db"
    with QueryNodeServer(records) as server:
        fetch.refresh(server.url, fetched, page_size=1000, timeout=5, retries=0, backoff=0)
    write_synthetic_cache(written, *SIZES)
    assert table_rows(fetched) == table_rows(written)


def test_json_and_cli(records, tmp_path: Path, capsys) -> None:
    assert write_records_json(tmp_path / "qn.json", *SIZES)["castVotes"] == VOTES
    assert json.loads((tmp_path / "qn.json").read_text()) == records
    args = ["--db", str(tmp_path / "cli.db"), "--json", str(tmp_path / "cli.json")]
    sizes = ["--rounds", "5", "--candidates", "30", "--votes", "200", "--seed", "2"]
    assert main(args + sizes) == 0
    out = capsys.readouterr().out.strip()
    assert len(out.splitlines()) == 1 and "5 rounds" in out and "200 votes" in out
    assert json.loads((tmp_path / "cli.json").read_text()) == generate_records(5, 30, 200, seed=2)
    assert store.read_meta(tmp_path / "cli.db")["source"] == "synthetic (seed 2)"
