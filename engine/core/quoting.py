"""The one place identifiers and literals become SQL text for DuckDB."""

from __future__ import annotations


def quote_ident(name: str) -> str:
    """Quote an identifier for DuckDB: always double-quoted, inner quotes doubled.

    NUL cannot be represented safely, so it is refused (names are validated long before this;
    this is the last line of defence).
    """
    if "\x00" in name:
        raise ValueError("identifier contains NUL")
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    """Quote a string literal for the few places DuckDB takes no parameters (ATTACH paths)."""
    if "\x00" in value:
        raise ValueError("literal contains NUL")
    return "'" + value.replace("'", "''") + "'"
