"""The warehouse: storage, catalog, privileges and execution. Never prints, never formats for a
terminal; returns `Result` objects and raises `CloneshellError`s.

The names below are imported on first use (module `__getattr__`): importing a light module of
the package, such as `cloneshell.engine.result` for the shell's renderer, must not import
DuckDB, Lark and the whole engine along with it (that made the REPL's first prompt wait for
them)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cloneshell.engine.result import (
        Column,
        ColumnInfo,
        PartitionInfo,
        Result,
        Rows,
        Status,
        TableDescription,
        Text,
    )
    from cloneshell.engine.session import Session
    from cloneshell.engine.snapshot import CatalogSnapshot, TableEntry

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
]

_MODULE_OF = {
    "CatalogSnapshot": "snapshot",
    "Column": "result",
    "ColumnInfo": "result",
    "PartitionInfo": "result",
    "Result": "result",
    "Rows": "result",
    "Session": "session",
    "Status": "result",
    "TableDescription": "result",
    "TableEntry": "snapshot",
    "Text": "result",
}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value
