"""MaxCompute views: CREATE [OR REPLACE] VIEW [IF NOT EXISTS] v [(col [COMMENT 'c'], ...)]
[COMMENT 'c'] AS query, DROP VIEW [IF EXISTS] v, ALTER VIEW v RENAME TO w, SHOW VIEWS, and a
view read in a query (DESC v shows `VirtualView: YES` and the text: tables.describe).

A view is a row of the tables catalog with kind `view` and no storage; its query text is in its
properties. Creating one needs CreateTable on the project and Select on what the query reads
(maxcompute.md §3: table actions apply to views too); reading one needs Select on the view
only: its query runs in the view's own project with the rights its creator was checked for.
SHOW TABLES lists views with the tables, as MaxCompute does.
"""

from __future__ import annotations

import contextvars
import fnmatch
from dataclasses import replace

from cloneshell.engine.core.catalog import ColumnMeta
from cloneshell.engine.core.errors import CatalogError, SemanticError, UnsupportedError
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.result import Status, Text
from cloneshell.engine.core.translate import Relation
from cloneshell.engine.maxcompute import catalog, types
from cloneshell.engine.maxcompute.context import MaxComputeContext, Target
from cloneshell.engine.maxcompute.handlers import tables
from cloneshell.grammar import ast
from cloneshell.grammar.parser import parse_statement

VIEW = "view"

# Views being expanded by this thread's statement (file, table id): a view reaching itself
# fails instead of recursing.
_EXPANDING: contextvars.ContextVar[frozenset[tuple[str, int]]] = contextvars.ContextVar(
    "mc_expanding_views", default=frozenset()
)


def _elsewhere(stmt: ast.Statement) -> UnsupportedError:
    """The other kinds of a statement MaxCompute runs only for views: refused as dispatch
    refuses Snowflake's statements."""
    return UnsupportedError(
        "unsupported",
        stmt.span,
        message=f"{type(stmt).__name__} is a Snowflake statement; switch with ALTER SESSION SET "
        "DIALECT = snowflake",
    )


def create_view(ctx: MaxComputeContext, stmt: ast.CreateView) -> Status:
    """CREATE [OR REPLACE] VIEW [IF NOT EXISTS] v [(cols)] [COMMENT 'c'] AS query."""
    target = ctx.resolve(stmt.name)
    tables.check_name(target.name, "table", stmt.name.span)
    tables.authorize_create(ctx, target)
    ok = Status(ctx.session.dialect.ok_message)
    existing = target.table
    if existing is not None:
        if stmt.if_not_exists:
            return ok
        if not stmt.or_replace:
            raise CatalogError("table_exists", stmt.name.span, name=target.display)
        if existing.kind != VIEW:
            raise SemanticError(
                "wrong_object_type", stmt.name.span, name=target.display, found="table",
                expected="view",
            )  # fmt: skip
        ctx.auth.require_table_action(target.info, target.cat, existing, "Drop")
    tr = ctx.translator()
    sql = tr.query(stmt.query)
    ctx.authorize_reads()
    described = ctx.session.warehouse.con.execute(
        f"SELECT * FROM ({sql}) AS __q LIMIT 0", tr.params
    ).description
    found = [(str(d[0]).lower(), str(d[1])) for d in described or ()]
    if stmt.columns and len(stmt.columns) != len(found):
        raise SemanticError(
            "semantic",
            stmt.name.span,
            message=f"view {target.display} has {len(stmt.columns)} column names but its query "
            f"returns {len(found)} columns",
        )
    columns = []
    for i, (name, duck) in enumerate(found):
        given = stmt.columns[i] if stmt.columns else None
        columns.append(
            ColumnMeta(
                name=tables.check_name(
                    ctx.fold(given.name) if given else name, "column", stmt.name.span
                ),
                type=types.from_duckdb(duck),
                duck_type=duck,
                comment=given.comment or "" if given else "",
            )
        )
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise SemanticError("semantic", stmt.name.span, message="duplicate column name in view")
    with ctx.write(target.info, target.cat, "CREATE VIEW") as version:
        if existing is not None:
            catalog.drop_table(target.cat, existing, version)
        meta = tables.new_table_meta(
            ctx,
            target,
            version,
            columns=tuple(columns),
            comment=stmt.comment or "",
            kind=VIEW,
            properties={"query": stmt.query_text},
        )
        target.cat.create_table(replace(meta, physical_name=""), with_storage=False)
    return ok


def relation(ctx: MaxComputeContext, target: Target, ref: ast.TableRef) -> Relation:
    """`FROM v`: the view's query, run in the view's project."""
    view = target.table
    assert view is not None
    key = (target.info.file, view.table_id)
    active = _EXPANDING.get()
    if key in active:
        raise SemanticError(
            "semantic", ref.name.span, message=f"view {target.display} refers to itself"
        )
    text = view.properties.get("query", "")
    stmt = parse_statement(text, "maxcompute")
    assert isinstance(stmt, ast.QueryStmt)
    token = _EXPANDING.set(active | {key})
    session = ctx.session
    try:
        with session.acting_as(session.role, target.info.name, session.schema):
            inner = ctx.derived(text)
            tr = inner.translator()
            sql = tr.query(stmt.query)
    finally:
        _EXPANDING.reset(token)
    names = ", ".join(quote_ident(c.name) for c in view.columns)
    return Relation(f"(SELECT * FROM ({sql}) AS __v({names}))", view.name, tuple(tr.params))


def drop_object(ctx: MaxComputeContext, stmt: ast.DropObject) -> Status:
    """DROP VIEW [IF EXISTS] v: needs Drop on the view. Other DROP kinds are Snowflake's."""
    if stmt.kind != "VIEW":
        raise _elsewhere(stmt)
    target = ctx.resolve(stmt.name)
    view = target.table
    if view is None:
        if stmt.if_exists:
            return Status(ctx.session.dialect.ok_message)
        raise CatalogError("table_not_found", stmt.name.span, name=target.display)
    if view.kind != VIEW:
        raise SemanticError(
            "wrong_object_type", stmt.name.span, name=target.display, found="table",
            expected="view",
        )  # fmt: skip
    ctx.auth.require_instance(target.info, target.cat)
    ctx.auth.require_table_action(target.info, target.cat, view, "Drop")
    with ctx.write(target.info, target.cat, "DROP VIEW") as version:
        catalog.drop_table(target.cat, view, version)
    return Status(ctx.session.dialect.ok_message)


def alter_rename(ctx: MaxComputeContext, stmt: ast.AlterRename) -> Status:
    """ALTER VIEW v RENAME TO w, ALTER TABLE t RENAME TO u (needs Alter on it; a new name in
    the same project, as MaxCompute renames)."""
    if stmt.kind not in ("VIEW", "TABLE"):
        raise _elsewhere(stmt)
    target = ctx.resolve(stmt.name)
    view = target.table
    if view is None:
        if stmt.if_exists:
            return Status(ctx.session.dialect.ok_message)
        raise CatalogError("table_not_found", stmt.name.span, name=target.display)
    if (view.kind == VIEW) != (stmt.kind == "VIEW"):
        raise SemanticError(
            "wrong_object_type", stmt.name.span, name=target.display,
            found="view" if view.kind == VIEW else "table", expected=stmt.kind.lower(),
        )  # fmt: skip
    if len(stmt.new_name.parts) != 1:
        raise SemanticError("semantic", stmt.new_name.span, message="RENAME TO takes a bare name")
    new = tables.check_name(ctx.fold(stmt.new_name.parts[0]), "table", stmt.new_name.span)
    if target.cat.get_table(target.schema, new) is not None:
        raise CatalogError("table_exists", stmt.new_name.span, name=f"{target.info.name}.{new}")
    ctx.auth.require_instance(target.info, target.cat)
    ctx.auth.require_table_action(target.info, target.cat, view, "Alter")
    with ctx.write(target.info, target.cat, f"RENAME {stmt.kind}"):
        target.cat.update_table(view.table_id, name=new, ddl_at=ctx.now)
    return Status(ctx.session.dialect.ok_message)


def show_views(ctx: MaxComputeContext, stmt: ast.ShowObjects) -> Text:
    """SHOW VIEWS [IN p] [LIKE 'pat']: `owner:name` lines as SHOW TABLES prints them."""
    if stmt.kind != "VIEWS":
        raise _elsewhere(stmt)
    if stmt.in_name is not None:
        info, cat = ctx.project(ctx.fold(stmt.in_name.parts[0]), stmt.in_name.span)
    else:
        info, cat = ctx.current_project(stmt.span)
    ctx.auth.require_project_action(info, cat, "List")
    views = [t for t in cat.list_tables(ctx.session.dialect.default_schema) if t.kind == VIEW]
    if stmt.like is not None:
        pattern = stmt.like.lower().replace("%", "*").replace("_", "?")
        views = [t for t in views if fnmatch.fnmatchcase(t.name, pattern)]
    return Text(tuple(f"{t.owner}:{t.name}" for t in views), ctx.statement_id)
