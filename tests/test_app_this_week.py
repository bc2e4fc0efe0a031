"""The "This week" page and the as-of line under Streamlit's AppTest: the bundled snapshot
(a historical record) and a cache fetched from the test query node with pending proposals."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_pages import frame_with_column, markdown_source, run_page
from desk_records import desk_records
from qn_server import QueryNodeServer
from test_desk import KPI_FILE

from council import agenda, fetch, uploads
from council.snapshot import build_cache_from_snapshot

PAGE = "app_pages/this_week.py"


@pytest.fixture(scope="module")
def snapshot_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("this-week") / "council.db"
    build_cache_from_snapshot(path)
    return path


@pytest.fixture(scope="module")
def desk_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("this-week-live") / "council.db"
    with QueryNodeServer(desk_records()) as server:
        fetch.refresh(server.url, path, timeout=5.0, retries=0)
    return path


def test_bundled_data_says_nothing_is_pending(snapshot_db: Path, monkeypatch, capsys) -> None:
    at = run_page(PAGE, snapshot_db, monkeypatch)
    assert not at.error, [e.value for e in at.error]
    assert at.info[0].value.startswith("Nothing is pending: this is a historical record")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Awaiting"] == "0"
    assert metrics["Term"] == "35"
    assert metrics["Days left"] == "ended"
    assert metrics["Budget spent (JOY)"] == "6,256,080"
    # The agenda shown is exactly what the command prints (historical: no clock of today).
    assert agenda.main(["--db", str(snapshot_db)]) == 0
    text = capsys.readouterr().out
    # st.code drops the last line break
    assert markdown_source(at, "agenda-source") == text.rstrip("\n")
    assert text.startswith("# Council meeting agenda (mainnet), 2024-07-31\n")
    assert "## Latest term (ended; figures as of its end): term 35" in text
    # The mainnet record's term 35 report: 6,256,080 of 16,021,387 JOY.
    assert (
        "- Budget spent in the term: 6,256,080 JOY of 16,021,387 JOY at the term's start "
        "(39.0 %) (from the term report)"
    ) in text
    assert "| @leet_joy | not recorded | not recorded |" in text
    # The as-of line: each network's newest block, and the page's files (starter files).
    line = at.caption[0].value
    assert line.startswith("As of: mainnet #8,625,630 · ≈2024-08-01 00:00 UTC; sumer #")
    assert line.endswith("Files: KPIs: starter file, spending categories: starter file")


def test_pending_proposals_with_filters(desk_db: Path, monkeypatch) -> None:
    at = run_page(PAGE, desk_db, monkeypatch, stage="deciding", councillor="tomato")
    table = frame_with_column(at, "Not voted yet")
    # Deciding proposals still without tomato's vote (tests/desk_records.py).
    assert list(table["Proposal"]) == ["000000a6", "000000a2", "000000a1", "000000a5"]
    assert {m.label: m.value for m in at.metric}["Awaiting"] == "7"
    people = frame_with_column(at, "Awaiting their vote")
    assert dict(zip(people["Councillor"], people["Votes cast"], strict=True)) == {
        "jen4ph": 5, "l1dev": 5, "tomato": 4,
    }  # fmt: skip


def test_as_of_line_names_the_uploaded_version(snapshot_db: Path, monkeypatch) -> None:
    uploads.store_version(uploads.KPIS.name, KPI_FILE, "kpis.csv", "test")
    at = run_page("app_pages/upload.py", snapshot_db, monkeypatch)  # reads both files
    version = uploads.versions(uploads.KPIS.name)[0]
    assert at.caption[0].value.endswith(
        f"Files: spending categories: starter file, KPIs v1 ({version.uploaded_at[:10]})"
    )
    overview = run_page("app_pages/overview.py", snapshot_db, monkeypatch)
    assert "Files:" not in overview.caption[0].value  # the overview reads no uploaded file
