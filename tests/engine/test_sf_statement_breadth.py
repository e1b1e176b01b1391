"""Snowflake statement and DDL breadth (issue 14): dollar-quoted constants, out-of-line
constraints in ALTER TABLE, table/column options, tags, SQL UDFs; each with the behaviour
Snowflake's pages document."""

from __future__ import annotations

from engine_helpers import fails, rows, run

from cloneshell.engine import Session


def test_dollar_quoted_constants_keep_their_text(sf: Session) -> None:
    # "String & binary data types", dollar-quoted string constants: no escapes inside.
    got = rows(sf, "SELECT 'row1', $$a\n ' \\ \\t\n \\x21 z $ $$")
    assert got == [("row1", "a\n ' \\ \\t\n \\x21 z $ ")]
    assert rows(sf, "SELECT $$a;b$$, $$$$, $$it's$$ = 'it''s'") == [("a;b", "", True)]


def test_dollar_quoted_comment_and_unterminated_constant(sf: Session) -> None:
    run(sf, "CREATE DATABASE d; CREATE TABLE foo (id INT COMMENT $$some comment$$)")
    assert [r[9] for r in rows(sf, "DESC TABLE foo")] == ["some comment"]
    err = fails(sf, "SELECT $$abc")
    assert err.code == "001003"
