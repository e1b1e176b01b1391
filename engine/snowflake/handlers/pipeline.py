"""What stages, pipes, streams and tasks share: resolving their names, seeing and requiring
privileges on them, CREATE's name checks, DROP, SHOW and DESCRIBE. The kind-specific work is in
stages.py, pipes.py, streams.py and tasks.py, which give SHOW its columns and rows.

Privileges (reference/snowflake.md §6.2): CREATE STAGE|PIPE|STREAM|TASK on the schema to create
(its owner holds them); OWNERSHIP to drop or alter; an object the role holds no privilege on is
invisible (`002003 … does not exist or not authorized.`). Internal stages take READ and WRITE,
external stages USAGE, streams SELECT, pipes and tasks MONITOR and OPERATE.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cloneshell.engine.core.catalog import SchemaMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import UnsupportedError
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.snowflake import objects, pipeline
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.handlers import pipes, stages, streams, tasks
from cloneshell.engine.snowflake.listing import limit, matches, scope
from cloneshell.engine.snowflake.objects import Kind, PipelineObject
from cloneshell.grammar import ast

SF = "snowflake"


# ---------------------------------------------------------------------------- DROP


def drop(ctx: SnowflakeContext, stmt: ast.DropObject) -> Status:
    """DROP STAGE|PIPE|STREAM|TASK [IF EXISTS] name (OWNERSHIP). Snowflake keeps no dropped
    versions of these: UNDROP does not apply to them."""
    kind: Kind = stmt.kind  # type: ignore[assignment]
    t = pipeline.resolve(ctx, stmt.name, kind, "DROP")
    if t.obj is None:
        if stmt.if_exists:
            return Status(
                f"Drop statement executed successfully ({t.name} already dropped).",
                ctx.statement_id,
            )
        raise pipeline.not_found(kind, t.fq, stmt.name.span)
    pipeline.require_owner(ctx, t.obj)
    with ctx.write_db(t.db, f"DROP {kind}"):
        after = pipeline.drop_row(ctx, t.db, t.obj)
    if after is not None:
        after()
    return Status(f"{t.obj.name} successfully dropped.", ctx.statement_id)


# ---------------------------------------------------------------------------- SHOW, DESCRIBE

# The handler module of each kind: its SHOW columns and rows.
_KIND_MODULES = {"STAGE": stages, "PIPE": pipes, "STREAM": streams, "TASK": tasks}
ShowSpec = tuple[tuple[str, str], ...]
RowFn = Callable[[SnowflakeContext, Db, SchemaMeta, PipelineObject], tuple[object, ...]]
_PLURAL: dict[str, Kind] = {
    "STAGES": "STAGE",
    "PIPES": "PIPE",
    "STREAMS": "STREAM",
    "TASKS": "TASK",
}


def _kind_show(kind: Kind) -> tuple[ShowSpec, RowFn, ShowSpec, RowFn]:
    """(columns, row, terse columns, terse row) of SHOW for one kind."""
    module: Any = _KIND_MODULES[kind]
    return module.SHOW_COLUMNS, module.show_row, module.TERSE_COLUMNS, module.terse_row


def show(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    """SHOW [TERSE] STAGES|PIPES|STREAMS|TASKS [LIKE] [IN …] [STARTS WITH] [LIMIT]: visible
    objects ordered by database, schema and name."""
    kind = _PLURAL[stmt.kind]
    if stmt.history:
        raise UnsupportedError("unsupported", stmt.span, message=f"SHOW {stmt.kind} HISTORY")
    columns, row_fn, terse_columns, terse_fn = _kind_show(kind)
    if stmt.terse:
        columns, row_fn = terse_columns, terse_fn
    rows: list[tuple[object, ...]] = []
    for db, only in scope(ctx, stmt):
        schemas = [only] if only is not None else db.cat.list_schemas()
        for schema in sorted(schemas, key=lambda s: s.name):
            if not ctx.can_see_schema(db, schema):
                continue
            for obj in objects.list_objects(db.cat, kind, schema.schema_id):
                if pipeline.can_see(ctx, db, obj) and matches(
                    obj.name, stmt.like, stmt.starts_with
                ):
                    rows.append(row_fn(ctx, db, schema, obj))
    return Rows(tuple(Column(n, t) for n, t in columns), limit(rows, stmt.limit), ctx.statement_id)


def describe(ctx: SnowflakeContext, stmt: ast.DescribePipeline) -> Rows:
    """DESC STAGE|PIPE|STREAM|TASK name: the object's SHOW row (DESC STAGE: its properties)."""
    kind: Kind = stmt.kind
    t, obj = pipeline.require(ctx, stmt.name, kind, "DESCRIBE")
    if kind == "STAGE":
        return stages.describe_rows(ctx, obj)
    columns, row_fn, _, _ = _kind_show(kind)
    rows = [row_fn(ctx, t.db, t.schema, obj)]
    return Rows(tuple(Column(n, c) for n, c in columns), rows, ctx.statement_id)
