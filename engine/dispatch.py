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
# `cloneshell -e "SELECT 1;"` loads engine/handlers/dml.py and none of the others. A statement
# missing from this table still runs: every handler module is then imported (_load_all).
# tests/engine/test_dispatch.py checks the table against what the modules register.
_PACKAGE = "cloneshell.engine.handlers"
_MODULES: dict[str, dict[str, str]] = {
    "maxcompute": {
        "AddUser": "access",
        "AlterSession": "sf_session",
        "AlterTableAddPartitions": "tables",
        "AlterTableDropPartitions": "tables",
        "CloneTable": "clone",
        "CreateProject": "projects",
        "CreateRole": "access",
        "CreateTable": "tables",
        "Describe": "tables",
        "DropProject": "projects",
        "DropRole": "access",
        "DropTable": "tables",
        "GrantPrivileges": "access",
        "GrantRoles": "access",
        "Insert": "dml",
        "ListRoles": "access",
        "ListUsers": "access",
        "QueryStmt": "dml",
        "RemoveUser": "access",
        "RevokePrivileges": "access",
        "RevokeRoles": "access",
        "SetStmt": "projects",
        "ShowFlags": "projects",
        "ShowGrants": "access",
        "ShowPartitions": "tables",
        "ShowProjects": "projects",
        "ShowTables": "tables",
        "TruncateTable": "tables",
        "Use": "projects",
        "Whoami": "projects",
    },
    "snowflake": {
        "AlterPipe": "sf_pipes",
        "AlterRename": "sf_objects",
        "AlterSession": "sf_session",
        "AlterSet": "sf_objects",
        "AlterTask": "sf_tasks",
        "CopyInto": "sf_stages",
        "CreateDatabase": "sf_objects",
        "CreatePipe": "sf_pipes",
        "CreateSchema": "sf_objects",
        "CreateSnowflakeRole": "sf_access",
        "CreateSnowflakeTable": "sf_objects",
        "CreateStage": "sf_stages",
        "CreateStream": "sf_streams",
        "CreateTask": "sf_tasks",
        "CreateUser": "sf_access",
        "Delete": "sf_dml",
        "Describe": "sf_show",
        "DescribeObject": "sf_show",
        "DescribePipeline": "sf_pipeline",
        "DropObject": "sf_objects",
        "DropTable": "sf_objects",
        "ExecuteTask": "sf_tasks",
        "GrantOwnership": "sf_access",
        "GrantRoleTo": "sf_access",
        "GrantToRole": "sf_access",
        "Insert": "sf_dml",
        "ListStage": "sf_stages",
        "PutFile": "sf_stages",
        "QueryStmt": "sf_dml",
        "RemoveStage": "sf_stages",
        "ShowGrantsSnowflake": "sf_access",
        "ShowObjects": "sf_show",
        "TruncateTable": "sf_dml",
        "Undrop": "sf_objects",
        "Update": "sf_dml",
        "UseObject": "sf_session",
    },
}
HANDLER_MODULES = (
    "access",
    "clone",
    "dml",
    "projects",
    "sf_access",
    "sf_clone",
    "sf_clone_pipeline",
    "sf_dml",
    "sf_objects",
    "sf_pipeline",
    "sf_pipes",
    "sf_session",
    "sf_show",
    "sf_stages",
    "sf_streams",
    "sf_tasks",
    "tables",
)
"""Every module of engine/handlers/."""


def _load_all() -> None:
    for module in HANDLER_MODULES:
        importlib.import_module(f"{_PACKAGE}.{module}")
