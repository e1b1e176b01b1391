"""The building blocks Snowflake's DDL handlers share: name and comment checks, what a CREATE
finds under its name, and creating, registering and dropping databases, schemas and tables (the
handlers that run the statements are in handlers/)."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from cloneshell.engine.core.catalog import VERSION_COLUMN, ColumnMeta, SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import CatalogError, EngineError, SemanticError, UnsupportedError
from cloneshell.engine.core.result import Status
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.snowflake import catalog, streams, temporary, types
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.engine.snowflake.retention import effective_retention
from cloneshell.engine.snowflake.security import check_identifier
from cloneshell.grammar import ast

MAX_RETENTION_DAYS = 90  # Enterprise edition (snowflake.md §2.2)


MAX_COMMENT = 256


def ok(ctx: SnowflakeContext) -> Status:
    """`Statement executed successfully.`"""
    return Status(ctx.session.dialect.ok_message, ctx.statement_id)


def already_exists(ctx: SnowflakeContext, name: str) -> Status:
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


_O = TypeVar("_O")


def exclusive(or_replace: bool, if_not_exists: bool, span: ast.Span | None) -> None:
    if or_replace and if_not_exists:
        raise SemanticError(
            "semantic", span, message="OR REPLACE and IF NOT EXISTS are incompatible."
        )


def claim_name(
    ctx: SnowflakeContext,
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
    ctx.auth.require_owner(owner, kind, name)
    return existing


def existing_database(
    ctx: SnowflakeContext,
    name: str,
    if_not_exists: bool,
    or_replace: bool,
    span: ast.Span | None,
) -> ProjectInfo | str | None:
    """What a CREATE DATABASE finds under its name (see `claim_name`)."""
    existing = ctx.session.warehouse.get_database(name)
    owner = existing.owner if existing else ""
    return claim_name(ctx, existing, owner, "database", name, if_not_exists, or_replace, span)


def new_database(
    ctx: SnowflakeContext,
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
        dialect="snowflake",
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
    ctx: SnowflakeContext, info: ProjectInfo, replaced: ProjectInfo | None
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
        purge_dropped_database(ctx, replaced)
    ctx.session.project = info.name
    ctx.session.schema = "PUBLIC"


def require_create_schema(ctx: SnowflakeContext, db: Db) -> None:
    """CREATE SCHEMA on the database (its owner holds it)."""
    ctx.auth.require(db.cat, "DATABASE", 0, db.info.owner, ("CREATE SCHEMA",), db.name)


def existing_schema(
    ctx: SnowflakeContext,
    db: Db,
    name: str,
    if_not_exists: bool,
    or_replace: bool,
    span: ast.Span | None,
) -> SchemaMeta | str | None:
    """What CREATE SCHEMA finds under its name (see `claim_name`)."""
    existing = db.cat.get_schema(name)
    owner = existing.owner if existing else ""
    return claim_name(ctx, existing, owner, "schema", name, if_not_exists, or_replace, span)


def drop_schema_rows(ctx: SnowflakeContext, db: Db, schema: SchemaMeta, version: int) -> None:
    """Mark a schema dropped (its tables go with it); purge at once with retention 0."""
    db.cat.update_schema(schema.schema_id, dropped_version=version, dropped_at=ctx.now)
    retention = effective_retention(db, schema, None)
    if retention == 0:
        catalog.forget_schema(db.cat, replace(schema, dropped_version=version, dropped_at=ctx.now))
    if ctx.session.project == db.name and ctx.session.schema == schema.name:
        ctx.session.schema = None


def require_create_table(ctx: SnowflakeContext, target: Target) -> None:
    """CREATE TABLE on the schema (its owner holds it)."""
    s = target.schema
    ctx.auth.require(target.db.cat, "SCHEMA", s.schema_id, s.owner, ("CREATE TABLE",), s.name)


def existing_table(
    ctx: SnowflakeContext,
    target: Target,
    if_not_exists: bool,
    or_replace: bool,
    span: ast.Span | None,
    temp: bool = False,
) -> TableMeta | str | None:
    """What CREATE [TEMPORARY] TABLE finds under its name (see `claim_name`; a temporary one
    meets only temporary ones, temporary.same_scope); a table the role cannot see still takes
    the name."""
    existing = temporary.same_scope(target.db.cat, target.schema.schema_id, target.name, temp)
    owner = existing.owner if existing else ""
    found = claim_name(ctx, existing, owner, "table", target.name, if_not_exists, or_replace, span)
    if isinstance(found, TableMeta):
        return replace(found, retention_days=effective_retention(target.db, target.schema, found))
    return found


def drop_table_rows(ctx: SnowflakeContext, db: Db, table: TableMeta, version: int) -> None:
    """Mark a table dropped, keeping its data for UNDROP; purge at once with retention 0."""
    db.cat.update_table(table.table_id, dropped_version=version, dropped_at=ctx.now)
    if table.retention_days == 0:
        catalog.forget_table(db.cat, table)


def new_table(
    ctx: SnowflakeContext,
    target: Target,
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


def column_meta(ctx: SnowflakeContext, d: ast.ColumnDef) -> ColumnMeta:
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


def cluster_text(ctx: SnowflakeContext, exprs: tuple[ast.Expr, ...]) -> str | None:
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


def cluster_of(t: TableMeta) -> str | None:
    return str(t.cluster["by"]) if t.cluster and t.cluster.get("type") == "snowflake" else None


def retention_changed(
    ctx: SnowflakeContext, db: Db, schemas: list[tuple[SchemaMeta, SchemaMeta]], version: int
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


def purge_dropped_database(ctx: SnowflakeContext, info: ProjectInfo) -> None:
    # Retention 0: a dropped database cannot be undropped; its file goes at once.
    if info.retention_days == 0:
        dropped = ctx.session.warehouse.dropped_databases(info.name)
        for d in dropped:
            if d.file == info.file:
                ctx.session.warehouse.purge_database(d)
