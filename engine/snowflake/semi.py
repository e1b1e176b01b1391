"""Snowflake's semi-structured data: VARIANT, OBJECT and ARRAY values are DuckDB JSON (stored and
returned as JSON text). Here are their expression syntax (`v:key.sub[0]` paths, `x[i]`
subscripts, `[a, b]` and `{'k': v}` literals, `::` casts out of a VARIANT), their aggregates
(ARRAY_AGG, OBJECT_AGG, LISTAGG … WITHIN GROUP) and their functions (PARSE_JSON, GET, GET_PATH,
ARRAY_*, OBJECT_*, TYPEOF, IS_*, AS_*, CHECK_JSON)."""

from __future__ import annotations

import json
import re

from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.functions import need
from cloneshell.engine.core.translate import (
    AggregateRule,
    ExpressionRule,
    FunctionRule,
    LazyArgs,
    Translator,
)
from cloneshell.engine.snowflake import epoch, transpile, types
from cloneshell.grammar import ast

# Snowflake's TYPEOF names for DuckDB's json_type names (DOUBLE: DECIMAL unless written with an
# exponent, as Snowflake reads `1.5` as a fixed-point number).
_TYPEOF = (
    "CASE json_type({v}) WHEN 'NULL' THEN 'NULL_VALUE' WHEN 'BOOLEAN' THEN 'BOOLEAN' "
    "WHEN 'BIGINT' THEN 'INTEGER' WHEN 'UBIGINT' THEN 'INTEGER' WHEN 'VARCHAR' THEN 'VARCHAR' "
    "WHEN 'ARRAY' THEN 'ARRAY' WHEN 'OBJECT' THEN 'OBJECT' "
    "WHEN 'DOUBLE' THEN (CASE WHEN contains(lower(CAST({v} AS VARCHAR)), 'e') THEN 'DOUBLE' "
    "ELSE 'DECIMAL' END) END"
)


def variant(sql: str) -> str:
    """Any value as a VARIANT (JSON); JSON values stay as they are."""
    return f"CAST(to_json({sql}) AS JSON)"


def _json_key(key: str) -> str:
    """One object key as a JSONPath step (`."key"`)."""
    return "." + json.dumps(key)


# ---------------------------------------------------------------------------- paths


def _path_text(steps: tuple[ast.PathStep, ...]) -> str | None:
    """A JSONPath for constant steps (`$."a"."b"[0]`), or None when an index is computed."""
    out = "$"
    for step in steps:
        if step.key is not None:
            out += _json_key(step.key)
            continue
        index = step.index
        if isinstance(index, ast.Literal) and index.kind == "integer":
            out += f"[{int(str(index.value))}]"
        elif isinstance(index, ast.Literal) and index.kind == "string":
            out += _json_key(str(index.value))
        else:
            return None
    return out


def _dynamic_step(t: Translator, base: str, index: ast.Expr) -> str:
    """`base[index]` for a computed index: an array position or an object key."""
    i = t.expr(index)
    return (
        f"(CASE WHEN json_type({base}) = 'ARRAY' THEN json_extract({base}, '$[' || "
        f"CAST({i} AS BIGINT) || ']') ELSE json_extract({base}, '$.' || to_json(CAST({i} AS "
        f"VARCHAR))) END)"
    )


def _walk(t: Translator, base: str, steps: tuple[ast.PathStep, ...]) -> str:
    path = _path_text(steps)
    if path is not None:
        return f"json_extract({base}, {t.param(path)})"
    for n, step in enumerate(steps):
        if step.index is not None and _path_text((step,)) is None:
            head = _walk(t, base, steps[:n]) if n else base
            value = _dynamic_step(t, head, step.index)
            return _walk(t, value, steps[n + 1 :]) if steps[n + 1 :] else value
    raise AssertionError("a path with no computed step has a constant text")


def _path_parts(e: ast.Expr) -> tuple[ast.Expr, tuple[ast.PathStep, ...]]:
    """A path or subscript chain as (the value it starts from, its steps)."""
    if isinstance(e, ast.VariantPath):
        inner, steps = _path_parts(e.expr)
        return inner, steps + e.steps
    if isinstance(e, ast.Subscript):
        inner, steps = _path_parts(e.expr)
        return inner, (*steps, ast.PathStep(span=e.index.span, index=e.index))
    return e, ()


def path(t: Translator, e: ast.VariantPath | ast.Subscript) -> str:
    """`v:a.b[0]`, `v['k']`, `a[1]`: the VARIANT found there (NULL when absent)."""
    inner, steps = _path_parts(e)
    return _walk(t, _as_json(t, inner), steps)


def _as_json(t: Translator, e: ast.Expr) -> str:
    sql = t.expr(e)
    return sql if is_variant(e) else f"CAST({sql} AS JSON)"


def is_variant(e: ast.Expr) -> bool:
    """Is `e` a VARIANT by its form (a path, a literal array/object, a VARIANT function)?"""
    if isinstance(e, ast.VariantPath | ast.Subscript | ast.ArrayLiteral | ast.ObjectLiteral):
        return True
    if isinstance(e, ast.Cast):
        return types.to_duckdb(e.type) == "JSON"
    if isinstance(e, ast.FuncCall) and len(e.name.parts) == 1:
        return e.name.parts[0].name.lower() in _VARIANT_FUNCTIONS
    return False


def cast(t: Translator, e: ast.Cast) -> str:
    """`x::type`: out of a VARIANT, a string is its text (not its JSON: `'"a"'`), a number or a
    date is read from that text; into a VARIANT, any value as JSON."""
    target = t.cast_type(e.type)
    if target != "JSON" and isinstance(e.expr, ast.VariantPath | ast.Subscript):
        base, steps = _path_parts(e.expr)
        path = _path_text(steps)
        if path is not None:
            # One extraction straight to text, not the VARIANT and then its text (measured on
            # 1M rows: `v:d::string` 1.3x faster; scripts/bench json).
            text = f"json_extract_string({_as_json(t, base)}, {t.param(path)})"
            if target == "TIMESTAMP":
                return epoch.timestamp_of(text, tried=False)
            return f"CAST({text} AS {target})"
    inner = t.expr(e.expr)
    if target == "JSON":
        return inner if is_variant(e.expr) else variant(inner)
    if target == "TIMESTAMP":  # TIMESTAMP_NTZ: as TO_TIMESTAMP reads it (numbers: the epoch)
        value = f"json_extract_string({inner}, '$')" if is_variant(e.expr) else inner
        if isinstance(e.expr, ast.ColumnRef):  # maybe a VARIANT column: its text
            value = (
                f"(CASE WHEN typeof({inner}) = 'JSON' THEN json_extract_string(CAST({inner} AS "
                f"JSON), '$') END)"
            )
            return (
                f"(CASE WHEN typeof({inner}) = 'JSON' THEN {epoch.timestamp_of(value, False)} "
                f"ELSE {epoch.timestamp_of(inner, False)} END)"
            )
        return epoch.timestamp_of(value, tried=False)
    if is_variant(e.expr):
        return f"CAST(json_extract_string({inner}, '$') AS {target})"
    if isinstance(e.expr, ast.ColumnRef):
        # A VARIANT column's type is only known to DuckDB: choose there (the test is constant).
        return (
            f"(CASE WHEN typeof({inner}) = 'JSON' THEN CAST(json_extract_string(CAST({inner} AS "
            f"JSON), '$') AS {target}) ELSE CAST({inner} AS {target}) END)"
        )
    return f"CAST({inner} AS {target})"


def array_literal(t: Translator, e: ast.ArrayLiteral) -> str:
    return "json_array(" + ", ".join(_element(t, i) for i in e.items) + ")"


def object_literal(t: Translator, e: ast.ObjectLiteral) -> str:
    pairs = ", ".join(f"{t.param(k)}, {_element(t, v)}" for k, v in e.items)
    return f"json_merge_patch('{{}}', json_object({pairs}))"


def _element(t: Translator, e: ast.Expr) -> str:
    sql = t.expr(e)
    return sql if is_variant(e) else variant(sql)


EXPRESSIONS: dict[type, ExpressionRule] = {
    ast.VariantPath: path,
    ast.Subscript: path,
    ast.ArrayLiteral: array_literal,
    ast.ObjectLiteral: object_literal,
    ast.Cast: cast,
}


# ---------------------------------------------------------------------------- functions


def _args_json(t: Translator, e: ast.FuncCall, args: LazyArgs) -> list[str]:
    return [args[i] if is_variant(a) else variant(args[i]) for i, a in enumerate(e.args)]


def parse_json(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"json(CAST({args[0]} AS VARCHAR))"


def try_parse_json(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    s = f"CAST({args[0]} AS VARCHAR)"
    return f"(CASE WHEN json_valid({s}) THEN json({s}) END)"


def check_json(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    s = f"CAST({args[0]} AS VARCHAR)"
    return (
        f"(CASE WHEN {s} IS NULL OR {s} = '' OR json_valid({s}) THEN NULL ELSE 'invalid JSON' END)"
    )


def to_variant(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return args[0] if is_variant(e.args[0]) else variant(args[0])


def to_array(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    v = _args_json(t, e, args)[0]
    return f"(CASE WHEN json_type({v}) = 'ARRAY' THEN {v} ELSE json_array({v}) END)"


def array_construct(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    return "json_array(" + ", ".join(_args_json(t, e, args)) + ")"


def array_construct_compact(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    items = _args_json(t, e, args)
    listed = "[" + ", ".join(items) + "]"
    return f"CAST(to_json(list_filter({listed}, lambda x: x IS NOT NULL)) AS JSON)"


def object_construct(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # Pairs whose key or value is NULL are left out (OBJECT_CONSTRUCT docs).
    keep_null = e.name.parts[0].name.lower() == "object_construct_keep_null"
    if e.star:
        raise UnsupportedError("unsupported", e.span, message="OBJECT_CONSTRUCT(*)")
    if len(args) % 2:
        raise SemanticError(
            "semantic", e.span, message="OBJECT_CONSTRUCT takes an even number of arguments"
        )
    values = _args_json(t, e, args)
    pairs = []
    for i in range(0, len(args), 2):
        key = f"CAST({args[i]} AS VARCHAR)"
        pairs.append((key, values[i + 1]))
    listed = ", ".join(f"{{'k': {k}, 'v': {v}}}" for k, v in pairs)
    if not pairs:
        return "json_object()"
    # OBJECT_CONSTRUCT_KEEP_NULL keeps a NULL value (as JSON null) but, as OBJECT_CONSTRUCT,
    # leaves out a pair whose key is NULL (its docs' example: ('key_1', 'one', NULL, 'two')).
    kept = "p.k IS NOT NULL" if keep_null else "p.k IS NOT NULL AND p.v IS NOT NULL"
    return (
        f"CAST(to_json(map_from_entries(list_transform(list_filter([{listed}], lambda p: "
        f"{kept}), lambda p: {{'key': p.k, 'value': p.v}}))) AS JSON)"
    )


def get(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # GET(v, index | key); GET(v, key) of an object, GET(v, i) of an array.
    need(e, args, 2)
    # Only the value is translated here: the step translates its own index.
    base = args[0] if is_variant(e.args[0]) else variant(args[0])
    step = ast.PathStep(span=e.args[1].span, index=e.args[1])
    return _walk(t, base, (step,))


def get_path(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # GET_PATH(v, 'a.b[0]'): a constant path in Snowflake's path syntax.
    need(e, args, 2)
    arg = e.args[1]
    if not (isinstance(arg, ast.Literal) and arg.kind == "string"):
        raise UnsupportedError("unsupported", arg.span, message="GET_PATH with a computed path")
    base = args[0] if is_variant(e.args[0]) else variant(args[0])
    return f"json_extract({base}, {t.param(json_path(str(arg.value), arg.span))})"


_PATH_TOKEN = re.compile(
    r"""\s*(?:\.?\s*([A-Za-z_][A-Za-z0-9_$]*)|\.?\s*"((?:[^"]|"")*)"|\[\s*(\d+)\s*\]"""
    r"""|\[\s*'((?:[^']|'')*)'\s*\]|\[\s*"((?:[^"]|"")*)"\s*\])"""
)


def json_path(text: str, span: ast.Span) -> str:
    """Snowflake's path syntax (`a.b[0]`, `a['b c']`, `"a"."b"`) as a JSONPath (`$."a"."b"[0]`)."""
    out = "$"
    pos = 0
    while pos < len(text):
        m = _PATH_TOKEN.match(text, pos)
        if m is None or m.end() == pos or (pos == 0 and text.lstrip().startswith(".")):
            raise SemanticError("semantic", span, message=f"invalid path '{text}'")
        name, quoted, index, sq, dq = m.groups()
        if index is not None:
            out += f"[{int(index)}]"
        else:
            key = name if name is not None else (quoted or sq or dq or "")
            out += _json_key(key.replace('""', '"').replace("''", "'"))
        pos = m.end()
    return out


def array_size(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    v = _args_json(t, e, args)[0]
    return f"(CASE WHEN json_type({v}) = 'ARRAY' THEN json_array_length({v}) END)"


def _list(v: str) -> str:
    """A JSON array as a DuckDB list of JSON elements."""
    return f"CAST({v} AS JSON[])"


def _json_of_list(sql: str) -> str:
    return f"CAST(to_json({sql}) AS JSON)"


def array_contains(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_CONTAINS(value, array) (Snowflake's order).
    need(e, args, 2)
    value, arr = _args_json(t, e, args)
    return f"list_contains({_list(arr)}, {value})"


def array_position(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_POSITION(value, array): the 0-based position of the first match, NULL if none.
    need(e, args, 2)
    value, arr = _args_json(t, e, args)
    return f"(list_position({_list(arr)}, {value}) - 1)"


def array_append(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    arr, value = _args_json(t, e, args)
    return _json_of_list(f"list_append({_list(arr)}, {value})")


def array_prepend(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    arr, value = _args_json(t, e, args)
    return _json_of_list(f"list_prepend({value}, {_list(arr)})")


def array_cat(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    a, b = _args_json(t, e, args)
    return _json_of_list(f"list_concat({_list(a)}, {_list(b)})")


def array_compact(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    a = _args_json(t, e, args)[0]
    return _json_of_list(f"list_filter({_list(a)}, lambda x: x IS NOT NULL AND x <> 'null')")


def array_distinct(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # The first occurrence of each element, in order.
    need(e, args, 1)
    a = _list(_args_json(t, e, args)[0])
    return _json_of_list(f"list_filter({a}, lambda x, i: list_position({a}, x) = i)")


def array_slice(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_SLICE(array, from, to): 0-based, `to` excluded; negative counts from the end.
    need(e, args, 3)
    a = _list(_args_json(t, e, args)[0])
    lo, hi = f"CAST({args[1]} AS BIGINT)", f"CAST({args[2]} AS BIGINT)"
    n = f"len({a})"
    start = f"(CASE WHEN {lo} < 0 THEN greatest({n} + {lo}, 0) ELSE {lo} END)"
    end = f"(CASE WHEN {hi} < 0 THEN {n} + {hi} ELSE least({hi}, {n}) END)"
    return _json_of_list(f"list_slice({a}, {start} + 1, {end})")


def array_to_string(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    a = _list(_args_json(t, e, args)[0])
    text = "coalesce(json_extract_string(x, '$'), '')"
    return f"array_to_string(list_transform({a}, lambda x: {text}), {args[1]})"


def array_sort(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_SORT(a [, ascending [, nulls_first]]): ascending unless told; NULLs sort last when
    # ascending and first when descending, unless told (ARRAY_SORT docs).
    need(e, args, 1, 2, 3)
    flags = []
    for arg in e.args[1:]:
        if not (isinstance(arg, ast.Literal) and arg.kind == "boolean"):
            raise SemanticError("semantic", arg.span, message="ARRAY_SORT takes constant booleans")
        flags.append(bool(arg.value))
    ascending = flags[0] if flags else True
    nulls_first = flags[1] if len(flags) > 1 else not ascending
    a = _list(variant(args[0]) if not is_variant(e.args[0]) else args[0])
    order = (
        f"'{'ASC' if ascending else 'DESC'}', '{'NULLS FIRST' if nulls_first else 'NULLS LAST'}'"
    )
    return _json_of_list(f"list_sort({a}, {order})")


def array_reverse(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return _json_of_list(f"list_reverse({_list(_args_json(t, e, args)[0])})")


def array_min_max(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    which = "min" if e.name.parts[0].name.lower() == "array_min" else "max"
    a = _list(_args_json(t, e, args)[0])
    values = f"list_filter({a}, lambda x: x IS NOT NULL AND x <> 'null')"
    # Numbers compare as numbers and the element itself is the result (ARRAY_MAX([20, 0, 10])
    # is 20, not 20.0).
    wins = ">" if which == "max" else "<"
    numeric = (
        f"(CASE WHEN len({values}) = 0 THEN NULL ELSE list_reduce({values}, lambda p, q: "
        f"CASE WHEN CAST(q AS DOUBLE) {wins} CAST(p AS DOUBLE) THEN q ELSE p END) END)"
    )
    return (
        f"(CASE WHEN list_bool_and(list_transform({values}, lambda x: json_type(x) IN "
        f"('BIGINT', 'UBIGINT', 'DOUBLE'))) THEN {numeric} ELSE list_{which}({values}) END)"
    )


def array_generate_range(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2, 3)
    step = args[2] if len(args) == 3 else "1"
    return _json_of_list(
        f"range(CAST({args[0]} AS BIGINT), CAST({args[1]} AS BIGINT), CAST({step} AS BIGINT))"
    )


def arrays_overlap(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    a, b = _args_json(t, e, args)
    return f"list_has_any({_list(a)}, {_list(b)})"


def array_intersection(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    a, b = _args_json(t, e, args)
    return _json_of_list(f"list_filter({_list(a)}, lambda x: list_contains({_list(b)}, x))")


def array_except(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    a, b = _args_json(t, e, args)
    return _json_of_list(f"list_filter({_list(a)}, lambda x: NOT list_contains({_list(b)}, x))")


def array_flatten(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    a = _list(_args_json(t, e, args)[0])
    return _json_of_list(f"flatten(list_transform({a}, lambda x: CAST(x AS JSON[])))")


def object_keys(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # Snowflake keeps an object's keys sorted.
    need(e, args, 1)
    return _json_of_list(f"list_sort(json_keys({_args_json(t, e, args)[0]}))")


def object_insert(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 3, 4)
    o, _key, value = _args_json(t, e, args)[:3]
    return f"json_merge_patch({o}, json_object(CAST({args[1]} AS VARCHAR), {value}))"


def object_delete(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    if len(args) < 2:
        need(e, args, 2)
    o = _args_json(t, e, args)[0]
    keys = "[" + ", ".join(f"CAST({args[i]} AS VARCHAR)" for i in range(1, len(args))) + "]"
    kept = f"list_filter(json_keys({o}), lambda k: NOT list_contains({keys}, k))"
    return _pick(o, kept)


def object_pick(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    if len(args) < 2:
        need(e, args, 2)
    o = _args_json(t, e, args)[0]
    keys = "[" + ", ".join(f"CAST({args[i]} AS VARCHAR)" for i in range(1, len(args))) + "]"
    kept = f"list_filter(json_keys({o}), lambda k: list_contains({keys}, k))"
    return _pick(o, kept)


def _pick(o: str, keys: str) -> str:
    value = f"json_extract({o}, '$.' || to_json(k))"
    entries = f"list_transform({keys}, lambda k: {{'key': k, 'value': {value}}})"
    return (
        f"(CASE WHEN {o} IS NOT NULL THEN coalesce(CAST(to_json(map_from_entries({entries})) AS "
        f"JSON), json_object()) END)"
    )


def typeof(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return "(" + _TYPEOF.format(v=_args_json(t, e, args)[0]) + ")"


def _is(kinds: tuple[str, ...]) -> FunctionRule:
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        need(e, args, 1)
        kind = _TYPEOF.format(v=_args_json(t, e, args)[0])
        return f"(({kind}) IN ({', '.join(repr(k) for k in kinds)}))"

    return rule


def _as(kinds: tuple[str, ...], target: str) -> FunctionRule:
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        need(e, args, 1)
        v = _args_json(t, e, args)[0]
        kind = _TYPEOF.format(v=v)
        value = v if target == "JSON" else f"CAST(json_extract_string({v}, '$') AS {target})"
        return f"(CASE WHEN ({kind}) IN ({', '.join(repr(k) for k in kinds)}) THEN {value} END)"

    return rule


def split(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # SPLIT(s, sep) is an ARRAY of strings.
    need(e, args, 2)
    return _json_of_list(f"string_split({args[0]}, {args[1]})")


def strtok_to_array(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # STRTOK_TO_ARRAY(s [, delimiters]): split on any delimiter character, empty tokens dropped.
    need(e, args, 1, 2)
    delims = args[1] if len(args) == 2 else t.param(" ")
    pattern = f"'[' || regexp_replace({delims}, '([\\\\[\\\\]^\\\\\\\\-])', '\\\\\\1', 'g') || ']'"
    tokens = f"list_filter(regexp_split_to_array({args[0]}, {pattern}), lambda x: x <> '')"
    return _json_of_list(tokens)


def to_json(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # TO_JSON(variant): the value's JSON text, a VARCHAR (not a VARIANT).
    need(e, args, 1)
    return f"CAST(to_json({args[0]}) AS VARCHAR)"


def regexp_substr_all(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # REGEXP_SUBSTR_ALL: an ARRAY of the matches; sqlglot's mapping makes a DuckDB list.
    return _json_of_list(transpile.rule(t, e, args))


FUNCTIONS: dict[str, FunctionRule] = {
    "regexp_substr_all": regexp_substr_all,
    "to_json": to_json,
    "parse_json": parse_json,
    "try_parse_json": try_parse_json,
    "check_json": check_json,
    "to_variant": to_variant,
    "to_object": to_variant,
    "to_array": to_array,
    "array_construct": array_construct,
    "array_construct_compact": array_construct_compact,
    "object_construct": object_construct,
    "object_construct_keep_null": object_construct,
    "get": get,
    "get_path": get_path,
    "array_size": array_size,
    "array_contains": array_contains,
    "array_position": array_position,
    "array_append": array_append,
    "array_prepend": array_prepend,
    "array_cat": array_cat,
    "array_compact": array_compact,
    "array_distinct": array_distinct,
    "array_slice": array_slice,
    "array_to_string": array_to_string,
    "array_sort": array_sort,
    "array_reverse": array_reverse,
    "array_min": array_min_max,
    "array_max": array_min_max,
    "array_generate_range": array_generate_range,
    "arrays_overlap": arrays_overlap,
    "array_intersection": array_intersection,
    "array_except": array_except,
    "array_flatten": array_flatten,
    "object_keys": object_keys,
    "object_insert": object_insert,
    "object_delete": object_delete,
    "object_pick": object_pick,
    "typeof": typeof,
    "is_array": _is(("ARRAY",)),
    "is_object": _is(("OBJECT",)),
    "is_integer": _is(("INTEGER",)),
    "is_decimal": _is(("INTEGER", "DECIMAL")),
    "is_double": _is(("INTEGER", "DECIMAL", "DOUBLE")),
    "is_real": _is(("INTEGER", "DECIMAL", "DOUBLE")),
    "is_varchar": _is(("VARCHAR",)),
    "is_char": _is(("VARCHAR",)),
    "is_boolean": _is(("BOOLEAN",)),
    "is_null_value": _is(("NULL_VALUE",)),
    "as_varchar": _as(("VARCHAR",), "VARCHAR"),
    "as_char": _as(("VARCHAR",), "VARCHAR"),
    "as_integer": _as(("INTEGER",), "BIGINT"),
    "as_double": _as(("INTEGER", "DECIMAL", "DOUBLE"), "DOUBLE"),
    "as_real": _as(("INTEGER", "DECIMAL", "DOUBLE"), "DOUBLE"),
    "as_decimal": _as(("INTEGER", "DECIMAL"), "DECIMAL(38,0)"),
    "as_number": _as(("INTEGER", "DECIMAL"), "DECIMAL(38,0)"),
    "as_boolean": _as(("BOOLEAN",), "BOOLEAN"),
    "as_object": _as(("OBJECT",), "JSON"),
    "as_array": _as(("ARRAY",), "JSON"),
    "split": split,
    "strtok_to_array": strtok_to_array,
}

# Calls whose value is a VARIANT (JSON), so that paths and casts read it as such.
_VARIANT_FUNCTIONS = frozenset(
    {
        "parse_json",
        "try_parse_json",
        "to_variant",
        "to_object",
        "to_array",
        "array_construct",
        "array_construct_compact",
        "object_construct",
        "object_construct_keep_null",
        "get",
        "get_path",
        "array_append",
        "array_prepend",
        "array_cat",
        "array_compact",
        "array_distinct",
        "array_slice",
        "array_sort",
        "array_reverse",
        "array_min",
        "array_max",
        "array_generate_range",
        "array_intersection",
        "array_except",
        "array_flatten",
        "object_keys",
        "object_insert",
        "object_delete",
        "object_pick",
        "as_object",
        "as_array",
        "split",
        "strtok_to_array",
        "regexp_substr_all",
        "array_agg",
        "arrayagg",
        "object_agg",
        "array_unique_agg",
        # maps.py and arrays.py
        "map_cat",
        "map_delete",
        "map_insert",
        "map_keys",
        "map_pick",
        "array_remove",
        "array_remove_at",
        "array_insert",
        "arrays_zip",
        "arrays_to_object",
        "array_union_agg",
        # approx.py
        "approx_top_k",
        "approx_top_k_accumulate",
        "approx_percentile_accumulate",
        "hll_accumulate",
        "approx_top_k_combine",
        "approx_percentile_combine",
        "hll_combine",
        "approx_top_k_estimate",
    }
)


# ---------------------------------------------------------------------------- aggregates


def array_agg(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # NULLs are left out (ARRAY_AGG docs); an empty group gives [].
    need(e, args, 1)
    x = args[0]
    # DuckDB orders a DISTINCT aggregate only by its argument: there the values stay as they
    # are (to_json of the list makes the same JSON).
    value = x if is_variant(e.args[0]) or (distinct and within) else variant(x)
    items = f"list({distinct}{value}{within}) FILTER (WHERE {x} IS NOT NULL){over}"
    return f"CAST(to_json(coalesce({items}, [])) AS JSON)"


def array_unique_agg(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    return array_agg(t, e, args, "DISTINCT ", within, over)


def object_agg(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    need(e, args, 2)
    k, v = args[0], args[1]
    value = v if is_variant(e.args[1]) else variant(v)
    entries = (
        f"list({{'key': CAST({k} AS VARCHAR), 'value': {value}}}) FILTER (WHERE {k} IS NOT "
        f"NULL AND {v} IS NOT NULL){over}"
    )
    return f"coalesce(CAST(to_json(map_from_entries({entries})) AS JSON), json_object())"


def listagg(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # LISTAGG(x [, sep]) [WITHIN GROUP (ORDER BY …)]: '' separates by default; NULLs skipped.
    need(e, args, 1, 2)
    sep = args[1] if len(args) == 2 else t.param("")
    return f"coalesce(string_agg({distinct}CAST({args[0]} AS VARCHAR), {sep}{within}){over}, '')"


def _percentile(func: str) -> AggregateRule:
    def rule(
        t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
    ) -> str:
        need(e, args, 1)
        if len(e.within_group) != 1:
            raise SemanticError(
                "semantic", e.span, message=f"{func.upper()} needs WITHIN GROUP (ORDER BY x)"
            )
        order = e.within_group[0]
        value = t.expr(order.expr)
        p = f"(1 - {args[0]})" if order.desc else args[0]
        return f"{func}({value}, {p}){over}"

    return rule


def _plain(duck: str) -> AggregateRule:
    def rule(
        t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
    ) -> str:
        return f"{duck}({distinct}{', '.join(args)}{within}){over}"

    return rule


AGGREGATES: dict[str, AggregateRule] = {
    "array_agg": array_agg,
    "arrayagg": array_agg,
    "array_unique_agg": array_unique_agg,
    "object_agg": object_agg,
    "listagg": listagg,
    "percentile_cont": _percentile("quantile_cont"),
    "percentile_disc": _percentile("quantile_disc"),
    "mode": _plain("mode"),
    "kurtosis": _plain("kurtosis"),
    "skew": _plain("skewness"),
    "variance_pop": _plain("var_pop"),
    "variance_samp": _plain("var_samp"),
    "covar_pop": _plain("covar_pop"),
    "covar_samp": _plain("covar_samp"),
    "corr": _plain("corr"),
    "regr_slope": _plain("regr_slope"),
    "regr_intercept": _plain("regr_intercept"),
    "regr_r2": _plain("regr_r2"),
    "regr_count": _plain("regr_count"),
    "regr_avgx": _plain("regr_avgx"),
    "regr_avgy": _plain("regr_avgy"),
    "regr_sxx": _plain("regr_sxx"),
    "regr_syy": _plain("regr_syy"),
    "regr_sxy": _plain("regr_sxy"),
    "booland_agg": _plain("bool_and"),
    "boolor_agg": _plain("bool_or"),
    "approx_count_distinct": _plain("approx_count_distinct"),
}
