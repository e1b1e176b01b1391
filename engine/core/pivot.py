"""PIVOT and UNPIVOT in FROM, as both dialects write them, translated to DuckDB SQL.

PIVOT groups the source by every column but the pivoted one and the aggregate's argument, and
makes one column per value: the dialect's aggregate over `CASE WHEN c = v THEN x END` (so SUM,
AVG, COUNT … keep the dialect's result types), named by the value's alias or else its text as
written (Snowflake: `'2023_Q1'`, quotes included). `IN (ANY [ORDER BY …])` and `IN (subquery)`
read the values while the statement is translated (the translator's `evaluate`); the source's
tables are resolved, and so privilege-checked, first. DEFAULT ON NULL (d) replaces a NULL
aggregate by d. UNPIVOT is DuckDB's own (the same clause).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident, quote_literal
from cloneshell.grammar import ast

if TYPE_CHECKING:
    from cloneshell.engine.core.translate import Translator

_MARK = ast.Ident(name="__cs_pivoted", quoted=True)


def from_item(t: Translator, f: ast.Pivot | ast.Unpivot) -> str:
    """The FROM item's SQL."""
    if isinstance(f, ast.Unpivot):
        return _unpivot(t, f)
    return _pivot(t, f)


def _column_name(e: ast.Expr) -> ast.Ident | None:
    return e.parts[-1] if isinstance(e, ast.ColumnRef) else None


def _literal_name(value: object) -> str:
    """A fetched value's column name, as Snowflake writes it (strings in quotes)."""
    if isinstance(value, str):
        return "'" + value + "'"
    return str(value)


def _values(t: Translator, f: ast.Pivot) -> list[tuple[str, str]]:
    """(SQL of the value, name of its column) for each pivot value, in order."""
    if f.values:
        out = []
        for v in f.values:
            text = t.source_text(v.value)
            name = t.name_of(v.alias) if v.alias is not None else text
            out.append((t.expr(v.value), name))
        return out
    if t.evaluate is None:
        raise UnsupportedError("unsupported", f.span, message="PIVOT … IN (ANY | subquery)")
    if (
        f.any
        and isinstance(f.source, ast.TableRef)
        and len(f.source.name.parts) == 1
        and t.in_with_scope(f.source.name.parts[0])
    ):
        raise UnsupportedError("unsupported", f.span, message="PIVOT … IN (ANY) over a WITH query")
    sub = t.fork()
    if f.subquery is not None:
        sql = sub.query(f.subquery)
    else:
        column = sub.expr(f.column)
        order = (
            ", ".join(sub.order_item(o) for o in f.order_by) if f.order_by else "1 ASC NULLS LAST"
        )
        sql = (
            f"SELECT {column} FROM {sub.from_item(f.source)} WHERE {column} IS NOT NULL "
            f"GROUP BY {column} ORDER BY {order}"
        )
    seen: dict[object, None] = {}
    for row in t.evaluate(sql, sub.params):
        if row and row[0] is not None:
            seen.setdefault(row[0], None)
    return [(t.param(v), _literal_name(v)) for v in seen]


def _pivot(t: Translator, f: ast.Pivot) -> str:
    agg = f.aggregate
    if agg.over is not None or len(agg.args) > 1 or (not agg.args and not agg.star):
        raise SemanticError("semantic", agg.span, message="PIVOT takes one aggregate of one column")
    value_column = _column_name(f.column)
    if value_column is None:
        raise SemanticError("semantic", f.column.span, message="PIVOT … FOR names a column")
    excluded = [t.ident(value_column)]
    argument = agg.args[0] if agg.args else None
    if argument is not None:
        argument_column = _column_name(argument)
        if argument_column is not None and t.ident(argument_column) not in excluded:
            excluded.append(t.ident(argument_column))
    source = t.from_item(f.source)
    column = t.expr(f.column)
    picked = t.expr(argument) if argument is not None else "1"
    default = t.expr(f.default) if f.default is not None else None
    marker = ast.ColumnRef(span=agg.span, parts=(_MARK,))
    call = ast.FuncCall(span=agg.span, name=agg.name, args=(marker,), distinct=agg.distinct)
    outer_rewrite = t.rewrite
    items = []
    try:
        for value, name in _values(t, f):
            case = f"CASE WHEN {column} = {value} THEN {picked} END"

            def rewrite(e: ast.Expr, case: str = case) -> str | None:
                return case if e is marker else None

            t.rewrite = rewrite
            sql = t.expr(call)
            t.rewrite = outer_rewrite
            if default is not None:
                sql = f"coalesce({sql}, {default})"
            items.append(f"{sql} AS {quote_ident(name)}")
    finally:
        t.rewrite = outer_rewrite
    alias = t.ident(f.alias) if f.alias is not None else quote_ident("__cs_pivot")
    # No values (ANY over no rows): the groups alone.
    pivoted = "".join(", " + i for i in items)
    body = f"SELECT * EXCLUDE ({', '.join(excluded)}){pivoted} FROM {source} GROUP BY ALL"
    return f"({body}) AS {alias}{t.sample(f.sample)}"


def _unpivot(t: Translator, f: ast.Unpivot) -> str:
    columns = []
    for c in f.columns:
        sql = t.ident(c.column)
        if isinstance(c.alias, ast.Ident):
            sql += " AS " + quote_literal(t.name_of(c.alias))
        elif c.alias is not None:
            sql += " AS " + quote_literal(c.alias)
        columns.append(sql)
    nulls = " INCLUDE NULLS" if f.include_nulls else ""
    alias = t.ident(f.alias) if f.alias is not None else quote_ident("__cs_unpivot")
    return (
        f"(SELECT * FROM {t.from_item(f.source)} UNPIVOT{nulls} ({t.ident(f.value)} FOR "
        f"{t.ident(f.name)} IN ({', '.join(columns)}))) AS {alias}"
    )
