"""`{(dialect, statement type): handler}`: the registry every handler module adds itself to."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

from cloneshell.engine.context import StatementContext
from cloneshell.engine.errors import UnsupportedError
from cloneshell.engine.result import Result
from cloneshell.grammar import ast

Handler = Callable[[StatementContext, Any], Result]
_HANDLERS: dict[tuple[str, type[ast.Statement]], Handler] = {}
S = TypeVar("S", bound=ast.Statement)
DIALECT_NAMES = ("maxcompute", "snowflake")


def handles(
    *kinds: type[ast.Statement], dialect: str | tuple[str, ...] = "maxcompute"
) -> Callable[[Handler], Handler]:
    """Register a handler for one or more statement types in one or more dialects."""
    dialects = (dialect,) if isinstance(dialect, str) else dialect

    def register(fn: Handler) -> Handler:
        for kind in kinds:
            for d in dialects:
                _HANDLERS[(d, kind)] = fn
        return fn

    return register


# Handler modules imported on a statement's first use: they bring COPY's readers, stages and
# task schedules, which most sessions never need (`cloneshell -e` start-up time).
_LAZY = {
    "CreateStage": "sf_stages",
    "PutFile": "sf_stages",
    "ListStage": "sf_stages",
    "RemoveStage": "sf_stages",
    "CopyInto": "sf_stages",
    "DescribePipeline": "sf_pipeline",
    "CreatePipe": "sf_pipes",
    "AlterPipe": "sf_pipes",
    "CreateStream": "sf_streams",
    "CreateTask": "sf_tasks",
    "AlterTask": "sf_tasks",
    "ExecuteTask": "sf_tasks",
}


def handler_for(stmt: ast.Statement, dialect: str = "maxcompute") -> Handler:
    """The handler of a statement, or an error for a statement this dialect does not run."""
    _load()
    lazy = _LAZY.get(type(stmt).__name__)
    if lazy is not None and (dialect, type(stmt)) not in _HANDLERS:
        importlib.import_module(f"cloneshell.engine.handlers.{lazy}")
    handler = _HANDLERS.get((dialect, type(stmt)))
    if handler is not None:
        return handler
    name = type(stmt).__name__
    others = [d for d in DIALECT_NAMES if d != dialect and (d, type(stmt)) in _HANDLERS]
    if others:
        message = (
            f"{name} is a {others[0].title().replace('compute', 'Compute')} statement; switch "
            f"with ALTER SESSION SET DIALECT = {others[0]}"
        )
    else:
        message = f"{name} is not supported"
    raise UnsupportedError("unsupported", stmt.span, message=message)


_loaded = False


def _load() -> None:
    # Handlers register themselves on import; importing lazily keeps `cloneshell -e` start-up
    # free of modules a statement does not need and avoids an import cycle with session.py.
    global _loaded
    if not _loaded:
        from cloneshell.engine.handlers import (  # noqa: F401
            access,
            clone,
            dml,
            projects,
            sf_access,
            sf_clone,
            sf_dml,
            sf_objects,
            sf_session,
            sf_show,
            tables,
        )

        _loaded = True
