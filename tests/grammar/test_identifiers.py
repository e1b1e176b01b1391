"""Common words stay usable as table and column names, in every position a name may take."""

from __future__ import annotations

import pytest

from cloneshell.grammar import ast
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
