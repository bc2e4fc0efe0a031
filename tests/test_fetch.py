"""The fetch module against a real GraphQL server on 127.0.0.1 (tests/qn_server.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import sqlite_utils
from qn_server import QueryNodeServer, load_records

from council import fetch, store
from council.transform import MalformedRecord, records_to_rows

FIXTURE = Path(__file__).parent / "fixtures" / "qn_small.json"
FAST = {"timeout": 5, "retries": 0, "backoff": 0}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_counts(path: Path) -> dict[str, int]:
    db = sqlite_utils.Database(path)
    try:
        return {name: db.table(name).count for name in store.TABLES}
    finally:
        db.close()


@pytest.fixture
def records() -> dict:
    return load_records(FIXTURE)


@pytest.fixture
def old_cache(tmp_path: Path) -> Path:
    """A cache that already holds a testnet snapshot row and a stale mainnet row."""
    path = tmp_path / "council.db"
    store.write_cache(
        path,
        {
            "election_rounds": [
                {"network": "sumer", "cycle_id": 7, "is_finished": 1, "losers_recorded": 0},
                {"network": "mainnet", "cycle_id": 999, "is_finished": 1},
            ]
        },
        {"source": "bundled snapshot"},
    )
    return path


def test_full_fetch_lands_exact_rows(qn_server: QueryNodeServer, records, old_cache: Path) -> None:
    stats = fetch.refresh(qn_server.url, old_cache, page_size=1000, **FAST)
    expected = records_to_rows(records, "mainnet")
    counts = table_counts(old_cache)
    for table, rows in expected.items():
        other = 1 if table == "election_rounds" else 0  # the kept sumer round
        assert counts[table] == len(rows) + other, table
    assert stats.rows["castVotes"] == len(records["castVotes"])
    db = sqlite_utils.Database(old_cache)
    rounds = {(r["network"], r["cycle_id"]) for r in db["election_rounds"].rows}
    assert ("sumer", 7) in rounds, "rows of other networks are kept"
    assert ("mainnet", 999) not in rounds, "stale rows of the fetched network are replaced"
    meta = dict((r["key"], r["value"]) for r in db["meta"].rows)
    assert meta["source"] == qn_server.url
    assert meta["networks"] == "mainnet,sumer"


def test_values_are_stored_exactly(qn_server: QueryNodeServer, records, tmp_path: Path) -> None:
    path = tmp_path / "council.db"
    fetch.refresh(qn_server.url, path, **FAST)
    db = sqlite_utils.Database(path)
    by_id = {c["id"]: c for c in db["candidates"].rows}
    for candidate in records["candidates"]:
        row = by_id[candidate["id"]]
        assert row["stake"] == candidate["stake"]
        assert row["vote_power"] == candidate["votePower"]
        assert row["status"] == candidate["status"].lower()
        assert row["member_id"] == candidate["member"]["id"]
    big = [c for c in records["candidates"] if int(c["stake"]) > 2**63]
    assert big, "the fixture must hold a stake above 2^63"
    assert by_id[big[0]["id"]]["stake"] == big[0]["stake"]
    unrevealed = [v["id"] for v in records["castVotes"] if v["voteForId"] is None]
    assert unrevealed
    stored = {v["id"]: v for v in db["votes"].rows}
    assert all(stored[i]["vote_for_candidate_id"] is None for i in unrevealed)
    unfinished = [r for r in db["election_rounds"].rows if not r["is_finished"]]
    assert len(unfinished) == 1 and unfinished[0]["ended_at_block"] is None


def test_paging_reads_every_list_whole(qn_server: QueryNodeServer, records, tmp_path) -> None:
    page_size = 4
    stats = fetch.refresh(qn_server.url, tmp_path / "c.db", page_size=page_size, **FAST)
    for spec in fetch.ENTITIES:
        rows = len(records.get(spec.list_field, []))
        pages = rows // page_size + 1  # the last page is the first one shorter than the limit
        assert stats.rows[spec.list_field] == rows
        assert stats.requests[spec.list_field] == 1 + pages, spec.list_field
    assert len(qn_server.requests) == stats.total_requests


def test_more_than_the_default_limit_of_50(qn_server: QueryNodeServer, records, tmp_path) -> None:
    round_id = records["electionRounds"][0]["id"]
    many = [
        {**records["castVotes"][0], "id": f"extra-{i}", "electionRoundId": round_id}
        for i in range(120)
    ]
    qn_server.set_data({**records, "castVotes": records["castVotes"] + many})
    stats = fetch.refresh(qn_server.url, tmp_path / "c.db", page_size=50, **FAST)
    assert stats.rows["castVotes"] == len(records["castVotes"]) + 120


def test_server_error_mid_fetch_leaves_the_cache_untouched(
    qn_server: QueryNodeServer, old_cache: Path
) -> None:
    before = digest(old_cache)
    qn_server.inject(at_request=4, kind="http_500")
    with pytest.raises(fetch.FetchError, match="HTTP error"):
        fetch.refresh(qn_server.url, old_cache, **FAST)
    assert digest(old_cache) == before
    assert not list(old_cache.parent.glob(".*.tmp")), "no temporary file is left behind"


def test_graphql_errors_fail_with_the_servers_message(
    qn_server: QueryNodeServer, old_cache: Path
) -> None:
    before = digest(old_cache)
    qn_server.inject(at_request=1, kind="graphql_errors")
    with pytest.raises(fetch.FetchError, match="returned errors"):
        fetch.refresh(qn_server.url, old_cache, **FAST)
    assert digest(old_cache) == before


def test_transient_errors_are_retried(qn_server: QueryNodeServer, tmp_path: Path) -> None:
    qn_server.inject(at_request=2, kind="http_503")
    qn_server.inject(at_request=3, kind="http_502")
    stats = fetch.refresh(qn_server.url, tmp_path / "c.db", timeout=5, retries=3, backoff=0)
    assert stats.rows["electionRounds"] > 0
    assert len(qn_server.requests) == stats.total_requests + 2


def test_unreachable_endpoint_cli_exits_non_zero_with_one_line(
    old_cache: Path, capsys: pytest.CaptureFixture
) -> None:
    before = digest(old_cache)
    code = fetch.main(
        ["--endpoint", "http://127.0.0.1:9/graphql", "--db", str(old_cache), "--retries", "0"]
    )
    assert code == 1
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("refresh failed: ") and "cannot reach the query node" in last
    assert digest(old_cache) == before


def test_malformed_bigint_is_rejected(qn_server: QueryNodeServer, records, old_cache) -> None:
    broken = json.loads(json.dumps(records))
    broken["candidates"][0]["stake"] = "12abc"
    qn_server.set_data(broken)
    before = digest(old_cache)
    with pytest.raises(fetch.FetchError):
        fetch.refresh(qn_server.url, old_cache, **FAST)
    assert digest(old_cache) == before


def test_requests_do_not_grow_with_rounds(qn_server: QueryNodeServer, records, tmp_path) -> None:
    """A probe, then one count and one page per entity when every list fits a page: no N+1."""
    stats = fetch.refresh(qn_server.url, tmp_path / "c.db", page_size=1000, **FAST)
    assert len(records["electionRounds"]) >= 3
    assert stats.total_requests == 1 + 2 * len(fetch.ENTITIES)


def test_council_stage_updates_land_exactly(qn_server: QueryNodeServer, tmp_path: Path) -> None:
    """The fixture's ten stage updates (see tests/qn_server.py), union members by __typename."""
    path = tmp_path / "c.db"
    fetch.refresh(qn_server.url, path, **FAST)
    rows = store.read_rows(path, "council_stage_updates")
    columns = (
        "id", "changed_at_block", "changed_at_time", "stage", "ends_at_block",
        "candidates_count", "council_id",
    )  # fmt: skip
    assert {r["network"] for r in rows} == {"mainnet"}
    assert sorted((tuple(r[c] for c in columns) for r in rows), key=lambda r: r[1]) == [
        ("0000002p", 0, "2023-01-02T10:00:00.000Z", None, None, None, None),
        ("0000002q", 1, "2023-01-02T10:00:06.000Z", "idle", 72001, None, "00000001"),
        ("0000002r", 72001, "2023-01-07T10:00:06.000Z", "announcing", 144001, 5, "00000001"),
        ("0000002s", 144001, "2023-01-12T10:00:06.000Z", "election", None, 4, "00000001"),
        ("0000002t", 201601, "2023-01-16T10:00:06.000Z", "idle", 273601, None, "0000000n"),
        ("0000002u", 273601, "2023-01-21T10:00:06.000Z", "announcing", 345601, 4, "0000000n"),
        ("0000002v", 345601, "2023-01-26T10:00:06.000Z", "election", None, 4, "0000000n"),
        ("0000002w", 403201, "2023-01-30T10:00:06.000Z", "idle", 475201, None, "00000018"),
        ("0000002x", 475201, "2023-02-04T10:00:06.000Z", "announcing", 547201, 4, "00000018"),
        ("0000002y", 547201, "2023-02-09T10:00:06.000Z", "election", None, 3, "00000018"),
    ]


def test_stage_updates_refresh_from_the_newest_block_in_the_cache(
    qn_server: QueryNodeServer, records, tmp_path: Path
) -> None:
    """An incremental refresh asks only for updates at or after the newest cached block,
    and a newer update and the newest one's changed candidates count both arrive."""
    path = tmp_path / "c.db"
    fetch.refresh(qn_server.url, path, **FAST)
    later = json.loads(json.dumps(records))
    later["councilStageUpdates"][-1]["stage"]["candidatesCount"] = "2"  # changed in place
    later["councilStageUpdates"].append(
        {
            "id": "0000002z",
            "createdAt": "2023-02-11T10:00:06.000Z",
            "changedAt": "576001",
            "electedCouncilId": "00000018",
            "stage": {"__typename": "CouncilStageIdle", "endsAt": 648001},
        }
    )
    qn_server.set_data(later)
    qn_server.clear()
    stats = fetch.refresh(qn_server.url, path, **FAST)
    asked = [
        r.variables["where"]
        for r in qn_server.requests
        if r.operation_name == "CouncilStageUpdatesPage"
    ]
    assert asked == [{"changedAt_gte": "547201"}]
    assert stats.rows["councilStageUpdates"] == 2
    rows = {r["id"]: r for r in store.read_rows(path, "council_stage_updates")}
    assert len(rows) == 11
    assert rows["0000002y"]["candidates_count"] == 2
    assert (rows["0000002z"]["stage"], rows["0000002z"]["ends_at_block"]) == ("idle", 648001)


def test_a_stage_outside_the_union_is_malformed(records) -> None:
    """A node newer than our schema could add a stage; the converter names it, never guesses."""
    update = {**records["councilStageUpdates"][2], "stage": {"__typename": "CouncilStageNew"}}
    with pytest.raises(MalformedRecord, match="0000002r: unknown stage 'CouncilStageNew'"):
        records_to_rows({"councilStageUpdates": [update]}, "mainnet")


def test_a_node_without_stage_ends_is_read_without_them(
    qn_server: QueryNodeServer, records, tmp_path: Path
) -> None:
    """Joystream's mappings leave ``endsAt`` unset on the announcing and idle stages they
    record, though the schema calls it non-null: such a node answers the stage update page
    with an error, and the list is read again without ``endsAt``."""
    unset = json.loads(json.dumps(records))
    for update in unset["councilStageUpdates"]:
        update["stage"].pop("endsAt", None)
    qn_server.set_data(unset)
    path = tmp_path / "c.db"
    stats = fetch.refresh(qn_server.url, path, **FAST)
    asked = [r.operation_name for r in qn_server.requests if "councilStageUpdates" in r.root_fields]
    assert asked == ["CouncilStageUpdatesPage", "CouncilStageUpdatesPageWithoutEndsAt"]
    assert stats.requests["councilStageUpdates"] == 3  # count, the refused page, the page again
    rows = store.read_rows(path, "council_stage_updates")
    assert len(rows) == 10 and {r["ends_at_block"] for r in rows} == {None}
    newest = max(rows, key=lambda r: r["changed_at_block"])
    assert (newest["stage"], newest["candidates_count"]) == ("election", 3)


def test_other_errors_on_the_stage_update_page_still_fail(
    qn_server: QueryNodeServer, old_cache: Path
) -> None:
    before = [spec.list_field for spec in fetch.ENTITIES].index("councilStageUpdates")
    page = 1 + 2 * before + 2  # the probe, the lists before (count + one page), the count
    qn_server.inject(at_request=page, kind="graphql_errors")
    before = digest(old_cache)
    with pytest.raises(fetch.FetchError, match="CouncilStageUpdatesPage: the query node returned"):
        fetch.refresh(qn_server.url, old_cache, **FAST)
    assert digest(old_cache) == before
    assert qn_server.requests[-1].operation_name == "CouncilStageUpdatesPage"
