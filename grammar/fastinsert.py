"""The AST of the simplest, most repeated statement, `INSERT INTO t VALUES (1, 'a', 2.5);`,
built without the LALR parser.

Scripts that load data are thousands of single-row INSERTs; through Lark each costs ~0.3 ms
(about 50 reductions, each building a tree node and propagating positions), most of a piped
script's time. `parse_simple_insert` recognises the plain form with a regular expression and
builds the very AST the parser would, spans included: `INSERT INTO name[.name] VALUES (v, ...)`,
an optional `;`, where each value is an integer or decimal literal (optionally negative), a
'...' string without quotes or backslashes inside, NULL, TRUE or FALSE. Anything else (a
column list, OVERWRITE, PARTITION, an expression, a comment, a reserved word as a name, several
rows) returns None, and the parser takes the statement as usual, errors included.
tests/grammar/test_fastinsert.py checks the two agree on every statement it generates."""

from __future__ import annotations

import re

from cloneshell.grammar import ast, keywords
from cloneshell.grammar.errors import Span

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_STATEMENT = re.compile(
    rf"(?P<insert>INSERT)\s+INTO\s+(?P<first>{_NAME})(?:\s*\.\s*(?P<second>{_NAME}))?"
    r"\s+(?P<values>VALUES)\s*\((?P<row>[^()]*)\)\s*;?\s*",
    re.IGNORECASE | re.ASCII,
)
_VALUE = re.compile(
    r"\s*(?:(?P<minus>-)?(?P<number>[0-9]+(?:\.[0-9]+)?)(?![A-Za-z0-9_.])"
    r"|(?P<string>'[^'\\\n]*')|(?P<word>NULL|TRUE|FALSE)(?![A-Za-z0-9_]))\s*(?P<end>,|\Z)",
    re.IGNORECASE | re.ASCII,
)


def parse_simple_insert(text: str) -> ast.Insert | None:
    """The AST of `text` if it is one plain single-row INSERT (see the module docstring)."""
    m = _STATEMENT.fullmatch(text.lstrip())
    if m is None or "--" in text or "/*" in text:
        return None
    base = len(text) - len(text.lstrip())
    lines = _Lines(text)
    names = [g for g in ("first", "second") if m.group(g) is not None]
    if any(_reserved(m.group(g)) for g in names):
        return None
    parts = tuple(
        ast.Ident(span=lines.span(base + m.start(g), base + m.end(g)), name=m.group(g))
        for g in names
    )
    table = ast.QualifiedName(span=lines.span(parts[0].span.start, parts[-1].span.end), parts=parts)
    row = _row(m.group("row"), base + m.start("row"), lines)
    if row is None:
        return None
    end = base + m.end("row") + 1  # the closing parenthesis
    source = ast.Values(span=lines.span(base + m.start("values"), end), rows=(row,))
    return ast.Insert(span=lines.span(base + m.start("insert"), end), table=table, source=source)


def _row(inner: str, offset: int, lines: _Lines) -> tuple[ast.Expr, ...] | None:
    values: list[ast.Expr] = []
    pos = 0
    while True:
        m = _VALUE.match(inner, pos)
        if m is None:
            return None
        values.append(_value(m, offset, lines))
        if m.group("end") == "":
            return tuple(values)
        pos = m.end()


def _value(m: re.Match[str], offset: int, lines: _Lines) -> ast.Expr:
    if m.group("number") is not None:
        start, end = offset + m.start("number"), offset + m.end("number")
        body = m.group("number")
        literal = ast.Literal(
            span=lines.span(start, end),
            value=body if "." in body else int(body),
            kind="decimal" if "." in body else "integer",
            text=body,
        )
        if m.group("minus") is None:
            return literal
        return ast.UnaryOp(span=lines.span(offset + m.start("minus"), end), op="-", operand=literal)
    group = "string" if m.group("string") is not None else "word"
    span = lines.span(offset + m.start(group), offset + m.end(group))
    if group == "string":
        text = m.group("string")
        return ast.Literal(span=span, value=text[1:-1], kind="string", text=text)
    word = m.group("word")
    upper = word.upper()
    if upper == "NULL":
        return ast.Literal(span=span, value=None, kind="null", text=word)
    return ast.Literal(span=span, value=upper == "TRUE", kind="boolean", text=word)


def _reserved(name: str) -> bool:
    upper = name.upper()
    return upper in keywords.KEYWORDS and upper not in keywords.NON_RESERVED


class _Lines:
    """Line and column (1-based) of offsets in a text, as the parser's spans count them."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._single = "\n" not in text

    def span(self, start: int, end: int) -> Span:
        if self._single:
            return Span(start, end, 1, start + 1, 1, end + 1)
        line, column = self._at(start)
        end_line, end_column = self._at(end)
        return Span(start, end, line, column, end_line, end_column)

    def _at(self, offset: int) -> tuple[int, int]:
        before = self._text.count("\n", 0, offset)
        return before + 1, offset - (self._text.rfind("\n", 0, offset) + 1) + 1
