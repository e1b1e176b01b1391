"""CREATE VIEW: the view's column list and its query, kept with the query's text."""

from __future__ import annotations

from typing import Any

from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import BuilderBase, Opts, flag, make_node, meta_span


class ViewRules(BuilderBase):
    """The rules of CREATE VIEW."""

    create_view = make_node(ast.CreateView, name=ast.QualifiedName)
    secure = flag("secure")
    view_column = make_node(ast.ViewColumn, name=ast.Ident)

    def view_columns(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), columns=tuple(children))

    def view_query(self, meta: Meta, children: list[Any]) -> Opts:
        (query,) = children
        return Opts(meta_span(meta), query=query, query_text=self._node_text(query))
