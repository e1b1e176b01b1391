"""Common words stay usable as table and column names, in every position a name may take."""

from __future__ import annotations

import pytest

from cloneshell.grammar import ast
from cloneshell.grammar.errors import SqlSyntaxError
from cloneshell.grammar.keywords import KEYWORDS, NON_RESERVED
from cloneshell.grammar.parser import parse, parse_statement

# Positions a name may take; `{w}` is replaced by the word under test.
CONTEXTS = [
    "SELECT {w} FROM t",
    "SELECT a, {w}, b FROM t",
    "SELECT {w}.{w} FROM {w}",
    "SELECT a {w} FROM t",
    "SELECT a AS {w} FROM t",
    "SELECT a FROM t {w} WHERE 1 = 1",
    "SELECT a FROM p.{w} AS {w}",
    "SELECT {w}.* FROM t {w}",
    "SELECT * FROM t WHERE {w} = 1 AND a = {w} OR {w} IS NULL",
    "SELECT * FROM t WHERE {w} IN ({w}) AND {w} BETWEEN {w} AND {w} AND {w} LIKE {w}",
    "SELECT * FROM t GROUP BY {w} HAVING {w} > 1 ORDER BY {w} DESC LIMIT 1",
    "SELECT f({w}), CAST({w} AS int), {w}::int, -{w} FROM t",
    "SELECT CASE {w} WHEN {w} THEN {w} ELSE {w} END FROM t",
    "SELECT count(*) OVER (PARTITION BY {w} ORDER BY {w}) FROM t",
    "SELECT * FROM a JOIN {w} ON a.x = {w}.x JOIN b USING ({w})",
    "WITH {w} ({w}) AS (SELECT 1) SELECT * FROM {w}",
    "CREATE TABLE {w} ({w} STRING, b {w}) PARTITIONED BY ({w} STRING)",
    "CREATE TABLE t (a int, s struct<{w}:int>) CLUSTERED BY ({w}) SORTED BY ({w}) INTO 2 BUCKETS",
    "CREATE TABLE {w} LIKE {w}.{w}",
    "INSERT INTO {w} PARTITION ({w}='1', {w}) ({w}) SELECT 1",
    "ALTER TABLE {w} ADD PARTITION ({w}='1')",
    "DESC {w}",
    "DESC EXTENDED {w}.{w} PARTITION ({w}=1)",
    "DROP TABLE {w}",
    "TRUNCATE TABLE {w}",
    "SHOW PARTITIONS {w}",
    "SHOW TABLES IN {w}",
    "USE {w}",
    "CLONE TABLE {w} PARTITION ({w}='x') TO {w}",
    "CREATE PROJECT {w}",
    "CREATE ROLE {w}",
    "GRANT {w} TO bob",
    "GRANT Select ON TABLE {w} TO ROLE bob",
    "SELECT * FROM t AT(TIMESTAMP => {w})",
]

# Names that are not keywords at all, and the brief's list of common names that are.
COMMON_NAMES = sorted(
    {"name", "type", "value", "key", "id", "status", "data", "level", "year", "month", "day"}
    | {w.lower() for w in NON_RESERVED}
)


@pytest.mark.parametrize("word", COMMON_NAMES)
def test_common_names_in_every_position(word: str) -> None:
    for context in CONTEXTS:
        sql = context.format(w=word)
        assert len(parse(sql)) == 1, sql


def test_non_reserved_covers_the_common_column_names() -> None:
    wanted = {
        "COMMENT", "USER", "USERS", "ROLE", "ROLES", "REGION", "OWNER", "LOCATION", "LIFECYCLE",
        "DATE", "FLAGS", "PARTITIONS", "PROJECTS", "TABLES", "GRANTS", "OVERWRITE", "IGNORE",
        "EXTENDED", "OFFSET", "STATEMENT", "TIMESTAMP",
    }  # fmt: skip
    assert wanted <= NON_RESERVED <= KEYWORDS


def test_brief_examples() -> None:
    stmt = parse_statement(
        "CREATE TABLE t (id BIGINT, name STRING, comment STRING, date STRING, user STRING)"
    )
    assert isinstance(stmt, ast.CreateTable)
    assert [c.name.name for c in stmt.columns] == ["id", "name", "comment", "date", "user"]
    assert {c.type.name for c in stmt.columns} == {"bigint", "string"}
    query = parse_statement("SELECT comment, name FROM t")
    assert isinstance(query, ast.QueryStmt) and isinstance(query.query.body, ast.Select)
    assert [i.expr for i in query.query.body.items] == [
        ast.ColumnRef(parts=(ast.Ident(name="comment"),)),
        ast.ColumnRef(parts=(ast.Ident(name="name"),)),
    ]


def test_identifier_keeps_its_spelling() -> None:
    stmt = parse_statement("SELECT Comment, DATE FROM Users")
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    assert [i.expr for i in stmt.query.body.items] == [
        ast.ColumnRef(parts=(ast.Ident(name="Comment"),)),
        ast.ColumnRef(parts=(ast.Ident(name="DATE"),)),
    ]
    assert stmt.query.body.from_ == ast.TableRef(
        name=ast.QualifiedName(parts=(ast.Ident(name="Users"),))
    )


def test_dollar_inside_names() -> None:
    stmt = parse_statement("SELECT a$b FROM t$1")
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    assert stmt.query.body.items[0].expr == ast.ColumnRef(parts=(ast.Ident(name="a$b"),))


def test_keywords_act_as_names_where_no_keyword_fits() -> None:
    # The contextual lexer reads a keyword as a name wherever the keyword itself cannot come.
    stmt = parse_statement("SELECT select, from FROM table_x")
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    names = [i.expr for i in stmt.query.body.items]
    assert names == [
        ast.ColumnRef(parts=(ast.Ident(name="select"),)),
        ast.ColumnRef(parts=(ast.Ident(name="from"),)),
    ]


# Snowflake statements, with the words the brief wants usable as names.
SNOWFLAKE_CONTEXTS = [
    "CREATE TABLE {w} ({w} INTEGER, b {w}) DATA_RETENTION_TIME_IN_DAYS = 1",
    "CREATE OR REPLACE TABLE db.s.{w} CLONE db.s.{w} AT(OFFSET => -{w})",
    "CREATE SCHEMA {w}.{w} CLONE {w}.{w}",
    "CREATE DATABASE {w}",
    "INSERT INTO {w} ({w}) VALUES ({w})",
    "UPDATE {w} SET {w} = {w} FROM {w} WHERE {w}.{w} = 1",
    "DELETE FROM {w} USING {w} WHERE {w} = 1",
    "TRUNCATE TABLE {w}",
    "DROP SCHEMA {w}.{w}",
    "UNDROP TABLE {w}",
    "ALTER TABLE {w} RENAME TO {w}",
    "ALTER TABLE {w} SET COMMENT = 'x'",
    "USE SCHEMA {w}.{w}",
    "SHOW TABLES LIKE 'x' IN SCHEMA {w}.{w}",
    "DESC TABLE {w}",
    "GRANT SELECT ON TABLE {w} TO ROLE {w}",
    "GRANT ROLE {w} TO USER {w}",
    "SHOW GRANTS ON SCHEMA {w}",
    "SELECT {w}, {w} AS {w} FROM {w} AT(TIMESTAMP => {w}) {w}",
]
SNOWFLAKE_NAMES = [
    "numeric", "comment", "name", "value", "data", "kind", "owner", "role", "user", "schema",
    "database", "history", "retention_time", "created_on", "cluster_by", "rows", "bytes",
    "is_default", "options", "origin", "privilege", "granted_on", "grant_option",
]  # fmt: skip


@pytest.mark.parametrize("word", SNOWFLAKE_NAMES)
def test_snowflake_names_in_every_position(word: str) -> None:
    for context in SNOWFLAKE_CONTEXTS:
        sql = context.format(w=word)
        assert len(parse(sql, "snowflake")) == 1, sql


@pytest.mark.parametrize(
    "word", ["clone", "cluster", "copy", "set", "rename", "cascade", "starts", "partition"]
)
def test_keyword_after_a_name_is_reread_as_an_alias(word: str) -> None:
    # LALR merges the states after a name, so these keywords (which follow a name somewhere in
    # the grammar) lex as keywords after every name; the parser reads them again as names.
    stmt = parse_statement(f"SELECT a {word}, b FROM t {word} WHERE {word}.a = 1", "snowflake")
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    select = stmt.query.body
    assert select.items[0].alias == ast.Ident(name=word)
    assert select.from_ == ast.TableRef(
        name=ast.QualifiedName(parts=(ast.Ident(name="t"),)), alias=ast.Ident(name=word)
    )


def test_a_misplaced_keyword_is_still_reported_where_it_is() -> None:
    with pytest.raises(SqlSyntaxError) as info:
        parse("SELECT a FROM t CLONE s")
    assert info.value.token == "s"  # `clone` read as the alias, so `s` is the stray word
    with pytest.raises(SqlSyntaxError) as info:
        parse("DROP TABLE t SET")
    assert info.value.token == "SET"
    assert info.value.span is not None and info.value.span.column == 14
