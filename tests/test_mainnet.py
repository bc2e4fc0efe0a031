"""The bundled mainnet record (council.archive.mainnet): import, cache, fetch, default network."""

from __future__ import annotations

import csv
import shutil
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from council import (
    data,
    fetch,
    filters,
    report,
    snapshot,
    store,
)
from council.archive import importer as archive
from council.archive import mainnet as archive_mainnet
from council.archive import supersede as archive_supersede
from council.stats import kpis
from council.uploads import KPIS

ROOT = Path(__file__).resolve().parents[1]
NOTION = ROOT.parent / "shared" / "reference-data" / "joystream" / "notion-backup"
TERMS_CSV = NOTION / archive_mainnet.TERMS_FILE
MINTED_CSV = NOTION / archive_mainnet.MINTED_FILE
needs_notion = pytest.mark.skipif(
    not TERMS_CSV.exists(),
    reason=f"the mainnet record (../shared reference data) is not at {NOTION}; the committed "
    "data/snapshot/archive_mainnet CSVs are what the app uses",
)
COMMITTED = snapshot.DEFAULT_SNAPSHOT_DIR / archive_mainnet.MAINNET_ARCHIVE_DIR
FAST = {"timeout": 5, "retries": 0, "backoff": 0}
HAPI = 10**10
# Spellings the archive README lists as one member (lower case): written -> stored.
MERGED = {"chaos": "chaos77", "dmtr": "dmtrmltsv", "h. hazashi": "hanzo hazashi"}
MERGED["vikan#4315"] = "vikan"
TERMS_HEADER = (
    "term,start_date,end_date,start_block,end_block,councilor_1,share_1_pct,councilor_2,"
    "share_2_pct,councilor_3,share_3_pct,election_link_id,council_budget_start_joy,"
    "council_budget_spent_joy,council_budget_refill_joy,council_budget_end_joy,term_total_joy,"
    "notes\n"
)
# Terms 1 and 2 are also in tests/fixtures/qn_small.json (rounds 1 and 2 elected councils
# 0000000n and 00000018); term 5 is not.
SMALL_RECORD = TERMS_HEADER + (
    "1,2023-01-02,2023-01-16,1,201601,l1dev,40,Leet_joy,30,freakstatic_council,20,,"
    "100,10,5,95,50,\n"
    "2,2023-01-16,2023-01-30,201601,403201,jen4ph,,tomato,,l1dev,,,95,,,,60,\n"
    "5,2023-03-01,2023-03-15,900000,1101600,Tomato,50,Someone,30,l1dev,20,,,,,,70,\n"
)


def query(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


def hapi(joy: str) -> str | None:
    return str(int(Decimal(joy) * HAPI)) if joy else None


# --- The committed archive against the record ---------------------------------------------------


@pytest.fixture(scope="module")
def committed() -> dict[str, list[dict]]:
    return snapshot.read_archive(COMMITTED)


@needs_notion
def test_every_imported_term_matches_the_source_csv(committed) -> None:
    with TERMS_CSV.open(encoding="utf-8") as handle:
        source = list(csv.DictReader(handle))
    assert [int(r["term"]) for r in source] == list(range(2, 36))
    terms = {r["term"]: r for r in committed["archive_terms"]}
    councils = {r["id"]: r for r in committed["councils"]}
    handles = {r["id"]: r["handle"] for r in committed["members"]}
    figures = {(r["council_id"], r["label"]): r for r in committed["council_budget_figures"]}
    shares = {
        (r["cycle_id"], r["member_id"]): r["share_pct"] for r in committed["archive_vote_shares"]
    }
    for row in source:
        t = int(row["term"])
        council_id = f"mainnet-council-{t}"
        blocks = tuple(int(b) if b else None for b in (row["start_block"], row["end_block"]))
        term = terms[t]
        assert (term["start_block"], term["end_block"]) == blocks, t
        assert (term["start_date"], term["end_date"]) == (row["start_date"], row["end_date"])
        assert term["council_id"] == council_id
        for column, label in archive_mainnet.BUDGET_LABELS.items():
            figure = figures[(council_id, label)]
            assert (figure["value"], figure["unit"]) == (hapi(row[column]), "HAPI"), (t, label)
        if blocks[0] is None:  # term 2: no blocks, no councillors in the record
            assert council_id not in councils
            continue
        council = councils[council_id]
        assert (council["elected_at_block"], council["ended_at_block"]) == blocks, t
        seats = [m for m in committed["council_members"] if m["council_id"] == council_id]
        written = [(row[f"councilor_{i}"], row[f"share_{i}_pct"]) for i in (1, 2, 3)]
        expected = sorted(MERGED.get(w.lower(), w.lower()) for w, _ in written)
        assert sorted(handles[s["member_id"]].lower() for s in seats) == expected, t
        for name, share in written:
            member = next(
                s["member_id"]
                for s in seats
                if handles[s["member_id"]].lower() == MERGED.get(name.lower(), name.lower())
            )
            assert shares.get((t, member)) == (share or None), (t, name)


@needs_notion
def test_minted_figures_match_the_source_csv(committed) -> None:
    figures = {
        (r["council_id"], r["label"]): r["value"] for r in committed["council_budget_figures"]
    }
    with MINTED_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            council_id = f"mainnet-council-{row['term']}"
            if row["term"] == "1":  # no council of term 1 in the record: listed, not imported
                assert (council_id, archive_mainnet.MINTED_LABEL) not in figures
                continue
            minted = str(int(Decimal(row["minted_mjoy"]) * 10**6 * HAPI))
            assert figures[(council_id, archive_mainnet.MINTED_LABEL)] == minted
            assert figures[(council_id, archive_mainnet.INFLATION_LABEL)] == row["inflation_pct"]


@needs_notion
def test_importing_twice_writes_the_committed_files(tmp_path: Path) -> None:
    out = tmp_path / "archive_mainnet"
    for _ in range(2):
        assert archive.main([str(NOTION), "--out", str(out)]) == 0
        for path in sorted(COMMITTED.iterdir()):
            assert (out / path.name).read_bytes() == path.read_bytes(), path.name


def test_the_readme_lists_the_records_inconsistencies_and_spellings() -> None:
    readme = (COMMITTED / "README.md").read_text(encoding="utf-8")
    assert "- terms 27/28: term 27 ends at block 5952874, term 28 starts at block 5961627" in readme
    assert "'Chaos' stored as chaos77" in readme
    assert "'Jenny' kept as written" in readme
    assert "term 2: no councillors in the record (members not recorded)" in readme
    assert "report prints 0.0728%" in readme  # the notes columns are kept


def test_the_bundled_cache_holds_the_mainnet_terms_with_nulls_for_what_is_not_recorded(
    snapshot_copy,
) -> None:
    db = snapshot_copy("bundled")
    assert query(
        db,
        "select min(cycle_id), max(cycle_id), count(*), sum(losers_recorded) from "
        "election_rounds where network = 'mainnet'",
    ) == [(3, 35, 33, 0)]
    assert query(
        db,
        "select count(*) from candidates where network = 'mainnet' and "
        "(stake is not null or vote_power is not null)",
    ) == [(0,)]
    # Term 5's budget at start is not in the record: a NULL figure, not 0.
    assert query(
        db,
        "select value from council_budget_figures where council_id = "
        "'mainnet-council-5' and label = 'Council budget at start'",
    ) == [(None,)]


# --- Importing adds -------------------------------------------------------------------------------


def write_record(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / archive_mainnet.TERMS_FILE).write_text(text, encoding="utf-8")
    return folder


def test_a_new_import_keeps_what_the_archive_already_has(tmp_path: Path) -> None:
    out = tmp_path / "out"
    lines = SMALL_RECORD.splitlines(keepends=True)
    first = write_record(tmp_path / "first", "".join(lines[:3]))  # terms 1 and 2
    later = write_record(tmp_path / "later", lines[0] + lines[3])  # term 5 only
    assert archive.main([str(first), "--out", str(out)]) == 0
    assert archive.main([str(later), "--out", str(out)]) == 0
    kept = snapshot.read_archive(out)
    assert sorted(r["cycle_id"] for r in kept["election_rounds"]) == [1, 2, 5]
    assert "Rows kept from earlier imports" in (out / "README.md").read_text()
    # The same material again changes nothing.
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert archive.main([str(later), "--out", str(out)]) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_new_testnet_report_keeps_the_reports_imported_before(tmp_path: Path) -> None:
    fixtures = ROOT / "tests" / "fixtures" / "archive"
    snap = tmp_path / "snap"
    snap.mkdir()
    for name in snapshot.SNAPSHOT_TABLES:
        shutil.copy(snapshot.DEFAULT_SNAPSHOT_DIR / f"{name}.csv", snap)
    out = tmp_path / "archive"
    babylon = fixtures / "babylon"
    antioch = fixtures / "antioch"
    assert archive.main([str(babylon), "--out", str(out), "--snapshot-dir", str(snap)]) == 0
    assert archive.main([str(antioch), "--out", str(out), "--snapshot-dir", str(snap)]) == 0
    eras = {r["testnet"] for r in snapshot.read_archive(out)["archive_terms"]}
    assert eras == {"babylon", "antioch"}


def test_a_bad_cell_is_named_and_imported_as_not_recorded(tmp_path: Path, capsys) -> None:
    bad = SMALL_RECORD.replace("900000,1101600", "9OOOOO,1101600")
    folder = write_record(tmp_path / "bad", bad)
    assert archive.main([str(folder), "--out", str(tmp_path / "out")]) == 0
    message = (
        f"{archive_mainnet.TERMS_FILE}, line 4, column start_block: '9OOOOO' is not a whole "
        "number (imported as not recorded)"
    )
    assert f"warning: {message}" in capsys.readouterr().err
    assert message in (tmp_path / "out" / "README.md").read_text()


def test_a_record_without_its_columns_fails_in_one_line(tmp_path: Path, capsys) -> None:
    folder = write_record(tmp_path / "bad", "term,start_date\n3,2023-01-17\n")
    assert archive.main([str(folder), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "missing column(s) end_date" in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


# --- Fetched rows supersede the record ------------------------------------------------------------


@pytest.fixture
def small_archive(tmp_path: Path) -> dict[str, list[dict]]:
    folder = write_record(tmp_path / "record", SMALL_RECORD)
    tables, _ = archive_mainnet.import_record([folder])
    return tables


def mainnet_rows(db: Path) -> dict[str, list[tuple]]:
    rows = {}
    for table in archive_supersede.TABLES:
        pk = ", ".join(store.TABLES[table].pk)
        rows[table] = query(db, f"select * from {table} where network = 'mainnet' order by {pk}")
    return rows


def check_superseded(db: Path) -> None:
    rounds = query(
        db,
        "select cycle_id, round_id from election_rounds where network = 'mainnet'"
        " order by cycle_id",
    )
    # Rounds 1-3 from the node, round 5 from the record; none twice.
    assert rounds == [(1, "00000005"), (2, "0000000r"), (3, "0000001c"), (5, "mainnet-5")]
    councils = query(db, "select id from councils where network = 'mainnet' order by id")
    assert councils == [("00000001",), ("0000000n",), ("00000018",), ("mainnet-council-5",)]
    # One figure per seat: the node's candidacies for rounds 1-2, no archive seats or shares.
    per_seat = query(
        db,
        "select cycle_id, member_id, count(*) from candidates where network ="
        " 'mainnet' group by cycle_id, member_id having count(*) > 1",
    )
    assert per_seat == []
    assert query(
        db, "select cycle_id, member_id, share_pct from archive_vote_shares order by member_id"
    ) == [
        (5, "3253", "50"),
        (5, "515", "20"),
        (5, "@Someone", "30"),
    ]
    # The record's per-term figures move to the node's council of the term.
    assert query(
        db,
        "select council_id, value from council_budget_figures where label ="
        " 'Term total' order by value",
    ) == [
        ("0000000n", str(50 * HAPI)),
        ("00000018", str(60 * HAPI)),
        ("mainnet-council-5", str(70 * HAPI)),
    ]
    # Term 5's councillors are the node's members where the handle is known (any case).
    seats = query(
        db,
        "select member_id from council_members where council_id ="
        " 'mainnet-council-5' order by member_id",
    )
    assert seats == [("3253",), ("515",), ("@Someone",)]
    assert query(db, "select id from members where id like '@%'") == [("@Someone",)]


def test_import_then_fetch_keeps_the_record_for_terms_the_node_lacks(
    tmp_path: Path, small_archive, qn_server
) -> None:
    db = tmp_path / "council.db"
    store.write_cache(db, small_archive, {"source": "bundled snapshot"})
    fetch.refresh(qn_server.url, db, **FAST)
    check_superseded(db)
    first = mainnet_rows(db)
    fetch.refresh(qn_server.url, db, **FAST)  # incremental: the same rows
    assert mainnet_rows(db) == first


def test_fetch_then_import_gives_the_same_rows(tmp_path: Path, small_archive, qn_server) -> None:
    imported_first = tmp_path / "imported-first.db"
    store.write_cache(imported_first, small_archive, {"source": "bundled snapshot"})
    fetch.refresh(qn_server.url, imported_first, **FAST)

    db = tmp_path / "council.db"
    fetch.refresh(qn_server.url, db, **FAST)
    snap = tmp_path / "snapshot"
    assert archive.main([str(tmp_path / "record"), "--out", str(snap / "archive_mainnet")]) == 0
    assert (
        snapshot.main(["build", "--db", str(db), "--if-missing", "--snapshot-dir", str(snap)]) == 0
    )
    check_superseded(db)
    assert mainnet_rows(db) == mainnet_rows(imported_first)
    assert store.read_meta(db)["source"] == qn_server.url  # still a fetched cache
    fetch.refresh(qn_server.url, db, **FAST)  # a later refresh keeps it so
    assert mainnet_rows(db) == mainnet_rows(imported_first)


def test_resolve_twice_changes_nothing(small_archive) -> None:
    fetched = {
        "election_rounds": [{**small_archive["election_rounds"][0], "round_id": "00000005"}],
        "members": [{"network": "mainnet", "id": "515", "handle": "l1dev", "root_account": None}],
    }
    mixed = {t: [*fetched.get(t, []), *small_archive.get(t, [])] for t in archive_supersede.TABLES}
    once = archive_supersede.resolve(mixed, "mainnet")
    assert [r["cycle_id"] for r in once["election_rounds"]] == [1, 2, 5]
    assert next(r["round_id"] for r in once["election_rounds"]) == "00000005"
    assert not [c for c in once["candidates"] if c["cycle_id"] == 1]
    assert archive_supersede.resolve(once, "mainnet") == once


# --- Default network, report, KPIs --------------------------------------------------------------


@pytest.mark.parametrize(
    ("networks", "expected"),
    [
        (["sumer", "mainnet", "alexandria"], "mainnet"),
        (["sumer", "alexandria"], "sumer"),  # the newest first, as CouncilData.networks
        ([], None),
    ],
)
def test_default_network_is_mainnet_when_present_else_the_newest(networks, expected) -> None:
    assert filters.default_network(networks) == expected
    if networks:
        assert filters.network_options(networks)[0] == expected
        assert sorted(filters.network_options(networks)) == sorted(networks)


def test_report_without_a_cache_file_says_so(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "council.db"
    assert report.main(["--term", "latest", "--db", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: no cache file yet at {missing}")
    assert "no data for network" not in err
    assert not missing.exists()


def test_report_latest_on_a_fresh_clone_is_the_last_mainnet_term(tmp_path: Path, capsys) -> None:
    db = tmp_path / "council.db"
    assert snapshot.main(["build", "--db", str(db), "--if-missing"]) == 0
    assert report.main(["--term", "latest", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Council term 35 report (mainnet)\n")
    # The mainnet report's shape (council.report_mainnet), from the term report's figures.
    assert "- Starting Council budget: 16,021,387 JOY" in text
    assert "- Term inflation: 0.728 %" in text
    assert "| @leet_joy | @leet_joy | 21.00 % | term report |" in text
    # The chain's spending items are not in the record: "not recorded", not 0.
    assert "| Council rewards | not recorded | not recorded |" in text
    assert "| Grand total | 6,256,080 | not recorded | the term report's total spending" in text


def test_a_term_without_a_budget_figure_says_not_recorded(snapshot_copy, capsys) -> None:
    db = snapshot_copy("bundled")
    assert report.main(["--term", "24", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert "- Spending from Council budget: not recorded" in text
    assert "- Term total (the term report's own): 1,666,000 JOY" in text


def test_kpi_terms_belong_to_their_network() -> None:
    """One rule (kpis.term_networks): a KPI round is the network that paid it, a term with a
    deadline after mainnet's launch is mainnet's, any other term's network is unknown."""
    items = kpis.kpi_items(
        data_frame(
            {
                "Term": ["2023 Q2", "KPI round 18", "Term 7"],
                "Deadline": ["2023-06-30", "2021-10-01", ""],
            }
        ),
        today=date_of("2024-01-01"),
    )
    paid = pd.DataFrame({"network": ["sumer"], "kpi_round": [18], "member_id": ["1"]})
    assert kpis.term_networks(items, paid) == {
        "2023 Q2": "mainnet",
        "KPI round 18": "sumer",
        "Term 7": None,
    }
    assert list(kpis.items_of_network(items, "mainnet", paid)["term"]) == ["2023 Q2", "Term 7"]
    assert list(kpis.items_of_network(items, "sumer", paid)["term"]) == ["KPI round 18", "Term 7"]
    assert len(kpis.items_of_network(items, None, paid)) == 3


def data_frame(columns: dict[str, list[str]]) -> pd.DataFrame:
    size = len(next(iter(columns.values())))
    frame = pd.DataFrame({c: [""] * size for c in KPIS.column_names})
    for column, values in columns.items():
        frame[column] = values
    return frame


def date_of(text: str) -> date:
    return date.fromisoformat(text)


def test_the_record_reads_as_mainnet_data(snapshot_copy) -> None:
    db = snapshot_copy("bundled")
    cache = data.load(db)
    assert filters.default_network(cache.networks) == "mainnet"
    shares = cache.for_network("mainnet").vote_shares
    assert len(shares) == 57 and shares["share_pct"].dtype == "float64"


# --- Figures a winners-only record lacks are null, not 0 ------------------------------------------


def small_cache(path: Path, with_round_1: bool = True) -> data.CouncilData:
    """Round 1: a full record, two candidates staking 10 and 20 JOY, 3 votes (left out when
    not ``with_round_1``). Round 2: the mainnet record's shape, two seats without stakes."""

    def round_(cycle: int, full: int) -> dict:
        return {
            "network": "n", "cycle_id": cycle, "round_id": f"r{cycle}", "is_finished": 1,
            "ended_at_block": cycle * 100, "seats": 2, "next_council_id": f"c{cycle}",
            "losers_recorded": full,
        }  # fmt: skip

    def candidate(cycle: int, member: str, stake: int | None) -> dict:
        return {
            "network": "n", "id": f"{cycle}-{member}", "cycle_id": cycle, "member_id": member,
            "stake": None if stake is None else str(stake * HAPI), "status": "elected",
        }  # fmt: skip

    votes = [
        {"network": "n", "id": f"v{i}", "cycle_id": 1, "cast_by": "a", "stake": str(HAPI),
         "vote_power": str(HAPI), "vote_for_candidate_id": "1-m1"}
        for i in range(3)
    ]  # fmt: skip
    store.write_cache(
        path,
        {
            "election_rounds": [round_(1, 1), round_(2, 0)][0 if with_round_1 else 1 :],
            "candidates": [
                candidate(1, "m1", 10), candidate(1, "m2", 20),
                candidate(2, "m1", None), candidate(2, "m3", None),
            ],
            "members": [
                {"network": "n", "id": m, "handle": m.upper()} for m in ("m1", "m2", "m3")
            ],
            "votes": votes if with_round_1 else [],
        },
        {},
    )  # fmt: skip
    return data.load(path).for_network("n")


def test_a_round_without_recorded_stakes_has_no_stake_total(tmp_path: Path) -> None:
    from council.stats import elections

    _, summary = elections.election_tables(small_cache(tmp_path / "c.db"))
    totals = summary.set_index("cycle_id")["total_candidate_stake_joy"]
    assert totals[1] == 30.0
    assert pd.isna(totals[2])


def test_votes_cast_are_not_recorded_when_no_round_records_votes(tmp_path: Path) -> None:
    from council.stats import overview

    cache = small_cache(tmp_path / "c.db")
    assert overview.headline(cache).votes == 3
    winners_only = small_cache(tmp_path / "winners-only.db", with_round_1=False)
    assert overview.headline(winners_only).votes is None
