"""`{statement type: handler}`: the registry every handler module adds itself to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from cloneshell.engine.context import StatementContext
from cloneshell.engine.errors import UnsupportedError
from cloneshell.engine.result import Result
from cloneshell.grammar import ast

Handler = Callable[[StatementContext, Any], Result]
_HANDLERS: dict[type[ast.Statement], Handler] = {}
S = TypeVar("S", bound=ast.Statement)


def handles(*kinds: type[ast.Statement]) -> Callable[[Handler], Handler]:
    """Register a handler for one or more statement types."""

    def register(fn: Handler) -> Handler:
        for kind in kinds:
            _HANDLERS[kind] = fn
        return fn

    return register


def handler_for(stmt: ast.Statement) -> Handler:
    """The handler of a statement, or an error for a statement this dialect does not run."""
    _load()
    handler = _HANDLERS.get(type(stmt))
    if handler is None:
        raise UnsupportedError(
            "unsupported", stmt.span, message=f"{type(stmt).__name__} is not supported"
        )
    return handler


_loaded = False


def _load() -> None:
    # Handlers register themselves on import; importing lazily keeps `cloneshell -e` start-up
    # free of modules a statement does not need and avoids an import cycle with session.py.
    global _loaded
    if not _loaded:
        from cloneshell.engine.handlers import access, clone, dml, projects, tables  # noqa: F401

        _loaded = True
