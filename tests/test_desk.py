"""The meeting desk on a cache fetched from the test query node (tests/desk_records.py):
proposals in every awaiting stage, councillors who did and did not vote, deadlines worked out
by hand from the periods table, and the agenda markdown exactly (page and CLI alike)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from desk_records import CURRENT_BLOCK, NOW, desk_records
from qn_server import QueryNodeServer

from council import agenda, data, fetch, uploads
from council.desk import build_desk, periods
from council.desk.pending import filter_pending, usd_rates
from council.desk.tables import councillor_table, pending_table

KPI_FILE = pd.DataFrame(
    [
        ["Term A", "K1", "Publish the budget report", "jen4ph", "2023-02-14", "100", "USD", "",
         "in progress", "40", ""],
        ["Term A", "K2", "Onboard two new leads", "tomato", "2023-02-05", "200", "USD", "",
         "in progress", "60", ""],
        ["Term A", "K3", "Weekly summaries", "l1dev", "2023-02-12", "50", "USD", "", "done",
         "100", "50"],
        ["Term A", "K4", "Quarterly plan", "l1dev", "2023-03-01", "300", "USD", "",
         "not started", "0", ""],
    ],
    columns=["Term", "KPI", "Title", "Owner", "Deadline", "Reward", "Reward unit", "Penalty",
             "Status", "Progress %", "Reward earned"],
)  # fmt: skip
CATEGORIES = pd.DataFrame(
    [
        ["Mainnet", "1", "old", "Approved", "1", "1", "0.05", "0.05", "Other"],
        ["Mainnet", "7", "newest", "Approved", "1", "1", "0.02", "0.02", "Other"],
        ["Giza", "3", "testnet", "Approved", "1", "1", "0.5", "0.5", "Other"],
    ],
    columns=["Testnet", "Proposal #", "Title", "Status", "Amount Asked", "Amount Minted",
             "Exchange Rate", "$ amount", "Category"],
)  # fmt: skip


@pytest.fixture(scope="module")
def desk_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("desk") / "council.db"
    with QueryNodeServer(desk_records()) as server:
        fetch.refresh(server.url, path, timeout=5.0, retries=0)
    return path


@pytest.fixture(scope="module")
def desk(desk_db: Path):
    return build_desk(
        data.load(desk_db).for_network("mainnet"), "mainnet", KPI_FILE, CATEGORIES, NOW
    )


def test_periods_table_holds_the_runtime_values() -> None:
    funding = periods.periods_of("FundingRequest")
    assert (funding.voting_period, funding.grace_period) == (3 * 14_400, 2 * 600)
    assert periods.periods_of("SetCouncilorReward").voting_period == 28_800
    assert periods.periods_of("AmendConstitution").voting_period == 72_200
    assert periods.periods_of("DecreaseCouncilBudget") is None
    assert funding.approvals_needed(3) == 2  # 66 % of 3 = 1.98
    assert periods.periods_of("Signal").approvals_needed(3) == 3  # all
    assert periods.periods_of("AmendConstitution").approvals_needed(3) == 3  # 80 % of 3 = 2.4
    assert funding.approvals_needed(5) == 4  # 66 % of 5 = 3.3
    table = periods.periods_table()
    assert table.loc[table["Proposal type"] == "RuntimeUpgrade", "Voting period (days)"].item() == 7


def test_usd_rate_is_the_newest_proposal_of_the_network() -> None:
    assert usd_rates(CATEGORIES) == {"mainnet": 0.02, "giza": 0.5}


def test_the_clock_stands_at_the_newest_timed_block(desk) -> None:
    assert desk.clock.current_block == CURRENT_BLOCK
    assert not desk.historical


def test_pending_list_in_every_stage(desk) -> None:
    p = desk.pending.set_index("id")
    # Overdue first, then deciding, gracing, dormant; by deadline within each.
    assert list(desk.pending["id"]) == [
        "000000a6", "000000a2", "000000a1", "0000002l", "000000a5", "000000a3", "000000a4",
    ]  # fmt: skip
    assert set(p["stage"]) == {"deciding", "gracing", "dormant"}
    # Deadlines from the periods table, by hand:
    # a6 SetCouncilorReward deciding from 403201 (round 2) + 2 days (28,800) = 432001
    # a2 SetMembershipPrice from 500001 + 3 days (43,200) = 543201
    # a1 Signal from 520001 + 43,200 = 563201; 0000002l FundingRequest 532801 + 43,200 = 576001
    # a3 FundingRequest gracing from 561001 + 2 hours (1,200) = 562201
    expected = {"000000a6": 432001, "000000a2": 543201, "000000a1": 563201,
                "0000002l": 576001, "000000a3": 562201}  # fmt: skip
    assert p["deadline_block"].dropna().astype(int).to_dict() == expected
    assert p.loc[["000000a5", "000000a4"], "deadline_block"].isna().all()  # no period / dormant
    # Hours left from block 561601 at 6 s a block.
    assert p.loc["000000a6", "hours_left"] == pytest.approx(-216.0)  # -129,600 blocks
    assert p.loc["000000a2", "hours_left"] == pytest.approx(-30 - 2 / 3)  # -18,400 blocks
    assert p.loc["000000a1", "hours_left"] == pytest.approx(2 + 2 / 3)  # 1,600 blocks
    assert p.loc["0000002l", "hours_left"] == pytest.approx(24.0)  # 14,400 blocks
    assert p.loc["000000a3", "hours_left"] == pytest.approx(1.0)  # 600 blocks
    assert list(p.index[p["overdue"]]) == ["000000a6", "000000a2"]
    assert list(p.index[p["nearly_expiring"]]) == ["000000a1", "0000002l", "000000a3"]
    # Approvals in the current deciding period against what the type needs of 3 seats.
    assert p.loc["000000a6", ["approvals", "approvals_needed"]].tolist() == [1, 3]  # round 2
    assert p.loc["000000a1", ["approvals", "approvals_needed"]].tolist() == [1, 3]
    assert p.loc["0000002l", ["approvals", "approvals_needed"]].tolist() == [1, 2]
    assert p.loc["000000a2", ["approvals", "approvals_needed"]].tolist() == [0, 2]
    assert p.loc["000000a4", ["councils_approved", "councils_needed"]].tolist() == [1, 4]
    # Who has not voted: l1dev's round-1 vote on a6 does not count in its round 2.
    assert p["not_voted"].to_dict() == {
        "000000a6": ["@l1dev", "@tomato"],
        "000000a2": ["@l1dev", "@jen4ph", "@tomato"],
        "000000a1": ["@tomato"],
        "0000002l": ["@l1dev", "@jen4ph"],
        "000000a5": ["@jen4ph", "@tomato"],
        "000000a3": [],
        "000000a4": [],
    }
    assert p.loc["0000002l", ["amount_joy", "amount_usd"]].tolist() == [80_000.0, 1_600.0]
    assert p.loc["000000a2", "creator"] == "member 9999"


def test_pending_filters_and_table(desk) -> None:
    shown = filter_pending(desk.pending, ["deciding"], "@jen4ph")
    assert list(shown["id"]) == ["000000a2", "0000002l", "000000a5"]
    assert list(filter_pending(desk.pending, ["dormant", "gracing"], None)["id"]) == [
        "000000a3", "000000a4",
    ]  # fmt: skip
    table = pending_table(desk.pending, desk.clock).set_index("Proposal")
    assert table.loc["000000a6", "Time left"] == "overdue by 9 d 0 h"
    assert table.loc["000000a1", "Time left"] == "2 h 40 min left"
    assert table.loc["000000a4", "Approvals"] == "councils 1 of 4"
    assert table.loc["0000002l", "Not voted yet"] == "l1dev, jen4ph"  # no formula guard
    assert table.loc["000000a2", "Creator"] == "member 9999"


def test_councillors_this_term(desk) -> None:
    table = councillor_table(desk.councillors).set_index("Councillor")
    # Term 2 (from block 403201): votes cast by hand from the fixture and desk_records.
    assert table["Votes cast"].to_dict() == {"jen4ph": 5, "l1dev": 5, "tomato": 4}
    # Decided in term 2: 00000029 (each voted) and 0000002j (nobody): 1 of 2.
    assert table["Decided in the term"].tolist() == [2, 2, 2]
    assert table["Decided, not voted on"].tolist() == [1, 1, 1]
    assert table["Participation (%)"].tolist() == [50.0, 50.0, 50.0]
    assert table["Awaiting their vote"].to_dict() == {"jen4ph": 3, "l1dev": 3, "tomato": 4}


def test_term_at_a_glance(desk) -> None:
    term = desk.term
    assert (term.number, term.council_id, term.running) == (2, "00000018", True)
    # Ends with cycle 3's revealing stage: 576001 + 28,800 = 604801, 43,200 blocks away.
    assert (term.end_block, term.end_estimated) == (604801, True)
    assert term.days_left == pytest.approx(3.0)
    # Rewards paid from block 403201 on: 1,440 + 1,440 + 0 + 1,440 JOY; no funding executed.
    assert (term.budget_spent_joy, term.budget_start_joy, term.budget_source) == (
        4320.0, None, "chain",
    )  # fmt: skip
    assert desk.kpi_term == "Term A"
    assert list(desk.kpis_due["kpi"]) == ["K2", "K1"]  # overdue, then 4 days left
    assert desk.stage.name == "voting" and desk.concerns == []


AGENDA = """\
# Council meeting agenda (mainnet), 2023-02-10 10:00 UTC

_Current block ≈ #561,601, estimated at 6 s a block from block #561,601 (2023-02-10 10:00 UTC)._

## Proposals to decide

- **#000000a6 Set councillor reward to 0.15 JOY a block** (SetCouncilorReward, by @jen4ph): \
deciding, voting ends #432,001 · ≈2023-02-01 10:00 UTC (overdue by 9 d 0 h); approvals 1 of 3; \
not voted yet: @l1dev, @tomato ⚠ overdue
- **#000000a2 Set membership price to 5 JOY** (SetMembershipPrice, by member 9999): deciding, \
voting ends #543,201 · ≈2023-02-09 03:20 UTC (overdue by 1 d 6 h); approvals 0 of 2; \
not voted yet: @l1dev, @jen4ph, @tomato ⚠ overdue
- **#000000a1 Signal: weekly council office hours** (Signal, by @0x2bc): deciding, voting ends \
#563,201 · ≈2023-02-10 12:40 UTC (2 h 40 min left); approvals 1 of 3; not voted yet: @tomato \
⚠ nearly expiring
- **#0000002l Funding request: Q1 marketing campaign** (FundingRequest, by @leet_joy, \
80,000 JOY (≈ 1,600 USD)): deciding, voting ends #576,001 · ≈2023-02-11 10:00 UTC \
(1 d 0 h left); approvals 1 of 2; not voted yet: @l1dev, @jen4ph ⚠ nearly expiring
- **#000000a5 Decrease the council budget** (DecreaseCouncilBudget, by @tomato): deciding, \
voting ends: not known (no periods for DecreaseCouncilBudget); approvals 1 of not known; \
not voted yet: @jen4ph, @tomato
- **#000000a3 Funding request: translations** (FundingRequest, by @leet_joy, 25,000 JOY \
(≈ 500 USD)): gracing, executes #562,201 · ≈2023-02-10 11:00 UTC (1 h 0 min left); \
councils approved 1 of 1 ⚠ nearly expiring
- **#000000a4 Runtime upgrade to 2004** (RuntimeUpgrade, by @l1dev): dormant, waits for the \
next council; councils approved 1 of 4

## Running term: term 2

- Started: #403,201 · 2023-01-30 10:00 UTC
- Ends: ≈#604,801 · 2023-02-13 10:00 UTC
- Days left: 3.0
- Budget spent so far: 4,320 JOY (from the chain); budget at the term's start: not recorded

## Councillors

| Councillor | Votes cast | Decided in the term | Not voted on | Participation \
| Awaiting their vote |
|---|---:|---:|---:|---:|---:|
| @jen4ph | 5 | 2 | 1 | 50 % | 3 |
| @l1dev | 5 | 2 | 1 | 50 % | 3 |
| @tomato | 4 | 2 | 1 | 50 % | 4 |

## KPIs due within 7 days or overdue

KPI term Term A, as of 2023-02-10.

- K2 Onboard two new leads (tomato): due 2023-02-05, ⚠ overdue, in progress
- K1 Publish the budget report (jen4ph): due 2023-02-14, 4 days left, in progress

## Election

- Round 3: voting stage
- Next deadline: the voting stage ends #576,001 · ≈2023-02-11 10:00 UTC (time left: 1 d 0 h)
"""


def test_agenda_markdown_exactly(desk) -> None:
    assert agenda.agenda_markdown(desk) == AGENDA


def test_agenda_command_prints_the_same(
    desk_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("COUNCIL_UPLOADS_DB", str(tmp_path / "uploads.db"))
    uploads.store_version(uploads.KPIS.name, KPI_FILE, "kpis.csv", "test")
    uploads.store_version(uploads.SPENDING_CATEGORIES.name, CATEGORIES, "c.csv", "test")
    assert agenda.main(["--db", str(desk_db), "--now", NOW.isoformat()]) == 0
    assert capsys.readouterr().out == AGENDA
    assert agenda.main(["--db", str(tmp_path / "none.db")]) == 1
    assert "no cache file yet" in capsys.readouterr().err
    assert agenda.main(["--db", str(desk_db), "--network", "sumer"]) == 1
    assert "no data for network 'sumer'" in capsys.readouterr().err


def test_a_proposal_without_a_recorded_type_is_listed_without_one() -> None:
    # An archived testnet proposal may lack its type; the agenda line leaves it out.
    row = pd.Series(
        {"id": "7", "title": "Hire", "type": float("nan"), "stage": "dormant",
         "creator": "@ana", "amount_joy": float("nan"), "amount_usd": None, "overdue": False,
         "nearly_expiring": False, "councils_approved": 1, "councils_needed": 2.0}
    )  # fmt: skip
    assert agenda.proposal_line(row, None) == (
        "- **#7 Hire** (by @ana): dormant, waits for the next council; councils approved 1 of 2"
    )
    gracing = {**row, "stage": "gracing", "deadline": "executes", "deadline_block": None,
               "hours_left": None}  # fmt: skip
    assert agenda.proposal_line(pd.Series(gracing), None) == (
        "- **#7 Hire** (by @ana): gracing, executes: not known (no periods for a proposal "
        "without a type); councils approved 1 of 2"
    )
