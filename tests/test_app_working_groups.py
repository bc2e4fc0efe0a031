"""The Working groups page under AppTest: on a cache fetched from the test query node
(tests/wg_records.py's story) and on the bundled snapshot (no working-group data)."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_pages import frame_with_column, run_page
from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records
from wg_records import wg_chain

from council import fetch
from council.snapshot import build_cache_from_snapshot

PAGE = "app_pages/working_groups.py"


@pytest.fixture(scope="module")
def fetched_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wg_app") / "council.db"
    records = {**load_records(SMALL_FIXTURE), **wg_chain().records()}
    with QueryNodeServer(records) as server:
        fetch.refresh(server.url, path, timeout=5, retries=0, backoff=0)
    return path


def test_every_group_over_every_term(fetched_db: Path, monkeypatch) -> None:
    at = run_page(PAGE, fetched_db, monkeypatch)
    assert not at.error, [e.value for e in at.error]
    table = frame_with_column(at, "Budget at end (JOY)").set_index("Group")
    assert len(table) == 9
    storage = table.loc["Storage"]
    assert (storage["Lead"], storage["Workers"], storage["Budget at end (JOY)"]) == (
        "storage_dave", 3, 133_500,
    )  # fmt: skip
    assert table.loc["Forum", "Lead"] == "no lead"
    assert len(at.get("vega_lite_chart")) == 3
    assert frame_with_column(at, "Reward per day (JOY)")["Member"].tolist()[-1] == "storage_alice"


def test_terms_and_group_from_the_url(fetched_db: Path, monkeypatch) -> None:
    at = run_page(PAGE, fetched_db, monkeypatch, terms="2-2", group="forumWorkingGroup")
    table = frame_with_column(at, "Budget at end (JOY)").set_index("Group")
    forum = table.loc["Forum"]
    assert (forum["Budget at start (JOY)"], forum["Refilled by the council (JOY)"]) == (
        2_000, 20_000,
    )  # fmt: skip
    assert (forum["Worker rewards (JOY)"], forum["Terminated"]) == (4_000, 1)
    assert table.loc["Storage", "Budget at start (JOY)"] == 145_100
    workers = frame_with_column(at, "Reward per day (JOY)")
    assert workers["Member"].tolist() == ["forum_frank", "forum_gina"]  # hired together
    assert workers.set_index("Member").loc["forum_frank", "Lead"] == "former lead"
    leads = frame_with_column(at, "How it ended")
    assert leads["How it ended"].tolist() == ["terminated"]
    assert at.query_params["group"] == "forumWorkingGroup"


def test_the_bundled_snapshot_says_where_the_data_comes_from(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "council.db"
    build_cache_from_snapshot(path)
    at = run_page(PAGE, path, monkeypatch)
    notes = " ".join(i.value for i in at.info)
    assert "comes from a query node refresh" in notes
    assert not at.dataframe
