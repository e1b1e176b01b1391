"""The warehouse: storage, catalog, privileges and execution. Never prints, never formats for a
terminal; returns `Result` objects and raises `CloneshellError`s.

The names below are imported on first use (module `__getattr__`): importing a light module of
the package, such as the result classes for the shell's renderer, must not import
DuckDB, Lark and the whole engine along with it (that made the REPL's first prompt wait for
them)."""

from __future__ import annotations

import contextlib
import importlib
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from cloneshell.engine.core.batching import ManyOutcome
    from cloneshell.engine.core.clock import Clock, FixedClock
    from cloneshell.engine.core.result import (
        Column,
        ColumnInfo,
        PartitionInfo,
        Result,
        Rows,
        Status,
        TableDescription,
        Text,
    )
    from cloneshell.engine.core.session import Session
    from cloneshell.engine.core.sharedfiles import SharedFiles
    from cloneshell.engine.core.snapshot import CatalogSnapshot, TableEntry
    from cloneshell.engine.maxcompute.snapshot import EMPTY as EMPTY_SNAPSHOT

__all__ = [
    "EMPTY_SNAPSHOT",
    "CatalogSnapshot",
    "Column",
    "ColumnInfo",
    "FixedClock",
    "ManyOutcome",
    "PartitionInfo",
    "Result",
    "Rows",
    "Session",
    "SharedFiles",
    "Status",
    "TableDescription",
    "TableEntry",
    "Text",
    "function_names",
    "open_session",
    "share_files",
    "statement_kinds",
]

# name -> (module under cloneshell.engine, name there)
_MODULE_OF = {
    "EMPTY_SNAPSHOT": ("maxcompute.snapshot", "EMPTY"),
    "FixedClock": ("core.clock", "FixedClock"),
    "ManyOutcome": ("core.batching", "ManyOutcome"),
    "CatalogSnapshot": ("core.snapshot", "CatalogSnapshot"),
    "Column": ("core.result", "Column"),
    "ColumnInfo": ("core.result", "ColumnInfo"),
    "PartitionInfo": ("core.result", "PartitionInfo"),
    "Result": ("core.result", "Result"),
    "Rows": ("core.result", "Rows"),
    "Session": ("core.session", "Session"),
    "SharedFiles": ("core.sharedfiles", "SharedFiles"),
    "Status": ("core.result", "Status"),
    "TableDescription": ("core.result", "TableDescription"),
    "TableEntry": ("core.snapshot", "TableEntry"),
    "Text": ("core.result", "Text"),
}


def open_session(
    warehouse_dir: Path | str,
    principal: str | None = None,
    project: str | None = None,
    dialect: str = "maxcompute",
    clock: Clock | datetime | None = None,
    lock_timeout: float | None = None,
    new_user: bool = True,
    shared: SharedFiles | None = None,
) -> Session:
    """`Session.open(...)`, with DuckDB's own start-up overlapping the engine's imports.

    Starting a DuckDB database (~25 ms, nearly all of it with the GIL released) and importing
    the engine's modules (~60 ms of Python) do not depend on each other: the database is
    started on a thread while this one imports the rest of the engine.
    `shared`: open the session in this process's shared database (`share_files`) instead of
    a database of its own (a server's sessions)."""
    if shared is not None:
        from cloneshell.engine.core.session import Session

        return Session.open(
            warehouse_dir,
            principal,
            project,
            dialect,
            clock,
            lock_timeout=lock_timeout,
            new_user=new_user,
            shared=shared,
        )
    from cloneshell.engine.core.duck import duckdb

    started: list[duckdb.DuckDBPyConnection] = []

    def start() -> None:
        # A failure here is left to Session.open, which connects again and reports it.
        with contextlib.suppress(Exception):
            started.append(duckdb.connect(":memory:"))

    thread = threading.Thread(target=start, name="cloneshell-duckdb", daemon=True)
    thread.start()
    try:
        from cloneshell.engine.core.session import Session
    finally:
        thread.join()
    connection = started[0] if started else None
    return Session.open(
        warehouse_dir,
        principal,
        project,
        dialect,
        clock,
        lock_timeout=lock_timeout,
        connection=connection,
        new_user=new_user,
    )


def share_files(warehouse_dir: Path | str, dialect: str = "maxcompute") -> SharedFiles:
    """One DuckDB database for the sessions of this process over the warehouse at
    `warehouse_dir` (`open_session(..., shared=…)`): they share its attached files instead of
    handing them over between statements. Closed (`.close()`) after its last session. A path
    DuckDB cannot use is a CloneshellError in `dialect`'s format."""
    from cloneshell.engine.core import dialects
    from cloneshell.engine.core.warehouse import share_files as share
    from cloneshell.grammar.errors import CloneshellError

    try:
        return share(warehouse_dir)
    except CloneshellError as err:
        raise dialects.get(dialect).render_error(err) from None


def function_names(dialect: str = "maxcompute") -> frozenset[str]:
    """Every function name a dialect's queries accept (for completion and help)."""
    from cloneshell.engine.core import dialects

    return dialects.get(dialect).translation.function_names()


def statement_kinds(dialect: str = "maxcompute") -> frozenset[str]:
    """The statement kinds (AST class names) a dialect runs, for the shell's help."""
    from cloneshell.engine.core import dialects

    return frozenset(kind.__name__ for kind in dialects.get(dialect).handlers)


def __getattr__(name: str) -> Any:
    where = _MODULE_OF.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = where
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value  # later lookups skip this function
    return value
