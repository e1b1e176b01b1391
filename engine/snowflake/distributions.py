"""Snowflake's random distributions beyond UNIFORM (library.py): NORMAL(mean, stddev, gen) and
ZIPF(s, n, gen). As UNIFORM, the value is a function of `gen`: a constant `gen` gives a constant
result, RANDOM() a new one per row (the NORMAL and ZIPF docs); the numbers are this warehouse's
own, not Snowflake's generator's."""

from __future__ import annotations

from cloneshell.engine.core.functions import need
from cloneshell.engine.core.translate import FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast


def _fraction(gen: str, salt: int) -> str:
    """A number in (0, 1) from `gen` (and `salt`, for a second independent one)."""
    return f"((CAST(hash({gen}, {salt}) AS DOUBLE) + 0.5) / 18446744073709551616.0)"


def normal(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # NORMAL(mean, stddev, gen): a FLOAT, normally distributed (Box-Muller over two draws).
    need(e, args, 3)
    gen = args[2]
    z = f"(sqrt(-2 * ln({_fraction(gen, 1)})) * cos(2 * pi() * {_fraction(gen, 2)}))"
    return f"(CAST({args[0]} AS DOUBLE) + CAST({args[1]} AS DOUBLE) * {z})"


def zipf(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # ZIPF(s, n, gen): an integer in [1, n], k drawn with weight 1 / k^s (the inverse of the
    # cumulative weights at one draw).
    need(e, args, 3)
    s, n, gen = args[0], f"CAST({args[1]} AS BIGINT)", args[2]
    weights = f"list_transform(range(1, {n} + 1), lambda k: 1.0 / pow(k, {s}))"
    # One draw per row: it enters the lambda as a parameter (a volatile `gen` written inside
    # the lambda would be drawn again for every comparison).
    cumulative = f"list_transform(range(1, {n} + 1), lambda k: list_sum(({weights})[1:k]))"
    draw = f"[{_fraction(gen, 1)} * list_sum({weights})]"
    counted = f"list_transform({draw}, lambda d: len(list_filter({cumulative}, lambda c: c < d)))"
    return f"CAST(({counted})[1] + 1 AS BIGINT)"


FUNCTIONS: dict[str, FunctionRule] = {"normal": normal, "zipf": zipf}
