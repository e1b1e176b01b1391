"""Snowflake queries and DML: SELECT (with AT|BEFORE on any table reference), INSERT [OVERWRITE]
INTO, UPDATE … [FROM …], DELETE … [USING …], TRUNCATE TABLE.

Every change is one version: rows a statement deletes or replaces move to the table's history
(ended at the new version) when its retention is above zero, and updated rows carry the new
version. DML replies are one-row results as SnowSQL shows them (snowflake.md §4.6):
`number of rows inserted`; `number of rows updated`, `number of multi-joined rows updated`;
`number of rows deleted`. Privileges: SELECT on every table read; INSERT, UPDATE, DELETE or
TRUNCATE on the target (its owner holds them all).
"""

from __future__ import annotations

import re
from dataclasses import replace

from cloneshell.engine.core import duck, storage
from cloneshell.engine.core.catalog import VERSION_COLUMN, ProjectCatalog, TableMeta
from cloneshell.engine.core.errors import EngineError, SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.core.translate import Translator
from cloneshell.engine.snowflake import rowtypes, streams, transactions, types
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.grammar import ast
from cloneshell.grammar.parser import parse

SF = "snowflake"
_NUMBER = "NUMBER"
# The DuckDB result types whose Arrow form gives the same values as DuckDB's Python ones (a
# query of only these returns Arrow when asked): not JSON, LIST, STRUCT, MAP, INTERVAL, UUID…
_ARROW_TYPES = re.compile(
    r"^(?:TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|DECIMAL\(\d+,\d+\)|FLOAT|DOUBLE|VARCHAR"
    r"|BOOLEAN|DATE|BLOB|TIME|TIMESTAMP)$"
)


def _count(name: str, *more: str) -> tuple[Column, ...]:
    return tuple(Column(n, _NUMBER) for n in (name, *more))


def select(ctx: SnowflakeContext, stmt: ast.QueryStmt) -> Rows:
    """A query: SELECT on every table it reads (checked as each is resolved)."""
    recorder = rowtypes.Recorder(ctx.relation, lambda ref: ctx.resolve(ref.name, "SELECT"))
    tr = ctx.translator(recorder)
    sql = tr.query(stmt.query)
    con = ctx.session.warehouse.con
    cur = con.execute(sql, tr.params)
    description = cur.description or []
    columns = tuple(types.result_column(str(d[0]), str(d[1])) for d in description)
    columns = rowtypes.refine(columns, stmt.query, recorder)
    if ctx.session.arrow_results and all(_ARROW_TYPES.match(str(d[1])) for d in description):
        rows, arrow = duck.fetch_rows_or_arrow(cur)
        return Rows(columns, rows, ctx.statement_id, arrow)
    return Rows(columns, cur.fetchall(), ctx.statement_id)


def _target(ctx: SnowflakeContext, qname: ast.QualifiedName, what: str, privilege: str) -> Target:
    target = ctx.require_table(qname, what)
    if target.table is not None and target.table.kind == "view":
        # Views are read-only (Snowflake: the object must be a table).
        raise SemanticError("wrong_object_type", qname.span, found="VIEW", expected="TABLE")
    ctx.require_table_privilege(target, privilege)
    return target


def _stored(target: Target) -> TableMeta:
    """The table as storage writes it: a table a stream tracks keeps the rows a change ends
    in its history whatever its retention (Snowflake extends retention for streams), so the
    stream can return them; Time Travel still follows the table's own retention. So does a
    table changed inside a transaction (until it ends: transactions.py)."""
    table = target.table
    assert table is not None
    if table.retention_days <= 0 and (
        transactions.is_open(target.db.cat.viewer)
        or streams.streams_on(target.db.cat, table.table_id)
    ):
        return replace(table, retention_days=1)
    return table


def _default_sql(ctx: SnowflakeContext, tr: Translator, text: str) -> str:
    """A column default (stored as its source text) translated again for this statement."""
    (stmt,) = parse(f"SELECT {text}", "snowflake")
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    return tr.expr(stmt.query.body.items[0].expr)


def insert(ctx: SnowflakeContext, stmt: ast.Insert) -> Rows:
    """INSERT [OVERWRITE] INTO t [(cols)] VALUES … | query."""
    target = _target(ctx, stmt.table, "INSERT", "INSERT")
    table = target.table
    assert table is not None
    if stmt.partition is not None:
        raise SemanticError("semantic", stmt.partition.span, message="PARTITION is not Snowflake")
    by_name = {c.name: c for c in table.columns}
    if stmt.columns:
        wanted = []
        for ident in stmt.columns:
            name = ctx.fold(ident)
            if name not in by_name:
                raise SemanticError("column_not_found", ident.span, name=name)
            wanted.append(name)
    else:
        wanted = [c.name for c in table.columns]
    if isinstance(stmt.source, ast.Values):  # every row, not only the first, must fit
        for row in stmt.source.rows:
            if len(row) != len(wanted):
                raise SemanticError(
                    "insert_mismatch", stmt.source.span, expected=len(wanted), got=len(row)
                )
    tr = ctx.translator()
    source_sql = (
        tr.values(stmt.source) if isinstance(stmt.source, ast.Values) else tr.query(stmt.source)
    )
    con = ctx.session.warehouse.con
    if isinstance(stmt.source, ast.Values):
        width = len(stmt.source.rows[0])
    else:
        described = con.execute(f"SELECT * FROM ({source_sql}) LIMIT 0", tr.params).description
        width = len(described or [])
    if width != len(wanted):
        raise SemanticError("insert_mismatch", stmt.source.span, expected=len(wanted), got=width)
    src = [quote_ident(f"s{i}") for i in range(width)]
    position = {name: i for i, name in enumerate(wanted)}
    select_list = []
    for c in table.columns:
        if c.name in position:
            select_list.append(src[position[c.name]])
        elif c.default:
            select_list.append(_default_sql(ctx, tr, c.default))
        else:
            select_list.append("NULL")
    shaped = f"SELECT {', '.join(select_list)} FROM ({source_sql}) AS __in({', '.join(src)})"
    params = tr.params
    with ctx.write_db(target.db, "INSERT") as version:
        if stmt.overwrite:
            # The source may read the table being overwritten: read it before the rows go.
            con.execute(f"CREATE OR REPLACE TEMP TABLE __cs_src AS {shaped}", params)
            shaped, params = "SELECT * FROM temp.__cs_src", []
            _delete_all(ctx, target, version)
        count = storage.append(target.db.cat, table, shaped, params, version)
        if stmt.overwrite:
            con.execute("DROP TABLE temp.__cs_src")
        _check_not_null(ctx, target, version)
        target.db.cat.touch_table(table, ctx.now)
    return Rows(_count("number of rows inserted"), [(count,)], ctx.statement_id)


def _check_not_null(ctx: SnowflakeContext, target: Target, version: int) -> None:
    """NOT NULL columns (the DuckDB tables carry no constraints: checked on the new rows)."""
    table = target.table
    assert table is not None
    required = [c for c in table.columns if c.not_null]
    if not required:
        return
    cond = " OR ".join(f"{quote_ident(c.name)} IS NULL" for c in required)
    row = target.db.cat.con.execute(
        f"SELECT 1 FROM {target.db.cat.physical(table)} WHERE "
        f"{quote_ident(VERSION_COLUMN)} = ? AND ({cond}) LIMIT 1",
        [version],
    ).fetchone()
    if row is not None:
        raise EngineError("not_null", message="NULL result in a non-nullable column")


def _delete_all(ctx: SnowflakeContext, target: Target, version: int) -> int:
    table = target.table
    assert table is not None
    count = storage.delete(target.db.cat, _stored(target), storage.Predicate("TRUE", []), version)
    _history_note(target, table, version, count)
    return count


def _history_note(target: Target, table: TableMeta, version: int, changed: int) -> None:
    """Without retention the replaced rows are gone: points before this version are
    unavailable from now on."""
    if changed and table.retention_days <= 0:
        target.db.cat.update_table(table.table_id, history_from=version)


def _alias(ctx: SnowflakeContext, target: Target, alias: ast.Ident | None) -> str:
    return quote_ident(ctx.fold(alias) if alias is not None else target.name)


def _with_rowid(
    cat: ProjectCatalog, table: TableMeta, span: ast.Span | None, *, version: bool = False
) -> str:
    """The target of UPDATE or DELETE as the statement's own clauses see it: its columns and
    the row's DuckDB rowid as `__cs_rid`, in the engine's namespace, so that neither a user
    alias nor a column of the user's can stand for the row identifier (nor `rowid` reach it);
    with `version`, also the version that wrote the row (storage.READ_VERSION)."""
    if any(c.name.lower() == "rowid" for c in table.all_columns):
        # DuckDB's rowid is hidden by a column of that name (CREATE TABLE refuses one; an
        # older file may hold one): the rows could not be told apart.
        raise UnsupportedError(
            "unsupported",
            span,
            message=f"UPDATE or DELETE of table {table.name}, which has a column named ROWID "
            "(DuckDB, which stores the tables, reserves that name)",
        )
    cols = ", ".join(quote_ident(c.name) for c in table.all_columns)
    written = f"{quote_ident(VERSION_COLUMN)} AS {storage.READ_VERSION}, " if version else ""
    return f"(SELECT rowid AS __cs_rid, {written}{cols} FROM {cat.physical(table)})"


def _read_columns(table: TableMeta, alias: str, grouped: bool) -> str:
    """`, <alias>.col AS col, …, <alias>.__cs_rv`: the old rows' values a DML statement reads
    once, for history and stream links (first() of each when the match is grouped by row)."""
    names = [quote_ident(c.name) for c in table.all_columns] + [storage.READ_VERSION]
    return "".join(f", first({alias}.{n}) AS {n}" if grouped else f", {alias}.{n}" for n in names)


def update(ctx: SnowflakeContext, stmt: ast.Update) -> Rows:
    """UPDATE t [AS a] SET c = e, … [FROM items] [WHERE cond]. A row joined to several FROM
    rows is updated once (with one of them) and counted as multi-joined."""
    target = _target(ctx, stmt.table, "UPDATE", "UPDATE")
    table = target.table
    assert table is not None
    cat = target.db.cat
    by_name = {c.name: c for c in table.columns}
    alias = _alias(ctx, target, stmt.alias)
    tr = ctx.translator()
    sets: list[tuple[str, str]] = []
    for a in stmt.assignments:
        name = ctx.fold(a.column)
        if name not in by_name:
            raise SemanticError("column_not_found", a.column.span, name=name)
        sets.append((name, tr.expr(a.value)))
    from_sql = f", {tr.from_item(stmt.from_)}" if stmt.from_ is not None else ""
    where_sql = f" WHERE {tr.expr(stmt.where)}" if stmt.where is not None else ""
    phys = cat.physical(table)
    # Without FROM each row matches once: no grouping by row (measured on 10M rows, the
    # GROUP BY of 1M matches and the lookups of the old rows by rowid were 2/3 of an UPDATE).
    grouped = stmt.from_ is not None
    news = ", ".join(
        (f"first({sql})" if grouped else sql) + f" AS {quote_ident(f'__cs_{i}')}"
        for i, (_, sql) in enumerate(sets)
    )
    con = cat.con
    with ctx.write_db(target.db, "UPDATE") as version:
        stored = _stored(target)
        keep = stored.retention_days > 0
        rows = _with_rowid(cat, table, stmt.table.span, version=keep)
        old = _read_columns(table, alias, grouped) if keep else ""
        match = (
            f"SELECT {alias}.__cs_rid, count(*) AS __cs_n, {news}{old} FROM {rows} AS {alias}"
            f"{from_sql}{where_sql} GROUP BY {alias}.__cs_rid"
            if grouped
            else f"SELECT {alias}.__cs_rid, 1 AS __cs_n, {news}{old} FROM {rows} AS {alias}"
            f"{where_sql}"
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE __cs_upd AS {match}", tr.params)
        if keep:
            storage.keep_read(cat, stored, "temp.__cs_upd", version)
            # Which new version each old one became, for streams (METADATA$ISUPDATE).
            position = {name: i for i, (name, _) in enumerate(sets)}
            new_values = [
                f"CAST({streams.MATCH}.{quote_ident(f'__cs_{position[c.name]}')} AS {c.duck_type})"
                if c.name in position
                else f"{streams.MATCH}.{quote_ident(c.name)}"
                for c in table.all_columns
            ]
            streams.record_links(
                cat, table, "temp.__cs_upd", new_values, version, read_version=storage.READ_VERSION
            )
        assigns = ", ".join(
            f"{quote_ident(name)} = CAST(u.{quote_ident(f'__cs_{i}')} AS {by_name[name].duck_type})"
            for i, (name, _) in enumerate(sets)
        )
        con.execute(
            f"UPDATE {phys} SET {assigns}, {quote_ident(VERSION_COLUMN)} = {int(version)} "
            f"FROM temp.__cs_upd AS u WHERE {phys}.rowid = u.__cs_rid"
        )
        row = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE __cs_n > 1) FROM temp.__cs_upd"
        ).fetchone()
        con.execute("DROP TABLE temp.__cs_upd")
        updated, multi = (int(row[0]), int(row[1])) if row else (0, 0)
        _check_not_null(ctx, target, version)
        _history_note(target, table, version, updated)
        if updated:
            cat.touch_table(table, ctx.now)
    return Rows(
        _count("number of rows updated", "number of multi-joined rows updated"),
        [(updated, multi)],
        ctx.statement_id,
    )


def delete(ctx: SnowflakeContext, stmt: ast.Delete) -> Rows:
    """DELETE FROM t [AS a] [USING items] [WHERE cond]."""
    target = _target(ctx, stmt.table, "DELETE", "DELETE")
    table = target.table
    assert table is not None
    cat = target.db.cat
    alias = _alias(ctx, target, stmt.alias)
    tr = ctx.translator()
    using_sql = f", {tr.from_item(stmt.using)}" if stmt.using is not None else ""
    where_sql = f" WHERE {tr.expr(stmt.where)}" if stmt.where is not None else ""
    phys = cat.physical(table)
    con = cat.con
    with ctx.write_db(target.db, "DELETE") as version:
        if not using_sql and not where_sql:
            count = _delete_all(ctx, target, version)
        else:
            stored = _stored(target)
            keep = stored.retention_days > 0
            rows = _with_rowid(cat, table, stmt.table.span, version=keep)
            # A row joined to several USING rows is deleted (and kept) once; the old values
            # are read here once, for history (no lookup by rowid again).
            distinct = "DISTINCT " if using_sql else ""
            old = _read_columns(table, alias, grouped=False) if keep else ""
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE __cs_del AS SELECT {distinct}{alias}.__cs_rid{old} "
                f"FROM {rows} AS {alias}{using_sql}{where_sql}",
                tr.params,
            )
            storage.keep_read(cat, stored, "temp.__cs_del", version)
            row = con.execute(
                f"DELETE FROM {phys} WHERE rowid IN (SELECT __cs_rid FROM temp.__cs_del)"
            ).fetchone()
            con.execute("DROP TABLE temp.__cs_del")
            count = int(row[0]) if row else 0
            _history_note(target, table, version, count)
        if count:
            cat.touch_table(table, ctx.now)
    return Rows(_count("number of rows deleted"), [(count,)], ctx.statement_id)


def truncate(ctx: SnowflakeContext, stmt: ast.TruncateTable) -> Status:
    """TRUNCATE [TABLE] t: every row goes (into history, with retention)."""
    if stmt.partitions:
        raise UnsupportedError("unsupported", stmt.partitions[0].span, message="PARTITION")
    target = _target(ctx, stmt.table, "TRUNCATE TABLE", "TRUNCATE")
    with ctx.write_db(target.db, "TRUNCATE") as version:
        if _delete_all(ctx, target, version):
            assert target.table is not None
            target.db.cat.touch_table(target.table, ctx.now)
    return Status(ctx.session.dialect.ok_message, ctx.statement_id)
