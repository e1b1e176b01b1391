"""Server-side bind variables of the Snowflake API (`?`, `:1`, `:name`) put into statement text as
literals of their bound type, the way the engine reads values: the engine parses text, and
each literal is written from the value (numbers checked as numbers, strings quoted), never
from the client's text unchecked."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from cloneshell.grammar.errors import CloneshellError

_EPOCH = datetime(1970, 1, 1)
# What is skipped while looking for placeholders: strings, quoted names, comments, $$ blocks.
_SKIP = re.compile(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|\$\$.*?\$\$", re.S)
_PLACEHOLDER = re.compile(r"\?|:(\d+)|:([A-Za-z_][A-Za-z0-9_]*)")


class BindError(CloneshellError):
    """A bind variable that is missing or whose value does not fit its type."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.text = f"002049 (42601): SQL compilation error: {message}"
        self.code = "002049"


def rows_of(bindings: dict[str, Any]) -> int:
    """How many rows an array binding carries (1 for scalar bindings)."""
    counts = {len(b["value"]) for b in bindings.values() if isinstance(b.get("value"), list)}
    return max(counts) if counts else 1


def bind(text: str, bindings: dict[str, Any], row: int = 0) -> str:
    """`text` with its placeholders replaced by the literals of `bindings` (row `row` of an
    array binding)."""
    out: list[str] = []
    counter = 0
    for piece in _pieces(text):
        if isinstance(piece, str):
            out.append(piece)
            continue
        match = piece
        if match.group(0) == "?":
            counter += 1
            key = str(counter)
        else:
            key = match.group(1) or match.group(2)
        binding = bindings.get(key)
        if binding is None:
            binding = bindings.get(key.upper()) or bindings.get(key.lower())
        if binding is None:
            raise BindError(f"Bind variable {match.group(0)} not set.")
        value = binding.get("value")
        if isinstance(value, list):
            value = value[row] if row < len(value) else None
        out.append(literal(str(binding.get("type", "TEXT")), value))
    return "".join(out)


def _pieces(text: str) -> list[str | re.Match[str]]:
    pieces: list[str | re.Match[str]] = []
    at = 0
    for skip in _SKIP.finditer(text):
        pieces.extend(_split(text[at : skip.start()]))
        pieces.append(skip.group(0))
        at = skip.end()
    pieces.extend(_split(text[at:]))
    return pieces


def _split(chunk: str) -> list[str | re.Match[str]]:
    pieces: list[str | re.Match[str]] = []
    at = 0
    for match in _PLACEHOLDER.finditer(chunk):
        # `a::int` is a cast, not a bind variable
        if match.group(0).startswith(":") and chunk[max(match.start() - 1, 0)] == ":":
            continue
        pieces.append(chunk[at : match.start()])
        pieces.append(match)
        at = match.end()
    pieces.append(chunk[at:])
    return pieces


def literal(kind: str, value: object) -> str:
    """The SQL literal of one bound value of Snowflake type `kind` (the connectors send every
    value as text: numbers as decimal text, DATE as epoch milliseconds, TIMESTAMP_* as epoch
    nanoseconds, BINARY as hex)."""
    if value is None:
        return "NULL"
    text = str(value)
    kind = kind.upper()
    try:
        if kind in ("FIXED", "REAL"):
            number = Decimal(text)
            if not number.is_finite():
                return f"'{text}'::FLOAT"
            return format(number, "f")
        if kind == "BOOLEAN":
            return "TRUE" if text.strip().lower() in ("1", "true", "t", "yes") else "FALSE"
        if kind == "DATE":
            day = _EPOCH + timedelta(milliseconds=int(text))
            return f"DATE '{day.date().isoformat()}'"
        if kind in ("TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ", "TIMESTAMP"):
            nanos = int(text.split()[0])
            instant = _EPOCH + timedelta(microseconds=nanos // 1000)
            if kind == "TIMESTAMP_NTZ":
                return f"TIMESTAMP '{instant.isoformat(sep=' ')}'"
            aware = instant.replace(tzinfo=UTC)
            return f"TIMESTAMP '{aware.isoformat(sep=' ')}'"
        if kind == "TIME":
            nanos = int(text)
            clock = (datetime.min + timedelta(microseconds=nanos // 1000)).time()
            return f"'{clock.isoformat()}'::TIME"
        if kind == "BINARY":
            bytes.fromhex(text)
            return f"X'{text}'"
    except (InvalidOperation, ValueError, OverflowError):
        raise BindError(f"Bind variable value '{text[:40]}' is not a valid {kind}.") from None
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"
