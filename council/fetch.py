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
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from gql import Client, gql
from gql.transport.exceptions import (
    TransportError,
    TransportProtocolError,
    TransportQueryError,
    TransportServerError,
)
from gql.transport.requests import RequestsHTTPTransport
from graphql import GraphQLError

from council import store
from council.queries import query_text
from council.schema_trim import TRIMMED_SCHEMA_PATH

DEFAULT_ENDPOINT = "https://query.joystream.org/graphql"
DEFAULT_NETWORK = "mainnet"
DEFAULT_PAGE_SIZE = 1000

QNRecord = dict[str, Any]
QNRecords = dict[str, list[QNRecord]]
ProgressCallback = Callable[[str, int, int], None]


class FetchError(Exception):
    """The endpoint failed or answered something unusable; the message is one line."""


@dataclass(frozen=True)
class EntitySpec:
    """One query node list: its query file, operation names and root fields."""

    query_file: str
    list_field: str
    page_operation: str
    count_operation: str

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
    return Client(transport=transport, schema=TRIMMED_SCHEMA_PATH.read_text())


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _execute(
    client: Client, operation: str, query_file: str, variables: Mapping[str, Any]
) -> dict[str, Any]:
    """Run one named operation; turn every failure into a one-line FetchError."""
    document = gql(query_text(query_file))
    try:
        result = client.execute(document, variable_values=dict(variables), operation_name=operation)
    except GraphQLError as error:
        reason = f"query does not match the schema: {_one_line(error)}"
    except TransportQueryError as error:
        reason = f"the query node returned errors: {_one_line(error)}"
    except TransportServerError as error:
        reason = f"HTTP error from the query node: {_one_line(error)}"
    except TransportProtocolError as error:
        reason = f"not a GraphQL answer: {_one_line(error)}"
    except (TransportError, requests.RequestException, OSError) as error:
        reason = f"cannot reach the query node: {_one_line(error)}"
    else:
        reason = None
    if reason is not None:
        raise FetchError(f"{operation}: {reason}")
    if not isinstance(result, dict):
        raise FetchError(f"{operation}: the query node returned no data")
    return result


def fetch_entity(
    client: Client,
    spec: EntitySpec,
    page_size: int = DEFAULT_PAGE_SIZE,
    where: Mapping[str, Any] | None = None,
    progress: ProgressCallback | None = None,
    stats: FetchStats | None = None,
) -> list[QNRecord]:
    """Read one list whole: count it, then page through it with offset/limit.

    Fails when a page repeats a row already seen, or when the pages end before the count the
    node reported (a short page in the middle of the list must not truncate it silently).
    """
    stats = stats if stats is not None else FetchStats()
    variables: dict[str, Any] = {"where": dict(where)} if where else {}
    counted = _execute(client, spec.count_operation, spec.query_file, variables)
    total = _get(counted, spec.connection_field, spec.count_operation)["totalCount"]
    requests_made = 1
    rows: list[QNRecord] = []
    seen: set[str] = set()
    while True:
        page_vars = {**variables, "offset": len(rows), "limit": page_size}
        answer = _execute(client, spec.page_operation, spec.query_file, page_vars)
        requests_made += 1
        page = _get(answer, spec.list_field, spec.page_operation)
        for record in page:
            record_id = record.get("id") if isinstance(record, dict) else None
            if record_id is None:
                raise FetchError(f"{spec.list_field}: a row without an id at offset {len(rows)}")
            if record_id in seen:
                raise FetchError(
                    f"{spec.list_field}: the page at offset {len(rows)} repeats row {record_id}"
                )
            seen.add(record_id)
        rows.extend(page)
        if progress:
            progress(spec.list_field, len(rows), max(total, len(rows)))
        if len(page) < page_size:
            break
    stats.rows[spec.list_field] = len(rows)
    stats.requests[spec.list_field] = requests_made
    if len(rows) < total:
        raise FetchError(
            f"{spec.list_field}: the node reported {total} rows but paging ended after {len(rows)}"
        )
    return rows


def _get(answer: Mapping[str, Any], key: str, operation: str) -> Any:
    value = answer.get(key)
    if value is None:
        raise FetchError(f"{operation}: the answer has no '{key}'")
    return value


def fetch_records(
    client: Client,
    page_size: int = DEFAULT_PAGE_SIZE,
    progress: ProgressCallback | None = None,
    stats: FetchStats | None = None,
) -> QNRecords:
    """Every council entity the dashboard uses, as the query node returns them."""
    return {
        spec.list_field: fetch_entity(client, spec, page_size, progress=progress, stats=stats)
        for spec in ENTITIES
    }


# --- From query node records to cache rows -------------------------------------------------


def _required(record: Mapping[str, Any], key: str, entity: str) -> Any:
    if key not in record:
        raise FetchError(f"{entity} {record.get('id', '?')}: field '{key}' is missing")
    return record[key]


def _bigint(record: Mapping[str, Any], key: str, entity: str) -> str | None:
    """A BigInt field as exact decimal text; None stays None; anything else is an error."""
    value = _required(record, key, entity)
    if value is None:
        return None
    text = str(value)
    if not text.lstrip("-").isdigit():
        raise FetchError(f"{entity} {record.get('id', '?')}: {key} is not a number: {text!r}")
    return str(int(text))


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _member_row(member: Mapping[str, Any], network: str) -> dict[str, Any]:
    return {
        "network": network,
        "id": str(member["id"]),
        "handle": member.get("handle"),
        "root_account": member.get("rootAccount"),
    }


def records_to_rows(records: QNRecords, network: str = DEFAULT_NETWORK) -> dict[str, list[dict]]:
    """Turn query node records into cache rows (one list per cache table).

    Validates as it goes: a missing field or a BigInt that is not a number raises FetchError.
    """
    councils_raw = records.get("electedCouncils", [])
    rounds_raw = records.get("electionRounds", [])
    council_block = {
        c["id"]: _int(_required(c, "electedAtBlock", "electedCouncil")) for c in councils_raw
    }
    cycle_of_round = {r["id"]: int(_required(r, "cycleId", "electionRound")) for r in rounds_raw}
    elected_in = {
        r["nextElectedCouncilId"]: cycle_of_round[r["id"]]
        for r in rounds_raw
        if r.get("nextElectedCouncilId")
    }
    members: dict[str, dict[str, Any]] = {}

    rounds = []
    for r in rounds_raw:
        voting = r.get("referendumStageVoting") or {}
        revealing = r.get("referendumStageRevealing") or {}
        rounds.append(
            {
                "network": network,
                "cycle_id": cycle_of_round[r["id"]],
                "round_id": r["id"],
                "is_finished": int(bool(_required(r, "isFinished", "electionRound"))),
                "started_at_block": council_block.get(r.get("electedCouncilId")),
                "ended_at_block": _int(r.get("endedAtBlock")),
                "ended_at_time": r.get("endedAtTime"),
                "ended_at_time_estimated": 0,
                "seats": _int(voting.get("winningTargetCount")),
                "voting_started_at_block": _int(voting.get("startedAtBlock")),
                "voting_ends_at_block": _int(voting.get("endsAt")),
                "revealing_started_at_block": _int(revealing.get("startedAtBlock")),
                "revealing_ends_at_block": _int(revealing.get("endsAt")),
                "council_id": r.get("electedCouncilId"),
                "next_council_id": r.get("nextElectedCouncilId"),
                "losers_recorded": 1,
                "source": "query node",
            }
        )

    candidates = []
    for c in records.get("candidates", []):
        member = _required(c, "member", "candidate")
        members[str(member["id"])] = _member_row(member, network)
        note = c.get("noteMetadata") or {}
        round_id = _required(c, "electionRoundId", "candidate")
        if round_id not in cycle_of_round:
            raise FetchError(f"candidate {c['id']}: unknown election round {round_id}")
        candidates.append(
            {
                "network": network,
                "id": c["id"],
                "cycle_id": cycle_of_round[round_id],
                "member_id": str(member["id"]),
                "stake": _bigint(c, "stake", "candidate"),
                "vote_power": _bigint(c, "votePower", "candidate"),
                "status": str(_required(c, "status", "candidate")).lower(),
                "staking_account": c.get("stakingAccountId"),
                "reward_account": c.get("rewardAccountId"),
                "note_header": note.get("header"),
                "note_bullet_points": json.dumps(note.get("bulletPoints") or []),
            }
        )

    votes = []
    for v in records.get("castVotes", []):
        round_id = _required(v, "electionRoundId", "castVote")
        if round_id not in cycle_of_round:
            raise FetchError(f"castVote {v['id']}: unknown election round {round_id}")
        votes.append(
            {
                "network": network,
                "id": v["id"],
                "cycle_id": cycle_of_round[round_id],
                "cast_by": _required(v, "castBy", "castVote"),
                "voter_member_id": None,
                "stake": _bigint(v, "stake", "castVote"),
                "vote_power": _bigint(v, "votePower", "castVote"),
                "vote_for_candidate_id": _required(v, "voteForId", "castVote"),
                "commitment": v.get("commitment"),
            }
        )

    councils = [
        {
            "network": network,
            "id": c["id"],
            "elected_in_cycle_id": elected_in.get(c["id"]),
            "elected_at_block": council_block[c["id"]],
            "elected_at_time": _required(c, "electedAtTime", "electedCouncil"),
            "ended_at_block": _int(c.get("endedAtBlock")),
            "ended_at_time": c.get("endedAtTime"),
            "is_resigned": int(bool(c.get("isResigned"))),
        }
        for c in councils_raw
    ]

    council_members = []
    for m in records.get("councilMembers", []):
        member = _required(m, "member", "councilMember")
        members[str(member["id"])] = _member_row(member, network)
        council_members.append(
            {
                "network": network,
                "id": m["id"],
                "council_id": _required(m, "electedInCouncilId", "councilMember"),
                "member_id": str(member["id"]),
                "stake": _bigint(m, "stake", "councilMember"),
                "accumulated_reward": _bigint(m, "accumulatedReward", "councilMember"),
                "unpaid_reward": _bigint(m, "unpaidReward", "councilMember"),
                "last_payment_block": _int(m.get("lastPaymentBlock")),
            }
        )

    return {
        "members": list(members.values()),
        "election_rounds": rounds,
        "candidates": candidates,
        "votes": votes,
        "councils": councils,
        "council_members": council_members,
    }


def _rows_of_other_networks(db_path: Path, network: str) -> dict[str, list[dict]]:
    """Rows of the current cache that belong to other networks (archive, snapshot)."""
    if not db_path.exists():
        return {}
    return {
        table: store.read_rows(db_path, table, "network != ?", [network]) for table in store.TABLES
    }


def _merge(*parts: Mapping[str, Iterable[dict]]) -> dict[str, list[dict]]:
    merged: dict[str, list[dict]] = {name: [] for name in store.TABLES}
    for part in parts:
        for table, rows in part.items():
            merged[table].extend(rows)
    return merged


def refresh(
    endpoint: str,
    db_path: Path,
    network: str = DEFAULT_NETWORK,
    page_size: int = DEFAULT_PAGE_SIZE,
    timeout: float = 30,
    retries: int = 4,
    backoff: float = 0.5,
    progress: ProgressCallback | None = None,
) -> FetchStats:
    """Fetch everything from ``endpoint`` and atomically replace the cache at ``db_path``.

    Rows of other networks already in the cache (e.g. the testnet snapshot) are kept.
    Raises FetchError on any failure, leaving the existing cache untouched.
    """
    stats = FetchStats()
    client = make_client(endpoint, timeout=timeout, retries=retries, backoff=backoff)
    try:
        records = fetch_records(client, page_size, progress=progress, stats=stats)
    finally:
        client.close_sync()
    try:
        rows = records_to_rows(records, network)
    except (KeyError, TypeError, ValueError) as error:
        raise FetchError(f"malformed answer from the query node: {_one_line(error)}") from error
    kept = _rows_of_other_networks(db_path, network)
    networks = sorted({network} | {r["network"] for r in kept.get("election_rounds", [])})
    store.write_cache(
        db_path,
        _merge(kept, rows),
        {
            "source": endpoint,
            "refreshed_at": store.utc_now_iso(),
            "networks": ",".join(networks),
            "fetched_rows": json.dumps(stats.rows, sort_keys=True),
            "fetch_requests": stats.total_requests,
        },
    )
    return stats


def _terminal_progress(entity: str, fetched: int, total: int) -> None:
    end = "\n" if fetched >= total else ""
    print(f"\r  {entity:<16} {fetched:>9,} / {total:,}", end=end, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m council.fetch", description="Refresh the council cache from a query node."
    )
    parser.add_argument("--endpoint", default=DEFAULT_ENDPOINT, help="GraphQL URL of the node")
    parser.add_argument("--db", type=Path, default=None, help="cache path (default $COUNCIL_DB)")
    parser.add_argument("--network", default=DEFAULT_NETWORK, help="network label for the rows")
    parser.add_argument("--page-size", type=int, default=DEFAULT_PAGE_SIZE)
    parser.add_argument("--timeout", type=float, default=30, help="seconds per request")
    parser.add_argument("--retries", type=int, default=4, help="retries on transient errors")
    args = parser.parse_args(argv)
    db_path = args.db or store.default_db_path()
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
        )
    except FetchError as error:
        print(f"\nrefresh failed: {error}", file=sys.stderr)
        return 1
    rows = ", ".join(f"{k} {v:,}" for k, v in stats.rows.items())
    print(f"done: {rows}; {stats.total_requests} requests", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
