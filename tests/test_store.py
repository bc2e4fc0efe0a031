"""The cache writer: derived vote totals rebuilt on every write, and the file mode of the cache."""

import sqlite3
from pathlib import Path

from council import data, store

HAPI = 10**10


def vote(vid: str, cycle: int, account: str, stake: int, for_id: str | None) -> dict:
    return {
        "network": "test",
        "id": vid,
        "cycle_id": cycle,
        "cast_by": account,
        "stake": str(stake * HAPI),
        "vote_for_candidate_id": for_id,
    }


VOTES = [
    vote("v1", 1, "acct1", 200, "1A"),
    vote("v2", 1, "acct1", 300, "1B"),
    vote("v3", 1, "acct2", 50, None),
    vote("v4", 2, "acct3", 70, "2A"),
]


def round_totals(path: Path) -> list[tuple]:
    frame = data.load(path).round_votes.sort_values("cycle_id")
    columns = ["cycle_id", "votes_cast", "voters", "unrevealed_votes", "total_backing_stake_joy"]
    return [tuple(row) for row in frame[columns].itertuples(index=False)]


def test_totals_are_written_with_the_cache_and_rebuilt_by_an_update(tmp_path: Path) -> None:
    path = tmp_path / "council.db"
    store.write_cache(path, {"votes": VOTES}, {"source": "hand-made"})
    # Round 1: 3 votes by 2 accounts, 1 unrevealed, 550 JOY; round 2: 1 vote of 70 JOY.
    assert round_totals(path) == [(1, 3, 2, 1, 550.0), (2, 1, 1, 0, 70.0)]
    candidates = data.load(path).candidate_votes.set_index("candidate_id")
    assert candidates.loc["1A", "votes_received"] == 1
    assert candidates.loc["1B", "backing_stake_joy"] == 300.0
    assert "v3" not in candidates.index and len(candidates) == 3

    with store.atomic_update(path) as db:
        store.insert_rows(db, {"votes": [vote("v5", 2, "acct4", 30, "2A")]})
    assert round_totals(path) == [(1, 3, 2, 1, 550.0), (2, 2, 2, 0, 100.0)]
    assert data.load(path).candidate_votes.set_index("candidate_id").loc["2A"].tolist() == [
        "test",
        2,
        100.0,
    ]


def test_a_cache_without_stored_totals_is_aggregated_on_read(tmp_path: Path) -> None:
    path = tmp_path / "council.db"
    store.write_cache(path, {"votes": VOTES}, {"source": "hand-made"})
    with sqlite3.connect(path) as conn:
        for table in store.VOTE_TOTALS:
            conn.execute(f"drop table {table}")
    assert round_totals(path) == [(1, 3, 2, 1, 550.0), (2, 1, 1, 0, 70.0)]


def test_a_written_cache_is_readable_by_others_and_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "council.db"
    store.write_cache(path, {"votes": VOTES}, {"source": "hand-made"})
    assert path.stat().st_mode & 0o777 == 0o644, "not mkstemp's private 0600"
    path.chmod(0o640)
    store.write_cache(path, {"votes": VOTES}, {"source": "hand-made"})
    assert path.stat().st_mode & 0o777 == 0o640
