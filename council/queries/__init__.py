"""The GraphQL operations the fetch module sends, one file per entity."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graphql import DocumentNode, parse

QUERY_DIR = Path(__file__).parent


def query_files() -> list[Path]:
    """Every .graphql file in this folder, sorted by name."""
    return sorted(QUERY_DIR.glob("*.graphql"))


@cache
def query_text(entity: str) -> str:
    """The text of ``<entity>.graphql`` (e.g. ``election_rounds``)."""
    return (QUERY_DIR / f"{entity}.graphql").read_text()


def all_query_documents() -> list[DocumentNode]:
    """Every operation document, parsed."""
    return [parse(path.read_text()) for path in query_files()]
