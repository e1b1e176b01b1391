"""The parses of the statement texts this process ran lately: a shell, a script or a client
runs the same texts again and again, and the LALR parse was the largest share of a short
query's fixed work (~1.4 ms of ~4 ms). A parse depends on the text and the dialect only, and
the AST is immutable (frozen records of tuples), so one parse serves every later run of the
same text; a syntax error is never kept (it is raised again, in the session's format)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from cloneshell.grammar import ast
from cloneshell.grammar.parser import parse as parse_text

KEPT = 256  # texts remembered (the least recently used are forgotten)
LONGEST = 10_000  # characters: longer texts (bulk INSERTs, scripts) are parsed every time

_kept: OrderedDict[tuple[str, str], tuple[ast.Statement, ...]] = OrderedDict()
_lock = threading.Lock()


def parse(text: str, dialect: str) -> list[ast.Statement]:
    """`grammar.parser.parse(text, dialect)`, from the texts kept when it was parsed before."""
    if len(text) > LONGEST:
        return parse_text(text, dialect)
    key = (dialect, text)
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return list(found)
    parsed = parse_text(text, dialect)
    with _lock:
        _kept[key] = tuple(parsed)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return parsed
