"""The Voters page and the failed-election sections, under AppTest.

On the bundled snapshot (Sumer rounds with every backer's vote; the mainnet record with none)
and on a cache fetched from the test query node serving ``tests/failure_records.py``: one
failed attempt of each kind, whose reasons the Election history page and the Election watch
must give.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_pages import frame_with_column, run_page
from failure_records import failure_records
from qn_server import QueryNodeServer

from council import data, fetch
from council.snapshot import build_cache_from_snapshot
from council.stats import failed_elections

FAST = {"timeout": 5.0, "retries": 0}


@pytest.fixture(scope="module")
def snapshot_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("voters") / "council.db"
    build_cache_from_snapshot(path)
    return path


@pytest.fixture(scope="module")
def failures_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("failures") / "council.db"
    with QueryNodeServer(failure_records()) as server:
        fetch.refresh(server.url, path, **FAST)
    return path


def test_failed_attempts_fetched_and_attached(failures_db: Path) -> None:
    """Hand-checked in tests/failure_records.py: cycle 3 at 547201 (2 stood for 3 seats,
    begun announcing at 475201: 72,000 blocks, 5 days), cycle 4 at 676801 (2 of 3 candidates
    with revealed votes, begun at 547201: 129,600 blocks, 9 days)."""
    d = data.load(failures_db).for_network("mainnet")
    assert sorted(d.election_failures["kind"]) == [
        "new council not elected",
        "not enough candidates",
    ]
    attempts = failed_elections.data_attempts(d).set_index("cycle_id")
    assert attempts.loc[3, ["block", "stood", "needed", "delay_blocks"]].tolist() == [
        547201, 2, 3, 72000,
    ]  # fmt: skip
    assert attempts.loc[3, "delay_days"] == 5.0
    assert attempts.loc[4, ["block", "with_votes", "seats", "delay_blocks"]].tolist() == [
        676801, 2, 3, 129600,
    ]  # fmt: skip
    assert attempts.loc[4, "delay_days"] == 9.0


def test_election_history_gives_each_failure_and_its_reason(failures_db, monkeypatch) -> None:
    at = run_page("app_pages/elections.py", failures_db, monkeypatch)
    assert not at.error, [e.value for e in at.error]
    failed = frame_with_column(at, "Reason").set_index("Round")
    assert failed.loc[3, "Reason"] == "Not enough candidates: 2 stood, 3 needed"
    assert failed.loc[4, "Reason"] == (
        "No new council elected (not enough revealed votes): 2 candidates got revealed votes "
        "for 3 seats"
    )
    assert failed["Delay (days)"].to_dict() == {3: 5.0, 4: 9.0}
    statuses = frame_with_column(at, "Seats filled").set_index("Round")["Status"].to_dict()
    assert statuses == {
        4: "failed (started over)",
        3: "failed (started over)",
        2: "finished",
        1: "finished",
    }


def test_election_watch_raises_the_restart(failures_db, monkeypatch) -> None:
    at = run_page("app_pages/election_watch.py", failures_db, monkeypatch)
    warnings = [w.value for w in at.warning]
    assert any(
        "Round 5 is a restart" in w and "not enough revealed votes" in w for w in warnings
    ), warnings


def test_voters_page_on_the_failures_cache(failures_db, monkeypatch) -> None:
    at = run_page("app_pages/voters.py", failures_db, monkeypatch, account="j4FailVoterC")
    assert not at.error, [e.value for e in at.error]
    per_round = frame_with_column(at, "Voting accounts").set_index("Round")
    assert per_round.loc[4, ["Voting accounts", "Vote stake (JOY)"]].tolist() == [3, 200000.0]
    change = frame_with_column(at, "Unrevealed stake (JOY)").set_index("Round")
    # Two of three seats had revealed votes; the one unrevealed vote could have filled the third.
    assert change.loc[4].iloc[-1] == "yes: enough unrevealed votes to fill the missing seats"
    mine = frame_with_column(at, "Candidate's outcome")
    assert mine[["Round", "Stake (JOY)", "Voted for"]].values.tolist() == [
        [4, 40000.0, "(not revealed)"]
    ]


def test_voters_page_on_the_snapshot(snapshot_db, monkeypatch) -> None:
    """Sumer round 25 (the snapshot's KPI report): every backer's vote, all revealed; the
    mainnet record (the default network) records no votes: "not recorded", never 0."""
    at = run_page("app_pages/voters.py", snapshot_db, monkeypatch)
    assert not at.error, [e.value for e in at.error]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Distinct voting accounts"] == "not recorded"
    assert "No vote is recorded in the shown rounds." in [i.value for i in at.info]
    sumer = run_page(
        "app_pages/voters.py", snapshot_db, monkeypatch, network="sumer", rounds="25-25"
    )
    per_round = frame_with_column(sumer, "Voting accounts")
    assert per_round["Votes"].tolist() == ["recorded"]
    assert per_round["Voting accounts"].iloc[0] > 0
