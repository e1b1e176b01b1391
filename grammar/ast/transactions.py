"""Snowflake's transaction statements (BEGIN / START TRANSACTION, COMMIT, ROLLBACK, SHOW
TRANSACTIONS) and SHOW PARAMETERS, where AUTOCOMMIT is read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.grammar.ast.base import Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident, QualifiedName


@node
class BeginTransaction(Statement):
    """Snowflake `BEGIN [WORK | TRANSACTION] [NAME n]` / `START TRANSACTION [NAME n]`."""

    name: Ident | None = None


@node
class CommitTransaction(Statement):
    """Snowflake `COMMIT [WORK]`."""


@node
class RollbackTransaction(Statement):
    """Snowflake `ROLLBACK [WORK]`."""


@node
class ShowTransactions(Statement):
    """Snowflake `SHOW TRANSACTIONS [IN ACCOUNT]`."""

    in_account: bool = False


@node
class ShowParameters(Statement):
    """Snowflake `SHOW PARAMETERS [LIKE 'p'] [IN SESSION | IN ACCOUNT | IN <kind> [name]]`:
    `scope` is SESSION, ACCOUNT or the object kind (DATABASE, SCHEMA, TABLE, …), `name` the
    object's (None: the current one)."""

    like: str | None = None
    scope: str = "SESSION"
    name: QualifiedName | None = None
