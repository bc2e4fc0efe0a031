"""Fetched rows supersede the mainnet archive's rows for the same terms.

The bundled mainnet record (``council.archive.mainnet``) and a fetch from a query node both
write network ``mainnet``. Where both describe a term, the query node's round and council win:
the archive's round, council, seats, candidacies and vote shares of that term are dropped
(one figure per seat), and the archive's per-term facts (``archive_terms``,
``council_budget_figures``, ``council_roles``) move to the fetched council of the term. The
archive's rows stay for terms the node does not return. Archive councillors (``@handle``)
become the fetched member with that handle where there is one. A term is its round number:
archive term T is round ``cycle_id`` T, as the reports' election links say.

Archive rows are told apart by their ids: ``<network>-...`` rounds, councils, candidacies and
seats, ``@handle`` members (query node ids never contain ``-`` nor start with ``@``), and every
row of the archive-only tables.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from council import store

Row = dict[str, Any]
Tables = dict[str, list[Row]]

# The tables the rule reads or changes (other tables of the network are left alone).
TABLES = (
    "members",
    "election_rounds",
    "candidates",
    "councils",
    "council_members",
    "archive_terms",
    "council_budget_figures",
    "council_roles",
    "archive_vote_shares",
)
ARCHIVE_ONLY = ("archive_terms", "council_budget_figures", "council_roles", "archive_vote_shares")


def is_archive_row(table: str, row: Mapping[str, Any], network: str) -> bool:
    """True when ``row`` of ``table`` comes from an archive import, not from a query node."""
    if table in ARCHIVE_ONLY:
        return True
    if table == "members":
        return str(row["id"]).startswith("@")
    key = row["round_id"] if table == "election_rounds" else row["id"]
    return str(key or "").startswith(f"{network}-")


def resolve(tables: Mapping[str, Sequence[Row]], network: str) -> Tables:
    """One network's rows (fetched and archive mixed) with superseded archive rows dropped.

    ``tables`` must hold only ``network``'s rows of (some of) :data:`TABLES`; the result has
    every table of :data:`TABLES`. Applying it twice changes nothing.
    """
    rows = {name: [dict(r) for r in tables.get(name, ())] for name in TABLES}
    fetched = {n: [r for r in rows[n] if not is_archive_row(n, r, network)] for n in TABLES}
    archive = {n: [r for r in rows[n] if is_archive_row(n, r, network)] for n in TABLES}
    cycles = {r["cycle_id"] for r in fetched["election_rounds"]}
    council_of_cycle = {
        c["elected_in_cycle_id"]: c["id"]
        for c in fetched["councils"]
        if c["elected_in_cycle_id"] is not None
    }
    cycles |= set(council_of_cycle)
    dropped = {
        c["id"]: council_of_cycle.get(c["elected_in_cycle_id"])
        for c in archive["councils"]
        if c["elected_in_cycle_id"] in cycles
    }
    councils = {old: new for old, new in dropped.items() if new is not None}
    members = _member_map(fetched["members"], archive["members"])

    def council(value: Any) -> Any:
        return councils.get(value, value)

    def member(value: Any) -> Any:
        return members.get(value, value)

    kept: Tables = {
        "election_rounds": [
            {
                **r,
                "council_id": council(r["council_id"]),
                "next_council_id": council(r["next_council_id"]),
            }
            for r in archive["election_rounds"]
            if r["cycle_id"] not in cycles
        ],
        "councils": [c for c in archive["councils"] if c["id"] not in dropped],
        "candidates": [
            {**c, "member_id": member(c["member_id"])}
            for c in archive["candidates"]
            if c["cycle_id"] not in cycles
        ],
        "council_members": [
            {**s, "member_id": member(s["member_id"])}
            for s in archive["council_members"]
            if s["council_id"] not in dropped
        ],
        "archive_vote_shares": [
            {**v, "member_id": member(v["member_id"])}
            for v in archive["archive_vote_shares"]
            if v["cycle_id"] not in cycles
        ],
        "archive_terms": [
            {**t, "council_id": council(t["council_id"])} for t in archive["archive_terms"]
        ],
        "council_budget_figures": [
            {**f, "council_id": council(f["council_id"])} for f in archive["council_budget_figures"]
        ],
        "council_roles": [
            {**r, "council_id": council(r["council_id"]), "member_id": member(r["member_id"])}
            for r in archive["council_roles"]
        ],
    }
    used = {
        row["member_id"]
        for name in ("candidates", "council_members", "archive_vote_shares", "council_roles")
        for row in kept[name]
    }
    kept["members"] = [m for m in archive["members"] if m["id"] in used and m["id"] not in members]
    return {name: fetched[name] + kept.get(name, []) for name in TABLES}


def _member_map(fetched: Sequence[Row], archive: Sequence[Row]) -> dict[str, str]:
    """Archive member id (``@handle``) -> the fetched member id with that handle (any case)."""
    by_handle: dict[str, str] = {}
    for row in fetched:
        if row.get("handle"):
            by_handle.setdefault(str(row["handle"]).lower(), str(row["id"]))
    return {
        str(row["id"]): by_handle[str(row["handle"]).lower()]
        for row in archive
        if row.get("handle") and str(row["handle"]).lower() in by_handle
    }


def network_rows(db: sqlite_utils.Database, network: str) -> Tables:
    """The rows of :data:`TABLES` that belong to ``network`` in an open cache."""
    return {
        name: list(db.table(name).rows_where("network = ?", [network]))
        for name in TABLES
        if db.table(name).exists()
    }


def replace_network_rows(
    db: sqlite_utils.Database, network: str, rows: Mapping[str, Sequence[Row]]
) -> None:
    """Replace ``network``'s rows of :data:`TABLES` in an open cache by ``rows``."""
    for name in TABLES:
        db.execute(f"delete from {name} where network = ?", [network])
    store.insert_rows(db, {name: rows.get(name, []) for name in TABLES})


def resolve_in_cache(db: sqlite_utils.Database, network: str) -> None:
    """Apply :func:`resolve` to ``network``'s rows of an open cache (after a merge)."""
    rows = network_rows(db, network)
    if any(is_archive_row(n, r, network) for n, table in rows.items() for r in table):
        replace_network_rows(db, network, resolve(rows, network))


def add_archive(
    db_path: Path,
    archive: Mapping[str, Sequence[Row]],
    network: str = "mainnet",
    meta: Mapping[str, Any] | None = None,
) -> None:
    """Add an archive's ``network`` rows to the (fetched) cache at ``db_path``, atomically.

    Fetched rows are kept as they are; archive rows of terms the cache already has are not
    added (:func:`resolve`). ``meta`` facts are stored with them.
    """
    mine = {name: [r for r in archive.get(name, ()) if r["network"] == network] for name in TABLES}
    with store.atomic_update(Path(db_path)) as db:
        current = network_rows(db, network)
        fetched = {
            name: [r for r in current.get(name, []) if not is_archive_row(name, r, network)]
            for name in TABLES
        }
        merged = {name: fetched[name] + mine[name] for name in TABLES}
        replace_network_rows(db, network, resolve(merged, network))
        store.write_meta(db, meta or {})
