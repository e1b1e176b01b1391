"""Snowflake's transaction statements: BEGIN / START TRANSACTION, COMMIT, ROLLBACK."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cloneshell.grammar.ast.base import Statement
from cloneshell.grammar.records import node

if TYPE_CHECKING:
    from cloneshell.grammar.ast.base import Ident


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
