"""Results as odpscmd prints them (reference/maxcompute.md §2): the SELECT box, the DESC box,
and which stream each result goes to — data on stdout, SQL status (`OK`) on stderr.

Where odpscmd's behaviour is known it is reproduced; where it is not, the choice is documented
next to the code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cloneshell.engine import Column, ColumnInfo, Result, Rows, Status, TableDescription, Text
from cloneshell.shell.context import Format, RunContext
from cloneshell.shell.render.common import (
    column_widths,
    datetime_text,
    format_data,
    format_vertical,
    render_text,
    render_unknown,
    value_text,
)
from cloneshell.shell.width import display_width

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
    widths = column_widths(headers, cells)
    frame = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def line_of(values: Sequence[str]) -> str:
        parts = [v + " " * (w - display_width(v)) for v, w in zip(values, widths, strict=False)]
        return "| " + " | ".join(parts) + " |"

    out = [frame, line_of(headers), frame]
    out.extend(line_of(line) for line in cells)
    out.append(frame)
    return "\n".join(out) + "\n"


def format_rows(result: Rows, fmt: Format = "box", header: bool = True) -> str:
    """A query result in the chosen output format (`header`: the csv/tsv header row)."""
    if fmt == "vertical":
        return format_vertical(result.columns, result.rows)
    if fmt == "box":
        return format_box(result.columns, result.rows)
    return format_data(result, fmt, header)


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
    if d.view_text is not None:
        lines.append(_section("VirtualView  : YES"))
        lines.append(f"| ViewText: {d.view_text:<72} |")
    elif d.external:
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
# Streams


def render(
    result: Result, ctx: RunContext, fmt: Format | None = None, elapsed: float = 0.0
) -> None:
    """Write one result where odpscmd writes it: data on `out`; SQL status (`OK`) on `err` so
    `cloneshell -e … > file` keeps only data; server text on `out` (`OK` on `out` when empty, as
    odpscmd's authorization commands do). Non-row results look the same in every format.
    `fmt` overrides the session's format for this result (a statement ended with `\\G`);
    odpscmd prints no elapsed time, so `elapsed` is unused."""
    if isinstance(result, Rows):
        chosen = fmt or ctx.state.fmt
        if chosen == "vertical" and not result.rows:
            ctx.write_err("Empty set\n")  # MySQL's words; a vertical result has no header
        else:
            ctx.write_result(format_rows(result, chosen, ctx.state.header))
    elif isinstance(result, Status):
        if not ctx.state.quiet:
            ctx.write_err(result.message + "\n")
    elif isinstance(result, Text):
        render_text(result, ctx)
    elif isinstance(result, TableDescription):
        ctx.write_result(format_description(result))
        ctx.write_err("OK\n")
    else:
        render_unknown(result, ctx)
