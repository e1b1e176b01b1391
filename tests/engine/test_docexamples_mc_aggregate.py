"""MaxCompute's aggregate and window functions against the rules of their pages
(alibabacloud.com/help/en/maxcompute, "Aggregate functions", "Window functions"): NULLs left out,
the empty group's value (COUNT 0, COLLECT_LIST [], the others NULL), the ranking functions on
ties, the offset and value functions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import rows

from cloneshell.engine import Session


@pytest.fixture
def t(open_session: Callable[..., Session]) -> Session:
    s = open_session()
    s.execute("CREATE TABLE t (k BIGINT, v BIGINT, s STRING)")
    s.execute(
        "INSERT INTO t VALUES (1, 10, 'a'), (1, 20, 'b'), (2, 30, 'c'), (2, NULL, NULL), "
        "(1, 20, 'b')"
    )
    return s


AGGREGATES = [
    ("avg(v)", 20.0),
    ("sum(v)", 80),
    ("count(v)", 4),
    ("count(*)", 5),
    ("count(DISTINCT v)", 3),
    ("max(v)", 30),
    ("min(s)", "a"),
    ("median(v)", 20.0),
    ("var_pop(v)", 50.0),
    ("max_by(s, v)", "c"),
    ("min_by(s, v)", "a"),
    ("arg_max(v, s)", 30),
    ("arg_min(v, s)", 10),
    ("approx_distinct(v)", 3),
    ("percentile(v, 0.5)", 20.0),
    ("bool_and(v > 5)", True),
    ("bool_or(v > 25)", True),
    ("sort_array(collect_set(v))", [10, 20, 30]),
    ("size(collect_list(v))", 4),
]


@pytest.mark.parametrize(("sql", "expected"), AGGREGATES, ids=[c[0] for c in AGGREGATES])
def test_aggregate(t: Session, sql: str, expected: object) -> None:
    assert rows(t, f"SELECT {sql} FROM t") == [(expected,)]


def test_stddev_and_variance_are_the_population_forms(t: Session) -> None:
    # The STDDEV page: "STDDEV (alias: STDDEV_POP) calculates the population standard
    # deviation"; VARIANCE is VAR_POP; the _SAMP forms divide by n - 1.
    ((sd, sd_pop, sd_samp, var, var_pop, var_samp),) = rows(
        t,
        "SELECT stddev(v), stddev_pop(v), stddev_samp(v), variance(v), var_pop(v), var_samp(v) "
        "FROM t",
    )
    assert sd == sd_pop and round(sd_pop, 6) == 7.071068 and round(sd_samp, 6) == 8.164966
    assert var == var_pop == 50.0 and round(var_samp, 6) == 66.666667
    ((w,),) = rows(t, "SELECT stddev(v) OVER () FROM t LIMIT 1")
    assert round(w, 6) == 7.071068


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("count(v)", 0),
        ("sum(v)", None),
        ("avg(v)", None),
        ("max(v)", None),
        ("wm_concat(',', s)", None),
        ("collect_list(v)", []),
    ],
)
def test_aggregate_of_no_rows(t: Session, sql: str, expected: object) -> None:
    assert rows(t, f"SELECT {sql} FROM t WHERE k = 9") == [(expected,)]


def test_ranking_on_ties(t: Session) -> None:
    got = rows(
        t,
        "SELECT v, row_number() OVER (ORDER BY v), rank() OVER (ORDER BY v), "
        "dense_rank() OVER (ORDER BY v), ntile(2) OVER (ORDER BY v), "
        "percent_rank() OVER (ORDER BY v), cume_dist() OVER (ORDER BY v) "
        "FROM t WHERE v IS NOT NULL ORDER BY v, 2 LIMIT 10",
    )
    assert [(*r[:5], round(r[5], 6), r[6]) for r in got] == [
        (10, 1, 1, 1, 1, 0.0, 0.25),
        (20, 2, 2, 2, 1, 0.333333, 0.75),
        (20, 3, 2, 2, 2, 0.333333, 0.75),
        (30, 4, 4, 3, 2, 1.0, 1.0),
    ]


def test_offset_and_value_functions(t: Session) -> None:
    got = rows(
        t,
        "SELECT v, lag(v) OVER (ORDER BY v), lead(v, 1, 0) OVER (ORDER BY v), "
        "first_value(v) OVER (ORDER BY v), nth_value(v, 2) OVER (ORDER BY v ROWS BETWEEN "
        "UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t WHERE v IS NOT NULL "
        "ORDER BY v, 2 LIMIT 10",
    )
    assert got == [
        (10, None, 20, 10, 20),
        (20, 10, 20, 10, 20),
        (20, 20, 30, 10, 20),
        (30, 20, 0, 10, 20),
    ]
