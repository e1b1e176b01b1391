"""Snowflake functions that are one DuckDB expression each, as data: name -> the argument counts
it takes -> a DuckDB template over its arguments (`{0}`, `{1}` …; `{all}` is every argument,
comma-separated). A template that names an argument twice is only used for arguments that are
cheap to repeat or evaluated once by DuckDB (a `{…}` inside a lambda is not re-evaluated per
call site). Each name is pinned by the doc-example tests (tests/engine/test_sf_library_docs.py).
"""

from __future__ import annotations

from collections.abc import Callable

from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.functions import need
from cloneshell.engine.core.translate import (
    FunctionRule,
    LazyArgs,
    Relation,
    TableFunctionRule,
    Translator,
)
from cloneshell.grammar import ast

# INITCAP's default delimiters (INITCAP docs): blank, tab, newline and these marks.
_INITCAP_DELIMITERS = ' \t\n\r\f\v!?@"^#$&~_,.:;+-*%/|\\[](){}<>'

# name -> (argument counts, template)
TEMPLATES: dict[str, tuple[tuple[int, ...], str]] = {
    # numbers
    "sinh": ((1,), "sinh({0})"),
    "cosh": ((1,), "cosh({0})"),
    "tanh": ((1,), "tanh({0})"),
    "asinh": ((1,), "asinh({0})"),
    "acosh": ((1,), "acosh({0})"),
    "atanh": ((1,), "atanh({0})"),
    "cot": ((1,), "cot({0})"),
    "width_bucket": (
        (4,),
        "(CASE WHEN {0} IS NULL OR {1} IS NULL OR {2} IS NULL OR {3} IS NULL THEN NULL "
        "WHEN {0} < {1} THEN 0 WHEN {0} >= {2} THEN {3} + 1 "
        "ELSE CAST(floor(({0} - {1}) * {3} / ({2} - {1})) AS BIGINT) + 1 END)",
    ),
    "div0null": ((2,), "(CASE WHEN {1} = 0 OR {1} IS NULL THEN 0 ELSE {0} / {1} END)"),
    "greatest_ignore_nulls": ((1, 2, 3, 4, 5, 6, 7, 8), "greatest({all})"),
    "least_ignore_nulls": ((1, 2, 3, 4, 5, 6, 7, 8), "least({all})"),
    "getbit": ((2,), "CAST(({0} >> CAST({1} AS INTEGER)) & 1 AS BIGINT)"),
    # booleans over numbers: non-zero is TRUE (BOOLAND / BOOLOR / BOOLXOR / BOOLNOT docs)
    "booland": ((2,), "((CAST({0} AS DOUBLE) <> 0) AND (CAST({1} AS DOUBLE) <> 0))"),
    "boolor": ((2,), "((CAST({0} AS DOUBLE) <> 0) OR (CAST({1} AS DOUBLE) <> 0))"),
    "boolxor": ((2,), "((CAST({0} AS DOUBLE) <> 0) <> (CAST({1} AS DOUBLE) <> 0))"),
    "boolnot": ((1,), "(NOT (CAST({0} AS DOUBLE) <> 0))"),
    "regr_valy": ((2,), "(CASE WHEN {1} IS NULL THEN NULL ELSE {0} END)"),
    # strings
    "bit_length": ((1,), "bit_length(CAST({0} AS VARCHAR))"),
    "octet_length": ((1,), "octet_length(encode(CAST({0} AS VARCHAR)))"),
    "rtrimmed_length": ((1,), "length(rtrim(CAST({0} AS VARCHAR), ' '))"),
    # binary
    "hex_decode_binary": ((1,), "unhex(CAST({0} AS VARCHAR))"),
    "try_hex_decode_binary": ((1,), "try(unhex(CAST({0} AS VARCHAR)))"),
    "try_hex_decode_string": ((1,), "try(decode(unhex(CAST({0} AS VARCHAR))))"),
    "base64_decode_binary": ((1,), "from_base64(CAST({0} AS VARCHAR))"),
    "try_base64_decode_binary": ((1,), "try(from_base64(CAST({0} AS VARCHAR)))"),
    "try_base64_decode_string": ((1,), "try(decode(from_base64(CAST({0} AS VARCHAR))))"),
    "md5_binary": ((1,), "unhex(md5(CAST({0} AS VARCHAR)))"),
    # the low / high 64 bits of the MD5 digest, read as an unsigned big-endian number
    "md5_number_lower64": ((1,), "CAST(('0x' || right(md5(CAST({0} AS VARCHAR)), 16)) AS UBIGINT)"),
    "md5_number_upper64": ((1,), "CAST(('0x' || left(md5(CAST({0} AS VARCHAR)), 16)) AS UBIGINT)"),
    # dates
    "week": ((1,), "CAST(week({0}) AS BIGINT)"),
}

# TO_BINARY(s, format) / TRY_TO_BINARY: format -> DuckDB's decoding of the text.
_BINARY_FORMATS = {
    "hex": "unhex({})",
    "base64": "from_base64({})",
    "utf-8": "encode({})",
    "utf8": "encode({})",
}


def _template(counts: tuple[int, ...], template: str) -> FunctionRule:
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        need(e, args, *counts)
        values = list(args)
        return template.format(*values, all=", ".join(values))

    return rule


def to_binary(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # TO_BINARY(s [, 'HEX' | 'BASE64' | 'UTF-8']): HEX unless told (TO_BINARY docs).
    need(e, args, 1, 2)
    name = e.name.parts[0].name.lower()
    fmt = "hex"
    if len(args) == 2:
        arg = e.args[1]
        if not (isinstance(arg, ast.Literal) and arg.kind == "string"):
            raise SemanticError("semantic", arg.span, message="binary format must be a constant")
        fmt = str(arg.value).lower()
    template = _BINARY_FORMATS.get(fmt)
    if template is None:
        raise SemanticError("semantic", e.args[1].span, message=f"invalid binary format {fmt}")
    sql = template.format(f"CAST({args[0]} AS VARCHAR)")
    return f"try({sql})" if name.startswith("try_") else sql


def initcap(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # INITCAP(s [, delimiters]): the first letter after a delimiter upper case, others lower.
    need(e, args, 1, 2)
    delimiters = args[1] if len(args) == 2 else t.param(_INITCAP_DELIMITERS)
    s = f"CAST({args[0]} AS VARCHAR)"
    return (
        f"(SELECT array_to_string(list_transform(range(1, length(s) + 1), lambda i: "
        f"CASE WHEN i = 1 OR contains(d, substr(s, i - 1, 1)) THEN upper(substr(s, i, 1)) "
        f"ELSE lower(substr(s, i, 1)) END), '') FROM (SELECT {s} AS s, {delimiters} AS d))"
    )


def _seq(modulus: int | None) -> FunctionRule:
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        # SEQ1/2/4/8([sign]): 0, 1, 2 … in the order rows are made, wrapping at the width.
        need(e, args, 0, 1)
        n = "(row_number() OVER () - 1)"
        return f"CAST({n} % {modulus} AS BIGINT)" if modulus else f"CAST({n} AS BIGINT)"

    return rule


def uniform(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # UNIFORM(min, max, gen): uniformly distributed over [min, max], an integer when both bounds
    # are integer constants; the same `gen` value gives the same result (a constant `gen`, a
    # constant result), RANDOM() a new one per row.
    need(e, args, 3)
    fraction = f"(CAST(hash({args[2]}) AS DOUBLE) / 18446744073709551616.0)"
    if all(isinstance(a, ast.Literal) and a.kind == "integer" for a in e.args[:2]):
        return f"CAST({args[0]} + floor({fraction} * ({args[1]} - {args[0]} + 1)) AS BIGINT)"
    return f"(CAST({args[0]} AS DOUBLE) + {fraction} * (CAST({args[1]} AS DOUBLE) - {args[0]}))"


def like(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # LIKE(s, pattern [, escape]) / ILIKE: the operator as a function.
    need(e, args, 2, 3)
    op = e.name.parts[0].name.upper()
    escape = f" ESCAPE {args[2]}" if len(args) == 3 else ""
    return f"(CAST({args[0]} AS VARCHAR) {op} {args[1]}{escape})"


def replace(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # REPLACE(s, pattern [, replacement]): the replacement defaults to '' (REPLACE docs).
    need(e, args, 2, 3)
    by = args[2] if len(args) == 3 else "''"
    return f"replace(CAST({args[0]} AS VARCHAR), {args[1]}, {by})"


def random(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # RANDOM([seed]): a random signed 64-bit integer; with a seed, the same sequence of values
    # for the same seed (the n-th row's value hashes the seed and n).
    need(e, args, 0, 1)
    if not len(args):
        return "CAST(floor((random() * 2 - 1) * 9223372036854775807) AS BIGINT)"
    h = f"CAST(hash({args[0]}, row_number() OVER ()) AS HUGEINT)"
    return f"CAST({h} - 9223372036854775808 AS BIGINT)"


_OWN: dict[str, Callable[[Translator, ast.FuncCall, LazyArgs], str]] = {
    "to_binary": to_binary,
    "try_to_binary": to_binary,
    "initcap": initcap,
    "uniform": uniform,
    "like": like,
    "ilike": like,
    "replace": replace,
    "random": random,
    "seq1": _seq(256),
    "seq2": _seq(65536),
    "seq4": _seq(2**32),
    "seq8": _seq(None),
}

FUNCTIONS: dict[str, FunctionRule] = {
    **{name: _template(*spec) for name, spec in TEMPLATES.items()},
    **_OWN,
}


def generator(t: Translator, ref: ast.TableFunctionRef) -> Relation:
    """GENERATOR(ROWCOUNT => n): n rows (of no column a query would read; SEQ4() numbers
    them). TIMELIMIT is refused: a result that depends on the clock is not reproducible."""
    count: ast.Expr | None = None
    for arg in ref.func.args:
        if isinstance(arg, ast.NamedArg) and arg.name == "ROWCOUNT":
            count = arg.value
        elif isinstance(arg, ast.NamedArg) and arg.name == "TIMELIMIT":
            raise UnsupportedError("unsupported", arg.span, message="GENERATOR TIMELIMIT")
        else:
            raise SemanticError("semantic", arg.span, message="GENERATOR takes ROWCOUNT => n")
    if not (isinstance(count, ast.Literal) and count.kind == "integer"):
        span = count.span if count is not None else ref.func.span
        raise SemanticError("semantic", span, message="GENERATOR needs ROWCOUNT => a constant")
    rows = int(str(count.value))
    return Relation(sql=f"(SELECT range AS __cs_row FROM range({rows}))", default_alias="GENERATOR")


TABLE_FUNCTIONS: dict[str, TableFunctionRule] = {"generator": generator}
