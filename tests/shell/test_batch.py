"""The batch runner with a fake session: what runs, what is printed where, and the exit status."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from shell_fakes import Answer, FakeSession

from cloneshell.engine.core.result import Column, Rows, Status
from cloneshell.grammar.errors import CloneshellError, Span
from cloneshell.shell.batch import run_script, run_text, split_input
from cloneshell.shell.context import Cancelled, OutputState, RunContext
from cloneshell.shell.destructive import is_destructive

SEED_ROWS = Rows(
    (Column("id", "bigint"), Column("order_date", "date"), Column("amount", "decimal(10,2)")),
    [(1, date(2024, 1, 15), Decimal("299.00")), (2, date(2024, 1, 16), Decimal("450.50"))],
)
SEED_BOX = """\
+----+------------+--------+
| id | order_date | amount |
+----+------------+--------+
| 1  | 2024-01-15 | 299.00 |
| 2  | 2024-01-16 | 450.50 |
+----+------------+--------+
"""
NOT_FOUND = CloneshellError(
    "Table not found - table my_project.nope cannot be resolved",
    Span(14, 18, 1, 15, 1, 19),
    code="ODPS-0130131:[1,15]",
)


def run(
    script: str, answers: dict[str, Answer] | None = None, **options: object
) -> tuple[int, str, str, FakeSession]:
    session = FakeSession(answers)
    out, err = io.StringIO(), io.StringIO()
    code = run_script(session, script, out, err, **options)  # type: ignore[arg-type]
    return code, out.getvalue(), err.getvalue(), session


def test_seed_select_prints_the_box_and_no_ok() -> None:
    code, out, err, session = run("SELECT * FROM sales_data LIMIT 2;", {"SELECT": [SEED_ROWS]})
    assert (code, out, err) == (0, SEED_BOX, "")
    assert session.executed == ["SELECT * FROM sales_data LIMIT 2"]


def test_statements_run_in_order_and_status_goes_to_err() -> None:
    code, out, err, session = run("USE proj_b;\nCREATE TABLE t (a bigint);\n")
    assert (code, out, err) == (0, "", "OK\nOK\n")
    assert session.executed == ["USE proj_b", "CREATE TABLE t (a bigint)"]


def test_comments_and_blank_lines_are_not_statements() -> None:
    script = "-- set up\n\n/* a block\n comment */\nUSE p;  -- trailing\n-- the end\n"
    code, _, _, session = run(script)
    assert code == 0
    assert session.executed == ["USE p"]


def test_stop_at_first_failure_by_default() -> None:
    script = "USE p;\nSELECT * FROM nope;\nUSE q;\n"
    code, out, err, session = run(script, {"SELECT * FROM nope": NOT_FOUND})
    assert code == 1
    assert session.executed == ["USE p", "SELECT * FROM nope"]
    assert out == ""
    assert err == (
        "OK\n"
        "FAILED: ODPS-0130131:[1,15]:Table not found - table my_project.nope cannot be resolved\n"
        "  at statement 2, line 2 of <stdin>\n"
        "    SELECT * FROM nope;\n"
        "                  ^\n"
    )
    assert session.calls[-1] == "idle"


def test_continue_runs_the_rest_and_still_fails() -> None:
    script = "USE p;\nSELECT * FROM nope;\nUSE q;\n"
    code, _, err, session = run(
        script, {"SELECT * FROM nope": NOT_FOUND}, on_error="continue", source_name="m.sql"
    )
    assert code == 1
    assert session.executed == ["USE p", "SELECT * FROM nope", "USE q"]
    assert err.endswith("of m.sql\n    SELECT * FROM nope;\n                  ^\nOK\n")


def test_location_counts_sql_statements_only_and_uses_script_lines() -> None:
    script = "\\whoami\n-- comment\nUSE p;\n\nSELECT a,\n  b FROM nope;\n"
    error = CloneshellError("boom", Span(12, 16, 2, 10, 2, 14), code="E")
    code, _, err, _ = run(script, {"SELECT": error})
    assert code == 1
    assert err.splitlines()[1:] == [
        "FAILED: E:boom",
        "  at statement 2, line 6 of <stdin>",
        "      b FROM nope;",
        "             ^",
    ]


def test_two_statements_on_one_line_show_the_whole_line() -> None:
    code, _, err, _ = run("USE p; SELECT * FROM nope;", {"SELECT * FROM nope": NOT_FOUND})
    assert code == 1
    lines = err.splitlines()
    assert lines[3] == "    USE p; SELECT * FROM nope;"
    assert lines[4].index("^") == lines[3].index("nope")


def test_echo_prints_prompt_and_statement() -> None:
    script = "USE p;\nSELECT a,\n       b\nFROM t;\n\\whoami\n"
    code, out, err, _ = run(script, {"SELECT": [SEED_ROWS]}, echo=True)
    assert code == 0
    assert out == (
        "odps@ my_project> USE p;\n"
        "odps@ my_project> SELECT a,\n"
        "                         b\n"
        "                  FROM t;\n" + SEED_BOX + "odps@ my_project> \\whoami\n"
        "Name: ALIYUN$odps_user@aliyun.com\n"
        "Project: my_project\n"
    )
    assert err == "OK\n"


def test_echo_can_be_switched_by_meta_command() -> None:
    code, out, _, _ = run("USE a;\n\\echo on\nUSE b;\n\\echo off\nUSE c;\n")
    assert code == 0
    assert out == "odps@ my_project> USE b;\nodps@ my_project> \\echo off\n"


def test_format_meta_command_changes_the_rest_of_the_run() -> None:
    script = "SELECT 1;\n\\format csv\nSELECT 2;\n\\format json\nSELECT 3;\n"
    code, out, _, _ = run(script, {"SELECT": [SEED_ROWS]})
    assert code == 0
    csv_part = "id,order_date,amount\n1,2024-01-15,299.00\n2,2024-01-16,450.50\n"
    assert out.startswith(SEED_BOX + csv_part + "[\n")
    assert '{"id": 2, "order_date": "2024-01-16", "amount": "450.50"}\n]\n' in out


def test_bad_format_argument_fails() -> None:
    code, _, err, _ = run("\\format xml\nUSE p;\n")
    assert code == 1
    formats = "box|csv|tsv|json|vertical|jsonl|markdown|github"
    assert err == f"usage: \\format {formats}\n  at line 1 of <stdin>\n"


def test_login_and_whoami() -> None:
    code, out, err, session = run("\\login RAM$owner@aliyun.com:dev1\n\\whoami\n")
    assert code == 0
    assert session.principal == "RAM$owner@aliyun.com:dev1"
    assert out == "Name: RAM$owner@aliyun.com:dev1\nProject: my_project\n"
    assert err == "OK\n"


def test_login_failure_is_a_failed_statement() -> None:
    code, _, err, _ = run("\\login nobody@x\n\\whoami\n", on_error="continue")
    assert code == 1
    assert err == "FAILED: ODPS-0420095:principal nobody@x does not exist\n  at line 1 of <stdin>\n"


def test_login_needs_one_argument() -> None:
    code, _, err, _ = run("\\login\n")
    assert (code, err) == (1, "usage: \\login PRINCIPAL\n  at line 1 of <stdin>\n")


def test_unknown_meta_command_fails() -> None:
    code, _, err, session = run("\\xyz 1 2\nUSE p;\n")
    assert code == 1
    assert err == "unknown meta-command '\\xyz' (try \\help)\n  at line 1 of <stdin>\n"
    assert session.executed == []


def test_quit_meta_command_stops_successfully() -> None:
    for stop in ("\\q", "\\quit", "quit;", "EXIT;", "q;"):
        code, _, err, session = run(f"USE a;\n{stop}\nUSE b;\n")
        assert (code, err) == (0, "OK\n"), stop
        assert session.executed == ["USE a"], stop


def test_quit_after_a_continued_failure_still_fails() -> None:
    code, _, _, _ = run("SELECT * FROM nope;\n\\q\n", {"SELECT": NOT_FOUND}, on_error="continue")
    assert code == 1


def test_help_lists_meta_commands_and_statements() -> None:
    code, out, _, _ = run("\\help\n")
    assert code == 0
    for name in ("\\login PRINCIPAL", "\\whoami", "\\format", "\\echo", "\\q, \\quit", "\\help"):
        assert name in out
    assert "CLONE TABLE" in out


def test_unterminated_last_statement_still_runs() -> None:
    code, _, _, session = run("USE a;\nUSE b")
    assert code == 0
    assert session.executed == ["USE a", "USE b"]


def test_internal_error_prints_one_line_and_logs(isolated_env: Path) -> None:
    code, out, err, session = run(
        "USE a;\nSELECT 1;\nUSE b;\n",
        {"SELECT 1": ZeroDivisionError("division by zero")},
        on_error="continue",
        source_name="x.sql",
    )
    log = isolated_env / "state" / "cloneshell" / "cloneshell.log"
    assert code == 1
    assert err == (
        f"OK\nFAILED: internal error: ZeroDivisionError: division by zero (details in {log})\nOK\n"
    )
    assert "Traceback" in log.read_text()
    assert "x.sql, line 2: SELECT 1" in log.read_text()
    assert session.executed == ["USE a", "SELECT 1", "USE b"]


def test_several_results_of_one_statement_are_all_rendered() -> None:
    code, out, err, _ = run("CALL x;", {"CALL": [Status("OK"), SEED_ROWS]})
    assert (code, out, err) == (0, SEED_BOX, "OK\n")


def test_idle_is_called_once_at_the_end() -> None:
    _, _, _, session = run("USE a;\nUSE b;\n")
    assert session.calls == ["execute", "execute", "idle"]


def test_empty_script_succeeds() -> None:
    code, out, err, session = run("-- nothing here\n")
    assert (code, out, err, session.executed) == (0, "", "", [])


def test_a_statement_reaches_the_engine_with_its_semicolon() -> None:
    """So that a syntax error at the end reads "invalid token ';'", as MaxCompute's does; a last
    statement with no `;` goes as typed."""
    _, _, _, session = run("USE a;\nUSE b")
    assert session.raw == ["USE a;", "USE b"]


# ---------------------------------------------------------------------------------------------
# \G, timing, and the terminal's hooks


def test_backslash_g_ends_a_statement_and_prints_it_vertically() -> None:
    script = "SELECT a FROM t\\G\nSELECT b FROM t;\nSELECT 'x\\G';\n"
    code, out, _, session = run(script, {"SELECT": [SEED_ROWS]})
    assert code == 0
    assert session.executed == ["SELECT a FROM t", "SELECT b FROM t", "SELECT 'x\\G'"]
    assert out.startswith(
        "*************************** 1. row ***************************\n"
        "        id: 1\n"
        "order_date: 2024-01-15\n"
        "    amount: 299.00\n"
    )
    assert out.endswith(SEED_BOX + SEED_BOX)  # the others keep the box


def test_split_input_marks_only_real_backslash_g_terminators() -> None:
    pieces = split_input("SELECT 1\\G\nSELECT '\\G'\n;\n-- c \\G\nSELECT 2 /* \\G */;\n\\o x\\G")
    assert [(p.item.kind, p.item.text, p.vertical) for p in pieces] == [
        ("sql", "SELECT 1", True),
        ("sql", "SELECT '\\G'", False),
        ("sql", "SELECT 2 /* \\G */", False),
        ("meta", "\\o x\\G", False),
    ]
    assert (pieces[1].item.line, pieces[2].item.line) == (2, 5)  # positions survive


def test_error_in_a_backslash_g_statement_points_into_the_script() -> None:
    error = CloneshellError("boom", Span(14, 18, 1, 15, 1, 19), code="E")
    code, _, err, _ = run("USE a;\nSELECT * FROM nope\\G\n", {"SELECT": error})
    assert code == 1
    assert err.splitlines()[2:] == [
        "  at statement 2, line 2 of <stdin>",
        "    SELECT * FROM nope\\G",
        "                  ^",
    ]


def test_timing_prints_after_each_statement() -> None:
    code, out, err, _ = run("\\timing on\nSELECT 1;\nUSE a;\n", {"SELECT": [SEED_ROWS]})
    assert code == 0 and out == SEED_BOX
    lines = err.splitlines()
    assert lines[0] == "Timing is on."
    assert re.fullmatch(r"Time: \d+\.\d{3}s", lines[1])
    assert lines[2] == "OK" and re.fullmatch(r"Time: \d+\.\d{3}s", lines[3])


class FakeUI:
    """The REPL's hooks, recorded: answers `confirm` from `answers`; runs statements directly."""

    def __init__(self, answers: list[bool] | None = None) -> None:
        self.answers = answers or []
        self.asked: list[str] = []
        self.shown: list[str] = []
        self.done: list[str] = []
        self.refreshed = 0

    def execute(self, session: FakeSession, text: str) -> list[object]:
        return session.execute(text)  # type: ignore[return-value]

    def confirm(self, statement: str) -> bool:
        self.asked.append(statement)
        return self.answers.pop(0)

    def show(self, text: str) -> None:
        self.shown.append(text)

    def statement_done(self, statement: str) -> None:
        self.done.append(statement)

    def refresh(self) -> None:
        self.refreshed += 1


def run_ui(
    script: str, ui: FakeUI, answers: dict[str, Answer] | None = None
) -> tuple[int, str, str, FakeSession]:
    session = FakeSession(answers)
    out, err = io.StringIO(), io.StringIO()
    ctx = RunContext(session, OutputState(), out, err, ui=ui)  # type: ignore[arg-type]
    try:
        code = run_text(ctx, script, on_error="continue", source_name="<input>")
    except Cancelled as e:
        err.write(f"{e}\n")
        code = -1
    return code, out.getvalue(), err.getvalue(), session


@pytest.mark.parametrize(
    "statement",
    [
        "DROP TABLE t",
        "drop   table if exists p.t",
        "DROP PROJECT p",
        "DROP ROLE r",
        "REMOVE USER RAM$a@b.com:c",
        "INSERT OVERWRITE TABLE t SELECT * FROM s",
        "CLONE TABLE a TO b IF EXISTS OVERWRITE",
        "ALTER TABLE t DROP PARTITION (ds='1')",
        "TRUNCATE TABLE t",
        "CREATE OR REPLACE TABLE t (a BIGINT)",
    ],
)
def test_destructive_statements_ask_first(statement: str) -> None:
    assert is_destructive(statement)
    ui = FakeUI([False])
    code, _, err, session = run_ui(f"{statement};\nUSE b;\n", ui)
    assert ui.asked == [statement]
    assert session.executed == []  # declined: nothing runs, not even what followed
    assert (code, err) == (-1, "Cancelled.\n")


@pytest.mark.parametrize(
    "statement",
    [
        "SELECT 'DROP TABLE t'",
        "INSERT INTO t VALUES (1)",
        "CLONE TABLE a TO b IF EXISTS IGNORE",
        "CLONE TABLE a TO b",
        "ALTER TABLE t ADD PARTITION (ds='1')",
        "CREATE TABLE t (a BIGINT)",
        "DROP TABLE",  # does not parse: sent as typed, the engine says what is wrong
    ],
)
def test_other_statements_do_not_ask(statement: str) -> None:
    assert not is_destructive(statement)
    ui = FakeUI()
    code, _, _, session = run_ui(f"{statement};", ui)
    assert ui.asked == [] and session.executed == [statement]


def test_yes_runs_and_results_go_through_the_ui() -> None:
    ui = FakeUI([True])
    code, out, err, session = run_ui("DROP TABLE t;\nSELECT 1;\n", ui, {"SELECT": [SEED_ROWS]})
    assert code == 0
    assert session.executed == ["DROP TABLE t", "SELECT 1"]
    assert ui.shown == [SEED_BOX] and out == ""  # the terminal decides about the pager
    assert ui.done == ["DROP TABLE t", "SELECT 1"]
    assert err == "OK\n"


def test_confirm_off_and_batch_mode_never_ask() -> None:
    ui = FakeUI()
    session = FakeSession()
    ctx = RunContext(session, OutputState(confirm=False), io.StringIO(), io.StringIO(), ui=ui)  # type: ignore[arg-type]
    assert run_text(ctx, "DROP TABLE t;", on_error="stop", source_name="<input>") == 0
    assert ui.asked == [] and session.executed == ["DROP TABLE t"]
    code, _, _, session = run("DROP TABLE t;\nREMOVE USER x;\n")  # no ui: a script
    assert code == 0 and session.executed == ["DROP TABLE t", "REMOVE USER x"]


def test_cancel_stops_the_rest_of_the_input_after_idle() -> None:
    class CancellingUI(FakeUI):
        def execute(self, session: FakeSession, text: str) -> list[object]:
            session.execute(text)
            raise Cancelled("cancelled")

    code, _, err, session = run_ui("USE a;\nUSE b;\n", CancellingUI())
    assert (code, err) == (-1, "cancelled\n")
    assert session.executed == ["USE a"] and session.calls[-1] == "idle"


def test_include_runs_a_script_from_a_script(tmp_path: Path) -> None:
    inner = tmp_path / "inner.sql"
    inner.write_text("USE inner1;\nSELECT * FROM nope;\nUSE inner2;\n")
    code, _, err, session = run(
        f"USE outer1;\n\\i {inner}\nUSE outer2;\n",
        {"SELECT * FROM nope": NOT_FOUND},
        on_error="continue",
    )
    assert code == 1
    assert session.executed == ["USE outer1", "USE inner1", "SELECT * FROM nope", "USE outer2"]
    assert f"at statement 2, line 2 of {inner}" in err


def test_include_of_a_missing_file_fails(tmp_path: Path) -> None:
    code, _, err, _ = run(f"\\i {tmp_path / 'none.sql'}\n")
    assert code == 1
    assert err.startswith(f"cannot read {tmp_path / 'none.sql'}: No such file")


def test_include_that_includes_itself_stops(tmp_path: Path) -> None:
    loop = tmp_path / "loop.sql"
    loop.write_text(f"USE x;\n\\i {loop}\n")
    code, _, err, session = run(f"\\i {loop}\n")
    assert code == 1
    assert len(session.executed) == 16
    assert "\\i nested more than 16 deep" in err


def test_spool_appends_results_until_backslash_o(tmp_path: Path) -> None:
    spool = tmp_path / "out.txt"
    spool.write_text("before\n")
    script = f"\\o {spool}\nSELECT 1;\nUSE a;\n\\o\nSELECT 2;\n"
    code, out, err, _ = run(script, {"SELECT": [SEED_ROWS]})
    assert code == 0
    assert out == SEED_BOX + SEED_BOX
    assert spool.read_text() == "before\n" + SEED_BOX
    assert f"Results are also appended to {spool} until \\o." in err
    assert f"Stopped writing results to {spool}." in err


def test_spool_is_closed_when_a_script_ends(tmp_path: Path) -> None:
    spool = tmp_path / "out.txt"
    code, _, _, _ = run(f"\\o {spool}\nSELECT 1;\n", {"SELECT": [SEED_ROWS]})
    assert code == 0 and spool.read_text() == SEED_BOX


def test_a_failing_meta_command_after_statements_names_only_its_line() -> None:
    code, _, err, _ = run("USE a;\nUSE b;\n\\nosuch\n", on_error="continue")
    assert code == 1
    lines = err.splitlines()
    failed = next(i for i, line in enumerate(lines) if line.startswith("unknown meta-command"))
    assert lines[failed + 1] == "  at line 3 of <stdin>"
