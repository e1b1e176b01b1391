"""Snowflake functions against their vendor pages' examples (docs.snowflake.com, each function's
reference page): the value SnowSQL shows, and the errors. Every name on
engine/snowflake/transpile.py's allowlist that these tests exercise is pinned here."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from engine_helpers import fails

from cloneshell.engine import Rows, Session
from cloneshell.shell.render.snowflake import sf_value_text

# (expression, the value as SnowSQL shows it); the documented result unless a comment says.
DOC_EXAMPLES = [
    # the silently wrong results of issue 14
    ("REGEXP_REPLACE('aXbX', 'X', '')", "ab"),
    (
        "REGEXP_REPLACE('It was the best of times, it was the worst of times', '( ){1,}', '')",
        "Itwasthebestoftimes,itwastheworstoftimes",
    ),
    ("REGEXP_REPLACE('abcABC', 'b', 'x', 1, 0, 'i')", "axcAxC"),
    ("REGEXP_REPLACE('aaa', 'a', 'b', 2)", "abb"),
    ("GREATEST(1, 2, NULL)", "NULL"),
    ("LEAST(5, NULL)", "NULL"),
    ("GREATEST(1, 3, 2)", "3"),
    ("DATEADD(DAY, 5, '2024-01-01'::DATE)", "2024-01-06"),
    ("DATEADD(YEAR, 2, TO_DATE('2022-05-08'))", "2024-05-08"),
    ("DATEADD(MONTH, 1, '2000-01-31'::DATE)", "2000-02-29"),
    ("DATEADD(HOUR, 2, TO_TIMESTAMP('2022-05-08 14:45:00'))", "2022-05-08 16:45:00.000"),
    # dates and times
    ("ADD_MONTHS('2016-02-29'::DATE, 1)", "2016-03-31"),
    ("ADD_MONTHS('2016-05-15'::DATE, 2)", "2016-07-15"),
    ("DATE_PART(QUARTER, '2024-04-08'::DATE)", "2"),
    ("DATE_PART(year, '2024-05-06'::DATE)", "2024"),
    ("TIME_SLICE('2019-02-28'::DATE, 4, 'MONTH', 'START')", "2019-01-01"),
    ("DATE_FROM_PARTS(2004, 2, 1)", "2004-02-01"),
    ("TIMESTAMP_FROM_PARTS(2013, 4, 5, 12, 0, 0)", "2013-04-05 12:00:00.000"),
    ("TO_VARCHAR('2013-04-05'::DATE, 'mm/dd/yyyy')", "04/05/2013"),
    (
        "TO_CHAR(TO_TIMESTAMP('2024-04-05 01:02:03'), 'YYYY-MM-DD HH24:MI:SS')",
        "2024-04-05 01:02:03",
    ),
    ("TO_DATE('04/05/2013', 'MM/DD/YYYY')", "2013-04-05"),
    ("TO_TIMESTAMP('04/05/2013 01:02', 'MM/DD/YYYY HH24:MI')", "2013-04-05 01:02:00.000"),
    ("TRY_TO_DATE('2018-09-15')", "2018-09-15"),
    ("TRY_TO_DATE('Invalid')", "NULL"),
    ("MONTHNAME('2015-05-01'::DATE)", "May"),
    ("DAYNAME('2015-05-01'::DATE)", "Fri"),
    ("NEXT_DAY('2024-05-01'::DATE, 'Friday')", "2024-05-03"),
    # numbers
    ("ROUND(2.5, 0, 'HALF_TO_EVEN')", "2"),
    ("ROUND(-2.5, 0, 'HALF_AWAY_FROM_ZERO')", "-3"),
    ("ROUND(135.135, -2)", "100"),
    ("FLOOR(135.135, 1)", "135.1"),
    ("FLOOR(-975.975, -1)", "-980"),
    ("CEIL(135.135, 1)", "135.2"),
    ("TRY_TO_NUMBER('abc')", "NULL"),
    ("TRY_TO_NUMBER('12.3', 10, 1)", "12.3"),
    ("TO_NUMBER('12.3456', 10, 1)", "12.3"),
    ("SQUARE(3)", "9.0"),  # FLOAT: SnowSQL prints 9
    ("BITAND(12, 10)", "8"),
    ("BITOR(12, 10)", "14"),
    ("BITXOR(12, 10)", "6"),
    # strings
    ("SPLIT_PART('11.22.33', '.', 0)", "11"),
    ("SPLIT_PART('11.22.33', '.', 1)", "11"),
    ("SPLIT_PART('11.22.33', '.', -1)", "33"),
    ("STRTOK('a.b.c', '.', 1)", "a"),
    ("STRTOK('user@snowflake.com', '@.', 1)", "user"),
    ("STRTOK('user@snowflake.com', '@.', 3)", "com"),
    ("CHARINDEX('an', 'banana', 3)", "4"),
    ("CHARINDEX('an', 'banana')", "2"),
    ("CONTAINS('abc', 'b')", "True"),
    ("STARTSWITH('abc', 'a')", "True"),
    ("ENDSWITH('abc', 'a')", "False"),
    ("HEX_ENCODE('Snowflake')", "536E6F77666C616B65"),
    ("BASE64_ENCODE('Snowflake')", "U25vd2ZsYWtl"),
    ("BASE64_DECODE_STRING('U25vd2ZsYWtl')", "Snowflake"),
    ("MD5('Snowflake')", hashlib.md5(b"Snowflake").hexdigest()),
    ("SHA1('Snowflake')", hashlib.sha1(b"Snowflake").hexdigest()),
    ("SHA2('Snowflake', 256)", hashlib.sha256(b"Snowflake").hexdigest()),
    ("RPAD('data', 8) || '|'", "data    |"),
    ("LPAD('data', 6, '*')", "**data"),
    (
        "REGEXP_COUNT('It was the best of times, it was the worst of times', '\\\\bwas\\\\b', 1)",
        "2",
    ),
    (
        "REGEXP_SUBSTR('It was the best of times, it was the worst of times', 'the\\\\W+\\\\w+')",
        "the best",
    ),
    (
        "REGEXP_SUBSTR('It was the best of times, it was the worst of times', "
        "'the\\\\W+\\\\w+', 1, 2)",
        "the worst",
    ),
    ("REGEXP_LIKE('Sacramento', 'san.*', 'i')", "False"),
    ("REGEXP_LIKE('San Francisco', 'san.*', 'i')", "True"),
    ("TRANSLATE('bad', 'ab', 'ba')", "abd"),
    ("SPACE(3) || '|'", "   |"),
    # conditional
    ("DECODE(1, 1, 'one', 2, 'two', 'other')", "one"),
    ("DECODE(3, 1, 'one', 2, 'two', 'other')", "other"),
    ("DECODE(NULL, NULL, 'null matched')", "null matched"),
    ("EQUAL_NULL(NULL, NULL)", "True"),
    ("EQUAL_NULL(1, NULL)", "False"),
    ("IFF(TRUE, 'true', 'false')", "true"),
    ("NVL2(NULL, 2, 1)", "1"),
    ("ZEROIFNULL(NULL)", "0"),
    ("NULLIFZERO(0)", "NULL"),
    ("TO_BOOLEAN('yes')", "True"),
]


def _value(s: Session, sql: str) -> tuple[str, str]:
    (result,) = s.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    return sf_value_text(result.rows[0][0], result.columns[0].type), result.columns[0].type


@pytest.mark.parametrize(("sql", "expected"), DOC_EXAMPLES, ids=[c[0] for c in DOC_EXAMPLES])
def test_documented_result(sf: Session, sql: str, expected: str) -> None:
    assert _value(sf, sql)[0] == expected


def test_dateadd_keeps_date_and_moves_timestamps(sf: Session) -> None:
    assert _value(sf, "DATEADD(DAY, 5, '2024-01-01'::DATE)")[1] == "DATE"
    assert _value(sf, "DATEADD(HOUR, 5, '2024-01-01'::DATE)")[1].startswith("TIMESTAMP")


def test_uuid_string_is_a_version_4_uuid(sf: Session) -> None:
    text, _ = _value(sf, "UUID_STRING()")
    assert re.fullmatch(
        r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", text
    )


def test_hash_is_deterministic_and_signed_64_bit(sf: Session) -> None:
    a, kind = _value(sf, "HASH(1, 'a')")
    assert a == _value(sf, "HASH(1, 'a')")[0] != _value(sf, "HASH(2, 'a')")[0]
    assert -(2**63) <= int(a) < 2**63 and kind == "NUMBER"


@pytest.mark.parametrize(
    ("sql", "code", "text"),
    [
        ("SELECT split_part('a', 1)", "001044", "Invalid argument types for function 'SPLIT_PART'"),
        ("SELECT substr('abc', 'x')", "001044", "Invalid argument types for function 'SUBSTR'"),
        ("SELECT ROUND(1.5, 0, 'UP')", "002000", "invalid rounding mode UP"),
        ("SELECT 'abc'::INT", "100038", "Numeric value 'abc' is not recognized"),
        ("SELECT TO_NUMBER('abc')", "100038", "Numeric value 'abc' is not recognized"),
        ("SELECT REGEXP_REPLACE('a', 'a', 'b', 1, -1)", "002000", "occurrence must be at least 0"),
    ],
)
def test_function_errors_are_coded_without_duckdb_text(
    sf: Session, sql: str, code: str, text: str
) -> None:
    err = fails(sf, sql)
    message = err.text
    assert err.code == code and text in message, message
    for leak in ("INTEGER_LITERAL", "Macro", "INT64", "explicit type casts"):
        assert leak not in message


def test_a_bad_argument_type_points_at_the_call(sf: Session) -> None:
    err = fails(sf, "SELECT 1, split_part('a', 1)")
    assert err.span is not None and err.span.column == 11


def test_sqlglot_is_imported_only_by_an_allowlisted_call(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from cloneshell.engine import Session\n"
        f"s = Session.open({str(tmp_path / 'wh')!r}, dialect='snowflake')\n"
        "s.execute('SELECT 1, UPPER(\\'a\\'), DATEADD(DAY, 1, CURRENT_DATE())')\n"
        "print('sqlglot' in sys.modules)\n"
        "s.execute('SELECT SQUARE(2)')\n"
        "print('sqlglot' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
