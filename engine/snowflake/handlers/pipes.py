"""Snowflake pipes (Snowpipe): CREATE PIPE … AS COPY INTO …, ALTER PIPE … REFRESH | SET
PIPE_EXECUTION_PAUSED = TRUE|FALSE | SET/UNSET COMMENT, SHOW PIPES, DESC PIPE and
SYSTEM$PIPE_STATUS (reference/snowflake.md §7.2).

A pipe keeps its COPY statement as written and runs it as its owner role, resolving the names
in it in the pipe's own database and schema, as Snowflake does: a COPY naming its target table
fully qualified keeps loading into that table from wherever the pipe is (after a clone, the
source's table: the seed's duplicate-data hazard); an unqualified one loads into the table of
the pipe's own schema.

Loading: there are no cloud event notifications here, so files reach a pipe through ALTER PIPE
… REFRESH (files staged in the last 7 days, or since MODIFIED_AFTER, under PREFIX), which
loads them at once while the pipe runs, in one transaction (Snowpipe is asynchronous; the
emulator is not). A paused pipe (PIPE_EXECUTION_PAUSED = TRUE, or a clone: paused, or
STOPPED_CLONED with AUTO_INGEST = TRUE) queues them, and loads the queue when resumed. A pipe
has its own load history, so it never loads a file twice, but two pipes (a pipe and its clone)
load the same file once each. A pipe's COPY skips a bad file by default (ON_ERROR = SKIP_FILE).
Privileges: CREATE PIPE on the schema plus INSERT on the table and READ (USAGE) on the stage
to create; OPERATE (or OWNERSHIP) to refresh, pause and resume; MONITOR or OPERATE for
SYSTEM$PIPE_STATUS.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from typing import Any

from cloneshell.engine.core.catalog import SchemaMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import EngineError, SemanticError
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.snowflake import copyload, objects, pipeline, stages, timetravel
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.engine.snowflake.ddl import already_exists, check_comment, exclusive, ok
from cloneshell.engine.snowflake.handlers.stages import (
    Stage,
    copy_columns,
    load_into,
    resolve_stage,
    select_files,
)
from cloneshell.engine.snowflake.objects import PipelineObject
from cloneshell.engine.snowflake.pipeline import stamp
from cloneshell.grammar import ast
from cloneshell.grammar.parser import parse
from cloneshell.grammar.records import record

SF = "snowflake"
RUNNING, PAUSED, STOPPED_CLONED = "RUNNING", "PAUSED", "STOPPED_CLONED"
_PIPE_KEYS = {"AUTO_INGEST", "ERROR_INTEGRATION", "AWS_SNS_TOPIC", "INTEGRATION"}
# ALTER PIPE … REFRESH loads files staged within the last 7 days (its MODIFIED_AFTER default).
REFRESH_WINDOW = timedelta(days=7)


def pipe_key(db: Db, obj: PipelineObject) -> str:
    """The pipe's key in load history: its database file and id (a clone's pipe, in another
    file, has its own; a re-created pipe has a new id, hence an empty history)."""
    return f"{db.info.file}:{obj.object_id}"


def definition(obj: PipelineObject) -> ast.CopyInto:
    """A pipe's COPY statement, parsed again from its text."""
    (stmt,) = parse(str(obj.prop("definition")), SF)
    assert isinstance(stmt, ast.CopyInto)
    return stmt


@record(slots=True)
class Bound:
    """A pipe's COPY resolved in the pipe's schema as its owner: the context to load with,
    the target table, its columns, the stage and the options."""

    ctx: SnowflakeContext
    target: Target
    columns: list[str]
    stage: Stage
    options: copyload.CopyOptions


@contextmanager
def bound(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject
) -> Iterator[Bound]:
    """Resolve a pipe's COPY as its owner, in its database and schema."""
    copy = definition(obj)
    with ctx.acting_as(obj.owner, db.name, schema.name, str(obj.prop("definition"))) as sub:
        target = sub.require_table(copy.table, "COPY")
        sub.require_table_privilege(target, "INSERT")
        columns = copy_columns(sub, target, copy.columns)
        stage = resolve_stage(sub, copy.source, "READ", what="COPY")
        options = copyload.copy_options(copy.options, in_pipe=True)
        yield Bound(sub, target, columns, stage, options)


# ---------------------------------------------------------------------------- CREATE


def create_pipe(ctx: SnowflakeContext, stmt: ast.CreatePipe) -> Status:
    """CREATE [OR REPLACE] PIPE [IF NOT EXISTS] p [AUTO_INGEST = TRUE|FALSE] [COMMENT = '…']
    AS COPY INTO …: the COPY is checked now (its table, stage and options) as the creating
    role, which will own the pipe. Re-creating a pipe starts a new load history."""
    exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    t = pipeline.resolve(ctx, stmt.name, "PIPE", "CREATE PIPE")
    pipeline.require_create(ctx, t, "PIPE")
    auto_ingest = False
    for key, (value, span) in copyload.options_dict(stmt.options).items():
        if key not in _PIPE_KEYS:
            raise SemanticError("invalid", span, message=f"invalid pipe property {key}")
        if key == "AUTO_INGEST":
            auto_ingest = copyload.option_bool(key, value, span)
    options = copyload.copy_options(stmt.copy.options, in_pipe=True)
    if options.pattern is not None:
        options.pattern.check(ctx.session.warehouse.con)
    with ctx.acting_as(ctx.session.role, t.db.name, t.schema.name, stmt.definition) as sub:
        target = sub.require_table(stmt.copy.table, "CREATE PIPE")
        sub.require_table_privilege(target, "INSERT")
        copy_columns(sub, target, stmt.copy.columns)
        stage = resolve_stage(sub, stmt.copy.source, "READ", what="CREATE PIPE")
    if auto_ingest and stage.internal:
        raise SemanticError(
            "semantic",
            stmt.copy.source.span,
            message="AUTO_INGEST = TRUE needs an external stage (event notifications come "
            "from cloud storage)",
        )
    replaced = pipeline.name_taken(
        ctx, t, "PIPE", stmt.if_not_exists, stmt.or_replace, stmt.name.span
    )
    if replaced == "exists":
        return already_exists(ctx, t.name)
    props: dict[str, Any] = {
        "definition": stmt.definition,
        "auto_ingest": auto_ingest,
        "state": RUNNING,
        "pending": [],
        "internal_stage": stage.internal,
        "pattern": options.pattern.pattern if options.pattern is not None else None,
    }
    with ctx.write_db(t.db, "CREATE PIPE") as version:
        if isinstance(replaced, PipelineObject):
            pipeline.drop_row(ctx, t.db, replaced)
        pipeline.new_object(ctx, t, "PIPE", version, comment=stmt.comment, props=props)
    return Status(f"Pipe {t.name} successfully created.", ctx.statement_id)


# ---------------------------------------------------------------------------- ALTER


def alter_pipe(ctx: SnowflakeContext, stmt: ast.AlterPipe) -> Rows | Status:
    """ALTER PIPE [IF EXISTS] p REFRESH [PREFIX = '…'] [MODIFIED_AFTER = ts] | SET
    PIPE_EXECUTION_PAUSED = TRUE|FALSE [COMMENT = '…'] | UNSET PIPE_EXECUTION_PAUSED, COMMENT."""
    t = pipeline.resolve(ctx, stmt.name, "PIPE", "ALTER PIPE")
    if t.obj is None:
        if stmt.if_exists:
            return ok(ctx)
        raise pipeline.not_found("PIPE", t.fq, stmt.name.span)
    obj = t.obj
    if stmt.action == "REFRESH":
        pipeline.require_privilege(ctx, t.db, obj, "OPERATE")
        return _refresh(ctx, t.db, t.schema, obj, stmt)
    paused: bool | None = None
    comment: str = obj.comment
    for key, (value, span) in copyload.options_dict(stmt.options).items():
        if key != "PIPE_EXECUTION_PAUSED":
            raise SemanticError("invalid", span, message=f"invalid pipe property {key}")
        paused = copyload.option_bool(key, value, span)
    if stmt.comment is not None or "COMMENT" in stmt.unset:
        pipeline.require_owner(ctx, obj)
        comment = check_comment(stmt.comment, stmt.span)
    for name in stmt.unset:
        if name == "PIPE_EXECUTION_PAUSED":
            paused = False
        elif name != "COMMENT":
            raise SemanticError("invalid", stmt.span, message=f"invalid pipe property {name}")
    if paused is not None:
        pipeline.require_privilege(ctx, t.db, obj, "OPERATE")
    state = obj.prop("state", RUNNING)
    if paused is True:
        state = PAUSED
    updated = replace(
        obj.with_props(state=RUNNING if paused is False else state),
        comment=comment,
        altered_at=ctx.now,
    )
    if paused is False and obj.prop("pending"):
        # Resumed: the queued files load now.
        _load_pending(ctx, t.db, t.schema, updated)
        updated = updated.with_props(pending=[])
    with ctx.write_db(t.db, "ALTER PIPE"):
        objects.save(t.db.cat, updated)
    return ok(ctx)


def _refresh(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject, stmt: ast.AlterPipe
) -> Rows:
    """Send the stage's new files to the pipe: load them now if it runs, else queue them.
    Reply: one `File | Status` row per file sent (SENT)."""
    given = copyload.options_dict(stmt.options)
    prefix = ""
    since = ctx.now - REFRESH_WINDOW
    for key, (value, span) in given.items():
        if key == "PREFIX":
            prefix = stages.check_path(copyload.option_text(key, value, span), span)
        elif key == "MODIFIED_AFTER":
            since = timetravel._as_timestamp(ctx, value, span)
        else:
            raise SemanticError("invalid", span, message=f"invalid REFRESH option {key}")
    key = pipe_key(db, obj)
    pending = set(obj.prop("pending", []))
    with bound(ctx, db, schema, obj) as b:
        root = b.stage.prefix
        start = (
            root + prefix if not root or root.endswith("/") or not prefix else root + "/" + prefix
        )
        files, _ = select_files(b.ctx, b.stage, b.options)
        loaded = copyload.already_loaded(b.target, key)
        sent = [
            f
            for f in files
            if f.path.startswith(start)
            and f.modified >= since
            and (b.stage.name_of(f), f.md5) not in loaded
            and f.path not in pending
        ]
        if obj.prop("state", RUNNING) == RUNNING and sent:
            paths = {f.path for f in sent}
            load_into(
                b.ctx,
                b.target,
                b.columns,
                b.stage,
                b.options,
                pipe_key=key,
                only=lambda found: [f for f in found if f.path in paths],
            )
    if obj.prop("state", RUNNING) != RUNNING and sent:
        queued = obj.with_props(pending=sorted(pending | {f.path for f in sent}))
        with ctx.write_db(db, "ALTER PIPE"):
            objects.save(db.cat, queued)
    cols = (Column("File", "TEXT"), Column("Status", "TEXT"))
    return Rows(cols, [(f.path, "SENT") for f in sent], ctx.statement_id)


def _load_pending(ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject) -> None:
    pending = set(obj.prop("pending", []))
    with bound(ctx, db, schema, obj) as b:
        load_into(
            b.ctx,
            b.target,
            b.columns,
            b.stage,
            b.options,
            pipe_key=pipe_key(db, obj),
            only=lambda found: [f for f in found if f.path in pending],
        )


# ---------------------------------------------------------------------------- status


def pipe_status(ctx: SnowflakeContext, args: tuple[object, ...], span: ast.Span | None) -> str:
    """SYSTEM$PIPE_STATUS('<pipe>'): the pipe's executionState, pendingFileCount and, once it
    has loaded something, lastIngestedTimestamp and lastIngestedFilePath, as JSON text."""
    if len(args) != 1 or not isinstance(args[0], str):
        raise SemanticError("semantic", span, message="SYSTEM$PIPE_STATUS takes a pipe name")
    qname = pipeline.name_from_text(str(args[0]), span)
    t, obj = pipeline.require(ctx, qname, "PIPE", "SELECT")
    pipeline.require_privilege(ctx, t.db, obj, "MONITOR", "OPERATE")
    status: dict[str, object] = {
        "executionState": obj.prop("state", RUNNING),
        "pendingFileCount": len(obj.prop("pending", [])),
    }
    try:
        with bound(ctx, t.db, t.schema, obj) as b:
            assert b.target.table is not None
            cat = b.target.db.cat
            last = cat.con.execute(
                f"SELECT loaded_at, file FROM {cat.meta_schema}.load_history WHERE table_id = ? "
                "AND pipe = ? AND status <> 'LOAD_FAILED' ORDER BY loaded_at DESC, file DESC "
                "LIMIT 1",
                [b.target.table.table_id, pipe_key(t.db, obj)],
            ).fetchone()
    except EngineError:
        last = None  # its table or stage is gone: only the state is known
    if last is not None:
        status["lastIngestedTimestamp"] = last[0].strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        status["lastIngestedFilePath"] = str(last[1])
    return json.dumps(status, separators=(",", ":"))


# ---------------------------------------------------------------------------- SHOW


SHOW_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("name", "TEXT"),
    ("database_name", "TEXT"),
    ("schema_name", "TEXT"),
    ("definition", "TEXT"),
    ("owner", "TEXT"),
    ("notification_channel", "TEXT"),
    ("comment", "TEXT"),
    ("integration", "TEXT"),
    ("pattern", "TEXT"),
    ("error_integration", "TEXT"),
    ("owner_role_type", "TEXT"),
    ("invalid_reason", "TEXT"),
)
TERSE_COLUMNS = pipeline.TERSE_COLUMNS


def show_row(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject
) -> tuple[object, ...]:
    """One SHOW PIPES row (invalid_reason is the last column since BCR 2023_04)."""
    return (
        stamp(obj.created_at),
        obj.name,
        db.name,
        schema.name,
        obj.prop("definition"),
        obj.owner,
        None,
        obj.comment,
        None,
        obj.prop("pattern"),
        None,
        "ROLE",
        None,
    )


def terse_row(
    ctx: SnowflakeContext, db: Db, schema: SchemaMeta, obj: PipelineObject
) -> tuple[object, ...]:
    """One SHOW TERSE PIPES row."""
    return pipeline.terse_start(db, schema, obj, "PIPE")
