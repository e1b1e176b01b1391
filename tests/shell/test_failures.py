"""How errors are shown: `FAILED:` + the dialect text, the location, the source line with a caret,
the hint; and the one-line internal-error report with its log file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cloneshell.grammar.errors import CloneshellError, Span
from cloneshell.shell.failures import format_error, log_internal_error, log_path

NOT_FOUND = "Table not found - table p.t cannot be resolved"


def _error(line: int, column: int, hint: str | None = None) -> CloneshellError:
    return CloneshellError(
        NOT_FOUND, Span.point(0, line, column), code="ODPS-0130131:[1,15]", hint=hint
    )


def test_no_span_still_names_the_statement() -> None:
    err = CloneshellError("Access Denied", code="ODPS-0420095")
    assert format_error(err, "SELECT 1", 4, 1, 2, "<stdin>") == (
        "FAILED: ODPS-0420095:Access Denied\n  at statement 2, line 4 of <stdin>\n"
    )


def test_multiline_text_is_printed_as_is() -> None:
    err = CloneshellError("SQL compilation error:\nObject 'T' does not exist.", code="002003")
    text = format_error(err, "SELECT * FROM t", 1, 1, 1, "<stdin>")
    assert text == (
        "FAILED: 002003:SQL compilation error:\nObject 'T' does not exist.\n"
        "  at statement 1, line 1 of <stdin>\n"
    )


def test_caret_on_a_later_line_of_a_multiline_statement() -> None:
    statement = "SELECT *\n  FROM p.t\n WHERE a = 1"
    text = format_error(_error(2, 8, hint="check the name"), statement, 10, 1, 3, "load.sql")
    assert text == (
        "FAILED: ODPS-0130131:[1,15]:" + NOT_FOUND + "\n"
        "  at statement 3, line 11 of load.sql\n"
        "      FROM p.t\n"
        "           ^\n"
        "  hint: check the name\n"
    )


def test_first_line_accounts_for_the_statement_column() -> None:
    # `SELECT 1; SELECT * FROM nope` - the second statement starts at column 11 of line 4.
    script_line = "SELECT 1; SELECT * FROM nope"
    err = _error(1, 15)
    script = ["-- 1", "", "", script_line]
    text = format_error(err, "SELECT * FROM nope", 4, 11, 2, "x.sql", script_lines=script)
    lines = text.splitlines()
    assert lines[1] == "  at statement 2, line 4 of x.sql"
    assert lines[2] == "    " + script_line
    assert lines[3].index("^") == lines[2].index("nope")
    # Without the script line, the statement's own line is shown with the caret under `nope`.
    lines = format_error(err, "SELECT * FROM nope", 4, 11, 2, "x.sql").splitlines()
    assert lines[2] == "    SELECT * FROM nope"
    assert lines[3].index("^") == lines[2].index("nope")


def test_caret_respects_tabs_and_wide_characters() -> None:
    statement = "SELECT\t'中文', x FROM t"
    column = statement.index("x") + 1
    lines = format_error(_error(1, column), statement, 1, 1, 1, "<stdin>").splitlines()
    assert lines[3] == "    " + " " * 6 + "\t" + " " * 8 + "^"


def test_span_past_the_end_puts_the_caret_after_the_text() -> None:
    lines = format_error(_error(3, 1), "SELECT (", 1, 1, 1, "<stdin>").splitlines()
    assert lines[1] == "  at statement 1, line 1 of <stdin>"
    assert lines[3] == "    " + " " * 8 + "^"


def test_color_only_when_asked() -> None:
    plain = format_error(_error(1, 1, hint="h"), "x", 1, 1, 1, "s")
    colored = format_error(_error(1, 1, hint="h"), "x", 1, 1, 1, "s", color=True)
    assert "\x1b[" not in plain
    assert colored.startswith("\x1b[1;31mFAILED:\x1b[0m ")


def test_internal_error_logs_traceback_and_returns_one_line(isolated_env: Path) -> None:
    try:
        raise ValueError("bad value\nsecond line")
    except ValueError as e:
        line = log_internal_error(e, "script.sql, line 3: SELECT 1")
    path = log_path()
    assert path == isolated_env / "state" / "cloneshell" / "cloneshell.log"
    assert line == f"FAILED: internal error: ValueError: bad value (details in {path})\n"
    log = path.read_text()
    assert "script.sql, line 3: SELECT 1" in log
    assert "Traceback (most recent call last)" in log


def test_internal_error_survives_an_unwritable_log(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = isolated_env / "blocker"
    blocker.write_text("a file where a directory should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    line = log_internal_error(RuntimeError("x"), "ctx")
    assert line.startswith("FAILED: internal error: RuntimeError: x (no log written: ")
    assert line.count("\n") == 1
