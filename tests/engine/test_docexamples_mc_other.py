"""MaxCompute's other (conditional) functions against their pages' examples
(alibabacloud.com/help/en/maxcompute, "Other functions"): GREATEST treats NULL as the smallest
value by default (the GREATEST page), NVL/COALESCE/NULLIF/ISNULL/IF/DECODE."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from engine_helpers import rows

from cloneshell.engine import Session


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    return open_session()


DOC_EXAMPLES = [
    ("greatest(1, 2, null)", 2),
    ("greatest(2.5, 5, 3.14BD)", 5),
    ("nvl(null, 1)", 1),
    ("coalesce(null, 2)", 2),
    ("nullif(2, 2)", None),
    ("nullif(2, 3)", 2),
    ("isnull(null)", True),
    ("isnull(1)", False),
    ("ifnull(null, 'x')", "x"),
    ("if(1 = 1, 'a', 'b')", "a"),
    ("if(null, 'a', 'b')", "b"),
    ("decode(2, 1, 'one', 2, 'two', 'other')", "two"),
    ("decode(3, 1, 'one', 2, 'two', 'other')", "other"),
    ("decode(3, 1, 'one')", None),
]


@pytest.mark.parametrize(("expr", "expected"), DOC_EXAMPLES, ids=[c[0] for c in DOC_EXAMPLES])
def test_documented_result(s: Session, expr: str, expected: object) -> None:
    ((value,),) = rows(s, f"SELECT {expr}")
    assert value == expected
