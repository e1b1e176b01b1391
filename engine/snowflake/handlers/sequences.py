"""Snowflake sequences: CREATE [OR REPLACE] SEQUENCE, DROP SEQUENCE, SHOW SEQUENCES, DESC
SEQUENCE, `seq.NEXTVAL` in any query or DEFAULT, and AUTOINCREMENT / IDENTITY columns.

A sequence is a schema object row (`objects.py`, kind SEQUENCE: its start and step) plus a
DuckDB sequence in its database file (`cs_seq<id>` in its schema's DuckDB schema) that hands
out the values: `seq.NEXTVAL` is DuckDB's `nextval`, a distinct value per row, never rolled
back (gaps are allowed, as in Snowflake). Drawing a value writes the file, so a query naming
NEXTVAL holds its file read-write. Using a sequence needs USAGE on it (its owner has it).

An identity column owns a sequence of its own, `SYS_IDENTITY_<table id>_<column>`, which
SHOW SEQUENCES leaves out; its DEFAULT is that sequence's NEXTVAL, shown as Snowflake shows
an identity (`IDENTITY START 1 INCREMENT 1 ORDER`).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, replace

from cloneshell.engine.core.catalog import ColumnMeta, SchemaMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import CatalogError, SemanticError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.snowflake import ddl, listing, objects
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.engine.snowflake.objects import PipelineObject
from cloneshell.grammar import ast

KIND: objects.Kind = "SEQUENCE"
IDENTITY_PREFIX = "SYS_IDENTITY_"
_PLAIN = re.compile(r"[A-Z_][A-Z0-9_$]*")
_BOUNDS = "MINVALUE -9223372036854775808 MAXVALUE 9223372036854775807"

_SHOW_COLUMNS = (
    ("name", "TEXT"),
    ("database_name", "TEXT"),
    ("schema_name", "TEXT"),
    ("next_value", "NUMBER"),
    ("interval", "NUMBER"),
    ("created_on", "TIMESTAMP_LTZ"),
    ("owner", "TEXT"),
    ("comment", "TEXT"),
    ("owner_role_type", "TEXT"),
    ("ordered", "TEXT"),
)


def _physical(db: Db, schema: SchemaMeta, obj: PipelineObject) -> str:
    return f"{quote_ident(db.cat.alias)}.{quote_ident(schema.physical)}.cs_seq{obj.object_id}"


def _create_physical(db: Db, schema: SchemaMeta, obj: PipelineObject, start: int) -> None:
    step = int(obj.prop("increment", 1))
    db.cat.con.execute(
        f"CREATE SEQUENCE {_physical(db, schema, obj)} START WITH {start} INCREMENT BY {step} "
        f"{_BOUNDS}"
    )


def _next_value(db: Db, schema: SchemaMeta, obj: PipelineObject) -> int:
    """The value the next NEXTVAL returns."""
    row = db.cat.con.execute(
        "SELECT last_value, start_value, increment_by FROM duckdb_sequences() "
        "WHERE database_name = ? AND schema_name = ? AND sequence_name = ?",
        [db.cat.alias, schema.physical, f"cs_seq{obj.object_id}"],
    ).fetchone()
    if row is None:
        return int(obj.prop("start", 1))
    last, start, step = row
    return int(start) if last is None else int(last) + int(step)


def _find(
    ctx: SnowflakeContext, qname: ast.QualifiedName, what: str
) -> tuple[Target, PipelineObject]:
    target = ctx.resolve(qname, what)
    obj = objects.get(target.db.cat, KIND, target.schema.schema_id, target.name)
    if obj is None or not ctx.auth.has(target.db.cat, KIND, obj.object_id, obj.owner):
        raise CatalogError("object_not_found", qname.span, name=target.fq)
    return target, obj


def create_sequence(ctx: SnowflakeContext, stmt: ast.CreateSequence) -> Status:
    """CREATE [OR REPLACE] SEQUENCE [IF NOT EXISTS] s [START [WITH] n] [INCREMENT [BY] n]."""
    ddl.exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    target = ctx.resolve(stmt.name, "CREATE SEQUENCE")
    ddl.check_name(target.name, stmt.name.span, "sequence name")
    s = target.schema
    ctx.auth.require(target.db.cat, "SCHEMA", s.schema_id, s.owner, ("CREATE SEQUENCE",), s.name)
    if stmt.increment == 0:
        raise SemanticError("semantic", stmt.span, message="INCREMENT must not be 0")
    existing = objects.get(target.db.cat, KIND, s.schema_id, target.name)
    if existing is not None and stmt.if_not_exists:
        return ddl.already_exists(ctx, target.name)
    if existing is not None and not stmt.or_replace:
        raise CatalogError("exists", stmt.name.span, name=target.name)
    comment = ddl.check_comment(stmt.comment, stmt.span)
    with ctx.write_db(target.db, "CREATE SEQUENCE") as version:
        if existing is not None:
            _drop(target.db, s, existing)
        _new(ctx, target.db, s, target.name, stmt.start, stmt.increment, comment, version)
    return Status(f"Sequence {target.name} successfully created.", ctx.statement_id)


def _new(
    ctx: SnowflakeContext,
    db: Db,
    schema: SchemaMeta,
    name: str,
    start: int,
    step: int,
    comment: str,
    version: int,
) -> PipelineObject:
    obj = objects.create(
        db.cat,
        PipelineObject(
            object_id=objects.next_id(db.cat),
            kind=KIND,
            schema_id=schema.schema_id,
            name=name,
            owner=ctx.session.role,
            comment=comment,
            created_at=ctx.now,
            created_version=version,
            altered_at=ctx.now,
            props={"start": start, "increment": step},
        ),
    )
    _create_physical(db, schema, obj, start)
    return obj


def _drop(db: Db, schema: SchemaMeta, obj: PipelineObject) -> None:
    db.cat.con.execute(f"DROP SEQUENCE IF EXISTS {_physical(db, schema, obj)}")
    objects.delete(db.cat, obj)


def drop_sequence(ctx: SnowflakeContext, stmt: ast.DropObject) -> Status:
    """DROP SEQUENCE [IF EXISTS] s (its owner only)."""
    target = ctx.resolve(stmt.name, "DROP")
    obj = objects.get(target.db.cat, KIND, target.schema.schema_id, target.name)
    if obj is None or not ctx.auth.has(target.db.cat, KIND, obj.object_id, obj.owner):
        if stmt.if_exists:
            return Status(
                f"Drop statement executed successfully ({target.name} already dropped).",
                ctx.statement_id,
            )
        raise CatalogError("object_not_found", stmt.name.span, name=target.fq)
    ctx.auth.require(target.db.cat, KIND, obj.object_id, obj.owner, ("OWNERSHIP",), obj.name)
    with ctx.write_db(target.db, "DROP SEQUENCE"):
        _drop(target.db, target.schema, obj)
    return Status(f"{obj.name} successfully dropped.", ctx.statement_id)


def _row(db: Db, schema: SchemaMeta, obj: PipelineObject) -> tuple[object, ...]:
    return (
        obj.name,
        db.name,
        schema.name,
        _next_value(db, schema, obj),
        int(obj.prop("increment", 1)),
        listing.aware(obj.created_at),
        obj.owner,
        obj.comment,
        "ROLE",
        "Y",
    )


def show_sequences(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    """SHOW SEQUENCES [LIKE 'p'] [IN ACCOUNT | DATABASE [d] | SCHEMA [s]] [STARTS WITH] [LIMIT]."""
    rows: list[tuple[object, ...]] = []
    for db, only in listing.scope(ctx, stmt):
        schemas = [only] if only is not None else db.cat.list_schemas()
        for schema in sorted(schemas, key=lambda s: s.name):
            if not ctx.can_see_schema(db, schema):
                continue
            for obj in objects.list_objects(db.cat, KIND, schema.schema_id):
                if obj.name.startswith(IDENTITY_PREFIX):
                    continue
                if not ctx.auth.has(db.cat, KIND, obj.object_id, obj.owner):
                    continue
                if listing.matches(obj.name, stmt.like, stmt.starts_with):
                    rows.append(_row(db, schema, obj))
    columns = tuple(Column(n, t) for n, t in _SHOW_COLUMNS)
    return Rows(columns, listing.limit(rows, stmt.limit), ctx.statement_id)


def describe_sequence(ctx: SnowflakeContext, stmt: ast.DescribeSequence) -> Rows:
    """DESC SEQUENCE s: one row, SHOW SEQUENCES' columns."""
    target, obj = _find(ctx, stmt.name, "DESCRIBE")
    columns = tuple(Column(n, t) for n, t in _SHOW_COLUMNS)
    return Rows(columns, [_row(target.db, target.schema, obj)], ctx.statement_id)


def nextval_sql(ctx: SnowflakeContext, e: ast.NextVal) -> str:
    """`seq.NEXTVAL` as DuckDB SQL: the sequence's file is held read-write (drawing writes)."""
    target, obj = _find(ctx, e.sequence, "SELECT")
    ctx.auth.require(target.db.cat, KIND, obj.object_id, obj.owner, ("USAGE",), obj.name)
    ctx.session.warehouse.writable(target.db.cat.alias)
    name = _physical(target.db, target.schema, obj).replace("'", "''")
    return f"nextval('{name}')"


# ---------------------------------------------------------------------------- identity columns


def column_defaults(
    ctx: SnowflakeContext,
    target: Target,
    defs: tuple[ast.ColumnDef, ...],
    columns: tuple[ColumnMeta, ...],
    version: int,
) -> tuple[ColumnMeta, ...]:
    """Inside CREATE TABLE's write, before the table's id is taken: a `DEFAULT seq.NEXTVAL`
    names its sequence fully (as Snowflake stores it), and each AUTOINCREMENT/IDENTITY column
    gets a sequence of its own and a DEFAULT drawing from it."""
    if not defs:
        return columns
    table_id = target.db.cat.next_table_id()
    out = list(columns)
    for i, (d, c) in enumerate(zip(defs, columns, strict=True)):
        if isinstance(d.default, ast.NextVal):
            seq, obj = _find(ctx, d.default.sequence, "CREATE TABLE")
            out[i] = replace(
                c, default=f"{_quoted(seq.db.name, seq.schema.name, obj.name)}.NEXTVAL"
            )
        if d.identity is None:
            continue
        if c.default is not None:
            raise SemanticError(
                "semantic", d.span, message="a column cannot have both DEFAULT and IDENTITY"
            )
        name = f"{IDENTITY_PREFIX}{table_id}_{i + 1}"
        obj = _new(
            ctx, target.db, target.schema, name, d.identity.start, d.identity.step, "", version
        )
        out[i] = replace(c, default=f"{_quoted(target.db.name, target.schema.name, name)}.NEXTVAL")
    return tuple(out)


def _quoted(*parts: str) -> str:
    return ".".join(quote_ident(p) for p in parts)


def shown_default(db: Db, schema_id: int, default: str | None) -> str | None:
    """A column default as DESC TABLE shows it: an identity column's as Snowflake does."""
    if default is None or not default.endswith(".NEXTVAL"):
        return default
    if IDENTITY_PREFIX not in default:
        # `"D"."PUBLIC"."SEQ".NEXTVAL` is shown D.PUBLIC.SEQ.NEXTVAL, as Snowflake does.
        plain = default.replace('"', "")
        return plain if all(_PLAIN.fullmatch(p) for p in plain.split(".")) else default
    name = default.rsplit(".", 2)[-2].strip('"')
    obj = objects.get(db.cat, KIND, schema_id, name)
    if obj is None:
        return default
    start, step = int(obj.prop("start", 1)), int(obj.prop("increment", 1))
    return f"IDENTITY START {start} INCREMENT {step} ORDER"


# ---------------------------------------------------------------------------- clones


def clone_physical(
    src_db: Db,
    src_schema: SchemaMeta,
    src: PipelineObject,
    dest_db: Db,
    dest_schema: SchemaMeta,
    dest: PipelineObject,
) -> None:
    """A schema clone's copy of a sequence goes on from where the source is now."""
    _create_physical(dest_db, dest_schema, dest, _next_value(src_db, src_schema, src))


def repointed(
    columns: tuple[ColumnMeta, ...], source: tuple[str, ...], dest: tuple[str, ...]
) -> tuple[ColumnMeta, ...]:
    """Column defaults drawing from a sequence of the cloned container (`source`: database, or
    database and schema) draw from its clone in `dest`; any other keeps its sequence, as
    Snowflake's cloning page says."""
    old, new = _quoted(*source) + ".", _quoted(*dest) + "."
    return tuple(
        replace(c, default=new + c.default[len(old) :])
        if c.default is not None and c.default.startswith(old) and c.default.endswith(".NEXTVAL")
        else c
        for c in columns
    )


def repoint_copied(db: Db, source: str) -> None:
    """A database cloned by copying `source`'s file: defaults drawing from the source's
    sequences draw from the copy's (inside the copy's write transaction)."""
    for t in db.cat.all_tables():
        columns = repointed(t.columns, (source,), (db.name,))
        if columns != t.columns:
            db.cat.con.execute(
                f"UPDATE {db.cat.meta_schema}.tables SET columns = ? WHERE table_id = ?",
                [json.dumps([asdict(c) for c in columns]), t.table_id],
            )


def identity_of(db: Db, schema_id: int, default: str | None) -> str | None:
    """`IDENTITY START s INCREMENT i ORDER` for an identity column's default, else None."""
    if default is None or IDENTITY_PREFIX not in default:
        return None
    shown = shown_default(db, schema_id, default)
    return shown if shown != default else None
