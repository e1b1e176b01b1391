"""CREATE VIEW: the view's column list and its query, kept with the query's text."""

from __future__ import annotations

from typing import Any

from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import BuilderBase, Opts, flag, make_node, meta_span


class ViewRules(BuilderBase):
    """The rules of CREATE VIEW."""

    def create_view(self, meta: Meta, children: list[Any]) -> ast.CreateView:
        options = tuple(c for c in children if isinstance(c, ast.ObjectOption))
        policies = tuple(c for c in children if isinstance(c, ast.Policy))
        rest = [c for c in children if not isinstance(c, (ast.ObjectOption, ast.Policy))]
        if options:
            rest.append(Opts(options[0].span, "object_option", options=options))
        if policies:
            rest.append(Opts(policies[0].span, "table_policy", policies=policies))
        return self._make(ast.CreateView, meta, rest, name=ast.QualifiedName)

    materialized = flag("materialized")
    secure = flag("secure")
    view_column = make_node(ast.ViewColumn, name=ast.Ident)

    def view_columns(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), columns=tuple(children))

    def view_query(self, meta: Meta, children: list[Any]) -> Opts:
        (query,) = children
        return Opts(meta_span(meta), query=query, query_text=self._node_text(query))
