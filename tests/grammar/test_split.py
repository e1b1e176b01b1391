"""The statement splitter and `is_complete` (the REPL's Enter key)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cloneshell.grammar.split import ScriptItem, is_complete, split_script


def texts(script: str) -> list[tuple[str, str]]:
    return [(i.kind, i.text) for i in split_script(script)]


def test_statements_meta_commands_and_comments() -> None:
    script = "SET a=b;\n-- a comment; not a statement\n\\login RAM$x:y\nSELECT ';' FROM t; select 1"
    assert texts(script) == [
        ("sql", "SET a=b"),
        ("meta", "\\login RAM$x:y"),
        ("sql", "SELECT ';' FROM t"),
        ("sql", "select 1"),
    ]
    last = split_script(script)[-1]
    assert (last.line, last.column, last.terminated) == (4, 20, False)


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("SELECT 'a;b'; SELECT 2;", ["SELECT 'a;b'", "SELECT 2"]),
        ('SELECT "a;b";', ['SELECT "a;b"']),
        ("SELECT `a;b`;", ["SELECT `a;b`"]),
        ("SELECT 'it''s;';", ["SELECT 'it''s;'"]),
        ("SELECT 'a\\';b';", ["SELECT 'a\\';b'"]),
        ("SELECT 1 /* ; */ + 2;", ["SELECT 1 /* ; */ + 2"]),
        ("SELECT 1 -- ;\n + 2;", ["SELECT 1 -- ;\n + 2"]),
        ("SELECT 1 // ;\n + 2;", ["SELECT 1 // ;\n + 2"]),
        (";;  ;\n", []),
        ("/* only a comment */", []),
    ],
)
def test_semicolons_inside_quotes_and_comments_do_not_split(
    script: str, expected: list[str]
) -> None:
    assert [i.text for i in split_script(script)] == expected


def test_unterminated_quote_leaves_one_open_statement() -> None:
    assert split_script("SELECT 1; SELECT 'abc") == [
        ScriptItem("sql", "SELECT 1", 1, 1, 0, True),
        ScriptItem("sql", "SELECT 'abc", 1, 11, 10, False),
    ]


def test_meta_command_only_at_a_statement_boundary() -> None:
    assert texts("SELECT 1\n\\q") == [("sql", "SELECT 1\n\\q")]
    assert texts("SELECT 1;\n  \\q") == [("sql", "SELECT 1"), ("meta", "\\q")]


@pytest.mark.parametrize(
    ("text", "complete"),
    [
        ("SELECT 1;", True),
        ("SELECT 1", False),
        ("SELECT ';", False),
        ("SELECT 1; SELECT 2", False),
        ("SELECT 1; SELECT 2;", True),
        ("\\q", True),
        ("/* open", False),
        ("", False),
        ("-- just a comment", False),
    ],
)
def test_is_complete(text: str, complete: bool) -> None:
    assert is_complete(text) is complete


@given(st.text(alphabet="ab ;'\"`-/*\\\n", max_size=60))
def test_items_are_slices_of_the_script(script: str) -> None:
    for item in split_script(script):
        assert script[item.offset : item.offset + len(item.text)] == item.text
        assert item.text.strip()


def test_dollar_quoted_constant_holds_semicolons_and_quotes() -> None:
    script = "SELECT $$a; 'b$$; CREATE FUNCTION f() RETURNS INT AS $$ SELECT 1; $$"
    assert texts(script) == [
        ("sql", "SELECT $$a; 'b$$"),
        ("sql", "CREATE FUNCTION f() RETURNS INT AS $$ SELECT 1; $$"),
    ]
    assert not is_complete("SELECT $$a;\n")
    assert is_complete("SELECT $$a;$$;")
