"""Snowflake's date and time functions against their pages' examples (docs.snowflake.com,
sql-reference/functions/<name>, and the "Date & time functions" overview's date-part table for
2013-05-08T23:39:20.123): the value SnowSQL shows and its type; and DATEADD/ADD_MONTHS keeping
a DATE column a DATE (issue 14's wrong result, on a column as well as a constant)."""

from __future__ import annotations

import pytest
from engine_helpers import fails

from cloneshell.engine import Rows, Session
from cloneshell.shell.render.snowflake import sf_value_text

TS = "'2013-05-08T23:39:20.123'::TIMESTAMP"

# (expression, the value SnowSQL shows, its type)
DOC_EXAMPLES = [
    # DATEDIFF
    (
        "DATEDIFF(year, '2010-04-09 14:39:20'::TIMESTAMP, '2013-05-08 23:39:20'::TIMESTAMP)",
        "3",
        "NUMBER",
    ),
    ("DATEDIFF(month, '2021-01-01'::DATE, '2021-02-28'::DATE)", "1", "NUMBER"),
    ("DATEDIFF(month, '2021-01-01'::DATE, '2021-03-01'::DATE)", "2", "NUMBER"),
    # DATE_TRUNC and LAST_DAY (the pages' 2015-05-08 examples)
    ("DATE_TRUNC('YEAR', '2015-05-08'::DATE)", "2015-01-01", "DATE"),
    ("DATE_TRUNC('MONTH', '2015-05-08'::DATE)", "2015-05-01", "DATE"),
    ("DATE_TRUNC('HOUR', '2015-05-08 23:39:20.123'::TIMESTAMP)", "2015-05-08 23:00:00.000", None),
    ("LAST_DAY('2015-05-08'::DATE)", "2015-05-31", "DATE"),
    ("LAST_DAY('2015-05-08'::DATE, 'WEEK')", "2015-05-10", "DATE"),
    ("LAST_DAY('2020-05-01 13:11:20.000'::TIMESTAMP)", "2020-05-31", "DATE"),
    # the date-part functions of the overview's table
    (f"YEAR({TS})", "2013", "NUMBER"),
    (f"QUARTER({TS})", "2", "NUMBER"),
    (f"MONTH({TS})", "5", "NUMBER"),
    (f"DAY({TS})", "8", "NUMBER"),
    (f"DAYOFMONTH({TS})", "8", "NUMBER"),
    (f"DAYOFWEEK({TS})", "3", "NUMBER"),
    (f"DAYOFWEEKISO({TS})", "3", "NUMBER"),
    (f"DAYOFYEAR({TS})", "128", "NUMBER"),
    (f"WEEK({TS})", "19", "NUMBER"),
    (f"WEEKOFYEAR({TS})", "19", "NUMBER"),
    (f"WEEKISO({TS})", "19", "NUMBER"),
    (f"YEAROFWEEK({TS})", "2013", "NUMBER"),
    (f"YEAROFWEEKISO({TS})", "2013", "NUMBER"),
    (f"HOUR({TS})", "23", "NUMBER"),
    (f"MINUTE({TS})", "39", "NUMBER"),
    (f"SECOND({TS})", "20", "NUMBER"),
    ("EXTRACT(year FROM '2013-05-08'::DATE)", "2013", "NUMBER"),
    # *_FROM_PARTS (values out of range carry over, as the pages show)
    ("DATEFROMPARTS(2004, 2, 1)", "2004-02-01", "DATE"),
    ("DATE_FROM_PARTS(2010, 1, 100)", "2010-04-10", "DATE"),
    ("DATE_FROM_PARTS(2004, 1, 1, 0)", "2004-01-01", "DATE"),
    ("DATE_FROM_PARTS(2004, -1, -1)", "2003-10-30", "DATE"),
    ("TIME_FROM_PARTS(12, 34, 56)", "12:34:56", "TIME"),
    ("TIME_FROM_PARTS(0, 100, 0)", "01:40:00", "TIME"),
    ("TIMESTAMP_NTZ_FROM_PARTS(2013, 4, 5, 12, 00, 00)", "2013-04-05 12:00:00.000", None),
    # the aliases of DATEADD and DATEDIFF
    ("TIMEADD(HOUR, 2, '2022-05-08 14:45:00'::TIMESTAMP)", "2022-05-08 16:45:00.000", None),
    ("TIMESTAMPADD(YEAR, 2, '2022-05-08'::DATE)", "2024-05-08", "DATE"),
    (
        "TIMEDIFF(HOUR, '2013-05-08 10:00:00'::TIMESTAMP, '2013-05-08 23:39:20'::TIMESTAMP)",
        "13",
        "NUMBER",
    ),
    # ADD_MONTHS: the last day of a month maps to the last day of the result month
    ("ADD_MONTHS('2016-05-31'::DATE, -1)", "2016-04-30", "DATE"),
    ("PREVIOUS_DAY('2024-05-03'::DATE, 'Friday')", "2024-04-26", "DATE"),
]


def _value(s: Session, sql: str) -> tuple[str, str]:
    (result,) = s.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    return sf_value_text(result.rows[0][0], result.columns[0].type), result.columns[0].type


@pytest.mark.parametrize(
    ("sql", "expected", "kind"), DOC_EXAMPLES, ids=[c[0][:70] for c in DOC_EXAMPLES]
)
def test_documented_result(sf: Session, sql: str, expected: str, kind: str | None) -> None:
    text, got_kind = _value(sf, sql)
    assert text == expected
    if kind is not None:
        assert got_kind == kind
    else:
        assert got_kind.startswith("TIMESTAMP")


def test_months_between_is_a_float(sf: Session) -> None:
    # The page: MONTHS_BETWEEN('2020-02-01'::DATE, '2020-01-01'::DATE) returns 1.0, a FLOAT;
    # the same day of the month, or both last days, give a whole number.
    (result,) = sf.execute(
        "SELECT MONTHS_BETWEEN('2020-02-01'::DATE, '2020-01-01'::DATE), "
        "MONTHS_BETWEEN('2019-03-31'::DATE, '2019-02-28'::DATE), "
        "MONTHS_BETWEEN('2019-03-01'::DATE, '2019-02-15'::DATE)"
    )
    assert isinstance(result, Rows)
    a, b, c = result.rows[0]
    assert (a, b) == (1.0, 1.0) and round(float(str(c)), 6) == 0.548387
    assert result.columns[0].type == "FLOAT"


@pytest.fixture
def dates(sf: Session) -> Session:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE t (d DATE, ts TIMESTAMP_NTZ)")
    sf.execute("INSERT INTO t VALUES ('2024-01-31', '2024-01-31 10:00:00')")
    return sf


@pytest.mark.parametrize(
    ("sql", "expected", "kind"),
    [
        # "If date_or_time_expr is a date ... and date_or_time_part is day or larger, a DATE"
        ("DATEADD(DAY, 5, d)", "2024-02-05", "DATE"),
        ("DATEADD(MONTH, 1, d)", "2024-02-29", "DATE"),
        ("DATEADD(QUARTER, 1, d)", "2024-04-30", "DATE"),
        ("DATEADD(YEAR, -1, d)", "2023-01-31", "DATE"),
        ("TIMESTAMPADD(WEEK, 1, d)", "2024-02-07", "DATE"),
        ("ADD_MONTHS(d, 1)", "2024-02-29", "DATE"),
        # a smaller part makes a TIMESTAMP_NTZ; a timestamp stays one
        ("DATEADD(HOUR, 1, d)", "2024-01-31 01:00:00.000", "TIMESTAMP_NTZ"),
        ("DATEADD(DAY, 1, ts)", "2024-02-01 10:00:00.000", "TIMESTAMP_NTZ"),
        ("DATEADD(DAY, 1, NULL)", "NULL", None),
    ],
)
def test_dateadd_keeps_a_date_column_a_date(
    dates: Session, sql: str, expected: str, kind: str | None
) -> None:
    (result,) = dates.execute(f"SELECT {sql} FROM t")
    assert isinstance(result, Rows)
    assert sf_value_text(result.rows[0][0], result.columns[0].type) == expected
    if kind is not None:
        assert result.columns[0].type == kind


def test_dateadd_of_a_number_is_a_coded_error(dates: Session) -> None:
    err = fails(dates, "SELECT DATEADD(DAY, 1, 5)")
    assert "invalid argument type" in err.text and "Macro" not in err.text
