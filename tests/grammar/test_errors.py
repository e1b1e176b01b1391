"""Bad SQL yields one SqlSyntaxError with the offending token, its position and what would fit."""

from __future__ import annotations

import random
import re
from importlib import resources

import pytest

from cloneshell.grammar import ast
from cloneshell.grammar.errors import CloneshellError, Span, SqlSyntaxError
from cloneshell.grammar.parser import parse, parse_statement


def error(sql: str) -> SqlSyntaxError:
    with pytest.raises(SqlSyntaxError) as info:
        parse(sql)
    return info.value


def test_missing_table_name() -> None:
    e = error("SELECT * FROM;")
    assert e.message == "invalid token ';'"
    assert e.token == ";"
    assert e.span == Span(13, 14, 1, 14, 1, 15)
    # FROM also takes a Snowflake stage location (`@s`, '@s'): SELECT … FROM @stage, and a
    # VALUES table
    assert e.expected == (
        "(",
        "IDENTIFIER",
        "LATERAL",
        "TABLE",
        "VALUES",
        "identifier",
        "stage location",
        "string",
    )
    assert isinstance(e, CloneshellError) and e.code == ""


def test_every_regex_terminal_has_a_human_name() -> None:
    # A syntax error lists what could come next; a terminal without a name there showed its
    # regular expression (FROM's STAGE_LOC did, once `SELECT … FROM @stage` came in).
    from cloneshell.grammar import parser as parser_module

    ignored = {"WS", "LINE_COMMENT", "SLASH_COMMENT", "BLOCK_COMMENT", "UNCLOSED_COMMENT"}
    unnamed = [
        t.name
        for t in parser_module.get_parser().terminals
        if type(t.pattern).__name__ == "PatternRE"
        and t.name not in ignored
        and t.name not in parser_module._TERMINAL_NAMES
        and t.name != "DQ_STRING"  # identifier or string, by what else may come
    ]
    assert unnamed == []


def test_end_of_input_points_after_the_last_token() -> None:
    e = error("CLONE TABLE a TO b IF EXISTS")
    assert e.message == "invalid token '<EOF>'"
    assert e.token is None
    assert e.span == Span.point(28, 1, 29)
    e = error("SELECT 1 +  \n  ")
    assert e.message == "invalid token '<EOF>'"
    assert (e.span.line, e.span.column) == (1, 11) if e.span else False
    assert "number" in e.expected and "identifier" in e.expected


def test_expected_names_are_sorted_and_human() -> None:
    e = error("CREATE")
    # Snowflake objects that are not emulated are expected too: they fail as unsupported.
    assert e.expected == (
        "AGGREGATION", "ALERT", "API", "APPLICATION", "AUTHENTICATION", "COMPUTE", "CONNECTION",
        "CORTEX", "DATABASE", "DATASET", "DYNAMIC", "EVENT", "EXTERNAL", "FAILOVER", "FILE",
        "FUNCTION", "GIT", "GLOBAL", "HYBRID", "ICEBERG", "IMAGE", "INTEGRATION", "LOCAL",
        "MASKING", "MATERIALIZED", "MODEL", "NETWORK", "NOTEBOOK", "NOTIFICATION", "OR",
        "PASSWORD", "PIPE", "PROCEDURE", "PROJECT", "PROJECTION", "REPLICATION", "RESOURCE",
        "ROLE", "ROW", "SCHEMA", "SECRET", "SECURE", "SECURITY", "SEMANTIC", "SEQUENCE", "SERVICE",
        "SESSION", "SHARE", "SNAPSHOT", "STAGE", "STORAGE", "STREAM", "STREAMLIT", "TABLE", "TAG",
        "TASK", "TEMP", "TEMPORARY", "TRANSIENT", "TYPE", "USER", "VIEW", "VOLATILE", "WAREHOUSE",
    )  # fmt: skip
    e = error("SELECT a FROM t WHERE")
    assert list(e.expected) == sorted(e.expected)
    assert {"(", "NOT", "identifier", "number", "string"} <= set(e.expected)
    # no terminal names (SQ_STRING …); keywords such as TRY_CAST are shown as written
    grammar = resources.files("cloneshell.grammar").joinpath("dialect.lark").read_text()
    terminals = set(re.findall(r"^([A-Z][A-Z0-9_]*)(?:\.\d+)?:", grammar, re.M))
    assert terminals and not terminals & set(e.expected)


def test_position_on_a_later_line_and_statement() -> None:
    e = error("SELECT 1;\nSELECT a\nFROM t\nWHERE a = = 2;")
    assert e.token == "="
    assert (e.span.line, e.span.column) == (4, 11) if e.span else False


def test_whole_word_is_reported() -> None:
    e = error("CREATE tables t")
    assert e.token == "tables"
    assert e.span == Span(7, 13, 1, 8, 1, 14)
    assert error("SELEC * FROM t").token == "SELEC"


@pytest.mark.parametrize(
    ("sql", "token", "column"),
    [
        ("SELECT 'abc", "'abc", 8),
        ('SELECT "abc\nFROM t', '"abc', 8),
        ("SELECT `abc", "`abc", 8),
        ("SELECT 1 /* not closed", "/* not closed", 10),
        ("SELECT # FROM t", "#", 8),
        ("SELECT 1 <=> <=> 2", "<=>", 14),
        ("CREATE 5", "5", 8),
    ],
)
def test_unlexable_text(sql: str, token: str, column: int) -> None:
    e = error(sql)
    assert e.token == token
    assert e.message == f"invalid token '{token}'"
    assert e.span is not None and (e.span.line, e.span.column) == (1, column)
    assert e.span.end - e.span.start == len(token)


def test_garbage_bytes() -> None:
    e = error("\x00\x01\xff")
    assert e.token == "\x00"
    assert e.message == "invalid token '\\x00'"
    assert e.span == Span(0, 1, 1, 1, 1, 2)


@pytest.mark.parametrize(
    "sql",
    [
        "(" * 10_000,
        "SELECT " + "(" * 10_000 + "1" + ")" * 10_000,
        "SELECT " + "- " * 10_000 + "1",
        "SELECT " + "NOT " * 10_000 + "a",
        "SELECT a FROM t WHERE " + " OR ".join(["a = 1"] * 2_000),
        "SELECT " + "(SELECT " * 300 + "1" + ")" * 300,
    ],
)
def test_pathological_nesting(sql: str) -> None:
    e = error(sql)
    assert e.message == "statement too deeply nested"
    assert e.span is not None


def test_reasonable_nesting_is_fine() -> None:
    parse("SELECT " + "(" * 100 + "1" + ")" * 100)
    parse("SELECT a FROM t WHERE " + " OR ".join(["a = 1"] * 200))
    parse("SELECT " + "(SELECT " * 20 + "1" + ")" * 20)


def test_duplicate_clause() -> None:
    e = error("CREATE TABLE t (a INT) LIFECYCLE 1 COMMENT 'x' LIFECYCLE 2")
    assert e.message == "duplicate LIFECYCLE clause"
    assert e.span is not None and e.span.column == 48


@pytest.mark.parametrize(
    ("sql", "token"),
    [
        ("CREATE TABLE t (a INT) LIFECYCLE 1.5", "1.5"),
        ("CREATE TABLE t (a DECIMAL(1e2))", "1e2"),
        ("ALTER TABLE t ADD PARTITION (a=1.5)", "1.5"),
        ("SELECT a.b.c.d FROM t", "d"),
    ],
)
def test_numbers_and_names_the_ast_cannot_hold(sql: str, token: str) -> None:
    assert error(sql).token == token


def test_parse_statement_needs_exactly_one() -> None:
    with pytest.raises(SqlSyntaxError) as info:
        parse_statement("  -- nothing\n")
    assert info.value.message == "invalid token '<EOF>'"
    with pytest.raises(SqlSyntaxError) as info:
        parse_statement("SHOW FLAGS; WHOAMI;")
    assert info.value.token == "WHOAMI"
    assert info.value.span is not None and info.value.span.column == 13
    assert parse_statement("WHOAMI;") == ast.Whoami()


def test_unknown_dialect_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="dialect"):
        parse("SELECT 1", dialect="oracle")


_VOCABULARY = (
    "SELECT FROM WHERE CREATE TABLE PARTITION CLONE TO IF EXISTS OVERWRITE GRANT ON USER ROLE "
    "INSERT INTO VALUES SET SHOW DESC JOIN LEFT AS CASE WHEN THEN END NOT NULL AND OR IN "
    "BETWEEN LIKE GROUP BY ORDER LIMIT UNION WITH OVER CAST INTERVAL DATE ARRAY MAP STRUCT "
    "a t1 p.t x$y ALIYUN$a@b.com RAM$a:b 1 1.5 1e3 3BD 'str' \"dq\" `bq` X'00' "
    "( ) ( ) , , ; . * = <> <=> + - || :: => < > -- /* */ ' \" ` \\ # @ \x00 é ∑"
)
_WORDS = _VOCABULARY.split(" ")


def test_random_garbage_never_raises_anything_else() -> None:
    rng = random.Random(20240101)
    for _ in range(300):
        if rng.random() < 0.2:
            text = "".join(chr(rng.randrange(0, 0x250)) for _ in range(rng.randrange(1, 30)))
        else:
            text = " ".join(rng.choice(_WORDS) for _ in range(rng.randrange(1, 15)))
        try:
            result = parse(text)
        except SqlSyntaxError as e:
            assert e.message
            if e.span is not None:
                assert 0 <= e.span.start <= e.span.end <= len(text)
                assert e.span.line >= 1 and e.span.column >= 1
        else:
            assert isinstance(result, list)
