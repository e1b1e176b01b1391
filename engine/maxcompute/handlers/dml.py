"""Queries and INSERT INTO/OVERWRITE (static and dynamic partitions)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import VERSION_COLUMN, ProjectCatalog, TableMeta
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.maxcompute import catalog, nanos, types
from cloneshell.engine.maxcompute.context import MaxComputeContext, Target
from cloneshell.engine.maxcompute.fullscan import check_full_scans
from cloneshell.grammar import ast
from cloneshell.grammar.records import record


def _check_order_limit(ctx: MaxComputeContext, q: ast.Query) -> None:
    # MaxCompute refuses ORDER BY without LIMIT unless odps.sql.validate.orderby.limit=false
    # (maxcompute.md §4, commonly used flags).
    if (
        q.order_by
        and q.limit is None
        and ctx.session.flag_bool("odps.sql.validate.orderby.limit", True)
    ):
        raise SemanticError(
            "semantic",
            q.order_by[0].span,
            message="ORDER BY must be used with a LIMIT clause, please set "
            "odps.sql.validate.orderby.limit=false to use it.",
        )


def select(ctx: MaxComputeContext, stmt: ast.QueryStmt) -> Rows:
    """A query: Select on every table it touches, CreateInstance on the current project."""
    _check_order_limit(ctx, stmt.query)
    # CreateInstance is checked when the job is submitted, before the compile-time checks.
    if ctx.session.project is not None:
        info, cat = ctx.current_project()
        ctx.auth.require_instance(info, cat)
    tr = ctx.translator()
    sql = tr.query(stmt.query)
    ctx.authorize_reads()
    check_full_scans(ctx, stmt.query)
    check = nanos.may_yield(sql, [r.target.table for r in ctx.reads])
    most = ctx.session.dialect.select_rows
    description, rows = nanos.fetch(ctx.session.warehouse.con, sql, tr.params, check, most)
    columns = tuple(Column(name, types.from_duckdb(duck_type)) for name, duck_type in description)
    return Rows(columns, rows, ctx.statement_id)


@record(slots=True)
class _InsertPlan:
    """An INSERT checked and authorized, before it writes: where the rows go and how the
    source's columns map onto the table's."""

    target: Target
    table: TableMeta
    source_sql: str
    params: list[object]
    width: int
    wanted: list[str]  # the native columns the source fills, in source order
    static: dict[str, str]  # partition columns fixed by the PARTITION clause
    dynamic: list[str]  # partition columns taken from the source's last columns


def insert(ctx: MaxComputeContext, stmt: ast.Insert) -> Status:
    """INSERT INTO|OVERWRITE [TABLE] t [PARTITION (..)] [(cols)] VALUES|query.

    Needs Update on the target (Alter accepted, maxcompute.md §3.4), Select on every source,
    CreateInstance on the target's project. Columns match by position.
    """
    plan = _plan_insert(ctx, stmt)
    with ctx.write(plan.target.info, plan.target.cat, "INSERT") as version:
        _write_insert(ctx, stmt, plan, version)
    return Status(ctx.session.dialect.ok_message)


def multi_insert(ctx: MaxComputeContext, stmt: ast.MultiInsert) -> Status:
    """`FROM src INSERT OVERWRITE|INTO TABLE a … SELECT … INSERT … SELECT …`: every branch is
    checked and authorized first, then all of them write in one version of their project (one
    job: all or nothing); branches into tables of several projects are refused."""
    plans = [_plan_insert(ctx, branch) for branch in stmt.inserts]
    first = plans[0].target
    for branch, plan in zip(stmt.inserts, plans, strict=True):
        if plan.target.info.name != first.info.name:
            raise UnsupportedError(
                "unsupported",
                branch.table.span,
                message="a multi-insert into tables of more than one project",
            )
    with ctx.write(first.info, first.cat, "INSERT") as version:
        for branch, plan in zip(stmt.inserts, plans, strict=True):
            _write_insert(ctx, branch, plan, version)
    return Status(ctx.session.dialect.ok_message)


def _write_insert(
    ctx: MaxComputeContext, stmt: ast.Insert, plan: _InsertPlan, version: int
) -> None:
    """One planned INSERT's rows written in the open version."""
    target, table, static, dynamic = plan.target, plan.table, plan.static, plan.dynamic
    src_names = [quote_ident(f"s{i}") for i in range(plan.width)]
    position = {name: i for i, name in enumerate(plan.wanted)}
    select_list: list[str] = []
    params = list(plan.params)
    for c in table.columns:
        select_list.append(src_names[position[c.name]] if c.name in position else "NULL")
    for c in table.partition_columns:
        if c.name in static:
            params.append(static[c.name])
            select_list.append(f"CAST(${len(params)} AS VARCHAR)")
        else:
            select_list.append(src_names[len(plan.wanted) + dynamic.index(c.name)])
    shaped = (
        f"SELECT {', '.join(select_list)} FROM ({plan.source_sql}) AS __in({', '.join(src_names)})"
    )

    con = ctx.session.warehouse.con
    if stmt.overwrite:
        # The source may read the table being overwritten (MaxCompute users delete rows
        # with INSERT OVERWRITE TABLE t SELECT * FROM t WHERE keep): read it first.
        con.execute(f"CREATE OR REPLACE TEMP TABLE __cs_src AS {shaped}", params)
        shaped, params = "SELECT * FROM temp.__cs_src", []
        if static and not dynamic:
            where = storage.partition_predicate(table, static)
        elif table.partitioned:
            # Dynamic overwrite replaces exactly the partitions the data lands in.
            pcols = ", ".join(quote_ident(c.name) for c in table.partition_columns)
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE __cs_parts AS SELECT DISTINCT {pcols} FROM "
                f"(SELECT * FROM ({shaped}) AS __p({_names(table)}))",
                params,
            )
            where = storage.Predicate(f"({pcols}) IN (SELECT ({pcols}) FROM temp.__cs_parts)", [])
        else:
            where = storage.Predicate("TRUE", [])
        storage.delete(target.cat, table, where, version)
    storage.append(target.cat, table, shaped, params, version, by_partition=bool(dynamic))
    span = stmt.partition.span if stmt.partition is not None else stmt.span
    _record_partitions(ctx, target.cat, table, version, static, span)
    target.cat.touch_table(table, ctx.now)


def _plan_insert(ctx: MaxComputeContext, stmt: ast.Insert) -> _InsertPlan:
    """Resolve, check and authorize an INSERT; nothing is written."""
    target = ctx.require_table(stmt.table)
    table = target.table
    assert table is not None
    ctx.auth.require_instance(target.info, target.cat)
    if table.kind == "view":
        raise SemanticError(
            "wrong_object_type", stmt.table.span, name=target.display, found="view",
            expected="table",
        )  # fmt: skip
    if table.kind != "managed":
        raise SemanticError(
            "unsupported",
            stmt.table.span,
            message=f"cannot insert into external table {table.name}",
        )
    fold = ctx.session.dialect.fold
    if stmt.overwrite and stmt.columns:
        raise SemanticError(
            "semantic", stmt.span, message="INSERT OVERWRITE cannot take a column list"
        )
    static, dynamic = _partition_clause(stmt, table, fold)

    # The source query and how its columns map onto the table's.
    tr = ctx.translator()
    source_sql = (
        tr.values(stmt.source) if isinstance(stmt.source, ast.Values) else tr.query(stmt.source)
    )
    if isinstance(stmt.source, ast.Query):
        _check_order_limit(ctx, stmt.source)
    ctx.authorize_reads()
    check_full_scans(ctx, stmt.source)
    ctx.auth.require_table_action(target.info, target.cat, table, "Update", "Alter")
    con = ctx.session.warehouse.con
    width = len(con.execute(f"SELECT * FROM ({source_sql}) LIMIT 0", tr.params).description or [])
    native = [c.name for c in table.columns]
    if stmt.columns:
        listed = [fold(c.name) for c in stmt.columns]
        for name, ident in zip(listed, stmt.columns, strict=True):
            if name not in native:
                raise SemanticError("column_not_found", ident.span, name=name)
        wanted = listed
    else:
        wanted = native
    expected = len(wanted) + len(dynamic)
    if width != expected:
        raise SemanticError(
            "semantic",
            stmt.source.span,
            message=f"insert values columns count {width} not equal to table columns count "
            f"{expected}",
        )
    return _InsertPlan(target, table, source_sql, tr.params, width, wanted, static, dynamic)


def _partition_clause(
    stmt: ast.Insert, table: TableMeta, fold: Callable[[str], str]
) -> tuple[dict[str, str], list[str]]:
    """Which partition columns the PARTITION clause fixes (static: their values), and which
    come from the data (dynamic), in the table's order."""
    static: dict[str, str] = {}
    dynamic: list[str] = []
    if stmt.partition is not None:
        if not table.partitioned:
            raise SemanticError(
                "semantic", stmt.partition.span, message=f"table {table.name} is not partitioned"
            )
        given = {fold(i.name.name): i for i in stmt.partition.items}
        for c in table.partition_columns:
            item = given.pop(c.name, None)
            if item is None:
                raise SemanticError(
                    "semantic",
                    stmt.partition.span,
                    message=f"the number of input partition columns ({len(stmt.partition.items)})"
                    f" doesn't equal to table's partition columns "
                    f"({len(table.partition_columns)})",
                )
            if item.value is None:
                dynamic.append(c.name)
            else:
                if dynamic:
                    raise SemanticError(
                        "semantic",
                        item.span,
                        message="static partition columns must come before dynamic ones",
                    )
                static[c.name] = storage.check_partition_value(c.name, item.value)
        if given:
            name = next(iter(given))
            raise SemanticError(
                "semantic", given[name].span, message=f"{name} is not a partition column"
            )
    elif table.partitioned:
        raise SemanticError(
            "semantic",
            stmt.table.span,
            message=f"the number of input partition columns (0) doesn't equal to table's "
            f"partition columns ({len(table.partition_columns)})",
        )
    return static, dynamic


def _names(table: TableMeta) -> str:
    return ", ".join(quote_ident(c.name) for c in table.all_columns)


def _record_partitions(
    ctx: MaxComputeContext,
    cat: ProjectCatalog,
    table: TableMeta,
    version: int,
    static: dict[str, str],
    span: ast.Span,
) -> None:
    """Add the partitions a write created (INSERT into a missing partition creates it); a bad
    dynamic value is reported at `span` (the PARTITION clause)."""
    if not table.partitioned:
        return
    pcols = ", ".join(f"CAST({quote_ident(c.name)} AS VARCHAR)" for c in table.partition_columns)
    if len(static) == len(table.partition_columns):
        found = [tuple(static[c.name] for c in table.partition_columns)]
    else:
        found = cat.con.execute(
            f"SELECT DISTINCT {pcols} FROM {cat.physical(table)} WHERE {quote_ident('__cs_v')} = ?",
            [version],
        ).fetchall()
    names = [c.name for c in table.partition_columns]
    created: list[dict[str, str]] = []
    for row in found:
        values = {n: str(v) for n, v in zip(names, row, strict=True)}
        for name, value in values.items():
            if value is None or value == "None":
                raise SemanticError(
                    "semantic", span, message=f"invalid dynamic partition value: {name}=NULL"
                )
            literal = ast.Literal(value=value, kind="string", text=value, span=span)
            storage.check_partition_value(name, literal)
        created.append(values)
    catalog.add_partitions(cat, table, created, ctx.now, touch=True)


# ---------------------------------------------------------------------------- batches

# Rows per INSERT of a batch: DuckDB plans one multi-row VALUES far faster than many
# statements (~0.09 ms a row against ~0.5 ms a statement), and a bounded size keeps the SQL text
# and its parameter list small.
_BATCH_ROWS = 1000


class _NotBatchable(Exception):
    """A statement of a batch must run on its own: it reads a table (so it must see the rows
    the statements before it wrote), or its row does not fit (it fails alone, with its error)."""


def _no_tables(ref: ast.TableRef) -> Relation:
    raise _NotBatchable


def batchable_insert(stmt: ast.Insert) -> bool:
    """True for the statements `insert_many` takes: a single-row INSERT INTO … VALUES with no
    dynamic partition.

    Single rows only: a one-row VALUES has exactly its expressions' types, so casting each
    expression straight to its column's type is what the one-statement path does (there,
    VALUES unifies each column's type across its rows first)."""
    return (
        not stmt.overwrite
        and isinstance(stmt.source, ast.Values)
        and len(stmt.source.rows) == 1
        and (stmt.partition is None or all(i.value is not None for i in stmt.partition.items))
    )


def batch_key(stmt: ast.Insert, fold_ident: Callable[[ast.Ident], str]) -> object:
    """Statements with equal keys write the same table (as written), columns and partition."""
    partition = (
        ()
        if stmt.partition is None
        else tuple(
            (fold_ident(i.name), None if i.value is None else (i.value.kind, i.value.value))
            for i in stmt.partition.items
        )
    )
    return (
        tuple(fold_ident(p) for p in stmt.table.parts),
        tuple(fold_ident(c) for c in stmt.columns),
        partition,
    )


def insert_many(ctxs: Sequence[MaxComputeContext], stmts: Sequence[ast.Insert]) -> int | None:
    """Run leading `batchable_insert` statements with equal `batch_key`s in one transaction,
    each with the outcome of running it alone: it commits its own version (its rows stamped
    with it; its id, instant and text in the commit log), in order.

    Returns how many statements ran: a statement that must run alone (it reads a table, or its
    row does not fit or translate) ends the batch before it; 0 when that is the first. Returns
    None when DuckDB failed the batch, which is then rolled back: the caller runs its statements
    one at a time, so the failure is its own statement's and those before it stay applied.

    The first statement is checked and authorized as a lone INSERT is; the others name the
    same table, columns and partition, as the same principal, so they pass the same checks.
    """
    first = ctxs[0]
    try:
        plan = _plan_insert(first, stmts[0])
    except Exception:
        return 0  # the first statement's own failure: it runs alone, to report it
    if first.reads or plan.dynamic:
        return 0
    table, cat = plan.table, plan.target.cat
    con = first.session.warehouse.con
    position = {name: i for i, name in enumerate(plan.wanted)}
    # Static partition values are the first parameters of each multi-row INSERT.
    partition_cells = [
        f"CAST((CAST(${i + 1} AS VARCHAR)) AS {c.duck_type})"
        for i, c in enumerate(table.partition_columns)
    ]
    static = [plan.static[c.name] for c in table.partition_columns]
    cols = ", ".join(quote_ident(c.name) for c in table.all_columns)
    insert_sql = (
        f"INSERT INTO {cat.physical(table)} ({cols}, {quote_ident(VERSION_COLUMN)}) VALUES "
    )
    con.execute("BEGIN TRANSACTION")
    try:
        version = cat.next_version()
        rows: list[str] = []
        params: list[object] = list(static)
        commits: list[tuple[int, str, datetime, str, str, str]] = []
        for ctx, stmt in zip(ctxs, stmts, strict=True):
            mark = len(params)
            try:
                rows.append(_batch_row(ctx, stmt, plan, position, partition_cells, params, version))
            except Exception:
                del params[mark:]
                break  # this one runs alone: the batch ends before it
            commits.append(
                (version, ctx.statement_id, ctx.now, ctx.auth.principal, "INSERT", ctx.text[:2000])
            )
            version += 1
            if len(rows) == _BATCH_ROWS:
                con.execute(insert_sql + ", ".join(rows), params)
                rows, params = [], list(static)
        if not commits:
            con.execute("ROLLBACK")
            return 0
        if rows:
            con.execute(insert_sql + ", ".join(rows), params)
        cat.record_commits(commits)
        last = ctxs[len(commits) - 1]
        if table.partitioned:
            spec = catalog.add_partition(cat, table, plan.static, first.now)
            catalog.touch_partition(cat, table, spec, last.now)
        cat.touch_table(table, last.now)
        con.execute("COMMIT")
    except BaseException as exc:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        if isinstance(exc, Exception) and not _interrupted(exc):
            return None  # optimistic: whatever went wrong, the statements run one at a time
        raise  # Ctrl-C: nothing of the batch is applied, and nothing is replayed
    return len(commits)


def _interrupted(exc: Exception) -> bool:
    # Ctrl-C during a query: `Session.interrupt()` raises InterruptException; a SIGINT that
    # DuckDB catches itself surfaces as RuntimeError('Query interrupted') (duckdb 2.0.0).
    return isinstance(exc, duckdb.InterruptException) or str(exc) == "Query interrupted"


def _batch_row(
    ctx: MaxComputeContext,
    stmt: ast.Insert,
    plan: _InsertPlan,
    position: dict[str, int],
    partition_cells: list[str],
    params: list[object],
    version: int,
) -> str:
    """One statement's row of a multi-row INSERT: each value cast to its column's type, as
    the lone statement's `storage.append` casts it; its parameters go onto `params`."""
    assert isinstance(stmt.source, ast.Values)
    row = stmt.source.rows[0]
    if len(row) != plan.width:
        raise _NotBatchable  # it fails alone, with its own error
    tr = ctx.translator(_no_tables)
    tr.params = params  # one parameter list for the whole multi-row INSERT
    exprs = [tr.expr(e) for e in row]
    cells = [
        f"CAST(({exprs[position[c.name]]}) AS {c.duck_type})"
        if c.name in position
        else f"CAST(NULL AS {c.duck_type})"
        for c in plan.table.columns
    ]
    return f"({', '.join(cells + partition_cells)}, {int(version)})"
