"""Refresh the SQLite cache from a Joystream GraphQL query node.

    python -m council.fetch --endpoint URL [--db PATH]

This is the only code that speaks GraphQL. Every list is read whole with one generic pager
(offset/limit pages, checked against the node's ``totalCount``), every operation is validated
against the project's copy of the query node schema before it is sent, transient HTTP errors
are retried with backoff, and the cache is replaced atomically: a failed refresh leaves the
previous cache byte-for-byte as it was.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, NoReturn
from urllib.parse import urlsplit

import requests
import sqlite_utils
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import (
    TransportError,
    TransportProtocolError,
    TransportQueryError,
    TransportServerError,
)
from gql.transport.requests import RequestsHTTPTransport
from graphql import DocumentNode, GraphQLError, GraphQLSchema, build_schema

from council import batch, data, store
from council.archive import supersede as archive_supersede
from council.queries import query_text
from council.refresh_state import (
    CannotRefresh,
    RefreshBusy,
    check_target,
    last_success_age,
    parse_duration,
    record_attempt,
    refresh_lock,
)
from council.schema_trim import TRIMMED_SCHEMA_PATH
from council.transform import (
    Known,
    MalformedRecord,
    QNRecords,
    known_after,
    lookup_columns,
    records_to_rows,
)
from council.working_groups.records import WG_EVENT_LISTS

DEFAULT_ENDPOINT = "https://query.joystream.org/graphql"
DEFAULT_NETWORK = "mainnet"
DEFAULT_PAGE_SIZE = 1000

QNRecord = dict[str, Any]
ProgressCallback = Callable[[str, int, int], None]


class FetchError(Exception):
    """The endpoint failed or answered something unusable; the message is one line.

    ``http_status`` is the HTTP status of an error answer, when that is what failed;
    ``alias`` the part of a batched request a GraphQL error names (``council.batch``).
    """

    def __init__(
        self, message: str, http_status: int | None = None, alias: str | None = None
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.alias = alias


@dataclass(frozen=True)
class EntitySpec:
    """One query node list: its query file, operation names and root fields.

    ``fallback_page_operation``: a page operation without the fields a node may leave null
    although the schema says non-null; sent instead when the page operation fails that way.
    """

    query_file: str
    list_field: str
    page_operation: str
    count_operation: str
    fallback_page_operation: str | None = None

    @property
    def connection_field(self) -> str:
        """The ``...Connection`` root field that reports ``totalCount``."""
        return f"{self.list_field}Connection"


ENTITIES: tuple[EntitySpec, ...] = (
    EntitySpec(
        "elected_councils", "electedCouncils", "ElectedCouncilsPage", "ElectedCouncilsCount"
    ),
    EntitySpec("election_rounds", "electionRounds", "ElectionRoundsPage", "ElectionRoundsCount"),
    EntitySpec("candidates", "candidates", "CandidatesPage", "CandidatesCount"),
    EntitySpec("cast_votes", "castVotes", "CastVotesPage", "CastVotesCount"),
    EntitySpec("council_members", "councilMembers", "CouncilMembersPage", "CouncilMembersCount"),
    EntitySpec("proposals", "proposals", "ProposalsPage", "ProposalsCount"),
    EntitySpec("proposal_votes", "proposalVotedEvents", "ProposalVotesPage", "ProposalVotesCount"),
    EntitySpec("budget_refills", "budgetRefillEvents", "BudgetRefillsPage", "BudgetRefillsCount"),
    EntitySpec(
        "reward_payments", "rewardPaymentEvents", "RewardPaymentsPage", "RewardPaymentsCount"
    ),
    EntitySpec(
        "councilor_reward_updates",
        "councilorRewardUpdatedEvents",
        "CouncilorRewardUpdatesPage",
        "CouncilorRewardUpdatesCount",
    ),
    EntitySpec(
        "council_stage_updates",
        "councilStageUpdates",
        "CouncilStageUpdatesPage",
        "CouncilStageUpdatesCount",
        "CouncilStageUpdatesPageWithoutEndsAt",
    ),
    # Working groups (council/working_groups/): the groups and workers are read whole on every
    # refresh (they change in place); their events incrementally (see incremental_filters).
    EntitySpec("wg_groups", "workingGroups", "WorkingGroupsPage", "WorkingGroupsCount"),
    EntitySpec("wg_workers", "workers", "WorkersPage", "WorkersCount"),
    EntitySpec(
        "wg_opening_filled", "openingFilledEvents", "OpeningFilledPage", "OpeningFilledCount"
    ),
    EntitySpec(
        "wg_terminated_workers",
        "terminatedWorkerEvents",
        "TerminatedWorkersPage",
        "TerminatedWorkersCount",
    ),
    EntitySpec(
        "wg_terminated_leaders",
        "terminatedLeaderEvents",
        "TerminatedLeadersPage",
        "TerminatedLeadersCount",
    ),
    EntitySpec("wg_worker_exits", "workerExitedEvents", "WorkerExitsPage", "WorkerExitsCount"),
    EntitySpec(
        "wg_worker_leaving", "workerStartedLeavingEvents", "WorkerLeavingPage", "WorkerLeavingCount"
    ),
    EntitySpec("wg_leader_sets", "leaderSetEvents", "LeaderSetsPage", "LeaderSetsCount"),
    EntitySpec("wg_leader_unsets", "leaderUnsetEvents", "LeaderUnsetsPage", "LeaderUnsetsCount"),
    EntitySpec("wg_budget_sets", "budgetSetEvents", "BudgetSetsPage", "BudgetSetsCount"),
    EntitySpec(
        "wg_budget_updates", "budgetUpdatedEvents", "BudgetUpdatesPage", "BudgetUpdatesCount"
    ),
    EntitySpec(
        "wg_budget_spending", "budgetSpendingEvents", "BudgetSpendingPage", "BudgetSpendingCount"
    ),
    EntitySpec("wg_rewards_paid", "rewardPaidEvents", "RewardsPaidPage", "RewardsPaidCount"),
    EntitySpec("wg_stake_slashes", "stakeSlashedEvents", "StakeSlashesPage", "StakeSlashesCount"),
    EntitySpec(
        "wg_reward_updates",
        "workerRewardAmountUpdatedEvents",
        "WorkerRewardUpdatesPage",
        "WorkerRewardUpdatesCount",
    ),
    EntitySpec(
        "wg_missed_rewards",
        "newMissedRewardLevelReachedEvents",
        "MissedRewardLevelsPage",
        "MissedRewardLevelsCount",
    ),
    EntitySpec(
        "not_enough_candidates_events",
        "notEnoughCandidatesEvents",
        "NotEnoughCandidatesEventsPage",
        "NotEnoughCandidatesEventsCount",
    ),
    EntitySpec(
        "new_council_not_elected_events",
        "newCouncilNotElectedEvents",
        "NewCouncilNotElectedEventsPage",
        "NewCouncilNotElectedEventsCount",
    ),
    EntitySpec(
        "council_budget_funded",
        "councilBudgetFundedEvents",
        "CouncilBudgetFundedPage",
        "CouncilBudgetFundedCount",
    ),
    EntitySpec(
        "council_budget_decreased",
        "councilBudgetDecreasedEvents",
        "CouncilBudgetDecreasedPage",
        "CouncilBudgetDecreasedCount",
    ),
    EntitySpec(
        "budget_increment_updates",
        "budgetIncrementUpdatedEvents",
        "BudgetIncrementUpdatesPage",
        "BudgetIncrementUpdatesCount",
    ),
)


@dataclass
class FetchStats:
    """What a fetch did: rows and requests per entity."""

    rows: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)

    @property
    def total_requests(self) -> int:
        """All requests made, over every entity."""
        return sum(self.requests.values())


def make_client(
    endpoint: str, timeout: float = 30, retries: int = 4, backoff: float = 0.5
) -> Client:
    """A gql client that validates operations against the trimmed query node schema.

    HTTP 429/500/502/503/504, connection failures and read timeouts are retried up to
    ``retries`` times with exponential backoff (urllib3 honours ``Retry-After``).
    """
    transport = RequestsHTTPTransport(
        url=endpoint,
        timeout=timeout,
        retries=retries,
        retry_backoff_factor=backoff,
    )
    return _Client(transport=transport, schema=_trimmed_schema())


class _Client(Client):
    """A gql client that validates each operation document once per process, not on every
    request: validating costs tens of milliseconds, and a refresh sends the same few
    documents again and again (:func:`_document` keeps one object per query file)."""

    _valid: ClassVar[set[int]] = set()

    def validate(self, request: GraphQLRequest) -> None:
        key = id(request.document)
        if key not in self._valid:
            super().validate(request)
            self._valid.add(key)


@cache
def _trimmed_schema() -> GraphQLSchema:
    """The trimmed query node schema, built once per process (building it takes a while)."""
    return build_schema(TRIMMED_SCHEMA_PATH.read_text())


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _error_messages(error: TransportQueryError) -> str:
    """The ``message`` of each GraphQL error in the answer, on one line."""
    errors = error.errors if isinstance(error.errors, list) else []
    messages = [e["message"] for e in errors if isinstance(e, dict) and e.get("message")]
    return "; ".join(_one_line(Exception(m)) for m in messages) or _one_line(error)


# The innermost OS error urllib3 wraps ("... [Errno 111] Connection refused")...
_OS_ERROR = re.compile(r"\[Errno -?\d+\] ([^'\"()\]]+)")
# ... a read or connect timeout ("Read timed out. (read timeout=30)") ...
_TIMED_OUT = re.compile(r"(\w+ timed out)\.? \((\w+ timeout=[\d.]+)\)")
# ... and a connection closed without an answer ("('Connection aborted.', X('reason'))").
_ABORTED = re.compile(r"(Connection aborted)\.?'?, \w+\('([^']+)'")


def _unreachable(error: BaseException) -> str:
    """The reason a connection failed, without urllib3's layers of wrapping."""
    text = _one_line(error)
    for pattern, shape in ((_OS_ERROR, "{}"), (_TIMED_OUT, "{} ({})"), (_ABORTED, "{} ({})")):
        found = pattern.findall(text)
        if found:
            last = found[-1]
            return shape.format(*last) if isinstance(last, tuple) else last.strip()
    if "Connection aborted" in text:
        return "Connection aborted"
    return text


def _execute(
    client: Client, operation: str, query_file: str, variables: Mapping[str, Any]
) -> dict[str, Any]:
    """Run one named operation; turn every failure into a one-line FetchError."""
    return _run(client, _document(query_file), variables, operation)


def _run(
    client: Client,
    document: DocumentNode,
    variables: Mapping[str, Any],
    operation: str,
    parts: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Send ``document``'s ``operation`` (validated against the schema first); its data.

    ``parts`` (alias -> operation name) names, in an error, the part of a batched request a
    GraphQL error's path points at; the FetchError's ``alias`` is that alias.
    """
    request = GraphQLRequest(document, variable_values=dict(variables), operation_name=operation)
    http_status = None
    alias = None
    try:
        result = client.execute(request)
    except GraphQLError as error:
        reason = f"query does not match the schema: {_one_line(error)}"
    except TransportQueryError as error:
        errors = error.errors if isinstance(error.errors, list) else []
        aliases = [a for a in map(batch.alias_of_error, errors) if a in (parts or {})]
        if aliases:
            alias = aliases[0]
            operation = parts[alias] if parts else operation
        reason = f"the query node returned errors: {_error_messages(error)}"
    except TransportServerError as error:
        reason = f"HTTP error from the query node: {_one_line(error)}"
        http_status = error.code
    except TransportProtocolError as error:
        reason = f"not a GraphQL answer: {_one_line(error)}"
    except (TransportError, requests.RequestException, OSError) as error:
        where = urlsplit(getattr(client.transport, "url", "")).netloc
        reason = (
            f"cannot reach the query node{f' at {where}' if where else ''}: {_unreachable(error)}"
        )
    except AssertionError:
        # gql asserts that an answer without errors has data: a 200 {"data": null} lands here.
        reason = "the query node returned no data"
    else:
        reason = None
    if reason is not None:
        raise FetchError(f"{operation}: {reason}", http_status, alias)
    if not isinstance(result, dict):
        raise FetchError(f"{operation}: the query node returned no data")
    return result


@cache
def _document(query_file: str) -> Any:
    """The parsed operations of one query file (one object per file: see ``_Client``)."""
    return gql(query_text(query_file)).document


# graphql-js's error for a null in a non-null field (the node's data breaks its own schema).
NULL_IN_NON_NULL = "Cannot return null for non-nullable field"
# The one request that carries every list's count and first page.
FIRST_PAGES = "FirstPages"


@dataclass
class _FirstPage:
    """What the batched first request brought for one list."""

    total: int
    page: list[QNRecord]
    operation: str


def _variables(where: Mapping[str, Any] | None) -> dict[str, Any]:
    return {"where": dict(where)} if where else {}


def first_pages(
    client: Client,
    specs: Sequence[EntitySpec],
    page_size: int,
    where: Mapping[str, Mapping[str, Any]] | None = None,
    stats: FetchStats | None = None,
) -> dict[str, _FirstPage]:
    """Every list's count and first page, in one request (by list field).

    Each list's count and page operations travel as aliased parts of one operation
    (``council.batch``), validated against the schema like any other. When the node refuses
    a list's page for a null in a non-null field and the list has a
    ``fallback_page_operation``, the request is sent again with the fallback for that list.
    """
    where = where or {}
    operations = {spec.list_field: spec.page_operation for spec in specs}
    requests_made = 0
    while True:
        parts: list[batch.Part] = []
        for number, spec in enumerate(specs):
            variables = _variables(where.get(spec.list_field))
            parts.append(
                batch.Part(f"count{number}", spec.query_file, spec.count_operation, variables)
            )
            page_vars = {**variables, "offset": 0, "limit": page_size}
            parts.append(
                batch.Part(f"page{number}", spec.query_file, operations[spec.list_field], page_vars)
            )
        signature = tuple((p.alias, p.query_file, p.operation) for p in parts)
        document, variables = _batch_document(signature), batch.renamed_variables(parts)
        names = {part.alias: part.operation for part in parts}
        requests_made += 1
        try:
            answer = _run(client, document, variables, FIRST_PAGES, names)
        except FetchError as error:
            spec = _fallback_for(error, specs, operations)
            if spec is None:
                raise
            operations[spec.list_field] = spec.fallback_page_operation or spec.page_operation
            continue
        break
    if stats is not None:
        stats.requests[FIRST_PAGES] = requests_made
    found = {}
    for number, spec in enumerate(specs):
        count = _get(answer, f"count{number}", spec.count_operation)
        total = _get(count, "totalCount", spec.count_operation)
        page = _get(answer, f"page{number}", operations[spec.list_field])
        found[spec.list_field] = _FirstPage(total, page, operations[spec.list_field])
    return found


@cache
def _batch_document(signature: tuple[tuple[str, str, str], ...]) -> DocumentNode:
    """The first-pages operation for these parts (alias, query file, operation), one object
    per signature: ``_Client`` validates each document object once."""
    return batch.combine([batch.Part(*part) for part in signature], FIRST_PAGES)[0]


def _fallback_for(
    error: FetchError, specs: Sequence[EntitySpec], operations: Mapping[str, str]
) -> EntitySpec | None:
    """The list whose page ``error`` refused for a null in a non-null field, when it has a
    fallback page operation not yet tried."""
    if (
        error.alias is None
        or not error.alias.startswith("page")
        or NULL_IN_NON_NULL not in str(error)
    ):
        return None
    spec = specs[int(error.alias.removeprefix("page"))]
    fallback = spec.fallback_page_operation
    if fallback is None or operations[spec.list_field] == fallback:
        return None
    return spec


class _SeenIds:
    """The ids of one list read so far, kept in a private temporary SQLite file rather than
    in memory: a list of a million rows would otherwise hold a million strings."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # "": a temporary database on disk, gone on close
        self._db.execute("pragma journal_mode = memory")  # a page's inserts can roll back
        self._db.execute("pragma synchronous = off")
        self._db.execute("create table seen (id text primary key) without rowid")

    def first_repeat(self, ids: Sequence[str]) -> str | None:
        """Add ``ids``; the first of them already seen (before, or earlier in ``ids``)."""
        try:
            self._db.executemany("insert into seen values (?)", [(i,) for i in ids])
        except sqlite3.IntegrityError:
            self._db.rollback()  # this page's ids only: the pages before are committed
            here: set[str] = set()
            for record_id in ids:
                known = self._db.execute("select 1 from seen where id = ?", (record_id,))
                if record_id in here or known.fetchone():
                    return record_id
                here.add(record_id)
            raise
        self._db.commit()
        return None

    def close(self) -> None:
        """Drop the ids (the file goes with the connection)."""
        self._db.close()


def entity_pages(
    client: Client,
    spec: EntitySpec,
    first: _FirstPage,
    page_size: int = DEFAULT_PAGE_SIZE,
    where: Mapping[str, Any] | None = None,
    progress: ProgressCallback | None = None,
    stats: FetchStats | None = None,
) -> Iterator[list[QNRecord]]:
    """One list's pages, the first one (from :func:`first_pages`) and then the rest, read
    with offset/limit as they are needed.

    Fails when a page repeats a row already seen, or when the pages end before the count the
    node reported (a short page in the middle of the list must not truncate it silently).
    When a page fails because the node has a null in a field the schema calls non-null and
    the entity has a ``fallback_page_operation``, that page and the rest are read with it.
    Only the ids of the rows are kept between pages.
    """
    if page_size < 1:  # a page of 0 rows would never end the list
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    stats = stats if stats is not None else FetchStats()
    variables = _variables(where)
    requests_made = 0
    fetched = 0
    seen = _SeenIds()
    operation = first.operation
    page: list[QNRecord] | None = first.page
    while True:
        if page is None:
            page_vars = {**variables, "offset": fetched, "limit": page_size}
            try:
                answer = _execute(client, operation, spec.query_file, page_vars)
            except FetchError as error:
                fallback = spec.fallback_page_operation
                if fallback is None or operation == fallback or NULL_IN_NON_NULL not in str(error):
                    raise
                requests_made += 1
                operation = fallback
                answer = _execute(client, operation, spec.query_file, page_vars)
            requests_made += 1
            page = _get(answer, spec.list_field, operation)
        ids = []
        for record in page:
            record_id = record.get("id") if isinstance(record, dict) else None
            if record_id is None:
                seen.close()
                raise FetchError(f"{spec.list_field}: a row without an id at offset {fetched}")
            ids.append(str(record_id))
        repeated = seen.first_repeat(ids)
        if repeated is not None:
            seen.close()
            raise FetchError(
                f"{spec.list_field}: the page at offset {fetched} repeats row {repeated}"
            )
        fetched += len(page)
        stats.rows[spec.list_field] = fetched
        stats.requests[spec.list_field] = requests_made
        if progress:
            progress(spec.list_field, fetched, max(first.total, fetched))
        full_page = len(page) >= page_size
        yield page
        if not full_page:
            break
        page = None
    seen.close()
    if fetched < first.total:
        raise FetchError(
            f"{spec.list_field}: the node reported {first.total} rows but paging ended after "
            f"{fetched}"
        )


def _get(answer: Mapping[str, Any], key: str, operation: str) -> Any:
    value = answer.get(key)
    if value is None:
        raise FetchError(f"{operation}: the answer has no '{key}'")
    return value


NOT_A_QUERY_NODE = "this endpoint is not a Joystream query node"
# Answers to the probe's POST that mean "no GraphQL here" (wrong path, a plain web server),
# as opposed to a query node that is down (5xx) or busy (429), which a retry may fix.
NOT_GRAPHQL_STATUSES = frozenset({404, 405, 415, 501})


def probe(client: Client) -> None:
    """Fail early, with a clear message, when the endpoint does not speak our schema."""
    try:
        answer = _execute(client, "Probe", "probe", {"limit": 1})
    except FetchError as error:
        text = str(error)
        wrong_place = error.http_status in NOT_GRAPHQL_STATUSES
        if "returned errors" in text or "not a GraphQL answer" in text or wrong_place:
            raise FetchError(f"{NOT_A_QUERY_NODE} ({error})") from error
        raise
    if not isinstance(answer.get("electionRounds"), list):
        raise FetchError(f"{NOT_A_QUERY_NODE} (no election rounds list in its answer)")


def stream_records(
    client: Client,
    page_size: int = DEFAULT_PAGE_SIZE,
    progress: ProgressCallback | None = None,
    stats: FetchStats | None = None,
    where: Mapping[str, Mapping[str, Any]] | None = None,
) -> Iterator[tuple[EntitySpec, list[QNRecord]]]:
    """Every page of every list of :data:`ENTITIES`, in that order, as it arrives.

    Requests: the probe; one request with every list's count and first page
    (:func:`first_pages`); then, per list in turn, its further pages. A list whose rows fit in
    its first page costs no request of its own. ``where`` (by list field) restricts lists to
    the part that can have changed.
    """
    if page_size < 1:  # a page of 0 rows would never end the list
        raise ValueError(f"page_size must be at least 1, not {page_size}")
    stats = stats if stats is not None else FetchStats()
    probe(client)
    stats.requests["probe"] = 1
    where = where or {}
    firsts = first_pages(client, ENTITIES, page_size, where, stats)
    for spec in ENTITIES:
        first = firsts.pop(spec.list_field)
        for page in entity_pages(
            client, spec, first, page_size, where.get(spec.list_field), progress, stats
        ):
            yield spec, page


def fetch_records(
    client: Client,
    page_size: int = DEFAULT_PAGE_SIZE,
    progress: ProgressCallback | None = None,
    stats: FetchStats | None = None,
    where: Mapping[str, Mapping[str, Any]] | None = None,
) -> QNRecords:
    """Every council entity the dashboard uses, as the query node returns them, in memory
    (:func:`stream_records` gathered by list field; for small, incremental reads)."""
    records: dict[str, list[QNRecord]] = {spec.list_field: [] for spec in ENTITIES}
    for spec, page in stream_records(client, page_size, progress, stats, where):
        records[spec.list_field].extend(page)
    return records


def incremental_filters(window: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """What can have changed since the cache was written, as ``where`` filters per list.

    Rounds from the oldest unfinished one on (with their candidates and votes), councils from
    the oldest one still in office (with their seats, whose rewards grow), proposals whose
    status was set since the newest status in the cache, newer votes and events, and council
    stage updates from the newest one in the cache (by its block, ``changedAt``). Bounds
    are inclusive, so a block half-read last time is read again; rows are merged by id.
    """
    rounds = {"cycleId_gte": window["cycle_from"]}
    councils = {"electedAtBlock_gte": window["council_block_from"]}
    return {
        "electedCouncils": councils,
        "electionRounds": rounds,
        "candidates": {"electionRound": rounds},
        "castVotes": {"electionRound": rounds},
        "councilMembers": {"electedInCouncil": councils},
        "proposals": {"statusSetAtBlock_gte": window["proposal_block_from"]},
        "proposalVotedEvents": {"inBlock_gte": window["vote_block_from"]},
        "budgetRefillEvents": {"inBlock_gte": window["budget_refills_from"]},
        "rewardPaymentEvents": {"inBlock_gte": window["reward_payments_from"]},
        "councilorRewardUpdatedEvents": {"inBlock_gte": window["councilor_reward_updates_from"]},
        # BigInt: sent as decimal text. The newest update is read again: the node raises its
        # candidatesCount in place while candidacies are announced.
        "councilStageUpdates": {"changedAt_gte": str(window["council_stage_updates_from"])},
        # Working-group events: from the newest block of each kind in the cache on.
        **{
            list_field: {"inBlock_gte": window.get("wg_event_blocks", {}).get(list_field, 0)}
            for list_field in WG_EVENT_LISTS
        },
        # Failed election attempts (council/stats/failed_elections.py), from the newest on.
        "notEnoughCandidatesEvents": {"inBlock_gte": window.get("election_failures_from", 0)},
        "newCouncilNotElectedEvents": {"inBlock_gte": window.get("election_failures_from", 0)},
        "councilBudgetFundedEvents": {"inBlock_gte": window["council_budget_funded_from"]},
        "councilBudgetDecreasedEvents": {"inBlock_gte": window["council_budget_decreased_from"]},
        "budgetIncrementUpdatedEvents": {"inBlock_gte": window["budget_increment_updates_from"]},
    }


def refresh(
    endpoint: str,
    db_path: Path,
    network: str = DEFAULT_NETWORK,
    page_size: int = DEFAULT_PAGE_SIZE,
    timeout: float = 30,
    retries: int = 4,
    backoff: float = 0.5,
    progress: ProgressCallback | None = None,
    lock_wait: float = 0,
    full: bool = False,
) -> FetchStats:
    """Refresh the cache at ``db_path`` from ``endpoint``, atomically.

    When the cache already holds this network from this endpoint, only what can have changed
    is fetched and merged (:func:`incremental_filters`); ``full`` (or a cache from elsewhere)
    fetches everything and rebuilds. One refresh at a time: waits up to ``lock_wait`` seconds
    for another to finish, else raises RefreshBusy. Rows of other networks already in the
    cache (e.g. the testnet snapshot) are kept. Raises FetchError on any failure, leaving the
    existing cache untouched; the outcome is recorded beside the cache
    (see ``council.refresh_state``). Raises CannotRefresh, before taking the lock, when
    ``db_path`` cannot be written or holds a file that is not a council cache in good order.
    """
    check_target(db_path)
    with refresh_lock(db_path, lock_wait):
        store.remove_stale_temporaries(db_path)
        window = None if full else _incremental_window(db_path, endpoint, network)
        try:
            if window is None:
                stats = _refresh(endpoint, db_path, network, page_size, timeout, retries,
                                 backoff, progress)  # fmt: skip
            else:
                stats = _refresh_incrementally(endpoint, db_path, network, window, page_size,
                                               timeout, retries, backoff, progress)  # fmt: skip
        except FetchError as error:
            record_attempt(db_path, endpoint, str(error))
            raise
        record_attempt(db_path, endpoint, None)
        return stats


def _incremental_window(db_path: Path, endpoint: str, network: str) -> dict[str, Any] | None:
    meta = store.read_meta(db_path)
    if meta.get("source") != endpoint or meta.get("schema_version") != str(store.SCHEMA_VERSION):
        return None
    return data.refresh_window(db_path, network)


def _convert(records: QNRecords, network: str, known: Known | None = None) -> dict[str, list[dict]]:
    try:
        return records_to_rows(records, network, known)
    except MalformedRecord as error:
        raise FetchError(f"malformed answer from the query node: {error}") from error


def _fetch(
    endpoint: str,
    page_size: int,
    timeout: float,
    retries: int,
    backoff: float,
    progress: ProgressCallback | None,
    where: Mapping[str, Mapping[str, Any]] | None = None,
) -> tuple[QNRecords, FetchStats]:
    stats = FetchStats()
    client = make_client(endpoint, timeout=timeout, retries=retries, backoff=backoff)
    try:
        records = fetch_records(client, page_size, progress, stats, where)
    finally:
        client.close_sync()
    return records, stats


def _meta(endpoint: str, networks: Iterable[str], stats: FetchStats, mode: str) -> dict:
    return {
        "source": endpoint,
        "refreshed_at": store.utc_now_iso(),
        "networks": ",".join(sorted(networks)),
        "fetched_rows": json.dumps(stats.rows, sort_keys=True),
        "fetch_requests": stats.total_requests,
        "refresh_mode": mode,
    }


def _refresh_incrementally(
    endpoint: str,
    db_path: Path,
    network: str,
    window: dict[str, Any],
    page_size: int,
    timeout: float,
    retries: int,
    backoff: float,
    progress: ProgressCallback | None,
) -> FetchStats:
    where = incremental_filters(window)
    records, stats = _fetch(endpoint, page_size, timeout, retries, backoff, progress, where)
    known = Known(window["cycle_of_round"], window["council_block"], window["elected_in"])
    rows = _convert(records, network, known)
    networks = set(store.read_meta(db_path).get("networks", network).split(",")) | {network}
    with store.atomic_update(db_path) as db:
        store.insert_rows(db, rows)
        archive_supersede.resolve_in_cache(db, network)  # the node's terms replace the archive's
        store.write_meta(db, _meta(endpoint, networks, stats, "incremental"))
    return stats


def _refresh(
    endpoint: str,
    db_path: Path,
    network: str,
    page_size: int,
    timeout: float,
    retries: int,
    backoff: float,
    progress: ProgressCallback | None,
) -> FetchStats:
    """A full fetch, streamed: each page is converted and written into the new cache as it
    arrives (only ids and small lookups are kept between pages); the cache's rows of other
    networks and its archive rows of ``network`` join at the end, and the new cache replaces
    the old one only when all of it succeeded (``store.atomic_cache``)."""
    stats = FetchStats()
    client = make_client(endpoint, timeout=timeout, retries=retries, backoff=backoff)
    try:
        with store.atomic_cache(db_path) as db:
            known = Known()
            for spec, page in stream_records(client, page_size, progress, stats):
                records = {spec.list_field: page}
                known = known_after(known, records)
                store.insert_rows(db, _convert(records, network, known))
            _set_lookup_columns(db, network, known)
            networks = _copy_rows_kept(db_path, db, network)
            store.write_meta(
                db,
                {
                    "schema_version": store.SCHEMA_VERSION,
                    **_meta(endpoint, networks, stats, "full"),
                },
            )
    finally:
        client.close_sync()
    return stats


def _set_lookup_columns(db: sqlite_utils.Database, network: str, known: Known) -> None:
    """Fill the columns rows got from a list converted after them (``lookup_columns``)."""
    for table, column, key, values in lookup_columns(known):
        db.conn.executemany(
            f"update {table} set {column} = ? where network = ? and {key} = ?",
            [(value, network, name) for name, value in values.items()],
        )


def _copy_rows_kept(db_path: Path, db: sqlite_utils.Database, network: str) -> set[str]:
    """Copy into the new cache ``db`` the old cache's rows of other networks (archive,
    snapshot) and its archive rows of ``network`` for terms the node did not return
    (``council.archive.supersede``), table by table; the networks the new cache holds."""
    networks = {network}
    if not db_path.exists():
        return networks
    for table in store.TABLES:
        rows = store.read_rows(db_path, table, "network != ?", [network])
        store.insert_rows(db, {table: rows})
        if table == "election_rounds":
            networks |= {r["network"] for r in rows}
    archive = {
        table: [
            r
            for r in store.read_rows(db_path, table, "network = ?", [network])
            if archive_supersede.is_archive_row(table, r, network)
        ]
        for table in archive_supersede.TABLES
    }
    if any(archive.values()):  # the fetched rows of these tables, not the votes
        fetched = archive_supersede.network_rows(db, network)
        merged = {t: fetched.get(t, []) + archive[t] for t in archive_supersede.TABLES}
        archive_supersede.replace_network_rows(
            db, network, archive_supersede.resolve(merged, network)
        )
    return networks


def _terminal_progress(entity: str, fetched: int, total: int) -> None:
    end = "\n" if fetched >= total else ""
    print(f"\r  {entity:<16} {fetched:>9,} / {total:,}", end=end, file=sys.stderr, flush=True)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (no usage block)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _number(kind: type, minimum: float, strict: bool = False) -> Callable[[str], Any]:
    """An argparse type: a ``kind`` number at least ``minimum`` (above it when ``strict``)."""

    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < minimum or (strict and value == minimum) or value != value:
            bound = f"above {minimum}" if strict else f"at least {minimum}"
            raise argparse.ArgumentTypeError(f"must be {bound}, not {text}")
        return value

    return parse


def _duration(text: str) -> Any:
    """An argparse type: a duration like 15m (``parse_duration``)."""
    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _endpoint(text: str) -> str:
    """An argparse type: an http(s) URL."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {text!r}")
    return text


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the process exit code.

    Arguments are checked before anything is read or written: a bad one, or a ``--db`` no
    refresh could write, exits with code 2 and one line on stderr (3: another refresh runs;
    1: the refresh failed).
    """
    parser = _Parser(
        prog="python -m council.fetch", description="Refresh the council cache from a query node."
    )
    parser.add_argument(
        "--endpoint", type=_endpoint, default=DEFAULT_ENDPOINT, help="GraphQL URL of the node"
    )
    parser.add_argument("--db", type=Path, default=None, help="cache path (default $COUNCIL_DB)")
    parser.add_argument("--network", default=DEFAULT_NETWORK, help="network label for the rows")
    parser.add_argument("--page-size", type=_number(int, 1), default=DEFAULT_PAGE_SIZE)
    parser.add_argument(
        "--timeout", type=_number(float, 0, strict=True), default=30, help="seconds per request"
    )
    parser.add_argument(
        "--retries", type=_number(int, 0), default=4, help="retries on transient errors"
    )
    parser.add_argument(
        "--if-older-than",
        type=_duration,
        metavar="AGE",
        help="do nothing when the cache was refreshed from this endpoint within AGE (15m, 2h)",
    )
    parser.add_argument(
        "--wait",
        type=_number(float, 0),
        default=0,
        help="seconds to wait for a running refresh (default 0)",
    )
    parser.add_argument(
        "--full", action="store_true", help="fetch everything and rebuild, not only what changed"
    )
    args = parser.parse_args(argv)
    db_path = args.db or store.default_db_path()
    try:
        check_target(db_path)
    except CannotRefresh as error:
        print(f"refresh not started: {error}", file=sys.stderr)
        return 2
    if args.if_older_than is not None:
        age = last_success_age(store.read_meta(db_path), args.endpoint, datetime.now(UTC))
        if age is not None and age < args.if_older_than:
            print(f"cache is fresh ({age.total_seconds() / 60:.0f} min old); nothing to do")
            return 0
    print(f"Fetching from {args.endpoint} into {db_path}", file=sys.stderr)
    try:
        stats = refresh(
            args.endpoint,
            db_path,
            network=args.network,
            page_size=args.page_size,
            timeout=args.timeout,
            retries=args.retries,
            progress=_terminal_progress,
            lock_wait=args.wait,
            full=args.full,
        )
    except FetchError as error:
        print(f"\nrefresh failed: {error}", file=sys.stderr)
        return 1
    except RefreshBusy as error:
        print(f"refresh not started: {error}", file=sys.stderr)
        return 3
    except CannotRefresh as error:
        print(f"refresh not started: {error}", file=sys.stderr)
        return 2
    except (OSError, sqlite3.Error, data.CacheError) as error:  # e.g. the disk filled up
        print(f"\nrefresh failed: {_one_line(error)}", file=sys.stderr)
        return 1
    rows = ", ".join(f"{k} {v:,}" for k, v in stats.rows.items())
    print(f"done: {rows}; {stats.total_requests} requests", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
