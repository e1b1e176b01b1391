"""DuckDB, as the engine imports it: its native module.

The `duckdb` package is a re-export of the C++ extension `_duckdb` (its own docstring says so)
plus a Python-side relational and expression API, and reading its version through
importlib.metadata: importing it costs ~75 ms more than the native module alone, about half of
a `cloneshell -e` run (measured: `import _duckdb` 16 ms, `import duckdb` 88 ms, minimum of 15
on these machines). The engine uses only what `_duckdb` defines (`connect`, the connection
class, the exception classes), the very objects `duckdb` re-exports, so the two are
interchangeable in the same process. When a DuckDB release stops shipping `_duckdb` as a
top-level module, this falls back to the package."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb
else:
    try:
        import _duckdb as duckdb
    except ImportError:  # pragma: no cover - a DuckDB without a top-level native module
        import duckdb

__all__ = ["ARROW_FROM", "duckdb", "fetch_rows_or_arrow"]


def fetch_rows_or_arrow(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[object, ...]], Any]:
    """The rows of the query `con` just executed: `(rows, None)` when there are at most
    ARROW_FROM (Arrow costs a fixed ~0.15 ms a query, more than a few rows' conversion); else
    the first ARROW_FROM as Python tuples and the rest as a pyarrow Table, so that a large
    result never becomes Python objects. The rest is taken through the native module's own
    `_result_as_arrow`, which the `duckdb` package's `to_arrow_table` calls: importing that
    package would also change the rules of the connection class's `execute` for every session
    in the process (unfinished results)."""
    head = con.fetchmany(ARROW_FROM)
    if len(head) < ARROW_FROM:
        return head, None
    rest = con._result_as_arrow(_ARROW_BATCH, reader=False)
    return head, (rest if rest is not None and rest.num_rows else None)


ARROW_FROM = 1_024  # rows from which the rest of a result is fetched as Arrow
_ARROW_BATCH = 1_000_000  # rows per Arrow record batch
