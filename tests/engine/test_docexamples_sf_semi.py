"""Snowflake's semi-structured functions against their pages' examples (docs.snowflake.com,
sql-reference/functions/<name>): the value as SnowSQL shows a VARIANT (pretty-printed JSON), or
the scalar the function returns. ARRAY_MAX/ARRAY_MIN return the element itself (20, not 20.0);
TO_JSON is a VARCHAR."""

from __future__ import annotations

import pytest

from cloneshell.engine import Rows, Session
from cloneshell.shell.render.snowflake import sf_value_text


def _a(*items: str) -> str:
    """An ARRAY as SnowSQL prints it."""
    return "[\n" + ",\n".join(f"  {i}" for i in items) + "\n]" if items else "[]"


def _o(*pairs: tuple[str, str]) -> str:
    """An OBJECT as SnowSQL prints it."""
    return "{\n" + ",\n".join(f'  "{k}": {v}' for k, v in pairs) + "\n}"


DOC_EXAMPLES = [
    ("ARRAY_CONSTRUCT(1, 2, 3)", _a("1", "2", "3")),
    ("ARRAY_CONSTRUCT(NULL, 'hello', 3::DOUBLE, 4, 5)", _a("null", '"hello"', "3.0", "4", "5")),
    ("ARRAY_CONSTRUCT()", "[]"),
    ("ARRAY_CONSTRUCT_COMPACT(NULL, 'hello', 3::DOUBLE, 4, 5)", _a('"hello"', "3.0", "4", "5")),
    ("ARRAY_APPEND(ARRAY_CONSTRUCT(1, 2, 3), 'HELLO')", _a("1", "2", "3", '"HELLO"')),
    ("ARRAY_PREPEND(ARRAY_CONSTRUCT(0, 1, 2, 3), 'hello')", _a('"hello"', "0", "1", "2", "3")),
    ("ARRAY_CAT(ARRAY_CONSTRUCT(1, 2), ARRAY_CONSTRUCT(3, 4))", _a("1", "2", "3", "4")),
    ("ARRAY_COMPACT(ARRAY_CONSTRUCT(1, NULL, 3))", _a("1", "3")),
    ("ARRAY_CONTAINS('hello'::VARIANT, ARRAY_CONSTRUCT('hello', 'hi'))", "True"),
    ("ARRAY_CONTAINS('hello'::VARIANT, ARRAY_CONSTRUCT('hola', 'bonjour'))", "False"),
    ("ARRAY_EXCEPT(['A', 'B'], ['B', 'C'])", _a('"A"')),
    ("ARRAY_FLATTEN([[1, 2, 3], [4], [5, 6]])", _a("1", "2", "3", "4", "5", "6")),
    ("ARRAY_GENERATE_RANGE(2, 5)", _a("2", "3", "4")),
    ("ARRAY_GENERATE_RANGE(5, 25, 10)", _a("5", "15")),
    ("ARRAY_INTERSECTION(ARRAY_CONSTRUCT('A', 'B'), ARRAY_CONSTRUCT('B', 'C'))", _a('"B"')),
    ("ARRAY_MAX([20, 0, NULL, 10, NULL])", "20"),
    ("ARRAY_MIN([20, 0, NULL, 10, NULL])", "0"),
    ("ARRAY_MAX([])", "NULL"),
    ("ARRAY_POSITION('hello'::VARIANT, ARRAY_CONSTRUCT('hello', 'hi'))", "0"),
    ("ARRAY_POSITION('hi'::VARIANT, ARRAY_CONSTRUCT('hello', 'hi'))", "1"),
    ("ARRAY_POSITION('hey'::VARIANT, ARRAY_CONSTRUCT('hello', 'hi'))", "NULL"),
    ("ARRAY_REVERSE([1, 2, 3, 4])", _a("4", "3", "2", "1")),
    ("ARRAY_SIZE(ARRAY_CONSTRUCT(1, 2, 3))", "3"),
    ("ARRAY_SIZE(PARSE_JSON('{\"a\": 1}'))", "NULL"),
    ("ARRAY_SLICE([0, 1, 2, 3, 4, 5, 6], 0, 2)", _a("0", "1")),
    ("ARRAY_SLICE([0, 1, 2, 3, 4, 5, 6], -5, -3)", _a("2", "3")),
    ("ARRAY_SLICE([0, 1, 2, 3, 4, 5, 6], 10, 12)", "[]"),
    ("ARRAY_TO_STRING(ARRAY_CONSTRUCT('a', 'b', 'c'), ', ')", "a, b, c"),
    ("ARRAYS_OVERLAP(ARRAY_CONSTRUCT('hello', 'aloha'), ARRAY_CONSTRUCT('hello', 'hi'))", "True"),
    ("ARRAYS_OVERLAP(ARRAY_CONSTRUCT('hello', 'aloha'), ARRAY_CONSTRUCT('hola', 'ciao'))", "False"),
    ("OBJECT_CONSTRUCT('a', 1, 'b', 'BBBB', 'c', NULL)", _o(("a", "1"), ("b", '"BBBB"'))),
    (
        "OBJECT_CONSTRUCT_KEEP_NULL('a', 1, 'b', 'BBBB', 'c', NULL)",
        _o(("a", "1"), ("b", '"BBBB"'), ("c", "null")),
    ),
    (
        "OBJECT_INSERT(OBJECT_CONSTRUCT('a', 1, 'b', 2), 'c', 3)",
        _o(("a", "1"), ("b", "2"), ("c", "3")),
    ),
    ("OBJECT_INSERT(OBJECT_CONSTRUCT('a', 1, 'b', 2), 'b', 3, TRUE)", _o(("a", "1"), ("b", "3"))),
    ("OBJECT_DELETE(OBJECT_CONSTRUCT('a', 1, 'b', 2, 'c', 3), 'a', 'b')", _o(("c", "3"))),
    ("OBJECT_PICK(OBJECT_CONSTRUCT('a', 1, 'b', 2, 'c', 3), 'a', 'b')", _o(("a", "1"), ("b", "2"))),
    ('OBJECT_KEYS(PARSE_JSON(\'{"a": 1, "b": [1, 2, 3]}\'))', _a('"a"', '"b"')),
    ("GET(ARRAY_CONSTRUCT(1, 2, 3), 1)", "2"),
    ("GET(PARSE_JSON('{\"a\": 1}'), 'a')", "1"),
    ("GET_PATH(PARSE_JSON('{\"a\": {\"b\": [1, 2]}}'), 'a.b[1]')", "2"),
    ('PARSE_JSON(\'{"a": {"b": [1, 2]}}\'):a.b[0]', "1"),
    ("TRY_PARSE_JSON('{\"a\" 1}')", "NULL"),
    ("CHECK_JSON('{\"a\": 1}')", "NULL"),
    ("TYPEOF(PARSE_JSON('1'))", "INTEGER"),
    ("TYPEOF(PARSE_JSON('\"x\"'))", "VARCHAR"),
    ("TYPEOF(PARSE_JSON('[1]'))", "ARRAY"),
    ("TYPEOF(PARSE_JSON('{}'))", "OBJECT"),
    ("TYPEOF(PARSE_JSON('null'))", "NULL_VALUE"),
    ("TYPEOF(PARSE_JSON('true'))", "BOOLEAN"),
    ("IS_ARRAY(PARSE_JSON('[1]'))", "True"),
    ("IS_OBJECT(PARSE_JSON('[1]'))", "False"),
    ("IS_INTEGER(PARSE_JSON('1'))", "True"),
    ("IS_DECIMAL(PARSE_JSON('1.5'))", "True"),
    ("IS_DOUBLE(PARSE_JSON('1.5'))", "True"),
    ("IS_REAL(PARSE_JSON('1.5'))", "True"),
    ("IS_VARCHAR(PARSE_JSON('\"a\"'))", "True"),
    ("IS_CHAR(PARSE_JSON('\"a\"'))", "True"),
    ("IS_BOOLEAN(PARSE_JSON('true'))", "True"),
    ("IS_NULL_VALUE(PARSE_JSON('{\"a\": null}'):a)", "True"),
    ("AS_INTEGER(PARSE_JSON('7'))", "7"),
    ("AS_INTEGER(PARSE_JSON('\"x\"'))", "NULL"),
    ("AS_NUMBER(PARSE_JSON('7'))", "7"),
    ("AS_DECIMAL(PARSE_JSON('7'))", "7"),
    ("AS_DOUBLE(PARSE_JSON('1.5'))", "1.5"),
    ("AS_REAL(PARSE_JSON('1.5'))", "1.5"),
    ("AS_VARCHAR(PARSE_JSON('\"x\"'))", "x"),
    ("AS_CHAR(PARSE_JSON('\"x\"'))", "x"),
    ("AS_BOOLEAN(PARSE_JSON('true'))", "True"),
    ("AS_ARRAY(PARSE_JSON('[1]'))", _a("1")),
    ("AS_OBJECT(PARSE_JSON('{\"a\": 1}'))", _o(("a", "1"))),
    ("TO_ARRAY(1)", _a("1")),
    ("TO_OBJECT(PARSE_JSON('{\"a\": 1}'))", _o(("a", "1"))),
    ("TO_VARIANT(3.14)", "3.14"),
    ("TO_JSON(PARSE_JSON('{\"a\": 1}'))", '{"a":1}'),
]


@pytest.mark.parametrize(("sql", "expected"), DOC_EXAMPLES, ids=[c[0][:60] for c in DOC_EXAMPLES])
def test_documented_result(sf: Session, sql: str, expected: str) -> None:
    (result,) = sf.execute(f"SELECT {sql}")
    assert isinstance(result, Rows)
    assert sf_value_text(result.rows[0][0], result.columns[0].type) == expected


def test_to_json_is_a_varchar_and_array_max_keeps_the_element(sf: Session) -> None:
    (result,) = sf.execute(
        "SELECT TO_JSON(PARSE_JSON('{\"a\": 1}')), ARRAY_MAX([1.5, 3, -2]), ARRAY_MIN([1.5, 3])"
    )
    assert isinstance(result, Rows)
    assert [c.type for c in result.columns] == ["TEXT", "VARIANT", "VARIANT"]
    assert result.rows[0] == ('{"a":1}', "3", "1.5")
