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

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb
else:
    try:
        import _duckdb as duckdb
    except ImportError:  # pragma: no cover - a DuckDB without a top-level native module
        import duckdb

__all__ = ["duckdb"]
