"""Snowflake databases, schemas and tables: CREATE (not CLONE: clone.py), DROP, UNDROP,
ALTER … RENAME TO, ALTER … SET/UNSET DATA_RETENTION_TIME_IN_DAYS | COMMENT.

Replies and errors as Snowflake gives them (reference/snowflake.md §1.6, §3): `Table T
successfully created.`, `T successfully dropped.`, `Table T successfully restored.`,
`002002 … Object 'T' already exists.` for CREATE, RENAME or UNDROP onto a name in use.
Privileges (§6): CREATE DATABASE on the account, CREATE SCHEMA on the database, CREATE TABLE on
the schema; OWNERSHIP to DROP, UNDROP (plus the CREATE privilege on the container) and ALTER.
Dropped objects stay (data included) until their retention passes: UNDROP restores the most
recent one; with retention 0 a drop purges at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import VERSION_COLUMN, ColumnMeta, SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db, SfTarget, StatementContext, effective_retention
from cloneshell.engine.core.dispatch import handles
from cloneshell.engine.core.errors import CatalogError, EngineError, SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Status
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.snowflake import purge, streams, types
from cloneshell.engine.snowflake.security import check_identifier
from cloneshell.grammar import ast

SF = "snowflake"
MAX_RETENTION_DAYS = 90  # Enterprise edition (snowflake.md §2.2)
MAX_COMMENT = 256


def ok(ctx: StatementContext) -> Status:
    """`Statement executed successfully.`"""
    return Status(ctx.session.dialect.ok_message, ctx.statement_id)


def already_exists(ctx: StatementContext, name: str) -> Status:
    """CREATE … IF NOT EXISTS on an existing object: Snowflake's reply."""
    return Status(f"{name} already exists, statement succeeded.", ctx.statement_id)


def check_retention(days: int | None, transient: bool, span: ast.Span | None) -> int | None:
    """0-90 days (transient objects: 0 or 1), as Snowflake Enterprise allows."""
    if days is None:
        return None
    top = 1 if transient else MAX_RETENTION_DAYS
    if not 0 <= days <= top:
        what = "transient objects" if transient else "DATA_RETENTION_TIME_IN_DAYS"
        raise SemanticError(
            "invalid",
            span,
            message=f"invalid value [{days}] for parameter 'DATA_RETENTION_TIME_IN_DAYS'"
            + (f" ({what} allow 0 or 1)" if transient else f" (0 to {top})"),
        )
    return days


def check_comment(comment: str | None, span: ast.Span | None) -> str:
    """A comment of at most 256 characters."""
    text = comment or ""
    if len(text) > MAX_COMMENT:
        raise SemanticError("limit", span, message="comment is longer than 256 characters")
    return text


def check_name(name: str, span: ast.Span | None, what: str = "identifier") -> str:
    """A Snowflake object name (1-255 characters, printable)."""
    try:
        return check_identifier(name, what)
    except EngineError as err:
        err.span = span
        raise


# ---------------------------------------------------------------------------- databases


@handles(ast.CreateDatabase, dialect=SF)
def create_database(ctx: StatementContext, stmt: ast.CreateDatabase) -> Status:
    """CREATE [OR REPLACE] [TRANSIENT] DATABASE [IF NOT EXISTS] d [CLONE …]."""
    if stmt.clone is not None:
        from cloneshell.engine.snowflake.handlers import clone

        return clone.clone_database(ctx, stmt)
    # Registered last, decided first: hold the registry from the start (see register_database).
    ctx.session.warehouse.attach_warehouse(write=True)
    name = check_name(ctx.fold(stmt.name), stmt.name.span, "database name")
    _exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    ctx.sf_auth.require_account("CREATE DATABASE")
    retention = check_retention(stmt.retention_days, stmt.transient, stmt.span)
    comment = check_comment(stmt.comment, stmt.span)
    purge.purge_databases(ctx)
    replaced = existing_database(ctx, name, stmt.if_not_exists, stmt.or_replace, stmt.name.span)
    if replaced == "exists":
        return already_exists(ctx, name)
    info = new_database(ctx, name, comment, retention, stmt.transient, lambda db, v: None)
    register_database(ctx, info, replaced if isinstance(replaced, ProjectInfo) else None)
    return Status(f"Database {name} successfully created.", ctx.statement_id)


_O = TypeVar("_O")


def _exclusive(or_replace: bool, if_not_exists: bool, span: ast.Span | None) -> None:
    if or_replace and if_not_exists:
        raise SemanticError(
            "semantic", span, message="OR REPLACE and IF NOT EXISTS are incompatible."
        )


def _name_taken(
    ctx: StatementContext,
    existing: _O | None,
    owner: str,
    kind: str,
    name: str,
    if_not_exists: bool,
    or_replace: bool,
    span: ast.Span | None,
) -> _O | str | None:
    """What a CREATE finds under its name: None (free), "exists" (IF NOT EXISTS: do nothing), or
    the object OR REPLACE will drop (after checking OWNERSHIP on it); else 002002."""
    if existing is None:
        return None
    if if_not_exists:
        return "exists"
    if not or_replace:
        raise CatalogError("exists", span, name=name)
    ctx.sf_auth.require_owner(owner, kind, name)
    return existing


def existing_database(
    ctx: StatementContext,
    name: str,
    if_not_exists: bool,
    or_replace: bool,
    span: ast.Span | None,
) -> ProjectInfo | str | None:
    """What a CREATE DATABASE finds under its name (see `_name_taken`)."""
    existing = ctx.session.warehouse.get_database(name)
    owner = existing.owner if existing else ""
    return _name_taken(ctx, existing, owner, "database", name, if_not_exists, or_replace, span)


def new_database(
    ctx: StatementContext,
    name: str,
    comment: str,
    retention: int | None,
    transient: bool,
    fill: object,
) -> ProjectInfo:
    """Make a new database file in one transaction: metadata, the PUBLIC schema (owned by the
    current role), then `fill(db, version)`; not yet registered."""
    wh = ctx.session.warehouse
    file = wh.new_database_file()
    info = ProjectInfo(
        name=name,
        file=file,
        owner=ctx.session.role,
        region="",
        comment=comment,
        created_at=ctx.now,
        dialect=SF,
        retention_days=retention,
        transient=transient,
    )
    db = ctx.attach_db(info)
    try:
        with ctx.write(
            info,
            db.cat,
            "CREATE DATABASE",
            lambda: db.cat.initialise(info.owner, "", comment, ctx.now),
        ) as version:
            assert callable(fill)
            if fill(db, version) is None:
                db.cat.create_schema(
                    SchemaMeta(
                        schema_id=1,
                        name="PUBLIC",
                        owner=info.owner,
                        comment="",
                        retention_days=None,
                        transient=transient,
                        managed_access=False,
                        created_at=ctx.now,
                        created_version=version,
                    )
                )
    except BaseException:
        ctx.forget_db(name)
        wh.detach_project(file)
        wh.delete_project_file(file)
        raise
    ctx.forget_db(name)
    return info


def register_database(
    ctx: StatementContext, info: ProjectInfo, replaced: ProjectInfo | None
) -> None:
    """Register a new database (dropping the one it replaces) in one registry transaction, and
    make it current (CREATE DATABASE switches, snowflake.md §1.6). The statement decided on
    the name before making the file, so it holds the registry read-write from its start
    (`attach_warehouse(write=True)` first): no other shell can take the name meanwhile."""
    wh = ctx.session.warehouse
    # The registry commit is the one that makes the database exist; its file's intent
    # (Warehouse.hold_intent) deletes the file if this never commits.
    with wh.registry_transaction():
        if replaced is not None:
            wh.update_database(replaced.file, dropped_at=ctx.now)
        wh.register_database(info)
    if replaced is not None:
        ctx.forget_db(replaced.name)
        _purge_dropped_database(ctx, replaced)
    ctx.session.project = info.name
    ctx.session.schema = "PUBLIC"


def _purge_dropped_database(ctx: StatementContext, info: ProjectInfo) -> None:
    # Retention 0: a dropped database cannot be undropped; its file goes at once.
    if info.retention_days == 0:
        dropped = ctx.session.warehouse.dropped_databases(info.name)
        for d in dropped:
            if d.file == info.file:
                ctx.session.warehouse.purge_database(d)


# ---------------------------------------------------------------------------- schemas


@handles(ast.CreateSchema, dialect=SF)
def create_schema(ctx: StatementContext, stmt: ast.CreateSchema) -> Status:
    """CREATE [OR REPLACE] [TRANSIENT] SCHEMA [IF NOT EXISTS] [db.]s [CLONE …]."""
    if stmt.clone is not None:
        from cloneshell.engine.snowflake.handlers import clone

        return clone.clone_schema(ctx, stmt)
    _exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    db, name = ctx.schema_target(stmt.name, "CREATE SCHEMA")
    check_name(name, stmt.name.span, "schema name")
    require_create_schema(ctx, db)
    transient = stmt.transient or db.info.transient
    retention = check_retention(stmt.retention_days, transient, stmt.span)
    comment = check_comment(stmt.comment, stmt.span)
    replaced = existing_schema(ctx, db, name, stmt.if_not_exists, stmt.or_replace, stmt.span)
    if replaced == "exists":
        return already_exists(ctx, name)
    with ctx.sf_write(db, "CREATE SCHEMA") as version:
        if isinstance(replaced, SchemaMeta):
            drop_schema_rows(ctx, db, replaced, version)
        db.cat.create_schema(
            SchemaMeta(
                schema_id=db.cat.next_schema_id(),
                name=name,
                owner=ctx.session.role,
                comment=comment,
                retention_days=retention,
                transient=transient,
                managed_access=stmt.managed_access,
                created_at=ctx.now,
                created_version=version,
            )
        )
    ctx.session.project = db.name
    ctx.session.schema = name
    return Status(f"Schema {name} successfully created.", ctx.statement_id)


def require_create_schema(ctx: StatementContext, db: Db) -> None:
    """CREATE SCHEMA on the database (its owner holds it)."""
    ctx.sf_auth.require(db.cat, "DATABASE", 0, db.info.owner, ("CREATE SCHEMA",), db.name)


def existing_schema(
    ctx: StatementContext,
    db: Db,
    name: str,
    if_not_exists: bool,
    or_replace: bool,
    span: ast.Span | None,
) -> SchemaMeta | str | None:
    """What CREATE SCHEMA finds under its name (see `_name_taken`)."""
    existing = db.cat.get_schema(name)
    owner = existing.owner if existing else ""
    return _name_taken(ctx, existing, owner, "schema", name, if_not_exists, or_replace, span)


def drop_schema_rows(ctx: StatementContext, db: Db, schema: SchemaMeta, version: int) -> None:
    """Mark a schema dropped (its tables go with it); purge at once with retention 0."""
    db.cat.update_schema(schema.schema_id, dropped_version=version, dropped_at=ctx.now)
    retention = effective_retention(db, schema, None)
    if retention == 0:
        db.cat.forget_schema(replace(schema, dropped_version=version, dropped_at=ctx.now))
    if ctx.session.project == db.name and ctx.session.schema == schema.name:
        ctx.session.schema = None


# ---------------------------------------------------------------------------- tables


@handles(ast.CreateSnowflakeTable, dialect=SF)
def create_table(ctx: StatementContext, stmt: ast.CreateSnowflakeTable) -> Status:
    """CREATE [OR REPLACE] [TRANSIENT] TABLE [IF NOT EXISTS] t (cols) | LIKE s | AS query."""
    if stmt.clone is not None:
        from cloneshell.engine.snowflake.handlers import clone

        return clone.clone_table(ctx, stmt)
    if stmt.temporary:
        raise UnsupportedError("unsupported", stmt.span, message="TEMPORARY TABLE")
    _exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    target = ctx.sf_resolve(stmt.name, "CREATE TABLE")
    check_name(target.name, stmt.name.span, "table name")
    require_create_table(ctx, target)
    replaced = existing_table(ctx, target, stmt.if_not_exists, stmt.or_replace, stmt.name.span)
    if replaced == "exists":
        return already_exists(ctx, target.name)
    transient = stmt.transient or target.schema.transient
    retention = check_retention(stmt.retention_days, transient, stmt.span)
    comment = check_comment(stmt.comment, stmt.span)
    cluster = cluster_text(ctx, stmt.cluster_by)
    select_sql: str | None = None
    params: list[object] = []
    if stmt.like is not None:
        source = ctx.sf_table(stmt.like, "CREATE TABLE")
        assert source.table is not None
        columns = source.table.columns
        cluster = cluster or _cluster_of(source.table)
    elif stmt.as_query is not None:
        tr = ctx.translator()
        select_sql = tr.query(stmt.as_query)
        params = tr.params
        described = ctx.session.warehouse.con.execute(
            f"SELECT * FROM ({select_sql}) LIMIT 0", params
        ).description
        columns = tuple(
            ColumnMeta(name=str(d[0]), type=types.from_duckdb(str(d[1])), duck_type=str(d[1]))
            for d in described or ()
        )
    else:
        columns = tuple(column_meta(ctx, c) for c in stmt.columns)
    check_columns(columns, stmt.span)
    with ctx.sf_write(target.db, "CREATE TABLE") as version:
        if isinstance(replaced, TableMeta):
            drop_table_rows(ctx, target.db, replaced, version)
        meta = new_table(
            ctx,
            target,
            version,
            columns=columns,
            comment=comment,
            cluster=cluster,
            retention_explicit=retention,
            transient=transient,
        )
        target.db.cat.create_table(meta)
        if select_sql is not None:
            storage.append(target.db.cat, meta, select_sql, params, version)
    return Status(f"Table {target.name} successfully created.", ctx.statement_id)


def require_create_table(ctx: StatementContext, target: SfTarget) -> None:
    """CREATE TABLE on the schema (its owner holds it)."""
    s = target.schema
    ctx.sf_auth.require(target.db.cat, "SCHEMA", s.schema_id, s.owner, ("CREATE TABLE",), s.name)


def existing_table(
    ctx: StatementContext,
    target: SfTarget,
    if_not_exists: bool,
    or_replace: bool,
    span: ast.Span | None,
) -> TableMeta | str | None:
    """What CREATE TABLE finds under its name (see `_name_taken`); a table the role cannot see
    still takes the name."""
    existing = target.db.cat.get_live_table(target.schema.schema_id, target.name)
    owner = existing.owner if existing else ""
    found = _name_taken(ctx, existing, owner, "table", target.name, if_not_exists, or_replace, span)
    if isinstance(found, TableMeta):
        return replace(found, retention_days=effective_retention(target.db, target.schema, found))
    return found


def drop_table_rows(ctx: StatementContext, db: Db, table: TableMeta, version: int) -> None:
    """Mark a table dropped, keeping its data for UNDROP; purge at once with retention 0."""
    db.cat.update_table(table.table_id, dropped_version=version, dropped_at=ctx.now)
    if table.retention_days == 0:
        db.cat.forget_table(table)


def new_table(
    ctx: StatementContext,
    target: SfTarget,
    version: int,
    *,
    columns: tuple[ColumnMeta, ...],
    comment: str = "",
    cluster: str | None = None,
    retention_explicit: int | None = None,
    transient: bool = False,
    owner: str | None = None,
) -> TableMeta:
    """Metadata for a new table at `target`, owned by the current role, stored as `t<id>` in
    its schema's DuckDB schema."""
    table_id = target.db.cat.next_table_id()
    meta = TableMeta(
        table_id=table_id,
        schema=target.schema.name,
        name=target.name,
        physical_schema=target.schema.physical,
        physical_name=f"t{table_id}",
        kind="managed",
        owner=owner or ctx.session.role,
        comment=comment,
        lifecycle=None,
        columns=columns,
        partition_columns=(),
        cluster={"type": "snowflake", "by": cluster} if cluster else None,
        properties={},
        location=None,
        created_at=ctx.now,
        ddl_at=ctx.now,
        modified_at=ctx.now,
        retention_days=0,
        created_version=version,
        schema_id=target.schema.schema_id,
        retention_explicit=retention_explicit,
        transient=transient,
        history_from=version,
    )
    return replace(meta, retention_days=effective_retention(target.db, target.schema, meta))


def column_meta(ctx: StatementContext, d: ast.ColumnDef) -> ColumnMeta:
    """A column definition: folded name, Snowflake type, NOT NULL, DEFAULT, COMMENT."""
    name = check_name(ctx.fold(d.name), d.name.span, "column name")
    display, duck = types.canonical(d.type)
    default = None
    if d.default is not None:
        default = ctx.source[d.default.span.start : d.default.span.end] or None
        ctx.translator().expr(d.default)  # refuse a default the engine cannot evaluate
    return ColumnMeta(
        name=name,
        type=display,
        duck_type=duck,
        comment=check_comment(d.comment, d.span),
        not_null=d.not_null,
        default=default,
    )


def check_columns(columns: tuple[ColumnMeta, ...], span: ast.Span | None) -> None:
    """At least one column; no two whose names differ only in case (the DuckDB storage cannot
    tell them apart, an emulator limit); none of the engine's own names."""
    if not columns:
        raise SemanticError("semantic", span, message="a table needs at least one column")
    seen: set[str] = set()
    for c in columns:
        key = c.name.upper()
        if key.startswith(VERSION_COLUMN.upper()[:4]):
            raise SemanticError("invalid", span, message=f"invalid column name '{c.name}'")
        if key == "ROWID":
            raise UnsupportedError(
                "unsupported",
                span,
                message="a column named ROWID (DuckDB, which stores the tables, reserves the "
                "name for its row identifier)",
            )
        if key in seen:
            raise CatalogError("exists", span, name=c.name)
        seen.add(key)


def cluster_text(ctx: StatementContext, exprs: tuple[ast.Expr, ...]) -> str | None:
    """`LINEAR(a, b)` as SHOW TABLES prints a clustering key."""
    if not exprs:
        return None
    parts = []
    for e in exprs:
        if isinstance(e, ast.ColumnRef):
            parts.append(ctx.fold(e.parts[-1]))
        else:
            parts.append(" ".join(ctx.source[e.span.start : e.span.end].split()).upper())
    return f"LINEAR({', '.join(parts)})"


def _cluster_of(t: TableMeta) -> str | None:
    return str(t.cluster["by"]) if t.cluster and t.cluster.get("type") == "snowflake" else None


# ---------------------------------------------------------------------------- DROP


@handles(ast.DropObject, dialect=SF)
def drop_object(ctx: StatementContext, stmt: ast.DropObject) -> Status:
    """DROP TABLE|SCHEMA|DATABASE [IF EXISTS] name (ROLE/USER: access.py; STAGE, PIPE,
    STREAM, TASK: pipeline.py)."""
    if stmt.kind in ("ROLE", "USER"):
        from cloneshell.engine.snowflake.handlers import access

        return access.drop_principal(ctx, stmt)
    if stmt.kind == "TABLE":
        return _drop_table(ctx, stmt.name, stmt.if_exists)
    if stmt.kind == "SCHEMA":
        return _drop_schema(ctx, stmt)
    if stmt.kind == "DATABASE":
        return _drop_database(ctx, stmt)
    if stmt.kind in ("STAGE", "PIPE", "STREAM", "TASK"):
        from cloneshell.engine.snowflake.handlers import pipeline

        return pipeline.drop(ctx, stmt)
    raise UnsupportedError("unsupported", stmt.span, message=f"DROP {stmt.kind}")


@handles(ast.DropTable, dialect=SF)
def drop_table(ctx: StatementContext, stmt: ast.DropTable) -> Status:
    """DROP TABLE [IF EXISTS] t."""
    return _drop_table(ctx, stmt.name, stmt.if_exists)


def _dropped_already(ctx: StatementContext, name: str) -> Status:
    return Status(
        f"Drop statement executed successfully ({name} already dropped).", ctx.statement_id
    )


def _drop_table(ctx: StatementContext, qname: ast.QualifiedName, if_exists: bool) -> Status:
    target = ctx.sf_resolve(qname, "DROP")
    table = target.table
    if table is None:
        if if_exists:
            return _dropped_already(ctx, target.name)
        raise CatalogError("object_not_found", qname.span, name=target.fq)
    ctx.sf_auth.require_owner(table.owner, "table", table.name)
    with ctx.sf_write(target.db, "DROP TABLE") as version:
        drop_table_rows(ctx, target.db, table, version)
    return Status(f"{table.name} successfully dropped.", ctx.statement_id)


def _drop_schema(ctx: StatementContext, stmt: ast.DropObject) -> Status:
    db, name = ctx.schema_target(stmt.name, "DROP")
    schema = db.cat.get_schema(name)
    if schema is None or not ctx.can_see_schema(db, schema):
        if stmt.if_exists:
            return _dropped_already(ctx, name)
        raise CatalogError("schema_not_found", stmt.name.span, name=f"{db.name}.{name}")
    ctx.sf_auth.require_owner(schema.owner, "schema", name)
    with ctx.sf_write(db, "DROP SCHEMA") as version:
        drop_schema_rows(ctx, db, schema, version)
    return Status(f"{name} successfully dropped.", ctx.statement_id)


def _drop_database(ctx: StatementContext, stmt: ast.DropObject) -> Status:
    if len(stmt.name.parts) != 1:
        raise SemanticError("semantic", stmt.name.span, message="a database name has one part")
    name = ctx.fold(stmt.name.parts[0])
    wh = ctx.session.warehouse
    info = wh.get_database(name)
    if info is None or not ctx.can_see_db(ctx.database(name, visible=False)):
        if stmt.if_exists:
            return _dropped_already(ctx, name)
        raise CatalogError("database_not_found", stmt.name.span, name=name)
    ctx.sf_auth.require_owner(info.owner, "database", name)
    ctx.forget_db(name)
    wh.detach_project(info.file)
    wh.update_database(info.file, dropped_at=ctx.now)
    _purge_dropped_database(ctx, info)
    if ctx.session.project == name:
        ctx.session.project = None
        ctx.session.schema = None
    return Status(f"{name} successfully dropped.", ctx.statement_id)


# ---------------------------------------------------------------------------- UNDROP


@handles(ast.Undrop, dialect=SF)
def undrop(ctx: StatementContext, stmt: ast.Undrop) -> Status:
    """UNDROP TABLE|SCHEMA|DATABASE name: restore the most recent dropped version, in place."""
    if stmt.kind == "DATABASE":
        return _undrop_database(ctx, stmt)
    if stmt.kind == "SCHEMA":
        return _undrop_schema(ctx, stmt)
    return _undrop_table(ctx, stmt)


def _undrop_table(ctx: StatementContext, stmt: ast.Undrop) -> Status:
    target = ctx.sf_resolve(stmt.name, "UNDROP")
    db, schema = target.db, target.schema
    purge.purge_now(ctx, db)
    if db.cat.get_live_table(schema.schema_id, target.name) is not None:
        raise CatalogError("exists", stmt.name.span, name=target.name)
    candidates = [
        t
        for t in db.cat.tables_of_schema(schema.schema_id, history=True)
        if t.name == target.name and t.dropped_version is not None
    ]
    if not candidates:
        raise CatalogError("undrop_missing", stmt.name.span, object_type="Table", name=target.name)
    table = candidates[0]
    ctx.sf_auth.require_owner(table.owner, "table", table.name)
    require_create_table(ctx, target)
    with ctx.sf_write(db, "UNDROP TABLE"):
        db.cat.update_table(table.table_id, dropped_version=None, dropped_at=None)
    return Status(f"Table {table.name} successfully restored.", ctx.statement_id)


def _undrop_schema(ctx: StatementContext, stmt: ast.Undrop) -> Status:
    db, name = ctx.schema_target(stmt.name, "UNDROP")
    purge.purge_now(ctx, db)
    if db.cat.get_schema(name) is not None:
        raise CatalogError("exists", stmt.name.span, name=name)
    candidates = db.cat.dropped_schemas(name)
    if not candidates:
        raise CatalogError("undrop_missing", stmt.name.span, object_type="Schema", name=name)
    schema = candidates[0]
    ctx.sf_auth.require_owner(schema.owner, "schema", name)
    require_create_schema(ctx, db)
    with ctx.sf_write(db, "UNDROP SCHEMA"):
        db.cat.update_schema(schema.schema_id, dropped_version=None, dropped_at=None)
    return Status(f"Schema {name} successfully restored.", ctx.statement_id)


def _undrop_database(ctx: StatementContext, stmt: ast.Undrop) -> Status:
    if len(stmt.name.parts) != 1:
        raise SemanticError("semantic", stmt.name.span, message="a database name has one part")
    name = ctx.fold(stmt.name.parts[0])
    wh = ctx.session.warehouse
    purge.purge_databases(ctx)
    if wh.get_database(name) is not None:
        raise CatalogError("exists", stmt.name.span, name=name)
    candidates = wh.dropped_databases(name)
    if not candidates:
        raise CatalogError("undrop_missing", stmt.name.span, object_type="Database", name=name)
    info = candidates[0]
    ctx.sf_auth.require_owner(info.owner, "database", name)
    ctx.sf_auth.require_account("CREATE DATABASE")
    wh.update_database(info.file, dropped_at=None)
    from cloneshell.engine.snowflake.handlers import tasks

    tasks.reindex(ctx, ctx.database(name))
    return Status(f"Database {name} successfully restored.", ctx.statement_id)


# ---------------------------------------------------------------------------- ALTER


@handles(ast.AlterRename, dialect=SF)
def alter_rename(ctx: StatementContext, stmt: ast.AlterRename) -> Status:
    """ALTER TABLE|SCHEMA|DATABASE [IF EXISTS] x RENAME TO y (the object keeps its identity:
    its history, grants and Time Travel follow it)."""
    if stmt.kind == "DATABASE":
        return _rename_database(ctx, stmt)
    if stmt.kind == "SCHEMA":
        return _rename_schema(ctx, stmt)
    target = ctx.sf_resolve(stmt.name, "ALTER")
    table = target.table
    if table is None:
        if stmt.if_exists:
            return ok(ctx)
        raise CatalogError("object_not_found", stmt.name.span, name=target.fq)
    ctx.sf_auth.require_owner(table.owner, "table", table.name)
    if len(stmt.new_name.parts) == 1:
        # An unqualified new name keeps the table in its schema.
        dest = SfTarget(target.db, target.schema, ctx.fold(stmt.new_name.parts[0]), None)
        dest.table = target.db.cat.get_live_table(target.schema.schema_id, dest.name)
    else:
        dest = ctx.sf_resolve(stmt.new_name, "ALTER")
    check_name(dest.name, stmt.new_name.span, "table name")
    if dest.db.info.file != target.db.info.file:
        raise UnsupportedError(
            "unsupported", stmt.new_name.span, message="renaming a table into another database"
        )
    if dest.db.cat.get_live_table(dest.schema.schema_id, dest.name) is not None:
        raise CatalogError("exists", stmt.new_name.span, name=dest.name)
    moving = dest.schema.schema_id != target.schema.schema_id
    if moving:
        require_create_table(ctx, dest)
    with ctx.sf_write(target.db, "RENAME TABLE"):
        values: dict[str, object] = {"name": dest.name, "ddl_at": ctx.now}
        if moving:
            values["schema_name"] = dest.schema.name
            target.db.cat.con.execute(
                f"UPDATE {quote_ident(target.db.cat.alias)}.__cs.tables SET schema_id = ? "
                "WHERE table_id = ?",
                [dest.schema.schema_id, table.table_id],
            )
        target.db.cat.update_table(table.table_id, **values)
    return ok(ctx)


def _rename_schema(ctx: StatementContext, stmt: ast.AlterRename) -> Status:
    db, name = ctx.schema_target(stmt.name, "ALTER")
    schema = db.cat.get_schema(name)
    if schema is None or not ctx.can_see_schema(db, schema):
        if stmt.if_exists:
            return ok(ctx)
        raise CatalogError("schema_not_found", stmt.name.span, name=f"{db.name}.{name}")
    ctx.sf_auth.require_owner(schema.owner, "schema", name)
    new_db, new_name = ctx.schema_target(stmt.new_name, "ALTER")
    check_name(new_name, stmt.new_name.span, "schema name")
    if new_db.info.file != db.info.file:
        raise UnsupportedError(
            "unsupported", stmt.new_name.span, message="renaming a schema into another database"
        )
    if db.cat.get_schema(new_name) is not None:
        raise CatalogError("exists", stmt.new_name.span, name=new_name)
    with ctx.sf_write(db, "RENAME SCHEMA"):
        db.cat.update_schema(schema.schema_id, name=new_name)
    if ctx.session.project == db.name and ctx.session.schema == name:
        ctx.session.schema = new_name
    return ok(ctx)


def _rename_database(ctx: StatementContext, stmt: ast.AlterRename) -> Status:
    if len(stmt.name.parts) != 1 or len(stmt.new_name.parts) != 1:
        raise SemanticError("semantic", stmt.span, message="a database name has one part")
    name = ctx.fold(stmt.name.parts[0])
    new_name = check_name(ctx.fold(stmt.new_name.parts[0]), stmt.new_name.span, "database name")
    wh = ctx.session.warehouse
    info = wh.get_database(name)
    if info is None or not ctx.can_see_db(ctx.database(name, visible=False)):
        if stmt.if_exists:
            return ok(ctx)
        raise CatalogError("database_not_found", stmt.name.span, name=name)
    ctx.sf_auth.require_owner(info.owner, "database", name)
    if wh.get_database(new_name) is not None:
        raise CatalogError("exists", stmt.new_name.span, name=new_name)
    wh.update_database(info.file, name=new_name)
    ctx.forget_db(name)
    if ctx.session.project == name:
        ctx.session.project = new_name
    return ok(ctx)


@handles(ast.AlterSet, dialect=SF)
def alter_set(ctx: StatementContext, stmt: ast.AlterSet) -> Status:
    """ALTER TABLE|SCHEMA|DATABASE x SET|UNSET DATA_RETENTION_TIME_IN_DAYS / COMMENT.

    Lowering retention to 0 purges the history at once; raising it from 0 starts history now
    (earlier points stay unavailable: there is nothing to read)."""
    unset = {u.upper() for u in stmt.unset}
    for u in unset - {"DATA_RETENTION_TIME_IN_DAYS", "COMMENT"}:
        raise UnsupportedError("unsupported", stmt.span, message=f"UNSET {u}")
    if stmt.kind == "DATABASE":
        return _set_database(ctx, stmt, unset)
    if stmt.kind == "SCHEMA":
        db, name = ctx.schema_target(stmt.name, "ALTER")
        schema = db.cat.get_schema(name)
        if schema is None or not ctx.can_see_schema(db, schema):
            if stmt.if_exists:
                return ok(ctx)
            raise CatalogError("schema_not_found", stmt.name.span, name=f"{db.name}.{name}")
        ctx.sf_auth.require_owner(schema.owner, "schema", name)
        values: dict[str, object] = {}
        new_schema = schema
        if stmt.retention_days is not None or "DATA_RETENTION_TIME_IN_DAYS" in unset:
            days = check_retention(stmt.retention_days, schema.transient, stmt.span)
            values["retention_days"] = days
            new_schema = replace(schema, retention_days=days)
        if stmt.comment is not None or "COMMENT" in unset:
            values["comment"] = check_comment(stmt.comment, stmt.span)
        with ctx.sf_write(db, "ALTER SCHEMA") as version:
            if values:
                db.cat.update_schema(schema.schema_id, **values)
            retention_changed(ctx, db, [(schema, new_schema)], version)
        return ok(ctx)
    target = ctx.sf_resolve(stmt.name, "ALTER")
    table = target.table
    if table is None:
        if stmt.if_exists:
            return ok(ctx)
        raise CatalogError("object_not_found", stmt.name.span, name=target.fq)
    ctx.sf_auth.require_owner(table.owner, "table", table.name)
    tvalues: dict[str, object] = {"ddl_at": ctx.now}
    if stmt.retention_days is not None or "DATA_RETENTION_TIME_IN_DAYS" in unset:
        tvalues["retention_explicit"] = check_retention(
            stmt.retention_days, table.transient, stmt.span
        )
    if stmt.comment is not None or "COMMENT" in unset:
        tvalues["comment"] = check_comment(stmt.comment, stmt.span)
    with ctx.sf_write(target.db, "ALTER TABLE") as version:
        target.db.cat.update_table(table.table_id, **tvalues)
        if "retention_explicit" in tvalues:
            explicit = tvalues["retention_explicit"]
            after = replace(
                table, retention_explicit=explicit if isinstance(explicit, int) else None
            )
            new = effective_retention(target.db, target.schema, after)
            table_retention_changed(target.db, table.retention_days, table, new, version)
    return ok(ctx)


def _set_database(ctx: StatementContext, stmt: ast.AlterSet, unset: set[str]) -> Status:
    if len(stmt.name.parts) != 1:
        raise SemanticError("semantic", stmt.name.span, message="a database name has one part")
    name = ctx.fold(stmt.name.parts[0])
    wh = ctx.session.warehouse
    info = wh.get_database(name)
    if info is None or not ctx.can_see_db(ctx.database(name, visible=False)):
        if stmt.if_exists:
            return ok(ctx)
        raise CatalogError("database_not_found", stmt.name.span, name=name)
    ctx.sf_auth.require_owner(info.owner, "database", name)
    values: dict[str, object] = {}
    if stmt.retention_days is not None or "DATA_RETENTION_TIME_IN_DAYS" in unset:
        values["retention_days"] = check_retention(stmt.retention_days, info.transient, stmt.span)
    if stmt.comment is not None or "COMMENT" in unset:
        values["comment"] = check_comment(stmt.comment, stmt.span)
    if "retention_days" in values:
        db = ctx.database(name)
        days = values["retention_days"]
        new_db = Db(replace(info, retention_days=days if isinstance(days, int) else None), db.cat)
        with ctx.sf_write(db, "ALTER DATABASE") as version:
            for schema in db.cat.list_schemas():
                for t in db.cat.tables_of_schema(schema.schema_id):
                    old = effective_retention(db, schema, t)
                    new = effective_retention(new_db, schema, t)
                    table_retention_changed(db, old, t, new, version)
    if values:
        wh.update_database(info.file, **values)
    ctx.forget_db(name)
    return ok(ctx)


def retention_changed(
    ctx: StatementContext, db: Db, schemas: list[tuple[SchemaMeta, SchemaMeta]], version: int
) -> None:
    """Apply a schema retention change to the tables that inherit it."""
    for before_s, after_s in schemas:
        for t in db.cat.tables_of_schema(before_s.schema_id):
            old = effective_retention(db, before_s, t)
            table_retention_changed(db, old, t, effective_retention(db, after_s, t), version)


def table_retention_changed(db: Db, old: int, table: TableMeta, new: int, version: int) -> None:
    """Effective retention of `table` goes from `old` to `new` days: at 0 its history is
    purged at once; from 0 up, history starts now (earlier points stay unavailable)."""
    if new == 0 and not streams.streams_on(db.cat, table.table_id):
        # (A table a stream tracks keeps what the stream has not consumed: streams.py.)
        db.cat.con.execute(f"DROP TABLE IF EXISTS {db.cat.history_name(table)}")
    if new == 0 or (old == 0 and new > 0):
        db.cat.update_table(table.table_id, history_from=version)
