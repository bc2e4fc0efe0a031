"""The hostile upload corpus: every file gets its expected outcome and message, nothing stored
changes on a rejection, and what is accepted is what the pages can use.

tests/fixtures/hostile_uploads/ holds one small file per case; EXPECTED.tsv lists each with its
outcome (``rejected``: the first error; ``warning``: accepted, with this warning among others;
``accepted``: no error and no warning) and the exact message, naming file, row and column where
a row or column is at fault. Files named ``kpis-*`` are KPI uploads, the others spending
categories. Cases that need large files are generated below instead of committed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from council import csv_values, uploads
from council.stats import kpis, spending

CORPUS = Path(__file__).resolve().parent / "fixtures" / "hostile_uploads"
ROWS = [line.split("\t") for line in (CORPUS / "EXPECTED.tsv").read_text().splitlines()[1:]]
EXPECTED = {name: (outcome, message) for name, outcome, message in ROWS}
ACCEPTED = sorted(name for name, (outcome, _) in EXPECTED.items() if outcome != "rejected")

CATS_HEADER = (
    "Testnet,Proposal #,Title,Status,Amount Asked,Amount Minted,Exchange Rate,$ amount,"
    "Category,Bounty,WG,Reimbursed"
)
KPI_HEADER = (
    "Term,KPI,Title,Owner,Deadline,Reward,Reward unit,Penalty,Status,Progress %,Reward earned"
)
STORED = {
    "spending_categories": f"{CATS_HEADER}\nSumer,1,Stored,Approved,5,5,,,Tools,,,\n",
    "kpis": f"{KPI_HEADER}\nT1,1.1,Stored,Council,2023-06-30,10,USD,,done,100,10\n",
}


def dataset_of(name: str) -> str:
    return uploads.KPIS.name if name.startswith("kpis") else uploads.SPENDING_CATEGORIES.name


def stored_db(path: Path, dataset: str) -> Path:
    """An upload store holding one version of ``dataset``."""
    frame = uploads.check(dataset, STORED[dataset].encode(), "stored.csv").frame
    uploads.store_version(dataset, frame, "stored.csv", "secretary", path=path)
    return path


def test_the_corpus_and_its_table_match() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.csv"))
    assert files == sorted(EXPECTED)
    assert len(files) >= 40
    assert {outcome for outcome, _ in EXPECTED.values()} == {"rejected", "warning", "accepted"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(name: str, tmp_path: Path) -> None:
    outcome, message = EXPECTED[name]
    dataset = dataset_of(name)
    db = stored_db(tmp_path / "uploads.db", dataset)
    before, content = db.read_bytes(), uploads.current(dataset, db)
    result = uploads.check(dataset, (CORPUS / name).read_bytes(), name)
    errors, warnings = [str(p) for p in result.errors], [str(p) for p in result.warnings]
    if outcome == "rejected":
        assert not result.ok
        assert errors[0] == message
    elif outcome == "warning":
        assert result.ok, errors
        assert message in warnings
    else:
        assert result.ok, errors
        assert warnings == []
    assert all(m.startswith(name) and "\n" not in m for m in errors + warnings)
    assert db.read_bytes() == before, "checking a file stores nothing"
    pd.testing.assert_frame_equal(uploads.current(dataset, db), content)


def _nul_after_64k() -> bytes:
    rows = "".join(f"Sumer,{i},Row {i},Approved,1,1,,,Tools,,,\n" for i in range(2, 3000))
    return f"{CATS_HEADER}\n{rows}Sumer,3000,Late\x00NUL,Approved,1,1,,,Tools,,,\n".encode()


def _big_cell() -> bytes:
    return f"{CATS_HEADER}\nSumer,2,{'x' * 1_048_576},Approved,1,1,,,Tools,,,\n".encode()


def _quote_left_open_in_a_big_file() -> bytes:
    rows = "".join(f"Sumer,{i},Row {i},Approved,1,1,,,Tools,,,\n" for i in range(2, 5000))
    return f'{CATS_HEADER}\nSumer,1,"Open,Approved,1,1,,,Tools,,,\n{rows}'.encode()


def _over_5_mb() -> bytes:
    return (CATS_HEADER + "\n" + "Sumer,1,x,,,,,,,,,\n" * 400_000).encode()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_nul_after_64k,
         "big.csv, row 3000, column 'Title': is not a CSV text file (it contains binary data)"),
        (_big_cell,
         "big.csv, row 2, column 'Title': is 1,048,576 characters long; the limit is 10,000"),
        (_quote_left_open_in_a_big_file,
         "big.csv, row 2, column 'Title': a quote opened here is never closed, so the rest of "
         "the file would be one cell; check the quotes"),
        (_over_5_mb, "big.csv: is 7.2 MB; the limit is 5 MB"),
    ],
    ids=["nul-after-64k", "1mb-cell", "quote-open-in-big-file", "over-5mb"],
)  # fmt: skip
def test_generated_large_files(make, expected: str, tmp_path: Path) -> None:
    db = stored_db(tmp_path / "uploads.db", "spending_categories")
    before = db.read_bytes()
    raw = make()
    assert len(raw) > 65_536
    result = uploads.check("spending_categories", raw, "big.csv")
    assert [str(e) for e in result.errors] == [expected]
    assert db.read_bytes() == before


@pytest.mark.parametrize("name", [n for n in ACCEPTED if n.startswith("kpis")])
def test_accepted_kpi_files_are_usable_by_the_kpi_reader(name: str, tmp_path: Path) -> None:
    """Every typed cell that passed the check has a value on the pages (no silent NaN)."""
    db = tmp_path / "uploads.db"
    result = uploads.check("kpis", (CORPUS / name).read_bytes(), name)
    uploads.store_version("kpis", result.frame, name, "secretary", path=db)
    stored = uploads.current("kpis", db)
    items = kpis.kpi_items(stored, date(2023, 6, 20))
    typed = {"Deadline": "deadline", "Reward": "reward", "Progress %": "progress",
             "Reward earned": "reward_earned"}  # fmt: skip
    for column, item in typed.items():
        filled = stored[column] != ""
        assert items.loc[filled, item].notna().all(), column
    assert set(items["status"]) <= {*uploads.KPI_STATUSES, kpis.NOT_REPORTED}


@pytest.mark.parametrize("name", [n for n in ACCEPTED if not n.startswith("kpis")])
def test_accepted_category_files_are_usable_by_the_spending_reader(
    name: str, tmp_path: Path
) -> None:
    db = tmp_path / "uploads.db"
    result = uploads.check("spending_categories", (CORPUS / name).read_bytes(), name)
    uploads.store_version("spending_categories", result.frame, name, "secretary", path=db)
    stored = uploads.current("spending_categories", db)
    for column in ("Amount Asked", "Amount Minted"):
        filled = stored[column] != ""
        assert csv_values.numbers(stored.loc[filled, column]).notna().all(), column
    assert stored["Proposal #"].str.fullmatch(r"[0-9]+").all()
    items = spending.csv_items(stored)
    assert len(items) == int((csv_values.numbers(stored["Amount Minted"]) > 0).sum())


def test_repeated_keys_are_found_as_the_readers_key_them() -> None:
    """'sumer' and 'Sumer', '0190' and '190' are one proposal to the spending page."""
    raw = (CORPUS / "cats-duplicate-key-leading-zeros.csv").read_bytes()
    result = uploads.check("spending_categories", raw, "cats.csv")
    assert result.frame["Proposal #"].tolist() == ["189", "190", "3"]
