"""What every dialect's rendering shares: the text of a value (the shell's own, which csv, tsv,
json and vertical output use in both dialects), the csv/tsv/json/vertical layouts, the column
widths of a box, and server text. Pure string building; each dialect's renderer
(`maxcompute.py`, `snowflake.py`) decides which stream gets what.
"""

from __future__ import annotations

import json
import math
import struct
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from cloneshell.engine import Column, Result, Rows, Text
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


def one_line(text: str) -> str:
    """A cell of a box on one line: a line break in a value is shown as `\\n` (`\\r`), so
    the box's borders stay straight (csv, tsv and json keep the value as it is)."""
    return text.replace("\r", "\\r").replace("\n", "\\n")


def datetime_text(value: datetime) -> str:
    """`yyyy-MM-dd HH:mm:ss[.fff…]` (the fraction, to the nanosecond, only when non-zero,
    trailing zeros dropped)."""
    text = (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )
    # A MaxCompute TIMESTAMP carries its nanoseconds (the engine's NanoDatetime).
    nanos = value.microsecond * 1000 + int(getattr(value, "nanosecond", 0))
    if nanos:
        text += "." + f"{nanos:09d}".rstrip("0")
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


def column_widths(headers: Sequence[str], cells: Sequence[Sequence[str]]) -> list[int]:
    """Each column's width in a box: max(header, widest value) in display columns."""
    widths = [display_width(h) for h in headers]
    for line in cells:
        for i, cell in enumerate(line):
            w = display_width(cell)
            if w > widths[i]:
                widths[i] = w
    return widths


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


ValueText = Callable[[object, str], str]
"""A dialect's box text of one value (`value_text`, or Snowflake's `sf_value_text`)."""

_CSV_SPECIAL = frozenset(',"\n\r')


def _csv_field(text: str, quote: bool) -> str:
    if quote or not text or any(ch in _CSV_SPECIAL for ch in text):
        return '"' + text.replace('"', '""') + '"'
    return text


def format_csv(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    header: bool = True,
    text: ValueText = value_text,
    null_text: str = "",
) -> str:
    """RFC 4180 CSV with a header row (unless `header` is false). NULL is `null_text`, by
    default an empty field (what spreadsheet and pandas readers expect); an empty string is
    then written `""`, and a string equal to `null_text` is quoted, so the two stay apart (as
    PostgreSQL's COPY … CSV does). Other values use their box text."""
    lines = [",".join(_csv_field(c.name, False) for c in columns)] if header else []
    types = [c.type for c in columns]
    for row in rows:
        fields = []
        for v, t in zip(row, types, strict=False):
            if v is None:
                fields.append(null_text)
            else:
                value = text(v, t)
                fields.append(_csv_field(value, value == null_text))
        lines.append(",".join(fields))
    return "".join(line + "\n" for line in lines)


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def format_tsv(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    header: bool = True,
    text: ValueText = value_text,
    null_text: str = "",
) -> str:
    """Tab-separated with a header row (unless `header` is false); backslash, tab and newlines
    escaped as `\\\\ \\t \\n \\r` so each row stays one line. NULL is `null_text`, by
    default an empty field as in csv; `--null-text '\\N'` is MySQL's and PostgreSQL's spelling,
    which no value can take (a value's backslash is doubled)."""
    types = [c.type for c in columns]
    lines = ["\t".join(c.name.translate(_TSV_ESCAPES) for c in columns)] if header else []
    for row in rows:
        lines.append(
            "\t".join(
                null_text if v is None else text(v, t).translate(_TSV_ESCAPES)
                for v, t in zip(row, types, strict=False)
            )
        )
    return "".join(line + "\n" for line in lines)


def json_value(value: object, type_name: str = "", text: ValueText = value_text) -> object:
    """A value as a JSON-serializable object: ints, floats and booleans stay numbers/booleans
    (NaN and infinities become null, which JSON cannot spell), Decimal becomes a string so the
    scale survives (`"299.00"`), dates and times the dialect's box text (`text`: the same
    timestamp in box, csv, tsv and json), ARRAY/MAP/STRUCT nested JSON, anything else its box
    text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return float(_float_text(value, type_name))
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return text(value, type_name)
    if isinstance(value, list | tuple):
        return [json_value(v, "", text) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v, "", text) for k, v in value.items()}
    return text(value, type_name)


def _json_rows(
    columns: Sequence[Column], rows: Sequence[Sequence[object]], text: ValueText
) -> list[str]:
    names = _unique_names(columns)
    types = [c.type for c in columns]
    return [
        json.dumps(
            {n: json_value(v, t, text) for n, v, t in zip(names, row, types, strict=False)},
            ensure_ascii=False,
        )
        for row in rows
    ]


def format_json(
    columns: Sequence[Column], rows: Sequence[Sequence[object]], text: ValueText = value_text
) -> str:
    """A JSON array with one object per row, one row per line (greppable, still valid JSON):
    one document per result, so a script of several queries writes several documents (`jq`
    reads them in turn; `jsonl` writes one stream of rows instead)."""
    if not rows:
        return "[]\n"
    return "[\n" + ",\n".join(_json_rows(columns, rows, text)) + "\n]\n"


def format_jsonl(
    columns: Sequence[Column], rows: Sequence[Sequence[object]], text: ValueText = value_text
) -> str:
    """JSON Lines: one object per row and line, nothing else (an empty result writes
    nothing), so the rows of every query of a script form one stream."""
    return "".join(line + "\n" for line in _json_rows(columns, rows, text))


def format_markdown(
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    text: ValueText = value_text,
    aligned: bool = True,
) -> str:
    """A Markdown pipe table (`markdown`: with tabulate's `pipe` alignment colons, numbers
    right-aligned; `github`: plain `|---|` rules as tabulate's `github`). `|` in a value is
    escaped as `\\|`, a line break shown as `<br>`."""
    if not columns:
        return ""
    types = [c.type for c in columns]

    def cell(v: object, t: str) -> str:
        return text(v, t).replace("|", "\\|").replace("\r\n", "<br>").replace("\n", "<br>")

    cells = [[cell(v, t) for v, t in zip(row, types, strict=False)] for row in rows]
    headers = [c.name.replace("|", "\\|") for c in columns]
    widths = [max(w, 3) for w in column_widths(headers, cells)]
    numeric = [
        bool(rows)
        and all(isinstance(r[i], int | float | Decimal) or r[i] is None for r in rows)
        and any(isinstance(r[i], int | float | Decimal) for r in rows)
        and not any(isinstance(r[i], bool) for r in rows)
        for i in range(len(columns))
    ]

    def pad(value: str, width: int, right: bool) -> str:
        gap = " " * (width - display_width(value))
        return gap + value if right else value + gap

    def line(values: Sequence[str]) -> str:
        right = numeric if aligned else [False] * len(values)
        padded = (pad(v, w, r) for v, w, r in zip(values, widths, right, strict=True))
        return "| " + " | ".join(padded) + " |"

    if aligned:
        rule = (
            "|"
            + "|".join(
                ("-" * (w + 1) + ":") if r else (":" + "-" * (w + 1))
                for w, r in zip(widths, numeric, strict=True)
            )
            + "|"
        )
    else:
        rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(c) for c in cells)]) + "\n"


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


def format_data(
    result: Rows,
    fmt: Format,
    header: bool = True,
    text: ValueText = value_text,
    null_text: str = "",
) -> str:
    """A query result as csv, tsv, json, jsonl, markdown or github: the layouts every dialect
    shares, with its value text (`header`: the csv/tsv header row; `null_text`: csv/tsv NULL)."""
    if fmt == "csv":
        return format_csv(result.columns, result.rows, header, text, null_text)
    if fmt == "tsv":
        return format_tsv(result.columns, result.rows, header, text, null_text)
    if fmt in ("markdown", "github"):
        return format_markdown(result.columns, result.rows, text, aligned=fmt == "markdown")
    if fmt == "jsonl":
        return format_jsonl(result.columns, result.rows, text)
    return format_json(result.columns, result.rows, text)


def render_text(result: Text, ctx: RunContext) -> None:
    """Server text (SHOW TABLES lines, WHOAMI, …) as a result; `OK` on `out` when it is empty,
    as odpscmd's authorization commands print it."""
    if result.lines:
        ctx.write_result("\n".join(result.lines) + "\n")
    else:
        ctx.write_out("OK\n")


def render_unknown(result: Result, ctx: RunContext) -> None:
    """A Result kind this shell does not know yet: shown rather than dropped."""
    ctx.write_out(f"{result!r}\n")
