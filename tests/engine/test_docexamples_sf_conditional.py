"""Snowflake's conditional expression functions against their pages' examples
(docs.snowflake.com, sql-reference/functions/<name>): the value SnowSQL shows; GREATEST and LEAST
are NULL when any argument is NULL, their _IGNORE_NULLS forms skip NULLs."""

from __future__ import annotations

import pytest

from cloneshell.engine import Rows, Session
from cloneshell.shell.render.snowflake import sf_value_text

DOC_EXAMPLES = [
    ("GREATEST(1, 2, NULL)", "NULL"),
    ("LEAST(5, NULL)", "NULL"),
    ("GREATEST('a', 'c', 'b')", "c"),
    ("GREATEST_IGNORE_NULLS(1, NULL, 3)", "3"),
    ("LEAST_IGNORE_NULLS(5, NULL)", "5"),
    ("COALESCE(NULL, 2, 3)", "2"),
    ("COALESCE(NULL, NULL)", "NULL"),
    ("NVL('food', 'bard')", "food"),
    ("NVL(NULL, 'bard')", "bard"),
    ("IFNULL(NULL, 'x')", "x"),
    ("NULLIF(0, 0)", "NULL"),
    ("NULLIF(1, 0)", "1"),
    ("IFF(1 > 2, 'a', 'b')", "b"),
    ("IFF(NULL, 'a', 'b')", "b"),
    ("NVL2(1, 2, 3)", "2"),
    ("ZEROIFNULL(5)", "5"),
    ("EQUAL_NULL(1, 1)", "True"),
    # BOOLAND / BOOLOR / BOOLXOR / BOOLNOT: non-zero numbers are TRUE, NULL stays NULL
    ("BOOLAND(1, -2)", "True"),
    ("BOOLAND(0, 2.35)", "False"),
    ("BOOLOR(0, NULL)", "NULL"),
    ("BOOLOR(1, NULL)", "True"),
    ("BOOLXOR(2, 0)", "True"),
    ("BOOLXOR(1, -1)", "False"),
    ("BOOLNOT(0)", "True"),
    ("BOOLNOT(10)", "False"),
    ("DECODE('b', 'a', 1, 'b', 2)", "2"),
    ("DECODE('z', 'a', 1)", "NULL"),
]


@pytest.mark.parametrize(("sql", "expected"), DOC_EXAMPLES, ids=[c[0] for c in DOC_EXAMPLES])
def test_documented_result(sf: Session, sql: str, expected: str) -> None:
    (result,) = sf.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    assert sf_value_text(result.rows[0][0], result.columns[0].type) == expected


def test_greatest_of_a_null_column_is_null(sf: Session) -> None:
    sf.execute("CREATE DATABASE d")
    sf.execute("CREATE TABLE t (a INT, b INT)")
    sf.execute("INSERT INTO t VALUES (1, NULL), (1, 2)")
    (result,) = sf.execute("SELECT GREATEST(a, b), LEAST(a, b) FROM t ORDER BY b NULLS FIRST")
    assert isinstance(result, Rows)
    assert [tuple(None if v is None else int(str(v)) for v in r) for r in result.rows] == [
        (None, None),
        (2, 1),
    ]
