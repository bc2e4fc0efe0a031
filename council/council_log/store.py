"""The council log's versioned store, in the uploads' SQLite file (data/uploads.db).

Every change is a new version of one entry, never an overwrite: adding writes version 1,
editing and removing write the next version (a removal is a version marked ``removed``),
restoring writes the next version with an earlier version's content. So the whole history
stays, and a removed entry can be brought back. Writing needs the uploads token
(:func:`council.uploads.token_matches`); every writer checks it and raises
:class:`NotAllowed` otherwise.

Dismissed suggestions (see :mod:`council.council_log.suggestions`) are kept in a second table;
an accepted suggestion is an entry that remembers the suggestion's key.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import sqlite_utils

from council import uploads
from council.council_log.entries import Fields
from council.store import utc_now_iso

VERSIONS_TABLE = "council_log_versions"
DISMISSED_TABLE = "council_log_dismissed"
ENTRY_COLUMNS = ["entry_id", "version", "date", "term", "title", "text", "tags", "links"]
VERSION_COLUMNS = [*ENTRY_COLUMNS, "removed", "action", "changed_at", "changed_by", "suggestion"]


class NotAllowed(PermissionError):
    """A change without the right uploads token."""


def _db(path: Path | None) -> sqlite_utils.Database:
    db = uploads.open_store(path)
    db.table(VERSIONS_TABLE).create(
        {
            "entry_id": int,
            "version": int,
            "date": str,
            "term": int,
            "title": str,
            "text": str,
            "tags": str,
            "links": str,
            "removed": int,
            "action": str,
            "changed_at": str,
            "changed_by": str,
            "suggestion": str,
        },
        pk=("entry_id", "version"),
        if_not_exists=True,
    )
    db.table(DISMISSED_TABLE).create(
        {"key": str, "dismissed_at": str, "dismissed_by": str}, pk="key", if_not_exists=True
    )
    return db


def _allow(token: str | None, expected: str | None) -> None:
    if not uploads.token_matches(token, expected):
        raise NotAllowed("changing the council log needs the uploads token")


def _who(by: str) -> str:
    name = " ".join(str(by or "").split())[:80]
    if not name:
        raise ValueError("say who makes the change")
    return name


def _record(fields: Fields) -> dict[str, object]:
    return {
        "date": fields.date,
        "term": fields.term,
        "title": fields.title,
        "text": fields.text,
        "tags": ", ".join(fields.tags),
        "links": " ".join(fields.links),
    }


def _write(
    db: sqlite_utils.Database, entry_id: int, content: dict, action: str, by: str, removed: bool
) -> int:
    latest = db.execute(
        f"select coalesce(max(version), 0) from {VERSIONS_TABLE} where entry_id = ?", [entry_id]
    ).fetchone()[0]
    db.table(VERSIONS_TABLE).insert(
        {
            **content,
            "entry_id": entry_id,
            "version": latest + 1,
            "removed": int(removed),
            "action": action,
            "changed_at": utc_now_iso(),
            "changed_by": by,
        }
    )
    return latest + 1


def _latest(db: sqlite_utils.Database, entry_id: int) -> dict | None:
    rows = list(
        db.table(VERSIONS_TABLE).rows_where(
            "entry_id = ?", [entry_id], order_by="version desc", limit=1
        )
    )
    return rows[0] if rows else None


def _content(row: dict) -> dict[str, object]:
    keys = ("date", "term", "title", "text", "tags", "links", "suggestion")
    return {k: row[k] for k in keys}


def add(
    fields: Fields,
    by: str,
    *,
    token: str | None,
    expected: str | None,
    suggestion: str = "",
    path: Path | None = None,
) -> int:
    """Store a new entry (version 1); its id. ``suggestion``: the key it was accepted from."""
    _allow(token, expected)
    who = _who(by)
    db = _db(path)
    try:
        with db.conn:
            db.conn.execute("BEGIN IMMEDIATE")  # one writer at a time: ids and versions
            entry_id = db.execute(
                f"select coalesce(max(entry_id), 0) + 1 from {VERSIONS_TABLE}"
            ).fetchone()[0]
            content = {**_record(fields), "suggestion": suggestion}
            _write(db, entry_id, content, "added", who, removed=False)
    finally:
        db.close()
    return entry_id


def _change(
    entry_id: int,
    by: str,
    token: str | None,
    expected: str | None,
    path: Path | None,
    make: Callable,
) -> int:
    _allow(token, expected)
    who = _who(by)
    entry_id = int(entry_id)  # a numpy integer from a table would match no row
    db = _db(path)
    try:
        with db.conn:
            db.conn.execute("BEGIN IMMEDIATE")  # one writer at a time: ids and versions
            latest = _latest(db, entry_id)
            if latest is None:
                raise KeyError(f"there is no council log entry {entry_id}")
            content, action, removed = make(db, latest)
            return _write(db, entry_id, content, action, who, removed)
    finally:
        db.close()


def edit(
    entry_id: int,
    fields: Fields,
    by: str,
    *,
    token: str | None,
    expected: str | None,
    path: Path | None = None,
) -> int:
    """Store ``fields`` as the entry's next version (a removed entry stays removed until
    restored); the new version number."""

    def make(db, latest):
        content = {**_record(fields), "suggestion": latest["suggestion"]}
        return content, "edited", bool(latest["removed"])

    return _change(entry_id, by, token, expected, path, make)


def remove(
    entry_id: int, by: str, *, token: str | None, expected: str | None, path: Path | None = None
) -> int:
    """Mark the entry removed (a new version with the same content); the new version."""
    return _change(
        entry_id, by, token, expected, path, lambda db, latest: (_content(latest), "removed", True)
    )


def restore(
    entry_id: int,
    version: int,
    by: str,
    *,
    token: str | None,
    expected: str | None,
    path: Path | None = None,
) -> int:
    """Make ``version``'s content the entry's current one again, shown (not removed)."""

    def make(db, latest):
        old = db.table(VERSIONS_TABLE).get((int(entry_id), int(version)))
        return _content(old), f"restored version {version}", False

    try:
        return _change(entry_id, by, token, expected, path, make)
    except sqlite_utils.db.NotFoundError:
        raise KeyError(f"entry {entry_id} has no version {version}") from None


def history(path: Path | None = None) -> pd.DataFrame:
    """Every version of every entry, newest change first."""
    db = _db(path)
    try:
        rows = list(db.table(VERSIONS_TABLE).rows_where(order_by="entry_id desc, version desc"))
    finally:
        db.close()
    frame = pd.DataFrame(rows, columns=VERSION_COLUMNS)
    frame["term"] = frame["term"].astype("Int64")
    return frame


def _newest(path: Path | None) -> pd.DataFrame:
    versions = history(path)
    return versions.drop_duplicates("entry_id", keep="first")


def current(path: Path | None = None) -> pd.DataFrame:
    """The log as it stands: each entry's newest version unless removed; newest date first
    (then newest entry first)."""
    newest = _newest(path)
    shown = newest[newest["removed"] == 0]
    return shown.sort_values(["date", "entry_id"], ascending=False)[
        [*ENTRY_COLUMNS, "changed_at", "changed_by"]
    ].reset_index(drop=True)


def removed(path: Path | None = None) -> pd.DataFrame:
    """Entries whose newest version is a removal (restorable), most recently removed first."""
    newest = _newest(path)
    gone = newest[newest["removed"] == 1]
    return gone.sort_values("changed_at", ascending=False).reset_index(drop=True)


def dismiss(
    key: str, by: str, *, token: str | None, expected: str | None, path: Path | None = None
) -> None:
    """Do not suggest ``key`` again."""
    _allow(token, expected)
    who = _who(by)
    db = _db(path)
    try:
        with db.conn:
            db.conn.execute("BEGIN IMMEDIATE")  # one writer at a time: ids and versions
            db.table(DISMISSED_TABLE).upsert(
                {"key": key, "dismissed_at": utc_now_iso(), "dismissed_by": who}, pk="key"
            )
    finally:
        db.close()


def handled_suggestions(path: Path | None = None) -> set[str]:
    """Suggestion keys dismissed or accepted (by any version of any entry, removed too)."""
    db = _db(path)
    try:
        dismissed = {r["key"] for r in db.table(DISMISSED_TABLE).rows}
        accepted = {
            r[0]
            for r in db.execute(
                f"select distinct suggestion from {VERSIONS_TABLE} where suggestion != ''"
            ).fetchall()
        }
    finally:
        db.close()
    return dismissed | accepted
