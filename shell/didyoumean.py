"""The "did you mean" line under an error: the keyword, table or column closest (by edit
distance) to what the user wrote, from the parser's expected tokens and the principal's
completion snapshot. Only a suggestion: nothing is rewritten or run."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cloneshell.grammar.errors import CloneshellError, SqlSyntaxError
from cloneshell.shell.context import ShellSession

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance (Levenshtein plus adjacent transpositions, so FORM is
    one edit from FROM), case-insensitive."""
    a, b = a.lower(), b.lower()
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate nearest `word` within a typo's reach (1 edit up to 4 letters, else 2),
    not `word` itself; the first of equals in `candidates`' order."""
    if len(word) < 3:
        return None
    reach = 1 if len(word) <= 4 else 2
    best: tuple[int, str] | None = None
    for candidate in candidates:
        if candidate.lower() == word.lower():
            return None  # the word is right: the mistake is elsewhere
        d = distance(word, candidate)
        if d <= reach and (best is None or d < best[0]):
            best = (d, candidate)
    return best[1] if best else None


def suggestion(err: CloneshellError, statement: str, session: ShellSession) -> str | None:
    """`did you mean X?` for `err`, raised by `statement`, or None."""
    if isinstance(err, SqlSyntaxError):
        return _keyword(err, statement)
    kind = str(getattr(err, "kind", ""))
    # Snowflake reports a missing table as a missing object (002003)
    if kind not in ("table_not_found", "object_not_found", "column_not_found") or not err.span:
        return None
    written = statement[err.span.start : err.span.end]
    if not written or "\n" in written:
        return None
    prefix, _, name = written.rpartition(".")
    name = name.strip('`"')
    snapshot = getattr(session, "snapshot", None)
    if snapshot is None:
        return None
    snap = snapshot()
    if kind != "column_not_found":
        where = (prefix.rpartition(".")[2].strip('`"') if prefix else snap.current_project) or ""
        names = [t.name for t in snap.tables if t.project.lower() == where.lower()]
        if not names and prefix:  # schema.table in the current project (or database)
            names = [t.name for t in snap.tables if t.schema.lower() == where.lower()]
    else:
        used = {w.lower() for w in _WORD.findall(statement)}
        names = [
            column
            for t in snap.tables
            if t.name.lower() in used
            for column, _type in (*t.columns, *t.partition_columns)
        ]
    found = closest(name, names)
    return None if found is None else f"did you mean {prefix + '.' if prefix else ''}{found}?"


def _keyword(err: SqlSyntaxError, statement: str) -> str | None:
    """The bad token, or the word before it (`SELECT id FORM t` fails at `t`: FORM was taken
    for an alias), nearest one of the keywords that would have fit there."""
    keywords = [t for t in err.expected if t.isalpha()]
    if err.span is None or not keywords:
        return None
    before = _WORD.findall(statement[: err.span.start])
    for word in (err.token or "", before[-1] if before else ""):
        if _WORD.fullmatch(word) and (found := closest(word, keywords)) is not None:
            return f"did you mean {found}?"
    return None
