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
