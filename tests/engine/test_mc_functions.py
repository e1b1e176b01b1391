"""MaxCompute's own function rules (engine/maxcompute/functions.py): each function page's
examples with the results the page documents, and the NULL rules where DuckDB differs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from engine_helpers import fails, rows

from cloneshell.engine import Rows, Session


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    return open_session()


# (expression, documented result), each from the function's MaxCompute page.
DOC_EXAMPLES: list[tuple[str, object]] = [
    # CONCAT: NULL if any argument is NULL; arrays are joined too.
    ("concat('aabc', 'abcde')", "aabcabcde"),
    ("concat('aabc', 'abcde', null)", None),
    ("concat(array(10, 20), array(20, -20))", [10, 20, 20, -20]),
    ("concat(array(10, null), array(20, -20))", [10, None, 20, -20]),
    ("concat(array(10, 20), null)", None),
    # CONCAT_WS
    ("concat_ws(':', 'name', 'hanmeimei')", "name:hanmeimei"),
    ("concat_ws(':', 'avg', null, '34')", None),
    ("concat_ws(':', array('name', 'hanmeimei'))", "name:hanmeimei"),
    # SPLIT_PART
    ("split_part('a,b,c,d', ',', 1)", "a"),
    ("split_part('a,b,c,d', ',', 1, 2)", "a,b"),
    ("split_part('a,b,c,d', ',', 10)", ""),
    ("split_part('a,b,c,d', ':', 1)", "a,b,c,d"),
    ("split_part('a,b,c,d', ':', 2)", ""),
    ("split_part('a,b,c,d', '', 1)", "a,b,c,d"),
    ("split_part('a,b,c,d', ',', 2, 6)", "b,c,d"),
    ("split_part('a,b,c,d', ',', null)", None),
    # INSTR
    ("instr('Tech on the net', 'e')", 2),
    ("instr('Tech on the net', 'on')", 6),
    ("instr('Tech on the net', 'e', 3, 2)", 14),
    ("instr('Tech on the net', null)", None),
    ("instr('abc', '')", 1),
    ("instr('abc', 'z', 1, 1)", 0),
    # KEYVALUE
    ("keyvalue('0:1\\;1:2', 1)", "2"),
    (
        "keyvalue('decreaseStore:1;xcard:1;isB2C:1;tf:21910;cart:1;shipping:2;pf:0;"
        "market:shoes;instPayAmount:0', ';', ':', 'tf')",
        "21910",
    ),
    ("keyvalue('a:1', 'b')", None),
    # STR_TO_MAP
    ("str_to_map('test1&1-test2&2', '-', '&')", {"test1": "1", "test2": "2"}),
    ("str_to_map('a=1,b=2')", {"a": "1", "b": "2"}),
    # GET_JSON_OBJECT
    (
        'get_json_object(\'{"store":{"fruit":[{"weight":8,"type":"apple"}]},'
        '"owner":"amy"}\', \'$.owner\')',
        "amy",
    ),
    (
        'get_json_object(\'{"store":{"fruit":[{"weight":8,"type":"apple"}]}}\', '
        "'$.store.fruit[0].type')",
        "apple",
    ),
    ("""get_json_object('{"a":{"b":1}}', '$.a')""", '{"b":1}'),
    ("get_json_object('not json', '$.a')", None),
    # DECODE: NULL matches NULL; no default gives NULL.
    ("decode(2, 1, 'one', 2, 'two', 'other')", "two"),
    ("decode(null, null, 'n', 'x')", "n"),
    ("decode(3, 1, 'one')", None),
    # REGEXP_*
    ("regexp_extract('basketball', 'bas(.*?)(ball)')", "ket"),
    ("regexp_extract('basketball', 'bas(.*?)(ball)', 0)", "basketball"),
    ("regexp_extract('8d99d8', '8d(\\\\d+)d8')", "99"),
    ("regexp_replace('abcabc', 'b', 'x')", "axcaxc"),
    ("regexp_substr('I love aliyun very much', 'a[[:alpha:]]{5}')", "aliyun"),
    ("regexp_substr('I love aliyun very much', 'z')", None),
    ("regexp_count('ab0a1b2c3', '[0-9]')", 4),
    ("regexp_instr('i love www.taobao.com', 'o[[:alpha:]]{1}', 3, 2)", 14),
    ("regexp_instr('i love www.taobao.com', 'o[[:alpha:]]{1}', 3, 2, 1)", 16),
    # SUBSTRING_INDEX, LENGTHB
    ("substring_index('https://help.aliyun.com', '.', 2)", "https://help.aliyun"),
    ("substring_index('https://help.aliyun.com', '.', -2)", "aliyun.com"),
    ("lengthb('中国')", 6),
    # Hashes and encodings
    ("md5('Hello World!')", "ed076287532e86365e841e92bfc50d8c"),
    ("sha1('ABC')", "3c01bdbb26f358bab27f267924aa2c9a03fcfdb8"),
    ("sha2('ABC', 256)", "b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78"),
    ("base64(cast('alibaba' as binary))", "YWxpYmFiYQ=="),
    ("bin(0)", "0"),
    ("bin(-36)", "1" * 58 + "011100"),
    ("conv('1100', 2, 10)", "12"),
    ("conv('1100', 2, 16)", "C"),
    ("conv(172, 10, 16)", "AC"),
    # TRUNC
    ("trunc(125.815, 1)", 125.8),
    ("trunc(125.815, -1)", 120.0),
    ("trunc(-125.815, -2)", -100.0),
    # Dates
    ("dateadd(datetime '2005-02-28 00:00:00', 1, 'dd')", datetime(2005, 3, 1)),
    ("dateadd(datetime '2005-02-28 00:00:00', 20, 'mm')", datetime(2006, 10, 28)),
    ("dateadd(date '2005-01-31', 1, 'mm')", date(2005, 2, 28)),
    ("add_months('2017-02-14', 3)", "2017-05-14"),
    ("add_months('2017-01-31', 1)", "2017-02-28"),
    ("lastday(datetime '2013-06-08 01:10:00')", datetime(2013, 6, 30)),
    ("last_day('2025-03-04')", "2025-03-31"),
    ("weekday(datetime '2024-01-15 00:00:00')", 0),
    ("weekday(datetime '2024-01-21 00:00:00')", 6),
    ("dayofweek('2009-07-30')", 5),
    ("weekofyear('2008-02-20')", 8),
    ("from_unixtime(123456789, 'yyyy-MM-dd HH:mm:ss')", "1973-11-29 21:33:09"),
    ("date_format('2022-04-24 15:55:56', 'yyyy-MM-dd')", "2022-04-24"),
    ("to_millis(datetime '2013-06-08 01:10:00')", 1370653800000),
    # Complex types
    ("size(array(1, 2))", 2),
    ("size(map('a', 1))", 1),
    ("size(cast(null as array<bigint>))", -1),
    ("sort_array(array(5, 6, 1))", [1, 5, 6]),
    ("sort_array(array(5, 6, 1), false)", [6, 5, 1]),
    ("map_keys(map('a', 1, 'b', 2))", ["a", "b"]),
    (
        "named_struct('user_id', 10001, 'user_name', 'LiLei')",
        {"user_id": 10001, "user_name": "LiLei"},
    ),
    ("struct(1, 'a')", {"col1": 1, "col2": "a"}),
]


def _plain(v: object) -> object:
    return float(v) if hasattr(v, "as_tuple") else v  # Decimal -> float for comparison


@pytest.mark.parametrize(("expr", "expected"), DOC_EXAMPLES, ids=[c[0][:60] for c in DOC_EXAMPLES])
def test_documented_result(s: Session, expr: str, expected: object) -> None:
    (row,) = rows(s, f"SELECT {expr}")
    assert _plain(row[0]) == expected


def test_dateadd_keeps_the_type_of_its_argument(s: Session) -> None:
    (res,) = s.execute(
        "SELECT dateadd(date '2024-01-31', 1, 'dd') AS d, "
        "dateadd(datetime '2024-01-31 10:00:00', 1, 'dd') AS t"
    )
    assert isinstance(res, Rows)
    assert [c.type for c in res.columns] == ["date", "datetime"]
    assert res.rows == [(date(2024, 2, 1), datetime(2024, 2, 1, 10, 0))]


def test_collect_set_and_list_skip_nulls(s: Session) -> None:
    got = rows(
        s,
        "SELECT sort_array(collect_set(x)), collect_list(x) FROM (SELECT 1 AS x UNION ALL "
        "SELECT 1 UNION ALL SELECT CAST(NULL AS BIGINT) UNION ALL SELECT 2) t",
    )
    assert got == [([1, 2], [1, 1, 2])]


def test_percentile_interpolates(s: Session) -> None:
    # PERCENTILE is exact and interpolates between neighbours: the median of 1..4 is 2.5.
    got = rows(
        s,
        "SELECT percentile(x, 0.5) FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3 "
        "UNION ALL SELECT 4) t",
    )
    assert got == [(2.5,)]


def test_bad_arguments_are_coded_errors(s: Session) -> None:
    err = fails(s, "SELECT split_part('a', ',')")
    assert err.code == "ODPS-0130071" and "split_part takes 3 or 4 arguments" in err.text
    err = fails(s, "SELECT sha2('a', 512)")
    assert err.code.startswith("ODPS-") and "SHA2" in err.text
    err = fails(s, "SELECT named_struct('a')")
    assert "named_struct" in err.text
