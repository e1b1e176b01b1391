"""The warehouse: storage, catalog, privileges and execution. Never prints, never formats for a
terminal; returns `Result` objects and raises `CloneshellError`s.

The names below are imported on first use (module `__getattr__`): importing a light module of
the package, such as `cloneshell.engine.core.result` for the shell's renderer, must not import
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

    from cloneshell.engine.core.clock import Clock
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
    from cloneshell.engine.core.snapshot import CatalogSnapshot, TableEntry

__all__ = [
    "CatalogSnapshot",
    "Column",
    "ColumnInfo",
    "PartitionInfo",
    "Result",
    "Rows",
    "Session",
    "Status",
    "TableDescription",
    "TableEntry",
    "Text",
    "open_session",
]

_MODULE_OF = {
    "CatalogSnapshot": "core.snapshot",
    "Column": "core.result",
    "ColumnInfo": "core.result",
    "PartitionInfo": "core.result",
    "Result": "core.result",
    "Rows": "core.result",
    "Session": "core.session",
    "Status": "core.result",
    "TableDescription": "core.result",
    "TableEntry": "core.snapshot",
    "Text": "core.result",
}


def open_session(
    warehouse_dir: Path | str,
    principal: str | None = None,
    project: str | None = None,
    dialect: str = "maxcompute",
    clock: Clock | datetime | None = None,
    lock_timeout: float | None = None,
    new_user: bool = True,
) -> Session:
    """`Session.open(...)`, with DuckDB's own start-up overlapping the engine's imports.

    Starting a DuckDB database (~25 ms, nearly all of it with the GIL released) and importing
    the engine's modules (~60 ms of Python) do not depend on each other: the database is
    started on a thread while this one imports the rest of the engine."""
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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value
