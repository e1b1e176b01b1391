"""`{(dialect, statement type): handler}`: the registry every handler module adds itself to."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, TypeVar

from cloneshell.engine.core.context import StatementContext
from cloneshell.engine.core.errors import UnsupportedError
from cloneshell.engine.core.result import Result
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


def handler_for(stmt: ast.Statement, dialect: str = "maxcompute") -> Handler:
    """The handler of a statement, or an error for a statement this dialect does not run."""
    kind = type(stmt)
    handler = _HANDLERS.get((dialect, kind))
    if handler is None:
        module = _MODULES.get(dialect, {}).get(kind.__name__)
        if module is not None:
            importlib.import_module(f"{_PACKAGE}.{module}")
            handler = _HANDLERS.get((dialect, kind))
    if handler is None:
        _load_all()
        handler = _HANDLERS.get((dialect, kind))
    if handler is not None:
        return handler
    name = kind.__name__
    others = [d for d in DIALECT_NAMES if d != dialect and (d, kind) in _HANDLERS]
    if others:
        message = (
            f"{name} is a {others[0].title().replace('compute', 'Compute')} statement; switch "
            f"with ALTER SESSION SET DIALECT = {others[0]}"
        )
    else:
        message = f"{name} is not supported"
    raise UnsupportedError("unsupported", stmt.span, message=message)


# Handlers register themselves when their module is imported. A statement imports only the
# module of its own handler (found here by dialect and statement class name), so
# `cloneshell -e "SELECT 1;"` loads engine/maxcompute/handlers/dml.py and none of the others. A
# statement missing from this table still runs: every handler module is then imported.
# tests/engine/test_dispatch.py checks the table against what the modules register.
_PACKAGE = "cloneshell.engine"
_MODULES: dict[str, dict[str, str]] = {
    "maxcompute": {
        "AddUser": "maxcompute.handlers.access",
        "AlterSession": "snowflake.handlers.session",
        "AlterTableAddPartitions": "maxcompute.handlers.tables",
        "AlterTableDropPartitions": "maxcompute.handlers.tables",
        "CloneTable": "maxcompute.handlers.clone",
        "CreateProject": "maxcompute.handlers.projects",
        "CreateRole": "maxcompute.handlers.access",
        "CreateTable": "maxcompute.handlers.tables",
        "Describe": "maxcompute.handlers.tables",
        "DropProject": "maxcompute.handlers.projects",
        "DropRole": "maxcompute.handlers.access",
        "DropTable": "maxcompute.handlers.tables",
        "GrantPrivileges": "maxcompute.handlers.access",
        "GrantRoles": "maxcompute.handlers.access",
        "Insert": "maxcompute.handlers.dml",
        "ListRoles": "maxcompute.handlers.access",
        "ListUsers": "maxcompute.handlers.access",
        "QueryStmt": "maxcompute.handlers.dml",
        "RemoveUser": "maxcompute.handlers.access",
        "RevokePrivileges": "maxcompute.handlers.access",
        "RevokeRoles": "maxcompute.handlers.access",
        "SetStmt": "maxcompute.handlers.projects",
        "ShowFlags": "maxcompute.handlers.projects",
        "ShowGrants": "maxcompute.handlers.access",
        "ShowPartitions": "maxcompute.handlers.tables",
        "ShowProjects": "maxcompute.handlers.projects",
        "ShowTables": "maxcompute.handlers.tables",
        "TruncateTable": "maxcompute.handlers.tables",
        "Use": "maxcompute.handlers.projects",
        "Whoami": "maxcompute.handlers.projects",
    },
    "snowflake": {
        "AlterPipe": "snowflake.handlers.pipes",
        "AlterRename": "snowflake.handlers.objects",
        "AlterSession": "snowflake.handlers.session",
        "AlterSet": "snowflake.handlers.objects",
        "AlterTask": "snowflake.handlers.tasks",
        "CopyInto": "snowflake.handlers.stages",
        "CreateDatabase": "snowflake.handlers.objects",
        "CreatePipe": "snowflake.handlers.pipes",
        "CreateRole": "snowflake.handlers.access",
        "CreateSchema": "snowflake.handlers.objects",
        "CreateStage": "snowflake.handlers.stages",
        "CreateStream": "snowflake.handlers.streams",
        "CreateTable": "snowflake.handlers.objects",
        "CreateTask": "snowflake.handlers.tasks",
        "CreateUser": "snowflake.handlers.access",
        "Delete": "snowflake.handlers.dml",
        "Describe": "snowflake.handlers.show",
        "DescribeObject": "snowflake.handlers.show",
        "DescribePipeline": "snowflake.handlers.pipeline",
        "DropObject": "snowflake.handlers.objects",
        "DropTable": "snowflake.handlers.objects",
        "ExecuteTask": "snowflake.handlers.tasks",
        "GrantOwnership": "snowflake.handlers.access",
        "GrantRoleTo": "snowflake.handlers.access",
        "GrantToRole": "snowflake.handlers.access",
        "Insert": "snowflake.handlers.dml",
        "ListStage": "snowflake.handlers.stages",
        "PutFile": "snowflake.handlers.stages",
        "QueryStmt": "snowflake.handlers.dml",
        "RemoveStage": "snowflake.handlers.stages",
        "ShowGrants": "snowflake.handlers.access",
        "ShowObjects": "snowflake.handlers.show",
        "TruncateTable": "snowflake.handlers.dml",
        "Undrop": "snowflake.handlers.objects",
        "Update": "snowflake.handlers.dml",
        "UseObject": "snowflake.handlers.session",
    },
}
HANDLER_MODULES = (
    "maxcompute.handlers.access",
    "maxcompute.handlers.clone",
    "maxcompute.handlers.dml",
    "maxcompute.handlers.projects",
    "snowflake.handlers.access",
    "snowflake.handlers.clone",
    "snowflake.handlers.clone_pipeline",
    "snowflake.handlers.dml",
    "snowflake.handlers.objects",
    "snowflake.handlers.pipeline",
    "snowflake.handlers.pipes",
    "snowflake.handlers.session",
    "snowflake.handlers.show",
    "snowflake.handlers.stages",
    "snowflake.handlers.streams",
    "snowflake.handlers.tasks",
    "maxcompute.handlers.tables",
)
"""Every handler module, relative to cloneshell.engine."""


def _load_all() -> None:
    for module in HANDLER_MODULES:
        importlib.import_module(f"{_PACKAGE}.{module}")
