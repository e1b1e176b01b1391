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

__all__ = [
    "Column",
    "ColumnInfo",
    "PartitionInfo",
    "Result",
    "Rows",
    "Session",
    "Status",
    "TableDescription",
    "Text",
]
