"""Turning `Result`s into odpscmd-style text: SELECT boxes (or csv/tsv/json), DESC boxes, status
lines and server text. Pure string building plus one `render_result` that picks the stream.

Where odpscmd's behaviour is known it is reproduced (reference/maxcompute.md §2); where it is not,
the choice is documented next to the code.
"""

from __future__ import annotations

import csv
import io
import json
import math
import struct
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from cloneshell.engine.core.result import (
    Column,
    ColumnInfo,
    Result,
    Rows,
    Status,
    TableDescription,
    Text,
)
from cloneshell.shell.context import Format, RunContext
from cloneshell.shell.width import display_width

# ---------------------------------------------------------------------------------------------
# Values


def value_text(value: object, type_name: str = "") -> str:
    """One value as odpscmd shows it in a box (and as csv/tsv write it, except NULL).

    - NULL -> `NULL`; booleans -> `true`/`false` (MaxCompute's spelling).
    - datetime -> `yyyy-MM-dd HH:mm:ss`, plus the fraction without trailing zeros when the
      microseconds are non-zero (Java's Timestamp style); an aware datetime shows its own wall
      time, without the offset, as MaxCompute TIMESTAMP does.
    - Decimal -> fixed-point text that keeps the scale (`299.00`, never `3E+2`).
    - float -> Python's shortest round-trip text (`1.5`, `100.1`, `3.0`); NaN and infinities
      are spelled as Java does (`NaN`, `Infinity`). A `float` column (32-bit in MaxCompute)
      is shortened to the fewest digits that survive a float32 round trip, so 0.1f prints
      as `0.1` rather than `0.10000000149011612`.
    - bytes -> MaxCompute's BINARY display: printable ASCII as is, every other byte (and `=`)
      as `=XX` (the ENCODE() doc shows `=00a=00b=00c`).
    - list/tuple/dict (ARRAY/MAP/STRUCT) -> JSON, as odpscmd prints complex types.
    """
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value, type_name)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, timedelta | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return _binary_text(bytes(value))
    if isinstance(value, list | tuple | dict):
        return _complex_text(value)
    return str(value)


def datetime_text(value: datetime) -> str:
    """`yyyy-MM-dd HH:mm:ss[.fff…]` (the fraction only when non-zero, trailing zeros dropped)."""
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    if value.microsecond:
        text += "." + f"{value.microsecond:06d}".rstrip("0")
    return text


def _float_text(value: float, type_name: str) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if type_name.lower() == "float":
        packed = struct.pack("<f", value)
        for digits in range(1, 10):
            text = f"{value:.{digits}g}"
            if struct.pack("<f", float(text)) == packed:
                return repr(float(text))
    return repr(value)


def _binary_text(data: bytes) -> str:
    return "".join(chr(b) if 0x20 <= b < 0x7F and b != 0x3D else f"={b:02X}" for b in data)


def _complex_text(value: object) -> str:
    """JSON-like text for ARRAY/MAP/STRUCT values: JSON syntax, scalars in their box text."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_complex_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(
                json.dumps(str(k), ensure_ascii=False) + ": " + _complex_text(v)
                for k, v in value.items()
            )
            + "}"
        )
    if value is None:
        return "null"
    if isinstance(value, bool | int | float | Decimal):
        return value_text(value)
    return json.dumps(value_text(value), ensure_ascii=False)


# ---------------------------------------------------------------------------------------------
# Rows


def format_box(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> str:
    """The odpscmd SELECT box: frame, header, frame, rows, frame; every cell left-aligned.

    Column width is max(header, widest value) in display columns, as in the documentation's
    examples (the seed shows `| id |`, so no minimum width of 10 as in odpscmd's tunnel mode),
    and no trailing space after the last `|`. An empty result still prints the header box.
    """
    if not columns:
        return ""
    types = [c.type for c in columns]
    cells = [[value_text(v, t) for v, t in zip(row, types, strict=False)] for row in rows]
    headers = [c.name for c in columns]
    widths = [display_width(h) for h in headers]
    for line in cells:
        for i, cell in enumerate(line):
            w = display_width(cell)
            if w > widths[i]:
                widths[i] = w
    frame = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def line_of(values: Sequence[str]) -> str:
        parts = [v + " " * (w - display_width(v)) for v, w in zip(values, widths, strict=False)]
        return "| " + " | ".join(parts) + " |"

    out = [frame, line_of(headers), frame]
    out.extend(line_of(line) for line in cells)
    out.append(frame)
    return "\n".join(out) + "\n"


def _unique_names(columns: Sequence[Column]) -> list[str]:
    """Column names made unique for JSON keys: a second `id` becomes `id_2` (a join of two
    tables' `id` columns would otherwise lose one value)."""
    seen: dict[str, int] = {}
    names = []
    for c in columns:
        n = seen.get(c.name, 0) + 1
        seen[c.name] = n
        names.append(c.name if n == 1 else f"{c.name}_{n}")
    return names


def format_csv(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> str:
    """RFC 4180 CSV with a header row. NULL is an empty field (what spreadsheet and pandas
    readers expect); other values use their box text."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.name for c in columns])
    types = [c.type for c in columns]
    for row in rows:
        writer.writerow(
            ["" if v is None else value_text(v, t) for v, t in zip(row, types, strict=False)]
        )
    return buf.getvalue()


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def format_tsv(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> str:
    """Tab-separated with a header row; backslash, tab and newlines escaped as `\\\\ \\t \\n
    \\r` so each row stays one line. NULL is an empty field, as in csv."""
    types = [c.type for c in columns]
    lines = ["\t".join(c.name.translate(_TSV_ESCAPES) for c in columns)]
    for row in rows:
        lines.append(
            "\t".join(
                "" if v is None else value_text(v, t).translate(_TSV_ESCAPES)
                for v, t in zip(row, types, strict=False)
            )
        )
    return "\n".join(lines) + "\n"


def json_value(value: object, type_name: str = "") -> object:
    """A value as a JSON-serializable object: ints, floats and booleans stay numbers/booleans
    (NaN and infinities become null, which JSON cannot spell), Decimal becomes a string so the
    scale survives (`"299.00"`), dates and times ISO 8601 strings, ARRAY/MAP/STRUCT nested
    JSON, anything else its box text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return float(_float_text(value, type_name))
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return value_text(value, type_name)


def format_json(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> str:
    """A JSON array with one object per row, one row per line (greppable, still valid JSON)."""
    if not rows:
        return "[]\n"
    names = _unique_names(columns)
    types = [c.type for c in columns]
    lines = [
        json.dumps(
            {n: json_value(v, t) for n, v, t in zip(names, row, types, strict=False)},
            ensure_ascii=False,
        )
        for row in rows
    ]
    return "[\n" + ",\n".join(lines) + "\n]\n"


# MySQL's `\\G` header: 27 stars, ` N. row `, 27 stars.
_STARS = "*" * 27


def format_vertical(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    text: Callable[[object, str], str] | None = None,
) -> str:
    """One block per row, as MySQL prints with `\\G`: a `*** N. row ***` line, then one
    `name: value` line per column with the names right-aligned, so wide rows stay readable.
    Values use the dialect's box text (`text`; MaxCompute's by default, NULL as `NULL`); an
    empty result prints nothing (the caller says `Empty set`)."""
    text = text or value_text
    if not columns or not rows:
        return ""
    names = [c.name for c in columns]
    width = max(display_width(n) for n in names)
    types = [c.type for c in columns]
    out: list[str] = []
    for number, row in enumerate(rows, 1):
        out.append(f"{_STARS} {number}. row {_STARS}")
        for name, value, type_name in zip(names, row, types, strict=False):
            pad = " " * (width - display_width(name))
            out.append(f"{pad}{name}: {text(value, type_name)}")
    return "\n".join(out) + "\n"


def format_rows(result: Rows, fmt: Format = "box") -> str:
    """A query result in the chosen output format."""
    if fmt == "vertical":
        return format_vertical(result.columns, result.rows)
    if fmt == "csv":
        return format_csv(result.columns, result.rows)
    if fmt == "tsv":
        return format_tsv(result.columns, result.rows)
    if fmt == "json":
        return format_json(result.columns, result.rows)
    return format_box(result.columns, result.rows)


# ---------------------------------------------------------------------------------------------
# DESC
#
# odpscmd builds this box with Java format strings (DescribeTableCommand.getBasicScreenDisplay,
# aliyun-odps-console); `%-Ns` pads to N characters and never truncates, which is what
# str.ljust does. Padding counts characters, not display columns, exactly like Java, so a CJK
# comment pushes the right border out in odpscmd too.

_FRAME = "+" + "-" * 84 + "+"


def _labelled(label: str, value: object) -> str:
    """`| CreateTime:               %-56s |`: the label padded to 26 columns."""
    return f"| {label:<26}{value!s:<56} |"


def _section(title: str) -> str:
    """`| Native Columns:     …     |`: a title line padded to the box."""
    return f"| {title:<82} |"


def _extended_pair(key: str, value: str) -> str:
    """An Extended Info line for a native table: `| <key>:` padded to 26 columns (at least one
    space), then `%-56s`, as odpscmd prints reserved JSON fields."""
    return f"| {key}:{' ' * max(25 - len(key), 1)}{value:<56} |"


def _external_pair(key: str, value: str) -> str:
    """An Extended Info line for an external table: `| %-20s: %-60s |`."""
    return f"| {key:<20}: {value:<60} |"


def _desc_time(value: datetime) -> str:
    """`yyyy-MM-dd HH:mm:ss` (SimpleDateFormat in odpscmd: no fraction)."""
    return datetime_text(value.replace(microsecond=0))


def _column_line(c: ColumnInfo, extended: bool) -> str:
    if extended:
        default = "NULL" if c.default is None else c.default
        nullable = "true" if c.nullable else "false"
        return (
            f"| {c.name:<8} | {c.type.lower():<6} | {c.label:<5} | {'':<13} | {nullable:<8} "
            f"| {default:<12} | {c.comment:<12} |"
        )
    return f"| {c.name:<15} | {c.type.lower():<10} | {c.label:<5} | {c.comment:<43} |"


def format_description(d: TableDescription) -> str:
    """The `DESC [EXTENDED] t [PARTITION (…)]` box, line for line as odpscmd prints it."""
    if d.partition is not None:
        p = d.partition
        lines = [
            _FRAME,
            f"| PartitionSize: {p.size:<67} |",
            _FRAME,
            _labelled("CreateTime:", _desc_time(p.create_time)),
            _labelled("LastDDLTime:", _desc_time(p.ddl_time)),
            _labelled("LastModifiedTime:", _desc_time(p.modified_time)),
            _FRAME,
        ]
        if d.extended and d.extended_info:
            lines.extend(_extended_pair(k, v) for k, v in d.extended_info)
            lines.append(_FRAME)
        return "\n".join(lines) + "\n"

    lines = [_FRAME, _labelled("Owner:", d.owner), _labelled("Project:", d.project)]
    if d.schema is not None:
        lines.append(_labelled("Schema:", d.schema))
    lines += [
        f"| TableComment: {d.comment:<68} |",
        _FRAME,
        _labelled("CreateTime:", _desc_time(d.create_time)),
        _labelled("LastDDLTime:", _desc_time(d.ddl_time)),
        _labelled("LastModifiedTime:", _desc_time(d.modified_time)),
    ]
    if d.lifecycle is not None:
        lines.append(_labelled("Lifecycle:", d.lifecycle))
    lines.append(_FRAME)
    if d.external:
        # Current odpscmd prints no size for external tables; the location goes where a view's
        # `| ViewText: %-72s |` goes.
        lines.append(_section("ExternalTable: YES"))
        if d.location:
            lines.append(f"| Location: {d.location:<72} |")
    else:
        lines.append(f"| InternalTable: YES      | Size: {d.size:<50} |")
    lines += [_FRAME, _section("Native Columns:"), _FRAME]
    if d.extended:
        lines.append(
            f"| {'Field':<8} | {'Type':<6} | {'Label':<5} | {'ExtendedLabel':<13} "
            f"| {'Nullable':<8} | {'DefaultValue':<12} | {'Comment':<12} |"
        )
    else:
        lines.append(f"| {'Field':<15} | {'Type':<10} | {'Label':<5} | {'Comment':<43} |")
    lines.append(_FRAME)
    lines.extend(_column_line(c, d.extended) for c in d.columns)
    lines.append(_FRAME)
    if d.partition_columns:
        lines += [_section("Partition Columns:"), _FRAME]
        lines.extend(
            f"| {c.name:<15} | {c.type.lower():<10} | {c.comment:<51} |"
            for c in d.partition_columns
        )
        lines.append(_FRAME)
    if d.extended:
        pair = _external_pair if d.external else _extended_pair
        lines += [_section("Extended Info:"), _FRAME]
        lines.extend(pair(k, v) for k, v in d.extended_info)
        lines.append(_FRAME)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# Dispatch


def render_result(
    result: Result, ctx: RunContext, fmt: Format | None = None, elapsed: float = 0.0
) -> None:
    """Write one result where odpscmd writes it: data on `out`; SQL status (`OK`) on `err` so
    `cloneshell -e … > file` keeps only data; server text on `out` (`OK` on `out` when empty, as
    odpscmd's authorization commands do). Non-row results look the same in every format.
    `fmt` overrides the session's format for this result (a statement ended with `\\G`).

    When the session speaks Snowflake (checked per result: `\\dialect` and `ALTER SESSION SET
    DIALECT` change it mid-script), rows and statuses look as SnowSQL prints them instead
    (`render_snowflake`); `elapsed` is the statement's time for SnowSQL's summary line."""
    if getattr(ctx.session, "dialect_name", "maxcompute") == "snowflake":
        render_snowflake(result, ctx, fmt, elapsed)
        return
    if isinstance(result, Rows):
        chosen = fmt or ctx.state.fmt
        if chosen == "vertical" and not result.rows:
            ctx.write_err("Empty set\n")  # MySQL's words; a vertical result has no header
        else:
            ctx.write_result(format_rows(result, chosen))
    elif isinstance(result, Status):
        ctx.write_err(result.message + "\n")
    elif isinstance(result, Text):
        _render_text(result, ctx)
    elif isinstance(result, TableDescription):
        ctx.write_result(format_description(result))
        ctx.write_err("OK\n")
    else:  # a Result kind this shell does not know yet: show it rather than drop it
        ctx.write_out(f"{result!r}\n")


def _render_text(result: Text, ctx: RunContext) -> None:
    if result.lines:
        ctx.write_result("\n".join(result.lines) + "\n")
    else:
        ctx.write_out("OK\n")


# ---------------------------------------------------------------------------------------------
# SnowSQL
#
# SnowSQL's default `output_format=psql` (reference/snowflake.md §4.6): a box with `+---+`
# borders, a `|---+---|` separator under the header, numbers right-aligned (the header too, as
# the tabulate library SnowSQL uses aligns it), text left-aligned, NULL as `NULL`, then
# `N Row(s) produced. Time Elapsed: 0.123s` after every result, all on stdout. A status is a
# one-row table with a `status` column. Errors are `format_error`'s business.

_SF_NUMERIC_TYPES = frozenset(
    {
        "NUMBER", "DECIMAL", "NUMERIC", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT",
        "BYTEINT", "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL",
    }
)  # fmt: skip
_SF_ZONED_TYPES = frozenset({"TIMESTAMP_LTZ", "TIMESTAMP_TZ"})


def sf_value_text(value: object, type_name: str = "") -> str:
    """One value as SnowSQL shows it.

    - NULL -> `NULL`; booleans -> `True`/`False` (SnowSQL prints Python's spelling).
    - TIMESTAMP_NTZ (a naive datetime) -> `2024-01-15 10:00:00.000` (Snowflake's default
      output format, `YYYY-MM-DD HH24:MI:SS.FF3`); an aware datetime, or a naive one in a
      TIMESTAMP_LTZ/TZ column (the warehouse stores UTC) -> `… 10:00:00.000 +0000`.
    - DATE -> `2024-01-15`; TIME -> `10:00:00`.
    - Decimal keeps its scale; float is Python's shortest text (`NaN`, `inf`, `-inf`).
    - bytes -> upper-case hex (Snowflake's default BINARY_OUTPUT_FORMAT).
    - ARRAY/OBJECT -> JSON.
    """
    if value is None:
        return "NULL"
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
        return sf_timestamp_text(value, zoned=type_name.upper() in _SF_ZONED_TYPES)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex().upper()
    if isinstance(value, list | tuple | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


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


def _sf_numeric(column: Column, values: Sequence[object]) -> bool:
    """Right-align this column? By its Snowflake type when it has one, else by its values (all
    numbers, NULLs allowed, at least one number), as tabulate decides."""
    base = column.type.upper().split("(")[0].strip()
    if base:
        return base in _SF_NUMERIC_TYPES
    seen = False
    for v in values:
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, int | float | Decimal):
            return False
        seen = True
    return seen


def format_snowsql_box(columns: Sequence[Column], rows: Sequence[Sequence[object]]) -> str:
    """SnowSQL's psql table:

        +---+------+
        | N | S    |
        |---+------|
        | 1 | x    |
        +---+------+

    Widths are max(header, widest value) in display columns; an empty result keeps the header.
    """
    if not columns:
        return ""
    types = [c.type for c in columns]
    cells = [[sf_value_text(v, t) for v, t in zip(row, types, strict=False)] for row in rows]
    headers = [c.name for c in columns]
    right = [_sf_numeric(c, [row[i] for row in rows]) for i, c in enumerate(columns)]
    widths = [display_width(h) for h in headers]
    for line in cells:
        for i, cell in enumerate(line):
            widths[i] = max(widths[i], display_width(cell))
    dashes = ["-" * (w + 2) for w in widths]
    frame = "+" + "+".join(dashes) + "+"
    separator = "|" + "+".join(dashes) + "|"

    def line_of(values: Sequence[str]) -> str:
        parts = []
        for v, w, r in zip(values, widths, right, strict=False):
            pad = " " * (w - display_width(v))
            parts.append(pad + v if r else v + pad)
        return "| " + " | ".join(parts) + " |"

    out = [frame, line_of(headers), separator]
    out.extend(line_of(line) for line in cells)
    out.append(frame)
    return "\n".join(out) + "\n"


def rows_produced(count: int, elapsed: float) -> str:
    """SnowSQL's summary line: `3 Row(s) produced. Time Elapsed: 0.123s`."""
    return f"{count} Row(s) produced. Time Elapsed: {elapsed:.3f}s\n"


def render_snowflake(
    result: Result, ctx: RunContext, fmt: Format | None = None, elapsed: float = 0.0
) -> None:
    """Write one Snowflake result as SnowSQL does, everything on stdout. Rows in the box format
    (the default) get SnowSQL's table; csv/tsv/json/vertical keep the shell's own layouts (the
    summary line follows only the human-readable ones: box and vertical)."""
    if isinstance(result, Status):
        result = Rows((Column("status", "TEXT"),), [(result.message,)])
    if isinstance(result, Rows):
        chosen = fmt or ctx.state.fmt
        if chosen == "box":
            text = format_snowsql_box(result.columns, result.rows)
        elif chosen == "vertical":
            text = format_vertical(result.columns, result.rows, sf_value_text)
        else:
            ctx.write_result(format_rows(result, chosen))
            return
        ctx.write_result(text + rows_produced(len(result.rows), elapsed))
    elif isinstance(result, Text):
        _render_text(result, ctx)
    elif isinstance(result, TableDescription):
        ctx.write_result(format_description(result))
    else:
        ctx.write_out(f"{result!r}\n")
