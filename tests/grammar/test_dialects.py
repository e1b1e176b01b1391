"""grammar/dialects.py: the table of what each dialect accepts covers every statement, names only
clauses the grammar has, and is what the builders go by."""

from __future__ import annotations

import inspect

import pytest

from cloneshell.grammar import ast
from cloneshell.grammar.dialects import DIALECTS, MAXCOMPUTE, SNOWFLAKE, STATEMENTS
from cloneshell.grammar.errors import SqlSyntaxError
from cloneshell.grammar.parser import DIALECTS as PARSER_DIALECTS
from cloneshell.grammar.parser import get_parser, parse


def _statement_classes() -> set[type[ast.Statement]]:
    return {
        cls
        for _, cls in inspect.getmembers(ast, inspect.isclass)
        if issubclass(cls, ast.Statement) and cls is not ast.Statement
    }


def test_every_statement_has_a_row_and_every_row_a_statement() -> None:
    assert set(STATEMENTS) == _statement_classes()
    assert PARSER_DIALECTS == ("maxcompute", "snowflake") == tuple(DIALECTS)


def test_every_clause_named_is_a_rule_of_the_grammar() -> None:
    rules = {str(r.alias or r.origin.name) for r in get_parser().rules}
    named = {
        (cls.__name__, dialect.name, clause)
        for dialect in (MAXCOMPUTE, SNOWFLAKE)
        for cls, row in dialect.statements.items()
        for clause in row.clauses
    }
    assert named and {entry for entry in named if entry[2] not in rules} == set()


def test_each_dialect_has_its_own_column() -> None:
    mc = MAXCOMPUTE.statements[ast.CreateTable].clauses
    sf = SNOWFLAKE.statements[ast.CreateTable].clauses
    assert {"lifecycle", "partitioned_by", "or_replace"} <= mc
    assert {"clone_source", "retention", "or_replace"} <= sf
    assert "lifecycle" not in sf and "clone_source" not in mc
    # A statement one dialect never builds has no row in its column.
    assert ast.Use in MAXCOMPUTE.statements and ast.Use not in SNOWFLAKE.statements
    assert ast.GrantToRole in SNOWFLAKE.statements and ast.GrantToRole not in MAXCOMPUTE.statements
    # OR REPLACE with IF NOT EXISTS: refused where the table says so.
    assert SNOWFLAKE.statements[ast.CreateTable].exclusive_replace
    assert not MAXCOMPUTE.statements[ast.CreateTable].exclusive_replace


@pytest.mark.parametrize("dialect", ["maxcompute", "snowflake"])
def test_create_or_replace_table_is_accepted_in_both(dialect: str) -> None:
    (stmt,) = parse("CREATE OR REPLACE TABLE t (a INT)", dialect)
    assert isinstance(stmt, ast.CreateTable) and stmt.or_replace


@pytest.mark.parametrize(
    ("sql", "dialect", "message", "clause"),
    [
        (
            "CREATE TABLE t (a INT) LIFECYCLE 7",
            "snowflake",
            "LIFECYCLE is not valid in Snowflake CREATE TABLE",
            "LIFECYCLE 7",
        ),
        (
            "CREATE TABLE t2 CLONE t1",
            "maxcompute",
            "CLONE is not valid in MaxCompute CREATE TABLE",
            "CLONE t1",
        ),
        (
            "CREATE OR REPLACE TABLE IF NOT EXISTS t (a INT)",
            "snowflake",
            "OR REPLACE and IF NOT EXISTS cannot be used together",
            "IF NOT EXISTS",
        ),
        # Where a statement has two clauses its dialect refuses, which one is named first.
        (
            "DESC EXTENDED t PARTITION (p='1')",
            "snowflake",
            "PARTITION is not valid in Snowflake DESCRIBE TABLE",
            "PARTITION (p='1')",
        ),
        (
            "GRANT OWNERSHIP ON ACCOUNT TO ROLE r WITH GRANT OPTION",
            "snowflake",
            "WITH GRANT OPTION is not valid in Snowflake GRANT OWNERSHIP",
            "WITH GRANT OPTION",
        ),
        (
            "GRANT OWNERSHIP ON ACCOUNT TO ROLE r",
            "snowflake",
            "ACCOUNT is not valid in Snowflake GRANT OWNERSHIP",
            "ACCOUNT",
        ),
    ],
)
def test_a_clause_outside_the_dialect_s_column_is_refused_with_its_span(
    sql: str, dialect: str, message: str, clause: str
) -> None:
    with pytest.raises(SqlSyntaxError) as info:
        parse(sql, dialect)
    error = info.value
    assert error.message == message
    assert sql[error.span.start : error.span.end] == clause


def test_or_replace_with_if_not_exists_stays_accepted_in_a_maxcompute_create_table() -> None:
    (stmt,) = parse("CREATE OR REPLACE TABLE IF NOT EXISTS t (a INT)", "maxcompute")
    assert isinstance(stmt, ast.CreateTable) and stmt.or_replace and stmt.if_not_exists
