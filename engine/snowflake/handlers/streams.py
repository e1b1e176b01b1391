"""Snowflake table streams: CREATE STREAM … ON TABLE t [AT|BEFORE (…)] [APPEND_ONLY = …]
[SHOW_INITIAL_ROWS = …] | CLONE s, SELECT … FROM s, SHOW STREAMS, DESC STREAM,
SYSTEM$STREAM_HAS_DATA (reference/snowflake.md §7.3; the change set: engine/snowflake/streams.py).

Privileges: CREATE STREAM on the schema and SELECT on the table to create one; SELECT on the
stream and on its table to read it or to ask SYSTEM$STREAM_HAS_DATA (Snowflake's CREATE STREAM
access-control note). A stream
tracks a table of its own database (an emulator limit: each database is its own file, and an
offset is a version of one file). Reading a stream in a SELECT leaves its offset; a DML
statement that reads it moves the offset to the version read when it commits.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from cloneshell.engine.core.catalog import ProjectCatalog, SchemaMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.result import Status
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.snowflake import (
    catalog,
    consumption,
    copyload,
    objects,
    pipeline,
    streams,
    timetravel,
)
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.engine.snowflake.ddl import already_exists, exclusive
from cloneshell.engine.snowflake.objects import PipelineObject
from cloneshell.engine.snowflake.pipeline import stamp
from cloneshell.engine.snowflake.retention import account, effective_retention, extension_days
from cloneshell.grammar import ast

SF = "snowflake"
_STREAM_KEYS = {"APPEND_ONLY", "SHOW_INITIAL_ROWS", "INSERT_ONLY"}


def latest(ctx: SnowflakeContext, db: Db) -> int:
    """The latest version of a database this statement sees (not another session's open
    transaction's: SnowflakeContext.read_cap)."""
    cap = ctx.read_cap(db.cat)
    if cap is not None:
        return cap
    last = db.cat.last_commit()
    return last[0] if last else 0


def create_stream(ctx: SnowflakeContext, stmt: ast.CreateStream) -> Status:
    """CREATE [OR REPLACE] STREAM [IF NOT EXISTS] s [COPY GRANTS] ON TABLE t [AT|BEFORE (…)]
    [APPEND_ONLY = TRUE|FALSE] [SHOW_INITIAL_ROWS = TRUE|FALSE] [COMMENT = '…'], or `…
    STREAM s CLONE src`: a clone has its source's definition and current offset (CREATE
    STREAM docs)."""
    exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    t = pipeline.resolve(ctx, stmt.name, "STREAM", "CREATE STREAM")
    pipeline.require_create(ctx, t, "STREAM")
    if stmt.clone is not None:
        props, comment, grants_from = _clone_props(ctx, stmt)
    else:
        props, comment, grants_from = _new_props(ctx, stmt, t.db)
    replaced = pipeline.name_taken(
        ctx, t, "STREAM", stmt.if_not_exists, stmt.or_replace, stmt.name.span
    )
    if replaced == "exists":
        return already_exists(ctx, t.name)
    if stmt.copy_grants and isinstance(replaced, PipelineObject):
        grants_from = replaced  # COPY GRANTS on OR REPLACE: the replaced stream's grants
    copied = (
        catalog.grants_on(t.db.cat, "STREAM", grants_from.object_id)
        if stmt.copy_grants and grants_from is not None
        else []
    )
    with ctx.write_db(t.db, "CREATE STREAM") as version:
        if isinstance(replaced, PipelineObject):
            pipeline.drop_row(ctx, t.db, replaced)
        obj = pipeline.new_object(ctx, t, "STREAM", version, comment=comment, props=props)
        for g in copied:
            catalog.grant(t.db.cat, replace(g, object_id=obj.object_id, created_at=ctx.now))
    return Status(f"Stream {t.name} successfully created.", ctx.statement_id)


def _new_props(
    ctx: SnowflakeContext, stmt: ast.CreateStream, db: Db
) -> tuple[dict[str, Any], str | None, PipelineObject | None]:
    if stmt.table is None:
        raise SemanticError("semantic", stmt.span, message="CREATE STREAM needs ON TABLE <table>")
    target = ctx.require_table(stmt.table, "CREATE STREAM")
    ctx.require_table_privilege(target, "SELECT")
    table = target.table
    assert table is not None
    if target.db.info.file != db.info.file:
        raise UnsupportedError(
            "unsupported",
            stmt.table.span,
            message="a stream on a table in another database (cloneshell keeps each database "
            "in its own file)",
        )
    append_only = show_initial = False
    for key, (value, span) in copyload.options_dict(stmt.options).items():
        if key not in _STREAM_KEYS:
            raise SemanticError("invalid", span, message=f"invalid stream property {key}")
        if key == "APPEND_ONLY":
            append_only = copyload.option_bool(key, value, span)
        elif key == "SHOW_INITIAL_ROWS":
            show_initial = copyload.option_bool(key, value, span)
        else:
            raise UnsupportedError("unsupported", span, message="INSERT_ONLY (external tables)")
    offset, offset_at = latest(ctx, target.db), ctx.now
    if stmt.time_travel is not None:
        point = timetravel.evaluate(ctx, stmt.time_travel)
        at = timetravel.resolve(ctx, target.db.cat, point)
        timetravel.check_table(ctx, table, at, span=stmt.time_travel.span)
        offset, offset_at = at.version, min(at.ts, ctx.now)
    if show_initial:
        # The first read returns every row the table holds as an insert.
        offset = table.created_version - 1
    props = {
        "table_id": table.table_id,
        "offset": offset,
        "offset_at": offset_at.isoformat(),
        "append_only": append_only,
    }
    return props, stmt.comment, None


def _clone_props(
    ctx: SnowflakeContext, stmt: ast.CreateStream
) -> tuple[dict[str, Any], str | None, PipelineObject | None]:
    assert stmt.clone is not None
    if stmt.clone.time_travel is not None or stmt.table is not None or stmt.options:
        raise SemanticError(
            "semantic", stmt.clone.span, message="a stream clone takes its source's definition"
        )
    # Cloning a stream needs OWNERSHIP of it (reference/snowflake.md §1.5).
    src, obj = pipeline.require(ctx, stmt.clone.source, "STREAM", "CREATE STREAM")
    pipeline.require_owner(ctx, obj)
    target = pipeline.resolve(ctx, stmt.name, "STREAM", "CREATE STREAM")
    if src.db.info.file != target.db.info.file:
        raise UnsupportedError(
            "unsupported", stmt.clone.span, message="cloning a stream into another database"
        )
    comment = stmt.comment if stmt.comment is not None else obj.comment
    return dict(obj.props), comment, obj


# ---------------------------------------------------------------------------- reading


def table_of(db: Db, obj: PipelineObject) -> TableMeta | None:
    """A stream's table (None once purged)."""
    return db.cat.get_table_by_id(int(obj.prop("table_id")))


def _readable_table(ctx: SnowflakeContext, db: Db, obj: PipelineObject, fq: str) -> TableMeta:
    table = table_of(db, obj)
    if table is None or table.dropped_version is not None:
        # Snowflake: a stream whose table was dropped (or replaced) cannot be read.
        raise SemanticError(
            "semantic", message=f"Base table dropped, cannot read from stream '{fq}'"
        )
    schema = db.cat.get_schema_by_id(table.schema_id)
    return replace(table, retention_days=effective_retention(db, schema, table))


def _require_table_select(ctx: SnowflakeContext, db: Db, table: TableMeta) -> None:
    """SELECT on the stream's table: reading a stream, and asking whether it has data (which
    would otherwise tell a role that cannot read the table when it changes)."""
    ctx.auth.require(db.cat, "TABLE", table.table_id, table.owner, ("SELECT",), table.name)


def _check_fresh(
    ctx: SnowflakeContext, db: Db, obj: PipelineObject, table: TableMeta, fq: str
) -> None:
    extension = extension_days(table, account(ctx.session.warehouse))
    if streams.is_stale(obj, table.retention_days, ctx.now, extension):
        raise SemanticError(
            "semantic",
            message=f"Stream {fq} has become stale: its offset is older than the table's data "
            "retention (extended to 14 days for streams). Recreate the stream.",
        )


def _offset(ctx: SnowflakeContext, db: Db, obj: PipelineObject) -> int:
    """The stream's offset, counting what a statement killed between its two commits
    consumed from it (consumption.py)."""
    wh = ctx.session.warehouse

    def target_of(marker: consumption.Marker) -> ProjectCatalog | None:
        info = consumption.info_by_file(wh, marker.target)
        return None if info is None else ctx.attach(info).cat

    return consumption.offset(wh.root, db.info.file, obj, target_of)


def relation(ctx: SnowflakeContext, target: Target, ref: ast.TableRef) -> Relation | None:
    """`FROM s` for a stream `s` (None when no stream has that name): SELECT on the stream
    and on its table; the statement remembers the version read, for DML to consume it."""
    obj = objects.get(target.db.cat, "STREAM", target.schema.schema_id, target.name)
    if obj is None or not pipeline.can_see(ctx, target.db, obj):
        return None
    if ref.time_travel is not None:
        raise UnsupportedError(
            "unsupported", ref.time_travel.span, message="AT | BEFORE on a stream"
        )
    pipeline.require_privilege(ctx, target.db, obj, "SELECT")
    table = _readable_table(ctx, target.db, obj, target.fq)
    _require_table_select(ctx, target.db, table)
    _check_fresh(ctx, target.db, obj, table, target.fq)
    current = latest(ctx, target.db)
    ctx.streams_read.append((target.db, obj, current))
    sql = streams.change_sql(
        target.db.cat,
        table,
        _offset(ctx, target.db, obj),
        current,
        bool(obj.prop("append_only")),
        past=ctx.read_cap(target.db.cat) is not None,
    )
    return Relation(sql, obj.name)


def has_data(ctx: SnowflakeContext, args: tuple[object, ...], span: ast.Span | None) -> bool:
    """SYSTEM$STREAM_HAS_DATA('<stream>'): whether the stream has changes to consume."""
    if len(args) != 1 or not isinstance(args[0], str):
        raise SemanticError("semantic", span, message="SYSTEM$STREAM_HAS_DATA takes a stream name")
    t, obj = pipeline.require(ctx, pipeline.name_from_text(str(args[0]), span), "STREAM", "SELECT")
    pipeline.require_privilege(ctx, t.db, obj, "SELECT")
    table = _readable_table(ctx, t.db, obj, t.fq)
    _require_table_select(ctx, t.db, table)
    _check_fresh(ctx, t.db, obj, table, t.fq)
    sql = streams.change_sql(
        t.db.cat,
        table,
        _offset(ctx, t.db, obj),
        latest(ctx, t.db),
        bool(obj.prop("append_only")),
        past=ctx.read_cap(t.db.cat) is not None,
    )
    row = ctx.session.warehouse.con.execute(f"SELECT EXISTS (SELECT 1 FROM {sql} AS s)").fetchone()
    return bool(row and row[0])


# ---------------------------------------------------------------------------- SHOW

SHOW_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("name", "TEXT"),
    ("database_name", "TEXT"),
    ("schema_name", "TEXT"),
    ("owner", "TEXT"),
    ("comment", "TEXT"),
    ("table_name", "TEXT"),
    ("source_type", "TEXT"),
    ("base_tables", "TEXT"),
    ("type", "TEXT"),
    ("stale", "TEXT"),
    ("mode", "TEXT"),
    ("stale_after", "TIMESTAMP_LTZ"),
    ("invalid_reason", "TEXT"),
    ("owner_role_type", "TEXT"),
)
TERSE_COLUMNS = (*pipeline.TERSE_COLUMNS, ("tableOn", "TEXT"))


def _table_fq(db: Db, obj: PipelineObject) -> tuple[str | None, TableMeta | None]:
    table = table_of(db, obj)
    if table is None:
        return None, None
    schema = db.cat.get_schema_by_id(table.schema_id)
    name = f"{db.name}.{schema.name if schema else '?'}.{table.name}"
    if table.dropped_version is not None:
        return name, None
    return name, replace(table, retention_days=effective_retention(db, schema, table))


def show_row(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject
) -> tuple[object, ...]:
    """One SHOW STREAMS row."""
    name, table = _table_fq(db, obj)
    after: datetime | None = None
    stale = True
    reason = "N/A"
    if table is not None:
        extension = extension_days(table, account(ctx.session.warehouse))
        after = streams.stale_after(obj, table.retention_days, extension)
        stale = after <= ctx.now
    else:
        reason = "Base table dropped"
    return (
        stamp(obj.created_at),
        obj.name,
        db.name,
        schema.name,
        obj.owner,
        obj.comment,
        name,
        "Table",
        name,
        "DELTA",
        "true" if stale else "false",
        "APPEND_ONLY" if obj.prop("append_only") else "DEFAULT",
        stamp(after) if after is not None else None,
        reason,
        "ROLE",
    )


def terse_row(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject
) -> tuple[object, ...]:
    """One SHOW TERSE STREAMS row (kind renames `type`, tableOn `table_name`)."""
    name, _ = _table_fq(db, obj)
    return (*pipeline.terse_start(db, schema, obj, "DELTA"), name)
