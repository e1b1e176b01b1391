"""What every AST builder module shares: the bottom-up walk over a parse tree, the clause
values (`Opts`) that rules hand to their statement, `_make` (which fills a node from its
children and refuses a clause the dialect does not accept, per grammar/dialects.py), and the
helpers for spans and quoted text.

Clause rules (WHERE, LIFECYCLE, COMMENT, IF NOT EXISTS, ...) become `Opts`, a dict of keyword
arguments that the enclosing rule passes to its node, so clause order and optional clauses need
no code. Other children are matched to the node's fields by type, in order.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from lark.lexer import Token
from lark.tree import Meta, Tree

from cloneshell.grammar import ast, keywords
from cloneshell.grammar.dialects import GrammarDialect, StatementRules
from cloneshell.grammar.errors import Span, SqlSyntaxError
from cloneshell.grammar.lalr import token_span as token_span
from cloneshell.grammar.records import record

MAX_DEPTH = 300
"""Deepest parse tree accepted. Deeper statements (hundreds of nested subqueries, or a chain of
hundreds of ORs) would make every recursive walk over the AST risk Python's recursion limit."""

N = TypeVar("N", bound=ast.Node)
Callback = Callable[[Any, Meta, list[Any]], Any]

# Backslash escapes of MaxCompute string literals. `\%` and `\_` keep their backslash so that
# LIKE patterns can still tell an escaped wildcard from a plain one; other unknown escapes drop it.
_ESCAPES = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "0": "\0",
    "Z": "\x1a",
    "%": "\\%",
    "_": "\\_",
}
_ESCAPE_RE = {q: re.compile(r"\\([\s\S])|" + q + q) for q in "'\""}


_FIELDS: dict[type, frozenset[str]] = {}


def _fields(cls: type) -> frozenset[str]:
    """The keyword arguments node class `cls` takes (computed once per class)."""
    known = _FIELDS.get(cls)
    if known is None:
        known = _FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls))
    return known


class Opts(dict[str, Any]):
    """Keyword arguments contributed by one clause, with the clause's span (for errors) and the
    grammar rule that read it (`clause`, set by the walk; what grammar/dialects.py lists). A
    clause of None is one the builder made itself, from the statement's own words: always
    accepted."""

    clause: str | None

    def __init__(self, span: Span, clause: str | None = None, /, **values: Any) -> None:
        super().__init__(values)
        self.span = span
        self.clause = clause

    def replaced(self, **values: Any) -> Opts:
        """The same clause, giving `values` instead."""
        return Opts(self.span, self.clause, **values)


@record(frozen=True, slots=True)
class Words:
    """A privilege of several words (`CREATE TABLE`, `ALL PRIVILEGES`), as written."""

    tokens: tuple[Token, ...]
    span: Span


def meta_span(meta: Meta) -> Span:
    """The span of a rule's text."""
    return Span(
        meta.start_pos, meta.end_pos, meta.line, meta.column, meta.end_line, meta.end_column
    )


def cover(first: Span, last: Span) -> Span:
    """The span from the start of `first` to the end of `last`."""
    return Span(first.start, last.end, first.line, first.column, last.end_line, last.end_column)


def unquote(quoted: str) -> str:
    """Quoted text without its quotes: doubled quotes become one; in '…' and "…" strings
    backslash escapes are resolved too; `$$…$$` keeps its text as written."""
    if quoted.startswith("$$"):  # Snowflake's dollar-quoted constant: taken as written
        return quoted[2:-2]
    quote, body = quoted[0], quoted[1:-1]
    if quote == "`":
        return body.replace("``", "`")

    def escape(m: re.Match[str]) -> str:
        char = m.group(1)
        if char is None:  # a doubled quote
            return quote
        return _ESCAPES.get(char, char)

    return _ESCAPE_RE[quote].sub(escape, body)


def make_node(cls: type[ast.Node], **slots: type | tuple[type, ...]) -> Callback:
    """A callback building `cls` from its children (see BuilderBase._make)."""

    def build(self: BuilderBase, meta: Meta, children: list[Any]) -> ast.Node:
        return self._make(cls, meta, children, **slots)

    return build


def flag(key: str) -> Callback:
    """A callback for a keyword clause that only sets `key=True` (IF EXISTS, EXTERNAL ...)."""

    def build(self: BuilderBase, meta: Meta, children: list[Any]) -> Opts:
        return Opts(meta_span(meta), **{key: True})

    return build


def clause(key: str) -> Callback:
    """A callback for a clause whose only child is the value of `key` (COMMENT 'c', WHERE e ...)."""

    def build(self: BuilderBase, meta: Meta, children: list[Any]) -> Opts:
        (value,) = children
        return Opts(meta_span(meta), **{key: value})

    return build


def joined_words(self: BuilderBase, meta: Meta, children: list[Any]) -> str:
    """A callback for an operator or a frame bound: its words, upper case, one space apart."""
    return " ".join(str(t).upper() for t in children)


def first_token(self: BuilderBase, meta: Meta, children: list[Any]) -> Token:
    """A callback for a rule that only picks one keyword (a `drop_kind`, a `show_kind`)."""
    token: Token = children[0]
    return token


class BuilderBase:
    """Builds AST nodes from a parse tree of dialect.lark, bottom-up: one method per rule name,
    called with the rule's Meta (positions) and its already-built children. The rule methods
    live in the builder modules of this package, one class per concern; grammar/transformer.py
    composes them, with one dialect's forms, into that dialect's builder.

    `dialect` is the dialect's reading of the grammar (grammar/dialects.py); `text` is the parsed
    source (for Literal.text and quote detection).
    """

    dialect: ClassVar[GrammarDialect]

    def __init__(self, text: str) -> None:
        self._source = text

    def build(self, tree: Tree[Token]) -> Any:
        """The value of the tree's root rule (a list of statements for `start`)."""
        # Iterative, unlike lark.Transformer, so that depth is checked before any recursion
        # could happen and a deep tree costs no Python stack.
        postorder: list[Tree[Token] | Token] = []
        pending: list[tuple[Tree[Token] | Token, int]] = [(tree, 1)]
        while pending:
            item, depth = pending.pop()
            postorder.append(item)
            if isinstance(item, Tree):
                if depth > MAX_DEPTH:
                    span = meta_span(item.meta)
                    found = self._source[span.start : span.end].split(maxsplit=1)
                    raise SqlSyntaxError(
                        "statement too deeply nested", span, found[0] if found else None
                    )
                pending.extend((child, depth + 1) for child in item.children)
        values: list[Any] = []
        for item in reversed(postorder):
            if isinstance(item, Tree):
                size = len(item.children)
                children = values[len(values) - size :]
                del values[len(values) - size :]
                value = getattr(self, item.data)(item.meta, children)
                if type(value) is Opts:
                    value.clause = str(item.data)  # the rule (or alias) that read the clause
                values.append(value)
            else:
                values.append(item)
        return values[0]

    # ------------------------------------------------------------------------- making nodes

    def _make(
        self, cls: type[N], meta: Meta, children: list[Any], **slots: type | tuple[type, ...]
    ) -> N:
        """Build `cls`: `Opts` children give keyword arguments; every other child fills the
        first still-empty slot (field name -> accepted types) whose type it has.

        For a statement, each clause must be one its dialect accepts there (grammar/dialects.py);
        any other is refused with its span. OR REPLACE and IF NOT EXISTS are checked first.
        """
        return self._make_as(None, cls, meta, children, **slots)

    def _make_as(
        self,
        title: str | None,
        cls: type[N],
        meta: Meta,
        children: list[Any],
        **slots: type | tuple[type, ...],
    ) -> N:
        """_make, naming the statement as `title` when a clause is refused (default: the
        table's title of `cls`)."""
        # Only statements are in the table; a smaller node's clauses are all its own.
        rules = self.dialect.statements[cls] if issubclass(cls, ast.Statement) else None
        if rules is not None and rules.exclusive_replace:
            self._check_replace(children)
        kwargs: dict[str, Any] = {}
        free = list(slots.items())
        for child in children:
            if isinstance(child, Opts):
                if rules is not None:
                    self._accept_clause(rules, child, title)
                for key in child:
                    if key not in _fields(cls):  # a clause this node has no room for
                        word = self._source[child.span.start : child.span.end].split()[0]
                        raise SqlSyntaxError(f"unexpected {word.upper()} here", child.span, word)
                    if key in kwargs:
                        word = self._source[child.span.start : child.span.end].split()[0]
                        raise SqlSyntaxError(f"duplicate {word.upper()} clause", child.span, word)
                kwargs.update(child)
                continue
            for i, (name, types) in enumerate(free):
                if isinstance(child, types):
                    kwargs[name] = child
                    del free[i]
                    break
            else:  # pragma: no cover - a grammar/transformer mismatch, caught by the tests
                raise TypeError(f"{cls.__name__}: unexpected child {child!r}")
        return cls(span=meta_span(meta), **kwargs)

    def _accept(
        self, cls: type[ast.Statement], children: list[Any], title: str | None = None
    ) -> None:
        """Refuse, before anything else is read, the first clause among `children` that the
        dialect does not accept in a `cls` statement (what `_make` does as it goes), naming the
        statement as `title` (default: the table's title of `cls`)."""
        rules = self.dialect.statements[cls]
        for child in children:
            if isinstance(child, Opts):
                self._accept_clause(rules, child, title)

    def _accept_clause(self, rules: StatementRules, child: Opts, title: str | None) -> None:
        if child.clause is not None and child.clause not in rules.clauses:
            raise self._refusal(child.span, title or rules.title)

    def _check_replace(self, children: list[Any]) -> None:
        """OR REPLACE and IF NOT EXISTS cannot be combined (Snowflake's create-clone usage
        notes), where the dialect's table says so."""
        opts = [c for c in children if isinstance(c, Opts)]
        if any(c.clause == "or_replace" for c in opts):
            for c in opts:
                if c.clause == "if_not_exists":
                    raise SqlSyntaxError(
                        "OR REPLACE and IF NOT EXISTS cannot be used together", c.span, "IF"
                    )

    def _refusal(self, span: Span, statement: str) -> SqlSyntaxError:
        """The error for a clause that parses but does not belong to this dialect's statement."""
        title = self._clause_title(span)
        text = self._source[span.start : span.end].split(maxsplit=1)
        message = f"{title} is not valid in {self.dialect.title} {statement}"
        return SqlSyntaxError(message, span, text[0] if text else None)

    def _clause_title(self, span: Span) -> str:
        """The leading keywords of a clause, upper case (`CLUSTER BY`, `LIFECYCLE`, `IN ...`)."""
        found = re.findall(r"[A-Za-z_][A-Za-z0-9_$]*|\S", self._source[span.start : span.end])
        title: list[str] = []
        for word in found:
            if word.upper() not in keywords.KEYWORDS:
                break
            title.append(word.upper())
        return " ".join(title) or (found[0] if found else "")

    # ------------------------------------------------------------------------- helpers

    def _text(self, meta: Meta) -> str:
        """The source text of a rule."""
        return self._source[meta.start_pos : meta.end_pos]

    def _node_text(self, item: ast.Node) -> str:
        """The source text of a built node."""
        return self._source[item.span.start : item.span.end]

    def _span(self, start: int, end: int) -> Span:
        """The span of `text[start:end]`."""
        text = self._source
        return Span(
            start,
            end,
            text.count("\n", 0, start) + 1,
            start - (text.rfind("\n", 0, start) + 1) + 1,
            text.count("\n", 0, end) + 1,
            end - (text.rfind("\n", 0, end) + 1) + 1,
        )

    def _kind(self, token: Token) -> Opts:
        """A statement's object kind (`TABLE`, `SCHEMA` ...) as its `kind` argument."""
        return Opts(token_span(token), kind=str(token).upper())

    def _integer(self, token: Token) -> int:
        """A NUMBER token that must be a plain integer."""
        if not token.isdigit():
            raise SqlSyntaxError(f"invalid token '{token}'", token_span(token), str(token))
        return int(token)

    def _unqualified(self, name: ast.QualifiedName) -> ast.Ident:
        """The one part of a name that takes no qualifier (a role, a MaxCompute project)."""
        if len(name.parts) == 1:
            return name.parts[0]
        dot = self._source.find(".", name.parts[0].span.end)
        raise SqlSyntaxError("invalid token '.'", self._span(dot, dot + 1), ".")

    def _check_parts(self, parts: tuple[ast.Ident, ...]) -> None:
        """A name has at most three parts before a column (project.schema.table.column)."""
        if len(parts) > 3:
            extra = parts[3]
            raise SqlSyntaxError(f"invalid token '{extra.name}'", extra.span, extra.name)

    def _qualified(self, parts: tuple[ast.Ident, ...]) -> ast.QualifiedName:
        """The qualified name of a `path` (checked for length)."""
        self._check_parts(parts)
        return ast.QualifiedName(span=cover(parts[0].span, parts[-1].span), parts=parts)
