"""A partition filter condition (`ALTER TABLE t DROP PARTITION (ds < '2019')`): which of a
table's partitions it matches. The condition reads one partition column, through the
comparison, IN, LIKE, BETWEEN and AND/OR/NOT operators and built-in scalar functions (the
partition operations page's limits); it is run as a query over the partition list, so every
function means what it means in a SELECT."""

from __future__ import annotations

import dataclasses

from cloneshell.engine.core.catalog import TableMeta
from cloneshell.engine.core.errors import SemanticError
from cloneshell.engine.core.quoting import quote_ident, quote_literal
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.maxcompute import catalog
from cloneshell.engine.maxcompute.context import MaxComputeContext, Target
from cloneshell.grammar import ast

_SPEC = "__cs_spec"
_PARTS = "__cs_partitions"


def _columns(node: object, found: list[ast.ColumnRef]) -> None:
    if isinstance(node, ast.ColumnRef):
        found.append(node)
    elif isinstance(node, tuple):
        for item in node:
            _columns(item, found)
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            _columns(getattr(node, f.name), found)


def matching(ctx: MaxComputeContext, target: Target, condition: ast.Expr) -> list[str]:
    """The specs of the partitions of `target` that `condition` holds for."""
    table = target.table
    assert table is not None
    names = {c.name for c in table.partition_columns}
    refs: list[ast.ColumnRef] = []
    _columns(condition, refs)
    used = set()
    for ref in refs:
        name = ctx.session.dialect.fold_ident(ref.parts[-1])
        if len(ref.parts) > 1 or name not in names:
            raise SemanticError(
                "semantic",
                ref.span,
                message=f"{name} is not a partition column of table {table.name}",
            )
        used.add(name)
    if len(used) > 1:
        raise SemanticError(
            "semantic",
            condition.span,
            message="a partition filter condition may read only one partition column",
        )
    parts = catalog.list_partitions(target.cat, table)
    if not parts:
        return []
    relation = Relation(_values_sql(table, parts), _PARTS)
    query = ast.Query(
        span=condition.span,
        body=ast.Select(
            span=condition.span,
            items=(
                ast.SelectItem(
                    span=condition.span,
                    expr=ast.ColumnRef(span=condition.span, parts=(ast.Ident(name=_SPEC),)),
                ),
            ),
            from_=ast.TableRef(
                span=condition.span, name=ast.QualifiedName(parts=(ast.Ident(name=_PARTS),))
            ),
            where=condition,
        ),
    )
    tr = ctx.translator(lambda ref: relation)
    sql = tr.query(query)
    return [str(r[0]) for r in ctx.session.warehouse.con.execute(sql, tr.params).fetchall()]


def _values_sql(table: TableMeta, parts: list[catalog.PartitionMeta]) -> str:
    cols = table.partition_columns
    rows = ", ".join(
        "("
        + ", ".join(
            [quote_literal(p.spec)]
            + [f"CAST({quote_literal(p.values[c.name])} AS {c.duck_type})" for c in cols]
        )
        + ")"
        for p in parts
    )
    names = ", ".join(quote_ident(n) for n in [_SPEC, *(c.name for c in cols)])
    return f"(SELECT * FROM (VALUES {rows}) AS __v({names}))"
