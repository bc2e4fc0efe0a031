"""Leaderboard statistics on hand-made tables; every expected number worked out by hand.

Terms: c1 (round 1, blocks 100-199), c2 (round 2, 200-299), c3 (round 3, from 300).
Seats: c1 A+B, c2 A+C, c3 A+B, so B served two terms that do not follow each other.
D ran twice: withdrew once, lost once. Proposals: p1 decided in c1, p2 in c2, p3 voted on in
c2 but decided at block 310, after c2 ended (it counts for c3), p4 still deciding.
"""

import pandas as pd
import pytest

from council import tables
from council.stats import leaderboard

NET = "t"

COUNCILS = pd.DataFrame(
    {
        "network": [NET] * 3,
        "id": ["c1", "c2", "c3"],
        "elected_in_cycle_id": [1, 2, 3],
        "elected_at_block": [100, 200, 300],
        "ended_at_block": [200, 300, None],
    }
)
SEATS = pd.DataFrame(
    {
        "network": [NET] * 6,
        "id": ["s1", "s2", "s3", "s4", "s5", "s6"],
        "council_id": ["c1", "c1", "c2", "c2", "c3", "c3"],
        "member_id": ["A", "B", "A", "C", "A", "B"],
        "stake_joy": [10.0, 20.0, 10.0, 5.0, 10.0, 20.0],
        "accumulated_reward_joy": [100.0, 50.0, 100.0, 70.0, 100.0, 50.0],
    }
)
PROPOSALS = pd.DataFrame(
    {
        "network": [NET] * 4,
        "id": ["p1", "p2", "p3", "p4"],
        "status": ["executed", "rejected", "executed", "deciding"],
        "status_set_at_block": [150, 250, 310, 305],
    }
)
VOTES = pd.DataFrame(
    {
        "network": [NET] * 7,
        "id": [f"v{i}" for i in range(1, 8)],
        "proposal_id": ["p1", "p1", "p2", "p2", "p3", "p3", "p4"],
        "voter_member_id": ["A", "B", "A", "C", "A", "C", "B"],
        "vote_kind": ["approve", "reject", "approve", "abstain", "approve", "approve", "approve"],
        "rationale": ["ok", "", "", "unsure", None, "", "fine"],
        "voted_at_block": [120, 130, 220, 230, 280, 290, 320],
    }
)


def candidacy(member: str, outcome: str, stake: float, backing: float, votes: int) -> dict:
    return {
        "network": NET,
        "member_id": member,
        "handle": member.lower(),
        "outcome": outcome,
        "stake_joy": stake,
        "backing_stake_joy": backing,
        "votes_received": votes,
    }


RESULTS = pd.DataFrame(
    [
        candidacy("A", "elected", 10, 5, 2),
        candidacy("B", "elected", 20, 0, 0),
        candidacy("D", "withdrawn", 1, 0, 0),
        candidacy("A", "elected", 10, 5, 2),
        candidacy("C", "elected", 5, 10, 3),
        candidacy("B", "not elected", 20, 1, 1),
        candidacy("A", "elected", 10, 5, 2),
        candidacy("B", "elected", 20, 2, 1),
        candidacy("D", "not elected", 1, 0, 0),
    ]
)


@pytest.fixture(scope="module")
def term_table() -> pd.DataFrame:
    return leaderboard.terms(COUNCILS)


@pytest.fixture(scope="module")
def card(term_table: pd.DataFrame) -> pd.DataFrame:
    return leaderboard.scorecard(term_table, SEATS, PROPOSALS, VOTES)


@pytest.fixture(scope="module")
def totals(card: pd.DataFrame, term_table: pd.DataFrame) -> pd.DataFrame:
    return leaderboard.member_totals(RESULTS, card, term_table).set_index("member_id")


def row(card: pd.DataFrame, council: str, member: str) -> pd.Series:
    return card.set_index(["council_id", "member_id"]).loc[(council, member)]


def test_terms_are_numbered_by_the_electing_round(term_table: pd.DataFrame) -> None:
    assert term_table["term"].tolist() == [1, 2, 3]
    assert term_table["end_block"].tolist()[:2] == [200.0, 300.0]


def test_a_proposal_decided_after_the_term_counts_for_the_next_term(card) -> None:
    assert row(card, "c2", "A")["decided"] == 1  # p2 only
    assert row(card, "c3", "A")["decided"] == 1  # p3, decided at block 310
    assert row(card, "c3", "A")["votes_cast"] == 0
    assert row(card, "c3", "A")["participation"] == 1.0  # A voted on p3 during c2
    assert row(card, "c3", "B")["participation"] == 0.0


def test_scorecard_vote_split_and_rationale(card) -> None:
    c2 = row(card, "c2", "C")
    assert (c2["votes_cast"], c2["approve_votes"], c2["abstain_votes"]) == (2, 1, 1)
    assert (c2["with_rationale"], c2["rationale_rate"]) == (1, 0.5)
    b1 = row(card, "c1", "B")
    assert (b1["reject_votes"], b1["rationale_rate"], b1["participation"]) == (1, 0.0, 1.0)
    assert row(card, "c2", "A")["votes_cast"] == 2


def test_member_totals(totals: pd.DataFrame) -> None:
    a = totals.loc["A"]
    assert (a["rank"], a["candidacies"], a["times_elected"], a["win_rate"]) == (1, 3, 3, 1.0)
    assert (a["terms_served"], a["longest_streak"], a["first_term"], a["last_term"]) == (3, 3, 1, 3)
    assert (a["own_stake_joy"], a["backing_stake_joy"], a["votes_received"]) == (30, 15, 6)
    assert (a["proposal_votes"], a["participation"], a["votes_with_rationale"]) == (3, 1.0, 1)
    assert a["rewards_joy"] == 300.0


def test_non_consecutive_terms(totals: pd.DataFrame) -> None:
    b = totals.loc["B"]
    assert (b["terms_served"], b["longest_streak"], b["first_term"], b["last_term"]) == (2, 1, 1, 3)
    assert b["win_rate"] == pytest.approx(2 / 3)
    assert b["participation"] == 0.5


def test_member_who_withdrew(totals: pd.DataFrame) -> None:
    d = totals.loc["D"]
    assert (d["candidacies"], d["withdrawn"], d["times_elected"]) == (2, 1, 0)
    assert d["win_rate"] == 0.0  # one candidacy stood, lost
    assert d["terms_served"] == 0
    assert pd.isna(d["participation"])
    assert pd.isna(d["rewards_joy"])
    assert d["rank"] == 4


def test_participation_matrix(card: pd.DataFrame) -> None:
    handles = pd.DataFrame({"network": [NET] * 3, "id": ["A", "B", "C"], "handle": ["a", "b", "c"]})
    matrix = leaderboard.participation_matrix(card, handles)
    assert len(matrix) == 6
    assert set(matrix["handle"]) == {"a", "b", "c"}


# An archive term next to a chain term. c5 (round 5, blocks 500-599) is a chain term: its
# votes carry kinds and rationale. c6 (round 6) comes from a term report: its votes name the
# participants only (vote kind null or empty, no rationale, no block; the report's term).
# Seats: c5 A+B, c6 A+B+E (E never ran). p5 decided in c5; p6 and p7 listed by c6's report.
ARCHIVE_COUNCILS = pd.DataFrame(
    {
        "network": [NET] * 2,
        "id": ["c5", "c6"],
        "elected_in_cycle_id": [5, 6],
        "elected_at_block": [500, 600],
        "ended_at_block": [600, None],
    }
)
ARCHIVE_SEATS = pd.DataFrame(
    {
        "network": [NET] * 5,
        "id": ["s51", "s52", "s61", "s62", "s63"],
        "council_id": ["c5", "c5", "c6", "c6", "c6"],
        "member_id": ["A", "B", "A", "B", "E"],
        "stake_joy": [10.0, 20.0, 10.0, 20.0, 1.0],
        "accumulated_reward_joy": [float("nan")] * 5,
    }
)
ARCHIVE_PROPOSALS = pd.DataFrame(
    {
        "network": [NET] * 3,
        "id": ["p5", "p6", "p7"],
        "status": ["executed", "executed", "rejected"],
        "status_set_at_block": [550, None, None],
        "council_id": [None, "c6", "c6"],
    }
)
ARCHIVE_VOTES = pd.DataFrame(
    {
        "network": [NET] * 5,
        "id": [f"w{i}" for i in range(1, 6)],
        "proposal_id": ["p5", "p5", "p6", "p6", "p7"],
        "voter_member_id": ["A", "B", "A", "B", "A"],
        "vote_kind": ["approve", "reject", None, "", None],
        "rationale": ["why", "", None, None, None],
        "voted_at_block": [510, 520, None, None, None],
        "council_id": [None, None, "c6", "c6", "c6"],
    }
)
# Round 5 from the chain; round 6 from the term report: votes not recorded, A's seat gives
# 7 JOY voter stake, B's none. F stood in round 6 only (winners-only: nothing recorded).
ARCHIVE_RESULTS = pd.DataFrame(
    [
        candidacy("A", "elected", 10, 5, 2),
        candidacy("B", "elected", 20, 2, 1),
        {**candidacy("A", "elected", 10, 7, 0), "votes_received": None},
        {**candidacy("B", "elected", 20, 0, 0), "backing_stake_joy": None, "votes_received": None},
        {**candidacy("F", "elected", 3, 0, 0), "backing_stake_joy": None, "votes_received": None},
    ]
).astype({"votes_received": "Int64"})


@pytest.fixture(scope="module")
def archive_card() -> pd.DataFrame:
    term_table = leaderboard.terms(ARCHIVE_COUNCILS)
    return leaderboard.scorecard(term_table, ARCHIVE_SEATS, ARCHIVE_PROPOSALS, ARCHIVE_VOTES)


SPLIT = ["approve_votes", "reject_votes", "abstain_votes", "slash_votes"]


def test_chain_term_next_to_an_archive_term_keeps_its_vote_split(archive_card) -> None:
    a, b = row(archive_card, "c5", "A"), row(archive_card, "c5", "B")
    assert list(a[SPLIT]) == [1, 0, 0, 0]
    assert list(b[SPLIT]) == [0, 1, 0, 0]
    assert (a["with_rationale"], a["rationale_rate"]) == (1, 1.0)
    assert (b["with_rationale"], b["rationale_rate"]) == (0, 0.0)


def test_kind_less_archive_votes_leave_split_and_rationale_not_recorded(archive_card) -> None:
    for member, cast, voted_on in (("A", 2, 2), ("B", 1, 1), ("E", 0, 0)):
        card_row = row(archive_card, "c6", member)
        assert card_row[[*SPLIT, "with_rationale", "rationale_rate"]].isna().all(), member
        # Votes cast and participation are recorded by the report.
        assert (card_row["votes_cast"], card_row["decided"]) == (cast, 2)
        assert card_row["participation"] == voted_on / 2


def test_scorecard_table_shows_not_recorded_for_the_archive_term(archive_card) -> None:
    handles = pd.DataFrame({"network": [NET] * 3, "id": ["A", "B", "E"], "handle": ["a", "b", "e"]})
    text = tables.markdown(tables.scorecard_table(archive_card, handles))
    assert "| 5 | a | A | 1 | 100.00 % | 1 | 0 | 0 | 0 | 100.00 % | 10 | – |" in text
    assert "| 6 | a | A | 2 | 100.00 % | – | – | – | – | – | 10 | – |" in text


def test_member_totals_add_up_recorded_figures_only(archive_card) -> None:
    term_table = leaderboard.terms(ARCHIVE_COUNCILS)
    totals = leaderboard.member_totals(ARCHIVE_RESULTS, archive_card, term_table)
    got = totals.set_index("member_id")
    # A: round 5's 2 votes and 5 JOY, round 6's seat 7 JOY; rationale 1 in c5, c6 unknown.
    assert (got.loc["A", "votes_received"], got.loc["A", "backing_stake_joy"]) == (2, 12.0)
    assert (got.loc["A", "votes_with_rationale"], got.loc["A", "proposal_votes"]) == (1, 3)
    assert (got.loc["B", "votes_received"], got.loc["B", "backing_stake_joy"]) == (1, 2.0)
    assert got.loc["B", "votes_with_rationale"] == 0
    # F: known from the term report only; E: sat in the archive term only, never ran.
    assert pd.isna(got.loc["F", "votes_received"]) and pd.isna(got.loc["F", "backing_stake_joy"])
    assert got.loc["F", "votes_with_rationale"] == 0  # no seat: no proposal votes at all
    assert pd.isna(got.loc["E", "votes_with_rationale"])
    assert got.loc["E", "votes_received"] == 0  # no candidacy
    assert got.loc["E", "proposal_votes"] == 0
    assert list(totals["handle"]) == ["a", "b", "member E", "f"]


def test_a_network_without_proposal_records_reads_not_recorded_not_zero() -> None:
    """Network "m" (as the mainnet record) has councils and seats but no proposal and no
    proposal vote: its councillors' proposal figures are null; network t's are counted."""
    councils = pd.concat([COUNCILS, COUNCILS.iloc[:1].assign(network="m")], ignore_index=True)
    seats = pd.concat([SEATS, SEATS.iloc[:2].assign(network="m")], ignore_index=True)
    term_table = leaderboard.terms(councils)
    card = leaderboard.scorecard(term_table, seats, PROPOSALS, VOTES)
    mine = card[card["network"] == "m"]
    assert len(mine) == 2
    for column in ("votes_cast", "decided", "approve_votes", "with_rationale"):
        assert mine[column].isna().all(), column
    assert mine["participation"].isna().all()
    counted = card[(card["network"] == NET) & (card["council_id"] == "c1")]
    assert counted["votes_cast"].tolist() == [1, 1]  # A and B each voted on p1 in c1
    results = RESULTS.iloc[:2].assign(network="m")
    totals = leaderboard.member_totals(results, mine, term_table)
    assert totals["proposal_votes"].isna().all()
    assert totals["terms_served"].tolist() == [1, 1]
