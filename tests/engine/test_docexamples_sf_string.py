"""Snowflake's string and binary functions against their pages' examples (docs.snowflake.com,
sql-reference/functions/<name>): the value SnowSQL shows. CONCAT and CONCAT_WS are NULL when any
argument is NULL (both pages), unlike DuckDB's, which skip NULLs."""

from __future__ import annotations

import pytest
from engine_helpers import fails

from cloneshell.engine import Rows, Session
from cloneshell.shell.render.snowflake import sf_value_text

# (expression, the value SnowSQL shows)
DOC_EXAMPLES = [
    ("CONCAT('George Washington ', 'Carver')", "George Washington Carver"),
    ("CONCAT('a', NULL)", "NULL"),
    ("CONCAT_WS(',', 'one', 'two', 'three')", "one,two,three"),
    ("CONCAT_WS(',', 'one', NULL, 'two')", "NULL"),
    ("CONCAT_WS(NULL, 'a')", "NULL"),
    ("'a' || NULL", "NULL"),
    ("SPLIT_PART('aaa--bbb-BBB--ccc', '--', 2)", "bbb-BBB"),
    ("SPLIT_PART('127.0.0.1', '.', 1)", "127"),
    ("SPLIT_PART('127.0.0.1', '.', -1)", "1"),
    ("SPLIT_PART('|a|b|c|', '|', 1)", ""),
    ("SPLIT_PART('|a|b|c|', '|', 2)", "a"),
    ("LPAD('123.50', 19, '*')", "*************123.50"),
    ("RPAD('123.50', 19, '*')", "123.50*************"),
    ("LPAD('abc', 2)", "ab"),
    ("LEFT('ABCDEFG', 3)", "ABC"),
    ("RIGHT('ABCDEFG', 3)", "EFG"),
    ("REVERSE('Hello, world!')", "!dlrow ,olleH"),
    ("REPEAT('xy', 5)", "xyxyxyxyxy"),
    ("LTRIM('#000000123', '0#')", "123"),
    ("RTRIM('$125.00', '0.')", "$125"),
    ("TRIM('*-*ABC-*-', '*-')", "ABC"),
    ("ASCII('A')", "65"),
    ("CHR(65)", "A"),
    ("UNICODE('€')", "8364"),
    ("CHARINDEX('an', 'banana', 3)", "4"),
    ("STARTSWITH('coffee', 'co')", "True"),
    ("ENDSWITH('coffee', 'ee')", "True"),
    ("CONTAINS('coffee', 'ff')", "True"),
    ("REPLACE('Vacation in Athens', 'Athens', 'Rome')", "Vacation in Rome"),
    ("REPLACE('abcd', 'bc')", "ad"),
    ("SUBSTR('testing 1 2 3', 9, 3)", "1 2"),
    ("LENGTH('Joyeux Noël')", "11"),
    ("INITCAP('hello world')", "Hello World"),
    ("EDITDISTANCE('abc', 'adc')", "1"),
    ("STRTOK('a.b.c', '.', 1)", "a"),
    ("INSERT('abc', 1, 2, 'Z')", "Zc"),
    # binary and encoding
    ("BASE64_ENCODE('Snowflake')", "U25vd2ZsYWtl"),
    ("BASE64_DECODE_STRING('U25vd2ZsYWtl')", "Snowflake"),
    ("TRY_BASE64_DECODE_STRING('U25vd2ZsYWtl')", "Snowflake"),
    ("TRY_BASE64_DECODE_STRING('!!')", "NULL"),
    ("HEX_ENCODE('SNOW')", "534E4F57"),
    ("HEX_DECODE_STRING('536E6F77666C616B65')", "Snowflake"),
    ("TRY_HEX_DECODE_STRING('zz')", "NULL"),
    # hash (the pages hash 'Snowflake')
    ("MD5('Snowflake')", "edf1439075a83a447fb8b630ddc9c8de"),
    ("MD5_HEX('Snowflake')", "edf1439075a83a447fb8b630ddc9c8de"),
    ("SHA1('Snowflake')", "fda76b0bcc1e87cf259b1d1e3271d76f590fb5dd"),
    ("SHA1_HEX('Snowflake')", "fda76b0bcc1e87cf259b1d1e3271d76f590fb5dd"),
]


def _value(s: Session, sql: str) -> str:
    (result,) = s.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    return sf_value_text(result.rows[0][0], result.columns[0].type)


@pytest.mark.parametrize(("sql", "expected"), DOC_EXAMPLES, ids=[c[0][:60] for c in DOC_EXAMPLES])
def test_documented_result(sf: Session, sql: str, expected: str) -> None:
    assert _value(sf, sql) == expected


def test_concat_of_a_null_column_is_null(sf: Session) -> None:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE t (a VARCHAR, b VARCHAR)")
    sf.execute("INSERT INTO t VALUES ('x', NULL), ('x', 'y')")
    (result,) = sf.execute(
        "SELECT CONCAT(a, b), CONCAT_WS('-', a, b) FROM t ORDER BY b NULLS FIRST"
    )
    assert isinstance(result, Rows)
    assert result.rows == [(None, None), ("xy", "x-y")]


def test_concat_without_arguments_is_a_coded_error(sf: Session) -> None:
    err = fails(sf, "SELECT CONCAT()")
    assert "concat takes" in err.text
