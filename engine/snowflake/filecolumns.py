"""Snowflake `$n` and `alias.$n`: the columns of staged files' rows in a query (the relation
handlers/staged.py builds names them `$1`, `$2` …), or of a VALUES table by position."""

from __future__ import annotations

import re

from cloneshell.engine.core.quoting import quote_ident
from cloneshell.engine.core.translate import ExpressionRule, Translator
from cloneshell.grammar import ast

_QUALIFIED = re.compile(r"\s*(?:[^\s.]+\s*\.\s*)?(\$[0-9]+)\s*")


def unnamed(text: str) -> str | None:
    """The name of an unnamed result column that is `$n` or `alias.$n`: `$n`; else None."""
    m = _QUALIFIED.fullmatch(text)
    return m.group(1) if m else None


def highest(text: str) -> int:
    """The highest `$n` a statement's text mentions (0 for none)."""
    return max((int(n) for n in re.findall(r"\$([0-9]+)", text)), default=0)


def file_column(t: Translator, e: ast.FileColumn) -> str:
    """`$n` as the n-th column of a VALUES table in the same FROM clause, else as the staged
    relation's column."""
    positional = t.positional_column(e.qualifier, e.number)
    if positional is not None:
        return positional
    column = quote_ident(f"${e.number}")
    return column if e.qualifier is None else f"{t.ident(e.qualifier)}.{column}"


EXPRESSIONS: dict[type, ExpressionRule] = {ast.FileColumn: file_column}
