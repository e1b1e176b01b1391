"""The handlers both dialects share: `ALTER SESSION SET …` (`DIALECT = snowflake|maxcompute`
switches the session; other parameters are session flags) and the check that keeps session
flags apart from the storage engine's own settings."""

from __future__ import annotations

from cloneshell.engine.core.context import StatementContext
from cloneshell.engine.core.errors import UnsupportedError
from cloneshell.engine.core.result import Status
from cloneshell.grammar import ast

# Snowflake session parameters that share their name with a DuckDB setting (Snowflake's
# "Parameters" reference): they are the user's to set, and stay session flags like the others.
_PARAMETERS_NAMED_LIKE_ENGINE_SETTINGS = frozenset({"timezone", "search_path"})


def check_flag_name(ctx: StatementContext, key: str, span: ast.Span | None) -> None:
    """Refuse a session flag named like one of DuckDB's settings (`threads`,
    `enable_external_access` ...). Flags never reach DuckDB, whose configuration is locked, so
    accepting one would only pretend that the engine changed; an error says so."""
    if key.lower() in _PARAMETERS_NAMED_LIKE_ENGINE_SETTINGS:
        return
    if ctx.session.warehouse.is_engine_setting(key):
        raise UnsupportedError(
            "unsupported",
            span,
            message=f"{key} is a setting of the storage engine, not a session flag: "
            "statements cannot change it",
        )


def alter_session(ctx: StatementContext, stmt: ast.AlterSession) -> Status:
    """ALTER SESSION SET k = v …: DIALECT switches dialects; other parameters are kept as
    session flags (identities and warehouses are simulated, so most have no effect)."""
    message = ctx.session.dialect.ok_message
    switch: str | None = None
    for key, _ in stmt.settings:
        if key.upper() != "DIALECT":
            check_flag_name(ctx, key, stmt.span)
    for key, value in stmt.settings:
        if key.upper() == "DIALECT":
            switch = value
        else:
            ctx.session.flags[key.lower()] = value.strip().strip("'")
    for key in stmt.unset:
        ctx.session.flags.pop(key.lower(), None)
    if switch is not None:
        ctx.session.switch_dialect(switch, stmt.span)
    return Status(message, ctx.statement_id)


def unsupported(ctx: StatementContext, stmt: ast.Unsupported) -> Status:
    """A statement on objects the emulator does not have (CREATE WAREHOUSE, GET …)."""
    raise UnsupportedError("unsupported", stmt.span, message=stmt.feature)
