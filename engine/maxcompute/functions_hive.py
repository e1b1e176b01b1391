"""More of MaxCompute's built-in functions (date, string, math and complex-type families), as
rules merged into functions.FUNCTIONS: each follows its function page's NULL and type rules, and
the page's examples are tests (tests/engine/test_mc_functions_hive.py). A date argument may be a
DATETIME, DATE, TIMESTAMP or a STRING `yyyy-mm-dd[ hh:mi:ss]` (anything else gives NULL)."""

from __future__ import annotations

import zoneinfo
from datetime import UTC

from cloneshell.engine.core import functions as shared
from cloneshell.engine.core.errors import SemanticError
from cloneshell.engine.core.functions import need
from cloneshell.engine.core.quoting import quote_literal
from cloneshell.engine.core.translate import FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast

_DATE_TEXT = r"^\s*\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?)?\s*$"


def _dt(sql: str) -> str:
    """A date argument as a TIMESTAMP (NULL when it is text in no date format)."""
    text = f"CAST({sql} AS VARCHAR)"
    return (
        f"(CASE WHEN regexp_matches({text}, '{_DATE_TEXT}') THEN TRY_CAST({text} AS TIMESTAMP) END)"
    )


def _constant_word(e: ast.FuncCall, index: int, what: str) -> str:
    arg = e.args[index]
    if isinstance(arg, ast.Literal) and arg.kind == "string":
        return str(arg.value)
    if isinstance(arg, ast.ColumnRef) and len(arg.parts) == 1:  # EXTRACT(YEAR FROM x)
        return arg.parts[0].name
    raise SemanticError("semantic", arg.span, message=f"{what} must be a constant string")


# ---------------------------------------------------------------- date


def session_zone(t: Translator, e: ast.FuncCall) -> str | None:
    """The session's `odps.sql.timezone` (an IANA name), or None when not set: the time zone
    GETDATE and FROM_UNIXTIME show their DATETIME in."""
    name = t.env.flags.get("odps.sql.timezone", "").strip().strip("'\"")
    if not name:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise SemanticError(
            "semantic", e.span, message=f"invalid odps.sql.timezone '{name}'"
        ) from None
    return name


def getdate(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # GETDATE(): the session clock's instant as a DATETIME in odps.sql.timezone when it is set.
    zone = session_zone(t, e)
    if zone is None:
        return shared.getdate(t, e, args)
    need(e, args, 0)
    local = t.now.replace(tzinfo=UTC).astimezone(zoneinfo.ZoneInfo(zone)).replace(tzinfo=None)
    return f"CAST({t.param(local)} AS TIMESTAMP)"


def zoned(t: Translator, e: ast.FuncCall, instant: str) -> str:
    """A TIMESTAMP WITH TIME ZONE as the DATETIME the session shows (odps.sql.timezone)."""
    zone = session_zone(t, e)
    if zone is None:
        return f"CAST({instant} AS TIMESTAMP)"
    return f"timezone({quote_literal(zone)}, {instant})"


def _part(name: str) -> FunctionRule:
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        need(e, args, 1)
        return f"CAST({name}({_dt(args[0])}) AS BIGINT)"

    return rule


_EXTRACT_PARTS = {"year", "month", "day", "hour", "minute", "second"}


def extract(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # EXTRACT(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND FROM date): a BIGINT.
    need(e, args, 2)
    part = _constant_word(e, 0, "the part of EXTRACT").lower()
    if part not in _EXTRACT_PARTS:
        raise SemanticError(
            "semantic", e.args[0].span, message=f"EXTRACT cannot take the part {part.upper()}"
        )
    return f"CAST({part}({_dt(args[1])}) AS BIGINT)"


def months_between(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # MONTHS_BETWEEN(d1, d2): whole months when both days are the same or both are their
    # month's last day, else months + (day and time difference) / 31 days; a DOUBLE.
    need(e, args, 2)
    a, b = _dt(args[0]), _dt(args[1])
    months = f"((year({a}) - year({b})) * 12 + month({a}) - month({b}))"
    both_last = f"(day({a}) = day(last_day({a})) AND day({b}) = day(last_day({b})))"
    same_day = f"(day({a}) = day({b}) OR {both_last})"
    rest = (
        f"((day({a}) - day({b})) * 86400 + (epoch({a}) - epoch(date_trunc('day', {a})))"
        f" - (epoch({b}) - epoch(date_trunc('day', {b})))) / 2678400.0"
    )
    return f"(CASE WHEN {same_day} THEN CAST({months} AS DOUBLE) ELSE {months} + {rest} END)"


_WEEKDAYS = {"mo": 1, "tu": 2, "we": 3, "th": 4, "fr": 5, "sa": 6, "su": 7}


def next_day(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # NEXT_DAY(date, week): the first such weekday after the date ('MO', 'TUESDAY' …: its
    # first two letters), as a STRING yyyy-mm-dd.
    need(e, args, 2)
    word = _constant_word(e, 1, "the week of NEXT_DAY").strip().lower()
    target = _WEEKDAYS.get(word[:2])
    if target is None:
        raise SemanticError("semantic", e.args[1].span, message=f"invalid weekday '{word}'")
    d = _dt(args[0])
    ahead = f"CAST((({target} - isodow({d}) + 6) % 7) + 1 AS INTEGER)"
    return f"strftime({d} + to_days({ahead}), '%Y-%m-%d')"


# ---------------------------------------------------------------- strings


def translate(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # TRANSLATE(str, from, to): each character of `from` becomes the one at its position in
    # `to`, or goes when `to` is shorter; NULL if any argument is NULL.
    need(e, args, 3)
    return f"translate({args[0]}, {args[1]}, {args[2]})"


def url_decode(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # URL_DECODE(str[, 'UTF-8']): `+` is a space, %XX a byte of the UTF-8 text.
    need(e, args, 1, 2)
    return f"url_decode(replace(CAST({args[0]} AS VARCHAR), '+', ' '))"


# RFC 3986's URL pattern: 2 scheme, 4 authority, 5 path, 7 query, 9 fragment.
_URL = r"^(([^:/?#]+):)?(//([^/?#]*))?([^?#]*)(\?([^#]*))?(#(.*))?"
_URL_PARTS = {
    "PROTOCOL": "regexp_extract({u}, '{p}', 2)",
    "AUTHORITY": "regexp_extract({u}, '{p}', 4)",
    "HOST": "regexp_extract(regexp_extract({u}, '{p}', 4), '^([^@]*@)?([^:]*)', 2)",
    "USERINFO": "regexp_extract(regexp_extract({u}, '{p}', 4), '^([^@]*)@', 1)",
    "PATH": "regexp_extract({u}, '{p}', 5)",
    "FILE": "regexp_extract({u}, '^(([^:/?#]+):)?(//([^/?#]*))?([^#]*)', 5)",
    "QUERY": "regexp_extract({u}, '{p}', 7)",
    "REF": "regexp_extract({u}, '{p}', 9)",
}


def parse_url(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # PARSE_URL(url, part[, key]): HOST, PATH, QUERY (or the value of one key), REF, PROTOCOL,
    # AUTHORITY, FILE, USERINFO; NULL where the URL has no such part.
    need(e, args, 2, 3)
    part = _constant_word(e, 1, "the part of PARSE_URL").upper()
    if part not in _URL_PARTS:
        raise SemanticError(
            "semantic", e.args[1].span, message=f"invalid URL part '{part}': expected one of "
            + ", ".join(_URL_PARTS),
        )  # fmt: skip
    url = f"CAST({args[0]} AS VARCHAR)"
    sql = _URL_PARTS[part].format(u=url, p=_URL)
    if len(args) == 3:
        if part != "QUERY":
            raise SemanticError(
                "semantic", e.args[2].span, message="only the QUERY part of PARSE_URL takes a key"
            )
        key = f"regexp_escape(CAST({args[2]} AS VARCHAR))"
        sql = f"regexp_extract({sql}, '(^|&)' || {key} || '=([^&]*)', 2)"
    return f"NULLIF({sql}, '')"


def initcap(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # INITCAP(str): each blank-separated word with its first letter upper case, the rest lower.
    need(e, args, 1)
    words = f"string_split(lower(CAST({args[0]} AS VARCHAR)), ' ')"
    return f"array_to_string([upper(w[1]) || w[2:] for w in {words}], ' ')"


def char_matchcount(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # CHAR_MATCHCOUNT(str1, str2): how many characters of str1 occur in str2; NULL if either is.
    need(e, args, 2)
    chars = f"string_split(CAST({args[0]} AS VARCHAR), '')"
    return (
        f"(CASE WHEN ({args[0]}) IS NULL OR ({args[1]}) IS NULL THEN NULL ELSE "
        f"CAST(len([c for c in {chars} if contains(CAST({args[1]} AS VARCHAR), c)]) AS BIGINT)"
        " END)"
    )


def uuid(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # UUID(): a random UUID as a STRING.
    need(e, args, 0)
    return "CAST(uuid() AS VARCHAR)"


# ---------------------------------------------------------------- math


def _unary(sql: str) -> FunctionRule:
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        need(e, args, 1)
        return sql.format(x=args[0])

    return rule


def _niladic(sql: str) -> FunctionRule:
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        need(e, args, 0)
        return sql

    return rule


def factorial(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # FACTORIAL(n): n! for 0 <= n <= 20 (a BIGINT), else NULL.
    need(e, args, 1)
    n = f"CAST({args[0]} AS BIGINT)"
    return (
        f"(CASE WHEN {n} BETWEEN 0 AND 20 THEN CAST(factorial(CAST({n} AS INTEGER)) AS BIGINT) END)"
    )


def format_number(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # FORMAT_NUMBER(x, d): x rounded to d decimals with thousands separators, a STRING; NULL
    # for a negative d or any NULL.
    need(e, args, 2)
    d = f"CAST({args[1]} AS INTEGER)"
    return (
        f"(CASE WHEN {d} >= 0 THEN format('{{:,.' || {d} || 'f}}', CAST({args[0]} AS DOUBLE)) END)"
    )


def width_bucket(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # WIDTH_BUCKET(v, min, max, n): the bucket (1 … n) of v among n equal ones, 0 below min,
    # n + 1 at or above max; NULL if any argument is.
    need(e, args, 4)
    v, lo, hi, n = (args[i] for i in range(4))
    return (
        f"(CASE WHEN ({v}) IS NULL OR ({lo}) IS NULL OR ({hi}) IS NULL OR ({n}) IS NULL THEN NULL "
        f"WHEN {v} < {lo} THEN CAST(0 AS BIGINT) WHEN {v} >= {hi} THEN CAST({n} + 1 AS BIGINT) "
        f"ELSE CAST(floor(({v} - {lo}) / ({hi} - {lo}) * {n}) + 1 AS BIGINT) END)"
    )


# ---------------------------------------------------------------- arrays and maps


def _distinct(a: str) -> str:
    """A list's distinct elements in the order they first come (NULL kept once)."""
    return (
        f"[{a}[i] for i in range(1, len({a}) + 1) if list_position({a}[1:i - 1], {a}[i]) IS NULL]"
    )


def array_distinct(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_DISTINCT(a): each element once, in order; NULL for a NULL array.
    need(e, args, 1)
    return _distinct(args[0])


def array_union(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_UNION(a, b): the distinct elements of both, in order.
    need(e, args, 2)
    return _distinct(f"list_concat({args[0]}, {args[1]})")


def array_intersect(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_INTERSECT(a, b): the distinct elements of a that b holds.
    need(e, args, 2)
    kept = f"[x for x in {args[0]} if list_position({args[1]}, x) IS NOT NULL]"
    return f"(CASE WHEN ({args[1]}) IS NULL THEN NULL ELSE {_distinct(kept)} END)"


def array_except(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_EXCEPT(a, b): the distinct elements of a that b does not hold.
    need(e, args, 2)
    kept = f"[x for x in {args[0]} if list_position({args[1]}, x) IS NULL]"
    return f"(CASE WHEN ({args[1]}) IS NULL THEN NULL ELSE {_distinct(kept)} END)"


def array_join(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_JOIN(a, delimiter[, null_replacement]): the elements joined; NULLs left out, or
    # replaced.
    need(e, args, 2, 3)
    items = f"[CAST(x AS VARCHAR) for x in {args[0]}]"
    if len(args) == 3:
        items = f"[coalesce(CAST(x AS VARCHAR), {args[2]}) for x in {args[0]}]"
    return f"(CASE WHEN ({args[1]}) IS NULL THEN NULL ELSE array_to_string({items}, {args[1]}) END)"


def array_position(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_POSITION(a, x): the first position of x (from 1), 0 when absent; NULL if a or x is.
    need(e, args, 2)
    return (
        f"(CASE WHEN ({args[1]}) IS NULL THEN NULL ELSE "
        f"CAST(coalesce(list_position({args[0]}, {args[1]}), 0) AS BIGINT) END)"
    )


def array_remove(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_REMOVE(a, x): a without the elements equal to x; NULL if x is NULL.
    need(e, args, 2)
    return (
        f"(CASE WHEN ({args[1]}) IS NULL THEN NULL ELSE "
        f"[y for y in {args[0]} if y IS NULL OR y <> {args[1]}] END)"
    )


def slice_(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # SLICE(a, start, length): `length` elements from position `start` (from 1).
    need(e, args, 3)
    return f"list_slice({args[0]}, {args[1]}, {args[1]} + {args[2]} - 1)"


def _list(name: str, arity: int) -> FunctionRule:
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        need(e, args, arity)
        return f"{name}({', '.join(args[i] for i in range(arity))})"

    return rule


FUNCTIONS: dict[str, FunctionRule] = {
    "getdate": getdate,
    "now": getdate,
    "current_timestamp": getdate,
    "sysdate": getdate,
    "year": _part("year"),
    "month": _part("month"),
    "day": _part("day"),
    "dayofmonth": _part("day"),
    "hour": _part("hour"),
    "minute": _part("minute"),
    "second": _part("second"),
    "quarter": _part("quarter"),
    "extract": extract,
    "months_between": months_between,
    "next_day": next_day,
    "translate": translate,
    "url_decode": url_decode,
    "parse_url": parse_url,
    "initcap": initcap,
    "char_matchcount": char_matchcount,
    "uuid": uuid,
    "cot": _unary("cot({x})"),
    "degrees": _unary("degrees({x})"),
    "radians": _unary("radians({x})"),
    "cbrt": _unary("cbrt({x})"),
    "negative": _unary("(-({x}))"),
    "positive": _unary("({x})"),
    "hex": _unary("hex({x})"),
    "unhex": _unary("unhex(CAST({x} AS VARCHAR))"),
    "e": _niladic("exp(1)"),
    "pi": _niladic("pi()"),
    "factorial": factorial,
    "format_number": format_number,
    "width_bucket": width_bucket,
    "array_distinct": array_distinct,
    "array_union": array_union,
    "array_intersect": array_intersect,
    "array_except": array_except,
    "array_join": array_join,
    "array_position": array_position,
    "array_remove": array_remove,
    "array_max": _list("list_max", 1),
    "array_min": _list("list_min", 1),
    "slice": slice_,
    "map_concat": _list("map_concat", 2),
}
