"""Trim the query node's full GraphQL schema to the types and fields our queries use.

The project keeps ``council/schema/query_node.graphql``, a subset of the query node's SDL
with names, types, arguments and defaults exactly as in the full schema. It is generated:

    python -m council.schema_trim ../shared/reference-data/joystream/query-node-schema.graphql

Rules: the Query type keeps the fields our operations select, with all their arguments; an
object type keeps the fields selected on it (interfaces are dropped, since a trimmed type no
longer has all the interface's fields); an input type referenced by an argument keeps its
fields whose type is a scalar, an enum or another kept input type; enums are kept whole.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLInputObjectType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    build_ast_schema,
    get_named_type,
    is_enum_type,
    is_input_object_type,
    is_scalar_type,
    parse,
    print_ast,
    visit,
)
from graphql.language import (
    DefinitionNode,
    EnumTypeDefinitionNode,
    InputObjectTypeDefinitionNode,
    InterfaceTypeDefinitionNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    UnionTypeDefinitionNode,
)

from council.queries import all_query_documents

TRIMMED_SCHEMA_PATH = Path(__file__).parent / "schema" / "query_node.graphql"
BUILTIN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}


class _UsageCollector(Visitor):
    """Collects, per output type, the fields selected on it, and the argument input types."""

    def __init__(self, type_info: TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info
        self.fields: dict[str, set[str]] = defaultdict(set)
        self.arg_types: set[str] = set()

    def enter_field(self, node: FieldNode, *_args: object) -> None:
        parent = self.type_info.get_parent_type()
        field_def = self.type_info.get_field_def()
        if parent is None or field_def is None:
            return
        self.fields[parent.name].add(node.name.value)
        self.fields.setdefault(get_named_type(field_def.type).name, set())
        for arg in field_def.args.values():
            self.arg_types.add(get_named_type(arg.type).name)


def _collect_usage(schema: GraphQLSchema, documents: list[DocumentNode]) -> _UsageCollector:
    type_info = TypeInfo(schema)
    collector = _UsageCollector(type_info)
    for document in documents:
        visit(document, TypeInfoVisitor(type_info, collector))
    return collector


def _kept_input_fields(schema: GraphQLSchema, input_names: set[str]) -> dict[str, set[str]]:
    kept: dict[str, set[str]] = {}
    for name in input_names:
        input_type = schema.get_type(name)
        assert isinstance(input_type, GraphQLInputObjectType)
        kept[name] = set()
        for field_name, field in input_type.fields.items():
            named: GraphQLNamedType = get_named_type(field.type)
            if is_scalar_type(named) or is_enum_type(named) or named.name in input_names:
                kept[name].add(field_name)
    return kept


def _minimal_field(schema: GraphQLSchema, type_name: str, fields: dict[str, set[str]]) -> None:
    """Keep one field of an object type that nothing selects, so the type stays valid.

    Prefers a scalar or enum field; otherwise a field whose object type has an ``id``, and
    then that type with its ``id`` only.
    """
    object_type = schema.get_type(type_name)
    for name, field in object_type.fields.items():  # type: ignore[union-attr]
        if is_scalar_type(get_named_type(field.type)) or is_enum_type(get_named_type(field.type)):
            fields.setdefault(type_name, set()).add(name)
            return
    for name, field in object_type.fields.items():  # type: ignore[union-attr]
        target = get_named_type(field.type)
        if isinstance(target, GraphQLObjectType) and "id" in target.fields:
            fields.setdefault(type_name, set()).add(name)
            fields.setdefault(target.name, set()).add("id")
            return
    raise ValueError(f"cannot keep a minimal field of {type_name}")


def _add_union_members(schema: GraphQLSchema, fields: dict[str, set[str]]) -> None:
    """Every member of a selected union stays in the schema, so any answer can be typed."""
    for type_name in list(fields):
        union = schema.get_type(type_name)
        if isinstance(union, GraphQLUnionType):
            for member in union.types:
                if not fields.get(member.name):
                    _minimal_field(schema, member.name, fields)


def trim_schema(full_sdl: str, documents: list[DocumentNode]) -> str:
    """Return the SDL of ``full_sdl`` trimmed to what ``documents`` use."""
    full_doc = parse(full_sdl)
    schema = build_ast_schema(full_doc)
    usage = _collect_usage(schema, documents)

    input_names = {n for n in usage.arg_types if is_input_object_type(schema.get_type(n))}
    input_fields = _kept_input_fields(schema, input_names)
    leaf_names = {n for n in usage.arg_types if not is_input_object_type(schema.get_type(n))}
    for name, fields in input_fields.items():
        input_type = schema.get_type(name)
        assert isinstance(input_type, GraphQLInputObjectType)
        for field_name in fields:
            leaf_names.add(get_named_type(input_type.fields[field_name].type).name)
    output_fields = dict(usage.fields)
    _add_union_members(schema, output_fields)
    for type_name in list(output_fields):
        named = schema.get_type(type_name)
        if is_scalar_type(named) or is_enum_type(named):
            leaf_names.add(type_name)
            del output_fields[type_name]
        elif isinstance(named, GraphQLObjectType):
            for field_name in output_fields[type_name]:
                field = named.fields[field_name]  # type: ignore[union-attr]
                leaf = get_named_type(field.type)
                if is_scalar_type(leaf) or is_enum_type(leaf):
                    leaf_names.add(leaf.name)

    kept: list[DefinitionNode] = []
    for definition in full_doc.definitions:
        name = getattr(getattr(definition, "name", None), "value", None)
        if isinstance(definition, ObjectTypeDefinitionNode) and name in output_fields:
            fields = tuple(f for f in definition.fields if f.name.value in output_fields[name])
            kept.append(
                ObjectTypeDefinitionNode(
                    name=definition.name,
                    description=definition.description,
                    directives=definition.directives,
                    interfaces=(),
                    fields=fields,
                )
            )
        elif isinstance(definition, UnionTypeDefinitionNode) and name in output_fields:
            types = definition.types
            kept.append(
                UnionTypeDefinitionNode(
                    name=definition.name,
                    description=definition.description,
                    directives=definition.directives,
                    types=types,
                )
            )
        elif isinstance(definition, InputObjectTypeDefinitionNode) and name in input_fields:
            fields = tuple(f for f in definition.fields if f.name.value in input_fields[name])
            kept.append(
                InputObjectTypeDefinitionNode(
                    name=definition.name,
                    description=definition.description,
                    directives=definition.directives,
                    fields=fields,
                )
            )
        elif isinstance(definition, EnumTypeDefinitionNode | ScalarTypeDefinitionNode):
            if name in leaf_names and name not in BUILTIN_SCALARS:
                kept.append(definition)
        elif isinstance(definition, InterfaceTypeDefinitionNode):
            continue
    header = (
        "# Generated by `python -m council.schema_trim`: the Joystream query node schema,\n"
        "# trimmed to the types and fields the fetch module uses. Do not edit by hand.\n\n"
    )
    return header + print_ast(DocumentNode(definitions=tuple(kept))) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line: write the trimmed schema from the full one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("full_schema", type=Path, help="the query node's full SDL")
    parser.add_argument("--out", type=Path, default=TRIMMED_SCHEMA_PATH)
    args = parser.parse_args(argv)
    trimmed = trim_schema(args.full_schema.read_text(), all_query_documents())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(trimmed)
    print(f"wrote {args.out} ({len(trimmed.splitlines())} lines)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
