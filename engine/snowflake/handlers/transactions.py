"""Snowflake `BEGIN` / `START TRANSACTION`, `COMMIT`, `ROLLBACK`, `SHOW TRANSACTIONS`
(engine/snowflake/transactions.py holds the rules)."""

from __future__ import annotations

from cloneshell.engine.core.errors import PrivilegeError
from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.engine.snowflake import listing, security, transactions
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


_SHOW = (
    ("id", "NUMBER"),
    ("user", "TEXT"),
    ("session", "NUMBER"),
    ("name", "TEXT"),
    ("started_on", "TIMESTAMP_LTZ"),
    ("state", "TEXT"),
    ("scope", "NUMBER"),
)


def show_transactions(ctx: SnowflakeContext, stmt: ast.ShowTransactions) -> Rows:
    """The running transactions of the current user (IN ACCOUNT: of every user, for the
    ACCOUNTADMIN role) — of the sessions of this process (a shell's own, a server's all)."""
    if stmt.in_account and security.ADMIN_ROLE not in ctx.auth.roles:
        raise PrivilegeError("no_privilege", object_type="account", name=security.ACCOUNT_NAME)
    user = None if stmt.in_account else ctx.session.principal
    rows: list[tuple[object, ...]] = [
        (t.id, t.user, t.session, t.name, listing.aware(t.started), "running", 0)
        for t in transactions.running(user)
    ]
    return Rows(tuple(Column(n, k) for n, k in _SHOW), rows, ctx.statement_id)
