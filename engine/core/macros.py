"""The DuckDB macros the translated SQL may call, installed on each warehouse connection: the
few rules DuckDB has no function for whose result type follows an argument's type."""

from __future__ import annotations

from cloneshell.engine.core.duck import duckdb

# `cs_add(x, interval)`: x moved by the interval, keeping x's type. DuckDB's `DATE + INTERVAL`
# is a TIMESTAMP; MaxCompute's DATEADD and Snowflake's DATEADD keep a DATE a DATE (both
# vendors' pages). Anything else (a string, MaxCompute 1.0's implicit DATETIME) is a TIMESTAMP.
_MACROS = (
    "CREATE OR REPLACE TEMP MACRO cs_add"
    "(x DATE, i INTERVAL) AS CAST(x + i AS DATE), "
    "(x TIMESTAMP, i INTERVAL) AS x + i, "
    "(x TIMESTAMP_NS, i INTERVAL) AS x + i, "
    "(x, i) AS CAST(x AS TIMESTAMP) + i",
)


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Create the macros on a connection (temporary: they live as long as it does)."""
    for sql in _MACROS:
        con.execute(sql)
