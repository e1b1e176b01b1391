"""Snowflake's ALTER TABLE actions (grammar/ast/alter.py): ADD/DROP/RENAME COLUMN, ALTER|MODIFY
COLUMN changes, SWAP WITH, CLUSTER BY, DROP CLUSTERING KEY, SUSPEND|RESUME RECLUSTER, and
ADD/DROP/RENAME/ALTER of out-of-line constraints."""

from __future__ import annotations

from typing import Any

from lark.lexer import Token
from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import BuilderBase, Opts, make_node, meta_span, token_span
from cloneshell.grammar.builders.constraints import ConstraintProp
from cloneshell.grammar.errors import SqlSyntaxError


class AlterTableRules(BuilderBase):
    """The rules of Snowflake's ALTER TABLE actions."""

    def alter_table(self, meta: Meta, children: list[Any]) -> ast.AlterTable:
        kind, *rest = children
        if str(kind).upper() != "TABLE":
            raise SqlSyntaxError(
                f"this action is only valid in ALTER TABLE, not ALTER {str(kind).upper()}",
                token_span(kind),
                str(kind),
            )
        return self._make(ast.AlterTable, meta, rest, name=ast.QualifiedName, action=ast.Node)

    def add_columns(self, meta: Meta, children: list[Any]) -> ast.AddColumns:
        opts = [c for c in children if isinstance(c, Opts)]
        return self._make(
            ast.AddColumns,
            meta,
            [*opts, Opts(meta_span(meta), columns=tuple(c for c in children if c not in opts))],
        )

    def drop_columns(self, meta: Meta, children: list[Any]) -> ast.DropColumns:
        opts = [c for c in children if isinstance(c, Opts)]
        names = tuple(c for c in children if isinstance(c, ast.Ident))
        return self._make(ast.DropColumns, meta, [*opts, Opts(meta_span(meta), names=names)])

    rename_column = make_node(ast.RenameColumn, old=ast.Ident, new=ast.Ident)

    def alter_columns(self, meta: Meta, children: list[Any]) -> ast.AlterColumns:
        return ast.AlterColumns(span=meta_span(meta), changes=tuple(children))

    def column_change(self, meta: Meta, children: list[Any]) -> ast.ColumnChange:
        column, change = children
        return ast.ColumnChange(span=meta_span(meta), column=column, **change)

    def set_not_null(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), change="SET NOT NULL")

    def drop_not_null(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), change="DROP NOT NULL")

    def set_default(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), change="SET DEFAULT", default=children[0])

    def drop_default(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), change="DROP DEFAULT")

    def set_type(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), change="TYPE", type=children[-1])

    def set_column_comment(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), change="COMMENT", comment=children[-1])

    swap_with = make_node(ast.SwapWith, other=ast.QualifiedName)

    def clustering(self, meta: Meta, children: list[Any]) -> ast.Clustering:
        (by,) = children
        exprs = by["cluster_by"] if isinstance(by, Opts) else by
        return ast.Clustering(span=meta_span(meta), by=tuple(exprs))

    def drop_clustering(self, meta: Meta, children: list[Any]) -> ast.Clustering:
        return ast.Clustering(span=meta_span(meta))

    def recluster(self, meta: Meta, children: list[Any]) -> ast.Clustering:
        word: Token = children[0]
        if str(word).upper() == "SUSPEND":
            return ast.Clustering(span=meta_span(meta), recluster="SUSPEND")
        return ast.Clustering(span=meta_span(meta), recluster="RESUME")

    def add_constraint(self, meta: Meta, children: list[Any]) -> ast.AddConstraint:
        (constraint,) = children
        return ast.AddConstraint(span=meta_span(meta), constraint=constraint)

    def constraint_ref(self, meta: Meta, children: list[Any]) -> ast.ConstraintRef:
        first = str(children[0]).upper()
        span = meta_span(meta)
        if first == "CONSTRAINT":
            return ast.ConstraintRef(span=span, kind="", name=children[1])
        columns = tuple(next((c for c in children if isinstance(c, tuple)), ()))
        if first == "PRIMARY":
            return ast.ConstraintRef(span=span, kind="PRIMARY KEY")
        if first == "UNIQUE":
            return ast.ConstraintRef(span=span, kind="UNIQUE", columns=columns)
        return ast.ConstraintRef(span=span, kind="FOREIGN KEY", columns=columns)

    def drop_constraint(self, meta: Meta, children: list[Any]) -> ast.DropConstraint:
        restrict = any(isinstance(c, Opts) and c.get("cascade") is False for c in children)
        return ast.DropConstraint(span=meta_span(meta), ref=children[0], restrict=restrict)

    rename_constraint = make_node(ast.RenameConstraint, old=ast.Ident, new=ast.Ident)

    def alter_constraint(self, meta: Meta, children: list[Any]) -> ast.AlterConstraint:
        ref = next(c for c in children if isinstance(c, ast.ConstraintRef))
        props = tuple(str(c) for c in children if isinstance(c, ConstraintProp))
        return ast.AlterConstraint(span=meta_span(meta), ref=ref, properties=props)
