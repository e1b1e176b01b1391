"""grammar/fastinsert.py builds the AST the LALR parser builds, spans included, or declines."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cloneshell.grammar import ast
from cloneshell.grammar.errors import SqlSyntaxError
from cloneshell.grammar.fastinsert import parse_simple_insert
from cloneshell.grammar.parser import _parse_tree, parse
from cloneshell.grammar.transformer import build_statements


def _by_parser(text: str, dialect: str) -> list[ast.Statement] | None:
    try:
        return build_statements(_parse_tree(text), text, dialect)
    except Exception:
        return None


def _spans(value: Any, path: str = "") -> list[tuple[str, str, object]]:
    """Every node under `value` with its span (node equality leaves spans out)."""
    if isinstance(value, tuple):
        return [s for i, v in enumerate(value) for s in _spans(v, f"{path}[{i}]")]
    if not isinstance(value, ast.Node):
        return []
    found = [(path, type(value).__name__, value.span)]
    for f in dataclasses.fields(value):
        if f.name != "span":
            found += _spans(getattr(value, f.name), f"{path}.{f.name}")
    return found


def _agree(text: str) -> bool:
    """True when the fast path built the statement (and asserts it equals the parser's)."""
    fast = parse_simple_insert(text)
    if fast is None:
        return False
    for dialect in ("maxcompute", "snowflake"):
        expected = _by_parser(text, dialect)
        assert expected == [fast], (text, dialect, expected)
        assert _spans(expected[0]) == _spans(fast), text
    return True


def test_the_plain_forms_take_the_fast_path_and_agree() -> None:
    for text in [
        "INSERT INTO t VALUES (1, 'customer-5', 12.5);",
        "insert into sales_data values (-3, NULL, true, FALSE, '', 007, 0.50)",
        "  INSERT INTO p . t VALUES ( 1 ,2 )  ;  ",
        "INSERT INTO t\nVALUES\n(1,\n  'two',\n  -3.25);\n",
        "INSERT INTO t VALUES (1)",
        "INSERT INTO user VALUES (1);",  # a non-reserved keyword is a name
    ]:
        assert _agree(text), text


def test_other_forms_are_left_to_the_parser() -> None:
    for text in [
        "INSERT INTO t (a) VALUES (1)",
        "INSERT OVERWRITE TABLE t VALUES (1)",
        "INSERT INTO TABLE t VALUES (1)",
        "INSERT INTO t VALUES (1), (2)",
        "INSERT INTO t VALUES (1 + 1)",
        "INSERT INTO t VALUES (- 1)",
        "INSERT INTO t VALUES (1e3, 2)",
        "INSERT INTO t VALUES ('it''s')",
        "INSERT INTO t VALUES ('a\\nb')",
        'INSERT INTO t VALUES ("dq")',
        "INSERT INTO t VALUES (1) -- note",
        "INSERT INTO t VALUES (1); SELECT 1",
        "INSERT INTO a.b.c VALUES (1)",
        "INSERT INTO select VALUES (1)",
        "INSERT INTO t VALUES ()",
        "INSERT INTO t VALUES (1,)",
        "INSERT INTO t VALUES (.5)",
        "INSERT INTO t VALUES (5.)",
        "INSERT INTO t PARTITION (d='1') VALUES (1)",
        "INSERT INTO `t` VALUES (1)",
    ]:
        assert parse_simple_insert(text) is None, text


def test_parse_uses_it_and_errors_still_come_from_the_parser(monkeypatch: Any) -> None:
    import cloneshell.grammar.parser as parser_module

    def no_parser(text: str) -> object:
        raise AssertionError("the LALR parser ran")

    monkeypatch.setattr(parser_module, "_parse_tree", no_parser)
    (stmt,) = parse("INSERT INTO t VALUES (1, 'x');", "snowflake")
    assert isinstance(stmt, ast.Insert) and stmt.source == ast.Values(
        rows=(
            (
                ast.Literal(value=1, kind="integer", text="1"),
                ast.Literal(value="x", kind="string", text="'x'"),
            ),
        )
    )
    monkeypatch.undo()
    try:
        parse("INSERT INTO t VALUES (1, 'x'")
    except SqlSyntaxError as e:
        assert "<EOF>" in str(e)
    else:  # pragma: no cover
        raise AssertionError("an unclosed row must fail")


_NAMES = st.sampled_from(
    [
        "t",
        "T",
        "sales_data",
        "t1",
        "_x",
        "user",
        "date",
        "comment",
        "clone",
        "stage",
        "task",
        "select",
        "values",
        "into",
        "table",
        "from",
        "null",
        "true",
        "a",
    ]
)
_SPACE = st.sampled_from(["", " ", "  ", "\n", "\t", " \n "])
_VALUE = st.one_of(
    st.integers(-(10**20), 10**20).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.text(st.sampled_from("ab -_,;()0.'\\\"\n\t€"), max_size=8).map(lambda s: f"'{s}'"),
    st.sampled_from(["NULL", "null", "TRUE", "false", "x", "1e3", ".5", "- 1", "--", "(1)"]),
)


@settings(max_examples=400, deadline=None)
@given(
    insert=st.sampled_from(["INSERT", "insert", "Insert"]),
    name=st.lists(_NAMES, min_size=1, max_size=3),
    values=st.lists(_VALUE, min_size=1, max_size=5),
    spaces=st.lists(_SPACE, min_size=12, max_size=12),
    end=st.sampled_from(["", ";", " ;", ";\n", ";;"]),
)
def test_generated_inserts_agree_with_the_parser(
    insert: str, name: list[str], values: list[str], spaces: list[str], end: str
) -> None:
    s = iter(spaces)
    table = (next(s) + "." + next(s)).join(name)
    row = ",".join(next(s) + v + next(s) for v in values[:3]) + ",".join(values[3:])
    text = f"{next(s)}{insert} INTO{next(s) or ' '}{table} VALUES{next(s)}({row}){next(s)}{end}"
    _agree(text)
