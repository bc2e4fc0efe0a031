"""The Election history page's round drill-down: every candidate's note in one element."""

from pathlib import Path

import pytest
from apptest_pages import run_page

from council import synthetic


@pytest.fixture(scope="module")
def notes_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("notes") / "council.db"
    synthetic.write_synthetic_cache(path, rounds=3, candidates=30, votes=60, proposals_per_term=1)
    return path


def test_round_detail_lists_every_note_in_one_markdown(notes_db: Path, monkeypatch) -> None:
    at = run_page("app_pages/elections.py", notes_db, monkeypatch, round="2")
    lists = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert len(lists) == 1, "one element for every candidate's note"
    (notes,) = lists
    handles = [line[4 : line.index("**", 4)] for line in notes.splitlines() if line[0] == "-"]
    assert len(handles) > 1, "every candidate of the round, not just one"
    labels = [e.label for e in at.expander]
    assert not [h for h in handles if any(label.startswith(f"{h}:") for label in labels)], (
        "no expander per candidate"
    )
