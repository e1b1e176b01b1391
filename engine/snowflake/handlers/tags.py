"""Snowflake tags: CREATE [OR REPLACE] TAG [IF NOT EXISTS] … [ALLOWED_VALUES …] [COMMENT],
DROP TAG, SHOW TAGS, ALTER TABLE|VIEW … SET TAG / UNSET TAG (tags.py keeps what an object is
tagged with) and SYSTEM$GET_TAG, which reads it back. Creating a tag needs CREATE TAG on its
schema; setting one on a table needs OWNERSHIP of the table and the tag's visibility (its
owner, or a privilege on it)."""

from __future__ import annotations

import json

from cloneshell.engine.core.errors import CatalogError, SemanticError, UnsupportedError
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.snowflake import ddl, listing, objects, pipeline, tags
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.handlers import views
from cloneshell.engine.snowflake.objects import PipelineObject
from cloneshell.grammar import ast

_SHOW_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("name", "TEXT"),
    ("database_name", "TEXT"),
    ("schema_name", "TEXT"),
    ("owner", "TEXT"),
    ("comment", "TEXT"),
    ("allowed_values", "TEXT"),
    ("owner_role_type", "TEXT"),
)
_MAX_ALLOWED = 300  # ALLOWED_VALUES holds at most 300 values (CREATE TAG)


def create_tag(ctx: SnowflakeContext, stmt: ast.CreateTag) -> Status:
    """CREATE [OR REPLACE] TAG [IF NOT EXISTS] t [ALLOWED_VALUES 'v', …] [COMMENT = '…']."""
    ddl.exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    target = ctx.resolve(stmt.name, "CREATE TAG")
    ddl.check_name(target.name, stmt.name.span, "tag name")
    s = target.schema
    ctx.auth.require(target.db.cat, "SCHEMA", s.schema_id, s.owner, ("CREATE TAG",), s.name)
    allowed = stmt.allowed_values
    if allowed is not None and len(allowed) > _MAX_ALLOWED:
        raise SemanticError(
            "invalid", stmt.span, message=f"ALLOWED_VALUES holds at most {_MAX_ALLOWED} values"
        )
    existing = objects.get(target.db.cat, tags.KIND, s.schema_id, target.name)
    if existing is not None and stmt.if_not_exists:
        return ddl.already_exists(ctx, target.name)
    if existing is not None and not stmt.or_replace:
        raise CatalogError("exists", stmt.name.span, name=target.name)
    comment = ddl.check_comment(stmt.comment, stmt.span)
    with ctx.write_db(target.db, "CREATE TAG") as version:
        if existing is not None:
            objects.delete(target.db.cat, existing)
        objects.create(
            target.db.cat,
            PipelineObject(
                object_id=objects.next_id(target.db.cat),
                kind=tags.KIND,
                schema_id=s.schema_id,
                name=target.name,
                owner=ctx.session.role,
                comment=comment,
                created_at=ctx.now,
                created_version=version,
                altered_at=ctx.now,
                props={"allowed_values": list(dict.fromkeys(allowed)) if allowed else None},
            ),
        )
    return Status(f"Tag {target.name} successfully created.", ctx.statement_id)


def drop_tag(ctx: SnowflakeContext, stmt: ast.DropObject) -> Status:
    """DROP TAG [IF EXISTS] t (its owner only)."""
    target = ctx.resolve(stmt.name, "DROP")
    obj = objects.get(target.db.cat, tags.KIND, target.schema.schema_id, target.name)
    if obj is None or not ctx.auth.has(target.db.cat, tags.KIND, obj.object_id, obj.owner):
        if stmt.if_exists:
            return Status(
                f"Drop statement executed successfully ({target.name} already dropped).",
                ctx.statement_id,
            )
        raise CatalogError("object_not_found", stmt.name.span, name=target.fq)
    ctx.auth.require(target.db.cat, tags.KIND, obj.object_id, obj.owner, ("OWNERSHIP",), obj.name)
    with ctx.write_db(target.db, "DROP TAG"):
        objects.delete(target.db.cat, obj)
    return Status(f"{obj.name} successfully dropped.", ctx.statement_id)


def show_tags(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    """SHOW TAGS [LIKE 'p'] [IN ACCOUNT | DATABASE [d] | SCHEMA [s]] [STARTS WITH] [LIMIT]."""
    rows: list[tuple[object, ...]] = []
    for db, only in listing.scope(ctx, stmt):
        schemas = [only] if only is not None else db.cat.list_schemas()
        for schema in sorted(schemas, key=lambda s: s.name):
            if not ctx.can_see_schema(db, schema):
                continue
            for obj in objects.list_objects(db.cat, tags.KIND, schema.schema_id):
                if not ctx.auth.has(db.cat, tags.KIND, obj.object_id, obj.owner):
                    continue
                if not listing.matches(obj.name, stmt.like, stmt.starts_with):
                    continue
                allowed = obj.prop("allowed_values")
                rows.append(
                    (
                        listing.aware(obj.created_at),
                        obj.name,
                        db.name,
                        schema.name,
                        obj.owner,
                        obj.comment,
                        None if allowed is None else json.dumps(allowed, separators=(",", ":")),
                        "ROLE",
                    )
                )
    columns = tuple(Column(n, t) for n, t in _SHOW_COLUMNS)
    return Rows(columns, listing.limit(rows, stmt.limit), ctx.statement_id)


def alter_tags(ctx: SnowflakeContext, stmt: ast.AlterTags) -> Status:
    """ALTER TABLE|VIEW [IF EXISTS] x SET TAG t = 'v', … | UNSET TAG t, …."""
    if stmt.kind not in ("TABLE", "VIEW"):
        raise UnsupportedError("unsupported", stmt.span, message=f"TAG on a {stmt.kind}")
    target = ctx.resolve(stmt.name, "ALTER")
    if target.table is None:
        if stmt.if_exists:
            return ddl.ok(ctx)
        raise CatalogError("object_not_found", stmt.name.span, name=target.fq)
    table = views.require_kind(target, stmt.name, stmt.kind)
    ctx.auth.require_owner(table.owner, stmt.kind.lower(), table.name)
    own = tags.unset(ctx, tags.table_tags(table), stmt.unset)
    own.update(tags.checked(ctx, stmt.set))
    with ctx.write_db(target.db, f"ALTER {stmt.kind}"):
        target.db.cat.set_properties(
            table.table_id, tags.with_tags(table, own, tags.column_tags(table))
        )
    return ddl.ok(ctx)


def get_tag(ctx: SnowflakeContext, args: tuple[object, ...], span: ast.Span | None) -> str | None:
    """SYSTEM$GET_TAG('<tag>', '<object>', 'TABLE' | 'COLUMN'): the tag's value on the table,
    view (domain TABLE) or column (`table.column`, domain COLUMN), NULL when it is not set."""
    if len(args) != 3 or not all(isinstance(a, str) for a in args):
        raise SemanticError(
            "semantic", span, message="SYSTEM$GET_TAG takes a tag, an object name and a domain"
        )
    tag_text, object_text, domain = (str(a) for a in args)
    tag, _ = tags.find(ctx, pipeline.name_from_text(tag_text, span))
    if domain.upper() not in ("TABLE", "COLUMN"):
        raise UnsupportedError("unsupported", span, message=f"SYSTEM$GET_TAG domain {domain}")
    column: str | None = None
    if domain.upper() == "COLUMN":
        table_text, dot, column_text = object_text.rpartition(".")
        if not dot:
            raise SemanticError("semantic", span, message=f"invalid column name '{object_text}'")
        object_text = table_text
        column = ctx.fold(pipeline.name_from_text(column_text, span).parts[-1])
    qname = pipeline.name_from_text(object_text, span)
    target = ctx.resolve(qname, "SELECT")
    if target.table is None:
        raise CatalogError("object_not_found", span, name=target.fq)
    if column is None:
        return tags.table_tags(target.table).get(tag.fq)
    if column not in {c.name for c in target.table.columns}:
        raise SemanticError("column_not_found", span, name=column)
    return tags.column_tags(target.table).get(column, {}).get(tag.fq)
