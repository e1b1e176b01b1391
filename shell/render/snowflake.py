"""Results as SnowSQL prints them (reference/snowflake.md §4.6).

SnowSQL's default `output_format=psql`: a box with `+---+` borders, a `|---+---|` separator
under the header, numbers right-aligned (the header too, as the tabulate library SnowSQL uses
aligns it), text left-aligned, NULL as `NULL`, then `N Row(s) produced. Time Elapsed: 0.123s`
after every result. A status is a one-row table with a `status` column. Errors are
`failures.format_error`'s business.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from datetime import date, datetime, time
from decimal import Decimal

from cloneshell.engine import Column, Result, Rows, Status, Text
from cloneshell.shell.context import Format, RunContext
from cloneshell.shell.render.common import (
    column_widths,
    format_data,
    format_vertical,
    render_text,
    render_unknown,
)
from cloneshell.shell.width import display_width, expand_tabs

_NUMERIC_TYPES = frozenset(
    {
        "NUMBER", "DECIMAL", "NUMERIC", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT",
        "BYTEINT", "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL",
    }
)  # fmt: skip
_ZONED_TYPES = frozenset({"TIMESTAMP_LTZ", "TIMESTAMP_TZ"})
_SEMI_TYPES = frozenset({"VARIANT", "OBJECT", "ARRAY"})


def sf_value_text(value: object, type_name: str = "") -> str:
    """One value as SnowSQL shows it.

    - NULL -> `NULL`; booleans -> `True`/`False` (SnowSQL prints Python's spelling).
    - TIMESTAMP_NTZ (a naive datetime) -> `2024-01-15 10:00:00.000` (Snowflake's default
      output format, `YYYY-MM-DD HH24:MI:SS.FF3`); an aware datetime, or a naive one in a
      TIMESTAMP_LTZ/TZ column (the warehouse stores UTC) -> `… 10:00:00.000 +0000`.
    - DATE -> `2024-01-15`; TIME -> `10:00:00`.
    - Decimal keeps its scale; float is Python's shortest text (`NaN`, `inf`, `-inf`).
    - bytes -> upper-case hex (Snowflake's default BINARY_OUTPUT_FORMAT).
    - ARRAY/OBJECT -> JSON; a VARIANT, OBJECT or ARRAY column's JSON text pretty-printed as
      SnowSQL shows it (two-space indent, keys sorted, one element a line).
    """
    if value is None:
        return "NULL"
    if isinstance(value, str) and type_name.upper() in _SEMI_TYPES:
        return _pretty_json(value)
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return sf_timestamp_text(value, zoned=type_name.upper() in _ZONED_TYPES)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex().upper()
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _pretty_json(text: str) -> str:
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    return json.dumps(parsed, indent=2, ensure_ascii=False, sort_keys=True)


def sf_timestamp_text(value: datetime, zoned: bool = False) -> str:
    """`YYYY-MM-DD HH24:MI:SS.FF3`, plus ` +HHMM` for an aware value (or `zoned`, read as UTC)."""
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}.{value.microsecond // 1000:03d}"
    )
    offset = value.utcoffset()
    if offset is None:
        return text + " +0000" if zoned else text
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{text} {sign}{hours:02d}{mins:02d}"


def _right_aligned(column: Column, values: Sequence[object]) -> bool:
    """Right-align this column? By its Snowflake type when it has one, else by its values (all
    numbers, NULLs allowed, at least one number), as tabulate decides."""
    base = column.type.upper().split("(")[0].strip()
    if base:
        return base in _NUMERIC_TYPES
    seen = False
    for v in values:
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int | float | Decimal):
            return False
        seen = True
    return seen


def format_snowsql_box(
    columns: Sequence[Column], rows: Sequence[Sequence[object]], header: bool = True
) -> str:
    """SnowSQL's psql table:

        +---+------+
        | N | S    |
        |---+------|
        | 1 | x    |
        +---+------+

    Widths are max(header, widest value) in display columns; an empty result keeps the header.
    Without `header` the header row and its separator are left out (widths still count it).
    """
    if not columns:
        return ""
    types = [c.type for c in columns]
    cells = [
        line
        for row in rows
        for line in _lines([sf_value_text(v, t) for v, t in zip(row, types, strict=False)])
    ]
    headers = [c.name for c in columns]
    right = [_right_aligned(c, [row[i] for row in rows]) for i, c in enumerate(columns)]
    widths = column_widths(headers, cells)
    dashes = ["-" * (w + 2) for w in widths]
    frame = "+" + "+".join(dashes) + "+"
    separator = "|" + "+".join(dashes) + "|"

    def line_of(values: Sequence[str]) -> str:
        parts = []
        for v, w, r in zip(values, widths, right, strict=False):
            pad = " " * (w - display_width(v))
            parts.append(pad + v if r else v + pad)
        return "| " + " | ".join(parts) + " |"

    out = [frame, line_of(headers), separator] if header else [frame]
    out.extend(line_of(line) for line in cells)
    out.append(frame)
    return "\n".join(out) + "\n"


def _lines(row: list[str]) -> list[list[str]]:
    """A row whose values span lines (pretty-printed JSON, GET_DDL's text) as one table line per
    text line, tabs expanded (GET_DDL indents columns with a tab)."""
    split = [[expand_tabs(line) for line in v.split("\n")] for v in row]
    height = max((len(s) for s in split), default=1)
    return [[s[k] if k < len(s) else "" for s in split] for k in range(height)]


def rows_produced(count: int, elapsed: float) -> str:
    """SnowSQL's summary line: `3 Row(s) produced. Time Elapsed: 0.123s`."""
    return f"{count} Row(s) produced. Time Elapsed: {elapsed:.3f}s\n"


_READABLE: frozenset[Format] = frozenset({"box", "vertical"})


def render(
    result: Result, ctx: RunContext, fmt: Format | None = None, elapsed: float = 0.0
) -> None:
    """Write one Snowflake result as SnowSQL does. Rows in the box format (the default) get
    SnowSQL's table, csv/tsv/json/vertical the shell's own layouts, on stdout. In box and
    vertical a status is a one-row `status` table and every result is followed by the summary
    line (`elapsed` is the statement's time there; `-o timing=false` drops it); in the machine
    formats stdout is data only: a status goes to stderr as its message, and no summary line
    is written. `-o quiet=true` drops statuses altogether; `-o header=false` header rows."""
    chosen = fmt or ctx.state.fmt
    if isinstance(result, Status):
        if ctx.state.quiet:
            return
        if chosen not in _READABLE:
            ctx.write_err(result.message + "\n")
            return
        result = Rows((Column("status", "TEXT"),), [(result.message,)])
    if isinstance(result, Rows):
        if chosen == "box":
            text = format_snowsql_box(result.columns, result.rows, ctx.state.header)
        elif chosen == "vertical":
            text = format_vertical(result.columns, result.rows, sf_value_text)
        else:
            ctx.write_result(
                format_data(result, chosen, ctx.state.header, sf_value_text, ctx.state.null_text)
            )
            return
        if ctx.state.summary:
            text += rows_produced(len(result.rows), elapsed)
        ctx.write_result(text)
    elif isinstance(result, Text):
        render_text(result, ctx)
    else:  # the DESC box is MaxCompute's; a Snowflake DESC answers rows
        render_unknown(result, ctx)
