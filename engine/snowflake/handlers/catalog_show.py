"""SHOW [TERSE] OBJECTS, SHOW COLUMNS and SHOW PRIMARY|UNIQUE|IMPORTED KEYS: the tables and
views, their columns and their constraints the current role can see, with the columns and order
of Snowflake's SHOW OBJECTS, SHOW COLUMNS and SHOW PRIMARY KEYS pages.

SHOW OBJECTS lists tables and views only (a transient table's `kind` is TABLE, as dbt-snowflake
expects of it); SHOW COLUMNS prints each column's type as Snowflake's JSON text
(`types.type_json`) and `null?` as `true`/`false`. An object the role holds no privilege on is
not listed; naming it in `IN TABLE t` reports it missing.
"""

from __future__ import annotations

from collections.abc import Iterator

from cloneshell.engine.core.catalog import SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import EngineError, SemanticError
from cloneshell.engine.core.result import Column, Rows
from cloneshell.engine.snowflake import constraints, listing, temporary, types
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.handlers import sequences, views
from cloneshell.engine.snowflake.retention import effective_retention
from cloneshell.grammar import ast

_OBJECT_COLUMNS = (
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
    ("owner_role_type", "TEXT"),
    ("is_hybrid", "TEXT"),
    ("is_dynamic", "TEXT"),
    ("is_iceberg", "TEXT"),
)
_TERSE_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("name", "TEXT"),
    ("kind", "TEXT"),
    ("database_name", "TEXT"),
    ("schema_name", "TEXT"),
)
_COLUMN_COLUMNS = (
    ("table_name", "TEXT"),
    ("schema_name", "TEXT"),
    ("column_name", "TEXT"),
    ("data_type", "TEXT"),
    ("null?", "TEXT"),
    ("default", "TEXT"),
    ("kind", "TEXT"),
    ("expression", "TEXT"),
    ("comment", "TEXT"),
    ("database_name", "TEXT"),
    ("autoincrement", "TEXT"),
    ("schema_evolution_record", "TEXT"),
)


def _columns(spec: tuple[tuple[str, str], ...]) -> tuple[Column, ...]:
    return tuple(Column(n, t) for n, t in spec)


def visible_objects(
    ctx: SnowflakeContext, scope: list[tuple[Db, SchemaMeta | None]]
) -> Iterator[tuple[Db, SchemaMeta, TableMeta]]:
    """The live tables and views of `scope` the role sees, by schema then name."""
    for db, only in scope:
        schemas = [only] if only is not None else db.cat.list_schemas()
        for schema in sorted(schemas, key=lambda s: s.name):
            if not ctx.can_see_schema(db, schema):
                continue
            tables = db.cat.tables_of_schema(schema.schema_id)
            for t in sorted(tables, key=lambda t: t.name):
                if ctx.can_see_table(db, t):
                    yield db, schema, t


def _refuse(stmt: ast.ShowObjects, *clauses: tuple[str, object]) -> None:
    for name, value in clauses:
        if value:
            raise SemanticError(
                "semantic", stmt.span, message=f"{name} is not valid in SHOW {stmt.kind}"
            )


def show_objects(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    """SHOW [TERSE] OBJECTS [LIKE 'p'] [IN ACCOUNT|DATABASE [d]|SCHEMA [s]|s] [STARTS WITH 'x']
    [LIMIT n [FROM 'name']]."""
    _refuse(stmt, ("HISTORY", stmt.history))
    if stmt.in_kind in ("TABLE", "VIEW"):
        raise SemanticError("semantic", stmt.span, message=f"SHOW OBJECTS IN {stmt.in_kind}")
    rows: list[tuple[object, ...]] = []
    for db, schema, t in visible_objects(ctx, listing.scope(ctx, stmt)):
        if not listing.matches(t.name, stmt.like, stmt.starts_with):
            continue
        if stmt.limit_from is not None and t.name <= stmt.limit_from:
            continue
        view = views.is_view(t)
        # a temporary table is TEMPORARY (as SHOW TABLES says); a transient one stays TABLE
        kind = "VIEW" if view else ("TEMPORARY" if temporary.is_temporary(t) else "TABLE")
        if stmt.terse:
            rows.append((listing.aware(t.created_at), t.name, kind, db.name, schema.name))
            continue
        count = 0
        if not view:
            found = db.cat.con.execute(f"SELECT count(*) FROM {db.cat.physical(t)}").fetchone()
            count = int(found[0]) if found else 0
        cluster = str(t.cluster["by"]) if t.cluster and t.cluster.get("type") == "snowflake" else ""
        rows.append(
            (
                listing.aware(t.created_at),
                t.name,
                db.name,
                schema.name,
                kind,
                t.comment,
                cluster,
                count,
                0 if view else db.cat.table_size(t),
                t.owner,
                str(effective_retention(db, schema, None if view else t)),
                "ROLE",
                "N",
                "N",
                "N",
            )
        )
    spec = _TERSE_COLUMNS if stmt.terse else _OBJECT_COLUMNS
    return Rows(_columns(spec), listing.limit(rows, stmt.limit), ctx.statement_id)


def _of_tables(
    ctx: SnowflakeContext, stmt: ast.ShowObjects
) -> list[tuple[Db, SchemaMeta, TableMeta]]:
    """What a SHOW of columns or keys covers: `IN [TABLE|VIEW] t`, else the IN scope."""
    if stmt.in_kind in ("TABLE", "VIEW") or (stmt.in_kind is None and stmt.in_name is not None):
        assert stmt.in_name is not None
        target = ctx.require_table(stmt.in_name, f"SHOW {stmt.kind}")
        if stmt.in_kind is not None:
            views.require_kind(target, stmt.in_name, stmt.in_kind)
        assert target.table is not None
        return [(target.db, target.schema, target.table)]
    return list(visible_objects(ctx, listing.scope(ctx, stmt)))


def show_columns(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    """SHOW COLUMNS [LIKE 'p'] [IN ACCOUNT | DATABASE [d] | SCHEMA [s] | [TABLE] t | [VIEW] v]:
    one row per column, in each object's column order."""
    _refuse(
        stmt,
        ("TERSE", stmt.terse),
        ("HISTORY", stmt.history),
        ("STARTS WITH", stmt.starts_with is not None),
        ("LIMIT", stmt.limit is not None),
    )
    rows: list[tuple[object, ...]] = []
    for db, schema, t in _of_tables(ctx, stmt):
        for c in t.all_columns:
            if not listing.matches(c.name, stmt.like, None):
                continue
            identity = sequences.identity_of(db, t.schema_id, c.default)
            default = "" if identity else sequences.shown_default(db, t.schema_id, c.default)
            rows.append(
                (
                    t.name,
                    schema.name,
                    c.name,
                    types.type_json(c.type, not c.not_null),
                    "false" if c.not_null else "true",
                    default or "",
                    "COLUMN",
                    "",
                    c.comment or "",
                    db.name,
                    identity or "",
                    None,
                )
            )
    return Rows(_columns(_COLUMN_COLUMNS), rows, ctx.statement_id)


_KEY_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("database_name", "TEXT"),
    ("schema_name", "TEXT"),
    ("table_name", "TEXT"),
    ("column_name", "TEXT"),
    ("key_sequence", "NUMBER"),
    ("constraint_name", "TEXT"),
    ("rely", "TEXT"),
    ("comment", "TEXT"),
)
_IMPORTED_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("pk_database_name", "TEXT"),
    ("pk_schema_name", "TEXT"),
    ("pk_table_name", "TEXT"),
    ("pk_column_name", "TEXT"),
    ("fk_database_name", "TEXT"),
    ("fk_schema_name", "TEXT"),
    ("fk_table_name", "TEXT"),
    ("fk_column_name", "TEXT"),
    ("key_sequence", "NUMBER"),
    ("update_rule", "TEXT"),
    ("delete_rule", "TEXT"),
    ("fk_name", "TEXT"),
    ("pk_name", "TEXT"),
    ("deferrability", "TEXT"),
    ("rely", "TEXT"),
    ("comment", "TEXT"),
)


def show_keys(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    """SHOW PRIMARY KEYS | UNIQUE KEYS | IMPORTED KEYS [IN ACCOUNT | DATABASE [d] | SCHEMA [s] |
    [TABLE] t]: one row per column of each constraint (constraints.py)."""
    _refuse(
        stmt,
        ("HISTORY", stmt.history),
        ("LIKE", stmt.like is not None),
        ("STARTS WITH", stmt.starts_with is not None),
        ("LIMIT", stmt.limit is not None),
    )
    kind = {"PRIMARY": "PRIMARY KEY", "UNIQUE": "UNIQUE", "IMPORTED": "FOREIGN KEY"}[stmt.kind]
    rows: list[tuple[object, ...]] = []
    for db, schema, t in _of_tables(ctx, stmt):
        created = listing.aware(t.created_at)
        for key in constraints.keys_of(t):
            if key.kind != kind:
                continue
            rely = "true" if key.rely else "false"
            if kind != "FOREIGN KEY":
                for i, col in enumerate(key.columns, start=1):
                    rows.append(
                        (created, db.name, schema.name, t.name, col, i, key.name, rely, None)
                    )
                continue
            assert key.ref_table is not None
            pk_db, pk_schema, pk_table = key.ref_table.split(".", 2)
            pk_name = _referenced_key_name(ctx, db, key)
            for i, (fk_col, pk_col) in enumerate(
                zip(key.columns, key.ref_columns or key.columns, strict=True), start=1
            ):
                rows.append(
                    (created, pk_db, pk_schema, pk_table, pk_col)
                    + (db.name, schema.name, t.name, fk_col, i, "NO ACTION", "NO ACTION")
                    + (key.name, pk_name, "NOT DEFERRABLE", rely, None)
                )
    spec = _IMPORTED_COLUMNS if kind == "FOREIGN KEY" else _KEY_COLUMNS
    return Rows(_columns(spec), rows, ctx.statement_id)


def _referenced_key_name(ctx: SnowflakeContext, db: Db, key: constraints.Key) -> str | None:
    """The name of the primary or unique key a foreign key refers to (None if gone)."""
    assert key.ref_table is not None
    db_name, schema_name, table_name = key.ref_table.split(".", 2)
    try:
        ref_db = db if db_name == db.name else ctx.database(db_name)
    except EngineError:
        return None
    schema = ref_db.cat.get_schema(schema_name)
    ref = ref_db.cat.get_live_table(schema.schema_id, table_name) if schema else None
    if ref is None:
        return None
    wanted = set(key.ref_columns)
    for k in constraints.keys_of(ref):
        if k.kind in ("PRIMARY KEY", "UNIQUE") and set(k.columns) == wanted:
            return k.name
    return None
