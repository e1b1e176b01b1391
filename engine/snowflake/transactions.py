"""Snowflake transactions: `BEGIN` … `COMMIT` | `ROLLBACK` over several statements.

Rules (Snowflake's "Transactions" page):
- DML (INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY) and queries run inside the transaction;
  any other statement (DDL, GRANT, …) first commits it, then runs on its own (an implicit
  commit). A failing statement is undone alone; the transaction stays open. BEGIN inside a
  transaction is ignored; COMMIT and ROLLBACK outside one do nothing.
- `ALTER SESSION SET AUTOCOMMIT = FALSE`: a DML statement or query outside a transaction opens
  one; setting AUTOCOMMIT again commits the open one.
- Until COMMIT, other sessions see none of it. Its changes are committed to the database files
  statement by statement, as versions marked in `__cs.txns` with the session's token; other
  sessions read each such database at its last version before the marked ones, and wait to
  write it (Snowflake locks the tables a transaction changes; here the database, until the lock
  timeout). A table without Time Travel keeps the history of rows the transaction ends, so that
  the others can still read them and ROLLBACK can bring them back (purged as usual afterwards).
- COMMIT gives every version of the transaction the commit's instant: a Time Travel point sees
  all of it or none. `STATEMENT => id` of a statement inside it means the whole transaction
  (AT: after it, BEFORE: before it), as Snowflake resolves a statement to its enclosing
  transaction's time.
- ROLLBACK removes the rows those versions wrote, brings back the rows they ended, and puts
  back the offsets of the streams they consumed; sequence values they drew stay drawn (as in
  Snowflake). Their version numbers stay used (marked `ROLLED BACK` in the commit log).
- The session ending (or its process killed) with a transaction open rolls it back: at session
  end here; after a kill, whoever next writes the database finds the marks of a session that
  no longer exists and rolls them back (Snowflake aborts such a transaction after a timeout).
"""

from __future__ import annotations

import contextlib
import os
import random
import time
import uuid
from dataclasses import field
from datetime import datetime
from typing import TYPE_CHECKING

from cloneshell.engine.core.catalog import META, VERSION_COLUMN, ProjectCatalog
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.warehouse import NeedsWrite, ProjectInfo
from cloneshell.engine.snowflake import objects, parameters
from cloneshell.grammar import ast
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.core.context import Db, StatementContext
    from cloneshell.engine.core.session import Session

# The write kinds that run inside a transaction (everything else is DDL: committed first).
DML_KINDS = frozenset({"INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY"})

# Statements that run inside an open transaction; any other commits it first.
_IN_TRANSACTION: frozenset[type[ast.Statement]] = frozenset(
    {
        ast.QueryStmt,
        ast.Insert,
        ast.Update,
        ast.Delete,
        ast.Merge,
        ast.TruncateTable,
        ast.CopyInto,
        ast.BeginTransaction,
        ast.CommitTransaction,
        ast.RollbackTransaction,
        ast.ShowObjects,
        ast.ShowGrants,
        ast.ShowVariables,
        ast.ShowParameters,
        ast.ShowTransactions,
        ast.Describe,
        ast.DescribeObject,
        ast.DescribePipeline,
        ast.DescribeSequence,
        ast.UseObject,
        ast.SetStmt,
        ast.SetVariables,
        ast.UnsetVariables,
        ast.AlterSession,
        ast.ListStage,
    }
)
# Statements that open a transaction while AUTOCOMMIT is FALSE.
_OPENS: frozenset[type[ast.Statement]] = frozenset(
    {ast.QueryStmt, ast.Insert, ast.Update, ast.Delete, ast.Merge, ast.TruncateTable, ast.CopyInto}
)

_TXNS = "txns"
_TXNS_DDL = (
    "CREATE TABLE IF NOT EXISTS {m}.txns (version BIGINT PRIMARY KEY, token VARCHAR, "
    "first_version BIGINT NOT NULL, last_version BIGINT)"
)


@record
class Transaction:
    """One session's open transaction."""

    id: int
    name: str
    started: datetime
    user: str
    # The session's number (SHOW TRANSACTIONS' `session`): from its token.
    session: int
    # Database files it wrote (they hold its marked versions), by file name.
    files: dict[str, ProjectInfo] = field(default_factory=dict)
    # Streams it consumed: (file, stream id) -> (offset, offset_at) before it.
    offsets: dict[tuple[str, int], tuple[object, object]] = field(default_factory=dict)


# The open transactions of this process's sessions, by session token.
_OPEN: dict[str, Transaction] = {}


def current(session: Session) -> Transaction | None:
    """The session's open transaction, or None."""
    return _OPEN.get(session.token)


def current_id(
    ctx: StatementContext, args: tuple[object, ...], span: ast.Span | None
) -> str | None:
    """CURRENT_TRANSACTION(): the open transaction's id, or NULL."""
    txn = current(ctx.session)
    return None if txn is None else str(txn.id)


def running(user: str | None) -> list[Transaction]:
    """The open transactions of this process's sessions (of `user`; None: every user's), oldest
    first. Other processes' are not known here."""
    found = [t for t in _OPEN.values() if user is None or t.user == user]
    return sorted(found, key=lambda t: (t.started, t.id))


def is_open(token: str | None) -> bool:
    """Whether the session with that token has a transaction open."""
    return token is not None and token in _OPEN


def _owner_alive(token: str) -> bool:
    """Whether the session that marked versions with `token` (`<pid>:<random>`) may still
    commit them: a session of this process with the transaction open, or any session of
    another process that exists."""
    pid, _, _ = token.partition(":")
    if pid == str(os.getpid()):
        return token in _OPEN
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


# ---------------------------------------------------------------------------- the session hook


def before_statement(ctx: StatementContext, stmt: ast.Statement) -> None:
    """Before a statement runs: commit the open transaction first for a statement that is not
    part of transactions (DDL); with AUTOCOMMIT off, open one for DML or a query."""
    session = ctx.session
    txn = current(session)
    if txn is not None:
        if type(stmt) not in _IN_TRANSACTION or _sets_autocommit(stmt):
            finish(ctx, commit=True)
        return
    if type(stmt) in _OPENS and not _autocommit(session):
        begin(ctx, None)


def _sets_autocommit(stmt: ast.Statement) -> bool:
    return isinstance(stmt, ast.AlterSession) and any(
        key.upper() == "AUTOCOMMIT" for key, _ in stmt.settings
    )


def _autocommit(session: Session) -> bool:
    """The session's AUTOCOMMIT, else the account's (ALTER ACCOUNT SET AUTOCOMMIT), else TRUE."""
    if "autocommit" in session.flags:
        return session.flag_bool("autocommit", True)
    return parameters.account_values(session.warehouse).get("AUTOCOMMIT", "true") == "true"


def begin(ctx: StatementContext, name: str | None) -> None:
    """Open a transaction (none open: BEGIN inside one is ignored, as in Snowflake)."""
    session = ctx.session
    if session.token in _OPEN:
        return
    txn_id = int(ctx.now.timestamp() * 1000) * 1000 + random.randrange(1000)
    number = int(session.token.partition(":")[2][:12] or "0", 16)
    _OPEN[session.token] = Transaction(
        txn_id, name or str(uuid.uuid4()), ctx.now, session.principal, number
    )


def finish(ctx: StatementContext, *, commit: bool) -> None:
    """COMMIT or ROLLBACK the session's open transaction, one database file at a time (each in
    a DuckDB transaction of its own; a statement started again does only what is left)."""
    session = ctx.session
    txn = _OPEN.get(session.token)
    if txn is None:
        return
    for info in list(txn.files.values()):
        db = ctx.attach(info)
        _in_file(ctx, db, txn, commit)
    del _OPEN[session.token]


def end(ctx: StatementContext) -> None:
    """Session end: roll the open transaction back."""
    if ctx.session.token in _OPEN:
        finish(ctx, commit=False)


def forget(session: Session) -> None:
    """Forget the session's transaction without touching files (its files are gone or
    unwritable at session end: the marks are rolled back by the next writer)."""
    _OPEN.pop(session.token, None)


def _in_file(ctx: StatementContext, db: Db, txn: Transaction, commit: bool) -> None:
    wh = ctx.session.warehouse
    wh.writable(db.cat.alias)
    con = wh.con
    con.execute("BEGIN TRANSACTION")
    try:
        span = _marked(db.cat, ctx.session.token)
        if span is not None:
            if commit:
                _commit_versions(db.cat, ctx.session.token, span, ctx.now)
            else:
                _roll_back_versions(db.cat, ctx.session.token, span)
                _restore_offsets(db, txn)
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


# ---------------------------------------------------------------------------- marked versions


def _has_marks(cat: ProjectCatalog) -> bool:
    """Whether a database has the transactions table (looked up, not queried: a failed query
    would abort the DuckDB transaction a write runs in)."""
    row = cat.con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = ? "
        "AND table_name = ?",
        [cat.alias, META, _TXNS],
    ).fetchone()
    return bool(row and row[0])


def _marked(cat: ProjectCatalog, token: str) -> tuple[int, int] | None:
    """The first and last version `token` marked in a database, or None."""
    if not _has_marks(cat):
        return None
    row = cat.con.execute(
        f"SELECT min(version), max(version) FROM {cat.meta_schema}.{_TXNS} WHERE token = ?",
        [token],
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return int(row[0]), int(row[1])


def mark(db: Db, txn: Transaction, version: int) -> None:
    """Inside a DML statement's write: its version belongs to the open transaction."""
    cat = db.cat
    assert cat.viewer is not None
    cat.con.execute(_TXNS_DDL.format(m=cat.meta_schema))
    first = _marked(cat, cat.viewer)
    cat.con.execute(
        f"INSERT INTO {cat.meta_schema}.{_TXNS} VALUES (?, ?, ?, NULL)",
        [version, cat.viewer, first[0] if first else version],
    )
    txn.files.setdefault(db.info.file, db.info)


def note_offset(db: Db, stream_id: int, offset: object, offset_at: object) -> None:
    """A stream this transaction consumes: its offset before (the first time only), for
    ROLLBACK."""
    txn = _OPEN.get(db.cat.viewer or "")
    if txn is not None:
        txn.offsets.setdefault((db.info.file, stream_id), (offset, offset_at))


def foreign_base(cat: ProjectCatalog) -> int | None:
    """For a reader: the last version of a database before the versions another session's
    transaction marked (not committed: invisible to this one), or None when there are none."""
    if not _has_marks(cat):
        return None
    row = cat.con.execute(
        f"SELECT min(version) FROM {cat.meta_schema}.{_TXNS} "
        "WHERE token IS NOT NULL AND token <> ?",
        [cat.viewer or ""],
    ).fetchone()
    return None if row is None or row[0] is None else int(row[0]) - 1


def claim(cat: ProjectCatalog, label: str) -> None:
    """Before a write, inside its DuckDB transaction: another session's transaction holding
    the database makes the statement wait (start again until the lock timeout); one whose
    session is gone (killed) is rolled back here."""
    if not _has_marks(cat):
        return
    tokens = [
        str(r[0])
        for r in cat.con.execute(
            f"SELECT DISTINCT token FROM {cat.meta_schema}.{_TXNS} "
            "WHERE token IS NOT NULL AND token <> ?",
            [cat.viewer or ""],
        ).fetchall()
    ]
    for token in tokens:
        if _owner_alive(token):
            time.sleep(0.05)
            raise NeedsWrite(None, label)
        span = _marked(cat, token)
        if span is not None:
            _roll_back_versions(cat, token, span)


def statement_span(cat: ProjectCatalog, version: int) -> tuple[int, int] | None:
    """The first and last version of the committed transaction a version belongs to, or None
    (a statement of its own, or one whose transaction is still open)."""
    if not _has_marks(cat):
        return None
    row = cat.con.execute(
        f"SELECT first_version, last_version FROM {cat.meta_schema}.{_TXNS} "
        "WHERE version = ? AND token IS NULL AND last_version IS NOT NULL",
        [version],
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


def _commit_versions(cat: ProjectCatalog, token: str, span: tuple[int, int], now: datetime) -> None:
    first, last = span
    row = cat.con.execute(f"SELECT max(ts) FROM {cat.meta_schema}.commits").fetchone()
    ts = max(now, row[0]) if row and row[0] is not None else now
    cat.con.execute(
        f"UPDATE {cat.meta_schema}.commits SET ts = ? WHERE version BETWEEN ? AND ?",
        [ts, first, last],
    )
    cat.con.execute(
        f"UPDATE {cat.meta_schema}.{_TXNS} SET token = NULL, last_version = ? WHERE token = ?",
        [last, token],
    )


def _roll_back_versions(cat: ProjectCatalog, token: str, span: tuple[int, int]) -> None:
    """Undo versions first..last of every table: rows they wrote go, rows they ended come back
    from history."""
    first, last = span
    v = quote_ident(VERSION_COLUMN)
    for table in cat.all_tables():
        if table.kind == "view" or table.dropped_version is not None:
            continue
        live = cat.physical(table)
        if cat.has_history(table):
            hist = cat.history_name(table)
            cols = ", ".join(quote_ident(c.name) for c in table.all_columns)
            cat.con.execute(
                f"INSERT INTO {live} ({cols}, {v}) SELECT {cols}, {v} FROM {hist} "
                f"WHERE __cs_vto BETWEEN ? AND ? AND {v} < ?",
                [first, last, first],
            )
            cat.con.execute(
                f"DELETE FROM {hist} WHERE __cs_vto BETWEEN ? AND ? OR {v} BETWEEN ? AND ?",
                [first, last, first, last],
            )
        cat.con.execute(f"DELETE FROM {live} WHERE {v} BETWEEN ? AND ?", [first, last])
    cat.con.execute(
        f"UPDATE {cat.meta_schema}.commits SET kind = 'ROLLED BACK ' || kind "
        "WHERE version BETWEEN ? AND ?",
        [first, last],
    )
    cat.con.execute(f"DELETE FROM {cat.meta_schema}.{_TXNS} WHERE token = ?", [token])


def _restore_offsets(db: Db, txn: Transaction) -> None:
    for (file, stream_id), (offset, offset_at) in txn.offsets.items():
        if file != db.info.file:
            continue
        stream = objects.by_id(db.cat, stream_id)
        if stream is not None:
            objects.save(db.cat, stream.with_props(offset=offset, offset_at=offset_at))
