"""Reading a half-typed statement for completion: a tolerant lexer (the grammar's rejects what
a half-typed statement holds), how names are written and read back, and the token-level
questions the suggester asks (which clause the cursor is in, which tables the statement reads,
where the statement under the cursor starts)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from cloneshell.grammar.keywords import KEYWORDS, NON_RESERVED
from cloneshell.grammar.split import split_script

# ---------------------------------------------------------------------------------------------
# Lexing: a tolerant scanner (the grammar's lexer rejects what a half-typed statement holds)


class Tok(NamedTuple):
    """One token: its kind, text and offsets in the statement."""

    kind: str  # word principal number string qident op other | open_string open_qident
    text: str
    start: int
    end: int

    @property
    def up(self) -> str:
        """Upper-cased text (keywords compare this way)."""
        return self.text.upper()


_TOKEN = re.compile(
    r"""
     (?P<ws>\s+)
    |(?P<comment>--[^\n]*|/\*[\s\S]*?\*/)
    |(?P<open_comment>/\*[\s\S]*)
    |(?P<string>'(?:[^'\\]|\\[\s\S]|'')*')
    |(?P<open_string>'[\s\S]*)
    |(?P<qident>`(?:[^`]|``)*`|"(?:[^"\\]|\\[\s\S]|"")*")
    |(?P<open_qident>[`"][\s\S]*)
    |(?P<principal>[A-Za-z][A-Za-z0-9_]*\$[^\s;,()`'"]*)
    |(?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    |(?P<number>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[A-Za-z]*)
    |(?P<op>=>|::|<=>|<=|>=|<>|!=|==|\|\||[-+*/%<>=!~^&|(),.;:\[\]])
    |(?P<other>[\s\S])
    """,
    re.X,
)


def lex_tokens(text: str, stop_at_semicolon: bool = False) -> Iterator[Tok]:
    """Significant tokens of `text`, plus the comment token that ends it (if it does), so the
    caller can tell the cursor is inside a comment."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "ws":
            continue
        if kind == "comment" and m.end() < len(text):
            continue
        if kind == "op" and stop_at_semicolon and m.group() == ";":
            return
        yield Tok(kind, m.group(), m.start(), m.end())


# ---------------------------------------------------------------------------------------------
# Names

RESERVED = frozenset(KEYWORDS - NON_RESERVED)
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
NAME_CHARS = re.compile(r"[A-Za-z0-9_$]*\Z")


def ident(name: str, quote: str) -> str:
    """`name` as the dialect reads it: bare when it is a plain identifier and no reserved word,
    else quoted with the dialect's `quote` (MaxCompute's backquote, Snowflake's `"`)."""
    if _PLAIN_NAME.match(name) and name.upper() not in RESERVED:
        return name
    return quote + name.replace(quote, quote * 2) + quote


def unident(tok: Tok) -> str:
    """The name a word or quoted identifier token stands for."""
    if tok.kind == "qident":
        return tok.text[1:-1].replace(tok.text[0] * 2, tok.text[0])
    return tok.text


# ---------------------------------------------------------------------------------------------
# Clauses and statement structure


# Keywords after which an expression starts (a column may be typed).
EXPR_START = frozenset(
    {
        "SELECT", "DISTINCT", "ALL", "WHERE", "AND", "OR", "NOT", "ON", "BY", "HAVING",
        "QUALIFY", "WHEN", "THEN", "ELSE", "CASE", "BETWEEN", "LIKE", "ILIKE", "RLIKE",
        "REGEXP", "DIV", "SET",
    }
)  # fmt: skip
EXPR_OPS = frozenset(
    {"=", "==", "<>", "!=", "<", "<=", ">", ">=", "<=>", "+", "-", "*", "/", "%", "||", "|",
     "&", "^", "~", ",", "(", "=>"}
)  # fmt: skip
# Words that open a clause; the nearest one before the cursor tells what the position is.
CLAUSES = frozenset(
    {
        "SELECT", "FROM", "JOIN", "ON", "USING", "WHERE", "BY", "HAVING", "QUALIFY", "LIMIT",
        "VALUES", "WITH", "UNION", "INTERSECT", "EXCEPT", "MINUS", "TABLE", "INTO", "SET",
    }
)  # fmt: skip
COLUMN_CLAUSES = frozenset({"SELECT", "WHERE", "ON", "BY", "HAVING", "QUALIFY", "USING"})
# Words before `(` that start something other than an expression.
SPECIAL_PARENS = frozenset({"VALUES", "PARTITION", "TBLPROPERTIES", "TABLE", "BUCKETS"})
DDL_BY = frozenset({"PARTITIONED", "CLUSTERED", "SORTED"})
# Where a statement names its one table (DESC t, ALTER TABLE t, INSERT INTO t, ...).
TARGET_AFTER = frozenset({"TABLE", "INTO", "DESC", "DESCRIBE", "EXTENDED", "PARTITIONS"})
NAME_TOKENS = ("word", "qident")


def is_name(tok: Tok) -> bool:
    """A bare or quoted name."""
    return tok.kind in NAME_TOKENS


def is_op(tok: Tok, *ops: str) -> bool:
    """One of the operators `ops`."""
    return tok.kind == "op" and tok.text in ops


def is_expression(ctx: list[Tok]) -> bool:
    """The end of `ctx` is where an expression (or one of its operands) starts, in a query
    clause or in VALUES."""
    if not ctx:
        return False
    last = ctx[-1]
    if last.kind == "op":
        if last.text not in EXPR_OPS:
            return False
    elif last.kind != "word" or last.up not in EXPR_START:
        return False
    clause = clause_of(ctx)
    if clause == "SET":  # UPDATE t SET col = ...; elsewhere SET sets properties
        return ctx[0].up == "UPDATE"
    return clause in COLUMN_CLAUSES or clause == "VALUES"


BROAD_WORD = re.compile(r"[^\s;,()`'\"=]*\Z")


def upper_words(toks: Sequence[Tok]) -> list[str]:
    """The tokens' texts, upper case."""
    return [t.up for t in toks]


def is_closed(text: str) -> bool:
    """True when `text` does not end inside a quote or a block comment."""
    return not any(
        t.kind in ("open_comment", "open_string", "open_qident") for t in lex_tokens(text)
    )


def statement_start(text: str) -> int | None:
    """Offset of the statement the cursor is in (after the last complete `;`), or None when the
    cursor is on a meta-command line."""
    items = split_script(text)
    if not items:
        return 0
    last = items[-1]
    if last.kind == "meta":
        end = text.find("\n", last.offset)
        return None if end == -1 else end + 1
    if not last.terminated:
        return last.offset
    semi = text.find(";", last.offset + len(last.text))
    return len(text) if semi == -1 else semi + 1


def skip_if_exists(ctx: list[Tok], back: int = 1) -> str:
    """The word `back` places before the cursor, reading past `IF [NOT] EXISTS`."""
    ups = upper_words(ctx[-6:])
    if ups[-2:] == ["IF", "EXISTS"]:
        ups = ups[:-2]
    elif ups[-3:] == ["IF", "NOT", "EXISTS"]:
        ups = ups[:-3]
    return ups[-back] if len(ups) >= back else ""


def open_paren(ctx: list[Tok]) -> int | None:
    """Index of the innermost `(` still open at the end of `ctx`."""
    stack: list[int] = []
    for i, t in enumerate(ctx):
        if t.kind == "op":
            if t.text == "(":
                stack.append(i)
            elif t.text == ")" and stack:
                stack.pop()
    return stack[-1] if stack else None


def paren_depth(ctx: list[Tok], index: int) -> int:
    """How many parentheses are open just before ctx[index]."""
    depth = 0
    for t in ctx[:index]:
        if t.kind == "op":
            if t.text == "(":
                depth += 1
            elif t.text == ")":
                depth = max(0, depth - 1)
    return depth


def clause_of(ctx: list[Tok]) -> str:
    """The clause keyword the end of `ctx` is in, reading back over closed parentheses and
    through open ones (a function's or a sub-expression's); an open `(` after VALUES,
    PARTITION ... or after `PARTITIONED BY` answers that word instead."""
    skip = 0
    for i in range(len(ctx) - 1, -1, -1):
        t = ctx[i]
        if t.kind == "op":
            if t.text == ")":
                skip += 1
            elif t.text == "(":
                if skip:
                    skip -= 1
                    continue
                before = ctx[i - 1].up if i > 0 else ""
                if before in SPECIAL_PARENS:
                    return before
                if before == "BY" and i > 1 and ctx[i - 2].up in DDL_BY:
                    return ctx[i - 2].up
            continue
        if skip or t.kind != "word":
            continue
        up = t.up
        if up in CLAUSES:
            if up == "BY" and i > 0 and ctx[i - 1].up in DDL_BY:
                return ctx[i - 1].up
            return up
    return ""


def dotted_name(toks: Sequence[Tok], i: int) -> tuple[list[str], int] | None:
    """The dotted name starting at toks[i]: (its parts, the index after it), or None."""
    if i >= len(toks) or not is_name(toks[i]):
        return None
    parts = [unident(toks[i])]
    j = i + 1
    while j + 1 < len(toks) and is_op(toks[j], ".") and is_name(toks[j + 1]):
        parts.append(unident(toks[j + 1]))
        j += 2
    return parts, j


_ALIAS_STOP = RESERVED | {"PARTITION"}


def table_refs(toks: Sequence[Tok], first: str) -> list[tuple[list[str], str | None]]:
    """(name parts, alias) of every table after FROM or JOIN in the statement (subqueries
    included, comma joins too), and of UPDATE's table."""
    if first in ("SHOW", "REVOKE", "GRANT"):
        return []
    refs: list[tuple[list[str], str | None]] = []
    n = len(toks)
    i = 0
    while i < n:
        t = toks[i]
        if t.kind != "word" or t.up not in ("FROM", "JOIN", "UPDATE"):
            i += 1
            continue
        i += 1
        while i < n:
            found = dotted_name(toks, i)
            if found is None:
                break
            parts, i = found
            if i < n and toks[i].up in ("AT", "BEFORE") and i + 1 < n and is_op(toks[i + 1], "("):
                i = skip_group(toks, i + 1)
            alias: str | None = None
            if i < n and toks[i].up == "AS" and i + 1 < n and is_name(toks[i + 1]):
                alias, i = unident(toks[i + 1]), i + 2
            elif i < n and is_name(toks[i]) and toks[i].up not in _ALIAS_STOP:
                alias, i = unident(toks[i]), i + 1
            refs.append((parts, alias))
            if i < n and is_op(toks[i], ","):
                i += 1
                continue
            break
    return refs


def skip_group(toks: Sequence[Tok], i: int) -> int:
    """Index after the parenthesized group opening at toks[i]."""
    depth = 0
    while i < len(toks):
        if is_op(toks[i], "("):
            depth += 1
        elif is_op(toks[i], ")"):
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return i
