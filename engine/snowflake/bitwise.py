"""Snowflake's bitwise functions over integers and BINARY values (BITAND, BITOR, BITXOR with a
pad side, BITNOT, BITSHIFTLEFT/RIGHT, the BIT_… aliases, the BITAND_AGG … aggregates and their
aliases): the type of the arguments picks the meaning when the query runs (the `cs_sf_bit…`
macros of engine/core/macros.py); numbers that are not integers are rounded to one."""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError
from cloneshell.engine.core.functions import call, need
from cloneshell.engine.core.translate import AggregateRule, FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast


def _binary(op: str) -> FunctionRule:
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        # BITAND(a, b [, 'LEFT' | 'RIGHT']): the pad side only for BINARY values of two lengths.
        need(e, args, 2, 3)
        if len(args) == 2:
            return f"cs_sf_bit{op}({args[0]}, {args[1]})"
        side = e.args[2]
        if not (
            isinstance(side, ast.Literal)
            and side.kind == "string"
            and str(side.value).upper() in ("LEFT", "RIGHT")
        ):
            raise SemanticError("semantic", side.span, message="padside must be 'LEFT' or 'RIGHT'")
        side_sql = t.param(str(side.value).upper())
        return f"cs_sf_bit{op}(CAST({args[0]} AS BLOB), CAST({args[1]} AS BLOB), {side_sql})"

    return rule


def _aggregate(func: str) -> AggregateRule:
    def rule(
        t: Translator, e: ast.FuncCall, args: LazyArgs, distinct: str, within: str, over: str
    ) -> str:
        # BITAND_AGG(x): over the integer values (NUMBER and text rounded to integers).
        need(e, args, 1)
        return f"{func}({distinct}CAST({args[0]} AS HUGEINT)){over}"

    return rule


FUNCTIONS: dict[str, FunctionRule] = {
    "bitand": _binary("and"),
    "bit_and": _binary("and"),
    "bitor": _binary("or"),
    "bit_or": _binary("or"),
    "bitxor": _binary("xor"),
    "bit_xor": _binary("xor"),
    "bitnot": call("cs_sf_bitnot", 1),
    "bit_not": call("cs_sf_bitnot", 1),
    "bitshiftleft": call("cs_sf_bitshiftleft", 2),
    "bit_shiftleft": call("cs_sf_bitshiftleft", 2),
    "bitshiftright": call("cs_sf_bitshiftright", 2),
    "bit_shiftright": call("cs_sf_bitshiftright", 2),
}

AGGREGATES: dict[str, AggregateRule] = {
    **{
        name: _aggregate("bit_and")
        for name in ("bitand_agg", "bitandagg", "bit_andagg", "bit_and_agg")
    },
    **{name: _aggregate("bit_or") for name in ("bitor_agg", "bitoragg", "bit_oragg", "bit_or_agg")},
    **{
        name: _aggregate("bit_xor")
        for name in ("bitxor_agg", "bitxoragg", "bit_xoragg", "bit_xor_agg")
    },
}
