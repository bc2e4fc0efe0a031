"""Every operation the fetch module sends validates against the query node's schema."""

from pathlib import Path

import pytest
from graphql import GraphQLObjectType, build_schema, parse, validate

from council.fetch import ENTITIES
from council.queries import query_files, query_text
from council.schema_trim import TRIMMED_SCHEMA_PATH, trim_schema

FULL_SCHEMA = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "reference-data"
    / "joystream"
    / "query-node-schema.graphql"
)
needs_full_schema = pytest.mark.skipif(
    not FULL_SCHEMA.exists(), reason=f"full query node schema not present at {FULL_SCHEMA}"
)


@pytest.fixture(scope="module")
def trimmed():
    return build_schema(TRIMMED_SCHEMA_PATH.read_text())


@pytest.fixture(scope="module")
def full():
    return build_schema(FULL_SCHEMA.read_text())


@pytest.mark.parametrize("path", query_files(), ids=lambda p: p.name)
def test_query_validates_against_trimmed_schema(trimmed, path: Path) -> None:
    errors = validate(trimmed, parse(path.read_text()))
    assert errors == [], [e.message for e in errors]


@needs_full_schema
@pytest.mark.parametrize("path", query_files(), ids=lambda p: p.name)
def test_query_validates_against_full_schema(full, path: Path) -> None:
    errors = validate(full, parse(path.read_text()))
    assert errors == [], [e.message for e in errors]


def test_a_wrong_field_does_not_validate(trimmed) -> None:
    errors = validate(trimmed, parse("query { electionRounds { cycleId noSuchField } }"))
    assert [e.message for e in errors] == [
        "Cannot query field 'noSuchField' on type 'ElectionRound'."
    ]


def test_every_entity_names_operations_that_exist() -> None:
    for spec in ENTITIES:
        document = parse(query_text(spec.query_file))
        names = {d.name.value for d in document.definitions}
        assert {spec.page_operation, spec.count_operation} <= names


def test_list_fields_keep_the_default_limit_of_50(trimmed) -> None:
    for spec in ENTITIES:
        field = trimmed.query_type.fields[spec.list_field]
        assert field.args["limit"].ast_node.default_value.value == "50"
        assert set(field.args) == {"offset", "limit", "where", "orderBy"}


@needs_full_schema
def test_trimmed_types_match_the_full_schema(trimmed, full) -> None:
    for name, trimmed_type in trimmed.type_map.items():
        if name.startswith("__") or not isinstance(trimmed_type, GraphQLObjectType):
            continue
        full_type = full.type_map[name]
        for field_name, field in trimmed_type.fields.items():
            assert str(field.type) == str(full_type.fields[field_name].type), (name, field_name)


@needs_full_schema
def test_trimmed_schema_is_up_to_date() -> None:
    from council.queries import all_query_documents

    expected = trim_schema(FULL_SCHEMA.read_text(), all_query_documents())
    assert TRIMMED_SCHEMA_PATH.read_text() == expected, (
        "run: python -m council.schema_trim ../shared/reference-data/joystream/"
        "query-node-schema.graphql"
    )
