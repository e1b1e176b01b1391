"""The function library both dialects share: MaxCompute's built-ins, which Snowflake also
accepts where it has no rule of its own (engine/snowflake/functions.py). Each rule turns one call
into DuckDB SQL: `rule(translator, call, args)`, the arguments translated on first use."""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError
from cloneshell.engine.core.translate import DATE_UNITS, FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast

# TO_CHAR / TO_DATE format elements, longest first (MaxCompute: yyyy mm dd hh mi ss ff3).
_FORMAT_ELEMENTS = [
    ("yyyy", "%Y"),
    ("ff3", "%g"),
    ("mm", "%m"),
    ("dd", "%d"),
    ("hh", "%H"),
    ("mi", "%M"),
    ("ss", "%S"),
]


def need(e: ast.FuncCall, args: LazyArgs, *counts: int) -> None:
    """Refuse a call with an argument count not in `counts`."""
    if len(args) not in counts:
        name = e.name.parts[0].name.lower()
        raise SemanticError(
            "semantic",
            e.span,
            message=f"function {name} takes {' or '.join(map(str, counts))} arguments, "
            f"{len(args)} given",
        )


def call(duck: str, count: int) -> FunctionRule:
    """The rule of a function that takes `count` arguments and is the DuckDB function (or
    macro) `duck` of the same arguments."""

    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        need(e, args, count)
        return f"{duck}({', '.join(args)})"

    return rule


def date_unit(e: ast.FuncCall, index: int) -> str:
    """A MaxCompute date unit given as a constant string (`'dd'`), in DuckDB's words."""
    arg = e.args[index]
    if not (isinstance(arg, ast.Literal) and arg.kind == "string"):
        raise SemanticError("semantic", arg.span, message="date unit must be a constant")
    unit = DATE_UNITS.get(str(arg.value).lower())
    if unit is None:
        raise SemanticError("semantic", arg.span, message=f"invalid date unit '{arg.value}'")
    return unit


def getdate(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # The session clock, not DuckDB's: demos and tests run at a controlled instant.
    need(e, args, 0)
    return f"CAST({t.param(t.now)} AS TIMESTAMP)"


def unix_timestamp(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 0, 1)
    target = args[0] if args else f"CAST({t.param(t.now)} AS TIMESTAMP)"
    return f"CAST(epoch({target}) AS BIGINT)"


def from_unixtime(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"CAST(to_timestamp({args[0]}) AS TIMESTAMP)"


def dateadd(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 3)
    unit = date_unit(e, 2)
    n = f"CAST({args[1]} AS BIGINT)"
    delta = f"to_months(3 * {n})" if unit == "quarter" else f"to_{unit}s({n})"
    return f"CAST(({args[0]} + {delta}) AS TIMESTAMP)"


def datediff(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # MaxCompute DATEDIFF(end, start, unit) = end - start (unit defaults to day).
    need(e, args, 2, 3)
    unit = date_unit(e, 2) if len(args) == 3 else "day"
    return f"date_diff('{unit}', CAST({args[1]} AS TIMESTAMP), CAST({args[0]} AS TIMESTAMP))"


def datetrunc(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    return f"CAST(date_trunc('{date_unit(e, 1)}', {args[0]}) AS TIMESTAMP)"


def datepart(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    return f"CAST(date_part('{date_unit(e, 1)}', {args[0]}) AS BIGINT)"


def _format(t: Translator, e: ast.FuncCall, index: int) -> str:
    arg = e.args[index]
    if not (isinstance(arg, ast.Literal) and arg.kind == "string"):
        raise SemanticError("semantic", arg.span, message="format must be a constant string")
    fmt = str(arg.value)
    out = ""
    i = 0
    while i < len(fmt):
        for element, strf in _FORMAT_ELEMENTS:
            if fmt[i : i + len(element)].lower() == element:
                out += strf
                i += len(element)
                break
        else:
            out += "%%" if fmt[i] == "%" else fmt[i]
            i += 1
    return t.param(out)


def to_char(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1, 2)
    if len(args) == 1:
        return f"CAST({args[0]} AS VARCHAR)"
    return f"strftime(CAST({args[0]} AS TIMESTAMP), {_format(t, e, 1)})"


def to_date(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1, 2)
    if len(args) == 1:
        return f"CAST({args[0]} AS DATE)"
    return f"CAST(strptime({args[0]}, {_format(t, e, 1)}) AS TIMESTAMP)"


def if_(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 3)
    return f"(CASE WHEN {args[0]} THEN {args[1]} ELSE {args[2]} END)"


def isnull(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"({args[0]} IS NULL)"


def wm_concat(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    distinct = "DISTINCT " if e.distinct else ""
    return f"string_agg({distinct}{args[1]}, {args[0]})"


def log(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # MaxCompute LOG(base, x); LOG(x) is the natural logarithm.
    need(e, args, 1, 2)
    return f"ln({args[0]})" if len(args) == 1 else f"(ln({args[1]}) / ln({args[0]}))"


def mod(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    return f"({args[0]} % {args[1]})"


def rand(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 0, 1)
    return "random()"


def left(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    return f"left({args[0]}, CAST({args[1]} AS BIGINT))"


def right(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    return f"right({args[0]}, CAST({args[1]} AS BIGINT))"


def split(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    return f"string_split({args[0]}, {args[1]})"


def array(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    return "[" + ", ".join(args) + "]"


FUNCTIONS: dict[str, FunctionRule] = {
    "getdate": getdate,
    "now": getdate,
    "current_timestamp": getdate,
    "sysdate": getdate,
    "unix_timestamp": unix_timestamp,
    "from_unixtime": from_unixtime,
    "dateadd": dateadd,
    "datediff": datediff,
    "datetrunc": datetrunc,
    "datepart": datepart,
    "to_char": to_char,
    "to_date": to_date,
    "if": if_,
    "isnull": isnull,
    "wm_concat": wm_concat,
    "log": log,
    "mod": mod,
    "rand": rand,
    "left": left,
    "right": right,
    "split": split,
    "array": array,
}
