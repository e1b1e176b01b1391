"""Snowflake's parameters as the emulator knows them: each one's default, type, description and
kind (account-only, session, object parameter; reference/snowflake.md §2.2, Snowflake's
"Parameters" page), the values ALTER ACCOUNT set (kept in the registry's settings, under
`snowflake.account.`), and the check of a value before it is kept.

Session parameters set on the account are every session's defaults (a session's ALTER SESSION
overrides them); object parameters set on the account are the defaults of every database,
schema and table that sets none (retention.py resolves DATA_RETENTION_TIME_IN_DAYS)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from cloneshell.engine.core.errors import SemanticError, UnsupportedError
from cloneshell.engine.core.registry import settings_under
from cloneshell.grammar import ast
from cloneshell.grammar.records import record

if TYPE_CHECKING:
    from cloneshell.engine.core.lookups import Lookups
    from cloneshell.engine.core.registry import Registry

Kind = Literal["ACCOUNT", "SESSION", "OBJECT"]


@record(frozen=True, slots=True)
class Parameter:
    """One parameter: its default as SHOW PARAMETERS prints it, its type, a short description
    (the emulator's, not the service's text), its kind and, for numbers, the allowed range."""

    default: str
    type: Literal["BOOLEAN", "NUMBER", "STRING"]
    description: str
    kind: Kind
    low: int = 0
    high: int | None = None


# Defaults as Snowflake's "Parameters" reference gives them, except TIMEZONE (the emulator runs
# in UTC; Snowflake's is America/Los_Angeles).
PARAMETERS: dict[str, Parameter] = {
    "AUTOCOMMIT": Parameter(
        "true", "BOOLEAN", "whether each statement commits on its own", "SESSION"
    ),
    "BINARY_OUTPUT_FORMAT": Parameter(
        "HEX", "STRING", "display format for binary values", "SESSION"
    ),
    "DATE_OUTPUT_FORMAT": Parameter("YYYY-MM-DD", "STRING", "display format for dates", "SESSION"),
    "LOCK_TIMEOUT": Parameter("43200", "NUMBER", "seconds a statement waits for a lock", "SESSION"),
    "QUERY_TAG": Parameter("", "STRING", "tag of the session's statements", "SESSION"),
    "QUOTED_IDENTIFIERS_IGNORE_CASE": Parameter(
        "false", "BOOLEAN", "whether quoted names fold", "SESSION"
    ),
    "STATEMENT_TIMEOUT_IN_SECONDS": Parameter(
        "172800", "NUMBER", "statement timeout in seconds", "SESSION", high=604800
    ),
    "TIMESTAMP_OUTPUT_FORMAT": Parameter(
        "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM", "STRING", "display format for timestamps", "SESSION"
    ),
    "TIMESTAMP_TYPE_MAPPING": Parameter(
        "TIMESTAMP_NTZ", "STRING", "what TIMESTAMP means", "SESSION"
    ),
    "TIMEZONE": Parameter("UTC", "STRING", "the session's time zone", "SESSION"),
    "WEEK_START": Parameter("0", "NUMBER", "first day of the week", "SESSION", high=7),
    # Object parameters: account, database, schema and table levels.
    "DATA_RETENTION_TIME_IN_DAYS": Parameter(
        "1",
        "NUMBER",
        "number of days Time Travel keeps an object's history (0: none)",
        "OBJECT",
        high=90,
    ),
    "MAX_DATA_EXTENSION_TIME_IN_DAYS": Parameter(
        "14",
        "NUMBER",
        "maximum number of days retention is extended so a table's streams do not go stale",
        "OBJECT",
        high=90,
    ),
    "DEFAULT_DDL_COLLATION": Parameter(
        "", "STRING", "default collation of new text columns", "OBJECT"
    ),
    # Account only (ACCOUNTADMIN).
    "MIN_DATA_RETENTION_TIME_IN_DAYS": Parameter(
        "0",
        "NUMBER",
        "minimum number of days Time Travel keeps the history of permanent objects",
        "ACCOUNT",
        high=90,
    ),
}

# The object parameters of each kind of object SHOW PARAMETERS IN <kind> lists.
OBJECT_PARAMETERS: dict[str, tuple[str, ...]] = {
    "DATABASE": (
        "DATA_RETENTION_TIME_IN_DAYS",
        "DEFAULT_DDL_COLLATION",
        "MAX_DATA_EXTENSION_TIME_IN_DAYS",
    ),
    "SCHEMA": (
        "DATA_RETENTION_TIME_IN_DAYS",
        "DEFAULT_DDL_COLLATION",
        "MAX_DATA_EXTENSION_TIME_IN_DAYS",
    ),
    "TABLE": (
        "DATA_RETENTION_TIME_IN_DAYS",
        "DEFAULT_DDL_COLLATION",
        "MAX_DATA_EXTENSION_TIME_IN_DAYS",
    ),
}

_PREFIX = "snowflake.account."


def account_values(wh: Registry) -> dict[str, str]:
    """The parameters ALTER ACCOUNT set, by name, as text."""
    return wh.settings_under(_PREFIX)


def account_values_seen(lookups: Lookups) -> dict[str, str]:
    """`account_values` through a connection that has a database (so the registry) attached."""
    return settings_under(lookups, _PREFIX)


def set_account_value(wh: Registry, name: str, value: str | None) -> None:
    """Keep (None: forget) one account parameter's value."""
    wh.put_setting(_PREFIX + name, value)


def account_int(values: dict[str, str], name: str) -> int:
    """A NUMBER parameter's account value, else its default."""
    return int(values.get(name, PARAMETERS[name].default))


def check_value(name: str, value: str, span: ast.Span | None) -> str:
    """The value as kept and shown (booleans lower case, numbers canonical), or Snowflake's
    `invalid value [v] for parameter 'P'`. A parameter the emulator does not know, or whose
    value it could not honour, is refused as unsupported by name."""
    param = PARAMETERS.get(name)
    if param is None:
        raise UnsupportedError("unsupported", span, message=f"parameter {name}")
    text = value.strip()
    if param.type == "BOOLEAN":
        if text.lower() not in ("true", "false"):
            raise _invalid(name, value, span)
        return text.lower()
    if param.type == "NUMBER":
        try:
            number = int(text)
        except ValueError:
            raise _invalid(name, value, span) from None
        if number < param.low or (param.high is not None and number > param.high):
            raise _invalid(name, value, span)
        return str(number)
    if name == "DEFAULT_DDL_COLLATION" and text.lower() not in ("", "utf8", "binary"):
        # Only Snowflake's default comparison is emulated (tableoptions.check_collation).
        raise UnsupportedError("unsupported", span, message=f"collation '{text}'")
    return text


def _invalid(name: str, value: str, span: ast.Span | None) -> SemanticError:
    return SemanticError("invalid", span, message=f"invalid value [{value}] for parameter '{name}'")
