"""Statements that read or change rows: SELECT, INSERT, UPDATE, DELETE."""

from __future__ import annotations

from typing import Any

from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import (
    BuilderBase,
    Opts,
    clause,
    flag,
    make_node,
    meta_span,
)


class DmlRules(BuilderBase):
    """The rules of SELECT, INSERT, UPDATE and DELETE."""

    query_stmt = make_node(ast.QueryStmt, query=ast.Query)

    def insert_stmt(self, meta: Meta, children: list[Any]) -> ast.Insert:
        return self._make(
            ast.Insert, meta, children, table=ast.QualifiedName, source=(ast.Query, ast.Values)
        )

    overwrite = flag("overwrite")
    insert_partition = clause("partition")

    def column_list(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), columns=tuple(children))

    def values(self, meta: Meta, children: list[Any]) -> ast.Values:
        return ast.Values(span=meta_span(meta), rows=tuple(children))

    def row(self, meta: Meta, children: list[Any]) -> tuple[ast.Expr, ...]:
        result: tuple[ast.Expr, ...] = children[0]
        return result

    update_stmt = make_node(ast.Update, table=ast.QualifiedName)

    def assignments(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), assignments=tuple(children))

    assignment = make_node(ast.Assignment, column=ast.Ident, value=ast.Expr)
    delete_stmt = make_node(ast.Delete, table=ast.QualifiedName)
    using_clause = clause("using")
