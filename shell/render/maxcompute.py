"""Results as odpscmd prints them (reference/maxcompute.md §2): the SELECT box, the DESC box,
and which stream each result goes to — data on stdout, SQL status (`OK`) on stderr.

Where odpscmd's behaviour is known it is reproduced; where it is not, the choice is documented
next to the code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from cloneshell.engine import Column, Result, Rows, Status, TableDescription, Text
from cloneshell.shell.context import Format, RunContext
from cloneshell.shell.render.common import (
    column_widths,
    datetime_text,
    format_data,
    format_vertical,
    one_line,
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
    cells = [[one_line(value_text(v, t)) for v, t in zip(row, types, strict=False)] for row in rows]
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


def format_rows(result: Rows, fmt: Format = "box", header: bool = True, null_text: str = "") -> str:
    """A query result in the chosen output format (`header`: the csv/tsv header row,
    `null_text`: how csv/tsv write NULL)."""
    if fmt == "vertical":
        return format_vertical(result.columns, result.rows)
    if fmt == "box":
        return format_box(result.columns, result.rows)
    return format_data(result, fmt, header, value_text, null_text)


# ---------------------------------------------------------------------------------------------
# DESC
#
# odpscmd builds this box with Java format strings (DescribeTableCommand.getBasicScreenDisplay,
# aliyun-odps-console); `%-Ns` pads to N characters and never truncates, which is what
# str.ljust does. Padding counts characters, not display columns, exactly like Java, so a CJK
# comment pushes the right border out in odpscmd too.

# Columns are sized to their content, as odpscmd's current console does: a long name or type
# (`decimal(10,2)`, `map<string,array<bigint>>`) widens its column and the last column gives up
# the room it has spare; what still does not fit (a long comment) widens the whole box, so the
# right border stays straight. A newline in a value is shown as `\n`.

_INNER = 82  # the text between `| ` and ` |` in odpscmd's 86-character box
_RULE = "\x00rule"  # marks a frame line until the box's width is known


def _one_line(value: object) -> str:
    return one_line(str(value))


def _labelled(label: str, value: object) -> str:
    """`| CreateTime:               %-56s |`: the label padded to 26 columns."""
    return f"{label:<26}{_one_line(value)}"


def _extended_pair(key: str, value: str) -> str:
    """An Extended Info line for a native table: `| <key>:` padded to 26 columns (at least one
    space), then `%-56s`, as odpscmd prints reserved JSON fields."""
    return f"{key}:{' ' * max(25 - len(key), 1)}{_one_line(value)}"


def _external_pair(key: str, value: str) -> str:
    """An Extended Info line for an external table: `| %-20s: %-60s |`."""
    return f"{key:<20}: {_one_line(value)}"


def _desc_time(value: datetime) -> str:
    """`yyyy-MM-dd HH:mm:ss` (SimpleDateFormat in odpscmd: no fraction)."""
    return datetime_text(value.replace(microsecond=0))


def _width(values: Sequence[str], least: int) -> int:
    return max([least, *(len(v) for v in values)])


def _boxed(lines: Sequence[str]) -> str:
    """Frame and pad the box's lines to its widest one (at least odpscmd's)."""
    inner = _width([line for line in lines if line != _RULE], _INNER)
    frame = "+" + "-" * (inner + 2) + "+"
    return "".join(frame + "\n" if line == _RULE else f"| {line:<{inner}} |\n" for line in lines)


def _column_lines(d: TableDescription) -> list[str]:
    """The Native Columns table: header and one line per column, names, types and defaults
    as wide as the widest."""
    cols = d.columns
    names = [c.name for c in (*cols, *d.partition_columns)]
    types = [c.type.lower() for c in (*cols, *d.partition_columns)]
    if d.extended:
        nw, tw = _width(names, 8), _width(types, 6)
        defaults = ["NULL" if c.default is None else _one_line(c.default) for c in cols]
        dw = _width(defaults, 12)
        header = (
            f"{'Field':<{nw}} | {'Type':<{tw}} | {'Label':<5} | {'ExtendedLabel':<13} "
            f"| {'Nullable':<8} | {'DefaultValue':<{dw}} | Comment"
        )
        body = [
            f"{c.name:<{nw}} | {c.type.lower():<{tw}} | {c.label:<5} | {'':<13} "
            f"| {'true' if c.nullable else 'false':<8} | {default:<{dw}} "
            f"| {_one_line(c.comment)}"
            for c, default in zip(cols, defaults, strict=True)
        ]
        return [header, _RULE, *body]
    nw, tw = _width(names, 15), _width(types, 10)
    header = f"{'Field':<{nw}} | {'Type':<{tw}} | {'Label':<5} | Comment"
    body = [
        f"{c.name:<{nw}} | {c.type.lower():<{tw}} | {c.label:<5} | {_one_line(c.comment)}"
        for c in cols
    ]
    return [header, _RULE, *body]


def _partition_lines(d: TableDescription) -> list[str]:
    names = [c.name for c in (*d.columns, *d.partition_columns)]
    types = [c.type.lower() for c in (*d.columns, *d.partition_columns)]
    nw, tw = _width(names, 15), _width(types, 10)
    return [
        f"{c.name:<{nw}} | {c.type.lower():<{tw}} | {_one_line(c.comment)}"
        for c in d.partition_columns
    ]


def format_description(d: TableDescription) -> str:
    """The `DESC [EXTENDED] t [PARTITION (…)]` box, line for line as odpscmd prints it."""
    if d.partition is not None:
        p = d.partition
        lines = [
            _RULE,
            f"PartitionSize: {p.size}",
            _RULE,
            _labelled("CreateTime:", _desc_time(p.create_time)),
            _labelled("LastDDLTime:", _desc_time(p.ddl_time)),
            _labelled("LastModifiedTime:", _desc_time(p.modified_time)),
            _RULE,
        ]
        if d.extended and d.extended_info:
            lines.extend(_extended_pair(k, v) for k, v in d.extended_info)
            lines.append(_RULE)
        return _boxed(lines)

    lines = [_RULE, _labelled("Owner:", d.owner), _labelled("Project:", d.project)]
    if d.schema is not None:
        lines.append(_labelled("Schema:", d.schema))
    lines += [
        f"TableComment: {_one_line(d.comment)}",
        _RULE,
        _labelled("CreateTime:", _desc_time(d.create_time)),
        _labelled("LastDDLTime:", _desc_time(d.ddl_time)),
        _labelled("LastModifiedTime:", _desc_time(d.modified_time)),
    ]
    if d.lifecycle is not None:
        lines.append(_labelled("Lifecycle:", d.lifecycle))
    lines.append(_RULE)
    if d.view_text is not None:
        lines.append("VirtualView  : YES")
        lines.append(f"ViewText: {_one_line(d.view_text)}")
    elif d.external:
        # Current odpscmd prints no size for external tables; the location goes where a view's
        # `| ViewText: %-72s |` goes.
        lines.append("ExternalTable: YES")
        if d.location:
            lines.append(f"Location: {_one_line(d.location)}")
    else:
        lines.append(f"InternalTable: YES      | Size: {d.size}")
    lines += [_RULE, "Native Columns:", _RULE, *_column_lines(d), _RULE]
    if d.partition_columns:
        lines += ["Partition Columns:", _RULE, *_partition_lines(d), _RULE]
    if d.extended:
        pair = _external_pair if d.external else _extended_pair
        lines += ["Extended Info:", _RULE]
        lines.extend(pair(k, v) for k, v in d.extended_info)
        lines.append(_RULE)
    return _boxed(lines)


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
            return
        ctx.write_result(format_rows(result, chosen, ctx.state.header, ctx.state.null_text))
        # odpscmd prints no row count; `\\set row_count on` adds psql's footer to a box, and at a
        # terminal a box with no rows says so (a bare header reads like a broken result).
        if chosen == "box" and (ctx.state.row_count or (ctx.ui is not None and not result.rows)):
            count = len(result.rows)
            ctx.write_err(f"({count} row{'' if count == 1 else 's'})\n")
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
