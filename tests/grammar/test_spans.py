"""Spans: 0-based offsets and 1-based line/column of statements and of nodes inside them."""

from __future__ import annotations

from cloneshell.grammar import ast
from cloneshell.grammar.errors import Span
from cloneshell.grammar.parser import parse, parse_statement


def text_of(source: str, span: Span) -> str:
    return source[span.start : span.end]


def test_statement_spans_in_a_script() -> None:
    source = "SHOW FLAGS;\n  USE p ;\n\nDESC\n  t"
    flags, use, desc = parse(source)
    assert flags.span == Span(0, 10, 1, 1, 1, 11)
    assert use.span == Span(14, 19, 2, 3, 2, 8)
    assert text_of(source, desc.span) == "DESC\n  t"
    assert (desc.span.line, desc.span.column, desc.span.end_line, desc.span.end_column) == (
        4,
        1,
        5,
        4,
    )


def test_inner_node_spans_on_several_lines() -> None:
    source = "SELECT a,\n       b + 1 AS c\nFROM   p.t\nWHERE  x = 'y'"
    stmt = parse_statement(source)
    assert isinstance(stmt, ast.QueryStmt)
    select = stmt.query.body
    assert isinstance(select, ast.Select)
    item = select.items[1]
    assert text_of(source, item.span) == "b + 1 AS c"
    assert (item.span.line, item.span.column) == (2, 8)
    assert isinstance(item.expr, ast.BinaryOp)
    assert text_of(source, item.expr.right.span) == "1"
    assert (item.expr.right.span.line, item.expr.right.span.column) == (2, 12)
    assert item.alias is not None and item.alias.span == Span(26, 27, 2, 17, 2, 18)
    assert isinstance(select.from_, ast.TableRef)
    name = select.from_.name
    assert text_of(source, name.span) == "p.t"
    assert (name.span.line, name.span.column) == (3, 8)
    assert (name.parts[1].span.line, name.parts[1].span.column) == (3, 10)
    assert select.where is not None and text_of(source, select.where.span) == "x = 'y'"
    assert (select.where.span.line, select.where.span.column) == (4, 8)


def test_parenthesized_expression_span_covers_parentheses_in_parent() -> None:
    source = "SELECT (1 + 2) * 3"
    e = parse_statement(source)
    assert isinstance(e, ast.QueryStmt) and isinstance(e.query.body, ast.Select)
    product = e.query.body.items[0].expr
    assert isinstance(product, ast.BinaryOp)
    assert text_of(source, product.span) == "(1 + 2) * 3"
    assert text_of(source, product.left.span) == "1 + 2"


def test_literal_text_and_span() -> None:
    source = "SELECT  DATE '2024-01-01', -- c\n 'x'"
    stmt = parse_statement(source)
    assert isinstance(stmt, ast.QueryStmt) and isinstance(stmt.query.body, ast.Select)
    first, second = (i.expr for i in stmt.query.body.items)
    assert isinstance(first, ast.Literal) and first.text == "DATE '2024-01-01'"
    assert text_of(source, first.span) == first.text
    assert second.span == Span(33, 36, 2, 2, 2, 5)


def test_principal_and_function_name_spans() -> None:
    source = "GRANT Select ON TABLE t TO USER ALIYUN$x@y.com"
    stmt = parse_statement(source)
    assert isinstance(stmt, ast.GrantPrivileges)
    assert text_of(source, stmt.grantee.span) == "ALIYUN$x@y.com"
    assert stmt.grantee.span.column == 33
    source = "SELECT  s.f(1)"
    call = parse_statement(source)
    assert isinstance(call, ast.QueryStmt) and isinstance(call.query.body, ast.Select)
    func = call.query.body.items[0].expr
    assert isinstance(func, ast.FuncCall)
    assert text_of(source, func.name.span) == "s.f"
    assert text_of(source, func.span) == "s.f(1)"


def test_nodes_compare_without_spans() -> None:
    assert parse_statement("DESC t") == parse_statement("  desc\n\tt")
