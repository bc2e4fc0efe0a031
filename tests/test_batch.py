"""council.batch: several operations of council/queries/ as one aliased operation."""

from __future__ import annotations

import pytest
from graphql import build_schema, print_ast, validate

from council import batch
from council.schema_trim import TRIMMED_SCHEMA_PATH


def test_parts_become_aliased_root_fields_with_their_own_variables() -> None:
    parts = [
        batch.Part("count0", "candidates", "CandidatesCount", {"where": {"id_eq": "1"}}),
        batch.Part("page0", "candidates", "CandidatesPage", {"offset": 0, "limit": 3}),
        batch.Part("page1", "cast_votes", "CastVotesPage", {"offset": 5, "limit": 7}),
    ]
    document, variables = batch.combine(parts, "FirstPages")
    assert validate(build_schema(TRIMMED_SCHEMA_PATH.read_text()), document) == []
    text = print_ast(document)
    assert text.startswith("query FirstPages(")
    assert "count0: candidatesConnection(where: $count0_where" in text
    assert "page1: castVotes(" in text and "offset: $page1_offset" in text
    assert variables == {
        "count0_where": {"id_eq": "1"},
        "page0_offset": 0,
        "page0_limit": 3,
        "page1_offset": 5,
        "page1_limit": 7,
    }


def test_a_repeated_alias_or_an_unknown_operation_is_refused() -> None:
    twice = [batch.Part("a", "probe", "Probe"), batch.Part("a", "probe", "Probe")]
    with pytest.raises(ValueError, match="aliases repeat"):
        batch.combine(twice, "Twice")
    with pytest.raises(ValueError, match=r"probe\.graphql has no operation Nope"):
        batch.combine([batch.Part("a", "probe", "Nope")], "Unknown")


def test_an_error_path_names_its_alias() -> None:
    assert batch.alias_of_error({"path": ["page3", 2, "stage", "endsAt"]}) == "page3"
    assert batch.alias_of_error({"message": "no path"}) is None
