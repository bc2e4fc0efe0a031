"""Saved views: save, rename, remove, restore, token refusal and bad names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from council import saved_views, uploads
from council.saved_views import ViewError

TOKEN = ("s3cret", "s3cret")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "uploads.db"


def names(store: Path) -> list[str]:
    return list(saved_views.views(store)["name"])


def test_save_and_read_back(store: Path) -> None:
    assert saved_views.views(store).empty
    params = {"network": "sumer", "member": ["a b", "c&d"], "rounds": "10-20"}
    first = saved_views.save("Budget review, term 31", "spending", params, TOKEN, path=store)
    assert (first.version, first.note) == (1, "saved 'Budget review, term 31'")
    saved_views.save("  Election check  ", "", {}, TOKEN, path=store)
    table = saved_views.views(store)
    assert table.to_dict("records") == [
        {"name": "Budget review, term 31", "page": "spending",
         "params": "network=sumer&member=a+b&member=c%26d&rounds=10-20"},
        {"name": "Election check", "page": "", "params": ""},
    ]  # fmt: skip
    assert saved_views.query_params(table.loc[0, "params"]) == params
    assert saved_views.query_params("") == {}
    # Kept in the uploads store as a versioned dataset of its own.
    assert [v.version for v in uploads.versions(saved_views.DATASET, store)] == [2, 1]


def test_rename_remove_and_restore(store: Path) -> None:
    saved_views.save("A", "kpis", {"term": "x"}, TOKEN, path=store)
    saved_views.save("B", "spending", {}, TOKEN, path=store)
    saved_views.rename("A", "Weekly KPIs", TOKEN, path=store)
    assert names(store) == ["Weekly KPIs", "B"]
    removed = saved_views.remove("B", TOKEN, path=store)
    assert (removed.version, names(store)) == (4, ["Weekly KPIs"])
    restored = saved_views.restore(3, TOKEN, path=store)  # before the removal
    assert (restored.version, restored.note) == (5, "restored version 3")
    assert names(store) == ["Weekly KPIs", "B"]
    saved_views.restore(2, TOKEN, path=store)  # before the rename
    assert names(store) == ["A", "B"]
    assert saved_views.views(store).loc[0, "params"] == "term=x"
    saved_views.remove("A", TOKEN, path=store)
    saved_views.remove("B", TOKEN, path=store)
    assert saved_views.views(store).empty  # an empty list is a version too
    assert [v.version for v in saved_views.history(store)][:2] == [8, 7]


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (("wrong", "s3cret"), "That token is not right: nothing was changed."),
        ((None, "s3cret"), "That token is not right: nothing was changed."),
        (("s3cret", None), "Saving views is off: no uploads token is configured."),
    ],
)
def test_token_refused(store: Path, token, message: str) -> None:
    saved_views.save("Keep", "kpis", {}, TOKEN, path=store)
    for change in (
        lambda: saved_views.save("New", "kpis", {}, token, path=store),
        lambda: saved_views.rename("Keep", "Other", token, path=store),
        lambda: saved_views.remove("Keep", token, path=store),
        lambda: saved_views.restore(1, token, path=store),
    ):
        with pytest.raises(ViewError, match=re.escape(message)):
            change()
    assert names(store) == ["Keep"]
    assert len(saved_views.history(store)) == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "A view needs a name."),
        ("   ", "A view needs a name."),
        (None, "A view needs a name."),
        ("x" * 81, "at most 80 characters (81 given)"),
        ("two\nlines", "cannot hold line breaks"),
        ("tab\there", "cannot hold line breaks"),
    ],
)
def test_bad_names_refused(store: Path, name, message: str) -> None:
    with pytest.raises(ViewError, match=re.escape(message)):
        saved_views.save(name, "kpis", {}, TOKEN, path=store)
    assert saved_views.history(store) == []


def test_names_in_use_and_unknown_names(store: Path) -> None:
    saved_views.save("A", "kpis", {}, TOKEN, path=store)
    saved_views.save("B", "kpis", {}, TOKEN, path=store)
    with pytest.raises(ViewError, match="A view named 'A' exists already: rename or remove"):
        saved_views.save(" A ", "spending", {}, TOKEN, path=store)
    with pytest.raises(ViewError, match=re.escape("A view named 'B' exists already.")):
        saved_views.rename("A", "B", TOKEN, path=store)
    with pytest.raises(ViewError, match=re.escape("There is no view named 'C'.")):
        saved_views.rename("C", "D", TOKEN, path=store)
    with pytest.raises(ViewError, match=re.escape("There is no view named 'C'.")):
        saved_views.remove("C", TOKEN, path=store)
    with pytest.raises(ViewError, match=re.escape("There is no version 9 of the saved views.")):
        saved_views.restore(9, TOKEN, path=store)
    assert len(saved_views.history(store)) == 2
