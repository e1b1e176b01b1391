"""GROUP BY GROUPING SETS / CUBE / ROLLUP and GROUPING, GROUPING_ID, GROUPING__ID in both
dialects (grammar: group_by; engine/core/translate.py), with the examples of MaxCompute's
GROUPING SETS page and Snowflake's GROUPING page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import fails, rows

from cloneshell.engine import Session

REQUESTS = (
    "(1, 'windows', 'PC', 'Beijing'), (2, 'windows', 'PC', 'Shijiazhuang'), "
    "(3, 'linux', 'Phone', 'Beijing'), (4, 'windows', 'PC', 'Beijing'), "
    "(5, 'ios', 'Phone', 'Shijiazhuang'), (6, 'linux', 'PC', 'Beijing'), "
    "(7, 'windows', 'Phone', 'Shijiazhuang')"
)
# MaxCompute's GROUPING SETS page: GROUPING SETS ((os, device), (city), ()) over `requests`.
DOCUMENTED = {
    (None, None, None, 7),
    (None, None, "Beijing", 4),
    (None, None, "Shijiazhuang", 3),
    ("ios", "Phone", None, 1),
    ("linux", "PC", None, 1),
    ("linux", "Phone", None, 1),
    ("windows", "PC", None, 3),
    ("windows", "Phone", None, 1),
}


@pytest.fixture
def mc(open_session: Callable[..., Session]) -> Session:
    s = open_session()
    s.execute("CREATE TABLE requests (id BIGINT, os STRING, device STRING, city STRING)")
    s.execute(f"INSERT INTO requests VALUES {REQUESTS}")
    s.execute("CREATE TABLE abcde (a BIGINT, b BIGINT, c BIGINT, d BIGINT, e BIGINT)")
    s.execute("INSERT INTO abcde VALUES (1, 2, 3, 4, 5), (1, 2, 30, 40, 50)")
    return s


def _set(s: Session, sql: str) -> set[tuple[object, ...]]:
    got = rows(s, sql)
    return set(got)


def _multiset(s: Session, sql: str) -> list[tuple[object, ...]]:
    return sorted(rows(s, sql), key=repr)


def test_grouping_sets_the_documented_result(mc: Session) -> None:
    sql = "SELECT os, device, city, COUNT(*) FROM requests GROUP BY "
    assert _set(mc, sql + "GROUPING SETS ((os, device), (city), ())") == DOCUMENTED
    # Hive's form, as the page also writes it: the columns, then the sets.
    assert _set(mc, sql + "os, device, city GROUPING SETS ((os, device), (city), ())") == DOCUMENTED
    # The union the page says it replaces.
    union = (
        "SELECT NULL, NULL, NULL, COUNT(*) FROM requests UNION ALL "
        "SELECT os, device, NULL, COUNT(*) FROM requests GROUP BY os, device UNION ALL "
        "SELECT NULL, NULL, city, COUNT(*) FROM requests GROUP BY city"
    )
    assert _set(mc, union) == DOCUMENTED


# The page's equivalences: each form gives the rows of the GROUPING SETS it stands for.
EQUIVALENT = [
    ("CUBE (a, b, c)", "GROUPING SETS ((a,b,c),(a,b),(a,c),(b,c),(a),(b),(c),())"),
    ("CUBE ((a, b), (c, d))", "GROUPING SETS ((a,b,c,d),(a,b),(c,d),())"),
    (
        "a, CUBE (b, c), GROUPING SETS ((d), (e))",
        "GROUPING SETS ((a,b,c,d),(a,b,c,e),(a,b,d),(a,b,e),(a,c,d),(a,c,e),(a,d),(a,e))",
    ),
    ("ROLLUP (a, b, c)", "GROUPING SETS ((a,b,c),(a,b),(a),())"),
    ("ROLLUP (a, (b, c), d)", "GROUPING SETS ((a,b,c,d),(a,b,c),(a),())"),
    ("GROUPING SETS ((b), (c), ROLLUP (a, b, c))", "GROUPING SETS ((b),(c),(a,b,c),(a,b),(a),())"),
    ("a, b, c WITH ROLLUP", "GROUPING SETS ((a,b,c),(a,b),(a),())"),
    ("a, b WITH CUBE", "GROUPING SETS ((a,b),(a),(b),())"),
]


@pytest.mark.parametrize(("form", "sets"), EQUIVALENT, ids=[f for f, _ in EQUIVALENT])
def test_cube_and_rollup_are_the_documented_grouping_sets(
    mc: Session, form: str, sets: str
) -> None:
    columns = ", ".join(c for c in "abcde" if c in sets.split("SETS", 1)[1])
    select = f"SELECT {columns}, COUNT(*) FROM abcde GROUP BY "
    assert _multiset(mc, select + form) == _multiset(mc, select + sets)


def test_grouping_and_grouping_id(mc: Session) -> None:
    got = _set(
        mc,
        "SELECT a, b, grouping(a), grouping(b), grouping_id(a, b), grouping__id "
        "FROM abcde GROUP BY CUBE (a, b)",
    )
    # GROUPING: 0 where the row is grouped on the column, 1 where the NULL is a placeholder;
    # GROUPING_ID: the bits in argument order; GROUPING__ID: GROUPING_ID of the GROUP BY columns.
    assert got == {(1, 2, 0, 0, 0, 0), (1, None, 0, 1, 1, 1), (None, 2, 1, 0, 2, 2),
                   (None, None, 1, 1, 3, 3)}  # fmt: skip
    # GROUPING__ID follows the order of Hive's column list.
    got = _set(mc, "SELECT b, a, grouping__id FROM abcde GROUP BY b, a WITH ROLLUP")
    assert got == {(2, 1, 0), (2, None, 1), (None, None, 3)}


def test_grouping_null_placeholder_versus_a_real_null(mc: Session) -> None:
    # The page's use: if(grouping(city) == 0, city, 'ALL') keeps a real NULL.
    mc.execute("INSERT INTO requests VALUES (8, 'ios', 'PC', NULL)")
    got = _set(
        mc,
        "SELECT if(grouping(city) == 0, city, 'ALL'), COUNT(*) FROM requests "
        "GROUP BY GROUPING SETS ((city), ())",
    )
    assert got == {("Beijing", 4), ("Shijiazhuang", 3), (None, 1), ("ALL", 8)}


def test_grouping_errors_are_coded(mc: Session) -> None:
    err = fails(mc, "SELECT grouping__id FROM abcde")
    assert err.code == "ODPS-0130071" and "GROUPING__ID needs a GROUP BY" in err.text
    err = fails(mc, "SELECT a FROM abcde GROUP BY a, CUBE (b) GROUPING SETS ((a))")
    assert err.code == "ODPS-0130161"


def test_snowflake_grouping_sets_and_grouping(sf: Session) -> None:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE t (a NUMBER, b NUMBER, c NUMBER)")
    sf.execute("INSERT INTO t VALUES (1, 2, 3), (4, 5, 6)")
    # Snowflake's GROUPING example: GROUPING SETS ((a), (b), (a, b)), GROUPING of one and of
    # several expressions (the bits, as GROUPING_ID).
    got = _set(
        sf,
        "SELECT a, b, COUNT(c), GROUPING(a), GROUPING(b), GROUPING(a, b), GROUPING_ID(a, b) "
        "FROM t GROUP BY GROUPING SETS ((a), (b), (a, b))",
    )
    assert got == {
        (1, 2, 1, 0, 0, 0, 0),
        (4, 5, 1, 0, 0, 0, 0),
        (1, None, 1, 0, 1, 1, 1),
        (4, None, 1, 0, 1, 1, 1),
        (None, 2, 1, 1, 0, 2, 2),
        (None, 5, 1, 1, 0, 2, 2),
    }
    assert len(rows(sf, "SELECT a, b, COUNT(*) FROM t GROUP BY CUBE (a, b)")) == 7
    assert len(rows(sf, "SELECT a, b, COUNT(*) FROM t GROUP BY ROLLUP (a, b)")) == 5
    # Hive's forms are not Snowflake's.
    for hive in ("a, b WITH ROLLUP", "a, b GROUPING SETS ((a), (b))"):
        err = fails(sf, f"SELECT a, b FROM t GROUP BY {hive}")
        assert err.code == "001003", hive


def test_group_by_an_integer_is_a_constant_unless_position_alias_is_set(mc: Session) -> None:
    # MaxCompute: GROUP BY 1 groups by the constant 1 (one group) unless
    # odps.sql.groupby.position.alias=true, when it names the first select item.
    assert rows(mc, "SELECT MAX(c) FROM abcde GROUP BY 1") == [(30,)]
    mc.execute("SET odps.sql.groupby.position.alias=true")
    assert sorted(rows(mc, "SELECT c, MAX(d) FROM abcde GROUP BY 1")) == [(3, 4), (30, 40)]


def test_snowflake_group_by_an_integer_is_a_position(sf: Session) -> None:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE t (a NUMBER, b NUMBER)")
    sf.execute("INSERT INTO t VALUES (1, 2), (3, 4)")
    assert sorted(rows(sf, "SELECT a, MAX(b) FROM t GROUP BY 1")) == [(1, 2), (3, 4)]
