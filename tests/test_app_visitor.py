"""What a visitor reads about the data: when it ends, which rounds it lacks, and no claim
that a bundled snapshot is current (streamlit AppTest on the bundled snapshot)."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apptest_pages import run_page

from council import store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def snapshot_db(snapshot_copy) -> Path:
    return snapshot_copy("visitor")


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_sidebar_says_when_the_snapshot_data_ends_not_that_it_was_just_refreshed(
    snapshot_db: Path, monkeypatch
) -> None:
    at = run_page("app_pages/overview.py", snapshot_db, monkeypatch)
    sidebar = texts(at.sidebar.caption)
    assert "Refreshed" not in sidebar
    assert "just now" not in sidebar
    assert "Cache built:" in sidebar and "(not a live source)" in sidebar
    assert "Data ends (newest block):" in sidebar
    assert "sumer: #4,093,199 · ~2022-01-21" in sidebar
    assert "constantinople: #2,565,210 · ~2020-09-14" in sidebar


def test_sidebar_of_a_fetched_cache_says_when_it_was_refreshed(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "council.db"
    refreshed = datetime.now(UTC) - timedelta(hours=3)
    rounds = [
        {"network": "mainnet", "cycle_id": c, "ended_at_block": 100 * c,
         "ended_at_time": f"2025-0{c}-01T00:00:00Z", "ended_at_time_estimated": 0}
        for c in (1, 2, 4)
    ]  # fmt: skip
    store.write_cache(
        path,
        {"election_rounds": rounds},
        {
            "source": "http://127.0.0.1:1/graphql",
            "refreshed_at": refreshed.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "networks": "mainnet",
        },
    )
    monkeypatch.setenv("COUNCIL_STALE_AFTER", "1d")
    at = run_page("app_pages/elections.py", path, monkeypatch)
    sidebar = texts(at.sidebar.caption)
    assert f"Refreshed: {refreshed:%Y-%m-%d %H:%M} UTC (3 h ago)" in sidebar
    assert "mainnet: #400 · 2025-04-01" in sidebar  # exact time: no "~"
    assert "Round 3 is not in the data." in texts(at.caption)


def test_overview_names_the_missing_round_and_where_the_data_ends(
    snapshot_db: Path, monkeypatch
) -> None:
    at = run_page("app_pages/overview.py", snapshot_db, monkeypatch, network="sumer")
    captions = texts(at.caption)
    assert "always current" not in captions
    assert "on the left" not in captions  # a phone's menu is behind a button
    assert "Rounds 1–41 on sumer" in captions
    assert "Round 3 is not in the data." in captions
    assert "The data on sumer ends at block #4,093,199 · ~2022-01-21" in captions


def test_election_history_names_the_rounds_missing_on_each_network(
    snapshot_db: Path, monkeypatch
) -> None:
    sumer = run_page("app_pages/elections.py", snapshot_db, monkeypatch, network="sumer")
    assert "Round 3 is not in the data." in texts(sumer.caption)
    constantinople = run_page(
        "app_pages/elections.py", snapshot_db, monkeypatch, network="constantinople"
    )
    assert "Rounds 10–16 and 20 are not in the data." in texts(constantinople.caption)
    alexandria = run_page("app_pages/elections.py", snapshot_db, monkeypatch, network="alexandria")
    assert "not in the data" not in texts(alexandria.caption)


def test_data_page_calls_the_snapshot_a_record_of_the_past(snapshot_db: Path, monkeypatch):
    at = run_page("app_pages/about.py", snapshot_db, monkeypatch)
    shown = texts(at.markdown)
    assert "**Cache built:**" in shown and "Last refreshed" not in shown
    assert "sumer at block #4,093,199 · ~2022-01-21" in shown
    assert "not current data" in shown
    assert "constantinople: Rounds 10–16 and 20 are not in the data." in shown
    assert "sumer: Round 3 is not in the data." in shown


def test_visitors_get_no_developer_toolbar_and_an_icon_from_the_repository() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["toolbarMode"] == "viewer"
    app = (ROOT / "app.py").read_text()
    assert ":material/" not in app.split("st.set_page_config(")[1].split(")")[0]
    icon = ROOT / "assets" / "favicon.png"
    assert icon.read_bytes().startswith(b"\x89PNG")
