"""The bundled snapshot: converter, cache builder and the committed data/snapshot.

The fixture (tests/fixtures/kpi_overview_small.json) is cut verbatim from the real
22.10_KPIs_Overview_report.json: round 25 (termEndsAt 2408400) with ilich, lkskrn and blackmass;
round 24 (termEndsAt 2307600) with ilich, blackmass and chiffah. Worked by hand:
- ilich r25: own 10,000,000 tJOY; backers ilich 6,001,000 (himself), freakstatic_council
  10,000,000, joystream 1,000,000 (= jsgStake); total 27,001,000.
- lkskrn r25: own 1,000; one backer, himself, 14,999,000. blackmass: no backers (r24, r25).
- chiffah r24: 11 backer entries, godshunter (1541) twice: 2,300,000 and 400,000.
So 6 candidates, 6 + 18 rows of council members and votes (3 + 1 + 0 + 3 + 0 + 11 votes),
14 members. A term is 14400 blocks, so round 24 elected its council at 2293200 and round 25 at
2394000; the last council was replaced 86400 blocks after its termEndsAt, at 2494800.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from council import data, snapshot, store

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "kpi_overview_small.json"
REFERENCE = ROOT.parent / "shared" / "reference-data"
KPI_REPORT = (
    REFERENCE
    / "community-repo/council/kpi/Section-II-Community-Management/22.10_KPIs_Overview_report.json"
)
TOKENOMICS = REFERENCE / "joystream/community-repo/archives/council/tokenomics"
needs_reference = pytest.mark.skipif(
    not KPI_REPORT.exists() or not TOKENOMICS.is_dir(),
    reason=f"reference data not present at {REFERENCE} (only in the authors' workspace)",
)
TJOY = 10**10
TOKENOMICS_REPORT = """# Tokenomics + Network Report
## 1.0 Basic Information
* Block range: 2293200 - 2393999
* Date Range: 9/14/2021 - 9/21/2021
* Council session #: 22
"""


def query(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture
def reports_dir(tmp_path: Path) -> Path:
    """One tokenomics report: block 2293200 is 2021-09-14, block 2394000 is 2021-09-21."""
    folder = tmp_path / "tokenomics"
    folder.mkdir()
    (folder / "Council_Round22_2293200-2393999_Tokenomics_Report.md").write_text(TOKENOMICS_REPORT)
    (folder / "README.md").write_text("# no block range here\n")
    return folder


@pytest.fixture
def converted(tmp_path: Path, reports_dir: Path) -> Path:
    out = tmp_path / "snapshot"
    code = snapshot.main(
        ["convert", str(FIXTURE), "--dates-from", str(reports_dir), "--out", str(out)]
    )
    assert code == 0
    return out


@pytest.fixture
def fixture_db(tmp_path: Path, converted: Path) -> Path:
    db = tmp_path / "council.db"
    snapshot.build_cache_from_snapshot(db, converted)
    return db


def test_convert_writes_one_csv_per_table_with_the_store_columns(converted: Path) -> None:
    for name in snapshot.SNAPSHOT_TABLES:
        header = (converted / f"{name}.csv").read_text().splitlines()[0]
        assert header == ",".join(store.TABLES[name].columns)
    assert "losers" in (converted / "README.md").read_text().lower()


def test_fixture_row_counts(fixture_db: Path) -> None:
    counts = {
        name: query(fixture_db, f"select count(*) from {name}")[0][0]
        for name in snapshot.SNAPSHOT_TABLES
    }
    assert counts == {
        "members": 14,
        "election_rounds": 2,
        "candidates": 6,
        "votes": 18,
        "councils": 2,
        "council_members": 6,
    }
    networks = {
        row[0]
        for name in snapshot.SNAPSHOT_TABLES
        for row in query(fixture_db, f"select distinct network from {name}")
    }
    assert networks == {"sumer"}


def test_fixture_rounds(fixture_db: Path) -> None:
    rows = query(
        fixture_db,
        "select cycle_id, round_id, is_finished, started_at_block, ended_at_block, ended_at_time,"
        " ended_at_time_estimated, seats, council_id, next_council_id, losers_recorded, source"
        " from election_rounds order by cycle_id",
    )
    source = "kpi_overview_small.json"
    assert rows == [
        (24, "sumer-24", 1, None, 2293200, "2021-09-14T00:00:00Z", 1, 3, None, "sumer-council-24",
         0, source),
        (25, "sumer-25", 1, 2293200, 2394000, "2021-09-21T00:00:00Z", 1, 3, "sumer-council-24",
         "sumer-council-25", 0, source),
    ]  # fmt: skip


def test_fixture_councils(fixture_db: Path) -> None:
    rows = query(fixture_db, "select * from councils order by elected_at_block")
    assert rows == [
        ("sumer", "sumer-council-24", 24, 2293200, "2021-09-14T00:00:00Z", 2394000,
         "2021-09-21T00:00:00Z", 1),
        ("sumer", "sumer-council-25", 25, 2394000, "2021-09-21T00:00:00Z", 2494800,
         "2021-09-28T00:00:00Z", 1),
    ]  # fmt: skip


def test_fixture_candidate_amounts_are_base_units(fixture_db: Path) -> None:
    row = query(
        fixture_db,
        "select cycle_id, member_id, stake, vote_power, status, note_header from candidates"
        " where id = 'sumer-25-2194'",
    )
    assert row == [(25, "2194", str(10_000_000 * TJOY), str(27_001_000 * TJOY), "elected", None)]
    assert query(fixture_db, "select typeof(stake) from candidates limit 1") == [("text",)]
    unbacked = query(fixture_db, "select vote_power from candidates where id = 'sumer-25-361'")
    assert unbacked == [(str(13_000_000 * TJOY),)]


def test_fixture_votes(fixture_db: Path) -> None:
    ilich = query(
        fixture_db,
        "select id, voter_member_id, cast_by, stake, vote_power from votes"
        " where vote_for_candidate_id = 'sumer-25-2194' order by id",
    )
    assert ilich == [
        ("sumer-25-2194-133", "133", "5CJzTaCp5fuqG7NdJQ6oUCwdmFHKichew8w4RZ3zFHM8qSe6",
         str(1_000_000 * TJOY), str(1_000_000 * TJOY)),
        ("sumer-25-2194-2194", "2194", "5CGNixxrGRU7gib49RYMS5fSaBZ4dtVNLxQkSMVXF96X4oCG",
         str(6_001_000 * TJOY), str(6_001_000 * TJOY)),
        ("sumer-25-2194-321", "321", "5EnHnMqV2DeDSHNyncYwwRZxzb67orwmdMTF9JNEgmCUQUYF",
         str(10_000_000 * TJOY), str(10_000_000 * TJOY)),
    ]  # fmt: skip
    self_backing = query(fixture_db, "select stake from votes where id = 'sumer-25-644-644'")
    assert self_backing == [(str(14_999_000 * TJOY),)]
    assert query(fixture_db, "select count(*) from votes where vote_for_candidate_id like '%-361'")[
        0
    ] == (0,)


def test_a_member_backing_a_seat_twice_gives_two_votes(fixture_db: Path) -> None:
    rows = query(
        fixture_db, "select id, stake from votes where voter_member_id = '1541' order by id"
    )
    assert rows == [
        ("sumer-24-2462-1541", str(2_300_000 * TJOY)),
        ("sumer-24-2462-1541.2", str(400_000 * TJOY)),
    ]


def test_votes_add_up_to_backers_stake_without_counting_jsg_twice(fixture_db: Path) -> None:
    seats = {
        (r["round"], s["member"]["id"]): s
        for r in json.loads(FIXTURE.read_text())["rounds"]
        for s in r["seats"]
    }
    for (cycle, member), seat in seats.items():
        stakes = query(
            fixture_db,
            "select stake from votes where vote_for_candidate_id = ?",
            f"sumer-{cycle}-{member}",
        )
        assert sum(int(s) for (s,) in stakes) == seat["backersStake"] * TJOY
    jsg = query(fixture_db, "select stake from votes where voter_member_id = '133' order by stake")
    assert [int(s) // TJOY for (s,) in jsg] == [1_000_000, 4_000_000, 9_000_000]


def test_fixture_members_and_council_members(fixture_db: Path) -> None:
    assert query(fixture_db, "select * from members where id = '2194'") == [
        ("sumer", "2194", "ilich", "5CGNixxrGRU7gib49RYMS5fSaBZ4dtVNLxQkSMVXF96X4oCG")
    ]
    assert query(
        fixture_db, "select * from council_members where id = 'sumer-council-24-2462'"
    ) == [("sumer", "sumer-council-24-2462", "sumer-council-24", "2462", str(1_000 * TJOY),
           None, None, None, None, None)]  # fmt: skip


def test_fixture_meta(fixture_db: Path) -> None:
    meta = store.read_meta(fixture_db)
    assert meta["source"] == "bundled snapshot"
    assert meta["networks"] == "sumer"
    assert (meta["data_from"], meta["data_to"]) == ("2021-09-14", "2021-09-21")
    assert "kpi_overview_small.json" in meta["snapshot_origin"]
    assert meta["refreshed_at"].endswith("Z")


def test_convert_without_dates_leaves_times_empty(tmp_path: Path) -> None:
    tables = snapshot.convert(FIXTURE, tmp_path / "out")
    assert {r["ended_at_time"] for r in tables["election_rounds"]} == {None}
    assert {r["ended_at_time_estimated"] for r in tables["election_rounds"]} == {0}


def test_block_time_interpolates_and_extrapolates_at_six_seconds(reports_dir: Path) -> None:
    anchors = snapshot.read_anchors([reports_dir])
    assert [a.block for a in anchors] == [2293200, 2394000]
    assert snapshot.block_time(2293200 + 50400, anchors) == "2021-09-17T12:00:00Z"
    assert snapshot.block_time(2293200 - 14400, anchors) == "2021-09-13T00:00:00Z"
    assert snapshot.block_time(2394000 + 10, anchors) == "2021-09-21T00:01:00Z"
    assert snapshot.block_time(None, anchors) is None
    assert snapshot.block_time(5, []) is None


def test_inconsistent_report_dates_are_refused(tmp_path: Path, reports_dir: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.md").write_text(
        "* Block range: 2293200 - 2300000\n* Date Range: 1/1/2020 - 1/2/2020"
    )
    with pytest.raises(snapshot.SnapshotError, match="2293200"):
        snapshot.read_anchors([reports_dir, other])


def test_committed_snapshot_builds_round_25(tmp_path: Path) -> None:
    db = tmp_path / "council.db"
    snapshot.build_cache_from_snapshot(db)
    elected = query(
        db,
        "select count(*) from candidates where network = 'sumer' and cycle_id = 25"
        " and status = 'elected'",
    )
    assert elected == [(16,)]
    ilich = query(
        db,
        "select c.stake, m.handle from candidates c join members m"
        " on m.network = c.network and m.id = c.member_id where c.id = 'sumer-25-2194'",
    )
    assert ilich == [("100000000000000000", "ilich")]
    snapshot_rounds = "from election_rounds where source = '22.10_KPIs_Overview_report.json'"
    assert query(db, f"select count(*), sum(losers_recorded) {snapshot_rounds}") == [(23, 0)]
    meta = store.read_meta(db)
    # The testnet council archive (data/snapshot/archive) is built in too, 2020 to 2022, and
    # the mainnet record (data/snapshot/archive_mainnet), 2023 to 2024.
    assert (meta["data_from"], meta["data_to"], meta["networks"]) == (
        "2020-06-05",
        "2024-07-04",
        "alexandria,constantinople,mainnet,sumer",
    )


def test_committed_snapshot_is_small() -> None:
    size = sum(p.stat().st_size for p in snapshot.DEFAULT_SNAPSHOT_DIR.iterdir())
    assert size < 500_000


@needs_reference
def test_real_report_gives_ilich_10_million_tjoy_in_round_25() -> None:
    report = json.loads(KPI_REPORT.read_text())
    round_25 = next(r for r in report["rounds"] if r["round"] == 25)
    ilich = next(s for s in round_25["seats"] if s["member"]["id"] == 2194)
    assert (ilich["member"]["handle"], ilich["ownStake"]) == ("ilich", 10_000_000)
    assert snapshot.tjoy_to_base_units(ilich["ownStake"]) == "100000000000000000"


@needs_reference
def test_committed_snapshot_is_the_converter_output(tmp_path: Path) -> None:
    out = tmp_path / "snapshot"
    snapshot.convert(KPI_REPORT, out, [TOKENOMICS / "antioch", TOKENOMICS / "sumer"])
    for path in sorted(p for p in snapshot.DEFAULT_SNAPSHOT_DIR.iterdir() if p.is_file()):
        assert (out / path.name).read_text() == path.read_text(), path.name


def test_if_missing_keeps_a_fetched_cache_and_adds_the_mainnet_record_once(tmp_path: Path) -> None:
    db = tmp_path / "council.db"
    store.write_cache(db, {}, {"source": "http://127.0.0.1:1/graphql"})
    assert snapshot.main(["build", "--db", str(db), "--if-missing"]) == 0
    assert store.read_meta(db)["source"] == "http://127.0.0.1:1/graphql"  # still the fetch's
    assert len(data.load(db).for_network("mainnet").councils) == 33  # the record's terms 3-35
    before = db.read_bytes()
    assert snapshot.main(["build", "--db", str(db), "--if-missing"]) == 0
    assert db.read_bytes() == before, "the same record: left alone"


def test_if_missing_keeps_a_cache_of_this_snapshot_and_rebuilds_an_older_one(
    tmp_path: Path,
) -> None:
    db = tmp_path / "council.db"
    assert snapshot.main(["build", "--db", str(db)]) == 0
    before = db.read_bytes()
    assert snapshot.main(["build", "--db", str(db), "--if-missing"]) == 0
    assert db.read_bytes() == before, "built from this very snapshot: left alone"
    store.write_cache(db, {}, {"source": "bundled snapshot", "snapshot_digest": "older"})
    assert snapshot.main(["build", "--db", str(db), "--if-missing"]) == 0
    meta = store.read_meta(db)
    assert meta["snapshot_digest"] == snapshot.snapshot_digest()
    assert len(data.load(db).rounds) > 0


def test_if_missing_rebuilds_an_empty_file_and_refuses_a_foreign_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "council.db"
    db.write_bytes(b"")
    assert snapshot.main(["build", "--db", str(db), "--if-missing"]) == 0
    assert store.read_meta(db)["source"] == "bundled snapshot"
    foreign = tmp_path / "notes.txt"
    foreign.write_bytes(b"not a cache")
    assert snapshot.main(["build", "--db", str(foreign), "--if-missing"]) != 0
    assert "is not a council cache" in capsys.readouterr().err
    assert foreign.read_bytes() == b"not a cache"


def test_if_missing_builds_when_absent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("COUNCIL_DB", str(db))
    assert snapshot.main(["build", "--if-missing"]) == 0
    assert store.read_meta(db)["source"] == "bundled snapshot"


def test_missing_snapshot_dir_is_a_clear_error(tmp_path: Path, capsys) -> None:
    db = tmp_path / "council.db"
    missing = tmp_path / "no-such-snapshot"
    with pytest.raises(snapshot.SnapshotError, match=r"no-such-snapshot.*not found"):
        snapshot.build_cache_from_snapshot(db, missing)
    code = snapshot.main(["build", "--db", str(db), "--snapshot-dir", str(missing)])
    assert code == 1
    assert "no-such-snapshot: snapshot directory not found" in capsys.readouterr().err
    assert not db.exists()


def test_missing_csv_names_the_file(tmp_path: Path, converted: Path) -> None:
    (converted / "votes.csv").unlink()
    with pytest.raises(snapshot.SnapshotError, match=r"votes\.csv: snapshot CSV not found"):
        snapshot.build_cache_from_snapshot(tmp_path / "council.db", converted)


def test_broken_csv_leaves_the_existing_cache_untouched(tmp_path: Path, converted: Path) -> None:
    db = tmp_path / "council.db"
    snapshot.build_cache_from_snapshot(db, converted)
    before = db.read_bytes()
    rounds = converted / "election_rounds.csv"
    rounds.write_text(rounds.read_text().replace(",2293200,", ",22932OO,", 1))
    with pytest.raises(snapshot.SnapshotError, match=r"line 2, column \w+: '22932OO'"):
        snapshot.build_cache_from_snapshot(db, converted)
    assert db.read_bytes() == before


def test_wrong_header_is_a_clear_error(tmp_path: Path, converted: Path) -> None:
    members = converted / "members.csv"
    members.write_text(members.read_text().replace("root_account", "account", 1))
    with pytest.raises(snapshot.SnapshotError, match=r"members\.csv: the header should be"):
        snapshot.read_snapshot(converted)


def test_bad_report_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "report.json"
    broken.write_text(json.dumps({"rounds": [{"round": 1, "termEndsAt": "soon", "seats": []}]}))
    assert snapshot.main(["convert", str(broken), "--out", str(tmp_path / "out")]) == 1
    with pytest.raises(snapshot.SnapshotError, match="'termEndsAt' should be an integer"):
        snapshot.load_rounds(broken)
    with pytest.raises(snapshot.SnapshotError, match="cannot read"):
        snapshot.load_rounds(tmp_path / "absent.json")


def test_module_runs_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    env = {**os.environ, "COUNCIL_DB": str(db)}
    result = subprocess.run(
        [sys.executable, "-m", "council.snapshot", "build", "--if-missing"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_round_source_is_the_report_file_name(tmp_path: Path) -> None:
    copy = tmp_path / "22.10_KPIs_Overview_report.json"
    shutil.copy(FIXTURE, copy)
    tables = snapshot.convert(copy, tmp_path / "out")
    assert {r["source"] for r in tables["election_rounds"]} == {copy.name}
