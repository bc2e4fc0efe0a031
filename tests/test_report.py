"""The term report on a hand-made cache; the expected markdown is worked out by hand.

Network ``testnet``, 6-second blocks from block 1,000 at 2024-01-01 00:00 UTC.
Terms: c1 (round 1, blocks 1,000-101,800), c2 (round 2, 101,800-202,600, 2024-01-08 to
2024-01-15), c3 (round 3, from 202,600, in office). The report is of term 2:

- Seats: alice (1) own stake 5,000, backed by votes of 200 + 300 = 500 JOY; bob (2) own stake
  3,000, backed by 1,000 JOY. erin (5) lost with 50 JOY. Subtotals 8,000 and 1,500; total 9,500.
- Proposals created in the term: 10 Signal (executed after 14,400 blocks = 1 d 0 h), 11
  FundingRequest 25,000 JOY (executed after 7,200 = 12 h 0 min), 12 FundingRequest 10,000
  (rejected after 3,600 = 6 h 0 min), 13 Signal (cancelled after 600 = 1 h 0 min, left out of
  the times), 14 RuntimeUpgrade (deciding). Total 25,200 blocks (1 d 18 h), average 8,400
  (14 h 0 min). Proposal 9 was created in term 1 but executed in term 2 (2,000 JOY).
- Decided in term 2: 9, 10, 11, 12, 13 (5). alice voted on 9, 10, 11, 12 (4 votes, 80 %);
  bob on 10, 11 and 14 (3 votes; 10 and 11 decided: 40 %). carol's vote on 10 is not a
  councillor's vote of term 2 but she is a participant.
- Spending decided in term 2: 11 (Builders, 25,000) and 9 (uncategorised, 2,000): 92.6 % and
  7.4 % of 27,000.
- Budget: refills 50,000 + 50,000 in the term (1,000 in term 3); rewards paid 700 + 500 with
  200 missing (999 in term 1).
- KPIs: K1 (deadline 2024-01-10, done) and K2 (2024-01-14, in progress 30 %: overdue on
  2024-01-15) fall in the term; K3 (2024-02-01) does not.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
import sqlite_utils

from council import data, report, store

NET = "testnet"
HAPI = 10**10
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = FIXTURES / "report_expected_term2.md"
ORIGIN = datetime(2024, 1, 1, tzinfo=UTC)


def at(block: int) -> str:
    """The UTC time of ``block`` at 6 s a block from block 1,000 at 2024-01-01 00:00."""
    return (ORIGIN + timedelta(seconds=6 * (block - 1000))).strftime("%Y-%m-%dT%H:%M:%SZ")


def joy(amount: int) -> str:
    return str(amount * HAPI)


def rows() -> dict[str, list[dict]]:
    members = [
        {"network": NET, "id": str(i), "handle": h, "root_account": f"acc{i}"}
        for i, h in enumerate(["alice", "bob", "carol", "dave", "erin"], start=1)
    ]
    rounds = [
        {
            "network": NET,
            "cycle_id": cycle,
            "round_id": f"r{cycle}",
            "is_finished": 1,
            "started_at_block": start,
            "ended_at_block": end,
            "ended_at_time": at(end) if end else None,
            "seats": 2,
            "voting_started_at_block": vote,
            "voting_ends_at_block": vote + 14_400,
            "revealing_started_at_block": vote + 14_400,
            "revealing_ends_at_block": vote + 28_800,
            "council_id": council,
            "next_council_id": nxt,
            "losers_recorded": 1,
            "source": "test",
        }
        for cycle, start, end, vote, council, nxt in [
            (1, 0, 1_000, 100, None, "c1"),
            (2, 1_000, 101_800, 73_000, "c1", "c2"),
            (3, 101_800, 202_600, 173_800, "c2", "c3"),
        ]
    ]
    councils = [
        {
            "network": NET,
            "id": f"c{n}",
            "elected_in_cycle_id": n,
            "elected_at_block": start,
            "elected_at_time": at(start),
            "ended_at_block": end,
            "ended_at_time": at(end) if end else None,
            "is_resigned": int(end is not None),
        }
        for n, start, end in [(1, 1_000, 101_800), (2, 101_800, 202_600), (3, 202_600, None)]
    ]
    candidates = [
        {
            "network": NET,
            "id": cid,
            "cycle_id": 2,
            "member_id": member,
            "stake": joy(stake),
            "vote_power": joy(power),
            "status": status,
        }
        for cid, member, stake, power, status in [
            ("k2a", "1", 5_000, 500, "elected"),
            ("k2b", "2", 3_000, 1_000, "elected"),
            ("k2e", "5", 1_000, 50, "failed"),
            ("k1a", "1", 4_000, 0, "elected"),
        ]
    ]
    votes = [
        {
            "network": NET,
            "id": vid,
            "cycle_id": 2,
            "cast_by": f"voter{vid}",
            "stake": joy(stake),
            "vote_power": joy(stake),
            "vote_for_candidate_id": cid,
        }
        for vid, cid, stake in [
            ("v1", "k2a", 200),
            ("v2", "k2a", 300),
            ("v3", "k2b", 1_000),
            ("v4", "k2e", 50),
        ]
    ]
    seats = [
        {
            "network": NET,
            "id": sid,
            "council_id": council,
            "member_id": member,
            "stake": joy(stake),
            "accumulated_reward": joy(0),
        }
        for sid, council, member, stake in [
            ("s1a", "c1", "1", 4_000),
            ("s1c", "c1", "3", 2_000),
            ("s2a", "c2", "1", 5_000),
            ("s2b", "c2", "2", 3_000),
        ]
    ]
    proposals = [
        {
            "network": NET,
            "id": pid,
            "title": title,
            "type": kind,
            "status": status,
            "creator_id": creator,
            "is_finalized": int(status != "deciding"),
            "created_at_block": created,
            "created_at_time": at(created),
            "status_set_at_block": decided,
            "status_set_at_time": at(decided),
            "funding_amount": joy(funding) if funding else None,
        }
        for pid, title, kind, status, creator, created, decided, funding in [
            ("9", "Pay the validators", "FundingRequest", "executed", "1", 100_000, 105_000, 2_000),
            ("10", "Council secretary", "Signal", "executed", "4", 110_000, 124_400, None),
            ("11", "Pay the builders", "FundingRequest", "executed", "1", 120_000, 127_200, 25_000),
            ("12", "Marketing", "FundingRequest", "rejected", "2", 130_000, 133_600, 10_000),
            ("13", "Withdrawn idea", "Signal", "cancelled", "3", 140_000, 140_600, None),
            ("14", "Upgrade", "RuntimeUpgrade", "deciding", "4", 200_000, 200_000, None),
        ]
    ]
    proposal_votes = [
        {
            "network": NET,
            "id": f"pv{i}",
            "proposal_id": pid,
            "voter_member_id": member,
            "vote_kind": kind,
            "rationale": "",
            "voting_round": 1,
            "voted_at_block": block,
            "voted_at_time": at(block),
        }
        for i, (pid, member, kind, block) in enumerate(
            [
                ("9", "1", "approve", 102_000),
                ("10", "1", "approve", 111_000),
                ("10", "2", "reject", 112_000),
                ("10", "3", "approve", 113_000),
                ("11", "1", "approve", 121_000),
                ("11", "2", "approve", 122_000),
                ("12", "1", "reject", 131_000),
                ("14", "2", "abstain", 201_000),
            ]
        )
    ]
    refills = [
        {"network": NET, "id": rid, "block": block, "time": at(block), "balance": joy(amount)}
        for rid, block, amount in [("b1", 101_900, 50_000), ("b2", 150_000, 50_000),
                                   ("b3", 210_000, 1_000)]
    ]  # fmt: skip
    payments = [
        {"network": NET, "id": pid, "block": block, "time": at(block), "council_member_id": seat,
         "reward_account": "acc", "paid": joy(paid), "missing": joy(missing)}
        for pid, block, seat, paid, missing in [("w1", 150_000, "s2a", 700, 0),
                                                ("w2", 200_000, "s2b", 500, 200),
                                                ("w3", 50_000, "s1a", 999, 0)]
    ]  # fmt: skip
    return {
        "members": members,
        "election_rounds": rounds,
        "councils": councils,
        "candidates": candidates,
        "votes": votes,
        "council_members": seats,
        "proposals": proposals,
        "proposal_votes": proposal_votes,
        "budget_refills": refills,
        "reward_payments": payments,
    }


CATEGORIES = pd.DataFrame(
    {
        "Testnet": ["Testnet", "Testnet"],
        "Proposal #": ["11", "12"],
        "Title": ["Pay the builders", "Marketing"],
        "Status": ["Executed", "Rejected"],
        "Amount Asked": ["25000", "10000"],
        "Amount Minted": ["25000", "0"],
        "Exchange Rate": ["", ""],
        "$ amount": ["", ""],
        "Category": ["Builders", "Marketing"],
    }
)
KPIS = pd.DataFrame(
    {
        "Term": ["T2", "T2", "T3"],
        "KPI": ["K1", "K2", "K3"],
        "Title": ["Elect a secretary", "Write the report", "Later work"],
        "Owner": ["carol", "alice", ""],
        "Deadline": ["2024-01-10", "2024-01-14", "2024-02-01"],
        "Reward": ["100", "200", "50"],
        "Reward unit": ["USD", "USD", "USD"],
        "Penalty": ["", "", ""],
        "Status": ["done", "in progress", ""],
        "Progress %": ["100", "30", ""],
        "Reward earned": ["100", "", ""],
    }
)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "council.db"
    store.write_cache(path, rows(), {"source": "test", "networks": NET})
    db = sqlite_utils.Database(path)
    db["council_roles"].insert_all(
        [
            {"network": NET, "council_id": "c2", "member_id": "3", "role": "Council Secretary"},
            {"network": NET, "council_id": "c2", "member_id": "1", "role": "Deputy Secretary"},
            {"network": NET, "council_id": "c1", "member_id": "2", "role": "Council Secretary"},
        ]
    )
    db["council_budget_figures"].insert_all(
        [
            {"network": NET, "council_id": "c2", "label": "Total budget", "value": "120000",
             "unit": "JOY"},
            {"network": NET, "council_id": "c1", "label": "Total budget", "value": "90000",
             "unit": "JOY"},
        ]
    )  # fmt: skip
    db.close()
    return path


def sources(path: Path) -> report.ReportSources:
    here = data.load(path).for_network(NET)
    return report.ReportSources(
        network=NET,
        data=here,
        roles=here.council_roles,
        budget_figures=here.council_budget_figures,
        categories=CATEGORIES,
        kpis=KPIS,
    )


def test_term_report_matches_the_hand_worked_markdown(cache: Path) -> None:
    text = report.term_report(sources(cache), 2, today=date(2030, 1, 1))
    assert text == EXPECTED.read_text()


def test_latest_is_the_term_in_office(cache: Path) -> None:
    text = report.term_report(sources(cache), "latest", today=date(2024, 1, 20))
    assert text.startswith("# Council term 3 report (testnet)\n")
    assert "- End block: still in office\n" in text


def test_unknown_term_names_the_known_ones(cache: Path) -> None:
    with pytest.raises(LookupError, match="no term 7; known terms: 1, 2, 3"):
        report.term_report(sources(cache), 7)


def test_sections_without_data_say_not_recorded(tmp_path: Path) -> None:
    tables = rows()
    for name in ("proposals", "proposal_votes", "budget_refills", "reward_payments"):
        tables[name] = []
    path = tmp_path / "bare.db"
    store.write_cache(path, tables, {"source": "test"})
    empty = pd.DataFrame(columns=KPIS.columns)
    here = data.load(path).for_network(NET)
    bare = report.ReportSources(
        NET, here, here.council_roles, here.council_budget_figures, CATEGORIES, empty
    )
    text = report.term_report(bare, 2)
    headings = [
        "3 - Council roles",
        "4 - Budget status",
        "5 - Proposal overview",
        "6 - Proposal breakdown",
        "7 - Spending by category",
        "8 - KPI status",
    ]
    for heading in headings:
        assert f"## {heading}\n\nNot recorded.\n" in text
    assert "| @alice | 1 | – | – | 5,000 | 500 |" in text
    assert "- Proposal votes: not recorded for this network." in text


def test_a_cache_without_the_archive_tables_reports_roles_not_recorded(tmp_path: Path) -> None:
    path = tmp_path / "older.db"
    store.write_cache(path, rows(), {})
    with sqlite3.connect(path) as conn:
        conn.execute("drop table council_roles")
        conn.execute("drop table council_budget_figures")
    text = report.term_report(sources(path), 2, today=date(2030, 1, 1))
    assert "## 3 - Council roles\n\nNot recorded.\n" in text
    assert "## 4 - Budget status\n\n- Budget refills in the term" in text


@pytest.mark.parametrize(
    ("blocks", "text"),
    [(0, "0 min"), (10, "1 min"), (600, "1 h 0 min"), (14_400, "1 d 0 h"), (25_200, "1 d 18 h")],
)
def test_duration_at_six_seconds_a_block(blocks: int, text: str) -> None:
    assert report.duration(blocks) == text


def test_cli_prints_the_same_report(cache: Path, tmp_path: Path) -> None:
    env_uploads = tmp_path / "uploads.db"
    done = subprocess.run(
        [sys.executable, "-m", "council.report", "--term", "2", "--db", str(cache),
         "--network", NET],
        capture_output=True, text=True, check=False,
        env={"COUNCIL_UPLOADS_DB": str(env_uploads), "PATH": ""},
        cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # The CLI reads the starter categories and KPI files, which hold no testnet rows.
    assert done.stdout.startswith("# Council term 2 report (testnet)\n")
    expected = EXPECTED.read_text().split("## 7 - Spending by category")[0]
    assert done.stdout.split("## 7 - Spending by category")[0] == expected


def test_cli_rejects_an_unknown_term_with_one_line(cache: Path, capsys) -> None:
    assert report.main(["--term", "9", "--db", str(cache), "--network", NET]) == 1
    assert capsys.readouterr().err == "error: no term 9; known terms: 1, 2, 3\n"


def test_cli_rejects_an_unknown_network(cache: Path, capsys) -> None:
    assert report.main(["--term", "latest", "--db", str(cache), "--network", "mainnet"]) == 1
    assert "no data for network 'mainnet'" in capsys.readouterr().err


def archived_term() -> dict[str, list[dict]]:
    """One term as the testnet archive imports it: no blocks on proposals or votes, the
    report's own figures on the seats, a role held by a handle without a member id."""
    net, council = "archive", "archive-council-5"
    return {
        "members": [
            {"network": net, "id": "1", "handle": "alice"},
            {"network": net, "id": "2", "handle": "bob"},
        ],
        "election_rounds": [
            {"network": net, "cycle_id": 5, "is_finished": 1, "seats": 2, "ended_at_block": 1_000,
             "next_council_id": council, "losers_recorded": 0}
        ],
        "councils": [
            {"network": net, "id": council, "elected_in_cycle_id": 5, "elected_at_block": 1_000,
             "elected_at_time": at(1_000), "ended_at_block": 2_000, "ended_at_time": at(2_000),
             "is_resigned": 1}
        ],
        "council_members": [
            {"network": net, "id": "seat-1", "council_id": council, "member_id": "1",
             "stake": joy(1_000), "backing_stake": joy(250), "proposal_votes_cast": 7},
            {"network": net, "id": "seat-2", "council_id": council, "member_id": "2",
             "stake": joy(500)},
        ],
        "proposals": [
            {"network": net, "id": "50", "title": "Pay zed", "type": "Spending",
             "status": "executed", "creator_handle": "zed", "is_finalized": 1,
             "funding_amount": joy(300), "blocks_to_finalize": 1_200, "council_id": council},
            {"network": net, "id": "51", "title": "Idea", "type": "Text", "status": "cancelled",
             "creator_id": "2", "is_finalized": 1, "council_id": council},
        ],
        "proposal_votes": [
            {"network": net, "id": f"pv-{m}", "proposal_id": "50", "voter_member_id": m,
             "council_id": council}
            for m in ("1", "2")
        ],
        "council_roles": [
            {"network": net, "council_id": council, "member_id": "@carol", "role": "secretary"}
        ],
        "council_budget_figures": [
            {"network": net, "council_id": council, "label": "Start minted",
             "value": joy(1_234), "unit": "HAPI"}
        ],
    }  # fmt: skip


def test_an_archived_term_uses_the_reports_own_figures(tmp_path: Path) -> None:
    path = tmp_path / "archive.db"
    store.write_cache(path, archived_term(), {})
    here = data.load(path).for_network("archive")
    categories = CATEGORIES.assign(Testnet="Archive", **{"Proposal #": ["50", "51"]})
    archived = report.ReportSources(
        "archive", here, here.council_roles, here.council_budget_figures, categories, KPIS
    )
    text = report.term_report(archived, "latest", today=date(2030, 1, 1))
    # alice: 7 votes and 250 of voter stake as her term report says; bob: the one vote listed,
    # his voter stake not recorded (so neither are the subtotal and total of voter stake).
    # Both voted on 1 of the 2 proposals decided in the term (50 %).
    assert "| @alice | 1 | 7 | 50% | 1,000 | 250 |\n| @bob | 2 | 1 | 50% | 500 | – |\n" in text
    assert "| **Subtotal** | | 8 | | 1,500 | – |\n| **Total stake** | | | | – | |\n" in text
    assert "## 3 - Council roles\n\n- secretary\n    - @carol\n" in text
    assert "## 4 - Budget status\n\n- Start minted: 1,234 JOY\n" in text
    assert "- Executed funding requests: 1, 300 JOY\n" in text
    assert "over 1 finalized proposal (cancelled" in text and "Not finalized yet" not in text
    assert (
        "### Proposal 50 - Pay zed\n\n"
        "- Type: Spending\n"
        "    - Amount: 300 JOY\n"
        "- Status: executed\n"
        "    - Time to finalize: 1,200 blocks (2 h 0 min)\n"
        "- Created at: not recorded\n"
        "- Created by: @zed\n"
        "- Participants: @alice, @bob\n"
    ) in text
    assert "- Created by: @bob\n- Participants: none\n" in text
    assert "| Builders | 1 | 300 | 100.0% |" in text


def test_proposals_link_to_pioneer_on_mainnet_only() -> None:
    """Pioneer shows mainnet proposals: a testnet proposal's id would open another proposal."""
    proposal = {
        "id": "7",
        "title": "Fund the bounty",
        "type": "Signal",
        "funding_amount_joy": None,
        "status": "executed",
        "blocks_to_finalize": None,
        "created_at_block": 1000,
        "created_at_time": pd.Timestamp("2024-01-01", tz="UTC"),
        "creator_id": None,
        "creator_handle": "alice",
    }
    votes = pd.DataFrame(columns=["proposal_id", "voted_at_block", "id", "voter_member_id"])
    for network, linked in (("mainnet", True), ("sumer", False)):
        frame = pd.DataFrame([{**proposal, "network": network}])
        text = report.proposal_breakdown(frame, votes, {}, recorded=True)
        link = "- Link: https://pioneerapp.xyz/#/proposals/preview/7"
        assert (link in text) is linked, network
        assert "- Created by: @alice" in text
