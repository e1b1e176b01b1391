"""Queries and INSERT INTO/OVERWRITE (static and dynamic partitions)."""

from __future__ import annotations

from cloneshell.engine import storage, types
from cloneshell.engine.catalog import ProjectCatalog, TableMeta
from cloneshell.engine.context import StatementContext
from cloneshell.engine.dispatch import handles
from cloneshell.engine.errors import SemanticError
from cloneshell.engine.quoting import quote_ident
from cloneshell.engine.result import Column, Rows, Status
from cloneshell.engine.translate import Translator
from cloneshell.grammar import ast


def _check_order_limit(ctx: StatementContext, q: ast.Query) -> None:
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


@handles(ast.QueryStmt)
def select(ctx: StatementContext, stmt: ast.QueryStmt) -> Rows:
    """A query: Select on every table it touches, CreateInstance on the current project."""
    _check_order_limit(ctx, stmt.query)
    # CreateInstance is checked when the job is submitted, before the compile-time checks.
    if ctx.session.project is not None:
        info, cat = ctx.current_project()
        ctx.auth.require_instance(info, cat)
    tr = Translator(ctx.relation, ctx.session.dialect.fold, ctx.now)
    sql = tr.query(stmt.query)
    ctx.authorize_reads()
    cur = ctx.session.warehouse.con.execute(sql, tr.params)
    description = cur.description or []
    rows = cur.fetchall()
    columns = tuple(Column(str(d[0]), types.from_duckdb(str(d[1]))) for d in description)
    return Rows(columns, rows, ctx.statement_id)


@handles(ast.Insert)
def insert(ctx: StatementContext, stmt: ast.Insert) -> Status:
    """INSERT INTO|OVERWRITE [TABLE] t [PARTITION (..)] [(cols)] VALUES|query.

    Needs Update on the target (Alter accepted, maxcompute.md §3.4), Select on every source,
    CreateInstance on the target's project. Columns match by position.
    """
    target = ctx.require_table(stmt.table)
    table = target.table
    assert table is not None
    ctx.auth.require_instance(target.info, target.cat)
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

    # Which partition columns are fixed by the PARTITION clause, which come from the data.
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

    # The source query and how its columns map onto the table's.
    tr = Translator(ctx.relation, fold, ctx.now)
    source_sql = (
        tr.values(stmt.source) if isinstance(stmt.source, ast.Values) else tr.query(stmt.source)
    )
    if isinstance(stmt.source, ast.Query):
        _check_order_limit(ctx, stmt.source)
    ctx.authorize_reads()
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
    src_names = [quote_ident(f"s{i}") for i in range(width)]
    position = {name: i for i, name in enumerate(wanted)}
    select_list: list[str] = []
    params = list(tr.params)
    for c in table.columns:
        select_list.append(src_names[position[c.name]] if c.name in position else "NULL")
    for c in table.partition_columns:
        if c.name in static:
            params.append(static[c.name])
            select_list.append(f"CAST(${len(params)} AS VARCHAR)")
        else:
            select_list.append(src_names[len(wanted) + dynamic.index(c.name)])
    shaped = f"SELECT {', '.join(select_list)} FROM ({source_sql}) AS __in({', '.join(src_names)})"

    with ctx.write(target.info, target.cat, "INSERT") as version:
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
                where = storage.Predicate(
                    f"({pcols}) IN (SELECT ({pcols}) FROM temp.__cs_parts)", []
                )
            else:
                where = storage.Predicate("TRUE", [])
            storage.delete(target.cat, table, where, version)
        storage.append(target.cat, table, shaped, params, version)
        span = stmt.partition.span if stmt.partition is not None else stmt.span
        _record_partitions(ctx, target.cat, table, version, static, span)
        target.cat.touch_table(table, ctx.now)
    return Status(ctx.session.dialect.ok_message)


def _names(table: TableMeta) -> str:
    return ", ".join(quote_ident(c.name) for c in table.all_columns)


def _record_partitions(
    ctx: StatementContext,
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
    cat.add_partitions(table, created, ctx.now, touch=True)
