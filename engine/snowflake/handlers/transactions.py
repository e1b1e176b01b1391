"""Snowflake `BEGIN` / `START TRANSACTION`, `COMMIT`, `ROLLBACK` (engine/snowflake/transactions.py
holds the rules)."""

from __future__ import annotations

from cloneshell.engine.core.result import Status
from cloneshell.engine.snowflake import transactions
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.grammar import ast


def begin(ctx: SnowflakeContext, stmt: ast.BeginTransaction) -> Status:
    """Open a transaction (ignored inside one)."""
    name = ctx.fold(stmt.name) if stmt.name is not None else None
    transactions.begin(ctx, name)
    return Status(ctx.session.dialect.ok_message, ctx.statement_id)


def commit(ctx: SnowflakeContext, stmt: ast.CommitTransaction) -> Status:
    """Commit the open transaction (nothing without one)."""
    transactions.finish(ctx, commit=True)
    return Status(ctx.session.dialect.ok_message, ctx.statement_id)


def rollback(ctx: SnowflakeContext, stmt: ast.RollbackTransaction) -> Status:
    """Roll the open transaction back (nothing without one)."""
    transactions.finish(ctx, commit=False)
    return Status(ctx.session.dialect.ok_message, ctx.statement_id)
