"""MERGE: the target, the source, the join condition and each WHEN clause."""

from __future__ import annotations

from typing import Any

from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import BuilderBase, Opts, meta_span


class MergeRules(BuilderBase):
    """The rules of MERGE."""

    def merge_stmt(self, meta: Meta, children: list[Any]) -> ast.Merge:
        clauses = tuple(c for c in children if isinstance(c, ast.MergeClause))
        rest = [c for c in children if not isinstance(c, ast.MergeClause)]
        name, *more = rest
        alias = [c for c in more if isinstance(c, Opts) and c.clause == "alias"]
        others = [c for c in more if c not in alias]
        source, on = others
        return self._make(
            ast.Merge,
            meta,
            [name, *alias, Opts(meta_span(meta), source=source, on=on, clauses=clauses)],
            table=ast.QualifiedName,
        )

    def merge_set(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), assignments=tuple(children))

    def merge_assignment(self, meta: Meta, children: list[Any]) -> ast.Assignment:
        *names, value = children
        return ast.Assignment(span=meta_span(meta), column=names[-1], value=value)

    def merge_and(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), condition=children[0])

    def _clause(self, meta: Meta, action: str, children: list[Any]) -> ast.MergeClause:
        fields: dict[str, Any] = {}
        for c in children:
            if isinstance(c, Opts):
                fields.update(c.items())
            elif isinstance(c, tuple):
                fields["values"] = c
        return ast.MergeClause(span=meta_span(meta), action=action, **fields)  # type: ignore[arg-type]

    def merge_update(self, meta: Meta, children: list[Any]) -> ast.MergeClause:
        return self._clause(meta, "UPDATE", children)

    def merge_delete(self, meta: Meta, children: list[Any]) -> ast.MergeClause:
        return self._clause(meta, "DELETE", children)

    def merge_insert(self, meta: Meta, children: list[Any]) -> ast.MergeClause:
        return self._clause(meta, "INSERT", children)
