"""The command line: argument errors, configuration, batch sources and exit statuses, through
`main([...])` with a fake session in place of the engine."""

from __future__ import annotations

import gc
import io
import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest
from shell_fakes import FakeSession

from cloneshell.engine.core.result import Rows, Status
from cloneshell.grammar.errors import CloneshellError, Span
from cloneshell.shell.config import Config, default_warehouse
from cloneshell.shell.main import main


class Opener:
    """Records the Config main() opens the session with, and returns a FakeSession."""

    def __init__(self, session: FakeSession | None = None) -> None:
        self.session = session or FakeSession()
        self.config: Config | None = None

    def __call__(self, config: Config) -> FakeSession:
        self.config = config
        return self.session


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))


def _one_error_line(err: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-e", "SELECT 1;", "-f", "x.sql"], "not allowed with argument"),
        (["--format", "xml", "-e", "SELECT 1;"], "invalid choice: 'xml'"),
        (["--dialect", "oracle", "-e", "SELECT 1;"], "invalid choice: 'oracle'"),
        (["--on-error", "retry", "-e", "SELECT 1;"], "invalid choice: 'retry'"),
        (["--clock", "yesterday", "-e", "SELECT 1;"], "invalid instant 'yesterday'"),
        (["--no-such-flag"], "unrecognized arguments: --no-such-flag"),
        (["-e"], "expected one argument"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    opener = Opener()
    assert main(argv, open_session=opener) == 2
    captured = capsys.readouterr()
    line = _one_error_line(captured.err)
    assert line.startswith("cloneshell: error: ")
    assert message in line
    assert captured.out == ""
    assert opener.config is None


def test_missing_script_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.sql"
    assert main(["-f", str(missing)], open_session=Opener()) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert line == f"cloneshell: error: cannot read {missing}: No such file or directory"


def test_script_that_is_not_utf8_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "latin1.sql"
    script.write_bytes(b"SELECT '\xe9';\n")
    assert main(["-f", str(script)], open_session=Opener()) == 2
    assert "is not UTF-8 text" in _one_error_line(capsys.readouterr().err)


def test_unusable_warehouse_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("")
    assert main(["-w", str(not_a_dir), "-e", "SELECT 1;"], open_session=Opener()) == 2
    assert _one_error_line(capsys.readouterr().err) == (
        f"cloneshell: error: warehouse {not_a_dir} is not a directory"
    )
    assert main(["-w", str(not_a_dir / "sub"), "-e", "SELECT 1;"], open_session=Opener()) == 2
    assert "cannot create warehouse" in _one_error_line(capsys.readouterr().err)


def test_session_that_cannot_open_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(config: Config) -> FakeSession:
        raise CloneshellError("Project not found - 'nope'.", code="ODPS-0420111")

    assert main(["-p", "nope", "-e", "SELECT 1;"], open_session=refuse) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert line.startswith("cloneshell: error: cannot open warehouse ")
    assert line.endswith(": ODPS-0420111:Project not found - 'nope'.")


def test_unexpected_failure_while_opening_is_logged(capsys: pytest.CaptureFixture[str]) -> None:
    def crash(config: Config) -> FakeSession:
        raise RuntimeError("disk on fire")

    assert main(["-e", "SELECT 1;"], open_session=crash) == 1
    line = _one_error_line(capsys.readouterr().err)
    assert line.startswith("FAILED: internal error: RuntimeError: disk on fire (details in ")


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("cloneshell ")
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for flag in ("--warehouse", "--user", "--project", "--dialect", "--format", "--on-error"):
        assert flag in out


def test_execute_runs_and_passes_the_configuration(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opener = Opener()
    argv = [
        "-w",
        str(tmp_path / "wh"),
        "-u",
        "RAM$owner@aliyun.com:dev1",
        "-p",
        "proj_a",
        "--dialect",
        "snowflake",
        "--clock",
        "2024-01-15T10:00:00",
        "-e",
        "USE proj_a; CREATE TABLE t (a bigint);",
    ]
    assert main(argv, open_session=opener) == 0
    config = opener.config
    assert config is not None
    assert config.warehouse == tmp_path / "wh"
    assert (tmp_path / "wh").is_dir()
    assert (config.user, config.project, config.dialect) == (
        "RAM$owner@aliyun.com:dev1",
        "proj_a",
        "snowflake",
    )
    assert config.clock == datetime(2024, 1, 15, 10, 0, 0)
    assert opener.session.executed == ["USE proj_a", "CREATE TABLE t (a bigint)"]
    assert opener.session.calls[-2:] == ["idle", "close"]
    assert capsys.readouterr().err == "OK\nOK\n"


def test_default_warehouse_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_warehouse() == tmp_path / "warehouse"  # from CLONESHELL_WAREHOUSE
    monkeypatch.delenv("CLONESHELL_WAREHOUSE")
    assert default_warehouse() == tmp_path / "data" / "cloneshell" / "warehouse"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    expected = tmp_path / "home" / ".local" / "share" / "cloneshell" / "warehouse"
    assert default_warehouse() == expected
    opener = Opener()
    assert main(["-e", "USE p;"], open_session=opener) == 0
    assert opener.config is not None and opener.config.warehouse == expected


def test_failed_statement_exits_1_and_names_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    error = CloneshellError("boom", Span(4, 5, 1, 5, 1, 6), code="E")
    opener = Opener(FakeSession({"USE": error}))
    assert main(["-e", "USE p;"], open_session=opener) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[:2] == ["FAILED: E:boom", "  at statement 1, line 1 of <command line>"]


def test_script_file_with_echo_and_continue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "load.sql"
    script.write_text("\ufeffUSE p;\nSELECT * FROM nope;\nUSE q;\n")  # a BOM is ignored
    error = CloneshellError("not found", Span(14, 18, 1, 15, 1, 19), code="E")
    opener = Opener(FakeSession({"SELECT": error}))
    code = main(["--echo", "--on-error", "continue", "-f", str(script)], open_session=opener)
    assert code == 1
    captured = capsys.readouterr()
    assert captured.out == (
        "odps@ my_project> USE p;\n"
        "odps@ my_project> SELECT * FROM nope;\n"
        "odps@ my_project> USE q;\n"
    )
    assert f"  at statement 2, line 2 of {script}" in captured.err
    assert opener.session.executed == ["USE p", "SELECT * FROM nope", "USE q"]


def test_piped_stdin_is_a_script(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "USE p;\n\\format csv\nSELECT 1;\n")
    rows = Rows((), [])
    opener = Opener(FakeSession({"SELECT": [rows, Status("Done")]}))
    assert main([], open_session=opener) == 0
    assert opener.session.executed == ["USE p", "SELECT 1"]
    assert capsys.readouterr().err == "OK\nDone\n"


def test_dash_file_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "USE p;")
    opener = Opener()
    assert main(["-f", "-"], open_session=opener) == 0
    assert opener.session.executed == ["USE p"]


def test_keyboard_interrupt_exits_130() -> None:
    opener = Opener(FakeSession({"SELECT": KeyboardInterrupt()}))
    assert main(["-e", "SELECT 1;"], open_session=opener) == 130


def test_batch_mode_imports_no_interactive_libraries(tmp_path: Path) -> None:
    # A fresh interpreter, so modules imported by other tests do not count.
    code = textwrap.dedent(
        """
        import sys
        from cloneshell.engine.core.result import Status
        from cloneshell.shell.main import main

        class Session:
            principal, project, dialect_name = "p", "proj", "maxcompute"
            def execute(self, text): return [Status()]
            def login(self, principal): pass
            def prompt(self): return "odps@ proj>"
            def idle(self): pass
            def close(self): pass

        status = main(["-e", "SELECT 1; \\\\whoami"], open_session=lambda config: Session())
        loaded = {"prompt_toolkit", "pygments", "tabulate"} & set(sys.modules)
        print(status, sorted(loaded))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.stdout.splitlines()[-1] == "0 []", result.stderr


def test_a_batch_select_loads_only_what_it_needs(tmp_path: Path) -> None:
    # The real engine, in a fresh interpreter: no terminal libraries, no completion, no keyword
    # tables (derived from the grammar only when an error needs them), one handler module; of
    # DuckDB its native module only (engine/core/duck.py), of Lark no grammar compiler once the
    # parser's snapshot exists (grammar/larkpkg.py).
    code = textwrap.dedent(
        f"""
        import sys
        from cloneshell.shell.main import main

        status = main(["-w", {str(tmp_path / "wh")!r}, "-e", "SELECT 1;"])
        from cloneshell.grammar import keywords
        print(status, keywords._keyword_by_terminal.cache_info().currsize)
        print(sorted(m for m in sys.modules if m.split(".")[0] in
                     ("prompt_toolkit", "pygments", "tabulate")))
        print(sorted(m for m in sys.modules if m.startswith((
              "cloneshell.engine.maxcompute.handlers.", "cloneshell.engine.snowflake.handlers",
              "cloneshell.shell.completer", "cloneshell.shell.suggest", "cloneshell.shell.lexer",
              "cloneshell.shell.repl"))))
        print(sorted(m for m in ("_duckdb", "duckdb", "lark.lark", "lark.load_grammar")
                     if m in sys.modules))
        """
    )
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    for _ in range(2):  # the first run creates the warehouse and the parser's snapshot
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
            env=env,
        )
    assert result.stdout.splitlines()[-4:] == [
        "0 0",
        "[]",
        "['cloneshell.engine.maxcompute.handlers.dml']",
        "['_duckdb']",
    ], result.stderr
    assert result.stderr == ""  # nothing reported at exit (e.g. objects left frozen)


def test_the_collector_is_back_to_normal_after_a_run() -> None:
    assert main(["-e", "SELECT 1;"], open_session=Opener()) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert main(["-e", "SELECT 1;"], open_session=Opener(FakeSession({"SELECT": RuntimeError()})))
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_command_ends_its_process_with_every_line_written(tmp_path: Path) -> None:
    # Called as the `cloneshell` command (no argv), main() ends the process itself: what was
    # printed must all be there, and the status must be the run's.
    script = textwrap.dedent(
        """
        CREATE TABLE t (id BIGINT);
        INSERT INTO t VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9);
        SELECT a.id * 1000 + b.id * 100 + c.id * 10 + d.id AS n
        FROM t a, t b, t c, t d ORDER BY n LIMIT 100000;
        SELEC 1;
        """
    )
    code = "from cloneshell.shell.main import main; main(); raise SystemExit(99)"
    argv = ["-w", str(tmp_path / "wh"), "--format", "csv", "-e", script]
    result = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stderr
    numbers = [line for line in result.stdout.splitlines() if line.isdigit()]
    assert numbers == [str(n) for n in range(10_000)]
    assert "invalid token 'SELEC'" in result.stderr


def test_ctrl_c_during_a_query_in_a_script_exits_130(tmp_path: Path) -> None:
    # DuckDB catches a SIGINT that lands while it runs a query on the main thread and raises
    # RuntimeError('Query interrupted'); that is the user's Ctrl-C, not an internal error.
    import os
    import signal
    import time

    exe = str(Path(sys.executable).with_name("cloneshell"))
    wh = str(tmp_path / "wh")
    rows = ",".join(f"({i})" for i in range(3000))
    setup = f"CREATE TABLE t (a BIGINT); INSERT INTO t VALUES {rows};"
    subprocess.run([exe, "-w", wh, "-e", setup], check=True, capture_output=True)
    env = dict(os.environ, XDG_STATE_HOME=str(tmp_path / "state"))
    slow = "SELECT count(*) FROM t x, t y, t z;"  # 27e9 rows: minutes, unless cancelled
    proc = subprocess.Popen(
        [exe, "-w", wh, "-e", slow], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    time.sleep(2.5)  # past start-up, inside the query
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert b"internal error" not in err
