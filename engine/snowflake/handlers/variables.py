"""Snowflake's session-variable statements: `SET x = e`, `SET (a, b) = (e1, e2)`, `UNSET` and
SHOW VARIABLES (engine/snowflake/variables.py reads `$x` in expressions).
"""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.snowflake import ddl, listing
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.grammar import ast
from cloneshell.grammar.errors import SqlSyntaxError
from cloneshell.grammar.parser import parse_statement

# Snowflake caps a variable's value at 256 bytes of text (its usage notes).
MAX_VALUE_BYTES = 256


def set_one(ctx: SnowflakeContext, stmt: ast.SetStmt) -> Status:
    """`SET x = e` (the value arrives as text: it is read here as an expression)."""
    start = ctx.source.find(stmt.value, stmt.span.start) if stmt.span else -1
    try:
        select = parse_statement(f"SELECT {stmt.value}", "snowflake")
    except SqlSyntaxError as err:
        # Point into the statement: the value's own text starts after `SELECT `.
        at = max(start, 0) + max((err.span.start if err.span else 7) - 7, 0)
        raise SqlSyntaxError(err.message, _point(ctx, at), err.token) from None
    assert isinstance(select, ast.QueryStmt)
    body = select.query.body
    if not isinstance(body, ast.Select) or len(body.items) != 1 or body.from_ is not None:
        raise SemanticError("semantic", stmt.span, message="SET takes one expression per variable")
    name = ctx.fold(ast.Ident(name=stmt.key))
    _assign(ctx, [(name, body.items[0].expr)])
    return ddl.ok(ctx)


def _point(ctx: SnowflakeContext, at: int) -> ast.Span:
    line = ctx.source.count("\n", 0, at) + 1
    column = at - (ctx.source.rfind("\n", 0, at) + 1) + 1
    return ast.Span.point(at, line, column)


def set_many(ctx: SnowflakeContext, stmt: ast.SetVariables) -> Status:
    """`SET (a, b) = (e1, e2)`."""
    if len(stmt.names) != len(stmt.values):
        raise SemanticError(
            "semantic",
            stmt.span,
            message=f"SET assigns {len(stmt.values)} value(s) to {len(stmt.names)} variable(s)",
        )
    _assign(ctx, [(ctx.fold(n), v) for n, v in zip(stmt.names, stmt.values, strict=True)])
    return ddl.ok(ctx)


def _assign(ctx: SnowflakeContext, pairs: list[tuple[str, ast.Expr]]) -> None:
    """Evaluate every value first, then set them all (a failing one sets none)."""
    values: dict[str, tuple[object, str]] = {}
    for name, expr in pairs:
        tr = ctx.translator()
        sql = tr.expr(expr)
        cur = ctx.session.warehouse.con.execute(f"SELECT {sql}", tr.params)
        row = cur.fetchone()
        duck = str(cur.description[0][1]) if cur.description else "VARCHAR"
        value = row[0] if row else None
        if len(str(value).encode()) > MAX_VALUE_BYTES:
            raise SemanticError(
                "limit",
                expr.span,
                message=f"Assignment to '{name}' not done because value exceeds size limit for "
                f"variables. Its size is {len(str(value).encode())}; the limit is "
                f"{MAX_VALUE_BYTES} (internal storage size in bytes).",
            )
        values[name] = (value, duck)
    ctx.session.variables.update(values)


def unset(ctx: SnowflakeContext, stmt: ast.UnsetVariables) -> Status:
    """`UNSET x` / `UNSET (a, b)`: each must exist."""
    names = [ctx.fold(n) for n in stmt.names]
    for n, ident in zip(names, stmt.names, strict=True):
        if n not in ctx.session.variables:
            raise SemanticError(
                "semantic", ident.span, message=f"Session variable '${n}' does not exist"
            )
    for n in names:
        del ctx.session.variables[n]
    return ddl.ok(ctx)


_SHOW = (
    ("session_id", "NUMBER"),
    ("created_on", "TIMESTAMP_LTZ"),
    ("updated_on", "TIMESTAMP_LTZ"),
    ("name", "TEXT"),
    ("value", "TEXT"),
    ("type", "TEXT"),
    ("comment", "TEXT"),
)


def show(ctx: SnowflakeContext, stmt: ast.ShowVariables) -> Rows:
    """SHOW VARIABLES [LIKE 'p']: one row per variable, by name."""
    rows: list[tuple[object, ...]] = []
    for name, (value, duck) in sorted(ctx.session.variables.items()):
        if not listing.matches(name, stmt.like, None):
            continue
        rows.append((0, None, None, name, _text(value), _kind(duck), ""))
    return Rows(tuple(Column(n, t) for n, t in _SHOW), rows, ctx.statement_id)


def _text(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _kind(duck: str) -> str:
    """SHOW VARIABLES' type column, as Snowflake names value types."""
    d = duck.upper()
    if d.startswith(("DECIMAL", "INTEGER", "BIGINT", "HUGEINT", "SMALLINT", "TINYINT")):
        return "fixed"
    if d in ("DOUBLE", "FLOAT", "REAL"):
        return "real"
    if d == "BOOLEAN":
        return "boolean"
    if d == "DATE":
        return "date"
    if d.startswith("TIMESTAMP"):
        return "timestamp_tz" if "TIME ZONE" in d else "timestamp_ntz"
    return "text"
