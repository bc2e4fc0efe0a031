"""Uploads: every kind of bad file gets an exact message, and nothing stored changes."""

from pathlib import Path

import pandas as pd
import pytest

from council import uploads
from council.format import neutralise_formulas, safe_csv_bytes

DATASET = "spending_categories"
HEADER = (
    "Testnet,Proposal #,Title,Status,Amount Asked,Amount Minted,Exchange Rate,$ amount,"
    "Category,Bounty,WG,Reimbursed"
)
GOOD = (
    f"{HEADER}\n"
    'Sumer,189,"Reward for Bounty #10, part 1",Approved,26439879,26439879,,,Bounties,10,,Y\n'
    "Sumer,190,Tools,Approved,1000,1000,0.00003,0.03,Tools,,,\n"
)
REAL_FILE = Path(__file__).resolve().parents[1] / "data" / "spending_proposal_categories.csv"


def messages(raw: bytes, name: str = "cats.csv", **kwargs) -> list[str]:
    return [str(p) for p in uploads.check(DATASET, raw, name, **kwargs).errors]


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "uploads.db"
    frame = uploads.check(DATASET, GOOD.encode(), "first.csv").frame
    uploads.store_version(DATASET, frame, "first.csv", "secretary", path=path)
    return path


def test_the_real_file_is_accepted_as_it_is() -> None:
    result = uploads.check(DATASET, REAL_FILE.read_bytes(), REAL_FILE.name)
    assert result.ok
    assert len(result.frame) == 1483  # 1,485 rows, two blank repeats dropped
    assert [str(w) for w in result.warnings] == [
        "spending_proposal_categories.csv, row 851, column '$ amount': 'дек.75' is not a number",
        "spending_proposal_categories.csv: Testnet Sumer, Proposal # 188 repeats on rows "
        "408, 409; kept one",
        "spending_proposal_categories.csv: Testnet Sumer, Proposal # 957 repeats on rows "
        "1178, 1179; kept one",
    ]


def test_bom_and_windows_line_endings_are_accepted() -> None:
    raw = ("\ufeff" + GOOD.replace("\n", "\r\n")).encode("utf-8")
    result = uploads.check(DATASET, raw, "cats.csv")
    assert result.ok
    assert result.frame["Title"].tolist() == ["Reward for Bounty #10, part 1", "Tools"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", ["cats.csv: is empty"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
         ["cats.csv: is not a CSV text file (it contains binary data)"]),
        ("Testnet,Proposal #\nSumer,1\n".encode("utf-16-le")[:-1] + b"\xff",
         ["cats.csv: is not a CSV text file (it contains binary data)"]),
        ("Testnet;Proposal #;Title\nSumer;1;x\n".encode("cp1252"),
         ["cats.csv, row 1: is missing column(s) 'Testnet', 'Proposal #', 'Title', 'Status', "
          "'Amount Asked', 'Amount Minted', 'Exchange Rate', '$ amount', 'Category'; "
          "it seems to use semicolons between columns, expected commas"]),
        ("Testnet,Proposal #,Title\nSumer,1,Caf\xe9\n".encode("cp1252"),
         ["cats.csv, row 2, column 'Title': is not UTF-8 text (byte 0xe9); "
          "save it as 'CSV UTF-8'"]),
        (b"Testnet,Proposal #,Title,Status\nSumer,1,x,Approved\n",
         ["cats.csv, row 1: is missing column(s) 'Amount Asked', 'Amount Minted', "
          "'Exchange Rate', '$ amount', 'Category'"]),
        (f"{HEADER}\n".encode(), ["cats.csv: has a header but no rows"]),
        (f"{HEADER}\nSumer,7,t,Approved,12abc,5,,,Tools,,,\n".encode(),
         ["cats.csv, row 2, column 'Amount Asked': '12abc' is not a number"]),
        (f"{HEADER}\nSumer,7,t,Approved,5,-3,,,Tools,,,\n".encode(),
         ["cats.csv, row 2, column 'Amount Minted': '-3' is negative"]),
        (f"{HEADER}\nSumer,7.5,t,Approved,5,3,,,Tools,,,\n".encode(),
         ["cats.csv, row 2, column 'Proposal #': '7.5' is not a whole number"]),
        (f"{HEADER}\nSumer,,t,Approved,5,3,,,Tools,,,\n".encode(),
         ["cats.csv, row 2, column 'Proposal #': is blank"]),
        (f"{HEADER}\nSumer,7,a,Approved,5,3,,,Tools,,,\nSumer,7,b,Approved,5,3,,,Tools,,,\n".encode(),
         ["cats.csv, row 3, column 'Title': Testnet Sumer, Proposal # 7 is also on row 2 with "
          "a different value ('b' here, 'a' there)"]),
        (f"{HEADER}\nSumer,7,t,Approved,5,3,,,Tools,,,,extra\n".encode(),
         ["cats.csv, row 2: has 13 cells but the header has 12"]),
    ],
    ids=["empty", "binary", "utf16", "semicolons", "cp1252", "missing-columns", "no-rows",
         "non-numeric", "negative", "fractional-id", "blank-id", "duplicate-id", "extra-cells"],
)  # fmt: skip
def test_bad_files_are_rejected_with_exact_messages(
    raw: bytes, expected: list[str], store_path: Path
) -> None:
    before = store_path.read_bytes()
    assert messages(raw) == expected
    assert store_path.read_bytes() == before


def test_size_limit() -> None:
    raw = (GOOD + "Sumer,1,x,,,,,,,,,\n" * 400_000).encode()
    assert messages(raw) == [f"cats.csv: is {len(raw) / 1_048_576:.1f} MB; the limit is 5 MB"]


def test_unknown_proposal_ids_are_warnings() -> None:
    result = uploads.check(DATASET, GOOD.encode(), "cats.csv", chain_ids={"sumer": {"189"}})
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        "cats.csv, row 3: proposal 190 is not in the Sumer data"
    ]
    quiet = uploads.check(DATASET, GOOD.encode(), "cats.csv", chain_ids={"mainnet": {"1"}})
    assert quiet.warnings == []


def test_formula_cells_are_stored_as_text_and_neutralised_on_export(tmp_path: Path) -> None:
    raw = f'{HEADER}\nSumer,5,=HYPERLINK("http://x"),Approved,1,1,,,@SUM(A1),,,\n'.encode()
    result = uploads.check(DATASET, raw, "cats.csv")
    assert result.ok
    assert result.frame.loc[0, "Title"] == '=HYPERLINK("http://x")'
    exported = safe_csv_bytes(result.frame).decode()
    assert "'=HYPERLINK" in exported and "'@SUM(A1)" in exported


def test_shown_tables_are_neutralised_without_changing_the_original() -> None:
    """Tables on the pages go through neutralise_formulas: their toolbar can export CSV."""
    frame = pd.DataFrame(
        {"Title": ["=cmd|' /C calc'!A0", "Plain", None], "Amount": [-5.0, 1.0, 2.0]}
    )
    shown = neutralise_formulas(frame)
    assert shown["Title"].tolist()[:2] == ["'=cmd|' /C calc'!A0", "Plain"]
    assert pd.isna(shown.loc[2, "Title"]), "a missing cell stays missing"
    assert shown["Amount"].tolist() == [-5.0, 1.0, 2.0], "numbers are left alone"
    assert frame.loc[0, "Title"] == "=cmd|' /C calc'!A0", "the original is not changed"
    clean = frame.iloc[1:]
    assert neutralise_formulas(clean) is clean, "nothing to change: no copy"


def test_upload_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "uploads.db"
    frame = uploads.check(DATASET, GOOD.encode(), "cats.csv").frame
    uploads.store_version(DATASET, frame, "cats.csv", "secretary", path=path)
    stored = uploads.current(DATASET, path)
    pd.testing.assert_frame_equal(stored, frame)
    assert uploads.check(DATASET, uploads.to_csv_text(stored).encode(), "again.csv").frame.equals(
        frame
    )


def test_versions_diff_and_restore_lose_nothing(store_path: Path) -> None:
    first = uploads.current(DATASET, store_path)
    changed = GOOD.replace("Tools,Approved,1000", "Tools,Approved,2000") + (
        "Giza,3,New,Approved,1,1,,,Media,,,\n"
    )
    second = uploads.check(DATASET, changed.encode(), "second.csv").frame
    delta = uploads.diff(first, second, ("Testnet", "Proposal #"))
    assert delta.summary == "1 added, 0 removed, 1 changed"
    assert delta.added["Proposal #"].tolist() == ["3"]
    assert delta.changed["Amount Asked"].tolist() == ["2000"]
    uploads.store_version(DATASET, second, "second.csv", "secretary", path=store_path)
    restored = uploads.restore(DATASET, 1, "secretary", path=store_path)
    assert restored.version == 3
    assert [v.version for v in uploads.versions(DATASET, store_path)] == [3, 2, 1]
    pd.testing.assert_frame_equal(uploads.current(DATASET, store_path), first)


def test_starter_file_is_current_until_the_first_upload(tmp_path: Path) -> None:
    frame = uploads.current(DATASET, tmp_path / "none.db")
    assert len(frame) == 1483


def test_tokens() -> None:
    assert uploads.token_matches("s3cret", "s3cret")
    assert not uploads.token_matches("s3cret", "other")
    assert not uploads.token_matches("", "")
    assert not uploads.token_matches("anything", None)


KPI_HEADER = (
    "Term,KPI,Title,Owner,Deadline,Reward,Reward unit,Penalty,Status,Progress %,Reward earned"
)


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("T1,1.1,Report,Council,30/06/2023,100,USD,,done,100,100",
         "kpis.csv, row 2, column 'Deadline': '30/06/2023' is not a date like 2023-06-30"),
        ("T1,1.1,Report,Council,2023-06-30,100,EUR,,done,100,100",
         "kpis.csv, row 2, column 'Reward unit': 'EUR' is not one of: joy, tjoy, usd"),
        ("T1,1.1,Report,Council,2023-06-30,100,USD,,finished,100,100",
         "kpis.csv, row 2, column 'Status': 'finished' is not one of: "
         "not started, in progress, done, failed"),
        ("T1,1.1,Report,Council,2023-06-30,100,USD,,done,120,100",
         "kpis.csv, row 2, column 'Progress %': '120' is more than 100"),
        ("T1,1.1,,Council,2023-06-30,100,USD,,done,100,100",
         "kpis.csv, row 2, column 'Title': is blank"),
    ],
    ids=["date", "unit", "status", "progress", "blank-title"],
)  # fmt: skip
def test_bad_kpi_files_are_rejected_and_nothing_changes(
    row: str, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "uploads.db"
    good = uploads.check("kpis", f"{KPI_HEADER}\nT1,1.1,Report,Council,,,,,,,\n".encode(), "k.csv")
    uploads.store_version("kpis", good.frame, "k.csv", "secretary", path=path)
    before = path.read_bytes()
    result = uploads.check("kpis", f"{KPI_HEADER}\n{row}\n".encode(), "kpis.csv")
    assert [str(e) for e in result.errors] == [expected]
    assert path.read_bytes() == before
    assert len(uploads.current("kpis", path)) == 1


def test_kpi_values_in_any_case_are_accepted() -> None:
    raw = f"{KPI_HEADER}\nT1,1.1,Report,HR,2023-06-30,100,usd,,In Progress,40,\n".encode()
    result = uploads.check("kpis", raw, "kpis.csv")
    assert result.ok
    assert result.frame.loc[0, "Status"] == "In Progress"


def test_the_same_content_twice_is_one_version(store_path: Path) -> None:
    frame = uploads.current(DATASET, store_path)
    again = uploads.store_version(DATASET, frame, "again.csv", "secretary", path=store_path)
    assert again.version == 1
    assert [v.version for v in uploads.versions(DATASET, store_path)] == [1]
