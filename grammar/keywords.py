"""The dialect's keywords, derived from the grammar's terminals, and the keywords valid at a cursor.

Nothing here is a hand-kept list: every case-insensitive string literal of dialect.lark is a
keyword, and the words of its `_soft_kw` rule are the non-reserved ones (also valid identifiers).
"""

from __future__ import annotations

import functools
from types import MappingProxyType

from lark.exceptions import UnexpectedInput
from lark.lexer import PatternStr

from cloneshell.grammar.errors import CloneshellError
from cloneshell.grammar.lalr import get_parser

# KEYWORDS and NON_RESERVED are derived from the parser on first use (module __getattr__), not
# when this module is imported: the engine imports it for the action names below, and a batch
# run that parses without an error never needs the keyword tables.
KEYWORDS: frozenset[str]
"""Every keyword of the grammar, upper case (SELECT, CLONE, LIFECYCLE, ...)."""

NON_RESERVED: frozenset[str]
"""Keywords that may also be used as identifiers (COMMENT, USER, DATE, ...)."""


@functools.cache
def _keyword_by_terminal() -> MappingProxyType[str, str]:
    return MappingProxyType(
        {
            t.name: str(t.pattern.value).upper()
            for t in get_parser().terminals
            if isinstance(t.pattern, PatternStr) and "i" in t.pattern.flags
        }
    )


@functools.cache
def _keywords() -> frozenset[str]:
    return frozenset(_keyword_by_terminal().values())


@functools.cache
def _non_reserved() -> frozenset[str]:
    by_terminal = _keyword_by_terminal()
    return frozenset(
        by_terminal[rule.expansion[0].name]
        for rule in get_parser().rules
        if rule.origin.name == "_soft_kw"
    )


def __getattr__(name: str) -> frozenset[str]:
    if name == "KEYWORDS":
        return _keywords()
    if name == "NON_RESERVED":
        return _non_reserved()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def terminal_regexp(name: str) -> str:
    """The regular expression of the grammar terminal `name` (NAME, NUMBER, SQ_STRING, ...)."""
    for t in get_parser().terminals:
        if t.name == name:
            return str(t.pattern.to_regexp())
    raise LookupError(f"the grammar has no terminal {name}")


def symbols() -> frozenset[str]:
    """The grammar's literal, case-sensitive terminals: operators and punctuation (`<=>`, `::`,
    `(`, ...)."""
    return frozenset(
        str(t.pattern.value)
        for t in get_parser().terminals
        if isinstance(t.pattern, PatternStr) and "i" not in t.pattern.flags
    )


def keyword_for_terminal(name: str) -> str | None:
    """The keyword text (upper case) of a Lark terminal name, or None for a non-keyword terminal
    such as NAME, NUMBER or LPAR."""
    return _keyword_by_terminal().get(name)


def expected_keywords(text_before_cursor: str) -> set[str]:
    """Keywords that may come next after `text_before_cursor` (best effort, for completion).

    Pass the text up to the start of the word being completed. Where an identifier may come next,
    non-reserved keywords are left out (there they would only be identifiers). Returns an empty
    set when the text does not lex or parse.
    """
    try:
        interactive = get_parser().parse_interactive(text_before_cursor)
        interactive.exhaust_lexer()
        accepted: set[str] = interactive.accepts()  # type: ignore[no-untyped-call]
    except (UnexpectedInput, CloneshellError):
        return set()
    identifier = "NAME" in accepted
    words = {keyword_for_terminal(name) for name in accepted}
    non_reserved = _non_reserved()
    return {w for w in words if w is not None and not (identifier and w in non_reserved)}


# MaxCompute ACL action names (reference/maxcompute.md §3.3), as GRANT/REVOKE take them. The
# grammar accepts any identifier there; the engine checks against these, the lexer highlights
# them, completion offers them. Kept here, not in the engine, so the shell can read them without
# importing DuckDB.
PROJECT_ACTIONS = (
    "Read",
    "Write",
    "List",
    "CreateTable",
    "CreateInstance",
    "CreateFunction",
    "CreateResource",
    "CreateJob",
    "CreatePackage",
    "All",
)
TABLE_ACTIONS = ("Describe", "Select", "Alter", "Update", "Drop", "ShowHistory", "Download", "All")
