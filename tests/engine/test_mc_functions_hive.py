"""MaxCompute functions of engine/maxcompute/functions_hive.py: each function page's examples
with their documented results, and the NULL rules the pages state."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import fails, rows

from cloneshell.engine import Session

URL = (
    "'file://username:password@example.com:8042/over/there/index.dtb?type=animal&name=narwhal#nose'"
)

EXAMPLES: list[tuple[str, object]] = [
    # date functions take DATETIME or a STRING yyyy-mm-dd[ hh:mi:ss]
    ("year('1970-01-01 12:30:00')", 1970),
    ("year('1970-01-01')", 1970),
    ("year(null)", None),
    ("month('2014-09-01')", 9),
    ("day('2014-09-01')", 1),
    ("dayofmonth('2014-09-01')", 1),
    ("hour('2014-09-01 12:00:00')", 12),
    ("minute('2014-09-01 12:30:00')", 30),
    ("second('2014-09-01 12:30:45')", 45),
    ("quarter('1970-11-12 10:00:00')", 4),
    ("quarter(null)", None),
    ("extract(year from '2019-05-01 11:21:00')", 2019),
    ("extract(month from '2019-05-01 11:21:00')", 5),
    ("extract(day from '2019-05-01 11:21:00')", 1),
    ("extract(hour from '2019-05-01 11:21:00')", 11),
    ("extract(minute from '2019-05-01 11:21:00')", 21),
    ("extract(second from '2019-05-01 11:21:00')", 0),
    ("months_between('1997-02-28 10:30:00', '1996-10-30')", 3.9495967741935485),
    ("months_between('1996-10-30', '1997-02-28 10:30:00')", -3.9495967741935485),
    ("months_between('1996-09-30', '1996-12-31')", -3.0),
    ("months_between(null, '1996-12-31')", None),
    ("next_day('2017-08-01', 'TU')", "2017-08-08"),
    ("next_day('2017-08-01 23:34:00', 'TU')", "2017-08-08"),
    ("next_day('20170801', 'TU')", None),
    ("next_day(null, 'TU')", None),
    # strings
    ("translate('ababab', 'abab', 'cd')", "cdcdcd"),
    ("translate('ababab', 'abab', 'cdefg')", "cdcdcd"),
    ("translate('ababab', 'abab', null)", None),
    (
        "url_decode('%E7%A4%BA%E4%BE%8B%E4%B8%BAfor+url_decode%3A%2F%2F+%28fdsf%29')",
        "示例为for url_decode:// (fdsf)",
    ),
    ("url_decode(null)", None),
    (f"parse_url({URL}, 'HOST')", "example.com"),
    (f"parse_url({URL}, 'PATH')", "/over/there/index.dtb"),
    (f"parse_url({URL}, 'QUERY')", "type=animal&name=narwhal"),
    (f"parse_url({URL}, 'QUERY', 'name')", "narwhal"),
    (f"parse_url({URL}, 'REF')", "nose"),
    (f"parse_url({URL}, 'PROTOCOL')", "file"),
    (f"parse_url({URL}, 'AUTHORITY')", "username:password@example.com:8042"),
    (f"parse_url({URL}, 'FILE')", "/over/there/index.dtb?type=animal&name=narwhal"),
    (f"parse_url({URL}, 'USERINFO')", "username:password"),
    ("parse_url('http://a.com/p', 'QUERY')", None),
    ("initcap('odps 应用')", "Odps 应用"),
    ("initcap('new YORK')", "New York"),
    ("initcap(null)", None),
    ("char_matchcount('aabc', 'abcde')", 4),
    ("char_matchcount(null, 'abcde')", None),
    ("length(uuid())", 36),
    # math
    ("cot(1)", 0.6420926159343306),
    ("degrees(1.5707963267948966)", 90.0),
    ("radians(90)", 1.5707963267948966),
    ("cbrt(8)", 2.0),
    ("e()", 2.718281828459045),
    ("pi()", 3.141592653589793),
    ("hex(0)", "0"),
    ("hex('abc')", "616263"),
    ("unhex('616263')", b"abc"),
    ("factorial(5)", 120),
    ("factorial(0)", 1),
    ("factorial(21)", None),
    ("factorial(null)", None),
    ("format_number(5.230134523424, 2)", "5.23"),
    ("format_number(12332.123456, 4)", "12,332.1235"),
    ("format_number(12332.123456, -1)", None),
    ("width_bucket(5.35, 0.024, 10.06, 5)", 3),
    ("width_bucket(-1, 0, 10, 5)", 0),
    ("width_bucket(10, 0, 10, 5)", 6),
    ("width_bucket(null, 0, 10, 5)", None),
    # arrays and maps
    ("array_distinct(array(10, 20, 30, 30, 20, 10))", [10, 20, 30]),
    ("array_distinct(array(10, 20, 20, null, null, 30, 30, 30))", [10, 20, None, 30]),
    ("array_union(array(1, 2, 3), array(1, 3, 5))", [1, 2, 3, 5]),
    ("array_intersect(array(1, 2, 3), array(1, 3, 5))", [1, 3]),
    ("array_except(array(1, 2, 3), array(1, 3, 5))", [2]),
    ("array_join(array('10', '20', '20', '30'), ',')", "10,20,20,30"),
    ("array_join(array('10', '20', null, '30'), ',')", "10,20,30"),
    ("array_join(array('10', '20', null, '30'), ',', 'x')", "10,20,x,30"),
    ("array_position(array(3, 2, 1), 1)", 3),
    ("array_position(array(3, 2, 1), 5)", 0),
    ("array_position(array(3, 2, 1), null)", None),
    ("array_remove(array(3, 2, 3), 3)", [2]),
    ("array_max(array(1, 20, null, 3))", 20),
    ("array_min(array(1, 20, null, 3))", 1),
    ("slice(array(10, 20, 20, null, null, 30), 3, 2)", [20, None]),
    ("map_concat(map(1, 'a'), map(2, 'b'))", {1: "a", 2: "b"}),
]


@pytest.fixture
def mc(open_session: Callable[..., Session]) -> Session:
    return open_session()


@pytest.mark.parametrize(("expr", "expected"), EXAMPLES, ids=[e for e, _ in EXAMPLES])
def test_documented_result(mc: Session, expr: str, expected: object) -> None:
    assert rows(mc, f"SELECT {expr}") == [(expected,)]


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ("parse_url('http://a', 'PORT')", "invalid URL part 'PORT'"),
        ("parse_url('http://a', 'HOST', 'k')", "only the QUERY part"),
        ("next_day('2017-08-01', 'XX')", "invalid weekday"),
        ("extract(week from '2019-05-01')", "cannot take the part WEEK"),
        ("months_between('2019-05-01')", "takes 2 arguments"),
    ],
)
def test_refusals_are_coded(mc: Session, expr: str, message: str) -> None:
    err = fails(mc, f"SELECT {expr}")
    assert message in err.text
    assert err.text.startswith("ODPS-")


def test_odps_sql_timezone_sets_what_getdate_shows(mc: Session) -> None:
    # The session clock stands at 2024-01-15 10:00:00 UTC.
    before = rows(mc, "SELECT getdate(), from_unixtime(0)")
    mc.execute("SET odps.sql.timezone=Asia/Tokyo")
    after = rows(mc, "SELECT getdate(), from_unixtime(0)")
    assert str(after[0][0]) == "2024-01-15 19:00:00"
    assert str(after[0][1]) == "1970-01-01 09:00:00"
    assert str(before[0][1]) == "1970-01-01 00:00:00"
    assert rows(mc, "SELECT from_unixtime(0, 'yyyy-MM-dd HH:mm')") == [("1970-01-01 09:00",)]
    mc.execute("SET odps.sql.timezone=Nope/Zone")
    assert "invalid odps.sql.timezone 'Nope/Zone'" in fails(mc, "SELECT getdate()").text
