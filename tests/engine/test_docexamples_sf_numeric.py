"""Snowflake's numeric and bitwise functions against their pages' examples
(docs.snowflake.com, sql-reference/functions/<name>): the value SnowSQL shows, or for FLOAT
results the documented value to the digits the page prints."""

from __future__ import annotations

import math

import pytest

from cloneshell.engine import Rows, Session
from cloneshell.shell.render.snowflake import sf_value_text

# (expression, the value SnowSQL shows) for exact (NUMBER) results
EXACT = [
    ("MOD(3, 2)", "1"),
    ("MOD(4.5, 1.2)", "0.9"),
    ("TRUNCATE(135.135, 1)", "135.1"),
    ("TRUNC(135.135, -2)", "100"),
    ("TRUNC(-975.975, 2)", "-975.97"),
    ("CEIL(135.135, 1)", "135.2"),
    ("CEIL(-975.975, -1)", "-970"),
    ("FLOOR(-975.975, -1)", "-980"),
    ("FACTORIAL(5)", "120"),
    ("FACTORIAL(10)", "3628800"),
    ("SIGN(-5)", "-1"),
    ("SIGN(0)", "0"),
    ("ABS(-0.5)", "0.5"),
    ("WIDTH_BUCKET(290000, 200000, 600000, 8)", "2"),
    ("ROUND(-2.5, 0)", "-3"),
    ("ROUND(2.5)", "3"),
    ("ROUND(3.14159, 2)", "3.14"),
    # bitwise
    ("BITAND(12, 6)", "4"),
    ("BITOR(12, 6)", "14"),
    ("BITXOR(12, 6)", "10"),
    ("BITNOT(12)", "-13"),
    ("BITSHIFTLEFT(1, 3)", "8"),
    ("BITSHIFTRIGHT(16, 2)", "4"),
    ("GETBIT(11, 1)", "1"),
]

# (expression, the documented FLOAT value)
FLOATS = [
    ("SQUARE(-2)", 4.0),
    ("CBRT(27)", 3.0),
    ("DEGREES(PI())", 180.0),
    ("RADIANS(180)", math.pi),
    ("POWER(2, 3)", 8.0),
    ("POW(2, 0.5)", 1.414213562),
    ("EXP(1)", 2.718281828),
    ("LN(10)", 2.302585093),
    ("LOG(2, 1024)", 10.0),
    ("LOG(10, 1000)", 3.0),
    ("SQRT(2)", 1.414213562),
    ("SIN(0)", 0.0),
    ("COS(0)", 1.0),
    ("ATAN2(1, 1)", math.pi / 4),
]


def _result(s: Session, sql: str) -> tuple[object, str]:
    (result,) = s.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    return result.rows[0][0], result.columns[0].type


@pytest.mark.parametrize(("sql", "expected"), EXACT, ids=[c[0] for c in EXACT])
def test_documented_exact_result(sf: Session, sql: str, expected: str) -> None:
    value, kind = _result(sf, sql)
    assert kind == "NUMBER" and sf_value_text(value, kind) == expected


@pytest.mark.parametrize(("sql", "expected"), FLOATS, ids=[c[0] for c in FLOATS])
def test_documented_float_result(sf: Session, sql: str, expected: float) -> None:
    value, kind = _result(sf, sql)
    assert kind == "FLOAT" and math.isclose(float(str(value)), expected, abs_tol=1e-9)


def test_div0_and_div0null_give_zero(sf: Session) -> None:
    # DIV0: 0 where the divisor is 0; DIV0NULL also where it is NULL.
    for sql in ("DIV0(1, 0)", "DIV0NULL(1, 0)", "DIV0NULL(1, NULL)"):
        value, _ = _result(sf, sql)
        assert float(str(value)) == 0.0
