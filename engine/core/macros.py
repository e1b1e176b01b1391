"""The DuckDB macros the translated SQL may call, installed on each warehouse connection: the
few rules DuckDB has no function for whose result type follows an argument's type."""

from __future__ import annotations

from cloneshell.engine.core.duck import duckdb

# BINARY a as a bit string as wide as the wider of a and b, zeros added on the left / right.
_LEFT = "cs_bits({0}, 8 * greatest(octet_length(a), octet_length(b)))"
_RIGHT = "cs_rbits({0}, 8 * greatest(octet_length(a), octet_length(b)))"

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
    # `cs_bits(b, n)`: BINARY b as a bit string of n bits, zeros added on the left (`cs_rbits`:
    # on the right); Snowflake's bitwise functions on BINARY (engine/snowflake/bitwise.py).
    "CREATE OR REPLACE TEMP MACRO cs_bits(b, n) AS "
    "CAST(lpad(CAST(CAST(b AS BIT) AS VARCHAR), CAST(n AS INTEGER), '0') AS BIT)",
    "CREATE OR REPLACE TEMP MACRO cs_rbits(b, n) AS "
    "CAST(rpad(CAST(CAST(b AS BIT) AS VARCHAR), CAST(n AS INTEGER), '0') AS BIT)",
    *(
        f"CREATE OR REPLACE TEMP MACRO cs_sf_bit{name}(a BLOB, b BLOB, side VARCHAR) AS "
        "CAST(CASE upper(side) "
        f"WHEN 'LEFT' THEN {op.format(_LEFT.format('a'), _LEFT.format('b'))} "
        f"WHEN 'RIGHT' THEN {op.format(_RIGHT.format('a'), _RIGHT.format('b'))} "
        f"ELSE {op.format('CAST(a AS BIT)', 'CAST(b AS BIT)')} END AS BLOB), "
        f"(a BLOB, b BLOB) AS CAST({op.format('CAST(a AS BIT)', 'CAST(b AS BIT)')} AS BLOB), "
        f"(a, b) AS {op.format('CAST(a AS HUGEINT)', 'CAST(b AS HUGEINT)')}"
        for name, op in (("and", "({} & {})"), ("or", "({} | {})"), ("xor", "xor({}, {})"))
    ),
    "CREATE OR REPLACE TEMP MACRO cs_sf_bitnot"
    "(a BLOB) AS CAST(~CAST(a AS BIT) AS BLOB), (a) AS ~CAST(a AS HUGEINT)",
    "CREATE OR REPLACE TEMP MACRO cs_sf_bitshiftleft"
    "(a BLOB, n) AS CAST(CAST(a AS BIT) << CAST(n AS INTEGER) AS BLOB), "
    "(a, n) AS CASE WHEN CAST(a AS HUGEINT) < 0 "
    "THEN -((-CAST(a AS HUGEINT)) << CAST(n AS INTEGER)) "
    "ELSE CAST(a AS HUGEINT) << CAST(n AS INTEGER) END",
    # Snowflake's string functions that also take BINARY values (engine/snowflake/binary.py):
    # bytes reversed, padded, cut; a number or text summed as a number.
    "CREATE OR REPLACE TEMP MACRO cs_sf_reverse(x BLOB) AS "
    "unhex(array_to_string(list_reverse(regexp_extract_all(hex(x), '..')), '')), "
    "(x) AS reverse(CAST(x AS VARCHAR))",
    *(
        f"CREATE OR REPLACE TEMP MACRO cs_sf_{side}pad(s BLOB, n, f BLOB) AS "
        f"unhex({side}pad(hex(s), 2 * CAST(n AS INTEGER), hex(f))), "
        f"(s, n, f) AS {side}pad(CAST(s AS VARCHAR), CAST(n AS INTEGER), CAST(f AS VARCHAR))"
        for side in ("l", "r")
    ),
    *(
        f"CREATE OR REPLACE TEMP MACRO cs_sf_{side}(s BLOB, n) AS "
        f"unhex({side}(hex(s), 2 * CAST(n AS BIGINT))), "
        f"(s, n) AS {side}(CAST(s AS VARCHAR), CAST(n AS BIGINT))"
        for side in ("left", "right")
    ),
    "CREATE OR REPLACE TEMP MACRO cs_sf_number(x VARCHAR) AS CAST(x AS DOUBLE), (x) AS x",
    "CREATE OR REPLACE TEMP MACRO cs_sf_bitshiftright"
    "(a BLOB, n) AS CAST(CAST(a AS BIT) >> CAST(n AS INTEGER) AS BLOB), "
    "(a, n) AS CAST(a AS HUGEINT) >> CAST(n AS INTEGER)",
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
