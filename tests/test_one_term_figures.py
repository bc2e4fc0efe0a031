"""One round's or one term's figures worked out from that round's or term's rows only (the
speed-ups of the election watch, the term report and the This week page) equal the whole
network's figures, filtered: on every round and term of the bundled snapshot's networks, on
the working-group test chain, and on hand-made tables for the cases where they would not."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest
from qn_server import SMALL_FIXTURE, QueryNodeServer, load_records
from wg_records import TERM_A, TERM_B_START, wg_chain

from council import data, fetch, report, report_mainnet
from council.desk.term import term_scorecard
from council.stats import budget, elections, leaderboard, one_round
from council.working_groups import stats as wg_stats


@pytest.fixture(scope="module")
def snapshot(snapshot_copy) -> data.CouncilData:
    return data.load(snapshot_copy("one-term-figures"))


def _some(values: list) -> list:
    """The first and the last (a test of every one costs seconds)."""
    return [values[i] for i in sorted({0, len(values) - 1})]


def test_one_rounds_results_are_the_networks_results_of_that_round(snapshot) -> None:
    for network in snapshot.networks:
        d = snapshot.for_network(network)
        every = elections.data_results(d)
        plain = elections.candidacy_results(d.rounds, d.candidates, d.candidate_votes, d.members)
        for cycle in [*_some(list(d.rounds["cycle_id"])), 10**9]:
            want = every[every["cycle_id"] == cycle].reset_index(drop=True)
            pd.testing.assert_frame_equal(one_round.data_round_results(d, cycle), want)
            got = one_round.round_results(
                d.rounds, d.candidates, d.candidate_votes, d.members, cycle
            )
            pd.testing.assert_frame_equal(
                got, plain[plain["cycle_id"] == cycle].reset_index(drop=True)
            )


def _same_card(got: pd.DataFrame, want: pd.DataFrame) -> None:
    # The council id column's type follows the term table's; the desk compares it as text.
    pd.testing.assert_frame_equal(
        got.astype({"council_id": object}), want.astype({"council_id": object})
    )


def test_one_terms_scorecard_is_the_networks_scorecard_of_that_term(snapshot) -> None:
    for network in snapshot.networks:
        d = snapshot.for_network(network)
        table = leaderboard.terms(d.councils)
        every = leaderboard.scorecard(table, d.council_members, d.proposals, d.proposal_votes)
        for council in [*_some(list(table["council_id"].astype(str))), "no-such-council"]:
            want = every[every["council_id"].astype(str) == council].reset_index(drop=True)
            got = term_scorecard(table, council, d.council_members, d.proposals, d.proposal_votes)
            _same_card(got, want)


def _hand_made(vote_council: str | None, vote_block: float) -> tuple[pd.DataFrame, ...]:
    """Two terms (A: blocks 100-199, B: from 200), one seat each for member 1 and one vote on
    a proposal decided in B; the vote's own record names ``vote_council``."""
    councils = pd.DataFrame(
        {"network": "n", "id": ["A", "B"], "elected_at_block": [100, 200],
         "ended_at_block": [200, None], "elected_in_cycle_id": [1, 2]}
    )  # fmt: skip
    seats = pd.DataFrame(
        {"network": "n", "id": ["s1", "s2"], "council_id": ["A", "B"], "member_id": "1",
         "stake_joy": 1.0, "accumulated_reward_joy": 0.0}
    )  # fmt: skip
    proposals = pd.DataFrame(
        {"network": "n", "id": ["p1"], "status": ["executed"], "status_set_at_block": [250.0]}
    )
    votes = pd.DataFrame(
        {"network": "n", "id": ["v1"], "proposal_id": ["p1"], "voter_member_id": ["1"],
         "vote_kind": ["approve"], "rationale": [""], "voted_at_block": [vote_block],
         "council_id": [vote_council]}
    )  # fmt: skip
    return leaderboard.terms(councils), seats, proposals, votes


@pytest.mark.parametrize(
    ("vote_council", "vote_block", "votes_in_b"),
    [
        (None, 250.0, 1),  # cast in B
        (None, 150.0, 0),  # cast in A, on a proposal decided in B
        ("B", float("nan"), 1),  # no block: its record names B
        ("B", 150.0, 0),  # a block in A, a record naming B: the block decides
    ],
)
def test_a_vote_belongs_to_the_term_of_its_block_else_of_its_record(
    vote_council: str | None, vote_block: float, votes_in_b: int
) -> None:
    table, seats, proposals, votes = _hand_made(vote_council, vote_block)
    every = leaderboard.scorecard(table, seats, proposals, votes)
    card_b = term_scorecard(table, "B", seats, proposals, votes)
    _same_card(card_b, every[every["council_id"] == "B"].reset_index(drop=True))
    assert list(card_b["votes_cast"]) == [votes_in_b]
    assert list(card_b["participation"]) == [1.0]  # voted on B's decided proposal, any time


def test_term_cut_alone_would_miss_a_vote_the_block_gives_another_term() -> None:
    # The case term_scorecard hands to the whole scorecard: with the table cut to B alone, a
    # vote cast in A whose record names B would count for B.
    table, seats, proposals, votes = _hand_made("B", 150.0)
    cut = leaderboard.scorecard(table[table["council_id"] == "B"], seats, proposals, votes)
    assert list(cut["votes_cast"]) == [1]
    assert list(term_scorecard(table, "B", seats, proposals, votes)["votes_cast"]) == [0]


def test_report_sources_keep_shared_figures_and_reports_stay_the_same(snapshot, tmp_path) -> None:
    latest = {}
    for network, count in (("mainnet", 2), ("sumer", 1)):
        kept = report.load_sources(tmp_path / "unused.db", network, snapshot)
        terms = report.term_numbers(kept.data.councils)
        for term in (terms[-1], terms[0])[:count]:
            fresh = report.load_sources(tmp_path / "unused.db", network, snapshot)
            today = date(2030, 1, 1)
            text = report.term_report(fresh, term, today)
            assert report.term_report(kept, term, today) == text
            latest.setdefault(network, text)
        assert "handles" in kept._kept  # kept for the next term
        assert report.term_report(kept, terms[-1], today) == latest[network]  # from kept ones


@pytest.fixture(scope="module")
def wg_sources(tmp_path_factory: pytest.TempPathFactory) -> report.ReportSources:
    path = tmp_path_factory.mktemp("wg-report") / "c.db"
    records = {**load_records(SMALL_FIXTURE), **wg_chain().records()}
    with QueryNodeServer(records) as server:
        fetch.refresh(server.url, path, timeout=5, retries=0, backoff=0)
    return report.load_sources(path, "mainnet")


@pytest.mark.parametrize("span", [TERM_A, (TERM_B_START, None), (1, TERM_B_START + 50_000)])
def test_the_reports_working_group_tables_are_term_tables(
    wg_sources: report.ReportSources, span: tuple[int, int | None]
) -> None:
    frames = wg_stats.frames_of(wg_sources.data)
    # A term's end block is the next council's first (exclusive), the span's end inclusive.
    end = None if span[1] is None else span[1] + 1
    term = report.Term(1, "c", None, span[0], None, end, None)
    got = report_mainnet._wg_term_tables(wg_sources, frames, term)
    want = wg_stats.term_tables(frames, *span)
    for got_table, want_table in zip(got, want, strict=True):
        pd.testing.assert_frame_equal(got_table, want_table)
    assert "wg_basis" in wg_sources._kept


def test_a_movement_at_the_change_over_block_belongs_to_the_new_term_only(
    wg_sources: report.ReportSources,
) -> None:
    """As on the Working groups page and in the rest of the report: a term ends before the
    block the next council starts at, so a payment at that block is not in the old term."""
    frames = wg_stats.frames_of(wg_sources.data)
    paid = frames.events[frames.events["kind"] == "reward_paid"]
    change_over = int(paid["block"].iloc[len(paid) // 2])  # a block with a reward payment
    term = report.Term(1, "c", None, TERM_A[0], None, change_over, None)
    _workers, got = report_mainnet._wg_term_tables(wg_sources, frames, term)
    _workers, before = wg_stats.term_tables(frames, TERM_A[0], change_over - 1)
    _workers, through = wg_stats.term_tables(frames, TERM_A[0], change_over)
    pd.testing.assert_frame_equal(got, before)
    assert got["spent"].sum() < through["spent"].sum()  # the payment would have counted


def test_the_reports_working_groups_read_apart_are_the_same(
    wg_sources: report.ReportSources,
) -> None:
    # The report reads the events as the Working groups page does (data.load_wg_events).
    slim = dataclasses.replace(wg_sources)  # fresh sources: nothing kept yet
    whole = dataclasses.replace(wg_sources, db_path=None)  # every column, via CouncilData
    for span in (TERM_A, (TERM_B_START, None)):
        term = report.Term(1, "c", None, span[0], None, span[1], None)
        text = report_mainnet._working_group_sections(slim, term)
        assert "| Storage |" in text
        assert text == report_mainnet._working_group_sections(whole, term)
    assert len(slim._kept["wg_frames"].events.columns) < len(
        whole._kept["wg_frames"].events.columns
    )


def test_figures_other_pages_provide_give_the_same_report(snapshot, tmp_path) -> None:
    # The page hands the report the election results and budget table other pages computed.
    for network in ("mainnet", "sumer"):
        plain = report.load_sources(tmp_path / "unused.db", network, snapshot)
        given = report.load_sources(tmp_path / "unused.db", network, snapshot)
        d = given.data
        given.provide("results", lambda d=d: elections.data_results(d))
        given.provide("budget_table", lambda d=d: budget.budget_by_term(budget.sources_from(d)))
        latest = report.term_numbers(d.councils)[-1]
        today = date(2030, 1, 1)
        assert report.term_report(given, latest, today) == report.term_report(plain, latest, today)
        assert "results" in given._kept and "results" not in plain._kept
