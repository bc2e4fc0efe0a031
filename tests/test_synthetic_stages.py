"""The synthetic generator's last round in each stage (``--stage``), and every page on it."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from apptest_pages import ALL_PAGES, run_page
from qn_server import QueryNodeServer

from council import data, fetch
from council.synthetic import STAGES, generate_records, main, write_synthetic_cache

ROUNDS, CANDIDATES, VOTES, SEATS, SEED = 8, 60, 800, 3, 5
SIZES = (ROUNDS, CANDIDATES, VOTES, SEATS, SEED)
PAGES = ALL_PAGES


@pytest.fixture(scope="module")
def default() -> dict[str, list[dict]]:
    return generate_records(*SIZES)


@functools.cache
def records_in(stage: str) -> dict[str, list[dict]]:
    """The records with the last round in ``stage`` (generated once; do not mutate)."""
    return generate_records(*SIZES, stage=stage)


@pytest.fixture(scope="module", params=STAGES)
def staged(request: pytest.FixtureRequest) -> tuple[str, dict[str, list[dict]]]:
    return request.param, records_in(request.param)


def last_round(records: dict, cycle: int = ROUNDS) -> tuple[dict, list[dict], list[dict]]:
    """The round ``cycle``, its candidacies and its cast votes."""
    found = next(r for r in records["electionRounds"] if r["cycleId"] == cycle)
    candidates = [c for c in records["candidates"] if c["electionRoundId"] == found["id"]]
    votes = [v for v in records["castVotes"] if v["electionRoundId"] == found["id"]]
    return found, candidates, votes


def newest_update(records: dict) -> dict:
    return max(records["councilStageUpdates"], key=lambda u: int(u["changedAt"]))


def test_revealing_is_the_default(default) -> None:
    assert generate_records(*SIZES, stage="revealing") == default


def test_earlier_rounds_are_the_defaults(default, staged) -> None:
    _, records = staged
    earlier = [r for r in default["electionRounds"] if r["cycleId"] < ROUNDS]
    assert records["electionRounds"][: ROUNDS - 1] == earlier
    ids = {r["id"] for r in earlier}
    for name in ("candidates", "castVotes"):
        before = [x for x in default[name] if x["electionRoundId"] in ids]
        assert [x for x in records[name] if x["electionRoundId"] in ids] == before, name


def test_announcing() -> None:
    records = records_in("announcing")
    round_, candidates, votes = last_round(records)
    assert not round_["isFinished"]
    assert round_["referendumStageVoting"] is None and round_["referendumStageRevealing"] is None
    assert candidates and {c["status"] for c in candidates} <= {"ACTIVE", "WITHDRAWN"}
    assert {c["votePower"] for c in candidates} == {"0"}
    assert votes == []
    update = newest_update(records)
    assert update["stage"]["__typename"] == "CouncilStageAnnouncing"
    assert update["stage"]["candidatesCount"] == str(len(candidates))


def test_voting() -> None:
    records = records_in("voting")
    round_, candidates, votes = last_round(records)
    assert round_["referendumStageVoting"] is not None
    assert round_["referendumStageRevealing"] is None
    assert votes and all(v["voteForId"] is None for v in votes)
    assert {c["votePower"] for c in candidates} == {"0"}
    assert newest_update(records)["stage"]["__typename"] == "CouncilStageElection"


def test_revealing() -> None:
    records = records_in("revealing")
    round_, _, votes = last_round(records)
    assert round_["referendumStageRevealing"] is not None and not round_["isFinished"]
    revealed = [v for v in votes if v["voteForId"] is not None]
    assert 0 < len(revealed) < len(votes)


def test_idle() -> None:
    records = records_in("idle")
    round_, candidates, votes = last_round(records)
    assert not round_["isFinished"] and candidates == [] and votes == []
    assert round_["referendumStageVoting"] is None
    update = newest_update(records)
    assert update["stage"]["__typename"] == "CouncilStageIdle"
    # The council the round before elected has just taken office and rules the new round.
    before, _, _ = last_round(records, ROUNDS - 1)
    assert (
        update["electedCouncilId"] == round_["electedCouncilId"] == before["nextElectedCouncilId"]
    )


def test_failed() -> None:
    records = records_in("failed")
    failed, candidates, votes = last_round(records)
    assert failed["isFinished"] and failed["endedAtBlock"] is None
    assert failed["nextElectedCouncilId"] == failed["electedCouncilId"]
    standing = [c for c in candidates if c["status"] != "WITHDRAWN"]
    assert len(standing) < SEATS
    assert {c["status"] for c in standing} <= {"FAILED"}
    assert votes == []
    reopened, nobody, none = last_round(records, ROUNDS + 1)
    assert not reopened["isFinished"] and nobody == [] and none == []
    assert reopened["electedCouncilId"] == failed["electedCouncilId"]
    update = newest_update(records)
    assert update["stage"]["__typename"] == "CouncilStageAnnouncing"
    assert update["stage"]["candidatesCount"] == "0"
    assert len(records["electedCouncils"]) == ROUNDS  # nobody was elected
    # The restart is recorded as the node records it, at the block announcing began again.
    (event,) = records["notEnoughCandidatesEvents"]
    assert event["inBlock"] == int(update["changedAt"])
    assert "notEnoughCandidatesEvents" not in records_in("voting")


@pytest.fixture(scope="module")
def staged_cache(staged, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    stage, _ = staged
    path = tmp_path_factory.mktemp(f"synthetic-{stage}") / "council.db"
    write_synthetic_cache(path, *SIZES, stage=stage)
    return stage, path


def test_every_round_has_its_seats(staged_cache) -> None:
    _, path = staged_cache
    seats = data.load(path).rounds["seats"]
    assert seats.notna().all() and set(seats) == {SEATS}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(staged_cache, page: str, monkeypatch) -> None:
    _, path = staged_cache
    at = run_page(page, path, monkeypatch)
    assert at.title
    if page != "app_pages/election_watch.py":  # there, an error box is a concern to raise
        assert not at.error, [e.value for e in at.error]


def test_a_fetch_of_a_failed_round_builds_the_same_cache(tmp_path: Path) -> None:
    records = generate_records(*SIZES, stage="failed")
    fetched, written = tmp_path / "fetched.db", tmp_path / "written.db"
    with QueryNodeServer(records) as server:
        fetch.refresh(server.url, fetched, timeout=5, retries=0)
    write_synthetic_cache(written, *SIZES, stage="failed")
    tables = ("rounds", "candidates", "councils", "council_members", "council_stage_updates")
    for name in (*tables, "election_failures"):
        got, want = getattr(data.load(fetched), name), getattr(data.load(written), name)
        key = "cycle_id" if name == "rounds" else "id"
        got, want = got.sort_values(key), want.sort_values(key)
        assert got.reset_index(drop=True).equals(want.reset_index(drop=True)), name


def test_cli_stage(tmp_path: Path, capsys) -> None:
    args = ["--json", str(tmp_path / "qn.json"), "--rounds", "4", "--candidates", "20"]
    assert main([*args, "--votes", "100", "--stage", "voting"]) == 0
    assert "last round voting" in capsys.readouterr().out
    expected = generate_records(4, 20, 100, stage="voting")
    assert json.loads((tmp_path / "qn.json").read_text()) == expected
    with pytest.raises(SystemExit):
        main([*args, "--stage", "counting"])
