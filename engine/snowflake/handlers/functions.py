"""Snowflake SQL user-defined functions: CREATE [OR REPLACE] [SECURE] FUNCTION … RETURNS type
[LANGUAGE SQL] AS 'expression or query', DROP FUNCTION f(types), DESC FUNCTION f(types), SHOW
[USER] FUNCTIONS, and their calls in queries.

A function is a schema object (objects.py, kind FUNCTION) named by its signature, `F(NUMBER,
VARCHAR)`, so overloads by argument types live side by side; its props keep the name, the
arguments and return type as written, and the body. A call that names no built-in function is
looked up here (the translator's user-function hook): the body is parsed as `CAST((body) AS
returns)` and each argument name in it is replaced by the call's argument cast to its declared
type, so the function runs inline, as part of the query. Calling one needs USAGE on it (its
owner has it), creating one CREATE FUNCTION on the schema. Other languages (JavaScript, Python,
Java, Scala), procedures and CALL fail as unsupported, naming what is missing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from cloneshell.engine.core.errors import (
    CatalogError,
    EngineError,
    SemanticError,
    UnsupportedError,
)
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.snowflake import ddl, listing, objects, types
from cloneshell.engine.snowflake.context import SnowflakeContext, Target
from cloneshell.engine.snowflake.objects import PipelineObject
from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.parser import parse

KIND: objects.Kind = "FUNCTION"

_SHOW_COLUMNS = (
    ("created_on", "TIMESTAMP_LTZ"),
    ("name", "TEXT"),
    ("schema_name", "TEXT"),
    ("is_builtin", "TEXT"),
    ("is_aggregate", "TEXT"),
    ("is_ansi", "TEXT"),
    ("min_num_arguments", "NUMBER"),
    ("max_num_arguments", "NUMBER"),
    ("arguments", "TEXT"),
    ("description", "TEXT"),
    ("catalog_name", "TEXT"),
    ("is_table_function", "TEXT"),
    ("valid_for_clustering", "TEXT"),
    ("is_secure", "TEXT"),
    ("is_external_function", "TEXT"),
    ("language", "TEXT"),
    ("is_memoizable", "TEXT"),
)


# ---------------------------------------------------------------------------- signatures


def _base_type(t: ast.TypeName) -> str:
    """An argument type as a signature shows it: the type without its length or precision
    (NUMBER, VARCHAR, TIMESTAMP_NTZ); structured types in full."""
    display = types.canonical(t)[0]
    if display.startswith(("ARRAY(", "OBJECT(", "MAP(")):
        return display
    return display.split("(", 1)[0]


def _signature(name: str, arg_types: list[str]) -> str:
    return f"{name}({', '.join(arg_types)})"


def _find(
    ctx: SnowflakeContext, qname: ast.QualifiedName, arg_types: tuple[ast.TypeName, ...], what: str
) -> tuple[Target, PipelineObject | None, str]:
    target = ctx.resolve(qname, what)
    signature = _signature(target.name, [_base_type(t) for t in arg_types])
    obj = objects.get(target.db.cat, KIND, target.schema.schema_id, signature)
    if obj is not None and not ctx.auth.has(target.db.cat, KIND, obj.object_id, obj.owner):
        obj = None
    return target, obj, signature


# ---------------------------------------------------------------------------- CREATE / DROP


def create_function(ctx: SnowflakeContext, stmt: ast.CreateFunction) -> Status:
    """CREATE [OR REPLACE] [SECURE] FUNCTION [IF NOT EXISTS] f(args) RETURNS type [LANGUAGE SQL]
    [properties] [COMMENT = '…'] AS 'body'."""
    if stmt.procedure:
        raise UnsupportedError("unsupported", stmt.span, message="CREATE PROCEDURE")
    language = stmt.language or "SQL"
    if language != "SQL":
        span = stmt.language_span or stmt.span
        raise UnsupportedError("unsupported", span, message=f"LANGUAGE {language} functions")
    if stmt.temporary:
        raise UnsupportedError("unsupported", stmt.span, message="TEMPORARY FUNCTION")
    if stmt.returns_table is not None or stmt.returns is None:
        raise UnsupportedError("unsupported", stmt.span, message="RETURNS TABLE (SQL UDTFs)")
    for o in stmt.options:
        raise SemanticError("invalid", o.span, message=f"invalid property '{o.key}' for 'FUNCTION'")
    ddl.exclusive(stmt.or_replace, stmt.if_not_exists, stmt.span)
    names = [ctx.fold(a.name) for a in stmt.args]
    for i, a in enumerate(stmt.args):
        if names[i] in names[:i]:
            raise SemanticError(
                "semantic", a.name.span, message=f"duplicate argument name '{names[i]}'"
            )
    target, existing, signature = _find(
        ctx, stmt.name, tuple(a.type for a in stmt.args), "CREATE FUNCTION"
    )
    ddl.check_name(target.name, stmt.name.span, "function name")
    s = target.schema
    ctx.auth.require(target.db.cat, "SCHEMA", s.schema_id, s.owner, ("CREATE FUNCTION",), s.name)
    if existing is not None and stmt.if_not_exists:
        return ddl.already_exists(ctx, target.name)
    if existing is not None and not stmt.or_replace:
        raise CatalogError("exists", stmt.name.span, name=signature)
    returns = _text(ctx, stmt.returns)
    props: dict[str, Any] = {
        "name": target.name,
        "args": [[n, _text(ctx, a.type)] for n, a in zip(names, stmt.args, strict=True)],
        "returns": returns,
        "body": stmt.body,
        "secure": stmt.secure,
        "properties": list(stmt.properties),
    }
    # The body must compile now, as Snowflake's does: with NULL arguments of the declared types.
    nulls = tuple(
        ast.Cast(span=stmt.span, expr=ast.Literal(span=stmt.span, value=None, kind="null"), type=t)
        for t in (a.type for a in stmt.args)
    )
    tr = ctx.translator()
    sql = tr.expr(_expanded(ctx, props, nulls, stmt.span))
    ctx.session.warehouse.con.execute(f"SELECT {sql} LIMIT 0", tr.params)
    comment = ddl.check_comment(stmt.comment, stmt.span)
    with ctx.write_db(target.db, "CREATE FUNCTION") as version:
        if existing is not None:
            objects.delete(target.db.cat, existing)
        objects.create(
            target.db.cat,
            PipelineObject(
                object_id=objects.next_id(target.db.cat),
                kind=KIND,
                schema_id=s.schema_id,
                name=signature,
                owner=ctx.session.role,
                comment=comment,
                created_at=ctx.now,
                created_version=version,
                altered_at=ctx.now,
                props=props,
            ),
        )
    return Status(f"Function {target.name} successfully created.", ctx.statement_id)


def _text(ctx: SnowflakeContext, t: ast.TypeName | None) -> str:
    """A type as written in the statement (kept, and parsed again where the function runs)."""
    assert t is not None and t.span is not None
    types.canonical(t)  # refuse a type Snowflake does not have
    return ctx.source[t.span.start : t.span.end]


def drop_function(ctx: SnowflakeContext, stmt: ast.DropFunction) -> Status:
    """DROP FUNCTION [IF EXISTS] f(type, …) (its owner only)."""
    if stmt.procedure:
        raise UnsupportedError("unsupported", stmt.span, message="DROP PROCEDURE")
    target, obj, signature = _find(ctx, stmt.name, stmt.arg_types, "DROP")
    if obj is None:
        if stmt.if_exists:
            return Status(
                f"Drop statement executed successfully ({target.name} already dropped).",
                ctx.statement_id,
            )
        raise CatalogError("object_not_found", stmt.name.span, name=signature)
    ctx.auth.require(target.db.cat, KIND, obj.object_id, obj.owner, ("OWNERSHIP",), target.name)
    with ctx.write_db(target.db, "DROP FUNCTION"):
        objects.delete(target.db.cat, obj)
    return Status(f"{target.name} successfully dropped.", ctx.statement_id)


def call(ctx: SnowflakeContext, stmt: ast.Call) -> Status:
    """CALL p(…): stored procedures are not emulated."""
    raise UnsupportedError("unsupported", stmt.span, message="CALL (stored procedures)")


# ---------------------------------------------------------------------------- SHOW / DESC


def _arguments(obj: PipelineObject) -> str:
    name = str(obj.name)
    returns = _base_returns(str(obj.prop("returns")))
    return f"{name} RETURN {returns}"


def _base_returns(text: str) -> str:
    t = _parsed_types((text,))[0]
    return _base_type(t)


def _row(db_name: str, schema: str, obj: PipelineObject) -> tuple[object, ...]:
    n = len(obj.prop("args", []))
    return (
        listing.aware(obj.created_at),
        obj.prop("name"),
        schema,
        "N",
        "N",
        "N",
        n,
        n,
        _arguments(obj),
        obj.comment or "user-defined function",
        db_name,
        "N",
        "N",
        "Y" if obj.prop("secure") else "N",
        "N",
        "SQL",
        "N",
    )


def show_functions(ctx: SnowflakeContext, stmt: ast.ShowObjects) -> Rows:
    """SHOW USER FUNCTIONS | SHOW FUNCTIONS [LIKE 'p'] [IN …]: the user-defined functions the
    role may see (SHOW FUNCTIONS: with SHOW PROCEDURES, procedures are not emulated, so those
    list none)."""
    rows: list[tuple[object, ...]] = []
    if stmt.kind in ("FUNCTIONS", "USER FUNCTIONS"):
        for db, only in listing.scope(ctx, stmt):
            schemas = [only] if only is not None else db.cat.list_schemas()
            for schema in sorted(schemas, key=lambda s: s.name):
                if not ctx.can_see_schema(db, schema):
                    continue
                for obj in objects.list_objects(db.cat, KIND, schema.schema_id):
                    if not ctx.auth.has(db.cat, KIND, obj.object_id, obj.owner):
                        continue
                    if listing.matches(str(obj.prop("name")), stmt.like, stmt.starts_with):
                        rows.append(_row(db.name, schema.name, obj))
    columns = tuple(Column(n, t) for n, t in _SHOW_COLUMNS)
    return Rows(columns, listing.limit(rows, stmt.limit), ctx.statement_id)


def describe_function(ctx: SnowflakeContext, stmt: ast.DescribeFunction) -> Rows:
    """DESC FUNCTION f(type, …): its signature, return type, language and body."""
    if stmt.procedure:
        raise UnsupportedError("unsupported", stmt.span, message="DESCRIBE PROCEDURE")
    _, obj, signature = _find(ctx, stmt.name, stmt.arg_types, "DESCRIBE")
    if obj is None:
        raise CatalogError("object_not_found", stmt.name.span, name=signature)
    args = ", ".join(f"{n} {_base_returns(t)}" for n, t in obj.prop("args", []))
    returned = types.canonical(_parsed_types((str(obj.prop("returns")),))[0])[0]
    rows: list[tuple[object, ...]] = [
        ("signature", f"({args})"),
        ("returns", returned),
        ("language", "SQL"),
        ("body", obj.prop("body")),
    ]
    return Rows((Column("property", "TEXT"), Column("value", "TEXT")), rows, ctx.statement_id)


# ---------------------------------------------------------------------------- calls


def expand(ctx: SnowflakeContext, call: ast.FuncCall) -> ast.Expr | None:
    """The user-defined function `call` names, expanded in place; None when it names none."""
    if len(call.name.parts) > 3 or call.star or call.over is not None:
        return None
    try:
        target = ctx.resolve(call.name, "SELECT")
    except EngineError:  # no such database or schema: no such function either
        return None
    found = [
        o
        for o in objects.list_objects(target.db.cat, KIND, target.schema.schema_id)
        if o.prop("name") == target.name
    ]
    visible = [o for o in found if ctx.auth.has(target.db.cat, KIND, o.object_id, o.owner)]
    if not visible:
        return None
    usable = [
        o for o in visible if ctx.auth.has(target.db.cat, KIND, o.object_id, o.owner, ("USAGE",))
    ]
    if not usable:
        raise CatalogError("object_not_found", call.name.span, name=target.fq)
    matching = [o for o in usable if len(o.prop("args", [])) == len(call.args)]
    if not matching:
        raise SemanticError("argument_types", call.span, name=target.name)
    obj = matching[0]
    return _expanded(ctx, obj.props, call.args, call.span)


def _expanded(
    ctx: SnowflakeContext, props: dict[str, Any], args: tuple[ast.Expr, ...], span: ast.Span
) -> ast.Expr:
    """The function's body with each argument name replaced by its argument (cast to its
    type), every node of the body placed at the call's span."""
    arg_types = _parsed_types(tuple(str(t) for _, t in props["args"]))
    mapping = {
        str(name): ast.Cast(span=span, expr=arg, type=t)
        for (name, _), arg, t in zip(props["args"], args, arg_types, strict=True)
    }
    try:
        body = _parsed_body(str(props["body"]), str(props["returns"]))
    except SemanticError as err:  # the body's error points at the call (or CREATE) in the text
        raise SemanticError("semantic", span, message=str(err.args_.get("message", ""))) from None
    result = _substitute(body, mapping, ctx, span)
    assert isinstance(result, ast.Expr)
    return result


@lru_cache(maxsize=256)
def _parsed_types(texts: tuple[str, ...]) -> tuple[ast.TypeName, ...]:
    if not texts:
        return ()
    casts = ", ".join(f"CAST(NULL AS {t})" for t in texts)
    (stmt,) = parse(f"SELECT {casts}", "snowflake")
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    out = []
    for item in stmt.query.body.items:
        assert isinstance(item.expr, ast.Cast)
        out.append(item.expr.type)
    return tuple(out)


@lru_cache(maxsize=256)
def _parsed_body(body: str, returns: str) -> ast.Expr:
    """`CAST((body) AS returns)` parsed; a body that is not one expression or query is a
    compilation error of the function."""
    try:
        stmts = parse(f"SELECT CAST(({body}\n) AS {returns})", "snowflake")
    except CloneshellError as err:
        raise SemanticError(
            "semantic", None, message=f"invalid SQL function body: {err.message}"
        ) from None
    (stmt,) = stmts
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    return stmt.query.body.items[0].expr


def _substitute(
    node: object, mapping: Mapping[str, ast.Expr], ctx: SnowflakeContext, span: ast.Span
) -> object:
    if isinstance(node, ast.ColumnRef) and len(node.parts) == 1:
        found = mapping.get(ctx.fold(node.parts[0]))
        if found is not None:
            return found
    if isinstance(node, ast.Node):
        changes: dict[str, object] = {"span": span}
        for f in dataclasses.fields(node):
            if f.name == "span":
                continue
            value = getattr(node, f.name)
            new = _substitute(value, mapping, ctx, span)
            if new is not value:
                changes[f.name] = new
        return dataclasses.replace(node, **changes)  # type: ignore[arg-type]
    if isinstance(node, tuple):
        items = tuple(_substitute(v, mapping, ctx, span) for v in node)
        return items if any(a is not b for a, b in zip(items, node, strict=True)) else node
    return node
