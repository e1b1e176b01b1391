"""Snowflake's ARRAY functions that semi.py has not (ARRAY_REMOVE, ARRAY_REMOVE_AT,
ARRAY_INSERT, ARRAYS_ZIP, ARRAYS_TO_OBJECT and the ARRAY_UNION_AGG aggregate), over ARRAYs
held as JSON arrays as semi.py holds them."""

from __future__ import annotations

from cloneshell.engine.core.functions import need
from cloneshell.engine.core.translate import AggregateRule, FunctionRule, LazyArgs, Translator
from cloneshell.engine.snowflake import semi
from cloneshell.grammar import ast

_NUMERIC = "('BIGINT', 'UBIGINT', 'DOUBLE')"


def _json(e: ast.FuncCall, args: LazyArgs, index: int) -> str:
    return args[index] if semi.is_variant(e.args[index]) else semi.variant(args[index])


def _list(v: str) -> str:
    return f"CAST({v} AS JSON[])"


def _array(sql: str) -> str:
    return f"CAST(to_json({sql}) AS JSON)"


def array_remove(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_REMOVE(array, value): every element equal to value goes (numbers by value: 5 and
    # 5.00 are equal, '5' is not); a NULL value gives NULL (ARRAY_REMOVE docs).
    need(e, args, 2)
    a, v = _json(e, args, 0), _json(e, args, 1)
    equal = (
        f"(x = {v} OR (json_type(x) IN {_NUMERIC} AND json_type({v}) IN {_NUMERIC} "
        f"AND CAST(x AS DOUBLE) = CAST({v} AS DOUBLE)))"
    )
    kept = _array(f"list_filter({_list(a)}, lambda x: x IS NULL OR NOT {equal})")
    return f"(CASE WHEN {v} IS NULL OR {a} IS NULL THEN NULL ELSE {kept} END)"


def _position(a: str, pos: str) -> str:
    """A 0-based position (negative: from the end) as a 1-based DuckDB index."""
    n = f"CAST({pos} AS BIGINT)"
    return f"(CASE WHEN {n} < 0 THEN json_array_length({a}) + {n} + 1 ELSE {n} + 1 END)"


def array_remove_at(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_REMOVE_AT(array, position): out of range leaves the array as it is.
    need(e, args, 2)
    a = _json(e, args, 0)
    i = _position(a, args[1])
    return _array(f"list_filter({_list(a)}, lambda x, j: j <> {i})")


def array_insert(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAY_INSERT(array, position, element): past the end, NULLs fill the gap (docs).
    need(e, args, 3)
    a, x = _json(e, args, 0), _json(e, args, 2)
    i = _position(a, args[1])
    padded = (
        f"list_concat({_list(a)}, list_transform(range(CAST(greatest({i} - 1 - "
        f"json_array_length({a}), 0) AS BIGINT)), lambda k: CAST('null' AS JSON)))"
    )
    return _array(f"list_concat(({padded})[1:{i} - 1], [{x}], ({padded})[{i}:])")


def arrays_zip(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAYS_ZIP(a1, a2 …): [{"$1": a1[0], "$2": a2[0]}, …] as long as the longest; a NULL
    # array gives NULL.
    if not len(args):
        need(e, args, 1)
    arrays = [_json(e, args, i) for i in range(len(args))]
    longest = "greatest(" + ", ".join(f"json_array_length({a})" for a in arrays) + ")"
    fields = ", ".join(
        f"'$' || {i + 1}, coalesce(json_extract({a}, k), CAST('null' AS JSON))"
        for i, a in enumerate(arrays)
    )
    nulls = " OR ".join(f"{a} IS NULL" for a in arrays)
    rows = f"list_transform(range(CAST({longest} AS BIGINT)), lambda k: json_object({fields}))"
    return f"(CASE WHEN {nulls} THEN NULL ELSE {_array(rows)} END)"


def arrays_to_object(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ARRAYS_TO_OBJECT(keys, values): one entry per key (a NULL key is left out).
    need(e, args, 2)
    k, v = _json(e, args, 0), _json(e, args, 1)
    entries = (
        f"list_filter(list_transform(range(CAST(json_array_length({k}) AS BIGINT)), lambda i: "
        f"{{'key': json_extract_string({k}, i), 'value': json_extract({v}, i)}}), "
        "lambda p: p.key IS NOT NULL)"
    )
    return (
        f"(CASE WHEN {k} IS NULL OR {v} IS NULL THEN NULL ELSE coalesce(CAST(to_json("
        f"map_from_entries({entries})) AS JSON), json_object()) END)"
    )


def array_union_agg(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # ARRAY_UNION_AGG(array): the multiset union of the group's arrays (an element as many
    # times as in the array that holds it most often; ARRAY_UNION_AGG docs).
    need(e, args, 1)
    a = _json(e, args, 0)
    counted = (
        f"list_transform(list({a}){over}, lambda l: list_transform(CAST(l AS JSON[]), "
        "lambda x, i: {'v': x, 'n': len(list_filter(CAST(l AS JSON[])[1:i], "
        "lambda y: y = x))}))"
    )
    union = f"list_transform(list_sort(list_distinct(flatten({counted}))), lambda p: p.v)"
    return _array(f"coalesce({union}, [])")


FUNCTIONS: dict[str, FunctionRule] = {
    "array_remove": array_remove,
    "array_remove_at": array_remove_at,
    "array_insert": array_insert,
    "arrays_zip": arrays_zip,
    "arrays_to_object": arrays_to_object,
}

AGGREGATES: dict[str, AggregateRule] = {"array_union_agg": array_union_agg}
