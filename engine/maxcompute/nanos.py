"""A MaxCompute query's TIMESTAMP results to the nanosecond: DuckDB's Python client converts a
TIMESTAMP_NS value to a datetime, dropping the last three digits, so a result with such
columns is fetched with their epoch nanoseconds instead and given as `NanoDatetime` values.

Only a query that can yield one pays for asking DuckDB its result's types first: one whose
SQL casts to TIMESTAMP_NS (a TIMESTAMP literal or cast) or that reads a table with a
timestamp column. A TIMESTAMP inside an ARRAY, MAP or STRUCT keeps microseconds."""

from __future__ import annotations

from collections.abc import Sequence

from cloneshell.engine.core.catalog import TableMeta
from cloneshell.engine.core.duck import duckdb
from cloneshell.engine.core.result import NanoDatetime

_NS = "TIMESTAMP_NS"

# A column description as DuckDB's cursor gives it: (name, type, …).
Description = list[tuple[str, str]]


def may_yield(sql: str, tables: Sequence[TableMeta | None]) -> bool:
    """True if the query could return a TIMESTAMP_NS column."""
    return _NS in sql.upper() or any(
        _NS in c.duck_type.upper()
        for t in tables
        if t is not None
        for c in (*t.columns, *t.partition_columns)
    )


def fetch(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: list[object],
    check: bool,
    most: int | None = None,
) -> tuple[Description, list[tuple[object, ...]]]:
    """Run the query; its columns (name, DuckDB type) and rows, at most `most` of them. With
    `check`, TIMESTAMP_NS columns come back as `NanoDatetime` values."""
    if check:
        described = con.execute(f"DESCRIBE {sql}", params).fetchall()
        nanos = [i for i, d in enumerate(described) if str(d[1]) == _NS]
        if nanos:
            return _fetch_nanos(con, sql, params, described, set(nanos), most)
    cur = con.execute(sql, params)
    description = [(str(d[0]), str(d[1])) for d in cur.description or []]
    return description, cur.fetchall() if most is None else cur.fetchmany(most)


def _fetch_nanos(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: list[object],
    described: list[tuple[object, ...]],
    nanos: set[int],
    most: int | None,
) -> tuple[Description, list[tuple[object, ...]]]:
    # Positional references (#n) keep duplicate and unnamed result columns apart.
    picks = ", ".join(
        f"epoch_ns(#{i + 1})" if i in nanos else f"#{i + 1}" for i in range(len(described))
    )
    cur = con.execute(f"SELECT {picks} FROM ({sql})", params)
    rows = cur.fetchall() if most is None else cur.fetchmany(most)
    out = [
        tuple(
            NanoDatetime.from_epoch_ns(v) if i in nanos and isinstance(v, int) else v
            for i, v in enumerate(row)
        )
        for row in rows
    ]
    return [(str(d[0]), str(d[1])) for d in described], out
