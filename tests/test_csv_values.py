"""The cell parsers shared by the upload check and the pages' readers."""

from datetime import date

import pandas as pd
import pytest

from council.csv_values import (
    CellError,
    dates,
    numbers,
    parse_choice,
    parse_date,
    parse_number,
    parse_whole_number,
    whole_number_texts,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12.0), (" 0.5 ", 0.5), ("1.5E+07", 15_000_000.0), ("1e2", 100.0), (".25", 0.25),
     ("1000000000000000000", 1e18), ("-0", 0.0)],
)  # fmt: skip
def test_numbers_that_parse(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [("1e309", "is too large (the limit is 10^18)"),
     ("1000000000000000001", "is too large (the limit is 10^18)"),
     ("1e9999999", "is not a number"),
     ("1_000", "is not a number (write it without separators, like 1000)"),
     ("1,000", "is not a number (write it without separators, like 1000)"),
     ("١٠٠٠", "is not a number (write it with the digits 0-9)"),
     ("１０", "is not a number (write it with the digits 0-9)"),
     ("nan", "is not a number"), ("inf", "is not a number"), ("0x10", "is not a number"),
     ("-5", "is negative"), ("", "is not a number")],
)  # fmt: skip
def test_numbers_that_do_not(text: str, message: str) -> None:
    with pytest.raises(CellError) as error:
        parse_number(text)
    assert str(error.value) == message


def test_bounds() -> None:
    assert parse_number("-5", minimum=None) == -5.0
    with pytest.raises(CellError, match=r"^is more than 100$"):
        parse_number("100.5", maximum=100)


def test_whole_numbers() -> None:
    assert [parse_whole_number(t) for t in ("7", "007", "7.0", "7e1")] == [7, 7, 7, 70]
    with pytest.raises(CellError, match=r"^is not a whole number$"):
        parse_whole_number("7.5")


@pytest.mark.parametrize(
    ("text", "message"),
    [("2023-W26-5", "is not a date like 2023-06-30"),
     ("20230630", "is not a date like 2023-06-30"),
     ("2023-6-30", "is not a date like 2023-06-30"),
     ("30/06/2023", "is not a date like 2023-06-30"),
     ("2023-06-30T12:00", "is not a date like 2023-06-30"),
     ("٢٠٢٣-٠٦-٣٠", "is not a date like 2023-06-30"),
     ("2023-02-30", "is not a date that exists (YYYY-MM-DD, like 2023-06-30)"),
     ("9999-12-31", "is outside 1970–2199"), ("1969-12-31", "is outside 1970–2199")],
)  # fmt: skip
def test_dates_that_do_not_parse(text: str, message: str) -> None:
    with pytest.raises(CellError) as error:
        parse_date(text)
    assert str(error.value) == message


def test_dates_and_choices_that_parse() -> None:
    assert parse_date(" 2024-02-29 ") == date(2024, 2, 29)
    assert parse_choice(" In Progress ", ("done", "in progress")) == "in progress"
    with pytest.raises(CellError, match=r"^is not one of: done, in progress$"):
        parse_choice("finished", ("done", "in progress"))


def test_series_readers_read_what_the_check_passes_and_nothing_else() -> None:
    """Blank cells and cells the check refuses (kept by an older, laxer version) are missing."""
    cells = pd.Series(["12", "", "1e309", "1_000", None, "1.5E+03"])
    assert numbers(cells).tolist()[5] == 1500.0
    assert numbers(cells).isna().tolist() == [False, True, True, True, True, False]
    days = dates(pd.Series(["2023-06-30", "2023-W26-5", "", "2023-02-30"]))
    assert days.tolist()[0] == date(2023, 6, 30)
    assert days.isna().tolist() == [False, True, True, True]
    ids = whole_number_texts(pd.Series(["0190", "7.0", "x", 12]))
    assert ids.tolist() == ["190", "7", "x", "12"]
