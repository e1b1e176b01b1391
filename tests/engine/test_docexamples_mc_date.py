"""MaxCompute's date functions against their pages' examples (alibabacloud.com/help/en/
maxcompute, "Date functions" and each function's page): the documented value. The date-part
functions take a date string as the pages show (year('1970-01-01 12:30:00') is 1970)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from engine_helpers import rows

from cloneshell.engine import Session


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    return open_session()


DOC_EXAMPLES = [
    ("datetrunc(datetime '2011-12-07 16:28:46', 'yyyy')", datetime(2011, 1, 1)),
    ("datetrunc(datetime '2011-12-07 16:28:46', 'month')", datetime(2011, 12, 1)),
    ("datetrunc(datetime '2011-12-07 16:28:46', 'DD')", datetime(2011, 12, 7)),
    ("datepart(datetime '2013-06-08 01:10:00', 'yyyy')", 2013),
    ("datepart(datetime '2013-06-08 01:10:00', 'mm')", 6),
    ("datediff(datetime '2005-12-31 23:59:59', datetime '2005-12-30 12:00:00', 'dd')", 1),
    ("datediff(datetime '2005-12-31 23:59:59', datetime '2005-12-30 12:00:00', 'hh')", 35),
    ("weekday(datetime '2009-03-20 11:11:00')", 4),
    ("lastday(datetime '2013-06-08 01:10:00')", datetime(2013, 6, 30)),
    ("year('1970-01-01 12:30:00')", 1970),
    ("year(datetime '1970-01-01 12:30:00')", 1970),
    ("year('abc')", None),
    ("year(null)", None),
    ("quarter('1970-11-12 10:00:00')", 4),
    ("month('2014-09-01')", 9),
    ("day('2014-09-01')", 1),
    ("dayofmonth('2014-09-01')", 1),
    ("hour('2014-09-01 12:00:00')", 12),
    ("minute('2014-09-01 12:30:00')", 30),
    ("second('2014-09-01 12:30:45')", 45),
    ("date_add('2005-02-28', 1)", date(2005, 3, 1)),
    ("date_sub('2005-03-01', 1)", date(2005, 2, 28)),
    ("to_char(datetime '2010-12-03 00:00:00', 'yyyy年mm月dd日')", "2010年12月03日"),
]


@pytest.mark.parametrize(("expr", "expected"), DOC_EXAMPLES, ids=[c[0][:60] for c in DOC_EXAMPLES])
def test_documented_result(s: Session, expr: str, expected: object) -> None:
    assert rows(s, f"SELECT {expr}") == [(expected,)]


def test_dateadd_keeps_a_date_column_a_date(s: Session) -> None:
    # DATEADD(date, delta, datepart): "the return value has the type of date" (issue 14).
    s.execute("CREATE TABLE t (d DATE, dt DATETIME)")
    s.execute("INSERT INTO t VALUES (DATE '2024-01-31', DATETIME '2024-01-31 10:00:00')")
    got = rows(s, "SELECT dateadd(d, 5, 'dd'), dateadd(d, 1, 'mm'), dateadd(dt, 1, 'dd') FROM t")
    assert got == [(date(2024, 2, 5), date(2024, 2, 29), datetime(2024, 2, 1, 10, 0))]
    got = rows(s, "SELECT year(d), month(d), day(d), hour(dt) FROM t")
    assert got == [(2024, 1, 31, 10)]
