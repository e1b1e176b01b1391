"""The rows of the catalog's and the registry's lookups, kept while their file cannot change.

A statement's fixed work was mostly such lookups (the registry's project or database row, the
catalog's schema and table rows, the role hierarchy, the last commit: each a DuckDB query of
0.5-1 ms). A file this process holds read-only cannot change under it: DuckDB's file lock keeps
every other process (and every other DuckDB database of this one) from attaching it
read-write, and this connection cannot write it. So an answer read while the file is held
read-only stays true until the file is let go of or attached read-write; each attachment gets a
new mark (`Warehouse._attach`), and a kept answer counts only under the mark it was read with.
Nothing is kept from a file held read-write (its writer is this session, which may be in the
middle of a transaction that is still to commit or roll back).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from cloneshell.engine.core.duck import duckdb

# Answers kept (the least recently used are forgotten first): a statement asks for a handful.
KEPT = 1024

Row = tuple[Any, ...]


class Lookups:
    """Read queries on attached files, answered from what was read under the same attachment."""

    def __init__(self, con: duckdb.DuckDBPyConnection, mark: Callable[[str], int | None]) -> None:
        """`mark(alias)`: the mark of `alias`'s attachment while it is held read-only, else
        None (then nothing is kept or used)."""
        self.con = con
        self._mark = mark
        self._kept: OrderedDict[tuple[str, str, tuple[object, ...]], tuple[int, list[Row]]] = (
            OrderedDict()
        )

    def rows(self, alias: str, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """The rows of `sql` (which reads only the file attached as `alias`)."""
        mark = self._mark(alias)
        if mark is None:
            return self.con.execute(sql, list(params)).fetchall()
        key = (alias, sql, tuple(params))
        found = self._kept.get(key)
        if found is not None and found[0] == mark:
            self._kept.move_to_end(key)
            return list(found[1])
        rows = self.con.execute(sql, list(params)).fetchall()
        self._kept[key] = (mark, rows)
        self._kept.move_to_end(key)
        while len(self._kept) > KEPT:
            self._kept.popitem(last=False)
        return list(rows)

    def row(self, alias: str, sql: str, params: Sequence[object] = ()) -> Row | None:
        """The first row of `sql`, or None."""
        rows = self.rows(alias, sql, params)
        return rows[0] if rows else None
