"""Defect 25 (issue 13): a MaxCompute TIMESTAMP keeps nanoseconds ("TIMESTAMP'2017-11-11
00:00:00.123456789' … accurate to the nanosecond", MaxCompute data type version 2.0). It was
stored as TIMESTAMP_NS but read back `.123456`: DuckDB's Python client turns TIMESTAMP_NS into
a datetime. Now every path that returns one keeps the nine digits: literals, casts, tables
(INSERT, CTAS, INSERT OVERWRITE, CLONE TABLE), functions that take and return a TIMESTAMP, and
the shell's box, csv and json."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from cloneshell.engine import Session
from cloneshell.engine.core.result import NanoDatetime
from cloneshell.shell.batch import run_script

DOC = "2017-11-11 00:00:00.123456789"  # the data type page's TIMESTAMP constant
DEFECT = "2024-03-10 02:30:00.123456789"  # the defect's value


@pytest.fixture
def s(tmp_path: Path) -> Iterator[Session]:
    session = Session.open(tmp_path / "wh")
    yield session
    session.close()


def _rows(s: Session, sql: str) -> list[tuple[object, ...]]:
    (result,) = s.execute(sql)
    return list(result.rows)  # type: ignore[attr-defined]


def _one(s: Session, sql: str) -> object:
    ((value,),) = _rows(s, sql)
    return value


def _text(value: object) -> str:
    assert isinstance(value, NanoDatetime), repr(value)
    return f"{value:%Y-%m-%d %H:%M:%S}.{value.microsecond:06d}{value.nanosecond:03d}"


def test_the_doc_literal_keeps_its_nanoseconds(s: Session) -> None:
    value = _one(s, f"SELECT TIMESTAMP '{DOC}';")
    assert _text(value) == DOC
    assert _text(_one(s, f"SELECT TIMESTAMP '{DEFECT}';")) == DEFECT
    # Still a datetime (to the microsecond) for code that knows only datetimes.
    assert value == datetime(2017, 11, 11, 0, 0, 0, 123456)
    (result,) = s.execute(f"SELECT TIMESTAMP '{DOC}';")
    assert [c.type for c in result.columns] == ["timestamp"]  # type: ignore[attr-defined]


def test_casts_keep_nanoseconds_both_ways(s: Session) -> None:
    assert _text(_one(s, f"SELECT CAST('{DEFECT}' AS TIMESTAMP);")) == DEFECT
    assert _one(s, f"SELECT CAST(TIMESTAMP '{DEFECT}' AS STRING);") == DEFECT


def test_tables_keep_nanoseconds(s: Session) -> None:
    s.execute("CREATE TABLE t (a TIMESTAMP, b BIGINT);")
    s.execute(f"INSERT INTO t VALUES (TIMESTAMP '{DEFECT}', 1), (NULL, 2);")
    rows = _rows(s, "SELECT a, a, b FROM t ORDER BY b LIMIT 10;")
    assert [(_text(r[0]), _text(r[1]), r[2]) for r in rows[:1]] == [(DEFECT, DEFECT, 1)]
    assert rows[1] == (None, None, 2)
    s.execute("CREATE TABLE t2 AS SELECT * FROM t;")
    s.execute("CLONE TABLE t TO t3;")
    s.execute("CREATE TABLE t4 (a TIMESTAMP, b BIGINT);")
    s.execute("INSERT OVERWRITE TABLE t4 SELECT a, b FROM t;")
    for table in ("t2", "t3", "t4"):
        assert _text(_one(s, f"SELECT a FROM {table} WHERE b = 1;")) == DEFECT, table
    # Equality and order see the last digit.
    assert _one(s, f"SELECT count(*) FROM t WHERE a = TIMESTAMP '{DEFECT}';") == 1
    assert _one(s, "SELECT count(*) FROM t WHERE a = TIMESTAMP '2024-03-10 02:30:00.123456';") == 0
    assert _one(s, "SELECT a > TIMESTAMP '2024-03-10 02:30:00.123456788' FROM t WHERE b = 1;")


def test_functions_that_take_and_return_a_timestamp_keep_nanoseconds(s: Session) -> None:
    t = f"TIMESTAMP '{DEFECT}'"
    assert _text(_one(s, f"SELECT dateadd({t}, 1, 'dd');")) == "2024-03-11 02:30:00.123456789"
    assert _text(_one(s, f"SELECT max(x) FROM (SELECT {t} AS x) s;")) == DEFECT
    assert _text(_one(s, f"SELECT coalesce(NULL, {t});")) == DEFECT
    assert _text(_one(s, f"SELECT if(true, {t}, NULL);")) == DEFECT


def test_the_shell_shows_nine_digits_without_trailing_zeros(s: Session) -> None:
    sql = (
        f"SELECT TIMESTAMP '{DOC}' AS a, TIMESTAMP '2017-11-11 00:00:00.1' AS b, "
        "TIMESTAMP '2017-11-11 00:00:00.000000001' AS c;"
    )
    out, err = io.StringIO(), io.StringIO()
    assert run_script(s, sql, out, err) == 0, err.getvalue()
    assert (
        "| 2017-11-11 00:00:00.123456789 | 2017-11-11 00:00:00.1 | 2017-11-11 00:00:00.000000001 |"
        in out.getvalue()
    ), out.getvalue()
    for fmt, shown in (
        ("csv", f"{DOC},2017-11-11 00:00:00.1,2017-11-11 00:00:00.000000001"),
        ("json", f'"a": "{DOC}"'),
    ):
        out = io.StringIO()
        assert run_script(s, sql, out, err, fmt=fmt) == 0, err.getvalue()
        assert shown in out.getvalue(), out.getvalue()


def test_a_datetime_is_not_a_timestamp(s: Session) -> None:
    # DATETIME (millisecond precision) stays a plain datetime.
    value = _one(s, "SELECT DATETIME '2017-11-11 00:00:00';")
    assert type(value) is datetime
