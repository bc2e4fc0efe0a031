"""Page views on small hand-made tables: what the election page shows for a filter state.

Round 1: a elected (6 votes), b failed (4); 10 votes cast. Round 2: a (5) and c (2) elected;
7 votes cast. Round 3 is known only from a term report: a and c elected, votes not recorded.
"""

from datetime import date

import pandas as pd
import pytest

from council import charts, views

NA = pd.NA


def candidacy(cycle: int, cid: str, handle: str, outcome: str, votes: object) -> dict:
    return {
        "network": "test",
        "cycle_id": cycle,
        "ended_at_block": cycle * 1000,
        "ended_at_time": pd.Timestamp(f"2024-0{cycle}-01", tz="UTC"),
        "ended_at_time_estimated": False,
        "is_finished": True,
        "candidate_id": cid,
        "member_id": handle,
        "handle": handle,
        "outcome": outcome,
        "stake_joy": 100.0,
        "votes_received": votes,
        "backing_stake_joy": 10.0,
        "vote_power_joy": 110.0,
        "rank": 1,
        "margin_joy": 0.0,
    }


def round_row(cycle: int, votes_cast: object) -> dict:
    return {
        "network": "test",
        "cycle_id": cycle,
        "is_finished": True,
        "ended_at_block": cycle * 1000,
        "ended_at_time": pd.Timestamp(f"2024-0{cycle}-01", tz="UTC"),
        "ended_at_time_estimated": False,
        "seats": 2,
        "losers_recorded": cycle == 1,
        "candidates": 2,
        "withdrawn": 0,
        "seats_filled": 2,
        "total_candidate_stake_joy": 200.0,
        "winning_threshold_joy": 110.0,
        "votes_cast": votes_cast,
        "voters": votes_cast,
        "unrevealed_votes": 0 if votes_cast is not NA else NA,
        "total_backing_stake_joy": 20.0,
        "re_elected": 1,
        "competitiveness": 1.0,
        "newcomers": 1,
        "re_elected_share": 0.5,
    }


@pytest.fixture
def results() -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            candidacy(3, "3a", "a", "elected", NA),
            candidacy(3, "3c", "c", "elected", NA),
            candidacy(2, "2a", "a", "elected", 5),
            candidacy(2, "2c", "c", "elected", 2),
            candidacy(1, "1a", "a", "elected", 6),
            candidacy(1, "1b", "b", "failed", 4),
        ]
    )
    frame["votes_received"] = frame["votes_received"].astype("Int64")
    return frame


@pytest.fixture
def summary() -> pd.DataFrame:
    frame = pd.DataFrame([round_row(3, NA), round_row(2, 7), round_row(1, 10)])
    for column in ("votes_cast", "voters", "unrevealed_votes", "re_elected", "newcomers"):
        frame[column] = frame[column].astype("Int64")
    return frame


def view(results, summary, cycle_range=(1, 3), handles=(), outcomes=()):
    return views.election_view(
        results, summary, cycle_range, None, list(handles), list(outcomes), archive_rounds=[3]
    )


def test_without_member_filters_the_headline_counts_every_vote_of_the_rounds(
    results, summary
) -> None:
    shown = view(results, summary)
    assert shown.headline == {
        "Rounds": 3,
        "Candidacies": 6,
        "Distinct candidates": 3,
        "Votes cast": 17,
    }
    assert shown.headline_note == (
        "The votes of 1 of these 3 rounds are not recorded: votes cast counts the other 2."
    )


def test_with_a_member_filter_the_headline_counts_that_members_votes(results, summary) -> None:
    shown = view(results, summary, handles=["b"])
    assert shown.headline == {
        "Rounds": 1,
        "Candidacies": 1,
        "Distinct candidates": 1,
        "Votes received": 4,
    }
    assert shown.headline_note == ""
    elected = view(results, summary, cycle_range=(1, 2), outcomes=["elected"])
    assert elected.headline["Votes received"] == 13
    assert elected.headline["Candidacies"] == 3


def test_votes_not_recorded_are_none_not_zero(results, summary) -> None:
    shown = view(results, summary, cycle_range=(3, 3), handles=["c"])
    assert shown.headline["Votes received"] is None
    assert shown.headline_note == "The votes of the shown rounds are not recorded."
    assert view(results, summary, cycle_range=(3, 3)).headline["Votes cast"] is None


def test_archive_rounds_are_those_of_the_shown_rounds(results, summary) -> None:
    assert view(results, summary).archive_rounds == [3]
    assert view(results, summary, cycle_range=(1, 2)).archive_rounds == []
    assert view(results, summary, handles=["b"]).archive_rounds == []


def test_shown_rounds_follow_every_filter(results, summary) -> None:
    assert view(results, summary).shown_rounds == [1, 2, 3]
    assert view(results, summary, cycle_range=(2, 3)).shown_rounds == [2, 3]
    assert view(results, summary, handles=["b"]).shown_rounds == [1]


def candidates_of(results: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cycle_id": results["cycle_id"],
            "id": results["candidate_id"],
            "note_header": "",
            "note_bullet_points": None,
        }
    )


def votes_of(cycle_votes: list[tuple[str, float, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "network": "test",
            "cast_by": [v[0] for v in cycle_votes],
            "stake_joy": [v[1] for v in cycle_votes],
            "vote_power_joy": [v[1] for v in cycle_votes],
            "vote_for_candidate_id": [v[2] for v in cycle_votes],
        }
    )


def test_round_detail_of_a_term_report_round_says_its_votes_are_not_recorded(
    results, summary
) -> None:
    detail = views.round_view(
        results, summary, candidates_of(results), votes_of([]), 3, from_report=True
    )
    assert detail.votes.empty
    assert detail.votes_note == "Round 3 is known from a term report: its votes are not recorded."
    other = views.round_view(results, summary, candidates_of(results), votes_of([]), 3)
    assert other.votes_note == (
        "The votes of round 3 are not recorded in this data (its record lists the elected "
        "seats only)."
    )


def test_round_detail_lists_the_votes_of_a_recorded_round(results, summary) -> None:
    votes = votes_of([("5Voter1aaaaaaaa", 6.0, "2a"), ("5Voter2bbbbbbbb", 2.0, None)])
    detail = views.round_view(results, summary, candidates_of(results), votes, 2)
    assert detail.votes_note == ""
    assert detail.votes["Voted for"].tolist() == ["a", "(not revealed)"]
    assert detail.votes["Stake (JOY)"].tolist() == [6.0, 2.0]


def test_round_detail_of_a_round_without_votes_says_none_were_cast(results, summary) -> None:
    summary.loc[summary["cycle_id"] == 1, "votes_cast"] = 0
    detail = views.round_view(results, summary, candidates_of(results), votes_of([]), 1)
    assert detail.votes_note == "No votes were cast in round 1."


def test_archive_rounds_without_candidacies_count_unless_members_are_picked(
    results, summary
) -> None:
    # Round 3's candidacies are not recorded: its archive figures still belong to rounds 1-3.
    without = results[results["cycle_id"] != 3]
    assert view(without, summary).archive_rounds == [3]
    assert view(without, summary, handles=["a"]).archive_rounds == []
    in_march = views.election_view(
        results, summary, (1, 3), (date(2024, 3, 1), date(2024, 3, 31)), [], [], [3]
    )
    assert in_march.archive_rounds == [3]
    in_january = views.election_view(
        results, summary, (1, 3), (date(2024, 1, 1), date(2024, 1, 31)), [], [], [3]
    )
    assert in_january.archive_rounds == []


def test_datasets_are_named_by_their_order_not_their_rows() -> None:
    spec = {
        "data": {"name": "data-f00"},
        "layer": [{"mark": "bar"}, {"data": {"name": "data-ba5"}, "mark": "rule"}],
        "datasets": {"data-f00": [{"x": 1}], "data-ba5": [{"y": 2}]},
    }
    assert charts.stable_dataset_names(spec) == {
        "data": {"name": "data-0"},
        "layer": [{"mark": "bar"}, {"data": {"name": "data-1"}, "mark": "rule"}],
        "datasets": {"data-0": [{"x": 1}], "data-1": [{"y": 2}]},
    }
    assert charts.stable_dataset_names({"mark": "bar"}) == {"mark": "bar"}
