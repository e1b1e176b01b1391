"""Snowflake's hierarchical queries: `START WITH … CONNECT BY [NOCYCLE] …`, `PRIOR x` and
`CONNECT_BY_ROOT x`."""

from __future__ import annotations

from typing import Any

from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import BuilderBase, Opts, meta_span
from cloneshell.grammar.errors import SqlSyntaxError


class HierarchyRules(BuilderBase):
    """The rules of CONNECT BY."""

    def hierarchy(self, meta: Meta, children: list[Any]) -> Opts:
        starts = [c["start"] for c in children if isinstance(c, Opts) and "start" in c]
        if len(starts) > 1:
            raise SqlSyntaxError("START WITH is given twice", meta_span(meta))
        nocycle = any(isinstance(c, Opts) and c.get("nocycle") for c in children)
        (condition,) = [c for c in children if isinstance(c, ast.Expr)]
        connect = ast.ConnectBy(
            span=meta_span(meta),
            condition=condition,
            start=starts[0] if starts else None,
            nocycle=nocycle,
        )
        return Opts(meta_span(meta), connect_by=connect)

    def start_with(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), start=children[0])

    def nocycle(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), nocycle=True)

    def prior(self, meta: Meta, children: list[Any]) -> ast.Prior:
        return ast.Prior(span=meta_span(meta), operand=children[-1])

    def connect_by_root(self, meta: Meta, children: list[Any]) -> ast.ConnectByRoot:
        return ast.ConnectByRoot(span=meta_span(meta), operand=children[-1])
