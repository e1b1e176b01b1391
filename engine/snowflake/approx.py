"""Snowflake's approximate aggregates whose exact answer is what Snowflake returns on the data a
local warehouse holds: APPROX_TOP_K, APPROX_PERCENTILE and the _ACCUMULATE / _COMBINE /
_ESTIMATE state functions of APPROX_TOP_K, APPROX_PERCENTILE and HLL. A state here is the JSON
array of the values it summarises (HLL's: the distinct ones), so that ESTIMATE(COMBINE(…
ACCUMULATE(x))) answers what the direct aggregate answers; Snowflake's states are its own binary
summaries, which no query reads but these functions (HLL_EXPORT's documented layout is refused
as unsupported)."""

from __future__ import annotations

from cloneshell.engine.core.functions import need
from cloneshell.engine.core.translate import AggregateRule, FunctionRule, LazyArgs, Translator
from cloneshell.engine.snowflake import semi
from cloneshell.grammar import ast


def _value(e: ast.FuncCall, args: LazyArgs) -> str:
    return args[0] if semi.is_variant(e.args[0]) else semi.variant(args[0])


def _json(sql: str) -> str:
    return f"CAST(to_json({sql}) AS JSON)"


def _top(values: str, k: str) -> str:
    """The k most frequent of a DuckDB list of JSON values as `[[value, count], …]`."""
    counted = (
        f"list_reverse_sort(list_transform(map_entries(list_aggregate({values}, 'histogram')), "
        "lambda p: {'c': p.value, 'v': p.key}))"
    )
    pairs = f"list_transform(({counted})[1:CAST({k} AS BIGINT)], lambda p: json_array(p.v, p.c))"
    return _json(f"coalesce({pairs}, [])")


def approx_top_k(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # APPROX_TOP_K(x [, k [, counters]]): the k (default 1) most frequent values with their
    # counts, most frequent first; NULLs are not counted.
    need(e, args, 1, 2, 3)
    k = args[1] if len(args) > 1 else "1"
    return _top(f"list({_value(e, args)}) FILTER (WHERE {args[0]} IS NOT NULL){over}", k)


def accumulate(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # APPROX_TOP_K_ACCUMULATE(x, counters) / APPROX_PERCENTILE_ACCUMULATE(x): the state.
    name = e.name.parts[0].name.lower()
    need(e, args, *((2,) if name == "approx_top_k_accumulate" else (1,)))
    return _json(
        f"coalesce(list({_value(e, args)}) FILTER (WHERE {args[0]} IS NOT NULL){over}, [])"
    )


def hll_accumulate(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    need(e, args, 1)
    return _json(
        f"coalesce(list(DISTINCT {_value(e, args)}) FILTER (WHERE {args[0]} IS NOT NULL){over}, [])"
    )


def combine(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # …_COMBINE(state [, counters]): one state of the group's states (HLL: distinct values).
    name = e.name.parts[0].name.lower()
    need(e, args, *((1, 2) if name == "approx_top_k_combine" else (1,)))
    merged = f"flatten(list(CAST({args[0]} AS JSON[])){over})"
    if name == "hll_combine":
        merged = f"list_distinct({merged})"
    return _json(f"coalesce({merged}, [])")


def top_k_estimate(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # APPROX_TOP_K_ESTIMATE(state [, k]).
    need(e, args, 1, 2)
    return _top(f"CAST({args[0]} AS JSON[])", args[1] if len(args) > 1 else "1")


def percentile_estimate(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # APPROX_PERCENTILE_ESTIMATE(state, p): the percentile APPROX_PERCENTILE gives.
    need(e, args, 2)
    return f"list_aggregate(CAST({args[0]} AS DOUBLE[]), 'approx_quantile', {args[1]})"


def hll_estimate(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 1)
    return f"CAST(json_array_length({args[0]}) AS BIGINT)"


def approx_percentile(
    t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
) -> str:
    # APPROX_PERCENTILE(x, p): a FLOAT (APPROX_PERCENTILE docs).
    need(e, args, 2)
    return f"approx_quantile(CAST({args[0]} AS DOUBLE), {args[1]}){over}"


FUNCTIONS: dict[str, FunctionRule] = {
    "approx_top_k_estimate": top_k_estimate,
    "approx_percentile_estimate": percentile_estimate,
    "hll_estimate": hll_estimate,
}

AGGREGATES: dict[str, AggregateRule] = {
    "approx_top_k": approx_top_k,
    "approx_top_k_accumulate": accumulate,
    "approx_percentile_accumulate": accumulate,
    "hll_accumulate": hll_accumulate,
    "approx_top_k_combine": combine,
    "approx_percentile_combine": combine,
    "hll_combine": combine,
    "approx_percentile": approx_percentile,
}
