"""Leaderboard statistics on hand-made tables; every expected number worked out by hand.

Terms: c1 (round 1, blocks 100-199), c2 (round 2, 200-299), c3 (round 3, from 300).
Seats: c1 A+B, c2 A+C, c3 A+B, so B served two terms that do not follow each other.
D ran twice: withdrew once, lost once. Proposals: p1 decided in c1, p2 in c2, p3 voted on in
c2 but decided at block 310, after c2 ended (it counts for c3), p4 still deciding.
"""

import pandas as pd
import pytest

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
