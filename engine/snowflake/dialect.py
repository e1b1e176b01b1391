"""Snowflake as a `Dialect` (engine/core/dialect.py): upper-case names that keep their quoted
case, Snowflake error codes with SQL states and query ids, its handler table, name resolution
and role-based privileges (context.py), its query translation and scheduled tasks, and what a
session does on becoming Snowflake's."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from cloneshell.engine.core import dispatch
from cloneshell.engine.core import functions as shared_functions
from cloneshell.engine.core.dialect import Dialect
from cloneshell.engine.core.errors import CatalogError
from cloneshell.engine.core.translate import Translation
from cloneshell.engine.core.warehouse import NeedsWrite
from cloneshell.engine.snowflake import (
    approx,
    arrays,
    binary,
    bitwise,
    catalog,
    consumption,
    contextfns,
    distributions,
    errors,
    filecolumns,
    flatten,
    functions,
    hierarchy,
    library,
    maps,
    metadata,
    phonetic,
    regex,
    security,
    semi,
    snapshot,
    temporary,
    transactions,
    transpile,
    types,
    unsupported,
    variables,
)
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.engine.snowflake.handlers import HANDLERS
from cloneshell.grammar import ast

if TYPE_CHECKING:
    from cloneshell.engine.core.session import Session
    from cloneshell.engine.core.snapshot import CatalogSnapshot


def _start(
    session: Session, principal: str | None, project: str | None, opening: bool, new_user: bool
) -> None:
    """Become Snowflake's: user `principal` (default CLONESHELL; the warehouse's first
    Snowflake user is its ACCOUNTADMIN) in its default role, with no current database unless
    `project` names one. `new_user` False (a server login): a user the warehouse does not know
    is refused rather than created, unless the warehouse has no user yet."""
    who = security.user_name(principal or security.DEFAULT_USER)
    wh = session.warehouse
    if not new_user and security.get_user(wh, who) is None and security.list_users(wh):
        raise CatalogError("user_not_found", name=who)
    _enter(session, who)
    if opening:
        # A statement killed between its two commits (a stream of another database).
        consumption.recover(session)
    if project is not None:
        quoted = len(project) >= 2 and project[0] == project[-1] == '"'
        name = project[1:-1] if quoted else project
        ident = ast.Ident(name=name, quoted=quoted)
        use = ast.UseObject(kind="DATABASE", name=ast.QualifiedName(parts=(ident,)))
        session.run(use, "")


def _login(session: Session, principal: str) -> None:
    _enter(session, security.user_name(principal))


def _authenticate(session: Session, password: str) -> bool:
    return security.check_password(session.warehouse, session.principal, password)


def _enter(session: Session, user: str) -> None:
    """Become Snowflake user `user` (created on first use) in its default role, or PUBLIC."""
    wh = session.warehouse
    now = session.clock.now()
    security.ensure_account(wh, now)
    security.ensure_user(wh, user, now)
    info = security.get_user(wh, user)
    allowed = security.user_roles(wh, user)
    default = info.default_role if info is not None else None
    session.principal = user
    session.role = default if default in allowed else security.PUBLIC_ROLE


def _snapshot(session: Session, version: int) -> CatalogSnapshot:
    return snapshot.build_snapshot(session, version)


def _run_due(session: Session, now: datetime) -> None:
    # The tasks' handler module is loaded when a task is due, not with the dialect.
    run: Callable[[Session, datetime], None] = dispatch.load("snowflake.handlers.tasks:run_due")
    run(session, now)


def _end(session: Session) -> None:
    """Session end: drop the session's temporary tables and views for good (no UNDROP, no
    history), one commit in each database holding some (temporary.py). An open transaction is
    rolled back first (transactions.py)."""
    wh = session.warehouse
    _end_transaction(session)
    for file in sorted(session.scoped):
        info = next((i for i in wh.list_databases() if i.file == file), None)
        if info is None:
            continue
        write_set: set[str] = set()
        for _attempt in range(_END_ATTEMPTS):
            now = session.clock.now()
            ctx = SnowflakeContext(session, now, errors.statement_id(now), "-- end of session")
            wh.begin_statement(write_set, time.time())
            try:
                db = ctx.attach_db(info)
                mine = temporary.mine(db.cat.all_tables(), session.token)
                if mine:
                    with ctx.write(info, db.cat, "DROP TEMPORARY"):
                        for t in mine:
                            catalog.forget_table(db.cat, t)
                break
            except NeedsWrite as retry:
                write_set = wh.restart(retry.alias)
            finally:
                wh.end_statement()
    session.scoped.clear()


def _end_transaction(session: Session) -> None:
    """Roll back the session's open transaction, as a statement of its own."""
    if transactions.current(session) is None:
        return
    wh = session.warehouse
    write_set: set[str] = set()
    try:
        for _attempt in range(_END_ATTEMPTS):
            now = session.clock.now()
            ctx = SnowflakeContext(session, now, errors.statement_id(now), "ROLLBACK")
            wh.begin_statement(write_set, time.time())
            try:
                transactions.end(ctx)
                break
            except NeedsWrite as retry:
                write_set = wh.restart(retry.alias)
            finally:
                wh.end_statement()
    finally:
        # Not rolled back here (a file held too long): the next writer rolls its marks back.
        transactions.forget(session)


# A database another shell writes meanwhile makes the end start again (Warehouse._upgrade).
_END_ATTEMPTS = 20


def _unnamed_column(text: str, n: int) -> str:
    """Snowflake names an unnamed result column by the expression's text in upper case
    (`COUNT(*)`, `1+1`); NUL (inside a string literal) is shown as \\0. A staged file's column
    is named `$n`, qualified or not (`t.$1`), as a table's column is named without its table."""
    column = filecolumns.unnamed(text)
    if column is not None:
        return column
    return " ".join(text.replace("\x00", "\\0").split()).upper() or f"_C{n}"


DIALECT = Dialect(
    name="snowflake",
    title="Snowflake",
    fold=str.upper,
    default_schema="PUBLIC",
    prompt_format="{user}#(no warehouse)@{database}.{schema}>",
    errors=errors.ERRORS,
    error_layout=errors.layout,
    statement_id=errors.statement_id,
    handlers=HANDLERS,
    context=SnowflakeContext,
    translation=Translation(
        # Snowflake's own rules first, then the names sqlglot maps (transpile.py); other names
        # as the shared library has them.
        functions={
            **shared_functions.FUNCTIONS,
            **transpile.FUNCTIONS,
            **library.FUNCTIONS,
            **semi.FUNCTIONS,
            **functions.FUNCTIONS,
            **metadata.FUNCTIONS,
            **contextfns.FUNCTIONS,
            **bitwise.FUNCTIONS,
            **maps.FUNCTIONS,
            **arrays.FUNCTIONS,
            **regex.FUNCTIONS,
            **binary.FUNCTIONS,
            **approx.FUNCTIONS,
            **distributions.FUNCTIONS,
            **phonetic.FUNCTIONS,
            **unsupported.FUNCTIONS,
        },
        aggregates={
            **semi.AGGREGATES,
            **functions.AGGREGATES,
            **bitwise.AGGREGATES,
            **arrays.AGGREGATES,
            **binary.AGGREGATES,
            **approx.AGGREGATES,
        },
        expressions={
            **semi.EXPRESSIONS,
            **functions.EXPRESSIONS,
            **metadata.EXPRESSIONS,
            **hierarchy.EXPRESSIONS,
            **filecolumns.EXPRESSIONS,
            ast.SessionVariable: variables.reference,
        },
        table_functions={**flatten.TABLE_FUNCTIONS, **library.TABLE_FUNCTIONS},
        connect_by=hierarchy.connect_by,
        implicit_recursive_with=True,
        cast_type=types.to_duckdb,
        unnamed_column=_unnamed_column,
        values_column=lambda n: f"COLUMN{n}",
        checked_division=True,
        niladic=functions.NILADIC,
        parameters=functions.PARAMETERS,
        unknown=functions.NOT_SNOWFLAKE,
        system_prefix="system$",
        max_string_bytes=16_777_216,  # VARCHAR's 16 MB
    ),
    start=_start,
    login=_login,
    authenticate=_authenticate,
    snapshot=_snapshot,
    # Status text of USE, GRANT, ALTER ... (snowflake.md §1.6).
    ok_message="Statement executed successfully.",
    quoted_keep_case=True,
    run_due=_run_due,
    end=_end,
    before=transactions.before_statement,
)
