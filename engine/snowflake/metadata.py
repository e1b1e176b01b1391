"""The function rules of Snowflake's metadata functions that read the catalog (GET_DDL): the
call's constant arguments go to the engine through the context's system functions, as for
SYSTEM$ functions (context.py), and its value comes back as a constant of the query."""

from __future__ import annotations

from cloneshell.engine.core.translate import FunctionRule, LazyArgs, Translator
from cloneshell.grammar import ast


def get_ddl(tr: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    """GET_DDL('<object_type>', '<name>' [, <fully qualified>]) (getddl.py)."""
    return tr.engine_call(e, "get_ddl")


FUNCTIONS: dict[str, FunctionRule] = {"get_ddl": get_ddl}
