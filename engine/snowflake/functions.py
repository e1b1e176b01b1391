"""Snowflake's function rules (names Snowflake gives its own semantics: DATEADD(part, n, x),
IFF, the context functions ...); every other name falls back to the shared library
(engine/core/functions.py). Each rule turns one call into DuckDB SQL."""

from __future__ import annotations

import dataclasses

from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.functions import need
from cloneshell.engine.core.translate import (
    AggregateRule,
    ExpressionRule,
    FunctionRule,
    LazyArgs,
    Translator,
)
from cloneshell.engine.snowflake import dateparts, epoch, regex, semi, transpile
from cloneshell.grammar import ast

# Names of the shared library (MaxCompute's, Hive's, DuckDB's) that Snowflake's function
# reference does not list: Snowflake answers 002140 Unknown function for each
# (tests/engine/test_sf_function_names.py checks every name left against the reference).
_NOT_SNOWFLAKE = """approx_distinct arg_max arg_min array bool_and bool_or ceiling char_length
    collect_list datepart datetrunc from_unixtime if instr isnull lengthb log10 log2 now rand
    regexp_extract size tolower toupper unix_timestamp wm_concat"""
NOT_SNOWFLAKE = frozenset(_NOT_SNOWFLAKE.split())

# Context functions Snowflake accepts without parentheses.
NILADIC = frozenset(
    {"current_timestamp", "current_date", "current_time", "localtimestamp", "current_user"}
)


def _date_part(e: ast.FuncCall, index: int, allowed: frozenset[str] | None = None) -> str:
    """A date part given as a bare word (`minute`) or a string ('minute'), canonical."""
    return dateparts.part(e.args[index], allowed)


def _temporal(e: ast.FuncCall, args: LazyArgs, index: int, target: str = "TIMESTAMP") -> str:
    """Argument `index` as a date/time value: a string constant is cast (Snowflake converts it
    implicitly), anything else is taken as it is."""
    arg = e.args[index]
    if isinstance(arg, ast.Literal) and arg.kind in ("string", "null"):
        return f"CAST({args[index]} AS {target})"
    return args[index]


def dateadd(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # A DATE plus days, weeks, months, quarters or years stays a DATE (Snowflake DATEADD docs).
    need(e, args, 3)
    unit = _date_part(e, 0, dateparts.INTERVAL_PARTS)
    n = f"CAST({args[1]} AS BIGINT)"
    if unit in _DATE_UNITS:
        # core/macros.py: keeps a DATE a DATE, a DATE column included.
        return f"cs_sf_dateadd({_temporal(e, args, 2)}, {dateparts.interval(unit, n)})"
    return f"({_temporal(e, args, 2)} + {dateparts.interval(unit, n)})"


# Units that keep a DATE a DATE.
_DATE_UNITS = frozenset({"year", "quarter", "month", "week", "day"})
# Calls whose value is a DATE whatever their arguments.
_DATE_FUNCTIONS = frozenset(
    {"to_date", "date", "try_to_date", "current_date", "date_from_parts", "datefromparts"}
)


def is_date(e: ast.Expr) -> bool:
    """Is `e` a DATE by its form (a DATE literal or cast, a DATE function, DATEADD of a DATE by
    a date unit)? Column types are not known here: a DATE column gives False."""
    if isinstance(e, ast.Literal):
        return e.kind == "date"
    if isinstance(e, ast.Cast):
        return " ".join(e.type.name.lower().split()) == "date"
    if isinstance(e, ast.FuncCall) and len(e.name.parts) == 1:
        name = e.name.parts[0].name.lower()
        if name in _DATE_FUNCTIONS:
            return True
        if name in ("dateadd", "add_months", "date_trunc") and len(e.args) >= 2:
            return is_date(e.args[-1] if name != "add_months" else e.args[0])
        return False
    if isinstance(e, ast.ColumnRef) and len(e.parts) == 1 and not e.parts[0].quoted:
        return e.parts[0].name.lower() == "current_date"
    return False


def add_months(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # The last day of a month maps to the last day of the result month (ADD_MONTHS docs).
    need(e, args, 2)
    x = _temporal(e, args, 0, "DATE" if _date_text(e.args[0]) else "TIMESTAMP")
    n = f"to_months(CAST({args[1]} AS BIGINT))"
    moved = f"cs_sf_dateadd({x}, {n})"  # a DATE stays a DATE (core/macros.py)
    sql = f"(CASE WHEN last_day({x}) = CAST({x} AS DATE) THEN last_day({moved}) ELSE {moved} END)"
    return f"CAST({sql} AS DATE)" if is_date(e.args[0]) or _date_text(e.args[0]) else sql


def concat(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # Snowflake's CONCAT and CONCAT_WS: NULL if any argument is NULL (both pages); DuckDB's skip
    # NULL arguments.
    if not len(args):
        need(e, args, 1)
    name = e.name.parts[0].name.lower()
    nulls = " OR ".join(f"{a} IS NULL" for a in args)
    return f"(CASE WHEN {nulls} THEN NULL ELSE {name}({', '.join(args)}) END)"


def _date_text(e: ast.Expr) -> bool:
    """A string constant that holds a date only ('2023-01-31'), read as a DATE."""
    return isinstance(e, ast.Literal) and e.kind == "string" and len(str(e.value).strip()) <= 10


def greatest(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # Snowflake: NULL if any argument is NULL (GREATEST/LEAST docs); DuckDB skips NULLs.
    if not len(args):
        need(e, args, 1)
    name = e.name.parts[0].name.lower()
    nulls = " OR ".join(f"{a} IS NULL" for a in args)
    return f"(CASE WHEN {nulls} THEN NULL ELSE {name}({', '.join(args)}) END)"


def regexp_replace(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # REGEXP_REPLACE(subject, pattern [, replacement [, position [, occurrence [, params]]]]):
    # every match is replaced (occurrence 0, the default); replacement defaults to ''.
    need(e, args, 2, 3, 4, 5, 6)
    occurrence = _int_arg(e, 4, 0)
    if occurrence < 0:
        raise SemanticError("semantic", e.args[4].span, message="occurrence must be at least 0")
    flags = "g" + regex_flags(e, 5)
    subject = f"CAST({args[0]} AS VARCHAR)"
    position = "1"
    if len(e.args) > 3:
        if _is_number(e.args[3]) and _int_arg(e, 3, 1) < 1:
            raise SemanticError("semantic", e.args[3].span, message="position must be at least 1")
        position = f"CAST({args[3]} AS BIGINT)"
    tail = f"substr({subject}, {position})" if position != "1" else subject
    if occurrence:
        replaced = regex.replace_occurrence(t, e, args, tail, occurrence)
    else:
        replacement = args[2] if len(args) > 2 else t.param("")
        replaced = f"regexp_replace({tail}, {args[1]}, {replacement}, {t.param(flags)})"
    if position == "1":
        return replaced
    return f"(substr({subject}, 1, {position} - 1) || {replaced})"


def regex_flags(e: ast.FuncCall, index: int) -> str:
    """Snowflake's regular expression parameters (`c`, `i`, `m`, `e`, `s`) as RE2 options."""
    if index >= len(e.args):
        return ""
    arg = e.args[index]
    if not (isinstance(arg, ast.Literal) and arg.kind == "string"):
        raise SemanticError("semantic", arg.span, message="regex parameters must be a constant")
    out = ""
    for ch in str(arg.value):
        if ch == "i":
            out = out.replace("c", "") + "i"
        elif ch == "c":
            out = out.replace("i", "") + "c"
        elif ch in "ms":
            out += ch
        elif ch != "e":
            raise SemanticError("semantic", arg.span, message=f"invalid regex parameter '{ch}'")
    return out


def round_(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ROUND(x [, scale [, 'HALF_AWAY_FROM_ZERO' | 'HALF_TO_EVEN']]) (ROUND docs).
    need(e, args, 1, 2, 3)
    scale = f"CAST({args[1]} AS INTEGER)" if len(args) > 1 else "0"
    mode = "HALF_AWAY_FROM_ZERO"
    if len(args) == 3:
        arg = e.args[2]
        if not (isinstance(arg, ast.Literal) and arg.kind == "string"):
            raise SemanticError("semantic", arg.span, message="rounding mode must be a constant")
        mode = str(arg.value).upper()
        if mode not in ("HALF_AWAY_FROM_ZERO", "HALF_TO_EVEN"):
            raise SemanticError("semantic", arg.span, message=f"invalid rounding mode {arg.value}")
    func = "round_even" if mode == "HALF_TO_EVEN" else "round"
    return f"{func}({args[0]}, {scale})"


def floor_ceil(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # FLOOR/CEIL(x [, scale]): to `scale` digits after the point (negative: before it).
    need(e, args, 1, 2)
    name = e.name.parts[0].name.lower()
    func = "floor" if name == "floor" else "ceil"
    if len(args) == 1:
        return f"{func}({args[0]})"
    scale = _int_arg(e, 1, 0)
    if scale == 0:
        return f"{func}({args[0]})"
    # Exact in decimals: shift by a power of ten, round to an integer, shift back.
    power = f"CAST({10 ** abs(scale)} AS DECIMAL(38,0))"
    if scale > 0:
        return f"CAST({func}({args[0]} * {power}) / {power} AS DECIMAL(38,{min(scale, 37)}))"
    return f"CAST({func}({args[0]} / {power}) * {power} AS DECIMAL(38,0))"


def pad(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # LPAD/RPAD(s, n [, pad]): the pad defaults to a blank; BINARY values pad with bytes.
    need(e, args, 2, 3)
    name = e.name.parts[0].name.lower()
    fill = args[2] if len(args) == 3 else f"CAST({t.param(' ')} AS BLOB)"
    return f"cs_sf_{name}({args[0]}, {args[1]}, {fill})"


def extract(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # EXTRACT(part FROM x) and DATE_PART(part, x): every part of the docs' table.
    need(e, args, 2)
    return dateparts.extract(_date_part(e, 0), _temporal(e, args, 1), e.span)


def datediff(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 3)
    unit = _date_part(e, 0, dateparts.INTERVAL_PARTS)
    return dateparts.diff(unit, _temporal(e, args, 1), _temporal(e, args, 2))


def date_trunc(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # A DATE stays a DATE, a TIME a TIME (DATE_TRUNC docs).
    need(e, args, 2)
    unit = dateparts.trunc_unit(_date_part(e, 0, dateparts.INTERVAL_PARTS))
    return f"cs_sf_trunc('{unit}', {_temporal(e, args, 1)})"


def trunc(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # TRUNC/TRUNCATE(x, part) is DATE_TRUNC(part, x); TRUNC(x [, scale]) truncates a number.
    need(e, args, 1, 2)
    if len(args) == 2 and dateparts.word(e.args[1]) is not None and not _is_number(e.args[1]):
        written = dateparts.word(e.args[1]) or ""
        if written.lower() in dateparts.PARTS:
            unit = dateparts.trunc_unit(_date_part(e, 1, dateparts.INTERVAL_PARTS))
            return f"cs_sf_trunc('{unit}', {_temporal(e, args, 0)})"
    if len(args) == 1:
        return f"trunc({args[0]})"
    return f"trunc({args[0]}, CAST({args[1]} AS INTEGER))"


def last_day(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # LAST_DAY(d [, part]): the last day of d's year, quarter, month (default) or week.
    need(e, args, 1, 2)
    unit = _date_part(e, 1, dateparts.LAST_DAY_PARTS) if len(args) == 2 else "month"
    d = f"CAST({_temporal(e, args, 0, 'DATE')} AS DATE)"
    if unit == "week":
        return f"CAST(date_trunc('week', {d}) + INTERVAL 6 DAY AS DATE)"
    return f"CAST(date_trunc('{unit}', {d}) + INTERVAL 1 {unit.upper()} - INTERVAL 1 DAY AS DATE)"


def bool_agg(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # BOOLAND_AGG / BOOLOR_AGG / BOOLXOR_AGG over booleans or numbers (non-zero is TRUE);
    # NULLs are left out, and a group of NULLs gives NULL.
    need(e, args, 1)
    name = e.name.parts[0].name.lower()
    x = f"(CAST({args[0]} AS DOUBLE) <> 0)"
    if name == "boolxor_agg":
        return f"(CASE WHEN count({x}){over} = 0 THEN NULL ELSE count_if({x}){over} = 1 END)"
    func = "bool_and" if name == "booland_agg" else "bool_or"
    return f"{func}({x}){over}"


def hash_agg(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # HASH_AGG(x, …): one signed 64-bit hash of the group, whatever the rows' order (values
    # are DuckDB's, as HASH's); an empty group hashes to 0.
    if not len(args):
        need(e, args, 1)
    h = f"CAST(hash({', '.join(args)}) AS HUGEINT)"
    total = f"(coalesce(sum({distinct}{h}){over}, 0) % 18446744073709551616)"
    return f"CAST({total} - 9223372036854775808 AS BIGINT)"


def approx_count(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # HLL / APPROX_COUNT_DISTINCT(x, …): the distinct count of the rows' values.
    if not len(args):
        need(e, args, 1)
    x = args[0] if len(args) == 1 else f"row({', '.join(args)})"
    return f"approx_count_distinct({x}){over}"


def current_timestamp(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # The session clock (UTC), not DuckDB's: demos and tests run at a controlled instant.
    return f"CAST({t.param(t.now)} AS TIMESTAMP)"


def current_date(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    return f"CAST({t.param(t.now)} AS DATE)"


def current_time(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    return f"CAST({t.param(t.now)} AS TIME)"


def to_timestamp(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1, 2)
    if len(args) == 2:  # a format model, or a scale for a number: sqlglot converts it
        return transpile.rule(t, e, args)
    a = args[0]
    # Numbers are seconds since the epoch; text of an integer too; anything else is cast.
    return (
        epoch.timestamp_of(a, tried=False)
        if not _is_number(e.args[0])
        else f"CAST(to_timestamp(CAST({a} AS DOUBLE)) AS TIMESTAMP)"
    )


def to_date(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1, 2)
    if len(args) == 2:  # a format model: sqlglot converts it
        return transpile.rule(t, e, args)
    return f"CAST({args[0]} AS DATE)"


def to_varchar(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1, 2)
    if len(args) == 2:  # a date/time format model: sqlglot converts it
        first = e.args[0]
        if isinstance(first, ast.Literal) and first.kind in ("integer", "decimal", "float"):
            raise UnsupportedError(
                "unsupported", e.span, message="TO_CHAR/TO_VARCHAR with a numeric format model"
            )
        if isinstance(first, ast.Literal) and first.kind == "null":
            return "CAST(NULL AS VARCHAR)"
        # core/macros.py: a number (a column) is refused with a coded error, not DuckDB's.
        given = [f"cs_sf_ts({args[0]})"]
        return transpile.rule(t, e, LazyArgs.given(t, e.args, given))
    return f"CAST({args[0]} AS VARCHAR)"


def hash_(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # A signed 64-bit hash of the arguments, as Snowflake's HASH (NUMBER(19,0)); the values
    # are DuckDB's, not Snowflake's (an emulator choice: equal inputs, equal hashes).
    if not len(args):
        need(e, args, 1)
    return f"CAST(CAST(hash({', '.join(args)}) AS HUGEINT) - 9223372036854775808 AS BIGINT)"


def to_number(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # TO_NUMBER(x [, format] [, precision [, scale]]) and TRY_TO_NUMBER: NUMBER(38,0) unless
    # told; a format model (9, 0, '.', ',', '$', S …) says how many digits the text may hold.
    # TRY_: NULL where TO_ fails.
    need(e, args, 1, 2, 3, 4)
    name = e.name.parts[0].name.lower()
    tried = name.startswith("try_")
    fmt = None
    rest = 1
    if len(e.args) > 1 and isinstance(e.args[1], ast.Literal) and e.args[1].kind == "string":
        fmt = _number_format(e.args[1])
        rest = 2
    elif len(args) == 4:
        need(e, args, 1, 2, 3)
    p = _int_arg(e, rest, 38)
    s = _int_arg(e, rest + 1, 0)
    if not 1 <= p <= 38 or not 0 <= s <= p:
        raise SemanticError("semantic", e.span, message=f"invalid precision/scale ({p},{s})")
    x = args[0]
    if fmt is not None:
        text = f"CAST({x} AS VARCHAR)"
        pattern, strip = fmt
        cleaned = f"regexp_replace(trim({text}), {t.param(strip)}, '', 'g')"
        ok = f"regexp_full_match(trim({text}), {t.param(pattern)})"
        bad = "NULL"
        if not tried:  # the conversion error's own text, which names the value
            quote = t.param("'")
            bad = (
                f"error('Could not convert string ' || {quote} || {text} || {quote} "
                "|| ' to DECIMAL')"
            )
        x = f"(CASE WHEN {ok} THEN {cleaned} ELSE {bad} END)"
    return f"{'TRY_CAST' if tried else 'CAST'}({x} AS DECIMAL({p},{s}))"


def to_double(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # TO_DOUBLE(x [, format]) / TRY_TO_DOUBLE: a format model says what the text may hold
    # (digits 9/0, separators, signs; EEEE an exponent); TRY_: NULL where TO_ fails.
    need(e, args, 1, 2)
    if len(args) == 1:
        return transpile.rule(t, e, args)
    arg = e.args[1]
    if not (isinstance(arg, ast.Literal) and arg.kind == "string"):
        raise SemanticError("semantic", arg.span, message="format must be a constant string")
    tried = e.name.parts[0].name.lower().startswith("try_")
    if "EEEE" in str(arg.value).upper():
        pattern, strip = r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", "[,$]"
    else:
        pattern, strip = _number_format(arg)
    text = f"trim(CAST({args[0]} AS VARCHAR))"
    cleaned = f"regexp_replace({text}, {t.param(strip)}, '', 'g')"
    bad = "NULL"
    if not tried:  # the conversion error's own text, which names the value
        quote = t.param("'")
        bad = f"error('Could not convert string ' || {quote} || {text} || {quote} || ' to DOUBLE')"
    ok = f"regexp_full_match({text}, {t.param(pattern)})"
    return f"(CASE WHEN {ok} THEN CAST({cleaned} AS DOUBLE) ELSE CAST({bad} AS DOUBLE) END)"


def _alias(target: str) -> FunctionRule:
    """A name Snowflake documents as an alias of `target`, which sqlglot maps (transpile.py)."""

    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        name = ast.QualifiedName(parts=(ast.Ident(name=target),))
        return transpile.rule(t, dataclasses.replace(e, name=name), args)

    return rule


def _number_format(arg: ast.Literal) -> tuple[str, str]:
    """A numeric format model as (the regular expression the text must match, the characters
    to drop before the cast): digits 9/0 before and after the point (. or D), group separators
    (, or G), a leading or trailing sign (S, MI), a currency sign ($)."""
    text = str(arg.value).upper().strip().removeprefix("FM")
    sign = text.startswith("S") or text.endswith(("S", "MI"))
    body = text.removeprefix("S").removesuffix("MI").removesuffix("S").replace("$", "")
    whole, _, frac = body.replace("D", ".").partition(".")
    whole = whole.replace("G", ",")
    if whole.replace(",", "").strip("90") or frac.strip("90"):
        raise UnsupportedError("unsupported", arg.span, message=f"number format {arg.value}")
    width = len(whole)
    pattern = rf"[+-]?\$?[0-9,]{{0,{width}}}"
    if frac:
        pattern += rf"(\.[0-9]{{0,{len(frac)}}})?"
    if sign:
        pattern += "[+-]?"
    return pattern, "[,$]"


def try_to_timestamp(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1, 2)
    if len(args) == 2:  # a format model: sqlglot converts it
        return transpile.rule(t, e, args)
    return epoch.timestamp_of(args[0], tried=True)


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


def count_if(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # COUNT_IF(cond), also a window function: 0 over no rows (DuckDB's count_if is NULL).
    need(e, args, 1)
    return f"coalesce(count_if({distinct}{args[0]}{within}){over}, 0)"


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
    "add_months": add_months,
    "greatest": greatest,
    "concat": concat,
    "concat_ws": concat,
    "least": greatest,
    "regexp_replace": regexp_replace,
    "round": round_,
    "floor": floor_ceil,
    "ceil": floor_ceil,
    "lpad": pad,
    "rpad": pad,
    "extract": extract,
    "hash": hash_,
    "dateadd": dateadd,
    "timeadd": dateadd,
    "timestampadd": dateadd,
    "datediff": datediff,
    "timediff": datediff,
    "timestampdiff": datediff,
    "date_trunc": date_trunc,
    "date_part": extract,
    "trunc": trunc,
    "truncate": trunc,
    "last_day": last_day,
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
    "try_to_number": to_number,
    "try_to_decimal": to_number,
    "try_to_numeric": to_number,
    "to_double": to_double,
    "try_to_double": to_double,
    "timestampntzfromparts": _alias("timestamp_ntz_from_parts"),
    "timestampltzfromparts": _alias("timestamp_ltz_from_parts"),
    "timestamptzfromparts": _alias("timestamp_tz_from_parts"),
    "try_to_timestamp": try_to_timestamp,
    "try_to_timestamp_ntz": try_to_timestamp,
    "try_to_timestamp_ltz": try_to_timestamp,
    "try_to_timestamp_tz": try_to_timestamp,
    "iff": iff,
    "nvl2": nvl2,
    "zeroifnull": zeroifnull,
    "nullifzero": nullifzero,
    "div0": div0,
    "last_query_id": last_query_id,
    "current_database": current_database,
    "current_schema": current_schema,
    "current_role": current_role,
    "current_user": current_user,
    "current_warehouse": current_warehouse,
}

# Functions that take named arguments: their parameters in positional order (ROUND docs).
PARAMETERS: dict[str, tuple[str, ...]] = {"round": ("EXPR", "SCALE", "ROUNDING_MODE")}

AGGREGATES: dict[str, AggregateRule] = {
    "count_if": count_if,
    "booland_agg": bool_agg,
    "boolor_agg": bool_agg,
    "boolxor_agg": bool_agg,
    "hash_agg": hash_agg,
    "hll": approx_count,
    "approx_count_distinct": approx_count,
}


def try_cast(t: Translator, e: ast.TryCast) -> str:
    """`TRY_CAST(x AS type)`: the cast, or NULL where it fails (a VARIANT is read as its text,
    as `::` reads it)."""
    target = t.cast_type(e.type)
    inner = t.expr(e.expr)
    if target == "JSON":
        return semi.cast(t, ast.Cast(span=e.span, expr=e.expr, type=e.type))
    if semi.is_variant(e.expr):
        inner = f"json_extract_string({inner}, '$')"
    return f"TRY_CAST({inner} AS {target})"


EXPRESSIONS: dict[type, ExpressionRule] = {ast.TryCast: try_cast}
