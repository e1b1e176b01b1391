"""Snowflake's string functions that also take BINARY values (REVERSE, LEFT, RIGHT; LPAD and
RPAD are functions.py's), REPEAT with a count that is not an integer (rounded, as Snowflake
converts a number to an integer), and SUM/AVG over text (read as numbers, as Snowflake converts
it implicitly). The argument's type picks the meaning when the query runs (the `cs_sf_…`
macros of engine/core/macros.py)."""

from __future__ import annotations

from cloneshell.engine.core.functions import call, need
from cloneshell.engine.core.translate import AggregateRule, FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast


def repeat(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    need(e, args, 2)
    return f"repeat(CAST({args[0]} AS VARCHAR), CAST({args[1]} AS BIGINT))"


def _numeric(func: str) -> AggregateRule:
    def rule(
        t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
    ) -> str:
        need(e, args, 1)
        return f"{func}({distinct}cs_sf_number({args[0]})){over}"

    return rule


FUNCTIONS: dict[str, FunctionRule] = {
    "reverse": call("cs_sf_reverse", 1),
    "left": call("cs_sf_left", 2),
    "right": call("cs_sf_right", 2),
    "repeat": repeat,
}

AGGREGATES: dict[str, AggregateRule] = {"sum": _numeric("sum"), "avg": _numeric("avg")}
