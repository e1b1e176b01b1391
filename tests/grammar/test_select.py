"""Queries and expressions: clauses, joins, set operations, literals and operator precedence."""

from __future__ import annotations

from typing import Any

import pytest

from cloneshell.grammar import ast
from cloneshell.grammar.errors import SqlSyntaxError
from cloneshell.grammar.parser import parse_statement


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


def b(op: str, left: ast.Expr, right: ast.Expr) -> ast.BinaryOp:
    return ast.BinaryOp(op=op, left=left, right=right)


def query(sql: str, dialect: str = "maxcompute") -> ast.Query:
    stmt = parse_statement(sql, dialect)
    assert isinstance(stmt, ast.QueryStmt)
    return stmt.query


def select(sql: str) -> ast.Select:
    body = query(sql).body
    assert isinstance(body, ast.Select)
    return body


def expr(text: str, dialect: str = "maxcompute") -> ast.Expr:
    body = query(f"SELECT {text}", dialect).body
    assert isinstance(body, ast.Select)
    return body.items[0].expr


def func(name: str, *args: ast.Expr, **kw: Any) -> ast.FuncCall:
    return ast.FuncCall(name=qn(*name.split(".")), args=args, **kw)


# ----------------------------------------------------------------------------- clauses


def test_full_select() -> None:
    q = query(
        "WITH a (x, y) AS (SELECT 1, 2), b AS (SELECT x FROM a) "
        "SELECT DISTINCT a.x AS ax, b.*, y FROM a, b WHERE a.x = b.x GROUP BY a.x, y "
        "HAVING count(*) > 1 QUALIFY rn = 1 ORDER BY 1 DESC, y NULLS FIRST, 3 ASC NULLS LAST "
        "LIMIT 10 OFFSET 5"
    )
    assert [cte.name for cte in q.with_] == [ident("a"), ident("b")]
    assert q.with_[0].columns == (ident("x"), ident("y"))
    assert q.order_by == (
        ast.OrderItem(expr=n(1), desc=True),
        ast.OrderItem(expr=c("y"), nulls="FIRST"),
        ast.OrderItem(expr=n(3), nulls="LAST"),
    )
    assert (q.limit, q.offset) == (n(10), n(5))
    body = q.body
    assert isinstance(body, ast.Select)
    assert body.distinct is True
    assert body.items == (
        ast.SelectItem(expr=c("a", "x"), alias=ident("ax")),
        ast.SelectItem(expr=ast.Star(qualifier=qn("b"))),
        ast.SelectItem(expr=c("y")),
    )
    assert body.from_ == ast.Join(
        left=ast.TableRef(name=qn("a")), right=ast.TableRef(name=qn("b")), kind="CROSS"
    )
    assert body.where == b("=", c("a", "x"), c("b", "x"))
    assert body.group_by == (c("a", "x"), c("y"))
    assert body.having == b(">", func("count", star=True), n(1))
    assert body.qualify == b("=", c("rn"), n(1))


def test_select_without_from_and_select_all() -> None:
    assert select("SELECT 1") == ast.Select(items=(ast.SelectItem(expr=n(1)),))
    assert select("SELECT ALL a").distinct is False


def test_limit_comma_form() -> None:
    q = query("SELECT a FROM t LIMIT 5, 10")
    assert (q.limit, q.offset) == (n(10), n(5))


def test_aliases_with_and_without_as() -> None:
    items = select('SELECT a b, c AS d, e comment, f AS "Q", g `h` FROM t').items
    assert [i.alias for i in items] == [
        ident("b"),
        ident("d"),
        ident("comment"),
        ident("Q", quoted=True),
        ident("h", quoted=True),
    ]


# ----------------------------------------------------------------------------- from


def from_(sql: str) -> ast.FromItem | None:
    return select(f"SELECT * FROM {sql}").from_


@pytest.mark.parametrize(
    ("op", "kind"),
    [
        ("JOIN", "INNER"),
        ("INNER JOIN", "INNER"),
        ("LEFT JOIN", "LEFT"),
        ("LEFT OUTER JOIN", "LEFT"),
        ("RIGHT JOIN", "RIGHT"),
        ("right outer join", "RIGHT"),
        ("FULL JOIN", "FULL"),
        ("FULL OUTER JOIN", "FULL"),
        ("LEFT SEMI JOIN", "LEFT SEMI"),
        ("LEFT ANTI JOIN", "LEFT ANTI"),
    ],
)
def test_join_kinds(op: str, kind: str) -> None:
    assert from_(f"a {op} b ON a.id = b.id") == ast.Join(
        left=ast.TableRef(name=qn("a")),
        right=ast.TableRef(name=qn("b")),
        kind=kind,  # type: ignore[arg-type]
        on=b("=", c("a", "id"), c("b", "id")),
    )


def test_cross_join_using_and_chains_are_left_deep() -> None:
    item = from_("a CROSS JOIN b JOIN c x USING (id, ds)")
    assert item == ast.Join(
        left=ast.Join(
            left=ast.TableRef(name=qn("a")), right=ast.TableRef(name=qn("b")), kind="CROSS"
        ),
        right=ast.TableRef(name=qn("c"), alias=ident("x")),
        using=(ident("id"), ident("ds")),
    )


def test_parenthesized_join_and_subqueries() -> None:
    item = from_("(a JOIN b ON x) JOIN (SELECT 1) AS s ON y")
    assert isinstance(item, ast.Join)
    assert item.left == ast.Join(
        left=ast.TableRef(name=qn("a")), right=ast.TableRef(name=qn("b")), on=c("x")
    )
    assert isinstance(item.right, ast.SubqueryRef)
    assert item.right.alias == ident("s")
    nested = from_("((SELECT 1)) t")
    assert isinstance(nested, ast.SubqueryRef) and nested.alias == ident("t")
    inner = from_("((SELECT 1) x JOIN y ON z)")
    assert isinstance(inner, ast.Join) and isinstance(inner.left, ast.SubqueryRef)


def test_table_alias_and_qualified_names() -> None:
    assert from_("p.s.t AS x") == ast.TableRef(name=qn("p", "s", "t"), alias=ident("x"))
    with pytest.raises(SqlSyntaxError):
        from_("a.b.c.d")


@pytest.mark.parametrize(
    ("clause", "kind", "by", "value"),
    [
        ("AT(TIMESTAMP => '2024-01-01')", "AT", "TIMESTAMP", s("2024-01-01")),
        ("at (offset => -60)", "AT", "OFFSET", ast.UnaryOp(op="-", operand=n(60))),
        ("BEFORE(STATEMENT => 'q1')", "BEFORE", "STATEMENT", s("q1")),
    ],
)
def test_time_travel(clause: str, kind: str, by: str, value: ast.Expr) -> None:
    item = from_(f"t {clause} AS x")
    assert item == ast.TableRef(
        name=qn("t"),
        alias=ident("x"),
        time_travel=ast.TimeTravel(kind=kind, by=by, expr=value),  # type: ignore[arg-type]
    )


def test_table_function() -> None:
    item = from_("TABLE(information_schema.task_history(1)) th")
    assert item == ast.TableFunctionRef(
        func=func("information_schema.task_history", n(1)), alias=ident("th")
    )


# ----------------------------------------------------------------------------- set operations


def test_set_operations_precedence_and_minus() -> None:
    q = query("SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3 MINUS SELECT 4 LIMIT 1")
    one, two, three, four = (select(f"SELECT {i}") for i in range(1, 5))
    assert q.limit == n(1)
    assert q.body == ast.SetOp(
        op="EXCEPT",
        all=False,
        left=ast.SetOp(
            op="UNION",
            all=True,
            left=one,
            right=ast.SetOp(op="INTERSECT", all=False, left=two, right=three),
        ),
        right=four,
    )


def test_parenthesized_query_bodies() -> None:
    q = query("(SELECT 1) UNION DISTINCT (SELECT 2 LIMIT 1) ORDER BY 1")
    assert q.order_by == (ast.OrderItem(expr=n(1)),)
    assert isinstance(q.body, ast.SetOp)
    assert q.body.left == select("SELECT 1")
    assert q.body.right == ast.Query(body=select("SELECT 2"), limit=n(1))
    assert query("(SELECT 1)") == query("SELECT 1")


# ----------------------------------------------------------------------------- precedence


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("1 + 2 * 3", b("+", n(1), b("*", n(2), n(3)))),
        ("1 - 2 - 3", b("-", b("-", n(1), n(2)), n(3))),
        ("(1 + 2) * 3", b("*", b("+", n(1), n(2)), n(3))),
        ("a || b + c", b("+", b("||", c("a"), c("b")), c("c"))),
        ("a DIV b % c", b("%", b("DIV", c("a"), c("b")), c("c"))),
        ("a OR b AND c", b("OR", c("a"), b("AND", c("b"), c("c")))),
        ("NOT a = b", ast.UnaryOp(op="NOT", operand=b("=", c("a"), c("b")))),
        ("NOT a AND b", b("AND", ast.UnaryOp(op="NOT", operand=c("a")), c("b"))),
        ("a = 1 OR NOT b", b("OR", b("=", c("a"), n(1)), ast.UnaryOp(op="NOT", operand=c("b")))),
        ("a < b + 1", b("<", c("a"), b("+", c("b"), n(1)))),
        ("a | b & c", b("&", b("|", c("a"), c("b")), c("c"))),
        ("a ^ b + c", b("^", c("a"), b("+", c("b"), c("c")))),
        ("a = b | c", b("=", c("a"), b("|", c("b"), c("c")))),
        ("-a * b", b("*", ast.UnaryOp(op="-", operand=c("a")), c("b"))),
        (
            "-a::int",
            ast.UnaryOp(op="-", operand=ast.Cast(expr=c("a"), type=ast.TypeName(name="int"))),
        ),
        ("~a", ast.UnaryOp(op="~", operand=c("a"))),
        (
            "a::decimal(5,1)",
            ast.Cast(expr=c("a"), type=ast.TypeName(name="decimal", params=(5, 1))),
        ),
    ],
)
def test_operator_precedence(text: str, tree: ast.Expr) -> None:
    assert expr(text) == tree


@pytest.mark.parametrize("op", ["=", "==", "<>", "!=", "<", "<=", ">", ">=", "<=>"])
def test_comparison_operators(op: str) -> None:
    assert expr(f"a {op} 1") == b(op, c("a"), n(1))


def test_predicates() -> None:
    assert expr("a IN (1, 2)") == ast.InList(expr=c("a"), items=(n(1), n(2)))
    assert expr("a NOT IN (1)") == ast.InList(expr=c("a"), items=(n(1),), negated=True)
    sub = expr("a NOT IN (SELECT x FROM t)")
    assert isinstance(sub, ast.InSubquery) and sub.negated
    assert expr("a BETWEEN 1 AND 2 AND b") == b(
        "AND", ast.Between(expr=c("a"), low=n(1), high=n(2)), c("b")
    )
    assert expr("a NOT BETWEEN 1 + 1 AND 3") == ast.Between(
        expr=c("a"), low=b("+", n(1), n(1)), high=n(3), negated=True
    )
    assert expr("a LIKE 'x%'") == ast.Like(expr=c("a"), pattern=s("x%"))
    assert expr("a NOT ILIKE 'x'") == ast.Like(
        expr=c("a"), pattern=s("x"), op="ILIKE", negated=True
    )
    assert expr("a RLIKE 'x'") == ast.Like(expr=c("a"), pattern=s("x"), op="RLIKE")
    assert expr("a REGEXP 'x'") == ast.Like(expr=c("a"), pattern=s("x"), op="RLIKE")
    assert expr("a IS NULL") == ast.IsNull(expr=c("a"))
    assert expr("a IS NOT NULL") == ast.IsNull(expr=c("a"), negated=True)


def test_exists_and_subqueries() -> None:
    inner = query("SELECT 1")
    assert expr("EXISTS (SELECT 1)") == ast.Exists(query=inner)
    assert expr("NOT EXISTS (SELECT 1)") == ast.Exists(query=inner, negated=True)
    assert expr("(SELECT 1)") == ast.ScalarSubquery(query=inner)
    assert expr("((SELECT 1))") == ast.ScalarSubquery(query=inner)
    assert expr("(SELECT 1) + 1") == b("+", ast.ScalarSubquery(query=inner), n(1))


# ----------------------------------------------------------------------------- primaries


def test_function_calls() -> None:
    assert expr("count(*)") == func("count", star=True)
    assert expr("COUNT(DISTINCT a, b)") == func("COUNT", c("a"), c("b"), distinct=True)
    assert expr("now()") == func("now")
    assert expr("p.s.f(1)") == func("p.s.f", n(1))
    for name in ("if", "left", "right", "replace", "date", "timestamp"):
        assert expr(f"{name}(a, 1)") == func(name, c("a"), n(1))


def test_window_functions() -> None:
    e = expr(
        "row_number() OVER (PARTITION BY a, b ORDER BY c DESC "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING)"
    )
    assert e == func(
        "row_number",
        over=ast.WindowSpec(
            partition_by=(c("a"), c("b")),
            order_by=(ast.OrderItem(expr=c("c"), desc=True),),
            frame=ast.WindowFrame(unit="ROWS", start="UNBOUNDED PRECEDING", end="2 FOLLOWING"),
        ),
    )
    e = expr("sum(x) OVER (ORDER BY y RANGE CURRENT ROW)")
    assert isinstance(e, ast.FuncCall) and e.over is not None
    assert e.over.frame == ast.WindowFrame(unit="RANGE", start="CURRENT ROW")
    assert expr("sum(x) OVER ()") == func("sum", c("x"), over=ast.WindowSpec())


def test_cast_case_interval() -> None:
    assert expr("CAST(a AS ARRAY<string>)") == ast.Cast(
        expr=c("a"), type=ast.TypeName(name="array", args=(ast.TypeName(name="string"),))
    )
    assert expr("CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'y' ELSE 'z' END") == ast.Case(
        operand=c("a"), whens=((n(1), s("x")), (n(2), s("y"))), else_=s("z")
    )
    assert expr("CASE WHEN a > 1 THEN 2 END") == ast.Case(
        operand=None, whens=((b(">", c("a"), n(1)), n(2)),)
    )
    assert expr("INTERVAL '1' DAY") == ast.IntervalLit(value=s("1"), unit="DAY")
    assert expr("interval 3 hour") == ast.IntervalLit(value=n(3), unit="HOUR")
    assert expr("INTERVAL -2 day") == ast.IntervalLit(
        value=ast.Literal(value=-2, kind="integer", text="-2"), unit="DAY"
    )


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("42", 42, "integer"),
        ("1Y", 1, "integer"),
        ("2s", 2, "integer"),
        ("100L", 100, "integer"),
        ("1.5", "1.5", "decimal"),
        (".5", ".5", "decimal"),
        ("3.5BD", "3.5", "decimal"),
        ("10bd", "10", "decimal"),
        ("1e3", 1000.0, "float"),
        ("2.5E-1", 0.25, "float"),
        ("3.14D", 3.14, "float"),
        ("2F", 2.0, "float"),
        ("TRUE", True, "boolean"),
        ("false", False, "boolean"),
        ("NULL", None, "null"),
        ("'it''s'", "it's", "string"),
        (r"'a\'b\\c\nd\te'", "a'b\\c\nd\te", "string"),
        (r"'50\%'", "50\\%", "string"),
        ("DATE '2024-01-01'", "2024-01-01", "date"),
        ("datetime '2024-01-01 00:00:00'", "2024-01-01 00:00:00", "datetime"),
        ("TIMESTAMP '2024-01-01 00:00:00.123456789'", "2024-01-01 00:00:00.123456789", "timestamp"),
        ("X'616263'", b"abc", "binary"),
        ("x''", b"", "binary"),
    ],
)
def test_literals(text: str, value: object, kind: str) -> None:
    assert expr(text) == ast.Literal(value=value, kind=kind, text=text)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["1.5L", "1e3Y", "X'123'"])
def test_bad_literals(text: str) -> None:
    with pytest.raises(SqlSyntaxError) as info:
        expr(text)
    assert info.value.token == text


def test_number_then_word_is_an_alias() -> None:
    item = select("SELECT 1year").items[0]
    assert item == ast.SelectItem(expr=n(1), alias=ident("year"))


# ----------------------------------------------------------------------------- double quotes


def test_double_quotes_are_strings_in_maxcompute_expressions() -> None:
    assert expr('"abc"') == ast.Literal(value="abc", kind="string", text='"abc"')
    assert expr(r'"a\"b"') == ast.Literal(value='a"b', kind="string", text=r'"a\"b"')
    assert expr("concat(\"a\", 'b')") == func(
        "concat", ast.Literal(value="a", kind="string", text='"a"'), s("b")
    )
    # Qualified, they can only be names.
    assert expr('"t"."c"') == ast.ColumnRef(parts=(ident("t", True), ident("c", True)))


def test_double_quotes_are_identifiers_in_snowflake() -> None:
    assert expr('"My Col"', dialect="snowflake") == ast.ColumnRef(parts=(ident("My Col", True),))
    assert expr('"a""b"', dialect="snowflake") == ast.ColumnRef(parts=(ident('a"b', True),))


def test_double_quoted_table_names_are_identifiers_in_both_dialects() -> None:
    for dialect in ("maxcompute", "snowflake"):
        body = query('SELECT * FROM "My Table"', dialect).body
        assert isinstance(body, ast.Select)
        assert body.from_ == ast.TableRef(name=ast.QualifiedName(parts=(ident("My Table", True),)))


def test_backquoted_identifiers() -> None:
    assert expr("`select`") == ast.ColumnRef(parts=(ident("select", True),))
    assert expr("`a``b`") == ast.ColumnRef(parts=(ident("a`b", True),))
    assert expr("t.`x y`") == ast.ColumnRef(parts=(ident("t"), ident("x y", True)))
