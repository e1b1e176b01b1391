"""The rules of Snowflake's functions and expressions that read the catalog: GET_DDL (its
constant arguments go to the engine through the context's system functions, as for SYSTEM$
functions, and its value comes back as a constant) and `seq.NEXTVAL` (the engine's SQL for the
sequence, sequences.py)."""

from __future__ import annotations

from cloneshell.engine.core.translate import ExpressionRule, FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast


def get_ddl(tr: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    """GET_DDL('<object_type>', '<name>' [, <fully qualified>]) (getddl.py)."""
    return tr.engine_call(e, "get_ddl")


def nextval(tr: Translator, e: ast.NextVal) -> str:
    """`seq.NEXTVAL` (sequences.py)."""
    return tr.engine_expr(e)


def current_transaction(tr: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    """CURRENT_TRANSACTION(): the open transaction's id as text, or NULL (transactions.py)."""
    return tr.engine_call(e, "current_transaction")


def current_version(tr: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    """CURRENT_VERSION(): the service version the server reports at login."""
    return f"CAST({tr.param(SERVICE_VERSION)} AS VARCHAR)"


# What CURRENT_VERSION() returns and `cloneshell serve` reports as serverVersion.
SERVICE_VERSION = "9.0.0"

FUNCTIONS: dict[str, FunctionRule] = {
    "get_ddl": get_ddl,
    "current_transaction": current_transaction,
    "current_version": current_version,
}
EXPRESSIONS: dict[type, ExpressionRule] = {ast.NextVal: nextval}
