"""Snowflake's context functions that describe the account, the session and the statement
(CURRENT_ACCOUNT, CURRENT_SCHEMAS, CURRENT_SESSION, CURRENT_AVAILABLE_ROLES …), with the values
a local warehouse truthfully has: one account (security.ACCOUNT_NAME) in no cloud region, a
client that is cloneshell on the local machine. The functions that read the registry or the
session's state go through the context's system functions (context.py), as GET_DDL does."""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as dist_version
from typing import TYPE_CHECKING

from cloneshell.engine.core.functions import need
from cloneshell.engine.core.translate import FunctionRule, LazyArgs, Translator
from cloneshell.engine.snowflake import security
from cloneshell.grammar import ast

if TYPE_CHECKING:
    from cloneshell.engine.snowflake.context import SnowflakeContext

# The region of a warehouse on this machine (Snowflake names its regions AWS_US_WEST_2 …).
REGION = "LOCAL"


def _text(t: Translator, value: str | None) -> str:
    return "CAST(NULL AS VARCHAR)" if value is None else f"CAST({t.param(value)} AS VARCHAR)"


def _constant(value: str | None) -> FunctionRule:
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        need(e, args, 0)
        return _text(t, value)

    return rule


def current_client(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # "<client> <version>" (CURRENT_CLIENT docs: `SnowSQL 1.2.0`).
    need(e, args, 0)
    try:
        shown = dist_version("cloneshell")
    except PackageNotFoundError:
        shown = "unknown"
    return _text(t, f"cloneshell {shown}")


def current_schemas(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
    # The search path ($current, then PUBLIC) as a JSON array: `["DB.S", "DB.PUBLIC"]`.
    need(e, args, 0)
    db = t.env.database
    found: list[str] = []
    if db is not None:
        for schema in (t.env.schema, "PUBLIC"):
            if schema is not None and f"{db}.{schema}" not in found:
                found.append(f"{db}.{schema}")
    return _text(t, json.dumps(found))


def _engine(name: str) -> FunctionRule:
    def rule(t: Translator, e: ast.FuncCall, args: LazyArgs) -> str:
        need(e, args, 0)
        return t.engine_call(e, name)

    return rule


def available_roles(ctx: SnowflakeContext, args: tuple[object, ...], span: ast.Span | None) -> str:
    """CURRENT_AVAILABLE_ROLES(): every role the user may activate, as a JSON array."""
    user = ctx.session.principal
    return json.dumps(security.user_roles(ctx.session.warehouse, user), separators=(",", ":"))


def secondary_roles(ctx: SnowflakeContext, args: tuple[object, ...], span: ast.Span | None) -> str:
    """CURRENT_SECONDARY_ROLES(): none are in use (USE SECONDARY ROLES is not run here)."""
    return json.dumps({"roles": "", "value": ""}, separators=(",", ":"))


def session_id(ctx: SnowflakeContext, args: tuple[object, ...], span: ast.Span | None) -> str:
    """CURRENT_SESSION(): the session's number, the same for all its statements."""
    return str(int(ctx.session.token.rpartition(":")[2][:12], 16))


def statement_text(ctx: SnowflakeContext, args: tuple[object, ...], span: ast.Span | None) -> str:
    """CURRENT_STATEMENT(): the text of the statement that runs."""
    return ctx.text


FUNCTIONS: dict[str, FunctionRule] = {
    "current_account": _constant(security.ACCOUNT_NAME),
    "current_account_name": _constant(security.ACCOUNT_NAME),
    "current_organization_name": _constant(security.ACCOUNT_NAME),
    "current_organization_user": _constant(None),
    "current_region": _constant(REGION),
    "current_ip_address": _constant("127.0.0.1"),
    "current_role_type": _constant("ROLE"),
    "current_client": current_client,
    "current_schemas": current_schemas,
    "current_available_roles": _engine("current_available_roles"),
    "current_secondary_roles": _engine("current_secondary_roles"),
    "current_session": _engine("current_session"),
    "current_statement": _engine("current_statement"),
}

# The context's system functions these rules call (context.py's table).
SYSTEM: dict[str, tuple[str, str]] = {
    "current_available_roles": ("snowflake.contextfns:available_roles", "VARCHAR"),
    "current_secondary_roles": ("snowflake.contextfns:secondary_roles", "VARCHAR"),
    "current_session": ("snowflake.contextfns:session_id", "VARCHAR"),
    "current_statement": ("snowflake.contextfns:statement_text", "VARCHAR"),
}
