"""Snowflake's aggregate and window functions against the rules and examples of their pages
(docs.snowflake.com, sql-reference/functions/<name>, and "Window functions"): NULLs left out,
the empty group's value (COUNT_IF 0, LISTAGG '', ARRAY_AGG [], the others NULL), DISTINCT and
WITHIN GROUP, the bit aggregates over NUMBER, the ranking functions on ties."""

from __future__ import annotations

import pytest

from cloneshell.engine import Rows, Session
from cloneshell.shell.render.snowflake import sf_value_text


@pytest.fixture
def t(sf: Session) -> Session:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE t (k INT, v INT, s VARCHAR)")
    sf.execute(
        "INSERT INTO t VALUES (1, 10, 'a'), (1, 20, 'b'), (2, 30, 'c'), (2, NULL, NULL), "
        "(1, 20, 'b')"
    )
    return sf


def _rows(s: Session, sql: str) -> list[tuple[str, ...]]:
    (result,) = s.execute(sql)
    assert isinstance(result, Rows)
    return [
        tuple(sf_value_text(v, c.type) for v, c in zip(row, result.columns, strict=True))
        for row in result.rows
    ]


AGGREGATES = [
    ("LISTAGG(s, ', ') WITHIN GROUP (ORDER BY s)", "a, b, b, c"),
    ("LISTAGG(DISTINCT s, '|') WITHIN GROUP (ORDER BY s)", "a|b|c"),
    ("LISTAGG(s) WITHIN GROUP (ORDER BY s DESC)", "cbba"),
    ("ARRAY_AGG(v) WITHIN GROUP (ORDER BY v)", "[\n  10,\n  20,\n  20,\n  30\n]"),
    ("ARRAY_AGG(DISTINCT v) WITHIN GROUP (ORDER BY v DESC)", "[\n  30,\n  20,\n  10\n]"),
    ("COUNT_IF(v > 15)", "3"),
    ("COUNT(v)", "4"),
    ("COUNT(*)", "5"),
    ("COUNT(DISTINCT v)", "3"),
    ("SUM(v)", "80"),
    ("MIN(v)", "10"),
    ("MAX(s)", "c"),
    ("MEDIAN(v)", "20"),
    ("MODE(v)", "20"),
    ("MAX_BY(s, v)", "c"),
    ("MIN_BY(s, v)", "a"),
    ("BOOLAND_AGG(v > 5)", "True"),
    ("BOOLOR_AGG(v > 25)", "True"),
    ("BOOLXOR_AGG(v > 25)", "True"),
    ("BITAND_AGG(v)", "0"),
    ("BITOR_AGG(v)", "30"),
    ("BITXOR_AGG(v)", "20"),
    ("APPROX_COUNT_DISTINCT(v)", "3"),
    ("PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY v)", "20"),
    ("PERCENTILE_DISC(0.25) WITHIN GROUP (ORDER BY v)", "10"),
    ("REGR_COUNT(v, k)", "4"),
]


@pytest.mark.parametrize(("sql", "expected"), AGGREGATES, ids=[c[0] for c in AGGREGATES])
def test_aggregate(t: Session, sql: str, expected: str) -> None:
    assert _rows(t, f"SELECT {sql} FROM t") == [(expected,)]


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("COUNT_IF(v > 15)", "0"),
        ("COUNT(v)", "0"),
        ("LISTAGG(s, ',')", ""),
        ("ARRAY_AGG(v)", "[]"),
        ("SUM(v)", "NULL"),
        ("MAX_BY(s, v)", "NULL"),
        ("BITAND_AGG(v)", "NULL"),
        ("BOOLAND_AGG(v > 5)", "NULL"),
    ],
)
def test_aggregate_of_no_rows(t: Session, sql: str, expected: str) -> None:
    assert _rows(t, f"SELECT {sql} FROM t WHERE k = 9") == [(expected,)]


def test_count_if_is_also_a_window_function(t: Session) -> None:
    got = _rows(t, "SELECT k, COUNT_IF(v >= 20) OVER (PARTITION BY k) FROM t ORDER BY k, v")
    assert got == [("1", "2"), ("1", "2"), ("1", "2"), ("2", "1"), ("2", "1")]


def test_grouped_listagg(t: Session) -> None:
    got = _rows(
        t, "SELECT k, LISTAGG(s, ',') WITHIN GROUP (ORDER BY s) FROM t GROUP BY k ORDER BY k"
    )
    assert got == [("1", "a,b,b"), ("2", "c")]


def test_ranking_on_ties(t: Session) -> None:
    got = _rows(
        t,
        "SELECT v, ROW_NUMBER() OVER (ORDER BY v), RANK() OVER (ORDER BY v), "
        "DENSE_RANK() OVER (ORDER BY v), NTILE(2) OVER (ORDER BY v) "
        "FROM t WHERE v IS NOT NULL ORDER BY v, 2",
    )
    assert got == [
        ("10", "1", "1", "1", "1"),
        ("20", "2", "2", "2", "1"),
        ("20", "3", "2", "2", "2"),
        ("30", "4", "4", "3", "2"),
    ]


def test_percent_rank_and_cume_dist(t: Session) -> None:
    (result,) = t.execute(
        "SELECT PERCENT_RANK() OVER (ORDER BY v), CUME_DIST() OVER (ORDER BY v) "
        "FROM t WHERE v IS NOT NULL ORDER BY v"
    )
    assert isinstance(result, Rows)
    got = [(round(float(str(a)), 6), float(str(b))) for a, b in result.rows]
    assert got == [(0.0, 0.25), (0.333333, 0.75), (0.333333, 0.75), (1.0, 1.0)]


def test_offset_and_value_functions(t: Session) -> None:
    got = _rows(
        t,
        "SELECT v, LAG(v) OVER (ORDER BY v), LEAD(v, 1, 0) OVER (ORDER BY v), "
        "FIRST_VALUE(v) OVER (ORDER BY v), "
        "LAST_VALUE(v) OVER (ORDER BY v ROWS BETWEEN UNBOUNDED PRECEDING AND "
        "UNBOUNDED FOLLOWING), NTH_VALUE(v, 2) OVER (ORDER BY v ROWS BETWEEN "
        "UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t WHERE v IS NOT NULL "
        "ORDER BY v, 2 NULLS FIRST",
    )
    assert got == [
        ("10", "NULL", "20", "10", "30", "20"),
        ("20", "10", "20", "10", "30", "20"),
        ("20", "20", "30", "10", "30", "20"),
        ("30", "20", "0", "10", "30", "20"),
    ]
