"""What stages, pipes, streams and tasks share: resolving their names, seeing and requiring
privileges on them, CREATE's name checks, DROP, SHOW and DESCRIBE. The kind-specific work is in
stages.py, pipes.py, streams.py and tasks.py, which give SHOW its columns and rows.

Privileges (reference/snowflake.md §6.2): CREATE STAGE|PIPE|STREAM|TASK on the schema to create
(its owner holds them); OWNERSHIP to drop or alter; an object the role holds no privilege on is
invisible (`002003 … does not exist or not authorized.`). Internal stages take READ and WRITE,
external stages USAGE, streams SELECT, pipes and tasks MONITOR and OPERATE.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

from cloneshell.engine.core.catalog import SchemaMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import CatalogError, SemanticError, UnsupportedError
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.snowflake import objects
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.handlers.objects import _name_taken, check_comment, check_name
from cloneshell.engine.snowflake.objects import Kind, PipelineObject
from cloneshell.grammar import ast
from cloneshell.grammar.parser import parse
from cloneshell.grammar.records import record

SF = "snowflake"


@record(slots=True)
class ObjTarget:
    """A resolved `[db.][schema.]name` of a stage, pipe, stream or task (the object, if it
    exists and the role can see it)."""

    db: Db
    schema: SchemaMeta
    name: str
    obj: PipelineObject | None
    span: ast.Span | None = None

    @property
    def fq(self) -> str:
        """`DB.SCHEMA.NAME` as Snowflake's messages show it."""
        return f"{self.db.name}.{self.schema.name}.{self.name}"


def can_see(ctx: SnowflakeContext, db: Db, obj: PipelineObject) -> bool:
    """The role owns the object or holds any privilege on it."""
    return ctx.auth.has(db.cat, obj.kind, obj.object_id, obj.owner)


def resolve(
    ctx: SnowflakeContext, qname: ast.QualifiedName, kind: Kind, what: str, *, visible: bool = True
) -> ObjTarget:
    """A name resolved like a table's (current database and schema); the object may not
    exist."""
    t = ctx.resolve(qname, what, visible=visible)
    obj = objects.get(t.db.cat, kind, t.schema.schema_id, t.name)
    if obj is not None and visible and not can_see(ctx, t.db, obj):
        obj = None
    return ObjTarget(t.db, t.schema, t.name, obj, qname.span)


def not_found(kind: Kind, fq: str, span: ast.Span | None) -> CatalogError:
    """`Stage 'DB.S.X' does not exist or not authorized.` (stages; snowflake.md §3) or
    `Object 'DB.S.X' does not exist or not authorized.`"""
    if kind == "STAGE":
        return CatalogError("stage_not_found", span, name=fq)
    return CatalogError("object_not_found", span, name=fq)


def require(
    ctx: SnowflakeContext, qname: ast.QualifiedName, kind: Kind, what: str
) -> tuple[ObjTarget, PipelineObject]:
    """A name that must be an existing, visible object."""
    t = resolve(ctx, qname, kind, what)
    if t.obj is None:
        raise not_found(kind, t.fq, qname.span)
    return t, t.obj


def require_privilege(ctx: SnowflakeContext, db: Db, obj: PipelineObject, *privileges: str) -> None:
    """One of `privileges` on the object (its owner holds them all), else `003001`."""
    ctx.auth.require(db.cat, obj.kind, obj.object_id, obj.owner, privileges, obj.name)


def require_owner(ctx: SnowflakeContext, obj: PipelineObject) -> None:
    """OWNERSHIP of the object (DROP, ALTER, CREATE OR REPLACE)."""
    ctx.auth.require_owner(obj.owner, obj.kind.lower(), obj.name)


def require_create(ctx: SnowflakeContext, t: ObjTarget, kind: Kind) -> None:
    """CREATE <kind> on the schema (its owner holds it)."""
    s = t.schema
    ctx.auth.require(t.db.cat, "SCHEMA", s.schema_id, s.owner, (f"CREATE {kind}",), s.name)


def name_taken(
    ctx: SnowflakeContext,
    t: ObjTarget,
    kind: Kind,
    if_not_exists: bool,
    or_replace: bool,
    span: ast.Span | None,
) -> PipelineObject | str | None:
    """What a CREATE finds under its name: None, "exists" (IF NOT EXISTS) or the object OR
    REPLACE drops (after checking OWNERSHIP); else `002002 … already exists.` An object the
    role cannot see still takes the name."""
    existing = objects.get(t.db.cat, kind, t.schema.schema_id, t.name)
    owner = existing.owner if existing else ""
    return _name_taken(ctx, existing, owner, kind.lower(), t.name, if_not_exists, or_replace, span)


def new_object(
    ctx: SnowflakeContext,
    t: ObjTarget,
    kind: Kind,
    version: int,
    *,
    comment: str | None,
    props: dict[str, Any],
    owner: str | None = None,
) -> PipelineObject:
    """A new object at `t`, owned by the current role (or `owner`), recorded at `version`."""
    check_name(t.name, t.span, f"{kind.lower()} name")
    obj = PipelineObject(
        object_id=objects.next_id(t.db.cat),
        kind=kind,
        schema_id=t.schema.schema_id,
        name=t.name,
        owner=owner or ctx.session.role,
        comment=check_comment(comment, t.span),
        created_at=ctx.now,
        created_version=version,
        altered_at=ctx.now,
        props=props,
    )
    return objects.create(t.db.cat, obj)


def name_from_text(text: str, span: ast.Span | None) -> ast.QualifiedName:
    """A name given as a string ('db.s.p', '"My Pipe"'), parsed as SQL names are."""
    try:
        (stmt,) = parse(f"SELECT * FROM {text}", SF)
    except Exception:  # noqa: BLE001 - any parse failure means the text is not a name
        stmt = None
    if (
        isinstance(stmt, ast.QueryStmt)
        and isinstance(stmt.query.body, ast.Select)
        and isinstance(stmt.query.body.from_, ast.TableRef)
        and stmt.query.body.from_.alias is None
    ):
        name = stmt.query.body.from_.name
        return ast.QualifiedName(span=span or name.span, parts=name.parts)
    raise SemanticError("semantic", span, message=f"invalid object name '{text}'")


# ---------------------------------------------------------------------------- DROP

# The module of each kind (imported when first needed: they import this one).
_MODULES = {"STAGE": "stages", "PIPE": "pipes", "STREAM": "streams", "TASK": "tasks"}
# Per kind: what else goes when an object is dropped (after its row, inside the transaction),
# and what to clean up once the drop has committed (a stage's files).
DropHook = Callable[[SnowflakeContext, Db, PipelineObject], Callable[[], None] | None]


def _hooks(kind: Kind) -> DropHook | None:
    module = importlib.import_module(f"cloneshell.engine.snowflake.handlers.{_MODULES[kind]}")
    hook: DropHook | None = getattr(module, "dropped", None)
    return hook


def drop_row(ctx: SnowflakeContext, db: Db, obj: PipelineObject) -> Callable[[], None] | None:
    """Delete an object (inside a write transaction); returns the clean-up to run after the
    commit, if any."""
    objects.delete(db.cat, obj)
    hook = _hooks(obj.kind)
    return hook(ctx, db, obj) if hook is not None else None


def drop(ctx: SnowflakeContext, stmt: ast.DropObject) -> Status:
    """DROP STAGE|PIPE|STREAM|TASK [IF EXISTS] name (OWNERSHIP). Snowflake keeps no dropped
    versions of these: UNDROP does not apply to them."""
    kind: Kind = stmt.kind  # type: ignore[assignment]
    t = resolve(ctx, stmt.name, kind, "DROP")
    if t.obj is None:
        if stmt.if_exists:
            return Status(
                f"Drop statement executed successfully ({t.name} already dropped).",
                ctx.statement_id,
            )
        raise not_found(kind, t.fq, stmt.name.span)
    require_owner(ctx, t.obj)
    with ctx.write_db(t.db, f"DROP {kind}"):
        after = drop_row(ctx, t.db, t.obj)
    if after is not None:
        after()
    return Status(f"{t.obj.name} successfully dropped.", ctx.statement_id)


# ---------------------------------------------------------------------------- SHOW, DESCRIBE

ShowSpec = tuple[tuple[str, str], ...]
RowFn = Callable[[SnowflakeContext, Db, SchemaMeta, PipelineObject], tuple[object, ...]]
_PLURAL: dict[str, Kind] = {
    "STAGES": "STAGE",
    "PIPES": "PIPE",
    "STREAMS": "STREAM",
    "TASKS": "TASK",
}


# SHOW TERSE's columns for every kind; a kind may add its own after them.
TERSE_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("name", "TEXT"),
    ("kind", "TEXT"),
    ("database_name", "TEXT"),
    ("schema_name", "TEXT"),
)


def terse_start(
    db: Db, schema: SchemaMeta, obj: PipelineObject, kind: str | None
) -> tuple[object, ...]:
    """The values of TERSE_COLUMNS for `obj` (`kind` as the kind shows it)."""
    return (stamp(obj.created_at), obj.name, kind, db.name, schema.name)


def _kind_show(kind: Kind) -> tuple[ShowSpec, RowFn, ShowSpec, RowFn]:
    """(columns, row, terse columns, terse row) of SHOW for one kind."""
    module: Any = importlib.import_module(f"cloneshell.engine.snowflake.handlers.{_MODULES[kind]}")
    return module.SHOW_COLUMNS, module.show_row, module.TERSE_COLUMNS, module.terse_row


def show(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    """SHOW [TERSE] STAGES|PIPES|STREAMS|TASKS [LIKE] [IN …] [STARTS WITH] [LIMIT]: visible
    objects ordered by database, schema and name."""
    from cloneshell.engine.snowflake.handlers.show import _limit, _matches, _scope

    kind = _PLURAL[stmt.kind]
    if stmt.history:
        raise UnsupportedError("unsupported", stmt.span, message=f"SHOW {stmt.kind} HISTORY")
    columns, row_fn, terse_columns, terse_fn = _kind_show(kind)
    if stmt.terse:
        columns, row_fn = terse_columns, terse_fn
    rows: list[tuple[object, ...]] = []
    for db, only in _scope(ctx, stmt):
        schemas = [only] if only is not None else db.cat.list_schemas()
        for schema in sorted(schemas, key=lambda s: s.name):
            if not ctx.can_see_schema(db, schema):
                continue
            for obj in objects.list_objects(db.cat, kind, schema.schema_id):
                if can_see(ctx, db, obj) and _matches(obj.name, stmt.like, stmt.starts_with):
                    rows.append(row_fn(ctx, db, schema, obj))
    return Rows(tuple(Column(n, t) for n, t in columns), _limit(rows, stmt.limit), ctx.statement_id)


def describe(ctx: SnowflakeContext, stmt: ast.DescribePipeline) -> Rows:
    """DESC STAGE|PIPE|STREAM|TASK name: the object's SHOW row (DESC STAGE: its properties)."""
    kind: Kind = stmt.kind
    t, obj = require(ctx, stmt.name, kind, "DESCRIBE")
    if kind == "STAGE":
        from cloneshell.engine.snowflake.handlers import stages

        return stages.describe_rows(ctx, obj)
    columns, row_fn, _, _ = _kind_show(kind)
    rows = [row_fn(ctx, t.db, t.schema, obj)]
    return Rows(tuple(Column(n, c) for n, c in columns), rows, ctx.statement_id)


def stamp(ts: datetime) -> datetime:
    """A stored (naive UTC) instant as SHOW prints it."""
    from cloneshell.engine.snowflake.handlers.show import aware

    result = aware(ts)
    assert result is not None
    return result
