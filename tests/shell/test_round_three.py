"""Issue 16, the rest of items 15, 17, 18 and 19: each checked by driving the real `cloneshell`
— in a pseudo-terminal (repl_driver.Terminal) for what only happens interactively, as a
subprocess for scripts."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from repl_driver import READY, Terminal, cloneshell_argv, shell_env

Start = Callable[..., Terminal]
_ANY_PROMPT = re.compile(r">")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def start(home: Path, tmp_path: Path) -> Iterator[Start]:
    """start(*args, rows=…, **env) -> a shell on a fresh warehouse at its first prompt."""
    started: list[Terminal] = []

    def run(*args: str, rows: int = 40, **env: str) -> Terminal:
        environ = shell_env(home, LINES=str(rows), **env)
        term = Terminal(cloneshell_argv(tmp_path / "wh", *args), environ, rows=rows)
        started.append(term)
        prompt(term)
        return term

    yield run
    for term in started:
        term.close()


def prompt(term: Terminal) -> str:
    """Wait for the next new prompt of either dialect; the output before it."""
    before = term.expect(READY)
    term.expect(_ANY_PROMPT)
    return before


def run(term: Terminal, line: str) -> str:
    """Type a line at the prompt; what it printed before the next prompt."""
    term.line(line)
    return prompt(term)


def batch(
    tmp_path: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`cloneshell ARGS` on the test's warehouse, as a script runs it."""
    return subprocess.run(
        cloneshell_argv(tmp_path / "wh", *args),
        input=stdin,
        env=shell_env(tmp_path / "home", **env),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def capturing_pager(tmp_path: Path) -> tuple[str, Path]:
    """A PAGER that saves what it is given to a file (so a test sees the pager was used)."""
    caught = tmp_path / "paged.txt"
    script = tmp_path / "pager.py"
    script.write_text(f"import sys\nopen({str(caught)!r}, 'a').write(sys.stdin.read())\n")
    return f"{sys.executable} {script}", caught


# ---------------------------------------------------------------------------------------------
# 15. \help is paged when taller than the terminal; the summaries list the project/database
# statements


def test_help_taller_than_the_terminal_is_paged(start: Start, tmp_path: Path) -> None:
    pager, caught = capturing_pager(tmp_path)
    mc = start(rows=20, PAGER=pager)
    out = run(mc, "\\help")
    assert "Meta-commands" not in out  # not printed past the top of a 20-line screen
    paged = caught.read_text()
    assert paged.startswith("Meta-commands (one per line, no ;):")
    assert "CREATE PROJECT p; SHOW PROJECTS; DROP PROJECT p;" in paged


def test_help_that_fits_is_printed(start: Start, tmp_path: Path) -> None:
    pager, caught = capturing_pager(tmp_path)
    mc = start(rows=40, PAGER=pager)
    out = run(mc, "\\help \\q")
    assert "\\q, \\quit" in out
    assert not caught.exists()


def test_snowflake_help_summary_lists_the_database_statements(tmp_path: Path) -> None:
    done = batch(tmp_path, "--dialect", "snowflake", "-e", "\\help")
    assert done.returncode == 0, done.stderr
    assert "CREATE [OR REPLACE] DATABASE|SCHEMA|TABLE" in done.stdout
    assert "SHOW TABLES|SCHEMAS|DATABASES" in done.stdout
    assert "UNDROP TABLE|SCHEMA|DATABASE" in done.stdout
    assert "PROJECT" not in done.stdout


# ---------------------------------------------------------------------------------------------
# 17. Completion: meta-commands with their descriptions and arguments; no menu after `…;`; USE


def tab(term: Terminal, typed: str, expected: str) -> list[str]:
    """Type `typed` and Tab until the completion menu has a row with `expected`; the menu's
    rows. (The completer loads in the background after the first prompt: an early Tab may find
    nothing, then the line is cleared and typed again.)"""
    for _ in range(20):
        term.send(typed + "\t")
        deadline = time.monotonic() + 0.7
        while time.monotonic() < deadline:
            time.sleep(0.1)
            rows = menu(term.display())
            if any(expected in row for row in rows):
                time.sleep(0.2)  # drawn in full
                return menu(term.display())
        term.control("c")
        prompt(term)
    raise AssertionError(f"Tab after {typed!r} never showed {expected!r}:\n{term.display()}")


def menu(screen: str) -> list[str]:
    """The completion menu's rows: the lines under the last prompt line, above the toolbar."""
    lines = screen.split("\n")
    prompts = [i for i, line in enumerate(lines) if "> " in line]
    if not prompts:  # mid-redraw
        return []
    last_prompt = prompts[-1]
    return [line.strip() for line in lines[last_prompt + 1 : -1] if line.strip()]


def test_meta_command_menu_says_what_each_does(start: Start) -> None:
    mc = start()
    rows = tab(mc, "\\c", "\\conninfo")
    assert any("say which warehouse, principal, project and dialect" in row for row in rows)
    assert any("show the session clock" in row for row in rows)


@pytest.mark.parametrize(
    ("typed", "shown", "rows"),
    [
        ("\\format ", "markdown", ["box", "csv", "tsv", "json", "vertical", "jsonl", "markdown"]),
        ("\\dialect ", "snowflake", ["maxcompute", "snowflake"]),
        ("\\set ", "editing_mode", ["format", "timing", "pager", "confirm", "editing_mode"]),
        ("\\set editing_mode ", "emacs", ["emacs", "vi"]),
        ("\\echo ", "off", ["on", "off"]),
    ],
)
def test_meta_command_arguments_complete(
    start: Start, typed: str, shown: str, rows: list[str]
) -> None:
    mc = start()
    assert [row.split()[0] for row in tab(mc, typed, shown)][: len(rows)] == rows


def test_include_completes_file_paths(start: Start, tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "setup_tables.sql").write_text("SELECT 1;\n")
    mc = start()
    tab(mc, "\\format ", "markdown")  # the completer is loaded
    mc.control("c")
    prompt(mc)
    mc.send(f"\\i {tmp_path}/scripts/set")
    mc.wait_screen("setup_tables.sql")  # the menu, while typing
    mc.send("\t")  # takes it
    time.sleep(0.5)
    mc.send("\r\r")  # the first Enter closes the menu, the second runs the line
    mc.expect("| _c0 |")


def test_no_keyword_menu_after_a_finished_statement(start: Start) -> None:
    mc = start()
    tab(mc, "SEL", "SELECT")  # the completer is loaded and offers keywords
    mc.control("c")
    prompt(mc)
    mc.send("SELECT 1; \t")
    time.sleep(1.0)
    assert "ALTER" not in mc.display() and "CREATE" not in mc.display()


def test_use_offers_only_what_the_dialect_switches(start: Start) -> None:
    mc = start()
    run(mc, "CREATE PROJECT IF NOT EXISTS other_proj;")
    rows = tab(mc, "USE ", "other_proj")
    assert [row.split()[0] for row in rows] == ["other_proj", "my_project"]
    mc.control("c")
    prompt(mc)
    run(mc, "\\dialect snowflake")
    rows = tab(mc, "USE ", "WAREHOUSE")
    assert {row.split()[0] for row in rows} >= {"DATABASE", "SCHEMA", "WAREHOUSE"}


# ---------------------------------------------------------------------------------------------
# 18. vi mode, \echo at the prompt, one-line errors, timings, --play's status, row counts


def test_vi_mode_shows_insert_and_normal(start: Start) -> None:
    mc = start()
    run(mc, "\\set editing_mode vi")
    mc.wait_screen("[F2] vi INSERT")
    mc.send("\x1b")  # Esc: normal mode
    mc.wait_screen("[F2] vi NORMAL")
    mc.send("i")
    mc.wait_screen("[F2] vi INSERT")


def test_echo_at_the_prompt_does_not_repeat_the_typed_line(start: Start, tmp_path: Path) -> None:
    mc = start()
    run(mc, "\\echo on")
    run(mc, "SELECT 7 AS seven;")
    time.sleep(0.3)
    screen = mc.display()
    assert screen.count("SELECT 7 AS seven;") == 1, screen  # the typed line only
    # a script run from the prompt is not on the screen: its statements are echoed
    script = tmp_path / "two.sql"
    script.write_text("SELECT 8 AS eight;\n")
    out = run(mc, f"\\i {script}")
    assert "odps@ my_project> SELECT 8 AS eight;\n" in out


def test_a_one_line_error_at_the_prompt_names_no_location(start: Start) -> None:
    mc = start()
    out = run(mc, "SELECT * FROM nope;")
    assert "Table not found" in out and "^" in out
    assert "at statement 1, line 1 of <input>" not in out
    # a paste of several lines still says where
    mc.paste("SELECT 1;\nSELECT * FROM nope;\n")
    out = prompt(mc)
    assert "at statement 2, line 2 of <input>" in out


def _elapsed(stdout: str) -> str:
    match = re.search(r"Time Elapsed: (\d+\.\d{3})s", stdout)
    assert match, stdout
    return match[1]


def test_clock_runs_show_real_time_unless_frozen_timing(tmp_path: Path) -> None:
    args = ("--dialect", "snowflake", "-e", "\\timing on\nSELECT 1;")
    real = batch(tmp_path, *args)
    assert float(_elapsed(real.stdout)) > 0, real.stdout  # the first statement takes ms
    assert re.search(r"Time: (?!0\.000)\d+\.\d{3}s", real.stderr), real.stderr
    frozen = batch(tmp_path, "--frozen-timing", *args)
    assert _elapsed(frozen.stdout) == "0.000"
    assert "Time: 0.000s" in frozen.stderr


def test_play_exits_1_when_a_played_statement_failed(tmp_path: Path) -> None:
    script = tmp_path / "bad.sql"
    script.write_text("SELECT 1;\nSELECT * FROM missing_table;\nSELECT 2;\n")
    cast = tmp_path / "bad.cast"
    done = batch(tmp_path, "--record", str(cast), "--play", str(script), "--typing-delay", "1ms")
    assert done.returncode == 1, done.stderr
    assert "Table not found" in cast.read_text()
    script.write_text("SELECT 1;\n")
    done = batch(tmp_path, "--record", str(cast), "--play", str(script), "--typing-delay", "1ms")
    assert done.returncode == 0, done.stderr


def test_maxcompute_row_count_footer_and_empty_result(start: Start) -> None:
    mc = start()
    run(mc, "CREATE TABLE e (a BIGINT);")
    out = run(mc, "SELECT * FROM e;")
    assert "| a |" in out and "(0 rows)" in out  # an empty box says so at a terminal
    out = run(mc, "SELECT 1 AS x;")
    assert "| 1 |" in out and "row" not in out  # no footer by default, as odpscmd
    run(mc, "\\set row_count on")
    assert "(1 row)" in run(mc, "SELECT 1 AS x;")


def test_row_count_footer_in_a_script(tmp_path: Path) -> None:
    done = batch(tmp_path, "-e", "\\set row_count on\nSELECT 1 AS x UNION ALL SELECT 2;")
    assert done.stdout.endswith("+---+\n"), done.stdout  # data stays on stdout
    assert done.stderr == "(2 rows)\n"
    plain = batch(tmp_path, "-e", "CREATE TABLE e (a BIGINT); SELECT * FROM e;")
    assert plain.stderr == "OK\n"  # a script prints what odpscmd prints


# ---------------------------------------------------------------------------------------------
# 19. psql's and SnowSQL's habits


def test_psql_describe_commands(tmp_path: Path) -> None:
    done = batch(
        tmp_path,
        "-e",
        "CREATE TABLE sales (id BIGINT, amount DECIMAL(10,2));\n\\d\n\\dt\n\\d sales\n\\d+ sales",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(":sales\n") == 2  # \d and \dt list it
    assert "| id" in done.stdout and "decimal(10,2)" in done.stdout
    assert "CreateTime" in done.stdout  # \d+ is DESC EXTENDED


def test_expanded_display_on_off_and_auto(start: Start) -> None:
    mc = start()
    run(mc, "\\pager off")  # the wide result below would be paged
    assert "Expanded display is on." in run(mc, "\\x")
    assert "| id |" not in run(mc, "SELECT 1 AS id;")
    assert "Expanded display is off." in run(mc, "\\x off")
    assert "| id |" in run(mc, "SELECT 1 AS id;")
    assert "Expanded display is used automatically." in run(mc, "\\x auto")
    narrow = run(mc, "SELECT 1 AS id;")
    assert "| id |" in narrow  # fits: a box
    wide = run(mc, f"SELECT '{'w' * 150}' AS wide_value;")
    assert "| wide_value |" not in wide and "wide_value" in wide  # too wide: vertical


def test_conninfo(tmp_path: Path) -> None:
    done = batch(tmp_path, "-e", "\\conninfo")
    assert done.stdout.startswith(f'You are connected to warehouse "{tmp_path / "wh"}" as ')
    assert "project my_project" in done.stdout and "(dialect maxcompute)" in done.stdout


def test_shell_command_runs_interactively_only(start: Start, tmp_path: Path) -> None:
    mc = start()
    assert "hello-from-sh" in run(mc, "\\! echo hello-from-sh")
    done = batch(tmp_path, "-e", "\\! echo hello-from-sh")
    assert done.returncode == 1 and "hello-from-sh" not in done.stdout
    assert "interactively only" in done.stderr


def test_snowsql_commands(tmp_path: Path) -> None:
    inner = tmp_path / "inner.sql"
    inner.write_text("SELECT 5 AS five;\n")
    spool = tmp_path / "spool.txt"
    script = (
        f"!source {inner}\n"
        f"!spool {spool}\n"
        "SELECT 6 AS six;\n"
        "!spool off\n"
        "!set output_format=csv\n"
        "SELECT 7 AS seven;\n"
        "!quit\n"
        "SELECT 8 AS eight;\n"
    )
    done = batch(tmp_path, stdin=script)
    assert done.returncode == 0, done.stderr
    assert "| five |" in done.stdout and "| six |" in done.stdout
    assert "seven\n7\n" in done.stdout  # !set output_format=csv
    assert "eight" not in done.stdout  # !quit stopped the script
    assert "| six |" in spool.read_text() and "seven" not in spool.read_text()
    assert batch(tmp_path, "-e", "!exit\nSELECT 9 AS nine;").stdout == ""


def test_snowsql_variables(tmp_path: Path) -> None:
    script = (
        "SELECT '&who' AS off_by_default;\n"
        "!set variable_substitution=true\n"
        "!define greeting=hello\n"
        "SELECT '&greeting, &{who}' AS said, 'a&&b' AS amp;\n"
        "!variables\n"
        "SELECT &missing;\n"
        "SELECT 'not run';\n"
    )
    done = batch(tmp_path, "-D", "who=world", stdin=script)
    assert "| &who           |" in done.stdout  # no substitution until it is turned on
    assert "| hello, world | a&b |" in done.stdout
    assert "greeting  hello\nwho       world\n" in done.stdout
    assert done.returncode == 1
    assert "variable 'missing' is not defined" in done.stderr
    assert "not run" not in done.stdout
    on = batch(tmp_path, "-D", "t=42", "-o", "variable_substitution=true", "-e", "SELECT &t AS v;")
    assert "| 42 |" in on.stdout, on.stderr
    bad = batch(tmp_path, "-D", "novalue", "-e", "SELECT 1;")
    assert bad.returncode == 2 and "-D 'novalue': expected NAME=VALUE" in bad.stderr


def test_help_covers_meta_commands_keys_config_and_exit_codes(tmp_path: Path) -> None:
    done = batch(tmp_path, "--help")
    assert done.returncode == 0
    for text in (
        "\\format",
        "!name works as \\name",
        "Ctrl-R",
        "config.toml",
        "Exit codes:",
        "130",
    ):
        assert text in done.stdout, text

    def cloneshell(*args: str) -> subprocess.CompletedProcess[str]:
        code = "import sys; from cloneshell.shell.main import main; sys.exit(main())"
        argv = [sys.executable, "-c", code, *args]
        return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=60)

    topics = cloneshell("help", "exit-codes")
    assert topics.returncode == 0 and topics.stdout.startswith("Exit codes:")
    assert "# editing_mode = " in cloneshell("help", "config").stdout
    assert cloneshell("help", "nope").returncode == 2


# ---------------------------------------------------------------------------------------------
# 11. The README's walkthrough, saved as a script, runs and runs again

README = Path(__file__).resolve().parents[2] / "README.md"


def walkthrough_script() -> str:
    """The README walkthrough's statements: the typed part of each `odps@ p> …` line, and the
    plain lines of the script block; output and confirmation lines left out."""
    text = README.read_text(encoding="utf-8")
    start = text.index("## A five-minute walkthrough")
    section = text[start : text.index("\n## ", start + 1)]
    lines = []
    for block in re.findall(r"```sql\n(.*?)```", section, re.S):
        for line in block.splitlines():
            typed = re.match(r"odps@ \S+> (.*)", line)
            if typed:
                lines.append(typed[1])
            elif line.strip() and not line.startswith(("OK", "+", "|", "Confirm")):
                lines.append(line)
    return "\n".join(lines) + "\n"


def test_readme_walkthrough_reruns_as_a_script(tmp_path: Path) -> None:
    script = tmp_path / "migrate.sql"
    script.write_text(walkthrough_script())
    first = batch(tmp_path, "-f", str(script), "--echo")
    assert first.returncode == 0, first.stderr
    assert "| 2  | 2024-01-16 | 450.50 |" in first.stdout
    again = batch(tmp_path, "-f", str(script), "--echo")
    assert again.returncode == 0, again.stderr  # IF NOT EXISTS and INSERT OVERWRITE
    assert again.stdout.count("| 1  | 2024-01-15 | 299.00 |") == 2  # no duplicated rows


def test_edit_runs_the_edited_last_statement(start: Start, tmp_path: Path) -> None:
    editor = tmp_path / "editor.py"  # an $EDITOR that turns 41 into 42 in the file it is given
    editor.write_text(
        "import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text().replace('41', '42'))\n"
    )
    mc = start(EDITOR=f"{sys.executable} {editor}")
    assert "| 41 |" in run(mc, "SELECT 41 AS n;")
    assert "| 42 |" in run(mc, "\\e")
    assert "interactively only" in batch(tmp_path, "-e", "SELECT 1;\n\\e").stderr


def test_watch_repeats_the_last_statement_until_ctrl_c(start: Start, tmp_path: Path) -> None:
    mc = start()
    run(mc, "SELECT 3 AS w;")
    mark = mc.mark()
    mc.line("\\watch 0.2")
    for _ in range(3):
        mc.expect("(every 0.2s; Ctrl-C stops)")
    mc.control("c")
    prompt(mc)
    assert mc.output_since(mark).count("| 3 |") >= 3
    assert "| 3 |" in run(mc, "SELECT 3 AS w;")  # the shell goes on
    assert "interactively only" in batch(tmp_path, "-e", "SELECT 1;\n\\watch 1").stderr
