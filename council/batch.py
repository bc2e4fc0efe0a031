"""Several named operations of council/queries/ sent as one GraphQL request.

The query node accepts several root fields in one operation. :func:`combine` builds one
operation from parts (a query file, an operation of it, its variables): each part's root field
is aliased to the part's ``alias`` and its variables are renamed ``<alias>_<name>``, so the
same list can be asked for twice (a count and a page) and parts never share a variable. The
result is an ordinary document: the fetch validates it against the schema like any other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    NameNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    parse,
    visit,
)

from council.queries import query_text


@dataclass(frozen=True)
class Part:
    """One operation of a query file, to be sent under ``alias`` with ``variables``."""

    alias: str
    query_file: str
    operation: str
    variables: Mapping[str, Any] = field(default_factory=dict)


def _operation(document: DocumentNode, name: str, query_file: str) -> OperationDefinitionNode:
    for definition in document.definitions:
        named = isinstance(definition, OperationDefinitionNode) and definition.name
        if named and definition.name.value == name:
            return definition
    raise ValueError(f"{query_file}.graphql has no operation {name}")


class _RenameVariables(Visitor):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def enter_variable(self, node: VariableNode, *_args: Any) -> VariableNode:
        return VariableNode(name=NameNode(value=f"{self.prefix}{node.name.value}"))


def _aliased_part(part: Part) -> tuple[FieldNode, list[VariableDefinitionNode], list[Any]]:
    """The part's one root field under its alias, its renamed variable definitions and the
    fragment definitions of its file."""
    document = parse(query_text(part.query_file))
    operation = _operation(document, part.operation, part.query_file)
    fields = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    if len(fields) != 1 or len(operation.selection_set.selections) != 1:
        raise ValueError(f"{part.operation}: a batched operation must have one root field")
    prefix = f"{part.alias}_"
    renamed = visit(operation, _RenameVariables(prefix))
    root = renamed.selection_set.selections[0]
    aliased = FieldNode(
        alias=NameNode(value=part.alias),
        name=root.name,
        arguments=root.arguments,
        directives=root.directives,
        selection_set=root.selection_set,
    )
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    return aliased, list(renamed.variable_definitions or ()), fragments


def combine(parts: Sequence[Part], name: str) -> tuple[DocumentNode, dict[str, Any]]:
    """One query operation ``name`` asking for every part; its document and variables.

    The answer's ``data`` holds each part's root field under ``part.alias``. Aliases must be
    unique GraphQL names; variables a part leaves out stay unset (null).
    """
    aliases = [p.alias for p in parts]
    if len(set(aliases)) != len(aliases):
        raise ValueError(f"aliases repeat: {aliases}")
    selections: list[FieldNode] = []
    definitions: list[VariableDefinitionNode] = []
    fragments: dict[str, Any] = {}
    for part in parts:
        root, variable_definitions, part_fragments = _aliased_part(part)
        selections.append(root)
        definitions.extend(variable_definitions)
        for fragment in part_fragments:
            fragments.setdefault(fragment.name.value, fragment)
    operation = OperationDefinitionNode(
        operation=OperationType.QUERY,
        name=NameNode(value=name),
        variable_definitions=tuple(definitions),
        directives=(),
        selection_set=SelectionSetNode(selections=tuple(selections)),
    )
    return DocumentNode(definitions=(operation, *fragments.values())), renamed_variables(parts)


def renamed_variables(parts: Sequence[Part]) -> dict[str, Any]:
    """The variables of :func:`combine`'s operation: each part's, as ``<alias>_<name>``."""
    return {f"{p.alias}_{k}": v for p in parts for k, v in p.variables.items()}


def alias_of_error(error: Mapping[str, Any]) -> str | None:
    """The alias (root field) a GraphQL error's ``path`` starts at, if it has one."""
    path = error.get("path") if isinstance(error, Mapping) else None
    return str(path[0]) if isinstance(path, list) and path else None
