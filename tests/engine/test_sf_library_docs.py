"""Snowflake date parts and the table-driven functions (engine/snowflake/dateparts.py,
library.py, the date and number rules of functions.py) against the examples of their
docs.snowflake.com pages: the value SnowSQL shows. Where a page gives no example, the case
says which documented rule it checks."""

from __future__ import annotations

import pytest
from engine_helpers import fails

from cloneshell.engine import Rows, Session
from cloneshell.shell.render.snowflake import sf_value_text

CASES = [
    # DATE_PART / EXTRACT: every part of "Supported date and time parts"
    ("DATE_PART(EPOCH_SECOND, TO_TIMESTAMP('2013-05-08 23:39:20.123'))", "1368056360"),
    ("DATE_PART(EPOCH_MILLISECOND, TO_TIMESTAMP('2013-05-08 23:39:20.123'))", "1368056360123"),
    ("DATE_PART('epoch_second', '2023-01-01 01:01:01'::TIMESTAMP)", "1672534861"),
    ("EXTRACT(YEAR FROM TO_TIMESTAMP('2013-05-08 23:39:20.123'))", "2013"),
    ("DATE_PART('month', '2024-04-08'::DATE)", "4"),
    ("DATE_PART(yy, '2024-04-08'::DATE)", "2024"),
    # weeks and weekdays with WEEK_START = 0, WEEK_OF_YEAR_POLICY = 0 (2017-01-01 is a Sunday)
    ("DATE_PART(DAYOFWEEK, '2017-01-01'::DATE)", "0"),
    ("DATE_PART(DAYOFWEEKISO, '2017-01-01'::DATE)", "7"),
    ("DATE_PART(WEEKDAY_ISO, '2017-01-02'::DATE)", "1"),
    ("DATE_PART(WEEK, '2017-01-01'::DATE)", "52"),
    ("DATE_PART(WEEKISO, '2017-01-01'::DATE)", "52"),
    ("DATE_PART(YEAROFWEEK, '2017-01-01'::DATE)", "2016"),
    ("DATE_PART(YEAROFWEEKISO, '2017-01-01'::DATE)", "2016"),
    ("DATE_PART(DAYOFYEAR, '2017-02-01'::DATE)", "32"),
    ("DATE_PART(DAYOFMONTH, '2017-02-21'::DATE)", "21"),
    ("EXTRACT(NANOSECOND FROM '2024-04-10 14:39:20.123456'::TIMESTAMP)", "123456000"),
    ("WEEK('2017-01-01'::DATE)", "52"),
    # DATEADD / DATEDIFF / DATE_TRUNC / TRUNC / LAST_DAY
    ("DATEDIFF(year, '2010-04-09 14:39:20'::TIMESTAMP, '2013-05-08 23:39:20'::TIMESTAMP)", "3"),
    ("DATEDIFF(month, '2021-01-01'::DATE, '2021-02-28'::DATE)", "1"),
    ("DATEDIFF(WEEK, '2024-12-15', '2024-12-16')", "1"),  # Sunday to Monday: a new week
    ("DATEDIFF(WEEK, '2024-12-16', '2024-12-22')", "0"),
    ("DATEADD(QTR, 1, '2024-01-31'::DATE)", "2024-04-30"),
    ("DATE_TRUNC('YEAR', '2024-05-09'::DATE)", "2024-01-01"),
    ("DATE_TRUNC('HOUR', '14:23:45.123456'::TIME)", "14:00:00"),
    ("TRUNC('2024-05-08'::DATE, 'MONTH')", "2024-05-01"),
    ("TRUNCATE(-975.975, -1)", "-970"),
    ("TRUNC(135.135, 2)", "135.13"),
    ("LAST_DAY('2015-05-08'::DATE)", "2015-05-31"),
    ("LAST_DAY('2015-05-08'::DATE, 'WEEK')", "2015-05-10"),
    ("LAST_DAY('2024-05-15'::DATE, QUARTER)", "2024-06-30"),
    ("LAST_DAY('2024-02-15'::DATE, YEAR)", "2024-12-31"),
    ("NEXT_DAY('2025-10-15', 'FRIDAY')", "2025-10-17"),
    ("DAYNAME('2022-5-13')", "Fri"),
    # TO_TIMESTAMP of text holding an integer: seconds, then milliseconds … by its size
    ("TO_TIMESTAMP('31536000')", "1971-01-01 00:00:00.000"),
    ("TO_TIMESTAMP_NTZ('31536000000')", "1971-01-01 00:00:00.000"),
    ("TRY_TO_TIMESTAMP('12345')", "1970-01-01 03:25:45.000"),
    ("TRY_TO_TIMESTAMP('not a time')", "NULL"),
    # TO_NUMBER / TRY_TO_NUMBER with a format model
    ("TO_NUMBER('12.3', '99.9', 9, 1)", "12.3"),
    ("TO_DECIMAL('1,234.5', '9,999.9', 6, 1)", "1234.5"),
    ("TO_NUMBER('123.45', '999.99')", "123"),  # scale 0 unless told
    ("TRY_TO_NUMBER('123.45', '999.99', 10, 2)", "123.45"),
    ("TRY_TO_NUMBER('12.3456', '99.99')", "NULL"),  # more digits than the format holds
    # numbers and booleans
    ("BOOLAND(1, -2)", "True"),
    ("BOOLAND(0, 2.35)", "False"),
    ("BOOLAND(0, NULL)", "False"),
    ("BOOLAND(NULL, 3)", "NULL"),
    ("BOOLOR(1, 2)", "True"),
    ("BOOLOR(0, NULL)", "NULL"),
    ("BOOLOR(1, NULL)", "True"),
    ("BOOLXOR(2, 0)", "True"),
    ("BOOLXOR(1, 1)", "False"),
    ("BOOLXOR(NULL, 0)", "NULL"),
    ("BOOLNOT(0)", "True"),
    ("BOOLNOT(10)", "False"),
    ("DIV0NULL(1, NULL) = 0", "True"),
    ("DIV0NULL(1, 0) = 0", "True"),
    ("GREATEST_IGNORE_NULLS(1, 2, 3, NULL)", "3"),
    ("LEAST_IGNORE_NULLS(5, NULL, 7, 3)", "3"),
    ("GETBIT(11, 1)", "1"),
    ("GETBIT(11, 2)", "0"),
    ("WIDTH_BUCKET(290000, 200000, 600000, 10)", "3"),
    ("WIDTH_BUCKET(700000, 200000, 600000, 10)", "11"),
    ("REGR_VALY(1, NULL)", "NULL"),
    ("REGR_VALY(1, 2)", "1"),
    # strings and binary
    ("BIT_LENGTH('abc')", "24"),
    ("OCTET_LENGTH('abc')", "3"),
    ("RTRIMMED_LENGTH(' ABCD ')", "5"),
    ("INITCAP('lower is not UPPER')", "Lower Is Not Upper"),
    ("INITCAP('hello world', '')", "Hello world"),
    ("TO_BINARY('SNOW', 'UTF-8')", "534E4F57"),
    ("TO_BINARY('534E4F57')", "534E4F57"),
    ("TRY_TO_BINARY('zz')", "NULL"),
    ("HEX_DECODE_BINARY('534E4F57')", "534E4F57"),
    ("MD5_NUMBER_LOWER64('Snowflake')", "9203306159527282910"),
    ("MD5_NUMBER_UPPER64('Snowflake')", "17145559544104499780"),
    ("LIKE('abc', 'a%')", "True"),
    ("ILIKE('A%C', 'a!%c', '!')", "True"),
    ("ILIKE('ABC', 'a!%c', '!')", "False"),
    ("REPLACE('abcd', 'bc')", "ad"),  # the replacement defaults to ''
    ("SHA1(123) = SHA1('123')", "True"),  # a number is digested as its text
    ("ADD_MONTHS('2023-01-31', 1)", "2023-02-28"),
    ("ARRAY_TO_STRING(ARRAY_SORT([20, 0, NULL, 10]), ',')", "0,10,20,"),
    ("ARRAY_TO_STRING(ARRAY_SORT([20, 0, NULL, 10], FALSE), ',')", ",20,10,0"),
    ("ARRAY_TO_STRING(ARRAY_SORT([20, 0, NULL, 10], TRUE, TRUE), ',')", ",0,10,20"),
]


def _value(s: Session, sql: str) -> str:
    (result,) = s.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    return sf_value_text(result.rows[0][0], result.columns[0].type)


@pytest.mark.parametrize(("sql", "expected"), CASES, ids=[c[0] for c in CASES])
def test_documented_result(sf: Session, sql: str, expected: str) -> None:
    assert _value(sf, sql) == expected


def test_sinh_is_a_float(sf: Session) -> None:
    assert _value(sf, "SINH(1.5)").startswith("2.129279455")


def test_seq_numbers_generated_rows(sf: Session) -> None:
    (r,) = sf.execute("SELECT SEQ4(), SEQ1() FROM TABLE(GENERATOR(ROWCOUNT => 300))")
    assert isinstance(r, Rows)
    assert [row[0] for row in r.rows] == list(range(300))
    assert r.rows[299][1] == 299 % 256


def test_boolean_aggregates_read_numbers(sf: Session) -> None:
    (r,) = sf.execute(
        "SELECT BOOLOR_AGG(x), BOOLAND_AGG(x), BOOLXOR_AGG(x) "
        "FROM (SELECT 0 AS x UNION ALL SELECT 2 UNION ALL SELECT NULL)"
    )
    assert isinstance(r, Rows) and r.rows == [(True, False, True)]


def test_hash_agg_ignores_row_order(sf: Session) -> None:
    def agg(rows: str) -> object:
        (r,) = sf.execute(f"SELECT HASH_AGG(x) FROM ({rows})")
        assert isinstance(r, Rows)
        return r.rows[0][0]

    assert agg("SELECT 1 AS x UNION ALL SELECT 2") == agg("SELECT 2 AS x UNION ALL SELECT 1")
    assert agg("SELECT 1 AS x") != agg("SELECT 2 AS x")


def test_random_with_a_seed_repeats_its_sequence(sf: Session) -> None:
    def run() -> list[tuple[object, ...]]:
        (r,) = sf.execute("SELECT RANDOM(42) FROM TABLE(GENERATOR(ROWCOUNT => 5))")
        assert isinstance(r, Rows)
        return r.rows

    first = run()
    assert first == run() and len(set(first)) == 5


def test_uniform_stays_in_its_bounds(sf: Session) -> None:
    (r,) = sf.execute("SELECT UNIFORM(1, 6, RANDOM()) FROM TABLE(GENERATOR(ROWCOUNT => 200))")
    assert isinstance(r, Rows)
    values = {row[0] for row in r.rows}
    assert values <= set(range(1, 7)) and len(values) > 1


@pytest.mark.parametrize(
    ("sql", "text"),
    [
        ("SELECT DATE_PART(fortnight, CURRENT_DATE())", "invalid date part fortnight"),
        ("SELECT DATEADD(dayofweek, 1, CURRENT_DATE())", "invalid date part dayofweek"),
        ("SELECT LAST_DAY(CURRENT_DATE(), DAY)", "invalid date part DAY"),
        ("SELECT DATE_PART(TZH, CURRENT_TIMESTAMP())", "date part TIMEZONE_HOUR"),
        ("SELECT TO_NUMBER('12.3456', '99.99')", "Numeric value '12.3456' is not recognized"),
        ("SELECT TO_NUMBER('1', '9X9')", "number format 9X9"),
        ("SELECT TO_BINARY('a', 'ROT13')", "invalid binary format rot13"),
        ("SELECT * FROM TABLE(GENERATOR(TIMELIMIT => 1))", "GENERATOR TIMELIMIT"),
    ],
)
def test_bad_parts_and_formats_are_coded(sf: Session, sql: str, text: str) -> None:
    err = fails(sf, sql)
    assert text in err.text, err.text
