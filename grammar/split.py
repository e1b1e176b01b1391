"""Splitting a script into statements and meta-commands; `is_complete` for the REPL's Enter key.

A statement ends at a `;` that is outside quotes ('…', "…", `…`, Snowflake's `$$…$$`) and
comments (`-- …`, `// …` (Snowflake; not in `file://`), `/* … */`). A line whose first
non-blank character is `\\` (or SnowSQL's `!`) at a statement boundary is a meta-command that
ends at the end of that line. Text made only of blanks and comments is not a statement.
"""

from __future__ import annotations

from typing import Literal

from cloneshell.grammar.records import record


@record(frozen=True, slots=True)
class ScriptItem:
    """One piece of a script: an SQL statement (text without the final `;`) or a meta-command.

    `line` and `column` (1-based) and `offset` (0-based) locate the item's first character in the
    script, so the runner can report "statement 3, line 12".
    """

    kind: Literal["sql", "meta"]
    text: str
    line: int
    column: int
    offset: int
    terminated: bool = True  # False for a trailing statement with no `;`


_QUOTES = "'\"`"


def _scan(text: str) -> tuple[list[ScriptItem], str, int | None]:
    """Split `text`; return the items, the state at the end ('' when outside any construct,
    else the open construct: a quote character, '$$' or '/*') and where the open statement
    starts."""
    items: list[ScriptItem] = []
    lines = _Lines(text)
    n = len(text)
    i = 0
    start: int | None = None  # offset of the current statement's first significant character
    while i < n:
        c = text[i]
        if start is None:
            if c.isspace():
                i += 1
                continue
            if c == "\\" or c == "!":  # `!`: SnowSQL's commands (`!set`, `!source`, …)
                end = text.find("\n", i)
                end = n if end == -1 else end
                items.append(_item("meta", lines, i, text[i:end].rstrip()))
                i = end
                continue
            skipped = _skip_comment(text, i)
            if skipped is not None:
                if skipped < 0:
                    return items, "/*", start
                i = skipped
                continue
            if c == ";":  # an empty statement
                i += 1
                continue
            start = i
        if c == "$" and text.startswith("$$", i):  # Snowflake's `$$…$$`: no escapes inside
            j = text.find("$$", i + 2)
            if j == -1:
                return items, "$$", start
            i = j + 2
            continue
        if c in _QUOTES:
            j = i + 1
            while True:
                if j >= n:
                    return items, c, start
                if text[j] == "\\" and c != "`":
                    j += 2
                    continue
                if text[j] == c:
                    if j + 1 < n and text[j + 1] == c:  # doubled quote
                        j += 2
                        continue
                    break
                j += 1
            i = j + 1
            continue
        skipped = _skip_comment(text, i)
        if skipped is not None:
            if skipped < 0:
                return items, "/*", start
            i = skipped
            continue
        if c == ";":
            items.append(_item("sql", lines, start, text[start:i].rstrip()))
            start = None
        i += 1
    if start is not None:
        body = text[start:].rstrip()
        items.append(_item("sql", lines, start, body, terminated=False))
    return items, "", None


def _skip_comment(text: str, i: int) -> int | None:
    """If a comment starts at `i`, the index after it (-1 for an unterminated `/* …`), else None.

    `--` (both dialects) and `//` (Snowflake; MaxCompute has no `//` operator) run to the end of
    the line; `/* … */` may span lines.
    """
    # `//` right after `:` is a URL (`PUT file:///tmp/x.csv @s;`), not a comment.
    slashes = text.startswith("//", i) and not (i > 0 and text[i - 1] in ":/")
    if text.startswith("--", i) or slashes:
        end = text.find("\n", i)
        return len(text) if end == -1 else end
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        return -1 if end == -1 else end + 2
    return None


class _Lines:
    """Line numbers of offsets asked for in increasing order, counted on from the last one (a
    script of 10,000 statements would otherwise be counted from its start 10,000 times)."""

    __slots__ = ("line", "offset", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1

    def at(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, 1
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


def _item(
    kind: Literal["sql", "meta"], lines: _Lines, offset: int, body: str, terminated: bool = True
) -> ScriptItem:
    column = offset - (lines.text.rfind("\n", 0, offset) + 1) + 1
    return ScriptItem(kind, body, lines.at(offset), column, offset, terminated)


def split_script(text: str) -> list[ScriptItem]:
    """Split a script into statements and meta-commands, in order.

    An unterminated quote or comment at the end leaves the rest as one unterminated statement,
    so the parser can report it with a position.
    """
    items, state, open_start = _scan(text)
    if state and open_start is not None:
        items.append(_item("sql", _Lines(text), open_start, text[open_start:].rstrip(), False))
    return items


def is_complete(text: str) -> bool:
    """True when `text` holds only complete statements and meta-commands (the REPL submits it on
    Enter), False when a statement is still open (Enter inserts a newline)."""
    items, state, _ = _scan(text)
    if state:
        return False
    if not items:
        return False
    return all(item.terminated for item in items)
