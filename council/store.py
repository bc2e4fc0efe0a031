"""The SQLite cache: schema, atomic replacement and the meta table.

This is the only module that writes the cache. Every table carries a ``network`` column
(``mainnet``, ``sumer``, ...) so that data from different chains never mixes: the same
cycle id or member id means different things on different networks, so primary keys are
``(network, id)``.

Amounts (stakes, vote power, rewards) are stored exactly as the chain gives them, in HAPI,
as decimal text: they can exceed 2^63, which SQLite integers cannot hold.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from council import locations

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class TableSpec:
    """One cache table: its columns (name -> Python type), primary key and indexes."""

    name: str
    columns: dict[str, type]
    pk: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...] = ()


# Column types: str for text (including HAPI amounts), int for integers and booleans.
TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "members",
            {"network": str, "id": str, "handle": str, "root_account": str},
            pk=("network", "id"),
            indexes=(("handle",),),
        ),
        TableSpec(
            "election_rounds",
            {
                "network": str,
                "cycle_id": int,
                "round_id": str,
                "is_finished": int,
                "started_at_block": int,
                "ended_at_block": int,
                "ended_at_time": str,
                "ended_at_time_estimated": int,
                "seats": int,
                "voting_started_at_block": int,
                "voting_ends_at_block": int,
                "revealing_started_at_block": int,
                "revealing_ends_at_block": int,
                "council_id": str,
                "next_council_id": str,
                "losers_recorded": int,
                "source": str,
            },
            pk=("network", "cycle_id"),
            indexes=(("ended_at_block",),),
        ),
        TableSpec(
            "candidates",
            {
                "network": str,
                "id": str,
                "cycle_id": int,
                "member_id": str,
                "stake": str,
                "vote_power": str,
                "status": str,
                "staking_account": str,
                "reward_account": str,
                "note_header": str,
                "note_bullet_points": str,
            },
            pk=("network", "id"),
            indexes=(("network", "cycle_id"), ("network", "member_id")),
        ),
        TableSpec(
            "votes",
            {
                "network": str,
                "id": str,
                "cycle_id": int,
                "cast_by": str,
                "voter_member_id": str,
                "stake": str,
                "vote_power": str,
                "vote_for_candidate_id": str,
                "commitment": str,
            },
            pk=("network", "id"),
            # Covering indexes: the app reads votes as totals per round and per candidate.
            indexes=(
                ("network", "cycle_id", "cast_by", "vote_for_candidate_id", "stake"),
                ("network", "vote_for_candidate_id", "stake"),
            ),
        ),
        TableSpec(
            "councils",
            {
                "network": str,
                "id": str,
                "elected_in_cycle_id": int,
                "elected_at_block": int,
                "elected_at_time": str,
                "ended_at_block": int,
                "ended_at_time": str,
                "is_resigned": int,
            },
            pk=("network", "id"),
            indexes=(("elected_at_block",),),
        ),
        TableSpec(
            "council_members",
            {
                "network": str,
                "id": str,
                "council_id": str,
                "member_id": str,
                "stake": str,
                "accumulated_reward": str,
                "unpaid_reward": str,
                "last_payment_block": int,
                # Archive (term reports): the seat's voter stake and proposal votes cast.
                "backing_stake": str,
                "proposal_votes_cast": int,
            },
            pk=("network", "id"),
            indexes=(("network", "council_id"), ("network", "member_id")),
        ),
        TableSpec(
            "proposals",
            {
                "network": str,
                "id": str,
                "title": str,
                "type": str,
                "status": str,
                "creator_id": str,
                "council_approvals": int,
                "is_finalized": int,
                "created_at_block": int,
                "created_at_time": str,
                "status_set_at_block": int,
                "status_set_at_time": str,
                "funding_amount": str,
                # Archive (term reports): what the report says where the chain would say more.
                "creator_handle": str,
                "status_text": str,
                "blocks_to_finalize": int,
                "council_id": str,
                "source": str,
            },
            pk=("network", "id"),
            indexes=(("network", "created_at_block"), ("network", "type")),
        ),
        TableSpec(
            "funding_destinations",
            {
                "network": str,
                "id": str,
                "proposal_id": str,
                "account": str,
                "amount": str,
            },
            pk=("network", "id"),
            indexes=(("network", "proposal_id"),),
        ),
        TableSpec(
            "proposal_votes",
            {
                "network": str,
                "id": str,
                "proposal_id": str,
                "voter_member_id": str,
                "vote_kind": str,
                "rationale": str,
                "voting_round": int,
                "voted_at_block": int,
                "voted_at_time": str,
                # Archive: the council whose report lists the vote (no block recorded).
                "council_id": str,
            },
            pk=("network", "id"),
            indexes=(
                ("network", "proposal_id"),
                ("network", "voter_member_id"),
                ("network", "voted_at_block"),
            ),
        ),
        TableSpec(
            "budget_refills",
            {"network": str, "id": str, "block": int, "time": str, "balance": str},
            pk=("network", "id"),
            indexes=(("network", "block"),),
        ),
        TableSpec(
            "reward_payments",
            {
                "network": str,
                "id": str,
                "block": int,
                "time": str,
                "council_member_id": str,
                "reward_account": str,
                "paid": str,
                "missing": str,
            },
            pk=("network", "id"),
            indexes=(("network", "council_member_id"), ("network", "block")),
        ),
        TableSpec(
            "councilor_reward_updates",
            {"network": str, "id": str, "block": int, "time": str, "reward_per_block": str},
            pk=("network", "id"),
            indexes=(("network", "block"),),
        ),
        # The testnet council archive (council/archive/importer.py): hand-written term reports.
        TableSpec(
            "archive_terms",
            {
                "network": str,
                "council_id": str,
                "testnet": str,
                "cycle_id": int,
                "round_label": str,
                "term": int,
                "kpi_round": str,
                "start_block": int,
                "end_block": int,
                "start_date": str,
                "end_date": str,
                "report_date": str,
                "members_recorded": int,
                "proposals_listed": int,
                "proposals_cancelled": int,
                "source": str,
            },
            pk=("network", "council_id"),
        ),
        TableSpec(
            "council_roles",
            {"network": str, "council_id": str, "member_id": str, "role": str},
            pk=("network", "council_id", "member_id", "role"),
        ),
        TableSpec(
            "council_budget_figures",
            {"network": str, "council_id": str, "label": str, "value": str, "unit": str},
            pk=("network", "council_id", "label"),
        ),
        TableSpec(
            "archive_election_stats",
            {
                "network": str,
                "cycle_id": int,
                "applicants": int,
                "applicant_stake": str,
                "election_stake": str,
                "votes": int,
                "source": str,
            },
            pk=("network", "cycle_id"),
        ),
        TableSpec(
            "kpi_rewards",
            {
                "network": str,
                "kpi_round": int,
                "member_id": str,
                "handle": str,
                "reward_usd": str,
                "reward": str,
                "source": str,
            },
            pk=("network", "kpi_round", "member_id"),
        ),
        # The mainnet council archive (council/archive/mainnet.py): vote shares the term
        # reports give for the elected seats (percent of the election's vote stake).
        TableSpec(
            "archive_vote_shares",
            {"network": str, "cycle_id": int, "member_id": str, "share_pct": str, "source": str},
            pk=("network", "cycle_id", "member_id"),
        ),
        # The query node's council stage updates (council/queries/council_stage_updates.graphql).
        TableSpec(
            "council_stage_updates",
            {
                "network": str,
                "id": str,
                "changed_at_block": int,
                "changed_at_time": str,
                "stage": str,
                "ends_at_block": int,
                "candidates_count": int,
                "council_id": str,
            },
            pk=("network", "id"),
            indexes=(("network", "changed_at_block"),),
        ),
        # Failed election attempts: the query node's notEnoughCandidatesEvents and
        # newCouncilNotElectedEvents (council/queries/*_events.graphql), one row each.
        TableSpec(
            "election_failures",
            {"network": str, "id": str, "kind": str, "block": int, "time": str},
            pk=("network", "id"),
            indexes=(("network", "block"),),
        ),
        # The council's budget (council/queries/council_budget_*.graphql,
        # budget_increment_updates.graphql, and UpdateWorkingGroupBudget proposal details).
        TableSpec(
            "council_budget_funded",
            {
                "network": str,
                "id": str,
                "block": int,
                "time": str,
                "member_id": str,
                "amount": str,
                "rationale": str,
            },
            pk=("network", "id"),
            indexes=(("network", "block"),),
        ),
        TableSpec(
            "council_budget_decreased",
            {"network": str, "id": str, "block": int, "time": str, "amount": str},
            pk=("network", "id"),
            indexes=(("network", "block"),),
        ),
        TableSpec(
            "budget_increment_updates",
            {"network": str, "id": str, "block": int, "time": str, "amount": str},
            pk=("network", "id"),
            indexes=(("network", "block"),),
        ),
        TableSpec(
            "wg_budget_proposals",
            {"network": str, "id": str, "group_id": str, "group_name": str, "amount": str},
            pk=("network", "id"),
        ),
    )
}

# --- Working groups (council/working_groups/records.py) ----------------------------------------
WORKING_GROUP_TABLES = (
    TableSpec(
        "working_groups",
        {"network": str, "id": str, "name": str, "budget": str, "leader_worker_id": str},
        pk=("network", "id"),
    ),
    TableSpec(
        "workers",
        {
            "network": str,
            "id": str,
            "group_id": str,
            "runtime_id": int,
            "member_id": str,
            "is_lead": int,
            "status": str,
            "stake": str,
            "reward_per_block": str,
            "missing_reward": str,
            "hired_at_block": int,
            "hired_at_time": str,
            "leaving_at_block": int,
            "ended_at_block": int,
            "ended_at_time": str,
        },
        pk=("network", "id"),
        indexes=(("network", "group_id"),),
    ),
    TableSpec(
        "working_group_events",
        {
            "network": str,
            "id": str,
            "kind": str,
            "event_id": str,
            "group_id": str,
            "worker_id": str,
            "member_id": str,
            "amount": str,
            "payment_type": str,
            "account": str,
            "rationale": str,
            "block": int,
            "time": str,
        },
        pk=("network", "id"),
        indexes=(("network", "kind", "block"), ("network", "group_id")),
    ),
)
TABLES.update({spec.name: spec for spec in WORKING_GROUP_TABLES})

META_TABLE = "meta"

# The tables every council cache has had since its first version: one without any of them is
# damaged. Tables added later may be absent from an older cache and read as empty.
CORE_TABLES = ("members", "election_rounds", "candidates", "votes", "councils", "council_members")

# Rows for each table, keyed by table name.
TableRows = Mapping[str, Iterable[Mapping[str, Any]]]


def default_db_path() -> Path:
    """The cache path: $COUNCIL_DB, or data/council.db beside the project.

    An installed copy without the project folder uses ./data/council.db (council.locations).
    """
    env = os.environ.get("COUNCIL_DB")
    if env:
        return Path(env)
    return locations.writable_data_dir() / "council.db"


def create_schema(db: sqlite_utils.Database) -> None:
    """Create every cache table (empty) with its primary key and indexes."""
    for spec in TABLES.values():
        table = db.table(spec.name)
        table.create(spec.columns, pk=list(spec.pk), if_not_exists=True)
        for index in spec.indexes:
            table.create_index(list(index), if_not_exists=True)
    db.table(META_TABLE).create({"key": str, "value": str}, pk="key", if_not_exists=True)


def insert_rows(db: sqlite_utils.Database, rows: TableRows) -> None:
    """Upsert rows into their tables; unknown tables or columns are a programming error."""
    for name, records in rows.items():
        spec = TABLES[name]
        records = list(records)
        for record in records[:1]:
            unknown = set(record) - set(spec.columns)
            if unknown:
                raise ValueError(f"{name}: unknown columns {sorted(unknown)}")
        db.table(name).upsert_all(records, pk=list(spec.pk), columns=spec.columns, alter=False)


def write_meta(db: sqlite_utils.Database, meta: Mapping[str, Any]) -> None:
    """Store key/value facts about the cache (source, refresh time, schema version)."""
    db.table(META_TABLE).upsert_all(
        [{"key": k, "value": "" if v is None else str(v)} for k, v in meta.items()], pk="key"
    )


def read_meta(path: Path) -> dict[str, str]:
    """The meta table of the cache at ``path`` ({} when there is no usable cache)."""
    if not path.exists():
        return {}
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            return dict(conn.execute(f"select key, value from {META_TABLE}").fetchall())
    except sqlite3.Error:
        return {}


def write_problem(path: Path) -> str | None:
    """Why no cache can be written at ``path`` (None when one can), as one line.

    ``path`` must not be a directory, and its folder (created on write when missing) must be
    one where a file can be made: a temporary file is created there and removed.
    """
    path = Path(path)
    if path.is_dir():
        return f"{path} is a directory"
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder} is not a directory"
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{path.name}.", suffix=".probe"):
            pass
    except OSError as error:
        return f"cannot create files in {folder} ({error.strerror})"
    return None


def utc_now_iso() -> str:
    """The current UTC time as an ISO 8601 string with a Z suffix."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _fsync(path: Path) -> None:
    """Flush a file (or a directory entry) to disk, so a swap survives a power cut."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Derived tables: vote totals per round and per candidate, and each voter's history, rebuilt on
# every write. Votes are the one large table (a million rows at 100x mainnet); pages need only
# these totals, and aggregating them when a page first loads took most of its time.
VOTE_TOTALS = {
    "candidate_vote_totals": """
        select network, vote_for_candidate_id as candidate_id, count(*) as votes_received,
               sum(cast(stake as real)) / 1e10 as backing_stake_joy
        from votes where vote_for_candidate_id is not null
        group by network, vote_for_candidate_id""",
    "round_vote_totals": """
        select network, cycle_id, count(*) as votes_cast, count(distinct cast_by) as voters,
               sum(vote_for_candidate_id is null) as unrevealed_votes,
               sum(cast(stake as real)) / 1e10 as total_backing_stake_joy
        from votes group by network, cycle_id""",
    # One row per voting account: its votes as comma-separated lists, all three in the same
    # order (one aggregate pass feeds them; a null stake is 'nan' and an unrevealed vote's
    # candidate empty, never skipped). The Voters page reads these 7,000 rows at 100x instead of a
    # million votes (council.data.load_voter_votes).
    "voter_histories": """
        select network, cast_by, count(*) as votes,
               group_concat(cycle_id, ',') as cycle_ids,
               group_concat(coalesce(stake, 'nan'), ',') as stakes,
               group_concat(coalesce(vote_for_candidate_id, ''), ',') as candidate_ids
        from (select network, cast_by, cycle_id, stake, vote_for_candidate_id from votes
              where cycle_id is not null order by network, cast_by, cycle_id, id)
        group by network, cast_by""",
}


def write_vote_totals(conn: sqlite3.Connection) -> None:
    """(Re)build the derived vote-total tables from the votes table."""
    for table, select in VOTE_TOTALS.items():
        conn.execute(f"drop table if exists {table}")
        conn.execute(f"create table {table} as {select}")


# Derived table: working-group reward payments summed per group, day, term and budget set
# (council.working_groups.reward_totals), rebuilt on every write. Reward payments are nearly
# all of working_group_events (200,000 at 100x); the Working groups page reads these sums.
def write_wg_reward_totals(conn: sqlite3.Connection) -> None:
    """(Re)build the derived working-group reward totals from ``working_group_events``."""
    from council.working_groups.reward_totals import write_reward_totals

    write_reward_totals(conn)


@contextlib.contextmanager
def atomic_cache(path: Path) -> Iterator[sqlite_utils.Database]:
    """Build a new cache beside ``path`` and swap it in only if the block succeeds.

    Yields a fresh database with the schema created; the derived vote totals and working-group
    reward totals are rebuilt after the block (see ``VOTE_TOTALS``,
    ``write_wg_reward_totals``). On any exception the temporary file is removed and the
    existing cache at ``path`` is left byte-for-byte untouched. The swap is an
    ``os.replace``, atomic on POSIX: a reader sees either the old file or the new one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = sqlite3.connect(tmp)
        # No rollback journal: the file is private until the swap and deleted on failure,
        # and the journal makes large inserts about 3x slower.
        conn.execute("pragma journal_mode = off")
        db = sqlite_utils.Database(conn)
        create_schema(db)
        with conn:
            yield db
        with conn:
            write_vote_totals(conn)
            write_wg_reward_totals(conn)
        conn.execute("vacuum")
        conn.close()
        # mkstemp makes the file private (0600); readers such as the app may run as another
        # user than the refresh, so keep the old cache's mode, else the usual 0644.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        _fsync(tmp)
        os.replace(tmp, path)
        _fsync(path.parent)
    except BaseException:
        with contextlib.suppress(Exception):
            conn.close()
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_update(path: Path) -> Iterator[sqlite_utils.Database]:
    """Change a copy of the cache at ``path`` and swap it in only if the block succeeds.

    Like :func:`atomic_cache`, but the yielded database starts as a copy of the current one
    (for merging an incremental refresh). On failure the cache is left untouched.
    """
    with atomic_cache(path) as db:
        source = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        try:
            db.conn.commit()
            source.backup(db.conn)
        finally:
            source.close()
        create_schema(db)  # a cache from an older version gains the newer tables
        yield db


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete temporary files a killed refresh left beside the cache (call under the lock)."""
    path = Path(path)
    stale = list(path.parent.glob(f".{path.name}.*.tmp"))
    for temporary in stale:
        temporary.unlink(missing_ok=True)
    return stale


def write_cache(path: Path, rows: TableRows, meta: Mapping[str, Any]) -> None:
    """Atomically replace the cache at ``path`` with ``rows`` and ``meta``."""
    with atomic_cache(path) as db:
        insert_rows(db, rows)
        write_meta(db, {"schema_version": SCHEMA_VERSION, **meta})


def read_rows(path: Path, table: str, where: str | None = None, params: Any = None) -> list[dict]:
    """All rows of ``table`` in the cache at ``path`` (used to carry rows across a refresh)."""
    db = sqlite_utils.Database(path)
    try:
        if not db.table(table).exists():
            return []
        return list(db.table(table).rows_where(where, params or []))
    finally:
        db.close()
