"""Read the SQLite cache into pandas DataFrames with stable column names.

The only code that reads the cache. Amounts arrive in HAPI as exact decimal text and leave as
JOY floats in columns named ``*_joy``; this is the one place that converts. Times leave as
timezone-aware UTC timestamps.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from council import store

HAPI_PER_JOY = 10**10

# Amount columns per table: HAPI text in the cache, ``<name>_joy`` floats here.
AMOUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    "candidates": ("stake", "vote_power"),
    "votes": ("stake", "vote_power"),
    "council_members": ("stake", "accumulated_reward", "unpaid_reward", "backing_stake"),
    "proposals": ("funding_amount",),
    "funding_destinations": ("amount",),
    "budget_refills": ("balance",),
    "reward_payments": ("paid", "missing"),
    "councilor_reward_updates": ("reward_per_block",),
    "archive_election_stats": ("applicant_stake", "election_stake"),
    "kpi_rewards": ("reward",),
    "working_groups": ("budget",),
    "workers": ("stake", "reward_per_block", "missing_reward"),
    "working_group_events": ("amount",),
    "council_budget_funded": ("amount",),
    "council_budget_decreased": ("amount",),
    "budget_increment_updates": ("amount",),
    "wg_budget_proposals": ("amount",),
}
TIME_COLUMNS: dict[str, tuple[str, ...]] = {
    "election_rounds": ("ended_at_time",),
    "councils": ("elected_at_time", "ended_at_time"),
    "proposals": ("created_at_time", "status_set_at_time"),
    "proposal_votes": ("voted_at_time",),
    "budget_refills": ("time",),
    "reward_payments": ("time",),
    "councilor_reward_updates": ("time",),
    "council_stage_updates": ("changed_at_time",),
    "workers": ("hired_at_time", "ended_at_time"),
    "working_group_events": ("time",),
    "election_failures": ("time",),
    "council_budget_funded": ("time",),
    "council_budget_decreased": ("time",),
    "budget_increment_updates": ("time",),
}
# Event tables an incremental refresh reads from their newest block on (the council budget's,
# and the failed election attempts').
INCREMENTAL_EVENT_TABLES = (
    "council_budget_funded",
    "council_budget_decreased",
    "budget_increment_updates",
    "election_failures",
)
# Tables whose rows record events on chain with their block and that block's time, and that
# can be large (at 100x: 200,000 working-group events, 45,000 council reward payments, 12,000
# proposals): where the data ends (``council.stats.overview.data_end``) reads only each one's
# newest row (:func:`newest_events`), so that a server's first page does not read them whole.
# (table, block column, time column); a table may appear twice.
EVENT_BLOCKS: tuple[tuple[str, str, str], ...] = (
    ("proposals", "status_set_at_block", "status_set_at_time"),
    ("proposals", "created_at_block", "created_at_time"),
    ("proposal_votes", "voted_at_block", "voted_at_time"),
    ("budget_refills", "block", "time"),
    ("reward_payments", "block", "time"),
    ("councilor_reward_updates", "block", "time"),
    ("election_failures", "block", "time"),
    ("council_budget_funded", "block", "time"),
    ("council_budget_decreased", "block", "time"),
    ("budget_increment_updates", "block", "time"),
    ("workers", "hired_at_block", "hired_at_time"),
    ("workers", "ended_at_block", "ended_at_time"),
    ("working_group_events", "block", "time"),
)
NEWEST_EVENT_COLUMNS = ("network", "table", "block_column", "block", "time")
# Decimal numbers kept as text in the cache (exact as the source wrote them), read as floats.
DECIMAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "kpi_rewards": ("reward_usd",),
    "archive_vote_shares": ("share_pct",),
}
# The first magic bytes of every SQLite 3 database file.
SQLITE_HEADER = b"SQLite format 3\x00"


class CacheError(Exception):
    """The file at the cache path is not a usable council cache; the message is one line.

    ``path`` is the file, ``problem`` what is wrong with it.
    """

    def __init__(self, path: Path, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(self._message())

    def _message(self) -> str:
        return f"{self.path} is not a council cache: {self.problem}"


class NotACouncilCache(CacheError):
    """A directory, an unreadable file, not SQLite, or another application's SQLite file."""


class DamagedCache(CacheError):
    """A council cache (it has our meta table) missing a table or with unreadable pages."""

    def _message(self) -> str:
        return f"the council cache {self.path} is damaged: {self.problem}"


# Columns of large tables that no page or report uses, left out of CouncilData's frames: each
# costs reading and memory on every server's first page (issue 17: 45,000 reward payments and
# 20,000 candidacies at 100x). The fetch still stores them; read them with SQL if needed.
UNREAD_COLUMNS: dict[str, tuple[str, ...]] = {
    "reward_payments": ("id", "time", "council_member_id", "reward_account"),
    "candidates": ("staking_account", "reward_account"),
}
# Large tables that a view from a block on (:meth:`CouncilData.since`) reads only from that
# block: frame name -> block column (proposals: decided from the block on). The Overview's
# budget of the newest term reads 45 of 45,000 reward payments at 100x.
SINCE_BLOCK: dict[str, str] = {
    "reward_payments": "block",
    "budget_refills": "block",
    "proposals": "status_set_at_block",
}
BOOL_COLUMNS: dict[str, tuple[str, ...]] = {
    "election_rounds": ("is_finished", "ended_at_time_estimated", "losers_recorded"),
    "councils": ("is_resigned",),
    "proposals": ("is_finalized",),
    "workers": ("is_lead",),
}


class CouncilData:
    """The cache's tables as DataFrames, each read the first time it is used, plus meta facts.

    Attributes: ``members``, ``rounds``, ``candidates``, ``councils``, ``council_members``,
    ``proposals``, ``funding_destinations``, ``proposal_votes``, ``budget_refills``,
    ``reward_payments``, ``councilor_reward_updates``, the testnet archive's ``archive_terms``,
    ``council_roles``, ``council_budget_figures``, ``archive_election_stats`` and
    ``kpi_rewards``, the query node's ``council_stage_updates`` and ``election_failures``, its
    working groups (``working_groups``, ``workers``, ``working_group_events``), the council
    budget's ``council_budget_funded``, ``council_budget_decreased``,
    ``budget_increment_updates`` and ``wg_budget_proposals``, and two vote totals. Votes
    are the one large table (about a million rows at 100x mainnet) and pages need only their
    totals, so
    they arrive aggregated: ``candidate_votes`` (per candidate: revealed votes received and
    their stake) and ``round_votes`` (per round: votes, voters, unrevealed votes, stake). One
    round's votes are read on demand with :func:`load_round_votes`. ``newest_events``: the
    newest row of each large event table (:func:`read_newest_events`), for where the data
    ends. Treat frames as read-only.
    """

    def __init__(
        self,
        path: Path | None = None,
        meta: dict[str, str] | None = None,
        parent: CouncilData | None = None,
        network: str | None = None,
        since: float | None = None,
    ) -> None:
        self._path = Path(path) if path is not None else None
        self._parent = parent
        self._network = network
        self._since = since
        self._frames: dict[str, pd.DataFrame] = {}
        self._lock = threading.Lock()
        self.meta = meta if meta is not None else {}

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name not in FRAME_NAMES:
            raise AttributeError(name)
        with self._lock:
            if name not in self._frames:
                self._frames[name] = self._read(name)
        return self._frames[name]

    def _read(self, name: str) -> pd.DataFrame:
        if self._since is not None:
            return self._read_since(name)
        if self._parent is not None:
            frame = getattr(self._parent, name)
            return frame[frame["network"] == self._network]
        if name == NEWEST_EVENTS:
            if self._path is None or not self._path.exists():
                return _newest_event_frame([])
            with _reading(self._path) as conn:
                return read_newest_events(conn)
        table = _TABLE_OF.get(name)
        if self._path is None or not self._path.exists():
            if table is None:
                return pd.DataFrame(columns=_VOTE_TOTAL_COLUMNS[name])
            frame = _convert(table, _empty_frame(table))
            if table == "election_rounds":
                return with_known_seats(frame, _council_sizes(None))
            return frame
        with _reading(self._path) as conn:
            if table is None:
                return _vote_total(conn, name)
            if table == "election_rounds":
                return with_known_seats(read_table(conn, table), _council_sizes(conn))
            return read_table(conn, table)

    def _read_since(self, name: str) -> pd.DataFrame:
        parent = self._parent
        assert parent is not None
        column = SINCE_BLOCK.get(name)
        if column is None:
            return getattr(parent, name)
        root = self._root()
        path = root._path
        if name in parent._frames or name in root._frames or path is None or not path.exists():
            frame = getattr(parent, name)  # read already: no second read
            return frame[frame[column] >= self._since]
        with _reading(path) as conn:
            where = f'network = ? and "{column}" >= ?'
            return read_table(conn, _TABLE_OF[name], (where, (self._network, self._since)))

    def _root(self) -> CouncilData:
        return self if self._parent is None else self._parent._root()

    def for_network(self, network: str) -> CouncilData:
        """The same tables restricted to one network's rows (also read lazily)."""
        return CouncilData(meta=self.meta, parent=self, network=network)

    def since(self, block: float) -> CouncilData:
        """This network's data (a :meth:`for_network` view) with the large event tables of
        :data:`SINCE_BLOCK` holding only the rows at or after ``block``, read so from the
        cache (the older rows are never read); every other frame is this view's."""
        if self._network is None or self._since is not None:
            raise ValueError("since() needs a for_network() view")
        return CouncilData(meta=self.meta, parent=self, network=self._network, since=block)

    def has_rows(self, name: str) -> bool:
        """Whether the frame ``name`` has a row; for a :meth:`since` view, whether the whole
        network's has. Asks the cache (one index seek) instead of reading a frame not read
        yet."""
        if self._since is not None:
            assert self._parent is not None
            return self._parent.has_rows(name)
        table = _TABLE_OF.get(name)
        root = self._root()
        path = root._path
        loaded = name in self._frames or name in root._frames
        if loaded or table is None or path is None or not path.exists():
            return not getattr(self, name).empty
        with _reading(path) as conn:
            if table not in _tables(conn):
                return False
            where, params = (
                ("", ()) if self._network is None else (" where network = ?", (self._network,))
            )
            found = conn.execute(f"select exists(select 1 from {table}{where})", params)
            return bool(found.fetchone()[0])

    @property
    def networks(self) -> list[str]:
        """The networks that have election rounds in the cache, the most recent data first.

        Ordered by each network's latest round end (time, else none), then by name; the
        testnet archive's older chains thus come after the chain a page should open on.
        """
        rounds = self.rounds.dropna(subset=["network"])
        if rounds.empty:
            return []
        latest = rounds.groupby("network")["ended_at_time"].max()

        def newest_first(network: str) -> tuple[bool, float, str]:
            when = latest[network]
            return (pd.isna(when), 0.0 if pd.isna(when) else -when.timestamp(), network)

        return sorted(latest.index, key=newest_first)

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
    # The testnet council archive (council/archive/importer.py).
    "archive_terms": "archive_terms",
    "council_roles": "council_roles",
    "council_budget_figures": "council_budget_figures",
    "archive_election_stats": "archive_election_stats",
    "kpi_rewards": "kpi_rewards",
    "archive_vote_shares": "vote_shares",  # the mainnet archive (council/archive/mainnet.py)
    "council_stage_updates": "council_stage_updates",
    # Working groups (council/working_groups/).
    "working_groups": "working_groups",
    "workers": "workers",
    "working_group_events": "working_group_events",
    "election_failures": "election_failures",  # council/stats/failed_elections.py
    # The council's budget (council.transform.council_budget_rows).
    "council_budget_funded": "council_budget_funded",
    "council_budget_decreased": "council_budget_decreased",
    "budget_increment_updates": "budget_increment_updates",
    "wg_budget_proposals": "wg_budget_proposals",
}


def _convert(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    for column in AMOUNT_COLUMNS.get(table, ()):
        frame[f"{column}_joy"] = hapi_to_joy(frame.pop(column))
    for column in TIME_COLUMNS.get(table, ()):
        if column not in frame.columns:  # one of the table's UNREAD_COLUMNS
            continue
        frame[column] = pd.to_datetime(frame[column], utc=True, errors="coerce", format="ISO8601")
    for column in BOOL_COLUMNS.get(table, ()):
        frame[column] = frame[column].fillna(0).astype(bool)
    for column in DECIMAL_COLUMNS.get(table, ()):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame


def with_known_seats(rounds: pd.DataFrame, council_sizes: pd.DataFrame) -> pd.DataFrame:
    """``rounds`` with ``seats`` as nullable integers, filled where the source left it null.

    A query node gives a round's seats only with its voting stage (``winningTargetCount``),
    so a fetched round may have none. Then a finished round's seats are the size of the
    council it elected (``next_council_id``; a failed round "elects" the ruling council
    again), and a running round's are the ruling council's size (``council_id``).
    ``council_sizes`` has ``network``, ``council_id`` and ``size`` (its council_members rows).
    Seats stay null only where that council's seats are not in the cache either.
    """
    rounds = rounds.copy()
    seats = pd.to_numeric(rounds["seats"], errors="coerce").astype("Float64")
    sizes = council_sizes.set_index(["network", "council_id"])["size"]

    def size_of(column: str) -> pd.Series:
        keys = pd.MultiIndex.from_frame(rounds[["network", column]].astype(object))
        return pd.Series(sizes.reindex(keys).to_numpy(), index=rounds.index, dtype="Float64")

    finished = rounds["is_finished"].fillna(False).astype(bool)
    derived = size_of("next_council_id").where(finished, size_of("council_id"))
    rounds["seats"] = seats.fillna(derived).round().astype("Int64")
    return rounds


def _council_sizes(conn: sqlite3.Connection | None) -> pd.DataFrame:
    """Seats per council (its council_members rows); empty without a connection."""
    if conn is None:
        return pd.DataFrame(columns=["network", "council_id", "size"])
    try:
        return pd.read_sql_query(
            "select network, council_id, count(*) as size from council_members"
            " group by network, council_id",
            conn,
        )
    except (sqlite3.Error, pd.errors.DatabaseError):
        return pd.DataFrame(columns=["network", "council_id", "size"])


def hapi_to_joy(values: pd.Series) -> pd.Series:
    """HAPI amounts (decimal text, possibly above 2^63, or null) as JOY floats.

    ``float()`` of the decimal text is correctly rounded, also above 2^63.
    """
    as_float = values.map(float, na_action="ignore").astype("float64")
    return as_float / HAPI_PER_JOY


def _empty_frame(table: str) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype="object") for name in read_columns(table)})


def read_columns(table: str) -> list[str]:
    """The columns of ``table`` that :func:`read_table` reads: all but its
    :data:`UNREAD_COLUMNS`."""
    unread = UNREAD_COLUMNS.get(table, ())
    return [column for column in store.TABLES[table].columns if column not in unread]


def read_table(
    conn: sqlite3.Connection, table: str, where: tuple[str, tuple] | None = None
) -> pd.DataFrame:
    """One cache table as a converted DataFrame (empty with its columns when absent), without
    its :data:`UNREAD_COLUMNS`; ``where``: an SQL condition and its parameters, to read only
    those rows (in the order of the whole table's).

    Only an absent table reads as empty; any other SQLite error is raised (as
    ``pd.errors.DatabaseError``), so that a damaged file never shows as a cache without rows.
    """
    wanted = read_columns(table)
    if table in _tables(conn):
        stored = {row[1] for row in conn.execute(f"pragma table_info({table})")}
        present = ", ".join(f'"{column}"' for column in wanted if column in stored)
        if where is None:
            frame = pd.read_sql_query(f"select {present} from {table}", conn)
        else:
            condition, params = where
            query = f"select {present} from {table} where {condition} order by rowid"
            frame = pd.read_sql_query(query, conn, params=params)
    else:  # a cache from before the table was added (see store.CORE_TABLES)
        frame = _empty_frame(table)
    for column in wanted:  # a cache from before a column was added
        if column not in frame.columns:
            frame[column] = pd.Series(None, index=frame.index, dtype="object")
    return _convert(table, frame)


# Frame name -> the derived cache table holding it (``store.VOTE_TOTALS``).
VOTE_TOTALS = {"candidate_votes": "candidate_vote_totals", "round_votes": "round_vote_totals"}
_VOTE_TOTAL_COLUMNS = {
    "candidate_votes": ["network", "candidate_id", "votes_received", "backing_stake_joy"],
    "round_votes": [
        "network", "cycle_id", "votes_cast", "voters", "unrevealed_votes",
        "total_backing_stake_joy",
    ],
}  # fmt: skip


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the cache; SQLite failures leave as :class:`DamagedCache`."""
    try:
        with contextlib.closing(_connect(path)) as conn:
            yield conn
    except (sqlite3.DatabaseError, pd.errors.DatabaseError) as error:
        raise DamagedCache(path, _sqlite_reason(error)) from error


def _sqlite_reason(error: BaseException) -> str:
    # pandas wraps SQLite's message as "Execution failed on sql '...': <message>".
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text.rsplit("': ", 1)[-1]


def check_cache(path: Path) -> None:
    """Raise :class:`CacheError` unless ``path`` is a council cache, or absent or empty.

    An absent or empty (0-byte) file is "no cache yet", which is not an error. Otherwise the
    file must be an SQLite database with the cache's meta table (holding its schema version)
    and every table of ``store.CORE_TABLES``; tables added to the schema later may be absent
    (read as empty).
    """
    path = Path(path)
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise NotACouncilCache(path, "it is a directory") from None
    except OSError as error:
        raise NotACouncilCache(path, f"it cannot be read ({error.strerror})") from None
    if not header:
        return
    if header != SQLITE_HEADER:
        raise NotACouncilCache(path, "it is not an SQLite database")
    with _reading(path) as conn:
        tables = _tables(conn)
        if store.META_TABLE not in tables:
            raise NotACouncilCache(
                path,
                "it is an SQLite database without the cache's meta table"
                " (another application's file?)",
            )
        version = conn.execute(
            f"select value from {store.META_TABLE} where key = 'schema_version'"
        ).fetchone()
    if version is None:
        raise NotACouncilCache(path, "its meta table records no schema_version")
    missing = [table for table in store.CORE_TABLES if table not in tables]
    if missing:
        noun, verb = ("table", "is") if len(missing) == 1 else ("tables", "are")
        raise DamagedCache(path, f"{noun} {', '.join(missing)} {verb} missing")


def _vote_total(conn: sqlite3.Connection, name: str) -> pd.DataFrame:
    table = VOTE_TOTALS[name]
    try:
        return pd.read_sql_query(f"select * from {table}", conn)
    except (sqlite3.Error, pd.errors.DatabaseError):
        pass
    try:  # a cache written before the totals were stored: aggregate the votes now
        return pd.read_sql_query(store.VOTE_TOTALS[table], conn)
    except (sqlite3.Error, pd.errors.DatabaseError):
        return pd.DataFrame(columns=_VOTE_TOTAL_COLUMNS[name])


_TABLE_OF = {attr: table for table, attr in _TABLE_ATTRS.items()}
# The CouncilData frame of :func:`read_newest_events` (one row per network and EVENT_BLOCKS).
NEWEST_EVENTS = "newest_events"
FRAME_NAMES = frozenset(_TABLE_OF) | frozenset(VOTE_TOTALS) | {NEWEST_EVENTS}


def _newest_event_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(NEWEST_EVENT_COLUMNS)).astype(
        {"network": object, "table": object, "block_column": object}
    )
    frame["block"] = pd.to_numeric(frame["block"]).astype("Int64")
    frame["time"] = pd.to_datetime(frame["time"], utc=True, errors="coerce", format="ISO8601")
    return frame


def read_newest_events(conn: sqlite3.Connection) -> pd.DataFrame:
    """The newest row of every :data:`EVENT_BLOCKS` table and block column, per network with
    election rounds: ``network``, ``table``, ``block_column``, ``block`` (Int64) and ``time``
    (UTC; that row's, NaT when it has none). One row per network and entry with a block; a
    table absent from an older cache (or without the column) gives none.

    Index seeks, not table scans: each table's index on (network, block) (on (network, kind,
    block), kind by kind, for ``working_group_events``); a table without one (a cache written
    before it existed) is read through its network's rows.
    """
    present = _tables(conn)
    networks = [
        row[0]
        for row in conn.execute("select distinct network from election_rounds")
        if row[0] is not None
    ]
    rows: list[tuple] = []
    for table, block, time in EVENT_BLOCKS:
        if table not in present:  # a cache from before the table existed
            continue
        columns = {row[1] for row in conn.execute(f"pragma table_info({table})")}
        if not {block, time} <= columns:
            continue
        for network in networks:
            if table == "working_group_events":
                found = _newest_wg_event(conn, network)
            else:
                found = conn.execute(
                    f"select {block}, {time} from {table} where network = ?"
                    f" and {block} is not null order by {block} desc limit 1",
                    (network,),
                ).fetchone()
            if found is not None:
                rows.append((network, table, block, *found))
    return _newest_event_frame(rows)


def _newest_wg_event(conn: sqlite3.Connection, network: str) -> tuple | None:
    """``(block, time)`` of one network's newest working-group event, or None: the newest of
    each kind's, each one seek on the index (network, kind, block), the kinds found by
    seeking from one to the next (no scan of the events)."""
    kinds = conn.execute(
        "with recursive k(kind) as ("
        " select min(kind) from working_group_events where network = ?1"
        " union all select (select min(kind) from working_group_events"
        "  where network = ?1 and kind > k.kind) from k where k.kind is not null)"
        " select kind from k where kind is not null",
        (network,),
    ).fetchall()
    newest = None
    for (kind,) in kinds:
        found = conn.execute(
            "select block, time from working_group_events where network = ? and kind = ?"
            " and block is not null order by block desc limit 1",
            (network, kind),
        ).fetchone()
        if found is not None and (newest is None or found[0] > newest[0]):
            newest = found
    return newest


def load(path: Path) -> CouncilData:
    """The cache at ``path``; tables are read when first used. A missing file reads as empty.

    Raises :class:`CacheError` when the file is not a council cache or is damaged (checked
    here; a damaged page found only when a table is read raises it then).
    """
    check_cache(Path(path))
    return CouncilData(Path(path), meta=store.read_meta(Path(path)))


def load_round_votes(path: Path, network: str, cycle_id: int) -> pd.DataFrame:
    """Every vote of one round (amounts in JOY); empty when the cache has none."""
    if not Path(path).exists():
        return _convert("votes", _empty_frame("votes"))
    with _reading(Path(path)) as conn:
        frame = pd.read_sql_query(
            "select * from votes where network = ? and cycle_id = ?",
            conn,
            params=(network, int(cycle_id)),
        )
    return _convert("votes", frame)


# The columns of ``votes`` the voter statistics use (council/stats/voters.py).
VOTER_COLUMNS = ("network", "cycle_id", "cast_by", "stake", "vote_power", "vote_for_candidate_id")


def load_network_votes(path: Path, network: str) -> pd.DataFrame:
    """Every vote of one network, only the columns the voter statistics use (amounts in JOY);
    empty when the cache has none."""
    if not Path(path).exists():
        frame = _empty_frame("votes")[list(VOTER_COLUMNS)]
        return _convert("votes", frame)
    with _reading(Path(path)) as conn:
        frame = pd.read_sql_query(
            f"select {', '.join(VOTER_COLUMNS)} from votes where network = ?",
            conn,
            params=(network,),
        )
    return _convert("votes", frame)


def table_sizes(path: Path) -> dict[str, int]:
    """Row count of every cache table (0 for a missing table or file).

    Raises :class:`CacheError` as :func:`load` does.
    """
    sizes = dict.fromkeys(store.TABLES, 0)
    check_cache(Path(path))
    if Path(path).exists() and Path(path).stat().st_size:
        with _reading(Path(path)) as conn:
            present = _tables(conn)
            for table in store.TABLES:
                if table in present:
                    sizes[table] = conn.execute(f"select count(*) from {table}").fetchone()[0]
    return sizes


def cache_mtime(path: Path) -> float:
    """The cache file's modification time (0 when absent): the key for page-level caching."""
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0


def refresh_window(path: Path, network: str) -> dict[str, Any] | None:
    """Where an incremental refresh of ``network`` must start, read from the cache.

    ``cycle_from``: the oldest unfinished round (else the newest); ``council_block_from``: the
    election block of the oldest council still in office (else the newest); the newest
    proposal status block, proposal vote block, event blocks and council stage update block;
    and lookups the converter needs for rows it will not see again. None when the cache has
    no rounds of ``network``.
    """
    if not Path(path).exists():
        return None
    with contextlib.closing(_connect(path)) as conn:

        def one(sql: str) -> Any:
            return conn.execute(sql, (network,)).fetchone()[0]

        try:
            cycle_from = one(
                "select coalesce(min(case when is_finished = 0 then cycle_id end), max(cycle_id))"
                " from election_rounds where network = ?"
            )
        except sqlite3.Error:
            return None
        if cycle_from is None:
            return None
        window = {
            "cycle_from": cycle_from,
            "council_block_from": one(
                "select coalesce(min(case when is_resigned = 0 then elected_at_block end),"
                " max(elected_at_block), 0) from councils where network = ?"
            ),
            "proposal_block_from": one(
                "select coalesce(max(status_set_at_block), 0) from proposals where network = ?"
            ),
            "vote_block_from": one(
                "select coalesce(max(voted_at_block), 0) from proposal_votes where network = ?"
            ),
        }
        if "wg_budget_proposals" not in _tables(conn):
            # A cache from before the table: read every proposal again, or the amounts of the
            # working-group budget proposals decided before the upgrade would stay missing.
            window["proposal_block_from"] = 0
        for table in ("budget_refills", "reward_payments", "councilor_reward_updates"):
            window[f"{table}_from"] = one(
                f"select coalesce(max(block), 0) from {table} where network = ?"
            )
        try:
            window["council_stage_updates_from"] = one(
                "select coalesce(max(changed_at_block), 0) from council_stage_updates"
                " where network = ?"
            )
        except sqlite3.Error:  # a cache from before the table existed: read them all
            window["council_stage_updates_from"] = 0
        window["wg_event_blocks"] = _wg_event_blocks(conn, network)
        for table in INCREMENTAL_EVENT_TABLES:
            try:
                window[f"{table}_from"] = one(
                    f"select coalesce(max(block), 0) from {table} where network = ?"
                )
            except sqlite3.Error:  # a cache from before the table existed: read them all
                window[f"{table}_from"] = 0
        window["cycle_of_round"] = dict(
            conn.execute(
                "select round_id, cycle_id from election_rounds where network = ?", (network,)
            ).fetchall()
        )
        councils = conn.execute(
            "select id, elected_at_block, elected_in_cycle_id from councils where network = ?",
            (network,),
        ).fetchall()
        window["council_block"] = {c[0]: c[1] for c in councils}
        window["elected_in"] = {c[0]: c[2] for c in councils if c[2] is not None}
    return window


def _wg_event_blocks(conn: sqlite3.Connection, network: str) -> dict[str, int]:
    """The newest block of each kind of working-group event in the cache, by query node
    list field (an incremental refresh reads each list from there on; absent: from 0)."""
    from council.working_groups.records import WG_EVENT_LISTS

    try:
        newest = dict(
            conn.execute(
                "select kind, max(block) from working_group_events where network = ? group by kind",
                (network,),
            ).fetchall()
        )
    except sqlite3.Error:  # a cache from before the table existed: read them all
        return {}
    return {
        field: int(newest[kind])
        for field, kind in WG_EVENT_LISTS.items()
        if newest.get(kind) is not None
    }


# The columns of ``working_group_events`` the Working groups page uses (council/working_groups/).
WG_EVENT_COLUMNS = (
    "kind", "event_id", "group_id", "worker_id", "member_id", "amount", "payment_type",
    "rationale", "block", "time",
)  # fmt: skip


# Of those, the ones kept as pandas text (as ``read_table`` keeps all): the rest stay objects.
WG_COMPARED_COLUMNS = ("kind", "group_id", "worker_id")


def load_wg_events(path: Path, network: str) -> pd.DataFrame:
    """One network's working-group events, only ``WG_EVENT_COLUMNS`` (``amount_joy`` in JOY,
    ``time`` UTC, as :func:`read_table` converts them; other text columns as plain objects
    but ``WG_COMPARED_COLUMNS``); empty
    with those columns when the cache has none.

    A table scan straight into columns: at 100x (200,000 events) about a third of the CPU of
    ``CouncilData.working_group_events`` (every column, through ``read_sql_query``).
    """
    return _wg_event_frame(
        path,
        lambda select: (f"select {select} from {_WGE} not indexed where network = ?", (network,)),
    )


_WGE = "working_group_events"


def load_wg_rewards(path: Path, network: str, group: str) -> pd.DataFrame:
    """One group's reward payments, one row each, columns as :func:`load_wg_events` (what the
    Working groups page reads to show a group in detail, beside the group's other events,
    which :func:`load_wg_page_events` holds as rows). Only what the detail shows is read:
    ``worker_id`` and ``rationale`` (none for a payment) are left empty."""
    read = ("event_id", "member_id", "amount", "payment_type", "block", "time")
    return _wg_event_frame(
        path,
        lambda select: (
            f"select {select} from {_WGE} where network = ? and group_id = ?"
            " and kind = 'reward_paid'",
            (network, group),
        ),
        read,
        {"kind": "reward_paid", "group_id": group},
    )


def load_wg_page_events(path: Path, network: str) -> pd.DataFrame:
    """What the Working groups page reads of one network's events: every event but the reward
    payments as rows, and the payments as the derived table's sums (``store``'s
    ``write_wg_reward_totals``: kind ``reward_paid``, worker_id only for workers who were
    ever lead, no member or payment type), columns as :func:`load_wg_events`. A cache written
    before that table existed gives every payment as a row (:func:`load_wg_events`).
    """
    from council.working_groups.reward_totals import REWARD_TOTALS

    if not Path(path).exists():
        return load_wg_events(path, network)
    with _reading(Path(path)) as conn:
        if REWARD_TOTALS not in _tables(conn):  # an older cache: every payment as a row
            return load_wg_events(path, network)
    sums = (
        "select 'reward_paid', event_id, group_id, worker_id, null, amount, null, null, block,"
        f" time from {REWARD_TOTALS} where network = ?"
    )

    def query(select: str) -> tuple[str, tuple]:
        # Two index ranges either side of 'reward_paid' (the index on network, kind, block).
        rows = (
            f"select {select} from {_WGE} where network = ?"
            " and (kind < 'reward_paid' or kind > 'reward_paid')"
        )
        return f"{rows} union all {sums}", (network, network)

    return _wg_event_frame(path, query)


def _wg_event_frame(
    path: Path,
    query: Any,
    read: tuple[str, ...] = WG_EVENT_COLUMNS,
    fill: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The events ``query(select)`` (SQL and parameters) reads, as :func:`load_wg_events`
    gives them; ``read``: the columns the query selects, the others of ``WG_EVENT_COLUMNS``
    are ``fill``'s value (else null) on every row."""
    names = list(WG_EVENT_COLUMNS)
    empty = _convert("working_group_events", _empty_frame("working_group_events")[names])
    if not Path(path).exists():
        return empty
    with _reading(Path(path)) as conn:
        if "working_group_events" not in _tables(conn):
            return empty
        present = {row[1] for row in conn.execute("pragma table_info(working_group_events)")}
        select = ", ".join(n if n in present else f"null as {n}" for n in read)
        rows = conn.execute(*query(select)).fetchall()
    if not rows:
        return empty
    # One C pass from row tuples to columns; every column is then built anew, so that no
    # view keeps the whole array (and every string the read made) alive.
    table = np.array(rows, dtype=object).T
    del rows
    raw = {name: table[i] for i, name in enumerate(read)}
    for name in names:
        if name not in raw:
            raw[name] = np.full(table.shape[1], (fill or {}).get(name), dtype=object)
    converted = _convert(
        "working_group_events", pd.DataFrame({"amount": raw["amount"], "time": raw["time"]})
    )
    columns: dict[str, pd.Series] = {}
    for name in names:
        if name in WG_COMPARED_COLUMNS:  # compared and grouped on often: pandas text is faster
            columns[name] = pd.Series(raw[name], dtype="str")
        elif name in ("member_id", "payment_type"):  # few values: one string each, shared
            codes, values = pd.factorize(raw[name])
            shared = np.append(np.asarray(values, dtype=object), None)[codes]  # -1: None
            columns[name] = pd.Series(shared, dtype=object)
        elif name == "block":
            columns[name] = pd.to_numeric(pd.Series(raw[name].copy()))
        elif name in ("event_id", "rationale"):
            columns[name] = pd.Series(raw[name].copy(), dtype=object)
    columns["time"] = converted["time"]
    columns["amount_joy"] = converted["amount_joy"]
    del table, raw, converted
    return pd.DataFrame(columns)


def _joy_from_text(values: Any) -> pd.Series:
    """HAPI decimal texts (a list or an Arrow array; None, '' or 'nan' for null) as JOY
    floats, as :func:`hapi_to_joy` gives them.

    Arrow's text-to-double cast is correctly rounded like ``float()``, without a Python call
    per value (a million votes: seconds saved)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    if pc.any(pc.equal(text, "")).as_py():
        text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    as_float = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    return pd.Series(as_float, dtype="float64") / HAPI_PER_JOY


def _text_categorical(values: Any) -> pd.Categorical:
    """Texts (a list or an Arrow array; None or '' for null) as a categorical whose
    categories are in text order, encoded by Arrow (no Python call per value)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = values if isinstance(values, pa.Array) else pa.array(values, pa.string())
    encoded = pc.dictionary_encode(text)
    names = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")
    kept = np.flatnonzero(names != "")
    kept = kept[np.argsort(names[kept], kind="stable")]
    recode = np.full(len(names) + 1, -1, dtype="int64")  # the last entry: null stays null
    recode[kept] = np.arange(len(kept))
    return pd.Categorical.from_codes(recode[codes], categories=pd.Index(names[kept], dtype=str))


def _voter_frame(cycles: Any, accounts: Any, candidates: Any, stakes: Any) -> pd.DataFrame:
    """The compact votes of :func:`load_voter_votes` from four equally long columns (Python
    lists or Arrow arrays; '' or None for an unrevealed vote's candidate)."""
    return pd.DataFrame(
        {
            "cycle_id": np.asarray(cycles, dtype="int64"),
            "cast_by": accounts
            if isinstance(accounts, pd.Categorical)
            else _text_categorical(accounts),
            "vote_for_candidate_id": _text_categorical(candidates),
            "stake_joy": _joy_from_text(stakes),
        }
    )


def _voter_histories(conn: sqlite3.Connection, network: str) -> pd.DataFrame | None:
    """The votes of ``network`` from the derived ``voter_histories`` table (one row per
    account, its votes as comma-separated lists), split by Arrow; None when the cache has no
    such table or a list does not match its vote count."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if "voter_histories" not in _tables(conn):  # a cache from before the table existed
        return None
    rows = conn.execute(
        "select cast_by, votes, cycle_ids, stakes, candidate_ids from voter_histories"
        " where network = ?",
        (network,),
    ).fetchall()
    if not rows:
        return _voter_frame([], [], [], [])
    accounts, counts, cycle_ids, stakes, candidate_ids = zip(*rows, strict=True)
    if None in accounts:  # votes without an account: read the votes themselves
        return None
    lists = []
    for texts in (cycle_ids, stakes, candidate_ids):
        split = pc.split_pattern(pa.array(texts, pa.string()), ",")
        if not np.array_equal(pc.list_value_length(split).to_numpy(), counts):
            return None  # a separator inside a value: read the votes themselves
        lists.append(pc.list_flatten(split))
    names = np.asarray(accounts, dtype=object)
    order = np.argsort(names, kind="stable")  # categories in text order (usually already)
    rank = np.empty(len(names), dtype="int64")
    rank[order] = np.arange(len(names))
    owners = pd.Categorical.from_codes(
        np.repeat(rank, counts), categories=pd.Index(names[order], dtype=str)
    )
    cycles = pc.cast(lists[0], pa.int64()).to_numpy(zero_copy_only=False)
    return _voter_frame(cycles, owners, lists[2], lists[1])


def load_voter_votes(path: Path, network: str) -> pd.DataFrame:
    """Every vote of one network in the compact form the Voters page keeps in memory:
    ``cycle_id`` (int64), ``cast_by`` and ``vote_for_candidate_id`` (categoricals with their
    categories in text order; the candidate null while unrevealed) and ``stake_joy``.

    Read from the derived ``voter_histories`` table (7,000 rows at 100x instead of a million
    votes), else (an older cache) from the votes themselves. The same votes as
    :func:`load_network_votes` (without ``vote_power_joy``, and without a vote of no round,
    which no round's figures count), in no particular order. Empty (with those columns) when
    the cache has none.
    """
    if not Path(path).exists():
        return _voter_frame([], [], [], [])
    with _reading(Path(path)) as conn:
        frame = _voter_histories(conn, network)
        if frame is not None:
            return frame
        rows = conn.execute(
            "select cycle_id, cast_by, vote_for_candidate_id, stake from votes"
            " where network = ? and cycle_id is not null",
            (network,),
        ).fetchall()
    return _voter_frame(*(zip(*rows, strict=True) if rows else ([],) * 4))


def load_account_votes(path: Path, network: str, account: str) -> pd.DataFrame:
    """Every vote ``account`` cast on ``network`` (the columns of :func:`load_network_votes`),
    read through the votes' index: one seek per round instead of a scan of every vote."""
    columns = ", ".join(VOTER_COLUMNS)
    if not Path(path).exists():
        return _convert("votes", _empty_frame("votes")[list(VOTER_COLUMNS)])
    with _reading(Path(path)) as conn:
        # The index leads with (network, cycle_id, cast_by): list the rounds so SQLite seeks.
        rounds = "select cycle_id from round_vote_totals where network = ?"
        if "round_vote_totals" not in _tables(conn):  # a cache from before the totals
            rounds = "select distinct cycle_id from votes where network = ?"
        cursor = conn.execute(
            f"select {columns}, rowid from votes where network = ? and cycle_id in ({rounds})"
            " and cast_by = ?",
            (network, network, account),
        )
        rows = cursor.fetchall()
    # In the order the full read (load_network_votes) meets them, through the index on
    # (network, vote_for_candidate_id, stake; nulls first): one round's votes keep their
    # order. Sorted here: an ORDER BY makes SQLite scan that index instead of seeking.
    candidate, stake = VOTER_COLUMNS.index("vote_for_candidate_id"), VOTER_COLUMNS.index("stake")
    rows.sort(
        key=lambda row: (
            row[candidate] is not None,
            row[candidate] or "",
            row[stake] is not None,
            row[stake] or "",
            row[-1],
        )
    )
    frame = pd.DataFrame([row[:-1] for row in rows], columns=list(VOTER_COLUMNS))
    return _convert("votes", frame)
