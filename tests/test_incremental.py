"""Incremental refresh: after changes on the node, merging only what changed gives the same
cache as a full refresh, with fewer requests; with no change, two requests."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from qn_server import QueryNodeServer, load_records

from council import fetch, store

FIXTURE = Path(__file__).parent / "fixtures" / "qn_small.json"
OPTIONS = {"timeout": 10, "retries": 0, "backoff": 0, "page_size": 3}


def earlier_state(records: dict) -> dict:
    """The node as it was a while ago: the running round had fewer votes and less vote power,
    the newest proposals, proposal votes and budget events did not exist yet, the sitting
    councillors had collected less reward, and the newest council stage update did not exist
    yet while the one before it counted one candidacy fewer."""
    old = copy.deepcopy(records)
    running = {r["id"] for r in old["electionRounds"] if not r["isFinished"]}
    running_votes = [v["id"] for v in old["castVotes"] if v["electionRoundId"] in running]
    dropped = set(running_votes[-2:])
    old["castVotes"] = [v for v in old["castVotes"] if v["id"] not in dropped]
    for candidate in old["candidates"]:
        if candidate["electionRoundId"] in running:
            candidate["votePower"] = "1"
    newest = max(p["statusSetAtBlock"] for p in old["proposals"])
    old["proposals"] = [p for p in old["proposals"] if p["statusSetAtBlock"] < newest]
    kept = {p["id"] for p in old["proposals"]}
    old["proposalVotedEvents"] = [v for v in old["proposalVotedEvents"] if v["proposalId"] in kept]
    for name in ("budgetRefillEvents", "rewardPaymentEvents"):
        last = max(e["inBlock"] for e in old[name])
        old[name] = [e for e in old[name] if e["inBlock"] < last]
    sitting = {c["id"] for c in old["electedCouncils"] if not c["isResigned"]}
    for seat in old["councilMembers"]:
        if seat["electedInCouncilId"] in sitting:
            seat["accumulatedReward"] = "5"
    updates = old["councilStageUpdates"]
    del updates[-1]
    updates[-1]["stage"]["candidatesCount"] = str(int(updates[-1]["stage"]["candidatesCount"]) - 1)
    return old


def all_rows(path: Path) -> dict[str, list[dict]]:
    return {
        table: sorted(store.read_rows(path, table), key=lambda r: str(sorted(r.items())))
        for table in store.TABLES
    }


@pytest.fixture
def records() -> dict:
    return load_records(FIXTURE)


def test_incremental_equals_full_with_fewer_requests(
    qn_server: QueryNodeServer, records: dict, tmp_path: Path
) -> None:
    incremental = tmp_path / "incremental.db"
    qn_server.set_data(earlier_state(records))
    fetch.refresh(qn_server.url, incremental, **OPTIONS)
    stale = all_rows(incremental)
    qn_server.set_data(records)
    qn_server.clear()
    fetch.refresh(qn_server.url, incremental, **OPTIONS)
    incremental_requests = len(qn_server.requests)
    assert store.read_meta(incremental)["refresh_mode"] == "incremental"

    full = tmp_path / "full.db"
    qn_server.clear()
    fetch.refresh(qn_server.url, full, **OPTIONS)
    full_requests = len(qn_server.requests)

    assert stale != all_rows(full), "the earlier state must differ, or the test proves nothing"
    assert all_rows(incremental) == all_rows(full)
    assert incremental_requests < full_requests


def test_nothing_changed_makes_only_small_requests(
    qn_server: QueryNodeServer, tmp_path: Path
) -> None:
    path = tmp_path / "c.db"
    fetch.refresh(qn_server.url, path, **{**OPTIONS, "page_size": 1000})
    before = all_rows(path)
    qn_server.clear()
    stats = fetch.refresh(qn_server.url, path, **{**OPTIONS, "page_size": 1000})
    # A probe, then every list's count and first page (only the still-open part) in one.
    assert [r.operation_name for r in qn_server.requests] == ["Probe", fetch.FIRST_PAGES]
    assert len(qn_server.requests) <= 3, "the issue's bound for a refresh with nothing new"
    assert stats.rows["castVotes"] < 10
    assert all_rows(path) == before


def test_full_flag_rebuilds(qn_server: QueryNodeServer, tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    fetch.refresh(qn_server.url, path, **OPTIONS)
    assert fetch.main(["--endpoint", qn_server.url, "--db", str(path), "--full"]) == 0
    assert store.read_meta(path)["refresh_mode"] == "full"
