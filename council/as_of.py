"""What every page's figures are as of, in one line: the newest block and time of each
network in the cache, and the version of each uploaded file the page uses.

Pure text; ``council.ui.as_of_line`` shows it above every page (app.py calls it once).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from council.stats.overview import DataEnd
from council.uploads import KPIS, SPENDING_CATEGORIES, Version

# The uploaded files each page reads (by the page's URL path); pages not listed read none.
PAGE_FILES: dict[str, tuple[str, ...]] = {
    "this_week": (KPIS.name, SPENDING_CATEGORIES.name),
    "spending": (SPENDING_CATEGORIES.name,),
    "kpis": (KPIS.name,),
    "term_report": (KPIS.name, SPENDING_CATEGORIES.name),
    "upload": (SPENDING_CATEGORIES.name, KPIS.name),
}
FILE_NAMES = {KPIS.name: "KPIs", SPENDING_CATEGORIES.name: "spending categories"}


def files_of(page: str) -> tuple[str, ...]:
    """The uploaded datasets ``page`` (a URL path, "" for the default page) reads."""
    return PAGE_FILES.get(page, ())


def _end_text(network: str, end: DataEnd | None) -> str:
    if end is None or (end.block is None and end.time is None):
        return f"{network}: no dated record"
    parts = [] if end.block is None else [f"#{int(end.block):,}"]
    if end.time is not None:
        parts.append(f"{'≈' if end.estimated else ''}{end.time:%Y-%m-%d %H:%M} UTC")
    return f"{network} {' · '.join(parts)}"


def _file_text(dataset: str, version: Version | str | None) -> str:
    name = FILE_NAMES.get(dataset, dataset)
    if version is None:
        return f"{name}: starter file"
    if isinstance(version, str):  # what stands in for a version that cannot be read
        return f"{name}: {version}"
    return f"{name} v{version.version} ({version.uploaded_at[:10]})"


def as_of_text(
    ends: Mapping[str, DataEnd | None], files: Sequence[tuple[str, Version | str | None]]
) -> str:
    """``As of: mainnet #8,222,431 · 2024-07-04 00:00 UTC; sumer … · Files: KPIs v3
    (2026-11-30)``: each network's newest block and time, and each file's current version
    (``None``: no upload yet, the starter file; text: said as it is, e.g. unreadable)."""
    data = "; ".join(_end_text(n, e) for n, e in ends.items()) or "no data cache yet"
    text = f"As of: {data}"
    if files:
        text += " · Files: " + ", ".join(_file_text(d, v) for d, v in files)
    return text
