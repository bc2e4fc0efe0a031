"""A council log entry: its fields, the checks on what the secretary types, and its links.

Pure functions. Dates are read with the upload check's parser (:func:`csv_values.parse_date`),
so an entry's date is as strict as a KPI deadline. Links are proposal ids (which link to
Pioneer on mainnet) or http(s) addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from council import csv_values
from council.stats.spending import PIONEER_NETWORK, PIONEER_PROPOSAL_URL

TAGS = ("election", "proposal", "working group", "budget", "platform", "Jsgenesis")
MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_LINKS = 20
_PROPOSAL = re.compile(r"#?(\d{1,9})", re.ASCII)
_URL = re.compile(r"https?://[^\s<>\"'`]+", re.ASCII)
_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class Fields:
    """The fields of an entry, checked: date ``YYYY-MM-DD``, term a whole number or None,
    tags from :data:`TAGS` (in that order), links as proposal ids or http(s) addresses."""

    date: str
    term: int | None
    title: str
    text: str
    tags: tuple[str, ...]
    links: tuple[str, ...]


class InvalidEntry(ValueError):
    """What the secretary typed cannot be stored; ``problems`` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


def _tag(value: str) -> str | None:
    wanted = value.strip().lower()
    return next((t for t in TAGS if t.lower() == wanted), None)


def _missing(value: object) -> bool:
    """None, NaN, NA or NaT: a blank field (a table's missing cell)."""
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or another non-scalar
        return False


def parse_links(text: str) -> tuple[tuple[str, ...], list[str]]:
    """Links separated by spaces, commas or new lines: proposal ids (``123`` or ``#123``,
    kept as ``123``) and http(s) addresses. Returns (links, problems)."""
    links: list[str] = []
    problems: list[str] = []
    for token in _SEPARATORS.split(text.strip()):
        if not token:
            continue
        proposal = _PROPOSAL.fullmatch(token)
        if proposal:
            links.append(str(int(proposal.group(1))))
        elif _URL.fullmatch(token):
            links.append(token)
        else:
            problems.append(
                f"Links: '{token[:60]}' is not a proposal id (like 123) or an http(s) address"
            )
    if len(links) > MAX_LINKS:
        problems.append(f"Links: {len(links)} links; at most {MAX_LINKS}")
    return tuple(dict.fromkeys(links)), problems


def check(
    date: object,
    term: object,
    title: object,
    text: object,
    tags: object = (),
    links: object = "",
) -> Fields:
    """The entry's fields checked and tidied; :class:`InvalidEntry` naming every problem.

    ``date`` text or a ``datetime.date``; ``term`` blank/None or a whole number; ``tags`` a
    list of tag names; ``links`` text or a list of links.
    """
    problems: list[str] = []
    fields = {"date": date, "term": term, "title": title, "text": text}
    values = {k: "" if _missing(v) else str(v) for k, v in fields.items()}
    for name, value in values.items():
        if "\x00" in value:
            problems.append(f"{name.capitalize()}: contains a NUL byte")
    day = values["date"].strip()
    try:
        day = csv_values.parse_date(day).isoformat()
    except csv_values.CellError as error:
        problems.append(f"Date: '{day[:40]}' {error}" if day else "Date: is blank")
    term_number: int | None = None
    if values["term"].strip():
        try:
            term_number = csv_values.parse_whole_number(values["term"])
        except csv_values.CellError as error:
            problems.append(f"Term: '{values['term'].strip()[:40]}' {error}")
    title_text = " ".join(values["title"].split())
    if not title_text:
        problems.append("Title: is empty")
    elif len(title_text) > MAX_TITLE:
        problems.append(f"Title: {len(title_text):,} characters; at most {MAX_TITLE:,}")
    body = values["text"].replace("\r\n", "\n").strip()
    if len(body) > MAX_TEXT:
        problems.append(f"Text: {len(body):,} characters; at most {MAX_TEXT:,}")
    chosen: list[str] = []
    for value in [tags] if isinstance(tags, str) else list(tags or ()):
        tag = _tag(str(value))
        if tag is None:
            problems.append(f"Tags: '{str(value)[:40]}' is not one of: {', '.join(TAGS)}")
        else:
            chosen.append(tag)
    link_text = links if isinstance(links, str) else " ".join(str(v) for v in links or ())
    link_values, link_problems = parse_links(link_text)
    problems += link_problems
    if problems:
        raise InvalidEntry(problems)
    return Fields(
        date=day,
        term=term_number,
        title=title_text,
        text=body,
        tags=tuple(t for t in TAGS if t in chosen),
        links=link_values,
    )


def link_url(link: str, network: str = PIONEER_NETWORK) -> str | None:
    """Where a link goes: a proposal id to Pioneer (mainnet only), an address to itself."""
    if link.isdigit():
        return PIONEER_PROPOSAL_URL.format(id=link) if network == PIONEER_NETWORK else None
    return link


def link_label(link: str) -> str:
    """How a link is named: ``proposal 123`` or the address."""
    return f"proposal {link}" if link.isdigit() else link
