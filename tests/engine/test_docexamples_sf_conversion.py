"""Snowflake's conversion functions against their pages' examples (docs.snowflake.com,
sql-reference/functions/<name>): TO_NUMBER/TO_DECIMAL with precision and scale, the TRY_ forms
(NULL where the TO_ form fails), TO_BOOLEAN's words, TO_TIME, the TO_TIMESTAMP family, TO_DATE
with a format; TO_CHAR with a numeric format model is refused with a coded error."""

from __future__ import annotations

import pytest
from engine_helpers import fails

from cloneshell.engine import Rows, Session
from cloneshell.shell.render.snowflake import sf_value_text

DOC_EXAMPLES = [
    ("TO_NUMBER('12.3456', 10, 1)", "12.3"),
    ("TO_NUMBER('12.3456', 10, 8)", "12.34560000"),
    ("TO_NUMERIC('12.3456', 10, 2)", "12.35"),
    ("TO_DECIMAL('1.5')", "2"),
    ("TRY_TO_NUMBER('abc')", "NULL"),
    ("TRY_TO_DECIMAL('345.123', 10, 2)", "345.12"),
    ("TRY_TO_NUMERIC('1.23e2')", "123"),
    ("TO_DOUBLE('1.1')", "1.1"),
    ("TO_DOUBLE('-12.34e-3')", "-0.01234"),
    ("TRY_TO_DOUBLE('bad')", "NULL"),
    ("TO_BOOLEAN('yes')", "True"),
    ("TO_BOOLEAN('off')", "False"),
    ("TO_BOOLEAN(0)", "False"),
    ("TRY_TO_BOOLEAN('maybe')", "NULL"),
    ("TRY_TO_BOOLEAN('true')", "True"),
    ("TO_TIME('13:30:00')", "13:30:00"),
    ("TRY_TO_TIME('25:00:00')", "NULL"),
    ("TRY_TO_TIME('12:30:00')", "12:30:00"),
    ("TO_TIMESTAMP_NTZ('2013-04-05 01:02:03')", "2013-04-05 01:02:03.000"),
    ("TO_TIMESTAMP(1000000000)", "2001-09-09 01:46:40.000"),
    ("TO_TIMESTAMP(31536000000, 3)", "1971-01-01 00:00:00.000"),
    ("TRY_TO_TIMESTAMP('2013-04-05 01:02:03')", "2013-04-05 01:02:03.000"),
    ("TRY_TO_TIMESTAMP('bad')", "NULL"),
    ("TRY_TO_TIMESTAMP_NTZ('bad')", "NULL"),
    ("TRY_TO_TIMESTAMP_LTZ('bad')", "NULL"),
    ("TRY_TO_TIMESTAMP_TZ('bad')", "NULL"),
    ("TO_DATE('2013-05-17')", "2013-05-17"),
    ("TO_DATE('05/17/2013', 'MM/DD/YYYY')", "2013-05-17"),
    ("TO_DATE('2013.05.17', 'YYYY.MM.DD')", "2013-05-17"),
    ("TO_VARCHAR('2013-05-17'::DATE, 'MON DD, YYYY')", "May 17, 2013"),
    ("TO_VARCHAR(NULL, 'YYYY')", "NULL"),
    ("TO_BINARY('SNOW', 'UTF-8')", "534E4F57"),
    ("TRY_CAST('abc' AS INT)", "NULL"),
    ("TRY_CAST('123' AS INT)", "123"),
]


@pytest.mark.parametrize(("sql", "expected"), DOC_EXAMPLES, ids=[c[0][:60] for c in DOC_EXAMPLES])
def test_documented_result(sf: Session, sql: str, expected: str) -> None:
    (result,) = sf.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    assert sf_value_text(result.rows[0][0], result.columns[0].type) == expected


def test_to_char_formats_date_and_timestamp_columns(sf: Session) -> None:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE t (n NUMBER(10, 2), d DATE, ts TIMESTAMP_NTZ)")
    sf.execute("INSERT INTO t VALUES (1.5, '2013-05-17', '2013-05-17 01:02:03')")
    (result,) = sf.execute(
        "SELECT TO_CHAR(d, 'MON DD, YYYY'), TO_CHAR(ts, 'YYYY-MM-DD HH24:MI:SS') FROM t"
    )
    assert isinstance(result, Rows)
    assert result.rows == [("May 17, 2013", "2013-05-17 01:02:03")]
    # A numeric format model is not emulated: a coded error, never DuckDB's cast message.
    err = fails(sf, "SELECT TO_CHAR(n, '999.9') FROM t")
    assert "numeric format models are not supported" in err.text
    assert "Unimplemented" not in err.text and "Macro" not in err.text
    err = fails(sf, "SELECT TO_VARCHAR(12.3456, '99.9')")
    assert err.code == "000002" and "numeric format model" in err.text
