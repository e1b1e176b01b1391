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

from cloneshell.engine.core import storage
from cloneshell.engine.core.catalog import ColumnMeta, SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import CatalogError, EngineError, SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Status
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.snowflake import (
    constraints,
    ddl,
    listing,
    purge,
    tableoptions,
    tags,
    temporary,
    types,
)
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.engine.snowflake.handlers import access, clone, pipeline, sequences, tasks, views
from cloneshell.engine.snowflake.handlers import tags as tag_handlers
from cloneshell.engine.snowflake.retention import effective_retention
from cloneshell.grammar import ast

SF = "snowflake"


# ---------------------------------------------------------------------------- databases


def create_database(ctx: SnowflakeContext, stmt: ast.CreateDatabase) -> Status:
    """CREATE [OR REPLACE] [TRANSIENT] DATABASE [IF NOT EXISTS] d [CLONE …]."""
    if stmt.clone is not None:
        return clone.clone_database(ctx, stmt)
    # Registered last, decided first: hold the registry from the start (see ddl.register_database).
    ctx.session.warehouse.attach_warehouse(write=True)
    name = ddl.check_name(ctx.fold(stmt.name), stmt.name.span, "database name")
    ddl.exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    ctx.auth.require_account("CREATE DATABASE")
    retention = ddl.check_retention(stmt.retention_days, stmt.transient, stmt.span)
    comment = ddl.check_comment(stmt.comment, stmt.span)
    purge.purge_databases(ctx)
    replaced = ddl.existing_database(ctx, name, stmt.if_not_exists, stmt.or_replace, stmt.name.span)
    if replaced == "exists":
        return ddl.already_exists(ctx, name)
    info = ddl.new_database(ctx, name, comment, retention, stmt.transient, lambda db, v: None)
    ddl.register_database(ctx, info, replaced if isinstance(replaced, ProjectInfo) else None)
    return Status(f"Database {name} successfully created.", ctx.statement_id)


# ---------------------------------------------------------------------------- schemas


def create_schema(ctx: SnowflakeContext, stmt: ast.CreateSchema) -> Status:
    """CREATE [OR REPLACE] [TRANSIENT] SCHEMA [IF NOT EXISTS] [db.]s [CLONE …]."""
    if stmt.clone is not None:
        return clone.clone_schema(ctx, stmt)
    ddl.exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    db, name = ctx.schema_target(stmt.name, "CREATE SCHEMA")
    ddl.check_name(name, stmt.name.span, "schema name")
    ddl.require_create_schema(ctx, db)
    transient = stmt.transient or db.info.transient
    retention = ddl.check_retention(stmt.retention_days, transient, stmt.span)
    comment = ddl.check_comment(stmt.comment, stmt.span)
    replaced = ddl.existing_schema(ctx, db, name, stmt.if_not_exists, stmt.or_replace, stmt.span)
    if replaced == "exists":
        return ddl.already_exists(ctx, name)
    with ctx.write_db(db, "CREATE SCHEMA") as version:
        if isinstance(replaced, SchemaMeta):
            ddl.drop_schema_rows(ctx, db, replaced, version)
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


# ---------------------------------------------------------------------------- tables


def create_table(ctx: SnowflakeContext, stmt: ast.CreateTable) -> Status:
    """CREATE [OR REPLACE] [TRANSIENT|TEMPORARY] TABLE [IF NOT EXISTS] t (cols) | LIKE s | AS
    query. A temporary table is this session's only (temporary.py)."""
    if stmt.clone is not None:
        return clone.clone_table(ctx, stmt)
    ddl.exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    target = ctx.resolve(stmt.name, "CREATE TABLE")
    ddl.check_name(target.name, stmt.name.span, "table name")
    ddl.require_create_table(ctx, target)
    replaced = ddl.existing_table(
        ctx, target, stmt.if_not_exists, stmt.or_replace, stmt.name.span, stmt.temporary
    )
    if replaced == "exists":
        return ddl.already_exists(ctx, target.name)
    transient = stmt.transient or target.schema.transient
    retention = ddl.check_retention(stmt.retention_days, transient or stmt.temporary, stmt.span)
    comment = ddl.check_comment(stmt.comment, stmt.span)
    cluster = ddl.cluster_text(ctx, stmt.cluster_by)
    tableoptions.refuse_policies(stmt.policies)
    tableoptions.check_columns(stmt.columns)
    options = tableoptions.properties(stmt.options)
    own_tags = tags.checked(ctx, stmt.tags)
    column_tags = {ctx.fold(c.name): tags.checked(ctx, c.tags) for c in stmt.columns if c.tags}
    select_sql: str | None = None
    params: list[object] = []
    if stmt.like is not None:
        source = ctx.require_table(stmt.like, "CREATE TABLE")
        assert source.table is not None
        columns = source.table.columns
        cluster = cluster or ddl.cluster_of(source.table)
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
        if stmt.columns:
            columns, select_sql = _declared_ctas(ctx, stmt, len(columns), select_sql)
    else:
        columns = tuple(ddl.column_meta(ctx, c) for c in stmt.columns)
    ddl.check_columns(columns, stmt.span)
    columns, keys = constraints.declare(ctx, target, stmt.constraints, columns)
    with ctx.write_db(target.db, "CREATE TABLE") as version:
        if isinstance(replaced, TableMeta):
            ddl.drop_table_rows(ctx, target.db, replaced, version)
        columns = sequences.column_defaults(ctx, target, stmt.columns, columns, version)
        meta = ddl.new_table(
            ctx,
            target,
            version,
            columns=columns,
            comment=comment,
            cluster=cluster,
            retention_explicit=retention,
            transient=transient,
        )
        meta = replace(
            meta,
            properties={
                **meta.properties,
                **constraints.encode(keys),
                **options,
                **tags.encode(own_tags, column_tags),
            },
        )
        if stmt.temporary:
            meta = replace(meta, properties={**meta.properties, **temporary.mark(ctx, target)})
        target.db.cat.create_table(meta)
        if select_sql is not None:
            storage.append(target.db.cat, meta, select_sql, params, version)
    return Status(f"Table {target.name} successfully created.", ctx.statement_id)


def _declared_ctas(
    ctx: SnowflakeContext, stmt: ast.CreateTable, width: int, select_sql: str
) -> tuple[tuple[ColumnMeta, ...], str]:
    """`CREATE TABLE t (a type, …) AS SELECT …`: the declared columns, and the query's columns
    cast to them by position (their number must match)."""
    if len(stmt.columns) != width:
        raise SemanticError(
            "semantic",
            stmt.span,
            message=f"Invalid column definition list: {len(stmt.columns)} columns declared, "
            f"the query has {width}.",
        )
    columns = tuple(ddl.column_meta(ctx, c) for c in stmt.columns)
    inner = ", ".join(f"c{i}" for i in range(width))
    cast = ", ".join(
        f"CAST(c{i} AS {c.duck_type}) AS {quote_ident(c.name)}" for i, c in enumerate(columns)
    )
    return columns, f"SELECT {cast} FROM ({select_sql}) AS q({inner})"


# ---------------------------------------------------------------------------- DROP


def drop_object(ctx: SnowflakeContext, stmt: ast.DropObject) -> Status:
    """DROP TABLE|SCHEMA|DATABASE [IF EXISTS] name (ROLE/USER: access.py; STAGE, PIPE,
    STREAM, TASK: pipeline.py)."""
    if stmt.kind in ("ROLE", "USER"):
        return access.drop_principal(ctx, stmt)
    if stmt.kind == "TABLE":
        return _drop_table(ctx, stmt.name, stmt.if_exists)
    if stmt.kind == "SCHEMA":
        return _drop_schema(ctx, stmt)
    if stmt.kind == "DATABASE":
        return _drop_database(ctx, stmt)
    if stmt.kind in ("STAGE", "PIPE", "STREAM", "TASK"):
        return pipeline.drop(ctx, stmt)
    if stmt.kind == "VIEW":
        return views.drop_view(ctx, stmt)
    if stmt.kind == "SEQUENCE":
        return sequences.drop_sequence(ctx, stmt)
    if stmt.kind == "TAG":
        return tag_handlers.drop_tag(ctx, stmt)
    raise UnsupportedError("unsupported", stmt.span, message=f"DROP {stmt.kind}")


def drop_table(ctx: SnowflakeContext, stmt: ast.DropTable) -> Status:
    """DROP TABLE [IF EXISTS] t."""
    return _drop_table(ctx, stmt.name, stmt.if_exists)


def _dropped_already(ctx: SnowflakeContext, name: str) -> Status:
    return Status(
        f"Drop statement executed successfully ({name} already dropped).", ctx.statement_id
    )


def _drop_table(ctx: SnowflakeContext, qname: ast.QualifiedName, if_exists: bool) -> Status:
    target = ctx.resolve(qname, "DROP")
    table = target.table
    if table is None:
        if if_exists:
            return _dropped_already(ctx, target.name)
        raise CatalogError("object_not_found", qname.span, name=target.fq)
    views.require_kind(target, qname, "TABLE")
    ctx.auth.require_owner(table.owner, "table", table.name)
    with ctx.write_db(target.db, "DROP TABLE") as version:
        ddl.drop_table_rows(ctx, target.db, table, version)
    return Status(f"{table.name} successfully dropped.", ctx.statement_id)


def _drop_schema(ctx: SnowflakeContext, stmt: ast.DropObject) -> Status:
    db, name = ctx.schema_target(stmt.name, "DROP")
    schema = db.cat.get_schema(name)
    if schema is None or not ctx.can_see_schema(db, schema):
        if stmt.if_exists:
            return _dropped_already(ctx, name)
        raise CatalogError("schema_not_found", stmt.name.span, name=f"{db.name}.{name}")
    ctx.auth.require_owner(schema.owner, "schema", name)
    with ctx.write_db(db, "DROP SCHEMA") as version:
        ddl.drop_schema_rows(ctx, db, schema, version)
    return Status(f"{name} successfully dropped.", ctx.statement_id)


def _drop_database(ctx: SnowflakeContext, stmt: ast.DropObject) -> Status:
    if len(stmt.name.parts) != 1:
        raise SemanticError("semantic", stmt.name.span, message="a database name has one part")
    name = ctx.fold(stmt.name.parts[0])
    wh = ctx.session.warehouse
    info = wh.get_database(name)
    damaged = False
    if info is not None:
        try:
            visible = ctx.can_see_db(ctx.database(name, visible=False))
        except (EngineError, duckdb.Error) as err:
            if not listing.is_damaged(ctx, err):
                raise
            visible, damaged = ctx.auth.owns(info.owner), True
    if info is None or not visible:
        if stmt.if_exists:
            return _dropped_already(ctx, name)
        raise CatalogError("database_not_found", stmt.name.span, name=name)
    ctx.auth.require_owner(info.owner, "database", name)
    ctx.forget_db(name)
    if damaged:
        # Nothing in it can be read, so nothing can be undropped: it goes at once.
        wh.purge_database(info)
        if ctx.session.project == name:
            ctx.session.project = None
            ctx.session.schema = None
        return Status(f"{name} successfully dropped.", ctx.statement_id)
    wh.detach_project(info.file)
    wh.update_database(info.file, dropped_at=ctx.now)
    ddl.purge_dropped_database(ctx, info)
    if ctx.session.project == name:
        ctx.session.project = None
        ctx.session.schema = None
    return Status(f"{name} successfully dropped.", ctx.statement_id)


# ---------------------------------------------------------------------------- UNDROP


def undrop(ctx: SnowflakeContext, stmt: ast.Undrop) -> Status:
    """UNDROP TABLE|SCHEMA|DATABASE name: restore the most recent dropped version, in place."""
    if stmt.kind == "DATABASE":
        return _undrop_database(ctx, stmt)
    if stmt.kind == "SCHEMA":
        return _undrop_schema(ctx, stmt)
    if stmt.kind == "VIEW":
        # Snowflake keeps no dropped views (UNDROP covers tables, schemas, databases).
        raise UnsupportedError("unsupported", stmt.span, message="UNDROP VIEW")
    return _undrop_table(ctx, stmt)


def _undrop_table(ctx: SnowflakeContext, stmt: ast.Undrop) -> Status:
    target = ctx.resolve(stmt.name, "UNDROP")
    db, schema = target.db, target.schema
    purge.purge_now(ctx, db)
    # A live table of that name the role cannot see is told only once a dropped one it can
    # see would be restored over it (an invisible name is a missing one until then).
    live = db.cat.get_live_table(schema.schema_id, target.name)
    taken = CatalogError("exists", stmt.name.span, name=target.name)
    if live is not None and ctx.can_see_table(db, live):
        raise taken
    candidates = [
        t
        for t in db.cat.tables_of_schema(schema.schema_id, history=True)
        if t.name == target.name and t.dropped_version is not None
    ]
    missing = CatalogError("undrop_missing", stmt.name.span, object_type="Table", name=target.name)
    if not candidates:
        raise missing
    table = candidates[0]
    ctx.auth.require_owner_seen(db.cat, "TABLE", table.table_id, table.owner, table.name, missing)
    if live is not None:
        raise taken
    ddl.require_create_table(ctx, target)
    with ctx.write_db(db, "UNDROP TABLE"):
        db.cat.update_table(table.table_id, dropped_version=None, dropped_at=None)
    return Status(f"Table {table.name} successfully restored.", ctx.statement_id)


def _undrop_schema(ctx: SnowflakeContext, stmt: ast.Undrop) -> Status:
    db, name = ctx.schema_target(stmt.name, "UNDROP")
    purge.purge_now(ctx, db)
    live = db.cat.get_schema(name)
    taken = CatalogError("exists", stmt.name.span, name=name)
    if live is not None and ctx.can_see_schema(db, live):
        raise taken
    candidates = db.cat.dropped_schemas(name)
    missing = CatalogError("undrop_missing", stmt.name.span, object_type="Schema", name=name)
    if not candidates:
        raise missing
    schema = candidates[0]
    ctx.auth.require_owner_seen(db.cat, "SCHEMA", schema.schema_id, schema.owner, name, missing)
    if live is not None:
        raise taken
    ddl.require_create_schema(ctx, db)
    with ctx.write_db(db, "UNDROP SCHEMA"):
        db.cat.update_schema(schema.schema_id, dropped_version=None, dropped_at=None)
    return Status(f"Schema {name} successfully restored.", ctx.statement_id)


def _undrop_database(ctx: SnowflakeContext, stmt: ast.Undrop) -> Status:
    if len(stmt.name.parts) != 1:
        raise SemanticError("semantic", stmt.name.span, message="a database name has one part")
    name = ctx.fold(stmt.name.parts[0])
    wh = ctx.session.warehouse
    purge.purge_databases(ctx)
    live = wh.get_database(name)
    taken = CatalogError("exists", stmt.name.span, name=name)
    if live is not None and ctx.can_see_db(ctx.database(name, visible=False)):
        raise taken
    candidates = wh.dropped_databases(name)
    missing = CatalogError("undrop_missing", stmt.name.span, object_type="Database", name=name)
    if not candidates:
        raise missing
    info = candidates[0]
    dropped = ctx.attach_db(info)
    ctx.auth.require_owner_seen(dropped.cat, "DATABASE", 0, info.owner, name, missing)
    if live is not None:
        raise taken
    ctx.auth.require_account("CREATE DATABASE")
    wh.update_database(info.file, dropped_at=None)
    tasks.reindex(ctx, ctx.database(name))
    return Status(f"Database {name} successfully restored.", ctx.statement_id)


# ---------------------------------------------------------------------------- ALTER


def alter_rename(ctx: SnowflakeContext, stmt: ast.AlterRename) -> Status:
    """ALTER TABLE|SCHEMA|DATABASE [IF EXISTS] x RENAME TO y (the object keeps its identity:
    its history, grants and Time Travel follow it)."""
    if stmt.kind == "DATABASE":
        return _rename_database(ctx, stmt)
    if stmt.kind == "SCHEMA":
        return _rename_schema(ctx, stmt)
    target = ctx.resolve(stmt.name, "ALTER")
    table = target.table
    if table is None:
        if stmt.if_exists:
            return ddl.ok(ctx)
        raise CatalogError("object_not_found", stmt.name.span, name=target.fq)
    views.require_kind(target, stmt.name, "VIEW" if stmt.kind == "VIEW" else "TABLE")
    ctx.auth.require_owner(table.owner, "table", table.name)
    if len(stmt.new_name.parts) == 1:
        # An unqualified new name keeps the table in its schema.
        dest = Target(target.db, target.schema, ctx.fold(stmt.new_name.parts[0]), None)
        dest.table = target.db.cat.get_live_table(target.schema.schema_id, dest.name)
    else:
        dest = ctx.resolve(stmt.new_name, "ALTER")
    ddl.check_name(dest.name, stmt.new_name.span, "table name")
    if dest.db.info.file != target.db.info.file:
        raise UnsupportedError(
            "unsupported", stmt.new_name.span, message="renaming a table into another database"
        )
    if dest.db.cat.get_live_table(dest.schema.schema_id, dest.name) is not None:
        raise CatalogError("exists", stmt.new_name.span, name=dest.name)
    moving = dest.schema.schema_id != target.schema.schema_id
    if moving:
        ddl.require_create_table(ctx, dest)
    with ctx.write_db(target.db, "RENAME TABLE"):
        values: dict[str, object] = {"name": dest.name, "ddl_at": ctx.now}
        if moving:
            values["schema_name"] = dest.schema.name
            target.db.cat.con.execute(
                f"UPDATE {quote_ident(target.db.cat.alias)}.__cs.tables SET schema_id = ? "
                "WHERE table_id = ?",
                [dest.schema.schema_id, table.table_id],
            )
        target.db.cat.update_table(table.table_id, **values)
    return ddl.ok(ctx)


def _rename_schema(ctx: SnowflakeContext, stmt: ast.AlterRename) -> Status:
    db, name = ctx.schema_target(stmt.name, "ALTER")
    schema = db.cat.get_schema(name)
    if schema is None or not ctx.can_see_schema(db, schema):
        if stmt.if_exists:
            return ddl.ok(ctx)
        raise CatalogError("schema_not_found", stmt.name.span, name=f"{db.name}.{name}")
    ctx.auth.require_owner(schema.owner, "schema", name)
    new_db, new_name = ctx.schema_target(stmt.new_name, "ALTER")
    ddl.check_name(new_name, stmt.new_name.span, "schema name")
    if new_db.info.file != db.info.file:
        raise UnsupportedError(
            "unsupported", stmt.new_name.span, message="renaming a schema into another database"
        )
    if db.cat.get_schema(new_name) is not None:
        raise CatalogError("exists", stmt.new_name.span, name=new_name)
    with ctx.write_db(db, "RENAME SCHEMA"):
        db.cat.update_schema(schema.schema_id, name=new_name)
    if ctx.session.project == db.name and ctx.session.schema == name:
        ctx.session.schema = new_name
    return ddl.ok(ctx)


def _rename_database(ctx: SnowflakeContext, stmt: ast.AlterRename) -> Status:
    if len(stmt.name.parts) != 1 or len(stmt.new_name.parts) != 1:
        raise SemanticError("semantic", stmt.span, message="a database name has one part")
    name = ctx.fold(stmt.name.parts[0])
    new_name = ddl.check_name(ctx.fold(stmt.new_name.parts[0]), stmt.new_name.span, "database name")
    wh = ctx.session.warehouse
    info = wh.get_database(name)
    if info is None or not ctx.can_see_db(ctx.database(name, visible=False)):
        if stmt.if_exists:
            return ddl.ok(ctx)
        raise CatalogError("database_not_found", stmt.name.span, name=name)
    ctx.auth.require_owner(info.owner, "database", name)
    if wh.get_database(new_name) is not None:
        raise CatalogError("exists", stmt.new_name.span, name=new_name)
    wh.update_database(info.file, name=new_name)
    ctx.forget_db(name)
    if ctx.session.project == name:
        ctx.session.project = new_name
    return ddl.ok(ctx)


def alter_set(ctx: SnowflakeContext, stmt: ast.AlterSet) -> Status:
    """ALTER TABLE|SCHEMA|DATABASE x SET|UNSET DATA_RETENTION_TIME_IN_DAYS / COMMENT.

    Lowering retention to 0 purges the history at once; raising it from 0 starts history now
    (earlier points stay unavailable: there is nothing to read)."""
    unset = {u.upper() for u in stmt.unset}
    table_only = tableoptions.UNSETTABLE if stmt.kind == "TABLE" else frozenset()
    for u in unset - {"DATA_RETENTION_TIME_IN_DAYS", "COMMENT"} - table_only:
        raise UnsupportedError("unsupported", stmt.span, message=f"UNSET {u}")
    if stmt.options and stmt.kind != "TABLE":
        o = stmt.options[0]
        raise SemanticError(
            "invalid", o.span, message=f"invalid property '{o.key}' for '{stmt.kind}'"
        )
    if stmt.kind == "DATABASE":
        return _set_database(ctx, stmt, unset)
    if stmt.kind == "SCHEMA":
        db, name = ctx.schema_target(stmt.name, "ALTER")
        schema = db.cat.get_schema(name)
        if schema is None or not ctx.can_see_schema(db, schema):
            if stmt.if_exists:
                return ddl.ok(ctx)
            raise CatalogError("schema_not_found", stmt.name.span, name=f"{db.name}.{name}")
        ctx.auth.require_owner(schema.owner, "schema", name)
        values: dict[str, object] = {}
        new_schema = schema
        if stmt.retention_days is not None or "DATA_RETENTION_TIME_IN_DAYS" in unset:
            days = ddl.check_retention(stmt.retention_days, schema.transient, stmt.span)
            values["retention_days"] = days
            new_schema = replace(schema, retention_days=days)
        if stmt.comment is not None or "COMMENT" in unset:
            values["comment"] = ddl.check_comment(stmt.comment, stmt.span)
        with ctx.write_db(db, "ALTER SCHEMA") as version:
            if values:
                db.cat.update_schema(schema.schema_id, **values)
            ddl.retention_changed(ctx, db, [(schema, new_schema)], version)
        return ddl.ok(ctx)
    target = ctx.resolve(stmt.name, "ALTER")
    table = target.table
    if table is None:
        if stmt.if_exists:
            return ddl.ok(ctx)
        raise CatalogError("object_not_found", stmt.name.span, name=target.fq)
    ctx.auth.require_owner(table.owner, "table", table.name)
    tvalues: dict[str, object] = {"ddl_at": ctx.now}
    if stmt.retention_days is not None or "DATA_RETENTION_TIME_IN_DAYS" in unset:
        tvalues["retention_explicit"] = ddl.check_retention(
            stmt.retention_days, table.transient, stmt.span
        )
    if stmt.comment is not None or "COMMENT" in unset:
        tvalues["comment"] = ddl.check_comment(stmt.comment, stmt.span)
    dropped = tableoptions.unset_keys(unset)
    props = {k: v for k, v in table.properties.items() if k not in dropped}
    props.update(tableoptions.properties(stmt.options))
    with ctx.write_db(target.db, "ALTER TABLE") as version:
        target.db.cat.update_table(table.table_id, **tvalues)
        if props != table.properties:
            target.db.cat.set_properties(table.table_id, props)
        if "retention_explicit" in tvalues:
            explicit = tvalues["retention_explicit"]
            after = replace(
                table, retention_explicit=explicit if isinstance(explicit, int) else None
            )
            new = effective_retention(target.db, target.schema, after)
            ddl.table_retention_changed(target.db, table.retention_days, table, new, version)
    return ddl.ok(ctx)


def _set_database(ctx: SnowflakeContext, stmt: ast.AlterSet, unset: set[str]) -> Status:
    if len(stmt.name.parts) != 1:
        raise SemanticError("semantic", stmt.name.span, message="a database name has one part")
    name = ctx.fold(stmt.name.parts[0])
    wh = ctx.session.warehouse
    info = wh.get_database(name)
    if info is None or not ctx.can_see_db(ctx.database(name, visible=False)):
        if stmt.if_exists:
            return ddl.ok(ctx)
        raise CatalogError("database_not_found", stmt.name.span, name=name)
    ctx.auth.require_owner(info.owner, "database", name)
    values: dict[str, object] = {}
    if stmt.retention_days is not None or "DATA_RETENTION_TIME_IN_DAYS" in unset:
        values["retention_days"] = ddl.check_retention(
            stmt.retention_days, info.transient, stmt.span
        )
    if stmt.comment is not None or "COMMENT" in unset:
        values["comment"] = ddl.check_comment(stmt.comment, stmt.span)
    if "retention_days" in values:
        db = ctx.database(name)
        days = values["retention_days"]
        new_db = Db(replace(info, retention_days=days if isinstance(days, int) else None), db.cat)
        with ctx.write_db(db, "ALTER DATABASE") as version:
            for schema in db.cat.list_schemas():
                for t in db.cat.tables_of_schema(schema.schema_id):
                    old = effective_retention(db, schema, t)
                    new = effective_retention(new_db, schema, t)
                    ddl.table_retention_changed(db, old, t, new, version)
    if values:
        wh.update_database(info.file, **values)
    ctx.forget_db(name)
    return ddl.ok(ctx)
