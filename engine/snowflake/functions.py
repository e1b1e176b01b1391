"""Snowflake's function rules (names Snowflake gives its own semantics: DATEADD(part, n, x),
IFF, the context functions ...); every other name falls back to the shared library
(engine/core/functions.py). Each rule turns one call into DuckDB SQL."""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError
from cloneshell.engine.core.functions import need
from cloneshell.engine.core.translate import FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast

# Snowflake date and time parts (docs: "Supported date and time parts"), a common subset.
_PARTS = {
    "year": "year",
    "y": "year",
    "yy": "year",
    "yyyy": "year",
    "years": "year",
    "quarter": "quarter",
    "q": "quarter",
    "month": "month",
    "mm": "month",
    "mon": "month",
    "months": "month",
    "week": "week",
    "w": "week",
    "wk": "week",
    "day": "day",
    "d": "day",
    "dd": "day",
    "days": "day",
    "hour": "hour",
    "h": "hour",
    "hh": "hour",
    "hours": "hour",
    "minute": "minute",
    "m": "minute",
    "mi": "minute",
    "min": "minute",
    "minutes": "minute",
    "second": "second",
    "s": "second",
    "sec": "second",
    "seconds": "second",
    "millisecond": "millisecond",
    "ms": "millisecond",
    "milliseconds": "millisecond",
}

# Context functions Snowflake accepts without parentheses.
NILADIC = frozenset(
    {"current_timestamp", "current_date", "current_time", "localtimestamp", "current_user"}
)


def _date_part(e: ast.FuncCall, index: int) -> str:
    """A date part given as a bare word (`minute`) or a string ('minute')."""
    arg = e.args[index]
    word: str | None = None
    if isinstance(arg, ast.ColumnRef) and len(arg.parts) == 1:
        word = arg.parts[0].name
    elif isinstance(arg, ast.Literal) and arg.kind == "string":
        word = str(arg.value)
    unit = _PARTS.get(word.lower()) if word is not None else None
    if unit is None:
        raise SemanticError("semantic", arg.span, message=f"invalid date part {word or ''}")
    return unit


def dateadd(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 3)
    unit = _date_part(e, 0)
    n = f"CAST({args[1]} AS BIGINT)"
    delta = f"to_months(3 * {n})" if unit == "quarter" else f"to_{unit}s({n})"
    return f"({args[2]} + {delta})"


def datediff(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 3)
    unit = _date_part(e, 0)
    return f"date_diff('{unit}', {args[1]}, {args[2]})"


def date_trunc(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    return f"date_trunc('{_date_part(e, 0)}', {args[1]})"


def current_timestamp(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # The session clock (UTC), not DuckDB's: demos and tests run at a controlled instant.
    return f"CAST({t.param(t.now)} AS TIMESTAMP)"


def current_date(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    return f"CAST({t.param(t.now)} AS DATE)"


def current_time(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    return f"CAST({t.param(t.now)} AS TIME)"


def to_timestamp(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    a = args[0]
    # Numbers are seconds since the epoch; anything else is cast.
    return (
        f"(CASE WHEN typeof({a}) IN ('VARCHAR') THEN CAST(CAST({a} AS VARCHAR) AS TIMESTAMP) "
        f"ELSE CAST({a} AS TIMESTAMP) END)"
        if not _is_number(e.args[0])
        else f"CAST(to_timestamp(CAST({a} AS DOUBLE)) AS TIMESTAMP)"
    )


def to_date(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"CAST({args[0]} AS DATE)"


def to_varchar(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"CAST({args[0]} AS VARCHAR)"


def to_number(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1, 2, 3)
    p = _int_arg(e, 1, 38)
    s = _int_arg(e, 2, 0)
    return f"CAST({args[0]} AS DECIMAL({p},{s}))"


def iff(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 3)
    return f"(CASE WHEN {args[0]} THEN {args[1]} ELSE {args[2]} END)"


def nvl2(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 3)
    return f"(CASE WHEN {args[0]} IS NOT NULL THEN {args[1]} ELSE {args[2]} END)"


def zeroifnull(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"coalesce({args[0]}, 0)"


def nullifzero(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"nullif({args[0]}, 0)"


def div0(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    return f"(CASE WHEN {args[1]} = 0 THEN 0 ELSE {args[0]} / {args[1]} END)"


def count_if(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"count_if({args[0]})"


def last_query_id(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # LAST_QUERY_ID([n]): -1 (default) is the latest query of the session, negative counts
    # back, positive counts from the first (snowflake.md §4.5); out of range is NULL.
    need(e, args, 0, 1)
    n = _int_arg(e, 0, -1)
    ids = t.env.query_ids
    index = len(ids) + n if n < 0 else n - 1
    value = ids[index] if 0 <= index < len(ids) and n != 0 else None
    return "CAST(NULL AS VARCHAR)" if value is None else f"CAST({t.param(value)} AS VARCHAR)"


def _context_value(t: Translator, value: str | None) -> str:
    return "CAST(NULL AS VARCHAR)" if value is None else f"CAST({t.param(value)} AS VARCHAR)"


def current_database(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    return _context_value(t, t.env.database)


def current_schema(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    return _context_value(t, t.env.schema)


def current_role(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    return _context_value(t, t.env.role)


def current_user(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    return _context_value(t, t.env.user)


def current_warehouse(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    return _context_value(t, None)


def _is_number(e: ast.Expr) -> bool:
    if isinstance(e, ast.UnaryOp) and e.op in ("-", "+"):
        return _is_number(e.operand)
    return isinstance(e, ast.Literal) and e.kind in ("integer", "decimal", "float")


def _int_arg(e: ast.FuncCall, index: int, default: int) -> int:
    """A constant integer argument (`-2` included), or `default` when absent."""
    if index >= len(e.args):
        return default
    arg = e.args[index]
    sign = 1
    if isinstance(arg, ast.UnaryOp) and arg.op in ("-", "+"):
        sign = -1 if arg.op == "-" else 1
        arg = arg.operand
    if isinstance(arg, ast.Literal) and arg.kind == "integer":
        return sign * int(str(arg.value))
    raise SemanticError("semantic", arg.span, message="argument must be a constant integer")


FUNCTIONS: dict[str, FunctionRule] = {
    "dateadd": dateadd,
    "timeadd": dateadd,
    "timestampadd": dateadd,
    "datediff": datediff,
    "timediff": datediff,
    "timestampdiff": datediff,
    "date_trunc": date_trunc,
    "current_timestamp": current_timestamp,
    "localtimestamp": current_timestamp,
    "sysdate": current_timestamp,
    "getdate": current_timestamp,
    "systimestamp": current_timestamp,
    "current_date": current_date,
    "current_time": current_time,
    "to_timestamp": to_timestamp,
    "to_timestamp_ntz": to_timestamp,
    "to_timestamp_ltz": to_timestamp,
    "to_timestamp_tz": to_timestamp,
    "to_date": to_date,
    "date": to_date,
    "to_varchar": to_varchar,
    "to_char": to_varchar,
    "to_number": to_number,
    "to_decimal": to_number,
    "to_numeric": to_number,
    "iff": iff,
    "nvl2": nvl2,
    "zeroifnull": zeroifnull,
    "nullifzero": nullifzero,
    "div0": div0,
    "count_if": count_if,
    "last_query_id": last_query_id,
    "current_database": current_database,
    "current_schema": current_schema,
    "current_role": current_role,
    "current_user": current_user,
    "current_warehouse": current_warehouse,
}
