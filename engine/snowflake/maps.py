"""Snowflake's MAP functions (MAP_CAT, MAP_CONTAINS_KEY, MAP_DELETE, MAP_INSERT, MAP_KEYS,
MAP_PICK, MAP_SIZE). A MAP is held as the OBJECT it casts from (a JSON object: `CAST(o AS
MAP(VARCHAR, INT))` keeps its value, semi.py), so each is its OBJECT counterpart's rule or a
rule over the object's keys."""

from __future__ import annotations

from cloneshell.engine.core.functions import need
from cloneshell.engine.core.translate import FunctionRule, LazyArgs, Translator
from cloneshell.engine.snowflake import semi
from cloneshell.grammar import ast


def _map(t: Translator, e: ast.FuncCall, args: LazyArgs, index: int) -> str:
    arg = e.args[index]
    return args[index] if semi.is_variant(arg) else semi.variant(args[index])


def map_cat(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # MAP_CAT(m1, m2): m1's entries and m2's, m2's value where both have a key.
    need(e, args, 2)
    a, b = _map(t, e, args, 0), _map(t, e, args, 1)
    return f"(CASE WHEN {a} IS NOT NULL AND {b} IS NOT NULL THEN json_merge_patch({a}, {b}) END)"


def map_contains_key(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # MAP_CONTAINS_KEY(key, map).
    need(e, args, 2)
    m = _map(t, e, args, 1)
    return f"list_contains(json_keys({m}), CAST({args[0]} AS VARCHAR))"


def map_keys(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    m = _map(t, e, args, 0)
    return f"CAST(to_json(list_sort(json_keys({m}))) AS JSON)"


def map_size(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    m = _map(t, e, args, 0)
    return f"CAST(len(json_keys({m})) AS BIGINT)"


FUNCTIONS: dict[str, FunctionRule] = {
    "map_cat": map_cat,
    "map_contains_key": map_contains_key,
    "map_delete": semi.object_delete,
    "map_insert": semi.object_insert,
    "map_keys": map_keys,
    "map_pick": semi.object_pick,
    "map_size": map_size,
}
