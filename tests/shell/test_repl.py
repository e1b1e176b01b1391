"""The interactive shell end to end: the real `cloneshell` on a real warehouse, in a
pseudo-terminal whose screen is emulated (repl_driver.Terminal). Editing and submitting,
pastes, Ctrl-C, history across runs, output formats, meta-commands, the confirm prompt, the
settings file, the toolbar and the pager."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from repl_driver import PROMPT, Terminal, cloneshell_argv, shell_env

SEED = """\
CREATE TABLE sales_data (id BIGINT, order_date STRING, amount DECIMAL(10,2));
INSERT INTO sales_data VALUES (1, '2024-01-15', 299.00), (2, '2024-01-16', 450.50);
CREATE TABLE events (id BIGINT, kind STRING) PARTITIONED BY (ds STRING);
CREATE TABLE big (id BIGINT);
INSERT INTO big VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10);
INSERT INTO big SELECT a.id * 10 + b.id FROM big a, big b;
INSERT INTO big SELECT a.id * 1000 + b.id FROM big a, big b WHERE b.id < 30;
"""
BIG_ROWS = 3300  # 10 + 100 + 110 * 29: a three-way cross join of it runs for minutes

UP = "\x1b[A"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse with the seed tables, made once by the batch path and copied per test."""
    root = tmp_path_factory.mktemp("seed")
    result = subprocess.run(
        cloneshell_argv(root / "warehouse", "-e", SEED),
        env=shell_env(root),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return root / "warehouse"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def warehouse(seeded: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "warehouse"
    shutil.copytree(seeded, copy)
    return copy


Start = Callable[..., Terminal]


@pytest.fixture
def start(home: Path, warehouse: Path) -> Iterator[Start]:
    """start(*args, **env) -> a shell at its first prompt (stopped after the test)."""
    started: list[Terminal] = []

    def run(*args: str, **env: str) -> Terminal:
        term = Terminal(cloneshell_argv(warehouse, *args), shell_env(home, **env))
        started.append(term)
        term.expect_prompt()
        return term

    yield run
    for term in started:
        term.close()


@pytest.fixture
def shell(start: Start) -> Terminal:
    return start()


def count(term: Terminal, table: str) -> int:
    """Run `SELECT count(*)` at the prompt and read the number from the box."""
    term.line(f"SELECT count(*) FROM {table};")
    box = term.expect_prompt()
    numbers = re.findall(r"^\| (\d+) +\|$", box, re.MULTILINE)
    assert numbers, box
    return int(numbers[-1])


# ---------------------------------------------------------------------------------------------
# Editing and submitting


def test_statement_typed_over_two_lines_runs_once(shell: Terminal) -> None:
    shell.line("INSERT INTO sales_data")
    shell.line("  VALUES (3, '2024-01-17', 1.00);")
    assert shell.expect_prompt().count("OK") == 1
    # The continuation line is drawn under the first line's text.
    screen = shell.display()
    assert f"{PROMPT} INSERT INTO sales_data\n" + " " * len(PROMPT + " ") + "  VALUES" in screen
    assert count(shell, "sales_data") == 3


def test_a_meta_command_on_a_continuation_line_keeps_the_line_break(
    shell: Terminal, home: Path
) -> None:
    # psql: the meta-command runs, the buffer keeps its text and its line break, so what is
    # typed next goes on a line of its own; the history has the meta-command on its own.
    shell.line("SELECT id")
    shell.line("\\whoami")
    assert "Name: ALIYUN$odps_user@aliyun.com" in shell.expect_prompt()
    shell.line("FROM sales_data ORDER BY id LIMIT 1;")
    out = shell.expect_prompt()
    assert "| 1  |" in out, out
    assert "idFROM" not in out
    shell.control("d")
    assert shell.wait_exit() == 0
    history = (home / "state" / "cloneshell" / "history").read_text()
    entries = ["\n".join(e) for e in _history_entries(history)]
    assert entries == ["\\whoami", "SELECT id\nFROM sales_data ORDER BY id LIMIT 1;"], entries


def _history_entries(text: str) -> list[list[str]]:
    """prompt_toolkit's history file: each entry is its `+` lines after a `# time` line."""
    entries: list[list[str]] = []
    for line in text.splitlines():
        if line.startswith("#"):
            entries.append([])
        elif line.startswith("+") and entries:
            entries[-1].append(line[1:])
    return [e for e in entries if e]


def test_bracketed_paste_of_three_statements_runs_all_three(shell: Terminal) -> None:
    shell.paste(
        "INSERT INTO sales_data VALUES (3, 'a', 1.00);\n"
        "INSERT INTO sales_data VALUES (4, 'b', 2.00);\n"
        "SELECT count(*) FROM sales_data;\n"
    )
    out = shell.expect_prompt()
    assert out.count("OK") == 2
    assert "| 4   |" in out


def test_a_paste_stops_at_its_first_failure_and_keeps_the_rest(shell: Terminal) -> None:
    shell.paste("SELECT * FROM nope;\nINSERT INTO sales_data VALUES (3, 'a', 1.00);\n\\whoami\n")
    out = shell.expect_prompt()
    assert "Table not found" in out
    assert "2 statements not run after the failure; they are in the input" in out, out
    assert "Name:" not in out
    # The rest waits in the input, to fix or run (Enter), or clear (Ctrl-C).
    screen = shell.wait_screen(f"{PROMPT} INSERT INTO sales_data VALUES (3, 'a', 1.00);")
    assert "\\whoami" in screen
    shell.control("c")
    shell.expect_prompt()
    assert count(shell, "sales_data") == 2


def test_typed_ahead_paste_without_brackets_runs_all_three(shell: Terminal) -> None:
    # One write, newlines and all, as a terminal without bracketed paste delivers a paste.
    shell.send(
        "INSERT INTO sales_data VALUES (3, 'a', 1.00);\r"
        "INSERT INTO sales_data VALUES (4, 'b', 2.00);\r"
        "INSERT INTO sales_data VALUES (5, 'c', 3.00);\r"
    )
    for _ in range(3):
        assert "OK" in shell.expect_prompt()
    assert count(shell, "sales_data") == 5


def test_unfinished_statement_at_the_end_of_a_paste_stays_for_editing(shell: Terminal) -> None:
    shell.paste("SELECT count(*) FROM big;\nSELECT count(*)\n")
    assert f"| {BIG_ROWS} |" in shell.expect_prompt()
    shell.wait_screen(f"{PROMPT} SELECT count(*)")
    shell.line(" FROM sales_data;")
    assert "| 2   |" in shell.expect_prompt()


def test_syntax_error_shows_the_line_and_caret_and_the_shell_goes_on(shell: Terminal) -> None:
    shell.line("CLONE TABLE sales_data TO copy IF EXISTS;")
    out = shell.expect_prompt()
    assert "FAILED: ODPS-0130161:[1,41] Parse exception - invalid token ';'" in out
    assert "    CLONE TABLE sales_data TO copy IF EXISTS;\n" + " " * 44 + "^" in out
    assert "hint: expected one of IGNORE, OVERWRITE" in out
    shell.line("\\whoami")
    assert "Name: ALIYUN$odps_user@aliyun.com" in shell.expect_prompt()


def test_alt_enter_ctrl_c_and_a_meta_command_inside_a_statement(shell: Terminal) -> None:
    shell.send("SELECT 1;\x1b\r")  # Esc Enter (what Alt-Enter sends): a new line, not a run
    shell.send("SELECT 2;\r")
    out = shell.expect_prompt()
    assert "| 1   |" in out and "| 2   |" in out
    # Ctrl-C at the prompt drops what was typed.
    shell.send("SELECT half")
    shell.control("c")
    shell.expect_prompt()
    # A meta-command typed inside an open statement runs; the statement stays in the buffer.
    shell.line("SELECT count(*)")
    shell.line("\\whoami")
    out = shell.expect_prompt()
    assert "Project: my_project" in out and "half" not in out
    shell.line("FROM sales_data;")
    assert "| 2   |" in shell.expect_prompt()


@pytest.mark.parametrize("stop", ["\\q", "quit;", "Ctrl-D"])
def test_quit_commands_and_ctrl_d_exit_0(shell: Terminal, stop: str) -> None:
    if stop == "Ctrl-D":
        shell.control("d")
    else:
        shell.line(stop)
    assert shell.wait_exit() == 0


# ---------------------------------------------------------------------------------------------
# Running statements


def test_ctrl_c_cancels_a_long_statement_and_changes_nothing(shell: Terminal) -> None:
    shell.line("INSERT INTO big SELECT a.id FROM big a, big b, big c;")
    # After a second the elapsed time shows on the terminal.
    shell.expect(re.compile(r"\d\.\ds  Ctrl-C cancels"), timeout=5)
    pressed = time.monotonic()
    shell.control("c")
    shell.expect("cancelled")
    shell.expect_prompt()
    assert time.monotonic() - pressed < 1.5  # within a second, plus the test's own settling
    screen = shell.display()
    assert "Ctrl-C cancels" not in screen, screen  # the progress line was erased
    assert count(shell, "big") == BIG_ROWS


def test_statements_typed_while_one_runs_run_next(home: Path) -> None:
    # While a statement runs the terminal is in cooked mode and turns Enter into Ctrl-J (a
    # newline key at the prompt): keys typed ahead like that still run what they end.
    driver = Path(__file__).with_name("repl_driver.py")
    term = Terminal([sys.executable, str(driver)], shell_env(home))
    try:
        term.expect_prompt()
        term.line("NAP;")
        time.sleep(0.3)
        term.send("SELECT 1;\r\\whoami\r")
        term.expect_prompt()  # after NAP
        out = term.expect_prompt()
        assert "| 1  | 2024-01-15 |" in out
        assert "Name: ALIYUN$odps_user@aliyun.com" in term.expect_prompt()
    finally:
        term.close()


def test_the_prompt_comes_before_the_session_and_the_first_input_waits_for_it(
    home: Path,
) -> None:
    driver = Path(__file__).with_name("repl_driver.py")
    term = Terminal([sys.executable, str(driver)], shell_env(home, FAKE_OPEN_DELAY="2"))
    try:
        term.expect_prompt(timeout=1.5)  # well before the session is open
        term.wait_screen("opening the warehouse…")
        term.line("SELECT 1;")
        assert "| 1  | 2024-01-15 |" in term.expect_prompt()
        screen = term.wait_screen("ALIYUN$odps_user@aliyun.com │ my_project │ maxcompute")
        assert "opening the warehouse" not in screen
    finally:
        term.close()


def test_a_warehouse_that_cannot_be_opened_ends_the_shell_with_2(
    home: Path, warehouse: Path
) -> None:
    term = Terminal(cloneshell_argv(warehouse, "-p", "nope"), shell_env(home))
    try:
        term.expect("odps@ nope>")  # the prompt is drawn first
        # issue 16 item 14: no ODPS code text, and where to look
        term.expect("cloneshell: error: project 'nope' not found; SHOW PROJECTS lists them")
        assert term.wait_exit() == 2
    finally:
        term.close()


def test_a_locked_warehouse_is_reported_and_ends_the_shell_with_2(
    home: Path, warehouse: Path
) -> None:
    import duckdb  # the test holds the registry's lock as another process would

    holder = duckdb.connect(str(warehouse / "warehouse.duckdb"))
    try:
        env = shell_env(home, CLONESHELL_LOCK_TIMEOUT="0.5")
        term = Terminal(cloneshell_argv(warehouse), env)
        try:
            term.expect(PROMPT)
            term.expect(re.compile(r"cloneshell: error: cannot open warehouse [^\n]*lock"))
            assert term.wait_exit() == 2
        finally:
            term.close()
    finally:
        holder.close()


def test_three_ctrl_c_leave_a_statement_that_does_not_stop(home: Path) -> None:
    driver = Path(__file__).with_name("repl_driver.py")
    term = Terminal([sys.executable, str(driver)], shell_env(home))
    try:
        term.expect_prompt()
        term.line("STUCK;")
        term.expect("Ctrl-C cancels", timeout=5)
        term.control("c")
        term.expect("cancelling…")
        term.control("c")
        term.expect("Ctrl-C again leaves the shell")
        term.control("c")
        term.expect("cancelled; leaving the shell")
        assert term.wait_exit() == 130
    finally:
        term.close()


def test_history_survives_a_restart(start: Start) -> None:
    first = start()
    first.line("SELECT 'remember me' AS note;")
    first.expect_prompt()
    first.control("d")
    assert first.wait_exit() == 0

    second = start()
    # The history loads in the background; Up recalls the last statement once it is there.
    for _ in range(20):
        second.send(UP)
        try:
            second.wait_screen(f"{PROMPT} SELECT 'remember me' AS note;", timeout=0.5)
            break
        except AssertionError:
            second.control("c")
            second.expect_prompt()
    second.send("\r")
    assert "| remember me |" in second.expect_prompt()


def test_ctrl_r_searches_the_history(shell: Terminal) -> None:
    shell.line("SELECT 'needle' AS n;")
    shell.expect_prompt()
    shell.line("\\whoami")
    shell.expect_prompt()
    shell.control("r")
    shell.send("needl")
    shell.wait_screen("SELECT 'needle' AS n;")
    shell.send("\r")  # accept the found line into the buffer
    shell.send("\r")  # run it
    assert "| needle |" in shell.expect_prompt()


# ---------------------------------------------------------------------------------------------
# Output


def test_formats_vertical_csv_json_and_backslash_g(shell: Terminal) -> None:
    query = "SELECT id, amount FROM sales_data ORDER BY id LIMIT 2"
    shell.line("\\format vertical")
    shell.expect_prompt()
    shell.line(query + ";")
    out = shell.expect_prompt()
    assert "*************************** 1. row ***************************\n" in out
    assert "    id: 1\namount: 299.00\n" in out
    shell.line("\\format csv")
    shell.expect_prompt()
    shell.line(query + ";")
    assert "id,amount\n1,299.00\n2,450.50\n" in shell.expect_prompt()
    shell.line("\\format json")
    shell.expect_prompt()
    shell.line(query + ";")
    assert '[\n{"id": 1, "amount": "299.00"},\n{"id": 2, "amount": "450.50"}\n]' in (
        shell.expect_prompt()
    )
    shell.line("\\format box")
    shell.expect_prompt()
    # \G instead of ; prints one result vertically; the next is a box again.
    shell.line(query + "\\G")
    assert "*************************** 2. row ***************************" in (
        shell.expect_prompt()
    )
    shell.line(query + ";")
    assert "| id | amount |" in shell.expect_prompt()


def test_meta_commands_timing_spool_include_and_help(shell: Terminal, tmp_path: Path) -> None:
    shell.line("\\timing on")
    assert "Timing is on." in shell.expect_prompt()
    shell.wait_screen("timing on")  # the toolbar says so too
    shell.line("SELECT count(*) FROM sales_data;")
    assert re.search(r"\| 2   \|\n\+-+\+\nTime: \d+\.\d{3}s\n", shell.expect_prompt())
    shell.line("\\timing off")
    shell.expect_prompt()

    spool = tmp_path / "results.txt"
    shell.line(f"\\o {spool}")
    shell.expect_prompt()
    shell.line("SELECT id FROM sales_data ORDER BY id LIMIT 2;")
    assert "| 2  |" in shell.expect_prompt()  # still shown on the terminal
    shell.line("\\o")
    assert f"Stopped writing results to {spool}" in shell.expect_prompt()
    shell.line("SELECT 'not spooled';")
    shell.expect_prompt()
    assert spool.read_text() == "+----+\n| id |\n+----+\n| 1  |\n| 2  |\n+----+\n"

    script = tmp_path / "setup.sql"
    script.write_text(
        "INSERT INTO sales_data VALUES (3, 'x', 1.00);\n"
        "SELECT * FROM missing_table;\n"
        "INSERT INTO sales_data VALUES (4, 'y', 2.00);\n"
    )
    shell.line(f"\\i {script}")
    out = shell.expect_prompt()
    assert "Table not found" in out
    assert f"at statement 2, line 2 of {script}" in out
    assert count(shell, "sales_data") == 3  # stopped at the failure, as `-f` does

    shell.line("\\pager off")  # \help is taller than the terminal: it would be paged
    shell.expect_prompt()
    shell.line("\\help")
    out = shell.expect_prompt()
    assert "\\timing [on|off]" in out and "Ctrl-R" in out
    shell.line("\\help CLONE")
    out = shell.expect_prompt()
    assert "CLONE TABLE [project.]src [PARTITION" in out
    assert "IF EXISTS IGNORE     copies only the partitions the destination lacks" in out


def test_pager_shows_results_taller_than_the_screen(start: Start) -> None:
    shell = start(PAGER="sed -e s/^/PAGED:/")
    shell.line("SELECT id FROM big ORDER BY id LIMIT 5;")
    assert "PAGED:" not in shell.expect_prompt()  # short results print directly
    shell.line("SELECT id FROM big ORDER BY id LIMIT 100;")
    assert "PAGED:| 100 |" in shell.expect_prompt()
    shell.line("\\pager off")
    shell.expect_prompt()
    shell.line("SELECT id FROM big ORDER BY id LIMIT 100;")
    assert "PAGED:" not in shell.expect_prompt()


def test_pager_shows_results_wider_than_the_screen(start: Start) -> None:
    shell = start(PAGER="sed -e s/^/PAGED:/")
    shell.line(f"SELECT '{'w' * 150}' AS wide;")  # a 120-column terminal would wrap it
    assert "PAGED:| wwww" in shell.expect_prompt()


def test_missing_pager_falls_back_to_printing(start: Start) -> None:
    shell = start(PAGER="no-such-pager-here")
    shell.line("SELECT id FROM big ORDER BY id LIMIT 100;")
    out = shell.expect_prompt()
    assert "cannot run pager 'no-such-pager-here'" in out
    assert "| 100 |" in out


# ---------------------------------------------------------------------------------------------
# Destructive statements


def test_drop_asks_first_no_keeps_yes_drops_and_confirm_can_be_off(shell: Terminal) -> None:
    shell.line("DROP TABLE sales_data;")
    shell.expect('Confirm to "DROP TABLE sales_data" (yes/no)? ')
    shell.line("no")
    assert "Cancelled." in shell.expect_prompt()
    assert count(shell, "sales_data") == 2
    shell.line("DROP TABLE sales_data;")
    shell.expect("(yes/no)? ")
    shell.line("yes")
    assert "OK" in shell.expect_prompt()
    shell.line("SELECT * FROM sales_data;")
    assert "Table not found" in shell.expect_prompt()
    # \\set confirm off: no more questions.
    shell.line("\\set confirm off")
    shell.expect_prompt()
    shell.line("INSERT OVERWRITE TABLE big VALUES (1);")
    out = shell.expect_prompt()
    assert "Confirm" not in out and "OK" in out
    assert count(shell, "big") == 1


def test_piped_drop_runs_without_asking(warehouse: Path, home: Path) -> None:
    result = subprocess.run(
        cloneshell_argv(warehouse),
        input="DROP TABLE sales_data;\nSHOW TABLES;\n",
        env=shell_env(home),
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "Confirm" not in result.stdout + result.stderr
    assert ":sales_data" not in result.stdout and ":big" in result.stdout


# ---------------------------------------------------------------------------------------------
# Settings, toolbar, keys


def test_settings_file_format_and_timing_apply(home: Path, start: Start) -> None:
    config = home / "config" / "cloneshell" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('format = "vertical"\ntiming = true\n')
    shell = start()
    shell.line("SELECT id FROM sales_data ORDER BY id LIMIT 1;")
    out = shell.expect_prompt()
    assert "*************************** 1. row ***************************\nid: 1\n" in out
    assert "Time: " in out


def test_command_line_format_beats_the_settings_file(home: Path, start: Start) -> None:
    config = home / "config" / "cloneshell" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('format = "vertical"\n')
    shell = start("--format", "csv")
    shell.line("SELECT id FROM sales_data ORDER BY id LIMIT 1;")
    assert "id\n1\n" in shell.expect_prompt()


def test_toolbar_f2_vi_keys_and_the_default_settings_file(home: Path, shell: Terminal) -> None:
    shell.wait_screen("ALIYUN$odps_user@aliyun.com │ my_project │ maxcompute │ box │ timing off")
    shell.wait_screen("[F2] emacs")
    shell.send("\x1bOQ")  # F2
    shell.wait_screen("[F2] vi")
    shell.line("\\set")
    assert re.search(r"editing_mode +vi", shell.expect_prompt())
    shell.send("SELECT 'vi' AS xx;")
    shell.send("\x1b")  # to navigation mode
    time.sleep(0.2)
    shell.send("0x")  # start of line, delete the S
    shell.send("iS")  # insert it back
    shell.send("\r")
    assert "| vi |" in shell.expect_prompt()
    # The first interactive run wrote a commented settings file.
    config = home / "config" / "cloneshell" / "config.toml"
    assert config.is_file() and "# editing_mode = " in config.read_text()


def complete(shell: Terminal, typed: str, expected: str) -> str:
    """Type `typed` and Tab until the screen shows `expected`; return the screen. The catalog
    loads in the background after the first prompt, so an early Tab may find nothing yet: then
    the line is cleared (Ctrl-C) and typed again."""
    for _ in range(20):
        shell.send(typed)
        shell.send("\t")
        try:
            return shell.wait_screen(expected, timeout=0.5)
        except AssertionError:
            shell.control("c")
            shell.expect_prompt()
            time.sleep(0.2)
    raise AssertionError(f"Tab after {typed!r} never showed {expected!r}:\n{shell.display()}")


def test_tab_completes_a_table_name_and_a_partition_column(shell: Terminal) -> None:
    screen = complete(shell, "SELECT * FROM sal", f"{PROMPT} SELECT * FROM sales_data")
    assert "sales_data" in screen.split(PROMPT, 1)[1]  # and the menu lists it
    shell.send(" LIMIT 1;\r")
    assert "| id | order_date | amount |" in shell.expect_prompt()
    screen = complete(shell, "INSERT INTO events PARTITION (", "PARTITION (ds")
    assert f"{PROMPT} INSERT INTO events PARTITION (ds" in screen
