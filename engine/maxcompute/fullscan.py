"""`odps.sql.allow.fullscan=false`: a query that reads a partitioned table with no filter on its
partition columns is refused, as MaxCompute refuses it (reference/maxcompute.md, error texts)."""

from __future__ import annotations

import dataclasses

from cloneshell.engine.core.errors import SemanticError
from cloneshell.engine.maxcompute.context import MaxComputeContext
from cloneshell.grammar import ast


def check_full_scans(ctx: MaxComputeContext, statement: ast.Node) -> None:
    """Refuse the statement's reads of partitioned tables that no WHERE (of the SELECT reading
    them) or join condition filters by a partition column, when the session sets
    odps.sql.allow.fullscan=false (the default, true, allows them)."""
    if ctx.session.flag_bool("odps.sql.allow.fullscan", True):
        return
    filters: dict[int, tuple[ast.Expr, ...]] = {}
    _collect(statement, filters)
    for read in ctx.reads:
        table = read.target.table
        if table is None or not table.partitioned:
            continue
        alias = (read.ref.alias or read.ref.name.parts[-1]).name.lower()
        partitions = {c.name.lower() for c in table.partition_columns}
        if not any(_filters(e, alias, partitions) for e in filters.get(id(read.ref), ())):
            raise SemanticError(
                "semantic",
                None,
                message="physical plan generation failed:java.lang.RuntimeException:"
                f"Table({read.target.info.name},{table.name})is full scan with all "
                "partitions,please specify partition predicates.",
            )


def _collect(node: object, filters: dict[int, tuple[ast.Expr, ...]]) -> None:
    """For every table reference, the conditions that may filter it: the WHERE of the SELECT
    whose FROM names it and the ON conditions of the joins around it."""
    if isinstance(node, tuple):
        for item in node:
            _collect(item, filters)
        return
    if not isinstance(node, ast.Node):
        return
    if isinstance(node, ast.Select) and node.from_ is not None:
        where = (node.where,) if node.where is not None else ()
        _from(node.from_, where, filters)
    for f in dataclasses.fields(node):
        if f.name != "span":
            _collect(getattr(node, f.name), filters)


def _from(
    item: ast.FromItem, conditions: tuple[ast.Expr, ...], filters: dict[int, tuple[ast.Expr, ...]]
) -> None:
    if isinstance(item, ast.TableRef):
        filters[id(item)] = filters.get(id(item), ()) + conditions
    elif isinstance(item, ast.BucketSample):
        _from(item.table, conditions, filters)
    elif isinstance(item, ast.LateralView):
        _from(item.source, conditions, filters)
    elif isinstance(item, ast.Join):
        on = (item.on,) if item.on is not None else ()
        _from(item.left, conditions + on, filters)
        _from(item.right, conditions + on, filters)


def _filters(e: object, alias: str, partitions: set[str]) -> bool:
    """Whether `e` mentions one of the table's partition columns (by alias or unqualified)."""
    if isinstance(e, ast.ColumnRef):
        name = e.parts[-1].name.lower()
        if name not in partitions:
            return False
        return len(e.parts) == 1 or e.parts[-2].name.lower() == alias
    if isinstance(e, tuple):
        return any(_filters(x, alias, partitions) for x in e)
    if isinstance(e, ast.Node) and not isinstance(e, ast.Query):
        return any(
            _filters(getattr(e, f.name), alias, partitions)
            for f in dataclasses.fields(e)
            if f.name != "span"
        )
    return False
