"""Snowflake DML and queries: INSERT [OVERWRITE] INTO, UPDATE, DELETE, TRUNCATE, Time Travel in
FROM, the expressions Time Travel uses, identifiers and `//` comments."""

from __future__ import annotations

from typing import Any

import pytest

from cloneshell.grammar import ast
from cloneshell.grammar.errors import SqlSyntaxError
from cloneshell.grammar.parser import parse, parse_statement

SF = "snowflake"
MC = "maxcompute"


def ident(name: str, quoted: bool = False) -> ast.Ident:
    return ast.Ident(name=name, quoted=quoted)


def qn(*parts: str) -> ast.QualifiedName:
    return ast.QualifiedName(parts=tuple(ident(p) for p in parts))


def c(*parts: str) -> ast.ColumnRef:
    return ast.ColumnRef(parts=tuple(ident(p) for p in parts))


def n(value: int) -> ast.Literal:
    return ast.Literal(value=value, kind="integer", text=str(value))


def s(value: str) -> ast.Literal:
    return ast.Literal(value=value, kind="string", text=f"'{value}'")


def eq(left: ast.Expr, right: ast.Expr) -> ast.BinaryOp:
    return ast.BinaryOp(op="=", left=left, right=right)


def func(name: str, *args: ast.Expr, **kw: Any) -> ast.FuncCall:
    return ast.FuncCall(name=qn(*name.split(".")), args=args, **kw)


def table(
    *parts: str, alias: str | None = None, travel: ast.TimeTravel | None = None
) -> ast.TableRef:
    return ast.TableRef(name=qn(*parts), alias=ident(alias) if alias else None, time_travel=travel)


def sf(sql: str) -> ast.Statement:
    return parse_statement(sql, SF)


def select(sql: str, dialect: str = SF) -> ast.Select:
    stmt = parse_statement(sql, dialect)
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    return stmt.query.body


def expr(text: str, dialect: str = SF) -> ast.Expr:
    return select(f"SELECT {text}", dialect).items[0].expr


# ----------------------------------------------------------------------------- INSERT


def test_insert_overwrite_into() -> None:
    stmt = sf("INSERT OVERWRITE INTO t (a, b) SELECT x, y FROM s")
    assert isinstance(stmt, ast.Insert)
    assert (stmt.table, stmt.overwrite, stmt.columns) == (qn("t"), True, (ident("a"), ident("b")))
    assert isinstance(stmt.source, ast.Query)


def test_insert_into_values() -> None:
    assert sf("INSERT INTO db.s.t VALUES (1, 'a'), (2, 'b')") == ast.Insert(
        table=qn("db", "s", "t"),
        source=ast.Values(rows=((n(1), s("a")), (n(2), s("b")))),
    )


def test_both_insert_spellings_in_both_dialects() -> None:
    for dialect in (SF, MC):
        for sql in ("INSERT OVERWRITE INTO t VALUES (1)", "INSERT OVERWRITE TABLE t VALUES (1)"):
            stmt = parse_statement(sql, dialect)
            assert isinstance(stmt, ast.Insert) and stmt.overwrite, (sql, dialect)


def test_insert_partition_is_maxcompute_only() -> None:
    sql = "INSERT INTO t PARTITION (ds='1') VALUES (1)"
    with pytest.raises(SqlSyntaxError) as info:
        sf(sql)
    assert info.value.message == "PARTITION is not valid in Snowflake INSERT"
    assert info.value.span is not None
    assert sql[info.value.span.start : info.value.span.end] == "PARTITION (ds='1')"
    stmt = parse_statement(sql, MC)
    assert isinstance(stmt, ast.Insert) and stmt.partition is not None


# ----------------------------------------------------------------------------- UPDATE / DELETE


def test_update_with_alias_from_and_where() -> None:
    sql = "UPDATE t AS x SET a = 1, b = b + y.v FROM u y WHERE x.id = y.id"
    assert sf(sql) == ast.Update(
        table=qn("t"),
        alias=ident("x"),
        assignments=(
            ast.Assignment(column=ident("a"), value=n(1)),
            ast.Assignment(
                column=ident("b"), value=ast.BinaryOp(op="+", left=c("b"), right=c("y", "v"))
            ),
        ),
        from_=table("u", alias="y"),
        where=eq(c("x", "id"), c("y", "id")),
    )


def test_update_plain_and_in_maxcompute() -> None:
    expected = ast.Update(
        table=qn("t"), assignments=(ast.Assignment(column=ident("numeric"), value=n(0)),)
    )
    assert sf("update t set numeric = 0") == expected
    assert parse_statement("UPDATE t SET numeric = 0", MC) == expected


def test_update_alias_without_as() -> None:
    stmt = sf("UPDATE t x SET a = NULL WHERE x.a > 1")
    assert isinstance(stmt, ast.Update) and stmt.alias == ident("x")
    assert stmt.where == ast.BinaryOp(op=">", left=c("x", "a"), right=n(1))


def test_update_assignment_spans() -> None:
    sql = "UPDATE t SET a = 1,  b = 2"
    stmt = sf(sql)
    assert isinstance(stmt, ast.Update)
    assert [sql[a.span.start : a.span.end] for a in stmt.assignments] == ["a = 1", "b = 2"]


def test_delete() -> None:
    assert sf("DELETE FROM t") == ast.Delete(table=qn("t"))
    assert sf("DELETE FROM db.s.t AS x USING u, v WHERE x.id = u.id") == ast.Delete(
        table=qn("db", "s", "t"),
        alias=ident("x"),
        using=ast.Join(left=table("u"), right=table("v"), kind="CROSS"),
        where=eq(c("x", "id"), c("u", "id")),
    )
    assert parse_statement("DELETE FROM t WHERE a = 1", MC) == ast.Delete(
        table=qn("t"), where=eq(c("a"), n(1))
    )


@pytest.mark.parametrize(
    ("sql", "node"),
    [
        ("TRUNCATE t", ast.TruncateTable(table=qn("t"))),
        ("TRUNCATE TABLE t", ast.TruncateTable(table=qn("t"))),
        (
            "truncate table if exists db.s.t",
            ast.TruncateTable(table=qn("db", "s", "t"), if_exists=True),
        ),
        ("TRUNCATE IF EXISTS t", ast.TruncateTable(table=qn("t"), if_exists=True)),
    ],
)
def test_truncate(sql: str, node: ast.Statement) -> None:
    assert sf(sql) == node
    assert parse_statement(sql, MC) == node


def test_truncate_partition_is_maxcompute_only() -> None:
    sql = "TRUNCATE TABLE t PARTITION (a=1)"
    with pytest.raises(SqlSyntaxError) as info:
        sf(sql)
    assert info.value.message == "PARTITION is not valid in Snowflake TRUNCATE"
    stmt = parse_statement(sql, MC)
    assert isinstance(stmt, ast.TruncateTable) and len(stmt.partitions) == 1


# ----------------------------------------------------------------------------- Time Travel


def test_time_travel_on_both_sides_of_a_join_and_in_a_subquery() -> None:
    sql = """
        SELECT * FROM orders AT(OFFSET => -60*5) o
        JOIN (SELECT * FROM items BEFORE(STATEMENT => LAST_QUERY_ID()) i) x ON o.id = x.id
        LEFT JOIN db.s.refs AT(TIMESTAMP => '2024-01-15 10:00:00'::timestamp_ntz) AS r USING (id)
    """
    join = select(sql).from_
    assert isinstance(join, ast.Join) and join.kind == "LEFT" and join.using == (ident("id"),)
    inner = join.left
    assert isinstance(inner, ast.Join)
    five_minutes = ast.BinaryOp(op="*", left=ast.UnaryOp(op="-", operand=n(60)), right=n(5))
    assert inner.left == table(
        "orders", alias="o", travel=ast.TimeTravel(kind="AT", by="OFFSET", expr=five_minutes)
    )
    sub = inner.right
    assert isinstance(sub, ast.SubqueryRef) and sub.alias == ident("x")
    assert isinstance(sub.query.body, ast.Select)
    assert sub.query.body.from_ == table(
        "items",
        alias="i",
        travel=ast.TimeTravel(kind="BEFORE", by="STATEMENT", expr=func("LAST_QUERY_ID")),
    )
    ts = ast.Cast(expr=s("2024-01-15 10:00:00"), type=ast.TypeName(name="timestamp_ntz"))
    assert join.right == table(
        "db", "s", "refs", alias="r", travel=ast.TimeTravel(kind="AT", by="TIMESTAMP", expr=ts)
    )


def test_time_travel_inside_a_cte_body() -> None:
    stmt = sf("WITH old AS (SELECT * FROM t BEFORE(OFFSET => -30)) SELECT * FROM old")
    assert isinstance(stmt, ast.QueryStmt)
    body = stmt.query.with_[0].query.body
    assert isinstance(body, ast.Select) and isinstance(body.from_, ast.TableRef)
    assert body.from_.time_travel == ast.TimeTravel(
        kind="BEFORE", by="OFFSET", expr=ast.UnaryOp(op="-", operand=n(30))
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LAST_QUERY_ID()", func("LAST_QUERY_ID")),
        ("LAST_QUERY_ID(-2)", func("LAST_QUERY_ID", ast.UnaryOp(op="-", operand=n(2)))),
        (
            "TO_TIMESTAMP_LTZ('2024-01-15 10:00:00')",
            func("TO_TIMESTAMP_LTZ", s("2024-01-15 10:00:00")),
        ),
        (
            "DATEADD(minute, -5, CURRENT_TIMESTAMP())",
            func(
                "DATEADD",
                c("minute"),
                ast.UnaryOp(op="-", operand=n(5)),
                func("CURRENT_TIMESTAMP"),
            ),
        ),
        (
            "DATEADD(day, -1, current_timestamp)",
            func("DATEADD", c("day"), ast.UnaryOp(op="-", operand=n(1)), func("current_timestamp")),
        ),
        ("CURRENT_TIMESTAMP", func("CURRENT_TIMESTAMP")),
        ("current_date", func("current_date")),
        ('"CURRENT_DATE"', ast.ColumnRef(parts=(ident("CURRENT_DATE", True),))),  # quoted
        ("t.current_date", c("t", "current_date")),
        ("'2024-01-15'::date", ast.Cast(expr=s("2024-01-15"), type=ast.TypeName(name="date"))),
    ],
)
def test_time_travel_expressions(text: str, expected: ast.Expr) -> None:
    assert expr(text) == expected


def test_bare_current_timestamp_in_maxcompute_too() -> None:
    assert expr("CURRENT_TIMESTAMP", MC) == func("CURRENT_TIMESTAMP")


# ----------------------------------------------------------------------------- identifiers


def test_dollar_and_quoted_identifiers() -> None:
    body = select('SELECT a$1, "Mixed Case", "a""b" FROM "My Table" AS "T$"')
    assert [i.expr for i in body.items] == [
        c("a$1"),
        ast.ColumnRef(parts=(ident("Mixed Case", True),)),
        ast.ColumnRef(parts=(ident('a"b', True),)),
    ]
    assert body.from_ == ast.TableRef(
        name=ast.QualifiedName(parts=(ident("My Table", True),)), alias=ident("T$", True)
    )


def test_names_keep_their_spelling() -> None:
    stmt = sf('CREATE TABLE Sales."Public".T_Sales (Numeric INT)')
    assert isinstance(stmt, ast.CreateTable)
    assert stmt.name == ast.QualifiedName(
        parts=(ident("Sales"), ident("Public", True), ident("T_Sales"))
    )
    assert stmt.columns[0].name == ident("Numeric")


def test_database_dot_dot_object_is_the_public_schema() -> None:
    sql = "SELECT * FROM sales..t_sales"
    body = select(sql)
    assert body.from_ == table("sales", "PUBLIC", "t_sales")
    assert isinstance(body.from_, ast.TableRef)
    assert sql[body.from_.name.span.start : body.from_.name.span.end] == "sales..t_sales"
    assert sf("DROP TABLE db..t") == ast.DropObject(kind="TABLE", name=qn("db", "PUBLIC", "t"))
    with pytest.raises(SqlSyntaxError) as info:
        parse(sql, MC)
    assert info.value.token == "." and info.value.span is not None
    assert info.value.span.column == 21


# ----------------------------------------------------------------------------- comments


def test_double_slash_comments() -> None:
    script = "SELECT 1 // the first; not a separator\n; SELECT 2 // last"
    assert len(parse(script, SF)) == 2
    assert expr("4 / 2 // halves") == ast.BinaryOp(op="/", left=n(4), right=n(2))


def test_double_slash_inside_strings_and_set_values() -> None:
    assert expr("'http://x'") == s("http://x")
    assert parse_statement("SET k=oss://bucket//path", MC) == ast.SetStmt(
        key="k", value="oss://bucket//path"
    )
