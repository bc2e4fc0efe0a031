"""Add a new import to an archive folder without dropping what an earlier import put there.

Both archive importers (``python -m council.archive``, testnet reports and the mainnet record)
write one CSV per cache table. A new import adds its rows to the folder's: a row whose key is
in the new import is replaced by the new reading, every other row already there is kept.
Importing the same files twice therefore writes the same files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from council import store
from council.snapshot import read_archive

Row = dict[str, Any]
Tables = dict[str, list[Row]]


def key_of(name: str, row: Mapping[str, Any]) -> tuple:
    """The primary key of ``row`` in cache table ``name``."""
    return tuple(row.get(column) for column in store.TABLES[name].pk)


def sort_rows(name: str, rows: Iterable[Row]) -> list[Row]:
    """Rows by primary key, numbers in numeric order (the order archive CSVs are written in)."""

    def key(row: Row) -> tuple:
        return tuple(
            (0, int(value), "") if str(value).isdigit() else (1, 0, str(value))
            for value in key_of(name, row)
        )

    return sorted(rows, key=key)


def merge_new(
    existing: Mapping[str, Sequence[Row]], new: Mapping[str, Sequence[Row]]
) -> tuple[Tables, dict[str, int]]:
    """``new`` plus the rows of ``existing`` whose key ``new`` does not have, sorted by key.

    Also returns, per table, how many earlier rows were kept.
    """
    merged: Tables = {}
    kept: dict[str, int] = {}
    for name in dict.fromkeys([*existing, *new]):
        fresh = list(new.get(name, ()))
        keys = {key_of(name, row) for row in fresh}
        old = [row for row in existing.get(name, ()) if key_of(name, row) not in keys]
        kept[name] = len(old)
        merged[name] = sort_rows(name, [*old, *fresh])
    return merged, kept


def merge_with_folder(out_dir: Path, new: Mapping[str, Sequence[Row]]) -> tuple[Tables, dict]:
    """:func:`merge_new` with the archive CSVs already in ``out_dir`` (none when it is new)."""
    existing = read_archive(out_dir) if Path(out_dir).is_dir() else {}
    return merge_new(existing, new)


def kept_note(kept: Mapping[str, int]) -> str:
    """A README line on the rows kept from earlier imports (empty when none were)."""
    counts = ", ".join(f"{name} {count}" for name, count in kept.items() if count)
    if not counts:
        return ""
    return (
        "\n## Rows kept from earlier imports\n\n"
        f"Not in this import's files and kept as an earlier import wrote them: {counts}.\n"
    )
