"""The term report in the mainnet council report's shape (council.report_mainnet), on the
fetched test cache (qn_small.json plus tests/budget_records.py; network mainnet): figures
worked out by hand from the fixture, written as literals.

Term 2 (council 00000018, from block 403201, in office) was elected in round 2, whose 12
votes stake 1,001,710,000 JOY in all (unrevealed ones included): jen4ph's revealed votes stake
1,000,200,000 JOY (99.85 %), tomato's 550,000 (0.05 %), l1dev's 450,000 (0.04 %).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from budget_records import with_budget_records
from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records

from council import fetch, report, report_mainnet

FAST = {"timeout": 5, "retries": 0, "backoff": 0}


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("report-mainnet") / "c.db"
    with QueryNodeServer(with_budget_records(load_records(SMALL_FIXTURE))) as server:
        fetch.refresh(server.url, path, **FAST)
    yield path


def text_of(cache: Path, term: int | str) -> str:
    sources = report.load_sources(cache, "mainnet")
    return report.term_report(sources, term, today=date(2030, 1, 1))


def test_sections_in_the_mainnet_order(cache: Path) -> None:
    text = text_of(cache, "latest")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1. Composition",
        "## 2. Budget overview",
        "## 3. Overall budget by item",
        "## 4. Working groups' workers",
        "## 5. Working groups' budgets",
        "## 6. Proposals",
    ]
    assert text.startswith("# Council term 2 report (mainnet)\n")
    assert "- Dates: 30 January 2023 → still in office\n" in text
    assert "- Election results: https://pioneerapp.xyz/#/election/past-elections/0000000r\n" in text


def test_budget_overview_and_items_of_the_term_in_office(cache: Path) -> None:
    text = text_of(cache, "latest")
    # Term 2: rewards 1,440 x 3 (1,440 of them owed, not paid: 0 + 1,440 + 1,440 at 403201,
    # 1,440 at 561601) = 4,320; refills 240,000 at 475201; member funding 10,000.5.
    assert (
        "- Starting Council budget: not recorded\n"
        "- Spending from Council budget: 4,320 JOY\n"
        "- Refill of Council budget: 240,000 JOY\n"
        "    - Funded by members: 10,000 JOY\n"
        "    - Decreased by proposal: 0 JOY\n"
        "- Ending Council budget: not recorded\n"
        "- Difference: not recorded (a figure of the sum is not recorded)\n"
    ) in text
    assert "| Council rewards | 4,320 | not recorded |" in text
    assert "| Creator payout rewards | not recorded | not recorded | not in the data |" in text
    assert "| Grand total | 4,320 | not recorded |" in text


def test_term_one_counts_the_wg_top_up_and_the_decrease(cache: Path) -> None:
    text = text_of(cache, 1)  # two councils are term 1: the later one, elected in round 1
    # 2,880 rewards + 100,000 to the storage group (proposal 00000023) + 0 funding.
    assert "- Spending from Council budget: 102,880 JOY\n" in text
    assert "    - Decreased by proposal: 40,000 JOY\n" in text
    assert "| WG spending (top-ups) | 100,000 | not recorded |" in text


def test_composition_shares_of_the_elections_vote_stake(cache: Path) -> None:
    text = text_of(cache, "latest")
    assert "| @jen4ph | 1812 | 99.85 % | votes |" in text
    assert "| @l1dev | 515 | 0.04 % | votes |" in text
    assert "| @tomato | 3253 | 0.05 % | votes |" in text


def test_working_group_sections_say_not_recorded_without_working_groups(cache: Path) -> None:
    sources = report.load_sources(cache, "mainnet")
    term = report.find_term(sources.data.councils, "latest")
    text = report_mainnet._working_group_sections(sources, term)
    assert "## 4. Working groups' workers\n\nNot recorded: the data holds no working" in text
    assert "## 5. Working groups' budgets\n\nNot recorded: the data holds no working" in text


def test_cli_prints_the_mainnet_shape(cache: Path, capsys) -> None:
    assert report.main(["--term", "latest", "--db", str(cache)]) == 0
    out = capsys.readouterr().out
    assert "## 3. Overall budget by item" in out
    assert "## 4 - Budget status" not in out  # the testnet shape is for the other networks
