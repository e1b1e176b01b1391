"""SnowSQL presentation of Snowflake results (reference/snowflake.md §4.6): the psql box, value
text, the `N Row(s) produced.` line, status tables, the dialect chosen at render time, and the
deterministic elapsed time of `--frozen-timing` runs."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

from shell_fakes import FakeSession

from cloneshell.engine.core.clock import FixedClock
from cloneshell.engine.core.result import Column, Rows, Status, Text
from cloneshell.grammar.errors import CloneshellError
from cloneshell.shell.batch import run_script
from cloneshell.shell.context import OutputState, RunContext
from cloneshell.shell.dialect import render_result
from cloneshell.shell.failures import format_error
from cloneshell.shell.render.snowflake import format_snowsql_box, rows_produced, sf_value_text


class SnowflakeSession(FakeSession):
    """A fake session that speaks Snowflake (or MaxCompute), optionally on a frozen clock."""

    def __init__(self, *args: object, dialect: str = "snowflake", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.dialect_name = dialect
        self.clock = FixedClock(datetime(2024, 1, 15, 10))


def context(dialect: str = "snowflake") -> tuple[RunContext, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    session = SnowflakeSession(dialect=dialect)
    return RunContext(session, OutputState(), out, err), out, err  # type: ignore[arg-type]


def test_box_shape_alignment_and_null() -> None:
    columns = (Column("ID", "NUMBER"), Column("NAME", "TEXT"), Column("AMOUNT", "NUMBER"))
    rows: list[tuple[object, ...]] = [(1, "alpha", Decimal("10.50")), (22, None, None)]
    assert format_snowsql_box(columns, rows) == (
        "+----+-------+--------+\n"
        "| ID | NAME  | AMOUNT |\n"
        "|----+-------+--------|\n"
        "|  1 | alpha |  10.50 |\n"
        "| 22 | NULL  |   NULL |\n"
        "+----+-------+--------+\n"
    )


def test_numeric_header_is_right_aligned_like_its_values() -> None:
    box = format_snowsql_box((Column("N", "NUMBER"), Column("S", "TEXT")), [(100, "x")])
    assert box.splitlines()[1:4] == ["|   N | S |", "|-----+---|", "| 100 | x |"]


def test_untyped_columns_are_aligned_by_their_values() -> None:
    box = format_snowsql_box((Column("a", ""), Column("b", "")), [(1.5, "x"), (None, "yy")])
    assert box.splitlines()[3:5] == ["|  1.5 | x  |", "| NULL | yy |"]


def test_booleans_are_not_numbers() -> None:
    box = format_snowsql_box((Column("B", ""),), [(True,), (False,)])
    assert box.splitlines()[3:5] == ["| True  |", "| False |"]


def test_empty_result_keeps_the_header() -> None:
    assert format_snowsql_box((Column("A", "NUMBER"),), []) == "+---+\n| A |\n|---|\n+---+\n"


def test_value_text() -> None:
    assert sf_value_text(None) == "NULL"
    assert sf_value_text(True) == "True"
    assert sf_value_text(Decimal("299.00")) == "299.00"
    assert sf_value_text(float("nan")) == "NaN"
    assert sf_value_text(date(2024, 1, 15)) == "2024-01-15"
    assert sf_value_text(time(10, 5, 7)) == "10:05:07"
    assert sf_value_text(b"\x01\xab") == "01AB"
    assert sf_value_text([1, "a"]) == '[1, "a"]'
    ntz = datetime(2024, 1, 15, 10, 0, 0, 123456)
    assert sf_value_text(ntz, "TIMESTAMP_NTZ") == "2024-01-15 10:00:00.123"
    assert sf_value_text(ntz, "TIMESTAMP_LTZ") == "2024-01-15 10:00:00.123 +0000"
    aware = datetime(2024, 1, 15, 10, tzinfo=UTC)
    assert sf_value_text(aware, "TIMESTAMP_LTZ") == "2024-01-15 10:00:00.000 +0000"
    minus = datetime(2024, 1, 15, 2, tzinfo=timezone(-timedelta(hours=8, minutes=30)))
    assert sf_value_text(minus) == "2024-01-15 02:00:00.000 -0830"


def test_rows_produced_line() -> None:
    assert rows_produced(3, 0.1234) == "3 Row(s) produced. Time Elapsed: 0.123s\n"


def test_rows_are_followed_by_the_summary_on_stdout() -> None:
    ctx, out, err = context()
    render_result(Rows((Column("A", "NUMBER"),), [(1,), (2,)]), ctx, elapsed=0.25)
    assert out.getvalue() == (
        "+---+\n| A |\n|---|\n| 1 |\n| 2 |\n+---+\n2 Row(s) produced. Time Elapsed: 0.250s\n"
    )
    assert err.getvalue() == ""


def test_status_is_a_one_row_status_table() -> None:
    ctx, out, err = context()
    render_result(Status("Table T_SALES successfully created."), ctx)
    assert out.getvalue() == (
        "+-------------------------------------+\n"
        "| status                              |\n"
        "|-------------------------------------|\n"
        "| Table T_SALES successfully created. |\n"
        "+-------------------------------------+\n"
        "1 Row(s) produced. Time Elapsed: 0.000s\n"
    )
    assert err.getvalue() == ""


def test_empty_rows_say_zero_rows() -> None:
    ctx, out, _ = context()
    render_result(Rows((Column("A", "TEXT"),), []), ctx)
    assert out.getvalue().endswith("|---|\n+---+\n0 Row(s) produced. Time Elapsed: 0.000s\n")


def test_text_is_printed_as_is() -> None:
    ctx, out, _ = context()
    render_result(Text(("line one", "line two")), ctx)
    assert out.getvalue() == "line one\nline two\n"


def test_machine_formats_have_no_summary() -> None:
    ctx, out, _ = context()
    ctx.state.fmt = "csv"
    render_result(Rows((Column("A", "NUMBER"),), [(1,)]), ctx)
    assert out.getvalue() == "A\n1\n"


def test_vertical_rows_use_snowsql_value_text() -> None:
    ctx, out, _ = context()
    ctx.state.fmt = "vertical"
    columns = (Column("OK", "BOOLEAN"), Column("AT", "TIMESTAMP_NTZ"))
    render_result(Rows(columns, [(True, datetime(2024, 1, 15, 10, 0))]), ctx)
    assert out.getvalue() == (
        f"{'*' * 27} 1. row {'*' * 27}\n"
        "OK: True\n"
        "AT: 2024-01-15 10:00:00.000\n"
        "1 Row(s) produced. Time Elapsed: 0.000s\n"
    )


def test_maxcompute_sessions_keep_the_odpscmd_look() -> None:
    ctx, out, err = context("maxcompute")
    render_result(Status("OK"), ctx)
    render_result(Rows((Column("a", "bigint"),), [(1,)]), ctx)
    assert err.getvalue() == "OK\n"
    assert out.getvalue() == "+---+\n| a |\n+---+\n| 1 |\n+---+\n"


def test_the_dialect_is_read_at_render_time() -> None:
    session = SnowflakeSession(dialect="maxcompute")

    def switch(text: str) -> list[object]:
        session.dialect_name = "snowflake"
        return [Status("Statement executed successfully.")]

    session.answers = {"ALTER": switch}  # type: ignore[dict-item]
    out, err = io.StringIO(), io.StringIO()
    code = run_script(
        session,  # type: ignore[arg-type]
        "CREATE TABLE t (a bigint);\nALTER SESSION SET DIALECT = snowflake;\n",
        out,
        err,
        frozen_timing=True,
    )
    assert code == 0
    assert err.getvalue() == "OK\n"
    assert "| Statement executed successfully. |" in out.getvalue()
    assert out.getvalue().endswith("1 Row(s) produced. Time Elapsed: 0.000s\n")


def test_without_frozen_timing_the_measured_time_shows() -> None:
    session = SnowflakeSession()  # a frozen clock (--clock) still shows real time
    out, err = io.StringIO(), io.StringIO()
    run_script(session, "USE SCHEMA s;\n", out, err)  # type: ignore[arg-type]
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("1 Row(s) produced. Time Elapsed: ")
    assert last.endswith("s")


def test_snowflake_errors_print_without_failed_label() -> None:
    # The label is the rendering dialect's (the engine sets `dialect` on what it renders).
    err = CloneshellError("002003 (02000): SQL compilation error:\nObject 'T' does not exist.")
    err.dialect = "snowflake"
    text = format_error(err, "SELECT * FROM t;", 1, 1, 1, "x.sql")
    assert text.splitlines()[:3] == [
        "002003 (02000): SQL compilation error:",
        "Object 'T' does not exist.",
        "  at statement 1, line 1 of x.sql",
    ]
    other = format_error(CloneshellError("usage: \\clock"), "", 1, 1, 0, "x.sql")
    assert other.startswith("usage: \\clock\n")
