"""What every Snowflake SHOW shares: LIKE and STARTS WITH matching, LIMIT, the IN scope a SHOW
covers (account, database, schema), and instants as SHOW prints them."""

from __future__ import annotations

import fnmatch
from datetime import UTC, datetime

from cloneshell.engine.core.catalog import SchemaMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.errors import CatalogError, EngineError, SemanticError
from cloneshell.engine.core.warehouse import ProjectInfo
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.grammar import ast

# Schema objects listed by pipeline.py (like tables: the current schema by default).
SCHEMA_OBJECTS = ("STAGES", "PIPES", "STREAMS", "TASKS")
# SHOW PRIMARY|UNIQUE|IMPORTED KEYS.
KEYS = ("PRIMARY", "UNIQUE", "IMPORTED")


def aware(ts: datetime | None) -> datetime | None:
    """A stored (naive UTC) instant as a timezone-aware datetime."""
    return None if ts is None else ts.replace(tzinfo=UTC)


def matches(name: str, like: str | None, starts: str | None) -> bool:
    if like is not None and not fnmatch.fnmatchcase(name.upper(), _glob(like.upper())):
        return False
    return starts is None or name.startswith(starts)


def _glob(pattern: str) -> str:
    """SQL LIKE (`%`, `_`, `\\` escapes) as an fnmatch pattern."""
    out: list[str] = []
    escaped = False
    for ch in pattern:
        if escaped:
            out.append(f"[{ch}]" if ch in "[]*?" else ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "%":
            out.append("*")
        elif ch == "_":
            out.append("?")
        elif ch in "[]*?":
            out.append(f"[{ch}]")
        else:
            out.append(ch)
    return "".join(out)


def limit(rows: list[tuple[object, ...]], limit: int | None) -> list[tuple[object, ...]]:
    return rows if limit is None else rows[: max(limit, 0)]


def visible_dbs(ctx: SnowflakeContext) -> list[Db]:
    """The live databases the role sees. One whose file is damaged affects only itself: it is
    left out here (the account-wide SHOWs list it as damaged: `damaged_dbs`)."""
    return _account_dbs(ctx)[0]


def damaged_dbs(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> list[ProjectInfo]:
    """The live databases whose file cannot be read that an account-wide SHOW covers: those
    the role owns (their grants cannot be read, so the registry's owner is all that is
    known). Empty for a SHOW scoped to one database or schema."""
    if not account_wide(ctx, stmt):
        return []
    return _account_dbs(ctx)[1]


def account_wide(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> bool:
    """True if the SHOW covers the whole account (IN ACCOUNT, or no IN and no current
    database)."""
    return stmt.in_kind == "ACCOUNT" or (
        stmt.in_kind is None and stmt.in_name is None and ctx.session.project is None
    )


def _account_dbs(ctx: SnowflakeContext) -> tuple[list[Db], list[ProjectInfo]]:
    found: list[Db] = []
    damaged: list[ProjectInfo] = []
    for info in ctx.session.warehouse.list_databases():
        try:
            db = ctx.database(info.name, visible=False)
            if ctx.can_see_db(db):
                found.append(db)
        except (EngineError, duckdb.Error) as err:
            if not is_damaged(ctx, err):
                raise
            ctx.forget_db(info.name)
            if ctx.auth.owns(info.owner):
                damaged.append(info)
    return found, damaged


def is_damaged(ctx: SnowflakeContext, err: Exception) -> bool:
    """True if `err` says a database's file cannot be read (Warehouse.damaged_label)."""
    if isinstance(err, EngineError):
        return err.kind == "damaged"
    return isinstance(err, duckdb.Error) and ctx.session.warehouse.damaged_label(err) is not None


def scope(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> list[tuple[Db, SchemaMeta | None]]:
    """(database, schema or None for all its schemas) pairs a SHOW covers. Without IN: the
    current schema, else the current database, else the account."""
    kind, name = stmt.in_kind, stmt.in_name
    if kind in ("TABLE", "VIEW"):
        raise SemanticError("semantic", stmt.span, message=f"SHOW {stmt.kind} IN {kind}")
    if kind == "ACCOUNT":
        return [(db, None) for db in visible_dbs(ctx)]
    if kind == "DATABASE":
        if name is None:
            return [(ctx.current_db("SHOW", stmt.span), None)]
        if len(name.parts) != 1:
            raise SemanticError("semantic", name.span, message="a database name has one part")
        return [(ctx.database(ctx.fold(name.parts[0]), name.span), None)]
    if kind == "SCHEMA" or name is not None:
        if name is None:
            db = ctx.current_db("SHOW", stmt.span)
            if ctx.session.schema is None:
                raise EngineError("no_schema", stmt.span, what="SHOW")
            return [(db, ctx.schema_of(db, ctx.session.schema, stmt.span))]
        db, schema_name = ctx.schema_target(name, "SHOW")
        if stmt.kind != "OBJECTS":
            return [(db, ctx.schema_of(db, schema_name, name.span))]
        # SHOW OBJECTS in a missing (or invisible) schema: the service's 002043, which
        # dbt-snowflake's list_relations expects.
        schema = db.cat.get_schema(schema_name)
        if schema is None or not ctx.can_see_schema(db, schema):
            raise CatalogError("show_scope_not_found", name.span, name=f"{db.name}.{schema_name}")
        return [(db, schema)]
    if ctx.session.project is None:
        return [(db, None) for db in visible_dbs(ctx)]
    db = ctx.current_db("SHOW", stmt.span)
    current_schema = ("TABLES", "OBJECTS", "COLUMNS", "SEQUENCES", *KEYS, *SCHEMA_OBJECTS)
    if stmt.kind in current_schema and ctx.session.schema:
        return [(db, ctx.schema_of(db, ctx.session.schema, stmt.span))]
    return [(db, None)]
