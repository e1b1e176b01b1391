"""Snowflake's FLATTEN table function (`LATERAL FLATTEN(input => …)`, `TABLE(FLATTEN(…))`): one
row per element of an ARRAY or OBJECT, with the columns SEQ, KEY, PATH, INDEX, VALUE and THIS,
and the arguments PATH, OUTER, RECURSIVE (every element at every depth, depth first, as a
recursive CTE) and MODE, computed by DuckDB as a lateral subquery."""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError
from cloneshell.engine.core.translate import Relation, Translator
from cloneshell.engine.snowflake import semi
from cloneshell.grammar import ast

_ARGS = ("INPUT", "PATH", "OUTER", "RECURSIVE", "MODE")


def flatten(t: Translator, ref: ast.TableFunctionRef) -> Relation:
    """FLATTEN(INPUT => expr [, PATH => 'p'] [, OUTER => bool] [, RECURSIVE => bool]
    [, MODE => 'OBJECT' | 'ARRAY' | 'BOTH'])."""
    args = _arguments(ref.func)
    if "INPUT" not in args:
        raise SemanticError("semantic", ref.func.span, message="FLATTEN needs INPUT => value")
    path = str(_constant(args, "PATH", "string", ""))
    outer = bool(_constant(args, "OUTER", "boolean", False))
    recursive = bool(_constant(args, "RECURSIVE", "boolean", False))
    mode = str(_constant(args, "MODE", "string", "BOTH")).upper()
    if mode not in ("OBJECT", "ARRAY", "BOTH"):
        raise SemanticError("semantic", args["MODE"].span, message=f"invalid FLATTEN mode {mode}")
    source = args["INPUT"]
    value = t.expr(source)
    if not semi.is_variant(source):
        value = f"CAST({value} AS JSON)"
    if path:
        value = f"json_extract({value}, {t.param(semi.json_path(path, args['PATH'].span))})"
    j = f"({value})"
    prefix = t.param(path)
    if recursive:
        # Every element at every depth, depth first (as Snowflake lists them); THIS is the
        # container each element is in.
        children = _children("__cs_rec.__cs_v", "__cs_rec.__cs_p", mode)
        elements = (
            "WITH RECURSIVE __cs_rec(__cs_k, __cs_p, __cs_i, __cs_v, __cs_t, __cs_o) AS ("
            f"SELECT CAST(NULL AS VARCHAR), {prefix}, CAST(NULL AS BIGINT), {j}, "
            "CAST(NULL AS JSON), CAST([] AS BIGINT[]) UNION ALL "
            "SELECT __cs_c.__cs_k, __cs_c.__cs_p, __cs_c.__cs_i, __cs_c.__cs_v, __cs_rec.__cs_v, "
            "list_append(__cs_rec.__cs_o, __cs_c.__cs_n) "
            f"FROM __cs_rec, LATERAL ({children}) AS __cs_c) "
            "SELECT __cs_k, __cs_p, __cs_i, __cs_v, __cs_t FROM __cs_rec WHERE __cs_t IS NOT NULL "
            "ORDER BY __cs_o"
        )
    else:
        elements = (
            "SELECT __cs_k, __cs_p, __cs_i, __cs_v, "
            f"{j} AS __cs_t FROM ({_children(j, prefix, mode)}) ORDER BY __cs_n"
        )
    if outer:
        # OUTER => TRUE: an input with no elements still gives one row (KEY … VALUE NULL).
        elements = (
            f"SELECT * FROM ({elements}) UNION ALL SELECT CAST(NULL AS VARCHAR), "
            f"CAST(NULL AS VARCHAR), CAST(NULL AS BIGINT), CAST(NULL AS JSON), {j} "
            f"WHERE NOT EXISTS ({elements})"
        )
    # SEQ numbers the input records: 1 for a constant input (one record); for a column, a
    # number unique per input value (a lateral subquery sees no record number, so two records
    # with equal input share their SEQ).
    seq = "1" if '"' not in value else f"hash({j}) >> 1"
    sql = (
        f'(SELECT CAST({seq} AS BIGINT) AS "SEQ", __cs_e.__cs_k AS "KEY", '
        f'__cs_e.__cs_p AS "PATH", __cs_e.__cs_i AS "INDEX", '
        f'__cs_e.__cs_v AS "VALUE", __cs_e.__cs_t AS "THIS" FROM ({elements}) AS __cs_e)'
    )
    return Relation(sql=sql, default_alias="FLATTEN")


def _children(j: str, prefix: str, mode: str) -> str:
    """The elements of JSON value `j` whose path is `prefix`, by MODE: (__cs_k key, __cs_p
    path, __cs_i index, __cs_v value, __cs_n position)."""
    parts = []
    if mode in ("ARRAY", "BOTH"):
        size = f"(CASE WHEN json_type({j}) = 'ARRAY' THEN json_array_length({j}) ELSE 0 END)"
        parts.append(
            f"SELECT CAST(NULL AS VARCHAR) AS __cs_k, "
            f"{prefix} || '[' || CAST(__cs_x.__cs_i AS VARCHAR) || ']' AS __cs_p, "
            f"__cs_x.__cs_i AS __cs_i, "
            f"json_extract({j}, '$[' || CAST(__cs_x.__cs_i AS VARCHAR) || ']') AS __cs_v, "
            f"__cs_x.__cs_i AS __cs_n "
            f"FROM range(CAST({size} AS BIGINT)) AS __cs_x(__cs_i)"
        )
    if mode in ("OBJECT", "BOTH"):
        keys = f"(CASE WHEN json_type({j}) = 'OBJECT' THEN json_keys({j}) ELSE [] END)"
        dot = f"(CASE WHEN {prefix} = '' THEN '' ELSE {prefix} || '.' END)"
        parts.append(
            f"SELECT __cs_w.__cs_k AS __cs_k, {dot} || __cs_w.__cs_k AS __cs_p, "
            f"CAST(NULL AS BIGINT) AS __cs_i, "
            f"json_extract({j}, '$.' || to_json(__cs_w.__cs_k)) AS __cs_v, "
            f"__cs_w.__cs_n - 1 AS __cs_n "
            f"FROM (SELECT unnest({keys}) AS __cs_k, generate_subscripts({keys}, 1) AS __cs_n) "
            "AS __cs_w"
        )
    return " UNION ALL ".join(parts)


def _arguments(call: ast.FuncCall) -> dict[str, ast.Expr]:
    """FLATTEN's arguments by name; a positional first argument is INPUT."""
    out: dict[str, ast.Expr] = {}
    for n, arg in enumerate(call.args):
        if isinstance(arg, ast.NamedArg):
            if arg.name not in _ARGS:
                raise SemanticError(
                    "semantic", arg.span, message=f"FLATTEN has no argument {arg.name}"
                )
            out[arg.name] = arg.value
        elif n == 0:
            out["INPUT"] = arg
        else:
            raise SemanticError("semantic", arg.span, message="FLATTEN takes named arguments")
    return out


def _constant(args: dict[str, ast.Expr], name: str, kind: str, default: object) -> object:
    arg = args.get(name)
    if arg is None:
        return default
    if isinstance(arg, ast.Literal) and arg.kind == kind:
        return arg.value
    raise SemanticError("semantic", arg.span, message=f"FLATTEN {name} must be a constant {kind}")


TABLE_FUNCTIONS = {"flatten": flatten}
