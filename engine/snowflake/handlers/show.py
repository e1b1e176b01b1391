"""SHOW TABLES|SCHEMAS|DATABASES [HISTORY] and DESC TABLE|SCHEMA|DATABASE, with the columns
and order of reference/snowflake.md §4 (SHOW TABLES as the seed shows it).

Values are data, not text: `created_on`/`dropped_on` are timezone-listing.aware datetimes (UTC; the
shell renders them as SnowSQL does, `2024-01-15 10:00:00.000 +0000`), `rows`/`bytes` integers,
`retention_time` text. `bytes` is the table's logical size (the encoded width of its values), as
for MaxCompute: deterministic and equal for a table and its clone. Only objects the current role
holds a privilege on are listed.
"""

from __future__ import annotations

from cloneshell.engine.core.catalog import SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import CatalogError, EngineError, SemanticError, UnsupportedError
from cloneshell.engine.core.result import Column, Rows
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.snowflake import constraints, listing, purge, tableoptions, temporary
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.handlers import (
    access,
    catalog_show,
    functions,
    pipeline,
    sequences,
    views,
)
from cloneshell.engine.snowflake.handlers import tags as tag_handlers
from cloneshell.engine.snowflake.retention import account, database_retention, effective_retention
from cloneshell.grammar import ast

SF = "snowflake"

_TABLE_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("name", "TEXT"),
    ("database_name", "TEXT"),
    ("schema_name", "TEXT"),
    ("kind", "TEXT"),
    ("comment", "TEXT"),
    ("cluster_by", "TEXT"),
    ("rows", "NUMBER"),
    ("bytes", "NUMBER"),
    ("owner", "TEXT"),
    ("retention_time", "TEXT"),
)
_TABLE_REST = (
    ("automatic_clustering", "TEXT"),
    ("change_tracking", "TEXT"),
    ("search_optimization", "TEXT"),
    ("search_optimization_progress", "NUMBER"),
    ("search_optimization_bytes", "NUMBER"),
    ("is_external", "TEXT"),
    ("enable_schema_evolution", "TEXT"),
    ("owner_role_type", "TEXT"),
    ("is_event", "TEXT"),
    ("budget", "TEXT"),
    ("is_hybrid", "TEXT"),
    ("is_iceberg", "TEXT"),
    ("is_dynamic", "TEXT"),
    ("is_immutable", "TEXT"),
)
_DROPPED_ON = ("dropped_on", "TIMESTAMP_LTZ")


def _columns(spec: tuple[tuple[str, str], ...]) -> tuple[Column, ...]:
    return tuple(Column(n, t) for n, t in spec)


def show(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    """SHOW [TERSE] TABLES|SCHEMAS|DATABASES|ROLES|USERS …"""
    if stmt.kind == "TABLES":
        return _show_tables(ctx, stmt)
    if stmt.kind == "SCHEMAS":
        return _show_schemas(ctx, stmt)
    if stmt.kind == "DATABASES":
        return _show_databases(ctx, stmt)
    if stmt.kind in listing.SCHEMA_OBJECTS:
        return pipeline.show(ctx, stmt)
    if stmt.kind == "VIEWS":
        return views.show_views(ctx, stmt)
    if stmt.kind == "OBJECTS":
        return catalog_show.show_objects(ctx, stmt)
    if stmt.kind == "COLUMNS":
        return catalog_show.show_columns(ctx, stmt)
    if stmt.kind in ("PRIMARY", "UNIQUE", "IMPORTED"):
        return catalog_show.show_keys(ctx, stmt)
    if stmt.kind == "SEQUENCES":
        return sequences.show_sequences(ctx, stmt)
    if stmt.kind == "TAGS":
        return tag_handlers.show_tags(ctx, stmt)
    if stmt.kind in ("FUNCTIONS", "USER FUNCTIONS", "PROCEDURES", "USER PROCEDURES"):
        return functions.show_functions(ctx, stmt)
    result: Rows = access.show_principals(ctx, stmt)
    return result


def _show_tables(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    spec = _TABLE_COLUMNS + ((_DROPPED_ON,) if stmt.history else ()) + _TABLE_REST
    if stmt.terse:
        spec = (
            ("created_on", "TIMESTAMP_LTZ"),
            ("name", "TEXT"),
            ("kind", "TEXT"),
            ("database_name", "TEXT"),
            ("schema_name", "TEXT"),
        )
    rows: list[tuple[object, ...]] = []
    for db, only in listing.scope(ctx, stmt):
        if stmt.history:
            purge.purge_now(ctx, db)
        schemas = [only] if only is not None else db.cat.list_schemas()
        for schema in sorted(schemas, key=lambda s: s.name):
            if not ctx.can_see_schema(db, schema):
                continue
            for t in db.cat.tables_of_schema(schema.schema_id, history=stmt.history):
                if views.is_view(t):
                    continue
                if not ctx.can_see_table(db, t) or not listing.matches(
                    t.name, stmt.like, stmt.starts_with
                ):
                    continue
                rows.append(_table_row(ctx, db, schema, t, stmt.history, stmt.terse))
    for info in listing.damaged_dbs(ctx, stmt):
        rows.append(_damaged_row(info, len(spec), stmt.terse))
    return Rows(_columns(spec), listing.limit(rows, stmt.limit), ctx.statement_id)


def _damaged_row(info: ProjectInfo, width: int, terse: bool) -> tuple[object, ...]:
    """The row an account-wide SHOW TABLES gives a database whose file cannot be read: its
    tables cannot be listed, so no table name; the comment (or, TERSE, the kind) says why."""
    if terse:
        return (listing.aware(info.created_at), None, DAMAGED_KIND, info.name, None)
    row: tuple[object, ...] = (
        listing.aware(info.created_at),
        None,
        info.name,
        None,
        DAMAGED_KIND,
        DAMAGED_COMMENT,
    )
    return row + (None,) * (width - len(row))


def _table_row(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, t: TableMeta, history: bool, terse: bool
) -> tuple[object, ...]:
    kind = temporary.kind(t)
    if terse:
        return (listing.aware(t.created_at), t.name, kind, db.name, schema.name)
    count = db.cat.con.execute(f"SELECT count(*) FROM {db.cat.physical(t)}").fetchone()
    cluster = str(t.cluster["by"]) if t.cluster and t.cluster.get("type") == "snowflake" else ""
    row: tuple[object, ...] = (
        listing.aware(t.created_at),
        t.name,
        db.name,
        schema.name,
        kind,
        t.comment,
        cluster,
        int(count[0]) if count else 0,
        db.cat.table_size(t),
        t.owner,
        str(effective_retention(db, schema, t)),
    )
    if history:
        row += (listing.aware(t.dropped_at),)
    suspended = bool(t.cluster and t.cluster.get("suspended"))
    return row + (
        "ON" if cluster and not suspended else "OFF",
        "ON" if t.properties.get(tableoptions.CHANGE_TRACKING) == "true" else "OFF",
        "OFF",
        None,
        None,
        "N",
        "N",
        "ROLE",
        "N",
        None,
        "N",
        "N",
        "N",
        "N",
    )


def _show_schemas(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    spec: tuple[tuple[str, str], ...] = (
        ("created_on", "TIMESTAMP_LTZ"),
        ("name", "TEXT"),
        ("is_default", "TEXT"),
        ("is_current", "TEXT"),
        ("database_name", "TEXT"),
        ("owner", "TEXT"),
        ("comment", "TEXT"),
        ("options", "TEXT"),
        ("retention_time", "TEXT"),
    )
    if stmt.history:
        spec += (_DROPPED_ON,)
    spec += (("owner_role_type", "TEXT"),)
    if stmt.kind == "SCHEMAS" and stmt.in_kind == "SCHEMA":
        raise SemanticError("semantic", stmt.span, message="SHOW SCHEMAS IN DATABASE | ACCOUNT")
    scope = (
        listing.scope(ctx, stmt)
        if stmt.in_kind or ctx.session.project is None
        else [(ctx.current_db("SHOW", stmt.span), None)]
    )
    rows: list[tuple[object, ...]] = []
    for db, _ in scope:
        if stmt.history:
            purge.purge_now(ctx, db)
        for s in db.cat.list_schemas(history=stmt.history):
            if not ctx.can_see_schema(db, s) or not listing.matches(
                s.name, stmt.like, stmt.starts_with
            ):
                continue
            current = ctx.session.project == db.name and ctx.session.schema == s.name
            options = ", ".join(
                o
                for o, on in (("TRANSIENT", s.transient), ("MANAGED ACCESS", s.managed_access))
                if on
            )
            row: tuple[object, ...] = (
                listing.aware(s.created_at),
                s.name,
                "N",
                "Y" if current and s.dropped_version is None else "N",
                db.name,
                s.owner,
                s.comment,
                options,
                str(effective_retention(db, s, None)),
            )
            if stmt.history:
                row += (listing.aware(s.dropped_at),)
            rows.append(row + ("ROLE",))
    if stmt.terse:
        rows = [(r[0], r[1], "SCHEMA", r[4], None) for r in rows]
        spec = (
            ("created_on", "TIMESTAMP_LTZ"),
            ("name", "TEXT"),
            ("kind", "TEXT"),
            ("database_name", "TEXT"),
            ("schema_name", "TEXT"),
        )
    return Rows(_columns(spec), listing.limit(rows, stmt.limit), ctx.statement_id)


def _show_databases(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    if stmt.in_kind not in (None, "ACCOUNT"):
        raise SemanticError("semantic", stmt.span, message="SHOW DATABASES [IN ACCOUNT]")
    spec: tuple[tuple[str, str], ...] = (
        ("created_on", "TIMESTAMP_LTZ"),
        ("name", "TEXT"),
        ("is_default", "TEXT"),
        ("is_current", "TEXT"),
        ("origin", "TEXT"),
        ("owner", "TEXT"),
        ("comment", "TEXT"),
        ("options", "TEXT"),
        ("retention_time", "TEXT"),
    )
    if stmt.history:
        spec += (_DROPPED_ON,)
    spec += (("kind", "TEXT"), ("budget", "TEXT"), ("owner_role_type", "TEXT"))
    purge.purge_databases(ctx)
    rows: list[tuple[object, ...]] = []
    acct = account(ctx.session.warehouse)
    for info in ctx.session.warehouse.list_databases(history=stmt.history):
        damaged = False
        try:
            visible = _db_visible(ctx, info)
        except (EngineError, duckdb.Error) as err:
            if not listing.is_damaged(ctx, err):
                raise
            # Its grants cannot be read: its owner (the registry's) sees it, as damaged.
            ctx.forget_db(info.name)
            visible, damaged = ctx.auth.owns(info.owner), True
        if not visible or not listing.matches(info.name, stmt.like, stmt.starts_with):
            continue
        current = info.dropped_at is None and ctx.session.project == info.name
        row: tuple[object, ...] = (
            listing.aware(info.created_at),
            info.name,
            "N",
            "Y" if current else "N",
            "",
            info.owner,
            DAMAGED_COMMENT if damaged else info.comment,
            "TRANSIENT" if info.transient else "",
            str(database_retention(info, acct)),
        )
        if stmt.history:
            row += (listing.aware(info.dropped_at),)
        rows.append(row + ("STANDARD", None, "ROLE"))
    if stmt.terse:
        rows = [(r[0], r[1], "STANDARD", None, None) for r in rows]
        spec = (
            ("created_on", "TIMESTAMP_LTZ"),
            ("name", "TEXT"),
            ("kind", "TEXT"),
            ("database_name", "TEXT"),
            ("schema_name", "TEXT"),
        )
    return Rows(_columns(spec), listing.limit(rows, stmt.limit), ctx.statement_id)


# The comment SHOW DATABASES and SHOW TABLES give a database whose file cannot be read, and
# the kind SHOW TABLES gives its row.
DAMAGED_COMMENT = "damaged: its file cannot be read"
DAMAGED_KIND = "DAMAGED"


def _db_visible(ctx: SnowflakeContext, info: ProjectInfo) -> bool:
    if info.dropped_at is not None:
        return ctx.auth.owns(info.owner)
    return ctx.can_see_db(ctx.database(info.name, visible=False))


# ---------------------------------------------------------------------------- DESC


_DESC_COLUMNS = (
    "name",
    "type",
    "kind",
    "null?",
    "default",
    "primary key",
    "unique key",
    "check",
    "expression",
    "comment",
    "policy name",
    "privacy domain",
)


def describe(ctx: SnowflakeContext, stmt: ast.DescribeObject) -> Rows:
    """DESC TABLE t (the 12 columns of snowflake.md §4.3), DESC SCHEMA s, DESC DATABASE d."""
    return _describe(ctx, stmt)


def _describe(ctx: SnowflakeContext, stmt: ast.DescribeObject) -> Rows:
    if stmt.kind in ("TABLE", "VIEW"):
        target = ctx.require_table(stmt.name, "DESCRIBE")
        assert target.table is not None
        if stmt.kind == "VIEW":
            views.require_kind(target, stmt.name, "VIEW")
        primary = constraints.key_columns(target.table, "PRIMARY KEY")
        unique = constraints.key_columns(target.table, "UNIQUE")
        rows: list[tuple[object, ...]] = [
            (
                c.name,
                c.type,
                "COLUMN",
                "N" if c.not_null else "Y",
                sequences.shown_default(target.db, target.table.schema_id, c.default),
                "Y" if c.name in primary else "N",
                "Y" if c.name in unique else "N",
                None,
                None,
                c.comment or None,
                None,
                None,
            )
            for c in target.table.columns
        ]
        return Rows(tuple(Column(n, "TEXT") for n in _DESC_COLUMNS), rows, ctx.statement_id)
    spec = (("created_on", "TIMESTAMP_LTZ"), ("name", "TEXT"), ("kind", "TEXT"))
    if stmt.kind == "SCHEMA":
        db, name = ctx.schema_target(stmt.name, "DESCRIBE")
        schema = ctx.schema_of(db, name, stmt.name.span)
        rows = [
            (listing.aware(t.created_at), t.name, "VIEW" if views.is_view(t) else "TABLE")
            for t in db.cat.tables_of_schema(schema.schema_id)
            if ctx.can_see_table(db, t)
        ]
        return Rows(_columns(spec), rows, ctx.statement_id)
    if stmt.kind == "DATABASE":
        if len(stmt.name.parts) != 1:
            raise SemanticError("semantic", stmt.name.span, message="a database name has one part")
        db = ctx.database(ctx.fold(stmt.name.parts[0]), stmt.name.span)
        rows = [
            (listing.aware(s.created_at), s.name, "SCHEMA")
            for s in db.cat.list_schemas()
            if ctx.can_see_schema(db, s)
        ]
        return Rows(_columns(spec), rows, ctx.statement_id)
    raise UnsupportedError("unsupported", stmt.span, message=f"DESCRIBE {stmt.kind}")


def describe_plain(ctx: SnowflakeContext, stmt: ast.Describe) -> Rows:
    """`DESC t` without a keyword: a table."""
    if stmt.partition is not None or stmt.extended:
        raise CatalogError("semantic", stmt.span, message="DESC EXTENDED/PARTITION is MaxCompute")
    return _describe(ctx, ast.DescribeObject(kind="TABLE", name=stmt.name, span=stmt.span))
