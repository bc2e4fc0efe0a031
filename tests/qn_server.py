"""A real GraphQL query node for tests, served over HTTP on 127.0.0.1.

The executable schema is built with graphql-core from ``council/schema/query_node.graphql`` and
served by the standard library's ``ThreadingHTTPServer`` in a background thread::

    with QueryNodeServer(load_records(SMALL_FIXTURE)) as server:
        requests.post(server.url, json={"query": "{ candidates { id } }"})

Data: "QN records", a dict keyed by the Query list field name (``electionRounds``,
``candidates``, ``castVotes``, ``electedCouncils``, ``councilMembers``, and any other list field
of the schema, e.g. ``proposals``). Each value is a list of dicts shaped like the GraphQL object:
field names exactly as in the schema, nested objects embedded (``member``, ``noteMetadata``,
``referendumStageVoting``, a proposal's ``details`` with its ``__typename``), plus ``createdAt``
(ISO-8601, e.g. ``"2023-01-03T10:00:00.000Z"``) even where the trimmed schema does not expose it.
BigInt values are decimal strings and are served as strings, whatever their size. Union
fields (a proposal's ``details`` and ``status``, a council stage update's ``stage``) resolve by
the value's ``__typename``
(graphql-core's default type resolver); a value without one, or naming a type outside the
union, is a field error.

List fields ``X(offset, limit = 50, where, orderBy)`` behave like the Joystream (Hydra/Warthog)
query node:

* ``limit`` defaults to 50 (the schema default; an explicit ``null`` or ``0`` also means 50, as
  Warthog's ``limit || 50`` does); ``offset`` skips rows. Negative values are errors.
* ``orderBy`` is a list of ``<field>_ASC|_DESC``; BigInt sorts as integers, enums in declaration
  order (Postgres enum order), nulls last ascending and first descending; ties by ``id``.
  Without ``orderBy`` rows come in data order.
* ``where`` supports ``<field>_eq|_in|_gt|_gte|_lt|_lte|_contains|_startsWith|_endsWith``
  (the string operators ignore case, like Warthog's ``LOWER(..) LIKE``), ``<field>_eq: null``
  (IS NULL), ``AND``/``OR``/``NOT`` lists (NOT: none of the listed filters match), relation
  filters such as ``electionRound: {cycleId_gte: 2}`` (followed through an embedded object or
  ``<relation>Id`` looked up in the related list: electionRound -> electionRounds, voteFor ->
  candidates, electedInCouncil -> electedCouncils, ...) and reverse ``<list>_some|_none|_every``
  when the back reference is unambiguous. BigInt compares as integers, DateTime as instants.
  Anything else (``_json``, ``deletedAt_all``, a field the records lack) is a GraphQL error,
  never silently ignored.
* ``XConnection(where, orderBy, first, after, ...)`` returns ``totalCount`` (rows after where).

HTTP: POST JSON ``{query, variables, operationName}`` to ``/graphql``. Like Apollo Server (the
query node's HTTP layer), a bad request body, a syntax or validation error, an unknown operation
or bad variables answer HTTP 400 ``{"errors": [...]}`` without ``data``; execution answers 200
``{"data": ..., "errors": [...]}``. GET answers 400; other paths 404.

Instrumentation: ``server.requests`` lists every POST (number from 1, arrival time on the
``time.monotonic()`` clock, operationName, variables, root field names, the fault that fired).
``server.inject(at_request=N, kind=...)`` plans a fault for POST number N (fires once):

* transport faults: ``http_500``, ``http_502``, ``http_503``, ``http_504`` (HTML error page),
  ``http_429`` (``Retry-After: retry_after`` seconds), ``timeout`` (waits ``delay`` seconds, then
  answers normally), ``non_json`` (200 with an HTML page), ``graphql_errors`` (200
  ``{"errors": [{"message": message}], "data": null}``), ``data_null`` (200 ``{"data": null}``),
  ``connection_drop`` (closes the socket without an answer);
* answer faults: the request is executed normally and its 200 answer is then altered, staying
  valid JSON with ``data`` and no ``errors``, as a buggy or inconsistent node would send it.
  They act on every root list field of the answer (``electionRounds``, ``castVotes``, ...;
  ``...Connection`` counts are left alone), and change nothing when there is no such list or
  the request failed:

  - ``repeat_rows``: the list repeats rows of the previous page. With an ``offset`` variable
    above 0 the server answers the page at ``offset - limit`` (at least 0; ``limit`` from the
    variables, else 50) instead of ``offset``; on a first page (no ``offset`` variable, or 0)
    its first row replaces its last, so the page repeats a row within itself (a one-row page
    is left as it is).
  - ``short_page``: the list drops its last ``rows`` row(s) (default 1), so a full page in the
    middle of a list comes back shorter than the limit.
  - ``missing_field``: ``field`` (default ``stake``) is removed from every object of the list.
  - ``bad_bigint``: the first object of the list holding ``field`` (default ``stake``, a
    BigInt) gets the value ``"12abc"`` there instead.

Fixture ``tests/fixtures/qn_small.json`` (values chosen by hand, sums and timestamps computed
once by a throwaway script; Joystream mainnet style; amounts in HAPI,
1 JOY = 10^10 HAPI; blocks are 6 s apart from a fictional genesis at 2023-01-02T10:00:00Z;
ids come from one base-36 counter in creation order, so no id is shared between entities (the
proposal and budget records, added later, continue it from ``0000001n`` in their own creation
order, and the council stage updates, added after them, from ``0000002p``); accounts are fake
``j4...`` strings):

* electedCouncils (3): ``00000001`` (initial council, elected at block 1, no election round in
  the fixture), ``0000000n`` (elected in cycle 1) and ``00000018`` (elected in cycle 2, current:
  ``endedAtBlock``/``endedAtTime`` null, ``isResigned`` false).
* electionRounds (3): cycle 1 ``00000005`` and cycle 2 ``0000000r`` finished, with voting and
  revealing stages; cycle 3 ``0000001c`` unfinished (``isFinished`` false, ``endedAtBlock`` null,
  voting stage only, ``nextElectedCouncilId`` null).
* councilMembers (9): three seats per council, with stake, accumulatedReward, unpaidReward
  (``0000000q``, freakstatic_council in council ``0000000n``, has one unpaid day) and
  lastPaymentBlock.
* candidates (13): cycle 1: l1dev, leet_joy, freakstatic_council ELECTED, tomato FAILED, 0x2bc
  WITHDRAWN; cycle 2: jen4ph, tomato, l1dev ELECTED, marat_mu FAILED; cycle 3: leet_joy, 0x2bc,
  kate_fm ACTIVE, bwhm0 WITHDRAWN. votePower is the sum of the revealed votes' votePower.
  marat_mu's cycle-2 candidacy (``0000000v``) stakes ``9300000000000000000``, just above 2^63.
* castVotes (30): 12 per finished round (10 revealed, 2 with ``voteForId`` null and votePower
  0), 6 unrevealed in cycle 3. Vote ``0000000x`` stakes 10^19 HAPI (above 2^63), so candidate
  jen4ph (``0000000s``) has votePower ``10002000000000000000``.
* proposals (9): council ``00000001``: funding request ``0000001o`` (50,000 JOY, executed),
  signal ``0000001r`` (rejected), funding request ``0000001v`` (two destinations, 120,000 +
  35,500.25 JOY, executed); council ``0000000n``: funding request ``00000020`` (200,000 JOY,
  ExecutionFailed), UpdateWorkingGroupBudget ``00000023`` (executed), SetMembershipPrice
  ``00000027`` (expired), RuntimeUpgrade ``00000029`` (created and approved in voting round 1
  by ``0000000n``, approved in round 2 and executed at block 428401 under ``00000018``:
  ``councilApprovals`` 2); council ``00000018``: AmendConstitution ``0000002j`` (cancelled, no
  votes), funding request ``0000002l`` (80,000 JOY, still Deciding, ``isFinalized`` false).
* proposalVotedEvents (18) by the sitting councillors: 15 APPROVE, 1 REJECT, 1 SLASH,
  1 ABSTAIN, 7 with a rationale; 0x2bc sat on council ``00000001`` and voted on nothing.
* budgetRefillEvents (3), rewardPaymentEvents (6: the last payments of seats ``00000002``,
  ``00000004``, ``0000000o``, ``0000000p``, ``0000000q`` (paid 0, missing one day,
  ``14400000000000``) and ``00000019``), councilorRewardUpdatedEvents (2: 0.1 JOY per block at
  block 1, 0.12 JOY per block from block 561601).
* councilStageUpdates (10, ``0000002p``..``0000002y``): ``0000002p`` at block 0 with stage
  ``VariantNone`` (the union's empty member; no council); then per cycle, each term taking
  72,000 blocks idle, 72,000 announcing (so the voting starts 144,000 blocks after the
  council's election, as the rounds record) and the referendum: idle from the council's
  election (``0000002q`` at block 1, ``0000002t`` at 201601, ``0000002w`` at 403201; ``endsAt``
  72,000 blocks later: 72001, 273601, 475201), announcing from there (``0000002r``,
  ``0000002u``, ``0000002x``; ``endsAt`` the voting start 144001, 345601, 547201;
  ``candidatesCount`` every candidacy announced, withdrawn ones too: 5, 4, 4) and election from
  the voting start (``0000002s``, ``0000002v``, ``0000002y``; ``candidatesCount`` the candidacies
  still standing: 4, 4, 3). ``electedCouncilId`` is the council in office when the stage began
  (the new one from its election on); ``createdAt`` is the time of block ``changedAt``. The
  newest update, ``0000002y``, has cycle 3 in its election stage, matching its voting stage.

``tests/live_stages.py`` rewrites this fixture's cycle 3 into each election stage (announcing,
voting, revealing, idle, failed) for the tests of the pages on a running election.
"""

from __future__ import annotations

import copy
import json
import re
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
    InlineFragmentNode,
    SelectionSetNode,
    build_schema,
    execute_sync,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_enum_type,
    is_list_type,
    parse,
    validate,
)

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "council" / "schema" / "query_node.graphql"
FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"
SMALL_FIXTURE = FIXTURES_DIR / "qn_small.json"
DEFAULT_LIMIT = 50

QNRecord = dict[str, Any]
QNRecords = dict[str, list[QNRecord]]
Predicate = Callable[["_Snapshot", Mapping[str, Any]], bool]

FAULT_KINDS = frozenset(
    {
        "http_500",
        "http_502",
        "http_503",
        "http_504",
        "http_429",
        "timeout",
        "non_json",
        "graphql_errors",
        "data_null",
        "connection_drop",
        "repeat_rows",
        "short_page",
        "missing_field",
        "bad_bigint",
    }
)
ANSWER_FAULTS = frozenset({"repeat_rows", "short_page", "missing_field", "bad_bigint"})
BAD_BIGINT = "12abc"

_INTEGER = re.compile(r"-?[0-9]+")
_LOGICAL = ("AND", "OR", "NOT")
_QUANTIFIERS = ("some", "none", "every")
_HTTP_REASONS = {
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def load_records(path: str | Path) -> QNRecords:
    """Read a fixture JSON file: an object mapping list field names to lists of records."""
    data = json.loads(Path(path).read_text())
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise ValueError(f"{path}: expected an object of lists of records")
    return data


# --- scalars ---------------------------------------------------------------------------------


def _bigint_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    raise GraphQLError(f"BigInt cannot represent {value!r}: expected a decimal integer string")


def _bigint_output(value: Any) -> str:
    return str(_bigint_int(value))


def _parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise GraphQLError(f"DateTime cannot represent {value!r}") from None
    else:
        raise GraphQLError(f"DateTime cannot represent {value!r}")
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _datetime_input(value: Any) -> str:
    _parse_datetime(value)
    return value


def _datetime_output(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    _parse_datetime(value)
    return value


def _set_scalar(
    scalar: GraphQLNamedType, output: Callable[[Any], Any], input_: Callable[[Any], Any]
) -> None:
    assert isinstance(scalar, GraphQLScalarType)
    scalar.serialize = output
    scalar.coerce_output_value = output
    scalar.parse_value = input_
    scalar.coerce_input_value = input_


# --- the query engine ------------------------------------------------------------------------


class _Snapshot:
    """The records one request sees, with id indexes built on demand."""

    def __init__(self, records: Mapping[str, list[QNRecord]]) -> None:
        self.records = records
        self._indexes: dict[str, dict[str, QNRecord]] = {}

    def rows(self, collection: str) -> list[QNRecord]:
        return self.records.get(collection, [])

    def by_id(self, collection: str, record_id: Any) -> QNRecord | None:
        if collection not in self._indexes:
            self._indexes[collection] = {str(r.get("id")): r for r in self.rows(collection)}
        return self._indexes[collection].get(str(record_id))


def _describe(record: Mapping[str, Any]) -> str:
    return f"record {record.get('id')!r}"


def _compare(op: str, actual: Any, expected: Any) -> bool:
    if op == "eq":
        return actual is None if expected is None else actual == expected
    if actual is None:
        return False
    if op == "in":
        return actual in expected
    if op == "gt":
        return actual > expected
    if op == "gte":
        return actual >= expected
    if op == "lt":
        return actual < expected
    if op == "lte":
        return actual <= expected
    if op == "contains":
        return expected.lower() in actual.lower()
    if op == "startsWith":
        return actual.lower().startswith(expected.lower())
    return actual.lower().endswith(expected.lower())


_OPERATORS = ("eq", "in", "gt", "gte", "lt", "lte", "contains", "startsWith", "endsWith")


class _Engine:
    """Resolves the Query list and connection fields of one schema against QN records."""

    def __init__(self, schema: GraphQLSchema) -> None:
        assert schema.query_type is not None
        self.entity: dict[str, GraphQLObjectType] = {}
        self.where: dict[str, GraphQLInputObjectType] = {}
        self.collection_of_where: dict[str, str] = {}
        self.connections: dict[str, str] = {}
        for name, field in schema.query_type.fields.items():
            if {"offset", "limit", "where", "orderBy"} <= field.args.keys() and is_list_type(
                get_nullable_type(field.type)
            ):
                entity = get_named_type(field.type)
                where = get_named_type(field.args["where"].type)
                assert isinstance(entity, GraphQLObjectType)
                assert isinstance(where, GraphQLInputObjectType)
                self.entity[name] = entity
                self.where[name] = where
                self.collection_of_where[where.name] = name
                field.resolve = self._list_resolver(name)
        for name, field in schema.query_type.fields.items():
            base = name.removesuffix("Connection")
            if name != base and base in self.entity and "where" in field.args:
                self.connections[name] = base
                field.resolve = self._connection_resolver(base)

    @property
    def collections(self) -> frozenset[str]:
        """The Query list field names, i.e. the keys QN records may have."""
        return frozenset(self.entity)

    def _list_resolver(self, collection: str) -> Callable[..., list[QNRecord]]:
        def resolve(_root: Any, info: GraphQLResolveInfo, **args: Any) -> list[QNRecord]:
            offset = args.get("offset") or 0
            limit = args.get("limit") or DEFAULT_LIMIT
            if offset < 0 or limit < 0:
                raise GraphQLError("offset and limit must not be negative")
            rows = self.select(info.context, collection, args.get("where"), args.get("orderBy"))
            return rows[offset : offset + limit]

        return resolve

    def _connection_resolver(self, collection: str) -> Callable[..., dict[str, int]]:
        def resolve(_root: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, int]:
            rows = self.select(info.context, collection, args.get("where"), args.get("orderBy"))
            return {"totalCount": len(rows)}

        return resolve

    def select(
        self,
        snapshot: _Snapshot,
        collection: str,
        where: Mapping[str, Any] | None,
        order_by: Sequence[str] | None,
    ) -> list[QNRecord]:
        """The rows of ``collection`` that match ``where``, sorted by ``order_by``."""
        predicate = self.compile_where(self.where[collection], where or {})
        keys = [self._sort_key(collection, item) for item in order_by or []]
        rows = [r for r in snapshot.rows(collection) if predicate(snapshot, r)]
        if keys:
            rows.sort(key=lambda r: str(r.get("id")))
            for key, descending in reversed(keys):
                rows.sort(key=key, reverse=descending)
        return rows

    # where ---------------------------------------------------------------------------------

    def compile_where(
        self, where_type: GraphQLInputObjectType, where: Mapping[str, Any]
    ) -> Predicate:
        """Turn a coerced ``where`` value into a predicate; unsupported keys raise at once."""
        checks = [self._compile_key(where_type, key, value) for key, value in where.items()]
        return lambda snapshot, record: all(check(snapshot, record) for check in checks)

    def _compile_key(self, where_type: GraphQLInputObjectType, key: str, value: Any) -> Predicate:
        if key in _LOGICAL:
            parts = [self.compile_where(where_type, item) for item in value or []]
            if key == "AND":
                return lambda s, r: all(p(s, r) for p in parts)
            if key == "OR":
                return lambda s, r: not parts or any(p(s, r) for p in parts)
            return lambda s, r: not any(p(s, r) for p in parts)
        if key not in where_type.fields:
            raise GraphQLError(f"unknown filter '{key}' on {where_type.name}")
        field_type = get_named_type(where_type.fields[key].type)
        if isinstance(field_type, GraphQLInputObjectType):
            if value is None:
                raise GraphQLError(f"unsupported filter '{key}: null' on {where_type.name}")
            relation, _, quantifier = key.rpartition("_")
            if relation and quantifier in _QUANTIFIERS:
                return self._compile_reverse(where_type, key, quantifier, field_type, value)
            return self._compile_relation(key, field_type, value)
        name, _, op = key.rpartition("_")
        if not name or op not in _OPERATORS:
            raise GraphQLError(f"unsupported filter '{key}' on {where_type.name}")
        return self._compile_scalar(where_type, key, name, op, field_type, value)

    def _compile_scalar(
        self,
        where_type: GraphQLInputObjectType,
        key: str,
        name: str,
        op: str,
        field_type: GraphQLNamedType,
        value: Any,
    ) -> Predicate:
        convert = self._converter(field_type)
        if value is None:
            if op != "eq":
                raise GraphQLError(f"filter '{key}' on {where_type.name} does not accept null")
            expected = None
        elif op == "in":
            expected = [convert(v) for v in value]
        else:
            expected = convert(value)

        def check(_snapshot: _Snapshot, record: Mapping[str, Any]) -> bool:
            if name not in record:
                raise GraphQLError(
                    f"{where_type.name}: {_describe(record)} has no field '{name}' "
                    f"for filter '{key}'"
                )
            actual = record[name]
            return _compare(op, None if actual is None else convert(actual), expected)

        return check

    def _compile_relation(
        self, relation: str, where_type: GraphQLInputObjectType, value: Mapping[str, Any]
    ) -> Predicate:
        target = self.collection_of_where.get(where_type.name)
        inner = self.compile_where(where_type, value)

        def check(snapshot: _Snapshot, record: Mapping[str, Any]) -> bool:
            related = self._related(snapshot, record, relation, target)
            return related is not None and inner(snapshot, related)

        return check

    def _compile_reverse(
        self,
        where_type: GraphQLInputObjectType,
        key: str,
        quantifier: str,
        child_where: GraphQLInputObjectType,
        value: Mapping[str, Any],
    ) -> Predicate:
        target = self.collection_of_where.get(child_where.name)
        back = [
            name
            for name, field in child_where.fields.items()
            if get_named_type(field.type) is where_type
            and name.rpartition("_")[2] not in _QUANTIFIERS
        ]
        if target is None or len(back) != 1:
            raise GraphQLError(
                f"unsupported filter '{key}' on {where_type.name}: no single back reference"
            )
        back_ref = back[0]
        inner = self.compile_where(child_where, value)

        def check(snapshot: _Snapshot, record: Mapping[str, Any]) -> bool:
            children = [
                child
                for child in snapshot.rows(target)
                if self._reference(child, back_ref) == str(record.get("id"))
            ]
            matches = (inner(snapshot, child) for child in children)
            if quantifier == "some":
                return any(matches)
            if quantifier == "none":
                return not any(matches)
            return all(matches)

        return check

    @staticmethod
    def _reference(record: Mapping[str, Any], relation: str) -> str | None:
        if isinstance(record.get(relation), Mapping):
            ref = record[relation].get("id")
        elif f"{relation}Id" in record:
            ref = record[f"{relation}Id"]
        elif relation in record and record[relation] is None:
            ref = None
        else:
            raise GraphQLError(f"{_describe(record)} has neither '{relation}' nor '{relation}Id'")
        return None if ref is None else str(ref)

    def _related(
        self,
        snapshot: _Snapshot,
        record: Mapping[str, Any],
        relation: str,
        target: str | None,
    ) -> Mapping[str, Any] | None:
        embedded = record.get(relation)
        if isinstance(embedded, Mapping):
            return embedded
        ref = self._reference(record, relation)
        if ref is None:
            return None
        if target is None:
            raise GraphQLError(
                f"{_describe(record)}: cannot follow '{relation}Id', no list holds its records"
            )
        return snapshot.by_id(target, ref)

    @staticmethod
    def _converter(field_type: GraphQLNamedType) -> Callable[[Any], Any]:
        name = field_type.name
        if name == "BigInt":
            return _bigint_int
        if name == "Int":
            return int
        if name == "Float":
            return float
        if name == "DateTime":
            return _parse_datetime
        if name == "Boolean":
            return bool
        if name == "JSONObject":

            def unsupported(_value: Any) -> Any:
                raise GraphQLError("JSONObject filters are not supported")

            return unsupported
        return str

    # orderBy -------------------------------------------------------------------------------

    def _sort_key(
        self, collection: str, item: str
    ) -> tuple[Callable[[Mapping[str, Any]], tuple[bool, Any]], bool]:
        field, _, direction = item.rpartition("_")
        if not field or direction not in ("ASC", "DESC"):
            raise GraphQLError(f"unsupported orderBy value '{item}'")
        where_type = self.where[collection]
        entity = self.entity[collection]
        relation = isinstance(
            get_named_type(where_type.fields[field].type) if field in where_type.fields else None,
            GraphQLInputObjectType,
        )
        field_type: GraphQLNamedType | None = None
        for op in _OPERATORS:
            if f"{field}_{op}" in where_type.fields:
                field_type = get_named_type(where_type.fields[f"{field}_{op}"].type)
                break
        if field_type is None and field in entity.fields:
            field_type = get_named_type(entity.fields[field].type)
        if relation or field_type is None:
            convert: Callable[[Any], Any] = str
        elif is_enum_type(field_type):
            assert isinstance(field_type, GraphQLEnumType)
            order = {name: index for index, name in enumerate(field_type.values)}
            convert = order.__getitem__
        else:
            convert = self._converter(field_type)

        def key(record: Mapping[str, Any]) -> tuple[bool, Any]:
            if relation or isinstance(record.get(field), Mapping):
                value = self._reference(record, field)
            elif field in record:
                value = record[field]
            else:
                raise GraphQLError(f"{_describe(record)} has no field '{field}' for orderBy {item}")
            if value is None:
                return (True, 0)
            return (False, convert(value))

        return key, direction == "DESC"


@dataclass(frozen=True)
class _QueryNode:
    schema: GraphQLSchema
    engine: _Engine

    @lru_cache(maxsize=256)  # noqa: B019 (one _QueryNode per schema path, kept for the run)
    def validate(self, document: DocumentNode) -> list[GraphQLError]:
        """Validation errors of a parsed request (cached: clients resend the same queries)."""
        return validate(self.schema, document)


@lru_cache(maxsize=256)
def _parse(query: str) -> DocumentNode:
    """Parse a request's query text once; documents are shared read-only."""
    return parse(query)


@cache
def _query_node(schema_path: Path) -> _QueryNode:
    schema = build_schema(schema_path.read_text())
    _set_scalar(schema.type_map["BigInt"], _bigint_output, _bigint_int)
    _set_scalar(schema.type_map["DateTime"], _datetime_output, _datetime_input)
    return _QueryNode(schema, _Engine(schema))


def build_qn_schema(schema_path: str | Path = SCHEMA_PATH) -> GraphQLSchema:
    """The executable query node schema (built once per path, resolvers attached)."""
    return _query_node(Path(schema_path).resolve()).schema


def root_fields(document: DocumentNode, operation_name: str | None) -> tuple[str, ...]:
    """Names of the root fields the selected operation asks for (through fragments too)."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return ()
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    names: list[str] = []

    def walk(selection_set: SelectionSetNode, seen: frozenset[str]) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names.append(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in fragments and name not in seen:
                    walk(fragments[name].selection_set, seen | {name})

    walk(operation.selection_set, frozenset())
    return tuple(dict.fromkeys(names))


# --- HTTP server -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """A planned failure for one request; see the module docstring for the kinds."""

    kind: str
    retry_after: int = 1
    delay: float = 3.0
    message: str = "injected error"
    field: str = "stake"
    rows: int = 1


@dataclass(frozen=True)
class RecordedRequest:
    """One POST the server received."""

    number: int
    path: str
    operation_name: str | None
    variables: dict[str, Any] | None
    root_fields: tuple[str, ...]
    query: str | None
    fault: str | None
    received_at: float = 0.0


class _BadRequest(Exception):
    pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    qn: QueryNodeServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet about clients that went away (timeouts, dropped connections)."""


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "qn-test-server"

    def log_message(self, format: str, *args: Any) -> None:
        """No access log on stderr."""

    def do_GET(self) -> None:
        self._send_json(400, {"errors": [{"message": "GET is not supported; POST JSON"}]})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        try:
            payload = _decode_payload(body)
        except _BadRequest as error:
            payload, problem = None, str(error)
        else:
            problem = None
        qn = self.server.qn
        fault = qn._register(self.path, payload)
        if fault is not None and fault.kind not in ANSWER_FAULTS and self._apply_fault(fault):
            return
        if problem is not None or payload is None:
            self._send_json(400, {"errors": [{"message": problem or "bad request"}]})
        elif self.path.split("?")[0] != "/graphql":
            self._send_text(404, "text/plain", "Not Found")
        elif fault is not None and fault.kind in ANSWER_FAULTS:
            status, answer = qn._answer(
                _shift_back(payload) if fault.kind == "repeat_rows" else payload
            )
            if status == 200:
                _alter_answer(answer, fault, payload)
            self._send_json(status, answer)
        else:
            status, answer = qn._answer(payload)
            self._send_json(status, answer)

    def _apply_fault(self, fault: Fault) -> bool:
        """Carry out ``fault``; True when the request has been fully answered."""
        kind = fault.kind
        if kind == "timeout":
            self.server.qn._stopping.wait(fault.delay)
            return self.server.qn._stopping.is_set()
        if kind == "connection_drop":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        if kind.startswith("http_"):
            code = int(kind.removeprefix("http_"))
            reason = _HTTP_REASONS[code]
            page = f"<html><body><h1>{code} {reason}</h1></body></html>"
            headers = {"Retry-After": str(fault.retry_after)} if code == 429 else {}
            self._send_text(code, "text/html", page, headers)
        elif kind == "non_json":
            page = "<!DOCTYPE html><html><body><h1>Maintenance</h1></body></html>"
            self._send_text(200, "text/html; charset=utf-8", page)
        elif kind == "graphql_errors":
            self._send_json(200, {"errors": [{"message": fault.message}], "data": None})
        elif kind == "data_null":
            self._send_json(200, {"data": None})
        return True

    def _send_json(self, status: int, answer: Any) -> None:
        self._send_text(status, "application/json; charset=utf-8", json.dumps(answer))

    def _send_text(
        self, status: int, content_type: str, text: str, headers: Mapping[str, str] | None = None
    ) -> None:
        body = text.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True


def _offset_and_limit(payload: Mapping[str, Any]) -> tuple[int, int]:
    variables = payload.get("variables") or {}
    offset, limit = variables.get("offset"), variables.get("limit")
    offset = offset if isinstance(offset, int) and not isinstance(offset, bool) else 0
    limit = limit if isinstance(limit, int) and not isinstance(limit, bool) and limit else 0
    return offset, limit or DEFAULT_LIMIT


def _shift_back(payload: Mapping[str, Any]) -> Mapping[str, Any]:
    """The request for the previous page (``offset - limit``), or ``payload`` on a first page."""
    offset, limit = _offset_and_limit(payload)
    if offset <= 0:
        return payload
    variables = {**payload["variables"], "offset": max(0, offset - limit)}
    return {**payload, "variables": variables}


def _alter_answer(answer: dict[str, Any], fault: Fault, payload: Mapping[str, Any]) -> None:
    """Apply an answer fault (see the module docstring) to a 200 answer, in place."""
    data = answer.get("data")
    if not isinstance(data, dict) or answer.get("errors"):
        return
    first_page = _offset_and_limit(payload)[0] <= 0
    for key, value in data.items():
        if not isinstance(value, list):
            continue
        rows = [row for row in value if isinstance(row, dict)]
        if fault.kind == "repeat_rows":
            if first_page and len(value) >= 2:
                value[-1] = copy.deepcopy(value[0])
        elif fault.kind == "short_page":
            data[key] = value[: max(0, len(value) - fault.rows)]
        elif fault.kind == "missing_field":
            for row in rows:
                row.pop(fault.field, None)
        elif fault.kind == "bad_bigint":
            for row in rows:
                if row.get(fault.field) is not None:
                    row[fault.field] = BAD_BIGINT
                    break


def _decode_payload(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _BadRequest("the POST body is not valid JSON") from None
    if not isinstance(payload, dict):
        raise _BadRequest("the POST body must be a JSON object")
    if not isinstance(payload.get("query"), str):
        raise _BadRequest("'query' must be a string")
    if not isinstance(payload.get("variables") or {}, dict):
        raise _BadRequest("'variables' must be an object")
    if not isinstance(payload.get("operationName") or "", str):
        raise _BadRequest("'operationName' must be a string")
    return payload


class QueryNodeServer:
    """A GraphQL query node on 127.0.0.1 serving QN records; started on construction.

    ``url`` is ``http://127.0.0.1:PORT/graphql``. ``requests`` and ``faults`` are snapshots
    taken under a lock; ``set_data``, ``inject`` and ``clear`` may be called while it serves.
    """

    def __init__(
        self,
        records: Mapping[str, list[QNRecord]] | None = None,
        schema_path: str | Path = SCHEMA_PATH,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._node = _query_node(Path(schema_path).resolve())
        self._lock = threading.Lock()
        self._records: QNRecords = {}
        self._requests: list[RecordedRequest] = []
        self._faults: dict[int, Fault] = {}
        self._count = 0
        self._stopping = threading.Event()
        self.set_data(records or {})
        self._httpd = _HTTPServer((host, port), _Handler)
        self._httpd.qn = self
        self.host, self.port = self._httpd.server_address[:2]
        self.url = f"http://{self.host}:{self.port}/graphql"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()

    @property
    def schema(self) -> GraphQLSchema:
        """The executable schema the server answers with."""
        return self._node.schema

    @property
    def collections(self) -> frozenset[str]:
        """The list field names QN records may have."""
        return self._node.engine.collections

    @property
    def records(self) -> QNRecords:
        """The records being served (do not mutate; use ``set_data``)."""
        with self._lock:
            return self._records

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every POST so far, oldest first."""
        with self._lock:
            return list(self._requests)

    @property
    def faults(self) -> dict[int, Fault]:
        """Faults planned and not yet fired, by request number."""
        with self._lock:
            return dict(self._faults)

    def set_data(self, records: Mapping[str, list[QNRecord]]) -> None:
        """Replace the served records (deep-copied); unknown list names are an error."""
        unknown = set(records) - self.collections
        if unknown:
            raise ValueError(f"not list fields of the schema: {sorted(unknown)}")
        data = copy.deepcopy({name: list(rows) for name, rows in records.items()})
        with self._lock:
            self._records = data

    def inject(
        self,
        at_request: int | None = None,
        kind: str = "http_500",
        *,
        retry_after: int = 1,
        delay: float = 3.0,
        message: str = "injected error",
        field: str = "stake",
        rows: int = 1,
    ) -> Fault:
        """Plan a fault for POST number ``at_request`` (default: the next POST).

        Numbering starts at 1 and counts every POST since start or ``clear()``. The fault
        fires once. ``retry_after`` (whole seconds) is for ``http_429``, ``delay`` for
        ``timeout``, ``message`` for ``graphql_errors``, ``field`` for ``missing_field`` and
        ``bad_bigint``, ``rows`` (at least 1) for ``short_page``.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {sorted(FAULT_KINDS)}")
        if rows < 1:
            raise ValueError("rows must be at least 1")
        fault = Fault(
            kind, retry_after=retry_after, delay=delay, message=message, field=field, rows=rows
        )
        with self._lock:
            number = self._count + 1 if at_request is None else at_request
            if number <= self._count:
                raise ValueError(f"request {number} has already been received")
            if number in self._faults:
                raise ValueError(f"a fault is already planned for request {number}")
            self._faults[number] = fault
        return fault

    def clear(self) -> None:
        """Forget recorded requests and planned faults; numbering restarts at 1."""
        with self._lock:
            self._requests.clear()
            self._faults.clear()
            self._count = 0

    def stop(self) -> None:
        """Stop serving and release the port (idempotent)."""
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> QueryNodeServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _register(self, path: str, payload: Mapping[str, Any] | None) -> Fault | None:
        operation_name = variables = query = None
        fields: tuple[str, ...] = ()
        if payload is not None:
            operation_name = payload.get("operationName")
            variables = payload.get("variables")
            query = payload.get("query")
            try:
                fields = root_fields(_parse(query), operation_name)
            except GraphQLError:
                fields = ()
        with self._lock:
            self._count += 1
            fault = self._faults.pop(self._count, None)
            self._requests.append(
                RecordedRequest(
                    number=self._count,
                    path=path,
                    operation_name=operation_name,
                    variables=variables,
                    root_fields=fields,
                    query=query,
                    fault=fault.kind if fault else None,
                    received_at=time.monotonic(),
                )
            )
        return fault

    def _answer(self, payload: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """Run one GraphQL request: (HTTP status, JSON answer)."""
        schema = self._node.schema
        operation_name = payload.get("operationName")
        try:
            document = _parse(payload["query"])
        except GraphQLError as error:
            return 400, {"errors": [error.formatted]}
        errors = self._node.validate(document)
        if errors:
            return 400, {"errors": [e.formatted for e in errors]}
        if get_operation_ast(document, operation_name) is None:
            message = (
                f"Unknown operation named '{operation_name}'."
                if operation_name
                else "Must provide operation name if query contains multiple operations."
            )
            return 400, {"errors": [{"message": message}]}
        with self._lock:
            snapshot = _Snapshot(self._records)
        result = execute_sync(
            schema,
            document,
            context_value=snapshot,
            variable_values=payload.get("variables"),
            operation_name=operation_name,
        )
        if result.data is None and result.errors and all(e.path is None for e in result.errors):
            return 400, {"errors": [e.formatted for e in result.errors]}
        return 200, result.formatted
