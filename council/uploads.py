"""The secretary's CSV uploads: authorisation, versions, diffs and restore.

Every accepted upload is kept as a version in its own SQLite file ($COUNCIL_UPLOADS_DB,
default data/uploads.db), never overwritten and never deleted: restoring an old version adds
a new version with the old content. When a dataset has no upload yet, the starter file
shipped in data/ is its current content.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import sqlite_utils

from council import locations
from council.csv_schema import Column, CsvSchema, Problem, Validation, validate_csv
from council.store import utc_now_iso

DATA_DIR = locations.bundled_data_dir()  # the starter files (data/ in a checkout)
TOKEN_ENV = "COUNCIL_UPLOAD_TOKEN"
VERSIONS_TABLE = "upload_versions"

SPENDING_CATEGORIES = CsvSchema(
    name="spending_categories",
    columns=(
        Column("Testnet", not_blank=True, fold_case=True),
        Column("Proposal #", kind="int", not_blank=True),
        Column("Title"),
        Column("Status"),
        Column("Amount Asked", kind="amount"),
        Column("Amount Minted", kind="amount"),
        Column("Exchange Rate", kind="amount", lenient=True),
        Column("$ amount", kind="amount", lenient=True),
        Column("Category"),
        Column("Bounty", required=False),
        Column("WG", required=False),
        Column("Reimbursed", required=False),
    ),
    key=("Testnet", "Proposal #"),
)

KPI_STATUSES = ("not started", "in progress", "done", "failed")

KPIS = CsvSchema(
    name="kpis",
    columns=(
        Column("Term", not_blank=True),
        Column("KPI", not_blank=True),
        Column("Title", not_blank=True),
        Column("Owner"),
        Column("Deadline", kind="date"),
        Column("Reward", kind="amount"),
        Column("Reward unit", kind="choice", choices=("joy", "tjoy", "usd")),
        Column("Penalty"),
        Column("Status", kind="choice", choices=KPI_STATUSES),
        Column("Progress %", kind="percent"),
        Column("Reward earned", kind="amount"),
        Column("Link", required=False),
        Column("Notes", required=False),
    ),
    key=("Term", "KPI"),
)

SCHEMAS: dict[str, CsvSchema] = {s.name: s for s in (SPENDING_CATEGORIES, KPIS)}
STARTER_FILES: dict[str, Path] = {
    SPENDING_CATEGORIES.name: DATA_DIR / "spending_proposal_categories.csv",
    KPIS.name: DATA_DIR / "kpis.csv",
}


def uploads_db_path() -> Path:
    """Where versions live: $COUNCIL_UPLOADS_DB or data/uploads.db."""
    env = os.environ.get("COUNCIL_UPLOADS_DB")
    return Path(env) if env else locations.writable_data_dir() / "uploads.db"


def token_matches(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; with no token configured nothing matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


@dataclass(frozen=True)
class Version:
    """One stored version of a dataset."""

    dataset: str
    version: int
    uploaded_at: str
    uploaded_by: str
    file_name: str
    rows: int
    sha256: str
    note: str


@dataclass(frozen=True)
class Diff:
    """What an upload would change, by key: rows added, removed and changed."""

    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame

    @property
    def summary(self) -> str:
        """``"3 added, 1 removed, 2 changed"``."""
        return f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"


def to_csv_text(frame: pd.DataFrame) -> str:
    """The canonical stored form: UTF-8 CSV text, all cells as text, no index."""
    return frame.to_csv(index=False, lineterminator="\n")


def _frame_from_text(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=object, keep_default_na=False)


def open_store(path: Path | None = None) -> sqlite_utils.Database:
    """The uploads store at ``path`` (default :func:`uploads_db_path`), its folder created.

    Every versioned dataset of the app lives here: the uploads, the saved views and the
    council log, each creating its own tables.
    """
    path = Path(path) if path is not None else uploads_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return sqlite_utils.Database(path)


def _db(path: Path | None = None) -> sqlite_utils.Database:
    db = open_store(path)
    db.table(VERSIONS_TABLE).create(
        {
            "dataset": str,
            "version": int,
            "uploaded_at": str,
            "uploaded_by": str,
            "file_name": str,
            "rows": int,
            "sha256": str,
            "note": str,
            "content": str,
        },
        pk=("dataset", "version"),
        if_not_exists=True,
    )
    return db


def versions(dataset: str, path: Path | None = None) -> list[Version]:
    """Every stored version of ``dataset``, newest first."""
    db = _db(path)
    try:
        rows = db.table(VERSIONS_TABLE).rows_where(
            "dataset = ?", [dataset], order_by="version desc"
        )
        return [Version(**{k: v for k, v in r.items() if k != "content"}) for r in rows]
    finally:
        db.close()


def versions_table(history: list[Version]) -> pd.DataFrame:
    """Versions as a table for the page (one row each, newest first)."""
    columns = list(Version.__dataclass_fields__)
    return pd.DataFrame([vars(v) for v in history], columns=columns)


def _content(dataset: str, version: int, path: Path | None = None) -> str:
    db = _db(path)
    try:
        return db.table(VERSIONS_TABLE).get((dataset, version))["content"]
    finally:
        db.close()


def current(dataset: str, path: Path | None = None) -> pd.DataFrame:
    """The current table of ``dataset``: the newest version, else the starter file."""
    history = versions(dataset, path)
    if history:
        return _frame_from_text(_content(dataset, history[0].version, path))
    starter = STARTER_FILES[dataset]
    result = validate_csv(starter.read_bytes(), starter.name, SCHEMAS[dataset])
    if not result.ok:
        raise ValueError(f"the starter file is invalid: {result.errors[0]}")
    return result.frame


def check(
    dataset: str, raw: bytes, file_name: str, chain_ids: dict[str, set[str]] | None = None
) -> Validation:
    """Validate an upload without storing anything.

    ``chain_ids`` maps a network (lower case, e.g. ``mainnet``) to the proposal ids the cache
    knows there; rows of those networks with other ids get a warning (not an error: the
    cache may simply be older than the file).
    """
    schema = SCHEMAS[dataset]
    result = validate_csv(raw, file_name, schema)
    if result.ok and chain_ids and dataset == SPENDING_CATEGORIES.name:
        network_col, id_col = schema.key
        for index, (network, proposal) in enumerate(
            zip(result.frame[network_col], result.frame[id_col], strict=True)
        ):
            known = chain_ids.get(network.strip().lower())
            if known is not None and proposal not in known:
                message = f"proposal {proposal} is not in the {network} data"
                result.warnings.append(Problem(file_name, message, result.lines[index]))
    return result


def diff(old: pd.DataFrame, new: pd.DataFrame, key: tuple[str, ...]) -> Diff:
    """Rows added, removed and changed from ``old`` to ``new``, matched by ``key``."""
    keys = list(key)
    merged = old.merge(new, on=keys, how="outer", suffixes=("_old", ""), indicator=True)
    added = new.merge(merged.loc[merged["_merge"] == "right_only", keys], on=keys)
    removed = old.merge(merged.loc[merged["_merge"] == "left_only", keys], on=keys)
    both = merged[merged["_merge"] == "both"]
    others = [c for c in new.columns if c not in keys and c in old.columns]
    changed_mask = pd.Series(False, index=both.index)
    for column in others:
        changed_mask |= both[column].fillna("") != both[f"{column}_old"].fillna("")
    changed = new.merge(both.loc[changed_mask, keys], on=keys)
    return Diff(added=added, removed=removed, changed=changed)


def store_version(
    dataset: str,
    frame: pd.DataFrame,
    file_name: str,
    uploaded_by: str,
    note: str = "",
    path: Path | None = None,
) -> Version:
    """Store a validated table as the next version of ``dataset`` (one transaction).

    Storing the same content as the newest version again adds nothing and returns it.
    """
    text = to_csv_text(frame)
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    db = _db(path)
    try:
        with db.conn:
            latest = db.execute(
                f"select coalesce(max(version), 0) from {VERSIONS_TABLE} where dataset = ?",
                [dataset],
            ).fetchone()[0]
            if latest:
                newest = db.table(VERSIONS_TABLE).get((dataset, latest))
                if newest["sha256"] == checksum:
                    return Version(**{k: v for k, v in newest.items() if k != "content"})
            record = {
                "dataset": dataset,
                "version": latest + 1,
                "uploaded_at": utc_now_iso(),
                "uploaded_by": uploaded_by,
                "file_name": file_name,
                "rows": len(frame),
                "sha256": checksum,
                "note": note,
                "content": text,
            }
            db.table(VERSIONS_TABLE).insert(record)
    finally:
        db.close()
    return Version(**{k: v for k, v in record.items() if k != "content"})


def restore(dataset: str, version: int, restored_by: str, path: Path | None = None) -> Version:
    """Make an earlier version current again by storing its content as a new version."""
    old = _frame_from_text(_content(dataset, version, path))
    return store_version(
        dataset, old, f"version {version}", restored_by, f"restored version {version}", path
    )
