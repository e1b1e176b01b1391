"""MaxCompute complex types in queries: `[ ]` subscripts (0-based arrays, map keys), struct
fields, LATERAL VIEW [OUTER] explode/posexplode/inline, standalone explode, and the Hive
DISTRIBUTE BY / SORT BY / CLUSTER BY clauses."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import fails, rows, run

from cloneshell.engine import Rows, Session


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    session = open_session()
    run(
        session,
        """CREATE TABLE t (id BIGINT, tags ARRAY<STRING>, m MAP<STRING,BIGINT>,
            s ARRAY<STRUCT<a:BIGINT, b:STRING>>);
        INSERT INTO t SELECT 1, array('x', 'y'), map('k1', 1, 'k2', 2),
            array(named_struct('a', 1, 'b', 'p'), named_struct('a', 2, 'b', 'q'));
        INSERT INTO t SELECT 2, array(), map('z', 3),
            CAST(NULL AS ARRAY<STRUCT<a:BIGINT, b:STRING>>);""",
    )
    return session


def test_subscripts_are_zero_based_and_maps_take_keys(s: Session) -> None:
    got = rows(
        s,
        "SELECT tags[0], tags[1], tags[2], m['k2'], m['nope'], s[1].b, tags[size(tags) - 1] "
        "FROM t WHERE id = 1",
    )
    assert got == [("x", "y", None, 2, None, "q", "y")]


def test_lateral_view_explode_posexplode_inline(s: Session) -> None:
    q = "SELECT id, c FROM t LATERAL VIEW explode(tags) v AS c ORDER BY id, c LIMIT 9"
    assert rows(s, q) == [(1, "x"), (1, "y")]
    q = "SELECT id, c FROM t LATERAL VIEW OUTER explode(tags) v AS c ORDER BY id, c LIMIT 9"
    assert rows(s, q) == [(1, "x"), (1, "y"), (2, None)]
    q = "SELECT p, c FROM t LATERAL VIEW posexplode(tags) v AS p, c ORDER BY p LIMIT 9"
    assert rows(s, q) == [(0, "x"), (1, "y")]
    q = "SELECT k, val FROM t LATERAL VIEW explode(m) v AS k, val ORDER BY k LIMIT 9"
    assert rows(s, q) == [("k1", 1), ("k2", 2), ("z", 3)]
    q = "SELECT a, b FROM t LATERAL VIEW inline(s) v AS a, b ORDER BY a LIMIT 9"
    assert rows(s, q) == [(1, "p"), (2, "q")]


def test_explode_in_the_select_list_names_its_columns(s: Session) -> None:
    (res,) = s.execute("SELECT explode(tags) FROM t")
    assert isinstance(res, Rows) and [c.name for c in res.columns] == ["col"]
    assert sorted(res.rows) == [("x",), ("y",)]
    (res,) = s.execute("SELECT explode(m) AS (k, v) FROM t")
    assert isinstance(res, Rows) and [c.name for c in res.columns] == ["k", "v"]
    assert sorted(res.rows) == [("k1", 1), ("k2", 2), ("z", 3)]
    err = fails(s, "SELECT explode(tags) AS (a, b, c) FROM t")
    assert err.code == "ODPS-0130071" and "explode makes 1 column(s) here, 3 named" in err.text
    err = fails(s, "SELECT upper(id) AS (a, b) FROM t")
    assert "names the columns of a table-generating function" in err.text


def test_distribute_sort_and_cluster_by(s: Session) -> None:
    # SORT BY orders the result (one reducer) and needs no LIMIT; DISTRIBUTE BY changes nothing.
    assert rows(s, "SELECT id FROM t DISTRIBUTE BY id SORT BY id DESC") == [(2,), (1,)]
    assert rows(s, "SELECT id FROM t SORT BY id") == [(1,), (2,)]
    assert rows(s, "SELECT id FROM t CLUSTER BY id") == [(1,), (2,)]
    assert sorted(rows(s, "SELECT id FROM t DISTRIBUTE BY rand()")) == [(1,), (2,)]


def test_snowflake_refuses_the_hive_forms(open_session: Callable[..., Session]) -> None:
    sf = open_session()
    run(sf, "ALTER SESSION SET DIALECT = snowflake;")
    for sql, what in [
        ("SELECT a FROM t LATERAL VIEW explode(x) v AS c", "LATERAL VIEW is MaxCompute's"),
        ("SELECT a FROM t DISTRIBUTE BY a", "DISTRIBUTE BY, SORT BY and CLUSTER BY"),
    ]:
        err = fails(sf, sql)
        assert err.code == "001003" and what in str(err.args[0]), err.text
