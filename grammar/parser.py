"""Parse SQL text into AST statements with the one cached LALR parser; Lark's errors become
SqlSyntaxError.

Usage: `parse(text)` for a script of `;`-separated statements, `parse_statement(text)` for exactly
one. Positions in spans and errors are relative to `text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from lark.exceptions import (
    UnexpectedInput,
    UnexpectedToken,
)
from lark.lexer import Token
from lark.tree import Tree

from cloneshell.grammar import ast, keywords
from cloneshell.grammar.dialects import DIALECTS as _BY_NAME
from cloneshell.grammar.errors import Span, SqlSyntaxError
from cloneshell.grammar.fastinsert import parse_simple_insert

# The parser's own names stay importable from here, the grammar's front (grammar/lalr.py).
from cloneshell.grammar.lalr import GRAMMAR_PATH as GRAMMAR_PATH
from cloneshell.grammar.lalr import MAX_PAREN_DEPTH as MAX_PAREN_DEPTH
from cloneshell.grammar.lalr import build_parser as build_parser
from cloneshell.grammar.lalr import get_parser as get_parser
from cloneshell.grammar.lalr import token_span
from cloneshell.grammar.transformer import build_statements

if TYPE_CHECKING:
    from cloneshell.grammar.snapshot import LoadedParser

DIALECTS = tuple(_BY_NAME)
"""Dialect names parse() accepts."""

_SHOWN = 40  # longest offending text quoted in an error message
_MAX_REREADS = 16  # keywords re-read as names in one script before the error stands
# Terminals lexed only in one parser state; elsewhere they would swallow the rest of the line.
_CONTEXT_ONLY = frozenset({"SET_KEY", "SET_VALUE", "PRINCIPAL", "WS", "UNCLOSED_COMMENT"})

# Human names of the regex terminals, for the `expected` list of a syntax error. Keyword and
# punctuation terminals are named by their own text.
_TERMINAL_NAMES = {
    "NAME": "identifier",
    "BQ_IDENT": "identifier",
    "SQ_STRING": "string",
    "NUMBER": "number",
    "BINARY_STRING": "binary literal",
    "PRINCIPAL": "user name",
    "SET_KEY": "flag name",
    "SET_VALUE": "flag value",
    "TYPE_WORDS": "type name",
    "SESSION_VAR": "session variable",
    "FILE_COLUMN": "file column",
    "STAGE_LOC": "stage location",
    "FILE_URI": "file URI",
    "INTERVAL_TEXT": "interval constant",
    "NULL_TREATMENT": "IGNORE NULLS",
    "NULL_TREATMENT_OVER": "IGNORE NULLS",
    "NTH_FROM": "FROM FIRST",
    "_ROW_COMMA": ",",
    "$END": "<EOF>",
}


def parse(text: str, dialect: str = "maxcompute") -> list[ast.Statement]:
    """Parse `text`: zero or more statements separated by `;` (a trailing `;` is optional).

    `dialect` is "maxcompute" (a lone "..." in an expression is a string) or "snowflake" (it is an
    identifier). Raises SqlSyntaxError for any text that is not valid; no other exception comes
    from the text (ValueError only for an unknown dialect, which is a caller's bug).
    """
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; expected one of {DIALECTS}")
    simple = parse_simple_insert(text)  # the same AST, without the parser (fastinsert.py)
    if simple is not None:
        return [simple]
    try:
        tree = _parse_tree(text)
        return build_statements(tree, text, dialect)
    except SqlSyntaxError:
        raise
    except UnexpectedInput as e:
        raise _syntax_error(e, text) from None
    except RecursionError:
        raise SqlSyntaxError("statement too deeply nested") from None
    except Exception as e:
        # The promise is that bad text only ever yields SqlSyntaxError; the cause stays chained
        # for the log file.
        raise _internal_error(e) from e


def _parse_tree(text: str) -> Tree[Token]:
    """The parse tree of `text`; a keyword the parser refuses is read again as a name.

    LALR(1) merges the states reached just after a name, so the contextual lexer reads a word as
    a keyword after *any* name when that keyword may follow a name *somewhere* in the grammar:
    `clone` in `SELECT a clone FROM t` lexes as CLONE (it follows the table name of CREATE TABLE
    t CLONE s) and the implicit alias fails. When the parser refuses such a keyword token, the
    text is parsed again with that one word as a NAME. If that gets no further, the first error
    stands, so wrong keywords are still reported where they are.
    """
    parser = get_parser()
    try:
        tree: Tree[Token] = parser.parse(text)
        return tree
    except UnexpectedToken as e:
        error: UnexpectedInput = e
    as_names: set[int] = set()
    while isinstance(error, UnexpectedToken) and len(as_names) < _MAX_REREADS:
        further: UnexpectedInput | None = None
        for keyword in _refused_keywords(parser, error, text, frozenset(as_names)):
            offsets = frozenset(as_names | {keyword.start_pos or 0})
            try:
                return _parse_reading_as_names(parser, text, offsets)
            except UnexpectedInput as again:
                if _error_offset(again, text) > _error_offset(error, text):
                    as_names = set(offsets)
                    further = again
                    break
        if further is None:
            break
        error = further
    raise error


# Object kinds that are also common table names (`DESC task;` describes a table TASK). They are
# not soft keywords (each soft keyword grows the parse table); instead a statement that ends
# just after one, which only a longer statement could use (`DESC TASK k`), reads it as a name.
_NAME_AT_END = frozenset(
    {"STAGE", "PIPE", "STREAM", "TASK"}
    # Snowflake objects that are not emulated (grammar: unsupported_stmt).
    | {"WAREHOUSE", "MODEL", "TYPE", "SECRET", "SHARE", "ALERT", "SNAPSHOT", "SERVICE"}
    | {"CONNECTION", "DATASET", "NOTEBOOK", "STREAMLIT", "INTEGRATION", "ACCOUNT"}
)
# So are the words that may open a clause after a FROM item, as its alias (`FROM t pivot`).
_NAME_AT_END |= {"PIVOT", "UNPIVOT", "START", "CONNECT"}


def _refused_keywords(
    parser: LoadedParser, error: UnexpectedToken, text: str, as_names: frozenset[int]
) -> list[Token]:
    """The keywords to try reading again as a name, in turn: the refused token itself (or one
    of _NAME_AT_END right before the end of the statement), then a keyword just before it that
    may open a clause the refused token does not continue (`SELECT a sort, b`: SORT may begin
    SORT BY there)."""
    found = _refused_keyword(error, text)
    previous = _token_before(parser, text, error.token.start_pos or 0, as_names)
    if isinstance(previous, Token) and _is_keyword(previous) and previous is not found:
        return [*([found] if found is not None else []), previous]
    return [found] if found is not None else []


def _token_before(
    parser: LoadedParser, text: str, offset: int, as_names: frozenset[int]
) -> Token | None:
    """The last token the parser took before `offset`, with the keywords at `as_names` read as
    names (only ever asked after an error)."""
    interactive = parser.parse_interactive(text)
    last: Token | None = None
    try:
        for token in interactive.lexer_thread.lex(interactive.parser_state):  # type: ignore[no-untyped-call]
            if (token.start_pos or 0) >= offset:
                break
            if token.start_pos in as_names:
                token = Token.new_borrow_pos("NAME", str(token), token)
            interactive.feed_token(token)
            last = token
    except UnexpectedInput:
        pass
    return last


def _refused_keyword(error: UnexpectedToken, text: str) -> Token | None:
    """The keyword to read again as a name: the refused token itself, or one of _NAME_AT_END
    right before the end of the statement."""
    token: Token = error.token
    if _is_keyword(token):
        return token
    last: Token | None = None
    history = getattr(error, "token_history", None) or ()
    if token.type == "SEMICOLON" and history:
        last = history[-1]
    elif token.type == "$END" and token.start_pos is not None and token.end_pos is not None:
        # Lark places $END on the last token and keeps no history for it.
        word = text[token.start_pos : token.end_pos]
        last = Token.new_borrow_pos("NAME", word, token)
    if last is not None and str(last).upper() in _NAME_AT_END:
        return last
    return None


def _is_keyword(token: Token) -> bool:
    return keywords.keyword_for_terminal(token.type) is not None


def _parse_reading_as_names(
    parser: LoadedParser, text: str, offsets: frozenset[int]
) -> Tree[Token]:
    """Parse `text`, turning the keyword tokens that start at `offsets` into NAME tokens."""
    interactive = parser.parse_interactive(text)
    token: Token | None = None
    for token in interactive.lexer_thread.lex(interactive.parser_state):  # type: ignore[no-untyped-call]
        if token.start_pos in offsets:
            token = Token.new_borrow_pos("NAME", str(token), token)
        interactive.feed_token(token)
    tree: Tree[Token] = interactive.feed_eof(token)  # type: ignore[no-untyped-call]
    return tree


def _error_offset(error: UnexpectedInput, text: str) -> int:
    """How far into `text` the parser got before `error`."""
    if isinstance(error, UnexpectedToken):
        if error.token.type == "$END":
            return len(text) + 1
        return error.token.start_pos or 0
    return error.pos_in_stream or 0


def parse_statement(text: str, dialect: str = "maxcompute") -> ast.Statement:
    """Parse exactly one statement (a trailing `;` is allowed)."""
    statements = parse(text, dialect)
    if len(statements) == 1:
        return statements[0]
    if not statements:
        end = len(text)
        line = text.count("\n") + 1
        column = end - (text.rfind("\n") + 1) + 1
        raise SqlSyntaxError("invalid token '<EOF>'", Span.point(end, line, column), None)
    extra = statements[1].span
    word = text[extra.start : extra.end].split(maxsplit=1)[0]
    raise SqlSyntaxError(f"invalid token '{word}'", extra, word)


def _internal_error(error: BaseException) -> SqlSyntaxError:
    return SqlSyntaxError(f"internal parser error ({type(error).__name__}: {error})")


def _syntax_error(error: UnexpectedInput, text: str) -> SqlSyntaxError:
    expected = _expected(_expected_terminals(error))
    if isinstance(error, UnexpectedToken) and error.token.type != "SET_VALUE":
        token = error.token
        if token.type == "$END":
            # Lark places $END at the last token; the error belongs just after it.
            offset = token.end_pos or 0
            point = Span.point(offset, token.end_line or 1, token.end_column or 1)
            return SqlSyntaxError("invalid token '<EOF>'", point, None, expected)
        return SqlSyntaxError(f"invalid token '{token}'", token_span(token), str(token), expected)
    if isinstance(error, UnexpectedInput) and error.pos_in_stream is not None:
        # Text no terminal of the parser state matches. (When Lark's fallback lexer reads it as
        # SET_VALUE, which matches almost anything, that token is no better a guess.)
        pos = error.pos_in_stream
        bad = _offending_text(text, pos)
        span = Span(
            pos, pos + len(bad), error.line, error.column, error.line, error.column + len(bad)
        )
        shown = bad if bad.isprintable() else bad.encode("unicode_escape").decode("ascii")
        return SqlSyntaxError(f"invalid token '{shown}'", span, bad, expected)
    # Lark's LALR parser reports the end of input as UnexpectedToken($END); anything else is odd.
    end = len(text)
    line = text.count("\n") + 1
    point = Span.point(end, line, end - (text.rfind("\n") + 1) + 1)
    return SqlSyntaxError("invalid token '<EOF>'", point, None, expected)


def _expected_terminals(error: UnexpectedInput) -> set[str]:
    if isinstance(error, UnexpectedToken) and error.interactive_parser is not None:
        return set(error.accepts)
    state = error.state
    if state is not None:  # the parse table's row; the lexer's set would also hold NAME always
        return {t for t in state.parse_conf.states[state.position] if t.isupper()}
    return set(getattr(error, "allowed", None) or ())


def _offending_text(text: str, pos: int) -> str:
    """The longest text at `pos` that some terminal of the grammar matches, else one character.
    An unterminated string shows its start, up to the end of the line."""
    if text[pos] in "'\"`":
        return text[pos:].split("\n", 1)[0][:_SHOWN]
    best = text[pos]
    for terminal in get_parser().terminals:
        if terminal.name in _CONTEXT_ONLY:
            continue
        match = re.compile(terminal.pattern.to_regexp()).match(text, pos)
        if match and len(match.group()) > len(best):
            best = match.group()
    return best[:_SHOWN]


def _expected(terminals: Iterable[str]) -> tuple[str, ...]:
    names = set(terminals)
    identifier = "NAME" in names
    result: set[str] = set()
    for name in names:
        keyword = keywords.keyword_for_terminal(name)
        if keyword is not None:
            if not (
                identifier and keyword in keywords.NON_RESERVED
            ):  # there it is just an identifier
                result.add(keyword)
        elif name == "DQ_STRING":
            result.add("identifier" if identifier else "string")
        elif name in _TERMINAL_NAMES:
            result.add(_TERMINAL_NAMES[name])
        else:
            result.add(str(get_parser().get_terminal(name).pattern.value))
    return tuple(sorted(result))
