"""What every handler of stages, pipes, streams and tasks shares: resolving
`[db.][schema.]name` to an object the role can see, privilege and ownership checks, what a CREATE
finds under its name, creating and deleting an object's row (with its kind's drop hook), and
SHOW TERSE's common columns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from cloneshell.engine.core import dispatch
from cloneshell.engine.core.catalog import SchemaMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import CatalogError, SemanticError
from cloneshell.engine.snowflake import objects
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.ddl import check_comment, check_name, claim_name
from cloneshell.engine.snowflake.listing import aware
from cloneshell.engine.snowflake.objects import Kind, PipelineObject
from cloneshell.grammar import ast
from cloneshell.grammar.parser import parse
from cloneshell.grammar.records import record


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
    return claim_name(ctx, existing, owner, kind.lower(), t.name, if_not_exists, or_replace, span)


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
        (stmt,) = parse(f"SELECT * FROM {text}", "snowflake")
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


# Per kind: what else goes when an object is dropped (after its row, inside the transaction),
# and what to clean up once the drop has committed (a stage's files).
DropHook = Callable[[SnowflakeContext, Db, PipelineObject], Callable[[], None] | None]

# What else goes when an object of a kind is dropped (after its row, inside the transaction),
# and what to clean up once the drop has committed (a stage's files, a task's schedule entry):
# `module:function` under cloneshell.engine, like the handler tables, so that the kinds'
# handler modules (which use this module) are loaded only when one of their objects is dropped.
_DROP_HOOKS: dict[str, str] = {
    "STAGE": "snowflake.handlers.stages:dropped",
    "TASK": "snowflake.handlers.tasks:dropped",
}


def drop_row(ctx: SnowflakeContext, db: Db, obj: PipelineObject) -> Callable[[], None] | None:
    """Delete an object (inside a write transaction); returns the clean-up to run after the
    commit, if any."""
    objects.delete(db.cat, obj)
    target = _DROP_HOOKS.get(obj.kind)
    hook: DropHook | None = dispatch.load(target) if target is not None else None
    return hook(ctx, db, obj) if hook is not None else None


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


def stamp(ts: datetime) -> datetime:
    """A stored (naive UTC) instant as SHOW prints it."""
    result = aware(ts)
    assert result is not None
    return result
