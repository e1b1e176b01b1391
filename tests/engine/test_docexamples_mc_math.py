"""MaxCompute's mathematical functions against their pages' examples (alibabacloud.com/help/en/
maxcompute, "Mathematical functions" and each function's page): the documented value; DOUBLE
results to the digits the pages print."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal

import pytest
from engine_helpers import rows

from cloneshell.engine import Session


@pytest.fixture
def s(open_session: Callable[..., Session]) -> Session:
    return open_session()


DOC_EXAMPLES = [
    ("abs(-1)", 1),
    ("ceil(1.1)", 2),
    ("ceil(-1.1)", -1),
    ("floor(1.2)", 1),
    ("floor(-1.2)", -2),
    ("round(125.315)", 125),
    ("round(125.315, 1)", Decimal("125.3")),
    ("round(125.315, 2)", Decimal("125.32")),
    ("round(125.315, -2)", 100),
    ("round(-125.315, 2)", Decimal("-125.32")),
    ("trunc(125.815)", 125),
    ("sign(-2.5)", -1),
    ("bin(5)", "101"),
    ("conv('1100', 2, 10)", "12"),
    ("mod(10, 3)", 1),
]

FLOATS = [
    ("acos(1)", 0.0),
    ("asin(1)", math.pi / 2),
    ("atan(1)", math.pi / 4),
    ("cos(0)", 1.0),
    ("sin(0)", 0.0),
    ("tan(0)", 0.0),
    ("exp(0)", 1.0),
    ("ln(1)", 0.0),
    ("log(2, 16)", 4.0),
    ("log10(100)", 2.0),
    ("log2(8)", 3.0),
    ("pow(2, 3)", 8.0),
    ("power(2, 3)", 8.0),
    ("sqrt(4)", 2.0),
    ("trunc(125.815, 2)", 125.81),
    ("trunc(125.815, -1)", 120.0),
]


@pytest.mark.parametrize(("expr", "expected"), DOC_EXAMPLES, ids=[c[0] for c in DOC_EXAMPLES])
def test_documented_result(s: Session, expr: str, expected: object) -> None:
    assert rows(s, f"SELECT {expr}") == [(expected,)]


@pytest.mark.parametrize(("expr", "expected"), FLOATS, ids=[c[0] for c in FLOATS])
def test_documented_double(s: Session, expr: str, expected: float) -> None:
    ((value,),) = rows(s, f"SELECT {expr}")
    assert math.isclose(float(str(value)), expected, abs_tol=1e-9)
