"""Snowflake's regular expression functions against their pages' examples
(docs.snowflake.com, sql-reference/functions/<name>, on the pages' sentence 'It was the best of
times, it was the worst of times'): REGEXP_REPLACE replaces every match (issue 14)."""

from __future__ import annotations

import pytest

from cloneshell.engine import Rows, Session
from cloneshell.shell.render.snowflake import sf_value_text


def _array(*items: str) -> str:
    return "[\n" + ",\n".join(f'  "{i}"' for i in items) + "\n]"


TIMES = "'It was the best of times, it was the worst of times'"

DOC_EXAMPLES = [
    ("REGEXP_REPLACE('aXbX', 'X', '')", "ab"),
    ("REGEXP_REPLACE('Customers - (NY)', '\\\\(|\\\\)', '')", "Customers - NY"),
    (f"REGEXP_COUNT({TIMES}, '\\\\bwas\\\\b', 1)", "2"),
    (f"REGEXP_INSTR({TIMES}, 'the\\\\W+\\\\w+', 1, 1)", "8"),
    (f"REGEXP_SUBSTR({TIMES}, 'the\\\\W+\\\\w+')", "the best"),
    ("RLIKE('800-456-7891', '[2-9]\\\\d{2}-\\\\d{3}-\\\\d{4}')", "True"),
    ("RLIKE('San Francisco', 'san.*', 'i')", "True"),
    ("REGEXP_LIKE('cat', 'c.t')", "True"),
    # an ARRAY, shown as SnowSQL shows a VARIANT
    ("REGEXP_SUBSTR_ALL('a1_a2a3_a4A5a6', 'a[[:digit:]]')", _array("a1", "a2", "a3", "a4", "a6")),
    (
        "REGEXP_SUBSTR_ALL('a1_a2a3_a4A5a6', 'a[[:digit:]]', 1, 1, 'i')",
        _array("a1", "a2", "a3", "a4", "A5", "a6"),
    ),
]


@pytest.mark.parametrize(("sql", "expected"), DOC_EXAMPLES, ids=[c[0][:60] for c in DOC_EXAMPLES])
def test_documented_result(sf: Session, sql: str, expected: str) -> None:
    (result,) = sf.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    assert sf_value_text(result.rows[0][0], result.columns[0].type) == expected


def test_regexp_substr_all_is_an_array(sf: Session) -> None:
    (result,) = sf.execute("SELECT ARRAY_SIZE(REGEXP_SUBSTR_ALL('a1_a2', 'a[[:digit:]]'))")
    assert isinstance(result, Rows)
    assert int(str(result.rows[0][0])) == 2
