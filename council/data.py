"""Read the SQLite cache into pandas DataFrames with stable column names.

The only code that reads the cache. Amounts arrive in HAPI as exact decimal text and leave as
JOY floats in columns named ``*_joy``; this is the one place that converts. Times leave as
timezone-aware UTC timestamps.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from council import store

HAPI_PER_JOY = 10**10

# Amount columns per table: HAPI text in the cache, ``<name>_joy`` floats here.
AMOUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    "candidates": ("stake", "vote_power"),
    "votes": ("stake", "vote_power"),
    "council_members": ("stake", "accumulated_reward", "unpaid_reward"),
    "proposals": ("funding_amount",),
    "funding_destinations": ("amount",),
    "budget_refills": ("balance",),
    "reward_payments": ("paid", "missing"),
    "councilor_reward_updates": ("reward_per_block",),
}
TIME_COLUMNS: dict[str, tuple[str, ...]] = {
    "election_rounds": ("ended_at_time",),
    "councils": ("elected_at_time", "ended_at_time"),
    "proposals": ("created_at_time", "status_set_at_time"),
    "proposal_votes": ("voted_at_time",),
    "budget_refills": ("time",),
    "reward_payments": ("time",),
    "councilor_reward_updates": ("time",),
}
BOOL_COLUMNS: dict[str, tuple[str, ...]] = {
    "election_rounds": ("is_finished", "ended_at_time_estimated", "losers_recorded"),
    "councils": ("is_resigned",),
    "proposals": ("is_finalized",),
}


@dataclass
class CouncilData:
    """Every cache table as a DataFrame, plus the meta facts.

    Votes are the one large table (about a million rows at 100x mainnet), and pages need only
    their totals, so they arrive aggregated: ``candidate_votes`` (per candidate: revealed
    votes received and their stake) and ``round_votes`` (per round: votes, voters, unrevealed
    votes, stake). One round's votes are read on demand with :func:`load_round_votes`.
    """

    members: pd.DataFrame
    rounds: pd.DataFrame
    candidates: pd.DataFrame
    candidate_votes: pd.DataFrame
    round_votes: pd.DataFrame
    councils: pd.DataFrame
    council_members: pd.DataFrame
    proposals: pd.DataFrame
    funding_destinations: pd.DataFrame
    proposal_votes: pd.DataFrame
    budget_refills: pd.DataFrame
    reward_payments: pd.DataFrame
    councilor_reward_updates: pd.DataFrame
    meta: dict[str, str] = field(default_factory=dict)

    def for_network(self, network: str) -> CouncilData:
        """The same tables restricted to one network's rows."""
        frames = {
            attr: getattr(self, attr)[getattr(self, attr)["network"] == network]
            for attr in [*_TABLE_ATTRS.values(), *VOTE_TOTALS]
        }
        return CouncilData(**frames, meta=self.meta)

    @property
    def networks(self) -> list[str]:
        """The networks that have election rounds in the cache."""
        return sorted(self.rounds["network"].dropna().unique())

    @property
    def is_empty(self) -> bool:
        """True when the cache holds no election round at all."""
        return self.rounds.empty


_TABLE_ATTRS = {
    "members": "members",
    "election_rounds": "rounds",
    "candidates": "candidates",
    "councils": "councils",
    "council_members": "council_members",
    "proposals": "proposals",
    "funding_destinations": "funding_destinations",
    "proposal_votes": "proposal_votes",
    "budget_refills": "budget_refills",
    "reward_payments": "reward_payments",
    "councilor_reward_updates": "councilor_reward_updates",
}


def _convert(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    for column in AMOUNT_COLUMNS.get(table, ()):
        frame[f"{column}_joy"] = hapi_to_joy(frame.pop(column))
    for column in TIME_COLUMNS.get(table, ()):
        frame[column] = pd.to_datetime(frame[column], utc=True, errors="coerce", format="ISO8601")
    for column in BOOL_COLUMNS.get(table, ()):
        frame[column] = frame[column].fillna(0).astype(bool)
    return frame


def hapi_to_joy(values: pd.Series) -> pd.Series:
    """HAPI amounts (decimal text, possibly above 2^63, or null) as JOY floats.

    ``float()`` of the decimal text is correctly rounded, also above 2^63.
    """
    as_float = values.map(float, na_action="ignore").astype("float64")
    return as_float / HAPI_PER_JOY


def _empty_frame(table: str) -> pd.DataFrame:
    spec = store.TABLES[table]
    return pd.DataFrame({name: pd.Series(dtype="object") for name in spec.columns})


def read_table(conn: sqlite3.Connection, table: str) -> pd.DataFrame:
    """One cache table as a converted DataFrame (empty with its columns when absent)."""
    try:
        frame = pd.read_sql_query(f"select * from {table}", conn)
    except (sqlite3.Error, pd.errors.DatabaseError):
        frame = _empty_frame(table)
    return _convert(table, frame)


VOTE_TOTALS = {
    "candidate_votes": """
        select network, vote_for_candidate_id as candidate_id, count(*) as votes_received,
               sum(cast(stake as real)) / 1e10 as backing_stake_joy
        from votes where vote_for_candidate_id is not null
        group by network, vote_for_candidate_id""",
    "round_votes": """
        select network, cycle_id, count(*) as votes_cast, count(distinct cast_by) as voters,
               sum(vote_for_candidate_id is null) as unrevealed_votes,
               sum(cast(stake as real)) / 1e10 as total_backing_stake_joy
        from votes group by network, cycle_id""",
}
_VOTE_TOTAL_COLUMNS = {
    "candidate_votes": ["network", "candidate_id", "votes_received", "backing_stake_joy"],
    "round_votes": [
        "network", "cycle_id", "votes_cast", "voters", "unrevealed_votes",
        "total_backing_stake_joy",
    ],
}  # fmt: skip


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)


def _vote_totals(conn: sqlite3.Connection | None) -> dict[str, pd.DataFrame]:
    totals = {}
    for name, sql in VOTE_TOTALS.items():
        try:
            totals[name] = pd.read_sql_query(sql, conn) if conn else None
        except (sqlite3.Error, pd.errors.DatabaseError):
            totals[name] = None
        if totals[name] is None:
            totals[name] = pd.DataFrame(columns=_VOTE_TOTAL_COLUMNS[name])
    return totals


def load(path: Path) -> CouncilData:
    """Read the whole cache at ``path``. A missing file reads as an empty cache."""
    tables: dict[str, pd.DataFrame] = {}
    if Path(path).exists():
        with contextlib.closing(_connect(path)) as conn:
            for table, attr in _TABLE_ATTRS.items():
                tables[attr] = read_table(conn, table)
            tables.update(_vote_totals(conn))
    else:
        tables = {attr: _convert(t, _empty_frame(t)) for t, attr in _TABLE_ATTRS.items()}
        tables.update(_vote_totals(None))
    return CouncilData(**tables, meta=store.read_meta(Path(path)))


def load_round_votes(path: Path, network: str, cycle_id: int) -> pd.DataFrame:
    """Every vote of one round (amounts in JOY); empty when the cache has none."""
    if not Path(path).exists():
        return _convert("votes", _empty_frame("votes"))
    with contextlib.closing(_connect(path)) as conn:
        frame = pd.read_sql_query(
            "select * from votes where network = ? and cycle_id = ?",
            conn,
            params=(network, int(cycle_id)),
        )
    return _convert("votes", frame)


def table_sizes(path: Path) -> dict[str, int]:
    """Row count of every cache table (0 for a missing table or file)."""
    sizes = dict.fromkeys(store.TABLES, 0)
    if Path(path).exists():
        with contextlib.closing(_connect(path)) as conn:
            for table in store.TABLES:
                try:
                    sizes[table] = conn.execute(f"select count(*) from {table}").fetchone()[0]
                except sqlite3.Error:
                    sizes[table] = 0
    return sizes


def cache_mtime(path: Path) -> float:
    """The cache file's modification time (0 when absent): the key for page-level caching."""
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0
