"""Saved views: a page with its filters (URL query parameters) under a name.

The secretary (with the uploads token) saves, renames and removes views; anyone opens one
from the sidebar. The list is kept like the secretary's uploads: every change stores the
whole list as a new version of the dataset ``saved_views`` in the uploads store
(``council.uploads``, data/uploads.db), never overwriting one, so any earlier list (a view
renamed or removed) can be restored.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pandas as pd

from council import uploads

DATASET = "saved_views"
COLUMNS = ["name", "page", "params"]
MAX_NAME = 80


class ViewError(ValueError):
    """A refused change to the saved views; the message says why in one sentence."""


def check_name(name: object) -> str:
    """The name trimmed; :class:`ViewError` when it is blank, too long or holds control
    characters (line breaks, tabs)."""
    if not isinstance(name, str) or not name.strip():
        raise ViewError("A view needs a name.")
    name = name.strip()
    if len(name) > MAX_NAME:
        raise ViewError(f"A view's name has at most {MAX_NAME} characters ({len(name)} given).")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise ViewError("A view's name cannot hold line breaks, tabs or other control characters.")
    return name


def authorise(given: str | None, expected: str | None) -> None:
    """:class:`ViewError` unless ``given`` is the configured uploads token."""
    if not expected:
        raise ViewError("Saving views is off: no uploads token is configured.")
    if not uploads.token_matches(given, expected):
        raise ViewError("That token is not right: nothing was changed.")


def query_text(params: Mapping[str, str | Sequence[str]]) -> str:
    """URL query parameters as one text (repeated parameters kept, in order)."""
    pairs = []
    for key, value in params.items():
        values = [value] if isinstance(value, str) else list(value)
        pairs += [(key, str(v)) for v in values]
    return urlencode(pairs)


def query_params(text: str) -> dict[str, str | list[str]]:
    """The parameters of :func:`query_text` (a repeated one as a list)."""
    found: dict[str, list[str]] = {}
    for key, value in parse_qsl(text or "", keep_blank_values=True):
        found.setdefault(key, []).append(value)
    return {k: v[0] if len(v) == 1 else v for k, v in found.items()}


def views(path: Path | None = None) -> pd.DataFrame:
    """The saved views (name, page, params), in the order saved; empty before the first."""
    if not uploads.versions(DATASET, path):
        return pd.DataFrame(columns=COLUMNS)
    frame = uploads.current(DATASET, path)
    for column in COLUMNS:  # a column of empty cells reads back as missing
        frame[column] = frame[column].fillna("") if column in frame else ""
    return frame[COLUMNS].reset_index(drop=True)


def history(path: Path | None = None) -> list[uploads.Version]:
    """Every stored version of the list, newest first."""
    return uploads.versions(DATASET, path)


def _store(frame: pd.DataFrame, by: str, note: str, path: Path | None) -> uploads.Version:
    return uploads.store_version(DATASET, frame[COLUMNS], "saved views", by, note, path)


def _known(frame: pd.DataFrame, name: str) -> bool:
    return bool((frame["name"] == name).any())


def save(
    name: str,
    page: str,
    params: Mapping[str, str | Sequence[str]],
    token: tuple[str | None, str | None],
    by: str = "secretary",
    path: Path | None = None,
) -> uploads.Version:
    """Save ``page`` (its URL path) with ``params`` under ``name``; ``token`` is (given,
    configured). A name already in use is refused: rename or remove that view first."""
    authorise(*token)
    name = check_name(name)
    current = views(path)
    if _known(current, name):
        raise ViewError(f"A view named {name!r} exists already: rename or remove it first.")
    row = pd.DataFrame([[name, page, query_text(params)]], columns=COLUMNS)
    return _store(pd.concat([current, row], ignore_index=True), by, f"saved {name!r}", path)


def rename(
    old: str,
    new: str,
    token: tuple[str | None, str | None],
    by: str = "secretary",
    path: Path | None = None,
) -> uploads.Version:
    """Give view ``old`` the name ``new`` (which must be free)."""
    authorise(*token)
    new = check_name(new)
    current = views(path)
    if not _known(current, old):
        raise ViewError(f"There is no view named {old!r}.")
    if new != old and _known(current, new):
        raise ViewError(f"A view named {new!r} exists already.")
    current.loc[current["name"] == old, "name"] = new
    return _store(current, by, f"renamed {old!r} to {new!r}", path)


def remove(
    name: str,
    token: tuple[str | None, str | None],
    by: str = "secretary",
    path: Path | None = None,
) -> uploads.Version:
    """Remove view ``name`` (restorable: the list before is kept as a version)."""
    authorise(*token)
    current = views(path)
    if not _known(current, name):
        raise ViewError(f"There is no view named {name!r}.")
    return _store(current[current["name"] != name], by, f"removed {name!r}", path)


def restore(
    version: int,
    token: tuple[str | None, str | None],
    by: str = "secretary",
    path: Path | None = None,
) -> uploads.Version:
    """Make an earlier list current again (stored as a new version)."""
    authorise(*token)
    if version not in {v.version for v in history(path)}:
        raise ViewError(f"There is no version {version} of the saved views.")
    return uploads.restore(DATASET, version, by, path)
