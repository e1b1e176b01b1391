"""Snowflake `SHOW PARAMETERS [LIKE 'p'] [IN SESSION | IN ACCOUNT]`: the session parameters the
emulator knows, with their defaults, and those ALTER SESSION set (which dbt reads back:
`show parameters like 'query_tag' in session`)."""

from __future__ import annotations

from cloneshell.engine.core.result import Column, Rows
from cloneshell.engine.snowflake import listing
from cloneshell.engine.snowflake.context import SnowflakeContext
from cloneshell.grammar import ast

# name -> (default, type, description). Defaults as Snowflake's "Parameters" reference gives
# them, except TIMEZONE (the emulator runs in UTC; Snowflake's is America/Los_Angeles); the
# descriptions are the emulator's short ones, not the service's texts.
PARAMETERS: dict[str, tuple[str, str, str]] = {
    "AUTOCOMMIT": ("true", "BOOLEAN", "whether each statement commits on its own"),
    "BINARY_OUTPUT_FORMAT": ("HEX", "STRING", "display format for binary values"),
    "DATE_OUTPUT_FORMAT": ("YYYY-MM-DD", "STRING", "display format for dates"),
    "LOCK_TIMEOUT": ("43200", "NUMBER", "seconds a statement waits for a lock"),
    "QUERY_TAG": ("", "STRING", "tag of the session's statements"),
    "QUOTED_IDENTIFIERS_IGNORE_CASE": ("false", "BOOLEAN", "whether quoted names fold"),
    "STATEMENT_TIMEOUT_IN_SECONDS": ("172800", "NUMBER", "statement timeout in seconds"),
    "TIMESTAMP_OUTPUT_FORMAT": (
        "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM",
        "STRING",
        "display format for timestamps",
    ),
    "TIMESTAMP_TYPE_MAPPING": ("TIMESTAMP_NTZ", "STRING", "what TIMESTAMP means"),
    "TIMEZONE": ("UTC", "STRING", "the session's time zone"),
    "WEEK_START": ("0", "NUMBER", "first day of the week"),
}

_COLUMNS = (
    ("key", "TEXT"),
    ("value", "TEXT"),
    ("default", "TEXT"),
    ("level", "TEXT"),
    ("description", "TEXT"),
    ("type", "TEXT"),
)


def show_parameters(ctx: SnowflakeContext, stmt: ast.ShowParameters) -> Rows:
    """One row per parameter, by name: in the session, its ALTER SESSION value (level
    SESSION) or the default (level empty); IN ACCOUNT, the defaults."""
    flags = ctx.session.flags if stmt.scope == "SESSION" else {}
    names = set(PARAMETERS) | {k.upper() for k in flags if k.upper() != "DIALECT"}
    rows: list[tuple[object, ...]] = []
    for name in sorted(names):
        if not listing.matches(name, stmt.like, None):
            continue
        default, kind, description = PARAMETERS.get(name, ("", "STRING", ""))
        value = flags.get(name.lower())
        shown = default if value is None else _normal(value, kind)
        level = "" if value is None else "SESSION"
        rows.append((name, shown, default, level, description, kind))
    return Rows(tuple(Column(n, t) for n, t in _COLUMNS), rows, ctx.statement_id)


def _normal(value: str, kind: str) -> str:
    """A set value as SHOW PARAMETERS prints it (booleans lower case)."""
    if kind == "BOOLEAN":
        return value.strip().lower()
    return value
