"""Snowflake function families added for real SQL (issue 14): context functions
(contextfns.py), bitwise functions on numbers and BINARY, MAP_* and the ARRAY_* gaps, named
arguments, format arguments — each against its docs.snowflake.com page's examples (the value
SnowSQL shows), or, where a page gives none, the documented rule the case names."""

from __future__ import annotations

import json

import pytest

from cloneshell.engine import Rows, Session
from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.render.snowflake import sf_value_text


def _value(s: Session, sql: str) -> str:
    (result,) = s.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    ((value,),) = result.rows
    return sf_value_text(value, result.columns[0].type)


def test_context_functions_describe_this_warehouse_and_session(sf: Session) -> None:
    sf.execute("CREATE DATABASE test_db1")
    sf.execute("CREATE SCHEMA billing")
    # CURRENT_SCHEMAS docs: the search path, the current schema then PUBLIC.
    assert _value(sf, "CURRENT_SCHEMAS()") == '["TEST_DB1.BILLING", "TEST_DB1.PUBLIC"]'
    assert _value(sf, "CURRENT_ACCOUNT()") == "CLONESHELL"
    assert _value(sf, "CURRENT_ACCOUNT_NAME()") == "CLONESHELL"
    assert _value(sf, "CURRENT_ROLE_TYPE()") == "ROLE"
    assert _value(sf, "CURRENT_REGION()") == "LOCAL"
    assert _value(sf, "CURRENT_IP_ADDRESS()") == "127.0.0.1"
    assert _value(sf, "CURRENT_CLIENT()").startswith("cloneshell ")
    roles = json.loads(_value(sf, "CURRENT_AVAILABLE_ROLES()"))
    assert "ACCOUNTADMIN" in roles and "PUBLIC" in roles
    assert json.loads(_value(sf, "CURRENT_SECONDARY_ROLES()")) == {"roles": "", "value": ""}
    session = _value(sf, "CURRENT_SESSION()")
    assert session.isdigit() and _value(sf, "CURRENT_SESSION()") == session
    assert _value(sf, "CURRENT_STATEMENT()") == "SELECT CURRENT_STATEMENT()"


def test_current_schemas_without_a_database_is_empty(sf: Session) -> None:
    assert _value(sf, "CURRENT_SCHEMAS()") == "[]"


def test_context_functions_take_no_arguments(sf: Session) -> None:
    with pytest.raises(CloneshellError) as info:
        sf.execute("SELECT CURRENT_ACCOUNT(1)")
    assert info.value.code == "002000"


BITWISE = [
    # BITAND / BITOR / BITXOR docs: integers (their bits table) and BINARY values
    ("BITAND(11, 1)", "1"),
    ("BITOR(24, 16)", "24"),
    ("BITXOR(42, 13)", "39"),
    ("BITAND(42, 37)", "32"),
    ("BIT_AND(11, 1)", "1"),  # the alias
    ("BITAND(NULL, 1)", "NULL"),
    ("BITAND(X'FF', X'0F')", "0F"),
    ("BITOR(X'F0', X'0F')", "FF"),
    ("BITXOR(X'FF', X'0F')", "F0"),
    # padside: the shorter value is padded with zeros on that side
    ("BITAND(X'0F', X'F0FF', 'LEFT')", "000F"),
    ("BITOR(X'0F', X'F000', 'RIGHT')", "FF00"),
    ("BIT_XOR(X'FF', X'00FF', 'left')", "0000"),
    # BITNOT, BITSHIFTLEFT, BITSHIFTRIGHT (the BINARY keeps its length)
    ("BITNOT(0)", "-1"),
    ("BITNOT(X'F00F')", "0FF0"),
    ("BITSHIFTLEFT(1, 4)", "16"),
    ("BITSHIFTLEFT(-1, 2)", "-4"),
    ("BITSHIFTRIGHT(-8, 1)", "-4"),
    ("BITSHIFTLEFT(X'002A'::BINARY, 1)", "0054"),
    ("BITSHIFTRIGHT(X'002A'::BINARY, 1)", "0015"),
    ("BITSHIFTLEFT(X'FF', 4)", "F0"),
    ("BIT_SHIFTLEFT(1, 63)", "9223372036854775808"),  # a 128-bit result
]


@pytest.mark.parametrize(("sql", "expected"), BITWISE, ids=[c[0] for c in BITWISE])
def test_bitwise_documented_result(sf: Session, sql: str, expected: str) -> None:
    assert _value(sf, sql) == expected


def test_bitwise_aggregates_and_their_aliases(sf: Session) -> None:
    rows = "FROM (SELECT 1 AS x UNION ALL SELECT 3 UNION ALL SELECT 5 UNION ALL SELECT NULL)"
    (result,) = sf.execute(f"SELECT BITAND_AGG(x), BIT_OR_AGG(x), BITXORAGG(x) {rows}")
    assert isinstance(result, Rows)
    assert result.rows == [(1, 7, 7)]


def test_binary_values_of_two_lengths_need_a_pad_side(sf: Session) -> None:
    with pytest.raises(CloneshellError) as info:
        sf.execute("SELECT BITAND(X'FF', X'0FFF')")
    assert info.value.code == "100000" and "'BITAND'" in info.value.text
    with pytest.raises(CloneshellError) as info:
        sf.execute("SELECT BITAND(X'FF', X'0FFF', 'MIDDLE')")
    assert info.value.code == "002000"


NAMED = [
    # ROUND docs: named arguments in any order
    ("ROUND(EXPR => 2.25, SCALE => 1, ROUNDING_MODE => 'HALF_AWAY_FROM_ZERO')", "2.3"),
    ("ROUND(EXPR => 2.25, SCALE => 1, ROUNDING_MODE => 'HALF_TO_EVEN')", "2.2"),
    ("ROUND(ROUNDING_MODE => 'HALF_TO_EVEN', EXPR => 2.25, SCALE => 1)", "2.2"),
    ("ROUND(SCALE => 1, EXPR => 2.25)", "2.3"),
    ("ROUND(EXPR => -2.5)", "-3"),
]


@pytest.mark.parametrize(("sql", "expected"), NAMED, ids=[c[0] for c in NAMED])
def test_named_arguments_documented_result(sf: Session, sql: str, expected: str) -> None:
    assert _value(sf, sql) == expected


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("SELECT ROUND(EXPR => 2.25, PRECISION => 1)", "invalid argument name PRECISION"),
        ("SELECT ROUND(SCALE => 1)", "missing argument EXPR"),
        ("SELECT ROUND(EXPR => 1, EXPR => 2)", "invalid argument name EXPR"),
        ("SELECT UPPER(S => 'a')", "named arguments"),
    ],
)
def test_bad_named_arguments_are_refused(sf: Session, sql: str, message: str) -> None:
    with pytest.raises(CloneshellError) as info:
        sf.execute(sql)
    assert info.value.code == "002000" and message in info.value.text
