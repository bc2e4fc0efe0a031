"""Election statistics on a small hand-made cache; every expected number worked out by hand.

Round 1 (finished, 2 seats): A elected (500 JOY vote power), B elected and C failed tied at
300, D withdrew; C staked 10^9 JOY = 10^19 HAPI, above 2^63; one vote of 50 unrevealed.
Round 2 (finished, 2 seats): nobody voted; A and E elected with 0 vote power, B failed.
Round 3 (running, 2 seats): F 70, A 40, G 10 so far; one vote of 25 unrevealed.
"""

from pathlib import Path

import pandas as pd
import pytest

from council import data, store, tables, views
from council.stats import elections

HAPI = 10**10
NET = "test"


def candidate(cid: str, cycle: int, member: str, stake: int, power: int, status: str) -> dict:
    return {
        "network": NET,
        "id": cid,
        "cycle_id": cycle,
        "member_id": member,
        "stake": str(stake * HAPI),
        "vote_power": str(power * HAPI),
        "status": status,
    }


def vote(vid: str, cycle: int, account: str, stake: int, for_id: str | None) -> dict:
    return {
        "network": NET,
        "id": vid,
        "cycle_id": cycle,
        "cast_by": account,
        "stake": str(stake * HAPI),
        "vote_power": str(stake * HAPI),
        "vote_for_candidate_id": for_id,
    }


def round_row(cycle: int, finished: bool, council: str, block: int | None) -> dict:
    return {
        "network": NET,
        "cycle_id": cycle,
        "is_finished": int(finished),
        "ended_at_block": block,
        "ended_at_time": f"2023-0{cycle}-01T00:00:00Z" if finished else None,
        "seats": 2,
        "council_id": council,
        "losers_recorded": 1,
    }


def seat(council: str, member: str) -> dict:
    return {"network": NET, "id": f"{council}-{member}", "council_id": council, "member_id": member}


@pytest.fixture(scope="module")
def council_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path: Path = tmp_path_factory.mktemp("stats") / "council.db"
    rows = {
        "members": [{"network": NET, "id": m, "handle": m.lower()} for m in "ABCDEFG"],
        "election_rounds": [
            round_row(1, True, "c0", 1000),
            round_row(2, True, "c1", 2000),
            round_row(3, False, "c2", None),
        ],
        "candidates": [
            candidate("1A", 1, "A", 100, 500, "elected"),
            candidate("1B", 1, "B", 50, 300, "elected"),
            candidate("1C", 1, "C", 10**9, 300, "failed"),
            candidate("1D", 1, "D", 20, 0, "withdrawn"),
            candidate("2A", 2, "A", 100, 0, "elected"),
            candidate("2E", 2, "E", 60, 0, "elected"),
            candidate("2B", 2, "B", 50, 0, "failed"),
            candidate("3A", 3, "A", 100, 40, "active"),
            candidate("3F", 3, "F", 30, 70, "active"),
            candidate("3G", 3, "G", 5, 10, "active"),
        ],
        "votes": [
            vote("v1", 1, "acct1", 200, "1A"),
            vote("v2", 1, "acct2", 300, "1A"),
            vote("v3", 1, "acct1", 300, "1B"),
            vote("v4", 1, "acct3", 300, "1C"),
            vote("v5", 1, "acct4", 50, None),
            vote("v6", 3, "acct1", 70, "3F"),
            vote("v7", 3, "acct5", 40, "3A"),
            vote("v8", 3, "acct6", 25, None),
            vote("v9", 3, "acct7", 10, "3G"),
        ],
        "council_members": [seat("c1", "A"), seat("c1", "B"), seat("c2", "A"), seat("c2", "E")],
    }
    store.write_cache(path, rows, {"source": "hand-made"})
    return path


@pytest.fixture(scope="module")
def council_data(council_db: Path) -> data.CouncilData:
    return data.load(council_db)


@pytest.fixture(scope="module")
def results(council_data: data.CouncilData) -> pd.DataFrame:
    d = council_data
    return elections.candidacy_results(d.rounds, d.candidates, d.candidate_votes, d.members)


@pytest.fixture(scope="module")
def summary(council_data: data.CouncilData, results: pd.DataFrame) -> pd.DataFrame:
    d = council_data
    return elections.round_summary(d.rounds, results, d.round_votes, d.council_members)


def by_id(results: pd.DataFrame, candidate_id: str) -> pd.Series:
    return results.set_index("candidate_id").loc[candidate_id]


def test_results_are_newest_round_first_then_by_rank(results: pd.DataFrame) -> None:
    assert list(results["candidate_id"]) == [
        "3F", "3A", "3G", "2A", "2B", "2E", "1A", "1B", "1C", "1D",
    ]  # fmt: skip


def test_outcomes_use_the_councils_words(results: pd.DataFrame) -> None:
    outcomes = dict(zip(results["candidate_id"], results["outcome"], strict=True))
    assert outcomes["1A"] == "elected"
    assert outcomes["1C"] == "not elected"
    assert outcomes["1D"] == "withdrawn"
    assert outcomes["3F"] == "running"


def test_votes_and_backing_count_revealed_votes_only(results: pd.DataFrame) -> None:
    a = by_id(results, "1A")
    assert (a["votes_received"], a["backing_stake_joy"]) == (2, 500.0)
    d = by_id(results, "1D")
    assert (d["votes_received"], d["backing_stake_joy"]) == (0, 0.0)


def test_ties_share_the_better_rank_and_withdrawn_have_none(results: pd.DataFrame) -> None:
    assert by_id(results, "1A")["rank"] == 1
    assert by_id(results, "1B")["rank"] == 2
    assert by_id(results, "1C")["rank"] == 2
    assert pd.isna(by_id(results, "1D")["rank"])


def test_margin_is_distance_to_the_last_elected_seat(results: pd.DataFrame) -> None:
    assert by_id(results, "1A")["margin_joy"] == 200.0
    assert by_id(results, "1C")["margin_joy"] == 0.0
    assert pd.isna(by_id(results, "1D")["margin_joy"])
    # Running round: the last seat so far is A's 40 JOY (2nd of 2 seats).
    assert by_id(results, "3F")["margin_joy"] == 30.0
    assert by_id(results, "3G")["margin_joy"] == -30.0


def test_stake_above_2_pow_63_hapi_is_read_exactly(results: pd.DataFrame) -> None:
    assert 10**9 * HAPI > 2**63
    assert by_id(results, "1C")["stake_joy"] == 1_000_000_000.0


def test_round_summary_counts(summary: pd.DataFrame) -> None:
    r1 = summary.set_index("cycle_id").loc[1]
    assert r1["candidates"] == 4
    assert r1["withdrawn"] == 1
    assert r1["seats"] == 2
    assert r1["seats_filled"] == 2
    assert r1["competitiveness"] == 1.5
    assert r1["votes_cast"] == 5
    assert r1["voters"] == 4
    assert r1["unrevealed_votes"] == 1
    assert r1["total_backing_stake_joy"] == 1150.0
    assert r1["total_candidate_stake_joy"] == 1_000_000_170.0
    assert r1["winning_threshold_joy"] == 300.0


def test_round_with_no_votes(summary: pd.DataFrame) -> None:
    r2 = summary.set_index("cycle_id").loc[2]
    assert (r2["votes_cast"], r2["voters"], r2["unrevealed_votes"]) == (0, 0, 0)
    assert r2["total_backing_stake_joy"] == 0.0
    assert r2["winning_threshold_joy"] == 0.0


def test_incumbents_re_elected_vs_newcomers(summary: pd.DataFrame) -> None:
    by_cycle = summary.set_index("cycle_id")
    # Round 2 was held under council c1 (A, B): A came back, E is new.
    assert (by_cycle.loc[2, "re_elected"], by_cycle.loc[2, "newcomers"]) == (1, 1)
    assert by_cycle.loc[2, "re_elected_share"] == 0.5
    # Round 1 was held under council c0, whose seats are not in the cache: unknown, not zero.
    assert pd.isna(by_cycle.loc[1, "re_elected"])


def test_running_round(summary: pd.DataFrame) -> None:
    r3 = summary.set_index("cycle_id").loc[3]
    assert not r3["is_finished"]
    assert r3["seats_filled"] == 0
    assert (r3["votes_cast"], r3["voters"], r3["unrevealed_votes"]) == (4, 4, 1)
    assert r3["total_backing_stake_joy"] == 145.0
    assert pd.isna(r3["winning_threshold_joy"])


def test_filters(results: pd.DataFrame) -> None:
    from datetime import date

    assert set(elections.filter_candidacies(results, cycle_range=(2, 3))["cycle_id"]) == {2, 3}
    in_feb = elections.filter_candidacies(results, date_range=(date(2023, 2, 1), date(2023, 2, 28)))
    # Round 2 ended 2023-02-01; round 3 has no end date and passes any date range.
    assert set(in_feb["cycle_id"]) == {2, 3}
    mine = elections.filter_candidacies(results, handles=["a"], outcomes=["elected"])
    assert list(mine["candidate_id"]) == ["2A", "1A"]


def test_round_votes(council_db: Path, results: pd.DataFrame) -> None:
    votes = elections.round_votes(data.load_round_votes(council_db, NET, 1), results)
    assert list(votes["stake_joy"]) == [300.0, 300.0, 300.0, 200.0, 50.0]
    assert votes["revealed"].tolist().count(False) == 1
    assert set(votes["voted_for"].dropna()) == {"a", "b", "c"}


def test_votes_of_a_winners_only_round_without_votes_are_not_recorded(tmp_path: Path) -> None:
    """Round 5 comes from a term report (winners only, no votes): its ballots are unknown.

    Round 6 is winners-only too but has one backer's vote of 40 JOY; round 7 is a full record
    in which nobody voted: zero, not unknown.
    """
    winners_only = {"losers_recorded": 0, "seats": 1}
    rows = {
        "members": [{"network": NET, "id": "A", "handle": "a"}],
        "election_rounds": [
            {**round_row(5, True, "c4", 5000), **winners_only},
            {**round_row(6, True, "c5", 6000), **winners_only},
            {**round_row(7, True, "c6", 7000), "seats": 1},
        ],
        "candidates": [
            candidate("5A", 5, "A", 10, 10, "elected"),
            candidate("6A", 6, "A", 10, 50, "elected"),
            candidate("7A", 7, "A", 10, 10, "elected"),
        ],
        "votes": [vote("v10", 6, "acct1", 40, "6A")],
    }
    path = tmp_path / "council.db"
    store.write_cache(path, rows, {"source": "hand-made"})
    d = data.load(path)
    results = elections.candidacy_results(d.rounds, d.candidates, d.candidate_votes, d.members)
    by_cycle = elections.round_summary(
        d.rounds, results, d.round_votes, d.council_members
    ).set_index("cycle_id")
    ballots = ["votes_cast", "voters", "unrevealed_votes", "total_backing_stake_joy"]
    assert by_cycle.loc[5, ballots].isna().all()
    assert by_cycle.loc[5, "total_candidate_stake_joy"] == 10.0
    assert list(by_cycle.loc[6, ballots]) == [1, 1, 0, 40.0]
    assert list(by_cycle.loc[7, ballots]) == [0, 0, 0, 0.0]


def test_candidacies_of_a_winners_only_round_without_votes_are_not_recorded(
    tmp_path: Path,
) -> None:
    """Term-report rounds (winners only) next to rounds with vote rows.

    Round 8 (no votes, elected council c8): A own 10 + voter 30 = 40 JOY vote power, the seat
    records 30 JOY voter stake; B own 20 + 5 = 25, the seat's voter stake is not recorded.
    Round 9 (no votes): C's vote power is unknown, D has 50: places and margins unknown.
    Round 10 has a backer's vote of 40 JOY (as the Sumer snapshot's rounds): counted, and
    the seat's 99 JOY is not used. Round 11 has one unrevealed vote only: recorded, none
    revealed. Round 12 is a full record in which nobody voted: 0, not unknown.
    """
    winners_only = {"losers_recorded": 0}
    rounds = [
        {**round_row(c, True, f"c{c - 1}", c * 1000), **winners_only, "next_council_id": f"c{c}"}
        for c in (8, 9, 10, 11)
    ]
    rows = {
        "members": [{"network": NET, "id": m, "handle": m.lower()} for m in "ABCD"],
        "election_rounds": [*rounds, {**round_row(12, True, "c11", 12000), "seats": 1}],
        "candidates": [
            candidate("8A", 8, "A", 10, 40, "elected"),
            candidate("8B", 8, "B", 20, 25, "elected"),
            {**candidate("9C", 9, "C", 10, 0, "elected"), "vote_power": None},
            candidate("9D", 9, "D", 20, 50, "elected"),
            candidate("10A", 10, "A", 10, 50, "elected"),
            candidate("11A", 11, "A", 10, 10, "elected"),
            candidate("12A", 12, "A", 10, 10, "elected"),
        ],
        "votes": [vote("v10", 10, "acct1", 40, "10A"), vote("v11", 11, "acct2", 5, None)],
        "council_members": [
            {**seat("c8", "A"), "backing_stake": str(30 * HAPI)},
            seat("c8", "B"),
            {**seat("c9", "D"), "backing_stake": str(30 * HAPI)},
            {**seat("c10", "A"), "backing_stake": str(99 * HAPI)},
            {**seat("c11", "A"), "backing_stake": str(7 * HAPI)},
        ],
    }
    path = tmp_path / "council.db"
    store.write_cache(path, rows, {"source": "hand-made"})
    results, _ = elections.election_tables(data.load(path))
    got = results.set_index("candidate_id")
    votes = got["votes_received"]
    backing = got["backing_stake_joy"]
    assert votes[["8A", "8B", "9C", "9D"]].isna().all()
    assert (backing["8A"], backing["9D"]) == (30.0, 30.0)
    assert pd.isna(backing["8B"]) and pd.isna(backing["9C"])
    assert (votes["10A"], backing["10A"]) == (1, 40.0)
    assert (votes["11A"], backing["11A"]) == (0, 0.0)
    assert (votes["12A"], backing["12A"]) == (0, 0.0)
    # Recorded vote power: the winners' places and distance to the last seat hold.
    assert (got.loc["8A", "rank"], got.loc["8A", "margin_joy"]) == (1, 15.0)
    assert (got.loc["8B", "rank"], got.loc["8B", "margin_joy"]) == (2, 0.0)
    assert got.loc[["9C", "9D"], ["rank", "margin_joy"]].isna().all().all()
    shown = tables.candidacy_table(results[results["cycle_id"] == 8])
    assert shown[["Votes received", "Backing stake (JOY)"]].isna().values.tolist() == [
        [True, False],
        [True, True],
    ]
    assert "| 8 | #8,000 · 2023-08-01 | a | elected | 10 | – | 30 | 40 | 1 | 15 |" in (
        tables.markdown(shown)
    )


def test_winners_only_rounds_take_field_and_votes_from_the_archive_totals(tmp_path: Path) -> None:
    """Winners-only rounds (term reports, the Sumer snapshot) list no losers.

    Round 13 (2 seats, one backer's vote in the cache): the totals record 5 applicants and 9
    votes: 5 candidates, 2.5 per seat, 9 votes cast (not the winners' 1). Round 14 (1 seat),
    no totals, no votes: field and votes not recorded (never 1.00, never 0). Round 15: a
    report without a member table: seats not recorded either. Round 16 is a full record: 3
    candidates for 2 seats; a totals row for it is ignored.
    """
    winners_only = {"losers_recorded": 0}
    rows = {
        "members": [{"network": NET, "id": m, "handle": m.lower()} for m in "ABC"],
        "election_rounds": [
            {**round_row(13, True, "c12", 13000), **winners_only},
            {**round_row(14, True, "c13", 14000), **winners_only, "seats": 1},
            {**round_row(15, True, "c14", 15000), **winners_only, "seats": None},
            round_row(16, True, "c15", 16000),
        ],
        "candidates": [
            candidate("13A", 13, "A", 10, 50, "elected"),
            candidate("13B", 13, "B", 10, 10, "elected"),
            candidate("14A", 14, "A", 10, 10, "elected"),
            candidate("16A", 16, "A", 10, 10, "elected"),
            candidate("16B", 16, "B", 10, 10, "elected"),
            candidate("16C", 16, "C", 10, 5, "failed"),
        ],
        "votes": [vote("v13", 13, "acct1", 40, "13A")],
        "archive_election_stats": [
            {"network": NET, "cycle_id": 13, "applicants": 5, "votes": 9, "source": "t13.md"},
            {"network": NET, "cycle_id": 16, "applicants": 7, "votes": 4, "source": "t16.md"},
        ],
    }
    path = tmp_path / "council.db"
    store.write_cache(path, rows, {"source": "hand-made"})
    d = data.load(path)
    results, summary = elections.election_tables(d)
    by_cycle = summary.set_index("cycle_id")
    field = ["seats", "candidates", "withdrawn", "competitiveness", "votes_cast"]
    assert by_cycle.loc[13, field].tolist() == [2, 5, pd.NA, 2.5, 9]
    assert by_cycle.loc[14, field].isna().tolist() == [False, True, True, True, True]
    assert by_cycle.loc[15, field].isna().all()
    assert by_cycle.loc[16, field].tolist() == [2, 3, 0, 1.5, 0]
    shown = tables.round_table(summary).set_index("Round")
    assert shown.loc[14, ["Candidates", "Candidates per seat", "Votes cast"]].isna().all()
    # The election page's headline adds the recorded rounds; none recorded: not recorded.
    every = views.election_view(results, summary, (13, 16), None, [], [])
    assert every.headline["Votes cast"] == 9 + 0
    alone = views.election_view(results, summary, (14, 14), None, [], [])
    assert alone.headline["Votes cast"] is None
