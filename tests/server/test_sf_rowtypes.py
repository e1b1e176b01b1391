"""Exact rowtype metadata through connector 4.x's `cursor.description` (issue 15): a column taken
straight from a table has its declared type — VARCHAR(n)'s length, NUMBER(p,s)'s precision and
scale, BINARY(n)'s length, TIMESTAMP_*(s)'s kind and scale — and its nullability, as Snowflake
reports them (Snowflake's data type pages: VARCHAR without a length is VARCHAR(16777216), BINARY
is BINARY(8388608), NUMBER is NUMBER(38,0), INT is NUMBER(38,0), timestamps and TIME default to
scale 9); values arrive at that scale, in JSON and in Arrow."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

pytest.importorskip("snowflake.connector")

# The connector's type codes (snowflake.connector.constants.FIELD_TYPES).
FIXED, REAL, TEXT, DATE, LTZ, TZ, NTZ, BINARY, TIME, BOOLEAN = 0, 1, 2, 3, 6, 7, 8, 11, 12, 13

_TABLE = (
    "CREATE TABLE t (v VARCHAR(10) NOT NULL, n NUMBER(10,2), b BINARY(8), "
    "ts TIMESTAMP_NTZ(3), tl TIMESTAMP_LTZ(6), tz TIMESTAMP_TZ(0), tm TIME(3), s STRING, "
    "i INT NOT NULL, f FLOAT, d DATE, bo BOOLEAN, c CHAR, bd BINARY, tsd TIMESTAMP_NTZ)"
)
_ROW = (
    "INSERT INTO t VALUES ('abc', 12.5, TO_BINARY('0A0B', 'HEX'), '2024-01-02 03:04:05.678', "
    "'2024-01-02 03:04:05.123456', '2024-01-02 03:04:05', '01:02:03.456', 'x', 7, 1.5, "
    "'2024-01-02', TRUE, 'c', TO_BINARY('FF', 'HEX'), '2024-01-02 03:04:05.123456789')"
)


@pytest.fixture(params=["JSON", "ARROW"])
def cursor(served: Any, request: Any) -> Any:
    con = served.snowflake(
        session_parameters={
            "CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False,
            "PYTHON_CONNECTOR_QUERY_RESULT_FORMAT": request.param,
            "TIMEZONE": "UTC",
        }
    )
    cur = con.cursor()
    cur.execute("CREATE DATABASE IF NOT EXISTS rt")
    cur.execute("USE SCHEMA rt.public")
    cur.execute("CREATE TABLE IF NOT EXISTS probe (x INT)")
    if cur.execute("SHOW TABLES LIKE 'T'").fetchall() == []:
        cur.execute(_TABLE)
        cur.execute(_ROW)
    yield cur
    con.close()


def _described(cur: Any) -> list[tuple[Any, ...]]:
    return [
        (d.name, d.type_code, d.internal_size, d.precision, d.scale, d.is_nullable)
        for d in cur.description
    ]


def test_table_columns_have_their_declared_types(cursor: Any) -> None:
    row = cursor.execute("SELECT * FROM t").fetchone()
    assert _described(cursor) == [
        ("V", TEXT, 10, None, None, False),
        ("N", FIXED, None, 10, 2, True),
        ("B", BINARY, 8, None, None, True),
        ("TS", NTZ, None, 0, 3, True),
        ("TL", LTZ, None, 0, 6, True),
        ("TZ", TZ, None, 0, 0, True),
        ("TM", TIME, None, 0, 3, True),
        ("S", TEXT, 16777216, None, None, True),
        ("I", FIXED, None, 38, 0, False),
        ("F", REAL, None, None, None, True),
        ("D", DATE, None, None, None, True),
        ("BO", BOOLEAN, None, None, None, True),
        ("C", TEXT, 1, None, None, True),
        ("BD", BINARY, 8388608, None, None, True),
        ("TSD", NTZ, None, 0, 9, True),
    ]
    utc = datetime.UTC
    assert row[:4] == (
        "abc",
        Decimal("12.50"),
        b"\x0a\x0b",
        datetime.datetime(2024, 1, 2, 3, 4, 5, 678000),
    )
    assert row[4] == datetime.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=utc)
    assert row[5] == datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=utc)
    assert row[6] == datetime.time(1, 2, 3, 456000)
    assert row[8:14] == (7, 1.5, datetime.date(2024, 1, 2), True, "c", b"\xff")
    assert row[14] == datetime.datetime(2024, 1, 2, 3, 4, 5, 123456)


def test_qualified_columns_aliases_and_expressions(cursor: Any) -> None:
    cursor.execute(
        "SELECT a.v AS name, p.x, a.n + 1 AS more, i, 'k' AS k FROM t a JOIN probe p ON TRUE"
    )
    described = _described(cursor)
    assert described[0] == ("NAME", TEXT, 10, None, None, False)
    assert described[1] == ("X", FIXED, None, 38, 0, True)
    assert described[3] == ("I", FIXED, None, 38, 0, False)
    # An expression is not a table's column: nullable, its type from its value.
    assert described[2][:2] == ("MORE", FIXED) and described[2][5] is True
    assert described[4][:2] == ("K", TEXT) and described[4][5] is True


def test_rowtype_names_the_source_table(tmp_path: Any) -> None:
    """The reply's rowtype entries carry the database, schema and table of a table's column
    (empty for an expression's)."""
    from cloneshell.engine import open_session
    from cloneshell.server.sfresult import as_table

    session = open_session(tmp_path / "wh", "ALICE", None, "snowflake")
    try:
        session.execute("CREATE DATABASE rt2")
        session.execute("CREATE TABLE rt2.public.w (v VARCHAR(3) NOT NULL)")
        (result,) = session.execute("SELECT v, 1 AS one FROM rt2.public.w")
    finally:
        session.close()
    first, second = as_table(result).columns
    assert (first["database"], first["schema"], first["table"]) == ("RT2", "PUBLIC", "W")
    assert (first["length"], first["byteLength"], first["nullable"]) == (3, 12, False)
    assert (second["database"], second["table"], second["nullable"]) == ("", "", True)
