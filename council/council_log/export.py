"""The council log for readers: filtering, each entry as markdown, the forum markdown and the
CSV table.

Pure functions. Entry text is markdown, but HTML in it (and in titles) is shown as text: ``<``,
``>`` and ``&`` are escaped before the markdown is rendered or downloaded, so a ``<script>``
or ``<img>`` typed into an entry reads as those characters and never runs.
"""

from __future__ import annotations

import html

import pandas as pd

from council.council_log.entries import link_label, link_url

HISTORY_LABELS = {
    "entry_id": "Entry",
    "version": "Version",
    "action": "Change",
    "changed_at": "Changed at (UTC)",
    "changed_by": "By",
    "date": "Date",
    "term": "Term",
    "title": "Title",
    "tags": "Tags",
    "text": "Text",
    "links": "Links",
}
TABLE_LABELS = {
    "date": "Date",
    "term": "Term",
    "title": "Title",
    "text": "Text",
    "tags": "Tags",
    "links": "Links",
}


def escape(text: str) -> str:
    """``text`` with HTML shown as text (``<b>`` -> ``&lt;b&gt;``); markdown is kept."""
    return html.escape(text, quote=False)


def tag_list(tags: object) -> list[str]:
    """The stored tags (``"election, budget"``) as a list."""
    if not isinstance(tags, str) or not tags.strip():
        return []
    return [t.strip() for t in tags.split(",") if t.strip()]


def link_list(links: object) -> list[str]:
    """The stored links (space separated) as a list."""
    return links.split() if isinstance(links, str) else []


def filter_entries(
    entries: pd.DataFrame,
    terms: list[int] | None = None,
    tags: list[str] | None = None,
    text: str = "",
) -> pd.DataFrame:
    """Entries of any of ``terms``, carrying any of ``tags``, whose title or text contains
    ``text`` (ignoring case)."""
    keep = pd.Series(True, index=entries.index)
    if terms:
        keep &= entries["term"].isin(terms).fillna(False).astype(bool)
    if tags:
        wanted = set(tags)
        keep &= entries["tags"].map(lambda t: bool(wanted & set(tag_list(t))))
    needle = text.strip().lower()
    if needle:
        words = (entries["title"].fillna("") + "\n" + entries["text"].fillna("")).str.lower()
        keep &= words.str.contains(needle, regex=False)
    return entries[keep]


def _links_markdown(links: object, network: str) -> str:
    parts = []
    for link in link_list(links):
        url = link_url(link, network)
        label = escape(link_label(link))
        parts.append(f"[{label}](<{url}>)" if url else label)
    return ", ".join(parts)


def entry_heading(entry: pd.Series) -> str:
    """``2024-05-01 · term 12 · Title`` (HTML in the title shown as text)."""
    parts = [str(entry["date"])]
    if pd.notna(entry["term"]):
        parts.append(f"term {int(entry['term'])}")
    parts.append(escape(str(entry["title"])))
    return " · ".join(parts)


def entry_markdown(entry: pd.Series, network: str = "mainnet", level: int = 3) -> str:
    """One entry as markdown: heading, tags, text, links."""
    lines = [f"{'#' * level} {entry_heading(entry)}", ""]
    tags = tag_list(entry["tags"])
    if tags:
        lines += [f"*{', '.join(tags)}*", ""]
    if isinstance(entry["text"], str) and entry["text"]:
        lines += [escape(entry["text"]), ""]
    links = _links_markdown(entry["links"], network)
    if links:
        lines += [f"Links: {links}", ""]
    return "\n".join(lines)


def log_markdown(
    entries: pd.DataFrame, title: str = "Council log", network: str = "mainnet"
) -> str:
    """The entries as one markdown document for the forum, in the order given."""
    parts = [f"# {title}", ""]
    if entries.empty:
        parts += ["No entries.", ""]
    for _, entry in entries.iterrows():
        parts.append(entry_markdown(entry, network, level=2))
    return "\n".join(parts).rstrip("\n") + "\n"


def log_table(entries: pd.DataFrame, network: str = "mainnet") -> pd.DataFrame:
    """The entries as a table for the CSV download: links as addresses (proposal ids as their
    Pioneer address on mainnet), text as written (markdown)."""
    frame = entries[list(TABLE_LABELS)].copy()
    frame["links"] = frame["links"].map(
        lambda links: " ".join(link_url(link, network) or link for link in link_list(links))
    )
    return frame.rename(columns=TABLE_LABELS).reset_index(drop=True)


def history_table(versions: pd.DataFrame) -> pd.DataFrame:
    """Every version of every entry (``store.history``) with people's column names."""
    return versions[list(HISTORY_LABELS)].rename(columns=HISTORY_LABELS).reset_index(drop=True)
