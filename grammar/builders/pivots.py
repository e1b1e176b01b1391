"""PIVOT and UNPIVOT in FROM."""

from __future__ import annotations

from typing import Any

from lark.lexer import Token
from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import BuilderBase, Opts, meta_span


class PivotRules(BuilderBase):
    """The rules of PIVOT and UNPIVOT."""

    def pivot_ref(self, meta: Meta, children: list[Any]) -> ast.Pivot:
        source, aggregate, column, *rest = children
        fields: dict[str, Any] = {}
        values: list[ast.PivotValue] = []
        for child in rest:
            if isinstance(child, ast.PivotValue):
                values.append(child)
            elif isinstance(child, ast.Query):
                fields["subquery"] = child
            elif isinstance(child, Opts):
                fields.update(child)
        return ast.Pivot(
            span=meta_span(meta),
            source=source,
            aggregate=aggregate,
            column=column,
            values=tuple(values),
            **fields,
        )

    def pivot_value(self, meta: Meta, children: list[Any]) -> ast.PivotValue:
        value, *alias = children
        name = alias[0]["alias"] if alias else None
        return ast.PivotValue(span=meta_span(meta), value=value, alias=name)

    def pivot_any(self, meta: Meta, children: list[Any]) -> Opts:
        order = children[0]["order_by"] if children else ()
        return Opts(meta_span(meta), any=True, order_by=order)

    def pivot_default(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), default=children[0])

    def unpivot_ref(self, meta: Meta, children: list[Any]) -> ast.Unpivot:
        source, *rest = children
        include = False
        fields: dict[str, Any] = {}
        idents: list[ast.Ident] = []
        columns: list[ast.UnpivotColumn] = []
        for child in rest:
            if isinstance(child, bool):
                include = child
            elif isinstance(child, ast.Ident):
                idents.append(child)
            elif isinstance(child, ast.UnpivotColumn):
                columns.append(child)
            elif isinstance(child, Opts):
                fields.update(child)
        value, name = idents
        return ast.Unpivot(
            span=meta_span(meta),
            source=source,
            value=value,
            name=name,
            columns=tuple(columns),
            include_nulls=include,
            **fields,
        )

    def unpivot_nulls(self, meta: Meta, children: list[Any]) -> bool:
        return isinstance(children[0], Token) and str(children[0]).upper() == "INCLUDE"

    def unpivot_column(self, meta: Meta, children: list[Any]) -> ast.UnpivotColumn:
        column, *alias = [c for c in children if not (isinstance(c, Token) and c == "AS")]
        label: ast.Ident | str | None = None
        if alias:
            (given,) = alias
            label = given if isinstance(given, ast.Ident) else str(given.value)
        return ast.UnpivotColumn(span=meta_span(meta), column=column, alias=label)
