"""Display tables and their CSV downloads: one rule for numbers, shares and accounts.

The download button serves ``format.safe_csv_bytes(frame)`` of the very frame the table
shows (``ui.csv_download``); these tests read those bytes. Every expected value by hand.
"""

from __future__ import annotations

import io

import pandas as pd

from council import format, tables, ui
from council.stats import kpis, spending

ACCOUNT = "5EL3aXbHrR5Ljo3WQoJBhNKyc6tK5WEDmwC6LoqGnSSxqMmB"


def csv_text(frame: pd.DataFrame) -> str:
    return format.safe_csv_bytes(frame).decode("utf-8")


def test_spending_totals_download_whole_numbers_and_percent_shares() -> None:
    """6,500,000 + 5,947,000 + 0.5 (rounded to 0 as shown) = 12,447,000.5 JOY in all; shares
    6,500,000 / 12,447,000.5 = 52.2214… % -> 52.22, 5,947,000 / … = 47.7786… % -> 47.78."""
    items = pd.DataFrame(
        {
            "category": ["Bounties", "Tools", "Tiny"],
            "proposal_id": ["1", "2", "3"],
            "amount_joy": [6_500_000.0, 5_947_000.0, 0.5],
        }
    )
    table = tables.totals_table(spending.totals_by(items, ["category"]))
    assert csv_text(table) == (
        "Category,Proposals,Amount (JOY),Share (%)\n"
        "Bounties,1,6500000,52.22\n"
        "Tools,1,5947000,47.78\n"
        "Tiny,1,0,0\n"
    )
    assert tables.markdown(table).splitlines()[2] == "| Bounties | 1 | 6,500,000 | 52.22 % |"


def test_amounts_keep_their_shown_decimals_without_float_artefacts() -> None:
    frame = pd.DataFrame(
        {"Amount (JOY)": [0.1 + 0.2, 1234.5, -5.0, None], "Note": ["-5", "=1+1", "a", None]}
    )
    frame["Amount (JOY)"] = frame["Amount (JOY)"].round(2)
    assert csv_text(frame) == (
        "Amount (JOY),Note\n0.3,'-5\n1234.5,'=1+1\n-5,a\n,\n"  # text formulas still defused
    )
    assert format.csv_number(1e17) == "100000000000000000"


def test_vote_download_carries_whole_accounts_the_table_shortens() -> None:
    votes = pd.DataFrame(
        {
            "cast_by": [ACCOUNT],
            "stake_joy": [6_500_000.0],
            "vote_power_joy": [6_500_000.004],
            "voted_for": ["alice"],
            "revealed": [True],
        }
    )
    table = tables.vote_table(votes)
    assert csv_text(table) == (
        "Voter account,Stake (JOY),Vote power (JOY),Voted for,Revealed\n"
        f"{ACCOUNT},6500000,6500000,alice,True\n"
    )
    shown = format.display_frame(table)
    assert shown["Voter account"].tolist() == ["5EL3a…xqMmB"]
    assert table["Voter account"].tolist() == [ACCOUNT], "the table's own frame is left whole"


CARD = pd.DataFrame(
    {
        "network": ["n"] * 3,
        "term": [7, 7, 7],
        "member_id": ["1048", "2", "1843"],
        "votes_cast": [11, 12, 5],
        "participation": [11 / 12, 1.0, 5 / 12],
        "approve_votes": [11, 12, 5],
        "reject_votes": [0, 0, 0],
        "abstain_votes": [0, 0, 0],
        "slash_votes": [0, 0, 0],
        "rationale_rate": [None, 0.5, 0.0],
        "stake_joy": [1_000_000.0, 25.5, 0.0],
        "accumulated_reward_joy": [123_456.789, None, 0.0],
    }
)
MEMBERS = pd.DataFrame(
    {"network": ["n"] * 3, "id": ["2", "1048", "1843"], "handle": ["two", "ten", "eighteen"]}
)


def test_scorecard_sorts_member_ids_as_numbers_and_markdown_matches_the_table() -> None:
    """11 of 12 proposals = 91.666… % -> 91.67 %; 5 of 12 = 41.666… % -> 41.67 %."""
    table = tables.scorecard_table(CARD, MEMBERS)
    assert table["Member ID"].tolist() == ["2", "1048", "1843"]
    assert table["Participation share (%)"].tolist() == [100.0, 91.67, 41.67]
    lines = tables.markdown(table).splitlines()
    assert lines[0] == (
        "| Term | Councillor | Member ID | Proposal votes cast | Participation share (%) | "
        "Approve | Reject | Abstain | Slash | Rationale share (%) | Stake (JOY) | Reward (JOY) |"
    )
    assert lines[2:] == [
        "| 7 | two | 2 | 12 | 100.00 % | 12 | 0 | 0 | 0 | 50.00 % | 25.5 | – |",
        "| 7 | ten | 1048 | 11 | 91.67 % | 11 | 0 | 0 | 0 | – | 1,000,000 | 123,456.79 |",
        "| 7 | eighteen | 1843 | 5 | 41.67 % | 5 | 0 | 0 | 0 | 0.00 % | 0 | 0 |",
    ]
    got = pd.read_csv(io.BytesIO(format.safe_csv_bytes(table)), dtype=str)
    assert got["Participation share (%)"].tolist() == ["100", "91.67", "41.67"]
    assert got["Reward (JOY)"].fillna("").tolist() == ["", "123456.79", "0"]


def test_rewards_and_shares_get_their_number_formats() -> None:
    rewards = pd.DataFrame(
        {
            "network": ["sumer"] * 2,
            "kpi_round": [1, 2],
            "member_id": ["2", "2"],
            "handle": ["tomato", "tomato"],
            "reward_usd": [1643.0, 100.0],
            "reward_joy": [16_257_282.0, 2_000_000.0],
        }
    )
    table = tables.kpi_reward_table(kpis.kpi_rewards_by_member(rewards))
    config = ui.column_config(table)
    assert config["Reward (USD)"]["type_config"]["format"] == "localized"
    assert config["Reward (tJOY)"]["type_config"]["format"] == "localized"
    assert "Member ID" not in config, "ids are not amounts"
    assert csv_text(table).splitlines()[1] == "tomato,2,2,1,2,1743,18257282"
    card = tables.scorecard_table(CARD, MEMBERS)
    assert ui.column_config(card)["Participation share (%)"]["type_config"]["format"] == ("%.2f %%")


def test_a_councillor_without_a_recorded_member_id_shows_none() -> None:
    """The archives key a councillor they know only by handle as "@handle": the table shows no
    member id there (not "'@0x2bc", the formula guard's version of it)."""
    elected = pd.DataFrame(
        {
            "handle": ["0x2bc", "tomato"],
            "member_id": ["@0x2bc", "2"],
            "stake_joy": [float("nan"), 10.004],
            "vote_power_joy": [float("nan"), 12.0],
        }
    )
    table = tables.council_table(elected)
    assert table["Member ID"].isna().tolist() == [True, False]
    assert csv_text(table).splitlines()[1:] == ["0x2bc,,,", "tomato,2,10,12"]


def test_candidates_notes_are_one_markdown_list() -> None:
    notes = [
        {"candidate_id": "1", "handle": "ana", "header": "Grow", "bullet_points": ["a", "b"]},
        {"candidate_id": "2", "handle": "bo", "header": "", "bullet_points": ["c"]},
        {"candidate_id": "3", "handle": "cy", "header": "Listen", "bullet_points": []},
    ]
    assert tables.notes_markdown(notes) == (
        "- **ana**: Grow\n    - a\n    - b\n- **bo**\n    - c\n- **cy**: Listen"
    )
    assert tables.notes_markdown([]) == ""


def test_a_static_tables_cells_show_as_written_never_as_markdown() -> None:
    """The Overview's latest council is a static table (``ui.show_short_table``), whose
    cells Streamlit draws as Markdown: each cell is formatted as the tables format it, then
    every ASCII punctuation mark is escaped."""
    frame = pd.DataFrame(
        {
            "Councillor": ["zephyr_onyx", "[win](https://x.io) *bold*", "a|b\nc"],
            "Member ID": ["4278", "11026", None],
            "Vote power (JOY)": [2_246_249.1, 784_563.28, float("nan")],
            "Share (%)": [91.66666, 5.0, None],
        }
    )
    cells = format.escaped_cells(frame)
    assert cells.to_dict("list") == {
        "Councillor": [
            "zephyr\\_onyx",
            "\\[win\\]\\(https\\:\\/\\/x\\.io\\) \\*bold\\*",
            "a\\|b c",
        ],
        "Member ID": ["4278", "11026", "–"],
        "Vote power (JOY)": ["2\\,246\\,249\\.1", "784\\,563\\.28", "–"],
        "Share (%)": ["91\\.67 \\%", "5\\.00 \\%", "–"],
    }
