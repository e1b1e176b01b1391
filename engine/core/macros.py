"""The DuckDB macros the translated SQL may call, installed on each warehouse connection: the
few rules DuckDB has no function for whose result type follows an argument's type."""

from __future__ import annotations

from cloneshell.engine.core.duck import duckdb

# `cs_add(x, interval)`: x moved by the interval, keeping x's type. DuckDB's `DATE + INTERVAL`
# is a TIMESTAMP; MaxCompute's DATEADD and Snowflake's DATEADD keep a DATE a DATE (both
# vendors' pages). Other types are refused (MaxCompute 2.0 converts no string implicitly).
_MACROS = (
    "CREATE OR REPLACE TEMP MACRO cs_add"
    "(x DATE, i INTERVAL) AS CAST(x + i AS DATE), "
    "(x TIMESTAMP, i INTERVAL) AS x + i, "
    "(x TIMESTAMP_NS, i INTERVAL) AS x + i",
    # `cs_sf_dateadd(x, interval)`: Snowflake's DATEADD and ADD_MONTHS by a day or larger
    # unit: a DATE stays a DATE (a DATE column too), any other date/time value keeps its type
    # and a string is read as a TIMESTAMP (DATEADD docs).
    "CREATE OR REPLACE TEMP MACRO cs_sf_dateadd"
    "(x DATE, i INTERVAL) AS CAST(x + i AS DATE), "
    "(x TIMESTAMP, i INTERVAL) AS x + i, "
    "(x TIMESTAMP_NS, i INTERVAL) AS x + i, "
    "(x TIMESTAMPTZ, i INTERVAL) AS x + i, "
    "(x TIME, i INTERVAL) AS x + i, "
    "(x VARCHAR, i INTERVAL) AS CAST(x AS TIMESTAMP) + i",
    # `cs_sf_ts(x)`: the value Snowflake's TO_CHAR/TO_VARCHAR format with a date/time format
    # model, as a TIMESTAMP; a number has no overload (numeric format models are not emulated).
    "CREATE OR REPLACE TEMP MACRO cs_sf_ts"
    "(x DATE) AS CAST(x AS TIMESTAMP), "
    "(x TIMESTAMP) AS x, "
    "(x TIMESTAMP_NS) AS CAST(x AS TIMESTAMP), "
    "(x TIMESTAMPTZ) AS CAST(x AS TIMESTAMP), "
    "(x VARCHAR) AS CAST(x AS TIMESTAMP)",
    # `cs_at(x, i)`: `x[i]` as both dialects write it: an array's element by its 0-based
    # position (DuckDB counts from 1), a map's value by its key.
    "CREATE OR REPLACE TEMP MACRO cs_at(x, i) AS CASE WHEN typeof(x) LIKE 'MAP(%' THEN x[i] "
    "ELSE x[TRY_CAST(i AS BIGINT) + 1] END",
    # `cs_sf_trunc(unit, x)`: Snowflake's DATE_TRUNC, keeping a DATE a DATE and a TIME a TIME.
    "CREATE OR REPLACE TEMP MACRO cs_sf_trunc"
    "(u, x DATE) AS CAST(date_trunc(u, x) AS DATE), "
    "(u, x TIME) AS CAST(date_trunc(u, DATE '1970-01-01' + x) AS TIME), "
    "(u, x TIMESTAMP) AS date_trunc(u, x), "
    "(u, x TIMESTAMP_NS) AS CAST(date_trunc(u, CAST(x AS TIMESTAMP)) AS TIMESTAMP_NS)",
)


# What a call of each macro with arguments of the wrong types means to the user (DuckDB says
# "Macro cs_add() does not support the supplied arguments").
ARGUMENT_ERRORS = {
    "cs_add": "invalid argument type: a date, datetime or timestamp is expected",
    "cs_sf_trunc": "invalid argument type: a date, time or timestamp is expected",
    "cs_sf_dateadd": "invalid argument type: a date, time or timestamp is expected",
    "cs_sf_ts": "TO_CHAR with a format takes a date or a timestamp here: numeric format"
    " models are not supported",
    "cs_at": "invalid subscript: an array takes a position, a map a key of its key type",
}


def install(con: duckdb.DuckDBPyConnection) -> None:
    """Create the macros on a connection (temporary: they live as long as it does)."""
    for sql in _MACROS:
        con.execute(sql)
