"""The batch runner with a fake session: what runs, what is printed where, and the exit status."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from shell_fakes import Answer, FakeSession

from cloneshell.engine.result import Column, Rows, Status
from cloneshell.grammar.errors import CloneshellError, Span
from cloneshell.shell.batch import run_script

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
    assert err == "FAILED: usage: \\format box|csv|tsv|json\n  at line 1 of <stdin>\n"


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
    assert (code, err) == (1, "FAILED: usage: \\login PRINCIPAL\n  at line 1 of <stdin>\n")


def test_unknown_meta_command_fails() -> None:
    code, _, err, session = run("\\xyz 1 2\nUSE p;\n")
    assert code == 1
    assert err == "FAILED: unknown meta-command '\\xyz' (try \\help)\n  at line 1 of <stdin>\n"
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
