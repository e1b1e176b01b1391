"""Snowflake syntax that pasted code uses (issue 14): `v:a:b` path steps, structured types,
TRY_CAST, DATE_PART(part FROM x); each with the value Snowflake documents."""

from __future__ import annotations

import pytest
from engine_helpers import fails

from cloneshell.engine import Rows, Session


def _rows(s: Session, sql: str) -> list[tuple[object, ...]]:
    *_, result = s.execute(sql)
    assert isinstance(result, Rows)
    return result.rows


def test_path_steps_may_be_written_with_colons_and_blanks(sf: Session) -> None:
    doc = 'PARSE_JSON(\'{"level1": {"level2": {"level3": "value"}}, "a": [{"n": 1}]}\')'
    rows = _rows(
        sf,
        f"WITH t AS (SELECT {doc} AS data) "
        "SELECT data:   level1 : level2 : level3::VARCHAR, data:level1.level2:level3::VARCHAR, "
        "data:a[0]:n FROM t",
    )
    assert rows == [("value", "value", "1")]


def test_structured_types_in_casts_and_columns(sf: Session) -> None:
    sf.execute("CREATE DATABASE d")
    sf.execute(
        "CREATE TABLE st (a ARRAY(INT), o OBJECT(x INT, y VARCHAR NOT NULL), m MAP(VARCHAR, INT))"
    )
    types = [row[1] for row in _rows(sf, "DESC TABLE st")]
    assert types == [
        "ARRAY(NUMBER(38,0))",
        "OBJECT(x NUMBER(38,0), y VARCHAR(16777216))",
        "MAP(VARCHAR(16777216), NUMBER(38,0))",
    ]
    assert _rows(sf, "SELECT CAST([1, 2, 3] AS ARRAY(INT))") == [("[1,2,3]",)]
    assert _rows(sf, "SELECT OBJECT_CONSTRUCT('a', 1)::MAP(VARCHAR, INT)") == [('{"a":1}',)]


def test_a_map_key_must_be_text_or_an_integer(sf: Session) -> None:
    assert "Unsupported data type 'MAP'" in fails(sf, "SELECT [1]::MAP(FLOAT, INT)").text


def test_try_cast_gives_null_where_cast_fails(sf: Session) -> None:
    # TRY_CAST docs: TRY_CAST('05-Mar-2016' AS TIMESTAMP) is a timestamp, a bad string NULL.
    rows = _rows(sf, "SELECT TRY_CAST('12:30:00' AS TIME) IS NULL, TRY_CAST('abc' AS INT)")
    assert rows == [(False, None)]
    assert _rows(sf, "SELECT TRY_CAST('123' AS INT)") == [(123,)]


@pytest.mark.parametrize(
    "sql", ["DATE_PART(year FROM '2024-04-08'::DATE)", "DATE_PART('year' FROM '2024-04-08'::DATE)"]
)
def test_date_part_with_from(sf: Session, sql: str) -> None:
    assert _rows(sf, f"SELECT {sql}") == [(2024,)]


def test_from_belongs_only_to_extract_and_date_part(sf: Session) -> None:
    assert "FROM" in fails(sf, "SELECT UPPER(year FROM CURRENT_DATE())").text
