"""The Spending page's checks and the Council log page under AppTest, on a small synthetic
mainnet cache (fetched-shaped: its proposals are the chain's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_pages import frame_with_column, open_expanders, run_page

from council import data, synthetic, uploads
from council.council_log import entries, store

TOKEN = "s3cret"


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("log-app") / "council.db"
    synthetic.write_synthetic_cache(path, rounds=4, candidates=24, votes=60, proposals_per_term=12)
    return path


def store_spending_file(rows: str) -> None:
    header = ",".join(uploads.SPENDING_CATEGORIES.column_names)
    raw = f"{header}\n{rows}".encode()
    result = uploads.check(uploads.SPENDING_CATEGORIES.name, raw, "cats.csv")
    assert result.ok, result.errors
    uploads.store_version(uploads.SPENDING_CATEGORIES.name, result.frame, "cats.csv", "test")


def test_spending_page_checks_the_file_against_the_chain(cache: Path, monkeypatch) -> None:
    funding = data.load(cache).proposals
    funding = funding[funding["type"] == "FundingRequest"].set_index("id")
    # The synthetic chain: 5 executed 16,200 JOY, 7 executed 21,700 JOY, 20 rejected.
    assert funding.loc[["5", "7", "20"], "status"].tolist() == ["executed", "executed", "rejected"]
    store_spending_file(
        "Mainnet,5,Ask 5,Approved,16200,16200,,,Tools,,,\n"
        "Mainnet,7,Ask 7,Approved,21700,20000,,50,Bounties,4,,N\n"  # minted disagrees
        "Mainnet,999,Not on chain,Approved,10,10,,,Tools,,,\n"
    )
    at = run_page("app_pages/spending.py", cache, monkeypatch, section="File check")
    open_expanders(at, "check-missing", "check-differ")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["On chain, not in the file"] == f"{len(funding) - 2:,}"
    assert metrics["In the file, not on chain"] == "1"
    assert metrics["Cells that disagree"] == "1"
    missing = frame_with_column(at, "Why it is listed")
    assert "5" not in missing["Proposal"].tolist() and "20" in missing["Proposal"].tolist()
    differ = frame_with_column(at, "In the file")
    assert differ.to_dict("records") == [
        {"Proposal": "7", "Title": funding.at["7", "title"], "Column": "Amount Minted",
         "In the file": "20000", "On chain": "21700"},
    ]  # fmt: skip
    at.query_params["section"] = "Reimbursements"  # the page's next tab (a link to it)
    open_expanders(at, "pending-rows")
    owed = frame_with_column(at, "Owed: amount minted (JOY)")
    assert owed.to_dict("records") == [
        {"Testnet": "Mainnet", "Term": owed["Term"].iloc[0], "Payments": 1, "Bounties": 1,
         "Owed: amount minted (JOY)": 20000.0, "Owed: $ amount (USD)": 50.0},
    ]  # fmt: skip
    assert owed["Term"].iloc[0].startswith("term ")


def test_log_page_reads_and_refuses_a_wrong_token(cache: Path, monkeypatch) -> None:
    monkeypatch.setenv(uploads.TOKEN_ENV, TOKEN)
    fields = entries.check("2024-05-01", "3", "Pioneer <b>down</b>", "<script>x</script>")
    store.add(fields, "secretary", token=TOKEN, expected=TOKEN)
    at = run_page("app_pages/council_log.py", cache, monkeypatch, tag="platform")
    assert at.multiselect(key="log_tags").value == ["platform"]
    assert not any("Pioneer" in m.value for m in at.markdown)  # filtered out: no tag
    at.multiselect(key="log_tags").set_value([]).run()
    shown = [m.value for m in at.markdown if "Pioneer" in m.value]
    assert shown == [
        "### 2024-05-01 · term 3 · Pioneer &lt;b&gt;down&lt;/b&gt;\n\n"
        "&lt;script&gt;x&lt;/script&gt;"
    ]
    at.text_input(key="log_token").input("wrong").run()
    assert [e.value for e in at.error] == ["That token is not right."]
    assert not at.tabs  # no editing without the token


def test_log_page_adds_an_entry_and_names_bad_input(cache: Path, monkeypatch) -> None:
    monkeypatch.setenv(uploads.TOKEN_ENV, TOKEN)
    at = run_page("app_pages/council_log.py", cache, monkeypatch)
    at.text_input(key="log_token").input(TOKEN).run()
    at.text_input(key="log_who").input("secretary").run()
    at.text_input(key="addd").input("2024-13-01")
    at.text_input(key="addh").input("  ")
    submit(at)
    assert [e.value for e in at.error] == [
        "Date: '2024-13-01' is not a date that exists (YYYY-MM-DD, like 2023-06-30)",
        "Title: is empty",
    ]
    assert store.current().empty  # nothing stored
    at.text_input(key="addd").input("2024-06-01")
    at.text_input(key="addh").input("Election failed")
    at.multiselect(key="addg").set_value(["election"])
    submit(at)
    assert not at.exception
    assert [s.value for s in at.success] == ["Entry added."]
    assert store.current()["title"].tolist() == ["Election failed"]
    assert any(m.value.startswith("### 2024-06-01 · Election failed") for m in at.markdown)
    assert at.text_input(key="addh").value == ""  # the Add inputs start over

    at.button(key="log_remove").click().run()
    assert [s.value for s in at.success] == ["Entry 1 removed."]
    assert store.current().empty and store.removed()["entry_id"].tolist() == [1]
    at.selectbox(key="log_r_version").set_value(1)
    at.button(key="log_restore").click().run()
    assert [s.value for s in at.success] == ["Entry 1 is at version 1 again."]
    assert store.current()["title"].tolist() == ["Election failed"]
    assert store.history()["action"].tolist() == ["restored version 1", "removed", "added"]

    # Suggested from the data: the starter KPI file's 2023 Q2 key results are overdue.
    key = "kpi-overdue:2023 Q2:KR-1.1"
    at.button(key=f"accept-{key}").click().run()
    assert [s.value for s in at.success] == ["Suggestion added to the log."]
    assert store.current()["title"].tolist()[-1] == "KPI KR-1.1 of 2023 Q2 is overdue"
    at.button(key="dismiss-kpi-overdue:2023 Q2:KR-1.2").click().run()
    assert store.handled_suggestions() == {key, "kpi-overdue:2023 Q2:KR-1.2"}
    assert not [b for b in at.button if b.key and "KR-1.2" in b.key]


def submit(at) -> None:
    """Press the Add form's submit button."""
    at.button(key="log_add").click().run()
