"""Snowflake's FLATTEN table function (`LATERAL FLATTEN(input => …)`, `TABLE(FLATTEN(…))`): one
row per element of an ARRAY or OBJECT, with the columns SEQ, KEY, PATH, INDEX, VALUE and THIS,
and the arguments PATH, OUTER, RECURSIVE and MODE, computed by DuckDB as a lateral subquery."""

from __future__ import annotations

from cloneshell.engine.core.errors import SemanticError, UnsupportedError
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
    if recursive:
        raise UnsupportedError("unsupported", args["RECURSIVE"].span, message="FLATTEN RECURSIVE")
    source = args["INPUT"]
    value = t.expr(source)
    if not semi.is_variant(source):
        value = f"CAST({value} AS JSON)"
    if path:
        value = f"json_extract({value}, {t.param(semi.json_path(path, args['PATH'].span))})"
    j = f"({value})"
    prefix = t.param(path)
    parts = []
    if mode in ("ARRAY", "BOTH"):
        size = f"(CASE WHEN json_type({j}) = 'ARRAY' THEN json_array_length({j}) ELSE 0 END)"
        parts.append(
            f"SELECT CAST(NULL AS VARCHAR) AS __cs_k, "
            f"{prefix} || '[' || CAST(__cs_i AS VARCHAR) || ']' AS __cs_p, "
            f"__cs_i AS __cs_i, "
            f"json_extract({j}, '$[' || CAST(__cs_i AS VARCHAR) || ']') AS __cs_v "
            f"FROM range(CAST({size} AS BIGINT)) AS __cs_r(__cs_i)"
        )
    if mode in ("OBJECT", "BOTH"):
        keys = f"(CASE WHEN json_type({j}) = 'OBJECT' THEN json_keys({j}) ELSE [] END)"
        dot = f"(CASE WHEN {prefix} = '' THEN '' ELSE {prefix} || '.' END)"
        parts.append(
            f"SELECT __cs_w.__cs_k AS __cs_k, {dot} || __cs_w.__cs_k AS __cs_p, "
            f"CAST(NULL AS BIGINT) AS __cs_i, "
            f"json_extract({j}, '$.' || to_json(__cs_w.__cs_k)) AS __cs_v "
            f"FROM unnest({keys}) AS __cs_w(__cs_k)"
        )
    elements = " UNION ALL ".join(parts)
    if outer:
        # OUTER => TRUE: an input with no elements still gives one row (KEY … VALUE NULL).
        elements = (
            f"SELECT * FROM ({elements}) UNION ALL SELECT CAST(NULL AS VARCHAR), "
            f"CAST(NULL AS VARCHAR), CAST(NULL AS BIGINT), CAST(NULL AS JSON) "
            f"WHERE NOT EXISTS ({elements})"
        )
    # SEQ numbers the input rows in Snowflake; here it is 1 for every row (see README).
    sql = (
        f'(SELECT CAST(1 AS BIGINT) AS "SEQ", __cs_e.__cs_k AS "KEY", __cs_e.__cs_p AS "PATH", '
        f'__cs_e.__cs_i AS "INDEX", '
        f'__cs_e.__cs_v AS "VALUE", {j} AS "THIS" FROM ({elements}) AS __cs_e)'
    )
    return Relation(sql=sql, default_alias="FLATTEN")


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
