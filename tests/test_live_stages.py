"""Every page on a cache fetched while an election runs, in every stage.

Each stage of ``tests/live_stages.py`` is served by the test query node and fetched over
127.0.0.1 with ``council.fetch.refresh`` (a real fetch); every page then runs under AppTest
on that cache. The bundled snapshot has no running round, so these are the only page tests
of the live path (issue 13: a running round crashed four pages).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from apptest_pages import ALL_PAGES, frame_with_column, run_page
from live_stages import STAGES, stage_records
from qn_server import QueryNodeServer

from council import data, fetch
from council.stats import budget

PAGES = ALL_PAGES
# Each stage as the node gives it, and voting without any referendum stage records: no
# winningTargetCount anywhere, as the mainnet cache of the issue (seats from the councils).
CASES = [(stage, True) for stage in STAGES] + [("voting", False)]
CASE_IDS = [stage if full else f"{stage}-no-referendum-records" for stage, full in CASES]
FAST = {"timeout": 5.0, "retries": 0}


def fetched_cache(folder: Path, stage: str, referendum_records: bool = True) -> Path:
    """A cache fetched from the test query node serving ``stage``."""
    path = folder / "council.db"
    with QueryNodeServer(stage_records(stage, referendum_records)) as server:
        fetch.refresh(server.url, path, **FAST)
    return path


@pytest.fixture(scope="module", params=CASES, ids=CASE_IDS)
def live_cache(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    stage, full = request.param
    return stage, fetched_cache(tmp_path_factory.mktemp(request.node.name[:20]), stage, full)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_every_stage(live_cache, page: str, monkeypatch) -> None:
    _, db = live_cache
    at = run_page(page, db, monkeypatch)
    assert at.title, "page has no title"
    if page != "app_pages/election_watch.py":  # there, an error box is a concern to raise
        assert not at.error, [e.value for e in at.error]


def test_the_overviews_budget_is_the_budget_tables_newest_term(live_cache) -> None:
    """The Overview reads only the newest term's events (``budget.so_far``); the Spending
    page's budget table reads them all: the same newest term, in every stage."""
    _, db = live_cache
    whole = data.load(db).for_network("mainnet")
    table = budget.budget_by_term(budget.sources_from(whole))
    assert budget.so_far(data.load(db).for_network("mainnet")) == budget.term_so_far(table)


WATCH_STAGE = {
    "announcing": "announcing",
    "voting": "voting",
    "revealing": "revealing",
    "idle": "idle",
    "failed": "announcing",
}
NEWEST_ROUND = {"announcing": 3, "voting": 3, "revealing": 3, "idle": 4, "failed": 4}


def test_election_watch_shows_the_stage(live_cache, monkeypatch) -> None:
    stage, db = live_cache
    at = run_page("app_pages/election_watch.py", db, monkeypatch)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Round"] == str(NEWEST_ROUND[stage])
    if stage == "voting" and "no-referendum" in str(db):
        return
    assert metrics["Stage"] == WATCH_STAGE[stage]


def test_election_history_shows_the_running_round(live_cache, monkeypatch) -> None:
    stage, db = live_cache
    at = run_page("app_pages/elections.py", db, monkeypatch, candidacies="true")
    candidacies = frame_with_column(at, "Candidate")
    round_3 = candidacies[candidacies["Round"] == 3].set_index("Candidate")
    assert set(round_3.index) == {"leet_joy", "0x2bc", "kate_fm", "bwhm0"}
    outcomes = round_3["Outcome"].to_dict()
    if stage == "idle":
        assert outcomes == {
            "0x2bc": "elected",
            "leet_joy": "elected",
            "kate_fm": "elected",
            "bwhm0": "withdrawn",
        }
    elif stage == "failed":
        assert outcomes == {
            "0x2bc": "withdrawn",
            "leet_joy": "not elected",
            "kate_fm": "not elected",
            "bwhm0": "withdrawn",
        }
    else:
        assert outcomes == {
            "0x2bc": "running",
            "leet_joy": "running",
            "kate_fm": "running",
            "bwhm0": "withdrawn",
        }


@pytest.mark.parametrize("full", [True, False], ids=["node-seats", "no-referendum-records"])
def test_revealing_round_ranks_and_margins_so_far(tmp_path: Path, full: bool) -> None:
    """Hand-checked: 0x2bc 200,000, leet_joy 170,000, kate_fm 80,000 JOY revealed so far;
    three seats (the node's winningTargetCount, else the ruling council's three seats), so
    the last seat so far is kate_fm's 80,000 JOY."""
    from council.stats import elections

    d = data.load(fetched_cache(tmp_path, "revealing", full)).for_network("mainnet")
    assert d.rounds.set_index("cycle_id")["seats"].to_dict() == {1: 3, 2: 3, 3: 3}
    results, summary = elections.election_tables(d)
    mine = results[results["cycle_id"] == 3].set_index("handle")
    assert mine.loc["0x2bc", "vote_power_joy"] == 200_000.0
    assert mine.loc["leet_joy", "vote_power_joy"] == 170_000.0
    assert mine["rank"].drop("bwhm0").to_dict() == {"0x2bc": 1, "leet_joy": 2, "kate_fm": 3}
    assert pd.isna(mine.loc["bwhm0", "rank"])
    assert mine.loc["0x2bc", "margin_joy"] == 120_000.0
    assert mine.loc["leet_joy", "margin_joy"] == 90_000.0
    assert mine.loc["kate_fm", "margin_joy"] == 0.0
    assert pd.isna(mine.loc["bwhm0", "margin_joy"])
    r3 = summary.set_index("cycle_id").loc[3]
    assert (r3["votes_cast"], r3["unrevealed_votes"]) == (6, 2)


def test_seats_of_fetched_rounds_come_from_the_councils(tmp_path: Path) -> None:
    """No referendum records at all: finished rounds take the size of the council they
    elected, the failed round (which "elected" the ruling council again) and the running
    round the ruling council's size; all three seats."""
    d = data.load(fetched_cache(tmp_path, "failed", referendum_records=False))
    seats = d.rounds.set_index("cycle_id")["seats"]
    assert str(seats.dtype) == "Int64"
    assert seats.to_dict() == {1: 3, 2: 3, 3: 3, 4: 3}
    # The failed round elected nobody: council 00000018 stays the one cycle 2 elected.
    councils = d.councils.set_index("id")["elected_in_cycle_id"]
    assert councils["00000018"] == 2


VIEWS = [
    ("app_pages/elections.py", {"round": "3"}),
    ("app_pages/elections.py", {"outcome": "running"}),
    ("app_pages/leaderboard.py", {"member": "kate_fm"}),
    ("app_pages/leaderboard.py", {"member": "bwhm0"}),
]


@pytest.mark.parametrize(("page", "params"), VIEWS, ids=lambda v: str(v))
def test_views_of_the_running_round_render(live_cache, page: str, params: dict, monkeypatch):
    """The round in detail, the running candidacies and a candidate's profile."""
    _, db = live_cache
    at = run_page(page, db, monkeypatch, **params)
    assert not at.error, [e.value for e in at.error]


TABLES = ["election_rounds", "candidates", "votes", "councils", "council_members"]
TABLES += [
    "council_stage_updates",
    "round_vote_totals",
    "candidate_vote_totals",
    "election_failures",
]


def table_rows(path: Path) -> dict[str, list[tuple]]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return {t: sorted(conn.execute(f"select * from {t}").fetchall(), key=repr) for t in TABLES}


@pytest.mark.parametrize(
    "path", [STAGES[:4], ("announcing", "failed")], ids=["to-idle", "to-failed"]
)
def test_incremental_refreshes_follow_the_election(tmp_path: Path, path: tuple[str, ...]):
    """Refreshed as the election moves on, the cache ends as a full fetch of the last stage."""
    followed, full = tmp_path / "followed.db", tmp_path / "full.db"
    with QueryNodeServer(stage_records(path[0])) as server:
        fetch.refresh(server.url, followed, **FAST)
        for stage in path[1:]:
            server.set_data(stage_records(stage))
            fetch.refresh(server.url, followed, **FAST)
        fetch.refresh(server.url, full, full=True, **FAST)
    assert table_rows(followed) == table_rows(full)
