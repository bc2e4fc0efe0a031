"""Every fault of the query node leaves the dashboard whole.

A matrix of faults (tests/qn_server.py ``inject`` kinds, plus an endpoint on a closed port) x
where they strike: the first request (the probe) or the middle of paging (a castVotes page
with rows before and after it). Transient faults are retried and the refresh succeeds;
without retries, and for every fault that makes the answer unusable, the refresh fails with a
one-line FetchError naming the problem, the cache file stays byte-for-byte as it was, no
temporary file is left beside it and the failure is recorded in the status file.

Requests of a full refresh, in order: the probe, one request with every list's count and first
page, then per entity of ``fetch.ENTITIES`` its further pages: ``n // page + 1`` pages in all
(the last page is the first one shorter than the limit).
"""

from __future__ import annotations

import hashlib
import math
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from qn_server import ANSWER_FAULTS, FAULT_KINDS, SMALL_FIXTURE, QueryNodeServer, load_records

from council import data, fetch, refresh_state, store

FIXTURE = load_records(SMALL_FIXTURE)
PAGE = 10
MIDDLE_OFFSET = 10  # castVotes rows 10-19 of 30: pages before and after it
RETRIED = {"retries": 2, "backoff": 0}
NO_RETRY = {"retries": 0, "backoff": 0}
OLD_ROUNDS = [
    {"network": "sumer", "cycle_id": 7, "is_finished": 1, "losers_recorded": 0},
    {"network": "mainnet", "cycle_id": 999, "is_finished": 1},
]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.tmp")) + sorted(folder.glob(".*.tmp"))


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/graphql"


def planned_requests(page: int) -> list[tuple[str, int | None]]:
    """(operationName, offset) of every request of a full refresh, from the fixture sizes."""
    plan: list[tuple[str, int | None]] = [("Probe", None), (fetch.FIRST_PAGES, None)]
    for spec in fetch.ENTITIES:
        rows = len(FIXTURE.get(spec.list_field, []))
        pages = math.ceil((rows + 1) / page)
        plan.extend((spec.page_operation, n * page) for n in range(1, pages))
    return plan


PLAN = planned_requests(PAGE)
# The number of the request for the castVotes page at MIDDLE_OFFSET (numbers start at 1). The
# cells that succeed check that the refresh made exactly PLAN's requests, in order.
MIDDLE = PLAN.index(("CastVotesPage", MIDDLE_OFFSET)) + 1


def sent(server: QueryNodeServer) -> list[tuple[str, int | None]]:
    """(operationName, offset) of every request the server received."""
    return [(r.operation_name, (r.variables or {}).get("offset")) for r in server.requests]


def test_the_middle_request_has_pages_before_and_after_it() -> None:
    assert MIDDLE_OFFSET - PAGE == 0, "the page before it came in the first-pages request"
    assert PLAN[MIDDLE - 2][0] in (fetch.FIRST_PAGES, "CandidatesPage")
    assert PLAN[MIDDLE] == ("CastVotesPage", MIDDLE_OFFSET + PAGE)
    assert len(FIXTURE["castVotes"]) >= MIDDLE_OFFSET + 2 * PAGE


@pytest.fixture
def old_cache(tmp_path: Path) -> Path:
    """The dashboard's current cache: a snapshot row and a stale mainnet row."""
    path = tmp_path / "cache" / "council.db"
    store.write_cache(path, {"election_rounds": OLD_ROUNDS}, {"source": "bundled snapshot"})
    return path


@pytest.fixture
def server() -> Iterator[QueryNodeServer]:
    with QueryNodeServer(FIXTURE) as qn:
        yield qn


@dataclass(frozen=True)
class Case:
    """One cell of the matrix: a fault, where it strikes, the retries and the outcome."""

    kind: str
    # "first" (the probe), "batch" (every list's count and first page, request 2) or "middle"
    # (the castVotes page at MIDDLE_OFFSET)
    position: str
    retries: int
    fails_with: tuple[str, ...] = ()  # words of the FetchError; () when the refresh succeeds
    options: dict[str, Any] = field(default_factory=dict)
    timeout: float = 5
    marks: tuple[Any, ...] = ()
    # Bad values are found when the rows are converted, after the last page: no early stop.
    stops_at_fault: bool = True

    @property
    def id(self) -> str:
        outcome = "fails" if self.fails_with else "succeeds"
        extra = "".join(f"-{v}" for v in self.options.values() if isinstance(v, str))
        return f"{self.kind}{extra}-{self.position}-retries{self.retries}-{outcome}"


TRANSIENT_HTTP = ("http_500", "http_502", "http_503")
# Kinds beyond the list, run in the middle of paging only (keeps the file fast).
MIDDLE_ONLY = frozenset({"http_504", "connection_drop"})


def _cases() -> list[Case]:
    cases: list[Case] = []
    for position in ("first", "middle"):
        for kind in TRANSIENT_HTTP:
            cases.append(Case(kind, position, 2))
            cases.append(Case(kind, position, 0, ("HTTP error", kind.removeprefix("http_"))))
        cases.append(Case("http_429", position, 2, options={"retry_after": 1}))
        cases.append(Case("http_429", position, 0, ("HTTP error", "429"), {"retry_after": 1}))
        timeout = {"delay": 3}
        cases.append(Case("timeout", position, 1, options=timeout, timeout=1))
        cases.append(
            Case("timeout", position, 0, ("cannot reach", "timed out"), timeout, timeout=1)
        )
        cases.append(Case("data_null", position, 0, ("no data",)))
    cases += [
        Case("http_504", "middle", 2),
        Case("http_504", "middle", 0, ("HTTP error", "504")),
        Case("connection_drop", "middle", 2),
        Case("connection_drop", "middle", 0, ("cannot reach", "Connection aborted")),
        Case("refused", "first", 0, ("cannot reach the query node",)),
        Case("refused", "first", 2, ("cannot reach the query node",)),
        Case("non_json", "first", 0, ("this endpoint is not a Joystream query node",)),
        Case("non_json", "middle", 0, ("not a GraphQL answer",)),
        Case(
            "graphql_errors",
            "first",
            0,
            ("this endpoint is not a Joystream query node", "returned errors", "injected error"),
        ),
        Case("graphql_errors", "middle", 0, ("returned errors", "injected error")),
        Case(
            "repeat_rows",
            "middle",
            0,
            (  # the page at offset - limit came back: its first row is seen again
                f"castVotes: the page at offset {MIDDLE_OFFSET} repeats row "
                f"{FIXTURE['castVotes'][MIDDLE_OFFSET - PAGE]['id']}",
            ),
        ),
        Case(
            "short_page",
            "middle",
            0,
            (
                f"castVotes: the node reported {len(FIXTURE['castVotes'])} rows but paging "
                f"ended after {MIDDLE_OFFSET + PAGE - 2}",
            ),
            {"rows": 2},
        ),
        Case(
            "missing_field",
            "middle",
            0,
            ("is missing", "stake"),
            {"field": "stake"},
            stops_at_fault=False,
        ),
        Case("missing_field", "middle", 0, ("without an id",), {"field": "id"}),
        Case(
            "bad_bigint",
            "middle",
            0,
            ("is not a number", "12abc"),
            {"field": "stake"},
            stops_at_fault=False,
        ),
        Case(
            "bad_bigint",
            "middle",
            0,
            ("is not a number", "12abc"),
            {"field": "votePower"},
            stops_at_fault=False,
        ),
        # The probe's rows are not stored and it only checks that a list came back: answer
        # faults there (a short or repeating list, a missing cycleId) do no harm.
        Case("repeat_rows", "first", 0),
        Case("short_page", "first", 0),
        Case("missing_field", "first", 0, options={"field": "cycleId"}),
        Case("bad_bigint", "first", 0),
        # The batched request: one fault there touches every list's count and first page.
        Case("http_500", "batch", 2),
        Case("http_500", "batch", 0, ("FirstPages: HTTP error", "500")),
        Case("graphql_errors", "batch", 0, ("FirstPages: the query node returned errors",)),
        Case("data_null", "batch", 0, ("FirstPages: the query node returned no data",)),
        Case(
            "repeat_rows",
            "batch",
            0,
            (
                "electedCouncils: the page at offset 0 repeats row "
                f"{FIXTURE['electedCouncils'][0]['id']}",
            ),
        ),
        Case(
            "short_page",
            "batch",
            0,
            ("electedCouncils: the node reported 3 rows but paging ended after 2",),
        ),
    ]
    return cases


CASES = _cases()


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_fault(case: Case, server: QueryNodeServer, old_cache: Path) -> None:
    at = {"first": 1, "batch": 2}.get(case.position, MIDDLE)
    endpoint = server.url
    if case.kind == "refused":
        endpoint = closed_port_url()
    else:
        server.inject(at_request=at, kind=case.kind, **case.options)
    before = digest(old_cache)
    old_rounds = len(data.load(old_cache).rounds)

    def run() -> fetch.FetchStats:
        return fetch.refresh(
            endpoint,
            old_cache,
            page_size=PAGE,
            timeout=case.timeout,
            retries=case.retries,
            backoff=0,
        )

    if case.fails_with:
        with pytest.raises(fetch.FetchError) as failure:
            run()
        message = str(failure.value)
        assert "\n" not in message, "one line"
        for words in case.fails_with:
            assert words in message, message
        if case.position == "middle":
            assert "castvote" in message.lower(), f"names the list: {message}"
        assert digest(old_cache) == before, "the cache is byte-for-byte as it was"
        assert len(data.load(old_cache).rounds) == old_rounds
        if case.kind != "refused" and case.stops_at_fault:
            assert len(server.requests) == at, "the refresh stops at the fault"
        assert refresh_state.read_status(old_cache)["last_error"] == message
    else:
        stats = run()
        fired = [r.number for r in server.requests if r.fault]
        assert fired == [at], "the fault fired once"
        if case.kind in ANSWER_FAULTS:  # an altered 200 answer is used, not retried
            assert sent(server) == PLAN
        else:
            assert sent(server) == [*PLAN[:at], PLAN[at - 1], *PLAN[at:]], "one retry"
        assert stats.rows["castVotes"] == len(FIXTURE["castVotes"])
        assert digest(old_cache) != before
        sizes = data.table_sizes(old_cache)
        assert sizes["votes"] == len(FIXTURE["castVotes"])
        assert sizes["candidates"] == len(FIXTURE["candidates"])
        rounds = data.load(old_cache).rounds
        assert sorted(rounds["cycle_id"]) == [1, 2, 3, 7], "the fetched rounds and the snapshot"
        assert store.read_meta(old_cache)["source"] == server.url
        assert refresh_state.read_status(old_cache)["last_error"] == ""
        if case.kind == "http_429":
            first, retry = server.requests[at - 1], server.requests[at]
            assert retry.operation_name == first.operation_name
            assert retry.received_at - first.received_at >= case.options["retry_after"], (
                "the retry waited for Retry-After"
            )
    assert temporaries(old_cache.parent) == [], "no temporary file is left behind"


def test_the_matrix_covers_every_fault_kind() -> None:
    assert {c.kind for c in CASES} == FAULT_KINDS | {"refused"}
    for kind in FAULT_KINDS - MIDDLE_ONLY:
        assert {c.position for c in CASES if c.kind == kind} >= {"first", "middle"}, kind
