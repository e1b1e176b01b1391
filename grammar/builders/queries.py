"""Queries: WITH, SELECT blocks, FROM items and joins, set operations, ORDER BY and LIMIT."""

from __future__ import annotations

from typing import Any
from typing import Literal as Lit

from lark.lexer import Token
from lark.tree import Meta

from cloneshell.grammar import ast
from cloneshell.grammar.builders.base import (
    BuilderBase,
    Opts,
    clause,
    first_token,
    flag,
    make_node,
    meta_span,
)
from cloneshell.grammar.errors import SqlSyntaxError

_GroupingKind = Lit["ROLLUP", "CUBE", "SETS"]


class QueryRules(BuilderBase):
    """The rules of queries."""

    def query(self, meta: Meta, children: list[Any]) -> ast.Query:
        if len(children) == 1 and isinstance(children[0], ast.Query):
            return children[0]  # `(query)` alone: no need for a second Query around it
        return self._make(ast.Query, meta, children, body=(ast.Select, ast.SetOp, ast.Query))

    def paren_query(self, meta: Meta, children: list[Any]) -> ast.Query | ast.Select | ast.SetOp:
        query: ast.Query = children[0]
        if query.with_ or query.order_by or query.limit or query.offset:
            return query
        return query.body  # the parentheses only grouped a set operation

    def set_operation(self, meta: Meta, children: list[Any]) -> ast.SetOp:
        left, (op, all_), right = children
        return ast.SetOp(span=meta_span(meta), op=op, all=all_, left=left, right=right)

    def union_op(self, meta: Meta, children: list[Any]) -> tuple[str, bool]:
        words = [str(t).upper() for t in children]
        op = "EXCEPT" if words[0] == "MINUS" else words[0]
        return op, words[-1] == "ALL"

    intersect_op = union_op

    def with_clause(self, meta: Meta, children: list[Any]) -> Opts:
        ctes = tuple(c for c in children if isinstance(c, ast.Cte))
        return Opts(meta_span(meta), with_=ctes, recursive=len(ctes) < len(children))

    def recursive(self, meta: Meta, children: list[Any]) -> bool:
        return True

    cte = make_node(ast.Cte, name=ast.Ident, query=ast.Query)
    select = make_node(ast.Select)

    def distinct(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), distinct=str(children[0]).upper() == "DISTINCT")

    def select_list(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), items=tuple(children))

    select_expr = make_node(ast.SelectItem, expr=ast.Expr)

    def select_multi_alias(self, meta: Meta, children: list[Any]) -> ast.SelectItem:
        expr, *names = children
        return ast.SelectItem(span=meta_span(meta), expr=expr, aliases=tuple(names))

    def lateral_view(self, meta: Meta, children: list[Any]) -> ast.LateralView:
        source, *rest = children
        outer = bool(rest) and rest[0] is True
        func, alias, *columns = rest[1:] if outer else rest
        return ast.LateralView(
            span=meta_span(meta),
            source=source,
            func=func,
            alias=alias,
            columns=tuple(columns),
            outer=outer,
        )

    def lateral_outer(self, meta: Meta, children: list[Any]) -> bool:
        return True

    def hive_sort(self, meta: Meta, children: list[Any]) -> Opts:
        values: dict[str, Any] = {}
        for child in children:
            values.update(child)
        return Opts(meta_span(meta), **values)

    distribute_by = clause("distribute_by")

    def sort_by(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), sort_by=tuple(children))

    def cluster_by_query(self, meta: Meta, children: list[Any]) -> Opts:
        (exprs,) = children
        items = tuple(ast.OrderItem(span=e.span, expr=e) for e in exprs)
        return Opts(meta_span(meta), distribute_by=exprs, sort_by=items)

    def select_star(self, meta: Meta, children: list[Any]) -> ast.SelectItem:
        exclude: tuple[ast.Ident, ...] = ()
        if children and isinstance(children[-1], Opts):
            *children, opts = children
            exclude = opts["exclude"]
        qualifier = self._qualified(children[0]) if children else None
        star = ast.Star(span=meta_span(meta), qualifier=qualifier, exclude=exclude)
        return ast.SelectItem(span=meta_span(meta), expr=star)

    def star_exclude(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), exclude=tuple(children))

    from_clause = clause("from_")

    def comma_join(self, meta: Meta, children: list[Any]) -> ast.Join:
        left, right = children
        return ast.Join(span=meta_span(meta), left=left, right=right, kind="CROSS")

    join = make_node(ast.Join, left=ast.FromItem, right=ast.FromItem)

    def join_op(self, meta: Meta, children: list[Any]) -> Opts:
        words = [str(t).upper() for t in children if str(t).upper() not in ("OUTER", "JOIN")]
        return Opts(meta_span(meta), kind=" ".join(words) or "INNER")

    join_on = clause("on")

    def join_match(self, meta: Meta, children: list[Any]) -> Opts:
        match, *on = children
        return Opts(meta_span(meta), match=match, on=on[0] if on else None)

    def join_using(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), using=children[0])

    table_ref = make_node(ast.TableRef, name=ast.QualifiedName)
    subquery_ref = make_node(ast.SubqueryRef, query=ast.Query)

    def bucket_table_ref(self, meta: Meta, children: list[Any]) -> ast.BucketSample:
        numbers = [c for c in children if isinstance(c, Token) and c.type == "NUMBER"]
        parts = [c for c in children if not (isinstance(c, Token) and c.type == "NUMBER")]
        on = parts.pop() if parts and isinstance(parts[-1], (tuple, list)) else ()
        table = self.table_ref(meta, parts)
        assert isinstance(table, ast.TableRef)
        bucket, buckets = numbers
        return ast.BucketSample(
            span=meta_span(meta),
            table=table,
            bucket=_count(bucket),
            buckets=_count(buckets),
            on=tuple(on),
        )

    table_function = make_node(ast.TableFunctionRef, func=ast.FuncCall)

    def values_ref(self, meta: Meta, children: list[Any]) -> ast.ValuesRef:
        rows = tuple(c for c in children if isinstance(c, tuple))
        opts = [c for c in children if isinstance(c, Opts)]
        values = ast.Values(span=meta_span(meta), rows=rows)
        named: dict[str, Any] = {}
        for opt in opts:
            named.update(opt)
        return ast.ValuesRef(span=meta_span(meta), values=values, **named)

    def time_travel(self, meta: Meta, children: list[Any]) -> Opts:
        kind, _, by, _, expr, _ = children
        # The grammar admits only AT/BEFORE and TIMESTAMP/OFFSET/STATEMENT here.
        words: dict[str, Any] = {"kind": str(kind).upper(), "by": str(by).upper()}
        travel = ast.TimeTravel(span=meta_span(meta), expr=expr, **words)
        return Opts(meta_span(meta), time_travel=travel)

    def sample_clause(self, meta: Meta, children: list[Any]) -> Opts:
        # ROW and BLOCK are BERNOULLI's and SYSTEM's synonyms; BERNOULLI unless told.
        method = "BERNOULLI"
        rows = False
        seed = None
        (size,) = [c for c in children if isinstance(c, ast.Expr)]
        for child in children:
            if isinstance(child, Token):
                word = str(child).upper()
                method = {"ROW": "BERNOULLI", "BLOCK": "SYSTEM"}.get(word, word)
            elif isinstance(child, Opts):
                rows = rows or bool(child.get("rows"))
                seed = child.get("seed", seed)
        sample = ast.TableSample(
            span=meta_span(meta), method=method, size=size, rows=rows, seed=seed
        )
        return Opts(meta_span(meta), sample=sample)

    sample_method = first_token
    sample_rows = flag("rows")
    sample_seed = clause("seed")

    alias = clause("alias")

    def alias_columns(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), columns=tuple(children))

    where_clause = clause("where")
    group_by = clause("group_by")
    having = clause("having")
    qualify = clause("qualify")

    def group_list(self, meta: Meta, children: list[Any]) -> tuple[ast.Expr, ...]:
        return tuple(children)

    def _grouping_node(self, kind: _GroupingKind, meta: Meta, children: list[Any]) -> ast.Grouping:
        return ast.Grouping(span=meta_span(meta), kind=kind, items=tuple(children))

    def rollup(self, meta: Meta, children: list[Any]) -> ast.Grouping:
        return self._grouping_node("ROLLUP", meta, children)

    def cube(self, meta: Meta, children: list[Any]) -> ast.Grouping:
        return self._grouping_node("CUBE", meta, children)

    def grouping_sets(self, meta: Meta, children: list[Any]) -> ast.Grouping:
        return self._grouping_node("SETS", meta, children)

    def group_tuple(self, meta: Meta, children: list[Any]) -> ast.GroupTuple:
        exprs = [children[0], *children[1]] if children else []
        return ast.GroupTuple(span=meta_span(meta), exprs=tuple(exprs))

    def _hive_grouping(
        self,
        meta: Meta,
        kind: _GroupingKind,
        keys: tuple[ast.Expr, ...],
        items: tuple[ast.Expr, ...],
    ) -> Opts:
        """Hive's `GROUP BY a, b GROUPING SETS (…)` / `WITH ROLLUP|CUBE`: the groupings over the
        listed columns, which must be plain expressions."""
        for key in keys:
            if isinstance(key, ast.Grouping):
                raise SqlSyntaxError(
                    "GROUPING SETS, WITH ROLLUP and WITH CUBE follow a list of plain GROUP BY "
                    "expressions",
                    key.span,
                )
        grouping = ast.Grouping(span=meta_span(meta), kind=kind, items=items, keys=keys)
        return Opts(meta_span(meta), group_by=(grouping,))

    def group_by_hive_sets(self, meta: Meta, children: list[Any]) -> Opts:
        keys, sets = children
        return self._hive_grouping(meta, "SETS", keys, sets.items)

    def group_by_with_rollup(self, meta: Meta, children: list[Any]) -> Opts:
        return self._hive_grouping(meta, "ROLLUP", children[0], children[0])

    def group_by_with_cube(self, meta: Meta, children: list[Any]) -> Opts:
        return self._hive_grouping(meta, "CUBE", children[0], children[0])

    def order_by(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), order_by=tuple(children))

    order_item = make_node(ast.OrderItem, expr=ast.Expr)

    def sort_dir(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), desc=str(children[0]).upper() == "DESC")

    def nulls_order(self, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), nulls=str(children[1]).upper())

    def limit_offset(self, meta: Meta, children: list[Any]) -> Opts:
        limit, *offset = children
        return Opts(meta_span(meta), limit=limit, offset=offset[0] if offset else None)

    def limit_comma(self, meta: Meta, children: list[Any]) -> Opts:
        offset, limit = children
        return Opts(meta_span(meta), limit=limit, offset=offset)


def _count(token: Any) -> int:
    """A TABLESAMPLE bucket number: a plain integer (a decimal or a suffix reads as 0, which the
    engine refuses as out of range)."""
    text = str(token)
    return int(text) if text.isdigit() else 0
