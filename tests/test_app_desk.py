"""The secretary's desk pages under Streamlit's AppTest: the bundled snapshot and a live round."""

import re
from pathlib import Path

import pytest
from apptest_pages import markdown_source, run_page
from test_report import rows

from council import data, store


@pytest.fixture(scope="module")
def snapshot_db(snapshot_copy) -> Path:
    return snapshot_copy("desk")


@pytest.fixture(scope="module")
def live_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report fixture plus round 4 announcing: one candidate so far for 2 seats."""
    tables = rows()
    tables["election_rounds"].append(
        {
            "network": "testnet",
            "cycle_id": 4,
            "round_id": "r4",
            "is_finished": 0,
            "started_at_block": 202_600,
            "council_id": "c3",
            "losers_recorded": 1,
            "source": "test",
        }
    )
    tables["candidates"].append(
        {"network": "testnet", "id": "k4d", "cycle_id": 4, "member_id": "4",
         "stake": str(700 * 10**10), "vote_power": "0", "status": "active"}
    )  # fmt: skip
    path = tmp_path_factory.mktemp("live") / "council.db"
    store.write_cache(path, tables, {"source": "test", "networks": "testnet"})
    return path


def test_watch_on_the_snapshot_says_no_election_is_running(snapshot_db: Path, monkeypatch):
    at = run_page("app_pages/election_watch.py", snapshot_db, monkeypatch, network="sumer")
    sumer = data.load(snapshot_db).for_network("sumer")
    latest = int(sumer.rounds["cycle_id"].max())
    last = sumer.rounds.set_index("cycle_id").loc[latest]
    seats = int(last["seats"])
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Round"], metrics["Stage"]) == (str(latest), "idle")
    assert {m.label: m.delta for m in at.metric}["Stage"] == "historical"
    assert metrics["Candidates / seats"] == f"{seats} / {seats}"  # the snapshot lists winners
    assert metrics["Time left"] == "unknown"
    # The 2021-22 testnet ended long ago: the page names the last known block and date (an
    # estimate in the snapshot, so marked ≈) and extrapolates no current block to today.
    assert bool(last["ended_at_time_estimated"])
    ended = f"#{int(last['ended_at_block']):,} · ≈{last['ended_at_time']:%Y-%m-%d %H:%M} UTC"
    captions = [c.value for c in at.caption]
    assert not any("Current block" in c for c in captions)
    assert any(c.startswith("Historical data: the newest block in the cache") for c in captions)
    assert "The cache has no council stage updates for this network" in " ".join(captions)
    (note,) = [i.value for i in at.info]
    assert note.startswith(f"No election is running in this data: the newest round ended at "
                           f"block {ended}, ")  # fmt: skip
    post = markdown_source(at, "post-source")
    assert post.startswith(
        f"## Council election round {latest} (sumer): idle (historical) stage\n\n"
        f"- The round ended at block {ended}.\n"
    )
    assert "current block" not in post
    # The snapshot's round comes from a term report, which records no votes.
    assert "- Votes: not recorded (this round's source does not record its votes)\n" in post
    assert (metrics["Votes committed"], metrics["Votes revealed"]) == ("not recorded",) * 2


def test_watch_raises_low_candidacy_for_a_live_round(live_db: Path, monkeypatch):
    at = run_page("app_pages/election_watch.py", live_db, monkeypatch)
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Round"], metrics["Stage"]) == ("4", "announcing")
    assert metrics["Candidates / seats"] == "1 / 2"
    # From the council's election to voting took 100, 72,000 and 72,000 blocks in rounds
    # 1-3 (median 72,000), so announcing ends at about 202,600 + 72,000: long past by now.
    assert metrics["Stage ends at block"] == "#274,600"
    assert [e.value for e in at.error] == [
        "Only 1 candidate for 2 seats: the election cannot fill the council; announcing "
        "will start again."
    ]
    assert any("the cache is behind the chain" in w.value for w in at.warning)
    candidates = at.dataframe[1].value
    assert candidates["Candidate"].tolist() == ["dave"]
    assert "**Concerns**" in markdown_source(at, "post-source")


@pytest.fixture(scope="module")
def staged_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The live round 4 of ``live_db`` with the query node's council stage updates: council
    c3's idle stage from its election at block 202,600 to 209,800, then announcing from
    209,800, ending exactly at block 238,600 (the rounds alone would estimate 274,600)."""
    tables = rows()
    tables["election_rounds"].append(
        {"network": "testnet", "cycle_id": 4, "round_id": "r4", "is_finished": 0,
         "started_at_block": 202_600, "council_id": "c3", "losers_recorded": 1, "source": "qn"}
    )  # fmt: skip
    tables["candidates"].append(
        {"network": "testnet", "id": "k4d", "cycle_id": 4, "member_id": "4",
         "stake": str(700 * 10**10), "vote_power": "0", "status": "active"}
    )  # fmt: skip
    tables["council_stage_updates"] = [
        {"network": "testnet", "id": "u1", "changed_at_block": 202_600, "stage": "idle",
         "ends_at_block": 209_800, "council_id": "c3"},
        {"network": "testnet", "id": "u2", "changed_at_block": 209_800, "stage": "announcing",
         "ends_at_block": 238_600, "candidates_count": 1, "council_id": "c3"},
    ]  # fmt: skip
    path = tmp_path_factory.mktemp("staged") / "council.db"
    store.write_cache(path, tables, {"source": "test", "networks": "testnet"})
    return path


def test_watch_reads_the_stage_and_its_end_from_the_stage_updates(staged_db: Path, monkeypatch):
    at = run_page("app_pages/election_watch.py", staged_db, monkeypatch)
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Round"], metrics["Stage"]) == ("4", "announcing")
    assert metrics["Stage ends at block"] == "#238,600"
    assert metrics["Candidates / seats"] == "1 / 2"
    captions = [c.value for c in at.caption]
    assert (
        "Stage and end block from the query node's council stage update at block #209,800 "
        "(exact); ≈ marks lengths of later stages estimated from earlier rounds."
    ) in captions
    # Blocks are 6 s apart from block 1,000 at 2024-01-01 00:00 (tests/test_report.py), so
    # block 238,600 is 1,425,600 s = 16.5 days later; voting lasted 14,400 blocks and
    # revealing 14,400 in rounds 1-3.
    stages = at.dataframe[0].value
    assert stages.to_dict("list") == {
        "Stage": ["announcing", "voting", "revealing"],
        "Starts (block · UTC)": [
            "#209,800 · ≈2024-01-15 12:00 UTC",
            "#238,600 · ≈2024-01-17 12:00 UTC",
            "≈#253,000 · 2024-01-18 12:00 UTC",
        ],
        "Ends (block · UTC)": [
            "#238,600 · ≈2024-01-17 12:00 UTC",
            "≈#253,000 · 2024-01-18 12:00 UTC",
            "≈#267,400 · 2024-01-19 12:00 UTC",
        ],
    }
    # The stage's end is exact, so the overdue warning does not call it estimated and does
    # not guess that announcing restarted.
    (overdue,) = [w.value for w in at.warning if "behind the chain" in w.value]
    assert overdue.startswith("The announcing stage should have ended at block #238,600 by ")
    assert "Announcing also starts again" not in overdue
    assert "- Stage ends: #238,600 · ≈2024-01-17 12:00 UTC (time left: ended)" in markdown_source(
        at, "post-source"
    )


def test_term_report_page_shows_a_snapshot_term(snapshot_db: Path, monkeypatch):
    at = run_page("app_pages/term_report.py", snapshot_db, monkeypatch, network="sumer", term="25")
    source = markdown_source(at, "report-source")
    assert source.startswith("# Council term 25 report (sumer)\n")
    # tomato (member 2) held a seat of term 25 with 13,000,000 of own stake.
    assert re.search(r"^\| @tomato \| 2 \| .* \| 13,000,000 \| [\d,]+ \|$", source, re.M)
    headings = [line for line in source.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1 - Round overview",
        "## 2 - Council members and vote participation",
        "## 3 - Council roles",
        "## 4 - Budget status",
        "## 5 - Proposal overview",
        "## 6 - Proposal breakdown",
        "## 7 - Spending by category",
        "## 8 - KPI status",
    ]
    assert any(m.value == source for m in at.markdown)


def test_term_report_page_takes_the_term_from_the_url(live_db: Path, monkeypatch):
    at = run_page("app_pages/term_report.py", live_db, monkeypatch, term="2")
    assert at.selectbox(key="term").value == 2
    expected = (Path(__file__).parent / "fixtures" / "report_expected_term2.md").read_text()
    shown = markdown_source(at, "report-source")

    def section(text: str, first: int, after: int) -> str:
        return text.split(f"## {first} -")[1].split(f"## {after} -")[0]

    # This cache has no roles or budget figures, and the page reads the starter categories
    # and KPI files (no testnet rows): those sections differ from the fixture's.
    assert shown.split("## 3 -")[0] == expected.split("## 3 -")[0]
    assert section(shown, 5, 7) == section(expected, 5, 7)
    assert "## 3 - Council roles\n\nNot recorded.\n" in shown
