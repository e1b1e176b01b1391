"""The warehouse: storage, catalog, privileges and execution. Never prints, never formats for a
terminal; returns `Result` objects and raises `CloneshellError`s."""

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
