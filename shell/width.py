"""How many terminal columns a string takes: the one measure the SELECT box and the error caret
share. Standard library only, so batch mode never loads wcwidth or prompt_toolkit."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Terminal columns `text` takes: East Asian wide/fullwidth characters count 2, combining
    marks 0, everything else 1 (good enough for CJK data and accented names)."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def expand_tabs(line: str, tabsize: int = 8) -> str:
    """One line with each tab replaced by the blanks up to the next tab stop (every `tabsize`
    display columns), as psql and SnowSQL print a value in a table, so the borders after it
    stay aligned; `str.expandtabs` counts characters, not display columns."""
    if "\t" not in line:
        return line
    out: list[str] = []
    column = 0
    for piece in line.split("\t")[:-1]:
        out.append(piece)
        column += display_width(piece)
        blanks = tabsize - column % tabsize
        out.append(" " * blanks)
        column += blanks
    out.append(line.rsplit("\t", 1)[1])
    return "".join(out)
