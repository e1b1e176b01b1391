"""Snowflake views: CREATE [OR REPLACE] [SECURE] VIEW, DROP VIEW, SHOW VIEWS, DESC VIEW, and a
view read in a query.

A view is a row of the tables catalog with kind `view`, no storage, its query text in its
properties (reference/snowflake.md §1.6, [CC]). It shares the tables' namespace, their grants
(SELECT on the view) and their rename. Reading it runs its query with the owner's rights, in the
view's own database and schema (snowflake.md §6: a view resolves in its own schema, never the
session's): the reader needs SELECT on the view only. A clone copies the row unchanged, so a
name the query qualified keeps pointing at the source, as Snowflake's clone docs show. Views
have no Time Travel and no UNDROP in Snowflake: a drop removes the view at once.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from cloneshell.engine.core.catalog import ColumnMeta, TableMeta
from cloneshell.engine.core.context import Db
from cloneshell.engine.core.errors import CatalogError, SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.snowflake import catalog, ddl, listing, tableoptions, tags, temporary, types
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.grammar import ast
from cloneshell.grammar.parser import parse_statement

VIEW = "view"
# A materialized view is kept as a view (its reads compute the same rows), marked so.
MATERIALIZED = "materialized"

# The views being expanded by this thread's statement, by (file, table id): a view whose
# query reaches itself (through OR REPLACE) fails instead of recursing forever.
_EXPANDING: contextvars.ContextVar[frozenset[tuple[str, int]]] = contextvars.ContextVar(
    "expanding_views", default=frozenset()
)

_SHOW_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("name", "TEXT"),
    ("reserved", "TEXT"),
    ("database_name", "TEXT"),
    ("schema_name", "TEXT"),
    ("owner", "TEXT"),
    ("comment", "TEXT"),
    ("text", "TEXT"),
    ("is_secure", "TEXT"),
    ("is_materialized", "TEXT"),
    ("owner_role_type", "TEXT"),
    ("change_tracking", "TEXT"),
)


def is_view(t: TableMeta | None) -> bool:
    """True for a view's catalog row."""
    return t is not None and t.kind == VIEW


def wrong_type(name: ast.QualifiedName, found: str, expected: str) -> SemanticError:
    """`002203 Object found is of type 'VIEW', not specified type 'TABLE'.`"""
    return SemanticError("wrong_object_type", name.span, found=found, expected=expected)


def require_kind(target: Target, qname: ast.QualifiedName, kind: str) -> TableMeta:
    """The existing table or view `target` names, which must be of `kind` ("TABLE"/"VIEW")."""
    t = target.table
    if t is None:
        raise CatalogError("object_not_found", qname.span, name=target.fq)
    found = "VIEW" if is_view(t) else "TABLE"
    if found != kind:
        raise wrong_type(qname, found, kind)
    return t


# ---------------------------------------------------------------------------- CREATE VIEW


def create_view(ctx: SnowflakeContext, stmt: ast.CreateView) -> Status:
    """CREATE [OR REPLACE] [SECURE] [TEMPORARY] VIEW [IF NOT EXISTS] v [(cols)] [COPY GRANTS]
    [COMMENT = 'c'] AS query (a temporary view is this session's only: temporary.py). The
    query is checked (and its columns found) as the creating role reads it."""
    ddl.exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    target = ctx.resolve(stmt.name, "CREATE VIEW")
    ddl.check_name(target.name, stmt.name.span, "view name")
    s = target.schema
    ctx.auth.require(target.db.cat, "SCHEMA", s.schema_id, s.owner, ("CREATE VIEW",), s.name)
    existing = temporary.same_scope(target.db.cat, s.schema_id, target.name, stmt.temporary)
    if existing is not None and not is_view(existing) and stmt.or_replace:
        raise wrong_type(stmt.name, "TABLE", "VIEW")
    owner = existing.owner if existing else ""
    found = ddl.claim_name(
        ctx, existing, owner, "view", target.name, stmt.if_not_exists, stmt.or_replace, stmt.span
    )
    if found == "exists":
        return ddl.already_exists(ctx, target.name)
    comment = ddl.check_comment(stmt.comment, stmt.span)
    tableoptions.refuse_policies(stmt.policies)
    options = tableoptions.properties(stmt.options)
    tagged = tags.encode(tags.checked(ctx, stmt.tags), {})
    columns = _columns(ctx, target, stmt)
    with ctx.write_db(target.db, "CREATE VIEW") as version:
        grants: list[catalog.Grant] = []
        if isinstance(found, TableMeta):
            if stmt.copy_grants:
                grants = catalog.grants_on(target.db.cat, "TABLE", found.table_id)
            catalog.forget_table(target.db.cat, found)
        meta = replace(
            ddl.new_table(ctx, target, version, columns=columns, comment=comment),
            kind=VIEW,
            physical_name="",
            properties={
                "query": stmt.query_text,
                "text": ctx.source[stmt.span.start : stmt.span.end] if stmt.span else "",
                "secure": "true" if stmt.secure else "false",
                **(temporary.mark(ctx, target) if stmt.temporary else {}),
                **({MATERIALIZED: "true"} if stmt.materialized else {}),
                **options,
                **tagged,
            },
        )
        target.db.cat.create_table(meta, with_storage=False)
        for g in grants:
            if g.privilege != "OWNERSHIP":
                catalog.grant(target.db.cat, replace(g, object_id=meta.table_id))
    return Status(f"View {target.name} successfully created.", ctx.statement_id)


def _columns(ctx: SnowflakeContext, target: Target, stmt: ast.CreateView) -> tuple[ColumnMeta, ...]:
    tr = ctx.translator()
    sql = tr.query(stmt.query)
    described = ctx.session.warehouse.con.execute(
        f"SELECT * FROM ({sql}) AS __q LIMIT 0", tr.params
    ).description
    found = [(str(d[0]), str(d[1])) for d in described or ()]
    if stmt.columns and len(stmt.columns) != len(found):
        raise SemanticError(
            "semantic",
            stmt.name.span,
            message=f"View definition for '{target.fq}' declared {len(stmt.columns)} column(s),"
            f" but view query produces {len(found)} column(s).",
        )
    names = [ddl.check_name(ctx.fold(c.name), c.name.span, "column name") for c in stmt.columns]
    comments = [ddl.check_comment(c.comment, c.span) for c in stmt.columns]
    columns = []
    for i, (name, duck) in enumerate(found):
        columns.append(
            ColumnMeta(
                name=names[i] if names else name,
                type=types.from_duckdb(duck),
                duck_type=duck,
                comment=comments[i] if comments else "",
            )
        )
    seen: set[str] = set()
    for c in columns:
        if c.name in seen:
            raise SemanticError(
                "semantic", stmt.name.span, message=f"duplicate column name '{c.name}'"
            )
        seen.add(c.name)
    return tuple(columns)


# ---------------------------------------------------------------------------- reading


@contextmanager
def _expanding(key: tuple[str, int], span: ast.Span | None, fq: str) -> Iterator[None]:
    active = _EXPANDING.get()
    if key in active:
        raise SemanticError("semantic", span, message=f"view '{fq}' refers to itself")
    token = _EXPANDING.set(active | {key})
    try:
        yield
    finally:
        _EXPANDING.reset(token)


def relation(ctx: SnowflakeContext, target: Target, ref: ast.TableRef) -> Relation:
    """`FROM v`: SELECT on the view, then its query run as its owner in its own schema."""
    view = target.table
    assert view is not None
    ctx.require_table_privilege(target, "SELECT")
    if ref.time_travel is not None:
        raise UnsupportedError(
            "unsupported", ref.time_travel.span, message="Time Travel (AT | BEFORE) on a view"
        )
    text = view.properties.get("query", "")
    stmt = parse_statement(text, "snowflake")
    assert isinstance(stmt, ast.QueryStmt)
    with (
        _expanding((target.db.info.file, view.table_id), ref.name.span, target.fq),
        ctx.acting_as(view.owner, target.db.name, target.schema.name, text) as inner,
    ):
        tr = inner.translator()
        sql = tr.query(stmt.query)
        ctx.streams_read.extend(inner.streams_read)
    names = ", ".join(quote_ident(c.name) for c in view.columns)
    return Relation(f"(SELECT * FROM ({sql}) AS __v({names}))", view.name, tuple(tr.params))


# ---------------------------------------------------------------------------- DROP, SHOW, DESC


def drop_view(ctx: SnowflakeContext, stmt: ast.DropObject) -> Status:
    """DROP VIEW [IF EXISTS] v: OWNERSHIP; gone at once (no UNDROP for views)."""
    target = ctx.resolve(stmt.name, "DROP")
    if target.table is None and stmt.if_exists:
        return Status(
            f"Drop statement executed successfully ({target.name} already dropped).",
            ctx.statement_id,
        )
    view = require_kind(target, stmt.name, "VIEW")
    ctx.auth.require_owner(view.owner, "view", view.name)
    with ctx.write_db(target.db, "DROP VIEW"):
        catalog.forget_table(target.db.cat, view)
    return Status(f"{view.name} successfully dropped.", ctx.statement_id)


def show_views(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    """SHOW [TERSE] VIEWS [LIKE 'p'] [IN …] [STARTS WITH 's'] [LIMIT n]."""
    spec: tuple[tuple[str, str], ...] = _SHOW_COLUMNS
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
        schemas = [only] if only is not None else db.cat.list_schemas()
        for schema in sorted(schemas, key=lambda s: s.name):
            if not ctx.can_see_schema(db, schema):
                continue
            for t in db.cat.tables_of_schema(schema.schema_id):
                if not is_view(t) or not ctx.can_see_table(db, t):
                    continue
                if not listing.matches(t.name, stmt.like, stmt.starts_with):
                    continue
                rows.append(_show_row(ctx, db, schema.name, t, stmt.terse))
    columns = tuple(Column(n, t) for n, t in spec)
    return Rows(columns, listing.limit(rows, stmt.limit), ctx.statement_id)


def _show_row(
    ctx: SnowflakeContext, db: Db, schema: str, t: TableMeta, terse: bool
) -> tuple[object, ...]:
    created = listing.aware(t.created_at)
    if terse:
        return (created, t.name, "VIEW", db.name, schema)
    secure = t.properties.get("secure") == "true"
    # A secure view's text is shown to its owner only (Snowflake's secure views).
    text = t.properties.get("text", "") if not secure or ctx.auth.owns(t.owner) else ""
    return (
        created,
        t.name,
        "",
        db.name,
        schema,
        t.owner,
        t.comment,
        text,
        "true" if secure else "false",
        "true" if t.properties.get(MATERIALIZED) == "true" else "false",
        "ROLE",
        "ON" if t.properties.get(tableoptions.CHANGE_TRACKING) == "true" else "OFF",
    )
