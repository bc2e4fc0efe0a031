"""Lazy tables sent a chunk at a time (``ui.show_table``'s ``chunk_rows``): Streamlit's chunk
size while one is drawn, and the rows they serve, prepared once per table object."""

from __future__ import annotations

import gc

import pandas as pd
import pytest
from streamlit.dataframe import lazy_df_source

from council.ui import elements

ACCOUNT = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


def test_chunk_size_holds_only_while_a_table_is_drawn() -> None:
    before = lazy_df_source.DEFAULT_PAGE_SIZE
    with elements._rows_per_chunk(100):
        assert lazy_df_source.DEFAULT_PAGE_SIZE == 100
    assert before == lazy_df_source.DEFAULT_PAGE_SIZE == 1_000
    with pytest.raises(RuntimeError), elements._rows_per_chunk(7):
        raise RuntimeError("a table that failed to draw")
    assert before == lazy_df_source.DEFAULT_PAGE_SIZE


def test_served_rows_are_shown_cells_made_once_per_table() -> None:
    frame = pd.DataFrame(
        {"Voter account": [ACCOUNT, None], "Note": ["=1+1", "fine"], "Votes": [3, 4]}
    )
    rows = elements._shown_rows(frame)
    assert elements._shown_rows(frame) is rows  # the same table object: not made again
    served = rows.to_pandas()
    assert served["Voter account"].iloc[0] == "5Grwv…KutQY" and served["Voter account"].isna()[1]
    assert served["Note"].tolist() == ["'=1+1", "fine"]  # formula-safe
    assert served["Votes"].tolist() == [3, 4]
    assert served.index.tolist() == [0, 1]  # kept as a column: chunks keep their row numbers
    assert "__index_level_0__" in rows.column_names
    assert frame["Voter account"].iloc[0] == ACCOUNT  # the table itself unchanged
    # An equal but new table object is prepared anew; a dropped one is forgotten.
    again = frame.copy()
    assert elements._shown_rows(again) is not rows
    key = id(again)
    del again
    gc.collect()
    assert key not in elements._SHOWN_ROWS
