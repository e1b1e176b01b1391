"""MaxCompute's function library: the shared rules (engine/core/functions.py) with MaxCompute's
own semantics merged over them, as data (name -> rule). Each rule turns one call into DuckDB SQL
with the NULL, type and argument rules of MaxCompute's function pages; every case a page gives
as an example is a test (tests/engine/test_mc_functions.py)."""

from __future__ import annotations

from cloneshell.engine.core import functions as shared
from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.functions import date_unit, need
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.translate import (
    AggregateRule,
    FunctionRule,
    Generated,
    GeneratorRule,
    LazyArgs,
    Translator,
)
from cloneshell.engine.maxcompute import functions_hive
from cloneshell.grammar import ast

# Java (SimpleDateFormat) pattern letters, as DATE_FORMAT and FROM_UNIXTIME take them, longest
# first.
_JAVA_FORMAT = [
    ("yyyy", "%Y"),
    ("yy", "%y"),
    ("MM", "%m"),
    ("dd", "%d"),
    ("HH", "%H"),
    ("hh", "%I"),
    ("mm", "%M"),
    ("ss", "%S"),
    ("SSS", "%g"),
    ("a", "%p"),
    ("EEEE", "%A"),
    ("EEE", "%a"),
]


def _null_if_any(args: LazyArgs, sql: str, indexes: range | None = None) -> str:
    """`sql`, or NULL when any of the arguments is NULL (MaxCompute's rule for most string
    functions, where DuckDB skips NULLs)."""
    picked = range(len(args)) if indexes is None else indexes
    if not picked:
        return sql
    test = " OR ".join(f"({args[i]}) IS NULL" for i in picked)
    return f"(CASE WHEN {test} THEN NULL ELSE {sql} END)"


def _str(sql: str) -> str:
    return f"CAST({sql} AS VARCHAR)"


def _constant_int(e: ast.FuncCall, index: int) -> int | None:
    """A constant integer argument (`-2` included), else None."""
    arg = e.args[index]
    sign = 1
    if isinstance(arg, ast.UnaryOp) and arg.op in ("-", "+"):
        sign = -1 if arg.op == "-" else 1
        arg = arg.operand
    if isinstance(arg, ast.Literal) and arg.kind == "integer":
        return sign * int(str(arg.value))
    return None


def _constant_str(e: ast.FuncCall, index: int, what: str) -> str:
    arg = e.args[index]
    if not (isinstance(arg, ast.Literal) and arg.kind == "string"):
        raise SemanticError("semantic", arg.span, message=f"{what} must be a constant string")
    return str(arg.value)


# ---------------------------------------------------------------- strings


def concat(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # CONCAT: strings or arrays; NULL if there are no arguments or any is NULL. DuckDB's `||`
    # propagates NULL and joins lists as well as strings.
    if not len(args):
        return "CAST(NULL AS VARCHAR)"
    if len(args) == 1:
        return f"({args[0]})"
    return "(" + " || ".join(f"({a})" for a in args) + ")"


def concat_ws(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # CONCAT_WS(sep, str1, str2, ...) or CONCAT_WS(sep, array<string>): NULL if any argument is.
    need(e, args, *range(2, max(len(args), 2) + 1))
    if len(args) == 2:
        return _null_if_any(args, f"array_to_string({args[1]}, {args[0]})")
    strings = ", ".join(_str(args[i]) for i in range(1, len(args)))
    return _null_if_any(args, f"concat_ws({args[0]}, {strings})")


def split_part(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # SPLIT_PART(str, sep, start[, end]): parts start..end (1-based, inclusive) joined by sep;
    # '' past the last part; the whole string when sep is ''; NULL when str/start/end is NULL.
    need(e, args, 3, 4)
    s, sep, start = _str(args[0]), args[1], f"CAST({args[2]} AS BIGINT)"
    end = f"CAST({args[3]} AS BIGINT)" if len(args) == 4 else start
    parts = f"array_to_string(string_split({s}, {sep})[{start}:{end}], {sep})"
    picked = range(0, len(args))
    return _null_if_any(args, f"(CASE WHEN {sep} = '' THEN {s} ELSE {parts} END)", picked)


def instr(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # INSTR(str1, str2[, start_position[, nth_appearance]]): 1-based position of the nth match
    # of str2 at or after start_position, 0 if none; '' always matches.
    need(e, args, 2, 3, 4)
    if len(args) == 2:
        return _null_if_any(args, f"CAST(instr({_str(args[0])}, {_str(args[1])}) AS BIGINT)")
    start_const = _constant_int(e, 2)
    if start_const is not None and start_const < 0:
        raise UnsupportedError(
            "unsupported", e.args[2].span, message="INSTR with a negative start_position"
        )
    s, sub = _str(args[0]), _str(args[1])
    start = f"CAST({args[2]} AS BIGINT)"
    nth = f"CAST({args[3]} AS BIGINT)" if len(args) == 4 else "1"
    parts = f"string_split(substr({s}, {start}), {sub})"
    found = (
        f"(CASE WHEN {sub} = '' THEN {start} "
        f"WHEN len({parts}) > {nth} "
        f"THEN {start} + length(array_to_string({parts}[1:{nth}], {sub})) ELSE 0 END)"
    )
    return _null_if_any(args, f"CAST({found} AS BIGINT)")


def substring_index(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # SUBSTRING_INDEX(str, delim, count): before the count-th delim (from the right if count<0).
    need(e, args, 3)
    s, d, n = _str(args[0]), args[1], f"CAST({args[2]} AS BIGINT)"
    parts = f"string_split({s}, {d})"
    sql = (
        f"(CASE WHEN {n} > 0 THEN array_to_string({parts}[1:{n}], {d}) "
        f"WHEN {n} < 0 THEN array_to_string({parts}[{n}:], {d}) ELSE '' END)"
    )
    return _null_if_any(args, sql)


def lengthb(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"CAST(strlen({_str(args[0])}) AS BIGINT)"


def keyvalue(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # KEYVALUE(str, [split1, split2,] key): split str by split1 (default ';') into key/value
    # pairs split by split2 (default ':'); the value of the first pair whose key is `key`.
    need(e, args, 2, 4)
    s = _str(args[0])
    sep1, sep2, key = (
        (t.param(";"), t.param(":"), _str(args[1]))
        if len(args) == 2
        else (args[1], args[2], _str(args[3]))
    )
    pair = (
        f"list_filter(string_split({s}, {sep1}), lambda kv: split_part(kv, {sep2}, 1) = {key})[1]"
    )
    value = f"substr({pair}, length({key}) + length({sep2}) + 1)"
    return _null_if_any(args, value)


def str_to_map(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # STR_TO_MAP(text[, delim1[, delim2]]): pairs split by delim1 (default ','), key and value
    # by delim2 (default '='); a later pair wins over an earlier one with the same key.
    need(e, args, 1, 2, 3)
    s = _str(args[0])
    d1 = args[1] if len(args) > 1 else t.param(",")
    d2 = args[2] if len(args) > 2 else t.param("=")
    pairs = f"string_split({s}, {d1})"
    keys = f"list_transform({pairs}, lambda kv: split_part(kv, {d2}, 1))"
    values = (
        f"list_transform({pairs}, lambda kv: CASE WHEN strpos(kv, {d2}) = 0 THEN NULL "
        f"ELSE substr(kv, strpos(kv, {d2}) + length({d2})) END)"
    )
    # map_from_entries refuses duplicate keys: keep each key's last pair.
    entries = f"list_transform(list_zip({keys}, {values}), lambda p: {{'k': p[1], 'v': p[2]}})"
    last = (
        f"list_filter({entries}, lambda x, i: NOT list_contains("
        f"list_transform({entries}[i + 1:], lambda y: y.k), x.k))"
    )
    return _null_if_any(args, f"map_from_entries({last})")


def get_json_object(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # GET_JSON_OBJECT(json, path): the value at the path as a string (objects and arrays as
    # JSON text); NULL for invalid JSON or a path that is not there.
    need(e, args, 2)
    j = _str(args[0])
    return f"(CASE WHEN json_valid({j}) THEN json_extract_string({j}, {args[1]}) END)"


def decode(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # DECODE(expr, search1, result1[, search2, result2 ...][, default]): NULL matches NULL.
    if len(args) < 3:
        need(e, args, 3)
    whens = "".join(
        f" WHEN ({args[0]}) IS NOT DISTINCT FROM ({args[i]}) THEN {args[i + 1]}"
        for i in range(1, len(args) - 1, 2)
    )
    default = f" ELSE {args[len(args) - 1]}" if len(args) % 2 == 0 else ""
    return f"(CASE{whens}{default} END)"


def regexp_extract(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # REGEXP_EXTRACT(source, pattern[, group_id]): group 1 unless given; NULL when no match.
    need(e, args, 2, 3)
    group = _constant_int(e, 2) if len(args) == 3 else 1
    if group is None or group < 0:
        raise SemanticError("semantic", e.span, message="group_id must be a constant >= 0")
    matched = f"regexp_matches({_str(args[0])}, {args[1]})"
    found = f"regexp_extract({_str(args[0])}, {args[1]}, {group})"
    return f"(CASE WHEN {matched} THEN {found} END)"


def regexp_replace(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # REGEXP_REPLACE(source, pattern, replace_string[, occurrence]): every match replaced
    # (occurrence 0, the default) or only the occurrence-th.
    need(e, args, 3, 4)
    occurrence = _constant_int(e, 3) if len(args) == 4 else 0
    if occurrence == 0:
        return f"regexp_replace({_str(args[0])}, {args[1]}, {args[2]}, 'g')"
    if occurrence == 1:
        return f"regexp_replace({_str(args[0])}, {args[1]}, {args[2]})"
    raise UnsupportedError(
        "unsupported", e.span, message="REGEXP_REPLACE with an occurrence other than 0 or 1"
    )


def regexp_substr(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # REGEXP_SUBSTR(source, pattern[, start_position[, occurrence]]): the occurrence-th match
    # at or after start_position; NULL if there is none.
    need(e, args, 2, 3, 4)
    start = f"CAST({args[2]} AS BIGINT)" if len(args) > 2 else "1"
    nth = f"CAST({args[3]} AS BIGINT)" if len(args) > 3 else "1"
    return f"regexp_extract_all(substr({_str(args[0])}, {start}), {args[1]})[{nth}]"


def regexp_count(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # REGEXP_COUNT(source, pattern[, start_position]): how many times the pattern matches.
    need(e, args, 2, 3)
    start = f"CAST({args[2]} AS BIGINT)" if len(args) > 2 else "1"
    found = f"regexp_extract_all(substr({_str(args[0])}, {start}), {args[1]})"
    return _null_if_any(args, f"CAST(len({found}) AS BIGINT)")


def regexp_instr(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # REGEXP_INSTR(source, pattern[, start[, occurrence[, return_option]]]): the position where
    # the occurrence-th match starts (return_option 0) or just after it ends (1); 0 if none.
    need(e, args, 2, 3, 4, 5)
    s = _str(args[0])
    start = f"CAST({args[2]} AS BIGINT)" if len(args) > 2 else "1"
    nth = f"CAST({args[3]} AS BIGINT)" if len(args) > 3 else "1"
    option = _constant_int(e, 4) if len(args) > 4 else 0
    if option not in (0, 1):
        raise SemanticError("semantic", e.span, message="return_option must be 0 or 1")
    tail = f"substr({s}, {start})"
    matches = f"regexp_extract_all({tail}, {args[1]})"
    # The text before the nth match: the tail split at every match, its first nth parts.
    pieces = f"regexp_split_to_array({tail}, {args[1]})"
    lead = (
        f"(length(array_to_string({pieces}[1:{nth}], '')) "
        f"+ length(array_to_string({matches}[1:{nth} - 1], '')))"
    )
    position = f"{start} + {lead}" + (f" + length({matches}[{nth}])" if option == 1 else "")
    sql = f"(CASE WHEN len({matches}) >= {nth} THEN {position} ELSE 0 END)"
    return _null_if_any(args, f"CAST({sql} AS BIGINT)")


def space(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"repeat(' ', CAST({args[0]} AS BIGINT))"


def locate(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # LOCATE(substr, str[, start_pos]): INSTR with its first two arguments swapped.
    need(e, args, 2, 3)
    if len(args) == 2:
        return _null_if_any(args, f"CAST(instr({_str(args[1])}, {_str(args[0])}) AS BIGINT)")
    s, sub, start = _str(args[1]), _str(args[0]), f"CAST({args[2]} AS BIGINT)"
    at = f"instr(substr({s}, {start}), {sub})"
    return _null_if_any(
        args, f"CAST(CASE WHEN {at} = 0 THEN 0 ELSE {at} + {start} - 1 END AS BIGINT)"
    )


# ---------------------------------------------------------------- hashes and encodings


def md5(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"md5({_str(args[0])})"


def sha1(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"sha1({_str(args[0])})"


def sha2(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # SHA2(str, bits): 256 (or 0) is what DuckDB computes; other lengths are refused.
    need(e, args, 2)
    bits = _constant_int(e, 1)
    if bits not in (0, 256):
        raise UnsupportedError(
            "unsupported", e.args[1].span, message="SHA2 with bits other than 256"
        )
    return f"sha256({_str(args[0])})"


def base64(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"to_base64(CAST({args[0]} AS BLOB))"


def unbase64(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"from_base64({_str(args[0])})"


def bin_(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"bin(CAST({args[0]} AS BIGINT))"


def conv(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # CONV(input, from_base, to_base) for bases 2, 8, 10 and 16, non-negative numbers.
    need(e, args, 3)
    frm, to = _constant_int(e, 1), _constant_int(e, 2)
    bases = {2, 8, 10, 16}
    if frm not in bases or to not in bases:
        raise UnsupportedError(
            "unsupported", e.span, message="CONV with bases other than 2, 8, 10, 16"
        )
    prefix = {2: "0b", 8: "0o", 10: "", 16: "0x"}[frm]
    digits = _str(args[0])
    value = (
        f"TRY_CAST({digits} AS UBIGINT)"
        if frm == 10
        else f"TRY_CAST({t.param(prefix)} || {digits} AS UBIGINT)"
    )
    if frm == 8:
        # DuckDB reads no octal literals: add the digits up.
        value = (
            f"list_reduce(list_transform(string_split({digits}, ''), "
            f"lambda c: TRY_CAST(c AS UBIGINT)), lambda a, b: a * 8 + b)"
        )
    out = {
        2: f"bin({value})",
        8: f"format('{{:o}}', {value})",
        10: f"CAST({value} AS VARCHAR)",
        16: f"upper(hex({value}))",
    }[to]
    return _null_if_any(args, out)


# ---------------------------------------------------------------- numbers


def trunc(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # TRUNC(number[, decimal_places]): towards zero at that many places (negative: left of
    # the point).
    need(e, args, 1, 2)
    if len(args) == 1:
        return f"trunc({args[0]})"
    places = f"CAST({args[1]} AS INTEGER)"
    scale = f"pow(10, -{places})"
    return (
        f"(CASE WHEN {places} >= 0 THEN trunc({args[0]}, {places}) "
        f"ELSE trunc({args[0]} / {scale}) * {scale} END)"
    )


# ---------------------------------------------------------------- dates


def dateadd(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # DATEADD(date, delta, datepart): the result has the type of `date` (a DATE stays a DATE).
    need(e, args, 3)
    unit = date_unit(e, 2)
    n = f"CAST({args[1]} AS BIGINT)"
    delta = f"to_months(3 * {n})" if unit == "quarter" else f"to_{unit}s({n})"
    return f"cs_add({args[0]}, {delta})"


def add_months(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ADD_MONTHS(startdate, num_months): a STRING 'yyyy-mm-dd'; a day past the end of the
    # target month becomes its last day.
    need(e, args, 2)
    d = f"TRY_CAST({args[0]} AS DATE)"
    return f"strftime({d} + to_months(CAST({args[1]} AS BIGINT)), '%Y-%m-%d')"


def lastday(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # LASTDAY(datetime): the month's last day at 00:00:00, a DATETIME.
    need(e, args, 1)
    return f"CAST(last_day(CAST({args[0]} AS TIMESTAMP)) AS TIMESTAMP)"


def last_day(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # LAST_DAY(date): the month's last day as a STRING 'yyyy-mm-dd'.
    need(e, args, 1)
    return f"strftime(last_day(CAST({args[0]} AS TIMESTAMP)), '%Y-%m-%d')"


def weekday(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # WEEKDAY(date): Monday 0 ... Sunday 6.
    need(e, args, 1)
    return f"CAST(isodow(CAST({args[0]} AS TIMESTAMP)) - 1 AS BIGINT)"


def dayofweek(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # DAYOFWEEK(date): Sunday 1 ... Saturday 7.
    need(e, args, 1)
    return f"CAST(dayofweek(CAST({args[0]} AS TIMESTAMP)) + 1 AS BIGINT)"


def weekofyear(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # WEEKOFYEAR(date): the ISO week (weeks start on Monday; week 1 holds the first Thursday).
    need(e, args, 1)
    return f"CAST(weekofyear(CAST({args[0]} AS TIMESTAMP)) AS BIGINT)"


def _java_format(t: Translator, e: ast.FuncCall, index: int) -> str:
    fmt = _constant_str(e, index, "format")
    out = ""
    i = 0
    while i < len(fmt):
        for element, strf in _JAVA_FORMAT:
            if fmt.startswith(element, i):
                out += strf
                i += len(element)
                break
        else:
            out += "%%" if fmt[i] == "%" else fmt[i]
            i += 1
    return t.param(out)


def from_unixtime(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # FROM_UNIXTIME(seconds): a DATETIME; FROM_UNIXTIME(seconds, format): a STRING.
    need(e, args, 1, 2)
    # In odps.sql.timezone when it is set.
    moment = functions_hive.zoned(t, e, f"to_timestamp(CAST({args[0]} AS BIGINT))")
    if len(args) == 1:
        return moment
    return f"strftime({moment}, {_java_format(t, e, 1)})"


def date_format(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # DATE_FORMAT(date, format): the date as a STRING in a Java date format.
    need(e, args, 2)
    return f"strftime(CAST({args[0]} AS TIMESTAMP), {_java_format(t, e, 1)})"


def to_millis(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"CAST(epoch_ms(CAST({args[0]} AS TIMESTAMP)) AS BIGINT)"


def date_add(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # DATE_ADD(date, delta): a DATE delta days later.
    need(e, args, 2)
    return f"CAST(CAST({args[0]} AS DATE) + CAST({args[1]} AS INTEGER) AS DATE)"


def date_sub(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    return f"CAST(CAST({args[0]} AS DATE) - CAST({args[1]} AS INTEGER) AS DATE)"


# ---------------------------------------------------------------- complex types


def map_(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # MAP(k1, v1, k2, v2, ...).
    if len(args) % 2:
        raise SemanticError("semantic", e.span, message="map takes an even number of arguments")
    keys = ", ".join(args[i] for i in range(0, len(args), 2))
    values = ", ".join(args[i] for i in range(1, len(args), 2))
    return f"MAP([{keys}], [{values}])"


def struct(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # STRUCT(v1, v2, ...): fields col1, col2, ...
    if not len(args):
        need(e, args, 1)
    fields = ", ".join(f'"col{i + 1}" := {a}' for i, a in enumerate(args))
    return f"struct_pack({fields})"


def named_struct(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # NAMED_STRUCT('name1', v1, 'name2', v2, ...).
    if not len(args) or len(args) % 2:
        raise SemanticError(
            "semantic", e.span, message="named_struct takes pairs of a name and a value"
        )
    fields = ", ".join(
        f"{quote_ident(_constant_str(e, i, 'a field name').lower())} := {args[i + 1]}"
        for i in range(0, len(args), 2)
    )
    return f"struct_pack({fields})"


def size(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # SIZE(array | map): the number of elements; -1 for NULL.
    need(e, args, 1)
    return f"CAST(coalesce(cardinality({args[0]}), -1) AS BIGINT)"


def sort_array(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # SORT_ARRAY(array[, is_asc]): ascending (NULLs first) unless is_asc is false.
    need(e, args, 1, 2)
    if len(args) == 2:
        arg = e.args[1]
        if not (isinstance(arg, ast.Literal) and arg.kind == "boolean"):
            raise SemanticError("semantic", arg.span, message="is_asc must be TRUE or FALSE")
        if not arg.value:
            return f"list_sort({args[0]}, 'DESC', 'NULLS LAST')"
    return f"list_sort({args[0]}, 'ASC', 'NULLS FIRST')"


def map_keys(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"map_keys({args[0]})"


def map_values(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"map_values({args[0]})"


def array_contains(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    return f"list_contains({args[0]}, {args[1]})"


def grouping__id(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # GROUPING__ID (no arguments, Hive's): GROUPING_ID of the GROUP BY columns in their order.
    need(e, args, 0)
    if not t.group_keys:
        raise SemanticError("semantic", e.span, message="GROUPING__ID needs a GROUP BY")
    return f"grouping_id({', '.join(t.group_keys)})"


def isnan(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ISNAN(expr): true for NaN; NULL for NULL.
    need(e, args, 1)
    return f"isnan(CAST({args[0]} AS DOUBLE))"


def sample(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # SAMPLE(x[, y[, col, ...]]): true for the rows in the y-th of x hash portions (y defaults
    # to 1) of the columns' values, or of a random draw without columns; x and y are positive
    # integer constants with y <= x, and NULL when either is NULL. MaxCompute's hash function is
    # its own, so which rows fall into a portion differs; each row is in exactly one portion.
    if not args:
        need(e, args, 1, 2)
    portions: list[int | None] = []
    for i in range(min(2, len(args))):
        arg = e.args[i]
        if isinstance(arg, ast.Literal) and arg.value is None:
            portions.append(None)
            continue
        value = _constant_int(e, i)
        if value is None or value <= 0:
            raise SemanticError(
                "semantic", arg.span, message="sample: x and y must be integer constants > 0"
            )
        portions.append(value)
    if None in portions:
        return "CAST(NULL AS BOOLEAN)"
    x = portions[0]
    y = portions[1] if len(portions) == 2 else 1
    assert x is not None and y is not None
    if y > x:
        raise SemanticError("semantic", e.args[1].span, message="sample: y must not exceed x")
    for i in range(2, len(args)):
        arg = e.args[i]
        if isinstance(arg, ast.Literal) and arg.value is None:
            raise SemanticError("semantic", arg.span, message="sample: a column cannot be NULL")
    if len(args) <= 2:
        return f"(floor(random() * {x}) = {y - 1})"
    columns = ", ".join(args[i] for i in range(2, len(args)))
    return f"(hash({columns}) % {x} = {y - 1})"


# ---------------------------------------------------------------- aggregates


def count(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # COUNT([DISTINCT] col[, col ...]): several columns count the distinct combinations in
    # which no column is NULL (DISTINCT only, as MaxCompute takes them).
    if len(args) <= 1:
        return f"count({distinct}{', '.join(args)}){over}"
    if not e.distinct:
        raise SemanticError(
            "semantic", e.span, message="count takes several columns only with DISTINCT"
        )
    present = " AND ".join(f"({a}) IS NOT NULL" for a in args)
    return f"count(DISTINCT CASE WHEN {present} THEN row({', '.join(args)}) END){over}"


def nth_value(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # NTH_VALUE(expr, n[, skip_nulls]): the window's n-th value, NULLs skipped when the third
    # argument (a constant boolean) is true.
    need(e, args, 2, 3)
    if e.over is None:
        raise SemanticError("semantic", e.span, message="window function nth_value requires OVER")
    ignore = ""
    if len(args) == 3:
        flag = e.args[2]
        if not (isinstance(flag, ast.Literal) and isinstance(flag.value, bool)):
            raise SemanticError(
                "semantic", flag.span, message="nth_value: skip_nulls must be true or false"
            )
        ignore = " IGNORE NULLS" if flag.value else ""
    return f"nth_value({args[0]}, {args[1]}{ignore}){over}"


def collect_list(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # COLLECT_LIST(col): the non-NULL values as an array (DISTINCT: each once).
    need(e, args, 1)
    distinct = "DISTINCT " if e.distinct else ""
    return f"coalesce(list({distinct}{args[0]}) FILTER (WHERE {args[0]} IS NOT NULL){over}, [])"


def collect_set(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # COLLECT_SET(col): the distinct non-NULL values as an array.
    need(e, args, 1)
    return f"coalesce(list(DISTINCT {args[0]}) FILTER (WHERE {args[0]} IS NOT NULL){over}, [])"


def wm_concat(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    need(e, args, 2)
    distinct = "DISTINCT " if e.distinct else ""
    return f"string_agg({distinct}{_str(args[1])}, {args[0]}){over}"


def percentile(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # PERCENTILE(col, p): the exact percentile, interpolated between neighbours.
    need(e, args, 2)
    return f"quantile_cont({args[0]}, {args[1]}){over}"


def percentile_approx(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    need(e, args, 2, 3)
    return f"approx_quantile({args[0]}, {args[1]}){over}"


# ---------------------------------------------------------------- table-generating functions


def explode(t: Translator, e: ast.FuncCall, args: LazyArgs, names: int) -> Generated:
    # EXPLODE(array): one row per element, column `col`; EXPLODE(map) (two columns named): one
    # row per entry, `key` and `value`.
    need(e, args, 1)
    if names == 2:
        items = (f"unnest(map_keys({args[0]}))", f"unnest(map_values({args[0]}))")
        return Generated(items, ("key", "value"))
    return Generated((f"unnest({args[0]})",), ("col",))


def posexplode(t: Translator, e: ast.FuncCall, args: LazyArgs, names: int) -> Generated:
    # POSEXPLODE(array): one row per element, its 0-based position `pos` and value `val`.
    need(e, args, 1)
    a = args[0]
    items = (f"unnest(range(CAST(len({a}) AS BIGINT)))", f"unnest({a})")
    return Generated(items, ("pos", "val"))


def inline(t: Translator, e: ast.FuncCall, args: LazyArgs, names: int) -> Generated:
    # INLINE(array<struct>): one row per element, one column per field.
    need(e, args, 1)
    return Generated((f"unnest({args[0]}, recursive := true)",), None)


def _date_part(duck: str) -> FunctionRule:
    # YEAR, MONTH, DAY, HOUR, ... of a DATE, DATETIME, TIMESTAMP or a date string (the pages'
    # examples: year('1970-01-01 12:30:00') is 1970); a string that is no date gives NULL.
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        need(e, args, 1)
        return f"{duck}(TRY_CAST({args[0]} AS TIMESTAMP))"

    return rule


def initcap(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # INITCAP(str): each blank-separated word with its first letter upper case, the rest lower.
    need(e, args, 1)
    words = f"string_split({_str(args[0])}, ' ')"
    return f"array_to_string(list_transform({words}, lambda w: upper(w[1:1]) || lower(w[2:])), ' ')"


FUNCTIONS: dict[str, FunctionRule] = {
    **shared.FUNCTIONS,
    **{
        name: _date_part(name)
        for name in ("year", "quarter", "month", "day", "dayofmonth", "hour", "minute", "second")
    },
    "initcap": initcap,
    **functions_hive.FUNCTIONS,
    "concat": concat,
    "concat_ws": concat_ws,
    "split_part": split_part,
    "instr": instr,
    "substring_index": substring_index,
    "lengthb": lengthb,
    "keyvalue": keyvalue,
    "str_to_map": str_to_map,
    "get_json_object": get_json_object,
    "decode": decode,
    "regexp_extract": regexp_extract,
    "regexp_replace": regexp_replace,
    "regexp_substr": regexp_substr,
    "regexp_count": regexp_count,
    "regexp_instr": regexp_instr,
    "space": space,
    "locate": locate,
    "md5": md5,
    "sha1": sha1,
    "sha": sha1,
    "sha2": sha2,
    "base64": base64,
    "unbase64": unbase64,
    "bin": bin_,
    "conv": conv,
    "trunc": trunc,
    "dateadd": dateadd,
    "add_months": add_months,
    "lastday": lastday,
    "last_day": last_day,
    "weekday": weekday,
    "dayofweek": dayofweek,
    "weekofyear": weekofyear,
    "from_unixtime": from_unixtime,
    "date_format": date_format,
    "to_millis": to_millis,
    "date_add": date_add,
    "date_sub": date_sub,
    "map": map_,
    "struct": struct,
    "named_struct": named_struct,
    "size": size,
    "sort_array": sort_array,
    "map_keys": map_keys,
    "map_values": map_values,
    "array_contains": array_contains,
    "isnan": isnan,
    "grouping__id": grouping__id,
    "sample": sample,
}

# Written without parentheses: GROUPING__ID (a column to the parser).
NILADIC = frozenset({"grouping__id"})


def _population(duck: str) -> AggregateRule:
    # STDDEV and VARIANCE are MaxCompute's population forms (STDDEV_POP, VAR_POP: their pages);
    # DuckDB's are the sample forms.
    def rule(
        t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
    ) -> str:
        need(e, args, 1)
        return f"{duck}({distinct}{args[0]}){over}"

    return rule


AGGREGATES: dict[str, AggregateRule] = {
    "stddev": _population("stddev_pop"),
    "variance": _population("var_pop"),
    "count": count,
    "nth_value": nth_value,
    "collect_list": collect_list,
    "collect_set": collect_set,
    "wm_concat": wm_concat,
    "percentile": percentile,
    "percentile_approx": percentile_approx,
}

GENERATORS: dict[str, GeneratorRule] = {
    "explode": explode,
    "posexplode": posexplode,
    "inline": inline,
}
