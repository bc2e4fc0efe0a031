"""The council log: checked entries, the versioned store (add, edit, remove, restore, token),
markdown/CSV exports with HTML shown as text, and suggestions from hand-made tables."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from council.council_log import entries, export, store, suggestions

TOKEN = "s3cret"
OK = {"token": TOKEN, "expected": TOKEN}


def fields(**changes: object) -> entries.Fields:
    given = {
        "date": "2024-05-01",
        "term": "12",
        "title": "Budget refill late",
        "text": "The **refill** came a week late.",
        "tags": ["budget", "jsgenesis"],
        "links": "#123, https://example.org/x",
    }
    return entries.check(**{**given, **changes})


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "uploads.db"


# --- checking what the secretary types --------------------------------------------------------


def test_fields_are_tidied() -> None:
    got = fields(title="  Budget   refill late ", tags=["Jsgenesis", "Budget"])
    assert got == entries.Fields(
        date="2024-05-01",
        term=12,
        title="Budget refill late",
        text="The **refill** came a week late.",
        tags=("budget", "Jsgenesis"),  # in the order of entries.TAGS
        links=("123", "https://example.org/x"),
    )
    assert fields(term="", links="").term is None
    assert fields(term=pd.NA).term is None and fields(term=float("nan")).term is None


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"title": "   "}, "Title: is empty"),
        ({"text": "x" * 10_001}, "Text: 10,001 characters; at most 10,000"),
        ({"date": "2024-02-30"}, "Date: '2024-02-30' is not a date that exists (YYYY-MM-DD, "
                                 "like 2023-06-30)"),
        ({"date": "yesterday"}, "Date: 'yesterday' is not a date like 2023-06-30"),
        ({"date": "20240501"}, "Date: '20240501' is not a date like 2023-06-30"),
        ({"date": ""}, "Date: is blank"),
        ({"term": "twelve"}, "Term: 'twelve' is not a number"),
        ({"term": "-1"}, "Term: '-1' is negative"),
        ({"tags": ["gossip"]}, "Tags: 'gossip' is not one of: election, proposal, working "
                               "group, budget, platform, Jsgenesis"),
        ({"links": "javascript:alert(1)"}, "Links: 'javascript:alert(1)' is not a proposal id "
                                           "(like 123) or an http(s) address"),
        ({"title": "a\x00b"}, "Title: contains a NUL byte"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_a_message(changes: dict, problem: str) -> None:
    with pytest.raises(entries.InvalidEntry) as caught:
        fields(**changes)
    assert caught.value.problems == [problem]


def test_every_problem_is_named_at_once() -> None:
    with pytest.raises(entries.InvalidEntry) as caught:
        fields(title="", date="soon")
    assert caught.value.problems == [
        "Date: 'soon' is not a date like 2023-06-30",
        "Title: is empty",
    ]


# --- the versioned store ---------------------------------------------------------------------


def test_add_edit_remove_restore_keep_every_version(db: Path) -> None:
    first = store.add(fields(), "secretary", **OK, path=db)
    second = store.add(fields(title="Election failed", date="2024-06-02"), "deputy", **OK, path=db)
    assert (first, second) == (1, 2)
    assert store.current(db)["title"].tolist() == ["Election failed", "Budget refill late"]

    assert store.edit(first, fields(title="Budget refill came late"), "deputy", **OK, path=db) == 2
    assert store.current(db).set_index("entry_id").at[1, "title"] == "Budget refill came late"

    assert store.remove(first, "secretary", **OK, path=db) == 3
    assert store.current(db)["entry_id"].tolist() == [2]
    assert store.removed(db)["entry_id"].tolist() == [1]

    # Restore the first wording (version 1), not the edit: a new version 4.
    assert store.restore(first, 1, "secretary", **OK, path=db) == 4
    now = store.current(db).set_index("entry_id")
    assert now.at[1, "title"] == "Budget refill late"
    assert store.removed(db).empty
    versions = store.history(db)
    assert versions[versions["entry_id"] == 1][["version", "action", "removed"]].to_dict(
        "list"
    ) == {
        "version": [4, 3, 2, 1],
        "action": ["restored version 1", "removed", "edited", "added"],
        "removed": [0, 1, 0, 0],
    }
    shown = export.history_table(versions)
    assert list(shown.columns[:5]) == ["Entry", "Version", "Change", "Changed at (UTC)", "By"]
    assert shown["Change"].tolist()[:4] == ["added", "restored version 1", "removed", "edited"]
    assert versions[versions["entry_id"] == 1]["changed_by"].tolist() == [
        "secretary",
        "secretary",
        "deputy",
        "secretary",
    ]


def test_stored_fields_read_back(db: Path) -> None:
    store.add(fields(), "secretary", **OK, path=db)
    row = store.current(db).iloc[0]
    assert (row["date"], row["term"], row["tags"], row["links"]) == (
        "2024-05-01",
        12,
        "budget, Jsgenesis",
        "123 https://example.org/x",
    )


@pytest.mark.parametrize(("token", "expected"), [("wrong", TOKEN), ("", TOKEN), (TOKEN, None)])
def test_changes_without_the_token_are_refused_and_change_nothing(
    db: Path, token: str, expected: str | None
) -> None:
    store.add(fields(), "secretary", **OK, path=db)
    bad = {"token": token, "expected": expected}
    with pytest.raises(store.NotAllowed):
        store.add(fields(), "someone", **bad, path=db)
    with pytest.raises(store.NotAllowed):
        store.edit(1, fields(title="Changed"), "someone", **bad, path=db)
    with pytest.raises(store.NotAllowed):
        store.remove(1, "someone", **bad, path=db)
    with pytest.raises(store.NotAllowed):
        store.restore(1, 1, "someone", **bad, path=db)
    with pytest.raises(store.NotAllowed):
        store.dismiss("budget:mainnet:x", "someone", **bad, path=db)
    assert len(store.history(db)) == 1
    assert store.handled_suggestions(db) == set()


def test_ids_taken_from_a_table_are_numpy_integers(db: Path) -> None:
    store.add(fields(), "secretary", **OK, path=db)
    entry_id = store.current(db)["entry_id"].iloc[0]  # numpy.int64
    assert store.remove(entry_id, "secretary", **OK, path=db) == 2
    assert store.restore(entry_id, store.history(db)["version"].iloc[-1], "s", **OK, path=db) == 3


def test_two_writers_at_once_get_their_own_ids(db: Path) -> None:
    store.add(fields(), "secretary", **OK, path=db)  # the tables exist
    with ThreadPoolExecutor(max_workers=2) as pool:
        ids = list(pool.map(lambda _: store.add(fields(), "s", **OK, path=db), range(10)))
    assert sorted(ids) == list(range(2, 12))


def test_unknown_entry_or_version(db: Path) -> None:
    with pytest.raises(KeyError):
        store.remove(7, "secretary", **OK, path=db)
    store.add(fields(), "secretary", **OK, path=db)
    with pytest.raises(KeyError):
        store.restore(1, 9, "secretary", **OK, path=db)


def test_accepted_and_dismissed_suggestions_are_handled(db: Path) -> None:
    store.add(fields(), "secretary", **OK, suggestion="budget:mainnet:c12", path=db)
    store.dismiss("kpi-overdue:2023 Q2:KR-1.1", "secretary", **OK, path=db)
    store.remove(1, "secretary", **OK, path=db)  # a removed acceptance still counts
    assert store.handled_suggestions(db) == {"budget:mainnet:c12", "kpi-overdue:2023 Q2:KR-1.1"}


# --- reading: filters and exports ------------------------------------------------------------

LOG = pd.DataFrame(
    {
        "entry_id": [3, 2, 1],
        "version": [1, 1, 2],
        "date": ["2024-06-02", "2024-05-20", "2024-05-01"],
        "term": pd.array([13, None, 12], dtype="Int64"),
        "title": ["Election <b>failed</b>", "Pioneer down", "Refill late"],
        "text": ["Only 2 stood.\n\n<script>alert(1)</script>", "", "A *week* late & more"],
        "tags": ["election", "platform, Jsgenesis", "budget, Jsgenesis"],
        "links": ["123", "https://status.example.org", ""],
    }
)


def test_filters() -> None:
    assert export.filter_entries(LOG, terms=[12])["entry_id"].tolist() == [1]
    assert export.filter_entries(LOG, tags=["Jsgenesis"])["entry_id"].tolist() == [2, 1]
    assert export.filter_entries(LOG, tags=["election", "budget"])["entry_id"].tolist() == [3, 1]
    assert export.filter_entries(LOG, text="WEEK")["entry_id"].tolist() == [1]
    assert export.filter_entries(LOG, terms=[13], text="pioneer").empty


def test_markdown_shows_html_as_text_and_links_proposals_to_pioneer() -> None:
    text = export.entry_markdown(LOG.iloc[0])
    assert text == (
        "### 2024-06-02 · term 13 · Election &lt;b&gt;failed&lt;/b&gt;\n\n"
        "*election*\n\n"
        "Only 2 stood.\n\n&lt;script&gt;alert(1)&lt;/script&gt;\n\n"
        "Links: [proposal 123](<https://pioneerapp.xyz/#/proposals/preview/123>)\n"
    )
    assert "<script>" not in export.log_markdown(LOG)
    assert "<b>" not in export.log_markdown(LOG)


def test_forum_markdown() -> None:
    assert export.log_markdown(LOG.iloc[1:]) == (
        "# Council log\n\n"
        "## 2024-05-20 · Pioneer down\n\n"
        "*platform, Jsgenesis*\n\n"
        "Links: [https://status.example.org](<https://status.example.org>)\n\n"
        "## 2024-05-01 · term 12 · Refill late\n\n"
        "*budget, Jsgenesis*\n\n"
        "A *week* late &amp; more\n"
    )
    assert export.log_markdown(LOG.iloc[0:0]) == "# Council log\n\nNo entries.\n"


def test_csv_table() -> None:
    table = export.log_table(LOG)
    assert list(table.columns) == ["Date", "Term", "Title", "Text", "Tags", "Links"]
    assert table["Links"].tolist() == [
        "https://pioneerapp.xyz/#/proposals/preview/123",
        "https://status.example.org",
        "",
    ]
    assert table["Text"].iloc[0] == "Only 2 stood.\n\n<script>alert(1)</script>"  # as written


# --- suggestions -----------------------------------------------------------------------------

TODAY = date(2024, 7, 1)
COUNCILS = pd.DataFrame(
    {
        "network": ["mainnet", "mainnet"],
        "id": ["c11", "c12"],
        "elected_in_cycle_id": [11, 12],
        "ended_at_time": pd.to_datetime(["2024-03-01", None], utc=True),
    }
)
ROUNDS = pd.DataFrame(
    {
        "network": ["mainnet"] * 3,
        "cycle_id": [12, 13, 14],
        "is_finished": [True, True, False],
        "council_id": ["c11", "c12", "c12"],
        "next_council_id": ["c12", "c12", None],  # round 13 elected nobody
        "ended_at_block": [1000, 2000, None],
        "ended_at_time": pd.to_datetime(["2024-03-01", "2024-04-10", None], utc=True),
    }
)
HAPI = 10**10
FIGURES = pd.DataFrame(
    {
        "network": ["mainnet"] * 8 + ["mainnet"] * 3,
        "council_id": ["c11"] * 4 + ["c12"] * 4 + ["c13"] * 3,
        "label": [
            "Council budget at start",
            "Council budget spent",
            "Council budget refill",
            "Council budget at end",
        ]
        * 2
        + ["Council budget at start", "Council budget spent", "Council budget refill"],
        # c11: 1000 - 300 + 200 = 900 but 950 at end; c12 adds up (within 1 JOY);
        # c13 has no end figure: nothing to check.
        "value": [str(v * HAPI) for v in (1000, 300, 200, 950)]
        + [str(1000 * HAPI), str(300 * HAPI), str(200 * HAPI), str(900 * HAPI + HAPI // 2)]
        + [str(5 * HAPI)] * 3,
    }
)
KPI_FILE = pd.DataFrame(
    {
        "Term": ["2024 Q2", "2024 Q2", "2024 Q3"],
        "KPI": ["KR-1", "KR-2", "KR-3"],
        "Title": ["Docs", "Bot", "Later"],
        "Owner": ["Council", "", ""],
        "Deadline": ["2024-06-30", "2024-06-30", "2024-09-30"],
        "Reward": ["", "", ""],
        "Reward unit": ["", "", ""],
        "Penalty": ["", "", ""],
        "Status": ["in progress", "done", ""],
        "Progress %": ["", "", ""],
        "Reward earned": ["", "", ""],
        "Link": ["https://example.org/kr1", "", ""],
        "Notes": ["", "", ""],
    }
)


def test_suggestions_from_the_data() -> None:
    found = suggestions.suggestions(ROUNDS, COUNCILS, FIGURES, KPI_FILE, TODAY)
    assert found["key"].tolist() == [
        "kpi-overdue:2024 Q2:KR-1",
        "election-failed:mainnet:13",
        "budget:mainnet:c11",
    ]
    by_key = found.set_index("key")
    assert by_key.loc["election-failed:mainnet:13"].to_dict() == {
        "date": "2024-04-10",
        "term": 12,
        "title": "Election round 13 (mainnet) elected no council",
        "text": "Round 13 ended at block 2,000 without electing a council; term 12's council "
        "stays in office and a new election starts.",
        "tags": "election",
        "links": "",
    }
    assert by_key.at["budget:mainnet:c11", "text"] == (
        "Budget at start 1,000 JOY + refill 200 JOY - spent 300 JOY = 900 JOY, but the budget "
        "at end is 950 JOY: 50 JOY more than that."
    )
    assert by_key.at["budget:mainnet:c11", "date"] == "2024-03-01"
    assert by_key.at["kpi-overdue:2024 Q2:KR-1", "text"] == (
        "Docs (owner: Council): the deadline was 2024-06-30; its status: in progress."
    )
    assert by_key.at["kpi-overdue:2024 Q2:KR-1", "links"] == "https://example.org/kr1"
    # Each suggestion is a valid entry as it stands.
    for row in found.itertuples():
        entries.check(row.date, row.term, row.title, row.text, export.tag_list(row.tags), row.links)


def test_handled_suggestions_are_not_offered_again() -> None:
    handled = {"budget:mainnet:c11", "kpi-overdue:2024 Q2:KR-1"}
    found = suggestions.suggestions(ROUNDS, COUNCILS, FIGURES, KPI_FILE, TODAY, handled)
    assert found["key"].tolist() == ["election-failed:mainnet:13"]
    empty = suggestions.suggestions(
        ROUNDS.iloc[0:0], COUNCILS, FIGURES.iloc[0:0], KPI_FILE.iloc[0:0], TODAY
    )
    assert empty.empty and list(empty.columns) == suggestions.COLUMNS


def test_a_new_working_group_lead_is_suggested() -> None:
    history = pd.DataFrame(
        {
            "group_id": ["storageWorkingGroup", "storageWorkingGroup", "forumWorkingGroup"],
            "worker_id": ["w1", "w7", "w3"],
            "handle": ["alice", "bob", None],
            "from_block": [100.0, 1500.0, 200.0],
            "from_time": pd.to_datetime(["2024-01-01", "2024-02-03", "2024-01-02"], utc=True),
        }
    )
    councils = COUNCILS.assign(elected_at_block=[1000, 2000], ended_at_block=[2000, None])
    found = suggestions.lead_changes(history, councils, "mainnet", TODAY)
    assert found.to_dict("records") == [
        {
            "key": "wg-lead:mainnet:storageWorkingGroup:w7",
            "date": "2024-02-03",
            "term": 11,  # block 1500: council c11 (blocks 1000-1999)
            "title": "storageWorkingGroup: bob is the new lead (mainnet)",
            "text": "bob became the lead of storageWorkingGroup at block 1,500, after alice.",
            "tags": "working group",
            "links": "",
        }
    ]  # the forum group's first lead is no change
    assert suggestions.lead_changes(pd.DataFrame(), councils, "mainnet", TODAY).empty
    both = suggestions.suggestions(
        ROUNDS, COUNCILS, FIGURES.iloc[0:0], KPI_FILE.iloc[0:0], TODAY, leads=found
    )
    assert both["key"].tolist() == ["election-failed:mainnet:13", found["key"].iloc[0]]
