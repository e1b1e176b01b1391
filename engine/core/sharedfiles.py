"""`SharedFiles`: one DuckDB database whose attached files the Warehouses of one process share.

A shell has one Warehouse and one DuckDB database. A server has one Warehouse per client
session; if each had its own DuckDB database, two of them could never hold one file at the same
time (DuckDB opens a file once per process: "Unique file handle conflict"), so every statement
of every session would hand the registry and its files over to the next (checkpoint, detach,
attach). Sharing one database, each session works through a connection of its own (its own
transactions, its own interrupt), and a file stays attached from one statement to the next,
whichever session runs it.

Inside the database each file is *held* per statement as the files of a warehouse are held by
processes (engine/core/warehouse.py): by any number of reading statements, or by one writing
statement alone, so a statement never sees another's half-done work and the rules for waiting
(markers, ages, wait-die, the lock timeout) are the same for sessions of one process as for
shells. A file nobody holds stays attached until another process waits for it or the sessions
go idle (`detach_unheld`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.quoting import quote_ident
from cloneshell.grammar.records import record


@record
class _Attached:
    """One attached file: its path, mode, generation when attached, and who holds it now
    (Warehouse serial -> holds it to write)."""

    path: Path
    label: str
    writable: bool
    generation: tuple[int, int]
    holders: dict[int, bool]


class SharedFiles:
    """The shared database of one process over one warehouse directory, and its files' holds."""

    def __init__(self, root: Path, con: duckdb.DuckDBPyConnection) -> None:
        """`con`: a sealed in-memory DuckDB connection (Warehouse.share_files makes it)."""
        self.root = root
        self._con = con
        self._lock = threading.Lock()
        self._files: dict[str, _Attached] = {}

    def connection(self) -> duckdb.DuckDBPyConnection:
        """A new connection to the shared database, for one Warehouse."""
        with self._lock:
            return self._con.cursor()

    def take(
        self,
        owner: int,
        file: tuple[str, str, Path, str],
        write: bool,
        generation: Callable[[], tuple[int, int]],
    ) -> bool | None:
        """Hold a file, `file` = (alias, its ATTACH statement, path, label), for `owner`'s
        statement, attaching it if it is not attached, or again read-write if it is attached
        read-only and `write` is asked while nobody else holds it: True if it attached the
        file now, False if it was attached. None when another statement's hold excludes this
        one (a writer; to write: any other holder): wait and try again. DuckDB's errors of
        the ATTACH (another process holds the file) are raised.
        `generation`: the file's identity on disk now; an attached file nobody holds whose
        path names another file now (deleted, compacted) is let go of first, unmerged."""
        alias, sql, path, label = file
        with self._lock:
            held = self._files.get(alias)
            if held is not None and not held.holders and held.generation != generation():
                self._detach(alias)
                held = None
            if held is not None:
                others = [w for o, w in held.holders.items() if o != owner]
                if any(others) or (write and others):
                    return None
                if not write or held.writable:
                    held.holders[owner] = write or held.holders.get(owner, False)
                    return False
                self._detach(alias)  # read-only, held by none but `owner`: attach read-write
            self._con.execute(sql)
            self._files[alias] = _Attached(path, label, write, generation(), {owner: write})
            return True

    def release(self, owner: int, alias: str) -> None:
        """`owner` no longer holds `alias` (its statement ended, or starts again)."""
        with self._lock:
            held = self._files.get(alias)
            if held is not None:
                held.holders.pop(owner, None)

    def unheld(self) -> list[tuple[str, Path, str]]:
        """The attached files nobody holds now: (alias, path, label)."""
        with self._lock:
            return [(a, f.path, f.label) for a, f in self._files.items() if not f.holders]

    def detach_unheld(self, alias: str, checkpoint: Callable[[], None] | None) -> None:
        """Let go of `alias` if nobody holds it: first `checkpoint()` if it is attached
        read-write (None: leave what was written in its WAL)."""
        with self._lock:
            held = self._files.get(alias)
            if held is None or held.holders:
                return
            try:
                if held.writable and checkpoint is not None:
                    checkpoint()
            finally:
                self._detach(alias)

    def _detach(self, alias: str) -> None:
        del self._files[alias]
        self._con.execute(f"DETACH {quote_ident(alias)}")

    def close(self) -> None:
        """Close the shared database (every session of it is closed: nothing is attached)."""
        with self._lock:
            for alias in list(self._files):
                self._detach(alias)
            self._con.close()
