"""Snowflake's reading of a value as a TIMESTAMP (TO_TIMESTAMP and `::TIMESTAMP` alike): a number
counts seconds since the epoch, text of an integer counts seconds, milliseconds, microseconds or
nanoseconds by its size, other text and values are cast."""

from __future__ import annotations

# DuckDB's names of the numeric types (typeof), DECIMAL(p,s) aside, and of the date/time ones.
_NUMERIC = (
    "'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', "
    "'UINTEGER', 'UBIGINT', 'UHUGEINT', 'FLOAT', 'DOUBLE'"
)
_TEMPORAL = (
    "'DATE', 'TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE'"
)


def timestamp_of(x: str, tried: bool) -> str:
    """`x` (SQL of any type) as a TIMESTAMP as TO_TIMESTAMP reads it (its docs). `tried`: NULL
    instead of an error. Every branch binds for every type of `x` (DuckDB refuses to bind
    CAST(INTEGER AS TIMESTAMP) even in a branch never taken): a number goes through its text, a
    date or timestamp through TRY_CAST (which binds, and cannot fail for those), anything else
    (BOOLEAN: an error in Snowflake too) through its text."""
    cast = "TRY_CAST" if tried else "CAST"
    text = f"trim(CAST({x} AS VARCHAR))"
    n = f"TRY_CAST({text} AS HUGEINT)"
    micros = (
        f"(CASE WHEN abs({n}) < 31536000000 THEN {n} * 1000000 "
        f"WHEN abs({n}) < 31536000000000 THEN {n} * 1000 "
        f"WHEN abs({n}) < 31536000000000000 THEN {n} ELSE {n} // 1000 END)"
    )
    seconds = f"CAST(round(CAST({text} AS DOUBLE) * 1000000) AS BIGINT)"
    return (
        f"(CASE WHEN typeof({x}) IN ({_NUMERIC}) OR typeof({x}) LIKE 'DECIMAL%' "
        f"THEN make_timestamp({seconds}) "
        f"WHEN typeof({x}) IN ({_TEMPORAL}) THEN TRY_CAST({x} AS TIMESTAMP) "
        f"WHEN typeof({x}) <> 'VARCHAR' THEN {cast}(CAST({x} AS VARCHAR) AS TIMESTAMP) "
        f"WHEN regexp_full_match({text}, '[+-]?[0-9]+') "
        f"THEN make_timestamp(CAST({micros} AS BIGINT)) "
        f"ELSE {cast}(CAST({x} AS VARCHAR) AS TIMESTAMP) END)"
    )
