"""SELECT: the subset the issue names, and the MaxCompute functions DuckDB spells differently."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from engine_helpers import fails, rows, run

from cloneshell.engine import Rows, Session


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    session = open_session()
    run(
        session,
        """CREATE TABLE emp (id BIGINT, name STRING, dept STRING, salary DOUBLE, boss BIGINT);
        INSERT INTO emp VALUES (1, 'ann', 'eng', 100.0, NULL), (2, 'bo', 'eng', 80.0, 1),
            (3, 'cy', 'ops', 70.0, 1), (4, 'di', 'ops', 90.0, 3), (5, 'ed', NULL, 50.0, 3);
        CREATE TABLE dept (code STRING, title STRING);
        INSERT INTO dept VALUES ('eng', 'Engineering'), ('ops', 'Operations'), ('hr', 'People');""",
    )
    return session


CASES: list[tuple[str, list[tuple[object, ...]]]] = [
    ("SELECT 1 + 2 * 3, (1 + 2) * 3, 7 % 4, -id FROM emp WHERE id = 1", [(7, 9, 3, -1)]),
    (
        "SELECT count(*), count(DISTINCT dept), sum(salary), min(id), max(id) FROM emp",
        [(5, 2, 390.0, 1, 5)],
    ),
    (
        "SELECT dept, count(*) AS n FROM emp GROUP BY dept HAVING count(*) > 1 "
        "ORDER BY dept LIMIT 9",
        [("eng", 2), ("ops", 2)],
    ),
    (
        "SELECT name FROM emp WHERE dept IN ('eng') AND salary BETWEEN 80 AND 100 ORDER BY name "
        "LIMIT 9",
        [("ann",), ("bo",)],
    ),
    (
        "SELECT name FROM emp WHERE name LIKE 'd%' OR dept IS NULL ORDER BY name LIMIT 9",
        [("di",), ("ed",)],
    ),
    ("SELECT name FROM emp WHERE NOT (salary > 60) ", [("ed",)]),
    (
        "SELECT CASE WHEN salary >= 90 THEN 'high' WHEN salary >= 70 THEN "
        "'mid' ELSE 'low' END, "
        "count(*) FROM emp GROUP BY CASE WHEN salary >= 90 THEN 'high' WHEN "
        "salary >= 70 THEN 'mid' "
        "ELSE 'low' END ORDER BY 1 LIMIT 9",
        [("high", 2), ("low", 1), ("mid", 2)],
    ),
    ("SELECT CAST(salary AS BIGINT), CAST('12' AS INT) FROM emp WHERE id = 2", [(80, 12)]),
    (
        "SELECT e.name, d.title FROM emp e JOIN dept d ON e.dept = d.code WHERE e.id = 3",
        [("cy", "Operations")],
    ),
    (
        "SELECT e.name, d.title FROM emp e LEFT OUTER JOIN dept d ON e.dept = "
        "d.code WHERE e.id = 5",
        [("ed", None)],
    ),
    ("SELECT d.code FROM emp e RIGHT JOIN dept d ON e.dept = d.code WHERE e.id IS NULL", [("hr",)]),
    ("SELECT count(*) FROM emp e FULL OUTER JOIN dept d ON e.dept = d.code", [(6,)]),
    ("SELECT count(*) FROM emp CROSS JOIN dept", [(15,)]),
    ("SELECT count(*) FROM emp, dept", [(15,)]),
    (
        "SELECT d.code FROM dept d LEFT SEMI JOIN emp e ON e.dept = d.code ORDER BY d.code LIMIT 9",
        [("eng",), ("ops",)],
    ),
    ("SELECT d.code FROM dept d LEFT ANTI JOIN emp e ON e.dept = d.code", [("hr",)]),
    (
        "SELECT name FROM emp WHERE boss IN (SELECT id FROM emp WHERE dept = 'ops') ORDER BY name "
        "LIMIT 9",
        [("di",), ("ed",)],
    ),
    ("SELECT x.n FROM (SELECT count(*) AS n FROM emp) x", [(5,)]),
    (
        "WITH o AS (SELECT * FROM emp WHERE dept = 'ops'), t AS (SELECT count(*) AS c FROM o) "
        "SELECT c FROM t",
        [(2,)],
    ),
    (
        "SELECT name, row_number() OVER (PARTITION BY dept ORDER BY salary DESC) AS r FROM emp "
        "WHERE dept = 'eng' ORDER BY r LIMIT 9",
        [("ann", 1), ("bo", 2)],
    ),
    (
        "SELECT name, sum(salary) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT "
        "ROW) FROM emp WHERE id <= 2 ORDER BY id LIMIT 9",
        [("ann", 100.0), ("bo", 180.0)],
    ),
    (
        "SELECT code FROM dept WHERE code = 'hr' UNION ALL SELECT code FROM dept WHERE code = 'hr'",
        [("hr",), ("hr",)],
    ),
    (
        "SELECT code FROM dept WHERE code = 'hr' UNION SELECT code FROM dept WHERE code = 'hr'",
        [("hr",)],
    ),
    ("SELECT name FROM emp ORDER BY salary DESC LIMIT 2", [("ann",), ("di",)]),
    ("SELECT NVL(dept, 'none') FROM emp WHERE id = 5", [("none",)]),
    (
        "SELECT CONCAT_WS('-', name, dept), SUBSTR(name, 1, 1) FROM emp WHERE id = 1",
        [("ann-eng", "a")],
    ),
    ("SELECT GETDATE()", [(datetime(2024, 1, 15, 10, 0, 0),)]),
    ("SELECT DATEADD(DATETIME '2024-01-31 00:00:00', 1, 'dd')", [(datetime(2024, 2, 1),)]),
    ("SELECT DATEADD(DATETIME '2024-01-31 00:00:00', -2, 'mm')", [(datetime(2023, 11, 30),)]),
    (
        "SELECT DATEDIFF(DATETIME '2024-03-01 00:00:00', DATETIME '2024-02-01 00:00:00', 'dd')",
        [(29,)],
    ),
    (
        "SELECT TO_CHAR(DATETIME '2024-01-15 10:11:12', 'yyyy-mm-dd hh:mi:ss')",
        [("2024-01-15 10:11:12",)],
    ),
    ("SELECT TO_CHAR(DATETIME '2024-01-15 10:11:12', 'yyyymmdd')", [("20240115",)]),
    ("SELECT IF(1 > 0, 'y', 'n'), COALESCE(NULL, 3), ABS(-2), ROUND(2.567, 1)", [("y", 3, 2, 2.6)]),
]


@pytest.mark.parametrize(("sql", "expected"), CASES, ids=[c[0][:50] for c in CASES])
def test_query(s: Session, sql: str, expected: list[tuple[object, ...]]) -> None:
    got = rows(s, sql)
    assert [tuple(float(v) if hasattr(v, "as_tuple") else v for v in r) for r in got] == [
        tuple(float(v) if hasattr(v, "as_tuple") else v for v in r) for r in expected
    ]


def test_result_columns_are_named_like_maxcompute(s: Session) -> None:
    (res,) = s.execute("SELECT id, count(*), name AS Who FROM emp GROUP BY id, name LIMIT 1")
    assert isinstance(res, Rows)
    assert [(c.name, c.type) for c in res.columns] == [
        ("id", "bigint"),
        ("_c1", "bigint"),
        ("who", "string"),
    ]


def test_order_by_needs_limit_unless_flag(s: Session) -> None:
    err = fails(s, "SELECT * FROM emp ORDER BY id")
    assert err.code == "ODPS-0130071" and "ORDER BY must be used with a LIMIT clause" in err.text
    run(s, "SET odps.sql.validate.orderby.limit=false;")
    assert len(rows(s, "SELECT * FROM emp ORDER BY id")) == 5


def test_unknown_column_and_function_point_at_the_text(s: Session) -> None:
    err = fails(s, "SELECT id,\n  nosuch FROM emp")
    assert err.code == "ODPS-0130071" and "column nosuch cannot be resolved" in err.text
    assert err.span is not None and (err.span.line, err.span.column) == (2, 3)
    err = fails(s, "SELECT frobnicate(id) FROM emp")
    assert err.text == (
        "ODPS-0130071:[1,8] Semantic analysis exception - function or view frobnicate cannot be "
        "resolved"
    )
    err = fails(s, "SELECT * FROM nosuch")
    assert err.text == (
        "ODPS-0130131:[1,15] Table not found - table my_project.nosuch cannot be resolved"
    )
