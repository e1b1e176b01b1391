"""Rendering of results: SELECT boxes, value text, csv/tsv/json, the DESC box, and which stream
each result goes to."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, time
from decimal import Decimal

from shell_fakes import FakeSession

from cloneshell.engine.core.result import (
    Column,
    ColumnInfo,
    PartitionInfo,
    Rows,
    Status,
    TableDescription,
    Text,
)
from cloneshell.shell.context import OutputState, RunContext
from cloneshell.shell.dialect import render_result
from cloneshell.shell.render.common import value_text
from cloneshell.shell.render.maxcompute import format_box, format_description, format_rows
from cloneshell.shell.width import display_width

SEED_COLUMNS = (Column("id", "bigint"), Column("order_date", "date"), Column("amount", "decimal"))
SEED_ROWS: list[tuple[object, ...]] = [
    (1, date(2024, 1, 15), Decimal("299.00")),
    (2, date(2024, 1, 16), Decimal("450.50")),
]

# The box in shared/seeds/maxcompute_clone_table.txt, the acceptance test for SELECT output.
SEED_BOX = """\
+----+------------+--------+
| id | order_date | amount |
+----+------------+--------+
| 1  | 2024-01-15 | 299.00 |
| 2  | 2024-01-16 | 450.50 |
+----+------------+--------+
"""


def test_seed_box_exactly() -> None:
    assert format_box(SEED_COLUMNS, SEED_ROWS) == SEED_BOX


def test_null_and_widths_grow_with_values() -> None:
    box = format_box((Column("a", "string"), Column("b", "bigint")), [(None, 123456), ("x", None)])
    assert box == (
        "+------+--------+\n"
        "| a    | b      |\n"
        "+------+--------+\n"
        "| NULL | 123456 |\n"
        "| x    | NULL   |\n"
        "+------+--------+\n"
    )


def test_empty_result_prints_header_box() -> None:
    box = format_box((Column("id", "bigint"), Column("name", "string")), [])
    assert box == "+----+------+\n| id | name |\n+----+------+\n+----+------+\n"


def test_no_trailing_space_after_last_bar() -> None:
    for line in format_box(SEED_COLUMNS, SEED_ROWS).splitlines():
        assert not line.endswith(" ")


def test_wide_characters_take_two_columns() -> None:
    assert display_width("中文") == 4
    assert display_width("e\u0301") == 1  # e + combining acute accent
    box = format_box((Column("name", "string"),), [("中文",), ("ab",)])
    assert box == ("+------+\n| name |\n+------+\n| 中文 |\n| ab   |\n+------+\n")


def test_value_text() -> None:
    assert value_text(None) == "NULL"
    assert value_text(True) == "true"
    assert value_text(False) == "false"
    assert value_text(42) == "42"
    assert value_text(1.5) == "1.5"
    assert value_text(100.1) == "100.1"
    assert value_text(3.0) == "3.0"
    assert value_text(float("nan")) == "NaN"
    assert value_text(float("-inf")) == "-Infinity"
    assert value_text(Decimal("299.00")) == "299.00"
    assert value_text(Decimal("0E-10")) == "0.0000000000"
    assert value_text(date(2024, 1, 15)) == "2024-01-15"
    assert value_text(datetime(2024, 1, 15, 10, 0, 0)) == "2024-01-15 10:00:00"
    assert value_text(datetime(2024, 1, 15, 10, 0, 0, 120000)) == "2024-01-15 10:00:00.12"
    assert value_text(datetime(2024, 1, 15, 10, 0, 0, tzinfo=UTC)) == "2024-01-15 10:00:00"
    assert value_text(time(9, 30)) == "09:30:00"
    assert value_text(b"ab=\x00") == "ab=3D=00"
    assert value_text([1, None, "x"]) == '[1, null, "x"]'
    assert value_text({"k": Decimal("1.50"), "d": date(2024, 1, 1)}) == (
        '{"k": 1.50, "d": "2024-01-01"}'
    )


def test_float_column_is_shortened_to_float32_precision() -> None:
    as_float32 = 0.10000000149011612  # what DuckDB hands back for FLOAT 0.1
    assert value_text(as_float32, "float") == "0.1"
    assert value_text(as_float32, "double") == "0.10000000149011612"


def test_csv_format() -> None:
    rows = Rows((Column("id", "bigint"), Column("note", "string")), [(1, 'a,"b"'), (2, None)])
    assert format_rows(rows, "csv") == 'id,note\n1,"a,""b"""\n2,\n'


def test_tsv_format_escapes_tabs_and_newlines() -> None:
    rows = Rows((Column("id", "bigint"), Column("note", "string")), [(1, "a\tb\nc"), (2, None)])
    assert format_rows(rows, "tsv") == "id\tnote\n1\ta\\tb\\nc\n2\t\n"


def test_json_format() -> None:
    columns = (*SEED_COLUMNS, Column("ok", "boolean"), Column("id", "bigint"))
    rows = Rows(columns, [(*SEED_ROWS[0], True, 7), (2, None, Decimal("1.5"), False, None)])
    text = format_rows(rows, "json")
    assert text.startswith("[\n{") and text.endswith("}\n]\n")
    assert json.loads(text) == [
        {"id": 1, "order_date": "2024-01-15", "amount": "299.00", "ok": True, "id_2": 7},
        {"id": 2, "order_date": None, "amount": "1.5", "ok": False, "id_2": None},
    ]
    assert format_rows(Rows(columns, []), "json") == "[]\n"


# The example in shared/reference/maxcompute.md §2.2, rendered with odpscmd's format strings.
DESC_EXAMPLE = """\
+------------------------------------------------------------------------------------+
| Owner:                    ALIYUN$odps_user@aliyun.com                              |
| Project:                  proj_a                                                   |
| TableComment: sales records                                                        |
+------------------------------------------------------------------------------------+
| CreateTime:               2024-01-02 10:11:12                                      |
| LastDDLTime:              2024-01-02 10:11:12                                      |
| LastModifiedTime:         2024-01-02 10:15:00                                      |
| Lifecycle:                30                                                       |
+------------------------------------------------------------------------------------+
| InternalTable: YES      | Size: 1234                                               |
+------------------------------------------------------------------------------------+
| Native Columns:                                                                    |
+------------------------------------------------------------------------------------+
| Field           | Type       | Label | Comment                                     |
+------------------------------------------------------------------------------------+
| shop_name       | string     |       |                                             |
| customer_id     | string     |       |                                             |
| total_price     | double     |       |                                             |
+------------------------------------------------------------------------------------+
| Partition Columns:                                                                 |
+------------------------------------------------------------------------------------+
| sale_date       | string     |                                                     |
| region          | string     |                                                     |
+------------------------------------------------------------------------------------+
"""


def _description(**changes: object) -> TableDescription:
    base: dict[str, object] = dict(
        owner="ALIYUN$odps_user@aliyun.com",
        project="proj_a",
        schema=None,
        comment="sales records",
        create_time=datetime(2024, 1, 2, 10, 11, 12),
        ddl_time=datetime(2024, 1, 2, 10, 11, 12, 999),
        modified_time=datetime(2024, 1, 2, 10, 15, 0),
        lifecycle=30,
        external=False,
        size=1234,
        columns=(
            ColumnInfo("shop_name", "STRING"),
            ColumnInfo("customer_id", "string"),
            ColumnInfo("total_price", "double"),
        ),
        partition_columns=(ColumnInfo("sale_date", "string"), ColumnInfo("region", "string")),
    )
    base.update(changes)
    return TableDescription(**base)  # type: ignore[arg-type]


def test_desc_box_matches_reference_example() -> None:
    assert format_description(_description()) == DESC_EXAMPLE


def test_desc_box_is_86_wide_and_a_long_value_widens_all_of_it() -> None:
    assert {len(line) for line in format_description(_description()).splitlines()} == {86}
    text = format_description(_description(comment="c" * 80, schema="default", lifecycle=None))
    lines = text.splitlines()
    assert "| Schema:                   default" in text
    assert "Lifecycle" not in text
    assert f"| TableComment: {'c' * 80} |" in lines  # never truncated
    assert {len(line) for line in lines} == {98}  # the right border stays straight


def test_desc_sizes_columns_to_long_types_and_names_and_escapes_newlines() -> None:
    columns = (
        ColumnInfo("m", "map<string,array<bigint>>", comment="two\nlines"),
        ColumnInfo("a_really_really_long_column_name_here", "decimal(10,2)"),
    )
    text = format_description(_description(columns=columns, partition_columns=()))
    lines = text.splitlines()
    assert {len(line) for line in lines} == {len(lines[0])}
    assert (
        "| m                                     | map<string,array<bigint>> |       | two\\nlines"
        in text
    )
    assert "| a_really_really_long_column_name_here | decimal(10,2)             |" in text


def test_desc_without_partition_columns_has_no_partition_section() -> None:
    text = format_description(_description(partition_columns=()))
    assert "Partition Columns" not in text
    assert text.endswith(
        "| total_price     | double     |       |                                             |\n"
        "+------------------------------------------------------------------------------------+\n"
    )


def test_desc_extended() -> None:
    columns = (
        ColumnInfo("id", "bigint", comment="key", nullable=False),
        ColumnInfo("amount", "decimal(18,2)", default="0"),
    )
    text = format_description(
        _description(
            extended=True,
            columns=columns,
            partition_columns=(),
            extended_info=(("TableID", "abc123"), ("IsArchived", "false")),
        )
    )
    tail = text.split("| Native Columns:")[1]
    assert tail == (
        "                                                                      |\n"
        "+--------------------------------------------------------------------------------------+\n"
        "| Field    | Type          | Label | ExtendedLabel | Nullable | DefaultValue | Comment |\n"
        "+--------------------------------------------------------------------------------------+\n"
        "| id       | bigint        |       |               | false    | NULL         | key     |\n"
        "| amount   | decimal(18,2) |       |               | true     | 0            |         |\n"
        "+--------------------------------------------------------------------------------------+\n"
        "| Extended Info:                                                                       |\n"
        "+--------------------------------------------------------------------------------------+\n"
        "| TableID:                  abc123                                                     |\n"
        "| IsArchived:               false                                                      |\n"
        "+--------------------------------------------------------------------------------------+\n"
    )


def test_desc_external_table() -> None:
    text = format_description(_description(external=True, location="oss://bucket/path/"))
    assert (
        "| ExternalTable: YES                                                                 |\n"
        "| Location: oss://bucket/path/                                                       |\n"
    ) in text
    assert "InternalTable" not in text


def test_desc_partition() -> None:
    partition = PartitionInfo(
        spec="sale_date='2024',region='cn'",
        size=0,
        create_time=datetime(2024, 1, 2, 10, 11, 12),
        ddl_time=datetime(2024, 1, 2, 10, 11, 12),
        modified_time=datetime(2024, 1, 3, 0, 0, 0),
    )
    assert format_description(_description(partition=partition)) == (
        "+------------------------------------------------------------------------------------+\n"
        "| PartitionSize: 0                                                                   |\n"
        "+------------------------------------------------------------------------------------+\n"
        "| CreateTime:               2024-01-02 10:11:12                                      |\n"
        "| LastDDLTime:              2024-01-02 10:11:12                                      |\n"
        "| LastModifiedTime:         2024-01-03 00:00:00                                      |\n"
        "+------------------------------------------------------------------------------------+\n"
    )


def _ctx(fmt: str = "box") -> tuple[RunContext, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    state = OutputState(fmt=fmt)  # type: ignore[arg-type]
    return RunContext(FakeSession(), state, out, err), out, err


def test_streams_status_on_err_data_on_out() -> None:
    ctx, out, err = _ctx()
    render_result(Status("OK"), ctx)
    assert (out.getvalue(), err.getvalue()) == ("", "OK\n")

    ctx, out, err = _ctx()
    render_result(Rows(SEED_COLUMNS, SEED_ROWS), ctx)
    assert (out.getvalue(), err.getvalue()) == (SEED_BOX, "")

    ctx, out, err = _ctx()
    render_result(_description(), ctx)
    assert (out.getvalue(), err.getvalue()) == (DESC_EXAMPLE, "OK\n")


def test_text_lines_on_out_and_ok_when_empty() -> None:
    ctx, out, err = _ctx()
    render_result(Text(("ALIYUN$a@b.com:t1", "ALIYUN$a@b.com:t2")), ctx)
    assert (out.getvalue(), err.getvalue()) == ("ALIYUN$a@b.com:t1\nALIYUN$a@b.com:t2\n", "")

    ctx, out, err = _ctx()
    render_result(Text(()), ctx)
    assert (out.getvalue(), err.getvalue()) == ("OK\n", "")


def test_non_row_results_keep_their_layout_in_csv() -> None:
    ctx, out, err = _ctx("csv")
    render_result(_description(), ctx)
    render_result(Status("OK"), ctx)
    assert out.getvalue() == DESC_EXAMPLE
    assert err.getvalue() == "OK\nOK\n"
    ctx, out, _ = _ctx("csv")
    render_result(Rows(SEED_COLUMNS, SEED_ROWS), ctx)
    assert out.getvalue() == "id,order_date,amount\n1,2024-01-15,299.00\n2,2024-01-16,450.50\n"


def test_vertical_format_is_one_block_per_row_with_right_aligned_names() -> None:
    columns = (Column("id", "bigint"), Column("order_date", "date"), Column("note", "string"))
    rows = [(1, date(2024, 1, 15), None), (2, date(2024, 1, 16), "日本")]
    assert format_rows(Rows(columns, rows), "vertical") == (
        "*************************** 1. row ***************************\n"
        "        id: 1\n"
        "order_date: 2024-01-15\n"
        "      note: NULL\n"
        "*************************** 2. row ***************************\n"
        "        id: 2\n"
        "order_date: 2024-01-16\n"
        "      note: 日本\n"
    )


def test_vertical_empty_result_says_empty_set_on_err() -> None:
    ctx, out, err = _ctx("vertical")
    render_result(Rows(SEED_COLUMNS, []), ctx)
    assert (out.getvalue(), err.getvalue()) == ("", "Empty set\n")


def test_one_result_can_override_the_format() -> None:
    ctx, out, _ = _ctx("box")
    render_result(Rows(SEED_COLUMNS, SEED_ROWS[:1]), ctx, "vertical")
    assert out.getvalue().startswith("*************************** 1. row ****")
    assert ctx.state.fmt == "box"


def test_spooled_results_are_copied_to_the_spool() -> None:
    ctx, out, err = _ctx()
    spool = io.StringIO()
    ctx.spool = spool
    render_result(Rows(SEED_COLUMNS, SEED_ROWS), ctx)
    render_result(Status("OK"), ctx)
    assert spool.getvalue() == out.getvalue() == SEED_BOX  # status lines are not results
