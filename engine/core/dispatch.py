"""The handler of a statement: looked up in the session dialect's handler table
(engine/<dialect>/handlers/__init__.py, `HANDLERS`: statement class -> `module:function`), the
handler's module imported on first use. The tables are the one source of truth."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cloneshell.engine.core import dialects
from cloneshell.engine.core.errors import UnsupportedError
from cloneshell.engine.core.result import Result
from cloneshell.grammar import ast
from cloneshell.grammar.dialects import STATEMENTS

if TYPE_CHECKING:
    from cloneshell.engine.core.context import StatementContext
    from cloneshell.engine.core.dialect import Dialect

Handler = Callable[["StatementContext", Any], Result]
_PACKAGE = "cloneshell.engine"


def load(target: str) -> Any:
    """What a `module:function` entry of a registry names (a handler table, a dialect's table
    of query plug-ins), its module imported on first use."""
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(f"{_PACKAGE}.{module}"), name)


def resolve(target: str) -> Handler:
    """The handler a handler table's `module:function` entry names."""
    handler: Handler = load(target)
    return handler


def handler_for(stmt: ast.Statement, dialect: Dialect) -> Handler:
    """The handler of a statement, or an error for a statement this dialect does not run."""
    kind = type(stmt)
    target = dialect.handlers.get(kind)
    if target is not None:
        return resolve(target)
    name = statement_name(stmt)
    others = [
        d
        for d in (dialects.get(n) for n in dialects.NAMES if n != dialect.name)
        if kind in d.handlers
    ]
    if others:
        message = (
            f"{name} is a {others[0].title} statement; switch "
            f"with ALTER SESSION SET DIALECT = {others[0].name}"
        )
    else:
        message = f"{name} is not supported"
    raise UnsupportedError("unsupported", stmt.span, message=message)


def statement_name(stmt: ast.Statement) -> str:
    """The statement as its user wrote it, for messages: its title in the grammar's statement
    table and, for a statement on several kinds of object, the kind (`USE ROLE`, `DROP STAGE`),
    never the AST class's name."""
    entry = STATEMENTS.get(type(stmt))
    if entry is None:
        return type(stmt).__name__
    kind = getattr(stmt, "kind", None)
    if isinstance(kind, str) and kind.isupper() and kind not in entry.title.split():
        return f"{entry.title} {kind}"
    return entry.title
