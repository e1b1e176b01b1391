"""The one LALR parser of dialect.lark, as Lark objects: built (strictly, for the tests) or
loaded from its snapshot (grammar/snapshot.py), with the token filter every parse runs through.
Turning its trees into AST statements is parser.py's job; this module knows no AST."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from lark.lexer import Token

from cloneshell.grammar.errors import Span, SqlSyntaxError
from cloneshell.grammar.snapshot import LoadedParser, read_snapshot, snapshot_path, write_snapshot

if TYPE_CHECKING:
    from lark import Lark

GRAMMAR_PATH = Path(__file__).with_name("dialect.lark")
"""The grammar file, shipped as package data next to this module."""
MAX_PAREN_DEPTH = 200
"""Deepest nesting of parentheses accepted; real statements stay far below it."""
_SHOWN = 40  # longest offending text quoted in an error message


def token_span(token: Token) -> Span:
    """The span of one lexed token."""
    # Lark fills every position of a lexed token; the defaults only satisfy the type checker.
    return Span(
        token.start_pos or 0,
        token.end_pos or 0,
        token.line or 1,
        token.column or 1,
        token.end_line or 1,
        token.end_column or 1,
    )


class _TokenFilter:
    """Keeps NAME lexable in every parser state and bounds the nesting of parentheses.

    A Lark post-lexer (lark.lark.PostLex, which Lark only duck-types), not a subclass of it:
    the class is part of the parser's snapshot, and loading it must not import lark.lark."""

    # The contextual lexer only tries the terminals a state accepts; were NAME missing, a state
    # expecting TABLE would read `tables` as TABLE plus a stray `s`. With NAME always tried, a word
    # is read whole and the error names the word the user wrote.
    always_accept = ("NAME",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        depth = 0
        for token in stream:
            if token.type == "LPAR":
                depth += 1
                if depth > MAX_PAREN_DEPTH:
                    raise SqlSyntaxError("statement too deeply nested", token_span(token), "(")
            elif token.type == "RPAR":
                depth -= 1
            yield token


def _unclosed_comment(token: Token) -> Token:
    word = str(token).split("\n", 1)[0][:_SHOWN]
    raise SqlSyntaxError(f"invalid token '{word}'", token_span(token), word)


# Lark options of the run-time parser (part of its snapshot's key).
_OPTIONS: dict[str, object] = {
    "parser": "lalr",
    "propagate_positions": True,
    "maybe_placeholders": False,
}


def build_parser(*, strict: bool = False, cache: bool = True) -> Lark:
    """Build the LALR parser of dialect.lark. `strict=True` (tests) also fails on any grammar
    conflict or terminal collision; the run-time parser is the cached one of get_parser()."""
    from lark import Lark

    return Lark.open(
        str(GRAMMAR_PATH),
        postlex=_TokenFilter(),  # a PostLex by its members (Lark types the option loosely)
        lexer_callbacks={"UNCLOSED_COMMENT": _unclosed_comment},
        strict=strict,
        cache=cache,
        **_OPTIONS,  # type: ignore[arg-type]
    )


def get_parser() -> LoadedParser:
    """The process-wide parser: read from its snapshot (grammar/snapshot.py), else built (from
    Lark's own cache when it has one) and snapshotted for the next process. Thread-safe: the
    shell loads it on one thread while another opens the session (which may parse too)."""
    with _PARSER_LOCK:
        return _load_parser()


_PARSER_LOCK = threading.Lock()


@functools.cache
def _load_parser() -> LoadedParser:
    path = snapshot_path(GRAMMAR_PATH.parent.glob("*.lark"), _OPTIONS)
    loaded = read_snapshot(path) if path is not None else None
    if loaded is not None:
        return loaded
    parser = build_parser()
    if path is not None:
        write_snapshot(parser, path)
    return LoadedParser.of(parser)
