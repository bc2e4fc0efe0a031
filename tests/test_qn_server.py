"""The test query node: real HTTP on 127.0.0.1, query node paging/filtering, faults, fixture."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
import requests
from gql import Client, GraphQLRequest, gql
from gql.transport.exceptions import TransportQueryError, TransportServerError
from gql.transport.requests import RequestsHTTPTransport
from graphql import OperationDefinitionNode, build_schema, graphql_sync, parse
from qn_server import FAULT_KINDS, SCHEMA_PATH, SMALL_FIXTURE, QueryNodeServer, load_records

from council.queries import query_files

TWO_63 = 2**63
FIXTURE = load_records(SMALL_FIXTURE)


def post(
    server: QueryNodeServer,
    query: str,
    variables: dict[str, Any] | None = None,
    operation_name: str | None = None,
    timeout: float = 5,
) -> requests.Response:
    body: dict[str, Any] = {"query": query}
    if variables is not None:
        body["variables"] = variables
    if operation_name is not None:
        body["operationName"] = operation_name
    return requests.post(server.url, json=body, timeout=timeout)


def data(server: QueryNodeServer, query: str, **variables: Any) -> dict[str, Any]:
    response = post(server, query, variables or None)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "errors" not in answer, answer["errors"]
    return answer["data"]


def errors(server: QueryNodeServer, query: str, **variables: Any) -> list[str]:
    response = post(server, query, variables or None)
    answer = response.json()
    assert answer.get("errors"), answer
    return [e["message"] for e in answer["errors"]]


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


def generated_rounds(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"r{n:03d}",
            "cycleId": n,
            "isFinished": True,
            "electedCouncilId": "c",
            "createdAt": f"2023-01-01T00:{n // 60:02d}:{n % 60:02d}.000Z",
        }
        for n in range(count)
    ]


# --- paging ----------------------------------------------------------------------------------


def test_graphql_core_passes_the_schema_default_limit_to_resolvers() -> None:
    schema = build_schema(SCHEMA_PATH.read_text())
    seen: list[dict[str, Any]] = []

    def spy(_root: Any, _info: Any, **args: Any) -> list[Any]:
        seen.append(args)
        return []

    schema.query_type.fields["candidates"].resolve = spy
    assert graphql_sync(schema, "{ candidates { id } }").errors is None
    query = "query C($limit: Int) { candidates(limit: $limit) { id } }"
    assert graphql_sync(schema, query, variable_values={}).errors is None
    assert seen == [{"limit": 50}, {"limit": 50}]


def test_default_limit_50_applies_when_the_client_passes_none(qn_server: QueryNodeServer) -> None:
    qn_server.set_data({"electionRounds": generated_rounds(60)})
    assert len(data(qn_server, "{ electionRounds { id } }")["electionRounds"]) == 50
    by_variable = "query R($limit: Int) { electionRounds(limit: $limit) { id } }"
    assert len(data(qn_server, by_variable)["electionRounds"]) == 50
    assert len(data(qn_server, by_variable, limit=None)["electionRounds"]) == 50
    assert len(data(qn_server, by_variable, limit=100)["electionRounds"]) == 60
    count = data(qn_server, "{ electionRoundsConnection { totalCount } }")
    assert count["electionRoundsConnection"]["totalCount"] == 60


def test_offset_limit_pages_cover_the_list_once(qn_server: QueryNodeServer) -> None:
    query = """query P($offset: Int!, $limit: Int!) {
      castVotes(offset: $offset, limit: $limit, orderBy: [createdAt_ASC]) { id }
    }"""
    pages = [data(qn_server, query, offset=o, limit=7)["castVotes"] for o in range(0, 35, 7)]
    assert [len(p) for p in pages] == [7, 7, 7, 7, 2]
    everything = data(qn_server, query, offset=0, limit=1000)["castVotes"]
    assert [row for page in pages for row in page] == everything
    assert len(set(ids(everything))) == len(FIXTURE["castVotes"])
    assert data(qn_server, query, offset=30, limit=7)["castVotes"] == []
    assert "must not be negative" in errors(qn_server, query, offset=-1, limit=7)[0]


# --- orderBy ---------------------------------------------------------------------------------


def test_order_by_bigint_compares_numbers_not_text(qn_server: QueryNodeServer) -> None:
    rows = data(qn_server, "{ candidates(orderBy: [votePower_DESC]) { id votePower } }")
    powers = [int(r["votePower"]) for r in rows["candidates"]]
    assert powers == sorted(powers, reverse=True)
    assert rows["candidates"][0] == {"id": "0000000s", "votePower": "10002000000000000000"}


def test_order_by_several_keys_relation_and_enum_order(qn_server: QueryNodeServer) -> None:
    query = "{ candidates(orderBy: [electionRound_ASC, status_ASC, votePower_DESC]) { id status } }"
    rows = data(qn_server, query)["candidates"]
    assert ids(rows) == [
        "00000007",  # cycle 1: WITHDRAWN before ELECTED (enum order)
        "00000006",
        "00000008",
        "0000000a",
        "00000009",
        "0000000s",  # cycle 2: ELECTED by vote power, then FAILED
        "0000000t",
        "0000000u",
        "0000000v",
        "0000001d",  # cycle 3: ACTIVE (ties broken by id), then WITHDRAWN
        "0000001e",
        "0000001g",
        "0000001f",
    ]


def test_order_by_puts_nulls_last_ascending_and_first_descending(
    qn_server: QueryNodeServer,
) -> None:
    asc = data(qn_server, "{ electionRounds(orderBy: [endedAtBlock_ASC]) { cycleId } }")
    desc = data(qn_server, "{ electionRounds(orderBy: [endedAtBlock_DESC]) { cycleId } }")
    assert [r["cycleId"] for r in asc["electionRounds"]] == [1, 2, 3]
    assert [r["cycleId"] for r in desc["electionRounds"]] == [3, 2, 1]


def test_order_by_ties_are_broken_by_id(qn_server: QueryNodeServer) -> None:
    shuffled = list(reversed(FIXTURE["councilMembers"]))
    qn_server.set_data({**FIXTURE, "councilMembers": shuffled})
    rows = data(qn_server, "{ councilMembers(orderBy: [stake_ASC]) { id stake } }")
    cheapest = [r["id"] for r in rows["councilMembers"] if r["stake"] == "500000000000000"]
    assert cheapest == ["00000002", "00000003", "00000004", "0000000p"]


# --- where -----------------------------------------------------------------------------------

VOTER = FIXTURE["castVotes"][0]["castBy"]

WHERE_CASES = [
    ("candidates", {"status_eq": "ELECTED"}, 6),
    ("candidates", {"status_in": ["ACTIVE", "WITHDRAWN"]}, 5),
    ("candidates", {"stake_gte": "700000000000000"}, 3),
    ("candidates", {"stake_lt": "520000000000000"}, 6),
    ("candidates", {"stake_gt": str(TWO_63)}, 1),
    ("candidates", {"NOT": [{"status_eq": "ELECTED"}]}, 7),
    ("candidates", {"OR": [{"status_eq": "FAILED"}, {"stake_gte": "700000000000000"}]}, 4),
    ("candidates", {"AND": [{"electionRound": {"cycleId_gte": 2}}, {"status_eq": "ELECTED"}]}, 3),
    ("candidates", {"electionRound": {"isFinished_eq": False}}, 4),
    ("candidates", {"stakingAccountId_startsWith": "J4"}, 13),
    ("castVotes", {"electionRound": {"cycleId_eq": 3}}, 6),
    ("castVotes", {"voteFor": {"status_eq": "FAILED"}}, 5),
    ("castVotes", {"voteFor": {"electionRound": {"cycleId_eq": 1}}}, 10),
    ("castVotes", {"votePower_eq": "0"}, 10),
    ("castVotes", {"stake_gt": str(TWO_63 - 1)}, 1),
    ("castVotes", {"castBy_eq": VOTER}, 2),
    ("castVotes", {"castBy_contains": VOTER[5:15].upper()}, 2),
    ("castVotes", {"commitment_endsWith": FIXTURE["castVotes"][3]["commitment"][-6:]}, 1),
    ("councilMembers", {"electedInCouncil": {"endedAtBlock_eq": None}}, 3),
    ("councilMembers", {"unpaidReward_gt": "0"}, 1),
    ("electedCouncils", {"councilMembers_some": {"unpaidReward_gt": "0"}}, 1),
    ("electedCouncils", {"endedAtTime_lt": "2023-01-30T10:00:06Z"}, 1),
    ("electionRounds", {"createdAt_gte": "2023-01-30T10:00:06Z"}, 1),
    ("electionRounds", {"candidates_some": {"status_eq": "WITHDRAWN"}}, 2),
    ("electionRounds", {"castVotes_every": {"votePower_eq": "0"}}, 1),
    ("electionRounds", {"castVotes_none": {"stake_gt": str(TWO_63)}}, 2),
    ("electionRounds", {"id_in": ["00000005", "0000001c", "nope"]}, 2),
]


@pytest.mark.parametrize(("field", "where", "expected"), WHERE_CASES)
def test_where_filters(
    qn_server: QueryNodeServer, field: str, where: dict[str, Any], expected: int
) -> None:
    where_type = qn_server.schema.query_type.fields[field].args["where"].type
    query = f"""query F($where: {where_type}) {{
      {field}(where: $where, limit: 1000) {{ id }}
      {field}Connection(where: $where) {{ totalCount }}
    }}"""
    result = data(qn_server, query, where=where)
    assert len(result[field]) == expected
    assert result[f"{field}Connection"]["totalCount"] == expected


def test_where_as_literal_with_nested_relation(qn_server: QueryNodeServer) -> None:
    query = (
        "{ castVotes(where: {electionRound: {cycleId_gte: 2}}, limit: 100) { electionRoundId } }"
    )
    rows = data(qn_server, query)["castVotes"]
    assert {r["electionRoundId"] for r in rows} == {"0000000r", "0000001c"}
    assert len(rows) == 18


UNSUPPORTED = [
    ("candidates", "{deletedAt_all: true}", "deletedAt_all"),
    ("candidates", '{updatedAt_gt: "2023-01-01T00:00:00Z"}', "no field 'updatedAt'"),
    ("candidates", "{stakeLocked_eq: true}", "no field 'stakeLocked'"),
    ("candidates", "{votePower_gt: null}", "does not accept null"),
    ("electedCouncils", "{councilElections_some: {cycleId_eq: 1}}", "councilElections_some"),
    ("proposals", "{details_json: {}}", "details_json"),
]


@pytest.mark.parametrize(("field", "where", "message"), UNSUPPORTED)
def test_unsupported_filters_are_errors_even_on_empty_lists(
    qn_server: QueryNodeServer, field: str, where: str, message: str
) -> None:
    response = post(qn_server, f"{{ {field}(where: {where}) {{ id }} }}")
    assert response.status_code == 200
    answer = response.json()
    assert answer["data"] is None
    assert message in answer["errors"][0]["message"]
    assert answer["errors"][0]["path"] == [field]


def test_filter_keys_outside_the_schema_are_rejected_with_400(qn_server: QueryNodeServer) -> None:
    literal = post(qn_server, '{ candidates(where: {handle_eq: "x"}) { id } }')
    assert literal.status_code == 400
    assert "handle_eq" in literal.json()["errors"][0]["message"]
    query = "query C($where: CandidateWhereInput) { candidates(where: $where) { id } }"
    variable = post(qn_server, query, {"where": {"handle_eq": "x"}})
    assert variable.status_code == 400
    assert "data" not in variable.json()
    assert "handle_eq" in variable.json()["errors"][0]["message"]


# --- connections, BigInt ---------------------------------------------------------------------


def test_total_count_of_every_list(qn_server: QueryNodeServer) -> None:
    fields = sorted(qn_server.collections)
    query = "{ " + " ".join(f"{f}Connection {{ totalCount }}" for f in fields) + " }"
    result = data(qn_server, query)
    assert {f: result[f"{f}Connection"]["totalCount"] for f in fields} == {
        f: len(FIXTURE.get(f, [])) for f in fields
    }


def test_bigint_above_2_63_round_trips_as_a_string(qn_server: QueryNodeServer) -> None:
    rows = data(qn_server, '{ castVotes(where: {stake_gte: "10000000000000000000"}) { stake } }')
    assert rows["castVotes"] == [{"stake": "10000000000000000000"}]
    literal = data(qn_server, "{ castVotes(where: {stake_gt: 9223372036854775807}) { id } }")
    assert ids(literal["castVotes"]) == ["0000000x"]
    huge = {**FIXTURE["castVotes"][0], "stake": 2**70, "votePower": str(2**80)}
    qn_server.set_data({"castVotes": [huge]})
    raw = post(qn_server, "{ castVotes { stake votePower } }").text
    assert f'"stake": "{2**70}"' in raw
    assert f'"votePower": "{2**80}"' in raw


def test_a_bigint_that_is_not_a_number_is_a_field_error(qn_server: QueryNodeServer) -> None:
    bad = {**FIXTURE["castVotes"][0], "stake": "12.5"}
    qn_server.set_data({"castVotes": [bad]})
    assert "BigInt cannot represent '12.5'" in errors(qn_server, "{ castVotes { stake } }")[0]


def test_set_data_rejects_unknown_list_names(qn_server: QueryNodeServer) -> None:
    with pytest.raises(ValueError, match="candidate"):
        qn_server.set_data({"candidate": []})


# --- unions, proposals and budget events -----------------------------------------------------

UNION_QUERY = """{
  proposals(where: {id_in: ["0000001r", "0000001v", "00000020"]}, orderBy: [createdAt_DESC]) {
    id
    status { __typename ... on ProposalStatusExecutionFailed { errorMessage } }
    details {
      __typename
      ... on FundingRequestProposalDetails { destinationsList { destinations { amount } } }
    }
  }
}"""


def test_unions_resolve_by_typename(qn_server: QueryNodeServer) -> None:
    def funding(*amounts: str) -> dict[str, Any]:
        return {
            "__typename": "FundingRequestProposalDetails",
            "destinationsList": {"destinations": [{"amount": a} for a in amounts]},
        }

    assert data(qn_server, UNION_QUERY)["proposals"] == [
        {
            "id": "00000020",
            "status": {
                "__typename": "ProposalStatusExecutionFailed",
                "errorMessage": "InsufficientFundsForFundingRequest",
            },
            "details": funding("2000000000000000"),
        },
        {
            "id": "0000001v",
            "status": {"__typename": "ProposalStatusExecuted"},
            "details": funding("1200000000000000", "355002500000000"),
        },
        {
            "id": "0000001r",
            "status": {"__typename": "ProposalStatusRejected"},
            "details": {"__typename": "SignalProposalDetails"},
        },
    ]


def test_union_values_without_a_member_typename_are_field_errors(
    qn_server: QueryNodeServer,
) -> None:
    proposal = next(p for p in FIXTURE["proposals"] if p["id"] == "0000001r")
    qn_server.set_data({"proposals": [{**proposal, "details": {"text": "no typename"}}]})
    assert "'ProposalDetails' must resolve to an Object type" in errors(qn_server, UNION_QUERY)[0]
    foreign = {**proposal, "status": {"__typename": "SignalProposalDetails"}}
    qn_server.set_data({"proposals": [foreign]})
    message = errors(qn_server, UNION_QUERY)[0]
    assert "'SignalProposalDetails' is not a possible type for 'ProposalStatus'" in message


PROPOSAL_LIST_CASES = [
    ("proposalVotedEvents(where: {proposal: {isFinalized_eq: false}})", ["0000002m"]),
    (
        "proposalVotedEvents(where: {voteKind_in: [ABSTAIN, SLASH]}, orderBy: [voteKind_ASC])",
        ["0000001s", "00000028"],
    ),
    ("proposals(where: {votes_none: {}})", ["0000002j"]),
    ("proposals(where: {votes_some: {votingRound_eq: 2}})", ["00000029"]),
    (
        "proposals(where: {statusSetAtBlock_gt: 403201}, orderBy: [statusSetAtBlock_DESC])",
        ["0000002l", "0000002j", "00000029"],
    ),
    ('rewardPaymentEvents(where: {missingBalance_gt: "0"})', ["0000002f"]),
    ("budgetRefillEvents(orderBy: [balance_DESC])", ["0000001u", "0000002k", "00000026"]),
    ("councilorRewardUpdatedEvents(orderBy: [createdAt_DESC])", ["0000002o", "0000001n"]),
]


@pytest.mark.parametrize(("selection", "expected"), PROPOSAL_LIST_CASES)
def test_proposal_and_budget_lists_filter_and_sort(
    qn_server: QueryNodeServer, selection: str, expected: list[str]
) -> None:
    (rows,) = data(qn_server, f"{{ {selection} {{ id }} }}").values()
    assert ids(rows) == expected


# --- the project's operations, gql, introspection --------------------------------------------


def operations() -> list[tuple[str, str]]:
    found = []
    for path in query_files():
        for definition in parse(path.read_text()).definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                found.append((path.name, definition.name.value))
    return found


@pytest.mark.parametrize(("file_name", "operation"), operations())
def test_every_project_query_runs_on_the_fixture(
    qn_server: QueryNodeServer, file_name: str, operation: str
) -> None:
    text = next(p for p in query_files() if p.name == file_name).read_text()
    definition = next(
        d
        for d in parse(text).definitions
        if isinstance(d, OperationDefinitionNode) and d.name and d.name.value == operation
    )
    declared = {v.variable.name.value for v in definition.variable_definitions}
    variables = {k: v for k, v in {"offset": 0, "limit": 1000}.items() if k in declared}
    response = post(qn_server, text, variables, operation)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert "errors" not in answer, answer["errors"]
    (field,) = answer["data"]
    assert qn_server.requests[-1].root_fields == (field,)
    if field.endswith("Connection"):
        assert answer["data"][field]["totalCount"] == len(
            FIXTURE.get(field[: -len("Connection")], [])
        )
    else:
        assert ids(answer["data"][field]) == ids(FIXTURE.get(field, []))


def test_gql_client_fetches_the_schema_by_introspection(qn_server: QueryNodeServer) -> None:
    transport = RequestsHTTPTransport(url=qn_server.url, timeout=5)
    with Client(transport=transport, fetch_schema_from_transport=True) as session:
        query = "query Q($n: Int!) { electedCouncils(limit: $n) { id endedAtBlock } }"
        result = session.execute(
            GraphQLRequest(query, variable_values={"n": 2}, operation_name="Q")
        )
    assert result == {
        "electedCouncils": [
            {"id": "00000001", "endedAtBlock": 201601},
            {"id": "0000000n", "endedAtBlock": 403201},
        ]
    }
    assert [r.root_fields for r in qn_server.requests] == [("__schema",), ("electedCouncils",)]
    assert qn_server.requests[1].operation_name == "Q"
    assert qn_server.requests[1].variables == {"n": 2}


# --- HTTP ------------------------------------------------------------------------------------


def test_http_errors_for_bad_requests(qn_server: QueryNodeServer) -> None:
    assert requests.get(qn_server.url, timeout=5).status_code == 400
    not_json = requests.post(qn_server.url, data=b"{nope", timeout=5)
    assert not_json.status_code == 400
    assert "not valid JSON" in not_json.json()["errors"][0]["message"]
    no_query = requests.post(qn_server.url, json={"variables": {}}, timeout=5)
    assert no_query.status_code == 400
    wrong_path = requests.post(
        qn_server.url.replace("/graphql", "/gql"), json={"query": "{x}"}, timeout=5
    )
    assert wrong_path.status_code == 404
    syntax = post(qn_server, "{ candidates { id }")
    assert syntax.status_code == 400
    assert "Syntax Error" in syntax.json()["errors"][0]["message"]
    unknown_operation = post(qn_server, "query A { candidates { id } }", operation_name="B")
    assert unknown_operation.status_code == 400
    missing_variable = post(qn_server, "query A($n: Int!) { candidates(limit: $n) { id } }")
    assert missing_variable.status_code == 400
    assert [r.number for r in qn_server.requests] == [1, 2, 3, 4, 5, 6]
    assert qn_server.requests[0].operation_name is None
    assert qn_server.requests[0].root_fields == ()


def test_requests_record_operation_variables_and_root_fields(qn_server: QueryNodeServer) -> None:
    query = """
      fragment Seats on Query { councilMembers(limit: $n) { id } }
      query Both($n: Int) { a: candidates(limit: $n) { id } ...Seats }
      query Other { electionRounds { id } }
    """
    post(qn_server, query, {"n": 1}, "Both")
    (request,) = qn_server.requests
    assert request.number == 1
    assert request.operation_name == "Both"
    assert request.variables == {"n": 1}
    assert request.root_fields == ("candidates", "councilMembers")
    assert request.fault is None


# --- faults ----------------------------------------------------------------------------------

QUERY = "{ electedCouncils { id } }"


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_http_error_faults(qn_server: QueryNodeServer, status: int) -> None:
    qn_server.inject(at_request=2, kind=f"http_{status}")
    first, second, third = (post(qn_server, QUERY) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (200, status, 200)
    assert second.headers["Content-Type"].startswith("text/html")
    assert [r.fault for r in qn_server.requests] == [None, f"http_{status}", None]
    assert qn_server.faults == {}


def test_http_429_sends_retry_after(qn_server: QueryNodeServer) -> None:
    qn_server.inject(at_request=1, kind="http_429", retry_after=7)
    response = post(qn_server, QUERY)
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert post(qn_server, QUERY).status_code == 200


def test_timeout_fault_outlasts_the_client_timeout(qn_server: QueryNodeServer) -> None:
    qn_server.inject(kind="timeout", delay=0.5)
    with pytest.raises(requests.ReadTimeout):
        post(qn_server, QUERY, timeout=0.1)
    assert post(qn_server, QUERY).status_code == 200
    assert [r.fault for r in qn_server.requests] == ["timeout", None]


def test_timeout_fault_answers_normally_after_the_delay(qn_server: QueryNodeServer) -> None:
    qn_server.inject(kind="timeout", delay=0.2)
    response = post(qn_server, QUERY, timeout=5)
    assert response.status_code == 200
    assert len(response.json()["data"]["electedCouncils"]) == 3


def test_non_json_fault(qn_server: QueryNodeServer) -> None:
    qn_server.inject(kind="non_json")
    response = post(qn_server, QUERY)
    assert response.status_code == 200
    assert response.text.startswith("<!DOCTYPE html>")
    with pytest.raises(ValueError):
        response.json()


def test_graphql_errors_and_data_null_faults(qn_server: QueryNodeServer) -> None:
    qn_server.inject(at_request=1, kind="graphql_errors", message="database is busy")
    qn_server.inject(at_request=2, kind="data_null")
    assert post(qn_server, QUERY).json() == {
        "errors": [{"message": "database is busy"}],
        "data": None,
    }
    assert post(qn_server, QUERY).json() == {"data": None}
    assert "errors" not in post(qn_server, QUERY).json()


def test_connection_drop_fault(qn_server: QueryNodeServer) -> None:
    qn_server.inject(kind="connection_drop")
    with pytest.raises(requests.ConnectionError):
        post(qn_server, QUERY)
    assert post(qn_server, QUERY).status_code == 200


def test_faults_through_gql(qn_server: QueryNodeServer) -> None:
    qn_server.inject(at_request=1, kind="http_502")
    qn_server.inject(at_request=2, kind="graphql_errors", message="boom")
    with Client(transport=RequestsHTTPTransport(url=qn_server.url, timeout=5)) as session:
        with pytest.raises(TransportServerError) as server_error:
            session.execute(gql(QUERY))
        assert server_error.value.code == 502
        with pytest.raises(TransportQueryError, match="boom"):
            session.execute(gql(QUERY))
        assert len(session.execute(gql(QUERY))["electedCouncils"]) == 3


PAGE = """
query Page($offset: Int, $limit: Int) {
  castVotes(offset: $offset, limit: $limit, orderBy: [createdAt_ASC]) { id stake votePower }
  castVotesConnection(orderBy: [createdAt_ASC]) { totalCount }
}
"""


def page(server: QueryNodeServer, offset: int | None, limit: int | None) -> dict[str, Any]:
    """One page of votes through PAGE; the answer must be a clean 200 with data."""
    variables = {k: v for k, v in {"offset": offset, "limit": limit}.items() if v is not None}
    response = post(server, PAGE, variables)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    answer = response.json()
    assert set(answer) == {"data"}, answer
    return answer["data"]


def test_repeat_rows_answers_the_previous_page(qn_server: QueryNodeServer) -> None:
    votes = ids(FIXTURE["castVotes"])
    qn_server.inject(at_request=2, kind="repeat_rows")
    assert ids(page(qn_server, 0, 5)["castVotes"]) == votes[0:5]
    repeated = page(qn_server, 5, 5)
    assert ids(repeated["castVotes"]) == votes[0:5], "the page at offset 0 instead of 5"
    assert repeated["castVotesConnection"] == {"totalCount": len(votes)}
    assert ids(page(qn_server, 5, 5)["castVotes"]) == votes[5:10], "fires once"
    assert [r.fault for r in qn_server.requests] == [None, "repeat_rows", None]
    assert qn_server.requests[1].variables == {"offset": 5, "limit": 5}, "recorded as sent"


def test_repeat_rows_near_the_start(qn_server: QueryNodeServer) -> None:
    votes = ids(FIXTURE["castVotes"])
    qn_server.inject(at_request=1, kind="repeat_rows")
    qn_server.inject(at_request=2, kind="repeat_rows")
    qn_server.inject(at_request=3, kind="repeat_rows")
    assert ids(page(qn_server, None, 4)["castVotes"]) == [*votes[0:3], votes[0]]
    assert ids(page(qn_server, 3, None)["castVotes"]) == votes, (
        "offset 3 with the default limit 50 goes back to offset 0: rows 0-2 come again"
    )
    assert ids(page(qn_server, 0, 1)["castVotes"]) == votes[0:1], "one row: nothing to repeat"


def test_short_page_drops_the_last_rows(qn_server: QueryNodeServer) -> None:
    votes = ids(FIXTURE["castVotes"])
    qn_server.inject(at_request=1, kind="short_page")
    qn_server.inject(at_request=2, kind="short_page", rows=3)
    short = page(qn_server, 10, 5)
    assert ids(short["castVotes"]) == votes[10:14]
    assert short["castVotesConnection"] == {"totalCount": len(votes)}, "counts are left alone"
    assert ids(page(qn_server, 10, 5)["castVotes"]) == votes[10:12]
    assert ids(page(qn_server, 10, 5)["castVotes"]) == votes[10:15]
    with pytest.raises(ValueError, match="at least 1"):
        qn_server.inject(kind="short_page", rows=0)


def test_missing_field_is_removed_from_every_row(qn_server: QueryNodeServer) -> None:
    qn_server.inject(at_request=1, kind="missing_field")
    qn_server.inject(at_request=2, kind="missing_field", field="votePower")
    rows = page(qn_server, 0, 5)["castVotes"]
    assert len(rows) == 5
    assert all(set(row) == {"id", "votePower"} for row in rows)
    rows = page(qn_server, 0, 5)["castVotes"]
    assert all(set(row) == {"id", "stake"} for row in rows)
    assert all(
        set(row) == {"id", "stake", "votePower"} for row in page(qn_server, 0, 5)["castVotes"]
    )


def test_bad_bigint_spoils_one_value(qn_server: QueryNodeServer) -> None:
    votes = FIXTURE["castVotes"]
    qn_server.inject(at_request=1, kind="bad_bigint")
    qn_server.inject(at_request=2, kind="bad_bigint", field="votePower")
    rows = page(qn_server, 0, 5)["castVotes"]
    assert rows[0]["stake"] == "12abc"
    assert [r["stake"] for r in rows[1:]] == [v["stake"] for v in votes[1:5]]
    assert [r["votePower"] for r in rows] == [v["votePower"] for v in votes[0:5]]
    rows = page(qn_server, 0, 5)["castVotes"]
    assert rows[0]["votePower"] == "12abc" and rows[0]["stake"] == votes[0]["stake"]


def test_answer_faults_leave_error_answers_and_lists_without_rows_alone(
    qn_server: QueryNodeServer,
) -> None:
    qn_server.inject(at_request=1, kind="missing_field")
    qn_server.inject(at_request=2, kind="short_page")
    bad = post(qn_server, "{ candidates(where: {nope_eq: 1}) { id } }")
    assert bad.status_code == 400 and "data" not in bad.json()
    assert page(qn_server, 100, 5)["castVotes"] == []
    assert [r.fault for r in qn_server.requests] == ["missing_field", "short_page"]


def test_answer_faults_through_gql(qn_server: QueryNodeServer) -> None:
    qn_server.inject(at_request=1, kind="bad_bigint")
    with Client(transport=RequestsHTTPTransport(url=qn_server.url, timeout=5)) as session:
        answer = session.execute(gql("{ candidates(limit: 2) { id stake } }"))
    assert answer["candidates"][0]["stake"] == "12abc"


def test_requests_record_their_arrival_time(qn_server: QueryNodeServer) -> None:
    qn_server.inject(at_request=1, kind="timeout", delay=0.3)
    post(qn_server, QUERY)
    post(qn_server, QUERY)
    first, second = qn_server.requests
    assert first.received_at > 0
    assert second.received_at - first.received_at >= 0.3


def test_inject_validates_and_clear_resets(qn_server: QueryNodeServer) -> None:
    assert {"connection_drop", "repeat_rows", "short_page", "missing_field", "bad_bigint"} <= (
        FAULT_KINDS
    )
    with pytest.raises(ValueError, match="unknown fault kind"):
        qn_server.inject(at_request=1, kind="http_418")
    post(qn_server, QUERY)
    with pytest.raises(ValueError, match="already been received"):
        qn_server.inject(at_request=1, kind="http_500")
    qn_server.inject(at_request=3, kind="http_500")
    with pytest.raises(ValueError, match="already planned"):
        qn_server.inject(at_request=3, kind="data_null")
    assert set(qn_server.faults) == {3}
    qn_server.clear()
    assert qn_server.requests == []
    assert qn_server.faults == {}
    fault = qn_server.inject(kind="http_503")
    assert qn_server.faults == {1: fault}
    assert post(qn_server, QUERY).status_code == 503


def test_stop_releases_the_port() -> None:
    server = QueryNodeServer()
    url = server.url
    server.stop()
    server.stop()
    with pytest.raises(requests.ConnectionError):
        requests.post(url, json={"query": QUERY}, timeout=1)


# --- the fixture -----------------------------------------------------------------------------


def test_fixture_is_internally_consistent() -> None:
    rounds = {r["id"]: r for r in FIXTURE["electionRounds"]}
    councils = {c["id"] for c in FIXTURE["electedCouncils"]}
    assert sorted(r["cycleId"] for r in rounds.values()) == [1, 2, 3]
    for r in rounds.values():
        assert r["electedCouncilId"] in councils
        assert r["nextElectedCouncilId"] in councils | {None}
        assert (r["nextElectedCouncilId"] is None) == (not r["isFinished"])
    received: dict[str, int] = defaultdict(int)
    for vote in FIXTURE["castVotes"]:
        assert vote["electionRoundId"] in rounds
        if vote["voteForId"] is None:
            assert vote["votePower"] == "0"
        else:
            received[vote["voteForId"]] += int(vote["votePower"])
    by_round: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for candidate in FIXTURE["candidates"]:
        assert int(candidate["votePower"]) == received[candidate["id"]]
        by_round[candidate["electionRoundId"]].append(candidate)
    for round_id, candidates in by_round.items():
        ranked = sorted(candidates, key=lambda c: -int(c["votePower"]))
        if rounds[round_id]["isFinished"]:
            assert [c["status"] for c in ranked[:3]] == ["ELECTED"] * 3
            assert {c["status"] for c in ranked[3:]} <= {"FAILED", "WITHDRAWN"}
            seats = {
                m["member"]["id"]
                for m in FIXTURE["councilMembers"]
                if m["electedInCouncilId"] == rounds[round_id]["nextElectedCouncilId"]
            }
            assert seats == {c["member"]["id"] for c in ranked[:3]}
        else:
            assert {c["status"] for c in candidates} == {"ACTIVE", "WITHDRAWN"}
    assert max(int(v["stake"]) for v in FIXTURE["castVotes"]) > TWO_63
    assert max(int(c["stake"]) for c in FIXTURE["candidates"]) > TWO_63
    # Council stage updates agree with the rounds and councils: idle from each council's
    # election, announcing until the voting start, election from it with the candidacies
    # still standing; announcing counts every candidacy announced.
    updates = sorted(FIXTURE["councilStageUpdates"], key=lambda u: int(u["changedAt"]))
    elected = {c["id"]: c["electedAtBlock"] for c in FIXTURE["electedCouncils"]}
    for update, after in zip(updates, [*updates[1:], None], strict=True):
        stage = update["stage"]
        block = int(update["changedAt"])
        if stage["__typename"] == "CouncilStageIdle":
            assert block == elected[update["electedCouncilId"]]
        if "endsAt" in stage:
            assert stage["endsAt"] == int(after["changedAt"])
    for r in rounds.values():
        voting = int(r["referendumStageVoting"]["startedAtBlock"])
        (election,) = [u for u in updates if int(u["changedAt"]) == voting]
        (announcing,) = [u for u in updates if u["stage"].get("endsAt") == voting]
        mine = by_round[r["id"]]
        standing = [c for c in mine if c["status"] != "WITHDRAWN"]
        assert election["stage"] == {
            "__typename": "CouncilStageElection",
            "candidatesCount": str(len(standing)),
        }
        assert announcing["stage"]["candidatesCount"] == str(len(mine))
        assert election["electedCouncilId"] == r["electedCouncilId"]
    assert updates[-1]["stage"]["__typename"] == "CouncilStageElection"  # cycle 3 is voting
    assert SMALL_FIXTURE.stat().st_size < 45_000
